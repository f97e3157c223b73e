"""What every tab's pane shares: it shows one knowledge base, in one language, through the filters.

The main screen composes each pane with `data_bind`: `kb`, `lang`, `filters` and the active tab
(`tab`) flow down into the pane's own reactives, and their watchers redraw. A pane draws only while
its tab is the active one: a change to a hidden pane is drawn when its tab is next chosen, so
start-up and every change cost only what the user sees. Whether the tab is shown comes from the
main screen's `tab`, not from Textual's Show event, which does not arrive when a tab is chosen right
after something scrolled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.reactive import var
from textual.widget import Widget

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.views.clipboard import Clip
from carnk_tui.views.filters import Filters


if TYPE_CHECKING:
    _PaneBase = Widget
else:  # a mixin, so that the container after it keeps its CSS (Textual follows the first widget base)
    _PaneBase = object


class KnowledgePane(_PaneBase):
    """Mixin for the tab panes (put it before the Textual container class: `class X(KnowledgePane, Vertical)`)."""

    #: the knowledge base shown; a reload replaces it as a whole (compared by identity, never by value)
    kb: var[KnowledgeBase] = var(cast(KnowledgeBase, None), always_update=True, init=False)
    lang: var[Lang] = var("zh", init=False)
    filters: var[Filters] = var(Filters, init=False)
    #: the id of the main screen's active tab
    tab: var[str] = var("", init=False)

    def __init__(self, kb: KnowledgeBase, lang: Lang, tab: str = "", **kwargs: Any) -> None:
        """`tab` is the id of the tab pane this pane is shown in."""
        super().__init__(**kwargs)
        self.set_reactive(KnowledgePane.kb, kb)
        self.set_reactive(KnowledgePane.lang, lang)
        self.own_tab = tab
        #: (kb, lang, filters) as last drawn
        self._drawn: tuple[KnowledgeBase, Lang, Filters] | None = None

    @property
    def shown(self) -> bool:
        return self.tab == self.own_tab

    def draw(self) -> None:  # pragma: no cover - every pane overrides it
        """Show `kb` in `lang` through `filters`."""
        raise NotImplementedError

    # ------------------------------------------------------------ what `y` copies and `e` exports
    def selected_record(self) -> str | None:
        """The record under the cursor, if the pane has one (for `p`, `y` and `e`)."""
        return cast("str | None", getattr(self, "record_id", None))

    def shown_ids(self) -> list[str] | None:
        """The ids of the rows this view lists, in the order shown (export scope "this view"); None if no list."""
        return None

    def marked_ids(self) -> list[str]:
        """The rows the user marked (export scope "marked rows")."""
        return []

    def copy_clip(self) -> Clip | None:
        """What `y` copies here, when the pane has something better than the selected record as Markdown."""
        return None

    def _is_drawn(self) -> bool:
        drawn = self._drawn
        return drawn is not None and drawn[0] is self.kb and drawn[1:] == (self.lang, self.filters)

    def ensure_drawn(self) -> None:
        """Draw now if the knowledge base, language or filters changed since the last drawing."""
        if not self._is_drawn():
            self._drawn = (self.kb, self.lang, self.filters)
            self.draw()

    def redraw(self, force: bool = False) -> None:
        """Draw what changed if the pane is shown (`force`: draw again, e.g. at a new width)."""
        if self.shown and self.is_mounted:
            if force:
                self._drawn = None
            self.ensure_drawn()

    def watch_kb(self) -> None:
        self.redraw()

    def watch_lang(self) -> None:
        self.redraw()

    def watch_filters(self) -> None:
        self.redraw()

    def watch_tab(self) -> None:
        self.redraw()
