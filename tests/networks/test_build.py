"""Building ties and case networks from records, checked against networkx."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms import bipartite

from netinnov.networks.build import (
    case_networks,
    case_rosters,
    coparticipation_ties,
    interaction_ties,
    wave_layers,
    wave_ties,
)


def _records(seed=0, n=200, actors=12, cases=3):
    rng = np.random.default_rng(seed)
    ids = [f"a{i:02d}" for i in range(actors)]
    src = rng.choice(ids, n)
    tgt = rng.choice(ids, n)
    keep = src != tgt
    return pd.DataFrame(
        {
            "case_id": rng.choice([f"c{i}" for i in range(cases)], n)[keep],
            "source": src[keep],
            "target": tgt[keep],
            "frequency": rng.integers(1, 5, n)[keep].astype(float),
            "duration_min": np.where(rng.random(n) < 0.2, np.nan, rng.integers(5, 90, n))[keep],
            "closeness": np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 6, n))[keep],
            "channel": rng.choice(["email", "meeting", "phone", None], n)[keep],
        }
    )


@pytest.mark.parametrize("directed", [False, True])
def test_interaction_ties_match_a_plain_aggregation(directed):
    rec = _records()
    ties = interaction_ties(rec, directed=directed)
    for row in rec.itertuples():
        s, t = (row.source, row.target) if directed else tuple(sorted((row.source, row.target)))
        assert ((ties.case_id == row.case_id) & (ties.source == s) & (ties.target == t)).sum() == 1
    # independent aggregation with a Python dict
    expected: dict = {}
    for row in rec.itertuples():
        s, t = (row.source, row.target) if directed else tuple(sorted((row.source, row.target)))
        e = expected.setdefault((row.case_id, s, t), {"n": 0, "f": 0.0, "ch": set()})
        e["n"] += 1
        e["f"] += row.frequency
        e["ch"].add("unspecified" if pd.isna(row.channel) else row.channel)
    assert len(ties) == len(expected)
    for row in ties.itertuples():
        e = expected[(row.case_id, row.source, row.target)]
        assert row.n_records == e["n"]
        assert row.frequency == pytest.approx(e["f"])
        assert row.channels == ";".join(sorted(e["ch"]))


def test_channel_names_differing_in_case_are_one_channel():
    rec = pd.DataFrame(
        {
            "case_id": ["c1"] * 4,
            "source": ["a", "a", "a", "b"],
            "target": ["b", "b", "b", "a"],
            "frequency": [1.0] * 4,
            "channel": ["Zoom", "zoom", " Email", None],
        }
    )
    ties = wave_ties(rec, None, directed=True).set_index(["source", "target"])
    assert ties.loc[("a", "b"), "channels"] == " email;zoom"  # stripping is validation's job
    assert ties.loc[("a", "b"), "multiplexity"] == 2
    assert ties.loc[("b", "a"), "channels"] == "unspecified"


def test_coparticipation_equals_the_weighted_bipartite_projection():
    rng = np.random.default_rng(3)
    part = pd.DataFrame(
        {
            "case_id": "c1",
            "event_id": rng.choice([f"e{i}" for i in range(8)], 60),
            "actor_id": rng.choice([f"a{i}" for i in range(15)], 60),
        }
    )
    ties = coparticipation_ties(part)
    b = nx.Graph()
    b.add_nodes_from(set(part.actor_id), bipartite=0)
    b.add_nodes_from(set(part.event_id), bipartite=1)
    b.add_edges_from(zip(part.actor_id, part.event_id, strict=True))
    proj = bipartite.weighted_projected_graph(b, sorted(set(part.actor_id)))
    got = {(r.source, r.target): r.shared_events for r in ties.itertuples()}
    want = {tuple(sorted((u, v))): d["weight"] for u, v, d in proj.edges(data=True)}
    assert got == want
    assert (ties.source < ties.target).all()


def test_coparticipation_minutes_weights_by_event_hours():
    part = pd.DataFrame(
        {"case_id": "c", "event_id": ["e1", "e1", "e2", "e2"], "actor_id": ["a", "b", "a", "b"],
         "duration_min": [120, 120, 30, 30]}
    )
    ties = coparticipation_ties(part, weight="minutes")
    assert ties.loc[0, "coparticipation"] == pytest.approx(2.5)
    assert ties.loc[0, "shared_events"] == 2


def test_wave_ties_merge_and_weight():
    inter = pd.DataFrame({"case_id": ["c"] * 3, "source": ["a", "b", "a"], "target": ["b", "a", "c"],
                          "frequency": [2.0, 3.0, 1.0], "channel": ["email", "phone", "email"]})
    part = pd.DataFrame({"case_id": "c", "event_id": ["e", "e"], "actor_id": ["a", "b"]})
    und = wave_ties(inter, part, directed=False, coattendance="merge").set_index(["source", "target"])
    assert und.loc[("a", "b"), "weight"] == 6.0  # 2 + 3 + one shared event
    assert und.loc[("a", "b"), "multiplexity"] == 3  # email, phone, co-participation
    # the two relations kept apart (the default): the weight is the reported frequency only, and
    # the shared event stays an attribute of the tie (decision 2 of issue 12)
    layer = wave_ties(inter, part, directed=False).set_index(["source", "target"])
    assert layer.loc[("a", "b"), "weight"] == 5.0 and layer.loc[("a", "b"), "shared_events"] == 1
    assert layer.loc[("a", "b"), "multiplexity"] == 3
    assert layer.loc[("a", "b"), "layer"] == "interaction+coattendance"
    assert layer.loc[("a", "c"), "layer"] == "interaction"
    d = wave_ties(inter, part, directed=True).set_index(["source", "target"])
    # was 3.0 / 4.0 (frequency + shared event) when co-attendance was merged into the arcs
    assert d.loc[("a", "b"), "weight"] == 2.0 and d.loc[("b", "a"), "weight"] == 3.0
    assert d.loc[("a", "b"), "coparticipation"] == 1.0 == d.loc[("b", "a"), "coparticipation"]
    assert d.loc[("a", "b"), "reciprocated"] and not d.loc[("a", "c"), "reciprocated"]


def _coattendance_records(seed):
    rng = np.random.default_rng(seed)
    ids = [f"a{i}" for i in range(9)]
    n = 40
    src, tgt = rng.choice(ids, n), rng.choice(ids, n)
    keep = src != tgt
    inter = pd.DataFrame({"case_id": rng.choice(["c1", "c2"], n)[keep], "source": src[keep],
                          "target": tgt[keep], "frequency": rng.integers(1, 4, n)[keep].astype(float)})
    part = pd.DataFrame({"case_id": rng.choice(["c1", "c2", "c3"], 80),
                         "event_id": rng.choice([f"e{i}" for i in range(5)], 80),
                         "actor_id": rng.choice(ids, 80)})
    return inter, part


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coattendance_only_pairs_are_not_arcs_and_never_reciprocated(seed):
    inter, part = _coattendance_records(seed)
    ties, layer = wave_layers(inter, part, directed=True)
    arcs = set(zip(inter.case_id, inter.source, inter.target, strict=True))
    got = set(zip(ties.case_id, ties.source, ties.target, strict=True))
    assert got == arcs  # exactly the reported arcs: no co-attendance-only pair is in the network
    only_co = {(c, a, b) for c, a, b in zip(layer.case_id, layer.source, layer.target, strict=True)
               if (c, a, b) not in arcs and (c, b, a) not in arcs}
    assert only_co  # the seeds do hold co-attendance-only pairs
    for c, a, b in only_co:
        assert (c, a, b) not in got and (c, b, a) not in got
    want = [(c, t, s) in arcs for c, s, t in zip(ties.case_id, ties.source, ties.target, strict=True)]
    assert ties["reciprocated"].tolist() == want  # both arcs reported, nothing else
    assert set(ties["layer"].astype(str)) <= {"interaction", "interaction+coattendance"}


def test_coattendance_layer_is_the_upper_triangle_of_b_bt():
    inter, part = _coattendance_records(5)
    _, layer = wave_layers(inter, part, directed=True)
    want = {}
    for case, rows in part.groupby("case_id"):
        actors = sorted(set(rows.actor_id))
        events = sorted(set(rows.event_id))
        b = np.zeros((len(actors), len(events)))
        for a, e in zip(rows.actor_id, rows.event_id, strict=True):
            b[actors.index(a), events.index(e)] = 1.0  # attending twice is one attendance
        w = b @ b.T
        for i in range(len(actors)):
            for j in range(i + 1, len(actors)):
                if w[i, j] > 0:
                    want[(case, actors[i], actors[j])] = int(w[i, j])
    got = {(r.case_id, r.source, r.target): r.shared_events for r in layer.itertuples()}
    assert got == want
    assert list(layer.columns) == ["case_id", "source", "target", "shared_events", "coparticipation"]
    assert (layer["coparticipation"] == layer["shared_events"]).all()  # weight "events"


@pytest.mark.parametrize("seed", [0, 3])
def test_merge_in_undirected_data_is_the_old_merged_network(seed):
    inter, part = _coattendance_records(seed)
    got = wave_ties(inter, part, directed=False, coattendance="merge")
    i = interaction_ties(inter, directed=False)
    c = coparticipation_ties(part)
    keys = ["case_id", "source", "target"]
    want = i.merge(c, on=keys, how="outer").sort_values(keys).reset_index(drop=True)
    for col in ("n_records", "frequency", "coparticipation", "shared_events"):
        want[col] = want[col].fillna(0)
    assert list(got[keys].itertuples(index=False)) == list(want[keys].itertuples(index=False))
    np.testing.assert_array_equal(got["weight"], want["frequency"] + want["coparticipation"])
    only_co = want["n_records"] == 0
    assert (got.loc[only_co, "layer"] == "coattendance").all() and only_co.any()


def test_merge_refused_for_directed_data():
    inter, part = _coattendance_records(0)
    with pytest.raises(ValueError, match="undirected"):
        wave_ties(inter, part, directed=True, coattendance="merge")
    with pytest.raises(ValueError, match="coattendance"):
        wave_ties(inter, part, directed=False, coattendance="both")


def test_frequency_scale_maps_codes():
    inter = pd.DataFrame({"case_id": ["c"], "source": ["a"], "target": ["b"], "frequency": [3.0]})
    ties = interaction_ties(inter, directed=False, frequency_scale={"3": 12})
    assert ties.loc[0, "frequency"] == 12


def test_rosters_keep_isolates_and_respect_members():
    inter = pd.DataFrame({"case_id": ["c1", "c2"], "source": ["a", "x"], "target": ["b", "y"]})
    members = pd.DataFrame({"case_id": ["c1"] * 3, "actor_id": ["a", "b", "iso"]})
    rosters = case_rosters(inter, None, members)
    assert sorted(rosters[rosters.case_id == "c1"].actor_id) == ["a", "b", "iso"]
    assert sorted(rosters[rosters.case_id == "c2"].actor_id) == ["x", "y"]
    actors = pd.DataFrame({"actor_id": ["a", "b", "iso", "x", "y"], "sector": ["public", "private", "citizen", "public", "public"]})
    nets = case_networks(wave_ties(inter, None, directed=False), rosters, actors, directed=False)
    c1 = nets["c1"]
    assert list(c1.actors) == ["a", "b", "iso"] and c1.n_ties == 1
    assert c1.group_labels == ("citizen", "private", "public")
    assert list(c1.groups) == [2, 1, 0]
    g = c1.to_networkx()
    assert set(g.nodes) == {"a", "b", "iso"} and g.number_of_edges() == 1


@pytest.mark.parametrize("directed", [False, True])
def test_case_network_matrices_agree_with_networkx(directed):
    rec = _records(seed=5)
    rosters = case_rosters(rec, None, None)
    actors = pd.DataFrame({"actor_id": [f"a{i:02d}" for i in range(12)], "sector": ["public", "private", "citizen"] * 4})
    nets = case_networks(wave_ties(rec, None, directed=directed), rosters, actors, directed=directed)
    for net in nets.values():
        g = net.to_networkx()
        a = nx.to_numpy_array(g, nodelist=list(net.actors), weight="weight")
        np.testing.assert_allclose(net.matrix("weight").toarray(), a)
        s = nx.to_numpy_array(g.to_undirected(), nodelist=list(net.actors), weight=None)
        np.testing.assert_allclose(net.symmetric.toarray(), s)
        rows, cols = net.symmetric.nonzero()
        np.testing.assert_allclose(net.edge_common, (s @ s)[rows, cols])  # CSR order
        i, j, common = net.skeleton_edges
        upper = np.argwhere(np.triu(s, k=1) > 0)  # row-major: sorted by (i, j)
        np.testing.assert_array_equal(np.column_stack([i, j]), upper)
        np.testing.assert_allclose(common, (s @ s)[i, j])


def test_wave_step_writes_the_coattendance_layer_and_the_diagnostics(tmp_path):
    """`netinnov wave` writes coattendance.csv (checked against a brute-force B·Bᵀ of the
    validated participation records) and tie_strength_diagnostics.csv; ties.csv holds
    reported arcs only, each labelled with its layer."""
    import json

    from netinnov.cli import main as netinnov
    from netinnov.io import read_validated
    from netinnov.io.result_tables import read_table

    data, folder = tmp_path / "small", tmp_path / "results" / "waves" / "w1"
    assert netinnov(["simulate", "--out", str(data), "--cases", "3", "--waves", "1", "--min-actors", "8",
                     "--max-actors", "12", "--records-per-actor", "4", "--seed", "3"]) == 0
    assert netinnov(["validate-wave", "--dataset", str(data), "--wave", "w1", "--out", str(folder)]) == 0
    options = json.dumps({"directed": True, "ei_permutations": 0, "seed": 1})
    assert netinnov(["wave", "--wave-dir", str(folder), "--wave", "w1", "--options", options]) == 0
    validated = read_validated(folder, "w1")
    part = validated.participation.astype({"case_id": str, "event_id": str, "actor_id": str})
    want = {}
    for case, rows in part.groupby("case_id"):
        attended = {(a, e) for a, e in zip(rows.actor_id, rows.event_id, strict=True)}
        actors = sorted({a for a, _ in attended})
        events = sorted({e for _, e in attended})
        b = np.array([[float((a, e) in attended) for e in events] for a in actors])
        w = b @ b.T
        want.update({(case, actors[i], actors[j]): int(w[i, j])
                     for i in range(len(actors)) for j in range(i + 1, len(actors)) if w[i, j] > 0})
    co = read_table(folder / "coattendance.csv")
    assert {(r.case_id, r.source, r.target): r.shared_events for r in co.itertuples()} == want and want
    ties = read_table(folder / "ties.csv")
    inter = validated.interactions.astype({"case_id": str, "source": str, "target": str})
    arcs = set(zip(inter.case_id, inter.source, inter.target, strict=True))
    # the reported arcs, and the non-respondents' arcs reconstructed from their partners' reports
    reported = ties[~ties["reconstructed"].astype(bool)] if "reconstructed" in ties.columns else ties
    assert set(zip(reported.case_id, reported.source, reported.target, strict=True)) == arcs
    pairs = {(c, min(s, t), max(s, t)) for c, s, t in arcs}
    shared = {k for k in want if k in pairs}
    labelled = {(c, min(s, t), max(s, t)) for c, s, t, layer in
                zip(ties.case_id, ties.source, ties.target, ties.layer, strict=True)
                if layer == "interaction+coattendance"}
    assert labelled == shared
    diagnostics = read_table(folder / "tie_strength_diagnostics.csv")
    assert list(diagnostics.columns) == ["indicator", "statistic", "value", "n_ties"]
    assert {"cronbach_alpha", "pc1_share", "item_total_r"} <= set(diagnostics["statistic"])
