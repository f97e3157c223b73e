"""The search screen: type, see ranked records with the matched characters highlighted, Enter opens one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, text
from carnk_tui.views.format import paren_marks
from carnk_tui.views.i18n import label, t
from carnk_tui.views.search import SearchIndex
from carnk_tui.ui.screens.bilingual import BilingualModal

#: the best matches shown; a longer query narrows them
RESULT_LIMIT = 30


def _same(shown: object, prompt: object) -> bool:
    """Whether an option's prompt already reads and looks like `prompt` (`Content` equality compares the text only)."""
    if not (isinstance(shown, Content) and isinstance(prompt, Content)):
        return False
    return shown.plain == prompt.plain and list(shown.spans) == list(prompt.spans)


class SearchScreen(BilingualModal[str | None]):
    """Dismisses with the chosen record's id, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Back", id="search.back"),
        Binding("down", "to_results", "Results", id="search.to_results"),
        Binding("l", "app.toggle_lang", "Language", id="app.language"),
    ]

    def __init__(self, index: SearchIndex, kb: KnowledgeBase, lang: Lang, query: str = "") -> None:
        super().__init__(lang)
        self.index, self.kb, self.query_text = index, kb, query

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.query_text, placeholder=t("search.placeholder", self.lang), id="search-input")
            yield Static("", id="search-count")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._update(self.query_text)

    def watch_lang(self, old: Lang, new: Lang) -> None:
        if old != new and self.is_mounted:
            field = self.query_one(Input)
            field.placeholder = t("search.placeholder", self.lang)
            self._update(field.value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._update(event.value)

    def _update(self, query: str) -> None:
        hits = self.index.search(query, limit=RESULT_LIMIT, lang=self.lang) if query.strip() else []
        matcher = Matcher(query.strip()) if query.strip() else None
        options = []
        for hit in hits:
            name = matcher.highlight(hit.name) if matcher else Content(hit.name)
            if hit.matched:  # the query matched another name: say which, after the reader's own
                also = matcher.highlight(hit.matched) if matcher else Content(hit.matched)
                opening, closing = paren_marks(self.lang)
                name = Content.assemble(name, opening, also, closing)
            record = self.kb.get(hit.id)
            company = self.kb.company_of(record) if record is not None else None
            where = f" · {text(company.name, self.lang)}" if company else ""
            prompt = Content.assemble(name, Content.styled(f"\u2003{label('kind', hit.kind, self.lang)}{where}", "dim"))
            options.append(Option(prompt, id=hit.id))
        self._show(options)
        shown = f"{len(hits)}+" if len(hits) >= RESULT_LIMIT else str(len(hits))
        count = t("search.count", self.lang, n=shown) if query.strip() else t("search.hint", self.lang)
        # one line whatever it says: no layout of the screen for it
        self.query_one("#search-count", Static).update(Text(count), layout=False)

    def _show(self, options: list[Option]) -> None:
        """Show `options` with the first highlighted, changing the list in place.

        The same records as shown (the common case while a word is typed) keep their options: only
        the prompts that differ (the query's characters highlighted) are replaced, and the list keeps
        its lines, scroll bar and size, so a keystroke repaints the list and nothing is laid out again.
        Other records replace the options in one update.
        """
        results = self.query_one(OptionList)
        if [option.id for option in results.options] == [option.id for option in options]:
            for index, (shown, option) in enumerate(zip(results.options, options, strict=True)):
                if not _same(shown.prompt, option.prompt):
                    results.replace_option_prompt_at_index(index, option.prompt)
        else:
            results.set_options(options)  # one update of the list, not one per result
        if options and results.highlighted != 0:
            results.highlighted = 0

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.highlighted is not None and results.option_count:
            self.dismiss(results.get_option_at_index(results.highlighted).id)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_to_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
