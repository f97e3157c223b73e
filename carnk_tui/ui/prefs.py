"""Remembered preferences (language, theme, the Compare table's columns) in the user's config directory."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

#: set this to keep preferences somewhere else (the tests do)
CONFIG_ENV = "CARNK_TUI_CONFIG_DIR"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("carnk-tui", appauthor=False))


@dataclass
class Prefs:
    lang: str | None = None
    theme: str | None = None
    #: the Compare table's chosen columns (column ids), None until the user chooses
    compare_columns: list[str] | None = None


def prefs_path() -> Path:
    return config_dir() / "prefs.json"


def load_prefs() -> Prefs:
    """The saved preferences; defaults when there are none or the file is unreadable."""
    try:
        raw = json.loads(prefs_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()
    if not isinstance(raw, dict):
        return Prefs()
    lang = raw.get("lang") if raw.get("lang") in ("zh", "en") else None
    theme = raw.get("theme") if isinstance(raw.get("theme"), str) else None
    columns = raw.get("compare_columns")
    if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
        columns = None
    return Prefs(lang=lang, theme=theme, compare_columns=columns)


def save_prefs(prefs: Prefs) -> None:
    """Best effort: a read-only home must not stop the app."""
    path = prefs_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = {key: value for key, value in asdict(prefs).items() if key in ("lang", "theme") or value is not None}
        path.write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError:
        pass
