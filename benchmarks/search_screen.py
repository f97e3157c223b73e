"""The search screen at scale: CPU time from a key typed in the search field to the next frame.

    python benchmarks/search_screen.py --data DIR [--lang en] [--freeze]

Starts the real app headless with the knowledge base given (through the cache, as the app loads it),
waits for the search index to be built, opens the search screen with its key, and types each query
one key at a time (the field emptied between queries): common and rare, English and Chinese. Each
sample is the process's CPU time from `pilot.press(key)` to the end of the next `pilot.pause()`; the
part of it spent in `SearchIndex.search` is reported beside it. `--freeze` calls `gc.freeze()` once
the index is there (what-if: the app freezes what it holds after a load, not yet after the index).
Run before/after pairs one after the other in the same minute. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's carnk_tui

#: typed one key at a time; the first five are interact.py's
QUERIES = ["cd19", "robo1", "nova", "骨髓瘤", "nkg2d", "cd19 b", "helix bio", "zzzq", "nct1000", "癫痫"]


def summary(samples: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1),
            "max_ms": round(ms[-1], 1)}


async def session(kb: Any, dirs: list[str], lang: str, freeze: bool) -> dict[str, Any]:
    from textual.widgets import Input

    from carnk_tui.ui.app import make_app
    from first_frame import cli_options

    app = make_app(kb, **cli_options(make_app, dirs, lang))
    keys: list[float] = []
    lookups: list[float] = []
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the search index, built after the data is drawn
        await pilot.pause()
        if freeze:
            gc.collect()
            gc.freeze()
        index = app.search_index
        search = index.search

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return search(*args, **kwargs)
            finally:
                lookups.append(time.process_time() - start)

        index.search = timed  # type: ignore[method-assign]
        await pilot.press("slash")
        await pilot.pause()
        field = app.screen.query_one(Input)
        in_lookups: list[float] = []
        for query in QUERIES:
            field.value = ""
            await pilot.pause()
            for char in query:
                lookups.clear()
                start = time.process_time()
                await pilot.press(char)
                await pilot.pause()
                keys.append(time.process_time() - start)
                in_lookups.append(sum(lookups))
    return {"keystroke_to_frame_cpu": summary(keys), "of_which_lookup": summary(in_lookups),
            "slowest": sorted(((round(k * 1000, 1), round(s * 1000, 1)) for k, s in zip(keys, in_lookups, strict=True)),
                              reverse=True)[:5]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", required=True, help="knowledge base directory (repeatable)")
    parser.add_argument("--lang", default="en", choices=("zh", "en"))
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() once the search index is built")
    args = parser.parse_args()
    os.environ.setdefault("CARNK_TUI_CONFIG_DIR", tempfile.mkdtemp(prefix="carnk-bench-"))
    from carnk_tui.kb.cache import load_cached

    kb = load_cached(args.data)
    result = {"queries": QUERIES, "freeze": args.freeze, **asyncio.run(session(kb, args.data, args.lang, args.freeze))}
    json.dump(result, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
