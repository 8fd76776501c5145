"""Non-respondents: survey reports that are missing, not absent.

``members.csv`` may carry the optional column ``responded``. A non-respondent
answered no name generator, so in directed data its outgoing arcs are not
observed: the absence of a reported arc ``i → j`` from a non-respondent ``i``
says nothing. Reported arcs are never changed; what changes is what the
missing ones are taken to be (config ``nonrespondents``):

``reconstruct`` (default)
    Reconstruction from the partner's report (Stork & Richards 1992;
    Huisman 2009): where ``j`` reported ``j → i`` and the non-respondent
    ``i`` has no arc ``i → j``, the arc ``i → j`` is added with the values of
    ``j → i`` and ``reconstructed = True`` (``n_records = 0``: no record
    stands behind it; ``reciprocated = False``: reciprocity needs two
    reports). Where ``j`` did not name ``i`` either, ``i → j`` is taken as
    absent. Dyads between two non-respondents stay unknown.
``observed_only``
    Nothing is added: every arc from a non-respondent that was not reported
    is unknown.

Undirected ties need one report: a tie that either side reported is
observed, and only dyads between two non-respondents are unknown, in both
modes. Without the column every actor counts as a respondent and nothing
here changes any output. :func:`unobserved_dyads` gives the unknown dyads
(``NA`` in the R exports).

References
----------
Stork, D., & Richards, W. D. (1992). Nonrespondents in communication network
studies: Problems and possibilities. *Group & Organization Management*,
17(2), 193–209.
Huisman, M. (2009). Imputation of missing network data: Some simple
procedures. *Journal of Social Structure*, 10(1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.io.codes import shared_codes

__all__ = [
    "MODES",
    "RESPONDED",
    "reconstruct_arcs",
    "respondent_flags",
    "response_rates",
    "unobserved_dyads",
]

#: Values of the config key ``nonrespondents``.
MODES = ("reconstruct", "observed_only")

#: The ``members.csv`` column (and the ``actors.csv`` column) of the flag.
RESPONDED = "responded"


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"nonrespondents must be one of {MODES}, not {mode!r}")


def respondent_flags(members: pd.DataFrame | None) -> pd.DataFrame | None:
    """``case_id, actor_id, responded`` (bool) of the validated members, or
    None when there is no ``members.csv`` or it has no ``responded`` column."""
    if members is None or RESPONDED not in members.columns:
        return None
    return pd.DataFrame(
        {
            "case_id": members["case_id"].astype(str).to_numpy(dtype=object),
            "actor_id": members["actor_id"].astype(str).to_numpy(dtype=object),
            RESPONDED: members[RESPONDED].to_numpy(dtype=bool),
        }
    )


def reconstruct_arcs(
    ties: pd.DataFrame, flags: pd.DataFrame | None, *, directed: bool, mode: str = "reconstruct"
) -> pd.DataFrame:
    r"""The ties of a wave with the reconstructed arcs of non-respondents.

    For a non-respondent :math:`i` and any actor :math:`j` of the same case,
    the missing tie variable is imputed by its reverse,
    :math:`x_{ij} := x_{ji}`, where :math:`x_{ij}` was not reported and
    :math:`x_{ji}` was (Huisman 2009, "reconstruction"). The added row copies
    every column of :math:`j \to i` but ``source``/``target`` (swapped),
    ``n_records`` (0) and ``reciprocated`` (False); a reported arc is never
    changed, and an arc the non-respondent did report is kept as it is.

    Parameters
    ----------
    ties
        The wave's aggregated ties (``case_id, source, target`` and any tie
        columns), sorted by ``case_id, source, target``.
    flags
        :func:`respondent_flags`, or None (no ``responded`` column): then
        ``ties`` is returned as it is, without a ``reconstructed`` column.
    directed
        Undirected ties need no reconstruction: every row gets
        ``reconstructed = False``.
    mode
        ``reconstruct`` or ``observed_only`` (nothing added).

    Returns
    -------
    pandas.DataFrame
        ``ties`` plus the reconstructed arcs, sorted by ``case_id, source,
        target``, with the bool column ``reconstructed``.

    References
    ----------
    Stork, D., & Richards, W. D. (1992). Nonrespondents in communication
    network studies. *Group & Organization Management*, 17(2), 193–209.
    Huisman, M. (2009). Imputation of missing network data: Some simple
    procedures. *Journal of Social Structure*, 10(1).
    """
    _check_mode(mode)
    if flags is None:
        return ties
    out = ties.assign(reconstructed=np.zeros(len(ties), dtype=bool))
    if not directed or mode == "observed_only" or not len(ties):
        return out
    (tc, fc), _ = shared_codes(ties["case_id"], flags["case_id"])
    (ts, tt, fa), actors = shared_codes(ties["source"], ties["target"], flags["actor_id"])
    n = len(actors) + 1
    silent = ~flags[RESPONDED].to_numpy(dtype=bool)
    non_respondents = np.unique(fc[silent] * n + fa[silent])
    arc = (tc * n + ts) * n + tt
    reverse = (tc * n + tt) * n + ts
    add = np.isin(tc * n + tt, non_respondents) & ~np.isin(reverse, arc)
    if not add.any():
        return out
    new = out.loc[add].copy()
    new["source"], new["target"] = out["target"].loc[add].to_numpy(), out["source"].loc[add].to_numpy()
    if "n_records" in new.columns:
        new["n_records"] = 0
    if "reciprocated" in new.columns:
        new["reciprocated"] = False
    new["reconstructed"] = True
    keys = np.concatenate([arc, reverse[add]])
    combined = pd.concat([out, new], ignore_index=True)
    return combined.iloc[np.argsort(keys, kind="stable")].reset_index(drop=True)


def response_rates(flags: pd.DataFrame | None, cases: pd.Series) -> pd.DataFrame:
    """``case_id, n_respondents, response_rate`` for the given cases.

    ``n_respondents`` counts the case's members with ``responded`` true,
    ``response_rate`` is that over the members listed for the case. Both are
    missing for a case that ``members.csv`` does not list, and for every case
    when there is no ``responded`` column.
    """
    ids = pd.Series(cases, dtype=object).astype(str).to_numpy(dtype=object)
    if flags is None or not len(flags):
        n = pd.array([pd.NA] * len(ids), dtype="Int64")
        return pd.DataFrame({"case_id": ids, "n_respondents": n, "response_rate": np.full(len(ids), np.nan)})
    members = flags.drop_duplicates(["case_id", "actor_id"])
    by = members.groupby("case_id", sort=False)[RESPONDED]
    counts = pd.DataFrame({"n_respondents": by.sum(), "n_members": by.size()}).reindex(ids)
    return pd.DataFrame(
        {
            "case_id": ids,
            "n_respondents": counts["n_respondents"].astype("Int64").to_numpy(),
            "response_rate": (counts["n_respondents"] / counts["n_members"]).to_numpy(dtype=float),
        }
    )


def unobserved_dyads(responded: np.ndarray, *, directed: bool, mode: str = "reconstruct") -> np.ndarray:
    """n×n bool matrix of the tie variables that no report observes.

    ``responded[i]`` is False for a non-respondent. Unknown, when no tie was
    found there: with ``observed_only`` in directed data every arc from a
    non-respondent (row ``i``); otherwise (``reconstruct``, or undirected
    data) the dyads of two non-respondents. The diagonal is never unknown.
    A tie that is present (reported or reconstructed) is observed wherever
    it lies; the caller writes it over this mask.
    """
    _check_mode(mode)
    silent = ~np.asarray(responded, dtype=bool)
    if directed and mode == "observed_only":
        mask = np.repeat(silent[:, None], len(silent), axis=1)
    else:
        mask = silent[:, None] & silent[None, :]
    np.fill_diagonal(mask, False)
    return mask
