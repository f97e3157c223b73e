"""The Landscape tree: camps, companies, products, trials and deals, filled in as nodes open."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from carnk_tui.views import landscape_tree as shape
from carnk_tui.views.filters import Filters
from carnk_tui.views.i18n import t
from carnk_tui.views.linebreak import ellipsize
from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang


#: children shown at once under one node; a "… N more" node shows the next page
PAGE = 200
MORE_PREFIX = "more:"


class CampTree(Tree[str]):
    """Node data is the record id (or a deals-group key, or "more:<parent key>" for the next page of
    a long list). Children are added when a node first opens, a page at a time."""

    BINDINGS = [
        Binding("right", "open_node", "Open", id="tree.open"),
        Binding("left", "close_node", "Close", id="tree.close"),
    ]

    def __init__(self, kb: KnowledgeBase, lang: Lang, *, id: str | None = None) -> None:
        super().__init__("root", id=id)
        self.kb = kb
        self.lang: Lang = lang
        self.show_root = False
        self.guide_depth = 2
        self._filled: set[str] = set()
        self._rest: dict[str, list[shape.NodeSpec]] = {}  # parent key -> children not shown yet
        self.filters = Filters()

    def on_mount(self) -> None:
        self.rebuild(self.kb, self.lang)
        first = self._first_record_node()
        if first is not None:  # start on the first camp, so the detail pane is never empty
            self.call_after_refresh(self.move_cursor, first)

    def _first_record_node(self) -> TreeNode[str] | None:
        """The first camp shown (not the filters' note)."""
        return next((node for node in self.root.children if node.data is not None), None)

    def rebuild(self, kb: KnowledgeBase, lang: Lang) -> None:
        self.kb, self.lang = kb, lang
        self.clear()
        self._filled.clear()
        self._rest.clear()
        note = shape.filter_note(kb, lang, self.filters)
        if note:
            self.root.add_leaf(Text(note, style="bold"))
        for spec in shape.roots(kb, lang, self.filters):
            self.root.add(Text(spec.label), data=spec.key, allow_expand=spec.expandable)

    def show(self, kb: KnowledgeBase, lang: Lang, filters: Filters, keep: str | None) -> str | None:
        """Show `kb` in `lang` through `filters`, doing only what changed; keep `keep` selected.

        Returns the record the cursor is on (None when nothing matches the filters)."""
        if kb is self.kb and filters == self.filters:
            if lang != self.lang:
                self.relabel(lang)
            return keep
        self.kb, self.lang = kb, lang
        return self.apply_filters(filters, keep)

    def apply_filters(self, filters: Filters, keep: str | None) -> str | None:
        """Show only what the filters let through; keep `keep` selected when it is still there.

        Returns the record the cursor goes to (None when nothing matches)."""
        self.filters = filters
        expanded = self._expanded_keys()
        self.rebuild(self.kb, self.lang)
        self._expand_keys(expanded)
        target = keep if keep and shape.visible(keep, self.kb, filters) else None
        if target is not None and self.reveal(target):
            return target
        first = self._first_record_node()
        if first is None:
            return None
        self.call_after_refresh(self.move_cursor, first)
        return first.data

    def _expanded_keys(self) -> set[str]:
        keys, stack = set(), list(self.root.children)
        while stack:
            node = stack.pop()
            if node.is_expanded and node.data is not None:
                keys.add(node.data)
                stack.extend(node.children)
        return keys

    def _expand_keys(self, keys: set[str]) -> None:
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data in keys:
                self.fill(node)
                node.expand()
                stack.extend(node.children)

    def relabel(self, lang: Lang) -> None:
        """Show every label in another language, keeping what is open and selected."""
        self.lang = lang
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is None and node.parent is self.root:  # the filters' note
                node.set_label(Text(shape.filter_note(self.kb, lang, self.filters), style="bold"))
            elif node.data is not None and node.data.startswith(MORE_PREFIX):
                node.set_label(self._more_label(node.data[len(MORE_PREFIX):]))
            elif node.data is not None:
                node.set_label(Text(shape.node_label(node.data, self.kb, lang, self.filters)))
            stack.extend(node.children)

    def fill(self, node: TreeNode[str]) -> None:
        if node.data is None or node.data in self._filled:
            return
        self._filled.add(node.data)
        self._add_page(node, shape.children(node.data, self.kb, self.lang, self.filters))

    def _add_page(self, node: TreeNode[str], specs: list[shape.NodeSpec]) -> None:
        for spec in specs[:PAGE]:
            node.add(Text(spec.label), data=spec.key, allow_expand=spec.expandable)
        if len(specs) > PAGE and node.data is not None:
            self._rest[node.data] = specs[PAGE:]
            node.add_leaf(self._more_label(node.data), data=MORE_PREFIX + node.data)

    def _more_label(self, parent_key: str) -> Text:
        return Text(t("tree.more", self.lang, n=str(len(self._rest.get(parent_key, ())))), style="italic")

    def show_more(self, more: TreeNode[str]) -> None:
        """Replace a "… N more" node with the next page of its parent's children."""
        parent = more.parent
        if parent is None or parent.data is None:
            return
        rest = self._rest.pop(parent.data, [])
        more.remove()
        self._add_page(parent, rest)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, cut with "…" where the tree is too narrow for it (never cut silently)."""
        label = super().render_label(node, base_style, style)
        level, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            level, parent = level + 1, parent.parent
        room = self.scrollable_content_region.width - self.guide_depth * level
        if room <= 0 or label.cell_len <= room:
            return label
        kept = len(ellipsize(label.plain, room)) - 1
        return Text.assemble(label[:kept], "…", style=label.style)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.fill(event.node)

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        if event.node.data and event.node.data.startswith(MORE_PREFIX):
            first_new = len(event.node.parent.children) - 1 if event.node.parent else 0
            parent = event.node.parent
            self.show_more(event.node)
            if parent is not None and first_new < len(parent.children):
                self.call_after_refresh(self.move_cursor, parent.children[first_new])

    def node_for(self, record_id: str) -> TreeNode[str] | None:
        """Open the tree down to a record's node and return it (None when it has no node)."""
        path = shape.path_to(record_id, self.kb)
        if not path:
            return None
        node = self.root
        for key in path:
            match = next((child for child in node.children if child.data == key), None)
            while match is None and node.children and (node.children[-1].data or "").startswith(MORE_PREFIX):
                self.show_more(node.children[-1])  # the record is on a later page
                match = next((child for child in node.children if child.data == key), None)
            if match is None:
                return None
            if key != path[-1]:
                self.fill(match)
                match.expand()
            node = match
        return node

    def reveal(self, record_id: str) -> bool:
        """Move the cursor to a record's node; False when it has none."""
        node = self.node_for(record_id)
        if node is None:
            return False
        self.call_after_refresh(self.move_cursor, node)
        return True

    def action_open_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            if node.is_expanded and node.children:
                self.action_cursor_down()
            else:
                node.expand()

    def action_close_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
