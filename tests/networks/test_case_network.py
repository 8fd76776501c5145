"""Tests of netinnov.networks.case_network: a CaseNetwork built from a networkx
graph holds what networkx holds (actors, groups, ties, weights, matrices)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from helpers.networks import network_from_edges
from netinnov.networks import CaseNetwork


def _graph(directed: bool) -> nx.Graph:
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_node("d", sector="citizen", age=40)  # an isolate
    g.add_node("b", sector="private")
    g.add_node("a", sector="public")
    g.add_node("c")  # no sector
    g.add_edge("b", "a", weight=2.0, frequency=3)
    g.add_edge("a", "c", weight=1.5)
    g.add_edge("c", "b")  # no weight: 1
    g.add_edge("c", "c", weight=9.0)  # a self-loop: dropped
    return g


@pytest.mark.parametrize("directed", [False, True])
def test_from_networkx_keeps_actors_groups_and_ties(directed):
    g = _graph(directed)
    net = CaseNetwork.from_networkx(g, case_id="k")
    assert net.case_id == "k" and net.directed is directed
    assert net.actors.tolist() == ["a", "b", "c", "d"]  # sorted by their string form
    assert net.group_labels == ("citizen", "private", "public")
    assert net.groups.tolist() == [2, 1, -1, 0]
    assert net.group_names.tolist()[:2] == ["public", "private"]
    assert net.n == 4 and net.n_ties == g.number_of_edges() - nx.number_of_selfloops(g) == 3
    assert net.attributes.loc["d", "age"] == 40
    weights = {(r.source, r.target): r.weight for r in net.ties.itertuples()}
    if directed:
        assert weights == {("b", "a"): 2.0, ("a", "c"): 1.5, ("c", "b"): 1.0}
    else:  # an unordered pair stored once, source before target
        assert weights == {("a", "b"): 2.0, ("a", "c"): 1.5, ("b", "c"): 1.0}
        assert (net.ties["source_index"] < net.ties["target_index"]).all()
    assert net.ties.loc[net.ties["weight"] == 2.0, "frequency"].tolist() == [3]


@pytest.mark.parametrize("directed", [False, True])
def test_matrices_equal_networkx_adjacency(directed):
    g = _graph(directed)
    g.remove_edge("c", "c")
    net = CaseNetwork.from_networkx(g)
    order = net.actors.tolist()
    expected = nx.to_numpy_array(g, nodelist=order, weight="weight")
    np.testing.assert_array_equal(net.matrix("weight").toarray(), expected)
    np.testing.assert_array_equal(net.adjacency.toarray(), (expected != 0).astype(float))
    symmetric = nx.to_numpy_array(g.to_undirected(), nodelist=order, weight=None)
    np.testing.assert_array_equal(net.symmetric.toarray(), symmetric)


@pytest.mark.parametrize("directed", [False, True])
def test_to_networkx_round_trips(directed):
    g = _graph(directed)
    g.remove_edge("c", "c")
    back = CaseNetwork.from_networkx(g, case_id="k").to_networkx()
    assert back.is_directed() is directed and back.graph["case_id"] == "k"
    assert sorted(back.nodes) == sorted(g.nodes)
    assert {n: d.get("sector") for n, d in back.nodes(data=True)} == {n: d.get("sector") for n, d in g.nodes(data=True)}
    assert nx.utils.edges_equal(back.edges, g.edges)
    for u, v, data in g.edges(data=True):
        assert back.edges[u, v]["weight"] == data.get("weight", 1.0)


def test_igraph_view_has_the_ties_in_order():
    net = network_from_edges([("a", "b"), ("b", "c"), ("c", "d")], {"e": None})
    ig = net.igraph()
    assert ig.vcount() == net.n == 5
    assert [e.tuple for e in ig.es] == list(zip(net.ties["source_index"], net.ties["target_index"], strict=True))


def test_invalid_ties_are_refused():
    ties = pd.DataFrame({"source_index": [1], "target_index": [0], "source": ["b"], "target": ["a"], "weight": [1.0]})
    actors = np.array(["a", "b"], dtype=object)
    with pytest.raises(ValueError, match="source_index < target_index"):
        CaseNetwork("c", actors, np.array([0, 0]), ("x",), False, ties)
    with pytest.raises(ValueError, match="outside"):
        CaseNetwork("c", actors, np.array([0, 0]), ("x",), True, ties.assign(source_index=[5]))
    with pytest.raises(ValueError, match="itself"):
        CaseNetwork("c", actors, np.array([0, 0]), ("x",), True, ties.assign(target_index=[1]))
    with pytest.raises(ValueError, match="lack"):
        CaseNetwork("c", actors, np.array([0, 0]), ("x",), True, ties.drop(columns="weight"))
