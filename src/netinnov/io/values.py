"""Turning text columns into typed values.

Each parser reads the distinct values of a
:class:`~netinnov.io.columns.TextColumn` (few, even in a file of millions of
rows) and broadcasts the result to the rows. It returns the typed values
with boolean masks of what was missing and what could not be read; the rules
in :mod:`netinnov.io.rules` decide what a bad value means for a row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .columns import TextColumn

__all__ = [
    "FALSE_TOKENS",
    "MISSING_TOKENS",
    "TRUE_TOKENS",
    "infer_column",
    "parse_category",
    "parse_date",
    "parse_flag",
    "parse_number",
]

#: Text read as a missing value in numeric and date columns (case-insensitive),
#: besides the empty field. Ids and free text never treat these as missing.
MISSING_TOKENS = frozenset({"na", "n/a", "nan", "null", "none", "#n/a", "-nan"})

#: Spellings of true and false in yes/no columns (``responded``), case-insensitive.
TRUE_TOKENS = frozenset({"true", "yes", "1"})
FALSE_TOKENS = frozenset({"false", "no", "0"})

_ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_TIME_ZONE = r"(?:Z|[+-]\d{2}:?\d{2})$"
# datetime64[ns] covers 1677-09-21 to 2262-04-11; whole years inside that range
_MIN_YEAR, _MAX_YEAR = 1678, 2261


def _tokens(values: pa.Array) -> np.ndarray:
    """True for distinct values that spell a missing value."""
    lowered = pc.utf8_lower(values)
    hit = pc.is_in(lowered, value_set=pa.array(sorted(MISSING_TOKENS), pa.large_string()))
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def _numbers(values: pa.Array, decimal_comma: bool) -> np.ndarray:
    """Float of each distinct value; NaN where it is not a finite number."""
    if decimal_comma:
        values = pc.replace_substring(values, ",", ".")
    try:  # arrow's cast is fast; it fails as a whole on one bad value
        out = np.array(pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        text = pd.Series(values.to_pylist(), dtype=object)
        out = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy(copy=True)
    out[~np.isfinite(out)] = np.nan
    return out


def parse_number(
    column: TextColumn, decimal_comma: bool | np.ndarray = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read numbers.

    Parameters
    ----------
    column
        The text column.
    decimal_comma
        Whether a comma is the decimal separator (``"2,5"`` is 2.5): one bool
        for the column or one per row. Files delimited by semicolons, tabs or
        bars use it; comma-delimited files do not.

    Returns
    -------
    values : ndarray of float64
        NaN where missing or unreadable.
    missing : ndarray of bool
        Empty field or a token of :data:`MISSING_TOKENS`.
    invalid : ndarray of bool
        Present but not a finite number (``inf`` and ``nan`` spelled out are
        not numbers; ``NaN`` is a missing-value token).
    """
    token = column.per_row(_tokens(column.values), False)
    flags = np.asarray(decimal_comma, dtype=bool)
    if flags.ndim == 0:
        values = column.per_row(_numbers(column.values, bool(flags)), np.nan)
    else:
        plain = column.per_row(_numbers(column.values, False), np.nan)
        comma = column.per_row(_numbers(column.values, True), np.nan)
        values = np.where(flags, comma, plain)
    missing = column.missing | token
    invalid = ~missing & np.isnan(values)
    values[missing] = np.nan
    return values, missing, invalid


def parse_date(column: TextColumn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read ISO 8601 dates (``YYYY-MM-DD``, optionally with a time).

    A time-zone suffix (``Z``, ``+01:00``) is accepted and dropped: the wall
    time as written is kept. Other spellings (``05.01.2024``), impossible
    dates (``2024-02-30``) and years outside 1678–2261 (the range of
    ``datetime64[ns]``) are unreadable.

    Returns
    -------
    values : ndarray of datetime64[ns]
        NaT where missing or unreadable.
    missing, invalid : ndarray of bool
        As in :func:`parse_number`.
    """
    distinct = column.distinct_series()
    shaped = distinct.str.fullmatch(_ISO_DATE).fillna(False).to_numpy(dtype=bool)
    local = distinct.where(shaped).str.replace(_TIME_ZONE, "", regex=True)
    parsed = pd.to_datetime(local, format="ISO8601", errors="coerce")
    ok = parsed.notna().to_numpy(dtype=bool, copy=True)
    if ok.any():
        years = parsed.dt.year.to_numpy(dtype=float, na_value=np.nan)
        ok &= (years >= _MIN_YEAR) & (years <= _MAX_YEAR)
    dates = np.full(len(distinct), np.datetime64("NaT"), dtype="datetime64[ns]")
    if ok.any():
        dates[ok] = parsed[ok].to_numpy().astype("datetime64[ns]")
    values = column.per_row(dates, np.datetime64("NaT"))
    token = column.per_row(_tokens(column.values), False)
    missing = column.missing | token
    invalid = ~missing & ~column.per_row(ok, False)
    values[missing] = np.datetime64("NaT")
    return values, missing, invalid


def parse_flag(column: TextColumn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read a yes/no column: :data:`TRUE_TOKENS` and :data:`FALSE_TOKENS`, any case.

    Returns
    -------
    values : ndarray of bool
        True where the value spells true (False elsewhere).
    missing : ndarray of bool
        Empty field or a token of :data:`MISSING_TOKENS`.
    invalid : ndarray of bool
        Present but neither true nor false (``maybe``, ``2``, ``1.0``).
    """
    lowered = pc.utf8_lower(column.values)
    true = pc.is_in(lowered, value_set=pa.array(sorted(TRUE_TOKENS), pa.large_string()))
    false = pc.is_in(lowered, value_set=pa.array(sorted(FALSE_TOKENS), pa.large_string()))
    true = np.asarray(true.to_numpy(zero_copy_only=False), dtype=bool)
    known = true | np.asarray(false.to_numpy(zero_copy_only=False), dtype=bool)
    missing = column.missing | column.per_row(_tokens(column.values), False)
    invalid = ~missing & ~column.per_row(known, False)
    return column.per_row(true, False), missing, invalid


def parse_category(column: TextColumn, allowed: frozenset[str]) -> tuple[TextColumn, np.ndarray]:
    """Lower-case a categorical column and flag values outside ``allowed``.

    Returns
    -------
    values : TextColumn
        The lower-cased column.
    invalid : ndarray of bool
        Present but not one of ``allowed``.
    """
    lowered = column.map_values(pc.utf8_lower)
    invalid = ~lowered.missing & ~lowered.isin(pa.array(sorted(allowed), pa.large_string()))
    return lowered, invalid


def infer_column(
    column: TextColumn, decimal_comma: bool | np.ndarray = False, *, categorical: bool = False
) -> pd.Series:
    """Type an extra column: numbers where every present value is one, else text.

    A column becomes numeric when it has a present value and every present
    value reads as a finite number (decimal commas as in :func:`parse_number`;
    :data:`MISSING_TOKENS` count as missing) and none is written with a
    leading zero (``"007"``, ``"0123"`` — identifiers and codes stay text).
    It is ``int64`` when every row holds an integer, else ``float64``.
    Otherwise the column is text, NaN where empty (a categorical of text
    with ``categorical``).
    """
    text = column.to_categorical if categorical else column.to_series
    if column.missing.all():
        return text()
    leading_zero = pc.match_substring_regex(column.values, r"^[+-]?0\d")
    if pc.any(leading_zero).as_py():
        return text()
    values, missing, invalid = parse_number(column, decimal_comma)
    if invalid.any() or missing.all():
        return text()
    if not missing.any():
        if np.all(values == np.round(values)) and np.all(np.abs(values) < 2.0**53):
            return pd.Series(values.astype(np.int64))
    return pd.Series(values)
