"""The worker side of the split betweenness (:mod:`netinnov.metrics.betweenness`).

Imports numpy and igraph only: a worker process is started with ``spawn``
and unpickles these functions by module name, so it starts without pandas or
the rest of netinnov (about 0.4 s less per worker).
"""

from __future__ import annotations

import numpy as np

__all__ = ["block_betweenness", "init_worker"]

_WORKER: dict = {}


def init_worker(n: int, edges: np.ndarray, directed: bool, lengths: np.ndarray | None) -> None:
    """Build the igraph graph of the network once per worker process."""
    import igraph as ig

    _WORKER["graph"] = ig.Graph(n=n, edges=edges.tolist(), directed=directed)
    _WORKER["weights"] = None if lengths is None else lengths.tolist()


def block_betweenness(block: np.ndarray, g=None, weights: list | None = None) -> np.ndarray:
    """One block's summed dependencies (igraph's betweenness with ``sources=``
    the block), on ``g`` or the worker process's graph."""
    if g is None:
        g, weights = _WORKER["graph"], _WORKER["weights"]
    return np.asarray(g.betweenness(directed=g.is_directed(), weights=weights, sources=block.tolist()), dtype=float)
