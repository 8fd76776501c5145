"""Size, degree and density.

Definitions follow Wasserman & Faust (1994), *Social Network Analysis*,
sections 4.2 and 4.3.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.networks import CaseNetwork

__all__ = ["degrees", "density"]


def degrees(net: CaseNetwork, *, weight: str | None = "weight") -> pd.DataFrame:
    r"""Degree and weighted degree of every actor.

    ``degree`` is the number of distinct alters on the undirected skeleton,
    :math:`d_i = \sum_j s_{ij}` with :math:`S = A \lor A^\top`.
    ``weighted_degree`` (strength in Barrat et al. 2004) sums the tie values
    of ``weight`` over the actor's ties in both directions,
    :math:`w_i = \sum_j (w_{ij} + w_{ji})` for directed networks and
    :math:`\sum_j w_{ij}` for undirected ones. Directed networks also get
    ``in_degree`` and ``out_degree`` (number of arcs received and sent).
    Isolates have degree 0.
    """
    out = pd.DataFrame(index=net.index)
    out["degree"] = np.asarray(net.symmetric.sum(axis=1)).ravel().astype(np.int64)
    w = net.matrix(weight) if weight is not None else net.adjacency
    total = np.asarray(w.sum(axis=1)).ravel()
    if net.directed:
        total = total + np.asarray(w.sum(axis=0)).ravel()
        out["in_degree"] = np.asarray(net.adjacency.sum(axis=0)).ravel().astype(np.int64)
        out["out_degree"] = np.asarray(net.adjacency.sum(axis=1)).ravel().astype(np.int64)
    out["weighted_degree"] = total
    return out


def density(net: CaseNetwork) -> float:
    r"""Density: ties over possible ties.

    :math:`L / (n(n-1)/2)` for undirected and :math:`L / (n(n-1))` for
    directed networks, with :math:`L` ties (arcs); NaN for fewer than two
    actors. Isolates on the roster count in :math:`n`.
    """
    n = net.n
    if n < 2:
        return float("nan")
    possible = n * (n - 1) if net.directed else n * (n - 1) / 2
    return float(net.n_ties / possible)
