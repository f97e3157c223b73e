"""Waiting, in a headless run, until what the last keys asked for is on screen.

The captures (`carnk-tui screenshot`) and the tests drive the app with a `Pilot`. A tab shown for the
first time is built lazily (`KnowledgePane`): its content is mounted, laid out and drawn over a few
turns of the message loop, and a search or a palette fills its list in a worker (`workers=True` waits
for those too). `Pilot.pause()` waits for the messages queued when it is called and for a quiet
processor, which on a loaded machine can come before the last of those turns. `settle` waits on what
is actually pending instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carnk_tui.ui.widgets.fitted import FittedList
from carnk_tui.ui.widgets.pane import KnowledgePane

if TYPE_CHECKING:
    from textual.pilot import Pilot

#: how many turns of the message loop a settle may take before it gives up (a pane that never builds)
ROUNDS = 200


def building(pilot: Pilot[Any]) -> bool:
    """Whether a pane that is shown still has its content to build, or a list its lines to lay out again
    once it has a width (`FittedList.when_laid_out`)."""
    return any((isinstance(widget, KnowledgePane) and widget.shown and not widget.built)
               or (isinstance(widget, FittedList) and widget.looking_for_width)
               for widget in pilot.app.screen.walk_children(with_self=False))


async def settle(pilot: Pilot[Any], workers: bool = False, rounds: int = ROUNDS) -> bool:
    """Until the shown panes are built (and, with `workers`, the app's workers are done) and the result is
    laid out; False if that did not happen within `rounds` turns of the loop."""
    for _ in range(rounds):
        if workers:
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not building(pilot):
            break
    else:
        return False
    await pilot.pause()
    return True
