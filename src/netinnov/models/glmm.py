r"""Mixed models with a case random intercept, by maximum likelihood.

For cases :math:`c = 1..G` observed in waves :math:`t`, the model is

.. math::

    g(\mathrm{E}[y_{ct} \mid u_c]) = x_{ct}'\beta + u_c, \qquad
    u_c \sim N(0, \sigma_u^2),

so the coefficients are *conditional* (case-specific) effects, the ones a
random-intercept model reports (Laird & Ware 1982; Breslow & Clayton 1993).

Linear outcomes (``ols``)
    statsmodels' ``MixedLM`` fitted by REML (Lindstrom & Bates 1988).

Binary (``logit``), count (``poisson``) and ordinal (``ordered_logit``)
    The marginal likelihood
    :math:`L_c = \int \prod_t f(y_{ct} \mid x_{ct}'\beta + u)\,\phi(u; 0, \sigma_u)\,du`
    is evaluated by **adaptive Gauss–Hermite quadrature** (Pinheiro & Bates
    1995; Liu & Pierce 1994), as ``lme4::glmer(nAGQ = q)`` does for a single
    scalar random effect: with :math:`h_c(u) = \log\prod_t f(\cdot) +
    \log\phi(u)`, its mode :math:`\hat u_c` (Newton) and curvature
    :math:`s_c = (-h_c''(\hat u_c))^{-1/2}`,

    .. math::

        L_c \approx \sqrt2\, s_c \sum_{q=1}^{Q} w_q\, e^{z_q^2}\,
        e^{h_c(\hat u_c + \sqrt2\, s_c z_q)}

    with the Gauss–Hermite nodes :math:`z_q` and weights :math:`w_q`
    (:data:`QUADRATURE_POINTS` = 15 by default). The log-likelihood is
    maximised over :math:`(\beta, \log\sigma_u)` (and the cut-points of the
    ordinal model, :math:`c_1` and :math:`\log(c_j - c_{j-1})`) by BFGS; the
    covariance of the estimates is the inverse of the numerical Hessian of
    :math:`-\log L` (observed information). The ordinal model is the
    cumulative logit :math:`P(y \le j \mid u) = F(c_j - x'\beta - u)`, with no
    intercept, as in :mod:`netinnov.models.glm`.

Inference
    Each fixed effect is tested against t with **between–within** degrees of
    freedom (Schluchter & Elashoff 1990; SAS ``DDFM=BETWITHIN``; recommended for
    few clusters by Li & Redden 2015): a term constant within every case
    (a case-level predictor, the intercept) gets :math:`G - p_b`, with
    :math:`p_b` the number of such terms; a term that varies within cases gets
    :math:`N - G - p_w`. The random-intercept SD is reported as the term
    ``sd(case)`` (``term_type = "random_effect_sd"``) with a delta-method
    standard error, an interval :math:`\exp(\log\hat\sigma_u \pm 1.96\,
    \mathrm{se})` and no p-value (a variance at its boundary 0 has no Wald test).

References
----------
Breslow, N. E., & Clayton, D. G. (1993). Approximate inference in generalized
linear mixed models. *JASA*, 88(421), 9–25.
Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal
data. *Biometrics*, 38(4), 963–974.
Li, P., & Redden, D. T. (2015). Comparing denominator degrees of freedom
approximations for the generalized linear mixed model in analyzing binary
outcome in small sample cluster-randomized trials. *BMC Medical Research
Methodology*, 15, 38.
Lindstrom, M. J., & Bates, D. M. (1988). Newton–Raphson and EM algorithms for
linear mixed-effects models for repeated-measures data. *JASA*, 83(404),
1014–1022.
Liu, Q., & Pierce, D. A. (1994). A note on Gauss–Hermite quadrature.
*Biometrika*, 81(3), 624–629.
Pinheiro, J. C., & Bates, D. M. (1995). Approximations to the log-likelihood
function in the nonlinear mixed-effects model. *Journal of Computational and
Graphical Statistics*, 4(1), 12–35.
Schluchter, M. D., & Elashoff, J. D. (1990). Small-sample adjustments to tests
with unbalanced repeated measures assuming several covariance structures.
*Journal of Statistical Computation and Simulation*, 37(1–2), 69–87.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

__all__ = [
    "QUADRATURE_POINTS",
    "MIXED_FAMILIES",
    "GLMMResult",
    "between_within_df",
    "glmm_loglik",
    "fit_glmm",
]

#: Gauss–Hermite points of the adaptive quadrature (``glmer``'s ``nAGQ``).
QUADRATURE_POINTS = 15
#: Families with a random-intercept model here (``ols`` through ``MixedLM``).
MIXED_FAMILIES = ("ols", "logit", "poisson", "ordered_logit")
_LOG_SD_BOUNDS = (-12.0, 5.0)
#: A case random-intercept SD below this is reported as 0 (its boundary).
BOUNDARY_SD = 1e-2


def between_within_df(X: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Between–within degrees of freedom of each column of the design ``X``.

    A column constant within every group is a between-cluster term and gets
    :math:`G - p_b`; the others get :math:`N - G - p_w` (Schluchter & Elashoff
    1990). Both are floored at 1.
    """
    X = np.asarray(X, dtype=float)
    codes = np.unique(np.asarray(groups), return_inverse=True)[1]
    G = int(codes.max()) + 1 if codes.size else 0
    n = X.shape[0]
    lo = np.full((G, X.shape[1]), np.inf)
    hi = np.full((G, X.shape[1]), -np.inf)
    np.minimum.at(lo, codes, X)
    np.maximum.at(hi, codes, X)
    between = np.all(np.isclose(lo, hi, rtol=0.0, atol=1e-12), axis=0)
    p_b = int(between.sum())
    p_w = X.shape[1] - p_b
    return np.where(between, max(G - p_b, 1), max(n - G - p_w, 1)).astype(float)


def _log_density(
    family: str, y: np.ndarray, eta: np.ndarray, cuts: np.ndarray | None
) -> np.ndarray:
    """log f(y | eta) elementwise; ``eta`` may carry trailing axes."""
    if family == "logit":
        # log expit(eta) for y = 1, log expit(-eta) for y = 0
        return -np.logaddexp(0.0, np.where(y > 0.5, -eta, eta))
    if family == "poisson":
        return y * eta - np.exp(np.minimum(eta, 700.0)) - special.gammaln(y + 1.0)
    # ordered logit: P(y = j) = F(c_j - eta) - F(c_{j-1} - eta)
    k = cuts.size
    yi = y.astype(np.int64)
    upper = np.where(yi < k, cuts[np.minimum(yi, k - 1)], np.inf)
    lower = np.where(yi > 0, cuts[np.maximum(yi - 1, 0)], -np.inf)
    a = upper - eta
    b = lower - eta
    # log(F(a) - F(b)) = log F(a) + log(1 - exp(log F(b) - log F(a)))
    log_fa = -np.logaddexp(0.0, -a)
    log_fb = -np.logaddexp(0.0, -b)
    diff = np.minimum(log_fb - log_fa, -1e-300)
    return log_fa + np.log(-np.expm1(diff))


def _cluster_sum(values: np.ndarray, codes: np.ndarray, G: int) -> np.ndarray:
    """Sum the rows of ``values`` (n, ...) by cluster code -> (G, ...)."""
    out = np.zeros((G,) + values.shape[1:])
    np.add.at(out, codes, values)
    return out


def _h(family, y, eta, cuts, codes, G, u, sd):
    """h_c(u_c) for every cluster: sum of log f over its rows + log phi(u; 0, sd)."""
    rows = _log_density(family, y[:, None], eta[:, None] + u[codes], cuts)
    return _cluster_sum(rows, codes, G) + (
        -0.5 * (u / sd) ** 2 - np.log(sd) - 0.5 * np.log(2.0 * np.pi)
    )


def _modes(family, y, eta, cuts, codes, G, sd, *, iterations: int = 50):
    """Mode and curvature of h_c (Newton, finite differences; h_c is concave)."""
    u = np.zeros((G, 1))
    step = 1e-4 * max(sd, 1e-3)
    for _ in range(iterations):
        grid = u + np.array([-step, 0.0, step])
        h = _h(family, y, eta, cuts, codes, G, grid, sd)
        d1 = (h[:, 2] - h[:, 0]) / (2.0 * step)
        d2 = (h[:, 2] - 2.0 * h[:, 1] + h[:, 0]) / step**2
        d2 = np.minimum(d2, -1.0 / (sd**2) * 1e-6 - 1e-12)
        move = -d1 / d2
        move = np.clip(move, -5.0 * max(sd, 0.1), 5.0 * max(sd, 0.1))
        u = u + move[:, None]
        if np.max(np.abs(move)) < 1e-10:
            break
    grid = u + np.array([-step, 0.0, step])
    h = _h(family, y, eta, cuts, codes, G, grid, sd)
    d2 = (h[:, 2] - 2.0 * h[:, 1] + h[:, 0]) / step**2
    d2 = np.minimum(d2, -1e-12)
    return u[:, 0], 1.0 / np.sqrt(-d2)


def glmm_loglik(
    family: str,
    y: np.ndarray,
    X: np.ndarray,
    groups: np.ndarray,
    beta: np.ndarray,
    sd: float,
    cuts: np.ndarray | None = None,
    *,
    points: int = QUADRATURE_POINTS,
) -> float:
    """Marginal log-likelihood of a random-intercept GLMM (adaptive Gauss–Hermite)."""
    codes = np.unique(np.asarray(groups), return_inverse=True)[1]
    G = int(codes.max()) + 1
    eta = np.asarray(X, dtype=float) @ np.asarray(beta, dtype=float)
    y = np.asarray(y, dtype=float)
    mode, s = _modes(family, y, eta, cuts, codes, G, sd)
    z, w = np.polynomial.hermite.hermgauss(points)
    u = mode[:, None] + np.sqrt(2.0) * s[:, None] * z[None, :]  # (G, Q)
    h = _h(family, y, eta, cuts, codes, G, u, sd)
    terms = np.log(w)[None, :] + z[None, :] ** 2 + h
    return float(np.sum(np.log(np.sqrt(2.0) * s) + special.logsumexp(terms, axis=1)))


@dataclass
class GLMMResult:
    """Estimates of a random-intercept GLMM (see the module docstring)."""

    params: np.ndarray  # beta, then the cut-points c_j (ordered logit)
    std_error: np.ndarray
    sd: float
    sd_std_error: float
    log_sd_std_error: float
    loglik: float
    converged: bool
    n_params: int
    message: str = ""


def _unpack(theta: np.ndarray, p: int, family: str):
    beta = theta[:p]
    log_sd = theta[p]
    if family == "ordered_logit":
        raw = theta[p + 1 :]
        cuts = np.cumsum(np.concatenate([[raw[0]], np.exp(raw[1:])]))
        return beta, log_sd, cuts
    return beta, log_sd, None


def _start(family: str, y: np.ndarray, X: np.ndarray, n_levels: int) -> np.ndarray:
    p = X.shape[1]
    if family == "ordered_logit":
        shares = np.cumsum(np.bincount(y.astype(int), minlength=n_levels))[:-1] / y.size
        shares = np.clip(shares, 1e-3, 1 - 1e-3)
        cuts = special.logit(shares)
        raw = np.concatenate([[cuts[0]], np.log(np.maximum(np.diff(cuts), 1e-3))])
        return np.concatenate([np.zeros(p), [np.log(0.5)], raw])
    import statsmodels.api as sm

    fam = sm.families.Binomial() if family == "logit" else sm.families.Poisson()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        beta = sm.GLM(y, X, family=fam).fit().params
    return np.concatenate([np.asarray(beta, dtype=float), [np.log(0.5)]])


def fit_glmm(
    family: str,
    y: np.ndarray,
    X: np.ndarray,
    groups: np.ndarray,
    *,
    n_levels: int | None = None,
    points: int = QUADRATURE_POINTS,
) -> GLMMResult:
    """Maximum-likelihood random-intercept GLMM for ``logit``, ``poisson`` or ``ordered_logit``.

    ``y``: 0/1, counts, or ordinal codes ``0..n_levels-1``; ``X``: the fixed
    design (no intercept column for ``ordered_logit``); ``groups``: the case of
    each row. Returns :class:`GLMMResult`; ``params`` are ``beta`` followed by
    the cut-points for the ordinal model.
    """
    if family not in ("logit", "poisson", "ordered_logit"):
        raise ValueError(f"no random-intercept GLMM for family {family!r}")
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    if family == "ordered_logit" and n_levels is None:
        n_levels = int(y.max()) + 1
    theta0 = _start(family, y, X, n_levels or 0)

    def objective(theta: np.ndarray) -> float:
        beta, log_sd, cuts = _unpack(theta, p, family)
        log_sd = float(np.clip(log_sd, *_LOG_SD_BOUNDS))
        with np.errstate(all="ignore"):
            value = -glmm_loglik(family, y, X, groups, beta, np.exp(log_sd), cuts, points=points)
        return value if np.isfinite(value) else 1e300

    bounds = [(None, None)] * p + [_LOG_SD_BOUNDS] + [(None, None)] * (theta0.size - p - 1)
    res = optimize.minimize(
        objective, theta0, method="L-BFGS-B", bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-7},
    )  # fmt: skip
    theta = res.x
    message = ""
    # sd below BOUNDARY_SD: at its boundary 0 for every practical purpose
    at_boundary = theta[p] <= np.log(BOUNDARY_SD)
    from statsmodels.tools.numdiff import approx_hess3

    free = np.ones(theta.size, dtype=bool)
    if at_boundary:  # sd at 0: the other parameters' information with sd fixed there
        free[p] = False
        message = "the case random-intercept SD is at its boundary (0): the mixed model reduces to the GLM"
    with np.errstate(all="ignore"):
        hess = approx_hess3(theta, objective)
    cov = np.full((theta.size, theta.size), np.nan)
    sub = hess[np.ix_(free, free)]
    try:
        inv = np.linalg.inv(sub)
        if not np.all(np.isfinite(inv)) or np.any(np.diag(inv) < 0):
            raise np.linalg.LinAlgError("information not positive definite")
        cov[np.ix_(free, free)] = inv
    except np.linalg.LinAlgError:
        message = (message + "; " if message else "") + "the information matrix is singular"
    beta, log_sd, cuts = _unpack(theta, p, family)
    se_theta = np.sqrt(np.clip(np.diag(cov), 0, None))
    se_theta[~np.isfinite(np.diag(cov))] = np.nan
    params = beta.copy()
    se = se_theta[:p].copy()
    if family == "ordered_logit":
        k = cuts.size
        raw = theta[p + 1 :]
        jac = np.zeros((k, k))
        for a in range(k):
            jac[a, 0] = 1.0
            jac[a, 1 : a + 1] = np.exp(raw[1 : a + 1])
        cov_c = jac @ cov[p + 1 :, p + 1 :] @ jac.T
        params = np.concatenate([beta, cuts])
        se = np.concatenate([se, np.sqrt(np.clip(np.diag(cov_c), 0, None))])
    sd = float(np.exp(log_sd))
    se_log_sd = float(se_theta[p]) if free[p] else np.nan
    return GLMMResult(
        params=params,
        std_error=se,
        sd=0.0 if at_boundary else sd,
        sd_std_error=sd * se_log_sd,
        log_sd_std_error=se_log_sd,
        loglik=-float(res.fun),
        converged=bool(res.success),
        n_params=int(theta.size),
        message=message,
    )
