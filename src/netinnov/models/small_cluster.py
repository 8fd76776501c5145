"""Small-cluster inference: CR2 (Bell–McCaffrey) covariance, Satterthwaite df.

With few clusters the usual cluster-robust (CR1) sandwich is biased downward
and its normal or :math:`t(G-1)` reference too narrow (Cameron & Miller 2015).
The bias-reduced linearisation of Bell & McCaffrey (2002), "CR2", corrects the
residuals of each cluster by the inverse square root of one minus its
leverage, and tests each coefficient against a t distribution whose degrees of
freedom come from a Satterthwaite approximation (Bell & McCaffrey 2002;
Imbens & Kolesár 2016; Pustejovsky & Tipton 2018).

Linear model (working model: independent, homoskedastic errors)
----------------------------------------------------------------
With design :math:`X`, residuals :math:`e`, bread :math:`M = (X'X)^{-1}`,
cluster blocks :math:`X_g, e_g` and :math:`H_{gg} = X_g M X_g'`:

.. math::

    V^{CR2} = M \\Big[\\sum_g X_g' A_g e_g e_g' A_g X_g\\Big] M,
    \\qquad A_g = (I - H_{gg})^{-1/2}

(a Moore–Penrose inverse square root when :math:`I - H_{gg}` is singular).
For a coefficient :math:`c'\\beta`, :math:`c'V^{CR2}c = \\sum_g (u_g'\\varepsilon)^2`
with :math:`u_g = (I - H)_{\\cdot g} A_g X_g M c` under the working model
:math:`\\varepsilon \\sim N(0, I)`; matching its mean and variance to a scaled
:math:`\\chi^2` gives

.. math::

    \\nu = \\frac{(\\operatorname{tr} Q)^2}{\\sum_{g,h} Q_{gh}^2}, \\qquad Q_{gh} = u_g'u_h .

Both are computed here in the :math:`p`-dimensional space of the parameters,
never with :math:`n \\times n` matrices: with :math:`K_g = X_g'X_g` (the
cluster's share of the information), :math:`s_g = X_g'e_g` (its score) and the
push-through identity :math:`X_g' f(X_g M X_g') = f(K_g M) X_g'`,

.. math::

    X_g'A_g e_g = (I - K_g M)^{-1/2} s_g = S^{-1}(I - B_g)^{-1/2} S s_g,
    \\qquad S = M^{1/2},\\ B_g = S K_g S,

and, as :math:`I - H` is idempotent,
:math:`Q_{gh} = \\delta_{gh}\\, m'(I - B_g)^{-1}B_g m - z_g'z_h` with
:math:`m = Sc` and :math:`z_g = (I - B_g)^{-1/2}B_g m`. Only :math:`G` batched
:math:`p \\times p` eigen-decompositions are needed.

GLMs: working weights
---------------------
For a GLM the same algebra is applied to the IRLS-weighted design
:math:`W^{1/2}X` at the estimate (the form clubSandwich uses for ``glm``
objects): :math:`K_g = X_g'W_gX_g`, :math:`s_g` the cluster's score
(:math:`X_g'(y_g - \\mu_g)` for the canonical links of logit and Poisson;
:math:`X_g'[(y - \\mu)/(1 + \\alpha\\mu)]_g` and :math:`w = \\mu/(1 + \\alpha\\mu)`
for NB2, :math:`\\alpha` held at its estimate), :math:`M = (\\sum_g K_g)^{-1}`.
For the ordered logit, a multivariate GLM, :math:`K_g` is the cluster's
expected information and :math:`s_g` its score in :math:`(\\beta, c_1, \\dots,
c_{J-1})`; the formulas above apply unchanged (they only need :math:`K_g`,
:math:`s_g` and :math:`M`).

The CR2 estimator is unbiased when the working model holds and reduces to HC2
(MacKinnon & White 1985) when every cluster holds one observation.

References: Bell, R. M. & McCaffrey, D. F. (2002), Survey Methodology 28(2);
Cameron, A. C. & Miller, D. L. (2015), J. Human Resources 50(2);
Imbens, G. W. & Kolesár, M. (2016), Rev. Econ. Stat. 98(4);
Pustejovsky, J. E. & Tipton, E. (2018), J. Bus. Econ. Stat. 36(4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse
from scipy import special, stats

__all__ = [
    "CR2Result",
    "cluster_sums",
    "cr1_vcov",
    "cr2",
    "glm_parts",
    "ordered_logit_parts",
    "t_inference",
]

_TOL = 1e-10


@dataclass(frozen=True)
class CR2Result:
    """CR2 covariance (``vcov``, p × p) and Satterthwaite df per coefficient."""

    vcov: np.ndarray
    df: np.ndarray
    n_clusters: int

    @property
    def std_error(self) -> np.ndarray:
        """Square roots of the diagonal of :attr:`vcov`."""
        return np.sqrt(np.clip(np.diag(self.vcov), 0.0, None))


def cluster_sums(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, int]:
    """Sum the rows of ``values`` (n × …) within clusters; return (G × …, G).

    Clusters are numbered by first appearance (``pandas.factorize`` order is
    not needed: any labels work).
    """
    _, codes = np.unique(np.asarray(groups), return_inverse=True)
    n_groups = int(codes.max()) + 1 if codes.size else 0
    values = np.asarray(values, dtype=float)
    flat = values.reshape(values.shape[0], -1)
    ind = scipy.sparse.csr_matrix(
        (np.ones(codes.size), (codes, np.arange(codes.size))), shape=(n_groups, codes.size)
    )
    return np.asarray(ind @ flat).reshape((n_groups, *values.shape[1:])), n_groups


def glm_parts(
    X: np.ndarray, weights: np.ndarray, score_resid: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster information :math:`K_g = X_g'W_gX_g` and scores :math:`s_g = X_g'r_g`.

    ``weights`` are the IRLS working weights :math:`w_i` (1 for OLS) and
    ``score_resid`` the residuals :math:`r_i` whose product with :math:`x_i`
    is the observation's score (:math:`y_i - \\mu_i` for OLS, logit, Poisson).
    """
    X = np.asarray(X, dtype=float)
    w = np.asarray(weights, dtype=float)
    r = np.asarray(score_resid, dtype=float)
    info_obs = (w[:, None, None] * X[:, :, None]) * X[:, None, :]
    info, _ = cluster_sums(info_obs, groups)
    scores, _ = cluster_sums(X * r[:, None], groups)
    return info, scores


def ordered_logit_parts(
    X: np.ndarray, codes: np.ndarray, beta: np.ndarray, cuts: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster expected information and scores of an ordered logit.

    Model: :math:`P(y \\le j) = F(c_j - x'\\beta)`, :math:`F` logistic,
    parameters :math:`\\theta = (\\beta, c_1, \\dots, c_{J-1})`. With
    :math:`\\pi_{ik} = F(c_k - \\eta_i) - F(c_{k-1} - \\eta_i)` and
    :math:`D_{ik} = \\partial\\pi_{ik}/\\partial\\theta`, the observation's
    expected information is :math:`\\sum_k D_{ik}D_{ik}'/\\pi_{ik}` and its score
    :math:`D_{i,y_i}/\\pi_{i,y_i}` (McCullagh 1980).
    """
    X = np.asarray(X, dtype=float)
    codes = np.asarray(codes, dtype=np.int64)
    n, p = X.shape
    k_thr = len(cuts)
    eta = X @ np.asarray(beta, dtype=float)
    z = np.asarray(cuts, dtype=float)[None, :] - eta[:, None]  # n × (J-1)
    cdf = special.expit(z)
    dens = cdf * (1.0 - cdf)
    # augmented with F(-inf) = 0 and F(inf) = 1, density 0 at both ends
    cdf_a = np.hstack([np.zeros((n, 1)), cdf, np.ones((n, 1))])
    dens_a = np.hstack([np.zeros((n, 1)), dens, np.zeros((n, 1))])
    prob = np.clip(np.diff(cdf_a, axis=1), 1e-300, None)  # n × J
    n_cat = k_thr + 1
    D = np.zeros((n, n_cat, p + k_thr))
    D[:, :, :p] = -(dens_a[:, 1:] - dens_a[:, :-1])[:, :, None] * X[:, None, :]
    for j in range(k_thr):  # bounded by the number of categories, not the data
        D[:, j, p + j] += dens[:, j]  # ∂F(c_j - η)/∂c_j in category j
        D[:, j + 1, p + j] -= dens[:, j]  # −∂F(c_j - η)/∂c_j in category j+1
    Dw = D / np.sqrt(prob)[:, :, None]
    info_obs = np.einsum("nkp,nkq->npq", Dw, Dw)
    score_obs = D[np.arange(n), codes] / prob[np.arange(n), codes][:, None]
    info, _ = cluster_sums(info_obs, groups)
    scores, _ = cluster_sums(score_obs, groups)
    return info, scores


def _sym_function(B: np.ndarray, power: float) -> np.ndarray:
    """:math:`(I - B)^{power}` for a batch of symmetric B (pseudo-inverse at 1)."""
    lam, vec = np.linalg.eigh(B)
    one_minus = 1.0 - lam
    ok = one_minus > _TOL
    f = np.where(ok, np.abs(one_minus) ** power, 0.0)
    return np.einsum("...ij,...j,...kj->...ik", vec, f, vec)


def cr2(info: np.ndarray, scores: np.ndarray) -> CR2Result:
    """CR2 covariance and Satterthwaite df from cluster information and scores.

    Parameters
    ----------
    info
        ``G × p × p``: each cluster's information :math:`K_g` (for OLS
        :math:`X_g'X_g`; GLMs :math:`X_g'W_gX_g`).
    scores
        ``G × p``: each cluster's score :math:`s_g` at the estimate.

    Returns
    -------
    CR2Result
        ``vcov`` (:math:`V^{CR2}`, module docstring) and ``df``
        (:math:`\\nu_j` for each coefficient :math:`c = e_j`).
    """
    info = np.asarray(info, dtype=float)
    scores = np.asarray(scores, dtype=float)
    n_groups, p = scores.shape
    total = info.sum(axis=0)
    lam, vec = np.linalg.eigh((total + total.T) / 2.0)
    keep = lam > _TOL * max(lam.max(), 1e-300)
    inv_sqrt = np.where(keep, 1.0 / np.sqrt(np.where(keep, lam, 1.0)), 0.0)
    S = (vec * inv_sqrt) @ vec.T  # M^{1/2}
    B = S @ info @ S  # G × p × p
    B = (B + np.swapaxes(B, 1, 2)) / 2.0
    A_half = _sym_function(B, -0.5)  # (I - B_g)^{-1/2}
    A_full = _sym_function(B, -1.0)  # (I - B_g)^{+}
    t = np.einsum("gij,gj->gi", A_half, scores @ S)  # (I - B_g)^{-1/2} S s_g
    meat = t.T @ t
    vcov = S @ meat @ S
    # Satterthwaite: m_j = S e_j, columns of S
    d = np.einsum("ij,gik,kj->gj", S, A_full @ B, S)  # m_j'(I-B_g)^+ B_g m_j, G × p
    z = np.einsum("gik,kj->gij", A_half @ B, S)  # z_gj = (I-B_g)^{-1/2} B_g m_j, G × p × p
    gram = np.einsum("gij,hij->jgh", z, z)  # p × G × G
    Q = -gram
    idx = np.arange(n_groups)
    Q[:, idx, idx] += d.T
    tr = np.trace(Q, axis1=1, axis2=2)
    ss = (Q**2).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(ss > 0, tr**2 / ss, np.nan)
    return CR2Result(vcov=(vcov + vcov.T) / 2.0, df=df, n_clusters=n_groups)


def cr1_vcov(info: np.ndarray, scores: np.ndarray, n_obs: int) -> np.ndarray:
    """CR1: :math:`\\frac{G}{G-1}\\frac{N-1}{N-p} M \\sum_g s_g s_g' M` (statsmodels' ``cluster``)."""
    n_groups, p = scores.shape
    M = np.linalg.pinv(info.sum(axis=0))
    factor = n_groups / (n_groups - 1) * (n_obs - 1) / (n_obs - p)
    return factor * M @ (scores.T @ scores) @ M


def t_inference(
    estimate: np.ndarray, std_error: np.ndarray, df: np.ndarray | float, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Statistic, two-sided p-value and interval with a t(df) reference.

    ``df`` = ``inf`` or NaN means the normal reference.
    """
    est = np.asarray(estimate, dtype=float)
    se = np.asarray(std_error, dtype=float)
    df = np.broadcast_to(np.asarray(df, dtype=float), est.shape)
    normal = ~np.isfinite(df)
    safe_df = np.where(normal, 1.0, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = est / se
    q = 0.5 + level / 2.0
    crit = np.where(normal, stats.norm.ppf(q), stats.t.ppf(q, safe_df))
    pval = np.where(normal, 2 * stats.norm.sf(np.abs(stat)), 2 * stats.t.sf(np.abs(stat), safe_df))
    return stat, pval, est - crit * se, est + crit * se
