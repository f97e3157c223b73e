"""The Results tab: every trial result as a bar with n/N, its cohort, dose arm and date, grouped by indication.

The list draws only the lines on screen (Textual's Line API), so ten thousand results cost what one
screenful costs. Each result takes two lines: product, measure, bar with figure and date; then its
cohort and dose arm. Indication headings are not selectable: the cursor steps over them. Enter opens
the trial the result comes from.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from carnk_tui.ui.bars import BAD_BAR, BAD_STYLE, DIM, GOOD_BAR, GOOD_STYLE, bar_cells
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.filters import shown_note
from carnk_tui.views.i18n import t
from carnk_tui.views.results import ResultGroup, ResultRow, result_count, result_groups

#: the cells kept for the figure ("12/120 (10%)") and for the date after it
FIGURE, DATE = 16, 12


def clip(words: str, width: int) -> str:
    """`words` in exactly `width` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(words) <= width:
        return set_cell_size(words, width)
    return set_cell_size(words, width - 1) + "…"


@dataclass(frozen=True)
class Layout:
    """Column widths for one width of the list."""

    product: int
    measure: int
    bar: int
    figure: int


class ResultsList(ScrollView, can_focus=True):
    """Indication headings and two-line results; the cursor is on a result (an index into `rows`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="results.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="results.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="results.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="results.page_down"),
        Binding("home", "first", "First", show=False, id="results.first"),
        Binding("end", "last", "Last", show=False, id="results.last"),
        Binding("enter", "open", "Open trial", id="results.open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"results-list--cursor", "results-list--heading"}
    DEFAULT_CSS = """
    ResultsList {
        height: 1fr;
        overflow-x: hidden;
    }
    ResultsList > .results-list--heading {
        text-style: bold underline;
    }
    ResultsList > .results-list--cursor {
        background: $block-cursor-blurred-background;
    }
    ResultsList:focus > .results-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    ResultsList:nocolor > .results-list--cursor, ResultsList:nocolor:focus > .results-list--cursor {
        text-style: bold reverse;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ResultRow] = []
        #: per group, laid out for a width: its first line, its heading's lines (a blank line before every
        #: heading but the first) and its first row; results take two lines each. Lines are found by bisection,
        #: so laying out costs what the groups cost, not the rows.
        self._starts: list[int] = []
        self._headings: list[list[str]] = []
        self._first_rows: list[int] = []
        self._line_count = 0
        self.cursor = 0
        self._widths = (0, 0)  # the longest product and measure names
        self._groups: list[ResultGroup] = []
        self._laid_out = -1  # the width the lines were laid out for

    # ------------------------------------------------------------ content
    def show(self, groups: list[ResultGroup], keep: str | None = None) -> None:
        """Show `groups`; the cursor stays on the trial `keep` when it is still listed."""
        self._groups = groups
        self.rows = [row for group in groups for row in group.rows]
        self._widths = (max((cell_len(r.product) for r in self.rows), default=0),
                        max((cell_len(r.measure) for r in self.rows), default=0))
        self.cursor = next((i for i, r in enumerate(self.rows) if r.trial_id == keep), 0) if keep else 0
        self._laid_out = -1
        self._lay_out()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._keep_cursor_visible()
        self.refresh()

    def _lay_out(self) -> None:
        """Lay the groups out for the current width: headings wrap (there are few); results take two lines."""
        width = self.scrollable_content_region.width or 80
        if width == self._laid_out:
            return
        self._laid_out = width
        starts: list[int] = []
        headings: list[list[str]] = []
        first_rows: list[int] = []
        line = row = 0
        for number, group in enumerate(self._groups):
            wrapped = Text(group.title).wrap(self.app.console, width)
            heading = ([""] if number else []) + [part.plain for part in wrapped]
            starts.append(line)
            headings.append(heading)
            first_rows.append(row)
            line += len(heading) + 2 * len(group.rows)
            row += len(group.rows)
        self._starts, self._headings, self._first_rows, self._line_count = starts, headings, first_rows, line
        self.virtual_size = Size(width, line)

    def _at(self, number: int) -> tuple[str | None, int, int]:
        """What line `number` shows: (heading text, -1, 0), or (None, row index, 0 or 1 for the row's two lines)."""
        group = bisect_right(self._starts, number) - 1
        offset = number - self._starts[group]
        heading = self._headings[group]
        if offset < len(heading):
            return heading[offset], -1, 0
        offset -= len(heading)
        return None, self._first_rows[group] + offset // 2, offset % 2

    def _row_line(self, row: int) -> int:
        """The first line of row `row`."""
        group = bisect_right(self._first_rows, row) - 1
        return self._starts[group] + len(self._headings[group]) + 2 * (row - self._first_rows[group])

    def selected(self) -> ResultRow | None:
        return self.rows[self.cursor] if self.rows else None

    def _layout(self, width: int) -> Layout:
        """The bar, the figure and the date take what they need; product and measure share the rest, as wide
        as their longest names when there is room."""
        bar = 20 if width >= 100 else 10
        rest = max(16, width - bar - FIGURE - DATE - 2)
        product, measure = self._widths
        if product + measure > rest:
            product = max(8, min(product, rest * product // max(1, product + measure)))
            measure = max(6, rest - product)
        return Layout(product, measure, bar, FIGURE)

    # ------------------------------------------------------------ drawing (one line at a time)
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = scroll_y + y
        width = self.scrollable_content_region.width
        if not 0 <= number < self._line_count:
            return Strip.blank(width, self.rich_style)
        title, index, part = self._at(number)
        base = self.rich_style
        if title is not None:
            heading = self.get_component_rich_style("results-list--heading")
            segments = [Segment(clip(title, width), heading if title else Style())]
        else:
            segments = self._result_line(self.rows[index], part, width)
            used = sum(s.cell_length for s in segments)
            if used < width:
                segments.append(Segment(" " * (width - used)))
            if index == self.cursor:
                cursor = self.get_component_rich_style("results-list--cursor")
                segments = list(Segment.apply_style(segments, post_style=cursor))
        strip = Strip(list(Segment.apply_style(segments, base)))
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _result_line(self, row: ResultRow, part: int, width: int) -> list[Segment]:
        if part == 1:  # the cohort and dose arm, under the product
            return [Segment("  "), Segment(clip(row.context, width - 2), Style(italic=True, dim=True))]
        layout = self._layout(width)
        segments = [Segment(clip(row.product, layout.product) + " ", Style(bold=True)),
                    Segment(clip(row.measure, layout.measure) + " ")]
        segments += [Segment(chars, style) for chars, style in bar_cells(row.percent, layout.bar, row.lower_is_better)]
        figure = f" {row.figure}"
        segments.append(Segment(figure, Style(bold=True, color="yellow" if row.lower_is_better else None)))
        used = layout.product + layout.measure + 2 + layout.bar + cell_len(figure)
        if row.date:
            room = width - used
            gap = max(2, layout.figure + 1 - cell_len(figure))
            if room >= gap + cell_len(row.date):
                segments += [Segment(" " * gap), Segment(row.date, DIM)]
        return segments

    def lines_text(self) -> list[str]:
        """Every line of the list as it is drawn at the current width, without styles (what scrolling shows)."""
        width = self.scrollable_content_region.width
        lines = []
        for number in range(self._line_count):
            title, index, part = self._at(number)
            lines.append(clip(title, width) if title is not None
                         else "".join(s.text for s in self._result_line(self.rows[index], part, width)))
        return lines

    # ------------------------------------------------------------ the cursor
    def _keep_cursor_visible(self) -> None:
        if self.rows:
            first = self._row_line(self.cursor)
            title = self._at(first - 1)[0] if first else None
            top = first - 1 if title else first  # its heading too, when just above
            self.scroll_to_region(Region(0, top, 1, first + 2 - top), animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index != self.cursor:
            old, self.cursor = self.cursor, index
            for row in (old, index):
                line = self._row_line(row) - round(self.scroll_offset.y)
                self.refresh(Region(0, line, self.size.width, 2))
        self._keep_cursor_visible()

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.size.height // 2 - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            self.post_message(OpenRecord(row.trial_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        number = round(self.scroll_offset.y) + offset.y
        if 0 <= number < self._line_count and (at := self._at(number))[0] is None:
            self.move_to(at[1])
            if event.chain > 1:
                self.action_open()

    def on_resize(self) -> None:
        self._lay_out()
        self._keep_cursor_visible()


class ResultsPane(KnowledgePane, Vertical):
    def compose_content(self) -> ComposeResult:
        yield Static(id="results-hint")
        yield ResultsList(id="results-list")

    def draw(self) -> None:
        lang = self.lang
        hint = Text()
        listing = self.query_one(ResultsList)
        selected = listing.selected()
        groups = result_groups(self.kb, lang, self.filters)
        if self.filters:
            shown = sum(len(g.rows) for g in groups)
            hint.append((shown_note(lang, shown, result_count(self.kb)) if shown else t("filter.none_match", lang))
                        + "\n", style="bold")
        hint.append(t("results.hint", lang) + "\n", style="dim")
        hint.append(GOOD_BAR * 2, style=GOOD_STYLE)
        hint.append(" " + t("results.higher_better", lang) + "  ", style="dim")
        hint.append(BAD_BAR * 2, style=BAD_STYLE)
        hint.append(" " + t("results.lower_better", lang), style="dim")
        self.query_one("#results-hint", Static).update(hint)
        listing.show(groups, selected.trial_id if selected else None)

    def selected_record(self) -> str | None:
        """The trial of the result under the cursor."""
        self.ensure_drawn()
        if not self.built:
            return None
        row = self.query_one(ResultsList).selected()
        return row.trial_id if row else None

    def shown_ids(self) -> list[str] | None:
        """The trials listed, in the order shown (each once)."""
        self.ensure_drawn()
        if not self.built:
            return None
        return list(dict.fromkeys(row.trial_id for row in self.query_one(ResultsList).rows))
