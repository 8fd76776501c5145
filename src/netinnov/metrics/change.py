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

:func:`tie_class_transitions` splits the same dyads by the tie class of
``ties.csv`` (``strong`` / ``weak``): maintained ties that turned from weak
to strong and back, kept their class, and formed or dissolved ties by the
class they had in the wave where they existed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["JACCARD_WARNING", "TRANSITION_COLUMNS", "tie_change", "tie_class_transitions"]

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


#: Columns of :func:`tie_class_transitions` (``panel/tie_transitions.csv``).
TRANSITION_COLUMNS = [
    "case_id", "wave_from", "wave_to", "weak_to_strong", "strong_to_weak", "strong_kept", "weak_kept",
    "formed", "dissolved", "formed_strong", "formed_weak", "dissolved_strong", "dissolved_weak",
]


def _rosters(actors_from: pd.DataFrame, actors_to: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The cases present in both waves and the (case, actor) pairs present in both."""
    ra = actors_from[["case_id", "actor_id"]].astype(str).drop_duplicates()
    rb = actors_to[["case_id", "actor_id"]].astype(str).drop_duplicates()
    cases = sorted(set(ra["case_id"]) & set(rb["case_id"]))
    both = ra[ra["case_id"].isin(cases)].merge(rb[rb["case_id"].isin(cases)], on=["case_id", "actor_id"])
    return cases, both


def _classed_dyads(ties: pd.DataFrame, both: pd.DataFrame, directed: bool) -> pd.DataFrame:
    """Ties among the common actors, one row per dyad, with their tie class (text, may be missing)."""
    cls = ties["tie_class"] if "tie_class" in ties.columns else pd.Series(np.nan, index=ties.index)
    d = ties[["case_id", "source", "target"]].astype(str)
    if not directed:
        s, t = d["source"].to_numpy(dtype=object), d["target"].to_numpy(dtype=object)
        swap = s > t
        d = d.assign(source=np.where(swap, t, s), target=np.where(swap, s, t))
    d = d.assign(tie_class=cls.astype("string").to_numpy(dtype=object))
    d = d.drop_duplicates(["case_id", "source", "target"])
    key = both[["case_id", "actor_id"]]
    d = d.merge(key.rename(columns={"actor_id": "source"}), on=["case_id", "source"])
    d = d.merge(key.rename(columns={"actor_id": "target"}), on=["case_id", "target"])
    return d


def tie_class_transitions(
    ties_from: pd.DataFrame,
    ties_to: pd.DataFrame,
    actors_from: pd.DataFrame,
    actors_to: pd.DataFrame,
    *,
    directed: bool,
    wave_from: str,
    wave_to: str,
) -> pd.DataFrame:
    r"""Transitions of ties between the strong and the weak class from one wave to the next.

    On the dyads among the actors present in both waves (the same dyads as
    :func:`tie_change`), each dyad is in one of three states per wave: no
    tie, weak tie, strong tie (``tie_class`` of ``ties.csv``). The counts are

    * ``weak_to_strong``, ``strong_to_weak``: ties present in both waves
      whose class changed; ``strong_kept``, ``weak_kept``: ties that kept
      their class — the four add up to ``n11`` of :func:`tie_change` when
      every tie has a class;
    * ``formed`` (:math:`= n_{01}`) and ``dissolved`` (:math:`= n_{10}`),
      split by the class of the tie in the wave where it exists into
      ``formed_strong``/``formed_weak`` and ``dissolved_strong``/``dissolved_weak``.

    The classes are those of each wave's own classification (``tie_class``
    config: a within-case split or a fixed threshold on the standardised
    strength), so a tie that changes class changed its strength *relative to*
    the case's other ties in that wave. Granovetter (1973) and Sørensen &
    Torfing (2011) motivate the distinction; the transition table is the
    tie-level analogue of the dyad census of Snijders, van de Bunt & Steglich
    (2010).

    Parameters
    ----------
    ties_from, ties_to
        ``ties.csv`` of the two waves (``case_id, source, target, tie_class``);
        a missing ``tie_class`` column or value leaves the tie out of the
        class-specific counts (it still counts in ``formed``/``dissolved``).
    actors_from, actors_to
        ``actors.csv`` of the two waves (``case_id, actor_id``): each case's roster.
    directed
        Arcs (ordered dyads) or unordered pairs.

    Returns
    -------
    DataFrame
        One row per case present in both waves, columns :data:`TRANSITION_COLUMNS`.
    """
    cases, both = _rosters(actors_from, actors_to)
    da, db = _classed_dyads(ties_from, both, directed), _classed_dyads(ties_to, both, directed)
    m = da.merge(db, on=["case_id", "source", "target"], how="outer", suffixes=("_a", "_b"), indicator=True)
    ca = m["tie_class_a"].astype("string").fillna("").to_numpy(dtype=object)
    cb = m["tie_class_b"].astype("string").fillna("").to_numpy(dtype=object)
    in_a = (m["_merge"] != "right_only").to_numpy()
    in_b = (m["_merge"] != "left_only").to_numpy()
    kept = in_a & in_b
    flags = {
        "weak_to_strong": kept & (ca == "weak") & (cb == "strong"),
        "strong_to_weak": kept & (ca == "strong") & (cb == "weak"),
        "strong_kept": kept & (ca == "strong") & (cb == "strong"),
        "weak_kept": kept & (ca == "weak") & (cb == "weak"),
        "formed": ~in_a & in_b,
        "dissolved": in_a & ~in_b,
        "formed_strong": ~in_a & in_b & (cb == "strong"),
        "formed_weak": ~in_a & in_b & (cb == "weak"),
        "dissolved_strong": in_a & ~in_b & (ca == "strong"),
        "dissolved_weak": in_a & ~in_b & (ca == "weak"),
    }
    counts = pd.DataFrame(flags).astype(np.int64)
    counts["case_id"] = m["case_id"].to_numpy()
    out = counts.groupby("case_id").sum().reindex(cases, fill_value=0).astype(np.int64)
    out = out.rename_axis("case_id").reset_index()
    out.insert(1, "wave_from", wave_from)
    out.insert(2, "wave_to", wave_to)
    return out[TRANSITION_COLUMNS]
