"""Panel estimators (GEE, random-intercept models) and wave fixed effects.

Independent computations: the GLMM likelihood against numerical integration
(scipy.integrate.quad) per case; the fitted GLMM against a brute-force
maximisation of that integrated likelihood; GEE and MixedLM rows against
statsmodels called directly; between-within df by hand; recovery of planted
conditional (mixed) and population-averaged (GEE) effects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import integrate, optimize, special, stats

from netinnov.metrics.multiple_testing import coefficient_qvalues
from netinnov.models.glm import COEFFICIENT_COLUMNS, FIT_COLUMNS, fit_glm, fit_glms
from netinnov.models.glmm import between_within_df, fit_glmm, glmm_loglik
from netinnov.models.spec import ModelConfigError, ModelSpec


def _data(family: str, *, seed: int = 1, n_cases: int = 36, n_waves: int = 3, sd_u: float = 1.0,
          beta=(-0.3, 0.8, 0.5)) -> pd.DataFrame:  # fmt: skip
    """Cases over waves: a within-case covariate x, a case-level 0/1 z, a case intercept."""
    rng = np.random.default_rng(seed)
    case = np.repeat(np.arange(n_cases), n_waves)
    n = case.size
    x = rng.normal(size=n)
    z = (rng.random(n_cases) < 0.4).astype(float)[case]
    u = rng.normal(scale=sd_u, size=n_cases)[case]
    eta = beta[0] + beta[1] * x + beta[2] * z + u
    if family == "logit":
        y = (rng.random(n) < special.expit(eta)).astype(float)
    elif family == "poisson":
        y = rng.poisson(np.exp(eta)).astype(float)
    elif family == "ordered_logit":
        y = 1.0 + np.digitize(eta - beta[0] + rng.logistic(size=n), [-1.0, 0.5, 2.0])
    else:
        y = eta + rng.normal(size=n)
    return pd.DataFrame({
        "case_id": [f"c{c:03d}" for c in case], "wave": [f"w{w + 1}" for w in np.tile(np.arange(n_waves), n_cases)],
        "x": x, "z": z, "y": y,
    })  # fmt: skip


def _spec(family: str, **extra) -> dict:
    return {"name": "m", "outcome": "y", "family": family, "predictors": ["x", "z"], "predict": False, **extra}


def _brute_loglik(family, y, X, groups, beta, sd, cuts=None):
    total = 0.0
    for g in np.unique(groups):
        m = groups == g

        def f(u, m=m):
            eta = X[m] @ beta + u
            if family == "logit":
                ll = np.sum(y[m] * eta - np.logaddexp(0, eta))
            elif family == "poisson":
                ll = np.sum(y[m] * eta - np.exp(eta) - special.gammaln(y[m] + 1))
            else:
                c = np.r_[-np.inf, cuts, np.inf]
                k = y[m].astype(int)
                ll = np.sum(np.log(special.expit(c[k + 1] - eta) - special.expit(c[k] - eta)))
            return np.exp(ll) * stats.norm.pdf(u, 0, sd)

        total += np.log(integrate.quad(f, -15 * sd, 15 * sd, epsabs=0, epsrel=1e-12, limit=400)[0])
    return total


@pytest.mark.parametrize("family", ["logit", "poisson", "ordered_logit"])
@pytest.mark.parametrize("sd", [0.3, 1.5])
def test_quadrature_likelihood_equals_numerical_integration(family, sd):
    d = _data(family, n_cases=12, sd_u=sd)
    y = d["y"].to_numpy()
    groups = d["case_id"].to_numpy()
    if family == "ordered_logit":
        X = d[["x", "z"]].to_numpy()
        beta, cuts, y = np.array([0.8, 0.5]), np.array([-1.0, 0.5, 2.0]), y - 1
    else:
        X = np.c_[np.ones(len(d)), d[["x", "z"]].to_numpy()]
        beta, cuts = np.array([-0.3, 0.8, 0.5]), None
    brute = _brute_loglik(family, y, X, groups, beta, sd, cuts)
    # 15 adaptive points: within 1e-4 of the integral (statistically nothing; 30 points give 1e-10)
    assert glmm_loglik(family, y, X, groups, beta, sd, cuts) == pytest.approx(brute, abs=1e-4)


def test_glmm_maximum_equals_a_brute_force_maximisation():
    d = _data("logit", n_cases=15, seed=3)
    y, groups = d["y"].to_numpy(), d["case_id"].to_numpy()
    X = np.c_[np.ones(len(d)), d["x"].to_numpy()]

    codes = np.unique(groups, return_inverse=True)[1]
    grid = np.linspace(-1.0, 1.0, 8001)

    def negative(theta):  # the integral on a fine grid (trapezoid rule), not quadrature
        sd = np.exp(theta[2])
        u = grid * 12 * sd
        eta = (X @ theta[:2])[:, None] + u[None, :]
        ll = y[:, None] * eta - np.logaddexp(0, eta)
        per_case = np.zeros((codes.max() + 1, u.size))
        np.add.at(per_case, codes, ll)
        dens = np.exp(per_case) * stats.norm.pdf(u, 0, sd)[None, :]
        return -np.sum(np.log(np.trapezoid(dens, u, axis=1)))

    brute = optimize.minimize(negative, [0.0, 0.5, 0.0], method="Nelder-Mead",
                              options={"xatol": 1e-6, "fatol": 1e-9, "maxiter": 4000})  # fmt: skip
    fit = fit_glmm("logit", y, X, groups)
    np.testing.assert_allclose(fit.params, brute.x[:2], atol=2e-3)
    assert fit.sd == pytest.approx(np.exp(brute.x[2]), abs=5e-3)
    assert fit.loglik >= -brute.fun - 1e-7  # at least as high as the brute-force maximum


def test_glmm_without_case_variation_equals_the_glm():
    d = _data("logit", seed=5, n_cases=60, sd_u=0.0)
    X = np.c_[np.ones(len(d)), d[["x", "z"]].to_numpy()]
    fit = fit_glmm("logit", d["y"].to_numpy(), X, d["case_id"].to_numpy())
    glm = sm.Logit(d["y"].to_numpy(), X).fit(disp=0)
    if fit.sd == 0.0:  # at the boundary: the GLM exactly
        np.testing.assert_allclose(fit.params, glm.params, atol=1e-3)
        assert "boundary" in fit.message
    else:
        assert fit.sd < 0.5
        np.testing.assert_allclose(fit.params, glm.params, atol=0.1)


def test_between_within_df_by_hand():
    groups = np.repeat(np.arange(5), 4)  # G = 5, N = 20
    rng = np.random.default_rng(0)
    X = np.c_[np.ones(20), np.repeat(rng.normal(size=5), 4), rng.normal(size=20), rng.normal(size=20)]
    # between: intercept, case-level column (p_b = 2) -> 5 - 2 = 3; within (p_w = 2) -> 20 - 5 - 2 = 13
    np.testing.assert_array_equal(between_within_df(X, groups), [3, 3, 13, 13])


@pytest.mark.parametrize("family", ["ols", "logit", "poisson", "ordered_logit"])
def test_every_estimator_gives_rows_and_a_fit(family):
    coefs, fit = fit_glm(_data(family), _spec(family))
    assert list(coefs.columns) == COEFFICIENT_COLUMNS and list(fit.columns) == FIT_COLUMNS
    assert list(fit["estimator"]) == ["glm", "gee", "mixed"]
    assert fit["error"].eq("").all(), fit[["estimator", "error"]]
    assert fit["converged"].astype(bool).all()
    for est in ("glm", "gee", "mixed"):
        rows = coefs[coefs["estimator"] == est].set_index("term")
        assert {"x", "z", "wave[T.w2]", "wave[T.w3]"} <= set(rows.index)
        assert (rows.loc[["wave[T.w2]", "wave[T.w3]"], "term_type"] == "wave_effect").all()
        assert rows.loc[["wave[T.w2]", "wave[T.w3]"], "q_value"].isna().all()
        assert rows.loc[["x", "z"], "q_value"].notna().all()
    mixed = coefs[coefs["estimator"] == "mixed"].set_index("term")
    assert mixed.loc["sd(case)", "term_type"] == "random_effect_sd" and mixed.loc["sd(case)", "estimate"] > 0
    assert np.isnan(mixed.loc["sd(case)", "p_value"])
    # z is a case-level term: between df = G - (intercept, z) ; x varies within: N - G - (x, two waves)
    between = 36 - (2 if family != "ordered_logit" else 2)
    assert mixed.loc["z", "df"] == between
    assert mixed.loc["x", "df"] == 108 - 36 - 3
    gee = coefs[coefs["estimator"] == "gee"]
    assert set(gee.loc[gee["term_type"] != "working_correlation", "inference"]) == {"GEE-MD-t(G-1)"}
    assert (gee.loc[gee["term_type"] == "coefficient", "df"] == 35).all()


def test_gee_rows_equal_statsmodels_gee():
    d = _data("logit", seed=7)
    coefs, _ = fit_glm(d, _spec("logit", regression_estimators=["gee"], wave_effects=False))
    X = sm.add_constant(d[["x", "z"]]).rename(columns={"const": "Intercept"})
    res = sm.GEE(d["y"], X, groups=d["case_id"], family=sm.families.Binomial(),
                 cov_struct=sm.cov_struct.Exchangeable()).fit(cov_type="bias_reduced")  # fmt: skip
    rows = coefs.set_index("term")
    bc, robust = np.asarray(res.cov_robust_bc), np.asarray(res.cov_robust)
    for k, term in enumerate(("Intercept", "x", "z")):
        assert rows.loc[term, "estimate"] == pytest.approx(res.params[term], rel=1e-6)
        assert rows.loc[term, "std_error"] == pytest.approx(np.sqrt(bc[k, k]), rel=1e-6)
        assert rows.loc[term, "std_error_cr1"] == pytest.approx(np.sqrt(robust[k, k]), rel=1e-6)
        t = res.params[term] / np.sqrt(bc[k, k])
        assert rows.loc[term, "p_value"] == pytest.approx(2 * stats.t.sf(abs(t), 35), rel=1e-6)
    assert rows.loc["corr(exchangeable)", "estimate"] == pytest.approx(res.model.cov_struct.dep_params)


def test_gee_above_small_cluster_max_uses_the_robust_sandwich():
    coefs, fit = fit_glm(_data("poisson"), _spec("poisson", regression_estimators=["gee"]), small_cluster_max=10)
    assert fit["inference"].iloc[0] == "GEE-robust-t(G-1)"
    rows = coefs[coefs["term_type"] == "coefficient"]
    np.testing.assert_allclose(rows["std_error"], rows["std_error_cr1"])


def test_ordinal_gee_thresholds_are_cut_points():
    d = _data("ordered_logit", seed=2, n_cases=200, sd_u=0.0)
    coefs, _ = fit_glm(d, _spec("ordered_logit", regression_estimators=["glm", "gee"], wave_effects=False))
    glm = coefs[coefs["estimator"] == "glm"].set_index("term")
    gee = coefs[coefs["estimator"] == "gee"].set_index("term")
    # no case effect: the GEE and the cumulative-logit ML estimate the same cut-points and slopes
    for term in ("1/2", "2/3", "3/4", "x", "z"):
        assert gee.loc[term, "estimate"] == pytest.approx(glm.loc[term, "estimate"], abs=0.1)
    assert list(gee.loc[["1/2", "2/3", "3/4"], "term_type"]) == ["threshold"] * 3


def test_mixed_ols_equals_statsmodels_mixedlm():
    d = _data("ols", seed=9)
    coefs, fit = fit_glm(d, _spec("ols", regression_estimators=["mixed"], wave_effects=False))
    X = sm.add_constant(d[["x", "z"]]).rename(columns={"const": "Intercept"})
    res = sm.MixedLM(d["y"], X, groups=d["case_id"]).fit(reml=True)
    rows = coefs.set_index("term")
    for term in ("Intercept", "x", "z"):
        assert rows.loc[term, "estimate"] == pytest.approx(res.fe_params[term], rel=1e-6)
        assert rows.loc[term, "std_error"] == pytest.approx(res.bse_fe[term], rel=1e-6)
    assert rows.loc["sd(case)", "estimate"] == pytest.approx(np.sqrt(res.cov_re.iloc[0, 0]), rel=1e-6)
    assert fit["loglik"].iloc[0] == pytest.approx(res.llf)


@pytest.mark.parametrize("family", ["logit", "poisson"])
def test_mixed_recovers_conditional_and_gee_marginal_effects(family):
    sd_u = 1.0
    d = _data(family, seed=21, n_cases=400, sd_u=sd_u)
    coefs, _ = fit_glm(d, _spec(family, wave_effects=False))
    mixed = coefs[coefs["estimator"] == "mixed"].set_index("term")
    gee = coefs[coefs["estimator"] == "gee"].set_index("term")
    for term, value in {"x": 0.8, "z": 0.5}.items():
        assert mixed.loc[term, "ci_low"] < value < mixed.loc[term, "ci_high"], (term, mixed.loc[term])
    assert mixed.loc["sd(case)", "ci_low"] < sd_u < mixed.loc["sd(case)", "ci_high"]
    if family == "logit":  # population-averaged slopes: attenuated (Zeger, Liang & Albert 1988)
        c = 16 * np.sqrt(3) / (15 * np.pi)
        marginal = 0.8 / np.sqrt(1 + c**2 * sd_u**2)
        assert gee.loc["x", "ci_low"] < marginal < gee.loc["x", "ci_high"]
        assert gee.loc["x", "estimate"] < mixed.loc["x", "estimate"]
    else:  # log link: slopes are not attenuated
        assert gee.loc["x", "ci_low"] < 0.8 < gee.loc["x", "ci_high"]


def test_wave_effects_follow_the_natural_wave_order_and_can_be_turned_off():
    d = _data("ols", n_waves=3)
    d["wave"] = d["wave"].map({"w1": "w2", "w2": "w10", "w3": "w3"})
    coefs, _ = fit_glm(d, _spec("ols", regression_estimators=["glm"]))
    assert sorted(t for t in coefs["term"] if t.startswith("wave[")) == ["wave[T.w10]", "wave[T.w3]"]
    coefs, _ = fit_glm(d, _spec("ols", regression_estimators=["glm"], wave_effects=False))
    assert not any(t.startswith("wave[") for t in coefs["term"])
    # a formula that has its own wave term gets no second one
    coefs, fit = fit_glm(d, _spec("ols", regression_estimators=["glm"], controls=["C(wave)"]))
    assert fit["error"].iloc[0] == "" and not any(t.startswith("wave[") for t in coefs["term"])


def test_per_wave_and_single_wave_fits_have_only_glm_rows():
    d = _data("ols")
    _, fit = fit_glm(d, _spec("ols", pooled=False))
    assert set(fit["estimator"]) == {"glm"} and len(fit) == 3
    _, fit = fit_glm(d[d["wave"] == "w1"], _spec("ols"))
    assert list(fit["estimator"]) == ["glm"]


def test_degenerate_samples_give_reason_rows_for_every_estimator():
    d = _data("logit", seed=4)
    d["y"] = (d["x"] > 0).astype(float)  # perfect separation
    coefs, fit = fit_glm(d, _spec("logit"))
    assert len(coefs) == 0 and list(fit["estimator"]) == ["glm", "gee", "mixed"]
    assert "perfect separation" in fit["error"].iloc[0]
    assert fit["error"].iloc[1:].str.startswith("not fitted: perfect separation").all()
    _, fit = fit_glm(_data("poisson"), _spec("negative_binomial"))
    row = fit.set_index("estimator").loc["mixed"]
    assert "no random-intercept model for negative_binomial" in row["error"]
    assert fit.set_index("estimator").loc["gee", "error"] == ""


def test_qvalue_families_are_per_estimator():
    d = _data("ols", seed=12)
    coefs, _ = fit_glm(d, _spec("ols"))
    again = coefficient_qvalues(coefs)
    np.testing.assert_allclose(again.to_numpy(), coefs["q_value"].to_numpy(), equal_nan=True)
    for _, rows in coefs.groupby("estimator"):
        tested = rows["term"].isin(["x", "z"])
        p = rows.loc[tested, "p_value"].to_numpy()
        order = np.argsort(p)
        expected = np.minimum.accumulate((p[order] * 2 / np.arange(1, 3))[::-1])[::-1]
        np.testing.assert_allclose(np.sort(rows.loc[tested, "q_value"].to_numpy()), np.minimum(expected, 1))


def test_regression_estimators_are_validated():
    with pytest.raises(ModelConfigError, match="regression_estimators"):
        ModelSpec.from_config(_spec("ols", regression_estimators=["glm", "gmm"]))
    spec = ModelSpec.from_config(_spec("ols", regression_estimators=["mixed", "mixed"], wave_effects="no"))
    assert spec.regression_estimators == ("mixed",) and spec.wave_effects is False
    coefs, fit = fit_glms(_data("ols"), [spec])
    assert set(fit["estimator"]) == {"mixed"} and set(coefs["estimator"]) == {"mixed"}


def test_models_page_lists_panel_failures_and_drops_once():
    from netinnov.reports.models import not_estimated

    d = _data("poisson")
    d.loc[:4, "x"] = np.nan  # five rows dropped: the same for every estimator
    _, fit = fit_glm(d, _spec("negative_binomial"))
    table = not_estimated(fit)
    assert list(table["model"]).count("m") == 1 and table.set_index("model").loc["m", "n_dropped"] == 5
    assert "no random-intercept model" in table.set_index("model").loc["m (mixed)", "reason"]
