"""A cache of validated knowledge bases, so that starting again on unchanged files is quick.

The key is the package version and every YAML file's path, size and modification time: editing,
adding or removing a file misses the cache and loads (and validates) from YAML again. Only valid
knowledge bases are cached; `carnk-tui validate` never reads the cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

import msgspec

from carnk_tui import __version__
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import load, stamp
from carnk_tui.kb.model import COLLECTIONS, SINGLETONS

#: set this to keep the cache somewhere else (the tests do); set it empty to turn the cache off
CACHE_ENV = "CARNK_TUI_CACHE_DIR"
#: cached knowledge bases kept (the newest)
KEEP = 4

#: what the cache holds: every section of the knowledge base, and where each record was written
_Snapshot = msgspec.defstruct(
    "_Snapshot",
    [*SINGLETONS.items(), *((name, tuple[cls, ...]) for name, cls in COLLECTIONS.items()), ("origins", dict[str, str])],
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


def load_cached(dirs: Iterable[Path | str]) -> KnowledgeBase:
    """Like `loader.load`, from the cache when the files have not changed since a valid load."""
    paths = [Path(d) for d in dirs]
    directory = cache_dir()
    if directory is None:
        return load(paths)
    file = directory / f"{_key(paths)}.msgpack"
    try:
        snapshot = _decoder.decode(file.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass  # not cached yet, or written by another version: load from YAML
    else:
        fields = {f: getattr(snapshot, f) for f in snapshot.__struct_fields__}
        return KnowledgeBase(**fields)
    kb = load(paths)  # raises KnowledgeBaseError: nothing invalid is cached
    _store(directory, file, kb)
    return kb


def _store(directory: Path, file: Path, kb: KnowledgeBase) -> None:
    """Best effort: a read-only or full disk only costs the next start its speed."""
    snapshot = _Snapshot(origins=kb.origins, **{f: getattr(kb, f) for f in _Snapshot.__struct_fields__
                                                if f != "origins"})
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = file.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(msgspec.msgpack.encode(snapshot))
        partial.replace(file)
        for old in sorted(directory.glob("*.msgpack"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
