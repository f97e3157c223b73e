"""What the first frame shows while the knowledge base loads in the background."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label, LoadingIndicator

from carnk_tui.kb.model import Lang
from carnk_tui.views.i18n import t


class LoadingScreen(Screen[None]):
    DEFAULT_CSS = """
    LoadingScreen Label { margin-bottom: 1; }
    LoadingScreen LoadingIndicator { height: 3; }
    """

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label(t("msg.loading", self.lang))
            yield LoadingIndicator()
