"""Shortest-path betweenness of actors (raw counts), exact or sampled."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pandas as pd

from netinnov.metrics.betweenness_workers import block_betweenness as _block_betweenness
from netinnov.metrics.betweenness_workers import init_worker as _init_worker
from netinnov.networks import CaseNetwork

__all__ = ["BLOCKS", "SPLIT_MIN_ACTORS", "available_cores", "betweenness"]

#: From this many actors, the sources of Brandes' algorithm are split into
#: :data:`BLOCKS` fixed blocks whose dependencies are summed (in block order),
#: and the blocks run in parallel worker processes. Below it one igraph call
#: is faster than starting workers.
SPLIT_MIN_ACTORS = 5000
#: Blocks of sources of a split computation: fixed (source ``s`` is in block
#: ``s mod BLOCKS``), so the result does not depend on the number of workers.
BLOCKS = 32


def betweenness(
    net: CaseNetwork,
    *,
    weight: str | None = None,
    exact_max_actors: int = 20000,
    samples: int = 1000,
    seed: int = 0,
    workers: int | None = None,
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
    workers
        Processes for a network of at least :data:`SPLIT_MIN_ACTORS` actors
        (``None``: the cores this process may use, :func:`available_cores`).
        The value does not depend on it (see Notes). The workers are
        started with ``spawn``, so a script that calls this with more than
        one worker must keep its own code under
        ``if __name__ == "__main__":`` (Python's rule for spawned processes:
        they import the script); ``workers=1`` stays in this process.

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

    Brandes' accumulation is a sum over sources, :math:`b(v) = \sum_s
    \delta_{s\bullet}(v)` (halved when undirected), so from
    :data:`SPLIT_MIN_ACTORS` actors on the sources are split into
    :data:`BLOCKS` fixed blocks (source :math:`s` in block :math:`s \bmod
    32`), each block's dependencies are computed by igraph with ``sources=``
    that block (in parallel worker processes), and the blocks' sums are added
    in block order. The split is the same for any number of workers, so the
    value is too (it equals igraph's single call up to floating-point
    rounding, ``tests/metrics/test_betweenness.py``).

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
    workers = available_cores() if workers is None else max(1, int(workers))
    if n <= exact_max_actors or samples >= n:
        values = _igraph_betweenness(net, lengths, sources=None, workers=workers)
        method = "exact"
    else:
        rng = np.random.default_rng(seed)
        pivots = np.sort(rng.choice(n, size=samples, replace=False))
        values = _igraph_betweenness(net, lengths, sources=pivots, workers=workers) * (n / samples)
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


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system
    tells it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _igraph_betweenness(
    net: CaseNetwork, lengths: np.ndarray | None, sources: np.ndarray | None, workers: int = 1
) -> np.ndarray:
    if net.n == 0:
        return np.zeros(0)
    g = net.igraph()
    if net.n >= SPLIT_MIN_ACTORS:
        chosen = np.arange(net.n) if sources is None else np.asarray(sources)
        return _split_betweenness(g, net.directed, lengths, chosen, workers)
    kwargs = {"directed": net.directed, "weights": None if lengths is None else lengths.tolist()}
    if sources is not None:
        kwargs["sources"] = sources.tolist()
    return np.asarray(g.betweenness(**kwargs), dtype=float)


def _split_betweenness(g, directed: bool, lengths: np.ndarray | None, sources: np.ndarray, workers: int) -> np.ndarray:
    """Betweenness from ``sources`` as the sum of the :data:`BLOCKS` fixed
    blocks' dependencies (in block order), the blocks spread over ``workers``
    processes."""
    blocks = [sources[sources % BLOCKS == b] for b in range(BLOCKS)]
    blocks = [b for b in blocks if len(b)]
    graph = (g.vcount(), np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2), directed, lengths)
    if workers <= 1 or len(blocks) < 2:
        weights = None if lengths is None else lengths.tolist()
        parts = [_block_betweenness(b, g, weights) for b in blocks]
    else:
        # spawn: the workers start clean (no copy of a parent holding threads of numba or BLAS)
        with ProcessPoolExecutor(
            max_workers=min(workers, len(blocks)), mp_context=get_context("spawn"),
            initializer=_init_worker, initargs=graph,
        ) as pool:  # fmt: skip
            parts = list(pool.map(_block_betweenness, blocks))
    total = np.zeros(g.vcount())
    for part in parts:  # block order, whatever the number of workers
        total += part
    return total
