"""``netlm`` and ``netlogit``: R sna's front ends over the OLS and logit engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from netinnov.models._threads import single_blas_thread
from netinnov.models.qap.design import DyadicDesign, draw_permutations, matrix_design
from netinnov.models.qap.logit import _Layout, _layout, _logit_fit, _logit_qapspp_z, _logit_qapy_z
from netinnov.models.qap.ols import _ols, _ols_qapspp_t, _ols_qapy_t
from netinnov.models.qap.result import QAPResult, _estimable
from netinnov.models.separation import separation_direction

_TIE_RTOL = 1e-10  # statistics within this relative distance count as reached


# -------------------------------------------------------------- front ends
def _pvalues(observed: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, ...]:
    tol = _TIE_RTOL * np.maximum(np.abs(observed), 1.0)
    valid = np.isfinite(dist)
    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore"):
        ge_abs = (valid & (np.abs(dist) >= np.abs(observed) - tol)).sum(axis=0)
        ge = (valid & (dist >= observed - tol)).sum(axis=0)
        le = (valid & (dist <= observed + tol)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ge_abs / count, ge / count, le / count, count, (ge_abs + 1.0) / (count + 1.0)


def _permutation_statistics(
    design: DyadicDesign,
    X: np.ndarray,
    coef: np.ndarray,
    estimator: str,
    null: str,
    tested: np.ndarray,
    layout: _Layout | None,
    perms: np.ndarray,
    dist: np.ndarray,
) -> None:
    """Fill ``dist`` (permutations × columns) with the permutation test statistics."""
    if null == "qapy":
        if estimator == "netlm":
            full = _ols_qapy_t(design, X, perms)
        else:
            full = _logit_qapy_z(design, X, layout, coef, perms)  # type: ignore[arg-type]
        dist[:, tested] = full[:, tested]
        return
    for k in np.flatnonzero(tested):
        if estimator == "netlm":
            dist[:, k] = _ols_qapspp_t(design, X, k, perms)
        else:
            dist[:, k] = _logit_qapspp_z(design, X, layout, k, perms)  # type: ignore[arg-type]


def _as_design(
    y: Any, x: Any, intercept: bool, directed: bool, names: Sequence[str] | None
) -> DyadicDesign:
    if isinstance(y, DyadicDesign):
        return y
    return matrix_design(y, x, intercept=intercept, directed=directed, names=names)


def _qap(
    design: DyadicDesign,
    estimator: str,
    null_hypothesis: str,
    permutations: int | np.ndarray,
    seed: int | np.random.Generator | None,
) -> QAPResult:
    with single_blas_thread():
        return _qap_body(design, estimator, null_hypothesis, permutations, seed)


def _qap_body(
    design: DyadicDesign,
    estimator: str,
    null_hypothesis: str,
    permutations: int | np.ndarray,
    seed: int | np.random.Generator | None,
) -> QAPResult:
    if null_hypothesis not in ("qapspp", "qapy"):
        raise ValueError(f"null_hypothesis must be 'qapspp' or 'qapy', got {null_hypothesis!r}")
    p_all = len(design.names)
    notes: dict[str, str] = {}
    nan = np.full(p_all, np.nan)
    result = QAPResult(
        names=list(design.names), estimate=nan.copy(), std_error=nan.copy(), statistic=nan.copy(),
        p_value=nan.copy(), p_greater=nan.copy(), p_less=nan.copy(), n_permutations=np.zeros(p_all, dtype=int),
        n_dyads=design.n_dyads, n_dropped=design.n_dropped, null_hypothesis=null_hypothesis,
        estimator=estimator, notes=notes, p_value_plus1=nan.copy(),
        dropped_reasons="; ".join(f"{k}: {v}" for k, v in design.dropped_reasons.items() if v),
    )  # fmt: skip
    y = design.y
    if design.n_dyads == 0:
        notes.update(dict.fromkeys(design.names, "no dyads"))
        return result
    if np.ptp(y) == 0:
        notes.update(dict.fromkeys(design.names, "the relation does not vary over the dyads"))
        return result
    if estimator == "netlogit" and not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("netlogit needs a binary (0/1) relation")
    keep = _estimable(design.X)
    for name in np.asarray(design.names)[~keep]:
        notes[name] = "not estimable: constant or collinear with other terms"
    X = design.X[:, keep]
    if X.shape[1] == 0 or X.shape[0] <= X.shape[1]:
        notes.update(dict.fromkeys(design.names, "too few dyads for the terms"))
        return result
    tested = design.tested[keep]
    layout = None
    if estimator == "netlogit":
        direction = separation_direction(X, y)
        if direction is not None:
            kept_names = np.asarray(design.names)[keep]
            involved = [str(c) for c, b in zip(kept_names, direction, strict=True) if abs(b) > 1e-8]
            reason = (
                "perfect separation (complete or quasi-complete): the maximum-likelihood estimates "
                f"do not exist; separating terms: {involved}"
            )
            for name in kept_names:
                notes[name] = reason
            return result
    if estimator == "netlm":
        coef, se, _ = _ols(X, y)
        stat = coef / se
    else:
        layout = _layout(X, np.flatnonzero(~tested))
        coef, stat, se, conv = _logit_fit(X, y, layout)
        kept_names = np.asarray(design.names)[keep]
        if not np.isfinite(coef).all():
            for name in kept_names:
                notes[name] = "the logistic fit failed (non-finite estimates or Hessian)"
            return result
        if not conv:
            for name in kept_names:
                notes.setdefault(name, "the logistic fit did not converge")
        for name in kept_names[np.abs(coef) > 15]:
            notes.setdefault(
                name, "estimate beyond ±15 on the logit scale: (quasi-)separation, unbounded"
            )
    idx = np.flatnonzero(keep)
    result.estimate[idx], result.std_error[idx], result.statistic[idx] = coef, se, stat
    for name in np.asarray(design.names)[keep][~tested]:
        notes.setdefault(name, "case fixed effect (not tested)")
    if isinstance(permutations, np.ndarray):
        perms = np.asarray(permutations, dtype=np.int64)
        if perms.ndim != 2 or perms.shape[1] != design.n_nodes:
            raise ValueError(
                f"explicit permutations must be (count, {design.n_nodes}), got {perms.shape}"
            )
    else:
        if int(permutations) == 0:
            result.null_hypothesis = "none"
            return result
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        perms = draw_permutations(design, int(permutations), rng)
    null = null_hypothesis if X.shape[1] > 1 else "qapy"
    result.null_hypothesis = null
    dist = np.full((len(perms), X.shape[1]), np.nan)
    _permutation_statistics(design, X, coef, estimator, null, tested, layout, perms, dist)
    p, pg, pl, count, plus1 = _pvalues(stat, dist)
    for pos, col in enumerate(idx):
        if tested[pos]:
            result.p_value[col], result.p_greater[col], result.p_less[col] = (
                p[pos],
                pg[pos],
                pl[pos],
            )
            result.p_value_plus1[col] = plus1[pos]
            result.n_permutations[col] = count[pos]
    full_dist = np.full((len(perms), p_all), np.nan)
    full_dist[:, idx] = dist
    result.distribution = full_dist
    return result


def netlm(
    y: Any,
    x: Any | None = None,
    *,
    intercept: bool = True,
    directed: bool = True,
    names: Sequence[str] | None = None,
    null_hypothesis: str = "qapspp",
    permutations: int | np.ndarray = 2000,
    seed: int | np.random.Generator | None = None,
) -> QAPResult:
    """OLS network regression with QAP p-values (as R ``sna::netlm``).

    .. math:: \\hat\\beta = (X'X)^{-1}X'y, \\quad
              t_k = \\hat\\beta_k / \\sqrt{\\hat\\sigma^2 [(X'X)^{-1}]_{kk}},
              \\quad \\hat\\sigma^2 = \\frac{\\lVert y - X\\hat\\beta\\rVert^2}{N - p}

    over the N dyads; p-values from the permutation distribution of
    :math:`t_k` under ``qapspp`` or ``qapy`` (see the module docstring).

    Parameters
    ----------
    y
        The n×n dependent matrix, or a :class:`DyadicDesign` (then ``x``,
        ``intercept``, ``directed`` and ``names`` are ignored).
    x
        The covariate matrices (one n×n matrix, a list, or a k×n×n array).
    intercept, directed, names
        See :func:`matrix_design`.
    null_hypothesis
        ``"qapspp"`` (default, Dekker et al. 2007) or ``"qapy"``.
    permutations
        Number of random permutations (0: estimates only), or an explicit
        (count × n) array of node permutations (``perm[b, g]`` is the node
        whose row/column moves to position g).
    seed
        Seed or Generator for the permutations.

    Returns
    -------
    QAPResult
        Aliased (constant or collinear) columns get NaN and a note, as sna's
        QR reports them NA.
    """
    design = _as_design(y, x, intercept, directed, names)
    return _qap(design, "netlm", null_hypothesis, permutations, seed)


def netlogit(
    y: Any,
    x: Any | None = None,
    *,
    intercept: bool = True,
    directed: bool = True,
    names: Sequence[str] | None = None,
    null_hypothesis: str = "qapspp",
    permutations: int | np.ndarray = 2000,
    seed: int | np.random.Generator | None = None,
) -> QAPResult:
    """Logistic network regression with QAP p-values (as R ``sna::netlogit``).

    Maximum likelihood of :math:`P(y_{ij} = 1) = \\operatorname{logit}^{-1}(x_{ij}'\\beta)`
    over the dyads (Newton–Raphson); test statistic
    :math:`z_k = \\hat\\beta_k / \\sqrt{[(X'WX)^{-1}]_{kk}}`,
    :math:`W = \\operatorname{diag}(\\hat\\mu(1-\\hat\\mu))`. Under ``qapspp`` the
    residual of :math:`X_k` on the other columns is an OLS residual, as in sna.
    Parameters as in :func:`netlm`; ``y`` must be 0/1.
    """
    design = _as_design(y, x, intercept, directed, names)
    return _qap(design, "netlogit", null_hypothesis, permutations, seed)
