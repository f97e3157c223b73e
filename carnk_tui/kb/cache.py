"""Caches of validated loads, so that starting again, and reloading after an edit, are quick.

Both are kept per file, keyed by its path, size and modification time (and a hash of its bytes
when the modification time is too recent to tell two edits apart):

- `FileCache`, in memory: each file's records from the last valid load. Loading again reads only
  the files that changed, were added or removed. When no id that a record may name has gone, only
  the records read again are checked (the others passed against fewer ids); otherwise every check
  across records runs again. This is how the app reloads after one file is edited.
- a snapshot on disk: an index of the files of the last valid load, and each file's records in a
  file of their own. A start on unchanged files decodes them (no YAML is read, no check runs
  again); a start after some files changed decodes the others and reads those; an edit rewrites
  the edited file's records only (4 MB at 10,000 products, not the 68 MB of every record).

Each file's records have their repeated values shared (`interning.Sharer`) as soon as they are made,
read or decoded, so that the memory of the copies dropped serves the next file.

Only valid knowledge bases are cached; `carnk-tui validate` never reads either cache.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

from carnk_tui import __version__
from carnk_tui.kb.interning import Sharer
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import Located, assemble, load, records_of, yaml_files
from carnk_tui.kb.model import COLLECTIONS, SINGLETONS
from carnk_tui.kb.yaml_reader import YamlDoc

#: set this to keep the cache somewhere else (the tests do); set it empty to turn the cache off
CACHE_ENV = "CARNK_TUI_CACHE_DIR"
#: snapshots kept (the newest, one per list of data directories)
KEEP = 4
#: a file modified this recently (ns) may be modified again within the same clock tick: hash it too
RACY_NS = 2_000_000_000
#: the layout of the snapshot: a snapshot of another layout is not read
FORMAT = 2
#: each section of the knowledge base, in the order the loader lists them
SECTIONS = (*COLLECTIONS, *SINGLETONS)


# ------------------------------------------------------------------ per file, in memory
def _file_key(file: Path) -> tuple[int, int] | None:
    try:
        info = file.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _digest(file: Path) -> str | None:
    try:
        return hashlib.blake2b(file.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


def _where(section: str, index: int) -> tuple[str | int, ...]:
    return (section,) if section in SINGLETONS else (section, index)


@dataclass
class _Entry:
    """One file's records from the last valid load."""

    key: tuple[int, int]  # size, modification time (ns), taken before the file was read
    digest: str | None  # the bytes' hash, for a file modified within RACY_NS of being read
    doc: YamlDoc  # its values dropped; its lines (of records) kept
    #: per section, the lines of its records and the records, in the order they were read
    sections: dict[str, tuple[list[int], Sequence[Any]]]
    #: the records placed as the loader places them, when the file was file `number` of the load
    located: dict[str, list[Located]] | None = None
    number: int = -1
    #: where its records are on disk, once written there
    stored: str | None = None
    #: where each of its records with an id is: "FILE:LINE", in the order of the lines
    _origins: dict[str, str] | None = None

    def origins(self) -> dict[str, str]:
        if self._origins is None:
            lines: list[tuple[int, str]] = []
            for section_lines, records in self.sections.values():
                lines.extend((line, rid) for line, record in zip(section_lines, records, strict=True)
                             if (rid := getattr(record, "id", None)) is not None)
            display = self.doc.display
            self._origins = {rid: f"{display}:{line}" for line, rid in sorted(lines)}
        return self._origins

    def place(self, number: int) -> dict[str, list[Located]]:
        """The records as the loader places them for the file numbered `number` in the load."""
        if self.located is None or self.number != number:
            doc = self.doc
            self.located = {}
            for section, (lines, records) in self.sections.items():
                placed = self.located[section] = []
                for index, (line, record) in enumerate(zip(lines, records, strict=True)):
                    where = _where(section, index)
                    doc.lines[where] = line
                    placed.append(Located(record, doc, where, (number, line)))
            self.number = number
        return self.located


class FileCache:
    """Each file's records from the last valid load, to load again without reading unchanged files."""

    def __init__(self) -> None:
        #: held for a whole load: the app may start a reload while a previous one still runs
        self.lock = threading.Lock()
        #: one object for each repeated value, across every file's records
        self.sharer = Sharer()
        self._entries: dict[Path, _Entry] = {}
        self._read: dict[Path, tuple[tuple[int, int], str | None]] = {}  # keys of the files read this load
        #: the records of the files read this load, by document and section
        self._fresh: dict[int, dict[str, list[Located]]] = {}
        #: each section's ids in the last valid load (None: not known)
        self._ids: dict[str, set[str]] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, file: Path) -> YamlDoc | None:
        """The file's document if it is unchanged since the last valid load (its records: `reuse`)."""
        key = _file_key(file)
        entry = self._entries.get(file)
        if (key is not None and entry is not None and entry.key == key
                and (entry.digest is None or entry.digest == _digest(file))):
            return entry.doc
        if key is not None:  # about to be read: remember what it was like before the reading
            racy = time.time_ns() - key[1] < RACY_NS
            self._read[file] = (key, _digest(file) if racy else None)
        return None

    def reuse(self, doc: YamlDoc, number: int, located: dict[str, list[Located]]) -> bool:
        """Add the records of a document that `get` gave; False for a document read anew."""
        if number == 0:  # a new load
            self._fresh = {}
        entry = self._entries.get(doc.file)
        if entry is None or entry.doc is not doc:
            return False
        for section, placed in entry.place(number).items():
            located[section].extend(placed)
        return True

    def collected(self, doc: YamlDoc, number: int, located: dict[str, list[Located]]) -> None:
        """The loader has just added the records of `doc`, read anew: share their values, and note them."""
        if number == 0:  # a new load
            self._fresh = {}
        mine = self._fresh[id(doc)] = records_of(doc, located)
        share = self.sharer.share
        for placed in mine.values():
            share(loc.record for loc in placed)

    def scope(self, ids: dict[str, set[str]]) -> dict[str, list[Located]] | None:
        """The records to check, when only those read in this load need it: when each section still has
        every id it had in the last valid load (the records kept were checked against those); else None."""
        before = self._ids
        if before is None or any(not ids.get(section, set()).issuperset(known) for section, known in before.items()):
            return None
        scope: dict[str, list[Located]] = {section: [] for section in SECTIONS}
        for mine in self._fresh.values():
            for section, placed in mine.items():
                scope[section].extend(placed)
        return scope

    def remember(self, docs: list[YamlDoc], located: dict[str, list[Located]],
                 ids: dict[str, set[str]]) -> dict[str, str]:
        """After a valid load: keep each file's records and the ids of each section (files no longer there
        are forgotten). Returns where each record is ("FILE:LINE"), as the knowledge base's `origins`."""
        entries: dict[Path, _Entry] = {}
        for number, doc in enumerate(docs):
            known = self._entries.get(doc.file)
            if known is not None and known.doc is doc:
                entries[doc.file] = known
            elif doc.file in self._read:
                key, digest = self._read[doc.file]
                placed = self._fresh.get(id(doc), {})
                sections: dict[str, tuple[list[int], Sequence[Any]]] = {
                    section: ([loc.order[1] for loc in locs], [loc.record for loc in locs])
                    for section, locs in placed.items()}
                entries[doc.file] = _Entry(key, digest, doc, sections, placed, number)
        self._entries = entries
        self._ids = ids
        self._read = {}
        self._fresh = {}
        self.sharer.keep_repeated(always=False)
        return _origins(entries.values())


def _origins(entries: Iterable[_Entry]) -> dict[str, str]:
    origins: dict[str, str] = {}
    for entry in entries:
        origins.update(entry.origins())
    return origins


#: one FileCache per list of directories, for as long as the process runs (the app reloads with it)
_files: dict[tuple[str, ...], FileCache] = {}


def file_cache(dirs: list[Path]) -> FileCache:
    return _files.setdefault(tuple(str(d.resolve()) for d in dirs), FileCache())


# ------------------------------------------------------------------ on disk
class _Listed(Struct, gc=False):
    """A file of the last valid load, in the index: its key, and the name of the file holding its records."""

    path: str
    size: int
    mtime_ns: int
    digest: str | None
    stored: str


class _Index(Struct, gc=False):
    """The files of the last valid load, in the order they were read."""

    files: list[_Listed]


#: one file's records: per section its records, and the line of each
_Records = msgspec.defstruct(
    "_Records",
    [("lines", dict[str, list[int]]),
     *((name, tuple[cls, ...], ()) for name, cls in {**COLLECTIONS, **SINGLETONS}.items())],  # type: ignore[valid-type]
    gc=False, omit_defaults=True,
)
_index_decoder = msgspec.msgpack.Decoder(_Index)
_records_decoder = msgspec.msgpack.Decoder(_Records)


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("carnk-tui", appauthor=False))


def _key(dirs: list[Path]) -> str:
    """The name of the snapshot of these directories (by this version of the program and this Python)."""
    fingerprint = repr((__version__, FORMAT, sys.version, [str(d.resolve()) for d in dirs]))
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


def _stored_name(key: str, path: Path, entry: _Entry) -> str:
    """The name of the file holding a file's records: it changes when the file does."""
    fingerprint = repr((str(path), entry.key, entry.digest))
    return f"{key}-{hashlib.sha256(fingerprint.encode('utf-8')).hexdigest()[:24]}.records"


def load_cached(dirs: Iterable[Path | str], background: bool = False) -> KnowledgeBase:
    """Like `loader.load`, from the caches: the snapshot's records of unchanged files, reading only the others.

    `background`: return as soon as the data is there, and write the snapshot's changed files in a
    thread (the app does); `wait_stored` waits for it. Otherwise they are written before this returns.
    """
    paths = [Path(d) for d in dirs]
    files = file_cache(paths)
    directory = cache_dir()
    if directory is None:
        with files.lock:
            kb = load(paths, memo=files)
        kb.prepare()
        return kb
    key = _key(paths)
    with files.lock:
        started = _start(files, paths, directory, key) if not len(files) else None
        if started is not None:
            started.prepare()  # its lookups built here, in the loading thread
            return started
        kb = load(paths, memo=files)  # raises KnowledgeBaseError: nothing invalid is cached
        entries = files._entries  # replaced, never changed, by the next load: the writer may read it later
    kb.prepare()
    if background:
        writer = threading.Thread(target=_store, args=(directory, key, entries), name="carnk-tui snapshot")
        _writers.append(writer)
        writer.start()  # not a daemon: a process that ends waits for the snapshot it started
    else:
        _store(directory, key, entries)
    return kb


def _start(files: FileCache, paths: list[Path], directory: Path, key: str) -> KnowledgeBase | None:
    """A first load in this process, from the snapshot: the knowledge base if no file changed since it was
    written. Otherwise None, with the unchanged files' records in `files` (the loader reads the others)."""
    try:
        index = _index_decoder.decode((directory / f"{key}.msgpack").read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None  # not cached yet, or written by another version: load from YAML
    entries: dict[Path, _Entry] = {}
    for listed in index.files:
        path = Path(listed.path)
        entry = _Entry((listed.size, listed.mtime_ns), listed.digest,
                       YamlDoc(file=path, display=listed.path, data=None, lines={}), {}, stored=listed.stored)
        if _file_key(path) != entry.key or (entry.digest is not None and entry.digest != _digest(path)):
            continue  # changed since: the loader reads it
        try:
            stored = _records_decoder.decode((directory / listed.stored).read_bytes())
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            continue
        lines: dict[str, list[int]] = stored.lines  # type: ignore[attr-defined]
        for section, section_lines in lines.items():
            found = getattr(stored, section)
            files.sharer.share(found)
            entry.sections[section] = (section_lines, found)
        entries[path] = entry
    files._entries = entries
    files.sharer.keep_repeated()
    if len(entries) != len(index.files) or [str(p) for p in entries] != _listing(paths):
        return None
    # every file is as it was in a valid load: that load again, without reading or checking anything
    records: dict[str, list[Any]] = {section: [] for section in SECTIONS}
    for entry in entries.values():
        for section, (_lines, recs) in entry.sections.items():
            records[section].extend(recs)
    files._ids = {section: {rid for record in recs if (rid := getattr(record, "id", None)) is not None}
                  for section, recs in records.items()}
    return assemble(records, _origins(entries.values()))


def _listing(dirs: list[Path]) -> list[str] | None:
    """Every YAML file the loader would read, in its order (None if a directory is missing)."""
    out: list[str] = []
    for directory in dirs:
        if not directory.is_dir():
            return None
        out.extend(str(file) for file in yaml_files(directory))
    return out


#: snapshot writers started by `load_cached(..., background=True)`
_writers: list[threading.Thread] = []
#: one snapshot written at a time
_writing = threading.Lock()


def wait_stored(timeout: float | None = None) -> None:
    """Wait until the snapshots being written in the background are on disk."""
    for writer in list(_writers):
        writer.join(timeout)
        if not writer.is_alive():
            _writers.remove(writer)


def _write(file: Path, blob: bytes) -> None:
    partial = file.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    partial.write_bytes(blob)
    partial.replace(file)


def _store(directory: Path, key: str, entries: dict[Path, _Entry]) -> None:
    """Write the records of each file not yet on disk, then the index. Best effort: a read-only or full
    disk only costs the next start its speed."""
    with _writing:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            listed = []
            for path, entry in entries.items():
                name = entry.stored or _stored_name(key, path, entry)
                target = directory / name
                if not target.exists():
                    _write(target, _encode(entry))  # one file at a time: the interpreter's lock is released between
                entry.stored = name
                listed.append(_Listed(str(path), entry.key[0], entry.key[1], entry.digest, name))
            _write(directory / f"{key}.msgpack", msgspec.msgpack.encode(_Index(listed)))
            kept = {item.stored for item in listed}
            for old in directory.glob(f"{key}-*.records"):
                if old.name not in kept:
                    old.unlink(missing_ok=True)
            for old in sorted(directory.glob("*.msgpack"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
                for stale in directory.glob(f"{old.stem}-*.records"):
                    stale.unlink(missing_ok=True)
                old.unlink(missing_ok=True)
        except OSError:
            pass


def _encode(entry: _Entry) -> bytes:
    """One file's records, as `_Records`."""
    sections = {section: tuple(records) for section, (_lines, records) in entry.sections.items()}
    lines = {section: list(lines) for section, (lines, _records) in entry.sections.items()}
    return msgspec.msgpack.encode(_Records(lines=lines, **sections))
