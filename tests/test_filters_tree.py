"""The Landscape at interaction speed: a filter changes the tree in place (what stays keeps its node, its
open state and its cursor), and the detail follows a quickly moving cursor to where it stops, leaving no
timer behind once the cursor rests."""

from __future__ import annotations

from typing import Any

import pytest
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widgets.tree import TreeNode

from carnk_tui.kb.model import Lang
from carnk_tui.ui.widgets import landscape, landscape_tree
from carnk_tui.ui.widgets.detail import DetailBody, DetailView
from carnk_tui.ui.widgets.landscape import LandscapePane
from carnk_tui.ui.widgets.landscape_tree import MORE_PREFIX, CampTree
from carnk_tui.views import landscape_tree as shape
from carnk_tui.views.details import describe
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import t
from tests.test_app import plain
from carnk_tui.ui.settle import settle

SIZE = (110, 40)


def detail_text(app: Any) -> str:
    return plain(app.screen.query_one("#landscape-detail #detail-body", DetailBody).content)


def labels(nodes: list[TreeNode[str]]) -> list[str]:
    return [str(node.label) for node in nodes]


def expected_children(key: str, kb: Any, lang: Lang, filters: Filters) -> list[str]:
    """What a freshly built tree lists under `key`: a page, then "… N more" when the list goes on."""
    specs = shape.children(key, kb, lang, filters)
    shown = [spec.label for spec in specs[:landscape_tree.PAGE]]
    if len(specs) > landscape_tree.PAGE:
        shown.append(t("tree.more", lang, n=str(len(specs) - landscape_tree.PAGE)))
    return shown


def expected_roots(kb: Any, lang: Lang, filters: Filters) -> list[str]:
    note = shape.filter_note(kb, lang, filters)
    return [*([note] if note else []), *(spec.label for spec in shape.roots(kb, lang, filters))]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_filter_changes_the_tree_in_place(app_factory, kb, monkeypatch, lang):
    """Counts and labels are those of a freshly built tree, the open camp stays open (the same node, not a
    rebuilt one), its long list keeps its "… N more", and the cursor keeps its record while it is shown."""
    monkeypatch.setattr(landscape_tree, "PAGE", 2)
    # a camp whose companies the filter thins out but still lists over more than a page
    candidates = (Filters(target="CD19"), Filters(stage="phase-1"), Filters(area="autoimmune"))
    camp, filters = next((camp, f) for camp in kb.camps_sorted() for f in candidates
                         if 2 < len(shape.children(camp.id, kb, lang, f)) < len(kb.companies_in(camp.id)))
    kept_company = shape.children(camp.id, kb, lang, filters)[0].key
    app = app_factory(lang, open_text=kept_company)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        camp_node = next(node for node in tree.root.children if node.data == camp.id)
        assert camp_node.is_expanded
        assert tree.cursor_node is not None and tree.cursor_node.data == kept_company

        app.screen.filters = filters
        await settle(pilot)
        assert labels(tree.root.children) == expected_roots(kb, lang, filters)
        assert any(node is camp_node for node in tree.root.children)  # kept, not rebuilt
        assert camp_node.is_expanded
        assert labels(camp_node.children) == expected_children(camp.id, kb, lang, filters)
        assert tree.cursor_node is not None and tree.cursor_node.data == kept_company
        assert app.screen.query_one(LandscapePane).record_id == kept_company

        app.screen.filters = Filters()
        await settle(pilot)
        assert labels(tree.root.children) == expected_roots(kb, lang, Filters())
        assert camp_node.is_expanded
        assert labels(camp_node.children) == expected_children(camp.id, kb, lang, Filters())
        assert camp_node.children[-1].data == MORE_PREFIX + camp.id
        assert tree.cursor_node is not None and tree.cursor_node.data == kept_company


async def test_a_filter_that_hides_the_cursors_record_moves_it_to_the_first_camp(app_factory, kb):
    camp = kb.camps_sorted()[0]
    other = next(c for c in kb.camps_sorted() if c.id != camp.id and kb.companies_in(c.id))
    app = app_factory("en", open_text=camp.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.filters = Filters(camp=other.id)
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert labels(tree.root.children) == expected_roots(kb, "en", Filters(camp=other.id))
        assert tree.cursor_node is not None and tree.cursor_node.data == other.id
        assert describe(other, kb, "en").title in detail_text(app)


@pytest.fixture
def timers(monkeypatch) -> list[dict[str, Any]]:
    """Every one-shot timer made from now on: whether its callback ran, and whether it was stopped."""
    made: list[dict[str, Any]] = []
    set_timer = MessagePump.set_timer

    def recording(self: MessagePump, delay: float, callback: Any = None, *args: Any, **kwargs: Any) -> Timer:
        entry: dict[str, Any] = {"name": kwargs.get("name"), "fired": False, "stopped": False}

        def fire() -> Any:
            entry["fired"] = True
            return callback() if callback is not None else None

        timer = set_timer(self, delay, fire, *args, **kwargs)
        stop = timer.stop

        def stopping() -> None:
            entry["stopped"] = True
            stop()

        timer.stop = stopping  # type: ignore[method-assign]
        made.append(entry)
        return timer

    monkeypatch.setattr(MessagePump, "set_timer", recording)
    return made


async def test_quick_moves_draw_the_detail_where_the_cursor_stops_and_leave_no_timer(app_factory, kb, monkeypatch,
                                                                                     timers):
    """Keys faster than the detail's delay: it is drawn for the first record and for the last, not for each one
    passed; once it has caught up no timer of the pane is left waiting."""
    monkeypatch.setattr(landscape, "DETAIL_DELAY", 0.5)  # far longer than a key press takes here
    drawn: list[str | None] = []
    show_record = DetailView.show_record

    def counting(self: DetailView, kb_: Any, record_id: str | None, lang: Lang) -> None:
        if self.id == "landscape-detail":
            drawn.append(record_id)
        show_record(self, kb_, record_id, lang)

    monkeypatch.setattr(DetailView, "show_record", counting)
    camp = max(kb.camps_sorted(), key=lambda c: len(kb.companies_in(c.id)))
    app = app_factory("en", open_text=camp.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(LandscapePane)
        tree = app.screen.query_one(CampTree)
        tree.focus()
        await pane.detail_settled()
        await settle(pilot)
        drawn.clear()
        await pilot.press("right", "down", "down", "down", "down")
        final = tree.cursor_node
        assert final is not None and final.data is not None
        assert len(drawn) < 4  # not one drawing per key
        await pane.detail_settled()
        await settle(pilot)
        assert not pane.detail_pending
        assert drawn[-1] == final.data
        record = kb.get(final.data)
        assert record is not None and describe(record, kb, "en").title in detail_text(app)
        # the pane's timers have all ended: the last one drew the detail (none ticks while the user reads)
        assert [entry for entry in timers if entry["name"] == "landscape detail"]
        assert [entry for entry in timers
                if entry["name"] == "landscape detail" and not entry["fired"] and not entry["stopped"]] == []


async def test_the_next_page_comes_in_the_language_shown(app_factory, kb, monkeypatch):
    """"… N more" after switching the language lists the next page in the new language."""
    monkeypatch.setattr(landscape_tree, "PAGE", 2)
    camp = max(kb.camps_sorted(), key=lambda c: len(kb.companies_in(c.id)))
    app = app_factory("en", open_text=camp.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        await pilot.press("right")
        camp_node = next(node for node in tree.root.children if node.data == camp.id)
        assert camp_node.is_expanded
        await pilot.press("l")  # the other language
        await settle(pilot)
        assert app.lang == "zh"
        tree.show_more(camp_node.children[-1])
        await settle(pilot)
        total = len(kb.companies_in(camp.id))
        more = [t("tree.more", "zh", n=str(total - 4))] if total > 4 else []
        assert labels(camp_node.children) == [spec.label for spec in shape.children(camp.id, kb, "zh")[:4]] + more
