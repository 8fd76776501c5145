"""The ``power`` step: ``models/power.csv`` and ``power_summary.csv`` from ``models/features.csv``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from netinnov.io.formulas import guard
from netinnov.io.result_tables import read_table
from netinnov.models.power import power_settings, power_tables
from netinnov.options import PowerOptions

__all__ = ["run_power"]

log = logging.getLogger(__name__)


def run_power(
    features: Path | str,
    waves: Sequence[str] = (),
    *,
    options: PowerOptions | Mapping[str, Any],
    out: Path | str,
    summary_out: Path | str | None = None,
    **overrides: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``netinnov power``: read ``features`` (``models/features.csv``), write ``out``
    (``power.csv``) and ``summary_out`` (``power_summary.csv``; default beside ``out``).

    Options (config keys): ``models``, ``seed``, ``small_cluster_max`` and
    ``power`` (:func:`power_settings`); ``overrides`` (``datasets``, ``grid``,
    ``icc``, ``alpha``, ``power``, ``n_cases``) win over ``power``.
    """
    options = PowerOptions.of(options)
    settings = power_settings(options.power, **overrides)
    power, summary = power_tables(
        read_table(Path(features)),
        list(options.models),
        settings,
        seed=options.seed,
        waves=[str(w) for w in waves] or None,
        small_cluster_max=options.small_cluster_max,
    )
    out = Path(out)
    summary_out = Path(summary_out) if summary_out else out.with_name("power_summary.csv")
    for table, path in ((power, out), (summary, summary_out)):
        path.parent.mkdir(parents=True, exist_ok=True)
        guard(table).to_csv(path, index=False, lineterminator="\n")  # neutralize_formulas
    failed = (
        int(pd.to_numeric(power["n_failed"], errors="coerce").fillna(0).sum()) if len(power) else 0
    )
    log.info(
        "power: %d models, %d terms, %d datasets per effect; %d fits failed (counted as not detected)",
        power["model"].nunique() if len(power) else 0,
        len(summary),
        settings.datasets,
        failed,
    )
    return power, summary
