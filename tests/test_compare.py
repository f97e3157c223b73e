"""The Compare tab at 80 columns (issue 12.4): Product stays while the rest scrolls, a column chooser
remembered across starts, compact cells, descending sort, the new columns, copy and marks for export."""

from __future__ import annotations

import csv
import io

import pytest
from textual.widgets import DataTable, SelectionList, Static

from typing import get_args

from carnk_tui.kb.model import LANGS, Stage, text
from carnk_tui.ui.app import make_app
from carnk_tui.ui.screens.columns import ColumnsScreen
from carnk_tui.ui.screens.side_by_side import CompareScreen
from carnk_tui.ui.widgets.compare import ComparePane
from carnk_tui.ui.widgets.footer import KeyFooter
from carnk_tui.views.compare import COLUMNS, DEFAULT_COLUMNS, compare_csv
from carnk_tui.views.i18n import label, t
from tests.screen import record_notifications, screen_lines
from tests.test_app import plain
from carnk_tui.ui.settle import settle

STAGES = list(get_args(Stage))
NARROW = (80, 24)
WIDE = (160, 40)


def pane(app) -> ComparePane:
    return app.screen.query_one(ComparePane)


def header_line(app) -> str:
    """The table's heading row as the user sees it."""
    return screen_lines(app)[header_index(app)]


def header_index(app) -> int:
    return app.screen.query_one("#compare-table", DataTable).region.y


def row_line(app, name: str) -> str:
    return next(line for line in screen_lines(app) if f" {name} " in line)


async def choose(pilot, columns: set[str]) -> None:
    """Open the chooser with its key and tick exactly `columns`, moving and pressing Space as a user does."""
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ColumnsScreen)
    listing = screen.query_one(SelectionList)
    order = list(COLUMNS)
    for index, column in enumerate(order):
        if column == "product":
            continue
        if (column in listing.selected) != (column in columns):
            while listing.highlighted != index:
                await pilot.press("down" if (listing.highlighted or 0) < index else "up")
            await pilot.press("space")
    await pilot.press("escape")
    await settle(pilot)


@pytest.mark.parametrize("lang", LANGS)
async def test_product_and_stage_side_by_side_at_80x24_and_the_footer_is_whole(app_factory, kb, lang):
    app = app_factory(lang)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("4")
        await settle(pilot)
        product, stage = t("f.product", lang), t("f.stage", lang)
        header = header_line(app)
        assert product in header and stage in header, header
        ft596 = row_line(app, "FT596")
        assert label("stage_short", "phase-1", lang) in ft596
        footer = app.screen.query_one(KeyFooter).text().plain
        assert "…" not in footer
        assert ("帮助" if lang == "zh" else "Help") in footer
        # after choosing other columns, Product and Stage are still both on screen
        await choose(pilot, {"stage", "target", "best"})
        header = header_line(app)
        assert product in header and stage in header and t("f.target", lang) in header
        assert t("f.company", lang) not in header


async def test_product_stays_while_the_other_columns_scroll_a_column_at_a_time(app_factory):
    app = app_factory("en")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert "Stage" in header_line(app)
        await pilot.press("right")
        await settle(pilot)
        header = header_line(app)
        assert "Product" in header and "Stage" not in header and header.split("Product")[1].split()[1] == "Status"
        assert "FT596" in row_line(app, "FT596")
        for _ in range(len(DEFAULT_COLUMNS)):
            await pilot.press("right")
        await settle(pilot)
        assert "Product" in header_line(app) and "Best reported response" in header_line(app)
        for _ in range(len(DEFAULT_COLUMNS)):
            await pilot.press("left")
        await settle(pilot)
        assert "Stage" in header_line(app)


async def test_the_chosen_columns_survive_a_restart(kb):
    chosen = {"stage", "readout", "nct"}
    app = make_app(kb, "en", remember=True)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("4")
        await choose(pilot, chosen)
        assert pane(app).columns == ("product", "stage", "readout", "nct")
    again = make_app(kb, "en", remember=True)
    async with again.run_test(size=NARROW) as pilot:
        await pilot.press("4")
        await settle(pilot)
        header = header_line(again)
        assert all(t(COLUMNS[c], "en") in header for c in ("product", *chosen)), header
        assert "Company" not in header and "Status" not in header
        await pilot.press("v")
        await settle(pilot)
        assert set(again.screen.query_one(SelectionList).selected) == {"product", *chosen}


@pytest.mark.parametrize("lang", LANGS)
async def test_the_chooser_lists_every_column_in_the_interface_language(app_factory, lang):
    app = app_factory(lang)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("4", "v")
        await settle(pilot)
        listing = app.screen.query_one(SelectionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert [p.split("（")[0].split(" (")[0] for p in prompts] == [t(key, lang) for key in COLUMNS.values()]
        await pilot.press("l")
        await settle(pilot)
        other = "en" if lang == "zh" else "zh"
        assert str(listing.get_option_at_index(1).prompt) == t("f.stage", other)


async def test_sorting_twice_reverses_by_key_and_by_header_and_the_arrow_says_so(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        names = [text(kb.get(i).name, "en").casefold() for i in pane(app).shown_ids()]
        assert names == sorted(names) and "Product ▲" in header_line(app)
        await pilot.press("S")  # the key that turns the order round
        await settle(pilot)
        names = [text(kb.get(i).name, "en").casefold() for i in pane(app).shown_ids()]
        assert names == sorted(names, reverse=True)
        assert "Product ▼" in header_line(app)
        assert "by Product ▼" in plain(app.screen.query_one("#compare-hint", Static).content)
        # a click on the Stage heading sorts by stage; a second click turns it round
        x = header_line(app).index("Stage")
        await pilot.click("#compare-table", offset=(x + 1, 0))
        await settle(pilot)
        assert "Stage ▲" in header_line(app)
        ranks = [STAGES.index(kb.get(i).stage) for i in pane(app).shown_ids()]
        assert ranks == sorted(ranks)
        await pilot.click("#compare-table", offset=(x + 1, 0))
        await settle(pilot)
        assert "Stage ▼" in header_line(app) and "Product ▼" not in header_line(app)
        ranks = [STAGES.index(kb.get(i).stage) for i in pane(app).shown_ids()]
        assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]
        first = text(kb.get(pane(app).shown_ids()[0]).name, "en")
        assert screen_lines(app).index(row_line(app, first)) == header_index(app) + 1  # drawn in that order


@pytest.mark.parametrize("lang", LANGS)
async def test_the_new_columns_show_ft596s_facts_in_short_forms(app_factory, kb, lang):
    ft596 = kb.get("ft596")
    trials = kb.trials_of("ft596")
    nct = next(n for trial in trials for n in trial.registry_ids)
    readout = max(trial.readout for trial in trials if trial.readout)[:7]
    app = app_factory(lang)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("4")
        await choose(pilot, {"stage", "status", "readout", "nct", "source"})
        line = row_line(app, "FT596")
        assert label("stage_short", ft596.stage, lang) in line
        assert f"{label('status_short', 'discontinued', lang)} {ft596.status_date}" in line
        assert nct in line and readout in line
        assert "The Lancet 2025" in line  # the product's main source: its publication, not the news feature
        assert "src-" not in line and "ft596" not in line  # no internal ids


@pytest.mark.parametrize("lang", LANGS)
async def test_copy_clip_is_the_cursor_row_as_csv_in_the_chosen_columns(app_factory, lang):
    app = app_factory(lang)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("4")
        await choose(pilot, {"stage", "status", "nct"})
        compare = pane(app)
        while compare.selected_record() != "ft596":
            await pilot.press("down")
        clip = compare.copy_clip()
        assert clip is not None
        assert clip.what == ("FT596 row as CSV" if lang == "en" else "FT596 这一行（CSV）")
        rows = list(csv.reader(io.StringIO(clip.text)))
        assert rows == [[t(COLUMNS[c], lang) for c in ("product", "stage", "status", "nct")],
                        ["FT596", rows[1][1], rows[1][2], "NCT04245722"]]
        assert rows[1][2].endswith("2023-01")


async def test_five_marked_rows_for_export_and_side_by_side_asks_for_two_to_four(app_factory, kb):
    app = app_factory("en")
    said = record_notifications(app)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("4")
        await choose(pilot, {"stage", "readout"})
        for _ in range(5):
            await pilot.press("space", "down")
        await settle(pilot)
        compare = pane(app)
        assert compare.marked_ids() == compare.shown_ids()[:5]
        assert "(5)" in plain(app.screen.query_one("#compare-hint", Static).content)
        await pilot.press("c")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)
        assert any("2–4" in message and "5" in message for message in said)
        # what the export dialog writes for "marked rows": those rows, in the columns shown
        exported = list(csv.reader(io.StringIO(compare_csv(kb, "en", compare.marked_ids(), compare.columns))))
        assert exported[0] == ["Product", "Stage", "Readout"]
        assert [row[0] for row in exported[1:]] == [text(kb.get(i).name, "en") for i in compare.marked_ids()]
        await pilot.press("up", "space")  # unmark one: four is a side-by-side again
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
