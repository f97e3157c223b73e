"""The registry in the explorer: the fourth branch, opening an NCT id, what changed, the summary."""

from __future__ import annotations

import json
import re

import pytest

from carnk_tui.cli import main
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.views.i18n import label
from carnk_tui.ui.app import make_app
from carnk_tui.ui.widgets.detail import DetailBody
from carnk_tui.ui.widgets.landscape_tree import CampTree
from tests.test_app import plain
from tests.test_registry import ACTIVE, COMPLETED, JSON_FILE, RECRUITING, later_copy
from carnk_tui.ui.settle import settle

SIZE = (110, 40)


def detail_text(app) -> str:
    return plain(app.screen.query_one("#landscape-detail #detail-body", DetailBody).content)


@pytest.fixture
def registry_kb(tmp_path, monkeypatch):
    """The bundled knowledge base with the fixture imported, then imported again three statuses and a study later."""
    out = tmp_path / "reg"
    assert main(["import", "ctgov", str(JSON_FILE), "--out", str(out), "--as-of", "2026-11-01"]) == 0
    assert main(["import", "ctgov", str(later_copy(tmp_path)), "--out", str(out), "--as-of", "2026-11-20"]) == 0
    return load([bundled_data_dir(), out])


def root_labels(app) -> list[str]:
    return [str(node.label) for node in app.screen.query_one(CampTree).root.children]


async def test_fourth_branch_lists_uncurated_studies_by_sponsor(registry_kb):
    app = make_app(registry_kb, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        labels = root_labels(app)
        assert labels[-1] == "Registry trials not yet curated (31)"
        tree = app.screen.query_one(CampTree)
        branch = tree.root.children[-1]
        tree.move_cursor(branch)
        await pilot.press("right")
        await settle(pilot)
        groups = [str(n.label) for n in branch.children]
        assert "M.D. Anderson Cancer Center (4)" in groups and groups[-1] == "Sponsor not given (10)"
        assert not any("Nkarta" in g for g in groups)  # Nkarta's studies are all curated trials


async def test_open_nct_id_shows_the_study(registry_kb):
    app = make_app(registry_kb, "en", "NCT03056339")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node is not None and tree.cursor_node.data == "nct03056339"
        shown = detail_text(app)
        assert "NCT03056339" in shown and "Phase 1/2" in shown and "M.D. Anderson Cancer Center" in shown
        source = " ".join(shown[shown.index("• [registry]"):].split())
        source = source.replace("https://clinicaltrials.gov/study/NCT03056339", "")
        assert source.count("NCT03056339") == 1  # named once, in the title: not again as an identifier
        assert "Read on 2026-11-20." in shown


async def test_open_nct_id_of_a_curated_trial_opens_the_trial(registry_kb):
    app = make_app(registry_kb, "en", "NCT04245722")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node is not None and tree.cursor_node.data == "trial-ft596-phase1"
        assert "as of 2026-11-20" in detail_text(app)


async def test_what_changed_lists_the_four_changes_and_opens_them(registry_kb):
    app = make_app(registry_kb, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        tree.move_cursor(tree.root.children[-1])
        await settle(pilot)
        shown = detail_text(app)
        assert "What changed in the last import (2026-11-20, against 2026-11-01)" in shown
        changes = [line for line in shown.splitlines() if line.startswith("• NCT")]
        assert len(changes) == 4
        before, after = label("trial_status", ACTIVE, "en"), label("trial_status", COMPLETED, "en")
        assert f"• NCT03056339 status: {before} → {after} · Cord blood CAR-NK" in shown
        assert "• NCT06999999 added" in shown
        assert "By status" in shown and "By country (top 10)" in shown and "█" in shown
        links = app.screen.query_one("#landscape-detail #detail-links")
        assert links.option_count == 4
        await pilot.press("tab")  # from the tree to the detail pane
        await pilot.press("g")  # to its links
        assert app.focused.id == "detail-links"
        app.focused.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert tree.cursor_node is not None and tree.cursor_node.data == "nct03056339"


async def test_curated_trial_shows_the_imported_reading_and_the_difference(registry_kb):
    trial = next(t for t in registry_kb.trials if "NCT06010472" in t.registry_ids)
    assert trial.registry is not None and trial.registry.phase == "early-phase-1"
    assert trial.registry.as_of == "2026-11-20"  # the import's reading, newer than the curated one
    assert trial.phase != trial.registry.phase  # the curated phase differs from the registry's
    app = make_app(registry_kb, "en", trial.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = detail_text(app)
        assert "as of 2026-11-20" in shown
        assert any("Early Phase 1 ⚠" in line for line in shown.splitlines())


async def test_chinese_labels(registry_kb):
    app = make_app(registry_kb, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert root_labels(app)[-1] == "注册库中尚未整理的试验（31）"  # full-width brackets in Chinese
        tree = app.screen.query_one(CampTree)
        tree.move_cursor(tree.root.children[-1])
        await settle(pilot)
        before, after = label("trial_status", ACTIVE, "zh"), label("trial_status", COMPLETED, "zh")
        assert f"• NCT03056339 状态：{before} → {after}" in detail_text(app)


def test_changes_file_is_json(tmp_path):
    out = tmp_path / "reg"
    assert main(["import", "ctgov", str(JSON_FILE), "--out", str(out)]) == 0
    assert json.loads((out / "changes.json").read_text(encoding="utf-8"))["imports"][0]["studies"] == 39


def test_search_finds_nct_ids(registry_kb):
    from carnk_tui.views.search import SearchIndex

    hits = SearchIndex(registry_kb).search("NCT03056339")
    assert hits and hits[0].id == "nct03056339"
    curated = SearchIndex(registry_kb).search("NCT04245722")  # on a curated trial: found as that trial
    assert "trial-ft596-phase1" in [hit.id for hit in curated]


def test_markdown_export_has_the_registry_summary(registry_kb):
    from carnk_tui.export import render

    report = render(registry_kb, "md", "en")
    assert "## Registry trials not yet curated" in report
    assert "- NCT06999999 added (unknown) · A new CAR-NK study" in report
    assert "**By sponsor class**" in report
    assert "- recruiting: 20 of 42 (48%)" in report  # each count keeps its denominator


async def test_summary_bars_keep_their_denominator_on_one_line(registry_kb):
    for lang, line in (("en", "20 of 42 (48%)"), ("zh", "20/42（48%）")):
        app = make_app(registry_kb, lang)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            tree = app.screen.query_one(CampTree)
            tree.move_cursor(tree.root.children[-1])
            await settle(pilot)
            shown = detail_text(app).splitlines()
            recruiting = label("trial_status", RECRUITING, lang)
            row = next(i for i, text in enumerate(shown) if text.startswith(recruiting) and "█" in text)
            assert shown[row].endswith(line)
            assert not re.fullmatch(r"\s*\d+%", shown[row + 1])  # no share left alone on the line below


def test_screenshot_draws_the_registry_from_two_imports(tmp_path, capsys):
    """`carnk-tui --extra REG screenshot --only …` makes the README's registry captures with the app itself."""
    from tests.test_registry import LATER_FILE

    reg = tmp_path / "reg"
    assert main(["import", "ctgov", str(JSON_FILE), "--out", str(reg), "--as-of", "2026-11-01"]) == 0
    assert main(["import", "ctgov", str(LATER_FILE), "--out", str(reg), "--as-of", "2026-11-20"]) == 0
    out = tmp_path / "shots"
    code = main(["--extra", str(reg), "screenshot", "--out", str(out), "--only", "registry-study,registry-changes"])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "registry-changes-en.svg", "registry-changes-zh.svg", "registry-study-en.svg", "registry-study-zh.svg"]
    changes = (out / "registry-changes-en.svg").read_text(encoding="utf-8")
    assert "What&#160;changed" in changes or "What changed" in changes
    assert "NCT05922930" in (out / "registry-study-en.svg").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["screenshot", "--out", str(out), "--only", "registry-study"]) == 2  # no registry: said, not drawn
    assert "this knowledge base has: overview" in capsys.readouterr().err


def test_filters_apply_to_registry_studies(registry_kb):
    from carnk_tui.views import landscape_tree as shape
    from carnk_tui.views.filters import Filters, options
    from carnk_tui.views.registry_overview import REGISTRY_KEY

    from tests.test_registry import RECRUITING

    def studies(filters: Filters) -> list[str]:
        return [spec.key for group in shape.children(REGISTRY_KEY, registry_kb, "en", filters)
                for spec in shape.children(group.key, registry_kb, "en", filters)]

    everything = studies(Filters())
    assert len(everything) == 31
    recruiting = studies(Filters(status=RECRUITING))
    assert recruiting and len(recruiting) < 31
    assert all(registry_kb.get(k).registry.status == RECRUITING for k in recruiting)
    industry = studies(Filters(sponsor_class="industry"))
    assert industry and all(registry_kb.get(k).registry.sponsor_class == "industry" for k in industry)
    germany = studies(Filters(country="Germany"))
    assert germany == ["nct03383978"]
    assert ("Germany", "Germany") in options(registry_kb, "country", "en")
    assert ("other (hospitals, universities, ...)", "other") in options(registry_kb, "sponsor_class", "en")
    # the branch's count follows the filters, and a filter no study meets hides the branch
    labels = [spec.label for spec in shape.roots(registry_kb, "en", Filters(country="Germany"))]
    assert labels[-1] == "Registry trials not yet curated (1)"
    assert all(spec.key != REGISTRY_KEY for spec in shape.roots(registry_kb, "en", Filters(target="CD70")))


async def test_command_palette_opens_what_changed(registry_kb):
    app = make_app(registry_kb, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"what changed")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node is not None and tree.cursor_node.data == "registry:"
        assert "What changed in the last import" in detail_text(app)
