"""The models, power, validity and case pages' numbers as tables (issue 15, item 5): each table
written by its step checked against a direct computation, and the notebooks reading them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import step_args
from helpers.paths import REPO
from netinnov.cli import main as netinnov
from netinnov.io.result_tables import read_table, write_table
from netinnov.metrics.model_summaries import MODEL_OUTPUTS, POWER_OUTPUTS, SMALL_SAMPLE_COLUMNS


def _models(results: Path) -> None:
    folder = results / "models"
    write_table(pd.DataFrame({
        "model": ["small", "small", "big", "rare"], "wave": "pooled", "estimator": ["glm", "gee", "glm", "glm"],
        "n": [40, 40, 300, 300], "n_clusters": [12, 12, 60, 60], "events": [np.nan, np.nan, np.nan, 12],
        "warning": ["", "", "few clusters for CR1", ""], "error": ["", "separation", "", ""],
        "n_dropped": [2, 2, 0, 0], "dropped_reasons": ["missing x: 2", "missing x: 2", "", ""],
    }), folder / "fit.csv")  # fmt: skip
    write_table(pd.DataFrame({"model": ["rare"] * 4 + ["small"] * 2,
                              "term": ["Intercept", "a", "b", "c", "Intercept", "a"]}), folder / "coefficients.csv")
    write_table(pd.DataFrame({
        "model": "q", "wave": "w1", "case_id": ["c1", "c1", "c2", "c3", "c4", "pooled"], "term": "t",
        "estimate": [np.nan, np.nan, np.nan, np.nan, 0.2, 0.5], "note": ["few", "few", "few", "singular", "", ""],
        "n_dropped": [0, 0, 0, 0, 3, 0],
    }), folder / "qap.csv")  # fmt: skip
    write_table(pd.DataFrame({"wave": ["w1", "w1", "w2"], "case_id": ["c1", "c2", "c1"]}), results / "panel" / "cases.csv")


def test_model_summaries_count_what_the_models_page_shows(tmp_path: Path):
    results = tmp_path / "results"
    _models(results)
    assert netinnov(step_args.model_summaries(results)) == 0
    read = {name: read_table(results / "models" / file) for name, file in MODEL_OUTPUTS.items()}
    small = read["small_sample"]
    assert list(small.columns) == SMALL_SAMPLE_COLUMNS
    # small: 12 clusters < 20 (once, both estimators the same); big: the warning; rare: 12 events / 3 predictors
    assert small["model"].tolist() == ["small", "big", "rare"]
    assert small.loc[0, "size"] == 12 and small.loc[0, "size_unit"] == "cases"
    assert small.loc[1, "warning"] == "few clusters for CR1" and np.isnan(small.loc[1, "size"])
    assert small.loc[2, ["events", "predictors"]].tolist() == [12, 3]
    qap = read["qap_not_estimated"].set_index("reason")["cases"]
    assert qap.to_dict() == {"few": 2, "singular": 1}  # c1 counts once
    skipped = read["not_estimated"]
    fits = skipped[skipped["table"] == "fit.csv"]
    assert sorted(fits["model"]) == ["small", "small (gee)"]  # rows left out once; the gee error
    per_case = skipped[skipped["table"] == "qap.csv"].set_index("reason")
    assert per_case.loc["few", "cases"] == 2 and per_case.loc["singular", "case_id"] == "c3"
    assert per_case.loc["estimated", "n_dropped"] == 3
    summary = read["model_summary"].iloc[0]
    assert summary["cases"] == 2 and summary["qap_cases_not_estimated"] == 3  # distinct case ids; 2 + 1


def test_without_a_fit_the_panel_size_is_the_warning(tmp_path: Path):
    results = tmp_path / "results"
    write_table(pd.DataFrame({"wave": "w1", "case_id": [f"c{i}" for i in range(7)]}), results / "panel" / "cases.csv")
    assert netinnov(step_args.model_summaries(results)) == 0
    small = read_table(results / "models" / "small_sample.csv")
    assert len(small) == 1 and pd.isna(small.loc[0, "model"]) and small.loc[0, "size"] == 7
    assert read_table(results / "models" / "model_summary.csv").iloc[0].tolist() == [7, 0]
    # no model table at all (models not run yet): empty summaries, not an error
    missing = tmp_path / "missing"
    assert netinnov(step_args.model_summaries(missing)) == 0
    assert read_table(missing / "models" / "model_summary.csv")["cases"].isna().all()


def test_the_small_sample_notes_are_the_ones_computed_from_the_fit(tmp_path: Path):
    from netinnov.reports.models import small_n_notes, small_sample_notes

    results = tmp_path / "results"
    _models(results)
    assert netinnov(step_args.model_summaries(results)) == 0
    fit, coef = (read_table(results / "models" / f"{n}.csv") for n in ("fit", "coefficients"))
    notes = small_sample_notes(read_table(results / "models" / "small_sample.csv"))
    assert notes == small_n_notes(fit, coef)
    assert notes[0] == "**Small sample** — small: 12 cases (fewer than 20)."
    assert "12 events for 3 predictors (fewer than 10 per predictor)" in notes[2]


def test_power_summaries_against_the_power_grid(tmp_path: Path):
    folder = tmp_path / "models"
    power = pd.DataFrame({"model": "m", "wave": "pooled", "term": ["a"] * 3 + ["b"] * 3, "effect": [0, 0.5, 1.5] * 2,
                          "power": [0.06, 0.5, 0.9, 0.04, 0.2, 0.4], "n_failed": [1, 0, 2, 0, 0, 0]})
    summary = pd.DataFrame({"model": "m", "wave": "pooled", "term": ["a", "b", "c"], "mde": [0.7, np.nan, np.nan],
                            "reached": [True, False, False], "target_power": 0.8, "alpha": 0.05, "n_cases": 9,
                            "n_waves": 2, "mde_scale": "per SD", "effect_unit": "log-odds"})
    write_table(power, folder / "power.csv")
    write_table(summary, folder / "power_summary.csv")
    assert netinnov(["power-summaries", "--power", str(folder / "power.csv"),
                     "--summary", str(folder / "power_summary.csv"),
                     "--out-mde", str(folder / "mde.csv"), "--out-power-reach", str(folder / "power_reach.csv")]) == 0
    mde = read_table(folder / POWER_OUTPUTS["mde"]).set_index("term")
    for term in ("a", "b"):
        rows = power[power["term"] == term]
        assert mde.loc[term, "power_at_zero"] == rows.loc[rows["effect"] == 0, "power"].iloc[0]
        assert mde.loc[term, "n_failed"] == rows["n_failed"].sum()
        assert mde.loc[term, "grid_max"] == rows["effect"].max()
    assert np.isnan(mde.loc["c", "power_at_zero"]) and mde.loc["c", "n_failed"] == 0  # no grid row
    reach = read_table(folder / POWER_OUTPUTS["power_reach"]).iloc[0]
    assert reach[["terms", "not_reached"]].tolist() == [3, 2] and reach["target_power"] == 0.8

    from netinnov.reports.power import mde_rows, mde_sentence, mde_table

    pd.testing.assert_frame_equal(mde_rows(read_table(folder / "mde.csv")), mde_table(summary, power))
    assert "for 2 of 3 terms" in mde_sentence(summary, read_table(folder / "power_reach.csv"))


def test_validity_target_counts(tmp_path: Path):
    validity = pd.DataFrame({"source": "data", "construct": "x", "measure": "auc", "value": [0.8, 0.6, 0.9, 0.5],
                             "target": [0.7, 0.7, 0.7, np.nan], "meets_target": [True, False, True, np.nan]})
    write_table(validity, tmp_path / "validity.csv")
    assert netinnov(["validity-summaries", "--validity", str(tmp_path / "validity.csv"),
                     "--out", str(tmp_path / "target_counts.csv")]) == 0
    counts = read_table(tmp_path / "target_counts.csv").iloc[0]
    given = validity["meets_target"].notna()
    assert counts.tolist() == [int(given.sum()), int((validity.loc[given, "meets_target"] == True).sum())]  # noqa: E712


def test_case_counts_count_each_case(tmp_path: Path):
    folder = tmp_path / "w1"
    write_table(pd.DataFrame({"case_id": ["b", "a", "c"]}), folder / "cases.csv")
    write_table(pd.DataFrame({"case_id": ["a", "a", "b", "b", "b"], "actor_id": list("xyxyz")}), folder / "actors.csv")
    write_table(pd.DataFrame({"case_id": ["a", "b", "b"], "source": ["x", "x", "y"], "target": ["y", "y", "z"],
                              "local_bridge": [True, False, True]}), folder / "ties.csv")
    assert netinnov(step_args.wave_summaries(folder)) == 0
    counts = read_table(folder / "case_counts.csv")
    assert counts["case_id"].tolist() == ["b", "a", "c"]  # the order of cases.csv
    assert counts[["actors", "ties", "local_bridges"]].values.tolist() == [[3, 2, 1], [2, 1, 1], [0, 0, 0]]


@pytest.mark.parametrize(("name", "forbidden", "step"), [
    ("models", ("small_n_notes(", "collapse_cases(", "not_estimated(", ".nunique(", ".sum("), "model-summaries"),
    ("power", ("mde_table(", ".sum(", "nanmax("), "power-summaries"),
    ("validity", (".sum(",), "validity-summaries"),
    ("case_network", (".sum(", "{len(case.", "format_count(len("), "wave-summaries"),
])  # fmt: skip
def test_the_notebooks_read_their_numbers(name, forbidden, step):
    nb = json.loads((REPO / "workflow" / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert not [c for c in forbidden if re.search(r"(?<!\w)" + re.escape(c), code)]
    assert step in code


def test_the_panel_page_flags_with_the_tables_threshold():
    nb = json.loads((REPO / "workflow" / "notebooks" / "panel.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "jaccard_threshold" not in code and 'jaccard["threshold"]' in code
