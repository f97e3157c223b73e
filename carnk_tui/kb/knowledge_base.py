"""The loaded knowledge base: every record, and the ways to look records up."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from collections.abc import Iterable

from msgspec import Struct

from carnk_tui.kb import model
from carnk_tui.kb.model import (
    Camp,
    Challenge,
    Company,
    Deal,
    Direction,
    Event,
    Judgement,
    Lang,
    Meta,
    Overview,
    Platform,
    Product,
    Source,
    Trial,
    text,
)

#: Record kinds by type, as users and the app name them.
KIND_OF: dict[type[Struct], str] = {
    Source: "source",
    Camp: "camp",
    Company: "company",
    Platform: "platform",
    Product: "product",
    Trial: "trial",
    Deal: "deal",
    Event: "event",
    Challenge: "challenge",
    Direction: "direction",
    Judgement: "judgement",
    Overview: "overview",
    model.RegistryStudy: "registry_study",
    model.RegistrySponsor: "registry_sponsor",
}


def kind_of(record: Struct) -> str:
    return KIND_OF.get(type(record), type(record).__name__.lower())


def name_of(record: Struct, lang: Lang) -> str:
    """The human name of any record: its name, title, or id."""
    for attr in ("name", "title"):
        value = getattr(record, attr, None)
        if value is not None:
            return text(value, lang)
    return str(getattr(record, "id", "?"))


@dataclass(frozen=True)
class KnowledgeBase:
    meta: Meta
    overview: Overview
    judgement: Judgement
    sources: tuple[Source, ...] = ()
    camps: tuple[Camp, ...] = ()
    companies: tuple[Company, ...] = ()
    platforms: tuple[Platform, ...] = ()
    products: tuple[Product, ...] = ()
    trials: tuple[Trial, ...] = ()
    deals: tuple[Deal, ...] = ()
    events: tuple[Event, ...] = ()
    challenges: tuple[Challenge, ...] = ()
    directions: tuple[Direction, ...] = ()
    registry_sponsors: tuple[model.RegistrySponsor, ...] = ()
    registry_studies: tuple[model.RegistryStudy, ...] = ()
    registry_changes: tuple[model.RegistryChange, ...] = ()
    #: where each record was written, "FILE:LINE", for messages and the app's source view
    origins: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------ lookups
    @cached_property
    def by_id(self) -> dict[str, Struct]:
        records: dict[str, Struct] = {}
        for name in model.COLLECTIONS:
            if name in model.UNINDEXED_COLLECTIONS:
                continue
            for record in getattr(self, name):
                records[record.id] = record
        records[self.judgement.id] = self.judgement
        records[self.overview.id] = self.overview
        return records

    def get(self, record_id: str) -> Struct | None:
        return self.by_id.get(record_id)

    def source(self, source_id: str) -> Source | None:
        record = self.by_id.get(source_id)
        return record if isinstance(record, Source) else None

    @cached_property
    def _children(self) -> dict[str, dict[str, list[Struct]]]:
        """kind -> parent id -> records of that kind that name it (in the order of the knowledge base)."""
        def by(records: Iterable[Struct], attr: str) -> dict[str, list[Struct]]:
            index: dict[str, list[Struct]] = {}
            for record in records:
                parent = getattr(record, attr)
                found = index.get(parent)
                if found is None:
                    index[parent] = [record]
                else:
                    found.append(record)
            return index

        deals: dict[str, list[Struct]] = {}
        for deal in self.deals:
            for party in deal.parties:
                deals.setdefault(party, []).append(deal)
        events: dict[str, list[Struct]] = {}
        for event in self.events:
            for ref in (*event.companies, *event.products, *event.trials, *event.deals):
                events.setdefault(ref, []).append(event)
        return {"companies": by(self.companies, "camp"), "platforms": by(self.platforms, "company"),
                "products": by(self.products, "company"), "trials": by(self.trials, "product"),
                "deals": deals, "events": events}

    def prepare(self) -> None:
        """Build the lookups now (the loading worker does, so that the app's thread does not)."""
        _ = self.by_id, self._children

    def _of(self, parent_id: str, kind: str) -> tuple:
        return tuple(self._children[kind].get(parent_id, ()))

    def camps_sorted(self) -> tuple[Camp, ...]:
        return tuple(sorted(self.camps, key=lambda c: c.order))

    def companies_in(self, camp_id: str) -> tuple[Company, ...]:
        return self._of(camp_id, "companies")

    def platforms_of(self, company_id: str) -> tuple[Platform, ...]:
        return self._of(company_id, "platforms")

    def products_of(self, company_id: str) -> tuple[Product, ...]:
        return self._of(company_id, "products")

    def trials_of(self, product_id: str) -> tuple[Trial, ...]:
        return self._of(product_id, "trials")

    def deals_of(self, company_id: str) -> tuple[Deal, ...]:
        return self._of(company_id, "deals")

    def events_of(self, record_id: str) -> tuple[Event, ...]:
        return tuple(sorted(self._of(record_id, "events"), key=lambda e: e.date))

    def company_of(self, record: Struct) -> Company | None:
        """The company a product, trial or platform belongs to."""
        if isinstance(record, Trial):
            record = self.by_id.get(record.product)  # type: ignore[assignment]
        company_id = getattr(record, "company", None)
        found = self.by_id.get(company_id) if isinstance(company_id, str) else None
        return found if isinstance(found, Company) else None

    def camp_of(self, record: Struct) -> Camp | None:
        company = record if isinstance(record, Company) else self.company_of(record)
        if company is None and isinstance(record, Deal) and record.parties:
            company = self.by_id.get(record.parties[0])  # type: ignore[assignment]
        camp = self.by_id.get(company.camp) if isinstance(company, Company) else None
        return camp if isinstance(camp, Camp) else None

    def timeline(self) -> tuple[Event, ...]:
        return tuple(sorted(self.events, key=lambda e: (e.date, e.id)))

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in model.COLLECTIONS
                if getattr(self, name) or name not in model.IMPORTED_COLLECTIONS}

    def records(self) -> Iterable[Struct]:
        return self.by_id.values()
