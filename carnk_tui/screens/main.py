"""The main screen: header, the three tabs, footer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, TabbedContent, TabPane

from carnk_tui.i18n import t
from carnk_tui.kb import KnowledgeBase
from carnk_tui.landscape_tree import find
from carnk_tui.messages import OpenRecord
from carnk_tui.model import Challenge, Direction, Judgement, Lang, Overview
from carnk_tui.widgets.footer import LocalFooter
from carnk_tui.widgets.landscape import LandscapePane
from carnk_tui.widgets.outlook import OutlookPane
from carnk_tui.widgets.overview import OverviewPane

#: tab pane id -> interface string key, in tab order
TABS = {"overview": "tab.overview", "landscape": "tab.landscape", "outlook": "tab.outlook"}


class MainScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "tab('overview')", "Overview", show=False),
        Binding("2", "tab('landscape')", "Landscape", show=False),
        Binding("3", "tab('outlook')", "Outlook", show=False),
    ]

    def __init__(self, kb: KnowledgeBase, lang: Lang, open_text: str | None = None) -> None:
        super().__init__()
        self.kb = kb
        self.lang: Lang = lang
        self.open_text = open_text

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="landscape", id="tabs"):
            with TabPane(t(TABS["overview"], self.lang), id="overview"):
                yield OverviewPane(self.kb, self.lang, id="overview-pane")
            with TabPane(t(TABS["landscape"], self.lang), id="landscape"):
                yield LandscapePane(self.kb, self.lang, id="landscape-pane")
            with TabPane(t(TABS["outlook"], self.lang), id="outlook"):
                yield OutlookPane(self.kb, self.lang, id="outlook-pane")
        yield LocalFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang, init=False)
        self._set_titles()
        self.query_one("#camp-tree").focus()
        if self.open_text:
            record_id = find(self.open_text, self.kb)
            if record_id is None:
                self.notify(t("msg.no_match", self.lang, text=self.open_text), severity="warning")
            else:
                self.open_record(record_id)

    def _set_titles(self) -> None:
        meta = self.kb.meta
        self.app.title = meta.title.get(self.lang)
        self.app.sub_title = f"{t('as_of', self.lang)} {meta.as_of}"
        tabs = self.query_one(TabbedContent)
        for pane_id, key in TABS.items():
            tabs.get_tab(pane_id).label = t(key, self.lang)

    def _set_lang(self, lang: Lang) -> None:
        self.lang = lang
        self._set_titles()
        for pane in (OverviewPane, LandscapePane, OutlookPane):
            self.query_one(pane).set_lang(lang)
        self.refresh_bindings()

    def action_tab(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        focus = {"overview": "#overview-pane", "landscape": "#camp-tree", "outlook": "#outlook-list"}[pane_id]
        self.query_one(focus).focus()

    @on(OpenRecord)
    def _open(self, message: OpenRecord) -> None:
        self.open_record(message.record_id)

    def open_record(self, record_id: str) -> None:
        """Show any record in the tab where it belongs."""
        record = self.kb.get(record_id)
        if isinstance(record, Overview):
            self.action_tab("overview")
        elif isinstance(record, (Challenge, Direction, Judgement)):
            self.action_tab("outlook")
            pane = self.query_one(OutlookPane)
            pane.record_id = record_id
            listing = pane.query_one("#outlook-list")
            listing.highlighted = listing.get_option_index(record_id)
        elif record is not None:
            self.action_tab("landscape")
            self.query_one(LandscapePane).show_record(record_id)
