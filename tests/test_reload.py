"""The user's own data: --extra on top of the bundled base, reload (r and on edit), remembered preferences."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from textual.widgets import Static

from carnk_tui.ui.app import make_app
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.ui.prefs import prefs_path
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.ui.watch import concerns_data
from carnk_tui.views.i18n import t
from tests.conftest import MINIMAL
from tests.screen import record_notifications
from tests.kbtools import line_of, run_cli
from tests.test_app import detail_text, plain

SIZE = (100, 30)
NEW_COMPANY = """companies:
  - id: my-new-co
    sources: [src-article]
    name: {zh: 我的新公司, en: My New Co}
    camp: camp-china
    summary: {zh: 用户自己的记录, en: A record of the user's own}
products:
  - id: my-nk-1
    sources: [src-article]
    name: MYNK-1
    company: my-new-co
    targets: [CLDN18.2]
    cell_source: cord-blood
    modality: car-nk
    stage: preclinical
    summary: {zh: 用户的产品, en: The user's product}
"""


def copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(MINIMAL, target)
    return target


async def settle(app, pilot) -> None:
    """Until the reload (and anything else the app started) is done."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, within: float = 20.0) -> None:
    """Until `condition()` holds: the operating system reports file edits when it does, not at a set time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, f"not within {within} s"
        await pilot.pause(0.05)


async def test_broken_file_keeps_last_good_data_then_recovers(tmp_path):
    kb_dir = copy_kb(tmp_path)
    base = kb_dir / "base.yaml"
    good = base.read_text(encoding="utf-8")
    app = make_app(load([kb_dir]), "en", open_text="AC101", data_dirs=[kb_dir])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        problems = app.screen.query_one("#problems")
        assert not problems.display
        broken = good.replace("camp: camp-one", "camp: camp-nope")
        base.write_text(broken, encoding="utf-8")
        await pilot.press("r")
        await settle(app, pilot)
        assert problems.display
        shown = plain(app.screen.query_one("#problems-body", Static).content)
        assert f"base.yaml:{line_of(broken, 'camp-nope')}: acme: camp:" in shown
        # nothing the user had on screen is lost
        assert app.screen.query_one(CampTree).cursor_node.data == "ac101"
        assert "AC101" in detail_text(app).splitlines()[0]
        # fixed, and renamed: the app reloads and shows the new name on the same record
        base.write_text(good.replace("name: AC101", "name: AC101-renamed"), encoding="utf-8")
        await pilot.press("r")
        await settle(app, pilot)
        assert not problems.display
        assert app.screen.query_one(CampTree).cursor_node.data == "ac101"
        assert "AC101-renamed" in detail_text(app).splitlines()[0]


async def test_editing_a_file_reloads_by_itself(tmp_path):
    kb_dir = copy_kb(tmp_path)
    base = kb_dir / "base.yaml"
    app = make_app(load([kb_dir]), "en", open_text="acme", data_dirs=[kb_dir])
    reloads = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: app.data_watcher.running)
        assert "Acme Bio" in detail_text(app)
        (kb_dir / "notes.txt").write_text("not data", encoding="utf-8")  # not a YAML file: no reload
        base.write_text(base.read_text(encoding="utf-8").replace("name: Acme Bio", "name: Acme Edited"),
                        encoding="utf-8")
        await until(pilot, lambda: "Acme Edited" in detail_text(app))
        await settle(app, pilot)
        assert reloads == [t("msg.reloaded", "en")]
        # a new file (whose records name sources this base lacks), then its removal: each reloads
        problems = app.screen.query_one("#problems")
        (kb_dir / "sub").mkdir()
        (kb_dir / "sub" / "more.yml").write_text(NEW_COMPANY, encoding="utf-8")
        await until(pilot, lambda: problems.display)
        assert "more.yml:" in plain(app.screen.query_one("#problems-body", Static).content)
        (kb_dir / "sub" / "more.yml").unlink()
        await until(pilot, lambda: not problems.display)
        await settle(app, pilot)
        assert reloads == [t("msg.reloaded", "en")] * 2
    watcher = app.data_watcher.thread
    assert watcher is not None
    watcher.join(5)  # it stops within watch.STEP_MS of the app
    assert not watcher.is_alive()


def test_only_yaml_files_and_folders_concern_the_data(tmp_path):
    assert concerns_data("/kb/base.yaml") and concerns_data("/kb/sub/More.YML")
    assert not concerns_data(str(tmp_path / "notes.txt")) and not concerns_data(str(tmp_path / ".base.yaml.swp"))
    assert not concerns_data(str(tmp_path / "base.yaml~"))
    assert concerns_data(str(tmp_path)) and concerns_data(str(tmp_path / "moved-away"))


async def test_hostile_file_through_reload_keeps_the_app_on_its_data(tmp_path):
    kb_dir = copy_kb(tmp_path)
    app = make_app(load([kb_dir]), "en", open_text="AC101", data_dirs=[kb_dir])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for content in (b"\xff\xfe bad", b"x: !!python/object/apply:os.system ['true']\n", b"a: &a [*a]\n",
                        b"\tcompanies: []\n"):
            (kb_dir / "evil.yaml").write_bytes(content)
            await pilot.press("r")
            await settle(app, pilot)
            assert app.screen.query_one("#problems").display
            assert "evil.yaml:" in plain(app.screen.query_one("#problems-body", Static).content)
            assert app.screen.query_one(CampTree).cursor_node.data == "ac101"


def test_extra_directory_adds_records_and_refuses_duplicates(tmp_path):
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "mine.yaml").write_text(NEW_COMPANY, encoding="utf-8")
    merged = run_cli("--extra", str(extra), "validate")
    assert merged.returncode == 0, merged.stderr
    base = load([bundled_data_dir()])
    assert f"{len(base.companies) + 1} companies" in merged.stdout
    assert f"{len(base.products) + 1} products" in merged.stdout
    clash = NEW_COMPANY.replace("id: my-new-co", "id: ft596").replace("company: my-new-co", "company: ft596")
    (extra / "mine.yaml").write_text(clash, encoding="utf-8")
    refused = run_cli("--extra", str(extra), "validate")
    assert refused.returncode == 1
    assert f"mine.yaml:{line_of(clash, 'id: ft596')}: ft596: id: duplicate id (first defined at" in refused.stderr


async def test_extra_company_appears_in_the_tree(tmp_path):
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "mine.yaml").write_text(NEW_COMPANY, encoding="utf-8")
    kb = load([bundled_data_dir(), extra])
    app = make_app(kb, "en", open_text="MYNK-1")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node.data == "my-nk-1"
        assert "My New Co" in str(tree.cursor_node.parent.label)
        assert "CLDN18.2" in detail_text(app)


async def test_language_and_theme_are_remembered(kb):
    app = make_app(kb, None, remember=True)
    async with app.run_test(size=SIZE) as pilot:
        first = app.lang
        await pilot.press("l")
        app.theme = "textual-light"
        await pilot.pause()
    saved = json.loads(prefs_path().read_text(encoding="utf-8"))
    assert saved == {"lang": "en" if first == "zh" else "zh", "theme": "textual-light"}
    again = make_app(kb, None, remember=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.lang == saved["lang"]
        assert again.theme == "textual-light"
    explicit = make_app(kb, first, remember=True)  # --lang overrides the remembered language
    assert explicit.lang == first
