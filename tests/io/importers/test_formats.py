"""``netinnov import``: Pajek, GraphML, UCINET DL and plain edge lists into the
input contract (docs/import.md), compared with networkx where it reads the
format, with netinnov's own writers (round trips) and with ``netinnov validate``."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from helpers.import_rows import edges as _edges
from helpers.import_rows import members as _members
from helpers.import_rows import rows as _rows
from netinnov.cli import main
from netinnov.io import validate_dataset, validate_wave
from netinnov.io.importers import ImportFileError, ReadOptions, import_files
from netinnov.networks import CaseNetwork
from netinnov.networks.build import case_networks, case_rosters, wave_ties
from netinnov.networks.graphml import write_case_graphml
from netinnov.steps.exports import pajek_text


def _import(tmp_path: Path, text: str, name: str, **kw):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    accounts, summary = import_files([src], out, **kw)
    return out, accounts[0], summary


def _config(out: Path) -> str:
    return (out / "import_config.yaml").read_text(encoding="utf-8")


def _validated(out: Path, directed: bool):
    """validate_dataset passes with no rejected row; returns the wave data."""
    results, text = validate_dataset(out, directed=directed)
    for data in results.values():
        assert not isinstance(data, Exception), text
        assert len(data.rejected) == 0, data.rejected
    return results


def _rebuilt(out: Path, wave: str, directed: bool) -> dict[str, CaseNetwork]:
    data = validate_wave(out, wave, directed=directed)
    ties = wave_ties(data.interactions, None, directed=directed)
    rosters = case_rosters(data.interactions, None, data.members)
    return case_networks(ties, rosters, data.actors, directed=directed)


# ----------------------------------------------------------------- Pajek
PAJEK = """*Network test
*Vertices 5
1 "Anna Berg" 0.1 0.2 0.5
2 "Bo O'Neil"
3 carl
4 "dana d"
*Arcs
1 2 2.5
2 1
3 1 4 c Blue
*Edges
4 2 1
"""


def test_pajek_labels_isolates_weights_and_networkx(tmp_path):
    out, account, summary = _import(tmp_path, PAJEK, "case one.net")
    assert (account.read, account.accepted, account.rejected) == (8, 8, [])
    # vertex 5 has no line: it keeps its number; it is an isolate and stays
    assert _members(out) == [("case one", a) for a in ["Anna Berg", "Bo O'Neil", "carl", "dana d", "5"]]
    assert _edges(out) == [
        ("case one", "Anna Berg", "Bo O'Neil", 2.5),
        ("case one", "Bo O'Neil", "Anna Berg", 1.0),
        ("case one", "carl", "Anna Berg", 4.0),
        ("case one", "dana d", "Bo O'Neil", 1.0),  # *Edges in a directed dataset: both arcs
        ("case one", "Bo O'Neil", "dana d", 1.0),
    ]
    assert summary.directed and "directed: true" in _config(out)
    rows = _rows(out / "waves" / "w1" / "interactions.csv")
    assert [r["import_undirected"] for r in rows] == ["false", "false", "false", "true", "true"]
    # networkx reads the same vertices and arcs (it needs a line for every vertex)
    (tmp_path / "nx.net").write_text(PAJEK.replace('4 "dana d"\n', '4 "dana d"\n5 "5"\n'), encoding="utf-8")
    g = nx.read_pajek(tmp_path / "nx.net")
    assert set(g.nodes) == {"Anna Berg", "Bo O'Neil", "carl", "dana d", "5"}
    mine = {(s, t, w) for _, s, t, w in _edges(out)[:3]}
    theirs = {(u, v, float(d.get("weight", 1))) for u, v, d in g.edges(data=True)}
    assert mine <= theirs
    _validated(out, directed=True)


def test_pajek_edges_only_is_undirected_each_pair_once(tmp_path):
    text = '*Vertices 3\n1 "a"\n2 "b"\n3 "c"\n*Edges\n1 2 3\n'
    out, account, summary = _import(tmp_path, text, "u.net")
    assert not summary.directed and "directed: false" in _config(out)
    assert _edges(out) == [("u", "a", "b", 3.0)]
    assert "import_undirected" not in _rows(out / "waves" / "w1" / "interactions.csv")[0]
    nets = _rebuilt(out, "w1", directed=False)
    assert nets["u"].n == 3 and nets["u"].n_ties == 1


def test_pajek_bad_lines_are_rejected_with_line_and_column(tmp_path):
    text = ('% a comment\n*Vertices 4\n1 "a"\n2 "a"\n3 "c"\n9 "z"\n*Arcs\n1 1\n1 7\n1 x\n1 3 0\n1 3 heavy\n'
            '2 3\n3\n1 3\n*Matrix\n0 1\n')
    out, account, _ = _import(tmp_path, text, "bad.net")
    got = [(r.line, r.column, r.reason) for r in account.rejected]
    assert got == [
        (4, 2, "duplicate vertex label"),
        (6, 1, "unknown vertex number"),
        (8, 2, "self-loop"),
        (9, 2, "unknown vertex number"),
        (10, 2, "vertex number not an integer"),
        (11, 3, "non-positive weight"),
        (12, 3, "weight not a number"),
        (13, 1, "vertex whose line was rejected"),
        (14, 2, "missing second vertex"),
        (17, None, "unsupported Pajek section"),
    ]
    # accepted: vertices 1 and 3, the arc 1 -> 3
    assert account.read == account.accepted + len(account.rejected) == 3 + 10
    rejected = _rows(out / "import_rejected.csv")
    assert len(rejected) == 10 and rejected[0] == {"file": str(tmp_path / "bad.net"), "line": "4",
                                                    "column": "2", "reason": "duplicate vertex label"}
    assert _edges(out) == [("bad", "a", "c", 1.0)]
    _validated(out, directed=True)


def test_pajek_round_trip_of_netinnov_exports(tmp_path):
    """import(export(x)) == x for exports/<case>/network_<wave>.net."""
    rng = np.random.default_rng(3)
    actors = ["A 1", "B-2", "C3", "D4", "E5", "F6"]
    for directed in (True, False):
        pairs = [(i, j) for i in range(5) for j in range(5) if i != j and (directed or i < j)]
        keep = [p for p in pairs if rng.random() < 0.5]
        src = np.array([p[0] for p in keep])
        tgt = np.array([p[1] for p in keep])
        w = rng.integers(1, 9, len(keep)) / 4
        folder = tmp_path / f"exports{directed}" / "case07"
        folder.mkdir(parents=True)
        (folder / "network_2024.net").write_text(pajek_text(actors, src, tgt, w, directed=directed))
        out = tmp_path / f"out{directed}"
        accounts, summary = import_files([folder / "network_2024.net"], out)
        assert summary.directed == directed
        assert _members(out, "2024") == [("case07", a) for a in actors]  # F6 an isolate
        assert _edges(out, "2024") == [("case07", actors[s], actors[t], x) for s, t, x in zip(src, tgt, w, strict=True)]
        _validated(out, directed=directed)


# ----------------------------------------------------------------- GraphML
GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="d0" for="node" attr.name="sector" attr.type="string"/>
<key id="d1" for="node" attr.name="seniority" attr.type="int"><default>1</default></key>
<key id="d2" for="edge" attr.name="weight" attr.type="double"/>
<key id="d3" for="edge" attr.name="channel" attr.type="string"/>
<key id="d4" for="edge" attr.name="colour" attr.type="string"/>
<graph id="project x" edgedefault="undirected">
<edge source="n1" target="n2"><data key="d2">2.5</data><data key="d3">email</data></edge>
<node id="n1"><data key="d0">public</data><data key="d1">7</data></node>
<node id="n2"><data key="d0">private</data></node>
<node id="Mary &quot;M&quot; Smith"/>
<node id="n4"><data key="d0">public</data></node>
<edge source="n2" target="Mary &quot;M&quot; Smith"><data key="d4">red</data></edge>
<edge source="n4" target="n4"/>
<edge source="n4" target="ghost"/>
</graph>
</graphml>
"""


def test_graphml_attributes_isolates_and_networkx(tmp_path):
    out, account, summary = _import(tmp_path, GRAPHML, "g.graphml")
    assert (account.read, account.accepted) == (8, 6)
    assert [(r.line, r.column, r.reason) for r in account.rejected] == [
        (15, 2, "self-loop"), (16, 2, "edge end not a declared node")]
    assert any("dropped" in note for note in account.notes)
    assert not summary.directed
    actors = _rows(out / "actors.csv")
    assert actors == [
        {"actor_id": "n1", "sector": "public", "seniority": "7"},
        {"actor_id": "n2", "sector": "private", "seniority": "1"},
        {"actor_id": 'Mary "M" Smith', "sector": "unknown", "seniority": "1"},
        {"actor_id": "n4", "sector": "public", "seniority": "1"},
    ]
    rows = _rows(out / "waves" / "w1" / "interactions.csv")
    assert [(r["case_id"], r["source"], r["target"], r["frequency"], r["channel"]) for r in rows] == [
        ("project x", "n1", "n2", "2.5", "email"), ("project x", "n2", 'Mary "M" Smith', "1", "")]
    g = nx.read_graphml(tmp_path / "g.graphml")
    g.remove_edges_from(list(nx.selfloop_edges(g)))
    g.remove_node("ghost")  # networkx adds an undeclared edge end as a node; the import rejects the edge
    assert [a["actor_id"] for a in actors] == list(g.nodes)
    assert {frozenset((r["source"], r["target"])) for r in rows} == {frozenset(e) for e in g.edges}
    assert g.edges["n1", "n2"]["weight"] == 2.5
    assert g.nodes["n1"]["seniority"] == 7 and g.graph["node_default"]["seniority"] == 1
    _validated(out, directed=False)


@pytest.mark.parametrize("directed", [True, False])
def test_graphml_round_trip_of_netinnov_networks(tmp_path, directed):
    """import(export(x)) == x for waves/<wave>/networks/<case>.graphml: the
    rebuilt case network has the same actors, sectors, ties and weights."""
    g = nx.gnp_random_graph(12, 0.3, seed=5, directed=directed)
    rng = np.random.default_rng(1)
    for v in g:
        g.nodes[v]["sector"] = ["public", "private", "civil_society"][v % 3]
        g.nodes[v]["organization"] = f'org "{v % 4}", & co'
    for u, v in g.edges:
        g.edges[u, v]["weight"] = float(rng.integers(1, 6)) / 2
    g.add_node(99, sector="citizen", organization="none")
    net = CaseNetwork.from_networkx(g, case_id="case 1/x")
    folder = tmp_path / "results" / "waves" / "2025" / "networks"
    folder.mkdir(parents=True)
    write_case_graphml(net, folder / "case_1_x.graphml")
    out = tmp_path / "out"
    accounts, summary = import_files([folder / "case_1_x.graphml"], out)
    assert summary.directed == directed
    assert not accounts[0].rejected
    back = _rebuilt(out, "2025", directed)["case 1/x"]
    assert list(back.actors) == list(net.actors)
    assert list(back.group_names) == list(net.group_names)
    assert back.attributes["organization"].tolist() == net.attributes["organization"].tolist()
    key = ["source", "target"]
    mine = back.ties.sort_values(key)[[*key, "weight"]].reset_index(drop=True)
    theirs = net.ties.sort_values(key)[[*key, "weight"]].reset_index(drop=True)
    assert mine.astype(str).equals(theirs.astype(str))


# ----------------------------------------------------------------- UCINET DL
def test_dl_fullmatrix_labels_section_symmetric_is_undirected(tmp_path):
    text = ('DL N=4\nFORMAT = FULLMATRIX\nLABELS:\n"Ann Lee","Bob",carl\n"d d"\nDATA:\n'
            "0 2 0 0\n2 0 1 0\n0 1 0 0\n0 0 0 0\n")
    out, account, summary = _import(tmp_path, text, "m.dl")
    assert not summary.directed
    assert _members(out) == [("m", a) for a in ["Ann Lee", "Bob", "carl", "d d"]]
    assert _edges(out) == [("m", "Ann Lee", "Bob", 2.0), ("m", "Bob", "carl", 1.0)]
    assert (account.read, account.accepted) == (4, 4)  # four non-zero cells, mirrors included
    _validated(out, directed=False)


def test_dl_fullmatrix_labels_embedded_asymmetric_and_bad_cells(tmp_path):
    text = ("dl n=3 format=fullmatrix labels embedded\ndata:\na b c\na 0 1 0\nb 0 0 x\n"
            "c 1 -1 3\nd 1 1 1\n")
    out, account, summary = _import(tmp_path, text, "e.dl")
    assert summary.directed
    assert _edges(out) == [("e", "a", "b", 1.0), ("e", "c", "a", 1.0)]
    assert [(r.line, r.column, r.reason) for r in account.rejected] == [
        (5, 4, "cell not a number"), (6, 3, "negative value"), (6, 4, "self-loop"),
        (7, None, "more than n=3 rows")]
    assert account.read == account.accepted + len(account.rejected)
    _validated(out, directed=True)
    src = tmp_path / "rows.dl"
    src.write_text("dl n=2 format=fullmatrix labels embedded\ndata:\na b\nb 0 1\nb 0\n")
    accounts, _ = import_files([src], tmp_path / "out2")
    assert [(r.line, r.column, r.reason) for r in accounts[0].rejected] == [
        (4, 1, "row label differs from the column label of that row"), (5, None, "1 values, expected n=2")]


def test_dl_edgelist1_with_labels_and_nodelist1_embedded(tmp_path):
    text = "DL N=4 FORMAT=EDGELIST1\nLABELS:\nw,x,y,z\nDATA:\n1 2 1.5\n2 3\n3 3\n4 9\n1 2 3 4\n"
    out, account, summary = _import(tmp_path, text, "el.dl", options=ReadOptions(directed=False))
    assert not summary.directed
    assert _edges(out) == [("el", "w", "x", 1.5), ("el", "x", "y", 1.0)]
    assert [(r.line, r.reason) for r in account.rejected] == [
        (7, "self-loop"), (8, "unknown vertex number"), (9, "more than three values (i j weight)")]
    assert ("el", "z") in _members(out)  # an isolate
    text = "dl n=4 format=nodelist1 labels embedded\ndata:\nann bob cy\nbob ann ann\ndee\n"
    out2 = tmp_path / "out2"
    (tmp_path / "nl.dl").write_text(text)
    accounts, _ = import_files([tmp_path / "nl.dl"], out2)
    assert _edges(out2) == [("nl", "ann", "bob", 1.0), ("nl", "ann", "cy", 1.0), ("nl", "bob", "ann", 1.0)]
    assert _members(out2) == [("nl", a) for a in ["ann", "bob", "cy", "dee"]]
    assert [(r.line, r.column, r.reason) for r in accounts[0].rejected] == [(4, 3, "alter repeated on the line")]
    _validated(out2, directed=True)


@pytest.mark.parametrize("text, line, message", [
    ("DL NR=2 NC=3\nDATA:\n1 0 1\n0 1 1\n", None, "two-mode"),
    ("DL N=2 FORMAT=LOWERHALF\nDATA:\n1\n", None, "not supported"),
    ("DL N=3\nLABELS:\na,b\nDATA:\n0 1 0\n", 2, "2 labels for n=3"),
    ("N=3\nDATA:\n", 1, "starts with 'dl'"),
    ("DL N=3\n0 1 0\n", None, "no 'data:'"),
    ("DL FORMAT=FULLMATRIX\nDATA:\n0\n", None, "n= "),
])
def test_dl_errors_name_file_and_line(tmp_path, text, line, message):
    src = tmp_path / "bad.dl"
    src.write_text(text)
    with pytest.raises(ImportFileError, match=message) as err:
        import_files([src], tmp_path / "out")
    assert err.value.file == str(src) and err.value.line == line
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------- edge lists
def test_csv_edgelist_header_weight_quotes_and_isolates(tmp_path):
    text = ('source,target,weight,channel,colour\n"Smith, Ann","O""Neil",2,email,red\n'
            'b,"Smith, Ann",,,\nlonely,\nb,b,1,,\nb,c,-1,,\nb,c,lots,,\n,c,1,,\n')
    out, account, summary = _import(tmp_path, text, "list.csv")
    assert summary.directed
    assert _edges(out) == [("list", "Smith, Ann", 'O"Neil', 2.0), ("list", "b", "Smith, Ann", 1.0)]
    assert _rows(out / "waves" / "w1" / "interactions.csv")[0]["channel"] == "email"
    assert ("list", "lonely") in _members(out)
    assert [(r.line, r.column, r.reason) for r in account.rejected] == [
        (5, 2, "self-loop"), (6, 3, "non-positive weight"), (7, 3, "weight not a number"), (8, 1, "empty id")]
    assert account.read == 7 == account.accepted + len(account.rejected)
    _validated(out, directed=True)


def test_tsv_and_whitespace_edgelists_without_header_match_networkx(tmp_path):
    out, account, _ = _import(tmp_path, "1\t2\t0.5\n2\t3\t2\n", "t.tsv", options=ReadOptions(directed=False))
    assert _edges(out) == [("t", "1", "2", 0.5), ("t", "2", "3", 2.0)]
    assert "directed: false" in _config(out)
    text = "# comment\na b 1.5\nb c 2\nc d 1\n"
    src = tmp_path / "w.edgelist"
    src.write_text(text)
    accounts, _ = import_files([src], tmp_path / "out2")
    g = nx.read_weighted_edgelist(src, create_using=nx.DiGraph)
    assert _edges(tmp_path / "out2") == [("w", u, v, d["weight"]) for u, v, d in g.edges(data=True)]
    semi = tmp_path / "s.csv"
    semi.write_text("from;to;weight\nx;y\ny;x;1,5\n")
    import_files([semi], tmp_path / "out3")
    assert _edges(tmp_path / "out3") == [("s", "x", "y", 1.0), ("s", "y", "x", 1.5)]


# ----------------------------------------------------------------- several files, command line
def test_several_files_cases_and_waves(tmp_path):
    a = tmp_path / "a.net"
    a.write_text('*Vertices 2\n1 "p"\n2 "q"\n*Arcs\n1 2\n')
    b = tmp_path / "b.csv"
    b.write_text("source,target\nq,r\n")
    out = tmp_path / "out"
    import_files([a, b, a], out, cases=["c1", "c1", "c2"], waves=["2023", "2024", "2024"])
    assert _edges(out, "2023") == [("c1", "p", "q", 1.0)]
    assert _edges(out, "2024") == [("c1", "q", "r", 1.0), ("c2", "p", "q", 1.0)]
    assert [r["actor_id"] for r in _rows(out / "actors.csv")] == ["p", "q", "r"]
    _validated(out, directed=True)
    with pytest.raises(ImportFileError, match="same case and wave"):
        import_files([a, a], tmp_path / "o2")
    with pytest.raises(ImportFileError, match="already holds a dataset"):
        import_files([a], out)
    with pytest.raises(ImportFileError, match="--case given 2 times for 3 files"):
        import_files([a, a, a], tmp_path / "o3", cases=["x", "y"])
    with pytest.raises(ImportFileError, match="wave names"):
        import_files([a], tmp_path / "o4", waves=["a b"])


def test_cli_import_prints_the_account_and_validates(tmp_path, capsys):
    src = tmp_path / "c.net"
    src.write_text('*Vertices 3\n1 "secret name"\n2 "x"\n3 "y"\n*Arcs\n1 2 2\n1 1\n')
    out = tmp_path / "ds"
    assert main(["import", str(src), "--out", str(out), "--case", "k", "--wave", "2024"]) == 0
    text = capsys.readouterr().out
    assert "read 5 = accepted 4 + rejected 1" in text and "self-loop: 1" in text
    assert "directed: true" in text
    assert main(["validate", str(out), "--directed"]) == 0
    assert "0 rejected" in capsys.readouterr().out
    # a file that cannot be read: one message naming file and line, no raw id
    bad = tmp_path / "bad.net"
    bad.write_text('*Arcs\n1 2\n*Vertices 2\n1 "secret name"\n')
    assert main(["import", str(bad), "--out", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}, line 1" in err and "secret" not in err
    assert main(["import", str(tmp_path / "c.unknown"), "--out", str(tmp_path / "y")]) == 1
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "c.unknown").write_text("x")
    assert main(["import", str(tmp_path / "c.unknown"), "--out", str(tmp_path / "y")]) == 1
    assert "--format" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "c.unknown"), "--format", "edgelist", "--out", str(tmp_path / "y")]) == 0


def test_not_utf8_names_file_and_line(tmp_path):
    src = tmp_path / "l.csv"
    src.write_bytes(b"a,b\nc,\xe9\n")
    with pytest.raises(ImportFileError, match="line 2: not UTF-8"):
        import_files([src], tmp_path / "out")


def test_ids_ingest_would_read_as_missing_are_rejected(tmp_path):
    out, account, _ = _import(tmp_path, '*Vertices 3\n1 "NA"\n2 "b"\n3 "c"\n*Arcs\n1 2\n2 3\n', "na.net")
    assert [(r.line, r.column, r.reason) for r in account.rejected] == [
        (2, 2, "id read as a missing value (NA, null, ...)"), (6, 1, "vertex whose line was rejected")]
    assert _edges(out) == [("na", "b", "c", 1.0)]
    src = tmp_path / "n.csv"
    src.write_text('a,null\n="x",b\na,b\n')
    accounts, _ = import_files([src], tmp_path / "o2")
    assert [(r.line, r.column) for r in accounts[0].rejected] == [(1, 2), (2, 1)]
    _validated(tmp_path / "o2", directed=True)
    _validated(out, directed=True)


def test_pajek_unlabelled_vertex_whose_number_is_a_label_is_refused(tmp_path):
    src = tmp_path / "clash.net"
    src.write_text('*Vertices 2\n1 "2"\n*Arcs\n1 2\n')
    with pytest.raises(ImportFileError, match="vertex 2 has no label"):
        import_files([src], tmp_path / "out")


def test_pajek_matches_igraph(tmp_path):
    import igraph as ig

    text = '*Vertices 4\n1 "a"\n2 "b"\n3 "c"\n4 "d"\n*Arcs\n1 2 2\n3 1 0.5\n2 3\n'
    out, account, _ = _import(tmp_path, text, "ig.net")
    h = ig.Graph.Read_Pajek(str(tmp_path / "ig.net"))
    names = h.vs["id"] if "id" in h.vs.attributes() else h.vs["name"]
    assert [a for _, a in _members(out)] == names
    # igraph leaves a missing Pajek weight NaN; the Pajek default (and ours) is 1
    weights = [1.0 if w != w else w for w in h.es["weight"]]
    theirs = [(names[e.source], names[e.target], float(w)) for e, w in zip(h.es, weights, strict=True)]
    assert [(s, t, w) for _, s, t, w in _edges(out)] == theirs


def test_graphml_mixed_edge_directions_and_yed_graphics_keys(tmp_path):
    text = """<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
<key id="g" for="node" yfiles.type="nodegraphics"/>
<graph edgedefault="directed">
<node id="a"><data key="g"><y:ShapeNode><y:Geometry x="1"/></y:ShapeNode></data></node>
<node id="b"/><node id="c"/>
<edge source="a" target="b"/>
<edge source="b" target="c" directed="false"/>
</graph></graphml>
"""
    out, account, summary = _import(tmp_path, text, "mixed.graphml")
    assert summary.directed and account.rejected == []
    assert _edges(out) == [("mixed", "a", "b", 1.0), ("mixed", "b", "c", 1.0), ("mixed", "c", "b", 1.0)]
    assert list(_rows(out / "actors.csv")[0]) == ["actor_id", "sector"]  # no graphics column
    _validated(out, directed=True)


def test_pipeline_graphml_imports_back_to_the_same_dataset(tmp_path):
    """import -> validate -> wave step (networks/<case>.graphml) -> import: the
    same interactions, rosters (isolates included) and actors."""
    from netinnov.io import write_validated
    from netinnov.steps.wave_tables import run_wave

    a = tmp_path / "c1.net"
    a.write_text('*Vertices 5\n1 "ann a"\n2 "bob"\n3 "cy"\n4 "dee"\n5 "iso"\n*Arcs\n1 2 2\n2 1 1\n3 4 0.5\n4 1\n')
    b = tmp_path / "c2.csv"
    b.write_text("source,target,weight\nbob,cy,2\ncy,ann a,1\n")
    first = tmp_path / "first"
    import_files([a, b], first, waves=["2024"])
    wave_dir = tmp_path / "results" / "waves" / "2024"
    write_validated(validate_wave(first, "2024", directed=True), wave_dir)
    run_wave(wave_dir, "2024", options={"directed": True})
    again = tmp_path / "again"
    accounts, summary = import_files(sorted((wave_dir / "networks").glob("*.graphml")), again)
    assert summary.directed and all(not acc.rejected for acc in accounts)
    assert sorted(_edges(again, "2024")) == sorted(_edges(first, "2024"))
    assert sorted(_members(again, "2024")) == sorted(_members(first, "2024"))
    assert sorted(r["actor_id"] for r in _rows(again / "actors.csv")) == sorted(
        r["actor_id"] for r in _rows(first / "actors.csv"))
    # the GraphML carries every actor metric: none comes back as an actor attribute
    assert list(_rows(again / "actors.csv")[0]) == list(_rows(first / "actors.csv")[0])
    assert any("netinnov computes" in note and "betweenness" in note for acc in accounts for note in acc.notes)
    _validated(again, directed=True)


def test_dl_matrix_directedness_can_be_forced(tmp_path):
    src = tmp_path / "s.dl"
    src.write_text("dl n=2\ndata:\n0 3\n3 0\n")
    import_files([src], tmp_path / "d", options=ReadOptions(directed=True))
    assert _edges(tmp_path / "d") == [("s", "1", "2", 3.0), ("s", "2", "1", 3.0)]
    src.write_text("dl n=2\ndata:\n0 3\n1 0\n")
    accounts, summary = import_files([src], tmp_path / "u", options=ReadOptions(directed=False))
    assert not summary.directed  # both cells kept: ingest sums them into one undirected tie
    assert _edges(tmp_path / "u") == [("s", "1", "2", 3.0), ("s", "2", "1", 1.0)]
    assert _rebuilt(tmp_path / "u", "w1", directed=False)["s"].ties["weight"].tolist() == [4.0]
