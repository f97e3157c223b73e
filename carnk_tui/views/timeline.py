"""The timeline: every dated event in order, grouped by year."""

from __future__ import annotations

from dataclasses import dataclass

from carnk_tui.views.filters import Filters, shown_note
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, text


@dataclass(frozen=True)
class TimelineEntry:
    """A year heading (record_id None) or one event."""

    label: str
    record_id: str | None = None
    setback: bool = False


def timeline_entries(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None) -> list[TimelineEntry]:
    """Events by year; while filters are on, a first heading says how many they leave (or that none match)."""
    out: list[TimelineEntry] = []
    year = None
    every = kb.timeline()
    events = filters.events(kb, every) if filters else list(every)
    if filters:
        out.append(TimelineEntry(shown_note(lang, len(events), len(every)) if events else t("filter.none_match", lang)))
    for event in events:
        if event.date[:4] != year:
            year = event.date[:4]
            out.append(TimelineEntry(year))
        kind = label("event_kind", event.kind, lang)
        day = event.date[5:] or "·"  # the year is the heading above
        out.append(TimelineEntry(f"{day:<5} {kind} · {text(event.title, lang)}", event.id, event.setback))
    return out


def main_record(event_id: str, kb: KnowledgeBase) -> str:
    """The record an event is mostly about: its deal, trial, product or company (else the event)."""
    event = kb.get(event_id)
    for attr in ("deals", "trials", "products", "companies"):
        ids = getattr(event, attr, ())
        if ids:
            return ids[0]
    return event_id
