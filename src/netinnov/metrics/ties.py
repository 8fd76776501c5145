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
import scipy.sparse as sp

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

# lookups (rows of pair arrays) handled per chunk, to bound memory
_LOOKUP_CHUNK = 4_000_000
# local bridges searched together in one breadth-first batch
_SEARCH_BATCH = 4096


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
def _skeleton(net: CaseNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skeleton edges ``(i, j)`` with ``i < j`` and, for every tie, its edge index."""
    upper = sp.triu(net.symmetric, k=1).tocsr()
    upper.sort_indices()
    rows = np.repeat(np.arange(net.n, dtype=np.int64), np.diff(upper.indptr))
    cols = upper.indices.astype(np.int64)
    src = net.ties["source_index"].to_numpy(dtype=np.int64)
    tgt = net.ties["target_index"].to_numpy(dtype=np.int64)
    lo, hi = np.minimum(src, tgt), np.maximum(src, tgt)
    keys = rows * net.n + cols  # sorted: rows ascending, columns sorted within a row
    edge_of_tie = np.searchsorted(keys, lo * net.n + hi)
    return rows, cols, edge_of_tie


class _PairLookup:
    """Vectorised element lookup ``matrix[rows[k], cols[k]]`` (0 where not stored).

    The stored entries of a CSR matrix with sorted indices have sorted keys
    ``row * n_cols + col``; a query is one binary search among them. Queries
    sorted by key (or in runs of one row) search fast, since numpy's
    ``searchsorted`` starts each search where the previous one ended.
    Extra memory: one int64 per stored entry.
    """

    def __init__(self, matrix: sp.csr_matrix) -> None:
        if not matrix.has_sorted_indices:
            matrix = matrix.sorted_indices()
        self.n_cols = np.int64(matrix.shape[1])
        starts = np.arange(matrix.shape[0], dtype=np.int64) * self.n_cols
        self.keys = np.repeat(starts, np.diff(matrix.indptr)) + matrix.indices
        self.data = matrix.data

    def __call__(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.zeros(len(rows))
        if len(self.keys) == 0:
            return out
        for start in range(0, len(rows), _LOOKUP_CHUNK):
            stop = start + _LOOKUP_CHUNK
            query = rows[start:stop].astype(np.int64) * self.n_cols + cols[start:stop]
            pos = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
            out[start:stop] = np.where(self.keys[pos] == query, self.data[pos], 0.0)
        return out


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

    Complexity: one binary search per tie among the stored entries of
    ``net.two_hop`` (the shared :math:`S^2` of the skeleton :math:`S`,
    computed once per network), plus one int64 key per stored entry.

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
    rows, cols, edge_of_tie = _skeleton(net)
    lookup = _PairLookup(net.two_hop)
    common = lookup(rows, cols)
    degree = np.diff(net.symmetric.indptr).astype(float)
    denominator = (degree[rows] - 1) + (degree[cols] - 1) - common
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = np.where(
            denominator > 0, common / np.where(denominator > 0, denominator, 1), np.nan
        )
    series = pd.Series(overlap[edge_of_tie], index=net.ties.index, name="overlap", dtype=float)
    return series, common, (rows, cols, edge_of_tie, lookup)


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

    1. common neighbours :math:`n_{ab} = (S^2)_{ab}` by lookup in the shared
       ``net.two_hop`` (one binary search per tie; the lookup keeps one
       int64 key per stored entry of :math:`S^2`);
    2. span 3: for a local bridge :math:`\{a, b\}` with :math:`k_a \le k_b`,
       a path :math:`a - x - y - b` avoiding the tie exists iff some
       :math:`x \in N(a) \setminus \{b\}` has :math:`(S^2)_{xb} \ge 2`
       (:math:`a` itself is always one common neighbour of :math:`x` and
       :math:`b`; any other is the :math:`y` of such a path). Vectorised
       lookups, at most
       :math:`\sum \min(k_a, k_b)` over local bridges, far fewer when
       4-cycles abound (the neighbours are tried in rounds and a tie leaves
       at its first witness);
    3. bridges (span :math:`\infty`) by igraph's linear-time bridge search;
    4. the rest (span :math:`\ge 4`) by a batched bidirectional
       breadth-first search with sparse boolean matrix products, growing
       balls around both endpoints in :math:`G - \{a, b\}` until they meet.
       A tie costs the edges inside the two balls, :math:`O(m)` in the worst
       case (long cycles), but only ties on no triangle and no 4-cycle reach
       this step.

    The result does not depend on the order of the steps: each is exact for
    the ties it settles, and step 4 alone would give the same answer.

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
    rows, cols, edge_of_tie, lookup = skeleton
    is_local = common == 0
    span = np.where(is_local, np.nan, 2.0)
    candidates = np.flatnonzero(is_local)
    if len(candidates):
        span[candidates] = _local_bridge_spans(net, rows, cols, edge_of_tie, candidates, lookup)
    return pd.DataFrame(
        {"local_bridge": is_local[edge_of_tie], "span": span[edge_of_tie]},
        index=net.ties.index,
    )


def _local_bridge_spans(
    net: CaseNetwork,
    rows: np.ndarray,
    cols: np.ndarray,
    edge_of_tie: np.ndarray,
    candidates: np.ndarray,
    lookup: _PairLookup,
) -> np.ndarray:
    """Spans (>= 3) of the skeleton edges ``candidates``, whose ends share no neighbour."""
    sym = net.symmetric
    degree = np.diff(sym.indptr)
    u, v = rows[candidates], cols[candidates]
    span = np.full(len(candidates), np.nan)

    # step 2: a path of length 3 avoiding the tie
    swap = degree[u] > degree[v]
    a, b = np.where(swap, v, u), np.where(swap, u, v)
    span[_has_three_path(sym, lookup, a, b)] = 3.0

    todo = np.flatnonzero(np.isnan(span))
    if len(todo) == 0:
        return span
    # step 3: bridges, found by igraph in linear time
    is_bridge = np.zeros(len(rows), dtype=bool)
    if net.directed:
        import igraph as ig

        graph = ig.Graph(n=net.n, directed=False)
        graph.add_edges(np.column_stack([rows, cols]))  # edge k is skeleton edge k
        is_bridge[np.asarray(graph.bridges(), dtype=np.int64)] = True
    else:  # the shared view: edge k is tie row k
        is_bridge[edge_of_tie[np.asarray(net.igraph().bridges(), dtype=np.int64)]] = True
    bridge = is_bridge[candidates[todo]]
    span[todo[bridge]] = np.inf
    todo = todo[~bridge]
    # step 4: batched bidirectional search
    adjacency = sym.astype(bool)
    for start in range(0, len(todo), _SEARCH_BATCH):
        batch = todo[start : start + _SEARCH_BATCH]
        span[batch] = _search_spans(adjacency, u[batch], v[batch])
    return span


def _has_three_path(
    sym: sp.csr_matrix, lookup: _PairLookup, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Whether each tie ``a - b`` (no common neighbour) lies on a 4-cycle.

    True iff some ``x`` in ``N(a) - {b}`` has ``(S^2)[b, x] >= 2``. The
    neighbours of ``a`` are tried in rounds of doubling width (4, 8, 16, ...)
    and a tie leaves as soon as a witness is found, so ties on many 4-cycles
    cost a few lookups; a tie on none costs ``|N(a)|``. Ties are visited in
    order of ``b``, so the lookups of a round run through ``S^2`` in order.
    """
    found = np.zeros(len(a), dtype=bool)
    pending = np.lexsort((a, b))
    degree = np.diff(sym.indptr)
    first, width = 0, 4
    while len(pending):
        counts = np.clip(degree[a[pending]] - first, 0, width)
        pending = pending[counts > 0]
        counts = counts[counts > 0]
        # ties in chunks whose queries total at most _LOOKUP_CHUNK
        ends = np.cumsum(counts)
        start = 0
        while start < len(pending):
            base = ends[start - 1] if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + _LOOKUP_CHUNK, side="right")))
            ties, c = pending[start:stop], counts[start:stop]
            owner = np.repeat(ties, c)
            offsets = np.arange(c.sum()) - np.repeat(np.cumsum(c) - c, c)
            x = sym.indices[np.repeat(sym.indptr[a[ties]] + first, c) + offsets]
            keep = x != b[owner]
            owner = owner[keep]
            found[owner[lookup(b[owner], x[keep]) >= 2]] = True
            start = stop
        pending = pending[~found[pending]]
        first, width = first + width, 2 * width
    return found


def _rows_matrix(n_rows: int, n: int, row: np.ndarray, col: np.ndarray) -> sp.csr_matrix:
    """Boolean ``n_rows x n`` matrix with one True at ``(row[k], col[k])``."""
    return sp.csr_matrix((np.ones(len(row), dtype=bool), (row, col)), shape=(n_rows, n))


def _search_spans(adjacency: sp.csr_matrix, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Exact ``d(u_k, v_k)`` in ``G - {u_k v_k}`` by bidirectional BFS, all k at once.

    ``adjacency`` is the boolean skeleton. Row ``k`` of the frontier and
    visited matrices holds the search of tie ``k``. Balls grow one level at
    a time on the side with the smaller frontier; after each step the new
    frontier is intersected with the other side's ball. The first total
    radius at which they meet is the distance: an empty intersection at radii
    ``(r, s)`` proves ``d > r + s``. The tie itself is left out by removing
    the other endpoint from each side's first frontier; later levels cannot
    use it, since both endpoints are visited from the start.
    """
    n = adjacency.shape[0]
    k = len(u)
    rows = np.arange(k)
    result = np.full(k, np.inf)
    active = np.arange(k)  # positions in the original batch

    def start(centre: np.ndarray, other: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        frontier = adjacency[centre] > _rows_matrix(k, n, rows, other)  # A and not B
        visited = frontier + _rows_matrix(k, n, rows, centre)  # boolean: or
        return frontier, visited

    fu, vu = start(u, v)
    fv, vv = start(v, u)
    radius = 2  # r + s; balls of radius 1 are disjoint for local bridges
    while len(active):
        grow_u = fu.nnz <= fv.nnz
        frontier, visited, other, other_frontier = (fu, vu, vv, fv) if grow_u else (fv, vv, vu, fu)
        new = (frontier @ adjacency) > visited
        visited = visited + new
        radius += 1
        met = np.diff(new.multiply(other).tocsr().indptr) > 0
        result[active[met]] = radius
        # an exhausted side without meeting means no path: the span stays inf
        stuck = (np.diff(new.indptr) == 0) | (np.diff(other_frontier.indptr) == 0)
        keep = ~(met | stuck)
        if grow_u:
            fu, vu = new, visited
        else:
            fv, vv = new, visited
        if not keep.all():
            active = active[keep]
            fu, vu, fv, vv = (m[keep] for m in (fu, vu, fv, vv))
    return result


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
