"""The search index as it was before issue 15's line index (commit 3c684fc), kept only as the
reference that `test_search_index.py` compares the index with: same records, same order, same scores.

It joined every record's key and body into two long strings and scanned them with `str.find`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any
from collections.abc import Iterator


from carnk_tui.views.i18n import label
from carnk_tui.kb.knowledge_base import KnowledgeBase, kind_of, name_of
from carnk_tui.kb.model import LANGS, Bilingual, Company, Lang, Platform, Product, Trial

#: kinds a reader is most likely after rank first among equal matches
_KIND_RANK = {"product": 0, "company": 1, "trial": 2, "deal": 3, "platform": 4, "camp": 5, "event": 6,
              "challenge": 7, "direction": 8, "judgement": 9, "overview": 10, "source": 11}
#: separates records in the joined strings; names within a key are separated by "\n"
_SEP = "\x00"
#: where a word starts inside a name or text: after a space, a hyphen, a slash, a bracket or punctuation
_WORD_BREAKS = " \t-/([（,，:：;；、·."
#: a query's occurrences not at a word start looked at one by one before the rest is left to a regex
_MISSES = 2000


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    #: the record's name in each language
    name: dict[Lang, str]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    id: str
    kind: str
    score: float
    #: the record's name in the reader's language
    name: str
    #: the other name or alias the query matched, when the reader's name does not contain it ("" else)
    matched: str = ""


def _texts(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Bilingual):
        return [value.zh, value.en]
    if isinstance(value, tuple):
        return [t for item in value for t in _texts(item)]
    return []


def _clean(text: str) -> str:
    return text.replace(_SEP, " ").casefold()


def _entry(record: Any, kb: KnowledgeBase) -> tuple[Entry, str, str]:
    """A record's entry, key and body (the key and body live only in the index's joined strings)."""
    name = {lang: name_of(record, lang) for lang in LANGS}
    aliases = tuple(getattr(record, "aliases", ()))
    names = list(dict.fromkeys([*name.values(), *aliases]))
    body: list[str] = []
    for attr in ("summary", "indications", "indication", "technology", "description", "scope", "detail", "points",
                 "approaches", "population", "registry_ids", "country", "city", "targets"):
        body += _texts(getattr(record, attr, None))
    if isinstance(record, Product):
        engineering = record.engineering
        body += _texts((engineering.car, *engineering.armour, *engineering.knockouts, *engineering.other))
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
    key_parts = [*names, *(record.targets if isinstance(record, Product) else ()),
                 *(record.registry_ids if isinstance(record, Trial) else ()), record.id]
    return Entry(record.id, kind_of(record), name, aliases), _clean("\n".join(key_parts)), _clean("\n".join(body))


class _Joined:
    """Many texts in one string, each framed by line breaks, and which text a position falls in.

    Every name starts after a "\n" and ends before one, so whole-name, prefix and substring
    matches are all plain `str.find` scans for a literal.
    """

    def __init__(self, texts: list[str]) -> None:
        """`texts` is used up (its first and last items are framed in place: no copy of the whole is made)."""
        self.starts: list[int] = []
        position = 0
        for text in texts:
            self.starts.append(position)
            position += len(text) + 3
        if texts:  # each text as "\n<text>\n", separated by _SEP
            texts[0] = "\n" + texts[0]
            texts[-1] = texts[-1] + "\n"
        self.blob = ("\n" + _SEP + "\n").join(texts)

    def index_at(self, position: int) -> int:
        return bisect_right(self.starts, position) - 1

    def containing(self, needle: str) -> Iterator[int]:
        """Indexes of the texts that contain `needle`, each once, in order."""
        blob, starts = self.blob, self.starts
        position = blob.find(needle)
        while position >= 0:
            index = bisect_right(starts, position) - 1
            yield index
            position = blob.find(needle, starts[index + 1]) if index + 1 < len(starts) else -1

    def at_word_start(self, needle: str) -> Iterator[int]:
        """Indexes of the texts where `needle` starts a word (after one of _WORD_BREAKS), in order.

        `str.find` finds the occurrences (a regular expression that starts with a look-behind tries
        every position of the text: 0.45 s for a query found nowhere at 10,000 products); only when
        very many are inside words does a regular expression that starts with the break take over.
        """
        blob, find = self.blob, self.blob.find
        position, misses = find(needle), 0
        while position >= 0:
            if blob[position - 1] in _WORD_BREAKS:
                yield self.index_at(position)
            else:
                misses += 1
                if misses > _MISSES:
                    pattern = re.compile("[" + re.escape(_WORD_BREAKS) + "]" + re.escape(needle))
                    for match in pattern.finditer(blob, position):
                        yield self.index_at(match.start() + 1)
                    return
            position = find(needle, position + 1)

    def matching(self, pattern: re.Pattern[str]) -> Iterator[int]:
        """Indexes of the texts where `pattern` matches, in order (a text may repeat)."""
        for match in pattern.finditer(self.blob):
            yield self.index_at(match.start())


class SearchIndex:
    """Built once per knowledge base; `search` is cheap per keystroke.

    Records are laid out in the order results are shown within one kind of match (products first,
    then companies...; by name), so each kind of match needs only a scan until enough results are
    found, however many records match in all.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        made = [_entry(record, kb) for record in kb.records()]
        made.sort(key=lambda m: (_KIND_RANK.get(m[0].kind, 99), m[0].name.get("en", "").casefold()))
        self.entries = [entry for entry, _key, _body in made]
        # Each record's key and body live only in the joined strings, and one list of them at a time
        # while they are joined: the peak of building is what the process keeps (freed text is reused,
        # not returned to the system); at 10,000 products the index took about 186 MB, now about 141 MB.
        keys = [key for _entry, key, _body in made]
        bodies = [body for _entry, _key, body in made]
        del made
        self._keys = _Joined(keys)
        del keys
        self._bodies = _Joined(bodies)

    def search(self, query: str, limit: int = 50, lang: Lang = "en") -> list[Hit]:
        q = _clean(query.strip()).replace("\n", " ")
        if not q:
            return []
        tiers: list[tuple[float, Iterator[int]]] = [
            (100.0, self._keys.containing(f"\n{q}\n")),  # a whole name, alias, target, registry number or id
            (80.0, self._keys.containing(f"\n{q}")),  # the start of one
            (70.0, self._keys.at_word_start(q)),  # the start of a word within one
            (60.0, self._keys.containing(q)),  # within one
            (45.0, self._bodies.at_word_start(q)),  # a word in the text around ("il-15" in "IL-15RF")
            (40.0, self._bodies.containing(q)),  # in the text around
        ]
        if len(q) >= 3:  # letters in order ("ft96" finds FT596), within one name
            tiers.append((20.0, self._keys.matching(re.compile("[^\x00\n]*?".join(map(re.escape, q))))))
        found: dict[int, float] = {}
        for score, indexes in tiers:
            for index in indexes:
                if index not in found:
                    found[index] = score
                    if len(found) >= limit:
                        break
            if len(found) >= limit:
                break
        return [Hit(self.entries[i].id, self.entries[i].kind, score, *self._names(self.entries[i], q, lang))
                for i, score in found.items()]

    @staticmethod
    def _names(entry: Entry, q: str, lang: Lang) -> tuple[str, str]:
        """The name in the reader's language, and the other name or alias that contains the query when
        that name does not (a Chinese query in the English interface still shows the English name)."""
        name = entry.name.get(lang, entry.id)
        if q in name.casefold():
            return name, ""
        other: Lang = "en" if lang == "zh" else "zh"
        others = (entry.name.get(other, ""), *entry.aliases)
        return name, next((n for n in others if n and n != name and q in n.casefold()), "")
