"""Lines cut to the width they are shown at: the dashboard's bars and the pipeline's rows.

A view that lays its lines out for a width must draw them again when that width changes, and the width
that matters is its list's, which is known only once the list has been laid out (after the view's own,
on a first show). `FittedList` tells its view each time its width changes, and a view drawn before its
list's first layout looks for the width on a short timer (Textual does not always send that first
Resize), so the lines are drawn again whatever order the layout happened in (`FittedView`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList, Static

#: width assumed before the list has a size
FALLBACK_WIDTH = 76
#: how often and how many times a list drawn before its layout looks for its width (then stops: no idle work)
LAYOUT_STEP = 0.05
LAYOUT_TRIES = 40


def fit(value: str, width: int, style: str = "") -> Text:
    """`value` cut (with an ellipsis) or padded to exactly `width` cells."""
    line = Text(value, style=style, no_wrap=True)
    line.truncate(width, overflow="ellipsis", pad=True)
    return line


def one_line(widget: Static, line: Text) -> None:
    """Show `line` on one line, cut with an ellipsis at the widget's width."""
    width = widget.content_region.width
    if width > 0:
        line.truncate(width, overflow="ellipsis")
    widget.update(line)


class FittedList(OptionList):
    """An option list whose lines are laid out for its width by the view holding it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._looking = 0

    @dataclass
    class Resized(Message):
        """The list's width changed (the view lays its lines out again)."""

        listing: FittedList

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width:  # a hidden tab's 0 changes nothing shown
            self.post_message(self.Resized(self))

    def when_laid_out(self, callback: Callable[[], None], tries: int = LAYOUT_TRIES) -> None:
        """Run `callback` once the list has a width, looking every `LAYOUT_STEP` seconds (at most `tries`
        times): a view that drew before its list was laid out draws again. `Resized` alone is not enough: on
        a busy machine the list was seen drawn at width 0, then laid out at 72 without any Resize event
        reaching it (why Textual skipped it is not known)."""
        def look() -> None:
            self._looking -= 1
            if self.text_width is not None:
                callback()
            elif tries > 1 and self.is_attached:
                self.when_laid_out(callback, tries - 1)

        self._looking += 1
        self.set_timer(LAYOUT_STEP, look, name="fitted list laid out")

    @property
    def looking_for_width(self) -> bool:
        """Whether a view waits for this list's first layout to draw again (`when_laid_out`)."""
        return self._looking > 0

    @property
    def text_width(self) -> int | None:
        """The cells an option's text may take: the list's width less its border and padding, the options'
        padding and room for a scrollbar, shown or not (so that it follows the list's size alone, which
        its Resize reports, and not whether the options overflow yet); None while not laid out."""
        width = self.size.width - self.styles.gutter.width - 2 - self.styles.scrollbar_size_vertical
        return width if width > 10 else None


class FittedView:
    """Mixin for a pane that lays its list's lines out for the list's width (put it first:
    `class X(FittedView, KnowledgePane, Vertical)`): it draws again when that width changes or first
    becomes known."""

    #: the list's width the lines were laid out for (None: not laid out yet)
    _drawn_width: int | None = None

    if TYPE_CHECKING:
        def redraw(self, force: bool = False) -> None: ...

    def on_fitted_list_resized(self, event: FittedList.Resized) -> None:
        event.stop()
        if event.listing.text_width != self._drawn_width:
            self.redraw(force=True)

    def fitted_width(self, listing: FittedList) -> int:
        """The width to lay the lines out for now: the list's, or before its first layout the fallback
        (and the lines are drawn again once it has one)."""
        self._drawn_width = listing.text_width
        if self._drawn_width is None and not listing.looking_for_width:  # one look at a time
            listing.when_laid_out(self._laid_out)
        return self._drawn_width or FALLBACK_WIDTH

    def _laid_out(self) -> None:
        if self._drawn_width is None:
            self.redraw(force=True)
