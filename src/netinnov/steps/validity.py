"""The ``validity`` step: validity figures on the data at hand and on the generator.

Writes ``results/<dataset>/validity/validity.csv`` (columns of
:data:`netinnov.validity.figures.COLUMNS`, ``source`` = ``data`` or
``generator``). The data rows use the wave tables, the waves' reported roles
(``validated/roles.parquet``) and, when the dataset carries a planted truth
(``true_roles.csv``, ``true_cases.csv`` beside ``actors.csv``), that truth;
the generator rows come from :func:`netinnov.validity.reference.reference_figures`.
Only aggregates are written: no actor id reaches the table.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from netinnov.config import derive_seed
from netinnov.io.result_tables import read_table, write_table
from netinnov.options import ValidityOptions, WaveOptions
from netinnov.validity.figures import COLUMNS
from netinnov.validity.reference import _truth, reference_figures, wave_figures

__all__ = ["run_validity", "validity_table"]

log = logging.getLogger(__name__)


class _Tables:
    """The result tables of one wave, read back from ``results/<dataset>/waves/<wave>``."""

    def __init__(self, folder: Path):
        self.actors = read_table(folder / "actors.csv")
        self.cases = read_table(folder / "cases.csv")
        diagnostics = folder / "tie_strength_diagnostics.csv"
        self.extra = {"tie_strength_diagnostics": read_table(diagnostics) if diagnostics.is_file() else None}


def _reported_roles(folder: Path) -> pd.DataFrame | None:
    path = folder / "validated" / "roles.parquet"
    if not path.is_file():
        return None
    return pd.read_parquet(path, columns=["case_id", "actor_id", "role"])


def validity_table(results: Path, waves: list[str], dataset: Path, options: Mapping) -> pd.DataFrame:
    """The validity figures of every wave of a results folder, then of the generator.

    ``options``: the wave stage's config keys and ``validity``
    (:class:`~netinnov.options.WaveOptions`, :class:`~netinnov.options.ValidityOptions`).
    """
    settings = ValidityOptions.of(options)
    seed = settings.seed
    n_boot = settings.bootstrap
    # with pseudonymised results the truth's raw actor ids match nobody: only case-level truth is used
    pseudonymized = settings.pseudonymize
    frames = []
    for wave in waves:
        folder = results / "waves" / wave
        true_roles = None if pseudonymized else _truth(dataset, "true_roles.csv", wave)
        true_cases = _truth(dataset, "true_cases.csv", wave)
        figures = wave_figures(
            _Tables(folder),
            roles=_reported_roles(folder),
            true_roles=true_roles,
            true_cases=true_cases,
            null_holds=False,
            n_boot=n_boot,
            seed=derive_seed(seed, "validity", wave),
        )
        if len(figures):
            figures.insert(0, "wave", wave)
            figures.insert(0, "source", "data")
            frames.append(figures)
    reference = reference_figures(
        WaveOptions.of(options),
        n_cases=settings.reference_cases,
        n_waves=settings.reference_waves,
        n_boot=n_boot,
    )
    if len(reference):
        frames.append(reference)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def run_validity(results: Path, waves: list[str], dataset: Path, out: Path, options: Mapping) -> pd.DataFrame:
    """Compute :func:`validity_table` and write it to ``out``."""
    table = validity_table(results, waves, dataset, options)
    write_table(table, out)
    met = table["meets_target"].dropna()
    log.info("validity: %d figures, %d with a target, %d of them met", len(table), len(met), int(met.astype(bool).sum()))
    return table
