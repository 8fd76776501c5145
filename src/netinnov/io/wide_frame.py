"""The typed columns of a wide file, built all at once (issue 14, item 10).

A file of 100,000 text columns becomes 100,000 pandas columns. Built one at a
time — each column its own categorical with its own categories ``Index``,
then a frame from a dict and a concat — that cost about 0.4 ms a column
(60 s for such a file). Here every text column's categories come from one
sort of the file's distinct values and one ``np.unique`` over
``(column, value)`` keys; columns with the same set of values share one
``CategoricalDtype``; and the frame is assembled once from its blocks
(numeric columns as 2-D blocks), with ``pandas.api.internals.
create_dataframe_from_blocks`` where pandas offers it (pandas ≥ 2.3), else
with the ``DataFrame`` constructor.

The columns are exactly those :func:`~netinnov.io.dtypes.text_categorical`
and :meth:`~netinnov.io.columns.TextColumn.to_series` make of each column
(``tests/io/test_wide_frame.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dtypes import _categorical_dtype, string_array

__all__ = ["Block", "column_blocks", "frame_from_blocks", "text_categoricals", "text_strings"]

#: Values of some columns: a 2-D numpy array (columns × rows) or a 1-D
#: pandas array, and the positions of its columns in the frame.
Block = tuple[object, np.ndarray]


def text_categoricals(
    codes: np.ndarray, values: pa.Array, shared: dict | None = None
) -> list[pd.Categorical]:
    """Each column of ``codes`` as a categorical of text, all columns at once.

    ``codes`` is ``(rows, columns)``: positions in the distinct values
    ``values`` (arrow text), -1 where the field is empty. Column ``j`` comes
    out as ``text_categorical(codes[:, j], values)``: its categories are the
    values it uses, in code point order. Columns with the same categories get
    one dtype object; pass the same ``shared`` dict to calls on chunks of one
    file's columns to share dtypes across the chunks.
    """
    n, t = codes.shape
    if t == 0:
        return []
    shared = {} if shared is None else shared
    size = max(len(values), 1)
    order = np.asarray(pc.array_sort_indices(values).to_numpy(zero_copy_only=False), dtype=np.int64)
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values))
    columns = np.ascontiguousarray(codes.T)  # (columns, rows): one column's codes contiguous
    present = columns >= 0
    which, _ = np.nonzero(present)
    keys = which * size + rank[columns[present]]  # column, then the value's place in the sort
    used = np.unique(keys)
    column_of = used // size
    start = np.searchsorted(column_of, np.arange(t + 1))
    local = np.full(columns.shape, -1, dtype=np.int64)
    local[present] = np.searchsorted(used, keys) - start[which]
    ranks = used - column_of * size
    taken = values.take(pa.array(order[ranks], type=pa.int64())).cast(pa.large_string())
    categories = pd.Index(string_array(taken))
    out = []
    for j in range(t):
        a, b = start[j], start[j + 1]
        signature = ranks[a:b].tobytes()
        dtype = shared.get(signature)
        if dtype is None:
            dtype = shared[signature] = _categorical_dtype(categories[a:b])
        out.append(pd.Categorical.from_codes(local[j], dtype=dtype, validate=False))
    return out


def text_strings(codes: np.ndarray, values: pa.Array) -> list:
    """Each column of ``codes`` as pandas text (:data:`~netinnov.io.dtypes.STRING`),
    missing where -1: :meth:`TextColumn.to_series` of every column, with one
    arrow ``take`` for all of them."""
    n, t = codes.shape
    flat = np.ascontiguousarray(codes.T).ravel()
    taken = (
        values.take(pa.array(flat, mask=flat < 0, type=pa.int32()))
        if len(values)
        else pa.nulls(len(flat), pa.large_string())
    )
    return [string_array(taken.slice(j * n, n)) for j in range(t)]


def column_blocks(frame: pd.DataFrame, first: int = 0) -> list[Block]:
    """The columns of a (narrow) frame as blocks placed from position ``first`` on."""
    blocks: list[Block] = []
    for j, name in enumerate(frame.columns):
        array = frame[name].array
        if isinstance(array, pd.arrays.NumpyExtensionArray):
            array = array.to_numpy()[None, :]
        blocks.append((array, np.array([first + j], dtype=np.intp)))
    return blocks


def frame_from_blocks(blocks: Sequence[Block], columns: Sequence[str], index: pd.Index) -> pd.DataFrame:
    """A frame of the given blocks, columns in the order their placements say."""
    build = getattr(getattr(pd.api, "internals", None), "create_dataframe_from_blocks", None)
    names = pd.Index(list(columns))
    if build is not None:
        return build([(values, np.asarray(at, dtype=np.intp)) for values, at in blocks], index, names)
    return _frame_column_by_column(blocks, names, index)  # pragma: no cover - pandas < 2.3


def _frame_column_by_column(blocks: Sequence[Block], names: pd.Index, index: pd.Index) -> pd.DataFrame:
    """:func:`frame_from_blocks` with the public constructor (slower: one Series a column)."""
    data: dict[int, object] = {}
    for values, at in blocks:
        if isinstance(values, np.ndarray) and values.ndim == 2:
            for row, j in zip(values, at, strict=True):
                data[int(j)] = row
        else:
            data[int(at[0])] = values
    frame = pd.DataFrame({j: data[j] for j in range(len(names))}, index=index, copy=False)
    frame.columns = names
    return frame
