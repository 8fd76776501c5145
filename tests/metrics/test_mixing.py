"""Tests of netinnov.metrics.mixing: the degree-preserving E-I test.

Independent computations: networkx's double_edge_swap (degrees kept, same
null distribution), brute-force enumeration of every simple graph with a
given degree sequence on tiny graphs (exact null), and simulated cases with
sector activity differences and no homophily (size), or strong homophily
(power).
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netinnov.config import derive_seed
from netinnov.metrics.diversity import case_diversity
from netinnov.metrics.mixing import ei_conditional_p, ei_permutation_p
from netinnov.networks import CaseNetwork
from netinnov.networks.kernels.swaps import cross_group_chain, rewired_edges

LABELS = ("citizen", "private", "public")


def edges_of(g: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(sorted((min(a, b), max(a, b)) for a, b in g.edges), dtype=np.int64)
    return pairs[:, 0], pairs[:, 1]


def cross_count(u, v, groups) -> int:
    return int(np.count_nonzero((groups[u] >= 0) & (groups[v] >= 0) & (groups[u] != groups[v])))


def activity_case(rng, n=60, *, ratio=3.0, homophily=0.0, mean_degree=8.0):
    """A beta-model graph: P(tie) = odds / (1 + odds), odds = x_i x_j (times
    exp(homophily) inside a sector); sector 0 is ``ratio`` times as active.
    Given its degrees such a graph is uniform over the graphs with those
    degrees when homophily is 0 (the conditional null holds exactly)."""
    groups = rng.integers(0, 3, n)
    activity = np.where(groups == 0, ratio, 1.0) * rng.lognormal(0.0, 0.5, n)
    x = activity * np.sqrt(mean_degree / activity.sum())
    odds = np.outer(x, x) * np.where(groups[:, None] == groups[None, :], np.exp(homophily), 1.0)
    u, v = np.nonzero(np.triu(rng.random((n, n)) < odds / (1 + odds), 1))
    return groups.astype(np.int64), u.astype(np.int64), v.astype(np.int64)


def label_p(groups, u, v, *, permutations, seed):
    sizes = np.bincount(groups[groups >= 0]).astype(float)
    m = sizes.sum()
    expected = len(u) * (1 - np.sum(sizes * (sizes - 1)) / (m * (m - 1)))
    return ei_permutation_p(
        groups, u, v, cross_count(u, v, groups), expected, permutations=permutations, seed=seed
    )


# ------------------------------------------------------------------ the chain
def test_rewiring_keeps_degrees_and_simplicity_like_networkx():
    g = nx.gnm_random_graph(80, 300, seed=3)
    u, v = edges_of(g)
    eu, ev = rewired_edges(u, v, 80, steps=5000, rng=np.random.default_rng(1))
    ours = nx.Graph()
    ours.add_nodes_from(range(80))
    ours.add_edges_from(zip(eu.tolist(), ev.tolist(), strict=True))
    theirs = g.copy()
    nx.double_edge_swap(theirs, nswap=1000, max_tries=100000, seed=2)
    assert ours.number_of_edges() == g.number_of_edges() == theirs.number_of_edges()
    assert dict(ours.degree) == dict(g.degree) == dict(theirs.degree)
    assert nx.number_of_selfloops(ours) == 0 and (eu < ev).all()
    assert len(set(zip(eu.tolist(), ev.tolist(), strict=True))) == len(eu)  # no multi-edges
    assert len(set(ours.edges) & set(g.edges)) < 0.5 * len(u)  # it did rewire


def test_chain_null_mean_matches_networkx_rewiring():
    rng = np.random.default_rng(5)
    groups, u, v = activity_case(rng, 40, ratio=3.0)
    g = nx.Graph()
    g.add_nodes_from(range(40))
    g.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
    nx_counts = []
    for s in range(300):
        h = g.copy()
        nx.double_edge_swap(h, nswap=3 * len(u), max_tries=100 * len(u), seed=s)
        hu, hv = edges_of(h)
        nx_counts.append(cross_count(hu, hv, groups))
    ours = cross_group_chain(
        u, v, 40, groups, draws=3000, steps=len(u), before=0, rng=np.random.default_rng(9)
    )
    se = np.std(nx_counts) * np.sqrt(1 / 300 + 1 / 3000)
    assert abs(np.mean(ours) - np.mean(nx_counts)) < 4 * se
    assert np.std(ours) == pytest.approx(np.std(nx_counts), rel=0.25)


def all_graphs_with_degrees(n, degrees):
    """Every simple graph on n nodes with the degree sequence, by brute force."""
    pairs = list(itertools.combinations(range(n), 2))
    pu = np.array([p[0] for p in pairs])
    pv = np.array([p[1] for p in pairs])
    masks = (np.arange(1 << len(pairs))[:, None] >> np.arange(len(pairs))) & 1
    deg = np.zeros((len(masks), n), dtype=np.int64)
    for k in range(len(pairs)):
        deg[:, pu[k]] += masks[:, k]
        deg[:, pv[k]] += masks[:, k]
    hit = masks[(deg == np.asarray(degrees)).all(axis=1)].astype(bool)
    return [(pu[m], pv[m]) for m in hit]


def test_chain_visits_graphs_uniformly_and_p_value_is_exact_on_a_tiny_graph():
    # 6 actors, two groups, degrees (3, 3, 3, 3, 1, 1): few enough graphs to list
    groups = np.array([0, 0, 1, 0, 1, 1], dtype=np.int64)
    u = np.array([0, 0, 0, 1, 1, 2, 3], dtype=np.int64)
    v = np.array([1, 2, 3, 2, 3, 5, 4], dtype=np.int64)
    degrees = np.bincount(np.concatenate([u, v]), minlength=6)
    graphs = all_graphs_with_degrees(6, degrees)
    assert len(graphs) > 5
    exact = np.array([cross_count(gu, gv, groups) for gu, gv in graphs])
    values, counts = np.unique(exact, return_counts=True)
    # empirical distribution of the chain against the exact uniform one
    draws = cross_group_chain(
        u, v, 6, groups, draws=40000, steps=len(u), before=0, rng=np.random.default_rng(0)
    )
    emp = np.array([np.mean(draws == x) for x in values])
    assert np.abs(emp - counts / counts.sum()).max() < 0.015
    # the p-value against the exact two-sided tail around the exact mean
    mu = exact.mean()
    observed = cross_count(u, v, groups)
    tail = np.mean(np.abs(exact - mu) >= abs(observed - mu) - 1e-9)
    p, expected = ei_conditional_p(groups, u, v, 6, draws=20000, seed=4)
    assert p == pytest.approx(tail, abs=0.02)
    t = len(u)
    assert expected == pytest.approx((2 * mu - t) / t, abs=0.02)


def test_unique_realisation_gives_p_one():
    # a star has one graph with its degrees; so has a complete graph
    groups = np.array([0, 1, 1, 1, 0], dtype=np.int64)
    u = np.zeros(4, dtype=np.int64)
    v = np.arange(1, 5, dtype=np.int64)
    p, expected = ei_conditional_p(groups, u, v, 5, draws=200, seed=1)
    assert p == 1.0 and expected == pytest.approx((2 * 3 - 4) / 4)
    cu, cv = (np.array(x, dtype=np.int64) for x in zip(*itertools.combinations(range(5), 2), strict=True))
    p, _ = ei_conditional_p(groups, cu, cv, 5, draws=200, seed=1)
    assert p == 1.0


def test_seeded_and_nan_when_undefined():
    rng = np.random.default_rng(2)
    groups, u, v = activity_case(rng, 30)
    a = ei_conditional_p(groups, u, v, 30, draws=199, seed=11)
    b = ei_conditional_p(groups, u, v, 30, draws=199, seed=11)
    assert a == b and 1 / 200 <= a[0] <= 1
    assert np.isnan(ei_conditional_p(groups, u, v, 30, draws=0)[0])
    unknown = np.full(30, -1, dtype=np.int64)
    assert np.isnan(ei_conditional_p(unknown, u, v, 30, draws=50)[0])


# ------------------------------------------------------------- size and power
def test_conditional_test_rejects_under_strong_homophily():
    rng = np.random.default_rng(7)
    conditional, labels = [], []
    for sim in range(12):
        groups, u, v = activity_case(rng, 50, ratio=3.0, homophily=2.0)
        conditional.append(ei_conditional_p(groups, u, v, 50, draws=199, seed=sim)[0])
        labels.append(label_p(groups, u, v, permutations=199, seed=sim))
    assert np.mean(np.array(conditional) < 0.05) >= 0.9
    assert np.mean(np.array(labels) < 0.05) >= 0.9


@pytest.mark.extended
def test_conditional_test_holds_its_size_under_activity_differences():
    # 400 cases, one sector 3x as active, no homophily: the label-permutation
    # test rejects far too often, the degree-preserving one holds 5 %
    rng = np.random.default_rng(20261202)
    conditional, labels = [], []
    for sim in range(400):
        groups, u, v = activity_case(rng, 60, ratio=3.0)
        conditional.append(ei_conditional_p(groups, u, v, 60, draws=999, seed=sim)[0])
        labels.append(label_p(groups, u, v, permutations=999, seed=sim))
    size_conditional = np.mean(np.array(conditional) < 0.05)
    size_label = np.mean(np.array(labels) < 0.05)
    print(f"size at 5 %: conditional {size_conditional:.3f}, label permutation {size_label:.3f}")
    assert size_conditional <= 0.06
    assert size_label > 0.2  # the problem the conditional test solves


# --------------------------------------------------------- in case_diversity
def test_case_diversity_reports_the_conditional_test():
    rng = np.random.default_rng(3)
    groups, u, v = activity_case(rng, 40, homophily=2.5)
    actors = np.array([f"a{i:02d}" for i in range(40)], dtype=object)
    ties = pd.DataFrame(
        {"source_index": u, "target_index": v, "source": actors[u], "target": actors[v], "weight": 1.0}
    )
    net = CaseNetwork("c", actors, groups, LABELS, False, ties)
    res = case_diversity(net, permutations=199, seed=5)
    p, expected = ei_conditional_p(
        groups, u, v, 40, draws=199, seed=derive_seed(5, "conditional")
    )
    assert res["ei_p_value_conditional"] == p and res["ei_expected_conditional"] == expected
    assert res["ei_p_value_conditional"] == pytest.approx(1 / 200)
    assert res["ei"] < res["ei_expected_conditional"]
    skipped = case_diversity(net, permutations=0)
    assert np.isnan(skipped["ei_p_value_conditional"]) and np.isnan(skipped["ei_expected_conditional"])


@pytest.mark.parametrize("before", [1, 7, 19])
def test_chain_segments_in_two_threads_give_the_serial_counts_and_stream(monkeypatch, before):
    # the second segment starts where the first leaves the random stream: same counts, same end state
    import netinnov.networks.kernels.swaps as swaps

    rng = np.random.default_rng(3)
    n = 300
    a, b = rng.integers(0, n, 3000), rng.integers(0, n, 3000)
    keys = np.unique(np.minimum(a, b)[a != b] * n + np.maximum(a, b)[a != b])
    u, v = keys // n, keys % n
    groups = rng.integers(-1, 3, n)
    results = []
    for threshold in (10**18, 1):
        monkeypatch.setattr(swaps, "PARALLEL_MIN_ATTEMPTS", threshold)
        monkeypatch.setattr(swaps, "_cores", lambda: 2)
        stream = np.random.default_rng(11)
        out = cross_group_chain(u, v, n, groups, draws=20, steps=len(u), before=before, rng=stream)
        results.append((out, stream.bit_generator.state))
    assert np.array_equal(results[0][0], results[1][0])
    assert results[0][1] == results[1][1]
