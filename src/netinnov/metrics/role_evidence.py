"""The evidence of the convener, facilitator and catalyst roles, component by component.

:func:`role_components` measures the traces each leadership role leaves in a
case's records and network (see :mod:`netinnov.metrics.roles` for the roles
and the theory), each on a fixed scale in [0, 1] that depends on the case's
own records and the config only: shares, never counts or within-case
standardisation. :func:`netinnov.metrics.roles.role_scores` combines them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.contract import LEADERSHIP_ROLES, PHASES
from netinnov.io.codes import case_rows, text_codes, text_equals
from netinnov.networks import CaseNetwork
from netinnov.networks.kernels.triangles import UNDATED, alter_triangle_sums

__all__ = ["COMPONENTS", "DEFAULT_SCALE", "role_components"]

#: The evidence components of each role (columns of :func:`role_components`).
COMPONENTS: dict[str, tuple[str, ...]] = {
    "convener": ("brokered_closure", "introductions", "early_activity"),
    "facilitator": ("alter_repetition", "events_share", "reciprocity"),
    "catalyst": ("newcomers", "weak_cross_ties", "bridges"),
}

#: Fixed scale constants (config ``role_scale``), see :func:`role_components`.
DEFAULT_SCALE: dict[str, float] = {
    "prior": 3.0,  # pseudo-count (ties, alter pairs) at 0 in every share
    "entry_window": 0.25,  # newcomer: first record after this share of the case's span
    "prior_tie_weight": 0.0,  # weight of an alter pair tied before the actor met both
    "undated_weight": 1.0,  # weight of a closed alter pair whose order is unknown
    "frequency_anchor": 3.0,  # summed frequency f -> f / (f + anchor)
    "records_anchor": 2.0,  # records r -> r / (r + anchor)
    "weak_frequency": 2.0,  # without tie classes: a pair is weak when f <= this
}

_EARLY = PHASES[:2]  # initiation, design
_NEVER = np.iinfo(np.int64).max


def role_components(
    net: CaseNetwork,
    interactions: pd.DataFrame | None,
    participation: pd.DataFrame | None = None,
    *,
    previous: CaseNetwork | None = None,
    tie_class: pd.Series | None = None,
    scale: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    r"""Behavioural evidence of each leadership role, per actor, on [0, 1].

    Let :math:`S` be the undirected skeleton, :math:`N(i)` the alters of
    :math:`i`, :math:`d_i = |N(i)|`, :math:`g_i` its group (``-1``
    unknown) and :math:`k` the pseudo-count ``prior`` of ``scale``. The
    convener's and facilitator's neighbourhood shares are written :math:`x /
    (\text{denominator} + k)`: a share of the actor's own ties or alter
    pairs, pulled towards 0 when the evidence is thin, so that actors with
    one or two ties cannot reach the top of the scale by chance. The
    catalyst's components and the facilitator's reciprocity are shares of
    the case's other actors, :math:`x / \max(n - 1, k)`: size-free, since
    with a per-tie pseudo-count the case maximum grew with case size. No component is a raw count, ranked or standardised
    against other actors or cases, so a very active actor who does nothing
    role-specific does not score high, and a case's values depend only on
    its own records and ``scale``. A pair's time :math:`t_{ij}` is the
    earliest ``first_date`` of its ties (its first reported interaction).
    The network is the *reported* relation: a pair without an interaction
    record (``n_records`` 0, co-attendance only, as when co-attendance is
    merged into the network) is left out of every component, because
    co-attendance is opportunity, not choice; events enter only through
    ``facilitator_events_share``. :math:`S`, :math:`N(i)` and :math:`d_i`
    are those of the reported relation.

    Convener — brings the relevant actors together (*tertius iungens*):

    ``convener_brokered_closure``
        Among the pairs of :math:`i`'s alters from different known groups,
        :math:`P_i = \tfrac12 (c_i^2 - \sum_g c_{ig}^2)` with :math:`c_{ig}`
        its alters in group :math:`g`, the weighted share that are tied to
        each other: :math:`(A_i + w_u U_i + w_p B_i) / (P_i + k)`, where
        :math:`A_i` counts the tied pairs whose tie came no earlier than
        :math:`i`'s contact with both, :math:`t_{jl} \ge \max(t_{ij},
        t_{il})` (the actor brought them together), :math:`B_i` those tied
        before (``prior_tie_weight`` :math:`w_p`, default 0), and
        :math:`U_i` those where one of the three ties is undated
        (``undated_weight`` :math:`w_u`, default 1: without dates the
        component is the structural cross-group closure of the actor's
        neighbourhood, the network trace of Obstfeld's *tertius iungens*).
    ``convener_introductions``
        The share of the actor's alters it brought together with another
        of its alters from a different known group: :math:`I_i / (d_i +
        k)`, where alter :math:`j` counts 1 when some alter :math:`l` of
        another group is tied to :math:`j` no earlier than :math:`i`'s
        contacts with both, else ``undated_weight`` when such a closing
        triad has an undated tie, else ``prior_tie_weight`` when the tie
        :math:`jl` came earlier (each alter counted once, with its best
        evidence). Obstfeld's (2005) *tertius iungens* is the actor's
        tendency to introduce the people it deals with to each other; this
        counts the introduced *people*, while ``brokered_closure`` counts
        the introduced *pairs*. A share of pairs falls with the square of
        the actor's degree (an active actor's many other alters dilute the
        few it brings together), a share of alters only linearly, so the
        two read the same behaviour at different depths of the
        neighbourhood.
    ``convener_early_activity``
        Share of the actor's phased records in initiation or design,
        :math:`e_i / r_i` (a plain share of the actor's own records, without
        the pseudo-count: with it the share would follow the actor's record
        volume, i.e. general activity). When no record of the case has a phase: how early the actor's first dated
        record is, :math:`(t_{last} - t_{i,first}) / (t_{last} - t_{first})`
        over the case's dated records (1 when all share one date).

    Facilitator — repetition and trust among the actors it works with:

    ``facilitator_alter_repetition``
        Each pair gets a fixed-scale intensity :math:`q_e`, the mean of its
        available indicators :math:`f/(f+a_f)` (summed ``frequency``,
        anchor ``frequency_anchor``), :math:`r/(r+a_r)` (``n_records``,
        ``records_anchor``) and :math:`(c-1)/4` (mean ``closeness`` 1–5),
        and its mid-rank percentile :math:`p_e = (\mathrm{rank}(q_e) -
        \tfrac12)/m` among the case's :math:`m` pairs (relative to the
        case's own ties only). Over the ties :math:`E_i` among :math:`i`'s
        alters: :math:`\max\big(0, \sum_{e \in E_i} (2 p_e - 1)\big) /
        (|E_i| + k)` — 0 when the ties among its alters are no more
        repeated or trusting than the case's typical tie, towards 1 when
        they are its most intense.
    ``facilitator_events_share``
        Distinct events of the case the actor attended, as a share of the
        case's distinct events (``participation``), :math:`v_i / (V + k)`:
        in a case with few events, attending all of them is weak evidence.
    ``facilitator_reciprocity``
        Directed networks: the actor's reciprocated reported pairs as a
        share of the case's other actors, :math:`R_i / \max(n - 1, k)`
        (a size-free scale: as a share of the actor's own ties, with the
        pseudo-count, the case maximum grew with case size, because larger
        cases give more actors enough ties to escape the shrinkage; the
        floor :math:`k` keeps a tiny case from reaching 1 with one
        reciprocated pair). A pair is reciprocated
        when one of its ties has ``reciprocated`` true (the tie table's
        column; without it, when both arcs exist); only pairs with a
        reported record count (``n_records > 0`` when the column exists).

    Catalyst — new actors and weak ties across boundaries:

    ``catalyst_newcomers``
        The newcomers the actor brought into the case beyond its case's own
        rate per tie, as a share of the case's other actors, :math:`\max(0,
        M_i - \nu d_i) / \max(n - 1, k)` with :math:`\nu = \sum_j M_j /
        \sum_j d_j` (the case's newcomer entries per tie end). With dated
        records an actor :math:`j` is a newcomer when its first dated record
        of the case is later than :math:`t_{first} + w (t_{last} -
        t_{first})` (``entry_window`` :math:`w`) and it was brought in by
        :math:`i` when their pair is dated at :math:`j`'s first contact,
        :math:`t_{ij} = \min_l t_{jl}`: :math:`M_i` counts them. This is the
        same definition in every wave, the first included: it reads only the
        wave's own dated records, never the previous wave. Without dated
        records but with a previous wave: :math:`M_i` counts the actor's
        alters that had no tie in the previous wave's network of the case
        (the first wave, having no previous one, is then NaN: marked
        unavailable, not scored another way). Without either: NaN. The
        catalyst *brings* new actors in: it prevents tunnel vision with new
        actors and perspectives (Sørensen & Torfing 2011; Ansell & Gash
        2012). But every active actor meets some late entrants by chance —
        actors whose records start late because their sector comes in at
        implementation, sparse reporters — and the more ties it has, the
        more of them, so the case's most active actors topped the raw count
        :math:`M_i / \max(n - 1, k)` in cases without any catalyst (on
        generated data the raw count's case maximum had an AUC of only 0.77
        against planted catalysts in the first two waves of seed 20270302).
        Only the entries beyond what the actor's ties would give it at the
        case's own rate count (the rule of ``catalyst_bridges``), so the
        case's hubs no longer score for being hubs. Over the case's size,
        not over its inflow of newcomers: a role-free large case has more
        late entrants by chance, and the inflow share of its top recruiter
        grew with case size; the floor :math:`k` keeps tiny cases shrunk.
    ``catalyst_weak_cross_ties``
        Weak ties to alters of another known group that are local bridges
        (the two ends share no neighbour), beyond the case's own rate, as a
        share of the case's other actors: :math:`\max(0, W_i - \omega d_i) /
        \max(n - 1, k)` with :math:`\omega` the share of the case's ties
        that are weak cross-group bridges. A weak tie matters to
        innovation as a bridge to people and information outside the
        actor's circle (Granovetter 1973; Burt 1992), so a weak cross-group
        tie that is closed by a common neighbour is not counted; and only
        the actor who holds more of them than its ties would give it at the
        case's rate scores. (Before: every weak cross-group tie,
        :math:`W_i / \max(n - 1, k)`, whose case maximum was simply the
        case's most active cross-group actor: AUC 0.46–0.51 against planted
        catalysts, and it set the catalyst's presence score in role-free
        cases.) A pair is weak when its ``tie_class`` (argument, else the
        column of ``net.ties``) is ``"weak"`` for some arc and
        ``"strong"`` for none; without tie classes, when its summed
        frequency is at most ``weak_frequency``.
    ``catalyst_bridges``
        Local bridges (ties whose ends share no neighbour,
        :math:`(S^2)_{ij} = 0`) beyond the case's own rate, as a share of
        the case's other actors: :math:`\max(0, L_i - \beta d_i) / \max(n - 1,
        k)` with :math:`\beta` the share of the case's ties that are local
        bridges.
        A sparse network makes most ties local bridges for every actor;
        only the actor who bridges more than its case's ties do scores
        (relative to the case's own ties, as the alter repetition).

    Parameters
    ----------
    net
        The case network. Tie columns used when present: ``frequency`` (else
        ``weight``), ``n_records``, ``closeness``, ``first_date``,
        ``reciprocated``, ``tie_class``.
    interactions
        Validated interaction records (``case_id, source, target``, optionally
        ``phase`` and ``date``); rows of other cases are ignored.
    participation
        Optional participation records (``case_id, event_id, actor_id``,
        optionally ``phase`` and ``date``).
    previous
        The same case's network in the previous wave, if any (used only
        when the records carry no dates).
    tie_class
        Optional ``"strong"``/``"weak"`` per row of ``net.ties``.
    scale
        Overrides of :data:`DEFAULT_SCALE` (config ``role_scale``).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id in ``net.actors`` order; one column per component
        above, each in [0, 1]. A component whose evidence is not available
        for the case (no phases nor dates, no participation records,
        undirected data, neither dates nor a previous wave) is NaN for every
        actor; otherwise actors without evidence (isolates) get 0.

    References
    ----------
    Obstfeld, D. (2005). Social networks, the tertius iungens orientation,
    and involvement in innovation. *Administrative Science Quarterly*,
    50(1), 100–130.
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press.
    Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts:
    toward a model of collaborative leadership. *The Innovation Journal*,
    17(1), article 7.
    Crosby, B. C., & Bryson, J. M. (2010). Integrative leadership and the
    creation and maintenance of cross-sector collaborations. *The Leadership
    Quarterly*, 21(2), 211–230.
    Sørensen, E., & Torfing, J. (2011). Enhancing collaborative innovation in
    the public sector. *Administration & Society*, 43(8), 842–868.
    Straus, D. (2002). *How to Make Collaboration Work*. Berrett-Koehler.
    Granovetter, M. S. (1973). The strength of weak ties. *American Journal
    of Sociology*, 78(6), 1360–1380.
    Marsden, P. V., & Campbell, K. E. (1984). Measuring tie strength.
    *Social Forces*, 63(2), 482–501.
    """
    cfg = {**DEFAULT_SCALE, **{k: float(v) for k, v in (scale or {}).items()}}
    k = cfg["prior"]
    n = net.n
    position = _id_index(net.actors)
    frames = _record_frames(net, interactions, participation)
    # first the components read from the records (their transient arrays grow
    # with them), while the pair table below is not yet made
    with np.errstate(invalid="ignore", divide="ignore"):
        early_activity = _early_activity(n, frames, position)
    dates = _first_dates(n, frames, position)
    groups = np.asarray(net.groups, dtype=np.int64)
    pairs = _pair_table(net, tie_class, cfg)
    # the reported relation: co-attendance-only pairs (no interaction record)
    # are opportunity, not choice, and enter only through the events share
    pairs = pairs[pairs["reported"].to_numpy(dtype=bool)].reset_index(drop=True)
    a = pairs["a"].to_numpy(dtype=np.int64)
    b = pairs["b"].to_numpy(dtype=np.int64)
    s = _skeleton(n, a, b)
    degree = np.diff(s.indptr).astype(float)

    def per_actor(values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        return np.bincount(a, weights=values, minlength=n) + np.bincount(
            b, weights=values, minlength=n
        )

    def share(count: np.ndarray, denominator: np.ndarray) -> np.ndarray:
        return np.asarray(count, dtype=float) / (np.asarray(denominator, dtype=float) + k)

    out: dict[str, np.ndarray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        # triangles: what happens among each actor's alters
        tri, sides = _alter_triangles(s, pairs, groups)
        # ---------------------------------------------------------- convener
        closed = tri[:, 2] + cfg["undated_weight"] * tri[:, 4] + cfg["prior_tie_weight"] * tri[:, 3]
        out["convener_brokered_closure"] = share(closed, _cross_group_pairs(s, groups, len(net.group_labels)))
        # an alter counts once, with the best evidence that the actor brought it
        # together with another of its alters: after (1), undated, before
        brought = np.maximum.reduce([
            ((sides & 1) > 0).astype(float),
            cfg["undated_weight"] * ((sides & 4) > 0),
            cfg["prior_tie_weight"] * ((sides & 2) > 0),
        ]) if len(sides) else np.zeros((0, 2))
        introduced = np.bincount(a, weights=brought[:, 0], minlength=n) + np.bincount(
            b, weights=brought[:, 1], minlength=n
        )
        out["convener_introductions"] = share(introduced, degree)
        out["convener_early_activity"] = early_activity
        # ------------------------------------------------------- facilitator
        out["facilitator_alter_repetition"] = share(np.maximum(tri[:, 1], 0.0), tri[:, 0])
        out["facilitator_events_share"] = _events_share(net, participation, k)
        others = max(n - 1.0, k)  # size-free denominators (catalyst, reciprocity): the case's other actors
        if net.directed:
            recip = pairs["reciprocated"].to_numpy(dtype=bool)
            out["facilitator_reciprocity"] = per_actor(recip) / others
        else:
            out["facilitator_reciprocity"] = np.full(n, np.nan)
        # ---------------------------------------------------------- catalyst
        entries = _newcomers(net, pairs, dates, previous, cfg["entry_window"])
        out["catalyst_newcomers"] = _beyond_rate(entries, degree) / others
        bridge = _common_neighbours(s) == 0
        cross = (groups[a] >= 0) & (groups[b] >= 0) & (groups[a] != groups[b])
        weak_bridge = cross & pairs["weak"].to_numpy(dtype=bool) & bridge
        out["catalyst_weak_cross_ties"] = _beyond_rate(per_actor(weak_bridge), degree) / others
        out["catalyst_bridges"] = _beyond_rate(per_actor(bridge), degree) / others
    columns = [f"{role}_{c}" for role in LEADERSHIP_ROLES for c in COMPONENTS[role]]
    return pd.DataFrame({c: out[c] for c in columns}, index=net.index.copy())


# ------------------------------------------------------------------ the pairs
def _pair_table(net: CaseNetwork, tie_class: pd.Series | None, cfg: Mapping[str, float]) -> pd.DataFrame:
    """One row per skeleton pair (a < b), sorted: summed frequency and records,
    mean closeness, earliest first date (int64 ns, UNDATED when unknown),
    reciprocity, whether reported, weakness and the fixed-scale intensity
    ``q``. Pairs are grouped by an integer key (no pandas group-by: this
    runs once per case)."""
    ties = net.ties
    src = ties["source_index"].to_numpy(dtype=np.int64)
    tgt = ties["target_index"].to_numpy(dtype=np.int64)
    field = "frequency" if "frequency" in ties.columns else "weight"
    freq = _numeric(ties, field, 0.0)
    if tie_class is None and "tie_class" in ties.columns:
        tie_class = ties["tie_class"]
    if tie_class is not None:
        cls = pd.Series(tie_class).reset_index(drop=True)
        if len(cls) != len(ties):
            raise ValueError(
                f"tie_class has {len(cls)} values but the network has {len(ties)} ties"
            )
        weak, strong = text_equals(cls, "weak"), text_equals(cls, "strong")
    else:
        weak = strong = np.zeros(len(ties), dtype=bool)
    n = np.int64(max(net.n, 1))
    keys, pair = np.unique(np.minimum(src, tgt) * n + np.maximum(src, tgt), return_inverse=True)
    pair = pair.ravel()
    m = len(keys)

    def total(values) -> np.ndarray:
        return np.bincount(pair, weights=np.asarray(values, dtype=float), minlength=m)

    counts = np.bincount(pair, minlength=m)
    frequency = total(freq)
    pairs = pd.DataFrame({"a": keys // n, "b": keys % n, "frequency": frequency}, copy=False)
    if "reciprocated" in ties.columns:
        flag = pd.Series(ties["reciprocated"]).fillna(False).to_numpy(dtype=bool)
        pairs["reciprocated"] = total(flag) > 0
    else:
        pairs["reciprocated"] = counts >= 2
    if "n_records" in ties.columns:
        records = total(_numeric(ties, "n_records", 0.0))
        pairs["reported"] = records > 0
    else:
        records = None
        pairs["reported"] = True
    if tie_class is not None:
        pairs["weak"] = (total(weak) > 0) & ~(total(strong) > 0)
    else:
        pairs["weak"] = frequency <= cfg["weak_frequency"]
    # earliest first date of the pair's ties
    pairs["time"] = _pair_times(ties, pair, m)
    # fixed-scale intensity: mean of the available indicators
    parts = [frequency / (frequency + cfg["frequency_anchor"])]
    if records is not None:
        parts.append(records / (records + cfg["records_anchor"]))
    if "closeness" in ties.columns:
        c = _numeric(ties, "closeness", np.nan)
        known = np.isfinite(c)
        c_sum = total(np.where(known, c, 0.0))
        c_n = total(known)
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(np.where(c_n > 0, np.clip((c_sum / c_n - 1.0) / 4.0, 0.0, 1.0), np.nan))
    with np.errstate(invalid="ignore"):
        stacked = np.vstack(parts)
        q = np.nanmean(np.where(np.isfinite(stacked), stacked, np.nan), axis=0) if m else np.zeros(0)
    pairs["q"] = np.nan_to_num(q, nan=0.0)
    return pairs


def _numeric(ties: pd.DataFrame, column: str, fill: float) -> np.ndarray:
    return pd.to_numeric(ties[column], errors="coerce").fillna(fill).to_numpy(dtype=float)


def _pair_times(ties: pd.DataFrame, pair: np.ndarray, m: int) -> np.ndarray:
    """Earliest ``first_date`` of each pair's ties as int64 ns (UNDATED if none)."""
    out = np.full(m, _NEVER, dtype=np.int64)
    if "first_date" in ties.columns and len(ties):
        when = pd.to_datetime(ties["first_date"], errors="coerce").to_numpy(dtype="datetime64[ns]")
        dated = ~np.isnat(when)
        np.minimum.at(out, pair[dated], when[dated].view(np.int64))
    out[out == _NEVER] = UNDATED
    return out


def _skeleton(n: int, a: np.ndarray, b: np.ndarray) -> sp.csr_matrix:
    """Binary symmetric CSR of the pairs ``(a, b)`` (sorted indices); its
    upper entries are the pairs in key order, as :func:`_pair_table` sorts them."""
    ones = np.ones(2 * len(a))
    s = sp.csr_matrix((ones, (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))
    s.sum_duplicates()
    s.sort_indices()
    return s


def _upper(s: sp.csr_matrix) -> np.ndarray:
    """Mask of the stored entries ``(i, j)`` with ``i < j`` (the pairs, in key order)."""
    row = np.repeat(np.arange(s.shape[0], dtype=np.int64), np.diff(s.indptr))
    return s.indices > row


def _common_neighbours(s: sp.csr_matrix) -> np.ndarray:
    """Common neighbours of the two ends of every pair, in pair (key) order."""
    from netinnov.networks.kernels.neighbourhoods import edge_common_counts

    if s.nnz == 0:
        return np.zeros(0)
    return edge_common_counts(s.indptr, s.indices)[_upper(s)]


def _mid_ranks(x: np.ndarray) -> np.ndarray:
    """The ranks of ``x`` from 1, ties given their mean rank: the values of
    ``scipy.stats.rankdata(x)`` (its ``"average"`` method, all NaN if a value
    is NaN), computed the same way with numpy alone, because importing
    ``scipy.stats`` takes about 0.4 s of a wave job's start-up. The ranks are
    halves of integers, so they are exact."""
    x = np.asarray(x, dtype=float).ravel()
    n = len(x)
    if np.isnan(x).any():
        return np.full(n, np.nan)
    order = np.argsort(x, kind="stable")
    y = x[order]
    first = np.flatnonzero(np.concatenate([[True], y[:-1] != y[1:]]))
    counts = np.diff(first, append=n)
    ranks = np.empty(n, dtype=float)
    ranks[order] = np.repeat((first + 1).astype(float) + (counts - 1) / 2, counts)
    return ranks


def _alter_triangles(s: sp.csr_matrix, pairs: pd.DataFrame, groups: np.ndarray) -> np.ndarray:
    """:func:`alter_triangle_sums` with the pairs' times and their excess
    intensity ``2 p - 1`` (mid-rank percentile among the case's pairs), and
    the introductions per pair side."""
    m = len(pairs)
    if m == 0:
        return np.zeros((s.shape[0], 5)), np.zeros((0, 2), dtype=np.int64)
    excess = 2.0 * (_mid_ranks(pairs["q"].to_numpy(dtype=float)) - 0.5) / m - 1.0
    # the pair index of every stored entry: the upper entries are the pairs in
    # order, and the lower entry (j, i) mirrors the upper (i, j)
    pair_of_entry = np.empty(s.nnz, dtype=np.int64)
    upper = _upper(s)
    pair_of_entry[upper] = np.arange(m)
    row = np.repeat(np.arange(s.shape[0], dtype=np.int64), np.diff(s.indptr))
    lower = np.flatnonzero(~upper)
    key_lower = s.indices[lower].astype(np.int64) * s.shape[0] + row[lower]  # as (min, max)
    key_pairs = pairs["a"].to_numpy(dtype=np.int64) * s.shape[0] + pairs["b"].to_numpy(dtype=np.int64)
    pair_of_entry[lower] = np.searchsorted(key_pairs, key_lower)
    return alter_triangle_sums(
        s.indptr, s.indices, pair_of_entry, groups, pairs["time"].to_numpy(), excess,
        lower_end=pairs["a"].to_numpy(dtype=np.int64),
    )


def _cross_group_pairs(s: sp.csr_matrix, groups: np.ndarray, k: int) -> np.ndarray:
    r"""Pairs of alters of different known groups, :math:`\tfrac12 (c_i^2 - \sum_g c_{ig}^2)`."""
    n = s.shape[0]
    if n == 0 or k == 0:
        return np.zeros(n)
    known = np.flatnonzero(groups >= 0)
    indicator = sp.csr_matrix((np.ones(len(known)), (known, groups[known])), shape=(n, k))
    counts = (s @ indicator).tocsr()
    total = np.asarray(counts.sum(axis=1)).ravel()
    squares = np.asarray(counts.multiply(counts).sum(axis=1)).ravel()
    return 0.5 * (total**2 - squares)


def _beyond_rate(count: np.ndarray, degree: np.ndarray) -> np.ndarray:
    r"""Each actor's count beyond its case's own rate per tie, :math:`\max(0, x_i - \rho d_i)`
    with :math:`\rho = \sum_j x_j / \sum_j d_j` (0 without ties): what the actor does more
    often than the case's typical tie end, as its number of ties alone would give it."""
    count = np.asarray(count, dtype=float)
    ends = float(degree.sum())
    rate = float(count.sum()) / ends if ends else 0.0
    return np.maximum(count - rate * degree, 0.0)


def _newcomers(
    net: CaseNetwork,
    pairs: pd.DataFrame,
    dates: tuple[np.ndarray, int, int] | None,
    previous: CaseNetwork | None,
    window: float,
) -> np.ndarray:
    """The newcomers each actor brought into the case, a count (NaN without
    dates or a previous wave; see role_components)."""
    n = net.n
    a = pairs["a"].to_numpy(dtype=np.int64)
    b = pairs["b"].to_numpy(dtype=np.int64)
    if dates is not None and (pairs["time"].to_numpy() != UNDATED).any():
        first, start, end = dates
        cut = start + window * (end - start)
        newcomer = (first != _NEVER) & (first > cut)
        t = pairs["time"].to_numpy(dtype=np.int64)
        dated = t != UNDATED
        contact = np.full(n, _NEVER, dtype=np.int64)  # each actor's first dated contact
        np.minimum.at(contact, a[dated], t[dated])
        np.minimum.at(contact, b[dated], t[dated])
        brought_b = dated & newcomer[b] & (t == contact[b])  # a brought b in
        brought_a = dated & newcomer[a] & (t == contact[a])
        return np.bincount(a, weights=brought_b, minlength=n) + np.bincount(
            b, weights=brought_a, minlength=n
        )
    if previous is None:
        return np.full(n, np.nan)
    # previous actors' positions in this wave (-1: gone)
    here = _id_index(net.actors).get_indexer(_id_array(previous.actors))
    prev_degree = np.asarray(previous.symmetric.sum(axis=1)).ravel()
    is_new = np.ones(n)
    is_new[here[(prev_degree > 0) & (here >= 0)]] = 0.0
    return np.bincount(a, weights=is_new[b], minlength=n) + np.bincount(
        b, weights=is_new[a], minlength=n
    )


# ---------------------------------------------------------------- the records
def _early_activity(n: int, frames: list, position: pd.Index) -> np.ndarray:
    """Share of phased records in initiation/design, else earliness by date.

    Each record counts once for each actor on it. Ids, phases and dates stay
    in their compact column types (codes of the distinct values, datetime64):
    no Python object per record, which at millions of records would cost
    gigabytes. The record ends (source, target, attendee) are taken one at a
    time and their counts added up (exact: counts and earliest dates do not
    depend on the order).
    """
    if not frames:
        return np.full(n, np.nan)
    total = np.zeros(n, dtype=np.int64)
    early = np.zeros(n)
    for frame, ends in frames:
        if "phase" not in frame.columns:
            continue
        known, is_early = _phase_flags(frame["phase"])
        for end in ends:
            at = _positions(position, frame[end])
            rows = (at >= 0) & known
            total += np.bincount(at[rows], minlength=n)
            early += np.bincount(at[rows], weights=is_early[rows], minlength=n)
    if total.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, early / total, 0.0)
    return _earliness(n, _first_dates(n, frames, position))


def _record_frames(
    net: CaseNetwork, interactions: pd.DataFrame | None, participation: pd.DataFrame | None
) -> list[tuple[pd.DataFrame, tuple[str, ...]]]:
    """The case's records with their actor columns: interactions (sources,
    targets) and participation (attendees), where the case has any."""
    frames = [
        (case_rows(interactions, net.case_id), ("source", "target")),
        (case_rows(participation, net.case_id), ("actor_id",)),
    ]
    return [(frame, ends) for frame, ends in frames if frame is not None]


def _first_dates(n: int, frames: list, position: pd.Index) -> tuple[np.ndarray, int, int] | None:
    """Each actor's first dated record (int64 ns; ``_NEVER`` without one) and
    the case's first and last record dates; None when no record is dated.
    ``frames`` as :func:`_record_frames` gives them, ``position`` the actors'
    index."""
    first = np.full(n, _NEVER, dtype=np.int64)
    lows, highs = [], []
    for frame, ends in frames:
        if "date" not in frame.columns:
            continue
        when = pd.to_datetime(frame["date"], errors="coerce").to_numpy(dtype="datetime64[ns]")
        for end in ends:
            at = _positions(position, frame[end])
            dated = (at >= 0) & ~np.isnat(when)
            if dated.any():
                ns = when[dated].view(np.int64)
                np.minimum.at(first, at[dated], ns)
                lows.append(int(ns.min()))
                highs.append(int(ns.max()))
    if not lows:
        return None
    return first, min(lows), max(highs)


def _earliness(n: int, dates: tuple[np.ndarray, int, int] | None) -> np.ndarray:
    """How early each actor's first dated record is, ``(t_last - t_first,i) /
    (t_last - t_first)`` over the case's dated records (1 when all share one
    date, 0 for actors without one); NaN when no record is dated."""
    if dates is None:
        return np.full(n, np.nan)
    first, start, end = dates
    span = float(end - start)
    out = np.zeros(n)
    seen = first != _NEVER
    out[seen] = 1.0 if span == 0 else (end - first[seen]) / span
    return out


def _phase_flags(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per record: whether its phase is a known one, and whether it is an early
    one (trimmed, lower-cased), worked out once per distinct value."""
    codes, uniques = text_codes(values)
    clean = pd.Series(np.asarray(uniques, dtype=object), dtype="string").str.strip().str.lower()
    known = np.append(clean.isin(PHASES).fillna(False).to_numpy(dtype=bool), False)
    is_early = np.append(clean.isin(_EARLY).fillna(False).to_numpy(dtype=bool), False)
    return known[codes], is_early[codes]  # code -1 (missing) picks the appended False


def _positions(position: pd.Index, values: pd.Series) -> np.ndarray:
    """Position of each id in ``position`` (-1 where absent), looked up once
    per distinct id that the rows hold (a case's rows of a categorical hold
    few of the wave's ids)."""
    codes, uniques = text_codes(values)
    where = np.full(len(uniques) + 1, -1, dtype=np.int32)  # the last: code -1 (missing)
    used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(uniques)))
    where[used] = position.get_indexer(_id_array(uniques[used]))
    return where[codes]


def _events_share(net: CaseNetwork, participation: pd.DataFrame | None, prior: float) -> np.ndarray:
    """Distinct events attended as a share of the case's distinct events (plus ``prior``)."""
    part = case_rows(participation, net.case_id)
    if part is None:
        return np.full(net.n, np.nan)
    pos = _positions(_id_index(net.actors), part["actor_id"])
    event = text_codes(part["event_id"])[0]
    n_events = len(np.unique(event[event >= 0]))
    rows = pd.DataFrame({"pos": pos, "event": event})
    rows = rows[(rows["pos"] >= 0) & (rows["event"] >= 0)].drop_duplicates()
    if n_events == 0:
        return np.zeros(net.n)
    return np.bincount(rows["pos"].to_numpy(dtype=np.int64), minlength=net.n) / (n_events + prior)


def _id_array(values) -> np.ndarray:
    """Actor ids as an object array of str."""
    return np.asarray(pd.Series(values).astype(str).to_numpy(dtype=object), dtype=object)


def _id_index(values) -> pd.Index:
    """An object-dtype Index of actor ids, for fast look-ups."""
    return pd.Index(_id_array(values), dtype=object)
