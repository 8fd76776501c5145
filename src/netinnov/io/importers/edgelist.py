"""Plain edge lists: ``.csv``, ``.tsv``, ``.edgelist``, ``.edges``.

Two id columns (source, target) and an optional third, the weight; a header
line or none. References: RFC 4180 (CSV; quoted fields with ``""``), and the
whitespace-separated edge lists of ``networkx.read_weighted_edgelist`` /
``read_edgelist`` (``#`` comment lines).

Delimiter: ``--delimiter``, else tab for ``.tsv``, else the first data line
decides: tab, then ``;``, then ``,``, else runs of whitespace. Header:
``--header``/``--no-header``, else a first line whose first two cells are
column names such as ``source,target`` / ``from,to`` / ``ego,alter`` (list
:data:`ID_NAMES`) or whose third is ``weight``/``frequency``/``value``. With a
header, columns named as interactions.csv columns (``duration_min``,
``closeness``, ``channel``, ``phase``, ``date``) are kept, others dropped.
A line holding one id (or an empty second id) is an isolate. In a
``;``-separated file the weight may have a decimal comma (as in ingest). Directed
(source → target) unless ``--undirected``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .model import Edge, FileAccount, ImportedNetwork, ReadOptions
from .registry import register
from .text import clean_id, id_problem, number, read_lines, tokens

__all__ = ["ID_NAMES", "read_edgelist"]

ID_NAMES = frozenset({"source", "target", "from", "to", "ego", "alter", "sender", "receiver", "i", "j",
                      "v1", "v2", "node1", "node2", "id1", "id2", "actor1", "actor2", "head", "tail",
                      "u", "v", "src", "dst", "source_id", "target_id", "actor_id", "alter_id"})
WEIGHT_NAMES = frozenset({"weight", "frequency", "value", "w", "count", "strength"})
KEPT = ("duration_min", "closeness", "channel", "phase", "date")


def _delimiter(path: Path, lines: list[str], options: ReadOptions) -> str | None:
    if options.delimiter:
        return "\t" if options.delimiter in ("tab", "\\t") else options.delimiter
    if path.suffix.lower() == ".tsv":
        return "\t"
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            for candidate in ("\t", ";", ","):
                if candidate in line:
                    return candidate
            return None
    return ","


@register("edgelist", (".csv", ".tsv", ".edgelist", ".edges"), "plain edge list: source, target [, weight]")
def read_edgelist(path: Path, options: ReadOptions) -> tuple[list[ImportedNetwork], FileAccount]:
    name = str(path)
    account = FileAccount(name)
    net = ImportedNetwork(name)
    lines = read_lines(path)
    delimiter = _delimiter(path, lines, options)
    directed = True if options.directed is None else options.directed
    if delimiter is None:
        rows = [(n, [t for t, _ in tokens(line)]) for n, line in enumerate(lines, start=1)]
    else:
        reader = csv.reader(lines, delimiter=delimiter)
        rows = []
        for fields in reader:
            rows.append((reader.line_num, fields))
    rows = [(n, f) for n, f in rows if any(x.strip() for x in f) and not f[0].lstrip().startswith("#")]
    header = options.header
    if header is None and rows:
        first = [x.strip().lower() for x in rows[0][1]]
        header = (len(first) >= 2 and first[0] in ID_NAMES and first[1] in ID_NAMES) or (
            len(first) >= 3 and first[2] in WEIGHT_NAMES
        )
    columns: dict[str, int] = {}
    weight_col: int | None = 2
    if header and rows:
        names = [x.strip().lower() for x in rows[0][1]]
        rows = rows[1:]
        weight_col = next((i for i, c in enumerate(names) if i >= 2 and c in WEIGHT_NAMES), None)
        columns = {c: i for i, c in enumerate(names) if c in KEPT and i >= 2}
        dropped = [c for i, c in enumerate(names) if i >= 2 and i != weight_col and c not in KEPT]
        if dropped:
            account.notes.append(f"{len(dropped)} column(s) not in the contract dropped (columns "
                                 + ", ".join(str(names.index(c) + 1) for c in dropped) + ")")
    elif any(len(f) > 3 for _, f in rows):
        account.notes.append("fields after the third (weight) ignored")
    for lineno, fields in rows:
        source = clean_id(fields[0])
        target = clean_id(fields[1]) if len(fields) > 1 else ""
        problem = id_problem(source)
        if problem:
            account.reject(lineno, 1, problem)
            continue
        if target and id_problem(target):
            account.reject(lineno, 2, id_problem(target))
            continue
        if not target:
            net.add_node(source)
            account.accept()
            continue
        if source == target:
            account.reject(lineno, 2, "self-loop")
            continue
        weight = 1.0
        raw = fields[weight_col].strip() if weight_col is not None and weight_col < len(fields) else ""
        if raw:
            value = number(raw.replace(",", ".") if delimiter == ";" else raw)  # decimal commas, as ingest
            if value is None:
                account.reject(lineno, weight_col + 1, "weight not a number")
                continue
            if value <= 0:
                account.reject(lineno, weight_col + 1, "non-positive weight")
                continue
            weight = value
        attrs: dict = {"frequency": weight}
        for column, i in columns.items():
            if i < len(fields) and fields[i].strip():
                attrs[column] = fields[i].strip()
        net.add_node(source)
        net.add_node(target)
        net.edges.append(Edge(source, target, attrs, lineno, directed))
        account.accept()
    return [net], account
