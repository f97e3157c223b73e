"""Pilot tests of the Figures tab (dashboard, pipeline chart, deals table), and of its data without Textual."""

from __future__ import annotations

import dataclasses
from collections import Counter

import msgspec

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, OptionList, Static, TabbedContent, Tabs

from carnk_tui.kb.model import LANGS, Money, text
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.ui.widgets.pipeline import MORE, PAGE
from carnk_tui.views import format as fmt
from carnk_tui.views.deals import deal_value
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import label, t
from carnk_tui.views.pipeline import COLUMNS, pipeline, reach
from carnk_tui.views.presentation import Table, build_slides
from tests.test_app import detail_text, plain
from carnk_tui.ui.settle import settle

SIZE = (100, 30)
FT596 = "ft596"


def shown(app, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static).content).rstrip("\n")


def prompts(app, selector: str) -> list[tuple[str | None, str]]:
    """(option id, text) of every option of a list, in order."""
    listing = app.screen.query_one(selector, OptionList)
    return [(o.id, str(o.prompt)) for o in (listing.get_option_at_index(i) for i in range(listing.option_count))]


def table_rows(app) -> list[tuple[str, list[str]]]:
    table = app.screen.query_one("#deals-table", DataTable)
    rows = []
    for index in range(table.row_count):
        key = table.coordinate_to_cell_key((index, 0)).row_key.value
        rows.append((key, [str(cell) for cell in table.get_row_at(index)]))
    return rows


def column_index(app, heading: str) -> int:
    table = app.screen.query_one("#deals-table", DataTable)
    labels = [str(c.label) for c in table.ordered_columns]
    return next(i for i, value in enumerate(labels) if value.startswith(heading))


def counts_for(kb, filters: Filters) -> dict[str, tuple[int, int]]:
    """What the dashboard must count, worked out here from the records themselves."""
    companies = {c.id for c in kb.companies if filters.company_matches(c, kb)}
    products = [p for p in kb.products if filters.product_matches(p, kb)]
    product_ids = {p.id for p in products}
    return {
        "f.companies": (len(companies), len(kb.companies)),
        "f.products": (len(products), len(kb.products)),
        "f.trials": (sum(1 for tr in kb.trials if tr.product in product_ids), len(kb.trials)),
        "f.deals": (sum(1 for d in kb.deals if companies & set(d.parties)), len(kb.deals)),
    }


def assert_counts(line: str, expected: dict[str, tuple[int, int]], lang) -> None:
    """Each count as "Products 12", or "Products 3/12" while filters leave fewer than all."""
    for key, (n, total) in expected.items():
        figure = str(n) if n == total else f"{n}/{total}"
        assert f"{t(key, lang)} {figure}  " in line + "  ", (key, figure, line)


# ------------------------------------------------------------------ dashboard
@pytest.mark.parametrize("lang", LANGS)
async def test_dashboard_counts_and_stage_bars_equal_the_data(app_factory, kb, lang):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await settle(pilot)
        assert app.screen.query_one("#tabs", TabbedContent).active == "figures"
        assert app.focused is app.screen.query_one("#dash-bars")
        counts = kb.counts()
        assert_counts(shown(app, "#dash-counts"), {key: (counts[kind], counts[kind]) for key, kind in (
            ("f.companies", "companies"), ("f.products", "products"), ("f.trials", "trials"), ("f.deals", "deals"))},
            lang)
        # every stage that occurs has a bar ending in its number of products, in the model's order
        bars = {oid: line for oid, line in prompts(app, "#dash-bars") if oid}
        stages = Counter(p.stage for p in kb.products)
        for stage, n in stages.items():
            line = bars[f"stage:{stage}"]
            assert line.startswith(label("stage", stage, lang))
            assert line.rstrip().endswith(f" {n}")
        targets = Counter(target for p in kb.products for target in p.targets)
        for target, n in targets.items():
            assert bars[f"target:{target}"].rstrip().endswith(f" {n}")


async def test_l_switches_the_figures_language_in_place(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        tabs = app.screen.query_one("#figures-tabs", TabbedContent)
        assert [str(tabs.get_tab(f"figures-{v}").label) for v in ("dashboard", "pipeline", "deals")] == [
            t("figures.dashboard", "zh"), t("figures.pipeline", "zh"), t("figures.deals", "zh")]
        assert shown(app, "#pipeline-hint").startswith(t("pipeline.hint", "zh", group=t("pipeline.by.target", "zh")))
        assert label("stage", "phase-1", "zh") in shown(app, "#pipeline-header")
        await pilot.press("7")
        await settle(pilot)
        assert t("f.companies", "zh") in shown(app, "#dash-counts")


async def test_filters_change_the_dashboard(app_factory, kb):
    camp = kb.camps_sorted()[0]
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await settle(pilot)
        before = shown(app, "#dash-counts")
        filters = Filters(camp=camp.id)
        app.screen.filters = filters
        await settle(pilot)
        after = shown(app, "#dash-counts")
        assert after != before
        assert_counts(after, counts_for(kb, filters), "en")
        camp_bars = [oid for oid, _ in prompts(app, "#dash-bars") if oid and oid.startswith("camp:")]
        assert camp_bars == [f"camp:{camp.id}"]
        # the other views say how much the filters leave
        await pilot.press("8")
        await settle(pilot)
        products = counts_for(kb, filters)["f.products"]
        assert shown(app, "#pipeline-hint").startswith(f"Filtered: {products[0]} of {products[1]} shown")
        await pilot.press("9")
        await settle(pilot)
        deals = counts_for(kb, filters)["f.deals"]
        assert shown(app, "#deals-hint").startswith(f"Filtered: {deals[0]} of {deals[1]} shown")
        assert len(table_rows(app)) == deals[0]
        await pilot.press("7")
        await settle(pilot)
        # and back
        await pilot.press("x")
        await settle(pilot)
        assert shown(app, "#dash-counts") == before


async def test_enter_on_a_bar_lists_its_products_in_compare(app_factory, kb):
    stage, n = Counter(p.stage for p in kb.products if p.stage != "unknown").most_common(1)[0]
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await settle(pilot)
        listing = app.screen.query_one("#dash-bars", OptionList)
        listing.highlighted = listing.get_option_index(f"stage:{stage}")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#tabs", TabbedContent).active == "compare"
        assert app.screen.filters == Filters(stage=stage)
        table = app.screen.query_one("#compare-table", DataTable)
        ids = {table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)}
        assert ids == {p.id for p in kb.products if p.stage == stage} and len(ids) == n
        assert label("stage", stage, "en") in shown(app, "#filter-bar")


# ------------------------------------------------------------------ pipeline
def test_stage_columns_follow_the_model_and_ft596_reaches_phase_1(kb):
    assert COLUMNS[0] == "preclinical" and COLUMNS[-1] == "approved"
    assert [reach(s) for s in COLUMNS] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert reach("ind") == 1.5 and reach("unknown") is None
    rows = [r for g in pipeline(kb, "en") for r in g.rows if r.product_id == FT596]
    assert rows and all(r.stage == "phase-1" and r.reach == 2.0 for r in rows)
    assert all(r.stopped and r.mark == f"discontinued {kb.get(FT596).status_date}" for r in rows)


async def test_pipeline_places_ft596_at_phase_1_and_enter_opens_it(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#pipeline-rows")
        header = shown(app, "#pipeline-header")
        rows = prompts(app, "#pipeline-rows")
        option_id, line = next((oid, line) for oid, line in rows if oid and oid.endswith("\t" + FT596))
        assert "FT596" in line
        # the bar ends where the Phase 1 column ends (where the Phase 1/2 heading begins); it is hatched, not
        # drawn as live, and says since when development stopped
        product = kb.get(FT596)
        assert product.stage == "phase-1" and product.status == "discontinued" and product.status_date
        assert "█" not in line
        bar_start, bar_end = line.index("▒"), line.rfind("▒") + 1
        phase_1 = header.index(label("stage", "phase-1", "en"))
        next_column = header.index(label("stage", "phase-1-2", "en")[:4], phase_1 + 1)
        assert bar_start < phase_1 < bar_end == next_column
        assert line[bar_start:bar_end] == "▒" * (bar_end - bar_start)
        assert line[bar_end:].lstrip().startswith(f"✕ {label('product_status', 'discontinued', 'en')} "
                                                  f"{product.status_date}")
        # a live product at the same stage keeps a solid bar
        live = next(p for p in kb.products if p.stage == "phase-1" and p.status not in ("discontinued", "returned"))
        live_line = next(line for oid, line in rows if oid and oid.endswith("\t" + live.id))
        assert live_line.count("█") == bar_end - bar_start and "✕" not in live_line
        # Enter opens the product in the Landscape tab
        listing = app.screen.query_one("#pipeline-rows", OptionList)
        listing.highlighted = listing.get_option_index(option_id)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#tabs", TabbedContent).active == "landscape"
        assert app.screen.query_one(CampTree).cursor_node.data == FT596
        assert "FT596" in detail_text(app).splitlines()[0]


async def test_g_groups_the_pipeline_by_camp(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await settle(pilot)
        targets = [line for oid, line in prompts(app, "#pipeline-rows") if oid is None]
        assert "CD19" in targets
        await pilot.press("g")
        await settle(pilot)
        headings = [line for oid, line in prompts(app, "#pipeline-rows") if oid is None]
        camps_with_products = [c for c in kb.camps_sorted() if any(kb.products_of(x.id) for x in kb.companies_in(c.id))]
        assert headings == [text(c.name, "en") for c in camps_with_products]
        assert "camp" in shown(app, "#pipeline-hint")
        product_rows = [oid for oid, _ in prompts(app, "#pipeline-rows") if oid]
        assert sorted(oid.split("\t")[1] for oid in product_rows) == sorted(p.id for p in kb.products)


async def test_a_long_pipeline_is_drawn_a_page_at_a_time(app_factory, kb):
    extra = tuple(msgspec.structs.replace(kb.products[0], id=f"copy-{i}", name=f"Copy {i}") for i in range(PAGE))
    big = dataclasses.replace(kb, products=kb.products + extra)
    app = app_factory("en", knowledge=big)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await settle(pilot)
        total = sum(max(1, len(p.targets)) for p in big.products)  # a product with two targets has two rows
        rows = [oid for oid, _ in prompts(app, "#pipeline-rows") if oid]
        assert len(rows) == PAGE + 1 and rows[-1] == MORE
        more = prompts(app, "#pipeline-rows")[-1][1]
        assert f" {total - PAGE} " in more
        listing = app.screen.query_one("#pipeline-rows", OptionList)
        listing.highlighted = listing.get_option_index(MORE)
        await pilot.press("enter")
        await settle(pilot)
        rows = [oid for oid, _ in prompts(app, "#pipeline-rows") if oid]
        assert len(rows) == total
        assert listing.highlighted_option.id == rows[PAGE]  # the cursor waits on the first row just added


def test_the_presentation_has_a_pipeline_slide_in_both_languages(kb):
    for lang in LANGS:
        slides = [s for s in build_slides(kb, lang) if s.section == "pipeline"]
        assert slides
        rows = [row for s in slides for b in s.blocks if isinstance(b, Table) for row in b.rows]
        ft596 = next(row for row in rows if row[1].startswith("FT596"))
        assert ft596[3].startswith(label("stage", "phase-1", lang))
        assert label("product_status", "discontinued", lang) in ft596[3]
        assert ft596[2].count("▒") == 2 * 2  # two columns of two cells, Preclinical and Phase 1, hatched
        assert {p.id for p in kb.products} <= {r for s in slides for r in s.records}


# ------------------------------------------------------------------ deals
def sanofi_total(kb) -> Money:
    """Sanofi's deals added up from the records: each deal's total, or its upfront plus milestones; "up to"
    when any amount added is an upper bound."""
    amount, up_to = 0.0, False
    for deal in kb.deals:
        if "sanofi" not in deal.parties:
            continue
        parts = [deal.total] if deal.total else [deal.upfront, deal.milestones]
        for money in parts:
            if money is not None:
                assert money.currency == "EUR"
                amount += money.amount
                up_to = up_to or money.up_to
    return Money(amount=amount, currency="EUR", up_to=up_to)


async def test_deals_table_lists_every_deal_and_totals_sanofi(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("9")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#deals-table")
        rows = table_rows(app)
        assert sorted(key for key, _ in rows) == sorted(d.id for d in kb.deals)
        dates = [cells[column_index(app, "Date")] for _, cells in rows]
        assert dates == sorted(dates)
        licence = next(d for d in kb.deals if "sanofi" in d.parties and d.upfront and d.milestones)
        cells = dict(rows)[licence.id]
        assert cells[column_index(app, "Upfront")] == fmt.money(licence.upfront, "en")
        assert cells[column_index(app, "Milestones")] == fmt.money(licence.milestones, "en")
        # totals by company
        await pilot.press("t")
        await settle(pilot)
        assert shown(app, "#deals-hint").startswith("Totals by company")
        sanofi = dict(table_rows(app))["sanofi"]
        assert sanofi[column_index(app, "Disclosed value")] == fmt.money(sanofi_total(kb), "en")
        assert sanofi[column_index(app, "Deals")] == str(sum(1 for d in kb.deals if "sanofi" in d.parties))
        # totals by year: every year once, the counts add up to every deal
        await pilot.press("t")
        await settle(pilot)
        years = table_rows(app)
        assert [key for key, _ in years] == sorted({d.date[:4] for d in kb.deals})
        assert sum(int(cells[column_index(app, "Deals")]) for _, cells in years) == len(kb.deals)


async def test_deals_sort_and_enter_opens_the_deal(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("9")
        await settle(pilot)
        await pilot.press("s")  # Date -> Type
        await settle(pilot)
        kinds = [cells[column_index(app, "Type")] for _, cells in table_rows(app)]
        assert kinds == sorted(kinds, key=str.casefold)
        assert "by Type" in shown(app, "#deals-hint")
        table = app.screen.query_one("#deals-table", DataTable)
        table.move_cursor(row=2)
        deal_id = table_rows(app)[2][0]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#tabs", TabbedContent).active == "landscape"
        assert text(kb.get(deal_id).name, "en") in detail_text(app).splitlines()[0]


def test_a_deal_without_a_stated_total_is_valued_at_upfront_plus_milestones(kb):
    deal = msgspec.structs.replace(kb.deals[0], total=None, upfront=Money(amount=10e6, currency="USD"),
                                   milestones=Money(amount=90e6, currency="USD", up_to=True))
    value, computed = deal_value(deal)
    assert computed and value.by_currency == {"USD": 100e6} and value.up_to
    assert value.format("en") == "up to $100M"
    stated = msgspec.structs.replace(deal, total=Money(amount=100e6, currency="USD"))
    assert deal_value(stated)[0].by_currency == {"USD": 100e6} and not deal_value(stated)[1]


# ------------------------------------------------------------------ 80x24, both languages
def fits(widget, value: str) -> bool:
    return all(cell_len(line) <= widget.content_region.width for line in value.split("\n"))


@pytest.mark.parametrize("lang", LANGS)
async def test_nothing_overflows_at_80x24(app_factory, lang):
    app = app_factory(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        for tabs in app.screen.query(Tabs):
            for tab in tabs.query("Tab"):
                assert tab.region.right <= 80, str(tab.label)
        for key, lines in (("7", ("#dash-counts", "#dash-hint")),
                           ("8", ("#pipeline-hint", "#pipeline-legend", "#pipeline-header")),
                           ("9", ("#deals-hint",))):
            await pilot.press(key)
            await settle(pilot)
            for selector in lines:
                widget = app.screen.query_one(selector, Static)
                assert "\n" not in shown(app, selector), selector
                assert fits(widget, shown(app, selector)), (selector, shown(app, selector))
                assert not shown(app, selector).rstrip().endswith("…"), (selector, shown(app, selector))  # whole
        for selector, key in (("#dash-bars", "7"), ("#pipeline-rows", "8")):
            await pilot.press(key)
            await settle(pilot)
            listing = app.screen.query_one(selector, OptionList)
            assert app.focused is listing
            room = listing.scrollable_content_region.width - 2  # the options' padding
            for _, line in prompts(app, selector):
                assert cell_len(line) <= room, (selector, line)
            assert listing.max_scroll_x == 0


async def test_the_bars_fill_the_width_of_their_list_at_any_width(app_factory):
    """The longest bar reaches the list's right edge, on the first show and after each resize (the lines
    are laid out again when the list, not only the view, gets its width)."""
    app = app_factory("en")

    def widest() -> tuple[int, int]:
        listing = app.screen.query_one("#dash-bars", OptionList)
        room = listing.scrollable_content_region.width - 2  # the options' padding
        return max(cell_len(line) for _, line in prompts(app, "#dash-bars")), room

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        for size in ((160, 40), (90, 30), (120, 40)):
            longest, room = widest()
            assert room - 2 <= longest <= room, size
            await pilot.resize_terminal(*size)
            await settle(pilot)
        longest, room = widest()
        assert room > 100 and room - 2 <= longest <= room


async def test_p_on_the_pipeline_starts_the_deck_at_the_highlighted_product(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("8")
        await settle(pilot)
        listing = app.screen.query_one("#pipeline-rows", OptionList)
        listing.highlighted = listing.get_option_index(next(o for o, _ in prompts(app, "#pipeline-rows")
                                                            if o and o.endswith("\t" + FT596)))
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert FT596 in screen.slides[screen.index].records
