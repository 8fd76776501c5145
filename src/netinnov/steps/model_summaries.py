"""The ``model_summaries``, ``power_summaries`` and ``validity_summaries`` steps:
the numbers of the models, power and validity pages as tables.

``model_summaries`` writes, under ``results/<dataset>/models/``, the tables of
:data:`netinnov.metrics.model_summaries.MODEL_OUTPUTS`; ``power_summaries``
(opt-in, with the power simulation) those of
:data:`~netinnov.metrics.model_summaries.POWER_OUTPUTS`; ``validity_summaries``
writes ``validity/target_counts.csv``. The summaries themselves are
:mod:`netinnov.metrics.model_summaries`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_optional, read_table, write_table
from netinnov.metrics.model_summaries import (
    MODEL_OUTPUTS,
    POWER_OUTPUTS,
    VALIDITY_OUTPUTS,
    collapse_cases,
    mde_summary,
    model_counts,
    not_estimated,
    power_reach,
    small_sample,
    split_qap,
    target_counts,
)

__all__ = [
    "model_summaries",
    "power_summaries",
    "run_model_summaries",
    "run_power_summaries",
    "run_validity_summaries",
]



def _write(tables: dict[str, pd.DataFrame], names: dict[str, str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_table(table, folder / names[name])


def model_summaries(results: Path | str) -> dict[str, pd.DataFrame]:
    """Every table of :data:`MODEL_OUTPUTS`, from ``models/fit.csv``,
    ``coefficients.csv``, ``qap.csv`` and ``panel/cases.csv`` under ``results``
    (each optional)."""
    results = Path(results)
    if not results.is_dir():
        raise FileNotFoundError(f"results folder not found: {results}")
    folder = results / "models"
    fit, coefficients, qap = (read_optional(folder / f"{name}.csv") for name in ("fit", "coefficients", "qap"))
    cases = read_optional(results / "panel" / "cases.csv")
    n_cases = float(cases["case_id"].nunique()) if cases is not None and "case_id" in cases.columns else None
    if qap is not None and len(qap):
        qap_empty = split_qap(qap)[2]
    else:
        qap_empty = pd.DataFrame(columns=["model", "wave", "reason", "cases"])
    return {
        "small_sample": small_sample(fit, coefficients, n_cases=n_cases),
        "qap_not_estimated": qap_empty,
        "not_estimated": collapse_cases(not_estimated(fit, qap)),
        "model_summary": model_counts(n_cases, qap_empty),
    }


def run_model_summaries(results: Path | str, *, out_dir: Path | str | None = None) -> None:
    """Write every table of :data:`MODEL_OUTPUTS` to ``out_dir`` (default ``<results>/models``)."""
    _write(model_summaries(results), MODEL_OUTPUTS, Path(out_dir) if out_dir else Path(results) / "models")


def power_summaries(power: Path | str, summary: Path | str) -> dict[str, pd.DataFrame]:
    """Every table of :data:`POWER_OUTPUTS`, from ``models/power.csv`` and ``power_summary.csv``."""
    summary_table = read_table(Path(summary))
    power_table = read_optional(Path(power))
    if not Path(power).is_file():
        raise FileNotFoundError(f"power table not found: {power}")
    return {"mde": mde_summary(summary_table, power_table), "power_reach": power_reach(summary_table)}


def run_power_summaries(power: Path | str, summary: Path | str, *, out_dir: Path | str | None = None) -> None:
    """Write every table of :data:`POWER_OUTPUTS` to ``out_dir`` (default: the folder of ``summary``)."""
    _write(power_summaries(power, summary), POWER_OUTPUTS, Path(out_dir) if out_dir else Path(summary).parent)


def run_validity_summaries(validity: Path | str, *, out: Path | str | None = None) -> None:
    """Write ``target_counts.csv`` of ``validity.csv`` to ``out`` (default: beside it)."""
    table = read_table(Path(validity))
    path = Path(out) if out else Path(validity).parent / VALIDITY_OUTPUTS["target_counts"]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_table(target_counts(table), path)
