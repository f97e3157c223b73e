"""Where things live: the bundled knowledge base, the imported registry, the presentation's notes channel."""

from __future__ import annotations

import os
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


#: set this to keep the imported registry somewhere else (the tests do); set it empty to load none
REGISTRY_ENV = "CARNK_TUI_REGISTRY_DIR"


def registry_dir() -> Path | None:
    """Where `carnk-tui import ctgov` writes by default and the app looks (None: turned off)."""
    configured = os.environ.get(REGISTRY_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    from platformdirs import user_data_dir

    return Path(user_data_dir("carnk-tui", appauthor=False)) / "registry"


def registry_dirs() -> list[Path]:
    """The registry directory when an import has written it, else nothing."""
    directory = registry_dir()
    return [directory] if directory is not None and any(directory.glob("registry-*.yaml")) else []


#: set this to use another file for telling a notes window which slide is shown (two talks at once; the tests)
PRESENT_CHANNEL_ENV = "CARNK_TUI_PRESENT_CHANNEL"


def present_channel_path() -> Path:
    """The small file through which `carnk-tui present` tells `carnk-tui present --notes` (in another
    terminal of the same machine) which slide it shows: in the user's runtime directory when there is one
    (private to the user, emptied at logout), else in the user's cache directory."""
    configured = os.environ.get(PRESENT_CHANNEL_ENV)
    if configured:
        return Path(configured)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "carnk-tui" / "present.json"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("carnk-tui", appauthor=False)) / "present.json"
