"""Case-level regressions: recovery of known effects, robust standard errors
against a hand-computed sandwich, and honest reporting of dropped rows,
separation, singular designs and small samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.glm_only import fit_glm  # the pooled GLM alone
from netinnov.models.features import case_features, lagged_features
from netinnov.models.glm import COEFFICIENT_COLUMNS, FIT_COLUMNS, separation_direction
from netinnov.models.spec import ModelConfigError, ModelSpec, formula_variables, parse_models
from netinnov.steps.models import run_models

SPEC_COEFFICIENT_COLUMNS = [
    "model",
    "outcome",
    "term",
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
]
TRUTH = {
    "Intercept": -0.5,
    "sector_blau": 1.2,
    "density": -0.8,
    "catalyst_present": 0.6,
    "density:catalyst_present": 1.0,
}


def _panel(seed: int = 11, n_cases: int = 300, waves: int = 3) -> pd.DataFrame:
    """Cases observed in several waves; predictors persist within a case."""
    rng = np.random.default_rng(seed)
    base_blau = rng.uniform(0, 0.8, n_cases)
    u = rng.normal(scale=0.5, size=n_cases)  # case effect (used for OLS only)
    frames = []
    for w in range(waves):
        f = pd.DataFrame(
            {
                "wave": f"w{w + 1}",
                "case_id": [f"case{i:03d}" for i in range(n_cases)],
                "sector_blau": np.clip(base_blau + rng.normal(scale=0.1, size=n_cases), 0, 1),
                "density": rng.uniform(0.05, 0.9, n_cases),
                "catalyst_present": rng.integers(0, 2, n_cases).astype(float),
                "n_actors": rng.integers(5, 80, n_cases),
            }
        )
        eta = (
            TRUTH["Intercept"]
            + TRUTH["sector_blau"] * f.sector_blau
            + TRUTH["density"] * f.density
            + TRUTH["catalyst_present"] * f.catalyst_present
            + TRUTH["density:catalyst_present"] * f.density * f.catalyst_present
        )
        f["implemented"] = (rng.random(n_cases) < 1 / (1 + np.exp(-eta))).astype(int)
        f["diffusion"] = rng.poisson(np.exp(eta))
        latent = eta - TRUTH["Intercept"] + rng.logistic(size=n_cases)
        f["radicalness"] = np.digitize(latent, [-0.2, 0.6, 1.4]) + 1
        f["score"] = eta + u + rng.normal(size=n_cases)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return _panel()


def _spec(family: str, outcome: str, **extra) -> dict:
    return {
        "name": f"{outcome}_{family}",
        "outcome": outcome,
        "family": family,
        "predictors": ["sector_blau", "density*catalyst_present"],
        **extra,
    }


@pytest.mark.parametrize(
    ("family", "outcome"),
    [
        ("logit", "implemented"),
        ("poisson", "diffusion"),
        ("ordered_logit", "radicalness"),
        ("ols", "score"),
    ],
)
def test_known_effects_are_recovered(panel, family, outcome):
    coefs, fit = fit_glm(panel, _spec(family, outcome))
    assert list(coefs.columns) == COEFFICIENT_COLUMNS
    assert list(coefs.columns[:9]) == SPEC_COEFFICIENT_COLUMNS
    assert list(fit.columns) == FIT_COLUMNS
    assert fit["error"].iloc[0] == "" and bool(fit["converged"].iloc[0])
    assert fit["n"].iloc[0] == len(panel) and fit["n_dropped"].iloc[0] == 0
    rows = coefs.set_index("term")
    truth = dict(TRUTH)
    if family == "ordered_logit":
        truth.pop("Intercept")
        assert "Intercept" not in rows.index
        assert list(rows.index[rows["term_type"] == "threshold"]) == ["1/2", "2/3", "3/4"]
        cuts = rows.loc[["1/2", "2/3", "3/4"], "estimate"].to_numpy()
        np.testing.assert_array_less(np.abs(cuts - [-0.2, 0.6, 1.4]), 0.35)
    for term, value in truth.items():
        est, lo, hi = rows.loc[term, ["estimate", "ci_low", "ci_high"]]
        assert np.sign(est) == np.sign(value), term
        assert lo <= value <= hi, (term, lo, value, hi)
    assert (coefs["cov_type"] == "cluster").all() and (coefs["n_clusters"] == 300).all()
    assert (coefs["n"] == len(panel)).all()


def test_cluster_robust_ols_errors_equal_a_hand_computed_sandwich(panel):
    coefs, fit = fit_glm(
        panel,
        {
            "name": "m",
            "outcome": "score",
            "family": "ols",
            "predictors": ["sector_blau", "density"],
        },
    )
    X = np.column_stack([np.ones(len(panel)), panel.sector_blau, panel.density])
    y = panel.score.to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    resid = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    meat = np.zeros((3, 3))
    for _, idx in panel.groupby("case_id").indices.items():
        s = X[idx].T @ resid[idx]
        meat += np.outer(s, s)
    n, k, g = len(y), 3, panel.case_id.nunique()
    cov = g / (g - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    se = np.sqrt(np.diag(cov))
    rows = coefs.set_index("term").loc[["Intercept", "sector_blau", "density"]]
    np.testing.assert_allclose(rows["estimate"], beta, rtol=1e-10)
    np.testing.assert_allclose(rows["std_error"], se, rtol=1e-8)
    crit = stats.t.ppf(0.975, g - 1)
    np.testing.assert_allclose(rows["ci_high"] - rows["estimate"], crit * se, rtol=1e-8)
    np.testing.assert_allclose(rows["p_value"], 2 * stats.t.sf(np.abs(beta / se), g - 1), rtol=1e-6)


def test_per_wave_fits_use_hc1(panel):
    spec = {
        "name": "m",
        "outcome": "score",
        "family": "ols",
        "predictors": ["sector_blau"],
        "pooled": False,
    }
    coefs, fit = fit_glm(panel, spec)
    assert list(fit["wave"]) == ["w1", "w2", "w3"]
    one = panel[panel.wave == "w2"]
    X = np.column_stack([np.ones(len(one)), one.sector_blau])
    y = one.score.to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    resid = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    cov = len(y) / (len(y) - 2) * bread @ (X.T * resid**2) @ X @ bread
    got = coefs[(coefs.wave == "w2")].set_index("term")
    assert (got["cov_type"] == "HC1").all()
    np.testing.assert_allclose(
        got.loc[["Intercept", "sector_blau"], "std_error"], np.sqrt(np.diag(cov)), rtol=1e-8
    )


def test_dropped_rows_are_counted_with_reasons(panel):
    data = panel.copy()
    data.loc[[0, 1], "implemented"] = np.nan
    data.loc[[1, 2, 3], "density"] = np.nan  # row 1 lacks both: counted as a missing outcome
    data.loc[4, "sector_blau"] = np.nan
    coefs, fit = fit_glm(data, _spec("logit", "implemented"))
    row = fit.iloc[0]
    assert row["n"] == len(data) - 5 and row["n_dropped"] == 5
    assert (
        row["dropped_reasons"]
        == "missing outcome: 2; missing predictor sector_blau: 1; missing predictor density: 2"
    )
    assert (coefs["n"] == len(data) - 5).all()


def test_perfect_separation_gives_an_error_row_not_absurd_estimates():
    rng = np.random.default_rng(3)
    x = rng.normal(size=80)
    data = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(80)],
            "x": x,
            "z": rng.normal(size=80),
            "y": (x > 0).astype(int),
        }
    )
    coefs, fit = fit_glm(
        data, {"name": "sep", "outcome": "y", "family": "logit", "predictors": ["x", "z"]}
    )
    assert coefs.empty
    assert "separation" in fit["error"].iloc[0] and "x" in fit["error"].iloc[0]
    # quasi-complete: y = 1 whenever x > 0; at x = 0 both classes occur
    x2 = np.concatenate([x, np.zeros(6)])
    y2 = np.concatenate([(x > 0).astype(int), [0, 1, 0, 1, 0, 1]])
    quasi = pd.DataFrame({"case_id": [f"c{i}" for i in range(86)], "x": x2, "y": y2})
    _, fit2 = fit_glm(quasi, {"name": "q", "outcome": "y", "family": "logit", "predictors": ["x"]})
    assert "separation" in fit2["error"].iloc[0]
    # overlapping classes: the maximum likelihood estimate exists
    X = np.column_stack([np.ones(80), x])
    noisy = (rng.random(80) < 1 / (1 + np.exp(-x))).astype(float)
    assert separation_direction(X, noisy) is None


def test_unfittable_models_are_reported(panel):
    one_class = panel.assign(implemented=1)
    _, fit = fit_glm(one_class, _spec("logit", "implemented"))
    assert "all one class" in fit["error"].iloc[0]
    collinear = panel.assign(blau2=2 * panel.sector_blau)
    coefs, fit = fit_glm(
        collinear,
        {"name": "c", "outcome": "score", "family": "ols", "predictors": ["sector_blau", "blau2"]},
    )
    assert coefs.empty and "singular" in fit["error"].iloc[0] and "blau2" in fit["error"].iloc[0]
    _, fit = fit_glm(
        panel, {"name": "m", "outcome": "score", "family": "ols", "predictors": ["no_such_column"]}
    )
    assert "no_such_column" in fit["error"].iloc[0]
    _, fit = fit_glm(panel.assign(implemented="yes"), _spec("logit", "implemented"))
    assert "numeric" in fit["error"].iloc[0]


def test_few_events_per_predictor_are_warned_about():
    rng = np.random.default_rng(5)
    n = 60
    data = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(n)],
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.normal(size=n),
        }
    )
    data["y"] = (rng.random(n) < 0.15).astype(int)
    data.loc[:3, "y"] = 1
    _, fit = fit_glm(
        data, {"name": "few", "outcome": "y", "family": "logit", "predictors": ["a", "b", "c"]}
    )
    events = int(min(data.y.sum(), n - data.y.sum()))
    assert fit["error"].iloc[0] == ""
    assert f"events per predictor {events / 3:.1f} < 10" in fit["warning"].iloc[0]


def test_standardized_coefficients_scale_with_the_sd(panel):
    spec = {
        "name": "s",
        "outcome": "score",
        "family": "ols",
        "predictors": ["sector_blau", "catalyst_present"],
        "standardize": True,
    }
    coefs, fit = fit_glm(panel, spec)
    raw = coefs[coefs.model == "s"].set_index("term")
    std = coefs[coefs.model == "s_std"].set_index("term")
    assert set(coefs.loc[coefs.model == "s_std", "standardized"]) == {True}
    sd = panel.sector_blau.std(ddof=1)
    assert std.loc["sector_blau", "estimate"] == pytest.approx(
        raw.loc["sector_blau", "estimate"] * sd, rel=1e-10
    )
    assert std.loc["catalyst_present", "estimate"] == pytest.approx(
        raw.loc["catalyst_present", "estimate"], rel=1e-10
    )
    assert fit["loglik"].iloc[0] == pytest.approx(fit["loglik"].iloc[1])


def test_lagged_models_use_the_previous_wave(panel):
    rng = np.random.default_rng(9)
    data = panel.copy()
    lagged = lagged_features(data, ["w1", "w2", "w3"], ["density"])
    prev = data.set_index(["wave", "case_id"])["density"]
    for _, row in lagged.sample(20, random_state=1).iterrows():
        assert row["density_lag"] == prev[(row["wave_from"], row["case_id"])]
    assert set(lagged["wave"]) == {"w2", "w3"} and len(lagged) == 600
    # outcome at t driven by density at t-1
    d = data.pivot(index="case_id", columns="wave", values="density")
    effect = {"w2": d["w1"], "w3": d["w2"]}
    data["growth"] = np.nan
    for w, before in effect.items():
        mask = data.wave == w
        data.loc[mask, "growth"] = 2.0 * before.loc[
            data.loc[mask, "case_id"]
        ].to_numpy() + rng.normal(size=mask.sum())
    coefs, fit = fit_glm(
        data,
        {
            "name": "lag",
            "outcome": "growth",
            "family": "ols",
            "predictors": ["density"],
            "lagged": True,
        },
        waves=["w1", "w2", "w3"],
    )
    row = coefs.set_index("term").loc["density_lag"]
    assert row["ci_low"] <= 2.0 <= row["ci_high"] and row["n"] == 600
    assert fit["lagged"].iloc[0]


def test_case_features_joins_actor_summaries_and_roles():
    cases = pd.DataFrame(
        {
            "wave": ["1", "1", "2"],
            "case_id": ["a", "b", "a"],
            "n_actors": [3, 2, 3],
            "density": [0.5, 1.0, 0.7],
            "implemented": [1, 0, 1],
        }
    )
    actors = pd.DataFrame(
        {
            "wave": ["1", "1", "1", "1", "1", "2", "2", "2"],
            "case_id": ["a", "a", "a", "b", "b", "a", "a", "a"],
            "actor_id": ["x", "y", "z", "u", "v", "x", "y", "z"],
            "betweenness": [0.0, 2.0, 1.0, 0.0, 0.0, 1.0, 1.0, 4.0],
            "constraint": [0.5, np.nan, 1.0, 1.0, 1.0, 0.2, 0.4, 0.6],
            "catalyst_score": [1.0, 3.0, 2.0, 0.5, 0.0, 1.0, 1.0, 1.0],
            "reported_roles": [
                "convener;Catalyst",
                None,
                "",
                "facilitator",
                None,
                "",
                None,
                "catalyst",
            ],
            "rank": [1, 2, 3, 1, 1, 2, 2, 5],
        }
    )
    aggregates = [
        {"column": "rank", "agg": "mean", "name": "mean_rank"},
        {"column": "rank", "agg": "share", "value": 1},
    ]
    out = case_features(cases, actors, aggregates=aggregates).set_index(["wave", "case_id"])
    a1 = out.loc[("1", "a")]
    assert a1["mean_betweenness"] == 1.0 and a1["max_betweenness"] == 2.0
    assert a1["mean_constraint"] == 0.75
    assert (a1["convener_present"], a1["facilitator_present"], a1["catalyst_present"]) == (
        1.0,
        0.0,
        1.0,
    )
    assert a1["max_catalyst_score"] == 3.0 and a1["mean_rank"] == 2.0
    assert a1["share_rank"] == pytest.approx(1 / 3)
    assert out.loc[("1", "b"), "facilitator_present"] == 1.0
    assert (
        out.loc[("2", "a"), "catalyst_present"] == 1.0
        and out.loc[("2", "a"), "convener_present"] == 0.0
    )
    assert a1["log_n_actors"] == pytest.approx(np.log(3))
    assert a1["implemented"] == 1
    notes = case_features(cases, actors.drop(columns=["reported_roles", "constraint"])).attrs[
        "notes"
    ]
    assert any("reported_roles" in n for n in notes) and any("constraint" in n for n in notes)


def test_strong_tie_shares_are_withheld_under_a_within_case_split():
    """With tie_class.method: quantile about the same share of every case's ties is strong by
    construction: the shares are no case feature, and a model that names one is refused."""
    from netinnov.models.features import unavailable_tie_features

    assert (
        unavailable_tie_features(None) == {}
        and unavailable_tie_features({"method": "absolute"}) == {}
    )
    withheld = unavailable_tie_features({"method": "quantile"})
    assert set(withheld) == {"strong_tie_share", "weak_tie_share", "weak_cross_sector_tie_share"}
    entry = {
        "name": "m",
        "outcome": "y",
        "family": "ols",
        "predictors": ["density", "strong_tie_share"],
    }
    parse_models([entry])  # fine with the absolute rule
    with pytest.raises(ModelConfigError, match="strong_tie_share.*within-case"):
        parse_models([entry], unavailable=withheld)
    cases = pd.DataFrame(
        {
            "wave": ["1", "1"],
            "case_id": ["a", "b"],
            "n_actors": [3, 2],
            "strong_tie_share": [0.4, 0.5],
            "weak_tie_share": [0.6, 0.5],
            "density": [0.5, 1.0],
        }
    )
    actors = pd.DataFrame({"wave": ["1"] * 2, "case_id": ["a", "b"], "actor_id": ["x", "y"]})
    out = case_features(cases, actors, unavailable=withheld)
    assert "strong_tie_share" not in out.columns and "weak_tie_share" not in out.columns
    assert any("strong_tie_share is not offered" in n for n in out.attrs["notes"])
    assert "strong_tie_share" in case_features(cases, actors).columns


def test_model_config_is_validated_with_clear_errors():
    with pytest.raises(ModelConfigError, match="family must be one of"):
        parse_models([{"name": "m", "outcome": "y", "family": "probit", "predictors": ["x"]}])
    with pytest.raises(ModelConfigError, match="unknown keys"):
        parse_models(
            [{"name": "m", "outcome": "y", "family": "logit", "predictors": ["x"], "pooledd": True}]
        )
    with pytest.raises(ModelConfigError, match="expected true or false"):
        parse_models(
            [
                {
                    "name": "m",
                    "outcome": "y",
                    "family": "logit",
                    "predictors": ["x"],
                    "pooled": "maybe",
                }
            ]
        )
    with pytest.raises(ModelConfigError, match="used twice"):
        parse_models([{"name": "m", "outcome": "y", "family": "logit", "predictors": ["x"]}] * 2)
    with pytest.raises(ModelConfigError, match="do not parse"):
        parse_models([{"name": "m", "outcome": "y", "family": "logit", "predictors": ["x +* "]}])
    spec = ModelSpec.from_config(
        {"outcome": "y", "family": "ols", "predictors": ["x"], "pooled": "no"}
    )
    assert spec.name == "y_ols" and spec.pooled is False
    assert formula_variables(["np.log(n_actors)", "C(kind, Treatment('a'))", "a*b"]) == [
        "n_actors",
        "kind",
        "a",
        "b",
    ]


def test_run_models_writes_the_four_tables(panel, tmp_path):
    config = [
        _spec(
            "logit",
            "implemented",
            cv_repeats=1,
            cv_folds=3,
            estimators=["baseline", "regularized"],
            importance_repeats=1,
        ),
        _spec("ols", "score", predict=False),
    ]
    tables = run_models(panel, config, seed=3, out_dir=tmp_path)
    for name in ("coefficients", "fit", "cv_scores", "importance"):
        written = pd.read_csv(tmp_path / f"{name}.csv")
        assert len(written) == len(tables[name]) > 0
    assert set(tables["cv_scores"]["model"]) == {"implemented_logit"}
