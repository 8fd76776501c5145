"""What ``netinnov init`` reads from a dataset: its waves, outcome and actor
columns, roles and whether its records look directed.

Every input is read through the validation of the ingest step
(:func:`netinnov.io.validate_wave`), so the columns, types and rows are those
the pipeline will see (bad rows quarantined). The profile holds column names
and counts only, never a value from the data: ``netinnov init`` writes it
into comments of a config file that may be shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..io import LEADERSHIP_ROLES, discover_waves, validate_wave

__all__ = ["ColumnProfile", "DatasetProfile", "inspect_dataset"]

#: Columns the validation adds or that identify rows: never attributes or outcomes.
_NOT_ATTRIBUTES = {"actor_id", "first_wave", "line"}
_NOT_OUTCOMES = {"case_id", "line", "wave"}


@dataclass(frozen=True)
class ColumnProfile:
    """A column summarised without its values."""

    name: str
    numeric: bool
    n: int  # rows with a value
    n_missing: int
    n_distinct: int
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    n_rarest: int = 0  # rows holding the least frequent value (the smaller class of a 0/1 column)


@dataclass
class DatasetProfile:
    """Everything :mod:`netinnov.config_init.build` needs (names and counts only)."""

    waves: list[str]
    group_attribute: str
    n_actors: int
    attributes: dict[str, ColumnProfile]
    outcomes: dict[str, ColumnProfile]
    outcome_rows: dict[str, int]  # case-waves with a value, per outcome
    case_waves: int  # (wave, case) pairs with records or a roster
    role_case_waves: dict[str, int]  # case-waves in which the role is reported
    n_pairs: int = 0  # (wave, case, unordered pair) with at least one record
    n_reciprocal_pairs: int = 0  # ... recorded in both directions
    notes: list[str] = field(default_factory=list)

    @property
    def n_one_way_pairs(self) -> int:
        return self.n_pairs - self.n_reciprocal_pairs

    @property
    def directed(self) -> bool:
        """Directed when some pairs are recorded in both directions and some in one only:
        the pattern of reports (a name generator, some choices returned). A log that
        writes each pair once (no pair both ways) or every pair both ways is undirected."""
        return self.n_reciprocal_pairs > 0 and self.n_one_way_pairs > 0


def _profile(name: str, values: pd.Series) -> ColumnProfile:
    present = values.dropna()
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if pd.api.types.is_bool_dtype(values):
        present = present.astype(int)
        numeric = True
    if not numeric:
        return ColumnProfile(name, False, len(present), int(values.isna().sum()), int(present.nunique()))
    arr = present.to_numpy(dtype=float)
    arr = arr[np.isfinite(arr)]
    return ColumnProfile(
        name, True, len(arr), len(values) - len(arr), int(len(np.unique(arr))),
        integer=bool(len(arr) and np.all(arr == np.round(arr))),
        minimum=float(arr.min()) if len(arr) else None,
        maximum=float(arr.max()) if len(arr) else None,
        n_rarest=int(np.unique(arr, return_counts=True)[1].min()) if len(arr) else 0,
    )  # fmt: skip


def _pairs(interactions: pd.DataFrame, wave: str) -> set[tuple[str, str, str, str]]:
    return {(wave, str(c), str(s), str(t)) for c, s, t in
            interactions[["case_id", "source", "target"]].itertuples(index=False)}  # fmt: skip


def inspect_dataset(dataset: Path | str, *, group_attribute: str = "sector") -> DatasetProfile:
    """Profile ``dataset`` (SPEC.md input contract) for a config.

    Raises
    ------
    netinnov.io.InputError
        The dataset does not follow the input contract (no ``waves`` folder,
        a required file or column missing …), as ``netinnov validate`` says.
    """
    dataset = Path(dataset)
    waves = discover_waves(dataset)
    actors, outcomes, arcs = [], [], set()
    case_waves = 0
    roles: dict[str, int] = dict.fromkeys(LEADERSHIP_ROLES, 0)
    for wave in waves:
        data = validate_wave(dataset, wave, waves=waves, group_attribute=group_attribute, directed=True)
        actors.append(data.actors)
        cases = set(data.interactions["case_id"].astype(str))
        if data.members is not None:
            cases |= set(data.members["case_id"].astype(str))
        case_waves += len(cases)
        if data.outcomes is not None and len(data.outcomes):
            outcomes.append(data.outcomes.assign(wave=wave))
        if data.roles is not None and len(data.roles):
            for role, group in data.roles.groupby(data.roles["role"].astype(str).str.lower()):
                if role in roles:
                    roles[role] += group["case_id"].nunique()
        arcs |= _pairs(data.interactions, wave)
    every = pd.concat(actors, ignore_index=True).drop_duplicates("actor_id", keep="last")
    attributes = {c: _profile(c, every[c]) for c in every.columns if c not in _NOT_ATTRIBUTES}
    table = pd.concat(outcomes, ignore_index=True) if outcomes else pd.DataFrame()
    outcome_cols = [c for c in table.columns if c not in _NOT_OUTCOMES]
    profiles = {c: _profile(c, table[c]) for c in outcome_cols}
    pairs = {(w, c, min(s, t), max(s, t)) for w, c, s, t in arcs}
    reciprocal = sum(1 for w, c, s, t in arcs if s < t and (w, c, t, s) in arcs)
    return DatasetProfile(
        waves=waves,
        group_attribute=group_attribute,
        n_actors=len(every),
        attributes=attributes,
        outcomes=profiles,
        outcome_rows={c: p.n for c, p in profiles.items()},
        case_waves=case_waves,
        role_case_waves=roles,
        n_pairs=len(pairs),
        n_reciprocal_pairs=reciprocal,
    )
