"""Helpers shared by the loader and hostile-input tests.

Plain functions, no fixtures: a test copies the minimal knowledge base, edits or adds files,
then loads it in-process (`problems_of`), through the command line's `main()` in-process (`call_cli`), or
through the command line in a subprocess (`run_cli`, which also pays Python's start-up: keep it for what only a
real process shows, such as no traceback reaching the terminal).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from collections.abc import Iterable

from carnk_tui.kb.loader import load
from carnk_tui.kb.problems import KnowledgeBaseError, Problem

#: the repository root, found from this file's place in it (tests/kbtools.py)
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "minimal"
#: the minimal fixture's only file
BASE = "base.yaml"


def copy_minimal(tmp_path: Path, name: str = "kb") -> Path:
    """A fresh, writable copy of the minimal knowledge base: ``tmp_path / name``."""
    target = tmp_path / name
    shutil.copytree(MINIMAL, target)
    return target


def edit(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of `old` in `path` by `new`; return the new text."""
    content = path.read_text(encoding="utf-8")
    count = content.count(old)
    assert count == 1, f"{old!r} occurs {count} times in {path}, expected exactly once"
    content = content.replace(old, new)
    path.write_text(content, encoding="utf-8")
    return content


def write(directory: Path, name: str, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8, or raw bytes) to ``directory / name``."""
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def line_of(content: str | bytes, marker: str | bytes, occurrence: int = 1) -> int:
    """The 1-based line on which the `occurrence`-th `marker` starts.

    Lines are counted by "\\n" only, as editors, ``grep -n`` and ``sed -n`` count them.
    """
    start = -1
    for _ in range(occurrence):
        start = content.find(marker, start + 1)
        assert start >= 0, f"{marker!r} occurs fewer than {occurrence} times"
    newline = b"\n" if isinstance(content, bytes) else "\n"
    return content.count(newline, 0, start) + 1  # type: ignore[arg-type]


def problems_of(dirs: Iterable[Path | str]) -> list[Problem]:
    """The problems `load(dirs)` reports; fails the test if the knowledge base loads."""
    dirs = list(dirs)
    try:
        load(dirs)
    except KnowledgeBaseError as error:
        assert error.problems, "KnowledgeBaseError raised without any problem"
        return list(error.problems)
    raise AssertionError(f"{[str(d) for d in dirs]} loaded, but it should have been refused")


def describe(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in problems) or "(no problems)"


def find_problem(problems: list[Problem], *, file: Path | str | None = None, line: int | None = None,
                 record: str | None = None, field: str | None = None, contains: str | Iterable[str] = ()) -> Problem:
    """The one problem matching every criterion given; fails listing all problems if none does."""
    needles = (contains,) if isinstance(contains, str) else tuple(contains)
    matches = [
        p for p in problems
        if (file is None or p.file == str(file))
        and (line is None or p.line == line)
        and (record is None or p.record == record)
        and (field is None or p.field == field)
        and all(n in p.message for n in needles)
    ]
    wanted = {"file": file, "line": line, "record": record, "field": field, "contains": needles}
    assert matches, f"no problem matching {wanted} among:\n{describe(problems)}"
    return matches[0]


def cli_env() -> dict[str, str]:
    """The environment for a ``python -m carnk_tui`` child: this checkout first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONSTARTUP", None)
    return env


def run_cli(*args: str | Path, cwd: Path | str | None = None,
            timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run ``python -m carnk_tui ARGS`` in a subprocess; stdout and stderr captured as text.

    Raises subprocess.TimeoutExpired (and kills the child) after `timeout` seconds.
    """
    return subprocess.run(
        [sys.executable, "-m", "carnk_tui", *map(str, args)],
        cwd=cwd, env=cli_env(), capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=timeout, stdin=subprocess.DEVNULL,
    )


def call_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``carnk-tui ARGS`` through `carnk_tui.cli.main` in this process, as `run_cli` reports it: exit status,
    stdout and stderr as text. An exception `main()` lets through fails the test (in a child it would print a
    traceback). About a thousand times cheaper than a child Python."""
    from carnk_tui.cli import main

    argv = list(map(str, args))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as leaving:  # argparse leaves this way on bad arguments
            code = leaving.code if isinstance(leaving.code, int) else 1
    return subprocess.CompletedProcess([sys.executable, "-m", "carnk_tui", *argv], code, out.getvalue(),
                                       err.getvalue())
