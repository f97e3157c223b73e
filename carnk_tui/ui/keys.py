"""Every key the app answers to: what each binding is called in both languages, by its id, and how
keys are written for people. The footer, the help screen and the command palette read this.

A binding of ours has an `id`; a binding of one of Textual's widgets has none, so it is named
"<widget class>.<action>" here. Descriptions are found by that id, never by their English text: the
search screen's "Results" (its hits) and the Results tab are different words in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.keys import format_key

from carnk_tui.kb.model import Lang

#: binding id -> (Chinese, English)
KEY_TEXT: dict[str, tuple[str, str]] = {
    # everywhere
    "app.quit": ("退出", "Quit"),
    "app.language": ("语言", "Language"),
    "app.help": ("帮助", "Help"),
    "app.reload": ("重新载入", "Reload"),
    "app.next_pane": ("下一窗格", "Next pane"),
    "app.previous_pane": ("上一窗格", "Previous pane"),
    "app.palette": ("命令面板", "palette"),
    # the main screen
    "main.tab.overview": ("概览", "Overview"),
    "main.tab.landscape": ("格局", "Landscape"),
    "main.tab.outlook": ("挑战与展望", "Challenges & Outlook"),
    "main.tab.compare": ("对比", "Compare"),
    "main.tab.timeline": ("时间线", "Timeline"),
    "main.tab.results": ("疗效", "Results"),
    "main.tab.figures": ("数据（统计）", "Figures (dashboard)"),
    "main.figures.pipeline": ("研发管线", "Pipeline"),
    "main.figures.deals": ("交易表", "Deals"),
    "main.search": ("搜索", "Search"),
    "main.filters": ("筛选", "Filter"),
    "main.clear_filters": ("清除筛选", "Clear filters"),
    "main.back": ("后退", "Back"),
    "main.forward": ("前进", "Forward"),
    "main.export": ("导出", "Export"),
    "main.copy": ("复制到剪贴板", "Copy to the clipboard"),
    "main.present": ("演示", "Present"),
    # landscape tree and detail pane
    "tree.open": ("展开", "Open"),
    "tree.close": ("收起", "Close"),
    "detail.links": ("链接", "Links"),
    # compare tab and the side-by-side screen
    "compare.mark": ("标记", "Mark"),
    "compare.sort": ("排序", "Sort"),
    "compare.compare": ("并排对比", "Compare"),
    "compare.reverse": ("反向排序", "Reverse sort"),
    "compare.columns": ("选择列", "Columns"),
    "columns.done": ("完成", "Done"),
    "side.close": ("返回", "Back"),
    # the Figures tab: pipeline chart and deals table
    "pipeline.group": ("分组", "Group"),
    "deals.sort": ("排序", "Sort"),
    "deals.totals": ("合计", "Totals"),
    # search screen
    "search.back": ("返回", "Back"),
    "search.to_results": ("到结果列表", "Results"),
    # filter screen
    "filters.back": ("返回", "Back"),
    "filters.apply": ("应用", "Apply"),
    # presentation
    "present.next": ("下一张", "Next"),
    "present.previous": ("上一张", "Previous"),
    "present.first": ("第一张", "First"),
    "present.last": ("最后一张", "Last"),
    "present.goto": ("跳到第几张", "Go to slide"),
    "present.scroll_down": ("下滚", "Scroll down"),
    "present.scroll_up": ("上滚", "Scroll up"),
    "present.close": ("返回", "Back"),
    "present.quit": ("退出", "Quit"),
    # the export dialog
    "export.write": ("导出", "Export"),
    "export.cancel": ("取消", "Cancel"),
    # help screen
    "help.close": ("关闭", "Close"),
    # the Results tab's list
    "results.up": ("上移", "Up"),
    "results.down": ("下移", "Down"),
    "results.page_up": ("上一页", "Page up"),
    "results.page_down": ("下一页", "Page down"),
    "results.first": ("第一项", "First"),
    "results.last": ("最后一项", "Last"),
    "results.open": ("打开试验", "Open trial"),
    # Textual's own widgets (named "<class>.<action>")
    "Tree.cursor_up": ("上移", "Up"),
    "Tree.cursor_down": ("下移", "Down"),
    "Tree.select_cursor": ("选择", "Select"),
    "Tree.toggle_node": ("展开/收起", "Expand or collapse"),
    "Tree.toggle_expand_all": ("全部展开/收起", "Expand or collapse all"),
    "Tree.cursor_parent": ("跳到上级", "To the parent"),
    "Tree.cursor_parent_next_sibling": ("跳到上级的下一项", "To the parent's next sibling"),
    "Tree.cursor_previous_sibling": ("上一个同级", "Previous sibling"),
    "Tree.cursor_next_sibling": ("下一个同级", "Next sibling"),
    "OptionList.cursor_up": ("上移", "Up"),
    "OptionList.cursor_down": ("下移", "Down"),
    "OptionList.first": ("第一项", "First"),
    "OptionList.last": ("最后一项", "Last"),
    "OptionList.page_up": ("上一页", "Page up"),
    "OptionList.page_down": ("下一页", "Page down"),
    "OptionList.select": ("打开", "Open"),
    "DataTable.cursor_up": ("上移", "Up"),
    "DataTable.cursor_down": ("下移", "Down"),
    "DataTable.cursor_left": ("左移", "Left"),
    "DataTable.cursor_right": ("右移", "Right"),
    "DataTable.page_up": ("上一页", "Page up"),
    "DataTable.page_down": ("下一页", "Page down"),
    "DataTable.select_cursor": ("打开", "Open"),
    "DataTable.scroll_top": ("顶部", "Top"),
    "DataTable.scroll_bottom": ("底部", "Bottom"),
    "DataTable.scroll_home": ("行首", "Start of row"),
    "DataTable.scroll_end": ("行尾", "End of row"),
}

#: how keys are written for people (Chinese, English), where Textual's spelling is not enough
_KEY_NAMES: dict[str, tuple[str, str]] = {
    "space": ("空格", "Space"),
    "enter": ("回车", "Enter"),
    "escape": ("Esc", "Esc"),
    "tab": ("Tab", "Tab"),
    "pageup": ("PgUp", "PgUp"),
    "pagedown": ("PgDn", "PgDn"),
    "home": ("Home", "Home"),
    "end": ("End", "End"),
}
_MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt", "super": "Super"}

#: interface words of the key screens and the palette (Chinese, English)
_WORDS: dict[str, tuple[str, str]] = {
    "help.title": ("快捷键", "Keys"),
    "help.app": ("全局", "Everywhere"),
    "help.tabs": ("标签页与记录", "Tabs and records"),
    "help.tree": ("格局树", "Landscape tree"),
    "help.detail": ("详情窗格与列表", "Detail pane and lists"),
    "help.compare": ("对比表", "Compare table"),
    "help.figures": ("数据：管线与交易", "Figures: pipeline and deals"),
    "help.side": ("并排对比", "Side by side"),
    "help.columns": ("对比表的列", "Compare columns"),
    "help.search": ("搜索", "Search"),
    "help.filters": ("筛选", "Filters"),
    "help.present": ("演示", "Presentation"),
    "help.export": ("导出对话框", "Export dialog"),
    "help.help": ("本页", "This screen"),
    "palette.placeholder": ("搜索命令或记录……", "Search for commands…"),
    "palette.themes": ("搜索主题……", "Search for themes…"),
    "cmd.theme": ("主题", "Theme"),
    "cmd.theme.help": ("更换配色主题", "Change the current theme"),
    "cmd.quit": ("退出", "Quit"),
    "cmd.quit.help": ("立即退出程序", "Quit the application"),
    "cmd.keys": ("快捷键", "Keys"),
    "cmd.keys.help": ("列出每个位置可用的按键", "Every key, by where it works"),
    "cmd.maximize": ("最大化", "Maximize"),
    "cmd.maximize.help": ("最大化当前窗格", "Maximize the focused pane"),
    "cmd.minimize": ("还原", "Minimize"),
    "cmd.minimize.help": ("窗格恢复正常大小", "Restore the pane to its normal size"),
    "cmd.screenshot": ("截图", "Screenshot"),
    "cmd.screenshot.help": ("把当前屏幕保存为 SVG 图片", "Save an SVG picture of the screen"),
    "cmd.key.help": ("快捷键 {keys}", "Key {keys}"),
    "quit.title": ("要退出吗？", "Do you want to quit?"),
    "quit.how": ("按 {keys} 退出", "Press {keys} to quit the app"),
}


def word(key: str, lang: Lang, **fields: str) -> str:
    """An interface word of the key screens and the palette."""
    pair = _WORDS.get(key)
    value = key if pair is None else pair[0] if lang == "zh" else pair[1]
    return value.format(**fields) if fields else value


def binding_id(binding: Binding, owner: type | None = None) -> str:
    """A binding's id; for Textual's own widgets, which give none, "<class>.<action>"."""
    if binding.id:
        return binding.id
    return f"{owner.__name__}.{binding.action}" if owner is not None else binding.action


def describe(binding: Binding, lang: Lang, owner: type | None = None) -> str:
    """What a binding does, in the interface language (its own description when it is not listed)."""
    pair = KEY_TEXT.get(binding_id(binding, owner))
    if pair is None:
        return binding.description
    return pair[0] if lang == "zh" else pair[1]


def key_name(key: str, lang: Lang = "en") -> str:
    """A key as the user types it: '/' for slash, '[' for left_square_bracket, 'Ctrl+P' for ctrl+p."""
    *modifiers, last = key.split("+") if key != "+" else [key]
    if last in _KEY_NAMES:
        name = _KEY_NAMES[last][0 if lang == "zh" else 1]
    else:
        name = format_key(last)
        name = name.upper() if modifiers and len(name) == 1 else name
    return "+".join([*(_MODIFIERS.get(m, m) for m in modifiers), name])


def keys_of(binding: Binding, lang: Lang = "en") -> str:
    """Every key of a binding, as typed: '[ / Alt+←'."""
    return " / ".join(key_name(k.strip(), lang) for k in binding.key.split(","))


def footer_key(binding: Binding, lang: Lang) -> str:
    """A binding's first key in the footer's short form: '/', '^p', '空格'."""
    first = binding.key.split(",")[0].strip()
    if first.startswith("ctrl+") and first.count("+") == 1:
        return "^" + format_key(first[len("ctrl+"):])
    return binding.key_display or key_name(first, lang)


def as_bindings(items: Iterable[BindingType]) -> list[Binding]:
    """BINDINGS entries as Binding objects (tuples included)."""
    out: list[Binding] = []
    for item in items:
        if isinstance(item, Binding):
            out.append(item)
        else:
            out.append(Binding(*item))
    return out


@dataclass(frozen=True)
class KeyLine:
    """One line of the help: the keys and what they do."""

    keys: str
    description: str


def describe_bindings(items: Iterable[BindingType], lang: Lang, owner: type | None = None) -> list[KeyLine]:
    """The help's lines for one BINDINGS list: every binding with a description, keys as typed."""
    return [KeyLine(keys_of(b, lang), describe(b, lang, owner)) for b in as_bindings(items) if b.description]
