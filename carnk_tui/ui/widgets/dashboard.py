"""The dashboard: headline counts and bar charts of products by dimension; Enter lists a bar's products."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.ui.widgets.fitted import FittedList, FittedView, fit, one_line
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.dashboard import ChartBar, Dashboard, dashboard
from carnk_tui.views.i18n import t

#: a bar's label takes at most this share of the width
LABEL_SHARE = 0.4


def counts_line(board: Dashboard) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    for index, count in enumerate(board.counts):
        if index:
            line.append("  ·  ", style="dim")
        line.append(f"{count.label} ")
        line.append(count.figure, style="bold")
    return line


def bar_lines(board: Dashboard, width: int) -> list[tuple[ChartBar | None, Text]]:
    """Each chart's title, then one line per bar: label, bar, count, all within `width` cells."""
    bars = [bar for chart in board.charts for bar in chart.bars]
    label_width = min(max((cell_len(b.label) for b in bars), default=1), int(width * LABEL_SHARE))
    lines: list[tuple[ChartBar | None, Text]] = []
    for chart in board.charts:
        if not chart.bars:
            continue
        lines.append((None, Text(chart.title, style="bold underline", no_wrap=True, overflow="ellipsis")))
        count_width = len(str(chart.largest))
        room = max(4, width - label_width - count_width - 2)
        for bar in chart.bars:
            line = fit(bar.label, label_width)
            line.append(" ")
            filled = max(1, round(room * bar.count / chart.largest)) if chart.largest else 0
            line.append("█" * filled, style="dim" if bar.value is None else "bold cyan")
            line.append(" " + str(bar.count).rjust(count_width), style="bold")
            lines.append((bar, line))
    return lines


class DashboardView(FittedView, KnowledgePane, Vertical):
    """Counts and charts; Enter on a bar asks for the products it counts (`FilterChosen`)."""

    @dataclass
    class FilterChosen(Message):
        """List the products whose `dim` is `value` (added to the active filters)."""

        dim: str
        value: str

    def __init__(self, kb: KnowledgeBase, lang: Lang, **kwargs: Any) -> None:
        super().__init__(kb, lang, **kwargs)
        self._bars: dict[str, ChartBar] = {}

    def compose_content(self) -> ComposeResult:
        yield Static(id="dash-counts")
        yield Static(id="dash-hint")
        yield FittedList(id="dash-bars")

    def draw(self) -> None:
        listing = self.query_one("#dash-bars", FittedList)
        width = self.fitted_width(listing)
        board = dashboard(self.kb, self.lang, self.filters)
        one_line(self.query_one("#dash-counts", Static), counts_line(board))
        one_line(self.query_one("#dash-hint", Static),
            Text(t("dash.hint", self.lang), style="dim", no_wrap=True, overflow="ellipsis"))
        highlighted = listing.highlighted_option
        keep = highlighted.id if highlighted is not None else None
        self._bars = {}
        if not any(chart.bars for chart in board.charts):
            listing.set_options([Option(Text(t("filter.none_match", self.lang), style="italic"), disabled=True)])
            return
        options: list[Option] = []
        for index, (bar, line) in enumerate(bar_lines(board, width)):
            if bar is None:
                if index:
                    options.append(Option(Text(""), disabled=True))
                options.append(Option(line, disabled=True))
            elif bar.value is None:
                options.append(Option(line, disabled=True))
            else:
                option_id = f"{bar.dim}:{bar.value}"
                self._bars[option_id] = bar
                options.append(Option(line, id=option_id))
        listing.set_options(options)  # in one go: adding options one by one lays the list out each time
        if keep in self._bars:
            listing.highlighted = listing.get_option_index(keep)
        elif self._bars:
            listing.highlighted = listing.get_option_index(next(iter(self._bars)))

    def bar_ids(self) -> list[str]:
        """The selectable bars' ids ("dimension:value"), in the order shown."""
        self.ensure_drawn()
        return list(self._bars)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        bar = self._bars.get(event.option.id or "")
        if bar is not None and bar.value is not None:
            self.post_message(self.FilterChosen(bar.dim, bar.value))
