"""Monkey test: 2,000 seeded random keys at 80x24 and 40x12, with resizes between, on the bundled data
and on a generated base of 1,000 products; the app raises nothing and still answers a final q."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from carnk_tui.ui.app import make_app
from carnk_tui.kb.loader import load

ROOT = Path(__file__).resolve().parent.parent
PRESSES = 2000
SIZES = ((80, 24), (40, 12))
#: every key the app answers to, plus typing; never q or ctrl+c, which are kept for the end
KEYS = [
    "up", "down", "left", "right", "enter", "tab", "shift+tab", "escape", "space", "pageup", "pagedown",
    "home", "end", "backspace", "1", "2", "3", "4", "5", "6", "l", "question_mark", "slash", "f", "x", "e",
    "left_square_bracket", "right_square_bracket", "alt+left", "alt+right", "g", "s", "c", "p", "r", "ctrl+p",
    "a", "n", "k", "7", "8", "9", "t", "C", "D",
]


@pytest.fixture(scope="module")
def generated_kb(tmp_path_factory):
    out = tmp_path_factory.mktemp("kb1000")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_kb.py"), "--products", "1000", "--out", str(out),
                    "--force"], check=True, capture_output=True)
    return load([out])


async def monkey(app, seed: int) -> None:
    rng = random.Random(seed)
    async with app.run_test(size=SIZES[0]) as pilot:
        for n in range(PRESSES):
            if n % 250 == 0:
                await pilot.resize_terminal(*SIZES[(n // 250) % 2])
            await pilot.press(rng.choice(KEYS))
        for _ in range(6):  # close whatever modal the keys left open
            await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
        assert app._exit, "the app did not answer q"  # noqa: SLF001 - Textual sets it when exit() is called
    assert app.return_code == 0


async def test_monkey_bundled(kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # `e` exports into the working directory
    await monkey(make_app(kb, "zh"), seed=7)


async def test_monkey_generated_1000(generated_kb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    await monkey(make_app(generated_kb, "en"), seed=11)
