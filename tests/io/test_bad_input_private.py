"""No raw id of the bad-input corpus passes pseudonymisation (issue 14, item 2).

Every case of ``tests/data/bad`` is ingested with ``pseudonymize: true`` by
the command the pipeline runs (``netinnov validate-wave``). The actor ids and
organisation names of its input files — read leniently here, from every
column that holds them, from header rows too (a file without a header row has
ids there) — must not appear in any file the step writes, in its log or on
the console, whether the wave stops or is quarantined. The raw → pseudonym
map, written outside the results folder, is the one place they may be.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.bad_input import CASES, build, load, options_for
from netinnov.cli import main
from netinnov.io.privacy import KEY_ENV

KEY = "a key of more than sixteen bytes"
ID_COLUMNS = {"actor_id", "source", "target", "organization"}


def _records(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    delimiter = max(",;\t|", key=text.split("\n", 1)[0].count)
    return [[f.strip() for f in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def raw_names(root: Path) -> set[str]:
    """Actor ids and organisation names in the input files of a dataset."""
    names = set()
    base = _records(root / "actors.csv") if (root / "actors.csv").is_file() else []
    known_ids = {r[0] for r in base[1:] if r}
    for path in root.rglob("*.csv"):
        if not path.is_file():
            continue
        records = _records(path)
        if not records:
            continue
        header = records[0]
        positions = [i for i, name in enumerate(header) if name in ID_COLUMNS]
        for row in records[1:]:
            for i in positions:
                if i < len(row):
                    names |= set(row[i].splitlines())  # an unclosed quote's field holds several lines
        names |= {cell for cell in header if cell in known_ids}  # a header row made of data
        for row in records:  # ids anywhere else (a swallowed line, a shifted field)
            names |= {cell for cell in row if cell in known_ids}
    names = {n.strip().strip('"') for n in names}
    # case ids are kept raw by design (SPEC: not personal): a value that is also a case id is not looked for
    cases = set()
    for path in root.rglob("*.csv"):
        records = _records(path) if path.is_file() else []
        if records and "case_id" in records[0]:
            i = records[0].index("case_id")
            cases |= {r[i] for r in records[1:] if i < len(r)}
    return {n for n in names if len(n) >= 2 and n not in ID_COLUMNS and n not in cases}


def _found(text: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", text))


def _written_text(folder: Path) -> dict[str, str]:
    out = {}
    for path in folder.rglob("*"):
        if path.is_file():
            if path.suffix == ".parquet":
                frame = pd.read_parquet(path).astype(object)
                out[str(path)] = frame.where(frame.notna(), "").astype(str).to_csv(index=False)
            else:
                out[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    return out


@pytest.mark.parametrize("name", CASES)
def test_no_raw_id_leaves_a_pseudonymised_ingest(name, tmp_path, monkeypatch, capfd):
    monkeypatch.setenv(KEY_ENV, KEY)
    expected = load(name)
    root = build(name, tmp_path / "data")
    names = raw_names(root)
    assert names, "the case has no actor id to look for"
    options = {**options_for(root, expected), "pseudonymize": True}
    options.pop("pseudonym_key_file", None)
    out = tmp_path / "results" / name / "waves" / str(expected.get("wave", "w1"))
    log = tmp_path / "results" / name / "logs" / "validate.log"
    private = tmp_path / "private" / "map.csv"
    code = main(["validate-wave", "--log", str(log), "--dataset", str(root), "--wave", str(expected.get("wave", "w1")),
                 "--out", str(out), "--options", json.dumps(options), "--pseudonym-map", str(private)])
    assert code == (2 if expected["outcome"] == "stop" else 0), name
    console = capfd.readouterr()
    texts = {"console": console.out + console.err, **_written_text(tmp_path / "results")}
    leaks = {where: found for where, text in texts.items()
             if (found := _found(text.replace(str(tmp_path), "<tmp>"), names))}
    assert not leaks, f"raw ids in a pseudonymised run: {leaks}"


def test_redacted_message_leaves_out_what_the_file_said():
    import pickle

    from netinnov.io import InputError

    err = InputError("required column is missing", "a.csv", line=1, column="case_id", detail="the header has: c1, a1")
    assert str(err) == "a.csv, line 1, column 'case_id': required column is missing; the header has: c1, a1"
    assert "a1" not in err.redacted() and "column 'case_id'" in err.redacted()
    dup = InputError("the header names this column twice", "a.csv", line=1, column="a1", column_from_data=True)
    assert "a1" in str(dup) and "a1" not in dup.redacted() and "left out" in dup.redacted()
    back = pickle.loads(pickle.dumps(err))
    assert (back.detail, str(back)) == (err.detail, str(err))
