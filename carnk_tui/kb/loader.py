"""Load and validate a knowledge base from YAML directories.

Every problem is found in one pass and reported with the file, line, record id and field
it concerns. Type checks are msgspec's; this module maps msgspec's error paths back to the
lines the YAML parser recorded, and adds the checks that span records (ids, references,
figures).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Collection, Iterable, Iterator

import msgspec
from msgspec import Struct

from carnk_tui.kb import collector, model
from carnk_tui.kb.interning import Sharer
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.problems import KnowledgeBaseError, Problem
from carnk_tui.kb.yaml_reader import Path_, YamlDoc, read_yaml

if TYPE_CHECKING:
    from carnk_tui.kb.cache import FileCache

YAML_SUFFIXES = (".yaml", ".yml")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_MSGSPEC_PATH = re.compile(r" - at `\$([^`]*)`$")
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
#: percent given beside responders/denominator may differ from the exact ratio by rounding
PERCENT_TOLERANCE = 1.0
#: upfront + milestones may differ from a deal's total by rounding: 0.5% of the total, or 50,000 units
MONEY_TOLERANCE = (0.005, 50_000)
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
DAY_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
#: registry numbers that name a ClinicalTrials.gov record
NCT_PATTERN = re.compile(r"^NCT\d{8}$")
#: where the project keeps its own working files: never a source of the knowledge base
PROJECT_FILES = re.compile(r"(^|[\s/(])shared/", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Located:
    """A record and where it was written."""

    #: any record type of the model (they share no base class with `id`)
    record: Any
    doc: YamlDoc
    path: Path_
    #: (file number, line): the order in which records were read
    order: tuple[int, int] = (0, 0)

    def where(self, sub: Path_ = ()) -> tuple[str, int]:
        return str(self.doc.display), self.doc.line((*self.path, *sub))


def load(dirs: Iterable[Path | str], memo: FileCache | None = None, share: bool = True) -> KnowledgeBase:
    """Load the knowledge base held in `dirs` (later directories add records to earlier ones).

    `memo` keeps each file's records between loads: a file unchanged since the last valid load is
    not read again (and, when no id has gone, only the records read again are checked). Equal values
    of the records are one object (`interning`) unless `share` is False (a load only to validate).
    Raises KnowledgeBaseError with every problem found.
    """
    # Loading makes millions of short-lived containers and no reference cycles: the cyclic garbage
    # collector would only scan them again and again (a quarter of the time on large bases).
    paths = [Path(d) for d in dirs]
    with collector.held():
        # A valid knowledge base needs only each record's line (for `origins`): the first pass keeps
        # no more, which spares most of the time and memory that line numbers cost. Only when there
        # are problems is it read again with every line, to say exactly where each one is; files that
        # could not be read at all are not read again (their problems already have their lines).
        unreadable: dict[Path, list[Problem]] = {}
        try:
            return _load(paths, RECORD_LINES, unreadable, memo, Sharer() if share and memo is None else None)
        except KnowledgeBaseError:
            return _load(paths, EVERY_LINE, unreadable)


#: how deep line numbers are kept: a record's own line ("products", 3), or every value's
RECORD_LINES, EVERY_LINE = 2, None


def _load(dirs: list[Path], track: int | None, unreadable: dict[Path, list[Problem]],
          memo: FileCache | None = None, sharer: Sharer | None = None) -> KnowledgeBase:
    problems: list[Problem] = []
    located: dict[str, list[Located]] = {name: [] for name in (*model.COLLECTIONS, *model.SINGLETONS)}
    broken: set[str] = set()  # ids of records that failed their own checks: already reported, not dangling
    docs: list[YamlDoc] = []
    for number, doc in enumerate(_read_docs(dirs, problems, track, unreadable, memo)):
        if memo is None or not memo.reuse(doc, number, located):
            _collect(doc, number, located, broken, problems)
            if memo is not None:
                memo.collected(doc, number, located)  # its values shared with the records kept
            elif sharer is not None:
                sharer.share(loc.record for locs in records_of(doc, located).values() for loc in locs)
        doc.data = None  # its records are converted: one file's raw values at a time stay in memory
        docs.append(doc)
    for name in model.SINGLETONS:
        if not located[name] and docs:
            first = docs[0]
            problems.append(Problem(first.display, 1, None, name, f"no '{name}:' section found in any file"))
        for extra in located[name][1:]:
            file, line = extra.where()
            first_file, first_line = located[name][0].where()
            problems.append(Problem(file, line, None, name,
                                    f"'{name}' is defined again (first at {first_file}:{first_line})"))
    kinds = ids_by_section(located)
    # After an edit, only the records read again need checking when no id the others could name has gone
    # (and no id is there twice: to say where, every record is looked at)
    scope = memo.scope(kinds) if memo is not None and not problems else None
    ids: Collection[str]
    if scope is not None and _unique(located, kinds):
        _check_ids(scope, problems)
        ids = set().union(*kinds.values())
        checked = scope
    else:
        ids = by_id = _check_ids(located, problems)
        checked = located
    _check_references_quickly(checked, ids, broken, problems, kinds)
    _check_cycles(located, problems)
    _check_figures(checked, problems)
    _check_sources(checked, problems)
    _check_registry(checked, problems)
    _check_status(checked, problems)
    _check_money(checked, problems)
    _check_registry_studies(located, broken, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    if memo is not None:
        # each file's own records, before registry readings are laid over trials; where each record is
        origins = memo.remember(docs, located, kinds)
    else:
        origins = {rid: f"{loc.doc.display}:{loc.order[1]}" for rid, loc in by_id.items()}  # order: (file, line)
    return assemble({name: [loc.record for loc in located[name]] for name in located}, origins)


def assemble(records: dict[str, list[Any]], origins: dict[str, str]) -> KnowledgeBase:
    """The knowledge base of valid records (each section's in the order read), registry readings laid over trials."""
    _overlay_registry(records)
    return KnowledgeBase(
        meta=records["meta"][0],
        overview=records["overview"][0],
        judgement=records["judgement"][0],
        origins=origins,
        **{name: tuple(records[name]) for name in model.COLLECTIONS},
    )


def records_of(doc: YamlDoc, located: dict[str, list[Located]]) -> dict[str, list[Located]]:
    """The records of `doc`, the document read last, by section."""
    mine: dict[str, list[Located]] = {}
    for section, locs in located.items():
        start = len(locs)
        while start and locs[start - 1].doc is doc:
            start -= 1
        if start < len(locs):
            mine[section] = locs[start:]
    return mine


def ids_by_section(located: dict[str, list[Located]]) -> dict[str, set[str]]:
    """The ids of each section's records."""
    return {name: {record_id for loc in locs if (record_id := getattr(loc.record, "id", None)) is not None}
            for name, locs in located.items()}


def _unique(located: dict[str, list[Located]], kinds: dict[str, set[str]]) -> bool:
    """Whether no id is given to two records (a section's records all have an id, or none has)."""
    return len(set().union(*kinds.values())) == sum(len(located[name]) for name, ids in kinds.items() if ids)


# ------------------------------------------------------------------ files
def yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix.lower() in YAML_SUFFIXES)


def stamp(dirs: Iterable[Path | str]) -> tuple[tuple[object, ...], ...]:
    """A cheap fingerprint of the YAML files in `dirs`: it changes when a file is added, removed or edited."""
    out: list[tuple[object, ...]] = []
    for directory in map(Path, dirs):
        if not directory.is_dir():
            out.append((str(directory), None))
            continue
        for file in yaml_files(directory):
            try:
                info = file.stat()
                out.append((str(file), info.st_mtime_ns, info.st_size))
            except OSError:
                out.append((str(file), None))
    return tuple(out)


def _read_docs(dirs: list[Path], problems: list[Problem], track: int | None,
               unreadable: dict[Path, list[Problem]], memo: FileCache | None = None) -> Iterator[YamlDoc]:
    if not dirs:
        problems.append(Problem("<none>", 0, None, None, "no data directory given"))
    listed: list[tuple[Path, list[Path]]] = []
    for directory in dirs:
        if not directory.exists():
            problems.append(Problem(str(directory), 0, None, None, "data directory does not exist"))
            continue
        if not directory.is_dir():
            problems.append(Problem(str(directory), 0, None, None, "not a directory"))
            continue
        files = yaml_files(directory)
        if not files:
            problems.append(Problem(str(directory), 0, None, None, "no YAML files (*.yaml, *.yml) in this directory"))
        listed.append((directory, files))
    # files to read (not known to the memo, not already found unreadable): large ones go to worker
    # processes on the first pass, which read them while this process takes each in its turn
    known = {file: memo.get(file) if memo is not None else None
             for _, files in listed for file in files if file not in unreadable}
    fresh = [file for file, doc in known.items() if doc is None]
    from carnk_tui.kb import parallel  # (rapidyaml and worker processes: not imported when nothing is read)

    processes = parallel.workers(fresh) if track == RECORD_LINES else None
    reader = parallel.Reader(fresh, processes) if processes is not None else None
    try:
        for _, files in listed:
            for file in files:
                if file in unreadable:
                    problems.extend(unreadable[file])
                    continue
                doc: YamlDoc | None = known[file]
                if doc is not None:
                    yield doc  # unchanged since the last valid load: its records are reused
                    continue
                doc = reader.take(file) if reader is not None else None
                if doc is not None:
                    yield doc  # its records, decoded typed from rapidyaml's JSON (by a worker process)
                    continue
                doc, found = read_yaml(file, track=track)
                problems.extend(found)
                if doc is None:
                    unreadable[file] = found
                else:
                    yield doc
    finally:
        if reader is not None:
            reader.close()


def _collect(doc: YamlDoc, number: int, located: dict[str, list[Located]], broken: set[str],
             problems: list[Problem]) -> None:
    from carnk_tui.kb import parallel

    if isinstance(doc.data, parallel.records_type()):  # read by a worker: records already
        for key, value in parallel.sections(doc.data):
            if key in model.SINGLETONS:
                located[key].append(Located(value, doc, (key,), (number, doc.line((key,)))))
            else:
                located[key].extend(Located(record, doc, (key, i), (number, doc.line((key, i))))
                                    for i, record in enumerate(value))
        return
    if not isinstance(doc.data, dict):
        problems.append(Problem(doc.display, doc.line(()), None, None,
                                "the file must be a mapping of sections such as 'companies:' or 'products:'"))
        return
    for key, value in doc.data.items():
        line = doc.line((key,))
        if key in model.SINGLETONS:
            record = _convert(value, model.SINGLETONS[key], doc, (key,), key, problems)
            if record is not None:
                located[key].append(Located(record, doc, (key,), (number, line)))
        elif key in model.COLLECTIONS:
            if value is None:
                continue
            if not isinstance(value, list):
                problems.append(Problem(doc.display, line, None, key,
                                        f"expected a list of records, got {_kind(value)}"))
                continue
            for i, item in enumerate(value):
                record = _convert(item, model.COLLECTIONS[key], doc, (key, i), key, problems)
                if record is not None:
                    located[key].append(Located(record, doc, (key, i), (number, doc.line((key, i)))))
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    broken.add(item["id"])
        else:
            sections = (*model.COLLECTIONS, *model.SINGLETONS)
            problems.append(Problem(doc.display, line, None, key, "unknown section" + _suggest(key, sections)))


# ------------------------------------------------------------------ one record
def _convert(value: Any, cls: type[Struct], doc: YamlDoc, path: Path_, section: str,
             problems: list[Problem]) -> Struct | None:
    """Check one record against its type; report every field that is wrong."""
    try:
        return msgspec.convert(value, cls)
    except msgspec.ValidationError:
        pass  # find every problem, field by field, below
    record_id = value.get("id") if isinstance(value, dict) else None
    rid = record_id if isinstance(record_id, str) else (f"{section}[{path[-1]}]" if len(path) > 1 else section)

    def report(sub: Path_, field: str | None, message: str) -> None:
        problems.append(Problem(doc.display, doc.line((*path, *sub)), rid, field, message))

    if not isinstance(value, dict):
        report((), None, f"expected a mapping of fields, got {_kind(value)}")
        return None
    fields = {f.name: f for f in msgspec.structs.fields(cls)}
    before = len(problems)
    for key in value:
        if key not in fields:
            report((key,), key, "unknown field" + _suggest(key, fields))
    for name, info in fields.items():
        if name not in value:
            if info.required:
                report((), name, "missing required field")
            continue
        try:
            msgspec.convert(value[name], info.type)
        except msgspec.ValidationError as exc:
            message, sub = _split_msgspec(str(exc))
            report((name, *sub), name + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in sub), message)
    if len(problems) == before:
        # every field is fine alone; the record as a whole failed (a check in __post_init__)
        try:
            msgspec.convert(value, cls)
        except msgspec.ValidationError as exc:
            report((), None, _split_msgspec(str(exc))[0])
    return None


def _split_msgspec(message: str) -> tuple[str, Path_]:
    """msgspec's message without its ``- at `$...` `` suffix, and that suffix as a path."""
    match = _MSGSPEC_PATH.search(message)
    sub: Path_ = ()
    if match:
        sub = tuple(name if name else int(index) for name, index in _PATH_PART.findall(match.group(1)))
        message = message[: match.start()]
    message = (message.replace("`str | object`", "text or a {zh: ..., en: ...} mapping")
               .replace("Expected `object`", "Expected a mapping")
               .replace("Invalid enum value", "value not allowed:"))
    return message, sub


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "nothing"}.get(type(value),
                                                                                       type(value).__name__)


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


# ------------------------------------------------------------------ across records
def _all_records(located: dict[str, list[Located]]) -> list[Located]:
    """Every record, in the order it was read."""
    return sorted((loc for entries in located.values() for loc in entries), key=lambda loc: loc.order)


#: any number of ids, each followed by a line break, each as ID_PATTERN wants it
_IDS = re.compile(r"(?:[a-z0-9][a-z0-9._-]*\n)*")


def _check_ids(located: dict[str, list[Located]], problems: list[Problem]) -> dict[str, Located]:
    """Every record by its id: each id given once and well formed (and a trial's cohorts' and results' ids)."""
    ordered = _all_records(located)
    # usually nothing is wrong, which a few passes at C speed show: then no record needs looking at
    placed = [(rid, loc) for loc in ordered if (rid := getattr(loc.record, "id", None)) is not None]
    ids = dict(placed)
    given = "".join(f"{rid}\n" for rid, _loc in placed)  # (an id with a line break in it is looked at below)
    if (len(ids) == len(placed) and given.count("\n") == len(placed) and _IDS.fullmatch(given)
            and all(_unique_ids(loc.record.cohorts) and _unique_ids(loc.record.results) for loc in located["trials"])):
        return ids
    ids = {}
    for loc in ordered:
        rid = getattr(loc.record, "id", None)
        if rid is None:
            continue
        if not ID_PATTERN.match(rid):
            file, line = loc.where(("id",))
            problems.append(Problem(file, line, rid, "id", "ids use lower-case letters, digits, '.', '_' and '-'"))
        if rid in ids:
            file, line = loc.where(("id",))
            first_file, first_line = ids[rid].where(("id",))
            problems.append(Problem(file, line, rid, "id",
                                    f"duplicate id (first defined at {first_file}:{first_line})"))
        else:
            ids[rid] = loc
        if isinstance(loc.record, model.Trial):
            if len(loc.record.cohorts) > 1:
                _check_local_ids(loc, "cohorts", problems)
            if len(loc.record.results) > 1:
                _check_local_ids(loc, "results", problems)
    return ids


def _unique_ids(items: tuple[Any, ...]) -> bool:
    return len(items) < 2 or len(set(map(attrgetter("id"), items))) == len(items)


def _check_local_ids(loc: Located, attr: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(getattr(loc.record, attr)):
        if item.id in seen:
            file, line = loc.where((attr, i, "id"))
            problems.append(Problem(file, line, loc.record.id, f"{attr}[{i}].id",
                                    f"duplicate id {item.id!r} in this trial"))
        seen.add(item.id)


def _check_references(located: dict[str, list[Located]], ids: Collection[str], broken: set[str],
                      problems: list[Problem], kinds: dict[str, set[str]]) -> None:
    """The references of the records in `located` name records of the right kind (`kinds`: every section's ids)."""

    def check(loc: Located, sub: Path_, field: str, target: str, kind: str) -> None:
        rid = getattr(loc.record, "id", None) or str(loc.path[0])
        if target == rid and kind == "*":
            file, line = loc.where(sub)
            problems.append(Problem(file, line, rid, field, "a record cannot refer to itself"))
        ok = target in ids if kind == "*" else target in kinds[kind]
        if not ok and target not in broken:
            file, line = loc.where(sub)
            where = "any record" if kind == "*" else kind
            hint = _suggest(target, ids if kind == "*" else kinds[kind])
            problems.append(Problem(file, line, rid, field, f"'{target}' is not the id of {where}{hint}"))

    sources = kinds["sources"]
    for loc in _all_records(located):
        record = loc.record
        for field, kind in model.REFERENCES.get(type(record), {}).items():
            value = getattr(record, field)
            if value is None:
                continue
            if isinstance(value, tuple):
                if kind == "*" or not kinds[kind].issuperset(value):  # (the common case, found at C speed)
                    for i, target in enumerate(value):
                        check(loc, (field, i), field, target, kind)
            elif kind == "*" or value not in kinds[kind]:
                check(loc, (field,), field, value, kind)
        for sub, targets in _source_lists(record):
            if sources.issuperset(targets):
                continue
            if sub == ("registry",):  # one source id, not a list
                check(loc, ("registry", "source"), "registry.source", targets[0], "sources")
                continue
            name = "".join(f"[{s}]" if isinstance(s, int) else (f".{s}" if n else s) for n, s in enumerate(sub))
            for i, target in enumerate(targets):
                check(loc, (*sub, i), name, target, "sources")
        for i, d in enumerate(getattr(record, "discrepancies", ())):
            names = _field_names(type(record))
            if d.field not in names:
                file, line = loc.where(("discrepancies", i, "field"))
                problems.append(Problem(file, line, record.id, f"discrepancies[{i}].field",
                                        f"'{d.field}' is not a field of this record" + _suggest(d.field, names)))


def _check_references_quickly(located: dict[str, list[Located]], ids: Collection[str], broken: set[str],
                              problems: list[Problem], kinds: dict[str, set[str]]) -> None:
    """`_check_references`, for a knowledge base that usually has no problem there: each section's references
    are first gathered into sets and compared with the ids at C speed; a section where that finds nothing
    wrong has no problem to report. If any has, every record is checked as `_check_references` does (the
    problems, in its order). References that may name any record (a record must not name itself) are
    checked record by record (a few challenges and directions)."""
    sources = kinds["sources"]
    rest: dict[str, list[Located]] = {}
    for name, locs in located.items():
        records = [loc.record for loc in locs]
        kinds_of = set(map(type, records))
        if len(kinds_of) > 1:
            _check_references(located, ids, broken, problems, kinds)
            return
        if not kinds_of:
            continue
        cls = kinds_of.pop()
        if "*" in model.REFERENCES.get(cls, {}).values():
            rest[name] = locs
        elif not _clean_references(cls, records, kinds, sources):
            _check_references(located, ids, broken, problems, kinds)
            return
    if rest:
        _check_references(rest, ids, broken, problems, kinds)


def _clean_references(cls: type, records: list[Any], kinds: dict[str, set[str]], sources: set[str]) -> bool:
    """Whether none of `records` (all of type `cls`) names a record that is not there (references,
    `sources` lists, a trial's registry source) or a field it does not have (discrepancies): where
    `_check_references` would find no problem in them. False: it may find one."""
    for field, kind in model.REFERENCES.get(cls, {}).items():
        named: set[Any] = set()
        for value in map(attrgetter(field), records):
            if type(value) is tuple:
                named.update(value)
            else:
                named.add(value)
        named.discard(None)
        if not kinds[kind].issuperset(named):
            return False
    if cls is model.Source:
        return True
    names = _field_names(cls)
    lists: list[Iterable[tuple[str, ...]]] = []
    if "sources" in names:
        lists.append(map(attrgetter("sources"), records))
    if "discrepancies" in names:
        found = list(chain.from_iterable(map(attrgetter("discrepancies"), records)))
        lists.append(map(attrgetter("sources"), found))
        if not names.issuperset(map(attrgetter("field"), found)):
            return False
    if "results" in names:
        lists.append(map(attrgetter("sources"), chain.from_iterable(map(attrgetter("results"), records))))
    if cls is model.Deal:
        lists.extend((value.sources for value in map(attrgetter(part), records) if value is not None)
                     for part in ("upfront", "milestones", "total", "equity", "royalties"))
    if cls is model.Trial:
        lists.append((value.source,) for value in map(attrgetter("registry"), records) if value is not None)
    return all(sources.issuperset(chain.from_iterable(found)) for found in lists)


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type[Struct]) -> frozenset[str]:
    """The fields of a record type (msgspec works them out from the annotations on every call)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in msgspec.structs.fields(cls))
    return names


def _source_lists(record: Struct) -> Iterator[tuple[Path_, tuple[str, ...]]]:
    """Every ``sources`` list within a record, with its path."""
    if isinstance(record, model.Source):
        return
    if hasattr(record, "sources"):
        yield ("sources",), record.sources
    for i, d in enumerate(getattr(record, "discrepancies", ())):
        yield ("discrepancies", i, "sources"), d.sources
    for i, r in enumerate(getattr(record, "results", ())):
        yield ("results", i, "sources"), r.sources
    if isinstance(record, model.Deal):
        for name in ("upfront", "milestones", "total", "equity", "royalties"):
            part = getattr(record, name)
            if part is not None:
                yield (name, "sources"), part.sources
    if isinstance(record, model.Trial) and record.registry is not None:
        yield ("registry",), (record.registry.source,)


def _check_cycles(located: dict[str, list[Located]], problems: list[Problem]) -> None:
    """`acquired_by` chains must end: A acquired by B acquired by A is an error."""
    owner = {loc.record.id: loc for loc in located["companies"]}
    for start, loc in owner.items():
        seen = [start]
        current = loc.record.acquired_by
        while current in owner:
            if current == start:
                file, line = loc.where(("acquired_by",))
                problems.append(Problem(file, line, start, "acquired_by", "circular reference: " + " -> ".join([*seen,
                                                                                                                start])))
                break
            if current in seen:
                break  # a cycle that does not pass through `start`; reported from its own members
            seen.append(current)
            current = owner[current].record.acquired_by


def _check_figures(located: dict[str, list[Located]], problems: list[Problem]) -> None:
    for loc in located["trials"]:
        trial: model.Trial = loc.record
        cohorts = {c.id: c for c in trial.cohorts}
        for i, result in enumerate(trial.results):
            def report(field: str, message: str, loc: Located = loc, i: int = i, trial: model.Trial = trial) -> None:
                file, line = loc.where(("results", i, field))
                problems.append(Problem(file, line, trial.id, f"results[{i}].{field}", message))

            cohort = cohorts.get(result.cohort)
            if cohort is None:
                report("cohort", f"'{result.cohort}' is not a cohort of this trial" + _suggest(result.cohort, cohorts))
            out_of_range = result.percent is not None and not 0 <= result.percent <= 100
            if out_of_range:
                report("percent", f"{result.percent:g}% is outside 0-100")
            if result.responders is not None and result.responders < 0:
                report("responders", "must not be negative")
            if result.denominator is not None and result.denominator <= 0:
                report("denominator", "must be at least 1")
            if result.responders is not None and result.denominator is not None and result.denominator > 0:
                if result.responders > result.denominator:
                    report("responders",
                           f"{result.responders} responders is more than the cohort of {result.denominator}")
                elif result.percent is not None and not out_of_range:
                    exact = 100 * result.responders / result.denominator
                    if abs(exact - result.percent) > PERCENT_TOLERANCE:
                        report("percent",
                               f"{result.percent:g}% does not match {result.responders} of {result.denominator} "
                               f"({exact:.1f}%)")
            if (cohort is not None and cohort.n is not None and result.denominator is not None
                    and result.denominator > cohort.n):
                report("denominator",
                       f"{result.denominator} is more than the {cohort.n} patients of cohort '{cohort.id}'")
            if result.percent is None and (result.responders is None or result.denominator is None):
                report("percent", "give a percent, or responders and denominator")


def _report(loc: Located, sub: Path_, field: str, message: str, problems: list[Problem]) -> None:
    file, line = loc.where(sub)
    problems.append(Problem(file, line, getattr(loc.record, "id", None), field, message))


def _check_date(loc: Located, sub: Path_, value: str | None, problems: list[Problem], day: bool = False) -> None:
    if value is None:
        return
    pattern = DAY_PATTERN if day else DATE_PATTERN
    if not pattern.match(value):
        shape = '"YYYY-MM-DD"' if day else '"YYYY", "YYYY-MM" or "YYYY-MM-DD"'
        field = "".join(f"[{s}]" if isinstance(s, int) else (f".{s}" if n else s) for n, s in enumerate(sub))
        _report(loc, sub, field, f"{value!r} is not a date: write {shape}", problems)


def _check_sources(located: dict[str, list[Located]], problems: list[Problem]) -> None:
    """Every source has an address, and none is the project's own working files."""
    for loc in located["sources"]:
        source: model.Source = loc.record
        if not (source.url or source.doi or source.registry_id):
            _report(loc, ("id",), "url", "a source needs an address: give its url, doi or registry_id", problems)
        if source.url is not None and not source.url.startswith(("https://", "http://")):
            _report(loc, ("url",), "url", f"{source.url!r} is not a web address (https://...)", problems)
        for name in ("url", "citation"):
            value = getattr(source, name)
            if value and PROJECT_FILES.search(value):
                _report(loc, (name,), name, "cites the project's own working files: cite the documents they name",
                        problems)
        _check_date(loc, ("date",), source.date, problems)


def _check_registry(located: dict[str, list[Located]], problems: list[Problem]) -> None:
    """A trial with an NCT number carries the registry's facts and the date they were read."""
    for loc in located["trials"]:
        trial: model.Trial = loc.record
        _check_date(loc, ("start",), trial.start, problems)
        _check_date(loc, ("readout",), trial.readout, problems)
        ncts = [r for r in trial.registry_ids if NCT_PATTERN.match(r)]
        registry = trial.registry
        if registry is None:
            if ncts:
                _report(loc, ("registry_ids",), "registry",
                        f"{ncts[0]} is a registry number: add `registry:` with the registry's status and the date "
                        "it was read (as_of)", problems)
            continue
        if registry.registry_id not in trial.registry_ids:
            _report(loc, ("registry", "registry_id"), "registry.registry_id",
                    f"{registry.registry_id} is not one of this trial's registry_ids", problems)
        _check_date(loc, ("registry", "as_of"), registry.as_of, problems, day=True)
        _check_date(loc, ("registry", "start_date"), registry.start_date, problems)
        _check_date(loc, ("registry", "completion_date"), registry.completion_date, problems)
        if registry.enrollment is not None and registry.enrollment < 0:
            _report(loc, ("registry", "enrollment"), "registry.enrollment", "must not be negative", problems)


def _check_status(located: dict[str, list[Located]], problems: list[Problem]) -> None:
    """A product's development status says when and on whose word, unless it is unknown."""
    for loc in located["products"]:
        product: model.Product = loc.record
        _check_date(loc, ("status_date",), product.status_date, problems)
        if product.status != "unknown" and not product.status_sources:
            _report(loc, ("status",), "status_sources",
                    f"status '{product.status}' needs status_sources: the documents that say so", problems)


def _money_text(value: model.Money) -> str:
    return f"{value.amount:,.0f} {value.currency}"


def _check_money(located: dict[str, list[Located]], problems: list[Problem]) -> None:
    """Where a deal gives upfront, milestones and total in one currency, the parts add up to the total."""
    share, floor = MONEY_TOLERANCE
    for loc in located["deals"]:
        deal: model.Deal = loc.record
        _check_date(loc, ("date",), deal.date, problems)
        upfront, milestones, total = deal.upfront, deal.milestones, deal.total
        if upfront is None or milestones is None or total is None:
            continue
        if len({upfront.currency, milestones.currency, total.currency}) > 1:
            _report(loc, ("total", "currency"), "total.currency",
                    "upfront, milestones and total are in different currencies: give them in one", problems)
            continue
        added = upfront.amount + milestones.amount
        if abs(added - total.amount) > max(share * total.amount, floor):
            _report(loc, ("total", "amount"), "total.amount",
                    f"upfront {_money_text(upfront)} + milestones {_money_text(milestones)} = "
                    f"{added:,.0f} {total.currency}, but total is {_money_text(total)}; "
                    "correct a figure, or record the other source's figure as a discrepancy", problems)
# ------------------------------------------------------------------ registry studies (carnk-tui import ctgov)
def _check_registry_studies(located: dict[str, list[Located]], broken: set[str], problems: list[Problem]) -> None:
    """Registry studies: a sponsor that is a company or a registry sponsor, a source, one study per NCT id."""
    sponsors = {getattr(loc.record, "id", None) for name in ("companies", "registry_sponsors") for loc in located[name]}
    sources = {getattr(loc.record, "id", None) for loc in located["sources"]}
    seen: dict[str, Located] = {}
    for loc in located["registry_studies"]:
        study: model.RegistryStudy = loc.record
        registry = study.registry
        if registry.source not in sources and registry.source not in broken:
            file, line = loc.where(("registry", "source"))
            problems.append(Problem(file, line, study.id, "registry.source", f"'{registry.source}' is not the id of "
                                    "a source" + _suggest(registry.source, {s for s in sources if s})))
        if study.sponsor is not None and study.sponsor not in sponsors and study.sponsor not in broken:
            file, line = loc.where(("sponsor",))
            problems.append(Problem(file, line, study.id, "sponsor", f"'{study.sponsor}' is not the id of a company "
                                    "or a registry sponsor" + _suggest(study.sponsor, {s for s in sponsors if s})))
        _check_date(loc, ("registry", "as_of"), registry.as_of, problems, day=True)
        for name in ("start_date", "completion_date", "first_posted"):
            _check_date(loc, ("registry", name), getattr(registry, name), problems)
        first = seen.get(registry.registry_id)
        if first is not None:
            file, line = loc.where(("registry", "registry_id"))
            first_file, first_line = first.where()
            problems.append(Problem(file, line, study.id, "registry.registry_id",
                                    f"{registry.registry_id} is also the study at {first_file}:{first_line}"))
        else:
            seen[registry.registry_id] = loc


def _overlay_registry(records: dict[str, list[Any]]) -> None:
    """A registry study whose NCT id is on a curated trial becomes that trial's `registry` value.

    The curated trial's own fields are never changed; the newer reading wins when the trial already
    has one. Such studies leave the list of registry studies (the trial stands for them).
    """
    studies: dict[str, model.RegistryStudy] = {}
    for study in records["registry_studies"]:
        studies[study.registry.registry_id] = study
    if not studies:
        return
    linked: set[str] = set()
    for i, trial in enumerate(records["trials"]):
        for nct in trial.registry_ids:
            found = studies.get(nct.upper())
            if found is None:
                continue
            linked.add(found.id)
            reading = found.registry
            if trial.registry is None or (trial.registry.registry_id == reading.registry_id
                                          and reading.as_of >= trial.registry.as_of):
                trial = msgspec.structs.replace(trial, registry=reading)
                records["trials"][i] = trial
    if linked:
        records["registry_studies"] = [study for study in records["registry_studies"] if study.id not in linked]
