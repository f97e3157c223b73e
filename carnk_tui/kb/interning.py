"""One object for each repeated value of a knowledge base: strings, lists of ids, bilingual texts.

A large base repeats itself: at 10,000 products, 1.35 million strings of which 208,000 differ
("c1" 44,301 times, one note about a missing denominator 12,937 times in each language, dates),
285,000 bilingual texts of which 43,000 differ, 360,000 tuples of ids of which 54,000 differ.
Neither the YAML reader nor msgspec's decoder shares equal values (only the words of a `Literal`
are shared by msgspec), so each repetition is an object of its own: 143 MB of records that hold
56 MB of distinct objects.

`Sharer.share` walks records once they are made and puts one object in the place of all equal
ones. Records are immutable to their readers, so the walk sets their fields in place
(`msgspec.structs.force_setattr`): whoever holds a record keeps the same record, only lighter;
values are equal before and after, only their identity changes. Share each file's records as
soon as they are made: the memory of the copies dropped is then reused by the next file (shared
after the whole base is made, the process would keep its peak, full of holes). A `Sharer` lives
from one load to the next, so that a file read again shares the values of the records kept.

The walk is made for each record type from its fields' types (`msgspec.inspect`): fields that
cannot hold a string (numbers, flags, the words of a `Literal`) are not visited at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from msgspec import Struct
from msgspec.structs import force_setattr

from carnk_tui.kb.model import Bilingual

_Walk = Callable[[Any], None]


class Sharer:
    """Equal values made one object, across every record given to `share`."""

    def __init__(self) -> None:
        #: each distinct string, tuple of strings or bilingual texts, and bilingual text seen: itself
        self._seen: dict[Any, Any] = {(): ()}
        #: how many values the table held after it last forgot the single ones
        self._kept = 0
        self._walks: dict[type, _Walk] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def share(self, records: Iterable[Struct]) -> None:
        """Share the values of `records` (and of every value within them) with everything shared so far."""
        walks = self._walks
        for record in records:
            walk = walks.get(type(record))
            if walk is None:
                walk = self._walk(type(record))
            walk(record)

    def keep_repeated(self, always: bool = True) -> None:
        """Forget the values that only one place holds (a record's own name, summary or id): a file read
        again can share only values that other records hold too. Unless `always`, only once the table has
        doubled since it last did. At 10,000 products the table then holds
        about 60,000 values instead of 262,000 (10 MB less)."""
        seen = self._seen
        if not always and len(seen) < 2 * self._kept:
            return  # (a reload adds one file's values: not worth a look at every value yet)
        alone = object()
        probe = {alone: alone}
        floor = [sys.getrefcount(key) for key in probe][0]  # noqa: RUF015 (a value held by a table and one name)
        kept = {key: key for key in seen if sys.getrefcount(key) > floor}  # held by two others, or more
        seen.clear()  # the same table, smaller (the walks hold its methods)
        seen.update(kept)
        self._kept = len(seen)

    # ------------------------------------------------------------ values
    def _bilingual(self, text: Bilingual) -> Bilingual:
        """A bilingual text not seen before: its strings shared, and it kept."""
        seen = self._seen
        zh, en = text.zh, text.en
        found = seen.setdefault(zh, zh)
        if found is not zh:
            force_setattr(text, "zh", found)
        found = seen.setdefault(en, en)
        if found is not en:
            force_setattr(text, "en", found)
        seen[text] = text
        return text

    def _tuple(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        """A tuple of strings or bilingual texts not seen before: made of shared items, and kept."""
        seen = self._seen
        shared = []
        for item in items:
            found = seen.get(item)
            if found is None:
                found = self._bilingual(item) if type(item) is Bilingual else seen.setdefault(item, item)
            shared.append(found)
        out = tuple(shared)
        seen[out] = out
        return out

    # ------------------------------------------------------------ the walk of one record type
    def _walk(self, cls: type) -> _Walk:
        """The function that shares the values of a record of type `cls` (written once per type)."""
        info = msgspec.inspect.type_info(cls)
        assert isinstance(info, msgspec.inspect.StructType)
        self._walks[cls] = lambda record: None  # (a type within itself would stop here)
        lines = ["def walk(o):"]
        env: dict[str, Any] = {"sd": self._seen.setdefault, "get": self._seen.get, "fs": force_setattr,
                               "newtup": self._tuple, "newbil": self._bilingual, "Bil": Bilingual, "str": str}
        for field in info.fields:
            lines.extend(self._field(field.name, field.type, env))
        if len(lines) == 1:
            lines.append("    pass")
        exec("\n".join(lines), env)  # code made here from the model's field names only
        walk: _Walk = env["walk"]
        self._walks[cls] = walk
        return walk

    def _field(self, name: str, kind: msgspec.inspect.Type, env: dict[str, Any]) -> list[str]:
        """The lines of `walk` that share field `name` of type `kind` (none for a field with no string)."""
        members = kind.types if isinstance(kind, msgspec.inspect.UnionType) else (kind,)
        replace = ["        if s is not v:", f"            fs(o, {name!r}, s)"]
        branches: list[list[str]] = []
        for member in members:
            if isinstance(member, msgspec.inspect.StrType):
                branches.append(["v.__class__ is str", "        s = sd(v, v)", *replace])
            elif isinstance(member, msgspec.inspect.StructType) and member.cls is Bilingual:
                branches.append(["v.__class__ is Bil", "        s = get(v)", "        if s is None:",
                                 "            s = newbil(v)", *replace])
            elif isinstance(member, msgspec.inspect.StructType):
                walker = f"w_{member.cls.__name__}"
                env[walker] = self._walks.get(member.cls) or self._walk(member.cls)
                branches.append([f"v.__class__ is {walker}_cls", f"        {walker}(v)"])
                env[f"{walker}_cls"] = member.cls
            elif isinstance(member, msgspec.inspect.VarTupleType):
                item = member.item_type
                if isinstance(item, msgspec.inspect.StrType) or (
                        isinstance(item, msgspec.inspect.StructType) and item.cls is Bilingual):
                    branches.append(["v.__class__ is tuple", "        s = get(v)", "        if s is None:",
                                     "            s = newtup(v)", *replace])
                elif isinstance(item, msgspec.inspect.StructType):
                    walker = f"w_{item.cls.__name__}"
                    env[walker] = self._walks.get(item.cls) or self._walk(item.cls)
                    branches.append(["v.__class__ is tuple", "        for x in v:", f"            {walker}(x)"])
            # numbers, flags, None and the words of a Literal (msgspec shares those): nothing to do
        if not branches:
            return []
        lines = [f"    v = o.{name}"]
        for i, (test, *body) in enumerate(branches):
            lines.append(f"    {'if' if i == 0 else 'elif'} {test}:")
            lines.extend(body)
        return lines
