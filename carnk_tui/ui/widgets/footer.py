"""The footer: the keys that work where the user is, described in the interface language.

Built from the screen's public `active_bindings` (what Textual's own footer reads) and redrawn when
they change (`bindings_updated_signal`) or the language does. Each binding is described by its id
(`carnk_tui.ui.keys`), never by its English text. A click on a key presses it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from carnk_tui.kb.model import Lang
from carnk_tui.ui.keys import describe, footer_key


class KeyFooter(Widget, can_focus=False):
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyFooter > .key-footer--palette {
        color: $footer-foreground 60%;
    }
    """
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--palette"}

    lang: reactive[Lang] = reactive("zh", init=False)

    def __init__(self) -> None:
        super().__init__()
        #: (first cell, end cell, key) of every key drawn, for clicks
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def shown_bindings(self) -> list[tuple[Binding, bool]]:
        """(binding, enabled) for every key the footer shows, the palette's last."""
        palette_key = self.app.COMMAND_PALETTE_BINDING
        seen: set[str] = set()
        shown: list[tuple[Binding, bool]] = []
        palette: list[tuple[Binding, bool]] = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                palette = [(Binding(binding.key, binding.action, "palette", id="app.palette"), active.enabled)]
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, active.enabled))
        return shown + palette

    def text(self) -> Text:
        """The footer's line, as plain as it is drawn (tests read it)."""
        return self._line(self.size.width or 200)

    def render(self) -> RenderResult:
        return self._line(self.size.width)

    def _line(self, width: int) -> Text:
        key_style = self.get_component_rich_style("key-footer--key", partial=True)
        description_style = self.get_component_rich_style("key-footer--description", partial=True)
        palette_style = self.get_component_rich_style("key-footer--palette", partial=True)
        keys: list[tuple[Text, str]] = []
        palette: tuple[Text, str] | None = None
        for binding, enabled in self.shown_bindings():
            key, description = footer_key(binding, self.lang), describe(binding, self.lang)
            if binding.id == "app.palette":
                palette = (Text(f"▏{key} {description} ", style=palette_style), binding.key)
                continue
            item = Text.assemble((f" {key} ", key_style), (f"{description} ", description_style))
            if not enabled:
                item.stylize(Style(dim=True))
            keys.append((item, binding.key.split(",")[0]))
        room = max(width - (palette[0].cell_len if palette else 0), 0)
        line = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []
        for item, key in keys:
            start = line.cell_len
            line.append_text(item)
            spans.append((start, line.cell_len, key))
        line.truncate(room, overflow="ellipsis")
        line.pad_right(room - line.cell_len)
        spans = [(start, min(end, room), key) for start, end, key in spans if start < room]
        if palette is not None:
            spans.append((line.cell_len, line.cell_len + palette[0].cell_len, palette[1]))
            line.append_text(palette[0])
        self._spans = spans
        return line

    def watch_lang(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
