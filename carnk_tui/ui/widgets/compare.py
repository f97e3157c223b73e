"""The Compare tab: every product in a sortable table; the user chooses its columns, marks rows for
export and 2–4 of them to compare side by side.

Product (with the mark column) stays at the left while the other columns scroll; → and ← move one
column at a time. The chosen columns are kept in the user's preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.ui.prefs import Prefs, save_prefs
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.clipboard import Clip
from carnk_tui.views.compare import (
    COLUMNS, DEFAULT_COLUMNS, MAX_WIDTH, CompareRow, chosen_columns, compare_rows, rows_csv, sorted_rows,
)
from carnk_tui.views.filters import shown_note
from carnk_tui.views.i18n import t
from carnk_tui.views.sorting import next_column, sort_on

#: side by side shows this many products at least and at most
SIDE_BY_SIDE = (2, 4)
#: the columns that stay put while the others scroll: the mark and Product
FIXED_COLUMNS = 2


class CompareTable(DataTable):
    """The products table; its keys are the pane's.

    With the row cursor, → and ← move the view one column at a time (the fixed columns stay).
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

    def _column_stops(self) -> list[int]:
        """The horizontal scroll offsets that put each scrolling column right after the fixed ones."""
        widths = [column.get_render_width(self) for column in self.ordered_columns]
        fixed = sum(widths[:self.fixed_columns])
        starts = [sum(widths[:i]) for i in range(len(widths))]
        return [start - fixed for start in starts[self.fixed_columns:]]

    def action_cursor_right(self) -> None:
        if self.cursor_type != "row":
            super().action_cursor_right()
            return
        later = [x for x in self._column_stops() if x > self.scroll_x]
        self.scroll_to(x=min(later[0], self.max_scroll_x) if later else self.max_scroll_x, animate=False)

    def action_cursor_left(self) -> None:
        if self.cursor_type != "row":
            super().action_cursor_left()
            return
        earlier = [x for x in self._column_stops() if x < self.scroll_x]
        self.scroll_to(x=earlier[-1] if earlier else 0, animate=False)


class ComparePane(KnowledgePane, Vertical):
    """Rows come from `compare_rows`; this widget only shows, sorts and marks them."""

    BINDINGS = [
        Binding("space", "toggle_mark", "Mark", show=False, id="compare.mark"),
        Binding("s", "sort_next", "Sort", show=False, id="compare.sort"),
        Binding("S", "sort_reverse", "Reverse sort", show=False, id="compare.reverse"),
        Binding("c", "compare", "Compare", show=False, id="compare.compare"),
        Binding("v", "choose_columns", "Columns", id="compare.columns"),
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
        #: the columns shown, in table order (from the preferences once mounted)
        self.columns: tuple[str, ...] = DEFAULT_COLUMNS

    def compose_content(self) -> ComposeResult:
        yield Static(id="compare-hint")
        yield CompareTable(id="compare-table", cursor_type="row", zebra_stripes=True, fixed_columns=FIXED_COLUMNS)

    def on_mount(self) -> None:
        prefs = self._prefs()
        if prefs is not None and prefs.compare_columns is not None:
            self.columns = chosen_columns(prefs.compare_columns)

    def _prefs(self) -> Prefs | None:
        """The app's remembered preferences (None when the app keeps none, as in most tests)."""
        prefs = getattr(self.app, "prefs", None)
        return prefs if isinstance(prefs, Prefs) else None

    # ------------------------------------------------------------ what the pane selects (copy, export)
    def current_id(self) -> str | None:
        if not self.built:
            return None
        table = self.query_one(CompareTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_record(self) -> str | None:
        """The product under the cursor."""
        self.ensure_drawn()
        return self.current_id()

    def shown_ids(self) -> list[str]:
        """Product ids in the order the table shows them."""
        self.ensure_drawn()
        return [row.id for row in self._sorted()]

    def marked_ids(self) -> list[str]:
        """The marked products, in the order the table shows them."""
        marked = set(self.marked)
        return [i for i in self.shown_ids() if i in marked]

    def copy_clip(self) -> Clip | None:
        """The cursor row as CSV: a header line and the row, in the chosen columns."""
        record_id = self.selected_record()
        row = next((r for r in self.rows if r.id == record_id), None)
        if row is None:
            return None
        return Clip(t("compare.clip", self.lang, name=row.cells["product"]), rows_csv([row], self.columns, self.lang))

    # ------------------------------------------------------------ drawing
    def _sorted(self) -> list[CompareRow]:
        return sorted_rows(self.rows, self.sort_column, self.sort_reverse)

    def _arrow(self) -> str:
        return "▼" if self.sort_reverse else "▲"

    def draw(self) -> None:
        table = self.query_one(CompareTable)
        keep = self.current_id() if table.row_count else None
        scroll_y = table.scroll_y
        self.rows = compare_rows(self.kb, self.lang, self.filters.products(self.kb))
        shown = {r.id for r in self.rows}
        self.marked = [i for i in self.marked if i in shown]
        if self.sort_column not in self.columns:
            self.sort_column, self.sort_reverse = "product", False
        table.clear(columns=True)
        table.add_column(t("col.mark", self.lang), key="mark", width=1)
        for column in self.columns:
            arrow = f" {self._arrow()}" if column == self.sort_column else ""
            table.add_column(Text(t(COLUMNS[column], self.lang) + arrow, no_wrap=True), key=column)
        for row in self._sorted():
            table.add_row(self._mark(row.id), *(self._cell(row, c, self.columns) for c in self.columns), key=row.id)
        if keep is not None and keep in shown:
            table.move_cursor(row=table.get_row_index(keep), scroll=False)
            table.scroll_to(y=scroll_y, animate=False)
            table.move_cursor(row=table.get_row_index(keep))
        self._hint()

    @staticmethod
    def _cell(row: CompareRow, column: str, columns: tuple[str, ...]) -> Text:
        """The short form, on one line, ending in "…" past the column's width (a stopped product's stage
        says it stopped when no Status column is shown)."""
        key = "stage_status" if column == "stage" and "status" not in columns else column
        cell = Text(" ".join(row.compact[key].split()), no_wrap=True, overflow="ellipsis")
        cell.truncate(MAX_WIDTH.get(column, 24), overflow="ellipsis")
        return cell

    def _mark(self, record_id: str) -> Text | str:
        return Text("✓", style="bold green") if record_id in self.marked else ""

    def _hint(self) -> None:
        order = t("compare.descending" if self.sort_reverse else "compare.ascending", self.lang)
        hint = Text()
        if self.filters:
            hint.append(shown_note(self.lang, len(self.rows), len(self.kb.products)) + " · ", style="bold")
        hint.append(t("compare.hint", self.lang, n=str(len(self.rows)), marked=str(len(self.marked)),
                      sort=t(COLUMNS[self.sort_column], self.lang), order=order))
        self.query_one("#compare-hint", Static).update(hint)

    # ------------------------------------------------------------ keys
    def action_compare(self) -> None:
        low, high = SIDE_BY_SIDE
        if self.marked and not low <= len(self.marked) <= high:
            self.notify(t("compare.two_to_four", self.lang, n=str(len(self.marked))), severity="warning")
            return
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
        else:
            self.marked.append(record_id)
        self.query_one(CompareTable).update_cell(record_id, "mark", self._mark(record_id))
        self._hint()

    def sort_by(self, column: str) -> None:
        """Sort by `column`; sorting by the column already sorted turns the order round."""
        self.sort_column, self.sort_reverse = sort_on(column, self.sort_column, self.sort_reverse)
        self.redraw(force=True)

    def action_sort_next(self) -> None:
        self.sort_column, self.sort_reverse = next_column(self.columns, self.sort_column), False
        self.redraw(force=True)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value in COLUMNS:
            self.sort_by(event.column_key.value)

    def action_choose_columns(self) -> None:
        from carnk_tui.ui.screens.columns import ColumnsScreen

        from carnk_tui.ui.app import CarnkApp

        screen = ColumnsScreen(self.columns, self.lang)
        if isinstance(self.app, CarnkApp):
            self.app.show_modal(screen, self.set_columns)
        else:
            self.app.push_screen(screen, self.set_columns)

    def set_columns(self, columns: tuple[str, ...] | None) -> None:
        """Show these columns (Product always) and remember the choice for the next start."""
        if columns is None:
            return
        self.columns = chosen_columns(columns)
        prefs = self._prefs()
        if prefs is not None:
            prefs.compare_columns = list(self.columns)
            save_prefs(prefs)
        self.redraw(force=True)
