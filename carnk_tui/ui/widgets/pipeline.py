"""The pipeline chart: one row per product, a bar to the stage reached, coloured and marked by camp.

Colour is never the only cue: each camp also has its own symbol at the start of the row, and a
product no longer developed is drawn hatched (▒) with the words saying so.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, text
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.ui.widgets.fitted import FittedList, FittedView, fit, one_line
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.views.filters import shown_note
from carnk_tui.views.i18n import label, t
from carnk_tui.views.pipeline import COLUMNS, GROUPINGS, Grouping, PipelineGroup, PipelineRow, pipeline

#: one colour and one symbol per camp, by the camps' order (repeating if there are more camps)
CAMP_STYLES: tuple[str, ...] = ("green", "magenta", "cyan", "yellow", "blue", "red")
CAMP_SYMBOLS: tuple[str, ...] = ("●", "■", "▲", "◆", "★", "✚")
LIVE, STOPPED = "█", "▒"
NAME_WIDTH = (8, 16)
COMPANY_WIDTH = 20
#: from this width on, rows also name the company
WIDE = 110
#: rows drawn at first, and added by each Enter on the "more" line (a long list is drawn a page at a time)
PAGE = 200
MORE = "\tmore"


class PipelineView(FittedView, KnowledgePane, Vertical):
    """Enter on a row opens the product; `g` groups by target or by camp."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("g", "regroup", "Group", id="pipeline.group")]

    def __init__(self, kb: KnowledgeBase, lang: Lang, **kwargs: Any) -> None:
        super().__init__(kb, lang, **kwargs)
        self.by: Grouping = GROUPINGS[0]
        self._products: dict[str, str] = {}
        self.limit = PAGE

    def compose_content(self) -> ComposeResult:
        yield Static(id="pipeline-hint")
        yield Static(id="pipeline-legend")
        yield Static(id="pipeline-header")
        yield FittedList(id="pipeline-rows")

    # ------------------------------------------------------------ layout

    def _camp_index(self, camp_id: str) -> int:
        ids = [c.id for c in self.kb.camps_sorted()]
        return ids.index(camp_id) if camp_id in ids else len(ids)

    def _camp_style(self, camp_id: str) -> tuple[str, str]:
        index = self._camp_index(camp_id)
        return CAMP_SYMBOLS[index % len(CAMP_SYMBOLS)], CAMP_STYLES[index % len(CAMP_STYLES)]

    def _layout(self, groups: list[PipelineGroup], width: int) -> tuple[int, int, int]:
        """(name width, company width, column width) for `width` cells."""
        names = [cell_len(r.name) for g in groups for r in g.rows]
        name_width = max(NAME_WIDTH[0], min(max(names, default=0), NAME_WIDTH[1]))
        company_width = COMPANY_WIDTH if width >= WIDE else 0
        rest = width - 2 - name_width - 1 - (company_width + 1 if company_width else 0)
        return name_width, company_width, max(3, rest // len(COLUMNS))

    def _header(self, name_width: int, company_width: int, column: int) -> Text:
        line = Text(" " * (2 + name_width + 1), no_wrap=True)
        if company_width:
            line.append_text(fit(t("f.company", self.lang), company_width, "bold"))
            line.append(" ")
        for stage in COLUMNS:
            word = label("stage", stage, self.lang)
            if cell_len(word) >= column:
                word = label("stage_short", stage, self.lang)
            word = word[:1].upper() + word[1:]
            line.append_text(fit(word, column, "bold"))
        return line

    def _row(self, row: PipelineRow, name_width: int, company_width: int, column: int) -> Text:
        symbol, colour = self._camp_style(row.camp_id)
        line = Text(no_wrap=True)
        line.append(symbol + " ", style=colour)
        line.append_text(fit(row.name, name_width, "bold"))
        line.append(" ")
        if company_width:
            line.append_text(fit(row.company, company_width, "dim"))
            line.append(" ")
        area = column * len(COLUMNS)
        if row.reach is None:
            bar = Text("? " + t("pipeline.no_stage", self.lang), style="dim italic")
        else:
            cells = int(row.reach) * column + (column // 2 if row.reach % 1 else 0)
            bar = Text(STOPPED * cells if row.stopped else LIVE * cells,
                       style=f"{colour} dim" if row.stopped else colour)
            if row.mark:
                bar.append(f" ✕ {row.mark}", style="bold italic")
        # a faint guide at the start of every column the bar does not reach
        for index in range(len(COLUMNS)):
            start = index * column
            if start >= cell_len(bar.plain) + 1:
                bar.append(" " * (start - cell_len(bar.plain)))
                bar.append("·", style="dim")
        bar.truncate(area, overflow="ellipsis")
        line.append_text(bar)
        return line

    # ------------------------------------------------------------ drawing
    def draw(self) -> None:
        listing = self.query_one("#pipeline-rows", FittedList)
        width = self.fitted_width(listing)
        lang = self.lang
        groups = pipeline(self.kb, lang, self.filters, self.by)
        name_width, company_width, column = self._layout(groups, width)
        hint = Text()
        if self.filters:  # the view says how many products the filters leave
            shown = len({row.product_id for group in groups for row in group.rows})
            hint.append(shown_note(lang, shown, len(self.kb.products)) + " · ", style="bold")
        hint.append(t("pipeline.hint", lang, group=t(f"pipeline.by.{self.by}", lang)), style="dim")
        one_line(self.query_one("#pipeline-hint", Static), hint)
        legend = Text(no_wrap=True, overflow="ellipsis")
        for camp in self.kb.camps_sorted():
            symbol, colour = self._camp_style(camp.id)
            legend.append(f"{symbol} ", style=colour)
            legend.append(text(camp.short, lang) or text(camp.name, lang))
            legend.append("  ")
        one_line(self.query_one("#pipeline-legend", Static), legend)
        one_line(self.query_one("#pipeline-header", Static), self._header(name_width, company_width, column))
        keep = self.product_id
        self._products = {}
        if not groups:
            listing.set_options([Option(Text(t("filter.none_match", lang), style="italic"), disabled=True)])
            return
        options: list[Option] = []
        total = sum(len(group.rows) for group in groups)
        for group in groups:
            if len(self._products) >= self.limit:
                break
            options.append(Option(Text(group.title, style="bold underline", no_wrap=True, overflow="ellipsis"),
                                  disabled=True))
            for row in group.rows[:self.limit - len(self._products)]:
                option_id = f"{group.key}\t{row.product_id}"
                self._products[option_id] = row.product_id
                options.append(Option(self._row(row, name_width, company_width, column), id=option_id))
        if total > len(self._products):
            more = t("tree.more", lang, n=str(total - len(self._products)))
            options.append(Option(Text(more, style="italic", no_wrap=True, overflow="ellipsis"), id=MORE))
        listing.set_options(options)  # in one go: adding options one by one lays the list out each time
        target = next((o for o, p in self._products.items() if p == keep), next(iter(self._products), None))
        if target is not None:
            listing.highlighted = listing.get_option_index(target)

    @property
    def product_id(self) -> str | None:
        """The highlighted product."""
        if not self.built:
            return None
        option = self.query_one("#pipeline-rows", OptionList).highlighted_option
        return self._products.get(option.id or "") if option is not None else None

    def action_regroup(self) -> None:
        self.by = GROUPINGS[(GROUPINGS.index(self.by) + 1) % len(GROUPINGS)]
        self.limit = PAGE
        self.redraw(force=True)

    def watch_filters(self) -> None:
        self.limit = PAGE
        super().watch_filters()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == MORE:
            shown = len(self._products)
            self.limit += PAGE
            self.draw()
            listing = self.query_one("#pipeline-rows", OptionList)
            listing.highlighted = listing.get_option_index(list(self._products)[shown])
            return
        product_id = self._products.get(event.option.id or "")
        if product_id is not None:
            self.post_message(OpenRecord(product_id))
