"""Does the maximum-likelihood estimate exist? Linear-programming checks for separation.

A likelihood without a maximum (the estimates run to ±∞ and the optimiser
stops somewhere arbitrary, or its Hessian turns singular) is detected before
any fit by looking for a *recession direction*: a non-zero coefficient vector
along which the log-likelihood never decreases and increases for some rows.
Each check solves one linear program (scipy's HiGHS) over a bounded box; a
positive optimum means the MLE does not exist and returns the direction, so
that the separating terms can be named.

- Binary outcomes (logit): complete or quasi-complete separation (Albert &
  Anderson 1984), the linear program of Konis (2007), as R's
  ``detectseparation`` package (Kosmidis & Schumacher) solves it.
- Counts (Poisson, negative binomial NB2): the MLE does not exist when some
  combination :math:`z = X\\beta` is 0 on every positive count and
  :math:`\\le 0` on the zeros, negative on at least one (Santos Silva &
  Tenreyro 2010; Correia, Guimarães & Zylkin 2021).
- Ordered outcomes (cumulative logit): with categories :math:`0…K-1` and
  cut-points :math:`\\gamma_1 \\le … \\le \\gamma_{K-1}`, the MLE does not exist
  when some :math:`(\\beta, \\gamma)` gives
  :math:`\\gamma_{y_i} \\le x_i'\\beta \\le \\gamma_{y_i+1}` for every row
  (:math:`\\gamma_0 = -\\infty, \\gamma_K = \\infty`) with a strict inequality
  for one — the ordinal version of quasi-complete separation (McCullagh 1980;
  Agresti 2010, sec. 3.4.5). For two categories it is the logit condition.

Duplicate rows are merged (weighted) before the program is solved, which
keeps dyadic designs (many identical 0/1 rows) small. Columns are scaled to
a unit maximum; the optimum is compared with ``tol`` times the number of rows.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

__all__ = ["separation_direction", "count_separation_direction", "ordinal_separation_direction"]


def _unique_rows(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(A) == 0:
        return A, np.zeros(0)
    rows, counts = np.unique(A, axis=0, return_counts=True)
    return rows, counts.astype(float)


def _scale(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(X).max(axis=0) if len(X) else np.ones(X.shape[1])
    scale = np.where(scale > 0, scale, 1.0)
    return X / scale, scale


def separation_direction(X: np.ndarray, y: np.ndarray, *, tol: float = 1e-6) -> np.ndarray | None:
    """A direction that separates a binary outcome, or None when the MLE exists.

    Complete or quasi-complete separation (Albert & Anderson 1984) holds when
    some :math:`\\beta \\ne 0` gives :math:`s_i x_i'\\beta \\ge 0` for every row
    (:math:`s_i = 2y_i - 1`) with at least one strict inequality; the logit
    likelihood then has no maximum. Following Konis (2007) the linear program

    .. math:: \\max_{\\beta \\in [-1, 1]^p} \\sum_i s_i x_i'\\beta
              \\quad \\text{s.t.} \\quad s_i x_i'\\beta \\ge 0

    is solved (columns scaled to unit maximum); a positive optimum (above
    ``tol`` × n) returns the direction, rescaled to the original columns.
    Non-finite input returns None (nothing can be said; the caller reports it).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] == 0 or not (np.isfinite(X).all() and np.isfinite(y).all()):
        return None
    s = 2.0 * y - 1.0
    A, scale = _scale(s[:, None] * X)
    rows, counts = _unique_rows(A)
    res = linprog(
        c=-(counts @ rows),
        A_ub=-rows,
        b_ub=np.zeros(len(rows)),
        bounds=[(-1.0, 1.0)] * X.shape[1],
        method="highs",
    )
    if res.status == 0 and -res.fun > tol * len(y):
        return res.x / scale
    return None


def count_separation_direction(
    X: np.ndarray, y: np.ndarray, *, tol: float = 1e-6
) -> np.ndarray | None:
    """A direction showing that a Poisson (or NB2) MLE does not exist, or None.

    Santos Silva & Tenreyro (2010): the log-likelihood
    :math:`\\sum_i y_i x_i'\\beta - e^{x_i'\\beta}` increases without bound
    along :math:`\\beta` when :math:`x_i'\\beta = 0` for every :math:`y_i > 0`
    and :math:`x_i'\\beta \\le 0` for every :math:`y_i = 0`, strictly for one
    (the fitted means of those zeros run to 0). Linear program:

    .. math:: \\max_{\\beta \\in [-1, 1]^p} -\\sum_{i: y_i = 0} x_i'\\beta
              \\quad \\text{s.t.} \\quad x_i'\\beta = 0 \\;(y_i > 0),\\;
              x_i'\\beta \\le 0 \\;(y_i = 0).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] == 0 or not (np.isfinite(X).all() and np.isfinite(y).all()):
        return None
    zero = y == 0
    if not zero.any():
        return None
    Xs, scale = _scale(X)
    z_rows, z_counts = _unique_rows(Xs[zero])
    p_rows, _ = _unique_rows(Xs[~zero])
    res = linprog(
        c=z_counts @ z_rows,
        A_ub=z_rows,
        b_ub=np.zeros(len(z_rows)),
        A_eq=p_rows if len(p_rows) else None,
        b_eq=np.zeros(len(p_rows)) if len(p_rows) else None,
        bounds=[(-1.0, 1.0)] * X.shape[1],
        method="highs",
    )
    if res.status == 0 and -res.fun > tol * len(y):
        return res.x / scale
    return None


def ordinal_separation_direction(
    X: np.ndarray, codes: np.ndarray, *, tol: float = 1e-6
) -> np.ndarray | None:
    """A direction showing that a cumulative-logit MLE does not exist, or None.

    ``X`` without an intercept (the cut-points play its part), ``codes`` the
    categories 0…K−1 (every one observed). Variables :math:`\\beta \\in [-1,1]^p`
    and cut-points :math:`\\gamma_1…\\gamma_{K-1} \\in [-(p+1), p+1]`; the program

    .. math:: \\max \\sum_i (x_i'\\beta - \\gamma_{y_i}) + (\\gamma_{y_i+1} - x_i'\\beta)
              \\quad \\text{s.t. every term} \\ge 0

    (terms with an infinite cut-point left out) has a positive optimum exactly
    when some direction keeps every row in its category's interval with room to
    spare for one: the likelihood then rises along it without bound. Returns
    :math:`\\beta` (rescaled to the original columns).
    """
    X = np.asarray(X, dtype=float)
    codes = np.asarray(codes, dtype=np.int64)
    if X.ndim != 2 or X.shape[1] == 0 or not np.isfinite(X).all() or len(codes) == 0:
        return None
    K = int(codes.max()) + 1
    if K < 2:
        return None
    Xs, scale = _scale(X)
    p = X.shape[1]
    rows, counts = _unique_rows(np.column_stack([Xs, codes]))
    xr, yr = rows[:, :p], rows[:, p].astype(np.int64)
    # variables: beta (p), gamma_1..gamma_{K-1}; constraint "term >= 0" written as -term <= 0
    lower = yr >= 1  # x'b - gamma_y >= 0
    upper = yr <= K - 2  # gamma_{y+1} - x'b >= 0
    G_low = np.zeros((int(lower.sum()), K - 1))
    G_low[np.arange(len(G_low)), yr[lower] - 1] = 1.0
    G_up = np.zeros((int(upper.sum()), K - 1))
    G_up[np.arange(len(G_up)), yr[upper]] = 1.0
    terms = np.vstack(
        [np.hstack([xr[lower], -G_low]), np.hstack([-xr[upper], G_up])]
    )  # each row: coefficients of a term that must be >= 0
    weights = np.concatenate([counts[lower], counts[upper]])
    bound = float(p + 1)
    res = linprog(
        c=-(weights @ terms),
        A_ub=-terms,
        b_ub=np.zeros(len(terms)),
        bounds=[(-1.0, 1.0)] * p + [(-bound, bound)] * (K - 1),
        method="highs",
    )
    if res.status == 0 and -res.fun > tol * len(codes):
        beta = res.x[:p]
        if np.abs(beta).max() <= 1e-9:
            return None  # only the cut-points move: no direction of the coefficients
        return beta / scale
    return None
