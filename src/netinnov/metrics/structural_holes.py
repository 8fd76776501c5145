"""Burt's structural-hole measures: constraint, effective size, efficiency, hierarchy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.networks import CaseNetwork
from netinnov.networks.kernels.sparse_paths import masked_product

__all__ = ["structural_holes"]


def structural_holes(net: CaseNetwork, *, weight: str | None = "weight") -> pd.DataFrame:
    r"""Burt's (1992) constraint, effective size, efficiency and hierarchy.

    With :math:`a_{ij}` the value of the tie ``i → j`` (0 if absent), the
    mutual weight is :math:`m_{ij} = a_{ij} + a_{ji}` and the alters of ``i``
    are :math:`N(i) = \{j : m_{ij} > 0\}` (in- and out-neighbours alike),
    :math:`n_i = |N(i)|`. Then

    .. math::

       p_{ij} = \frac{m_{ij}}{\sum_k m_{ik}}, \qquad
       \hat m_{jq} = \frac{m_{jq}}{\max_k m_{jk}},

       c_{ij} = \Bigl(p_{ij} + \sum_{q \ne i, j} p_{iq}\, p_{qj}\Bigr)^2, \qquad
       C_i = \sum_{j \in N(i)} c_{ij},

       E_i = \sum_{j \in N(i)} \Bigl(1 - \sum_{q \ne i, j} p_{iq}\, \hat m_{jq}\Bigr), \qquad
       \mathrm{efficiency}_i = E_i / n_i,

       H_i = \frac{\sum_{j \in N(i)} r_{ij} \ln r_{ij}}{n_i \ln n_i}, \qquad
       r_{ij} = \frac{c_{ij}}{C_i / n_i}.

    :math:`c_{ij}` is the local constraint (networkx ``local_constraint``),
    :math:`C_i` the constraint (networkx ``constraint``, igraph
    ``Graph.constraint``), :math:`E_i` the effective size (networkx
    ``effective_size``; for binary undirected networks it equals Borgatti's
    :math:`n - 2t/n` with ``t`` the ties among the alters) and :math:`H_i`
    Burt's hierarchy, the Coleman–Theil disorder of the local constraints
    (0 when constraint is spread evenly over the alters, 1 when it all comes
    from one).

    Parameters
    ----------
    net
        The network; a directed one is read through mutual weights as above.
    weight
        Column of ``net.ties`` holding :math:`a_{ij}`; ``None`` for binary
        ties (:math:`a_{ij} = 1`, so a reciprocated directed pair has
        :math:`m_{ij} = 2`). Values must not be negative (``ValueError``);
        ties whose value is zero or missing count as absent, as in
        ``CaseNetwork.matrix``.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id with float columns ``constraint``,
        ``effective_size``, ``efficiency``, ``hierarchy``.

    Notes
    -----
    Isolates have no ego network: all four measures are NaN. Hierarchy is
    NaN for actors with a single alter, where it is :math:`0/0` (Burt
    defines it for two or more contacts). Everything is computed with sparse
    matrices; the indirect sums are evaluated only on the tie pattern.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of
    Competition.* Harvard University Press (pp. 51–55, 70–71).
    Borgatti, S. P. (1997). Structural holes: unpacking Burt's redundancy
    measures. *Connections* 20(1), 35–38.
    """
    n = net.n
    result = pd.DataFrame(
        np.full((n, 4), np.nan),
        index=net.index.copy(),
        columns=["constraint", "effective_size", "efficiency", "hierarchy"],
    )
    if n == 0 or net.n_ties == 0:
        return result
    a = _tie_matrix(net, weight)
    m = (a + a.T).tocsr()
    m.eliminate_zeros()
    m.sort_indices()
    if m.nnz == 0:
        return result

    alters = np.diff(m.indptr).astype(float)
    has_alters = alters > 0
    total = np.asarray(m.sum(axis=1)).ravel()  # Σ_k m_ik
    top = m.max(axis=1).toarray().ravel()  # max_k m_ik

    # Each unordered tie {i, j} once: w_q = m_iq m_jq over the shared alters q gives
    #   Σ_q p_iq p_qj = Σ_q w_q / s_q / s_i      Σ_q p_iq m̂_jq = Σ_q w_q / (s_i max_j)
    # and the same for (j, i) with s_j and max_i.
    upper = sp.triu(m, k=1, format="csr")
    i = np.repeat(np.arange(n, dtype=np.int64), np.diff(upper.indptr))
    j = upper.indices.astype(np.int64)
    with np.errstate(divide="ignore"):
        inv_total = np.where(total > 0, 1.0 / total, 0.0)
    shared = masked_product(m, m, i, j, np.column_stack([inv_total, np.ones(n)]))
    ego, alter = np.concatenate([i, j]), np.concatenate([j, i])
    m_pair = np.concatenate([upper.data, upper.data])
    via = np.concatenate([shared[:, 0], shared[:, 0]])
    overlap = np.concatenate([shared[:, 1], shared[:, 1]])

    local = ((m_pair + via) / total[ego]) ** 2
    constraint = np.bincount(ego, weights=local, minlength=n)
    redundancy = overlap / (total[ego] * top[alter])
    effective = alters - np.bincount(ego, weights=redundancy, minlength=n)

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = local * alters[ego] / constraint[ego]
        disorder = np.bincount(ego, weights=ratio * np.log(ratio), minlength=n)
        hierarchy = disorder / (alters * np.log(alters))
    hierarchy[alters < 2] = np.nan

    result["constraint"] = np.where(has_alters, constraint, np.nan)
    result["effective_size"] = np.where(has_alters, effective, np.nan)
    result["efficiency"] = np.where(
        has_alters, effective / np.where(has_alters, alters, 1.0), np.nan
    )
    result["hierarchy"] = np.where(has_alters, hierarchy, np.nan)
    return result


def _tie_matrix(net: CaseNetwork, weight: str | None) -> sp.csr_matrix:
    if weight is None:
        return net.adjacency
    if weight not in net.ties.columns:
        raise KeyError(f"ties have no column {weight!r} to weight structural holes by")
    values = pd.to_numeric(net.ties[weight], errors="coerce").to_numpy(dtype=float)
    if np.any(values < 0):
        raise ValueError(
            f"structural-hole measures need non-negative tie values; {weight!r} has "
            f"{int(np.sum(values < 0))} negative value(s) — rescale the column first"
        )
    return net.matrix(weight)
