"""Gould–Fernandez brokerage roles, counted as R sna::brokerage counts them."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.contract import BROKERAGE_ROLES
from netinnov.networks import CaseNetwork
from netinnov.networks.kernels.neighbourhoods import closed_two_paths

__all__ = ["BROKERAGE_ROLES", "gould_fernandez"]


_COORD, _ITIN, _REP, _GATE, _LIAISON = range(5)

#: Role of a two-path a → v → b by its pattern 4[g(a) = g(v)] + 2[g(v) = g(b)] +
#: [g(a) = g(b)] (the patterns 3, 5 and 6 are impossible: equality is transitive).
_ROLE_OF_PATTERN = np.array([_LIAISON, _ITIN, _GATE, _LIAISON, _REP, _LIAISON, _LIAISON, _COORD])


def gould_fernandez(
    net: CaseNetwork,
    *,
    z_scores: bool = True,
    unknown_group: Literal["exclude", "group"] = "exclude",
) -> pd.DataFrame:
    r"""Gould–Fernandez brokerage role counts and their z-scores.

    An actor ``v`` brokers every *open two-path* ``a → v → b``: ``a``,
    ``v``, ``b`` distinct, arcs ``a → v`` and ``v → b`` present and the arc
    ``a → b`` absent. Each open two-path is assigned one role by the groups
    :math:`g(\cdot)` (``net.groups``) of its three actors:

    ===================  ===========================  ==========
    role                 groups                       sna name
    ===================  ===========================  ==========
    coordinator          g(a) = g(v) = g(b)            ``w_I``
    itinerant            g(a) = g(b) ≠ g(v)            ``w_O``
    representative       g(a) = g(v) ≠ g(b)            ``b_IO``
    gatekeeper           g(a) ≠ g(v) = g(b)            ``b_OI``
    liaison              g(a), g(v), g(b) all differ   ``b_O``
    ===================  ===========================  ==========

    ``gf_total`` is their sum, the number of open two-paths through ``v``.
    An undirected network is read as its symmetric matrix, so an open pair
    ``a – v – b`` counts twice (``a → v → b`` and ``b → v → a``). These are
    the counts of R sna ``brokerage(g, cl)$raw.nli`` (Gould & Fernandez
    1989).

    Z-scores use sna's null model, in which every arc is present
    independently with the network's density
    :math:`d = m / (N(N-1))` (``m`` arcs, an undirected tie counting as two).
    For a broker in a group of size :math:`n_i`, with :math:`n_j` the sizes
    of the other groups, :math:`\kappa = d^2(1-d)` and
    :math:`\lambda = d^3(1-d)^3`, the expected count :math:`E` and variance
    :math:`V = E(1-\kappa) + 2\lambda\,Q` of each role are

    - coordinator: :math:`E = \kappa (n_i-1)(n_i-2)`,
      :math:`Q = (n_i-1)(n_i-2)(n_i-3)`;
    - itinerant: :math:`E = \kappa \sum_{j\ne i} n_j(n_j-1)`,
      :math:`Q = \sum_{j\ne i} n_j(n_j-1)(n_j-2)`;
    - representative and gatekeeper: :math:`E = \kappa (N-n_i)(n_i-1)`,
      :math:`Q = (n_i-1)\binom{N-n_i}{2} + (N-n_i)\binom{n_i-1}{2}`;
    - liaison: :math:`E = \kappa \bigl[(N-n_i)^2 - \sum_{j\ne i} n_j^2\bigr]`,
      :math:`Q = 2\sum_{j\ne i} n_j \binom{N-n_j-n_i}{2}`;
    - total: :math:`E = \kappa (N-1)(N-2)`, :math:`Q = (N-1)(N-2)(N-3)`;

    and :math:`z = (\text{count} - E)/\sqrt{V}`. Where :math:`V = 0` — the
    role is impossible for the group sizes, or the network is empty or
    complete — the z-score is NaN.

    Parameters
    ----------
    net
        The network; ``net.groups`` holds the group codes (``-1`` unknown).
    z_scores
        Add the ``gf_*_z`` columns.
    unknown_group
        How actors of unknown group (code ``-1``) are handled.
        ``"exclude"`` (default): roles cannot be assigned on a path through
        such an actor, so they are removed before counting — the counts and
        z-scores are those of the subnetwork of actors with a known group
        (its own ``N``, group sizes and density), and the unknown actors'
        own counts are missing (``<NA>``) and their z-scores NaN.
        ``"group"``: the unknown actors form one more group of their own.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id with nullable-integer columns ``gf_coordinator,
        gf_itinerant, gf_representative, gf_gatekeeper, gf_liaison,
        gf_total`` and, with ``z_scores``, float columns ``gf_coordinator_z``
        … ``gf_total_z``.

    Notes
    -----
    Isolates and actors that broker nothing count 0. Counts are exact
    integers: all two-paths through ``v`` by group are products of in- and
    out-degrees by group, from which the paths ``a → v → a`` and the closed
    two-paths (found along every arc ``a → b`` by a compiled scan of the
    in-neighbours of ``b`` against the marked out-neighbours of ``a``,
    :func:`netinnov.networks.kernels.neighbourhoods.closed_two_paths`) are
    subtracted.

    References
    ----------
    Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a
    formal approach to brokerage in transaction networks. *Sociological
    Methodology* 19, 89–126.
    Butts, C. T. (2008). Social network analysis with sna. *Journal of
    Statistical Software* 24(6).
    """
    if unknown_group not in ("exclude", "group"):
        raise ValueError(f"unknown_group must be 'exclude' or 'group', got {unknown_group!r}")
    n = net.n
    groups = np.asarray(net.groups, dtype=np.int64)
    n_labels = len(net.group_labels)
    if unknown_group == "group":
        groups = np.where(groups < 0, n_labels, groups)
        keep = np.ones(n, dtype=bool)
    else:
        keep = groups >= 0
    adjacency = net.adjacency
    if not keep.all():
        adjacency = adjacency[keep][:, keep].tocsr()
        adjacency.sort_indices()
    sub_groups = groups[keep]
    counts = _role_counts(adjacency, sub_groups)

    columns = [f"gf_{r}" for r in BROKERAGE_ROLES] + ["gf_total"]
    full = np.zeros((n, 6), dtype=np.int64)
    full[keep] = counts
    result = pd.DataFrame(
        {c: pd.array(full[:, i], dtype="Int64") for i, c in enumerate(columns)},
        index=net.index.copy(),
    )
    result.loc[~keep, columns] = pd.NA
    if z_scores:
        z = np.full((n, 6), np.nan)
        z[keep] = _z_scores(counts, sub_groups, adjacency.nnz)
        for i, c in enumerate(columns):
            result[f"{c}_z"] = z[:, i]
    return result


def _role_counts(adjacency: sp.csr_matrix, groups: np.ndarray) -> np.ndarray:
    """Open two-paths through each actor by role: an ``n × 6`` int64 array."""
    n = adjacency.shape[0]
    out = np.zeros((n, 6), dtype=np.int64)
    if n == 0 or adjacency.nnz == 0:
        return out
    a = adjacency.tocsr()
    a.sort_indices()
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(a.indptr))
    tgt = a.indices.astype(np.int64)
    g_src, g_tgt = groups[src], groups[tgt]
    same = g_src == g_tgt

    indeg = np.bincount(tgt, minlength=n)
    outdeg = np.bincount(src, minlength=n)
    in_same = np.bincount(tgt[same], minlength=n)
    out_same = np.bincount(src[same], minlength=n)
    a_in = a.T.tocsr()  # row v: the in-neighbours of v
    a_in.sort_indices()
    both = a.multiply(a_in).tocoo()  # v ⇄ w
    mutual = np.bincount(both.row, minlength=n)
    mutual_same = np.bincount(both.row[groups[both.row] == groups[both.col]], minlength=n)

    # Σ_k in_k(v) out_k(v): ordered pairs (a, b), a → v → b, g(a) = g(b), a = b allowed
    n_codes = int(groups.max()) + 1
    by_in = sp.csr_matrix((np.ones(len(src)), (tgt, g_src)), shape=(n, n_codes))
    by_out = sp.csr_matrix((np.ones(len(src)), (src, g_tgt)), shape=(n, n_codes))
    matched = np.rint(np.asarray(by_in.multiply(by_out).sum(axis=1)).ravel()).astype(np.int64)

    all_pairs = indeg * outdeg
    out[:, _COORD] = in_same * out_same - mutual_same
    out[:, _REP] = in_same * (outdeg - out_same)
    out[:, _GATE] = (indeg - in_same) * out_same
    out[:, _ITIN] = matched - in_same * out_same - (mutual - mutual_same)
    out[:, _LIAISON] = all_pairs - matched - out[:, _REP] - out[:, _GATE]

    out[:, :5] -= _closed_by_role(a, a_in, groups)
    out[:, 5] = out[:, :5].sum(axis=1)
    return out


def _closed_by_role(a: sp.csr_matrix, a_in: sp.csr_matrix, groups: np.ndarray) -> np.ndarray:
    """Closed two-paths ``a → v → b`` with ``a → b`` present, per broker ``v`` and role."""
    by_pattern = closed_two_paths(a.indptr, a.indices, a_in.indptr, a_in.indices, groups)
    closed = np.zeros((a.shape[0], 5), dtype=np.int64)
    np.add.at(closed.T, _ROLE_OF_PATTERN, by_pattern.T)
    return closed


def _z_scores(counts: np.ndarray, groups: np.ndarray, n_arcs: int) -> np.ndarray:
    """z-scores of the counts under sna's null model (see ``gould_fernandez``)."""
    n_actors = len(groups)
    z = np.full(counts.shape, np.nan)
    if n_actors < 2:
        return z
    big_n = float(n_actors)
    d = n_arcs / (big_n * (big_n - 1.0))
    kappa = d * d * (1.0 - d)
    lam = d**3 * (1.0 - d) ** 3
    _, code = np.unique(groups, return_inverse=True)
    sizes = np.bincount(code).astype(float)  # present groups only
    ni = sizes
    others = big_n - ni

    def choose2(x: np.ndarray) -> np.ndarray:
        return x * (x - 1.0) / 2.0

    sum_pairs = np.sum(sizes * (sizes - 1.0))
    sum_triples = np.sum(sizes * (sizes - 1.0) * (sizes - 2.0))
    sum_sq = np.sum(sizes**2)
    # liaison: Σ_{j≠i} n_j C(N - n_j - n_i, 2), over present groups j
    liaison_q = (sizes[None, :] * choose2(big_n - sizes[None, :] - ni[:, None])).sum(axis=1)
    liaison_q -= ni * choose2(big_n - 2.0 * ni)

    expect = np.column_stack(
        [
            kappa * (ni - 1.0) * (ni - 2.0),
            kappa * (sum_pairs - ni * (ni - 1.0)),
            kappa * others * (ni - 1.0),
            kappa * others * (ni - 1.0),
            kappa * (others**2 - (sum_sq - ni**2)),
            np.full_like(ni, kappa * (big_n - 1.0) * (big_n - 2.0)),
        ]
    )
    extra = np.column_stack(
        [
            (ni - 1.0) * (ni - 2.0) * (ni - 3.0),
            sum_triples - ni * (ni - 1.0) * (ni - 2.0),
            (ni - 1.0) * choose2(others) + others * choose2(ni - 1.0),
            (ni - 1.0) * choose2(others) + others * choose2(ni - 1.0),
            2.0 * liaison_q,
            np.full_like(ni, (big_n - 1.0) * (big_n - 2.0) * (big_n - 3.0)),
        ]
    )
    variance = expect * (1.0 - kappa) + 2.0 * lam * extra
    e_actor, v_actor = expect[code], variance[code]
    ok = v_actor > 0
    z[ok] = (counts[ok] - e_actor[ok]) / np.sqrt(v_actor[ok])
    return z
