"""The typed columns of a wide file built at once (``netinnov.io.wide_frame``)
equal what the column-by-column functions make of each column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from netinnov.io import wide_frame
from netinnov.io.columns import TextColumn
from netinnov.io.dtypes import text_categorical

#: Distinct values as a file might hold them: code point order differs from
#: the order of first appearance, and from a locale's order.
VALUES = pa.array(["b", "a", "Z", "é", "e", "10", "9", "a b", "ß", "\u00e9t\u00e9", "x"], type=pa.large_string())


def _same(got: pd.Categorical, expected: pd.Categorical) -> None:
    """Same categories (values, order, dtype) and same codes."""
    pd.testing.assert_index_equal(got.categories, expected.categories, exact=True)
    np.testing.assert_array_equal(got.codes, expected.codes)
    pd.testing.assert_series_equal(pd.Series(got), pd.Series(expected))


def _codes(rows: int, columns: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    codes = rng.integers(-1, len(VALUES), size=(rows, columns)).astype(np.int32)
    codes[:, 0] = -1  # a column with no value at all
    codes[:, 1] = 3  # one value only
    codes[:, 2] = codes[:, 3]  # two columns with the same values: one shared dtype
    return codes


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_categorical_equals_text_categorical_of_its_column(seed):
    codes = _codes(7, 40, seed)
    got = wide_frame.text_categoricals(codes, VALUES)
    assert len(got) == codes.shape[1]
    for j, cat in enumerate(got):
        expected = text_categorical(codes[:, j], VALUES)
        _same(cat, expected)
        assert cat.codes.dtype == expected.codes.dtype
    assert got[2].dtype is got[3].dtype


def test_dtypes_are_shared_across_chunks_given_one_dict():
    codes = _codes(5, 6, 3)
    shared: dict = {}
    left = wide_frame.text_categoricals(codes[:, :3], VALUES, shared)
    right = wide_frame.text_categoricals(codes[:, [2]], VALUES, shared)
    assert right[0].dtype is left[2].dtype


def test_no_rows_and_no_columns():
    assert wide_frame.text_categoricals(np.zeros((3, 0), np.int32), VALUES) == []
    empty = wide_frame.text_categoricals(np.zeros((0, 2), np.int32), VALUES)
    for cat in empty:
        _same(cat, text_categorical(np.zeros(0, np.int32), VALUES))


@pytest.mark.parametrize("seed", [0, 1])
def test_each_string_column_equals_the_text_column_series(seed):
    codes = _codes(6, 25, seed)
    got = wide_frame.text_strings(codes, VALUES)
    for j, array in enumerate(got):
        expected = TextColumn(codes[:, j], VALUES).to_series()
        pd.testing.assert_series_equal(pd.Series(array), expected)


def _mixed_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": pd.Categorical(["c1", "c2", "c1"]),
            "date": pd.to_datetime(["2024-01-01", None, "2024-02-03"]),
            "frequency": [1.0, np.nan, 3.0],
            "count": np.array([1, 2, 3], dtype=np.int64),
            "flag": [True, False, True],
            "text": pd.array(["a", None, "c"], dtype="str"),
        },
        index=pd.RangeIndex(10, 13),
    )


def test_frame_from_blocks_rebuilds_a_frame_and_places_2d_blocks():
    frame = _mixed_frame()
    blocks = wide_frame.column_blocks(frame)
    numbers = np.arange(6, dtype=np.int64).reshape(2, 3)  # two columns × three rows
    placed = [*blocks, (numbers, np.array([len(frame.columns) + 1, len(frame.columns)]))]
    columns = [*frame.columns, "n0", "n1"]
    got = wide_frame.frame_from_blocks(placed, columns, frame.index)
    expected = frame.assign(n0=numbers[1], n1=numbers[0])
    pd.testing.assert_frame_equal(got, expected)
    fallback = wide_frame._frame_column_by_column(placed, pd.Index(columns), frame.index)
    pd.testing.assert_frame_equal(fallback, expected)
