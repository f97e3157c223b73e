"""What the details of registry records say: an imported study and its sponsor.

(A curated trial shows its registry reading in its own detail, views.details.) The parts are plain data:
`views.details` turns them into its sections (and links), so this module does not import it.
"""

from __future__ import annotations

from dataclasses import dataclass

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, RegistryRecord, RegistrySponsor, RegistryStudy
from carnk_tui.views.i18n import label, t
from carnk_tui.views.format import paren, semicolon


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    links: tuple[str, ...] = ()  # record ids
    disputed: bool = False
    field: str = ""


@dataclass(frozen=True)
class Part:
    """A section of a detail: rows, and records to link to."""

    title: str
    rows: tuple[Row, ...] = ()
    links: tuple[str, ...] = ()
    lead: bool = False

#: the registry's words, in both languages (kept here: only these views use them)
WORDS: dict[str, tuple[str, str]] = {
    "registry": ("注册库记录", "Registry record"),
    "reading": ("注册库（ClinicalTrials.gov）", "Registry (ClinicalTrials.gov)"),
    "title": ("登记标题", "Registered title"),
    "as_of": ("读取日期", "Read on"),
    "enrollment": ("入组人数", "Enrollment"),
    "actual": ("实际", "actual"),
    "estimated": ("预计", "estimated"),
    "first_posted": ("首次登记", "First posted"),
    "completion": ("完成", "Completion"),
    "sponsor_class": ("申办方类型", "Sponsor class"),
    "collaborators": ("合作方", "Collaborators"),
    "conditions": ("疾病", "Conditions"),
    "interventions": ("干预措施", "Interventions"),
    "countries": ("国家", "Countries"),
    "has_results": ("已发布结果", "Results posted"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "products": ("提及的产品", "Products named"),
    "studies": ("注册试验", "Registry trials"),
    "not_given": ("未给出", "not given"),
    "no_phase": ("未给出或不适用", "not given or not applicable"),
}
#: the registry's sponsor classes
SPONSOR_CLASSES: dict[str, tuple[str, str]] = {
    "industry": ("企业", "industry"),
    "nih": ("美国国立卫生研究院", "NIH"),
    "federal": ("美国联邦机构", "US federal"),
    "other-government": ("其他政府机构", "other government"),
    "individual": ("个人", "individual"),
    "network": ("研究网络", "network"),
    "other": ("其他（医院、大学等）", "other (hospitals, universities, ...)"),
    "unknown": ("未知", "unknown"),
}


def word(key: str, lang: Lang) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def sponsor_class(value: str | None, lang: Lang) -> str:
    if value is None:
        return ""
    zh, en = SPONSOR_CLASSES.get(value, (value, value))
    return zh if lang == "zh" else en


def status_label(value: str | None, lang: Lang) -> str:
    return label("trial_status", value, lang) if value else word("not_given", lang)


def phase_label(value: str | None, lang: Lang) -> str:
    return label("phase", value, lang) if value else word("no_phase", lang)


def reading_rows(reading: RegistryRecord, kb: KnowledgeBase, lang: Lang) -> tuple[Row, ...]:
    """What the registry says of a study, each field a row (those not given are left out)."""
    sep = semicolon(lang)
    enrollment = ""
    if reading.enrollment is not None:
        kind = word(reading.enrollment_type, lang) if reading.enrollment_type else ""
        enrollment = f"{reading.enrollment}{paren(kind, lang) if kind else ''}"
    results = "" if reading.has_results is None else word("yes" if reading.has_results else "no", lang)
    rows = [
        Row(t("f.registry", lang), reading.registry_id, (), False, "registry_id"),
        Row(word("title", lang), reading.title or "", (), False, "title"),
        Row(t("f.status", lang), status_label(reading.status, lang), (), False, "status"),
        Row(t("f.phase", lang), phase_label(reading.phase, lang), (), False, "phase"),
        Row(word("enrollment", lang), enrollment, (), False, "enrollment"),
        Row(t("f.start", lang), reading.start_date or "", (), False, "start_date"),
        Row(word("completion", lang), reading.completion_date or "", (), False, "completion_date"),
        Row(word("first_posted", lang), reading.first_posted or "", (), False, "first_posted"),
        Row(t("f.sponsor", lang), reading.lead_sponsor or "", (), False, "lead_sponsor"),
        Row(word("sponsor_class", lang), sponsor_class(reading.sponsor_class, lang), (), False, "sponsor_class"),
        Row(word("collaborators", lang), sep.join(reading.collaborators), (), False, "collaborators"),
        Row(word("conditions", lang), sep.join(reading.conditions), (), False, "conditions"),
        Row(word("interventions", lang), sep.join(reading.interventions), (), False, "interventions"),
        Row(word("countries", lang), sep.join(reading.countries), (), False, "countries"),
        Row(word("has_results", lang), results, (), False, "has_results"),
        Row(word("as_of", lang), reading.as_of, (reading.source,), False, "as_of"),
    ]
    return tuple(r for r in rows if r.value)


def study_parts(study: RegistryStudy, kb: KnowledgeBase, lang: Lang) -> list[Part]:
    parts = [Part(word("registry", lang), rows=reading_rows(study.registry, kb, lang), lead=True)]
    if study.sponsor:
        parts.append(Part(t("f.sponsor", lang), links=(study.sponsor,)))
    if study.products:
        parts.append(Part(word("products", lang), links=study.products))
    return parts


def sponsor_parts(sponsor: RegistrySponsor, kb: KnowledgeBase, lang: Lang) -> list[Part]:
    studies = sorted((s for s in kb.registry_studies if s.sponsor == sponsor.id), key=lambda s: s.name)
    rows = (Row(word("sponsor_class", lang), sponsor_class(sponsor.sponsor_class, lang), (), False, "sponsor_class"),)
    return [Part(t("f.sponsor", lang), rows=tuple(r for r in rows if r.value)),
            Part(word("studies", lang), links=tuple(s.id for s in studies))]

