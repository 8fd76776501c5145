"""Local bridges and their span (Granovetter 1973; Easley & Kleinberg 2010, ch. 3).

A local bridge is a tie whose ends share no neighbour; its span is how far
apart the ends would be without it. Computed on the undirected skeleton of a
case network.

References
----------
Easley, D., & Kleinberg, J. (2010). *Networks, Crowds, and Markets*.
    Cambridge University Press, ch. 3.
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
    Sociology*, 78(6), 1360–1380.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.metrics.overlap import _overlap_and_common
from netinnov.networks import CaseNetwork
from netinnov.networks.kernels.neighbourhoods import bridge_entries, pair_distances

__all__ = ["local_bridges"]


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
       (:func:`netinnov.networks.kernels.neighbourhoods.bridge_entries`);
    3. the other local bridges by a compiled bidirectional breadth-first
       search per tie in :math:`G - \{a, b\}`
       (:func:`netinnov.networks.kernels.neighbourhoods.pair_distances`): balls grow
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
