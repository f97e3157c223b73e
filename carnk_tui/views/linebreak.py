"""Where a line of mixed Chinese and Latin text may break, and text wrapped at a width.

One rule for every view and slide (the ui draws with it, the tests check with it):

- between two ideographs (or between an ideograph and a Latin word) a line may break;
- a Latin word, a number, an identifier such as "CAR-NK" or "NCT04245722", or a URL never splits,
  unless it alone is longer than the line (then it is cut at the width: nothing else would fit);
- spaces break as in English, and are not kept at either end of a line;
- 避头尾: closing and pausing punctuation (、。，；：）」 …) never starts a line, opening punctuation
  (（「《 …) never ends one: each sticks to its neighbour.

Widths are terminal cells: ideographs and full-width punctuation take two. Pure functions on
strings, no Textual and no Rich styles (`carnk_tui.ui.wrapped` applies them to styled text).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len

#: never at the start of a line
NO_START = frozenset("、。，．,.；;：:？?！!）)］]｝}〕〉》」』】〗〙’”%％…‥‰℃·・ー〜～")
#: never at the end of a line
NO_END = frozenset("（(［[｛{〔〈《「『【〖〘‘“")
_SPACE = re.compile(r"[ \t]+")
URL = re.compile(r"https?://[^\s（）「」、，。；]+")


def is_wide(char: str) -> bool:
    """An ideograph, kana, hangul or full-width form: a unit a line may break around."""
    return unicodedata.east_asian_width(char) in "WF"


#: is_wide of each character met so far (a few thousand distinct characters in a knowledge base)
_WIDE: dict[str, bool] = {}
#: a run of spaces, a run of printable ASCII, or any other single character
_TOKEN = re.compile(r"[ \t]+|[\x21-\x7e]+|[^ \t]")


class Atom(NamedTuple):
    """A piece of text a line never breaks inside: [start, end) of the string."""

    start: int
    end: int
    #: spaces come before it in the text (kept between atoms on one line, dropped at a break)
    spaced: bool


def _units(line: str) -> list[list]:
    """Ideographs one by one, other runs without a space whole, each as [start, end, spaced after spaces]."""
    units: list[list] = []
    spaced, narrow_end = False, -1  # where the last run of narrow characters ended (-1: not just before)
    wide_of = _WIDE
    for match in _TOKEN.finditer(line):
        start, end = match.span()
        char = line[start]
        if char == " " or char == "\t":
            spaced, narrow_end = True, -1
            continue
        if char > "\x7e":
            wide = wide_of.get(char)
            if wide is None:
                wide = wide_of[char] = is_wide(char)
            if wide:
                units.append([start, end, spaced])
                spaced, narrow_end = False, -1
                continue
        if narrow_end == start:  # narrow characters next to narrow ones: one run
            units[-1][1] = end
        else:
            units.append([start, end, spaced])
            spaced = False
        narrow_end = end
    return units


def _spans(line: str) -> list[list]:
    """`atoms` as [start, end, spaced] lists (the line breaker makes a great many: no class per piece)."""
    out: list[list] = []
    glue_next = False
    for unit in _units(line):
        start, end, spaced = unit
        if out and not spaced and (glue_next or line[start] in NO_START):
            out[-1][1] = end
        else:
            out.append(unit)
        glue_next = line[end - 1] in NO_END
    return out


def atoms(line: str) -> list[Atom]:
    """The unbreakable pieces of one line (no newline in it), with 避头尾 applied."""
    return [Atom(start, end, spaced) for start, end, spaced in _spans(line)]


def break_points(line: str) -> list[int]:
    """Offsets in `line` where it may break (the start of every atom but the first)."""
    return [a.start for a in atoms(line)[1:]]


#: inside a word too long for any line (a long path or address), break after one of these first
_SOFT = frozenset("/-_.?&=#,;:")


def _fold(piece: str, first: int, rest: int) -> list[str]:
    """A piece longer than the line, cut to fit: `first` cells, then `rest` cells a line; after a
    slash, hyphen or dot where there is one, else at the width (the only way it can show), leaving a
    cell for a hyphen when the cut falls between two letters (see `hyphenated`)."""
    parts: list[str] = []
    room = max(first, 1)
    while cell_len(piece) > room:
        fit, used = 0, 0
        for char in piece:
            if used + cell_len(char) > room:
                break
            used += cell_len(char)
            fit += 1
        fit = max(fit, 1)
        soft = max((i + 1 for i in range(fit - 1) if piece[i] in _SOFT), default=0)
        cut = soft or fit
        if not soft and 1 < cut < len(piece) and _letters(piece[cut - 1], piece[cut]):
            cut -= 1  # room for the hyphen that shows the word goes on
        if cut < len(piece) and piece[cut] in NO_START and cut > 1:  # 避头尾 here too
            cut -= 1
        parts.append(piece[:cut])
        piece, room = piece[cut:], max(rest, 1)
    parts.append(piece)
    return parts


def _letters(*chars: str) -> bool:
    return all(c.isascii() and c.isalpha() for c in chars)


def hyphenated(value: str, end: int) -> bool:
    """Whether a line ending at `end` cuts a Latin word (only a word longer than the line is cut):
    it is then drawn with a hyphen at its end; never inside an address, which a hyphen would change."""
    if not (0 < end < len(value) and _letters(value[end - 1], value[end])):
        return False
    return not any(m.start() < end < m.end() for m in URL.finditer(value))


def _cells(piece: str) -> int:
    return len(piece) if piece.isascii() and piece.isprintable() else cell_len(piece)


@lru_cache(maxsize=1024)
def _sized_atoms(paragraph: str) -> tuple[tuple[int, int, int], ...]:
    """The atoms of a paragraph as (start, end, width in cells): the same at every width it is wrapped at."""
    return tuple((start, end, _cells(paragraph[start:end])) for start, end, _ in _spans(paragraph))


@lru_cache(maxsize=4096)
def wrap_spans(value: str, width: int, hang: int = 0) -> tuple[tuple[int, int, bool], ...]:
    """Where each wrapped line starts and ends in `value`: ([start, end) offsets, continued).

    `continued` is True for the lines after the first of a paragraph: they leave `hang` cells free on
    the left (for bullets). Spaces at a break are left out; a paragraph's leading spaces stay (an
    indent). A newline always breaks; an empty paragraph gives an empty line.
    """
    width = max(width, 1)
    spans: list[tuple[int, int, bool]] = []
    offset = 0
    for paragraph in value.split("\n"):
        lead = len(paragraph) - len(paragraph.lstrip(" \t"))
        start, end, used, room, continued = offset, offset + lead, lead, width, False
        empty = True  # no atom on the current line yet
        for at, until, size in _sized_atoms(paragraph):
            a_start, a_end = offset + at, offset + until
            gap = 0 if empty else a_start - end  # the spaces between it and the line so far
            if used + gap + size <= room:
                end, used, empty = a_end, used + gap + size, False
                continue
            if not empty:
                spans.append((start, end, continued))
                start, used, room, continued = a_start, 0, max(width - hang, 1), True
            if size <= room - used:
                end, used, empty = a_end, used + size, False
                continue
            parts = _fold(paragraph[at:until], room - used, max(width - hang, 1))
            cut = a_start  # longer than a line: cut at the width, the only way it can show
            for part in parts[:-1]:
                cut += len(part)
                spans.append((start, cut, continued))
                start, used, room, continued = cut, 0, max(width - hang, 1), True
            end, used, empty = a_end, cell_len(parts[-1]), False
        spans.append((start, end, continued))
        offset += len(paragraph) + 1
    return tuple(spans)


def wrap(value: str, width: int, hang: int = 0) -> list[str]:
    """`value` as lines of at most `width` cells (continuation lines indented by `hang` spaces)."""
    spans = wrap_spans(value, width, hang)
    return [(" " * hang if continued else "") + value[start:end] + ("-" if hyphenated(value, end) else "")
            for start, end, continued in spans]


@lru_cache(maxsize=4096)
def longest_atom(value: str) -> int:
    """The cells of the widest piece that cannot break (the narrowest a column can usefully be)."""
    return max((cell_len(line[a.start:a.end]) for line in value.split("\n") for a in atoms(line)), default=0)


def ellipsize(value: str, width: int) -> str:
    """`value` on one line of at most `width` cells, ending in "…" when it had to be cut."""
    if cell_len(value) <= width:
        return value
    if width <= 1:
        return "…"[:width]
    out, used = "", 0
    for char in value:
        w = cell_len(char)
        if used + w > width - 1:
            break
        out += char
        used += w
    return out.rstrip() + "…"
