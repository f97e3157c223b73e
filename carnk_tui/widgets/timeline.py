"""The Timeline tab: every dated event by year, with the selected event's detail."""

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
from carnk_tui.messages import OpenRecord
from carnk_tui.model import Lang
from carnk_tui.timeline import main_record, timeline_entries
from carnk_tui.widgets.detail import DetailView


class TimelinePane(KnowledgePane, Horizontal):
    """Highlighting an event shows it; Enter opens the record it is about in the Landscape tab."""

    record_id: reactive[str | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield OptionList(id="timeline-list")
        yield DetailView(id="timeline-detail")

    def event_ids(self) -> list[str]:
        return [e.record_id for e in timeline_entries(self.kb, self.lang, self.filters) if e.record_id]

    def draw(self) -> None:
        listing = self.query_one("#timeline-list", OptionList)
        keep = self.record_id
        listing.clear_options()
        entries = timeline_entries(self.kb, self.lang, self.filters)
        for entry in entries:
            if entry.record_id is None:
                listing.add_option(Option(Text(entry.label, style="bold underline"), disabled=True))
            else:
                style = "yellow" if entry.setback else ""
                listing.add_option(Option(Text(entry.label, style=style), id=entry.record_id))
        ids = [e.record_id for e in entries if e.record_id]
        target = keep if keep in ids else (ids[0] if ids else None)
        if target:
            listing.highlighted = listing.get_option_index(target)
        self.record_id = target
        self._render_detail()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.record_id = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "timeline-list" and event.option.id:
            event.stop()
            self.post_message(OpenRecord(main_record(event.option.id, self.kb)))

    def watch_record_id(self) -> None:
        self._render_detail()

    def _render_detail(self) -> None:
        record = self.kb.get(self.record_id) if self.record_id else None
        self.query_one(DetailView).show(describe(record, self.kb, self.lang) if record else None, self.lang)
