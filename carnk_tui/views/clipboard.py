"""What `y` copies: a short description for the notification and the text itself (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clip:
    """Text for the clipboard. `what` is shown to the user ("FT596 as Markdown"), in the interface language."""

    what: str
    text: str
