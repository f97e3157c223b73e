"""The collector waits while keys come, collects once they stop, and is never left off when the app ends."""

from __future__ import annotations

import gc

from carnk_tui.ui.app import make_app
from carnk_tui.ui.settle import settle


async def test_keys_hold_the_collector_and_quiet_gives_it_back(kb):
    assert gc.isenabled()
    app = make_app(kb, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert gc.isenabled() and app.quiet_timer is None, "nothing held, no timer, before any key"
        await pilot.press("down", "down")
        assert not gc.isenabled() and app.quiet_timer is not None
        timer = app.quiet_timer
        await pilot.press("up")
        assert app.quiet_timer is timer, "a key restarts the same one-shot timer"
        app.collect_held()  # what the timer does once keys stop
        assert gc.isenabled() and app.quiet_timer is None
        await pilot.press("down")
        assert not gc.isenabled()
    assert gc.isenabled() and app.quiet_timer is None, "an app that ends leaves the collector on"
