"""Hostile input: every case is refused with exit status 1, messages naming file and line (and
record and field where the case has them), within 2 seconds of CPU, without a traceback, and without
running anything the file asks for.

Each case builds on a fresh copy of the minimal knowledge base, so that the only thing wrong is
what the case adds. Every case runs twice: in-process through `load()`, and through
``carnk-tui validate DIR [--extra DIR]``; and all of it once with each
parser, the reference (PyYAML) and the fast one (rapidyaml, when installed: it must refuse exactly
what the reference refuses).

Every case runs the command line's `main()` in-process (`call_cli`: its messages and exit status, in
milliseconds); the controls at the end run real ``python -m carnk_tui validate`` children, for what only a
process shows (no traceback reaches the terminal, the 2-second limit includes start-up, no control sequences
are written out).
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable

import pytest
import yaml

from carnk_tui.kb.yaml_reader import PARSER_ENV
from carnk_tui.kb.yaml_values import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from tests.kbtools import BASE, call_cli, copy_minimal, describe, edit, line_of, problems_of, run_cli, write
import itertools

#: CPU seconds (user + system) a case may cost. CPU time, not wall time: on a loaded machine (the suite runs
#: on every core) wall time measures the neighbours; a hang is caught by the children's wall-clock timeout.
LIMIT_SECONDS = 2.0
#: wall-clock seconds after which a `validate` child counts as hung
HANG_SECONDS = 30.0


def children_cpu() -> float:
    """CPU seconds used so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture(autouse=True, params=["reference", "fast", "processes"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here runs with each parser, in-process and in the `validate` children (they inherit it);
    "processes": the fast parser in worker processes for every file, whatever its size."""
    if request.param != "reference":
        from carnk_tui.kb import fast_reader

        if not fast_reader.available():
            pytest.skip("rapidyaml is not installed (pip install 'carnk-tui[fast]')")
    monkeypatch.setenv(PARSER_ENV, "reference" if request.param == "reference" else "fast")
    if request.param == "processes":
        from carnk_tui.kb.parallel import MIN_BYTES_ENV, PROCESSES_ENV

        monkeypatch.setenv(PROCESSES_ENV, "2")
        monkeypatch.setenv(MIN_BYTES_ENV, "0")
    return str(request.param)


@dataclass
class Expect:
    """The problem a case must produce (at least this one; others may come with it)."""

    file: Path
    line: int | tuple[int, ...]  # the line, or the lines any one of which is right
    contains: str | tuple[str, ...] = ()
    record: str | None = None
    field: str | None = None
    extra: tuple[Path, ...] = ()  # further directories: load([main, *extra]), validate MAIN --extra DIR ...
    main: Path | None = None  # instead of the copy of the minimal knowledge base

    @property
    def lines(self) -> tuple[int, ...]:
        return self.line if isinstance(self.line, tuple) else (self.line,)

    @property
    def needles(self) -> tuple[str, ...]:
        return (self.contains,) if isinstance(self.contains, str) else self.contains


Build = Callable[[Path, Path], Expect]  # (copy of the minimal knowledge base, tmp_path) -> what to expect
CASES: list = []


def case(case_id: str, *marks: pytest.MarkDecorator) -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        CASES.append(pytest.param(build, id=case_id, marks=marks))
        return build
    return register


def marker_of(tmp: Path) -> Path:
    """The file a code-execution payload would create."""
    return tmp / "MARKER"


def touch_payload(tmp: Path) -> str:
    return json.dumps(f"touch {marker_of(tmp)}")


def evil_company(name_value: str, *, extra_lines: str = "") -> str:
    """A company record whose name is `name_value` (any YAML)."""
    return (
        "companies:\n"
        "  - id: evil\n"
        "    sources: [src-a]\n"
        f"    name: {name_value}\n"
        "    camp: camp-one\n"
        f"{extra_lines}"
        "    summary: {zh: 恶意, en: evil}\n"
    )


def new_file(kb: Path, name: str, content: str | bytes, marker: str | bytes, *, occurrence: int = 1,
             **expect) -> Expect:
    """Write `content` as a new file of the knowledge base; expect a problem on the line of `marker`."""
    path = write(kb, name, content)
    return Expect(path, line_of(content, marker, occurrence), **expect)


def in_base(kb: Path, old: str, new: str, marker: str, **expect) -> Expect:
    """Edit the fixture's file; expect a problem on the line of `marker`."""
    text = edit(kb / BASE, old, new)
    return Expect(kb / BASE, line_of(text, marker), **expect)


# ---------------------------------------------------------------- YAML syntax, tabs
@case("syntax-unclosed-bracket")
def _(kb: Path, tmp: Path) -> Expect:
    text = edit(kb / BASE, "    name: AcmeCell\n", "    name: [AcmeCell\n")
    line = line_of(text, "[AcmeCell")
    return Expect(kb / BASE, (line, line + 1), "YAML syntax error")


@case("syntax-mapping-in-plain-value")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    name: AcmeCell\n", "    name: Acme: Cell\n", "Acme: Cell", contains="YAML syntax error")


@case("syntax-bad-indentation")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    camp: camp-two\n", "      camp: camp-two\n", "      camp: camp-two",
                   contains="YAML syntax error")


@case("tab-indentation")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    founded: 2015\n", "\tfounded: 2015\n", "\tfounded", contains="YAML syntax error")


@case("tab-indentation-new-file")
def _(kb: Path, tmp: Path) -> Expect:
    content = evil_company("Tabbed").replace("    camp: camp-one\n", "  \t camp: camp-one\n")
    return new_file(kb, "tabs.yaml", content, "\t", contains="YAML syntax error")


@case("crlf-line-endings-keep-lines-right")
def _(kb: Path, tmp: Path) -> Expect:
    text = (kb / BASE).read_text().replace("camp: camp-one", "camp: camp-none")
    (kb / BASE).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return Expect(kb / BASE, line_of(text, "camp-none"), "'camp-none' is not the id of camps", "acme", "camp")


# ---------------------------------------------------------------- schema: types, keys, fields
@case("wrong-type-founded")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "founded: 2015", 'founded: "abc"', '"abc"', contains="Expected `int | null`, got `str`",
                   record="acme", field="founded")


@case("wrong-type-nested-amount")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "{amount: 875000000,", "{amount: [875000000],", "[875000000]",
                   contains="Expected `float`", record="deal-1", field="milestones.amount")


@case("wrong-type-section-not-a-list")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "more.yaml", "# more\nproducts: just one\n", "products:", contains="expected a list of records",
                    field="products")


@case("wrong-type-record-not-a-mapping")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "more.yaml", "companies:\n  - just a name\n", "- just", contains="expected a mapping of fields",
                    record="companies[0]")


@case("unknown-key")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    founded: 2015\n", "    founded: 2015\n    ceo: Wile E. Coyote\n", "ceo:",
                   contains="unknown field", record="acme", field="ceo")


@case("unknown-key-typo")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "cell_source: ipsc", "cellsource: ipsc", "cellsource", record="ac101", field="cellsource",
                   contains=("unknown field", "did you mean 'cell_source'?"))


@case("unknown-section")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "more.yaml", "# mine\nproduct:\n  - id: x\n", "product:", field="product",
                    contains=("unknown section", "did you mean 'products'?"))


@case("missing-field")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    summary: {zh: 一家公司, en: A company}\n", "", "- id: acme", record="acme",
                   field="summary", contains="missing required field")


@case("duplicate-key")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    name: Acme Bio\n", "    name: Acme Bio\n    name: Acme Again\n", "Acme Again",
                   contains="duplicate key 'name'")


# ---------------------------------------------------------------- ids and references
@case("duplicate-id-across-files")
def _(kb: Path, tmp: Path) -> Expect:
    first = line_of((kb / BASE).read_text(), "- id: acme")
    content = evil_company("Acme Again").replace("id: evil", "id: acme")
    return new_file(kb, "zz.yaml", content, "id: acme", record="acme", field="id",
                    contains=f"duplicate id (first defined at {kb / BASE}:{first})")


@case("duplicate-id-in-extra-directory")
def _(kb: Path, tmp: Path) -> Expect:
    extra = tmp / "extra"
    extra.mkdir()
    first = line_of((kb / BASE).read_text(), "- id: bigpharma")
    path = write(extra, "mine.yaml", evil_company("Dup").replace("id: evil", "id: bigpharma"))
    return Expect(path, line_of(path.read_text(), "id: bigpharma"), f"first defined at {kb / BASE}:{first}",
                  "bigpharma", "id", extra=(extra,))


@case("duplicate-id-of-another-kind-in-extra-directory")
def _(kb: Path, tmp: Path) -> Expect:
    extra = tmp / "extra"
    extra.mkdir()
    first = line_of((kb / BASE).read_text(), "- id: ac101\n")
    path = write(extra, "mine.yaml", evil_company("Dup").replace("id: evil", "id: ac101"))
    return Expect(path, line_of(path.read_text(), "id: ac101"), f"first defined at {kb / BASE}:{first}",
                  "ac101", "id", extra=(extra,))


@case("bad-id-characters")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "more.yaml", evil_company("Bad").replace("id: evil", "id: Evil Co"), "id: Evil",
                    record="Evil Co", field="id", contains="ids use lower-case letters")


@case("dangling-reference")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "product: ac101", "product: ac999", "ac999", record="ac101-p1", field="product",
                   contains="'ac999' is not the id of products")


@case("dangling-reference-in-extra-file")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "more.yaml", evil_company("X", extra_lines="    acquired_by: nobody\n"), "nobody",
                    record="evil", field="acquired_by", contains="'nobody' is not the id of companies")


@case("circular-reference")
def _(kb: Path, tmp: Path) -> Expect:
    edit(kb / BASE, "    camp: camp-two\n", "    camp: camp-two\n    acquired_by: acme\n")
    return in_base(kb, "    founded: 2015\n", "    founded: 2015\n    acquired_by: bigpharma\n",
                   "acquired_by: bigpharma", record="acme", field="acquired_by",
                   contains="circular reference: acme -> bigpharma -> acme")


@case("circular-reference-three-files")
def _(kb: Path, tmp: Path) -> Expect:
    write(kb, "c1.yaml", evil_company("C1", extra_lines="    acquired_by: c2\n").replace("id: evil", "id: c1"))
    write(kb, "c2.yaml", evil_company("C2", extra_lines="    acquired_by: c3\n").replace("id: evil", "id: c2"))
    content = evil_company("C3", extra_lines="    acquired_by: c1\n").replace("id: evil", "id: c3")
    return new_file(kb, "c3.yaml", content, "acquired_by", record="c3", field="acquired_by",
                    contains="circular reference: c3 -> c1 -> c2 -> c3")


# ---------------------------------------------------------------- values out of range
@case("percent-over-100")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "percent: 50", "percent: 150", "percent: 150", record="ac101-p1", field="results[0].percent",
                   contains="150% is outside 0-100")


@case("percent-infinite")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "percent: 50", "percent: .inf", "percent: .inf", record="ac101-p1", field="results[0].percent",
                   contains="inf% is outside 0-100")


@case("responders-over-denominator")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "responders: 3", "responders: 9", "responders: 9", record="ac101-p1",
                   field="results[0].responders", contains="9 responders is more than the cohort of 6")


@case("negative-cohort-size")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "        n: 6\n", "        n: -6\n", "- id: high", record="ac101-p1", field="cohorts[0]",
                   contains="n must not be negative")


@case("negative-money")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "{amount: 17500000,", "{amount: -17500000,", "-17500000", record="deal-1", field="upfront",
                   contains="amount must not be negative")


@case("huge-integer-10000-digits")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "founded: 2015", "founded: " + "9" * 10_000, "founded:", record="acme", field="founded",
                   contains="NumberTooLong")


@case("huge-integer-in-a-list")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "targets: [CD19]", "targets: [CD19, " + "7" * 10_000 + "]", "targets:", record="ac101",
                   field="targets[1]", contains="NumberTooLong")


# ---------------------------------------------------------------- tags that would run code
@case("python-object-apply-in-field")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company(f"!!python/object/apply:os.system [{touch_payload(tmp)}]"),
                    "!!python", contains="python/object/apply:os.system' is not allowed")


@case("python-object-apply-top-level")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", f"# boom\n!!python/object/apply:os.system [{touch_payload(tmp)}]\n", "!!python",
                    contains="is not allowed")


@case("python-object-apply-as-key")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", f"companies: []\n? !!python/object/apply:os.system [{touch_payload(tmp)}]\n: x\n",
                    "!!python", contains="is not allowed")


@case("python-object-apply-verbatim-tag")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml",
                    evil_company(f"!<tag:yaml.org,2002:python/object/apply:os.system> [{touch_payload(tmp)}]"),
                    "!<tag", contains="is not allowed")


@case("python-object-apply-tag-directive")
def _(kb: Path, tmp: Path) -> Expect:
    content = ("%TAG !py! tag:yaml.org,2002:python/\n---\n"
               + evil_company(f"!py!object/apply:os.system [{touch_payload(tmp)}]"))
    return new_file(kb, "evil.yaml", content, "!py!object", contains="is not allowed")


@case("python-object-new")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company(f"!!python/object/new:os.system [{touch_payload(tmp)}]"),
                    "!!python", contains="python/object/new:os.system' is not allowed")


@case("python-name")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company("!!python/name:os.system"), "!!python",
                    contains="python/name:os.system' is not allowed")


@case("python-module")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company("!!python/module:os"), "!!python", contains="is not allowed")


@case("binary")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company("!!binary QWNtZQ=="), "!!binary", contains="binary' is not allowed")


@case("set-tag")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company("!!set {a, b}"), "!!set", contains="set' is not allowed")


@case("custom-tag-scalar")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "evil.yaml", evil_company("!foo bar"), "!foo", contains="'!foo' is not allowed")


@case("custom-tag-record")
def _(kb: Path, tmp: Path) -> Expect:
    content = evil_company("Tagged").replace("  - id: evil\n", "  - !foo\n    id: evil\n")
    return new_file(kb, "evil.yaml", content, "!foo", contains="'!foo' is not allowed")


# ---------------------------------------------------------------- anchors and aliases
@case("billion-laughs-9-levels")
def _(kb: Path, tmp: Path) -> Expect:
    names = "abcdefghi"
    lines = ["lol0: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for i, (prev, name) in enumerate(itertools.pairwise(names), start=1):
        lines.append(f"lol{i}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    content = "\n".join(lines) + "\n"
    assert content.count("*") == 8 * 9  # 9 anchors, 8 levels of nine aliases each: 9**9 "lol"s expanded
    path = write(kb, "lol.yaml", content)
    return Expect(path, (line_of(content, "&a"), line_of(content, "*a")), "aliases (*name) are not allowed")


@case("merge-key")
def _(kb: Path, tmp: Path) -> Expect:
    content = (evil_company("Base").replace("  - id: evil\n", "  - &base\n    id: evil\n")
               + "  - <<: *base\n    id: evil2\n")
    path = write(kb, "merge.yaml", content)
    return Expect(path, (line_of(content, "<<"),), "is not allowed")


# ---------------------------------------------------------------- size
@case("file-over-8-mb")
def _(kb: Path, tmp: Path) -> Expect:
    path = write(kb, "big.yaml", b"companies:\n" + b"  - a\n" * (MAX_FILE_BYTES // 6 + 1))
    assert path.stat().st_size > MAX_FILE_BYTES
    return Expect(path, 1, "the limit is 8 MB")


@case("file-of-50-mb")
def _(kb: Path, tmp: Path) -> Expect:
    path = write(kb, "huge.yaml", b"- lol\n" * (50 * 1024 * 1024 // 6))
    assert path.stat().st_size >= 50_000_000
    return Expect(path, 1, ("file is 52.4 MB", "the limit is 8 MB"))


# ---------------------------------------------------------------- encodings and odd files
@case("non-utf8-bytes-mid-file")
def _(kb: Path, tmp: Path) -> Expect:
    raw = (kb / BASE).read_bytes()
    assert raw.count(b"Acme Bio") == 1
    raw = raw.replace(b"Acme Bio", b"Acme \xff\xfeBio")
    (kb / BASE).write_bytes(raw)
    return Expect(kb / BASE, line_of(raw, b"\xff\xfe"), "not valid UTF-8 (byte 0xff")


@case("gbk-encoded-chinese")
def _(kb: Path, tmp: Path) -> Expect:
    content = evil_company("Acme").replace("恶意", "名称").encode("gbk")
    return new_file(kb, "gbk.yaml", content, "名称".encode("gbk"), contains="not valid UTF-8")


@case("utf16-file")
def _(kb: Path, tmp: Path) -> Expect:
    path = write(kb, "utf16.yaml", evil_company("Wide").encode("utf-16"))
    return Expect(path, 1, "not valid UTF-8")


@case("byte-order-mark")
def _(kb: Path, tmp: Path) -> Expect:
    path = write(kb, "bom.yaml", b"\xef\xbb\xbf" + evil_company("BOM").encode("utf-8"))
    return Expect(path, 1, "byte-order mark")


@case("nul-byte")
def _(kb: Path, tmp: Path) -> Expect:
    content = evil_company("Nul\x00l").encode("utf-8")
    return new_file(kb, "nul.yaml", content, b"\x00", contains="NUL character")


@case("empty-file")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(write(kb, "empty.yaml", b""), 1, "file is empty")


@case("only-comments")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(write(kb, "notes.yaml", "# just a note\n# and another\n\n"), 1, "file is empty")


@case("only-document-markers")
def _(kb: Path, tmp: Path) -> Expect:
    # an explicit document holding nothing (null) is an empty file
    return Expect(write(kb, "markers.yml", "---\n...\n"), 1, "file is empty")


# ---------------------------------------------------------------- directories and unreadable files
@case("empty-directory")
def _(kb: Path, tmp: Path) -> Expect:
    empty = tmp / "empty"
    empty.mkdir()
    return Expect(empty, 0, "no YAML files", extra=(empty,))


@case("missing-directory")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(tmp / "nowhere", 0, "data directory does not exist", extra=(tmp / "nowhere",))


@case("missing-main-directory")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(tmp / "nowhere", 0, "data directory does not exist", main=tmp / "nowhere")


@case("file-instead-of-directory")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(kb / BASE, 0, "not a directory", extra=(kb / BASE,))


@case("directory-named-like-a-yaml-file")
def _(kb: Path, tmp: Path) -> Expect:
    (kb / "x.yaml").mkdir()
    return Expect(kb / "x.yaml", 1, "cannot read file")


@case("dangling-symlink")
def _(kb: Path, tmp: Path) -> Expect:
    (kb / "y.yaml").symlink_to(tmp / "gone.yaml")
    return Expect(kb / "y.yaml", 1, "cannot read file")


# ---------------------------------------------------------------- nesting
@case("deep-flow-lists-5000")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "deep.yaml", "# deep\nx: " + "[" * 5000 + "]" * 5000 + "\n", "x:", contains="nest")


@case("deep-flow-mappings-5000")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "deep.yaml", "# deep\nx: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n", "x:", contains="nest")


@case("deep-flow-lists-100")
def _(kb: Path, tmp: Path) -> Expect:  # deeper than MAX_DEPTH, shallower than libyaml's own limit
    return new_file(kb, "deep.yaml", "# deep\nx: " + "[" * 100 + "]" * 100 + "\n", "x:",
                    contains=f"nested more than {MAX_DEPTH} levels deep")


@case("deep-block-lists")
def _(kb: Path, tmp: Path) -> Expect:
    # line k (k >= 2) opens a list nested k-1 levels below the top mapping
    content = "companies:\n" + "".join("  " * i + "-\n" for i in range(1, MAX_DEPTH + 20))
    path = write(kb, "deep.yaml", content)
    return Expect(path, MAX_DEPTH + 2, f"nested more than {MAX_DEPTH} levels deep")


# ---------------------------------------------------------------- document shape
@case("multiple-documents")
def _(kb: Path, tmp: Path) -> Expect:
    content = "companies: []\n---\nproducts: []\n"
    path = write(kb, "two.yaml", content)
    return Expect(path, (line_of(content, "---"), line_of(content, "products")), "only one YAML document per file")


@case("top-level-list")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(write(kb, "list.yaml", "- companies\n- products\n"), 1, "must be a mapping of sections")


@case("top-level-scalar")
def _(kb: Path, tmp: Path) -> Expect:
    return Expect(write(kb, "text.yaml", "# a note\njust some text\n"), 2, "must be a mapping of sections")


@case("non-string-key-int")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "keys.yaml", evil_company("K", extra_lines="    1: one\n"), "1: one",
                    contains="keys must be text, not 1")


@case("non-string-key-yes-is-a-bool")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "keys.yaml", "companies: []\nyes: 1\n", "yes", contains="keys must be text, not True")


@case("non-string-key-null")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "keys.yaml", "companies: []\n~: 1\n", "~", contains="keys must be text, not None")


@case("non-string-key-list")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "keys.yaml", "companies: []\n? [a, b]\n: 1\n", "?", contains="keys must be text")


# ---------------------------------------------------------------- bugs (xfail, strict)
@case("one-line-flow-file")
def _(kb: Path, tmp: Path) -> Expect:
    return new_file(kb, "flow.yaml", "{bogus: 1, companies: [{id: newco}]}\n", "bogus", field="bogus",
                    contains="unknown section")


@case("control-character")
def _(kb: Path, tmp: Path) -> Expect:
    return in_base(kb, "    name: Acme Bio\n", "    name: Acme\x07Bio\n", "Acme\x07Bio", contains="control")


@case("unicode-line-separator")
def _(kb: Path, tmp: Path) -> Expect:
    edit(kb / BASE, "    name: Acme Bio\n", '    name: "Acme\u2028Bio"\n')
    return in_base(kb, "camp: camp-one", "camp: camp-nope", "camp-nope", record="acme", field="camp",
                   contains="'camp-nope' is not the id of camps")


# ---------------------------------------------------------------- the two runs of every case
def _prefixes(expect: Expect) -> list[str]:
    """The starts of the stderr line that reports the expected problem: FILE:LINE: [record: ][field: ]"""
    out = []
    for line in expect.lines:
        parts = [f"{expect.file}:{line}", *(p for p in (expect.record, expect.field) if p)]
        out.append(": ".join(parts) + ": ")
    return out


@pytest.mark.parametrize("build", CASES)
def test_hostile_load(build: Build, tmp_path: Path) -> None:
    kb = copy_minimal(tmp_path)
    expect = build(kb, tmp_path)
    start = time.process_time()
    problems = problems_of([expect.main or kb, *expect.extra])
    elapsed = time.process_time() - start
    assert not marker_of(tmp_path).exists(), "code from the file was executed"
    assert elapsed < LIMIT_SECONDS, f"load() took {elapsed:.2f} s"
    found = [
        p for p in problems
        if p.file == str(expect.file) and p.line in expect.lines
        and (expect.record is None or p.record == expect.record)
        and (expect.field is None or p.field == expect.field)
        and all(n in p.message for n in expect.needles)
    ]
    assert found, f"expected {expect} among:\n{describe(problems)}"
    for problem in problems:
        assert "\n" not in str(problem), f"a problem spans several lines: {str(problem)!r}"


@pytest.mark.parametrize("build", CASES)
def test_hostile_cli(build: Build, tmp_path: Path) -> None:
    kb = copy_minimal(tmp_path)
    expect = build(kb, tmp_path)
    args: list[str | Path] = ["validate", expect.main or kb]
    for extra in expect.extra:
        args += ["--extra", extra]
    start = time.process_time()
    proc = call_cli(*args)
    elapsed = time.process_time() - start
    assert not marker_of(tmp_path).exists(), "code from the file was executed"
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr[-3000:])
    assert elapsed < LIMIT_SECONDS, f"validate took {elapsed:.2f} s"
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines and re.fullmatch(r"\d+ problem\(s\) found; nothing was loaded\.", lines[-1]), proc.stderr[-3000:]
    assert int(lines[-1].split()[0]) == len(lines) - 1, "one line per problem"
    for line in lines[:-1]:
        assert re.match(r".+:\d+: ", line), f"not FILE:LINE: ...: {line!r}"
    prefixes = _prefixes(expect)
    matching = [line for line in lines if line.startswith(tuple(prefixes))
                and all(n in line for n in expect.needles)]
    assert matching, f"no line starting with {prefixes} and containing {expect.needles} in:\n{proc.stderr[-3000:]}"


# ---------------------------------------------------------------- controls and further bugs
def test_unmodified_copy_is_valid(tmp_path: Path) -> None:
    """The cases' copies start valid: whatever they report comes from what the case added."""
    proc = run_cli("validate", copy_minimal(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("valid: ")


@pytest.mark.parametrize("tag", ["apply", "new"])
def test_payloads_would_run_under_an_unsafe_loader(tmp_path: Path, tag: str) -> None:
    """The marker checks above can fail: the same payloads do run when a YAML loader honours tags."""
    marker = marker_of(tmp_path)
    document = evil_company(f"!!python/object/{tag}:os.system [{touch_payload(tmp_path)}]")
    yaml.load(document, Loader=yaml.UnsafeLoader)
    assert marker.exists()


def test_a_problem_line_shows_where_the_marker_would_be(tmp_path: Path) -> None:
    """The full printed form of a hostile-tag problem: FILE:LINE: message, nothing else."""
    kb = copy_minimal(tmp_path)
    content = evil_company(f"!!python/object/apply:os.system [{touch_payload(tmp_path)}]")
    path = write(kb, "evil.yaml", content)
    proc = run_cli("validate", kb)
    assert proc.stderr.splitlines() == [
        f"{path}:{line_of(content, '!!python')}: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        "1 problem(s) found; nothing was loaded.",
    ]


def test_file_just_under_the_size_limit_is_handled_within_2s(tmp_path: Path) -> None:
    kb = copy_minimal(tmp_path)
    path = write(kb, "near.yaml", b"-\n" * ((MAX_FILE_BYTES - 2) // 2))
    assert path.stat().st_size <= MAX_FILE_BYTES
    start = children_cpu()
    try:
        proc = run_cli("validate", kb, timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"validate did not finish within {HANG_SECONDS:.0f} s on a file under the size limit")
    cpu = children_cpu() - start
    assert cpu < LIMIT_SECONDS, f"validate took {cpu:.2f} s of CPU"
    assert proc.returncode == 1
    assert f"{path}:{MAX_VALUES}: more than {MAX_VALUES:,} values in one file" in proc.stderr


def test_control_sequences_from_the_file_are_not_written_to_the_terminal(tmp_path: Path) -> None:
    kb = copy_minimal(tmp_path)
    text = edit(kb / BASE, "camp: camp-one", 'camp: "\\e]0;owned\\a\\e[2J"')
    proc = run_cli("validate", kb)
    assert proc.returncode == 1
    assert f"{kb / BASE}:{line_of(text, 'owned')}: acme: camp: " in proc.stderr
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr


def test_huge_integer_names_record_and_field(tmp_path: Path) -> None:
    kb = copy_minimal(tmp_path)
    text = edit(kb / BASE, "founded: 2015", "founded: " + "9" * 10_000)
    problems = problems_of([kb])
    assert [(p.line, p.record, p.field) for p in problems] == [(line_of(text, "founded:"), "acme", "founded")]
    assert "sys.set_int_max_str_digits" not in problems[0].message
