"""The ``validity`` step: validity figures on the data at hand and on the generator.

Writes ``results/<dataset>/validity/validity.csv`` (columns of
:data:`netinnov.validity.figures.COLUMNS`, ``source`` = ``data`` or
``generator``). The data rows use the wave tables, the waves' reported roles
(``validated/roles.parquet``) and, when the dataset carries a planted truth
(``true_roles.csv``, ``true_cases.csv`` beside ``actors.csv``, given as paths
by the rule), that truth;
the generator rows come from :func:`netinnov.validity.reference.reference_figures`.
Only aggregates are written: no actor id reaches the table.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from netinnov.config import derive_seed
from netinnov.io.result_tables import read_table, wave_paths, write_table
from netinnov.options import ValidityOptions, WaveOptions
from netinnov.validity.figures import COLUMNS
from netinnov.validity.reference import reference_figures, wave_figures, wave_truth

__all__ = ["run_validity", "validity_table"]

log = logging.getLogger(__name__)


class _Tables:
    """The result tables of one wave: its ``actors.csv``, ``cases.csv`` and
    ``tie_strength_diagnostics.csv`` (the last optional)."""

    def __init__(self, actors: Path, cases: Path, diagnostics: Path | None):
        self.actors = read_table(actors)
        self.cases = read_table(cases)
        has = diagnostics is not None and Path(diagnostics).is_file()
        self.extra = {"tie_strength_diagnostics": read_table(Path(diagnostics)) if has else None}


def _reported_roles(validated: Path) -> pd.DataFrame | None:
    """The wave's reported roles (``roles.parquet`` in its ``validated/`` folder), if any."""
    path = Path(validated) / "roles.parquet"
    if not path.is_file():
        return None
    return pd.read_parquet(path, columns=["case_id", "actor_id", "role"])


def _per_wave(name: str, paths: Sequence[Path] | None, waves: Sequence[str]) -> list[Path | None]:
    """:func:`~netinnov.io.result_tables.wave_paths`, or None for every wave when the input is not given."""
    return wave_paths(name, paths, waves) if paths else [None] * len(waves)


def validity_table(
    *, waves: Sequence[str], actors: Sequence[Path], cases: Sequence[Path], options: Mapping,
    tie_strength_diagnostics: Sequence[Path] | None = None, validated: Sequence[Path] | None = None,
    true_roles: Path | None = None, true_cases: Path | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The validity figures of every wave, then of the generator.

    ``actors``, ``cases``, ``tie_strength_diagnostics`` and ``validated`` (the
    waves' ``validated/`` folders, for the reported roles) hold one path per
    wave, in the order of ``waves``. ``true_roles`` and ``true_cases``: the
    dataset's planted truth, where it has one (a path that does not exist
    counts as none). ``options``: the wave stage's config keys and
    ``validity`` (:class:`~netinnov.options.WaveOptions`,
    :class:`~netinnov.options.ValidityOptions`).
    """
    settings = ValidityOptions.of(options)
    seed = settings.seed
    n_boot = settings.bootstrap
    # with pseudonymised results the truth's raw actor ids match nobody: only case-level truth is used
    pseudonymized = settings.pseudonymize
    waves = [str(w) for w in waves]
    actors, cases = _per_wave("actors", actors, waves), _per_wave("cases", cases, waves)
    diagnostics = _per_wave("tie-strength diagnostics", tie_strength_diagnostics, waves)
    folders = _per_wave("validated", validated, waves)
    frames = []
    for i, wave in enumerate(waves):
        figures = wave_figures(
            _Tables(actors[i], cases[i], diagnostics[i]),
            roles=_reported_roles(folders[i]) if folders[i] is not None else None,
            true_roles=None if pseudonymized else wave_truth(true_roles, wave),
            true_cases=wave_truth(true_cases, wave),
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


def run_validity(
    *, waves: Sequence[str], actors: Sequence[Path], cases: Sequence[Path], out: Path, options: Mapping,
    tie_strength_diagnostics: Sequence[Path] | None = None, validated: Sequence[Path] | None = None,
    true_roles: Path | None = None, true_cases: Path | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Compute :func:`validity_table` and write it to ``out``."""
    table = validity_table(
        waves=waves, actors=actors, cases=cases, options=options, tie_strength_diagnostics=tie_strength_diagnostics,
        validated=validated, true_roles=true_roles, true_cases=true_cases,
    )
    write_table(table, out)
    met = table["meets_target"].dropna()
    log.info("validity: %d figures, %d with a target, %d of them met", len(table), len(met), int(met.astype(bool).sum()))
    return table
