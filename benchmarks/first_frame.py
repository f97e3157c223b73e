"""Child program for the first-frame benchmark: start, show the first frame headless, report, exit.

    BENCH_T0_NS=$(date +%s%N) python benchmarks/first_frame.py --bare
    BENCH_T0_NS=$(date +%s%N) python benchmarks/first_frame.py --data DIR [--data DIR2 ...]

The clock starts at BENCH_T0_NS (``time.time_ns()`` taken by the parent just before it spawned
this process; without it, at this file's first line, which misses the interpreter's own
start-up). It stops when the first frame has been composed: inside ``App.run_test()``, once
the app is ready, the screen has processed every pending message and ``pilot.pause()`` has
forced a compositor refresh. The app then exits; shutting down is not timed.

``--bare`` runs a Textual app that shows one Label (the reference); otherwise the real app
is built as ``carnk_tui.cli`` builds it: ``loader.load(dirs)`` then ``app.make_app`` with the
CLI's options (data_dirs for reloading, remembered preferences) where this version has them.
``--whatif-gc`` changes one thing, for the diagnosis only: the garbage collector is off during
the load and the loaded objects are frozen (``gc.freeze()``) before the app starts.
``--whatif-landscape-only`` composes only the Landscape tab (``carnk_tui.ui.screens.main.TABS`` is
patched in this process), a lower bound for building the other tabs only when first shown.
Prints one JSON object: the marks (seconds since T0), load time, peak RSS (ru_maxrss).
"""

from __future__ import annotations

import os
import time

T0_NS = int(os.environ.get("BENCH_T0_NS") or time.time_ns())


def since() -> float:
    return (time.time_ns() - T0_NS) / 1e9


MARKS: dict[str, float] = {"interpreter": since()}
#: CPU time of this process (every thread) at some marks: the judge when the machine is shared
CPU: dict[str, float] = {}

import argparse  # noqa: E402  (the clock must start before anything else is imported)
import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

from procstat import proc_status_mb  # noqa: E402  (benchmarks/ is on the path: this file runs as a script)


def cli_options(make_app, dirs: list[str], lang: str) -> dict:
    """The keyword arguments ``carnk_tui.cli`` gives `make_app`, as far as this version accepts them.

    Preferences are read and written in $CARNK_TUI_CONFIG_DIR (run.py points it at a temp dir).
    """
    import inspect
    from pathlib import Path

    params = inspect.signature(make_app).parameters
    options: dict = {"lang": lang}
    if "data_dirs" in params:
        options["data_dirs"] = [Path(d) for d in dirs]
    if "remember" in params:
        options["remember"] = True
    return options


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bare", action="store_true", help="a bare Textual app with one Label")
    parser.add_argument("--data", action="append", default=[], help="knowledge base directory (repeatable)")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--size", default="120x40", help="terminal size, COLSxROWS")
    parser.add_argument("--whatif-landscape-only", action="store_true",
                        help="what-if for the diagnosis: compose only the Landscape tab (as if the others were "
                             "built when first shown)")
    parser.add_argument("--cli", action="store_true",
                        help="start as `carnk-tui` does: the first frame is the loading screen, the knowledge base "
                             "loads in a worker (from the cache in $CARNK_TUI_CACHE_DIR when unchanged); also "
                             "reports when the data is on screen")
    parser.add_argument("--whatif-gc", action="store_true",
                        help="what-if for the diagnosis: no cyclic GC during load, then gc.freeze() the loaded records")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    load_s = None

    if args.bare:
        from textual.app import App, ComposeResult
        from textual.widgets import Label

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Label("carnk-tui benchmark: one label")

        MARKS["imported"] = since()
        app: App = Bare()
    elif args.cli:
        from carnk_tui.ui.app import make_app
        from carnk_tui.kb.locations import bundled_data_dir

        MARKS["imported"] = since()
        app = make_app(None, **cli_options(make_app, args.data or [str(bundled_data_dir())], args.lang))
    else:
        from carnk_tui.ui.app import make_app
        from carnk_tui.kb.loader import load
        from carnk_tui.kb.locations import bundled_data_dir

        MARKS["imported"] = since()
        start = time.perf_counter()
        if args.whatif_gc:
            import gc

            gc.disable()
        kb = load(args.data or [bundled_data_dir()])
        if args.whatif_gc:
            gc.freeze()
            gc.enable()
        load_s = time.perf_counter() - start
        MARKS["loaded"] = since()
        if args.whatif_landscape_only:
            from carnk_tui.ui.screens import main as main_screen

            main_screen.TABS = {"landscape": main_screen.TABS["landscape"]}  # this process only
        app = make_app(kb, **cli_options(make_app, args.data or [str(bundled_data_dir())], args.lang))
    MARKS["app_built"] = since()

    async def run() -> None:
        async with app.run_test(headless=True, size=(cols, rows)) as pilot:
            MARKS["ready"] = since()
            if args.cli:
                # the loading screen's frame: the refresh after start-up (the knowledge base loads meanwhile)
                app.call_after_refresh(lambda: MARKS.setdefault("first_frame", since()))
                await pilot.pause()  # the first refresh starts the loading worker
                # the data is handed to the app (its search index may follow)
                while getattr(app, "kb", None) is None and app.return_code is None:
                    await pilot.pause(0.005)
                # the screen has refreshed once the data was handed over ...
                app.call_after_refresh(lambda: (MARKS.setdefault("data_drawn", since()),
                                                CPU.setdefault("data_drawn", time.process_time())))
                while "data_drawn" not in MARKS and app.return_code is None:
                    await pilot.pause(0.005)
                # ... and Pilot's pause() has returned: it waits until the process's CPU time stops advancing,
                # for at most a second (the search index is built in a thread once the data is drawn: 1-2 s of
                # CPU at 10,000 products, so this mark is usually "data_drawn" + that second)
                await pilot.pause()  # the explorer is composed and drawn
                MARKS["data_shown"] = since()
                CPU["data_shown"] = time.process_time()
                await app.workers.wait_for_complete()
                await pilot.pause()
            else:
                await pilot.pause()
                MARKS["first_frame"] = since()
                CPU["first_frame"] = time.process_time()

    asyncio.run(run())
    MARKS["exited"] = since()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    json.dump({"first_frame_s": MARKS["first_frame"], "load_s": load_s, "maxrss_mb": peak_kb / 1024,
               "vmhwm_mb": proc_status_mb("VmHWM"),
               "marks": MARKS, "cpu": CPU, "t0_from_parent": "BENCH_T0_NS" in os.environ}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
