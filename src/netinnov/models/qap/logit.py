"""The logit engine of ``netlogit``: batched Newton–Raphson over permutations (qapy, qapspp).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from netinnov.models.qap.design import DyadicDesign
from netinnov.models.qap.result import _batches, _gather


# -------------------------------------------------------------- logit core
@dataclass
class _Layout:
    """Columns of a logistic design: dense ones, then 0/1 indicators of
    contiguous, adjacent dyad ranges (case dummies), handled block-wise."""

    dense: np.ndarray  # column indices (of X) treated densely, in order
    dummies: np.ndarray  # column indices of the block indicators, in order
    segments: np.ndarray  # (n_dummies, 2) dyad ranges [start, stop) of the indicators

    @property
    def order(self) -> np.ndarray:
        """X column of each internal coefficient (dense first, then dummies)."""
        return np.concatenate([self.dense, self.dummies]).astype(np.int64)

    def without(self, k: int) -> _Layout:
        """The layout with dense column k left out."""
        return _Layout(self.dense[self.dense != k], self.dummies, self.segments)


def _layout(X: np.ndarray, candidates: np.ndarray) -> _Layout:
    """Use the block structure when the candidate columns are 0/1 indicators
    of adjacent contiguous dyad ranges (as :func:`stack_designs` builds them)."""
    all_cols = np.arange(X.shape[1])
    cand = np.asarray(candidates, dtype=np.int64)
    if len(cand):
        segs = []
        for c in cand:
            col = X[:, c]
            nz = np.flatnonzero(col)
            if not np.isin(col, (0.0, 1.0)).all() or len(nz) == 0 or nz[-1] - nz[0] + 1 != len(nz):
                break
            segs.append((nz[0], nz[-1] + 1))
        else:
            order = np.argsort([sg[0] for sg in segs])
            segs_arr = np.asarray(segs, dtype=np.int64)[order]
            if np.all(segs_arr[1:, 0] == segs_arr[:-1, 1]):
                return _Layout(np.setdiff1d(all_cols, cand), cand[order], segs_arr)
    return _Layout(all_cols, np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int64))


def _finite_members(H: np.ndarray, g: np.ndarray | None = None) -> np.ndarray:
    ok = np.isfinite(H).all(axis=(1, 2))
    if g is not None:
        ok &= np.isfinite(g).all(axis=1)
    return ok


def _pinv_members(H: np.ndarray) -> np.ndarray:
    """Pseudo-inverses of finite matrices; NaN for one whose SVD fails."""
    try:
        return np.linalg.pinv(H)
    except np.linalg.LinAlgError:
        out = np.full(H.shape, np.nan)
        for b in range(len(H)):  # rare path: only when the batched SVD fails
            try:
                out[b] = np.linalg.pinv(H[b])
            except np.linalg.LinAlgError:
                pass
        return out


def _solve_batch(H: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Newton steps :math:`H_b^{-1} g_b` of a batch; NaN for members whose Hessian
    or gradient is not finite (a diverging fit), pseudo-inverse for singular ones.
    No decomposition is ever taken of a non-finite matrix."""
    out = np.full(grad.shape, np.nan)
    ok = _finite_members(H, grad)
    if not ok.any():
        return out
    try:
        out[ok] = np.linalg.solve(H[ok], grad[ok][:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        out[ok] = np.einsum("bij,bj->bi", _pinv_members(H[ok]), grad[ok])
    return out


def _inverse_batch(H: np.ndarray) -> np.ndarray:
    """Inverses of a batch of matrices (pseudo-inverse when singular; NaN when not finite)."""
    out = np.full(H.shape, np.nan)
    ok = _finite_members(H)
    if not ok.any():
        return out
    try:
        out[ok] = np.linalg.inv(H[ok])
    except np.linalg.LinAlgError:
        out[ok] = _pinv_members(H[ok])
    return out


def _logit_newton(
    G: np.ndarray,
    y: np.ndarray,
    beta: np.ndarray,
    V: np.ndarray | None = None,
    *,
    segments: np.ndarray | None = None,
    maxiter: int = 25,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Batched Newton–Raphson for logistic regression.

    Member b of the batch has the design ``[G, D, V[b]]``: dense columns
    ``G`` (N × g), indicator columns ``D`` of the adjacent dyad ranges
    ``segments`` (never formed: their Hessian blocks are segment sums) and an
    optional varying last column ``V`` (B × N); the response is ``y`` (N,
    shared) or ``y[b]`` (B × N); ``beta`` is the (B, p) start. :math:`G'WG`
    comes from one product ``w @ C`` with the column-pair products ``C`` of
    ``G``. A member has converged when every Newton step is below
    ``tol · (1 + |β|)``; convergence being quadratic, the estimate after that
    step is exact to about ``tol²``. At most ``maxiter`` steps (R's ``glm.fit``
    default 25). The Hessian used for the z-values is that of the last step.
    Returns coefficients, z-values :math:`\\beta_k/\\sqrt{[(X'WX)^{-1}]_{kk}}`,
    standard errors and a converged flag per member.
    """
    g = G.shape[1]
    segs = (
        np.zeros((0, 2), dtype=np.int64)
        if segments is None
        else np.asarray(segments, dtype=np.int64)
    )
    nd = len(segs)
    iu, ju = np.triu_indices(g)
    C = G[:, iu] * G[:, ju]  # N × g(g+1)/2
    p = g + nd + (V is not None)
    B = beta.shape[0]
    beta = beta.copy()
    yy = y if y.ndim == 2 else y[None, :]
    if nd:
        lo, hi = int(segs[0, 0]), int(segs[-1, 1])
        starts = segs[:, 0] - lo
        lengths = segs[:, 1] - segs[:, 0]
        diag_d = np.arange(g, g + nd)
        G_d = G[lo:hi]
    converged = np.zeros(B, dtype=bool)
    H = np.zeros((B, p, p))
    grad = np.empty((B, p))
    for _ in range(maxiter):
        eta = beta[:, :g] @ G.T
        if nd:
            eta[:, lo:hi] += np.repeat(beta[:, g : g + nd], lengths, axis=1)
        if V is not None:
            eta += beta[:, -1:] * V
        mu = expit(eta, out=eta)
        r = yy - mu
        mu *= 1.0 - mu  # the weights w
        w = mu
        hf = w @ C
        H[:, iu, ju] = hf
        H[:, ju, iu] = hf
        grad[:, :g] = r @ G
        if nd:
            H[:, g : g + nd, g : g + nd] = 0.0
            H[:, diag_d, diag_d] = np.add.reduceat(w[:, lo:hi], starts, axis=1)
            cross = np.add.reduceat(
                w[:, lo:hi, None] * G_d[None, :, :], starts, axis=1
            )  # B × nd × g
            H[:, g : g + nd, :g] = cross
            H[:, :g, g : g + nd] = np.transpose(cross, (0, 2, 1))
            grad[:, g : g + nd] = np.add.reduceat(r[:, lo:hi], starts, axis=1)
        if V is not None:
            wv = w * V
            H[:, -1, :g] = wv @ G
            if nd:
                H[:, -1, g : g + nd] = np.add.reduceat(wv[:, lo:hi], starts, axis=1)
            H[:, :-1, -1] = H[:, -1, :-1]
            H[:, -1, -1] = np.einsum("bn,bn->b", wv, V)
            grad[:, -1] = np.einsum("bn,bn->b", r, V)
        step = _solve_batch(H, grad)
        step[converged] = 0.0
        beta += step
        converged |= np.all(np.abs(step) <= tol * (1.0 + np.abs(beta)), axis=1)
        if converged.all():
            break
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = _inverse_batch(H)
        se = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))
        z = beta / se
    return beta, z, se, converged


def _logit_fit(
    X: np.ndarray, y: np.ndarray, layout: _Layout
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Observed logistic fit in X's column order: coefficients, z, se, converged."""
    beta, z, se, conv = _logit_newton(
        X[:, layout.dense], y, np.zeros((1, len(layout.order))), segments=layout.segments
    )
    out = [np.empty(X.shape[1]) for _ in range(3)]
    for arr, src in zip(out, (beta[0], z[0], se[0]), strict=True):
        arr[layout.order] = src
    return out[0], out[1], out[2], bool(conv[0])


def _logit_qapy_z(
    design: DyadicDesign, X: np.ndarray, layout: _Layout, beta0: np.ndarray, perms: np.ndarray
) -> np.ndarray:
    out = np.empty((len(perms), X.shape[1]))
    G = X[:, layout.dense]
    start = beta0[layout.order]
    per_item = (8 + G.shape[1]) * design.n_dyads
    for s, e in _batches(len(perms), per_item):
        Yp = _gather(design, design.y_full, perms[s:e])  # B × N
        _, z, _, _ = _logit_newton(G, Yp, np.tile(start, (e - s, 1)), segments=layout.segments)
        out[s:e][:, layout.order] = z
    return out


def _logit_qapspp_z(
    design: DyadicDesign, X: np.ndarray, layout: _Layout, k: int, perms: np.ndarray
) -> np.ndarray:
    others = np.delete(X, k, axis=1)
    q, _ = np.linalg.qr(others)
    resid_k = X[:, k] - q @ (q.T @ X[:, k])
    e_full = design.full_matrix(resid_k)
    sub = layout.without(k)
    G = X[:, sub.dense]
    beta_null, _, _, _ = _logit_newton(
        G, design.y, np.zeros((1, len(sub.order))), segments=sub.segments
    )
    out = np.empty(len(perms))
    per_item = (8 + G.shape[1]) * design.n_dyads
    for s, e in _batches(len(perms), per_item):
        E = _gather(design, e_full, perms[s:e])  # B × N
        start = np.hstack([np.tile(beta_null[0], (e - s, 1)), np.zeros((e - s, 1))])
        _, z, _, _ = _logit_newton(G, design.y, start, V=E, segments=sub.segments)
        out[s:e] = z[:, -1]
    return out
