"""UCINET DL files (``.dl``): formats ``fullmatrix``, ``edgelist1`` and
``nodelist1``, one-mode, one matrix, with labels in a ``labels:`` section or
embedded in the data (``labels embedded``).

Reference: S. P. Borgatti, M. G. Everett and L. C. Freeman, *UCINET for
Windows: Software for Social Network Analysis* (Analytic Technologies 2002),
help topic "DL files" (keywords ``dl``, ``n=``, ``format=``, ``labels:``,
``labels embedded``, ``data:``). No maintained Python reader exists; this is
a small parser of that subset. Anything else (``nr=``/``nc=`` two-mode data,
``nm=`` > 1, ``lowerhalf``, ``edgelist2``, ``row labels:``) stops with a
message naming the file and the line.

Mapping: labels are actor ids (vertex numbers where there are none); every
vertex is kept, isolates included. A full matrix: each non-zero cell off the
diagonal is a tie with that value as ``frequency``; a symmetric matrix is
undirected (each pair once) unless ``--directed``. Edge lists ``i j [w]`` and
node lists ``ego alter alter ...`` are directed unless ``--undirected``.
Records: a full matrix's non-zero cells (and rows that cannot be read), an
edge list's lines, each alter of a node list (a node-list line of the ego
alone counts once).
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import Edge, FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import register
from .text import clean_id, id_problem, number, read_lines, tokens

__all__ = ["read_dl"]

_FORMATS = {"fullmatrix", "edgelist1", "nodelist1"}
_KEYVALUE = re.compile(r"([a-z]+)\s*=\s*([a-z0-9]+)", re.IGNORECASE)
_SECTION = re.compile(r"^\s*(row\s+labels|column\s+labels|col\s+labels|labels|data)\s*:", re.IGNORECASE)


@register("dl", (".dl",), "UCINET DL: fullmatrix, edgelist1, nodelist1 (labels: or labels embedded)")
def read_dl(path: Path, options: ReadOptions) -> tuple[list[ImportedNetwork], FileAccount]:
    name = str(path)
    lines = read_lines(path)
    settings: dict[str, str] = {}
    labels: list[str] = []
    labels_line = None
    embedded = False
    mode = "header"
    data_start = None
    seen_dl = False
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        section = _SECTION.match(line)
        if section:
            kind = re.sub(r"\s+", " ", section.group(1).lower())
            rest = line[section.end():]
            if kind == "data":
                data_start = lineno
                if rest.strip():
                    raise ImportFileError(path, lineno, "put the data on the lines after 'data:'")
                break
            if kind != "labels":
                raise ImportFileError(path, lineno, f"'{kind}:' (two-mode data) is not supported")
            mode, labels_line = "labels", lineno
            line = rest
            if re.search(r"\bembedded\b", line, re.IGNORECASE):
                embedded = True
                continue
        if mode == "labels":
            labels += [clean_id(t) for t, _ in tokens(line, commas=True)]
            continue
        lowered = line.lower()
        if not seen_dl:
            if not lowered.startswith("dl"):
                raise ImportFileError(path, lineno, "a DL file starts with 'dl'")
            seen_dl = True
            lowered = lowered[2:]
        if re.search(r"\blabels\s+embedded\b", lowered):
            embedded = True
            lowered = re.sub(r"\blabels\s+embedded\s*:?", " ", lowered)
        for key, value in _KEYVALUE.findall(lowered):
            settings[key.lower()] = value.lower()
    if data_start is None:
        raise ImportFileError(path, None, "no 'data:' line")
    for key in ("nr", "nc"):
        if key in settings:
            raise ImportFileError(path, None, f"'{key}=' (two-mode data) is not supported")
    if settings.get("nm", "1") != "1":
        raise ImportFileError(path, None, "more than one matrix (nm=) is not supported")
    fmt = settings.get("format", "fullmatrix")
    if fmt not in _FORMATS:
        raise ImportFileError(path, None, f"format {fmt!r} is not supported (fullmatrix, edgelist1, nodelist1)")
    n: int | None = int(settings["n"]) if settings.get("n", "").isdigit() else None
    if n is None and not (embedded and fmt != "fullmatrix"):
        raise ImportFileError(path, None, "n= (the number of vertices) is missing")
    if labels and n is not None and len(labels) != n:
        raise ImportFileError(path, labels_line, f"{len(labels)} labels for n={n} vertices")
    for label in labels:
        if id_problem(label):
            raise ImportFileError(path, labels_line, f"a label ingest cannot keep: {id_problem(label)}")
    if len(set(labels)) != len(labels):
        raise ImportFileError(path, labels_line, "duplicate labels")
    data = [(i, raw) for i, raw in enumerate(lines[data_start:], start=data_start + 1) if raw.strip()]
    reader = _Reader(name, n, labels, embedded, options)
    if fmt == "fullmatrix":
        reader.matrix(data, path)
    else:
        reader.lists(data, nodelist=fmt == "nodelist1")
    return [reader.net], reader.account


class _Reader:
    def __init__(self, name: str, n: int | None, labels: list[str], embedded: bool, options: ReadOptions) -> None:
        self.net = ImportedNetwork(name)
        self.account = FileAccount(name)
        self.n, self.embedded, self.options = n, embedded, options
        self.ids = labels or ([str(i) for i in range(1, n + 1)] if n is not None else [])
        if not embedded:
            for actor in self.ids:
                self.net.add_node(actor)

    # ----------------------------------------------------------- edge/node lists
    def vertex(self, token: str) -> str | tuple[str]:
        """The actor id of a token, or ``(reason,)``."""
        if self.embedded:
            actor = clean_id(token)
            if id_problem(actor):
                return (id_problem(actor),)
            if actor not in self.net.nodes and self.n is not None and len(self.net.nodes) >= self.n:
                return ("more labels than n",)
            self.net.add_node(actor)
            return actor
        try:
            i = int(token)
        except ValueError:
            return ("vertex number not an integer",)
        if not 1 <= i <= len(self.ids):
            return ("unknown vertex number",)
        return self.ids[i - 1]

    def lists(self, data: list[tuple[int, str]], *, nodelist: bool) -> None:
        directed = True if self.options.directed is None else self.options.directed
        account = self.account
        for lineno, raw in data:
            parts = [t for t, _ in tokens(raw, commas=True)]
            ego = self.vertex(parts[0])
            if isinstance(ego, tuple):
                account.reject(lineno, 1, ego[0])
                continue
            if nodelist:
                if len(parts) == 1:
                    account.accept()
                named: set[str] = set()
                for column, token in enumerate(parts[1:], start=2):
                    alter = self.vertex(token)
                    if isinstance(alter, tuple):
                        account.reject(lineno, column, alter[0])
                    elif alter == ego:
                        account.reject(lineno, column, "self-loop")
                    elif alter in named:
                        account.reject(lineno, column, "alter repeated on the line")
                    else:
                        named.add(alter)
                        self.net.edges.append(Edge(ego, alter, {"frequency": 1.0}, lineno, directed))
                        account.accept()
                continue
            if len(parts) < 2:
                account.reject(lineno, 2, "missing second vertex")
                continue
            if len(parts) > 3:
                account.reject(lineno, 4, "more than three values (i j weight)")
                continue
            alter = self.vertex(parts[1])
            if isinstance(alter, tuple):
                account.reject(lineno, 2, alter[0])
                continue
            if alter == ego:
                account.reject(lineno, 2, "self-loop")
                continue
            weight = 1.0
            if len(parts) == 3:
                value = number(parts[2])
                if value is None:
                    account.reject(lineno, 3, "weight not a number")
                    continue
                if value == 0:
                    account.accept()  # a zero weight is no tie
                    continue
                if value < 0:
                    account.reject(lineno, 3, "negative weight")
                    continue
                weight = value
            self.net.edges.append(Edge(ego, alter, {"frequency": weight}, lineno, directed))
            account.accept()

    # ------------------------------------------------------------- full matrix
    def matrix(self, data: list[tuple[int, str]], path: Path) -> None:
        n, account = self.n, self.account
        if self.embedded:
            if not data:
                raise ImportFileError(path, None, "labels embedded but no column labels after 'data:'")
            lineno, raw = data[0]
            columns = [clean_id(t) for t, _ in tokens(raw, commas=True)]
            if len(columns) != n or any(id_problem(c) for c in columns) or len(set(columns)) != n:
                raise ImportFileError(path, lineno, f"expected {n} distinct column labels that ingest can keep "
                                      "(not empty, not NA/null/...)")
            self.ids = columns
            for actor in columns:
                self.net.add_node(actor)
            data = data[1:]
        cells: dict[tuple[int, int], tuple[float, int, int]] = {}
        row = 0
        for lineno, raw in data:
            parts = [t for t, _ in tokens(raw, commas=True)]
            if row >= n:
                account.reject(lineno, None, f"more than n={n} rows")
                continue
            if self.embedded:
                label, parts = clean_id(parts[0]), parts[1:]
                if label != self.ids[row]:
                    account.reject(lineno, 1, "row label differs from the column label of that row")
                    row += 1
                    continue
            offset = 2 if self.embedded else 1
            if len(parts) != n:
                account.reject(lineno, None, f"{len(parts)} values, expected n={n}")
                row += 1
                continue
            for j, token in enumerate(parts):
                value = number(token)
                if value is None:
                    account.reject(lineno, j + offset, "cell not a number")
                elif value == 0:
                    continue
                elif value < 0:
                    account.reject(lineno, j + offset, "negative value")
                elif j == row:
                    account.reject(lineno, j + offset, "self-loop")
                else:
                    cells[(row, j)] = (value, lineno, j + offset)
            row += 1
        symmetric = all(cells.get((j, i), (None,))[0] == v for (i, j), (v, _, _) in cells.items())
        directed = not symmetric if self.options.directed is None else self.options.directed
        for (i, j), (value, lineno, _) in sorted(cells.items(), key=lambda kv: kv[1][1:]):
            account.accept()
            if not directed and symmetric and i > j:
                continue  # the mirror cell of an undirected pair, written once
            self.net.edges.append(Edge(self.ids[i], self.ids[j], {"frequency": value}, lineno, directed))
