"""Betweenness against networkx, published values and the sampling estimator's properties."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netinnov.metrics.betweenness import betweenness
from netinnov.networks import CaseNetwork


@st.composite
def random_graphs(draw, max_nodes: int = 14, weighted: bool = False):
    directed = draw(st.booleans())
    n = draw(st.integers(1, max_nodes))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(n))  # isolates and several components stay in
    for i, j in chosen:
        w = draw(st.sampled_from([1.0, 2.0, 4.0])) if weighted else 1.0
        g.add_edge(i, j, weight=w, length=1.0 / w)
    return g


def _by_actor(g: nx.Graph, values: dict) -> pd.Series:
    return pd.Series({str(v): float(x) for v, x in values.items()}).sort_index()


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_betweenness_matches_networkx_unnormalised(g):
    net = CaseNetwork.from_networkx(g)
    got = betweenness(net)
    expected = _by_actor(g, nx.betweenness_centrality(g, normalized=False))
    np.testing.assert_allclose(
        got["betweenness"].to_numpy(), expected.reindex(net.actors).to_numpy(), atol=1e-9
    )
    assert (got["betweenness_method"] == "exact").all()
    assert list(got.index) == list(net.actors)


@settings(max_examples=40, deadline=None)
@given(random_graphs(weighted=True))
def test_weighted_betweenness_uses_inverse_weight_as_length(g):
    net = CaseNetwork.from_networkx(g)
    got = betweenness(net, weight="weight")
    expected = _by_actor(g, nx.betweenness_centrality(g, normalized=False, weight="length"))
    np.testing.assert_allclose(
        got["betweenness"].to_numpy(), expected.reindex(net.actors).to_numpy(), atol=1e-9
    )


def test_florentine_marriage_network_published_values():
    # Padgett's Florentine marriage network; raw betweenness of the Medici is 47.5
    # (Wasserman & Faust 1994 report the normalised 0.522 = 47.5 / C(14, 2)).
    g = nx.florentine_families_graph()
    got = betweenness(CaseNetwork.from_networkx(g))["betweenness"]
    assert got["Medici"] == pytest.approx(47.5)
    assert got["Guadagni"] == pytest.approx(23.1666667)
    assert got["Albizzi"] == pytest.approx(19.3333333)
    assert got["Pazzi"] == 0.0
    expected = _by_actor(g, nx.betweenness_centrality(g, normalized=False))
    np.testing.assert_allclose(got.to_numpy(), expected.reindex(got.index).to_numpy())


def test_directed_path_counts_ordered_pairs():
    # a → b → c → d: b lies on (a,c), (a,d); c on (a,d), (b,d)
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    got = betweenness(CaseNetwork.from_networkx(g))["betweenness"]
    assert got.to_dict() == {"a": 0.0, "b": 2.0, "c": 2.0, "d": 0.0}
    # undirected: each unordered pair once
    got_u = betweenness(CaseNetwork.from_networkx(g.to_undirected()))["betweenness"]
    assert got_u.to_dict() == {"a": 0.0, "b": 2.0, "c": 2.0, "d": 0.0}


def test_split_shortest_paths_share_credit():
    # a square a-b-d, a-c-d: b and c each carry half of the pair (a, d)
    g = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    got = betweenness(CaseNetwork.from_networkx(g))["betweenness"]
    assert got.to_dict() == {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}


def test_weight_shortcut_changes_paths():
    # with length 1/weight, the strong two-step path a-b-c (0.1 + 0.1) beats the weak tie a-c (1)
    g = nx.Graph()
    g.add_edge("a", "b", weight=10.0)
    g.add_edge("b", "c", weight=10.0)
    g.add_edge("a", "c", weight=1.0)
    net = CaseNetwork.from_networkx(g)
    assert betweenness(net)["betweenness"]["b"] == 0.0
    assert betweenness(net, weight="weight")["betweenness"]["b"] == 1.0


@pytest.mark.parametrize("bad", [0.0, -1.5, np.nan])
def test_non_positive_weights_raise(bad):
    g = nx.Graph()
    g.add_edge("a", "b", weight=1.0, strength=bad)
    g.add_edge("b", "c", weight=1.0, strength=2.0)
    net = CaseNetwork.from_networkx(g)
    with pytest.raises(ValueError, match="strictly positive"):
        betweenness(net, weight="strength")


def test_edge_cases_one_actor_no_ties_empty():
    one = CaseNetwork.from_networkx(nx.empty_graph(["x"]))
    assert betweenness(one)["betweenness"].tolist() == [0.0]
    isolates = CaseNetwork.from_networkx(nx.empty_graph(5, create_using=nx.DiGraph))
    assert betweenness(isolates, weight="weight")["betweenness"].tolist() == [0.0] * 5
    empty = CaseNetwork.from_networkx(nx.Graph())
    assert betweenness(empty).shape == (0, 2)


def _random_net(n: int, p: float, directed: bool, seed: int) -> tuple[nx.Graph, CaseNetwork]:
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    return g, CaseNetwork.from_networkx(g)


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_estimate_is_close_to_exact_on_2k_graph(directed):
    _, net = _random_net(2000, 3.0 / 2000, directed, seed=7)
    exact = betweenness(net)["betweenness"].to_numpy()
    sampled = betweenness(net, exact_max_actors=1000, samples=1000, seed=3)
    assert (sampled["betweenness_method"] == "sampled(k=1000)").all()
    est = sampled["betweenness"].to_numpy()
    assert abs(est.sum() - exact.sum()) / exact.sum() < 0.02
    assert np.corrcoef(est, exact)[0, 1] > 0.98
    top = exact > np.quantile(exact, 0.9)
    rel = np.abs(est[top] - exact[top]) / exact[top]
    assert np.median(rel) < 0.1
    assert rel.max() < 0.4


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_estimate_is_unbiased(directed):
    # average of many independent k-pivot estimates converges to the exact value
    _, net = _random_net(30, 0.12, directed, seed=1)
    exact = betweenness(net)["betweenness"].to_numpy()
    runs = np.array(
        [
            betweenness(net, exact_max_actors=10, samples=6, seed=s)["betweenness"].to_numpy()
            for s in range(400)
        ]
    )
    mean = runs.mean(axis=0)
    se = runs.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(mean - exact) <= 4.5 * se + 1e-9)
    # single-pivot dependencies summed over all n pivots are exact: n/k scaling with k = n
    full = betweenness(net, exact_max_actors=10, samples=30, seed=0)
    np.testing.assert_allclose(full["betweenness"].to_numpy(), exact)
    assert (full["betweenness_method"] == "exact").all()


def test_sampled_estimate_is_seeded():
    _, net = _random_net(300, 0.02, False, seed=2)
    a = betweenness(net, exact_max_actors=100, samples=50, seed=11)
    b = betweenness(net, exact_max_actors=100, samples=50, seed=11)
    c = betweenness(net, exact_max_actors=100, samples=50, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["betweenness"], c["betweenness"])


def test_samples_must_be_positive():
    _, net = _random_net(10, 0.3, False, seed=0)
    with pytest.raises(ValueError, match="samples"):
        betweenness(net, samples=0)


# --------------------------------------------------------------------------- sources split over processes
def _igraph_single(net: CaseNetwork, weight: str | None = None) -> np.ndarray:
    g = net.igraph()
    weights = None if weight is None else (1.0 / net.ties[weight].to_numpy(dtype=float)).tolist()
    return np.asarray(g.betweenness(directed=net.directed, weights=weights), dtype=float)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_split_sources_equal_one_igraph_call_and_do_not_depend_on_workers(monkeypatch, directed, weighted):
    import netinnov.metrics.betweenness as module

    monkeypatch.setattr(module, "SPLIT_MIN_ACTORS", 100)  # split this small network too
    g = nx.gnp_random_graph(300, 4.0 / 300, seed=11, directed=directed)
    rng = np.random.default_rng(5)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = float(rng.choice([1.0, 2.0, 4.0]))
    net = CaseNetwork.from_networkx(g)
    weight = "weight" if weighted else None
    single = _igraph_single(net, weight)
    serial = betweenness(net, weight=weight, workers=1)["betweenness"].to_numpy()
    np.testing.assert_allclose(serial, single, rtol=1e-9, atol=1e-9)
    if directed and weighted:  # worker processes (slow to start): once
        parallel = betweenness(net, weight=weight, workers=2)["betweenness"].to_numpy()
        assert np.array_equal(serial, parallel)  # the same blocks summed in the same order: the same bits
    expected = nx.betweenness_centrality(g, normalized=False)
    if weighted:  # networkx reads lengths: 1 / weight
        for u, v in g.edges:
            g.edges[u, v]["length"] = 1.0 / g.edges[u, v]["weight"]
        expected = nx.betweenness_centrality(g, normalized=False, weight="length")
    np.testing.assert_allclose(serial, [expected[int(a)] for a in net.actors], rtol=1e-9, atol=1e-9)


def test_split_sampled_estimate_equals_the_unsplit_one(monkeypatch):
    import netinnov.metrics.betweenness as module

    _, net = _random_net(400, 3.0 / 400, False, seed=2)
    unsplit = betweenness(net, exact_max_actors=100, samples=150, seed=4)["betweenness"].to_numpy()
    monkeypatch.setattr(module, "SPLIT_MIN_ACTORS", 100)
    split = betweenness(net, exact_max_actors=100, samples=150, seed=4, workers=1)["betweenness"].to_numpy()
    np.testing.assert_allclose(split, unsplit, rtol=1e-9, atol=1e-9)
