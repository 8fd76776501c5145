"""Tests of netinnov.metrics.ties against networkx, brute force and hand-worked values."""

from __future__ import annotations

import math
import statistics

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinnov.metrics.ties import (
    DEFAULT_TIE_STRENGTH_WEIGHTS,
    classify_ties,
    local_bridges,
    neighbourhood_overlap,
    tie_metrics,
    tie_strength,
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


# ----------------------------------------------------------------------- tie strength
def _z(values: list[float | None]) -> list[float]:
    """Hand z-scores: population SD over observed values; missing -> 0."""
    observed = [v for v in values if v is not None]
    mean, sd = statistics.fmean(observed), statistics.pstdev(observed)
    return [0.0 if v is None else (v - mean) / sd for v in values]


def test_tie_strength_hand_worked():
    ties = pd.DataFrame(
        {
            "frequency": [1, 3, 7, 2],
            "duration_min": [0.0, 30.0, None, 90.0],
            "closeness": [2.0, None, 4.0, 5.0],
            "multiplexity": [1, 1, 2, 3],
            "coparticipation": [0, 0, 0, 0],  # constant: dropped
            "reciprocated": [True, False, True, True],
        }
    )
    z_freq = _z([math.log(2), math.log(4), math.log(8), math.log(3)])
    z_dur = _z([math.log(1), math.log(31), None, math.log(91)])
    z_close = _z([2.0, None, 4.0, 5.0])
    z_mult = _z([1.0, 1.0, 2.0, 3.0])
    z_rec = _z([1.0, 0.0, 1.0, 1.0])
    directed = [
        (a + b + c + d + e) / 5
        for a, b, c, d, e in zip(z_freq, z_dur, z_close, z_mult, z_rec, strict=True)
    ]
    undirected = [
        (a + b + c + d) / 4 for a, b, c, d in zip(z_freq, z_dur, z_close, z_mult, strict=True)
    ]

    got = tie_strength(ties, directed=True)
    assert got.name == "strength"
    assert got.tolist() == pytest.approx(directed)
    assert got.attrs["weights"] == pytest.approx(
        {
            "frequency": 0.2,
            "duration_min": 0.2,
            "closeness": 0.2,
            "multiplexity": 0.2,
            "reciprocated": 0.2,
        }
    )
    assert tie_strength(ties, directed=False).tolist() == pytest.approx(undirected)


def test_tie_strength_docstring_example():
    ties = pd.DataFrame({"frequency": [1, 3, 7], "closeness": [2.0, None, 4.0]})
    # log1p(1, 3, 7) = ln 2, ln 4, ln 8: equally spaced -> z = -sqrt(1.5), 0, sqrt(1.5);
    # closeness 2, -, 4 -> z = -1, 0 (imputed), 1
    r = math.sqrt(1.5)
    assert tie_strength(ties, directed=False).tolist() == pytest.approx(
        [(-r - 1) / 2, 0.0, (r + 1) / 2]
    )


def test_tie_strength_absent_fields_and_renormalised_weights():
    ties = pd.DataFrame({"frequency": [1, 2, 4, 8], "closeness": [1.0, 3.0, 2.0, 5.0]})
    z_freq = _z([math.log1p(v) for v in [1, 2, 4, 8]])
    z_close = _z([1.0, 3.0, 2.0, 5.0])
    # only frequency present
    alone = tie_strength(ties[["frequency"]], directed=False)
    assert alone.tolist() == pytest.approx(z_freq)
    # explicit weights 2:1, renormalised to 2/3 and 1/3
    weighted = tie_strength(ties, weights={"frequency": 2.0, "closeness": 1.0}, directed=False)
    assert weighted.tolist() == pytest.approx(
        [(2 * f + c) / 3 for f, c in zip(z_freq, z_close, strict=True)]
    )
    assert weighted.attrs["weights"] == pytest.approx({"frequency": 2 / 3, "closeness": 1 / 3})
    # scaling all weights changes nothing
    scaled = tie_strength(ties, weights={"frequency": 20.0, "closeness": 10.0}, directed=False)
    assert scaled.tolist() == pytest.approx(weighted.tolist())
    # a weighted component absent from the table drops out
    missing = tie_strength(
        ties[["frequency"]], weights={"frequency": 1.0, "closeness": 3.0}, directed=False
    )
    assert missing.tolist() == pytest.approx(z_freq)
    # a zero weight drops a component; components not named are not used
    zero = tie_strength(ties, weights={"frequency": 1.0, "closeness": 0.0}, directed=False)
    assert zero.tolist() == pytest.approx(z_freq)


def test_tie_strength_reciprocity_only_when_directed():
    ties = pd.DataFrame({"frequency": [1, 2, 3], "reciprocated": [True, False, False]})
    assert tie_strength(ties, directed=False).tolist() == pytest.approx(
        _z([math.log1p(v) for v in [1, 2, 3]])
    )
    both = tie_strength(ties, directed=True)
    expected = [
        (a + b) / 2
        for a, b in zip(_z([math.log1p(v) for v in [1, 2, 3]]), _z([1.0, 0.0, 0.0]), strict=True)
    ]
    assert both.tolist() == pytest.approx(expected)
    # the same flags read back from text (e.g. a CSV with missing values)
    text = ties.assign(reciprocated=pd.Series(["True", "false", None], dtype=object))
    expected_text = [
        (a + b) / 2
        for a, b in zip(_z([math.log1p(v) for v in [1, 2, 3]]), _z([1.0, 0.0, None]), strict=True)
    ]
    assert tie_strength(text, directed=True).tolist() == pytest.approx(expected_text)


def test_tie_strength_missing_values_imputed_to_the_mean():
    ties = pd.DataFrame({"frequency": [np.nan, 1, 5], "closeness": [np.nan, 2.0, 4.0]})
    got = tie_strength(ties, directed=False)
    assert got.iloc[0] == 0.0
    assert got.iloc[1] == pytest.approx(-1.0)  # z = -1 on both components (two observed values)
    assert got.iloc[2] == pytest.approx(1.0)


def test_tie_strength_degenerate_tables():
    constant = pd.DataFrame({"frequency": [2, 2, 2], "closeness": [3.0, None, 3.0]})
    got = tie_strength(constant, directed=False)
    assert got.tolist() == [0.0, 0.0, 0.0]
    assert got.attrs["weights"] == {}
    empty = tie_strength(pd.DataFrame({"frequency": []}), directed=False)
    assert len(empty) == 0 and empty.dtype == float
    one = tie_strength(pd.DataFrame({"frequency": [4]}), directed=False)
    assert one.tolist() == [0.0]


def test_tie_strength_deterministic_and_row_equivariant():
    rng = np.random.default_rng(7)
    ties = pd.DataFrame(
        {
            "frequency": rng.integers(1, 20, 50),
            "duration_min": np.where(rng.random(50) < 0.2, np.nan, rng.integers(0, 600, 50)),
            "closeness": rng.integers(1, 6, 50).astype(float),
            "multiplexity": rng.integers(1, 4, 50),
            "coparticipation": rng.integers(0, 5, 50),
        },
        index=pd.RangeIndex(100, 150),
    )
    first = tie_strength(ties, directed=False)
    assert first.index.equals(ties.index)
    assert first.equals(tie_strength(ties, directed=False))
    shuffled = ties.sample(frac=1.0, random_state=1)
    assert tie_strength(shuffled, directed=False).reindex(ties.index).to_numpy() == pytest.approx(
        first.to_numpy()
    )
    assert first.mean() == pytest.approx(0.0, abs=1e-12)


def test_tie_strength_default_weights_documented():
    assert dict(DEFAULT_TIE_STRENGTH_WEIGHTS) == {
        "frequency": 1.0,
        "duration_min": 1.0,
        "closeness": 1.0,
        "multiplexity": 1.0,
        "coparticipation": 0.5,
        "reciprocated": 1.0,
    }


@pytest.mark.parametrize(
    "weights",
    [{"friendship": 1.0}, {"frequency": -1.0}, {"frequency": float("nan")}],
)
def test_tie_strength_rejects_bad_weights(weights):
    with pytest.raises(ValueError):
        tie_strength(pd.DataFrame({"frequency": [1, 2]}), weights=weights, directed=False)


def test_tie_strength_rejects_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        tie_strength(pd.DataFrame({"duration_min": [-5.0, 2.0]}), directed=False)


# ---------------------------------------------------------------------- classify ties
def test_classify_threshold():
    strength = pd.Series([-1.0, 0.0, 0.5, np.nan], index=list("abcd"))
    got = classify_ties(strength, method="threshold")
    assert got.tolist() == ["weak", "weak", "strong", None]
    assert got.name == "tie_class" and got.index.equals(strength.index)
    assert (
        classify_ties(strength, method="threshold", threshold=-2.0).tolist()[:3] == ["strong"] * 3
    )


def test_classify_accepts_nullable_integers():
    strength = pd.Series([1, None, 3, 4], dtype="Int64")
    assert classify_ties(strength, method="threshold", threshold=2).tolist() == [
        "weak",
        None,
        "strong",
        "strong",
    ]
    assert classify_ties(strength).tolist() == ["weak", None, "weak", "strong"]


def test_classify_quantile_within_case():
    strength = pd.Series([1.0, 9.0, 2.0, 3.0, 5.0, 4.0, 2.0, 2.0, 7.0, np.nan, 2.0])
    cases = pd.Series(["A", "B", "A", "A", "C", "A", "D", "D", "E", "E", "D"])
    got = classify_ties(strength, cases)
    # A: 1,2,3,4 -> median 2.5; B: one tie; C: one tie; D: all equal; E: one known tie
    expected = [
        "weak",
        "weak",
        "weak",
        "strong",
        "weak",
        "strong",
        "weak",
        "weak",
        "weak",
        None,
        "weak",
    ]
    assert got.tolist() == expected
    # pooled: median of the ten known values is 2.5
    pooled = classify_ties(strength)
    assert pooled.tolist() == [
        "strong" if (not math.isnan(s) and s > 2.5) else ("weak" if not math.isnan(s) else None)
        for s in strength
    ]


def test_classify_quantile_level_uses_linear_interpolation():
    strength = pd.Series([5.0, 1.0, 4.0, 2.0, 3.0])
    # q = 0.75 of 1..5 is 4 (position 3 of 0..4): only 5 is strictly above
    assert classify_ties(strength, quantile=0.75).tolist() == [
        "strong",
        "weak",
        "weak",
        "weak",
        "weak",
    ]
    # q = 0.3 is 2.2
    assert classify_ties(strength, quantile=0.3).tolist() == [
        "strong",
        "weak",
        "strong",
        "weak",
        "strong",
    ]


def test_classify_mixture_separates_modes():
    rng = np.random.default_rng(11)
    low, high = rng.normal(-1.0, 0.3, 60), rng.normal(2.0, 0.3, 30)
    values = np.concatenate([low, high])
    order = rng.permutation(len(values))
    strength = pd.Series(values[order])
    cases = pd.Series(rng.choice(["A", "B", "C"], len(values)))
    got = classify_ties(strength, cases, method="mixture", seed=3)
    expected = np.where(values[order] > 0.5, "strong", "weak")
    assert got.tolist() == expected.tolist()
    assert got.equals(classify_ties(strength, cases, method="mixture", seed=3))
    # the classes are ordered: every strong tie is stronger than every weak tie
    assert strength[got == "strong"].min() > strength[got == "weak"].max()


def test_classify_mixture_keeps_classes_ordered_with_unequal_spreads():
    """A narrow weak mode and a wide strong mode: the weakest ties must stay weak."""
    rng = np.random.default_rng(5)
    strength = pd.Series(
        np.concatenate([rng.normal(0, 0.2, 200), rng.normal(3, 1.5, 60), [-1.2, -1.5]])
    )
    got = classify_ties(strength, method="mixture", seed=0)
    assert got.iloc[-2:].tolist() == ["weak", "weak"]
    assert strength[got == "strong"].min() > strength[got == "weak"].max()
    assert (got == "strong").sum() > 20


def test_classify_mixture_falls_back_to_quantile():
    strength = pd.Series([0.1, 0.4, 0.2, 0.9, np.nan])
    cases = pd.Series(["A", "A", "B", "B", "B"])
    with pytest.warns(UserWarning, match="mixture"):
        got = classify_ties(strength, cases, method="mixture")
    assert got.equals(classify_ties(strength, cases, method="quantile"))
    equal = pd.Series([1.0] * 20)
    with pytest.warns(UserWarning):
        assert classify_ties(equal, method="mixture").tolist() == ["weak"] * 20


def test_classify_empty_and_invalid():
    empty = classify_ties(pd.Series([], dtype=float), pd.Series([], dtype=object))
    assert len(empty) == 0
    for method in ("threshold", "quantile"):
        assert len(classify_ties(pd.Series([], dtype=float), method=method)) == 0
    with pytest.warns(UserWarning):
        assert len(classify_ties(pd.Series([], dtype=float), method="mixture")) == 0
    with pytest.raises(ValueError):
        classify_ties(pd.Series([1.0]), method="kmeans")
    with pytest.raises(ValueError):
        classify_ties(pd.Series([1.0]), quantile=1.5)
    with pytest.raises(ValueError):
        classify_ties(pd.Series([1.0, 2.0]), pd.Series(["A"]))


@HYPOTHESIS
@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.one_of(st.none(), st.floats(-5, 5, allow_nan=False))),
        max_size=30,
    ),
    st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]),
)
def test_classify_quantile_matches_loop(rows, q):
    cases = pd.Series([c for c, _ in rows], dtype=object)
    strength = pd.Series([np.nan if s is None else s for _, s in rows], dtype=float)
    got = classify_ties(strength, cases, quantile=q).tolist()
    for i, (case, s) in enumerate(rows):
        if s is None:
            assert got[i] is None
            continue
        values = sorted(v for c, v in rows if c == case and v is not None)
        position = q * (len(values) - 1)
        lo, hi = math.floor(position), math.ceil(position)
        cut = values[lo] + (values[hi] - values[lo]) * (position - lo)
        assert got[i] == ("strong" if s > cut else "weak")
