"""Tests of the column building blocks: netinnov.io.columns (text columns),
netinnov.io.vector (duplicated rows) and netinnov.io.values (type inference).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


# --------------------------------------------------------------------------- building blocks
def test_text_column_encoding_strips_merges_and_spans_chunks():
    import pyarrow as pa

    from netinnov.io.columns import TextColumn

    chunked = pa.chunked_array([pa.array(["a", " a", "b", ""]), pa.array(["  ", "c", "b ", None])])
    col = TextColumn.from_text(chunked)
    assert len(col) == 8
    decoded = col.to_series().tolist()
    expected = ["a", "a", "b", None, None, "c", "b", None]
    assert [None if pd.isna(v) else v for v in decoded] == expected
    assert col.missing.tolist() == [v is None for v in expected]
    assert sorted(col.values.to_pylist()) == ["a", "b", "c"]
    # equal values have equal codes
    codes = col.codes
    assert codes[0] == codes[1] and codes[2] == codes[6] and codes[0] != codes[2]
    other = TextColumn.from_text(["b", "a", "x", "b", "", "c", "b", "q"])
    assert col.equals(other).tolist() == [False, True, False, False, False, True, True, False]


def test_duplicated_rows_matches_pandas_including_key_overflow():
    from netinnov.io.vector import duplicated_rows

    rng = np.random.default_rng(7)
    n = 2000
    frame = pd.DataFrame({f"c{i}": rng.integers(0, 3, n) for i in range(6)})
    rows = rng.random(n) < 0.8
    # sizes so large that the combined key must be re-densified several times
    keys = [(frame[c].to_numpy().astype(np.int64), 2**20) for c in frame.columns]
    got = duplicated_rows(keys, rows)
    expected = np.zeros(n, dtype=bool)
    seen = set()
    for i in range(n):  # brute force reference
        if not rows[i]:
            continue
        key = tuple(frame.iloc[i])
        expected[i] = key in seen
        seen.add(key)
    assert (got == expected).all()
    assert got.sum() > 0


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        (["1", "2", "3"], "int64", [1, 2, 3]),
        (["1", "", "3"], "float64", [1.0, float("nan"), 3.0]),
        (["1.5", "NA", "2"], "float64", [1.5, float("nan"), 2.0]),
        (["007", "8"], "str", ["007", "8"]),
        (["1", "two"], "str", ["1", "two"]),
        (["", ""], "str", [None, None]),
    ],
)
def test_infer_column(values, dtype, expected):
    from netinnov.io.columns import TextColumn
    from netinnov.io.values import infer_column

    out = infer_column(TextColumn.from_text(values))
    if dtype == "str":
        assert pd.api.types.is_string_dtype(out)
        assert [None if pd.isna(v) else v for v in out] == expected
    else:
        assert out.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(out.to_numpy(), np.asarray(expected))
