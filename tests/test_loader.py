"""The loader: one test per class of problem, each naming file, line, record and field; the
exports; the command line's exit codes.

Expected lines are computed from the text the test wrote (the line of a marker), never typed in.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from carnk_tui.views.format import targets as targets_text
from carnk_tui.kb import model
from carnk_tui.export import render
from carnk_tui.export.csv_export import COLUMNS
from carnk_tui.export.json_export import from_json, to_json
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.kb.problems import KnowledgeBaseError, Problem
from tests.kbtools import (
    BASE,
    MINIMAL,
    call_cli,
    copy_minimal,
    describe,
    edit,
    find_problem,
    line_of,
    problems_of,
    run_cli,
    write,
)

#: the record counts of tests/fixtures/minimal
MINIMAL_COUNTS = {
    "sources": 2, "camps": 2, "companies": 2, "platforms": 1, "products": 1, "trials": 1, "deals": 1,
    "events": 2, "challenges": 1, "directions": 1,
}
#: the CSV export's columns, in order (README: "csv one row per product")
CSV_COLUMNS = ("id", "product", "company", "camp", "target", "cell_source", "modality", "indications", "stage",
               "best_reported_result")

NEW_COMPANY = """\
companies:
  - id: newco
    sources: [src-a]
    name: {zh: 新公司, en: NewCo}
    camp: camp-two
    founded: 2021
    summary: {zh: 新加入的公司, en: A newcomer}
"""


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal knowledge base."""
    return copy_minimal(tmp_path)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, f"expected exactly one problem, got {len(problems)}:\n{describe(problems)}"
    return problems[0]


# ====================================================================== problem classes
@pytest.mark.parametrize(
    "old, new, marker, offsets",
    [
        # "a: b: c" is refused on the line it is written
        ("    name: AcmeCell\n", "    name: Acme: Cell\n", "Acme: Cell", (0,)),
        # an unclosed bracket is noticed where the parser gives up: the line that opened it or the next
        ("    name: AcmeCell\n", "    name: [AcmeCell\n", "[AcmeCell", (0, 1)),
        # a quoted string with a bad escape
        ("    name: AcmeCell\n", '    name: "Acme\\qCell"\n', "Acme\\qCell", (0,)),
    ],
    ids=["mapping-in-plain-value", "unclosed-bracket", "bad-escape"],
)
def test_yaml_syntax_error(kb_dir: Path, old: str, new: str, marker: str, offsets: tuple[int, ...]) -> None:
    text = edit(kb_dir / BASE, old, new)
    problem = only(problems_of([kb_dir]))  # a file that does not parse yields nothing else
    line = line_of(text, marker)
    assert problem.file == str(kb_dir / BASE)
    assert problem.line in {line + o for o in offsets}, str(problem)
    assert problem.record is None and problem.field is None  # no record could be read from the file
    assert problem.message.startswith("YAML syntax error")


def test_tab_used_for_indentation(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "    founded: 2015\n", "\tfounded: 2015\n")
    problem = only(problems_of([kb_dir]))
    assert (problem.file, problem.line) == (str(kb_dir / BASE), line_of(text, "\tfounded"))
    assert problem.record is None and problem.field is None
    assert "YAML syntax error" in problem.message


def test_unknown_key_with_did_you_mean(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "    founded: 2015\n", "    fonded: 2015\n")
    problem = find_problem(problems_of([kb_dir]), file=kb_dir / BASE, line=line_of(text, "fonded:"), record="acme",
                           field="fonded", contains="unknown field")
    assert "did you mean 'founded'?" in problem.message
    assert str(problem) == f"{kb_dir / BASE}:{problem.line}: acme: fonded: {problem.message}"


def test_unknown_section_with_did_you_mean(kb_dir: Path) -> None:
    text = write(kb_dir, "more.yaml", NEW_COMPANY.replace("companies:", "compnies:")).read_text()
    problem = find_problem(problems_of([kb_dir]), file=kb_dir / "more.yaml", line=line_of(text, "compnies:"),
                           field="compnies", contains="unknown section")
    assert "did you mean 'companies'?" in problem.message


@pytest.mark.parametrize(
    "old, new, marker, record, field, expected",
    [
        ("founded: 2015", 'founded: "abc"', '"abc"', "acme", "founded", "Expected `int | null`, got `str`"),
        ("    order: 2\n", "    order: second\n", "second", "camp-two", "order", "Expected `int`, got `str`"),
        ("upfront: {amount: 17500000,", "upfront: {amount: lots,", "lots", "deal-1", "upfront.amount",
         "Expected `float`, got `str`"),
        ("        n: 6\n", "        n: six\n", "six", "ac101-p1", "cohorts[0].n", "Expected `int | null`, got `str`"),
        ("    setback: true\n", "    setback: [true]\n", "[true]", "ev-cut", "setback", "Expected `bool`, got `array`"),
        ("    name: Acme Bio\n", "    name: [Acme, Bio]\n", "[Acme, Bio]", "acme", "name",
         "text or a {zh: ..., en: ...} mapping"),
    ],
    ids=["founded-str", "order-str", "nested-money-amount", "nested-cohort-n", "bool-list", "name-list"],
)
def test_wrong_type(kb_dir: Path, old: str, new: str, marker: str, record: str, field: str, expected: str) -> None:
    text = edit(kb_dir / BASE, old, new)
    find_problem(problems_of([kb_dir]), file=kb_dir / BASE, line=line_of(text, marker), record=record, field=field,
                 contains=expected)


@pytest.mark.parametrize(
    "old, record_marker, record, field",
    [
        ("    camp: camp-one\n", "- id: acme", "acme", "camp"),
        ("    stage: phase-1\n", "- id: ac101\n", "ac101", "stage"),
        ("    date: \"2018-10\"\n    scope", "- id: deal-1", "deal-1", "date"),
    ],
    ids=["company-camp", "product-stage", "deal-date"],
)
def test_missing_required_field(kb_dir: Path, old: str, record_marker: str, record: str, field: str) -> None:
    text = edit(kb_dir / BASE, old, old[old.index("\n") + 1:])  # drop the field's line
    # the problem is reported on the first line of the record that lacks the field
    find_problem(problems_of([kb_dir]), file=kb_dir / BASE, line=line_of(text, record_marker), record=record,
                 field=field,
                 contains="missing required field")


def test_missing_nested_field(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "        label: {zh: 高剂量组, en: high dose}\n", "")
    find_problem(problems_of([kb_dir]), file=kb_dir / BASE, line=line_of(text, "- id: high"), record="ac101-p1",
                 field="cohorts[0]", contains="missing required field `label`")


def test_duplicate_id_across_two_files_points_to_first(kb_dir: Path) -> None:
    base_text = (kb_dir / BASE).read_text()
    more = write(kb_dir, "more.yaml", NEW_COMPANY.replace("id: newco", "id: acme"))  # sorts after base.yaml
    problem = find_problem(problems_of([kb_dir]), file=more, line=line_of(more.read_text(), "id: acme"), record="acme",
                           field="id", contains="duplicate id")
    assert f"first defined at {kb_dir / BASE}:{line_of(base_text, '- id: acme')}" in problem.message


def test_duplicate_id_across_two_directories_points_to_first(tmp_path: Path) -> None:
    a = copy_minimal(tmp_path, "a")
    b = tmp_path / "b"
    b.mkdir()
    extra = write(b, "aaa.yaml", NEW_COMPANY.replace("id: newco", "id: bigpharma"))  # sorts before base.yaml
    problem = only(problems_of([a, b]))
    assert (problem.file, problem.line, problem.record, problem.field) == (
        str(extra), line_of(extra.read_text(), "id: bigpharma"), "bigpharma", "id")
    assert f"first defined at {a / BASE}:{line_of((a / BASE).read_text(), '- id: bigpharma')}" in problem.message


def test_duplicate_local_ids_in_a_trial(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "        sources: [src-a]\n    summary: {zh: 试验概述",
                "        sources: [src-a]\n      - {id: cr, measure: PR, label: {zh: 部分缓解, en: PR}, cohort: high,"
                " percent: 10}\n    summary: {zh: 试验概述")
    find_problem(problems_of([kb_dir]), file=kb_dir / BASE, line=line_of(text, "{id: cr,"), record="ac101-p1",
                 field="results[1].id", contains="duplicate id 'cr'")


@pytest.mark.parametrize(
    "old, new, marker, record, field, expected",
    [
        ("camp: camp-one", "camp: camp-onee", "camp-onee", "acme", "camp",
         "'camp-onee' is not the id of camps (did you mean 'camp-one'?)"),
        ("    company: acme\n    platform", "    company: acmee\n    platform", "acmee", "ac101", "company",
         "'acmee' is not the id of companies (did you mean 'acme'?)"),
        ("platform: acme-platform", "platform: acme-platfrom", "acme-platfrom", "ac101", "platform",
         "'acme-platfrom' is not the id of platforms"),
        ("product: ac101", "product: ac102", "ac102", "ac101-p1", "product", "'ac102' is not the id of products"),
        ("parties: [bigpharma, acme]", "parties: [bigpharma, acne]", "acne", "deal-1", "parties",
         "'acne' is not the id of companies (did you mean 'acme'?)"),
        ("cohort: high", "cohort: hihg", "hihg", "ac101-p1", "results[0].cohort",
         "'hihg' is not a cohort of this trial (did you mean 'high'?)"),
        ("    sources: [src-a]\n    name: {zh: 第二阵营", "    sources: [src-c]\n    name: {zh: 第二阵营", "src-c",
         "camp-two", "sources", "'src-c' is not the id of sources"),
        ("    deals: [deal-1]\n", "    deals: [deal-2]\n", "deal-2", "ev-deal-1", "deals",
         "'deal-2' is not the id of deals"),
        ("related: [acme]", "related: [nobody]", "nobody", "dir-engineering", "related",
         "'nobody' is not the id of any record"),
    ],
    ids=["company.camp", "product.company", "product.platform", "trial.product", "deal.parties", "result.cohort",
         "sources", "event.deals", "direction.related"],
)
def test_reference_to_missing_id(kb_dir: Path, old: str, new: str, marker: str, record: str, field: str,
                                 expected: str) -> None:
    text = edit(kb_dir / BASE, old, new)
    problem = only(problems_of([kb_dir]))  # the record itself is fine: nothing else is reported
    assert (problem.file, problem.line, problem.record, problem.field) == (
        str(kb_dir / BASE), line_of(text, marker), record, field), str(problem)
    assert expected in problem.message


def test_reference_to_missing_source_in_a_result_names_the_field_consistently(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "        sources: [src-a]\n    summary: {zh: 试验概述",
                "        sources: [src-q]\n    summary: {zh: 试验概述")
    problem = only(problems_of([kb_dir]))
    assert (problem.line, problem.record) == (line_of(text, "src-q"), "ac101-p1")
    assert problem.field == "results[0].sources"


def test_circular_acquired_by(kb_dir: Path) -> None:
    edit(kb_dir / BASE, "    founded: 2015\n", "    founded: 2015\n    acquired_by: bigpharma\n")
    text = edit(kb_dir / BASE, "    camp: camp-two\n", "    camp: camp-two\n    acquired_by: acme\n")
    problems = problems_of([kb_dir])
    assert len(problems) == 2, describe(problems)
    find_problem(problems, file=kb_dir / BASE, line=line_of(text, "acquired_by: bigpharma"), record="acme",
                 field="acquired_by", contains="circular reference: acme -> bigpharma -> acme")
    find_problem(problems, file=kb_dir / BASE, line=line_of(text, "acquired_by: acme"), record="bigpharma",
                 field="acquired_by", contains="circular reference: bigpharma -> acme -> bigpharma")


def test_acquired_by_itself(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "    founded: 2015\n", "    founded: 2015\n    acquired_by: acme\n")
    problem = only(problems_of([kb_dir]))
    assert (problem.line, problem.record, problem.field) == (line_of(text, "acquired_by: acme"), "acme", "acquired_by")
    assert "circular reference: acme -> acme" in problem.message


def test_acquisition_chain_without_cycle_loads(kb_dir: Path) -> None:
    edit(kb_dir / BASE, "    founded: 2015\n", "    founded: 2015\n    acquired_by: bigpharma\n    status: acquired\n")
    assert load([kb_dir]).get("acme").acquired_by == "bigpharma"


@pytest.mark.parametrize(
    "old, new, record, field",
    [
        ("    phase: phase-1\n", "    phase: phase-4\n", "ac101-p1", "phase"),
        ("    cell_source: ipsc\n", "    cell_source: ipsc-derived\n", "ac101", "cell_source"),
        ("    stage: phase-1\n", "    stage: phase-one\n", "ac101", "stage"),
        ("    kind: collaboration\n", "    kind: merger\n", "deal-1", "kind"),
        ("indication_areas: [haematological]", "indication_areas: [haematologic]", "ac101", "indication_areas[0]"),
    ],
    ids=["phase", "cell_source", "stage", "deal-kind", "indication_areas-item"],
)
def test_enum_value_outside_enumeration(kb_dir: Path, old: str, new: str, record: str, field: str) -> None:
    text = edit(kb_dir / BASE, old, new)
    bad = new.split(":")[1].strip(" []\n")
    find_problem(problems_of([kb_dir]), file=kb_dir / BASE, line=line_of(text, new.strip()), record=record, field=field,
                 contains=("value not allowed", repr(bad)))


@pytest.mark.parametrize("percent", ["150", "-5", "100.5"])
def test_percent_outside_0_100(kb_dir: Path, percent: str) -> None:
    # without responders/denominator, so that only the range is in question
    edit(kb_dir / BASE, "        responders: 3\n        denominator: 6\n", "")
    text = edit(kb_dir / BASE, "percent: 50", f"percent: {percent}")
    problem = only(problems_of([kb_dir]))
    assert (problem.file, problem.line, problem.record, problem.field) == (
        str(kb_dir / BASE), line_of(text, f"percent: {percent}"), "ac101-p1", "results[0].percent")
    assert f"{float(percent):g}% is outside 0-100" in problem.message


def test_responders_greater_than_denominator(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "responders: 3", "responders: 7")
    problem = only(problems_of([kb_dir]))
    assert (problem.line, problem.record, problem.field) == (
        line_of(text, "responders: 7"), "ac101-p1", "results[0].responders")
    assert "7 responders is more than the cohort of 6" in problem.message


def test_percent_not_matching_responders_over_denominator(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "percent: 50", "percent: 70")
    problem = only(problems_of([kb_dir]))
    assert (problem.line, problem.record, problem.field) == (line_of(text, "percent: 70"), "ac101-p1",
                                                            "results[0].percent")
    assert "70% does not match 3 of 6 (50.0%)" in problem.message


def test_percent_rounded_within_tolerance_loads(kb_dir: Path) -> None:
    edit(kb_dir / BASE, "responders: 3", "responders: 1")
    edit(kb_dir / BASE, "percent: 50", "percent: 17")  # 1 of 6 is 16.7%
    assert load([kb_dir]).trials[0].results[0].percent == 17


def test_discrepancy_naming_a_field_the_record_does_not_have(kb_dir: Path) -> None:
    text = edit(kb_dir / BASE, "- field: status", "- field: statsu")
    problem = only(problems_of([kb_dir]))
    assert (problem.file, problem.line, problem.record, problem.field) == (
        str(kb_dir / BASE), line_of(text, "- field: statsu"), "ac101-p1", "discrepancies[0].field")
    assert "'statsu' is not a field of this record (did you mean 'status'?)" in problem.message


BROKEN = """\
companies:
  - id: newco
    sources: [src-a]
    name: NewCo
    camp: camp-one
    foundd: 2020                      # P-unknown
    summary: {zh: 新公司, en: NewCo}
  - id: otherco
    sources: [src-a]
    name: OtherCo
    camp: camp-three                  # P-camp
    summary: {zh: 另一家, en: OtherCo}
products:
  - id: np1
    sources: [src-a]
    name: NP1
    company: acme
    cell_source: ipsc
    modality: car-nk
    stage: phase-9                    # P-stage
    summary: {zh: 产品, en: product}
trials:
  - id: np1-t
    sources: [src-a]
    name: NP1 trial
    product: ac101
    phase: phase-1
    indication: {zh: 淋巴瘤, en: lymphoma}
    population: {zh: 患者, en: patients}
    cohorts:
      - {id: all, label: {zh: 全部, en: all}, n: 10}
    results:
      - id: orr
        measure: ORR
        label: {zh: 客观缓解, en: ORR}
        cohort: all
        responders: 12                # P-responders
        denominator: 10
    summary: {zh: 试验, en: trial}
deals:
  - id: deal-2
    sources: [src-z]                  # P-source
    name: Deal two
    kind: licence
    parties: [acme]
    date: 2020                        # P-date
    scope: {zh: 范围, en: scope}
"""


def test_several_problems_in_one_file_are_all_reported_in_one_pass(kb_dir: Path) -> None:
    broken = write(kb_dir, "broken.yaml", BROKEN)
    problems = problems_of([kb_dir])
    expected = [
        ("P-unknown", "newco", "foundd", "unknown field (did you mean 'founded'?)"),
        ("P-camp", "otherco", "camp", "'camp-three' is not the id of camps"),
        ("P-stage", "np1", "stage", "value not allowed: 'phase-9'"),
        ("P-responders", "np1-t", "results[0].responders", "12 responders is more than the cohort of 10"),
        ("P-date", "deal-2", "date", "Expected `str`, got `int`"),
    ]
    for marker, record, field, message in expected:
        find_problem(problems, file=broken, line=line_of(BROKEN, marker), record=record, field=field,
                     contains=message)
    assert all(p.file == str(broken) for p in problems), describe(problems)
    assert len({(p.line, p.field, p.message) for p in problems}) >= 4


# ====================================================================== loading
def test_valid_knowledge_base_loads_with_right_counts() -> None:
    kb = load([MINIMAL])
    assert kb.counts() == MINIMAL_COUNTS
    assert kb.meta.as_of == "2025-11"
    assert [c.id for c in kb.companies] == ["acme", "bigpharma"]
    assert kb.trials[0].results[0].percent == 50
    text = (MINIMAL / BASE).read_text()
    assert kb.origins["acme"] == f"{MINIMAL / BASE}:{line_of(text, '- id: acme')}"


def test_two_directories_second_adds_a_company(tmp_path: Path) -> None:
    a = copy_minimal(tmp_path, "a")
    b = tmp_path / "b"
    b.mkdir()
    extra = write(b, "mine.yaml", NEW_COMPANY)
    kb = load([a, b])
    expected = dict(MINIMAL_COUNTS, companies=3)
    assert kb.counts() == expected
    newco = kb.get("newco")
    assert isinstance(newco, model.Company) and newco.founded == 2021
    assert [c.id for c in kb.companies_in("camp-two")] == ["bigpharma", "newco"]
    assert kb.origins["newco"] == f"{extra}:{line_of(NEW_COMPANY, '- id: newco')}"
    assert load([a]).counts() == MINIMAL_COUNTS  # the first directory alone is unchanged


def test_second_directory_may_refer_to_records_of_the_first(tmp_path: Path) -> None:
    a = copy_minimal(tmp_path, "a")
    b = tmp_path / "b"
    b.mkdir()
    write(b, "mine.yaml", NEW_COMPANY + "    acquired_by: bigpharma\n")
    assert load([a, b]).get("newco").acquired_by == "bigpharma"


def test_bundled_data_loads_without_problems() -> None:
    try:
        kb = load([bundled_data_dir()])
    except KnowledgeBaseError as error:
        pytest.fail(f"the bundled data has problems:\n{describe(error.problems)}")
    counts = kb.counts()
    assert counts["companies"] > 0 and counts["products"] > 0 and counts["trials"] > 0, counts
    assert len(kb.camps) >= 3


# ====================================================================== exports
DATASETS = [pytest.param(MINIMAL, id="minimal"), pytest.param(None, id="bundled")]


def _load(data: Path | None):
    return load([data if data is not None else bundled_data_dir()])


@pytest.mark.parametrize("data", DATASETS)
def test_json_round_trip(data: Path | None) -> None:
    kb = _load(data)
    dumped = to_json(kb)
    assert from_json(dumped) == kb
    assert from_json(dumped.encode("utf-8")) == kb
    raw = json.loads(dumped)
    assert [c["id"] for c in raw["companies"]] == [c.id for c in kb.companies]
    assert raw["meta"]["title"] == {"zh": kb.meta.title.zh, "en": kb.meta.title.en}


def test_json_round_trip_detects_a_change() -> None:
    kb = load([MINIMAL])
    raw = json.loads(to_json(kb))
    raw["companies"][0]["founded"] = 2016
    assert from_json(json.dumps(raw)) != kb


@pytest.mark.parametrize("lang", model.LANGS)
@pytest.mark.parametrize("data", DATASETS)
def test_markdown_names_every_company_and_product(data: Path | None, lang: model.Lang) -> None:
    kb = _load(data)
    md = render(kb, "md", lang)
    assert md.startswith(f"# {model.text(kb.meta.title, lang)}\n")
    missing = [r.id for r in (*kb.companies, *kb.products) if model.text(r.name, lang) not in md]
    assert not missing, f"not named in the {lang} report: {missing}"


@pytest.mark.parametrize("lang", model.LANGS)
def test_markdown_is_in_one_language(lang: model.Lang) -> None:
    kb = load([MINIMAL])
    md = render(kb, "md", lang)
    other = "en" if lang == "zh" else "zh"
    for record in (*kb.companies, *kb.camps):
        if isinstance(record.name, model.Bilingual):
            assert record.name.get(lang) in md
            assert record.name.get(other) not in md, f"{record.id}: {other} name in the {lang} report"


@pytest.mark.parametrize("lang", model.LANGS)
@pytest.mark.parametrize("data", DATASETS)
def test_csv_one_row_per_product_with_documented_columns(data: Path | None, lang: model.Lang) -> None:
    kb = _load(data)
    assert tuple(COLUMNS) == CSV_COLUMNS
    reader = csv.DictReader(io.StringIO(render(kb, "csv", lang)))
    rows = list(reader)
    assert reader.fieldnames == list(CSV_COLUMNS)
    assert len(rows) == len(kb.products)
    assert [r["id"] for r in rows] == [p.id for p in kb.products]
    for row, product in zip(rows, kb.products):
        assert row["product"] == model.text(product.name, lang)
        assert row["company"] == model.text(kb.company_of(product).name, lang)
        # targets in the reader's words: "NKG2D ligands" reads "NKG2D配体" in Chinese (meta.terms)
        assert row["target"] == targets_text(product, kb, lang)


def test_cli_export_formats_match_the_renderers(tmp_path: Path) -> None:
    kb = load([MINIMAL])
    for fmt, lang in (("md", "en"), ("md", "zh"), ("csv", "en"), ("json", "zh")):
        proc = call_cli("export", "--format", fmt, "--lang", lang, "--data", MINIMAL)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == render(kb, fmt, lang), (fmt, lang)
    proc = call_cli("export", "--format", "json", "--data", MINIMAL)
    assert from_json(proc.stdout) == kb


def test_export_out_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("keep me\n", encoding="utf-8")
    proc = call_cli("export", "--format", "json", "--data", MINIMAL, "--out", out)
    assert proc.returncode == 1
    assert "--force" in proc.stderr and str(out) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"

    proc = call_cli("export", "--format", "json", "--data", MINIMAL, "--out", out, "--force")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert from_json(out.read_bytes()) == load([MINIMAL])


def test_export_out_writes_a_new_file(tmp_path: Path) -> None:
    out = tmp_path / "products.csv"
    proc = call_cli("export", "--format", "csv", "--lang", "en", "--data", MINIMAL, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == render(load([MINIMAL]), "csv", "en")


def test_export_of_invalid_data_writes_nothing(kb_dir: Path, tmp_path: Path) -> None:
    edit(kb_dir / BASE, "camp: camp-one", "camp: camp-nine")
    out = tmp_path / "out.md"
    proc = call_cli("export", "--format", "md", "--data", kb_dir, "--out", out)
    assert proc.returncode == 1
    assert "camp-nine" in proc.stderr
    assert not out.exists()


# ====================================================================== command line
def test_cli_validate_ok_prints_a_one_line_summary() -> None:
    proc = run_cli("validate", MINIMAL)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, proc.stdout
    assert lines[0].startswith("valid: ")
    for name, n in MINIMAL_COUNTS.items():
        assert f"{n} {name}" in lines[0]
    assert str(MINIMAL) in lines[0]
    assert proc.stderr == ""


def test_cli_validate_bundled_by_default() -> None:
    proc = run_cli("validate")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 and proc.stdout.startswith("valid: ")


def test_cli_validate_with_extra(tmp_path: Path) -> None:
    a = copy_minimal(tmp_path, "a")
    b = tmp_path / "b"
    b.mkdir()
    write(b, "mine.yaml", NEW_COMPANY)
    for args in (("validate", a, "--extra", b), ("--extra", b, "validate", a)):
        proc = call_cli(*args)
        assert proc.returncode == 0, proc.stderr
        assert "3 companies" in proc.stdout, args


def test_cli_validate_invalid_prints_every_problem_on_its_own_line(kb_dir: Path) -> None:
    edit(kb_dir / BASE, "camp: camp-one", "camp: camp-nine")
    edit(kb_dir / BASE, "percent: 50", "percent: 70")
    edit(kb_dir / BASE, "    area: manufacturing\n", "    area: making\n")
    problems = problems_of([kb_dir])
    assert len(problems) == 3, describe(problems)
    proc = call_cli("validate", kb_dir)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [*(str(p) for p in problems), "3 problem(s) found; nothing was loaded."]
    for line in proc.stderr.splitlines()[:-1]:
        assert line.startswith(f"{kb_dir / BASE}:")


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--bogus"),
        ("export",),
        ("export", "--format", "xml"),
        ("--lang", "fr", "validate"),
        ("no-such-command",),
        ("validate", "a", "b"),
    ],
    ids=["unknown-option", "missing-format", "bad-format", "bad-lang", "unknown-command", "two-dirs"],
)
def test_cli_usage_error_exits_2(args: tuple[str, ...]) -> None:
    proc = call_cli(*args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "usage: carnk-tui" in proc.stderr
    assert "Traceback" not in proc.stderr


# ====================================================================== bugs (xfail)
def test_duplicate_id_of_two_kinds_points_to_the_first_in_reading_order(kb_dir: Path) -> None:
    # an event written late in the file takes the id of the overview, written at the top
    text = edit(kb_dir / BASE, "  - id: ev-cut\n", "  - id: overview\n")
    first, second = line_of(text, "id: overview", 1), line_of(text, "id: overview", 2)
    assert first < second
    problems = problems_of([kb_dir])
    find_problem(problems, file=kb_dir / BASE, line=second, record="overview", field="id",
                 contains=f"duplicate id (first defined at {kb_dir / BASE}:{first})")


# ------------------------------------------------------------------ references proved clean at C speed
def _sections(kb: Any) -> dict[str, list[Any]]:
    return {name: list(getattr(kb, name)) for name in model.COLLECTIONS}


def _ids(records: dict[str, list[Any]]) -> dict[str, set[str]]:
    return {name: {r.id for r in recs if getattr(r, "id", None)} for name, recs in records.items()}


def test_references_are_proved_clean_only_where_the_record_by_record_check_finds_nothing() -> None:
    """`_clean_references` (sets of every section's references, compared with the ids at C speed) says a
    section is clean on valid data, and not clean for each kind of place a reference can be wrong in:
    a plain reference, a list of them, a `sources` list, one in a discrepancy, in a result, in each
    part of a deal, a trial's registry source, and a discrepancy naming a field the record lacks."""
    from msgspec.structs import replace

    from carnk_tui.kb.loader import _clean_references

    kb = load([bundled_data_dir()])
    records = _sections(kb)
    kinds = _ids(records)
    for name, recs in records.items():
        if recs and "*" not in model.REFERENCES.get(type(recs[0]), {}).values():
            assert _clean_references(type(recs[0]), recs, kinds, kinds["sources"]), name

    def first(name: str, test: Any) -> tuple[int, Any]:
        return next((i, r) for i, r in enumerate(records[name]) if test(r))

    def wrong(name: str, index: int, record: Any) -> bool:
        changed = [*records[name]]
        changed[index] = record
        return not _clean_references(type(record), changed, kinds, kinds["sources"])

    i, product = first("products", lambda r: True)
    assert wrong("products", i, replace(product, company="nobody"))
    assert wrong("products", i, replace(product, status_sources=(*product.status_sources, "nowhere")))
    assert wrong("products", i, replace(product, sources=(*product.sources, "nowhere")))
    i, event = first("events", lambda r: True)
    assert wrong("events", i, replace(event, companies=(*event.companies, "nobody")))
    i, with_note = first("products", lambda r: r.discrepancies)
    note = with_note.discrepancies[0]
    assert wrong("products", i, replace(with_note, discrepancies=(replace(note, sources=("nowhere",)),)))
    assert wrong("products", i, replace(with_note, discrepancies=(replace(note, field="no_such_field"),)))
    i, trial = first("trials", lambda r: r.results)
    assert wrong("trials", i, replace(trial, results=(replace(trial.results[0], sources=("nowhere",)),)))
    i, trial = first("trials", lambda r: r.registry is not None)
    assert wrong("trials", i, replace(trial, registry=replace(trial.registry, source="nowhere")))
    for part in ("upfront", "milestones", "total", "equity", "royalties"):
        i, deal = first("deals", lambda r: r.upfront is not None and r.royalties is not None)
        given = getattr(deal, part) or deal.upfront  # (no deal of the bundled data has equity)
        assert wrong("deals", i, replace(deal, **{part: replace(given, sources=("nowhere",))})), part
    i, deal = first("deals", lambda r: r.parties)
    assert wrong("deals", i, replace(deal, parties=("nobody",)))


def test_a_generated_base_is_proved_clean_section_by_section(generated: Path) -> None:
    from carnk_tui.kb.loader import _clean_references

    records = _sections(load([generated]))
    kinds = _ids(records)
    for name, recs in records.items():
        if recs and "*" not in model.REFERENCES.get(type(recs[0]), {}).values():
            assert _clean_references(type(recs[0]), recs, kinds, kinds["sources"]), name
