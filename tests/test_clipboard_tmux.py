"""`y` in a real terminal reaches the clipboard of the terminal the user sits at (issue 12, item 6): the app
runs inside tmux with `set-clipboard on`, as it would at the far end of SSH; tmux takes the app's OSC 52
sequence and keeps the text in its paste buffer, which `tmux show-buffer` reads back."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from carnk_tui.export.view import render_export

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 40.0

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install tmux): no terminal to copy through")


class Tmux:
    """A tmux server of our own (its own socket, no user configuration) running one command."""

    def __init__(self, command: list[str], size: tuple[int, int] = (80, 24)) -> None:
        self.socket = f"carnk-test-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        env.pop("TMUX", None)  # a tmux of our own even when the tests run inside one
        self.env = env
        self.run("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), "-c", str(ROOT), shlex.join(command),
                 ";", "set-option", "-g", "set-clipboard", "on")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True,
                              env=self.env, timeout=DEADLINE)

    def screen(self) -> str:
        return self.run("capture-pane", "-p").stdout

    def buffer(self) -> str | None:
        shown = self.run("show-buffer")
        return shown.stdout if shown.returncode == 0 else None

    def wait_for(self, read: Callable[[], str | None], done: Callable[[str], bool], what: str) -> str:
        """Read until `done(value)` (polling, bounded by the deadline)."""
        end = time.monotonic() + DEADLINE
        while True:
            value = read()
            if value is not None and done(value):
                return value
            assert time.monotonic() < end, f"{what} never happened; the screen:\n{self.screen()}"
            time.sleep(0.05)

    def close(self) -> None:
        self.run("kill-server")


def test_y_over_tmux_with_set_clipboard_puts_the_record_in_the_buffer(kb):
    expected = render_export(kb, "en", "md", ["ft596"])
    tmux = Tmux([sys.executable, "-m", "carnk_tui", "--lang", "en", "--open", "FT596"])
    try:
        assert tmux.run("show-options", "-g", "set-clipboard").stdout.split() == ["set-clipboard", "on"]
        tmux.wait_for(tmux.screen, lambda s: "FT596" in s and "Phase 1" in s, "the record drawn")
        assert tmux.buffer() is None  # nothing in tmux's buffers before the key
        tmux.run("send-keys", "y")
        copied = tmux.wait_for(tmux.buffer, bool, "a paste buffer")
        assert copied.rstrip("\n") == expected.rstrip("\n")
        tmux.wait_for(tmux.screen, lambda s: "Copied FT596 as Markdown" in s, "the notification")
    finally:
        tmux.close()
