"""Exports of a knowledge base: JSON (all records), Markdown (a report), CSV (products)."""

from __future__ import annotations


from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang

FORMATS = ("json", "md", "csv")


def render(kb: KnowledgeBase, fmt: str, lang: Lang) -> str:
    """The knowledge base as text in format `fmt` ("json", "md" or "csv")."""
    if fmt == "json":
        from carnk_tui.export.json_export import to_json

        return to_json(kb, lang)
    if fmt == "md":
        from carnk_tui.export.markdown import to_markdown

        return to_markdown(kb, lang)
    if fmt == "csv":
        from carnk_tui.export.csv_export import to_csv

        return to_csv(kb, lang)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
