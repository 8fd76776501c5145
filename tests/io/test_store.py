"""Tests of netinnov.io.store: validated records written and read back unchanged.
"""

from __future__ import annotations

import pandas as pd

from helpers.tiny_dataset import (
    INTERACTIONS,
    dataset,
)
from netinnov.io import (
    read_validated,
    validate_wave,
    write_validated,
)


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


def test_reading_some_cases_equals_reading_the_wave_and_keeping_them(tmp_path):
    """``read_validated(cases=...)`` filters the record tables while reading; the
    frames equal a whole read cut to those cases (as a wave chunk cuts it)."""
    from netinnov.io.store import read_case_ids

    def cut(frame, cases):  # the rows of ``cases``, unused categories dropped
        keep = frame[frame["case_id"].astype(str).isin(set(cases)).to_numpy()]
        for col in keep.columns:
            if isinstance(keep[col].dtype, pd.CategoricalDtype):
                keep = keep.assign(**{col: keep[col].cat.remove_unused_categories()})
        return keep.reset_index(drop=True)

    write_validated(validate_wave(dataset(tmp_path / "data"), "w1"), tmp_path)
    whole = read_validated(tmp_path, "w1")
    ids = sorted(whole.interactions["case_id"].astype(str).unique())
    assert len(ids) >= 2
    assert list(read_case_ids(tmp_path, "interactions")) == list(whole.interactions["case_id"].astype(str))
    for cases in (ids[:1], ids[1:], ids, []):
        part = read_validated(tmp_path, "w1", cases=cases)
        for name in ("interactions", "participation", "roles", "members"):
            got, full = getattr(part, name), getattr(whole, name)
            if full is None:
                assert got is None
                continue
            assert set(got["case_id"].astype(str)) <= set(cases) and len(got) == len(cut(full, cases)), name
            pd.testing.assert_frame_equal(cut(got, cases), cut(full, cases))
        pd.testing.assert_frame_equal(part.actors, whole.actors)
