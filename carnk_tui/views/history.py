"""Back and forward between visited records, like a browser.

Opening a record (a link, search, the timeline, the palette, the presentation) is a visit. Before
it, the place the user is leaving is remembered: the record they were looking at, in the tab they
were looking at it in (the tree's cursor, the timeline's event...). Looking around between two
visits leaves one entry, where the user stopped, rather than one per step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A record, and the tab it was seen in (None: wherever the record belongs)."""

    record_id: str
    tab: str | None = None


class History:
    def __init__(self) -> None:
        self._entries: list[tuple[Place, bool]] = []  # (place, sticky: opened rather than browsed)
        self._position = -1

    @property
    def current(self) -> str | None:
        return self._entries[self._position][0].record_id if self._entries else None

    @property
    def places(self) -> list[Place]:
        return [place for place, _ in self._entries]

    def visit(self, record_id: str, tab: str | None = None) -> None:
        self._add(Place(record_id, tab), sticky=True)

    def browse(self, record_id: str, tab: str | None = None) -> None:
        """The user looked at a record without opening it: one entry for a run of these."""
        place = Place(record_id, tab)
        if self._entries and self._entries[self._position][0] == place:
            return
        if self._entries and not self._entries[self._position][1]:
            del self._entries[self._position + 1:]
            self._entries[self._position] = (place, False)
            self._merge()
        else:
            self._add(place, sticky=False)

    def _add(self, place: Place, sticky: bool) -> None:
        del self._entries[self._position + 1:]
        if self._entries and self._entries[self._position][0].record_id == place.record_id:
            # the same record again (say, in another tab): one entry, where it was seen last
            self._entries[self._position] = (place, sticky or self._entries[self._position][1])
            return
        self._entries.append((place, sticky))
        self._position = len(self._entries) - 1

    def _merge(self) -> None:
        """Two entries in a row for the same record are one."""
        if self._position > 0 and \
                self._entries[self._position - 1][0].record_id == self._entries[self._position][0].record_id:
            place, sticky = self._entries.pop(self._position)
            self._position -= 1
            _, was_sticky = self._entries[self._position]
            self._entries[self._position] = (place, sticky or was_sticky)

    def back(self) -> Place | None:
        if self._position <= 0:
            return None
        self._position -= 1
        self._entries[self._position] = (self._entries[self._position][0], True)
        return self._entries[self._position][0]

    def forward(self) -> Place | None:
        if self._position >= len(self._entries) - 1:
            return None
        self._position += 1
        self._entries[self._position] = (self._entries[self._position][0], True)
        return self._entries[self._position][0]
