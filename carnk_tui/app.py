"""The Textual application and the one factory that builds it for the command line and the tests."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import OptionList, Tree

from carnk_tui.commands import RecordsProvider
from carnk_tui.i18n import default_lang, key_word, t
from carnk_tui.kb import KnowledgeBase
from carnk_tui.model import Lang
from carnk_tui.prefs import Prefs, load_prefs, save_prefs
from carnk_tui.problems import KnowledgeBaseError, Problem
from carnk_tui.screens.help import HelpScreen
from carnk_tui.screens.main import TABS, MainScreen
from carnk_tui.search import SearchIndex
from carnk_tui.widgets.camp_tree import CampTree
from carnk_tui.widgets.detail import DetailView


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

    def __init__(self, kb: KnowledgeBase, lang: Lang, open_text: str | None = None,
                 data_dirs: list[Path] | None = None, prefs: Prefs | None = None) -> None:
        super().__init__()
        self.kb = kb
        self.set_reactive(CarnkApp.lang, lang)
        self.open_text = open_text
        self.data_dirs = data_dirs or []
        self.prefs = prefs
        self._stamp: tuple = ()

    def on_mount(self) -> None:
        if self.prefs is not None and self.prefs.theme in self.available_themes:
            self.theme = self.prefs.theme
        if self.data_dirs:
            from carnk_tui.loader import stamp

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
        from carnk_tui.loader import stamp

        now = stamp(self.data_dirs)
        if now != self._stamp:
            self._stamp = now
            self.action_reload()

    def action_reload(self) -> None:
        if self.data_dirs:
            self._reload()

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self) -> None:
        from carnk_tui.loader import load

        try:
            kb = load(self.data_dirs)
        except KnowledgeBaseError as error:
            self.call_from_thread(self._reload_failed, error.problems)
            return
        self.call_from_thread(self._reloaded, kb)

    def _main(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def _reloaded(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.__dict__.pop("search_index", None)
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
        return SearchIndex(self.kb)

    def open_record(self, record_id: str) -> None:
        """Show a record from anywhere (the command palette uses this)."""
        main = self._main()
        if main is not None:
            main.open_record(record_id)

    def get_default_screen(self) -> Screen:
        return MainScreen(self.kb, self.lang, self.open_text)

    def action_toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"
        self.notify(t("msg.lang", self.lang), timeout=2)

    def action_help(self) -> None:
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
        yield from super().get_system_commands(screen)
        main = self.screen if isinstance(self.screen, MainScreen) else None
        if main is not None:
            for pane_id, (key, _, _) in TABS.items():
                yield SystemCommand(t(key, self.lang), f"{t(key, 'en')} tab",
                                    lambda p=pane_id: main.action_tab(p))
        yield SystemCommand(key_word("Language", self.lang) + " (l)", "中文 / English", self.action_toggle_lang)
        yield SystemCommand(key_word("Help", self.lang) + " (?)", "Every key", self.action_help)


def make_app(kb: KnowledgeBase, lang: Lang | None = None, open_text: str | None = None,
             data_dirs: list[Path] | None = None, remember: bool = False) -> CarnkApp:
    """The app on a loaded knowledge base: used by the CLI and by the tests.

    `data_dirs` lets the app reload (r, and on every edit of a YAML file); `remember` loads and saves
    the user's preferences (language, theme). An explicit `lang` wins over the remembered one.
    """
    prefs = load_prefs() if remember else None
    chosen = lang or (prefs.lang if prefs and prefs.lang else None) or default_lang()
    return CarnkApp(kb, chosen, open_text, data_dirs, prefs)  # type: ignore[arg-type]
