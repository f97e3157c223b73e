"""The help screen: every key of every place in the app, as the user types it, in the interface language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, OptionList, Static, Tree

from carnk_tui.kb.model import Lang
from carnk_tui.ui.wrapped import Wrapped
from carnk_tui.ui.keys import describe_bindings, word
from carnk_tui.ui.screens.bilingual import BilingualModal


def key_groups() -> list[tuple[str, list[tuple[list[BindingType], type | None]]]]:
    """(heading word, [(BINDINGS, the class that owns them)]) for every place with keys of its own."""
    from carnk_tui.ui.app import CarnkApp
    from carnk_tui.ui.screens.columns import ColumnsScreen
    from carnk_tui.ui.screens.export import ExportScreen
    from carnk_tui.ui.screens.filters import FilterScreen
    from carnk_tui.ui.screens.main import MainScreen
    from carnk_tui.ui.screens.presentation import PresentScreen
    from carnk_tui.ui.screens.search import SearchScreen
    from carnk_tui.ui.screens.side_by_side import CompareScreen
    from carnk_tui.ui.widgets.compare import ComparePane
    from carnk_tui.ui.widgets.deals import DealsView
    from carnk_tui.ui.widgets.detail import DetailView
    from carnk_tui.ui.widgets.landscape_tree import CampTree
    from carnk_tui.ui.widgets.pipeline import PipelineView

    return [
        ("help.app", [(list(CarnkApp.BINDINGS), CarnkApp), ([CarnkApp.PALETTE_BINDING], CarnkApp)]),
        ("help.tabs", [(list(MainScreen.BINDINGS), MainScreen)]),
        ("help.tree", [(list(CampTree.BINDINGS), CampTree), (list(Tree.BINDINGS), Tree)]),
        ("help.detail", [(list(DetailView.BINDINGS), DetailView), (list(OptionList.BINDINGS), OptionList)]),
        ("help.compare", [(list(ComparePane.BINDINGS), ComparePane), (list(DataTable.BINDINGS), DataTable)]),
        ("help.figures", [(list(PipelineView.BINDINGS), PipelineView), (list(DealsView.BINDINGS), DealsView)]),
        ("help.columns", [(list(ColumnsScreen.BINDINGS), ColumnsScreen)]),
        ("help.side", [(list(CompareScreen.BINDINGS), CompareScreen)]),
        ("help.search", [(list(SearchScreen.BINDINGS), SearchScreen)]),
        ("help.filters", [(list(FilterScreen.BINDINGS), FilterScreen)]),
        ("help.export", [(list(ExportScreen.BINDINGS), ExportScreen)]),
        ("help.present", [(list(PresentScreen.BINDINGS), PresentScreen)]),
        ("help.help", [(list(HelpScreen.BINDINGS), HelpScreen)]),
    ]


class HelpScreen(BilingualModal[None]):
    """Follows the app's language while it is open (`lang` is bound to the app's)."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("l", "app.toggle_lang", "Language", id="app.language"),
    ]

    def __init__(self, lang: Lang) -> None:
        super().__init__(lang)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-body")

    def watch_lang(self, old: Lang, new: Lang) -> None:
        if old != new and self.is_mounted:
            self.query_one("#help-body", Static).update(self._table())

    def _table(self) -> Table:
        lang = self.lang
        table = Table(title=word("help.title", lang), expand=True, show_header=False, box=None)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(ratio=1)
        for heading, parts in key_groups():
            table.add_row(Text(word(heading, lang), style="bold underline"), "")
            for bindings, owner in parts:
                for line in describe_bindings(bindings, lang, owner):
                    table.add_row(line.keys, Wrapped(line.description))
            table.add_row("", "")
        return table

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
