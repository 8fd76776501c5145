"""Tie change between two waves of the same cases.

For each case present in two consecutive waves, the dyads among the actors
present in both waves are cross-tabulated by their state in the first and the
second wave (Snijders, van de Bunt & Steglich 2010, "Introduction to
stochastic actor-based models for network dynamics", Social Networks 32):

* ``n00`` — no tie in either wave, ``n01`` — tie formed, ``n10`` — tie
  dissolved, ``n11`` — tie maintained; the four add up to the number of dyads
  ``D = m(m-1)/2`` (undirected) or ``m(m-1)`` (directed) among the ``m``
  common actors;
* ``hamming = n01 + n10`` — the Hamming distance between the two networks;
* ``jaccard = n11 / (n01 + n10 + n11)`` — NaN when no tie exists in either
  wave. The RSiena manual (Ripley et al., section 2.4) advises that Jaccard
  values below 0.3 signal too much change for stochastic actor-oriented
  models; ``jaccard_low`` flags them (values above 0.2 can still be workable
  when the later network is denser).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["JACCARD_WARNING", "tie_change"]

#: Jaccard below this flags too much change for stochastic actor-oriented models.
JACCARD_WARNING = 0.3


def _dyads(ties: pd.DataFrame, directed: bool) -> pd.DataFrame:
    out = ties[["case_id", "source", "target"]].astype(str)
    if not directed:
        s, t = out["source"].to_numpy(dtype=object), out["target"].to_numpy(dtype=object)
        swap = s > t
        out = out.assign(source=np.where(swap, t, s), target=np.where(swap, s, t))
    return out.drop_duplicates()


def tie_change(
    ties_from: pd.DataFrame,
    ties_to: pd.DataFrame,
    actors_from: pd.DataFrame,
    actors_to: pd.DataFrame,
    *,
    directed: bool,
    wave_from: str,
    wave_to: str,
) -> pd.DataFrame:
    """Dyad transition counts per case between two waves.

    Parameters
    ----------
    ties_from, ties_to
        ``ties.csv`` of the two waves (``case_id, source, target``).
    actors_from, actors_to
        ``actors.csv`` of the two waves (``case_id, actor_id``): each case's roster.
    directed
        Count ordered dyads (arcs) or unordered pairs.

    Returns
    -------
    DataFrame
        One row per case present in both waves: ``case_id, wave_from, wave_to,
        n_common_actors, n00, n01, n10, n11, hamming, jaccard, jaccard_low,
        actors_joined, actors_left, density_from, density_to, density_change``
        (densities over each wave's full roster).
    """
    ra = actors_from[["case_id", "actor_id"]].astype(str).drop_duplicates()
    rb = actors_to[["case_id", "actor_id"]].astype(str).drop_duplicates()
    cases = sorted(set(ra["case_id"]) & set(rb["case_id"]))
    ra, rb = ra[ra["case_id"].isin(cases)], rb[rb["case_id"].isin(cases)]
    both = ra.merge(rb, on=["case_id", "actor_id"])
    m = both.groupby("case_id").size().reindex(cases, fill_value=0)
    size_a = ra.groupby("case_id").size().reindex(cases, fill_value=0)
    size_b = rb.groupby("case_id").size().reindex(cases, fill_value=0)

    def common(ties: pd.DataFrame) -> pd.DataFrame:
        d = _dyads(ties, directed)
        d = d[d["case_id"].isin(cases)]
        key = both.assign(present=True)
        d = d.merge(key.rename(columns={"actor_id": "source"}), on=["case_id", "source"])
        d = d.merge(key.rename(columns={"actor_id": "target"}), on=["case_id", "target"], suffixes=("", "_t"))
        return d[["case_id", "source", "target"]]

    da, db = common(ties_from), common(ties_to)
    merged = da.assign(a=True).merge(db.assign(b=True), on=["case_id", "source", "target"], how="outer")
    merged["a"] = merged["a"].fillna(False).astype(bool)
    merged["b"] = merged["b"].fillna(False).astype(bool)
    n11 = (merged["a"] & merged["b"]).groupby(merged["case_id"]).sum().reindex(cases, fill_value=0)
    n10 = (merged["a"] & ~merged["b"]).groupby(merged["case_id"]).sum().reindex(cases, fill_value=0)
    n01 = (~merged["a"] & merged["b"]).groupby(merged["case_id"]).sum().reindex(cases, fill_value=0)
    pairs = m * (m - 1) if directed else m * (m - 1) // 2
    n00 = pairs - n01 - n10 - n11
    union = n01 + n10 + n11
    jaccard = (n11 / union.where(union > 0)).astype(float)

    def density(ties: pd.DataFrame, size: pd.Series) -> pd.Series:
        n_t = _dyads(ties, directed).groupby("case_id").size().reindex(cases, fill_value=0)
        possible = size * (size - 1) if directed else size * (size - 1) / 2
        return (n_t / possible.where(possible > 0)).astype(float)

    dens_a, dens_b = density(ties_from, size_a), density(ties_to, size_b)
    out = pd.DataFrame(
        {
            "case_id": cases,
            "wave_from": wave_from,
            "wave_to": wave_to,
            "n_common_actors": m.to_numpy(),
            "n00": n00.to_numpy(),
            "n01": n01.to_numpy(),
            "n10": n10.to_numpy(),
            "n11": n11.to_numpy(),
            "hamming": (n01 + n10).to_numpy(),
            "jaccard": jaccard.to_numpy(),
            "jaccard_low": (jaccard < JACCARD_WARNING).to_numpy(),
            "actors_joined": (size_b - m).to_numpy(),
            "actors_left": (size_a - m).to_numpy(),
            "density_from": dens_a.to_numpy(),
            "density_to": dens_b.to_numpy(),
            "density_change": (dens_b - dens_a).to_numpy(),
        }
    )
    return out
