"""Textual's footer, with key descriptions in the interface language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from carnk_tui.views.i18n import key_word


class LocalFooter(Footer):
    """Recomposes whenever the bindings change; the app refreshes bindings when the language changes."""

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "lang", "en")
        for widget in super().compose():
            description = getattr(widget, "description", None)  # FooterKey, a private Textual class
            if isinstance(description, str):
                widget.description = key_word(description, lang)  # type: ignore[attr-defined]
            yield widget
