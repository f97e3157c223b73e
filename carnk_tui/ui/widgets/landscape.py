"""The Landscape tab: the camps tree on the left, the selected record's detail on the right."""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Tree

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.ui.widgets.detail import DetailView
from carnk_tui.ui.widgets.landscape_tree import MORE_PREFIX, CampTree
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.i18n import t
from carnk_tui.views.landscape_tree import DEALS_PREFIX


#: seconds the detail waits after a cursor move that follows another one closely (holding a key down
#: draws the detail of the record the cursor stops on, not of every record it passes)
DETAIL_DELAY = 0.1


class LandscapePane(KnowledgePane, Horizontal):
    """`record_id` is what the detail shows; the tree's cursor sets it, and so does `show_record`.

    The detail follows the cursor at once when it moves after a pause; while moves follow each other
    closely it is drawn once they stop (a one-shot timer, restarted by each move: none runs while idle).
    """

    #: (a var: the pane itself draws nothing of it, so a new value repaints only the detail)
    record_id: var[str | None] = var(None)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        #: the detail's cool-down after a drawing; a move while it runs waits for it to end
        self._detail_timer: Timer | None = None
        self._detail_due = False
        self._moving = False  # record_id is being set by the tree's cursor
        #: what the detail shows: the knowledge base, and (lang, record_id, whether filters are on)
        self._detail_kb: KnowledgeBase | None = None
        self._detail_shown: tuple[object, ...] | None = None
        self._settled = asyncio.Event()

    def compose_content(self) -> ComposeResult:
        yield CampTree(self.kb, self.lang, id="camp-tree")
        yield DetailView(id="landscape-detail")

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        key = event.node.data
        placed = self.query_one(CampTree).placed(event.node)
        if key and not key.startswith((DEALS_PREFIX, MORE_PREFIX)):
            self._moving = not placed
            try:
                self.record_id = key
            finally:
                self._moving = False

    def watch_record_id(self, record_id: str | None) -> None:
        self._request_detail(moving=self._moving)

    @property
    def detail_pending(self) -> bool:
        """Whether the detail still waits to show `record_id` (the cursor is moving)."""
        return self._detail_due

    def _detail_wanted(self) -> tuple[object, ...]:
        return (self.lang, self.record_id, bool(self.filters))

    def _detail_current(self) -> bool:
        return self._detail_kb is self.kb and self._detail_shown == self._detail_wanted()

    async def detail_settled(self) -> None:
        """Wait until the detail shows `record_id` and its timer has ended (at once when the cursor rests)."""
        while self._detail_timer is not None:
            self._settled.clear()
            await self._settled.wait()

    def _request_detail(self, moving: bool = False) -> None:
        """Draw the detail now if the cursor was still (or something else than the cursor asks), else once
        the cursor stops."""
        if not moving:
            if self._detail_timer is not None:
                self._detail_timer.stop()
                self._detail_timer = None
            self._detail_due = False
            self._settled.set()
            if not self._detail_current():
                self._render_detail()
            return
        if not self._detail_due and self._detail_current():
            return
        if self._detail_timer is None:
            self._render_detail()
            # counted from when the detail is on the screen (drawing a large record takes a while, during
            # which a held key's next repeats arrive)
            self._detail_timer = self.set_timer(DETAIL_DELAY, self._cooled, name="landscape detail", pause=True)
            self.call_after_refresh(self._detail_timer.resume)
        else:
            self._detail_due = True
            self._detail_timer.stop()
            self._detail_timer = self.set_timer(DETAIL_DELAY, self._cooled, name="landscape detail")

    def _cooled(self) -> None:
        self._detail_timer = None
        if self._detail_due:
            self._detail_due = False
            self._render_detail()
        self._settled.set()

    def draw(self) -> None:
        """The tree shows `kb` in `lang` through the filters; the detail its cursor's record, or says none match."""
        if self.record_id is not None and not self._known(self.record_id):
            self.record_id = None  # gone from the reloaded data
        self.record_id = self.query_one(CampTree).show(self.kb, self.lang, self.filters, keep=self.record_id)
        self._request_detail()

    def _known(self, key: str) -> bool:
        """A record of `kb`, or a node of the registry branch."""
        from carnk_tui.views.registry_overview import detail_for_key

        return key in self.kb.by_id or detail_for_key(key, self.kb, self.lang) is not None

    def _render_detail(self) -> None:
        from carnk_tui.views.registry_overview import detail_for_key

        self._detail_kb, self._detail_shown = self.kb, self._detail_wanted()
        detail = self.query_one(DetailView)
        registry = detail_for_key(self.record_id, self.kb, self.lang)  # the registry branch and its sponsor groups
        if registry is not None:
            detail.show(registry, self.lang)
        elif self.record_id is None and self.filters:
            detail.show_message(t("filter.none_match", self.lang))
        else:
            detail.show_record(self.kb, self.record_id, self.lang)

    def show_record(self, record_id: str) -> None:
        """Show a record, moving the tree's cursor to it when it has a node (once the pane is built)."""
        self.when_built(lambda: self._show_record(record_id))

    def _show_record(self, record_id: str) -> None:
        self.ensure_drawn()
        self.query_one(CampTree).reveal(record_id)
        self.record_id = record_id
