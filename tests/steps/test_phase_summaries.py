"""The phases report's numbers are tables written by a step
(``netinnov phase-summaries``): the same numbers the report computed from
``phases.csv`` before, now read by the notebook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from netinnov.cli import main as netinnov
from netinnov.metrics.phase_tests import group_involvement
from netinnov.metrics.phases import PHASES
from netinnov.steps.phase_summaries import MEASURES, involvement_table, summary_table

GROUPS = ["citizen", "private", "public"]


def _phases(seed: int, cases: int = 6) -> pd.DataFrame:
    """A phases.csv of random shares (the columns the summaries read)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(cases):
        for phase in PHASES:
            if c == 0 and phase == "diffusion":
                continue  # a phase without records in one case
            shares = rng.dirichlet(np.ones(len(GROUPS)))
            for g, share in zip(GROUPS, shares, strict=True):
                rows.append({"case_id": f"c{c}", "sector": g, "phase": phase, "actors": int(share * 10),
                             "actor_share": share, "ties": 1, "tie_share": share / 2, "activity": 1.0,
                             "activity_share": share, "roster": 4, "rate": share * 0.9, "unphased_records": 0})
    return pd.DataFrame(rows)


def test_summary_is_the_mean_and_t_interval_over_cases_per_wave_measure_phase_and_group():
    waves = [("w1", _phases(1)), ("w2", _phases(2, cases=4))]
    out = summary_table(waves)
    assert list(out["measure"].unique()) == list(MEASURES)
    assert list(out["wave"].unique()) == ["w1", "w2"]
    for (w, table) in waves:
        for measure in MEASURES:
            for (phase, group), values in table.groupby(["phase", "sector"])[measure]:
                row = out[(out["wave"] == w) & (out["measure"] == measure) & (out["phase"] == phase)
                          & (out["sector"] == group)]
                assert len(row) == 1
                x = values.to_numpy()
                half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
                assert row["n_cases"].item() == len(x)
                assert row["mean"].item() == pytest.approx(x.mean())
                assert row["ci_low"].item() == pytest.approx(x.mean() - half)
                assert row["ci_high"].item() == pytest.approx(x.mean() + half)


def test_involvement_is_group_involvement_per_wave():
    waves = [("w1", _phases(3)), ("w2", _phases(4))]
    out = involvement_table(waves, group="citizen")
    for w, table in waves:
        expected = group_involvement(table, group="citizen", group_column="sector")
        got = out[out["wave"] == w].drop(columns="wave").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


def test_no_phases_gives_empty_tables_with_their_columns():
    assert list(summary_table([])).count("mean") == 1 and summary_table([]).empty
    assert involvement_table([]).empty and "involved_share" in involvement_table([]).columns


def test_command_writes_both_tables(tmp_path: Path):
    files = []
    for w, seed in (("w1", 5), ("w2", 6)):
        path = tmp_path / w / "phases.csv"
        path.parent.mkdir()
        _phases(seed).to_csv(path, index=False)
        files.append(str(path))
    summary, involvement = tmp_path / "phase_summary.csv", tmp_path / "group_involvement.csv"
    assert netinnov(["phase-summaries", "--phases", *files, "--waves", "w1", "w2", "--summary", str(summary),
                     "--involvement", str(involvement), "--involvement-group", "private"]) == 0
    got = pd.read_csv(summary)
    assert set(got["wave"]) == {"w1", "w2"} and set(got["measure"]) == set(MEASURES)
    assert set(pd.read_csv(involvement)["group"]) == {"private"}
    assert netinnov(["phase-summaries", "--phases", files[0], "--waves", "w1", "w2", "--summary", str(summary),
                     "--involvement", str(involvement)]) == 1  # one file for two waves: refused
