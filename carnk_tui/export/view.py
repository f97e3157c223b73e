"""`e` in the app: write what the user chose — some records or the whole landscape, in one format — to a file.

The export dialog only collects the choices; this module decides what each format contains and writes
it. A file that exists is replaced only when the caller says so (`overwrite`), never silently.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from pathlib import Path

import msgspec
from msgspec import Struct

from carnk_tui.kb import model
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, Product, text
from carnk_tui.views.format import colon
from carnk_tui.views.i18n import t

#: format -> file suffix, in the order the dialog offers them
SUFFIXES: dict[str, str] = {"md": ".md", "csv": ".csv", "json": ".json"}
#: format -> the name a reader knows it by (the same in both languages)
FORMAT_NAMES: dict[str, str] = {"md": "Markdown", "csv": "CSV", "json": "JSON"}


def default_directory() -> Path:
    """Where an export goes unless the user says otherwise: their documents folder, else the current directory."""
    from platformdirs import user_documents_path

    documents = user_documents_path()
    return documents if documents.is_dir() else Path.cwd()


def file_stem(*parts: str) -> str:
    """A file name stem safe on every system: carnk-ft596-en (anything but letters, digits, . _ - becomes -)."""
    joined = "-".join(p for p in ("carnk", *parts) if p)
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", joined)).strip("-.") or "carnk"


def formats_for(kb: KnowledgeBase, ids: list[str] | None) -> tuple[str, ...]:
    """The formats that make sense for these records (None: the whole landscape).

    CSV is the products table, so it is offered only when every record is a product; JSON holds
    records, so a node that is not one (the registry branch) is written only as Markdown."""
    if ids is None:
        return ("md", "csv", "json")
    records = [kb.get(i) for i in ids]
    if not records or any(r is None for r in records):
        return ("md",)
    if all(isinstance(r, Product) for r in records):
        return ("md", "csv", "json")
    return ("md", "json")


def exportable(kb: KnowledgeBase, key: str) -> bool:
    """A record of `kb`, or a node of the registry branch (which has a detail but is no record)."""
    from carnk_tui.views.registry_overview import detail_for_key

    return kb.get(key) is not None or detail_for_key(key, kb, "en") is not None


def _detail_markdown(key: str, kb: KnowledgeBase, lang: Lang, level: int) -> list[str]:
    from carnk_tui.export.markdown import detail_markdown
    from carnk_tui.views.details import describe
    from carnk_tui.views.registry_overview import detail_for_key

    record = kb.get(key)
    detail = describe(record, kb, lang) if record is not None else detail_for_key(key, kb, lang)
    return [] if detail is None else detail_markdown(detail, level=level, lang=lang)


def _records_json(records: list[Struct]) -> str:
    """The records grouped by collection, as the whole-landscape JSON groups them."""
    collection_of = {cls: name for name, cls in model.COLLECTIONS.items()}
    collection_of.update({cls: name for name, cls in model.SINGLETONS.items()})
    sections: dict[str, list[Struct]] = {}
    for record in records:
        sections.setdefault(collection_of.get(type(record), type(record).__name__.lower()), []).append(record)
    return msgspec.json.format(msgspec.json.encode(sections), indent=2).decode("utf-8") + "\n"


def render_export(kb: KnowledgeBase, lang: Lang, fmt: str, ids: list[str] | None,
                  columns: Sequence[str] | None = None) -> str:
    """The text of an export: the records `ids` in the order given (None: the whole landscape) in `fmt`.

    `columns`: products as CSV in these Compare columns, as the table shows them (else the products table
    with every column and the ids)."""
    if fmt not in SUFFIXES:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(SUFFIXES)}")
    if ids is None:
        from carnk_tui.export import render

        return render(kb, fmt, lang)
    if fmt not in formats_for(kb, ids):
        raise ValueError(f"{FORMAT_NAMES[fmt]} cannot hold these records")
    if fmt == "csv" and columns:
        from carnk_tui.views.compare import compare_csv

        return compare_csv(kb, lang, ids, columns)
    if fmt == "csv":
        from carnk_tui.export.csv_export import to_csv

        return to_csv(kb, lang, [p for p in (kb.get(i) for i in ids) if isinstance(p, Product)])
    if fmt == "json":
        return _records_json([r for r in (kb.get(i) for i in ids) if r is not None])
    if len(ids) == 1:
        return "\n".join(_detail_markdown(ids[0], kb, lang, level=1)).rstrip("\n") + "\n"
    out = [f"# {text(kb.meta.title, lang)}", "", f"{t('as_of', lang)}{colon(lang)}{kb.meta.as_of}", ""]
    for key in ids:
        out += _detail_markdown(key, kb, lang, level=2)
    return "\n".join(out).rstrip("\n") + "\n"


def write_export(kb: KnowledgeBase, lang: Lang, fmt: str, ids: list[str] | None, path: Path,
                 overwrite: bool = False, columns: Sequence[str] | None = None) -> Path:
    """Write `render_export(kb, lang, fmt, ids, columns)` to `path` and return it.

    An existing file raises FileExistsError unless `overwrite`; a folder that is missing or not
    writable raises the OSError the system gives (nothing is created on the way)."""
    content = render_export(kb, lang, fmt, ids, columns)
    with path.open("w" if overwrite else "x", encoding="utf-8", newline="") as out:
        out.write(content)
    return path


#: errno -> the interface string that says it in a reader's words
_ERRORS = {
    errno.ENOENT: "export.err.no_folder",
    errno.EACCES: "export.err.denied",
    errno.EPERM: "export.err.denied",
    errno.EROFS: "export.err.read_only",
    errno.ENOSPC: "export.err.full",
    errno.EISDIR: "export.err.is_folder",
    errno.ENOTDIR: "export.err.not_folder",
}


def export_error(error: OSError, path: Path, lang: Lang) -> str:
    """Why a file could not be written, in the interface language (the system's words for a rare error)."""
    key = _ERRORS.get(error.errno or 0)
    reason = t(key, lang) if key else (error.strerror or str(error))
    return t("export.failed", lang, path=str(path), error=reason)
