"""What the detail of a record says, as structured content in one language.

The app renders a `Detail` as a pane with bars and links; the Markdown export renders the same
`Detail` as text. Neither decides what a record's detail contains: this module does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from msgspec import Struct

from carnk_tui.views import format as fmt
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, kind_of, name_of
from carnk_tui.kb.model import (
    Camp,
    Challenge,
    Company,
    Deal,
    Direction,
    Discrepancy,
    Event,
    Judgement,
    Lang,
    Platform,
    Product,
    Source,
    Trial,
    text,
)


@dataclass(frozen=True)
class Link:
    """A reference to another record, to follow."""

    id: str
    text: str
    kind: str


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    links: tuple[Link, ...] = ()
    #: set when another source disagrees about this field
    disputed: bool = False
    #: the record's field this row shows
    field: str = ""


@dataclass(frozen=True)
class Bar:
    """One clinical result: measure, figure with denominator, cohort, and its share for drawing."""

    measure: str
    label: str
    figure: str
    cohort: str
    percent: float | None
    #: False when the source gives a percentage without its denominator
    known_n: bool = True


@dataclass(frozen=True)
class Section:
    title: str
    rows: tuple[Row, ...] = ()
    items: tuple[str, ...] = ()
    bars: tuple[Bar, ...] = ()
    links: tuple[Link, ...] = ()
    text: str = ""
    #: key facts, shown before the record's narrative summary
    lead: bool = False


@dataclass(frozen=True)
class Detail:
    id: str
    kind: str
    title: str
    summary: str
    sections: tuple[Section, ...]
    links: tuple[Link, ...] = field(default=())


def link(record_id: str, kb: KnowledgeBase, lang: Lang) -> Link:
    record = kb.get(record_id)
    if record is None:
        return Link(record_id, record_id, "?")
    return Link(record_id, name_of(record, lang), kind_of(record))


def describe(record: Struct, kb: KnowledgeBase, lang: Lang) -> Detail:
    """The detail of any record."""
    builder = _BUILDERS.get(type(record), _generic)
    sections = [s for s in builder(record, kb, lang) if s.rows or s.items or s.bars or s.links or s.text]
    shown = {row.field: row.value for section in sections for row in section.rows if row.field}
    sections.extend(_discrepancies(record, kb, lang, shown))
    sections.append(_sources(record, kb, lang))
    links: dict[str, Link] = {}
    for section in sections:
        for item in (*section.links, *(lnk for row in section.rows for lnk in row.links)):
            if item.id != getattr(record, "id", None) and item.kind != "source":
                links.setdefault(item.id, item)
    summary = text(getattr(record, "summary", None) or getattr(record, "detail", None), lang)
    return Detail(getattr(record, "id", ""), kind_of(record), name_of(record, lang), summary, tuple(sections),
                  tuple(links.values()))


def _disputed(record: Struct) -> set[str]:
    return {d.field for d in getattr(record, "discrepancies", ())}


def _row(record: Struct, field_name: str, key: str, value: str, lang: Lang, links: tuple[Link, ...] = ()) -> Row:
    return Row(t(key, lang), value, links, field_name in _disputed(record), field_name)


def _links(ids: tuple[str, ...], kb: KnowledgeBase, lang: Lang) -> tuple[Link, ...]:
    return tuple(link(i, kb, lang) for i in ids)


def _link_list(title_key: str, records, kb: KnowledgeBase, lang: Lang) -> Section:
    return Section(t(title_key, lang), links=tuple(link(r.id, kb, lang) for r in records))


def _events(record_id: str, kb: KnowledgeBase, lang: Lang) -> Section:
    events = kb.events_of(record_id)
    return Section(t("f.events", lang), items=tuple(f"{e.date}  {text(e.title, lang)}" for e in events),
                   links=tuple(link(e.id, kb, lang) for e in events))


# ------------------------------------------------------------------ per kind
def _camp(camp: Camp, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    return [_link_list("f.companies", kb.companies_in(camp.id), kb, lang)]


def _company(c: Company, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    camp = kb.get(c.camp)
    rows = [
        _row(c, "camp", "f.camp", name_of(camp, lang) if camp else c.camp, lang, (link(c.camp, kb, lang),)),
        _row(c, "city", "f.location", fmt.place(c, lang), lang),
        _row(c, "founded", "f.founded", str(c.founded) if c.founded else "", lang),
        _row(c, "status", "f.status", " — ".join(p for p in (label("company_status", c.status, lang),
                                                            text(c.status_note, lang)) if p), lang),
        _row(c, "ticker", "f.ticker", c.ticker or "", lang),
    ]
    if c.acquired_by:
        rows.append(_row(c, "acquired_by", "f.acquired_by", fmt.names((c.acquired_by,), kb, lang), lang,
                         (link(c.acquired_by, kb, lang),)))
    platforms = kb.platforms_of(c.id)
    return [
        Section(t("f.company", lang), rows=tuple(r for r in rows if r.value)),
        Section(t("f.platforms", lang),
                items=tuple(f"{text(p.name, lang)} — {text(p.technology, lang)}: {text(p.description, lang)}"
                            for p in platforms),
                links=tuple(link(p.id, kb, lang) for p in platforms)),
        _link_list("f.products", kb.products_of(c.id), kb, lang),
        Section(t("f.deals", lang), items=tuple(f"{d.date}  {text(d.name, lang)}" for d in kb.deals_of(c.id)),
                links=tuple(link(d.id, kb, lang) for d in kb.deals_of(c.id))),
        _events(c.id, kb, lang),
    ]


def _platform(p: Platform, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    rows = (
        _row(p, "company", "f.company", fmt.names((p.company,), kb, lang), lang, (link(p.company, kb, lang),)),
        _row(p, "technology", "f.technology", text(p.technology, lang), lang),
    )
    users = [pr for pr in kb.products if pr.platform == p.id]
    return [Section(t("f.platform", lang), rows=rows, text=text(p.description, lang)),
            _link_list("f.products", users, kb, lang)]


def _product(p: Product, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    e = p.engineering
    rows = [
        _row(p, "company", "f.company", fmt.names((p.company,), kb, lang), lang, (link(p.company, kb, lang),)),
        _row(p, "targets", "f.target", " / ".join(p.targets), lang),
        _row(p, "cell_source", "f.cell_source", label("cell_source", p.cell_source, lang), lang),
        _row(p, "modality", "f.modality", label("modality", p.modality, lang), lang),
        _row(p, "stage", "f.stage", label("stage", p.stage, lang), lang),
    ]
    more = [
        _row(p, "indications", "f.indications", "; ".join(text(i, lang) for i in p.indications), lang),
        _row(p, "indication_areas", "f.area", ", ".join(label("area", a, lang) for a in p.indication_areas), lang),
    ]
    if p.allogeneic is not None:
        more.append(_row(p, "allogeneic", "f.allogeneic", t("yes" if p.allogeneic else "no", lang), lang))
    if p.platform:
        more.append(_row(p, "platform", "f.platform", fmt.names((p.platform,), kb, lang), lang,
                         (link(p.platform, kb, lang),)))
    engineering = [
        _row(p, "engineering", "f.car", text(e.car, lang), lang),
        _row(p, "engineering", "f.armour", "; ".join(text(x, lang) for x in e.armour), lang),
        _row(p, "engineering", "f.knockouts", "; ".join(text(x, lang) for x in e.knockouts), lang),
        _row(p, "engineering", "f.other", "; ".join(text(x, lang) for x in e.other), lang),
    ]
    trial_sections = [
        Section(f"{t('f.trials', lang)}: {name_of(tr, lang)}",
                text=" · ".join((label("phase", tr.phase, lang), label("trial_status", tr.status, lang),
                                 *tr.registry_ids)),
                bars=tuple(_bar(r, tr, lang) for r in tr.results), links=(link(tr.id, kb, lang),), lead=True)
        for tr in kb.trials_of(p.id)
    ]
    return [
        Section(t("f.product", lang), rows=tuple(r for r in rows if r.value), lead=True),
        *trial_sections,
        Section(t("f.indications", lang), rows=tuple(r for r in more if r.value)),
        Section(t("f.engineering", lang), rows=tuple(r for r in engineering if r.value)),
        _events(p.id, kb, lang),
    ]


def _bar(result, trial: Trial, lang: Lang) -> Bar:
    cohort = next((c for c in trial.cohorts if c.id == result.cohort), None)
    cohort_text = text(cohort.label, lang) if cohort else result.cohort
    if result.timepoint:
        cohort_text += f", {text(result.timepoint, lang)}"
    return Bar(result.measure, text(result.label, lang), fmt.result_figure(result, lang), cohort_text, fmt.percent(result),
               result.denominator is not None)


def _trial(tr: Trial, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    rows = [
        _row(tr, "product", "f.product", fmt.names((tr.product,), kb, lang), lang, (link(tr.product, kb, lang),)),
        _row(tr, "registry_ids", "f.registry", ", ".join(tr.registry_ids), lang),
        _row(tr, "phase", "f.phase", label("phase", tr.phase, lang), lang),
        _row(tr, "indication", "f.indication", text(tr.indication, lang), lang),
        _row(tr, "population", "f.population", text(tr.population, lang), lang),
        _row(tr, "status", "f.status", label("trial_status", tr.status, lang), lang),
        _row(tr, "sponsor", "f.sponsor", text(tr.sponsor, lang), lang),
        _row(tr, "start", "f.start", tr.start or "", lang),
        _row(tr, "readout", "f.readout", tr.readout or "", lang),
    ]
    cohorts = tuple(
        f"{text(c.label, lang)}" + (f" (n={c.n})" if c.n is not None else "")
        + (f": {text(c.description, lang)}" if c.description else "")
        for c in tr.cohorts
    )
    notes = tuple(f"{text(r.label, lang)}: {text(r.note, lang)}" for r in tr.results if r.note)
    publications = tuple(fmt.citation(s, lang) for s in (kb.source(i) for i in tr.publications) if s)
    return [
        Section(t("f.trial", lang), rows=tuple(r for r in rows if r.value)),
        Section(t("f.cohorts", lang), items=cohorts),
        Section(t("f.results", lang), bars=tuple(_bar(r, tr, lang) for r in tr.results), items=notes,
                rows=(Row(t("f.results", lang), t("sources_differ", lang), (), True, "results"),) if "results" in _disputed(tr) else ()),
        Section(t("f.publications", lang), items=publications),
        _events(tr.id, kb, lang),
    ]


def _deal(d: Deal, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    rows = [
        _row(d, "parties", "f.parties", fmt.names(d.parties, kb, lang), lang, _links(d.parties, kb, lang)),
        _row(d, "date", "f.date", d.date, lang),
        _row(d, "kind", "f.kind", label("deal_kind", d.kind, lang), lang),
        _row(d, "scope", "f.scope", text(d.scope, lang), lang),
        _row(d, "upfront", "f.upfront", fmt.money(d.upfront, lang), lang),
        _row(d, "milestones", "f.milestones", fmt.money(d.milestones, lang), lang),
        _row(d, "total", "f.total", fmt.money(d.total, lang), lang),
        _row(d, "royalties", "f.royalties", text(d.royalties, lang), lang),
        _row(d, "outcome", "f.outcome", text(d.outcome, lang), lang),
    ]
    if d.platform:
        rows.append(_row(d, "platform", "f.platform", fmt.names((d.platform,), kb, lang), lang,
                         (link(d.platform, kb, lang),)))
    return [Section(t("f.deal", lang), rows=tuple(r for r in rows if r.value)), _events(d.id, kb, lang)]


def _event(e: Event, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    related = (*e.companies, *e.products, *e.trials, *e.deals)
    rows = (
        _row(e, "date", "f.date", e.date, lang),
        _row(e, "kind", "f.kind", label("event_kind", e.kind, lang), lang),
    )
    return [Section(t("f.event", lang), rows=rows, text=text(e.detail, lang)),
            Section(t("f.related", lang), links=_links(related, kb, lang))]


def _challenge(c: Challenge, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    return [Section(t("f.points", lang), items=tuple(text(p, lang) for p in c.points)),
            Section(t("f.related", lang), links=_links(c.related, kb, lang))]


def _direction(d: Direction, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    return [Section(t("f.approaches", lang), items=tuple(text(p, lang) for p in d.approaches)),
            Section(t("f.related", lang), links=_links(d.related, kb, lang))]


def _judgement(j: Judgement, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    return [Section(t("f.contest", lang), items=tuple(text(p, lang) for p in j.contest)),
            Section(t("f.bottlenecks", lang), items=tuple(text(p, lang) for p in j.bottlenecks)),
            Section(t("md.judgement", lang), text=text(j.conclusion, lang))]


def _source_record(s: Source, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    return [Section(t("f.sources", lang), items=(fmt.citation(s, lang),))]


def _generic(record: Struct, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    return []


_BUILDERS = {
    Camp: _camp, Company: _company, Platform: _platform, Product: _product, Trial: _trial, Deal: _deal,
    Event: _event, Challenge: _challenge, Direction: _direction, Judgement: _judgement, Source: _source_record,
}


def _discrepancies(record: Struct, kb: KnowledgeBase, lang: Lang, shown: dict[str, str]) -> list[Section]:
    found: tuple[Discrepancy, ...] = getattr(record, "discrepancies", ())
    if not found:
        return []
    items = []
    cited = getattr(record, "sources", ())
    articles = tuple(i for i in cited if (src := kb.source(i)) is not None and src.kind == "article")
    primary = fmt.names(articles or cited[:1], kb, lang)
    for d in found:
        who = fmt.names(d.sources, kb, lang)
        note = f" — {text(d.note, lang)}" if d.note else ""
        ours = shown.get(d.field) or _field_text(record, d.field, lang)
        items.append(f"{d.field}: {t('f.article_says', lang)} ({primary}): {ours} ⇄ "
                     f"{t('f.other_says', lang)} ({who}): {text(d.value, lang)}{note}")
    return [Section(t("f.discrepancies", lang), items=tuple(items))]


def _field_text(record: Struct, name: str, lang: Lang) -> str:
    value = getattr(record, name, None)
    if isinstance(value, str) or hasattr(value, "zh"):
        return text(value, lang)  # type: ignore[arg-type]
    return "…"


def _sources(record: Struct, kb: KnowledgeBase, lang: Lang) -> Section:
    ids: list[str] = list(getattr(record, "sources", ()))
    for nested in (*getattr(record, "results", ()), *getattr(record, "discrepancies", ())):
        ids.extend(s for s in nested.sources if s not in ids)
    cited = tuple(fmt.citation(s, lang) for s in (kb.source(i) for i in dict.fromkeys(ids)) if s)
    return Section(t("f.sources", lang), items=cited)
