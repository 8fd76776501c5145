"""Tests of netinnov.metrics.roles: components against brute force, planted role
holders, and the validation tables against independent computations."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from helpers.role_simulation import simulate_wave
from netinnov.metrics.role_survey import VALIDATION_COLUMNS
from netinnov.metrics.role_validity import null_thresholds, role_validity
from netinnov.metrics.roles import (
    COMPONENTS,
    DEFAULT_SCALE,
    DEFAULT_THRESHOLD,
    LEADERSHIP_ROLES,
    WEIGHTS,
    _cluster_bootstrap_auc,
    case_role_presence,
    reported_roles,
    role_components,
    role_persistence,
    role_scores,
    role_thresholds,
    roles_validation,
)
from netinnov.networks import CaseNetwork

SECTORS = ("citizen", "civil_society", "private", "public")
SCORE_COLUMNS = [f"{r}_score" for r in LEADERSHIP_ROLES]


# --------------------------------------------------------------------- helpers
K = DEFAULT_SCALE["prior"]


def network_from_records(
    case_id, interactions, participation, sector, *, directed=False, extra_actors=()
):
    """A CaseNetwork built the plain way: records summed per tie (records,
    frequency, mean closeness, first date), co-attendance pairs added as ties
    without records (frequency 0, one per shared event)."""
    ids = sorted(set(interactions["source"]) | set(interactions["target"]) | set(extra_actors)
                 | (set(participation["actor_id"]) if participation is not None else set()))  # fmt: skip
    pos = {a: i for i, a in enumerate(ids)}
    arcs = {}
    for row in interactions.to_dict("records"):
        i, j = pos[row["source"]], pos[row["target"]]
        key = (i, j) if directed else (min(i, j), max(i, j))
        t = arcs.setdefault(key, {"frequency": 0.0, "co": 0, "n_records": 0, "close": [], "dates": []})
        t["frequency"] += float(row["frequency"])
        t["n_records"] += 1
        if row.get("closeness") is not None and np.isfinite(row.get("closeness", np.nan)):
            t["close"].append(row["closeness"])
        if row.get("date") is not None:
            t["dates"].append(pd.Timestamp(row["date"]))
    if participation is not None:
        for _, rows in participation.groupby("event_id"):
            members = sorted(pos[a] for a in rows["actor_id"])
            for i, j in itertools.combinations(members, 2):
                for key in [(i, j), (j, i)] if directed else [(i, j)]:
                    t = arcs.setdefault(key, {"frequency": 0.0, "co": 0, "n_records": 0, "close": [], "dates": []})
                    t["co"] += 1
    keys = sorted(arcs)
    ties = pd.DataFrame(
        {
            "source_index": np.array([k[0] for k in keys], dtype=np.int64),
            "target_index": np.array([k[1] for k in keys], dtype=np.int64),
            "frequency": [arcs[k]["frequency"] for k in keys],
            "coparticipation": [arcs[k]["co"] for k in keys],
            "n_records": [arcs[k]["n_records"] for k in keys],
            "closeness": [np.mean(arcs[k]["close"]) if arcs[k]["close"] else np.nan for k in keys],
            "first_date": [min(arcs[k]["dates"]) if arcs[k]["dates"] else pd.NaT for k in keys],
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


def random_graph_net(seed, *, directed=False, n=25, p=0.15, unknown=0.1, dated=False):
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    g = nx.relabel_nodes(g, {v: f"v{v:02d}" for v in g})
    for u, v in g.edges:
        g.edges[u, v]["frequency"] = float(rng.integers(1, 6))
        g.edges[u, v]["closeness"] = float(rng.integers(1, 6))
    for v in g:
        if rng.random() >= unknown:
            g.nodes[v]["sector"] = SECTORS[int(rng.integers(4))]
    net = CaseNetwork.from_networkx(g, group_labels=SECTORS, case_id="r")
    if dated:  # days since 2024-01-01; a few ties undated
        days = rng.integers(0, 40, size=net.n_ties)
        dates = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"))
        dates[rng.random(net.n_ties) < 0.1] = pd.NaT
        net.ties["first_date"] = dates.to_numpy()
        for (s, t), d in zip(zip(net.ties["source"], net.ties["target"], strict=True), dates, strict=True):
            g.edges[s, t]["first_date"] = d
    return g, net


def pair_values(g, directed):
    """Undirected skeleton with each pair's summed frequency, mean closeness
    and earliest first date, by plain loops."""
    und = nx.Graph()
    und.add_nodes_from(g.nodes(data=True))
    for u, v, d in g.edges(data=True):
        if und.has_edge(u, v):
            e = und.edges[u, v]
            e["frequency"] += d["frequency"]
            e["close"].append(d["closeness"])
            e["dates"].append(d.get("first_date", pd.NaT))
        else:
            und.add_edge(u, v, frequency=d["frequency"], close=[d["closeness"]],
                         dates=[d.get("first_date", pd.NaT)], arcs=0)
        und.edges[u, v]["arcs"] += 1
    for _, _, e in und.edges(data=True):
        e["closeness"] = float(np.mean(e["close"]))
        dated = [x for x in e["dates"] if not pd.isna(x)]
        e["time"] = min(dated) if dated else None
    return und


# ------------------------------------------------------ components, brute force
@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("dated", [False, True])
def test_network_components_match_brute_force(directed, dated):
    g, net = random_graph_net(11 + directed + 2 * dated, directed=directed, p=0.2, dated=dated)
    comp = role_components(net, None)
    und = pair_values(g, directed)
    sector = {v: g.nodes[v].get("sector") for v in g}
    # fixed-scale intensity and its mid-rank percentile among the case's pairs
    q = {}
    for u, v, e in und.edges(data=True):
        q[frozenset((u, v))] = np.mean([e["frequency"] / (e["frequency"] + 3.0), (e["closeness"] - 1) / 4])
    values = list(q.values())
    pct = {
        key: (sum(x < val for x in values) + (sum(x == val for x in values) + 1) / 2 - 0.5) / len(values)
        for key, val in q.items()
    }
    rate = np.mean([not set(und[x]) & set(und[y]) for x, y in und.edges])  # the case's bridge share

    def weak_bridge(x, y):  # a weak cross-group tie that is a local bridge
        cross = sector[x] and sector[y] and sector[x] != sector[y]
        weak = und.edges[x, y]["frequency"] <= 2
        return bool(cross and weak and not set(und[x]) & set(und[y]))

    weak_rate = np.mean([weak_bridge(x, y) for x, y in und.edges])  # the case's weak-bridge share
    for v in g:
        alters = sorted(und[v])
        row = comp.loc[v]
        # convener: closure of cross-group alter pairs, by the timing rule
        pairs = [(x, y) for x, y in itertools.combinations(alters, 2)
                 if sector[x] and sector[y] and sector[x] != sector[y]]  # fmt: skip
        closed = 0.0
        for x, y in pairs:
            if not und.has_edge(x, y):
                continue
            times = [und.edges[x, y]["time"], und.edges[v, x]["time"], und.edges[v, y]["time"]]
            if any(t is None for t in times):
                closed += 1.0  # undated: structural closure
            elif times[0] >= max(times[1:]):
                closed += 1.0  # tied after the actor's contact with both
        assert row["convener_brokered_closure"] == pytest.approx(closed / (len(pairs) + K))
        # convener: alters brought together with an alter of another group
        # (each alter once: 1 after or undated with the default weights)
        introduced = 0.0
        for x in alters:
            best = 0.0
            for y in alters:
                if y == x or not (sector[x] and sector[y] and sector[x] != sector[y]) or not und.has_edge(x, y):
                    continue
                times = [und.edges[x, y]["time"], und.edges[v, x]["time"], und.edges[v, y]["time"]]
                if any(t is None for t in times) or times[0] >= max(times[1:]):
                    best = 1.0
            introduced += best
        assert row["convener_introductions"] == pytest.approx(introduced / (len(alters) + K))
        # facilitator: excess intensity of the ties among the alters
        among = [frozenset((x, y)) for x, y in itertools.combinations(alters, 2) if und.has_edge(x, y)]
        excess = sum(2 * pct[e] - 1 for e in among)
        assert row["facilitator_alter_repetition"] == pytest.approx(max(excess, 0.0) / (len(among) + K))
        # catalyst: shares of the case's other actors (at least K of them)
        d = len(alters)
        others = max(g.number_of_nodes() - 1, K)
        bridges = sum(1 for a in alters if not set(und[a]) & set(alters))
        assert row["catalyst_bridges"] == pytest.approx(max(bridges - rate * d, 0) / others)
        weak_cross = sum(1 for a in alters if weak_bridge(v, a))
        assert row["catalyst_weak_cross_ties"] == pytest.approx(
            max(weak_cross - weak_rate * d, 0) / others
        )
        if directed:
            mutual = sum(1 for a in alters if g.has_edge(v, a) and g.has_edge(a, v))
            assert row["facilitator_reciprocity"] == pytest.approx(mutual / others)
    if not directed:
        assert comp["facilitator_reciprocity"].isna().all()
    # no records, no previous wave: those components are unavailable
    for col in ("convener_early_activity", "facilitator_events_share", "catalyst_newcomers"):
        assert comp[col].isna().all(), col
    expected = [f"{role}_{c}" for role in LEADERSHIP_ROLES for c in COMPONENTS[role]]
    assert list(comp.columns) == expected
    assert ((comp.fillna(0) >= 0) & (comp.fillna(0) <= 1)).all().all()


def test_prior_tie_weight_and_undated_weight():
    g, net = random_graph_net(21, p=0.3, dated=True)
    base = role_components(net, None)["convener_brokered_closure"]
    none = role_components(net, None, scale={"undated_weight": 0.0})["convener_brokered_closure"]
    both = role_components(net, None, scale={"prior_tie_weight": 1.0})["convener_brokered_closure"]
    assert (none <= base + 1e-12).all() and (base <= both + 1e-12).all()
    assert (none < base).any() and (base < both).any()
    # with every tie counted, the closure is the structural cross-group closure
    structural = role_components(net.__class__(net.case_id, net.actors, net.groups, net.group_labels,
                                               False, net.ties.drop(columns="first_date")), None)
    assert np.allclose(both, structural["convener_brokered_closure"])
    # the same order of the weights for the introductions, and the structural fallback
    col = "convener_introductions"
    base = role_components(net, None)[col]
    none = role_components(net, None, scale={"undated_weight": 0.0})[col]
    both = role_components(net, None, scale={"prior_tie_weight": 1.0})[col]
    assert (none <= base + 1e-12).all() and (base <= both + 1e-12).all()
    assert (none < base).any() and (base < both).any()
    assert np.allclose(both, structural[col])
    half = role_components(net, None, scale={"prior_tie_weight": 0.5, "undated_weight": 0.0})[col]
    assert ((half >= none - 1e-12) & (half <= both + 1e-12)).all() and (half > none).any()


def test_reciprocity_read_from_the_column_and_coattendance_left_out():
    g, net = random_graph_net(4, directed=True, p=0.25)
    rng = np.random.default_rng(1)
    flag = rng.random(net.n_ties) < 0.4
    ties = net.ties.assign(reciprocated=flag, n_records=np.where(rng.random(net.n_ties) < 0.2, 0, 1))
    net2 = CaseNetwork(net.case_id, net.actors, net.groups, net.group_labels, True, ties)
    comp = role_components(net2, None)
    reported, recip = {}, {}
    for s, t, f, r in zip(ties["source"], ties["target"], ties["reciprocated"], ties["n_records"], strict=True):
        key = frozenset((s, t))
        reported[key] = reported.get(key, False) or r > 0
        recip[key] = recip.get(key, False) or bool(f)
    kept = [key for key in reported if reported[key]]
    nbrs = {v: {a for key in kept if v in key for a in key if a != v} for v in net.actors}
    rate = np.mean([not (nbrs[x] & nbrs[y]) for x, y in (tuple(key) for key in kept)])
    others = max(len(net.actors) - 1, K)
    for v in net.actors:
        mine = [key for key in reported if v in key and reported[key]]
        assert comp.loc[v, "facilitator_reciprocity"] == pytest.approx(sum(recip[key] for key in mine) / others)
        # pairs without a record (co-attendance only) are not ties of the reported relation
        alters = {a for key in mine for a in key if a != v}
        bridges = sum(1 for a in alters if not any(
            reported.get(frozenset((a, x)), False) and x in alters for x in alters))  # fmt: skip
        excess = max(bridges - rate * len(alters), 0)
        assert comp.loc[v, "catalyst_bridges"] == pytest.approx(excess / others)


def test_newcomers_brute_force():
    rng = np.random.default_rng(3)
    ids = [f"a{i}" for i in range(14)]
    sector = {a: SECTORS[i % 4] for i, a in enumerate(ids)}
    rows = []
    for _ in range(40):
        s, t = rng.choice(ids, size=2, replace=False)
        day = int(rng.integers(0, 100))
        rows.append({"case_id": "c", "source": s, "target": t, "frequency": 1.0, "closeness": 3.0,
                     "date": pd.Timestamp("2024-01-01") + pd.Timedelta(days=day)})
    inter = pd.DataFrame(rows)
    part = pd.DataFrame({"case_id": "c", "event_id": ["e1", "e1", "e2"], "actor_id": ["a0", "a1", "a2"],
                         "date": pd.to_datetime(["2024-01-03", "2024-01-03", "2024-03-01"])})
    net = network_from_records("c", inter, part, sector)
    comp = role_components(net, inter, part)
    # brute force: first record per actor (interactions and attendance), case span
    dates = {}
    for r in inter.to_dict("records"):
        for a in (r["source"], r["target"]):
            dates.setdefault(a, []).append(r["date"])
    for r in part.to_dict("records"):
        dates.setdefault(r["actor_id"], []).append(r["date"])
    all_dates = [d for ds in dates.values() for d in ds]
    cut = min(all_dates) + 0.25 * (max(all_dates) - min(all_dates))
    first_contact = {}
    for r in inter.to_dict("records"):
        for a, b in ((r["source"], r["target"]), (r["target"], r["source"])):
            first_contact.setdefault(a, {}).setdefault(b, r["date"])
            first_contact[a][b] = min(first_contact[a][b], r["date"])
    inflow = sum(1 for j in first_contact if min(dates[j]) > cut)
    assert inflow > 0
    brought = {
        v: sum(1 for j in first_contact.get(v, {})
               if min(dates[j]) > cut and first_contact[j][v] == min(first_contact[j].values()))
        for v in net.actors
    }  # fmt: skip
    degree = {v: len(first_contact.get(v, {})) for v in net.actors}
    nu = sum(brought.values()) / sum(degree.values())  # the case's newcomer entries per tie end
    for v in net.actors:
        expected = max(brought[v] - nu * degree[v], 0) / max(len(net.actors) - 1, K)
        assert comp.loc[v, "catalyst_newcomers"] == pytest.approx(expected), v
    assert (comp["catalyst_newcomers"] > 0).any()
    # without dates: alters new since the previous wave; neither: unavailable
    undated = inter.drop(columns="date")
    net_u = network_from_records("c", undated, None, sector)
    prev = network_from_records("c", undated.iloc[:6], None, sector)
    comp_u = role_components(net_u, undated, None, previous=prev)
    active_before = set(prev.actors[np.asarray(prev.symmetric.sum(axis=1)).ravel() > 0])
    new_actors = set(first_contact) - active_before
    new_alters = {v: len(set(first_contact.get(v, {})) - active_before) for v in net_u.actors}
    nu = sum(new_alters.values()) / sum(degree.values())
    for v in net_u.actors:
        assert comp_u.loc[v, "catalyst_newcomers"] == pytest.approx(
            max(new_alters[v] - nu * degree[v], 0) / max(len(net_u.actors) - 1, K)
        )
    assert new_actors  # the previous wave leaves some actors new
    assert role_components(net_u, undated, None)["catalyst_newcomers"].isna().all()


def test_catalyst_hand_worked():
    """Seven actors over days 0-100 (entry cut: day 25). The catalyst c is the
    first contact of two newcomers (n1, day 50; n2, day 55), the hub h of one
    (n3, day 70) and meets n1 again later (day 60, not n1's first contact).
    Degrees h 5, p 3, c 4, q 2, n1 2, n2 1, n3 1 (sum 18); entries 3, so the
    case's rate is 3 / 18 = 1/6 per tie end: c brought 2 - 4/6 = 4/3 beyond it,
    h 1 - 5/6 = 1/6, over n - 1 = 6 others. The raw count would give h half
    of c's value (1/6 against 2/6); beyond the rate it is an eighth.
    The weak (frequency 1) cross-sector local bridges are c-n2 and h-n3,
    2 of the 9 ties: c holds 1 - 4 * 2/9 = 1/9 beyond the rate, h none
    (1 - 10/9 < 0), n2 and n3 7/9 each; the local bridges are the same two."""
    day = pd.Timestamp("2024-01-01")
    pairs = [("h", "p", 0, 3), ("h", "q", 1, 3), ("h", "c", 2, 3), ("p", "q", 3, 3), ("c", "p", 5, 3),
             ("c", "n1", 50, 1), ("c", "n2", 55, 1), ("h", "n1", 60, 3), ("h", "n3", 70, 1),
             ("p", "q", 100, 3)]  # fmt: skip
    inter = pd.DataFrame(pairs, columns=["source", "target", "day", "frequency"])
    when = day + pd.to_timedelta(inter["day"], unit="D")
    inter = inter.drop(columns="day").assign(case_id="c", closeness=3.0, date=when)
    sector = {
        "c": "public", "h": "public", "p": "private", "q": "civil_society",
        "n1": "private", "n2": "civil_society", "n3": "private",
    }  # fmt: skip
    net = network_from_records("c", inter, None, sector)
    comp = role_components(net, inter, None)
    assert comp.loc["c", "catalyst_newcomers"] == pytest.approx((2 - 4 / 6) / 6)
    assert comp.loc["h", "catalyst_newcomers"] == pytest.approx((1 - 5 / 6) / 6)
    for v in ("p", "q", "n1", "n2", "n3"):
        assert comp.loc[v, "catalyst_newcomers"] == 0.0, v
    weak = {"c": 1 / 9, "h": 0.0, "p": 0.0, "q": 0.0, "n1": 0.0, "n2": 7 / 9, "n3": 7 / 9}
    for v, x in weak.items():
        assert comp.loc[v, "catalyst_weak_cross_ties"] == pytest.approx(x / 6), v
        assert comp.loc[v, "catalyst_bridges"] == pytest.approx(x / 6), v
    score = role_scores(net, inter, None).loc["c", "catalyst_score"]
    w = WEIGHTS
    expected = (
        w["catalyst_newcomers"] * (4 / 3) / 6
        + (w["catalyst_weak_cross_ties"] + w["catalyst_bridges"]) / 54
    )
    total = w["catalyst_newcomers"] + w["catalyst_weak_cross_ties"] + w["catalyst_bridges"]
    assert score == pytest.approx(expected / total)


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
    # a: records initiation, design, (unphased), attendance design -> 3 of 3
    assert comp.loc["a", "convener_early_activity"] == pytest.approx(1.0)
    # b: initiation, implementation, diffusion (e2) -> 1 of 3
    assert comp.loc["b", "convener_early_activity"] == pytest.approx(1 / 3)
    # d: diffusion, design (e1), diffusion (e2) -> 1 of 3
    assert comp.loc["d", "convener_early_activity"] == pytest.approx(1 / 3)
    assert comp.loc["c", "convener_early_activity"] == pytest.approx(1 / 3)
    assert np.allclose(comp["facilitator_events_share"], np.array([1, 1, 0, 2]) / (2 + K))
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
def test_scores_are_weighted_means_on_a_fixed_scale():
    g, net = random_graph_net(3, unknown=0.0, directed=True)
    g.add_node("zz_isolate", sector="public")
    net = CaseNetwork.from_networkx(g, group_labels=SECTORS, case_id="r")
    s = role_scores(net, None)
    comp = role_components(net, None)
    assert list(s.columns) == SCORE_COLUMNS and list(s.index) == list(net.actors)
    for role in LEADERSHIP_ROLES:
        cols = [f"{role}_{c}" for c in COMPONENTS[role] if comp[f"{role}_{c}"].notna().any()]
        w = np.array([WEIGHTS[c] for c in cols])
        expected = comp[cols].to_numpy() @ w / w.sum()
        assert np.allclose(s[f"{role}_score"], expected)
        assert s.loc["zz_isolate", f"{role}_score"] == 0.0
    assert ((s >= 0) & (s <= 1)).all().all()
    # no standardisation: a case's scores do not move when actors are added elsewhere,
    # and a network with no behaviour of a role scores 0 on it throughout
    ring = nx.cycle_graph(8)
    nx.set_node_attributes(ring, "public", "sector")
    s = role_scores(CaseNetwork.from_networkx(ring, group_labels=SECTORS), None)
    assert (s["convener_score"] == 0).all()  # no cross-group alters to bring together
    assert (s["facilitator_score"] == 0).all()  # no ties among alters


def test_single_actor_and_empty_cases():
    one = CaseNetwork.from_networkx(
        nx.Graph([("a", "b")]).subgraph(["a"]).copy(), group_labels=SECTORS
    )
    s = role_scores(one, pd.DataFrame(columns=["case_id", "source", "target"]))
    assert s.shape == (1, 3) and (s.to_numpy() == 0).all()


# ------------------------------------------------------- latent-behaviour data
@pytest.fixture(scope="module")
def simulated():
    nets, inter, part, truth = simulate_wave(7, 36)
    by_case_i = dict(tuple(inter.groupby("case_id")))
    by_case_p = dict(tuple(part.groupby("case_id")))
    frames = []
    for cid, net in nets.items():
        s = role_scores(net, by_case_i.get(cid), by_case_p.get(cid))
        frames.append(s.reset_index().assign(case_id=cid))
    return pd.concat(frames, ignore_index=True), truth


def test_simulated_roles_case_level_validity(simulated):
    scores, truth = simulated
    v = role_validity(scores, truth, n_boot=100, seed=3)
    case = v[v["measure"] == "case_auc"].set_index("role")["value"]
    assert (case >= 0.75).all(), case.to_dict()
    actor = v[v["measure"] == "actor_auc"].set_index("role")["value"]
    assert (actor >= 0.85).all(), actor.to_dict()
    corr = v[v["measure"] == "score_correlation"].set_index("role")["value"]
    assert (corr.abs() < 0.5).all(), corr.to_dict()
    assert len(corr) == 3
    size = v[v["measure"] == "size_correlation"]
    assert (size["n"] == [len(set(scores["case_id"]) - set(truth.loc[truth["role"] == r, "case_id"]))
                          for r in LEADERSHIP_ROLES]).all()  # over the cases without the role
    # the same through brute force: AUC of the case maxima
    best = scores.groupby("case_id")[SCORE_COLUMNS].max()
    for role in LEADERSHIP_ROLES:
        y = best.index.isin(truth.loc[truth["role"] == role, "case_id"]).astype(int)
        assert case[role] == pytest.approx(brute_auc(y, best[f"{role}_score"].to_numpy()))
    # absence shows: some case without a role has every presence score below the threshold
    none = set(best.index) - set(truth["case_id"])
    cut = pd.Series({f"{r}_score": DEFAULT_THRESHOLD[r] for r in LEADERSHIP_ROLES})
    assert none and (best.loc[sorted(none)] < cut).all(axis=1).any()
    # thresholds calibrated on the role-free cases leave about 1 - quantile of them flagged
    calibrated = null_thresholds(scores, truth, quantile=0.8, step=0)
    for role in LEADERSHIP_ROLES:
        free = best.loc[~best.index.isin(truth.loc[truth["role"] == role, "case_id"]), f"{role}_score"]
        assert calibrated[role] == pytest.approx(np.quantile(free, 0.8))
        assert (free > calibrated[role]).mean() <= 0.2 + 1 / len(free)
    rounded = null_thresholds(scores, truth)
    assert all(round(v / 0.05, 6) == int(round(v / 0.05)) for v in rounded.values())


def test_simulated_roles_survey_validation_levels(simulated):
    scores, truth = simulated
    val = roles_validation(scores, truth, n_boot=100, seed=1)
    assert list(val["level"]) == ["actor"] * 3 + ["case"] * 3
    assert list(val.columns) == VALIDATION_COLUMNS
    # case rows: only the surveyed cases (a row in roles) are evaluated
    surveyed = sorted(set(truth["case_id"]))
    best = scores[scores["case_id"].isin(surveyed)].groupby("case_id")[SCORE_COLUMNS].max()
    for role in LEADERSHIP_ROLES:
        row = val[(val["level"] == "case") & (val["role"] == role)].iloc[0]
        y = best.index.isin(truth.loc[truth["role"] == role, "case_id"]).astype(int)
        assert row["n_cases"] == len(surveyed) and row["n_holders"] == y.sum()
        if 0 < y.sum() < len(y):
            assert row["auc"] == pytest.approx(brute_auc(y, best[f"{role}_score"].to_numpy()))
            assert row["ci_low"] <= row["auc"] + 1e-12 <= row["ci_high"] + 2e-12
    presence = case_role_presence(scores, truth)
    for role in LEADERSHIP_ROLES:
        b = scores.groupby("case_id")[f"{role}_score"].max()
        assert np.allclose(presence.set_index("case_id")[f"{role}_max_score"], b)
        assert list(presence[f"{role}_inferred"]) == list((b >= DEFAULT_THRESHOLD[role]).astype(int))
    # one threshold for every role, or one per role
    one = case_role_presence(scores, truth, threshold=0.3)
    per = case_role_presence(scores, truth, threshold={"catalyst": 0.3})
    b = scores.groupby("case_id")["catalyst_score"].max()
    assert list(one["catalyst_inferred"]) == list(per["catalyst_inferred"]) == list((b >= 0.3).astype(int))
    assert list(per["convener_inferred"]) == list(presence["convener_inferred"])


def test_role_thresholds():
    assert role_thresholds(None) == DEFAULT_THRESHOLD == role_thresholds("")
    assert role_thresholds(0.25) == dict.fromkeys(LEADERSHIP_ROLES, 0.25) == role_thresholds(" 0.25")
    assert role_thresholds("{'convener': 0.6}") == {**DEFAULT_THRESHOLD, "convener": 0.6}
    with pytest.raises(ValueError, match="unknown roles"):
        role_thresholds({"broker": 0.3})


def test_role_validity_with_waves_and_empty_truth():
    scores = random_scores(np.random.default_rng(5), n_cases=4)
    two = pd.concat([scores.assign(wave="1"), scores.assign(wave="2")], ignore_index=True)
    truth = pd.DataFrame({"case_id": ["c0", "c1"], "wave": ["1", "2"], "actor_id": ["a0", "a1"],
                          "role": ["convener", "convener"]})
    v = role_validity(two, truth, n_boot=0).set_index(["measure", "role"])
    assert v.loc[("case_auc", "convener"), "n"] == 8 and v.loc[("case_auc", "convener"), "n_positive"] == 2
    assert v.loc[("actor_auc", "convener"), "n_positive"] == 2
    best = two.groupby(["wave", "case_id"])["convener_score"].max()
    y = np.array([(w, c) in {("1", "c0"), ("2", "c1")} for w, c in best.index], dtype=int)
    assert v.loc[("case_auc", "convener"), "value"] == pytest.approx(brute_auc(y, best.to_numpy()))
    empty = role_validity(scores, truth.iloc[0:0], n_boot=0)
    assert empty.loc[empty["measure"] == "case_auc", "value"].isna().all()


def test_role_validity_takes_the_case_presence_table():
    scores = random_scores(np.random.default_rng(6), n_cases=10)
    truth = pd.DataFrame({"case_id": ["c0", "c3", "c4", "c7"], "actor_id": ["a0", "a1", "a0", "a2"],
                          "role": ["convener", "convener", "catalyst", "convener"]})
    ids = sorted(set(scores["case_id"]))
    rng = np.random.default_rng(7)
    # a presence table that differs from the actor maxima: role_validity must use it, not recompute
    presence = pd.DataFrame({"case_id": ids, "n_actors": rng.integers(3, 80, len(ids))})
    for role in LEADERSHIP_ROLES:
        presence[f"{role}_max_score"] = rng.uniform(0, 1, len(ids))
        presence[f"{role}_inferred"] = (presence[f"{role}_max_score"] >= 0.5).astype(int)
    v = role_validity(scores, truth, presence=presence, n_boot=0).set_index(["measure", "role"])
    held = set(truth.loc[truth["role"] == "convener", "case_id"])
    y = presence["case_id"].isin(held).astype(int).to_numpy()
    assert v.loc[("case_auc", "convener"), "value"] == pytest.approx(brute_auc(y, presence["convener_max_score"].to_numpy()))
    free = presence[y == 0]
    r = np.corrcoef(free["convener_max_score"], np.log(free["n_actors"].astype(float)))[0, 1]
    assert v.loc[("size_correlation", "convener"), "value"] == pytest.approx(r)
    assert v.loc[("size_correlation", "convener"), "n"] == len(free)
    assert v.loc[("flag_rate", "convener|holder"), "value"] == pytest.approx(presence.loc[y == 1, "convener_inferred"].mean())
    assert v.loc[("flag_rate", "convener|no_holder"), "value"] == pytest.approx(presence.loc[y == 0, "convener_inferred"].mean())
    assert v.loc[("flag_rate", "convener|holder"), "n"] == 3
    # the actor level is unchanged by the presence table
    plain = role_validity(scores, truth, n_boot=0).set_index(["measure", "role"])
    assert v.loc[("actor_auc", "convener"), "value"] == plain.loc[("actor_auc", "convener"), "value"]
    assert "flag_rate" not in plain.index.get_level_values(0)
    # restricted to some cases
    some = role_validity(scores, truth, presence=presence, cases=ids[:6], n_boot=0).set_index(["measure", "role"])
    assert some.loc[("case_auc", "convener"), "n"] == 6


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
            "role": rng.choice(LEADERSHIP_ROLES, size=12),
        }
    )
    roles = pd.concat(
        [roles, pd.DataFrame([{"case_id": "c0", "actor_id": "a0", "role": "Convener "}])]
    )
    val = roles_validation(scores, roles, n_boot=0)
    val = val[val["level"] == "actor"].set_index("role")
    surveyed = scores[scores["case_id"].isin(set(roles["case_id"]))]
    for role in LEADERSHIP_ROLES:
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
    assert (val_all.loc[val_all["level"] == "case", "n_cases"] == scores["case_id"].nunique()).all()


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

    from netinnov.metrics.wave import wave_networks

    inter = pd.DataFrame({"case_id": "c", "source": ["a", "b", "a"], "target": ["b", "a", "c"],
                          "frequency": 1.0})
    part = pd.DataFrame({"case_id": "c", "event_id": "e", "actor_id": ["a", "b", "c", "d"]})
    actors = pd.DataFrame({"actor_id": list("abcd"), "sector": ["public", "private", "public", "private"]})
    data = SimpleNamespace(wave="w1", actors=actors, interactions=inter, participation=part, members=None)
    net = wave_networks(data, {"directed": True})["c"]
    assert len(net.ties) == 3  # the reported arcs; a-d, b-c, b-d, c-d only co-attended
    comps = role_components(net, inter, part)["facilitator_reciprocity"]
    k = 3.0  # the default pseudo-count (role_scale.prior), the floor of the case's other actors
    # reciprocated reported alters / max(n - 1, k): a has b both ways and c one way; n - 1 = 3
    assert comps.to_dict() == pytest.approx({"a": 1 / max(3, k), "b": 1 / max(3, k), "c": 0.0, "d": 0.0})


def test_scores_depend_on_the_case_own_records_only():
    """Dropping the other cases of the wave leaves a case's scores unchanged."""
    from helpers.role_simulation import SECTORS as SIM_SECTORS
    from netinnov.networks.build import case_networks, case_rosters, wave_ties

    nets, inter, part, truth = simulate_wave(11, 6)
    actors = pd.DataFrame({"actor_id": [str(a) for n in nets.values() for a in n.actors],
                           "sector": [s for n in nets.values() for s in n.group_names]})
    for cid in ("c01", "c04"):
        full = role_scores(nets[cid], inter[inter.case_id == cid], part[part.case_id == cid])
        i1, p1 = inter[inter.case_id == cid], part[part.case_id == cid]
        alone = case_networks(wave_ties(i1, p1, directed=False), case_rosters(i1, p1, None), actors,
                              directed=False, group_labels=SIM_SECTORS)[cid]
        pd.testing.assert_frame_equal(role_scores(alone, i1, p1), full)
        # the whole wave's record tables may be passed: other cases' rows are ignored
        pd.testing.assert_frame_equal(role_scores(nets[cid], inter, part), full)


def test_simulated_roles_directed():
    """Directed reports: the facilitator's reciprocity enters, the targets still hold."""
    nets, inter, part, truth = simulate_wave(8, 30, directed=True)
    frames = []
    for cid, net in nets.items():
        i, p = inter[inter.case_id == cid], part[part.case_id == cid]
        comp = role_components(net, i, p)
        assert comp["facilitator_reciprocity"].notna().all()
        frames.append(role_scores(net, i, p).reset_index().assign(case_id=cid))
    v = role_validity(pd.concat(frames, ignore_index=True), truth, n_boot=0)
    assert (v.loc[v["measure"] == "case_auc", "value"] >= 0.75).all()
    assert (v.loc[v["measure"] == "score_correlation", "value"].abs() < 0.5).all()


def test_mid_ranks_are_scipy_rankdata():
    """role_evidence ranks pairs with numpy alone; the ranks are scipy.stats.rankdata's, bit for bit."""
    from scipy.stats import rankdata

    from netinnov.metrics.role_evidence import _mid_ranks

    rng = np.random.default_rng(20261203)
    for n in (1, 2, 7, 1000):
        for x in (rng.integers(0, 3, n).astype(float), rng.random(n), np.zeros(n)):
            assert _mid_ranks(x).tobytes() == rankdata(x).tobytes()
    x = np.array([0.0, -0.0, np.inf, -np.inf, 1.0, 1.0])
    assert _mid_ranks(x).tobytes() == rankdata(x).tobytes()
    assert np.isnan(_mid_ranks(np.array([1.0, np.nan]))).all()
