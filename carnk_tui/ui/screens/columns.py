"""The Compare table's column chooser: every column with a tick box, in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from carnk_tui.kb.model import Lang
from carnk_tui.ui.screens.bilingual import BilingualModal
from carnk_tui.views.compare import COLUMNS
from carnk_tui.views.i18n import t


class ColumnsScreen(BilingualModal[tuple[str, ...]]):
    """Dismisses with the chosen column ids (Product always among them), in table order."""

    DEFAULT_CSS = """
    ColumnsScreen {
        align: center middle;
    }
    #columns-box {
        width: 44;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #columns-title {
        text-style: bold;
        width: 1fr;
    }
    #columns-hint {
        color: $text-muted;
        width: 1fr;
    }
    /* without colours a ticked box and an empty one would look the same */
    #columns-list:nocolor > .selection-list--button {
        text-style: dim;
    }
    #columns-list:nocolor > .selection-list--button-selected,
    #columns-list:nocolor > .selection-list--button-selected-highlighted {
        text-style: bold reverse;
    }
    #columns-list {
        height: auto;
        max-height: 1fr;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = [
        Binding("escape,v", "done", "Done", id="columns.done"),
        Binding("l", "app.toggle_lang", "Language", id="app.language"),
    ]

    def __init__(self, chosen: tuple[str, ...], lang: Lang) -> None:
        super().__init__(lang)
        self.initial = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="columns-box"):
            yield Label(t("columns.title", self.lang), id="columns-title")
            yield SelectionList[str](*self._selections(set(self.initial)), id="columns-list")
            yield Label(t("columns.hint", self.lang), id="columns-hint")

    def _selections(self, chosen: set[str]) -> list[Selection[str]]:
        """One line per column; Product is always shown, so its box cannot be unticked."""
        return [
            Selection(t(key, self.lang) + (t("columns.always", self.lang) if column == "product" else ""),
                      column, column in chosen or column == "product", disabled=column == "product")
            for column, key in COLUMNS.items()
        ]

    def on_mount(self) -> None:
        listing = self.query_one("#columns-list", SelectionList)
        listing.focus()
        listing.highlighted = 1  # the first column that can be unticked

    def chosen(self) -> tuple[str, ...]:
        ticked = set(self.query_one("#columns-list", SelectionList).selected)
        return tuple(c for c in COLUMNS if c in ticked or c == "product")

    def watch_lang(self, old: Lang, new: Lang) -> None:
        """The same ticks, in the other language."""
        if old == new or not self.is_mounted:
            return
        listing: SelectionList[str] = self.query_one("#columns-list", SelectionList)
        ticked, highlighted = set(listing.selected), listing.highlighted
        listing.clear_options()
        listing.add_options(self._selections(ticked))
        listing.highlighted = highlighted
        self.query_one("#columns-title", Label).update(t("columns.title", self.lang))
        self.query_one("#columns-hint", Label).update(t("columns.hint", self.lang))

    def action_done(self) -> None:
        self.dismiss(self.chosen())
