"""`y` copies what is selected through the terminal's clipboard, and `e` opens the export dialog (issue 12, items
6 and 7): what reaches the clipboard and what the notification says, in each place; what the dialog writes,
where, and that it never replaces a file without a second word from the user."""

from __future__ import annotations

import csv
import io
import json

import pytest
from textual.widgets import Button, Input, OptionList, RadioButton, Static

from carnk_tui.export.json_export import to_json
from carnk_tui.export.view import render_export
from carnk_tui.kb.knowledge_base import name_of
from carnk_tui.kb.model import Source, text
from carnk_tui.ui.screens.export import ExportScreen
from carnk_tui.ui.widgets.compare import ComparePane
from carnk_tui.ui.widgets.detail import LinkList
from carnk_tui.views.clipboard import Clip, citation_text
from carnk_tui.views.compare import compare_csv
from tests.screen import record_notifications, screen_lines
from carnk_tui.ui.settle import settle

SIZE = (80, 24)

@pytest.fixture
def documents(tmp_path, monkeypatch):
    """The user's documents folder: where the dialog proposes to write."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    return folder


# ------------------------------------------------------------ y: copy
@pytest.mark.parametrize(("lang", "said"), [("en", "Copied FT596 as Markdown to the clipboard"),
                                            ("zh", "已复制到剪贴板：FT596（Markdown）")])
async def test_y_on_a_tree_node_copies_the_record_as_markdown(app_factory, kb, lang, said):
    app = app_factory(lang, open_text="FT596")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == render_export(kb, lang, "md", ["ft596"])
        assert app.clipboard.startswith("# FT596\n")
        assert messages[-1] == said


async def test_y_on_a_list_item_copies_its_record(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "down")  # the Timeline tab, its second event
        await settle(pilot)
        event_id = app.screen.query_one("#timeline-list", OptionList).highlighted_option.id
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == render_export(kb, "en", "md", [event_id])


async def test_y_on_a_highlighted_source_link_copies_its_citation(app_factory, kb):
    app = app_factory("en", open_text="FT596")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "g", "end")  # into the detail, its links, the last one: a source it cites
        await settle(pilot)
        links = app.screen.query_one("#landscape-detail LinkList", LinkList)
        assert app.screen.focused is links
        source = kb.get(links.highlighted_option.id)
        assert isinstance(source, Source)
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == citation_text(source, "en")
        assert source.url and source.url in app.clipboard and text(source.title, "en") in app.clipboard
        assert messages[-1].startswith("Copied the citation of “")


async def test_y_on_a_highlighted_record_link_copies_that_record(app_factory, kb):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", "g")  # the first link: the company
        await settle(pilot)
        linked = app.screen.query_one("#landscape-detail LinkList", LinkList).highlighted_option.id
        assert linked == kb.get("ft596").company
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == render_export(kb, "en", "md", [linked])


async def test_y_on_a_source_record_copies_its_citation(app_factory, kb):
    source = kb.sources[0]
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.open_record(source.id)  # as a search hit or a followed source link opens it
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == citation_text(source, "zh")
        assert app.clipboard.startswith(text(source.publisher, "zh"))


def test_a_citation_names_publisher_title_date_and_address(kb):
    lancet = next(s for s in kb.sources if s.doi and s.date and s.publisher)
    line = citation_text(lancet, "en")
    assert line.index(text(lancet.publisher, "en")) < line.index(text(lancet.title, "en")) < line.index(lancet.date)
    assert line.endswith(lancet.url or f"https://doi.org/{lancet.doi}")
    assert ".." not in line and "\n" not in line


async def test_y_in_compare_copies_what_the_pane_offers(app_factory, monkeypatch):
    """Whatever the pane's copy_clip returns is what `y` copies (Compare: the cursor row as CSV)."""
    row = Clip("the row of FT596 as CSV", "id,product\nft596,FT596\n")
    monkeypatch.setattr(ComparePane, "copy_clip", lambda self: row)
    app = app_factory("en")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "y")
        await settle(pilot)
        assert app.clipboard == "id,product\nft596,FT596\n"
        assert messages[-1] == "Copied the row of FT596 as CSV to the clipboard"


async def test_y_in_compare_copies_the_cursor_row_as_csv(app_factory, kb):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "down")
        await settle(pilot)
        pane = app.screen.query_one(ComparePane)
        clip = pane.copy_clip()
        assert clip is not None
        await pilot.press("y")
        await settle(pilot)
        assert app.clipboard == clip.text
        assert list(csv.reader(io.StringIO(app.clipboard)))
        assert name_of(kb.get(pane.selected_record()), "en") in app.clipboard


@pytest.mark.parametrize(("lang", "said"), [("en", "Nothing to copy here"), ("zh", "这里没有可复制的内容")])
async def test_y_with_nothing_selected_says_so(app_factory, lang, said):
    app = app_factory(lang)
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "y")  # the Overview tab selects nothing
        await settle(pilot)
        assert app.clipboard == ""
        assert messages[-1].startswith(said)


# ------------------------------------------------------------ e: the export dialog
def dialog_path(app) -> str:
    return app.screen.query_one("#export-path", Input).value


async def test_e_opens_the_dialog_and_enter_writes_the_record_to_documents(app_factory, kb, documents):
    app = app_factory("en", open_text="FT596")
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-scope-record", RadioButton).value
        assert app.screen.query_one("#export-format-md", RadioButton).value
        assert dialog_path(app) == str(documents / "carnk-ft596-en.md")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        written = documents / "carnk-ft596-en.md"
        assert written.read_text(encoding="utf-8") == render_export(kb, "en", "md", ["ft596"])
        assert messages[-1] == f"Exported to {written}"


async def test_without_a_documents_folder_the_dialog_proposes_the_current_directory(app_factory, tmp_path,
                                                                                   monkeypatch):
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "none"))
    monkeypatch.chdir(tmp_path)
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert dialog_path(app) == str(tmp_path / "carnk-ft596-en.md")


async def test_choosing_everything_as_json(app_factory, kb, documents):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "down")  # scope: the next choice that can be made (no list, nothing marked) = everything
        await settle(pilot)
        assert app.screen.query_one("#export-scope-all", RadioButton).value
        assert dialog_path(app) == str(documents / "carnk-landscape-en.md")
        await pilot.press("tab", "right", "right")  # format: Markdown → CSV → JSON
        await settle(pilot)
        assert dialog_path(app) == str(documents / "carnk-landscape-en.json")
        await pilot.press("enter")
        await settle(pilot)
        written = documents / "carnk-landscape-en.json"
        assert written.read_text(encoding="utf-8") == to_json(kb)
        assert not isinstance(app.screen, ExportScreen)


async def test_this_view_in_the_timeline_offers_markdown_and_json_not_csv(app_factory, kb, documents):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "e", "down")  # record → this view
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#export-scope-view", RadioButton).value
        assert screen.query_one("#export-format-csv", RadioButton).disabled
        assert screen.query_one("#export-csv-note").display
        events = app.screen_stack[-2].query_one("TimelinePane").shown_ids()
        await pilot.press("tab", "right")  # Markdown → JSON (CSV is skipped)
        await settle(pilot)
        assert screen.query_one("#export-format-json", RadioButton).value
        await pilot.press("enter")
        await settle(pilot)
        written = json.loads((documents / "carnk-timeline-en.json").read_text(encoding="utf-8"))
        assert [e["id"] for e in written["events"]] == [i for i in events if kb.get(i) in kb.events]


async def test_an_existing_file_is_replaced_only_after_a_second_enter(app_factory, kb, documents):
    existing = documents / "carnk-ft596-en.md"
    existing.write_text("keep me", encoding="utf-8")
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert existing.read_text(encoding="utf-8") == "keep me"
        message = str(app.screen.query_one("#export-message", Static).render())
        assert "carnk-ft596-en.md already exists" in message
        assert str(app.screen.query_one("#export-write", Button).label) == "Replace"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert existing.read_text(encoding="utf-8") == render_export(kb, "en", "md", ["ft596"])


async def test_changing_the_choices_after_the_warning_asks_again(app_factory, documents):
    (documents / "carnk-ft596-en.md").write_text("keep me", encoding="utf-8")
    (documents / "carnk-ft596-en.json").write_text("keep me too", encoding="utf-8")
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "enter", "tab", "left")  # asked about the .md; then format: Markdown → JSON
        await settle(pilot)
        assert dialog_path(app).endswith("carnk-ft596-en.json")
        assert str(app.screen.query_one("#export-write", Button).label) == "Export"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)  # asked again, about the other file
        assert (documents / "carnk-ft596-en.json").read_text(encoding="utf-8") == "keep me too"
        assert (documents / "carnk-ft596-en.md").read_text(encoding="utf-8") == "keep me"


async def test_escape_leaves_no_file(app_factory, documents, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "down", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert list(documents.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["Documents"]


async def test_a_folder_that_cannot_be_written_keeps_the_dialog_and_the_input(app_factory, documents):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        wanted = documents / "no such folder" / "ft596.md"
        app.screen.query_one("#export-path", Input).value = str(wanted)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert dialog_path(app) == str(wanted)
        message = str(app.screen.query_one("#export-message", Static).render())
        assert message == f"Could not write {wanted}: the folder does not exist"
        assert "Traceback" not in "\n".join(screen_lines(app))
        assert not wanted.parent.exists()


async def test_a_folder_as_the_path_writes_the_proposed_name_into_it(app_factory, documents, tmp_path):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert (tmp_path / "carnk-ft596-en.md").exists()


async def test_the_dialog_fits_80x24_in_chinese_and_follows_the_language(app_factory, documents):
    app = app_factory("zh", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        lines = screen_lines(app)
        text = "\n".join(lines)
        for words in ("导出", "范围", "格式", "文件", "当前记录：FT596", "全部：整个格局", "取消", "回车导出"):
            assert words in text, words
        box = app.screen.query_one("#export-box")
        assert box.region.bottom <= SIZE[1] and box.region.right <= SIZE[0]
        for widget in ("#export-write", "#export-cancel", "#export-hint", "#export-path"):
            assert box.region.contains_region(app.screen.query_one(widget).region), widget
        assert dialog_path(app).endswith("carnk-ft596-zh.md")
        await pilot.press("l")  # focus is on the scope choices: the language key
        await settle(pilot)
        assert "This record: FT596" in "\n".join(screen_lines(app))
        assert dialog_path(app).endswith("carnk-ft596-en.md")
        await pilot.press("tab", "tab", "end", "backspace", "backspace", "l")  # in the file name, l is a letter
        await settle(pilot)
        assert dialog_path(app).endswith("carnk-ft596-en.l")
        assert app.lang == "en"


async def test_focus_moves_scope_format_path_buttons(app_factory, documents):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        order = []
        for _ in range(5):
            order.append(app.screen.focused.id)
            await pilot.press("tab")
        assert order == ["export-scope", "export-format", "export-path", "export-write", "export-cancel"]


async def test_marked_rows_scope_writes_only_the_marked_rows(app_factory, kb, documents):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "space", "down", "down", "space", "down", "space")
        await settle(pilot)
        pane = app.screen.query_one(ComparePane)
        marked = pane.marked_ids()
        assert len(marked) == 3
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#export-scope-marked", RadioButton).value
        assert app.screen.query_one("#export-format-csv", RadioButton).value
        await pilot.press("enter")
        await settle(pilot)
        written = (documents / "carnk-compare-marked-en.csv").read_text(encoding="utf-8")
        assert written == compare_csv(kb, "en", marked, pane.columns)  # the marked rows, in the columns shown
        names = [row[0] for row in csv.reader(io.StringIO(written))][1:]
        assert names == [name_of(kb.get(i), "en") for i in marked]


async def test_marked_rows_are_explained_when_none_are_marked(app_factory, documents):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "e")
        await settle(pilot)
        marked = app.screen.query_one("#export-scope-marked", RadioButton)
        assert marked.disabled
        assert "none (mark rows with Space in Compare)" in str(marked.label)
        assert app.screen.query_one("#export-scope-view", RadioButton).value


async def test_this_view_in_compare_is_the_filtered_table_as_csv(app_factory, kb, documents):
    from carnk_tui.views.filters import Filters

    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.filters = Filters(cell_source="ipsc")
        await pilot.press("4", "e", "enter")
        await settle(pilot)
        pane = app.screen.query_one(ComparePane)
        shown = pane.shown_ids()
        written = (documents / "carnk-compare-en.csv").read_text(encoding="utf-8")
        assert written == compare_csv(kb, "en", shown, pane.columns)
        assert {p.id for p in kb.products if p.cell_source == "ipsc"} == set(shown)


# ------------------------------------------------------------ the writing itself (export/view.py, no Textual)
def test_formats_follow_the_scope(kb):
    from carnk_tui.export.view import formats_for

    products = [p.id for p in kb.products[:2]]
    assert formats_for(kb, None) == ("md", "csv", "json")
    assert formats_for(kb, products) == ("md", "csv", "json")
    assert formats_for(kb, [*products, kb.events[0].id]) == ("md", "json")  # CSV is the products table
    assert formats_for(kb, ["no-such-record"]) == ("md",)


def test_write_export_never_replaces_a_file_unless_told(kb, tmp_path):
    from carnk_tui.export.view import write_export

    path = tmp_path / "out.csv"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_export(kb, "en", "csv", ["ft596"], path)
    assert path.read_text(encoding="utf-8") == "mine"
    write_export(kb, "en", "csv", ["ft596"], path, overwrite=True)
    assert [r["id"] for r in csv.DictReader(path.open(encoding="utf-8"))] == ["ft596"]


def test_why_a_file_could_not_be_written_is_said_in_both_languages(kb, tmp_path):
    from carnk_tui.export.view import export_error, write_export

    target = tmp_path / "missing" / "out.md"
    with pytest.raises(OSError) as caught:
        write_export(kb, "zh", "md", ["ft596"], target)
    assert export_error(caught.value, target, "zh") == f"无法写入 {target}：文件夹不存在"
    assert export_error(caught.value, target, "en") == f"Could not write {target}: the folder does not exist"


def test_several_records_as_markdown_follow_the_order_given(kb):
    ids = ["nkx101", "ft596"]
    text_out = render_export(kb, "en", "md", ids)
    assert text_out.startswith(f"# {kb.meta.title.en}\n")
    assert text_out.index("## NKX101") < text_out.index("## FT596")


async def test_a_path_typed_in_the_file_field_and_enter_there(app_factory, kb, documents, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short relative path to type, key by key
    wanted = tmp_path / "mine.md"
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "tab", "tab")  # scope → format → the file field
        await settle(pilot)
        assert app.screen.focused.id == "export-path"
        await pilot.press("end", "ctrl+u", *"mine.md", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert wanted.read_text(encoding="utf-8") == render_export(kb, "en", "md", ["ft596"])


async def test_escape_from_the_file_field_cancels(app_factory, documents):
    app = app_factory("en", open_text="FT596")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e", "tab", "tab", "x", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert list(documents.iterdir()) == []
