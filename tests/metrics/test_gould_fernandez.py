"""Gould–Fernandez brokerage against brute-force counting and hand-worked z-scores."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.networks import network_from_edges
from netinnov.metrics.gould_fernandez import gould_fernandez
from netinnov.networks import CaseNetwork

ROLE_COLUMNS = [
    "gf_coordinator",
    "gf_itinerant",
    "gf_representative",
    "gf_gatekeeper",
    "gf_liaison",
]
COUNT_COLUMNS = [*ROLE_COLUMNS, "gf_total"]
Z_COLUMNS = [f"{c}_z" for c in COUNT_COLUMNS]


def _net(edges, sectors: dict, directed: bool) -> CaseNetwork:
    return network_from_edges(edges, sectors, directed=directed, case_id="graph")


def _brute_counts(arcs: set, nodes: list, group: dict) -> dict:
    """Triple loop: every ordered a → v → b, distinct, with no arc a → b."""
    counts = {v: dict.fromkeys(COUNT_COLUMNS, 0) for v in nodes}
    for v in nodes:
        for a in nodes:
            for b in nodes:
                if len({a, v, b}) < 3 or (a, v) not in arcs or (v, b) not in arcs or (a, b) in arcs:
                    continue
                ga, gv, gb = group[a], group[v], group[b]
                if ga == gv == gb:
                    role = "gf_coordinator"
                elif ga == gb:
                    role = "gf_itinerant"
                elif ga == gv:
                    role = "gf_representative"
                elif gv == gb:
                    role = "gf_gatekeeper"
                else:
                    role = "gf_liaison"
                counts[v][role] += 1
                counts[v]["gf_total"] += 1
    return counts


def _brute_z(counts: dict, nodes: list, group: dict, n_arcs: int) -> dict:
    """sna's moments, group by group, written out term by term."""
    big_n = len(nodes)
    out = {v: dict.fromkeys(Z_COLUMNS, math.nan) for v in nodes}
    if big_n < 2:
        return out
    d = n_arcs / (big_n * (big_n - 1))
    k = d**2 * (1 - d)
    lam = d**3 * (1 - d) ** 3
    sizes = {}
    for v in nodes:
        sizes[group[v]] = sizes.get(group[v], 0) + 1

    def c2(x):
        return math.comb(int(x), 2)

    for v in nodes:
        ni = sizes[group[v]]
        rest = [s for label, s in sizes.items() if label != group[v]]
        e = {
            "gf_coordinator": k * (ni - 1) * (ni - 2),
            "gf_itinerant": k * sum(s * (s - 1) for s in rest),
            "gf_representative": k * (big_n - ni) * (ni - 1),
            "gf_liaison": k * (sum(x * y for x in rest for y in rest) - sum(s * s for s in rest)),
            "gf_total": k * (big_n - 1) * (big_n - 2),
        }
        e["gf_gatekeeper"] = e["gf_representative"]
        var = {
            "gf_coordinator": 2 * (ni - 1) * (ni - 2) * (ni - 3) * lam,
            "gf_itinerant": 2 * sum(s * (s - 1) * (s - 2) for s in rest) * lam,
            "gf_representative": 2 * ((ni - 1) * c2(big_n - ni) + (big_n - ni) * c2(ni - 1)) * lam,
            "gf_liaison": 4 * sum(s * c2(big_n - s - ni) for s in rest) * lam,
            "gf_total": 2 * (big_n - 1) * (big_n - 2) * (big_n - 3) * lam,
        }
        var["gf_gatekeeper"] = var["gf_representative"]
        for col in COUNT_COLUMNS:
            v_total = e[col] * (1 - k) + var[col]
            if v_total > 0:
                out[v][f"{col}_z"] = (counts[v][col] - e[col]) / math.sqrt(v_total)
    return out


def _reference(g: nx.Graph, unknown: str) -> pd.DataFrame:
    nodes = [v for v in g if unknown == "group" or g.nodes[v].get("sector") is not None]
    group = {v: g.nodes[v].get("sector", "<unknown>") for v in nodes}
    arcs = {(u, v) for u, v in g.edges if u in group and v in group}
    if not g.is_directed():
        arcs |= {(v, u) for u, v in arcs}
    counts = _brute_counts(arcs, nodes, group)
    z = _brute_z(counts, nodes, group, len(arcs))
    rows = {str(v): {**counts[v], **z[v]} for v in nodes}
    return pd.DataFrame.from_dict(rows, orient="index", columns=COUNT_COLUMNS + Z_COLUMNS)


@st.composite
def grouped_graphs(draw):
    directed = draw(st.booleans())
    n = draw(st.integers(1, 10))
    k = draw(st.integers(2, 4))
    labels = [f"s{i}" for i in range(k)]
    sectors = draw(st.lists(st.sampled_from([*labels, None]), min_size=n, max_size=n))
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    g = nx.DiGraph() if directed else nx.Graph()
    for i, s in enumerate(sectors):
        g.add_node(i, **({} if s is None else {"sector": s}))
    g.add_edges_from(chosen)
    return g


@settings(max_examples=120, deadline=None)
@given(grouped_graphs(), st.sampled_from(["exclude", "group"]))
def test_counts_and_z_match_brute_force(g, unknown):
    net = CaseNetwork.from_networkx(g)
    got = gould_fernandez(net, unknown_group=unknown)
    assert list(got.index) == list(net.actors)
    ref = _reference(g, unknown)
    known = got.loc[ref.index]
    for col in COUNT_COLUMNS:
        assert known[col].astype("int64").tolist() == ref[col].astype("int64").tolist(), col
    np.testing.assert_allclose(
        known[Z_COLUMNS].to_numpy(dtype=float),
        ref[Z_COLUMNS].to_numpy(dtype=float),
        rtol=1e-9,
        atol=1e-12,
    )
    missing = got.drop(index=ref.index)
    assert missing[COUNT_COLUMNS].isna().all().all()
    assert missing[Z_COLUMNS].isna().all().all()
    assert (known[ROLE_COLUMNS].sum(axis=1) == known["gf_total"]).all()


def _roles(df: pd.DataFrame, actor: str) -> dict:
    return {c.removeprefix("gf_"): int(df.loc[actor, c]) for c in COUNT_COLUMNS}


ZERO = dict.fromkeys(
    ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"], 0
)


@pytest.mark.parametrize(
    ("sectors", "role"),
    [
        (("x", "x", "x"), "coordinator"),
        (("x", "y", "x"), "itinerant"),
        (("x", "x", "y"), "representative"),
        (("x", "y", "y"), "gatekeeper"),
        (("x", "y", "z"), "liaison"),
    ],
)
def test_each_role_on_a_directed_two_path(sectors, role):
    net = _net([("a", "v"), ("v", "b")], dict(zip("avb", sectors, strict=True)), directed=True)
    got = gould_fernandez(net, z_scores=False)
    assert _roles(got, "v") == {**ZERO, role: 1, "total": 1}
    assert _roles(got, "a") == ZERO and _roles(got, "b") == ZERO
    # a closing arc a → b removes the brokerage; b → a does not
    closed = _net(
        [("a", "v"), ("v", "b"), ("a", "b")], dict(zip("avb", sectors, strict=True)), directed=True
    )
    assert _roles(gould_fernandez(closed, z_scores=False), "v") == ZERO
    back = _net(
        [("a", "v"), ("v", "b"), ("b", "a")], dict(zip("avb", sectors, strict=True)), directed=True
    )
    assert _roles(gould_fernandez(back, z_scores=False), "v") == {**ZERO, role: 1, "total": 1}


@pytest.mark.parametrize(
    ("sectors", "expected"),
    [
        (("x", "x", "x"), {"coordinator": 2}),
        (("x", "y", "x"), {"itinerant": 2}),
        # a → v → b is representative (v in a's group), b → v → a gatekeeper
        (("x", "x", "y"), {"representative": 1, "gatekeeper": 1}),
        (("x", "y", "z"), {"liaison": 2}),
    ],
)
def test_each_role_on_an_undirected_two_path(sectors, expected):
    net = _net([("a", "v"), ("v", "b")], dict(zip("avb", sectors, strict=True)), directed=False)
    got = gould_fernandez(net, z_scores=False)
    assert _roles(got, "v") == {**ZERO, **expected, "total": 2}
    closed = _net(
        [("a", "v"), ("v", "b"), ("a", "b")], dict(zip("avb", sectors, strict=True)), directed=False
    )
    assert _roles(gould_fernandez(closed, z_scores=False), "v") == ZERO


def test_reciprocated_ties_do_not_broker_back_to_the_source():
    # a ⇄ v ⇄ b in one group: a→v→b and b→v→a are open; a→v→a is no two-path
    net = _net(
        [("a", "v"), ("v", "a"), ("v", "b"), ("b", "v")], dict.fromkeys("avb", "x"), directed=True
    )
    got = gould_fernandez(net, z_scores=False)
    assert _roles(got, "v") == {**ZERO, "coordinator": 2, "total": 2}


def test_hand_worked_z_scores_one_group():
    # a → v → b, one group of 3: N = 3, d = 2/6, κ = d²(1-d) = 2/27.
    # coordinator/total: E = κ·2·1 = 4/27, Q = 0, V = E(1-κ) = 100/729, sd = 10/27
    net = _net([("a", "v"), ("v", "b")], dict.fromkeys("avb", "x"), directed=True)
    got = gould_fernandez(net)
    assert got.loc["v", "gf_coordinator_z"] == pytest.approx(2.3)  # (1 - 4/27) / (10/27)
    assert got.loc["a", "gf_coordinator_z"] == pytest.approx(-0.4)  # (0 - 4/27) / (10/27)
    assert got.loc["v", "gf_total_z"] == pytest.approx(2.3)
    for role in ["itinerant", "representative", "gatekeeper", "liaison"]:  # impossible in one group
        assert got[f"gf_{role}_z"].isna().all()


def test_hand_worked_z_scores_two_groups():
    # a(x) → v(x) → b(y): N = 3, κ = 2/27.
    # v (group size 2): representative E = κ·1·1 = 2/27, V = (2/27)(25/27), z = 25/√50
    net = _net([("a", "v"), ("v", "b")], {"a": "x", "v": "x", "b": "y"}, directed=True)
    got = gould_fernandez(net)
    assert int(got.loc["v", "gf_representative"]) == 1
    assert got.loc["v", "gf_representative_z"] == pytest.approx(25 / math.sqrt(50))
    assert got.loc["v", "gf_gatekeeper_z"] == pytest.approx(-2 / math.sqrt(50))
    assert math.isnan(got.loc["v", "gf_coordinator_z"])  # (n-1)(n-2) = 0
    assert math.isnan(got.loc["v", "gf_itinerant_z"])  # other group has one member
    assert math.isnan(got.loc["v", "gf_liaison_z"])  # only two groups
    # b (group of one): itinerant E = κ·2·1 = 4/27, sd = 10/27
    assert got.loc["b", "gf_itinerant_z"] == pytest.approx(-0.4)
    assert math.isnan(got.loc["b", "gf_representative_z"])


def test_hand_worked_z_score_with_covariance_term():
    # a → v → b plus an isolate c, one group of 4: N = 4, d = 2/12 = 1/6,
    # κ = (1/36)(5/6) = 5/216, λ = (1/216)(125/216).
    # coordinator: E = κ·3·2 = 5/36, Q = 3·2·1 = 6,
    # V = (5/36)(211/216) + 2·6·125/46656 = 7830/46656
    net = _net([("a", "v"), ("v", "b")], dict.fromkeys("avbc", "x"), directed=True)
    got = gould_fernandez(net)
    expected = (1 - 5 / 36) / math.sqrt(7830 / 46656)
    assert got.loc["v", "gf_coordinator_z"] == pytest.approx(expected)
    assert got.loc["c", "gf_coordinator_z"] == pytest.approx(-(5 / 36) / math.sqrt(7830 / 46656))
    assert int(got.loc["c", "gf_total"]) == 0


def test_edge_cases():
    one = gould_fernandez(_net([], {"a": "x"}, directed=True))
    assert one[COUNT_COLUMNS].astype(int).to_numpy().tolist() == [[0] * 6]
    assert one[Z_COLUMNS].isna().all().all()
    no_ties = gould_fernandez(_net([], {"a": "x", "b": "y", "c": "x"}, directed=False))
    assert (no_ties[COUNT_COLUMNS].astype(int) == 0).all().all()
    assert no_ties[Z_COLUMNS].isna().all().all()  # d = 0: variance 0
    empty = gould_fernandez(CaseNetwork.from_networkx(nx.Graph()))
    assert empty.shape == (0, 12)
    # every actor of unknown group: nothing can be classified
    unknown = gould_fernandez(_net([("a", "b"), ("b", "c")], dict.fromkeys("abc"), directed=False))
    assert unknown[COUNT_COLUMNS].isna().all().all()
    as_group = gould_fernandez(
        _net([("a", "b"), ("b", "c")], dict.fromkeys("abc"), directed=False), unknown_group="group"
    )
    assert int(as_group.loc["b", "gf_coordinator"]) == 2
    with pytest.raises(ValueError, match="unknown_group"):
        gould_fernandez(_net([], {"a": "x"}, directed=True), unknown_group="drop")


def test_complete_graph_brokers_nothing():
    g = nx.complete_graph(5, create_using=nx.DiGraph)
    nx.set_node_attributes(g, {i: "xy"[i % 2] for i in g}, "sector")
    got = gould_fernandez(CaseNetwork.from_networkx(g))
    assert (got[COUNT_COLUMNS].astype(int) == 0).all().all()
    assert got[Z_COLUMNS].isna().all().all()  # d = 1: variance 0


def test_small_groups_and_all_in_one_group():
    # star centre in one group with leaves of size-1 and size-2 groups
    sectors = {"c": "x", "l1": "y", "l2": "z", "l3": "z"}
    net = _net([("c", "l1"), ("c", "l2"), ("c", "l3")], sectors, directed=False)
    got = gould_fernandez(net)
    # ordered leaf pairs through c: (l1,l2),(l1,l3),(l2,l1),(l3,l1) liaison; (l2,l3),(l3,l2) itinerant
    assert _roles(got, "c") == {**ZERO, "liaison": 4, "itinerant": 2, "total": 6}
    assert math.isnan(got.loc["c", "gf_coordinator_z"])  # centre's group has one member
    same = _net(
        [("c", "l1"), ("c", "l2"), ("c", "l3")], dict.fromkeys(sectors, "x"), directed=False
    )
    assert _roles(gould_fernandez(same), "c") == {**ZERO, "coordinator": 6, "total": 6}


def test_dense_reciprocated_network_agrees_with_brute_force():
    """Many closed two-paths of every group pattern, several of them mutual."""
    g = nx.gnp_random_graph(30, 0.3, seed=5, directed=True)
    g.add_edges_from([(v, u) for u, v in list(g.edges)[::3]])  # some reciprocated arcs
    nx.set_node_attributes(g, {i: "abc"[i % 3] for i in g}, "sector")
    whole = gould_fernandez(CaseNetwork.from_networkx(g))
    ref = _reference(g, "exclude")
    for col in COUNT_COLUMNS:
        assert whole.loc[ref.index, col].astype(int).tolist() == ref[col].tolist(), col
