"""How a share is drawn as a bar, in every view: the detail, the Results list and the slides.

A share where higher is better (a response rate) is a green run of █; one where lower is better (relapse,
toxicity, death) a yellow run of ▓: another glyph as well as another colour, so the difference survives
a terminal without colours. An unknown share is a dotted line.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

GOOD_BAR, BAD_BAR, EMPTY_BAR, UNKNOWN_BAR = "█", "▓", "░", "·"
GOOD_STYLE = Style(color="green", bold=True)
BAD_STYLE = Style(color="yellow")
DIM = Style(dim=True)


def bar_cells(percent: float | None, width: int, lower_is_better: bool = False) -> list[tuple[str, Style]]:
    """The bar as runs of (characters, style), `width` cells in all."""
    if percent is None:
        return [(UNKNOWN_BAR * width, DIM)]
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    glyph, style = (BAD_BAR, BAD_STYLE) if lower_is_better else (GOOD_BAR, GOOD_STYLE)
    return [(glyph * filled, style), (EMPTY_BAR * (width - filled), DIM)]


def bar_text(percent: float | None, width: int, lower_is_better: bool = False) -> Text:
    """The bar as Rich text."""
    line = Text()
    for chars, style in bar_cells(percent, width, lower_is_better):
        line.append(chars, style=style)
    return line
