"""Pilot tests of finding, comparing and following the story: search, filters, compare, timeline,
results, history and export of the current view."""

from __future__ import annotations

from typing import get_args

from textual.widgets import DataTable, Static, TabbedContent

from carnk_tui.ui.commands import RecordsProvider
from carnk_tui.views.compare import compare_csv
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import t
from carnk_tui.kb.knowledge_base import name_of
from carnk_tui.kb.model import Stage, text
from carnk_tui.ui.screens.export import ExportScreen
from carnk_tui.ui.screens.side_by_side import CompareScreen
from carnk_tui.ui.widgets.compare import ComparePane
from carnk_tui.ui.screens.filters import FilterScreen
from carnk_tui.ui.screens.search import SearchScreen
from carnk_tui.views.search import SearchIndex
from carnk_tui.ui.widgets.landscape_tree import CampTree
from tests.screen import record_notifications
from tests.test_app import detail_text, plain
from tests.test_results import results_text
from carnk_tui.ui.settle import settle

SIZE = (100, 30)


def tree_products(app, kb) -> set[str]:
    """Product ids the filtered tree offers (opening every company)."""
    tree = app.screen.query_one(CampTree)
    found = set()
    for camp in tree.root.children:
        tree.fill(camp)
        for company in camp.children:
            tree.fill(company)
            found.update(n.data for n in company.children if n.data in {p.id for p in kb.products})
    return found


def table_ids(app) -> list[str]:
    table = app.screen.query_one("#compare-table", DataTable)
    return [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]


async def test_search_robo1_finds_asc101_and_enter_opens_it(app_factory, kb):
    asc101 = next(p for p in kb.products if "ROBO1" in p.targets and name_of(p, "en") == "ASC101")
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"ROBO1")
        await settle(pilot)
        results = app.screen.query_one("#search-results")
        assert results.get_option_at_index(0).id == asc101.id
        ids = {results.get_option_at_index(i).id for i in range(results.option_count)}
        assert {p.id for p in kb.products if "ROBO1" in p.targets} <= ids
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(TabbedContent).active == "landscape"
        assert app.screen.query_one(CampTree).cursor_node.data == asc101.id
        assert "ASC101" in detail_text(app).splitlines()[0]


async def test_search_escape_returns_without_change(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.screen.query_one(CampTree).cursor_node.data
        await pilot.press("slash", *"nkx", "escape")
        assert app.screen.query_one(CampTree).cursor_node.data == before


def test_search_index_ranks_exact_then_fuzzy(kb):
    index = SearchIndex(kb)
    assert index.search("FT596")[0].id == "ft596"
    assert index.search("ft-596")[0].id == "ft596"  # alias
    assert index.search("ft96")[0].id == "ft596"  # subsequence
    zh_company = next(c for c in kb.companies if text(c.name, "zh") != text(c.name, "en"))
    assert index.search(text(zh_company.name, "zh"))[0].id == zh_company.id
    assert index.search("zzzzqqq") == []


async def test_command_palette_offers_records(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        provider = RecordsProvider(app.screen)
        hits = [hit async for hit in provider.search("FT596")]
        assert any(str(h.match_display).startswith("Open: FT596") for h in hits)
        best = max(hits, key=lambda h: h.score)
        best.command()
        await settle(pilot)
        assert app.screen.query_one(CampTree).cursor_node.data == "ft596"


async def test_filter_cd19_autoimmune_lists_exactly_the_data(app_factory, kb):
    expected = {p.id for p in kb.products if "CD19" in p.targets and "autoimmune" in p.indication_areas}
    assert expected  # the data has such programmes
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-target").value = "CD19"
        app.screen.query_one("#filter-area").value = "autoimmune"
        await pilot.click("#filter-apply")
        await settle(pilot)
        bar = plain(app.screen.query_one("#filter-bar", Static).content)
        assert "CD19" in bar and "autoimmune" in bar
        assert tree_products(app, kb) == expected
        await pilot.press("4")
        await settle(pilot)
        assert set(table_ids(app)) == expected
        await pilot.press("x")  # one key clears them
        await settle(pilot)
        bar = plain(app.screen.query_one("#filter-bar", Static).content)
        assert "CD19" not in bar and t("filter.off", "en") in bar  # the line stays, and says no filter is on
        assert set(table_ids(app)) == {p.id for p in kb.products}


async def test_ipsc_filter_keeps_ft596_selected_and_hides_nkx019(app_factory, kb):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.filters = Filters(cell_source="ipsc")
        await settle(pilot)
        shown = tree_products(app, kb)
        assert "ft596" in shown and "nkx019" not in shown
        assert app.screen.query_one(CampTree).cursor_node.data == "ft596"
        app.screen.filters = Filters()
        await settle(pilot)
        assert app.screen.query_one(CampTree).cursor_node.data == "ft596"


async def test_compare_sorts_by_stage_and_any_column(app_factory, kb):
    rank = {s: i for i, s in enumerate(get_args(Stage))}
    app = app_factory("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("4")
        pane = app.screen.query_one("#compare-pane")
        pane.sort_by("stage")
        await settle(pilot)
        stages = [kb.get(i).stage for i in table_ids(app)]
        assert [rank[s] for s in stages] == sorted(rank[s] for s in stages)
        pane.sort_by("stage")  # again: descending
        await settle(pilot)
        stages = [kb.get(i).stage for i in table_ids(app)]
        assert [rank[s] for s in stages] == sorted((rank[s] for s in stages), reverse=True)
        await pilot.press("s")  # the next column shown: the development status
        await settle(pilot)
        assert pane.sort_column == "status"
        pane.sort_by("company")
        await settle(pilot)
        companies = [text(kb.get(kb.get(i).company).name, "en").casefold() for i in table_ids(app)]
        assert companies == sorted(companies)


async def test_mark_two_products_and_compare_side_by_side(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("4")
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)  # nothing marked yet: a warning instead
        await pilot.press("space", "down", "space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        table = app.screen.query_one(DataTable)
        headings = [str(c.label) for c in table.columns.values()]
        first_two = sorted(kb.products, key=lambda p: text(p.name, "en").casefold())[:2]
        for product in first_two:
            assert text(product.name, "en") in headings
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_timeline_in_order_with_closure_between_deal_and_readouts(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        pane = app.screen.query_one("#timeline-pane")
        ids = pane.event_ids()
        dates = [kb.get(i).date for i in ids]
        assert dates == sorted(dates)
        assert len(ids) == len(kb.events)
        position = {i: n for n, i in enumerate(ids)}
        deal_2018 = next(e.id for e in kb.events if e.kind == "deal" and e.date.startswith("2018"))
        closure = next(e.id for e in kb.events if e.kind == "closure" and e.date.startswith("2024"))
        readout_2025 = next(e.id for e in kb.events if e.kind in ("readout",
                                                                  "publication") and e.date.startswith("2025"))
        assert position[deal_2018] < position[closure] < position[readout_2025]
        # filtered by camp: only events about that camp's companies
        camp = kb.camps_sorted()[0]
        app.screen.filters = Filters(camp=camp.id)
        await settle(pilot)
        assert 0 < len(pane.event_ids()) < len(ids)
        # Enter opens the record the event is about
        app.screen.filters = Filters()
        await settle(pilot)
        listing = app.screen.query_one("#timeline-list")
        listing.focus()
        listing.highlighted = listing.get_option_index(deal_2018)
        await pilot.press("enter")
        await settle(pilot)
        deal_id = kb.get(deal_2018).deals[0]
        assert app.screen.query_one(TabbedContent).active == "landscape"
        assert app.screen.query_one(CampTree).cursor_node.data == deal_id


async def test_results_view_shows_every_result_with_its_denominator(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        body = results_text(app)
        for trial in kb.trials:
            for result in trial.results:
                if result.denominator is not None:
                    assert f"{result.responders}/{result.denominator}" in body
            if trial.results:
                assert text(trial.indication, "en") in body


async def test_history_back_and_forward(app_factory, kb):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        await pilot.press("slash", *"NKX101", "enter")
        await settle(pilot)
        assert tree.cursor_node.data == "nkx101"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert tree.cursor_node.data == "ft596"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert tree.cursor_node.data == "nkx101"
        await pilot.press("alt+left")
        await settle(pilot)
        assert tree.cursor_node.data == "ft596"


async def test_export_filtered_compare_table_and_record(app_factory, kb, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))
    expected = {p.id for p in kb.products if p.cell_source == "ipsc"}
    app = app_factory("en", open_text="FT596")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter")  # the dialog proposes the record, as Markdown, in the documents folder
        await settle(pilot)
        record_file = tmp_path / "carnk-ft596-en.md"
        assert record_file.exists() and "FT596" in record_file.read_text(encoding="utf-8")
        app.screen.filters = Filters(cell_source="ipsc")
        await pilot.press("4", "e", "enter")  # in Compare: the table as it is filtered, as CSV
        await settle(pilot)
        pane = app.screen.query_one(ComparePane)
        assert set(pane.shown_ids()) == expected
        written = (tmp_path / "carnk-compare-en.csv").read_text(encoding="utf-8")
        assert written == compare_csv(kb, "en", pane.shown_ids(), pane.columns)  # the table as shown
        assert any("carnk-compare-en.csv" in m for m in messages)
        before = (tmp_path / "carnk-compare-en.csv").stat().st_mtime_ns
        await pilot.press("e", "enter")  # never overwrites without asking
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert (tmp_path / "carnk-compare-en.csv").stat().st_mtime_ns == before
        await pilot.press("escape")


async def test_p_opens_the_presentation_on_the_record_and_escape_returns(app_factory, kb):
    from carnk_tui.ui.screens.presentation import PresentScreen
    from carnk_tui.views.presentation import find_slide

    product = kb.get("ft596")
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresentScreen)
        slides = app.screen.slides  # as split for this terminal
        expected = slides[find_slide(slides, product.id, kb)]
        assert product.id in expected.records
        assert plain(app.screen.query_one("#slide-title", Static).content).strip() == expected.title
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PresentScreen)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node.data == product.id  # back on the record the tour started from
        await pilot.press("p", "end")  # moved on: Esc returns to the last slide's record, when it has one
        await settle(pilot)
        last = slides[-1].record_id
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PresentScreen)
        if last is not None and kb.get(last) is not None:
            assert app.screen.current_record() == last


async def test_long_lists_open_a_page_at_a_time(app_factory, kb, monkeypatch):
    from carnk_tui.ui.widgets import landscape_tree as camp_tree

    monkeypatch.setattr(camp_tree, "PAGE", 2)
    camp = max(kb.camps_sorted(), key=lambda c: len(kb.companies_in(c.id)))
    companies = kb.companies_in(camp.id)
    assert len(companies) > 2
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        node = next(n for n in tree.root.children if n.data == camp.id)
        tree.fill(node)
        shown = [c.data for c in node.children]
        assert shown[:2] == [c.id for c in companies[:2]]
        assert shown[2] == camp_tree.MORE_PREFIX + camp.id
        assert f"{len(companies) - 2} more" in str(node.children[2].label)
        # a record on a later page is still found (search, links, --open)
        app.screen.open_record(companies[-1].id)
        await settle(pilot)
        assert tree.cursor_node.data == companies[-1].id
        assert [c.data for c in node.children if not c.data.startswith(camp_tree.MORE_PREFIX)] == \
            [c.id for c in companies]
