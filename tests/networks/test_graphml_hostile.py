"""GraphML with hostile ids and attributes still parses (issue 14, item 4).

Quotes, ``<``, ``&``, line breaks and control characters in case ids, actor
ids, attribute names and values: every written file parses with
``xml.etree`` and ``networkx.read_graphml``, ids come back as written (the
characters XML 1.0 cannot hold as ``\\uXXXX``), and ordinary text is escaped
exactly as before (``xml.sax.saxutils.escape`` with ``"`` as ``&quot;``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import networkx as nx
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from netinnov.networks import CaseNetwork
from netinnov.networks.graphml import _escape, write_case_graphml

HOSTILE = ['a"b', "<script>", "x&y", "tab\there", "line\nbreak", "cr\rx", "nul\x00", "bell\x07", "esc\x1b[0m",
           "\ufffe", "' or 1=1 --", "]]>", "&amp;", "caf\u00e9", "\U0001f600"]
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _expected(value: str) -> str:
    """What a reader gets back: the value, with XML-1.0-invalid characters as \\uXXXX."""
    return _INVALID.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def _network(ids: list[str], case_id: str) -> CaseNetwork:
    g = nx.Graph()
    for i, a in enumerate(ids):
        g.add_node(a, sector=ids[(i + 1) % len(ids)], **{'note "x" <&>\x01': ids[i - 1]})
    for a, b in zip(ids, ids[1:], strict=False):
        g.add_edge(a, b, weight=1.0, channel=a)
    return CaseNetwork.from_networkx(g, case_id=case_id)


def _check(path, ids, case_id):
    root = ET.parse(path).getroot()  # raises on any invalid XML
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert root.find("g:graph", ns).get("id") == _expected(case_id)
    back = nx.read_graphml(path)
    assert set(back.nodes) == {_expected(a) for a in ids}
    assert back.number_of_edges() == len(ids) - 1
    for i, a in enumerate(ids):
        node = back.nodes[_expected(a)]
        assert node["sector"] == _expected(ids[(i + 1) % len(ids)])
        assert node['note "x" <&>\\u0001'] == _expected(ids[i - 1])


def test_hostile_ids_and_attributes_write_parseable_graphml(tmp_path):
    for case_id in HOSTILE:
        path = tmp_path / "case.graphml"
        write_case_graphml(_network(HOSTILE, case_id), path)
        _check(path, HOSTILE, case_id)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12),
                min_size=2, max_size=6, unique_by=_expected), st.text(max_size=12))
def test_any_ids_write_parseable_graphml(tmp_path_factory, ids, case_id):
    path = tmp_path_factory.mktemp("g") / "case.graphml"
    write_case_graphml(_network(ids, case_id), path)
    _check(path, ids, case_id)


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20), max_size=20))
def test_ordinary_text_is_escaped_as_before(values):
    got = _escape(pd.Series(values, dtype=object)).tolist()
    assert got == [escape(v, {'"': "&quot;"}) for v in values]
