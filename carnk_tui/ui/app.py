"""The Textual application and the one factory that builds it for the command line and the tests.

State flows down from here: the app owns the language (`lang`) and the knowledge base (`kb`, with
the search index built from it); the main screen binds both with `data_bind` and passes them on to
its tabs, and every modal screen binds `lang`, so a change reaches whatever is on screen.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.reactive import ReactiveError, reactive, var
from textual.screen import Screen
from textual.worker import get_current_worker

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.kb.problems import KnowledgeBaseError, Problem
from carnk_tui.ui.commands import RecordsProvider
from carnk_tui.ui.keys import describe, key_name, keys_of, word
from carnk_tui.ui.messages import KnowledgeLoaded, LoadFailed
from carnk_tui.ui.prefs import Prefs, load_prefs, save_prefs
from carnk_tui.ui.quiet_gc import CollectWhenQuiet
from carnk_tui.ui.screens.loading import LoadingScreen
from carnk_tui.ui.notes import NotesChannel
from carnk_tui.ui.watch import DataFilesChanged, DataWatcher
from carnk_tui.views.i18n import default_lang, t

if TYPE_CHECKING:  # the explorer's modules are imported when first needed: the first frame waits for none
    from carnk_tui.ui.screens.main import MainScreen
    from carnk_tui.views.search import SearchIndex

ResultT = TypeVar("ResultT")


def build_index(kb: KnowledgeBase) -> SearchIndex:
    """The search index of `kb` (looked up when called, so a test can stand in for the builder)."""
    from carnk_tui.views import search

    return search.SearchIndex(kb)


class CarnkApp(CollectWhenQuiet, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "carnk-tui"
    COMMANDS = App.COMMANDS | {RecordsProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("l", "toggle_lang", "Language", id="app.language"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("r", "reload", "Reload", show=False, id="app.reload"),
        Binding("tab", "focus_next", "Next pane", show=False, id="app.next_pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app.previous_pane"),
    ]
    #: the key Textual adds for the command palette, as the help and the footer describe it
    PALETTE_BINDING = Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "palette", id="app.palette")

    lang: reactive[Lang] = reactive("zh", init=False)
    #: the knowledge base shown (None while the first load runs); replaced as a whole on reload
    kb: var[KnowledgeBase | None] = var(None, init=False, always_update=True)

    def __init__(self, kb: KnowledgeBase | None, lang: Lang, open_text: str | None = None,
                 data_dirs: list[Path] | None = None, prefs: Prefs | None = None) -> None:
        """With no `kb`, the app shows a loading screen and loads `data_dirs` in a worker."""
        super().__init__()
        self.set_reactive(CarnkApp.kb, kb)
        self.set_reactive(CarnkApp.lang, lang)
        self.open_text = open_text
        self.data_dirs = data_dirs or []
        self.prefs = prefs
        #: reloads the data when a YAML file in `data_dirs` changes (the OS tells; started once the data is there)
        self.data_watcher = DataWatcher(self, self.data_dirs)
        #: the search index of `kb` and the knowledge base it was built from (they change together)
        self._index: SearchIndex | None = None
        self._index_of: KnowledgeBase | None = None
        #: the number of the latest load started: only its result is taken
        self._generation = 0
        #: what stopped the knowledge base from loading at start-up (the command line prints it)
        self.startup_problems: list[Problem] = []
        #: where a presentation (`p`) tells `carnk-tui present --notes` its slide; None: nowhere (the tests)
        self.notes_channel: NotesChannel | None = None

    def on_resize(self, event: events.Resize | None = None) -> None:
        if self.kb is None:
            return  # the notice waits for the explorer (it would go under it)
        from carnk_tui.ui.screens.too_small import check_size

        check_size(self, self.lang, event.size if event else self.size)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Under the too-small notice only quitting works (the palette would open over it)."""
        from carnk_tui.ui.screens.too_small import TooSmallScreen

        return action == "quit" or not isinstance(self.screen, TooSmallScreen)

    async def on_event(self, event: events.Event) -> None:
        if self.is_holding(event):  # no collector pause in the middle of keys and clicks
            self.hold_collection()
        await super().on_event(event)

    def on_mount(self) -> None:
        if self.prefs is not None and self.prefs.theme in self.available_themes:
            self.theme = self.prefs.theme
        if self.kb is None:
            self.call_after_refresh(self._start_load)  # the loading screen is drawn first
        else:
            self._data_ready()
            self._generation += 1
            self._build_index(self.kb, self._generation)  # so that the first `/` does not wait for it

    # ------------------------------------------------------------ loading
    def _start_load(self) -> None:
        self._generation += 1
        self._load(self._generation)

    @work(thread=True, exclusive=True, group="load", description="load")
    def _load(self, generation: int) -> None:
        """Load `data_dirs` off the UI thread (through the cache: a valid load is kept for next start),
        and hand it to the app (which then has its search index built)."""
        from carnk_tui.kb.cache import load_cached

        try:
            kb = load_cached(self.data_dirs, background=True)  # the snapshot for next start is written after
        except KnowledgeBaseError as error:
            self.post_message(LoadFailed(error.problems, generation))
            return
        if not get_current_worker().is_cancelled:
            # the data goes on screen first; its search index is built once it is drawn (`_loaded`)
            self.post_message(KnowledgeLoaded(kb, None, generation))

    # (a description of its own: Textual's default is the repr of the arguments, seconds of text for a large base)
    @work(thread=True, group="index", description="search index")
    def _build_index(self, kb: KnowledgeBase, generation: int) -> None:
        """The index of the knowledge base shown, off the UI thread (until it is there, `search_index` builds it)."""
        self.post_message(KnowledgeLoaded(kb, build_index(kb), generation))

    @on(KnowledgeLoaded)
    def _loaded(self, message: KnowledgeLoaded) -> None:
        if message.generation != self._generation:
            return  # a later load was started: its data wins, whichever finishes first
        first, new_data = self.kb is None, self.kb is not message.kb
        if message.index is not None or new_data:
            self._index, self._index_of = message.index, message.kb
        if message.index is not None:
            gc.freeze()  # the index lives as long as its data: no collector pauses over it while typing
        if new_data:  # (not when this is only the index of the data already shown)
            self.kb = message.kb  # the main screen and its tabs follow through their bindings
        if message.index is None:
            # once the data is drawn (not competing with it for the interpreter), so that the first `/` does not wait
            self.call_after_refresh(self._build_index, message.kb, message.generation)
        if first:
            self.push_screen(self._main_screen(message.kb))  # over the loading screen, for good
            self._data_ready()
        elif new_data:
            # What exists now lives as long as the app: the cyclic collector need not scan it again (on
            # large bases, those scans were pauses of a third of a second in the middle of key presses).
            gc.freeze()
            self.notify(t("msg.reloaded", self.lang), timeout=2)

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.generation != self._generation:
            return
        if self.kb is None:
            self.startup_problems = message.problems
            self.exit(return_code=1)
            return
        main = self._main()
        if main is not None:
            main.show_problems(message.problems)

    def _data_ready(self) -> None:
        """The knowledge base is there: watch the files for edits."""
        gc.freeze()
        self.call_after_refresh(self.on_resize)  # a terminal too small from the start
        if self.data_dirs and self.data_watcher.thread is None:
            self.data_watcher.start()

    @property
    def search_index(self) -> SearchIndex:
        """The index of the knowledge base shown (built here if its worker has not finished yet)."""
        kb = self.kb
        assert kb is not None, "no knowledge base yet"
        if self._index is None or self._index_of is not kb:
            self._index, self._index_of = build_index(kb), kb
        return self._index

    # ------------------------------------------------------------ preferences
    def watch_lang(self, lang: Lang) -> None:
        self._save_prefs()

    def watch_theme(self, theme: str) -> None:
        self._save_prefs()

    def _save_prefs(self) -> None:
        if self.prefs is not None:
            self.prefs.lang, self.prefs.theme = self.lang, self.theme
            save_prefs(self.prefs)

    # ------------------------------------------------------------ reloading
    # ------------------------------------------------------------ idle means idle: nothing polls, nothing blinks
    @on(DataFilesChanged)
    def _data_files_changed(self) -> None:
        self.action_reload()

    @on(events.DescendantFocus)
    def _steady_cursor(self, event: events.DescendantFocus) -> None:
        """A text box's cursor stays lit instead of blinking (twice a second, for as long as the box waits)."""
        from textual.widgets import Input

        if isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    def action_reload(self) -> None:
        if self.data_dirs:
            self._start_load()

    # ------------------------------------------------------------ screens
    def _main_screen(self, kb: KnowledgeBase) -> MainScreen:
        from carnk_tui.ui.screens.main import MainScreen

        return MainScreen(kb, self.lang, self.open_text).data_bind(CarnkApp.lang, CarnkApp.kb)

    def _main(self) -> MainScreen | None:
        from carnk_tui.ui.screens.main import MainScreen

        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def get_default_screen(self) -> Screen:
        if self.kb is None:
            return LoadingScreen(self.lang)
        return self._main_screen(self.kb)

    def show_modal(self, screen: Screen[ResultT], callback: Callable[[ResultT | None], None] | None = None) -> None:
        """Push a screen whose `lang` follows the app's: it is bound to `CarnkApp.lang`.

        `data_bind` binds to the node whose message is being handled: the app, for a key's action
        (the screen is pushed at once, so the next keys reach it). From a widget's message handler,
        the push waits for the app's own loop.
        """
        try:
            bound = screen.data_bind(CarnkApp.lang)
        except ReactiveError:
            self.call_later(lambda: self.push_screen(screen.data_bind(CarnkApp.lang), callback))
        else:
            self.push_screen(bound, callback)

    def open_record(self, record_id: str) -> None:
        """Show a record from anywhere (the command palette uses this)."""
        main = self._main()
        if main is not None:
            main.open_record(record_id)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's Screenshot: an SVG in the user's pictures (or documents, or current) directory,
        and a notification that names the file (in a browser, Textual's download)."""
        if self.is_web:
            return super().deliver_screenshot(filename, path, time_format)
        from carnk_tui.ui.gallery import screenshot_directory, screenshot_name

        directory = Path(path) if path else screenshot_directory()
        try:
            written = self.save_screenshot(filename or screenshot_name(), str(directory))
        except OSError as error:
            self.notify(t("screenshot.failed", self.lang, error=str(error)), severity="error", markup=False)
            return None
        self.notify(t("screenshot.saved", self.lang, path=written), markup=False)
        return None

    # ------------------------------------------------------------ keys
    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.notify(t("msg.lang", self.lang), timeout=2)

    def action_help(self) -> None:
        from carnk_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.show_modal(HelpScreen(self.lang))

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit: say which key does, in the interface language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                how = word("quit.how", self.lang, keys=key_name(key, self.lang))
                self.notify(how, title=word("quit.title", self.lang), markup=False)
                return

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the interface language."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=word("palette.placeholder", self.lang), id="--command-palette"))

    def action_change_theme(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=word("palette.themes", self.lang)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, then every key of the explorer, all in the interface language."""
        from carnk_tui.ui.screens.main import MainScreen

        lang = self.lang
        yield SystemCommand(word("cmd.theme", lang), word("cmd.theme.help", lang), self.action_change_theme)
        yield SystemCommand(word("cmd.quit", lang), word("cmd.quit.help", lang), self.action_quit)
        yield SystemCommand(word("cmd.keys", lang), word("cmd.keys.help", lang), self.action_help)
        if screen.maximized is not None:
            yield SystemCommand(word("cmd.minimize", lang), word("cmd.minimize.help", lang), screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(word("cmd.maximize", lang), word("cmd.maximize.help", lang), screen.action_maximize)
        yield SystemCommand(word("cmd.screenshot", lang), word("cmd.screenshot.help", lang),
                            lambda: self.set_timer(0.1, self.deliver_screenshot))
        own = ("toggle_lang", "help", "reload")
        targets: list[tuple[DOMNode, Binding]] = [
            (self, b) for b in self.BINDINGS if isinstance(b, Binding) and b.action in own]
        if isinstance(screen, MainScreen):
            targets += [(screen, b) for b in screen.BINDINGS if isinstance(b, Binding)]
        for node, binding in targets:
            keys = keys_of(binding, lang)
            title = f"{describe(binding, lang)}（{keys}）" if lang == "zh" else f"{describe(binding, lang)} ({keys})"
            yield SystemCommand(title, word("cmd.key.help", lang, keys=keys),
                                lambda node=node, action=binding.action: node.run_action(action))


def make_app(kb: KnowledgeBase | None, lang: Lang | None = None, open_text: str | None = None,
             data_dirs: list[Path] | None = None, remember: bool = False) -> CarnkApp:
    """The app: used by the CLI and by the tests.

    Given `kb`, the app starts on it. Given only `data_dirs`, the first frame is a loading screen and
    the knowledge base loads in a worker (from the cache when the files are unchanged). `data_dirs`
    also lets the app reload (r, and on every edit of a YAML file); `remember` loads and saves the
    user's preferences (language, theme). An explicit `lang` wins over the remembered one.
    """
    prefs = load_prefs() if remember else None
    remembered: Lang | None = None
    if prefs is not None and prefs.lang in ("zh", "en"):
        remembered = "zh" if prefs.lang == "zh" else "en"
    chosen: Lang = lang or remembered or default_lang()
    return CarnkApp(kb, chosen, open_text, data_dirs, prefs)
