"""Tie-level metrics: strength, strong/weak class, neighbourhood overlap, local bridges, in one place.

Tie strength and the strong/weak class (Granovetter 1973; Marsden & Campbell
1984; 2012: a composite of a tie's indicators on fixed scales) live in
:mod:`netinnov.metrics.tie_strength` and are re-exported here. The structural
measures follow Granovetter's idea that weak ties bridge otherwise separate
parts of a network: the neighbourhood overlap of Onnela et al. (2007) and the
local bridges and their span (Granovetter 1973; Easley & Kleinberg 2010,
ch. 3), computed on the undirected skeleton of a case network, in
:mod:`netinnov.metrics.overlap` and :mod:`netinnov.metrics.local_bridges`
(all re-exported here); :func:`tie_metrics` computes them together.

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

import pandas as pd

from netinnov.metrics.local_bridges import _local_bridges, local_bridges
from netinnov.metrics.overlap import _overlap_and_common, neighbourhood_overlap
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
