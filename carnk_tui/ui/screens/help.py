"""The help screen: every key, where it works, in the interface language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from carnk_tui.views.i18n import key_word, t
from carnk_tui.ui.keys import describe_bindings
from carnk_tui.kb.model import Lang
from carnk_tui.ui.wrapped import Wrapped


class HelpScreen(ModalScreen[None]):
    """`groups` is a list of (heading, BINDINGS) pairs."""

    BINDINGS = [("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, groups: list[tuple[str, list]], lang: Lang) -> None:
        super().__init__()
        self.groups = groups
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-body")

    def _table(self) -> Table:
        table = Table(title=t("help.title", self.lang), expand=True, show_header=False, box=None)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for heading, bindings in self.groups:
            table.add_row(Text(heading, style="bold underline"), "")
            for keys, description in describe_bindings(bindings):
                table.add_row(keys, Wrapped(key_word(description, self.lang)))
            table.add_row("", "")
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
