"""The deals table: every deal, sortable, with totals by company and by year (`t` switches)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.ui.widgets.fitted import one_line
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.sorting import next_column, sort_on
from carnk_tui.views.deals import (
    COLUMNS,
    TOTAL_COLUMNS,
    Total,
    deal_rows,
    listed_deals,
    totals_by_company,
    totals_by_year,
)
from carnk_tui.views.filters import shown_note
from carnk_tui.views.i18n import t

Mode = Literal["deals", "company", "year"]
MODES: tuple[Mode, ...] = ("deals", "company", "year")
#: each mode's first sort column
DEFAULT_SORT: dict[Mode, str] = {"deals": "date", "company": "value", "year": "key"}
#: the deal's name column (kept in view while the others scroll) takes at most this share of the width
NAME_SHARE = 0.36
MONEY = ("upfront", "milestones", "total", "value", "equity", "count")


class DealsTable(DataTable):
    """The deals or their totals; its keys are the view's."""


class DealsView(KnowledgePane, Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "Sort", id="deals.sort"),
        Binding("t", "next_mode", "Totals", id="deals.totals"),
    ]

    def __init__(self, kb: KnowledgeBase, lang: Lang, **kwargs: Any) -> None:
        super().__init__(kb, lang, **kwargs)
        self._drawn_width = 0
        self.mode: Mode = "deals"
        self.sort_column = DEFAULT_SORT["deals"]
        self.sort_reverse = False

    def compose_content(self) -> ComposeResult:
        yield Static(id="deals-hint")
        yield DealsTable(id="deals-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)

    def on_resize(self, event: events.Resize) -> None:
        """Lines are laid out for the width: a new width draws them again (a hidden tab's 0 does not)."""
        if event.size.width and event.size.width != self._drawn_width:
            self.redraw(force=True)

    # ------------------------------------------------------------ what is shown
    def _columns(self) -> dict[str, str]:
        if self.mode == "deals":
            return COLUMNS
        first = "f.company" if self.mode == "company" else "col.year"
        return {"key": first, **TOTAL_COLUMNS}

    def _totals(self) -> list[Total]:
        deals = listed_deals(self.kb, self.filters)
        return totals_by_company(self.kb, self.lang, deals) if self.mode == "company" else totals_by_year(deals)

    def rows(self) -> list[tuple[str, dict[str, str]]]:
        """(row key, cells) in the order shown."""
        if self.mode == "deals":
            found = deal_rows(self.kb, self.lang, self.filters)
            found.sort(key=lambda r: r.sort[self.sort_column], reverse=self.sort_reverse)
            return [(r.id, r.cells) for r in found]
        totals = self._totals()
        totals.sort(key=lambda x: x.sort()[self.sort_column], reverse=self.sort_reverse)
        return [(x.key, {"key": x.label, **x.cells(self.lang)}) for x in totals]

    def draw(self) -> None:
        self._drawn_width = self.size.width
        table = self.query_one(DealsTable)
        keep = self.current_key()
        rows = self.rows()
        columns = self._columns()
        table.clear(columns=True)
        first = next(iter(columns))
        name_width = max(12, min(max((cell_len(cells[first]) for _, cells in rows), default=12),
                                 int((self.size.width or 80) * NAME_SHARE)))
        for col, key in columns.items():
            arrow = ""
            if col == self.sort_column:  # money and counts sort largest first
                arrow = " ▼" if (col in MONEY) != self.sort_reverse else " ▲"
            heading = Text(t(key, self.lang) + arrow, justify="right" if col in MONEY else "left")
            # every width is set here, none left to the table's own measuring, which it does later (when
            # idle): a frame drawn before that cut the columns to their headings
            width = name_width if col == first else max(
                cell_len(heading.plain), max((cell_len(cells[col]) for _, cells in rows), default=0))
            table.add_column(heading, key=col, width=width)
        for row_key, cells in rows:
            table.add_row(*(Text(cells[c], justify="right" if c in MONEY else "left", no_wrap=True,
                                 overflow="ellipsis") for c in columns), key=row_key)
        if keep is not None and keep in {k for k, _ in rows}:
            table.move_cursor(row=table.get_row_index(keep))
        self._hint(len(rows))

    def _hint(self, count: int) -> None:
        sort = t(self._columns()[self.sort_column], self.lang)
        key = "deals.hint" if self.mode == "deals" else f"deals.hint.{self.mode}"
        hint = Text()
        if self.filters:  # the view says how many deals the filters leave
            shown = len(listed_deals(self.kb, self.filters))
            hint.append(shown_note(self.lang, shown, len(self.kb.deals)) + " · ", style="bold")
        hint.append(t(key, self.lang, n=str(count), sort=sort), style="dim")
        one_line(self.query_one("#deals-hint", Static), hint)

    def current_key(self) -> str | None:
        if not self.built:
            return None
        table = self.query_one(DealsTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ------------------------------------------------------------ keys
    def action_sort_next(self) -> None:
        self.sort_column, self.sort_reverse = next_column(list(self._columns()), self.sort_column), False
        self.redraw(force=True)

    def sort_by(self, column: str) -> None:
        self.sort_column, self.sort_reverse = sort_on(column, self.sort_column, self.sort_reverse)
        self.redraw(force=True)

    def action_next_mode(self) -> None:
        self.mode = MODES[(MODES.index(self.mode) + 1) % len(MODES)]
        self.sort_column, self.sort_reverse = DEFAULT_SORT[self.mode], False
        self.redraw(force=True)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value in self._columns():
            self.sort_by(event.column_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A deal opens; so does a company in the totals by company (a year is not a record)."""
        event.stop()
        key = event.row_key.value
        if key is not None and self.mode != "year" and self.kb.get(key) is not None:
            self.post_message(OpenRecord(key))
