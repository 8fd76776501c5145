"""Reading a results folder for the report notebooks.

The notebooks run inside the pipeline (absolute paths given as parameters)
and on their own in Jupyter against an existing ``results/<dataset>/``
folder; :func:`locate` finds a relative folder from either place.
:func:`load_wave` reads a wave's tables once per process, so that a job
that renders many case pages in one kernel reads them once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_optional, read_table

__all__ = [
    "CaseResults",
    "WaveResults",
    "load_wave",
    "locate",
    "parse_waves",
    "read_optional",
    "stack_waves",
]


def locate(path: str | Path) -> Path:
    """The folder ``path``: as given, or relative to a parent of the working folder.

    A notebook opened in Jupyter runs in ``workflow/notebooks/``; a default
    such as ``results/example`` is then found two levels up.

    Raises
    ------
    FileNotFoundError
        Neither ``path`` nor any ``<parent>/<path>`` exists.
    """
    p = Path(path)
    if p.exists() or p.is_absolute():
        if not p.exists():
            raise FileNotFoundError(f"no such results folder: {p}")
        return p
    for parent in Path.cwd().resolve().parents:
        if (parent / p).exists():
            return parent / p
    raise FileNotFoundError(f"no such results folder: {p} (looked in {Path.cwd()} and its parents)")


def parse_waves(waves: str | Sequence[str] | None, results_dir: str | Path) -> list[str]:
    """The waves to report: a comma/space-separated string or a list; empty means
    every wave folder under ``<results_dir>/waves`` in natural order."""
    if isinstance(waves, str):
        listed = [w for w in waves.replace(",", " ").split() if w]
    else:
        listed = [str(w) for w in waves or []]
    if listed:
        return listed
    from netinnov.io import discover_waves

    return discover_waves(Path(results_dir))



def stack_waves(results_dir: str | Path, waves: Sequence[str], name: str) -> pd.DataFrame:
    """``waves/<wave>/<name>.csv`` of every wave that has it, stacked with a
    leading ``wave`` column (empty frame when no wave has it)."""
    frames = []
    for w in waves:
        t = read_optional(Path(results_dir) / "waves" / w / f"{name}.csv")
        if t is not None:
            t.insert(0, "wave", str(w))
            frames.append(t)
    if not frames:
        return pd.DataFrame({"wave": pd.Series(dtype=object)})
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class CaseResults:
    """One case of one wave: its actors, its ties and its ``cases.csv`` row."""

    case_id: str
    wave: str
    actors: pd.DataFrame
    ties: pd.DataFrame
    row: pd.Series

    @property
    def directed(self) -> bool:
        return "reciprocated" in self.ties.columns


@dataclass(frozen=True)
class WaveResults:
    """The ``ties``, ``actors`` and ``cases`` tables of one wave."""

    wave: str
    folder: Path
    ties: pd.DataFrame
    actors: pd.DataFrame
    cases: pd.DataFrame
    _actor_rows: dict = field(default_factory=dict, repr=False)
    _tie_rows: dict = field(default_factory=dict, repr=False)

    def case(self, case_id: str) -> CaseResults:
        """The tables of one case (empty frames where the case has no actor or tie).

        Raises
        ------
        KeyError
            ``case_id`` is not a case of the wave.
        """
        case_id = str(case_id)
        rows = self.cases[self.cases["case_id"] == case_id]
        if not len(rows):
            raise KeyError(f"case {case_id!r} is not in {self.folder / 'cases.csv'}")
        if not self._actor_rows:
            self._actor_rows.update(self.actors.groupby("case_id", sort=False).indices)
            self._tie_rows.update(self.ties.groupby("case_id", sort=False).indices)
        a = self.actors.iloc[self._actor_rows.get(case_id, [])].reset_index(drop=True)
        t = self.ties.iloc[self._tie_rows.get(case_id, [])].reset_index(drop=True)
        return CaseResults(case_id=case_id, wave=self.wave, actors=a, ties=t, row=rows.iloc[0])


def load_wave(wave_dir: str | Path, wave: str | None = None, *, tie_columns: Sequence[str] | None = None) -> WaveResults:
    """Read a wave's ``ties.csv``, ``actors.csv`` and ``cases.csv`` (cached per
    process, keyed by the files' modification times).

    ``tie_columns`` reads only those columns of ``ties.csv`` (plus ``case_id``,
    ``source``, ``target``; absent ones are skipped): the case pages need a
    few columns of what can be the largest table of the results.
    """
    folder = locate(wave_dir).resolve()
    stamps = tuple((folder / f"{t}.csv").stat().st_mtime_ns for t in ("ties", "actors", "cases"))
    columns = None if tie_columns is None else tuple(dict.fromkeys(["case_id", "source", "target", *tie_columns]))
    return _load_wave(str(folder), str(wave or folder.name), stamps, columns)


def _read_ties(path: Path, columns: tuple[str, ...] | None) -> pd.DataFrame:
    if columns is None:
        return read_table(path)
    from netinnov.io.result_tables import ID_COLUMNS

    header = pd.read_csv(path, nrows=0).columns
    keep = [c for c in header if c in columns]
    return pd.read_csv(path, usecols=keep, dtype={c: str for c in keep if c in ID_COLUMNS})


@functools.lru_cache(maxsize=4)
def _load_wave(folder: str, wave: str, stamps: tuple, tie_columns: tuple[str, ...] | None) -> WaveResults:
    f = Path(folder)
    ties = _read_ties(f / "ties.csv", tie_columns)
    actors, cases = (read_table(f / f"{t}.csv") for t in ("actors", "cases"))
    for frame in (ties, actors, cases):
        if "case_id" in frame.columns:
            frame["case_id"] = frame["case_id"].astype(str)
    return WaveResults(wave=wave, folder=f, ties=ties, actors=actors, cases=cases)
