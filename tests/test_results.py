"""The Results tab (issue #12 item 5): rows lead to their trial, say cohort, dose arm and date, draw a
lower-is-better share apart from a success, follow every filter, and stay quick on a large base."""

from __future__ import annotations

import pytest
from textual.widgets import Static, TabbedContent

from carnk_tui.kb.model import LANGS, Trial, text
from carnk_tui.ui.app import make_app
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.ui.widgets.results import BAD_BAR, GOOD_BAR, ResultsList, ResultsPane
from carnk_tui.views.filters import DIMENSIONS, Filters, options
from carnk_tui.views.i18n import t
from carnk_tui.views.results import result_count, result_groups
from tests.screen import screen_lines
from tests.test_app import detail_text, plain
from carnk_tui.ui.settle import settle

WIDE, NARROW = (120, 40), (80, 24)


def listing(app) -> ResultsList:
    return app.screen.query_one("#results-list", ResultsList)


def hint_text(app) -> str:
    return plain(app.screen.query_one("#results-hint", Static).content)


def results_text(app) -> str:
    """The Results tab as a user reads it, scrolling through: its notes, then every line of the list."""
    return hint_text(app) + "\n" + "\n".join(listing(app).lines_text())


def row_index(app, trial_id: str, measure: str) -> int:
    rows = listing(app).rows
    return next(i for i, r in enumerate(rows) if r.trial_id == trial_id and r.measure == measure)


def bar_colours(found: ResultsList, number: int, glyph: str) -> set[str]:
    """The colours of the bar drawn on line `number` of the list (which must be on screen)."""
    strip = found.render_line(number - round(found.scroll_offset.y))
    return {seg.style.color.name for seg in strip if glyph in seg.text and seg.style and seg.style.color}


async def go_to(pilot, app, index: int) -> None:
    """Move the cursor to row `index` with the keys a user presses."""
    await pilot.press("home")
    for _ in range(index):
        await pilot.press("down")
    await settle(pilot)
    assert listing(app).cursor == index


async def test_enter_on_a_row_opens_its_trial_in_the_landscape(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("6")
        await settle(pilot)
        index = row_index(app, "trial-nkx101-aml", "relapse")
        await go_to(pilot, app, index)
        assert app.screen.query_one(ResultsPane).selected_record() == "trial-nkx101-aml"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "landscape"
        assert app.screen.query_one(CampTree).cursor_node.data == "trial-nkx101-aml"
        trial = kb.get("trial-nkx101-aml")
        assert isinstance(trial, Trial)
        assert text(trial.name, "en") in detail_text(app)


async def test_a_click_chooses_a_row_and_the_heading_is_not_a_row(app_factory):
    app = app_factory("en")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("up")  # the first row is under a heading: up stays on it
        assert listing(app).cursor == 0
        lines = listing(app).lines_text()
        second = next(n for n, line in enumerate(lines) if n > 1 and line.startswith(listing(app).rows[1].product))
        await pilot.click(ResultsList, offset=(3, second))
        await settle(pilot)
        assert listing(app).cursor == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_a_row_shows_cohort_dose_arm_and_date(app_factory, kb, lang):
    trial = kb.get("trial-nkx019-lymphoma")
    cohort = trial.cohorts[0]
    assert cohort.dose is not None
    app = app_factory(lang)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await go_to(pilot, app, next(i for i, r in enumerate(listing(app).rows) if r.trial_id == trial.id))
        screen = "\n".join(screen_lines(app))
        # the figure with its denominator and the date it was read out, on the row's first line
        half = {"en": "3/6 (50%)", "zh": "3/6（50%）"}[lang]  # the share in brackets of the reader's language
        first = next(line for line in screen_lines(app) if half in line)
        assert "NKX019" in first and "2022-04-25" in first
        # the cohort and its dose arm on the line under it
        assert f"{text(cohort.label, lang)} · {text(cohort.dose, lang)}" in screen


@pytest.mark.parametrize("lang", LANGS)
async def test_a_lower_is_better_share_is_not_drawn_as_a_success(app_factory, kb, lang):
    relapse = [(tr, r) for tr in kb.trials for r in tr.results if r.measure == "relapse"]
    assert relapse and all(r.lower_is_better for _, r in relapse)  # the data says which way is better
    app = app_factory(lang)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("6")
        await settle(pilot)
        found = listing(app)
        # a success bar, off the cursor: green
        success = next(n for n, line in enumerate(found.lines_text()) if GOOD_BAR in line and n > 2)
        assert "green" in bar_colours(found, success, GOOD_BAR)
        index = row_index(app, "trial-nkx101-aml", next(r.measure for r in found.rows if r.lower_is_better))
        await go_to(pilot, app, index)
        await pilot.press("down")  # the cursor off the row: it is drawn as any row is
        await settle(pilot)
        two_thirds = {"en": "2/3 (67%)", "zh": "2/3（67%）"}[lang]
        line = next(line for line in screen_lines(app) if two_thirds in line and BAD_BAR in line)
        assert GOOD_BAR not in line
        number = next(n for n, line in enumerate(found.lines_text()) if two_thirds in line and BAD_BAR in line)
        colours = bar_colours(found, number, BAD_BAR)
        assert colours and "green" not in colours
        # the legend says what each bar means, in the reader's language
        legend = hint_text(app)
        assert t("results.lower_better", lang) in legend and t("results.higher_better", lang) in legend


async def test_a_filter_reduces_the_rows_and_says_so(app_factory, kb):
    filters = Filters(area="autoimmune")
    app = app_factory("en")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("6")
        await settle(pilot)
        every = len(listing(app).rows)
        assert every == result_count(kb)
        app.screen.filters = filters
        await settle(pilot)
        rows = listing(app).rows
        assert 0 < len(rows) < every
        assert all(filters.trial_matches(kb.get(r.trial_id), kb) for r in rows)
        note = t("filter.shown", "en", n=str(len(rows)), total=str(every))
        assert note in hint_text(app)
        assert any(note in line for line in screen_lines(app))


@pytest.mark.parametrize("dim", DIMENSIONS)
def test_result_groups_follow_every_filter(kb, dim):
    for value, _ in options(kb, dim, "en"):
        filters = Filters().with_(**{dim: value})
        shown = [r.trial_id for g in result_groups(kb, "en", filters) for r in g.rows]
        expected = [tr.id for tr in filters.trials(kb) for _ in tr.results]
        assert sorted(shown) == sorted(expected), (dim, value)


def test_every_row_has_its_date_and_the_words_of_its_measure(kb):
    for lang in LANGS:
        rows = [r for g in result_groups(kb, lang) for r in g.rows]
        assert len(rows) == result_count(kb)
        assert all(r.date for r in rows)  # every bundled result has a dated source or a readout date
        assert all(r.cohort and r.measure and r.figure for r in rows)


async def test_a_thousand_products_list_every_result_and_the_last_one_opens(generated_kb):
    """At 1,000 generated products (about 4,000 results) the list holds every result, End reaches the last
    one on screen, and Enter opens its trial."""
    app = make_app(generated_kb, "en")
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("6")
        await settle(pilot)
        rows = listing(app).rows
        assert len(rows) == result_count(generated_kb) > 1000
        await pilot.press("end")
        await settle(pilot)
        last = rows[-1]
        assert any(last.product[:8] in line and last.figure in line for line in screen_lines(app))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(CampTree).cursor_node.data == last.trial_id


async def test_a_lower_is_better_share_is_told_apart_in_the_detail_and_on_its_slide(app_factory, kb):
    """The same rule as the Results list, where the share is also drawn: the trial's detail and the slides."""
    from carnk_tui.ui.screens.presentation import make_present_app

    trial = next(tr for tr in kb.trials if any(r.lower_is_better for r in tr.results))
    result = next(r for r in trial.results if r.lower_is_better)
    figure = f"{result.responders}/{result.denominator}"
    app = app_factory("en", trial.id)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        line = next(line for line in detail_text(app).splitlines() if figure in line and BAD_BAR in line)
        assert GOOD_BAR not in line
        success = next((line for line in detail_text(app).splitlines() if GOOD_BAR in line), None)
        assert success is None or BAD_BAR not in success
    deck = make_present_app(kb, "en", start_record_id=trial.id)
    async with deck.run_test(size=WIDE) as pilot:
        await settle(pilot)
        line = next(line for line in screen_lines(deck) if figure in line and BAD_BAR in line)
        assert GOOD_BAR not in line
