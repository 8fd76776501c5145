"""The ``report_summaries`` and ``wave_summaries`` steps: every number of the report pages as a table.

``report_summaries`` writes, under ``results/<dataset>/panel/``, the tables of
:data:`netinnov.metrics.summaries.OUTPUTS` (distributions, panel and roles
pages); ``wave_summaries`` writes, in each wave's folder, those of
:data:`~netinnov.metrics.summaries.WAVE_OUTPUTS` (the wave overview). The
summaries themselves are :mod:`netinnov.metrics.summaries`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_optional, read_table, wave_paths, write_tables
from netinnov.metrics.summaries import (
    SUMMARY_METRICS,
    actor_counts,
    case_counts,
    case_measures,
    jaccard_summary,
    metric_summary,
    mixing_summary,
    normalised_betweenness,
    quality_checks,
    rejected_counts,
    role_presence,
    role_score_summary,
    stability_summary,
    transition_summary,
    turnover_summary,
    wave_counts,
)

__all__ = ["run_report_summaries", "run_wave_summaries", "summaries", "wave_summaries"]


def _stacked(name: str, paths: Sequence[Path | str], waves: Sequence[str]) -> pd.DataFrame:
    """One table per wave (``paths`` in wave order), stacked with a leading ``wave`` column."""
    frames = []
    for w, path in zip(waves, wave_paths(name, paths, waves), strict=True):
        t = read_table(path)
        t.insert(0, "wave", str(w))
        frames.append(t)
    if not frames:
        return pd.DataFrame({"wave": pd.Series(dtype=object)})
    return pd.concat(frames, ignore_index=True)


def _optional(path: Path | str) -> pd.DataFrame:
    """A panel table, or an empty one when the file does not exist or is empty."""
    table = read_optional(path)
    return pd.DataFrame() if table is None else table


def summaries(
    *, actors: Sequence[Path | str], cases: Sequence[Path | str], waves: Sequence[str], change: Path | str,
    stability: Path | str, tie_transitions: Path | str, group_column: str = "sector",
) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Every table of :data:`OUTPUTS`, from each wave's ``actors.csv`` and
    ``cases.csv`` (in wave order) and the panel's ``change.csv``,
    ``stability.csv`` and ``tie_transitions.csv`` (a panel table that does not
    exist counts as empty)."""
    waves = [str(w) for w in waves]
    actor_table = _stacked("actors", actors, waves)
    actor_table = actor_table.assign(betweenness_normalised=normalised_betweenness(actor_table))
    change_table, stability_table, transitions = (_optional(p) for p in (change, stability, tie_transitions))
    return {
        "actor_counts": actor_counts(actor_table, group=group_column, waves=waves),
        "metric_summary": metric_summary(actor_table, SUMMARY_METRICS, group=group_column),
        "turnover": turnover_summary(change_table, waves=waves),
        "jaccard_summary": jaccard_summary(change_table),
        "tie_transition_summary": transition_summary(transitions, waves=waves),
        "stability_summary": stability_summary(stability_table),
        "role_scores": role_score_summary(actor_table),
        "role_presence": role_presence(_stacked("cases", cases, waves)),
    }


def run_report_summaries(
    *, actors: Sequence[Path | str], cases: Sequence[Path | str], waves: Sequence[str], change: Path | str,
    stability: Path | str, tie_transitions: Path | str, group_column: str = "sector", **out: Path | str,
) -> None:  # fmt: skip
    """Write every table of :data:`OUTPUTS` to its path: ``out_<name>=path`` for
    each name of :data:`netinnov.contract.REPORT_SUMMARY_TABLES`."""
    tables = summaries(actors=actors, cases=cases, waves=waves, change=change, stability=stability,
                       tie_transitions=tie_transitions, group_column=group_column)
    write_tables(tables, _outputs(out))


def _outputs(out: dict[str, Path | str]) -> dict[str, Path | str]:
    """``out_<name>`` keywords (the CLI's ``--out-<name>``) as ``{name: path}``."""
    return {key.removeprefix("out_"): path for key, path in out.items()}


def wave_summaries(
    *, cases: Path | str, actors: Path | str, ties: Path | str, phases: Path | str | None = None,
    rejected: Path | str | None = None, mixing_tests: Path | str | None = None, group_column: str = "sector",
    alpha: float = 0.05,
) -> dict[str, pd.DataFrame]:  # fmt: skip
    """Every table of :data:`WAVE_OUTPUTS` from the wave's ``cases.csv``,
    ``actors.csv``, ``ties.csv``, ``phases.csv``, ``rejected.csv`` and
    ``mixing_tests.csv`` (the last three optional: None, or a file that does
    not exist, counts as none)."""
    cases, actors, ties = (read_table(Path(p)) for p in (cases, actors, ties))
    for frame in (cases, actors, ties):
        if "case_id" in frame.columns:
            frame["case_id"] = frame["case_id"].astype(str)
    phases, rejected, mixing = (read_optional(p) if p else None for p in (phases, rejected, mixing_tests))
    mixed = mixing_summary(mixing, alpha=alpha) if mixing is not None and {"test", "p_value", "q_value"} <= set(
        mixing.columns) else mixing_summary(pd.DataFrame(columns=["test", "p_value", "q_value"]), alpha=alpha)
    mixed = mixed.rename(columns={f"p <= {alpha:g}": "p_at_most_alpha", f"q <= {alpha:g}": "q_at_most_alpha"})
    mixed.insert(2, "alpha", alpha)
    return {
        "wave_counts": wave_counts(cases, actors, ties),
        "quality_checks": quality_checks(cases, actors, ties, phases, group_attribute=group_column),
        "case_measures": case_measures(cases),
        "mixing_summary": mixed,
        "rejected_counts": rejected_counts(rejected if rejected is not None else pd.DataFrame()),
        "case_counts": case_counts(cases, actors, ties),
    }


def run_wave_summaries(
    *, cases: Path | str, actors: Path | str, ties: Path | str, phases: Path | str | None = None,
    rejected: Path | str | None = None, mixing_tests: Path | str | None = None, group_column: str = "sector",
    alpha: float = 0.05, **out: Path | str,
) -> None:  # fmt: skip
    """Write every table of :data:`WAVE_OUTPUTS` to its path: ``out_<name>=path``
    for each name of :data:`netinnov.contract.WAVE_SUMMARY_TABLES`."""
    tables = wave_summaries(cases=cases, actors=actors, ties=ties, phases=phases, rejected=rejected,
                            mixing_tests=mixing_tests, group_column=group_column, alpha=alpha)
    write_tables(tables, _outputs(out))
