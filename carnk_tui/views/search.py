"""Search over every record: a prepared index, ranked results.

Each record contributes its names and aliases in both languages and its id (the *key*), and
the words a reader may look for — targets, indications, platforms, cell sources, summaries —
(the *body*). A query matches a key exactly, as a prefix, as a substring or as a subsequence
("ft96" finds FT596), or appears in the body; better kinds of match rank first.

A query never spans two lines of a key or body (it holds no line break), so the index keeps each
distinct line once — a company's name, an indication or a label is a line of thousands of records —
with the records it is a line of. The distinct lines are joined into one UTF-8 string (one byte per
character of English text, where a `str` holding any Chinese takes two), so that finding the lines
that contain a query is one scan in C (`bytes.find`, `re.finditer`) over a third of the text, rather
than a Python loop over every record; a keystroke costs about as much as the number of matches, not
of records. At 10,000 products: 22 million characters of bodies in 384,000 lines, 50,000 distinct
lines, 12 MB.
"""

from __future__ import annotations

import ctypes
import heapq
import re
from array import array
from bisect import bisect_right
from itertools import accumulate, chain, islice
from dataclasses import dataclass
from typing import Any
from collections.abc import Iterable, Iterator


from carnk_tui.views.i18n import label
from carnk_tui.kb.knowledge_base import KnowledgeBase, kind_of, name_of
from carnk_tui.kb.model import LANGS, Bilingual, Company, Lang, Platform, Product, Trial

#: kinds a reader is most likely after rank first among equal matches
_KIND_RANK = {"product": 0, "company": 1, "trial": 2, "deal": 3, "platform": 4, "camp": 5, "event": 6,
              "challenge": 7, "direction": 8, "judgement": 9, "overview": 10, "source": 11}
#: never in a text or a query (`_clean` makes it a space); in the index it marks where a word starts
_SEP = "\x00"
_MARK = _SEP.encode()
#: where a word starts inside a name or text: after a space, a hyphen, a slash, a bracket or punctuation
_WORD_BREAKS = " \t-/([（,，:：;；、·."
#: each break as UTF-8, and as the index writes it: followed by the mark
_MARKED_BREAKS = [(c.encode(), c.encode() + _MARK) for c in _WORD_BREAKS]
#: lines that contain a query looked at one by one to sort them into kinds of match, when there are no more
_FEW_LINES = 256


def _marked(text: bytes) -> bytes:
    """`text` with the mark after every word break: a query starts a word where the mark is right before it.

    The marks change neither what matches nor where a line starts in the text: a query `q` occurs in a
    text exactly where `_marked(q)` occurs in `_marked(text)` (each character maps to itself, or
    itself and the mark, whatever follows).
    """
    for plain, marked in _MARKED_BREAKS:
        text = text.replace(plain, marked)
    return text


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


#: the fields of a record that make its body, in this order
_BODY_FIELDS = ("summary", "indications", "indication", "technology", "description", "scope", "detail", "points",
                "approaches", "population", "registry_ids", "country", "city", "targets")
#: the body fields each type of record has (looked up once per type, not with a failing `getattr` per record)
_body_fields: dict[type, tuple[str, ...]] = {}


def _key_and_body(record: Any, kb: KnowledgeBase, name: tuple[str, ...]) -> tuple[str, str]:
    """A record's key and body, each one line per name or text; `name` is its name in each of LANGS."""
    fields = _body_fields.get(type(record))
    if fields is None:
        fields = _body_fields[type(record)] = tuple(f for f in _BODY_FIELDS if hasattr(record, f))
    aliases = tuple(getattr(record, "aliases", ()))
    names = list(dict.fromkeys([*name, *aliases]))
    body: list[str] = []
    for field in fields:
        body += _texts(getattr(record, field))
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
    return _clean("\n".join(key_parts)), _clean("\n".join(body))


class _LinesBuilder(dict[str, list[int]]):
    """The distinct lines of many records' texts, in the order they first appear, each with its records.

    Records are added in order, so each line's records come sorted.
    """

    def add(self, record: int, text: str) -> None:
        """A record's text, its lines separated by "\\n"."""
        get = self.get
        for line in text.split("\n"):
            records = get(line)
            if records is None:
                self[line] = [record]
            elif records[-1] != record:  # (a line twice in one record)
                records.append(record)

    def build(self) -> _Lines:
        blob = _marked("\n".join(["", *self, ""]).encode())
        records = list(self.values())
        self.clear()
        # line n's records are postings[offsets[n]:offsets[n + 1]]
        offsets = array("I", accumulate(map(len, records), initial=0))
        postings = array("I", chain.from_iterable(records))
        del records
        # where each line starts in the blob, and past its end (where the line after the last would start)
        starts = array("I", accumulate(map((1).__add__, map(len, blob[1:-1].split(b"\n"))), initial=1))
        return _Lines(blob, starts, offsets, postings)


class _Lines:
    """Distinct lines, marked (see `_marked`), in one UTF-8 string, each framed by line breaks, and the
    records each is a line of.

    Lines are numbered, and laid out, in the order of the first record they belong to, so a scan of the
    string meets the records' first lines in the records' order and `records` can give the records in
    order, lazily, whichever lines a query matched.
    """

    def __init__(self, blob: bytes, starts: array[int], offsets: array[int], postings: array[int]) -> None:
        self.blob, self.starts, self.offsets, self.postings = blob, starts, offsets, postings
        #: the last needle that few lines contain, and those lines (a reader types on: the next query holds it)
        self._few: tuple[bytes, list[int]] = (b"\n", [])

    def line(self, number: int) -> bytes:
        return self.blob[self.starts[number]:self.starts[number + 1] - 1]

    def containing(self, needle: bytes) -> Iterator[int]:
        """The lines that contain `needle`, each once, in order. A needle that starts with a line break
        finds the lines that start with the rest (its position is that of the break before them)."""
        blob, starts = self.blob, self.starts
        framed = 1 if needle.startswith(b"\n") else 0
        position = blob.find(needle)
        while position >= 0:
            line = bisect_right(starts, position + framed) - 1
            yield line
            position = blob.find(needle, starts[line + 1] - framed)

    def few_containing(self, needle: bytes) -> list[int] | None:
        """All the lines that contain `needle`, in order, or None when there are more than _FEW_LINES.

        When the needle holds the last one that few lines contained (a reader typed on), only those lines
        are looked at: no other can contain it.
        """
        before, candidates = self._few
        if before in needle:
            return [line for line in candidates if needle in self.line(line)]
        lines = list(islice(self.containing(needle), _FEW_LINES + 1))
        if len(lines) > _FEW_LINES:
            return None
        self._few = (needle, lines)  # (one assignment: a search in another thread sees the old pair or the new)
        return lines

    def matching(self, pattern: re.Pattern[bytes]) -> Iterator[int]:
        """The lines where `pattern` matches, in order (a line may repeat)."""
        starts = self.starts
        for match in pattern.finditer(self.blob):
            yield bisect_right(starts, match.start()) - 1

    def records(self, lines: Iterable[int]) -> Iterator[int]:
        """The records that have any of `lines` (given in order, repeats allowed) among theirs, each once, in order.

        Lines come in the order of their first record, so when a line starting at record r comes, the
        records before r of the lines already seen can be given: no line still to come has them.
        """
        offsets, postings = self.offsets, self.postings
        heap: list[tuple[int, int, int]] = []  # (a line's next record, where the one after is in postings, its end)

        def least() -> int:
            """The least record of the lines in the heap, which moves on to that line's next record."""
            record, after, stop = heap[0]
            if after < stop:
                heapq.heapreplace(heap, (postings[after], after + 1, stop))
            else:
                heapq.heappop(heap)
            return record

        last = -1
        for line in lines:
            start, end = offsets[line], offsets[line + 1]
            first = postings[start]
            while heap and heap[0][0] < first:
                record = least()
                if record != last:
                    yield record
                    last = record
            heapq.heappush(heap, (first, start + 1, end))
        while heap:
            record = least()
            if record != last:
                yield record
                last = record


def _subsequence(query: str) -> re.Pattern[bytes]:
    """The query's characters in order within one line, anything between them ("ft96" finds "ft596").

    Each character is matched at its first occurrence after the one before, never retried later (an
    atomic group): if the characters follow in order from a start at all, they do so taking each
    first occurrence, so nothing is lost, and a line that does not hold them costs one pass, not a
    search through every combination of occurrences.
    """
    return re.compile(re.escape(query[0].encode()) +
                      b"".join(b"(?>[^\n]*?" + re.escape(char.encode()) + b")" for char in query[1:]))


def _give_back_freed_memory() -> None:
    """Hand back to the system the memory that building freed (the records' texts, the lines while they were
    collected): glibc's allocator keeps it for the process otherwise, about 35 MB at 10,000 products.
    Nothing happens where the C library has no `malloc_trim` (macOS, Windows, musl)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return
    trim(0)


def _key_matches(keys: _Lines, needle: bytes) -> list[Iterator[int]]:
    """The lines of keys where a (marked) query is: a whole line (a name, alias, target, registry number
    or id), the start of one, the start of a word within one, anywhere in one.

    When few lines hold the query at all (a rare query, whose scans would go to the end of the text
    unrewarded), one scan finds them and each is sorted into its kinds; else each kind is its own scan
    in C, which stops as soon as enough results are found.
    """
    few = keys.few_containing(needle)
    if few is None:
        return [keys.containing(b"\n" + needle + b"\n"), keys.containing(b"\n" + needle),
                keys.containing(_MARK + needle), keys.containing(needle)]
    texts = [keys.line(line) for line in few]
    word = _MARK + needle
    return [iter([n for n, text in zip(few, texts, strict=True) if text == needle]),
            iter([n for n, text in zip(few, texts, strict=True) if text.startswith(needle)]),
            iter([n for n, text in zip(few, texts, strict=True) if word in text]),
            iter(few)]


def _body_matches(bodies: _Lines, needle: bytes) -> Iterator[Iterator[int]]:
    """The lines of bodies where a (marked) query starts a word ("il-15" in "IL-15RF"), and where it is at all.

    Lazily: the scans start when the results of keys were not enough.
    """
    few = bodies.few_containing(needle)
    word = _MARK + needle
    if few is None:
        yield bodies.containing(word)
        yield bodies.containing(needle)
    else:
        yield iter([n for n in few if word in bodies.line(n)])
        yield iter(few)


class SearchIndex:
    """Built once per knowledge base; `search` is cheap per keystroke.

    Records are numbered in the order results are shown within one kind of match (products first,
    then companies...; by name), so each kind of match needs only a scan until enough results are
    found, however many records match in all. The index holds a few arrays, lists and byte strings,
    not an object per record (which the cyclic garbage collector would walk through in every full
    collection).
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        records = list(kb.records())
        names = {lang: [name_of(record, lang) for record in records] for lang in LANGS}
        kinds = [kind_of(record) for record in records]
        ranks = [(_KIND_RANK.get(kind, 99), name.casefold()) for kind, name in zip(kinds, names["en"], strict=True)]
        order = sorted(range(len(records)), key=ranks.__getitem__)
        self._ids: list[str] = [records[i].id for i in order]  # type: ignore[attr-defined]
        self._kinds = [kinds[i] for i in order]
        self._names = {lang: [names[lang][i] for i in order] for lang in LANGS}
        self._aliases = [tuple(getattr(records[i], "aliases", ())) for i in order]
        keys, bodies = _LinesBuilder(), _LinesBuilder()
        names_of = list(zip(*(names[lang] for lang in LANGS), strict=True))
        for number, i in enumerate(order):  # one record's texts at a time: only their distinct lines are kept
            key, body = _key_and_body(records[i], kb, names_of[i])
            keys.add(number, key)
            bodies.add(number, body)
        del records, names, names_of, kinds, ranks, order
        self._keys = keys.build()
        del keys
        self._bodies = bodies.build()
        del bodies
        _give_back_freed_memory()

    @property
    def entries(self) -> list[Entry]:
        """Every record's entry, in the index's order."""
        return [self._entry(i) for i in range(len(self._ids))]

    def _entry(self, i: int) -> Entry:
        return Entry(self._ids[i], self._kinds[i], {lang: self._names[lang][i] for lang in LANGS}, self._aliases[i])

    def search(self, query: str, limit: int = 50, lang: Lang = "en") -> list[Hit]:
        q = _clean(query.strip()).replace("\n", " ")
        if not q:
            return []
        found: dict[int, float] = {}
        for score, indexes in self._tiers(q):
            for index in indexes:
                if index not in found:
                    found[index] = score
                    if len(found) >= limit:
                        break
            if len(found) >= limit:
                break
        return [Hit(self._ids[i], self._kinds[i], score, *self._names_shown(i, q, lang)) for i, score in found.items()]

    def _tiers(self, q: str) -> Iterator[tuple[float, Iterator[int]]]:
        """Each kind of match with its score, and the records that match so, in order; lazily, best first."""
        needle = _marked(q.encode())
        keys, bodies = self._keys, self._bodies
        yield from zip((100.0, 80.0, 70.0, 60.0), map(keys.records, _key_matches(keys, needle)), strict=True)
        for score, lines in zip((45.0, 40.0), _body_matches(bodies, needle), strict=True):
            yield score, bodies.records(lines)
        if len(q) >= 3:  # letters in order ("ft96" finds FT596), within one name
            yield 20.0, keys.records(keys.matching(_subsequence(q)))

    def _names_shown(self, i: int, q: str, lang: Lang) -> tuple[str, str]:
        """The name in the reader's language, and the other name or alias that contains the query when
        that name does not (a Chinese query in the English interface still shows the English name)."""
        name = self._names[lang][i]
        if q in name.casefold():
            return name, ""
        other: Lang = "en" if lang == "zh" else "zh"
        others = (self._names[other][i], *self._aliases[i])
        return name, next((n for n in others if n and n != name and q in n.casefold()), "")
