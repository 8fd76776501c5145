"""Neighbourhood overlap of a tie (Onnela et al. 2007), on the undirected skeleton.

Granovetter's (1973) weak ties bridge otherwise separate parts of a network;
the overlap of a tie measures how much its two ends' neighbourhoods share.

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
    Sociology*, 78(6), 1360–1380.
Onnela, J.-P., Saramäki, J., Hyvönen, J., Szabó, G., Lazer, D., Kaski, K.,
    Kertész, J., & Barabási, A.-L. (2007). Structure and tie strengths in mobile
    communication networks. *PNAS*, 104(18), 7332–7336.

"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.networks import CaseNetwork

__all__ = ["neighbourhood_overlap"]


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
