"""Diversity of collaboration and ties across group (sector) boundaries.

Actor level: how mixed an actor's alters are (Blau, IQV, Shannon) and whether
the actor's ties stay inside or cross its group (individual E-I index).
Case level: how mixed the case is, whether its ties cross groups more or less
often than chance (E-I index with the tests of :mod:`netinnov.metrics.mixing`),
and nominal assortativity. The collaboration type of the case moved to
:mod:`netinnov.metrics.collaboration_type` (re-exported here).

Every measure works on the undirected skeleton ``A ∨ Aᵀ`` of the case
(:attr:`CaseNetwork.symmetric`): a pair of actors is tied or not, whatever the
direction or the number of reports. Actors whose group is unknown (code ``-1``)
are left out of every group composition: as alters they count neither as same
nor as other group, and ties with such an endpoint are left out of tie shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.config import derive_seed
from netinnov.io.codes import text_equals
from netinnov.metrics.collaboration_type import COLLABORATION_TYPES, collaboration_type
from netinnov.metrics.mixing import ei_conditional_p, ei_permutation_p
from netinnov.networks import CaseNetwork

__all__ = [
    "COLLABORATION_TYPES",
    "alter_diversity",
    "case_diversity",
    "collaboration_type",
    "skeleton_ties",
]


def skeleton_ties(net: CaseNetwork) -> tuple[np.ndarray, np.ndarray]:
    """The ties of the undirected skeleton, each unordered pair once.

    Parameters
    ----------
    net
        The case network.

    Returns
    -------
    (u, v) : tuple of int64 arrays
        Actor indices with ``u < v``, one entry per tied pair of
        ``A ∨ Aᵀ``, sorted by ``(u, v)``.
    """
    upper = sp.triu(net.symmetric, k=1).tocoo()
    order = np.lexsort((upper.col, upper.row))
    return upper.row[order].astype(np.int64), upper.col[order].astype(np.int64)


def _group_indicator(net: CaseNetwork) -> sp.csr_matrix:
    """n×K 0/1 matrix: row i has a 1 in the column of actor i's group."""
    k = len(net.group_labels)
    groups = np.asarray(net.groups, dtype=np.int64)
    known = np.flatnonzero(groups >= 0)
    return sp.csr_matrix(
        (np.ones(len(known)), (known, groups[known])), shape=(net.n, k), dtype=float
    )


def alter_diversity(net: CaseNetwork) -> pd.DataFrame:
    r"""Group diversity of each actor's alters and the individual E-I index.

    The alters of actor :math:`i` are its distinct neighbours in the
    undirected skeleton :math:`S = A \lor A^\top`. Let :math:`c_{ik}` be the
    number of alters in group :math:`k` (alters of unknown group are left out),
    :math:`d_i = \sum_k c_{ik}` and :math:`p_{ik} = c_{ik} / d_i`. With
    :math:`K` the number of groups in the dataset (``len(net.group_labels)``):

    .. math::

        \mathrm{blau}_i = 1 - \sum_k p_{ik}^2, \qquad
        \mathrm{iqv}_i = \frac{\mathrm{blau}_i}{1 - 1/K}, \qquad
        \mathrm{shannon}_i = -\sum_{k:\,p_{ik}>0} p_{ik} \ln p_{ik}

    (natural logarithm, so the maximum is :math:`\ln K`). The individual
    Krackhardt–Stern E-I index counts each skeleton tie of :math:`i` once:
    :math:`E_i` ties to alters of another group, :math:`I_i` ties to alters of
    :math:`i`'s own group,

    .. math:: \mathrm{ei}_i = \frac{E_i - I_i}{E_i + I_i} \in [-1, 1].

    Computed at once for all actors as :math:`C = S\,G` with :math:`G` the
    n×K group indicator matrix.

    Parameters
    ----------
    net
        The case network.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id in ``net.actors`` order, columns ``blau``,
        ``iqv``, ``shannon``, ``ei``.

    Notes
    -----
    Isolates, and actors whose alters all have an unknown group, get NaN in
    every column. ``iqv`` is NaN when the dataset has fewer than two groups.
    ``ei`` is NaN when the actor's own group is unknown.

    References
    ----------
    Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
    Agresti, A., & Agresti, B. F. (1978). Statistical analysis of qualitative
    variation. *Sociological Methodology*, 9, 204–237.
    Shannon, C. E. (1948). A mathematical theory of communication. *Bell
    System Technical Journal*, 27, 379–423.
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and
    organizational crises: an experimental simulation. *Social Psychology
    Quarterly*, 51(2), 123–140.
    """
    k = len(net.group_labels)
    counts = np.asarray((net.symmetric @ _group_indicator(net)).todense(), dtype=float).reshape(
        net.n, k
    )
    known_alters = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / known_alters[:, None]
        blau = 1.0 - np.sum(p**2, axis=1)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
        shannon = -np.sum(plogp, axis=1) + 0.0  # no negative zero
    undefined = known_alters == 0
    blau[undefined] = np.nan
    shannon[undefined] = np.nan
    iqv = blau / (1.0 - 1.0 / k) if k >= 2 else np.full(net.n, np.nan)

    groups = np.asarray(net.groups, dtype=np.int64)
    own = np.zeros(net.n)
    has_group = groups >= 0
    own[has_group] = counts[np.flatnonzero(has_group), groups[has_group]]
    external = known_alters - own
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = (external - own) / known_alters
    ei[undefined | ~has_group] = np.nan
    return pd.DataFrame(
        {"blau": blau, "iqv": iqv, "shannon": shannon, "ei": ei}, index=net.index.copy()
    )


def _blau(sizes: np.ndarray) -> float:
    total = sizes.sum()
    if total == 0:
        return float("nan")
    p = sizes / total
    return float(1.0 - np.sum(p**2))


def case_diversity(
    net: CaseNetwork,
    *,
    permutations: int = 1000,
    seed: int = 0,
    tie_class: pd.Series | None = None,
    swaps_per_tie: float = 1.0,
) -> dict[str, float]:
    r"""Group composition and group mixing of the ties of one case.

    With :math:`n_k` the number of the case's actors in group :math:`k`
    (isolates included, unknown groups left out), :math:`m = \sum_k n_k`, and
    :math:`T` the skeleton ties whose two endpoints have a known group, of
    which :math:`E` join two different groups and :math:`I = T - E` join the
    same group:

    ``sector_blau``
        :math:`1 - \sum_k (n_k/m)^2`, Blau's heterogeneity of the case's actors.
    ``sector_iqv``
        ``sector_blau`` / :math:`(1 - 1/K)`, K the dataset's number of groups.
    ``ei``
        Krackhardt–Stern E-I index of the whole network, :math:`(E-I)/(E+I)`.
    ``ei_expected``
        Its expectation when the group labels are shuffled among the case's
        actors with group sizes fixed:
        :math:`E[E^*] = T\,(1 - \sum_k n_k(n_k-1) / (m(m-1)))`.
    ``ei_p_value``
        Two-sided permutation p-value. Each of ``permutations`` draws shuffles
        the known group labels among the case's actors (sizes fixed; actors of
        unknown group keep no label) and recounts :math:`E^*`. Because the
        E-I index is a monotone function of :math:`E` with :math:`T` fixed,
        the test compares distances from the exact null expectation:
        :math:`p = (1 + \#\{|E^* - E[E^*]| \ge |E - E[E^*]|\}) / (1 +
        \text{permutations})`. Centring on the null expectation rather than
        on 0 matters because the E-I index under random mixing is not 0 (it
        depends on the group sizes). Counting the observed labelling among
        the draws (the ``1 +``) keeps the test valid (Phipson & Smyth 2010);
        as :math:`E` is discrete the p-values are slightly conservative.
    ``ei_<label>``
        Group-level E-I index of each dataset group: over the ties with at
        least one endpoint in the group (other endpoint of known group),
        :math:`(E_g - I_g)/(E_g + I_g)` with :math:`I_g` the ties inside the
        group and :math:`E_g` the ties from the group to other groups.
    ``cross_sector_tie_share``
        :math:`E / T`.
    ``sector_assortativity``
        Newman's (2003) nominal assortativity coefficient on the skeleton:
        with :math:`e_{kl}` the share of tie ends joining group :math:`k` to
        group :math:`l` (each tie counted in both directions) and
        :math:`a_k = \sum_l e_{kl}`,
        :math:`r = (\sum_k e_{kk} - \sum_k a_k^2)/(1 - \sum_k a_k^2)`.
        Equals :func:`networkx.attribute_assortativity_coefficient` on the
        skeleton graph when every actor has a known group (networkx treats a
        missing attribute as a category of its own; here such ties are left
        out).
    ``weak_cross_sector_tie_share``
        Among the rows of ``net.ties`` (arcs in a directed network) whose
        endpoints have known groups and whose ``tie_class`` is not missing,
        the share that are ``"weak"`` and join two different groups.
    ``ei_expected_conditional``
        The E-I index expected given every actor's skeleton degree: the mean
        of the degree-preserving null draws of
        :func:`netinnov.metrics.mixing.ei_conditional_p`.
    ``ei_p_value_conditional``
        Two-sided p-value of :math:`E` against the null that keeps each
        actor's degree and the group labels and sizes (double-edge-swap
        rewiring; :func:`netinnov.metrics.mixing.ei_conditional_p`), with
        ``permutations`` draws and ``swaps_per_tie`` attempted swaps per
        skeleton tie between draws. Unlike ``ei_p_value`` it holds its size
        when groups differ in activity but not in whom they choose.

    Parameters
    ----------
    net
        The case network.
    permutations
        Number of label permutations of the E-I test (0 skips the test).
    seed
        Seed of the permutations (:func:`numpy.random.default_rng`); the
        rewiring chain uses ``derive_seed(seed, "conditional")``.
    tie_class
        ``"strong"``/``"weak"`` per row of ``net.ties`` (aligned by position);
        ``None`` makes ``weak_cross_sector_tie_share`` NaN.
    swaps_per_tie
        Attempted double edge swaps between two draws of the conditional
        test, per skeleton tie.

    Returns
    -------
    dict
        The measures above, in that order, plus ``n_groups`` (distinct known
        groups among the case's actors).

    Notes
    -----
    Every measure that is undefined is NaN: the tie measures when :math:`T = 0`;
    ``ei_p_value`` and ``ei_p_value_conditional`` also when fewer than two
    groups are present (the null distribution is degenerate) or
    ``permutations`` is 0; ``sector_assortativity`` when
    :math:`\sum_k a_k^2 = 1` (every tie inside one group); ``ei_<label>`` when
    the group has no tie.

    References
    ----------
    Krackhardt, D., & Stern, R. N. (1988). Informal networks and
    organizational crises. *Social Psychology Quarterly*, 51(2), 123–140.
    Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E*,
    67, 026126.
    Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
    Phipson, B., & Smyth, G. K. (2010). Permutation p-values should never be
    zero. *Statistical Applications in Genetics and Molecular Biology*, 9(1).
    Maslov, S., & Sneppen, K. (2002). Specificity and stability in topology
    of protein networks. *Science*, 296(5569), 910–913.
    """
    k = len(net.group_labels)
    groups = np.asarray(net.groups, dtype=np.int64)
    known = groups >= 0
    sizes = np.bincount(groups[known], minlength=k).astype(float)
    m = int(sizes.sum())
    present = int(np.count_nonzero(sizes))
    blau = _blau(sizes)
    out: dict[str, float] = {
        "sector_blau": blau,
        "sector_iqv": blau / (1.0 - 1.0 / k) if k >= 2 else float("nan"),
        "n_groups": float(present),
    }

    u, v = skeleton_ties(net)
    keep = known[u] & known[v]
    gu, gv = groups[u[keep]], groups[v[keep]]
    t = len(gu)
    cross = gu != gv
    e = int(np.count_nonzero(cross))
    nan = float("nan")
    out["ei"] = (2 * e - t) / t if t else nan

    if t and m >= 2:
        same_pairs = float(np.sum(sizes * (sizes - 1))) / (m * (m - 1))
        expected_e = t * (1.0 - same_pairs)
        out["ei_expected"] = (2 * expected_e - t) / t
    else:
        expected_e = nan
        out["ei_expected"] = nan
    out["ei_p_value"] = (
        ei_permutation_p(
            groups, u[keep], v[keep], e, expected_e, permutations=permutations, seed=seed
        )
        if t and present >= 2 and permutations > 0
        else nan
    )

    internal_by_group = np.bincount(gu[~cross], minlength=k).astype(float)
    external_by_group = (
        np.bincount(gu[cross], minlength=k) + np.bincount(gv[cross], minlength=k)
    ).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        ei_groups = (external_by_group - internal_by_group) / (
            external_by_group + internal_by_group
        )
    for label, value in zip(net.group_labels, ei_groups, strict=True):
        out[f"ei_{label}"] = float(value)

    out["cross_sector_tie_share"] = e / t if t else nan
    out["sector_assortativity"] = _nominal_assortativity(gu, gv, k)
    out["weak_cross_sector_tie_share"] = _weak_cross_share(net, tie_class)
    if t and present >= 2 and permutations > 0:
        p_cond, expected_cond = ei_conditional_p(
            groups, u, v, net.n, draws=permutations, swaps_per_tie=swaps_per_tie,
            seed=derive_seed(seed, "conditional"),
        )
    else:
        p_cond = expected_cond = nan
    out["ei_expected_conditional"] = expected_cond
    out["ei_p_value_conditional"] = p_cond
    return out


def _nominal_assortativity(gu: np.ndarray, gv: np.ndarray, k: int) -> float:
    """Newman's nominal assortativity from the group codes of tie endpoints."""
    if len(gu) == 0 or k == 0:
        return float("nan")
    rows = np.concatenate([gu, gv])
    cols = np.concatenate([gv, gu])
    mix = np.zeros((k, k))
    np.add.at(mix, (rows, cols), 1.0)
    mix /= mix.sum()
    a = mix.sum(axis=1)
    expected = float(np.sum(a * a))
    if np.isclose(expected, 1.0):
        return float("nan")
    return float((np.trace(mix) - expected) / (1.0 - expected))


def _weak_cross_share(net: CaseNetwork, tie_class: pd.Series | None) -> float:
    if tie_class is None:
        return float("nan")
    cls = pd.Series(tie_class).reset_index(drop=True)
    if len(cls) != net.n_ties:
        raise ValueError(f"tie_class has {len(cls)} values but the network has {net.n_ties} ties")
    groups = np.asarray(net.groups, dtype=np.int64)
    gs = groups[net.ties["source_index"].to_numpy(dtype=np.int64)]
    gt = groups[net.ties["target_index"].to_numpy(dtype=np.int64)]
    usable = (gs >= 0) & (gt >= 0) & cls.notna().to_numpy()
    if not usable.any():
        return float("nan")
    weak = text_equals(cls, "weak")
    return float(np.count_nonzero(weak & usable & (gs != gt)) / np.count_nonzero(usable))
