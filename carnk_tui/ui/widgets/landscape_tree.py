"""The Landscape tree: camps, companies, products, trials and deals, filled in as nodes open."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
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

    #: the width of the lines, and what it was found for (`_width`; class defaults: Textual's `Tree.__init__`
    #: measures the root before this class's own `__init__` runs)
    _width_key: tuple[object, ...] | None = None
    _width_cells = 0
    #: the widget's style while it paints (`render_lines`), else None
    _painting: Style | None = None

    def __init__(self, kb: KnowledgeBase, lang: Lang, *, id: str | None = None) -> None:
        super().__init__("root", id=id)
        self.kb = kb
        self.lang: Lang = lang
        self.show_root = False
        self.guide_depth = 2
        self._filled: set[str] = set()
        self._rest: dict[str, Sequence[shape.NodeSpec]] = {}  # parent key -> children not shown yet
        self.filters = Filters()
        #: nodes the app put the cursor on (not the user), whose highlight has not arrived yet
        self._placed: list[TreeNode[str]] = []

    def on_mount(self) -> None:
        self.rebuild(self.kb, self.lang)
        first = self._first_record_node()
        if first is not None:  # start on the first camp, so the detail pane is never empty
            self.call_after_refresh(self.place_cursor, first)

    def place_cursor(self, node: TreeNode[str]) -> None:
        """Put the cursor on `node` for the user (opening a record, keeping one through a filter)."""
        self._placed = [*self._placed[-3:], node]
        self.move_cursor(node)

    def placed(self, node: TreeNode[str]) -> bool:
        """Whether the cursor arrived on `node` because the app put it there (asked once per highlight)."""
        if node in self._placed:
            self._placed.remove(node)
            return True
        return False

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

        The tree is updated in place: nodes that stay keep their state (open or closed, the pages of a
        long list listed) and only the labels and counts that differ change; nodes the filters hide
        are removed and those they let through again added where they belong.
        Returns the record the cursor goes to (None when nothing matches)."""
        self.filters = filters
        self._sync_roots()
        target = keep if keep and shape.visible(keep, self.kb, filters) else None
        if target is not None and self.reveal(target):
            return target
        first = self._first_record_node()
        if first is None:
            return None
        self.call_after_refresh(self.place_cursor, first)
        return first.data

    def _sync_roots(self) -> None:
        root = self.root
        note = shape.filter_note(self.kb, self.lang, self.filters)
        has_note = bool(root.children) and root.children[0].data is None
        if note and has_note:
            self._set_label(root.children[0], Text(note, style="bold"))
        elif note:
            root.add_leaf(Text(note, style="bold"), before=0)
        elif has_note:
            root.children[0].remove()
        self._sync(root, shape.roots(self.kb, self.lang, self.filters), paged=False)

    def _sync(self, node: TreeNode[str], specs: Sequence[shape.NodeSpec], paged: bool = True) -> None:
        """Make `node`'s children those of `specs` (in their order), changing only what differs.

        Children are matched by key; a long list keeps as many listed as before (at least a page)."""
        current = [child for child in node.children if child.data is not None]  # (not the filters' note)
        more = None
        if current and current[-1].data.startswith(MORE_PREFIX):  # type: ignore[union-attr]
            more = current.pop()
        if paged:
            shown = max(PAGE, len(current))
            listed, rest = list(specs[:shown]), specs[shown:]
        else:
            listed, rest = list(specs), []
        wanted = {spec.key for spec in listed}
        kept = []
        for child in current:
            if child.data in wanted:
                kept.append(child)
            else:
                self._forget(child)
                child.remove()
        at = 0
        for spec in listed:
            if at < len(kept) and kept[at].data == spec.key:
                self._update(kept[at], spec)
                at += 1
            else:
                before = kept[at] if at < len(kept) else more
                if before is not None:
                    node.add(Text(spec.label), data=spec.key, allow_expand=spec.expandable, before=before)
                else:
                    node.add(Text(spec.label), data=spec.key, allow_expand=spec.expandable)
        for child in kept[at:]:  # (only when the order changed)
            self._forget(child)
            child.remove()
        key = node.data
        if rest and key is not None:
            self._rest[key] = rest
            if more is None:
                node.add_leaf(self._more_label(key), data=MORE_PREFIX + key)
            else:
                self._set_label(more, self._more_label(key))
        else:
            if key is not None:
                self._rest.pop(key, None)
            if more is not None:
                more.remove()

    def _update(self, node: TreeNode[str], spec: shape.NodeSpec) -> None:
        """A node that stays: its label and whether it opens, and its children if they are listed."""
        self._set_label(node, Text(spec.label))
        if node.allow_expand != spec.expandable:
            node.allow_expand = spec.expandable
        key = node.data
        if key is None or key not in self._filled:
            return
        if node.is_expanded and spec.expandable:
            self._sync(node, shape.children(key, self.kb, self.lang, self.filters))
        else:  # closed: listed again when it next opens
            if node.is_expanded:
                node.collapse()
            for child in node.children:
                self._forget(child)
            self._filled.discard(key)
            self._rest.pop(key, None)
            node.remove_children()

    @staticmethod
    def _set_label(node: TreeNode[str], label: Text) -> None:
        current = node.label
        if not isinstance(current, Text) or current.plain != label.plain or current.style != label.style:
            node.set_label(label)

    def _forget(self, node: TreeNode[str]) -> None:
        """Drop what is remembered of a node and the nodes under it (it is being removed)."""
        stack = [node]
        while stack:
            item = stack.pop()
            if item.data is not None:
                self._filled.discard(item.data)
                self._rest.pop(item.data, None)
            stack.extend(item.children)

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

    def _add_page(self, node: TreeNode[str], specs: Sequence[shape.NodeSpec]) -> None:
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
        listed = sum(1 for child in parent.children if child is not more)
        self._rest.pop(parent.data, None)
        more.remove()
        # labelled now, in the language and through the filters shown now (not those of the first page)
        self._add_page(parent, shape.children(parent.data, self.kb, self.lang, self.filters)[listed:])

    def _room(self, node: TreeNode[str]) -> int:
        """Cells left for a node's label after the guides of its level."""
        level, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            level, parent = level + 1, parent.parent
        return self._width() - self.guide_depth * level

    def _width(self) -> int:
        """The width of the tree's lines, found again only when the tree's size or its scroll bars change (asked
        for every line painted and every line measured: the widget's region is looked up on the screen)."""
        key = (self.outer_size, self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        if self._width_key != key:
            self._width_key, self._width_cells = key, self.scrollable_content_region.width
        return self._width_cells

    @property
    def rich_style(self) -> Style:
        """The widget's style: found once per paint, not once per line painted (it walks the ancestors' styles)."""
        return self._painting if self._painting is not None else super().rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._painting = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, cut with "…" where the tree is too narrow for it (never cut silently)."""
        label = super().render_label(node, base_style, style)
        room = self._room(node)
        if room <= 0 or label.cell_len <= room:
            return label
        kept = len(ellipsize(label.plain, room)) - 1
        return Text.assemble(label[:kept], "…", style=label.style)

    def get_label_width(self, node: TreeNode[str]) -> int:
        """What `render_label` would measure, without drawing the label (asked for every line whenever the
        tree changes: 1,300 lines with a large camp open)."""
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(str(label))
        if node.allow_expand:
            width += cell_len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE)
        room = self._room(node)
        return width if room <= 0 or width <= room else room

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
        self.call_after_refresh(self.place_cursor, node)
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
