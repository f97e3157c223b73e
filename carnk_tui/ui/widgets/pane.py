"""What every tab's pane shares: it shows one knowledge base, in one language, through the filters.

A pane draws only when it is on screen: a hidden tab that the language, the filters or reloaded data
change is marked stale and drawn when it is next shown, so start-up and every change cost only what
the user sees.
"""

from __future__ import annotations

from typing import Any

from carnk_tui.views.filters import Filters
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang


class KnowledgePane:
    """Mixin for the tab panes (put it before the Textual container class)."""

    def __init__(self, kb: KnowledgeBase, lang: Lang, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kb = kb
        self.lang: Lang = lang
        self.filters = Filters()
        self._stale = True

    def draw(self) -> None:  # pragma: no cover - every pane overrides it
        """Show `kb` in `lang` through `filters`."""
        raise NotImplementedError

    def redraw(self) -> None:
        if self.is_on_screen:  # type: ignore[attr-defined]
            self._stale = False
            self.draw()
        else:
            self._stale = True

    def on_show(self) -> None:
        self.ensure_drawn()

    def ensure_drawn(self) -> None:
        """Draw now if anything changed since the last drawing (before reading what is shown)."""
        if self._stale:
            self._stale = False
            self.draw()

    def set_lang(self, lang: Lang) -> None:
        self.lang = lang
        self.redraw()

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.redraw()

    def set_kb(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.redraw()
