"""`carnk-tui import ctgov`: read downloads, link them to the knowledge base, write the registry directory.

Re-importing is an update: the directory then holds the new reading, and every change since the
previous one (status, phase, enrollment, studies added or removed) is added to its history with
both dates. Nothing is written unless every file reads cleanly and the result validates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carnk_tui.registry import records as rec
from carnk_tui.registry import store
from carnk_tui.registry.changes import Change, compare
from carnk_tui.registry.ctgov import Study


@dataclass
class Report:
    directory: Path
    studies: int
    sources: int
    sponsors: int
    with_products: int
    with_company: int
    on_curated_trials: int
    changes: list[Change] = field(default_factory=list)
    first_import: bool = True


def import_studies(studies: list[Study], out: Path, kb_dirs: list[Path], files: Iterable[str] = (),
                   add: bool = False) -> Report:
    """Write `studies` to the registry directory `out`, linked to the knowledge base in `kb_dirs`.

    `add` keeps the studies of the previous import that are not in `studies` (no "removed" changes).
    Raises KnowledgeBaseError (the knowledge base, or the result, does not validate) or StoreError.
    """
    from carnk_tui.kb.loader import load

    kb = load(kb_dirs) if kb_dirs else None
    context = rec.Context.of(kb)
    curated = {nct.upper() for trial in (kb.trials if kb else ()) for nct in trial.registry_ids}
    sections = store.read_sections(out)
    previous = sections.get("registry_studies", [])
    history = store.read_history(out)
    built = rec.build(studies, context)
    new_ids = {s.registry_id for s in studies}
    if add:
        kept = [entry for entry in previous if entry["registry"].get("registry_id") not in new_ids]
        _keep_previous(built, kept, sections)
    changes = compare((store.snapshot(e["registry"]) for e in previous),
                      (store.snapshot(e["registry"]) for e in built.studies))
    if add:
        changes = [c for c in changes if c.kind != "removed"]
    if previous or history.imports:
        history.changes.extend(changes)
    else:
        changes = []  # the first import: everything is new, nothing changed
    as_of = max((s.as_of for s in studies), default="")
    history.imports.append(store.ImportEntry(as_of=as_of, files=list(files), studies=len(built.studies),
                                             changes=len(changes)))
    content: dict[str, str | bytes] = {**store.render_records(built.sponsors, built.studies, built.sources),
                                       **store.render_changes(history),
                                       store.CHANGES_FILE: store.render_history(history)}

    def check(fresh: Path) -> None:
        if kb_dirs:
            load([*kb_dirs, fresh])  # raises KnowledgeBaseError: nothing is swapped in

    store.replace_dir(out, content, check)
    return Report(directory=out, studies=len(built.studies), sources=len(built.sources),
                  sponsors=len(built.sponsors), with_products=built.with_products, with_company=built.with_company,
                  on_curated_trials=sum(1 for s in studies if s.registry_id in curated), changes=changes,
                  first_import=not (previous or history.imports[:-1]))


def _keep_previous(built: rec.Built, kept: list[dict[str, Any]], sections: dict[str, Any]) -> None:
    """Add the previous import's studies in `kept`, with the sources and sponsors they cite."""
    if not kept:
        return
    wanted_sources = {s for entry in kept for s in entry.get("sources", ())}
    wanted_sponsors = {entry.get("sponsor") for entry in kept}
    have_sources = {s["id"] for s in built.sources}
    have_sponsors = {s["id"] for s in built.sponsors}
    for source in sections.get("sources") or ():
        if source.get("id") in wanted_sources and source.get("id") not in have_sources:
            built.sources.append(source)
    for sponsor in sections.get("registry_sponsors") or ():
        if sponsor.get("id") in wanted_sponsors and sponsor.get("id") not in have_sponsors:
            built.sponsors.append(sponsor)
    built.studies.extend(kept)
    built.studies.sort(key=lambda e: e["id"])
