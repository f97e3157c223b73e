"""Back and forward between visited records, like a browser.

Opening a record (a link, search, the timeline) is a visit. Moving the tree's cursor is browsing:
a run of cursor moves leaves one entry, where the user stopped, rather than one per step.
"""

from __future__ import annotations


class History:
    def __init__(self) -> None:
        self._entries: list[tuple[str, bool]] = []  # (record id, sticky: opened rather than browsed)
        self._position = -1

    @property
    def current(self) -> str | None:
        return self._entries[self._position][0] if self._entries else None

    def visit(self, record_id: str) -> None:
        self._add(record_id, sticky=True)

    def browse(self, record_id: str) -> None:
        if record_id == self.current:
            return
        if self._entries and not self._entries[self._position][1]:
            del self._entries[self._position + 1:]
            self._entries[self._position] = (record_id, False)
        else:
            self._add(record_id, sticky=False)

    def _add(self, record_id: str, sticky: bool) -> None:
        del self._entries[self._position + 1:]
        if record_id == self.current:
            self._entries[self._position] = (record_id, sticky or self._entries[self._position][1])
            return
        self._entries.append((record_id, sticky))
        self._position = len(self._entries) - 1

    def back(self) -> str | None:
        if self._position <= 0:
            return None
        self._position -= 1
        self._entries[self._position] = (self._entries[self._position][0], True)
        return self.current

    def forward(self) -> str | None:
        if self._position >= len(self._entries) - 1:
            return None
        self._position += 1
        self._entries[self._position] = (self._entries[self._position][0], True)
        return self.current
