"""Tests of netinnov.io.read: CSV dialects, encodings, quoting and line numbers
of the raw-table reader (its fast and python engines agree).
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.tiny_dataset import (
    ACTORS,
    INTERACTIONS,
    INTERACTIONS_HEADER,
    assert_counts,
    dataset,
    file_summary,
    rejected_of,
    write,
)
from netinnov.io import (
    InputError,
    read_raw_table,
    validate_wave,
)


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




def test_unclosed_quote_is_read_without_losing_count(tmp_path):
    text = INTERACTIONS_HEADER + 'c1,a1,a2,1,,,"never closed,,\nc1,a2,a3,1,,,,,\n'
    data = validate_wave(dataset(tmp_path, waves__w1__interactions=text), "w1")
    assert_counts(data)
    assert rejected_of(data, "waves/w1/interactions.csv")["line"].tolist() == [2]
