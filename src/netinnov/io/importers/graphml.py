"""GraphML networks.

Reference: U. Brandes, M. Eiglsperger, J. Lerner, C. Pich, *Graph Markup
Language (GraphML)*, in R. Tamassia (ed.), Handbook of Graph Drawing and
Visualization (2013), and the GraphML primer
(http://graphml.graphdrawing.org/primer/graphml-primer.html): ``<key>``
declarations (``attr.name``, ``attr.type``, ``<default>``), one ``<graph>``
with ``edgedefault``, ``<node id>`` and ``<edge source target [directed]>``
with ``<data key>`` children. Read with expat, so that every node and edge
is accounted for with its line; the values agree with
``networkx.read_graphml`` (tests compare them).

Mapping: the graph's ``id`` is the case (unless ``--case``); a node's ``id``
is its ``actor_id``, its attributes become actors.csv columns; edge
attribute ``frequency`` (else ``weight``) becomes ``frequency``, and
``duration_min, closeness, channel, phase, date`` are kept; other edge
attributes are not part of the contract and are dropped (the summary names
them). Nested graphs, hyperedges and ports are refused.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from xml.parsers import expat

from .model import Edge, FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import register
from .text import clean_id, id_problem, number

__all__ = ["EDGE_COLUMNS", "read_graphml"]

#: Contract columns of interactions.csv an edge attribute may fill.
EDGE_COLUMNS = ("frequency", "duration_min", "closeness", "channel", "phase", "date")

_TYPES = {"boolean", "int", "long", "float", "double", "string"}


def _typed(value: str, kind: str) -> Any:
    if kind in ("int", "long"):
        try:
            return int(value.strip())
        except ValueError:
            return number(value)
    if kind in ("float", "double"):
        return number(value)
    if kind == "boolean":
        return value.strip().lower() in ("true", "1")
    return value


#: Actor columns of the input contract, kept even where the codebook also lists them.
_CONTRACT_ACTOR = {"actor_id", "sector", "organization"}


@functools.lru_cache(maxsize=1024)  # asked per attribute of every node: one lookup per name
def _computed_actor_column(name: str) -> bool:
    """Whether a node attribute is a column netinnov computes for actors.csv
    (degree, betweenness, role scores, …: the codebook's actor table), which
    its own GraphML files carry and a new run computes again."""
    from netinnov.codebook.columns import TABLES, lookup

    if name in _CONTRACT_ACTOR:
        return False
    return lookup(TABLES["actors"], name, group="sector") is not None


@register("graphml", (".graphml", ".xml"), "GraphML (networkx, igraph, Gephi, netinnov's networks/<case>.graphml)")
def read_graphml(path: Path, options: ReadOptions) -> tuple[list[ImportedNetwork], FileAccount]:
    name = str(path)
    account = FileAccount(name)
    net = ImportedNetwork(name)
    keys: dict[str, dict[str, Any]] = {}
    state: dict[str, Any] = {"graphs": 0, "default_directed": False, "element": None, "key": None,
                             "data_key": None, "text": [], "in_default": False}
    dropped: set[str] = set()
    computed_dropped: set[str] = set()
    pending: list[dict] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def local(tag: str) -> str:
        return tag.rsplit(" ", 1)[-1]

    def fail(message: str) -> None:
        raise ImportFileError(path, parser.CurrentLineNumber, message)

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        attrs = {local(k): v for k, v in attrs.items()}
        line = parser.CurrentLineNumber
        if tag == "key":
            kind = attrs.get("attr.type", "string")
            if kind not in _TYPES:
                fail(f"key of unknown attr.type {kind!r}")
            state["key"] = attrs.get("id", "")
            # yEd's graphics keys (yfiles.type) hold drawing markup, not attributes
            scope = "none" if "yfiles.type" in attrs else attrs.get("for", "all")
            keys[state["key"]] = {"name": attrs.get("attr.name", state["key"]), "for": scope,
                                  "type": kind, "default": None}
        elif tag == "default" and state["key"] is not None:
            state["in_default"], state["text"] = True, []
        elif tag == "graph":
            state["graphs"] += 1
            if state["graphs"] > 1 or state["element"] is not None:
                fail("more than one graph, or a nested graph (one network per file)")
            state["default_directed"] = attrs.get("edgedefault", "directed") == "directed"
            if attrs.get("id"):
                net.case = attrs["id"]
        elif tag in ("hyperedge", "port"):
            fail(f"<{tag}> is not supported")
        elif tag == "node":
            state["element"] = {"kind": "node", "id": attrs.get("id"), "line": line, "data": {}}
        elif tag == "edge":
            directed = attrs.get("directed")
            directed = state["default_directed"] if directed is None else directed == "true"
            state["element"] = {"kind": "edge", "source": attrs.get("source"), "target": attrs.get("target"),
                                "directed": directed, "line": line, "data": {}}
        elif tag == "data":
            state["data_key"], state["text"] = attrs.get("key"), []

    def end(tag: str) -> None:
        tag = local(tag)
        if tag == "default" and state["in_default"]:
            keys[state["key"]]["default"] = "".join(state["text"])
            state["in_default"] = False
        elif tag == "key":
            state["key"] = None
        elif tag == "data" and state["data_key"] is not None:
            if state["element"] is not None:
                state["element"]["data"][state["data_key"]] = "".join(state["text"])
            state["data_key"] = None
        elif tag in ("node", "edge") and state["element"] is not None:
            element, state["element"] = state["element"], None
            if tag == "node":
                _node(element)
            else:
                pending.append(element)  # nodes may follow the edges that name them

    def text(data: str) -> None:
        if state["data_key"] is not None or state["in_default"]:
            state["text"].append(data)

    def values(element: dict, kind: str) -> dict[str, Any]:
        out = {}
        for key_id, key in keys.items():
            if key["for"] not in (kind, "all"):
                continue
            raw = element["data"].get(key_id, key["default"])
            if raw is None:
                continue
            out[key["name"]] = _typed(raw, key["type"])
        return out

    def _node(element: dict) -> None:
        actor = clean_id(element["id"] or "")
        problem = id_problem(actor)
        if problem:
            account.reject(element["line"], None, problem)
        elif actor in net.nodes:
            account.reject(element["line"], None, "duplicate node id")
        else:
            attrs = {k: v for k, v in values(element, "node").items() if v is not None and v != ""}
            computed = {k for k in attrs if _computed_actor_column(k)}
            if computed:  # netinnov's own GraphML: the wave step recomputes them
                computed_dropped.update(computed)
                attrs = {k: v for k, v in attrs.items() if k not in computed}
            net.nodes[actor] = attrs
            account.accept()

    def _edge(element: dict) -> None:
        line = element["line"]
        ends = [clean_id(element[end] or "") for end in ("source", "target")]
        for column, actor in enumerate(ends, start=1):
            if actor not in net.nodes:
                account.reject(line, column, "edge end not a declared node")
                return
        if ends[0] == ends[1]:
            account.reject(line, 2, "self-loop")
            return
        data = values(element, "edge")
        weight = data.get("frequency", data.get("weight", 1.0))
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight != weight:
            weight = number(str(weight))
            if weight is None:
                account.reject(line, None, "weight not a number")
                return
        if weight <= 0:
            account.reject(line, None, "non-positive weight")
            return
        attrs = {"frequency": float(weight)}
        for column in EDGE_COLUMNS[1:]:
            if column in data and data[column] is not None:
                attrs[column] = data[column]
        dropped.update(set(data) - set(EDGE_COLUMNS) - {"weight"})
        net.edges.append(Edge(ends[0], ends[1], attrs, line, element["directed"]))
        account.accept()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with open(path, "rb") as fh:
            parser.ParseFile(fh)
    except expat.ExpatError as err:
        raise ImportFileError(path, err.lineno, f"not well-formed XML ({expat.ErrorString(err.code)})") from None
    for element in pending:
        _edge(element)
    if state["graphs"] == 0:
        raise ImportFileError(path, None, "no <graph> element: not a GraphML file")
    account.notes += [f"edge attributes not in the contract, dropped: {', '.join(sorted(dropped))}"] if dropped else []
    if computed_dropped:
        account.notes.append(
            "node attributes netinnov computes (its GraphML carries the actor metrics), dropped: "
            + ", ".join(sorted(computed_dropped))
        )
    return [net], account
