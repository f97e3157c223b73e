"""The Compare tab: every product in a sortable table; mark 2-4 and compare them side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from carnk_tui.views.sorting import next_column, sort_on
from carnk_tui.views.compare import COLUMNS, CompareRow, compare_rows
from carnk_tui.views.filters import shown_note
from carnk_tui.views.i18n import t
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.kb.model import Lang

MAX_MARKED = 4


class CompareTable(DataTable):
    """The products table; its keys are the pane's.

    Without colours (NO_COLOR) the header and the cursor row would both be only bold: the cursor row
    is drawn in reverse video there, which survives any terminal."""

    DEFAULT_CSS = """
    CompareTable:nocolor > .datatable--cursor, CompareTable:nocolor:focus > .datatable--cursor {
        text-style: bold reverse;
    }
    CompareTable:nocolor > .datatable--header {
        text-style: bold underline;
    }
    """


class ComparePane(KnowledgePane, Vertical):
    """Rows come from `compare_rows`; this widget only shows, sorts and marks them."""

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", id="compare.mark"),
        Binding("s", "sort_next", "Sort", id="compare.sort"),
        Binding("c", "compare", "Compare", id="compare.compare"),
    ]

    @dataclass
    class CompareRequested(Message):
        ids: list[str]

    def __init__(self, kb: KnowledgeBase, lang: Lang, **kwargs: Any) -> None:
        super().__init__(kb, lang, **kwargs)
        self.marked: list[str] = []
        self.sort_column = "product"
        self.sort_reverse = False
        self.rows: list[CompareRow] = []

    def compose(self) -> ComposeResult:
        yield Static(id="compare-hint")
        yield CompareTable(id="compare-table", cursor_type="row", zebra_stripes=True)

    def current_id(self) -> str | None:
        table = self.query_one(CompareTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def visible_ids(self) -> list[str]:
        """Product ids in the order the table shows them."""
        self.ensure_drawn()
        return [row.id for row in self._sorted()]

    def _sorted(self) -> list[CompareRow]:
        return sorted(self.rows, key=lambda r: r.sort[self.sort_column], reverse=self.sort_reverse)

    def draw(self) -> None:
        table = self.query_one(CompareTable)
        keep = self.current_id() if table.row_count else None
        self.rows = compare_rows(self.kb, self.lang, self.filters.products(self.kb))
        self.marked = [i for i in self.marked if any(r.id == i for r in self.rows)]
        table.clear(columns=True)
        table.add_column(t("col.mark", self.lang), key="mark", width=2)
        for col, key in COLUMNS.items():
            arrow = (" ▼" if self.sort_reverse else " ▲") if col == self.sort_column else ""
            table.add_column(t(key, self.lang) + arrow, key=col)
        for row in self._sorted():
            mark = Text("✓", style="bold green") if row.id in self.marked else ""
            table.add_row(mark, *(row.cells[c] for c in COLUMNS), key=row.id)
        if keep is not None and keep in {r.id for r in self.rows}:
            table.move_cursor(row=table.get_row_index(keep))
        self._hint()

    def _hint(self) -> None:
        sort_name = t(COLUMNS[self.sort_column], self.lang)
        hint = Text()
        if self.filters:
            hint.append(shown_note(self.lang, len(self.rows), len(self.kb.products)) + " · ", style="bold")
        hint.append(t("compare.hint", self.lang, n=str(len(self.rows)), marked=str(len(self.marked)), sort=sort_name))
        self.query_one("#compare-hint", Static).update(hint)

    def action_compare(self) -> None:
        self.post_message(self.CompareRequested(list(self.marked)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(OpenRecord(event.row_key.value))

    def action_toggle_mark(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        if record_id in self.marked:
            self.marked.remove(record_id)
        elif len(self.marked) >= MAX_MARKED:
            self.notify(t("compare.too_many", self.lang, n=str(MAX_MARKED)), severity="warning")
            return
        else:
            self.marked.append(record_id)
        table = self.query_one(CompareTable)
        table.update_cell(record_id, "mark", Text("✓", style="bold green") if record_id in self.marked else "")
        self._hint()

    def sort_by(self, column: str) -> None:
        self.sort_column, self.sort_reverse = sort_on(column, self.sort_column, self.sort_reverse)
        self.redraw(force=True)

    def action_sort_next(self) -> None:
        self.sort_column, self.sort_reverse = next_column(list(COLUMNS), self.sort_column), False
        self.redraw(force=True)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value in COLUMNS:
            self.sort_by(event.column_key.value)
