"""The knowledge base's record types.

Plain, immutable msgspec structs: the loader checks YAML against them, the exporters
and the app read them. Nothing here knows about YAML files or Textual.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from msgspec import Struct

# ---------------------------------------------------------------- enumerations
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

SourceKind = Literal["article", "publication", "registry", "press-release", "news", "database", "company"]
CampId = str  # camps are records too; companies refer to them by id
CompanyStatus = Literal["active", "closed", "acquired", "unknown"]
CellSource = Literal[
    "ipsc", "cord-blood", "peripheral-blood", "healthy-donor", "nk-cell-line", "resting-t-and-nk", "not-applicable",
    "unknown",
]
Modality = Literal["car-nk", "car-t-and-car-nk", "nk-engager", "nk-cell", "cytokine-fusion", "unknown"]
IndicationArea = Literal["haematological", "autoimmune", "solid-tumour"]
#: the highest development stage a product has reached (whether it is still developed is `ProductStatus`)
Stage = Literal[
    "discovery", "preclinical", "ind", "phase-1", "phase-1-2", "phase-2", "phase-3", "approved", "unknown",
]
#: whether a product is still being developed: "returned" means a licensee handed the rights back
ProductStatus = Literal["active", "discontinued", "returned", "unknown"]
Phase = Literal["early-phase-1", "phase-1", "phase-1-2", "phase-2", "phase-3", "investigator-initiated"]
#: curated statuses ("planned", "active") and ClinicalTrials.gov's overall statuses, in its words
TrialStatus = Literal[
    "planned", "not-yet-recruiting", "recruiting", "enrolling-by-invitation", "active", "active-not-recruiting",
    "suspended", "completed", "terminated", "withdrawn", "unknown",
]
#: whether a source states that a trial belongs to its product, or this knowledge base infers it
Attribution = Literal["confirmed", "uncertain"]
DealKind = Literal["collaboration", "licence", "acquisition", "option"]
EventKind = Literal[
    "founding", "deal", "acquisition", "closure", "trial-start", "readout", "publication", "layoff",
    "pipeline-cut", "regulatory",
]
Currency = Literal["USD", "EUR", "CNY"]
ChallengeArea = Literal["manufacturing", "engineering", "microenvironment", "targets", "commercial", "setback"]
Measure = Literal[
    "ORR", "CR", "CRc", "PR", "CR-or-LDA", "LLDAS-or-DORIS", "SRI-4", "disease-control", "MRD-negative", "relapse",
    "other",
]


class Bilingual(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """Text a reader sees, in Simplified Chinese and English."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


#: A name that reads the same in both languages may be a plain string.
Name = str | Bilingual


def text(value: Name | None, lang: Lang) -> str:
    """The reader-facing text of a name or bilingual value in one language."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get(lang)


class Base(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """Fields every record shares."""

    id: str
    sources: tuple[str, ...]


class Discrepancy(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """Another source's value for one field of a record, kept beside the article's value."""

    field: str
    value: Bilingual
    sources: tuple[str, ...]
    note: Bilingual | None = None


class Recorded(Base, frozen=True, kw_only=True):
    """A record that can carry discrepancies between its sources."""

    discrepancies: tuple[Discrepancy, ...] = ()


class Money(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """An amount of a deal, with the sources that give it."""

    amount: float
    currency: Currency
    up_to: bool = False
    #: the source says "about"
    approximate: bool = False
    sources: tuple[str, ...] = ()
    note: Bilingual | None = None

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("amount must not be negative")


class Royalties(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """Royalty terms: the highest published rate, and the terms in words."""

    up_to_percent: float | None = None
    terms: Bilingual | None = None
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.up_to_percent is not None and not 0 <= self.up_to_percent <= 100:
            raise ValueError("up_to_percent must lie within 0-100")


# ---------------------------------------------------------------- records
class Term(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """A word the data uses as a code (a target such as "NKG2D ligands") and how each language says it."""

    id: str
    name: Bilingual


class Meta(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    title: Bilingual
    subtitle: Bilingual
    as_of: str
    sources: tuple[str, ...]
    terms: tuple[Term, ...] = ()


class Source(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """A document cited. It must have an address: `url`, `doi` or `registry_id` (the loader checks)."""

    id: str
    kind: SourceKind
    title: Name
    publisher: Name | None = None
    date: str | None = None
    citation: str | None = None
    doi: str | None = None
    registry_id: str | None = None
    url: str | None = None
    #: what the source is, for a reader (a bibliographic `citation` stays as published)
    note: Bilingual | None = None


class Camp(Base, frozen=True, kw_only=True):
    name: Bilingual
    #: a short name for narrow places such as the tree (the name is used when absent)
    short: Bilingual | None = None
    order: int
    summary: Bilingual


class Company(Recorded, frozen=True, kw_only=True):
    name: Name
    aliases: tuple[str, ...] = ()
    camp: str
    country: Name | None = None
    city: Name | None = None
    founded: int | None = None
    status: CompanyStatus = "active"
    status_note: Bilingual | None = None
    ticker: str | None = None
    acquired_by: str | None = None
    summary: Bilingual


class Platform(Recorded, frozen=True, kw_only=True):
    name: Name
    company: str
    technology: Bilingual
    description: Bilingual


class Engineering(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    car: Bilingual | None = None
    armour: tuple[Bilingual, ...] = ()
    knockouts: tuple[Bilingual, ...] = ()
    other: tuple[Bilingual, ...] = ()


class Product(Recorded, frozen=True, kw_only=True):
    name: Name
    aliases: tuple[str, ...] = ()
    company: str
    platform: str | None = None
    targets: tuple[str, ...] = ()
    cell_source: CellSource
    modality: Modality
    engineering: Engineering = Engineering()
    indications: tuple[Bilingual, ...] = ()
    indication_areas: tuple[IndicationArea, ...] = ()
    stage: Stage
    status: ProductStatus = "unknown"
    #: when the status last changed ("YYYY", "YYYY-MM" or "YYYY-MM-DD")
    status_date: str | None = None
    status_sources: tuple[str, ...] = ()
    status_note: Bilingual | None = None
    allogeneic: bool | None = None
    summary: Bilingual


class Cohort(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    id: str
    label: Bilingual
    n: int | None = None
    description: Bilingual | None = None
    #: the trial's main cohort: headline results come from main cohorts, never from subgroups
    primary: bool = False
    #: the dose arm (amount and schedule), when the sources give one
    dose: Bilingual | None = None

    def __post_init__(self) -> None:
        if self.n is not None and self.n < 0:
            raise ValueError("n must not be negative")


class Result(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    id: str
    measure: Measure
    label: Bilingual
    cohort: str
    percent: float | None = None
    responders: int | None = None
    denominator: int | None = None
    timepoint: Bilingual | None = None
    note: Bilingual | None = None
    sources: tuple[str, ...] = ()
    #: the share counts something bad (relapse, toxicity, death, progression): lower is better
    lower_is_better: bool = False


class RegistryRecord(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """What a trial registry says about a trial, and the date it was read."""

    registry_id: str
    #: the date these facts were read, or the date the copy read shows ("YYYY-MM-DD")
    as_of: str
    #: the source (a registry record, or the document the facts were read in)
    source: str
    status: TrialStatus
    phase: Phase | None = None
    enrollment: int | None = None
    enrollment_type: Literal["actual", "estimated"] | None = None
    start_date: str | None = None
    completion_date: str | None = None
    title: str | None = None
    # what an import of ClinicalTrials.gov also reads (carnk-tui import ctgov)
    first_posted: str | None = None
    lead_sponsor: str | None = None
    sponsor_class: SponsorClass | None = None
    collaborators: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    has_results: bool | None = None


class Trial(Recorded, frozen=True, kw_only=True):
    name: Name
    product: str
    #: whether a source ties this trial to `product`, or this knowledge base infers it
    attribution: Attribution = "confirmed"
    attribution_note: Bilingual | None = None
    registry_ids: tuple[str, ...] = ()
    registry: RegistryRecord | None = None
    phase: Phase
    indication: Bilingual
    indication_areas: tuple[IndicationArea, ...] = ()
    population: Bilingual
    status: TrialStatus = "unknown"
    sponsor: Name | None = None
    start: str | None = None
    readout: str | None = None
    publications: tuple[str, ...] = ()
    cohorts: tuple[Cohort, ...] = ()
    results: tuple[Result, ...] = ()
    summary: Bilingual


class Deal(Recorded, frozen=True, kw_only=True):
    name: Name
    kind: DealKind
    parties: tuple[str, ...]
    date: str
    platform: str | None = None
    scope: Bilingual
    upfront: Money | None = None
    milestones: Money | None = None
    total: Money | None = None
    equity: Money | None = None
    royalties: Royalties | None = None
    outcome: Bilingual | None = None


class Event(Recorded, frozen=True, kw_only=True):
    date: str
    kind: EventKind
    title: Bilingual
    detail: Bilingual | None = None
    companies: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    trials: tuple[str, ...] = ()
    deals: tuple[str, ...] = ()
    setback: bool = False


class Challenge(Base, frozen=True, kw_only=True):
    area: ChallengeArea
    order: int
    title: Bilingual
    summary: Bilingual
    points: tuple[Bilingual, ...] = ()
    related: tuple[str, ...] = ()


class Direction(Base, frozen=True, kw_only=True):
    order: int
    title: Bilingual
    summary: Bilingual
    approaches: tuple[Bilingual, ...] = ()
    related: tuple[str, ...] = ()


class Judgement(Base, frozen=True, kw_only=True):
    title: Bilingual
    summary: Bilingual
    contest: tuple[Bilingual, ...] = ()
    bottlenecks: tuple[Bilingual, ...] = ()
    conclusion: Bilingual


class ComparisonRow(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    aspect: Bilingual
    car_t: Bilingual
    car_nk: Bilingual


class CellSourceInfo(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    id: CellSource
    name: Bilingual
    note: Bilingual


class Overview(Base, frozen=True, kw_only=True):
    title: Bilingual
    summary: Bilingual
    car_t_limits: tuple[Bilingual, ...]
    nk_advantages: tuple[Bilingual, ...]
    cell_sources: tuple[CellSourceInfo, ...]
    comparison: tuple[ComparisonRow, ...]


#: The YAML top-level key for each list of records, and the record type it holds.
COLLECTIONS: dict[str, type[Struct]] = {
    "sources": Source,
    "camps": Camp,
    "companies": Company,
    "platforms": Platform,
    "products": Product,
    "trials": Trial,
    "deals": Deal,
    "events": Event,
    "challenges": Challenge,
    "directions": Direction,
}
#: Top-level keys that hold one record rather than a list.
SINGLETONS: dict[str, type[Struct]] = {
    "meta": Meta,
    "overview": Overview,
    "judgement": Judgement,
}


#: Which fields of a record name other records, and the collection they must be found in
#: ("*" means any record). Every ``sources`` field, nested ones included, names sources.
REFERENCES: dict[type[Struct], dict[str, str]] = {
    Company: {"camp": "camps", "acquired_by": "companies"},
    Platform: {"company": "companies"},
    Product: {"company": "companies", "platform": "platforms", "status_sources": "sources"},
    Trial: {"product": "products", "publications": "sources"},
    Deal: {"parties": "companies", "platform": "platforms"},
    Event: {"companies": "companies", "products": "products", "trials": "trials", "deals": "deals"},
    Challenge: {"related": "*"},
    Direction: {"related": "*"},
}


def to_builtins(obj: object) -> object:
    """Records as plain JSON-ready data."""
    return msgspec.to_builtins(obj)


# ---------------------------------------------------------------- registry studies (carnk-tui import ctgov)
#: the registry's class of a sponsor (ClinicalTrials.gov's AgencyClass, in the knowledge base's words)
SponsorClass = Literal["industry", "nih", "federal", "other-government", "individual", "network", "other", "unknown"]


class RegistrySponsor(Base, frozen=True, kw_only=True):
    """An organisation sponsoring registry studies that is not a company of the knowledge base."""

    name: str
    sponsor_class: SponsorClass | None = None


class RegistryStudy(Base, frozen=True, kw_only=True):
    """A registry study no curated trial covers (yet): what the registry says, and what it links to."""

    #: the registry id (NCT...), which is how readers name it
    name: str
    registry: RegistryRecord
    #: the lead sponsor: a company, or a registry sponsor
    sponsor: str | None = None
    #: products named in its interventions
    products: tuple[str, ...] = ()


class RegistryChange(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, gc=False):
    """One change an import found since the previous one; not a record to open (its study is)."""

    registry_id: str
    change: Literal["status", "phase", "enrollment", "added", "removed"]
    #: the values before and after (for a study added or removed: its status after or before)
    before: str | None = None
    after: str | None = None
    #: the dates of the two readings
    before_as_of: str | None = None
    after_as_of: str
    title: str | None = None
    #: which import found it (1 is the first)
    import_number: int


COLLECTIONS["registry_sponsors"] = RegistrySponsor
COLLECTIONS["registry_studies"] = RegistryStudy
COLLECTIONS["registry_changes"] = RegistryChange
#: collections only an import fills: counted only when they hold records
IMPORTED_COLLECTIONS = ("registry_sponsors", "registry_studies", "registry_changes")
#: collections whose entries have no id of their own (not looked up, searched or linked to)
UNINDEXED_COLLECTIONS = ("registry_changes",)
REFERENCES[RegistryStudy] = {"products": "products"}  # `sponsor` and `registry.source`: see loader._check_registry
