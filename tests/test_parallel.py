"""Large files read in worker processes (`kb.parallel`): the records and the problems are those of the
reference path, and the duplicate keys, odd numbers and invalid records that the fast path cannot
decode typed are handed back to the loader's usual path."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnk_tui.kb import fast_reader, parallel
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.kb.problems import Problem
from carnk_tui.kb.yaml_reader import PARSER_ENV
from tests.kbtools import BASE, copy_minimal, edit, line_of, problems_of

if not fast_reader.available():
    pytest.skip("rapidyaml is not installed (pip install 'carnk-tui[fast]')", allow_module_level=True)


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file through two worker processes; the files whose records a worker gave."""
    monkeypatch.setenv(PARSER_ENV, "fast")
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    monkeypatch.setenv(parallel.MIN_BYTES_ENV, "0")
    decoded: list[Path] = []
    decode = parallel.decode

    def counting(file: Path, found: parallel.Found) -> object:
        doc = decode(file, found)
        if doc is not None:
            decoded.append(file)
        return doc

    monkeypatch.setattr(parallel, "decode", counting)
    return decoded



def reference_load(data: list[Path], monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    with monkeypatch.context() as patch:
        patch.setenv(PARSER_ENV, "reference")
        return load(data)


def reference_problems(data: list[Path], monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    with monkeypatch.context() as patch:
        patch.setenv(PARSER_ENV, "reference")
        return problems_of(data)


@pytest.mark.parametrize("which", ["generated", "bundled"])
def test_worker_processes_give_the_records_of_the_reference_path(
        which: str, generated: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    data = [generated if which == "generated" else bundled_data_dir()]
    reference = reference_load(data, monkeypatch)
    through_workers = load(data)
    assert through_workers == reference
    assert through_workers.origins == reference.origins
    files = sorted(p for p in data[0].iterdir() if p.suffix == ".yaml")
    assert len(processes) >= len(files) - 2, "the workers handed the files back"


def test_a_duplicate_key_in_a_record_is_refused_with_its_line(
        tmp_path: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_minimal(tmp_path)
    text = edit(kb / BASE, "    founded: 2015\n", "    founded: 2015\n    founded: 2016\n")
    assert fast_reader.read_json((kb / BASE).read_bytes()) is None
    problems = problems_of([kb])
    assert problems == reference_problems([kb], monkeypatch)
    line = line_of(text, "founded: 2016")
    assert any(p.file == str(kb / BASE) and p.line == line and "duplicate key 'founded'" in p.message
               for p in problems), problems
    assert not processes


def test_a_record_that_does_not_decode_is_reported_field_by_field(
        tmp_path: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_minimal(tmp_path)
    text = edit(kb / BASE, "    founded: 2015\n", "    founded: 2015\n    foundd: 2016\n    ceo: {zh: 甲, en: A}\n")
    problems = problems_of([kb])
    assert problems == reference_problems([kb], monkeypatch)
    assert {(p.line, p.record, p.field) for p in problems} >= {
        (line_of(text, "foundd:"), "acme", "foundd"), (line_of(text, "ceo:"), "acme", "ceo")}
    assert not processes  # the worker's JSON did not decode into records: the loader read the file itself


@pytest.mark.parametrize(("value", "plain"), [("2015", True), ("-1.5", True), ("1e3", False), ("-0", False),
                                              ("9" * 150, False), ("1.5e-3", False)])
def test_numbers_a_typed_decoder_reads_otherwise_are_flagged(value: str, plain: bool) -> None:
    found = fast_reader.read_json(f"companies:\n  - id: a\n    founded: {value}\n".encode())
    assert found is not None and found.plain_numbers is plain


@pytest.mark.parametrize(("old", "new"), [("percent: 50", "percent: 5e1"), ("{amount: 17500000,", "{amount: 1.75e7,")])
def test_a_number_written_as_text_by_pyyaml_reaches_the_reference_problem(
        old: str, new: str, tmp_path: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """5e1 is text for PyYAML (no point): a problem in a number field; decoded typed it would be 50.0."""
    kb = copy_minimal(tmp_path)
    text = edit(kb / BASE, old, new)
    problems = problems_of([kb])
    assert problems == reference_problems([kb], monkeypatch)
    assert any(p.line == line_of(text, new) for p in problems), problems


def test_a_singleton_given_as_null_is_not_taken_for_an_absent_one(
        tmp_path: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_minimal(tmp_path)
    (kb / "more.yaml").write_text("judgement: null\n", encoding="utf-8")
    problems = problems_of([kb])
    assert problems == reference_problems([kb], monkeypatch)
    assert any(p.file == str(kb / "more.yaml") for p in problems), problems


def test_the_bundled_data_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(parallel.PROCESSES_ENV, raising=False)
    monkeypatch.delenv(parallel.MIN_BYTES_ENV, raising=False)
    monkeypatch.delenv(PARSER_ENV, raising=False)
    assert parallel.workers(sorted(bundled_data_dir().glob("*.yaml"))) is None


def test_one_process_setting_reads_the_large_files_here(generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.MIN_BYTES_ENV, "0")
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    assert parallel.workers(sorted(generated.glob("*.yaml"))) == 0
    monkeypatch.setenv(parallel.PROCESSES_ENV, "2")
    assert parallel.workers(sorted(generated.glob("*.yaml"))) == 2
    # one file to read (a reload after an edit): read here, no process started for it
    assert parallel.workers(sorted(generated.glob("*.yaml"))[:1]) == 0
    monkeypatch.setenv(PARSER_ENV, "reference")
    assert parallel.workers(sorted(generated.glob("*.yaml"))) is None


def test_without_worker_processes_the_records_are_those_of_the_reference_path(
        generated: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.PROCESSES_ENV, "1")
    assert load([generated]) == reference_load([generated], monkeypatch)
    assert len(processes) >= len(list(generated.glob("*.yaml"))) - 2


@pytest.mark.parametrize("word", ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
                                  "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "<<",
                                  "=", "0x1F", "017", "1_000", "1:30", ".inf", "-.Inf", ".NaN", "+1", "1.5"])
def test_every_word_pyyaml_types_is_a_candidate_of_the_ambiguity_scan(word: str) -> None:
    match = fast_reader._CANDIDATE.fullmatch(b'"%s"' % word.encode())
    assert match is not None and match.group(1) == word.encode()
    assert not fast_reader._CANDIDATE.fullmatch(b'"name"')


# ------------------------------------------------------------------ duplicate keys found at C speed
def test_the_model_has_shadows_for_the_quick_check_of_duplicate_keys() -> None:
    assert parallel._shadow_decoder() is not None


@pytest.mark.parametrize(("old", "new"), [
    ("    founded: 2015\n", "    founded: 2015\n    founded: 2015\n"),  # in a record
    ("country: {zh: 美国, en: USA}", "country: {zh: 美国, en: USA, zh: 美国}"),  # in a bilingual text
    ("{amount: 17500000, currency: EUR}", "{amount: 17500000, currency: EUR, currency: EUR}"),  # a record's part
    ("companies:\n", "camps: []\ncompanies:\n"),  # a section given twice
])
def test_a_duplicate_key_anywhere_is_found_by_the_quick_check(
        old: str, new: str, tmp_path: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_minimal(tmp_path)
    text = edit(kb / BASE, old, new)
    found = fast_reader.read_json(text.encode(), values=False)
    if found is not None:  # (rapidyaml refuses some duplicates itself)
        assert not parallel._plainly_unique(found)
    problems = problems_of([kb])
    assert problems == reference_problems([kb], monkeypatch)
    assert any("duplicate key" in p.message for p in problems), problems
    assert not processes


def test_the_quick_check_passes_the_bundled_files_and_their_records_decode(processes: list[Path]) -> None:
    for file in sorted(bundled_data_dir().glob("*.yaml")):
        found = fast_reader.read_json(file.read_bytes(), values=False)
        if found is None:
            continue
        slow = fast_reader.values_of(found)
        assert slow is not None and slow.plain_numbers
        assert parallel._plainly_unique(found) or b"\\" in found.json, file


def test_a_file_with_escapes_is_checked_at_c_speed_to_the_same_records(
        tmp_path: Path, processes: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Quotes escaped in texts (an edit that writes `en: Edit "x"` unquoted makes them) are told from the
    ends of keys: the file needs no decode of its values to find duplicate keys."""
    kb = copy_minimal(tmp_path)
    edit(kb / BASE, "summary: {zh: 一家公司, en: A company}",
         'summary: {zh: 一家公司, en: "A \\"quoted\\": \\\\\\" company"}')
    found = fast_reader.read_json((kb / BASE).read_bytes(), values=False)
    assert found is not None and b'\\": ' in found.json and parallel._plainly_unique(found)
    assert load([kb]) == reference_load([kb], monkeypatch)
    assert processes == [kb / BASE]


@pytest.mark.parametrize("value", ['"q\\": r"', '"s\\\\"', '"t\\\\\\": u"', "'v\": w'"])
def test_a_duplicate_key_beside_escaped_quotes_is_found(value: str) -> None:
    once = f"companies:\n  - id: a\n    ticker: {value}\n    camp: x\n"
    found = fast_reader.read_json(once.encode(), values=False)
    assert found is not None and b"\\" in found.json
    assert parallel._plainly_unique(found)
    twice = once.replace("    camp: x\n", f"    ticker: {value}\n    camp: x\n")
    found = fast_reader.read_json(twice.encode(), values=False)
    assert found is not None and not parallel._plainly_unique(found)


@pytest.mark.parametrize(("json", "odd"), [
    (b'{"a": 1e3}', True), (b'{"a": [2, -1.5E-3]}', True), (b'{"a": -0}', True), (b'{"a": [\n  -0,\n  1]}', True),
    (b'{"a": %s}' % (b"9" * 100), True), (b'{"a": 1.5, "b": -2, "c": 10}', False),
    (b'{"url": "https://x.com/news/b73d5d81-ea4e-3b46-9fce-8e4a75d50ae3"}', False),
    (b'{"doi": "10.1016/S0140-6736(24)02462-0"}', False), (b'{"id": "co-acme-00001"}', False),
])
def test_numbers_a_typed_decoder_may_read_otherwise_are_told_from_text_that_looks_alike(json: bytes, odd: bool) -> None:
    assert parallel._odd_numbers(json) is odd


def test_files_that_arrive_first_are_decoded_while_the_loader_waits_for_another(
        generated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader takes files in order; a worker's file that arrives before the one asked for is decoded
    meanwhile (this process would only wait), and given from there when its turn comes."""
    from concurrent.futures import Future

    files = sorted(generated.glob("*.yaml"))[:2]
    found = [parallel.read_in_worker(str(file)) for file in files]
    assert all(found)
    reader = parallel.Reader(files, 0)
    first: Future[parallel.Found | None] = Future()
    second: Future[parallel.Found | None] = Future()
    reader._large, reader._futures = set(files), {files[0]: first, files[1]: second}
    decoded: list[str] = []
    real = parallel.decode

    def decoding(file: Path, result: parallel.Found) -> object:
        decoded.append(file.name)
        if file == files[1]:
            first.set_result(found[0])  # the file asked for arrives only once the other one is decoded
        return real(file, result)

    monkeypatch.setattr(parallel, "decode", decoding)
    second.set_result(found[1])
    docs = [reader.take(files[0]), reader.take(files[1])]
    assert decoded == [files[1].name, files[0].name]  # the second file decoded while the first was awaited
    for doc, file, result in zip(docs, files, found, strict=True):
        assert doc is not None and result is not None
        assert doc.data == real(file, result).data  # type: ignore[union-attr]
    reader.close()
