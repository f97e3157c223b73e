"""What the detail of a record says, as structured content in one language.

The app renders a `Detail` as a pane with bars and links; the Markdown export renders the same
`Detail` as text. Neither decides what a record's detail contains: this module does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from msgspec import Struct

from carnk_tui.views import format as fmt
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, kind_of, name_of
from carnk_tui.kb.model import (
    Result,
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
    #: a share where lower is better (relapse, toxicity): not drawn as a success
    lower_is_better: bool = False


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
    #: the sources the record cites, to follow or to copy as a citation (after the links)
    sources: tuple[Link, ...] = field(default=())


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
    cited = _sources(record, kb, lang)
    sections.append(cited)
    links: dict[str, Link] = {}
    for section in sections:
        for item in (*section.links, *(lnk for row in section.rows for lnk in row.links)):
            if item.id != getattr(record, "id", None) and item.kind != "source":
                links.setdefault(item.id, item)
    summary = text(getattr(record, "summary", None) or getattr(record, "detail", None), lang)
    return Detail(getattr(record, "id", ""), kind_of(record), name_of(record, lang), summary, tuple(sections),
                  tuple(links.values()), cited.links)


def _disputed(record: Struct) -> set[str]:
    return {d.field for d in getattr(record, "discrepancies", ())}


def _row(record: Struct, field_name: str, key: str, value: str, lang: Lang, links: tuple[Link, ...] = ()) -> Row:
    return Row(t(key, lang), value, links, field_name in _disputed(record), field_name)


def _links(ids: tuple[str, ...], kb: KnowledgeBase, lang: Lang) -> tuple[Link, ...]:
    return tuple(link(i, kb, lang) for i in ids)


def _link_list(title_key: str, records: Iterable[Any], kb: KnowledgeBase, lang: Lang) -> Section:
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
        _row(c, "city", "f.location", fmt.place(c, lang) or t("not_disclosed", lang), lang),
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
                items=tuple(f"{text(p.name, lang)} — {text(p.technology, lang)}"
                            f"{fmt.colon(lang)}{text(p.description, lang)}"
                            for p in platforms),
                links=tuple(link(p.id, kb, lang) for p in platforms)),
        _link_list("f.products", kb.products_of(c.id), kb, lang) if kb.products_of(c.id)
        else Section(t("f.products", lang), items=(t("not_disclosed", lang),)),
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
        _row(p, "targets", "f.target", fmt.targets(p, kb, lang), lang),
        _row(p, "cell_source", "f.cell_source", label("cell_source", p.cell_source, lang), lang),
        _row(p, "modality", "f.modality", label("modality", p.modality, lang), lang),
        _row(p, "stage", "f.stage", fmt.stage_status(p, lang), lang),
    ]
    if p.status != "unknown" or p.status_note:
        status = " ".join(x for x in (label("product_status", p.status, lang), p.status_date or "") if x)
        rows.append(_row(p, "status", "f.development",
                         " — ".join(x for x in (status, text(p.status_note, lang)) if x), lang))
    more = [
        _row(p, "indications", "f.indications", fmt.semicolon(lang).join(text(i, lang) for i in p.indications), lang),
        _row(p, "indication_areas", "f.area",
             fmt.enumeration(lang).join(label("area", a, lang) for a in p.indication_areas), lang),
    ]
    if p.allogeneic is not None:
        more.append(_row(p, "allogeneic", "f.allogeneic", t("yes" if p.allogeneic else "no", lang), lang))
    if p.platform:
        more.append(_row(p, "platform", "f.platform", fmt.names((p.platform,), kb, lang), lang,
                         (link(p.platform, kb, lang),)))
    engineering = [
        _row(p, "engineering", "f.car", text(e.car, lang), lang),
        _row(p, "engineering", "f.armour", fmt.semicolon(lang).join(text(x, lang) for x in e.armour), lang),
        _row(p, "engineering", "f.knockouts", fmt.semicolon(lang).join(text(x, lang) for x in e.knockouts), lang),
        _row(p, "engineering", "f.other", fmt.semicolon(lang).join(text(x, lang) for x in e.other), lang),
    ]
    trial_sections = [
        Section(f"{t('f.trials', lang)}{fmt.colon(lang)}{name_of(tr, lang)}",
                text=" · ".join((label("phase", tr.phase, lang), *tr.registry_ids,
                                 fmt.registry_status(tr.registry, kb, lang) if tr.registry
                                 else label("trial_status", tr.status, lang)))
                + fmt.uncertain(tr, lang),
                bars=tuple(_bar(r, tr, lang) for r in tr.results), links=(link(tr.id, kb, lang),), lead=True)
        for tr in kb.trials_of(p.id)
    ]
    return [
        Section(t("f.product", lang), rows=tuple(r for r in rows if r.value), lead=True),
        *trial_sections,
        Section(t("f.use", lang), rows=tuple(r for r in more if r.value)),
        Section(t("f.engineering", lang), rows=tuple(r for r in engineering if r.value)),
        _events(p.id, kb, lang),
    ]


def _bar(result: Result, trial: Trial, lang: Lang) -> Bar:
    cohort_text = fmt.result_context(result, trial, lang, with_label=False)
    return Bar(fmt.measure(result.measure, lang), text(result.label, lang), fmt.result_figure(result, lang),
               cohort_text + fmt.uncertain(trial, lang), fmt.percent(result), result.denominator is not None,
               result.lower_is_better)


def _registry_differs(tr: Trial) -> dict[str, tuple[str, str]]:
    """Fields where the curated value and the registry's differ: field -> (label group, registry value)."""
    reg = tr.registry
    if reg is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    if tr.status != "unknown" and reg.status != tr.status:
        found["status"] = ("trial_status", reg.status)
    if reg.phase is not None and reg.phase != tr.phase:
        found["phase"] = ("phase", reg.phase)
    return found


def _trial(tr: Trial, kb: KnowledgeBase, lang: Lang) -> list[Section]:
    differs = _registry_differs(tr)

    def row(field_name: str, key: str, value: str, links: tuple[Link, ...] = ()) -> Row:
        base = _row(tr, field_name, key, value, lang, links)
        return Row(base.label, base.value, base.links, base.disputed or field_name in differs, base.field)

    rows = [
        row("product", "f.product", fmt.names((tr.product,), kb, lang), (link(tr.product, kb, lang),)),
        row("registry_ids", "f.registry", fmt.comma(lang).join(tr.registry_ids)),
        row("phase", "f.phase", label("phase", tr.phase, lang)),
        row("indication", "f.indication", text(tr.indication, lang)),
        row("population", "f.population", text(tr.population, lang)),
        row("status", "f.status", label("trial_status", tr.status, lang)),
        row("sponsor", "f.sponsor", text(tr.sponsor, lang)),
        row("start", "f.start", tr.start or ""),
        row("readout", "f.readout", tr.readout or ""),
    ]
    if tr.attribution == "uncertain":
        rows.insert(1, Row(t("f.attribution", lang), " — ".join(
            x for x in (t("attribution.uncertain", lang), text(tr.attribution_note, lang)) if x), (), True,
            "attribution"))
    reg = tr.registry
    if reg is not None:
        dates = " · ".join(x for x in (t("registry.start", lang, date=reg.start_date) if reg.start_date else "",
                                       t("registry.completion", lang, date=reg.completion_date)
                                       if reg.completion_date else "") if x)
        registry_rows = [
            Row(t("f.registry_status", lang), fmt.registry_status(reg, kb, lang), (), "status" in differs, "registry"),
            Row(t("f.registry_phase", lang), label("phase", reg.phase, lang) if reg.phase else "", (),
                "phase" in differs, "registry"),
            Row(t("f.enrollment", lang), fmt.enrollment(reg, lang), (), False, "registry"),
            Row(t("f.registry_dates", lang), dates, (), False, "registry"),
            # the registry's own title is English; Chinese views have the trial's name instead
            Row(t("f.registry_title", lang), (reg.title or "") if lang == "en" else "", (), False, "registry"),
        ]
        rows.extend(r for r in registry_rows if r.value)
    colon = fmt.colon(lang)
    cohorts = tuple(
        text(fmt.cohort_name(c), lang) + (fmt.paren(f"n={c.n}", lang) if c.n is not None else "")
        + (f" · {t('cohort.main', lang)}" if c.primary else "")
        + (f"{colon}{text(c.description, lang)}" if c.description else "")
        for c in tr.cohorts
    )
    notes = tuple(f"{text(r.label, lang)}{colon}{text(r.note, lang)}" for r in tr.results if r.note)
    publications = tuple(fmt.citation(s, lang) for s in (kb.source(i) for i in tr.publications) if s)
    return [
        Section(t("f.trial", lang), rows=tuple(r for r in rows if r.value)),
        Section(t("f.cohorts", lang), items=cohorts),
        Section(t("f.results", lang), bars=tuple(_bar(r, tr, lang) for r in tr.results), items=notes,
                rows=(Row(t("f.discrepancies", lang), t("sources_differ", lang), (), True, "results"),)
                if "results" in _disputed(tr) else ()),
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
        _row(d, "equity", "f.equity", fmt.money(d.equity, lang), lang),
        _row(d, "royalties", "f.royalties", fmt.royalties(d.royalties, lang), lang),
        _row(d, "outcome", "f.outcome", text(d.outcome, lang), lang),
    ]
    if d.platform:
        rows.append(_row(d, "platform", "f.platform", fmt.names((d.platform,), kb, lang), lang,
                         (link(d.platform, kb, lang),)))
    notes = tuple(f"{t(key, lang)}{fmt.colon(lang)}{text(m.note, lang)}"
                  for key, m in (("f.upfront", d.upfront), ("f.milestones", d.milestones), ("f.total", d.total),
                                 ("f.equity", d.equity)) if m is not None and m.note)
    return [Section(t("f.deal", lang), rows=tuple(r for r in rows if r.value), items=notes), _events(d.id, kb, lang)]


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


_BUILDERS: dict[type, Callable[[Any, KnowledgeBase, Lang], list[Section]]] = {
    Camp: _camp, Company: _company, Platform: _platform, Product: _product, Trial: _trial, Deal: _deal,
    Event: _event, Challenge: _challenge, Direction: _direction, Judgement: _judgement, Source: _source_record,
}


def _registry_builders() -> None:
    """Registry studies and sponsors (views/registry_details.py); a curated trial shows its registry reading itself."""
    from carnk_tui.kb.model import RegistrySponsor, RegistryStudy
    from carnk_tui.views import registry_details as rd

    def sections(parts: list[rd.Part], kb: KnowledgeBase, lang: Lang) -> list[Section]:
        return [Section(p.title, rows=tuple(Row(r.label, r.value, _links(r.links, kb, lang), r.disputed, r.field)
                                            for r in p.rows), links=_links(p.links, kb, lang), lead=p.lead)
                for p in parts]

    _BUILDERS[RegistryStudy] = lambda r, kb, lang: sections(rd.study_parts(r, kb, lang), kb, lang)
    _BUILDERS[RegistrySponsor] = lambda r, kb, lang: sections(rd.sponsor_parts(r, kb, lang), kb, lang)


_registry_builders()


def _discrepancies(record: Struct, kb: KnowledgeBase, lang: Lang, shown: dict[str, str]) -> list[Section]:
    """Each disputed field: what this record says ⇄ what another source says (and who says it)."""
    found: tuple[Discrepancy, ...] = getattr(record, "discrepancies", ())
    colon = fmt.colon(lang)
    items = []
    for d in found:
        who = fmt.names(d.sources, kb, lang)
        note = f" — {text(d.note, lang)}" if d.note else ""
        ours = "" if d.field == "results" else shown.get(d.field) or _field_text(record, d.field, lang)
        recorded = f"{t('f.recorded', lang)}{colon}{ours} ⇄ " if ours and ours != "…" else ""
        items.append(f"{label('field', d.field, lang)}{colon}{recorded}{who}{colon}{text(d.value, lang)}{note}")
    if isinstance(record, Trial) and record.registry is not None:
        for name, (group, value) in _registry_differs(record).items():
            ours = label(group, getattr(record, name), lang)
            who = fmt.registry_status(record.registry, kb, lang).split(" · ", 1)[1]
            items.append(f"{label('field', name, lang)}{colon}{t('f.recorded', lang)}{colon}{ours} ⇄ "
                         f"{t('f.trial_registry', lang)}{fmt.paren(who, lang)}{colon}{label(group, value, lang)}")
    if not items:
        return []
    return [Section(t("f.discrepancies", lang), items=tuple(items))]


def _field_text(record: Struct, name: str, lang: Lang) -> str:
    value = getattr(record, name, None)
    if isinstance(value, str) or hasattr(value, "zh"):
        return text(value, lang)
    return "…"


def _sources(record: Struct, kb: KnowledgeBase, lang: Lang) -> Section:
    """Every source the record cites, its parts' included (results, amounts, status, registry facts)."""
    ids: list[str] = list(getattr(record, "sources", ()))
    nested = [*getattr(record, "results", ()), *getattr(record, "discrepancies", ())]
    nested += [part for name in ("upfront", "milestones", "total", "equity", "royalties")
               if (part := getattr(record, name, None)) is not None]
    for part in nested:
        ids.extend(s for s in part.sources if s not in ids)
    ids.extend(s for s in getattr(record, "status_sources", ()) if s not in ids)
    registry = getattr(record, "registry", None)
    if registry is not None and registry.source not in ids:
        ids.append(registry.source)
    sources = [s for s in (kb.source(i) for i in dict.fromkeys(ids)) if s]
    return Section(t("f.sources", lang), items=tuple(fmt.citation(s, lang) for s in sources),
                   links=tuple(Link(s.id, name_of(s, lang), "source") for s in sources))
