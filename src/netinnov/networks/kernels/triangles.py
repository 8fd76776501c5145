"""Compiled triangle scan: per actor, what happens among the alters it is tied to.

:func:`alter_triangle_sums` visits every triangle of a symmetric CSR graph
once (compact-forward order: each edge points from the end of lower
(degree, index) rank to the higher one, so a triangle is found from its
lowest-ranked vertex and the work is :math:`O(m^{3/2})`). Each triangle
``{x, y, z}`` adds, for each of its three corners taken as the *centre*, the
values of the edge opposite the centre (the tie between two of the centre's
alters). Compiled with numba (``cache=True``) like
:mod:`netinnov.networks.kernels.neighbourhoods`: no Python runs per actor or tie.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["alter_triangle_sums"]

#: Sentinel of an undated edge in the ``time`` array.
UNDATED = np.iinfo(np.int64).min


@njit(cache=True, nogil=True)
def _scan(fwd_ptr, fwd_idx, fwd_pair, n, groups, time, value, out, sides, lo_end, track):  # pragma: no cover - compiled
    mark = np.full(n, -1, dtype=np.int64)
    mark_pair = np.zeros(n, dtype=np.int64)
    undated = np.iinfo(np.int64).min
    for u in range(n):
        for p in range(fwd_ptr[u], fwd_ptr[u + 1]):
            mark[fwd_idx[p]] = u
            mark_pair[fwd_idx[p]] = fwd_pair[p]
        for p in range(fwd_ptr[u], fwd_ptr[u + 1]):
            v = fwd_idx[p]
            e_uv = fwd_pair[p]
            for q in range(fwd_ptr[v], fwd_ptr[v + 1]):
                w = fwd_idx[q]
                if mark[w] != u:
                    continue
                e_vw = fwd_pair[q]
                e_uw = mark_pair[w]
                # the three corners as centre, with (centre, alter, alter, opposite edge, contact edges)
                for c in range(3):
                    if c == 0:
                        x, y, z, opp, a1, a2 = u, v, w, e_vw, e_uv, e_uw
                    elif c == 1:
                        x, y, z, opp, a1, a2 = v, u, w, e_uw, e_uv, e_vw
                    else:
                        x, y, z, opp, a1, a2 = w, u, v, e_uv, e_uw, e_vw
                    out[x, 0] += 1.0
                    out[x, 1] += value[opp]
                    gy, gz = groups[y], groups[z]
                    if gy >= 0 and gz >= 0 and gy != gz:
                        t, t1, t2 = time[opp], time[a1], time[a2]
                        if t == undated or t1 == undated or t2 == undated:
                            out[x, 4] += 1.0
                            bit = 4
                        elif t >= max(t1, t2):
                            out[x, 2] += 1.0
                            bit = 1
                        else:
                            out[x, 3] += 1.0
                            bit = 2
                        # the centre's contact ties to both alters: side 0 when
                        # the centre is the pair's lower end
                        if not track:
                            continue
                        sides[a1, 0 if lo_end[a1] == x else 1] |= bit
                        sides[a2, 0 if lo_end[a2] == x else 1] |= bit


def alter_triangle_sums(
    indptr: np.ndarray,
    indices: np.ndarray,
    pair_of_entry: np.ndarray,
    groups: np.ndarray,
    time: np.ndarray,
    value: np.ndarray,
    lower_end: np.ndarray | None = None,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""Per actor: the ties among its alters, their values and timing.

    For actor :math:`x` with alters :math:`N(x)` and the ties
    :math:`E_x = \{\{y, z\} \in E : y, z \in N(x)\}` among them, the columns are

    0. :math:`|E_x|` (the triangles at :math:`x`);
    1. :math:`\sum_{e \in E_x} v_e`;
    2. cross-group ties among the alters (:math:`g_y \ne g_z`, both known)
       that are dated no earlier than both of :math:`x`'s contacts with
       them, :math:`t_{yz} \ge \max(t_{xy}, t_{xz})`;
    3. the same, dated earlier;
    4. the same, where one of the three ties is undated.

    Parameters
    ----------
    indptr, indices
        CSR arrays of a binary symmetric adjacency (sorted indices, no
        self-loops), as :attr:`netinnov.networks.CaseNetwork.symmetric`.
    pair_of_entry
        For each stored entry, the index of its undirected pair (both
        entries of an edge share one).
    groups
        Group code per actor (-1 unknown).
    time
        Per pair, an int64 time stamp (:data:`UNDATED` when unknown).
    value
        Per pair, a float value.
    lower_end
        Optional: per pair, its lower-index end. When given, also return the
        introductions per pair side (see Returns).

    Returns
    -------
    numpy.ndarray or tuple
        ``(n, 5)`` float array; with ``lower_end`` also an ``(m, 2)`` int64
        array: for pair :math:`\{x, y\}` (column 0: :math:`x` its lower
        end is the centre, column 1: the higher end is), the bitwise OR over
        the cross-group ties :math:`\{y, z\}` with :math:`z \in N(x)` of 1
        (dated no earlier than both of :math:`x`'s contacts), 2 (earlier) and
        4 (one of the three ties undated) — whether :math:`x` brought its
        alter :math:`y` together with another of its alters of another group.
    """
    n = len(indptr) - 1
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    degree = np.diff(indptr)
    row = np.repeat(np.arange(n, dtype=np.int64), degree)
    # rank by (degree, index): an edge points to its higher-ranked end
    forward = (degree[indices] > degree[row]) | ((degree[indices] == degree[row]) & (indices > row))
    fwd_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[forward], minlength=n), out=fwd_ptr[1:])
    out = np.zeros((n, 5), dtype=np.float64)
    m = len(lower_end) if lower_end is not None else 0
    sides = np.zeros((max(m, 1), 2), dtype=np.int64)
    lo_end = np.asarray(lower_end, dtype=np.int64) if m else np.zeros(1, dtype=np.int64)
    if n == 0 or not forward.any():
        return out if lower_end is None else (out, sides[:m])
    _scan(
        fwd_ptr,
        indices[forward],
        np.asarray(pair_of_entry, dtype=np.int64)[forward],
        n,
        np.asarray(groups, dtype=np.int64),
        np.asarray(time, dtype=np.int64),
        np.asarray(value, dtype=np.float64),
        out,
        sides,
        lo_end,
        m > 0,
    )
    return out if lower_end is None else (out, sides[:m])
