"""Smoke check of the benchmark generator. Not in the test suite (testpaths = tests); run it explicitly:

    python -m pytest benchmarks/test_make_kb.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_kb

from carnk_tui.kb.loader import load

N = 60


def test_generated_base_loads_with_the_size_rule(tmp_path: Path) -> None:
    make_kb.generate(N, tmp_path / "kb")
    kb = load([tmp_path / "kb"])
    counts = kb.counts()
    assert counts["products"] == N
    assert counts["companies"] == N // 3
    assert counts["trials"] == 2 * N
    assert counts["deals"] == N // 5
    assert counts["events"] == N // 2
    assert counts["camps"] == 3
    assert counts["challenges"] > 0 and counts["directions"] > 0
    # figures are consistent (the loader checks them too; this says what the generator promises)
    for trial in kb.trials:
        sizes = {c.id: c.n for c in trial.cohorts}
        for result in trial.results:
            if result.denominator is not None:
                assert result.responders is not None and 0 <= result.responders <= result.denominator
                assert sizes[result.cohort] is not None and result.denominator <= sizes[result.cohort]
                # rounded to one decimal
                assert abs(result.percent - 100 * result.responders / result.denominator) <= 0.05 + 1e-9
    # both languages, and some long texts
    assert any(len(p.summary.zh) >= 150 and len(p.summary.en) >= 300 for p in kb.products)


def test_deterministic_and_refuses_to_overwrite(tmp_path: Path) -> None:
    make_kb.generate(N, tmp_path / "a")
    make_kb.generate(N, tmp_path / "b")
    for file in sorted((tmp_path / "a").iterdir()):
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes()
    with pytest.raises(FileExistsError):
        make_kb.generate(N, tmp_path / "a")
    make_kb.generate(N + 3, tmp_path / "a", force=True)
    assert load([tmp_path / "a"]).counts()["products"] == N + 3


def test_writer_means_what_pyyaml_reads() -> None:
    data = {"x": [{"id": "a", "name": {"zh": "名字: \"引号\"", "en": "it's #1\n- not a list"},
                   "n": 3, "p": 12.5, "ok": True, "none": None, "ids": ["NCT1", "2025-04"],
                   "nested": [{"zh": "甲", "en": "A"}], "deep": {"a": 1, "b": [1, 2], "c": {"d": "e"}}}]}
    assert yaml.safe_load(make_kb.to_yaml(data)) == data
