"""Side-by-side comparison of 2-4 marked products."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.views.compare import side_by_side
from carnk_tui.views.i18n import t
from carnk_tui.ui.screens.bilingual import BilingualModal


class CompareScreen(BilingualModal[None]):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="side.close"),
        Binding("l", "app.toggle_lang", "Language", id="app.language"),
    ]

    def __init__(self, kb: KnowledgeBase, ids: list[str], lang: Lang) -> None:
        super().__init__(lang)
        self.kb, self.ids = kb, ids

    def compose(self) -> ComposeResult:
        with Vertical(id="side-box"):
            yield Static(Text(t("compare.title", self.lang), style="bold"), id="side-title")
            yield DataTable(id="side-table", cursor_type="row", zebra_stripes=True, show_cursor=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()

    def watch_lang(self, old: Lang, new: Lang) -> None:
        if old != new and self.is_mounted:
            self.query_one("#side-title", Static).update(Text(t("compare.title", self.lang), style="bold"))
            self._fill()

    def _fill(self) -> None:
        headings, rows = side_by_side(self.kb, self.ids, self.lang)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = max(self.app.size.width - 8, 60)
        label_width = max(10, width // 6)
        column_width = max(14, (width - label_width - 3 * len(headings)) // max(len(headings), 1))
        table.add_column("", key="field", width=label_width)
        for i, heading in enumerate(headings):
            table.add_column(heading, key=f"p{i}", width=column_width)
        for field, values in rows:
            table.add_row(Text(field, style="bold"), *(Text(v) for v in values), height=None)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
