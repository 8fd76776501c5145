"""The dtypes of text columns in the validated tables.

Text columns are pandas' arrow-backed string dtype (:data:`STRING`); in the
record tables (interactions, participation, roles, members: millions of rows
over few distinct ids) they are categoricals whose categories are the
distinct values present, sorted, as :data:`STRING` (:func:`text_categorical`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "STRING",
    "as_text",
    "sorted_categorical",
    "string_array",
    "string_dtype",
    "text_categorical",
    "used_codes",
]


def string_dtype() -> pd.StringDtype:
    """The string dtype of every text column: pyarrow storage, NaN for missing.

    This is pandas 3's default ``str`` dtype; on pandas 2.x the equivalent
    ``string[pyarrow_numpy]``.
    """
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pragma: no cover - pandas < 2.3
        return pd.StringDtype("pyarrow_numpy")


STRING = string_dtype()


def string_array(values: pa.Array | pa.ChunkedArray):
    """Arrow text as a pandas array of :data:`STRING`, on the same memory where pandas allows."""
    try:
        return pd.arrays.ArrowStringArray(values, dtype=STRING)
    except TypeError:  # pragma: no cover - pandas 2.x constructor
        return pd.array(values.to_pandas(), dtype=STRING)


def used_codes(codes: np.ndarray, n: int) -> np.ndarray:
    """Which of ``n`` distinct values some code refers to (codes -1: missing)."""
    codes = np.asarray(codes)
    return np.bincount(codes[codes >= 0], minlength=n) > 0


def text_categorical(codes: np.ndarray, values: pa.Array) -> pd.Categorical:
    """A categorical of text from codes into distinct values (-1: missing).

    The categories are the values that some code uses, sorted (code point
    order), as :data:`STRING`; so two columns with the same text have the
    same categories and codes, however the values were numbered.
    """
    codes = np.asarray(codes)
    used = used_codes(codes, len(values))
    kept = values.filter(pa.array(used)) if len(values) else values
    order = pc.array_sort_indices(kept).to_numpy(zero_copy_only=False)
    rank = np.full(len(values) + 1, -1, dtype=np.int32)
    rank[1:][used] = np.argsort(order).astype(np.int32)
    categories = pd.Index(string_array(kept.take(pa.array(order, type=pa.int64())).cast(pa.large_string())))
    dtype = _categorical_dtype(categories)
    return pd.Categorical.from_codes(rank[codes + 1], dtype=dtype, validate=False)


def _categorical_dtype(categories: pd.Index) -> pd.CategoricalDtype:
    """``CategoricalDtype(categories)`` of distinct text: without the check
    that they are unique (building a hash table: most of the cost of a column
    of a wide file) where pandas offers that."""
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fast is None:  # pragma: no cover - other pandas versions
        return pd.CategoricalDtype(categories, ordered=False)
    return fast(categories, False)


def sorted_categorical(values: pd.Series) -> pd.Series:
    """A categorical Series in the canonical form of :func:`text_categorical`
    (unused categories dropped, the rest sorted, :data:`STRING`); returned as
    is when it already is."""
    cat = values.array
    categories = cat.categories
    if (
        categories.dtype == STRING
        and categories.is_monotonic_increasing
        and not cat.ordered
        and used_codes(cat.codes, len(categories)).all()
    ):
        return values
    text = pa.array(categories.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    return pd.Series(text_categorical(cat.codes, text), index=values.index, name=values.name)


def as_text(values: pd.Series) -> pd.Series:
    """A text column as :data:`STRING` (categoricals decoded)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(STRING)
    return values
