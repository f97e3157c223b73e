"""What a reader sees while filtering and moving through the Landscape, drawn without laying the screen out again.

The filter line is always there and says which filters are on (or that none is), so a filter changes its
words and the panes below it stay where they are. The detail's text is a view of its own lines: it follows
the cursor, scrolls on its own, and keeps its place and size whatever the record; its links sit in a box of
their own below it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.widgets import Static

from carnk_tui.kb.model import Lang
from carnk_tui.ui.settle import settle
from carnk_tui.ui.widgets.detail import DetailBody, LinkList
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.views.details import describe
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import t
from tests.test_app import plain

LANGS: list[Lang] = ["en", "zh"]


def filter_line(app: Any) -> str:
    return plain(app.screen.query_one("#filter-bar", Static).content).strip()


def body(app: Any, pane: str = "#landscape-detail") -> DetailBody:
    return app.screen.query_one(f"{pane} #detail-body", DetailBody)


def seen(view: DetailBody) -> list[str]:
    """The body's lines as they are on the screen now (what is scrolled into view)."""
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def squashed(lines: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(lines))


def title_of(app: Any, kb: Any, record_id: str, lang: Lang) -> str:
    return describe(kb.get(record_id), kb, lang).title


@pytest.mark.parametrize("lang", LANGS)
async def test_the_filter_line_says_which_filters_are_on_and_the_panes_stay_put(app_factory, lang: Lang):
    app = app_factory(lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        where = tree.region
        assert filter_line(app) == t("filter.off", lang)  # there before any filter, saying none is on
        app.screen.filters = Filters(target="CD19")
        await settle(pilot)
        line = filter_line(app)
        assert t("filter.active", lang) in line and "CD19" in line
        assert tree.region == where  # the tree did not move down for the line
        assert app.screen.query_one("#filter-bar").has_class("-active")
        await pilot.press("x")  # cleared by its key
        await settle(pilot)
        assert filter_line(app) == t("filter.off", lang)
        assert not app.screen.query_one("#filter-bar").has_class("-active")
        assert tree.region == where


async def test_the_filter_line_follows_the_language(app_factory):
    app = app_factory("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.filters = Filters(stage="phase-1")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert t("filter.active", "zh") in filter_line(app)
        await pilot.press("x")
        await settle(pilot)
        assert filter_line(app) == t("filter.off", "zh")


async def test_a_filter_line_too_long_for_one_line_wraps_whole(app_factory, kb):
    """Many filters at 80 columns: the line takes two rows rather than cutting what it says."""
    product = next(p for p in kb.products if p.targets and p.indication_areas)
    company = kb.get(product.company)
    filters = Filters(target=product.targets[0], area=product.indication_areas[0], stage=product.stage,
                      cell_source=product.cell_source, camp=company.camp)
    app = app_factory("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.filters = filters
        await settle(pilot)
        bar = app.screen.query_one("#filter-bar", Static)
        words = filters.bar(kb, "en")
        assert len(words) > bar.content_size.width  # (the case this test is about)
        assert bar.size.height >= 2
        assert squashed([bar.render_line(y).text for y in range(bar.size.height)]) == squashed([words])
        app.screen.filters = Filters(target=product.targets[0])  # back to one line: one row again
        await settle(pilot)
        assert bar.size.height == 1


@pytest.mark.parametrize("lang", LANGS)
async def test_the_detail_follows_the_cursor_in_place(app_factory, kb, lang: Lang):
    app = app_factory(lang, open_text="FT596")
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        view = body(app)
        assert squashed([title_of(app, kb, "ft596", lang)]) in squashed(seen(view))
        place, links_place = view.region, app.screen.query_one("#landscape-detail LinkList", LinkList).region
        tree = app.screen.query_one(CampTree)
        tree.focus()
        visited = []
        for _ in range(6):
            await pilot.press("down")
            await settle(pilot)
            record_id = tree.cursor_node.data
            if record_id in kb.by_id:
                visited.append(record_id)
                assert squashed([title_of(app, kb, record_id, lang)]) in squashed(seen(view)), record_id
                assert view.scroll_offset.y == 0  # each record from its first line
            assert view.region == place  # the text neither moved nor changed size
            links = app.screen.query_one("#landscape-detail LinkList", LinkList)
            if links.display:
                assert links.region == links_place
        assert len(set(visited)) >= 3


async def test_the_detail_scrolls_on_its_own_with_its_links_in_view(app_factory, kb):
    camp = max(kb.camps, key=lambda c: len(describe(c, kb, "en").summary or ""))
    app = app_factory("en", open_text=camp.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = body(app)
        assert view.virtual_size.height > view.size.height  # (a record longer than the pane)
        assert view.show_vertical_scrollbar
        links = app.screen.query_one("#landscape-detail LinkList", LinkList)
        assert links.display and links.option_count
        first = seen(view)[0]
        await pilot.press("tab")  # from the tree into the detail's text
        assert app.focused is view
        await pilot.press("pagedown")
        await settle(pilot)
        assert view.scroll_offset.y > 0 and seen(view)[0] != first
        assert links.region.bottom <= app.screen.query_one("#landscape-detail").region.bottom  # still in view
        await pilot.press("g")  # the links, from the text
        assert app.focused is links
        app.screen.query_one(CampTree).focus()
        await pilot.press("down")
        await settle(pilot)
        assert view.scroll_offset.y == 0  # the next record from its top


async def test_a_short_detail_has_no_scroll_bar_and_a_resize_cuts_its_lines_again(app_factory, kb):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.filters = Filters(target="no such target")  # nothing matches: a one-line message
        await settle(pilot)
        view = body(app)
        assert squashed(seen(view)) == squashed([t("filter.none_match", "en")])
        assert not view.show_vertical_scrollbar
        app.screen.filters = Filters()
        await settle(pilot)
        wide = view.virtual_size.height
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert view.virtual_size.height > wide  # the same text in more, narrower lines
        assert all(len(line) <= view.scrollable_content_region.width for line in seen(view))
        text = squashed([title_of(app, kb, app.screen.query_one(CampTree).cursor_node.data, "en")])
        assert text in squashed(seen(view))
