"""The wave stage split into per-case-chunk jobs (``netinnov.steps.wave_chunks``) writes
the tables and GraphML files of one job over all cases, byte for byte, for
any number of chunks — also more chunks than cases (empty chunks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.paths import REPO
from netinnov.config import load_config
from netinnov.io import validate_wave, write_validated
from netinnov.metrics.wave import WAVE_TABLE_FILES
from netinnov.steps.wave_chunks import (
    GATHERED_TABLES,
    case_weights,
    chunk_data,
    plan_chunks,
    run_chunk,
    run_gather,
)
from netinnov.steps.wave_tables import run_wave

EXAMPLE = REPO / "data" / "example"
WAVES = ["w1", "w2"]
TABLES = ["ties.csv", "actors.csv", "cases.csv", *(f"{name}.csv" for name in WAVE_TABLE_FILES)]


def _options() -> dict:
    config = load_config(REPO / "config" / "config.yaml", {"dataset": str(EXAMPLE)})
    return {**config, "ei_permutations": 50, "phase_tests": {"n_boot": 200}}


def _undated(data):
    """The wave with every record's date removed: the catalyst's newcomers then
    come from the previous wave (its actors with a tie), not from the dates."""
    for name in ("interactions", "participation"):
        frame = getattr(data, name)
        if frame is not None and "date" in frame.columns:
            frame["date"] = pd.NaT
    return data


def _one_job(root: Path, *, dated: bool = True) -> Path:
    """The example's waves w1, w2 validated, and the wave step in one job."""
    options = _options()
    for w in WAVES:
        data = validate_wave(EXAMPLE, w, waves=WAVES, directed=True)
        write_validated(data if dated else _undated(data), root / "single" / w)
    for i, w in enumerate(WAVES):
        previous = root / "single" / WAVES[i - 1] if i else None
        run_wave(root / "single" / w, w, previous_dir=previous, previous_wave=WAVES[i - 1] if i else None,
                 options=options)
    return root


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    return _one_job(tmp_path_factory.mktemp("chunks"))


@pytest.fixture(scope="module")
def undated(tmp_path_factory):
    return _one_job(tmp_path_factory.mktemp("undated"), dated=False)


def _chunked(root: Path, n: int, *, with_previous: bool = True) -> Path:
    """The chunk jobs and the gather of each wave; each chunk reads its own cases of
    the previous wave's validated records (as the rule gives them), or nothing."""
    options = _options()
    out = root / f"chunked{n}{'' if with_previous else '-alone'}"
    for w in WAVES:
        wave_dir = out / w
        shutil.copytree(root / "single" / w / "validated", wave_dir / "validated")
        shutil.copyfile(root / "single" / w / "rejected.csv", wave_dir / "rejected.csv")
    parts = {w: [] for w in WAVES}
    for i, w in enumerate(WAVES):
        for k in range(1, n + 1):
            item = f"{k}-of-{n}"
            part = out / w / "chunks" / f"{item}.pkl"
            run_chunk(out / w, w, chunk=item, out=part, networks_dir=out / w / "chunks" / f"{item}_networks",
                      options=options, previous_dir=out / WAVES[i - 1] if i and with_previous else None,
                      previous_wave=WAVES[i - 1] if i and with_previous else None)
            parts[w].append(part)
        run_gather(out / w, w, parts=parts[w],
                   networks_from=[p.with_name(p.stem + "_networks") for p in parts[w]],
                   outputs={name: out / w / f"{name}.csv" for name in GATHERED_TABLES},
                   networks_dir=out / w / "networks", options=options)
    return out


@pytest.mark.slow  # the one-job reference builds every wave first
@pytest.mark.parametrize("n", [1, 3, 40])  # 36 cases: 40 leaves some empty
def test_any_number_of_chunks_writes_the_one_job_tables_byte_for_byte(validated, n):
    out = _chunked(validated, n)
    for w in WAVES:
        for name in TABLES:
            single = (validated / "single" / w / name).read_bytes()
            assert (out / w / name).read_bytes() == single, f"{w}/{name} differs with {n} chunks"
        graphml = sorted(p.name for p in (validated / "single" / w / "networks").glob("*.graphml"))
        assert graphml and sorted(p.name for p in (out / w / "networks").glob("*.graphml")) == graphml
        for name in graphml:
            assert (out / w / "networks" / name).read_bytes() == \
                (validated / "single" / w / "networks" / name).read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("n", [1, 3])
def test_without_dates_the_chunks_previous_wave_gives_the_one_job_tables(undated, n):
    """Without dates the catalyst's newcomers come from the previous wave: each
    chunk job rebuilds its own cases' previous networks, the one-job step all of
    them; the tables agree byte for byte."""
    out = _chunked(undated, n)
    for name in TABLES:
        assert (out / "w2" / name).read_bytes() == (undated / "single" / "w2" / name).read_bytes(), name


@pytest.mark.slow
def test_without_dates_the_newcomers_come_from_the_previous_wave(undated):
    """The test above can fail: the previous wave changes the undated tables
    (without it the catalyst's newcomers are unknown)."""
    alone = pd.read_csv(_chunked(undated, 2, with_previous=False) / "w2" / "actors.csv")
    mine = pd.read_csv(undated / "single" / "w2" / "actors.csv")
    assert alone["catalyst_newcomers"].isna().all()
    assert mine["catalyst_newcomers"].notna().all() and (mine["catalyst_newcomers"] > 0).any()


def test_plan_chunks_covers_every_case_once_in_order_and_balances_weight():
    rng = np.random.default_rng(7)
    ids = [f"c{i:03d}" for i in range(200)]
    weights = pd.Series(rng.integers(1, 100, size=200), index=pd.Index(ids, dtype=object))
    for n in (1, 2, 7, 64):
        plan = plan_chunks(weights, n)
        assert len(plan) == n
        assert [c for chunk in plan for c in chunk] == ids  # contiguous runs, in order
        loads = [int(weights[chunk].sum()) for chunk in plan if chunk]
        assert max(loads) <= weights.sum() / n + weights.max()  # a chunk overshoots by less than one case
    assert plan_chunks(weights.iloc[:2], 5).count([]) == 3
    with pytest.raises(ValueError):
        plan_chunks(weights, 0)


def test_case_weights_and_chunk_data_keep_only_the_chunks_cases():
    data = validate_wave(EXAMPLE, "w1", waves=WAVES, directed=True)
    weights = case_weights(data)
    assert list(weights.index) == sorted(weights.index)
    assert int(weights["case03"]) == 1 + int((data.interactions["case_id"] == "case03").sum()) + (
        int((data.participation["case_id"] == "case03").sum()) if data.participation is not None else 0
    )
    part = chunk_data(data, ["case03", "case17"])
    assert set(part.interactions["case_id"].astype(str)) == {"case03", "case17"}
    assert list(part.interactions["case_id"].cat.categories) == ["case03", "case17"]
    assert part.outcomes is None
    pd.testing.assert_frame_equal(part.actors, data.actors)
