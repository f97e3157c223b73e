"""Large files read by the fast path into records: in worker processes where there are two cores.

The files of a knowledge base are independent until the checks across records, and reading one with
rapidyaml (`fast_reader`) is mostly its checks that the reference reader would read it alike: worker
processes do that for the large files, and hand back rapidyaml's JSON of each file (bytes pickle at
the speed of a copy) with its record lines. This process decodes the JSON straight into the model's
record types with msgspec, one C pass per file, instead of building Python values and converting
them. Duplicate keys, the value limit and the numbers a typed decoder would read otherwise than
PyYAML are checked at C speed on the JSON (`_plainly_unique`), or, when that cannot tell, while
decoding the values as `fast_reader.read_fast` does. A file is handed back (None) for everything the
fast path hands to the reference reader, and this process hands a file to the loader's usual path
when its JSON does not decode into records (a problem in it, to be reported field by field); so the
records are those the loader would make from the reference reader's values, and every problem is
still reported by the reference path.

Only the loader's first pass (record lines) reads this way, only with rapidyaml installed, and only
files of a megabyte or more: the bundled data never starts a process. With one core, or with
``CARNK_TUI_PROCESSES=1``, the large files are read this way in this process (the variable also
sets how many worker processes at most).
"""

from __future__ import annotations

import functools
import multiprocessing
import operator
import os
import re
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import msgspec
from msgspec import UNSET, Struct, UnsetType

from carnk_tui.kb import fast_reader, model
from carnk_tui.kb.yaml_reader import PARSER_ENV, YamlDoc
from carnk_tui.kb.yaml_values import MAX_FILE_BYTES, MAX_VALUES, Path_

#: worker processes at most (1: none, the large files are read in this process)
PROCESSES_ENV = "CARNK_TUI_PROCESSES"
#: files below this size are read in this process (sending them costs more than it saves); the
#: tests set it to 0 to read every file through the workers
MIN_BYTES_ENV = "CARNK_TUI_PROCESS_MIN_BYTES"
#: a file this large takes rapidyaml's path long enough (about 0.1 s) to be worth sending
MIN_BYTES = 1024 * 1024


def _min_bytes() -> int:
    given = os.environ.get(MIN_BYTES_ENV, "")
    return int(given) if given.isdigit() else MIN_BYTES



def workers(files: Sequence[Path]) -> int | None:
    """How many worker processes to read `files` with; 0: read the large ones this way in this process;
    None: not this way (rapidyaml is missing, the reference parser is asked for, no file is large)."""
    if not fast_reader.available() or os.environ.get(PARSER_ENV, "") == "reference":
        return None
    least = _min_bytes()
    large = sum(1 for file in files if _size(file) >= least)
    if not large:
        return None
    wanted = os.environ.get(PROCESSES_ENV, "")
    limit = int(wanted) if wanted.isdigit() else (os.cpu_count() or 1)
    # one core, or one large file (a reload after an edit): this process reads as fast, with no process to start
    return min(limit, large) if limit >= 2 and large >= 2 else 0


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


# ------------------------------------------------------------------ in the worker
Found = tuple[bytes, dict[Path_, int]]


#: in a worker process: rapidyaml's tree and buffer, kept from one file to the next
_worker_scratch: fast_reader.Scratch | None = None


def read_in_worker(file: str, scratch: fast_reader.Scratch | None = None) -> Found | None:
    """rapidyaml's JSON of a file and its record lines; None: the loader reads it its usual way."""
    try:
        if os.stat(file).st_size > MAX_FILE_BYTES:
            return None
        with open(file, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    # what the reference reader refuses before parsing (it says why, when the loader asks it)
    if raw.startswith(b"\xef\xbb\xbf") or b"\x00" in raw:
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    found = fast_reader.read_json(raw, values=False, scratch=scratch or _worker_scratch)
    if found is None:
        return None
    if not _plainly_unique(found):  # cannot tell at C speed: the checks made while decoding the values
        found = fast_reader.values_of(found)
        if found is None or not found.plain_numbers:
            return None
    return found.json, found.lines


def _number_classes() -> bytes:
    table = bytearray(b" " * 256)  # what may come before a number: spaces, ":", ",", "[", line breaks
    for byte in range(256):
        if byte >= 0x80 or chr(byte).isalnum() or chr(byte) in "\"_/\\%#@&'~^|!?;=<>()`":
            table[byte] = ord("a")  # within a word or a string
    for chars, symbol in ((b"0123456789.", b"1"), (b"eE", b"e"), (b"+-", b"s")):
        for byte in chars:
            table[byte] = symbol[0]
    return bytes(table)


#: rapidyaml's JSON reduced to what tells a number apart: 1 = a digit or the point, e = "e" or "E",
#: s = a sign, a = a letter or anything else of a word or string, " " = what may come before a number
_NUMBER_CLASSES = _number_classes()
_EXPONENT = re.compile(rb"e(?<=1e)s?1")
_MINUS_ZERO = re.compile(rb"-0(?![.0-9eE])")


def _odd_numbers(text: bytes) -> bool:
    """Whether the JSON may have a number that a typed decoder reads otherwise than PyYAML does: with an
    exponent ("1e3" is text for PyYAML), -0 (an int 0 for PyYAML, -0.0 in a float field) or of 100
    digits or more. Text in a string may look like one: the file is then checked the slower way
    (`fast_reader.values_of`). NaN and Infinity are not JSON: the decoders refuse them."""
    classes = text.translate(_NUMBER_CLASSES)
    if b"1" * 100 in classes:
        return True
    for match in _EXPONENT.finditer(classes):
        start = match.start() - 1
        while start >= 0 and classes[start] == 0x31:  # "1"
            start -= 1
        if start >= 0 and classes[start] == 0x73:  # "s"
            start -= 1
        if start < 0 or classes[start] == 0x20:
            return True  # it starts where a number may start
    return any(match.start() == 0 or text[match.start() - 1] in b" :,[\n" for match in _MINUS_ZERO.finditer(text))


def _plainly_unique(found: fast_reader.FastRead) -> bool:
    """Whether the JSON's mappings have no duplicate key, its values are within the limit and its numbers
    read alike by a typed decoder, found at C speed (False: duplicates, or it cannot tell).

    Each '": ' whose quote is not escaped ends a key (`_unescaped`). The JSON is decoded into shadows of
    the record types (each field kept unparsed, or a shadow itself where it holds records; a field not
    given stays unset), which keep one value per key: encoded again, they have as many keys as the JSON
    had exactly when no mapping had a key twice. (A mapping in a field that holds no records stays
    unparsed, duplicates and all; such a file fails the typed decode.)
    """
    text = found.json
    if _odd_numbers(text):
        return False
    keys = _unescaped(text, b'": ')
    if found.nodes + keys > MAX_VALUES:
        return False
    decoder = _shadow_decoder()
    if decoder is None:
        return False
    try:
        shadow = decoder.decode(text)
    except msgspec.DecodeError:
        return False
    return _unescaped(msgspec.json.encode(shadow), b'":') == keys


def _unescaped(text: bytes, mark: bytes) -> int:
    """How often `mark`, which starts with a quote, occurs in JSON `text` with that quote unescaped (after
    an even number of backslashes: none, or escaped backslashes). With no backslash in the text, every
    occurrence; else, of those after at least k backslashes, the odd k taken away and the even ones added."""
    count = text.count(mark)
    if b"\\" not in text:  # (one byte: found at memchr's speed, unlike the longer mark)
        return count
    run, sign = b"\\", -1
    while (after := text.count(run + mark)):
        count += sign * after
        run, sign = run + b"\\", -sign
    return count


@cache
def _shadow_decoder() -> msgspec.json.Decoder[Any] | None:
    shadows: dict[type, Any] = {}
    try:
        fields = [(name, _shadow_of(list[cls], shadows) | None | UnsetType, UNSET)  # type: ignore[valid-type]
                  for name, cls in model.COLLECTIONS.items()]
        fields += [(name, _shadow_of(cls, shadows) | None | UnsetType, UNSET) for name, cls in model.SINGLETONS.items()]
    except TypeError:  # a type that cannot be shadowed: every file is checked while decoding its values
        return None
    return msgspec.json.Decoder(msgspec.defstruct("ShadowFile", fields, kw_only=True))


def _holds_records(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Struct):
        return True
    return any(_holds_records(arg) for arg in get_args(annotation) if arg is not Ellipsis)


def _shadow_of(annotation: Any, shadows: dict[type, Any]) -> Any:
    """The shadow of a field's type: unparsed (msgspec.Raw) where it holds no records."""
    if not _holds_records(annotation):
        return msgspec.Raw
    if isinstance(annotation, type) and issubclass(annotation, Struct):
        if annotation not in shadows:
            shadows[annotation] = None  # being built: a type that holds itself is not shadowed
            fields = [(f.encode_name, _shadow_of(f.type, shadows), UNSET) for f in msgspec.structs.fields(annotation)]
            shadows[annotation] = msgspec.defstruct(f"Shadow{annotation.__name__}", fields, kw_only=True)
        if shadows[annotation] is None:
            raise TypeError(f"{annotation.__name__} holds itself")
        return shadows[annotation]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Union or origin is types.UnionType:
        return functools.reduce(operator.or_, (_shadow_of(arg, shadows) if _holds_records(arg) else arg
                                               for arg in args))
    if origin in (list, tuple) and len(args) in (1, 2) and args[-1] in (Ellipsis, args[0]):
        return list[_shadow_of(args[0], shadows)]  # type: ignore[misc]
    raise TypeError(f"no shadow for {annotation!r}")


# ------------------------------------------------------------------ in this process
@cache
def records_type() -> type[Struct]:
    """A file as the model's records: every section optional, no other key (an unknown one is a problem)."""
    fields: list[tuple[str, Any, Any]] = [(name, list[cls] | None, None)  # type: ignore[valid-type]
                                          for name, cls in model.COLLECTIONS.items()]
    # a singleton given as null is a problem, where an empty collection is not
    fields += [(name, cls | UnsetType, UNSET) for name, cls in model.SINGLETONS.items()]
    return msgspec.defstruct("FileRecords", fields, kw_only=True, forbid_unknown_fields=True, frozen=True, gc=False)


@cache
def _decoder() -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(records_type())


def decode(file: Path, found: Found) -> YamlDoc | None:
    """The file's document with its records as its data; None when they do not decode (a problem)."""
    text, lines = found
    try:
        records = _decoder().decode(text)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    return YamlDoc(file=file, display=str(file), data=records, lines=lines)


def sections(records: Struct) -> Iterator[tuple[str, Any]]:
    """(section, its record or list of records) for each section the file has."""
    for name in model.SINGLETONS:
        value = getattr(records, name)
        if value is not UNSET:
            yield name, value
    for name in model.COLLECTIONS:
        value = getattr(records, name)
        if value is not None:
            yield name, value


def _start_worker() -> None:
    """In a worker: nothing it might print reaches the terminal (the app draws there); one rapidyaml tree
    for every file it reads."""
    global _worker_scratch
    _worker_scratch = fast_reader.Scratch()
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def _start_tracker() -> None:
    """Start the resource tracker that spawned processes need, with /dev/null for its stderr.

    It takes this process's ``sys.stderr``, which Textual replaces with an object that has no file
    descriptor (``fileno()`` is -1): starting it then fails.
    """
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        pass
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


def _decoded(file: Path, future: Future[Found | None]) -> YamlDoc | None:
    """The document of a file a worker has read; None: the loader reads it its usual way."""
    try:
        found = future.result()
    except Exception:  # a worker that died (memory, a signal): the loader reads the file itself
        return None
    return None if found is None else decode(file, found)


class Reader:
    """Large files read ahead by worker processes (or, without them, when asked for); `take` gives a file's
    records in the order the loader asks."""

    def __init__(self, files: Sequence[Path], processes: int) -> None:
        least = _min_bytes()
        self._large = {file for file in files if _size(file) >= least}
        self._futures: dict[Path, Future[Found | None]] = {}
        #: files whose records arrived (and were decoded) while the loader waited for another
        self._decoded: dict[Path, YamlDoc | None] = {}
        self._pool: ProcessPoolExecutor | None = None
        #: for the files read in this process, when there are no workers (dropped by `close`)
        self._scratch: fast_reader.Scratch | None = None
        if not processes:
            return
        # fork is the quickest start, but not safe with other threads running (the app loads in one)
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            method = "fork"
        else:
            method = "spawn"
            _start_tracker()
        self._pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(method),
                                         initializer=_start_worker)
        # in the order the loader takes them: each file's records arrive about when the loader asks for them
        # (sent longest first, the first files asked for came last, and this process decoded them all at the end)
        for file in files:
            if file in self._large:
                self._futures[file] = self._pool.submit(read_in_worker, str(file))

    def take(self, file: Path) -> YamlDoc | None:
        """The file's document with its records; None: the loader reads it its usual way."""
        if file not in self._large:
            return None
        self._large.discard(file)
        if file in self._decoded:
            return self._decoded.pop(file)
        future = self._futures.pop(file, None)
        if future is None:
            if self._scratch is None:
                self._scratch = fast_reader.Scratch()
            found = read_in_worker(str(file), self._scratch)  # no worker processes: here
            return None if found is None else decode(file, found)
        while not future.done():  # meanwhile, the files that arrive are decoded (this process would only wait)
            done, _pending = wait([future, *self._futures.values()], return_when=FIRST_COMPLETED)
            for other, arrived in [(other, arrived) for other, arrived in self._futures.items() if arrived in done]:
                del self._futures[other]
                self._decoded[other] = _decoded(other, arrived)
        return _decoded(file, future)

    def close(self) -> None:
        self._scratch = None
        self._decoded.clear()
        if self._pool is not None:
            for future in self._futures.values():
                future.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
