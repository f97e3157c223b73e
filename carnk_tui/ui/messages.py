"""Messages that cross widgets."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenRecord(Message):
    """Ask the main screen to show a record (in the Landscape tab when it has a place there)."""

    record_id: str
