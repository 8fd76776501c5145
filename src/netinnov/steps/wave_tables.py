"""The one-job wave step: read a wave's validated inputs, write its tables and GraphML.

The pipeline runs the wave as per-case-chunk jobs (:mod:`netinnov.steps.wave_chunks`);
:func:`run_wave` is the same computation in one process, for one wave by
hand (``netinnov wave``). The tables are those of :mod:`netinnov.metrics.wave`
(SPEC.md column names).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netinnov.io import read_validated
from netinnov.io.result_tables import write_table
from netinnov.metrics.wave import (
    WAVE_TABLE_FILES,
    WaveTables,
    _wave_phases,
    chunk_graphml_tables,
    chunk_tables,
    gather_tables,
)
from netinnov.networks.graphml import write_graphml

__all__ = ["run_wave"]


def run_wave(
    wave_dir: Path,
    wave: str,
    *,
    previous_dir: Path | None = None,
    previous_wave: str | None = None,
    options: dict,
) -> WaveTables:
    """Read ``<wave_dir>/validated``, write the wave's tables and GraphML files."""
    data = read_validated(wave_dir, wave)
    previous = read_validated(previous_dir, previous_wave) if previous_dir is not None else None
    phases = _wave_phases(data, options)  # as wave_tables does, keeping the parts for the GraphML files
    parts = chunk_tables(data, options, previous)
    tables = gather_tables(data, options, [parts], phases=phases)
    write_table(tables.ties, wave_dir / "ties.csv")
    write_table(tables.actors, wave_dir / "actors.csv")
    write_table(tables.cases, wave_dir / "cases.csv")
    for name in WAVE_TABLE_FILES:
        write_table(tables.extra.get(name, pd.DataFrame()), wave_dir / f"{name}.csv")
    actors, ties = chunk_graphml_tables(data, parts)
    write_graphml(tables.networks, wave_dir / "networks", actors=actors, ties=ties)
    return tables
