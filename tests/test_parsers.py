"""The two parsers read alike: rapidyaml (the fast path, when installed) gives exactly the values and
record lines PyYAML (the reference) gives, or hands the file to PyYAML; it never accepts what PyYAML
refuses. Every fixture, the bundled data, a generated base, each hostile case and a corpus of
awkward YAML are read both ways and compared, with types (1, 1.0 and True are told apart)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from carnk_tui.kb import fast_reader
from carnk_tui.kb.loader import load
from carnk_tui.kb.locations import bundled_data_dir
from carnk_tui.kb.yaml_reader import PARSER_ENV, YamlDoc, read_yaml
from carnk_tui.kb.yaml_values import NumberTooLong
from tests.kbtools import FIXTURES, copy_minimal, run_cli
from tests.test_hostile import CASES

if not fast_reader.available():
    pytest.skip("rapidyaml is not installed (pip install 'carnk-tui[fast]')", allow_module_level=True)

RECORD_LINES = 2


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types, all the way down (True == 1 == 1.0 in Python; not here)."""
    if isinstance(a, NumberTooLong) or isinstance(b, NumberTooLong):
        return type(a) is type(b) and a.digits == b.digits
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


Read = tuple[YamlDoc | None, list]


def read_both(file: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Read, Read]:
    monkeypatch.setenv(PARSER_ENV, "reference")
    reference = read_yaml(file, track=RECORD_LINES)
    monkeypatch.setenv(PARSER_ENV, "fast")
    fast = read_yaml(file, track=RECORD_LINES)
    return reference, fast


def assert_alike(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (ref_doc, ref_problems), (fast_doc, fast_problems) = read_both(file, monkeypatch)
    assert fast_problems == ref_problems, file
    if ref_doc is None:
        assert fast_doc is None, f"{file}: the fast path accepted what the reference refuses"
        return
    assert fast_doc is not None, file
    assert same(fast_doc.data, ref_doc.data), file
    assert fast_doc.lines == ref_doc.lines, file


def yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


@pytest.mark.parametrize("file", [*yaml_files(FIXTURES), *yaml_files(bundled_data_dir())], ids=lambda p: p.name)
def test_fixtures_and_bundled_data_read_alike(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_alike(file, monkeypatch)


def test_the_fast_path_reads_the_bundled_data_itself() -> None:
    """Not everything is handed back: the bundled files are read by rapidyaml (a file with a quoted
    year such as "2015" that also stands alone unquoted somewhere may go to the reference)."""
    files = yaml_files(bundled_data_dir())
    read = [f.name for f in files if fast_reader.read_fast(f.read_bytes()) is not None]
    assert len(read) >= len(files) - 2, read



def test_a_generated_base_reads_alike_and_loads_to_equal_records(generated: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    files = yaml_files(generated)
    for file in files:
        assert_alike(file, monkeypatch)
    assert all(fast_reader.read_fast(f.read_bytes()) is not None for f in files), "the fast path handed files back"
    monkeypatch.setenv(PARSER_ENV, "reference")
    reference = load([generated])
    monkeypatch.setenv(PARSER_ENV, "fast")
    fast = load([generated])
    assert fast == reference
    assert fast.origins == reference.origins


@pytest.mark.parametrize("data", [[bundled_data_dir()], [FIXTURES / "minimal"]], ids=["bundled", "minimal"])
def test_loads_give_equal_knowledge_bases(data: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PARSER_ENV, "reference")
    reference = load(data)
    monkeypatch.setenv(PARSER_ENV, "fast")
    fast = load(data)
    assert fast == reference
    assert fast.origins == reference.origins


@pytest.mark.parametrize("build", CASES)
def test_hostile_cases_read_alike(build: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file of each hostile case: the same problems, or the same values and lines."""
    kb = copy_minimal(tmp_path)
    expect = build(kb, tmp_path)
    for directory in (expect.main or kb, *expect.extra):
        if directory.is_dir():
            for file in yaml_files(directory):
                if file.stat().st_size <= 9_000_000:
                    assert_alike(file, monkeypatch)


# ------------------------------------------------------------------ awkward YAML
SCALARS = [
    "1", "-1", "+1", "0", "-0", "017", "08", "0o17", "0x1F", "0b101", "1_000", "12:30", "190:20:30", "1.5", "1.",
    ".5", "-.5", "+.5", "1e3", "1E3", "1e+3", "1.0e3", "1.0e+3", "-1.5e-3", ".5e3", "1_0.5", ".inf", "-.inf", ".Inf",
    ".NaN", ".nan", "NaN", "nan", "inf", "Infinity", "true", "True", "TRUE", "false", "yes", "Yes", "no", "No", "on",
    "off", "y", "n", "null", "Null", "NULL", "~", "", "<<", "=", "2025-01-12", "2025-01-12T10:00:00Z", "2025",
    '"yes"', "'yes'", '"1"', "'1'", '""', "''", '"null"', "'it''s'", '"a\\"b"', '"tab\\tx"', '"nl\\nx"',
    '"u\\u00e9"', '"x\\x41"', '"slash\\/"', '"\\N"', '"\\_"', '"\\e"', '"\\0"', '"\\L"', '"\\P"', '"\\U0001F600"',
    "plain text", "a#b", "a #b", "a:b", "http://x.y/z?a=b&c=d", "R&D", "Merck & Co.", "a*b", "wow!", "50%", "@home",
    "`cmd`", "a|b", "a>b", "-a", "?a", ":a", "%a", "]a", "}a", "中文", "“引号”", "😀", "C:\\dir", "say \"hi\"", "a'b",
    "!foo bar", "!!str 1", "&a x", "*a", "|\n  block", ">\n  folded", "9" * 5000,
]
TEMPLATES = ["k: {}\n", "k: [{}]\n", "k: {{a: {}}}\n", "k:\n  - {}\n", "{}: v\n", "k:\n  {}: v\n", "k: [x, {}, y]\n"]
STRUCTURES = [
    "k: v # c\n", "k: [a, b] # c\n", "k: [a, # c\n  b]\n", "k: {a: b, # c\n  c: d}\n", "k: [a, b, ]\n", "k: [a, , b]\n",
    "k: {a, b: c}\n", "k: [a: b]\n", "k: {a: }\n", "k: {a:}\n", "k: {a:b}\n", '[a, b]: c\n', '{a: b}: c\n',
    "k: [[a], [b]]\n",
    "k: []\n", "k: {}\n", "{}\n", "[]\n", "k:\n", "k:\n  -\n  - a\n", "k:\n- a\n- b\n", "k:\n  - - a\n    - b\n",
    "k:\n  - a: 1\n    b: 2\n  -\n    a: 3\n", "k: a\n  b\n", 'k: "a\n  b"\n', "k: 'a\n\n  b'\n", 'k: "a \\\n  b"\n',
    "k: a\nk: b\n", "k: {a: 1, a: 2}\n", "k: a: b\n", "k: [a\n", "k: }\n", "a: }1\n", "]k: 1\n", "k: v\n---\nj: w\n",
    "--- \nk: v\n", "k: v\n...\n", "? a\n: 1\n", "a: &x 1\nb: *x\n", "a: &x [1]\nb: *x\n",
    "k: !!python/name:os.system\n",
    "%YAML 1.1\n---\nk: v\n", "k: |\n  x\n   y\n", "k: >-\n  x\n\n  y\n", "k:\tv\n", "k: v\r\nj: w\r\n", "k: v\rj: w\n",
    "k: a\u2028b\n", "k: a\x85b\n", "k: \x07\n", "1: a\n", "k: {1: a}\n", "null: 1\n", "k: {~: 1}\n", "k: {: 1}\n",
    "k:\n  - {a: 1,\n     b: 2}\n  - {\n    c: 3}\n", "k:\n  - { \"c\": 3}\n", "k:\n  - \"id\": 3\n",
    "x: " + "[" * 45 + "]" * 45,
    "x: " + "{a: " * 45 + "1" + "}" * 45, "a:\n" + "".join("  " * i + "-\n" for i in range(1, 50)),
]
CORPUS = [t.format(s) for s in SCALARS for t in TEMPLATES] + STRUCTURES


def test_awkward_yaml_reads_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quirks found while building the fast path (rapidyaml rewrites .5, 5., inf and nan in JSON,
    drops tags and anchors, reads "k: }" and "{a: a #b}" as text; PyYAML types yes, ~, 0x1F, 017):
    each is read as PyYAML reads it, or handed to PyYAML."""
    handled = 0
    for number, text in enumerate(CORPUS):
        file = tmp_path / f"case{number}.yaml"
        file.write_bytes(text.encode("utf-8"))
        assert_alike(file, monkeypatch)
        handled += fast_reader.read_fast(file.read_bytes()) is not None
    assert handled > len(CORPUS) // 3  # and it is not a trivial "hand everything back"


def test_rapidyaml_error_messages_do_not_reach_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rapidyaml prints its errors from C; `validate` prints exactly one line per problem."""
    kb = copy_minimal(tmp_path)
    (kb / "bad.yaml").write_text("companies:\n  - id: x\n    name: a: b\n", encoding="utf-8")
    assert fast_reader.read_fast((kb / "bad.yaml").read_bytes()) is None
    monkeypatch.setenv(PARSER_ENV, "fast")
    proc = run_cli("validate", kb)
    lines = proc.stderr.splitlines()
    assert lines[-1] == f"{len(lines) - 1} problem(s) found; nothing was loaded.", proc.stderr
    assert all("ERROR" not in line and "detected here" not in line for line in lines), proc.stderr


def test_comment_lines_are_cut_as_the_regular_expression_cut_them() -> None:
    """`_without_comment_lines` cuts at each "#" of a file with few comments: the same text, or the same
    "a comment after a value", as the regular expression over every line gives (random short texts)."""
    import random

    def by_expression(raw: bytes) -> bytes | None:
        text = fast_reader._COMMENT_LINE.sub(b"\n", b"\n" + raw + b"\n")
        return None if b" #" in text else text

    rng = random.Random(15)
    pieces = [b"#", b" ", b"\n", b"a", b"-", b":", b'"', b"# c\n", b"  #"]
    for _ in range(20_000):
        raw = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert fast_reader._without_comment_lines(raw) == by_expression(raw), raw


# ------------------------------------------------------------------ record lines found in the text
def random_block_list(rng: Any) -> str:
    """A section written as a block list, with what may confuse a scan of the text for its entries:
    quoted texts spread over lines whose lines look like entries, comments, blank lines, entries whose
    value starts on the next line, lists within entries, flow mappings, texts as entries."""
    indent = rng.choice(["", "  ", "    "])
    out = ["# heading\n", "companies:\n"]
    for number in range(rng.randint(0, 12)):
        if rng.random() < 0.15:
            out.append(rng.choice(["\n", f"{indent}# - not an entry\n", "# comment\n"]))
        shape = rng.random()
        if shape < 0.45:
            out.append(f"{indent}- id: c{number}\n")
            if rng.random() < 0.4:  # a line of a quoted text that looks like an entry (rapidyaml refuses the first)
                out.append(rng.choice([f'{indent}  name: "a\n{indent}- b"\n',
                                       f'{indent}  name: "a\n{indent}    - b"\n']))
            if rng.random() < 0.3:
                out.append(f"{indent}  tags:\n{indent}  - x\n{indent}  - y\n")
        elif shape < 0.6:
            out.append(f"{indent}- {{id: c{number},\n{indent}   name: n}}\n")
        elif shape < 0.7:
            out.append(f"{indent}-\n{indent}  id: c{number}\n")  # the value on the next line
        elif shape < 0.8:
            out.append(f"{indent}- text {number}\n")
        elif shape < 0.9:
            out.append(f"{indent}- - a\n{indent}  - b\n")
        else:
            out.append(f"{indent}- # a comment\n{indent}  id: c{number}\n")
    out.append(rng.choice(["", "products: []\n", "meta:\n  a: 1\n"]))
    return "".join(out)


def test_record_lines_found_in_the_text_are_those_of_the_reference(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The entries of a block list are found by a scan of the text (no call to rapidyaml per record): on
    random lists with lines that look like entries, the lines are the reference's, or the file goes to it."""
    import random

    rng = random.Random(1515)
    scanned = 0
    for number in range(300):
        text = random_block_list(rng)
        file = tmp_path / f"list{number}.yaml"
        file.write_text(text, encoding="utf-8")
        assert_alike(file, monkeypatch)
        raw = text.encode("utf-8")
        at = raw.find(b"companies:")
        end = raw.find(b"\nproducts:") + 1 or raw.find(b"\nmeta:") + 1 or len(raw)
        entries = fast_reader._entry_starts(raw, at, end, 10**6)  # a count no list has: never a yes
        assert entries is None
        scanned += fast_reader.read_fast(raw) is not None
    assert scanned > 50


def test_a_line_of_quoted_text_that_looks_like_an_entry_sends_the_scan_back_to_the_tree() -> None:
    """(rapidyaml refuses such a line where PyYAML reads it: the scan's own test is the only one it meets.)"""
    raw = b'companies:\n- id: a\n  name: "x\n- y"\n- id: b\n'
    assert fast_reader._entry_starts(raw, 0, len(raw), 2) is None  # three look like entries: the tree decides
    valueless = b"companies:\n- id: a\n-\n  id: b\n"
    assert fast_reader._entry_starts(valueless, 0, len(valueless), 2) is None  # a value on the next line
    plain = b"companies:\n  - id: a\n    name: x\n  - {id: b}\n"
    assert fast_reader._entry_starts(plain, 0, len(plain), 2) == [plain.index(b"  - id"), plain.index(b"  - {id")]


def test_a_kept_tree_and_buffer_read_each_file_as_fresh_ones_do() -> None:
    """A worker keeps one rapidyaml tree and one JSON buffer for all its files (cleared between them)."""
    scratch = fast_reader.Scratch()
    files = [*yaml_files(bundled_data_dir()), *yaml_files(FIXTURES)]
    for file in [*files, *reversed(files)]:
        raw = file.read_bytes()
        fresh = fast_reader.read_json(raw, values=False)
        kept = fast_reader.read_json(raw, values=False, scratch=scratch)
        assert (fresh is None) == (kept is None), file
        if fresh is not None and kept is not None:
            assert (fresh.json, fresh.lines, fresh.nodes) == (kept.json, kept.lines, kept.nodes), file


def test_json_emitted_into_a_buffer_too_small_is_emitted_again() -> None:
    import ryml

    raw = (bundled_data_dir() / "companies.yaml").read_bytes()
    buffer = bytearray(raw)
    tree = ryml.parse_in_place(buffer)
    expected = bytes(ryml.emit_json_in_place(tree, bytearray(ryml.compute_json_length(tree))))
    assert len(expected) > 4096 + 10
    assert fast_reader._emit_json(tree, 0, None) == expected  # a guess of 4,096 bytes: emitted twice
    assert fast_reader._emit_json(tree, len(raw), None) == expected
