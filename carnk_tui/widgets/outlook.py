"""The Challenges & Outlook tab: challenges, setbacks, future directions and the closing judgement."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from carnk_tui.details import describe
from carnk_tui.kb import KnowledgeBase
from carnk_tui.widgets.pane import KnowledgePane
from carnk_tui.model import Lang
from carnk_tui.outlook_items import entries
from carnk_tui.widgets.detail import DetailView


class OutlookList(OptionList):
    """Headings are disabled options; records are options whose id is the record id."""


class OutlookPane(KnowledgePane, Horizontal):
    record_id: reactive[str | None] = reactive(None)


    def compose(self) -> ComposeResult:
        yield OutlookList(id="outlook-list")
        yield DetailView(id="outlook-detail")

    def draw(self) -> None:
        lang = self.lang
        listing = self.query_one(OutlookList)
        keep = self.record_id
        listing.clear_options()
        for entry in entries(self.kb, lang):
            if entry.record_id is None:
                listing.add_option(Option(Text(entry.label, style="bold underline"), disabled=True))
            else:
                listing.add_option(Option(Text("  " + entry.label), id=entry.record_id))
        target = keep or next((e.record_id for e in entries(self.kb, lang) if e.record_id), None)
        if target:
            listing.highlighted = listing.get_option_index(target)
        self._render_detail()

    def show_record(self, record_id: str) -> None:
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
        self._render_detail()

    def _render_detail(self) -> None:
        record = self.kb.get(self.record_id) if self.record_id else None
        self.query_one(DetailView).show(describe(record, self.kb, self.lang) if record else None, self.lang)
