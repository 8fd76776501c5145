"""Reading and writing result tables (light: pandas only, for notebooks too)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from netinnov.io import formulas

__all__ = ["ID_COLUMNS", "read_optional", "read_table", "wave_paths", "write_table", "write_tables"]

#: Columns that hold identifiers: always read as text.
ID_COLUMNS = ("case_id", "actor_id", "source", "target", "event_id", "wave", "wave_from", "wave_to", "organization")


#: Values read as missing in columns other than identifiers (pandas' defaults).
_MISSING = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
            "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a result table with identifiers as text: ``"007"`` stays ``"007"``
    and an id such as ``NA`` or ``None`` stays an id (only an empty cell is
    missing in an id column)."""
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: str for c in header if c in ID_COLUMNS}
    na_values = {c: ([""] if c in ID_COLUMNS else _MISSING) for c in header}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=na_values)
    if formulas.enabled():  # written with neutralize_formulas: the leading quotes removed
        frame = formulas.restore(frame)
    return frame


def write_table(frame: pd.DataFrame, path: Path | str) -> None:
    """Write a result table the same way every time (byte-identical reruns)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if formulas.enabled():  # config key neutralize_formulas (netinnov.io.formulas)
        frame = formulas.neutralize(frame)
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d")


def wave_paths(name: str, paths: Sequence[Path | str], waves: Sequence[str]) -> list[Path]:
    """A step's per-wave input paths (``--actors w1/actors.csv w2/actors.csv``),
    checked to hold one path per wave, in the order of ``waves``; ``name``
    says which input in the error."""
    if len(paths) != len(waves):
        raise ValueError(f"{len(paths)} {name} paths for {len(waves)} waves: give one per wave, in wave order")
    return [Path(p) for p in paths]


def write_tables(tables: Mapping[str, pd.DataFrame], paths: Mapping[str, Path | str]) -> None:
    """Write each table of ``tables`` to the path of the same name in ``paths``
    (a step's outputs, as its rule names them). The two must name the same
    tables: a table without a path, or a path without a table, is an error
    (nothing is written), so a step cannot drop or invent an output."""
    missing, unknown = sorted(set(tables) - set(paths)), sorted(set(paths) - set(tables))
    if missing or unknown:
        raise ValueError(f"output paths do not match the tables: no path for {missing}, no table for {unknown}")
    for name, table in tables.items():
        write_table(table, paths[name])


def read_optional(path: Path | str) -> pd.DataFrame | None:
    """A result table, or None when the file does not exist (or is empty)."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return None
    try:
        return read_table(p)
    except pd.errors.EmptyDataError:
        return None
