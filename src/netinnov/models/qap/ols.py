"""The OLS engine of ``netlm``: QR once, every batch of permuted fits at once (qapy, qapspp).
"""

from __future__ import annotations

import numpy as np

from netinnov.models.qap.design import DyadicDesign
from netinnov.models.qap.result import _batches, _gather


# ----------------------------------------------------------------- OLS core
def _ols(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q, r = np.linalg.qr(X)
    rinv = np.linalg.inv(r)  # p × p: small
    coef = rinv @ (q.T @ y)
    resid = y - X @ coef
    rdf = len(y) - X.shape[1]
    xtx_inv_diag = (rinv**2).sum(axis=1)
    se = np.sqrt(xtx_inv_diag * (resid @ resid) / rdf) if rdf > 0 else np.full(X.shape[1], np.nan)
    return coef, se, rinv


def _ols_qapy_t(design: DyadicDesign, X: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """t-values of every column with the dependent matrix permuted (one QR, batched solves)."""
    q, r = np.linalg.qr(X)
    rinv = np.linalg.inv(r)
    diag = (rinv**2).sum(axis=1)
    rdf = X.shape[0] - X.shape[1]
    out = np.empty((len(perms), X.shape[1]))
    for s, e in _batches(len(perms), design.n_dyads):
        Yp = _gather(design, design.y_full, perms[s:e])  # B × N
        qty = Yp @ q  # B × p
        coef = qty @ rinv.T
        rss = np.einsum("bn,bn->b", Yp, Yp) - np.einsum("bk,bk->b", qty, qty)
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(diag[None, :] * np.clip(rss, 0, None)[:, None] / rdf)
            out[s:e] = coef / se
    return out


def _ols_qapspp_t(design: DyadicDesign, X: np.ndarray, k: int, perms: np.ndarray) -> np.ndarray:
    """t-values of the permuted residual of column k.

    With :math:`Q` an orthonormal basis of the other columns, :math:`M = I - QQ'`
    and :math:`e` the permuted residual, Frisch–Waugh–Lovell gives
    :math:`b = e'My / (e'e - \\lVert Q'e\\rVert^2)`, residual sum of squares
    :math:`y'My - b\\, e'My` and :math:`t = b / \\sqrt{RSS/(N-p) / (e'Me)}`:
    only the products of each permuted :math:`e` with :math:`[My, Q]` are needed.
    """
    y = design.y
    others = np.delete(X, k, axis=1)
    q, _ = np.linalg.qr(others)
    resid_k = X[:, k] - q @ (q.T @ X[:, k])
    e_full = design.full_matrix(resid_k)
    my = y - q @ (q.T @ y)
    ymy = my @ my
    basis = np.column_stack([my, q])
    rdf = X.shape[0] - X.shape[1]
    out = np.empty(len(perms))
    for s, e in _batches(len(perms), design.n_dyads):
        E = _gather(design, e_full, perms[s:e])  # B × N
        prod = E @ basis
        zy = prod[:, 0]
        zz = np.einsum("bn,bn->b", E, E) - np.einsum("bk,bk->b", prod[:, 1:], prod[:, 1:])
        with np.errstate(invalid="ignore", divide="ignore"):
            b = zy / zz
            rss = np.clip(ymy - zy * b, 0, None)
            t = b / np.sqrt(rss / rdf / zz)
        t[zz <= 1e-12 * max(float(resid_k @ resid_k), 1e-300)] = np.nan
        out[s:e] = t
    return out
