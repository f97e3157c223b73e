"""Presentation mode: the knowledge base as a guided tour, one large slide at a time.

`PresentScreen(kb, lang, start_record_id=None)` can be pushed by any app; dismissed with Esc, it
returns the id of the record the current slide is about (or None), so the explorer can go back to
it. `make_present_app(kb, lang)` is the standalone `carnk-tui present`, where Esc or q quits.

The slides themselves come from `carnk_tui.views.presentation`; this module only draws them.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Protocol, runtime_checkable

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table as RichTable
from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import Reactive
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.ui.bars import bar_text
from carnk_tui.ui.notes import NotesChannel, SlideState
from carnk_tui.ui.wrapped import Justify, Wrapped
from carnk_tui.views.i18n import default_lang, t
from carnk_tui.views.presentation import (
    Bars,
    Block,
    Bullets,
    Paragraph,
    PlanningStopped,
    Slide,
    Sources,
    Table,
    bar_width,
    build_slides,
    deck_is_kept,
    find_slide,
    find_slide_so_far,
    plan_slides,
    slide_area,
    table_widths,
    TALL,
)


#: above this many products, companies and deals together, a deck is planned off the UI thread (see
#: PresentScreen._build): about 0.3 s of planning at 400, 2 s at 1,000
THREADED_DECK_LIMIT = 400


class Planned(Message):
    """A deck planned off the UI thread, for a language and a (content width, lines) plan: the whole deck, or
    (`whole` False) its slides planned so far."""

    def __init__(self, slides: list[Slide], lang: Lang, plan: tuple[int, int], whole: bool = True) -> None:
        super().__init__()
        self.slides, self.lang, self.plan, self.whole = slides, lang, plan, whole


@runtime_checkable
class HasLang(Protocol):
    """An app with an interface language (the explorer and the standalone presentation)."""

    lang: Lang




def _heading(value: str) -> Wrapped:
    return Wrapped(value, "bold underline")


def render_sources(block: Sources) -> RenderableType:
    """The slide's sources in small type: a blank line, then the dim footnote."""
    if not block.items:
        return Text("")
    return Group(Text(""), Wrapped(block.line, "dim"))


class _DrawnTable:
    """A table block, its columns `table_widths` of the width it is drawn at: what `block_height` counts."""

    def __init__(self, block: Table, leading: int) -> None:
        self.block, self.leading = block, leading

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        block = self.block
        table = RichTable(box=box.SIMPLE_HEAD, show_header=bool(block.header), pad_edge=False,
                          header_style="bold cyan", padding=(0, 1), leading=self.leading)
        for index, cells in enumerate(table_widths(block, options.max_width)):
            table.add_column(Wrapped(block.header[index]) if block.header else "", width=cells,
                             style="bold" if index == 0 else "", overflow="fold")
        for row in block.rows:
            table.add_row(*(Wrapped(cell) for cell in row))
        yield table


def render_block(block: Block, width: int, centre: bool = False, leading: int = 0) -> RenderableType:
    """One block of a slide, for a content area `width` cells wide; `leading` blank lines between the
    rows of lists and tables (when the terminal has room for them)."""
    if isinstance(block, Sources):
        return render_sources(block)
    parts: list[RenderableType] = [_heading(block.heading)] if block.heading else []
    if isinstance(block, Paragraph):
        parts.append(Wrapped(block.text, "bold" if block.strong else "", justify="center" if centre else "left"))
    elif isinstance(block, Bullets):
        grid = RichTable.grid(padding=(0, 1), expand=True)
        grid.leading = leading
        grid.add_column(width=1, no_wrap=True, style="bold cyan")
        grid.add_column(ratio=1)
        for item in block.items:
            grid.add_row("•", Wrapped(item))
        parts.append(grid)
    elif isinstance(block, Bars):
        bar = bar_width(width)
        grid = RichTable.grid(padding=(0, 1), expand=True)
        grid.leading = leading
        grid.add_column(width=bar, no_wrap=True)
        grid.add_column(width=block.figure_width, no_wrap=True, justify="right", style="bold")
        grid.add_column(ratio=1)
        for row in block.rows:
            grid.add_row(bar_text(row.percent, bar, row.lower_is_better), row.figure, Wrapped(row.label))
        parts.append(grid)
        if block.note:
            parts.append(Wrapped(block.note, "dim italic"))
    elif isinstance(block, Table):
        parts.append(_DrawnTable(block, leading))
    parts.append(Text(""))
    return Group(*parts)


def render_slide(slide: Slide, width: int, leading: int = 0) -> RenderableType:
    """The body of a slide: its blocks, one under the other (centred on the cover)."""
    centre = slide.section == "title"
    return Group(*(render_block(block, width, centre, leading) for block in slide.blocks))


class PresentScreen(Screen[str | None]):
    """The tour. Dismissed with Esc, returns the current slide's record id (or None)."""

    DEFAULT_CSS = """
    PresentScreen {
        background: $background;
        layout: vertical;
    }
    PresentScreen #slide-title {
        width: 1fr;
        height: auto;
        padding: 1 3;
        background: $primary;
        color: $text;
        text-style: bold;
    }
    PresentScreen #slide-subtitle {
        width: 1fr;
        height: auto;
        padding: 1 3 0 3;
        color: $text-muted;
        text-style: italic;
    }
    PresentScreen #slide-body {
        width: 1fr;
        height: 1fr;
        padding: 1 3 0 3;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;  /* the width a slide is planned for (`slide_area`), scroll bar or not */
    }
    PresentScreen #slide-content {
        width: 1fr;
        height: auto;
    }
    PresentScreen #slide-sources {
        width: 1fr;
        height: auto;
        padding: 0 4 0 3;
        color: $text-muted;
    }
    PresentScreen #slide-goto {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0 1;
        display: none;
    }
    PresentScreen.-goto #slide-goto {
        display: block;
    }
    PresentScreen.-goto #slide-hint {
        display: none;
    }
    PresentScreen #slide-footer {
        dock: bottom;
        height: 1;
        background: $panel;
    }
    PresentScreen #slide-hint {
        width: 1fr;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    PresentScreen #slide-counter {
        width: auto;
        height: 1;
        padding: 0 2;
        background: $accent;
        color: $text;
        text-style: bold;
    }
    /* the cover: a taller title band, everything centred */
    PresentScreen.-cover #slide-title {
        padding: 3 4;
        text-align: center;
    }
    PresentScreen.-cover #slide-subtitle {
        padding: 1 6 0 6;
        text-align: center;
    }
    PresentScreen.-cover #slide-body {
        padding: 1 6 0 6;
        align-horizontal: center;
    }
    /* narrow terminals: less padding, so that more of a slide shows */
    PresentScreen.-narrow #slide-title {
        padding: 1 2;
    }
    PresentScreen.-narrow.-cover #slide-title {
        padding: 2 2;
    }
    PresentScreen.-narrow #slide-subtitle {
        padding: 1 2 0 2;
    }
    PresentScreen.-narrow #slide-body {
        padding: 1 2 0 2;
    }
    PresentScreen.-narrow #slide-sources {
        padding: 0 3 0 2;
    }
    /* tall terminals: more room above and below the title and above the content (each side said again: a
       rule naming only padding-top would take the sides' padding away) */
    PresentScreen.-tall #slide-title {
        padding: 2 3;
    }
    PresentScreen.-tall.-narrow #slide-title {
        padding: 2 2;
    }
    PresentScreen.-tall.-cover #slide-title {
        padding: 3 4;
    }
    PresentScreen.-tall #slide-body {
        padding: 2 3 0 3;
        align-vertical: middle;
    }
    PresentScreen.-tall.-narrow #slide-body {
        padding: 2 2 0 2;
    }
    PresentScreen.-tall.-cover #slide-body {
        padding: 2 6 0 6;
    }
    PresentScreen.-tall.-narrow.-cover #slide-title {
        padding: 3 2;
    }
    PresentScreen.-tall.-narrow.-cover #slide-body {
        padding: 2 2 0 2;
    }
    """

    BINDINGS = [
        Binding("right,space,pagedown", "next", "Next", id="present.next"),
        Binding("left,pageup", "previous", "Previous", id="present.previous"),
        Binding("home", "first", "First", id="present.first"),
        Binding("end", "last", "Last", id="present.last"),
        Binding("down", "scroll_body(1)", "Scroll down", show=False, id="present.scroll_down"),
        Binding("up", "scroll_body(-1)", "Scroll up", show=False, id="present.scroll_up"),
        Binding("g", "goto", "Go to slide", id="present.goto"),
        Binding("l", "toggle_lang", "Language", id="app.language"),
        Binding("escape,q", "close", "Back", id="present.close"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL, "-tall")]

    #: the interface language; bound to the app's when the app pushes the screen (`data_bind`)
    lang: Reactive[Lang] = Reactive("zh", init=False)

    def __init__(self, kb: KnowledgeBase, lang: Lang, start_record_id: str | None = None,
                 standalone: bool = False, channel: NotesChannel | None = None, hint: bool = True) -> None:
        super().__init__()
        self.kb = kb
        self.set_reactive(PresentScreen.lang, lang)
        self.standalone = standalone
        #: where the slide shown is told to a notes window (`carnk-tui present --notes`), if anywhere
        self.channel = channel
        #: the keys' reminder in the footer (left out of exported slides)
        self.hint = hint
        self.start_record_id = start_record_id
        #: the deck as split for the terminal; until the screen is mounted, as split by default (built only if
        #: asked for: a deck of a large base takes seconds to split, and mounting splits it again)
        self._slides: list[Slide] | None = None
        self._index: int | None = None
        #: (content width, lines) the slides were split for; planned again when the terminal changes
        self.plan: tuple[int, int] | None = None
        #: Esc before moving to another slide returns to the record the tour started from, not the slide's own
        self._return_to = start_record_id
        self._moved = False
        #: the plan the slides shown were split for (None: a slide saying the deck is being prepared)
        self._slides_plan: tuple[int, int] | None = None
        #: the record the deck opens at once a deck planned off the UI thread arrives
        self._wanted: str | None = None
        #: False while the slides shown are the beginning of a deck still being planned
        self._whole = True

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static(id="slide-title")
        yield Static(id="slide-subtitle")
        with VerticalScroll(id="slide-body", can_focus=False):
            yield Static(id="slide-content")
        yield Static(id="slide-sources")
        with Horizontal(id="slide-footer"):
            yield Static(id="slide-hint")
            # disabled, hence never focused, but while it is open: the keys are the screen's
            yield Input(id="slide-goto", restrict=r"[0-9]*", max_length=3, compact=True, disabled=True)
            yield Static(id="slide-counter")

    def on_mount(self) -> None:
        if self.channel is None:  # pushed by the explorer: its channel, when it has one
            channel = getattr(self.app, "notes_channel", None)
            self.channel = channel if isinstance(channel, NotesChannel) else None
        self._replan(self.app.size.width, self.app.size.height)
        self._show()

    def on_resize(self, event: events.Resize) -> None:
        self._replan(event.size.width, event.size.height)
        self._show(keep_scroll=True)

    # ------------------------------------------------------------ planning for the terminal
    @staticmethod
    def slide_area(width: int, height: int) -> tuple[int, int]:
        """The cells and lines a (non-cover) slide's content has in a `width` x `height` terminal
        (`views.presentation.slide_area`; the CSS above is what it counts)."""
        return slide_area(width, height)

    def leading(self, slide: Slide, width: int) -> int:
        """A blank line between rows when the slide still fits with it (large terminals)."""
        if self.plan is None or self.plan[1] < TALL - 10 or slide.section == "title":
            return 0
        console = self.app.console
        roomy = console.render_lines(render_slide(slide, width, 1), console.options.update_width(width), pad=False)
        return 1 if len(roomy) <= self.plan[1] else 0

    @property
    def large(self) -> bool:
        """A base of hundreds of records: its deck is planned off the UI thread."""
        return len(self.kb.products) + len(self.kb.companies) + len(self.kb.deals) > THREADED_DECK_LIMIT

    def _build(self, lang: Lang) -> list[Slide] | None:
        """The deck for the plan, or None when it is being planned off the UI thread (`Planned` brings it).

        Slides are split by `block_height`, which counts the lines a block takes as `render_block` draws it
        (exactly: tests/test_present.py draws every block to hold this), so no block is drawn to plan. On a
        large base planning still takes seconds (about 2 s at 1,000 products, 20 s at 10,000): it is done in a
        thread, section by section, and the slides show as soon as the one asked for is planned."""
        if self.plan is None:
            return build_slides(self.kb, lang)
        width, lines = self.plan
        if self.large and not deck_is_kept(self.kb, lang, lines, width):
            self._plan(lang, lines, width, self.plan)
            return None
        return build_slides(self.kb, lang, budget=lines, width=width)

    @work(thread=True, exclusive=True, group="present-plan", description="plan the slides")
    def _plan(self, lang: Lang, budget: int, width: int, plan: tuple[int, int]) -> None:
        """The deck, planned section by section: the slides planned so far are shown as soon as the slide asked
        for is among them (the talk's first sections take a fraction of the time of the whole on a large base)."""
        worker = get_current_worker()
        try:
            for slides, whole in plan_slides(self.kb, lang, budget=budget, width=width,
                                             stop=lambda: worker.is_cancelled):
                self.post_message(Planned(slides, lang, plan, whole))
        except PlanningStopped:  # a later plan, or the screen closed
            return

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        if message.plan != self.plan or message.lang != self.lang:
            return  # the terminal or the language changed meanwhile: a later plan is on its way
        same_plan = self._slides_plan == message.plan
        index: int | None
        if same_plan:  # more of the deck, or the same deck in another language: the same place
            index = min(self.index, len(message.slides) - 1)
            if self.index >= len(message.slides) and not message.whole:
                return  # the slide shown is further on than planned yet (in this language)
        else:
            wanted = self._wanted if self._slides_plan is None else self._place()
            if message.whole:
                index = find_slide(message.slides, wanted, self.kb)
            else:
                index = find_slide_so_far(message.slides, wanted, self.kb)
                if index is None:
                    return  # its slide is further on: the slides shown stay until it is planned
        self._use(message.slides, message.plan, index, message.whole)
        if self.is_mounted:
            self._show(keep_scroll=same_plan)

    def _use(self, slides: list[Slide], plan: tuple[int, int] | None, index: int, whole: bool = True) -> None:
        self.slides, self._slides_plan, self.index, self._whole = slides, plan, index, whole

    def _place(self) -> str | None:
        """The record the slide shown is about, for finding it again in a deck split another way."""
        current = self.slide
        if current.section == "title":
            return None
        return current.records[0] if current.records else current.record_id

    def _preparing(self, lang: Lang) -> Slide:
        """What is shown while the first deck is planned."""
        why = t("present.planning_why", lang, products=f"{len(self.kb.products):,}")
        return Slide(t("present.planning", lang), blocks=(Paragraph(why),), section="planning")

    @property
    def preparing(self) -> bool:
        """Whether the deck is still being prepared (nothing but a slide saying so is shown)."""
        return self._slides is not None and self._slides_plan is None and self.plan is not None

    def _replan(self, width: int, height: int) -> None:
        """Split the deck for this terminal: more on a slide when it is large, nothing overflowing
        when it is small. The slide shown stays about the same records."""
        plan = self.slide_area(width, height)
        if plan == self.plan:
            return
        shown = self._slides is not None and not self.preparing
        wanted: str | None
        if self.start_record_id is not None:  # the first plan: the slide about the record asked for
            wanted, self.start_record_id = self.start_record_id, None
        elif shown:
            wanted = self._place()
        else:
            wanted = self._wanted
        self.plan = plan
        slides = self._build(self.lang)
        if slides is None:  # planned in a thread: the slides shown stay until it is done
            self._wanted = wanted
            if not shown:
                self._use([self._preparing(self.lang)], None, 0)
            return
        self._use(slides, plan, find_slide(slides, wanted, self.kb))

    @property
    def slides(self) -> list[Slide]:
        if self._slides is None:
            self._slides = build_slides(self.kb, self.lang)
        return self._slides

    @slides.setter
    def slides(self, slides: list[Slide]) -> None:
        self._slides = slides

    @property
    def index(self) -> int:
        """The slide shown (before the first plan: the one about the record the tour starts from)."""
        if self._index is None:
            self._index = find_slide(self.slides, self.start_record_id, self.kb)
        return self._index

    @index.setter
    def index(self, index: int) -> None:
        self._index = index

    @property
    def slide(self) -> Slide:
        return self.slides[self.index]

    @property
    def counter(self) -> str:
        if self.preparing:
            return "…"
        return f"{self.index + 1} / {len(self.slides)}" + ("" if self._whole else "…")  # …: more being planned

    def _show(self, keep_scroll: bool = False) -> None:
        slide = self.slide
        body = self.query_one("#slide-body", VerticalScroll)
        self.set_class(slide.section == "title", "-cover")
        justify: Justify = "center" if slide.section == "title" else "left"
        self.query_one("#slide-title", Static).update(Wrapped(slide.title, justify=justify))
        subtitle = self.query_one("#slide-subtitle", Static)
        subtitle.update(Wrapped(slide.subtitle, justify=justify))
        subtitle.display = bool(slide.subtitle)
        width = body.scrollable_content_region.width or self.size.width or 80
        self.query_one("#slide-content", Static).update(render_slide(slide, width, self.leading(slide, width)))
        self.query_one("#slide-sources", Static).update(render_sources(Sources(slide.sources, self.lang)))
        hint = "present.hint_standalone" if self.standalone else "present.hint"
        self.query_one("#slide-hint", Static).update(
            Text(t(hint, self.lang) if self.hint else "", overflow="ellipsis", no_wrap=True))
        self.query_one("#slide-counter", Static).update(self.counter)
        if not keep_scroll:
            body.scroll_home(animate=False)
        self._tell_notes()

    def on_unmount(self) -> None:
        """The presentation is over: a notes window goes back to waiting for the next."""
        if self.channel is not None:
            with suppress(OSError):
                self.channel.clear()

    def _tell_notes(self) -> None:
        """Tell the notes window which slide is shown (nothing when there is no channel, or no deck yet)."""
        if self.channel is None or self.preparing:
            return
        slide = self.slide
        with suppress(OSError):  # a notes window is a convenience: the talk goes on without it
            self.channel.write(SlideState(self.index, len(self.slides), self.lang, slide.title, slide.notes,
                                          slide.sources, self._whole))

    # ------------------------------------------------------------ language
    def watch_lang(self, old: Lang, new: Lang) -> None:
        if old == new:
            return
        if self.preparing:
            self.slides = [self._preparing(new)]
        slides = self._build(new)
        if slides is not None:  # the same slides in every language: the index stays
            self._use(slides, self.plan, min(self.index, len(slides) - 1))
        if self.is_mounted:
            self._show(keep_scroll=True)

    def action_toggle_lang(self) -> None:
        """The other language here, and in the app (whose screens follow it) when it has one."""
        lang: Lang = "en" if self.lang == "zh" else "zh"
        self.lang = lang
        app = self.app
        if isinstance(app, HasLang):
            app.lang = lang

    # ------------------------------------------------------------ moving
    def go(self, index: int) -> None:
        index = max(0, min(index, len(self.slides) - 1))
        if index != self.index:
            self._moved = True
            self.index = index
            self._show()

    def action_next(self) -> None:
        self.go(self.index + 1)

    def action_previous(self) -> None:
        self.go(self.index - 1)

    def action_first(self) -> None:
        self.go(0)

    def action_last(self) -> None:
        self.go(len(self.slides) - 1)

    def action_scroll_body(self, lines: int) -> None:
        body = self.query_one("#slide-body", VerticalScroll)
        if lines > 0:
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)

    # ------------------------------------------------------------ g then a number: go to that slide
    def action_goto(self) -> None:
        """A small prompt in the footer: type the slide's number, Enter goes there, Esc cancels."""
        prompt = self.query_one("#slide-goto", Input)
        prompt.placeholder = t("present.goto", self.lang)
        prompt.value = ""
        prompt.disabled = False
        self.add_class("-goto")
        prompt.focus()

    def _close_goto(self) -> None:
        self.remove_class("-goto")
        self.query_one("#slide-goto", Input).disabled = True
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._close_goto()
        if event.value.isdigit():
            self.go(int(event.value) - 1)

    @property
    def asking(self) -> bool:
        """Whether the go-to prompt is open."""
        return self.has_class("-goto")

    def action_close(self) -> None:
        if self.asking:  # Esc in the prompt closes the prompt, not the presentation
            self._close_goto()
            return
        self.dismiss(self._return_to if self._return_to and not self._moved else self.slide.record_id)


class PresentApp(App[str | None]):
    """`carnk-tui present`: the tour on its own; Esc or q quits."""

    BINDINGS = [Binding("q", "quit", "Quit", id="present.quit")]

    lang: Reactive[Lang] = Reactive("zh", init=False)

    def __init__(self, kb: KnowledgeBase, lang: Lang, start_record_id: str | None = None,
                 channel: NotesChannel | None = None, hint: bool = True) -> None:
        super().__init__()
        self.kb = kb
        self.set_reactive(PresentApp.lang, lang)
        self.start_record_id = start_record_id
        self.channel = channel
        self.hint = hint

    def on_mount(self) -> None:
        self.title = self.kb.meta.title.get(self.lang)
        screen = PresentScreen(self.kb, self.lang, self.start_record_id, standalone=True, channel=self.channel,
                               hint=self.hint)
        self.push_screen(screen.data_bind(PresentApp.lang), self.exit)

    def watch_lang(self, lang: Lang) -> None:
        self.title = self.kb.meta.title.get(lang)


def make_present_app(kb: KnowledgeBase, lang: Lang | None = None, start_record_id: str | None = None,
                     channel: NotesChannel | None = None, hint: bool = True) -> PresentApp:
    """The standalone presentation: used by `carnk-tui present` and the tests; with a `channel`, a notes
    window (`carnk-tui present --notes`) follows it."""
    return PresentApp(kb, lang or default_lang(), start_record_id, channel, hint)
