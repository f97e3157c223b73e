"""The main screen: header, the filter bar, the tabs, the footer; opening records, history, export."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from carnk_tui.export.view import write_view
from carnk_tui.views.filters import Filters
from carnk_tui.views.history import History, Place
from carnk_tui.views.i18n import t
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.views.landscape_tree import find
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.views.registry_overview import REGISTRY_KEY
from carnk_tui.kb.model import Challenge, Direction, Event, Judgement, Lang, Overview
from carnk_tui.kb.problems import Problem
from carnk_tui.ui.screens.side_by_side import CompareScreen
from carnk_tui.ui.screens.filters import FilterScreen
from carnk_tui.ui.screens.search import SearchScreen
from carnk_tui.ui.widgets.compare import ComparePane
from carnk_tui.ui.widgets.footer import LocalFooter
from carnk_tui.ui.widgets.landscape import LandscapePane
from carnk_tui.ui.widgets.outlook import OutlookPane
from carnk_tui.ui.widgets.overview import OverviewPane
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.widgets.results import ResultsPane
from carnk_tui.ui.widgets.timeline import TimelinePane

#: tab pane id -> (interface string key, widget shown in it, widget to focus), in tab order
TABS = {
    "overview": ("tab.overview", OverviewPane, "#overview-pane"),
    "landscape": ("tab.landscape", LandscapePane, "#camp-tree"),
    "outlook": ("tab.outlook", OutlookPane, "#outlook-list"),
    "compare": ("tab.compare", ComparePane, "#compare-table"),
    "timeline": ("tab.timeline", TimelinePane, "#timeline-list"),
    "results": ("tab.results", ResultsPane, "#results-pane"),
}


class MainScreen(Screen[None]):
    BINDINGS = [
        *(Binding(str(i), f"tab('{pane}')", t(key, "en"), show=False)
          for i, (pane, (key, _, _)) in enumerate(TABS.items(), start=1)),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("f", "filters", "Filter"),
        Binding("x", "clear_filters", "Clear filters", show=False),
        Binding("left_square_bracket,alt+left", "back", "Back", key_display="[", show=False),
        Binding("right_square_bracket,alt+right", "forward", "Forward", key_display="]", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("p", "present", "Present", show=False),
    ]

    filters: reactive[Filters] = reactive(Filters, init=False)

    def __init__(self, kb: KnowledgeBase, lang: Lang, open_text: str | None = None) -> None:
        super().__init__()
        self.kb = kb
        self.lang: Lang = lang
        self.open_text = open_text
        self.history = History()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="filter-bar")
        with TabbedContent(initial="landscape", id="tabs"):
            for pane_id, (key, widget, _) in TABS.items():
                with TabPane(t(key, self.lang), id=pane_id):
                    yield widget(self.kb, self.lang, id=f"{pane_id}-pane")
        with VerticalScroll(id="problems"):
            yield Static(id="problems-body")
        yield LocalFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang, init=False)
        self._set_titles()
        self._show_filters()
        self.query_one("#problems").display = False
        self.query_one("#camp-tree").focus()
        if self.open_text:
            record_id = find(self.open_text, self.kb)
            if record_id is None:
                self.notify(t("msg.no_match", self.lang, text=self.open_text), severity="warning", markup=False)
            else:
                self.open_record(record_id)

    # ------------------------------------------------------------ language
    def _set_titles(self) -> None:
        meta = self.kb.meta
        self.app.title = meta.title.get(self.lang)
        self.app.sub_title = f"{t('as_of', self.lang)} {meta.as_of}"
        tabs = self.query_one(TabbedContent)
        for pane_id, (key, _, _) in TABS.items():
            tabs.get_tab(pane_id).label = t(key, self.lang)

    def _set_lang(self, lang: Lang) -> None:
        self.lang = lang
        self._set_titles()
        for _, widget, _ in TABS.values():
            self.query_one(widget).set_lang(lang)
        self._show_filters()
        self.refresh_bindings()

    # ------------------------------------------------------------ reloading
    def replace_kb(self, kb: KnowledgeBase) -> None:
        """New data from disk: every pane shows it, the user's record, tab and filters stay."""
        self.kb = kb
        for _, widget, _ in TABS.values():
            self.query_one(widget).set_kb(kb)
        self.query_one("#problems").display = False

    def show_problems(self, problems: list[Problem]) -> None:
        lines = [t("problems.title", self.lang, n=str(len(problems))), *map(str, problems)]
        self.query_one("#problems-body", Static).update(Text("\n".join(lines)))
        self.query_one("#problems").display = True

    # ------------------------------------------------------------ tabs and records
    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_tab(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        self.query_one(TABS[pane_id][2]).focus()

    @on(OpenRecord)
    def _open(self, message: OpenRecord) -> None:
        self.open_record(message.record_id)

    def open_record(self, record_id: str, remember: bool = True, tab: str | None = None) -> None:
        """Show any record in the tab where it belongs (or in `tab`, when it can show it there).

        Every way of opening a record comes here, and so is remembered: back (`[`) returns to
        the place the user left, forward (`]`) to this record."""
        record = self.kb.get(record_id)
        if record is None and record_id != REGISTRY_KEY:  # the registry branch's node is not a record
            return
        if remember:
            self._remember_here()
            self.history.visit(record_id)
        if isinstance(record, Overview):
            self.action_tab("overview")
        elif isinstance(record, (Challenge, Direction, Judgement)) or (isinstance(record, Event) and tab == "outlook"):
            self.action_tab("outlook")
            self.query_one(OutlookPane).show_record(record_id)
        elif isinstance(record, Event) and tab != "landscape":
            self.action_tab("timeline")
            self.query_one(TimelinePane).show_record(record_id)
        else:
            self.action_tab("landscape")
            self.query_one(LandscapePane).show_record(record_id)

    def _remember_here(self) -> None:
        """The record the user is looking at, and where, before they go elsewhere."""
        here = self.current_record()
        if here is not None:
            self.history.browse(here, self.active_tab)

    def action_back(self) -> None:
        self._remember_here()
        self._revisit(self.history.back(), "history.start")

    def action_forward(self) -> None:
        self._revisit(self.history.forward(), "history.end")

    def _revisit(self, place: Place | None, at_end: str) -> None:
        if place is None:
            self.notify(t(at_end, self.lang), timeout=2)
        else:
            self.open_record(place.record_id, remember=False, tab=place.tab)

    # ------------------------------------------------------------ search
    def action_search(self) -> None:
        def chosen(record_id: str | None) -> None:
            if record_id:
                self.open_record(record_id)

        self.app.push_screen(SearchScreen(self.app.search_index, self.kb, self.lang), chosen)  # type: ignore[attr-defined]

    # ------------------------------------------------------------ filters
    def action_filters(self) -> None:
        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters

        self.app.push_screen(FilterScreen(self.kb, self.filters, self.lang), chosen)

    def action_clear_filters(self) -> None:
        self.filters = Filters()

    def watch_filters(self, filters: Filters) -> None:
        for _, widget, _ in TABS.values():  # every view follows every filter
            pane = self.query_one(widget)
            assert isinstance(pane, KnowledgePane)
            pane.set_filters(filters)
        self._show_filters()

    def _show_filters(self) -> None:
        bar = self.query_one("#filter-bar", Static)
        bar.display = bool(self.filters)
        if self.filters:
            bar.update(Text(self.filters.bar(self.kb, self.lang)))

    # ------------------------------------------------------------ compare
    def on_compare_pane_compare_requested(self, message: ComparePane.CompareRequested) -> None:
        if not 2 <= len(message.ids) <= 4:
            self.notify(t("compare.need_two", self.lang), severity="warning")
            return
        self.app.push_screen(CompareScreen(self.kb, message.ids, self.lang))

    # ------------------------------------------------------------ presentation
    def current_record(self) -> str | None:
        """The record the user is looking at in the active tab, if any."""
        pane = self.query_one(TABS[self.active_tab][1])
        return getattr(pane, "record_id", None)

    def action_present(self) -> None:
        from carnk_tui.ui.screens.presentation import PresentScreen

        def back(record_id: str | None) -> None:
            if record_id:
                self.open_record(record_id)

        self.app.push_screen(PresentScreen(self.kb, self.lang, start_record_id=self.current_record()), back)

    # ------------------------------------------------------------ export
    def action_export(self) -> None:
        tab = self.active_tab
        record_id = None
        products = None
        if tab == "compare":
            products = self.query_one(ComparePane).visible_ids()
        else:
            record_id = self.current_record()
        path = write_view(self.kb, self.lang, Path.cwd(), record_id=record_id, product_ids=products)
        self.notify(t("export.done", self.lang, path=str(path)), markup=False)
