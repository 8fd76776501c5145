"""Dyadic regression with QAP inference (MRQAP): ``netlm`` and ``netlogit``.

A dyadic model explains the relation between two actors (a tie, its weight or
strength) by dyadic covariates — whether they share a sector, how far apart
they are on an attribute, whether they were tied in the previous wave. The
dyads of a network are not independent (every dyad of actor i shares i's
propensities), so classical standard errors are wrong; the quadratic assignment
procedure (QAP; Hubert 1987; Krackhardt 1988) compares each test statistic
with its distribution under random relabelling of the actors, which keeps the
row/column dependence of the matrices intact.

Estimates are those of R ``sna::netlm`` (ordinary least squares on the
vectorised dyads) and ``sna::netlogit`` (binomial GLM with logit link, maximum
likelihood) on the same matrices. Null hypotheses:

``qapy``
    Permute rows and columns of the dependent matrix together,
    :math:`Y^\\pi_{ij} = Y_{\\pi(i)\\pi(j)}`, refit, and record every
    coefficient's test statistic.
``qapspp``
    Double semi-partialling (Dekker, Krackhardt & Snijders 2007), sna's
    default: for each predictor :math:`X_k`, regress it (OLS) on the other
    predictors, permute the matrix of residuals :math:`E_k` (rows and columns
    together; in undirected networks the residual matrix is symmetric), refit
    the model with :math:`E_k^\\pi` in place of :math:`X_k` and record the test
    statistic of :math:`E_k^\\pi`. With a single column (e.g. an intercept alone)
    there is nothing to partial and ``qapy`` is used, as in sna.

The test statistic is the t-value (``netlm``) or z-value (``netlogit``,
:math:`\\hat\\beta_k / \\sqrt{[(X'WX)^{-1}]_{kk}}`), sna's defaults. With
:math:`T` the observed statistic and :math:`T^*_1, …, T^*_B` the permutation
statistics, the reported p-values are, as in sna's ``pgreqabs``, ``pgreq``,
``pleeq``,

.. math:: p = \\frac{1}{B}\\#\\{b: |T^*_b| \\ge |T|\\}, \\quad
          p_{\\ge} = \\frac{1}{B}\\#\\{b: T^*_b \\ge T\\}, \\quad
          p_{\\le} = \\frac{1}{B}\\#\\{b: T^*_b \\le T\\}

(ties within a relative 1e-10 count as reached; permutations whose statistic
is undefined are left out of :math:`B`).

``q_value`` is the Benjamini–Hochberg (1995) q-value of ``p_value`` within one
dyadic model on one case (or the pooled fit) of one wave; the intercept and
the case effects are not in the family and get NaN
(:func:`~netinnov.metrics.multiple_testing.qap_qvalues`).

Computation: the permutations are drawn as index arrays and applied by
gathering from the flattened full matrices, in batches. For OLS the design is
factorised once (QR) and every batch of permuted responses is solved at once
(qapy); for qapspp the Frisch–Waugh–Lovell theorem gives the t-value of the
permuted residual column from its projection off the other columns, so each
batch costs one product with the fixed :math:`Q` factor. Logistic refits run
Newton–Raphson on whole batches at once.

Pooled models stack the dyads of several cases with case dummies
(``case_id[T.<case>]``, not tested) and permute actors only within their own
case. Dyads are taken over ordered pairs :math:`i \\ne j` (directed) or
unordered pairs :math:`i < j` (undirected); the diagonal is never used.
Actors with a missing nodal attribute are removed from the case (all their
dyads are dropped and counted); a dyad with a missing ``edgecov`` value is
dropped, and under ``qapspp`` a permuted residual landing on it counts as 0,
the residuals' mean.

Modules: :mod:`.design` (the dyads, their covariates, the permutations),
:mod:`.ols` and :mod:`.logit` (the two permutation engines), :mod:`.result`,
:mod:`.frontend` (``netlm``, ``netlogit``) and :mod:`.pipeline` (the config's
``dyadic_models`` per case, pooled per wave, and ``qap.csv``).
"""

from __future__ import annotations

from netinnov.models.qap.design import (
    DyadicDesign,
    draw_permutations,
    dyadic_design,
    matrix_design,
    stack_designs,
)
from netinnov.models.qap.frontend import netlm, netlogit
from netinnov.models.qap.pipeline import (
    QAP_COLUMNS,
    CaseFits,
    fit_case_models,
    fit_pooled,
    fit_qap_models,
    previous_wave_matrix,
    wave_frame,
)
from netinnov.models.qap.result import QAPResult

__all__ = [
    "QAP_COLUMNS",
    "DyadicDesign",
    "QAPResult",
    "dyadic_design",
    "matrix_design",
    "stack_designs",
    "draw_permutations",
    "netlm",
    "netlogit",
    "previous_wave_matrix",
    "fit_qap_models",
    "fit_case_models",
    "fit_pooled",
    "CaseFits",
    "wave_frame",
]

