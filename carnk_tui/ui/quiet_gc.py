"""The cyclic garbage collector waits while the user is typing or clicking.

On a large base a full collection takes 36-41 ms (tens of thousands of Textual's render caches live at
once), and it used to land in the middle of key presses: the slowest filter, cursor move or search
keystroke was often one that collected. While keys and clicks come, automatic collection is held; once
they stop for `QUIET` seconds, what was held is collected in one go (a one-shot timer: nothing runs
while the app is idle). Memory is still freed by reference counting meanwhile; only cycles wait.
"""

from __future__ import annotations

import gc

from textual import events
from textual.app import App
from textual.timer import Timer

from carnk_tui.kb import collector

#: seconds without a key or a click before the held collection is made
QUIET = 0.5
#: the input that holds it (not mouse moves, which come in floods while nothing is asked of the app)
HOLDING = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class CollectWhenQuiet:
    """For an `App`: call `hold_collection()` on each key or click (`on_event` does). The collector is held
    through `kb.collector`, which a load in a worker may hold at the same time."""

    quiet_timer: Timer | None = None

    def hold_collection(self) -> None:
        assert isinstance(self, App)
        if self.quiet_timer is None:
            collector.hold()
            self.quiet_timer = self.set_timer(QUIET, self.collect_held, name="collect when quiet")
        else:
            self.quiet_timer.reset()

    def collect_held(self) -> None:
        self.quiet_timer = None
        collector.release()
        if gc.isenabled():  # (not while a load holds it too: the load's end lets it run)
            gc.collect()

    def is_holding(self, event: events.Event) -> bool:
        return isinstance(event, HOLDING) and not event.is_forwarded

    def on_unmount(self) -> None:
        """The app ends: its hold is let go (tests run many apps in one process)."""
        if self.quiet_timer is not None:
            self.quiet_timer.stop()
            self.quiet_timer = None
            collector.release()
