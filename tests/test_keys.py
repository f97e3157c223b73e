"""Keys, help and the command palette in both languages (issue 13.7): keys written as the user types
them, every key of every place in the help, descriptions translated by binding id in the footer and
the help, and Textual's own palette words in Chinese."""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.system_commands import SystemCommandsProvider
from textual.widgets import Input, Static

from carnk_tui.kb.model import LANGS
from carnk_tui.ui.screens.help import HelpScreen
from carnk_tui.ui.screens.presentation import PresentApp
from tests.test_app import plain
from carnk_tui.ui.settle import settle

SIZE = (100, 40)
#: Textual's names for keys, which a user never types
RAW_KEY_NAMES = re.compile(r"\b(slash|left_square_bracket|right_square_bracket|question_mark|full_stop)\b")
#: English interface words that must not show in the Chinese footer, help or palette
ENGLISH = re.compile(r"\b(palette|space|Space|Mark|Sort|Search|Filter|Quit|Help|Language|Theme|Keys|Screenshot)\b")


def _our_bindings() -> list[tuple[type, Binding]]:
    """Every binding the app declares (not Textual's own widgets'), with its class."""
    from carnk_tui.ui.keys import as_bindings
    from carnk_tui.ui.screens.help import key_groups

    out: list[tuple[type, Binding]] = []
    for _, parts in key_groups():
        for bindings, owner in parts:
            if owner is not None and owner.__module__.startswith("carnk_tui"):
                out += [(owner, b) for b in as_bindings(bindings)]
    out += [(PresentApp, b) for b in as_bindings(PresentApp.BINDINGS)]
    return out


def test_every_binding_has_an_id_with_words_in_both_languages():
    from carnk_tui.ui.keys import KEY_TEXT

    for owner, binding in _our_bindings():
        assert binding.id, (owner.__name__, binding.key)
        assert binding.id in KEY_TEXT, binding.id
        zh, en = KEY_TEXT[binding.id]
        assert (zh and en and zh != en) or binding.id == "present.quit", binding.id


def test_descriptions_are_found_by_id_not_by_english_text():
    """The search screen's "Results" (its hits) and the Results tab are different words in Chinese."""
    from carnk_tui.ui.keys import describe

    bindings = {binding.id: binding for _, binding in _our_bindings()}
    to_results, results_tab = bindings["search.to_results"], bindings["main.tab.results"]
    assert to_results.description == results_tab.description == "Results"
    assert describe(to_results, "zh") != describe(results_tab, "zh")
    assert describe(results_tab, "zh") == "疗效"


@pytest.mark.parametrize("lang", LANGS)
async def test_help_lists_every_key_of_every_place_as_typed(app_factory, lang):
    """Keys as typed ('/', '[', not 'slash'); the Compare, search, filter, presentation keys listed."""
    words = {"zh": ("标记", "并排对比", "到结果列表", "应用", "下一张", "最后一张"),
             "en": ("Mark", "Sort", "Compare", "Apply", "Next", "Last")}[lang]
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = plain(app.screen.query_one("#help-body", Static).content)
        assert not RAW_KEY_NAMES.search(body), RAW_KEY_NAMES.search(body)
        rows = [line.strip() for line in body.splitlines()]
        for word in words:
            assert any(row.endswith(word) for row in rows), word
        zh = lang == "zh"
        for keys, word in (("/", "搜索" if zh else "Search"), ("[ / Alt+←", "后退" if zh else "Back"),
                           ("?", "帮助" if zh else "Help")):
            assert any(row.startswith(keys) and row.endswith(word) for row in rows), (keys, word)
        from carnk_tui.ui.keys import as_bindings, describe, keys_of
        from carnk_tui.ui.screens.help import key_groups

        for _, parts in key_groups():  # Compare, search, filters, presentation, side by side: all there
            for bindings, owner in parts:
                for binding in as_bindings(bindings):
                    if binding.description:
                        line = f"{keys_of(binding, lang)}"
                        assert any(row.startswith(line) and row.endswith(describe(binding, lang, owner))
                                   for row in rows), (line, describe(binding, lang, owner))
        if lang == "zh":
            assert "空格" in body and not ENGLISH.search(body), ENGLISH.search(body)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


def footer_line(app) -> str:
    """The footer as the user reads it."""
    from carnk_tui.ui.widgets.footer import KeyFooter

    return app.screen.query_one(KeyFooter).text().plain


async def test_the_footer_speaks_chinese_by_binding_id(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = footer_line(app)
        assert "/ 搜索" in line and "^p 命令面板" in line and not ENGLISH.search(line), line
        await pilot.press("4")
        await settle(pilot)
        line = footer_line(app)
        # (Space and c are named in the Compare tab's own hint line: the footer keeps room at 80 columns)
        assert "v 选择列" in line and "? 帮助" in line and not ENGLISH.search(line), line
        await pilot.press("l")
        await settle(pilot)
        line = footer_line(app)
        assert "v Columns" in line and "^p palette" in line


async def test_a_click_on_a_footer_key_presses_it(app_factory):
    app = app_factory("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        line = footer_line(app)
        await pilot.click("KeyFooter", offset=(line.index("/ Search") + 1, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "SearchScreen"


async def test_the_palette_speaks_chinese(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        placeholder = app.screen.query_one(Input).placeholder
        assert placeholder and "Search" not in placeholder and "搜索" in placeholder
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for word in ("主题", "退出", "快捷键", "截图"):
            assert word in titles, word
        assert not any(ENGLISH.search(title) for title in titles), titles
        provider = SystemCommandsProvider(app.screen)
        hits = [hit async for hit in provider.search("语言")]
        assert hits and str(hits[0].text).startswith("语言"), [str(h.text) for h in hits]
        await hits[0].command()
        await settle(pilot)
        assert app.lang == "en"


async def test_the_palette_keys_command_opens_the_translated_help_and_escape_closes_it(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = next(c for c in app.get_system_commands(app.screen) if c.title == "快捷键")
        keys.callback()
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "快捷键" in plain(app.screen.query_one("#help-body", Static).content)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


async def test_the_theme_picker_speaks_chinese(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        theme = next(c for c in app.get_system_commands(app.screen) if c.title == "主题")
        theme.callback()
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert "主题" in app.screen.query_one(Input).placeholder
        await pilot.press("escape")


def test_binding_ids_name_textual_widgets_by_class_and_action():
    from textual.widgets import Tree

    from carnk_tui.ui.keys import as_bindings, binding_id, describe

    binding = next(b for b in as_bindings(Tree.BINDINGS) if b.action == "cursor_up")
    assert binding_id(binding, Tree) == "Tree.cursor_up"
    assert describe(binding, "zh", Tree) == "上移"


async def test_ctrl_c_says_how_to_quit_in_the_interface_language(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen: list[str] = []
        app.notify = lambda message, **kw: seen.append(f"{kw.get('title', '')} {message}")  # type: ignore[method-assign]
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert len(seen) == 1 and re.fullmatch(r"要退出吗？ 按 (q|Ctrl\+Q) 退出", seen[0]), seen
