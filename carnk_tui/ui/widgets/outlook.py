"""The Challenges & Outlook tab: challenges, setbacks, future directions and the closing judgement."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import OptionList

from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.outlook import entries
from carnk_tui.ui.widgets.detail import DetailView
from carnk_tui.ui.widgets.record_list import fill_record_list


class OutlookList(OptionList):
    """Headings are disabled options; records are options whose id is the record id."""


class OutlookPane(KnowledgePane, Horizontal):
    record_id: reactive[str | None] = reactive(None)


    def compose_content(self) -> ComposeResult:
        yield OutlookList(id="outlook-list")
        yield DetailView(id="outlook-detail")

    def draw(self) -> None:
        listed = entries(self.kb, self.lang, self.filters)
        self.record_id = fill_record_list(self.query_one(OutlookList), listed, self.record_id,
                                          indent="  ")
        self._render_detail()

    def show_record(self, record_id: str) -> None:
        """Show a record, highlighting it in the list (once the pane is built)."""
        self.when_built(lambda: self._show_record(record_id))

    def _show_record(self, record_id: str) -> None:
        self.ensure_drawn()
        self.record_id = record_id
        listing = self.query_one(OutlookList)
        index = listing.get_option_index(record_id)
        listing.highlighted = index
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "outlook-list" and event.option.id:
            self.record_id = event.option.id

    def watch_record_id(self) -> None:
        if self.built:
            self._render_detail()

    def _render_detail(self) -> None:
        self.query_one(DetailView).show_record(self.kb, self.record_id, self.lang)
