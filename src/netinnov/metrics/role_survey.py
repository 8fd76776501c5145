"""Leadership-role scores against survey reports (``roles.csv``).

:func:`reported_roles` spells the reported roles of each actor;
:func:`case_role_presence` gives each case's presence score and flag per
role; :func:`roles_validation` measures how well the scores find the
reported holders (actor level) and the cases where the role was reported
(case level); :func:`role_persistence` asks whether one wave's scores
predict the next wave's reports. The scores come from
:func:`netinnov.metrics.roles.role_scores`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.contract import LEADERSHIP_ROLES

__all__ = [
    "DEFAULT_THRESHOLD",
    "VALIDATION_COLUMNS",
    "role_thresholds",
    "case_role_presence",
    "reported_roles",
    "role_persistence",
    "roles_validation",
]

#: The leadership roles, in the order of every output.

#: Default presence thresholds on the fixed 0–1 score scale (config
#: ``role_threshold``): the 90th percentile of the presence score over the
#: cases without the role (:func:`netinnov.metrics.role_validity.null_thresholds`,
#: rounded up to 0.01) on generator v2 (``netinnov.simulate.simulate_dataset``,
#: seeds 101–104, 100 cases × 3 waves, directed, 1200 case-waves; recalibrated
#: after the size-free catalyst and reciprocity components and the generator's
#: driver change; the catalyst's again, 0.16 -> 0.1, after its rate-adjusted
#: newcomers and weak cross-group bridges, issue 12 item 4). On seeds 20270301
#: and 20270302 (100 cases × 3 waves) they flag 49–53 / 87–92 / 56–60 % of the
#: cases with a planted convener / facilitator / catalyst and 8–14 / 12–13 /
#: 5–10 % of the cases without.
DEFAULT_THRESHOLD: dict[str, float] = {"convener": 0.6, "facilitator": 0.31, "catalyst": 0.1}


def role_thresholds(value: float | str | Mapping[str, float] | None = None) -> dict[str, float]:
    """The presence threshold of each role from a config value.

    ``value`` is one number for every role, a mapping ``{role: number}``
    (roles left out keep :data:`DEFAULT_THRESHOLD`), or the text of either
    (as a notebook parameter arrives: ``"0.4"``, ``"{'convener': 0.5}"``);
    None or empty text gives the defaults.
    """
    if isinstance(value, str):
        text = value.strip()
        value = None if not text else ast.literal_eval(text) if text.startswith("{") else float(text)
    if value is None:
        return dict(DEFAULT_THRESHOLD)
    if isinstance(value, Mapping):
        unknown = sorted(set(map(str, value)) - set(LEADERSHIP_ROLES))
        if unknown:
            raise ValueError(f"role_threshold names unknown roles {unknown}")
        return {**DEFAULT_THRESHOLD, **{str(k): float(v) for k, v in value.items()}}
    return dict.fromkeys(LEADERSHIP_ROLES, float(value))

_CHUNK_CELLS = 1 << 22


# ------------------------------------------------------------ reported roles
def _role_rows(roles: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("case_id", "actor_id", "role") if c not in roles.columns]
    if missing:
        raise ValueError(f"roles lack the columns {missing}")
    rows = pd.DataFrame(
        {
            "case_id": roles["case_id"].astype(str).to_numpy(dtype=object),
            "actor_id": roles["actor_id"].astype(str).to_numpy(dtype=object),
            "role": roles["role"].astype("string").str.strip().str.lower().to_numpy(dtype=object),
        }
    )
    return rows[rows["role"].isin(LEADERSHIP_ROLES)].drop_duplicates()


def reported_roles(roles: pd.DataFrame, index: pd.MultiIndex | None = None) -> pd.Series:
    """The survey-reported roles of each actor, as one string.

    Parameters
    ----------
    roles
        ``roles.csv`` rows (``case_id, actor_id, role``); several rows per
        actor allowed, roles outside :data:`LEADERSHIP_ROLES` ignored.
    index
        Optional (case_id, actor_id) index to align to; actors without a
        reported role get ``''``.

    Returns
    -------
    pandas.Series
        Named ``reported_roles``, indexed by (``case_id``, ``actor_id``): the
        distinct roles sorted alphabetically and joined by ``;``, e.g.
        ``"catalyst;convener"``.
    """
    rows = _role_rows(roles).sort_values("role", kind="stable")
    joined = rows.groupby(["case_id", "actor_id"], sort=True)["role"].agg(";".join)
    joined = joined.astype(object).rename("reported_roles")
    if index is not None:
        keys = pd.MultiIndex.from_arrays(
            [index.get_level_values(0).astype(str), index.get_level_values(1).astype(str)],
            names=["case_id", "actor_id"],
        )
        joined = joined.reindex(keys).fillna("").astype(object)
    return joined


def _holder_flags(frame: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """0/1 per role for each (case_id, actor_id) row of ``frame``."""
    rows = _role_rows(roles)
    keys = pd.MultiIndex.from_arrays(
        [frame["case_id"].astype(str), frame["actor_id"].astype(str)], names=["case_id", "actor_id"]
    )
    held = pd.MultiIndex.from_frame(rows[["case_id", "actor_id"]]) if len(rows) else None
    flags = {}
    for role in LEADERSHIP_ROLES:
        sel = rows["role"].to_numpy() == role
        if held is None or not sel.any():
            flags[role] = np.zeros(len(frame), dtype=np.int64)
        else:
            flags[role] = keys.isin(held[sel]).astype(np.int64)
    return pd.DataFrame(flags, index=frame.index)


def roles_validation(
    scores: pd.DataFrame,
    roles: pd.DataFrame,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    cases: Iterable[str] | None = None,
) -> pd.DataFrame:
    r"""How well the behavioural scores find the reported holders and cases.

    ``level = "actor"`` rows: for each role, the actors of the evaluated
    cases are pooled; the positives are those with a ``roles.csv`` row for
    that role in that case. The ROC AUC (:func:`sklearn.metrics.roc_auc_score`)
    is the probability that a random holder scores higher than a random
    non-holder (ties count ½). The scores are on one fixed scale in every
    case, so pooling compares actors across cases too.

    ``level = "case"`` rows: for each role, the evaluated cases are the
    units; the positives are the cases with a ``roles.csv`` row for the
    role (reported presence), the score is the case's presence score
    ``<role>_max_score`` of :func:`case_role_presence` (the largest actor
    score). This is the validity of the presence score and of the flag
    ``<role>_inferred``: whether a case where somebody plays the role is
    told from one where nobody does.

    The 95% interval is a percentile cluster bootstrap: ``n_boot`` times the
    evaluated cases are resampled with replacement (all actors of a drawn case
    come along, so the dependence of actors within a case is kept; at the
    case level each case is its own cluster) and the AUC recomputed as a
    weighted Mann–Whitney statistic; resamples without a positive or without
    a negative are skipped. With a single evaluated case there is nothing to
    resample: the interval is NaN and ``n_boot`` is 0.

    Parameters
    ----------
    scores
        ``case_id, actor_id`` and ``<role>_score`` columns (``actors.csv``).
    roles
        ``roles.csv`` rows.
    n_boot
        Bootstrap resamples (0: no interval).
    seed
        Seed of the bootstrap.
    cases
        The cases whose roles were surveyed. Default: the cases with at least
        one row in ``roles``; actors of other cases are left out, because an
        unsurveyed case has no known non-holders.

    Returns
    -------
    pandas.DataFrame
        One row per level and role: ``level`` (``actor``, ``case``),
        ``role, auc, ci_low, ci_high``, ``n_holders`` (reported holders;
        case rows: cases with the role reported), ``n_actors`` (actors of
        the evaluated cases), ``n_cases``, ``n_boot`` (usable resamples),
        ``bootstrap`` (``"cases"``). AUC is NaN without a positive or a
        negative.

    References
    ----------
    Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area
    under a receiver operating characteristic (ROC) curve. *Radiology*, 143,
    29–36.
    Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data.
    *JRSS B*, 69(3), 369–390.
    """
    frame, flags = _evaluation_frame(scores, roles, cases)
    for role in LEADERSHIP_ROLES:
        if f"{role}_score" not in frame.columns:
            raise ValueError(f"scores lack the column {f'{role}_score'!r}")
    case_ids = frame["case_id"].astype(str).to_numpy()
    rows = []
    for offset, role in enumerate(LEADERSHIP_ROLES):
        s = frame[f"{role}_score"].to_numpy(dtype=float)
        ok = np.isfinite(s)
        y = flags[role].to_numpy()[ok]
        clusters = pd.factorize(case_ids[ok])[0]
        auc, lo, hi, used = _auc_with_interval(
            y, s[ok], clusters, n_boot=n_boot, seed=seed + offset
        )
        rows.append(
            {
                "level": "actor",
                "role": role,
                "auc": auc,
                "ci_low": lo,
                "ci_high": hi,
                "n_holders": int(y.sum()),
                "n_actors": int(len(y)),
                "n_cases": int(len(np.unique(clusters))),
                "n_boot": used,
                "bootstrap": "cases",
            }
        )
    # case level: presence score against reported presence
    grouped = pd.DataFrame({"case_id": case_ids}).join(flags).join(
        frame[[f"{r}_score" for r in LEADERSHIP_ROLES]].astype(float)
    )
    by_case = grouped.groupby("case_id", sort=True)
    present = by_case[list(LEADERSHIP_ROLES)].max()
    best = by_case[[f"{r}_score" for r in LEADERSHIP_ROLES]].max()
    sizes = by_case.size()
    for offset, role in enumerate(LEADERSHIP_ROLES):
        s = best[f"{role}_score"].to_numpy(dtype=float)
        ok = np.isfinite(s)
        y = present[role].to_numpy(dtype=np.int64)[ok]
        clusters = np.arange(int(ok.sum()))
        auc, lo, hi, used = _auc_with_interval(
            y, s[ok], clusters, n_boot=n_boot, seed=seed + len(LEADERSHIP_ROLES) + offset
        )
        rows.append(
            {
                "level": "case",
                "role": role,
                "auc": auc,
                "ci_low": lo,
                "ci_high": hi,
                "n_holders": int(y.sum()),
                "n_actors": int(sizes.to_numpy()[ok].sum()),
                "n_cases": int(ok.sum()),
                "n_boot": used,
                "bootstrap": "cases",
            }
        )
    return pd.DataFrame(rows)


#: Columns of :func:`roles_validation` (also of its empty table).
VALIDATION_COLUMNS = [
    "level", "role", "auc", "ci_low", "ci_high", "n_holders", "n_actors", "n_cases", "n_boot", "bootstrap",
]


def _evaluation_frame(
    scores: pd.DataFrame, roles: pd.DataFrame, cases: Iterable[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    for c in ("case_id", "actor_id"):
        if c not in scores.columns:
            raise ValueError(f"scores lack the column {c!r}")
    role_rows = _role_rows(roles)
    evaluated = set(map(str, cases)) if cases is not None else set(role_rows["case_id"])
    frame = scores[scores["case_id"].astype(str).isin(evaluated).to_numpy()].reset_index(drop=True)
    return frame, _holder_flags(frame, roles)


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    # imported here: the wave stage's chunk jobs never call it, and sklearn takes about 0.3 s to import
    from sklearn.metrics import roc_auc_score

    if len(y) == 0 or y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, s))


def _auc_with_interval(
    y: np.ndarray, s: np.ndarray, clusters: np.ndarray, *, n_boot: int, seed: int
) -> tuple[float, float, float, int]:
    auc = _auc(y, s)
    nan = float("nan")
    if not np.isfinite(auc) or n_boot <= 0 or len(np.unique(clusters)) < 2:
        # One case: resampling cases cannot say anything about sampling error.
        return auc, nan, nan, 0
    boot = _cluster_bootstrap_auc(y, s, clusters, n_boot=n_boot, seed=seed)
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return auc, nan, nan, 0
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return auc, float(lo), float(hi), int(len(boot))


def _cluster_bootstrap_auc(
    y: np.ndarray, s: np.ndarray, clusters: np.ndarray, *, n_boot: int, seed: int
) -> np.ndarray:
    r"""AUC of ``n_boot`` cluster resamples, as weighted Mann–Whitney statistics.

    A resample gives each actor the weight :math:`w` = the number of times
    its cluster was drawn. With distinct score values :math:`u` and the
    weighted counts :math:`P_u` of holders and :math:`N_u` of non-holders at
    :math:`u`: :math:`\mathrm{AUC} = \sum_u P_u (\sum_{v<u} N_v + N_u/2) /
    (\sum P \sum N)`.
    """
    values, level = np.unique(s, return_inverse=True)
    n_clusters = int(clusters.max()) + 1
    u = len(values)
    pos = sp.csr_matrix((y.astype(float), (clusters, level)), shape=(n_clusters, u))
    neg = sp.csr_matrix(((1 - y).astype(float), (clusters, level)), shape=(n_clusters, u))
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    chunk = max(1, _CHUNK_CELLS // max(u, n_clusters))
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        draws = rng.integers(0, n_clusters, size=(size, n_clusters))
        offsets = (np.arange(size)[:, None] * n_clusters + draws).ravel()
        weights = np.bincount(offsets, minlength=size * n_clusters).reshape(size, n_clusters)
        weights = sp.csr_matrix(weights.astype(float))
        p = (weights @ pos).toarray()
        q = (weights @ neg).toarray()
        below = np.cumsum(q, axis=1) - q
        denom = p.sum(axis=1) * q.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[done : done + size] = np.where(
                denom > 0, np.sum(p * (below + 0.5 * q), axis=1) / denom, np.nan
            )
        done += size
    return out


def role_persistence(
    scores_prev: pd.DataFrame,
    scores_next: pd.DataFrame,
    roles_next: pd.DataFrame,
    roles_prev: pd.DataFrame | None = None,
    *,
    threshold: float | Mapping[str, float] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Do roles seen in one wave predict the roles reported in the next?

    The actors that appear in the same case in both waves, in the cases whose
    roles were surveyed in the next wave (cases with a row in
    ``roles_next``), are evaluated against the next wave's reported holders.

    Parameters
    ----------
    scores_prev, scores_next
        ``case_id, actor_id, <role>_score`` of the two waves (only the
        actors present in both are used; ``scores_next`` defines them).
    roles_next
        ``roles.csv`` of the next wave.
    roles_prev
        ``roles.csv`` of the earlier wave, if surveyed.
    threshold
        Score from which the earlier wave's score infers the role (one
        number or one per role, :func:`role_thresholds`).
    n_boot, seed
        Cluster bootstrap of the score AUC, as in :func:`roles_validation`.

    Returns
    -------
    pandas.DataFrame
        One row per role: ``role``; ``auc_score`` (AUC of the earlier score
        for the next wave's holders) with ``ci_low, ci_high``;
        ``auc_reported`` (AUC of being a reported holder earlier; NaN without
        ``roles_prev``); ``persistence_rate`` (share of earlier reported
        holders reported again); ``inferred_precision`` (share of actors with
        an earlier score ≥ ``threshold`` reported in the next wave);
        ``base_rate`` (share of evaluated actors reported in the next wave);
        ``n_actors, n_holders_next, n_holders_prev, n_inferred_prev``.
    """
    cut = role_thresholds(threshold)
    nxt, next_flags = _evaluation_frame(scores_next, roles_next, None)
    keys = ["case_id", "actor_id"]
    prev = scores_prev.assign(
        case_id=scores_prev["case_id"].astype(str), actor_id=scores_prev["actor_id"].astype(str)
    )
    joined = nxt[keys].astype(str).join(next_flags).merge(prev, on=keys, how="inner")
    prev_flags = _holder_flags(joined, roles_prev) if roles_prev is not None else None
    clusters = pd.factorize(joined["case_id"].to_numpy())[0]
    nan = float("nan")
    rows = []
    for offset, role in enumerate(LEADERSHIP_ROLES):
        y = joined[role].to_numpy(dtype=np.int64)
        s = joined[f"{role}_score"].to_numpy(dtype=float)
        ok = np.isfinite(s)
        auc, lo, hi, _ = _auc_with_interval(
            y[ok], s[ok], clusters[ok], n_boot=n_boot, seed=seed + offset
        )
        inferred = ok & (s >= cut[role])
        row = {
            "role": role,
            "auc_score": auc,
            "ci_low": lo,
            "ci_high": hi,
            "auc_reported": nan,
            "persistence_rate": nan,
            "inferred_precision": float(y[inferred].mean()) if inferred.any() else nan,
            "base_rate": float(y.mean()) if len(y) else nan,
            "n_actors": int(len(y)),
            "n_holders_next": int(y.sum()),
            "n_holders_prev": 0,
            "n_inferred_prev": int(inferred.sum()),
        }
        if prev_flags is not None:
            held = prev_flags[role].to_numpy()
            row["auc_reported"] = _auc(y, held.astype(float))
            row["persistence_rate"] = float(y[held == 1].mean()) if held.any() else nan
            row["n_holders_prev"] = int(held.sum())
        rows.append(row)
    return pd.DataFrame(rows)


def case_role_presence(
    scores: pd.DataFrame, roles: pd.DataFrame, *, threshold: float | Mapping[str, float] | None = None
) -> pd.DataFrame:
    r"""Whether each role is present in each case, reported and inferred.

    The presence score of a role in a case is the largest fixed-scale score
    of its actors, :math:`P_c = \max_{i \in c} s_i`. Scores are on one
    [0, 1] scale in every case (:func:`netinnov.metrics.roles.role_scores`)
    and are shrunk towards 0 where an actor's evidence is thin, so
    :math:`P_c` stays low in a case where nobody behaves the role, whatever
    its size; it is not a within-case rank, which always has a top actor.
    The role is inferred when :math:`P_c \ge` the role's ``threshold``
    (config ``role_threshold``, on the same scale; :func:`role_thresholds`).

    Parameters
    ----------
    scores
        ``case_id, actor_id, <role>_score`` of one wave.
    roles
        ``roles.csv`` of the wave.
    threshold
        Fixed-scale score from which an actor is taken to hold the role: one
        number, or one per role (:func:`role_thresholds`; default
        :data:`DEFAULT_THRESHOLD`).

    Returns
    -------
    pandas.DataFrame
        One row per case of ``scores`` or ``roles`` (sorted by ``case_id``):
        ``case_id`` and, per role, ``<role>_present`` (1 when some actor of
        the case has a ``roles.csv`` row for the role, else 0),
        ``<role>_inferred`` (1 when some actor's score is at least
        ``threshold``) and ``<role>_max_score`` (NaN for a case without
        scores).
    """
    cut = role_thresholds(threshold)
    rows = _role_rows(roles)
    score_cases = scores["case_id"].astype(str)
    cases = pd.Index(sorted(set(score_cases) | set(rows["case_id"])), name="case_id")
    out = pd.DataFrame(index=cases)
    for role in LEADERSHIP_ROLES:
        holders = set(rows.loc[rows["role"] == role, "case_id"])
        out[f"{role}_present"] = cases.isin(list(holders)).astype(np.int64)
        best = scores[f"{role}_score"].astype(float).groupby(score_cases.to_numpy()).max()
        best = best.reindex(cases)
        out[f"{role}_inferred"] = (best >= cut[role]).fillna(False).astype(np.int64).to_numpy()
        out[f"{role}_max_score"] = best.to_numpy(dtype=float)
    return out.reset_index()
