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
