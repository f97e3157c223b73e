"""The main screen: header, the filter bar, the tabs, the footer; opening records, history, export."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Challenge, Direction, Event, Judgement, Lang, Overview
from carnk_tui.kb.problems import Problem
from carnk_tui.ui.app import CarnkApp
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.ui.screens.filters import FilterScreen
from carnk_tui.ui.screens.search import SearchScreen
from carnk_tui.ui.screens.side_by_side import CompareScreen
from carnk_tui.ui.widgets.compare import ComparePane
from carnk_tui.ui.widgets.dashboard import DashboardView
from carnk_tui.ui.widgets.detail import LinkList
from carnk_tui.ui.widgets.figures import FiguresPane
from carnk_tui.ui.widgets.footer import KeyFooter
from carnk_tui.ui.widgets.landscape import LandscapePane
from carnk_tui.ui.widgets.outlook import OutlookPane
from carnk_tui.ui.widgets.overview import OverviewPane
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.widgets.results import ResultsPane
from carnk_tui.ui.widgets.timeline import TimelinePane
from carnk_tui.views.clipboard import Clip
from carnk_tui.views.filters import Filters
from carnk_tui.views.history import History, Place
from carnk_tui.views.i18n import t
from carnk_tui.views.landscape_tree import find
from carnk_tui.views.registry_overview import REGISTRY_KEY

#: tab pane id -> (interface string key, widget shown in it, widget to focus), in tab order
TABS: dict[str, tuple[str, type[KnowledgePane], str]] = {
    "overview": ("tab.overview", OverviewPane, "#overview-pane"),
    "landscape": ("tab.landscape", LandscapePane, "#camp-tree"),
    "outlook": ("tab.outlook", OutlookPane, "#outlook-list"),
    "compare": ("tab.compare", ComparePane, "#compare-table"),
    "timeline": ("tab.timeline", TimelinePane, "#timeline-list"),
    "results": ("tab.results", ResultsPane, "#results-list"),
    "figures": ("tab.figures", FiguresPane, "#dash-bars"),
}

#: the tab shown at start (the only one whose content is composed then)
FIRST_TAB = "landscape"


class MainScreen(Screen[None]):
    """Owns what the tabs show: `kb` and `lang` (bound to the app's), `filters` and the active `tab`.

    Each pane is composed with `data_bind` to these four, so a change here reaches every pane. Only the
    tab shown first has its content composed at start; the others compose theirs when first shown
    (`KnowledgePane.when_built`), so whatever focuses or reads a pane waits for that.
    """

    BINDINGS = [
        *(Binding(str(i), f"tab('{pane}')", t(key, "en"), show=False, id=f"main.tab.{pane}")
          for i, (pane, (key, _, _)) in enumerate(TABS.items(), start=1)),
        Binding("8", "figures('pipeline')", "Pipeline", show=False, id="main.figures.pipeline"),
        Binding("9", "figures('deals')", "Deals", show=False, id="main.figures.deals"),
        Binding("slash", "search", "Search", id="main.search"),
        Binding("f", "filters", "Filter", id="main.filters"),
        Binding("x", "clear_filters", "Clear filters", show=False, id="main.clear_filters"),
        Binding("left_square_bracket,alt+left", "back", "Back", show=False, id="main.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", show=False, id="main.forward"),
        Binding("e", "export", "Export", show=False, id="main.export"),
        Binding("y", "copy", "Copy", show=False, id="main.copy"),
        Binding("p", "present", "Present", show=False, id="main.present"),
    ]

    app = getters.app(CarnkApp)

    #: the knowledge base shown; replaced as a whole on reload (compared by identity, never by value)
    kb: var[KnowledgeBase] = var(cast(KnowledgeBase, None), always_update=True, init=False)
    lang: var[Lang] = var("zh", init=False)
    filters: var[Filters] = var(Filters, init=False)
    #: the id of the tab shown
    tab: var[str] = var(FIRST_TAB, init=False)

    def __init__(self, kb: KnowledgeBase, lang: Lang, open_text: str | None = None) -> None:
        super().__init__()
        self.set_reactive(MainScreen.kb, kb)
        self.set_reactive(MainScreen.lang, lang)
        self.open_text = open_text
        self.history = History()
        #: the width of the filter line's words (in cells) as last shown
        self._bar_cells = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="filter-bar")
        with TabbedContent(initial=self.tab, id="tabs"):
            for pane_id, (key, widget, _) in TABS.items():
                with TabPane(t(key, self.lang), id=pane_id):
                    pane = widget(self.kb, self.lang, tab=pane_id, lazy=pane_id != self.tab, id=f"{pane_id}-pane")
                    yield pane.data_bind(MainScreen.kb, MainScreen.lang, MainScreen.filters, MainScreen.tab)
        with VerticalScroll(id="problems"):
            yield Static(id="problems-body")
        yield KeyFooter().data_bind(MainScreen.lang)

    def on_mount(self) -> None:
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

    # ------------------------------------------------------------ language and data
    def _set_titles(self) -> None:
        meta = self.kb.meta
        self.app.title = meta.title.get(self.lang)
        self.app.sub_title = f"{t('as_of', self.lang)} {meta.as_of}"
        tabs = self.query_one(TabbedContent)
        for pane_id, (key, _, _) in TABS.items():
            tabs.get_tab(pane_id).label = t(key, self.lang)

    def watch_lang(self) -> None:
        if self.is_mounted:
            self._set_titles()
            self._show_filters()

    def watch_kb(self) -> None:
        """New data from disk: every pane shows it (through its binding); record, tab and filters stay."""
        if self.is_mounted:
            self._set_titles()
            self._show_filters()
            self.query_one("#problems").display = False

    def show_problems(self, problems: list[Problem]) -> None:
        lines = [t("problems.title", self.lang, n=str(len(problems))), *map(str, problems)]
        self.query_one("#problems-body", Static).update(Text("\n".join(lines)))
        self.query_one("#problems").display = bool(problems)

    # ------------------------------------------------------------ tabs and records
    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_tab(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id
        self.tab = pane_id  # now, not when TabbedContent says so: the caller may read the pane next
        focus, pane = TABS[pane_id][2], self.pane(pane_id)
        if not pane.built:
            # nothing focused while the pane is built: the widget focused in the tab left is hidden now, and
            # Textual would hand the focus to one beside it, in that hidden tab, and so switch back to it
            self.set_focus(None)
        pane.when_built(lambda: self._focus_in(pane_id, focus))

    def _focus_in(self, pane_id: str, selector: str) -> None:
        """Focus a pane's widget, unless the user has gone to another tab while the pane was being built."""
        if self.tab == pane_id:
            self.query_one(selector).focus()

    def pane(self, pane_id: str) -> KnowledgePane:
        """The pane of a tab (its content may not be built yet: see `KnowledgePane.when_built`)."""
        return self.query_one(f"#{pane_id}-pane", KnowledgePane)

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self.tab = event.pane.id

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

        self.app.show_modal(SearchScreen(self.app.search_index, self.kb, self.lang), chosen)

    # ------------------------------------------------------------ filters
    def action_filters(self) -> None:
        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters = filters

        self.app.show_modal(FilterScreen(self.kb, self.filters, self.lang), chosen)

    def action_clear_filters(self) -> None:
        self.filters = Filters()

    def watch_filters(self) -> None:
        if self.is_mounted:
            self._show_filters()

    def _show_filters(self) -> None:
        """The filter line says which filters are on (or that none is).

        The line is always there, so that a filter changes its words, not the screen's layout: a line that
        came and went moved every pane below it, and a large tree was laid out and painted again for it.
        Only when the words need another number of lines (they wrap) is the screen laid out again."""
        bar = self.query_one("#filter-bar", Static)
        if self.filters:
            words = Text(self.filters.bar(self.kb, self.lang))
        else:
            words = Text(t("filter.off", self.lang))
        bar.set_class(bool(self.filters), "-active")
        width = bar.content_size.width  # (laid out for this width: the screen is laid out again on a resize)
        same_height = 0 < max(words.cell_len, self._bar_cells) <= width  # one line before, one line now
        bar.update(words, layout=not same_height)
        self._bar_cells = words.cell_len

    # ------------------------------------------------------------ figures
    def action_figures(self, view: str) -> None:
        """Show one of the Figures tab's views: the dashboard, the pipeline chart, the deals table."""
        figures = self.query_one(FiguresPane)
        if not figures.built:
            self.set_focus(None)  # as in `action_tab`
        self.query_one(TabbedContent).active = "figures"
        figures.show_view(view)
        self.tab = "figures"  # now, as `action_tab` does: the view is drawn before the next key (or once built)

    def on_dashboard_view_filter_chosen(self, message: DashboardView.FilterChosen) -> None:
        """A dashboard bar: add its filter and list the products it counts."""
        self.filters = self.filters.with_(**{message.dim: message.value})
        self.action_tab("compare")

    # ------------------------------------------------------------ compare
    def on_compare_pane_compare_requested(self, message: ComparePane.CompareRequested) -> None:
        if not 2 <= len(message.ids) <= 4:
            self.notify(t("compare.need_two", self.lang), severity="warning")
            return
        self.app.show_modal(CompareScreen(self.kb, message.ids, self.lang))

    # ------------------------------------------------------------ presentation
    def current_record(self) -> str | None:
        """The record the user is looking at in the active tab, if any (None while its pane is being built)."""
        return self._active_pane().selected_record()

    def action_present(self) -> None:
        self._active_pane().when_built(self._present)

    def _present(self) -> None:
        from carnk_tui.ui.screens.presentation import PresentScreen

        def back(record_id: str | None) -> None:
            if record_id:
                self.open_record(record_id)

        self.app.show_modal(PresentScreen(self.kb, self.lang, start_record_id=self.current_record()), back)

    # ------------------------------------------------------------ copy and export
    def _active_pane(self) -> KnowledgePane:
        return self.pane(self.active_tab)

    def selected_clip(self) -> Clip | None:
        """What `y` copies: a highlighted link of a detail (a source as its citation, a record as Markdown), else
        what the pane offers (a Compare row as CSV), else the record the pane shows as Markdown."""
        from carnk_tui.export.clipboard import record_clip

        focused = self.focused
        if isinstance(focused, LinkList) and focused.highlighted_option is not None:
            link_id = focused.highlighted_option.id
            clip = record_clip(self.kb, link_id, self.lang) if link_id else None
            if clip is not None:
                return clip
        pane = self._active_pane()
        clip = pane.copy_clip()
        if clip is not None:
            return clip
        record_id = pane.selected_record()
        return record_clip(self.kb, record_id, self.lang) if record_id else None

    def action_copy(self) -> None:
        """Copy what is selected through the terminal's clipboard (OSC 52: works over SSH where the terminal
        allows it) and say what was copied."""
        self._active_pane().when_built(self._copy)

    def _copy(self) -> None:
        clip = self.selected_clip()
        if clip is None:
            self.notify(t("copy.nothing", self.lang), severity="warning", timeout=3, markup=False)
            return
        self.app.copy_to_clipboard(clip.text)
        self.notify(t("copy.done", self.lang, what=clip.what), timeout=3, markup=False)

    def action_export(self) -> None:
        """The export dialog, offering what the active tab has: its record, its rows, its marked rows, everything."""
        self._active_pane().when_built(self._export)

    def _export(self) -> None:
        from carnk_tui.export.view import default_directory, exportable
        from carnk_tui.ui.screens.export import ExportScopes, ExportScreen

        tab = self.active_tab
        pane = self._active_pane()
        record = pane.selected_record()
        scopes = ExportScopes(tab=tab, tab_key=TABS[tab][0],
                              record=record if record and exportable(self.kb, record) else None,
                              view=pane.shown_ids(), marked=pane.marked_ids(),
                              columns=list(pane.columns) if isinstance(pane, ComparePane) else None)

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(t("export.done", self.lang, path=str(path)), markup=False)

        self.app.show_modal(ExportScreen(self.kb, scopes, default_directory(), self.lang), written)
