"""The shape of the Landscape tree: which records sit under which, and how each is labelled.

Pure data logic for the tree widget: camps > companies > products > trials, plus a deals group
under each company. Node keys are record ids; a company's deal group is "deals:<company id>".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from carnk_tui.views import format as fmt
from carnk_tui.views import registry_tree
from carnk_tui.views.filters import PRODUCT_DIMENSIONS, Filters, shown_note
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Camp, Company, Deal, Lang, Product, RegistryStudy, Trial, text

DEALS_PREFIX = "deals:"


@dataclass(frozen=True)
class NodeSpec:
    key: str
    label: str
    expandable: bool


NO_FILTERS = Filters()


def roots(kb: KnowledgeBase, lang: Lang, filters: Filters = NO_FILTERS) -> list[NodeSpec]:
    return [*(node_spec(camp, kb, lang, filters) for camp in kb.camps_sorted()
              if not filters or _companies(camp.id, kb, filters)),
            *(NodeSpec(*spec) for spec in registry_tree.roots(kb, lang, filters))]


def filter_note(kb: KnowledgeBase, lang: Lang, filters: Filters) -> str:
    """The tree's first line while filters are on: how many products they leave, or that none match."""
    if not filters:
        return ""
    products = len(_matching(kb, filters)[1])
    return shown_note(lang, products, len(kb.products)) if products else t("filter.none_match", lang)


#: what the current filters let through, computed once per knowledge base and filters (building a
#: tree asks for each camp's and company's matches several times)
_matches: dict[str, object] = {"key": None}


def _matching(kb: KnowledgeBase, filters: Filters) -> tuple[set[str], set[str]]:
    """(company ids, product ids) the filters let through."""
    key = (id(kb), filters)
    if _matches["key"] != key:
        matched = [p for p in _candidates(kb, filters) if filters.product_matches(p, kb)]
        products = {p.id for p in matched}
        if any(getattr(filters, name) for name in PRODUCT_DIMENSIONS):
            # only a company with a product that passes can pass (10,000 products: ask ~3,000 companies less)
            owners = {p.company for p in matched}
            candidates: Iterable[Company] = (c for c in kb.companies if c.id in owners)
        else:
            candidates = kb.companies
        companies = {c.id for c in candidates if filters.company_matches(c, kb, products)}
        _matches.update(key=key, kb=kb, value=(companies, products))  # kb kept: its id stays its own
    return _matches["value"]  # type: ignore[return-value]


#: products by the value of each dimension a product carries itself (or through its company), per knowledge base
_by_value: dict[str, object] = {"kb": None}


def _product_index(kb: KnowledgeBase) -> dict[str, dict[str, list[Product]]]:
    if _by_value["kb"] is not kb:
        index: dict[str, dict[str, list[Product]]] = {name: defaultdict(list) for name in _INDEXED}
        by_target, by_area = index["target"], index["area"]
        by_source, by_modality, by_stage = index["cell_source"], index["modality"], index["stage"]
        by_camp, by_country = index["camp"], index["country"]
        companies = {c.id: (c.camp, text(c.country, "en") if c.country else None) for c in kb.companies}
        for product in kb.products:
            for target in product.targets:
                by_target[target].append(product)
            for area in product.indication_areas:
                by_area[area].append(product)
            by_source[product.cell_source].append(product)
            by_modality[product.modality].append(product)
            by_stage[product.stage].append(product)
            owner = companies.get(product.company)
            if owner is not None:
                by_camp[owner[0]].append(product)
                if owner[1]:
                    by_country[owner[1]].append(product)
        _by_value.update(kb=kb, value={name: dict(values) for name, values in index.items()})
    return _by_value["value"]  # type: ignore[return-value]


_INDEXED = ("target", "area", "cell_source", "modality", "stage", "camp", "country")


def _candidates(kb: KnowledgeBase, filters: Filters) -> list[Product]:
    """The products that can pass: those with the value asked on the rarest indexed dimension (each is
    then asked in full, so this only has to hold every match: a filter of 10,000 products asks a few hundred)."""
    lists = [_product_index(kb)[name].get(value, []) for name in _INDEXED if (value := getattr(filters, name))]
    return min(lists, key=len) if lists else list(kb.products)


def _companies(camp_id: str, kb: KnowledgeBase, filters: Filters) -> list[Company]:
    if not filters:
        return list(kb.companies_in(camp_id))
    companies = _matching(kb, filters)[0]
    return [c for c in kb.companies_in(camp_id) if c.id in companies]


def _products(company_id: str, kb: KnowledgeBase, filters: Filters) -> list[Product]:
    if not filters:
        return list(kb.products_of(company_id))
    products = _matching(kb, filters)[1]
    return [p for p in kb.products_of(company_id) if p.id in products]


class LazySpecs(Sequence[NodeSpec]):
    """The nodes of a long list of records, each labelled when first asked for (a camp of 1,000 companies
    lists a page of 200: the others are labelled only if the reader asks for them)."""

    def __init__(self, records: Sequence[Any], kb: KnowledgeBase, lang: Lang, filters: Filters) -> None:
        self._records, self._kb, self._lang, self._shown_by = records, kb, lang, filters

    def __len__(self) -> int:
        return len(self._records)

    @overload
    def __getitem__(self, index: int) -> NodeSpec: ...

    @overload
    def __getitem__(self, index: slice) -> LazySpecs: ...

    def __getitem__(self, index: int | slice) -> NodeSpec | LazySpecs:
        if isinstance(index, slice):
            return LazySpecs(self._records[index], self._kb, self._lang, self._shown_by)
        return node_spec(self._records[index], self._kb, self._lang, self._shown_by)


def children(key: str, kb: KnowledgeBase, lang: Lang, filters: Filters = NO_FILTERS) -> Sequence[NodeSpec]:
    registry = registry_tree.children(key, kb, lang, filters)
    if registry is not None:
        return [NodeSpec(*spec) for spec in registry]
    if key.startswith(DEALS_PREFIX):
        return [node_spec(d, kb, lang) for d in sorted(kb.deals_of(key[len(DEALS_PREFIX):]), key=lambda d: d.date)]
    record = kb.get(key)
    if isinstance(record, Camp):
        return LazySpecs(_companies(record.id, kb, filters), kb, lang, filters)
    if isinstance(record, Company):
        specs = [node_spec(p, kb, lang) for p in _products(record.id, kb, filters)]
        deals = kb.deals_of(record.id)
        if deals:
            specs.append(NodeSpec(DEALS_PREFIX + record.id, _deals_label(len(deals), lang), True))
        return specs
    if isinstance(record, Product):
        return [*(node_spec(tr, kb, lang) for tr in kb.trials_of(record.id)),
                *(NodeSpec(*registry_tree.study_spec(s, lang)) for s in registry_tree.of_product(record.id, kb))]
    return []


def _deals_label(n: int, lang: Lang) -> str:
    """The label of a company's deals group: "Deals (3)", 「交易（3）」."""
    return t("tree.deals", lang) + fmt.paren(str(n), lang)


def node_label(key: str, kb: KnowledgeBase, lang: Lang, filters: Filters = NO_FILTERS) -> str:
    if key.startswith(DEALS_PREFIX):
        return _deals_label(len(kb.deals_of(key[len(DEALS_PREFIX):])), lang)
    registry = registry_tree.label(key, kb, lang, filters)
    if registry is not None:
        return registry
    record = kb.get(key)
    return node_spec(record, kb, lang, filters).label if record is not None else key


def node_spec(record: Any, kb: KnowledgeBase, lang: Lang, filters: Filters = NO_FILTERS) -> NodeSpec:
    """A node's label with small counts (of what the filters let through) or a stage badge."""
    name = name_of(record, lang)
    if isinstance(record, Camp):
        short = text(record.short, lang) or name
        return NodeSpec(record.id, f"{short}{fmt.paren(str(len(_companies(record.id, kb, filters))), lang)}", True)
    if isinstance(record, Company):
        n = len(_products(record.id, kb, filters))
        deals = len(kb.deals_of(record.id))
        closed = f" [{label('company_status', record.status, lang)}]" if record.status != "active" else ""
        # a company with no product of its own (big pharma) is counted by what it has: its deals
        if n or kb.products_of(record.id) or not deals:
            count = fmt.paren(str(n) if n or kb.products_of(record.id) else t("tree.no_products", lang), lang)
        else:
            count = fmt.paren(t("tree.n_deals", lang, n=str(deals)), lang)
        return NodeSpec(record.id, f"{name}{count}{closed}", bool(n or deals))
    if isinstance(record, Product):
        targets = fmt.targets(record, kb, lang, sep="/") if record.targets else ""
        badge = " · ".join(p for p in (targets, fmt.stage_status(record, lang)) if p)
        return NodeSpec(record.id, f"{name} [{badge}]",
                        bool(kb.trials_of(record.id) or registry_tree.of_product(record.id, kb)))
    if isinstance(record, Trial):
        ids = f" {record.registry_ids[0]}" if record.registry_ids else ""
        return NodeSpec(record.id, f"{label('phase', record.phase, lang)}{ids} · {text(record.indication, lang)}"
                        f"{fmt.uncertain(record, lang)}", False)
    if isinstance(record, Deal):
        return NodeSpec(record.id, fmt.dated(record.date, name), False)
    if isinstance(record, RegistryStudy):
        return NodeSpec(*registry_tree.study_spec(record, lang))
    return NodeSpec(record.id, name, False)


def visible(record_id: str, kb: KnowledgeBase, filters: Filters) -> bool:
    """Whether the filters leave the record's node in the tree."""
    if not filters:
        return True
    study = kb.get(record_id)
    if isinstance(study, RegistryStudy):
        return registry_tree.visible(study, kb, filters)
    path = path_to(record_id, kb) or []
    for key in path:
        record = kb.get(key)
        if isinstance(record, Camp) and not _companies(record.id, kb, filters):
            return False
        if isinstance(record, Company) and not filters.company_matches(record, kb):
            return False
        if isinstance(record, Product) and not filters.product_matches(record, kb):
            return False
    return bool(path)


def path_to(record_id: str, kb: KnowledgeBase) -> list[str] | None:
    """The keys from a camp down to the record's node, or None when the record has no node."""
    if record_id == registry_tree.REGISTRY_KEY:
        return [record_id] if kb.registry_studies else None
    record = kb.get(record_id)
    if isinstance(record, Camp):
        return [record.id]
    if isinstance(record, Company):
        return [record.camp, record.id]
    if isinstance(record, Product):
        above = path_to(record.company, kb)
        return above and [*above, record.id]
    if isinstance(record, Trial):
        above = path_to(record.product, kb)
        return above and [*above, record.id]
    if isinstance(record, Deal) and record.parties:
        above = path_to(record.parties[0], kb)
        return above and [*above, DEALS_PREFIX + record.parties[0], record.id]
    if isinstance(record, RegistryStudy) and record.products:  # under the (first) product it names
        above = path_to(record.products[0], kb)
        return above and [*above, record.id]
    if isinstance(record, RegistryStudy):
        return registry_tree.path_to(record)
    return None


#: when several records match, the one a reader most likely means comes first
_PREFERENCE = ("products", "companies", "trials", "deals", "camps", "platforms", "events", "challenges",
               "directions", "registry_studies", "registry_sponsors", "sources")


def _names(record: object) -> set[str]:
    names = {getattr(record, "id", "")}
    for attr in ("name", "title"):
        value = getattr(record, attr, None)
        if isinstance(value, str):
            names.add(value)
        elif value is not None:
            names.update((value.zh, value.en))
    names.update(getattr(record, "aliases", ()))
    names.update(getattr(record, "registry_ids", ()))  # a curated trial is found by its NCT id
    return {n.casefold() for n in names if n}


def find(text_: str, kb: KnowledgeBase) -> str | None:
    """The id of the record whose id, name or alias is `text_` (case-insensitive); failing that,
    the first whose id or name contains it."""
    wanted = text_.strip().casefold()
    if not wanted:
        return None
    ordered = [r for kind in _PREFERENCE for r in getattr(kb, kind)]
    for record in ordered:
        if wanted in _names(record):
            return record.id
    for record in ordered:
        if any(wanted in n for n in _names(record)):
            return record.id
    return None
