"""The dyadic models as per-wave, per-case-chunk jobs
(``netinnov.steps.dyadic_chunks``) write the ``qap.csv`` of one job, byte for
byte, for any number of chunks."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.paths import REPO, panel_paths
from netinnov.config import load_config
from netinnov.io import validate_wave, write_validated
from netinnov.steps.dyadic_chunks import (
    dyadic_chunk_cases,
    run_dyadic_chunk,
    run_dyadic_gather,
    run_dyadic_pooled,
)
from netinnov.steps.models import run_dyadic_models
from netinnov.steps.panel import run_panel
from netinnov.steps.wave_tables import run_wave

EXAMPLE = REPO / "data" / "example"
WAVES = ["w1", "w2"]


def _options() -> dict:
    config = load_config(REPO / "config" / "config.yaml", {"dataset": str(EXAMPLE)})
    dyadic = [
        {**config["dyadic_models"][0], "permutations": 49},  # netlogit with edgecov(previous_tie), pooled
        {"name": "weight_ols", "relation": "weight", "terms": ["nodematch(sector)"], "estimator": "netlm",
         "permutations": 49},
    ]
    return {**config, "ei_permutations": 20, "phase_tests": {"n_boot": 50}, "dyadic_models": dyadic}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("dyadic")
    options = _options()
    for i, w in enumerate(WAVES):
        write_validated(validate_wave(EXAMPLE, w, waves=WAVES, directed=True), root / "waves" / w)
        run_wave(root / "waves" / w, w, previous_dir=root / "waves" / WAVES[i - 1] if i else None,
                 previous_wave=WAVES[i - 1] if i else None, options=options)
    run_panel(**panel_paths(root, WAVES), options=options)
    run_dyadic_models(root, WAVES, options=options)
    return root


def _wave_tables(results, wave, previous=None) -> dict:
    """The path arguments of run_dyadic_chunk for a results folder laid out as the pipeline lays it."""
    folder = results / "waves"
    out = {"wave": wave, "actors": folder / wave / "actors.csv", "ties": folder / wave / "ties.csv"}
    if previous:
        out.update(previous_wave=previous, previous_actors=folder / previous / "actors.csv",
                   previous_ties=folder / previous / "ties.csv")
    return out


@pytest.mark.slow  # the one-job reference fits every wave first
@pytest.mark.parametrize("n", [1, 4, 40])  # 36 cases: 40 chunks leaves some empty
def test_any_number_of_chunks_writes_the_one_job_qap_byte_for_byte(results, tmp_path, n):
    options = _options()
    waves = []
    for i, w in enumerate(WAVES):
        parts = []
        for k in range(1, n + 1):
            part = tmp_path / w / f"{k}-of-{n}.pkl"
            run_dyadic_chunk(**_wave_tables(results, w, WAVES[i - 1] if i else None), chunk=f"{k}-of-{n}",
                             out=part, options=options)
            parts.append(part)
        waves.append(tmp_path / f"{w}.pkl")
        run_dyadic_pooled(list(reversed(parts)), w, out=waves[-1], options=options)  # any order of the parts
    out = tmp_path / "qap.csv"
    run_dyadic_gather(list(reversed(waves)), WAVES, out=out)
    single = (results / "models" / "qap.csv").read_bytes()
    assert out.read_bytes() == single
    qap = pd.read_csv(out)
    assert {"pooled"} < set(qap["case_id"].astype(str))  # pooled and per-case rows both present
    assert qap["estimate"].notna().any()


@pytest.mark.slow
def test_no_dyadic_models_gives_the_empty_table(results, tmp_path):
    options = {**_options(), "dyadic_models": []}
    part = tmp_path / "1-of-1.pkl"
    run_dyadic_chunk(**_wave_tables(results, "w1"), chunk="1-of-1", out=part, options=options)
    run_dyadic_pooled([part], "w1", out=tmp_path / "w1.pkl", options=options)
    run_dyadic_gather([tmp_path / "w1.pkl"], WAVES, out=tmp_path / "qap.csv")
    run_dyadic_models(results, WAVES, options=options)  # rewrites results/models/qap.csv: keep it last
    assert (tmp_path / "qap.csv").read_bytes() == (results / "models" / "qap.csv").read_bytes()


@pytest.mark.slow
def test_a_chunk_of_another_wave_is_refused(results, tmp_path):
    options = _options()
    part = tmp_path / "1-of-1.pkl"
    run_dyadic_chunk(**_wave_tables(results, "w1"), chunk="1-of-1", out=part, options=options)
    with pytest.raises(ValueError, match="another wave"):
        run_dyadic_pooled([part], "w2", out=tmp_path / "w2.pkl", options=options)


def test_chunks_hold_contiguous_runs_of_cases_by_dyads():
    actors = pd.DataFrame({"case_id": ["a"] * 10 + ["b"] * 2 + ["c"] * 2 + ["d"] * 2, "actor_id": range(16)})
    plan = [dyadic_chunk_cases(actors, f"{k}-of-2") for k in (1, 2)]
    assert plan == [["a"], ["b", "c", "d"]]  # 100 dyads against 12
    assert dyadic_chunk_cases(actors.iloc[:0], "1-of-3") == []
