"""The Overview tab: why NK cells, and CAR-T and CAR-NK side by side."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from carnk_tui.views.format import colon
from carnk_tui.views.i18n import t
from carnk_tui.kb.model import text
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.wrapped import Wrapped


class OverviewPane(KnowledgePane, VerticalScroll):
    can_focus = True

    def compose_content(self) -> ComposeResult:
        yield Static(id="overview-intro")
        yield DataTable(id="comparison", cursor_type="row", zebra_stripes=True, show_cursor=False)
        yield Static(id="overview-lists")

    def on_resize(self) -> None:
        self.redraw(force=True)

    def draw(self) -> None:
        lang, ov = self.lang, self.kb.overview
        self.query_one("#overview-intro", Static).update(Group(
            Wrapped(text(ov.title, lang), "bold reverse"), Text(""), Wrapped(text(ov.summary, lang)), Text(""),
            Wrapped(t("overview.comparison", lang), "bold underline"),
        ))
        self._fill_table()
        parts: list[Text | Wrapped] = []
        for key, items in (("overview.car_t_limits", ov.car_t_limits), ("overview.nk_advantages", ov.nk_advantages)):
            parts += [Text(""), Wrapped(t(key, lang), "bold underline")]
            parts += [Wrapped("• " + text(i, lang), hang=2) for i in items]
        parts += [Text(""), Wrapped(t("overview.cell_sources", lang), "bold underline")]
        parts += [Wrapped(Text.assemble(("• " + text(c.name, lang), "bold"), colon(lang) + text(c.note, lang)), hang=2)
                  for c in ov.cell_sources]
        self.query_one("#overview-lists", Static).update(Group(*parts))

    def _fill_table(self) -> None:
        """The comparison wraps to the pane's width rather than scrolling sideways."""
        lang, table = self.lang, self.query_one(DataTable)
        width = max(self.size.width - 4, 40)
        aspect = max(12, width // 4)
        side = max(14, (width - aspect - 8) // 2)
        table.clear(columns=True)
        table.add_column(t("col.aspect", lang), key="aspect", width=aspect)
        table.add_column(t("col.car_t", lang), key="car_t", width=side)
        table.add_column(t("col.car_nk", lang), key="car_nk", width=side)
        for row in self.kb.overview.comparison:
            table.add_row(Wrapped(text(row.aspect, lang), "bold"), Wrapped(text(row.car_t, lang)),
                          Wrapped(text(row.car_nk, lang)), height=None)
