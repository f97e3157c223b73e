"""Read what ClinicalTrials.gov gives out: API v2 JSON (in every shape people save it) and the website's CSV.

JSON: a page as ``/api/v2/studies`` returns it (``{"studies": [...], "nextPageToken": ...}``), several
such pages (a list of them, or one after another in the same file), a bare list of studies, or one
study (``{"protocolSection": ...}``). CSV: the "Download" of the website's search results, whose first
row names the columns ("NCT Number", "Study Title", "Study Status", ...).

A field the file does not give is "not given" (None or empty); a value the registry does not define
(an unknown status or phase), a study without an NCT id, or a file that cannot be read is a problem,
reported with the file and the study or row. Nothing here writes files.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import msgspec

from carnk_tui.registry import mapping

#: files larger than this are refused before they are read (a full download of a few hundred
#: studies is a few MB; ask the registry for fewer fields or fewer studies per file)
MAX_FILE_BYTES = 40_000_000
NCT_PATTERN = re.compile(r"^NCT\d{8}$")
#: problems listed before the rest are only counted
MAX_PROBLEMS = 50

#: CSV columns: the name in the current download, then older names for the same column
COLUMNS: dict[str, tuple[str, ...]] = {
    "nct": ("NCT Number",),
    "title": ("Study Title", "Title"),
    "status": ("Study Status", "Status"),
    "results": ("Study Results",),
    "conditions": ("Conditions",),
    "interventions": ("Interventions",),
    "sponsor": ("Sponsor", "Sponsor/Collaborators"),
    "collaborators": ("Collaborators",),
    "phases": ("Phases",),
    "enrollment": ("Enrollment",),
    "funder": ("Funder Type", "Funded Bys"),
    "start": ("Start Date",),
    "completion": ("Completion Date",),
    "first_posted": ("First Posted",),
    "locations": ("Locations",),
}
#: without these a CSV is not a registry download
REQUIRED_COLUMNS = ("nct", "title", "status")


@dataclass(frozen=True, slots=True)
class Study:
    """One registry study, its values mapped onto the knowledge base's enumerations."""

    registry_id: str
    as_of: str
    origin: str  # "FILE, study N" or "FILE, row N": where it was read
    title: str | None = None
    status: str = "unknown"
    phase: str | None = None
    enrollment: int | None = None
    enrollment_type: str | None = None
    start_date: str | None = None
    completion_date: str | None = None
    first_posted: str | None = None
    lead_sponsor: str | None = None
    sponsor_class: str | None = None
    collaborators: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    #: other names the registry gives for the interventions (used to recognise products, not shown)
    intervention_aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    has_results: bool | None = None


@dataclass(frozen=True)
class InputProblem:
    file: str
    where: str | None  # "study 3 (NCT01234567)", "row 5", or None for the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class RegistryInputError(Exception):
    """The input could not be imported; carries every problem found."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the registry input")

    def lines(self) -> list[str]:
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS} more problem(s)")
        return shown


class _StudyProblem(Exception):
    """A problem with one study; the caller adds the file and the study's place."""


# ------------------------------------------------------------------ files
def read_files(files: list[Path], as_of: str | None = None) -> list[Study]:
    """Every study in `files`, in order. Raises RegistryInputError with every problem found.

    `as_of` is the date the studies were read from the registry; by default each file's own date.
    """
    problems: list[InputProblem] = []
    studies: list[Study] = []
    seen: dict[str, str] = {}
    for file in files:
        for study in read_file(file, as_of, problems):
            first = seen.get(study.registry_id)
            if first is not None:
                problems.append(InputProblem(str(file), f"{_place(study)} ({study.registry_id})",
                                             f"{study.registry_id} is also at {first}"))
                continue
            seen[study.registry_id] = study.origin
            studies.append(study)
    if problems:
        raise RegistryInputError(problems)
    return studies


def _place(study: Study) -> str:
    return study.origin.split(", ", 1)[1] if ", " in study.origin else study.origin


def file_date(file: Path) -> str:
    return date.fromtimestamp(file.stat().st_mtime).isoformat()


def read_file(file: Path, as_of: str | None, problems: list[InputProblem]) -> list[Study]:
    """The studies in one file; problems are added to `problems` (and those studies left out)."""
    name = str(file)
    try:
        size = file.stat().st_size
        if not file.is_file():
            problems.append(InputProblem(name, None, "not a file"))
            return []
        if size > MAX_FILE_BYTES:
            problems.append(InputProblem(name, None, f"the file is {size / 1e6:.1f} MB; files over "
                                         f"{MAX_FILE_BYTES / 1e6:.0f} MB are refused (download fewer studies "
                                         "or fewer fields per file)"))
            return []
        with file.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        when = as_of or file_date(file)
    except OSError as error:
        problems.append(InputProblem(name, None, f"cannot be read ({error.strerror or error})"))
        return []
    if len(data) > MAX_FILE_BYTES:
        problems.append(InputProblem(name, None, f"the file is over {MAX_FILE_BYTES / 1e6:.0f} MB; it is refused"))
        return []
    return parse_bytes(data, name, when, problems)


def parse_bytes(data: bytes, name: str, as_of: str, problems: list[InputProblem]) -> list[Study]:
    """Studies from a file's contents, JSON or CSV (told apart by the first character)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data.lstrip()[:1]
    if not head:
        problems.append(InputProblem(name, None, "the file is empty"))
        return []
    if head in (b"{", b"["):
        return parse_json(data, name, as_of, problems)
    return parse_csv(data, name, as_of, problems)


# ------------------------------------------------------------------ JSON
def parse_json(data: bytes, name: str, as_of: str, problems: list[InputProblem]) -> list[Study]:
    try:
        values: list[Any] = [msgspec.json.decode(data)]
    except msgspec.DecodeError as error:
        if "trailing characters" not in str(error):
            problems.append(InputProblem(name, None, f"not valid JSON ({_json_message(error)}); "
                                         "was the download cut short?"))
            return []
        try:  # several pages saved one after another
            values = list(_json_values(data.decode("utf-8")))
        except (ValueError, UnicodeDecodeError) as error2:
            problems.append(InputProblem(name, None, f"not valid JSON ({error2})"))
            return []
    studies: list[Study] = []
    number = 0
    for raw in _raw_studies(values, name, problems):
        number += 1
        where = f"study {number}"
        try:
            study = study_from_json(raw, f"{name}, {where}", as_of)
        except (_StudyProblem, mapping.UnknownValue) as problem:
            nct = _dig(raw, "protocolSection", "identificationModule", "nctId") if isinstance(raw, dict) else None
            label = f"{where} ({nct})" if isinstance(nct, str) and nct else where
            problems.append(InputProblem(name, label, str(problem)))
            continue
        studies.append(study)
    return studies


def _json_message(error: Exception) -> str:
    return str(error).replace("JSON is malformed: ", "")


def _json_values(text: str) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        value, position = decoder.raw_decode(text, position)
        yield value


def _raw_studies(values: list[Any], name: str, problems: list[InputProblem]) -> Iterator[Any]:
    """The study objects in the decoded values: pages, lists of pages or studies, single studies."""
    for value in values:
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "studies" in item:
                    yield from _page(item, name, problems)
                else:
                    yield item
        elif isinstance(value, dict) and "studies" in value:
            yield from _page(value, name, problems)
        elif isinstance(value, dict) and "protocolSection" in value:
            yield value
        else:
            problems.append(InputProblem(name, None, "not a ClinicalTrials.gov download: expected a page "
                                         "({\"studies\": [...]}), a list of studies or one study "
                                         "({\"protocolSection\": ...})"))


def _page(page: dict, name: str, problems: list[InputProblem]) -> list[Any]:
    studies = page["studies"]
    if not isinstance(studies, list):
        problems.append(InputProblem(name, None, "'studies' is not a list"))
        return []
    return studies


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _StudyProblem(f"{field} should be text, not {type(value).__name__}")
    value = value.strip()
    return value or None


def _texts(values: Any, field: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise _StudyProblem(f"{field} should be a list")
    out = [_text(v, field) for v in values]
    return tuple(dict.fromkeys(v for v in out if v))


def _module(protocol: dict, name: str) -> dict:
    module = protocol.get(name)
    if module is None:
        return {}
    if not isinstance(module, dict):
        raise _StudyProblem(f"{name} should be an object")
    return module


def study_from_json(raw: Any, origin: str, as_of: str) -> Study:
    """One API v2 study object as a Study. Raises _StudyProblem."""
    if not isinstance(raw, dict):
        raise _StudyProblem("a study should be an object")
    protocol = raw.get("protocolSection")
    if not isinstance(protocol, dict):
        raise _StudyProblem("no protocolSection, so no NCT id")
    ident = _module(protocol, "identificationModule")
    nct = _nct(_text(ident.get("nctId"), "nctId"))
    status_module = _module(protocol, "statusModule")
    design = _module(protocol, "designModule")
    sponsors = _module(protocol, "sponsorCollaboratorsModule")
    lead = sponsors.get("leadSponsor") or {}
    if not isinstance(lead, dict):
        raise _StudyProblem("leadSponsor should be an object")
    collaborators = sponsors.get("collaborators") or []
    if not isinstance(collaborators, list) or not all(isinstance(c, dict) for c in collaborators):
        raise _StudyProblem("collaborators should be a list of objects")
    interventions = _module(protocol, "armsInterventionsModule").get("interventions") or []
    if not isinstance(interventions, list) or not all(isinstance(i, dict) for i in interventions):
        raise _StudyProblem("interventions should be a list of objects")
    locations = _module(protocol, "contactsLocationsModule").get("locations") or []
    if not isinstance(locations, list) or not all(isinstance(loc, dict) for loc in locations):
        raise _StudyProblem("locations should be a list of objects")
    enrollment = design.get("enrollmentInfo") or {}
    if not isinstance(enrollment, dict):
        raise _StudyProblem("enrollmentInfo should be an object")
    status = _text(status_module.get("overallStatus"), "overallStatus")
    has_results = raw.get("hasResults")
    if has_results is not None and not isinstance(has_results, bool):
        raise _StudyProblem("hasResults should be true or false")
    aliases: list[str] = []
    for item in interventions:
        aliases.extend(_texts(item.get("otherNames"), "otherNames"))
    return Study(
        registry_id=nct,
        as_of=as_of,
        origin=origin,
        title=_text(ident.get("briefTitle"), "briefTitle") or _text(ident.get("officialTitle"), "officialTitle"),
        status=mapping.status(status) if status else "unknown",
        phase=mapping.phase(_texts(design.get("phases"), "phases")),
        enrollment=_count(enrollment.get("count")),
        enrollment_type=mapping.enrollment_type(_text(enrollment.get("type"), "enrollmentInfo.type")),
        start_date=_date_struct(status_module.get("startDateStruct"), "startDateStruct"),
        completion_date=_date_struct(status_module.get("completionDateStruct"), "completionDateStruct"),
        first_posted=_date_struct(status_module.get("studyFirstPostDateStruct"), "studyFirstPostDateStruct"),
        lead_sponsor=_text(lead.get("name"), "leadSponsor.name"),
        sponsor_class=mapping.sponsor_class(_text(lead.get("class"), "leadSponsor.class")),
        collaborators=tuple(dict.fromkeys(n for c in collaborators if (n := _text(c.get("name"), "collaborator")))),
        conditions=_texts(_module(protocol, "conditionsModule").get("conditions"), "conditions"),
        interventions=tuple(dict.fromkeys(n for i in interventions if (n := _text(i.get("name"), "intervention")))),
        intervention_aliases=tuple(dict.fromkeys(aliases)),
        countries=tuple(dict.fromkeys(c for loc in locations if (c := _text(loc.get("country"), "country")))),
        has_results=has_results,
    )


def _nct(value: str | None) -> str:
    if not value:
        raise _StudyProblem("the study has no NCT id")
    nct = value.upper()
    if not NCT_PATTERN.match(nct):
        raise _StudyProblem(f"{value!r} is not an NCT id (NCT and eight digits)")
    return nct


def _count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _StudyProblem("enrollment should be a number")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 0:
        raise _StudyProblem(f"enrollment {value!r} is not a number of participants")
    return value


def _date_struct(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _StudyProblem(f"{field} should be an object")
    return _date(_text(value.get("date"), f"{field}.date"), field)


# ------------------------------------------------------------------ dates
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WORDS = re.compile(r"^([A-Za-z]+)(?:\s+(\d{1,2}),)?\s+(\d{4})$")


def _date(value: str | None, field: str) -> str | None:
    """A registry date as "YYYY", "YYYY-MM" or "YYYY-MM-DD" ("2017-06-21", "June 2017", "June 21, 2017")."""
    if not value:
        return None
    match = _ISO.match(value)
    if match:
        year, month, day = match.groups()
    else:
        words = _WORDS.match(value)
        if not words or words.group(1).lower() not in _MONTHS:
            raise _StudyProblem(f"{field} {value!r} is not a date")
        month = f"{_MONTHS[words.group(1).lower()]:02d}"
        day = f"{int(words.group(2)):02d}" if words.group(2) else None
        year = words.group(3)
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise _StudyProblem(f"{field} {value!r} is not a date") from None
    return "-".join(p for p in (year, month, day) if p)


# ------------------------------------------------------------------ CSV
def parse_csv(data: bytes, name: str, as_of: str, problems: list[InputProblem]) -> list[Study]:
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(InputProblem(name, None, f"neither JSON nor UTF-8 CSV (byte {error.start} is not UTF-8)"))
        return []
    dialect: type[csv.Dialect] = csv.excel_tab if "\t" in content.split("\n", 1)[0] else csv.excel
    reader = csv.reader(io.StringIO(content, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        problems.append(InputProblem(name, None, "the file is empty"))
        return []
    header = [h.strip() for h in header]
    index: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for column in names:
            if column in header:
                index[key] = header.index(column)
                break
    missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in index]
    if missing:
        if not index:
            problems.append(InputProblem(name, None, "neither JSON nor a ClinicalTrials.gov CSV download "
                                         "(its first line names none of the registry's columns)"))
        else:
            columns = ", ".join(f'"{m}"' for m in missing)
            problems.append(InputProblem(name, None, f"the CSV lacks the column(s) {columns}"
                                         + " (download it again with these columns chosen)"))
        return []
    studies: list[Study] = []
    try:
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                studies.append(_study_from_row(row, index, f"{name}, row {number}", as_of))
            except (_StudyProblem, mapping.UnknownValue) as problem:
                nct = row[index["nct"]].strip() if index["nct"] < len(row) else ""
                problems.append(InputProblem(name, f"row {number} ({nct})" if nct else f"row {number}", str(problem)))
    except csv.Error as error:
        problems.append(InputProblem(name, f"row {reader.line_num}", f"not valid CSV ({error})"))
    return studies


def _cell(row: list[str], index: dict[str, int], key: str) -> str | None:
    position = index.get(key)
    if position is None or position >= len(row):
        return None
    return row[position].strip() or None


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(dict.fromkeys(part.strip() for part in value.split("|") if part.strip()))


def _study_from_row(row: list[str], index: dict[str, int], origin: str, as_of: str) -> Study:
    status = _cell(row, index, "status")
    phases = _split(_cell(row, index, "phases"))
    enrollment = _cell(row, index, "enrollment")
    funder = _split(_cell(row, index, "funder"))
    results = _cell(row, index, "results")
    return Study(
        registry_id=_nct(_cell(row, index, "nct")),
        as_of=as_of,
        origin=origin,
        title=_cell(row, index, "title"),
        status=mapping.status(status) if status else "unknown",
        phase=mapping.phase(phases),
        enrollment=_count(enrollment),
        start_date=_date(_cell(row, index, "start"), "Start Date"),
        completion_date=_date(_cell(row, index, "completion"), "Completion Date"),
        first_posted=_date(_cell(row, index, "first_posted"), "First Posted"),
        lead_sponsor=_cell(row, index, "sponsor"),
        sponsor_class=mapping.sponsor_class(funder[0]) if funder else None,
        collaborators=_split(_cell(row, index, "collaborators")),
        conditions=_split(_cell(row, index, "conditions")),
        interventions=tuple(dict.fromkeys(_strip_kind(i) for i in _split(_cell(row, index, "interventions")))),
        countries=tuple(dict.fromkeys(c for loc in _split(_cell(row, index, "locations")) if (c := _country(loc)))),
        has_results=mapping.has_results(results) if results else None,
    )


def _strip_kind(intervention: str) -> str:
    """'BIOLOGICAL: FT596' -> 'FT596' (the CSV puts the intervention's type first)."""
    kind, sep, rest = intervention.partition(": ")
    return rest.strip() if sep and kind.replace("_", " ").replace("/", " ").isupper() and rest.strip() else intervention


def _country(location: str) -> str | None:
    """The country of one CSV location ("Facility, City, State, Zip, Country")."""
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None
    # "Korea, Republic of" and similar names carry their own comma
    if len(parts) >= 2 and parts[-1].lower().endswith(" of"):
        return f"{parts[-2]}, {parts[-1]}"
    return parts[-1]

