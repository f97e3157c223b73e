"""Start-up as the command line does it: a loading screen first, the knowledge base loaded in a worker
(from the cache when the files are unchanged); invalid data ends the app with every problem and exit 1."""

from __future__ import annotations

import contextlib
import shutil

from textual.worker import WorkerCancelled

from carnk_tui.ui.app import make_app
from carnk_tui.kb.cache import cache_dir, load_cached
from carnk_tui.kb.loader import load
from carnk_tui.ui.screens.loading import LoadingScreen
from carnk_tui.ui.screens.main import MainScreen
from carnk_tui.ui.widgets.landscape_tree import CampTree
from tests.conftest import MINIMAL
from tests.kbtools import line_of, run_cli


async def test_first_frame_is_the_loading_screen_then_the_landscape(tmp_path):
    app = make_app(None, "en", open_text="AC101", data_dirs=[MINIMAL])
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, LoadingScreen)
        await pilot.pause()  # the first refresh starts the loading worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(CampTree).cursor_node.data == "ac101"


async def test_invalid_data_at_start_exits_1_with_the_problems(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(MINIMAL, kb_dir)
    text = (kb_dir / "base.yaml").read_text(encoding="utf-8").replace("stage: phase-1", "stage: phase-9")
    (kb_dir / "base.yaml").write_text(text, encoding="utf-8")
    app = make_app(None, "en", data_dirs=[kb_dir])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the first refresh starts the loading worker
        with contextlib.suppress(WorkerCancelled):  # the app ends itself, cancelling what is left
            await app.workers.wait_for_complete()
    assert app.return_code == 1
    assert [(p.line, p.record, p.field) for p in app.startup_problems] == [(line_of(text, "phase-9"), "ac101", "stage")]


def test_cli_with_invalid_data_prints_every_problem_and_exits_1(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(MINIMAL, kb_dir)
    text = (kb_dir / "base.yaml").read_text(encoding="utf-8").replace("camp: camp-one", "camp: nowhere")
    (kb_dir / "base.yaml").write_text(text, encoding="utf-8")
    proc = run_cli("--data", str(kb_dir), "export", "--format", "csv")
    assert proc.returncode == 1
    assert f"base.yaml:{line_of(text, 'camp: nowhere')}: acme: camp: 'nowhere' is not the id of camps" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cache_serves_unchanged_files_and_misses_after_an_edit(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(MINIMAL, kb_dir)
    first = load_cached([kb_dir])
    assert first == load([kb_dir])
    assert len(list(cache_dir().glob("*.msgpack"))) == 1
    again = load_cached([kb_dir])
    assert again == first and again.origins == first.origins
    base = kb_dir / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("name: Acme Bio", "name: Acme Cached"), encoding="utf-8")
    edited = load_cached([kb_dir])
    assert edited.get("acme").name == "Acme Cached"
    # a damaged cache file is ignored, not trusted
    for file in cache_dir().glob("*.msgpack"):
        file.write_bytes(b"\x00garbage")
    assert load_cached([kb_dir]).get("acme").name == "Acme Cached"


def test_a_start_from_the_cache_does_not_import_the_yaml_readers(tmp_path):
    """Unchanged files come from the cache: the start that finds them there must not pay for importing what
    reads YAML (rapidyaml, the worker processes: about 0.1 s of a start), which only a changed file needs."""
    import subprocess
    import sys

    probe = ("import sys; from pathlib import Path; from carnk_tui.kb.cache import load_cached; "
             f"load_cached([Path({str(MINIMAL)!r})]); import carnk_tui.cli, carnk_tui.ui.app; "
             "print(sorted(m for m in ('carnk_tui.kb.parallel', 'carnk_tui.kb.fast_reader', 'ryml', "
             "'multiprocessing') if m in sys.modules))")
    env = {**__import__("os").environ, "CARNK_TUI_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert "carnk_tui.kb.fast_reader" in first.stdout  # the first start read the files (and filled the cache)
    again = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == "[]"
