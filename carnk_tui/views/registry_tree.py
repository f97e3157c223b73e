"""The Landscape tree's fourth branch: registry trials not yet curated, grouped by sponsor.

Studies whose interventions name a known product sit under that product (beside its curated trials),
not here. Keys: ``registry:`` for the branch, ``registry-sponsor:<sponsor id>`` for a sponsor's group (an empty
id: sponsor not given), and each study's record id. Filters: status, phase, sponsor class and country
as the registry gives them; the product filters (camp, target, area, ...) through the products a
study's interventions name.
"""

from __future__ import annotations

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, RegistryStudy
from carnk_tui.views import format as fmt
from carnk_tui.views.filters import Filters
from carnk_tui.views.registry_details import phase_label, status_label
from carnk_tui.views.registry_overview import REGISTRY_KEY, SPONSOR_PREFIX, sponsor_name, word

__all__ = ["REGISTRY_KEY", "SPONSOR_PREFIX", "children", "label", "of_product", "path_to", "roots", "study_spec",
           "visible"]

#: a node: key, label, whether it opens (landscape_tree makes its NodeSpec of it)
NodeSpec = tuple[str, str, bool]
#: studies by sponsor for the current knowledge base and filters (the tree asks many times)
_groups: dict[str, object] = {"key": None}


#: product id -> the registry studies naming it, for the current knowledge base
_by_product: dict[str, object] = {"key": None}


def of_product(product_id: str, kb: KnowledgeBase) -> list[RegistryStudy]:
    """The registry studies naming a product, shown under its first such product."""
    if _by_product["key"] != id(kb):
        found: dict[str, list[RegistryStudy]] = {}
        for study in kb.registry_studies:
            if study.products:
                found.setdefault(study.products[0], []).append(study)
        _by_product.update(key=id(kb), kb=kb, value=found)  # kb kept: its id stays its own
    return _by_product["value"].get(product_id, [])  # type: ignore[attr-defined]


def studies(kb: KnowledgeBase, filters: Filters) -> list[RegistryStudy]:
    """The studies of this branch: those naming no known product, that the filters let through."""
    return [s for s in kb.registry_studies if not s.products and (not filters or filters.study_matches(s, kb))]


def groups(kb: KnowledgeBase, filters: Filters) -> dict[str, list[RegistryStudy]]:
    key = (id(kb), filters)
    if _groups["key"] != key:
        found: dict[str, list[RegistryStudy]] = {}
        for study in studies(kb, filters):
            found.setdefault(study.sponsor or "", []).append(study)
        for members in found.values():
            members.sort(key=lambda s: (s.registry.start_date or "", s.name), reverse=True)
        _groups.update(key=key, kb=kb, value=found)  # kb kept: its id stays its own
    return _groups["value"]  # type: ignore[return-value]


def roots(kb: KnowledgeBase, lang: Lang, filters: Filters) -> list[NodeSpec]:
    n = sum(len(v) for v in groups(kb, filters).values())
    return [(REGISTRY_KEY, f"{word('branch', lang)}{fmt.paren(str(n), lang)}", True)] if n else []


def children(key: str, kb: KnowledgeBase, lang: Lang, filters: Filters) -> list[NodeSpec] | None:
    """The children of a registry-branch key (None for other keys)."""
    if key == REGISTRY_KEY:
        found = groups(kb, filters)
        order = sorted(found, key=lambda s: (s == "", sponsor_name(s, kb, lang).casefold()))
        return [group_spec(sponsor, kb, lang, filters) for sponsor in order]
    if key.startswith(SPONSOR_PREFIX):
        return [study_spec(s, lang) for s in groups(kb, filters).get(key[len(SPONSOR_PREFIX):], [])]
    return None


def group_spec(sponsor: str, kb: KnowledgeBase, lang: Lang, filters: Filters) -> NodeSpec:
    n = len(groups(kb, filters).get(sponsor, ()))
    return (SPONSOR_PREFIX + sponsor, f"{sponsor_name(sponsor, kb, lang)}{fmt.paren(str(n), lang)}", True)


def study_spec(study: RegistryStudy, lang: Lang) -> NodeSpec:
    reading = study.registry
    title = reading.title or ""
    if len(title) > 60:
        title = title[:59] + "…"
    badge = " · ".join((phase_label(reading.phase, lang) if reading.phase else "", status_label(reading.status, lang)))
    return (study.id, f"{study.name} [{badge.strip(' ·')}] {title}".rstrip(), False)


def label(key: str, kb: KnowledgeBase, lang: Lang, filters: Filters) -> str | None:
    if key == REGISTRY_KEY:
        return roots(kb, lang, filters)[0][1] if groups(kb, filters) else word("branch", lang)
    if key.startswith(SPONSOR_PREFIX):
        return group_spec(key[len(SPONSOR_PREFIX):], kb, lang, filters)[1]
    return None


def path_to(study: RegistryStudy) -> list[str]:
    return [REGISTRY_KEY, SPONSOR_PREFIX + (study.sponsor or ""), study.id]


def visible(study: RegistryStudy, kb: KnowledgeBase, filters: Filters) -> bool:
    if study.products:
        return filters.study_matches(study, kb)
    return study in groups(kb, filters).get(study.sponsor or "", ())
