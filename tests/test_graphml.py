"""GraphML files read back with networkx and igraph."""

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from netinnov import graphml
from netinnov.graphml import case_file_name, write_case_graphml
from netinnov.networks import CaseNetwork


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
