"""Every clinical result on one screen: grouped by indication, with n/N, cohort, dose arm and date, and
which way is better (a relapse rate is good when low)."""

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
    #: the trial the result comes from (what Enter opens)
    trial_id: str
    #: the cohort it counts
    cohort: str
    #: the cohort's dose arm, or '' when the sources give none
    dose: str
    #: when in the course of treatment, or which release of data, when the source says; else ''
    timepoint: str
    measure: str
    #: the figure with its denominator: "3/6 (50%)", or "54% (N=?)"
    figure: str
    percent: float | None
    known_n: bool
    #: when the result was read out ("YYYY", "YYYY-MM" or "YYYY-MM-DD"), or ''
    date: str
    #: the share counts something bad (relapse, toxicity...): a low figure is the good one
    lower_is_better: bool = False

    @property
    def context(self) -> str:
        """The line under the figure: cohort, dose arm and time point, those given."""
        return " · ".join(part for part in (self.cohort, self.dose, self.timepoint) if part)


@dataclass(frozen=True)
class ResultGroup:
    title: str
    rows: tuple[ResultRow, ...]


_AREA_ORDER = {"haematological": 0, "autoimmune": 1, "solid-tumour": 2}


def _group(trial: Trial, lang: Lang) -> tuple[str, int]:
    """A trial's group title (indication and area) and the group's place in the order."""
    area = fmt.enumeration(lang).join(label("area", a, lang) for a in trial.indication_areas)
    title = text(trial.indication, lang) + (fmt.paren(area, lang) if area else "")
    return title, min((_AREA_ORDER.get(a, 9) for a in trial.indication_areas), default=9)


def result_count(kb: KnowledgeBase) -> int:
    """How many results the knowledge base holds (what "n of N" counts against when filters are on)."""
    return sum(len(trial.results) for trial in kb.trials)


def result_groups(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None) -> list[ResultGroup]:
    """Groups by indication area (blood cancers, autoimmune, solid tumours), then indication; only the
    trials the filters let through."""
    groups: dict[str, list[ResultRow]] = {}
    rank: dict[str, int] = {}
    filtering = bool(filters)
    titles: dict[tuple[str, tuple[str, ...]], tuple[str, int]] = {}  # (indication, areas) -> title and place
    products: dict[str, str] = {}
    dates: dict[str, str] = {}  # each source's date, looked up once
    for trial in kb.trials:
        if not trial.results or (filtering and filters is not None and not filters.trial_matches(trial, kb)):
            continue
        if trial.product not in products:
            product = kb.get(trial.product)
            products[trial.product] = name_of(product, lang) if product else trial.product
        product_name = products[trial.product] + fmt.uncertain(trial, lang)
        key = (text(trial.indication, lang), trial.indication_areas)
        if key not in titles:
            titles[key] = _group(trial, lang)
        title, rank[title] = titles[key]
        cohorts = {c.id: c for c in trial.cohorts}
        rows = groups.setdefault(title, [])
        for result in trial.results:
            cohort = cohorts.get(result.cohort)
            rows.append(ResultRow(
                product=product_name,
                product_id=trial.product,
                trial_id=trial.id,
                cohort=text(cohort.label, lang) if cohort else text(trial.indication, lang),
                timepoint=text(result.timepoint, lang),
                dose=text(cohort.dose, lang) if cohort and cohort.dose else "",
                measure=fmt.measure(result.measure, lang),
                figure=fmt.result_figure(result, lang),
                percent=fmt.percent(result),
                known_n=result.denominator is not None,
                date=fmt.result_date(result, trial, kb, dates),
                lower_is_better=result.lower_is_better,
            ))
    return [ResultGroup(title, tuple(groups[title])) for title in sorted(groups, key=lambda g: rank[g])]
