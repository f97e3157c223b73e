"""Presentation mode: the slides built from the knowledge base, and what a presenter sees and does."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import io
import itertools
import re
import threading

import msgspec
import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.app import App

from carnk_tui.views import format as fmt
from carnk_tui.cli import build_parser
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import LANGS, Bilingual, text
from carnk_tui.ui.screens.presentation import (PresentApp, PresentScreen, make_present_app, render_block,
                                              render_sources, render_slide)
from carnk_tui.ui.app import make_app
from carnk_tui.ui.notes import NotesChannel, render_notes
from carnk_tui.views.presentation import (PLAN_LINES, Bars, Bullets, Paragraph, PlanningStopped, Slide, Sources,
                                           Table, block_height, build_slides, deck_is_kept, find_slide,
                                           plan_slides)
from tests.screen import screen_lines
from carnk_tui.ui.settle import settle

SIZES = ((80, 24), (100, 30))


# ------------------------------------------------------------------ helpers
def squash(value: str) -> str:
    return " ".join(value.split())


def shown(app: App) -> str:
    """Everything on screen, whitespace collapsed (so a wrapped title reads as one line)."""
    return squash(" ".join(screen_lines(app)))


def slide_text(slide: Slide) -> str:
    parts = [slide.title, slide.subtitle]
    for block in slide.blocks:
        parts.append(block.heading)
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Bullets):
            parts += block.items
        elif isinstance(block, Bars):
            parts += [f"{r.figure} {r.label}" for r in block.rows] + [block.note]
        elif isinstance(block, Table):
            parts += [*block.header, *(cell for row in block.rows for cell in row)]
    return "\n".join(parts)


def rendered_lines(slide: Slide, width: int, strip: bool = True) -> list[str]:
    """The slide body as the screen draws it at `width`, line by line (blank lines dropped)."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(render_slide(slide, width))
    lines = [line.rstrip() for line in console.export_text().splitlines() if line.strip()]
    return [line.strip() for line in lines] if strip else lines


def counter(app: App) -> str:
    return screen_lines(app)[-1].split()[-3:]  # type: ignore[return-value]


def shown_and_counter(app: App) -> tuple[str, list[str]]:
    """`shown` and `counter` from one reading of the screen."""
    lines = screen_lines(app)
    return squash(" ".join(lines)), lines[-1].split()[-3:]


# ------------------------------------------------------------------ the slides, without Textual
def test_deck_follows_the_outline_and_takes_every_title_from_data(kb: KnowledgeBase):
    for lang in LANGS:
        slides = build_slides(kb, lang)
        sections = [s.section for s in slides]
        order = ["title", "overview", "camp", "pipeline", "results", "deals", "challenges", "directions", "judgement"]
        assert list(dict.fromkeys(sections)) == order
        assert slides[0].title == text(kb.meta.title, lang)
        assert kb.meta.as_of in slide_text(slides[0])
        assert slides[1].title.startswith(text(kb.overview.title, lang))
        # one slide (or one run of parts) per camp, in the camps' order, each titled with the camp's name
        camp_ids = list(dict.fromkeys(s.record_id for s in slides if s.section == "camp"))
        assert camp_ids == [c.id for c in kb.camps_sorted()]
        for slide in (s for s in slides if s.section == "camp"):
            assert slide.title.startswith(text(kb.get(slide.record_id).name, lang))
        assert slides[-1].section == "judgement"
        assert slides[-1].title.startswith(text(kb.judgement.title, lang))
        assert text(kb.judgement.conclusion, lang) in slide_text(slides[-1])


def test_every_fact_the_tour_promises_is_on_some_slide(kb: KnowledgeBase):
    for lang in LANGS:
        slides = build_slides(kb, lang)
        everything = "\n".join(slide_text(s) for s in slides)
        for item in (*kb.overview.car_t_limits, *kb.overview.nk_advantages):
            assert text(item, lang) in everything
        for company in kb.companies:
            assert text(company.name, lang) in everything
        for product in kb.products:
            assert text(product.name, lang) in everything
        # every trial result, with n/N and its percentage, as a bar
        bars = [row for s in slides for b in s.blocks if isinstance(b, Bars) for row in b.rows]
        results = [(tr, r) for tr in kb.trials for r in tr.results]
        assert len(bars) == len(results)
        for row, (trial, result) in zip(bars, results):
            assert row.figure == fmt.result_figure(result, lang)
            assert row.percent == fmt.percent(result)
            assert row.record_id == trial.id
        assert any("/" in row.figure and "%" in row.figure for row in bars)
        # every deal, with its amounts and currency
        for deal in kb.deals:
            assert text(deal.name, lang) in everything
            for money in (deal.upfront, deal.milestones, deal.total):
                if money is not None:
                    assert fmt.money(money, lang) in everything
        for challenge in kb.challenges:
            assert text(challenge.title, lang) in everything
        for direction in kb.directions:
            assert text(direction.title, lang) in everything
            for approach in direction.approaches:
                assert text(approach, lang) in everything


@pytest.mark.parametrize("width", [72, 90])
def test_bars_line_up_across_the_whole_deck(kb: KnowledgeBase, width):
    """Every bar starts in the same column and every figure ends in the same column, on every results slide."""
    for lang in LANGS:
        starts, ends = set(), set()
        lines = [line for s in build_slides(kb, lang) if s.section == "results"
                 for line in rendered_lines(s, width, strip=False) if line.lstrip()[:1] in ("█", "▓", "░", "·")]
        assert len(lines) == sum(len(tr.results) for tr in kb.trials)
        for line in lines:
            bar = re.match(r"^( *)[█▓░·]+ +(\S+ \(\S+\)|\S+)", line)
            starts.add(len(bar.group(1)))
            ends.add(cell_len(line[: bar.end(2)]))  # figures are right-aligned in one column
        assert len(starts) == 1 and len(ends) == 1, (starts, ends)


def test_same_slides_in_both_languages(kb: KnowledgeBase):
    zh, en = build_slides(kb, "zh"), build_slides(kb, "en")
    assert len(zh) == len(en) > 10
    for a, b in zip(zh, en):
        assert (a.section, a.record_id, a.records, a.part) == (b.section, b.record_id, b.records, b.part)
        assert [type(x) for x in a.blocks] == [type(x) for x in b.blocks]
    assert [s.title for s in zh] != [s.title for s in en]


def test_slides_fit_the_plan_unless_one_item_is_too_big(kb: KnowledgeBase):
    for lang in LANGS:
        for slide in build_slides(kb, lang):
            if slide.section == "title":
                continue
            height = sum(block_height(b) for b in slide.blocks)
            items = sum(len(b.items) if isinstance(b, Bullets) else len(b.rows) if isinstance(b, (Bars, Table)) else 1
                        for b in slide.blocks)
            assert height <= PLAN_LINES or items == 1, (slide.title, height)


def drawn_lines(block, width: int) -> int:
    """The lines `block` takes as the presentation draws it at `width` cells."""
    console = Console(width=width, file=io.StringIO(), color_system=None)
    drawn = render_sources(block) if isinstance(block, Sources) else render_block(block, width)
    return len(console.render_lines(drawn, console.options.update_width(width), pad=False))


@pytest.mark.parametrize("width, budget", [(54, 8), (74, PLAN_LINES), (114, 40), (194, PLAN_LINES)])
def test_block_height_is_the_lines_a_block_takes_as_drawn(kb: KnowledgeBase, generated, width, budget):
    """Slides are split by `block_height` without drawing them: it must count what `render_block` draws, line
    for line, or a slide overflows its screen (or leaves lines unused). Every block of every slide, with its
    footnote, of the bundled data and of a generated base (long names, many rows)."""
    from carnk_tui.kb.loader import load

    blocks: dict[object, str] = {}
    for base in (kb, load([generated])):
        for lang in LANGS:
            for slide in build_slides(base, lang, budget, width):
                for block in (*slide.blocks, Sources(slide.sources, lang)) if slide.sources else slide.blocks:
                    blocks.setdefault(block, slide.title)
    assert len(blocks) > 300
    wrong = [f"{title}: {type(block).__name__} counted {block_height(block, width)}, drawn "
             f"{drawn_lines(block, width)}: {block}" for block, title in blocks.items()
             if block_height(block, width) != drawn_lines(block, width)]
    assert not wrong, "\n".join(wrong[:5])


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (80, 45), (200, 60)])
async def test_a_slide_is_drawn_at_the_width_it_was_planned_for(kb: KnowledgeBase, size):
    """Planning counts lines at `slide_area`'s width: the slide's body must be that wide, in short and tall,
    narrow and wide terminals, with its margins (a tall terminal's rule once took the side margins away, so
    lines ran to the screen's edge and the plan no longer matched what was drawn)."""
    app = make_present_app(kb, "en")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen) and screen.slide.section != "title"
        body = screen.query_one("#slide-body")
        assert body.scrollable_content_region.width == screen.plan[0]
        assert body.region.x == 0 and body.scrollable_content_region.x >= 2  # a margin on the left


def test_a_long_section_is_split_into_numbered_parts(mini_kb: KnowledgeBase):
    base = mini_kb.challenges[0]
    assert not any("(1/" in s.title for s in build_slides(mini_kb, "en") if s.section == "challenges")
    many = tuple(_challenge(base, i) for i in range(12))
    big = dataclasses.replace(mini_kb, challenges=many)
    for lang in LANGS:
        parts = [s for s in build_slides(big, lang) if s.section == "challenges"]
        assert len(parts) >= 2
        title = parts[0].title.rsplit(fmt.paren_marks(lang)[0], 1)[0]  # (full-width in Chinese)
        numbers = range(1, len(parts) + 1)
        assert [s.title for s in parts] == [title + fmt.paren(f"{i}/{len(parts)}", lang) for i in numbers]
        assert [s.part for s in parts] == [(i, len(parts)) for i in range(1, len(parts) + 1)]
        headings = [b.heading for s in parts for b in s.blocks]
        assert headings == [text(c.title, lang) for c in many]  # all of them, in order, none twice
        assert [s.record_id for s in parts] == [s.records[0] for s in parts]


def _challenge(base, i: int):
    return msgspec.structs.replace(base, id=f"ch-{i}", order=i, title=Bilingual(zh=f"挑战{i}", en=f"Challenge {i}"),
                                   summary=Bilingual(zh="很难。" * 20, en="It is hard. " * 12))


def test_a_deck_asked_for_again_is_the_same_and_each_caller_gets_its_own_list(mini_kb: KnowledgeBase):
    """Decks planned are kept (a large base's takes seconds); a new base gets its own deck."""
    first = build_slides(mini_kb, "en")
    again = build_slides(mini_kb, "en")
    assert again == first and again is not first
    again.clear()
    assert build_slides(mini_kb, "en") == first
    renamed = dataclasses.replace(mini_kb, meta=msgspec.structs.replace(
        mini_kb.meta, title=Bilingual(zh="另一个知识库", en="Another knowledge base")))
    assert build_slides(renamed, "en")[0].title == "Another knowledge base"
    assert build_slides(mini_kb, "en")[0].title == first[0].title == "Test knowledge base"


def test_a_kept_deck_does_not_keep_its_knowledge_base_alive(mini_kb: KnowledgeBase):
    """After a reload the app lets the old base go: the decks planned from it must not hold it in memory."""
    import gc
    import weakref

    renamed = dataclasses.replace(mini_kb, meta=msgspec.structs.replace(
        mini_kb.meta, title=Bilingual(zh="旧的知识库", en="An old knowledge base")))
    assert build_slides(renamed, "en")[0].title == "An old knowledge base"
    gone = weakref.ref(renamed)
    del renamed
    gc.collect()
    assert gone() is None


def test_a_deck_split_once_for_both_languages_is_the_deck_measured_page_by_page(generated):
    """Planning keeps what it measured (a page grows one item at a time; the split is shared by the languages
    and kept per terminal size): the deck must be the one a plain measure of every page gives, in each
    language and size."""
    from carnk_tui.kb.loader import load

    base = load([generated])

    def whole(block, width: int) -> int:  # not `block_height` itself: nothing kept, every block measured whole
        return block_height(block, width)

    for budget, width in ((PLAN_LINES, 84), (6, 30), (40, 150)):
        for lang in ("zh", "en"):
            kept = build_slides(base, lang, budget, width)
            assert kept == build_slides(base, lang, budget, width, measure=whole)
            assert sum(1 for s in kept if s.part) > 10, "the base is large enough to split sections"


def test_planning_stopped_half_way_goes_on_from_where_it_stopped(generated, monkeypatch):
    """At 10,000 products planning takes 30 s: a presenter who opens the deck, leaves, and opens it again (or
    switches language meanwhile) must not wait for the sections already split to be split again."""
    from carnk_tui.kb.loader import load
    from carnk_tui.views import presentation

    base = load([generated])
    calls: list[int] = []
    real = presentation._pages

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(presentation, "_pages", counted)
    with pytest.raises(PlanningStopped):
        build_slides(base, "en", 12, 70, stop=lambda: len(calls) >= 3)  # stops in the third section it splits
    assert len(calls) == 3 and not deck_is_kept(base, "en", 12, 70)
    deck = build_slides(base, "zh", 12, 70)  # the other language shares the split
    split = len(calls) - 1  # the third section was split again, not the first two
    calls.clear()
    assert build_slides(base, "en", 12, 71) and len(calls) == split  # a size not planned before: every section
    assert deck == build_slides(base, "zh", 12, 70, measure=lambda block, width: block_height(block, width))
    assert build_slides(base, "en", 12, 70) == build_slides(base, "en", 12, 70, measure=lambda b, w: block_height(b, w))


def test_the_deck_is_built_from_whatever_knowledge_base_it_is_given(mini_kb: KnowledgeBase):
    slides = build_slides(mini_kb, "en")
    assert slides[0].title == "Test knowledge base"
    assert [s.title for s in slides if s.section == "camp"] == ["Camp one", "Camp two"]
    assert slides[-1].title == "Verdict"
    deals = next(s for s in slides if s.section == "deals")
    assert "€17.5M" in slide_text(deals) and "up to €875M" in slide_text(deals)
    results = next(s for s in slides if s.section == "results")
    assert "3/6 (50%)" in slide_text(results)


def test_cli_has_present_and_serve():
    args = build_parser().parse_args(["present", "--lang", "en"])
    assert (args.command, args.lang) == ("present", "en")
    args = build_parser().parse_args(["--lang", "zh", "present"])
    assert (args.command, args.lang) == ("present", "zh")


# ------------------------------------------------------------------ what the presenter sees
@pytest.mark.parametrize("size", SIZES)
async def test_walk_to_the_end_and_back(kb: KnowledgeBase, size):
    app = make_present_app(kb, "en")
    forward = ("right", "space", "pagedown")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        slides = screen.slides  # split for this terminal
        n = len(slides)
        for index, slide in enumerate(slides):
            assert screen.index == index
            seen, count = shown_and_counter(app)
            assert squash(slide.title) in seen, slide.title
            assert count == [str(index + 1), "/", str(n)]
            await pilot.press(forward[index % 3])
            await settle(pilot)
        assert screen.index == n - 1  # the last slide stays put
        assert squash(text(kb.judgement.title, "en")) in shown(app)
        for index in range(n - 1, -1, -1):
            assert screen.index == index
            seen, count = shown_and_counter(app)
            assert squash(slides[index].title) in seen
            assert count == [str(index + 1), "/", str(n)]
            await pilot.press("left" if index % 2 else "pageup")
            await settle(pilot)
        assert screen.index == 0
        await pilot.press("end")
        await settle(pilot)
        assert counter(app) == [str(n), "/", str(n)] and squash(slides[-1].title) in shown(app)
        await pilot.press("home")
        await settle(pilot)
        assert counter(app) == ["1", "/", str(n)] and squash(text(kb.meta.title, "en")) in shown(app)


async def test_l_switches_language_live_and_keeps_the_place(kb: KnowledgeBase):
    camp = kb.camps_sorted()[1]
    app = make_present_app(kb, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        plan = app.screen.plan
        zh, en = (build_slides(kb, lang, plan[1], plan[0]) for lang in ("zh", "en"))
        at = next(i for i, s in enumerate(en) if s.record_id == camp.id)
        for _ in range(at):
            await pilot.press("right")
        await settle(pilot)
        assert squash(en[at].title) in shown(app)
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"
        assert squash(zh[at].title) in shown(app) and squash(en[at].title) not in shown(app)
        assert zh[at].title.startswith(text(camp.name, "zh"))
        assert counter(app) == [str(at + 1), "/", str(len(zh))]
        assert "退出" in screen_lines(app)[-1]
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "en" and squash(en[at].title) in shown(app)
        assert "quit" in screen_lines(app)[-1]


@pytest.mark.parametrize("lang", LANGS)
async def test_nothing_is_cut_off_at_80x24(kb: KnowledgeBase, lang):
    """Every line of every slide can be seen, without scrolling: slides are split for the terminal."""
    app = make_present_app(kb, lang)
    scrolled = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        slides = screen.slides
        for index, slide in enumerate(slides):
            body = screen.query_one("#slide-body")
            assert body.max_scroll_x == 0  # nothing wider than the screen
            width = body.scrollable_content_region.width
            lines = screen_lines(app)
            title_rows = squash("".join(lines[: screen.query_one("#slide-title").region.bottom]))
            assert squash(slide.title).replace(" ", "") in title_rows.replace(" ", "")
            wanted = rendered_lines(slide, width)
            assert all(len(line) <= width for line in wanted)
            seen = set(lines)
            for _ in range(40):  # Down until the slide stops moving
                if body.scroll_y >= body.max_scroll_y:
                    break
                await pilot.press("down")
                await settle(pilot)
                lines = screen_lines(app)
                seen.update(lines)
                scrolled += 1
            assert body.scroll_y == body.max_scroll_y
            missing = [line for line in wanted if not any(line in row for row in seen)]
            assert not missing, (slide.title, missing)
            assert lines[-1].split()[-3:] == [str(index + 1), "/", str(len(slides))]
            await pilot.press("right")
            await settle(pilot)
            assert body.scroll_y == 0  # a new slide starts at its top
    assert scrolled == 0  # nothing overflows at 80x24 ("CAR-T vs CAR-NK (1/2)" did)


async def test_escape_returns_the_current_slides_record(app_factory, kb: KnowledgeBase):
    """Pushed over the explorer: `l` is the app's language, Esc hands back the record to go to."""
    camp = kb.camps_sorted()[0]
    results: list[str | None] = []
    app = app_factory("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        explorer = app.screen
        app.push_screen(PresentScreen(kb, app.lang, start_record_id=camp.id), results.append)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        slides = screen.slides
        start = next(i for i, s in enumerate(slides) if s.record_id == camp.id)
        assert screen.index == start
        assert squash(slides[start].title) in shown(app)
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh"  # the explorer underneath follows the app's language
        assert squash(screen.slides[start].title) in shown(app) and app.lang == "zh"
        await pilot.press("end", "left")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is explorer
        assert results == [slides[-2].record_id] and results[0] is not None


async def test_start_record_picks_its_slide_and_escape_from_the_cover_returns_none(kb: KnowledgeBase):
    trial = next(tr for tr in kb.trials if tr.results)
    product = kb.get(trial.product)
    slides = build_slides(kb, "en")
    for record_id, wanted in ((trial.id, trial.id), (kb.judgement.id, kb.judgement.id)):
        screen = PresentScreen(kb, "en", start_record_id=record_id)
        assert slides[screen.index].record_id == wanted or wanted in slides[screen.index].records
    screen = PresentScreen(kb, "en", start_record_id=product.id)
    assert product.id in slides[screen.index].records
    assert PresentScreen(kb, "en", start_record_id="no-such-record").index == 0
    assert name_of(product, "en") in slide_text(slides[screen.index])

    app = make_present_app(kb, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_value is None and slides[0].record_id is None


async def test_standalone_escape_quits_with_the_record_and_q_quits(kb: KnowledgeBase):
    app = make_present_app(kb, "en")
    assert isinstance(app, PresentApp)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end")
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_value == kb.judgement.id
    app = make_present_app(kb, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "退出" in screen_lines(app)[-1]
        await pilot.press("q")
        await settle(pilot)
    assert app.return_value is None and not app.is_running


class Gate:
    """Holds a deck planned off the UI thread until the test opens it (planning on the UI thread is not held)."""

    def __init__(self, monkeypatch) -> None:
        from carnk_tui.ui.screens import presentation as screen_module

        self.open, self.stopped = threading.Event(), threading.Event()
        real = screen_module.plan_slides

        def gated(*args, stop, **kwargs):
            while not self.open.wait(0.01):  # (not timing: waiting for the test, or for the screen to stop it)
                if stop():
                    self.stopped.set()
                    raise PlanningStopped
            yield from real(*args, stop=stop, **kwargs)

        monkeypatch.setattr(screen_module, "plan_slides", gated)


async def test_a_large_bases_deck_is_prepared_while_the_keys_still_answer(generated_kb, monkeypatch):
    """At 1,000 products planning the deck takes seconds (30 s at 10,000): the presentation says it is preparing
    the slides, keys still answer (here: the language), and the deck appears when it is ready, in the language
    chosen meanwhile, at its first slide."""
    gate = Gate(monkeypatch)
    app = make_app(generated_kb, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        start = app.screen.current_record()  # the presentation opens at the slide about it
        assert start
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresentScreen) and app.screen.preparing
        assert "Preparing the slides…" in shown(app) and "1,000 products" in shown(app)
        assert counter(app)[-1] == "…"  # the counter, after the keys' reminder
        await pilot.press("l")
        await settle(pilot)
        assert app.lang == "zh" and "正在准备幻灯片" in shown(app)
        gate.open.set()
        await settle(pilot, workers=True)
        screen = app.screen
        assert isinstance(screen, PresentScreen) and not screen.preparing
        width, lines = screen.plan
        deck = build_slides(generated_kb, "zh", lines, width)
        at = find_slide(deck, start, generated_kb)
        assert at > 0 and counter(app) == [str(at + 1), "/", str(len(deck))] and len(deck) > 500
        assert squash(deck[at].title) in shown(app) and "正在准备" not in shown(app)
        await pilot.press("end")
        await settle(pilot)
        assert counter(app) == [str(len(deck)), "/", str(len(deck))]


async def test_a_large_deck_opens_at_its_slide_before_the_rest_is_planned(generated_kb, monkeypatch, tmp_path):
    """A large deck is planned part by part: the slide about the record shows as soon as its part of the talk
    is planned, the counter says that more is coming and the keys move within what is planned; when the rest
    arrives, the slide shown stays and the counter gives the whole deck."""
    from carnk_tui.views import presentation as views

    kb = copy.copy(generated_kb)  # a base of its own: nothing planned for it yet
    reached, release = threading.Event(), threading.Event()
    results = views.SECTIONS[views.SECTIONS.index(views._results)]

    def held(base: KnowledgeBase, lang):  # the results, the talk's fifth part, wait for the test
        reached.set()
        release.wait(60)
        return results(base, lang)

    monkeypatch.setattr(views, "SECTIONS", tuple(held if b is results else b for b in views.SECTIONS))
    app = make_app(kb, "en")
    app.notes_channel = channel = NotesChannel(tmp_path / "present.json")  # a notes window follows the talk
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            start = app.screen.current_record()
            assert start
            await pilot.press("p")
            assert await asyncio.to_thread(reached.wait, 60), "planning never reached the results"
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PresentScreen) and not screen.preparing
            first_title, (at, _, planned) = squash(screen.slide.title), counter(app)
            assert planned.endswith("…") and int(at) <= int(planned[:-1]) == len(screen.slides)
            await pilot.press("end")
            await settle(pilot)
            assert counter(app) == [planned[:-1], "/", planned]  # the last slide planned so far
            last_title = squash(screen.slide.title)
            told = channel.read()
            assert told is not None and (told.index + 1, told.count, told.whole) == (int(planned[:-1]),) * 2 + (False,)
            assert render_notes(told, "en")[0].plain.startswith(f"Slide {planned[:-1]} of {planned}")
            release.set()
            await settle(pilot, workers=True)
            width, lines = screen.plan
            deck = build_slides(generated_kb, "en", lines, width)
            assert len(deck) > int(planned[:-1])
            assert counter(app) == [planned[:-1], "/", str(len(deck))]  # the same slide, of the whole deck now
            assert squash(deck[int(planned[:-1]) - 1].title) == last_title and last_title in shown(app)
            assert squash(deck[int(at) - 1].title) == first_title and int(at) - 1 == find_slide(deck, start, kb)
            told = channel.read()
            assert told is not None and (told.count, told.whole) == (len(deck), True)
    finally:
        release.set()


def test_a_deck_planned_part_by_part_grows_into_the_whole_deck(kb: KnowledgeBase):
    """Each part planned is the beginning of the next; the last is the deck `build_slides` gives."""
    for lang in LANGS:
        base = copy.copy(kb)  # nothing planned for it yet
        steps = list(plan_slides(base, lang, 16, 78))
        assert [whole for _, whole in steps] == [False] * (len(steps) - 1) + [True] and len(steps) > 5
        for (before, _), (after, _) in itertools.pairwise(steps):
            assert after[:len(before)] == before
        assert steps[-1][0] == build_slides(kb, lang, 16, 78) and deck_is_kept(base, lang, 16, 78)
        assert list(plan_slides(base, lang, 16, 78)) == [steps[-1]]  # kept: given whole at once


async def test_leaving_a_deck_still_being_prepared_stops_preparing_it(generated_kb, monkeypatch):
    gate = Gate(monkeypatch)
    app = make_app(generated_kb, "en")
    async with app.run_test(size=(90, 28)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PresentScreen) and app.screen.preparing
        plan = app.screen.plan
        await pilot.press("escape")
        await settle(pilot, workers=True)  # returns: the planning thread stopped when the screen closed
        assert not isinstance(app.screen, PresentScreen) and gate.stopped.is_set()
        assert not deck_is_kept(generated_kb, "en", plan[1], plan[0])
        assert "Landscape" in shown(app)
