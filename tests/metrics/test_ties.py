"""Tests of netinnov.metrics.ties against networkx, brute force and hand-worked values.

Tie strength and the strong/weak class: tests/test_metrics_tie_strength.py.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinnov.metrics.ties import (
    local_bridges,
    neighbourhood_overlap,
    tie_metrics,
)
from netinnov.networks import CaseNetwork

HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----------------------------------------------------------------------------- helpers
def _named(graph: nx.Graph) -> nx.Graph:
    """Relabel nodes as zero-padded strings so that actor order is predictable."""
    return nx.relabel_nodes(graph, {v: f"a{v:03d}" for v in graph.nodes})


def _skeleton(graph: nx.Graph) -> nx.Graph:
    skeleton = nx.Graph()
    skeleton.add_nodes_from(graph.nodes)
    skeleton.add_edges_from((u, v) for u, v in graph.edges if u != v)
    return skeleton


def _pairs(net: CaseNetwork) -> list[frozenset]:
    return [frozenset(p) for p in zip(net.ties["source"], net.ties["target"], strict=True)]


def _assert_matches_networkx(graph: nx.Graph) -> None:
    net = CaseNetwork.from_networkx(graph)
    result = local_bridges(net)
    assert list(result.columns) == ["local_bridge", "span"]
    assert result.index.equals(net.ties.index)
    reference = {
        frozenset((u, v)): span for u, v, span in nx.local_bridges(_skeleton(graph), with_span=True)
    }
    for pair, is_local, span in zip(
        _pairs(net), result["local_bridge"], result["span"], strict=True
    ):
        assert bool(is_local) == (pair in reference), pair
        if pair in reference:
            assert span == reference[pair], (pair, span, reference[pair])
        else:
            assert span == 2.0
    # each skeleton edge appears, none invented
    assert set(_pairs(net)) == {frozenset(e) for e in _skeleton(graph).edges}


def _brute_overlap(graph: nx.Graph, u, v) -> float:
    skeleton = _skeleton(graph)
    nu, nv = set(skeleton[u]) - {v}, set(skeleton[v]) - {u}
    common = len(nu & nv)
    union = len(nu | nv)  # (k_u - 1) + (k_v - 1) - n_uv
    return math.nan if union == 0 else common / union


@st.composite
def random_graphs(draw, directed: bool = False) -> nx.Graph:
    """Random graphs with isolates and several components (incl. long cycles and trees)."""
    n = draw(st.integers(1, 24))
    nodes = list(range(n))
    max_edges = n * (n - 1) if directed else n * (n - 1) // 2
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(nodes), st.sampled_from(nodes)), max_size=min(max_edges, 45)
        )
    )
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((u, v) for u, v in pairs if u != v)
    extra = draw(st.sampled_from(["none", "cycle", "tree", "both"]))
    offset = n
    if extra in ("cycle", "both"):
        length = draw(st.integers(3, 12))
        cycle = nx.cycle_graph(range(offset, offset + length))
        graph.add_edges_from(cycle.edges)
        if draw(st.booleans()):  # chord: spans between 3 and length - 1
            graph.add_edge(offset, offset + length // 2)
        offset += length
    if extra in ("tree", "both"):
        tree = nx.random_labeled_tree(draw(st.integers(2, 8)), seed=draw(st.integers(0, 10_000)))
        graph.add_edges_from((u + offset, v + offset) for u, v in tree.edges)
        offset += tree.number_of_nodes()
    graph.add_nodes_from(range(offset, offset + draw(st.integers(0, 3))))  # isolates
    return _named(graph)


# ---------------------------------------------------------------------- local bridges
@HYPOTHESIS
@given(random_graphs())
def test_local_bridges_match_networkx_undirected(graph):
    _assert_matches_networkx(graph)


@HYPOTHESIS
@given(random_graphs(directed=True))
def test_local_bridges_match_networkx_on_directed_skeleton(graph):
    net = CaseNetwork.from_networkx(graph)
    result = local_bridges(net)
    reference = {
        frozenset((u, v)): s
        for u, v, s in nx.local_bridges(_skeleton(graph.to_undirected()), with_span=True)
    }
    for pair, is_local, span in zip(
        _pairs(net), result["local_bridge"], result["span"], strict=True
    ):
        assert bool(is_local) == (pair in reference)
        assert span == reference.get(pair, 2.0)


@pytest.mark.parametrize(
    "graph",
    [
        nx.cycle_graph(9),  # every tie a local bridge of span 8 (networkx docstring)
        nx.cycle_graph(40),
        nx.petersen_graph(),  # girth 5: spans 4
        nx.hypercube_graph(4),  # 4-cycles: spans 3
        nx.grid_2d_graph(5, 6),
        nx.ladder_graph(7),
        nx.barbell_graph(5, 3),  # path between cliques: bridges
        nx.lollipop_graph(4, 5),
        nx.karate_club_graph(),
        nx.random_regular_graph(3, 80, seed=3),
        nx.circular_ladder_graph(9),
        nx.star_graph(6),
        nx.path_graph(5),
    ],
)
def test_local_bridges_named_graphs(graph):
    graph = _named(nx.convert_node_labels_to_integers(graph))
    _assert_matches_networkx(graph)


def _two_stars(n_leaves: int, link: tuple[int, int] | None, path: bool) -> nx.Graph:
    """Hubs 0 and 1 tied, each with its own leaves; optionally one leaf-leaf tie
    (a path of length 3) and/or a detour leaf - extra node - leaf (length 4)."""
    graph = nx.Graph([(0, 1)])
    left = [10 + i for i in range(n_leaves)]
    right = [100 + i for i in range(n_leaves)]
    graph.add_edges_from((0, x) for x in left)
    graph.add_edges_from((1, y) for y in right)
    if link is not None:
        graph.add_edge(left[link[0]], right[link[1]])
    if path:
        graph.add_edges_from([(left[0], 999), (999, right[-1])])
    return graph


@pytest.mark.parametrize(
    ("link", "path", "span"),
    [
        ((19, 19), False, 3.0),
        ((0, 5), False, 3.0),
        ((12, 0), True, 3.0),
        (None, True, 4.0),
        (None, False, math.inf),
    ],
)
def test_span_of_hub_tie_with_a_late_witness(link, path, span):
    graph = _named(_two_stars(20, link, path))
    net = CaseNetwork.from_networkx(graph)
    result = local_bridges(net)
    hub = [i for i, p in enumerate(_pairs(net)) if p == frozenset({"a000", "a001"})][0]
    assert bool(result["local_bridge"].iloc[hub])
    assert result["span"].iloc[hub] == span
    _assert_matches_networkx(graph)


def test_complete_bipartite_ties_all_span_three():
    net = CaseNetwork.from_networkx(_named(nx.complete_bipartite_graph(9, 12)))
    result = local_bridges(net)
    assert result["local_bridge"].all() and (result["span"] == 3.0).all()


def test_cycle_spans_by_hand():
    net = CaseNetwork.from_networkx(_named(nx.cycle_graph(9)))
    result = local_bridges(net)
    assert result["local_bridge"].all()
    assert (result["span"] == 8.0).all()


def test_local_bridges_over_mixed_components():
    """Regular, cyclic, dense and path components, undirected and directed."""
    graph = nx.disjoint_union_all(
        [
            nx.random_regular_graph(3, 60, seed=1),
            nx.cycle_graph(17),
            nx.petersen_graph(),
            nx.path_graph(4),
        ]
    )
    _assert_matches_networkx(_named(graph))
    directed = nx.gnm_random_graph(50, 80, seed=4, directed=True)
    _assert_matches_networkx(_named(directed))


def test_directed_arcs_of_one_pair_share_values():
    graph = nx.DiGraph([(0, 1), (1, 0), (1, 2), (2, 3), (3, 0), (0, 2)])
    net = CaseNetwork.from_networkx(_named(graph))
    metrics = tie_metrics(net)
    by_pair = metrics.groupby([frozenset(p) for p in _pairs(net)]).nunique()
    assert (by_pair <= 1).all().all()
    assert len(metrics) == 6


# ---------------------------------------------------------------------------- overlap
@HYPOTHESIS
@given(st.one_of(random_graphs(), random_graphs(directed=True)))
def test_overlap_matches_brute_force(graph):
    net = CaseNetwork.from_networkx(graph)
    overlap = neighbourhood_overlap(net)
    assert overlap.name == "overlap"
    assert overlap.index.equals(net.ties.index)
    for (u, v), value in zip(
        zip(net.ties["source"], net.ties["target"], strict=True), overlap, strict=True
    ):
        expected = _brute_overlap(graph, u, v)
        if math.isnan(expected):
            assert math.isnan(value)
        else:
            assert value == pytest.approx(expected)


def test_overlap_by_hand():
    # triangle a-b-c plus pendant d on c: O_ab = 1/(1+1-1) = 1; O_ac = 1/(1+2-1) = 1/2; O_cd = 0
    graph = nx.Graph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("e", "f")])
    net = CaseNetwork.from_networkx(graph)
    values = dict(zip(_pairs(net), neighbourhood_overlap(net), strict=True))
    assert values[frozenset("ab")] == 1.0
    assert values[frozenset("ac")] == 0.5
    assert values[frozenset("bc")] == 0.5
    assert values[frozenset("cd")] == 0.0
    assert math.isnan(values[frozenset("ef")])  # lone dyad: 0/0


def test_overlap_zero_iff_local_bridge():
    net = CaseNetwork.from_networkx(_named(nx.powerlaw_cluster_graph(60, 2, 0.5, seed=2)))
    metrics = tie_metrics(net)
    assert ((metrics["overlap"] == 0) == metrics["local_bridge"]).all()
    assert ((metrics["span"] > 2) == metrics["local_bridge"]).all()


# ------------------------------------------------------------------------- edge cases
@pytest.mark.parametrize("n_actors", [0, 1, 3])
@pytest.mark.parametrize("directed", [False, True])
def test_networks_without_ties(n_actors, directed):
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(f"a{i}" for i in range(n_actors))
    net = CaseNetwork.from_networkx(graph)
    metrics = tie_metrics(net)
    assert list(metrics.columns) == ["overlap", "local_bridge", "span"]
    assert len(metrics) == 0
    assert len(neighbourhood_overlap(net)) == 0
    assert len(local_bridges(net)) == 0


def test_single_tie():
    net = CaseNetwork.from_networkx(nx.Graph([("x", "y")]))
    metrics = tie_metrics(net)
    assert math.isnan(metrics.loc[0, "overlap"])
    assert bool(metrics.loc[0, "local_bridge"])
    assert metrics.loc[0, "span"] == math.inf


def test_tie_metrics_keeps_a_custom_index():
    net = CaseNetwork.from_networkx(_named(nx.karate_club_graph()))
    shifted = net.ties.copy()
    shifted.index = shifted.index + 1000
    other = CaseNetwork(
        case_id="c",
        actors=net.actors,
        groups=net.groups,
        group_labels=net.group_labels,
        directed=False,
        ties=shifted,
    )
    metrics = tie_metrics(other)
    assert metrics.index.equals(shifted.index)
    assert np.array_equal(metrics["span"].to_numpy(), tie_metrics(net)["span"].to_numpy())
