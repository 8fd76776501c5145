"""Vectorised helpers: arrow value sets and duplicate detection on integer row keys."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dtypes import used_codes

__all__ = ["duplicated_rows", "to_arrow", "value_set"]


def to_arrow(values) -> pa.Array | pa.ChunkedArray:
    """Text values as an arrow string array (NaN/None → null)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    if isinstance(values, pd.Series | pd.Index):
        if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
            return pa.array(values.array)
        values = values.to_numpy(dtype=object)
    return pa.array(values, type=pa.string(), from_pandas=True)


def _distinct_text(values) -> pa.Array | pa.ChunkedArray:
    """Text values, or for a categorical only the categories its rows use."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        used = used_codes(values.cat.codes.to_numpy(), len(values.cat.categories))
        return to_arrow(values.cat.categories[used])
    return to_arrow(values)


def value_set(*parts) -> pa.Array:
    """Distinct non-null values of one or more text columns as one arrow array."""
    chunks = []
    for part in parts:
        arr = _distinct_text(part).cast(pa.large_string())
        chunks.extend(arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr])
    combined = pa.chunked_array(chunks, type=pa.large_string()).combine_chunks()
    return pc.drop_null(pc.unique(combined))


def duplicated_rows(keys: Iterable[tuple[np.ndarray, int]], rows: np.ndarray) -> np.ndarray:
    """True for rows whose key equals that of an earlier row (among ``rows``).

    Parameters
    ----------
    keys
        One ``(codes, size)`` per column: non-negative int64 codes (equal
        values, equal codes) below ``size``, one per row. Read once, in
        order: a generator keeps one column's codes alive at a time.
    rows
        Boolean mask of the rows to consider; the others are never duplicates
        and never make one.

    Notes
    -----
    Columns are combined into one int64 key, ``key * size + codes``. Before
    the product could overflow, the key is made dense again and rows whose key
    is already unique are dropped: they cannot repeat an earlier row.
    """
    n = len(rows)
    out = np.zeros(n, dtype=bool)
    index = np.flatnonzero(rows)
    if index.size < 2:
        return out
    key = np.zeros(index.size, dtype=np.int64)
    span = 1
    for codes, size in keys:
        size = max(int(size), 1)
        if span * size >= 2**62:
            candidate = pd.Series(key).duplicated(keep=False).to_numpy()
            index, key = index[candidate], key[candidate]
            if index.size < 2:
                return out
            key, uniques = pd.factorize(key)
            key = key.astype(np.int64)
            span = max(len(uniques), 1)
        key = key * size + codes[index]
        span *= size
        del codes  # before the next column's codes are made
    out[index] = pd.Series(key).duplicated(keep="first").to_numpy()
    return out
