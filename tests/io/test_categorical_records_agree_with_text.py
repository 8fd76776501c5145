"""Tests of the compact layout of validated records and of the code paths that
read it without spelling rows out: categorical text columns, parquet written
block by block, raw fields kept as codes, integer codes of id columns, and the
chunked steps of the wave stage (each must give what the plain path gives).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from netinnov.io import (
    STRING,
    codes,
    read_raw_table,
    read_validated,
    store,
    validate_wave,
    write_validated,
)
from netinnov.io.dtypes import as_text, sorted_categorical, text_categorical
from netinnov.io.memory import release_memory
from netinnov.metrics import roles
from netinnov.metrics.phases import phase_participation
from netinnov.metrics.wave import _case_groups
from netinnov.networks.build import case_networks, case_rosters, wave_ties

ACTORS = "actor_id,sector\na1,public\na2,private\na3,civil_society\na4,public\n"
INTERACTIONS = (
    "case_id,source,target,frequency,channel,phase,date,note\n"
    "c2,a1,a2,2,meeting,design,2024-01-05,x\n"
    "c1, a2 ,a3,,Email,,,y\n"
    "c1,a3,a1,1,phone,Implementation,2024-02-01,\n"
    "c1,a3 ,a1,1,phone,Implementation,2024-02-01,\n"  # duplicate once stripped
    "c1,a9,a1,1,phone,design,2024-02-02,z\n"  # unknown actor
    "c2,a4,a1,3,,initiation,2024-03-01,x\n"
)
PARTICIPATION = "case_id,event_id,actor_id,phase\nc1,e1,a1,design\nc1,e1,a3,design\nc2,e2,a4,initiation\n"


def _dataset(tmp_path: Path) -> Path:
    root = tmp_path / "ds"
    (root / "waves" / "w1").mkdir(parents=True)
    (root / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (root / "waves" / "w1" / "interactions.csv").write_text(INTERACTIONS, encoding="utf-8")
    (root / "waves" / "w1" / "participation.csv").write_text(PARTICIPATION, encoding="utf-8")
    return root


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({c: as_text(frame[c]) for c in frame.columns}, index=frame.index)


# --------------------------------------------------------------------- dtypes
def test_record_tables_hold_sorted_categoricals_of_text(tmp_path):
    data = validate_wave(_dataset(tmp_path), "w1")
    inter = data.interactions
    for col in ("case_id", "source", "target", "channel", "phase", "note"):
        dtype = inter[col].dtype
        assert isinstance(dtype, pd.CategoricalDtype), col
        assert dtype.categories.dtype == STRING and not dtype.ordered
        assert dtype.categories.is_monotonic_increasing
        used = np.unique(inter[col].cat.codes[inter[col].cat.codes >= 0])
        assert len(used) == len(dtype.categories)  # only values of accepted rows
    assert inter["source"].tolist() == ["a1", "a2", "a3", "a4"]
    assert inter["channel"].cat.categories.tolist() == ["Email", "meeting", "phone"]
    assert inter["phase"].tolist()[:3] == ["design", np.nan, "implementation"]
    assert isinstance(data.participation["event_id"].dtype, pd.CategoricalDtype)
    assert data.actors["actor_id"].dtype == STRING  # actors and rejected stay text
    assert data.rejected["source"].dtype == STRING


def test_text_categorical_is_canonical():
    values = pa.array(["b", "zz", "a", "c"], pa.large_string())
    cat = text_categorical(np.array([2, 0, -1, 2, 3], np.int32), values)
    assert cat.categories.tolist() == ["a", "b", "c"]  # "zz" unused
    assert cat.codes.tolist() == [0, 1, -1, 0, 2]
    messy = pd.Series(pd.Categorical(["x", "b", None, "b"], categories=["x", "b", "q"]))
    tidy = sorted_categorical(messy)
    assert tidy.cat.categories.tolist() == ["b", "x"] and tidy.cat.categories.dtype == STRING
    assert tidy.tolist() == ["x", "b", np.nan, "b"]
    assert sorted_categorical(tidy) is tidy


# --------------------------------------------------------------------- storage
def test_written_parquet_is_to_parquet_of_the_text_block_by_block(tmp_path, monkeypatch):
    data = validate_wave(_dataset(tmp_path), "w1")
    frame = data.interactions
    expected = tmp_path / "expected.parquet"
    _as_text(frame).to_parquet(expected, index=False, row_group_size=2)
    monkeypatch.setattr(store, "ROW_GROUP", 2)  # blocks end inside the table
    got = tmp_path / "got.parquet"
    store.write_parquet(frame, got)
    assert got.read_bytes() == expected.read_bytes()
    back = store.read_parquet(got, categorical=True)
    pd.testing.assert_frame_equal(back, frame)


def test_write_validated_files_equal_those_of_text_tables(tmp_path):
    data = validate_wave(_dataset(tmp_path), "w1")
    write_validated(data, tmp_path / "out")
    for name in ("interactions", "participation"):
        plain = tmp_path / f"{name}.parquet"
        _as_text(getattr(data, name)).to_parquet(plain, index=False)
        assert (tmp_path / "out" / "validated" / f"{name}.parquet").read_bytes() == plain.read_bytes()
    back = read_validated(tmp_path / "out", "w1")
    pd.testing.assert_frame_equal(back.interactions, data.interactions)


# --------------------------------------------------------------------- raw text
@pytest.mark.parametrize(
    "column",
    [
        ["a", "", "b", "a"],  # the stripped codes spell the raw text
        [" a", "a", "", "  ", "b "],  # two spellings of one value: own codes
    ],
)
def test_raw_fields_are_spelled_as_written(tmp_path, column):
    path = tmp_path / "f.csv"
    path.write_text("x,y\n" + "".join(f"{v},{i}\n" for i, v in enumerate(column)), encoding="utf-8")
    table = read_raw_table(path)
    assert table.raw["x"].tolist() == column
    mask = np.arange(len(column)) % 2 == 1
    assert table.raw_rows(mask)["x"].tolist() == [v for v, m in zip(column, mask, strict=True) if m]
    assert table.values["x"].to_series().tolist() == [v.strip() or np.nan for v in column]


# --------------------------------------------------------------------- codes
def test_shared_codes_agree_for_text_and_categoricals():
    a = pd.Series(["b", "a", None, "c"], dtype=STRING)
    b = pd.Series(["d", "a"], dtype=STRING)
    a_cat = pd.Series(pd.Categorical(a, categories=["c", "b", "a", "unused"]))
    (ca, cb), labels = codes.shared_codes(a, b)
    (ka, kb), labels_cat = codes.shared_codes(a_cat, b.astype("category"))
    assert labels.tolist() == labels_cat.tolist() == ["a", "b", "c", "d"]
    assert ca.tolist() == ka.tolist() == [1, 0, -1, 2]
    assert cb.tolist() == kb.tolist() == [3, 0]
    assert codes.text_equals(a_cat, "b").tolist() == [True, False, False, False]


def test_case_rows_and_case_groups_keep_a_single_case_frame():
    frame = pd.DataFrame({"case_id": pd.Categorical(["c1"] * 3), "x": [1, 2, 3]})
    assert codes.case_rows(frame, "c1") is frame
    assert codes.case_rows(frame, "c2") is None
    assert _case_groups(frame) == {"c1": frame} and _case_groups(frame)["c1"] is frame
    two = pd.DataFrame({"case_id": pd.Categorical(["c1", "c2", "c1"]), "x": [1, 2, 3]})
    assert codes.case_rows(two, "c1")["x"].tolist() == [1, 3]
    assert sorted(_case_groups(two)) == ["c1", "c2"]


# --------------------------------------------------------------------- wave stage
def test_wave_stage_steps_agree_for_text_and_categorical_records(tmp_path):
    data = validate_wave(_dataset(tmp_path), "w1")
    members = pd.DataFrame({"case_id": pd.Categorical(["c2", "c2"]), "actor_id": pd.Categorical(["a1", "a3"])})
    inter, part = data.interactions, data.participation
    inter_text, part_text = _as_text(inter), _as_text(part)
    pd.testing.assert_frame_equal(
        case_rosters(inter, part, members), case_rosters(inter_text, part_text, _as_text(members))
    )
    pd.testing.assert_frame_equal(
        phase_participation(inter, data.actors, part), phase_participation(inter_text, data.actors, part_text)
    )
    ties = wave_ties(inter, part, directed=True)
    pd.testing.assert_frame_equal(ties, wave_ties(inter_text, part_text, directed=True))
    rosters = case_rosters(inter, part, None)
    nets = case_networks(ties, rosters, data.actors, directed=True)
    for case_id, net in nets.items():
        pd.testing.assert_frame_equal(
            roles.role_components(net, inter, part),
            roles.role_components(net, inter_text, part_text),
            obj=case_id,
        )


def test_case_rosters_members_fix_their_cases():
    inter = pd.DataFrame(
        {"case_id": ["c1", "c1", "c2"], "source": ["a", "b", "x"], "target": ["b", "c", "y"]}
    )
    members = pd.DataFrame({"case_id": ["c1", "c1"], "actor_id": ["a", "iso"]})
    out = case_rosters(inter, None, members)
    assert out.to_dict("list") == {"case_id": ["c1", "c1", "c2", "c2"], "actor_id": ["a", "iso", "x", "y"]}
    assert out["case_id"].dtype == STRING


def test_release_memory_keeps_live_data_and_returns_what_was_freed():
    """Releasing memory frees nothing that is still in use (live arrow and numpy
    data keep their values), can be called repeatedly, and leaves arrow's pool
    holding no more than before."""
    import pyarrow.compute as pc

    pool = pa.default_memory_pool()
    live = pc.add(pa.array(np.arange(200_000, dtype=np.int64)), 0)  # allocated in arrow's pool
    kept = np.arange(200_000, dtype=np.float64) * 0.5
    before = pool.bytes_allocated()
    garbage = pc.add(pa.array(np.arange(1_000_000, dtype=np.int64)), 1)
    assert pool.bytes_allocated() > before
    del garbage
    assert release_memory() is None
    assert release_memory() is None
    assert pool.bytes_allocated() <= before
    assert pool.bytes_allocated() >= live.nbytes
    assert live.to_numpy().tolist() == list(range(200_000))
    np.testing.assert_array_equal(kept, np.arange(200_000) * 0.5)
