"""Monte Carlo of small-cluster inference for pooled case-level models.

Cases observed over waves with a case random intercept (intra-class
correlation ``icc`` on the latent scale: residual variance 1 for OLS,
:math:`\\pi^2/3` for the logistic families, 1 for the Poisson log scale), wave
effects, a real within-case covariate ``x`` (a case component plus wave noise,
effect ``beta_x``) and a *null* case-level predictor ``z`` that persists over
the waves (a 0/1 "role present" indicator in about a quarter of the cases,
effect 0: the imbalance gives the cases with the role a high leverage, which
is what makes CR1 liberal; with a 50/50 indicator CR1 with t(G−1) is close to
nominal already). Each dataset is fitted
with :func:`netinnov.models.glm.fit_glm` (pooled, ``C(wave)`` fixed effects,
errors clustered by case) and the test of ``z`` is recorded with the CR2
(``p_value``, ``ci_low``/``ci_high``) and CR1 (``p_value_cr1``) inference.

Used by the slow test in ``tests/test_models_small_cluster.py`` and by
``benchmarks/bench_small_cluster_size.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

FAMILIES = ("ols", "logit", "poisson", "ordered_logit")
_OUTCOME = {
    "ols": "score",
    "logit": "implemented",
    "poisson": "diffusion",
    "ordered_logit": "radicalness",
}
_LEVEL1_VAR = {"ols": 1.0, "logit": np.pi**2 / 3, "poisson": 1.0, "ordered_logit": np.pi**2 / 3}


def simulate_panel(
    family: str,
    rng: np.random.Generator,
    *,
    n_cases: int = 36,
    n_waves: int = 3,
    icc: float = 0.3,
    beta_x: float = 0.5,
    z_share: float = 0.25,
) -> pd.DataFrame:
    """One dataset: ``case_id``, ``wave``, ``x``, ``z`` and the family's outcome."""
    n = n_cases * n_waves
    case = np.repeat(np.arange(n_cases), n_waves)
    wave = np.tile(np.arange(n_waves), n_cases)
    sd_u = np.sqrt(icc / (1 - icc) * _LEVEL1_VAR[family])
    u = rng.normal(scale=sd_u, size=n_cases)[case]
    z = (rng.random(n_cases) < z_share).astype(float)
    if z.min() == z.max():  # keep the null predictor variable
        z[0] = 1.0 - z[0]
    z = z[case]
    x = (rng.normal(size=n_cases)[case] + rng.normal(size=n)) / np.sqrt(2.0)
    eta = 0.25 * wave + beta_x * x + u
    frame = pd.DataFrame(
        {
            "case_id": [f"c{c:03d}" for c in case],
            "wave": [f"w{w + 1}" for w in wave],
            "x": x,
            "z": z,
        }
    )
    if family == "ols":
        y = eta + rng.normal(size=n)
    elif family == "logit":
        y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(eta - 0.25)))).astype(float)
    elif family == "poisson":
        y = rng.poisson(np.exp(0.5 + 0.5 * eta)).astype(float)
    elif family == "ordered_logit":
        y = np.digitize(eta + rng.logistic(size=n), [-1.0, 0.25, 1.5]) + 1.0
    else:
        raise ValueError(family)
    frame[_OUTCOME[family]] = y
    return frame


def spec_for(family: str) -> dict:
    """The pooled model fitted to every dataset (wave fixed effects)."""
    return {
        "name": f"sim_{family}",
        "outcome": _OUTCOME[family],
        "family": family,
        "predictors": ["x", "z"],
        "controls": ["C(wave)"],
        "pooled": True,
        "predict": False,
        "regression_estimators": ["glm"],
    }


def _logistic_cdf(x: np.ndarray) -> np.ndarray:
    return special.expit(x)


def _logistic_pdf(x: np.ndarray) -> np.ndarray:
    p = special.expit(x)
    return p * (1.0 - p)


def fit_pooled(family: str, data: pd.DataFrame):
    """The pooled fit of :func:`spec_for` without the formula layer.

    The same statsmodels estimators and options as
    :func:`netinnov.models.glm._fit_model` (CR1 clustered by case), on the
    design ``[Intercept,] C(wave) dummies, x, z`` built directly (patsy and the
    pipeline's diagnostics dominate the time of :func:`~netinnov.models.glm.fit_glm`
    on a dataset this small), and the ordered logit's logistic cdf/pdf computed
    with ``scipy.special.expit`` (identical values, ten times faster than
    ``scipy.stats.logistic``). Returns ``(result, groups)``.
    """
    import statsmodels.api as sm
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    y = data[_OUTCOME[family]]
    waves = pd.get_dummies(data["wave"], drop_first=True, dtype=float)
    X = pd.concat([waves, data[["x", "z"]]], axis=1)
    groups = pd.factorize(data["case_id"])[0]
    kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    if family == "ordered_logit":
        cats = np.unique(y)
        endog = pd.Series(pd.Categorical(y.astype(int), categories=cats.astype(int), ordered=True))
        model = OrderedModel(endog, X, distr="logit")
        model.cdf, model.pdf = _logistic_cdf, _logistic_pdf  # scipy.stats' are slow
        res = model.fit(method="bfgs", disp=0, maxiter=5000, **kw)
        return res, groups
    X = sm.add_constant(X).rename(columns={"const": "Intercept"})
    if family == "ols":
        return sm.OLS(y, X).fit(use_t=True, **kw), groups
    model = sm.Logit(y, X) if family == "logit" else sm.Poisson(y, X)
    return model.fit(disp=0, maxiter=200, **kw), groups


def one_dataset(args: tuple[str, int, int, int, bool]) -> dict:
    """Fit one seeded dataset; the ``z`` row's tests (CR2 and CR1).

    ``pipeline=True`` goes through :func:`netinnov.models.glm.fit_glm` (formula,
    diagnostics); else :func:`fit_pooled` plus the pipeline's coefficient table
    (the same inference code).
    """
    from netinnov.models.glm import _coefficient_table, fit_glm
    from netinnov.models.spec import ModelSpec

    family, seed, n_cases, n_waves, pipeline = args
    rng = np.random.default_rng(seed)
    data = simulate_panel(family, rng, n_cases=n_cases, n_waves=n_waves)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if pipeline:
            coefs, _ = fit_glm(data, spec_for(family))
        else:
            try:
                res, groups = fit_pooled(family, data)
                coefs, _, _ = _coefficient_table(
                    ModelSpec.from_config(spec_for(family)), res, groups=groups
                )
            except Exception:  # noqa: BLE001 - a failed fit is counted, not raised
                coefs = pd.DataFrame(columns=["term"])
    row = coefs[coefs["term"] == "z"]
    out = {"family": family, "seed": seed, "n_cases": n_cases, "ok": len(row) == 1}
    if len(row) == 1:
        r = row.iloc[0]
        crit1 = stats.t.ppf(0.975, n_cases - 1)
        out.update(
            p_cr2=float(r["p_value"]),
            p_cr1=float(r["p_value_cr1"]),
            cover_cr2=bool(r["ci_low"] <= 0.0 <= r["ci_high"]),
            cover_cr1=bool(abs(r["estimate"]) <= crit1 * r["std_error_cr1"]),
            df=float(r["df"]),
            inference=str(r["inference"]),
        )
    return out


def run_simulation(
    families: Sequence[str] = FAMILIES,
    *,
    datasets: int = 1000,
    n_cases: int = 36,
    n_waves: int = 3,
    seed: int = 20261202,
    workers: int = 1,
    pipeline: bool = False,
) -> pd.DataFrame:
    """One row per (family, dataset); seeds ``seed + i`` (same for every family)."""
    tasks = [(f, seed + i, n_cases, n_waves, pipeline) for f in families for i in range(datasets)]
    if workers > 1:
        import multiprocessing as mp

        with mp.get_context("spawn").Pool(workers) as pool:
            rows = pool.map(one_dataset, tasks, chunksize=max(1, len(tasks) // (8 * workers)))
    else:
        rows = [one_dataset(t) for t in tasks]
    return pd.DataFrame(rows)


def summarize(rows: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Rejection rate at ``alpha`` and CI coverage of the null ``z``, CR2 vs CR1, with MC SEs."""
    ok = rows[rows["ok"]]
    out = []
    for keys, part in ok.groupby(["family", "n_cases"], sort=False):
        n = len(part)
        rec = dict(zip(["family", "n_cases"], keys, strict=True))
        rec["datasets"] = n
        rec["failed"] = int(
            (~rows.loc[(rows["family"] == keys[0]) & (rows["n_cases"] == keys[1]), "ok"]).sum()
        )
        for m in ("cr2", "cr1"):
            rate = float((part[f"p_{m}"] < alpha).mean())
            rec[f"reject_{m}"] = rate
            rec[f"mcse_{m}"] = float(np.sqrt(rate * (1 - rate) / n))
            rec[f"coverage_{m}"] = float(part[f"cover_{m}"].mean())
        rec["median_df"] = float(part["df"].median())
        out.append(rec)
    return pd.DataFrame(out)
