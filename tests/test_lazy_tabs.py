"""Start-up composes only the tab on screen; every other tab is composed when it is first shown, by any way
of showing it (its key, the palette, `--open`, a link), and then shows what it would have shown from the start."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList, TabbedContent

from carnk_tui.kb.model import text
from carnk_tui.ui.screens.main import TABS
from carnk_tui.views.compare import COLUMNS
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import t
from tests.screen import screen_lines
from carnk_tui.ui.settle import settle

SIZE = (100, 30)
#: a widget of each tab's content, by tab
CONTENT = {"overview": "#comparison", "landscape": "#camp-tree", "outlook": "#outlook-list",
           "compare": "#compare-table", "timeline": "#timeline-list", "results": "#results-list",
           "figures": "#figures-tabs"}


def composed(app) -> set[str]:
    """The tabs whose content exists."""
    return {tab for tab, selector in CONTENT.items() if app.screen.query(selector)}


def shown_text(app) -> str:
    return "\n".join(screen_lines(app))


async def test_only_the_first_tab_is_composed_at_start_and_a_tab_is_complete_when_first_shown(app_factory, kb):
    assert set(CONTENT) == set(TABS)
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert composed(app) == {"landscape"}
        assert app.focused is not None and app.focused.id == "camp-tree"
        await pilot.press("4")
        await settle(pilot)
        assert composed(app) == {"landscape", "compare"}
        assert app.screen.query_one(TabbedContent).active == "compare"
        table = app.screen.query_one("#compare-table", DataTable)
        assert app.focused is table
        assert table.row_count == len(kb.products)
        screen = shown_text(app)
        assert t(COLUMNS["product"], "en") in screen
        assert t("compare.hint", "en", n=str(len(kb.products)), marked="0", sort=t(COLUMNS["product"], "en"),
                 order=t("compare.ascending", "en"))[:30] in screen
        await pilot.press("3")  # Outlook: its list, the first challenge highlighted and its detail beside it
        await settle(pilot)
        assert composed(app) == {"landscape", "compare", "outlook"}
        first = kb.challenges[0]
        assert text(first.title, "en")[:30] in shown_text(app)
        assert app.focused is app.screen.query_one("#outlook-list")


async def test_a_hidden_tab_shows_the_language_and_filters_chosen_before_it_was_composed(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        camp = kb.camps_sorted()[0]
        app.screen.filters = Filters(camp=camp.id)
        await pilot.press("l")  # Chinese
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#compare-table", DataTable)
        assert 0 < table.row_count == len(Filters(camp=camp.id).products(kb)) < len(kb.products)
        assert t(COLUMNS["product"], "zh") in shown_text(app)


async def test_open_at_start_in_a_tab_not_composed_yet(app_factory, kb):
    event = kb.timeline()[len(kb.timeline()) // 2]
    app = app_factory("en", open_text=event.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "timeline"
        listing = app.screen.query_one("#timeline-list", OptionList)
        assert app.focused is listing
        assert listing.highlighted_option is not None and listing.highlighted_option.id == event.id
        assert text(event.title, "en")[:12] in shown_text(app)  # the list's line and the detail's title
        assert composed(app) == {"landscape", "timeline"}


async def test_the_palette_shows_a_tab_not_composed_yet(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Results (6)")
        await app.workers.wait_for_complete()
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(TabbedContent).active == "results"
        assert app.focused is app.screen.query_one("#results-list")
        assert t("results.hint", "en")[:30] in shown_text(app)


async def test_the_tab_action_and_the_figures_keys_show_views_not_composed_yet(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.screen.run_action("tab('overview')")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "overview"
        assert text(kb.overview.title, "en")[:20] in shown_text(app)
        await pilot.press("9")  # the deals table, straight away: the Figures tab and its Deals view are composed
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "figures"
        assert app.screen.query_one("#figures-tabs", TabbedContent).active == "figures-deals"
        deals = app.screen.query_one("#deals-table", DataTable)
        assert app.focused is deals
        assert deals.row_count > 0
        assert not app.screen.query("#pipeline-rows")  # the view not shown yet is still not composed
        await pilot.press("8")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#pipeline-rows")
        assert app.screen.query_one("#pipeline-rows", OptionList).option_count > 0
