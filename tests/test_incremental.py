"""Incremental loading: after a valid load, loading again reads only the files that changed (by path,
size and modification time, and a hash of the bytes when the time cannot tell), then runs every
check across records again; the result always equals a full load."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from carnk_tui.kb import cache as cache_module
from carnk_tui.kb import loader
from carnk_tui.kb.cache import FileCache, cache_dir, load_cached
from carnk_tui.kb.loader import load
from carnk_tui.kb.problems import KnowledgeBaseError
from tests.kbtools import BASE, MINIMAL, edit, line_of

EXTRA_COMPANY = """companies:
  - id: newco
    sources: [src-a]
    name: NewCo
    camp: camp-one
    summary: {zh: 新公司, en: A new company}
"""
EXTRA_PRODUCT = """products:
  - id: newco-1
    sources: [src-a]
    name: NC-1
    company: newco
    targets: [CD19]
    cell_source: ipsc
    modality: car-nk
    stage: preclinical
    summary: {zh: 新产品, en: A new product}
"""


def three_files(tmp_path: Path) -> Path:
    """The minimal knowledge base and two more files (a company and its product), in `tmp_path`/kb."""
    target = tmp_path / "kb"
    shutil.copytree(MINIMAL, target)
    (target / "more-companies.yaml").write_text(EXTRA_COMPANY, encoding="utf-8")
    (target / "more-products.yaml").write_text(EXTRA_PRODUCT, encoding="utf-8")
    return target


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """The minimal knowledge base and two more files: three files to read."""
    target = three_files(tmp_path)
    load([target])  # the fixture is valid
    return target


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader parses, in order."""
    names: list[str] = []
    real = loader.read_yaml

    def counting(file: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        names.append(file.name)
        return real(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "read_yaml", counting)
    return names


def set_mtime_back(file: Path, seconds: float = 10.0) -> None:
    """Make the file look as if it was written `seconds` ago (outside the window where times are doubted)."""
    info = file.stat()
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns - int(seconds * 1e9)))


def assert_equal_to_a_full_load(kb, kb_dir: Path) -> None:  # type: ignore[no-untyped-def]
    full = load([kb_dir])
    assert kb == full
    assert kb.origins == full.origins


def test_editing_one_file_reads_that_file_only(kb_dir: Path, reads: list[str]) -> None:
    memo = FileCache()
    first = load([kb_dir], memo)
    assert sorted(reads) == ["base.yaml", "more-companies.yaml", "more-products.yaml"]
    assert_equal_to_a_full_load(first, kb_dir)

    reads.clear()
    again = load([kb_dir], memo)
    assert reads == []  # nothing changed: nothing parsed
    assert again == first and again.origins == first.origins

    text = edit(kb_dir / "more-products.yaml", "name: NC-1", "name: NC-1 renamed\n    aliases: [NC1]")
    reads.clear()
    edited = load([kb_dir], memo)
    assert reads == ["more-products.yaml"]
    assert edited.get("newco-1").name == "NC-1 renamed"
    assert edited.origins["newco-1"].endswith(f"more-products.yaml:{line_of(text, '- id: newco-1')}")
    assert_equal_to_a_full_load(edited, kb_dir)


def test_references_are_checked_again_across_unread_files(kb_dir: Path, reads: list[str]) -> None:
    """The edited file removes a company that an unchanged file's product names: the problem is found."""
    memo = FileCache()
    load([kb_dir], memo)
    (kb_dir / "more-companies.yaml").write_text(EXTRA_COMPANY.replace("id: newco", "id: otherco"), encoding="utf-8")
    reads.clear()
    with pytest.raises(KnowledgeBaseError) as caught:
        load([kb_dir], memo)
    with pytest.raises(KnowledgeBaseError) as full:
        load([kb_dir])
    assert [str(p) for p in caught.value.problems] == [str(p) for p in full.value.problems]
    assert any("'newco' is not the id of companies" in str(p) for p in caught.value.problems)
    # fixed again: the last valid load's records are still there for the unchanged files
    (kb_dir / "more-companies.yaml").write_text(EXTRA_COMPANY, encoding="utf-8")
    reads.clear()
    fixed = load([kb_dir], memo)
    assert "base.yaml" not in reads
    assert_equal_to_a_full_load(fixed, kb_dir)


def test_added_and_removed_files(kb_dir: Path, reads: list[str]) -> None:
    memo = FileCache()
    load([kb_dir], memo)
    (kb_dir / "more-products.yaml").unlink()
    (kb_dir / "more-companies.yaml").rename(kb_dir / "zz-companies.yaml")
    reads.clear()
    kb = load([kb_dir], memo)
    assert reads == ["zz-companies.yaml"]  # a renamed file is another path: read again
    assert "newco-1" not in kb.origins
    assert_equal_to_a_full_load(kb, kb_dir)


def test_an_edit_that_keeps_size_and_time_is_caught_by_the_hash(kb_dir: Path, reads: list[str]) -> None:
    """Written twice within one tick of the file system's clock: same size, same time, other bytes."""
    memo = FileCache()
    base = kb_dir / BASE
    os.utime(base)  # just written
    before = base.stat()
    load([kb_dir], memo)  # read right after it was written: its hash is kept
    text = base.read_text(encoding="utf-8")
    assert "Acme Bio" in text
    base.write_text(text.replace("Acme Bio", "Acme Bix"), encoding="utf-8")
    os.utime(base, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert base.stat().st_size == before.st_size and base.stat().st_mtime_ns == before.st_mtime_ns
    reads.clear()
    kb = load([kb_dir], memo)
    assert reads == [BASE]
    assert kb.get("acme").name == "Acme Bix"


def test_a_touched_file_is_read_again_and_gives_the_same_records(kb_dir: Path, reads: list[str]) -> None:
    for file in kb_dir.iterdir():
        set_mtime_back(file)
    memo = FileCache()
    first = load([kb_dir], memo)
    os.utime(kb_dir / "more-companies.yaml")
    reads.clear()
    again = load([kb_dir], memo)
    assert reads == ["more-companies.yaml"]
    assert again == first and again.origins == first.origins


def test_a_start_from_the_snapshot_then_an_edit_reads_the_edited_file_only(kb_dir: Path, reads: list[str],
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """As the app does: start from the cache on disk (a new process: no records in memory), then
    reload after one file is edited."""
    for file in kb_dir.iterdir():
        set_mtime_back(file)
    first = load_cached([kb_dir])
    assert len(list(cache_dir().glob("*.msgpack"))) == 1
    monkeypatch.setattr(cache_module, "_files", {})  # a new process
    reads.clear()
    started = load_cached([kb_dir])
    assert reads == []
    assert started == first and started.origins == first.origins
    text = edit(kb_dir / BASE, "name: Acme Bio", "name: Acme Edited")
    reads.clear()
    reloaded = load_cached([kb_dir])
    assert reads == [BASE]
    assert reloaded.get("acme").name == "Acme Edited"
    assert reloaded.origins["acme"].endswith(f"{BASE}:{line_of(text, '- id: acme')}")
    assert_equal_to_a_full_load(reloaded, kb_dir)


# the snapshot written in the background: tests/test_cache_memory.py
