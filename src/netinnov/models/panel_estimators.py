r"""Panel estimators for cases observed over waves: GEE and random-intercept models.

Beside the pooled GLM (``estimator = "glm"``, :mod:`netinnov.models.glm`), a
pooled model whose cases are observed more than once is fitted by the
estimators named in its ``regression_estimators`` (default ``[glm, gee,
mixed]``); every row of ``coefficients.csv`` and ``fit.csv`` says which in
``estimator``.

``gee``
    Generalised estimating equations (Liang & Zeger 1986), statsmodels'
    ``GEE`` with an **exchangeable** working correlation within case
    (reported as the term ``corr(exchangeable)``, ``term_type =
    "working_correlation"``). Coefficients are population-averaged, like the
    GLM's. Families: Gaussian (``ols``), binomial (``logit``), Poisson
    (``poisson``, and ``negative_binomial``: the mean model is the same and the
    robust errors do not rely on the variance function); for ``ordered_logit``
    statsmodels' ``OrdinalGEE``, the cumulative logit on the indicators
    :math:`y > j` with a global odds-ratio working dependence (Heagerty & Zeger
    1996; term ``odds_ratio(global)``; when its update breaks down, independence
    working dependence, with a note), its intercepts reported as the
    cut-points :math:`c_j = -\alpha_j` of :mod:`netinnov.models.glm`. With at most
    ``small_cluster_max`` cases the errors are the bias-reduced sandwich of
    Mancl & DeRouen (2001) (statsmodels ``cov_type="bias_reduced"``;
    inference ``GEE-MD-t(G-1)``), otherwise the robust sandwich
    (``GEE-robust-t(G-1)``); the uncorrected robust sandwich is kept in
    ``std_error_cr1`` / ``p_value_cr1``. Tests use t with :math:`G-1` degrees
    of freedom (Cameron & Miller 2015).
``mixed``
    A case random intercept (:mod:`netinnov.models.glmm`): ``MixedLM`` by
    REML for ``ols``; maximum likelihood by adaptive Gauss–Hermite quadrature
    for ``logit``, ``poisson`` and ``ordered_logit``. Coefficients are
    conditional (case-specific) effects: for the logit and ordered logit they
    are larger than the population-averaged ones by about
    :math:`\sqrt{1 + 0.346\,\sigma_u^2}` (Zeger, Liang & Albert 1988). t tests
    with between–within df (inference ``mixed-REML-t(between-within)`` or
    ``GLMM-AGQ-t(between-within)``). Not available for ``negative_binomial``
    (use ``poisson``, whose case intercept absorbs between-case
    overdispersion, or GEE).

References
----------
Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources*, 50(2), 317–372.
Heagerty, P. J., & Zeger, S. L. (1996). Marginal regression models for
clustered ordinal measurements. *JASA*, 91(435), 1024–1036.
Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using
generalized linear models. *Biometrika*, 73(1), 13–22.
Mancl, L. A., & DeRouen, T. A. (2001). A covariance estimator for GEE with
improved small-sample properties. *Biometrics*, 57(1), 126–134.
Zeger, S. L., Liang, K.-Y., & Albert, P. S. (1988). Models for longitudinal
data: a generalized estimating equation approach. *Biometrics*, 44(4),
1049–1060.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .glmm import MIXED_FAMILIES, between_within_df, fit_glmm
from .small_cluster import t_inference

__all__ = ["PANEL_ESTIMATORS", "PanelFit", "fit_panel"]

#: The estimators of this module (values of ``regression_estimators`` besides ``glm``).
PANEL_ESTIMATORS = ("gee", "mixed")
GEE_FAMILIES = ("ols", "logit", "poisson", "negative_binomial", "ordered_logit")


@dataclass
class PanelFit:
    """Coefficient rows (the glm table's columns that do not repeat the fit) and fit values."""

    table: pd.DataFrame | None
    fit: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    error: str = ""


def _table(names, est, se, df, labels, term_type, se_raw=None, df_raw=None) -> pd.DataFrame:
    est = np.asarray(est, dtype=float)
    se = np.asarray(se, dtype=float)
    df = np.asarray(df, dtype=float)
    stat, pval, low, high = t_inference(est, se, df)
    nan = np.full(est.size, np.nan)
    p_raw = nan.copy()
    if se_raw is not None:
        _, p_raw, _, _ = t_inference(est, np.asarray(se_raw, dtype=float), df_raw)
    return pd.DataFrame(
        {
            "term": list(names), "estimate": est, "std_error": se, "ci_low": low,
            "ci_high": high, "p_value": pval, "statistic": stat, "term_type": term_type,
            "std_error_cr1": nan if se_raw is None else np.asarray(se_raw, dtype=float),
            "p_value_cr1": p_raw, "df": df, "inference": labels,
        }
    )  # fmt: skip


def _term_types(names: list[str]) -> list[str]:
    return ["wave_effect" if str(n).startswith("wave[") else "coefficient" for n in names]


def _extra_row(term: str, estimate: float, se: float, kind: str, label: str) -> pd.DataFrame:
    if np.isfinite(se) and estimate > 0:
        low, high = (
            estimate * np.exp(-1.959963984540054 * se / estimate),
            estimate * np.exp(1.959963984540054 * se / estimate),
        )
    else:
        low = high = np.nan
    return pd.DataFrame(
        {
            "term": [term], "estimate": [estimate], "std_error": [se], "ci_low": [low],
            "ci_high": [high], "p_value": [np.nan], "statistic": [np.nan], "term_type": [kind],
            "std_error_cr1": [np.nan], "p_value_cr1": [np.nan], "df": [np.nan], "inference": [label],
        }
    )  # fmt: skip


def _gee(
    family: str,
    design: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray,
    small: bool,
    levels: list[Any] | None = None,
) -> PanelFit:
    import statsmodels.api as sm

    if family not in GEE_FAMILIES:
        return PanelFit(
            None,
            {},
            error=f"GEE is not available for {family} (see netinnov.models.panel_estimators)",
        )
    if family == "ordered_logit":
        return _ordinal_gee(design, y, groups, small, levels or [])
    fam = {
        "ols": sm.families.Gaussian(),
        "logit": sm.families.Binomial(),
        "poisson": sm.families.Poisson(),
        "negative_binomial": sm.families.Poisson(),
    }[family]
    model = sm.GEE(y, design, groups=groups, family=fam, cov_struct=sm.cov_struct.Exchangeable())
    res = model.fit(maxiter=200, cov_type="bias_reduced" if small else "robust")
    names = list(design.columns)
    G = int(np.unique(groups).size)
    est = np.asarray(res.params, dtype=float)
    se_robust = np.sqrt(np.clip(np.diag(np.asarray(res.cov_robust, dtype=float)), 0, None))
    if small:
        se = np.sqrt(np.clip(np.diag(np.asarray(res.cov_robust_bc, dtype=float)), 0, None))
        label = "GEE-MD-t(G-1)"
    else:
        se = se_robust
        label = "GEE-robust-t(G-1)"
    df = np.full(est.size, float(G - 1))
    table = _table(names, est, se, df, np.full(est.size, label, dtype=object), _term_types(names),
                   se_raw=se_robust, df_raw=df)  # fmt: skip
    rho = float(np.atleast_1d(res.model.cov_struct.dep_params)[0])
    table = pd.concat(
        [table, _extra_row("corr(exchangeable)", rho, np.nan, "working_correlation", label)],
        ignore_index=True,
    )
    notes = []
    converged = bool(getattr(res, "converged", True))
    if not converged:
        notes.append("GEE did not converge")
    if family == "negative_binomial":
        notes.append(
            "GEE of a negative-binomial model uses the Poisson variance function (robust errors)"
        )
    fit = {"converged": converged, "inference": label, "cov_type": "gee-exchangeable"}
    return PanelFit(table, fit, notes)


def _ordinal_gee(
    design: pd.DataFrame, y: np.ndarray, groups: np.ndarray, small: bool, levels: list[Any]
) -> PanelFit:
    import statsmodels.api as sm

    X = design.drop(columns=[c for c in design.columns if c == "Intercept"])
    notes: list[str] = []
    dependence = "global odds ratio"
    try:
        model = sm.OrdinalGEE(
            np.asarray(y, dtype=float), X, groups=groups,
            cov_struct=sm.cov_struct.GlobalOddsRatio("ordinal"),
        )  # fmt: skip
        res = model.fit(maxiter=200, cov_type="bias_reduced" if small else "robust")
        if not np.all(np.isfinite(np.asarray(res.params, dtype=float))):
            raise ValueError("non-finite estimates")
    except (ValueError, np.linalg.LinAlgError) as exc:
        # the odds-ratio update can break down (e.g. a sparse category table);
        # independence keeps the estimating equations and their robust errors valid
        model = sm.OrdinalGEE(
            np.asarray(y, dtype=float), X, groups=groups, cov_struct=sm.cov_struct.Independence()
        )
        res = model.fit(maxiter=200, cov_type="bias_reduced" if small else "robust")
        dependence = "independence"
        notes.append(
            f"the global odds-ratio working dependence failed ({exc}); independence working "
            "dependence used (the robust errors stay valid)"
        )
    k = len(levels) - 1
    est = np.asarray(res.params, dtype=float)
    if est.size != k + X.shape[1]:
        raise ValueError("OrdinalGEE returned an unexpected number of parameters")
    se_robust = np.sqrt(np.clip(np.diag(np.asarray(res.cov_robust, dtype=float)), 0, None))
    se = (
        np.sqrt(np.clip(np.diag(np.asarray(res.cov_robust_bc, dtype=float)), 0, None))
        if small
        else se_robust
    )
    label = "GEE-MD-t(G-1)" if small else "GEE-robust-t(G-1)"
    # statsmodels: intercepts alpha_j of P(y > j) first; cut-points c_j = -alpha_j
    order = np.r_[np.arange(k, est.size), np.arange(k)]
    est = np.r_[est[k:], -est[:k]]
    se, se_robust = se[order], se_robust[order]
    names = list(X.columns) + [f"{levels[j]}/{levels[j + 1]}" for j in range(k)]
    G = int(np.unique(groups).size)
    df = np.full(est.size, float(G - 1))
    term_type = _term_types(list(X.columns)) + ["threshold"] * k
    table = _table(names, est, se, df, np.full(est.size, label, dtype=object), term_type,
                   se_raw=se_robust, df_raw=df)  # fmt: skip
    if dependence == "global odds ratio":
        odds = float(np.atleast_1d(res.model.cov_struct.dep_params)[0])
        table = pd.concat(
            [table, _extra_row("odds_ratio(global)", odds, np.nan, "working_correlation", label)],
            ignore_index=True,
        )
    converged = bool(getattr(res, "converged", True))
    if not converged:
        notes.append("GEE did not converge")
    return PanelFit(
        table,
        {
            "converged": converged,
            "inference": label,
            "cov_type": "gee-" + dependence.replace(" ", "-"),
        },
        notes,
    )


def _mixed(
    family: str, design: pd.DataFrame, y: np.ndarray, groups: np.ndarray, levels: list[Any] | None
) -> PanelFit:
    import statsmodels.api as sm

    if family not in MIXED_FAMILIES:
        return PanelFit(
            None, {},
            error=f"no random-intercept model for {family}: use poisson (its case intercept "
            "absorbs between-case overdispersion) or gee",
        )  # fmt: skip
    n = len(y)
    if int(np.unique(groups).size) < 2:
        return PanelFit(None, {}, error="one case: no random intercept to estimate")
    if family == "ols":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.MixedLM(y, design, groups=groups).fit(reml=True)
        names = list(design.columns)
        est = np.asarray(res.fe_params, dtype=float)
        se = np.asarray(res.bse_fe, dtype=float)
        df = between_within_df(design.to_numpy(dtype=float), groups)
        label = "mixed-REML-t(between-within)"
        table = _table(
            names, est, se, df, np.full(est.size, label, dtype=object), _term_types(names)
        )
        sd = float(np.sqrt(max(float(np.asarray(res.cov_re)[0, 0]), 0.0)))
        table = pd.concat(
            [table, _extra_row("sd(case)", sd, np.nan, "random_effect_sd", label)],
            ignore_index=True,
        )
        llf = float(res.llf)
        k = est.size + 2
        notes = [] if res.converged else ["MixedLM did not converge"]
        if sd < 1e-6:
            notes.append(
                "the case random-intercept SD is at its boundary (0): the mixed model reduces to OLS"
            )
        fit = {"converged": bool(res.converged), "inference": label, "cov_type": "random-intercept",
               "loglik": llf, "aic": 2 * k - 2 * llf, "bic": k * np.log(n) - 2 * llf}  # fmt: skip
        return PanelFit(table, fit, notes)
    X = design
    if family == "ordered_logit":
        X = design.drop(columns=[c for c in design.columns if c == "Intercept"])
    Xv = X.to_numpy(dtype=float)
    result = fit_glmm(family, y, Xv, groups, n_levels=len(levels) if levels else None)
    names = list(X.columns)
    df_design = np.c_[np.ones(n), Xv] if family == "ordered_logit" else Xv
    df = between_within_df(df_design, groups)
    term_type = _term_types(names)
    if family == "ordered_logit":
        df_intercept = df[0]
        df = np.concatenate([df[1:], np.full(len(levels) - 1, df_intercept)])
        names = names + [f"{levels[j]}/{levels[j + 1]}" for j in range(len(levels) - 1)]
        term_type = term_type + ["threshold"] * (len(levels) - 1)
    label = "GLMM-AGQ-t(between-within)"
    table = _table(names, result.params, result.std_error, df,
                   np.full(len(names), label, dtype=object), term_type)  # fmt: skip
    table = pd.concat(
        [table, _extra_row("sd(case)", result.sd, result.sd_std_error, "random_effect_sd", label)],
        ignore_index=True,
    )
    notes = [result.message] if result.message else []
    if not result.converged:
        notes.append("the GLMM optimiser did not converge")
    k = result.n_params
    fit = {"converged": result.converged, "inference": label, "cov_type": "random-intercept",
           "loglik": result.loglik, "aic": 2 * k - 2 * result.loglik,
           "bic": k * np.log(n) - 2 * result.loglik}  # fmt: skip
    return PanelFit(table, fit, notes)


def fit_panel(
    estimator: str,
    family: str,
    design: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray,
    *,
    small_cluster_max: int,
    levels: list[Any] | None = None,
) -> PanelFit:
    """Fit ``estimator`` (``gee`` or ``mixed``) on a pooled design clustered by case.

    ``design``: the patsy design of the GLM (with ``Intercept``); ``y``: the
    outcome (ordinal codes ``0..K-1`` for ``ordered_logit``, whose category
    labels are ``levels``); ``groups``: the case code of each row. Never
    raises: a failure is a :class:`PanelFit` with ``error``.
    """
    groups = np.asarray(groups)
    G = int(np.unique(groups).size)
    if G >= len(y):
        return PanelFit(
            None, {}, error="each case observed once: no within-case correlation to model"
        )
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if estimator == "gee":
                return _gee(
                    family, design, np.asarray(y, dtype=float), groups,
                    G <= small_cluster_max, levels,
                )  # fmt: skip
            if estimator == "mixed":
                return _mixed(family, design, np.asarray(y, dtype=float), groups, levels)
    except Exception as exc:  # noqa: BLE001 - one estimator never fails the job
        return PanelFit(None, {}, error=f"{estimator} failed: {type(exc).__name__}: {exc}")
    raise ValueError(f"unknown panel estimator {estimator!r}")
