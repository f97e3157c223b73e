"""Safe YAML reading that remembers where every value was written.

Only plain data is accepted: mappings, sequences, strings, numbers, booleans and null. Tags such
as ``!!python/object``, aliases, several documents in one file, oversized, over-large or non-UTF-8
files and control characters are refused with a `Problem` that names file and line. No code from
the file ever runs: values are built here from the parser's events (libyaml's C parser when
present), never by a constructor that honours tags. Building from events, with a bounded stack and
a bounded count of values, also keeps the time spent on any file short.

This is the reference reader. Where rapidyaml is installed, large files are first offered to
`fast_reader`, which gives exactly the values and record lines this reader gives or hands the
file back; only the loader's first pass (record lines) uses it, and problems always come from here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

from carnk_tui.kb.problems import Problem
from carnk_tui.kb.yaml_values import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    Path_,
    Refused,
    RESOLVER,
    TAG_PREFIX,
    typed,
)

try:  # the C parser is much faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader

#: what YAML counts as a line break besides "\n"; editors and grep -n count only "\n"
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_YAML_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

#: which parser reads the files: "reference" (PyYAML on libyaml) for every file; "fast": rapidyaml
#: (``pip install 'carnk-tui[fast]'``) for every file it reads exactly as PyYAML does, PyYAML for
#: the others; unset: rapidyaml for files of FAST_MIN_BYTES or more, where it is installed
PARSER_ENV = "CARNK_TUI_PARSER"
#: below this size PyYAML reads a file about as quickly as rapidyaml, without loading it
FAST_MIN_BYTES = 256 * 1024


@dataclass
class YamlDoc:
    """One file's data and the line (1-based) where each path within it starts."""

    file: Path
    display: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int:
        """The line of `path`, or of its nearest enclosing value that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def read_yaml(file: Path, display: str | None = None,
              track: int | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Read one YAML file; return its document, or None and the problems that stopped it.

    `track` keeps the line of values at most that deep (None: of every value); the problems that
    stop a file always have their line.
    """
    name = display or str(file)

    def fail(line: int, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(name, line, None, None, message)]

    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(1, f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB per file "
                           "(split it into several files)")
        raw = file.read_bytes()
    except OSError as exc:
        return fail(1, f"cannot read file: {exc.strerror or exc}")
    if raw.startswith(b"\xef\xbb\xbf"):
        return fail(1, "file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return fail(line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})")
    if "\x00" in source:
        return fail(source.count("\n", 0, source.index("\x00")) + 1, "file contains a NUL character")
    if track is not None and track <= 2 and _use_fast(len(raw)):
        from carnk_tui.kb.fast_reader import read_fast

        fast = read_fast(raw)  # None: this file is read below, the reference way
        if fast is not None:
            data, lines = fast
            if track < 2:
                lines = {path: line for path, line in lines.items() if len(path) <= track}
            return YamlDoc(file=file, display=name, data=data, lines=lines), []
    builder = _Builder(_line_map(source), MAX_DEPTH + 2 if track is None else track)
    try:
        for event in yaml.parse(source, Loader=_Loader):
            builder.feed(event)
    except Refused as exc:
        return fail(exc.line, exc.message)
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of the UTF-8 text; the pure-Python reader counts characters
        end = max(exc.position, 0)
        if _Loader.__name__.startswith("C"):
            line = raw[:end].count(b"\n") + 1
        else:
            line = source[:end].count("\n") + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return fail(line, f"control character {char!r} is not allowed in YAML text")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = builder.real_line(mark.line) if mark is not None else 1
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        text_lines = source.split("\n")
        if 0 < line <= len(text_lines) and "\t" in text_lines[line - 1]:
            what = "a tab character is not allowed here (YAML indents with spaces): " + what
        return fail(line, f"YAML syntax error: {what}")
    except yaml.YAMLError as exc:
        return fail(1, f"YAML error: {' '.join(str(exc).split())}")
    if builder.empty:
        return fail(1, "file is empty")
    return YamlDoc(file=file, display=name, data=builder.root, lines=builder.lines), []


def _use_fast(size: int) -> bool:
    """Whether to try the fast parser on a file of `size` bytes (it hands back what it cannot read exactly)."""
    parser = os.environ.get(PARSER_ENV, "")
    return parser == "fast" or (parser != "reference" and size >= FAST_MIN_BYTES)


def _line_map(source: str) -> list[int] | None:
    """For files with line breaks that YAML counts but editors do not: YAML line -> real line."""
    if not ("\r" in source or "\x85" in source or "\u2028" in source or "\u2029" in source):
        return None  # the usual case, found without a regular expression
    if not _OTHER_BREAKS.search(source):
        return None
    starts = [0] + [m.end() for m in _YAML_BREAKS.finditer(source)]
    return [source.count("\n", 0, start) + 1 for start in starts]


class _Builder:
    """Plain values from parser events, with the line of every path."""

    def __init__(self, line_map: list[int] | None, track: int) -> None:
        self.line_map = line_map
        self.track = track  # keep the lines of paths at most this long
        self.lines: dict[Path_, int] = {}
        self.root: Any = None
        self.empty = True
        self.documents = 0
        self.count = 0
        # each frame: [container, path, key awaiting its value (mappings), line of that key]
        self.stack: list[list[Any]] = []

    def real_line(self, yaml_line: int) -> int:
        if self.line_map is None:
            return yaml_line + 1
        return self.line_map[min(yaml_line, len(self.line_map) - 1)]

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is ScalarEvent:
            line = self.real_line(event.start_mark.line)
            self._add(_scalar(event, line), line, None)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            line = self.real_line(event.start_mark.line)
            expected = TAG_PREFIX + ("map" if kind is MappingStartEvent else "seq")
            if event.tag is not None and event.tag != expected and event.tag != "!":
                raise Refused(line, f"tag {event.tag!r} is not allowed")
            container: Any = {} if kind is MappingStartEvent else []
            path = self._add(container, line, container)
            if len(self.stack) > MAX_DEPTH:
                raise Refused(line, f"nested more than {MAX_DEPTH} levels deep")
            self.stack.append([container, path, None, 0])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            self.stack.pop()
        elif kind is AliasEvent:
            raise Refused(self.real_line(event.start_mark.line), "YAML aliases (*name) are not allowed")
        elif kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise Refused(self.real_line(event.start_mark.line), "only one YAML document per file is allowed")

    def _add(self, value: Any, line: int, container: Any) -> Path_:
        """Place a value where the parser is; return its path."""
        self.count += 1
        if self.count > MAX_VALUES:
            raise Refused(line, f"more than {MAX_VALUES:,} values in one file; split it into several files")
        if not self.stack:
            if value is not None:
                self.empty = False
            self.root = value
            self.lines[()] = line
            return ()
        frame = self.stack[-1]
        parent, path = frame[0], frame[1]
        untracked = container is None and len(path) >= self.track  # a scalar whose line is not kept
        if type(parent) is list:
            if untracked:
                parent.append(value)
                return path
            here = (*path, len(parent))
            parent.append(value)
            if len(here) <= self.track:
                self.lines.setdefault(here, line)
            return here
        if frame[2] is None:  # this value is a key
            if container is not None or not isinstance(value, str):
                shown = "a list or mapping" if container is not None else repr(value)
                raise Refused(line, f"keys must be text, not {shown}")
            if value in parent:
                raise Refused(line, f"duplicate key {value!r}")
            frame[2], frame[3] = value, line
            return path
        key = frame[2]
        frame[2] = None
        parent[key] = value
        if untracked:
            return path
        here = (*path, key)
        if len(here) <= self.track:
            self.lines[here] = frame[3]
        return here


def _scalar(event: ScalarEvent, line: int) -> Any:
    tag = event.tag
    plain, _quoted = event.implicit
    if tag is None or tag == "!":
        if not plain:
            return event.value
        tag = RESOLVER.resolve(ScalarNode, event.value, (True, False))
    return typed(tag, event.value, line)


