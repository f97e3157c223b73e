"""What changed between two readings of the registry: status, phase, enrollment, added and removed studies."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Literal

ChangeKind = Literal["status", "phase", "enrollment", "added", "removed"]
#: the order changes of one study are listed in
KIND_ORDER: tuple[ChangeKind, ...] = ("added", "removed", "status", "phase", "enrollment")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What is compared of one study at one reading."""

    registry_id: str
    as_of: str
    title: str | None = None
    status: str | None = None
    phase: str | None = None
    enrollment: int | None = None


@dataclass(frozen=True, slots=True)
class Change:
    registry_id: str
    kind: ChangeKind
    #: the values before and after (None: not given; for added/removed studies, None and the status)
    before: str | None
    after: str | None
    #: the dates of the two readings
    before_as_of: str | None
    after_as_of: str
    title: str | None = None


def compare(old: Iterable[Snapshot], new: Iterable[Snapshot]) -> list[Change]:
    """Every change from `old` to `new`, by NCT id then kind."""
    before = {s.registry_id: s for s in old}
    after = {s.registry_id: s for s in new}
    old_date = max((s.as_of for s in before.values()), default=None)
    new_date = max((s.as_of for s in after.values()), default=old_date or "")
    changes: list[Change] = []
    for nct in sorted(before.keys() | after.keys()):
        a, b = before.get(nct), after.get(nct)
        if a is None and b is not None:
            changes.append(Change(nct, "added", None, b.status, old_date, b.as_of, b.title))
        elif b is None and a is not None:
            changes.append(Change(nct, "removed", a.status, None, a.as_of, new_date, a.title))
        elif a is not None and b is not None:
            kinds: tuple[ChangeKind, ...] = ("status", "phase", "enrollment")
            for kind in kinds:
                old_value, new_value = getattr(a, kind), getattr(b, kind)
                if old_value != new_value:
                    changes.append(Change(nct, kind, _str(old_value), _str(new_value), a.as_of, b.as_of,
                                          b.title or a.title))
    return changes


def _str(value: object) -> str | None:
    return None if value is None else str(value)


# ------------------------------------------------------------------ rendering
COLUMNS = ("NCT", "change", "before", "after", "read before", "read after", "title")


def rows(changes: Iterable[Change], word: Callable[[str, str | None], str]) -> list[tuple[str, ...]]:
    """Table rows; `word(kind, value)` gives the reader's word for a value of that kind."""
    out: list[tuple[str, ...]] = []
    for c in changes:
        value_kind = "status" if c.kind in ("added", "removed") else c.kind
        out.append((c.registry_id, word("change", c.kind), word(value_kind, c.before), word(value_kind, c.after),
                    c.before_as_of or "", c.after_as_of, c.title or ""))
    return out


def render(changes: list[Change], fmt: str, word: Callable[[str, str | None], str]) -> str:
    if fmt == "json":
        return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2) + "\n"
    table = rows(changes, word)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(table)
        return buffer.getvalue()
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines.extend("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in table)
    if not table:
        lines.append("")
        lines.append("No changes.")
    return "\n".join(lines) + "\n"
