"""State flows down: the language reaches open modal screens, data and its search index change
together, and a tab chosen after something scrolled is drawn (issues 14.1 and 13.2)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading

import pytest
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.worker import WorkerCancelled

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import load
from carnk_tui.ui.app import make_app
from carnk_tui.ui.screens.filters import FilterScreen
from carnk_tui.ui.screens.help import HelpScreen
from carnk_tui.ui.screens.main import TABS
from carnk_tui.ui.screens.presentation import PresentScreen
from carnk_tui.ui.screens.search import SearchScreen
from carnk_tui.ui.screens.side_by_side import CompareScreen
from carnk_tui.ui.widgets.figures import VIEWS
from carnk_tui.ui.widgets.pane import KnowledgePane
from carnk_tui.ui.widgets.results import ResultsList
from carnk_tui.views import search
from carnk_tui.views.i18n import t
from tests.test_app import plain
from tests.test_reload import NEW_COMPANY, copy_kb
from carnk_tui.ui.settle import settle

SIZE = (100, 30)
#: a company and product of the user's own, for the small test knowledge base
NEW_RECORDS = NEW_COMPANY.replace("camp-china", "camp-one").replace("src-article", "src-a")


# ---------------------------------------------------------------- modal screens follow the language
async def _open_help(pilot) -> None:
    await pilot.press("question_mark")


async def _open_search(pilot) -> None:
    await pilot.press("slash")
    await settle(pilot)
    await pilot.press("F", "T", "down")  # to the results: in the field, `l` is a letter of the query


async def _open_filters(pilot) -> None:
    await pilot.press("f")


async def _open_side_by_side(pilot) -> None:
    await pilot.press("4", "space", "down", "space", "c")


async def _open_presentation(pilot) -> None:
    await pilot.press("p")


def _help_words(app) -> str:
    return plain(app.screen.query_one("#help-body", Static).content)


def _search_words(app) -> str:
    screen = app.screen
    return screen.query_one(Input).placeholder + " " + plain(screen.query_one("#search-count", Static).content)


def _filter_words(app) -> str:
    screen = app.screen
    labels = " ".join(str(label.content) for label in screen.query(Label))
    return labels + " " + " ".join(str(button.label) for button in screen.query("Button"))


def _side_words(app) -> str:
    screen = app.screen
    table = screen.query_one(DataTable)
    fields = " ".join(plain(table.get_cell_at((row, 0))) for row in range(table.row_count))
    return plain(screen.query_one("#side-title", Static).content) + " " + fields


def _slide_words(app) -> str:
    return plain(app.screen.query_one("#slide-title", Static).content)


MODALS = {
    "help": (_open_help, HelpScreen, _help_words),
    "search": (_open_search, SearchScreen, _search_words),
    "filters": (_open_filters, FilterScreen, _filter_words),
    "side_by_side": (_open_side_by_side, CompareScreen, _side_words),
    "presentation": (_open_presentation, PresentScreen, _slide_words),
}


def _expected(name: str, kb: KnowledgeBase, screen: object) -> tuple[str, str]:
    """What the screen says in Chinese and in English (a word that differs between them)."""
    if isinstance(screen, PresentScreen):  # slides are planned for the terminal: its Chinese title is read after `l`
        return "", screen.slide.title
    return {
        "help": ("快捷键", "Keys"),
        "search": (t("search.placeholder", "zh"), t("search.placeholder", "en")),
        "filters": (t("filter.title", "zh"), t("filter.title", "en")),
        "side_by_side": (t("compare.title", "zh"), t("compare.title", "en")),
    }[name]


@pytest.mark.parametrize("name", list(MODALS))
async def test_a_modal_screen_follows_a_language_change_made_while_it_is_open(app_factory, kb, name):
    opener, screen_type, words = MODALS[name]
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await opener(pilot)
        await settle(pilot)
        assert isinstance(app.screen, screen_type)
        zh, en = _expected(name, kb, app.screen)
        assert en in words(app) and (not zh or zh not in words(app))
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        assert isinstance(app.screen, screen_type)  # still open
        if isinstance(app.screen, PresentScreen):
            zh = app.screen.slide.title
            assert re.search(r"[\u4e00-\u9fff]", zh), zh
        assert zh in words(app) and en not in words(app), words(app)
        await pilot.press("l")
        await settle(pilot)
        assert en in words(app)


async def test_filters_keep_their_choices_across_a_language_change(app_factory, kb):
    camp = kb.camps_sorted()[0]
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await settle(pilot)
        select = app.screen.query_one("#filter-camp")
        select.value = camp.id
        await pilot.press("l")
        await settle(pilot)
        assert app.screen.query_one("#filter-camp").value == camp.id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.filters.camp == camp.id


# ---------------------------------------------------------------- data and its index change together
async def test_a_reload_finishing_during_an_index_build_never_leaves_a_stale_index(tmp_path, monkeypatch):
    """The first index build is held until a reload has finished; when it is let go, the app's index
    is still the one of the reloaded data, whichever finished last."""
    kb_dir = copy_kb(tmp_path)
    started, release = threading.Event(), threading.Event()
    built: list[KnowledgeBase] = []
    real = search.SearchIndex

    class HeldFirstIndex(real):
        def __init__(self, kb: KnowledgeBase) -> None:
            built.append(kb)
            if len(built) == 1:
                started.set()
                release.wait(30)
            super().__init__(kb)

    monkeypatch.setattr(search, "SearchIndex", HeldFirstIndex)
    first = load([kb_dir])
    app = make_app(first, "en", data_dirs=[kb_dir])
    async with app.run_test(size=SIZE) as pilot:
        assert await asyncio.to_thread(started.wait, 30)  # the first build is under way, and held
        (kb_dir / "mine.yaml").write_text(NEW_RECORDS, encoding="utf-8")
        before = set(app.workers)
        await pilot.press("r")
        for worker in [w for w in app.workers if w not in before]:  # (none left when it was quick)
            await worker.wait()
        await settle(pilot)
        assert app.kb is not first and app.kb.get("my-nk-1") is not None  # the reload has been taken
        release.set()  # now the first build finishes, last
        for worker in list(app.workers):
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await settle(pilot)
        assert any(h.id == "my-nk-1" for h in app.search_index.search("MYNK-1"))
        assert {e.id for e in app.search_index.entries} == {r.id for r in app.kb.records()}
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"MYNK")
        await settle(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        assert any(results.get_option_at_index(i).id == "my-nk-1" for i in range(results.option_count))


async def test_the_main_screen_and_tabs_receive_reloaded_data_through_their_bindings(tmp_path):
    kb_dir = copy_kb(tmp_path)
    app = make_app(load([kb_dir]), "en", data_dirs=[kb_dir])
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await settle(pilot)
        (kb_dir / "mine.yaml").write_text(NEW_RECORDS, encoding="utf-8")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        main = app.screen
        assert main.kb is app.kb
        panes = [w for w in main.walk_children() if isinstance(w, KnowledgePane)]
        # every tab's pane (their content is composed when first shown)
        assert len(panes) == len(TABS) and all(pane.kb is app.kb for pane in panes)
        await pilot.press("4")
        await settle(pilot)
        table = main.query_one("#compare-table", DataTable)
        assert "my-nk-1" in [table.coordinate_to_cell_key((r, 0)).row_key.value for r in range(table.row_count)]
        await pilot.press("9", "8")  # the Figures tab's three views, bound under it once it is shown
        await settle(pilot)
        views = [w for w in main.walk_children() if isinstance(w, KnowledgePane)]
        assert len(views) == len(TABS) + len(VIEWS) and all(view.kb is app.kb for view in views)


# ---------------------------------------------------------------- tabs are drawn when chosen
def _pane_shows(app, tab: str) -> bool:
    """Whether the tab's pane shows its content (not an empty pane)."""
    screen = app.screen
    if tab == "compare":
        return screen.query_one("#compare-table", DataTable).row_count > 0
    if tab in ("outlook", "timeline"):
        listing = screen.query_one(f"#{tab}-list", OptionList)
        return listing.option_count > 0 and bool(plain(screen.query_one(f"#{tab}-detail #detail-body").content).strip())
    if tab == "results":
        return (t("results.hint", app.lang)[:20] in plain(screen.query_one("#results-hint", Static).content)
                and bool(screen.query_one("#results-list", ResultsList).rows))
    if tab == "overview":
        return bool(plain(screen.query_one("#overview-intro", Static).content).strip())
    raise AssertionError(tab)


@pytest.mark.parametrize(("keys", "size", "tab"), [
    ("1 pagedown 4", (80, 24), "compare"),
    ("1 pagedown 3", (80, 24), "outlook"),
    ("1 pagedown 5", (80, 24), "timeline"),
    ("1 pagedown 6", (80, 24), "results"),
    ("4 6", (60, 20), "results"),
    ("4 pagedown 6", (60, 20), "results"),
    ("4 end 6", (60, 20), "results"),
    ("6 pagedown 1", (60, 20), "overview"),
])
async def test_a_tab_chosen_after_something_scrolled_is_drawn(app_factory, keys, size, tab):
    app = app_factory("en")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in keys.split():
            await pilot.press(key)
            await settle(pilot)
        assert app.screen.query_one("#tabs").active == tab
        assert _pane_shows(app, tab)


async def test_a_hidden_tab_follows_the_language_when_it_is_chosen(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        assert _pane_shows(app, "results")
        await pilot.press("2", "l")
        await settle(pilot)
        body = app.screen.query_one("#results-hint", Static)
        assert t("results.hint", "en")[:20] in plain(body.content)  # hidden: not drawn again yet
        await pilot.press("6")
        await settle(pilot)
        assert t("results.hint", "zh")[:10] in plain(body.content)
