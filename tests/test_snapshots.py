"""Snapshot tests guard the layout of every tab, the help, the command palette, search, filters and a
slide at 80x24, in both languages.

Update after an intended change with: python -m pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from carnk_tui.ui.app import make_app
from carnk_tui.ui.gallery import showcase_product
from carnk_tui.ui.settle import settle

#: what to look at -> the keys that show it, pressed after start-up on the showcase product
VIEWS: dict[str, tuple[str, ...]] = {
    "overview": ("1",),
    "landscape": (),
    "outlook": ("3",),
    "compare": ("4",),
    "timeline": ("5",),
    "results": ("6",),
    "help": ("question_mark",),
    "palette": ("ctrl+p", "F", "T", "5"),
    "search": ("slash", "N", "K", "X"),
    "filters": ("f",),
    "slide": ("p",),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("tab", list(VIEWS))
def test_tab_layout(snap_compare, kb, tab, lang):
    app = make_app(kb, lang, open_text=showcase_product(kb))

    async def show(pilot) -> None:
        await settle(pilot)
        await pilot.press(*VIEWS[tab])
        assert await settle(pilot, workers=True)  # built, and the palette's and search's lists filled (in workers)

    assert snap_compare(app, run_before=show, terminal_size=(80, 24))
