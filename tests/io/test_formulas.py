"""Spreadsheet formulas neutralised in the result CSVs (issue 14, item 5)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.paths import BAD_BASE
from netinnov.io import formulas
from netinnov.io.result_tables import read_table, write_table

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula(cell: str) -> bool:
    """What a spreadsheet would run (OWASP's list of first characters)."""
    return cell.startswith(TRIGGERS)


@pytest.fixture
def guard(monkeypatch):
    monkeypatch.setenv(formulas.ENV, "1")


def test_text_cells_are_quoted_and_numbers_are_not(tmp_path, guard):
    frame = pd.DataFrame({
        "case_id": ["=HYPERLINK(\"http://x\",\"c\")", "+1", "-c", "@SUM(A1)", "\tx", "plain", "'=already"],
        "estimate": [-3.5, -1.0, 2.0, -0.25, 0.0, 1.0, -7.0],
        "n": [-1, 2, 3, -4, 5, 6, 7],
    })
    path = tmp_path / "t.csv"
    write_table(frame, path)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert not [r["case_id"] for r in rows if _is_formula(r["case_id"])]
    assert [r["case_id"][:2] for r in rows[:4]] == ["'=", "'+", "'-", "'@"]
    assert rows[5]["case_id"] == "plain" and rows[6]["case_id"] == "''=already"
    assert [float(r["estimate"]) for r in rows] == frame["estimate"].tolist()  # numbers stay numbers
    assert [r["n"] for r in rows] == [str(v) for v in frame["n"]]
    back = read_table(path)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_without_the_option_nothing_changes(tmp_path, monkeypatch):
    monkeypatch.delenv(formulas.ENV, raising=False)
    frame = pd.DataFrame({"case_id": ["=1+1", "-x"], "v": [1, -2]})
    write_table(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "case_id,v\n=1+1,1\n-x,-2\n"


@given(st.lists(st.text(max_size=8), max_size=12))
def test_neutralize_is_undone_by_restore(values):
    frame = pd.DataFrame({"a": pd.Series(values, dtype=object), "x": np.arange(len(values), dtype=float) - 3})
    out = formulas.neutralize(frame)
    assert not any(_is_formula(v) for v in out["a"])
    pd.testing.assert_frame_equal(formulas.restore(out), frame)


def test_rejected_rows_are_neutralised_too(tmp_path, guard):
    import shutil

    from netinnov.cli import main

    root = tmp_path / "data"
    shutil.copytree(BAD_BASE, root)
    inter = root / "waves" / "w1" / "interactions.csv"
    inter.write_text(inter.read_text(encoding="utf-8") + "c1,a1,=cmd|' /C calc'!A0,1,10,3,email,design,2024-04-01\n",
                     encoding="utf-8")
    out = tmp_path / "results" / "data" / "waves" / "w1"
    assert main(["validate-wave", "--dataset", str(root), "--wave", "w1", "--out", str(out)]) == 0
    with open(out / "rejected.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["target"].startswith("'=cmd")
    assert not [v for r in rows for v in r.values() if _is_formula(v)]
