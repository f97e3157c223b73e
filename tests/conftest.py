"""Shared fixtures: the bundled knowledge base, the small test one, and app builders."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# The suite runs many Python processes (a worker per core and three per core more, the CLI in subprocesses): with
# PYTHONDONTWRITEBYTECODE set, as on some CI machines, each compiled every module of the package, its tests and
# whatever they import again, about 3 s of CPU per process (collecting the tests: 5.5 s, 2.2 s from compiled code).
# Compiled code is then kept outside the source tree, where the setting asked nothing to be written.
if sys.dont_write_bytecode:
    _PYCACHE = str(Path(tempfile.gettempdir()) / f"carnk-tui-pycache-{os.getuid()}")
    sys.dont_write_bytecode, sys.pycache_prefix = False, _PYCACHE
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = _PYCACHE

import pytest
import textual.constants

from carnk_tui.ui.app import CarnkApp, make_app
from carnk_tui.kb.cache import load_cached
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"

# Tests see the app as a user who turned animations off (TEXTUAL_ANIMATIONS=none) sees it, unless the variable
# says otherwise: the same end states without the frames in between (a tab's sliding underline, smooth scrolling),
# which were a fifth of the CPU of many tests. The monkey tests turn every animation on (`app.animation_level`),
# where a key may land mid-way. Textual read the variable when a plugin imported it, before this file: the
# processes the tests start read it from the environment, this one is told.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
textual.constants.TEXTUAL_ANIMATIONS = os.environ["TEXTUAL_ANIMATIONS"]  # type: ignore[misc]

# Large files are read in this process unless a test asks for worker processes (tests/test_parallel.py and
# the hostile suite's "processes" setting do): starting them from inside an xdist worker costs seconds per
# load and made the suite wait on them.
os.environ.setdefault("CARNK_TUI_PROCESSES", "1")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load([bundled_data_dir()])


@pytest.fixture(scope="session")
def mini_kb() -> KnowledgeBase:
    return load([MINIMAL])


@pytest.fixture(scope="session")
def generated_kb(tmp_path_factory) -> KnowledgeBase:
    """A generated base of 1,000 products (benchmarks/make_kb.py), made once per run of the suite: the first
    xdist worker that needs it generates it and stores the app's snapshot of it (kb/cache.py); the others
    wait for that (a file lock) and read the snapshot."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent  # the run's directory, above every worker's own
    else:
        shared = tmp_path_factory.getbasetemp()
    out, done = shared / "kb1000", shared / "kb1000.done"
    with open(shared / "kb1000.lock", "w") as lock, pytest.MonkeyPatch.context() as patch:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            subprocess.run([sys.executable, str(MINIMAL.parents[2] / "benchmarks" / "make_kb.py"), "--products",
                            "1000", "--out", str(out), "--force"], check=True, capture_output=True)
            done.touch()
        patch.setenv("CARNK_TUI_CACHE_DIR", str(shared / "kb1000-cache"))
        return load_cached([out])  # the first call writes the snapshot before it returns


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The YAML files of a small generated base (90 products, benchmarks/make_kb.py): many files of every
    section, for the tests that compare ways of reading them."""
    sys.path.insert(0, str(MINIMAL.parents[2] / "benchmarks"))
    try:
        import make_kb
    finally:
        sys.path.pop(0)
    out = tmp_path_factory.mktemp("generated") / "kb"
    make_kb.generate(90, out)
    return out


@pytest.fixture
def app_factory(kb):
    def build(lang: str = "en", open_text: str | None = None, knowledge: KnowledgeBase | None = None) -> CarnkApp:
        return make_app(knowledge or kb, lang, open_text)  # type: ignore[arg-type]

    return build


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Tests never depend on (or change) the developer's locale, colour settings or preferences."""
    monkeypatch.setenv("CARNK_TUI_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("CARNK_TUI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("CARNK_TUI_REGISTRY_DIR", "")  # no imported registry unless a test makes one
    # a presentation tells its notes window through this file: never the user's
    monkeypatch.setenv("CARNK_TUI_PRESENT_CHANNEL", str(tmp_path_factory.mktemp("present") / "present.json"))
    # what the app writes by default (exports, screenshots) never lands in the developer's folders
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path_factory.mktemp("documents")))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: three workers per core. Much of a Pilot test's time is the app waiting to be idle, not
    computing, so several workers share a core well (measured on 2 cores, the whole suite: 4 min 54 s
    with 2 workers, 3 min 17-49 s with 4, 2 min 50 s with 6, 2 min 59 s with 8)."""
    return 3 * (os.cpu_count() or 1)


#: tests that take tens of seconds each (long sessions of keys): started first, one at the head of each
#: worker's share, so that none of them is left to run alone at the end of the suite
LONG_RUNNING = ("tests/test_monkey.py::",)


def pytest_collection_modifyitems(config, items) -> None:
    """Under xdist (`worksteal` hands each worker a contiguous share of this order), the long-running tests
    go first in the shares, spread over them; alone, the order is unchanged."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0") or 0)
    if workers < 2:
        return
    long = [item for item in items if item.nodeid.startswith(LONG_RUNNING)]
    rest = [item for item in items if not item.nodeid.startswith(LONG_RUNNING)]
    share = -(-len(rest) // workers)
    ordered = []
    for worker in range(workers):
        ordered += long[worker::workers]
        ordered += rest[worker * share:(worker + 1) * share]
    items[:] = ordered
