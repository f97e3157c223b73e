"""The Results tab: every trial result as aligned bars with n/N, grouped by indication."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from carnk_tui.views.details import Bar
from carnk_tui.views.filters import shown_note
from carnk_tui.views.i18n import t
from carnk_tui.views.results import result_groups
from carnk_tui.ui.widgets.detail import draw_bar
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.wrapped import Wrapped


class ResultsPane(KnowledgePane, VerticalScroll):
    can_focus = True

    def compose(self) -> ComposeResult:
        yield Static(id="results-body")

    def on_resize(self) -> None:
        self.redraw(force=True)

    def draw(self) -> None:
        lang = self.lang
        wide = self.size.width >= 100
        bar_width = 20 if wide else 10
        parts: list[RenderableType] = [Wrapped(t("results.hint", lang), "dim")]
        groups = result_groups(self.kb, lang, self.filters)
        if self.filters:
            shown = sum(len(g.rows) for g in groups)
            total = sum(len(g.rows) for g in result_groups(self.kb, lang))
            parts.append(Wrapped(shown_note(lang, shown, total) if shown else t("filter.none_match", lang), "bold"))
        parts.append(Text(""))
        for group in groups:
            parts.append(Wrapped(group.title, "bold underline"))
            table = Table.grid(padding=(0, 1))
            table.add_column(no_wrap=True, style="bold")   # product
            table.add_column(no_wrap=True)                 # measure
            table.add_column(no_wrap=True)                 # bar and figure
            table.add_column(ratio=1, style="italic dim")  # cohort
            for row in group.rows:
                bar = draw_bar(Bar(row.measure, "", row.figure, row.cohort, row.percent, row.known_n), bar_width)
                bar.append(f" {row.figure}", style="bold")
                table.add_row(row.product, row.measure, bar, Wrapped(row.cohort) if wide else "")
                if not wide:
                    table.add_row("", "", Wrapped(row.cohort, "italic dim"), "")
            parts += [table, Text("")]
        self.query_one("#results-body", Static).update(Group(*parts))
