"""The Textual application and the one factory that builds it for the command line and the tests."""

from __future__ import annotations

import gc
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from carnk_tui.ui.commands import RecordsProvider
from carnk_tui.views.i18n import default_lang, key_word, t
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.ui.prefs import Prefs, load_prefs, save_prefs
from carnk_tui.kb.problems import KnowledgeBaseError, Problem
from carnk_tui.ui.screens.loading import LoadingScreen

if TYPE_CHECKING:  # the explorer's modules are imported when first needed: the first frame waits for none
    from carnk_tui.ui.screens.main import MainScreen
    from carnk_tui.views.search import SearchIndex


class CarnkApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "carnk-tui"
    COMMANDS = App.COMMANDS | {RecordsProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("l", "toggle_lang", "Language"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("r", "reload", "Reload", show=False),
        Binding("tab", "focus_next", "Next pane", show=False),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False),
    ]
    PALETTE_BINDINGS = [Binding("ctrl+p", "command_palette", "Palette")]

    lang: reactive[Lang] = reactive("zh", init=False)
    #: how often the data directories are checked for edits, in seconds
    WATCH_INTERVAL = 1.0

    def __init__(self, kb: KnowledgeBase | None, lang: Lang, open_text: str | None = None,
                 data_dirs: list[Path] | None = None, prefs: Prefs | None = None) -> None:
        """With no `kb`, the app shows a loading screen and loads `data_dirs` in a worker."""
        super().__init__()
        self.kb = kb  # type: ignore[assignment]
        self.set_reactive(CarnkApp.lang, lang)
        self.open_text = open_text
        self.data_dirs = data_dirs or []
        self.prefs = prefs
        self._stamp: tuple = ()
        #: what stopped the knowledge base from loading at start-up (the command line prints it)
        self.startup_problems: list[Problem] = []

    def on_resize(self, event: events.Resize | None = None) -> None:
        if self.kb is None:
            return  # the notice waits for the explorer (it would go under it)
        from carnk_tui.ui.screens.too_small import check_size

        check_size(self, self.lang, event.size if event else self.size)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Under the too-small notice only quitting works (the palette would open over it)."""
        from carnk_tui.ui.screens.too_small import TooSmallScreen

        return action == "quit" or not isinstance(self.screen, TooSmallScreen)

    def on_mount(self) -> None:
        if self.prefs is not None and self.prefs.theme in self.available_themes:
            self.theme = self.prefs.theme
        if self.kb is None:
            self.call_after_refresh(self._load, True)  # the loading screen is drawn first
        else:
            self._data_ready()

    @work(thread=True, exclusive=True, group="load")
    def _load(self, first: bool) -> None:
        """Load `data_dirs` off the UI thread (through the cache: a valid load is kept for next start)."""
        from carnk_tui.kb.cache import load_cached

        try:
            kb = load_cached(self.data_dirs)
        except KnowledgeBaseError as error:
            self.call_from_thread(self._startup_failed if first else self._reload_failed, error.problems)
            return
        self.call_from_thread(self._first_loaded if first else self._reloaded, kb)

    def _first_loaded(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        from carnk_tui.ui.screens.main import MainScreen

        self.push_screen(MainScreen(kb, self.lang, self.open_text))  # over the loading screen, for good
        self._data_ready()

    def _startup_failed(self, problems: list[Problem]) -> None:
        self.startup_problems = problems
        self.exit(return_code=1)

    def _data_ready(self) -> None:
        """The knowledge base is there: prepare search, and watch the files for edits."""
        # What exists now lives as long as the app: the cyclic collector need not scan it again (on
        # large bases, those scans were pauses of a third of a second in the middle of key presses).
        gc.freeze()
        self._prepare_search()
        self.call_after_refresh(self.on_resize)  # a terminal too small from the start
        if self.data_dirs:
            from carnk_tui.kb.loader import stamp

            self._stamp = stamp(self.data_dirs)
            self.set_interval(self.WATCH_INTERVAL, self.check_files)

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
    def check_files(self) -> None:
        from carnk_tui.kb.loader import stamp

        now = stamp(self.data_dirs)
        if now != self._stamp:
            self._stamp = now
            self.action_reload()

    def action_reload(self) -> None:
        if self.data_dirs:
            self._load(False)

    def _main(self) -> MainScreen | None:
        from carnk_tui.ui.screens.main import MainScreen

        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def _reloaded(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.__dict__.pop("search_index", None)
        gc.freeze()
        self._prepare_search()
        main = self._main()
        if main is not None:
            main.replace_kb(kb)
        self.notify(t("msg.reloaded", self.lang), timeout=2)

    def _reload_failed(self, problems: list[Problem]) -> None:
        main = self._main()
        if main is not None:
            main.show_problems(problems)

    @cached_property
    def search_index(self) -> SearchIndex:
        from carnk_tui.views.search import SearchIndex

        return SearchIndex(self.kb)

    @work(thread=True, exclusive=True, group="search-index")
    def _prepare_search(self) -> None:
        """Build the search index in the background, so the first `/` does not wait for it."""
        self.search_index  # noqa: B018 - the cached property does the work

    def open_record(self, record_id: str) -> None:
        """Show a record from anywhere (the command palette uses this)."""
        main = self._main()
        if main is not None:
            main.open_record(record_id)

    def get_default_screen(self) -> Screen:
        if self.kb is None:
            return LoadingScreen(self.lang)
        from carnk_tui.ui.screens.main import MainScreen

        return MainScreen(self.kb, self.lang, self.open_text)

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

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.notify(t("msg.lang", self.lang), timeout=2)

    def action_help(self) -> None:
        from textual.widgets import OptionList, Tree

        from carnk_tui.ui.screens.help import HelpScreen
        from carnk_tui.ui.screens.main import MainScreen
        from carnk_tui.ui.widgets.landscape_tree import CampTree
        from carnk_tui.ui.widgets.detail import DetailView

        if isinstance(self.screen, HelpScreen):
            return
        groups = [
            (t("help.app", self.lang), [*self.BINDINGS, *self.PALETTE_BINDINGS]),
            (t("help.tabs", self.lang), MainScreen.BINDINGS),
            (t("help.tree", self.lang), [*CampTree.BINDINGS, *Tree.BINDINGS]),
            (t("help.detail", self.lang), [*DetailView.BINDINGS, *OptionList.BINDINGS]),
        ]
        self.push_screen(HelpScreen(groups, self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, then every key of the explorer, in the interface language."""
        from carnk_tui.ui.keys import key_name
        from carnk_tui.ui.screens.main import MainScreen

        yield from super().get_system_commands(screen)
        main = screen if isinstance(screen, MainScreen) else None
        targets = [(self, b) for b in self.BINDINGS if b.action in ("toggle_lang", "help", "reload")]
        if main is not None:
            targets += [(main, b) for b in main.BINDINGS]
        for node, binding in targets:
            keys = " / ".join(key_name(k) for k in binding.key.split(","))
            yield SystemCommand(f"{key_word(binding.description, self.lang)} ({keys})", binding.description,
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
    chosen = lang or (prefs.lang if prefs and prefs.lang else None) or default_lang()
    return CarnkApp(kb, chosen, open_text, data_dirs, prefs)  # type: ignore[arg-type]
