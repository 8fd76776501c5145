"""Property tests of ``netinnov import``: any network netinnov writes as Pajek
or GraphML, with any printable labels, imports back to the same vertices and
weighted ties."""

from __future__ import annotations

import csv
import unicodedata

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netinnov.io import validate_wave
from netinnov.io.importers import import_files
from netinnov.io.importers.text import clean_id, id_problem
from netinnov.networks import CaseNetwork
from netinnov.networks.graphml import write_case_graphml
from netinnov.steps.exports import pajek_text

_label = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters='\ufeff'),
    min_size=1, max_size=12,
).map(lambda s: unicodedata.normalize("NFC", s).strip()).filter(lambda s: id_problem(s) is None)


@st.composite
def networks(draw):
    labels = draw(st.lists(_label, min_size=1, max_size=8, unique=True))
    directed = draw(st.booleans())
    n = len(labels)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    weights = draw(st.lists(st.floats(0.01, 1e6, allow_nan=False), min_size=len(chosen), max_size=len(chosen)))
    return labels, directed, chosen, weights


def _read(out, wave):
    with open(out / "waves" / wave / "interactions.csv", encoding="utf-8", newline="") as fh:
        edges = [(r["source"], r["target"], float(r["frequency"])) for r in csv.DictReader(fh)]
    with open(out / "waves" / wave / "members.csv", encoding="utf-8", newline="") as fh:
        members = [r["actor_id"] for r in csv.DictReader(fh)]
    return edges, members


_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(net=networks())
def test_pajek_export_imports_back(tmp_path_factory, net):
    labels, directed, chosen, weights = net
    exported = [clean_id(x.replace('"', "'")) for x in labels]  # the export writes " as '
    if len(set(exported)) < len(exported) or any(id_problem(x) for x in exported):
        return
    tmp = tmp_path_factory.mktemp("p")
    folder = tmp / "case"
    folder.mkdir()
    src = np.array([p[0] for p in chosen], dtype=np.int64)
    tgt = np.array([p[1] for p in chosen], dtype=np.int64)
    (folder / "network_w1.net").write_text(pajek_text(labels, src, tgt, np.array(weights), directed=directed),
                                           encoding="utf-8")
    accounts, summary = import_files([folder / "network_w1.net"], tmp / "out")
    assert not accounts[0].rejected
    edges, members = _read(tmp / "out", "w1")
    assert members == exported
    expected = [(exported[i], exported[j], w) for (i, j), w in zip(chosen, weights, strict=True)]
    if directed or not chosen:
        assert edges == expected
    else:
        assert not summary.directed and edges == expected


@_settings
@given(net=networks())
def test_graphml_export_imports_back(tmp_path_factory, net):
    import networkx as nx

    labels, directed, chosen, weights = net
    g = nx.DiGraph() if directed else nx.Graph()
    for k, x in enumerate(labels):
        g.add_node(x, sector=["public", "private"][k % 2])
    for (i, j), w in zip(chosen, weights, strict=True):
        g.add_edge(labels[i], labels[j], weight=w)
    case = CaseNetwork.from_networkx(g, case_id=labels[0])
    tmp = tmp_path_factory.mktemp("g")
    write_case_graphml(case, tmp / "x.graphml")
    accounts, summary = import_files([tmp / "x.graphml"], tmp / "out")
    assert not accounts[0].rejected
    edges, members = _read(tmp / "out", "w1")
    assert sorted(members) == sorted(labels)
    want = {(labels[i], labels[j]): w for (i, j), w in zip(chosen, weights, strict=True)}
    got = {(s, t): w for s, t, w in edges}
    if directed:
        assert got == want
    else:
        assert {frozenset(k): w for k, w in got.items()} == {frozenset(k): w for k, w in want.items()}
    # ingest reads the written CSV back to the same ids: nothing rejected
    data = validate_wave(tmp / "out", "w1", directed=directed)
    assert len(data.rejected) == 0
    assert sorted(data.members["actor_id"].astype(str)) == sorted(labels)
    assert len(data.interactions) == len(edges)
