"""The bad-input corpus (tests/data/bad): every kind of bad input, validated and
taken through the table stage, against the outcome its ``expected.yaml`` states.

For every case: a structural problem is an ``InputError`` naming the file, line
and column; otherwise accepted + rejected = rows read for every file, every
data line is accounted for exactly once, the rejected rows are exactly the
expected ones, and ``wave_tables`` runs on the validated wave (raising nothing
but ``InputError``) with ties that account for every accepted record. A large
generated file checks the same at scale against an independent pandas
computation. See docs/bad_input.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.bad_input import CASES, CORPUS, build, load, options_for
from helpers.paths import REPO
from netinnov.config import resolve
from netinnov.io import InputError, WaveData, validate_wave
from netinnov.metrics.wave import wave_tables

OUTCOMES = {"stop", "quarantine", "accept"}
#: validated frames that carry ``line``, by input file name
FRAMES = {
    "interactions.csv": "interactions",
    "participation.csv": "participation",
    "roles.csv": "roles",
    "outcomes.csv": "outcomes",
    "members.csv": "members",
}


def validate(root: Path, wave: str, options: dict) -> WaveData:
    return validate_wave(
        root,
        wave,
        waves=options["waves"] or None,
        on_bad_rows=options["on_bad_rows"],
        group_attribute=options["group_attribute"],
        directed=options["directed"],
    )


def check_stop(err: InputError, stop: dict) -> None:
    """The error names the expected file, line and column, in its fields and its text."""
    assert err.file == stop["file"]
    assert err.line == stop.get("line")
    assert err.column == stop.get("column")
    message = str(err)
    assert stop["file"] in message
    if stop.get("line") is not None:
        assert f"line {stop['line']}" in message
    if stop.get("column") is not None:
        assert f"column '{stop['column']}'" in message
    assert stop["message"] in message


def data_lines(path: Path) -> int:
    """Independent count of a file's non-blank physical lines after the header,
    for corpus files without quoted newlines."""
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    delimiter = max(",;\t|", key=lambda d: lines[0].count(d)) if lines else ","
    return sum(1 for ln in lines[1:] if ln.replace(delimiter, "").strip())


def check_conservation(data: WaveData) -> None:
    """Accepted + rejected = rows read, per file; every line of a file counted once."""
    summary = data.summary
    per_file = summary.drop_duplicates("file").set_index("file")
    assert (per_file["accepted"] + per_file["rejected"] == per_file["rows_read"]).all()
    assert summary.groupby("file")["n"].sum().reindex(per_file.index).tolist() == (
        per_file["rejected"].tolist()
    )
    assert Counter(data.rejected["file"]) == {
        f: int(n) for f, n in per_file["rejected"].items() if n
    }
    for file, row in per_file.iterrows():
        name = FRAMES.get(Path(file).name)
        if name is None:
            continue
        frame = getattr(data, name)
        accepted = [] if frame is None else frame["line"].tolist()
        rejected = data.rejected.loc[data.rejected["file"] == file, "line"].tolist()
        assert len(accepted) == row["accepted"]
        assert len(set(accepted) | set(rejected)) == len(accepted) + len(rejected)
        assert min(accepted + rejected, default=2) >= 2  # never the header


def value_matches(got, want) -> bool:
    if want is None:
        return got is None or bool(pd.isna(got))
    if isinstance(got, pd.Timestamp) or isinstance(got, np.datetime64):
        return pd.Timestamp(got) == pd.Timestamp(want)
    if isinstance(want, bool):
        return bool(got) == want
    if isinstance(want, int | float) and not isinstance(got, str):
        return bool(np.isclose(float(got), float(want)))
    return str(got) == str(want)


def find_rows(frame: pd.DataFrame, want: dict, keys: list[str]) -> pd.DataFrame:
    mask = np.ones(len(frame), dtype=bool)
    for key in keys:
        mask &= frame[key].astype(str).to_numpy() == str(want[key])
    return frame.loc[mask]


def check_tables(data: WaveData, tables, expected: dict, options: dict) -> None:
    ties = tables.ties
    inter = data.interactions
    reported = ties
    if "reconstructed" in ties.columns:  # arcs of non-respondents taken from the partner: no record
        reported = ties[~ties["reconstructed"].to_numpy(dtype=bool)]
    if len(ties):
        # every tie joins accepted actors, and the ties account for every accepted record
        known = set(data.actors["actor_id"].astype(str))
        assert set(ties["source"].astype(str)) <= known
        assert set(ties["target"].astype(str)) <= known
        assert int(ties["n_records"].sum()) == len(inter)
        assert np.isclose(reported["frequency"].sum(), inter["frequency"].sum())
    else:
        assert len(inter) == 0
    cases = set(inter["case_id"].astype(str))
    for frame in (data.participation, data.members):
        if frame is not None:
            cases |= set(frame["case_id"].astype(str))
    assert set(tables.networks) == cases
    assert set(tables.cases["case_id"].astype(str)) >= cases
    if "ties" in expected:
        if not expected["ties"]:
            assert len(ties) == 0
        for want in expected["ties"]:
            match = find_rows(ties, want, ["case_id", "source", "target"])
            assert len(match) == 1, f"no tie {want}"
            row = match.iloc[0]
            for col, value in want.items():
                assert value_matches(row[col], value), (col, row[col], value)
    if "n_cases" in expected:
        assert len(tables.networks) == expected["n_cases"]
    for want in expected.get("cases", []):
        match = find_rows(tables.cases, want, ["case_id"])
        assert len(match) == 1, f"no case {want}"
        row = match.iloc[0]
        for col, value in want.items():
            assert value_matches(row[col], value), (col, row[col], value)


# --------------------------------------------------------------------------- the corpus
def test_corpus_is_complete_and_well_formed():
    assert len(CASES) >= 25
    kinds = set()
    for name in CASES:
        expected = load(name)
        assert expected["outcome"] in OUTCOMES, name
        assert expected.get("description"), name
        kinds.add(expected["kind"])
        if expected["outcome"] == "stop":
            assert {"file", "line", "column", "message"} <= set(expected["stop"]), name
        if expected["outcome"] == "quarantine":
            assert expected.get("rejected"), name
        if expected["outcome"] == "accept":
            assert not expected.get("rejected"), name
    assert len(kinds) == len(CASES)  # one kind per case
    for folder in CORPUS.iterdir():  # no stray folder without expectations
        assert folder.name == "base" or not folder.is_dir() or folder.name in CASES


def test_every_corpus_case_is_documented():
    docs = (REPO / "docs" / "bad_input.md").read_text(encoding="utf-8")
    assert [name for name in CASES if f"`{name}`" not in docs] == []


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name, tmp_path):
    expected = load(name)
    root = build(name, tmp_path)
    options = options_for(root, expected)
    wave = str(expected.get("wave", "w1"))

    if expected["outcome"] == "stop":
        with pytest.raises(InputError) as err:
            validate(root, wave, options)
        check_stop(err.value, expected["stop"])
        return

    data = validate(root, wave, options)
    check_conservation(data)
    got = sorted(
        (str(f), int(n), str(r))
        for f, n, r in data.rejected[["file", "line", "reason"]].itertuples(index=False)
    )
    want = []
    for item in expected.get("rejected") or []:
        file, line, reason = item.split(":", 2)
        want.append((file, int(line), reason.strip()))
    assert got == sorted(want)

    per_file = data.summary.drop_duplicates("file").set_index("file")
    for file, counts in (expected.get("rows") or {}).items():
        row = per_file.loc[file]
        assert (row["rows_read"], row["accepted"], row["rejected"]) == (
            counts["read"],
            counts["accepted"],
            counts["rejected"],
        ), file
    # rows read agree with an independent count of the lines, where no field spans lines
    for file, row in per_file.iterrows():
        if b'"' not in (root / file).read_bytes():
            assert row["rows_read"] == data_lines(root / file), file

    for file, rows in (expected.get("accepted") or {}).items():
        frame = getattr(data, FRAMES[Path(file).name]).set_index("line")
        for want in rows:
            row = frame.loc[want["line"]]
            for col, value in want.items():
                if col != "line":
                    assert value_matches(row[col], value), (file, want["line"], col, row[col])

    if "actor_groups" in expected:
        groups = data.actors.set_index("actor_id")[options["group_attribute"]]
        assert groups.index.is_unique
        for actor, group in expected["actor_groups"].items():
            assert groups[str(actor)] == group

    if "table_stop" in expected:
        with pytest.raises(InputError) as err:
            wave_tables(data, options)
        check_stop(err.value, expected["table_stop"])
        return
    tables = wave_tables(data, options)
    check_tables(data, tables, expected, options)


# --------------------------------------------------------------------------- naming details
HEADER = "case_id,source,target,frequency,channel,note\n"


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("c1,a1,a2,1,caf\xe9,\n", 2, "channel"),
        ("c1,a1,a2,1,ok,\xe9\n", 2, "note"),
        ('c1,a1,a2,1,"two\nlines caf\xe9",\n', 3, "channel"),  # inside a quoted field
        ('c1,a1,a2,1,"x, y",\nc1,a2,a3,2,\xe9,\n', 3, "channel"),
    ],
)
def test_latin1_byte_is_named_by_physical_line_and_column(tmp_path, body, line, column):
    root = build("utf8_bom", tmp_path)
    (root / "waves/w1/interactions.csv").write_bytes((HEADER + body).encode("latin-1"))
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert (err.value.file, err.value.line, err.value.column) == (
        "waves/w1/interactions.csv",
        line,
        column,
    )


def test_latin1_byte_in_header_names_no_column(tmp_path):
    root = build("utf8_bom", tmp_path)
    text = HEADER.replace("note", "notiz\xe9") + "c1,a1,a2,1,x,y\n"
    (root / "waves/w1/interactions.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert (err.value.line, err.value.column) == (1, None)


def test_unclosed_quote_with_fail_names_line_and_column(tmp_path):
    root = build("unclosed_quote", tmp_path)
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1", on_bad_rows="fail")
    assert (err.value.file, err.value.line, err.value.column) == (
        "waves/w1/interactions.csv",
        4,
        "channel",
    )
    assert "unclosed quote" in str(err.value)


def test_unclosed_quote_swallowing_a_large_file_is_quarantined_too(tmp_path):
    """More than the csv module's default field size limit (128 KiB) in one field."""
    root = build("unclosed_quote", tmp_path)
    swallowed = "oops,\n" + "c1,a2,a3,1,,\n" * 20_000
    text = HEADER + 'c1,a1,a2,1,"' + swallowed
    (root / "waves/w1/interactions.csv").write_text(text, encoding="utf-8")
    data = validate_wave(root, "w1")
    check_conservation(data)
    rejected = data.rejected
    assert rejected[["line", "reason"]].values.tolist() == [
        [2, "unclosed quote (the rest of the file is in this row)"]
    ]
    assert rejected["channel"].iloc[0] == swallowed  # nothing lost


# --------------------------------------------------------------------------- command line
def test_cli_validate_stops_on_latin1_file(tmp_path, capsys):
    from netinnov.cli import main

    root = build("latin1_encoding", tmp_path)
    assert main(["validate", str(root)]) == 1
    out = capsys.readouterr().out
    assert "wave w1: STOPPED" in out
    assert "actors.csv, line 4, column 'organization'" in out
    assert "not UTF-8" in out and "1 wave stopped by a structural error" in out


def test_cli_validate_quarantines_and_reports_counts(tmp_path, capsys):
    from netinnov.cli import main

    root = build("closeness_out_of_range", tmp_path)
    out_dir = tmp_path / "results"
    assert main(["validate", str(root), "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "closeness out of range 1-5" in out
    assert "total: 12 rows read, 8 accepted, 4 rejected (see rejected.csv)" in out
    rejected = pd.read_csv(out_dir / "waves/w1/rejected.csv", dtype=str)
    assert rejected["line"].astype(int).tolist() == [2, 3, 4, 5]
    assert rejected["closeness"].tolist() == ["0", "6", "5.01", "-1"]


def test_cli_validate_subprocess_fail_mode(tmp_path):
    root = build("on_bad_rows_fail", tmp_path)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "netinnov", "validate", str(root), "--on-bad-rows", "fail"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert "interactions.csv, line 4, column 'closeness': bad row" in done.stdout
    assert "1 wave stopped at a bad row (on_bad_rows: fail" in done.stdout  # not called a structural error
    assert "structural error" not in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    done = subprocess.run(cmd[:-2], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0
    assert "unknown actor: target" in done.stdout
    # without --out nothing is written: the summary says how to get rejected.csv instead of pointing to it
    assert "(run with --out to write them to rejected.csv)" in done.stdout
    assert "(see rejected.csv)" not in done.stdout


# --------------------------------------------------------------------------- a large file
ACTORS_PER_CASE = 30
SECTORS = np.array(["public", "private", "civil_society", "citizen"])


def write_large(root: Path, n: int, seed: int) -> pd.DataFrame:
    """Write actors.csv and a large interactions.csv with planted defects.

    Returns the written rows (text, as written) with ``line`` and the planted
    ``defect`` (empty where none), for the independent check.
    """
    rng = np.random.default_rng(seed)
    (root / "waves" / "w1").mkdir(parents=True)
    actor_ids = np.array([f"a{i}" for i in range(2 * ACTORS_PER_CASE)])
    pd.DataFrame({"actor_id": actor_ids, "sector": SECTORS[np.arange(len(actor_ids)) % 4]}).to_csv(
        root / "actors.csv", index=False
    )
    case = rng.integers(0, 2, n)
    source = case * ACTORS_PER_CASE + rng.integers(0, ACTORS_PER_CASE, n)
    target = case * ACTORS_PER_CASE + rng.integers(0, ACTORS_PER_CASE, n)
    rows = pd.DataFrame(
        {
            "case_id": np.where(case == 0, "c1", "c2"),
            "source": actor_ids[source],
            "target": actor_ids[target],
            "frequency": rng.integers(1, 6, n).astype(str),
            "channel": np.array(["meeting", "email", "phone"])[rng.integers(0, 3, n)],
            "date": pd.to_datetime("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        }
    )
    rows["date"] = rows["date"].dt.strftime("%Y-%m-%d")
    planted = rng.choice(n, size=n // 50, replace=False)
    kinds = rng.integers(0, 4, planted.size)
    rows.loc[planted[kinds == 0], "target"] = "nobody"
    rows.loc[planted[kinds == 1], "frequency"] = "-1"
    rows.loc[planted[kinds == 2], "date"] = "2024-13-01"
    rows.loc[planted[kinds == 3], "frequency"] = "many"
    # the reason of each row, in the validator's order of precedence
    defect = np.select(
        [
            (rows["target"] == "nobody").to_numpy(),
            (rows["source"] == rows["target"]).to_numpy(),
            (rows["frequency"] == "many").to_numpy(),
            (rows["frequency"] == "-1").to_numpy(),
            (rows["date"] == "2024-13-01").to_numpy(),
        ],
        [
            "unknown actor: target",
            "self-interaction",
            "frequency not a number",
            "non-positive frequency",
            "unparseable date",
        ],
        default="",
    ).astype(object)
    rows.to_csv(root / "waves/w1/interactions.csv", index=False, lineterminator="\n")
    rows["line"] = np.arange(2, n + 2)
    rows["defect"] = defect
    return rows


def check_large(tmp_path: Path, n: int) -> None:
    root = tmp_path / "large"
    rows = write_large(root, n, seed=n)
    data = validate_wave(root, "w1")
    check_conservation(data)
    file = "waves/w1/interactions.csv"
    summary = data.summary.drop_duplicates("file").set_index("file")
    assert summary.loc[file, "rows_read"] == n

    # independent: planted defects, then exact duplicates among the remaining rows
    fields = ["case_id", "source", "target", "frequency", "channel", "date"]
    clean = rows.loc[rows["defect"] == ""]
    duplicate = clean.duplicated(fields, keep="first")
    expected_reason = pd.Series(rows["defect"].to_numpy(), index=rows["line"])
    expected_reason[clean.loc[duplicate, "line"].to_numpy()] = "exact duplicate"
    accepted = clean.loc[~duplicate]
    assert data.interactions["line"].tolist() == accepted["line"].tolist()
    rejected = data.rejected.loc[data.rejected["file"] == file]
    got = sorted(zip(rejected["line"].tolist(), rejected["reason"].tolist(), strict=True))
    want = expected_reason[expected_reason != ""]
    assert got == sorted(zip(want.index.tolist(), want.tolist(), strict=True))
    assert len(got) + len(accepted) == n

    # the table stage: ties are the accepted records summed per unordered pair
    tables = wave_tables(data, resolve({"dataset": str(root)}))
    a = accepted.assign(frequency=accepted["frequency"].astype(float))
    lo = np.minimum(a["source"].to_numpy(dtype=object), a["target"].to_numpy(dtype=object))
    hi = np.maximum(a["source"].to_numpy(dtype=object), a["target"].to_numpy(dtype=object))
    pairs = (
        pd.DataFrame(
            {"case_id": a["case_id"].to_numpy(), "source": lo, "target": hi, "f": a["frequency"]}
        )
        .groupby(["case_id", "source", "target"])["f"]
        .agg(["sum", "size"])
    )
    ties = tables.ties.set_index(["case_id", "source", "target"]).sort_index()
    assert len(ties) == len(pairs)
    np.testing.assert_allclose(ties["frequency"].to_numpy(), pairs["sum"].to_numpy())
    np.testing.assert_array_equal(ties["n_records"].to_numpy(), pairs["size"].to_numpy())


def test_large_file_200k_rows(tmp_path):
    check_large(tmp_path, 200_000)


@pytest.mark.extended
def test_large_file_1m_rows(tmp_path):
    check_large(tmp_path, 1_000_000)
