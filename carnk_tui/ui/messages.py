"""Messages that cross widgets, and the ones the load worker posts to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from carnk_tui.kb.knowledge_base import KnowledgeBase
    from carnk_tui.kb.problems import Problem
    from carnk_tui.views.search import SearchIndex


@dataclass
class OpenRecord(Message):
    """Ask the main screen to show a record (in the Landscape tab when it has a place there)."""

    record_id: str


@dataclass
class KnowledgeLoaded(Message):
    """A load finished: the knowledge base, then (a second message) the search index built from it.

    `index` is None in the first message, so that the data is on screen before its index is built
    (about a second at 10,000 products); the app builds the index itself if a search comes first.

    `generation` is the load's number: the app takes only the latest load's result, so a load that
    finishes late (its worker was superseded while it ran) never replaces newer data.
    """

    kb: KnowledgeBase
    index: SearchIndex | None
    generation: int


@dataclass
class LoadFailed(Message):
    """A load stopped on problems in the data (the app keeps what it had)."""

    problems: list[Problem]
    generation: int
