"""Tests of netinnov.io: reading, row rules, quarantine, summary, storage.

Line numbers are checked against hand-made files whose lines are known, and a
property test compares the validator with a row-by-row reference written here.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinnov.io import (
    InputError,
    WaveData,
    discover_waves,
    format_summary,
    read_raw_table,
    read_validated,
    validate_dataset,
    validate_wave,
    write_validated,
)
from netinnov.io.command import add_arguments, run

ACTORS = """actor_id,sector,organization
a1,public,City
a2,private,Firm
a3,civil_society,NGO
007,citizen,
"""

INTERACTIONS_HEADER = "case_id,source,target,frequency,duration_min,closeness,channel,phase,date\n"
INTERACTIONS = INTERACTIONS_HEADER + (
    "c1,a1,a2,2,30,4,meeting,design,2024-01-05\n"
    "c1,a2,a3,,,,email,,\n"
    "c2,a3,007,1,15,3,phone,implementation,2024-02-01\n"
)


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (text as UTF-8, bytes as they are) under root."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def dataset(tmp_path: Path, **files: str | bytes) -> Path:
    """A minimal valid dataset (one wave w1), with files replaced or added.

    Keyword names are file paths with '/' written as '__' and '.csv' left
    out, e.g. ``waves__w1__roles="..."``; ``None`` removes a file.
    """
    content: dict[str, str | bytes | None] = {
        "actors.csv": ACTORS,
        "waves/w1/interactions.csv": INTERACTIONS,
    }
    for key, value in files.items():
        content[key.replace("__", "/") + ".csv"] = value
    root = tmp_path / "ds"
    return write(root, {k: v for k, v in content.items() if v is not None})


def rejected_of(data: WaveData, file: str) -> pd.DataFrame:
    return data.rejected.loc[data.rejected["file"] == file].reset_index(drop=True)


def file_summary(data: WaveData) -> pd.DataFrame:
    return data.summary.drop_duplicates("file").set_index("file")


def assert_counts(data: WaveData) -> None:
    """accepted + rejected == rows read, for every file, and n sums to rejected."""
    per_file = file_summary(data)
    assert (per_file["accepted"] + per_file["rejected"] == per_file["rows_read"]).all()
    sums = data.summary.groupby("file")["n"].sum()
    assert (sums.reindex(per_file.index) == per_file["rejected"]).all()
    for file, row in per_file.iterrows():
        assert (data.rejected["file"] == file).sum() == row["rejected"]


# --------------------------------------------------------------------------- valid input
def test_minimal_dataset_is_accepted_with_types(tmp_path):
    data = validate_wave(dataset(tmp_path), "w1")
    assert data.rejected.empty
    assert list(data.rejected.columns) == ["file", "line", "reason"]
    inter = data.interactions
    assert list(inter.columns) == [
        "case_id",
        "source",
        "target",
        "frequency",
        "duration_min",
        "closeness",
        "channel",
        "phase",
        "date",
        "line",
    ]
    assert inter["line"].tolist() == [2, 3, 4]
    assert inter["frequency"].tolist() == [2.0, 1.0, 1.0]  # missing frequency is 1
    assert inter["frequency"].dtype == np.float64
    assert inter["duration_min"].dtype == np.float64
    assert math.isnan(inter["duration_min"].iloc[1])
    assert inter["date"].dtype == np.dtype("datetime64[ns]")
    assert inter["date"].iloc[0] == pd.Timestamp("2024-01-05")
    assert pd.isna(inter["date"].iloc[1])
    assert inter["line"].dtype == np.int64
    for col in ("case_id", "source", "target", "channel", "phase"):
        assert pd.api.types.is_string_dtype(inter[col])
    assert inter["target"].iloc[2] == "007"  # ids stay text
    assert data.participation is None and data.roles is None
    assert data.outcomes is None and data.members is None
    actors = data.actors
    assert list(actors.columns) == ["actor_id", "sector", "organization", "first_wave"]
    assert actors["actor_id"].tolist() == ["a1", "a2", "a3", "007"]
    assert actors["first_wave"].eq("w1").all()
    assert pd.isna(actors.loc[actors["actor_id"] == "007", "organization"]).all()
    assert_counts(data)
    per_file = file_summary(data)
    assert per_file.loc["waves/w1/interactions.csv", "rows_read"] == 3
    assert per_file.loc["actors.csv", "rows_read"] == 4


def test_extra_columns_kept_and_columns_in_any_order(tmp_path):
    inter = (
        "note,target,source,case_id,weight_code\n"
        "first meeting,a2,a1,c1,0012\n"
        'second,a3,a1,c1,"0013"\n'
    )
    actors = "sector,actor_id,rank\npublic,a1,1\nprivate,a2,2.5\npublic,a3,\n"
    data = validate_wave(dataset(tmp_path, actors=actors, waves__w1__interactions=inter), "w1")
    assert data.rejected.empty
    assert data.interactions["note"].tolist() == ["first meeting", "second"]
    # codes with leading zeros stay text
    assert data.interactions["weight_code"].tolist() == ["0012", "0013"]
    assert data.interactions["frequency"].tolist() == [1.0, 1.0]
    assert data.actors["rank"].dtype == np.float64
    assert data.actors["rank"].iloc[1] == 2.5
    assert list(data.actors.columns) == ["actor_id", "sector", "organization", "rank", "first_wave"]


def test_whitespace_stripped_and_leading_zeros_kept(tmp_path):
    actors = "actor_id,sector\n 007 , public \n0007,private\n7,public\n"
    inter = INTERACTIONS_HEADER + "c1 ,007 ,  0007,,,,,,\nc1,7,007,,,,,,\n"
    data = validate_wave(dataset(tmp_path, actors=actors, waves__w1__interactions=inter), "w1")
    assert data.rejected.empty
    assert data.actors["actor_id"].tolist() == ["007", "0007", "7"]
    assert data.actors["sector"].tolist() == ["public", "private", "public"]
    assert data.interactions[["case_id", "source", "target"]].values.tolist() == [
        ["c1", "007", "0007"],
        ["c1", "7", "007"],
    ]


def test_header_only_interactions_is_valid_with_no_rows(tmp_path):
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=INTERACTIONS_HEADER), "w1")
    assert len(data.interactions) == 0
    assert file_summary(data).loc["waves/w1/interactions.csv", "rows_read"] == 0
    assert data.interactions["date"].dtype == np.dtype("datetime64[ns]")


# --------------------------------------------------------------------------- bad rows
INTERACTION_BAD_ROWS = [
    ("c1,a1,zz,1,,,,,", "unknown actor: target"),
    ("c1,zz,a1,1,,,,,", "unknown actor: source"),
    ("c1,A1,a2,1,,,,,", "unknown actor: source"),  # ids are case-sensitive
    ("c1,a1,a1,1,,,,,", "self-interaction"),
    ("c1,a1,a2,0,,,,,", "non-positive frequency"),
    ("c1,a1,a2,-2,,,,,", "non-positive frequency"),
    ("c1,a1,a2,often,,,,,", "frequency not a number"),
    ('c1,a1,a2,"2,5",,,,,', "frequency not a number"),  # no decimal comma in a comma file
    ("c1,a1,a2,1,-5,,,,", "negative duration"),
    ("c1,a1,a2,1,ten,,,,", "duration not a number"),
    ("c1,a1,a2,1,,0,,,", "closeness out of range 1-5"),
    ("c1,a1,a2,1,,5.5,,,", "closeness out of range 1-5"),
    ("c1,a1,a2,1,,high,,,", "closeness not a number"),
    ("c1,a1,a2,1,,,,planning,", "unknown phase"),
    ("c1,a1,a2,1,,,,,2024-02-30", "unparseable date"),
    ("c1,a1,a2,1,,,,,05.01.2024", "unparseable date"),
    ("c1,a1,a2,1,,,,,2024-1-5", "unparseable date"),
    (",a1,a2,1,,,,,", "empty id: case_id"),
    ("c1, ,a2,1,,,,,", "empty id: source"),
    ("c1,a1,,1,,,,,", "empty id: target"),
    ("c1,a1,a2,1", "wrong number of fields"),
    ("c1,a1,a2,1,,,,,,extra", "wrong number of fields"),
    # precedence: the first reason in the documented order
    ("c1,zz,zz,0,,9,,nonsense,never", "unknown actor: source"),
    ("c1,a1,a1,0,,,,,", "self-interaction"),
    ("c1,a1,a2,0,-1,9,,,", "non-positive frequency"),
]


@pytest.mark.parametrize(("row", "reason"), INTERACTION_BAD_ROWS)
def test_bad_interaction_row_is_quarantined_with_reason_and_line(tmp_path, row, reason):
    # the bad row sits on physical line 4 (header 1, two good rows, then it), then a good row
    text = INTERACTIONS_HEADER + "c1,a1,a2,1,,,,,\nc1,a2,a3,1,,,,,\n" + row + "\nc2,a3,007,,,,,,\n"
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    bad = rejected_of(data, "waves/w1/interactions.csv")
    assert bad[["line", "reason"]].values.tolist() == [[4, reason]]
    assert data.interactions["line"].tolist() == [2, 3, 5]
    raw_fields = next(csv.reader([row]))
    assert bad.loc[0, "case_id"] == raw_fields[0]  # raw text, not stripped
    assert_counts(data)


def test_good_values_in_optional_columns(tmp_path):
    text = INTERACTIONS_HEADER + (
        "c1,a1,a2,0.5,0,1,Meeting,Design,2024-01-05T10:30\n"
        "c1,a1,a3,3,120,5,,DIFFUSION,2024-01-05 10:30:15\n"
        "c1,a2,a3,NA,n/a,,,,2024-03-01T08:00:00+01:00\n"
    )
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    assert data.rejected.empty
    inter = data.interactions
    assert inter["frequency"].tolist() == [0.5, 3.0, 1.0]
    assert inter["duration_min"].iloc[:2].tolist() == [0.0, 120.0]
    assert math.isnan(inter["duration_min"].iloc[2])
    assert inter["phase"].iloc[:2].tolist() == ["design", "diffusion"]
    assert inter["channel"].iloc[0] == "Meeting"
    assert inter["date"].tolist() == [
        pd.Timestamp("2024-01-05 10:30"),
        pd.Timestamp("2024-01-05 10:30:15"),
        pd.Timestamp("2024-03-01 08:00"),  # wall time as written
    ]


def test_exact_duplicate_keeps_first_and_reverse_pair_is_not_duplicate(tmp_path):
    text = INTERACTIONS_HEADER + (
        "c1,a1,a2,1,,,,,\n"  # 2
        "c1,a2,a1,1,,,,,\n"  # 3 reverse direction: not a duplicate
        "c1, a1 ,a2,1,,,,,\n"  # 4 identical after stripping
        "c1,a1,a2,2,,,,,\n"  # 5 differs in frequency
        "c1,a1,a2,1,,,,,\n"  # 6
    )
    for directed in (False, True):
        data = validate_wave(
            dataset(tmp_path, waves__w1__interactions=text), "w1", directed=directed
        )
        bad = rejected_of(data, "waves/w1/interactions.csv")
        assert bad[["line", "reason"]].values.tolist() == [
            [4, "exact duplicate"],
            [6, "exact duplicate"],
        ]
        assert data.interactions["line"].tolist() == [2, 3, 5]


def test_participation_rules(tmp_path):
    part = (
        "case_id,event_id,actor_id,date,phase,duration_min\n"
        "c1,e1,a1,2024-01-05,design,60\n"  # 2
        "c1,e1,a2,,,\n"  # 3
        "c1,e1,zz,,,\n"  # 4
        "c1,,a3,,,\n"  # 5
        "c1,e2,a3,,,-10\n"  # 6
        "c1,e2,a3,,launch,\n"  # 7
        "c1,e2,a3,yesterday,,\n"  # 8
        "c1,e1,a2,,,\n"  # 9
    )
    data = validate_wave(dataset(tmp_path, waves__w1__participation=part), "w1")
    bad = rejected_of(data, "waves/w1/participation.csv")
    assert bad[["line", "reason"]].values.tolist() == [
        [4, "unknown actor: actor_id"],
        [5, "empty id: event_id"],
        [6, "negative duration"],
        [7, "unknown phase"],
        [8, "unparseable date"],
        [9, "exact duplicate"],
    ]
    p = data.participation
    assert list(p.columns) == [
        "case_id",
        "event_id",
        "actor_id",
        "date",
        "phase",
        "duration_min",
        "line",
    ]
    assert p["line"].tolist() == [2, 3]
    assert p["duration_min"].iloc[0] == 60.0
    assert_counts(data)


def test_roles_rules(tmp_path):
    roles = (
        "case_id,actor_id,role,score\n"
        "c1,a1,Convener,4\n"  # 2
        "c1,a2,facilitator,\n"  # 3
        "c1,a2,catalyst,2\n"  # 4 several roles per actor allowed
        "c1,a2,leader,\n"  # 5
        "c1,a3,,\n"  # 6
        "c1,a3,catalyst,7\n"  # 7
        "c1,a3,catalyst,x\n"  # 8
        "c9,a3,catalyst,\n"  # 9 case with no record in the wave
        "c1,zz,catalyst,\n"  # 10
        "c1,a1,Convener,4\n"  # 11
    )
    data = validate_wave(dataset(tmp_path, waves__w1__roles=roles), "w1")
    bad = rejected_of(data, "waves/w1/roles.csv")
    assert bad[["line", "reason"]].values.tolist() == [
        [5, "unknown role"],
        [6, "empty value: role"],
        [7, "score out of range 1-5"],
        [8, "score not a number"],
        [9, "unknown case"],
        [10, "unknown actor: actor_id"],
        [11, "exact duplicate"],
    ]
    assert data.roles["role"].tolist() == ["convener", "facilitator", "catalyst"]
    assert data.roles["score"].iloc[0] == 4.0
    assert_counts(data)


def test_outcomes_rules_and_types(tmp_path):
    outcomes = (
        "case_id,implemented,radicalness,label\n"
        "c1,1,3.5,alpha\n"  # 2
        "c2,0,NA,beta\n"  # 3
        "c9,1,2,gamma\n"  # 4 unknown case
        "c1,0,1,alpha\n"  # 5 second row for c1
        "c2,0,NA,beta\n"  # 6
        ",1,1,x\n"  # 7
    )
    data = validate_wave(dataset(tmp_path, waves__w1__outcomes=outcomes), "w1")
    bad = rejected_of(data, "waves/w1/outcomes.csv")
    assert bad[["line", "reason"]].values.tolist() == [
        [4, "unknown case"],
        [5, "duplicate case"],
        [6, "exact duplicate"],
        [7, "empty id: case_id"],
    ]
    out = data.outcomes
    assert out["implemented"].dtype == np.int64
    assert out["implemented"].tolist() == [1, 0]
    assert out["radicalness"].dtype == np.float64
    assert out["radicalness"].iloc[0] == 3.5 and math.isnan(out["radicalness"].iloc[1])
    assert pd.api.types.is_string_dtype(out["label"])
    assert_counts(data)


def test_actors_rules(tmp_path):
    actors = (
        "actor_id,sector\n"
        "a1,public\n"  # 2
        "a2,private\n"  # 3
        "a3,civil_society\n"  # 4
        "007,citizen\n"  # 5
        "a2,public\n"  # 6 duplicate id with another sector
        "a2,private\n"  # 7 identical to line 3
        ",public\n"  # 8
        "a9,\n"  # 9
    )
    data = validate_wave(dataset(tmp_path, actors=actors), "w1")
    bad = rejected_of(data, "actors.csv")
    assert bad[["line", "reason"]].values.tolist() == [
        [6, "duplicate actor id"],
        [7, "exact duplicate"],
        [8, "empty id: actor_id"],
        [9, "empty value: sector"],
    ]
    assert data.actors["actor_id"].tolist() == ["a1", "a2", "a3", "007"]
    assert data.actors.loc[1, "sector"] == "private"  # the first row is kept
    assert_counts(data)


def test_actors_joining_in_later_waves(tmp_path):
    root = dataset(
        tmp_path,
        waves__w2__actors="actor_id,sector,role_title\na5,public,mayor\na1,private,x\na2,private,y\n",
        waves__w2__interactions=INTERACTIONS_HEADER + "c1,a5,a1,,,,,,\n",
        waves__w1__interactions=INTERACTIONS_HEADER + "c1,a5,a1,,,,,,\nc1,a2,a1,,,,,,\n",
    )
    results, _ = validate_dataset(root)
    w1, w2 = results["w1"], results["w2"]
    # a5 joins in w2: unknown in w1
    assert rejected_of(w1, "waves/w1/interactions.csv")["reason"].tolist() == [
        "unknown actor: source"
    ]
    assert "a5" not in set(w1.actors["actor_id"])
    assert w2.interactions["source"].tolist() == ["a5"]
    bad = rejected_of(w2, "waves/w2/actors.csv")
    assert bad[["line", "reason"]].values.tolist() == [[3, "sector changes between waves"]]
    actors = w2.actors.set_index("actor_id")
    assert actors.loc["a5", "first_wave"] == "w2"
    assert actors.loc["a1", "first_wave"] == "w1"
    assert actors.loc["a1", "sector"] == "public"
    assert actors.loc["a5", "role_title"] == "mayor"
    assert pd.isna(actors.loc["a1", "role_title"])
    # the dataset's actors.csv is reported in every wave; a wave's actors.csv only in its own
    assert "actors.csv" in set(w1.summary["file"]) and "actors.csv" in set(w2.summary["file"])
    assert "waves/w2/actors.csv" not in set(w1.summary["file"])
    # the same result when one wave is validated on its own
    alone = validate_wave(root, "w2")
    pd.testing.assert_frame_equal(alone.actors, w2.actors)
    pd.testing.assert_frame_equal(alone.rejected, w2.rejected)


def test_group_attribute_other_than_sector(tmp_path):
    actors = "actor_id,level\na1,local\na2,national\na3,local\n007,\n"
    root = dataset(
        tmp_path, actors=actors, waves__w1__interactions=INTERACTIONS_HEADER + "c1,a1,a2,,,,,,\n"
    )
    data = validate_wave(root, "w1", group_attribute="level")
    assert rejected_of(data, "actors.csv")["reason"].tolist() == ["empty value: level"]
    assert list(data.actors.columns)[:2] == ["actor_id", "level"]
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")  # sector required by default
    assert err.value.column == "sector"


def test_members_roster_rule(tmp_path):
    members = "case_id,actor_id\nc1,a1\nc1,a2\nc1,zz\nc1,a1\n"
    text = INTERACTIONS_HEADER + (
        "c1,a1,a2,,,,,,\n"  # 2 both on the roster
        "c1,a1,a3,,,,,,\n"  # 3 a3 not on c1's roster
        "c1,007,a2,,,,,,\n"  # 4 007 not on the roster
        "c2,a1,a3,,,,,,\n"  # 5 c2 has no roster: any known actor
    )
    part = "case_id,event_id,actor_id\nc1,e1,a1\nc1,e1,a3\nc2,e1,a3\n"
    roles = "case_id,actor_id,role\nc1,a2,convener\nc1,a3,convener\n"
    data = validate_wave(
        dataset(
            tmp_path,
            waves__w1__members=members,
            waves__w1__interactions=text,
            waves__w1__participation=part,
            waves__w1__roles=roles,
        ),
        "w1",
    )
    assert rejected_of(data, "waves/w1/members.csv")[["line", "reason"]].values.tolist() == [
        [4, "unknown actor: actor_id"],
        [5, "exact duplicate"],
    ]
    assert rejected_of(data, "waves/w1/interactions.csv")[["line", "reason"]].values.tolist() == [
        [3, "actor not in case roster: target"],
        [4, "actor not in case roster: source"],
    ]
    assert rejected_of(data, "waves/w1/participation.csv")[["line", "reason"]].values.tolist() == [
        [3, "actor not in case roster: actor_id"]
    ]
    assert rejected_of(data, "waves/w1/roles.csv")[["line", "reason"]].values.tolist() == [
        [3, "actor not in case roster: actor_id"]
    ]
    assert data.members[["case_id", "actor_id"]].values.tolist() == [["c1", "a1"], ["c1", "a2"]]
    assert_counts(data)


def test_case_known_from_members_only_is_known(tmp_path):
    members = "case_id,actor_id\nc7,a1\n"
    outcomes = "case_id,implemented\nc7,1\nc8,0\n"
    data = validate_wave(
        dataset(tmp_path, waves__w1__members=members, waves__w1__outcomes=outcomes), "w1"
    )
    assert data.outcomes["case_id"].tolist() == ["c7"]
    assert rejected_of(data, "waves/w1/outcomes.csv")["reason"].tolist() == ["unknown case"]


# --------------------------------------------------------------------------- reading
def test_quoted_fields_with_commas_and_newlines_keep_line_numbers(tmp_path):
    text = INTERACTIONS_HEADER + (
        'c1,a1,a2,1,,,"meeting, long",,\n'  # 2
        'c1,a1,a3,1,,,"line one\nline two\nline three",,\n'  # 3-5
        "c1,a1,zz,1,,,,,\n"  # 6 bad
        'c1,a2,a3,1,,,"say ""hi""\n",,\n'  # 7-8
        "c1,a1,a1,1,,,,,\n"  # 9 bad
    )
    root = dataset(tmp_path, waves__w1__interactions=text)
    data = validate_wave(root, "w1")
    bad = rejected_of(data, "waves/w1/interactions.csv")
    assert bad[["line", "reason"]].values.tolist() == [
        [6, "unknown actor: target"],
        [9, "self-interaction"],
    ]
    inter = data.interactions
    assert inter["line"].tolist() == [2, 3, 7]
    assert inter["channel"].tolist() == [
        "meeting, long",
        "line one\nline two\nline three",
        'say "hi"',
    ]


def test_blank_lines_are_skipped_not_counted(tmp_path):
    text = (
        "\n"  # 1 blank before the header
        + INTERACTIONS_HEADER  # 2
        + "c1,a1,a2,1,,,,,\n"  # 3
        + "\n"  # 4
        + "   \n"  # 5
        + ",,,,,,,,\n"  # 6 all fields empty: blank
        + "c1,a1,zz,1,,,,,\n"  # 7
        + "\n\n"  # 8, 9
        + "c1,a2,a3,1,,,,,"  # 10, no final newline
    )
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    assert data.interactions["line"].tolist() == [3, 10]
    bad = rejected_of(data, "waves/w1/interactions.csv")
    assert bad[["line", "reason"]].values.tolist() == [[7, "unknown actor: target"]]
    assert file_summary(data).loc["waves/w1/interactions.csv", "rows_read"] == 3


def test_crlf_line_endings(tmp_path):
    text = (INTERACTIONS + "c1,a1,zz,1,,,,,\n").replace("\n", "\r\n")
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    assert data.interactions["line"].tolist() == [2, 3, 4]
    assert data.interactions["date"].iloc[0] == pd.Timestamp("2024-01-05")
    assert rejected_of(data, "waves/w1/interactions.csv")["line"].tolist() == [5]


def test_semicolon_file_with_decimal_commas(tmp_path):
    text = (
        "case_id;source;target;frequency;duration_min;closeness;channel\n"
        "c1;a1;a2;2,5;90,5;3,5;email, phone\n"
        "c1;a2;a3;1;;4;\n"
        "c1;a2;a3;x,5;;;\n"
    )
    actors = "actor_id;sector;budget\na1;public;1,5\na2;private;2\na3;public;\n"
    data = validate_wave(dataset(tmp_path, actors=actors, waves__w1__interactions=text), "w1")
    inter = data.interactions
    assert inter["frequency"].tolist() == [2.5, 1.0]
    assert inter["duration_min"].iloc[0] == 90.5
    assert inter["closeness"].tolist() == [3.5, 4.0]
    assert inter["channel"].iloc[0] == "email, phone"
    assert data.actors["budget"].iloc[:2].tolist() == [1.5, 2.0]
    bad = rejected_of(data, "waves/w1/interactions.csv")
    assert bad[["line", "reason"]].values.tolist() == [[4, "frequency not a number"]]


def test_tab_delimited_file(tmp_path):
    text = "case_id\tsource\ttarget\nc1\ta1\ta2\n"
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    assert data.interactions[["source", "target"]].values.tolist() == [["a1", "a2"]]


def test_bom_file_reads_fine(tmp_path):
    actors = b"\xef\xbb\xbf" + ACTORS.encode("utf-8")
    inter = b"\xef\xbb\xbf" + "case_id,source,target,channel\nc1,a1,a2,réunion\n".encode()
    data = validate_wave(dataset(tmp_path, actors=actors, waves__w1__interactions=inter), "w1")
    assert data.rejected.empty
    assert data.actors.columns[0] == "actor_id"
    assert data.interactions["channel"].tolist() == ["réunion"]


def test_latin1_file_is_a_clear_error(tmp_path):
    text = INTERACTIONS_HEADER + "c1,a1,a2,1,,,réunion,,\n"
    root = dataset(tmp_path, waves__w1__interactions=text.encode("latin-1"))
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert err.value.file == "waves/w1/interactions.csv"
    assert err.value.line == 2
    message = str(err.value)
    assert "interactions.csv" in message and "UTF-8" in message and "re-save" in message.lower()


def test_utf16_file_is_a_clear_error(tmp_path):
    root = dataset(tmp_path, actors=ACTORS.encode("utf-16"))
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert err.value.file == "actors.csv"
    assert "UTF-16" in str(err.value)


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff"])
def test_empty_file_is_an_error(tmp_path, content):
    root = dataset(tmp_path, waves__w1__interactions=content)
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert err.value.file == "waves/w1/interactions.csv"
    assert "empty" in str(err.value)


def test_unusual_quoting_falls_back_and_agrees(tmp_path):
    # a quote inside an unquoted field: the csv module reads the file
    text = INTERACTIONS_HEADER + 'c1,a1,a2,1,,,5" screen,,\n\nc1,a1,zz,1,,,x,,\n'
    path = write(tmp_path, {"f.csv": text}) / "f.csv"
    table = read_raw_table(path, "f.csv")
    assert table.engine == "python"
    assert table.raw["channel"].tolist() == ['5" screen', "x"]
    assert table.line.tolist() == [2, 4]


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n",
        'a,b\n"1\n\n2",3\n\n4,5\n',
        'a,b\n"x""y",2\n3\n4,5,6\n,\n  \n7,8',
        "a;b\n1,5;2\n;\n",
        'a,b\n"",""\n1,""\n',
        "\n\na,b\n1,2\n",
        # no quote character: the reader's shortcut, and its fall-backs
        "a,b\n1,2\n3,4",
        "a,b\n1,2\n\n3,4\n",
        "a,b\n1,2\n3\n4,5\n",
        "a,b\n ,\n5,6\n",
        "a\n1\n  \n2\n",
        "a,b\n",
        "a,b,c\n1,2,3\n\n\n",
    ],
)
def test_read_engines_agree(tmp_path, text):
    path = write(tmp_path, {"f.csv": text}) / "f.csv"
    fast, slow = read_raw_table(path, "f.csv"), read_raw_table(path, "f.csv", engine="python")
    assert slow.engine == "python"
    assert fast.columns == slow.columns
    assert fast.line.tolist() == slow.line.tolist()
    pd.testing.assert_frame_equal(fast.raw, slow.raw)
    pd.testing.assert_frame_equal(fast.malformed, slow.malformed)


# --------------------------------------------------------------------------- structural errors
def test_missing_required_files(tmp_path):
    with pytest.raises(InputError) as err:
        validate_wave(dataset(tmp_path, actors=None), "w1")
    assert err.value.file == "actors.csv" and "missing" in str(err.value)

    root = dataset(tmp_path / "b", waves__w1__interactions=None, waves__w1__roles="x\n")
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert err.value.file == "waves/w1/interactions.csv"
    assert "interactions.csv" in str(err.value)


@pytest.mark.parametrize(
    ("files", "file", "column"),
    [
        ({"actors": "actor_id,organization\na1,x\n"}, "actors.csv", "sector"),
        ({"actors": "id,sector\na1,x\n"}, "actors.csv", "actor_id"),
        (
            {"waves__w1__interactions": "case_id,source\nc1,a1\n"},
            "waves/w1/interactions.csv",
            "target",
        ),
        (
            {"waves__w1__participation": "case_id,actor_id\nc1,a1\n"},
            "waves/w1/participation.csv",
            "event_id",
        ),
        ({"waves__w1__roles": "case_id,actor_id,score\nc1,a1,2\n"}, "waves/w1/roles.csv", "role"),
        ({"waves__w1__outcomes": "case,implemented\nc1,1\n"}, "waves/w1/outcomes.csv", "case_id"),
        ({"waves__w1__members": "case_id,member\nc1,a1\n"}, "waves/w1/members.csv", "actor_id"),
        ({"waves__w1__actors": "actor_id\na9\n"}, "waves/w1/actors.csv", "sector"),
    ],
)
def test_missing_required_column_names_file_and_column(tmp_path, files, file, column):
    with pytest.raises(InputError) as err:
        validate_wave(dataset(tmp_path, **files), "w1")
    assert err.value.file == file
    assert err.value.column == column
    assert err.value.line == 1
    message = str(err.value)
    assert file in message and f"'{column}'" in message


def test_duplicate_header_column_is_an_error(tmp_path):
    root = dataset(tmp_path, waves__w1__interactions="case_id,source,target,source\nc1,a1,a2,a3\n")
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert err.value.column == "source"


def test_unreadable_file(tmp_path):
    root = dataset(tmp_path, waves__w1__interactions=None)
    (root / "waves/w1/interactions.csv").mkdir(parents=True)
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1")
    assert err.value.file == "waves/w1/interactions.csv"
    assert "cannot read" in str(err.value)


def test_on_bad_rows_fail_names_first_bad_row(tmp_path):
    text = INTERACTIONS_HEADER + "c1,a1,a2,1,,,,,\nc1,a1,a2,1,,9,,,\nc1,a1,zz,1,,,,,\n"
    root = dataset(tmp_path, waves__w1__interactions=text)
    with pytest.raises(InputError) as err:
        validate_wave(root, "w1", on_bad_rows="fail")
    e = err.value
    assert (e.file, e.line, e.column) == ("waves/w1/interactions.csv", 3, "closeness")
    assert "closeness out of range 1-5" in str(e)
    assert "1 more bad row" in str(e)
    # without bad rows nothing is raised
    assert validate_wave(dataset(tmp_path / "ok"), "w1", on_bad_rows="fail").rejected.empty
    with pytest.raises(ValueError):
        validate_wave(root, "w1", on_bad_rows="ignore")


# --------------------------------------------------------------------------- waves
def test_discover_waves_natural_and_configured_order(tmp_path):
    for wave in ("w10", "w2", "w1", "2024", ".hidden"):
        (tmp_path / "waves" / wave).mkdir(parents=True)
    (tmp_path / "waves" / "notes.txt").write_text("x")
    assert discover_waves(tmp_path) == ["2024", "w1", "w2", "w10"]
    assert discover_waves(tmp_path, []) == ["2024", "w1", "w2", "w10"]
    assert discover_waves(tmp_path, ["w10", "w1"]) == ["w10", "w1"]
    with pytest.raises(InputError) as err:
        discover_waves(tmp_path, ["w1", "w3"])
    assert "w3" in str(err.value) and err.value.file == "waves/w3"
    with pytest.raises(InputError):
        discover_waves(tmp_path / "nowhere")


def test_wave_order_decides_which_wave_actors_are_known(tmp_path):
    root = dataset(
        tmp_path,
        waves__fall__actors="actor_id,sector\na5,public\n",
        waves__fall__interactions=INTERACTIONS_HEADER + "c1,a5,a1,,,,,,\n",
        waves__spring__interactions=INTERACTIONS_HEADER + "c1,a5,a1,,,,,,\n",
        waves__w1__interactions=None,
    )
    spring_last = validate_wave(root, "spring", waves=["fall", "spring"])
    assert spring_last.rejected.empty
    spring_first = validate_wave(root, "spring", waves=["spring", "fall"])
    assert spring_first.rejected["reason"].tolist() == ["unknown actor: source"]


# --------------------------------------------------------------------------- results
def test_write_and_read_validated_round_trip(tmp_path):
    root = dataset(
        tmp_path,
        waves__w1__members="case_id,actor_id,note\nc1,a1,x\nc1,a2,\nc2,a3,y\nc2,007,z\n",
        waves__w1__interactions=INTERACTIONS + "c1,a1,zz,1,,,,,\n",
        waves__w1__participation="case_id,event_id,actor_id,date\nc1,e1,a1,2024-01-01\n",
        waves__w1__roles="case_id,actor_id,role,score\nc1,a1,convener,3\nc1,a1,boss,\n",
        waves__w1__outcomes="case_id,implemented\nc1,1\nc2,0\n",
        waves__w1__actors="actor_id,sector,file\na8,public,x\n,public,y\n",
    )
    data = validate_wave(root, "w1")
    out = tmp_path / "results" / "ds" / "waves" / "w1"
    write_validated(data, out)
    names = sorted(p.name for p in (out / "validated").iterdir())
    assert names == [
        "actors.parquet",
        "interactions.parquet",
        "members.parquet",
        "outcomes.parquet",
        "participation.parquet",
        "roles.parquet",
        "summary.csv",
    ]
    rejected = pd.read_csv(out / "rejected.csv", dtype=str)
    assert list(rejected.columns[:3]) == ["file", "line", "reason"]
    assert "raw_file" in rejected.columns  # a raw field named like a fixed column
    back = read_validated(out, "w1")
    for name in (
        "actors",
        "interactions",
        "participation",
        "roles",
        "outcomes",
        "members",
        "rejected",
        "summary",
    ):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(data, name), obj=name)
    assert back.wave == "w1"

    # a later validation without optional files leaves no stale tables
    clean = validate_wave(dataset(tmp_path / "c"), "w1")
    write_validated(clean, out)
    again = read_validated(out, "w1")
    assert again.roles is None and again.members is None
    assert list(pd.read_csv(out / "rejected.csv").columns) == ["file", "line", "reason"]
    pd.testing.assert_frame_equal(again.rejected, clean.rejected)


def test_validate_dataset_summary_and_structural_errors(tmp_path):
    root = dataset(
        tmp_path,
        waves__w1__interactions=INTERACTIONS + "c1,a1,zz,1,,,,,\nc1,a1,zz,1,,,,,\n",
        waves__w2__interactions="case_id,source\nc1,a1\n",
    )
    results, text = validate_dataset(root)
    assert list(results) == ["w1", "w2"]
    assert isinstance(results["w1"], WaveData)
    assert isinstance(results["w2"], InputError)
    assert results["w2"].column == "target"
    assert "wave w1" in text and "wave w2: STOPPED" in text
    assert "unknown actor: target" in text
    assert "column 'target'" in text
    assert re.search(r"waves/w1/interactions.csv\s+5\s+3\s+2", text)
    assert format_summary(results) == text.split("\n", 1)[1].lstrip("\n")


def test_validate_command(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    root = dataset(tmp_path)
    out = tmp_path / "results"
    assert run(parser.parse_args([str(root), "--out", str(out)])) == 0
    assert "waves/w1/interactions.csv" in capsys.readouterr().out
    assert (out / "waves" / "w1" / "validated" / "interactions.parquet").exists()

    bad = dataset(tmp_path / "bad", waves__w1__interactions=INTERACTIONS + "c1,a1,a1,,,,,,\n")
    assert run(parser.parse_args([str(bad)])) == 0
    assert run(parser.parse_args([str(bad), "--on-bad-rows", "fail", "--directed"])) == 1
    assert "self-interaction" in capsys.readouterr().out
    assert run(parser.parse_args([str(bad), "--waves", "w9"])) == 1
    assert "w9" in capsys.readouterr().err


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


# --------------------------------------------------------------------------- building blocks
def test_text_column_encoding_strips_merges_and_spans_chunks():
    import pyarrow as pa

    from netinnov.io.columns import TextColumn

    chunked = pa.chunked_array([pa.array(["a", " a", "b", ""]), pa.array(["  ", "c", "b ", None])])
    col = TextColumn.from_text(chunked)
    assert len(col) == 8
    decoded = col.to_series().tolist()
    expected = ["a", "a", "b", None, None, "c", "b", None]
    assert [None if pd.isna(v) else v for v in decoded] == expected
    assert col.missing.tolist() == [v is None for v in expected]
    assert sorted(col.values.to_pylist()) == ["a", "b", "c"]
    # equal values have equal codes
    codes = col.codes
    assert codes[0] == codes[1] and codes[2] == codes[6] and codes[0] != codes[2]
    other = TextColumn.from_text(["b", "a", "x", "b", "", "c", "b", "q"])
    assert col.equals(other).tolist() == [False, True, False, False, False, True, True, False]


def test_duplicated_rows_matches_pandas_including_key_overflow():
    from netinnov.io.vector import duplicated_rows

    rng = np.random.default_rng(7)
    n = 2000
    frame = pd.DataFrame({f"c{i}": rng.integers(0, 3, n) for i in range(6)})
    rows = rng.random(n) < 0.8
    # sizes so large that the combined key must be re-densified several times
    keys = [(frame[c].to_numpy().astype(np.int64), 2**20) for c in frame.columns]
    got = duplicated_rows(keys, rows)
    expected = np.zeros(n, dtype=bool)
    seen = set()
    for i in range(n):  # brute force reference
        if not rows[i]:
            continue
        key = tuple(frame.iloc[i])
        expected[i] = key in seen
        seen.add(key)
    assert (got == expected).all()
    assert got.sum() > 0


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        (["1", "2", "3"], "int64", [1, 2, 3]),
        (["1", "", "3"], "float64", [1.0, float("nan"), 3.0]),
        (["1.5", "NA", "2"], "float64", [1.5, float("nan"), 2.0]),
        (["007", "8"], "str", ["007", "8"]),
        (["1", "two"], "str", ["1", "two"]),
        (["", ""], "str", [None, None]),
    ],
)
def test_infer_column(values, dtype, expected):
    from netinnov.io.columns import TextColumn
    from netinnov.io.values import infer_column

    out = infer_column(TextColumn.from_text(values))
    if dtype == "str":
        assert pd.api.types.is_string_dtype(out)
        assert [None if pd.isna(v) else v for v in out] == expected
    else:
        assert out.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(out.to_numpy(), np.asarray(expected))


def test_unclosed_quote_is_read_without_losing_count(tmp_path):
    text = INTERACTIONS_HEADER + 'c1,a1,a2,1,,,"never closed,,\nc1,a2,a3,1,,,,,\n'
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    assert_counts(data)
    assert rejected_of(data, "waves/w1/interactions.csv")["line"].tolist() == [2]
