"""The registry branch of the Landscape tree: its summary (counts as bars) and what the last import changed."""

from __future__ import annotations

from collections.abc import Callable

from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, RegistryChange, RegistryRecord, Trial
from carnk_tui.registry.summary import NOT_GIVEN, summarise
from carnk_tui.views import format as fmt
from carnk_tui.views.details import Bar, Detail, Link, Section, describe, link
from carnk_tui.views.i18n import t
from carnk_tui.views.registry_details import phase_label, sponsor_class, status_label

#: the tree's keys for the registry branch and its sponsor groups (not record ids)
REGISTRY_KEY = "registry:"
SPONSOR_PREFIX = "registry-sponsor:"
#: at most this many values of a group are drawn (the most frequent)
TOP = 10

WORDS: dict[str, tuple[str, str]] = {
    "branch": ("注册库中尚未整理的试验", "Registry trials not yet curated"),
    "about": (("从 ClinicalTrials.gov 导入、尚未整理进知识库的试验，按申办方分组；已整理试验的注册库读数见各试验。"
              "下面是全部 {n} 项注册库试验（含已整理的）的统计。"),
              ("Trials imported from ClinicalTrials.gov that no curated trial covers yet, by sponsor; curated trials "
              "show their own registry reading. The counts below cover all {n} registry trials, curated ones "
              "included.")),
    "summary": ("注册库统计", "Registry summary"),
    "status": ("按状态", "By status"),
    "phase": ("按分期", "By phase"),
    "country": ("按国家（前 10）", "By country (top 10)"),
    "start_year": ("按开始年份", "By start year"),
    "sponsor_class": ("按申办方类型", "By sponsor class"),
    "changed": ("最近一次导入的变化（{new}，对比 {old}）", "What changed in the last import ({new}, against {old})"),
    "unchanged": ("最近一次导入没有发现变化。", "The last import found no changes."),
    "no_history": ("导入第二次后，这里会列出变化。", "Changes are listed here from the second import on."),
    "not_given": ("未给出", "not given"),
    "no_sponsor": ("申办方未给出", "Sponsor not given"),
    "command": ("注册库：有什么变化、统计", "Registry: what changed, summary"),
    "added": ("新增", "added"),
    "removed": ("移除", "removed"),
    "enrollment": ("入组人数", "enrollment"),
    "status_change": ("状态", "status"),
    "phase_change": ("分期", "phase"),
}


def word(key: str, lang: Lang, **fields: object) -> str:
    zh, en = WORDS[key]
    value = zh if lang == "zh" else en
    return value.format(**fields) if fields else value


def readings(kb: KnowledgeBase) -> list[RegistryRecord]:
    """Every registry reading: the uncurated studies' and the curated trials'."""
    return [*(s.registry for s in kb.registry_studies), *(t.registry for t in kb.trials if t.registry is not None)]


def record_for(registry_id: str, kb: KnowledgeBase) -> str | None:
    """The record that stands for an NCT id: its registry study, or the curated trial that has it."""
    study = kb.get(registry_id.lower())
    if study is not None:
        return registry_id.lower()
    trial = next((t for t in kb.trials if registry_id in t.registry_ids), None)
    return trial.id if isinstance(trial, Trial) else None


def _value(group: str, value: str, lang: Lang) -> str:
    if value == NOT_GIVEN:
        return word("not_given", lang)
    if group == "status":
        return status_label(value, lang)
    if group == "phase":
        return phase_label(value, lang)
    if group == "sponsor_class":
        return sponsor_class(value, lang)
    return value


def summary_sections(kb: KnowledgeBase, lang: Lang) -> list[Section]:
    summary = summarise(readings(kb))
    sections = []
    for group, counts in summary.counts.items():
        shown = counts if group == "start_year" else counts[:TOP]
        bars = []
        for value, n in shown:
            share = 100 * n / summary.total if summary.total else 0.0
            name = _value(group, value, lang)
            figure = t("registry.share", lang, n=str(n), total=str(summary.total), percent=f"{share:.0f}")
            bars.append(Bar(name, name, figure, "", share))
        sections.append(Section(word(group, lang), bars=tuple(bars)))
    return sections


def latest_changes(kb: KnowledgeBase) -> list[RegistryChange]:
    if not kb.registry_changes:
        return []
    last = max(c.import_number for c in kb.registry_changes)
    return [c for c in kb.registry_changes if c.import_number == last]


def change_text(change: RegistryChange, lang: Lang) -> str:
    title = f" · {change.title}" if change.title else ""
    if change.change == "added":
        status = status_label(change.after, lang)
        return f"{change.registry_id} {word('added', lang)}{fmt.paren(status, lang)}{title}"
    if change.change == "removed":
        return f"{change.registry_id} {word('removed', lang)}{title}"
    show = {"status": status_label, "phase": phase_label}.get(change.change, lambda v, _: v or word("not_given", lang))
    what = word(f"{change.change}_change" if change.change != "enrollment" else "enrollment", lang)
    colon = fmt.colon(lang)
    return f"{change.registry_id} {what}{colon}{show(change.before, lang)} → {show(change.after, lang)}{title}"


def changes_section(kb: KnowledgeBase, lang: Lang) -> Section:
    changes = latest_changes(kb)
    if not kb.registry_changes:
        return Section(word("changed", lang, new="—", old="—"), text=word("no_history", lang))
    if not changes:
        return Section(word("changed", lang, new="—", old="—"), text=word("unchanged", lang))
    first = changes[0]
    links: list[Link] = []
    for change in changes:
        target = record_for(change.registry_id, kb)
        if target is not None and all(lnk.id != target for lnk in links):
            links.append(link(target, kb, lang))
    return Section(word("changed", lang, new=first.after_as_of, old=first.before_as_of or "—"),
                   items=tuple(change_text(c, lang) for c in changes), links=tuple(links))


def registry_detail(kb: KnowledgeBase, lang: Lang) -> Detail:
    """What the registry branch's own node shows: what changed, then the counts."""
    sections = [changes_section(kb, lang), *summary_sections(kb, lang)]
    links = sections[0].links
    return Detail("ClinicalTrials.gov", "registry", word("branch", lang), word("about", lang, n=len(readings(kb))),
                  tuple(sections), links)


def detail_for_key(key: str | None, kb: KnowledgeBase, lang: Lang) -> Detail | None:
    """The detail of a registry-branch node that is not a record (None for any other key)."""
    if key == REGISTRY_KEY:
        return registry_detail(kb, lang)
    if key is not None and key.startswith(SPONSOR_PREFIX):
        record = kb.get(key[len(SPONSOR_PREFIX):])
        if record is not None:
            return describe(record, kb, lang)
        return Detail("", "registry", word("no_sponsor", lang), "", ())
    return None


def sponsor_name(sponsor_id: str, kb: KnowledgeBase, lang: Lang) -> str:
    record = kb.get(sponsor_id) if sponsor_id else None
    return name_of(record, lang) if record is not None else word("no_sponsor", lang)


def change_word(lang: Lang) -> Callable[[str, str | None], str]:
    """`word(kind, value)` for `carnk-tui diff`: the reader's word for a change's kind or value."""
    kinds = {"added": "added", "removed": "removed", "status": "status_change", "phase": "phase_change",
             "enrollment": "enrollment"}

    def word_for(kind: str, value: str | None) -> str:
        if value is None:
            return "—" if lang == "en" else word("not_given", lang)
        if kind == "change":
            return word(kinds[value], lang) if value in kinds else value
        if kind == "status":
            return status_label(value, lang)
        if kind == "phase":
            return phase_label(value, lang)
        return value

    return word_for


def registry_command(lang: Lang) -> str:
    """The command palette's entry for the registry branch's node."""
    return word("command", lang)
