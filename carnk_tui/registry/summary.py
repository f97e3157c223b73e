"""Counts of registry trials by status, phase, country, start year and sponsor class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

#: what a summary counts by, in the order it is shown
GROUPS = ("status", "phase", "country", "start_year", "sponsor_class")
NOT_GIVEN = ""


class _Record(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def phase(self) -> str | None: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def start_date(self) -> str | None: ...
    @property
    def sponsor_class(self) -> str | None: ...


@dataclass(frozen=True)
class Summary:
    total: int
    #: group -> (value, count) from the most to the least frequent; "" is "not given"
    counts: dict[str, tuple[tuple[str, int], ...]]


def summarise(records: Iterable[_Record]) -> Summary:
    counters: dict[str, Counter[str]] = {group: Counter() for group in GROUPS}
    total = 0
    for record in records:
        total += 1
        counters["status"][record.status or NOT_GIVEN] += 1
        counters["phase"][record.phase or NOT_GIVEN] += 1
        for country in record.countries or (NOT_GIVEN,):
            counters["country"][country] += 1
        counters["start_year"][(record.start_date or NOT_GIVEN)[:4]] += 1
        counters["sponsor_class"][record.sponsor_class or NOT_GIVEN] += 1
    ordered = {}
    for group, counter in counters.items():
        if group == "start_year":
            items = sorted(counter.items(), key=lambda kv: (kv[0] == NOT_GIVEN, kv[0]))
        else:
            items = sorted(counter.items(), key=lambda kv: (kv[0] == NOT_GIVEN, -kv[1], kv[0]))
        ordered[group] = tuple(items)
    return Summary(total=total, counts=ordered)
