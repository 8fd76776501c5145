"""Write imported networks as a dataset of the input contract (SPEC.md "Input").

``actors.csv`` (``actor_id``, the group attribute, then the node attributes),
``waves/<wave>/interactions.csv`` (``case_id, source, target, frequency``, the
contract columns the files had, ``import_line``: the record's line in its
file, so that two records of one pair are never exact duplicates;
``import_file``, its file's name, where a network comes from several files),
``waves/<wave>/members.csv`` (every vertex of every case, so isolates stay in
the network), ``import_rejected.csv`` (``file, line, column, reason``: no raw
values), the readers' extra tables (the survey importer's ``name_map.csv``)
and ``import_config.yaml`` (``dataset`` and ``directed``, for
``snakemake --configfile``).

Directedness is a dataset-wide config key (``directed``). When every record
is undirected (Pajek ``*Edges``, GraphML ``edgedefault="undirected"``, a
symmetric DL matrix, ``--undirected``) each pair is written once and
``directed: false``; when any record is directed, ``directed: true`` and each
undirected record is written as two arcs (source → target and back) with
``import_undirected`` true, so that it is reciprocated.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

from .model import FileAccount, ImportedNetwork

__all__ = ["WAVE_NAME", "DatasetSummary", "write_dataset"]

WAVE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTRACT_EDGE = ("frequency", "duration_min", "closeness", "channel", "phase", "date")
_RESERVED = {"actor_id", "first_wave"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


class DatasetSummary:
    """What :func:`write_dataset` wrote: directedness, counts, notes."""

    def __init__(self) -> None:
        self.directed = False
        self.actors = 0
        self.rows: dict[str, int] = {}
        self.notes: list[str] = []


def write_dataset(
    networks: list[ImportedNetwork],
    accounts: list[FileAccount],
    out: Path,
    *,
    group_attribute: str = "sector",
    missing_group: str = "unknown",
) -> DatasetSummary:
    """Write the dataset; every network has its ``case`` and ``wave`` set."""
    summary = DatasetSummary()
    summary.directed = any(e.directed for net in networks for e in net.edges)
    # ---------------------------------------------------------------- actors
    actors: dict[str, dict[str, Any]] = {}
    conflicts: dict[str, int] = {}
    for net in networks:
        for actor, attrs in net.nodes.items():
            known = actors.setdefault(actor, {})
            for key, value in attrs.items():
                if key in _RESERVED:
                    continue
                if key in known and known[key] != value:
                    conflicts[key] = conflicts.get(key, 0) + 1
                else:
                    known.setdefault(key, value)
    columns: list[str] = []
    for attrs in actors.values():
        for key in attrs:
            if key not in columns and key != group_attribute:
                columns.append(key)
    dropped = [c for c in columns if c in conflicts]
    columns = [c for c in columns if c not in conflicts]
    if dropped:
        summary.notes.append(
            f"actor attribute(s) dropped, their values differ between files: {len(dropped)} column(s) "
            f"({sum(conflicts[c] for c in dropped)} actors)"
        )
    if group_attribute in conflicts:
        summary.notes.append(f"{group_attribute} differs between files for {conflicts[group_attribute]} actor(s): "
                             "the first file's value kept")
    missing = sum(1 for a in actors.values() if _text(a.get(group_attribute)).strip() == "")
    if missing:
        summary.notes.append(f"{missing} actor(s) without {group_attribute}: written as {missing_group!r}")
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "actors.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["actor_id", group_attribute, *columns])
        for actor, attrs in actors.items():
            group = _text(attrs.get(group_attribute)).strip() or missing_group
            w.writerow([actor, group, *(_text(attrs.get(c)) for c in columns)])
    summary.actors = len(actors)
    # ----------------------------------------------------------------- waves
    by_wave: dict[str, list[ImportedNetwork]] = {}
    for net in networks:
        by_wave.setdefault(net.wave, []).append(net)
    mixed = summary.directed and any(not e.directed for net in networks for e in net.edges)
    for wave, nets in by_wave.items():
        folder = out / "waves" / wave
        folder.mkdir(parents=True, exist_ok=True)
        present = [c for c in _CONTRACT_EDGE[1:] if any(c in e.attributes for n in nets for e in n.edges)]
        header = ["case_id", "source", "target", "frequency", *present, "import_line"]
        with_file = any(e.file is not None for n in nets for e in n.edges)
        if with_file:
            header.append("import_file")
        if mixed:
            header.append("import_undirected")
        n_rows = 0
        with open(folder / "interactions.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for net in nets:
                for e in net.edges:
                    values = [_text(e.attributes.get(c)) for c in ("frequency", *present)]
                    ends = [(e.source, e.target)]
                    if summary.directed and not e.directed:
                        ends.append((e.target, e.source))
                    for s, t in ends:
                        row = [net.case, s, t, *values, str(e.line)]
                        if with_file:
                            row.append(e.file or "")
                        if mixed:
                            row.append("false" if e.directed else "true")
                        w.writerow(row)
                        n_rows += 1
        summary.rows[wave] = n_rows
        with open(folder / "members.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["case_id", "actor_id"])
            for net in nets:
                for actor in net.nodes:
                    w.writerow([net.case, actor])
    # ------------------------------------------------------------ accounting
    with open(out / "import_rejected.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "line", "column", "reason"])
        for account in accounts:
            for r in sorted(account.rejected, key=lambda r: (r.line, r.column or 0)):
                w.writerow([r.file, r.line, "" if r.column is None else r.column, r.reason])
    tables: dict[str, list[list[str]]] = {}
    for account in accounts:
        tables.update(account.tables)
    for name, rows in tables.items():
        with open(out / name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    (out / "import_config.yaml").write_text(
        "# written by netinnov import; use: snakemake --cores 2 --configfile <this file>\n"
        f"dataset: {json.dumps(str(out.resolve()))}\n"
        f"directed: {'true' if summary.directed else 'false'}\n",
        encoding="utf-8",
    )
    return summary
