"""Command-palette provider: every record can be opened from Ctrl+P ("Open: FT596 …")."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from carnk_tui.views.i18n import label, t
from carnk_tui.views.registry_overview import REGISTRY_KEY, registry_command
from carnk_tui.kb.model import text


class RecordsProvider(Provider):
    """Uses the app's prepared search index, then Textual's matcher to score and highlight."""

    async def search(self, query: str) -> Hits:
        app = self.app
        index = app.search_index  # type: ignore[attr-defined]
        matcher = self.matcher(query)
        prefix = t("palette.open", app.lang)  # type: ignore[attr-defined]
        for hit in index.search(query, limit=30, lang=app.lang):  # type: ignore[attr-defined]
            title = f"{prefix}: {hit.name}"
            # a little below Textual's and the app's commands, which a matching word should find first
            score = 0.8 * (matcher.match(title) or hit.score / 200)
            yield Hit(score, matcher.highlight(title), partial(app.open_record, hit.id),
                      help=label("kind", hit.kind, app.lang))  # type: ignore[attr-defined]
        if app.kb.registry_studies:  # type: ignore[attr-defined]
            lang = app.lang  # type: ignore[attr-defined]
            show = partial(app.open_record, REGISTRY_KEY)  # type: ignore[attr-defined]
            title = registry_command(lang)
            score = matcher.match(title)
            if score:
                yield Hit(score, matcher.highlight(title), show, help=label("kind", "registry", lang))

    async def discover(self) -> Hits:
        app = self.app
        prefix = t("palette.open", app.lang)  # type: ignore[attr-defined]
        for product in app.kb.products[:20]:  # type: ignore[attr-defined]
            name = text(product.name, app.lang)  # type: ignore[attr-defined]
            yield DiscoveryHit(f"{prefix}: {name}", partial(app.open_record, product.id),
                               help=label("kind", "product", app.lang))  # type: ignore[attr-defined]
