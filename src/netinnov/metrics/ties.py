"""Tie-level metrics: strength, strong/weak class, neighbourhood overlap, local bridges.

Tie strength follows Granovetter (1973) and Marsden & Campbell (1984; 2012):
a composite of the standardised record fields of a tie. The structural
measures follow Granovetter's idea that weak ties bridge otherwise separate
parts of a network: the neighbourhood overlap of Onnela et al. (2007) and the
local bridges and their span (Granovetter 1973; Easley & Kleinberg 2010,
ch. 3), computed on the undirected skeleton of a case network.

References
----------
Easley, D., & Kleinberg, J. (2010). *Networks, Crowds, and Markets*.
    Cambridge University Press, ch. 3.
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
    Sociology*, 78(6), 1360–1380.
Marsden, P. V., & Campbell, K. E. (1984). Measuring tie strength. *Social
    Forces*, 63(2), 482–501.
Marsden, P. V., & Campbell, K. E. (2012). Reflections on conceptualizing and
    measuring tie strength. *Social Forces*, 91(1), 17–23.
Onnela, J.-P., Saramäki, J., Hyvönen, J., Szabó, G., Lazer, D., Kaski, K.,
    Kertész, J., & Barabási, A.-L. (2007). Structure and tie strengths in mobile
    communication networks. *PNAS*, 104(18), 7332–7336.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from netinnov.metrics._neighbourhoods import bridge_entries, pair_distances
from netinnov.networks import CaseNetwork

__all__ = [
    "DEFAULT_TIE_STRENGTH_WEIGHTS",
    "MIN_MIXTURE_TIES",
    "classify_ties",
    "local_bridges",
    "neighbourhood_overlap",
    "tie_metrics",
    "tie_strength",
]

#: Default component weights of :func:`tie_strength` (keys are ties columns).
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

#: Fewest ties with a known strength for which :func:`classify_ties` fits a mixture.
MIN_MIXTURE_TIES = 10

# component -> transform applied before standardising
_TRANSFORMS = {
    "frequency": "log1p",
    "duration_min": "log1p",
    "coparticipation": "log1p",
    "n_records": "log1p",
    "closeness": "identity",
    "multiplexity": "identity",
    "reciprocated": "binary",
}

_CLASSIFY_METHODS = ("threshold", "quantile", "mixture")


# --------------------------------------------------------------------------- strength
def tie_strength(
    ties: pd.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    directed: bool,
) -> pd.Series:
    r"""Tie strength: a weighted mean of standardised tie fields of one wave.

    Granovetter (1973) defines the strength of a tie as a combination of the
    amount of time, the emotional intensity, the intimacy (mutual confiding)
    and the reciprocal services that characterise it. Following Marsden &
    Campbell (1984), each available indicator is measured separately and the
    indicators are combined. For tie :math:`t` and component :math:`c` with
    record value :math:`x_{tc}`,

    .. math::

        y_{tc} = f_c(x_{tc}), \qquad
        z_{tc} = \frac{y_{tc} - \bar y_c}{s_c}, \qquad
        \text{strength}_t = \frac{\sum_{c \in C} w_c\, z_{tc}}{\sum_{c \in C} w_c},

    where :math:`\bar y_c` and :math:`s_c` are the mean and the population
    standard deviation (``ddof=0``) of the observed :math:`y_{tc}` over all
    ties of the table (one wave, all cases stacked: standardising within the
    wave keeps strengths comparable across its cases), and :math:`f_c` is

    =============== ================================================== ============
    component       meaning                                            :math:`f_c`
    =============== ================================================== ============
    frequency       summed interaction frequency                       log1p
    duration_min    summed minutes                                     log1p
    closeness       mean closeness / trust rating (1–5)                identity
    multiplexity    distinct channels (co-participation counts one)    identity
    coparticipation number of shared events                            log1p
    reciprocated    tie reported by both sides (directed data only)    0/1
    n_records       number of records (not used by default)            log1p
    =============== ================================================== ============

    Counts and durations are right-skewed, so they enter on the log scale
    (``log1p`` keeps zeros); closeness is a rating scale and multiplexity a
    small bounded count, so both enter as they are.

    **Missing values.** A tie whose value of a component is missing (NaN, or
    not finite) is imputed at the wave mean of that component, i.e.
    :math:`z_{tc} = 0`: it neither raises nor lowers its strength. Mean and
    standard deviation are computed on the observed values only.

    **Dropped components.** A component is left out when its column is absent,
    when its weight is 0 or not named in ``weights``, when it has fewer than
    two observed values or no variation (:math:`s_c = 0`), and
    ``reciprocated`` is used only when ``directed`` is true (an undirected tie
    is reciprocal by construction). The weights of the remaining components
    are renormalised to sum to one, so the composite stays on a z-like scale
    (mean 0; variance at most 1). When no component remains, every tie gets
    strength 0.0 — the wave mean, consistent with the imputation rule.

    Parameters
    ----------
    ties
        A wave-level ties table: one row per tie (undirected pair or directed
        arc) of every case of the wave. Columns used: any of the components
        above.
    weights
        Weight of each component, keyed by column name; components not named
        are not used. Weights must be finite and non-negative. ``None`` uses
        :data:`DEFAULT_TIE_STRENGTH_WEIGHTS`: frequency 1, duration_min 1,
        closeness 1, multiplexity 1, coparticipation 0.5, reciprocated 1.
        Equal weights are the neutral choice: Marsden & Campbell (1984) find
        no single indicator that captures strength alone (closeness is the
        best, the time measures are partly driven by the setting), and no
        validated weighting exists for interaction records of collaborative
        projects. Co-participation gets half weight because attending the
        same event is an indirect sign of interaction: co-presence need not
        mean the two actors dealt with each other. ``n_records`` gets none
        because it largely duplicates ``frequency``.
    directed
        Whether the ties are directed arcs; only then is ``reciprocated`` a
        component.

    Returns
    -------
    pandas.Series
        ``strength``, float, aligned with ``ties`` (same index and order). Its
        ``attrs["weights"]`` holds the renormalised weights of the components
        used. The computation is deterministic.

    Raises
    ------
    ValueError
        For unknown component names, negative or non-finite weights, or
        negative values in a log-transformed component.

    References
    ----------
    Granovetter (1973); Marsden & Campbell (1984; 2012) — see the module
    docstring.

    Examples
    --------
    >>> t = pd.DataFrame({"frequency": [1, 3, 7], "closeness": [2.0, None, 4.0]})
    >>> tie_strength(t, directed=False).round(3).tolist()
    [-1.112, 0.0, 1.112]
    """
    weights = DEFAULT_TIE_STRENGTH_WEIGHTS if weights is None else weights
    unknown = sorted(set(weights) - set(_TRANSFORMS))
    if unknown:
        raise ValueError(
            f"unknown tie strength components {unknown}; expected some of {sorted(_TRANSFORMS)}"
        )
    for name, w in weights.items():
        if not np.isfinite(w) or w < 0:
            raise ValueError(f"the weight of {name!r} must be finite and >= 0, got {w!r}")

    total = np.zeros(len(ties))
    used: dict[str, float] = {}
    for name, w in weights.items():
        if w == 0 or name not in ties.columns or (name == "reciprocated" and not directed):
            continue
        z = _standardised(ties[name], _TRANSFORMS[name], name)
        if z is None:
            continue
        total += w * z
        used[name] = float(w)
    weight_sum = sum(used.values())
    strength = total / weight_sum if weight_sum > 0 else total
    out = pd.Series(strength, index=ties.index, name="strength", dtype=float)
    out.attrs["weights"] = {k: v / weight_sum for k, v in used.items()}
    return out


def _standardised(values: pd.Series, transform: str, name: str) -> np.ndarray | None:
    """z-scores of one component (missing → 0), or None when it cannot vary."""
    if transform == "binary":
        y = _as_binary(values)
    else:
        y = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan, copy=True)
        y[~np.isfinite(y)] = np.nan
        if transform == "log1p":
            if np.any(y[~np.isnan(y)] < 0):
                raise ValueError(f"tie column {name!r} holds negative values")
            y = np.log1p(y)
    observed = ~np.isnan(y)
    if observed.sum() < 2:
        return None
    mean = y[observed].mean()
    sd = y[observed].std()
    if not sd > 1e-12 * max(1.0, abs(mean)):
        return None
    z = (y - mean) / sd
    z[~observed] = 0.0
    return z


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


# ------------------------------------------------------------------ classification
def classify_ties(
    strength: pd.Series,
    case_ids: pd.Series | None = None,
    *,
    method: str = "quantile",
    threshold: float = 0.0,
    quantile: float = 0.5,
    seed: int = 0,
) -> pd.Series:
    r"""Classify ties as ``"strong"`` or ``"weak"`` from their strength.

    Three rules:

    ``"threshold"``
        strong when :math:`\text{strength}_t > \tau` (``threshold``). On the
        z-like scale of :func:`tie_strength`, :math:`\tau = 0` splits at the
        wave mean.
    ``"quantile"`` (default)
        within each case :math:`g`, strong when
        :math:`\text{strength}_t > Q_g(q)`, the ``quantile`` :math:`q` of the
        case's strengths (linear interpolation, as ``pandas.Series.quantile``).
        Strictly above: ties at the cut point are weak, so a case with a
        single tie, or whose ties are all equally strong, has no strong tie —
        a strong/weak contrast needs variation to rest on. With
        ``case_ids=None`` all ties form one group.
    ``"mixture"``
        a two-component Gaussian mixture fitted to all strengths passed (one
        wave, all cases pooled; ``sklearn.mixture.GaussianMixture`` with
        ``random_state=seed``); strong when the posterior probability of the
        component with the higher mean exceeds 0.5. The components share one
        variance (``covariance_type="tied"``): the log-odds of the posterior
        are then linear in strength, so the rule is a single cut point and
        the classes stay ordered (with unequal variances the wider component
        also wins the far tail on the other side, which would label the
        weakest ties strong). With fewer than :data:`MIN_MIXTURE_TIES` ties of
        known strength, or fewer than two distinct values, it falls back to
        the ``"quantile"`` rule with a warning.

    The default is the within-case median split: cases differ in size and
    in how densely interactions were reported, so a tie is strong or weak
    relative to the other ties of its case rather than to a wave-wide cut.

    Parameters
    ----------
    strength
        Tie strengths (e.g. from :func:`tie_strength`).
    case_ids
        The case of each tie, aligned with ``strength``; used by
        ``"quantile"`` (and its fallback).
    method
        ``"quantile"``, ``"threshold"`` or ``"mixture"``.
    threshold
        The cut point of ``"threshold"``.
    quantile
        The within-case quantile :math:`q \in [0, 1]` of ``"quantile"``.
    seed
        Random state of the mixture fit.

    Returns
    -------
    pandas.Series
        ``tie_class`` (object dtype), aligned with ``strength``: ``"strong"``,
        ``"weak"``, or None where the strength is missing.
    """
    if method not in _CLASSIFY_METHODS:
        raise ValueError(f"method must be one of {_CLASSIFY_METHODS}, got {method!r}")
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
    if method == "threshold":
        strong = x > threshold
    elif method == "quantile":
        strong = _above_quantile(values, groups, quantile)
    else:
        strong = _mixture_strong(x[known], seed)
        if strong is None:
            warnings.warn(
                f"too few ties with distinct strengths for a mixture (need {MIN_MIXTURE_TIES}); "
                "using the within-case quantile rule",
                UserWarning,
                stacklevel=2,
            )
            strong = _above_quantile(values, groups, quantile)
        else:
            full = np.zeros(len(x), dtype=bool)
            full[known] = strong
            strong = full
    labels = np.where(strong, "strong", "weak").astype(object)
    labels[~known] = None
    return pd.Series(labels, index=strength.index, name="tie_class", dtype=object)


def _above_quantile(values: pd.Series, groups: np.ndarray, q: float) -> np.ndarray:
    keyed = pd.Series(values.to_numpy(dtype=float))
    cut = keyed.groupby(pd.Series(groups), dropna=False, sort=False).transform("quantile", q)
    return (keyed > cut).to_numpy()


def _mixture_strong(x: np.ndarray, seed: int) -> np.ndarray | None:
    if len(x) < MIN_MIXTURE_TIES or len(np.unique(x)) < 2:
        return None
    from sklearn.mixture import GaussianMixture

    gm = GaussianMixture(n_components=2, covariance_type="tied", random_state=seed)
    gm.fit(x.reshape(-1, 1))
    high = int(np.argmax(gm.means_.ravel()))
    return gm.predict_proba(x.reshape(-1, 1))[:, high] > 0.5


# ------------------------------------------------------------------ skeleton helpers
def _edge_of_tie(net: CaseNetwork, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """For every tie, the index of its unordered pair among the skeleton edges ``(rows, cols)``."""
    src = net.ties["source_index"].to_numpy(dtype=np.int64)
    tgt = net.ties["target_index"].to_numpy(dtype=np.int64)
    n = np.int64(net.n)
    keys = rows * n + cols  # sorted: the edges come sorted by (i, j)
    return np.searchsorted(keys, np.minimum(src, tgt) * n + np.maximum(src, tgt))


# ------------------------------------------------------------------------- overlap
def neighbourhood_overlap(net: CaseNetwork) -> pd.Series:
    r"""Neighbourhood overlap of every tie (Onnela et al. 2007).

    On the undirected skeleton, for the tie between :math:`i` and :math:`j`,

    .. math::

        O_{ij} = \frac{n_{ij}}{(k_i - 1) + (k_j - 1) - n_{ij}},

    with :math:`n_{ij}` the number of common neighbours and :math:`k` the
    degree: the share of the two actors' other contacts that they share.
    :math:`O_{ij} = 0` exactly when the tie is a local bridge.

    Edge cases: the denominator is 0 only when both endpoints have degree 1
    (a dyad cut off from everything else); the overlap is then 0/0 and
    reported as NaN. In a directed network every arc gets the value of its
    unordered pair.

    Complexity: the common neighbours are ``net.edge_common``, computed once
    per network as :math:`(S^2)_{ij}` at the edges of the skeleton :math:`S`
    only, by a compiled scan of cost :math:`\sum_{\{i,j\}} \min(k_i, k_j)`
    (at most the number of two-paths) and memory of the edges.

    Parameters
    ----------
    net
        A case network.

    Returns
    -------
    pandas.Series
        ``overlap`` (float in [0, 1] or NaN), aligned with ``net.ties``.

    References
    ----------
    Onnela et al. (2007), see the module docstring.
    """
    return _overlap_and_common(net)[0]


def _overlap_and_common(net: CaseNetwork) -> tuple[pd.Series, np.ndarray, tuple]:
    rows, cols, common = net.skeleton_edges
    edge_of_tie = _edge_of_tie(net, rows, cols)
    degree = np.diff(net.symmetric.indptr).astype(float)
    denominator = (degree[rows] - 1) + (degree[cols] - 1) - common
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = np.where(
            denominator > 0, common / np.where(denominator > 0, denominator, 1), np.nan
        )
    series = pd.Series(overlap[edge_of_tie], index=net.ties.index, name="overlap", dtype=float)
    return series, common, (rows, cols, edge_of_tie)


# ------------------------------------------------------------------ local bridges
def local_bridges(net: CaseNetwork) -> pd.DataFrame:
    r"""Local bridges and their span, on the undirected skeleton.

    A tie :math:`\{i, j\}` is a *local bridge* when its endpoints have no
    common neighbour (it lies on no triangle). Its *span* is the length of a
    shortest path between :math:`i` and :math:`j` once the tie is removed,

    .. math::

        \text{span}_{ij} = d_{G - \{i,j\}}(i, j),

    infinite when the tie is a bridge (its removal disconnects the two
    actors). Local bridges and spans match
    ``networkx.local_bridges(G, with_span=True)`` on the skeleton exactly.
    networkx reports only local bridges; here every tie gets a span: a tie
    that is not a local bridge has span 2 (a common neighbour is a path of
    length 2 once the tie is gone), so ``span > 2`` if and only if
    ``local_bridge``. In a directed network every arc gets the values of its
    unordered pair.

    Algorithm and complexity (:math:`m` ties, :math:`k` degrees, :math:`S`
    the binary skeleton):

    1. common neighbours :math:`n_{ab} = (S^2)_{ab}` at the edges only
       (``net.edge_common``, shared with the overlap; a compiled scan of
       cost :math:`\sum_{\{a,b\}} \min(k_a, k_b)`, never the two-hop matrix);
    2. bridges (span :math:`\infty`) by Tarjan's linear-time bridge search
       (:func:`netinnov.metrics._neighbourhoods.bridge_entries`);
    3. the other local bridges by a compiled bidirectional breadth-first
       search per tie in :math:`G - \{a, b\}`
       (:func:`netinnov.metrics._neighbourhoods.pair_distances`): balls grow
       around both ends, a level at a time on the cheaper side, and the search
       stops as soon as they touch. Span 3 costs at most
       :math:`k_a + k_b + \sum_{x \in N(a)} k_x`; a longer span costs the
       edges inside the two balls, :math:`O(m)` in the worst case (long
       cycles), but only ties on no triangle reach this step.

    The result does not depend on the order of the steps: each is exact for
    the ties it settles, and step 3 alone would give the same answer.

    Parameters
    ----------
    net
        A case network.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``net.ties``: ``local_bridge`` (bool) and ``span``
        (float: 2.0 for ties that are not local bridges, an integer value
        :math:`\ge 3` or ``inf`` for local bridges).

    References
    ----------
    Granovetter (1973); Easley & Kleinberg (2010, ch. 3) — see the module
    docstring.
    """
    _, common, skeleton = _overlap_and_common(net)
    return _local_bridges(net, common, skeleton)


def _local_bridges(net: CaseNetwork, common: np.ndarray, skeleton: tuple) -> pd.DataFrame:
    rows, cols, edge_of_tie = skeleton
    is_local = common == 0
    span = np.where(is_local, np.nan, 2.0)
    candidates = np.flatnonzero(is_local)
    if len(candidates):
        span[candidates] = _local_bridge_spans(net, rows, cols, candidates)
    return pd.DataFrame(
        {"local_bridge": is_local[edge_of_tie], "span": span[edge_of_tie]},
        index=net.ties.index,
    )


def _local_bridge_spans(
    net: CaseNetwork, rows: np.ndarray, cols: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """Spans (>= 3) of the skeleton edges ``candidates``, whose ends share no neighbour."""
    sym = net.symmetric
    # bridges first, in linear time: a search would walk a whole side
    is_bridge = bridge_entries(sym.indptr, sym.indices)[net.upper_entries]
    bridge = is_bridge[candidates]
    span = np.full(len(candidates), np.inf)
    todo = candidates[~bridge]
    span[~bridge] = pair_distances(sym.indptr, sym.indices, rows[todo], cols[todo])
    return span


# -------------------------------------------------------------------- convenience
def tie_metrics(net: CaseNetwork) -> pd.DataFrame:
    """Overlap, local bridge and span of every tie of a case network.

    Computes the common neighbours once and shares them between
    :func:`neighbourhood_overlap` and :func:`local_bridges`.

    Parameters
    ----------
    net
        A case network.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``net.ties``: ``overlap`` (float, NaN for a lone dyad),
        ``local_bridge`` (bool) and ``span`` (float; 2.0 for ties on a
        triangle, inf for bridges).
    """
    overlap, common, skeleton = _overlap_and_common(net)
    bridges = _local_bridges(net, common, skeleton)
    return pd.concat([overlap, bridges], axis=1)
