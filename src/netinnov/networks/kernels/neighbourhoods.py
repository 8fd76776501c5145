"""Compiled neighbourhood searches on a CSR graph: common neighbours and spans.

Kernels whose cost is the neighbourhoods they touch, compiled with numba
(LLVM) so that no Python runs per node or per tie:

- :func:`edge_common_counts`: the common neighbours of the two ends of every
  edge, ``(S @ S)[i, j]`` at the stored entries of a symmetric ``S``;
- :func:`bridge_entries`: the edges whose removal disconnects their ends;
- :func:`pair_distances`: ``d(u_k, v_k)`` in the graph without the edge
  ``{u_k, v_k}``, by a bidirectional breadth-first search per pair;
- :func:`closed_two_paths`: for every broker ``v``, the two-paths
  ``a → v → b`` of a directed graph that the arc ``a → b`` closes, by the
  pattern of group equalities among ``a``, ``v`` and ``b``.

The first three take the CSR arrays (``indptr``, ``indices``) of a binary
symmetric adjacency with sorted indices, no duplicates and no self-loops, as
:attr:`netinnov.networks.CaseNetwork.symmetric` is. Compiled code is cached
on disk (``cache=True``), so a process pays the compilation once per
installation, not per call.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["bridge_entries", "closed_two_paths", "edge_common_counts", "pair_distances"]


@njit(cache=True, nogil=True)
def _edge_common_counts(indptr, indices, degree):  # pragma: no cover - compiled
    n = len(indptr) - 1
    out = np.zeros(len(indices), dtype=np.float64)
    mark = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        lo, hi = indptr[i], indptr[i + 1]
        for p in range(lo, hi):
            mark[indices[p]] = i
        for p in range(lo, hi):
            j = indices[p]
            # each edge once, at the end with the larger degree: the scan of
            # the other end's row then costs min(k_i, k_j)
            if degree[j] > degree[i] or (degree[j] == degree[i] and j < i):
                continue
            count = 0
            for q in range(indptr[j], indptr[j + 1]):
                if mark[indices[q]] == i:
                    count += 1
            out[p] = count
            out[_entry(indptr, indices, j, i)] = count  # the mirror entry (j, i)
    return out


@njit(cache=True, nogil=True)
def _entry(indptr, indices, row, col):  # pragma: no cover - compiled
    """Position of ``(row, col)`` among the stored entries: binary search in the sorted row."""
    lo, hi = indptr[row], indptr[row + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if indices[mid] < col:
            lo = mid + 1
        else:
            hi = mid
    return lo


def edge_common_counts(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    r"""Common neighbours of the ends of every stored edge, aligned with ``indices``.

    For the stored entry ``(i, j)`` the value is

    .. math::

        n_{ij} = |N(i) \cap N(j)| = (S^2)_{ij},

    the number of triangles on the edge. Each edge is counted once, at its
    end of larger degree: that end's neighbours are marked and the other
    end's row is scanned, so an edge costs :math:`\min(k_i, k_j)` and the whole
    graph :math:`\sum_{\{i,j\}} \min(k_i, k_j)`, at most the number of
    two-paths; memory is one marker per node. The value is written to both
    ``(i, j)`` and ``(j, i)``.
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    degree = np.diff(indptr)
    return _edge_common_counts(indptr, indices, degree)


@njit(cache=True, nogil=True)
def _expand(
    indptr, indices, frontier, size, seen, seen_other, stamp, a, b, out
):  # pragma: no cover
    """One level of one side: returns (new size, met, cost of the new level)."""
    count = 0
    cost = 0
    for f in range(size):
        x = frontier[f]
        for p in range(indptr[x], indptr[x + 1]):
            y = indices[p]
            if (x == a and y == b) or (x == b and y == a):
                continue  # the removed edge
            if seen_other[y] == stamp:
                return count, True, cost
            if seen[y] != stamp:
                seen[y] = stamp
                out[count] = y
                count += 1
                cost += indptr[y + 1] - indptr[y]
    return count, False, cost


@njit(cache=True, nogil=True)
def _pair_distances(indptr, indices, u, v):  # pragma: no cover - compiled
    n = len(indptr) - 1
    result = np.full(len(u), np.inf)
    seen_u = np.full(n, -1, dtype=np.int64)
    seen_v = np.full(n, -1, dtype=np.int64)
    front_u = np.empty(n, dtype=np.int64)
    front_v = np.empty(n, dtype=np.int64)
    spare = np.empty(n, dtype=np.int64)
    for k in range(len(u)):
        a, b = u[k], v[k]
        seen_u[a] = k
        seen_v[b] = k
        front_u[0] = a
        front_v[0] = b
        size_u, size_v = 1, 1
        cost_u = indptr[a + 1] - indptr[a]
        cost_v = indptr[b + 1] - indptr[b]
        radius = 0  # r_u + r_v: the balls are disjoint, so d > radius
        while True:
            if cost_u <= cost_v:
                size, met, cost = _expand(
                    indptr, indices, front_u, size_u, seen_u, seen_v, k, a, b, spare
                )
                front_u, spare = spare, front_u
                size_u, cost_u = size, cost
            else:
                size, met, cost = _expand(
                    indptr, indices, front_v, size_v, seen_v, seen_u, k, a, b, spare
                )
                front_v, spare = spare, front_v
                size_v, cost_v = size, cost
            radius += 1
            if met:
                result[k] = radius
                break
            if size == 0:  # one side is exhausted: no path, the distance stays inf
                break
    return result


def pair_distances(indptr: np.ndarray, indices: np.ndarray, u, v) -> np.ndarray:
    r"""``d_{G - \{u_k, v_k\}}(u_k, v_k)`` for every pair ``k``: the span of a tie.

    A bidirectional breadth-first search per pair, in the graph without the
    edge between the two (if there is one). Balls grow around both ends one
    level at a time, always on the side whose next level is cheaper (the
    summed degree of its frontier). Balls of radii :math:`r, s` that share no
    node prove :math:`d > r + s`; when a node reached from one side is already
    in the other ball, the distance is :math:`r + s + 1`, and the search stops
    at once. A side with nothing left to visit means no path: ``inf``.

    Cost: the edges inside the two balls; for a local bridge of span 3 at
    most :math:`k_a + k_b + \sum_{x \in N(a)} k_x`. Memory: three node-sized
    work arrays, reused from pair to pair (visit marks are stamped with the
    pair's number, never cleared).

    Returns
    -------
    numpy.ndarray
        Float distances (``inf`` where no path remains).
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    if len(u) != len(v):
        raise ValueError("pair_distances: u and v differ in length")
    return _pair_distances(indptr, indices, u, v)


@njit(cache=True, nogil=True)
def _bridge_entries(indptr, indices):  # pragma: no cover - compiled
    n = len(indptr) - 1
    flags = np.zeros(len(indices), dtype=np.bool_)
    disc = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    parent = np.full(n, -1, dtype=np.int64)
    entered_by = np.full(n, -1, dtype=np.int64)  # stored entry (parent, node) of the tree edge
    cursor = indptr[:-1].copy()
    stack = np.empty(n, dtype=np.int64)
    timer = 0
    for root in range(n):
        if disc[root] != -1:
            continue
        disc[root] = low[root] = timer
        timer += 1
        top = 0
        stack[0] = root
        while top >= 0:
            x = stack[top]
            if cursor[x] < indptr[x + 1]:
                y = indices[cursor[x]]
                cursor[x] += 1
                if disc[y] == -1:
                    parent[y] = x
                    entered_by[y] = cursor[x] - 1
                    disc[y] = low[y] = timer
                    timer += 1
                    top += 1
                    stack[top] = y
                elif y != parent[x]:  # no parallel edges: skipping the parent once is exact
                    low[x] = min(low[x], disc[y])
            else:
                top -= 1
                if top >= 0:
                    p = stack[top]
                    low[p] = min(low[p], low[x])
                    if low[x] > disc[p]:
                        flags[entered_by[x]] = True
                        flags[_entry(indptr, indices, x, p)] = True
    return flags


def bridge_entries(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    r"""Which stored entries are bridges: edges whose removal disconnects their ends.

    Tarjan's (1974) low-link rule in one iterative depth-first search: the
    tree edge from :math:`p` to its child :math:`x` is a bridge iff no edge
    from the subtree of :math:`x` reaches :math:`p` or above,
    :math:`\mathrm{low}(x) > \mathrm{disc}(p)`. Time :math:`O(n + m)`, as
    igraph's ``Graph.bridges``; both entries ``(i, j)`` and ``(j, i)`` are
    flagged.

    References
    ----------
    Tarjan, R. E. (1974). A note on finding the bridges of a graph.
    *Information Processing Letters*, 2(6), 160–161.
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    return _bridge_entries(indptr, indices)


@njit(cache=True, nogil=True)
def _closed_two_paths(out_ptr, out_idx, in_ptr, in_idx, groups):  # pragma: no cover - compiled
    n = len(out_ptr) - 1
    counts = np.zeros((n, 8), dtype=np.int64)
    mark = np.full(n, -1, dtype=np.int64)
    for a in range(n):
        for p in range(out_ptr[a], out_ptr[a + 1]):
            mark[out_idx[p]] = a
        for p in range(out_ptr[a], out_ptr[a + 1]):
            b = out_idx[p]
            for q in range(in_ptr[b], in_ptr[b + 1]):
                v = in_idx[q]  # v → b
                if mark[v] == a:  # a → v → b, closed by a → b
                    pattern = (
                        4 * (groups[a] == groups[v])
                        + 2 * (groups[v] == groups[b])
                        + (groups[a] == groups[b])
                    )
                    counts[v, pattern] += 1
    return counts


def closed_two_paths(
    out_ptr: np.ndarray,
    out_idx: np.ndarray,
    in_ptr: np.ndarray,
    in_idx: np.ndarray,
    groups: np.ndarray,
) -> np.ndarray:
    r"""Closed two-paths per broker, by the pattern of group equalities.

    For every arc :math:`a \to b` and every :math:`v` with
    :math:`a \to v \to b`, adds one to ``counts[v, p]`` with
    :math:`p = 4[g_a = g_v] + 2[g_v = g_b] + [g_a = g_b]`. The arrays are the
    CSR of the adjacency (rows: out-neighbours) and of its transpose (rows:
    in-neighbours), with no self-loops. The out-neighbours of :math:`a` are
    marked once, then the in-neighbours of each :math:`b` are scanned: time
    :math:`\sum_b k^{in}_b{}^2`, memory one marker per node.

    Returns
    -------
    numpy.ndarray
        ``(n, 8)`` integer counts.
    """
    return _closed_two_paths(
        np.asarray(out_ptr, dtype=np.int64),
        np.asarray(out_idx, dtype=np.int64),
        np.asarray(in_ptr, dtype=np.int64),
        np.asarray(in_idx, dtype=np.int64),
        np.asarray(groups, dtype=np.int64),
    )
