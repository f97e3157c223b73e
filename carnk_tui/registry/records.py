"""Registry studies as knowledge-base records: a source per study, sponsor organisations, links to products.

The records are plain data (what the YAML file holds); `carnk_tui.kb.model` defines their types
(``RegistryStudy``, ``RegistrySponsor``, ``RegistryRecord``) and the loader checks them.
"""

from __future__ import annotations

import hashlib
from itertools import pairwise
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Company, Product, text
from carnk_tui.registry.ctgov import Study

STUDY_URL = "https://clinicaltrials.gov/study/{nct}"
PUBLISHER = "ClinicalTrials.gov"
#: words that only say what legal form a company has: "Nkarta, Inc." is the company "Nkarta"
_LEGAL = {"inc", "incorporated", "ltd", "limited", "llc", "co", "corp", "corporation", "plc", "gmbh", "ag", "sa",
          "bv", "nv", "ab", "as", "srl", "spa", "kk", "pty", "company"}
_WORD = re.compile(r"[a-z0-9]+")


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(name.lower()))


def _company_key(name: str) -> str:
    words = list(_tokens(name))
    while words and words[-1] in _LEGAL:
        words.pop()
    return " ".join(words)


def slug(name: str, limit: int = 48) -> str:
    words = "-".join(_tokens(name))[:limit].strip("-")
    return words or hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


@dataclass
class Context:
    """What the knowledge base already holds that imported studies link to."""

    #: (name tokens, product id): a product is named when its tokens appear in an intervention, in order
    products: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    #: a company's name without its legal form -> company id
    companies: dict[str, str] = field(default_factory=dict)
    #: every id in use
    ids: set[str] = field(default_factory=set)
    #: products by the first of their name's words (built on first use)
    _by_first: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, kb: KnowledgeBase | None) -> Context:
        context = cls()
        if kb is None:
            return context
        for product in kb.products:
            context.products.extend((tokens, product.id) for tokens in _product_names(product))
        for company in kb.companies:
            for name in _names(company):
                key = _company_key(name)
                if key:
                    context.companies.setdefault(key, company.id)
        context.ids = {getattr(r, "id", "") for r in kb.records()}
        return context

    def products_named(self, names: Iterable[str]) -> list[str]:
        if not self.products:
            return []
        if not self._by_first:
            for tokens, product_id in self.products:
                self._by_first.setdefault(tokens[0], []).append((tokens, product_id))
        found: list[str] = []
        for name in names:
            words = _tokens(name)
            # a product's first word at some place in the name, or two words that join into it ("qn 023a")
            candidates = set(words) | {a + b for a, b in pairwise(words)}
            for word in candidates & self._by_first.keys():
                for tokens, product_id in self._by_first[word]:
                    if product_id not in found and _contains(words, tokens):
                        found.append(product_id)
        return found

    def company_named(self, name: str | None) -> str | None:
        return self.companies.get(_company_key(name)) if name else None


def _names(record: Company | Product) -> list[str]:
    names = [text(record.name, "en"), text(record.name, "zh"), *record.aliases]
    return list(dict.fromkeys(n for n in names if n))


def _product_names(product: Product) -> list[tuple[str, ...]]:
    """Names precise enough to recognise in an intervention: codes such as FT596 or QN-023a (they carry a digit)."""
    out = []
    for name in _names(product):
        tokens = _tokens(name)
        if tokens and any(ch.isdigit() for ch in name) and len("".join(tokens)) >= 4:
            out.append(tokens)
    return out


def _contains(words: tuple[str, ...], tokens: tuple[str, ...]) -> bool:
    n = len(tokens)
    if n == 1:  # "ft596" matches the word "ft596"; "qn023a" also matches "qn 023a"
        joined = tokens[0]
        return joined in words or any("".join(words[i:i + 2]) == joined for i in range(len(words) - 1))
    return any(words[i:i + n] == tokens for i in range(len(words) - n + 1))


# ------------------------------------------------------------------ records
def source_id(nct: str) -> str:
    """The id of the source a reading cites: its own, never the curated registry source of the same NCT id
    (the bundled data may add one later: an import must stay valid then)."""
    return f"src-ctgov-{nct.lower()}"


def study_id(nct: str) -> str:
    return nct.lower()


def source_record(study: Study) -> dict[str, Any]:
    nct = study.registry_id
    return {
        "id": source_id(nct),
        "kind": "registry",
        "title": f"ClinicalTrials.gov {nct}: {study.title}" if study.title else f"ClinicalTrials.gov {nct}",
        "publisher": PUBLISHER,
        "registry_id": nct,
        "url": STUDY_URL.format(nct=nct),
        "note": {"zh": f"读取于 {study.as_of}。", "en": f"Read on {study.as_of}."},
    }


def registry_record(study: Study, source: str) -> dict[str, Any]:
    """The ``registry`` value of a study or a curated trial; values not given are left out."""
    values: dict[str, Any] = {
        "registry_id": study.registry_id,
        "as_of": study.as_of,
        "source": source,
        "title": study.title,
        "status": study.status,
        "phase": study.phase,
        "enrollment": study.enrollment,
        "enrollment_type": study.enrollment_type,
        "start_date": study.start_date,
        "completion_date": study.completion_date,
        "first_posted": study.first_posted,
        "lead_sponsor": study.lead_sponsor,
        "sponsor_class": study.sponsor_class,
        "collaborators": list(study.collaborators),
        "conditions": list(study.conditions),
        "interventions": list(study.interventions),
        "countries": list(study.countries),
        "has_results": study.has_results,
    }
    return {k: v for k, v in values.items() if v is not None and v != []}


@dataclass
class Built:
    sources: list[dict[str, Any]] = field(default_factory=list)
    sponsors: list[dict[str, Any]] = field(default_factory=list)
    studies: list[dict[str, Any]] = field(default_factory=list)
    #: how many studies name a known product / have a curated trial's NCT id / a known company as sponsor
    with_products: int = 0
    with_company: int = 0


def build(studies: Iterable[Study], context: Context) -> Built:
    """The records for `studies`: a source each, sponsors, studies."""
    built = Built()
    sponsors: dict[str, dict[str, Any]] = {}  # sponsor name -> record
    taken = set(context.ids)
    for study in studies:
        nct = study.registry_id
        record = source_record(study)
        source = record["id"]
        built.sources.append(record)
        entry: dict[str, Any] = {"id": study_id(nct), "name": nct, "registry": registry_record(study, source)}
        company = context.company_named(study.lead_sponsor)
        if company is not None:
            entry["sponsor"] = company
            built.with_company += 1
        elif study.lead_sponsor:
            sponsor = sponsors.get(study.lead_sponsor)
            if sponsor is None:
                sponsor = {"id": _free_id("sponsor-" + slug(study.lead_sponsor), study.lead_sponsor, taken),
                           "name": study.lead_sponsor, "sources": []}
                if study.sponsor_class:
                    sponsor["sponsor_class"] = study.sponsor_class
                sponsors[study.lead_sponsor] = sponsor
            if len(sponsor["sources"]) < 3:  # a few studies are enough to show where the name comes from
                sponsor["sources"].append(source)
            entry["sponsor"] = sponsor["id"]
        products = context.products_named((*study.interventions, *study.intervention_aliases))
        if products:
            entry["products"] = products
            built.with_products += 1
        entry["sources"] = [source]
        built.studies.append(entry)
    built.sponsors = sorted(sponsors.values(), key=lambda s: s["id"])
    return built


def _free_id(wanted: str, name: str, taken: set[str]) -> str:
    candidate = wanted
    if candidate in taken:
        candidate = f"{wanted}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"
    taken.add(candidate)
    return candidate
