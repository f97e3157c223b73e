"""`carnk-tui screenshot`: SVG captures of every screen in both languages, made by the app itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import LANGS

SIZE = (100, 30)
#: (file stem, keys pressed after start-up)
SHOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("overview", ("1",)),
    ("landscape", ()),
    ("outlook", ("3",)),
    ("compare", ("4",)),
    ("timeline", ("5",)),
    ("results", ("6",)),
    ("present", ("p",)),
    ("help", ("question_mark",)),
)


def showcase_product(kb: KnowledgeBase) -> str | None:
    """The first product with reported results: the landscape capture opens on it."""
    for product in kb.products:
        if any(trial.results for trial in kb.trials_of(product.id)):
            return product.id
    return kb.products[0].id if kb.products else None


async def _capture(kb: KnowledgeBase, lang: str, keys: tuple[str, ...], path: Path) -> None:
    from carnk_tui.ui.app import make_app

    app = make_app(kb, lang, open_text=showcase_product(kb))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        app.save_screenshot(filename=path.name, path=str(path.parent))


def write_gallery(kb: KnowledgeBase, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        for stem, keys in SHOTS:
            path = out / f"{stem}-{lang}.svg"
            asyncio.run(_capture(kb, lang, keys, path))
            written.append(path)
    return written
