"""The compare table's rows and the side-by-side comparison of a few products.

Each row has every column twice: `cells` in full words (CSV, copy, the side-by-side screen) and
`compact` in the short forms the table shows ("Ph 1", "stopped 2023-01").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import get_args

from carnk_tui.views import format as fmt
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, Product, Source, SourceKind, Stage, text

#: column id -> interface string key of its heading, in the order the table shows them
COLUMNS: dict[str, str] = {
    "product": "f.product",
    "stage": "f.stage",
    "status": "f.status",
    "company": "f.company",
    "camp": "f.camp",
    "target": "f.target",
    "cell_source": "f.cell_source",
    "modality": "f.modality",
    "indication": "col.lead_indication",
    "best": "col.best_result",
    "readout": "col.readout",
    "nct": "col.nct",
    "source": "col.source",
}
#: the columns shown until the user chooses: Product and Stage side by side, so both fit at 80 columns
DEFAULT_COLUMNS: tuple[str, ...] = ("product", "stage", "status", "company", "camp", "target", "cell_source",
                                    "modality", "indication", "best")
#: the widest a column is drawn, in terminal cells (longer text ends in "…"; CSV and copy keep it whole)
MAX_WIDTH: dict[str, int] = {
    "product": 12, "stage": 26, "status": 23, "company": 22, "camp": 20, "target": 14, "cell_source": 16,
    "modality": 14, "indication": 26, "best": 30, "readout": 8, "nct": 24, "source": 24,
}
_STAGE_RANK = {stage: i for i, stage in enumerate(get_args(Stage))}
_STATUS_RANK = {"active": 0, "unknown": 1, "returned": 2, "discontinued": 3}
#: a product's main source: its strongest kind of document first, then the order the data lists them
_SOURCE_ORDER: tuple[SourceKind, ...] = ("publication", "registry", "press-release", "company", "news", "database",
                                         "article")
_SOURCE_RANK: dict[str, int] = {kind: i for i, kind in enumerate(_SOURCE_ORDER)}


def chosen_columns(saved: Iterable[str] | None) -> tuple[str, ...]:
    """The columns to show from a saved choice: known ids only, in table order, Product always;
    the default when nothing usable was saved."""
    wanted = set(saved or ())
    if not wanted & set(COLUMNS):
        return DEFAULT_COLUMNS
    return tuple(c for c in COLUMNS if c in wanted or c == "product")


@dataclass(frozen=True)
class CompareRow:
    id: str
    #: full words per column (the stage with its status, as every view says it)
    cells: dict[str, str]
    #: short forms per column for the table (and "stage_status": the stage with its status, when
    #: development stopped, for a table without the Status column)
    compact: dict[str, str]
    #: values to sort each column by (stage by development order, results by percentage)
    sort: dict[str, tuple[object, ...]]


def month(date: str | None) -> str:
    """A date as year and month: "2023-01"."""
    return (date or "")[:7]


def short_stage(product: Product, lang: Lang) -> str:
    """"Ph 1" / "I期"; the full word where there is no short one."""
    if product.stage == "unknown":
        return t("undisclosed", lang)
    short = label("stage_short", product.stage, lang)
    return short if short != product.stage else label("stage", product.stage, lang)


def status_text(product: Product, lang: Lang, short: bool = False) -> str:
    """The development status with the month it took effect: "discontinued 2023-01"."""
    group = "status_short" if short else "product_status"
    words = label(group, product.status, lang)
    when = month(product.status_date)
    return f"{words} {when}" if when else words


def main_source(product: Product, kb: KnowledgeBase) -> Source | None:
    sources = [s for s in (kb.source(i) for i in product.sources) if s is not None]
    if not sources:
        return None
    return min(sources, key=lambda s: _SOURCE_RANK.get(s.kind, 99))


def source_text(source: Source | None, lang: Lang) -> str:
    """A source in a few words: its publisher and year ("The Lancet 2025"), else its short citation."""
    if source is None:
        return ""
    year = (source.date or "")[:4]
    if source.publisher:
        name = text(source.publisher, lang)
        return f"{name} {year}" if year and year not in name else name
    if source.citation:
        return source.citation
    return text(source.title, lang)


def compare_row(product: Product, kb: KnowledgeBase, lang: Lang) -> CompareRow:
    company = kb.company_of(product)
    camp = kb.camp_of(product)
    best = fmt.best_result(product, kb)
    trials = kb.trials_of(product.id)
    ncts = list(dict.fromkeys(n for trial in trials for n in trial.registry_ids))
    readouts = [trial.readout for trial in trials if trial.readout]
    latest = max(readouts) if readouts else ""
    cells = {
        "product": text(product.name, lang),
        "stage": fmt.stage_status(product, lang),
        "status": status_text(product, lang),
        "company": text(company.name, lang) if company else product.company,
        "camp": (text(camp.short, lang) or name_of(camp, lang)) if camp else "",
        "target": fmt.targets(product, kb, lang),
        "cell_source": label("cell_source", product.cell_source, lang),
        "modality": label("modality", product.modality, lang),
        "indication": text(product.indications[0], lang) if product.indications else t("not_disclosed", lang),
        "best": fmt.headline(product, kb, lang),
        "readout": month(latest),
        "nct": fmt.comma(lang).join(ncts),
        "source": source_text(main_source(product, kb), lang),
    }
    compact = {**cells, "stage": short_stage(product, lang), "status": status_text(product, lang, short=True),
               "nct": " ".join(ncts)}
    # the stage without a Status column beside it still says when development stopped
    stopped = product.status in ("discontinued", "returned")
    compact["stage_status"] = f"{compact['stage']} · {compact['status']}" if stopped else compact["stage"]
    sort: dict[str, tuple[object, ...]] = {key: (value.casefold(),) for key, value in cells.items()}
    sort["stage"] = (_STAGE_RANK.get(product.stage, 99), product.status in ("discontinued", "returned"))
    sort["status"] = (_STATUS_RANK.get(product.status, 9), product.status_date or "")
    sort["camp"] = (camp.order if camp else 99,)
    sort["best"] = (-(fmt.percent(best[1]) or -1) if best else 1,)
    sort["readout"] = (not latest, latest)
    sort["nct"] = (not ncts, cells["nct"])
    return CompareRow(product.id, cells, compact, sort)


def compare_rows(kb: KnowledgeBase, lang: Lang, products: Iterable[Product] | None = None) -> list[CompareRow]:
    return [compare_row(p, kb, lang) for p in (kb.products if products is None else products)]


def sorted_rows(rows: Iterable[CompareRow], column: str, reverse: bool) -> list[CompareRow]:
    """Rows sorted by one column; ties keep the data's order."""
    return sorted(rows, key=lambda r: r.sort[column], reverse=reverse)


def rows_csv(rows: Iterable[CompareRow], columns: Sequence[str], lang: Lang) -> str:
    """The rows as CSV: a header line in the interface language, then one line per row, chosen columns only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([t(COLUMNS[c], lang) for c in columns])
    for row in rows:
        writer.writerow([row.cells[c] for c in columns])
    return out.getvalue()


def compare_csv(kb: KnowledgeBase, lang: Lang, ids: Iterable[str], columns: Sequence[str]) -> str:
    """Products as CSV with the chosen columns (the Compare table's export; "marked rows" passes the marks)."""
    products = [p for p in (kb.get(i) for i in ids) if isinstance(p, Product)]
    return rows_csv(compare_rows(kb, lang, products), columns, lang)


def side_by_side(kb: KnowledgeBase, ids: list[str], lang: Lang) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Column headings (product names) and rows (field label, one value per product)."""
    products = [p for p in (kb.get(i) for i in ids) if isinstance(p, Product)]
    rows = [compare_row(p, kb, lang) for p in products]
    shown = [(col, key) for col, key in COLUMNS.items() if col not in ("product", "status")]  # the stage says it
    table: list[tuple[str, list[str]]] = [(t(key, lang), [row.cells[col] for row in rows]) for col, key in shown]
    semi = fmt.semicolon(lang)
    table.append((t("f.indications", lang), [semi.join(text(i, lang) for i in p.indications) for p in products]))
    table.append((t("f.engineering", lang), [
        semi.join(x for x in (text(p.engineering.car, lang), *(text(a, lang) for a in p.engineering.armour),
                              *(text(k, lang) for k in p.engineering.knockouts),
                              *(text(o, lang) for o in p.engineering.other)) if x)
        for p in products]))
    table.append((t("f.results", lang), [
        "\n".join(f"{fmt.measure(r.measure, lang)} {fmt.result_figure(r, lang)} — {text(r.label, lang)}"
                  f"{fmt.uncertain(tr, lang)}"
                  for tr in kb.trials_of(p.id) for r in tr.results)
        for p in products]))
    return [text(p.name, lang) for p in products], table
