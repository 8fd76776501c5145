"""CR2 (Bell–McCaffrey) covariance and Satterthwaite df: the p-space algebra of
netinnov.models.small_cluster against brute-force n × n matrix algebra, HC2
when every cluster is one observation, and the columns the pipeline writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.linalg
import statsmodels.api as sm
from scipy import special

from helpers.glm_only import fit_glm  # the pooled GLM alone
from netinnov.models.glm import COEFFICIENT_COLUMNS, FIT_COLUMNS
from netinnov.models.small_cluster import cr1_vcov, cr2, glm_parts, ordered_logit_parts, t_inference


def _brute_cr2(X: np.ndarray, e: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CR2 and Satterthwaite df with explicit n × n matrices (Bell & McCaffrey 2002).

    V = M Σ_g X_g' A_g e_g e_g' A_g X_g M, A_g = pinv(I - H_gg)^{1/2} (scipy sqrtm);
    df_j = tr(K)² / tr(K²), K = (I - H)' P (I - H), P = Σ_g p_g p_g',
    p_g = A_g X_g M e_j placed in the rows of cluster g (the quadratic form of
    c'Vc in ε ~ N(0, I)).
    """
    n, p = X.shape
    M = np.linalg.inv(X.T @ X)
    H = X @ M @ X.T
    eye = np.eye(n)
    A = {}
    meat = np.zeros((p, p))
    for g in np.unique(groups):
        ix = np.flatnonzero(groups == g)
        block = eye[np.ix_(ix, ix)] - H[np.ix_(ix, ix)]
        A[g] = np.real(scipy.linalg.sqrtm(np.linalg.pinv(block)))
        u = X[ix].T @ A[g] @ e[ix]
        meat += np.outer(u, u)
    V = M @ meat @ M
    df = []
    for j in range(p):
        c = np.eye(p)[j]
        P = np.zeros((n, n))
        for g in np.unique(groups):
            ix = np.flatnonzero(groups == g)
            pg = np.zeros(n)
            pg[ix] = A[g] @ X[ix] @ M @ c
            P += np.outer(pg, pg)
        K = (eye - H).T @ P @ (eye - H)
        df.append(np.trace(K) ** 2 / np.trace(K @ K))
    return V, np.array(df)


def _design(seed: int, n_groups: int = 9):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, n_groups)  # unbalanced, singletons included
    groups = np.repeat(np.arange(n_groups), sizes)
    n = len(groups)
    X = np.column_stack(
        [
            np.ones(n),
            rng.normal(size=n),
            np.repeat(rng.integers(0, 2, n_groups), sizes),
            rng.normal(size=n),
        ]
    )
    return rng, X, groups


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cr2_ols_matches_brute_force(seed):
    rng, X, groups = _design(seed)
    n = len(groups)
    y = X @ np.array([1.0, 0.5, 0.0, -0.3]) + rng.normal(size=n)[groups] + rng.normal(size=n)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ beta
    info, scores = glm_parts(X, np.ones(len(e)), e, groups)
    res = cr2(info, scores)
    V, df = _brute_cr2(X, e, groups)
    np.testing.assert_allclose(res.vcov, V, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(res.df, df, rtol=1e-8)


def test_cr2_equals_hc2_with_one_observation_per_cluster():
    rng = np.random.default_rng(5)
    X = sm.add_constant(rng.normal(size=(40, 3)))
    y = X @ np.array([0.5, 1.0, 0.0, -1.0]) + rng.normal(size=40) * (1 + np.abs(X[:, 1]))
    fit = sm.OLS(y, X).fit(cov_type="HC2")
    info, scores = glm_parts(X, np.ones(40), fit.resid, np.arange(40))
    np.testing.assert_allclose(cr2(info, scores).vcov, fit.cov_params(), rtol=1e-10)


def test_cr2_of_case_level_terms_equals_hc2_of_the_case_means():
    """Balanced cases, every regressor constant within a case (a role's presence):
    H_gg = (J/n) h_g, so A_g = I + ((1 - h_g)^(-1/2) - 1) J/n and the CR2 meat is
    sum_g x_g x_g' ebar_g^2 / (1 - h_g): HC2 of the regression on the case means
    (statsmodels), whose leverages are h_g. An identity, not a re-derivation of the code."""
    rng = np.random.default_rng(8)
    G, n = 15, 3
    Xc = sm.add_constant(np.c_[rng.normal(size=G), (rng.random(G) < 0.3).astype(float)])
    groups = np.repeat(np.arange(G), n)
    X = Xc[groups]
    y = X @ np.array([0.2, 1.0, 0.0]) + rng.normal(size=G)[groups] + rng.normal(size=G * n)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    info, scores = glm_parts(X, np.ones(G * n), y - X @ beta, groups)
    means = pd.Series(y).groupby(groups).mean().to_numpy()
    hc2 = sm.OLS(means, Xc).fit(cov_type="HC2")
    np.testing.assert_allclose(beta, hc2.params, rtol=1e-10)
    np.testing.assert_allclose(cr2(info, scores).vcov, hc2.cov_params(), rtol=1e-9)


def test_cr1_matches_statsmodels_cluster():
    rng, X, groups = _design(7, n_groups=12)
    y = X @ np.array([1.0, 0.5, 0.0, -0.3]) + rng.normal(size=len(groups))
    fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups})
    info, scores = glm_parts(X, np.ones(len(y)), fit.resid, groups)
    np.testing.assert_allclose(cr1_vcov(info, scores, len(y)), fit.cov_params(), rtol=1e-10)


def test_intercept_only_balanced_df_is_g_minus_1_and_df_bounded():
    """Balanced clusters, intercept only: H_gg = J/n, CR2 df = G − 1 exactly (Imbens & Kolesár 2016)."""
    rng = np.random.default_rng(8)
    G, m = 10, 3
    groups = np.repeat(np.arange(G), m)
    X = np.ones((G * m, 1))
    e = rng.normal(size=G * m)
    e -= e.mean()
    res = cr2(*glm_parts(X, np.ones(G * m), e, groups))
    np.testing.assert_allclose(res.df, [G - 1], rtol=1e-10)
    # general designs: 1 <= df <= G - 1 (Satterthwaite df of a sum of G terms)
    for seed in (11, 12, 13):
        rng, X, groups = _design(seed, n_groups=15)
        res = cr2(*glm_parts(X, np.ones(len(groups)), rng.normal(size=len(groups)), groups))
        assert np.all(res.df >= 1.0 - 1e-9) and np.all(res.df <= 15 - 1 + 1e-9)


def test_t_inference_reference():
    stat, p, lo, hi = t_inference(
        np.array([2.0, 2.0]), np.array([1.0, 1.0]), np.array([5.0, np.inf])
    )
    assert p[0] > p[1]  # t(5) wider than the normal
    np.testing.assert_allclose(p[1], 2 * (1 - 0.9772498680518208), rtol=1e-9)
    np.testing.assert_allclose(hi[0] - 2.0, 2.5705818366147395, rtol=1e-9)


def _panel(seed: int, n_cases: int, waves: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    case = np.repeat(np.arange(n_cases), waves)
    u = rng.normal(size=n_cases)[case]
    z = rng.integers(0, 2, n_cases).astype(float)[case]
    x = rng.normal(size=len(case))
    eta = 0.5 * x + u
    return pd.DataFrame(
        {
            "case_id": [f"c{c:03d}" for c in case],
            "wave": [f"w{w + 1}" for w in np.tile(np.arange(waves), n_cases)],
            "x": x,
            "z": z,
            "score": eta + rng.normal(size=len(case)),
            "implemented": (rng.random(len(case)) < special.expit(eta)).astype(int),
            "diffusion": rng.poisson(np.exp(0.3 * eta)),
            "radicalness": np.digitize(eta + rng.logistic(size=len(case)), [-1.0, 0.0, 1.0]) + 1,
        }
    )


def _spec(family: str, outcome: str, **extra) -> dict:
    return {
        "name": family,
        "outcome": outcome,
        "family": family,
        "predictors": ["x", "z"],
        "pooled": True,
        **extra,
    }


def test_pooled_logit_uses_working_weight_cr2():
    """The pipeline's CR2 for a logit = brute-force CR2 on the IRLS-weighted design W^½X, residuals (y−μ)/√w."""
    data = _panel(21, 15)
    coefs, fit = fit_glm(data, _spec("logit", "implemented"))
    assert fit["inference"].iloc[0] == "CR2-Satterthwaite"
    X = sm.add_constant(data[["x", "z"]].to_numpy())
    y = data["implemented"].to_numpy(dtype=float)
    res = sm.Logit(y, X).fit(disp=0)
    mu = res.predict()
    w = mu * (1 - mu)
    groups = pd.factorize(data["case_id"])[0]
    V, df = _brute_cr2(X * np.sqrt(w)[:, None], (y - mu) / np.sqrt(w), groups)
    np.testing.assert_allclose(coefs["std_error"], np.sqrt(np.diag(V)), rtol=1e-5)
    np.testing.assert_allclose(coefs["df"], df, rtol=1e-5)
    cl = sm.Logit(y, X).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(coefs["std_error_cr1"], cl.bse, rtol=1e-5)


def test_ordered_logit_parts_score_and_information():
    """Scores = numerical gradient of log π_{y}; information = Σ_k π_k ∇log π_k ∇log π_k' (finite differences)."""
    rng = np.random.default_rng(4)
    n, p = 12, 2
    X = rng.normal(size=(n, p))
    beta, cuts = np.array([0.7, -0.4]), np.array([-0.8, 0.1, 1.2])
    codes = rng.integers(0, 4, n)
    info, scores = ordered_logit_parts(X, codes, beta, cuts, np.arange(n))

    def logp(theta, i, k):
        b, c = theta[:p], np.r_[-np.inf, theta[p:], np.inf]
        eta = X[i] @ b
        return np.log(special.expit(c[k + 1] - eta) - special.expit(c[k] - eta))

    theta = np.r_[beta, cuts]
    h = 1e-6
    for i in range(n):
        grads = []
        for k in range(4):
            g = np.array(
                [
                    (logp(theta + h * d, i, k) - logp(theta - h * d, i, k)) / (2 * h)
                    for d in np.eye(len(theta))
                ]
            )
            grads.append((np.exp(logp(theta, i, k)), g))
        np.testing.assert_allclose(scores[i], grads[codes[i]][1], rtol=1e-5, atol=1e-7)
        expected = sum(pk * np.outer(g, g) for pk, g in grads)
        np.testing.assert_allclose(info[i], expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    "family,outcome",
    [("ols", "score"), ("logit", "implemented"), ("poisson", "diffusion"), ("ordered_logit", "radicalness"),
     ("negative_binomial", "diffusion")],
)  # fmt: skip
def test_columns_and_labels(family, outcome):
    data = _panel(31, 20)
    coefs, fit = fit_glm(data, _spec(family, outcome))
    assert list(coefs.columns) == COEFFICIENT_COLUMNS
    assert COEFFICIENT_COLUMNS[-5:] == [
        "std_error_cr1",
        "p_value_cr1",
        "df",
        "inference",
        "estimator",
    ]
    assert (
        FIT_COLUMNS[-2:] == ["inference", "estimator"]
        and fit["inference"].iloc[0] == "CR2-Satterthwaite"
    )
    beta = coefs[coefs["term_type"] != "dispersion"]
    assert (beta["inference"] == "CR2-Satterthwaite").all()
    assert np.all(np.isfinite(beta["df"])) and np.all((beta["df"] > 0) & (beta["df"] <= 19 + 1e-9))
    assert np.all(np.isfinite(coefs["std_error_cr1"]))
    # CI and p-value use the t(df) of each row
    from scipy import stats

    crit = stats.t.ppf(0.975, coefs["df"])
    np.testing.assert_allclose(
        coefs["ci_high"] - coefs["estimate"], crit * coefs["std_error"], rtol=1e-9
    )
    np.testing.assert_allclose(
        coefs["p_value_cr1"],
        2 * stats.t.sf(np.abs(coefs["estimate"] / coefs["std_error_cr1"]), 19),
        rtol=1e-9,
    )
    if family == "negative_binomial":
        assert (coefs.loc[coefs["term"] == "alpha", "inference"] == "CR1-t(G-1)").all()


def test_more_clusters_than_small_cluster_max_falls_back_to_cr1():
    data = _panel(41, 20)
    for limit in (19, 0):
        coefs, fit = fit_glm(data, _spec("logit", "implemented"), small_cluster_max=limit)
        assert (coefs["inference"] == "CR1-t(G-1)").all() and fit["inference"].iloc[
            0
        ] == "CR1-t(G-1)"
        np.testing.assert_allclose(coefs["std_error"], coefs["std_error_cr1"])
        assert (coefs["df"] == 19).all()
        assert "small_cluster_max" in fit["warning"].iloc[0]
    coefs, _ = fit_glm(data, _spec("logit", "implemented"), small_cluster_max=20)
    assert (coefs["inference"] == "CR2-Satterthwaite").all()


def test_unclustered_fits_are_labelled_hc1():
    data = _panel(51, 30)
    coefs, fit = fit_glm(data, _spec("logit", "implemented", pooled=False))
    assert set(coefs["inference"]) == {"HC1-normal"} and coefs["std_error_cr1"].isna().all()
    coefs, _ = fit_glm(data, _spec("ols", "score", pooled=False))
    assert set(coefs["inference"]) == {"HC1-t(n-k)"} and (coefs["df"] == 27).all()


@pytest.mark.extended
def test_small_cluster_size_and_coverage():
    """36 cases × 3 waves, case random intercept (ICC 0.3), persistent null predictor, wave effects:
    CR2 rejects a true null at 5 % in [3.5 %, 6.5 %] and covers ≥ 93 % for each family (1,000 datasets)."""
    from helpers.small_cluster_simulation import run_simulation, summarize

    rows = run_simulation(datasets=1000, n_cases=36, workers=2)
    table = summarize(rows).set_index("family")
    print(table.round(4).to_string())  # shown with pytest -s
    for family, r in table.iterrows():
        assert r["failed"] <= 10, family
        assert 0.035 <= r["reject_cr2"] <= 0.065, (family, r.to_dict())
        assert r["coverage_cr2"] >= 0.93, (family, r.to_dict())
