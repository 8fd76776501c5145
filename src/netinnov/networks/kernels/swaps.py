"""Compiled degree-preserving double-edge-swap chain (Maslov & Sneppen 2002).

The chain walks over the simple undirected graphs with a given degree
sequence. One attempted step picks two distinct edges ``{a, b}`` and
``{c, d}`` uniformly at random and one of the two ways to cross them with
probability 1/2 each, proposes ``{a, d}, {c, b}``, and rejects the proposal
when it would make a self-loop or a multiple edge (the state is then kept).
The proposal is symmetric, so the chain is reversible with respect to the
uniform distribution on the graphs it reaches (the Markov chain of Taylor
1981, as used in Maslov & Sneppen 2002 and Milo et al. 2003).

Edge look-ups use an open-addressing hash table (linear probing, deletion
by backward shift, Knuth 1998, §6.4, Algorithm R) of the keys ``u·n + v``,
``u < v``: each step costs O(1), whatever the size of the graph. The number
of cross-group edges is updated at each accepted swap from the four edges it
touches. Compiled once and cached on disk (``cache=True``).

The two segments of :func:`cross_group_chain` (the backward and the forward
run, both from the observed graph) are independent chains that share one
random stream: the second starts where the first leaves the stream. How many
numbers an attempted swap draws depends on the stream only (two, or three
when the two edge indices differ), never on the graph, so the second
segment's start in the stream is found by drawing the first segment's numbers
without swapping (:func:`_skip`, a few per cent of the chain's cost) and the
two segments run side by side in two threads: the same counts, bit for bit,
as one after the other.
"""

from __future__ import annotations

import copy
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit

__all__ = ["cross_group_chain", "rewired_edges"]

_EMPTY = np.int64(-1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, nogil=True)
def _slot(key, shift):  # pragma: no cover - compiled
    return np.int64((np.uint64(key) * _GOLDEN) >> np.uint64(shift))


@njit(cache=True, nogil=True)
def _find(table, key, shift):  # pragma: no cover - compiled
    mask = len(table) - 1
    i = _slot(key, shift)
    while table[i] != _EMPTY:
        if table[i] == key:
            return i
        i = (i + 1) & mask
    return -1


@njit(cache=True, nogil=True)
def _insert(table, key, shift):  # pragma: no cover - compiled
    mask = len(table) - 1
    i = _slot(key, shift)
    while table[i] != _EMPTY:
        i = (i + 1) & mask
    table[i] = key


@njit(cache=True, nogil=True)
def _delete(table, key, shift):  # pragma: no cover - compiled
    mask = len(table) - 1
    i = _find(table, key, shift)
    if i < 0:
        return
    j = i
    while True:
        table[i] = _EMPTY
        while True:
            j = (j + 1) & mask
            if table[j] == _EMPTY:
                return
            home = _slot(table[j], shift)
            # the entry at j may move to the hole at i unless its home slot lies
            # cyclically in (i, j]
            if i <= j:
                if i < home <= j:
                    continue
            elif home <= j or home > i:
                continue
            break
        table[i] = table[j]
        i = j


@njit(cache=True, nogil=True)
def _build(u, v, n):  # pragma: no cover - compiled
    size = 4
    bits = 2
    while size < 4 * len(u):
        size *= 2
        bits += 1
    table = np.full(size, _EMPTY, dtype=np.int64)
    shift = 64 - bits
    for k in range(len(u)):
        _insert(table, u[k] * n + v[k], shift)
    return table, shift


@njit(cache=True, nogil=True)
def _cross(x, y, groups):  # pragma: no cover - compiled
    return 1 if (groups[x] >= 0 and groups[y] >= 0 and groups[x] != groups[y]) else 0


@njit(cache=True, nogil=True)
def _run(eu, ev, table, shift, n, groups, e, steps, draws, out, start, rng):  # pragma: no cover
    """Advance the chain ``draws`` times by ``steps`` attempted swaps, writing
    the cross-group count after each into ``out[start:start + draws]``."""
    t = len(eu)
    for r in range(draws):
        for _ in range(steps):
            i = int(rng.random() * t)
            j = int(rng.random() * t)
            if i == j:
                continue
            a, b = eu[i], ev[i]
            if rng.random() < 0.5:
                c, d = eu[j], ev[j]
            else:
                c, d = ev[j], eu[j]
            if a == d or c == b:
                continue
            x1, y1 = (a, d) if a < d else (d, a)
            x2, y2 = (c, b) if c < b else (b, c)
            k1 = x1 * n + y1
            k2 = x2 * n + y2
            if k1 == k2 or _find(table, k1, shift) >= 0 or _find(table, k2, shift) >= 0:
                continue
            e += _cross(x1, y1, groups) + _cross(x2, y2, groups)
            e -= _cross(eu[i], ev[i], groups) + _cross(eu[j], ev[j], groups)
            _delete(table, eu[i] * n + ev[i], shift)
            _delete(table, eu[j] * n + ev[j], shift)
            _insert(table, k1, shift)
            _insert(table, k2, shift)
            eu[i], ev[i] = x1, y1
            eu[j], ev[j] = x2, y2
        out[start + r] = e
    return e


@njit(cache=True, nogil=True)
def _skip(t, attempts, rng):  # pragma: no cover - compiled
    """Draw from ``rng`` what ``attempts`` attempted swaps of :func:`_run` on
    ``t`` edges draw, without swapping."""
    for _ in range(attempts):
        i = int(rng.random() * t)
        j = int(rng.random() * t)
        if i == j:
            continue
        rng.random()


#: Attempted swaps each segment needs before the two segments run in two threads.
PARALLEL_MIN_ATTEMPTS = 2_000_000


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def cross_group_chain(
    u: np.ndarray,
    v: np.ndarray,
    n: int,
    groups: np.ndarray,
    *,
    draws: int,
    steps: int,
    before: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Cross-group edge counts along a Besag–Clifford serial swap chain.

    Starting from the observed graph (edges ``u < v`` on ``n`` nodes), the
    chain is run ``before`` times ``steps`` attempted swaps (standing for
    the reversed chain, which by reversibility has the same law), then, from
    the observed graph again, ``draws - before`` times ``steps`` swaps. The
    count of edges whose two ends have known (``>= 0``) and different
    ``groups`` is recorded after each block.

    Returns
    -------
    numpy.ndarray
        ``draws`` int64 counts: the ``before`` backward states, then the
        forward ones.
    """
    eu0 = np.asarray(u, dtype=np.int64)
    ev0 = np.asarray(v, dtype=np.int64)
    g = np.asarray(groups, dtype=np.int64)
    e0 = int(np.count_nonzero((g[eu0] >= 0) & (g[ev0] >= 0) & (g[eu0] != g[ev0])))
    out = np.empty(draws, dtype=np.int64)
    if len(eu0) < 2:
        out[:] = e0
        return out
    segments = [(start, count) for start, count in ((0, before), (before, draws - before)) if count > 0]

    def segment(start: int, count: int, stream: np.random.Generator) -> None:
        eu, ev = eu0.copy(), ev0.copy()
        table, shift = _build(eu, ev, np.int64(n))
        _run(eu, ev, table, shift, np.int64(n), g, e0, int(steps), int(count), out, start, stream)

    parallel = (
        len(segments) == 2 and min(c for _, c in segments) * int(steps) >= PARALLEL_MIN_ATTEMPTS and _cores() > 1
    )
    if not parallel:
        for start, count in segments:
            segment(start, count, rng)
        return out
    # the second segment's stream starts where the first one's ends (see the module docstring)
    later = copy.deepcopy(rng)
    (s1, c1), (s2, c2) = segments

    def second() -> None:
        _skip(np.int64(len(eu0)), np.int64(c1) * np.int64(steps), later)
        segment(s2, c2, later)

    with ThreadPoolExecutor(max_workers=1) as pool:
        done = pool.submit(second)
        segment(s1, c1, rng)
        done.result()
    rng.bit_generator.state = later.bit_generator.state  # where the serial chain leaves it
    return out


@njit(cache=True, nogil=True)
def _rewire(eu, ev, n, steps, rng):  # pragma: no cover - compiled
    table, shift = _build(eu, ev, n)
    groups = np.full(n, -1, dtype=np.int64)
    out = np.empty(1, dtype=np.int64)
    _run(eu, ev, table, shift, n, groups, 0, steps, 1, out, 0, rng)


def rewired_edges(
    u: np.ndarray, v: np.ndarray, n: int, *, steps: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The edges after ``steps`` attempted swaps of the chain (for checks)."""
    eu = np.asarray(u, dtype=np.int64).copy()
    ev = np.asarray(v, dtype=np.int64).copy()
    if len(eu) >= 2:
        _rewire(eu, ev, np.int64(n), int(steps), rng)
    return eu, ev
