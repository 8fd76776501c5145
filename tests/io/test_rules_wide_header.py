"""Wide files (thousands of columns) are read and typed as one block (issue 14, item 10).

The block path (:class:`netinnov.io.columns.TextBlock`, from
``netinnov.io.read.WIDE_COLUMNS`` columns on) must give exactly what the
column-by-column path gives: the same accepted rows and typed extra columns,
the same rejected rows with the same reasons, lines and raw fields, the same
summary. Correctness only: the time is measured by
``benchmarks/bench_wide_header.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.paths import BAD_BASE
from netinnov.io import read, rules, validate_wave
from netinnov.io.rules import INTERACTION_COLUMNS

BASE = BAD_BASE
EXTRA = 5000
#: Extra columns where the column-by-column path is run too (about 1 ms a column)
COMPARED = 1000

RECORDS = [  # contract fields of each record; the flag marks rows the rules reject
    ("c1,a1,a2,2,60,4,meeting,initiation,2024-01-10", False),
    ("c1,a2,a3,1,30,3,email,design,2024-02-01", False),
    ("c1,a9,a3,1,30,3,email,design,2024-02-01", True),  # unknown actor
    ("c1,a3,a1,3,90,5,workshop,design,2024-02-15", False),
    ("c2,a4,a5,1,15,2,phone,implementation,2024-03-01", False),
    ("c2,a4,a4,1,15,2,phone,implementation,2024-03-01", True),  # self-interaction
]


def _extra(j: int, r: int, rejected: bool, variant: str) -> str:
    """Field of extra column ``j`` in record ``r``: ten kinds of columns."""
    kind = j % 10
    decimal = "," if variant == "semicolon" else "."
    if kind == 0:
        return str((r * j) % 7)
    if kind == 1:
        return f"{r}{decimal}5"
    if kind == 2:
        return f"t{r}" if j % 20 else f"text {r % 2}"
    if kind == 3:  # a leading zero in a rejected row still makes the column text
        return "007" if rejected and j % 20 == 3 else str(r)
    if kind == 4:
        return "NA" if r == 0 else str(j)
    if kind == 5:
        return str(j) if r == 1 else ""
    if kind == 6:  # text in a rejected row only: numeric over the accepted rows
        return "x" if rejected and j % 20 == 6 else str(r)
    if kind == 7:
        return f" {r} "
    if kind == 8:
        if variant == "quoted":
            return '"=""0012"""' if r == 1 else f'"{r}"'
        return "+1" if j % 20 == 8 else "1e3"
    return ""


def _write(folder: Path, variant: str, extra: int = EXTRA) -> None:
    shutil.copytree(BASE, folder)
    delimiter = ";" if variant == "semicolon" else ","
    header = [*INTERACTION_COLUMNS, *(f"x{j}" for j in range(extra))]
    lines = [delimiter.join(header)]
    for r, (record, rejected) in enumerate(RECORDS):
        fields = record.split(",") + [_extra(j, r, rejected, variant) for j in range(extra)]
        if variant == "irregular" and r == 3:
            fields[6] = 'wo"rk'  # a quote inside an unquoted field: read with the csv module
        lines.append(delimiter.join(fields))
    if variant != "plain":
        lines.append(lines[1])  # exact duplicate
        lines.append(delimiter * (len(header) - 1))  # a record of empty fields: no row
        lines.append(delimiter.join(RECORDS[0][0].split(",")[:5]))  # wrong number of fields
    path = folder / "waves" / "w1" / "interactions.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _validate(folder: Path, monkeypatch: pytest.MonkeyPatch, wide: bool):
    with monkeypatch.context() as patch:
        if not wide:
            patch.setattr(read, "WIDE_COLUMNS", 10**9)  # column by column
        else:
            patch.setattr(rules, "_CHUNK_CELLS", 100)  # extra columns typed ten or so at a time
        return validate_wave(folder, "w1")


@pytest.mark.parametrize("variant", ["plain", "quoted", "semicolon", "irregular"])
def test_wide_file_validates_as_column_by_column(tmp_path, monkeypatch, variant):
    folder = tmp_path / variant
    _write(folder, variant, COMPARED)
    table = read.read_raw_table(folder / "waves" / "w1" / "interactions.csv", "interactions.csv")
    assert table.block is not None  # the block path is the one tested
    wide = _validate(folder, monkeypatch, wide=True)
    narrow = _validate(folder, monkeypatch, wide=False)
    pd.testing.assert_frame_equal(wide.interactions, narrow.interactions)
    pd.testing.assert_frame_equal(wide.rejected, narrow.rejected)
    pd.testing.assert_frame_equal(wide.summary, narrow.summary)
    pd.testing.assert_frame_equal(wide.actors, narrow.actors)
    kinds = wide.interactions.dtypes
    assert kinds["x0"] == "int64" and kinds["x1"] == "float64"  # typed, not all text
    assert isinstance(kinds["x2"], pd.CategoricalDtype)
    assert isinstance(kinds["x3"], pd.CategoricalDtype)  # "007" in a rejected row
    assert kinds["x4"] == "float64"  # NA: missing
    assert kinds["x6"] == "int64"  # "x" only in rejected rows
    expected_rejected = 2 if variant == "plain" else 4
    assert len(wide.rejected) == expected_rejected


def test_wide_file_matches_the_narrow_file_on_shared_columns(tmp_path, monkeypatch):
    folder = tmp_path / "wide"
    _write(folder, "quoted")
    narrow_folder = tmp_path / "narrow"
    shutil.copytree(folder, narrow_folder)
    path = narrow_folder / "waves" / "w1" / "interactions.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    keep = len(INTERACTION_COLUMNS)
    rows = []
    for line in text:
        fields = line.split(",")
        # the malformed record keeps its 5 fields; the empty record stays empty
        rows.append(",".join(fields[:keep]) if len(fields) > keep else line)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    wide = validate_wave(folder, "w1")
    narrow = validate_wave(narrow_folder, "w1")
    shared = [*INTERACTION_COLUMNS, "line"]
    pd.testing.assert_frame_equal(wide.interactions[shared], narrow.interactions[shared])
    pd.testing.assert_frame_equal(
        wide.rejected[["file", "line", "reason", *INTERACTION_COLUMNS]],
        narrow.rejected[["file", "line", "reason", *INTERACTION_COLUMNS]],
    )
    pd.testing.assert_frame_equal(wide.summary, narrow.summary)
