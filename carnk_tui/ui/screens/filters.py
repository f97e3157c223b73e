"""The filter screen: one choice per dimension, values taken from the data."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Select

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.views.filters import DIMENSIONS, Filters, options
from carnk_tui.views.i18n import t
from carnk_tui.ui.screens.bilingual import BilingualModal


class FilterScreen(BilingualModal[Filters | None]):
    """Dismisses with the new filters, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Back", id="filters.back"),
        Binding("ctrl+s", "apply", "Apply", id="filters.apply"),
        Binding("l", "app.toggle_lang", "Language", id="app.language"),
    ]

    def __init__(self, kb: KnowledgeBase, filters: Filters, lang: Lang) -> None:
        super().__init__(lang)
        self.kb, self.filters = kb, filters

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box"):
            yield Label(t("filter.title", self.lang), id="filter-title")
            with VerticalScroll(id="filter-fields"):
                for dim in DIMENSIONS:
                    with Horizontal(classes="filter-row"):
                        yield Label(t(f"filter.{dim}", self.lang), id=f"filter-label-{dim}", classes="filter-label")
                        yield Select(options(self.kb, dim, self.lang), prompt=t("filter.any", self.lang),
                                     value=getattr(self.filters, dim) or Select.NULL, id=f"filter-{dim}", compact=True)
            with Horizontal(id="filter-buttons"):
                yield Button(t("filter.apply", self.lang), variant="primary", id="filter-apply")
                yield Button(t("filter.clear", self.lang), id="filter-clear")

    def on_mount(self) -> None:
        self.query_one(Select).focus()

    def watch_lang(self, old: Lang, new: Lang) -> None:
        """Every word in the other language; the choices made so far stay."""
        if old == new or not self.is_mounted:
            return
        lang = self.lang
        self.query_one("#filter-title", Label).update(t("filter.title", lang))
        for dim in DIMENSIONS:
            self.query_one(f"#filter-label-{dim}", Label).update(t(f"filter.{dim}", lang))
            select: Select[str] = self.query_one(f"#filter-{dim}", Select)
            value = select.value
            select.prompt = t("filter.any", lang)
            select.set_options(options(self.kb, dim, lang))
            if isinstance(value, str):
                select.value = value
        self.query_one("#filter-apply", Button).label = t("filter.apply", lang)
        self.query_one("#filter-clear", Button).label = t("filter.clear", lang)

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
