"""`carnk-tui screenshot`: SVG captures of every screen in both languages, made by the app itself; and
`carnk-tui present --export`: every slide as an SVG, with a page that steps through them offline."""

from __future__ import annotations

import asyncio
import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual.app import App

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import LANGS, Lang

SIZE = (100, 30)
#: (file stem, keys pressed to get there from the Landscape tab); one app per language takes them all
SHOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overview", ("1",)),
    ("landscape", ("2",)),
    ("outlook", ("3",)),
    ("compare", ("4",)),
    ("timeline", ("5",)),
    ("results", ("6",)),
    ("dashboard", ("7",)),
    ("pipeline", ("8",)),
    ("deals", ("9",)),
    ("present", ("2", "p")),
    ("help", ("2", "question_mark")),
)


#: the registry's captures, made only when the knowledge base holds imported studies (`--extra DIR`)
REGISTRY_SHOTS = ("registry-study", "registry-changes")


def showcase_product(kb: KnowledgeBase) -> str | None:
    """The first product with reported results: the landscape capture opens on it."""
    for product in kb.products:
        if any(trial.results for trial in kb.trials_of(product.id)):
            return product.id
    return kb.products[0].id if kb.products else None


def showcase_study(kb: KnowledgeBase) -> str | None:
    """The registry study the registry capture opens: the latest-starting one no curated product names."""
    from carnk_tui.views.registry_tree import studies
    from carnk_tui.views.filters import Filters

    uncurated = studies(kb, Filters())
    if not uncurated:
        return None
    return max(uncurated, key=lambda s: (s.registry.start_date or "", s.name)).id


def shot_names(kb: KnowledgeBase) -> list[str]:
    """Every capture `carnk-tui screenshot` can make of this knowledge base."""
    names = [stem for stem, _ in SHOTS]
    if kb.registry_studies:
        names += REGISTRY_SHOTS if kb.registry_changes else REGISTRY_SHOTS[:1]
    return names


async def _capture(kb: KnowledgeBase, lang: str, out: Path, only: frozenset[str] | None = None) -> list[Path]:
    """Every shot in one language (or those in `only`), from one run of the app (Esc closes the help and
    the presentation)."""
    from carnk_tui.ui.app import make_app
    from carnk_tui.ui.settle import settle
    from carnk_tui.views.registry_overview import REGISTRY_KEY

    app = make_app(kb, lang, open_text=showcase_product(kb))  # type: ignore[arg-type]
    app.animation_level = "none"  # a still picture: no frames drawn for the tabs' sliding underline
    written = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        explorer = app.screen
        for stem, keys in SHOTS:
            if only is not None and stem not in only:
                continue
            await pilot.press(*keys)
            await settle(pilot, workers=True)
            written.append(save_svg(app, out / f"{stem}-{lang}.svg"))
            while app.screen is not explorer:
                await pilot.press("escape")
                await pilot.pause()
        registry = {"registry-study": showcase_study(kb), "registry-changes": REGISTRY_KEY}
        for stem in shot_names(kb)[len(SHOTS):]:
            if only is not None and stem not in only:
                continue
            await pilot.press("2")
            app.open_record(registry[stem] or "")
            await settle(pilot)
            written.append(save_svg(app, out / f"{stem}-{lang}.svg"))
    return written


#: the web fonts Rich's SVG template asks for: the only thing in an SVG capture that would need the network
_WEB_FONTS = re.compile(r"@font-face\s*\{[^}]*\}\s*")


#: a run of text in Rich's SVG: its given length, and the text
_TEXT_RUN = re.compile(r'(<text\b[^>]*?textLength=")([\d.]+)("[^>]*>)([^<]*)(</text>)')


def _wide_run(found: re.Match[str]) -> str:
    """A text run's length counted in terminal cells: Rich counts characters, so a Chinese run was
    squeezed into half its width and its characters overlapped."""
    start, length, rest, content, end = found.groups()
    plain = html.unescape(content)
    if not plain or cell_len(plain) == len(plain):
        return found.group(0)
    wide = float(length) * cell_len(plain) / len(plain)
    return f"{start}{wide:g}{rest}{content}{end}"


def offline_svg(svg: str) -> str:
    """An SVG capture that loads nothing and draws wide characters two cells wide: without the web-font
    rules, the text is drawn in the system's monospace font (which, for Chinese, falls back to a CJK font
    such as Noto Sans CJK), and each run of text is given the width of the cells it fills."""
    return _TEXT_RUN.sub(_wide_run, _WEB_FONTS.sub("", svg))


def save_svg(app: App[Any], path: Path, title: str | None = None) -> Path:
    """The app's screen as an SVG that opens offline (Textual's `export_screenshot`, web fonts left out)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(offline_svg(app.export_screenshot(title=title)), encoding="utf-8")
    return path


def write_gallery(kb: KnowledgeBase, out: Path, only: frozenset[str] | None = None) -> list[Path]:
    """The captures (all of `shot_names`, or those in `only`) in both languages, into `out`."""
    out.mkdir(parents=True, exist_ok=True)

    async def both() -> list[Path]:
        return [path for lang in LANGS for path in await _capture(kb, lang, out, only)]

    return asyncio.run(both())


def screenshot_directory() -> Path:
    """Where the app's own screenshots go: the user's pictures folder, else documents, else the current
    directory (whichever exists first)."""
    from platformdirs import user_pictures_path

    from carnk_tui.export.view import default_directory

    pictures = user_pictures_path()
    return pictures if pictures.is_dir() else default_directory()


def screenshot_name(when: datetime | None = None) -> str:
    """A file name that is safe on every system, whatever the title: carnk-tui-2026-11-26-12-30-05.svg."""
    return f"carnk-tui-{(when or datetime.now()).strftime('%Y-%m-%d-%H-%M-%S')}.svg"


# ------------------------------------------------------------------ the deck, exported
#: the terminal size exported slides are drawn at (a projector's 16:9, roughly)
DECK_SIZE = (120, 34)


def slide_file(number: int) -> str:
    return f"slide-{number:02d}.svg"


async def _capture_deck(kb: KnowledgeBase, lang: Lang, out: Path, size: tuple[int, int]) -> list[Path]:
    """Every slide, as the presentation draws it in a `size` terminal, from one headless run."""
    from carnk_tui.ui.screens.presentation import PresentScreen, make_present_app

    app = make_present_app(kb, lang, hint=False)
    app.animation_level = "none"
    written: list[Path] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PresentScreen)
        for index in range(len(screen.slides)):
            screen.go(index)
            await pilot.pause()
            written.append(save_svg(app, out / slide_file(index + 1), title=screen.slide.title))
    return written


def write_deck(kb: KnowledgeBase, lang: Lang, out: Path, size: tuple[int, int] = DECK_SIZE) -> list[Path]:
    """`carnk-tui present --export DIR`: DIR/slide-01.svg … and DIR/index.html, which steps through them
    with the arrow keys, offline. Returns the files written (the page last)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("slide-[0-9][0-9].svg"):  # a shorter deck must not leave the old last slides behind
        old.unlink()
    slides = asyncio.run(_capture_deck(kb, lang, out, size))
    page = out / "index.html"
    page.write_text(deck_page(kb.meta.title.get(lang), [p.name for p in slides], lang), encoding="utf-8")
    return [*slides, page]


def deck_page(title: str, files: list[str], lang: Lang) -> str:
    """A page showing one slide at a time: → / Space / PgDn next, ← / PgUp back, Home / End, a counter;
    the slide's number is kept in the address (#3), so a reload stays put and a link can name a slide.
    No network, no external file but the slides themselves."""
    from carnk_tui.views.i18n import t

    return _PAGE.format(lang="zh-CN" if lang == "zh" else "en", title=html.escape(title),
                        help=html.escape(t("present.export_help", lang)), files=json.dumps(files),
                        first=html.escape(files[0]) if files else "")


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  html, body {{ margin: 0; height: 100%; background: #111; color: #ddd;
               font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }}
  body {{ display: flex; flex-direction: column; }}
  main {{ flex: 1; display: flex; align-items: center; justify-content: center; min-height: 0; padding: 8px; }}
  main img {{ max-width: 100%; max-height: 100%; object-fit: contain; }}
  footer {{ display: flex; justify-content: space-between; align-items: center; padding: 4px 12px;
            font-size: 14px; background: #222; }}
  #counter {{ font-weight: bold; font-variant-numeric: tabular-nums; }}
  button {{ background: #333; color: #ddd; border: 1px solid #555; border-radius: 4px; padding: 2px 10px;
            font-size: 14px; cursor: pointer; }}
</style>
</head>
<body>
<main><img id="slide" src="{first}" alt=""></main>
<footer>
  <span>{help}</span>
  <span><button id="prev" type="button" aria-label="previous">&larr;</button>
  <span id="counter" aria-live="polite"></span>
  <button id="next" type="button" aria-label="next">&rarr;</button></span>
</footer>
<script>
(function () {{
  var files = {files};
  var index = 0;
  var img = document.getElementById("slide");
  var counter = document.getElementById("counter");
  function show(i) {{
    index = Math.max(0, Math.min(files.length - 1, i));
    img.src = files[index];
    img.alt = String(index + 1);
    counter.textContent = (index + 1) + " / " + files.length;
    if (location.hash !== "#" + (index + 1)) {{ history.replaceState(null, "", "#" + (index + 1)); }}
  }}
  document.addEventListener("keydown", function (e) {{
    var k = e.key;
    if (k === "ArrowRight" || k === "PageDown" || k === " " || k === "ArrowDown") {{ show(index + 1); }}
    else if (k === "ArrowLeft" || k === "PageUp" || k === "ArrowUp") {{ show(index - 1); }}
    else if (k === "Home") {{ show(0); }}
    else if (k === "End") {{ show(files.length - 1); }}
    else {{ return; }}
    e.preventDefault();
  }});
  document.getElementById("prev").addEventListener("click", function () {{ show(index - 1); }});
  document.getElementById("next").addEventListener("click", function () {{ show(index + 1); }});
  img.addEventListener("click", function () {{ show(index + 1); }});
  function fromAddress() {{
    var asked = parseInt(location.hash.slice(1), 10);
    show(isNaN(asked) ? 0 : asked - 1);
  }}
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
}})();
</script>
</body>
</html>
"""


# ------------------------------------------------------------------ a notes window beside its slide
NOTES_SLIDE_SIZE = (100, 30)
NOTES_SIZE = (60, 30)


async def _capture_notes(kb: KnowledgeBase, lang: Lang, out: Path, channel_path: Path) -> Path:
    """The presentation on a results slide and, beside it, the notes window following it: one SVG."""
    from carnk_tui.ui.notes import NotesApp, NotesChannel
    from carnk_tui.ui.screens.presentation import PresentScreen, make_present_app

    channel = NotesChannel(channel_path)
    presenter = make_present_app(kb, lang, channel=channel)
    notes = NotesApp(channel, lang)
    presenter.animation_level = notes.animation_level = "none"
    # the notes window first: code run here speaks to the app started last (the presenter), and the notes
    # window draws what the channel tells it in its own message loop
    async with notes.run_test(size=NOTES_SIZE) as notes_pilot, presenter.run_test(size=NOTES_SLIDE_SIZE) as pilot:
        await pilot.pause()
        screen = presenter.screen
        assert isinstance(screen, PresentScreen)
        at = next((i for i, s in enumerate(screen.slides) if s.section == "results"), 0)
        await pilot.press("g", *str(at + 1), "enter")
        await pilot.pause()
        while notes.state is None or notes.state.index != screen.index:
            notes.changed.clear()
            await asyncio.wait_for(notes.changed.wait(), timeout=30)
        await notes_pilot.pause()
        left = presenter.export_screenshot()
        right = notes.export_screenshot()
    path = out / f"notes-{lang}.svg"
    path.write_text(offline_svg(side_by_side(left, right)), encoding="utf-8")
    return path


def _view_box(svg: str) -> tuple[float, float]:
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def side_by_side(left: str, right: str, gap: float = 16) -> str:
    """Two SVG captures in one picture, the first on the left."""
    (lw, lh), (rw, rh) = _view_box(left), _view_box(right)
    width, height = lw + gap + rw, max(lh, rh)

    def placed(svg: str, x: float, w: float, h: float) -> str:
        return svg.replace("<svg ", f'<svg x="{x}" y="0" width="{w}" height="{h}" ', 1)

    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">\n'
            f"{placed(left, 0, lw, lh)}\n{placed(right, lw + gap, rw, rh)}\n</svg>\n")


def write_notes_captures(kb: KnowledgeBase, out: Path) -> list[Path]:
    """`carnk-tui screenshot --notes`: screens/notes-zh.svg and notes-en.svg, a notes terminal beside the
    slide it follows (through a channel file of their own in `out`, removed afterwards)."""
    out.mkdir(parents=True, exist_ok=True)
    channel_path = out / ".present-capture" / "present.json"

    async def both() -> list[Path]:
        return [await _capture_notes(kb, lang, out, channel_path) for lang in LANGS]

    try:
        return asyncio.run(both())
    finally:
        for leftover in channel_path.parent.glob("*"):
            leftover.unlink()
        if channel_path.parent.exists():
            channel_path.parent.rmdir()
