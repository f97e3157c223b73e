"""The fast way to read a knowledge-base file: rapidyaml's C++ parser, when it is installed.

rapidyaml (``pip install 'carnk-tui[fast]'``) parses a file into its own tree in C++; its JSON
emitter and the standard library's C JSON decoder then make the Python values, so no Python code
runs per value. The reference reader (`yaml_reader`, PyYAML on libyaml) stays the judge of what a
file means: this module gives a file's values only when they are exactly what the reference reader
would give, and otherwise answers None so that the reference reader reads the file. It answers None
for anything it does not handle the reference reader's way:

- characters the reference refuses or treats specially (control characters, tabs, lone carriage
  returns, the other Unicode line breaks, byte-order marks inside the text);
- anchors, aliases, tags, block scalars, explicit keys, directives, reserved indicators and
  document markers, found by a scan of the text for every place where such an indicator could
  start a value (it may also flag harmless text; that only costs time);
- values that rapidyaml reads otherwise than PyYAML although both accept the file (found while
  building this, by comparing both on a corpus and on random YAML: a value starting with "]" or
  "}" outside brackets, "{a:}", a comment after a value inside brackets);
- plain scalars that the JSON emitter rewrites (``.5``, ``5.``, ``inf``, ``.NaN``) or that PyYAML
  types otherwise than JSON (``yes``, ``~``, ``0x1F``, ``1_000``, ``017``, ``<<``; found in the
  emitted JSON, keys included, then looked for unquoted in the text), duplicate keys, more values
  than the reference allows, nesting near the reference's limit, and anything rapidyaml or the JSON
  decoder fails on (rapidyaml's own error messages are kept off the terminal).

Problems are therefore always reported by the reference reader, with its messages and lines. Of
line numbers this module gives only those the loader keeps on its first pass (a record's), from
where rapidyaml's values lie in the file's bytes.
"""

from __future__ import annotations

import ctypes
import json
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from carnk_tui.kb.yaml_values import MAX_DEPTH, MAX_VALUES, Path_, scalar_value

try:
    import ryml
except ImportError:  # the optional extra is not installed: the reference reader reads every file
    ryml = None

#: control characters, tabs, and carriage returns left after CRLF -> LF
_CONTROL = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])
#: C1 controls (with NEL); LS, PS, byte-order marks and non-characters: refused or read as line breaks by PyYAML
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_OTHER_ODD = (b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf")
#: a comment line (its text is not read)
_COMMENT_LINE = re.compile(rb"\n[ ]*#[^\n]*")
#: what may come before a value, spaces aside: a line break, or "-", ":", "?", ",", "[", "{"
_VALUE_START = frozenset(b"-:?,[{\n")
#: indicators that open an anchor, alias, tag, block scalar, explicit key, directive or reserved
#: indicator where a value starts
_INDICATORS = (b"&", b"*", b"!", b"|", b">", b"?", b"%", b"@", b"`")


def _classes() -> bytes:
    table = bytearray(b"o" * 256)
    for chars, symbol in ((b"-?\n", b"a"), (b":", b"m"), (b",", b"k"), (b"[{", b"f"), (b".", b"c"), (b"]}", b"z")):
        for char in chars:
            table[char] = symbol[0]
    return bytes(table)


#: the text reduced to the characters that matter below, spaces removed: a = "-", "?" or a line
#: break, m = ":", k = ",", f = "[" or "{", c = ".", z = "]" or "}"; o = anything else. Each pattern
#: starts with a single character, which the regular expression engine finds quickly.
_CLASSES = _classes()
_BAD_START = (
    # a value starting with ":", "," or "." (.5 -> 0.5, .Inf -> .inf in rapidyaml's JSON)
    re.compile(rb"m(?<=[amkf]m)"), re.compile(rb"k(?<=[amkf]k)"), re.compile(rb"c(?<=[amkf]c)"),
    re.compile(rb"z(?<=[am]z)"),  # a value starting with "]" or "}" where no bracket is open (read as text)
)
_COLON_BRACKET = (re.compile(rb"\[(?<=:\[)"), re.compile(rb"\{(?<=:\{)"))  # "a:[b]", "a:{b}"
#: plain scalars rapidyaml's JSON emitter rewrites: inf/nan -> ".inf"/".nan", "5." -> "5.0" (in lower case)
_REWRITTEN = (re.compile(rb"\.[ ]*[\n,\]}#:]"), re.compile(rb"inf(?:inity)?[ ]*[\n,\]}#:]"),
              re.compile(rb"nan[ ]*[\n,\]}#:]"))
_TOKEN = frozenset(b"+-.0123456789abcdefghijklmnopqrstuvwxyz_:")


#: bytes that are rare in a knowledge base and each call for a closer look: control characters, "#",
#: the indicators above, "+" (of "+.5") and the lead byte of C1 controls. One pass finds which occur.
_RARE = _CONTROL + b"#&*!|>?%@`+\xc2"
#: the rare bytes and those of the sequences in _OTHER_ODD: what one pass keeps of a file
_KEPT = frozenset(_RARE + b"".join(_OTHER_ODD))
_NOT_KEPT = bytes(b for b in range(256) if b not in _KEPT)
_DOCUMENT_MARKER = re.compile(rb"\n(?:---|\.\.\.)")


def _suspicious(raw: bytes) -> bool:
    """Whether the file has anything rapidyaml may read otherwise than PyYAML (may flag harmless text)."""
    # One pass keeps the rare bytes (usually "#" of a comment line at most) and the bytes of the odd
    # sequences (a few per cent of Chinese text): a sequence in the file is in what is kept too, so
    # only when one is there is the file itself searched for it (five searches of the file cost
    # more than the rest of these checks together).
    kept = raw.translate(None, _NOT_KEPT)
    rare = frozenset(kept)
    if not rare.isdisjoint(_CONTROL) or any(odd in kept and odd in raw for odd in _OTHER_ODD):
        return True
    if 0xC2 in rare and _C1.search(raw):
        return True
    found = _without_comment_lines(raw, kept.count(b"#")) if 0x23 in rare else b"\n" + raw + b"\n"  # 0x23: "#"
    if found is None:
        return True  # a comment after a value (in flow collections rapidyaml and PyYAML end the value differently)
    text = found
    if _DOCUMENT_MARKER.search(text):
        return True  # document markers
    if any(_after_value_start(text, text.find(mark), mark) for mark in _INDICATORS if mark[0] in rare):
        return True
    if (0x2B in rare and b"+." in text) or any(pattern.search(text) for pattern in _COLON_BRACKET):
        return True
    classes = text.translate(_CLASSES, b" ")
    if any(pattern.search(classes) for pattern in _BAD_START):
        return True
    lower = text.lower()
    for match in (match for pattern in _REWRITTEN for match in pattern.finditer(lower)):
        start = match.start()
        while lower[start - 1] in _TOKEN:
            start -= 1
        token = lower[start:match.end()]
        numeric = (token[:1] in b"+-" and token[1:2] in b"0123456789.in") or token[:1] in b"0123456789in"
        if numeric and _at_value_start(lower, start):
            return True
    return False


def _without_comment_lines(raw: bytes, hashes: int | None = None) -> bytes | None:
    """``b"\\n" + raw + b"\\n"`` without the text of its comment lines; None if a comment follows a value.

    A file with a few comments (a heading) is cut at each "#" (a regular expression looking at every
    line start cost more than the rest of these checks).
    """
    if (raw.count(b"#") if hashes is None else hashes) > 64:  # hashes: how many "#" the file has
        text = _COMMENT_LINE.sub(b"\n", b"\n" + raw + b"\n")
        return None if b" #" in text else text
    pieces = [b"\n"]
    kept = 0  # raw[:kept] is placed
    at = raw.find(b"#")
    while at >= 0:
        start = raw.rfind(b"\n", 0, at) + 1
        if raw[start:at].strip(b" "):  # not a comment line: a comment after a value, or "#" in a value
            if raw[at - 1] == 0x20:
                return None
            at = raw.find(b"#", at + 1)
            continue
        end = raw.find(b"\n", at)
        end = len(raw) if end < 0 else end
        pieces.append(raw[kept:start])  # the comment line's text goes, its line break stays
        kept = end
        at = raw.find(b"#", end)
    pieces.append(raw[kept:])
    pieces.append(b"\n")
    return b"".join(pieces)


def _at_value_start(text: bytes, at: int) -> bool:
    """Whether position `at` of `text` (which starts with a line break) is where a value may start."""
    at -= 1
    while text[at] == 0x20:
        at -= 1
    return text[at] in _VALUE_START


def _after_value_start(text: bytes, at: int, mark: bytes) -> bool:
    """Whether any occurrence of `mark`, the first at `at`, starts where a value may start."""
    while at >= 0:
        if _at_value_start(text, at):
            return True
        at = text.find(mark, at + 1)
    return False


def _resolver_pattern() -> re.Pattern[str]:
    """Text that PyYAML types as something other than a string when it is a plain scalar."""
    from yaml.resolver import Resolver

    alternatives = []
    for resolvers in Resolver.yaml_implicit_resolvers.values():
        for tag, regexp in resolvers:
            if tag.endswith((":str", ":timestamp")):
                continue  # dates stay text as written, on both paths
            alternatives.append(regexp.pattern.strip().removeprefix("^").removesuffix("$"))
    body = "|".join(f"(?:{a})" for a in sorted(set(alternatives)))
    return re.compile(f"(?=.)(?:{body})", re.VERBOSE)


def _candidate_pattern() -> re.Pattern[bytes]:
    """JSON strings that may be such text (a superset, found quickly): numbers of every notation PyYAML
    knows (no inner "-", so dates are passed over), ".inf" and ".nan", the words of the resolvers that
    start with a letter ("yes", "Null"...), "~", "<<", "=".

    Only a string starting with a character that starts one of PyYAML's implicit resolvers is looked
    at (the look-ahead rejects the others, keys such as "zh" and "id" included, at C speed).
    """
    from yaml.resolver import Resolver

    firsts, words = set(), set()
    for first, resolvers in Resolver.yaml_implicit_resolvers.items():
        if not first:
            continue  # "" (plain empty is null): JSON has null for it, never a string
        firsts.add(first)
        if first.isalpha():
            for _tag, regexp in resolvers:
                found = re.findall(r"[A-Za-z]+", regexp.pattern)
                if re.sub(r"[A-Za-z]+|[|^$()?:~\s]", "", regexp.pattern):
                    found = ["[a-zA-Z]{1,5}"]  # not a list of words (a newer PyYAML): the old, wider net
                words.update(found)
    lookahead = "".join(sorted(re.escape(first) for first in firsts))
    body = "|".join(sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rb'"(?=[%s])([-+]?[0-9.][0-9a-zA-Z_:.]*(?:[eE][-+][0-9]+)?|[-+]?\.[a-zA-Z]+|(?:%s)|~|<<|=)"'
                      % (lookahead.encode("ascii"), body.encode("ascii")))


_CANDIDATE = _candidate_pattern() if ryml is not None else re.compile(b"(?!)")
_AMBIGUOUS = _resolver_pattern() if ryml is not None else None


def _ambiguous(text: bytes, raw: bytes) -> bool:
    """Whether a text value of the JSON may have been a plain scalar that PyYAML types otherwise ("yes", "1").

    JSON does not say whether a string was quoted in YAML. Such a text was quoted when it nowhere
    stands alone where a plain value could be (at a value's start, up to the value's end); or, for a
    number in a file without escapes, when it stands alone exactly as often as the JSON has it as a
    number (the plain ones: "founded: 2014" beside a quoted "2014").
    """
    assert _AMBIGUOUS is not None
    found = {token for token in set(_CANDIDATE.findall(text)) if _AMBIGUOUS.fullmatch(token.decode("ascii"))}
    if not found:
        return False
    if len(found) > 200:
        return True
    source = b"\n" + raw
    alone = re.compile(rb"(%s)[ ]*(?:\n|$|[,\]}#:])" % b"|".join(map(re.escape, found)))
    standing: dict[bytes, int] = {}
    for match in alone.finditer(source):
        if _at_value_start(source, match.start()):
            standing[match.group(1)] = standing.get(match.group(1), 0) + 1
    if not standing:
        return False
    if b"\\" in raw or not all(_JSON_NUMBER.fullmatch(token) for token in standing):
        return True
    # how often the JSON has each as a number: one scan for all of them (a scan per token cost seconds
    # on a file of 3,000 companies with 34 founding years)
    as_number = re.compile(rb"(?:: |[\[,])(%s)(?=[,\]}\n])" % b"|".join(map(re.escape, standing)))
    numbers: dict[bytes, int] = {}
    for match in as_number.finditer(text):
        numbers[match.group(1)] = numbers.get(match.group(1), 0) + 1
    return any(count != numbers.get(token, 0) for token, count in standing.items())


_JSON_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class _Defer(Exception):
    """Leave this file to the reference reader."""


def available() -> bool:
    return ryml is not None and _quiet_stderr is not None


# ------------------------------------------------------------------ rapidyaml's error messages
# rapidyaml writes every error it raises to the C library's stderr as well. Textual draws on stderr,
# and `validate` prints one problem per line there: while rapidyaml runs, C's `stderr` points at
# /dev/null (Python's own sys.stderr writes to the file descriptor and is not affected).
def _find_c_stderr() -> tuple[ctypes.c_void_p, int] | None:
    if sys.platform.startswith("win"):
        return None
    try:
        libc = ctypes.CDLL(None)
        for name in ("stderr", "__stderrp"):  # glibc, macOS
            try:
                variable = ctypes.c_void_p.in_dll(libc, name)
                break
            except ValueError:
                continue
        else:
            return None
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        null = libc.fopen(b"/dev/null", b"w")
    except (OSError, AttributeError):
        return None
    if not null or not variable.value:
        return None
    return variable, null


_c_stderr = _find_c_stderr() if ryml is not None else None
_lock = threading.Lock()


@contextmanager
def _silenced() -> Iterator[None]:
    assert _c_stderr is not None
    variable, null = _c_stderr
    with _lock:
        saved = variable.value
        variable.value = null
        try:
            yield
        finally:
            variable.value = saved


_quiet_stderr = _silenced if _c_stderr is not None else None


# ------------------------------------------------------------------ reading
def read_fast(raw: bytes) -> tuple[Any, dict[Path_, int]] | None:
    """A file's values and the lines of paths up to (section, record); None: read it the reference way.

    `raw` has passed the reference reader's checks of size, encoding, byte-order mark and NUL.
    """
    found = read_json(raw)
    return None if found is None else (found.data, found.lines)


class FastRead(NamedTuple):
    """What the fast path read from a file that it reads exactly as the reference reader does."""

    #: the file's values, as the reference reader gives them
    data: Any
    #: the lines of paths up to (section, record)
    lines: dict[Path_, int]
    #: rapidyaml's JSON of the file
    json: bytes
    #: whether a typed JSON decoder reads every number of `json` as `data` has it: False when the JSON
    #: has a number that PyYAML types otherwise ("1e3" is text, 100 digits or more) or writes apart ("-0")
    plain_numbers: bool
    #: rapidyaml's nodes (a key and its value are one): the values of the file, keys aside
    nodes: int


class Scratch:
    """rapidyaml's tree and a buffer for its JSON, kept from one file to the next.

    A tree grows by doubling as it is parsed into, and each new block of memory is faulted in page by
    page: a tree made for each file and grown that way cost half of rapidyaml's parse (0.5 of 1.1 s
    for the 27 large files of the generated base of 10,000 products). A kept tree is already as
    large as the largest file read so far. Only worth it where many files are read (a worker process):
    the app's own process would keep the memory.
    """

    def __init__(self) -> None:
        assert ryml is not None
        self.tree = ryml.Tree()
        self.out = bytearray()


def _tree(breaks: int, scratch: Scratch | None) -> Any:
    """An empty tree, with room for about as many nodes as a file of `breaks` line breaks will need."""
    if scratch is not None:
        tree = scratch.tree
        tree.clear()  # (the nodes of the file read before, which pointed into its buffer; a walk of every node)
        tree.clear_arena()
    else:
        tree = ryml.Tree()
    # about two nodes per line in a knowledge base (a key and its value are one; lists in brackets add
    # more): growing the tree on the way costs more than a guess that is somewhat too large
    wanted = 2 * breaks + 64
    if tree.capacity() < wanted:
        tree.reserve(wanted)
    return tree


def _emit_json(tree: Any, size: int, scratch: Scratch | None) -> bytes:
    """rapidyaml's JSON of `tree`, emitted once into a buffer of a guessed size (rapidyaml's length
    function walks the whole tree as the emitter does); again, at the size it asks for, if too small."""
    out = scratch.out if scratch is not None else bytearray()
    wanted = size + size // 4 + 4096  # JSON of a knowledge base is about 1.1 times its YAML
    for _attempt in range(2):
        if len(out) < wanted:
            out = bytearray(wanted)
            if scratch is not None:
                scratch.out = out
        failed, length = ryml.emit_json_to_substr(tree, tree.root_id(), out)
        if not failed:
            return bytes(memoryview(out)[:length])
        wanted = length
    raise _Defer  # (the emitter asked for more than it then used)


def read_json(raw: bytes, values: bool = True, scratch: Scratch | None = None) -> FastRead | None:
    """`read_fast`, with rapidyaml's JSON of the file (which decodes to the same values: duplicate keys,
    the value limit and every plain scalar PyYAML types otherwise are checked on the way).

    values=False: without the values (`data` is None), and without the checks made while decoding
    them (duplicate keys, the value limit, numbers): the caller makes them, or calls `values_of`.
    `scratch`: rapidyaml's tree and the JSON's buffer kept from one file to the next (a worker process
    that reads many files); without it, both are made for this file and dropped.
    """
    if not available():
        return None
    breaks = raw.count(b"\n")
    if breaks + raw.count(b",") > MAX_VALUES:
        return None  # maybe more values than allowed: the reference reader stops early, rapidyaml would not
    if b"\r" in raw:
        if b"\r" in raw.replace(b"\r\n", b""):
            return None  # lone carriage returns: lines counted differently; the reference path knows how
        raw = raw.replace(b"\r\n", b"\n")  # YAML reads CRLF as LF, in values too; lines stay the same
    if _suspicious(raw):
        return None
    try:
        with _silenced():
            buffer = bytearray(raw)  # parsed in place: rapidyaml's values point into it, which gives their lines
            tree = _tree(breaks, scratch)
            ryml.parse_in_place(buffer, tree)
            nodes = tree.size()
            if nodes > MAX_VALUES or not tree.is_map(tree.root_id()):
                return None  # too many values, or several documents, or not a mapping: the reference explains
            text = _emit_json(tree, len(raw), scratch)
            lines = _lines(tree, raw, buffer)
    except Exception:  # rapidyaml's errors are SWIG classes deriving from Exception; _Defer too
        return None
    if b'"":' in text or _deeper_than(text, MAX_DEPTH - 2) or _ambiguous(text, raw):
        return None  # an empty key (plain ones are null), deep nesting, a plain scalar PyYAML types otherwise
    if not values:
        return FastRead(None, lines, text, False, nodes)
    return values_of(FastRead(None, lines, text, False, nodes))


def values_of(found: FastRead) -> FastRead | None:
    """`found` with its values, decoded from its JSON; None: the reference reader reads the file."""
    numbers = _Numbers(found.nodes)
    try:
        data = json.loads(found.json, object_pairs_hook=numbers.mapping, parse_int=numbers.integer,
                          parse_float=numbers.fraction, parse_constant=numbers.constant)
    except (_Defer, ValueError, RecursionError):
        return None
    if numbers.count > MAX_VALUES:
        return None
    return found._replace(data=data, plain_numbers=numbers.plain)


class _Numbers:
    """The JSON decoder's hooks: mappings without duplicate keys, counted; numbers typed as PyYAML types them."""

    def __init__(self, count: int) -> None:
        self.count = count  # values so far (keys count too, for the limit)
        self.plain = True  # every number is one a typed JSON decoder reads alike

    def mapping(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            raise _Defer  # a duplicate key
        self.count += len(pairs)
        return out

    def integer(self, text: str) -> Any:
        """A JSON integer (a plain scalar in YAML: PyYAML's int too), as PyYAML makes it."""
        if len(text) < 100:
            if text.startswith("-0"):
                self.plain = False  # "-0": an int 0 here, -0.0 in a float field when decoded typed
            return int(text)
        self.plain = False
        return _number(text)

    def fraction(self, text: str) -> Any:
        """A JSON number with a fraction or an exponent, typed as PyYAML types it ("1e3" is text there)."""
        if "e" in text or "E" in text:
            self.plain = False
            return _number(text)
        return float(text)  # what PyYAML's float constructor gives for digits, a point and digits

    def constant(self, text: str) -> Any:
        self.plain = False
        return _number(text)


def _number(text: str) -> Any:
    """A number the JSON emitter wrote unquoted (it was plain in YAML), typed as PyYAML types it."""
    try:
        return scalar_value(text)
    except ValueError:
        raise _Defer from None


#: every byte but the brackets that open a JSON container and the line break
_NOT_OPENERS = bytes(b for b in range(256) if b not in b"[{\n")


def _deeper_than(text: bytes, limit: int) -> bool:
    """Whether the emitted JSON may nest deeper than `limit` (an upper bound: brackets in strings count too).

    The emitter writes a container that spans lines with its contents indented two spaces per
    level, and a container within one line with its brackets on that line: no line of a nesting
    deeper than `limit` has both fewer than limit/2 levels of indentation and fewer than limit/2
    opening brackets.
    """
    half = limit // 2
    if b"\n" + b" " * (2 * half) in text:
        return True
    return re.search(rb"[\[{]{%d}" % (limit - half), text.translate(None, _NOT_OPENERS)) is not None


def _lines(tree: Any, raw: bytes, buffer: bytearray) -> dict[Path_, int]:
    """Lines (1-based) of the file's top-level keys and of the records in its sections.

    rapidyaml's Python binding gives no locations, but the tree's scalars point into the parsed
    buffer: a record's line is that of its first key (a block mapping starts there, as PyYAML counts
    it) or of its opening brace. The binding's own functions are called directly (about half the
    time of its wrapper methods). The records of a section written as a block list are found in the
    text instead, with no call per record (`_entry_starts`).
    """
    api = ryml._ryml
    first_child, next_sibling = api.Tree_first_child, api.Tree_next_sibling
    node_type, key_of = api.Tree_type, api.Tree_key
    none = ryml.NONE
    base = _Pointers(buffer)
    counted = [0, 1]  # offset, line: lines are counted on from the last place asked for

    def line_of(offset: int) -> int:
        if offset < counted[0]:
            counted[0], counted[1] = 0, 1
        counted[1] += raw.count(b"\n", counted[0], offset)
        counted[0] = offset
        return counted[1]

    def start_line(node: int) -> int:
        kind = node_type(tree, node)
        if kind & ryml.MAP and tree.has_children(node):
            offset = base.offset(key_of(tree, first_child(tree, node)))
            if kind & (ryml.FLOW_SL | ryml.FLOW_ML):
                offset = _brace_before(raw, offset)
            return line_of(offset)
        if kind & ryml.VAL and not kind & ryml.MAP and not kind & ryml.SEQ and not tree.val_is_null(node):
            return line_of(base.offset(tree.val(node)))
        raise _Defer  # an empty value or mapping, or a list: not a record; the reference reader places it

    root = tree.root_id()
    lines: dict[Path_, int] = {(): start_line(root)}
    sections: list[tuple[int, int]] = []  # each top-level key's node and where its key is in the text
    child = first_child(tree, root)
    while child != none:
        sections.append((child, base.offset(key_of(tree, child))))
        child = next_sibling(tree, child)
    for number, (child, at) in enumerate(sections):
        key = str(key_of(tree, child), "utf-8")
        lines[(key,)] = line_of(at)
        kind = node_type(tree, child)
        if kind & ryml.SEQ and not kind & (ryml.FLOW_SL | ryml.FLOW_ML):
            end = sections[number + 1][1] if number + 1 < len(sections) else len(raw)
            starts = _entry_starts(raw, at, end, api.Tree_num_children(tree, child))
            if starts is not None:
                for index, offset in enumerate(starts):
                    lines[(key, index)] = line_of(offset)
                continue
        item = first_child(tree, child) if kind & (ryml.MAP | ryml.SEQ) else none
        index = 0
        while item != none:
            if kind & ryml.SEQ:
                lines[(key, index)] = start_line(item)
            else:
                lines[(key, str(key_of(tree, item), "utf-8"))] = line_of(base.offset(key_of(tree, item)))
            index += 1
            item = next_sibling(tree, item)
    return lines


_FIRST_ENTRY = re.compile(rb"\n( *)-(?=[ \n]|\Z)")


def _entry_starts(raw: bytes, at: int, end: int, count: int) -> list[int] | None:
    """Where each of the `count` entries of the block list whose key is at `at` (and whose text ends
    before `end`) starts, when each has its value on its "-" line; None: find them through the tree.

    Every entry of a block list is a "-" at the start of a line, after the list's indentation: when the
    text has exactly `count` such lines, they are the entries (text that only looks like one, a line of
    a quoted text spread over lines, would make more; then the tree is asked). When each of them has
    its value on its "-" line (not a comment), that is where PyYAML starts it too: a block mapping at
    its first key, a flow mapping at its brace, a text where it starts.
    """
    if not count:
        return []
    first = _FIRST_ENTRY.search(raw, at, end)
    if first is None:
        return None
    # "-" lines at the list's indentation: every entry, and any text that looks like one
    if raw.count(b"\n" + first.group(1) + b"-", first.start(), end) != count:
        return None
    # of those, the ones with a value on their "-" line: if all are, they are exactly the entries
    valued = re.compile(rb"\n%s-[ ]+[^ \n#]" % re.escape(first.group(1)))
    starts = [match.start() + 1 for match in valued.finditer(raw, first.start(), end)]
    return starts if len(starts) == count else None


def _brace_before(raw: bytes, offset: int) -> int:
    """The opening brace before a flow mapping's first key (its quote, spaces and line breaks skipped)."""
    at = offset - 1
    if at >= 0 and raw[at] in b"\"'":
        at -= 1
    while at >= 0 and raw[at] in b" \n":
        at -= 1
    if at < 0 or raw[at] != ord("{"):
        raise _Defer
    return at


# ------------------------------------------------------------------ where a scalar is in the bytes
class _PyBuffer(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.py_object), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int), ("ndim", ctypes.c_int),
                ("format", ctypes.c_char_p), ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


class _Pointers:
    """Offsets in `buffer` of the memory views rapidyaml gives (its scalars point into the parsed text)."""

    def __init__(self, buffer: bytearray) -> None:
        self._view = _PyBuffer()
        self._ref = ctypes.byref(self._view)
        self.size = len(buffer)
        self.base = self._address(memoryview(buffer))

    def _address(self, view: memoryview) -> int:
        _get_buffer(view, self._ref, 0)
        address = int(self._view.buf or 0)
        _release_buffer(self._ref)
        return address

    def offset(self, view: memoryview) -> int:
        offset = self._address(view) - self.base
        if not view.nbytes or not 0 <= offset < self.size:
            raise _Defer  # empty, or kept outside the text (rapidyaml unescaped it into its arena)
        return offset
