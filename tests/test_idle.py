"""Idle means idle: once started, and while the user only looks, no interval timer runs in the app.

Every interval timer of Textual goes through `set_interval` (the app's, a widget's auto-refresh, a text box's
cursor blink, a screen's update timer); the test records each one made and follows its public pause, resume, reset
and stop. The CPU itself is measured by benchmarks/idle_cpu.py, in a real terminal.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widgets import LoadingIndicator

from carnk_tui.ui.app import make_app
from carnk_tui.ui.screens.main import MainScreen
from tests.conftest import MINIMAL
from tests.test_reload import settle

SIZE = (100, 30)


@dataclass
class Interval:
    timer: Timer
    owner: MessagePump
    running: bool

    def ticking(self) -> bool:
        """Running, and its owner still in the app (a removed widget's timers stop with it)."""
        return self.running and self.owner.is_running and (self.owner.is_attached or self.owner is self.owner.app)


@pytest.fixture
def intervals(monkeypatch) -> list[Interval]:
    """Every interval timer made from now on, with whether it is running."""
    made: list[Interval] = []
    set_interval = MessagePump.set_interval

    def recording(self: MessagePump, interval: float, *args: Any, **kwargs: Any) -> Timer:
        timer = set_interval(self, interval, *args, **kwargs)
        entry = Interval(timer, self, not kwargs.get("pause", False))
        if kwargs.get("repeat"):  # a timer that ends by itself after a few ticks is not an idle cost
            return timer
        made.append(entry)
        for name, running in (("pause", False), ("resume", True), ("reset", True), ("stop", False)):
            method = getattr(timer, name)

            def follow(*a: Any, _method: Any = method, _running: bool = running, **k: Any) -> Any:
                entry.running = _running
                return _method(*a, **k)

            setattr(timer, name, follow)
        return timer

    monkeypatch.setattr(MessagePump, "set_interval", recording)
    return made


def textual_palette_spinner(owner: MessagePump) -> bool:
    """Textual's command palette keeps its (hidden) busy spinner's refresh timer running: Textual's, not ours."""
    return (isinstance(owner, LoadingIndicator) and isinstance(owner.screen, CommandPalette)
            and not owner.has_class("--visible"))


def ticking(intervals: list[Interval]) -> list[str]:
    return [f"{entry.timer.name} of {entry.owner!r}" for entry in intervals
            if entry.ticking() and not textual_palette_spinner(entry.owner)]


async def test_no_interval_timer_runs_once_started(intervals, tmp_path):
    """As the command line starts it: a loading screen, the data loaded in a worker, its directory watched."""
    data = tmp_path / "kb"
    shutil.copytree(MINIMAL, data)
    app = make_app(None, "en", data_dirs=[data])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the first refresh starts the loading worker
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        await settle(app, pilot)  # the search index is built in a worker too
        assert intervals, "no timer was recorded at all: the test no longer sees Textual's timers"
        assert ticking(intervals) == []
        for key in ("2", "3", "4", "5", "6", "1", "down", "enter"):
            await pilot.press(key)
        await pilot.pause()
        assert ticking(intervals) == []


@pytest.mark.parametrize("key", ["slash", "ctrl+p", "f", "question_mark"])
async def test_no_interval_timer_runs_in_a_waiting_dialog(intervals, app_factory, key):
    """A text box waiting for the user keeps its cursor lit rather than blinking."""
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        assert ticking(intervals) == []
