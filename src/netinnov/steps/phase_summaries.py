"""The cross-wave summaries of participation by phase (issue 15, item 5).

Written by a step, so that every number the phases report shows is a table
under ``results/`` and in the manifest (the notebook only reads and draws):

``panel/phase_summary.csv``
    per wave, measure (``actor_share``, ``tie_share``, ``activity_share``,
    ``rate``: the columns of ``phases.csv``), phase and group: the mean over
    the cases with records in the phase, its sd and 95 % t interval
    (:func:`netinnov.metrics.phase_tests.phase_share_summary`).
``panel/group_involvement.csv``
    per wave and phase: how many cases involve the ``involvement_group``
    (default ``citizen``: end users) and its mean shares
    (:func:`netinnov.metrics.phase_tests.group_involvement`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_table, write_table
from netinnov.metrics.phase_tests import group_involvement, phase_share_summary

__all__ = ["MEASURES", "involvement_table", "run_phase_summaries", "summary_table"]

#: The share columns of ``phases.csv`` summarised, in this order.
MEASURES = ("actor_share", "tie_share", "activity_share", "rate")


def _stacked(phases: Sequence[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    frames = [t.assign(wave=str(w))[["wave", *t.columns]] for w, t in phases if len(t)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"wave": pd.Series(dtype=object)})


def summary_table(phases: Sequence[tuple[str, pd.DataFrame]], *, group_column: str = "sector") -> pd.DataFrame:
    """``wave, measure, phase, <group_column>, n_cases, mean, sd, ci_low, ci_high``
    of every measure present, from ``(wave, phases.csv)`` pairs in wave order."""
    stacked = _stacked(phases)
    columns = ["wave", "measure", "phase", group_column, "n_cases", "mean", "sd", "ci_low", "ci_high"]
    parts = []
    for measure in MEASURES:
        if measure in stacked.columns and group_column in stacked.columns:
            part = phase_share_summary(stacked, measure=measure, group_column=group_column)
            part.insert(1, "measure", measure)
            parts.append(part)
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def involvement_table(
    phases: Sequence[tuple[str, pd.DataFrame]], *, group: str = "citizen", group_column: str = "sector"
) -> pd.DataFrame:
    """:func:`~netinnov.metrics.phase_tests.group_involvement` of ``group`` per wave,
    with a leading ``wave`` column."""
    frames = []
    for w, table in phases:
        if len(table) and group_column in table.columns:
            part = group_involvement(table, group=group, group_column=group_column)
            part.insert(0, "wave", str(w))
            frames.append(part)
    if not frames:
        return pd.DataFrame(columns=["wave", "group", "phase", "n_cases", "cases_involved", "involved_share",
                                     "mean_actor_share"])
    return pd.concat(frames, ignore_index=True)


def run_phase_summaries(
    phase_files: Sequence[Path | str],
    waves: Sequence[str],
    *,
    summary_out: Path | str,
    involvement_out: Path | str,
    group_column: str = "sector",
    involvement_group: str = "citizen",
) -> None:
    """Read each wave's ``phases.csv`` (``phase_files`` in the order of ``waves``)
    and write both tables."""
    if len(phase_files) != len(waves):
        raise ValueError(f"{len(phase_files)} phases files for {len(waves)} waves")
    phases = [(str(w), read_table(Path(p))) for w, p in zip(waves, phase_files, strict=True)]
    write_table(summary_table(phases, group_column=group_column), Path(summary_out))
    write_table(
        involvement_table(phases, group=involvement_group, group_column=group_column), Path(involvement_out)
    )
