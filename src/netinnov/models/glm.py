"""Case-level regression models with honest inference (statsmodels).

One model entry of the config (:class:`~netinnov.models.spec.ModelSpec`) gives
a formula ``outcome ~ predictors + controls`` fitted with statsmodels' formula
interface (patsy), so that every ``term`` is spelled as statsmodels spells it
(``Intercept``, ``sector_blau``, ``density:catalyst_present``,
``collaboration_type[T.public_private]``) and joins with the generator's
``true_effects.csv`` on ``(outcome, term)``.

Inference
---------
- Waves pooled (``pooled: true``) and a case observed more than once: standard
  errors are cluster-robust by case. With at most ``small_cluster_max``
  clusters (config key, default 50) they are CR2 (Bell & McCaffrey 2002; for
  GLMs on the IRLS-weighted design, as clubSandwich does for ``glm``), each
  coefficient tested against t with its Satterthwaite degrees of freedom
  (Pustejovsky & Tipton 2018; Imbens & Kolesár 2016); algebra in
  :mod:`netinnov.models.small_cluster`. The uncorrected CR1 error
  (statsmodels ``cov_type="cluster"``, small-sample factor
  :math:`\\frac{G}{G-1}\\frac{N-1}{N-K}`) is kept in ``std_error_cr1`` and
  ``p_value_cr1`` (t with :math:`G-1` df), and is the reported one above
  ``small_cluster_max`` clusters and for the NB dispersion ``alpha``; every
  clustered test uses a t reference, never the normal. Otherwise (one wave, or
  ``pooled: false``, which fits each wave on its own)
  heteroskedasticity-robust HC1 errors (White 1980; MacKinnon & White 1985):
  t(n − k) for OLS, normal for the likelihood families. ``inference`` names
  the method of each row (``CR2-Satterthwaite``, ``CR1-t(G-1)``,
  ``HC1-t(n-k)``, ``HC1-normal``) and ``df`` its degrees of freedom.
- ``q_value``: the Benjamini–Hochberg (1995) q-value of ``p_value`` within
  the fitted model (one family per model × wave × lagged × standardized
  [× estimator]); the intercept, wave effects, thresholds and dispersion are
  not in the family and get NaN (:mod:`~netinnov.metrics.multiple_testing`).
- Rows are never dropped silently: ``fit.csv`` gives ``n`` (used),
  ``n_dropped`` and ``dropped_reasons`` ("missing outcome: 3; missing
  predictor density: 2" — a row lacking several values counts under each).
- Small samples are flagged in ``warning``: events per predictor below 10 for
  binary outcomes (:math:`\\min(\\text{events}, \\text{non-events})/k`, Peduzzi
  et al. 1996), effective sample size per predictor below 10 for ordinal ones
  (Harrell 2015: :math:`n - \\sum_c n_c^3/n^2`), observations per predictor
  below 10 otherwise, and fewer than 30 clusters for cluster-robust errors
  when CR2 is not used (Cameron & Miller 2015).
- A model that cannot be estimated — the outcome has one class, the design is
  singular (collinear terms are named), or a binary outcome is completely or
  quasi-completely separated (Albert & Anderson 1984; detected with the linear
  program of Konis 2007, so no absurd estimates are reported) — gives a
  ``fit.csv`` row with the ``error`` text and no coefficient rows.

Ordered logit
-------------
statsmodels' ``OrderedModel`` (``distr="logit"``): :math:`P(y \\le j) =
F(c_j - x'\\beta)`, no intercept. The thresholds are reported as terms named
``"<level>/<next level>"`` (e.g. ``1/2``) with the cut-points :math:`c_j` on the
latent scale as estimates (statsmodels estimates :math:`c_1` and
:math:`\\log(c_j - c_{j-1})`; the table reports :math:`c_j`, their standard
errors by the delta method) and ``term_type = "threshold"``.

Negative binomial: NB2 (variance :math:`\\mu + \\alpha\\mu^2`); :math:`\\alpha` is
the term ``alpha`` with ``term_type = "dispersion"``.

Standardized coefficients
-------------------------
With ``standardize: true`` the model is fitted a second time with every
numeric right-hand-side variable that is not 0/1 z-scored on the estimation
sample (mean 0, SD 1 with ddof = 1); 0/1 indicators and categories stay as they
are, the outcome is not transformed. Those rows carry the model name
``<name>_std`` and ``standardized = True``; interactions are products of the
z-scores.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg

from netinnov.metrics.multiple_testing import coefficient_qvalues

from ._threads import single_blas_thread
from .features import lagged_features
from .panel_estimators import PANEL_ESTIMATORS, fit_panel
from .separation import (
    count_separation_direction,
    ordinal_separation_direction,
    separation_direction,
)
from .small_cluster import cr2, glm_parts, ordered_logit_parts, t_inference
from .spec import ModelSpec

__all__ = [
    "COEFFICIENT_COLUMNS",
    "FIT_COLUMNS",
    "Sample",
    "prepare_samples",
    "fit_glm",
    "fit_glms",
    "separation_direction",
    "wave_order",
]

#: Columns of ``coefficients.csv`` (SPEC columns first).
COEFFICIENT_COLUMNS = [
    "model", "outcome", "term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n",
    "q_value", "statistic", "term_type", "family", "wave", "lagged", "standardized", "cov_type",
    "n_clusters", "n_dropped", "std_error_cr1", "p_value_cr1", "df", "inference", "estimator",
]  # fmt: skip
#: Columns of ``fit.csv``.
FIT_COLUMNS = [
    "model", "outcome", "family", "wave", "lagged", "standardized", "n", "n_dropped",
    "dropped_reasons", "n_clusters", "cov_type", "loglik", "aic", "bic", "pseudo_r2", "r2",
    "adj_r2", "converged", "warning", "error", "inference", "estimator",
]  # fmt: skip

log = logging.getLogger(__name__)

_KEEP = ("wave", "case_id", "wave_from")
_EPV_MIN = 10.0
_MIN_CLUSTERS = 30
#: Default of the config key ``small_cluster_max``: CR2 up to this many clusters.
SMALL_CLUSTER_MAX = 50


def wave_order(values: Sequence[Any]) -> list[str]:
    """Distinct wave labels in natural order (``w2`` before ``w10``)."""

    def key(label: str) -> list[Any]:
        return [
            (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", label) if p
        ]

    return sorted({str(v) for v in values}, key=key)


@dataclass
class Sample:
    """The estimation sample of one model on one wave (or the pooled waves)."""

    spec: ModelSpec
    wave: str
    data: pd.DataFrame
    terms: tuple[str, ...]
    variables: list[str]
    n_dropped: int = 0
    dropped_reasons: str = ""
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def formula(self) -> str:
        """The statsmodels formula ``outcome ~ terms``."""
        return f"{self.spec.outcome} ~ " + " + ".join(self.terms)


def _rename_identifiers(term: str, mapping: Mapping[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        return mapping.get(match.group(0), match.group(0))

    return re.sub(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*(?![\w(.])", sub, term)


def _plain(series: pd.Series) -> pd.Series:
    """Numpy-backed column: booleans → 0/1 floats, text → object, nullable → float."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return series.astype("float64")
    if isinstance(dtype, pd.CategoricalDtype):
        return series
    if pd.api.types.is_numeric_dtype(dtype):
        return pd.Series(
            series.to_numpy(dtype="float64", na_value=np.nan), index=series.index, name=series.name
        )
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        values = series.astype(object)
        return values.where(series.notna(), None)
    return series


def prepare_samples(
    features: pd.DataFrame,
    spec: ModelSpec,
    *,
    waves: Sequence[str] | None = None,
    wave_effects: bool | None = None,
) -> list[Sample]:
    """Build the estimation sample(s) of a model, reporting every dropped row.

    Lagged models use :func:`~netinnov.models.features.lagged_features`: every
    right-hand-side variable is taken at wave t−1 (renamed ``<name>_lag``), the
    outcome at wave t; ``lagged_outcome`` adds ``<outcome>_lag``.

    A pooled sample spanning several waves gets the term ``wave`` (wave fixed
    effects against the first wave, in natural order) when ``wave_effects``
    (default: the model's ``wave_effects`` key, true unless set) and the
    formula does not use ``wave`` already.

    Returns one :class:`Sample` per wave (``pooled: false``) or one labelled
    ``pooled``. A sample with ``error`` set cannot be fitted (missing column,
    no rows).
    """
    frame = features.copy()
    if "wave" not in frame.columns:
        frame["wave"] = "all"
    frame["wave"] = frame["wave"].astype(str)
    if "case_id" not in frame.columns:
        raise ValueError("features have no case_id column")
    frame["case_id"] = frame["case_id"].astype(str)
    order = [str(w) for w in waves] if waves is not None else wave_order(frame["wave"].unique())
    variables = [v for v in spec.variables if v not in ("wave", "case_id")]
    terms = spec.terms
    outcome = spec.outcome
    notes: list[str] = []
    # rows a lagged model cannot use, per wave label: {wave: {reason: count}}
    lag_drops: dict[str, dict[str, int]] = {}
    if spec.lagged:
        lag_drops = _lag_drops(frame, order)
        to_lag = [v for v in variables if v != "wave_from"]
        if spec.lagged_outcome:
            to_lag.append(outcome)
        frame = lagged_features(frame, order, to_lag)
        notes += frame.attrs.get("notes", [])
        mapping = {v: f"{v}_lag" for v in to_lag}
        terms = tuple(_rename_identifiers(t, mapping) for t in terms)
        if spec.lagged_outcome:
            terms += (f"{outcome}_lag",)
        variables = [mapping.get(v, v) for v in variables]
        if spec.lagged_outcome:
            variables.append(f"{outcome}_lag")
        order = order[1:]
    used = list(
        dict.fromkeys(
            [v for v in variables if v not in _KEEP] + [v for v in variables if v in _KEEP]
        )
    )
    if spec.pooled:
        groups = [("pooled", frame[frame["wave"].isin(order)])]
        pooled_drops: dict[str, int] = {}
        for reasons in lag_drops.values():
            for key, count in reasons.items():
                pooled_drops[key] = pooled_drops.get(key, 0) + count
        group_drops = {"pooled": pooled_drops}
    else:
        groups = [(w, frame[frame["wave"] == w]) for w in order]
        group_drops = lag_drops
    samples = []
    first = [w for w in lag_drops if w not in order] if not spec.pooled else []
    for label in first:  # the first wave of a per-wave lagged model: a row saying why
        count = sum(lag_drops[label].values())
        samples.append(
            Sample(
                spec=spec, wave=label, data=frame.iloc[0:0], terms=terms, variables=used,
                n_dropped=count, dropped_reasons=_reasons_text(lag_drops[label]),
                error="first wave (no previous wave): the lagged predictors are not observed",
                notes=list(notes),
            )
        )  # fmt: skip
    for label, part in groups:
        sample = Sample(
            spec=spec, wave=label, data=part, terms=terms, variables=used, notes=list(notes)
        )
        lagged_reasons = {k: v for k, v in group_drops.get(label, {}).items() if v}
        missing = [c for c in [outcome, *used] if c not in part.columns]
        if missing:
            sample.error = f"columns not in the features: {missing}"
            sample.n_dropped = len(part) + sum(lagged_reasons.values())
            sample.dropped_reasons = _reasons_text(
                {**lagged_reasons, "columns not in the features": len(part)}
            )
            samples.append(sample)
            continue
        data = part[
            ["wave", "case_id", *[c for c in [outcome, *used] if c not in ("wave", "case_id")]]
        ].copy()
        for col in data.columns:
            if col not in ("wave", "case_id"):
                data[col] = _plain(data[col])
        reasons: dict[str, int] = dict(lagged_reasons)
        bad_y = data[outcome].isna().to_numpy()
        if bad_y.any():
            reasons["missing outcome"] = int(bad_y.sum())
        drop = bad_y.copy()
        for col in used:
            if col in ("wave", "case_id"):
                continue
            miss = data[col].isna().to_numpy() & ~bad_y
            if miss.any():
                reasons[f"missing predictor {col}"] = int(miss.sum())
            drop |= miss
        sample.data = data.loc[~drop].reset_index(drop=True)
        if (
            spec.pooled
            and (spec.wave_effects if wave_effects is None else wave_effects)
            and "wave" not in spec.variables
            and sample.data["wave"].nunique() > 1
        ):
            sample.terms = (*sample.terms, "wave")
        sample.n_dropped = int(drop.sum()) + sum(lagged_reasons.values())
        sample.dropped_reasons = _reasons_text(reasons)
        if sample.data.empty:
            sample.error = "no rows left to fit" + (
                f" ({sample.dropped_reasons})"
                if sample.dropped_reasons
                else " (no rows in the features)"
            )
        samples.append(sample)
    return samples


def _reasons_text(reasons: Mapping[str, int]) -> str:
    """``"reason: count; reason: count"`` (reasons with a count of 0 left out)."""
    return "; ".join(f"{k}: {v}" for k, v in reasons.items() if v)


#: Reasons a lagged model leaves a row out before any value is looked at.
FIRST_WAVE = "first wave (no previous wave)"
NOT_IN_PREVIOUS = "case not observed in the previous wave"


def _lag_drops(frame: pd.DataFrame, order: Sequence[str]) -> dict[str, dict[str, int]]:
    """Rows of each wave a lagged model cannot use: ``{wave: {reason: count}}``.

    Every row of the first wave (:data:`FIRST_WAVE`), and every row of wave
    :math:`w_k` whose case has no row in :math:`w_{k-1}` (:data:`NOT_IN_PREVIOUS`;
    :func:`~netinnov.models.features.lagged_features` joins on the case).
    """
    out: dict[str, dict[str, int]] = {}
    if not order:
        return out
    waves = frame["wave"].to_numpy()
    out[order[0]] = {FIRST_WAVE: int((waves == order[0]).sum())}
    for before, after in zip(order[:-1], order[1:], strict=True):
        previous = frame.loc[waves == before, "case_id"].unique()
        cur = frame.loc[waves == after, "case_id"]
        out[after] = {NOT_IN_PREVIOUS: int((~cur.isin(previous)).sum())}
    return out


# ----------------------------------------------------------------- diagnostics
def _aliased(X: pd.DataFrame) -> list[str]:
    """Linear dependencies among the columns of a design, described in words.

    A pivoted QR finds the rank; every column left out is regressed on the kept
    ones to name the columns it depends on (e.g. a constant column depends on
    the Intercept). Empty when the design has full column rank.
    """
    values = X.to_numpy(dtype=float)
    if values.shape[1] == 0:
        return []
    _, r, piv = scipy.linalg.qr(values, mode="economic", pivoting=True)
    d = np.abs(np.diag(r))
    rank = int((d > 1e-9 * max(d.max(), 1e-300)).sum()) if d.size else 0
    kept = sorted(piv[:rank])
    out = []
    for col in sorted(piv[rank:]):
        if not kept or not np.any(values[:, col]):
            out.append(f"{X.columns[col]} is constant (all zero)")
            continue
        coef = np.linalg.lstsq(values[:, kept], values[:, col], rcond=None)[0]
        scale = np.abs(values[:, col]).max() / np.maximum(
            np.abs(values[:, kept]).max(axis=0), 1e-300
        )
        used = [
            X.columns[k] for k, c, sc in zip(kept, coef, scale, strict=True) if abs(c) > 1e-8 * sc
        ]
        out.append(f"{[*used, X.columns[col]]} are linearly dependent")
    return out


def _separation(spec: ModelSpec, design: pd.DataFrame, y: np.ndarray) -> str | None:
    """The reason a likelihood has no maximum (separation), or None.

    Logit: :func:`~netinnov.models.separation.separation_direction` (Konis
    2007); Poisson and negative binomial:
    :func:`~netinnov.models.separation.count_separation_direction` (Santos
    Silva & Tenreyro 2010); ordered logit:
    :func:`~netinnov.models.separation.ordinal_separation_direction` on the
    design without its intercept. OLS always has a solution.
    """
    X = design.to_numpy(dtype=float)
    columns = list(design.columns)
    if spec.family == "logit":
        direction = separation_direction(X, y)
        kind = "perfect separation (complete or quasi-complete)"
    elif spec.family in ("poisson", "negative_binomial"):
        direction = count_separation_direction(X, y)
        kind = "separation of the zero counts (some fitted means run to 0)"
    elif spec.family == "ordered_logit":
        keep = [k for k, c in enumerate(columns) if c != "Intercept"]
        columns = [columns[k] for k in keep]
        direction = ordinal_separation_direction(X[:, keep], np.asarray(y, dtype=np.int64))
        kind = "separation of the ordered categories (complete or quasi-complete)"
    else:
        return None
    if direction is None:
        return None
    involved = [c for c, b in zip(columns, direction, strict=True) if abs(b) > 1e-8]
    return f"{kind}: the maximum-likelihood estimates do not exist; separating terms: {involved}"


def _epv_warning(spec: ModelSpec, y: np.ndarray, k: int) -> str | None:
    if k <= 0:
        return None
    n = len(y)
    if spec.family == "logit":
        events = float(min(y.sum(), n - y.sum()))
        epv = events / k
        if epv < _EPV_MIN:
            return (
                f"events per predictor {epv:.1f} < {_EPV_MIN:g} (min(events, non-events) = {events:g}, "
                f"k = {k}): estimates may be biased and intervals too narrow"
            )
    elif spec.family == "ordered_logit":
        counts = pd.Series(y).value_counts().to_numpy(dtype=float)
        eff = n - (counts**3).sum() / n**2
        if eff / k < _EPV_MIN:
            return f"effective sample size per predictor {eff / k:.1f} < {_EPV_MIN:g} (n_eff = {eff:.1f}, k = {k})"
    elif n / k < _EPV_MIN:
        return f"observations per predictor {n / k:.1f} < {_EPV_MIN:g} (n = {n}, k = {k})"
    return None


# -------------------------------------------------------------------- fitting
def _standardize(data: pd.DataFrame, variables: list[str]) -> tuple[pd.DataFrame, list[str]]:
    out = data.copy()
    notes = []
    for col in variables:
        if col in _KEEP or not pd.api.types.is_numeric_dtype(out[col]):
            continue
        values = out[col].to_numpy(dtype=float)
        if np.isin(values, (0.0, 1.0)).all():
            continue
        sd = values.std(ddof=1) if len(values) > 1 else 0.0
        if not sd > 0:
            notes.append(f"{col} is constant and was not standardized")
            continue
        out[col] = (values - values.mean()) / sd
    return out, notes


def _check_outcome(spec: ModelSpec, y: pd.Series) -> tuple[pd.Series, str | None]:
    family = spec.family
    if family == "ordered_logit":
        if isinstance(y.dtype, pd.CategoricalDtype):
            if not y.dtype.ordered:
                return y, "ordered_logit needs a numeric or ordered categorical outcome"
            y = y.cat.remove_unused_categories()
            levels = len(y.cat.categories)
        else:
            if not pd.api.types.is_numeric_dtype(y):
                return y, "ordered_logit needs a numeric or ordered categorical outcome"
            values = y.to_numpy(dtype=float)
            cats = np.unique(values)
            if np.all(cats == np.round(cats)):
                cats_labels = cats.astype(np.int64)
                values = values.astype(np.int64)
            else:
                cats_labels = cats
            y = pd.Series(
                pd.Categorical(values, categories=cats_labels, ordered=True),
                index=y.index,
                name=y.name,
            )
            levels = len(cats)
        if levels < 2:
            return y, "the outcome has a single category"
        return y, None
    if not pd.api.types.is_numeric_dtype(y):
        return y, f"{family} needs a numeric outcome, got {y.dtype}"
    values = y.to_numpy(dtype=float)
    if family == "logit":
        if not np.isin(values, (0.0, 1.0)).all():
            return y, "logit needs a 0/1 outcome"
        if values.min() == values.max():
            return y, f"all one class (every outcome is {values[0]:g}); the model cannot be fitted"
    elif family in ("poisson", "negative_binomial"):
        if (values < 0).any() or not np.all(values == np.round(values)):
            return y, f"{family} needs a count outcome (non-negative integers)"
        if values.max() == 0:
            return y, "every outcome is 0; the model cannot be fitted"
    elif family == "ols" and np.ptp(values) == 0:
        return y, "the outcome is constant; the model cannot be fitted"
    return y, None


def _cov(sample: Sample) -> tuple[str, dict[str, Any], int]:
    cases = sample.data["case_id"]
    n_clusters = int(cases.nunique())
    if sample.spec.pooled and n_clusters < len(cases):
        return "cluster", {"groups": pd.factorize(cases)[0]}, n_clusters
    return "HC1", {}, n_clusters


def _fit_model(
    spec: ModelSpec, formula: str, data: pd.DataFrame, cov_type: str, cov_kwds: dict[str, Any]
):
    import statsmodels.formula.api as smf
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    kw = {"cov_type": cov_type, "cov_kwds": cov_kwds}
    if spec.family == "ols":
        return smf.ols(formula, data, missing="raise").fit(use_t=True, **kw)
    if spec.family == "logit":
        return smf.logit(formula, data, missing="raise").fit(disp=0, maxiter=200, **kw)
    if spec.family == "poisson":
        return smf.poisson(formula, data, missing="raise").fit(disp=0, maxiter=200, **kw)
    if spec.family == "negative_binomial":
        # Start from the Poisson fit (alpha = 0.1): the default start fails when
        # the counts are not overdispersed.
        start = (
            smf.poisson(formula, data, missing="raise").fit(disp=0, maxiter=200).params.to_numpy()
        )
        model = smf.negativebinomial(formula, data, loglike_method="nb2", missing="raise")
        return model.fit(start_params=np.r_[start, 0.1], method="bfgs", disp=0, maxiter=400, **kw)
    model = OrderedModel.from_formula(formula, data, distr="logit", missing="raise")
    return model.fit(method="bfgs", disp=0, maxiter=5000, **kw)


def _pseudo_r2(spec: ModelSpec, res: Any, data: pd.DataFrame) -> float:
    """McFadden's :math:`1 - \\ell/\\ell_0` (NaN for OLS, which reports R²)."""
    if spec.family == "ols":
        return np.nan
    if spec.family != "negative_binomial":
        return float(res.prsquared)
    # statsmodels fits the null NB model by Nelder-Mead (slow); start it well instead.
    import statsmodels.formula.api as smf

    y = data[spec.outcome].to_numpy(dtype=float)
    null = smf.negativebinomial(f"{spec.outcome} ~ 1", data, loglike_method="nb2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit0 = null.fit(start_params=[np.log(y.mean()), 0.1], method="bfgs", disp=0, maxiter=400)
    return float(1.0 - res.llf / fit0.llf)


def _cr2_parts(spec: ModelSpec, res: Any, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cluster information and scores of a fit (working weights; small_cluster.py)."""
    model = res.model
    X = np.asarray(model.exog, dtype=float)
    y = np.asarray(model.endog, dtype=float)
    params = np.asarray(res.params, dtype=float)
    if spec.family == "ols":
        return glm_parts(X, np.ones(len(y)), y - X @ params, groups)
    if spec.family == "logit":
        mu = 1.0 / (1.0 + np.exp(-(X @ params)))
        return glm_parts(X, mu * (1.0 - mu), y - mu, groups)
    if spec.family == "poisson":
        mu = np.exp(X @ params)
        return glm_parts(X, mu, y - mu, groups)
    if spec.family == "negative_binomial":
        beta, alpha = params[:-1], params[-1]
        mu = np.exp(X @ beta)
        return glm_parts(X, mu / (1.0 + alpha * mu), (y - mu) / (1.0 + alpha * mu), groups)
    k_thr = model.k_levels - 1
    beta, theta = params[:-k_thr], params[-k_thr:]
    cuts = np.cumsum(np.concatenate([[theta[0]], np.exp(theta[1:])]))
    return ordered_logit_parts(X, y.astype(np.int64), beta, cuts, groups)


def _coefficient_table(
    spec: ModelSpec,
    res: Any,
    *,
    groups: np.ndarray | None = None,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
) -> tuple[pd.DataFrame, str, list[str]]:
    """Coefficient rows, the fit's inference label and notes.

    ``groups`` (cluster codes, one per row) is given when the errors are
    clustered: then CR1 is kept in ``std_error_cr1`` / ``p_value_cr1`` (t with
    :math:`G-1` df) and, with at most ``small_cluster_max`` clusters, CR2 with
    Satterthwaite df gives ``std_error``, ``ci_*``, ``p_value`` (the NB
    dispersion ``alpha`` keeps CR1).
    """
    params = res.params.astype(float)
    cov = np.asarray(res.cov_params(), dtype=float)
    names = list(params.index)
    est = params.to_numpy(dtype=float).copy()
    se = np.asarray(res.bse, dtype=float).copy()
    term_type = ["wave_effect" if str(n).startswith("wave[") else "coefficient" for n in names]
    if spec.family == "ordered_logit":
        k_thr = res.model.k_levels - 1
        first = len(names) - k_thr
        theta = est[first:]
        cut = np.cumsum(np.concatenate([[theta[0]], np.exp(theta[1:])]))
        jac = np.zeros((k_thr, k_thr))
        for a in range(k_thr):
            jac[a, 0] = 1.0
            jac[a, 1 : a + 1] = np.exp(theta[1 : a + 1])
        cov_thr = jac @ cov[first:, first:] @ jac.T
        est[first:] = cut
        se[first:] = np.sqrt(np.clip(np.diag(cov_thr), 0, None))
        term_type[first:] = ["threshold"] * k_thr
    if spec.family == "negative_binomial":
        term_type[names.index("alpha")] = "dispersion"
    k = len(names)
    notes: list[str] = []
    nan = np.full(k, np.nan)
    se_cr1, p_cr1 = nan.copy(), nan.copy()
    if groups is None:
        if spec.family == "ols":
            df = np.full(k, float(res.df_resid))
            label = "HC1-t(n-k)"
        else:
            df = nan.copy()
            label = "HC1-normal"
        std = se
        labels = np.full(k, label, dtype=object)
    else:
        n_clusters = int(np.unique(groups).size)
        df = np.full(k, float(n_clusters - 1))
        _, p_cr1, _, _ = t_inference(est, se, df)
        se_cr1 = se.copy()
        std = se.copy()
        labels = np.full(k, "CR1-t(G-1)", dtype=object)
        label = "CR1-t(G-1)"
        if n_clusters <= small_cluster_max:
            try:
                with np.errstate(all="ignore"):
                    info, scores = _cr2_parts(spec, res, groups)
                    result = cr2(info, scores)
                ok = np.isfinite(result.std_error) & np.isfinite(result.df) & (result.df > 0)
                rows = np.flatnonzero(ok)
                std[rows] = result.std_error[rows]
                df[rows] = result.df[rows]
                labels[rows] = "CR2-Satterthwaite"
                label = "CR2-Satterthwaite" if ok.any() else label
                if not ok.all():
                    notes.append(
                        "CR2 not defined for "
                        + ", ".join(str(names[i]) for i in np.flatnonzero(~ok))
                        + ": CR1 with t(G-1) used"
                    )
            except (np.linalg.LinAlgError, ValueError) as exc:
                notes.append(f"CR2 failed ({exc}); CR1 with t(G-1) used")
        else:
            notes.append(
                f"{n_clusters} clusters > small_cluster_max = {small_cluster_max}: CR1 with t(G-1)"
            )
    stat, pval, low, high = t_inference(est, std, df)
    table = pd.DataFrame(
        {
            "term": names,
            "estimate": est,
            "std_error": std,
            "ci_low": low,
            "ci_high": high,
            "p_value": pval,
            "statistic": stat,
            "term_type": term_type,
            "std_error_cr1": se_cr1,
            "p_value_cr1": p_cr1,
            "df": df,
            "inference": labels,
        }
    )
    return table, label, notes


def _fit_glm_sample(
    sample: Sample,
    *,
    standardized: bool,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
    ctx: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The GLM of one sample; ``ctx`` receives the design the panel estimators reuse."""
    import patsy

    spec = sample.spec
    name = spec.name + ("_std" if standardized else "")
    fit: dict[str, Any] = {
        "model": name,
        "outcome": spec.outcome,
        "family": spec.family,
        "wave": sample.wave,
        "lagged": spec.lagged,
        "standardized": standardized,
        "n": len(sample.data) if sample.error is None else 0,
        "n_dropped": sample.n_dropped,
        "dropped_reasons": sample.dropped_reasons,
        "converged": False,
        "warning": "",
        "error": "",
        "estimator": "glm",
    }
    empty = pd.DataFrame(columns=COEFFICIENT_COLUMNS)
    messages: list[str] = list(sample.notes)
    if sample.error:
        fit["error"] = sample.error
        return empty, fit
    data = sample.data
    y, err = _check_outcome(spec, data[spec.outcome])
    if err:
        fit["error"] = err
        return empty, fit
    data = data.assign(**{spec.outcome: y})
    if standardized:
        data, notes = _standardize(data, sample.variables)
        messages += notes
    if "wave" in data.columns:  # wave effects against the first wave, in natural order
        data = data.assign(
            wave=pd.Categorical(data["wave"], categories=wave_order(data["wave"].unique()))
        )
    rhs = " + ".join(sample.terms)
    try:
        design = patsy.dmatrix(rhs, data, return_type="dataframe", NA_action="raise")
    except Exception as exc:  # noqa: BLE001 - a bad formula is reported, not raised
        fit["error"] = f"the terms cannot be evaluated: {exc}"
        return empty, fit
    k = design.shape[1] - int("Intercept" in design.columns)
    if len(data) <= design.shape[1]:
        fit["error"] = f"too few observations (n = {len(data)}) for {design.shape[1]} parameters"
        return empty, fit
    aliased = _aliased(design)
    if aliased:
        fit["error"] = "singular design (collinear terms): " + "; ".join(aliased)
        return empty, fit
    yv = (
        data[spec.outcome].cat.codes.to_numpy()
        if spec.family == "ordered_logit"
        else data[spec.outcome].to_numpy(dtype=float)
    )
    separation = _separation(spec, design, yv)
    if separation:
        fit["error"] = separation
        fit["warning"] = "; ".join(dict.fromkeys(messages))
        return empty, fit
    epv = _epv_warning(spec, yv, k)
    if epv:
        messages.append(epv)
    cov_type, cov_kwds, n_clusters = _cov(sample)
    if cov_type == "cluster" and n_clusters < _MIN_CLUSTERS and n_clusters > small_cluster_max:
        messages.append(
            f"only {n_clusters} clusters (cases): cluster-robust standard errors may be too small"
        )
    fit["cov_type"] = cov_type
    fit["n_clusters"] = n_clusters
    if ctx is not None:
        ctx.update(
            design=design,
            y=yv,
            groups=pd.factorize(data["case_id"])[0],
            levels=list(data[spec.outcome].cat.categories)
            if spec.family == "ordered_logit"
            else None,
            messages=list(dict.fromkeys(messages)),
        )
    formula = f"{spec.outcome} ~ {rhs}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(all="ignore"):
                res = _fit_model(spec, formula, data, cov_type, cov_kwds)
        except Exception as exc:  # noqa: BLE001 - a failed fit is reported, not raised
            fit["error"] = f"{type(exc).__name__}: {exc}"
            fit["warning"] = "; ".join(dict.fromkeys(messages))
            return empty, fit
    for w in caught:
        if issubclass(w.category, DeprecationWarning | FutureWarning):
            continue
        messages.append(f"{w.category.__name__}: {str(w.message).splitlines()[0]}")
    converged = True if spec.family == "ols" else bool(res.mle_retvals.get("converged", False))
    if not converged:
        messages.append("the optimiser did not converge")
    groups = cov_kwds.get("groups") if cov_type == "cluster" else None
    coefs, inference, notes = _coefficient_table(
        spec, res, groups=groups, small_cluster_max=small_cluster_max
    )
    messages += notes
    if spec.family == "negative_binomial" and float(res.params["alpha"]) < 1e-3:
        messages.append(
            "alpha is near 0 (no overdispersion): the estimate lies at the boundary, its standard error "
            "is unreliable; the Poisson model is adequate"
        )
    if not np.isfinite(coefs["std_error"]).all():
        messages.append("some standard errors are not finite")
    fit.update(
        n=int(res.nobs),
        loglik=float(res.llf),
        aic=float(res.aic),
        bic=float(res.bic),
        pseudo_r2=_pseudo_r2(spec, res, data),
        r2=float(res.rsquared) if spec.family == "ols" else np.nan,
        adj_r2=float(res.rsquared_adj) if spec.family == "ols" else np.nan,
        converged=converged,
        warning="; ".join(dict.fromkeys(messages)),
        inference=inference,
    )
    coefs = coefs.assign(
        model=name,
        outcome=spec.outcome,
        n=int(res.nobs),
        family=spec.family,
        wave=sample.wave,
        lagged=spec.lagged,
        standardized=standardized,
        cov_type=cov_type,
        n_clusters=n_clusters,
        n_dropped=sample.n_dropped,
        estimator="glm",
    )
    coefs["q_value"] = coefficient_qvalues(coefs)  # one fit = one family
    return coefs[COEFFICIENT_COLUMNS], fit


def _panel_fit(
    sample: Sample,
    estimator: str,
    glm_fit: Mapping[str, Any],
    ctx: Mapping[str, Any],
    small_cluster_max: int,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The ``gee`` or ``mixed`` fit of a pooled sample (its rows and its fit row)."""
    spec = sample.spec
    fit: dict[str, Any] = {
        key: glm_fit.get(key)
        for key in ("model", "outcome", "family", "wave", "lagged", "standardized", "n",
                    "n_dropped", "dropped_reasons", "n_clusters")
    }  # fmt: skip
    fit.update(estimator=estimator, converged=False, warning="", error="")
    empty = pd.DataFrame(columns=COEFFICIENT_COLUMNS)
    if "design" not in ctx:
        reason = glm_fit.get("error") or "the GLM could not be set up"
        fit["error"] = f"not fitted: {reason}"
        fit["warning"] = glm_fit.get("warning", "")
        return empty, fit
    result = fit_panel(
        estimator, spec.family, ctx["design"], ctx["y"], ctx["groups"],
        small_cluster_max=small_cluster_max, levels=ctx.get("levels"),
    )  # fmt: skip
    messages = list(ctx.get("messages", [])) + result.notes
    fit["warning"] = "; ".join(dict.fromkeys(m for m in messages if m))
    if result.error or result.table is None:
        fit["error"] = result.error or f"{estimator}: no estimates"
        return empty, fit
    fit.update(result.fit)
    coefs = result.table.assign(
        model=fit["model"], outcome=spec.outcome, n=fit["n"], family=spec.family,
        wave=sample.wave, lagged=spec.lagged, standardized=fit["standardized"],
        cov_type=fit.get("cov_type"), n_clusters=fit["n_clusters"],
        n_dropped=sample.n_dropped, estimator=estimator,
    )  # fmt: skip
    coefs["q_value"] = coefficient_qvalues(coefs)
    if not np.isfinite(coefs.loc[coefs["term_type"] != "working_correlation", "std_error"]).all():
        fit["warning"] = "; ".join(
            x for x in (fit["warning"], "some standard errors are not finite") if x
        )
    return coefs[COEFFICIENT_COLUMNS], fit


def _fit_sample(
    sample: Sample, *, standardized: bool, small_cluster_max: int = SMALL_CLUSTER_MAX
) -> tuple[list[pd.DataFrame], list[dict[str, Any]]]:
    """Every configured regression estimator on one sample: coefficient tables and fit rows.

    The GLM first; ``gee`` and ``mixed`` only for pooled models in which some
    case is observed in more than one wave (a per-wave fit, or a single wave,
    observes each case once: there is no within-case correlation to model).
    """
    ctx: dict[str, Any] = {}
    try:
        table, fit = _fit_glm_sample(
            sample, standardized=standardized, small_cluster_max=small_cluster_max, ctx=ctx
        )
    except Exception as exc:  # noqa: BLE001 - one model never fails the job
        table, fit = _failed(sample, standardized, exc)
    estimators = sample.spec.regression_estimators
    tables, fits = [], []
    if "glm" in estimators:
        tables.append(table)
        fits.append(fit)
    cases = sample.data["case_id"] if "case_id" in sample.data.columns else pd.Series(dtype=str)
    if not sample.spec.pooled or cases.is_unique:  # no case observed twice: nothing to model
        return tables, fits
    for estimator in estimators:
        if estimator not in PANEL_ESTIMATORS:
            continue
        try:
            t, f = _panel_fit(sample, estimator, fit, ctx, small_cluster_max)
        except Exception as exc:  # noqa: BLE001
            t, f = _failed(sample, standardized, exc)
            f["estimator"] = estimator
        tables.append(t)
        fits.append(f)
    return tables, fits


def _failed(
    sample: Sample, standardized: bool, exc: Exception
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The fit row of a sample whose fit raised (a last safety net: a row, not a crash)."""
    spec = sample.spec
    fit = {
        "model": spec.name + ("_std" if standardized else ""), "outcome": spec.outcome,
        "family": spec.family, "wave": sample.wave, "lagged": spec.lagged,
        "standardized": standardized, "n": 0, "n_dropped": sample.n_dropped,
        "dropped_reasons": sample.dropped_reasons, "converged": False, "warning": "",
        "error": f"the fit failed: {type(exc).__name__}: {exc}", "estimator": "glm",
    }  # fmt: skip
    return pd.DataFrame(columns=COEFFICIENT_COLUMNS), fit


def fit_glm(
    features: pd.DataFrame,
    spec: ModelSpec | Mapping[str, Any],
    *,
    waves: Sequence[str] | None = None,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit one configured model; return ``(coefficients, fit)`` tables.

    Parameters
    ----------
    features
        Output of :func:`~netinnov.models.features.case_features`.
    spec
        A :class:`~netinnov.models.spec.ModelSpec` or its config mapping.
    waves
        The wave order (needed for lagged models; default: natural order).
    small_cluster_max
        Config key ``small_cluster_max``: pooled fits clustered by case with
        at most this many cases report CR2 errors with Satterthwaite df
        (:mod:`netinnov.models.small_cluster`); above it CR1 with t(G−1).

    Returns
    -------
    tuple of pandas.DataFrame
        Coefficients (:data:`COEFFICIENT_COLUMNS`) and fit statistics
        (:data:`FIT_COLUMNS`), one fit row per sample (and per standardized
        refit). Failures are rows with ``error`` set, never exceptions.
    """
    if not isinstance(spec, ModelSpec):
        spec = ModelSpec.from_config(spec)
    coefs, fits = [], []
    for sample in prepare_samples(features, spec, waves=waves):
        for standardized in (False, True) if spec.standardize else (False,):
            with single_blas_thread():
                tables, rows = _fit_sample(
                    sample, standardized=standardized, small_cluster_max=small_cluster_max
                )
            for table, fit in zip(tables, rows, strict=True):
                if fit.get("error"):
                    log.warning(
                        "model %s (%s), wave %s: not estimated: %s",
                        fit["model"], fit["estimator"], fit["wave"], fit["error"],
                    )  # fmt: skip
                if len(table):
                    coefs.append(table)
                fits.append(fit)
    coef_frame = (
        pd.concat(coefs, ignore_index=True) if coefs else pd.DataFrame(columns=COEFFICIENT_COLUMNS)
    )
    fit_frame = pd.DataFrame(fits).reindex(columns=FIT_COLUMNS)
    return coef_frame, fit_frame


def fit_glms(
    features: pd.DataFrame,
    specs: Sequence[ModelSpec],
    *,
    waves: Sequence[str] | None = None,
    small_cluster_max: int = SMALL_CLUSTER_MAX,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`fit_glm` over several models, tables stacked."""
    coefs, fits = [], []
    for spec in specs:
        c, f = fit_glm(features, spec, waves=waves, small_cluster_max=small_cluster_max)
        coefs.append(c)
        fits.append(f)
    coef_frame = (
        pd.concat([c for c in coefs if len(c)], ignore_index=True)
        if any(len(c) for c in coefs)
        else pd.DataFrame(columns=COEFFICIENT_COLUMNS)
    )
    fit_frame = pd.concat(fits, ignore_index=True) if fits else pd.DataFrame(columns=FIT_COLUMNS)
    return coef_frame, fit_frame
