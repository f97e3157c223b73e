"""Snapshots of the Figures tab's views (dashboard, pipeline, deals) at 80x24 and 120x40, in both languages.

Update after an intended change with: python -m pytest tests/test_figures_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from carnk_tui.ui.app import make_app
from carnk_tui.ui.settle import settle

VIEWS = {"dashboard": ["7"], "pipeline": ["8"], "deals": ["9"], "deal-totals": ["9", "t"]}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_figures_layout(snap_compare, kb, view, lang, size):
    app = make_app(kb, lang)

    async def show(pilot) -> None:
        await settle(pilot)
        await pilot.press(*VIEWS[view])
        assert await settle(pilot)  # the Figures tab and its view are built lazily, over a few turns

    assert snap_compare(app, run_before=show, terminal_size=size)
