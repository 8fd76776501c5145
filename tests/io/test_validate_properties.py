"""A property test of validation: random tables never lose a row, and the
validator agrees with a row-by-row reference written here.
"""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.tiny_dataset import (
    ACTORS,
    assert_counts,
    file_summary,
    rejected_of,
    write,
)
from netinnov.io import (
    read_raw_table,
    validate_wave,
)

# --------------------------------------------------------------------------- property test
IDS = ["a1", "a2", "007", " a1 ", "zz", "", "A1", "a3"]
KNOWN = {"a1", "a2", "a3", "007"}
NUMBERS = ["", "1", "2", "2.5", "2,5", "0", "-1", "x", "NA", "1e2", " 3 ", "6"]
PHASE_VALUES = ["", "design", "Design", "diffusion", "later"]
DATES = {
    "": "missing",
    "2024-01-05": "ok",
    "2024-02-30": "bad",
    "05.01.2024": "bad",
    "2024-01-05T10:30": "ok",
    "2024-1-5": "bad",
    "NA": "missing",
}
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
    max_size=6,
)
HEADER = [
    "case_id",
    "source",
    "target",
    "frequency",
    "duration_min",
    "closeness",
    "channel",
    "phase",
    "date",
]


def _number(text: str, decimal_comma: bool) -> tuple[str, float | None]:
    """Reference reading of a number: ('missing'|'ok'|'bad', value)."""
    t = text.strip()
    if t == "" or t.lower() == "na":
        return "missing", None
    if decimal_comma:
        t = t.replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        return "bad", None
    return ("ok", value) if math.isfinite(value) else ("bad", None)


def reference_reason(fields: list[str], decimal_comma: bool, seen: set) -> str | None:
    """The expected reason for one interactions row, applying the rules in order."""
    if len(fields) != len(HEADER):
        return "wrong number of fields"
    row = {k: v.strip() for k, v in zip(HEADER, fields, strict=True)}
    for col in ("case_id", "source", "target"):
        if row[col] == "":
            return f"empty id: {col}"
    for col in ("source", "target"):
        if row[col] not in KNOWN:
            return f"unknown actor: {col}"
    if row["source"] == row["target"]:
        return "self-interaction"
    kind, value = _number(row["frequency"], decimal_comma)
    if kind == "bad":
        return "frequency not a number"
    if kind == "ok" and value <= 0:
        return "non-positive frequency"
    kind, value = _number(row["duration_min"], decimal_comma)
    if kind == "bad":
        return "duration not a number"
    if kind == "ok" and value < 0:
        return "negative duration"
    kind, value = _number(row["closeness"], decimal_comma)
    if kind == "bad":
        return "closeness not a number"
    if kind == "ok" and not 1 <= value <= 5:
        return "closeness out of range 1-5"
    if row["phase"] and row["phase"].lower() not in {
        "initiation",
        "design",
        "implementation",
        "diffusion",
    }:
        return "unknown phase"
    if DATES[row["date"]] == "bad":
        return "unparseable date"
    key = tuple(row[c] for c in HEADER)
    if key in seen:
        return "exact duplicate"
    seen.add(key)
    return None


row_strategy = st.fixed_dictionaries(
    {
        "case_id": st.sampled_from(["c1", "c2", " c1", ""]),
        "source": st.sampled_from(IDS),
        "target": st.sampled_from(IDS),
        "frequency": st.sampled_from(NUMBERS),
        "duration_min": st.sampled_from(NUMBERS),
        "closeness": st.sampled_from(NUMBERS),
        "channel": TEXT,
        "phase": st.sampled_from(PHASE_VALUES),
        "date": st.sampled_from(sorted(DATES)),
        "shape": st.sampled_from(["ok"] * 8 + ["short", "long", "blank", "repeat"]),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(row_strategy, max_size=12),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
    crlf=st.booleans(),
)
def test_random_tables_never_lose_a_row(tmp_path_factory, rows, delimiter, bom, crlf):
    """Random defects never raise and never lose a row: every row is counted once,
    with the reason and line that a row-by-row reference gives."""
    root = tmp_path_factory.mktemp("prop")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    line = 2
    expected: dict[int, str | None] = {}
    seen: set = set()
    previous: list[str] | None = None
    for row in rows:
        fields = [row[c] for c in HEADER]
        if row["shape"] == "blank":
            buffer.write("\n")
            line += 1
            continue
        if row["shape"] == "repeat" and previous is not None:
            fields = list(previous)
        elif row["shape"] == "short":
            fields = fields[:5]
        elif row["shape"] == "long":
            fields = [*fields, "surplus"]
        chunk = io.StringIO()
        csv.writer(chunk, delimiter=delimiter, lineterminator="\n").writerow(fields)
        text = chunk.getvalue()
        if all(not f.strip() for f in fields):  # an all-empty record is a blank line
            buffer.write(text)
            line += text.count("\n")
            continue
        expected[line] = reference_reason(fields, delimiter == ";", seen)
        previous = fields
        buffer.write(text)
        line += text.count("\n")
    content = buffer.getvalue()
    if crlf:
        content = content.replace("\n", "\r\n")
    raw = ("\ufeff" if bom else "") + content
    write(root, {"actors.csv": ACTORS, "waves/w1/interactions.csv": raw.encode("utf-8")})
    data = validate_wave(root, "w1")  # a valid header: no structural error expected
    assert_counts(data)
    file = "waves/w1/interactions.csv"
    bad = rejected_of(data, file)
    got = {int(k): v for k, v in zip(bad["line"], bad["reason"], strict=True)}
    got.update({int(k): None for k in data.interactions["line"]})
    assert got == expected
    assert file_summary(data).loc[file, "rows_read"] == len(expected)
    # both readers agree on the file
    path = root / file
    fast, slow = read_raw_table(path, file), read_raw_table(path, file, engine="python")
    assert fast.line.tolist() == slow.line.tolist()
    pd.testing.assert_frame_equal(fast.raw, slow.raw)
    pd.testing.assert_frame_equal(fast.malformed, slow.malformed)
