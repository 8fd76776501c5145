"""What every importer returns: networks of one case and wave, and the account
of every record read (accepted, or rejected with file, line, column and reason).

A *record* is the unit an importer accounts for: a vertex or edge line
(Pajek, plain edge lists, UCINET DL edge and node lists), a non-zero cell of a
UCINET DL full matrix, a node or edge element (GraphML). For every file
``read == accepted + rejected``, as in ingest (SPEC.md "Bad input").

Reasons and messages name the file, the line and the column, never the raw
value of an id (pseudonymisation: SPEC.md ``pseudonymize``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Edge", "FileAccount", "ImportFileError", "ImportedNetwork", "ReadOptions", "Rejection"]


class ImportFileError(ValueError):
    """A file that cannot be imported at all (unreadable, unsupported variant,
    malformed header). The message names the file and the line."""

    def __init__(self, file: str | Path, line: int | None, message: str) -> None:
        self.file, self.line = str(file), line
        where = f"{self.file}, line {line}" if line is not None else self.file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Rejection:
    """A record set aside: ``column`` is the 1-based field (or matrix column)
    the reason is about, ``None`` for the whole line."""

    file: str
    line: int
    column: int | None
    reason: str


@dataclass
class Edge:
    """One interaction record: actor ids, contract columns (``frequency``,
    ``duration_min``, ``closeness``, ``channel``, ``phase``, ``date``), the
    line it came from (and, for a network read from several files, the
    file) and whether the source file declared it undirected."""

    source: str
    target: str
    attributes: dict[str, Any]
    line: int
    directed: bool = True
    #: The file of ``line`` where a network's records come from several files
    #: (egor: alters and aaties tables); written as ``import_file``.
    file: str | None = None


@dataclass
class ImportedNetwork:
    """The network of one case in one wave, as read from one file.

    ``case``/``wave`` are None where the file does not say (the command fills
    them from ``--case``/``--wave`` and the defaults). ``nodes`` maps actor id
    to its attributes (insertion order kept; isolates included)."""

    file: str
    case: str | None = None
    wave: str | None = None
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def add_node(self, actor: str, attributes: dict[str, Any] | None = None) -> None:
        known = self.nodes.setdefault(actor, {})
        if attributes:
            for key, value in attributes.items():
                known.setdefault(key, value)


@dataclass
class FileAccount:
    """Records read from one file and what became of them."""

    file: str
    read: int = 0
    accepted: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    #: Remarks for the summary (e.g. attributes that were dropped).
    notes: list[str] = field(default_factory=list)
    #: Extra tables to write beside actors.csv, by file name: rows, header
    #: first (the survey importer's ``name_map.csv``). Where several files'
    #: accounts hold the same table, the last one is written.
    tables: dict[str, list[list[str]]] = field(default_factory=dict)

    def accept(self, n: int = 1) -> None:
        self.read += n
        self.accepted += n

    def reject(self, line: int, column: int | None, reason: str) -> None:
        self.read += 1
        self.rejected.append(Rejection(self.file, line, column, reason))

    def reasons(self) -> Counter:
        return Counter(r.reason for r in self.rejected)


@dataclass
class ReadOptions:
    """Options every reader gets (most use few of them).

    ``directed``: None = as the file says (or the format's default);
    True/False forces it. ``header``: plain edge lists only, None = detect.
    ``delimiter``: plain edge lists, survey and egor tables, None = from the
    extension / sniffed. ``spec``: the column mapping of the survey and egor
    formats (command-line options and ``--mapping`` file merged; the keys are
    described in docs/import.md). ``shared``: state the readers keep across
    the files of one import (the survey name registry, so one name is one
    actor in every file)."""

    directed: bool | None = None
    header: bool | None = None
    delimiter: str | None = None
    spec: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
