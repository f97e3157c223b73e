"""Caches of validated loads, so that starting again, and reloading after an edit, are quick.

Two levels, both keyed per file by its path, size and modification time (and a hash of its bytes
when the modification time is too recent to tell two edits apart):

- `FileCache`, in memory: each file's records from the last valid load. Loading again reads only
  the files that changed, added or removed, then runs every check across records again; this is
  how the app reloads after one file is edited.
- a snapshot on disk of the whole knowledge base and of where each file's records are: a start on
  unchanged files decodes it (no YAML is read, no check runs again), and fills a `FileCache` so
  that the first reload after an edit reads only the edited file.

Only valid knowledge bases are cached; `carnk-tui validate` never reads either cache.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from msgspec import Struct

from carnk_tui import __version__
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import Located, load, stamp
from carnk_tui.kb.model import COLLECTIONS, SINGLETONS
from carnk_tui.kb.yaml_reader import YamlDoc

#: set this to keep the cache somewhere else (the tests do); set it empty to turn the cache off
CACHE_ENV = "CARNK_TUI_CACHE_DIR"
#: cached knowledge bases kept (the newest)
KEEP = 4
#: a file modified this recently (ns) may be modified again within the same clock tick: hash it too
RACY_NS = 2_000_000_000


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


@dataclass
class _Entry:
    key: tuple[int, int]  # size, modification time (ns), taken before the file was read
    digest: str | None  # the bytes' hash, for a file modified within RACY_NS of being read
    doc: YamlDoc  # its values dropped; its lines (of records) kept
    #: (section, path, line, record) in the order they were read
    records: list[tuple[str, tuple[str | int, ...], int, Struct]] = field(default_factory=list)


class FileCache:
    """Each file's records from the last valid load, to load again without reading unchanged files."""

    def __init__(self) -> None:
        #: held for a whole load: the app may start a reload while a previous one still runs
        self.lock = threading.Lock()
        self._entries: dict[Path, _Entry] = {}
        self._read: dict[Path, tuple[tuple[int, int], str | None]] = {}  # keys of the files read this load

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
        entry = self._entries.get(doc.file)
        if entry is None or entry.doc is not doc:
            return False
        for section, path, line, record in entry.records:
            located[section].append(Located(record, doc, path, (number, line)))
        return True

    def remember(self, docs: list[YamlDoc], located: dict[str, list[Located]]) -> None:
        """After a valid load: keep each file's records (files no longer there are forgotten)."""
        entries: dict[Path, _Entry] = {}
        for doc in docs:
            known = self._entries.get(doc.file)
            if known is not None and known.doc is doc:
                entries[doc.file] = known
            elif doc.file in self._read:
                key, digest = self._read[doc.file]
                entries[doc.file] = _Entry(key, digest, doc)
        fresh = {id(entry.doc): entry for entry in entries.values() if not entry.records}
        for section, locs in located.items():
            for loc in locs:
                entry = fresh.get(id(loc.doc))
                if entry is not None:
                    entry.records.append((section, loc.path, loc.order[1], loc.record))
        self._entries = entries
        self._read = {}


#: one FileCache per list of directories, for as long as the process runs (the app reloads with it)
_files: dict[tuple[str, ...], FileCache] = {}


def file_cache(dirs: list[Path]) -> FileCache:
    return _files.setdefault(tuple(str(d.resolve()) for d in dirs), FileCache())


# ------------------------------------------------------------------ the whole knowledge base, on disk
class _FileRecords(Struct, gc=False):
    """Where a file's records are in the snapshot: per section, the lines of its records, in order."""

    path: str
    size: int
    mtime_ns: int
    digest: str | None
    lines: dict[str, list[int]]


#: what the snapshot holds: every section of the knowledge base, where each record was written, and
#: which records each file holds
_Snapshot = msgspec.defstruct(
    "_Snapshot",
    [*SINGLETONS.items(), *((name, tuple[cls, ...]) for name, cls in COLLECTIONS.items()),  # type: ignore[valid-type]
     ("origins", dict[str, str]),
     ("files", list[_FileRecords])],
    gc=False,
)
_decoder = msgspec.msgpack.Decoder(_Snapshot)


def cache_dir() -> Path | None:
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("carnk-tui", appauthor=False))


def _key(dirs: list[Path]) -> str:
    fingerprint = repr((__version__, [str(d.resolve()) for d in dirs], stamp(dirs)))
    return hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32]


def load_cached(dirs: Iterable[Path | str], background: bool = False) -> KnowledgeBase:
    """Like `loader.load`, from the caches: the snapshot when no file changed, else reading only changed files.

    `background`: return as soon as the data is there, and write the new snapshot in a thread (the
    app does, so that a reload is not held up by the 60 MB snapshot of a base of 10,000 products);
    `wait_stored` waits for it. Otherwise the snapshot is written before this returns.
    """
    paths = [Path(d) for d in dirs]
    files = file_cache(paths)
    directory = cache_dir()
    if directory is None:
        with files.lock:
            return load(paths, memo=files)
    file = directory / f"{_key(paths)}.msgpack"
    try:
        snapshot = _decoder.decode(file.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass  # not cached yet, or written by another version: load from YAML
    else:
        fields = {f: getattr(snapshot, f) for f in snapshot.__struct_fields__ if f != "files"}
        kb = KnowledgeBase(**fields)
        with files.lock:
            if not len(files):
                _fill(files, kb, snapshot.files)  # type: ignore[attr-defined]
        return kb
    with files.lock:
        kb = load(paths, memo=files)  # raises KnowledgeBaseError: nothing invalid is cached
        entries = files._entries  # replaced, never changed, by the next load: the writer may read it later
    if background:
        writer = threading.Thread(target=_store, args=(directory, file, kb, entries), name="carnk-tui snapshot")
        _writers.append(writer)
        writer.start()  # not a daemon: a process that ends waits for the snapshot it started
    else:
        _store(directory, file, kb, entries)
    return kb


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


def _fill(files: FileCache, kb: KnowledgeBase, stored: list[_FileRecords]) -> None:
    """A FileCache from a snapshot: each file's records, taken in order from the knowledge base's sections.

    Not when registry studies were read: the loader lays their readings over trials and drops the
    studies it linked, so the knowledge base no longer holds each file's own records (the first
    reload then reads every file, and keeps them).
    """
    totals: dict[str, int] = {}
    for info in stored:
        for section, lines in info.lines.items():
            totals[section] = totals.get(section, 0) + len(lines)
    if totals.get("registry_studies") or any(
            count != (1 if section in SINGLETONS else len(getattr(kb, section))) for section, count in totals.items()):
        return
    taken = dict.fromkeys((*COLLECTIONS, *SINGLETONS), 0)
    entries: dict[Path, _Entry] = {}
    for info in stored:
        path = Path(info.path)
        doc = YamlDoc(file=path, display=info.path, data=None, lines={})
        entry = _Entry((info.size, info.mtime_ns), info.digest, doc)
        for section, lines in info.lines.items():
            for index, line in enumerate(lines):
                where: tuple[str | int, ...]
                if section in SINGLETONS:
                    record, where = getattr(kb, section), (section,)
                else:
                    record, where = getattr(kb, section)[taken[section]], (section, index)
                taken[section] += 1
                doc.lines[where] = line
                entry.records.append((section, where, line, record))
        entries[path] = entry
    files._entries = entries


def _stored_files(entries: dict[Path, _Entry]) -> list[_FileRecords]:
    out = []
    for path, entry in entries.items():
        lines: dict[str, list[int]] = {}
        for section, _where, line, _record in entry.records:
            lines.setdefault(section, []).append(line)
        out.append(_FileRecords(str(path), entry.key[0], entry.key[1], entry.digest, lines))
    return out


def _store(directory: Path, file: Path, kb: KnowledgeBase, entries: dict[Path, _Entry]) -> None:
    """Best effort: a read-only or full disk only costs the next start its speed."""
    with _writing:
        try:
            blob = b"".join(_encode(kb, _stored_files(entries)))
            directory.mkdir(parents=True, exist_ok=True)
            partial = file.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(blob)
            partial.replace(file)
            for old in sorted(directory.glob("*.msgpack"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
                old.unlink(missing_ok=True)
        except OSError:
            pass


#: records encoded per call: msgspec holds the interpreter's lock while it encodes, so a snapshot
#: written in the background is encoded in slices of a few milliseconds (the app's screen stays live)
CHUNK = 256


def _header(small: int, codes: bytes, n: int) -> bytes:
    """A MessagePack array or map header for `n` items (`small`: the fix- form's base byte)."""
    if n < 16:
        return bytes([small | n])
    if n < 1 << 16:
        return codes[:1] + n.to_bytes(2, "big")
    return codes[1:] + n.to_bytes(4, "big")


def _array(n: int) -> bytes:
    return _header(0x90, b"\xdc\xdd", n)


def _encode(kb: KnowledgeBase, files: list[_FileRecords]) -> Iterator[bytes]:
    """The bytes of `_Snapshot(...)` exactly as msgspec encodes it, made a slice of records at a time."""
    encode = msgspec.msgpack.encode
    names = _Snapshot.__struct_fields__
    yield _header(0x80, b"\xde\xdf", len(names))
    for name in names:
        yield encode(name)
        if name not in COLLECTIONS:
            yield encode(files if name == "files" else kb.origins if name == "origins" else getattr(kb, name))
            continue
        value: tuple[Struct, ...] = getattr(kb, name)
        yield _array(len(value))
        for start in range(0, len(value), CHUNK):
            part = value[start:start + CHUNK]
            blob = encode(part)
            yield blob[len(_array(len(part))):]  # the records without the slice's own header
