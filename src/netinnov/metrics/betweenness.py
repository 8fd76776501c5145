"""Shortest-path betweenness of actors (raw counts), exact or sampled."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.networks import CaseNetwork

__all__ = ["betweenness"]


def betweenness(
    net: CaseNetwork,
    *,
    weight: str | None = None,
    exact_max_actors: int = 20000,
    samples: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    r"""Raw (unnormalised) shortest-path betweenness of every actor.

    .. math::

       b(v) = \sum_{s \ne v \ne t} \frac{\sigma_{st}(v)}{\sigma_{st}}

    where :math:`\sigma_{st}` is the number of shortest paths from ``s`` to
    ``t`` and :math:`\sigma_{st}(v)` the number of those passing through
    ``v`` (Freeman 1977; Brandes 2001). In a directed network the sum runs
    over ordered pairs along arcs; in an undirected network over unordered
    pairs, i.e. the ordered-pair sum divided by two. These are the values of
    networkx ``betweenness_centrality(G, normalized=False)``, igraph
    ``Graph.betweenness(directed=...)`` and R sna ``betweenness(g,
    gmode="digraph"/"graph", cmode="directed"/"undirected")``.

    Parameters
    ----------
    net
        The network.
    weight
        ``None`` (default): every tie has length 1. Otherwise a column of
        ``net.ties`` whose values are tie *strengths*; a tie's length is
        ``1 / value``, so stronger ties are shorter. Every value must be
        finite and strictly positive — a tie strength composite that can be
        zero or negative must be rescaled first; anything else raises
        ``ValueError`` rather than silently dropping or shifting ties.
    exact_max_actors
        Networks with at most this many actors get the exact value.
    samples
        Above ``exact_max_actors``: the number ``k`` of pivot sources of the
        sampled estimate (exact when ``k >= n``).
    seed
        Seed of the pivot sample (``numpy.random.default_rng``).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``net.actors`` order) with ``betweenness``
        (float) and ``betweenness_method`` (``"exact"`` or
        ``"sampled(k=…)"``).

    Notes
    -----
    The sampled estimate (Brandes & Pich 2007) draws ``k`` sources
    uniformly without replacement, accumulates their single-source
    dependencies :math:`\delta_{s\bullet}(v)=\sum_t \sigma_{st}(v)/\sigma_{st}`
    (halved when undirected, as the exact value is) and scales the sum by
    ``n / k``; it is unbiased for :math:`b(v)`.

    Isolates and actors on no shortest path have betweenness 0 (the value is
    well defined for them). Shortest paths are computed by igraph's C core;
    with weights, path lengths that agree up to igraph's floating-point
    tolerance count as equally short.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on
    betweenness. *Sociometry* 40(1), 35–41.
    Brandes, U. (2001). A faster algorithm for betweenness centrality.
    *Journal of Mathematical Sociology* 25(2), 163–177.
    Brandes, U., & Pich, C. (2007). Centrality estimation in large
    networks. *International Journal of Bifurcation and Chaos* 17(7),
    2303–2318.
    """
    if samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples}")
    n = net.n
    lengths = _lengths(net, weight)
    if n <= exact_max_actors or samples >= n:
        values = _igraph_betweenness(net, lengths, sources=None)
        method = "exact"
    else:
        rng = np.random.default_rng(seed)
        pivots = np.sort(rng.choice(n, size=samples, replace=False))
        values = _igraph_betweenness(net, lengths, sources=pivots) * (n / samples)
        method = f"sampled(k={samples})"
    return pd.DataFrame(
        {"betweenness": values, "betweenness_method": [method] * n},
        index=net.index.copy(),
    )


def _lengths(net: CaseNetwork, weight: str | None) -> np.ndarray | None:
    """Tie lengths ``1 / value`` in ``ties`` order, or ``None`` for unit lengths."""
    if weight is None or net.n_ties == 0:
        return None
    if weight not in net.ties.columns:
        raise KeyError(f"ties have no column {weight!r} to weight betweenness by")
    values = pd.to_numeric(net.ties[weight], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        raise ValueError(
            f"weighted betweenness needs finite, strictly positive values in {weight!r} "
            f"(tie length = 1 / value); {int(bad.sum())} tie(s) have missing, zero or "
            "negative values — rescale the column to positive values first"
        )
    return 1.0 / values


def _igraph_betweenness(
    net: CaseNetwork, lengths: np.ndarray | None, sources: np.ndarray | None
) -> np.ndarray:
    if net.n == 0:
        return np.zeros(0)
    g = net.igraph()
    kwargs = {"directed": net.directed, "weights": None if lengths is None else lengths.tolist()}
    if sources is not None:
        kwargs["sources"] = sources.tolist()
    return np.asarray(g.betweenness(**kwargs), dtype=float)
