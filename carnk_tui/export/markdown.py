"""A readable report of the whole landscape in one language."""

from __future__ import annotations

from msgspec import Struct

from carnk_tui.views import format as fmt
from carnk_tui.views.details import Detail, describe
from carnk_tui.views.i18n import label, t
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, text


def detail_markdown(detail: Detail, level: int = 3, lang: Lang = "en") -> list[str]:
    """One record's detail as Markdown lines: its kind under the title, never its internal id."""
    hashes = "#" * level
    colon = fmt.colon(lang)
    out = [f"{hashes} {detail.title}", "", f"*{label('kind', detail.kind, lang)}*", ""]
    if detail.summary:
        out += [detail.summary, ""]
    for section in detail.sections:
        out += [f"**{section.title}**", ""]
        if section.text:
            out += [section.text, ""]
        for row in section.rows:
            mark = " ⚠" if row.disputed else ""
            out.append(f"- {row.label}{mark}{colon}{row.value}")
        for bar in section.bars:
            out.append(f"- {bar.label}{colon}{bar.figure}" + (f" — {bar.cohort}" if bar.cohort else ""))
        for item in section.items:
            out.append(f"- {item}")
        if section.links and not (section.rows or section.items):
            out.append("- " + fmt.enumeration(lang).join(link.text for link in section.links))
        out.append("")
    return out


def record_markdown(record: Struct, kb: KnowledgeBase, lang: Lang) -> str:
    return "\n".join(detail_markdown(describe(record, kb, lang), level=1, lang=lang))


def to_markdown(kb: KnowledgeBase, lang: Lang) -> str:
    colon = fmt.colon(lang)
    out = [f"# {text(kb.meta.title, lang)}", "", text(kb.meta.subtitle, lang), "",
           f"{t('as_of', lang)}{colon}{kb.meta.as_of}", ""]

    ov = kb.overview
    out += [f"## {t('md.overview', lang)}", "", f"### {text(ov.title, lang)}", "", text(ov.summary, lang), ""]
    for key, items in (("overview.car_t_limits", ov.car_t_limits), ("overview.nk_advantages", ov.nk_advantages)):
        out += [f"**{t(key, lang)}**", ""] + [f"- {text(i, lang)}" for i in items] + [""]
    out += [f"**{t('overview.cell_sources', lang)}**", ""]
    out += [f"- {text(c.name, lang)}{colon}{text(c.note, lang)}" for c in ov.cell_sources] + [""]
    out += [f"**{t('overview.comparison', lang)}**", "",
            f"| {t('col.aspect', lang)} | {t('col.car_t', lang)} | {t('col.car_nk', lang)} |", "|---|---|---|"]
    out += [f"| {text(r.aspect, lang)} | {text(r.car_t, lang)} | {text(r.car_nk, lang)} |" for r in ov.comparison]
    out.append("")

    out += [f"## {t('md.landscape', lang)}", ""]
    for camp in kb.camps_sorted():
        out += [f"### {text(camp.name, lang)}", "", text(camp.summary, lang), ""]
        for company in kb.companies_in(camp.id):
            out += detail_markdown(describe(company, kb, lang), level=4, lang=lang)
            for product in kb.products_of(company.id):
                out += detail_markdown(describe(product, kb, lang), level=5, lang=lang)
                for trial in kb.trials_of(product.id):
                    out += detail_markdown(describe(trial, kb, lang), level=6, lang=lang)

    out += [f"## {t('md.deals', lang)}", ""]
    for deal in sorted(kb.deals, key=lambda d: d.date):
        out += detail_markdown(describe(deal, kb, lang), lang=lang)

    out += [f"## {t('md.timeline', lang)}", ""]
    for event in kb.timeline():
        detail = f" — {text(event.detail, lang)}" if event.detail else ""
        out.append(f"- **{event.date}** {text(event.title, lang)}{detail}")
    out.append("")

    out += [f"## {t('md.challenges', lang)}", ""]
    for challenge in sorted(kb.challenges, key=lambda c: c.order):
        out += detail_markdown(describe(challenge, kb, lang), lang=lang)
    out += [f"## {t('md.directions', lang)}", ""]
    for direction in sorted(kb.directions, key=lambda d: d.order):
        out += detail_markdown(describe(direction, kb, lang), lang=lang)
    out += [f"## {t('md.judgement', lang)}", ""]
    out += detail_markdown(describe(kb.judgement, kb, lang), lang=lang)

    if kb.registry_studies or any(trial.registry for trial in kb.trials):  # an import of the registry was loaded
        from carnk_tui.views.registry_overview import registry_detail

        out += detail_markdown(registry_detail(kb, lang), level=2, lang=lang)

    out += [f"## {t('md.discrepancies', lang)}", ""]
    for record in kb.records():
        for d in getattr(record, "discrepancies", ()):
            out.append(f"- {name_of(record, lang)} · {label('field', d.field, lang)}{colon}{text(d.value, lang)}"
                       + fmt.paren(fmt.names(d.sources, kb, lang), lang)
                       + (f" — {text(d.note, lang)}" if d.note else ""))
    out.append("")
    out += [f"## {t('md.sources', lang)}", ""]
    out += [f"- {fmt.citation(s, lang)}" for s in kb.sources]
    return "\n".join(out) + "\n"
