"""The chunked sparse path counts against dense matrix products."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from netinnov.metrics._sparse_paths import edge_common_neighbours, three_path_counts


def _random_skeleton(n: int, p: float, seed: int) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, k=1)
    s = sp.csr_matrix((upper | upper.T).astype(float))
    s.sort_indices()
    return s


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), p=st.floats(0.0, 0.9), seed=st.integers(0, 10_000), chunk=st.sampled_from([1, 7, 50, None]))
def test_edge_common_neighbours_equals_dense_square(n, p, seed, chunk):
    s = _random_skeleton(n, p, seed)
    dense = s.toarray()
    rows, cols = s.nonzero()  # CSR order
    expected = (dense @ dense)[rows, cols]
    np.testing.assert_array_equal(edge_common_neighbours(s, chunk_nnz=chunk), expected)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 30), p=st.floats(0.0, 0.9), seed=st.integers(0, 10_000), chunk=st.sampled_from([1, 7, 50, None]))
def test_three_path_counts_equal_dense_cube(n, p, seed, chunk):
    s = _random_skeleton(n, p, seed)
    dense = s.toarray()
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, size=(2, 25))
    expected = (dense @ dense @ dense)[a, b]
    np.testing.assert_array_equal(three_path_counts(s, a, b, chunk_nnz=chunk), expected)


@pytest.mark.parametrize("fn", [lambda s: edge_common_neighbours(s), lambda s: three_path_counts(s, [], [])])
def test_empty_inputs(fn):
    assert len(fn(sp.csr_matrix((3, 3)))) == 0
