"""A Rich renderable that wraps styled text by the app's line-breaking rule, at the width it is drawn.

Rich wraps at spaces only, which splits Chinese text badly; `Wrapped` breaks where
`carnk_tui.views.linebreak` allows, keeps the text's styles, and makes URLs links (a terminal that
understands links opens the whole address even when it had to be cut).
"""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from carnk_tui.views.linebreak import URL, ellipsize, hyphenated, longest_atom, wrap_spans

Justify = Literal["left", "center", "right"]
#: the widths whose lines a `Wrapped` keeps
WIDTHS_KEPT = 4


class Wrapped:
    """`text` (a str or a styled `Text`) wrapped at the width it is given.

    `hang`: cells to indent lines after the first of a paragraph (bullets); `justify`: each line's
    alignment; `one_line`: no wrapping, cut with "…" at the width instead (labels).
    """

    def __init__(self, text: str | Text, style: str | Style = "", *, hang: int = 0, justify: Justify = "left",
                 one_line: bool = False) -> None:
        self.text = text if isinstance(text, Text) else Text(text, style=style)
        if isinstance(text, Text) and style:
            self.text = Text.assemble(text, style=style)
        self.hang = hang
        self.justify: Justify = justify
        self.one_line = one_line
        for match in URL.finditer(self.text.plain):
            self.text.stylize(Style(link=match.group()), match.start(), match.end())
        #: the lines at the last widths asked (Textual renders a widget's content once to learn its height,
        #: then again to draw it; a scroll bar coming or going changes the width between the two)
        self._lines: dict[int, list[Text]] = {}

    @property
    def plain(self) -> str:
        return self.text.plain

    def __str__(self) -> str:
        return self.text.plain

    def lines(self, width: int) -> list[Text]:
        """The text as styled lines of at most `width` cells."""
        lines = self._lines.get(width)
        if lines is None:
            if len(self._lines) >= WIDTHS_KEPT:
                self._lines.clear()
            lines = self._lines[width] = self._wrap(width)
        return lines

    def _wrap(self, width: int) -> list[Text]:
        text = self.text
        plain = text.plain
        if self.one_line:
            first = plain.split("\n", 1)[0]
            short = ellipsize(first, width)
            if short == first:
                return [text[:len(first)]]
            return [Text.assemble(text[:len(short) - 1], "…", style=text.style)]
        out: list[Text] = []
        spans = wrap_spans(plain, width, self.hang)
        pieces = _pieces(text, spans)
        for start, end, continued in spans:
            line = pieces.get(start) if end > start else None
            if line is None:
                line = text[start:end]
            if self.hang and continued:
                line = Text.assemble(" " * self.hang, line, style=text.style)
            if hyphenated(plain, end):
                line = Text.assemble(line, "-", style=text.style)
            out.append(line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in self.lines(width):
            pad = width - cell_len(line.plain)
            if self.justify == "center" and pad > 0:
                line = Text.assemble(" " * (pad // 2), line, style=self.text.style)
            elif self.justify == "right" and pad > 0:
                line = Text.assemble(" " * pad, line, style=self.text.style)
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        widest = max((cell_len(p) for p in plain.split("\n")), default=0)
        if self.one_line:
            return Measurement(min(widest, 4), widest)
        return Measurement(min(longest_atom(plain), widest), widest).clamp(max_width=options.max_width)


def _pieces(text: Text, spans: tuple[tuple[int, int, bool], ...]) -> dict[int, Text]:
    """The text of each span, by its start, cut in one pass (`text[start:end]` per line copies the
    whole text each time: a long paragraph of n lines cost n copies of it)."""
    bounds = sorted({0, len(text.plain), *(offset for start, end, _ in spans for offset in (start, end))})
    parts = text.divide(bounds[1:-1])
    return dict(zip(bounds, parts, strict=False))  # (the last bound starts no part)


def wrapped(text: str | Text, style: str | Style = "", hang: int = 0) -> Wrapped:
    """Shorthand for the common case."""
    return Wrapped(text, style, hang=hang)
