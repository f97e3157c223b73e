"""The whole knowledge base as JSON, ids and references intact, and back."""

from __future__ import annotations

from types import GenericAlias
from typing import Any

import msgspec

from carnk_tui.kb import model
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang


def to_json(kb: KnowledgeBase, lang: Lang = "zh") -> str:
    """Both languages are always included; `lang` is accepted for a uniform signature."""
    sections = {name: getattr(kb, name) for name in (*model.SINGLETONS, *model.COLLECTIONS)}
    return msgspec.json.format(msgspec.json.encode(sections), indent=2).decode("utf-8") + "\n"


def from_json(data: str | bytes) -> KnowledgeBase:
    """Records from `to_json` output (a checked conversion, not a trusted one)."""
    raw = msgspec.json.decode(data)
    sections: dict[str, Any] = {name: msgspec.convert(raw[name], cls) for name, cls in model.SINGLETONS.items()}
    for name, cls in model.COLLECTIONS.items():
        sections[name] = msgspec.convert(raw.get(name, []), GenericAlias(tuple, (cls, ...)))
    return KnowledgeBase(**sections)
