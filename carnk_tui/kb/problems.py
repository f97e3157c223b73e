"""A problem found in a knowledge base, reported as ``FILE:LINE: record-id: field: message``."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: control characters (a file's text may carry terminal escape sequences): shown escaped, never sent
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}"]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return _visible(": ".join(parts))

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.file, self.line, self.record or "", self.field or "", self.message)


class KnowledgeBaseError(Exception):
    """Raised when a knowledge base cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in the knowledge base")
