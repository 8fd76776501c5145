"""The compiled neighbourhood kernels against dense products and networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from netinnov.networks.kernels.neighbourhoods import (
    bridge_entries,
    closed_two_paths,
    edge_common_counts,
    pair_distances,
)


def _random_skeleton(n: int, p: float, seed: int) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, k=1)
    s = sp.csr_matrix((upper | upper.T).astype(float))
    s.sort_indices()
    return s


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 30), p=st.floats(0.0, 0.9), seed=st.integers(0, 10_000))
def test_edge_common_counts_equal_dense_square(n, p, seed):
    s = _random_skeleton(n, p, seed)
    dense = s.toarray()
    rows, cols = s.nonzero()  # CSR order
    expected = (dense @ dense)[rows, cols]
    np.testing.assert_array_equal(edge_common_counts(s.indptr, s.indices), expected)


def test_edge_common_counts_with_unequal_and_equal_degrees():
    # a hub joined to a triangle and a pendant: edges between ends of equal
    # and of different degree are counted once and written both ways
    graph = nx.Graph([(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (0, 4), (0, 5)])
    s = nx.to_scipy_sparse_array(graph, nodelist=sorted(graph), format="csr").astype(float)
    s = sp.csr_matrix(s)
    s.sort_indices()
    rows, cols = s.nonzero()
    expected = [len(set(graph[i]) & set(graph[j])) for i, j in zip(rows, cols, strict=True)]
    np.testing.assert_array_equal(edge_common_counts(s.indptr, s.indices), expected)


def _reference_distance(graph: nx.Graph, a: int, b: int) -> float:
    g = graph.copy()
    if g.has_edge(a, b):
        g.remove_edge(a, b)
    try:
        return float(nx.shortest_path_length(g, a, b))
    except nx.NetworkXNoPath:
        return np.inf


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 30), p=st.floats(0.0, 0.5), seed=st.integers(0, 10_000))
def test_pair_distances_equal_networkx_without_the_edge(n, p, seed):
    s = _random_skeleton(n, p, seed)
    graph = nx.from_scipy_sparse_array(s)
    rng = np.random.default_rng(seed)
    rows, cols = s.nonzero()
    # every edge (the spans) and some pairs that are not edges
    a = np.concatenate([rows, rng.integers(0, n, size=10)])
    b = np.concatenate([cols, rng.integers(0, n, size=10)])
    keep = a != b
    a, b = a[keep], b[keep]
    expected = [_reference_distance(graph, int(x), int(y)) for x, y in zip(a, b, strict=True)]
    np.testing.assert_array_equal(pair_distances(s.indptr, s.indices, a, b), expected)


def test_pair_distances_on_a_long_cycle_and_a_bridge():
    graph = nx.cycle_graph(12)
    graph.add_edge(0, 12)  # a pendant: a bridge
    s = sp.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(13)).astype(float))
    s.sort_indices()
    got = pair_distances(s.indptr, s.indices, [0, 3, 0], [1, 9, 12])
    np.testing.assert_array_equal(got, [11.0, 6.0, np.inf])


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), p=st.floats(0.0, 0.3), seed=st.integers(0, 10_000))
def test_bridge_entries_equal_networkx_bridges(n, p, seed):
    s = _random_skeleton(n, p, seed)
    graph = nx.from_scipy_sparse_array(s)
    expected = {frozenset(e) for e in nx.bridges(graph)}
    rows, cols = s.nonzero()
    got = bridge_entries(s.indptr, s.indices)
    assert {
        frozenset((int(i), int(j))) for i, j in zip(rows[got], cols[got], strict=True)
    } == expected
    # both directions of a bridge are flagged
    assert got.sum() == 2 * len(expected)


def test_bridge_entries_on_a_deep_path():
    """The search is iterative: a path far deeper than Python's recursion limit."""
    n = 50_000
    graph = nx.path_graph(n)
    s = sp.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(n)).astype(float))
    s.sort_indices()
    assert bridge_entries(s.indptr, s.indices).all()


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 20), p=st.floats(0.0, 0.6), seed=st.integers(0, 10_000), k=st.integers(1, 4)
)
def test_closed_two_paths_equal_brute_force(n, p, seed, k):
    rng = np.random.default_rng(seed)
    dense = rng.random((n, n)) < p
    np.fill_diagonal(dense, False)
    groups = rng.integers(0, k, size=n)
    expected = np.zeros((n, 8), dtype=np.int64)
    for a, v, b in zip(*np.nonzero(dense[:, :, None] & dense[None, :, :]), strict=True):
        if a != b and dense[a, b]:
            pattern = (
                4 * (groups[a] == groups[v])
                + 2 * (groups[v] == groups[b])
                + (groups[a] == groups[b])
            )
            expected[v, pattern] += 1
    out = sp.csr_matrix(dense.astype(float))
    into = sp.csr_matrix(dense.T.astype(float))
    got = closed_two_paths(out.indptr, out.indices, into.indptr, into.indices, groups)
    np.testing.assert_array_equal(got, expected)


def test_empty_inputs():
    s = sp.csr_matrix((3, 3))
    assert len(edge_common_counts(s.indptr, s.indices)) == 0
    assert len(pair_distances(s.indptr, s.indices, [], [])) == 0
    assert len(bridge_entries(s.indptr, s.indices)) == 0
    assert closed_two_paths(s.indptr, s.indices, s.indptr, s.indices, np.zeros(3)).sum() == 0
