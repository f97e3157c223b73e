"""The two YAML parsers and incremental loading, timed on one base (best of N runs of each figure).

    python benchmarks/parsers.py --data DIR [--repeat 3] [--json FILE]

Figures, for the reference parser (PyYAML on libyaml) and the fast one (rapidyaml, when installed):

- parse: every file read as the loader's first pass reads it (``read_yaml(file, track=2)``), in
  this process, the cyclic garbage collector off as the loader has it;
- load: ``loader.load`` (parse, convert, check across records);
- validate: the whole ``python -m carnk_tui validate DIR`` process, wall time; and its CPU time (its
  worker processes included: the judge on a shared machine);
- worker reads (fast parser only): the CPU time of reading every file of a megabyte or more as the
  worker processes read them (``parallel.read_in_worker``, one kept rapidyaml tree), in this process;
- reload after editing one file: ``load(dirs, memo)`` after a valid load with the same `FileCache`,
  one products file edited (its first product renamed); beside it, a full load of the edited base.

The base is copied to a temporary directory first (it is edited). Prints a table and the ratios.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carnk_tui.kb import loader  # noqa: E402
from carnk_tui.kb.cache import FileCache  # noqa: E402
from carnk_tui.kb.yaml_reader import PARSER_ENV, read_yaml  # noqa: E402


def best(repeat: int, run: Callable[[], object], before: Callable[[], object] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times)


def parse_all(files: list[Path]) -> None:
    for file in files:
        doc, problems = read_yaml(file, track=loader.RECORD_LINES)
        assert doc is not None, problems


def validate(data: Path, cpu: list[float] | None = None) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "carnk_tui", "validate", str(data)], env=env,
                          capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if cpu is not None:  # (its worker processes are its children: waited for, so counted here)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def worker_reads(files: list[Path]) -> float:
    """CPU time of reading the large files as the worker processes read them (fresh memory for the tree)."""
    from carnk_tui.kb import fast_reader, parallel

    large = [f for f in files if f.stat().st_size >= parallel.MIN_BYTES]
    scratch = fast_reader.Scratch()
    start = time.process_time()
    for file in large:
        assert parallel.read_in_worker(str(file), scratch) is not None, file
    return time.process_time() - start


def edit_one(file: Path, counter: list[int]) -> None:
    """Rename the file's first product (a different name each time: the file always changes)."""
    text = file.read_text(encoding="utf-8")
    marker = '    name: "'
    at = text.index(marker) + len(marker)
    end = text.index('"', at)
    counter[0] += 1
    file.write_text(text[:at] + f"Edited {counter[0]}" + text[end:], encoding="utf-8")


def reload_one(repeat: int, data: Path, products: Path, counter: list[int]) -> tuple[float, int]:
    """Best time of `load(dirs, memo)` after editing one file, and how many files were parsed in all."""
    memo = FileCache()
    loader.load([data], memo)
    reads: list[str] = []
    real = loader.read_yaml

    def counting(file: Path, *a: object, **k: object):  # type: ignore[no-untyped-def]
        reads.append(file.name)
        return real(file, *a, **k)  # type: ignore[arg-type]

    loader.read_yaml = counting  # type: ignore[assignment]
    try:
        seconds = best(repeat, lambda: loader.load([data], memo), before=lambda: edit_one(products, counter))
    finally:
        loader.read_yaml = real  # type: ignore[assignment]
    return seconds, len(reads)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from carnk_tui.kb import fast_reader

    parsers = ["reference", *(["fast"] if fast_reader.available() else [])]
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "kb"
        shutil.copytree(args.data, data)
        files = loader.yaml_files(data)
        products = next((f for f in files if f.name.startswith("products")), files[-1])
        size = sum(f.stat().st_size for f in files)
        print(f"{data}: {len(files)} files, {size / 1e6:.1f} MB; edited file {products.name} "
              f"({products.stat().st_size / 1e6:.1f} MB); best of {args.repeat}", flush=True)
        counter = [0]
        for name in parsers:
            os.environ[PARSER_ENV] = name
            row = results.setdefault(name, {})
            row["parse_s"] = best(args.repeat, lambda: parse_all(files))
            row["load_s"] = best(args.repeat, lambda: loader.load([data]))
            cpu: list[float] = []
            row["validate_s"] = best(args.repeat, lambda cpu=cpu: validate(data, cpu))  # type: ignore[misc]
            row["validate_cpu_s"] = min(cpu)
            if name == "fast":
                row["worker_reads_cpu_s"] = min(worker_reads(files) for _ in range(args.repeat))
            row["reload_one_s"], reads = reload_one(args.repeat, data, products, counter)
            row["files_read_per_reload"] = reads / args.repeat
            row["full_load_after_edit_s"] = best(args.repeat, lambda: loader.load([data]),
                                                 before=lambda: edit_one(products, counter))
            print(name, json.dumps(row), flush=True)
    print()
    print("| figure | " + " | ".join(parsers) + (" | reference / fast |" if len(parsers) == 2 else " |"))
    print("|---|" + "---|" * (len(parsers) + (len(parsers) == 2)))
    for key in ("parse_s", "load_s", "validate_s", "validate_cpu_s", "reload_one_s", "full_load_after_edit_s",
                "worker_reads_cpu_s"):
        if any(key not in results[p] for p in parsers):
            print(f"| {key} (fast only) | " + " | ".join(f"{results[p].get(key, float('nan')):.2f} s" for p in parsers)
                  + (" | |" if len(parsers) == 2 else " |"))
            continue
        cells = [f"{results[p][key]:.2f} s" for p in parsers]
        ratio = [f"{results['reference'][key] / results['fast'][key]:.1f}x"] if len(parsers) == 2 else []
        print(f"| {key} | " + " | ".join(cells + ratio) + " |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
