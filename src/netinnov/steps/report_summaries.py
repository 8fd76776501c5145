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

from netinnov.io.result_tables import read_optional, read_table, write_table
from netinnov.metrics.summaries import (
    OUTPUTS,
    SUMMARY_METRICS,
    WAVE_OUTPUTS,
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


def _stacked(results: Path, waves: Sequence[str], name: str) -> pd.DataFrame:
    frames = []
    for w in waves:
        path = results / "waves" / str(w) / f"{name}.csv"
        if path.exists():
            t = read_table(path)
            t.insert(0, "wave", str(w))
            frames.append(t)
    if not frames:
        return pd.DataFrame({"wave": pd.Series(dtype=object)})
    return pd.concat(frames, ignore_index=True)

def _panel_table(results: Path, name: str) -> pd.DataFrame:
    path = results / "panel" / f"{name}.csv"
    return read_table(path) if path.exists() else pd.DataFrame()

def summaries(results: Path | str, waves: Sequence[str], *, group_column: str = "sector") -> dict[str, pd.DataFrame]:
    """Every table of :data:`OUTPUTS`, from ``waves/<wave>/actors.csv`` and
    ``cases.csv`` and ``panel/change.csv``, ``stability.csv`` and
    ``tie_transitions.csv`` under ``results``."""
    results = Path(results)
    if not results.is_dir():
        raise FileNotFoundError(f"results folder not found: {results}")
    waves = [str(w) for w in waves]
    actors = _stacked(results, waves, "actors")
    actors = actors.assign(betweenness_normalised=normalised_betweenness(actors))
    change, stability = _panel_table(results, "change"), _panel_table(results, "stability")
    transitions = _panel_table(results, "tie_transitions")
    return {
        "actor_counts": actor_counts(actors, group=group_column, waves=waves),
        "metric_summary": metric_summary(actors, SUMMARY_METRICS, group=group_column),
        "turnover": turnover_summary(change, waves=waves),
        "jaccard_summary": jaccard_summary(change),
        "tie_transition_summary": transition_summary(transitions, waves=waves),
        "stability_summary": stability_summary(stability),
        "role_scores": role_score_summary(actors),
        "role_presence": role_presence(_stacked(results, waves, "cases")),
    }

def run_report_summaries(
    results: Path | str, waves: Sequence[str], *, out_dir: Path | str | None = None, group_column: str = "sector"
) -> None:
    """Write every table of :data:`OUTPUTS` to ``out_dir`` (default ``<results>/panel``)."""
    tables = summaries(results, waves, group_column=group_column)
    folder = Path(out_dir) if out_dir else Path(results) / "panel"
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_table(table, folder / OUTPUTS[name])

def wave_summaries(wave_dir: Path | str, *, group_column: str = "sector", alpha: float = 0.05
                   ) -> dict[str, pd.DataFrame]:
    """Every table of :data:`WAVE_OUTPUTS` from the wave's ``cases.csv``,
    ``actors.csv``, ``ties.csv``, ``phases.csv``, ``rejected.csv`` and
    ``mixing_tests.csv`` (the last three optional)."""
    folder = Path(wave_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"wave folder not found: {folder}")
    cases, actors, ties = (read_table(folder / f"{name}.csv") for name in ("cases", "actors", "ties"))
    for frame in (cases, actors, ties):
        if "case_id" in frame.columns:
            frame["case_id"] = frame["case_id"].astype(str)
    phases, rejected = read_optional(folder / "phases.csv"), read_optional(folder / "rejected.csv")
    mixing = read_optional(folder / "mixing_tests.csv")
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

def run_wave_summaries(wave_dir: Path | str, *, out_dir: Path | str | None = None, group_column: str = "sector",
                       alpha: float = 0.05) -> None:
    """Write every table of :data:`WAVE_OUTPUTS` to ``out_dir`` (default: the wave's folder)."""
    tables = wave_summaries(wave_dir, group_column=group_column, alpha=alpha)
    folder = Path(out_dir) if out_dir else Path(wave_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_table(table, folder / WAVE_OUTPUTS[name])
