"""Speaker notes in a second terminal: `carnk-tui present --notes` follows `carnk-tui present`.

The channel is a small JSON file on the same machine (`kb.locations.present_channel_path`): the
presentation rewrites it, atomically, whenever the slide shown or the language changes; the notes window
watches its folder with the operating system's file events (the same watcher thread as the data's,
`ui.watch.DataWatcher`), so while nobody turns a page neither side does anything.

What is written is the slide as the presenter sees it (its number, title, notes and sources, in the
presenter's language): the notes window needs no knowledge base and shows the same slide whatever the
size of either terminal.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from carnk_tui.kb.model import Lang
from carnk_tui.ui.watch import DataWatcher
from carnk_tui.ui.wrapped import Wrapped
from carnk_tui.views.format import semicolon
from carnk_tui.views.i18n import default_lang, t


@dataclass(frozen=True)
class SlideState:
    """What the presentation shows: slide `index` (from 0) of `count`, in `lang` (`whole` False: `count` slides
    are planned so far, more are coming)."""

    index: int
    count: int
    lang: Lang
    title: str
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    whole: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, value: str) -> SlideState | None:
        """The state in `value`, or None when it is not one (an old or foreign file)."""
        try:
            data = json.loads(value)
            lang: Lang = "zh" if data["lang"] == "zh" else "en"
            return cls(int(data["index"]), int(data["count"]), lang, str(data["title"]),
                       tuple(str(n) for n in data.get("notes", ())), tuple(str(s) for s in data.get("sources", ())),
                       data.get("whole", True) is not False)
        except (ValueError, KeyError, TypeError):
            return None


class NotesChannel:
    """The file that carries the slide shown from the presentation to the notes window."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def default(cls) -> NotesChannel:
        from carnk_tui.kb.locations import present_channel_path

        return cls(present_channel_path())

    def write(self, state: SlideState) -> None:
        """Replace the file in one step, so that the reader never sees half of it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        partial.write_text(state.to_json(), encoding="utf-8")
        os.replace(partial, self.path)

    def clear(self) -> None:
        """The presentation ended: nothing is shown any more."""
        self.path.unlink(missing_ok=True)

    def read(self) -> SlideState | None:
        try:
            return SlideState.from_json(self.path.read_text(encoding="utf-8"))
        except OSError:
            return None

    def concerns(self, path: str) -> bool:
        """Whether a file event on `path` is about the channel's file."""
        return Path(path).name == self.path.name


@dataclass
class SlideShown(Message):
    """The presentation moved (or changed language): the channel's file changed."""

    paths: tuple[str, ...]


def render_notes(state: SlideState | None, lang: Lang) -> tuple[RenderableType, RenderableType, RenderableType]:
    """(title line, notes, sources) for the notes window; before any presentation, an invitation to start one."""
    if state is None:
        return Text(t("present.notes_title", lang), style="bold"), Wrapped(t("present.notes_waiting", lang)), Text("")
    total = f"{state.count}" + ("" if state.whole else "…")  # …: more slides are being planned
    where = t("present.slide_of", state.lang, n=str(state.index + 1), total=total)
    title = Text.assemble((where, "bold reverse"), "  ", (state.title, "bold"))
    if state.notes:
        grid = RichTable.grid(padding=(0, 1), expand=True)
        grid.leading = 1
        grid.add_column(width=1, no_wrap=True, style="bold cyan")
        grid.add_column(ratio=1)
        for line in state.notes:
            grid.add_row("•", Wrapped(line))
        body: RenderableType = grid
    else:
        body = Wrapped(t("present.notes_none", state.lang), "italic")
    sources = Group(Text(""), Wrapped(t("present.sources", state.lang, items=semicolon(state.lang).join(state.sources)),
                                "dim"))
    return title, body, sources if state.sources else Text("")


class NotesApp(App[None]):
    """`carnk-tui present --notes`: the notes of the slide the presentation in another terminal shows."""

    CSS = """
    #notes-title { height: auto; padding: 1 2; background: $primary; color: $text; }
    #notes-body { height: 1fr; padding: 1 2 0 2; }
    #notes-sources { height: auto; padding: 0 2; color: $text-muted; }
    #notes-hint { dock: bottom; height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    BINDINGS = [Binding("q,escape", "quit", "Quit", id="present.quit")]

    def __init__(self, channel: NotesChannel, lang: Lang | None = None) -> None:
        super().__init__()
        self.channel = channel
        #: the interface language until the presentation says which one it speaks
        self.lang: Lang = lang or default_lang()
        self.state: SlideState | None = None
        self.watcher = DataWatcher(self, [channel.path.parent], channel.concerns, SlideShown)
        #: set whenever what is shown changes (the tests wait on it)
        self.changed = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield Static(id="notes-title")
        with VerticalScroll(id="notes-body", can_focus=False):
            yield Static(id="notes-text")
        yield Static(id="notes-sources")
        yield Static(id="notes-hint")

    def on_mount(self) -> None:
        self.channel.path.parent.mkdir(parents=True, exist_ok=True)
        self.watcher.start()
        self.show(self.channel.read())

    def on_slide_shown(self, _message: SlideShown) -> None:
        state = self.channel.read()
        if state != self.state:  # None: the presentation ended, wait for the next
            self.show(state)

    def show(self, state: SlideState | None) -> None:
        self.state = state
        if state is not None:
            self.lang = state.lang
        title, body, sources = render_notes(state, self.lang)
        self.title = t("present.notes_title", self.lang)
        self.query_one("#notes-title", Static).update(title)
        self.query_one("#notes-text", Static).update(body)
        self.query_one("#notes-sources", Static).update(sources)
        self.query_one("#notes-hint", Static).update(Text(t("present.notes_hint", self.lang), no_wrap=True,
                                                          overflow="ellipsis"))
        self.query_one("#notes-body", VerticalScroll).scroll_home(animate=False)
        self.changed.set()

    def on_unmount(self) -> None:
        self.watcher.stop()
