r"""Tie strength on fixed scales, and the strong/weak class of a tie.

Granovetter (1973, p. 1361) defines the strength of a tie as "a (probably
linear) combination of the amount of time, the emotional intensity, the
intimacy (mutual confiding), and the reciprocal services which characterize
the tie". Marsden & Campbell (1984) measure these aspects by separate
indicators — frequency and duration of contact (time), closeness (intensity;
their best single indicator), multiplexity and reciprocity — and Marsden &
Campbell (2012) recommend keeping the indicators apart and combining them
explicitly. Here each indicator is put on ``[0, 1]`` by a fixed, documented
rule whose anchors are config constants, so that a tie's strength depends on
its own records and the config only: it does not change when another case or
another wave is added, and strengths compare across cases and waves.

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
    Sociology*, 78(6), 1360–1380.
Granovetter, M. S. (1974). *Getting a Job*. Harvard University Press.
Marsden, P. V., & Campbell, K. E. (1984). Measuring tie strength. *Social
    Forces*, 63(2), 482–501.
Marsden, P. V., & Campbell, K. E. (2012). Reflections on conceptualizing and
    measuring tie strength. *Social Forces*, 91(1), 17–23.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

__all__ = [
    "CLASSIFY_METHODS",
    "CLOSENESS_SCALE",
    "DEFAULT_STRONG_THRESHOLD",
    "DEFAULT_TIE_STRENGTH_ANCHORS",
    "DEFAULT_TIE_STRENGTH_WEIGHTS",
    "INDICATORS",
    "classify_ties",
    "rescaled_indicators",
    "tie_strength",
]

#: Default weights of the indicators in :func:`tie_strength` (keys are ties columns).
DEFAULT_TIE_STRENGTH_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "frequency": 1.0,
        "duration_min": 1.0,
        "closeness": 1.0,
        "multiplexity": 1.0,
        "coparticipation": 0.5,
        "reciprocated": 1.0,
    }
)

#: Default anchors of the count indicators: the value at which an indicator reaches 1.
DEFAULT_TIE_STRENGTH_ANCHORS: Mapping[str, float] = MappingProxyType(
    {
        "frequency": 52.0,  # weekly contact over a one-year wave
        "duration_min": 2400.0,  # 40 hours of joint time in the wave, a working week
        "n_records": 12.0,  # a record a month over a one-year wave
        "multiplexity": 3.0,  # three or more distinct channels or contexts
        "coparticipation": 10.0,  # ten shared events (or hours) in the wave
    }
)

#: The closeness rating scale of ``interactions.csv`` (validation keeps 1–5).
CLOSENESS_SCALE = (1.0, 5.0)

#: Default strength at or above which a tie is strong (``method="absolute"``).
DEFAULT_STRONG_THRESHOLD = 0.5

#: Indicator -> rescaling rule.
INDICATORS: Mapping[str, str] = MappingProxyType(
    {
        "frequency": "log",
        "duration_min": "log",
        "n_records": "log",
        "coparticipation": "log",
        "multiplexity": "linear",
        "closeness": "rating",
        "reciprocated": "binary",
    }
)

#: The rules of :func:`classify_ties`.
CLASSIFY_METHODS = ("absolute", "indicators", "quantile")


# --------------------------------------------------------------------------- indicators
def rescaled_indicators(
    ties: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    anchors: Mapping[str, float] | None = None,
    directed: bool,
    coparticipation_observed: np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    r"""Each tie-strength indicator of each tie on the fixed scale ``[0, 1]``.

    For tie :math:`t` with record value :math:`x_{tc}` of indicator :math:`c`
    and anchor :math:`A_c` (config ``tie_strength_scale``):

    =============== ========================================= ====================================================
    indicator       meaning                                   :math:`y_{tc}`
    =============== ========================================= ====================================================
    frequency       summed interaction frequency              :math:`\min(1, \log(1+x)/\log(1+A))`, :math:`A = 52`
    duration_min    summed minutes                            same, :math:`A = 2400` (40 hours)
    n_records       records of the tie (weight 0 by default)  same, :math:`A = 12`
    coparticipation shared events (or hours)                  same, :math:`A = 10`
    multiplexity    distinct channels (+1 for co-attendance)  :math:`\min(x, A)/A`, :math:`A = 3`
    closeness       mean closeness / trust rating (1–5)       :math:`(x - 1)/4`
    reciprocated    both arcs reported (directed data only)   0 or 1
    =============== ========================================= ====================================================

    Counts and durations are right-skewed, so they enter on the log scale
    (``log1p`` keeps zeros at 0) and reach 1 at their anchor; beyond it they
    stay at 1 (a tie cannot be stronger than "strong" on one indicator). The
    defaults describe a one-year wave: weekly contact (Granovetter 1974
    counts contact "often" from twice a week, "occasionally" down to once a
    year), a working week of joint time, a record a month, ten shared
    events; three channels make a fully multiplex tie. Researchers set them
    for their design (e.g. a six-month wave: frequency 26).

    **Missing values.** A value that was not observed (NaN: duration or
    closeness never reported on the tie; ``coparticipation`` of a tie whose
    case has no participation records, see ``coparticipation_observed``) is
    NaN here, and :func:`tie_strength` leaves it out of that tie's mean. No
    sample statistic is imputed. A pair that only co-attended (a tie under
    ``coattendance: merge``) has frequency 0 and no records: observed zeros,
    since no interaction was reported.

    Parameters
    ----------
    ties
        One row per tie. Columns used: any of the indicators above.
    weights
        Indicator weights (see :func:`tie_strength`); only indicators with a
        positive weight and a column in ``ties`` are returned.
    anchors
        Anchors of the count indicators, keyed like
        :data:`DEFAULT_TIE_STRENGTH_ANCHORS` (missing keys take the default);
        each must be finite and > 0.
    directed
        Only then is ``reciprocated`` an indicator (an undirected tie is
        mutual by construction).
    coparticipation_observed
        Boolean per tie: whether co-attendance was recorded for the tie's case
        (its case has participation records). Where false, ``coparticipation``
        is missing rather than 0. ``None``: observed wherever the column is.

    Returns
    -------
    pandas.DataFrame
        One float column per indicator used, aligned with ``ties``; values in
        ``[0, 1]`` or NaN.

    Raises
    ------
    ValueError
        Unknown indicator names, negative or non-finite weights or anchors,
        negative counts.
    """
    weights = DEFAULT_TIE_STRENGTH_WEIGHTS if weights is None else weights
    scale = _anchors(anchors)
    unknown = sorted(set(weights) - set(INDICATORS))
    if unknown:
        raise ValueError(f"unknown tie strength indicators {unknown}; expected some of {sorted(INDICATORS)}")
    for name, w in weights.items():
        if not np.isfinite(w) or w < 0:
            raise ValueError(f"the weight of {name!r} must be finite and >= 0, got {w!r}")
    out = {}
    for name, w in weights.items():
        if w == 0 or name not in ties.columns or (name == "reciprocated" and not directed):
            continue
        y = _rescaled(ties[name], INDICATORS[name], scale.get(name), name)
        if name == "coparticipation" and coparticipation_observed is not None:
            y = np.where(np.asarray(coparticipation_observed, dtype=bool), y, np.nan)
        out[name] = y
    return pd.DataFrame(out, index=ties.index, dtype=float)


def _anchors(anchors: Mapping[str, float] | None) -> dict[str, float]:
    scale = dict(DEFAULT_TIE_STRENGTH_ANCHORS)
    for name, a in (anchors or {}).items():
        if name not in DEFAULT_TIE_STRENGTH_ANCHORS:
            raise ValueError(
                f"unknown tie strength anchor {name!r}; expected some of {sorted(DEFAULT_TIE_STRENGTH_ANCHORS)}"
            )
        if not np.isfinite(a) or a <= 0:
            raise ValueError(f"the anchor of {name!r} must be finite and > 0, got {a!r}")
        scale[name] = float(a)
    return scale


def _rescaled(values: pd.Series, rule: str, anchor: float | None, name: str) -> np.ndarray:
    if rule == "binary":
        return _as_binary(values)
    y = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    y[~np.isfinite(y)] = np.nan
    if rule == "rating":
        low, high = CLOSENESS_SCALE
        return np.clip((y - low) / (high - low), 0.0, 1.0)
    if np.any(y[~np.isnan(y)] < 0):
        raise ValueError(f"tie column {name!r} holds negative values")
    if rule == "log":
        return np.minimum(np.log1p(y) / np.log1p(anchor), 1.0)
    return np.minimum(y, anchor) / anchor  # linear


def _as_binary(values: pd.Series) -> np.ndarray:
    """0/1 floats from booleans, 0/1 numbers or 'true'/'false' text (else NaN)."""
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        y = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
    else:
        text = values.astype("string").str.strip().str.lower()
        codes = {"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "1.0": 1.0, "0.0": 0.0}
        y = text.map(codes).astype(float).to_numpy(dtype=float, na_value=np.nan)
    y = y.copy()
    y[~np.isin(y, (0.0, 1.0))] = np.nan
    return y


# --------------------------------------------------------------------------- strength
def tie_strength(
    ties: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    anchors: Mapping[str, float] | None = None,
    directed: bool,
    coparticipation_observed: np.ndarray | pd.Series | None = None,
    indicators: pd.DataFrame | None = None,
) -> pd.Series:
    r"""Tie strength: the weighted mean of a tie's observed indicators on fixed scales.

    With :math:`y_{tc} \in [0, 1]` the rescaled indicators of
    :func:`rescaled_indicators`, :math:`w_c` their weights and :math:`O_t`
    the indicators observed for tie :math:`t`,

    .. math::

        \text{strength}_t = \frac{\sum_{c \in O_t} w_c\, y_{tc}}{\sum_{c \in O_t} w_c}
        \in [0, 1].

    An indicator that is missing for a tie is left out of that tie's mean
    (its weight is not counted), so the strength is the mean of what was
    observed about the tie; nothing is imputed from other ties. Every value
    is computed from the tie's own records and the config constants: a tie's
    strength does not change when another tie, case or wave is added.

    The weights default to :data:`DEFAULT_TIE_STRENGTH_WEIGHTS` (frequency,
    duration, closeness, multiplexity and reciprocity 1; co-attendance 0.5;
    ``n_records`` 0). Equal weights are the neutral choice: Marsden &
    Campbell (1984) find no single indicator that captures strength alone
    (closeness is the best, the time measures are partly driven by the
    setting), and no validated weighting exists for interaction records of
    collaborative projects. Co-attendance (opportunity, not a reported
    choice) gets half weight: attending the same event need not mean the
    two actors dealt with each other. ``n_records`` largely duplicates
    ``frequency``.

    **Positive for every tie.** Weighted metrics (constraint, weighted
    degree, weighted betweenness) use the strength itself as the tie value,
    and a value of 0 would drop the tie from them. ``frequency`` is observed
    and positive for every interaction tie (validation keeps frequency > 0)
    and ``multiplexity`` is at least 1 for every tie, so with either
    weighted the strength is > 0; a configuration that leaves a tie with
    strength 0 or none (all its observed indicators at the bottom of their
    scales, or none observed) raises ValueError.

    Parameters
    ----------
    ties
        One row per tie (undirected pair or directed arc).
    weights, anchors, directed, coparticipation_observed
        As in :func:`rescaled_indicators`.
    indicators
        The output of :func:`rescaled_indicators` for these arguments, when
        already computed.

    Returns
    -------
    pandas.Series
        ``strength`` in ``(0, 1]``, float, aligned with ``ties``. Its
        ``attrs["weights"]`` holds the weights of the indicators used.

    Raises
    ------
    ValueError
        As :func:`rescaled_indicators`, and when some tie gets strength 0 or
        no observed indicator.

    References
    ----------
    Granovetter (1973); Marsden & Campbell (1984; 2012) — see the module docstring.

    Examples
    --------
    Frequency 2 and closeness 5 (duration not reported): the mean of
    :math:`\log 3/\log 53` and 1.

    >>> t = pd.DataFrame({"frequency": [2.0], "closeness": [5.0], "duration_min": [np.nan]})
    >>> round(float(tie_strength(t, directed=False).iloc[0]), 4)
    0.6383
    """
    weights = DEFAULT_TIE_STRENGTH_WEIGHTS if weights is None else weights
    y = (
        indicators
        if indicators is not None
        else rescaled_indicators(
            ties, weights=weights, anchors=anchors, directed=directed,
            coparticipation_observed=coparticipation_observed,
        )
    )
    used = {c: float(weights[c]) for c in y.columns}
    total, weight_sum = np.zeros(len(ties)), np.zeros(len(ties))
    for name, w in used.items():  # one column at a time: no copy of the whole table
        values = y[name].to_numpy(dtype=float)
        observed = ~np.isnan(values)
        total += w * np.where(observed, values, 0.0)
        weight_sum += w * observed
    with np.errstate(invalid="ignore", divide="ignore"):
        strength = np.where(weight_sum > 0, total / weight_sum, np.nan)
    bad = ~(strength > 0)
    if bad.any():
        raise ValueError(
            f"tie strength is 0 or undefined for {int(bad.sum())} of {len(ties)} ties (no observed indicator "
            "above the bottom of its scale); give frequency or multiplexity a positive weight in "
            "tie_strength: they are observed and positive for every tie"
        )
    out = pd.Series(strength, index=ties.index, name="strength", dtype=float)
    out.attrs["weights"] = used
    return out


# ------------------------------------------------------------------ classification
def classify_ties(
    strength: pd.Series,
    case_ids: pd.Series | None = None,
    *,
    method: str = "absolute",
    threshold: float = DEFAULT_STRONG_THRESHOLD,
    quantile: float = 0.5,
    indicators: pd.DataFrame | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.Series:
    r"""Classify ties as ``"strong"`` or ``"weak"`` from their strength.

    ``"absolute"`` (default)
        strong when :math:`\text{strength}_t \ge \tau` (``threshold``, config
        ``tie_class.threshold``, default 0.5) on the fixed scale of
        :func:`tie_strength`. The class depends on the tie alone, so a case
        can have no strong tie, or only strong ties, and strong-tie shares
        compare across cases and waves. :math:`\tau = 0.5` is the midpoint of
        the scale: a tie is strong when its indicators stand, on average, in
        the upper half of their fixed ranges — e.g. closeness 3 or more on
        the 1–5 scale ("close" rather than "acquaintance", Marsden & Campbell's
        best indicator), about seven contacts or more in the wave
        (:math:`\log(1+f)/\log 53 \ge 0.5`), or a tie reported by both sides.
        Granovetter (1973) contrasts strong ties (close, frequent, reciprocal)
        with weak ones (acquaintances) on exactly these aspects.
    ``"indicators"`` (option)
        strong when most of the tie's observed indicators are strong on their
        own: with :math:`y_{tc}` the rescaled indicators
        (:func:`rescaled_indicators`, argument ``indicators``) and
        :math:`w_c` their weights, strong when
        :math:`\sum_{c \in O_t} w_c [y_{tc} \ge \tau] / \sum_{c \in O_t} w_c > 1/2`.
        Granovetter's strength is a combination of several aspects, and
        Marsden & Campbell (1984) find that single indicators (frequency,
        duration) can be high for ties that are not close: a majority of
        aspects is asked for, so one extreme indicator (many contacts with an
        acquaintance) cannot make a tie strong. Absolute too: the tie alone
        decides. Where no indicator is observed the class is missing.
    ``"quantile"`` (option)
        within each case :math:`g`, strong when
        :math:`\text{strength}_t > Q_g(q)`, the ``quantile`` :math:`q` of the
        case's strengths (linear interpolation, as ``pandas.Series.quantile``).
        Strictly above: ties at the cut point are weak, so a case with a
        single tie, or whose ties are all equally strong, has no strong tie.
        This is a relative rule: about a share :math:`1 - q` of each case's
        ties is strong by construction, so ``strong_tie_share`` and
        ``weak_tie_share`` carry no information about the case and are not
        offered as model features with it
        (:func:`netinnov.models.features.unavailable_tie_features`). With
        ``case_ids=None`` all ties form one group.

    The two-component mixture of earlier versions is gone: fitted over the
    cases of a wave it made a tie's class depend on the other cases, and
    fitted per case it is another relative rule, unstable in the small cases
    of collaboration studies.

    Parameters
    ----------
    strength
        Tie strengths (e.g. from :func:`tie_strength`).
    case_ids
        The case of each tie, aligned with ``strength``; used by ``"quantile"``.
    method
        ``"absolute"``, ``"indicators"`` or ``"quantile"``.
    threshold
        The cut point of ``"absolute"`` (on the strength) and of
        ``"indicators"`` (on each indicator).
    quantile
        The within-case quantile :math:`q \in [0, 1]` of ``"quantile"``.
    indicators, weights
        The rescaled indicators of the ties (aligned with ``strength`` by
        position) and their weights (default
        :data:`DEFAULT_TIE_STRENGTH_WEIGHTS`), for ``"indicators"``.

    Returns
    -------
    pandas.Series
        ``tie_class`` (object dtype), aligned with ``strength``: ``"strong"``,
        ``"weak"``, or None where the strength is missing.
    """
    if method not in CLASSIFY_METHODS:
        raise ValueError(f"method must be one of {CLASSIFY_METHODS}, got {method!r}")
    if not 0.0 <= quantile <= 1.0:
        raise ValueError(f"quantile must lie in [0, 1], got {quantile!r}")
    numeric = pd.to_numeric(strength, errors="coerce")
    values = pd.Series(numeric.to_numpy(dtype=float, na_value=np.nan), index=strength.index)
    if case_ids is not None:
        if len(case_ids) != len(values):
            raise ValueError("case_ids and strength differ in length")
        groups = np.asarray(case_ids, dtype=object)
    else:
        groups = np.zeros(len(values), dtype=np.int64)
    known = values.notna().to_numpy()
    x = values.to_numpy(dtype=float)
    if method == "indicators":
        strong, known = _indicator_majority(indicators, weights, threshold, len(values))
    elif method == "absolute":
        strong = x >= threshold
    else:
        strong = _above_quantile(values, groups, quantile)
    labels = np.where(strong, "strong", "weak").astype(object)
    labels[~known] = None
    return pd.Series(labels, index=strength.index, name="tie_class", dtype=object)


def _indicator_majority(
    indicators: pd.DataFrame | None, weights: Mapping[str, float] | None, threshold: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Whether the weighted majority of each tie's observed indicators is >= ``threshold``; and
    whether any indicator is observed."""
    if indicators is None or len(indicators) != n:
        raise ValueError("method 'indicators' needs the rescaled indicators of the ties (one row per tie)")
    weights = DEFAULT_TIE_STRENGTH_WEIGHTS if weights is None else weights
    total, high = np.zeros(n), np.zeros(n)
    for name in indicators.columns:
        y = indicators[name].to_numpy(dtype=float)
        w = float(weights[name])
        total += w * ~np.isnan(y)
        high += w * (y >= threshold)  # NaN compares False
    return high > 0.5 * total, total > 0


def _above_quantile(values: pd.Series, groups: np.ndarray, q: float) -> np.ndarray:
    keyed = pd.Series(values.to_numpy(dtype=float))
    cut = keyed.groupby(pd.Series(groups), dropna=False, sort=False).transform("quantile", q)
    return (keyed > cut).to_numpy()
