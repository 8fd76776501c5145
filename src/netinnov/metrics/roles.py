"""Behavioural evidence of the convener, facilitator and catalyst roles.

Collaborative innovation needs leadership (Sørensen & Torfing 2013). Three
roles are distinguished: the *convener* brings the relevant actors together
(Ansell & Gash 2012; Crosby & Bryson 2010), the *facilitator* makes
collaboration work by lowering its transaction costs and building trust
(Straus 2002; Ansell & Gash 2012), and the *catalyst* creates productive
disturbance — new actors, new perspectives — and spreads the solution through
strong and weak ties (Sørensen & Torfing 2011). :func:`role_components`
measures the traces each role leaves in the records and the network;
:func:`role_scores` combines them into one standardised score per role;
the remaining functions compare the scores with survey-reported roles
(``roles.csv``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from netinnov.codes import case_rows, text_codes, text_equals
from netinnov.networks import CaseNetwork

__all__ = [
    "COMPONENTS",
    "ROLES",
    "case_role_presence",
    "reported_roles",
    "role_components",
    "role_persistence",
    "role_scores",
    "roles_validation",
]

#: The leadership roles, in the order of every output.
ROLES = ("convener", "facilitator", "catalyst")

#: The evidence components of each role (columns of :func:`role_components`).
COMPONENTS: dict[str, tuple[str, ...]] = {
    "convener": ("early_activity", "cross_group_holes", "alter_groups"),
    "facilitator": ("tie_repetition", "events_attended", "clustering", "reciprocity"),
    "catalyst": ("new_actors", "new_ties", "weak_cross_ties", "bridges"),
}

# Components that are unbounded counts (or means of counts) and enter the
# scores as log(1 + x), so that one extreme actor does not dominate the mean.
_LOG_COMPONENTS = frozenset(
    {
        "cross_group_holes",
        "tie_repetition",
        "events_attended",
        "new_actors",
        "new_ties",
        "weak_cross_ties",
        "bridges",
    }
)
_EARLY = ("initiation", "design")
_PHASES = ("initiation", "design", "implementation", "diffusion")
_CHUNK_CELLS = 1 << 22
_PRODUCT_CELLS = 1 << 22  # scalar products per row block of a sparse product


# --------------------------------------------------------------------- scores
def role_components(
    net: CaseNetwork,
    interactions: pd.DataFrame | None,
    participation: pd.DataFrame | None = None,
    *,
    previous: CaseNetwork | None = None,
    tie_class: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Raw behavioural evidence of each leadership role, per actor.

    Let :math:`S` be the undirected skeleton, :math:`N(i)` the alters of
    :math:`i`, :math:`d_i = |N(i)|` and :math:`g_i` its group. Records are the
    rows of ``interactions`` (actor as source or target) and of
    ``participation`` that belong to ``net.case_id``.

    Convener — brings the relevant actors together:

    ``convener_early_activity``
        Share of the actor's phased records in initiation or design. When no
        record of the case has a phase: how early the actor's first dated
        record is, :math:`(t_{last} - t_{i,first}) / (t_{last} - t_{first})`
        over the case's dated records (1 when all share one date).
    ``convener_cross_group_holes``
        Structural holes spanned across groups: pairs of alters of different
        known groups that are not tied to each other,
        :math:`\tfrac12 \big(c_i^2 - \sum_k c_{ik}^2\big) -
        \tfrac12 \sum_{j,l} S_{ij} S_{il} S_{jl} [g_j \ne g_l]`, with
        :math:`c_{ik}` the alters in group :math:`k` and :math:`c_i =
        \sum_k c_{ik}`; the last term is :math:`\tfrac12 (S \circ (S
        (S \circ X)))\mathbf 1`, :math:`X_{jl} = [g_j \ne g_l]`.
    ``convener_alter_groups``
        Number of distinct known groups among the alters.

    Facilitator — makes collaboration work:

    ``facilitator_tie_repetition``
        Mean over the actor's alters of the pair's summed ``frequency`` (both
        directions; the tie ``weight`` when the network has no
        ``frequency`` column): repeated interaction.
    ``facilitator_events_attended``
        Distinct events of the case the actor attended (``participation``).
    ``facilitator_clustering``
        Local clustering on the skeleton, :math:`t_i / \binom{d_i}{2}` with
        :math:`t_i = \tfrac12 (S \circ S^2)\mathbf 1` (0 when :math:`d_i<2`).
    ``facilitator_reciprocity``
        Directed networks: share of the actor's alters with arcs both ways.

    Catalyst — creates productive disturbance:

    ``catalyst_new_actors``
        Alters that had no tie in the previous wave's network of the case.
    ``catalyst_new_ties``
        The actor's ties whose pair was not tied in the previous wave.
    ``catalyst_weak_cross_ties``
        Weak ties to alters of another known group. A pair is weak when its
        ``tie_class`` (argument, else the ``tie_class`` column of
        ``net.ties``) is ``"weak"`` for some arc and ``"strong"`` for none;
        without tie classes, when its summed frequency is at most the median
        over the case's pairs.
    ``catalyst_bridges``
        The actor's ties whose endpoints share no neighbour
        (:math:`(S^2)_{ij} = 0`): local bridges that join otherwise separate
        parts of the network.

    Parameters
    ----------
    net
        The case network.
    interactions
        Validated interaction records (``case_id, source, target``, optionally
        ``phase`` and ``date``); rows of other cases are ignored. When scoring
        many cases, pass each case its own rows (e.g. from a ``groupby``) so
        that the wave's table is not scanned once per case.
    participation
        Optional participation records (``case_id, event_id, actor_id``,
        optionally ``phase`` and ``date``).
    previous
        The same case's network in the previous wave, if any.
    tie_class
        Optional ``"strong"``/``"weak"`` per row of ``net.ties``.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id in ``net.actors`` order; one column per component
        above. A component whose evidence is not available for the case (no
        phases nor dates, no participation records, undirected data, no
        previous wave) is NaN for every actor. Otherwise actors without
        evidence — isolates, actors without records — get 0, the lowest
        possible value.

    References
    ----------
    Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts:
    toward a model of collaborative leadership. *The Innovation Journal*,
    17(1), article 7.
    Crosby, B. C., & Bryson, J. M. (2010). Integrative leadership and the
    creation and maintenance of cross-sector collaborations. *The Leadership
    Quarterly*, 21(2), 211–230.
    Sørensen, E., & Torfing, J. (2011). Enhancing collaborative innovation in
    the public sector. *Administration & Society*, 43(8), 842–868.
    Straus, D. (2002). *How to Make Collaboration Work*. Berrett-Koehler.
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press.
    """
    n = net.n
    # first the component read from the records (its transient arrays grow
    # with them), while the pair table below is not yet made
    with np.errstate(invalid="ignore", divide="ignore"):
        early_activity = _early_activity(net, interactions, participation)
    s = net.symmetric
    degree = np.asarray(s.sum(axis=1)).ravel()
    groups = np.asarray(net.groups, dtype=np.int64)
    pairs = _pair_table(net, tie_class)
    a = pairs["a"].to_numpy(dtype=np.int64)
    b = pairs["b"].to_numpy(dtype=np.int64)

    def per_actor(values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        return np.bincount(a, weights=values, minlength=n) + np.bincount(
            b, weights=values, minlength=n
        )

    with np.errstate(invalid="ignore", divide="ignore"):
        out: dict[str, np.ndarray] = {}
        # ---------------------------------------------------------- convener
        out["convener_early_activity"] = early_activity
        out["convener_cross_group_holes"] = _cross_group_holes(net)
        k = len(net.group_labels)
        if k:
            indicator = sp.csr_matrix(
                (
                    np.ones(np.count_nonzero(groups >= 0)),
                    (np.flatnonzero(groups >= 0), groups[groups >= 0]),
                ),
                shape=(n, k),
            )
            out["convener_alter_groups"] = (
                np.asarray(((s @ indicator) > 0).sum(axis=1)).ravel().astype(float)
            )
        else:
            out["convener_alter_groups"] = np.zeros(n)
        # ------------------------------------------------------- facilitator
        rep = per_actor(pairs["frequency"].to_numpy()) / degree
        out["facilitator_tie_repetition"] = np.where(degree > 0, rep, 0.0)
        out["facilitator_events_attended"] = _events_attended(net, participation)
        # each triangle at i is a common neighbour of one of i's edges, counted twice
        triangles = 0.5 * np.bincount(
            np.repeat(np.arange(n), np.diff(s.indptr)), weights=net.edge_common, minlength=n
        )
        possible = degree * (degree - 1) / 2.0
        out["facilitator_clustering"] = np.where(possible > 0, triangles / possible, 0.0)
        if net.directed:
            recip = per_actor(pairs["reciprocated"].to_numpy(dtype=float)) / degree
            out["facilitator_reciprocity"] = np.where(degree > 0, recip, 0.0)
        else:
            out["facilitator_reciprocity"] = np.full(n, np.nan)
        # ---------------------------------------------------------- catalyst
        out["catalyst_new_actors"], out["catalyst_new_ties"] = _novelty(net, pairs, previous)
        cross = (groups[a] >= 0) & (groups[b] >= 0) & (groups[a] != groups[b])
        out["catalyst_weak_cross_ties"] = per_actor(cross & pairs["weak"].to_numpy(dtype=bool))
        # pairs and skeleton edges are both sorted by (a, b): the same rows
        out["catalyst_bridges"] = per_actor(net.skeleton_edges[2] == 0)
    columns = [f"{role}_{c}" for role in ROLES for c in COMPONENTS[role]]
    return pd.DataFrame({c: out[c] for c in columns}, index=net.index.copy())


def role_scores(
    net: CaseNetwork,
    interactions: pd.DataFrame | None,
    participation: pd.DataFrame | None = None,
    *,
    previous: CaseNetwork | None = None,
    tie_class: pd.Series | None = None,
) -> pd.DataFrame:
    r"""Convener, facilitator and catalyst scores of each actor of a case.

    Each component :math:`x` of :func:`role_components` is transformed
    (unbounded counts as :math:`\log(1+x)`) and standardised within the
    case, :math:`z = (x - \bar x)/\mathrm{sd}(x)` (population sd; a constant
    component gives :math:`z = 0`); components that are unavailable for the
    case (NaN for every actor) are dropped. A role's score is the mean of its
    components' :math:`z`, standardised again within the case, so that the
    scores of every case have mean 0 and sd 1 (all 0 when no actor differs).

    Parameters
    ----------
    net, interactions, participation, previous, tie_class
        As in :func:`role_components`.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id in ``net.actors`` order; columns
        ``convener_score``, ``facilitator_score``, ``catalyst_score``.

    Notes
    -----
    Actors without evidence (isolates) get the lowest raw value of every
    component, never an error. A case of one actor scores 0.

    References
    ----------
    See :func:`role_components`.
    """
    comps = role_components(
        net, interactions, participation, previous=previous, tie_class=tie_class
    )
    scores = {}
    for role in ROLES:
        zs = []
        for c in COMPONENTS[role]:
            x = comps[f"{role}_{c}"].to_numpy(dtype=float)
            if np.all(np.isnan(x)):
                continue
            x = np.nan_to_num(x, nan=0.0)
            if c in _LOG_COMPONENTS:
                x = np.log1p(np.maximum(x, 0.0))
            zs.append(_standardise(x))
        mean = np.mean(zs, axis=0) if zs else np.zeros(net.n)
        scores[f"{role}_score"] = _standardise(mean)
    return pd.DataFrame(scores, index=net.index.copy())


def _standardise(x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return x.astype(float)
    sd = x.std()
    if not np.isfinite(sd) or sd <= 1e-12 * max(1.0, float(np.abs(x).max())):
        return np.zeros(len(x))
    return (x - x.mean()) / sd


def _pair_table(net: CaseNetwork, tie_class: pd.Series | None) -> pd.DataFrame:
    """One row per skeleton pair (a < b), sorted: summed frequency, reciprocity,
    weakness. Pairs are grouped by an integer key (no pandas group-by: this
    runs once per case)."""
    ties = net.ties
    src = ties["source_index"].to_numpy(dtype=np.int64)
    tgt = ties["target_index"].to_numpy(dtype=np.int64)
    field = "frequency" if "frequency" in ties.columns else "weight"
    freq = pd.to_numeric(ties[field], errors="coerce").fillna(0.0).to_numpy(dtype=float)
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
    counts = np.bincount(pair, minlength=len(keys))
    pairs = pd.DataFrame(
        {
            "a": keys // n,
            "b": keys % n,
            "frequency": np.bincount(pair, weights=freq, minlength=len(keys)).astype(float),
            "arcs": counts,
            "weak": np.bincount(pair, weights=weak, minlength=len(keys)) > 0,
            "strong": np.bincount(pair, weights=strong, minlength=len(keys)) > 0,
        },
        copy=False,  # fresh arrays: no need to copy them into blocks
    )
    pairs["reciprocated"] = pairs["arcs"] >= 2
    if tie_class is not None:
        pairs["weak"] = pairs["weak"] & ~pairs["strong"]
    else:
        median = pairs["frequency"].median() if len(pairs) else 0.0
        pairs["weak"] = pairs["frequency"] <= median
    return pairs


def _early_activity(
    net: CaseNetwork, interactions: pd.DataFrame | None, participation: pd.DataFrame | None
) -> np.ndarray:
    """Share of phased records in initiation/design, else earliness by date.

    Each record counts once for each actor on it. Ids, phases and dates stay
    in their compact column types (codes of the distinct values, datetime64):
    no Python object per record, which at millions of records would cost
    gigabytes. The record ends (source, target, attendee) are taken one at a
    time and their counts added up (exact: counts and earliest dates do not
    depend on the order).
    """
    n = net.n
    frames = _record_frames(net, interactions, participation)
    if not frames:
        return np.full(n, np.nan)
    position = _id_index(net.actors)
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
    return _earliness(n, frames, position)


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


def _earliness(n: int, frames: list, position: pd.Index) -> np.ndarray:
    """How early each actor's first dated record is, ``(t_last - t_first,i) /
    (t_last - t_first)`` over the case's dated records (1 when all share one
    date, 0 for actors without one); NaN when no record is dated. ``frames``
    as :func:`_record_frames` gives them, ``position`` the actors' index."""
    never = np.iinfo(np.int64).max
    first = np.full(n, never, dtype=np.int64)  # earliest date per actor, in ns
    lows, highs = [], []
    for frame, ends in frames:
        if "date" not in frame.columns:
            continue
        when = pd.to_datetime(frame["date"], errors="coerce").to_numpy(dtype="datetime64[ns]")
        for end in ends:
            at = _positions(position, frame[end])
            dated = (at >= 0) & ~np.isnat(when)
            if dated.any():
                np.minimum.at(first, at[dated], when[dated].view(np.int64))
                lows.append(when[dated].min())
                highs.append(when[dated].max())
    if not lows:
        return np.full(n, np.nan)
    start = min(lows)
    span = (max(highs) - start) / np.timedelta64(1, "D")
    out = np.zeros(n)
    seen = first != never
    days = (first[seen].view("datetime64[ns]") - start) / np.timedelta64(1, "D")
    out[seen] = 1.0 if span == 0 else (span - days) / span
    return out


def _phase_flags(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per record: whether its phase is a known one, and whether it is an early
    one (trimmed, lower-cased), worked out once per distinct value."""
    codes, uniques = text_codes(values)
    clean = pd.Series(np.asarray(uniques, dtype=object), dtype="string").str.strip().str.lower()
    known = np.append(clean.isin(_PHASES).fillna(False).to_numpy(dtype=bool), False)
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


def _events_attended(net: CaseNetwork, participation: pd.DataFrame | None) -> np.ndarray:
    part = case_rows(participation, net.case_id)
    if part is None:
        return np.full(net.n, np.nan)
    pos = _positions(_id_index(net.actors), part["actor_id"])
    rows = pd.DataFrame({"pos": pos, "event": text_codes(part["event_id"])[0]})
    rows = rows[rows["pos"] >= 0].drop_duplicates()
    return np.bincount(rows["pos"].to_numpy(dtype=np.int64), minlength=net.n).astype(float)


def _cross_group_holes(net: CaseNetwork) -> np.ndarray:
    """Pairs of alters of different known groups with no tie between them."""
    s = net.symmetric
    n = net.n
    groups = np.asarray(net.groups, dtype=np.int64)
    k = len(net.group_labels)
    if n == 0 or k == 0:
        return np.zeros(n)
    known = np.flatnonzero(groups >= 0)
    indicator = sp.csr_matrix((np.ones(len(known)), (known, groups[known])), shape=(n, k))
    counts = np.asarray((s @ indicator).todense(), dtype=float).reshape(n, k)
    cross_pairs = 0.5 * (counts.sum(axis=1) ** 2 - np.sum(counts**2, axis=1))
    coo = s.tocoo()
    mask = (groups[coo.row] >= 0) & (groups[coo.col] >= 0) & (groups[coo.row] != groups[coo.col])
    cross_ties = sp.csr_matrix((coo.data[mask], (coo.row[mask], coo.col[mask])), shape=(n, n))
    del coo, mask
    closed = np.zeros(n)
    for rows in _row_blocks(s, np.diff(cross_ties.indptr)):
        block = s[rows]
        closed[rows] = 0.5 * np.asarray(block.multiply(block @ cross_ties).sum(axis=1)).ravel()
    return cross_pairs - closed


def _row_blocks(s: sp.csr_matrix, right_row_sizes: np.ndarray) -> list[slice]:
    """Consecutive row ranges of ``s`` whose product with a matrix whose rows
    hold ``right_row_sizes`` entries takes about :data:`_PRODUCT_CELLS` products
    each (a row's products: the entries of the rows its entries point to), so
    that ``s[rows] @ right`` stays small. Row sums of such blocks are those of
    the whole product."""
    work = np.cumsum(s @ right_row_sizes.astype(float))
    if not len(work):
        return []
    cuts = np.searchsorted(work, np.arange(_PRODUCT_CELLS, work[-1], _PRODUCT_CELLS), side="right")
    bounds = np.unique(np.concatenate([[0], cuts, [len(work)]]))
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _novelty(
    net: CaseNetwork, pairs: pd.DataFrame, previous: CaseNetwork | None
) -> tuple[np.ndarray, np.ndarray]:
    """Alters new to the case and ties new to the case since the previous wave."""
    n = net.n
    if previous is None:
        return np.full(n, np.nan), np.full(n, np.nan)
    # previous actors' positions in this wave (-1: gone)
    here = _id_index(net.actors).get_indexer(_id_array(previous.actors))
    prev_degree = np.asarray(previous.symmetric.sum(axis=1)).ravel()
    is_new = np.ones(n)
    is_new[here[(prev_degree > 0) & (here >= 0)]] = 0.0
    new_actors = np.asarray(net.symmetric @ is_new).ravel()

    prev = sp.triu(previous.symmetric, k=1).tocoo()
    pu, pv = here[prev.row], here[prev.col]
    kept = (pu >= 0) & (pv >= 0)
    previous_keys = np.minimum(pu, pv)[kept] * n + np.maximum(pu, pv)[kept]
    a = pairs["a"].to_numpy(dtype=np.int64)
    b = pairs["b"].to_numpy(dtype=np.int64)
    new_tie = (~np.isin(a * n + b, previous_keys)).astype(float)
    new_ties = np.bincount(a, weights=new_tie, minlength=n) + np.bincount(
        b, weights=new_tie, minlength=n
    )
    return new_actors, new_ties


def _id_array(values) -> np.ndarray:
    """Actor ids as an object array of str."""
    return np.asarray(pd.Series(values).astype(str).to_numpy(dtype=object), dtype=object)


def _id_index(values) -> pd.Index:
    """An object-dtype Index of actor ids, for fast look-ups."""
    return pd.Index(_id_array(values), dtype=object)


# ------------------------------------------------------------ reported roles
def _role_rows(roles: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("case_id", "actor_id", "role") if c not in roles.columns]
    if missing:
        raise ValueError(f"roles lack the columns {missing}")
    rows = pd.DataFrame(
        {
            "case_id": roles["case_id"].astype(str).to_numpy(dtype=object),
            "actor_id": roles["actor_id"].astype(str).to_numpy(dtype=object),
            "role": roles["role"].astype("string").str.strip().str.lower().to_numpy(dtype=object),
        }
    )
    return rows[rows["role"].isin(ROLES)].drop_duplicates()


def reported_roles(roles: pd.DataFrame, index: pd.MultiIndex | None = None) -> pd.Series:
    """The survey-reported roles of each actor, as one string.

    Parameters
    ----------
    roles
        ``roles.csv`` rows (``case_id, actor_id, role``); several rows per
        actor allowed, roles outside :data:`ROLES` ignored.
    index
        Optional (case_id, actor_id) index to align to; actors without a
        reported role get ``''``.

    Returns
    -------
    pandas.Series
        Named ``reported_roles``, indexed by (``case_id``, ``actor_id``): the
        distinct roles sorted alphabetically and joined by ``;``, e.g.
        ``"catalyst;convener"``.
    """
    rows = _role_rows(roles).sort_values("role", kind="stable")
    joined = rows.groupby(["case_id", "actor_id"], sort=True)["role"].agg(";".join)
    joined = joined.astype(object).rename("reported_roles")
    if index is not None:
        keys = pd.MultiIndex.from_arrays(
            [index.get_level_values(0).astype(str), index.get_level_values(1).astype(str)],
            names=["case_id", "actor_id"],
        )
        joined = joined.reindex(keys).fillna("").astype(object)
    return joined


def _holder_flags(frame: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """0/1 per role for each (case_id, actor_id) row of ``frame``."""
    rows = _role_rows(roles)
    keys = pd.MultiIndex.from_arrays(
        [frame["case_id"].astype(str), frame["actor_id"].astype(str)], names=["case_id", "actor_id"]
    )
    held = pd.MultiIndex.from_frame(rows[["case_id", "actor_id"]]) if len(rows) else None
    flags = {}
    for role in ROLES:
        sel = rows["role"].to_numpy() == role
        if held is None or not sel.any():
            flags[role] = np.zeros(len(frame), dtype=np.int64)
        else:
            flags[role] = keys.isin(held[sel]).astype(np.int64)
    return pd.DataFrame(flags, index=frame.index)


def roles_validation(
    scores: pd.DataFrame,
    roles: pd.DataFrame,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    cases: Iterable[str] | None = None,
) -> pd.DataFrame:
    r"""How well each behavioural score ranks the actors who report the role.

    For each role, the actors of the evaluated cases are pooled; the positives
    are those with a ``roles.csv`` row for that role in that case. The ROC AUC
    (:func:`sklearn.metrics.roc_auc_score`) is the probability that a random
    holder scores higher than a random non-holder (ties count ½). Scores are
    standardised within each case, so pooling compares ranks within cases on
    one scale.

    The 95% interval is a percentile cluster bootstrap: ``n_boot`` times the
    evaluated cases are resampled with replacement (all actors of a drawn case
    come along, so the dependence of actors within a case is kept) and the AUC
    recomputed as a weighted Mann–Whitney statistic; resamples without a
    holder or without a non-holder are skipped. With a single evaluated case
    there is nothing to resample: the interval is NaN and ``n_boot`` is 0.

    Parameters
    ----------
    scores
        ``case_id, actor_id`` and ``<role>_score`` columns (``actors.csv``).
    roles
        ``roles.csv`` rows.
    n_boot
        Bootstrap resamples (0: no interval).
    seed
        Seed of the bootstrap.
    cases
        The cases whose roles were surveyed. Default: the cases with at least
        one row in ``roles``; actors of other cases are left out, because an
        unsurveyed case has no known non-holders.

    Returns
    -------
    pandas.DataFrame
        One row per role: ``role, auc, ci_low, ci_high, n_holders, n_actors,
        n_cases, n_boot`` (usable resamples), ``bootstrap`` (``"cases"``).
        AUC is NaN when there is no holder or no non-holder.

    References
    ----------
    Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area
    under a receiver operating characteristic (ROC) curve. *Radiology*, 143,
    29–36.
    Field, C. A., & Welsh, A. H. (2007). Bootstrapping clustered data.
    *JRSS B*, 69(3), 369–390.
    """
    frame, flags = _evaluation_frame(scores, roles, cases)
    rows = []
    for offset, role in enumerate(ROLES):
        col = f"{role}_score"
        if col not in frame.columns:
            raise ValueError(f"scores lack the column {col!r}")
        s = frame[col].to_numpy(dtype=float)
        ok = np.isfinite(s)
        y = flags[role].to_numpy()[ok]
        clusters = pd.factorize(frame["case_id"].astype(str).to_numpy()[ok])[0]
        auc, lo, hi, used = _auc_with_interval(
            y, s[ok], clusters, n_boot=n_boot, seed=seed + offset
        )
        rows.append(
            {
                "role": role,
                "auc": auc,
                "ci_low": lo,
                "ci_high": hi,
                "n_holders": int(y.sum()),
                "n_actors": int(len(y)),
                "n_cases": int(len(np.unique(clusters))),
                "n_boot": used,
                "bootstrap": "cases",
            }
        )
    return pd.DataFrame(rows)


def _evaluation_frame(
    scores: pd.DataFrame, roles: pd.DataFrame, cases: Iterable[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    for c in ("case_id", "actor_id"):
        if c not in scores.columns:
            raise ValueError(f"scores lack the column {c!r}")
    role_rows = _role_rows(roles)
    evaluated = set(map(str, cases)) if cases is not None else set(role_rows["case_id"])
    frame = scores[scores["case_id"].astype(str).isin(evaluated).to_numpy()].reset_index(drop=True)
    return frame, _holder_flags(frame, roles)


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    if len(y) == 0 or y.min() == y.max():
        return float("nan")
    return float(roc_auc_score(y, s))


def _auc_with_interval(
    y: np.ndarray, s: np.ndarray, clusters: np.ndarray, *, n_boot: int, seed: int
) -> tuple[float, float, float, int]:
    auc = _auc(y, s)
    nan = float("nan")
    if not np.isfinite(auc) or n_boot <= 0 or len(np.unique(clusters)) < 2:
        # One case: resampling cases cannot say anything about sampling error.
        return auc, nan, nan, 0
    boot = _cluster_bootstrap_auc(y, s, clusters, n_boot=n_boot, seed=seed)
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return auc, nan, nan, 0
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return auc, float(lo), float(hi), int(len(boot))


def _cluster_bootstrap_auc(
    y: np.ndarray, s: np.ndarray, clusters: np.ndarray, *, n_boot: int, seed: int
) -> np.ndarray:
    r"""AUC of ``n_boot`` cluster resamples, as weighted Mann–Whitney statistics.

    A resample gives each actor the weight :math:`w` = the number of times
    its cluster was drawn. With distinct score values :math:`u` and the
    weighted counts :math:`P_u` of holders and :math:`N_u` of non-holders at
    :math:`u`: :math:`\mathrm{AUC} = \sum_u P_u (\sum_{v<u} N_v + N_u/2) /
    (\sum P \sum N)`.
    """
    values, level = np.unique(s, return_inverse=True)
    n_clusters = int(clusters.max()) + 1
    u = len(values)
    pos = sp.csr_matrix((y.astype(float), (clusters, level)), shape=(n_clusters, u))
    neg = sp.csr_matrix(((1 - y).astype(float), (clusters, level)), shape=(n_clusters, u))
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    chunk = max(1, _CHUNK_CELLS // max(u, n_clusters))
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        draws = rng.integers(0, n_clusters, size=(size, n_clusters))
        offsets = (np.arange(size)[:, None] * n_clusters + draws).ravel()
        weights = np.bincount(offsets, minlength=size * n_clusters).reshape(size, n_clusters)
        weights = sp.csr_matrix(weights.astype(float))
        p = (weights @ pos).toarray()
        q = (weights @ neg).toarray()
        below = np.cumsum(q, axis=1) - q
        denom = p.sum(axis=1) * q.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[done : done + size] = np.where(
                denom > 0, np.sum(p * (below + 0.5 * q), axis=1) / denom, np.nan
            )
        done += size
    return out


def role_persistence(
    scores_prev: pd.DataFrame,
    scores_next: pd.DataFrame,
    roles_next: pd.DataFrame,
    roles_prev: pd.DataFrame | None = None,
    *,
    threshold: float = 1.5,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Do roles seen in one wave predict the roles reported in the next?

    The actors that appear in the same case in both waves, in the cases whose
    roles were surveyed in the next wave (cases with a row in
    ``roles_next``), are evaluated against the next wave's reported holders.

    Parameters
    ----------
    scores_prev, scores_next
        ``case_id, actor_id, <role>_score`` of the two waves (only the
        actors present in both are used; ``scores_next`` defines them).
    roles_next
        ``roles.csv`` of the next wave.
    roles_prev
        ``roles.csv`` of the earlier wave, if surveyed.
    threshold
        Score from which the earlier wave's score infers the role.
    n_boot, seed
        Cluster bootstrap of the score AUC, as in :func:`roles_validation`.

    Returns
    -------
    pandas.DataFrame
        One row per role: ``role``; ``auc_score`` (AUC of the earlier score
        for the next wave's holders) with ``ci_low, ci_high``;
        ``auc_reported`` (AUC of being a reported holder earlier; NaN without
        ``roles_prev``); ``persistence_rate`` (share of earlier reported
        holders reported again); ``inferred_precision`` (share of actors with
        an earlier score ≥ ``threshold`` reported in the next wave);
        ``base_rate`` (share of evaluated actors reported in the next wave);
        ``n_actors, n_holders_next, n_holders_prev, n_inferred_prev``.
    """
    nxt, next_flags = _evaluation_frame(scores_next, roles_next, None)
    keys = ["case_id", "actor_id"]
    prev = scores_prev.assign(
        case_id=scores_prev["case_id"].astype(str), actor_id=scores_prev["actor_id"].astype(str)
    )
    joined = nxt[keys].astype(str).join(next_flags).merge(prev, on=keys, how="inner")
    prev_flags = _holder_flags(joined, roles_prev) if roles_prev is not None else None
    clusters = pd.factorize(joined["case_id"].to_numpy())[0]
    nan = float("nan")
    rows = []
    for offset, role in enumerate(ROLES):
        y = joined[role].to_numpy(dtype=np.int64)
        s = joined[f"{role}_score"].to_numpy(dtype=float)
        ok = np.isfinite(s)
        auc, lo, hi, _ = _auc_with_interval(
            y[ok], s[ok], clusters[ok], n_boot=n_boot, seed=seed + offset
        )
        inferred = ok & (s >= threshold)
        row = {
            "role": role,
            "auc_score": auc,
            "ci_low": lo,
            "ci_high": hi,
            "auc_reported": nan,
            "persistence_rate": nan,
            "inferred_precision": float(y[inferred].mean()) if inferred.any() else nan,
            "base_rate": float(y.mean()) if len(y) else nan,
            "n_actors": int(len(y)),
            "n_holders_next": int(y.sum()),
            "n_holders_prev": 0,
            "n_inferred_prev": int(inferred.sum()),
        }
        if prev_flags is not None:
            held = prev_flags[role].to_numpy()
            row["auc_reported"] = _auc(y, held.astype(float))
            row["persistence_rate"] = float(y[held == 1].mean()) if held.any() else nan
            row["n_holders_prev"] = int(held.sum())
        rows.append(row)
    return pd.DataFrame(rows)


def case_role_presence(
    scores: pd.DataFrame, roles: pd.DataFrame, *, threshold: float = 1.5
) -> pd.DataFrame:
    """Whether each role is present in each case, reported and inferred.

    Parameters
    ----------
    scores
        ``case_id, actor_id, <role>_score`` of one wave.
    roles
        ``roles.csv`` of the wave.
    threshold
        Score from which an actor is taken to hold the role.

    Returns
    -------
    pandas.DataFrame
        One row per case of ``scores`` or ``roles`` (sorted by ``case_id``):
        ``case_id`` and, per role, ``<role>_present`` (1 when some actor of
        the case has a ``roles.csv`` row for the role, else 0),
        ``<role>_inferred`` (1 when some actor's score is at least
        ``threshold``) and ``<role>_max_score`` (NaN for a case without
        scores).
    """
    rows = _role_rows(roles)
    score_cases = scores["case_id"].astype(str)
    cases = pd.Index(sorted(set(score_cases) | set(rows["case_id"])), name="case_id")
    out = pd.DataFrame(index=cases)
    for role in ROLES:
        holders = set(rows.loc[rows["role"] == role, "case_id"])
        out[f"{role}_present"] = cases.isin(list(holders)).astype(np.int64)
        best = scores[f"{role}_score"].astype(float).groupby(score_cases.to_numpy()).max()
        best = best.reindex(cases)
        out[f"{role}_inferred"] = (best >= threshold).fillna(False).astype(np.int64).to_numpy()
        out[f"{role}_max_score"] = best.to_numpy(dtype=float)
    return out.reset_index()
