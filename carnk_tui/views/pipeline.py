"""The pipeline chart: products as rows, grouped by target or camp, with a bar to the stage reached.

The columns are the development stages of the model's `Stage` enumeration, in its order; stages that
fall between two columns (discovery, IND) reach half-way into the next column. Whether a product is
still developed is kept apart from how far it got, so a stopped product keeps its bar and is marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, Product, Stage, text
from carnk_tui.views import format as fmt
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import label, t

Grouping = Literal["target", "camp"]
GROUPINGS: tuple[Grouping, ...] = get_args(Grouping)

#: stages that are not a place on the axis: no bar is drawn for them
_OFF_AXIS = frozenset({"unknown"})
#: stages between two columns: a bar to them stops half-way into the next column
_BETWEEN = frozenset({"discovery", "ind"})
#: the chart's columns, in development order
COLUMNS: tuple[str, ...] = tuple(s for s in get_args(Stage) if s not in _OFF_AXIS | _BETWEEN)


def reach(stage: str) -> float | None:
    """How many columns a bar to `stage` fills: 1.0 for the first column; None when off the axis."""
    if stage in _OFF_AXIS:
        return None
    if stage in COLUMNS:
        return float(COLUMNS.index(stage) + 1)
    order = get_args(Stage)
    done = sum(1 for column in COLUMNS if order.index(column) < order.index(stage))
    return done + 0.5


#: statuses drawn as stopped, not as live
STOPPED = frozenset({"discontinued", "returned"})


@dataclass(frozen=True)
class PipelineRow:
    product_id: str
    name: str
    company: str
    camp_id: str
    stage: str
    stage_label: str
    #: columns filled (see `reach`), None when the stage is not known
    reach: float | None
    status: str
    #: what to write beside a stopped product's bar ("discontinued 2023-01"), else ""
    mark: str

    @property
    def stopped(self) -> bool:
        return self.status in STOPPED


@dataclass(frozen=True)
class PipelineGroup:
    key: str
    title: str
    rows: tuple[PipelineRow, ...]


def column_labels(lang: Lang) -> list[str]:
    return [label("stage", s, lang) for s in COLUMNS]


def status_mark(product: Product, lang: Lang) -> str:
    if product.status not in STOPPED:
        return ""
    word = label("product_status", product.status, lang)
    return f"{word} {product.status_date}" if product.status_date else word


def pipeline_row(product: Product, kb: KnowledgeBase, lang: Lang) -> PipelineRow:
    company = kb.company_of(product)
    return PipelineRow(
        product_id=product.id,
        name=text(product.name, lang),
        company=text(company.name, lang) if company else "",
        camp_id=company.camp if company else "",
        stage=product.stage,
        stage_label=label("stage", product.stage, lang),
        reach=reach(product.stage),
        status=product.status,
        mark=status_mark(product, lang),
    )


def _sorted(rows: list[PipelineRow]) -> tuple[PipelineRow, ...]:
    """Furthest first; live before stopped at the same stage; then by name."""
    return tuple(sorted(rows, key=lambda r: (-(r.reach or 0), r.stopped, r.name.casefold())))


def pipeline(kb: KnowledgeBase, lang: Lang, filters: Filters | None = None,
             by: Grouping = "target") -> list[PipelineGroup]:
    """The chart's groups: by target (a product with two targets is under both) or by camp."""
    products = (filters or Filters()).products(kb)
    rows = {p.id: pipeline_row(p, kb, lang) for p in products}
    groups: dict[str, list[PipelineRow]] = {}
    titles: dict[str, str] = {}
    if by == "camp":
        for camp in kb.camps_sorted():
            titles[camp.id] = text(camp.name, lang)
        for p in products:
            groups.setdefault(rows[p.id].camp_id, []).append(rows[p.id])
        order = [c for c in titles if c in groups] + sorted(k for k in groups if k not in titles)
    else:
        for p in products:
            for target in p.targets or ("",):
                groups.setdefault(target, []).append(rows[p.id])
        order = sorted((k for k in groups if k), key=lambda k: (-len(groups[k]), k.casefold()))
        order += [""] if "" in groups else []
        titles = {k: fmt.term(k, kb, lang) for k in order}
        titles[""] = t("pipeline.no_target", lang)
    return [PipelineGroup(key, titles.get(key, key), _sorted(groups[key])) for key in order]


#: a bar drawn in text: cells per column
TEXT_CELLS = 2


def stage_bar(row: PipelineRow, cells: int = TEXT_CELLS) -> str:
    """The bar as plain text, for places without colour: '████······', '▒▒▒▒······' when stopped."""
    width = cells * len(COLUMNS)
    if row.reach is None:
        return "?" + " " * (width - 1)
    filled = round(row.reach * cells)
    return ("▒" if row.stopped else "█") * filled + "·" * (width - filled)
