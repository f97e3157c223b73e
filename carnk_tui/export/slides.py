"""The presentation as Markdown slides (`carnk-tui present --export DIR --format md`), without Textual.

One file; slides are separated by a line holding `---` (the convention of Marp, reveal.js's Markdown
plugin and most slide tools). Each slide ends with its sources in small type, and its speaker notes
in an HTML comment (which those tools show as presenter notes and other readers hide).
"""

from __future__ import annotations

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.views.presentation import (
    PLAN_LINES,
    PLAN_WIDTH,
    Bars,
    Block,
    Bullets,
    Paragraph,
    Slide,
    Sources,
    Table,
    build_slides,
    slide_area,
)

#: a Markdown bar is drawn with this many characters
BAR = 20


def _cell(value: str) -> str:
    """A table cell: pipes escaped, line breaks kept as <br>."""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _line(value: str) -> str:
    """Running text on one Markdown line (a line break inside a cell of the slide becomes a space)."""
    return " ".join(value.split())


def _bar(percent: float | None) -> str:
    if percent is None:
        return "·" * BAR
    filled = round(BAR * max(0.0, min(percent, 100.0)) / 100)
    return "█" * filled + "░" * (BAR - filled)


def block_markdown(block: Block) -> list[str]:
    out: list[str] = [f"### {_line(block.heading)}", ""] if block.heading else []
    if isinstance(block, Paragraph):
        out.append(f"**{_line(block.text)}**" if block.strong else _line(block.text))
    elif isinstance(block, Bullets):
        out += [f"- {_line(item)}" for item in block.items]
    elif isinstance(block, Bars):
        out += [f"- `{_bar(row.percent)}` **{_line(row.figure)}** {_line(row.label)}" for row in block.rows]
        if block.note:
            out += ["", f"*{_line(block.note)}*"]
    elif isinstance(block, Table):
        columns = len(block.header or block.rows[0])
        header = block.header or ("",) * columns
        out.append("| " + " | ".join(_cell(h) for h in header) + " |")
        out.append("|" + "---|" * columns)
        out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    elif isinstance(block, Sources) and block.items:
        out.append(f"<small>{_line(block.line)}</small>")
    out.append("")
    return out


def slide_markdown(slide: Slide, lang: Lang) -> str:
    out = [f"# {_line(slide.title)}", ""]
    if slide.subtitle:
        out += [f"*{_line(slide.subtitle)}*", ""]
    for block in slide.blocks:
        out += block_markdown(block)
    out += block_markdown(Sources(slide.sources, lang))
    if slide.notes:
        notes = "\n".join(f"- {_line(n)}" for n in slide.notes).replace("--", "—")
        out += ["<!--", notes, "-->", ""]
    return "\n".join(out).rstrip() + "\n"


def plan_for(size: tuple[int, int] | None) -> tuple[int, int]:
    """(content width, lines) for slides meant for a `size` terminal; the default plan without one."""
    return slide_area(*size) if size is not None else (PLAN_WIDTH, PLAN_LINES)


def deck_markdown(kb: KnowledgeBase, lang: Lang, width: int = PLAN_WIDTH, lines: int = PLAN_LINES) -> str:
    """Every slide of the deck in `lang`, as split for a `width` x `lines` content area."""
    slides = build_slides(kb, lang, budget=lines, width=width)
    return "\n---\n\n".join(slide_markdown(slide, lang) for slide in slides)
