"""Text at every size, in both languages: line breaking (Chinese and mixed text), list items that keep
all their words, cut labels that say so, a notice below the smallest size, text said once, slides that
fit the terminal; and a walk through every tab and record kind that fails on a word split at a line's end.

The screen is read through public API: each widget's rendered lines (`Widget.render_lines`).
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, Static, Tree

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.kb.model import LANGS, Deal, Platform, text
from carnk_tui.ui.app import make_app
from carnk_tui.ui.screens.presentation import PresentScreen, render_slide
from carnk_tui.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from carnk_tui.views import format as fmt
from carnk_tui.views import i18n
from carnk_tui.views.details import describe
from carnk_tui.views.landscape_tree import children, node_spec
from carnk_tui.views.linebreak import NO_END, NO_START, ellipsize, wrap
from carnk_tui.ui.settle import settle
from carnk_tui.ui.widgets.detail import DetailBody

#: punctuation that must not start a line (the check the walk applies; ASCII ones are left out, as a
#: Latin line may begin with a bracket of its own)
CJK_NO_START = "".join(c for c in NO_START if ord(c) > 0x2000 and c not in "·…")
LATIN = re.compile(r"[A-Za-z0-9]+")


# ------------------------------------------------------------------ reading the screen
def widget_lines(widget: Widget) -> list[str]:
    """What a widget draws, line by line (a Static in a scrolling pane: all of it, seen or not)."""
    width, height = widget.outer_size  # padding included: the crop is in the widget's own cells
    if not width or not height:
        return []
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


def option_list_lines(listing: OptionList) -> list[str]:
    """Every line of an option list, scrolling through it."""
    return scrolled_lines(listing)


def scrolled_lines(widget: OptionList | Tree | DetailBody) -> list[str]:
    """Every line of a scrolling list or tree, scrolling through it (the Line API draws what is in view)."""
    lines: dict[int, str] = {}
    total, page = widget.virtual_size.height, max(widget.size.height, 1)
    for top in range(0, total, page):
        widget.scroll_to(y=top, animate=False, immediate=True)
        offset = round(widget.scroll_offset.y)
        for y in range(page):
            if offset + y < total:
                lines[offset + y] = widget.render_line(y).text.rstrip()
    widget.scroll_to(y=0, animate=False, immediate=True)
    return [lines[i] for i in sorted(lines)]


def readable_widgets(app: App) -> list[Widget]:
    return [w for w in app.screen.query("Static, OptionList, Tree, DataTable, DetailBody")
            if w.display and w.is_on_screen and w.size.width and w.size.height]


def squashed(lines: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(lines))


# ------------------------------------------------------------------ what a broken line looks like
def vocabulary() -> set[str]:
    """Every Latin word and number the app may show: from the data and the interface strings (not from the
    records' ids, which it never shows: "trial-ft596-phase1" would make "phase" / "1" look like a split word)."""
    from carnk_tui.kb.loader import load

    base = load([bundled_data_dir()])
    ids = sorted({*base.by_id, *(source.id for source in base.sources)}, key=len, reverse=True)
    an_id = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    words: set[str] = set()
    for path in Path(bundled_data_dir()).glob("*.yaml"):
        words.update(LATIN.findall(an_id.sub(" ", path.read_text(encoding="utf-8"))))
    words.update(LATIN.findall(Path(i18n.__file__).read_text(encoding="utf-8")))
    return words


WORDS = vocabulary()


def broken_lines(lines: list[str], where: str) -> list[str]:
    """Lines that end mid-word without an ellipsis, or start with closing CJK punctuation.

    A word is split when a line reaches the pane's right edge with a Latin letter or digit, the next
    line starts with one, and the two halves make a word the app knows ("Dra" + "gonfly",
    "约2" + "20人", "CAR-N" + "K").
    """
    found = []
    edge = max((cell_len(line) for line in lines), default=0)
    for a, b in pairwise(lines):
        head = b.lstrip()
        if head[:1] and head[0] in CJK_NO_START:
            found.append(f"{where}: line starts with {head[0]!r}: {b!r}")
        if not a or not head or cell_len(a) < edge - 1:
            continue
        tail = re.search(r"[A-Za-z0-9]+$", a)
        start = LATIN.match(head)
        if tail and start and not a.endswith("…") and tail.group() + start.group() in WORDS:
            found.append(f"{where}: split {tail.group() + start.group()!r}: {a!r} / {b!r}")
    return found


CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: a Latin bracket or colon where Chinese text has its own (English names inside keep theirs)
LATIN_MARKS_IN_CHINESE = re.compile(r" \((?=[\d\u4e00-\u9fff])|[\u4e00-\u9fff][:,(]|[),][\u4e00-\u9fff]")


def screen_problems(app: App, where: str) -> list[str]:
    """Lines broken where the rules forbid; in Chinese, also Latin punctuation the app put beside Chinese."""
    problems = []
    for widget in readable_widgets(app):
        lines = option_list_lines(widget) if isinstance(widget, OptionList) else widget_lines(widget)
        name = f"{where} {type(widget).__name__}#{widget.id}"
        problems += broken_lines(lines, name)
        if getattr(app, "lang", "en") == "zh":
            problems += [f"{name}: Latin punctuation in Chinese: {line.strip()}" for line in lines
                         if CHINESE.search(line) and LATIN_MARKS_IN_CHINESE.search(line)]
    return problems


# ------------------------------------------------------------------ line breaking, without Textual
@pytest.mark.parametrize("width", [8, 11, 17, 30])
def test_chinese_and_latin_break_where_the_rules_allow(width):
    value = "2023年1月Fate失去与Janssen的合作，裁员约220人，停止FT596等CAR-NK项目（见https://clinicaltrials.gov/study/NCT04245722）。"
    lines = wrap(value, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines) == value.replace(" ", "")
    for word in ("Fate", "Janssen", "220", "FT596", "CAR-NK"):
        assert any(word in line for line in lines), (word, lines)  # never split
    assert not any(line[:1] in NO_START for line in lines[1:])
    assert not any(line[-1:] in NO_END for line in lines)


def test_urls_stay_whole_when_they_fit_and_spaces_break_as_in_english():
    url = "https://clinicaltrials.gov/study/NCT04245722"
    assert any(url in line for line in wrap(f"See the record at {url} for details.", 50))
    assert wrap("In 2023, Fate lost its Janssen deal", 15) == ["In 2023, Fate", "lost its", "Janssen deal"]
    assert wrap("• first item that wraps", 12, hang=2) == ["• first item", "  that wraps"]
    assert ellipsize("ASC103 [ROBO1 · not disclosed]", 20) == "ASC103 [ROBO1 · not…"


def test_every_text_in_the_data_wraps_by_the_rules(kb: KnowledgeBase):
    """All sentences of the knowledge base, in both languages, at three widths."""
    texts = {
        value.get(lang)
        for record in kb.by_id.values()
        for value in (getattr(record, name, None) for name in ("summary", "detail", "description", "scope"))
        if value is not None and not isinstance(value, str)
        for lang in LANGS
    }
    for value in texts:
        for width in (24, 40, 70):
            lines = wrap(value, width)
            assert all(cell_len(line) <= width for line in lines)
            assert not any(line[:1] in NO_START for line in lines[1:]), (value, lines)
            assert squashed(lines) == squashed([value])


# ------------------------------------------------------------------ 1. list items keep every word
@pytest.mark.parametrize("lang", LANGS)
async def test_timeline_and_challenges_list_every_word(kb: KnowledgeBase, lang):
    app = make_app(kb, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        shown = squashed(option_list_lines(app.screen.query_one("#timeline-list", OptionList)))
        for event in kb.timeline():
            assert squashed([text(event.title, lang)]) in shown, text(event.title, lang)
        await pilot.press("3")
        await settle(pilot)
        shown = squashed(option_list_lines(app.screen.query_one("#outlook-list", OptionList)))
        for challenge in kb.challenges:
            assert squashed([text(challenge.title, lang)]) in shown, text(challenge.title, lang)


# ------------------------------------------------------------------ 4. Chinese breaking in the panes
async def test_chinese_detail_breaks_by_the_rules_and_shows_deal_fields_whole(kb: KnowledgeBase):
    deal = next(d for d in kb.deals if d.scope is not None)
    app = make_app(kb, "zh", open_text=deal.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#landscape-pane #detail-body", DetailBody)
        lines = scrolled_lines(body)
        assert not broken_lines(lines, "deal")
        shown = squashed(lines)
        for value in (deal.scope, deal.outcome, deal.royalties.terms if deal.royalties else None):
            if value is not None:
                assert squashed([text(value, "zh")]) in shown
        assert "…" not in "".join(lines)
        for size in ((60, 20), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert not broken_lines(scrolled_lines(body), f"deal at {size}")


# ------------------------------------------------------------------ 8. small terminals
async def test_below_the_minimum_a_notice_says_how_large_in_both_languages(kb: KnowledgeBase):
    app = make_app(kb, "zh")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        notice = squashed(widget_lines(app.screen.query_one("#too-small", Static)))
        size = f"{MIN_WIDTH}×{MIN_HEIGHT}"
        assert f"请将终端放大到至少{size}" in notice and f"enlargeittoatleast{size}" in notice
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not isinstance(app.screen, TooSmallScreen)
        assert app.screen.query_one("#camp-tree", Tree).display


@pytest.mark.parametrize("lang", LANGS)
async def test_tree_labels_cut_at_the_width_end_in_an_ellipsis(kb: KnowledgeBase, lang):
    app = make_app(kb, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one("#camp-tree", Tree)
        for camp in tree.root.children:  # open every camp and company
            camp.expand()
            for company in camp.children:
                company.expand()
        await settle(pilot)
        labels = {spec.label for camp in kb.camps for spec in children(camp.id, kb, lang)}
        labels |= {spec.label for c in kb.companies for spec in children(c.id, kb, lang)}
        lines = scrolled_lines(tree)
        cut = [line for line in lines if line.endswith("…")]
        assert cut, "at 80 columns some labels are too long for the tree"
        for line in lines:
            words = line.lstrip("├└│ ▶▼").strip()
            assert line.endswith("…") or any(words.endswith(label) for label in labels | _camp_labels(kb, lang)), line


def _camp_labels(kb: KnowledgeBase, lang) -> set[str]:
    return {node_spec(camp, kb, lang).label for camp in kb.camps}


# ------------------------------------------------------------------ 9. said once
def _said_twice(value: str) -> str:
    """A stretch of text (8 characters, or 4 ideographs) that comes back later in `value`."""
    folded = re.sub(r"[\s,，、—:：()（）]+", " ", value.casefold())
    for size in (8, 4):
        for i in range(len(folded) - size):
            piece = folded[i:i + size]
            if (size == 8 or all(ord(c) > 0x2E80 for c in piece)) and piece.strip() == piece \
                    and folded.find(piece, i + 1) >= 0 and len(piece.split()) < 3:
                return piece
    return ""


def test_results_deals_kinds_and_sections_say_each_thing_once(kb: KnowledgeBase):
    for trial in kb.trials:
        for result in trial.results:
            for lang in LANGS:
                context = fmt.result_context(result, trial, lang)
                for doubled in ("Patients followed for more than a year, Beyond one year of follow-up",
                                "follicular lymphoma — Follicular lymphoma subgroup"):
                    assert doubled not in context
                if lang == "en" and not re.search(r"\d", context):  # said once: no 8-letter stretch twice
                    assert not _said_twice(context), context
    for deal in kb.deals:
        for lang in LANGS:
            label = node_spec(deal, kb, lang).label
            assert label.count(deal.date[:4]) == 1, label
    for record in (*kb.products, *kb.trials, *kb.companies):
        for lang in LANGS:
            for section in describe(record, kb, lang).sections:
                assert section.title not in {row.label for row in section.rows}, (record.id, section.title)
    for company in kb.companies:
        if not kb.products_of(company.id) and kb.deals_of(company.id):
            assert "(0)" not in node_spec(company, kb, "en").label
            assert str(len(kb.deals_of(company.id))) in node_spec(company, kb, "en").label


@pytest.mark.parametrize("lang", LANGS)
async def test_no_doubled_words_on_screen(kb: KnowledgeBase, lang):
    platform = next(r for r in kb.by_id.values() if isinstance(r, Platform))
    deal = next(r for r in kb.deals if r.date[:4] in text(r.name, lang))
    app = make_app(kb, lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for record_id in (platform.id, deal.id, "ft596", "trial-kn5501-sle" if kb.get("trial-kn5501-sle") else "ft596"):
            app.open_record(record_id)
            await settle(pilot)
            lines = [line for w in readable_widgets(app) for line in widget_lines(w)]
            joined = "\n".join(lines)
            for doubled in re.findall(r"\b(\w+) \1\b", joined):
                assert doubled.isdigit(), (record_id, doubled)
            assert "(0)" not in joined or not isinstance(kb.get(record_id), Deal)
            assert not any(f"{deal.date[:4]} {text(deal.name, lang)}" in line for line in lines)


# ------------------------------------------------------------------ the walk
def _records(kb: KnowledgeBase) -> list[str]:
    """One record of every kind the tabs do not already show first (camps, the first event, challenge
    and the overview are on screen when their tab opens)."""
    kinds = ("companies", "products", "trials", "deals", "platforms", "directions", "sources")
    return [*(getattr(kb, kind)[0].id for kind in kinds if getattr(kb, kind)), kb.judgement.id]


def slide_problems(app: App, screen: PresentScreen, size: tuple[int, int]) -> list[str]:
    """Every slide as the screen draws it (its renderer, its width), checked without stepping through
    the deck key by key: each fits the body, and no word is split."""
    body = screen.query_one("#slide-body")
    width, height = body.scrollable_content_region.size
    console = app.console
    problems = []
    for index, slide in enumerate(screen.slides):
        leading = screen.leading(slide, width)
        lines = [strip.text.rstrip() for strip in (
            Strip(line) for line in console.render_lines(render_slide(slide, width, leading),
                                                          console.options.update_width(width), pad=False))]
        problems += broken_lines(lines, f"slide {index + 1}")
        if slide.section != "title" and len(lines) > height:
            problems.append(f"slide {index + 1} ({slide.title}) overflows at {size}: {len(lines)} > {height} lines")
    return problems


@pytest.mark.parametrize("size", [(40, 12), (80, 24), (200, 60)])
@pytest.mark.parametrize("lang", LANGS)
async def test_walk_every_tab_and_record_kind(kb: KnowledgeBase, lang, size):
    """Fails on a line that ends mid-word without an ellipsis, or starts with closing punctuation."""
    problems: list[str] = []
    app = make_app(kb, lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if size[0] < MIN_WIDTH or size[1] < MIN_HEIGHT:
            assert isinstance(app.screen, TooSmallScreen)
            assert not screen_problems(app, "notice")
            return
        for key in "123456789":
            await pilot.press(key)
            problems += screen_problems(app, f"tab {key}")
        for record_id in _records(kb):
            app.open_record(record_id)
            await settle(pilot)
            problems += screen_problems(app, record_id)
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        problems += screen_problems(app, "slide 1")
        problems += slide_problems(app, screen, size)
    assert not problems, "\n".join(problems[:20])


async def test_under_the_notice_keys_open_nothing_and_q_quits(kb: KnowledgeBase):
    app = make_app(kb, "en")
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark", "ctrl+p", "slash", "p", "l")
        assert isinstance(app.screen, TooSmallScreen) and len(app.screen_stack) == 2 and app.lang == "en"
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


def test_a_word_longer_than_the_line_is_cut_with_a_hyphen():
    assert wrap("the tumour microenvironment; not yet", 15) == ["the tumour", "microenvironme-", "nt; not yet"]
    assert wrap("https://clinicaltrials.gov/study/NCT04245722", 20) == [
        "https://", "clinicaltrials.gov/", "study/NCT04245722"]
