"""What the Challenges & Outlook tab lists, in order, grouped under headings."""

from __future__ import annotations

from dataclasses import dataclass

from carnk_tui.views.filters import Filters, shown_note
from carnk_tui.views.i18n import t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang


@dataclass(frozen=True)
class Entry:
    """A heading (record_id None) or a record to show."""

    label: str
    record_id: str | None = None


def entries(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None) -> list[Entry]:
    """Challenges, directions and the judgement concern the whole field; the setbacks follow the filters."""
    out = [Entry(t("outlook.challenges", lang))]
    out += [Entry(name_of(c, lang), c.id) for c in sorted(kb.challenges, key=lambda c: c.order)]
    every = [e for e in kb.timeline() if e.setback]
    setbacks = filters.events(kb, every) if filters else every
    if every:
        heading = t("outlook.setbacks", lang)
        out.append(Entry(f"{heading} · {shown_note(lang, len(setbacks), len(every))}" if filters else heading))
        out += [Entry(f"{e.date} {name_of(e, lang)}", e.id) for e in setbacks]
    out.append(Entry(t("outlook.directions", lang)))
    out += [Entry(name_of(d, lang), d.id) for d in sorted(kb.directions, key=lambda d: d.order)]
    out.append(Entry(t("outlook.judgement", lang)))
    out.append(Entry(name_of(kb.judgement, lang), kb.judgement.id))
    return out
