"""CPU time of one app start as the tests pay it: `App.run_test()` until the first frame is composed.

    python benchmarks/app_start.py [--data DIR] [--runs 8] [--size 80x24] [--tab ID] [--cold] [--with-index] [--bare]

Loads the knowledge base once (through the cache in $CARNK_TUI_CACHE_DIR, as the app does), then
starts the app `--runs` times in this process, each until the screen has processed every pending
message and `pilot.pause()` has forced a compositor refresh, and exits it (counted). The first start
imports the explorer's modules and fills the line-breaking caches: it is a warm-up, not counted,
unless `--cold`. The search index (built in a thread at start) is left out unless `--with-index`.
`--tab` also shows that tab after the first frame (the cost of a first visit). Prints one JSON
object: the CPU seconds (`time.process_time`, every thread) of each counted start, their median and
minimum. Run the versions to compare interleaved, in the same minute: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", default=[], help="knowledge base directory (repeatable)")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--size", default="80x24", help="terminal size, COLSxROWS")
    parser.add_argument("--lang", default="en", choices=("zh", "en"))
    parser.add_argument("--tab", default="", help="also show this tab (its id, e.g. compare) after the first frame")
    parser.add_argument("--bare", action="store_true", help="a bare Textual app with one Label instead (the reference)")
    parser.add_argument("--cold", action="store_true",
                        help="count the first start too (it imports the explorer's modules and fills the caches of "
                             "line breaking): with --runs 1, what a user's start costs after the data is loaded")
    parser.add_argument("--with-index", action="store_true",
                        help="count the search index too (built in a thread at start); by default it is not built, "
                             "so that the figure is the explorer's own start")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))

    from carnk_tui.kb.cache import load_cached
    from carnk_tui.kb.locations import bundled_data_dir
    from carnk_tui.ui import app as app_module
    from carnk_tui.ui.app import make_app

    kb = load_cached([Path(d) for d in args.data] or [bundled_data_dir()])
    if not args.with_index:  # the worker that builds it is not started
        app_module.CarnkApp._build_index = lambda self, kb, generation: None  # type: ignore[method-assign]

    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("carnk-tui benchmark: one label")

    async def start() -> float:
        app: App[None] = Bare() if args.bare else make_app(kb, args.lang)
        begin = time.process_time()
        async with app.run_test(headless=True, size=(cols, rows)) as pilot:
            await pilot.pause()
            if args.tab:
                await app.screen.run_action(f"tab('{args.tab}')")
                await pilot.pause()
        return time.process_time() - begin

    async def run() -> list[float]:
        times = [await start() for _ in range(args.runs + 1)]
        return times[:-1] if args.cold else times[1:]

    times = asyncio.run(run())
    json.dump({"cpu_s": [round(x, 4) for x in times], "median_s": round(statistics.median(times), 4),
               "min_s": round(min(times), 4)}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
