"""Burt's structural-hole measures against networkx, igraph, published and hand-worked values."""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netinnov.metrics.structural_holes import structural_holes
from netinnov.networks import CaseNetwork

COLUMNS = ["constraint", "effective_size", "efficiency", "hierarchy"]


@st.composite
def random_graphs(draw, max_nodes: int = 12):
    directed = draw(st.booleans())
    weighted = draw(st.booleans())
    n = draw(st.integers(1, max_nodes))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(n))
    for i, j in chosen:
        w = draw(st.floats(0.1, 10.0, allow_nan=False)) if weighted else 1.0
        g.add_edge(i, j, weight=w)
    return g, ("weight" if weighted else None)


def _brute_force(g: nx.Graph, weight: str | None) -> pd.DataFrame:
    """Burt's formulas, pair by pair, with plain dictionaries."""

    def a(u, v):
        if not g.has_edge(u, v):
            return 0.0
        return 1.0 if weight is None else float(g[u][v][weight])

    def mutual(u, v):
        return a(u, v) + (a(v, u) if g.is_directed() else a(u, v))

    def alters(u):
        return set(nx.all_neighbors(g, u)) - {u}

    def p(u, v):
        total = sum(mutual(u, k) for k in alters(u))
        return mutual(u, v) / total if total else 0.0

    def m_hat(u, v):
        top = max((mutual(u, k) for k in alters(u)), default=0.0)
        return mutual(u, v) / top if top else 0.0

    rows = {}
    for i in g:
        nbrs = alters(i)
        n_i = len(nbrs)
        if n_i == 0:
            rows[str(i)] = dict.fromkeys(COLUMNS, math.nan)
            continue
        local = {j: (p(i, j) + sum(p(i, q) * p(q, j) for q in nbrs if q != j)) ** 2 for j in nbrs}
        c = sum(local.values())
        esize = sum(1 - sum(p(i, q) * m_hat(j, q) for q in nbrs if q != j) for j in nbrs)
        if n_i >= 2:
            r = {j: local[j] / (c / n_i) for j in nbrs}
            h = sum(x * math.log(x) for x in r.values()) / (n_i * math.log(n_i))
        else:
            h = math.nan
        rows[str(i)] = {
            "constraint": c,
            "effective_size": esize,
            "efficiency": esize / n_i,
            "hierarchy": h,
        }
    return pd.DataFrame.from_dict(rows, orient="index")[COLUMNS]


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_matches_brute_force_networkx_and_igraph(case):
    g, weight = case
    net = CaseNetwork.from_networkx(g, weight=weight or "weight")
    got = structural_holes(net, weight=weight)
    assert list(got.index) == list(net.actors)
    expected = _brute_force(g, weight).reindex(net.actors)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-9, atol=1e-12)

    # networkx: constraint from its local_constraint over in- and out-neighbours,
    # effective size from its per-node path (its all-nodes path is not used)
    for v in g:
        nbrs = set(nx.all_neighbors(g, v))
        if not nbrs:
            assert math.isnan(got.loc[str(v), "constraint"])
            continue
        c = sum(nx.local_constraint(g, v, u, weight=weight) for u in nbrs)
        assert got.loc[str(v), "constraint"] == pytest.approx(c, rel=1e-9)
        if g.is_directed() and g.out_degree(v) == 0:
            continue  # networkx's per-node path returns NaN for actors with in-ties only
        e = nx.effective_size(g, nodes=[v], weight=weight)[v]
        assert got.loc[str(v), "effective_size"] == pytest.approx(e, rel=1e-9)

    # igraph's C implementation of constraint
    h = ig.Graph(n=g.number_of_nodes(), directed=g.is_directed())
    order = {v: str(v) for v in g}
    edges = list(g.edges(data=True))
    h.add_edges([(list(g).index(u), list(g).index(v)) for u, v, _ in edges])
    w = [d["weight"] for _, _, d in edges] if weight else None
    ig_c = pd.Series(h.constraint(weights=w), index=[order[v] for v in g]).reindex(net.actors)
    np.testing.assert_allclose(got["constraint"].to_numpy(), ig_c.to_numpy(), rtol=1e-9)


@pytest.fixture()
def borgatti():
    # Borgatti (1997), Connections 20(1), the example also used by networkx's tests
    g = nx.Graph()
    weights = {
        ("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8,
        ("F", "G"): 3, ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10,
    }  # fmt: skip
    for (u, v), w in weights.items():
        g.add_edge(u, v, weight=float(w))
    return CaseNetwork.from_networkx(g)


def test_borgatti_example_published_values(borgatti):
    # values computed with UCINET and igraph (as quoted in networkx's test suite)
    binary = structural_holes(borgatti, weight=None)
    assert binary.loc["G", "constraint"] == pytest.approx(0.400, abs=1e-3)
    assert binary.loc["A", "constraint"] == pytest.approx(0.595, abs=1e-3)
    assert binary.loc["C", "constraint"] == pytest.approx(1.0, abs=1e-3)
    assert binary.loc["G", "effective_size"] == pytest.approx(4.67, abs=1e-2)
    assert binary.loc["A", "effective_size"] == pytest.approx(2.50, abs=1e-2)
    assert binary.loc["C", "effective_size"] == pytest.approx(1.0, abs=1e-2)
    weighted = structural_holes(borgatti, weight="weight")
    assert weighted.loc["G", "constraint"] == pytest.approx(0.299, abs=1e-3)
    assert weighted.loc["A", "constraint"] == pytest.approx(0.795, abs=1e-3)
    assert weighted.loc["C", "constraint"] == pytest.approx(1.0, abs=1e-3)
    assert weighted.loc["G", "effective_size"] == pytest.approx(5.47, abs=1e-2)
    assert weighted.loc["A", "effective_size"] == pytest.approx(2.47, abs=1e-2)
    assert weighted.loc["C", "effective_size"] == pytest.approx(1.0, abs=1e-2)


def test_borgatti_simplification_for_binary_undirected(borgatti):
    # effective size = n - 2t/n, t = ties among ego's alters
    g = borgatti.to_networkx()
    got = structural_holes(borgatti, weight=None)["effective_size"]
    for v in g:
        alters = set(g[v])
        t = g.subgraph(alters).number_of_edges()
        assert got[v] == pytest.approx(len(alters) - 2 * t / len(alters))


def test_directed_published_values():
    # networkx/UCINET example: arcs 0→1, 0→2, 1→0, 2→1
    d = nx.DiGraph([(0, 1), (0, 2), (1, 0), (2, 1)])
    binary = structural_holes(CaseNetwork.from_networkx(d), weight=None)
    np.testing.assert_allclose(binary["constraint"], [1.003, 1.003, 1.389], atol=1e-3)
    np.testing.assert_allclose(binary["effective_size"], [1.167, 1.167, 1.0], atol=1e-3)
    nx.set_edge_attributes(d, {(0, 1): 2.0, (0, 2): 2.0, (1, 0): 1.0, (2, 1): 1.0}, "weight")
    weighted = structural_holes(CaseNetwork.from_networkx(d), weight="weight")
    np.testing.assert_allclose(weighted["constraint"], [0.840, 1.143, 1.378], atol=1e-3)
    np.testing.assert_allclose(weighted["effective_size"], [1.567, 1.083, 1.0], atol=1e-3)


def test_hand_worked_triangle_with_pendant():
    # 0 is tied to 1, 2, 3; 1-2 tied. p_0j = 1/3, p_12 = p_21 = 1/2.
    g = nx.Graph([(0, 1), (0, 2), (1, 2), (0, 3)])
    got = structural_holes(CaseNetwork.from_networkx(g), weight=None).loc["0"]
    c01 = (1 / 3 + (1 / 3) * (1 / 2)) ** 2  # = 1/4
    c03 = (1 / 3) ** 2
    c = 2 * c01 + c03  # = 11/18
    assert got["constraint"] == pytest.approx(11 / 18)
    assert got["effective_size"] == pytest.approx(3 - 2 * 1 / 3)
    assert got["efficiency"] == pytest.approx((3 - 2 / 3) / 3)
    r01, r03 = c01 / (c / 3), c03 / (c / 3)  # 27/22 and 6/11
    assert r01 == pytest.approx(27 / 22)
    h = (2 * r01 * math.log(r01) + r03 * math.log(r03)) / (3 * math.log(3))
    assert got["hierarchy"] == pytest.approx(h)


def test_star_has_no_hierarchy_and_leaves_are_fully_constrained():
    g = nx.star_graph(4)  # centre 0, leaves 1..4
    got = structural_holes(CaseNetwork.from_networkx(g), weight=None)
    assert got.loc["0", "constraint"] == pytest.approx(4 * (1 / 4) ** 2)
    assert got.loc["0", "effective_size"] == pytest.approx(4.0)
    assert got.loc["0", "efficiency"] == pytest.approx(1.0)
    assert got.loc["0", "hierarchy"] == pytest.approx(0.0, abs=1e-12)
    leaf = got.loc["1"]
    assert leaf["constraint"] == pytest.approx(1.0)
    assert leaf["effective_size"] == pytest.approx(1.0)
    assert math.isnan(leaf["hierarchy"])  # one alter: hierarchy undefined


def test_isolates_and_edge_cases_give_nan_not_errors():
    g = nx.Graph([("a", "b")])
    g.add_node("z")
    got = structural_holes(CaseNetwork.from_networkx(g))
    assert got.loc["z"].isna().all()
    assert got.loc["a", "constraint"] == pytest.approx(1.0)
    none = structural_holes(CaseNetwork.from_networkx(nx.empty_graph(3)))
    assert none.shape == (3, 4) and none.isna().all().all()
    one = structural_holes(CaseNetwork.from_networkx(nx.empty_graph(["x"])))
    assert one.isna().all().all()
    assert structural_holes(CaseNetwork.from_networkx(nx.Graph())).shape == (0, 4)


def test_negative_weights_raise_and_zero_weights_drop():
    g = nx.Graph()
    g.add_edge("a", "b", weight=1.0, strength=-0.3)
    g.add_edge("b", "c", weight=1.0, strength=0.0)
    net = CaseNetwork.from_networkx(g)
    with pytest.raises(ValueError, match="non-negative"):
        structural_holes(net, weight="strength")
    g2 = nx.Graph()
    g2.add_edge("a", "b", weight=1.0, strength=2.0)
    g2.add_edge("b", "c", weight=1.0, strength=0.0)
    got = structural_holes(CaseNetwork.from_networkx(g2), weight="strength")
    assert math.isnan(got.loc["c", "constraint"])
    assert got.loc["b", "constraint"] == pytest.approx(1.0)


def test_chunked_products_agree(monkeypatch):
    import netinnov.networks.kernels.sparse_paths as paths

    g = nx.gnp_random_graph(60, 0.15, seed=4, directed=True)
    for u, v in g.edges:
        g[u][v]["weight"] = 1.0 + (u * 7 + v * 3) % 5
    net = CaseNetwork.from_networkx(g)
    whole = structural_holes(net)
    monkeypatch.setattr(paths, "CHUNK_NNZ", 7)
    chunks = []
    original = paths.pair_products

    def spy(*args, **kwargs):
        for item in original(*args, **kwargs):
            chunks.append(item[1].shape[0])
            yield item

    monkeypatch.setattr(paths, "pair_products", spy)
    chunked = structural_holes(net)
    assert len(chunks) > 50 and sum(chunks) == net.symmetric.nnz // 2
    pd.testing.assert_frame_equal(whole, chunked, rtol=1e-12)
