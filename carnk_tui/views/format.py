"""Facts as a reader sees them: amounts, results, places, citations. Plain text, no markup."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from difflib import SequenceMatcher

from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import (
    LANGS, Bilingual, Cohort, Company, Lang, Money, Name, Product, RegistryRecord, Result, Royalties, Source, Trial,
    text,
)

_SYMBOL = {"USD": "$", "EUR": "€", "CNY": "¥"}
_ZH_CURRENCY = {"USD": "美元", "EUR": "欧元", "CNY": "元"}
#: results that best describe a product's clinical activity, strongest claim first
_HEADLINE_ORDER = ("CR", "CRc", "ORR", "CR-or-LDA", "LLDAS-or-DORIS", "SRI-4", "MRD-negative", "PR",
                   "disease-control", "other", "relapse")


def money(value: Money | None, lang: Lang) -> str:
    if value is None:
        return ""
    prefix = t("up_to", lang) + " " if value.up_to else ""
    if value.approximate:
        prefix += t("approx", lang) + ("" if lang == "zh" else " ")
    if lang == "zh":
        wan = value.amount / 10_000
        amount = f"{wan / 10_000:,.4g}亿" if wan >= 10_000 else f"{wan:,.6g}万"
        return f"{prefix}{amount}{_ZH_CURRENCY[value.currency]}"
    millions = value.amount / 1_000_000
    amount = f"{millions / 1000:,.4g}B" if millions >= 1000 else f"{millions:,.6g}M"
    return f"{prefix}{_SYMBOL[value.currency]}{amount}"


def fraction(result: Result) -> str:
    """'3/6' when the denominator is known, else ''."""
    if result.responders is not None and result.denominator is not None:
        return f"{result.responders}/{result.denominator}"
    return ""


def percent(result: Result) -> float | None:
    """The result's percentage, computed from n/N when not given."""
    if result.percent is not None:
        return result.percent
    if result.responders is not None and result.denominator:
        return 100 * result.responders / result.denominator
    return None


def result_figure(result: Result, lang: Lang) -> str:
    """'3/6 (50%)' or '54% (N=?)' when the source gives no denominator; '3/6（50%）' in Chinese."""
    pct = percent(result)
    pct_text = f"{pct:.0f}%" if pct is not None else ""
    frac = fraction(result)
    if frac and pct_text:
        return f"{frac}{paren(pct_text, lang)}"
    if frac:
        return frac
    return f"{pct_text}{paren('N=?', lang)}"


def measure(code: str, lang: Lang) -> str:
    """A result measure as the reader says it ("完全缓解", "CR")."""
    return label("measure", code, lang)


def uncertain(trial: Trial, lang: Lang) -> str:
    """' (attribution uncertain)' when the trial's link to its product is this knowledge base's reading."""
    if trial.attribution != "uncertain":
        return ""
    return paren(t("attribution.uncertain", lang), lang)


def paren_marks(lang: Lang) -> tuple[str, str]:
    """What opens and closes words in brackets after what they qualify, in `lang` (full-width in Chinese)."""
    return ("（", "）") if lang == "zh" else (" (", ")")


def paren(words: str, lang: Lang) -> str:
    """Words in brackets after what they qualify: "（未披露）" in Chinese, " (not disclosed)" in English."""
    opening, closing = paren_marks(lang)
    return f"{opening}{words}{closing}"


def comma(lang: Lang) -> str:
    return "，" if lang == "zh" else ", "


def colon(lang: Lang) -> str:
    """What follows a label before its value: "：" in Chinese, ": " in English."""
    return "：" if lang == "zh" else ": "


def semicolon(lang: Lang) -> str:
    return "；" if lang == "zh" else "; "


def enumeration(lang: Lang) -> str:
    """Between the items of a list of names: 、 in Chinese."""
    return "、" if lang == "zh" else ", "


def cohort_label(trial: Trial, cohort_id: str, lang: Lang) -> str:
    cohort = next((c for c in trial.cohorts if c.id == cohort_id), None)
    return text(cohort_name(cohort), lang) if cohort else text(trial.indication, lang)


def cohort_name(cohort: Cohort) -> Bilingual:
    """A cohort as a reader names it: its label, and its dose arm when the sources give one."""
    if cohort.dose is None:
        return cohort.label
    return Bilingual(zh=f"{cohort.label.zh}{comma('zh')}{cohort.dose.zh}",
                     en=f"{cohort.label.en}{comma('en')}{cohort.dose.en}")


def result_date(result: Result, trial: Trial, kb: KnowledgeBase, known: dict[str, str] | None = None) -> str:
    """When a result was read out: the earliest dated source that gives it, else the trial's readout date, else ''.

    `known` keeps the sources' dates between calls (many results cite the same sources)."""
    known = {} if known is None else known
    dates = []
    for source_id in result.sources:
        date = known.get(source_id)
        if date is None:
            source = kb.source(source_id)
            date = known[source_id] = (source.date or "") if source is not None else ""
        if date:
            dates.append(date)
    return min(dates) if dates else (trial.readout or "")


@lru_cache(maxsize=16384)
def repeats(shown: str, extra: str) -> bool:
    """Whether `extra` mostly says again what `shown` says: most of it is one stretch of `shown`
    ("Follicular lymphoma subgroup" after "Complete response rate, follicular lymphoma")."""
    a, b = shown.casefold(), extra.casefold()
    if not b.strip():
        return True
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= max(3, 0.6 * len(b.strip()))


def distinct(parts: Sequence[Name | None]) -> list[Name]:
    """The parts worth saying one after another: a part that repeats those before it, in either
    language, is left out in both (so the two languages say the same things)."""
    return list(_distinct(tuple(parts)))


@lru_cache(maxsize=1 << 14)
def _distinct(parts: tuple[Name | None, ...]) -> tuple[Name, ...]:
    """`distinct`, kept: the same parts are asked for in each language and by each view of a result."""
    kept: list[Name] = []
    for part in parts:
        if part is None or not any(text(part, lang) for lang in LANGS):
            continue
        if kept and any(repeats(" ".join(text(k, lang) for k in kept), text(part, lang)) for lang in LANGS):
            continue
        kept.append(part)
    return tuple(kept)


def result_context(result: Result, trial: Trial, lang: Lang, with_label: bool = True) -> str:
    """What a result counts: its label (when asked), cohort and time point, each said once:
    "Complete response rate, follicular lymphoma", not "… — Follicular lymphoma subgroup"."""
    cohort = next((c for c in trial.cohorts if c.id == result.cohort), None)
    parts = distinct([result.label if with_label else None, cohort_name(cohort) if cohort else None, result.timepoint])
    if with_label:
        head, rest = (parts[0], parts[1:]) if parts else ("", [])
        tail = comma(lang).join(text(p, lang) for p in rest)
        return f"{text(head, lang)} — {tail}" if tail else text(head, lang)
    return comma(lang).join(text(p, lang) for p in parts) or cohort_label(trial, result.cohort, lang)


def result_line(result: Result, trial: Trial, lang: Lang) -> str:
    """One result with its measure, figure and what it counts."""
    cohort = next((c for c in trial.cohorts if c.id == result.cohort), None)
    parts = distinct([cohort_name(cohort) if cohort else None, result.timepoint])
    what = comma(lang).join(text(p, lang) for p in parts)
    what = what or cohort_label(trial, result.cohort, lang)
    return f"{text(result.label, lang)}{colon(lang)}{result_figure(result, lang)} — {what}"


def kind_caption(title: str, kind_label: str) -> str:
    """A record's kind after its name, unless the name already says it ("Fate iPSC platform")."""
    return "" if kind_label.casefold() in title.casefold() else kind_label


def dated(date: str, name: str) -> str:
    """A name with its year in front, unless the name already gives the year."""
    year = date[:4]
    return name if not year or year in name else f"{year} {name}"


def _main_results(trial: Trial) -> list[Result]:
    """The results of the trial's main cohorts; every result when no cohort is marked main."""
    main = {c.id for c in trial.cohorts if c.primary}
    return [r for r in trial.results if r.cohort in main] if main else list(trial.results)


def best_result(product: Product, kb: KnowledgeBase) -> tuple[Trial, Result] | None:
    """The product's headline result: from main cohorts only (never a subgroup), complete responses
    first, then the highest share; trials whose link to the product is confirmed come first."""
    candidates = [(trial, r) for trial in kb.trials_of(product.id) for r in _main_results(trial)]
    if not candidates:
        return None
    rank = {m: i for i, m in enumerate(_HEADLINE_ORDER)}
    return min(candidates, key=lambda tr: (tr[0].attribution == "uncertain", rank.get(tr[1].measure, 99),
                                           -(percent(tr[1]) or 0)))


def headline(product: Product, kb: KnowledgeBase, lang: Lang) -> str:
    """The product's headline result with its denominator, the cohort it counts and when, or ''."""
    found = best_result(product, kb)
    if found is None:
        return ""
    trial, best = found
    when = f"{comma(lang)}{text(best.timepoint, lang)}" if best.timepoint else ""
    return (f"{measure(best.measure, lang)} {result_figure(best, lang)} — {cohort_label(trial, best.cohort, lang)}"
            f"{when}{uncertain(trial, lang)}")


def place(company: Company, lang: Lang) -> str:
    return comma(lang).join(p for p in (text(company.city, lang), text(company.country, lang)) if p)


def citation(source: Source, lang: Lang) -> str:
    """A source in full: title, publisher, date, identifiers."""
    title = text(source.title, lang)
    parts = [title]
    if source.publisher:
        parts.append(text(source.publisher, lang))
    if source.citation:
        parts.append(source.citation)
    if source.date:
        parts.append(source.date)
    if source.registry_id and source.registry_id not in title:
        parts.append(source.registry_id)
    if source.doi:
        parts.append(f"doi:{source.doi}")
    if source.url:
        parts.append(source.url)
    if source.note:
        parts.append(text(source.note, lang))
    return f"[{label('source_kind', source.kind, lang)}] " + semicolon(lang).join(parts)


def names(ids: tuple[str, ...], kb: KnowledgeBase, lang: Lang) -> str:
    return comma(lang).join(name_of(kb.by_id[i], lang) if i in kb.by_id else i for i in ids)


def stage_status(product: Product, lang: Lang) -> str:
    """The highest stage reached and, when development stopped, since when:
    "Phase 1 · discontinued 2023-01" / "I 期 · 已停止开发 2023-01". Every view showing a stage uses this."""
    stage = label("stage", product.stage, lang)
    if product.status in ("discontinued", "returned"):
        status = label("product_status", product.status, lang)
        when = f" {product.status_date}" if product.status_date else ""
        return f"{stage} · {status}{when}"
    return stage


def term(code: str, kb: KnowledgeBase, lang: Lang) -> str:
    """A code the data uses (a target such as "NKG2D ligands") in the reader's words, or the code itself."""
    found = next((item.name for item in kb.meta.terms if item.id == code), None)
    return text(found, lang) if found is not None else code


def targets(product: Product, kb: KnowledgeBase, lang: Lang, sep: str = " / ") -> str:
    """A product's targets in the reader's words ("NKG2D配体"), or "not disclosed"."""
    if not product.targets:
        return t("not_disclosed", lang)
    terms = {term.id: term.name for term in kb.meta.terms}
    return sep.join(text(terms[code], lang) if code in terms else code for code in product.targets)


def royalties(value: Royalties | None, lang: Lang) -> str:
    if value is None:
        return ""
    terms = text(value.terms, lang)
    if value.up_to_percent is not None:
        rate = t("royalty.up_to", lang, pct=f"{value.up_to_percent:g}")
        return terms if rate in terms else " — ".join(p for p in (rate, terms) if p)
    return terms


def enrollment(registry: RegistryRecord, lang: Lang) -> str:
    if registry.enrollment is None:
        return ""
    key = f"enrollment.{registry.enrollment_type}" if registry.enrollment_type else "enrollment.plain"
    return t(key, lang, n=str(registry.enrollment))


def registry_status(registry: RegistryRecord, kb: KnowledgeBase, lang: Lang) -> str:
    """"recruiting · as of 2025-11-12 (ClinicalTrials.gov …)": the registry's status and when it was read."""
    source = kb.source(registry.source)
    publisher = text(source.publisher, lang) if source and source.publisher else names((registry.source,), kb, lang)
    return (f"{label('trial_status', registry.status, lang)} · "
            f"{t('registry.as_of', lang, date=registry.as_of, source=publisher)}")
