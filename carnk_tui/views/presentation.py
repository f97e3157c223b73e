"""The presentation's slides, built from the knowledge base: what each slide says, in one language.

Pure data and functions, no Textual: `screens/present.py` draws a `Slide`, the tests read one.

Every slide's text comes from the YAML knowledge base or from the interface strings in `i18n`.
A section with more items than fit on one slide is split into parts titled "(1/2)", "(2/2)". The
split is decided on both languages at once, so a deck has the same slides, in the same order and
about the same records, in Chinese and in English: switching language keeps the speaker's place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache, partial
from dataclasses import dataclass, field, replace
import threading
import weakref
from typing import Any, cast

from rich.cells import cell_len

from carnk_tui.views import format as fmt
from carnk_tui.views.i18n import label, t
from carnk_tui.views.linebreak import wrap_spans
from carnk_tui.views.pipeline import COLUMNS, STOPPED, pipeline, reach, stage_bar
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import LANGS, Camp, Challenge, Company, Deal, Direction, Lang, Product, Result, Trial, text

#: the content width (terminal cells) and height (lines) a slide is planned for when no terminal is
#: given (a 100x30 terminal less the title band, padding and the counter line); the presentation
#: screen plans for the terminal it is shown in, so that slides fill it and nothing overflows.
PLAN_WIDTH = 84
PLAN_LINES = 15
#: at most this many products are named for one company on a camp slide
MAX_PRODUCTS = 3
BAR_WIDTH = 20
#: how many lines a block takes at a width (`block_height`; a test gives another to check the planning)
Measure = Callable[["Block", int], int]


#: from this many lines, the title band and the content get more room
TALL = 40


def slide_area(width: int, height: int) -> tuple[int, int]:
    """The cells and lines a (non-cover) slide's content has in a `width` x `height` terminal: the
    title band, the body's padding, the footer and a line for a title that wraps are left out (the
    presentation screen's layout; its sources footnote is planned as part of the content)."""
    side = 2 if width < 96 else 3
    tall = height >= TALL
    title_band = 1 + (4 if tall else 2)
    body_top = 2 if tall else 1
    return max(width - 2 * side - 1, 20), max(height - title_band - body_top - 1 - 1, 4)


def bar_width(width: int) -> int:
    """Bars grow with the slide: a fifth of the width, between 10 and 40 cells."""
    return max(10, min(40, width // 5))


# ------------------------------------------------------------------ content blocks
@dataclass(frozen=True)
class Paragraph:
    """A few sentences; `strong` for a conclusion or a key figure."""

    text: str
    heading: str = ""
    strong: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    heading: str = ""


@dataclass(frozen=True)
class BarRow:
    """One clinical result: its measure, a bar of its share, the figure with n/N, and what it counts."""

    measure: str
    percent: float | None
    figure: str
    label: str
    #: False when the source gives a percentage without its denominator
    known_n: bool = True
    record_id: str = ""
    #: a share where lower is better (relapse, toxicity): not drawn as a success
    lower_is_better: bool = False


@dataclass(frozen=True)
class Bars:
    rows: tuple[BarRow, ...]
    heading: str = ""
    #: the figure column's width, the same on every slide so that bars and figures line up
    figure_width: int = 0
    note: str = ""


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    header: tuple[str, ...] = ()
    #: each column's share of the width
    ratios: tuple[int, ...] = ()
    heading: str = ""


@dataclass(frozen=True)
class Sources:
    """The line (or lines) at the foot of a slide naming its documents, in small type."""

    items: tuple[str, ...]
    lang: Lang = "en"

    @property
    def heading(self) -> str:  # measured like any block; a footnote has no heading
        return ""

    @property
    def line(self) -> str:
        """'Sources: The Lancet, 2025-01-11; ClinicalTrials.gov NCT…' in the slide's language."""
        return t("present.sources", self.lang, items=fmt.semicolon(self.lang).join(self.items)) if self.items else ""


Block = Paragraph | Bullets | Bars | Table | Sources


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()
    #: the record this slide is about (or the first of the records it lists), for going back to it
    record_id: str | None = None
    #: every record the slide shows, to start the deck where the explorer was
    records: tuple[str, ...] = ()
    #: "title", "overview", "camp", "pipeline", "results", "deals", "challenges", "directions" or "judgement"
    section: str = ""
    #: (part, parts) when a section was split over several slides
    part: tuple[int, int] | None = None
    #: the documents behind what the slide shows, as short citations (publisher, date)
    sources: tuple[str, ...] = ()
    #: what the presenter says: key figures with their denominators and sources (never shown on the slide)
    notes: tuple[str, ...] = ()


# ------------------------------------------------------------------ sections before pagination
@dataclass(frozen=True)
class _Unit:
    """The smallest piece pagination moves: a block holding one item (or one paragraph)."""

    block: Block
    records: tuple[str, ...] = ()
    #: units of one group stay on one slide when they can
    group: str = ""
    #: the ids of the sources behind what the unit shows
    cites: tuple[str, ...] = ()
    #: what the presenter says over it
    notes: tuple[str, ...] = ()


@dataclass
class _Section:
    title: str
    section: str
    units: list[_Unit] = field(default_factory=list)
    subtitle: str = ""
    record_id: str | None = None
    #: never split (the title slide)
    whole: bool = False


@lru_cache(maxsize=1 << 16)
def _lines(value: str, width: int) -> int:
    """How many lines `value` takes when wrapped at `width` cells by the app's line-breaking rule (kept: planning
    asks for the same item's lines again as it tries where a page or a group ends)."""
    width = max(width, 1)
    if len(value) <= width and cell_len(value) <= width and "\n" not in value and "\t" not in value:
        return 1  # all of it fits on one line: nothing to break (most names, figures and table cells)
    return len(wrap_spans(value, width))


def table_widths(block: Table, width: int) -> list[int]:
    """The cells of each column of `block` drawn `width` cells wide: shared by its ratios (equal when it gives
    none) once a cell at each edge and three between columns (a space, the rule's gap, a space) are set aside,
    the last column taking what rounding left. Tables are drawn at these widths, so that `block_height` is
    exact."""
    ratios = block.ratios or (1,) * len(block.header or block.rows[0])
    room = width - 2 - 3 * (len(ratios) - 1)
    total = sum(ratios) or 1
    widths = [max(6, room * r // total) for r in ratios]
    widths[-1] = max(6, room - sum(widths[:-1]))
    return widths


def _items(block: Block) -> tuple[object, ...]:
    """The items a block of a list kind holds (what merging blocks joins)."""
    if isinstance(block, Bullets):
        return block.items
    if isinstance(block, (Bars, Table)):
        return block.rows
    return ()


def _items_lines(block: Bullets | Bars | Table, items: tuple[object, ...], width: int) -> int:
    """The lines `items` take when laid out as the items of `block` (its columns, its figure width)."""
    if isinstance(block, Bullets):
        return sum(_lines(str(item), width - 2) for item in items)  # the bullet and a cell after it
    if isinstance(block, Bars):
        rest = width - bar_width(width) - block.figure_width - 2
        return sum(_lines(row.label, rest) for row in items if isinstance(row, BarRow))
    rows = cast("tuple[tuple[str, ...], ...]", items)
    widths = table_widths(block, width)
    return sum(_row_lines(row, widths) for row in rows)


def _row_lines(cells: tuple[str, ...], widths: list[int]) -> int:
    """The lines a table row takes: its tallest cell."""
    return max(_lines(cell, w) for cell, w in zip(cells, widths, strict=False))


def block_height(block: Block, width: int = PLAN_WIDTH) -> int:
    """The lines a block takes drawn at `width` (`ui.screens.presentation.render_block`), heading and the blank
    line after it included: exact, so that slides are split without drawing them (tests/test_present.py draws
    every block of the decks to hold this)."""
    head = _lines(block.heading, width) if block.heading else 0
    if isinstance(block, Paragraph):
        body = _lines(block.text, width)
    elif isinstance(block, Sources):
        return _lines(block.line, width) + 1 if block.items else 0  # and the blank line above it
    else:
        body = _items_lines(block, _items(block), width)
        if isinstance(block, Bars):
            body += _lines(block.note, width) if block.note else 0
        elif isinstance(block, Table):  # a blank edge above and below; the header and the rule under it
            body += 2
            if block.header:
                body += _row_lines(block.header, table_widths(block, width)) + 1
    return head + body + 1


def _grown_height(last: Block, height: int, added: Block, width: int) -> int:
    """`block_height` of `added` joined onto `last`, from `last`'s: only the added items are measured."""
    assert isinstance(last, (Bullets, Bars, Table))
    height += _items_lines(last, _items(added), width)
    if isinstance(last, Bars) and isinstance(added, Bars) and added.note and not last.note:
        height += _lines(added.note, width)
    return height


def _joined(last: Block | None, b: Block) -> Block | None:
    """`b` joined onto the block before it when both are items of one block (same kind and heading), else None."""
    if last is None or type(last) is not type(b) or last.heading != b.heading or isinstance(b, Paragraph):
        return None
    if isinstance(last, Bullets) and isinstance(b, Bullets):
        return replace(last, items=last.items + b.items)
    if isinstance(last, Bars) and isinstance(b, Bars):
        return replace(last, rows=last.rows + b.rows, note=last.note or b.note)
    if isinstance(last, Table) and isinstance(b, Table) and last.header == b.header:
        return replace(last, rows=last.rows + b.rows)
    return None


def _merge(units: list[_Unit]) -> tuple[Block, ...]:
    """One slide's units joined back into blocks: consecutive items of the same block become one."""
    blocks: list[Block] = []
    for unit in units:
        joined = _joined(blocks[-1] if blocks else None, unit.block)
        if joined is None:
            blocks.append(unit.block)
        else:
            blocks[-1] = joined
    return tuple(blocks)


class _Heights:
    """The lines of a run of units, their blocks merged, measured as the run grows one unit at a time: adding
    a unit measures only the block it joins, not the whole run again (a section of a large base has
    thousands of units; measuring every prefix whole made the split quadratic)."""

    def __init__(self, units: list[_Unit], width: int, measure: Measure) -> None:
        self.units, self.width, self.measure = units, width, measure
        #: per first unit: the blocks, their lines and their sum for the runs measured, by their end
        self.runs: dict[int, dict[int, tuple[list[Block], list[int], int]]] = {}

    def body(self, start: int, end: int) -> int:
        runs = self.runs.setdefault(start, {start: ([], [], 0)})
        if end in runs:
            return runs[end][2]
        known = max(e for e in runs if e <= end)
        blocks, heights, total = runs[known]
        blocks, heights = list(blocks), list(heights)
        for unit in self.units[known:end]:
            joined = _joined(blocks[-1] if blocks else None, unit.block)
            if joined is None:
                blocks.append(unit.block)
                heights.append(self.measure(unit.block, self.width))
                total += heights[-1]
            else:
                total -= heights[-1]
                if self.measure is block_height:
                    heights[-1] = _grown_height(blocks[-1], heights[-1], unit.block, self.width)
                else:
                    heights[-1] = self.measure(joined, self.width)
                blocks[-1] = joined
                total += heights[-1]
        runs[end] = (blocks, heights, total)
        return total

    def forget_before(self, start: int) -> None:
        for first in [s for s in self.runs if s < start]:
            del self.runs[first]


#: a slide's footnote of sources for its units, in a language
Footnote = Callable[[list[_Unit], Lang], Sources]


def _no_footnote(units: list[_Unit], lang: Lang) -> Sources:
    return Sources((), lang)


class PlanningStopped(Exception):
    """Planning a deck was given up (its caller said stop: the screen that asked for it is gone)."""


def _never() -> bool:
    return False


def _pages(plans: list[list[_Unit]], budget: int, width: int = PLAN_WIDTH,
           measure: Measure = block_height, footnote: Footnote = _no_footnote,
           stop: Callable[[], bool] = _never) -> list[tuple[int, int]]:
    """Split a section's units into (start, end) ranges that fit `budget` lines in every language.

    `plans` holds the same units in each language. A unit never splits, so a page holds at least one;
    a group (a list under one heading, a direction with its approaches) starts on a fresh page when
    it would not fit whole on the current one but would on an empty one.
    """
    units = plans[0]
    count = len(units)
    heights = [_Heights(p, width, measure) for p in plans]

    def fits(start: int, end: int) -> bool:
        for p, lang, lines in zip(plans, LANGS, heights, strict=True):
            note = footnote(p[start:end], lang)
            if lines.body(start, end) + (measure(note, width) if note.items else 0) > budget:
                return False
        return True

    def group_end(start: int) -> int:
        end = start + 1
        while end < count and units[end].group == units[start].group:
            end += 1
        return end

    pages: list[tuple[int, int]] = []
    start = 0
    while start < count:
        if stop():
            raise PlanningStopped
        end = start + 1
        while end < count:
            if units[end].group != units[end - 1].group:
                whole = group_end(end)
                if not fits(start, whole) and fits(end, whole):
                    break
            if not fits(start, end + 1):
                break
            end += 1
        pages.append((start, end))
        start = end
        for lines in heights:
            lines.forget_before(start)
    return pages


# ------------------------------------------------------------------ the sections, in order
def cited(*records: object) -> tuple[str, ...]:
    """The ids of the sources behind `records`: their own, their status's, their amounts' and results'."""
    ids: list[str] = []
    for record in records:
        ids += getattr(record, "sources", ())
        ids += getattr(record, "status_sources", ())
        for name in ("upfront", "milestones", "total", "equity", "royalties"):
            part = getattr(record, name, None)
            if part is not None:
                ids += part.sources
    return tuple(dict.fromkeys(ids))


def short_citations(ids: tuple[str, ...], kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    """Sources as a slide names them: publisher and date, registry numbers after their registry's name
    ("ClinicalTrials.gov NCT06010472, NCT05020678"); one entry per publisher, in the order first cited."""
    by_publisher: dict[str, list[str]] = {}
    for source in (kb.source(i) for i in ids):
        if source is None:
            continue
        who = text(source.publisher, lang) if source.publisher else text(source.title, lang)
        # a registry record is named by its number (its date is only the record's last update)
        detail = source.registry_id or source.date or ""
        details = by_publisher.setdefault(who, [])
        if detail and detail not in details:
            details.append(detail)
    sep = fmt.comma(lang)
    return tuple(f"{who} {sep.join(details)}" if details else who for who, details in by_publisher.items())


def _title(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    meta = kb.meta
    counts = kb.counts()
    summary = t("present.counts", lang, camps=str(counts["camps"]), companies=str(counts["companies"]),
                products=str(counts["products"]), trials=str(counts["trials"]), deals=str(counts["deals"]))
    units = [_Unit(Paragraph(f"{t('as_of', lang)} {meta.as_of}", strong=True), cites=meta.sources,
                   notes=_cover_notes(kb, lang)),
             _Unit(Paragraph(summary), cites=meta.sources)]
    return [_Section(text(meta.title, lang), "title", units, subtitle=text(meta.subtitle, lang), whole=True)]


def _overview(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    o = kb.overview
    why = _Section(text(o.title, lang), "overview", record_id=o.id)
    for key, items in (("overview.car_t_limits", o.car_t_limits), ("overview.nk_advantages", o.nk_advantages)):
        why.units += [_Unit(Bullets((text(item, lang),), heading=t(key, lang)), (o.id,), key, cited(o))
                      for item in items]
    why.units[0] = replace(why.units[0], notes=_overview_notes("note.why", kb, lang))
    sources = _Section(t("overview.cell_sources", lang), "overview", record_id=o.id)
    sources.units = [_Unit(Table(((text(s.name, lang), text(s.note, lang)),), ratios=(2, 5)), (o.id,),
                           cites=cited(o)) for s in o.cell_sources]
    sources.units[:1] = [replace(u, notes=_overview_notes("note.cell_sources", kb, lang)) for u in sources.units[:1]]
    header = (t("col.aspect", lang), t("col.car_t", lang), t("col.car_nk", lang))
    comparison = _Section(t("overview.comparison", lang), "overview", record_id=o.id)
    comparison.units = [
        _Unit(Table(((text(r.aspect, lang), text(r.car_t, lang), text(r.car_nk, lang)),), header, (3, 4, 5)), (o.id,),
              cites=cited(o))
        for r in o.comparison
    ]
    comparison.units[:1] = [replace(u, notes=_overview_notes("note.comparison", kb, lang))
                            for u in comparison.units[:1]]
    return [why, sources, comparison]


def _products_cell(company: Company, kb: KnowledgeBase, lang: Lang) -> str:
    products = kb.products_of(company.id)
    parts = []
    for p in products[:MAX_PRODUCTS]:
        facts = [fmt.targets(p, kb, lang)] if p.targets else []
        if p.stage != "unknown" or p.status in ("discontinued", "returned"):
            facts.append(fmt.stage_status(p, lang))
        parts.append(text(p.name, lang) + fmt.paren(" · ".join(facts), lang) if facts else text(p.name, lang))
    if len(products) > MAX_PRODUCTS:
        parts.append(t("present.more", lang, n=str(len(products) - MAX_PRODUCTS)))
    if not parts:
        partners = dict.fromkeys(party for d in kb.deals_of(company.id) for party in d.parties if party != company.id)
        if partners:
            parts.append(t("present.partner_of", lang, names=fmt.names(tuple(partners), kb, lang)))
    return "\n".join(parts) or t("f.none", lang)


def _company_cell(company: Company, lang: Lang) -> str:
    name = text(company.name, lang)
    if company.status in ("closed", "acquired"):
        name += fmt.paren(label("company_status", company.status, lang), lang)
    return name


def _camps(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    header = (t("f.company", lang), t("f.location", lang), t("present.lead_products", lang))
    sections = []
    for camp in kb.camps_sorted():
        section = _Section(text(camp.name, lang), "camp", record_id=camp.id)
        section.units.append(_Unit(Paragraph(text(camp.summary, lang)), (camp.id,), "summary", cited(camp),
                                   _camp_notes(camp, kb, lang)))
        for company in kb.companies_in(camp.id):
            row = (_company_cell(company, lang), fmt.place(company, lang) or t("f.none", lang),
                   _products_cell(company, kb, lang))
            ids = (company.id, *(p.id for p in kb.products_of(company.id)))
            shown = kb.products_of(company.id)[:MAX_PRODUCTS]
            notes = tuple(line for p in shown for line in _product_notes(p, kb, lang))
            section.units.append(_Unit(Table((row,), header, (4, 3, 5)), ids, "companies", cited(company, *shown),
                                       notes))
        sections.append(section)
    return sections


def _pipeline(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    """The pipeline chart: each target's products with a bar to the stage reached, stopped ones marked."""
    groups = pipeline(kb, lang)
    if not groups:
        return []
    axis = " → ".join(_capital(label("stage", stage, lang)) for stage in (COLUMNS[0], COLUMNS[-1]))
    header = (t("f.target", lang), t("f.product", lang), axis, t("f.stage", lang))
    # about many products, none in particular: starting the deck from a product opens its camp's slide
    section = _Section(t("present.pipeline", lang), "pipeline")
    for group in groups:
        for row in group.rows:
            stage = row.stage_label + (f" · {row.mark}" if row.mark else "")
            cells = (group.title, row.name + fmt.paren(row.company, lang) if row.company else row.name, stage_bar(row),
                     stage)
            product = kb.get(row.product_id)
            notes = _stopped_notes(product, kb, lang) if isinstance(product, Product) else ()
            section.units.append(_Unit(Table((cells,), header, (2, 4, 3, 3)), (row.product_id,), group.key,
                                       cited(product) if product is not None else (), notes))
    section.units[:1] = [replace(u, notes=_pipeline_notes(kb, lang) + u.notes) for u in section.units[:1]]
    return [section]


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def _bar_row(result: Result, trial: Trial, lang: Lang) -> BarRow:
    return BarRow(fmt.measure(result.measure, lang), fmt.percent(result), fmt.result_figure(result, lang),
                  fmt.result_context(result, trial, lang), result.denominator is not None, trial.id,
                  result.lower_is_better)


def _results(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    trials = [tr for tr in kb.trials if tr.results]
    if not trials:
        return []
    results = [r for tr in trials for r in tr.results]
    figure_width = max(cell_len(fmt.result_figure(r, other)) for r in results for other in LANGS)
    section = _Section(t("present.results", lang), "results", record_id=trials[0].id)
    for trial in trials:
        product = kb.get(trial.product)
        heading = " · ".join(p for p in (name_of(product, lang) if product else trial.product,
                                         text(trial.indication, lang), label("phase", trial.phase, lang)) if p)
        heading += fmt.uncertain(trial, lang)
        for r in trial.results:
            row = _bar_row(r, trial, lang)
            note = "" if row.known_n else t("f.not_reported", lang)
            bars = Bars((row,), heading, figure_width, note)
            section.units.append(_Unit(bars, (trial.id, trial.product), trial.id, r.sources or trial.sources,
                                       _result_notes(row, r, trial, kb, lang)))
    return [section]


def _amounts(deal: Deal, lang: Lang) -> str:
    parts = []
    for key, value in (("f.upfront", deal.upfront), ("f.milestones", deal.milestones), ("f.total", deal.total),
                       ("f.equity", deal.equity)):
        if value is not None:
            parts.append(f"{t(key, lang)} {fmt.money(value, lang)}")
    return "\n".join(parts) or t("f.none", lang)


def _deals(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    deals = sorted(kb.deals, key=lambda d: (d.date, d.id))
    if not deals:
        return []
    header = (t("f.date", lang), t("f.deal", lang), t("present.amount", lang))
    section = _Section(t("md.deals", lang), "deals", record_id=deals[0].id)
    section.units = [_Unit(Table(((d.date, text(d.name, lang), _amounts(d, lang)),), header, (2, 6, 4)),
                           (d.id, *d.parties), cites=cited(d), notes=_deal_notes(d, kb, lang)) for d in deals]
    return [section]


def _challenges(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    challenges = sorted(kb.challenges, key=lambda c: c.order)
    if not challenges:
        return []
    section = _Section(t("outlook.challenges", lang), "challenges", record_id=challenges[0].id)
    section.units = [_Unit(Paragraph(text(c.summary, lang), heading=text(c.title, lang)), (c.id,), c.id, cited(c),
                           _point_notes(c, kb, lang)) for c in challenges]
    return [section]


def _directions(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    directions = sorted(kb.directions, key=lambda d: d.order)
    if not directions:
        return []
    section = _Section(t("outlook.directions", lang), "directions", record_id=directions[0].id)
    for d in directions:
        section.units.append(_Unit(Paragraph(text(d.summary, lang), heading=text(d.title, lang)), (d.id,), d.id,
                                   cited(d), _point_notes(d, kb, lang)))
        section.units += [_Unit(Bullets((text(a, lang),)), (d.id,), d.id, cited(d)) for a in d.approaches]
    return [section]


def _judgement(kb: KnowledgeBase, lang: Lang) -> list[_Section]:
    j = kb.judgement
    section = _Section(text(j.title, lang), "judgement", record_id=j.id)
    ids, cites = (j.id,), cited(j)
    section.units.append(_Unit(Paragraph(text(j.summary, lang)), ids, "summary", cites, _judgement_notes(kb, lang)))
    section.units += [_Unit(Bullets((text(c, lang),), heading=t("f.contest", lang)), ids, "contest", cites)
                      for c in j.contest]
    section.units += [_Unit(Bullets((text(b, lang),), heading=t("f.bottlenecks", lang)), ids, "bottlenecks", cites)
                      for b in j.bottlenecks]
    section.units.append(_Unit(Paragraph(text(j.conclusion, lang), strong=True), ids, "conclusion", cites))
    return [section]


#: the deck's order: the talk's outline
SECTIONS: tuple[Callable[[KnowledgeBase, Lang], list[_Section]], ...] = (
    _title, _overview, _camps, _pipeline, _results, _deals, _challenges, _directions, _judgement,
)


#: what planning a deck with `block_height` made, newest last. On a base of a thousand products
#: planning takes seconds, and pressing `p` again, `l` twice or going back to a terminal size asks for what was
#: made before: the sections of each language (whatever the terminal), where they split into slides for a
#: terminal (the same in every language; kept section by section as they are split, so that planning stopped
#: half way goes on from there), and the slides. A weak reference to the knowledge base is kept with
#: each and compared by identity (a reload replaces it as a whole), so an id reused by a later base never finds
#: an old deck, and a base the app has let go of is not kept alive by its slides.
_Kept = dict[tuple[int | str, ...], tuple[weakref.ref[KnowledgeBase], Any]]
_SECTIONS: _Kept = {}
_PAGES: _Kept = {}
_DECKS: _Kept = {}
#: how many decks `_DECKS` keeps (both languages at two terminal sizes), and splits `_PAGES` keeps
DECKS_KEPT = 4


#: decks may be planned off the UI thread while another is asked for on it
_KEEPING = threading.Lock()


def _kept(store: _Kept, kb: KnowledgeBase, key: tuple[int | str, ...], make: Callable[[], Any],
          limit: int = DECKS_KEPT) -> Any:
    key = (id(kb), *key)
    kept = store.get(key)
    if kept is None or kept[0]() is not kb:
        kept = (weakref.ref(kb), make())  # outside the lock: planning takes seconds on a large base
        with _KEEPING:
            store.pop(key, None)
            store[key] = kept
            while len(store) > limit:
                del store[next(iter(store))]
    return kept[1]


def deck_is_kept(kb: KnowledgeBase, lang: Lang, budget: int = PLAN_LINES, width: int = PLAN_WIDTH) -> bool:
    """Whether `build_slides` has this deck already (it then returns at once)."""
    kept = _DECKS.get((id(kb), lang, budget, width))
    return kept is not None and kept[0]() is kb


def build_slides(kb: KnowledgeBase, lang: Lang, budget: int = PLAN_LINES, width: int = PLAN_WIDTH,
                 measure: Measure = block_height, stop: Callable[[], bool] = _never) -> list[Slide]:
    """The deck in `lang`: the same slides in every language, each fitting `budget` lines of `width`
    cells where it can (`measure` says how many lines a block takes). `stop` is asked now and then while
    planning: once it says True, planning raises `PlanningStopped`; the sections split by then are kept, and
    planning the same deck (in either language) goes on from there."""
    if measure is not block_height:  # another measure (a test's): planned each time, nothing kept
        return _whole(_planned(kb, lang, budget, width, measure, stop))
    return list(_kept(_DECKS, kb, (lang, budget, width),
                      lambda: tuple(_whole(_planned(kb, lang, budget, width, measure, stop)))))


def plan_slides(kb: KnowledgeBase, lang: Lang, budget: int = PLAN_LINES, width: int = PLAN_WIDTH,
                stop: Callable[[], bool] = _never) -> Iterator[tuple[list[Slide], bool]]:
    """`build_slides` as it goes, for a deck that takes seconds to plan: the slides planned so far after each
    section (a camp's slides, the results…; each a beginning of the next, the last the whole deck) and whether
    they are the whole deck, which is kept as `build_slides` keeps it."""
    if deck_is_kept(kb, lang, budget, width):
        yield build_slides(kb, lang, budget, width, stop=stop), True
        return
    for slides, whole in _planned(kb, lang, budget, width, block_height, stop):
        if whole:
            _kept(_DECKS, kb, (lang, budget, width), partial(tuple, slides))
        yield slides, whole


def _whole(planned: Iterator[tuple[list[Slide], bool]]) -> list[Slide]:
    """The last of what `_planned` gives: the whole deck."""
    slides: list[Slide] = []
    for step, _ in planned:
        slides = step
    return slides


def _built(kb: KnowledgeBase, part: int, stop: Callable[[], bool]) -> dict[Lang, list[_Section]]:
    """The sections the `part`-th builder of SECTIONS makes, in each language: made once per knowledge base, part
    by part as planning reaches them (the first slides need only the first parts)."""
    made: list[dict[Lang, list[_Section]]] = _kept(_SECTIONS, kb, (), list, limit=1)
    while len(made) <= part:
        if stop():
            raise PlanningStopped
        known = len(made)
        sections = {other: [s for s in SECTIONS[known](kb, other) if s.units] for other in LANGS}
        with _KEEPING:  # another thread may be planning the same base (the other language): the same sections
            if len(made) == known:
                made.append(sections)
    return made[part]


def _planned(kb: KnowledgeBase, lang: Lang, budget: int, width: int, measure: Measure,
             stop: Callable[[], bool] = _never) -> Iterator[tuple[list[Slide], bool]]:
    """The deck in `lang` after each section is split, and whether it is whole (see `plan_slides`)."""
    said: dict[tuple[tuple[str, ...], Lang], Sources] = {}  # the page split asks for one footnote many times

    def footnote(units: list[_Unit], in_lang: Lang) -> Sources:
        key = (tuple(dict.fromkeys(c for u in units for c in u.cites)), in_lang)
        note = said.get(key)
        if note is None:
            note = said[key] = Sources(short_citations(key[0], kb, in_lang), in_lang)
        return note

    # the sections split so far are kept as they are done: planning stopped half way (the screen closed, or a new
    # plan overtook it) goes on from there when asked again
    done: list[list[tuple[int, int]]] = _kept(_PAGES, kb, (budget, width), list) if measure is block_height else []
    slides: list[Slide] = []
    index = 0  # the section's place in the deck
    for part in range(len(SECTIONS)):
        sections = _built(kb, part, stop)
        for place, section in enumerate(sections[lang]):
            if index >= len(done):
                pages = [(0, len(section.units))] if section.whole else _pages(
                    [sections[other][place].units for other in LANGS], budget, width, measure, footnote, stop)
                with _KEEPING:  # another thread may be splitting the same deck (the other language): the same pages
                    if len(done) == index:
                        done.append(pages)
            slides += _section_slides(section, done[index], lang, footnote)
            index += 1
            if place < len(sections[lang]) - 1:
                yield list(slides), False
        yield list(slides), part == len(SECTIONS) - 1


def _section_slides(section: _Section, pages: list[tuple[int, int]], lang: Lang,
                    footnote: Callable[[list[_Unit], Lang], Sources]) -> list[Slide]:
    slides: list[Slide] = []
    for number, (start, end) in enumerate(pages, 1):
        units = section.units[start:end]
        title, part = section.title, None
        if len(pages) > 1:
            title, part = section.title + fmt.paren(f"{number}/{len(pages)}", lang), (number, len(pages))
        records = tuple(dict.fromkeys(r for u in units for r in u.records))
        record_id = section.record_id
        if section.section in ("results", "deals", "challenges", "directions") and records:
            record_id = records[0]
        slides.append(Slide(title, section.subtitle, _one_note(_merge(units)), record_id, records,
                            section.section, part, footnote(units, lang).items,
                            tuple(dict.fromkeys(n for u in units for n in u.notes))))
    return slides


def _one_note(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A footnote shared by a slide's bar charts, said once, under the last of them."""
    notes = [b.note for b in blocks if isinstance(b, Bars) and b.note]
    if not notes:
        return blocks
    last = max(i for i, b in enumerate(blocks) if isinstance(b, Bars))
    return tuple(replace(b, note=notes[0] if i == last else "") if isinstance(b, Bars) else b
                 for i, b in enumerate(blocks))


def _wanted(record_id: str, kb: KnowledgeBase | None) -> list[str]:
    """The record, then its company and its camp: what a slide for the record may be about, best first."""
    wanted = [record_id]
    record = kb.get(record_id) if kb is not None else None
    if kb is not None and record is not None:
        company = record if isinstance(record, Company) else kb.company_of(record)
        camp = kb.camp_of(record)
        wanted += [x.id for x in (company, camp) if x is not None]
    return wanted


def _first_about(slides: list[Slide], target: str) -> int | None:
    return next((i for i, s in enumerate(slides) if s.record_id == target or target in s.records), None)


def find_slide(slides: list[Slide], record_id: str | None, kb: KnowledgeBase | None = None) -> int:
    """The index of the first slide about `record_id` or showing it, else about or showing its company, else its
    camp; else 0."""
    if not record_id:
        return 0
    for target in _wanted(record_id, kb):
        found = _first_about(slides, target)
        if found is not None:
            return found
    return 0


def find_slide_so_far(slides: list[Slide], record_id: str | None, kb: KnowledgeBase | None = None) -> int | None:
    """`find_slide` in the beginning of a deck still being planned (`plan_slides`), when that beginning already
    decides it: the record's own slide is there; None when the rest of the deck must be planned first."""
    if not record_id:
        return 0
    return _first_about(slides, record_id)


# ------------------------------------------------------------------ speaker notes
def _said_with(line: str, ids: tuple[str, ...], kb: KnowledgeBase, lang: Lang) -> str:
    """A note's line and, in brackets, the sources it rests on."""
    cites = fmt.semicolon(lang).join(short_citations(ids, kb, lang))
    return t("note.cited", lang, line=line, sources=cites) if cites else line


def _furthest(products: list[Product]) -> Product | None:
    """The product furthest along (on the pipeline's axis), live ones before stopped ones at the same stage."""
    placed = [p for p in products if reach(p.stage) is not None]
    if not placed:
        return None
    return max(placed, key=lambda p: (reach(p.stage) or 0.0, p.status not in STOPPED))


def _lead(products: list[Product], kb: KnowledgeBase, lang: Lang) -> str:
    lead = _furthest(products)
    if lead is None:
        return ""
    return t("note.lead", lang, product=text(lead.name, lang), stage=fmt.stage_status(lead, lang))


def _cover_notes(kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    counts = {k: str(v) for k, v in kb.counts().items()}
    with_results = sum(1 for p in kb.products if fmt.best_result(p, kb) is not None)
    line = t("note.cover", lang, as_of=kb.meta.as_of, products=counts["products"], trials=counts["trials"],
             results=str(with_results), deals=counts["deals"])
    return (_said_with(line, kb.meta.sources, kb, lang),)


def _overview_notes(key: str, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    o = kb.overview
    line = t(key, lang, limits=str(len(o.car_t_limits)), advantages=str(len(o.nk_advantages)),
             sources=str(len(o.cell_sources)), rows=str(len(o.comparison)))
    return (_said_with(line, cited(o), kb, lang),)


def _camp_notes(camp: Camp, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    companies = kb.companies_in(camp.id)
    products = [p for c in companies for p in kb.products_of(c.id)]
    line = t("note.camp", lang, camp=text(camp.name, lang), companies=str(len(companies)),
             products=str(len(products)))
    lead = _lead(products, kb, lang)
    return (_said_with(line + (fmt.comma(lang) + lead if lead else "") + t("note.end", lang), cited(camp), kb, lang),)


def _product_notes(product: Product, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    found = fmt.best_result(product, kb)
    if found is None:
        return ()
    trial, result = found
    line = t("note.headline", lang, product=text(product.name, lang), headline=fmt.headline(product, kb, lang))
    return (_said_with(line, result.sources or trial.sources, kb, lang),)


def _stopped_notes(product: Product, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    if product.status not in STOPPED:
        return ()
    line = t("note.stopped", lang, product=text(product.name, lang), stage=fmt.stage_status(product, lang))
    return (_said_with(line, product.status_sources or product.sources, kb, lang),)


def _pipeline_notes(kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    products = list(kb.products)
    stopped = sum(1 for p in products if p.status in STOPPED)
    by_stage = {stage: sum(1 for p in products if p.stage == stage) for stage in COLUMNS}
    stages = fmt.comma(lang).join(f"{label('stage', stage, lang)} {n}" for stage, n in by_stage.items() if n)
    line = t("note.pipeline", lang, products=str(len(products)), stopped=str(stopped), stages=stages or "—")
    lead = _lead(products, kb, lang)
    return (line + (" " + _capital(lead) + t("note.end", lang) if lead else ""),)


def _result_notes(row: BarRow, result: Result, trial: Trial, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    """The note for a result's row: what the row says (`_bar_row`), with the product and the sources."""
    product = kb.get(trial.product)
    name = name_of(product, lang) if product is not None else ""
    line = t("note.result", lang, product=name, measure=row.measure, figure=row.figure, context=row.label)
    return (_said_with(line, result.sources or trial.sources, kb, lang),)


def _deal_notes(deal: Deal, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    amounts = fmt.comma(lang).join(_amounts(deal, lang).splitlines())
    line = t("note.deal", lang, date=deal.date, deal=text(deal.name, lang), amounts=amounts)
    return (_said_with(line, cited(deal), kb, lang),)


def _point_notes(record: Challenge | Direction, kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    """A challenge's points (the slide shows its summary), or how many approaches a direction has."""
    if isinstance(record, Challenge) and record.points:
        points = fmt.semicolon(lang).join(text(p, lang).rstrip("。.") for p in record.points)
        line = t("note.challenge", lang, title=text(record.title, lang), points=points)
    else:
        n = len(record.approaches) if isinstance(record, Direction) else 0
        line = t("note.direction", lang, title=text(record.title, lang), n=str(n))
    return (_said_with(line, cited(record), kb, lang),)


def _judgement_notes(kb: KnowledgeBase, lang: Lang) -> tuple[str, ...]:
    j = kb.judgement
    line = t("note.judgement", lang, contest=str(len(j.contest)), bottlenecks=str(len(j.bottlenecks)))
    return (_said_with(line, cited(j), kb, lang),)

