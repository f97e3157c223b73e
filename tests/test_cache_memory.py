"""Less memory and quicker reloads: repeated values shared, a snapshot per file, checks of the records read again.

- Sharing (`kb/interning.py`) changes no value, only how many objects hold them: the records of a
  load that shares equal a load that does not, field for field, and equal values are one object.
- The snapshot on disk keeps each file's records apart: an edit rewrites the edited file's records
  only, and a start after an edit reads only the edited file.
- After an edit, when no id has gone, only the records read again are checked; a reference to a
  missing record, or an id given twice, is still reported, and when an id has gone every record is
  checked again.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import Struct

from carnk_tui.kb import cache as cache_module
from carnk_tui.kb import loader
from carnk_tui.kb.cache import FileCache, cache_dir, load_cached
from carnk_tui.kb.interning import Sharer
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.kb.model import COLLECTIONS, SINGLETONS, Bilingual, Cohort
from carnk_tui.kb.problems import KnowledgeBaseError
from tests.kbtools import BASE, MINIMAL, edit
from tests.test_incremental import EXTRA_PRODUCT, reads, set_mtime_back, three_files  # noqa: F401 (fixture)

JSON_FILE = Path(__file__).parent / "fixtures" / "ctgov" / "ctgov-studies.json"


def made(text: str) -> str:
    """A string object of its own (a literal in the source is one object wherever it is written)."""
    return "".join(list(text))


def records(kb: KnowledgeBase) -> list[Struct]:
    return [*(record for name in COLLECTIONS for record in getattr(kb, name)),
            *(getattr(kb, name) for name in SINGLETONS)]


def strings(value: Any) -> list[str]:
    """Every string within a record, in order (the same string object may come several times)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in strings(item)]
    if isinstance(value, Struct):
        return [s for name in value.__struct_fields__ for s in strings(getattr(value, name))]
    return []


def distinct_objects(kb: KnowledgeBase) -> tuple[int, int]:
    """How many strings the records hold, and how many string objects hold them."""
    found = [s for record in records(kb) for s in strings(record)]
    return len(found), len({id(s) for s in found})


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """The minimal knowledge base and two more files, written a while ago (their times are trusted)."""
    target = three_files(tmp_path)
    for file in target.iterdir():
        set_mtime_back(file)
    return target


def assert_same(kb: KnowledgeBase, other: KnowledgeBase) -> None:
    assert kb == other
    assert kb.origins == other.origins
    for mine, theirs in zip(records(kb), records(other), strict=True):
        assert msgspec.to_builtins(mine) == msgspec.to_builtins(theirs)


# ------------------------------------------------------------------ sharing
def test_the_sharer_makes_equal_values_one_object_and_changes_none() -> None:
    first = Cohort(id=made("c1"), label=Bilingual(made("第一组"), made("first group")), n=3)
    second = Cohort(id=made("c1"), label=Bilingual(made("第一组"), made("first group")))
    third = Cohort(id=made("c2"), label=Bilingual(made("第二组"), made("first group")))
    before = [msgspec.to_builtins(c) for c in (first, second, third)]
    assert first.id is not second.id and first.label is not second.label
    sharer = Sharer()
    sharer.share([first, second, third])
    assert [msgspec.to_builtins(c) for c in (first, second, third)] == before
    assert first.id is second.id
    assert first.label is second.label  # the whole bilingual text
    assert third.label.en is first.label.en  # a string shared between two texts that differ


def test_the_sharer_forgets_values_held_in_one_place_only() -> None:
    """Kept from one load to the next, the table keeps only what a file read again could share."""
    first = Cohort(id=made("c1"), label=Bilingual(made("一"), made("one")))
    second = Cohort(id=made("c1"), label=Bilingual(made("二"), made("two")))
    sharer = Sharer()
    sharer.share([first, second])
    sharer.keep_repeated()
    later = Cohort(id=made("c1"), label=Bilingual(made("二"), made("two")))
    sharer.share([later])
    assert later.id is first.id  # held by two records: still shared
    assert later.label is not second.label  # held by one record only: forgotten
    assert later.label == second.label


@pytest.mark.parametrize("source", ["minimal", "bundled"])
def test_a_load_that_shares_gives_the_same_records(source: str, tmp_path: Path) -> None:
    directory = MINIMAL if source == "minimal" else bundled_data_dir()
    plain = load([directory], share=False)  # as `carnk-tui validate` loads: nothing is kept
    for shared in (load([directory]), load([directory], FileCache())):
        assert_same(shared, plain)
        if source == "bundled":
            held, objects = distinct_objects(shared)
            plain_held, plain_objects = distinct_objects(plain)
            assert held == plain_held
            assert objects < plain_objects * 0.7  # the bundled data repeats ids, dates and notes


def test_a_start_from_the_snapshot_shares_and_gives_the_same_records(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "kb"
    shutil.copytree(bundled_data_dir(), data)
    for file in data.rglob("*.y*ml"):
        set_mtime_back(file)
    load_cached([data])
    monkeypatch.setattr(cache_module, "_files", {})  # a new process
    started = load_cached([data])
    full = load([data])
    assert_same(started, full)
    assert distinct_objects(started)[1] < distinct_objects(load([data], share=False))[1] * 0.7


def test_registry_readings_are_laid_over_trials_after_a_start_from_the_snapshot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Each file's own records are on disk; the studies linked to curated trials are laid over them again."""
    from carnk_tui.cli import main

    registry = tmp_path / "registry"
    assert main(["import", "ctgov", str(JSON_FILE), "--out", str(registry), "--as-of", "2026-11-20"]) in (0, None)
    capsys.readouterr()
    dirs = [bundled_data_dir(), registry]
    for file in registry.rglob("*.y*ml"):
        set_mtime_back(file)
    first = load_cached(dirs)
    assert first.registry_studies and first.get("trial-ft596-phase1").registry.as_of == "2026-11-20"
    monkeypatch.setattr(cache_module, "_files", {})
    started = load_cached(dirs)
    assert_same(started, load(dirs))
    assert_same(first, started)


# ------------------------------------------------------------------ the snapshot, file by file
def stored_files() -> dict[str, float]:
    directory = cache_dir()
    assert directory is not None
    return {file.name: file.stat().st_mtime_ns for file in directory.glob("*.records")}


def test_an_edit_rewrites_the_edited_files_records_only(kb_dir: Path, reads: list[str],  # noqa: F811
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    load_cached([kb_dir])
    before = stored_files()
    assert len(before) == 3  # one per file
    edit(kb_dir / "more-products.yaml", "name: NC-1", "name: NC-1 renamed")
    reloaded = load_cached([kb_dir])
    after = stored_files()
    assert len(after) == 3
    assert len(set(after) - set(before)) == 1  # the edited file's records, under a new name
    kept = set(after) & set(before)
    assert {name: after[name] for name in kept} == {name: before[name] for name in kept}  # not written again
    # another process, started after an edit made while none ran: reads the edited file only
    monkeypatch.setattr(cache_module, "_files", {})
    edit(kb_dir / BASE, "name: Acme Bio", "name: Acme Edited")
    reads.clear()
    started = load_cached([kb_dir])
    assert reads == [BASE]
    assert started.get("acme").name == "Acme Edited"
    assert started.get("newco-1").name == "NC-1 renamed"
    assert_same(started, load([kb_dir]))
    assert reloaded.get("newco-1").name == "NC-1 renamed"


def test_the_snapshot_written_in_the_background_is_the_one_written_at_once(
        kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_cached([kb_dir], background=True)
    cache_module.wait_stored()
    directory = cache_dir()
    assert directory is not None
    in_background = {file.name: file.read_bytes() for file in directory.iterdir()}
    monkeypatch.setenv("CARNK_TUI_CACHE_DIR", str(tmp_path / "other-cache"))
    monkeypatch.setattr(cache_module, "_files", {})
    load_cached([kb_dir])
    at_once = {file.name: file.read_bytes() for file in (tmp_path / "other-cache").iterdir()}
    assert in_background == at_once
    assert not [name for name in at_once if name.endswith(".tmp")]
    monkeypatch.setattr(cache_module, "_files", {})
    started = load_cached([kb_dir])
    assert_same(started, load([kb_dir]))


def test_a_damaged_records_file_is_read_from_yaml_again(kb_dir: Path, reads: list[str],  # noqa: F811
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    load_cached([kb_dir])
    directory = cache_dir()
    assert directory is not None
    [damaged] = [f for f in directory.glob("*.records") if b"NewCo" in f.read_bytes() and b"NC-1" not in f.read_bytes()]
    damaged.write_bytes(b"\x00garbage")
    monkeypatch.setattr(cache_module, "_files", {})
    reads.clear()
    started = load_cached([kb_dir])
    assert reads == ["more-companies.yaml"]
    assert_same(started, load([kb_dir]))


# ------------------------------------------------------------------ checks after an edit
@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The ids of the products each load checked (one list per load)."""
    seen: list[list[str]] = []
    real = loader._check_status

    def spying(located, problems):  # type: ignore[no-untyped-def]
        seen.append([loc.record.id for loc in located["products"]])
        return real(located, problems)

    monkeypatch.setattr(loader, "_check_status", spying)
    return seen


def test_after_an_edit_only_the_records_read_again_are_checked(kb_dir: Path, checked: list[list[str]]) -> None:
    memo = FileCache()
    first = load([kb_dir], memo)
    assert checked[-1] == ["ac101", "newco-1"]  # every product, the first time
    edit(kb_dir / "more-products.yaml", "name: NC-1", "name: NC-1 renamed")
    again = load([kb_dir], memo)
    assert checked[-1] == ["newco-1"]  # the edited file's only
    assert_same(again, load([kb_dir]))
    assert again.origins == first.origins


def test_a_new_reference_to_a_missing_record_is_reported(kb_dir: Path, checked: list[list[str]]) -> None:
    memo = FileCache()
    load([kb_dir], memo)
    edit(kb_dir / "more-products.yaml", "company: newco", "company: nowhere")
    with pytest.raises(KnowledgeBaseError) as caught:
        load([kb_dir], memo)
    assert any("'nowhere' is not the id of companies" in str(p) for p in caught.value.problems)


def test_an_id_given_again_in_the_edited_file_is_reported(kb_dir: Path) -> None:
    memo = FileCache()
    load([kb_dir], memo)
    added = EXTRA_PRODUCT.split("\n", 1)[1].replace("id: newco-1", "id: ac101")  # the id of a product in base.yaml
    with (kb_dir / "more-products.yaml").open("a", encoding="utf-8") as file:
        file.write(added)  # a second product; no id has gone
    with pytest.raises(KnowledgeBaseError) as caught:
        load([kb_dir], memo)
    assert any("duplicate id" in str(p) for p in caught.value.problems)


def test_when_an_id_has_gone_every_record_is_checked_again(kb_dir: Path, checked: list[list[str]]) -> None:
    """The edited file loses a company that an unchanged file's product names: the reference is reported."""
    memo = FileCache()
    load([kb_dir], memo)
    edit(kb_dir / "more-companies.yaml", "id: newco", "id: otherco")
    with pytest.raises(KnowledgeBaseError) as caught:
        load([kb_dir], memo)
    assert any("'newco' is not the id of companies" in str(p) for p in caught.value.problems)
    assert "newco-1" in checked[-1]  # the unchanged file's product was looked at again


def test_the_same_through_the_cache_after_a_start_from_the_snapshot(kb_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    checked: list[list[str]]) -> None:
    load_cached([kb_dir])
    monkeypatch.setattr(cache_module, "_files", {})  # a new process: the snapshot's records and ids
    load_cached([kb_dir])
    edit(kb_dir / "more-products.yaml", "name: NC-1", "name: NC-1 renamed")
    checked.clear()
    load_cached([kb_dir])
    assert checked == [["newco-1"]]
    edit(kb_dir / "more-companies.yaml", "id: newco", "id: otherco")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_cached([kb_dir])
    assert any("'newco' is not the id of companies" in str(p) for p in caught.value.problems)
    assert os.environ.get("CARNK_TUI_CACHE_DIR")
