"""The dashboard: how many companies, products, trials and deals, and products counted by dimension.

Everything follows the active filters. Each bar names the filter (dimension and value) that lists the
products it counts, so the app can open that list.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import get_args

from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Camp, CellSource, Company, Deal, IndicationArea, Lang, Product, Stage, text
from carnk_tui.views import format as fmt
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import label, t

#: the charts, in the order shown: each is a filter dimension
CHARTS: tuple[str, ...] = ("camp", "stage", "target", "cell_source", "area", "country")
#: dimensions whose values keep the model's order (the rest are ordered by count)
_ENUM_ORDER: dict[str, tuple[str, ...]] = {
    "stage": get_args(Stage),
    "cell_source": get_args(CellSource),
    "area": get_args(IndicationArea),
}
#: the words for enumeration values, by dimension
_LABEL_GROUP = {"stage": "stage", "cell_source": "cell_source", "area": "area"}


@dataclass(frozen=True)
class Count:
    """One headline number: what is counted (an interface string key), how many, and of how many."""

    key: str
    label: str
    n: int
    total: int

    @property
    def figure(self) -> str:
        """"12", or "3/12" while filters leave fewer than all."""
        return str(self.n) if self.n == self.total else f"{self.n}/{self.total}"


@dataclass(frozen=True)
class ChartBar:
    """Products sharing one value of a dimension. `value` None: products that give no value."""

    dim: str
    value: str | None
    label: str
    count: int


@dataclass(frozen=True)
class Chart:
    dim: str
    title: str
    bars: tuple[ChartBar, ...]

    @property
    def largest(self) -> int:
        return max((b.count for b in self.bars), default=0)


@dataclass(frozen=True)
class Dashboard:
    counts: tuple[Count, ...]
    charts: tuple[Chart, ...]


# ------------------------------------------------------------------ what the filters let through
def filtered_companies(kb: KnowledgeBase, filters: Filters) -> list[Company]:
    return [c for c in kb.companies if filters.company_matches(c, kb)]


def filtered_deals(kb: KnowledgeBase, filters: Filters) -> list[Deal]:
    """Deals the filters let through (through the companies that made them), in the data's order."""
    return [d for d in kb.deals if filters.deal_matches(d, kb)]


# ------------------------------------------------------------------ values of a product
def values_of(product: Product, dim: str, kb: KnowledgeBase) -> tuple[str, ...]:
    """The values `product` has for a dimension, as the filters name them (several for targets and areas)."""
    if dim == "target":
        return product.targets
    if dim == "area":
        return product.indication_areas
    if dim in ("camp", "country"):
        company = kb.company_of(product)
        if company is None:
            return ()
        if dim == "camp":
            return (company.camp,)
        return (text(company.country, "en"),) if company.country else ()
    return (str(getattr(product, dim)),)


def value_label(kb: KnowledgeBase, dim: str, value: str | None, lang: Lang) -> str:
    """A bar's label: the camp's short name, the country in `lang`, a target, an enumeration's word."""
    if value is None:
        return t("dash.not_given", lang)
    if dim == "camp":
        camp = kb.get(value)
        if isinstance(camp, Camp):
            return text(camp.short, lang) or name_of(camp, lang)
        return value
    if dim == "country":
        company = next((c for c in kb.companies if text(c.country, "en") == value), None)
        return text(company.country, lang) if company else value
    if dim in _LABEL_GROUP:
        return label(_LABEL_GROUP[dim], value, lang)
    return fmt.term(value, kb, lang)


def _order(kb: KnowledgeBase, dim: str, counts: Counter[str]) -> list[str]:
    if dim == "camp":
        ranked = [c.id for c in kb.camps_sorted()]
        return [v for v in ranked if v in counts] + sorted(v for v in counts if v not in ranked)
    if dim in _ENUM_ORDER:
        ranked = list(_ENUM_ORDER[dim])
        return [v for v in ranked if v in counts] + sorted(v for v in counts if v not in ranked)
    return sorted(counts, key=lambda v: (-counts[v], v.casefold()))


def chart(kb: KnowledgeBase, dim: str, products: list[Product], lang: Lang) -> Chart:
    """Products counted by one dimension; products without a value are counted apart, last."""
    counts: Counter[str] = Counter()
    missing = 0
    for product in products:
        values = values_of(product, dim, kb)
        counts.update(dict.fromkeys(values, 1))
        missing += not values
    bars = [ChartBar(dim, v, value_label(kb, dim, v, lang), counts[v]) for v in _order(kb, dim, counts)]
    if missing:
        bars.append(ChartBar(dim, None, value_label(kb, dim, None, lang), missing))
    return Chart(dim, t(f"dash.chart.{dim}", lang), tuple(bars))


def dashboard(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None) -> Dashboard:
    """The headline counts and the charts, through `filters`."""
    filters = filters or Filters()
    products = filters.products(kb)
    counts = (
        Count("f.companies", t("f.companies", lang), len(filtered_companies(kb, filters)), len(kb.companies)),
        Count("f.products", t("f.products", lang), len(products), len(kb.products)),
        Count("f.trials", t("f.trials", lang), len(filters.trials(kb)), len(kb.trials)),
        Count("f.deals", t("f.deals", lang), len(filtered_deals(kb, filters)), len(kb.deals)),
    )
    return Dashboard(counts, tuple(chart(kb, dim, products, lang) for dim in CHARTS))
