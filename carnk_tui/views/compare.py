"""The compare table's rows and the side-by-side comparison of a few products."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from typing import get_args

from carnk_tui.views import format as fmt
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, Product, Stage, text

#: column id -> interface string key
COLUMNS: dict[str, str] = {
    "product": "f.product",
    "company": "f.company",
    "camp": "f.camp",
    "target": "f.target",
    "cell_source": "f.cell_source",
    "modality": "f.modality",
    "indication": "col.lead_indication",
    "stage": "f.stage",
    "best": "col.best_result",
}
_STAGE_RANK = {stage: i for i, stage in enumerate(get_args(Stage))}


@dataclass(frozen=True)
class CompareRow:
    id: str
    cells: dict[str, str]
    #: values to sort each column by (stage by development order, results by percentage)
    sort: dict[str, tuple[object, ...]]


def compare_row(product: Product, kb: KnowledgeBase, lang: Lang) -> CompareRow:
    company = kb.company_of(product)
    camp = kb.camp_of(product)
    best = fmt.best_result(product, kb)
    cells = {
        "product": text(product.name, lang),
        "company": text(company.name, lang) if company else product.company,
        "camp": (text(camp.short, lang) or name_of(camp, lang)) if camp else "",
        "target": fmt.targets(product, kb, lang),
        "cell_source": label("cell_source", product.cell_source, lang),
        "modality": label("modality", product.modality, lang),
        "indication": text(product.indications[0], lang) if product.indications else t("not_disclosed", lang),
        "stage": fmt.stage_status(product, lang),
        "best": fmt.headline(product, kb, lang),
    }
    sort: dict[str, tuple[object, ...]] = {key: (value.casefold(),) for key, value in cells.items()}
    sort["stage"] = (_STAGE_RANK.get(product.stage, 99), product.status in ("discontinued", "returned"))
    sort["camp"] = (camp.order if camp else 99,)
    sort["best"] = (-(fmt.percent(best[1]) or -1) if best else 1,)
    return CompareRow(product.id, cells, sort)


def compare_rows(kb: KnowledgeBase, lang: Lang, products: Iterable[Product] | None = None) -> list[CompareRow]:
    return [compare_row(p, kb, lang) for p in (kb.products if products is None else products)]


def side_by_side(kb: KnowledgeBase, ids: list[str], lang: Lang) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Column headings (product names) and rows (field label, one value per product)."""
    products = [p for p in (kb.get(i) for i in ids) if isinstance(p, Product)]
    rows = [compare_row(p, kb, lang) for p in products]
    table: list[tuple[str, list[str]]] = [
        (t(key, lang), [row.cells[col] for row in rows]) for col, key in COLUMNS.items() if col != "product"
    ]
    table.append((t("f.indications", lang), ["; ".join(text(i, lang) for i in p.indications) for p in products]))
    table.append((t("f.engineering", lang), [
        "; ".join(x for x in (text(p.engineering.car, lang), *(text(a, lang) for a in p.engineering.armour),
                              *(text(k, lang) for k in p.engineering.knockouts),
                              *(text(o, lang) for o in p.engineering.other)) if x)
        for p in products]))
    table.append((t("f.results", lang), [
        "\n".join(f"{fmt.measure(r.measure, lang)} {fmt.result_figure(r, lang)} — {text(r.label, lang)}"
                  f"{fmt.uncertain(tr, lang)}"
                  for tr in kb.trials_of(p.id) for r in tr.results)
        for p in products]))
    return [text(p.name, lang) for p in products], table
