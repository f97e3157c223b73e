"""Child program for the interaction benchmarks: tree expansion, search and filter latency.

    python benchmarks/interact.py --data DIR [--repeat R]

Loads the knowledge base, starts the real app headless (``make_app`` under ``run_test``) and,
in that Pilot session, times:

* camp expansion: the first expansion of a camp node in the Landscape tree (``CampTree``),
  i.e. ``node.expand()`` -> ``NodeExpanded`` -> ``CampTree.fill`` adds one child per company ->
  the tree is laid out and the next frame is composed (``pilot.pause()``). Between repeats the
  tree is rebuilt (untimed) so every timed expansion is a first one.
* company expansion: the same for company nodes (products and the deals group).
* cursor move: one ``down`` key in the expanded tree (the detail pane redraws the record; when it
  waits for the cursor to stop moving, the figure runs until it has drawn it).
* cursor held down: ten ``down`` keys sent 33 ms apart from another thread (a terminal repeating a
  held key), until the detail shows where the cursor stopped; CPU time per move.
* pause overhead: ``pilot.pause()`` with nothing to do, the floor under the figures above.
  Timing starts once the app's workers (the search index) have finished.
* search per keystroke: ``carnk_tui.views.search`` when it exists (its API is discovered, see
  `probe_search`); otherwise ``"not built yet"``. As a proxy, the only lookup that exists,
  ``landscape_tree.find`` (the ``--open`` lookup), is timed per keystroke too.
* filter: setting ``MainScreen.filters`` (what the filter dialog does when it closes) with a
  camp open, to the next frame; and ``Filters(...).products(kb)`` alone. ``"not built yet"``
  when ``carnk_tui.views.filters`` does not exist.
* search in the UI: the search key opens the search screen (timed), then each typed key to
  the next frame.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import inspect
import json
import statistics
import sys
import time
from typing import Any
from collections.abc import Callable

#: what a reader would type, one prefix per keystroke
QUERIES = ["cd19", "robo1", "nkg2d", "bcma", "her2", "nova", "helix bio", "骨髓瘤", "华", "狼疮", "phase", "NCT1000"]


def summary(samples: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in samples)
    if not ms:
        return {"n": 0}
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"n": len(ms), "p50_ms": statistics.median(ms), "p95_ms": p95, "max_ms": ms[-1], "min_ms": ms[0]}


def keystrokes() -> list[str]:
    return [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]


# ------------------------------------------------------------------ search
def probe_search(kb: Any, lang: str) -> dict[str, Any]:
    """Time carnk_tui.views.search per keystroke if it exists, trying the likely shapes of its API."""
    if importlib.util.find_spec("carnk_tui.views.search") is None:
        return {"status": "not built yet", "detail": "carnk_tui/views/search.py does not exist"}
    try:
        mod = importlib.import_module("carnk_tui.views.search")
    except Exception as exc:
        return {"status": "error", "detail": f"import carnk_tui.views.search failed: {exc!r}"}
    query, how, build_s = _discover(mod, kb, lang)
    if query is None:
        names = sorted(n for n in dir(mod) if not n.startswith("_"))
        return {"status": "API not recognised", "detail": f"carnk_tui.views.search exposes {names}; "
                "teach benchmarks/interact.py:_discover how to call it"}
    times = []
    hits = 0
    for text in keystrokes():
        start = time.perf_counter()
        found = query(text)
        times.append(time.perf_counter() - start)
        try:
            hits += len(found)  # type: ignore[arg-type]
        except TypeError:
            hits += found is not None
    return {"status": "measured", "how": how, "index_build_ms": build_s * 1000, "hits": hits, **summary(times)}


def _discover(mod: Any, kb: Any, lang: str) -> tuple[Callable[[str], Any] | None, str, float]:
    methods = ("search", "query", "find", "match", "lookup")

    def call_variants(fn: Callable[..., Any]) -> Callable[[str], Any] | None:
        for variant in (lambda q: fn(q), lambda q: fn(q, lang), lambda q: fn(q, lang=lang)):
            try:
                variant("cd19")
                return variant
            except TypeError:
                continue
        return None

    # an index object built from the knowledge base
    for name, obj in vars(mod).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
            continue
        builders: list[tuple[str, Callable[[], Any]]] = []
        if inspect.isclass(obj):
            builders.extend((f"{name}.{ctor}(kb)", lambda o=obj, c=ctor: getattr(o, c)(kb))
                            for ctor in ("build", "from_kb", "create") if callable(getattr(obj, ctor, None)))
            builders.append((f"{name}(kb)", lambda o=obj: o(kb)))
        elif callable(obj) and ("index" in name.lower() or name.startswith("build")):
            builders.append((f"{name}(kb)", lambda o=obj: o(kb)))
        for label, build in builders:
            try:
                start = time.perf_counter()
                index = build()
                built = time.perf_counter() - start
            except Exception:
                continue
            for method in methods:
                fn = getattr(index, method, None)
                if callable(fn):
                    query = call_variants(fn)
                    if query is not None:
                        return query, f"{label}.{method}(text)", built
    # a module-level function taking the knowledge base
    for method in methods:
        fn = getattr(mod, method, None)
        if callable(fn):
            for variant in (lambda q, f=fn: f(q, kb), lambda q, f=fn: f(kb, q), lambda q, f=fn: f(q, kb, lang),
                            lambda q, f=fn: f(kb, q, lang)):
                try:
                    variant("cd19")
                    return variant, f"search.{method}(...)", 0.0
                except (TypeError, AttributeError):
                    continue
    return None, "", 0.0


def probe_find(kb: Any) -> dict[str, Any]:
    """The existing lookup (landscape_tree.find, used by --open), timed per keystroke as a proxy."""
    from carnk_tui.views.landscape_tree import find

    times = []
    for text in keystrokes():
        start = time.perf_counter()
        find(text, kb)
        times.append(time.perf_counter() - start)
    return {"status": "measured", "how": "landscape_tree.find(text, kb)", **summary(times)}


def probe_filter(kb: Any) -> dict[str, Any]:
    """The filter's data side alone: which products pass (carnk_tui.views.filters.Filters.products)."""
    try:
        from carnk_tui.views.filters import Filters
    except ImportError:
        return {"status": "not built yet", "detail": "no carnk_tui.views.filters.Filters"}
    times = []
    try:
        for fields in ({"target": "CD19"}, {"stage": "phase-1"}, {"area": "autoimmune"}, {"cell_source": "ipsc"}) * 3:
            start = time.perf_counter()
            Filters(**fields).products(kb)
            times.append(time.perf_counter() - start)
    except Exception as exc:
        return {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
    return {"status": "measured", "how": "Filters(...).products(kb)", **summary(times)}


# ------------------------------------------------------------------ the Pilot session
#: typed into the search screen, one key at a time (a subset of QUERIES: a Pilot key costs a frame)
UI_QUERIES = ["cd19", "robo1", "nova", "骨髓瘤", "nkg2d"]


def _guard(name: str, out: dict[str, Any]):
    """Record a probe's exception instead of losing the whole session (the app is being built)."""

    class Guard:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind, exc, tb) -> bool:
            if exc is not None:
                out[name] = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
            return True

    return Guard()


class Samples:
    """Wall-clock and CPU time of repeated interactions.

    Wall time through Pilot includes Textual's idle detection (``wait_for_idle`` sleeps at least
    20 ms per ``pilot.pause()``, and ``pilot.press`` adds two more waits), so it overstates what a
    user waits for. The process's CPU time over the same span is the app's own work (it is single-
    threaded; sleeping costs nothing), which is what a real terminal shows after at most one frame
    tick (1/60 s). Targets are judged on CPU time; both are reported.
    """

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def result(self, **extra: Any) -> dict[str, Any]:
        cpu = summary(self.cpu)
        wall = summary(self.wall)
        return {"status": "measured", **cpu, "wall": wall, **extra}


async def _settled(pilot: Any) -> None:
    """Wait until the Landscape's detail shows the record under the cursor: it may wait for the cursor to
    stop (`LandscapePane.detail_settled`), and a figure that stopped before it would leave its drawing out."""
    from textual.css.query import NoMatches

    try:
        pane = pilot.app.screen.query_one("#landscape-pane")
    except NoMatches:
        return
    if getattr(pane, "detail_pending", False):
        await pane.detail_settled()
        await pilot.pause()


async def _repeat_key(pilot: Any, key: str, times: int, interval: float) -> None:
    """Keys sent as a terminal repeats a held key: from another thread, `interval` apart whatever the app is
    doing (Pilot's `press` waits for the app to go idle after each key, which no terminal does)."""
    from textual import events

    app, loop = pilot.app, asyncio.get_running_loop()

    def terminal() -> None:
        for _ in range(times):
            loop.call_soon_threadsafe(app.post_message, events.Key(key, None))
            time.sleep(interval)

    await asyncio.to_thread(terminal)


async def _timed(pilot: Any, action: Callable[[], Any], samples: Samples) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    if inspect.isawaitable(result):
        await result
    await pilot.pause()
    await _settled(pilot)
    samples.wall.append(time.perf_counter() - wall)
    samples.cpu.append(time.process_time() - cpu)


async def session(kb: Any, dirs: list[str], lang: str, repeat: int, size: tuple[int, int],
                  only: set[str] | None = None) -> dict[str, Any]:
    from carnk_tui.ui.app import make_app
    from carnk_tui.ui.widgets.landscape_tree import CampTree

    from first_frame import cli_options

    app = make_app(kb, **cli_options(make_app, dirs, lang))
    out: dict[str, Any] = {}
    async with app.run_test(headless=True, size=size) as pilot:
        await pilot.pause()
        # the search index is built in a worker once the data is drawn: measured alongside, its CPU time
        # (process time counts every thread) would land in whichever samples it overlaps
        await app.workers.wait_for_complete()
        await pilot.pause()
        main_screen = app.screen
        tree = app.query_one(CampTree)
        tree.focus()

        floor = Samples()
        for _ in range(repeat):
            await _timed(pilot, lambda: None, floor)
        out["pause_overhead"] = floor.result()

        if not only or "camp_expand" in only:
            with _guard("camp_expand", out):
                camp_times, camp_children = Samples(), []
                for i in range(repeat):
                    tree.rebuild(kb, tree.lang)
                    await pilot.pause()
                    node = tree.root.children[i % len(tree.root.children)]
                    await _timed(pilot, node.expand, camp_times)
                    camp_children.append(len(node.children))
                out["camp_expand"] = camp_times.result(children=max(camp_children))

        camp = tree.root.children[(repeat - 1) % len(tree.root.children)]
        if not camp.is_expanded:  # (camp_expand left out by --only: the same camp open as after it)
            camp.expand()
            await pilot.pause()
        if not only or "company_expand" in only:
            with _guard("company_expand", out):
                # the companies of the expanded camp with the most products first
                companies = sorted((n for n in camp.children if n.allow_expand),
                                   key=lambda n: -len(kb.products_of(n.data)))[: max(1, repeat)]
                comp_times, comp_children = Samples(), []
                for node in companies:
                    tree.move_cursor(node)
                    await pilot.pause()
                    await _timed(pilot, node.expand, comp_times)
                    comp_children.append(len(node.children))
                out["company_expand"] = comp_times.result(children=max(comp_children or [0]))

        if not only or "cursor_down" in only:
            with _guard("cursor_down", out):
                tree.move_cursor(camp)
                await pilot.pause()
                moves = Samples()
                for _ in range(repeat):
                    await _timed(pilot, lambda: pilot.press("down"), moves)
                out["cursor_down"] = moves.result()

        if not only or "cursor_hold" in only:
            with _guard("cursor_hold", out):
                # a key held down: the terminal repeats it about 30 times a second; each sample is the CPU time
                # per move of 10 such moves, until the detail shows where the cursor stopped
                tree.move_cursor(camp)
                await pilot.pause()
                await _settled(pilot)
                held = Samples()
                for _ in range(max(3, repeat // 3)):
                    wall, cpu = time.perf_counter(), time.process_time()
                    await _repeat_key(pilot, "down", 10, 0.033)
                    await pilot.pause()
                    await _settled(pilot)
                    held.wall.append((time.perf_counter() - wall) / 10)
                    held.cpu.append((time.process_time() - cpu) / 10)
                out["cursor_hold"] = held.result(how="10 x down sent 33 ms apart from another thread (a key held "
                                                      "down), until the detail settles; per move")

        if not only or "filter_ui" in only:
            with _guard("filter_ui", out):
                out["filter_ui"] = await _filter_ui(pilot, main_screen, kb)

        if not only or "search_ui" in only:
            with _guard("search_ui", out):
                out["search_ui"] = await _search_ui(pilot, main_screen)
    return out


async def _filter_ui(pilot: Any, main_screen: Any, kb: Any) -> dict[str, Any]:
    """Set the main screen's filters (what the filter dialog does when it closes) and wait for the frame."""
    try:
        from carnk_tui.views.filters import Filters
    except ImportError:
        return {"status": "not built yet", "detail": "no carnk_tui.views.filters.Filters"}
    if not hasattr(main_screen, "filters"):
        return {"status": "not built yet", "detail": "MainScreen has no `filters`"}
    china = next((c.id for c in kb.camps if "china" in c.id), kb.camps[-1].id)
    choices = [{"target": "CD19"}, {"stage": "phase-1"}, {"camp": china}, {"area": "autoimmune"},
               {"cell_source": "ipsc"}, {"target": "CD19", "stage": "phase-1"}, {}]
    times = Samples()
    for fields in choices * 2:
        filters = Filters(**fields)
        await _timed(pilot, lambda f=filters: setattr(main_screen, "filters", f), times)
    return times.result(how="MainScreen.filters = Filters(...) with a camp open, then the next frame")


async def _search_ui(pilot: Any, main_screen: Any) -> dict[str, Any]:
    """Open the search screen by its key and type, timing each key to the next frame."""
    binding = next((b for b in getattr(type(main_screen), "BINDINGS", [])
                    if "search" in str(getattr(b, "action", ""))), None)
    if binding is None:
        return {"status": "not built yet", "detail": "no search binding on the main screen"}
    key = binding.key.split(",")[0]
    opening = Samples()
    await _timed(pilot, lambda: pilot.press(key), opening)
    screen = pilot.app.screen
    if screen is main_screen:
        return {"status": "error", "detail": f"pressing {key!r} did not open a screen"}
    from textual.widgets import Input

    field = screen.query_one(Input)
    times = Samples()
    for query in UI_QUERIES:
        field.value = ""
        await pilot.pause()
        for char in query:
            await _timed(pilot, lambda c=char: pilot.press(c), times)
    await pilot.press("escape")
    await pilot.pause()
    return times.result(how=f"press {key!r}, then type {UI_QUERIES} one key at a time",
                        open_cpu_ms=opening.cpu[0] * 1000, open_wall_ms=opening.wall[0] * 1000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", required=True, help="knowledge base directory (repeatable)")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    parser.add_argument("--only", action="append", default=[], metavar="PROBE",
                        help="run only these probes of the Pilot session (repeatable): camp_expand, company_expand, "
                             "cursor_down, cursor_hold, filter_ui, search_ui (the pause floor always runs)")
    parser.add_argument("--whatif-gc", action="store_true",
                        help="what-if for the diagnosis: gc off during the load, then gc.freeze() the loaded records")
    parser.add_argument("--whatif-gc-threshold", type=int, default=0, metavar="N",
                        help="what-if for the diagnosis: the collector's first threshold N (Python's default 700) "
                             "during the session, so that full collections come far less often")
    args = parser.parse_args()
    from carnk_tui.kb.loader import load

    if args.whatif_gc:
        import gc

        gc.disable()
    kb = load(args.data)
    if args.whatif_gc:
        gc.freeze()
        gc.enable()
    if args.whatif_gc_threshold:
        import gc

        gc.set_threshold(args.whatif_gc_threshold, 10, 10)
    result: dict[str, Any] = {"counts": kb.counts()}
    result.update(asyncio.run(session(kb, args.data, args.lang, args.repeat, (120, 40), set(args.only))))
    if not args.only:
        result["search"] = probe_search(kb, args.lang)
        result["search_proxy_find"] = probe_find(kb)
        result["filter_data"] = probe_filter(kb)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
