"""Snapshot tests guard the layout of every tab at 80x24, in both languages.

Update after an intended change with: python -m pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from carnk_tui.ui.app import make_app
from carnk_tui.ui.gallery import showcase_product

TABS = {"overview": ["1"], "landscape": [], "outlook": ["3"], "help": ["question_mark"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("tab", list(TABS))
def test_tab_layout(snap_compare, kb, tab, lang):
    app = make_app(kb, lang, open_text=showcase_product(kb))
    assert snap_compare(app, press=TABS[tab], terminal_size=(80, 24))
