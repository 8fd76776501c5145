"""Dictionary-encoded text columns: work once per distinct value, not per row.

An input column of millions of rows holds few distinct values (ids, phases,
dates, numbers). A :class:`TextColumn` stores, for every row, an integer code
into the column's distinct values (stripped of surrounding whitespace; code
-1 for an empty field). Look-ups, parsing and comparisons run on the distinct
values and are broadcast to the rows by the codes, with numpy indexing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dtypes import string_array, text_categorical

__all__ = ["RawText", "TextBlock", "TextColumn", "encode_raw"]


def _as_arrow(values) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pd.Series | pd.Index):
        if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
            return pa.array(values.array)
        return pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    return pa.array(values, type=pa.string(), from_pandas=True)


def _encode(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Codes (-1 for null) and distinct values of an arrow string array.

    The chunks of a chunked array are encoded against one dictionary (arrow
    grows a single memo table over the chunks, and every output chunk carries
    the final dictionary); a check guards that before the indices are joined.
    """
    if isinstance(values, pa.ChunkedArray):
        if values.num_chunks == 0:
            return np.zeros(0, np.int32), pa.array([], pa.large_string())
        if values.num_chunks == 1:
            values = values.chunk(0)
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
        if any(len(chunk.dictionary) != len(dictionary) for chunk in encoded.chunks):
            return _encode(values.combine_chunks())  # pragma: no cover - defensive
        indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks])
    else:
        dictionary, indices = encoded.dictionary, encoded.indices
    codes = pc.fill_null(indices, -1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    return codes, dictionary


def _broadcast(per_value: np.ndarray, codes: np.ndarray, fill) -> np.ndarray:
    """``per_value[codes]`` with ``fill`` where the code is -1."""
    return np.append(per_value, np.asarray([fill], dtype=per_value.dtype))[codes]


@dataclass(frozen=True)
class TextColumn:
    """A text column as codes into its distinct, stripped, non-empty values.

    Attributes
    ----------
    codes
        int32, one per row: position in ``values``, or -1 where the field is
        empty (after stripping) or missing.
    values
        Distinct values (arrow ``large_string``), no empty string, no null.
    """

    codes: np.ndarray
    values: pa.Array

    # ----------------------------------------------------------- construction
    @classmethod
    def from_text(cls, text, strip: bool = True) -> TextColumn:
        """Encode text (arrow array, pandas Series or a sequence); strip whitespace.

        A categorical Series is taken from its codes and categories, without
        spelling its rows out.
        """
        if isinstance(text, pd.Series) and isinstance(text.dtype, pd.CategoricalDtype):
            codes = text.cat.codes.to_numpy().astype(np.int32)
            return cls._normalise(codes, _as_arrow(text.cat.categories).cast(pa.large_string()), strip)
        codes, distinct = _encode(_as_arrow(text))
        return cls._normalise(codes, distinct, strip)

    @classmethod
    def _normalise(cls, codes: np.ndarray, distinct: pa.Array, strip: bool) -> TextColumn:
        if strip:
            distinct = pc.utf8_trim_whitespace(distinct)
        # re-unify (stripping can merge values) and drop the empty string
        remap, unique = _encode(distinct)
        keep = pc.not_equal(unique, "").to_numpy(zero_copy_only=False)
        position = np.where(keep, np.cumsum(keep) - 1, -1).astype(np.int32)
        per_old = _broadcast(position, remap, -1) if len(remap) else np.zeros(0, np.int32)
        new_codes = (
            _broadcast(per_old, codes, -1) if len(per_old) else np.full(len(codes), -1, np.int32)
        )
        return cls(new_codes.astype(np.int32, copy=False), unique.filter(pa.array(keep)))

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, rows: np.ndarray) -> TextColumn:
        """The rows selected by a boolean mask or integer positions."""
        return TextColumn(self.codes[rows], self.values)

    # ----------------------------------------------------------- row masks
    @property
    def missing(self) -> np.ndarray:
        """True where the field is empty."""
        return self.codes < 0

    def per_row(self, per_value: np.ndarray, fill) -> np.ndarray:
        """Broadcast one result per distinct value to the rows."""
        return _broadcast(np.asarray(per_value), self.codes, fill)

    def isin(self, among: pa.Array) -> np.ndarray:
        """True where the value is one of ``among``; False where empty."""
        hit = pc.is_in(self.values, value_set=among).to_numpy(zero_copy_only=False)
        return self.per_row(np.asarray(hit, dtype=bool), False)

    def positions(self, among: pa.Array) -> np.ndarray:
        """Position of each row's value in ``among``; -1 where absent or empty."""
        pos = pc.fill_null(pc.index_in(self.values, value_set=among), -1)
        return self.per_row(np.asarray(pos.to_numpy(zero_copy_only=False), dtype=np.int64), -1)

    def equals(self, other: TextColumn) -> np.ndarray:
        """True where both columns hold the same (non-empty) value."""
        other_here = other.positions(self.values)
        return (self.codes >= 0) & (other_here == self.codes)

    def map_values(self, func: Callable[[pa.Array], pa.Array]) -> TextColumn:
        """A column whose distinct values are ``func(values)`` (re-unified)."""
        return self._normalise(self.codes, func(self.values), strip=False)

    def key(self) -> tuple[np.ndarray, int]:
        """Non-negative integer codes (empty gets its own) and their count, for row keys."""
        return self.codes.astype(np.int64) + 1, len(self.values) + 1

    # ----------------------------------------------------------- output
    def to_series(self, rows: np.ndarray | None = None) -> pd.Series:
        """The text of the rows (all, or a boolean mask), NaN where empty."""
        codes = self.codes if rows is None else self.codes[rows]
        indices = pa.array(codes, mask=codes < 0, type=pa.int32())
        taken = (
            self.values.take(indices)
            if len(self.values)
            else pa.nulls(len(codes), pa.large_string())
        )
        return pd.Series(string_array(taken))

    def to_categorical(self, rows: np.ndarray | None = None) -> pd.Series:
        """The rows (all, or a boolean mask) as a categorical of text (see
        :func:`~netinnov.io.dtypes.text_categorical`), NaN where empty."""
        codes = self.codes if rows is None else self.codes[rows]
        return pd.Series(text_categorical(codes, self.values))

    def distinct_series(self) -> pd.Series:
        """The distinct values as a pandas text Series (for parsing them)."""
        return pd.Series(string_array(self.values))


@dataclass(frozen=True)
class RawText:
    """The fields as written of one column, kept beside its :class:`TextColumn`.

    When stripping merges no two spellings (the usual case), the column's own
    codes spell the raw text: ``values`` holds the raw text of each stripped
    value, and last the one raw spelling of an empty field; ``codes`` is then
    None and no second array per row is kept. Otherwise ``codes`` (one per
    row) index the distinct raw values.
    """

    values: pa.Array
    codes: np.ndarray | None = None

    def take(self, rows: np.ndarray) -> RawText:
        """The rows selected by a boolean mask (own codes only; shared codes
        follow their TextColumn)."""
        return self if self.codes is None else RawText(self.values, self.codes[rows])

    def spell(self, column: TextColumn, rows: np.ndarray | None = None) -> pd.Series:
        """The raw text of the rows (all, or a boolean mask) as a STRING Series."""
        codes = column.codes if self.codes is None else self.codes
        codes = codes if rows is None else codes[rows]
        index = np.where(codes < 0, len(self.values) - 1, codes)
        taken = self.values.take(pa.array(index, type=pa.int64()))
        return pd.Series(string_array(taken))


def encode_raw(text: pa.Array | pa.ChunkedArray) -> tuple[TextColumn, RawText]:
    """Encode a column of fields as written: the stripped TextColumn and the raw text.

    The caller can drop the arrow text afterwards: both are codes into
    distinct values.
    """
    raw_codes, raw_values = _encode(text)
    column = TextColumn._normalise(raw_codes, raw_values, strip=True)
    stripped = pc.fill_null(pc.index_in(pc.utf8_trim_whitespace(raw_values), value_set=column.values), -1)
    per_raw = np.asarray(stripped.to_numpy(zero_copy_only=False), dtype=np.int64)
    if np.bincount(per_raw + 1, minlength=1).max(initial=0) > 1:  # two spellings of one value
        return column, RawText(raw_values, raw_codes)
    which = np.full(len(column.values) + 1, -1, dtype=np.int64)
    which[per_raw] = np.arange(len(per_raw))  # -1 (empty) lands in the last slot
    spelled = pc.fill_null(raw_values.take(pa.array(which, mask=which < 0)), "")
    return column, RawText(spelled)


@dataclass(frozen=True)
class TextBlock:
    """All columns of a wide file (thousands of columns) encoded at once.

    One dictionary of distinct values serves every column, so that the file is
    encoded with a handful of arrow calls whatever its number of columns
    (encoding column by column costs about 0.3 ms a column). Per-column
    :class:`TextColumn` and :class:`RawText` views, equal to what
    :func:`encode_raw` makes of the column, are made on demand
    (:meth:`column`, :meth:`raw`).

    Attributes
    ----------
    codes
        int32 ``(rows, columns)``: position in ``values``, -1 where empty.
    values
        Distinct stripped non-empty values of all columns (``large_string``).
    raw_codes
        int32 ``(rows, columns)``: position in ``raw_values``.
    raw_values
        Distinct fields as written, of all columns.
    """

    codes: np.ndarray
    values: pa.Array
    raw_codes: np.ndarray
    raw_values: pa.Array

    @classmethod
    def from_flat(cls, text: pa.Array, n: int, k: int, *, row_major: bool) -> TextBlock:
        """Encode ``n * k`` fields, row by row (``row_major``) or column by column."""
        raw_codes, raw_values = _encode(text)
        column = TextColumn._normalise(raw_codes, raw_values, strip=True)

        def grid(flat: np.ndarray) -> np.ndarray:
            shaped = flat.reshape((n, k) if row_major else (k, n))
            return np.ascontiguousarray(shaped if row_major else shaped.T, dtype=np.int32)

        return cls(grid(column.codes), column.values, grid(raw_codes), raw_values)

    @property
    def shape(self) -> tuple[int, int]:
        return self.codes.shape

    def take(self, rows: np.ndarray) -> TextBlock:
        """The rows selected by a boolean mask or integer positions."""
        return TextBlock(self.codes[rows], self.values, self.raw_codes[rows], self.raw_values)

    def column(self, j: int) -> TextColumn:
        """Column ``j`` as a TextColumn over its own distinct values."""
        used, codes = _local(self.codes[:, j])
        return TextColumn(codes, self.values.take(pa.array(used, type=pa.int64())))

    def raw(self, j: int) -> RawText:
        """Column ``j``'s fields as written (own codes)."""
        used, codes = _local(self.raw_codes[:, j])
        return RawText(self.raw_values.take(pa.array(used, type=pa.int64())), codes)

    def nonblank(self) -> np.ndarray:
        """True for rows with some non-empty field."""
        return (self.codes >= 0).any(axis=1) if self.codes.shape[1] else np.zeros(len(self.codes), bool)

    def duplicated(self, rows: np.ndarray) -> np.ndarray:
        """True for rows (among the mask ``rows``) equal in every column to an earlier one."""
        out = np.zeros(len(rows), dtype=bool)
        index = np.flatnonzero(rows)
        if index.size < 2:
            return out
        grid = np.ascontiguousarray(self.codes[index])
        keys = grid.view(np.dtype((np.void, grid.dtype.itemsize * grid.shape[1]))).ravel()
        _, inverse = np.unique(keys, return_inverse=True)
        out[index] = pd.Series(inverse.ravel()).duplicated(keep="first").to_numpy()
        return out


def _local(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-negative codes used (sorted) and the codes renumbered into them."""
    used = np.unique(codes[codes >= 0])
    local = np.where(codes >= 0, np.searchsorted(used, codes), -1).astype(np.int32)
    return used, local
