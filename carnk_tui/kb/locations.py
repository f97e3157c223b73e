"""Where things live: the bundled knowledge base and the screenshot gallery."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def bundled_data_dir() -> Path:
    """The knowledge base shipped with the package.

    An installed wheel carries it as ``carnk_tui/data``; a source checkout (or an editable
    install) keeps it at the repository's top-level ``data/``.
    """
    inside = PACKAGE_DIR / "data"
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / "data"
