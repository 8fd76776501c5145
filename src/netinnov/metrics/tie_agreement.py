r"""Agreement of the tie-strength indicators: ``tie_strength_diagnostics.csv``.

Tie strength combines several indicators (Granovetter 1973; Marsden &
Campbell 1984). Whether they measure one thing is an empirical question
(Marsden & Campbell 2012 find frequency and duration partly driven by the
setting rather than by strength): the wave's diagnostics report each
indicator's distribution, how it goes with the others, Cronbach's alpha of
the indicator set and the share of variance of its first principal
component. They describe the indicators of a wave; no tie's or case's value
depends on them.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika*, 16(3), 297–334.
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
    Sociology*, 78(6), 1360–1380.
Marsden, P. V., & Campbell, K. E. (1984). Measuring tie strength. *Social
    Forces*, 63(2), 482–501.
Marsden, P. V., & Campbell, K. E. (2012). Reflections on conceptualizing and
    measuring tie strength. *Social Forces*, 91(1), 17–23.
Nunnally, J. C., & Bernstein, I. H. (1994). *Psychometric Theory* (3rd ed.).
    McGraw-Hill (corrected item–total correlation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DIAGNOSTICS_COLUMNS", "cronbach_alpha", "indicator_agreement"]

#: Columns of ``tie_strength_diagnostics.csv``.
DIAGNOSTICS_COLUMNS = ["indicator", "statistic", "value", "n_ties"]


def cronbach_alpha(items: np.ndarray) -> float:
    r"""Cronbach's alpha of the columns of a complete ties × items matrix.

    .. math::

        \alpha = \frac{k}{k-1}\Big(1 - \frac{\sum_i s_i^2}{s_X^2}\Big),
        \qquad X = \sum_i y_i,

    with sample variances (``ddof=1``). NaN with fewer than two items or two
    rows, or when the total does not vary.
    """
    y = np.asarray(items, dtype=float)
    if y.ndim != 2 or y.shape[1] < 2 or y.shape[0] < 2:
        return float("nan")
    k = y.shape[1]
    total = y.sum(axis=1).var(ddof=1)
    if not total > 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - y.var(axis=0, ddof=1).sum() / total))


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2 or not (x.std() > 0 and y.std() > 0):
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _pc1_share(y: np.ndarray) -> float:
    varying = y[:, y.std(axis=0) > 0] if len(y) else y
    if varying.shape[1] < 2 or varying.shape[0] < 2:
        return float("nan")
    eig = np.linalg.eigvalsh(np.corrcoef(varying, rowvar=False))
    return float(eig[-1] / varying.shape[1])


def indicator_agreement(indicators: pd.DataFrame) -> pd.DataFrame:
    r"""Distribution and agreement of the rescaled tie-strength indicators of a wave.

    ``indicators`` is :func:`netinnov.metrics.tie_strength.rescaled_indicators`
    of the wave's ties (one column per indicator used, values in ``[0, 1]``,
    NaN where not observed). The result is tidy, one row per (indicator,
    statistic), columns ``indicator, statistic, value, n_ties``:

    per indicator
        ``n_observed`` (value = the number of ties with the indicator
        observed), ``mean`` and ``sd`` (``ddof=1``) of the rescaled value over
        those ties, and ``item_total_r``: the corrected item–total
        correlation, Pearson's :math:`r` between the indicator and the sum of
        the *other* indicators over the ties with every indicator observed
        (NaN where either does not vary);
    ``indicator = "all"``
        ``cronbach_alpha`` (:func:`cronbach_alpha` of the unweighted
        indicator sum) and ``pc1_share`` (the largest eigenvalue of the
        indicators' correlation matrix over its trace: the share of their
        standardised variance on the first principal component; indicators
        that do not vary are left out), both over the ties with every
        indicator observed, and ``n_indicators``.

    ``n_ties`` is the number of ties each value rests on. With fewer than two
    indicators, alpha, the item–total correlations and ``pc1_share`` are NaN.
    """
    names = list(indicators.columns)
    complete = np.ones(len(indicators), dtype=bool)
    for name in names:
        complete &= indicators[name].notna().to_numpy()
    n_complete = int(complete.sum())
    items = np.column_stack([indicators[c].to_numpy(dtype=float)[complete] for c in names]) if names else None
    total = items.sum(axis=1) if names else None
    rows = []
    for i, name in enumerate(names):
        col = indicators[name].dropna().to_numpy(dtype=float)
        n = len(col)
        r = _corr(items[:, i], total - items[:, i]) if len(names) > 1 else float("nan")
        rows += [
            (name, "n_observed", float(n), n),
            (name, "mean", float(col.mean()) if n else np.nan, n),
            (name, "sd", float(col.std(ddof=1)) if n > 1 else np.nan, n),
            (name, "item_total_r", r, n_complete),
        ]
    rows += [
        ("all", "cronbach_alpha", cronbach_alpha(items) if names else np.nan, n_complete),
        ("all", "pc1_share", _pc1_share(items) if names else np.nan, n_complete),
        ("all", "n_indicators", float(len(names)), n_complete),
    ]
    out = pd.DataFrame(rows, columns=DIAGNOSTICS_COLUMNS)
    out["n_ties"] = out["n_ties"].astype(np.int64)
    return out
