"""Importing ClinicalTrials.gov downloads: formats, linking, re-import changes, diff, bad input, fetch."""

from __future__ import annotations

import copy
import csv
import http.server
import json
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from carnk_tui.cli import main
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.registry import ctgov, mapping, store
from carnk_tui.registry.summary import summarise

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
JSON_FILE = FIXTURES / "ctgov-studies.json"
CSV_FILE = FIXTURES / "ctg-studies.csv"
#: the knowledge base's words for the registry's statuses used below
ACTIVE, COMPLETED = mapping.status("ACTIVE_NOT_RECRUITING"), mapping.status("COMPLETED")
TERMINATED, RECRUITING, UNKNOWN = mapping.status("TERMINATED"), mapping.status("RECRUITING"), mapping.status("UNKNOWN")
CURATED = {"NCT04245722", "NCT05020678", "NCT06557265", "NCT06733935", "NCT04623944", "NCT06010472",
           "NCT03940820", "NCT03941457", "NCT05601466"}


def page() -> dict:
    return json.loads(JSON_FILE.read_text(encoding="utf-8"))


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True)
def _no_user_registry(monkeypatch, tmp_path):
    """Each test has its own registry directory (the default one is the user's)."""
    monkeypatch.setenv("CARNK_TUI_REGISTRY_DIR", str(tmp_path / "registry"))


# ------------------------------------------------------------------ reading
def test_every_json_shape_gives_the_same_studies(tmp_path):
    studies = page()["studies"]
    expected = ctgov.read_files([JSON_FILE], "2026-11-20")
    assert len(expected) == len(studies) >= 30
    ids = [s.registry_id for s in expected]
    two_pages = tmp_path / "pages.json"
    two_pages.write_text(json.dumps({"studies": studies[:20], "nextPageToken": "x"}) + "\n"
                         + json.dumps({"studies": studies[20:]}), encoding="utf-8")
    list_of_pages = write_json(tmp_path / "list-of-pages.json", [{"studies": studies[:5]}, {"studies": studies[5:]}])
    bare = write_json(tmp_path / "bare.json", studies)
    assert [s.registry_id for s in ctgov.read_files([two_pages], "2026-11-20")] == ids
    assert [s.registry_id for s in ctgov.read_files([list_of_pages], "2026-11-20")] == ids
    assert [s.registry_id for s in ctgov.read_files([bare], "2026-11-20")] == ids
    one = write_json(tmp_path / "one.json", studies[0])
    assert [s.registry_id for s in ctgov.read_files([one], "2026-11-20")] == ids[:1]


def test_fields_are_mapped_onto_the_knowledge_base():
    by_id = {s.registry_id: s for s in ctgov.read_files([JSON_FILE], "2026-11-20")}
    mda = by_id["NCT03056339"]
    assert (mda.status, mda.phase, mda.enrollment, mda.enrollment_type) == (ACTIVE, "phase-1-2", 48, "actual")
    assert (mda.start_date, mda.first_posted, mda.sponsor_class) == ("2017-06-21", "2017-02-17", "other")
    assert mda.countries == ("United States",) and mda.has_results is False
    assert by_id["NCT06010472"].phase == "early-phase-1"
    assert by_id["NCT05776355"].phase is None  # "NA": not applicable
    assert by_id["NCT05020678"].countries == ("United States", "Australia")


def test_missing_modules_are_not_given_not_errors():
    bare = ctgov.read_files([JSON_FILE], "2026-11-20")
    study = next(s for s in bare if s.registry_id == "NCT05673447")  # no sponsor, enrollment, interventions, ...
    assert study.lead_sponsor is None and study.enrollment is None and study.interventions == ()
    assert study.has_results is None and study.first_posted is None


def test_csv_download_reads_like_the_json():
    from_csv = ctgov.read_files([CSV_FILE], "2026-11-20")
    from_json = {s.registry_id: s for s in ctgov.read_files([JSON_FILE], "2026-11-20")}
    assert len(from_csv) >= 20
    for study in from_csv:
        other = from_json[study.registry_id]
        for field in ("title", "status", "phase", "enrollment", "start_date", "first_posted", "lead_sponsor",
                      "sponsor_class", "collaborators", "conditions", "interventions", "countries"):
            assert getattr(study, field) == getattr(other, field), (study.registry_id, field)


def test_older_csv_spellings_are_accepted(tmp_path):
    file = tmp_path / "old.csv"
    file.write_text("NCT Number,Title,Status,Phases,Start Date,First Posted,Funded Bys\n"
                    'NCT00000001,A study,"Active, not recruiting",Phase 1|Phase 2,June 2017,"April 3, 2020",'
                    'Industry|Other\n',
                    encoding="utf-8")
    (study,) = ctgov.read_files([file], "2026-11-20")
    assert (study.status, study.phase, study.start_date, study.first_posted, study.sponsor_class) == (
        ACTIVE, "phase-1-2", "2017-06", "2020-04-03", "industry")


# ------------------------------------------------------------------ importing
def test_import_then_validate_passes_and_links_curated_trials(tmp_path, capsys):
    out = tmp_path / "reg"
    code, _, err = run(capsys, "import", "ctgov", str(JSON_FILE), "--out", str(out), "--as-of", "2026-11-20")
    assert code == 0, err
    assert "imported 39 studies" in err
    code, _, err = run(capsys, "validate", "--extra", str(out))
    assert code == 0, err
    kb = load([bundled_data_dir(), out])
    uncurated = {s.registry.registry_id for s in kb.registry_studies}
    assert uncurated and not uncurated & CURATED  # linked, not duplicated
    ft596 = kb.get("trial-ft596-phase1")
    assert ft596.registry is not None and ft596.registry.registry_id == "NCT04245722"
    assert ft596.registry.as_of == "2026-11-20" and ft596.registry.enrollment == 86
    nkarta_sponsored = [s for s in kb.registry_studies if s.sponsor == "nkarta"]
    assert nkarta_sponsored == []  # all of Nkarta's studies are curated trials
    mda = kb.get("nct03056339")
    sponsor = kb.get(mda.sponsor)
    assert sponsor.name == "M.D. Anderson Cancer Center" and sponsor.sponsor_class == "other"
    source = kb.get(mda.sources[0])
    assert source.note.en == "Read on 2026-11-20." and source.note.zh == "读取于 2026-11-20。"
    assert source.url == "https://clinicaltrials.gov/study/NCT03056339"


def test_import_csv_validates(tmp_path, capsys):
    out = tmp_path / "reg"
    code, _, err = run(capsys, "import", "ctgov", str(CSV_FILE), "--out", str(out))
    assert code == 0, err
    assert run(capsys, "validate", "--extra", str(out))[0] == 0


def test_default_registry_directory_is_loaded_automatically(tmp_path, capsys):
    code, _, err = run(capsys, "import", "ctgov", str(JSON_FILE), "--as-of", "2026-11-20")
    assert code == 0, err
    assert (tmp_path / "registry" / store.RECORDS_FILE).is_file()
    code, stdout, _ = run(capsys, "validate")
    assert code == 0 and str(tmp_path / "registry") in stdout and "registry_studies" in stdout


LATER_FILE = FIXTURES / "ctgov-studies-later.json"


def later_copy(tmp_path: Path) -> Path:
    """The fixture three statuses and one study later (a file of its own, so that `carnk-tui screenshot`
    can draw "What changed" from two imports of the fixtures)."""
    return LATER_FILE


def test_later_fixture_is_the_fixture_three_statuses_and_one_study_later():
    data = page()
    statuses = {"NCT03056339": "COMPLETED", "NCT05472558": "ACTIVE_NOT_RECRUITING", "NCT04623944": "COMPLETED"}
    for study in data["studies"]:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
        if nct in statuses:
            study["protocolSection"]["statusModule"]["overallStatus"] = statuses[nct]
    added = copy.deepcopy(data["studies"][-1])
    added["protocolSection"]["identificationModule"] = {"nctId": "NCT06999999", "briefTitle": "A new CAR-NK study"}
    data["studies"].append(added)
    assert json.loads(LATER_FILE.read_text(encoding="utf-8")) == data


def test_reimport_records_exactly_what_changed(tmp_path, capsys):
    out = tmp_path / "reg"
    assert run(capsys, "import", "ctgov", str(JSON_FILE), "--out", str(out), "--as-of", "2026-11-01")[0] == 0
    later = later_copy(tmp_path)
    code, _, err = run(capsys, "import", "ctgov", str(later), "--out", str(out), "--as-of", "2026-11-20")
    assert code == 0, err
    assert "4 change(s)" in err
    history = store.read_history(out)
    latest = {(c.registry_id, c.kind, c.before, c.after, c.before_as_of, c.after_as_of) for c in history.latest()}
    assert latest == {
        ("NCT03056339", "status", ACTIVE, COMPLETED, "2026-11-01", "2026-11-20"),
        ("NCT05472558", "status", RECRUITING, ACTIVE, "2026-11-01", "2026-11-20"),
        ("NCT04623944", "status", TERMINATED, COMPLETED, "2026-11-01", "2026-11-20"),
        ("NCT06999999", "added", None, UNKNOWN, "2026-11-01", "2026-11-20"),
    }
    assert run(capsys, "validate", "--extra", str(out))[0] == 0
    kb = load([bundled_data_dir(), out])  # the app sees the same four
    assert {(c.registry_id, c.change, c.import_number) for c in kb.registry_changes} == {
        (nct, kind, 2) for nct, kind, *_ in latest}


def test_diff_lists_the_four_changes_in_every_format(tmp_path, capsys):
    later = later_copy(tmp_path)
    code, md, _ = run(capsys, "diff", str(JSON_FILE), str(later), "--lang", "en")
    assert code == 0
    rows = [line for line in md.splitlines() if line.startswith("| NCT0")]
    assert len(rows) == 4
    assert any("NCT06999999" in r and "added" in r for r in rows)
    code, text, _ = run(capsys, "diff", str(JSON_FILE), str(later), "--format", "csv")
    assert len(list(csv.reader(text.splitlines()))) == 5
    code, text, _ = run(capsys, "diff", str(JSON_FILE), str(later), "--format", "json")
    assert sorted(c["kind"] for c in json.loads(text)) == ["added", "status", "status", "status"]


def test_diff_of_two_registry_directories(tmp_path, capsys):
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(capsys, "import", "ctgov", str(JSON_FILE), "--out", str(one))[0] == 0
    assert run(capsys, "import", "ctgov", str(later_copy(tmp_path)), "--out", str(two))[0] == 0
    code, text, _ = run(capsys, "diff", str(one), str(two), "--format", "json")
    assert code == 0 and len(json.loads(text)) == 4


def test_add_keeps_studies_of_the_previous_import(tmp_path, capsys):
    out = tmp_path / "reg"
    data = page()
    first = write_json(tmp_path / "a.json", {"studies": data["studies"][:10]})
    second = write_json(tmp_path / "b.json", {"studies": data["studies"][10:]})
    assert run(capsys, "import", "ctgov", str(first), "--out", str(out))[0] == 0
    assert run(capsys, "import", "ctgov", str(second), "--out", str(out), "--add")[0] == 0
    assert len(store.read_records(out)) == len(data["studies"])
    assert all(c.kind == "added" for c in store.read_history(out).latest())
    assert run(capsys, "validate", "--extra", str(out))[0] == 0


def test_summary_counts():
    studies = ctgov.read_files([JSON_FILE], "2026-11-20")
    summary = summarise(studies)
    assert summary.total == len(studies)
    counts = dict(summary.counts["status"])
    assert counts[RECRUITING] == sum(1 for s in studies if s.status == RECRUITING)
    assert dict(summary.counts["country"])["China"] >= 10
    assert summary.counts["start_year"][0][0] == "2009"


# ------------------------------------------------------------------ bad input
def previous_registry(tmp_path: Path, capsys) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "reg"
    assert run(capsys, "import", "ctgov", str(CSV_FILE), "--out", str(out))[0] == 0
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def bad_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, what the message must say)."""
    studies = page()["studies"]
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(JSON_FILE.read_bytes()[:5000])
    text = tmp_path / "notes.txt"
    text.write_text("these are my notes\nnot a download\n", encoding="utf-8")
    no_columns = tmp_path / "columns.csv"
    no_columns.write_text("NCT Number,Conditions\nNCT03056339,Lymphoma\n", encoding="utf-8")
    no_id = copy.deepcopy(studies[:3])
    del no_id[1]["protocolSection"]["identificationModule"]["nctId"]
    status = copy.deepcopy(studies[:3])
    status[2]["protocolSection"]["statusModule"]["overallStatus"] = "HALF_DONE"
    phase = copy.deepcopy(studies[:3])
    phase[0]["protocolSection"]["designModule"]["phases"] = ["PHASE9"]
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1000 * 1000)
    return {
        "truncated": (truncated, "not valid JSON"),
        "not json": (text, "neither JSON nor a ClinicalTrials.gov CSV download"),
        "csv columns": (no_columns, '"Study Title", "Study Status"'),
        "no nct id": (write_json(tmp_path / "noid.json", {"studies": no_id}), "study 2: the study has no NCT id"),
        "unknown status": (write_json(tmp_path / "status.json", {"studies": status}),
                           "study 3 (NCT05020678): unknown status 'HALF_DONE'"),
        "unknown phase": (write_json(tmp_path / "phase.json", {"studies": phase}),
                          "study 1 (NCT03056339): unknown phase 'PHASE9'"),
        "50 MB": (big, "the file is 50.0 MB"),
        "missing": (tmp_path / "no-such-file.json", "cannot be read (No such file or directory)"),
    }


@pytest.mark.parametrize("case", ["truncated", "not json", "csv columns", "no nct id", "unknown status",
                                  "unknown phase", "50 MB", "missing"])
def test_bad_input_names_the_file_and_writes_nothing(tmp_path, capsys, case):
    out, before = previous_registry(tmp_path, capsys)
    file, expected = bad_cases(tmp_path)[case]
    code, _, err = run(capsys, "import", "ctgov", str(file), "--out", str(out))
    assert code == 1
    assert str(file) in err and expected in err, err
    assert "nothing was written" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".reg.")]  # no temporary directory left


def test_duplicate_nct_ids_across_files(tmp_path, capsys):
    out, before = previous_registry(tmp_path, capsys)
    code, _, err = run(capsys, "import", "ctgov", str(JSON_FILE), str(CSV_FILE), "--out", str(out))
    assert code == 1
    assert f"{CSV_FILE}: row 2 (NCT03056339): NCT03056339 is also at {JSON_FILE}, study 1" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_directory_with_other_files_is_not_replaced(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.yaml").write_text("important: yes\n", encoding="utf-8")
    code, _, err = run(capsys, "import", "ctgov", str(JSON_FILE), "--out", str(mine))
    assert code == 1 and "holds other files" in err
    assert [p.name for p in mine.iterdir()] == ["notes.yaml"]


def test_a_download_without_studies_changes_nothing(tmp_path, capsys):
    out, before = previous_registry(tmp_path, capsys)
    empty = write_json(tmp_path / "empty.json", {"studies": []})
    code, _, err = run(capsys, "import", "ctgov", str(empty), "--out", str(out))
    assert code == 1 and f"no studies in {empty}" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_as_of_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "import", "ctgov", str(JSON_FILE), "--as-of", "last week", "--out", str(tmp_path / "r"))
    assert code == 2 and "YYYY-MM-DD" in err


# ------------------------------------------------------------------ fetch
class _Pages(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[list[bytes]] = []
    seen: ClassVar[list[dict]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        type(self).seen.append(query)
        number = int(query.get("pageToken", ["0"])[0])
        body = self.pages[number]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recorded_server(monkeypatch):
    studies = page()["studies"]
    pages = []
    for number, start in enumerate(range(0, len(studies), 15)):
        body: dict = {"studies": studies[start:start + 15]}
        if start + 15 < len(studies):
            body["nextPageToken"] = str(number + 1)
        pages.append(json.dumps(body).encode("utf-8"))
    handler = type("Pages", (_Pages,), {"pages": pages, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("CARNK_TUI_CTGOV_URL", f"http://127.0.0.1:{server.server_address[1]}/api/v2/studies")
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_fetch_follows_pages(tmp_path, capsys, recorded_server, monkeypatch):
    monkeypatch.setattr("carnk_tui.registry.fetch.PAGE_SIZE", 15)
    out = tmp_path / "reg"
    code, _, err = run(capsys, "import", "ctgov", "--query", "CAR-NK", "--out", str(out))
    assert code == 0, err
    assert len(store.read_records(out)) == 39
    assert len(recorded_server.seen) == 3
    assert recorded_server.seen[0]["query.term"] == ["CAR-NK"]
    assert run(capsys, "validate", "--extra", str(out))[0] == 0


def test_fetch_stops_at_max(tmp_path, capsys, recorded_server, monkeypatch):
    monkeypatch.setattr("carnk_tui.registry.fetch.PAGE_SIZE", 15)
    out = tmp_path / "reg"
    code, _, err = run(capsys, "import", "ctgov", "--query", "CAR-NK", "--max", "20", "--out", str(out))
    assert code == 0, err
    assert len(store.read_records(out)) == 20 and len(recorded_server.seen) == 2
    assert recorded_server.seen[1]["pageSize"] == ["5"]


def test_fetch_offline_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CARNK_TUI_CTGOV_URL", "http://127.0.0.1:9/api/v2/studies")  # the discard port: refused
    code, _, err = run(capsys, "import", "ctgov", "--query", "CAR-NK", "--out", str(tmp_path / "reg"))
    assert code == 1
    assert "could not reach ClinicalTrials.gov" in err and "import the file" in err
    assert not (tmp_path / "reg").exists()


def test_a_study_naming_a_known_product_is_linked_to_it(tmp_path, capsys):
    data = page()
    study = next(s for s in data["studies"]
                 if s["protocolSection"]["identificationModule"]["nctId"] == "NCT05645601")  # not a curated trial
    study["protocolSection"]["armsInterventionsModule"]["interventions"].append(
        {"type": "BIOLOGICAL", "name": "Allogeneic cells", "otherNames": ["QN-139b CAR-NK cells"]})
    out = tmp_path / "reg"
    assert run(capsys, "import", "ctgov", str(write_json(tmp_path / "p.json", data)), "--out", str(out))[0] == 0
    kb = load([bundled_data_dir(), out])
    assert kb.get("nct05645601").products == ("qn-139b",)
    assert all(not s.products for s in kb.registry_studies if s.id != "nct05645601")
    # in the tree it sits under the product, beside the curated trials, not in the registry branch
    from carnk_tui.views import landscape_tree as shape
    from carnk_tui.views.registry_overview import REGISTRY_KEY

    assert shape.path_to("nct05645601", kb)[-2:] == ["qn-139b", "nct05645601"]
    assert "nct05645601" in [spec.key for spec in shape.children("qn-139b", kb, "en")]
    groups = shape.children(REGISTRY_KEY, kb, "en")
    assert all(spec.key != "nct05645601" for g in groups for spec in shape.children(g.key, kb, "en"))


def test_an_import_stays_valid_when_the_curated_data_gains_the_same_registry_source(tmp_path, capsys):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), data)
    out = tmp_path / "reg"
    assert run(capsys, "--data", str(data), "import", "ctgov", str(JSON_FILE), "--out", str(out))[0] == 0
    (data / "later.yaml").write_text(
        "sources:\n  - id: src-nct03056339\n    kind: registry\n    title: ClinicalTrials.gov NCT03056339\n"
        "    registry_id: NCT03056339\n    url: https://clinicaltrials.gov/study/NCT03056339\n", encoding="utf-8")
    code, _, err = run(capsys, "--data", str(data), "validate", "--extra", str(out))
    assert code == 0, err
