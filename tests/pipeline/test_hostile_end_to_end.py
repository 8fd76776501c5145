"""Spreadsheet formulas from the data reach no result CSV (issue 14, item 5), end to end.

The whole pipeline runs with ``neutralize_formulas=true`` on a copy of the
example data in which case ids, actor ids, an outcome value, an outcome
column name and a rejected row hold text that a spreadsheet would run
(``=cmd|' /C calc'!A0``, ``+1``, ``-2``, ``@SUM(A1)``). Every CSV under
``results/`` is then read with the csv module (not with netinnov): no cell
and no header cell may start with ``=``, ``+``, ``-``, ``@``, a tab or a CR
unless it is a number, and the planted values must be there, quoted, so
that the check cannot pass on tables that lost them.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from helpers.paths import REPO
from helpers.snakemake import run_snakemake
from netinnov.io.formulas import ENV

EXAMPLE = REPO / "data" / "example"

pytestmark = [pytest.mark.pipeline, pytest.mark.extended]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Ids of the example data replaced by formula text, in every input file.
PLANTED = {
    "case01": "=cmd|' /C calc'!A0",
    "case02": "+1",
    "case03": "-2",
    "case04": "@SUM(A1)",
    "A0010": "-A0010",
    "A0007": "@A0007",
}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _formula_cells(path: Path) -> list[tuple[int, str]]:
    """(row, cell) of every cell, header included, that a spreadsheet would run."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return [(i, cell) for i, row in enumerate(rows) for cell in row
            if cell.startswith(TRIGGERS) and not _is_number(cell)]


def _plant(dataset: Path) -> None:
    pattern = re.compile(r"\b(" + "|".join(PLANTED) + r")\b")

    def quote(value: str) -> str:  # a field of a comma file: quoted when it holds a quote or comma
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in "\",'") else value

    for path in dataset.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_text(pattern.sub(lambda m: quote(PLANTED[m.group(1)]), text), encoding="utf-8")
    for outcomes in dataset.glob("waves/*/outcomes.csv"):  # a column name and a value from the data
        lines = outcomes.read_text(encoding="utf-8").splitlines()
        lines = [lines[0] + ",=note"] + [line + ",=1+1" for line in lines[1:]]
        outcomes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    inter = dataset / "waves" / "w1" / "interactions.csv"  # a rejected row (unknown actor)
    inter.write_text(inter.read_text(encoding="utf-8")
                     + "case05,A0001,\"=cmd|' /C calc'!A0\",1,10,3,email,design,2023-04-01\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("formulas")
    data = work / "example"
    shutil.copytree(EXAMPLE, data)
    _plant(data)
    run_snakemake(work, "--cores", "4", "--config", f"dataset={data}", "neutralize_formulas=true", timeout=1800)
    return work / "results" / "example"


def test_no_result_csv_holds_a_formula(hostile_run):
    files = sorted(hostile_run.rglob("*.csv"))
    names = {p.relative_to(hostile_run).as_posix() for p in files}
    for expected in ("waves/w1/rejected.csv", "waves/w1/validated/summary.csv", "waves/w1/cases.csv",
                     "waves/w1/ties.csv", "panel/cases.csv", "models/coefficients.csv", "models/fit.csv",
                     "models/qap.csv"):
        assert expected in names, expected
    bad = {name: cells[:5] for p in files if (cells := _formula_cells(p))
           for name in [p.relative_to(hostile_run).as_posix()]}
    assert not bad, f"formula cells in result CSVs: {bad}"


def test_the_planted_values_are_there_quoted(hostile_run):
    with open(hostile_run / "waves" / "w1" / "cases.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert "'=note" in rows[0]
    ids = {r[0] for r in rows[1:]}
    assert {"'" + PLANTED[c] for c in ("case01", "case02", "case03", "case04")} <= ids
    rejected = (hostile_run / "waves" / "w1" / "rejected.csv").read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in rejected
    ties = (hostile_run / "waves" / "w1" / "ties.csv").read_text(encoding="utf-8")
    assert "'-A0010" in ties and "'@A0007" in ties


def test_the_pipeline_reads_the_quoted_tables_back(hostile_run, monkeypatch):
    from netinnov.io.result_tables import read_table

    monkeypatch.setenv(ENV, "1")
    panel = read_table(hostile_run / "panel" / "cases.csv")
    assert {PLANTED[c] for c in ("case01", "case02", "case03", "case04")} <= set(panel["case_id"])
    assert "=note" in panel.columns
    assert set(panel["=note"].dropna()) == {"=1+1"}
