"""Monkey test: 2,000 seeded random keys at 80x24 and 40x12, with resizes between, on the bundled data
and on a generated base of 1,000 products; the app raises nothing, stays alive with a sane screen after
every batch of keys, and still answers a final q.

The 2,000 keys of each seed run as SESSIONS sessions of PRESSES // SESSIONS keys, each a fresh app: session k
draws (and discards) the first k * 500 keys of `random.Random(seed)`, so together the sessions press the same
2,000 keys, with the same resizes and checks, as one session did. This trades the 2,000-key continuity (state
built up over 2,000 keys) for parallelism: pytest-xdist runs the sessions on every core, and no single test is
the suite's long pole.

Each key is posted to the app and the test waits only until the app and every widget of its screen have
handled what was queued (`handled`, with `call_later`); the full `pilot.pause()`, which also waits for the
process to go idle, comes once per batch of BATCH keys, before the checks. `pilot.press()` waits for idle
after every single key (two sleeps of 20 ms at least): that was 85% of the suite's time.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from rich.cells import cell_len
from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.keys import key_to_character
from textual.pilot import Pilot

from carnk_tui.ui.app import make_app
from tests.screen import screen_lines

PRESSES = 2000
SESSIONS = 4  # sessions per seed; divides PRESSES into parts that are multiples of RESIZE_EVERY
PART = PRESSES // SESSIONS
BATCH = 25  # divides RESIZE_EVERY: the terminal changes size between batches
RESIZE_EVERY = 250
SIZES = ((80, 24), (40, 12))
#: every key the app answers to, plus typing; never q or ctrl+c, which are kept for the end
KEYS = [
    "up", "down", "left", "right", "enter", "tab", "shift+tab", "escape", "space", "pageup", "pagedown",
    "home", "end", "backspace", "1", "2", "3", "4", "5", "6", "l", "question_mark", "slash", "f", "x", "e",
    "left_square_bracket", "right_square_bracket", "alt+left", "alt+right", "g", "s", "c", "p", "r", "ctrl+p",
    "a", "n", "k", "7", "8", "9", "t", "C", "D", "y",
]
#: the characters `key_to_character` does not name (Pilot's own table, for the keys above)
CHARACTERS = {"slash": "/"}


def key_event(key: str) -> events.Key:
    """The event a terminal sends for `key`, as `Pilot.press` builds it."""
    return events.Key(key, key_to_character(key) or CHARACTERS.get(key))


async def handled(app: App, within: float = 30.0) -> None:
    """Until the app and each widget of its screen have handled the messages queued so far, as Pilot waits but
    without its idle sleeps. A widget removed meanwhile drops its queue: it is no longer waited for. Workers
    may still be running: as when a user types on while the app searches."""
    pending = set(app.screen.walk_children(with_self=True)) | {app}
    done = asyncio.Event()

    def handled_by(node: object) -> None:
        pending.discard(node)  # type: ignore[arg-type]
        if not pending:
            done.set()

    pending = {node for node in pending if node.call_later(handled_by, node)}
    deadline = asyncio.get_running_loop().time() + within
    while pending:
        try:
            await asyncio.wait_for(done.wait(), 0.1)
        except TimeoutError:
            pending = {node for node in pending if node is app or node.is_attached}
            assert app.is_running, "the app stopped"
            assert asyncio.get_running_loop().time() < deadline, f"not handled in {within} s: {pending}"


async def press(app: App, pilot: Pilot, key: str) -> None:
    """One key, handled. Textual's own command palette is not safe against keys that overtake its search worker
    (it raises from its option list and its worker): while it is open, and to open it, keys go through
    `pilot.press`, which waits for the whole process to go idle after each key."""
    if key == "ctrl+p" or isinstance(app.screen, CommandPalette):
        await pilot.press(key)
        return
    assert app.post_message(key_event(key)), "the app no longer takes keys"
    await handled(app)


def assert_sane(app: App, size: tuple[int, int], after: int) -> None:
    """Alive, not exiting, and drawing a full screen of the terminal's size with something on it."""
    where = f"after {after} keys"
    assert app.is_running and app.return_code is None, f"the app stopped {where}"
    assert tuple(app.size) == size and tuple(app.screen.size) == size, f"screen {app.screen.size} != {size} {where}"
    lines = screen_lines(app)  # renders every widget of the screen: a drawing error raises here
    assert len(lines) == size[1] and all(cell_len(line) == size[0] for line in lines), f"torn screen {where}"
    assert any(line.strip() for line in lines), f"blank screen {where}"


def size_at(n: int) -> tuple[int, int]:
    """The terminal's size for the keys from the n-th on."""
    return SIZES[(n // RESIZE_EVERY) % 2]


async def monkey(app, seed: int, session: int) -> None:
    """Keys session * PART to (session + 1) * PART of the seed's stream, on a fresh app."""
    assert PART % RESIZE_EVERY == 0 and PART % BATCH == 0
    rng = random.Random(seed)
    first = session * PART
    for _ in range(first):  # the keys the earlier sessions press
        rng.choice(KEYS)
    app.animation_level = "full"  # keys land in the middle of animations too (the other tests turn them off)
    async with app.run_test(size=size_at(first)) as pilot:
        size = size_at(first)
        for n in range(first, first + PART, BATCH):
            if n % RESIZE_EVERY == 0:
                size = size_at(n)
                await pilot.resize_terminal(*size)
            for _ in range(BATCH):
                await press(app, pilot, rng.choice(KEYS))
            await pilot.pause()
            assert_sane(app, size, n + BATCH)
        for _ in range(6):  # close whatever modal the keys left open
            await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0, "the app did not answer q"  # set by App.exit()
    assert app.return_code == 0


@pytest.mark.parametrize("session", range(SESSIONS))
async def test_monkey_bundled(kb, tmp_path, monkeypatch, session):
    monkeypatch.chdir(tmp_path)  # `e` exports into the working directory
    await monkey(make_app(kb, "zh"), seed=7, session=session)


@pytest.mark.parametrize("session", range(SESSIONS))
async def test_monkey_generated_1000(generated_kb, tmp_path, monkeypatch, session):
    monkeypatch.chdir(tmp_path)
    await monkey(make_app(generated_kb, "en"), seed=11, session=session)
