"""Every key the app answers to, by where it works: the source of the help screen."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def describe_bindings(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) pairs from a BINDINGS list; keys joined with '/'."""
    out: list[tuple[str, str]] = []
    for item in bindings:
        if isinstance(item, Binding):
            key, description = item.key, item.description
        else:
            key, description = item[0], item[2] if len(item) > 2 else item[1]
        if description:
            out.append((key.replace(",", " / "), description))
    return out
