"""What `y` copies for a record: its Markdown, or a source's citation (no Textual here)."""

from __future__ import annotations

from carnk_tui.export.view import render_export
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, Source
from carnk_tui.views.clipboard import Clip, short, source_clip
from carnk_tui.views.i18n import t


def record_clip(kb: KnowledgeBase, key: str, lang: Lang) -> Clip | None:
    """A record as Markdown (a source as its citation); a node of the registry branch as its Markdown; None
    for a key that names nothing."""
    from carnk_tui.views.registry_overview import detail_for_key

    record = kb.get(key)
    if isinstance(record, Source):
        return source_clip(record, lang)
    if record is not None:
        title = name_of(record, lang)
    else:
        detail = detail_for_key(key, kb, lang)
        if detail is None:
            return None
        title = detail.title
    return Clip(t("copy.what.markdown", lang, name=short(title)), render_export(kb, lang, "md", [key]))
