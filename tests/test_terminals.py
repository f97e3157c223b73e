"""The real command in a real pseudo-terminal, as over SSH: TERM=xterm and xterm-256color, NO_COLOR,
16 colours, keyboard only. Each run waits (bounded) for the screen to show FT596's detail and its links, presses
keys, quits with q and must exit 0 without a traceback."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
DEADLINE = 30.0


class Terminal:
    def __init__(self, env: dict[str, str], *args: str, size: tuple[int, int] = (80, 24)) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.master = master
        self.output = bytearray()
        self.proc = subprocess.Popen([sys.executable, "-m", "carnk_tui", *args], stdin=slave, stdout=slave,
                                     stderr=slave, env=env, cwd=ROOT, start_new_session=True, close_fds=True)
        os.close(slave)

    def read_until(self, *texts: str, since: int = 0) -> str:
        """Read the terminal until every text has been drawn (or fail at the deadline)."""
        end = time.monotonic() + DEADLINE
        while True:
            screen = ANSI.sub("", self.output[since:].decode("utf-8", "ignore"))
            if all(t in screen for t in texts):
                return screen
            left = end - time.monotonic()
            assert left > 0, f"never drawn: {[t for t in texts if t not in screen]}\n{screen[-2000:]}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"the app ended early (exit {self.proc.poll()}):\n{screen[-2000:]}")
                self.output.extend(chunk)

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def quit(self) -> int:
        self.press(b"q")
        end = time.monotonic() + DEADLINE
        while self.proc.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    self.output.extend(os.read(self.master, 65536))
                except OSError:
                    break
        code = self.proc.wait(timeout=5)
        os.close(self.master)
        return code


def environment(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL", "FORCE_COLOR")}
    env["PYTHONPATH"] = str(ROOT)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def is_grey(index: int) -> bool:
    """A 256-colour index without hue: black, white, the grey ramp, or an equal-parts cube colour."""
    if index in (0, 7, 8, 15) or index >= 232:
        return True
    if 16 <= index <= 231:
        r, g, b = (index - 16) // 36, (index - 16) // 6 % 6, (index - 16) % 6
        return r == g == b
    return False


SETTINGS = {
    "xterm-16-colours": {"TERM": "xterm"},
    "xterm-256color": {"TERM": "xterm-256color"},
    "no-color": {"TERM": "xterm-256color", "NO_COLOR": "1"},
}


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_real_terminal_settings(setting, kb):
    env = environment(**SETTINGS[setting])
    term = Terminal(env, "--lang", "en", "--open", "FT596")
    try:
        # the detail's text and its links box (FT596's result, further down, is a scroll away at 80x24)
        screen = term.read_until("FT596", "CD19", "iPSC-derived", "discontinued", "platform: Fate iPSC platform")
        before = len(term.output)
        term.press(b"l")  # the language switch, keyboard only
        term.read_until("靶点", since=before)
        raw = term.output.decode("utf-8", "ignore")
    finally:
        code = term.quit()
    assert code == 0
    assert "Traceback" not in ANSI.sub("", term.output.decode("utf-8", "ignore"))
    colours = set(re.findall(r"\x1b\[([0-9;]*)m", raw))
    truecolour = any(";2;" in f";{c};" and ("38;2" in c or "48;2" in c) for c in colours)
    indexed = any("38;5" in c or "48;5" in c for c in colours)
    if setting == "xterm-16-colours":
        assert not truecolour and not indexed, "only the 16 standard colours on TERM=xterm"
    if setting == "no-color":  # Textual renders NO_COLOR as shades of grey: no hue anywhere
        assert not truecolour
        assert not any(re.search(r"(^|;)(3[1-6]|9[1-6]|4[1-6]|10[1-6])(;|$)", c) for c in colours)
        shades = [int(n) for c in colours for n in re.findall(r"[34]8;5;(\d+)", c)]
        assert shades and all(is_grey(n) for n in shades), sorted({n for n in shades if not is_grey(n)})
    assert screen  # the detail was drawn before any key was pressed
