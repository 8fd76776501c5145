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

from netinnov.io.result_tables import read_optional, read_table, write_table, write_tables
from netinnov.metrics.model_summaries import (
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



def model_summaries(
    *, coefficients: Path | str | None = None, fit: Path | str | None = None, qap: Path | str | None = None,
    cases: Path | str | None = None,
) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Every table of :data:`MODEL_OUTPUTS`, from the models' ``fit.csv``,
    ``coefficients.csv``, ``qap.csv`` and ``panel/cases.csv`` (each optional:
    None, or a file that does not exist, counts as none)."""
    fit, coefficients, qap, cases = (read_optional(p) if p else None for p in (fit, coefficients, qap, cases))
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


def run_model_summaries(
    *, coefficients: Path | str | None = None, fit: Path | str | None = None, qap: Path | str | None = None,
    cases: Path | str | None = None, **out: Path | str,
) -> None:  # fmt: skip
    """Write every table of :data:`MODEL_OUTPUTS` to its path: ``out_<name>=path``
    for each name of :data:`netinnov.contract.MODEL_SUMMARY_TABLES`."""
    tables = model_summaries(coefficients=coefficients, fit=fit, qap=qap, cases=cases)
    write_tables(tables, {key.removeprefix("out_"): path for key, path in out.items()})


def power_summaries(power: Path | str, summary: Path | str) -> dict[str, pd.DataFrame]:
    """Every table of :data:`POWER_OUTPUTS`, from ``models/power.csv`` and ``power_summary.csv``."""
    summary_table = read_table(Path(summary))
    power_table = read_optional(Path(power))
    if not Path(power).is_file():
        raise FileNotFoundError(f"power table not found: {power}")
    return {"mde": mde_summary(summary_table, power_table), "power_reach": power_reach(summary_table)}


def run_power_summaries(power: Path | str, summary: Path | str, **out: Path | str) -> None:
    """Write every table of :data:`POWER_OUTPUTS` to its path: ``out_<name>=path``
    for each name of :data:`netinnov.contract.POWER_SUMMARY_TABLES`."""
    write_tables(power_summaries(power, summary), {key.removeprefix("out_"): path for key, path in out.items()})


def run_validity_summaries(validity: Path | str, *, out: Path | str) -> None:
    """Write ``target_counts.csv`` of ``validity.csv`` to ``out``."""
    write_table(target_counts(read_table(Path(validity))), Path(out))
