r"""Multiple testing: Benjamini–Hochberg q-values per family of tests.

A study of collaborative innovation runs many tests at once (every
coefficient of a model, the E-I test of every case of a wave, the phase
tests of a wave, every term of a dyadic model). Each p-value keeps its
meaning; beside it, the **q-value** is the Benjamini–Hochberg (1995) step-up
adjusted p-value within its *family* of tests: rejecting every test with
:math:`q \le \alpha` controls the false discovery rate of the family at
:math:`\alpha` (independent or positively dependent tests; Benjamini &
Yekutieli 2001).

With the :math:`m` non-missing p-values of a family sorted,
:math:`p_{(1)} \le \dots \le p_{(m)}`,

.. math::

    q_{(i)} = \min_{j \ge i} \min\left(1, \frac{m\,p_{(j)}}{j}\right),

which equals ``statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]``.
Missing p-values (NaN) are not tests: they get a NaN q-value and do not count in
:math:`m`.

The families (one BH adjustment each):

- ``coefficients.csv`` (:func:`coefficient_qvalues`): one fitted model — the
  rows sharing ``model`` (``_std`` for the standardized refit), ``wave``,
  ``lagged``, ``standardized`` and, when present, ``estimator``. The
  intercept, wave effects (``wave[T.<w>]``, ``C(wave)[...]``, ``term_type``
  ``wave_effect``), ordered-logit thresholds and the negative-binomial
  dispersion are not hypotheses of the study: they are left out of the family
  and get NaN.
- ``qap.csv`` (:func:`qap_qvalues`): one dyadic model on one case (or the
  pooled fit) of one wave — rows sharing ``model``, ``case_id``, ``wave``. The
  intercept and the pooled fit's case effects (``case_id[...]``, not tested)
  get NaN.
- ``waves/<w>/mixing_tests.csv`` (:func:`mixing_tests`): one E-I test over
  every case of a wave (the label-permutation test and the degree-preserving
  test are two families).
- ``waves/<w>/phase_tests.csv`` (:func:`phase_qvalues`): the tests of a wave,
  one family per p-value column (paired t-test, Wilcoxon).

References
----------
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a
practical and powerful approach to multiple testing. *Journal of the Royal
Statistical Society B*, 57(1), 289–300.
Benjamini, Y., & Yekutieli, D. (2001). The control of the false discovery rate
in multiple testing under dependency. *Annals of Statistics*, 29(4), 1165–1188.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "QAP_P_COLUMN",
    "MIXING_TESTS",
    "MIXING_TEST_COLUMNS",
    "bh_qvalues",
    "family_qvalues",
    "coefficient_qvalues",
    "qap_qvalues",
    "phase_qvalues",
    "mixing_tests",
]

log = logging.getLogger(__name__)

#: The p-value column of ``qap.csv`` that the q-values adjust: the
#: Phipson & Smyth (2010) permutation p-value (b + 1)/(B + 1), which is never
#: 0 (sna's ``p_value`` can be, and BH would then call the test q = 0).
QAP_P_COLUMN = "p_value_plus1"

#: ``cases.csv`` p-value column -> ``test`` label of ``mixing_tests.csv``.
MIXING_TESTS = {
    "ei_p_value": "ei_permutation",
    "ei_p_value_conditional": "ei_conditional",
}
#: Columns of ``waves/<w>/mixing_tests.csv``.
MIXING_TEST_COLUMNS = ["case_id", "test", "p_value", "q_value", "family"]

_COEFFICIENT_FAMILY = ("model", "wave", "lagged", "standardized", "estimator")
_QAP_FAMILY = ("model", "case_id", "wave")
_NOT_TESTED_TYPES = (
    "wave_effect", "threshold", "dispersion", "intercept", "random_effect_sd", "working_correlation",
)


def bh_qvalues(p: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
    r"""Benjamini–Hochberg (1995) step-up adjusted p-values (q-values) of one family.

    :math:`q_{(i)} = \min_{j \ge i} \min(1, m\,p_{(j)}/j)` over the :math:`m`
    finite p-values sorted ascending; NaN (or infinite) entries are not tests
    and stay NaN. Same result as
    ``statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]`` on the
    finite entries.

    Parameters
    ----------
    p
        p-values in [0, 1] (NaN allowed).

    Returns
    -------
    numpy.ndarray
        q-values, float, in the order of ``p``.
    """
    values = np.asarray(p, dtype=float).ravel()
    out = np.full(values.shape, np.nan)
    ok = np.isfinite(values)
    m = int(ok.sum())
    if m == 0:
        return out
    finite = values[ok]
    order = np.argsort(finite, kind="stable")
    scaled = finite[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    q = np.empty(m)
    q[order] = adjusted
    out[ok] = q
    return out


def family_qvalues(
    table: pd.DataFrame,
    by: Sequence[str],
    *,
    p_column: str = "p_value",
    tested: pd.Series | np.ndarray | None = None,
) -> pd.Series:
    """BH q-values of ``table[p_column]`` within each group of ``by`` (the families).

    Rows where ``tested`` is False (not hypotheses of the study) are left out
    of their family and get NaN. Missing ``by`` values form their own group.
    Returns a float Series aligned with ``table``.
    """
    q = pd.Series(np.nan, index=table.index, dtype=float, name="q_value")
    if not len(table) or p_column not in table.columns:
        return q
    p = pd.to_numeric(table[p_column], errors="coerce").to_numpy(dtype=float)
    keep = np.ones(len(table), dtype=bool) if tested is None else np.asarray(tested, dtype=bool)
    p = np.where(keep, p, np.nan)
    keys = [c for c in by if c in table.columns]
    if not keys:
        q[:] = bh_qvalues(p)
        return q
    groups = table[keys].astype(str).groupby(keys, sort=False, dropna=False).indices
    values = np.full(len(table), np.nan)
    for rows in groups.values():
        values[rows] = bh_qvalues(p[rows])
    q[:] = values
    return q


def _not_tested_terms(term: pd.Series) -> np.ndarray:
    text = term.astype(str)
    return (
        text.eq("Intercept")
        | text.str.startswith("wave[")
        | text.str.startswith("C(wave")
        | text.str.startswith("case_id[")
    ).to_numpy()


def coefficient_qvalues(coefs: pd.DataFrame) -> pd.Series:
    """q-values of ``coefficients.csv``: one BH family per fitted model.

    Family: the rows sharing ``model``, ``wave``, ``lagged``,
    ``standardized`` and (when the table has it) ``estimator``. The
    intercept, wave effects (``wave[T.<w>]``, ``C(wave)...`` or ``term_type
    == "wave_effect"``), thresholds and dispersion get NaN and are not
    counted in :math:`m`. See :func:`bh_qvalues`.
    """
    if not len(coefs):
        return pd.Series(np.nan, index=coefs.index, dtype=float, name="q_value")
    skip = _not_tested_terms(coefs["term"])
    if "term_type" in coefs.columns:
        skip = skip | coefs["term_type"].astype(str).isin(_NOT_TESTED_TYPES).to_numpy()
    return family_qvalues(coefs, _COEFFICIENT_FAMILY, tested=~skip)


def qap_qvalues(qap: pd.DataFrame, p_column: str = QAP_P_COLUMN) -> pd.Series:
    """q-values of ``qap.csv``: one BH family per dyadic model × case (or pooled) × wave.

    The intercept and the pooled fit's case effects get NaN. ``p_column``:
    the p-value adjusted (:data:`QAP_P_COLUMN`). See :func:`bh_qvalues`.
    """
    if not len(qap):
        return pd.Series(np.nan, index=qap.index, dtype=float, name="q_value")
    return family_qvalues(qap, _QAP_FAMILY, p_column=p_column, tested=~_not_tested_terms(qap["term"]))


def phase_qvalues(tests: pd.DataFrame) -> pd.DataFrame:
    """``phase_tests.csv`` of one wave with ``q_value`` after ``p_value`` and
    ``wilcoxon_q_value`` after ``wilcoxon_p_value``.

    The family is every row of the wave's table (both measures, every group),
    one family per test (paired t-test; Wilcoxon signed-rank).
    """
    out = tests.copy()
    for p_col, q_col in (("p_value", "q_value"), ("wilcoxon_p_value", "wilcoxon_q_value")):
        if p_col not in out.columns:
            continue
        q = family_qvalues(out, (), p_column=p_col)
        if q_col in out.columns:
            out = out.drop(columns=q_col)
        out.insert(out.columns.get_loc(p_col) + 1, q_col, q.to_numpy())
    return out


def mixing_tests(cases: pd.DataFrame, *, wave: str | None = None) -> pd.DataFrame:
    """The E-I mixing tests of one wave with their q-values (``mixing_tests.csv``).

    One row per case and test (``ei_permutation`` from ``cases.csv``'s
    ``ei_p_value``, ``ei_conditional`` from ``ei_p_value_conditional``; the
    columns the table lacks are skipped). The family is one test over every
    case of the wave (``family`` = ``<test>`` or ``<wave>/<test>``); a case
    without a p-value (NaN) keeps its row with NaN and is not counted.
    """
    label = (lambda t: f"{wave}/{t}") if wave else (lambda t: t)
    frames = []
    if "case_id" in cases.columns:
        ids = cases["case_id"].astype(str).to_numpy()
        for column, test in MIXING_TESTS.items():
            if column not in cases.columns:
                continue
            p = pd.to_numeric(cases[column], errors="coerce").to_numpy(dtype=float)
            frames.append(
                pd.DataFrame(
                    {"case_id": ids, "test": test, "p_value": p, "q_value": bh_qvalues(p), "family": label(test)}
                )
            )
    if not frames:
        return pd.DataFrame(columns=MIXING_TEST_COLUMNS)
    return pd.concat(frames, ignore_index=True)[MIXING_TEST_COLUMNS]


