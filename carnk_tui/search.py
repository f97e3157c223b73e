"""Search over every record: a prepared index, ranked results.

Each record contributes its names and aliases in both languages and its id (the *key*), and
the words a reader may look for — targets, indications, platforms, cell sources, summaries —
(the *body*). A query matches a key exactly, as a prefix, as a substring or as a subsequence
("ft96" finds FT596), or appears in the body; better kinds of match rank first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from msgspec import Struct

from carnk_tui.i18n import label
from carnk_tui.kb import KnowledgeBase, kind_of, name_of
from carnk_tui.model import LANGS, Bilingual, Company, Platform, Product, Trial

#: kinds a reader is most likely after rank first among equal matches
_KIND_RANK = {"product": 0, "company": 1, "trial": 2, "deal": 3, "platform": 4, "camp": 5, "event": 6,
              "challenge": 7, "direction": 8, "judgement": 9, "overview": 10, "source": 11}


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    #: the record's name in each language
    name: dict[str, str]
    aliases: tuple[str, ...]
    key: str
    body: str


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    score: float
    #: which of the entry's names matched best (for display)
    name: str


def _texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Bilingual):
        return [value.zh, value.en]
    if isinstance(value, tuple):
        return [t for item in value for t in _texts(item)]
    return []


def _entry(record: Struct, kb: KnowledgeBase) -> Entry:
    name = {lang: name_of(record, lang) for lang in LANGS}
    aliases = tuple(getattr(record, "aliases", ()))
    names = list(dict.fromkeys([*name.values(), *aliases]))
    body: list[str] = []
    for attr in ("summary", "indications", "indication", "technology", "description", "scope", "detail", "points",
                 "approaches", "population", "registry_ids", "country", "city", "targets"):
        body += _texts(getattr(record, attr, None))
    if isinstance(record, Product):
        body += [label("cell_source", record.cell_source, lang) for lang in LANGS]
        body += [label("modality", record.modality, lang) for lang in LANGS]
        body += [label("area", a, lang) for a in record.indication_areas for lang in LANGS]
        platform = kb.get(record.platform) if record.platform else None
        if isinstance(platform, Platform):
            body += _texts(platform.name)
    if isinstance(record, (Product, Trial, Platform)):
        company = kb.company_of(record)
        if isinstance(company, Company):
            body += _texts(company.name)
    key_parts = [*names, *(getattr(record, "targets", ()) if isinstance(record, Product) else ()), record.id]
    return Entry(record.id, kind_of(record), name, aliases, "\n".join(key_parts).casefold(),
                 "\n".join(body).casefold())


class SearchIndex:
    """Built once per knowledge base; `search` is cheap per keystroke."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.entries: list[Entry] = [_entry(record, kb) for record in kb.records()]

    def search(self, query: str, limit: int = 50, lang: str = "en") -> list[Hit]:
        q = query.strip().casefold()
        if not q:
            return []
        fuzzy = re.compile(".*?".join(map(re.escape, q)))
        hits: list[Hit] = []
        for entry in self.entries:
            score = self._score(entry, q, fuzzy)
            if score > 0:
                hits.append(Hit(entry.id, entry.kind, score, self._best_name(entry, q, lang)))
        hits.sort(key=lambda h: (-h.score, _KIND_RANK.get(h.kind, 99), h.name.casefold()))
        return hits[:limit]

    @staticmethod
    def _score(entry: Entry, q: str, fuzzy: re.Pattern[str]) -> float:
        key = entry.key
        if q in key:
            lines = key.split("\n")
            if q in lines:
                return 100.0
            if any(line.startswith(q) for line in lines):
                return 80.0
            return 60.0
        if q in entry.body:
            return 40.0
        match = fuzzy.search(key)
        if match and "\n" not in match.group(0):
            return 20.0 * len(q) / len(match.group(0))
        return 0.0

    @staticmethod
    def _best_name(entry: Entry, q: str, lang: str) -> str:
        """The name in the reader's language, unless only another name or alias contains the query."""
        other = "en" if lang == "zh" else "zh"
        names = (entry.name.get(lang, entry.id), entry.name.get(other, entry.id), *entry.aliases)
        return next((name for name in names if q in name.casefold()), names[0])
