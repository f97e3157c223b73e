"""Facts as a reader sees them: amounts, results, places, citations. Plain text, no markup."""

from __future__ import annotations

from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Company, Lang, Money, Product, Result, Source, Trial, text

_SYMBOL = {"USD": "$", "EUR": "€", "CNY": "¥"}
_ZH_CURRENCY = {"USD": "美元", "EUR": "欧元", "CNY": "元"}
#: results that best describe a product's clinical activity, strongest claim first
_HEADLINE_ORDER = ("CR", "ORR", "CR-or-LDA", "SRI-4", "MRD-negative", "PR", "disease-control", "other", "relapse")


def money(value: Money | None, lang: Lang) -> str:
    if value is None:
        return ""
    prefix = t("up_to", lang) + " " if value.up_to else ""
    if lang == "zh":
        wan = value.amount / 10_000
        if wan >= 10_000:
            amount = f"{wan / 10_000:,.4g}亿"
        else:
            amount = f"{wan:,.6g}万"
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
    """'3/6 (50%)' or '54% (denominator not reported)'."""
    pct = percent(result)
    pct_text = f"{pct:.0f}%" if pct is not None else ""
    frac = fraction(result)
    if frac and pct_text:
        return f"{frac} ({pct_text})"
    if frac:
        return frac
    return f"{pct_text} (N=?)"


def result_line(result: Result, trial: Trial, lang: Lang) -> str:
    """One result with its measure, figure and cohort."""
    cohort = next((c for c in trial.cohorts if c.id == result.cohort), None)
    cohort_text = text(cohort.label, lang) if cohort else result.cohort
    when = f", {text(result.timepoint, lang)}" if result.timepoint else ""
    return f"{text(result.label, lang)}: {result_figure(result, lang)} — {cohort_text}{when}"


def best_result(product: Product, kb: KnowledgeBase) -> tuple[Trial, Result] | None:
    """The product's strongest reported result: complete responses first, then the highest share."""
    candidates = [(trial, r) for trial in kb.trials_of(product.id) for r in trial.results]
    if not candidates:
        return None
    rank = {m: i for i, m in enumerate(_HEADLINE_ORDER)}
    return min(candidates, key=lambda tr: (rank.get(tr[1].measure, 99), -(percent(tr[1]) or 0)))


def headline(product: Product, kb: KnowledgeBase, lang: Lang) -> str:
    """The product's best reported result with its denominator and cohort, or ''."""
    found = best_result(product, kb)
    if found is None:
        return ""
    trial, best = found
    cohort = next((c for c in trial.cohorts if c.id == best.cohort), None)
    where = text(cohort.label, lang) if cohort else text(trial.indication, lang)
    return f"{best.measure} {result_figure(best, lang)}, {where}"


def place(company: Company, lang: Lang) -> str:
    return ", ".join(p for p in (text(company.city, lang), text(company.country, lang)) if p)


def citation(source: Source, lang: Lang) -> str:
    """A source in full: title, publisher, date, identifiers."""
    parts = [text(source.title, lang)]
    if source.publisher:
        parts.append(text(source.publisher, lang))
    if source.citation:
        parts.append(source.citation)
    if source.date:
        parts.append(source.date)
    if source.registry_id:
        parts.append(source.registry_id)
    if source.doi:
        parts.append(f"doi:{source.doi}")
    if source.url:
        parts.append(source.url)
    if source.note:
        parts.append(text(source.note, lang))
    return f"[{label('source_kind', source.kind, lang)}] " + "; ".join(parts)


def names(ids: tuple[str, ...], kb: KnowledgeBase, lang: Lang) -> str:
    return ", ".join(name_of(kb.by_id[i], lang) if i in kb.by_id else i for i in ids)


def stage_badge(product: Product, lang: Lang) -> str:
    return label("stage", product.stage, lang)
