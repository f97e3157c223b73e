"""What `y` copies: a short description for the notification and the text itself (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass

from carnk_tui.kb.model import Lang, Source, text
from carnk_tui.views.i18n import t

#: the longest title a notification quotes before it is shortened with "…"
_SHORT = 48


@dataclass(frozen=True)
class Clip:
    """Text for the clipboard. `what` is shown to the user ("FT596 as Markdown"), in the interface language."""

    what: str
    text: str


def source_address(source: Source) -> str:
    """Where the source can be read: its web address, else its DOI as an address, else its registry number."""
    if source.url:
        return source.url
    if source.doi:
        return f"https://doi.org/{source.doi}"
    return source.registry_id or ""


def citation_text(source: Source, lang: Lang) -> str:
    """A source as a reader cites it, on one line: publisher, title, the bibliographic reference, date, address."""
    parts = [text(source.publisher, lang), text(source.title, lang), source.citation or "", source.date or ""]
    parts = [p.strip() for p in parts if p and p.strip()]
    out = ""
    for part in parts:
        if out.endswith(("。", "！", "？")):
            pass
        elif out.endswith((".", "!", "?")):
            out += " "
        elif out:
            out += "。" if lang == "zh" else ". "
        out += part
    if out and not out.endswith((".", "!", "?", "。", "！", "？")):
        out += "。" if lang == "zh" else "."
    address = source_address(source)
    return f"{out} {address}".strip() if address else out


def short(title: str) -> str:
    """A title short enough for a notification."""
    return title if len(title) <= _SHORT else title[: _SHORT - 1].rstrip() + "…"


def source_clip(source: Source, lang: Lang) -> Clip:
    """`y` on a source: its citation."""
    return Clip(t("copy.what.citation", lang, title=short(text(source.title, lang))), citation_text(source, lang))
