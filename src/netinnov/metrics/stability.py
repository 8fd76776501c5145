"""Stability of actors' network positions between two waves.

For each case present in two consecutive waves and each actor metric of
``actors.csv`` (degree, betweenness, constraint, the role scores, …), the
Spearman rank correlation between the metric's values in the first and the
second wave, over the actors present in both waves. A high value means the
same actors hold the central, brokering or leading positions in both waves;
a low one that positions were reshuffled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STABILITY_COLUMNS", "metric_columns", "position_stability"]

#: Columns of :func:`position_stability` (``panel/stability.csv``).
STABILITY_COLUMNS = ["case_id", "wave_from", "wave_to", "metric", "spearman", "n_actors"]

#: Columns of ``actors.csv`` that identify rows rather than measure positions.
_KEYS = ("case_id", "actor_id", "wave")


def metric_columns(actors_from: pd.DataFrame, actors_to: pd.DataFrame) -> list[str]:
    """The numeric (not boolean) columns present in both tables, in the first table's order."""
    def numeric(frame: pd.DataFrame) -> set[str]:
        return {
            c for c in frame.columns
            if c not in _KEYS
            and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])
        }

    shared = numeric(actors_from) & numeric(actors_to)
    return [c for c in actors_from.columns if c in shared]


def position_stability(
    actors_from: pd.DataFrame,
    actors_to: pd.DataFrame,
    *,
    wave_from: str,
    wave_to: str,
    metrics: list[str] | None = None,
    min_actors: int = 3,
) -> pd.DataFrame:
    r"""Spearman correlation of each actor metric between two waves, per case.

    For case :math:`c` and metric :math:`x`, let :math:`A_c` be the actors on
    the case's roster in both waves whose value of :math:`x` is known (not
    NaN) in both; with :math:`r_i` and :math:`s_i` the ranks of
    :math:`x_i^{(1)}` and :math:`x_i^{(2)}` within :math:`A_c` (ties get
    their average rank),

    .. math::

        \rho_c = \frac{\sum_{i \in A_c} (r_i - \bar r)(s_i - \bar s)}
                      {\sqrt{\sum_{i} (r_i - \bar r)^2 \sum_{i} (s_i - \bar s)^2}},

    the Pearson correlation of the ranks (Spearman 1904) — the value of
    ``scipy.stats.spearmanr`` and of R's ``cor(x, y, method = "spearman",
    use = "pairwise.complete.obs")`` on the same actors.

    Parameters
    ----------
    actors_from, actors_to
        ``actors.csv`` of the two waves (``case_id, actor_id`` and metric columns).
    wave_from, wave_to
        Wave names written to the result.
    metrics
        The metric columns to correlate; default :func:`metric_columns` —
        every numeric column present in both tables.
    min_actors
        Fewer actors with known values in both waves than this gives NaN.

    Returns
    -------
    DataFrame
        One row per (case present in both waves, metric), columns
        :data:`STABILITY_COLUMNS`; ``n_actors`` is :math:`|A_c|`.
        ``spearman`` is NaN when :math:`|A_c|` < ``min_actors`` or when the
        metric is constant over :math:`A_c` in either wave (the correlation is
        undefined), never an exception.

    References
    ----------
    Spearman, C. (1904). The proof and measurement of association between
    two things. *American Journal of Psychology* 15, 72–101.
    """
    if metrics is None:
        metrics = metric_columns(actors_from, actors_to)
    keys = ["case_id", "actor_id"]

    def long(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        f = frame[keys + list(metrics)].copy()
        f[keys] = f[keys].astype(str)
        f = f.drop_duplicates(keys)
        f[list(metrics)] = f[list(metrics)].astype(float)
        return f.melt(id_vars=keys, var_name="metric", value_name=name)

    cases = sorted(set(actors_from["case_id"].astype(str)) & set(actors_to["case_id"].astype(str)))
    grid = pd.MultiIndex.from_product([cases, list(metrics)], names=["case_id", "metric"])
    if not metrics or not cases:
        out = pd.DataFrame(index=grid).reset_index()
        out["spearman"] = np.nan
        out["n_actors"] = np.int64(0)
    else:
        pairs = long(actors_from, "x").merge(long(actors_to, "y"), on=[*keys, "metric"])
        pairs = pairs[pairs["x"].notna() & pairs["y"].notna()]
        group = [pairs["case_id"], pairs["metric"]]
        rx = pairs["x"].groupby(group).rank(method="average")
        ry = pairs["y"].groupby(group).rank(method="average")
        dx = rx - rx.groupby(group).transform("mean")
        dy = ry - ry.groupby(group).transform("mean")
        sums = pd.DataFrame({"xy": dx * dy, "xx": dx * dx, "yy": dy * dy, "n": 1}).groupby(group).sum()
        denominator = np.sqrt(sums["xx"] * sums["yy"])
        # constant ranks give sums of squares of exactly 0 (up to rounding): no correlation
        valid = (sums["n"] >= min_actors) & (sums["xx"] > 1e-9) & (sums["yy"] > 1e-9)
        rho = (sums["xy"] / denominator.where(valid)).clip(-1.0, 1.0)
        stats = pd.DataFrame({"spearman": rho, "n_actors": sums["n"]}).reindex(grid)
        stats["n_actors"] = stats["n_actors"].fillna(0).astype(np.int64)
        out = stats.reset_index()
    out.insert(1, "wave_from", wave_from)
    out.insert(2, "wave_to", wave_to)
    out["spearman"] = out["spearman"].astype(float)
    return out[STABILITY_COLUMNS]
