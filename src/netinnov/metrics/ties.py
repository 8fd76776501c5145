"""Tie-level metrics: strength, strong/weak class, neighbourhood overlap, local bridges.

Tie strength and the strong/weak class (Granovetter 1973; Marsden & Campbell
1984; 2012: a composite of a tie's indicators on fixed scales) live in
:mod:`netinnov.metrics.tie_strength` and are re-exported here. The structural
measures follow Granovetter's idea that weak ties bridge otherwise separate
parts of a network: the neighbourhood overlap of Onnela et al. (2007) and the
local bridges and their span (Granovetter 1973; Easley & Kleinberg 2010,
ch. 3), computed on the undirected skeleton of a case network.

References
----------
Easley, D., & Kleinberg, J. (2010). *Networks, Crowds, and Markets*.
    Cambridge University Press, ch. 3.
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
    Sociology*, 78(6), 1360–1380.
Marsden, P. V., & Campbell, K. E. (1984). Measuring tie strength. *Social
    Forces*, 63(2), 482–501.
Marsden, P. V., & Campbell, K. E. (2012). Reflections on conceptualizing and
    measuring tie strength. *Social Forces*, 91(1), 17–23.
Onnela, J.-P., Saramäki, J., Hyvönen, J., Szabó, G., Lazer, D., Kaski, K.,
    Kertész, J., & Barabási, A.-L. (2007). Structure and tie strengths in mobile
    communication networks. *PNAS*, 104(18), 7332–7336.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.metrics._neighbourhoods import bridge_entries, pair_distances
from netinnov.metrics.tie_strength import (
    DEFAULT_TIE_STRENGTH_ANCHORS,
    DEFAULT_TIE_STRENGTH_WEIGHTS,
    classify_ties,
    rescaled_indicators,
    tie_strength,
)
from netinnov.networks import CaseNetwork

__all__ = [
    "DEFAULT_TIE_STRENGTH_ANCHORS",
    "DEFAULT_TIE_STRENGTH_WEIGHTS",
    "classify_ties",
    "local_bridges",
    "neighbourhood_overlap",
    "rescaled_indicators",
    "tie_metrics",
    "tie_strength",
]

# ------------------------------------------------------------------ skeleton helpers
def _edge_of_tie(net: CaseNetwork, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """For every tie, the index of its unordered pair among the skeleton edges ``(rows, cols)``."""
    src = net.ties["source_index"].to_numpy(dtype=np.int64)
    tgt = net.ties["target_index"].to_numpy(dtype=np.int64)
    n = np.int64(net.n)
    keys = rows * n + cols  # sorted: the edges come sorted by (i, j)
    return np.searchsorted(keys, np.minimum(src, tgt) * n + np.maximum(src, tgt))


# ------------------------------------------------------------------------- overlap
def neighbourhood_overlap(net: CaseNetwork) -> pd.Series:
    r"""Neighbourhood overlap of every tie (Onnela et al. 2007).

    On the undirected skeleton, for the tie between :math:`i` and :math:`j`,

    .. math::

        O_{ij} = \frac{n_{ij}}{(k_i - 1) + (k_j - 1) - n_{ij}},

    with :math:`n_{ij}` the number of common neighbours and :math:`k` the
    degree: the share of the two actors' other contacts that they share.
    :math:`O_{ij} = 0` exactly when the tie is a local bridge.

    Edge cases: the denominator is 0 only when both endpoints have degree 1
    (a dyad cut off from everything else); the overlap is then 0/0 and
    reported as NaN. In a directed network every arc gets the value of its
    unordered pair.

    Complexity: the common neighbours are ``net.edge_common``, computed once
    per network as :math:`(S^2)_{ij}` at the edges of the skeleton :math:`S`
    only, by a compiled scan of cost :math:`\sum_{\{i,j\}} \min(k_i, k_j)`
    (at most the number of two-paths) and memory of the edges.

    Parameters
    ----------
    net
        A case network.

    Returns
    -------
    pandas.Series
        ``overlap`` (float in [0, 1] or NaN), aligned with ``net.ties``.

    References
    ----------
    Onnela et al. (2007), see the module docstring.
    """
    return _overlap_and_common(net)[0]


def _overlap_and_common(net: CaseNetwork) -> tuple[pd.Series, np.ndarray, tuple]:
    rows, cols, common = net.skeleton_edges
    edge_of_tie = _edge_of_tie(net, rows, cols)
    degree = np.diff(net.symmetric.indptr).astype(float)
    denominator = (degree[rows] - 1) + (degree[cols] - 1) - common
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = np.where(
            denominator > 0, common / np.where(denominator > 0, denominator, 1), np.nan
        )
    series = pd.Series(overlap[edge_of_tie], index=net.ties.index, name="overlap", dtype=float)
    return series, common, (rows, cols, edge_of_tie)


# ------------------------------------------------------------------ local bridges
def local_bridges(net: CaseNetwork) -> pd.DataFrame:
    r"""Local bridges and their span, on the undirected skeleton.

    A tie :math:`\{i, j\}` is a *local bridge* when its endpoints have no
    common neighbour (it lies on no triangle). Its *span* is the length of a
    shortest path between :math:`i` and :math:`j` once the tie is removed,

    .. math::

        \text{span}_{ij} = d_{G - \{i,j\}}(i, j),

    infinite when the tie is a bridge (its removal disconnects the two
    actors). Local bridges and spans match
    ``networkx.local_bridges(G, with_span=True)`` on the skeleton exactly.
    networkx reports only local bridges; here every tie gets a span: a tie
    that is not a local bridge has span 2 (a common neighbour is a path of
    length 2 once the tie is gone), so ``span > 2`` if and only if
    ``local_bridge``. In a directed network every arc gets the values of its
    unordered pair.

    Algorithm and complexity (:math:`m` ties, :math:`k` degrees, :math:`S`
    the binary skeleton):

    1. common neighbours :math:`n_{ab} = (S^2)_{ab}` at the edges only
       (``net.edge_common``, shared with the overlap; a compiled scan of
       cost :math:`\sum_{\{a,b\}} \min(k_a, k_b)`, never the two-hop matrix);
    2. bridges (span :math:`\infty`) by Tarjan's linear-time bridge search
       (:func:`netinnov.metrics._neighbourhoods.bridge_entries`);
    3. the other local bridges by a compiled bidirectional breadth-first
       search per tie in :math:`G - \{a, b\}`
       (:func:`netinnov.metrics._neighbourhoods.pair_distances`): balls grow
       around both ends, a level at a time on the cheaper side, and the search
       stops as soon as they touch. Span 3 costs at most
       :math:`k_a + k_b + \sum_{x \in N(a)} k_x`; a longer span costs the
       edges inside the two balls, :math:`O(m)` in the worst case (long
       cycles), but only ties on no triangle reach this step.

    The result does not depend on the order of the steps: each is exact for
    the ties it settles, and step 3 alone would give the same answer.

    Parameters
    ----------
    net
        A case network.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``net.ties``: ``local_bridge`` (bool) and ``span``
        (float: 2.0 for ties that are not local bridges, an integer value
        :math:`\ge 3` or ``inf`` for local bridges).

    References
    ----------
    Granovetter (1973); Easley & Kleinberg (2010, ch. 3) — see the module
    docstring.
    """
    _, common, skeleton = _overlap_and_common(net)
    return _local_bridges(net, common, skeleton)


def _local_bridges(net: CaseNetwork, common: np.ndarray, skeleton: tuple) -> pd.DataFrame:
    rows, cols, edge_of_tie = skeleton
    is_local = common == 0
    span = np.where(is_local, np.nan, 2.0)
    candidates = np.flatnonzero(is_local)
    if len(candidates):
        span[candidates] = _local_bridge_spans(net, rows, cols, candidates)
    return pd.DataFrame(
        {"local_bridge": is_local[edge_of_tie], "span": span[edge_of_tie]},
        index=net.ties.index,
    )


def _local_bridge_spans(
    net: CaseNetwork, rows: np.ndarray, cols: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """Spans (>= 3) of the skeleton edges ``candidates``, whose ends share no neighbour."""
    sym = net.symmetric
    # bridges first, in linear time: a search would walk a whole side
    is_bridge = bridge_entries(sym.indptr, sym.indices)[net.upper_entries]
    bridge = is_bridge[candidates]
    span = np.full(len(candidates), np.inf)
    todo = candidates[~bridge]
    span[~bridge] = pair_distances(sym.indptr, sym.indices, rows[todo], cols[todo])
    return span


# -------------------------------------------------------------------- convenience
def tie_metrics(net: CaseNetwork) -> pd.DataFrame:
    """Overlap, local bridge and span of every tie of a case network.

    Computes the common neighbours once and shares them between
    :func:`neighbourhood_overlap` and :func:`local_bridges`.

    Parameters
    ----------
    net
        A case network.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``net.ties``: ``overlap`` (float, NaN for a lone dyad),
        ``local_bridge`` (bool) and ``span`` (float; 2.0 for ties on a
        triangle, inf for bridges).
    """
    overlap, common, skeleton = _overlap_and_common(net)
    bridges = _local_bridges(net, common, skeleton)
    return pd.concat([overlap, bridges], axis=1)
