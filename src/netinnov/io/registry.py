"""The actors known at each wave: ``actors.csv`` plus the waves' own ``actors.csv``.

Actors of the dataset's ``actors.csv`` are known in every wave (their
``first_wave`` is the first wave); an actor listed in ``waves/<v>/actors.csv``
is known from wave ``v`` on. An actor listed again in a later wave keeps its
first row (and must keep its group, else the later row is rejected).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .checker import FileResult
from .errors import InputError
from .read import read_raw_table
from .rules import check_actors, combine_actors

__all__ = ["ActorRegistry"]


class ActorRegistry:
    """Validates the actor files of a dataset once, wave by wave, in wave order.

    Parameters
    ----------
    dataset
        The dataset directory.
    waves
        All waves in order.
    group_attribute
        The actors' column used as group (``sector`` by default).
    """

    def __init__(self, dataset: Path, waves: list[str], group_attribute: str = "sector") -> None:
        self.dataset = Path(dataset)
        self.waves = list(waves)
        self.group_attribute = group_attribute
        self._base: FileResult | InputError | None = None
        self._rows: list[pd.DataFrame] = []  # accepted text rows so far, first_wave set
        self._done: dict[str, tuple[FileResult | None, int] | InputError] = {}

    def base(self) -> FileResult:
        """The result of the dataset's ``actors.csv`` (raises its InputError)."""
        if self._base is None:
            try:
                table = read_raw_table(self.dataset / "actors.csv", "actors.csv")
                result = check_actors(table, self.group_attribute)
            except InputError as err:
                self._base = err
            else:
                first = self.waves[0] if self.waves else None
                rows = result.accepted.copy()
                rows["first_wave"] = first
                self._rows = [rows]
                self._base = result
        if isinstance(self._base, InputError):
            raise self._base
        return self._base

    def upto(self, wave: str) -> tuple[FileResult, FileResult | None, pd.DataFrame]:
        """Actor files' results for ``wave`` and the typed actors known at it.

        Returns
        -------
        base
            Result of the dataset's ``actors.csv``.
        own
            Result of ``waves/<wave>/actors.csv``, or None when there is none.
        actors
            All actors known at ``wave`` (see :func:`~netinnov.io.rules.combine_actors`).
        """
        if wave not in self.waves:
            raise InputError(f"wave '{wave}' is not among the waves {self.waves}", f"waves/{wave}")
        base = self.base()
        for earlier in self.waves[: self.waves.index(wave) + 1]:
            if earlier not in self._done:
                self._done[earlier] = self._add(earlier)
            state = self._done[earlier]
            if isinstance(state, InputError):
                raise state
        own, count = self._done[wave]  # type: ignore[misc]
        actors = combine_actors(self._rows[:count], self.group_attribute)
        return base, own, actors

    def _add(self, wave: str) -> tuple[FileResult | None, int] | InputError:
        file = f"waves/{wave}/actors.csv"
        path = self.dataset / file
        if not path.exists():
            return None, len(self._rows)
        try:
            table = read_raw_table(path, file)
            known = pd.concat(self._rows, ignore_index=True)
            result = check_actors(table, self.group_attribute, known)
        except InputError as err:
            return err
        new = result.accepted
        new = new.loc[~new["actor_id"].isin(known["actor_id"]).to_numpy(dtype=bool)].copy()
        new["first_wave"] = wave
        self._rows.append(new.reset_index(drop=True))
        return result, len(self._rows)
