"""Pilot tests of how the explorer behaves across views: filters in every view, links, history, search,
screenshots and export, and the Compare cursor without colours (issue "Every screen right")."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList, Static, TabbedContent

from carnk_tui.kb.knowledge_base import name_of
from carnk_tui.kb.model import Company, Event, text
from carnk_tui.ui.app import make_app
from carnk_tui.ui.screens.presentation import PresentScreen
from carnk_tui.ui.screens.search import SearchScreen
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.views.filters import Filters
from carnk_tui.views.history import History
from carnk_tui.views.i18n import t
from carnk_tui.views.search import SearchIndex
from carnk_tui.views.timeline import timeline_entries
from tests.screen import record_notifications
from tests.test_app import detail_text, plain
from tests.test_results import results_text
from carnk_tui.ui.settle import settle

SIZE = (100, 30)


def chinese_camp(kb) -> str:
    return next(c.id for c in kb.camps if "Chinese" in c.name.en)


def zh_named_company(kb) -> Company:
    """A company whose Chinese name does not appear in its English one."""
    return next(c for c in kb.companies if text(c.name, "zh") not in text(c.name, "en"))


def listed_ids(app, selector: str) -> list[str]:
    listing = app.screen.query_one(selector, OptionList)
    return [o.id for o in (listing.get_option_at_index(i) for i in range(listing.option_count)) if o.id]


def list_text(app, selector: str) -> str:
    listing = app.screen.query_one(selector, OptionList)
    return "\n".join(str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count))


def table_ids(app) -> list[str]:
    table = app.screen.query_one("#compare-table", DataTable)
    return [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]


# ------------------------------------------------------------ filters in every view


async def test_every_view_follows_every_filter_and_says_so(app_factory, kb):
    filters = Filters(camp=chinese_camp(kb), target="CD19")
    products = {p.id for p in filters.products(kb)}
    assert products and "ft596" not in products
    shown = t("filter.shown", "en", n="", total="").split(":")[0]  # "Filtered"
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.filters = filters
        await settle(pilot)
        # the tree, and its first line says the filters are on
        tree = app.screen.query_one(CampTree)
        assert shown in str(tree.root.children[0].label)
        assert all(n.data is None or n.data == chinese_camp(kb) for n in tree.root.children)
        await pilot.press("6")
        await settle(pilot)
        results = results_text(app)
        assert shown in results
        assert "FT596" not in results  # it used to come first, whatever the filters
        assert any(name_of(kb.get(p), "en") in results for p in products)
        await pilot.press("5")
        await settle(pilot)
        events = listed_ids(app, "#timeline-list")
        assert events and shown in list_text(app, "#timeline-list")
        for event_id in events:  # the timeline filters by every filter, not the camp only
            assert filters.event_matches(kb.get(event_id), kb)
        every = [e.record_id for e in timeline_entries(kb, "en") if e.record_id]
        assert any(kb.get(e).products and not filters.event_matches(kb.get(e), kb) for e in every)
        await pilot.press("4")
        await settle(pilot)
        assert set(table_ids(app)) == products
        assert shown in plain(app.screen.query_one("#compare-hint", Static).content)
        await pilot.press("3")
        await settle(pilot)
        setbacks = [i for i in listed_ids(app, "#outlook-list") if isinstance(kb.get(i), Event)]
        assert all(filters.event_matches(kb.get(i), kb) for i in setbacks)
        assert shown in list_text(app, "#outlook-list")


async def test_no_match_says_so_in_the_tree_the_detail_and_the_timeline(app_factory, kb):
    targets = {t_ for p in kb.products for t_ in p.targets}
    camp = chinese_camp(kb)
    missing = next(t_ for t_ in sorted(targets) if not Filters(camp=camp, target=t_).products(kb))
    none = t("filter.none_match", "en")
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert detail_text(app).strip()  # the first camp
        app.screen.filters = Filters(camp=camp, target=missing)
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert [str(n.label) for n in tree.root.children] == [none]
        assert detail_text(app).strip() == none  # not the camp shown before
        await pilot.press("5")
        await settle(pilot)
        assert detail_text(app, "#timeline-detail").strip() == none
        await pilot.press("6")
        await settle(pilot)
        assert none in results_text(app)


def test_filters_one_function_per_record_kind(kb):
    filters = Filters(target="CD19")
    for trial in kb.trials:
        assert filters.matches(trial, kb) == ("CD19" in kb.get(trial.product).targets)
    for deal in kb.deals:
        parties = [kb.get(p) for p in deal.parties]
        assert filters.matches(deal, kb) == any(isinstance(c, Company) and filters.company_matches(c, kb)
                                                for c in parties)
    assert all(filters.matches(c, kb) for c in kb.challenges)  # about the whole field
    assert Filters().matches(kb.products[0], kb)


# ------------------------------------------------------------ links


async def test_links_are_highlighted_on_arrival(app_factory, kb):
    product = next(p for p in kb.products if kb.get(p.company) is not None)
    app = app_factory("en", open_text=product.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "g")
        links = app.focused
        assert links is not None and links.id == "detail-links"
        assert links.highlighted == 0
        first = links.get_option_at_index(0).id
        await pilot.press("enter")  # the first Enter follows the first link
        await settle(pilot)
        assert app.screen.query_one(CampTree).cursor_node.data == first


# ------------------------------------------------------------ history


async def test_back_from_a_record_opened_in_the_timeline_returns_to_the_event(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        event_id = app.screen.query_one("#timeline-pane").record_id
        await pilot.press("tab", "g", "down", "enter")
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.active == "landscape"
        opened = app.screen.query_one(CampTree).cursor_node.data
        assert opened != event_id
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert tabs.active == "timeline"
        assert app.screen.query_one("#timeline-pane").record_id == event_id
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert tabs.active == "landscape" and app.screen.query_one(CampTree).cursor_node.data == opened


async def test_presentation_returns_to_its_record_and_back_works_at_once(app_factory, kb):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"LV009", "enter")
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node.data == "lv009"
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresentScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert tree.cursor_node.data == "lv009"  # not the record of the slide it was found on
        await pilot.press("left_square_bracket")  # the first [ goes back
        await settle(pilot)
        assert tree.cursor_node.data == "ft596"


def test_history_keeps_one_entry_per_record_in_a_row():
    history = History()
    history.visit("lv009")
    history.browse("camp-a", "landscape")  # the tree starting on its first camp, after --open
    history.browse("lv009", "landscape")
    assert [p.record_id for p in history.places] == ["lv009"]
    history.visit("ft596")
    assert history.back() is not None and history.current == "lv009"
    assert history.back() is None


# ------------------------------------------------------------ search


def test_search_finds_armour_and_ranks_a_trial_by_its_registry_number(kb):
    index = SearchIndex(kb)
    assert "ft596" in [hit.id for hit in index.search("IL-15")]
    trial = next(tr for tr in kb.trials if tr.registry_ids)
    ids = [hit.id for hit in index.search(trial.registry_ids[0])]
    assert ids[0] == trial.id  # above the registry entry that is its source
    company = zh_named_company(kb)
    hit = next(h for h in index.search(text(company.name, "zh"), lang="en") if h.id == company.id)
    # the English name, then what matched
    assert hit.name == text(company.name, "en") and hit.matched == text(company.name, "zh")


async def test_open_registry_number_opens_the_trial(app_factory, kb):
    trial = next(tr for tr in kb.trials if tr.registry_ids)
    app = app_factory("en", open_text=trial.registry_ids[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(CampTree).cursor_node.data == trial.id


async def test_chinese_query_in_the_english_interface_shows_english_names(app_factory, kb):
    company = zh_named_company(kb)
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *text(company.name, "zh"))
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        results = app.screen.query_one("#search-results", OptionList)
        prompt = next(str(o.prompt) for o in (results.get_option_at_index(i) for i in range(results.option_count))
                      if o.id == company.id)
        assert prompt.startswith(text(company.name, "en"))


# ------------------------------------------------------------ screenshot and export


async def test_palette_screenshot_is_saved_and_the_notification_names_it(app_factory, tmp_path, monkeypatch):
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_PICTURES_DIR", str(pictures))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    app = app_factory("en")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screenshot = next(c for c in app.get_system_commands(app.screen) if c.title == "Screenshot")
        screenshot.callback()  # what the palette runs
        for _ in range(100):  # the command runs on a short timer
            if list(pictures.glob("*.svg")):
                break
            await settle(pilot)
        saved = list(pictures.glob("*.svg"))
        assert len(saved) == 1
        assert any(str(saved[0]) in m for m in messages), messages


async def test_export_notification_names_the_full_path(app_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))
    app = app_factory("en", open_text="FT596")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter")  # the export dialog, its proposal as it is
        await settle(pilot)
        written = tmp_path / "carnk-ft596-en.md"
        assert written.exists()
        assert any(str(written) in m for m in messages)


def test_screenshot_command_runs_one_app_per_language(kb, tmp_path, monkeypatch):
    from carnk_tui.ui import app as app_module
    from carnk_tui.ui import gallery

    made: list[str] = []
    real = app_module.make_app

    def counting(*args, **kwargs):
        made.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(app_module, "make_app", counting)
    monkeypatch.setattr(gallery, "SHOTS", (*gallery.SHOTS[:2], ("help", ("2", "question_mark"))))
    paths = gallery.write_gallery(kb, tmp_path)
    assert sorted(made) == ["en", "zh"]
    assert all(p.exists() and p.read_text(encoding="utf-8").startswith("<svg") for p in paths)
    assert len(paths) == 6


# ------------------------------------------------------------ NO_COLOR


def _attributes(strip) -> set[tuple[bool, bool, bool, bool]]:
    """The text attributes a terminal without colours still shows (bold, reverse, underline, italic)."""
    return {(bool(s.style.bold), bool(s.style.reverse), bool(s.style.underline), bool(s.style.italic))
            for s in strip if s.text.strip() and s.style is not None}


async def test_no_color_compare_cursor_row_differs_from_the_header(kb, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(kb, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await settle(pilot)
        assert app.no_color
        table = app.screen.query_one("#compare-table", DataTable)
        assert table.has_focus and table.cursor_row == 0
        header, cursor, other = (_attributes(table.render_line(y)) for y in (0, 1, 2))
        assert header and cursor and cursor != header and cursor != other
        table.blur()
        await settle(pilot)
        assert _attributes(table.render_line(1)) != _attributes(table.render_line(0))

