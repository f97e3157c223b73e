"""The detail pane: a record's `Detail` drawn with bars, marks and links to follow."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from carnk_tui.views.format import colon, enumeration, kind_caption
from carnk_tui.views.details import Bar, Detail, Link, Section, describe
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.ui.bars import bar_text
from carnk_tui.ui.messages import OpenRecord
from carnk_tui.ui.wrapped import Wrapped

BAR_WIDTH = 20


def draw_bar(bar: Bar, width: int = BAR_WIDTH) -> Text:
    """A horizontal bar for a result's share (ui/bars.py)."""
    return bar_text(bar.percent, width, bar.lower_is_better)


def render_section(section: Section, lang: Lang, bar_width: int = BAR_WIDTH) -> RenderableType:
    parts: list[RenderableType] = [Wrapped(section.title, "bold underline")]
    if section.text:
        parts.append(Wrapped(section.text))
    if section.rows:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(ratio=1)
        for row in section.rows:
            value = Text(row.value)
            if row.disputed:
                value.append(" ⚠", style="bold yellow")
            grid.add_row(row.label, Wrapped(value))
        parts.append(grid)
    if section.bars:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for bar in section.bars:
            line = draw_bar(bar, bar_width)
            line.append(f" {bar.figure}", style="bold")
            grid.add_row(Text(bar.measure, style="bold"), line)
            if bar.cohort:
                grid.add_row("", Wrapped(bar.cohort, "italic dim"))
        parts.append(grid)
        if not all(bar.known_n for bar in section.bars):
            parts.append(Wrapped(t("f.not_reported", lang), "dim"))
    parts.extend(Wrapped("• " + item, hang=2) for item in section.items)
    if section.links and not (section.items or section.bars or section.text):
        parts.append(Wrapped(enumeration(lang).join(link.text for link in section.links), "cyan"))
    parts.append(Text(""))
    return Group(*parts)


def render_detail(detail: Detail, lang: Lang, width: int = 80) -> RenderableType:
    """Facts first, then the narrative summary, then the rest; bars shrink on narrow panes."""
    bar_width = BAR_WIDTH if width >= 70 else 10
    head = Text()
    head.append(f" {detail.title} ", style="bold reverse")
    caption = kind_caption(detail.title, label("kind", detail.kind, lang))
    if caption:
        head.append(f"  {caption}", style="dim")
    parts: list[RenderableType] = [Wrapped(head), Text("")]
    sections = list(detail.sections)
    lead = [s for s in sections if s.lead]
    if not lead and sections and sections[0].rows:
        lead = sections[:1]
    parts += [render_section(s, lang, bar_width) for s in lead]
    sections = [s for s in sections if s not in lead]
    if detail.summary:
        parts += [Wrapped(detail.summary), Text("")]
    parts += [render_section(s, lang, bar_width) for s in sections]
    return Group(*parts)


class LinkList(OptionList):
    """The records a detail refers to, then the sources it cites; Enter or a click follows one, `y` copies it.

    Arriving in the list (`g`, Tab, a click) highlights its first link, so the first Enter follows it."""

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0


#: links listed at once; a "… N more" link lists the next page (a camp of 1,000 companies would
#: otherwise lay out 1,000 wrapped options each time the cursor or a filter arrives on it)
LINK_PAGE = 30
MORE_LINKS = "more-links:"


class DetailBody(ScrollView, can_focus=True):
    """The detail's text, drawn as lines of its own (Textual's Line API) and scrolled on its own.

    A new record replaces the lines and the scrolled size, never the widget's own size: the screen is not
    laid out for it. (The text used to be an auto-height `Static` in a scrolling container: each record
    was laid out, and then laid out again when the container learnt its new height.) The lines are cut
    once per record and width; painting a line only applies the widget's style to it.
    """

    DEFAULT_CSS = """
    DetailBody {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content: RenderableType = Text("")
        self._lines: list[Strip] = []
        self._width = 0  # the width the lines were cut for (0: not cut yet)
        self._style = Style()

    @property
    def content(self) -> RenderableType:
        """What the body shows (as given to `update`)."""
        return self._content

    def update(self, content: RenderableType) -> None:
        """Show `content` from its first line."""
        self._content = content
        self._cut(self.scrollable_content_region.width)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _cut(self, width: int) -> None:
        """The content's lines at `width` (none until the widget has a width)."""
        self._width = width
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        lines = console.render_lines(self._content, console.options.update(width=width, height=None), pad=False)
        self._lines = [Strip(line) for line in lines]
        self.virtual_size = Size(width, len(self._lines))
        # whether the scroll bar is shown, said now as Textual would find it while laying the screen out (where
        # a change asks for a second layout of the whole screen)
        show = len(self._lines) > self.container_size.height
        self.show_vertical_scrollbar = show
        if show or self.show_vertical_scrollbar:
            self.vertical_scrollbar.display = show

    def on_resize(self, event: Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._cut(self.scrollable_content_region.width)
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()  # (the lines take the widget's colours as they are painted)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._style = self.rich_style  # once per paint, not once per line (it walks the widget's ancestors)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self._style)
        return self._lines[index].extend_cell_length(width).apply_style(self._style)


class DetailView(Vertical):
    """Shows one record: its text (`DetailBody`, which scrolls), then the links it has in a box below.
    Set `show(detail, lang)`; following a link posts `OpenRecord`."""

    BINDINGS = [Binding("g", "focus_links", "Links", id="detail.links")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rest: list[Link] = []  # links not listed yet
        self._lang: Lang = "zh"

    def compose(self) -> ComposeResult:
        yield DetailBody(id="detail-body")
        yield LinkList(id="detail-links")

    def show(self, detail: Detail | None, lang: Lang) -> None:
        body = self.query_one(DetailBody)
        links = self.query_one(LinkList)
        self._rest = []
        if detail is None:
            links.clear_options()
            body.update("")
            links.display = False
            return
        body.update(render_detail(detail, lang, self.size.width or 80))
        self._lang = lang
        self._rest = [*detail.links, *detail.sources]
        # the list's options replaced in one update: as many lines as the record before asks for no layout
        links.set_options(self._next_page())
        links.display = bool(detail.links or detail.sources)

    def _next_page(self) -> list[Option]:
        """The next page of links, and a "… N more" link when some are left."""
        page, self._rest = self._rest[:LINK_PAGE], self._rest[LINK_PAGE:]
        lang = self._lang
        options = [Option(Wrapped(f"→ {label('kind', link.kind, lang)}{colon(lang)}{link.text}", hang=2), id=link.id)
                   for link in page]  # (made a page at a time: a camp links 1,000 companies)
        more = [Option(Text(t("tree.more", lang, n=str(len(self._rest))), style="italic"), id=MORE_LINKS)]
        return [*options, *(more if self._rest else [])]

    def show_message(self, message: str) -> None:
        """No record, and a sentence that says why (e.g. the filters leave none)."""
        links = self.query_one(LinkList)
        links.clear_options()
        self._rest = []
        links.display = False
        self.query_one(DetailBody).update(Wrapped(message, "bold"))

    def show_record(self, kb: KnowledgeBase, record_id: str | None, lang: Lang) -> None:
        """Show a record of `kb` by id (nothing when it is None or not there)."""
        record = kb.get(record_id) if record_id else None
        self.show(describe(record, kb, lang) if record else None, lang)

    def action_focus_links(self) -> None:
        links = self.query_one(LinkList)
        if links.display:
            links.focus()

    @on(OptionList.OptionSelected, "#detail-links")
    def _follow(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == MORE_LINKS:
            links = event.option_list
            first_new = event.option_index
            links.remove_option(MORE_LINKS)
            links.add_options(self._next_page())
            links.highlighted = first_new
        elif event.option.id:
            self.post_message(OpenRecord(event.option.id))
