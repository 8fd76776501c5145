"""Tests of netinnov.io.validate: row rules, quarantine with reason and line,
structural errors and the summary of a validated wave.
"""

from __future__ import annotations

import csv
import math
import re

import numpy as np
import pandas as pd
import pytest

from helpers.tiny_dataset import (
    INTERACTIONS,
    INTERACTIONS_HEADER,
    assert_counts,
    dataset,
    file_summary,
    rejected_of,
)
from netinnov.io import (
    InputError,
    WaveData,
    format_summary,
    validate_dataset,
    validate_wave,
)


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
