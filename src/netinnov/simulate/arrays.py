"""Vectorised numpy helpers of the generator: sorted sets, packed sort keys, grouped weighted draws."""

from __future__ import annotations

import numpy as np

__all__ = [
    "categorical",
    "draw",
    "first_index",
    "group_sizes",
    "isin_sorted",
    "pack",
    "sampler",
    "sort_order",
    "unique_sorted",
]


def unique_sorted(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (by sorting: faster than hashing for large integer arrays)."""
    s = np.sort(np.asarray(x))
    return s[np.concatenate([[True], s[1:] != s[:-1]])] if len(s) else s


def isin_sorted(query: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.isin`` for integer arrays: a lookup table for small ranges, else a binary search."""
    values, query = np.asarray(values), np.asarray(query)
    if len(values) == 0 or len(query) == 0:
        return np.zeros(len(query), dtype=bool)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo < max(1 << 24, 4 * len(query)):
        table = np.zeros(hi - lo + 1, dtype=bool)
        table[values - lo] = True
        inside = (query >= lo) & (query <= hi)
        return inside & table[np.where(inside, query - lo, 0)]
    keys = unique_sorted(values)
    return keys[np.minimum(np.searchsorted(keys, query), len(keys) - 1)] == query


def first_index(key: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct value, in increasing order."""
    order = np.argsort(key, kind="stable")
    s = key[order]
    return np.sort(order[np.concatenate([[True], s[1:] != s[:-1]])]) if len(s) else order


def pack(*keys: np.ndarray) -> np.ndarray | None:
    """One int64 that sorts like the tuple of integer keys (first = most significant), or None."""
    packed = np.zeros(len(keys[0]), dtype=np.int64)
    span = 1
    for k in keys:
        k = np.asarray(k, dtype=np.int64)
        lo = int(k.min()) if len(k) else 0
        width = (int(k.max()) - lo + 1) if len(k) else 1
        span *= width
        if span >= 2**62:
            return None
        packed = packed * width + (k - lo)
    return packed


def sort_order(*keys: np.ndarray) -> np.ndarray:
    """Stable sort order by several integer keys (first = primary)."""
    packed = pack(*keys)
    return np.lexsort(keys[::-1]) if packed is None else np.argsort(packed, kind="stable")


def sampler(labels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted draws within label groups: (order, sorted labels, cumulative weights)."""
    order = np.argsort(labels, kind="stable")
    return order, labels[order], np.cumsum(weights[order], dtype=float)


def draw(rng: np.random.Generator, smp: tuple, query: np.ndarray) -> np.ndarray:
    """One index per query label, drawn with probability ∝ weight within that label's group.

    -1 where the group is empty or has no weight.
    """
    order, sorted_labels, cum = smp
    query = np.asarray(query)
    if len(order) == 0 or len(query) == 0:
        return np.full(len(query), -1, dtype=np.int64)
    lo = np.searchsorted(sorted_labels, query, "left")
    hi = np.searchsorted(sorted_labels, query, "right")
    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    top = np.where(hi > 0, cum[np.maximum(hi - 1, 0)], 0.0)
    total = top - base
    pos = np.searchsorted(cum, base + rng.random(len(query)) * total, "right")
    pos = np.minimum(np.clip(pos, lo, np.maximum(hi - 1, lo)), len(order) - 1)
    return np.where(total > 0, order[pos], -1).astype(np.int64)


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows × k) matrix of unnormalised probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum[:, :-1]).sum(axis=1).astype(np.int64)


def group_sizes(labels: np.ndarray) -> np.ndarray:
    """The size of each entry's label group."""
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    return counts[inverse]

