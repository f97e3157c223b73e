"""Pilot tests of the explorer: what a user sees after pressing keys."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from rich.console import Console
from textual.widgets import Static, TabbedContent

from carnk_tui.ui.app import make_app
from carnk_tui.views.details import describe
from carnk_tui.views.i18n import t
from carnk_tui.kb.knowledge_base import name_of
from carnk_tui.kb.loader import load
from carnk_tui.kb.model import LANGS, text
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.ui.screens.help import HelpScreen
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.ui.widgets.detail import DetailBody, render_detail
from carnk_tui.ui.widgets.footer import KeyFooter
from tests.screen import record_notifications
from carnk_tui.ui.settle import settle

SIZE = (100, 30)


def plain(renderable, width: int = 400) -> str:
    with open(os.devnull, "w") as devnull:
        console = Console(width=width, record=True, file=devnull, color_system=None)
        console.print(renderable)
        return console.export_text()


def detail_text(app, pane: str = "#landscape-detail") -> str:
    return plain(app.screen.query_one(f"{pane} #detail-body", DetailBody).content)


def links_text(app, pane: str = "#landscape-detail") -> str:
    links = app.screen.query_one(f"{pane} #detail-links")
    return "\n".join(str(links.get_option_at_index(i).prompt) for i in range(links.option_count))


def product_with_results(kb):
    return next(p for p in kb.products if any(tr.results for tr in kb.trials_of(p.id)))


async def test_walk_tree_camp_company_product_trial(app_factory, kb):
    camp = kb.camps_sorted()[0]
    company = next(c for c in kb.companies_in(camp.id) if any(kb.trials_of(p.id) for p in kb.products_of(c.id)))
    product = next(p for p in kb.products_of(company.id) if kb.trials_of(p.id))
    trial = kb.trials_of(product.id)[0]
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(CampTree)
        assert app.focused is tree
        await settle(pilot)
        assert tree.cursor_node.data == camp.id
        assert text(camp.name, "en") in detail_text(app)
        # open the camp and walk down to the company
        await pilot.press("right")
        for _ in range(kb.companies_in(camp.id).index(company) + 1):
            await pilot.press("down")
        await settle(pilot)
        assert tree.cursor_node.data == company.id
        assert name_of(company, "en") in detail_text(app)
        await pilot.press("right")
        for _ in range(kb.products_of(company.id).index(product) + 1):
            await pilot.press("down")
        await settle(pilot)
        assert tree.cursor_node.data == product.id
        shown = detail_text(app)
        assert name_of(product, "en") in shown and product.targets[0] in shown
        await pilot.press("right", "down")
        await settle(pilot)
        assert tree.cursor_node.data == trial.id
        shown = detail_text(app)
        assert name_of(trial, "en") in shown
        for source_id in trial.sources:  # every detail ends with its sources, shown in full
            assert text(kb.source(source_id).title, "en") in shown
        # left goes back to the parent
        await pilot.press("left")
        await settle(pilot)
        assert tree.cursor_node.data == product.id


async def test_open_shows_product_with_results(app_factory, kb):
    product = product_with_results(kb)
    app = app_factory("en", open_text=product.id.upper())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node is not None and tree.cursor_node.data == product.id
        shown = detail_text(app)
        assert product.targets[0] in shown
        first = next(r for tr in kb.trials_of(product.id) for r in tr.results)
        assert first.measure in shown


async def test_open_unknown_text_notifies(app_factory):
    app = app_factory("en", open_text="no-such-thing-xyz")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("no-such-thing-xyz" in m and "Nothing matched" in m for m in messages)
        assert app.screen.query_one(TabbedContent).active == "landscape"


async def test_language_switch_changes_every_visible_label(app_factory, kb):
    product = product_with_results(kb)
    app = app_factory("en", open_text=product.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.get_tab("landscape").label_text == t("tab.landscape", "en")
        assert "Cell source" in detail_text(app)
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        for pane, key in (("overview", "tab.overview"), ("landscape", "tab.landscape"), ("outlook", "tab.outlook")):
            assert tabs.get_tab(pane).label_text == t(key, "zh")
        assert app.title == text(kb.meta.title, "zh")
        assert t("as_of", "zh") in app.sub_title
        tree = app.screen.query_one(CampTree)
        first_camp = kb.camps_sorted()[0]
        assert str(tree.root.children[0].label).startswith(text(first_camp.short or first_camp.name, "zh"))
        shown = detail_text(app)
        assert t("f.cell_source", "zh") in shown and "Cell source" not in shown
        assert tree.cursor_node.data == product.id  # the user's place is kept
        footer_text = app.screen.query_one(KeyFooter).text().plain
        assert "退出" in footer_text and "Quit" not in footer_text
        await pilot.press("l")
        await settle(pilot)
        assert "Cell source" in detail_text(app)


async def test_number_keys_switch_tabs_and_outlook_lists_challenges(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("1")
        assert tabs.active == "overview"
        overview = plain(app.screen.query_one("#overview-intro", Static).content)
        assert text(kb.overview.title, "en") in overview
        await pilot.press("3")
        await settle(pilot)
        assert tabs.active == "outlook"
        first = sorted(kb.challenges, key=lambda c: c.order)[0]
        assert text(first.title, "en") in detail_text(app, "#outlook-detail")
        await pilot.press("down")
        await settle(pilot)
        second = sorted(kb.challenges, key=lambda c: c.order)[1]
        assert text(second.title, "en") in detail_text(app, "#outlook-detail")
        await pilot.press("2")
        assert tabs.active == "landscape"


async def test_outlook_lists_setbacks_directions_and_judgement(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        listing = app.screen.query_one("#outlook-list")
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        joined = "\n".join(prompts)
        for d in kb.directions:
            assert text(d.title, "en") in joined
        assert text(kb.judgement.title, "en") in joined
        for e in kb.events:
            if e.setback:
                assert text(e.title, "en") in joined


async def test_follow_link_from_product_to_company(app_factory, kb):
    product = product_with_results(kb)
    company = kb.get(product.company)
    app = app_factory("en", open_text=product.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert name_of(company, "en") in links_text(app)
        await pilot.press("tab")  # from the tree to the detail pane
        await pilot.press("g")  # to its links
        assert app.focused.id == "detail-links"
        links = app.focused
        index = next(i for i in range(links.option_count) if links.get_option_at_index(i).id == company.id)
        links.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node.data == company.id
        assert name_of(company, "en") in detail_text(app).splitlines()[0]


async def test_link_from_challenge_opens_landscape(app_factory, kb):
    from carnk_tui.kb.model import Company, Product

    challenge, target = next((c, kb.get(r)) for c in kb.challenges for r in c.related
                             if isinstance(kb.get(r), (Company, Product)))
    app = app_factory("en", open_text=challenge.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        assert tabs.active == "outlook"
        links = app.screen.query_one("#outlook-detail #detail-links")
        links.focus()
        links.highlighted = next(i for i in range(links.option_count) if links.get_option_at_index(i).id == target.id)
        await pilot.press("enter")
        await settle(pilot)
        assert tabs.active == "landscape"
        assert app.screen.query_one(CampTree).cursor_node.data == target.id
        assert name_of(target, "en") in detail_text(app).splitlines()[0]


async def test_help_screen_lists_keys(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        body = plain(app.screen.query_one("#help-body", Static).content)
        for word in ("Quit", "Language", "Overview", "Links"):
            assert word in body
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_every_action(app_factory):
    from carnk_tui.ui.screens.main import MainScreen

    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        titles = "\n".join(commands)
        for binding in MainScreen.BINDINGS:  # every key of the explorer is a command too
            assert binding.description in titles, binding.description
        for wanted in ("Language (l)", "Help (?)", "Reload (r)", "Quit"):
            assert any(wanted in title for title in commands), wanted
        await commands["Results (6)"].callback()  # the palette runs it the same way
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "results"
        await pilot.press("l")
        assert any(title.startswith("搜索") for title in (c.title for c in app.get_system_commands(app.screen)))


def test_every_record_detail_renders_in_both_languages(kb):
    for record in kb.records():
        for lang in LANGS:
            detail = describe(record, kb, lang)
            rendered = plain(render_detail(detail, lang))
            assert detail.title in rendered
            if lang == "zh":  # lists drawn in Chinese are separated as Chinese is: 、，； not ", " or "; "
                mixed = re.search(r"[\u4e00-\u9fff）][,;?!] |[,;] [\u4e00-\u9fff（]", rendered)
                assert mixed is None, (record.id, rendered[max(0, mixed.start() - 40): mixed.end() + 40])


async def test_renaming_a_company_in_yaml_changes_the_app(tmp_path: Path, kb):
    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), data)
    company = kb.companies_in(kb.camps_sorted()[0].id)[0]
    old = text(company.name, "en")
    new = "Renamed Therapeutics Test Co"
    file = data / "companies.yaml"
    source = file.read_text(encoding="utf-8")
    assert old in source
    file.write_text(source.replace(old, new), encoding="utf-8")
    renamed = load([data])
    app = make_app(renamed, "en", open_text=new)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node.data == company.id
        assert new in str(tree.cursor_node.label)
        assert new in detail_text(app)


async def test_a_long_list_of_links_shows_a_page_then_more_on_enter(app_factory, kb, monkeypatch):
    """A camp of a thousand companies lists its links a page at a time: the last says how many more, and
    Enter on it lists them, with the cursor on the first one it added."""
    from carnk_tui.ui.widgets import detail

    monkeypatch.setattr(detail, "LINK_PAGE", 2)
    def listed(record):  # the links a detail lists: the records it refers to, then the sources it cites
        shown = describe(record, kb, "en")
        return len(shown.links) + len(getattr(shown, "sources", ()))

    camp = max(kb.camps_sorted(), key=listed)
    companies = [name_of(c, "en") for c in kb.companies_in(camp.id)]
    assert listed(camp) > 2  # the bundled data has that many, so the page is cut
    app = app_factory("en", open_text=camp.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        links = app.screen.query_one("#landscape-detail #detail-links")
        shown = links_text(app).splitlines()
        assert shown[-1] == t("tree.more", "en", n=str(listed(camp) - 2))
        assert len(shown) == 3
        await pilot.press("tab", "g")
        assert app.focused is links
        links.highlighted = 2
        await pilot.press("enter")
        await settle(pilot)
        assert links.highlighted == 2
        assert links.get_option_at_index(2).id != detail.MORE_LINKS
        assert len(links_text(app).splitlines()) == min(5, listed(camp) + 1)
        assert any(name in links_text(app) for name in companies)
