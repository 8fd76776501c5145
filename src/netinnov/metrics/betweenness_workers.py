"""The worker side of the split betweenness (:mod:`netinnov.metrics.betweenness`).

Imports numpy and igraph only: a worker process is started with ``spawn``
and unpickles these functions by module name, so it starts without pandas or
the rest of netinnov (about 0.4 s less per worker).
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["block_betweenness", "init_worker"]

_WORKER: dict = {}


def init_worker(n: int, edges: np.ndarray, directed: bool, lengths: np.ndarray | None) -> None:
    """Build the igraph graph of the network once per worker process."""
    ig = _import_igraph()

    _WORKER["graph"] = ig.Graph(n=n, edges=edges.tolist(), directed=directed)
    _WORKER["weights"] = None if lengths is None else lengths.tolist()


def block_betweenness(block: np.ndarray, g=None, weights: list | None = None) -> np.ndarray:
    """One block's summed dependencies (igraph's betweenness with ``sources=``
    the block), on ``g`` or the worker process's graph."""
    if g is None:
        g, weights = _WORKER["graph"], _WORKER["weights"]
    return np.asarray(g.betweenness(directed=g.is_directed(), weights=weights, sources=block.tolist()), dtype=float)


def _import_igraph():
    """``import igraph`` without its matplotlib import: a copy of
    :func:`netinnov.networks.case_network.import_igraph` (a worker imports no
    other netinnov module)."""
    if "igraph" not in sys.modules and "matplotlib" not in sys.modules:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]
        try:
            import igraph  # noqa: F401 - the first import, with matplotlib hidden
        finally:
            del sys.modules["matplotlib"]
    import igraph

    return igraph
