"""What every tab's pane shares: it shows one knowledge base, in one language, through the filters.

The main screen composes each pane with `data_bind`: `kb`, `lang`, `filters` and the active tab
(`tab`) flow down into the pane's own reactives, and their watchers redraw. A pane draws only while
its tab is the active one: a change to a hidden pane is drawn when its tab is next chosen, so
start-up and every change cost only what the user sees. Whether the tab is shown comes from the
main screen's `tab`, not from Textual's Show event, which does not arrive when a tab is chosen right
after something scrolled.

A pane whose tab is not the first one shown is built lazily (`lazy=True`): its own widget is there
from the start (so its bindings hold), but what it shows (`compose_content`) is composed and mounted
only when the tab is first shown, or when something asks for it (`when_built`). Starting the app
then costs the tab on screen, not all of them. Whatever reads or focuses a pane's widgets goes
through `when_built`, which runs at once when the pane is built and else right after its mount and
first layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.reactive import var
from textual.widget import Widget

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang
from carnk_tui.views.clipboard import Clip
from carnk_tui.views.filters import Filters


if TYPE_CHECKING:
    _PaneBase = Widget
else:  # a mixin, so that the container after it keeps its CSS (Textual follows the first widget base)
    _PaneBase = object


class KnowledgePane(_PaneBase):
    """Mixin for the tab panes (put it before the Textual container class: `class X(KnowledgePane, Vertical)`)."""

    #: the knowledge base shown; a reload replaces it as a whole (compared by identity, never by value)
    kb: var[KnowledgeBase] = var(cast(KnowledgeBase, None), always_update=True, init=False)
    lang: var[Lang] = var("zh", init=False)
    filters: var[Filters] = var(Filters, init=False)
    #: the id of the main screen's active tab
    tab: var[str] = var("", init=False)

    def __init__(self, kb: KnowledgeBase, lang: Lang, tab: str = "", lazy: bool = False, **kwargs: Any) -> None:
        """`tab` is the id of the tab pane this pane is shown in; `lazy`: compose the pane's content only when
        it is first shown (or asked for)."""
        super().__init__(**kwargs)
        self.set_reactive(KnowledgePane.kb, kb)
        self.set_reactive(KnowledgePane.lang, lang)
        self.own_tab = tab
        #: (kb, lang, filters) as last drawn
        self._drawn: tuple[KnowledgeBase, Lang, Filters] | None = None
        #: "lazy" (content not composed yet), "building" (being mounted) or "built"
        self._build_state = "lazy" if lazy else "built"
        #: what waits for the content to be mounted (`when_built`)
        self._waiting: list[Callable[[], None]] = []

    @property
    def shown(self) -> bool:
        return self.tab == self.own_tab

    # ------------------------------------------------------------ composing the content, now or when first shown
    def compose(self) -> ComposeResult:
        if self.built:
            yield from self.compose_content()

    def compose_content(self) -> ComposeResult:  # pragma: no cover - every pane overrides it
        """The pane's widgets (what `compose` would yield)."""
        yield from ()

    @property
    def built(self) -> bool:
        """Whether the pane's content is composed and mounted."""
        return self._build_state == "built"

    def build(self) -> None:
        """Compose and mount the content (once), in this pane's own turn of the message loop: the widgets
        composed there bind their data to this pane."""
        if self._build_state == "lazy":
            self._build_state = "building"
            self.call_next(self._build)

    async def _build(self) -> None:
        if not self.is_attached:  # removed meanwhile (the app is closing)
            return
        await self.mount_compose(self.compose_content())
        # Drawn at once, before its first layout: what is laid out for a width draws again when its widget
        # is resized (`FittedList`, the panes' `on_resize`). Waiting here for the screen's next refresh
        # would hang the app's exit if none came: a pane's task must never wait on another's.
        self._build_state = "built"
        self.content_built()
        self.redraw()
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def content_built(self) -> None:
        """Called once a lazy pane's content is mounted, before it is drawn."""

    def when_built(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the content is mounted: now if it is, else right after it is (which starts it)."""
        if self.built:
            callback()
        else:
            self._waiting.append(callback)
            self.build()

    def draw(self) -> None:  # pragma: no cover - every pane overrides it
        """Show `kb` in `lang` through `filters`."""
        raise NotImplementedError

    # ------------------------------------------------------------ what `y` copies and `e` exports
    def selected_record(self) -> str | None:
        """The record under the cursor, if the pane has one (for `p`, `y` and `e`)."""
        return cast("str | None", getattr(self, "record_id", None))

    def shown_ids(self) -> list[str] | None:
        """The ids of the rows this view lists, in the order shown (export scope "this view"); None if no list."""
        return None

    def marked_ids(self) -> list[str]:
        """The rows the user marked (export scope "marked rows")."""
        return []

    def copy_clip(self) -> Clip | None:
        """What `y` copies here, when the pane has something better than the selected record as Markdown."""
        return None

    def _is_drawn(self) -> bool:
        drawn = self._drawn
        return drawn is not None and drawn[0] is self.kb and drawn[1:] == (self.lang, self.filters)

    def ensure_drawn(self) -> None:
        """Draw now if the knowledge base, language or filters changed since the last drawing (once built)."""
        if self.built and not self._is_drawn():
            self._drawn = (self.kb, self.lang, self.filters)
            self.draw()

    def redraw(self, force: bool = False) -> None:
        """Draw what changed if the pane is shown (`force`: draw again, e.g. at a new width, now if shown, else
        when next shown); a lazy pane shown for the first time is built first (and drawn then)."""
        if force:
            self._drawn = None
        if self.shown and self.is_mounted:
            if not self.built:
                self.build()
                return
            self.ensure_drawn()

    def watch_kb(self) -> None:
        self.redraw()

    def watch_lang(self) -> None:
        self.redraw()

    def watch_filters(self) -> None:
        self.redraw()

    def watch_tab(self) -> None:
        self.redraw()
