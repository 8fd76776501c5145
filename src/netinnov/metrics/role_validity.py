"""Validity of the leadership-role scores against planted truth.

On simulated data whose generator plants latent role holders
(``true_roles.csv``: ``case_id, wave, actor_id, role``, every actor who
actually behaves the role), :func:`role_validity` measures what the scores
are for:

- ``case_auc``: does the case's presence score (``<role>_max_score``, the
  largest actor score of the case) tell the cases where somebody plays the
  role from those where nobody does?
- ``actor_auc``: do the holders score higher than the other actors (pooled
  over cases, one fixed scale)?
- ``score_correlation``: are the three scores distinct constructs (Pearson
  correlation across actors of two role scores; a score that follows general
  activity correlates with every other one)?
- ``size_correlation``: does the presence score grow with case size alone
  (Pearson correlation of ``<role>_max_score`` with :math:`\\log n_{actors}`
  over the cases *without* the role, so that a role that brings in actors
  does not count)?
- ``flag_rate`` (with the case-level ``presence=`` table): the share of the
  cases with and without the role whose flag ``<role>_inferred`` is set.

Intervals are percentile case-bootstrap intervals (as in
:func:`netinnov.metrics.role_survey.roles_validation`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from netinnov.metrics.role_survey import LEADERSHIP_ROLES, _auc_with_interval, _role_rows

__all__ = ["VALIDITY_COLUMNS", "null_thresholds", "role_validity"]

#: Columns of :func:`role_validity`.
VALIDITY_COLUMNS = ["measure", "role", "value", "ci_low", "ci_high", "n", "n_positive", "n_boot"]


def _keys(frame: pd.DataFrame, with_wave: bool) -> pd.Series:
    case = frame["case_id"].astype(str)
    if with_wave:
        return frame["wave"].astype(str) + "\x1f" + case
    return case


def role_validity(
    scores: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    cases: Iterable[str] | None = None,
    presence: pd.DataFrame | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    r"""Case- and actor-level AUCs and score correlations against planted roles.

    A case (a ``(wave, case_id)`` pair when both tables have ``wave``) is
    a positive for a role when ``truth`` has a row for the role in it; its
    presence score is :math:`P_c = \max_{i \in c} s_i`. The AUC is the
    probability that a case with the role has a higher :math:`P_c` than a
    case without (ties ½; Hanley & McNeil 1982). At the actor level the
    positives are the planted holders. ``score_correlation`` is Pearson's
    :math:`r` of two role scores over all actors; ``size_correlation`` is
    Pearson's :math:`r` of :math:`P_c` with :math:`\log n_c` over the cases
    without the role (``n`` of them). With ``presence`` (``cases.csv``),
    :math:`P_c` is its ``<role>_max_score`` and :math:`n_c` its
    ``n_actors`` (every actor of the case's roster, as the pipeline wrote
    them), and ``flag_rate`` rows give the share of cases flagged
    ``<role>_inferred`` among those with the role (role ``<role>|holder``)
    and without (``<role>|no_holder``).

    Parameters
    ----------
    scores
        ``actors.csv`` rows of one or more waves: ``case_id, actor_id``,
        ``<role>_score`` and optionally ``wave``.
    truth
        ``true_roles.csv`` rows (``case_id, actor_id, role``, optionally
        ``wave``). Cases of ``scores`` without a row have no role.
    cases
        Restrict to these case ids (default: every case of ``scores``).
    presence
        Optional case table (``cases.csv`` rows: ``case_id``, optionally
        ``wave``, ``<role>_max_score``, ``n_actors``, ``<role>_inferred``):
        the case-level presence scores and flags as the pipeline wrote
        them. Its cases are the evaluated cases (restricted by ``cases``).
    n_boot, seed
        Case-bootstrap resamples for the AUC intervals and their seed.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALIDITY_COLUMNS`: ``measure`` (``case_auc``,
        ``actor_auc``, ``score_correlation``, ``size_correlation``,
        ``flag_rate``),
        ``role`` (``a~b`` for a pair of roles), ``value``, ``ci_low,
        ci_high`` (AUCs), ``n`` (cases or actors), ``n_positive``,
        ``n_boot`` (usable resamples).

    References
    ----------
    Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area
    under a receiver operating characteristic (ROC) curve. *Radiology*, 143,
    29–36.
    Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data.
    *JRSS B*, 69(3), 369–390.
    """
    with_wave = "wave" in scores.columns and "wave" in truth.columns
    if presence is not None:
        with_wave = with_wave and "wave" in presence.columns
    frame = scores.reset_index(drop=True)
    if cases is not None:
        frame = frame[frame["case_id"].astype(str).isin(set(map(str, cases))).to_numpy()]
        frame = frame.reset_index(drop=True)
    table = None
    if presence is not None:
        table = presence.reset_index(drop=True)
        if cases is not None:
            table = table[table["case_id"].astype(str).isin(set(map(str, cases))).to_numpy()]
        table = table.assign(_key=_keys(table, with_wave).to_numpy()).drop_duplicates("_key").set_index("_key")
    key = _keys(frame, with_wave).to_numpy()
    actor_key = pd.Index(key + "\x1e" + frame["actor_id"].astype(str).to_numpy())
    if len(truth):
        t = _role_rows(truth.assign(case_id=_keys(truth, with_wave)))
    else:
        t = pd.DataFrame({c: pd.Series(dtype=object) for c in ("case_id", "actor_id", "role")})
    clusters = pd.factorize(key)[0]
    order = np.unique(key) if table is None else np.unique(table.index.to_numpy(dtype=object).astype(str))
    if table is not None and "n_actors" in table.columns:
        sizes = pd.to_numeric(table["n_actors"], errors="coerce").reindex(order).to_numpy(dtype=float)
    else:
        sizes = pd.Series(key).value_counts().reindex(order).to_numpy(dtype=float)
    rows = []
    for offset, role in enumerate(LEADERSHIP_ROLES):
        s = frame[f"{role}_score"].to_numpy(dtype=float)
        held = t[t["role"] == role]
        y_actor = actor_key.isin(pd.Index(held["case_id"] + "\x1e" + held["actor_id"])).astype(np.int64)
        ok = np.isfinite(s)
        auc, lo, hi, used = _auc_with_interval(
            y_actor[ok], s[ok], pd.factorize(clusters[ok])[0], n_boot=n_boot, seed=seed + offset
        )
        rows.append(_row("actor_auc", role, auc, lo, hi, int(ok.sum()), int(y_actor[ok].sum()), used))
        if table is not None and f"{role}_max_score" in table.columns:
            best = pd.to_numeric(table[f"{role}_max_score"], errors="coerce").reindex(order).to_numpy(dtype=float)
        else:
            best = pd.Series(s).groupby(key).max().reindex(order).to_numpy(dtype=float)
        y_case = np.isin(order, held["case_id"].to_numpy()).astype(np.int64)
        okc = np.isfinite(best)
        auc, lo, hi, used = _auc_with_interval(
            y_case[okc], best[okc], np.arange(int(okc.sum())), n_boot=n_boot, seed=seed + 10 + offset
        )
        rows.append(_row("case_auc", role, auc, lo, hi, int(okc.sum()), int(y_case[okc].sum()), used))
        null = okc & (y_case == 0) & (sizes > 0)  # cases without the role: does the score grow with size alone?
        rows.append(
            _row("size_correlation", role, _pearson(best[null], np.log(sizes[null])), np.nan, np.nan,
                 int(null.sum()), 0, 0)
        )
        if table is not None and f"{role}_inferred" in table.columns:
            flag = pd.to_numeric(table[f"{role}_inferred"], errors="coerce").reindex(order).to_numpy(dtype=float)
            for label, sel in (("holder", y_case == 1), ("no_holder", y_case == 0)):
                sel = sel & np.isfinite(flag)
                rate = float(flag[sel].mean()) if sel.any() else np.nan
                rows.append(_row("flag_rate", f"{role}|{label}", rate, np.nan, np.nan, int(sel.sum()),
                                 int(y_case[sel].sum()), 0))
    for r1, r2 in itertools.combinations(LEADERSHIP_ROLES, 2):
        x = frame[f"{r1}_score"].to_numpy(dtype=float)
        y = frame[f"{r2}_score"].to_numpy(dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        rows.append(_row("score_correlation", f"{r1}~{r2}", _pearson(x[ok], y[ok]), np.nan, np.nan,
                         int(ok.sum()), 0, 0))
    return pd.DataFrame(rows, columns=VALIDITY_COLUMNS)


def _row(measure, role, value, lo, hi, n, n_positive, n_boot) -> dict:
    return {"measure": measure, "role": role, "value": value, "ci_low": lo, "ci_high": hi, "n": n,
            "n_positive": n_positive, "n_boot": n_boot}


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def null_thresholds(
    scores: pd.DataFrame, truth: pd.DataFrame, *, quantile: float = 0.9, step: float = 0.05
) -> dict[str, float]:
    r"""Presence thresholds calibrated on the cases without each role.

    For each role, the ``quantile`` of the presence score :math:`P_c`
    (largest actor score of the case) over the cases where ``truth`` plants
    no holder of the role, rounded up to a multiple of ``step``: a case
    without the role is flagged with probability about :math:`1 -`
    ``quantile``. Use it to set config ``role_threshold`` from a simulation
    whose generator does not share the measures' formulas.

    Parameters
    ----------
    scores, truth
        As in :func:`role_validity`.
    quantile
        Share of role-free cases that the threshold should leave unflagged.
    step
        Rounding grid (0: no rounding).

    Returns
    -------
    dict
        ``{role: threshold}``.
    """
    with_wave = "wave" in scores.columns and "wave" in truth.columns
    key = _keys(scores, with_wave).to_numpy()
    order = np.unique(key)
    t = _role_rows(truth.assign(case_id=_keys(truth, with_wave))) if len(truth) else None
    out = {}
    for role in LEADERSHIP_ROLES:
        best = pd.Series(scores[f"{role}_score"].to_numpy(dtype=float)).groupby(key).max().reindex(order)
        held = set(t.loc[t["role"] == role, "case_id"]) if t is not None else set()
        null = best[~np.isin(order, list(held))].dropna().to_numpy()
        value = float(np.quantile(null, quantile)) if len(null) else float("nan")
        out[role] = round(float(np.ceil(value / step - 1e-9) * step), 10) if step and np.isfinite(value) else value
    return out
