"""Safe YAML reading that remembers where every value was written.

Only plain data is accepted: mappings, sequences, strings, numbers, booleans and null.
Tags such as ``!!python/object``, anchors and aliases, several documents in one file,
oversized or non-UTF-8 files are refused with a `Problem` that names file and line; no
code from the file ever runs, because nodes are composed (libyaml when present) and then
turned into values here, never by a constructor that honours tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from carnk_tui.problems import Problem

try:  # the C parser is much faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_constructor = SafeConstructor()

Path_ = tuple[str | int, ...]


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


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(file: Path, display: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Read one YAML file; return its document, or None and the problems that stopped it."""
    name = display or str(file)

    def fail(line: int, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(name, line, None, None, message)]

    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(1, f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB per file")
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
    try:
        nodes = list(yaml.compose_all(source, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        return fail(line, f"YAML syntax error: {what}")
    except yaml.YAMLError as exc:
        return fail(1, f"YAML error: {exc}")
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return fail(1, "file is empty")
    if len(nodes) > 1:
        return fail(nodes[1].start_mark.line + 1, "only one YAML document per file is allowed")
    doc = YamlDoc(file=file, display=name, data=None)
    try:
        doc.data = _value(nodes[0], (), doc.lines, set(), 0)
    except _Refused as exc:
        return fail(exc.line, exc.message)
    return doc, []


def _value(node: Node, path: Path_, lines: dict[Path_, int], seen: set[int], depth: int) -> Any:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise _Refused(line, "YAML anchors and aliases are not allowed")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Refused(line, f"nested more than {MAX_DEPTH} levels deep")
    lines.setdefault(path, line)
    if isinstance(node, ScalarNode):
        return _scalar(node, line)
    if isinstance(node, SequenceNode):
        if node.tag != _T + "seq":
            raise _Refused(line, f"tag {node.tag!r} is not allowed")
        return [_value(item, (*path, i), lines, seen, depth + 1) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        if node.tag != _T + "map":
            raise _Refused(line, f"tag {node.tag!r} is not allowed")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _value(key_node, path, {}, seen, depth + 1)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise _Refused(key_line, f"keys must be text, not {key!r}")
            if key in out:
                raise _Refused(key_line, f"duplicate key {key!r}")
            lines[(*path, key)] = key_line
            out[key] = _value(value_node, (*path, key), lines, seen, depth + 1)
        return out
    raise _Refused(line, "unsupported YAML node")  # pragma: no cover - yaml has no other kinds


def _scalar(node: ScalarNode, line: int) -> Any:
    tag = node.tag
    if tag not in _SCALAR_TAGS:
        raise _Refused(line, f"tag {tag!r} is not allowed")
    if tag == _T + "str" or tag == _T + "timestamp":
        return node.value  # dates stay as written, e.g. "2025-01-12"
    try:
        return _constructor.construct_object(node)
    except (ConstructorError, ValueError) as exc:
        raise _Refused(line, f"bad value {node.value[:40]!r}: {exc}") from None
