"""The export dialog (`e`): which records, in which format, to which file. It writes through
`export.view.write_export` and stays open when the file cannot be written, with the user's choices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from carnk_tui.export.view import (
    FORMAT_NAMES,
    SUFFIXES,
    export_error,
    file_stem,
    formats_for,
    write_export,
)
from carnk_tui.kb.knowledge_base import KnowledgeBase, name_of
from carnk_tui.kb.model import Lang, Product
from carnk_tui.ui.screens.bilingual import BilingualModal
from carnk_tui.views.i18n import t

SCOPES = ("record", "view", "marked", "all")


@dataclass(frozen=True)
class ExportScopes:
    """What the user can export from where they are: the main screen fills it from the active pane."""

    #: the id of the tab the user is on (file names), and the interface string of its name (the "this view" choice)
    tab: str
    tab_key: str
    #: the record under the cursor (a record id or a node of the registry branch)
    record: str | None = None
    #: the rows the view lists, in the order shown (None: the view is not a list)
    view: list[str] | None = None
    marked: list[str] = field(default_factory=list)
    #: the Compare table's chosen columns: its rows are written as CSV in these (None: the full products table)
    columns: list[str] | None = None

    def ids(self, scope: str) -> list[str] | None:
        """The records a scope exports (None: the whole landscape)."""
        if scope == "record":
            return [self.record] if self.record else []
        if scope == "view":
            return list(self.view or [])
        if scope == "marked":
            return list(self.marked)
        return None

    def available(self, scope: str) -> bool:
        return scope == "all" or bool(self.ids(scope))

    def default(self) -> str:
        """Marked rows when there are some; in Compare its table; else the record; else everything."""
        if self.marked:
            return "marked"
        if self.tab == "compare" and self.view:
            return "view"
        return next(s for s in ("record", "view", "all") if self.available(s))


class Choices(RadioSet, inherit_bindings=False):
    """A radio set whose arrows choose, as radio buttons do elsewhere; Enter is left to the dialog (it exports)."""

    BINDINGS = [
        Binding("down,right", "choose(1)", show=False),
        Binding("up,left", "choose(-1)", show=False),
        Binding("space", "toggle_button", show=False),
    ]

    def action_choose(self, step: int) -> None:
        if step > 0:
            self.action_next_button()
        else:
            self.action_previous_button()
        self.action_toggle_button()


class ExportScreen(BilingualModal[Path | None]):
    """Dismisses with the path written, or None when cancelled."""

    BINDINGS = [
        Binding("enter", "write", "Export", id="export.write"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("l", "app.toggle_lang", "Language", id="app.language"),  # (typed as a letter in the file name)
    ]

    DEFAULT_CSS = """
    ExportScreen {
        align: center top;
    }
    #export-box {
        width: 90%;
        max-width: 84;
        height: auto;
        max-height: 100%;
        margin-top: 1;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    #export-fields {
        height: auto;
    }
    #export-title {
        text-style: bold;
    }
    .export-label {
        margin-top: 1;
        text-style: bold;
    }
    #export-format {
        layout: horizontal;
    }
    #export-format > RadioButton {
        width: auto;
        margin-right: 3;
    }
    #export-box Choices > RadioButton:disabled {
        color: $text-disabled;
    }
    #export-path {
        background: $boost;
    }
    #export-csv-note {
        color: $text-muted;
    }
    #export-message {
        height: auto;
        margin-top: 1;
    }
    #export-message.-error {
        color: $text-error;
        text-style: bold;
    }
    #export-message.-warning {
        color: $text-warning;
        text-style: bold;
    }
    #export-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    #export-buttons > Button {
        margin-left: 2;
    }
    #export-hint {
        color: $text-muted;
    }
    """

    def __init__(self, kb: KnowledgeBase, scopes: ExportScopes, directory: Path, lang: Lang) -> None:
        super().__init__(lang)
        self.kb, self.scopes, self.directory = kb, scopes, directory
        self.scope = scopes.default()
        self.format = self._default_format(self.scope)
        #: the path the dialog last suggested (replaced as the choices change, unless the user edited it)
        self._suggested = str(directory / self._file_name())
        #: (path, format, scope) the user was asked about: a second Enter with the same choices replaces it
        self._confirm: tuple[Path, str, str] | None = None
        #: the message shown under the path: its words in a given language, and its severity
        self._message: tuple[Callable[[Lang], str], str] | None = None

    # ------------------------------------------------------------ choices
    def _default_format(self, scope: str) -> str:
        """CSV for products (the Compare table), Markdown for anything else."""
        ids = self.scopes.ids(scope)
        products = bool(ids) and all(isinstance(self.kb.get(i), Product) for i in ids or ())
        return "csv" if scope in ("view", "marked") and products else "md"

    def _formats(self) -> tuple[str, ...]:
        return formats_for(self.kb, self.scopes.ids(self.scope))

    def _file_name(self) -> str:
        lang = self.lang
        stems = {"record": (self.scopes.record or "", lang), "view": (self.scopes.tab, lang),
                 "marked": (self.scopes.tab, "marked", lang), "all": ("landscape", lang)}
        return file_stem(*stems[self.scope]) + SUFFIXES[self.format]

    def _scope_label(self, scope: str) -> Content:
        """The words of a scope's choice (literal text: a record's name is never read as markup)."""
        return Content(self._scope_words(scope))

    def _scope_words(self, scope: str) -> str:
        lang, scopes = self.lang, self.scopes
        if scope == "record":
            if not scopes.record:
                return t("export.scope.no_record", lang)
            record = self.kb.get(scopes.record)
            name = name_of(record, lang) if record is not None else self._node_title(scopes.record)
            return t("export.scope.record", lang, name=name)
        if scope == "view":
            if not scopes.view:
                return t("export.scope.no_view", lang)
            return t("export.scope.view", lang, tab=t(scopes.tab_key, lang), n=str(len(scopes.view)))
        if scope == "marked":
            if not scopes.marked:
                return t("export.scope.no_marked", lang)
            return t("export.scope.marked", lang, n=str(len(scopes.marked)))
        return t("export.scope.all", lang)

    def _node_title(self, key: str) -> str:
        from carnk_tui.views.registry_overview import detail_for_key

        detail = detail_for_key(key, self.kb, self.lang)
        return detail.title if detail is not None else key

    # ------------------------------------------------------------ composing
    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="export-box"):
            yield Label(t("export.title", lang), id="export-title")
            with VerticalScroll(id="export-fields"):
                yield Label(t("export.scope", lang), id="export-scope-label", classes="export-label")
                with Choices(id="export-scope", compact=True):
                    for scope in SCOPES:
                        yield RadioButton(self._scope_label(scope), value=scope == self.scope,
                                          disabled=not self.scopes.available(scope), id=f"export-scope-{scope}")
                yield Label(t("export.format", lang), id="export-format-label", classes="export-label")
                formats = self._formats()
                with Choices(id="export-format", compact=True):
                    for fmt in SUFFIXES:
                        yield RadioButton(FORMAT_NAMES[fmt], value=fmt == self.format, disabled=fmt not in formats,
                                          id=f"export-format-{fmt}")
                yield Static(t("export.csv_products", lang), id="export-csv-note")
                yield Label(t("export.path", lang), id="export-path-label", classes="export-label")
                yield Input(self._suggested, id="export-path", compact=True)
                yield Static(id="export-message")
            with Horizontal(id="export-buttons"):
                yield Button(t("export.write", lang), variant="primary", id="export-write", compact=True)
                yield Button(t("export.cancel", lang), id="export-cancel", compact=True)
            yield Static(t("export.hint", lang), id="export-hint")

    def on_mount(self) -> None:
        self.query_one("#export-csv-note").display = "csv" not in self._formats()
        self.query_one("#export-message").display = False
        self.query_one("#export-scope", Choices).focus()

    def watch_lang(self, old: Lang, new: Lang) -> None:
        """Every word in the other language; the choices stay (a suggested file name follows the language)."""
        if old == new or not self.is_mounted:
            return
        lang = self.lang
        for key in ("title", "scope", "format", "path"):
            self.query_one(f"#export-{key}-label" if key != "title" else "#export-title", Label).update(
                t(f"export.{key}", lang))
        for scope in SCOPES:
            self.query_one(f"#export-scope-{scope}", RadioButton).label = self._scope_label(scope)
        self.query_one("#export-csv-note", Static).update(t("export.csv_products", lang))
        self.query_one("#export-cancel", Button).label = t("export.cancel", lang)
        self.query_one("#export-hint", Static).update(t("export.hint", lang))
        self._show_write_label()
        self._show_message()
        self._suggest()

    # ------------------------------------------------------------ reacting to the choices
    @on(RadioSet.Changed, "#export-scope")
    def _scope_chosen(self, event: RadioSet.Changed) -> None:
        scope = (event.pressed.id or "").removeprefix("export-scope-")
        if scope not in SCOPES or scope == self.scope:
            return
        self.scope = scope
        formats = self._formats()
        for fmt in SUFFIXES:
            self.query_one(f"#export-format-{fmt}", RadioButton).disabled = fmt not in formats
        self.query_one("#export-csv-note").display = "csv" not in formats
        if self.format not in formats:
            self.query_one(f"#export-format-{self._default_format(scope)}", RadioButton).value = True
            return  # the format's change suggests the name
        self._suggest()
        self._choices_changed()

    @on(RadioSet.Changed, "#export-format")
    def _format_chosen(self, event: RadioSet.Changed) -> None:
        fmt = (event.pressed.id or "").removeprefix("export-format-")
        if fmt in SUFFIXES and fmt != self.format:
            self.format = fmt
            self._suggest()
            self._choices_changed()

    @on(Input.Changed, "#export-path")
    def _path_edited(self) -> None:
        self._choices_changed()

    def _suggest(self) -> None:
        """A new file name for the new choices, unless the user wrote their own (then only its suffix follows)."""
        path_input = self.query_one("#export-path", Input)
        current = path_input.value.strip()
        suggestion = str(Path(current).expanduser().parent / self._file_name()) if current else ""
        if not current or current == self._suggested:
            value = suggestion or str(self.directory / self._file_name())
            self._suggested = value
        else:
            path = Path(current)
            value = str(path.with_suffix(SUFFIXES[self.format])) if path.suffix in SUFFIXES.values() else current
        if value != path_input.value:
            path_input.value = value

    def _choices_changed(self) -> None:
        """A confirmation or an error was about other choices: it no longer applies."""
        if self._message is not None and self._confirm != self._chosen_target():
            self._confirm = None
            self._message = None
            self._show_message()
            self._show_write_label()

    def _chosen_target(self) -> tuple[Path, str, str] | None:
        path = self._path()
        return None if path is None else (path, self.format, self.scope)

    def _path(self) -> Path | None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            return None
        path = Path(raw).expanduser()
        return path if path.is_absolute() else Path.cwd() / path

    def _say(self, words: Callable[[Lang], str], severity: str) -> None:
        self._message = (words, severity)
        self._show_message()

    def _show_message(self) -> None:
        message = self.query_one("#export-message", Static)
        message.remove_class("-error", "-warning")
        message.display = self._message is not None
        if self._message is not None:
            words, severity = self._message
            message.update(Content(words(self.lang)))
            message.add_class(f"-{severity}")

    def _show_write_label(self) -> None:
        replacing = self._confirm is not None and self._confirm == self._chosen_target()
        self.query_one("#export-write", Button).label = t("export.replace" if replacing else "export.write", self.lang)

    # ------------------------------------------------------------ writing
    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-write")
    def action_write(self) -> None:
        path = self._path()
        if path is None:
            self._say(lambda lang: t("export.no_name", lang), "error")
            return
        if path.is_dir():
            self.query_one("#export-path", Input).value = str(path / self._file_name())
            path = path / self._file_name()
        target = (path, self.format, self.scope)
        overwrite = self._confirm == target
        if path.exists() and not overwrite:
            self._ask_to_replace(target)
            return
        try:
            columns = self.scopes.columns if self.scope != "all" else None
            written = write_export(self.kb, self.lang, self.format, self.scopes.ids(self.scope), path,
                                   overwrite=overwrite, columns=columns)
        except FileExistsError:
            self._ask_to_replace(target)
            return
        except OSError as error:
            self._confirm = None
            self._say(partial(export_error, error, path), "error")
            self._show_write_label()
            return
        self.dismiss(written)

    def _ask_to_replace(self, target: tuple[Path, str, str]) -> None:
        self._confirm = target
        self._say(lambda lang: t("export.exists", lang, name=target[0].name), "warning")
        self._show_write_label()

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
