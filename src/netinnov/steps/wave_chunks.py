"""The wave stage as per-case-chunk jobs (issue 15, item 3).

A wave's cases are split into ``n`` chunks (:func:`plan_chunks`); one job per
chunk builds its cases' networks, measures and GraphML files
(:func:`run_chunk`), and one gather job joins the chunks into the wave's
tables (:func:`run_gather`). Because a case's measures depend on its own
records and the config only (issue 12, item 1), any split gives the tables
of one job over all cases, byte for byte (``tests/steps/test_wave_chunks.py``).

The chunks are contiguous runs of the sorted case ids (the order of the
tables), balanced by the number of records; the split depends on the wave's
data and ``n`` only. A chunk's parts go to a pickle file, an intermediate the
gather job reads and the workflow deletes (``temp``); it is written and read
by the same netinnov, never by anything else. A chunk without cases writes
:data:`EMPTY_CHUNK` instead of its (empty) parts, without importing the
metrics (:mod:`netinnov.metrics.wave` and what it pulls in take about a
second to import); the gather job leaves such chunks out, and builds the
empty parts itself when every chunk is empty, so the tables are the same.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import shutil
import types
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netinnov.contract import WAVE_TABLES

if TYPE_CHECKING:
    from netinnov.metrics.wave import ChunkParts

__all__ = [
    "EMPTY_CHUNK", "GATHERED_TABLES", "case_weights", "chunk_data", "dump_intermediate", "load_intermediate", "plan_chunks",
    "run_chunk", "run_gather", "scatter_index", "write_wave_tables",
]

log = logging.getLogger(__name__)

#: What a chunk without cases writes as its parts (see the module docstring).
EMPTY_CHUNK = "netinnov: a wave chunk without cases"

#: The record tables of a wave that belong to a case (filtered per chunk).
CASE_RECORDS = ("interactions", "participation", "roles", "members")


def case_weights(data) -> pd.Series:
    """Records per case (interactions and participation, plus one) of every
    case with a network (one in interactions, participation or members),
    indexed by case id in sorted order."""
    counts: dict[str, int] = {}
    for name in ("interactions", "participation", "members"):
        frame = getattr(data, name, None)
        if frame is None or not len(frame):
            continue
        sizes = frame["case_id"].astype(str).value_counts(sort=False)
        for case_id, size in sizes.items():
            counts[case_id] = counts.get(case_id, 1) + (int(size) if name != "members" else 0)
    ids = sorted(counts)
    return pd.Series([counts[c] for c in ids], index=pd.Index(ids, dtype=object), dtype=np.int64)


def plan_chunks(weights: pd.Series, n: int) -> list[list[str]]:
    """``n`` contiguous runs of the sorted case ids, of about equal weight.

    Chunk ``k`` (0-based) holds the cases whose cumulative weight, taken at
    the case's midpoint, falls in ``[k, k + 1) * total / n``; chunks can be
    empty when there are fewer cases than chunks.
    """
    if n < 1:
        raise ValueError(f"the number of chunks must be at least 1, not {n}")
    if not len(weights):
        return [[] for _ in range(n)]
    w = weights.to_numpy(dtype=float)
    middle = np.cumsum(w) - w / 2
    which = np.minimum((middle * n / w.sum()).astype(np.int64), n - 1)
    ids = np.asarray(weights.index, dtype=object)
    return [list(ids[which == k]) for k in range(n)]


def chunk_data(data, cases: list[str]):
    """The wave restricted to ``cases``: its record tables filtered to those
    cases (categories of ids not in them dropped, as if the data held only
    these cases), ``actors`` kept whole, no outcomes (they join at the gather)."""
    keep = set(cases)
    changes = {"outcomes": None}
    for name in CASE_RECORDS:
        frame = getattr(data, name, None)
        if frame is None:
            continue
        part = frame[frame["case_id"].astype(str).isin(keep).to_numpy()]
        for col in part.columns:
            if isinstance(part[col].dtype, pd.CategoricalDtype):
                part = part.assign(**{col: part[col].cat.remove_unused_categories()})
        changes[name] = part
    return dataclasses.replace(data, **changes)


def scatter_index(item: str) -> tuple[int, int]:
    """``(k, n)`` of a Snakemake scatter item ``"<k>-of-<n>"``: ``k`` from 0."""
    k, _, n = item.partition("-of-")
    return int(k) - 1, int(n)


def dump_intermediate(value, path: Path | str) -> None:
    """Write one of the workflow's intermediates (a pickle; see the module docstring)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_intermediate(path: Path | str):
    """Read what :func:`dump_intermediate` wrote."""
    with open(path, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own intermediate (see the module docstring)


def run_chunk(
    validated_dir: Path,
    wave: str,
    *,
    chunk: str,
    out: Path,
    networks_dir: Path,
    options: dict,
    previous_dir: Path | None = None,
    previous_wave: str | None = None,
) -> ChunkParts | None:
    """Compute chunk ``chunk`` (``"<k>-of-<n>"``) of a wave: write its parts
    to ``out`` and its cases' GraphML files to ``networks_dir``.

    ``validated_dir`` (and ``previous_dir``) hold ``validated/`` and
    ``rejected.csv`` of the wave (of the previous wave). A chunk without
    cases writes :data:`EMPTY_CHUNK` and an empty ``networks_dir``, and
    returns None.
    """
    from netinnov.io.store import read_case_ids

    k, n = scatter_index(chunk)
    # the case ids of the whole wave plan the chunks; the records are read for this chunk's cases only
    ids = {name: read_case_ids(validated_dir, name) for name in ("interactions", "participation", "members")}
    weights = case_weights(types.SimpleNamespace(**{
        name: None if col is None else col.to_frame() for name, col in ids.items()
    }))  # fmt: skip
    cases = plan_chunks(weights, n)[k]
    log.info("wave %s, chunk %d of %d: %d cases", wave, k + 1, n, len(cases))
    if not cases:  # nothing to compute: no metric imports (see the module docstring)
        Path(networks_dir).mkdir(parents=True, exist_ok=True)
        dump_intermediate(EMPTY_CHUNK, out)
        return None
    from netinnov.io import read_validated
    from netinnov.metrics.wave import Stopwatch, chunk_graphml_tables, chunk_tables
    from netinnov.networks.graphml import write_graphml

    clock = Stopwatch()
    with clock("reading the records"):
        data = read_validated(validated_dir, wave, cases=cases)
        previous = read_validated(previous_dir, previous_wave, cases=cases) if previous_dir is not None else None
    parts = chunk_tables(
        chunk_data(data, cases), options, previous=chunk_data(previous, cases) if previous is not None else None
    )
    with clock("GraphML"):
        actors, ties = chunk_graphml_tables(data, parts)
        write_graphml(parts.networks, networks_dir, actors=actors, ties=ties)
    with clock("parts file"):
        dump_intermediate(dataclasses.replace(parts, networks={}), out)
    log.info("wave %s, chunk %d of %d: %s", wave, k + 1, n, clock.summary())
    return parts


def run_gather(
    validated_dir: Path,
    wave: str,
    *,
    parts: list[Path],
    networks_from: list[Path],
    outputs: dict[str, Path],
    networks_dir: Path,
    options: dict,
) -> None:
    """Join the chunks' parts (in chunk order) into the wave's tables and move
    their GraphML files into ``networks_dir``.

    ``outputs`` names the file of every table: ``ties``, ``actors``,
    ``cases`` and each of :data:`~netinnov.metrics.wave.WAVE_TABLE_FILES`.
    """
    from netinnov.io import read_validated
    from netinnov.io.result_tables import write_table
    from netinnov.metrics.wave import WAVE_TABLE_FILES, chunk_tables, gather_tables

    missing = [name for name in GATHERED_TABLES if name not in outputs]
    if missing:
        raise ValueError(f"no output path for the tables {missing}")
    data = read_validated(validated_dir, wave)
    loaded = [load_intermediate(path) for path in parts]
    chunks = [part for part in loaded if not (isinstance(part, str) and part == EMPTY_CHUNK)]
    if not chunks:  # every chunk empty: the parts of one chunk of no cases, as its job would have computed them
        chunks = [chunk_tables(chunk_data(data, []), options)]
    tables = gather_tables(data, options, chunks)
    write_table(tables.ties, Path(outputs["ties"]))
    write_table(tables.actors, Path(outputs["actors"]))
    write_table(tables.cases, Path(outputs["cases"]))
    for name in WAVE_TABLE_FILES:
        write_table(tables.extra.get(name, pd.DataFrame()), Path(outputs[name]))
    networks_dir.mkdir(parents=True, exist_ok=True)
    for folder in networks_from:
        for path in sorted(Path(folder).glob("*.graphml")):
            target = networks_dir / path.name
            try:
                os.replace(path, target)
            except OSError:  # another file system
                shutil.copyfile(path, target)
    log.info("wave %s: %d chunks joined, %d cases", wave, len(loaded), len(tables.cases))


#: The tables :func:`run_gather` writes (the keys of its ``outputs``).
GATHERED_TABLES = WAVE_TABLES


def write_wave_tables(
    *, validated: Path, wave: str, parts: list[Path], networks_from: list[Path], networks: Path,
    options: dict, **tables: Path,
) -> None:  # fmt: skip
    """:func:`run_gather` with one keyword per table file (``ties=``, ``actors=``, ...,
    every name of :data:`GATHERED_TABLES`): the ``wave-tables`` step."""
    unknown = sorted(set(tables) - set(GATHERED_TABLES))
    if unknown:
        raise TypeError(f"unknown tables {unknown}")
    run_gather(Path(validated), wave, parts=[Path(p) for p in parts], networks_from=[Path(p) for p in networks_from],
               outputs={name: Path(path) for name, path in tables.items()}, networks_dir=Path(networks),
               options=options)
