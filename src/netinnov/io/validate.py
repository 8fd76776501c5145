"""Validating a whole wave, and every wave of a dataset.

Files are validated in this order, each with what the earlier ones decided:
``actors.csv``, ``waves/<w>/actors.csv``, ``members.csv`` (case rosters),
``interactions.csv``, ``participation.csv``, ``roles.csv`` and
``outcomes.csv`` (whose cases must have records or a roster in the wave).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .checker import REJECTED_COLUMNS, FileResult, Roster, fill_empty
from .errors import BadRowError, InputError
from .read import STRING, read_raw_table
from .registry import ActorRegistry
from .rules import (
    check_interactions,
    check_members,
    check_outcomes,
    check_participation,
    check_roles,
)
from .summary import format_summary, summary_frame
from .vector import value_set
from .wave_order import discover_waves

__all__ = ["ON_BAD_ROWS", "WaveData", "validate_dataset", "validate_wave"]

#: Accepted values of ``on_bad_rows``.
ON_BAD_ROWS = ("quarantine", "fail")


@dataclass
class WaveData:
    """The validated inputs of one wave.

    Attributes
    ----------
    wave
        The wave's name.
    actors
        Every actor known at this wave: ``actor_id``, the group attribute
        (``sector``), ``organization``, other columns, ``first_wave``.
    interactions
        ``case_id, source, target, frequency, duration_min, closeness,
        channel, phase, date``, extra columns, ``line``.
    participation, roles, outcomes, members
        The optional files' accepted rows (with ``line``), or None when the
        wave has no such file.
    rejected
        ``file, line, reason`` then the raw fields of every rejected row.
    summary
        One row per file and reason: ``wave, file, rows_read, accepted,
        rejected, reason, n``.
    """

    wave: str
    actors: pd.DataFrame
    interactions: pd.DataFrame
    participation: pd.DataFrame | None
    roles: pd.DataFrame | None
    outcomes: pd.DataFrame | None
    members: pd.DataFrame | None
    rejected: pd.DataFrame
    summary: pd.DataFrame


def _check_options(on_bad_rows: str) -> None:
    if on_bad_rows not in ON_BAD_ROWS:
        raise ValueError(f"on_bad_rows must be one of {ON_BAD_ROWS}, got {on_bad_rows!r}")


def validate_wave(
    dataset: Path | str,
    wave: str,
    *,
    waves: list[str] | None = None,
    on_bad_rows: str = "quarantine",
    group_attribute: str = "sector",
    directed: bool = False,
) -> WaveData:
    """Read and validate every input file of one wave.

    Parameters
    ----------
    dataset
        The dataset directory (SPEC.md "Input").
    wave
        The wave to validate.
    waves
        The wave order (config ``waves``); default: the wave folders in
        natural order. Actors of ``waves/<v>/actors.csv`` are known from wave
        ``v`` on.
    on_bad_rows
        ``quarantine`` (bad rows go to ``rejected``) or ``fail`` (raise
        InputError naming the first bad row).
    group_attribute
        The actors' column used as group; required in ``actors.csv``.
    directed
        Whether records are directed reports. Validation is the same either
        way: a pair reported in both directions is two rows, never duplicates.

    Raises
    ------
    InputError
        A structural error (missing required file or column, unreadable, not
        UTF-8, empty), or with ``on_bad_rows="fail"`` a bad row.
    """
    _check_options(on_bad_rows)
    dataset = Path(dataset)
    order = discover_waves(dataset, waves)
    registry = ActorRegistry(dataset, order, group_attribute)
    return _validate(dataset, wave, registry, on_bad_rows)


def validate_dataset(
    dataset: Path | str,
    *,
    waves: list[str] | None = None,
    on_bad_rows: str = "quarantine",
    group_attribute: str = "sector",
    directed: bool = False,
) -> tuple[dict[str, WaveData | InputError], str]:
    """Validate every wave of a dataset.

    Returns
    -------
    results
        For each wave in order, its :class:`WaveData` or the InputError that
        stopped it.
    summary
        The human-readable summary (:func:`~netinnov.io.summary.format_summary`).

    Raises
    ------
    InputError
        When the waves themselves cannot be found (no ``waves`` folder, a
        configured wave without a folder).
    """
    _check_options(on_bad_rows)
    dataset = Path(dataset)
    order = discover_waves(dataset, waves)
    registry = ActorRegistry(dataset, order, group_attribute)
    results: dict[str, WaveData | InputError] = {}
    for wave in order:
        try:
            results[wave] = _validate(dataset, wave, registry, on_bad_rows)
        except InputError as err:
            results[wave] = err
    return results, format_summary(results, dataset)


def _optional(dataset: Path, file: str):
    path = dataset / file
    return read_raw_table(path, file) if path.exists() else None


def _validate(dataset: Path, wave: str, registry: ActorRegistry, on_bad_rows: str) -> WaveData:
    base, own, actors = registry.upto(wave)
    actor_ids = value_set(actors["actor_id"])
    folder = f"waves/{wave}"
    results: list[FileResult] = [base] + ([own] if own is not None else [])

    members = roster = None
    table = _optional(dataset, f"{folder}/members.csv")
    if table is not None:
        members = check_members(table, actor_ids)
        results.append(members)
        roster = Roster.from_members(members.accepted)

    interactions = check_interactions(
        read_raw_table(dataset / folder / "interactions.csv", f"{folder}/interactions.csv"),
        actor_ids,
        roster,
    )
    results.append(interactions)

    participation = None
    table = _optional(dataset, f"{folder}/participation.csv")
    if table is not None:
        participation = check_participation(table, actor_ids, roster)
        results.append(participation)

    cases = value_set(
        *(r.accepted["case_id"] for r in (interactions, participation, members) if r is not None)
    )
    roles = outcomes = None
    table = _optional(dataset, f"{folder}/roles.csv")
    if table is not None:
        roles = check_roles(table, actor_ids, cases, roster)
        results.append(roles)
    table = _optional(dataset, f"{folder}/outcomes.csv")
    if table is not None:
        outcomes = check_outcomes(table, cases)
        results.append(outcomes)

    if on_bad_rows == "fail":
        _raise_first_bad(dataset, results)
    return WaveData(
        wave=wave,
        actors=actors,
        interactions=interactions.accepted,
        participation=None if participation is None else participation.accepted,
        roles=None if roles is None else roles.accepted,
        outcomes=None if outcomes is None else outcomes.accepted,
        members=None if members is None else members.accepted,
        rejected=combine_rejected([r.rejected for r in results if r.n_rejected]),
        summary=summary_frame(wave, results),
    )


def combine_rejected(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack files' rejected rows: ``file, line, reason``, then the union of raw fields.

    Fields a file does not have are empty text.
    """
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(
            {c: pd.Series([], dtype=np.int64 if c == "line" else STRING) for c in REJECTED_COLUMNS}
        )
    out = pd.concat(parts, ignore_index=True)
    fields = [c for c in out.columns if c not in REJECTED_COLUMNS]
    return fill_empty(out, fields, parts)


def _raise_first_bad(dataset: Path, results: list[FileResult]) -> None:
    total = sum(r.n_rejected for r in results)
    for result in results:
        first = result.first_bad()
        if first is None:
            continue
        line, reason, column = first
        more = total - 1
        tail = (
            (
                f" ({more} more bad row{'s' if more != 1 else ''} in this wave; with "
                "on_bad_rows: quarantine they go to rejected.csv)"
            )
            if more
            else ""
        )
        raise BadRowError(
            f"bad row: {reason}{tail}",
            result.file,
            line=line,
            column=column,
            path=str(dataset / result.file),
        )
