"""Who takes part in which phase of an innovation process.

Sørensen & Torfing (2013) report that private stakeholders in the CLIPS cases
took part more in implementation than in initiation and design, and that end
users seldom played a key role. :func:`phase_participation` counts, per case,
group (sector) and phase, the active actors, their ties and their activity,
and the share of the group's roster that is active (``rate``). The tests and
summaries across cases of these counts are in :mod:`netinnov.metrics.phase_tests`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.contract import PHASES
from netinnov.io.codes import shared_codes, text_codes

__all__ = [
    "PHASES",
    "UNKNOWN_GROUP",
    "phase_participation",
]

#: Group label of actors whose group attribute is missing.
UNKNOWN_GROUP = "unknown"


def _actor_groups(actors: pd.DataFrame, group_attribute: str) -> pd.Series:
    """Map actor id → group label (as str)."""
    table = actors
    if "actor_id" in table.columns:
        table = table.set_index("actor_id")
    if group_attribute not in table.columns:
        raise ValueError(f"actors has no column {group_attribute!r}")
    groups = table[group_attribute]
    groups = groups[groups.notna()].astype(str)
    groups.index = groups.index.astype(str)
    return groups[~groups.index.duplicated()]


def phase_participation(
    interactions: pd.DataFrame,
    actors: pd.DataFrame,
    participation: pd.DataFrame | None = None,
    *,
    group_attribute: str = "sector",
    coparticipation_ties: bool = True,
    members: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Participation of each group in each phase of each case (``phases.csv``).

    An actor is *active* in phase :math:`p` of case :math:`c` when it is the
    source or the target of an interaction record, or the attendee of a
    participation record, of case :math:`c` tagged with phase :math:`p`. For
    each case :math:`c`, group :math:`s` and phase :math:`p`:

    ``actors``
        :math:`N_{csp}`, the distinct active actors of group :math:`s`.
    ``actor_share``
        :math:`N_{csp} / \sum_{s'} N_{cs'p}`; sums to 1 over groups.
    ``ties``
        :math:`L_{csp}`, the distinct unordered actor pairs tied in phase
        :math:`p` (an interaction record in either direction, or — with
        ``coparticipation_ties`` — two attendees of the same event in that
        phase) with at least one endpoint in group :math:`s`.
    ``tie_share``
        :math:`L_{csp} / L_{cp}`, :math:`L_{cp}` the distinct tied pairs of the
        case in that phase. A tie between two groups counts for both, so tie
        shares can sum to more than 1.
    ``activity``
        :math:`W_{csp}`, weighted activity: each interaction record adds its
        ``frequency`` (1 when the column is absent or empty) to each of its
        two endpoints' groups, and each participation record adds 1
        (attendance) to its attendee's group.
    ``activity_share``
        :math:`W_{csp} / \sum_{s'} W_{cs'p}`; sums to 1 over groups.
    ``roster``
        :math:`R_{cs}`, the actors of group :math:`s` on the roster of case
        :math:`c` (``members.csv`` where it lists the case, else every actor
        of the case's records, in any phase or none; as
        :func:`netinnov.networks.build.case_rosters`); the same in every phase.
    ``rate``
        :math:`N_{csp} / R_{cs}`, the share of the group's roster active in
        the phase. Unlike the shares it is not compositional: fewer active
        actors of other groups leave it unchanged. NaN where the case has no
        record in the phase or the group has nobody on the roster. A
        non-respondent (``members.csv`` ``responded``) stays on the roster
        but is seen active only through others' reports and its attendance,
        so groups that answered less have lower rates.
    ``unphased_records``
        Per case (repeated on the case's rows): the interaction and
        participation records left out because their phase is missing or not
        one of :data:`PHASES`.

    Parameters
    ----------
    interactions
        Validated interaction records with ``case_id, source, target`` and
        optionally ``frequency`` and ``phase``.
    actors
        Actor table with ``actor_id`` (column or index) and the group column.
    participation
        Optional validated participation records with ``case_id, event_id,
        actor_id`` and optionally ``phase``.
    group_attribute
        Actor column that defines the groups; it also names the output column.
    coparticipation_ties
        Whether co-attendance of an event forms a tie in the ``ties`` counts.
    members
        Optional validated ``members.csv`` rows (``case_id, actor_id``): the
        rosters of the cases it lists (the denominators of ``rate``).

    Returns
    -------
    pandas.DataFrame
        One row per (case, group, phase) for every case that has a record,
        every group of ``actors`` (plus ``"unknown"`` when an active actor has
        no group) and every phase, in the order of :data:`PHASES` (``phase``
        is an ordered categorical). Counts are 0 and shares NaN where the case
        has no record in that phase. Columns: ``case_id``, the group column,
        ``phase``, ``actors``, ``actor_share``, ``ties``, ``tie_share``,
        ``activity``, ``activity_share``, ``roster``, ``rate``,
        ``unphased_records``.

    Notes
    -----
    Direction is ignored: a tie is an unordered pair. Phases are matched after
    trimming and lower-casing. Without a ``phase`` column every record is
    unphased and every count is 0.

    References
    ----------
    Sørensen, E., & Torfing, J. (2013). *Enhancing Social Innovation by
    Rethinking Collaboration, Leadership and Public Governance*. NESTA Social
    Frontiers.
    Aitchison, J. (1986). *The Statistical Analysis of Compositional Data*.
    Chapman & Hall (shares that sum to one move together: the reason for
    ``rate``).
    """
    group_of = _actor_groups(actors, group_attribute)
    inter = _records(interactions, ("case_id", "source", "target"), "interactions")
    part = _records(participation, ("case_id", "event_id", "actor_id"), "participation")

    # integer codes: cases, actors, phases (0..3, -1 unphased), groups; ids are
    # never spelled out per record (categorical columns give their codes)
    n_inter = len(inter)
    (ic, pc), cases = shared_codes(_column(inter, "case_id"), _column(part, "case_id"))
    (src, tgt, who), actor_ids = shared_codes(
        _column(inter, "source"), _column(inter, "target"), _column(part, "actor_id")
    )
    iphase = _phase_codes(inter)
    pphase = _phase_codes(part)
    freq = (
        pd.to_numeric(inter["frequency"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
        if "frequency" in inter.columns
        else np.ones(n_inter)
    )
    n_cases, n_phases = len(cases), len(PHASES)

    unphased = np.bincount(ic[iphase < 0], minlength=n_cases) + np.bincount(
        pc[pphase < 0], minlength=n_cases
    )

    # actor-record incidences of phased records, in three parts (source,
    # target, attendee): the (case-phase cell, actor) of each, and its activity
    ik, pk = iphase >= 0, pphase >= 0
    icell = ic[ik] * n_phases + iphase[ik]
    pcell = pc[pk] * n_phases + pphase[pk]
    del ic, iphase
    cells = (icell, icell, pcell)
    ends = (src[ik], tgt[ik], who[pk])
    del src, tgt
    a_cell, a_actor = _distinct_union(*zip(cells, ends, strict=True))

    # groups: the actors table's labels, plus "unknown" when an active actor has none
    actor_group = pd.Series(actor_ids, dtype=object).map(group_of)
    labels = sorted(set(group_of.unique()))
    if actor_group.isna().to_numpy()[a_actor].any() and UNKNOWN_GROUP not in labels:
        labels.append(UNKNOWN_GROUP)
    code_of = {label: k for k, label in enumerate(labels)}
    gcode = actor_group.fillna(UNKNOWN_GROUP).map(code_of).fillna(-1).to_numpy(dtype=np.int64)
    n_groups = len(labels)
    n_cells = n_cases * n_phases
    size = n_cells * n_groups
    slot = np.concatenate([c * n_groups + gcode[a] for c, a in zip(cells, ends, strict=True)])
    weight = np.concatenate([freq[ik], freq[ik], np.ones(len(pcell))])
    activity = np.bincount(slot, weights=weight, minlength=size)  # in record order, as ever
    del slot, weight, freq
    n_actors = np.bincount(a_cell * n_groups + gcode[a_actor], minlength=size)

    # distinct tied pairs per cell, and the groups they involve
    pairs = _tied_pairs(
        icell,
        ends[0],
        ends[1],
        pc[pk],
        pphase[pk],
        text_codes(_column(part, "event_id"))[0][pk] if coparticipation_ties else None,
        who[pk],
        n_phases,
    )
    p_cell, p_a, p_b = pairs
    ga, gb = gcode[p_a], gcode[p_b]
    n_ties = np.bincount(p_cell * n_groups + ga, minlength=size) + np.bincount(
        (p_cell * n_groups + gb)[ga != gb], minlength=size
    )
    total_ties = np.bincount(p_cell, minlength=n_cells).astype(float)

    roster = np.repeat(_roster_sizes(inter, part, members, group_of, cases, labels), n_phases, axis=0)
    actors_by = n_actors.reshape(n_cells, n_groups)
    activity_by = activity.reshape(n_cells, n_groups)
    ties_by = n_ties.reshape(n_cells, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        actor_share = actors_by / actors_by.sum(axis=1, keepdims=True)
        activity_total = activity_by.sum(axis=1, keepdims=True)
        activity_share = np.where(activity_total > 0, activity_by / activity_total, np.nan)
        tie_share = ties_by / total_ties[:, None]
        observed = (actors_by.sum(axis=1, keepdims=True) > 0) & (roster > 0)
        rate = np.where(observed, actors_by / np.maximum(roster, 1), np.nan)
    case_idx = np.repeat(np.arange(n_cases), n_phases * n_groups)
    table = pd.DataFrame(
        {
            "case_id": np.asarray(cases, dtype=object)[case_idx],
            group_attribute: np.tile(np.asarray(labels, dtype=object), n_cells),
            "phase": pd.Categorical.from_codes(
                np.tile(np.repeat(np.arange(n_phases), n_groups), n_cases),
                categories=list(PHASES),
                ordered=True,
            ),
            "actors": n_actors.astype(np.int64),
            "actor_share": actor_share.ravel(),
            "ties": n_ties.astype(np.int64),
            "tie_share": tie_share.ravel(),
            "activity": activity.astype(float),
            "activity_share": activity_share.ravel(),
            "roster": roster.ravel().astype(np.int64),
            "rate": rate.ravel(),
            "unphased_records": unphased[case_idx].astype(np.int64),
        }
    )
    order = np.argsort(table["case_id"].to_numpy(dtype=object).astype(str), kind="stable")
    return table.iloc[order].reset_index(drop=True)


def _roster_sizes(
    interactions: pd.DataFrame,
    participation: pd.DataFrame,
    members: pd.DataFrame | None,
    group_of: pd.Series,
    cases,
    labels: list[str],
) -> np.ndarray:
    """Cases × groups matrix of roster sizes (``cases`` and ``labels`` in table order)."""
    from netinnov.networks.build import case_rosters

    rosters = case_rosters(interactions, participation, members)
    case = pd.Index(np.asarray(cases, dtype=object).astype(str)).get_indexer(
        rosters["case_id"].astype(str).to_numpy(dtype=object)
    )
    group = rosters["actor_id"].astype(str).map(group_of).fillna(UNKNOWN_GROUP)
    code = pd.Index(labels).get_indexer(group.to_numpy(dtype=object))
    keep = (case >= 0) & (code >= 0)
    size = len(cases) * len(labels)
    counts = np.bincount(case[keep] * len(labels) + code[keep], minlength=size)
    return counts.reshape(len(cases), len(labels)).astype(np.int64)


def _column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column of the records (empty text when the frame lacks it)."""
    if column not in frame.columns:
        return pd.Series([], dtype=str)
    return frame[column]


def _records(frame: pd.DataFrame | None, required: tuple[str, ...], name: str) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame({c: np.empty(0, dtype=object) for c in required})
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lack the columns {missing}")
    return frame


def _phase_codes(frame: pd.DataFrame) -> np.ndarray:
    """0..3 for the phases of PHASES (trimmed, lower-cased), -1 otherwise."""
    if "phase" not in frame.columns or len(frame) == 0:
        return np.full(len(frame), -1, dtype=np.int64)
    codes, uniques = text_codes(frame["phase"])
    clean = pd.Series(np.asarray(uniques, dtype=object)).astype("string").str.strip().str.lower()
    lookup = np.append(
        pd.Index(PHASES).get_indexer(clean.to_numpy(dtype=object)).astype(np.int64), -1
    )
    return lookup[codes]  # the sentinel -1 picks the appended -1


def _tied_pairs(
    cell: np.ndarray,
    src: np.ndarray,
    tgt: np.ndarray,
    p_case: np.ndarray,
    p_phase: np.ndarray,
    p_event: np.ndarray | None,
    p_actor: np.ndarray,
    n_phases: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct unordered actor pairs (a < b) per case-phase cell, as the
    columns ``(cell, a, b)``. Plain integer arrays throughout, each part
    (interaction records, co-attendances) reduced to its distinct pairs
    before they are combined: at millions of records a DataFrame per part
    and their concatenation would each copy every column."""
    parts = [_unordered_pairs(cell, src, tgt)]
    if p_event is not None and len(p_event):
        event = pd.factorize(p_event)[0]
        attend = pd.DataFrame(
            {"case": p_case, "event": event, "phase": p_phase, "actor": p_actor}
        ).drop_duplicates()
        co = attend.merge(attend, on=["case", "event", "phase"], suffixes=("_x", "_y"))
        co = co[co["actor_x"].to_numpy() < co["actor_y"].to_numpy()]
        parts.append(
            _unordered_pairs(
                co["case"].to_numpy() * n_phases + co["phase"].to_numpy(),
                co["actor_x"].to_numpy(),
                co["actor_y"].to_numpy(),
            )
        )
    return _distinct_union(*parts)


def _unordered_pairs(
    cell: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(cell, min, max)`` of the pairs of two different actors."""
    keep = x != y
    return cell[keep], np.minimum(x[keep], y[keep]), np.maximum(x[keep], y[keep])


def _distinct_union(*parts: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The distinct rows of several parts (each a tuple of the same columns),
    as :func:`_distinct_rows` gives them: each part is reduced to its distinct
    rows before the parts are joined, so that no concatenation of every
    record's columns is made."""
    reduced = [_distinct_rows(*part) for part in parts]
    return _distinct_rows(*(np.concatenate(columns) for columns in zip(*reduced, strict=True)))


def _distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct rows of non-negative integer columns, as columns again.

    One int64 key per row (mixed radix) and ``np.unique``: at millions of
    records far lighter than a DataFrame ``drop_duplicates``. Falls back to
    pandas if the key could overflow.
    """
    columns = tuple(np.asarray(c, dtype=np.int64) for c in columns)
    if not len(columns[0]):
        return columns
    radices = [int(c.max()) + 1 for c in columns]
    if np.prod([float(r) for r in radices]) >= 2.0**62:
        frame = pd.DataFrame({i: c for i, c in enumerate(columns)}).drop_duplicates()
        return tuple(frame[i].to_numpy(dtype=np.int64) for i in range(len(columns)))
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for c, r in zip(columns, radices, strict=True):
        key = key * r + c
    key = np.unique(key)
    out = []
    for r in reversed(radices):
        out.append(key % r)
        key = key // r
    return tuple(reversed(out))
