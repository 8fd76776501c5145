"""Tests of netinnov.metrics.diversity against hand-worked values, pandas and networkx."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.networks import network_from_edges
from netinnov.metrics.diversity import (
    COLLABORATION_TYPES,
    alter_diversity,
    case_diversity,
    collaboration_type,
    skeleton_ties,
)
from netinnov.networks import CaseNetwork

LABELS = ("citizen", "private", "public")


def build(edges, sectors, *, directed=False, labels=LABELS, case_id="c"):
    """CaseNetwork from an edge list and a {node: sector or None} map."""
    return network_from_edges(edges, sectors, directed=directed, case_id=case_id, group_labels=labels)


@pytest.fixture
def hand():
    """a,b,g public; c,e private; d citizen; f unknown; g isolate."""
    sectors = {
        "a": "public", "b": "public", "c": "private", "d": "citizen",
        "e": "private", "f": None, "g": "public",
    }  # fmt: skip
    edges = [("a", "b"), ("a", "c"), ("a", "d"), ("a", "f"), ("c", "e")]
    return build(edges, sectors)


def random_net(rng, n, p, *, directed=False, n_groups=3, unknown=0.0):
    g = nx.gnp_random_graph(n, p, seed=int(rng.integers(1 << 30)), directed=directed)
    for v in g:
        if rng.random() >= unknown:
            g.nodes[v]["sector"] = LABELS[int(rng.integers(n_groups))]
    return g, CaseNetwork.from_networkx(g, group_labels=LABELS)


# ------------------------------------------------------------------ actor level
def test_alter_diversity_hand_worked(hand):
    d = alter_diversity(hand)
    assert list(d.columns) == ["blau", "iqv", "shannon", "ei"]
    assert list(d.index) == list("abcdefg")
    # a: alters b (public), c (private), d (citizen); f unknown is left out
    assert d.loc["a", "blau"] == pytest.approx(2 / 3)
    assert d.loc["a", "iqv"] == pytest.approx(1.0)
    assert d.loc["a", "shannon"] == pytest.approx(math.log(3))
    assert d.loc["a", "ei"] == pytest.approx((2 - 1) / 3)
    # c: alters a (public), e (private)
    assert d.loc["c", "blau"] == pytest.approx(0.5)
    assert d.loc["c", "iqv"] == pytest.approx(0.75)
    assert d.loc["c", "shannon"] == pytest.approx(math.log(2))
    assert d.loc["c", "ei"] == pytest.approx(0.0)
    assert d.loc["b", "blau"] == 0 and d.loc["b", "ei"] == -1
    assert d.loc["d", "ei"] == 1
    assert d.loc["d", "shannon"] == 0 and not np.signbit(d.loc["d", "shannon"])
    # f has no group: composition defined, E-I not
    assert d.loc["f", "blau"] == 0 and np.isnan(d.loc["f", "ei"])
    # g is an isolate
    assert d.loc["g"].isna().all()


def test_alter_diversity_matches_pandas_on_random_graphs():
    rng = np.random.default_rng(1)
    for directed in (False, True):
        g, net = random_net(rng, 40, 0.1, directed=directed, unknown=0.15)
        got = alter_diversity(net)
        sector = {str(v): g.nodes[v].get("sector") for v in g}
        und = g.to_undirected() if directed else g
        edges = pd.DataFrame([(str(u), str(v)) for u, v in und.edges], columns=["ego", "alter"])
        both = pd.concat([edges, edges.rename(columns={"ego": "alter", "alter": "ego"})])
        both["group"] = both["alter"].map(sector)
        both["own"] = both["ego"].map(sector)
        known = both[both["group"].notna()]
        for ego, rows in known.groupby("ego"):
            p = rows["group"].value_counts(normalize=True).to_numpy()
            assert got.loc[ego, "blau"] == pytest.approx(1 - np.sum(p**2))
            assert got.loc[ego, "iqv"] == pytest.approx((1 - np.sum(p**2)) / (1 - 1 / 3))
            assert got.loc[ego, "shannon"] == pytest.approx(-np.sum(p * np.log(p)))
            if pd.isna(rows["own"].iloc[0]):
                assert np.isnan(got.loc[ego, "ei"])
            else:
                ext = int((rows["group"] != rows["own"]).sum())
                internal = len(rows) - ext
                assert got.loc[ego, "ei"] == pytest.approx((ext - internal) / (ext + internal))
        without = set(net.actors) - set(known["ego"])
        assert got.loc[sorted(without)].isna().all().all()


def test_alter_diversity_single_group_dataset_and_single_actor():
    net = build([("a", "b")], {"a": "public", "b": "public"}, labels=("public",))
    d = alter_diversity(net)
    assert d["iqv"].isna().all()  # K = 1
    assert (d["blau"] == 0).all() and (d["ei"] == -1).all()
    one = build([], {"a": "public"})
    d1 = alter_diversity(one)
    assert d1.shape == (1, 4) and d1.isna().all().all()


# ------------------------------------------------------------------- case level
def test_case_diversity_hand_worked(hand):
    res = case_diversity(hand, permutations=0)
    # actors: public a, b, g; private c, e; citizen d (f unknown)
    assert res["sector_blau"] == pytest.approx(1 - (9 + 4 + 1) / 36)
    assert res["sector_iqv"] == pytest.approx((1 - 14 / 36) / (2 / 3))
    assert res["n_groups"] == 3
    # known ties: a-b (I), a-c (E), a-d (E), c-e (I)
    assert res["ei"] == pytest.approx(0.0)
    assert res["cross_sector_tie_share"] == pytest.approx(0.5)
    assert res["ei_public"] == pytest.approx(1 / 3)
    assert res["ei_private"] == pytest.approx(0.0)
    assert res["ei_citizen"] == pytest.approx(1.0)
    expected_e = 4 * (1 - (3 * 2 + 2 * 1) / (6 * 5))
    assert res["ei_expected"] == pytest.approx((2 * expected_e - 4) / 4)
    assert np.isnan(res["ei_p_value"])  # permutations=0
    assert res["sector_assortativity"] == pytest.approx(6 / 38)
    assert np.isnan(res["weak_cross_sector_tie_share"])


def test_weak_cross_sector_tie_share(hand):
    # ties rows: a-b, a-c, a-d, a-f, c-e (sorted by index)
    pairs = list(zip(hand.ties["source"], hand.ties["target"], strict=True))
    assert pairs == [("a", "b"), ("a", "c"), ("a", "d"), ("a", "f"), ("c", "e")]
    cls = pd.Series(["weak", "weak", "strong", "weak", None])
    res = case_diversity(hand, permutations=0, tie_class=cls)
    # usable: a-b, a-c, a-d (a-f unknown group, c-e no class); weak & cross: a-c
    assert res["weak_cross_sector_tie_share"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="tie_class"):
        case_diversity(hand, permutations=0, tie_class=pd.Series(["weak"]))


def test_assortativity_matches_networkx():
    rng = np.random.default_rng(7)
    for trial in range(6):
        directed = trial % 2 == 1
        g, net = random_net(rng, 30, 0.15, directed=directed)
        und = g.to_undirected() if directed else g
        got = case_diversity(net, permutations=0)["sector_assortativity"]
        assert got == pytest.approx(nx.attribute_assortativity_coefficient(und, "sector"))
    # unknown groups: ties with such an endpoint are left out
    g, net = random_net(rng, 30, 0.15, unknown=0.2)
    known = g.subgraph([v for v in g if "sector" in g.nodes[v]])
    got = case_diversity(net, permutations=0)["sector_assortativity"]
    assert got == pytest.approx(nx.attribute_assortativity_coefficient(known, "sector"))


def test_assortativity_undefined_when_all_ties_inside_one_group():
    net = build(
        [("a", "b"), ("b", "c")], {"a": "public", "b": "public", "c": "public", "d": "private"}
    )
    res = case_diversity(net, permutations=50)
    assert np.isnan(res["sector_assortativity"])
    assert res["ei"] == -1 and res["cross_sector_tie_share"] == 0
    assert 0 < res["ei_p_value"] <= 1


def test_case_diversity_without_ties_or_groups():
    empty = build([], {"a": "public", "b": "private"})
    res = case_diversity(empty)
    for key in ("ei", "ei_p_value", "cross_sector_tie_share", "sector_assortativity", "ei_public"):
        assert np.isnan(res[key]), key
    assert res["sector_blau"] == pytest.approx(0.5)
    single_group = build([("a", "b"), ("b", "c")], {"a": "public", "b": "public", "c": "public"})
    res = case_diversity(single_group)
    assert res["sector_blau"] == 0 and res["ei"] == -1
    assert np.isnan(res["ei_p_value"])  # degenerate null
    unknown = build([("a", "b")], {"a": None, "b": None})
    res = case_diversity(unknown)
    assert np.isnan(res["sector_blau"]) and np.isnan(res["ei"])


def test_ei_permutation_p_value_matches_exact_enumeration():
    sectors = dict(zip("abcdef", ["public"] * 3 + ["private"] * 3, strict=True))
    edges = [("a", "b"), ("a", "c"), ("b", "c"), ("d", "e"), ("a", "d"), ("e", "f")]
    net = build(edges, sectors)
    res = case_diversity(net, permutations=20000, seed=3)
    idx = {v: i for i, v in enumerate(net.actors)}
    e_obs = sum(sectors[u] != sectors[v] for u, v in edges)
    null = []
    for public in itertools.combinations(range(6), 3):
        lab = np.zeros(6, dtype=int)
        lab[list(public)] = 1
        null.append(sum(lab[idx[u]] != lab[idx[v]] for u, v in edges))
    null = np.array(null, dtype=float)
    mu = null.mean()
    assert res["ei_expected"] == pytest.approx((2 * mu - 6) / 6)
    exact = np.mean(np.abs(null - mu) >= abs(e_obs - mu) - 1e-12)
    assert res["ei_p_value"] == pytest.approx(exact, abs=0.015)
    again = case_diversity(net, permutations=20000, seed=3)
    assert again["ei_p_value"] == res["ei_p_value"]


def test_ei_permutation_p_value_detects_homophily():
    sectors = {f"p{i}": "public" for i in range(10)} | {f"q{i}": "private" for i in range(10)}
    edges = list(itertools.combinations([f"p{i}" for i in range(10)], 2))
    edges += list(itertools.combinations([f"q{i}" for i in range(10)], 2)) + [("p0", "q0")]
    res = case_diversity(build(edges, sectors), permutations=999, seed=1)
    assert res["ei"] < res["ei_expected"]
    assert res["ei_p_value"] == pytest.approx(1 / 1000)


def test_ei_permutation_p_values_are_calibrated_under_the_null():
    # dense enough that the discreteness of E (an atom at the value nearest
    # its expectation gets p = 1) does not dominate the uniform shape
    rng = np.random.default_rng(2024)
    p_values = []
    for sim in range(400):
        n = 60
        upper = np.triu(rng.random((n, n)) < 0.3, k=1)
        u, v = np.nonzero(upper)
        groups = rng.integers(0, 3, size=n)
        actors = np.array([f"a{i:02d}" for i in range(n)], dtype=object)
        ties = pd.DataFrame(
            {
                "source_index": u,
                "target_index": v,
                "source": actors[u],
                "target": actors[v],
                "weight": 1.0,
            }
        )
        net = CaseNetwork("c", actors, groups.astype(np.int64), LABELS, False, ties)
        p_values.append(case_diversity(net, permutations=199, seed=sim)["ei_p_value"])
    p_values = np.array(p_values)
    assert 0.02 <= np.mean(p_values < 0.05) <= 0.09
    assert stats.kstest(p_values, "uniform").pvalue > 0.01


def test_skeleton_ties_collapse_mutual_arcs():
    net = build(
        [("a", "b"), ("b", "a"), ("c", "a")],
        {"a": "public", "b": "public", "c": "private"},
        directed=True,
    )
    u, v = skeleton_ties(net)
    assert list(zip(net.actors[u], net.actors[v], strict=True)) == [("a", "b"), ("a", "c")]
    res = case_diversity(net, permutations=0)
    assert res["ei"] == pytest.approx(0.0)  # one internal, one external pair


# ------------------------------------------------------------ collaboration type
def test_collaboration_type_moved_but_importable_here():
    # the rules changed (drivers, not tie shares): tests/test_metrics_collaboration_type.py
    from netinnov.metrics import collaboration_type as module

    assert collaboration_type is module.collaboration_type
    assert COLLABORATION_TYPES == module.COLLABORATION_TYPES
