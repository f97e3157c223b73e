"""What every tab's pane shares: it shows one knowledge base in one language."""

from __future__ import annotations

from carnk_tui.kb import KnowledgeBase
from carnk_tui.model import Lang


class KnowledgePane:
    """Mixin for the tab panes: `set_lang` redraws; `set_kb` swaps in reloaded data and redraws."""

    kb: KnowledgeBase
    lang: Lang

    def set_lang(self, lang: Lang) -> None:  # pragma: no cover - every pane overrides it
        raise NotImplementedError

    def set_kb(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.set_lang(self.lang)
