"""Below the smallest terminal the app is laid out for, a notice takes the whole screen instead of a
broken layout; it goes away by itself when the terminal is enlarged."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from carnk_tui.kb.model import Lang
from carnk_tui.ui.wrapped import Wrapped
from carnk_tui.views.i18n import t

#: the smallest terminal (columns, lines) every screen is laid out for
MIN_WIDTH, MIN_HEIGHT = 60, 16


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """"Enlarge the terminal to at least W×H", in both languages (the interface language first)."""

    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
        background: $background;
    }
    TooSmallScreen #too-small {
        width: 100%;
        height: auto;
        padding: 0 1;
    }
    """

    #: a modal screen keeps every other key from the screens under it; q still quits
    BINDINGS = [("q", "app.quit", "Quit")]

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.show_size()

    def on_resize(self, event: events.Resize) -> None:
        self.show_size(event.size)

    def show_size(self, size: Size | None = None) -> None:
        size = size or self.app.size
        fields = {"w": str(MIN_WIDTH), "h": str(MIN_HEIGHT), "cw": str(size.width), "ch": str(size.height)}
        other: Lang = "en" if self.lang == "zh" else "zh"
        message = "\n\n".join(t("too_small", lang, **fields) for lang in (self.lang, other))
        self.query_one("#too-small", Static).update(Wrapped(message, "bold", justify="center"))


def check_size(app: App, lang: Lang, size: Size) -> None:
    """Show the notice when the terminal (`size`) is below the minimum, take it away when it is not."""
    small = too_small(size.width, size.height)
    showing = isinstance(app.screen, TooSmallScreen)
    if small and not showing:
        app.push_screen(TooSmallScreen(lang))
    elif not small and showing:
        app.pop_screen()
