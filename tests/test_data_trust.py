"""Data an analyst can trust: sources with addresses, registry facts with the date read, deal
amounts that add up, development status beside stage, and words (never codes) on every screen."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import get_args

import msgspec
import pytest
from textual.widgets import DataTable

from carnk_tui.export import render
from carnk_tui.kb import model
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.kb.model import LANGS, Bilingual, text
from carnk_tui.ui.widgets.landscape_tree import CampTree
from carnk_tui.views import format as fmt
from carnk_tui.views.compare import compare_row
from carnk_tui.views.details import describe
from carnk_tui.views.i18n import _VALUES, label, t
from carnk_tui.views.presentation import build_slides
from carnk_tui.views.results import result_groups
from tests.kbtools import BASE, copy_minimal, edit, find_problem, line_of, problems_of
from tests.test_app import detail_text
from tests.test_present import rendered_lines
from carnk_tui.ui.settle import settle

DATA = bundled_data_dir()
CJK = re.compile(r"[\u3400-\u9fff]")
#: half-width punctuation written next to a Chinese character
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")
#: ids of kinds whose ids are never names (sources, trials, deals, events ...)
INTERNAL_ID = re.compile(r"\b(?:src|trial|deal|ev|ch|dir|camp)-[a-z0-9][a-z0-9.-]*")
FT596_STAGE = {"en": "Phase 1 · discontinued 2023-01", "zh": "I 期 · 已停止开发 2023-01"}


def texts(value: object, path: str = "") -> list[tuple[str, str, str]]:
    """Every (path, lang, text) of the bilingual values inside a record."""
    found: list[tuple[str, str, str]] = []
    if isinstance(value, Bilingual):
        found += [(path, "zh", value.zh), (path, "en", value.en)]
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            found += texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            found += texts(item, f"{path}[{i}]")
    return found


def every_record(kb: KnowledgeBase) -> list[msgspec.Struct]:
    return [kb.meta, *kb.records()]


# ------------------------------------------------------------------ the loader's rules
def test_source_without_an_address_is_refused(tmp_path: Path) -> None:
    kb_dir = copy_minimal(tmp_path)
    content = edit(kb_dir / BASE, '    url: "https://example.org/test-article"\n', "")
    problem = find_problem(problems_of([kb_dir]), record="src-a", field="url", contains="needs an address")
    assert problem.line == line_of(content, "- id: src-a")


def test_source_citing_the_projects_own_files_is_refused(tmp_path: Path) -> None:
    kb_dir = copy_minimal(tmp_path)
    edit(kb_dir / BASE, "    registry_id: NCT00000001\n",
         '    registry_id: NCT00000001\n    citation: "carnk-tui; shared/references/public-sources.md"\n')
    find_problem(problems_of([kb_dir]), record="src-b", field="citation", contains="own working files")


def test_trial_with_an_nct_number_needs_registry_facts_and_their_date(tmp_path: Path) -> None:
    kb_dir = copy_minimal(tmp_path)
    registry = '    registry: {registry_id: NCT00000001, as_of: "2025-01-01", source: src-b, status: recruiting}\n'
    content = edit(kb_dir / BASE, registry, "")
    problem = find_problem(problems_of([kb_dir]), record="ac101-p1", field="registry", contains="as_of")
    assert problem.line == line_of(content, "registry_ids: [NCT00000001]")
    # as_of must be a day
    kb_dir = copy_minimal(tmp_path, "kb2")
    edit(kb_dir / BASE, 'as_of: "2025-01-01"', 'as_of: "2025"')
    find_problem(problems_of([kb_dir]), record="ac101-p1", field="registry.as_of", contains="YYYY-MM-DD")


def test_deal_parts_that_do_not_add_up_are_refused_with_file_line_and_field(tmp_path: Path) -> None:
    kb_dir = copy_minimal(tmp_path)
    milestones = "    milestones: {amount: 875000000, currency: EUR, up_to: true}\n"
    content = edit(kb_dir / BASE, milestones,
                   milestones + "    total: {amount: 875000000, currency: EUR, up_to: true}\n")
    problem = find_problem(problems_of([kb_dir]), record="deal-1", field="total.amount", contains="but total is")
    assert problem.file == str(kb_dir / BASE)
    assert problem.line == line_of(content, "    total: {amount: 875000000")
    # the same parts with a total that adds up (17.5M + 875M = 892.5M) load
    kb_dir = copy_minimal(tmp_path, "kb2")
    edit(kb_dir / BASE, milestones, milestones + "    total: {amount: 892500000, currency: EUR, up_to: true}\n")
    assert load([kb_dir]).get("deal-1").total.amount == 892_500_000


def test_a_development_status_needs_its_sources(tmp_path: Path) -> None:
    kb_dir = copy_minimal(tmp_path)
    status = '    status: discontinued\n    status_date: "2023-01"\n'
    edit(kb_dir / BASE, "    stage: phase-1\n", "    stage: phase-1\n" + status)
    find_problem(problems_of([kb_dir]), record="ac101", field="status_sources", contains="discontinued")


# ------------------------------------------------------------------ the bundled data
def test_every_source_has_an_address_and_none_is_the_projects_own_sheet(kb: KnowledgeBase) -> None:
    for source in kb.sources:
        assert source.url or source.doi or source.registry_id, source.id
        assert "shared/" not in (source.url or "") + (source.citation or ""), source.id
    assert not any("shared/" in p.read_text(encoding="utf-8") for p in DATA.glob("*.yaml"))
    assert kb.source("src-public-sources") is None


def test_every_trial_with_an_nct_number_has_registry_facts_with_as_of(kb: KnowledgeBase) -> None:
    for trial in kb.trials:
        if any(r.startswith("NCT") for r in trial.registry_ids):
            assert trial.registry is not None, trial.id
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", trial.registry.as_of), trial.id
            assert trial.registry.registry_id in trial.registry_ids
            assert kb.source(trial.registry.source) is not None


def test_ft596_trial_shows_the_registrys_status_with_its_date(kb: KnowledgeBase) -> None:
    trial = kb.get("trial-ft596-phase1")
    registry = trial.registry
    assert registry.registry_id == "NCT04245722" and registry.as_of == "2023-05-03"
    assert (registry.enrollment, registry.enrollment_type) == (98, "actual")
    assert registry.status in get_args(model.TrialStatus) and registry.status != "completed"
    assert trial.status != "completed"
    for lang, as_of in (("en", "as of 2023-05-03"), ("zh", "截至2023-05-03")):
        rows = {row.label: row.value for s in describe(trial, kb, lang).sections for row in s.rows}
        shown = "\n".join(rows.values())
        assert label("trial_status", registry.status, lang) in shown and as_of in shown


def test_registry_and_curated_values_that_differ_are_both_shown(kb: KnowledgeBase) -> None:
    trial = kb.get("trial-nkx019-lymphoma")
    differing = msgspec.structs.replace(trial, status="terminated")
    items = [i for s in describe(differing, kb, "en").sections for i in s.items]
    assert any("Recorded here: terminated" in i and "recruiting" in i and "as of 2023-09-05" in i for i in items)


def test_ft596_reads_discontinued_wherever_its_stage_is_shown(kb: KnowledgeBase) -> None:
    ft596 = kb.get("ft596")
    for lang in LANGS:
        assert fmt.stage_status(ft596, lang) == FT596_STAGE[lang]
        assert compare_row(ft596, kb, lang).cells["stage"] == FT596_STAGE[lang]
        rows = list(csv.DictReader(io.StringIO(render(kb, "csv", lang))))
        assert next(r for r in rows if r["id"] == "ft596")["stage"] == FT596_STAGE[lang]
        slides = "\n".join(line for s in build_slides(kb, lang) for line in rendered_lines(s, 120))
        assert FT596_STAGE[lang] in slides
        shown = {row.field: row.value for s in describe(ft596, kb, lang).sections for row in s.rows}
        assert shown["stage"] == FT596_STAGE[lang]


def test_sanofi_kiadis_total_is_upfront_plus_milestones_and_the_article_is_a_discrepancy(kb: KnowledgeBase) -> None:
    deal = kb.get("deal-sanofi-kiadis-licence-2020")
    assert deal.date == "2020-07-08"
    assert (deal.upfront.amount, deal.milestones.amount, deal.total.amount) == (17_500_000, 857_500_000, 875_000_000)
    assert [d.field for d in deal.discrepancies] == ["milestones"]
    assert "src-article" in deal.discrepancies[0].sources
    assert "K-NK004" in deal.scope.en
    for name in ("deal-bms-dragonfly-2020", "deal-gilead-dragonfly-2022"):
        assert kb.get(name).royalties.up_to_percent in (24, 20)
    assert any("abbvie" in d.parties for d in kb.deals)


def test_best_reported_result_comes_from_the_main_cohort_and_names_it(kb: KnowledgeBase) -> None:
    for lang in LANGS:
        cell = compare_row(kb.get("ft596"), kb, lang).cells["best"]
        assert "85%" not in cell  # a subgroup, never the headline
        trial = kb.get("trial-ft596-phase1")
        main = next(c for c in trial.cohorts if c.primary)
        assert text(main.label, lang) in cell
        nkx101 = compare_row(kb.get("nkx101"), kb, lang).cells["best"]
        assert "4/18" in nkx101  # the later, larger cohort, not the early 3/5


def test_uncertain_attributions_are_said_where_the_figure_is_shown(kb: KnowledgeBase) -> None:
    trial = kb.get("trial-snc103-sle")
    assert trial.attribution == "uncertain"
    assert kb.get("trial-robo1-solid").attribution == "uncertain"
    assert kb.get("trial-robo1-pancreatic").attribution == "uncertain"
    for lang in LANGS:
        marker = label("attribution", "uncertain", lang)
        assert marker in compare_row(kb.get("snc103"), kb, lang).cells["best"]
        rows = [row for g in result_groups(kb, lang) for row in g.rows if row.trial_id == trial.id]
        assert rows and all(marker in row.product for row in rows)
        detail = describe(trial, kb, lang)
        assert any(row.field == "attribution" and marker in row.value for s in detail.sections for row in s.rows)
        assert all(marker in bar.cohort for s in detail.sections for bar in s.bars)


def test_corrected_facts(kb: KnowledgeBase) -> None:
    nkx019 = kb.get("nkx019")
    engineering = nkx019.engineering.car.en + " ".join(a.en for a in nkx019.engineering.armour)
    assert "OX40" in engineering and "membrane-bound il-15" in engineering.lower()
    assert kb.get("kn5501").cell_source == "healthy-donor"
    assert kb.get("df6002").stage == "phase-1-2" and "solid-tumour" in kb.get("df6002").indication_areas
    assert kb.get("trial-ntrust-1").phase == "phase-1-2"
    assert "NCT06518668" in kb.get("trial-nkx019-sle-columbia").registry_ids
    assert {"NCT05601466", "NCT05665075"} <= {r for t in kb.trials_of("qn-023a") for r in t.registry_ids}
    assert all(r.timepoint for t in kb.trials_of("nkx101") for r in t.results)  # every figure says when
    merck = kb.get("merck-msd").summary
    assert "first" not in merck.en and "率先" not in merck.zh
    titles = {kb.source(i).title.en for i in ("src-lancet-ft596-2025", "src-lancet-kn5501-2025")}
    assert any(t.startswith("Induced pluripotent stem-cell-derived") for t in titles)
    assert any(t.startswith("Efficacy and safety of allogeneic CD19 CAR NK-cell therapy") for t in titles)


# ------------------------------------------------------------------ words, not codes
ENUMS = {
    "stage": model.Stage, "product_status": model.ProductStatus, "trial_status": model.TrialStatus,
    "phase": model.Phase, "cell_source": model.CellSource, "modality": model.Modality, "area": model.IndicationArea,
    "source_kind": model.SourceKind, "deal_kind": model.DealKind, "event_kind": model.EventKind,
    "company_status": model.CompanyStatus, "measure": model.Measure, "currency": model.Currency,
    "attribution": model.Attribution,
}


@pytest.mark.parametrize("group", sorted(ENUMS))
def test_every_enumeration_value_has_words_in_both_languages(group: str) -> None:
    for value in get_args(ENUMS[group]):
        assert value in _VALUES[group], f"{group}: {value} has no label"
        zh, en = _VALUES[group][value]
        assert zh and en and not CJK.search(en), (group, value)


def test_every_discrepancy_field_and_measure_in_the_data_has_words(kb: KnowledgeBase) -> None:
    for record in kb.records():
        for d in getattr(record, "discrepancies", ()):
            assert d.field in _VALUES["field"], (record.id, d.field)
    labels = {label("measure", code, lang) for code in get_args(model.Measure) for lang in LANGS}
    codes = [code for code in get_args(model.Measure) if not any(code in word for word in labels)]
    assert {"CR-or-LDA", "disease-control", "LLDAS-or-DORIS", "CRc"} <= set(codes)
    for lang in LANGS:
        shown = "\n".join(row.measure for g in result_groups(kb, lang) for row in g.rows)
        assert not any(re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", shown) for code in codes), shown


def test_chinese_text_uses_full_width_punctuation(kb: KnowledgeBase) -> None:
    bad = [(getattr(r, "id", "meta"), path, value) for r in every_record(kb)
           for path, lang, value in texts(r) if lang == "zh" and HALF_WIDTH.search(value)]
    assert not bad, bad[:5]


def test_interface_words_use_full_width_punctuation_in_chinese() -> None:
    from carnk_tui.views.i18n import _STRINGS

    words = [zh for zh, _ in _STRINGS.values()] + [zh for group in _VALUES.values() for zh, _ in group.values()]
    assert not [w for w in words if HALF_WIDTH.search(w)]


#: a Latin bracket or colon where Chinese output has its own: "中国创新企业 (7)", "挑战 (1/3)", "公司: …"
LATIN_MARKS_IN_CHINESE = re.compile(r" \((?=[\d\u4e00-\u9fff])|[\u4e00-\u9fff]: ")


def test_what_the_app_composes_in_chinese_has_full_width_brackets_and_colons(kb: KnowledgeBase) -> None:
    """The data and the interface's words were checked; the text the app puts together from them (counts after
    a name, a slide's part number, a product's facts in brackets, a label before its value) must follow the
    same rule. English names inside Chinese text may keep theirs (a publisher's "(Accelerating …)")."""
    from carnk_tui.views import landscape_tree as shape

    composed: list[str] = render(kb, "md", "zh").splitlines()
    for slide in build_slides(kb, "zh"):
        composed += [slide.title, *rendered_lines(slide, 100)]
    nodes = list(shape.roots(kb, "zh"))
    while nodes:
        node = nodes.pop()
        composed.append(node.label)
        if node.expandable:
            nodes += shape.children(node.key, kb, "zh")
    found = [line for line in composed if LATIN_MARKS_IN_CHINESE.search(line)]
    assert len(composed) > 500 and not found, found[:5]


def test_english_text_and_names_carry_no_chinese(kb: KnowledgeBase) -> None:
    bad = [(getattr(r, "id", "meta"), path) for r in every_record(kb)
           for path, lang, value in texts(r) if lang == "en" and CJK.search(value)]
    assert not bad, bad[:5]
    for record in kb.records():
        name = getattr(record, "name", None)
        if isinstance(name, str):
            assert not CJK.search(name), record.id


def test_no_export_shows_internal_ids_project_paths_or_codes(kb: KnowledgeBase) -> None:
    for lang in LANGS:
        for fmt_name in ("md", "csv"):
            out = render(kb, fmt_name, lang)
            assert "shared/" not in out
            words = re.sub(r"https?://\S+", "", out)  # addresses may contain anything
            assert not INTERNAL_ID.search(words), INTERNAL_ID.search(words)
            for code in ("CR-or-LDA", "disease-control", "LLDAS-or-DORIS"):
                assert code not in out, (lang, fmt_name, code)
        md = render(kb, "md", "zh")
        assert "NKG2D ligands" not in md and "NKG2D配体" in md
        assert not re.search(r"(?<![A-Za-z])BMS(?![-\w])", md)


def test_undisclosed_facts_say_so(kb: KnowledgeBase) -> None:
    for lang in LANGS:
        word = label("stage", "unknown", lang)
        assert compare_row(kb.get("asc103"), kb, lang).cells["stage"] == word
        detail = describe(kb.get("yingbairui"), kb, lang)
        products = next(s for s in detail.sections if s.title == t("f.products", lang))
        assert products.items == (word,)


# ------------------------------------------------------------------ the real app
async def test_tree_and_compare_show_ft596_discontinued(app_factory, kb: KnowledgeBase) -> None:
    for lang in LANGS:
        app = app_factory(lang, open_text="FT596")
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            tree = app.screen.query_one(CampTree)
            assert tree.cursor_node.data == "ft596"
            assert FT596_STAGE[lang] in str(tree.cursor_node.label)
            assert "ft596" not in detail_text(app).splitlines()[0]
            await pilot.press("4")
            await settle(pilot)
            table = app.screen.query_one("#compare-table", DataTable)
            row = next(r for r in range(table.row_count)
                       if table.coordinate_to_cell_key((r, 0)).row_key.value == "ft596")
            cells = [str(c) for c in table.get_row_at(row)]
            # the table's short forms: "Ph 1" beside "stopped 2023-01" (Status is a column of its own)
            stopped = f"{label('status_short', 'discontinued', lang)} 2023-01"
            assert label("stage_short", "phase-1", lang) in cells and stopped in cells, cells


async def test_trial_detail_title_shows_the_kind_never_the_id(app_factory, kb: KnowledgeBase) -> None:
    app = app_factory("zh", open_text="trial-nkx019-mg")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        head = detail_text(app).splitlines()[0]
        assert name_of(kb.get("trial-nkx019-mg"), "zh") in head
        assert "试验" in head and "trial-nkx019-mg" not in head


async def test_company_without_products_says_not_disclosed_in_the_tree(app_factory, kb: KnowledgeBase) -> None:
    app = app_factory("zh", open_text="yingbairui")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(CampTree)
        assert tree.cursor_node.data == "yingbairui"
        assert "未披露产品" in str(tree.cursor_node.label)
