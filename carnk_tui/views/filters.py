"""Filters over the landscape: by camp, target, indication area, cell source, modality, stage, country, and
trial status, trial phase and sponsor class (curated trials, and studies imported from the registry)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from collections.abc import Iterable

from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Camp, Company, Deal, Event, Lang, Platform, Product, RegistryStudy, Trial, text

#: the filter dimensions, in the order they are offered
DIMENSIONS = ("camp", "target", "area", "cell_source", "modality", "stage", "country", "status", "phase",
              "sponsor_class")
#: dimensions that describe products (a company matches them through its products; status, phase and
#: sponsor class through the products' trials)
PRODUCT_DIMENSIONS = ("target", "area", "cell_source", "modality", "stage", "status", "phase", "sponsor_class")
#: dimensions of trials
TRIAL_DIMENSIONS = ("status", "phase", "sponsor_class")


@dataclass(frozen=True)
class Filters:
    camp: str | None = None
    target: str | None = None
    area: str | None = None
    cell_source: str | None = None
    modality: str | None = None
    stage: str | None = None
    country: str | None = None
    status: str | None = None
    phase: str | None = None
    sponsor_class: str | None = None

    def active(self) -> list[tuple[str, str]]:
        return [(name, value) for name in DIMENSIONS if (value := getattr(self, name)) is not None]

    def __bool__(self) -> bool:  # asked for every node of the tree: without `dataclasses.fields`
        return any(getattr(self, name) is not None for name in DIMENSIONS)

    def with_(self, **changes: str | None) -> Filters:
        return replace(self, **changes)

    # ------------------------------------------------------------ matching
    def company_matches(self, company: Company, kb: KnowledgeBase, products: set[str] | None = None) -> bool:
        """`products`: the ids of the products these filters let through, when the caller has them."""
        if self.camp and company.camp != self.camp:
            return False
        if self.country and text(company.country, "en") != self.country:
            return False
        if any(getattr(self, d) for d in PRODUCT_DIMENSIONS):
            if products is not None:
                return any(p.id in products for p in kb.products_of(company.id))
            return any(self.product_matches(p, kb) for p in kb.products_of(company.id))
        return True

    def product_matches(self, product: Product, kb: KnowledgeBase) -> bool:
        if self.target and self.target not in product.targets:
            return False
        if self.area and self.area not in product.indication_areas:
            return False
        if self.cell_source and product.cell_source != self.cell_source:
            return False
        if self.modality and product.modality != self.modality:
            return False
        if self.stage and product.stage != self.stage:
            return False
        if (self.status or self.phase or self.sponsor_class) and not any(
                self.trial_matches(trial) for trial in kb.trials_of(product.id)):
            return False
        if self.camp or self.country:
            company = kb.company_of(product)
            if company is None:
                return False
            if self.camp and company.camp != self.camp:
                return False
            if self.country and text(company.country, "en") != self.country:
                return False
        return True

    def trial_matches(self, trial: Trial, kb: KnowledgeBase | None = None) -> bool:
        """A trial: by its own status and phase (the curated ones) and sponsor class (the registry's); given
        `kb`, also through its product for the other filters (the area by the trial's own areas when it has them)."""
        if self.status and trial.status != self.status:
            return False
        if self.phase and trial.phase != self.phase:
            return False
        if self.sponsor_class and (trial.registry is None or trial.registry.sponsor_class != self.sponsor_class):
            return False
        if kb is None:
            return True
        rest = replace(self, status=None, phase=None, sponsor_class=None)
        product = kb.get(trial.product)
        if not isinstance(product, Product):
            return not rest
        if rest.area and trial.indication_areas:
            if rest.area not in trial.indication_areas:
                return False
            rest = replace(rest, area=None)
        return rest.product_matches(product, kb)

    def study_matches(self, study: RegistryStudy, kb: KnowledgeBase) -> bool:
        """A registry study: by what the registry says, and through the products its interventions name."""
        reading = study.registry
        if self.status and reading.status != self.status:
            return False
        if self.phase and reading.phase != self.phase:
            return False
        if self.sponsor_class and reading.sponsor_class != self.sponsor_class:
            return False
        if self.country and self.country not in reading.countries:
            return False
        rest = replace(self, status=None, phase=None, sponsor_class=None, country=None)
        if rest:
            return any(isinstance(p := kb.get(pid), Product) and rest.product_matches(p, kb) for pid in study.products)
        return True

    def deal_matches(self, deal: Deal, kb: KnowledgeBase) -> bool:
        """A deal follows the companies that made it (through their products for product filters)."""
        if not self:
            return True
        return any(isinstance(c := kb.get(cid), Company) and self.company_matches(c, kb) for cid in deal.parties)

    def event_matches(self, event: Event, kb: KnowledgeBase) -> bool:
        """An event follows what it concerns: its products and trials first, else its deals, else its companies."""
        if not self:
            return True
        trials = [r for r in (kb.get(i) for i in event.trials) if isinstance(r, Trial)]
        products = [r for r in (kb.get(i) for i in event.products) if isinstance(r, Product)]
        if trials or products:
            return (any(self.trial_matches(tr, kb) for tr in trials)
                    or any(self.product_matches(p, kb) for p in products))
        deals = [r for r in (kb.get(i) for i in event.deals) if isinstance(r, Deal)]
        if deals:
            return any(self.deal_matches(d, kb) for d in deals)
        return any(isinstance(c := kb.get(cid), Company) and self.company_matches(c, kb) for cid in event.companies)

    def matches(self, record: object, kb: KnowledgeBase) -> bool:
        """Whether any record is let through; records about the whole field (challenges, sources...) always are."""
        if not self:
            return True
        if isinstance(record, Product):
            return self.product_matches(record, kb)
        if isinstance(record, Company):
            return self.company_matches(record, kb)
        if isinstance(record, Trial):
            return self.trial_matches(record, kb)
        if isinstance(record, RegistryStudy):
            return self.study_matches(record, kb)
        if isinstance(record, Deal):
            return self.deal_matches(record, kb)
        if isinstance(record, Event):
            return self.event_matches(record, kb)
        if isinstance(record, Camp):
            return any(self.company_matches(c, kb) for c in kb.companies_in(record.id))
        if isinstance(record, Platform):
            company = kb.get(record.company)
            return not isinstance(company, Company) or self.company_matches(company, kb)
        return True

    def products(self, kb: KnowledgeBase) -> list[Product]:
        return [p for p in kb.products if self.product_matches(p, kb)]

    def trials(self, kb: KnowledgeBase) -> list[Trial]:
        return [tr for tr in kb.trials if self.trial_matches(tr, kb)]

    def events(self, kb: KnowledgeBase, events: Iterable[Event]) -> list[Event]:
        return [e for e in events if self.event_matches(e, kb)]

    # ------------------------------------------------------------ for people
    def describe(self, kb: KnowledgeBase, lang: Lang) -> str:
        return " · ".join(t("filter.item", lang, name=t("filter." + dim, lang), value=value_label(kb, dim, value, lang))
                          for dim, value in self.active())

    def bar(self, kb: KnowledgeBase, lang: Lang) -> str:
        """The line above the tabs while filters are on: which, and the key that clears them."""
        return t("filter.bar", lang, active=t("filter.active", lang), filters=self.describe(kb, lang),
                 clear=t("filter.clear", lang))


def shown_note(lang: Lang, shown: int, total: int) -> str:
    """What a view says while filters are on: how many of its records they leave."""
    return t("filter.shown", lang, n=str(shown), total=str(total))


def value_label(kb: KnowledgeBase, dim: str, value: str, lang: Lang) -> str:
    if dim == "camp":
        camp = kb.get(value)
        return name_of(camp, lang) if camp else value
    if dim == "country":
        company = next((c for c in kb.companies if text(c.country, "en") == value), None)
        return text(company.country, lang) if company else value
    if dim in ("target",):
        return value
    if dim == "sponsor_class":
        from carnk_tui.views.registry_details import sponsor_class

        return sponsor_class(value, lang)
    groups = {"area": "area", "cell_source": "cell_source", "modality": "modality", "stage": "stage",
              "status": "trial_status", "phase": "phase"}
    return label(groups[dim], value, lang)


def options(kb: KnowledgeBase, dim: str, lang: Lang) -> list[tuple[str, str]]:
    """(label, value) pairs for a dimension: only values that occur in the data."""
    values: list[str] = []
    if dim == "camp":
        values = [c.id for c in kb.camps_sorted()]
    elif dim == "country":
        values = sorted({text(c.country, "en") for c in kb.companies if c.country}
                        | {c for s in kb.registry_studies for c in s.registry.countries})
    elif dim == "target":
        values = sorted({target for p in kb.products for target in p.targets})
    elif dim == "area":
        values = sorted({a for p in kb.products for a in p.indication_areas})
    elif dim in TRIAL_DIMENSIONS:
        readings = [*(s.registry for s in kb.registry_studies), *(t.registry for t in kb.trials if t.registry)]
        found = {getattr(r, dim) for r in readings}
        if dim != "sponsor_class":
            found |= {getattr(t, dim) for t in kb.trials}
        values = sorted(v for v in found if v)
    else:
        values = sorted({getattr(p, dim) for p in kb.products})
    return [(value_label(kb, dim, v, lang), v) for v in values]


assert tuple(f.name for f in fields(Filters)) == DIMENSIONS, "Filters' fields are its dimensions"
