"""A list of records under headings, as the Outlook and Timeline tabs show them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from carnk_tui.ui.wrapped import Wrapped


class ListEntry(Protocol):
    """A heading (record_id None) or a record."""

    @property
    def label(self) -> str: ...

    @property
    def record_id(self) -> str | None: ...


E = TypeVar("E", bound=ListEntry)


def fill_record_list(listing: OptionList, entries: Sequence[E], keep: str | None, indent: str = "",
                     style: Callable[[E], str] = lambda entry: "", hang: int = 2) -> str | None:
    """Show `entries`: headings as disabled options, records with their id as the option id.

    Labels wrap at the list's width by the app's line-breaking rule, lines after the first indented
    by `hang` cells past `indent`. Highlights `keep` when it is still listed, else the first record;
    returns the highlighted id.
    """
    options: list[Option] = []
    ids: list[str] = []
    for entry in entries:
        if entry.record_id is None:
            options.append(Option(Wrapped(entry.label, "bold underline"), disabled=True))
        else:
            options.append(Option(Wrapped(indent + entry.label, style(entry), hang=len(indent) + hang),
                                  id=entry.record_id))
            ids.append(entry.record_id)
    listing.clear_options()
    for option in options:  # one at a time: Textual 8.2 sizes the scrollbar differently after add_options
        listing.add_option(option)
    target = keep if keep in ids else (ids[0] if ids else None)
    if target:
        listing.highlighted = listing.get_option_index(target)
    return target
