"""The search index keeps each distinct line once (issue 15): it must find exactly what the index before
it found, in the same order with the same scores, and the search screen must change its list in place."""

from __future__ import annotations

import random
import re

import pytest
from textual.widgets import Input, OptionList

from carnk_tui.kb.knowledge_base import KnowledgeBase
from carnk_tui.kb.model import Lang, text
from carnk_tui.ui.screens.search import SearchScreen
from carnk_tui.views import search
from carnk_tui.views.search import SearchIndex
from tests import search_reference
from carnk_tui.ui.settle import settle

SIZE = (120, 40)

#: typed one key at a time: every prefix is a query
TYPED = ["cd19", "cd19 b", "robo1", "nkg2d", "bcma", "helix bio", "il-15", "ft96", "ft-596", "car-nk", "nct0",
         "NCT1000", "骨髓瘤", "华", "狼疮", "自身免疫病", "（", "，", "、", "·", "-", "(", "a-", "-a", " b", "phase 1",
         "zzzq", "xq", "Ｃｄ１９", "ß", "straße", "İ"]


def queries(kb: KnowledgeBase, count: int, seed: int) -> list[str]:
    """What readers type, and pieces of the indexed texts: names, aliases, ids, registry numbers, and random
    pieces of one to eight characters of keys and bodies, which start and end anywhere (inside words,
    across word starts and punctuation, in Chinese)."""
    rng = random.Random(seed)
    found = [q[:i] for q in TYPED for i in range(1, len(q) + 1)]
    reference = search_reference.SearchIndex(kb)
    for blob in (reference._keys.blob, reference._bodies.blob):
        for _ in range(count):
            start = rng.randrange(len(blob))
            found.append(blob[start:start + rng.randint(1, 8)])
    records = list(kb.records())
    for record in rng.sample(records, min(count, len(records))):
        record_id: str = record.id  # type: ignore[attr-defined]
        for lang in ("zh", "en"):
            name = text(getattr(record, "name", None) or getattr(record, "title", None), lang) or record_id
            found += [name, name[: rng.randint(1, len(name))], name.upper()]
        found += [record_id, *getattr(record, "aliases", ()), *getattr(record, "registry_ids", ())]
    return found


def shown(hits: list) -> list[tuple]:
    return [(h.id, h.kind, h.score, h.name, h.matched) for h in hits]


def assert_same_as_before(kb: KnowledgeBase, count: int, seed: int, limits: tuple[int, ...]) -> None:
    before, now = search_reference.SearchIndex(kb), SearchIndex(kb)
    assert [(e.id, e.kind, e.name, e.aliases) for e in now.entries] == \
        [(e.id, e.kind, e.name, e.aliases) for e in before.entries]
    for query in queries(kb, count, seed):
        langs: list[tuple[int, Lang]] = [(limits[0], "zh"), *((limit, "en") for limit in limits)]
        for limit, lang in langs:
            assert shown(now.search(query, limit, lang)) == shown(before.search(query, limit, lang)), \
                (query, limit, lang)


def test_the_index_finds_what_it_found_before_on_the_bundled_data(kb):
    assert_same_as_before(kb, 30, seed=15, limits=(30, 100_000))  # (above every count: each kind of match to its end)


def test_the_index_finds_what_it_found_before_on_a_generated_base(generated_kb):
    """1,000 generated products: thousands of records share lines (a company, an indication, a label)."""
    assert_same_as_before(generated_kb, 12, seed=1015, limits=(30, 300))


def test_what_the_last_keystroke_found_never_changes_what_the_next_finds(kb):
    """The index looks only at the lines of the last rare query when the next one holds it; a query typed
    after any other finds what it finds in a new index."""
    index, fresh = SearchIndex(kb), SearchIndex(kb)
    typed = ["l", "lu", "lup", "lupu", "lupus", "lupus n", "lupu", "upus", "k", "狼", "狼疮", "疮", "zz", "zzq"]
    for query in typed + typed[::-1]:
        fresh._keys._few = fresh._bodies._few = (b"\n", [])
        assert shown(index.search(query, 30)) == shown(fresh.search(query, 30)), query


def test_word_starts_are_those_of_the_look_behind_rule():
    """A query starts a word where one of the word breaks is right before it (marked in the index): the
    index finds exactly the lines that a look-behind regular expression finds, whatever the texts."""
    rule = "(?<=[" + re.escape(search._WORD_BREAKS) + "])"
    alphabet = search._WORD_BREAKS + "ab骨\u00df"
    rng = random.Random(15)
    for _ in range(300):
        builder = search._LinesBuilder()
        for record in range(4):
            builder.add(record, "\n".join("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
                                          for _ in range(rng.randint(1, 3))))
        raw = list(builder)
        lines = builder.build()
        for query in ("a", "ab", "a-", "ba", "-a", "aa", "骨", "（a", "a、", " "):
            expected = [n for n, line in enumerate(raw) if re.search(rule + re.escape(query), line)]
            assert list(lines.containing(search._MARK + search._marked(query.encode()))) == expected, (raw, query)
            within = [n for n, line in enumerate(raw) if query in line]
            assert list(lines.containing(search._marked(query.encode()))) == within, (raw, query)


def test_records_come_in_order_from_lines_shared_by_many():
    builder = search._LinesBuilder()
    for record, body in enumerate(["x\nshared", "y", "shared\nz", "x", "z\nshared"]):
        builder.add(record, body)
    lines = builder.build()
    assert list(lines.records(lines.containing(b"shared"))) == [0, 2, 4]
    assert list(lines.records(lines.containing(b"x"))) == [0, 3]
    assert list(lines.records([0, 0, 1, 2, 3])) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("query", ["ft596"])
async def test_the_search_screen_changes_its_list_in_place(app_factory, query):
    """A keystroke that keeps the same records keeps their options (only what the query highlights changes)
    and the first stays highlighted; another set of records replaces them."""
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *query[:-1])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        results = screen.query_one("#search-results", OptionList)
        before = list(results.options)
        ids = [option.id for option in before]
        expected = [hit.id for hit in app.search_index.search(query, limit=30)]
        assert ids == expected[: len(ids)] and len(ids) == len(expected)  # (the last key keeps the records)
        await pilot.press(query[-1])
        await settle(pilot)
        assert [option.id for option in results.options] == ids
        assert all(a is b for a, b in zip(results.options, before, strict=True))  # the same options, in place
        assert results.highlighted == 0
        assert str(results.get_option_at_index(0).prompt).startswith("FT596")
        screen.query_one(Input).value = "zzzzqqq"
        await settle(pilot)
        assert results.option_count == 0
        screen.query_one(Input).value = query
        await settle(pilot)
        assert [option.id for option in results.options] == ids and results.highlighted == 0
