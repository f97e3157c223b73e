"""How a sortable table's sort changes: the rule the Compare and Deals tables share."""

from __future__ import annotations

from collections.abc import Sequence


def sort_on(column: str, current: str, reverse: bool) -> tuple[str, bool]:
    """The sort after choosing `column`: the column already sorted turns round; another sorts ascending."""
    return (column, not reverse) if column == current else (column, False)


def next_column(columns: Sequence[str], current: str) -> str:
    """The column after `current`, back to the first after the last."""
    return columns[(list(columns).index(current) + 1) % len(columns)]
