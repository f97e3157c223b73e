"""One CSV row per product: the compare table's columns, plus every indication."""

from __future__ import annotations

import csv
import io

from carnk_tui.views.compare import compare_row
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, Product, text
from carnk_tui.views.format import semicolon

COLUMNS = ("id", "product", "company", "camp", "target", "cell_source", "modality", "indications", "stage",
           "best_reported_result")


def product_rows(kb: KnowledgeBase, lang: Lang, products: list[Product] | None = None) -> list[dict[str, str]]:
    rows = []
    for product in kb.products if products is None else products:
        cells = compare_row(product, kb, lang).cells
        rows.append({
            "id": product.id,
            **{key: cells[key] for key in ("product", "company", "camp", "target", "cell_source", "modality", "stage")},
            "indications": semicolon(lang).join(text(i, lang) for i in product.indications),
            "best_reported_result": cells["best"],
        })
    return rows


def to_csv(kb: KnowledgeBase, lang: Lang, products: list[Product] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(product_rows(kb, lang, products))
    return out.getvalue()
