"""Sparse two-path products restricted to a given set of pairs.

Brokerage measures need ``(X @ Yᵀ)[r, c]`` only for the pairs ``(r, c)`` that
are ties, or the list of intermediaries ``q`` behind each such pair. Forming
the full product ``X @ Yᵀ`` would cost memory quadratic in the degrees, so the
pairs are processed in chunks: row ``e`` of a chunk is the elementwise product
of row ``rows[e]`` of ``X`` and row ``cols[e]`` of ``Y``, whose stored entries
are exactly the intermediaries ``q`` with ``X[rows[e], q] ≠ 0`` and
``Y[cols[e], q] ≠ 0``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

__all__ = ["masked_product", "pair_products"]

#: Upper bound on the stored entries of the rows fetched for one chunk.
CHUNK_NNZ = 1 << 22


def pair_products(
    x: sp.csr_matrix,
    y: sp.csr_matrix,
    rows: np.ndarray,
    cols: np.ndarray,
    *,
    chunk_nnz: int | None = None,
) -> Iterator[tuple[int, sp.csr_matrix]]:
    """Yield ``(start, Z)`` where row ``e`` of ``Z`` is ``x[rows[start + e]] ⊙ y[cols[start + e]]``.

    ``x`` and ``y`` must be CSR with sorted indices and the same number of
    columns. Chunks are cut so that the fetched rows of ``x`` and ``y`` hold at
    most about ``chunk_nnz`` entries together (default :data:`CHUNK_NNZ`; one
    pair per chunk at least).
    """
    if chunk_nnz is None:
        chunk_nnz = CHUNK_NNZ
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if len(rows) == 0:
        return
    cost = np.diff(x.indptr)[rows] + np.diff(y.indptr)[cols]
    cum = np.cumsum(cost, dtype=np.int64)
    start = 0
    n_pairs = len(rows)
    while start < n_pairs:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + chunk_nnz, side="right"))
        stop = min(max(stop, start + 1), n_pairs)
        z = x[rows[start:stop]].multiply(y[cols[start:stop]])
        z = sp.csr_matrix(z)
        z.sort_indices()
        yield start, z
        start = stop


def masked_product(
    x: sp.csr_matrix,
    y: sp.csr_matrix,
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    chunk_nnz: int | None = None,
) -> np.ndarray:
    """``Σ_q x[rows[e], q] · y[cols[e], q] · w_q`` for every pair ``e``, without the full product.

    With ``weights`` ``None`` this is ``(x @ yᵀ)[rows[e], cols[e]]``. ``weights``
    may be a vector over the columns ``q`` (result: one value per pair) or an
    ``(n_columns, k)`` array (result: ``k`` values per pair, from one pass).
    """
    w = np.ones(x.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    out = np.zeros((len(rows), *w.shape[1:]), dtype=float)
    for start, z in pair_products(x, y, rows, cols, chunk_nnz=chunk_nnz):
        out[start : start + z.shape[0]] = z @ w
    return out
