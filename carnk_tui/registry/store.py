"""The registry directory: imported records (``registry-NNN.yaml``), changes (``registry-changes-NNN.yaml``, and
the import log ``changes.json``).

It is written whole into a temporary directory beside it and swapped in only when everything is
written and checked, so a failed import leaves the previous directory as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from json.encoder import encode_basestring

import msgspec
import yaml

from carnk_tui.registry.changes import Change, Snapshot

RECORDS_FILE = "registry-001.yaml"  # the first of them: an import has written the directory when it exists
RECORDS_GLOB = "registry-*.yaml"
CHANGES_FILE = "changes.json"
#: studies per file (the loader reads files of bounded size)
CHUNK = 500
HEADER = ("# Studies imported from ClinicalTrials.gov by `carnk-tui import ctgov`.\n"
          "# Written again by every import: edit the curated knowledge base instead.\n")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StoreError(Exception):
    """The registry directory cannot be read or written; the message names it."""


@dataclass
class ImportEntry:
    as_of: str
    files: list[str]
    studies: int
    changes: int


@dataclass
class History:
    imports: list[ImportEntry] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def latest(self) -> list[Change]:
        """The changes the last import recorded."""
        if not self.imports:
            return []
        n = self.imports[-1].changes
        return self.changes[len(self.changes) - n:] if n else []


_history_decoder = msgspec.json.Decoder(History)


def _ours(name: str) -> bool:
    return name == CHANGES_FILE or (name.startswith("registry-") and name.endswith(".yaml"))


def is_registry_dir(directory: Path) -> bool:
    """True when `directory` is missing, empty, or holds only what an import writes."""
    if not directory.exists():
        return True
    if not directory.is_dir():
        return False
    return all(_ours(entry.name) for entry in directory.iterdir())


def read_sections(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Every section an earlier import wrote, its files' records concatenated (nothing when there was none)."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for file in sorted(directory.glob(RECORDS_GLOB)):
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise StoreError(f"{file}: cannot be read ({error}); move the directory away to import afresh") from None
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise StoreError(f"{file}: not what an import writes; move the directory away to import afresh")
        for key, value in data.items():
            sections.setdefault(key, []).extend(value)
    studies = sections.get("registry_studies", [])
    if not all(isinstance(s, dict) and isinstance(s.get("registry"), dict) for s in studies):
        raise StoreError(f"{directory}: 'registry_studies' is not a list of studies; move it away to import afresh")
    return sections


def read_records(directory: Path) -> list[dict[str, Any]]:
    """The ``registry_studies`` records an earlier import wrote (none when there was none)."""
    return read_sections(directory).get("registry_studies", [])


def snapshot(record: dict[str, Any]) -> Snapshot:
    """What is compared of a ``registry`` value (a study's or a curated trial's)."""
    return Snapshot(registry_id=record["registry_id"], as_of=str(record.get("as_of", "")), title=record.get("title"),
                    status=record.get("status"), phase=record.get("phase"), enrollment=record.get("enrollment"))


def read_history(directory: Path) -> History:
    file = directory / CHANGES_FILE
    if not file.exists():
        return History()
    try:
        return _history_decoder.decode(file.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as error:
        raise StoreError(f"{file}: cannot be read ({error}); move it away to start the history afresh") from None


#: JSON's quoting of a string (its escapes are YAML's), as the json module does it
_quote = encode_basestring
#: characters YAML does not allow raw in a file, or reads as line breaks: written as escapes
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _scalar(value: Any) -> str:
    """A YAML scalar: text double-quoted (JSON's escapes are YAML's), numbers and booleans plain."""
    if isinstance(value, str):
        quoted = _quote(value)
        return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted) if _UNSAFE.search(quoted) else quoted
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    return _quote(str(value))


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """A mapping's keys in block style; lists of scalars and small mappings of text in flow style."""
    for key, item in value.items():
        if isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
            out.append(f"{indent}{key}: {{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in item.items()) + "}")
        elif isinstance(item, dict):
            out.append(f"{indent}{key}:")
            _emit(item, indent + "  ", out)
        elif isinstance(item, list):
            out.append(f"{indent}{key}: [" + ", ".join(_scalar(v) for v in item) + "]")
        else:
            out.append(f"{indent}{key}: {_scalar(item)}")


def _dump(sections: dict[str, list[dict[str, Any]]]) -> str:
    """YAML of sections of records (written directly: the records are plain and this is many times quicker)."""
    out = [HEADER.rstrip("\n")]
    for name, records in sections.items():
        if not records:
            continue
        out.append(f"{name}:")
        for record in records:
            lines: list[str] = []
            _emit(record, "    ", lines)
            out.append("  - " + lines[0][4:])
            out.extend(lines[1:])
    return "\n".join(out) + "\n"


def render_records(sponsors: list[dict[str, Any]], studies: list[dict[str, Any]],
                   sources: list[dict[str, Any]]) -> dict[str, str]:
    """The record files: the studies CHUNK at a time, each file with the sources its studies cite; the sponsors."""
    by_id = {s["id"]: s for s in sources}
    files: dict[str, str] = {}
    chunks = [studies[i:i + CHUNK] for i in range(0, len(studies), CHUNK)] or [[]]
    cited: set[str] = set()
    for number, chunk in enumerate(chunks, start=1):
        own = []
        for study in chunk:
            for source_id in study.get("sources", ()):
                if source_id in by_id and source_id not in cited:
                    cited.add(source_id)
                    own.append(by_id[source_id])
        files[f"registry-{number:03d}.yaml"] = _dump({"sources": own, "registry_studies": chunk})
    sponsor_chunks = [sponsors[i:i + CHUNK * 4] for i in range(0, len(sponsors), CHUNK * 4)]
    for number, chunk in enumerate(sponsor_chunks, start=1):
        files[f"registry-sponsors-{number:03d}.yaml"] = _dump({"registry_sponsors": chunk})
    return files


def render_history(history: History) -> bytes:
    return msgspec.json.format(msgspec.json.encode(history), indent=1)


def render_changes(history: History) -> dict[str, str]:
    """Every change of the history as ``registry_changes`` records (for the app), CHUNK * 4 a file."""
    records: list[dict[str, Any]] = []
    position = 0
    for number, entry in enumerate(history.imports, start=1):
        for change in history.changes[position:position + entry.changes]:
            record = {"registry_id": change.registry_id, "change": change.kind, "before": change.before,
                      "after": change.after, "before_as_of": change.before_as_of, "after_as_of": change.after_as_of,
                      "title": change.title, "import_number": number}
            records.append({k: v for k, v in record.items() if v is not None})
        position += entry.changes
    size = CHUNK * 4
    return {f"registry-changes-{n // size + 1:03d}.yaml": _dump({"registry_changes": records[n:n + size]})
            for n in range(0, len(records), size)}


def replace_dir(target: Path, files: dict[str, str | bytes], check: Callable[[Path], None] | None = None) -> None:
    """Make `target` hold exactly `files`: write them beside it, run `check` on the new directory, swap.

    If writing or `check` fails, `target` is left as it was and the exception propagates.
    """
    target = Path(os.path.abspath(target))
    if not is_registry_dir(target):
        raise StoreError(f"{target} holds other files than an import writes (registry-*.yaml, {CHANGES_FILE}); "
                         "choose an empty or new directory")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    except OSError as error:
        raise StoreError(f"{parent}: cannot write here ({error.strerror or error})") from None
    try:
        for name, content in files.items():
            path = fresh / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        if check is not None:
            check(fresh)
        if target.exists():
            old = parent / f".{target.name}.old-{os.getpid()}"
            target.rename(old)
            try:
                fresh.rename(target)
            except OSError:
                old.rename(target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            fresh.rename(target)
    except OSError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise StoreError(f"{target}: cannot be written ({error.strerror or error}); it is left as it was") from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
