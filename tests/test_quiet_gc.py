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


def test_the_collector_is_on_again_only_when_the_last_holder_lets_go():
    """A load in a worker and keys in the app may hold it at once: neither switches it on under the other."""
    from carnk_tui.kb import collector

    assert gc.isenabled()
    collector.hold()  # keys
    with collector.held():  # a load meanwhile
        assert not gc.isenabled()
    assert not gc.isenabled(), "the load's end does not switch it on while keys hold it"
    with collector.held():
        collector.release()  # quiet comes during the load
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # someone turned it off for good before: holding and releasing leaves it off
    try:
        with collector.held():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_a_load_during_keys_leaves_the_collector_held(kb):
    from carnk_tui.kb.loader import load
    from carnk_tui.kb.locations import bundled_data_dir

    app = make_app(kb, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        load([bundled_data_dir()])  # as a reload does, in a worker
        assert not gc.isenabled(), "the keys still hold it after the load"
        app.collect_held()
        assert gc.isenabled()
