"""`e` in the app: write what the user is looking at to a file, never overwriting one."""

from __future__ import annotations

from pathlib import Path

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, Product


def free_path(directory: Path, stem: str, suffix: str) -> Path:
    """directory/stem.suffix, or stem-2.suffix, stem-3.suffix ... whichever does not exist yet."""
    path = directory / f"{stem}{suffix}"
    n = 2
    while path.exists():
        path = directory / f"{stem}-{n}{suffix}"
        n += 1
    return path


def write_view(kb: KnowledgeBase, lang: Lang, directory: Path, record_id: str | None = None,
               product_ids: list[str] | None = None) -> Path:
    """The filtered compare table as CSV, one record as Markdown, or the whole landscape as Markdown."""
    if product_ids is not None:
        from carnk_tui.export.csv_export import to_csv

        products = [p for p in (kb.get(i) for i in product_ids) if isinstance(p, Product)]
        content, path = to_csv(kb, lang, products), free_path(directory, f"carnk-compare-{lang}", ".csv")
    elif record_id is not None and kb.get(record_id) is not None:
        from carnk_tui.export.markdown import record_markdown

        content = record_markdown(kb.get(record_id), kb, lang)  # type: ignore[arg-type]
        path = free_path(directory, f"carnk-{record_id}-{lang}", ".md")
    else:
        from carnk_tui.export.markdown import to_markdown

        content, path = to_markdown(kb, lang), free_path(directory, f"carnk-landscape-{lang}", ".md")
    path.write_text(content, encoding="utf-8")
    return path
