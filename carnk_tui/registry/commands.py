"""What `carnk-tui import ctgov` and `carnk-tui diff` do; `carnk_tui.cli` only parses their options."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import yaml

from carnk_tui.registry import changes as ch
from carnk_tui.registry import ctgov, store
from carnk_tui.registry.changes import Snapshot

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def valid_date(value: str | None) -> bool:
    if value is None:
        return True
    if not _DATE.match(value):
        return False
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def run_import(files: list[Path], query: str | None, max_studies: int, out: Path, as_of: str | None,
               kb_dirs: list[Path], add: bool, err: TextIO | None = None) -> int:
    from carnk_tui.registry.fetch import FetchError, fetch
    from carnk_tui.registry.importer import import_studies

    err = err or sys.stderr

    if not valid_date(as_of):
        print(f"carnk-tui: --as-of {as_of!r} is not a date (YYYY-MM-DD)", file=err)
        return EXIT_USAGE
    if bool(files) == bool(query):
        print("carnk-tui: give the downloaded FILE(s), or --query TEXT to download from the registry", file=err)
        return EXIT_USAGE
    if max_studies < 1:
        print("carnk-tui: --max must be at least 1", file=err)
        return EXIT_USAGE
    try:
        if query:
            print(f"asking ClinicalTrials.gov for {query!r} (at most {max_studies} studies)...", file=err)
            studies = fetch(query, max_studies, as_of, progress=lambda n: print(f"  {n} studies", file=err))
            names = [f"query: {query}"]
        else:
            studies = ctgov.read_files(files, as_of)
            names = [str(f) for f in files]
        if not studies:
            print(f"carnk-tui: no studies in {', '.join(names)}; nothing was written ({out} is as it was)", file=err)
            return EXIT_INVALID
        report = import_studies(studies, out, kb_dirs, names, add=add)
    except ctgov.RegistryInputError as error:
        for line in error.lines():
            print(line, file=err)
        print(f"{len(error.problems)} problem(s) found; nothing was written ({out} is as it was).", file=err)
        return EXIT_INVALID
    except (FetchError, store.StoreError) as error:
        print(f"carnk-tui: {error}", file=err)
        return EXIT_INVALID
    print(f"imported {report.studies} studies into {report.directory}: {report.on_curated_trials} on curated trials, "
          f"{report.with_products} naming a known product, {report.with_company} sponsored by a known company, "
          f"{report.sponsors} other sponsors", file=err)
    if not report.first_import:
        print(f"{len(report.changes)} change(s) since the previous import", file=err)
    return EXIT_OK


# ------------------------------------------------------------------ diff
def snapshots(path: Path, as_of: str | None) -> list[Snapshot]:
    """The studies of a download (a file) or of a knowledge-base or registry directory."""
    if path.is_dir():
        return _directory_snapshots(path)
    return [Snapshot(s.registry_id, s.as_of, s.title, s.status, s.phase, s.enrollment)
            for s in ctgov.read_files([path], as_of)]


def _directory_snapshots(directory: Path) -> list[Snapshot]:
    from carnk_tui.kb.loader import yaml_files

    found: dict[str, Snapshot] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for file in yaml_files(directory):
        try:
            data: Any = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise store.StoreError(f"{file}: cannot be read ({error})") from None
        if not isinstance(data, dict):
            continue
        for section in ("registry_studies", "trials"):
            for entry in data.get(section) or ():
                registry = entry.get("registry") if isinstance(entry, dict) else None
                if isinstance(registry, dict) and isinstance(registry.get("registry_id"), str):
                    found[registry["registry_id"]] = store.snapshot(registry)
    return list(found.values())


def run_diff(old: Path, new: Path, fmt: str, word: Callable[[str, str | None], str], as_of_old: str | None = None,
             as_of_new: str | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the changes from OLD to NEW; `word(kind, value)` is the reader's word for a value."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        before = snapshots(old, as_of_old)
        after = snapshots(new, as_of_new)
    except ctgov.RegistryInputError as error:
        for line in error.lines():
            print(line, file=err)
        return EXIT_INVALID
    except store.StoreError as error:
        print(f"carnk-tui: {error}", file=err)
        return EXIT_INVALID
    found = ch.compare(before, after)
    out.write(ch.render(found, fmt, word))
    return EXIT_OK

