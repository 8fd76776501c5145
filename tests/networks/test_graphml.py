"""GraphML files read back with networkx and igraph."""

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from netinnov.networks import CaseNetwork, graphml
from netinnov.networks.graphml import case_file_name, write_case_graphml


@pytest.mark.parametrize("directed", [False, True])
def test_graphml_round_trip(tmp_path, directed):
    g = nx.gnp_random_graph(30, 0.15, seed=4, directed=directed)
    rng = np.random.default_rng(0)
    for v in g:
        g.nodes[v]["sector"] = ["public", "private", "civil_society"][v % 3]
        g.nodes[v]["organization"] = "A & B <co>" if v % 4 == 0 else f"org{v % 5}"
    for u, v in g.edges:
        g.edges[u, v]["weight"] = float(rng.integers(1, 5))
    g.add_node(100, sector="citizen")
    net = CaseNetwork.from_networkx(g, case_id="case 1/x")
    path = tmp_path / f"{case_file_name(net.case_id)}.graphml"
    write_case_graphml(net, path)
    back = nx.read_graphml(path)
    assert back.is_directed() == directed
    assert set(back.nodes) == {str(v) for v in g}
    assert back.number_of_edges() == g.number_of_edges()
    for u, v, d in g.edges(data=True):
        assert back.edges[str(u), str(v)]["weight"] == d["weight"]
    assert back.nodes["0"]["organization"] == "A & B <co>"
    assert back.nodes["100"]["sector"] == "citizen"
    h = ig.Graph.Read_GraphML(str(path))
    assert (h.vcount(), h.ecount()) == (g.number_of_nodes(), g.number_of_edges())


def test_graphml_written_in_chunks_is_the_same_file(tmp_path, monkeypatch):
    g = nx.gnp_random_graph(25, 0.2, seed=7, directed=True)
    for v in g:
        g.nodes[v]["sector"] = ["public", "private"][v % 2]
    net = CaseNetwork.from_networkx(g, case_id="c")
    write_case_graphml(net, tmp_path / "whole.graphml")
    monkeypatch.setattr(graphml, "_CHUNK_ROWS", 4)
    write_case_graphml(net, tmp_path / "chunked.graphml")
    assert (tmp_path / "chunked.graphml").read_bytes() == (tmp_path / "whole.graphml").read_bytes()


def test_case_file_names_are_safe_and_distinct():
    assert case_file_name("case-1.x") == "case-1.x"
    unsafe = case_file_name("a/b c")
    assert unsafe.startswith("a_b_c-") and "/" not in unsafe and " " not in unsafe
    assert case_file_name("a b") != case_file_name("a_b")


# ---------------------------------------------------------------- every metric as an attribute (issue 16, item 5)
def _typed_keys(path):
    import xml.etree.ElementTree as ET

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(path).getroot()
    return {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", ns)}


def test_actor_and_tie_tables_become_typed_attributes(tmp_path):
    import pandas as pd

    g = nx.Graph()
    g.add_nodes_from([("a", {"sector": "public", "organization": "A & <B>"}), ("b", {"sector": "private"}),
                      ("c", {"sector": "public"})])
    g.add_edge("a", "b", weight=2.0)
    g.add_edge("b", "c", weight=1.0)
    net = CaseNetwork.from_networkx(g, case_id="k")
    actors = pd.DataFrame({
        "case_id": "k", "actor_id": ["c", "a", "b"],  # any row order: matched by id
        "sector": ["public", "public", "private"], "degree": [1, 1, 2], "betweenness": [0.0, 0.0, 1.0],
        "reported_roles": ["", "convener", "<x>"],
        "responded": pd.array([True, None, False], dtype="boolean"), "line": [1, 2, 3],
    })
    ties = net.ties.drop(columns=["source_index", "target_index"]).assign(
        case_id="k", strength=[0.25, 0.75], tie_class=["weak", "strong"], local_bridge=[True, False], overlap=[0, 0])
    graphml.write_graphml({"k": net}, tmp_path, actors=actors, ties=ties)
    path = tmp_path / "k.graphml"
    keys = _typed_keys(path)
    assert keys[("node", "degree")] == "long" and keys[("node", "betweenness")] == "double"
    assert keys[("node", "responded")] == "boolean" and keys[("node", "reported_roles")] == "string"
    assert keys[("edge", "strength")] == "double" and keys[("edge", "local_bridge")] == "boolean"
    assert keys[("edge", "tie_class")] == "string" and keys[("edge", "overlap")] == "long"
    assert ("node", "case_id") not in keys and ("node", "actor_id") not in keys and ("node", "line") not in keys
    assert ("edge", "case_id") not in keys
    back = nx.read_graphml(path)
    assert back.nodes["a"] == {"sector": "public", "organization": "A & <B>", "degree": 1, "betweenness": 0.0,
                               "reported_roles": "convener"}  # responded missing: left out
    assert back.nodes["b"]["responded"] is False and back.nodes["c"]["responded"] is True
    assert back.nodes["b"]["reported_roles"] == "<x>"
    by_pair = {frozenset((u, v)): d for u, v, d in back.edges(data=True)}
    assert by_pair[frozenset("ab")] == {"weight": 2.0, "strength": 0.25, "tie_class": "weak", "local_bridge": True,
                                        "overlap": 0}
    assert by_pair[frozenset("bc")]["tie_class"] == "strong"
    with pytest.raises(ValueError, match="rows of tie data"):
        write_case_graphml(net, tmp_path / "x.graphml", edge_data=ties.iloc[:1])


@pytest.fixture(scope="module")
def hostile_wave(tmp_path_factory):
    """The hostile dataset's wave w1 by the one-job wave step and by two chunks."""
    import shutil

    from helpers.hostile_data import HOSTILE_WAVE_OPTIONS, hostile_wave
    from netinnov.steps.wave_chunks import GATHERED_TABLES, run_chunk, run_gather

    root = tmp_path_factory.mktemp("graphml_metrics")
    single = root / "single"
    options = HOSTILE_WAVE_OPTIONS
    hostile_wave(root, single)
    chunked = root / "chunked"
    shutil.copytree(single / "validated", chunked / "validated")
    shutil.copyfile(single / "rejected.csv", chunked / "rejected.csv")
    parts = []
    for k in (1, 2):
        part = chunked / "chunks" / f"{k}-of-2.pkl"
        run_chunk(chunked, "w1", chunk=f"{k}-of-2", out=part, networks_dir=chunked / "chunks" / f"{k}_networks",
                  options=options)
        parts.append(part)
    run_gather(chunked, "w1", parts=parts, networks_from=[chunked / "chunks" / f"{k}_networks" for k in (1, 2)],
               outputs={name: chunked / f"{name}.csv" for name in GATHERED_TABLES},
               networks_dir=chunked / "networks", options=options)
    return single, chunked


def test_pipeline_graphml_holds_every_actor_and_tie_column(hostile_wave):
    from netinnov.io.result_tables import read_table

    single, _ = hostile_wave
    actors = read_table(single / "actors.csv")
    ties = read_table(single / "ties.csv")
    metric_actor_columns = set(actors.columns) - {"case_id", "actor_id"}
    metric_tie_columns = set(ties.columns) - {"case_id", "source", "target"}
    assert {"degree", "betweenness", "constraint", "convener_score", "reported_roles"} <= metric_actor_columns
    assert {"strength", "tie_class", "overlap", "local_bridge"} <= metric_tie_columns
    for case_id in actors["case_id"].unique():
        path = single / "networks" / f"{case_file_name(case_id)}.graphml"
        keys = _typed_keys(path)
        assert {n for f, n in keys if f == "node"} >= metric_actor_columns
        assert {n for f, n in keys if f == "edge"} >= metric_tie_columns
        assert set(keys.values()) <= {"double", "long", "boolean", "string"}
        back = nx.read_graphml(path)
        rows = actors[actors["case_id"] == case_id]
        for r in rows.itertuples(index=False):
            node = back.nodes[r.actor_id]
            assert node["degree"] == r.degree and node["sector"] == r.sector
            assert node["betweenness"] == pytest.approx(r.betweenness)
        t = ties[ties["case_id"] == case_id]
        for r in t.itertuples(index=False):
            edge = back.edges[r.source, r.target]
            assert edge["tie_class"] == r.tie_class and edge["strength"] == pytest.approx(r.strength)


def test_pipeline_graphml_is_the_same_with_chunks(hostile_wave):
    single, chunked = hostile_wave
    names = sorted(p.name for p in (single / "networks").glob("*.graphml"))
    assert names and sorted(p.name for p in (chunked / "networks").glob("*.graphml")) == names
    for name in names:
        assert (chunked / "networks" / name).read_bytes() == (single / "networks" / name).read_bytes(), name
