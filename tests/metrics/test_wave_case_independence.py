"""A case is measured by its own records: adding, removing or changing another
case never changes a case's rows in ties.csv, actors.csv or cases.csv.

The check runs the wave step on the bundled example (two waves, so the
previous-wave measures take part) once with every case and once without one
case — its records removed from every input table of both waves — and
compares every other case's rows, column by column and exactly.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from helpers.paths import REPO
from netinnov.config import load_config
from netinnov.io import validate_wave
from netinnov.metrics.wave import wave_tables

EXAMPLE = REPO / "data" / "example"
WAVES = ["w1", "w2"]
#: The cases left out: a small one and a large one of the example.
DROPPED = ["case03", "case17"]


def _options() -> dict:
    config = load_config(REPO / "config" / "config.yaml", {"dataset": str(EXAMPLE)})
    return {**config, "ei_permutations": 50}


def _without(data, case_id: str):
    """The validated wave without the records of one case."""
    changes = {}
    for name in ("interactions", "participation", "roles", "outcomes", "members"):
        frame = getattr(data, name)
        if frame is not None:
            changes[name] = frame[frame["case_id"].astype(str) != case_id].reset_index(drop=True)
    return dataclasses.replace(data, **changes)


@pytest.fixture(scope="module")
def validated():
    return [validate_wave(EXAMPLE, w, waves=WAVES, directed=True) for w in WAVES]


def _tables(waves, options):
    out, previous = [], None
    for data in waves:
        out.append(wave_tables(data, options, previous=previous))
        previous = data
    return out


@pytest.fixture(scope="module")
def full(validated):
    return _tables(validated, _options())


def _rows(frame: pd.DataFrame, keep: set[str]) -> pd.DataFrame:
    rows = frame[frame["case_id"].astype(str).isin(keep)]
    sort = [c for c in ("case_id", "actor_id", "source", "target") if c in rows.columns]
    return rows.sort_values(sort, kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("dropped", DROPPED)
def test_dropping_a_case_leaves_every_other_case_unchanged(validated, full, dropped):
    assert any(dropped in set(t.cases["case_id"].astype(str)) for t in full), "the example changed: pick another case"
    reduced = _tables([_without(d, dropped) for d in validated], _options())
    for wave, before, after in zip(WAVES, full, reduced, strict=True):
        keep = set(before.cases["case_id"].astype(str)) - {dropped}
        assert dropped not in set(after.cases["case_id"].astype(str))
        for name in ("ties", "actors", "cases"):
            a = _rows(getattr(before, name), keep)
            b = _rows(getattr(after, name), keep)
            # an all-missing column may be absent from the smaller wave; every column present in both must agree
            common = [c for c in a.columns if c in b.columns]
            missing = [c for c in a.columns if c not in b.columns and a[c].notna().any()]
            assert not missing, f"{wave} {name}: columns lost without case {dropped}: {missing}"
            pd.testing.assert_frame_equal(a[common], b[common], check_exact=True, check_dtype=False,
                                          obj=f"{wave} {name}.csv without {dropped}")


def test_changing_another_case_leaves_a_case_unchanged(validated, full):
    """Doubling every frequency of one case changes nothing of the others."""
    target = DROPPED[1]
    changed = []
    for data in validated:
        inter = data.interactions.copy()
        sel = (inter["case_id"].astype(str) == target).to_numpy()
        freq = pd.to_numeric(inter["frequency"], errors="coerce").to_numpy(dtype=float)
        inter["frequency"] = np.where(sel, freq * 2.0, freq)
        changed.append(dataclasses.replace(data, interactions=inter))
    after = _tables(changed, _options())
    for wave, before, now in zip(WAVES, full, after, strict=True):
        keep = set(before.cases["case_id"].astype(str)) - {target}
        for name in ("ties", "actors", "cases"):
            pd.testing.assert_frame_equal(_rows(getattr(before, name), keep), _rows(getattr(now, name), keep),
                                          check_exact=True, check_dtype=False, obj=f"{wave} {name}.csv")
