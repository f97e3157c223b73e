"""The Timeline tab: every dated event by year, with the selected event's detail."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import OptionList

from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.i18n import t
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.views.timeline import main_record, timeline_entries
from carnk_tui.ui.widgets.detail import DetailView
from carnk_tui.ui.widgets.record_list import fill_record_list


class TimelinePane(KnowledgePane, Horizontal):
    """Highlighting an event shows it; Enter opens the record it is about in the Landscape tab."""

    record_id: reactive[str | None] = reactive(None)

    def compose_content(self) -> ComposeResult:
        yield OptionList(id="timeline-list")
        yield DetailView(id="timeline-detail")

    def event_ids(self) -> list[str]:
        return [e.record_id for e in timeline_entries(self.kb, self.lang, self.filters) if e.record_id]

    def shown_ids(self) -> list[str] | None:
        """The events listed, through the filters (export scope "this view")."""
        return list(dict.fromkeys(self.event_ids()))

    def draw(self) -> None:
        listing = self.query_one("#timeline-list", OptionList)
        entries = timeline_entries(self.kb, self.lang, self.filters)
        self.record_id = fill_record_list(listing, entries, self.record_id,
                                          style=lambda entry: "yellow" if entry.setback else "", hang=6)
        self._render_detail()

    def show_record(self, event_id: str) -> None:
        """Show an event, highlighting it when the list has it (once the pane is built)."""
        self.when_built(lambda: self._show_record(event_id))

    def _show_record(self, event_id: str) -> None:
        self.ensure_drawn()
        self.record_id = event_id
        listing = self.query_one("#timeline-list", OptionList)
        if event_id in self.event_ids():
            listing.highlighted = listing.get_option_index(event_id)
        listing.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "timeline-list" and event.option.id:  # not the detail's links
            self.record_id = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "timeline-list" and event.option.id:
            event.stop()
            self.post_message(OpenRecord(main_record(event.option.id, self.kb)))

    def watch_record_id(self) -> None:
        if self.built:
            self._render_detail()

    def _render_detail(self) -> None:
        detail = self.query_one(DetailView)
        if self.record_id is None and self.filters:
            detail.show_message(t("filter.none_match", self.lang))
        else:
            detail.show_record(self.kb, self.record_id, self.lang)
