"""The filter screen: one choice per dimension, values taken from the data."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from carnk_tui.views.filters import DIMENSIONS, Filters, options
from carnk_tui.views.i18n import t
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang


class FilterScreen(ModalScreen[Filters | None]):
    """Dismisses with the new filters, or None when cancelled."""

    BINDINGS = [("escape", "cancel", "Back"), ("ctrl+s", "apply", "Apply")]

    def __init__(self, kb: KnowledgeBase, filters: Filters, lang: Lang) -> None:
        super().__init__()
        self.kb, self.filters, self.lang = kb, filters, lang

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Label(t("filter.title", self.lang), id="filter-title")
            with VerticalScroll(id="filter-fields"):
                for dim in DIMENSIONS:
                    with Horizontal(classes="filter-row"):
                        yield Label(t(f"filter.{dim}", self.lang), classes="filter-label")
                        yield Select(options(self.kb, dim, self.lang), prompt=t("filter.any", self.lang),
                                     value=getattr(self.filters, dim) or Select.NULL, id=f"filter-{dim}", compact=True)
            with Horizontal(id="filter-buttons"):
                yield Button(t("filter.apply", self.lang), variant="primary", id="filter-apply")
                yield Button(t("filter.clear", self.lang), id="filter-clear")

    def on_mount(self) -> None:
        self.query_one(Select).focus()

    def chosen(self) -> Filters:
        values = {}
        for dim in DIMENSIONS:
            value = self.query_one(f"#filter-{dim}", Select).value
            values[dim] = value if isinstance(value, str) else None
        return Filters(**values)

    @on(Button.Pressed, "#filter-apply")
    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.dismiss(Filters())

    def action_cancel(self) -> None:
        self.dismiss(None)
