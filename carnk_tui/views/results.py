"""Every clinical result on one screen: grouped by indication, with n/N and the share for bars."""

from __future__ import annotations

from dataclasses import dataclass

from carnk_tui.views import format as fmt
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import label
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, Trial, text


@dataclass(frozen=True)
class ResultRow:
    product: str
    product_id: str
    trial_id: str
    cohort: str
    measure: str
    figure: str
    percent: float | None
    known_n: bool


@dataclass(frozen=True)
class ResultGroup:
    title: str
    rows: tuple[ResultRow, ...]


_AREA_ORDER = {"haematological": 0, "autoimmune": 1, "solid-tumour": 2}


def _group(trial: Trial, lang: Lang) -> tuple[str, int]:
    """A trial's group title (indication and area) and the group's place in the order."""
    area = ", ".join(label("area", a, lang) for a in trial.indication_areas)
    title = text(trial.indication, lang) + (f" ({area})" if area else "")
    return title, min((_AREA_ORDER.get(a, 9) for a in trial.indication_areas), default=9)


def result_groups(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None) -> list[ResultGroup]:
    """Groups by indication area (blood cancers, autoimmune, solid tumours), then indication; only the
    trials the filters let through."""
    groups: dict[str, list[ResultRow]] = {}
    rank: dict[str, int] = {}
    for trial in kb.trials:
        if not trial.results or (filters and not filters.trial_matches(trial, kb)):
            continue
        product = kb.get(trial.product)
        title, rank[title] = _group(trial, lang)
        for result in trial.results:
            cohort = next((c for c in trial.cohorts if c.id == result.cohort), None)
            groups.setdefault(title, []).append(ResultRow(
                product=(name_of(product, lang) if product else trial.product) + fmt.uncertain(trial, lang),
                product_id=trial.product,
                trial_id=trial.id,
                cohort=(text(cohort.label, lang) if cohort else result.cohort)
                + (f"{fmt.comma(lang)}{text(result.timepoint, lang)}" if result.timepoint else ""),
                measure=fmt.measure(result.measure, lang),
                figure=fmt.result_figure(result, lang),
                percent=fmt.percent(result),
                known_n=result.denominator is not None,
            ))
    return [ResultGroup(title, tuple(groups[title])) for title in sorted(groups, key=lambda g: rank[g])]
