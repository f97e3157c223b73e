"""The search index alone: build time, memory and lookups per keystroke.

    python benchmarks/search_index.py --data DIR [--module PATH] [--repeat R]

Loads the knowledge base (through the cache, as the app does), then in this process:

* build: CPU time of `SearchIndex(kb)` (the app builds it in a worker after the data is drawn);
* memory: VmRSS before and after the build, and VmHWM (peak) during it;
* lookups: CPU time of `search(prefix, limit=30)` for every prefix of every query, in the order they
  are typed (what each keystroke in the search screen asks), each the best of R runs of the whole
  sequence; p50, p95 and max, and the slowest queries.

`--module PATH` times another implementation of `carnk_tui/views/search.py` (a copy of an older
version, say) instead of the installed one, for before/after pairs: run the two one after the other
in the same minute, on a busy machine several times. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's carnk_tui
from procstat import proc_status_mb

#: typed one key at a time: common and rare, English and Chinese, one and two letters, across words,
#: registry numbers, letters in order, and nothing at all
QUERIES = ["cd19", "robo1", "nkg2d", "bcma", "her2", "nova", "helix bio", "骨髓瘤", "华", "狼疮", "phase", "NCT1000",
           "cd19 b", "zzzq", "癫痫", "ft96", "il-15", "car-nk", "自身免疫", "solid tum", "xq"]


def summary(samples: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, max(0, round(0.95 * len(ms)) - 1))]
    return {"n": len(ms), "p50_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ms[-1], 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", required=True, help="knowledge base directory (repeatable)")
    parser.add_argument("--module", help="a file to time instead of carnk_tui/views/search.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from carnk_tui.kb.cache import load_cached

    kb = load_cached(args.data)
    gc.collect()
    gc.freeze()  # as the app does once the data is there
    if args.module:
        spec = importlib.util.spec_from_file_location("search_under_test", args.module)
        assert spec is not None and spec.loader is not None
        search = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = search
        spec.loader.exec_module(search)
    else:
        from carnk_tui.views import search
    rss_before = proc_status_mb("VmRSS") or 0.0
    start = time.process_time()
    index = search.SearchIndex(kb)
    build = time.process_time() - start
    rss_after = proc_status_mb("VmRSS") or 0.0
    gc.collect()
    tracked_by_gc = len(gc.get_objects())  # (the knowledge base is frozen: this is mostly what the index added)
    typed = [query[:i] for query in QUERIES for i in range(1, len(query) + 1)]
    best = [float("inf")] * len(typed)
    for _ in range(args.repeat):  # the whole sequence again (an index may keep what the last keystroke found)
        for i, query in enumerate(typed):
            start = time.process_time()
            index.search(query, limit=30)
            best[i] = min(best[i], time.process_time() - start)
    times = best
    slowest = list(zip(best, typed, strict=True))
    slowest.sort(reverse=True)
    result = {
        "module": args.module or "carnk_tui.views.search",
        "build_cpu_s": round(build, 3),
        "rss_added_mb": round(rss_after - rss_before, 1),
        "rss_after_mb": round(rss_after, 1),
        "peak_rss_mb": proc_status_mb("VmHWM"),
        "gc_tracked_objects_after": tracked_by_gc,
        "lookup": summary(times),
        "slowest": [(q, round(t * 1000, 1)) for t, q in slowest[:6]],
    }
    json.dump(result, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
