"""How long `carnk-tui import ctgov` takes for N studies, as a ratio to `json.load` of the same file.

    python benchmarks/import_ctgov.py [--studies 10000] [--repeat 3] [--write]

Generates an API v2 page of N studies (every module an import reads, with realistic variety), then
times, each the best of --repeat runs in this process: json.load of the file; reading it into studies;
the whole import (reading, linking to the bundled knowledge base, writing the registry directory, and
validating the result with the loader before swapping it in); then what the app pays for them: loading
the bundled knowledge base with the registry directory (no cache), and building the search index.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.registry import ctgov
from carnk_tui.registry.importer import import_studies
from carnk_tui.views.search import SearchIndex

STATUSES = ["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "TERMINATED", "UNKNOWN",
            "WITHDRAWN", "SUSPENDED", "ENROLLING_BY_INVITATION"]
PHASES = [["PHASE1"], ["PHASE1", "PHASE2"], ["EARLY_PHASE1"], ["PHASE2"], ["NA"], []]
CLASSES = ["INDUSTRY", "OTHER", "NIH", "OTHER_GOV", "NETWORK"]
COUNTRIES = ["China", "United States", "Germany", "Japan", "Korea, Republic of", "France", "Spain", "Singapore"]
TARGETS = ["CD19", "BCMA", "CD33", "NKG2D", "CD70", "ROBO1", "CLDN6", "TROP2", "5T4", "MUC1", "CD7", "CD123"]


def study(i: int, rng: random.Random) -> dict:
    target = rng.choice(TARGETS)
    year = rng.randint(2009, 2026)
    return {
        "protocolSection": {
            "identificationModule": {"nctId": f"NCT{10_000_000 + i:08d}",
                                     "briefTitle": f"{target} CAR-NK cells in study {i}"},
            "statusModule": {"overallStatus": rng.choice(STATUSES),
                             "startDateStruct": {"date": f"{year}-{rng.randint(1, 12):02d}", "type": "ACTUAL"},
                             "completionDateStruct": {"date": f"{year + 3}-12", "type": "ESTIMATED"},
                             "studyFirstPostDateStruct": {"date": f"{year}-01-{rng.randint(1, 28):02d}",
                                                          "type": "ACTUAL"}},
            "sponsorCollaboratorsModule": {
                "leadSponsor": {"name": f"Sponsor {rng.randint(1, 800)} Hospital", "class": rng.choice(CLASSES)},
                "collaborators": [{"name": f"Partner {rng.randint(1, 300)}", "class": "INDUSTRY"}]
                if rng.random() < 0.3 else []},
            "conditionsModule": {"conditions": [f"Condition {rng.randint(1, 200)}" for _ in range(rng.randint(1, 4))]},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": rng.choice(PHASES),
                             "enrollmentInfo": {"count": rng.randint(3, 200),
                                                "type": rng.choice(["ACTUAL", "ESTIMATED"])}},
            "armsInterventionsModule": {"interventions": [
                {"type": "BIOLOGICAL", "name": f"anti-{target} CAR-NK cells"},
                {"type": "DRUG", "name": "Fludarabine"}, {"type": "DRUG", "name": "Cyclophosphamide"}]},
            "contactsLocationsModule": {"locations": [
                {"facility": f"Site {k}", "city": "City", "country": rng.choice(COUNTRIES)}
                for k in range(rng.randint(1, 5))]},
        },
        "hasResults": rng.random() < 0.1,
    }


def best(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true",
                        help="also put the figures in benchmarks/RESULTS.md (its registry section)")
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "studies.json"
        file.write_text(json.dumps({"studies": [study(i, rng) for i in range(args.studies)]}), encoding="utf-8")
        size = file.stat().st_size

        def json_load() -> None:
            with file.open(encoding="utf-8") as handle:
                json.load(handle)

        def read() -> None:
            ctgov.read_files([file], "2026-11-26")

        def whole() -> None:
            import_studies(ctgov.read_files([file], "2026-11-26"), Path(tmp) / "registry", [bundled_data_dir()],
                           [str(file)])

        base = best(args.repeat, json_load)
        parsed = best(args.repeat, read)
        total = best(args.repeat, whole)
        loaded = best(args.repeat, lambda: load([bundled_data_dir(), Path(tmp) / "registry"]))
        kb = load([bundled_data_dir(), Path(tmp) / "registry"])
        indexed = best(args.repeat, lambda: SearchIndex(kb))
    lines = [
        f"{args.studies} studies, {size / 1e6:.1f} MB of JSON (best of {args.repeat})",
        f"json.load:          {base:8.3f} s  (1.0x)",
        f"read into studies:  {parsed:8.3f} s  ({parsed / base:.1f}x)",
        f"whole import:       {total:8.3f} s  ({total / base:.1f}x)  target: under 10 s "
        f"({'met' if total < 10 else 'NOT met'})",
        f"app: load with them {loaded:8.3f} s  (bundled knowledge base + registry directory, no cache)",
        f"app: search index   {indexed:8.3f} s",
    ]
    print("\n".join(lines))
    if args.write:
        write_section(lines)
    return 0


MARK_START, MARK_END = "<!-- import_ctgov.py: start -->", "<!-- import_ctgov.py: end -->"


def write_section(lines: list[str]) -> None:
    """Replace (or add) the registry-import section of RESULTS.md; the rest of the file is left alone."""
    results = Path(__file__).resolve().parent / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    when = time.strftime("%Y-%m-%d %H:%M")
    section = "\n".join([MARK_START, "## Registry import (`python benchmarks/import_ctgov.py --write`)", "",
                         f"Measured {when}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; a "
                         "generated API v2 page; times in seconds. On a busy machine the absolute times grow; the "
                         "ratio to json.load is the comparable figure.", "", "```", *lines, "```",
                         MARK_END])
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        text = before + section + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
