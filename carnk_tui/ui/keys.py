"""Every key the app answers to, by where it works: the source of the help screen."""

from __future__ import annotations

from textual.binding import Binding, BindingType


_KEY_NAMES = {"question_mark": "?", "shift+tab": "Shift+Tab", "ctrl+p": "Ctrl+P", "pageup": "PgUp",
              "pagedown": "PgDn", "escape": "Esc", "enter": "Enter", "space": "Space", "tab": "Tab",
              "left": "←", "right": "→", "up": "↑", "down": "↓", "home": "Home", "end": "End"}


def key_name(key: str) -> str:
    """How a key is written for people: '?' for question_mark, 'Shift+←' for shift+left."""
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    parts = key.split("+")
    return "+".join([*(p.capitalize() for p in parts[:-1]), _KEY_NAMES.get(parts[-1], parts[-1])])


def describe_bindings(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) pairs from a BINDINGS list; keys joined with '/'."""
    out: list[tuple[str, str]] = []
    for item in bindings:
        if isinstance(item, Binding):
            key, description = item.key, item.description
        else:
            key, description = item[0], item[2] if len(item) > 2 else item[1]
        if description:
            out.append((" / ".join(key_name(k) for k in key.split(",")), description))
    return out
