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

    def on_screen_suspend(self) -> None:
        """The explorer now covers this screen for good: its spinner would go on redrawing 16 times a second, unseen."""
        self.query(LoadingIndicator).remove()
