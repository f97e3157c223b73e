"""The rules every YAML reader here shares: the limits, the path of a value, and how a plain scalar is typed.

Both the reference reader (`yaml_reader`) and the fast one (`fast_reader`) use these, so the two agree
by construction on what a value is and on what is refused.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

MAX_FILE_BYTES = 8 * 1024 * 1024
#: values (scalars, lists, mappings) in one file; more is refused before the time spent grows large
MAX_VALUES = 200_000
MAX_DEPTH = 40
TAG_PREFIX = "tag:yaml.org,2002:"
SCALAR_TAGS = {TAG_PREFIX + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
#: where a value sits: the keys and list positions from the top of the file
Path_ = tuple[str | int, ...]

_CONSTRUCTOR = SafeConstructor()
RESOLVER = Resolver()


class NumberTooLong:
    """An integer too long to be meant (and to convert safely): every field refuses it, naming itself."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class Refused(Exception):
    """A value this reader does not accept, and the line it is on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def scalar_value(text: str) -> Any:
    """A plain scalar's value as this reader gives it (the fast path types its numbers with this).

    Raises ValueError for what this reader refuses (a tag that is not allowed, a bad value).
    """
    try:
        return typed(RESOLVER.resolve(ScalarNode, text, (True, False)), text, 0)
    except Refused as exc:
        raise ValueError(exc.message) from None


_NULL, _STR, _TIMESTAMP, _INT = (TAG_PREFIX + t for t in ("null", "str", "timestamp", "int"))
#: decimal integers as Python writes them: converted directly (YAML 1.1's 0x, 0o, 1_000 and 1:30 go the long way)
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,17})")


def typed(tag: str, value: str, line: int) -> Any:
    """A plain scalar's value for the tag the resolver gave it, as PyYAML's safe constructor builds it."""
    if tag not in SCALAR_TAGS:
        raise Refused(line, f"tag {tag!r} is not allowed")
    if tag in (_STR, _TIMESTAMP):
        return value  # dates stay as written, e.g. "2025-01-12"
    if tag == _NULL:
        return None  # the resolver gives this tag only to "", "~", "null", "Null" and "NULL"
    if tag == _INT and _PLAIN_INT.fullmatch(value):
        return int(value)
    if tag == TAG_PREFIX + "int" and len(value) > 4000:
        return NumberTooLong(len(value))
    try:
        return _CONSTRUCTOR.construct_object(ScalarNode(tag, value))
    except (ConstructorError, ValueError) as exc:
        raise Refused(line, f"bad value {value[:40]!r}: {' '.join(str(exc).split())}") from None
