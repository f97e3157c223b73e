"""The Landscape tab: the camps tree on the left, the selected record's detail on the right."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Tree

from carnk_tui.ui.widgets.detail import DetailView
from carnk_tui.ui.widgets.landscape_tree import MORE_PREFIX, CampTree
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.i18n import t
from carnk_tui.views.landscape_tree import DEALS_PREFIX


class LandscapePane(KnowledgePane, Horizontal):
    """`record_id` is what the detail shows; the tree's cursor sets it, and so does `show_record`."""

    record_id: reactive[str | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield CampTree(self.kb, self.lang, id="camp-tree")
        yield DetailView(id="landscape-detail")

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        key = event.node.data
        if key and not key.startswith((DEALS_PREFIX, MORE_PREFIX)):
            self.record_id = key

    def watch_record_id(self, record_id: str | None) -> None:
        self._render_detail()

    def draw(self) -> None:
        """The tree shows `kb` in `lang` through the filters; the detail its cursor's record, or says none match."""
        if self.record_id is not None and not self._known(self.record_id):
            self.record_id = None  # gone from the reloaded data
        self.record_id = self.query_one(CampTree).show(self.kb, self.lang, self.filters, keep=self.record_id)
        self._render_detail()

    def _known(self, key: str) -> bool:
        """A record of `kb`, or a node of the registry branch."""
        from carnk_tui.views.registry_overview import detail_for_key

        return key in self.kb.by_id or detail_for_key(key, self.kb, self.lang) is not None

    def _render_detail(self) -> None:
        from carnk_tui.views.registry_overview import detail_for_key

        detail = self.query_one(DetailView)
        registry = detail_for_key(self.record_id, self.kb, self.lang)  # the registry branch and its sponsor groups
        if registry is not None:
            detail.show(registry, self.lang)
        elif self.record_id is None and self.filters:
            detail.show_message(t("filter.none_match", self.lang))
        else:
            detail.show_record(self.kb, self.record_id, self.lang)

    def show_record(self, record_id: str) -> None:
        """Show a record, moving the tree's cursor to it when it has a node."""
        self.ensure_drawn()
        self.query_one(CampTree).reveal(record_id)
        self.record_id = record_id
