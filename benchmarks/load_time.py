"""Child program: time ``carnk_tui.kb.loader.load`` once in a fresh process, optionally profiled.

    python benchmarks/load_time.py --data DIR [--gc on|off|freeze] [--profile N]

``--whatif-cache`` also times what a validated cache would cost on the next start: the
fingerprint of the data files (``loader.stamp`` when it exists), and msgspec's MessagePack
encoding of the loaded ``KnowledgeBase`` and its typed decoding (checked equal), with the
garbage collector on and off during the decode.
``--gc off`` disables the cyclic garbage collector for the load (a what-if for the diagnosis);
``--profile N`` runs the load under cProfile and reports the N functions with the most own
time and the N with the most cumulative time. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import resource
import sys
import time

from procstat import proc_status_mb  # benchmarks/ is on the path: this file runs as a script


def top(stats: pstats.Stats, key: str, n: int) -> list[dict[str, object]]:
    rows = []
    stats.sort_stats(key)
    for func in stats.fcn_list[:n]:  # type: ignore[attr-defined]
        _cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
        file, line, name = func
        short = file
        for marker in ("/carnk_tui/", "/site-packages/", "/lib/python3"):
            if marker in file:
                short = file[file.index(marker) + 1:]
                break
        rows.append({"function": f"{short}:{line}({name})", "calls": nc, "own_s": tt, "cum_s": ct})
    return rows


def whatif_cache(kb: object, dirs: list[str]) -> dict[str, object]:
    import msgspec

    from carnk_tui.kb import loader
    from carnk_tui.kb.knowledge_base import KnowledgeBase

    out: dict[str, object] = {}
    if hasattr(loader, "stamp"):
        start = time.perf_counter()
        loader.stamp(dirs)
        out["stamp_s"] = time.perf_counter() - start
    start = time.perf_counter()
    blob = msgspec.msgpack.encode(kb)
    out["encode_s"] = time.perf_counter() - start
    out["bytes"] = len(blob)
    decoder = msgspec.msgpack.Decoder(KnowledgeBase)
    start = time.perf_counter()
    again = decoder.decode(blob)
    out["decode_s"] = time.perf_counter() - start
    out["equal"] = again == kb and again.origins == kb.origins  # type: ignore[attr-defined]
    del again
    gc.collect()
    gc.disable()
    start = time.perf_counter()
    decoder.decode(blob)
    out["decode_gc_off_s"] = time.perf_counter() - start
    gc.enable()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", required=True)
    parser.add_argument("--gc", choices=("on", "off"), default="on")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--whatif-cache", action="store_true")
    args = parser.parse_args()
    from carnk_tui.kb.loader import load

    if args.gc == "off":
        gc.disable()
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    kb = load(args.data)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - start
    out: dict[str, object] = {"load_s": elapsed, "gc": args.gc, "counts": kb.counts(),
                              "gc_collections": [s["collections"] for s in gc.get_stats()],
                              "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    out["rss_after_load_mb"] = proc_status_mb("VmRSS")
    gc.collect()
    out["rss_after_load_and_collect_mb"] = proc_status_mb("VmRSS")
    out["vmhwm_mb"] = proc_status_mb("VmHWM")
    if args.whatif_cache:
        out["cache"] = whatif_cache(kb, args.data)
    if profiler:
        stats = pstats.Stats(profiler, stream=io.StringIO())
        out["profiled"] = True
        out["top_own"] = top(stats, "tottime", args.profile)
        out["top_cum"] = top(stats, "cumulative", args.profile)
    json.dump(out, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
