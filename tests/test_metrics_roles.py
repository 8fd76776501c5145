"""Tests of netinnov.metrics.roles: components against brute force, planted role
holders, and the validation tables against independent computations."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from netinnov.metrics.roles import (
    COMPONENTS,
    ROLES,
    _cluster_bootstrap_auc,
    case_role_presence,
    reported_roles,
    role_components,
    role_persistence,
    role_scores,
    roles_validation,
)
from netinnov.networks import CaseNetwork

SECTORS = ("citizen", "civil_society", "private", "public")
SCORE_COLUMNS = [f"{r}_score" for r in ROLES]


# --------------------------------------------------------------------- helpers
def network_from_records(
    case_id, interactions, participation, sector, *, directed=False, extra_actors=()
):
    """A CaseNetwork built the plain way: records summed per tie, co-attendance
    pairs added as ties (frequency 0, one per shared event)."""
    ids = sorted(set(interactions["source"]) | set(interactions["target"]) | set(extra_actors)
                 | (set(participation["actor_id"]) if participation is not None else set()))  # fmt: skip
    pos = {a: i for i, a in enumerate(ids)}
    arcs = {}
    for row in interactions.itertuples(index=False):
        i, j = pos[row.source], pos[row.target]
        key = (i, j) if directed else (min(i, j), max(i, j))
        f, c = arcs.get(key, (0.0, 0))
        arcs[key] = (f + float(row.frequency), c)
    if participation is not None:
        for _, rows in participation.groupby("event_id"):
            members = sorted(pos[a] for a in rows["actor_id"])
            for i, j in itertools.combinations(members, 2):
                for key in [(i, j), (j, i)] if directed else [(i, j)]:
                    f, c = arcs.get(key, (0.0, 0))
                    arcs[key] = (f, c + 1)
    keys = sorted(arcs)
    ties = pd.DataFrame(
        {
            "source_index": np.array([k[0] for k in keys], dtype=np.int64),
            "target_index": np.array([k[1] for k in keys], dtype=np.int64),
            "frequency": [arcs[k][0] for k in keys],
            "coparticipation": [arcs[k][1] for k in keys],
        }
    )
    ties["weight"] = ties["frequency"] + ties["coparticipation"]
    actors = np.array(ids, dtype=object)
    ties["source"] = actors[ties["source_index"].to_numpy()]
    ties["target"] = actors[ties["target_index"].to_numpy()]
    groups = np.array(
        [SECTORS.index(sector[a]) if sector.get(a) else -1 for a in ids], dtype=np.int64
    )
    return CaseNetwork(case_id, actors, groups, SECTORS, directed, ties)


def random_graph_net(seed, *, directed=False, n=25, p=0.15, unknown=0.1):
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    g = nx.relabel_nodes(g, {v: f"v{v:02d}" for v in g})
    for u, v in g.edges:
        g.edges[u, v]["frequency"] = float(rng.integers(1, 6))
    for v in g:
        if rng.random() >= unknown:
            g.nodes[v]["sector"] = SECTORS[int(rng.integers(4))]
    return g, CaseNetwork.from_networkx(g, group_labels=SECTORS, case_id="r")


# ------------------------------------------------------ components, brute force
@pytest.mark.parametrize("directed", [False, True])
def test_network_components_match_brute_force(directed):
    g, net = random_graph_net(11 + directed, directed=directed)
    comp = role_components(net, None)
    und = g.to_undirected() if directed else g
    sector = {v: g.nodes[v].get("sector") for v in g}
    clustering = nx.clustering(und)
    med_pairs = {}
    for u, v in und.edges:
        f = g.edges[u, v]["frequency"] if g.has_edge(u, v) else 0.0
        if directed and g.has_edge(v, u):
            f += g.edges[v, u]["frequency"]
        med_pairs[frozenset((u, v))] = f
    median = np.median(list(med_pairs.values()))
    for v in g:
        alters = set(und[v])
        holes = sum(
            1
            for x, y in itertools.combinations(sorted(alters), 2)
            if sector[x] and sector[y] and sector[x] != sector[y] and not und.has_edge(x, y)
        )
        row = comp.loc[v]
        assert row["convener_cross_group_holes"] == pytest.approx(holes)
        assert row["convener_alter_groups"] == len({sector[a] for a in alters if sector[a]})
        assert row["facilitator_clustering"] == pytest.approx(clustering[v])
        bridges = sum(1 for a in alters if not set(und[a]) & alters)  # no shared neighbour
        assert row["catalyst_bridges"] == bridges
        reps = [med_pairs[frozenset((v, a))] for a in alters]
        assert row["facilitator_tie_repetition"] == pytest.approx(np.mean(reps) if reps else 0.0)
        weak_cross = sum(
            1 for a in alters
            if sector[a] and sector[v] and sector[a] != sector[v] and med_pairs[frozenset((v, a))] <= median
        )  # fmt: skip
        assert row["catalyst_weak_cross_ties"] == weak_cross
        if directed:
            mutual = sum(1 for a in alters if g.has_edge(v, a) and g.has_edge(a, v))
            assert row["facilitator_reciprocity"] == pytest.approx(
                mutual / len(alters) if alters else 0.0
            )
    if not directed:
        assert comp["facilitator_reciprocity"].isna().all()
    # no records, no previous wave: those components are unavailable
    for col in (
        "convener_early_activity",
        "facilitator_events_attended",
        "catalyst_new_actors",
        "catalyst_new_ties",
    ):
        assert comp[col].isna().all(), col
    expected = [f"{role}_{c}" for role in ROLES for c in COMPONENTS[role]]
    assert list(comp.columns) == expected


def test_weak_ties_from_tie_class_and_novelty_against_previous_wave():
    g, net = random_graph_net(5)
    rng = np.random.default_rng(0)
    tie_class = pd.Series(rng.choice(["weak", "strong"], size=net.n_ties))
    # previous wave: a third of the ties missing, one actor gone, one isolate
    prev_g = g.copy()
    edges = list(prev_g.edges)
    prev_g.remove_edges_from([e for k, e in enumerate(edges) if k % 3 == 0])
    prev_g.remove_node("v00")
    prev_g.add_node("zz_isolate", sector="public")
    previous = CaseNetwork.from_networkx(prev_g, group_labels=SECTORS, case_id="r")
    comp = role_components(net, None, previous=previous, tie_class=tie_class)
    cls = {
        frozenset((s, t)): c
        for s, t, c in zip(net.ties["source"], net.ties["target"], tie_class, strict=True)
    }
    sector = {v: g.nodes[v].get("sector") for v in g}
    active_before = {v for v in prev_g if prev_g.degree(v) > 0}
    for v in g:
        alters = set(g[v])
        weak_cross = sum(
            1 for a in alters
            if cls[frozenset((v, a))] == "weak" and sector[a] and sector[v] and sector[a] != sector[v]
        )  # fmt: skip
        assert comp.loc[v, "catalyst_weak_cross_ties"] == weak_cross
        assert comp.loc[v, "catalyst_new_actors"] == len(alters - active_before)
        new_ties = sum(1 for a in alters if not prev_g.has_edge(v, a))
        assert comp.loc[v, "catalyst_new_ties"] == new_ties


def test_record_components():
    interactions = pd.DataFrame(
        {
            "case_id": ["c"] * 5 + ["other"],
            "source": ["a", "a", "b", "c", "a", "a"],
            "target": ["b", "c", "c", "d", "d", "b"],
            "frequency": [1, 1, 1, 1, 1, 1],
            "phase": ["initiation", "design", "implementation", "diffusion", None, "initiation"],
            "date": [
                "2024-01-01",
                "2024-01-11",
                "2024-01-21",
                "2024-02-10",
                "2024-01-05",
                "2023-01-01",
            ],
        }
    )
    participation = pd.DataFrame(
        {
            "case_id": ["c", "c", "c", "c"],
            "event_id": ["e1", "e1", "e2", "e2"],
            "actor_id": ["a", "d", "d", "b"],
            "phase": ["design", "design", "diffusion", "diffusion"],
        }  # fmt: skip
    )
    sector = {"a": "public", "b": "private", "c": "citizen", "d": "public"}
    net = network_from_records(
        "c", interactions[interactions.case_id == "c"], participation, sector
    )
    comp = role_components(net, interactions, participation)
    # a: records initiation, design, (unphased), attendance design -> 3 of 3 early
    assert comp.loc["a", "convener_early_activity"] == pytest.approx(1.0)
    # b: initiation, implementation, diffusion (e2) -> 1 of 3
    assert comp.loc["b", "convener_early_activity"] == pytest.approx(1 / 3)
    # d: diffusion, design (e1), diffusion (e2) -> 1 of 3
    assert comp.loc["d", "convener_early_activity"] == pytest.approx(1 / 3)
    assert comp.loc["c", "convener_early_activity"] == pytest.approx(1 / 3)
    assert list(comp["facilitator_events_attended"]) == [1, 1, 0, 2]
    # no phases: earliness of the first dated record (case span 40 days)
    no_phase = interactions.drop(columns="phase")
    comp = role_components(net, no_phase, participation.drop(columns="phase"))
    assert comp.loc["a", "convener_early_activity"] == pytest.approx(1.0)
    assert comp.loc["b", "convener_early_activity"] == pytest.approx(1.0)
    assert comp.loc["c", "convener_early_activity"] == pytest.approx(30 / 40)
    assert comp.loc["d", "convener_early_activity"] == pytest.approx(36 / 40)
    # neither phases nor dates
    comp = role_components(net, no_phase.drop(columns="date"), None)
    assert comp["convener_early_activity"].isna().all()


# ---------------------------------------------------------------------- scores
def test_scores_are_standardised_and_isolates_lowest():
    g, net = random_graph_net(3, unknown=0.0)
    g.add_node("zz_isolate", sector="public")
    net = CaseNetwork.from_networkx(g, group_labels=SECTORS, case_id="r")
    s = role_scores(net, None)
    assert list(s.columns) == SCORE_COLUMNS and list(s.index) == list(net.actors)
    assert np.allclose(s.mean(), 0.0) and np.allclose(s.std(ddof=0), 1.0)
    for col in SCORE_COLUMNS:
        assert s.loc["zz_isolate", col] == pytest.approx(s[col].min())


def test_single_actor_and_empty_and_constant_cases():
    one = CaseNetwork.from_networkx(
        nx.Graph([("a", "b")]).subgraph(["a"]).copy(), group_labels=SECTORS
    )
    s = role_scores(one, pd.DataFrame(columns=["case_id", "source", "target"]))
    assert s.shape == (1, 3) and (s.to_numpy() == 0).all()
    ring = nx.cycle_graph(6)
    nx.set_node_attributes(ring, "public", "sector")
    s = role_scores(CaseNetwork.from_networkx(ring, group_labels=SECTORS), None)
    assert (s.to_numpy() == 0).all()  # every actor alike


def planted_case(rng, case_id, *, directed=False):
    """A case with background actors and one convener, facilitator and catalyst."""
    sector = {}
    members = {s: [f"{case_id}_{s[:3]}{i}" for i in range(6)] for s in SECTORS}
    for s, ids in members.items():
        sector.update(dict.fromkeys(ids, s))
    convener, facilitator, catalyst = f"{case_id}_CONV", f"{case_id}_FAC", f"{case_id}_CAT"
    sector.update({convener: "public", facilitator: "private", catalyst: "civil_society"})
    newcomers = [f"{case_id}_new{i}" for i in range(4)]
    sector.update({a: SECTORS[i % 4] for i, a in enumerate(newcomers)})
    background = [a for ids in members.values() for a in ids]
    rows = []

    def add(s, t, freq, phase):
        rows.append(
            {"case_id": case_id, "source": s, "target": t, "frequency": freq, "phase": phase}
        )

    for x, y in itertools.combinations(background, 2):
        p = 0.5 if sector[x] == sector[y] else 0.05
        if rng.random() < p:
            add(x, y, float(rng.integers(1, 6)), PHASE_LIST[rng.integers(4)])
            if directed and rng.random() < 0.5:
                add(y, x, float(rng.integers(1, 6)), PHASE_LIST[rng.integers(4)])
    # convener: early, across every sector, to actors who are mostly not tied to each other
    for s in SECTORS:
        for a in rng.choice(members[s], size=2, replace=False):
            add(convener, a, float(rng.integers(1, 4)), PHASE_LIST[rng.integers(2)])
    # facilitator: frequent, reciprocated interaction inside a closed circle
    circle = list(members["private"])
    for x, y in itertools.combinations(circle, 2):
        add(x, y, 2.0, PHASE_LIST[rng.integers(4)])
    for a in circle:
        add(facilitator, a, float(rng.integers(8, 11)), PHASE_LIST[rng.integers(4)])
        if directed:
            add(a, facilitator, float(rng.integers(8, 11)), PHASE_LIST[rng.integers(4)])
    # catalyst: brings in newcomers through weak cross-sector ties, plus one old tie
    for a in newcomers:
        add(catalyst, a, 1.0, PHASE_LIST[2 + rng.integers(2)])
    add(catalyst, members["civil_society"][0], 3.0, "implementation")
    interactions = pd.DataFrame(rows)
    events = []
    for e in range(4):
        attendees = list(rng.choice(background, size=int(rng.integers(3, 6)), replace=False))
        for a in [*attendees, facilitator]:
            events.append(
                {
                    "case_id": case_id,
                    "event_id": f"e{e}",
                    "actor_id": a,
                    "phase": PHASE_LIST[rng.integers(4)],
                }
            )
    participation = pd.DataFrame(events).drop_duplicates(["event_id", "actor_id"])
    net = network_from_records(case_id, interactions, participation, sector, directed=directed)
    # the previous wave: most background ties, the catalyst's old tie, no newcomers
    keep = ~interactions["target"].isin(newcomers) & (rng.random(len(interactions)) < 0.8)
    keep |= (interactions["source"] == catalyst) & ~interactions["target"].isin(newcomers)
    previous = network_from_records(case_id, interactions[keep], None, sector, directed=directed)
    planted = {"convener": convener, "facilitator": facilitator, "catalyst": catalyst}
    return net, interactions, participation, previous, planted


PHASE_LIST = np.array(["initiation", "design", "implementation", "diffusion"])


@pytest.mark.parametrize("directed", [False, True])
def test_planted_role_holders_rank_first(directed):
    rng = np.random.default_rng(100 + directed)
    top = dict.fromkeys(ROLES, 0)
    for k in range(12):
        net, inter, part, previous, planted = planted_case(rng, f"k{k}", directed=directed)
        s = role_scores(net, inter, part, previous=previous)
        for role, actor in planted.items():
            top[role] += int(s[f"{role}_score"].idxmax() == actor)
    assert all(v >= 11 for v in top.values()), top


def test_planted_roles_validation_and_presence():
    rng = np.random.default_rng(9)
    frames, role_rows = [], []
    for k in range(10):
        net, inter, part, previous, planted = planted_case(rng, f"k{k}")
        s = role_scores(net, inter, part, previous=previous)
        frames.append(s.reset_index().assign(case_id=f"k{k}"))
        role_rows += [{"case_id": f"k{k}", "actor_id": a, "role": r} for r, a in planted.items()]
    scores = pd.concat(frames, ignore_index=True)
    roles = pd.DataFrame(role_rows)
    val = roles_validation(scores, roles, n_boot=200, seed=1)
    assert list(val["role"]) == list(ROLES)
    assert (val["auc"] > 0.95).all()
    assert (val["n_holders"] == 10).all() and (val["n_cases"] == 10).all()
    assert (val["ci_low"] <= val["auc"]).all() and (val["auc"] <= val["ci_high"] + 1e-12).all()
    one = roles_validation(scores[scores["case_id"] == "k0"], roles[roles["case_id"] == "k0"], n_boot=200, seed=1)
    assert (one["n_cases"] == 1).all() and (one["n_boot"] == 0).all()
    assert one["ci_low"].isna().all() and one["ci_high"].isna().all() and one["auc"].notna().all()
    presence = case_role_presence(scores, roles, threshold=1.5)
    assert (presence[[f"{r}_present" for r in ROLES]] == 1).all().all()
    best = scores.groupby("case_id")[SCORE_COLUMNS].max()
    for role in ROLES:
        assert list(presence[f"{role}_max_score"]) == list(best[f"{role}_score"])
        assert list(presence[f"{role}_inferred"]) == list(
            (best[f"{role}_score"] >= 1.5).astype(int)
        )
        assert presence[f"{role}_inferred"].sum() >= 5, role


# ------------------------------------------------------------ validation tables
def brute_auc(y, s):
    pos, neg = s[y == 1], s[y == 0]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def random_scores(rng, n_cases=8, size=(4, 9)):
    frames = []
    for c in range(n_cases):
        n = int(rng.integers(*size))
        frame = pd.DataFrame(
            {"case_id": f"c{c}", "actor_id": [f"a{i}" for i in range(n)]}
            | {col: np.round(rng.normal(size=n), 1) for col in SCORE_COLUMNS}
        )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_roles_validation_auc_against_brute_force():
    rng = np.random.default_rng(4)
    scores = random_scores(rng)
    picks = scores.sample(12, random_state=1)
    roles = pd.DataFrame(
        {
            "case_id": picks["case_id"],
            "actor_id": picks["actor_id"],
            "role": rng.choice(ROLES, size=12),
        }
    )
    roles = pd.concat(
        [roles, pd.DataFrame([{"case_id": "c0", "actor_id": "a0", "role": "Convener "}])]
    )
    val = roles_validation(scores, roles, n_boot=0).set_index("role")
    surveyed = scores[scores["case_id"].isin(set(roles["case_id"]))]
    for role in ROLES:
        held = roles[roles["role"].str.strip().str.lower() == role]
        keys = set(zip(held["case_id"], held["actor_id"], strict=True))
        y = np.array(
            [
                (c, a) in keys
                for c, a in zip(surveyed["case_id"], surveyed["actor_id"], strict=True)
            ],
            dtype=int,
        )
        assert val.loc[role, "auc"] == pytest.approx(
            brute_auc(y, surveyed[f"{role}_score"].to_numpy())
        )
        assert val.loc[role, "n_holders"] == y.sum() and val.loc[role, "n_actors"] == len(y)
        assert np.isnan(val.loc[role, "ci_low"]) and val.loc[role, "n_boot"] == 0
    # explicit surveyed cases include a case with no reported holder
    val_all = roles_validation(scores, roles, n_boot=0, cases=scores["case_id"].unique())
    assert (val_all["n_actors"] == len(scores)).all()


def test_cluster_bootstrap_auc_equals_weighted_sklearn():
    rng = np.random.default_rng(8)
    n = 60
    clusters = rng.integers(0, 7, size=n)
    clusters = pd.factorize(clusters)[0]
    y = (rng.random(n) < 0.3).astype(int)
    s = np.round(rng.normal(size=n) + y, 1)
    got = _cluster_bootstrap_auc(y, s, clusters, n_boot=50, seed=5)
    n_clusters = clusters.max() + 1
    draws = np.random.default_rng(5).integers(0, n_clusters, size=(50, n_clusters))
    for b in range(50):
        counts = np.bincount(draws[b], minlength=n_clusters)
        w = counts[clusters]
        if len(set(y[w > 0])) < 2:
            assert np.isnan(got[b])
            continue
        assert got[b] == pytest.approx(roc_auc_score(y, s, sample_weight=w))


def test_reported_roles():
    roles = pd.DataFrame(
        {
            "case_id": ["c1", "c1", "c1", "c2", "c1"],
            "actor_id": ["a", "a", "b", "a", "a"],
            "role": ["convener", "catalyst", "facilitator", "catalyst", "convener"],
            "score": [5, 4, 3, 2, 5],
        }
    )
    rep = reported_roles(roles)
    assert rep.name == "reported_roles"
    assert rep.loc[("c1", "a")] == "catalyst;convener"
    assert rep.loc[("c1", "b")] == "facilitator" and rep.loc[("c2", "a")] == "catalyst"
    index = pd.MultiIndex.from_tuples([("c1", "a"), ("c1", "z"), ("c2", "a")])
    aligned = reported_roles(roles, index=index)
    assert list(aligned) == ["catalyst;convener", "", "catalyst"]


def test_case_role_presence_hand_made():
    scores = pd.DataFrame(
        {
            "case_id": ["c1", "c1", "c2", "c2", "c3"],
            "actor_id": ["a", "b", "a", "b", "a"],
            "convener_score": [1.6, -1.0, 0.2, 0.1, 0.0],
            "facilitator_score": [0.0, 1.5, 1.0, -1.0, 0.0],
            "catalyst_score": [-0.5, 0.5, 2.0, 0.0, 0.0],
        }
    )
    roles = pd.DataFrame(
        {
            "case_id": ["c1", "c2", "c4"],
            "actor_id": ["b", "a", "x"],
            "role": ["convener", "catalyst", "facilitator"],
        }
    )
    p = case_role_presence(scores, roles, threshold=1.5).set_index("case_id")
    assert list(p.index) == ["c1", "c2", "c3", "c4"]
    assert list(p["convener_present"]) == [1, 0, 0, 0]
    assert list(p["catalyst_present"]) == [0, 1, 0, 0]
    assert list(p["facilitator_present"]) == [0, 0, 0, 1]
    assert list(p["convener_inferred"]) == [1, 0, 0, 0]
    assert list(p["facilitator_inferred"]) == [1, 0, 0, 0]
    assert list(p["catalyst_inferred"]) == [0, 1, 0, 0]
    assert p.loc["c2", "catalyst_max_score"] == 2.0 and np.isnan(p.loc["c4", "convener_max_score"])
    for col in p.columns:
        if col.endswith(("_present", "_inferred")):
            assert p[col].dtype == np.int64 and set(p[col]) <= {0, 1}


def test_role_persistence():
    rng = np.random.default_rng(2)
    prev = random_scores(rng, n_cases=6, size=(6, 10))
    nxt = prev.copy()
    nxt[SCORE_COLUMNS] = rng.normal(size=(len(nxt), 3))
    # next-wave convener = the earlier top convener of each case; catalyst random
    top = prev.loc[prev.groupby("case_id")["convener_score"].idxmax(), ["case_id", "actor_id"]]
    prev.loc[top.index, "convener_score"] = 10.0  # above every other actor of every case
    roles_next = pd.concat(
        [
            top.assign(role="convener"),
            nxt.sample(6, random_state=0)[["case_id", "actor_id"]].assign(role="catalyst"),
        ]
    )
    roles_prev = top.iloc[:3].assign(role="convener")
    res = role_persistence(prev, nxt, roles_next, roles_prev, n_boot=100).set_index("role")
    assert res.loc["convener", "auc_score"] == pytest.approx(1.0)
    assert res.loc["convener", "persistence_rate"] == pytest.approx(1.0)
    assert res.loc["convener", "n_holders_prev"] == 3 and res.loc["convener", "n_holders_next"] == 6
    y = np.zeros(len(prev))
    y[top.index] = 1
    held = np.zeros(len(prev))
    held[top.index[:3]] = 1
    assert res.loc["convener", "auc_reported"] == pytest.approx(brute_auc(y, held))
    assert res.loc["convener", "base_rate"] == pytest.approx(6 / len(prev))
    assert np.isnan(res.loc["facilitator", "auc_score"])  # no holder
    # an actor missing from the next wave is not evaluated
    fewer = role_persistence(prev, nxt.iloc[1:], roles_next, None, n_boot=0).set_index("role")
    assert fewer.loc["convener", "n_actors"] == len(prev) - 1
    assert np.isnan(fewer.loc["convener", "auc_reported"])


def test_facilitator_reciprocity_counts_reported_arcs_only():
    """Co-attendance is no reported arc (issue 12, item 2): in the layer networks two actors
    who attended an event together and named each other in one direction only are not
    reciprocated, so the facilitator's reciprocity comes from reported arcs alone."""
    from types import SimpleNamespace

    from netinnov.tables import wave_networks

    inter = pd.DataFrame({"case_id": "c", "source": ["a", "b", "a"], "target": ["b", "a", "c"],
                          "frequency": 1.0})
    part = pd.DataFrame({"case_id": "c", "event_id": "e", "actor_id": ["a", "b", "c", "d"]})
    actors = pd.DataFrame({"actor_id": list("abcd"), "sector": ["public", "private", "public", "private"]})
    data = SimpleNamespace(wave="w1", actors=actors, interactions=inter, participation=part, members=None)
    net = wave_networks(data, {"directed": True})["c"]
    assert len(net.ties) == 3  # the reported arcs; a-d, b-c, b-d, c-d only co-attended
    comps = role_components(net, inter, part)["facilitator_reciprocity"]
    assert comps.to_dict() == {"a": 0.5, "b": 1.0, "c": 0.0, "d": 0.0}  # a: b both ways, c one way
