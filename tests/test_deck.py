"""A deck that travels (issue 12.8): sources on every slide, speaker notes in a second terminal, `g` and a
number, `q` inside the explorer, and the deck exported as SVG slides with an offline page, or as Markdown."""

from __future__ import annotations

import asyncio
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from carnk_tui.cli import build_parser, main
from carnk_tui.export.slides import deck_markdown
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import LANGS, text
from carnk_tui.ui.gallery import offline_svg, write_deck
from carnk_tui.ui.notes import NotesApp, NotesChannel, SlideState
from carnk_tui.ui.screens.presentation import PresentScreen, make_present_app
from carnk_tui.views import format as fmt
from carnk_tui.views.presentation import Bars, build_slides, cited, short_citations
from tests.screen import screen_lines
from tests.test_present import counter, shown, squash
from carnk_tui.ui.settle import settle

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def internal_ids(kb: KnowledgeBase) -> set[str]:
    """Every record's and source's id that could not pass for a word ("src-lancet-ft596-2025")."""
    ids = {*kb.by_id, *(s.id for s in kb.sources)}
    return {i for i in ids if "-" in i}


def no_ids(value: str, ids: set[str]) -> bool:
    return not any(re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", value) for i in ids)


# ------------------------------------------------------------------ sources and notes, without Textual
def test_every_slide_names_the_sources_of_what_it_shows_by_publisher_never_by_id(kb: KnowledgeBase):
    ids = internal_ids(kb)
    for lang in LANGS:
        for slide in build_slides(kb, lang):
            assert slide.sources, slide.title
            for citation in slide.sources:
                assert no_ids(citation, ids), citation
    # a results slide cites the documents its figures come from, with the publisher and date
    slides = build_slides(kb, "en")
    results = next(s for s in slides if s.section == "results")
    trial = kb.get(results.record_id)
    expected = short_citations(tuple(dict.fromkeys(s for r in trial.results for s in (r.sources or trial.sources))),
                               kb, "en")
    assert set(results.sources) <= set(expected) and results.sources
    deals = [s for s in slides if s.section == "deals"]
    for deal in kb.deals:
        source = kb.source(cited(deal)[-1])
        wanted = text(source.publisher, "en") if source.publisher else text(source.title, "en")
        assert any(wanted in c for s in deals for c in s.sources), deal.id
        if source.date:
            assert any(source.date in c for s in deals for c in s.sources)


def test_speaker_notes_give_every_figure_with_its_denominator_and_source(kb: KnowledgeBase):
    ids = internal_ids(kb)
    for lang in LANGS:
        slides = build_slides(kb, lang)
        assert sum(1 for s in slides if s.notes) >= len(slides) // 2
        for slide in slides:
            for note in slide.notes:
                assert no_ids(note, ids), note
            for block in slide.blocks:
                if isinstance(block, Bars):  # each bar's figure (n/N) is said, with where it comes from
                    for row in block.rows:
                        assert any(row.figure in note and ("来源" in note or "sources" in note) for note in slide.notes)
        every_note = "\n".join(n for s in slides for n in s.notes)
        for deal in kb.deals:
            for money in (deal.upfront, deal.total):
                if money is not None:
                    assert fmt.money(money, lang) in every_note
        assert kb.meta.as_of in slides[0].notes[0]
        assert str(len(kb.products)) in slides[0].notes[0]
    zh, en = build_slides(kb, "zh"), build_slides(kb, "en")
    assert [len(s.notes) for s in zh] == [len(s.notes) for s in en]


def test_notes_and_sources_come_from_whatever_knowledge_base_is_given(mini_kb: KnowledgeBase):
    slides = build_slides(mini_kb, "en")
    results = next(s for s in slides if s.section == "results")
    assert any("3/6 (50%)" in n for n in results.notes)
    assert all(s.sources for s in slides)


# ------------------------------------------------------------------ the presentation
async def test_sources_show_in_small_type_under_every_slide_at_80x24(kb: KnowledgeBase):
    for lang in LANGS:
        app = make_present_app(kb, lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PresentScreen)
            word = "来源" if lang == "zh" else "Sources"
            for index, slide in enumerate(screen.slides):
                lines = screen_lines(app)
                foot = screen.query_one("#slide-sources")
                assert foot.region.bottom <= screen.query_one("#slide-footer").region.y  # above the footer
                seen = squash(" ".join(lines[foot.region.y:foot.region.bottom]))
                assert seen.startswith(word), (slide.title, seen)
                assert squash(slide.sources[0]).split(" ")[0] in seen
                assert screen.query_one("#slide-body").max_scroll_y == 0, slide.title  # still nothing overflows
                assert foot.styles.color != screen.query_one("#slide-content").styles.color  # muted
                if index + 1 < len(screen.slides):
                    screen.go(index + 1)
                    await settle(pilot)


async def test_g_and_a_number_jumps_to_that_slide_and_escape_cancels(kb: KnowledgeBase):
    app = make_present_app(kb, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        n = len(screen.slides)
        await pilot.press("g", "1", "2", "enter")
        await settle(pilot)
        assert screen.index == 11 and counter(app) == ["12", "/", str(n)]
        assert squash(screen.slides[11].title) in shown(app)
        await pilot.press("g", "3")
        await settle(pilot)
        assert "Go to slide" in screen_lines(app)[-1] or "3" in screen_lines(app)[-1]
        await pilot.press("escape")  # closes the prompt, not the presentation
        await settle(pilot)
        assert app.is_running and app.screen is screen and screen.index == 11
        await pilot.press("right")  # the keys are the slides' again
        await settle(pilot)
        assert screen.index == 12
        await pilot.press("g", "9", "9", "enter")  # past the end: the last slide
        await settle(pilot)
        assert screen.index == n - 1
        await pilot.press("g", "q", "x", "enter")  # nothing but digits is typed; nothing moves, nothing quits
        await settle(pilot)
        assert app.is_running and screen.index == n - 1
        await pilot.press("g", "1", "enter")
        await settle(pilot)
        assert screen.index == 0


def test_g_is_listed_with_words_in_both_languages():
    from carnk_tui.ui.keys import KEY_TEXT, describe

    binding = next(b for b in PresentScreen.BINDINGS if getattr(b, "id", "") == "present.goto")
    assert binding.key == "g"
    assert describe(binding, "zh") == KEY_TEXT["present.goto"][0] != describe(binding, "en")


async def test_q_in_the_explorers_presentation_leaves_the_presentation_not_the_app(app_factory, kb, tmp_path):
    app = app_factory("en")
    app.notes_channel = NotesChannel(tmp_path / "present.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        explorer = app.screen
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        await pilot.press("right")
        await settle(pilot)
        told = app.notes_channel.read()  # the explorer's presentation tells a notes window too
        assert told is not None and told.index == screen.index and told.title == screen.slide.title
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and app.screen is explorer
        assert app.notes_channel.read() is None
        await pilot.press("q")  # on the explorer, q still quits
        await settle(pilot)
    assert not app.is_running


# ------------------------------------------------------------------ speaker notes in a second terminal
async def _until(notes: NotesApp, index: int) -> None:
    """Wait (on the notes window's own event, never a clock) until it shows slide `index`."""
    while notes.state is None or notes.state.index != index:
        notes.changed.clear()
        await asyncio.wait_for(notes.changed.wait(), timeout=20)


async def test_the_notes_window_follows_the_presentation(kb: KnowledgeBase, tmp_path):
    channel = NotesChannel(tmp_path / "run" / "present.json")
    notes = NotesApp(channel, "en")
    presenter = make_present_app(kb, "en", channel=channel)
    async with notes.run_test(size=(70, 30)) as notes_pilot:
        await notes_pilot.pause()
        assert "Waiting for the presentation" in " ".join(screen_lines(notes))
        await asyncio.wait_for(asyncio.to_thread(notes.watcher.watching.wait, 20), timeout=25)
        async with presenter.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            screen = presenter.screen
            await _until(notes, 0)
            results = next(i for i, s in enumerate(screen.slides) if s.section == "results")
            screen.go(results)
            await settle(pilot)
            await _until(notes, results)
            await notes_pilot.pause()
            seen = squash(" ".join(screen_lines(notes)))
            slide = screen.slides[results]
            assert f"Slide {results + 1} of {len(screen.slides)}" in seen
            assert squash(slide.title) in seen
            bar = next(b for b in slide.blocks if isinstance(b, Bars)).rows[0]
            assert bar.figure in seen  # the figure, with its denominator, in the notes
            # the language follows the presenter's
            await pilot.press("l")
            await settle(pilot)
            while notes.state is None or notes.state.lang != "zh":
                notes.changed.clear()
                await asyncio.wait_for(notes.changed.wait(), timeout=20)
            await notes_pilot.pause()
            assert f"第 {results + 1} / {len(screen.slides)} 张" in squash(" ".join(screen_lines(notes)))
            await pilot.press("right")
            await _until(notes, results + 1)
            assert SlideState.from_json(channel.path.read_text(encoding="utf-8")) == notes.state
        # the presentation ended: the notes window waits for the next one
        while notes.state is not None:
            notes.changed.clear()
            await asyncio.wait_for(notes.changed.wait(), timeout=20)
        await notes_pilot.pause()
        assert not channel.path.exists()
        assert "等待演示窗口" in " ".join(screen_lines(notes))  # in the language last spoken


def test_the_channel_is_one_small_file_replaced_whole(tmp_path):
    channel = NotesChannel(tmp_path / "a" / "present.json")
    assert channel.read() is None
    state = SlideState(2, 9, "zh", "标题", ("备注",), ("来源",))
    channel.write(state)
    assert channel.read() == state and [p.name for p in channel.path.parent.iterdir()] == ["present.json"]
    channel.path.write_text("{not json", encoding="utf-8")
    assert channel.read() is None


def test_cli_present_options():
    args = build_parser().parse_args(["present", "--export", "out", "--format", "md", "--size", "120x40"])
    assert (args.export, args.format, args.size) == (Path("out"), "md", (120, 40))
    assert build_parser().parse_args(["present", "--notes"]).notes
    with pytest.raises(SystemExit):
        build_parser().parse_args(["present", "--size", "big"])
    assert main(["present", "--size", "100x30"]) == 2  # --size goes with --export


# ------------------------------------------------------------------ Markdown slides
def test_markdown_slides_one_file_separated_by_rules_with_sources(kb: KnowledgeBase, tmp_path):
    assert main(["--lang", "zh", "present", "--export", str(tmp_path), "--format", "md"]) == 0
    written = (tmp_path / "slides.md").read_text(encoding="utf-8")
    assert written == deck_markdown(kb, "zh")
    slides = build_slides(kb, "zh")
    parts = written.split("\n---\n")
    assert len(parts) == len(slides)
    ids = internal_ids(kb)
    for part, slide in zip(parts, slides):
        assert part.strip().startswith(f"# {squash(slide.title)}")
        assert "<small>来源：" in part
        for citation in slide.sources:
            assert squash(citation) in squash(part)
        body = re.sub(r"<!--.*?-->", "", part, flags=re.S)
        assert no_ids(body, ids)
    en = deck_markdown(kb, "en")
    assert en.count("<small>Sources: ") == len(build_slides(kb, "en"))


def test_markdown_slides_need_no_textual():
    code = ("import sys; import carnk_tui.export.slides as s; from carnk_tui.kb.loader import load; "
            "from carnk_tui.kb.locations import bundled_data_dir; s.deck_markdown(load([bundled_data_dir()]), 'en'); "
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ SVG slides and the page that steps through them
@pytest.fixture(scope="module")
def exported(tmp_path_factory, request) -> dict[str, Path]:
    from carnk_tui.kb.loader import load
    from carnk_tui.kb.locations import bundled_data_dir

    kb = load([bundled_data_dir()])
    out = tmp_path_factory.mktemp("deck")
    for lang in LANGS:
        write_deck(kb, lang, out / lang, (100, 30))
    return {lang: out / lang for lang in LANGS}


def test_export_writes_every_slide_and_a_page_that_loads_nothing_else(exported, kb: KnowledgeBase):
    for lang, folder in exported.items():
        svgs = sorted(folder.glob("slide-*.svg"))
        page = (folder / "index.html").read_text(encoding="utf-8")
        files = re.search(r"var files = (\[.*?\]);", page).group(1)
        assert files == "[" + ", ".join(f'"{p.name}"' for p in svgs) + "]"
        assert len(svgs) > 10
        assert not re.search(r"<script[^>]+src|<link|@import|url\(|https?://", page)
        for svg in svgs:
            body = svg.read_text(encoding="utf-8")
            assert "@font-face" not in body and "url(\"http" not in body and "cdnjs" not in body
        first = svgs[0].read_text(encoding="utf-8")
        assert html.escape(text(kb.meta.title, lang)).replace(" ", "&#160;") in first
        last = svgs[-1].read_text(encoding="utf-8")
        assert f"{len(svgs)}&#160;/&#160;{len(svgs)}" in last
    zh = (exported["zh"] / "slide-01.svg").read_text(encoding="utf-8")
    assert "来源" in zh


def test_chinese_runs_are_as_wide_as_the_cells_they_fill():
    """Rich counts characters for a run's textLength; a Chinese run would be squeezed to half its cells."""
    run = '<text class="r1" x="0" y="20" textLength="48.8" clip-path="url(#t-line-0)">来源：网易</text>'
    fixed = offline_svg(f'<svg><style>@font-face {{ src: url("https://x/y.woff2"); }}</style>{run}</svg>')
    assert 'textLength="97.6"' in fixed and "@font-face" not in fixed
    latin = '<text class="r1" x="0" y="20" textLength="36.6" clip-path="url(#t-line-0)">abc</text>'
    assert offline_svg(latin) == latin


def test_browser_steps_through_the_exported_slides(exported, tmp_path):
    """The page in Chromium: the counter, the arrows, Home and End; nothing asked of the network; the
    Chinese slides drawn (a screenshot is left in the test's folder to look at)."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install Debian's chromium (and fonts-noto-cjk) to run the browser test")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install playwright (the browser is Debian's chromium)")
    folder = exported["zh"]
    n = len(list(folder.glob("slide-*.svg")))
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda request: requests.append(request.url))
            page.goto((folder / "index.html").as_uri())
            page.wait_for_function("document.getElementById('slide').complete")

            def where() -> tuple[str, str]:
                page.wait_for_function("document.getElementById('slide').complete")
                return (page.inner_text("#counter"), page.get_attribute("#slide", "src") or "")

            assert where() == (f"1 / {n}", "slide-01.svg")
            assert page.evaluate("document.getElementById('slide').naturalWidth") > 0
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert where() == (f"3 / {n}", "slide-03.svg")
            page.keyboard.press("ArrowLeft")
            assert where() == (f"2 / {n}", "slide-02.svg")
            page.keyboard.press("End")
            assert where() == (f"{n} / {n}", f"slide-{n:02d}.svg")
            page.keyboard.press("ArrowRight")  # the last stays the last
            assert where()[0] == f"{n} / {n}"
            page.keyboard.press("Home")
            assert where() == (f"1 / {n}", "slide-01.svg")
            page.screenshot(path=str(tmp_path / "deck-zh.png"))
            page.goto((folder / "index.html").as_uri() + "#4")  # an address names a slide
            assert where()[0] == f"4 / {n}"
            page.reload()  # and a reload keeps the place
            assert where()[0] == f"4 / {n}"
        finally:
            browser.close()
    assert all(url.startswith("file://") for url in requests), requests
    assert (tmp_path / "deck-zh.png").stat().st_size > 10_000


def test_notes_capture_beside_its_slide(kb: KnowledgeBase, tmp_path):
    from carnk_tui.ui.gallery import write_notes_captures

    paths = write_notes_captures(kb, tmp_path)
    assert [p.name for p in paths] == ["notes-zh.svg", "notes-en.svg"]
    en = paths[1].read_text(encoding="utf-8")
    assert en.count("<svg") == 3 and "Slide&#160;" in en
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes-en.svg", "notes-zh.svg"]  # no channel left


def test_cli_export_at_a_size(kb: KnowledgeBase, tmp_path, capsys):
    assert main(["--lang", "en", "present", "--export", str(tmp_path), "--size", "80x24"]) == 0
    svgs = sorted(tmp_path.glob("slide-*.svg"))
    assert capsys.readouterr().out.startswith(f"{len(svgs)} slides")
    assert (tmp_path / "index.html").exists()
    # drawn at 80 columns (Rich's cell is 12.2 px wide) and split for 24 lines: more slides than at 120x34
    assert '<rect x="0" y="0" width="975.0"' in svgs[0].read_text(encoding="utf-8")
    assert main(["--lang", "en", "present", "--export", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("slide-*.svg"))) < len(svgs)  # and the longer deck's last slides are gone
