"""Turning text columns into typed values.

Each parser reads the distinct values of a
:class:`~netinnov.io.columns.TextColumn` (few, even in a file of millions of
rows) and broadcasts the result to the rows. It returns the typed values
with boolean masks of what was missing and what could not be read; the rules
in :mod:`netinnov.io.rules` decide what a bad value means for a row.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def parse_category(column: TextColumn, allowed: Iterable[str]) -> tuple[TextColumn, np.ndarray]:
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


#: What arrow's text-to-float cast may read (anything else makes it fail).
_NUMBER_LIKE = r"^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|(?i:inf|infinity|nan))$"


def _arrow_numbers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct value: whether arrow's float cast reads it, and the float it reads.

    The cast fails as a whole on one bad value; the values that look like
    numbers are cast together, and a failing part is halved until the bad
    values are found."""
    ok = np.zeros(len(values), dtype=bool)
    out = np.full(len(values), np.nan)
    like = np.flatnonzero(
        np.asarray(
            pc.match_substring_regex(values, _NUMBER_LIKE).to_numpy(zero_copy_only=False),
            dtype=bool,
        )
    )

    def cast(index: np.ndarray) -> None:
        if not index.size:
            return
        try:
            got = pc.cast(values.take(pa.array(index, type=pa.int64())), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if index.size > 1:
                cast(index[: index.size // 2])
                cast(index[index.size // 2 :])
            return
        ok[index] = True
        out[index] = np.asarray(got.to_numpy(zero_copy_only=False), dtype=float)

    cast(like)
    return ok, out


def prepare_block_values(values: pa.Array, decimal_comma: bool = False) -> tuple[np.ndarray, ...]:
    """What :func:`infer_block` reads of each distinct value, once for all columns:
    leading zero, missing-value token, read by arrow's cast, arrow's float,
    pandas' float (``pd.to_numeric``, used for a column where arrow's cast fails)."""
    if not len(values):
        empty = np.zeros(0, bool)
        return empty, empty, empty, np.zeros(0), np.zeros(0)
    leading = np.asarray(
        pc.match_substring_regex(values, r"^[+-]?0\d").to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    token = _tokens(values)
    text = pc.replace_substring(values, ",", ".") if decimal_comma else values
    arrow_ok, arrow_value = _arrow_numbers(text)
    if arrow_ok.all():
        pandas_value = arrow_value
    else:
        parsed = pd.to_numeric(pd.Series(text.to_pylist(), dtype=object), errors="coerce")
        pandas_value = parsed.astype("float64").to_numpy(copy=True)
    for a in (arrow_value, pandas_value):
        a[~np.isfinite(a)] = np.nan
    return leading, token, arrow_ok, arrow_value, pandas_value


def infer_block(
    codes: np.ndarray,
    codes_all: np.ndarray,
    values: pa.Array,
    decimal_comma: bool = False,
    prepared: tuple[np.ndarray, ...] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`infer_column` for many columns at once (a wide file's extra columns).

    Parameters
    ----------
    codes
        int32 ``(rows, columns)``: the rows to type, codes into ``values`` (-1 empty).
    codes_all
        The same columns over all rows of the file (whose distinct values
        :func:`infer_column` reads for leading zeros and the arrow cast).
    values
        Distinct values shared by all columns.
    decimal_comma
        As in :func:`parse_number` (one bool for the file).
    prepared
        :func:`prepare_block_values` of ``values`` (made here when None).

    Returns
    -------
    kind : ndarray of int8, one per column
        0 text, 1 int64, 2 float64.
    numbers : ndarray of float64 ``(rows, columns)``
        The values of the numeric columns (NaN where missing).
    """
    present_all = codes_all >= 0
    if prepared is None:
        prepared = prepare_block_values(values, decimal_comma)
    leading, token, arrow_ok, arrow_value, pandas_value = prepared

    def per_cell(per_value: np.ndarray, grid: np.ndarray, fill) -> np.ndarray:
        return np.append(per_value, np.asarray([fill], dtype=per_value.dtype))[grid]

    has_leading = (per_cell(leading, codes_all, False) & present_all).any(axis=0)
    arrow_column = (per_cell(arrow_ok, codes_all, True) | ~present_all).all(axis=0)
    numbers = np.where(
        arrow_column, per_cell(arrow_value, codes, np.nan), per_cell(pandas_value, codes, np.nan)
    )
    empty = codes < 0
    missing = empty | per_cell(token, codes, False)
    invalid = ~missing & np.isnan(numbers)
    numbers[missing] = np.nan
    numeric = ~empty.all(axis=0) & ~has_leading & ~invalid.any(axis=0) & ~missing.all(axis=0)
    whole = (
        (~missing.any(axis=0))
        & np.all(numbers == np.round(numbers), axis=0)
        & np.all(np.abs(numbers) < 2.0**53, axis=0)
    )
    kind = np.where(numeric, np.where(whole, 1, 2), 0).astype(np.int8)
    return kind, numbers
