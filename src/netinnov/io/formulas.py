"""Spreadsheet formulas kept out of the result CSVs (config key ``neutralize_formulas``).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by Excel, LibreOffice and Google Sheets as a formula (CSV
injection: ``=HYPERLINK(...)``, ``=cmd|...``). With ``neutralize_formulas:
true`` such a cell is written with a leading single quote, which spreadsheet
programs show as text (OWASP, "CSV Injection"). Only text cells change:
numbers (``-3``, ``-0.5``) are written as numbers. The pipeline reads its own
tables back with the quote removed, so results do not depend on the option;
to keep the mapping one-to-one, a text cell already starting with quotes
followed by one of those characters gets one more quote. Column names are
cells of the header row and are treated the same way (an input column named
``=cmd|...`` reaches ``rejected.csv`` and the tables as a column name).

Every CSV the pipeline writes goes through :func:`guard` (or
:func:`netinnov.io.result_tables.write_table`, which calls it).

The option reaches every step through the environment variable
``NETINNOV_NEUTRALIZE_FORMULAS`` (set by the workflow from the config, so that
the notebooks read the tables the same way).
"""

from __future__ import annotations

import os
import re

import pandas as pd

__all__ = ["ENV", "enabled", "guard", "neutralize", "restore"]

#: Environment variable that switches the guard on (``1``).
ENV = "NETINNOV_NEUTRALIZE_FORMULAS"
_STARTS = r"^'*[=+\-@\t\r]"
_QUOTED = r"^'+[=+\-@\t\r]"
_STARTS_RE = re.compile(_STARTS)
_QUOTED_RE = re.compile(_QUOTED)


def enabled() -> bool:
    """True when the guard is on for this process."""
    return os.environ.get(ENV, "") not in ("", "0", "false")


def guard(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as it is to be written to a result CSV: passed through :func:`neutralize` when
    the option is on for this process, else unchanged."""
    return neutralize(frame) if enabled() else frame


def _names(frame: pd.DataFrame, pattern: re.Pattern, change) -> pd.DataFrame:
    """``frame`` with the column names matching ``pattern`` changed by ``change``."""
    names = list(frame.columns)
    hit = [isinstance(n, str) and pattern.match(n) is not None for n in names]
    if not any(hit):
        return frame
    out = frame.copy(deep=False)
    out.columns = [change(n) if h else n for n, h in zip(names, hit, strict=True)]
    return out


def _text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c])
            or pd.api.types.is_string_dtype(frame[c]) or isinstance(frame[c].dtype, pd.CategoricalDtype)]


def _like(column: pd.Series, values) -> pd.Series:
    """``values`` in the dtype of ``column`` (a categorical becomes text: its categories change)."""
    dtype = object if isinstance(column.dtype, pd.CategoricalDtype) else column.dtype
    return pd.Series(values, index=column.index, dtype=dtype)


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would read as a formula
    prefixed with ``'`` (numeric, boolean and date columns unchanged), and so
    every such column name."""
    out = None
    for col in _text_columns(frame):
        text = frame[col].astype("string")
        mask = text.str.contains(_STARTS, regex=True).fillna(False).to_numpy(dtype=bool)
        if mask.any():
            out = frame.copy() if out is None else out
            values = frame[col].astype(object).to_numpy(copy=True)
            values[mask] = ("'" + text[mask]).to_numpy(dtype=object)
            out[col] = _like(frame[col], values)
    return _names(frame if out is None else out, _STARTS_RE, lambda n: "'" + n)


def restore(frame: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`neutralize` (for tables read back)."""
    out = None
    for col in _text_columns(frame):
        text = frame[col].astype("string")
        mask = text.str.contains(_QUOTED, regex=True).fillna(False).to_numpy(dtype=bool)
        if mask.any():
            out = frame.copy() if out is None else out
            values = frame[col].astype(object).to_numpy(copy=True)
            values[mask] = text[mask].str.slice(1).to_numpy(dtype=object)
            out[col] = _like(frame[col], values)
    return _names(frame if out is None else out, _QUOTED_RE, lambda n: n[1:])
