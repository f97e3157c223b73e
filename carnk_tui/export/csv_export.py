"""One CSV row per product."""

from __future__ import annotations

import csv
import io

from carnk_tui.format import headline
from carnk_tui.i18n import label
from carnk_tui.kb import KnowledgeBase, name_of
from carnk_tui.model import Lang, text

COLUMNS = ("id", "product", "company", "camp", "target", "cell_source", "modality", "indications", "stage",
           "best_reported_result")


def product_rows(kb: KnowledgeBase, lang: Lang, products=None) -> list[dict[str, str]]:
    rows = []
    for product in kb.products if products is None else products:
        company = kb.company_of(product)
        camp = kb.camp_of(product)
        rows.append({
            "id": product.id,
            "product": text(product.name, lang),
            "company": text(company.name, lang) if company else product.company,
            "camp": name_of(camp, lang) if camp else "",
            "target": " / ".join(product.targets),
            "cell_source": label("cell_source", product.cell_source, lang),
            "modality": label("modality", product.modality, lang),
            "indications": "; ".join(text(i, lang) for i in product.indications),
            "stage": label("stage", product.stage, lang),
            "best_reported_result": headline(product, kb, lang),
        })
    return rows


def to_csv(kb: KnowledgeBase, lang: Lang, products=None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(product_rows(kb, lang, products))
    return out.getvalue()
