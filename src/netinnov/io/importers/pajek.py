"""Pajek ``.net`` networks.

Reference: V. Batagelj and A. Mrvar, *Pajek — Program for Large Network
Analysis*, Reference Manual (the ``.net`` format: ``*Vertices n``, vertex lines
``i "label" [x y z] [attributes]``, ``*Arcs``/``*Edges`` lines ``i j [w]
[attributes]``, ``*Arcslist``/``*Edgeslist`` lines ``i j k ...``); the reader
of ``networkx.read_pajek`` reads the same subset.

Mapping: a vertex's label is its ``actor_id`` (its number where it has no
label); every vertex is kept, isolates included; ``w`` becomes ``frequency``
(1 where absent); ``*Edges`` are undirected, ``*Arcs`` directed. Coordinates
and drawing attributes are ignored. ``*Matrix`` sections, two-mode partitions
and time intervals are not read: their lines are rejected with a reason.
"""

from __future__ import annotations

from pathlib import Path

from .model import Edge, FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import register
from .text import clean_id, id_problem, number, read_lines, tokens

__all__ = ["read_pajek"]

_EDGE_SECTIONS = {"*arcs": (True, False), "*edges": (False, False), "*arcslist": (True, True), "*edgeslist": (False, True)}


@register("pajek", (".net", ".paj"), "Pajek network (*Vertices, *Arcs, *Edges, *Arcslist, *Edgeslist)")
def read_pajek(path: Path, options: ReadOptions) -> tuple[list[ImportedNetwork], FileAccount]:
    name = str(path)
    account = FileAccount(name)
    net = ImportedNetwork(name)
    lines = read_lines(path)
    n_vertices: int | None = None
    labels: dict[int, str] = {}
    bad_vertices: set[int] = set()
    seen_labels: set[str] = set()
    section: str | None = None

    def vertex(token: str) -> int | str:
        """The vertex number, or the reason it is rejected."""
        try:
            i = int(token)
        except ValueError:
            return "vertex number not an integer"
        if n_vertices is None or not 1 <= i <= n_vertices:
            return "unknown vertex number"
        if i in bad_vertices:
            return "vertex whose line was rejected"
        return i

    def node_id(i: int) -> str:
        return labels.get(i, str(i))

    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("*"):
            head = line.split()
            keyword = head[0].lower()
            if keyword == "*vertices":
                if n_vertices is not None:
                    raise ImportFileError(path, lineno, "a second *Vertices section (one network per file)")
                if len(head) < 2 or not head[1].isdigit():
                    raise ImportFileError(path, lineno, "*Vertices needs the number of vertices")
                n_vertices = int(head[1])
                section = "*vertices"
            elif keyword in _EDGE_SECTIONS:
                if n_vertices is None:
                    raise ImportFileError(path, lineno, f"{head[0]} before *Vertices")
                if not net.nodes:
                    _finish_vertices(net, n_vertices, labels, bad_vertices)
                section = keyword
            elif keyword == "*network":
                section = None
            else:
                section = "unsupported"
            continue
        if section is None:
            raise ImportFileError(path, lineno, "data line before *Vertices")
        if section == "unsupported":
            account.reject(lineno, None, "unsupported Pajek section")
            continue
        parts = tokens(line)
        if section == "*vertices":
            got = vertex(parts[0][0])
            if isinstance(got, str):
                account.reject(lineno, 1, got)
                continue
            if got in labels:
                account.reject(lineno, 1, "duplicate vertex number")
                continue
            label = clean_id(parts[1][0]) if len(parts) > 1 else ""
            if not label:
                label = str(got)
            problem = id_problem(label)
            if problem:
                bad_vertices.add(got)
                account.reject(lineno, 2, problem)
                continue
            if label in seen_labels:
                bad_vertices.add(got)
                account.reject(lineno, 2, "duplicate vertex label")
                continue
            seen_labels.add(label)
            labels[got] = label
            account.accept()
            continue
        directed, is_list = _EDGE_SECTIONS[section]
        if is_list:
            first = vertex(parts[0][0])
            if isinstance(first, str):
                account.reject(lineno, 1, first)
                continue
            if len(parts) == 1:
                account.accept()
                continue
            for column, (token, _) in enumerate(parts[1:], start=2):
                other = vertex(token)
                if isinstance(other, str):
                    account.reject(lineno, column, other)
                elif other == first:
                    account.reject(lineno, column, "self-loop")
                else:
                    net.edges.append(Edge(node_id(first), node_id(other), {"frequency": 1.0}, lineno, directed))
                    account.accept()
            continue
        if len(parts) < 2:
            account.reject(lineno, 2, "missing second vertex")
            continue
        ends = []
        for column in (1, 2):
            got = vertex(parts[column - 1][0])
            if isinstance(got, str):
                account.reject(lineno, column, got)
                break
            ends.append(got)
        if len(ends) < 2:
            continue
        if ends[0] == ends[1]:
            account.reject(lineno, 2, "self-loop")
            continue
        weight = 1.0
        if len(parts) > 2:
            value = number(parts[2][0])
            if value is None:
                account.reject(lineno, 3, "weight not a number")
                continue
            if value <= 0:
                account.reject(lineno, 3, "non-positive weight")
                continue
            weight = value
        net.edges.append(Edge(node_id(ends[0]), node_id(ends[1]), {"frequency": weight}, lineno, directed))
        account.accept()
    if n_vertices is None:
        raise ImportFileError(path, None, "no *Vertices line: not a Pajek network")
    if not net.nodes:
        _finish_vertices(net, n_vertices, labels, bad_vertices)
    return [net], account


def _finish_vertices(net: ImportedNetwork, n: int, labels: dict[int, str], bad: set[int]) -> None:
    """Every vertex 1..n that is not rejected, in number order (isolates kept)."""
    taken = set(labels.values())
    for i in range(1, n + 1):
        if i not in bad and i not in labels and str(i) in taken:
            raise ImportFileError(net.file, None, f"vertex {i} has no label and its number is the label of "
                                  "another vertex; label every vertex")
    for i in range(1, n + 1):
        if i not in bad:
            net.add_node(labels.get(i, str(i)))
