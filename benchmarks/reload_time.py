"""Child program: the app running on a base, one products file edited, time until the new data is on screen.

    python benchmarks/reload_time.py --data DIR [--repeat R]

The base is copied to a temporary directory first (the edits stay there). The app starts as
`carnk-tui` does (loading screen, load in a worker, through the cache in $CARNK_TUI_CACHE_DIR),
shows the data, and waits until the snapshot for the next start is on disk. Then, R times: one
product's English summary in the largest products file is changed, the app reloads (what `r`
does, and what the watcher of the data files does once the OS reports the edit: the watcher
itself is stopped here so that only one reload runs), and the clock stops at the first frame
after the new knowledge base is shown (its search index may still be being built).
Reported (the UI thread's CPU time apart): wall time and the process's CPU time (all
threads: the snapshot for the next start is written in a thread meanwhile), and the load's own
CPU time in its worker thread. Prints one JSON object.

Two clocks stop: "drawn", when the screen has refreshed once the new knowledge base was handed
over (``call_after_refresh``), and "settled" (the figure reported before), when Pilot's ``pause()``
returns after that. ``pause()`` waits until the process's CPU time stops advancing, for at most
one second: the app starts the new data's search index (1-2 s of CPU at 10,000 products) in a
thread once the data is drawn, so "settled" usually includes that second of waiting and the
index's CPU time in it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def summary(samples: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"n": len(ms), "p50_ms": statistics.median(ms), "p95_ms": p95, "max_ms": ms[-1]}


async def session(base: Path, products: Path, original: str, repeat: int) -> dict[str, Any]:
    from carnk_tui.kb import cache
    from carnk_tui.ui.app import make_app

    app = make_app(None, lang="en", data_dirs=[base])
    wall: list[float] = []
    cpu: list[float] = []
    ui: list[float] = []
    drawn_wall: list[float] = []
    drawn_cpu: list[float] = []
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.kb is not None, "the data did not load"
        app.data_watcher.stop()
        getattr(cache, "wait_stored", lambda: None)()
        for i in range(repeat):
            shown = app.kb
            edited = original.replace("en: ", f"en: Edit {i} ", 1)
            start_wall, start_cpu, start_ui = time.perf_counter(), time.process_time(), time.thread_time()
            with open(products, "w", encoding="utf-8") as handle:  # noqa: ASYNC230 (the edit is what is timed)
                handle.write(edited)
            app.action_reload()
            while app.kb is shown:  # the new data is handed to the app (its search index may follow)
                await pilot.pause(0.005)
            drawn: list[tuple[float, float]] = []
            app.call_after_refresh(lambda drawn=drawn: drawn.append((time.perf_counter(), time.process_time())))
            while not drawn:
                await pilot.pause(0.005)
            drawn_wall.append(drawn[0][0] - start_wall)
            drawn_cpu.append(drawn[0][1] - start_cpu)
            await pilot.pause()  # and settled
            wall.append(time.perf_counter() - start_wall)
            cpu.append(time.process_time() - start_cpu)
            ui.append(time.thread_time() - start_ui)  # this coroutine runs on the app's own (UI) thread
            await app.workers.wait_for_complete()
            getattr(cache, "wait_stored", lambda: None)()  # not timed: the next edit starts from a quiet process
        app.exit()
    return {"file": products.name, "file_mb": round(len(original.encode()) / 1e6, 1),
            "wall": summary(wall), "cpu": summary(cpu), "ui_thread_cpu": summary(ui),
            "drawn_wall": summary(drawn_wall), "drawn_cpu": summary(drawn_cpu)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reload-bench-") as tmp:
        base = Path(tmp) / "kb"
        shutil.copytree(args.data, base)
        products = max(base.glob("products*.y*ml"), key=lambda p: p.stat().st_size)
        result = asyncio.run(session(base, products, products.read_text(encoding="utf-8"), args.repeat))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
