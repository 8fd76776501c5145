"""Validity figures on the generator: data whose planted truth is known.

:func:`reference_figures` writes a small synthetic dataset with
``netinnov simulate`` (no homophily, so that the mixing tests' null holds;
sectors still differ in activity), runs validation and the wave tables on it
in this process with the pipeline's own options, and compares the measures
with the planted truth. The generator makes roles, types and ties from latent
behaviour plus noise and does not contain the measures' formulas, so the
figures say how well the measures recover what happened — not how well they
recover themselves.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from netinnov.options import WaveOptions
from netinnov.validity.figures import (
    mixing_figures,
    role_figures,
    tie_strength_figures,
    type_figures,
)

__all__ = ["reference_figures", "wave_figures", "wave_truth"]


def wave_figures(
    tables,
    *,
    roles: pd.DataFrame | None,
    true_roles: pd.DataFrame | None,
    true_cases: pd.DataFrame | None,
    null_holds: bool,
    n_boot: int,
    seed: int,
) -> pd.DataFrame:
    """Every validity figure of one wave, from its tables (``netinnov.metrics.wave.WaveTables``
    or any object with ``actors``, ``cases`` and ``extra``)."""
    frames = []
    if roles is not None and len(roles):
        frames.append(role_figures(tables.actors, tables.cases, roles, criterion="reported", n_boot=n_boot, seed=seed))
    if true_roles is not None and true_cases is not None:
        surveyed = set(true_cases["case_id"].astype(str))
        frames.append(role_figures(tables.actors, tables.cases, true_roles, criterion="planted",
                                   surveyed=surveyed, n_boot=n_boot, seed=seed))
    frames.append(type_figures(tables.cases, true_cases))
    mixing_cases = tables.cases
    if null_holds and true_cases is not None:
        # the convener's invitations and the catalyst's recruits cross sectors by design: the
        # null of no same-sector preference holds in the cases that have neither role
        free = true_cases.loc[
            (true_cases.get("convener_present", 0) == 0) & (true_cases.get("catalyst_present", 0) == 0), "case_id"
        ]
        mixing_cases = tables.cases[tables.cases["case_id"].astype(str).isin(set(free.astype(str)))]
    frames.append(mixing_figures(mixing_cases, null_holds=null_holds))
    frames.append(tie_strength_figures(tables.extra.get("tie_strength_diagnostics")))
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def wave_truth(path: Path | str | None, wave: str) -> pd.DataFrame | None:
    """The rows of ``wave`` of a planted-truth file (``true_roles.csv``,
    ``true_cases.csv``; all rows when it has no ``wave`` column), or None when
    there is no such file."""
    if path is None or not Path(path).is_file():
        return None
    truth = pd.read_csv(path, dtype={"case_id": str, "actor_id": str, "wave": str})
    return truth[truth["wave"] == wave].reset_index(drop=True) if "wave" in truth.columns else truth


def _truth(dataset: Path, name: str, wave: str) -> pd.DataFrame | None:
    return wave_truth(dataset / name, wave)


def reference_figures(
    options: WaveOptions | Mapping, *, n_cases: int, n_waves: int, n_boot: int = 500
) -> pd.DataFrame:
    """Validity figures of the pipeline's measures on a generated dataset.

    Parameters
    ----------
    options
        The wave step's options (the config keys of ``netinnov wave``); its
        ``seed`` seeds the generator.
    n_cases, n_waves
        Size of the generated dataset (0 cases: an empty table).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`wave_figures` for every wave, with ``source =
        "generator"`` and ``wave``.
    """
    if n_cases <= 0 or n_waves <= 0:
        return pd.DataFrame()
    from netinnov.config import derive_seed
    from netinnov.io import validate_wave
    from netinnov.metrics.wave import wave_tables
    from netinnov.simulate import simulate_dataset

    options = WaveOptions.of(options)
    seed = derive_seed(options.seed, "validity_reference")
    opts = dataclasses.replace(options, directed=True, group_attribute="sector")
    frames = []
    with tempfile.TemporaryDirectory(prefix="netinnov-validity-") as tmp:
        dataset = Path(tmp) / "reference"
        simulate_dataset(dataset, seed=seed, n_cases=n_cases, n_waves=n_waves, bad_rows=False, homophily=0.0)
        waves = sorted(p.name for p in (dataset / "waves").iterdir())
        previous = None
        for wave in waves:
            data = validate_wave(dataset, wave, waves=waves, directed=True)
            tables = wave_tables(data, opts, previous=previous)
            figures = wave_figures(
                tables,
                roles=data.roles,
                true_roles=_truth(dataset, "true_roles.csv", wave),
                true_cases=_truth(dataset, "true_cases.csv", wave),
                null_holds=True,
                n_boot=n_boot,
                seed=derive_seed(seed, "validity", wave),
            )
            figures.insert(0, "wave", wave)
            frames.append(figures)
            previous = data
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "source", "generator")
    return out
