"""`carnk-tui screenshot`: SVG captures of every screen in both languages, made by the app itself."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import LANGS

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


def showcase_product(kb: KnowledgeBase) -> str | None:
    """The first product with reported results: the landscape capture opens on it."""
    for product in kb.products:
        if any(trial.results for trial in kb.trials_of(product.id)):
            return product.id
    return kb.products[0].id if kb.products else None


async def _capture(kb: KnowledgeBase, lang: str, out: Path) -> list[Path]:
    """Every shot in one language, from one run of the app (Esc closes the help and the presentation)."""
    from carnk_tui.ui.app import make_app

    app = make_app(kb, lang, open_text=showcase_product(kb))  # type: ignore[arg-type]
    app.animation_level = "none"  # a still picture: no frames drawn for the tabs' sliding underline
    written = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        explorer = app.screen
        for stem, keys in SHOTS:
            await pilot.press(*keys)
            await pilot.pause()
            path = out / f"{stem}-{lang}.svg"
            app.save_screenshot(filename=path.name, path=str(path.parent))
            written.append(path)
            while app.screen is not explorer:
                await pilot.press("escape")
                await pilot.pause()
    return written


def write_gallery(kb: KnowledgeBase, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)

    async def both() -> list[Path]:
        return [path for lang in LANGS for path in await _capture(kb, lang, out)]

    return asyncio.run(both())


def screenshot_directory() -> Path:
    """Where the app's own screenshots go: the user's pictures folder, else documents, else the current
    directory (whichever exists first)."""
    from platformdirs import user_documents_path, user_pictures_path

    for directory in (user_pictures_path(), user_documents_path()):
        if directory.is_dir():
            return directory
    return Path.cwd()


def screenshot_name(when: datetime | None = None) -> str:
    """A file name that is safe on every system, whatever the title: carnk-tui-2026-11-26-12-30-05.svg."""
    return f"carnk-tui-{(when or datetime.now()).strftime('%Y-%m-%d-%H-%M-%S')}.svg"
