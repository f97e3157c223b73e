"""The Figures tab: the analyst's views, the dashboard, the pipeline chart and the deals table.

One tab holding three keeps the tab bar within 80 columns; keys 7, 8 and 9 go straight to each view.
Each view is a pane of its own, drawn while it is the one shown: this pane binds the knowledge base,
the language and the filters down to them, and tells each whether it is shown (`view`).
"""

from __future__ import annotations

from typing import cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from carnk_tui.ui.widgets.dashboard import DashboardView
from carnk_tui.ui.widgets.deals import DealsView
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.widgets.pipeline import PipelineView
from carnk_tui.views.i18n import t

#: view id -> (interface string key, widget, the widget to focus in it), in tab order
VIEWS: dict[str, tuple[str, type[KnowledgePane], str]] = {
    "dashboard": ("figures.dashboard", DashboardView, "#dash-bars"),
    "pipeline": ("figures.pipeline", PipelineView, "#pipeline-rows"),
    "deals": ("figures.deals", DealsView, "#deals-table"),
}


class FiguresPane(KnowledgePane, Vertical):
    DEFAULT_CSS = """
    FiguresPane, FiguresPane #figures-tabs {
        height: 1fr;
    }
    FiguresPane #figures-tabs > ContentSwitcher, FiguresPane #figures-tabs TabPane {
        height: 1fr;
    }
    FiguresPane DashboardView, FiguresPane PipelineView, FiguresPane DealsView {
        height: 1fr;
    }
    FiguresPane #dash-counts, FiguresPane #dash-hint, FiguresPane #pipeline-hint,
    FiguresPane #pipeline-legend, FiguresPane #pipeline-header, FiguresPane #deals-hint {
        height: 1;
        padding: 0 1;
    }
    FiguresPane #dash-bars, FiguresPane #pipeline-rows {
        height: 1fr;
        border: none;
    }
    FiguresPane #deals-table {
        height: 1fr;
    }
    """

    #: the view shown ("dashboard", "pipeline", "deals") while the Figures tab is the active one, else ""
    view: var[str] = var("", init=False)

    def compose_content(self) -> ComposeResult:
        """The three views, each built when first shown. They start with this pane's values (their bindings
        take over once mounted), so the first view is drawn as soon as it is mounted."""
        first = next(iter(VIEWS))
        self.view = first if self.shown else ""
        with TabbedContent(id="figures-tabs"):
            for view_id, (key, widget, _) in VIEWS.items():
                with TabPane(t(key, self.lang), id=f"figures-{view_id}"):
                    pane = widget(self.kb, self.lang, tab=view_id, lazy=view_id != first, id=f"{view_id}-view")
                    pane.set_reactive(KnowledgePane.filters, self.filters)
                    pane.set_reactive(KnowledgePane.tab, self.view)
                    yield cast(Widget, pane).data_bind(FiguresPane.kb, FiguresPane.lang, FiguresPane.filters,
                                                      tab=FiguresPane.view)

    def content_built(self) -> None:
        for view_id in VIEWS:
            self.query_one(f"#{view_id}-view", KnowledgePane).redraw()

    def draw(self) -> None:
        """The views draw themselves; this pane only names them in the interface language."""
        tabs = self.query_one("#figures-tabs", TabbedContent)
        for view_id, (key, _, _) in VIEWS.items():
            tabs.get_tab(f"figures-{view_id}").label = t(key, self.lang)

    def _chosen(self) -> str:
        """The view whose tab is chosen (shown or not)."""
        if not self.built:
            return next(iter(VIEWS))
        active = self.query_one("#figures-tabs", TabbedContent).active.removeprefix("figures-")
        return active if active in VIEWS else next(iter(VIEWS))

    def watch_tab(self) -> None:
        super().watch_tab()
        self.view = self._chosen() if self.shown else ""

    @on(TabbedContent.TabActivated, "#figures-tabs")
    def _view_chosen(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.view = self._chosen() if self.shown else ""

    def show_view(self, view_id: str) -> None:
        """Choose a view and focus its list or table (it is shown once the Figures tab is), once the pane and
        the view are built."""
        self.when_built(lambda: self._show_view(view_id))

    def _show_view(self, view_id: str) -> None:
        view = self.query_one(f"#{view_id}-view", KnowledgePane)
        if not view.built:
            self.screen.set_focus(None)  # as `MainScreen.action_tab` does, for the same reason
        self.query_one("#figures-tabs", TabbedContent).active = f"figures-{view_id}"
        self.view = view_id if self.shown else ""
        view.when_built(lambda: self._focus(view_id))

    def _focus(self, view_id: str) -> None:
        if self.view == view_id:  # not if another view was chosen meanwhile
            self.query_one(VIEWS[view_id][2]).focus()

    @property
    def record_id(self) -> str | None:
        """The record under the cursor in the view shown (a product, a deal, a company), if any: the
        presentation starts from it."""
        if self._chosen() == "pipeline":
            return self.query_one(PipelineView).product_id
        if self._chosen() == "deals":
            key = self.query_one(DealsView).current_key()
            return key if key is not None and self.kb.get(key) is not None else None
        return None
