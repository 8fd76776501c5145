"""Power and minimal detectable effects by simulation (netinnov.models.power)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from helpers import step_args
from helpers.paths import REPO
from netinnov.cli import main
from netinnov.models.power import (
    POWER_COLUMNS,
    SUMMARY_COLUMNS,
    PowerSettings,
    _resample,
    minimal_detectable_effect,
    model_power,
    power_settings,
    summarize_power,
)
from netinnov.models.spec import ModelConfigError

#: The columns docs/SPEC.md promises for the two files.
SPEC_POWER = ["model", "outcome", "family", "term", "effect", "effect_scale", "power", "power_mc_se",
              "n_datasets", "n_failed", "n_cases", "n_waves", "icc", "alpha"]  # fmt: skip
SPEC_SUMMARY = ["model", "term", "mde", "mde_scale", "reached"]


def features(n_cases: int = 30, n_waves: int = 3, seed: int = 5) -> pd.DataFrame:
    """A features table: a continuous ``x``, a persistent 0/1 ``role``, four outcomes."""
    rng = np.random.default_rng(seed)
    case = np.repeat(np.arange(n_cases), n_waves)
    wave = np.tile(np.arange(n_waves), n_cases)
    n = n_cases * n_waves
    frame = pd.DataFrame({
        "case_id": [f"c{c:03d}" for c in case], "wave": [f"w{w + 1}" for w in wave],
        "x": rng.normal(size=n), "role": (rng.random(n_cases) < 0.4).astype(float)[case],
    })  # fmt: skip
    frame["score"] = rng.normal(size=n)
    frame["implemented"] = (rng.random(n) < 0.4).astype(float)
    frame["diffusion"] = rng.poisson(2.0, size=n).astype(float)
    return frame


def ols_spec(predictors=("x",)) -> dict:
    return {"name": "score_ols", "outcome": "score", "family": "ols", "predictors": list(predictors),
            "controls": ["C(wave)"], "predict": False}  # fmt: skip


def curve(table: pd.DataFrame, term: str = "x") -> pd.Series:
    rows = table[table["term"] == term]
    return pd.Series(
        rows["power"].to_numpy(dtype=float), index=rows["effect"].to_numpy(dtype=float)
    )


def test_mde_interpolated_on_a_synthetic_curve():
    # first crossing of 0.8 between 0.5 (0.5) and 1.0 (0.9): 0.5 + 0.3 / 0.4 * 0.5
    assert minimal_detectable_effect([0, 0.5, 1.0, 1.5], [0.05, 0.5, 0.9, 1.0]) == pytest.approx(
        0.875
    )
    # order of the grid does not matter; exactly on a grid point
    assert minimal_detectable_effect([1.0, 0.0, 2.0], [0.8, 0.05, 0.95]) == pytest.approx(1.0)
    # another target
    assert minimal_detectable_effect([0, 1, 2], [0.0, 0.4, 0.6], target=0.5) == pytest.approx(1.5)
    assert np.isnan(minimal_detectable_effect([0, 1, 2], [0.05, 0.3, 0.79]))


def test_summary_reports_not_reached():
    table = pd.DataFrame({
        "model": "m", "outcome": "y", "family": "ols", "wave": "pooled", "term": ["a"] * 3 + ["b"] * 3,
        "effect": [0, 1, 2] * 2, "effect_scale": "per SD", "effect_unit": "outcome SD",
        "power": [0.05, 0.6, 1.0, 0.05, 0.2, 0.5], "n_cases": 10, "n_waves": 2, "icc": 0.3,
        "alpha": 0.05, "n_datasets": 50,
    })  # fmt: skip
    summary = summarize_power(table).set_index("term")
    assert list(summarize_power(table).columns) == SUMMARY_COLUMNS
    assert summary.loc["a", "mde"] == pytest.approx(1.0 + 0.2 / 0.4)
    assert bool(summary.loc["a", "reached"])
    assert np.isnan(summary.loc["b", "mde"]) and not bool(summary.loc["b", "reached"])


@pytest.mark.slow
def test_power_at_zero_is_about_alpha():
    settings = PowerSettings(datasets=150, grid=(0.0,))
    table = model_power(features(), ols_spec(), settings, seed=11)
    power = float(table["power"].iloc[0])
    mc_se = np.sqrt(0.05 * 0.95 / settings.datasets)
    assert abs(power - 0.05) <= 3.5 * mc_se, power
    assert float(table["power_mc_se"].iloc[0]) == pytest.approx(np.sqrt(power * (1 - power) / 150))


@pytest.mark.slow
def test_power_grows_with_the_effect_and_the_cases():
    data = features(n_cases=20)
    grid = (0.0, 0.2, 0.5)
    small = model_power(data, ols_spec(), PowerSettings(datasets=30, grid=grid, n_cases=10), seed=3)
    large = model_power(data, ols_spec(), PowerSettings(datasets=30, grid=grid, n_cases=40), seed=3)
    s, g = curve(small), curve(large)
    assert s[0.5] >= s[0.2] >= s[0.0] and s[0.5] > s[0.0] + 0.2, s.to_dict()
    assert g[0.5] >= g[0.2] > g[0.0], g.to_dict()
    assert g[0.2] > s[0.2] + 0.15, (s.to_dict(), g.to_dict())
    assert set(small["n_cases"]) == {10} and set(large["n_cases"]) == {40}
    assert set(small["n_waves"]) == {3}


def test_binary_term_stays_binary_and_is_scaled_0_to_1():
    data = features(n_cases=12)
    drawn = _resample(data, np.random.default_rng(0), 40)
    assert set(drawn["role"].unique()) <= {0.0, 1.0}
    assert drawn["case_id"].nunique() == 40 and len(drawn) == 40 * 3
    table = model_power(
        data, ols_spec(("x", "role")), PowerSettings(datasets=3, grid=(0.0, 0.5)), seed=1
    )
    scales = table.drop_duplicates("term").set_index("term")["effect_scale"]
    assert scales.to_dict() == {"x": "per SD", "role": "0 to 1"}


def test_same_seed_same_table():
    data = features(n_cases=15)
    settings = PowerSettings(datasets=6, grid=(0.0, 0.5))
    spec = {"name": "impl", "outcome": "implemented", "family": "logit", "predictors": ["x"],
            "controls": ["C(wave)"], "predict": False}  # fmt: skip
    first = model_power(data, spec, settings, seed=42)
    second = model_power(data, spec, settings, seed=42)
    pd.testing.assert_frame_equal(first, second)
    other = [model_power(data, ols_spec(), settings, seed=s)["power"].tolist() for s in (1, 2, 3)]
    assert len({tuple(o) for o in other}) > 1  # the seed matters


def test_failed_fits_are_counted_as_not_detected():
    calls = {"n": 0}

    def flaky(data, spec):  # every other fit fails; the others detect the effect
        calls["n"] += 1
        if calls["n"] % 2:
            return pd.DataFrame(columns=["term", "p_value"])
        return pd.DataFrame({"term": ["x"], "p_value": [0.001]})

    table = model_power(features(n_cases=8), ols_spec(), PowerSettings(datasets=10, grid=(0.0,)), seed=1,
                        fitter=flaky)  # fmt: skip
    row = table.iloc[0]
    assert calls["n"] == 10
    assert row["n_failed"] == 5 and row["power"] == pytest.approx(0.5)
    assert "5 fits failed" in row["note"]


def test_settings_are_validated():
    assert power_settings({"enabled": True, "grid": [0.5, 0, 0.5]}).grid == (0.0, 0.5)
    assert power_settings({"datasets": 50}, datasets=7).datasets == 7
    for bad in ({"grid": [-1]}, {"icc": 1.0}, {"alpha": 0}, {"datasets": 1}, {"typo": 1}):
        with pytest.raises(ModelConfigError):
            power_settings(bad)


def test_cli_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["power", "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--features", "--waves", "--options", "--out", "--datasets", "--grid", "--icc", "--alpha",
                   "--power", "--cases"):  # fmt: skip
        assert option in text


def test_cli_writes_the_tables(tmp_path):
    results = tmp_path / "results" / "demo"
    (results / "models").mkdir(parents=True)
    features(n_cases=10, n_waves=2).to_csv(results / "models" / "features.csv", index=False)
    options = {
        "seed": 7,
        "models": [ols_spec(("x", "role")), {"name": "diffusion_poisson", "outcome": "diffusion",
                                              "family": "poisson", "predictors": ["x"], "predict": False}],
        "power": {"enabled": True, "datasets": 50, "grid": [0, 1]},
    }  # fmt: skip
    features_csv = str(results / "models" / "features.csv")
    code = main(["power", "--features", features_csv, "--waves", "w1", "w2", "--options", json.dumps(options),
                 "--datasets", "4", "--out", str(results / "models" / "power.csv")])  # fmt: skip
    assert code == 0
    power = pd.read_csv(results / "models" / "power.csv")
    summary = pd.read_csv(results / "models" / "power_summary.csv")
    assert list(power.columns) == POWER_COLUMNS and set(SPEC_POWER) <= set(power.columns)
    assert list(summary.columns) == SUMMARY_COLUMNS and set(SPEC_SUMMARY) <= set(summary.columns)
    assert set(power["n_datasets"]) == {4}  # the command line wins over the config
    assert len(power) == 3 * 2 and len(summary) == 3
    assert set(power["n_cases"]) == {10} and set(power["n_waves"]) == {2}
    # --out and --summary (the Snakemake rule's paths)
    out, summary_out = tmp_path / "elsewhere" / "p.csv", tmp_path / "s.csv"
    args = ["power", "--features", features_csv, "--options", json.dumps(options), "--datasets", "2",
            "--grid", "0", "0.5", "--out", str(out), "--summary", str(summary_out)]  # fmt: skip
    assert main(args) == 0
    assert set(pd.read_csv(out)["effect"]) == {0.0, 0.5} and len(pd.read_csv(summary_out)) == 3
    # a bad setting is an error message and exit code 2, not a traceback
    assert (
        main(["power", "--features", features_csv, "--options", json.dumps(options), "--icc", "2", "--out", str(out)])
        == 2
    )


# ------------------------------------------------------------------ the report page
def test_report_helpers_escape_values_from_data():
    from netinnov.reports.power import MDE_COLUMNS, mde_sentence, mde_table, plot_power_curves

    hostile = "kind[T.<b>x</b>]"  # a category level from data becomes part of the term name
    power = pd.DataFrame({
        "model": "m", "outcome": "y", "family": "logit", "wave": "pooled", "term": [hostile] * 3 + ["x"] * 3,
        "effect": [0, 1, 2] * 2, "effect_scale": ["0 to 1"] * 3 + ["per SD"] * 3, "effect_unit": "log-odds",
        "power": [0.05, 0.3, 0.6, 0.04, 0.7, 0.95], "power_mc_se": 0.02, "n_datasets": 100,
        "n_failed": [0, 1, 2, 0, 0, 0], "n_cases": 14, "n_waves": 3, "icc": 0.3, "alpha": 0.05,
    })  # fmt: skip
    summary = summarize_power(power)
    text = mde_sentence(summary)
    assert "<b>" not in text and "14 cases observed over 3 waves" in text
    assert "1 of 2 terms" in text
    table = mde_table(summary, power).set_index("term")
    assert list(mde_table(summary, power).columns) == MDE_COLUMNS
    assert table.loc[hostile, "minimal detectable effect"] == "not reached (> 2)"
    assert table.loc["x", "minimal detectable effect"] == f"{1 + 0.1 / 0.25:.2f}"
    assert table.loc[hostile, "n_failed"] == 3 and table.loc["x", "power at 0 (size)"] == 0.04
    fig = plot_power_curves(power)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 1
    assert len(fig.axes[0].get_lines()) == 2 + 2  # two curves, target and alpha


def test_power_notebook_renders(tmp_path):

    from netinnov.reports.execute import execute_notebook

    notebook = REPO / "workflow" / "notebooks" / "power.ipynb"
    results = tmp_path / "results" / "demo"
    (results / "models").mkdir(parents=True)
    data = features(n_cases=8, n_waves=2)
    spec = ols_spec(("x", "role"))
    power = model_power(data, spec, PowerSettings(datasets=4, grid=(0.0, 1.0, 3.0)), seed=2)
    power.to_csv(results / "models" / "power.csv", index=False)
    summarize_power(power).to_csv(results / "models" / "power_summary.csv", index=False)
    assert main(step_args.power_summaries(results / "models")) == 0
    reports = results / "reports"
    reports.mkdir()
    figures = reports / "figures" / "power"
    execute_notebook(notebook, reports / "power.ipynb", reports / "power.html",
                     {"results_dir": str(results), "figures_dir": str(figures)})  # fmt: skip
    page = (reports / "power.html").read_text(encoding="utf-8")
    assert "minimal detectable effect" in page and "8 cases observed over 2 waves" in page
    assert (figures / "power_curves.png").is_file() and (figures / "mde.html").is_file()


def test_lagged_and_per_wave_models_are_simulated_as_fitted():
    data = features(n_cases=10, n_waves=3)
    settings = PowerSettings(datasets=3, grid=(0.0, 1.0))
    lagged = model_power(data, {**ols_spec(), "name": "lag", "lagged": True}, settings, seed=1)
    assert set(lagged["term"]) == {"x_lag"} and set(lagged["n_waves"]) == {2}  # waves 2 and 3
    assert lagged["power"].notna().all()
    per_wave = model_power(
        data, {**ols_spec(), "name": "pw", "pooled": False, "controls": []}, settings, seed=1
    )
    assert list(dict.fromkeys(per_wave["wave"])) == ["w1", "w2", "w3"]
    assert set(per_wave["n_cases"]) == {10} and set(per_wave["n_waves"]) == {1}



@pytest.mark.slow
def test_power_page_renders_in_chromium(browser, tmp_path):  # noqa: F811
    """The opt-in power page in the browser, as test_browser.py opens the other pages."""

    from helpers.browser import check_page
    from netinnov.reports.execute import execute_notebook

    notebook = REPO / "workflow" / "notebooks" / "power.ipynb"
    results = tmp_path / "results" / "demo"
    (results / "models").mkdir(parents=True)
    power = model_power(features(n_cases=8, n_waves=2), ols_spec(("x", "role")),
                        PowerSettings(datasets=4, grid=(0.0, 1.0, 3.0)), seed=2)  # fmt: skip
    power.to_csv(results / "models" / "power.csv", index=False)
    summarize_power(power).to_csv(results / "models" / "power_summary.csv", index=False)
    assert main(step_args.power_summaries(results / "models")) == 0
    reports = results / "reports"
    execute_notebook(notebook, reports / "power.ipynb", reports / "power.html",
                     {"results_dir": str(results), "figures_dir": str(reports / "figures" / "power")})  # fmt: skip
    check_page(browser, reports / "power.html", 1)
