"""Quotes escaped with a backslash (``"say \\"hi\\""``), issue 14 item 7.

R's ``write.table`` (``qmethod = "escape"``, its default) and MySQL's
``SELECT ... INTO OUTFILE`` write a quote inside a field as ``\\"`` instead of
doubling it. A file written that way is read as its writer meant; a record
with ``\\"`` in a file whose other quoting needs the standard reading is
quarantined with a named reason, never accepted mangled.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.paths import BAD_BASE
from netinnov.io import validate_wave
from netinnov.io.checker import ESCAPED_QUOTE
from netinnov.io.read import read_raw_table

BASE = BAD_BASE
INTERACTIONS = "waves/w1/interactions.csv"
HEADER = "case_id,source,target,frequency,duration_min,closeness,channel,phase,date\n"
PAIRS = [("a1", "a2"), ("a2", "a3"), ("a3", "a1"), ("a4", "a5"), ("a1", "a3"), ("a2", "a4")]


@pytest.fixture
def dataset(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(BASE, root)
    return root


def _escaped(value: str) -> str:
    """A field as R's write.table writes it: quoted, inner quotes as \\"."""
    return '"' + value.replace('"', '\\"') + '"'


def _rows(channels: list[str]) -> str:
    return "".join(f"c1,{s},{t},1,10,3,{_escaped(ch)},design,2024-01-0{i + 1}\n"
                   for i, ((s, t), ch) in enumerate(zip(PAIRS, channels, strict=False)))


def test_a_file_written_with_backslash_escapes_is_read_as_meant(dataset):
    channels = ['say "hi"', 'a "b", c', 'two\nlines "x"', "plain"]
    (dataset / INTERACTIONS).write_text(HEADER + _rows(channels), encoding="utf-8")
    data = validate_wave(dataset, "w1")
    assert data.rejected.empty
    assert data.interactions["channel"].astype(str).tolist() == channels
    assert data.interactions["line"].tolist() == [2, 3, 4, 6]  # the line break inside a field counts


def test_backslashes_elsewhere_are_kept(dataset):
    text = HEADER + _rows(['say "hi"']) + "c1,a2,a3,1,10,3,C:\\dir\\x,design,2024-01-05\n"
    (dataset / INTERACTIONS).write_text(text, encoding="utf-8")
    data = validate_wave(dataset, "w1")
    assert data.interactions["channel"].astype(str).tolist() == ['say "hi"', "C:\\dir\\x"]


def test_a_standard_file_with_a_trailing_backslash_is_unchanged(dataset):
    text = HEADER + 'c1,a1,a2,1,10,3,"C:\\dir\\",design,2024-01-05\nc1,a2,a3,1,10,3,"x ""y""",design,2024-01-06\n'
    (dataset / INTERACTIONS).write_text(text, encoding="utf-8")
    data = validate_wave(dataset, "w1")
    assert data.interactions["channel"].astype(str).tolist() == ["C:\\dir\\", 'x "y"']


def test_a_record_the_file_dialect_cannot_read_is_quarantined_not_mangled(dataset):
    # a standard field ending in a backslash makes the backslash reading fail, so
    # the file is standard; the record with \" would be mangled by it (say \hi\")
    text = (HEADER + _rows(['say "hi"'])
            + 'c1,a2,a3,1,10,3,"C:\\dir\\",design,2024-01-05\n'
            + "c1,a3,a1,2,10,3,meeting,design,2024-01-06\n")
    (dataset / INTERACTIONS).write_text(text, encoding="utf-8")
    data = validate_wave(dataset, "w1")
    rejected = data.rejected
    assert rejected["reason"].tolist() == [ESCAPED_QUOTE] and rejected["line"].tolist() == [2]
    assert rejected["channel"].tolist() == ['say "hi"']  # the backslash reading, not 'say \\hi\\"'
    assert data.interactions["channel"].astype(str).tolist() == ["C:\\dir\\", "meeting"]
    row = data.summary[data.summary["file"] == INTERACTIONS].iloc[0]
    assert row["rows_read"] == 3 == row["accepted"] + row["rejected"]
    assert not data.interactions["channel"].astype(str).str.contains('\\\\"', regex=False).any()


def test_on_bad_rows_fail_names_the_line(dataset):
    from netinnov.io import InputError

    text = HEADER + _rows(['say "hi"']) + 'c1,a2,a3,1,10,3,"C:\\dir\\",design,2024-01-05\n'
    (dataset / INTERACTIONS).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        validate_wave(dataset, "w1", on_bad_rows="fail")
    assert err.value.line == 2 and "backslash-escaped quote" in str(err.value)


_ALPHABET = st.characters(
    codec="utf-8", exclude_characters="\\\r\x00\ufeff=", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")
) | st.sampled_from([" ", '"', ",", ";", "|", "\n"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(_ALPHABET, max_size=12), min_size=1, max_size=6).map(
    lambda v: [f'{v[0]}"x', *(f"y{x}" for x in v[1:])]))  # one quote at least, no blank value
def test_any_text_written_with_backslash_escapes_comes_back(tmp_path_factory, channels):
    import unicodedata

    path = tmp_path_factory.mktemp("bs") / "interactions.csv"
    path.write_text(HEADER + _rows(channels), encoding="utf-8")
    table = read_raw_table(path, "interactions.csv")
    assert table.backslash_escapes
    got = pd.Series(table.values["channel"].to_series()).astype(object).tolist()
    assert got == [unicodedata.normalize("NFC", c).strip() for c in channels]
