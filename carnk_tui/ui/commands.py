"""Command-palette provider: every record can be opened from Ctrl+P ("Open: FT596 …")."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from carnk_tui.kb.model import text
from carnk_tui.views.format import colon
from carnk_tui.views.i18n import label, t
from carnk_tui.views.registry_overview import REGISTRY_KEY, registry_command

if TYPE_CHECKING:
    from carnk_tui.ui.app import CarnkApp


class RecordsProvider(Provider):
    """Uses the app's prepared search index, then Textual's matcher to score and highlight."""

    @property
    def explorer(self) -> CarnkApp:
        from carnk_tui.ui.app import CarnkApp  # the app module imports this one

        app = self.app
        assert isinstance(app, CarnkApp)
        return app

    async def search(self, query: str) -> Hits:
        app = self.explorer
        if app.kb is None:
            return
        matcher = self.matcher(query)
        prefix = t("palette.open", app.lang) + colon(app.lang)
        for hit in app.search_index.search(query, limit=30, lang=app.lang):
            title = f"{prefix}{hit.name}"
            # a little below Textual's and the app's commands, which a matching word should find first
            score = 0.8 * (matcher.match(title) or hit.score / 200)
            yield Hit(score, matcher.highlight(title), partial(app.open_record, hit.id),
                      help=label("kind", hit.kind, app.lang))
        if app.kb.registry_studies:
            lang = app.lang
            show = partial(app.open_record, REGISTRY_KEY)
            title = registry_command(lang)
            score = matcher.match(title)
            if score:
                yield Hit(score, matcher.highlight(title), show, help=label("kind", "registry", lang))

    async def discover(self) -> Hits:
        app = self.explorer
        if app.kb is None:
            return
        prefix = t("palette.open", app.lang) + colon(app.lang)
        for product in app.kb.products[:20]:
            name = text(product.name, app.lang)
            yield DiscoveryHit(f"{prefix}{name}", partial(app.open_record, product.id),
                               help=label("kind", "product", app.lang))
