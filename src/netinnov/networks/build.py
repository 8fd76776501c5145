"""Build the collaboration networks of a wave from its validated records.

Interaction records are aggregated to ties in one vectorised pass over all
cases of the wave; two-mode participation records become co-participation
ties through the sparse product ``B Bᵀ`` of the (actor × event) incidence
matrix. The two relations are kept apart (the networks hold the reported
interactions, co-attendance is a layer of its own and an attribute of the
interaction ties) or, in undirected data on request, merged; each case's
roster (``members.csv`` where given, else the actors in its records) fixes
the actor set, isolates included.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.io.codes import shared_codes, text_codes
from netinnov.io.dtypes import STRING
from netinnov.networks.case_network import CaseNetwork

__all__ = [
    "COATTENDANCE_COLUMNS",
    "COATTENDANCE_MODES",
    "LAYERS",
    "case_networks",
    "case_rosters",
    "check_coattendance_mode",
    "coparticipation_ties",
    "interaction_ties",
    "wave_layers",
    "wave_ties",
]

_NO_CHANNEL = "unspecified"
_INTERACTION_COLUMNS = ["n_records", "frequency", "duration_min", "closeness", "first_date", "last_date", "channels"]


def _frequency(interactions: pd.DataFrame, frequency_scale: Mapping | None) -> pd.Series:
    if "frequency" not in interactions:
        return pd.Series(1.0, index=interactions.index)
    freq = pd.to_numeric(interactions["frequency"], errors="coerce").astype(float)
    if frequency_scale:
        mapping = {float(k): float(v) for k, v in frequency_scale.items()}
        mapped = freq.map(mapping)
        freq = mapped.where(mapped.notna(), freq)
    return freq.fillna(1.0)


def _has_rows(frame: pd.DataFrame | None) -> bool:
    return frame is not None and len(frame) > 0


def _ids(frame: pd.DataFrame | None, *columns: str) -> list[pd.Series]:
    """The id columns of a record table, empty where it has no records."""
    return [frame[c] if _has_rows(frame) else pd.Series([], dtype=str) for c in columns]


def _tie_key(case: np.ndarray, source: np.ndarray, target: np.ndarray, n_actors: int) -> np.ndarray:
    """One int64 per (case, source, target) code triple, ordered like the triples."""
    return (case * n_actors + source) * n_actors + target


def _key_parts(key: np.ndarray, n_actors: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (case, source, target) codes of tie keys."""
    return key // (n_actors * n_actors), (key // n_actors) % n_actors, key % n_actors


def _labelled(key: np.ndarray, n_actors: int, case_labels: pd.Index, actor_labels: pd.Index) -> pd.DataFrame:
    """``case_id, source, target`` spelled from tie keys."""
    case, source, target = _key_parts(key, n_actors)
    return pd.DataFrame(
        {"case_id": case_labels.take(case), "source": actor_labels.take(source), "target": actor_labels.take(target)}
    )


def interaction_ties(
    interactions: pd.DataFrame, *, directed: bool, frequency_scale: Mapping | None = None
) -> pd.DataFrame:
    """Aggregate interaction records to one row per tie and case.

    Undirected data order each pair as ``(min, max)`` of the actor ids, so
    reports in both directions merge. Columns: ``case_id, source, target,
    n_records, frequency`` (sum), ``duration_min`` (sum, NaN when never
    reported), ``closeness`` (mean), ``channels`` (sorted distinct channels,
    ``;``-joined, ``unspecified`` for records without one), ``first_date``,
    ``last_date``; rows sorted by ``case_id, source, target``.
    """
    if not _has_rows(interactions):
        return pd.DataFrame(
            columns=["case_id", "source", "target", "n_records", "frequency", "duration_min", "closeness", "channels",
                     "first_date", "last_date"]
        )  # fmt: skip
    (case,), case_labels = shared_codes(interactions["case_id"])
    (src, tgt), actor_labels = shared_codes(interactions["source"], interactions["target"])
    n_act = max(len(actor_labels), 1)
    ties = _interaction_table(interactions, _record_key(case, src, tgt, n_act, directed), frequency_scale)
    out = _labelled(ties.index.to_numpy(), n_act, case_labels, actor_labels)
    return out.join(ties[_INTERACTION_COLUMNS].reset_index(drop=True))


def _record_key(case: np.ndarray, src: np.ndarray, tgt: np.ndarray, n_actors: int, directed: bool) -> np.ndarray:
    """The tie key of each record; undirected records as ``(min, max)`` pairs."""
    if not directed:
        src, tgt = np.minimum(src, tgt), np.maximum(src, tgt)
    return _tie_key(case, src, tgt, n_actors)


def _interaction_table(interactions: pd.DataFrame, key: np.ndarray, frequency_scale: Mapping | None) -> pd.DataFrame:
    """The aggregates of :func:`interaction_ties` and ``n_channels``, indexed by the sorted tie ``key``.

    The records' columns go into the group-by as they are (``copy=False``: no
    block of millions of rows is assembled from copies of them).
    """
    columns = {"key": key, "frequency": _frequency(interactions, frequency_scale).to_numpy()}
    for col in ("duration_min", "closeness"):
        columns[col] = (
            pd.to_numeric(interactions[col], errors="coerce").to_numpy(dtype=float)
            if col in interactions
            else np.full(len(key), np.nan)
        )
    date = interactions["date"] if "date" in interactions else pd.Series(pd.NaT, index=interactions.index)
    columns["date"] = pd.to_datetime(date, errors="coerce").to_numpy()
    grouped = pd.DataFrame(columns, copy=False).groupby("key", sort=True)
    ties = pd.DataFrame(
        {
            "n_records": grouped.size(),
            "frequency": grouped["frequency"].sum(),
            "duration_min": grouped["duration_min"].sum(min_count=1),
            "closeness": grouped["closeness"].mean(),
            "first_date": grouped["date"].min(),
            "last_date": grouped["date"].max(),
        }
    )
    channels, n_channels = _channel_sets(interactions, grouped.ngroup().to_numpy(), len(ties))
    return ties.assign(channels=channels, n_channels=n_channels)


def _channel_sets(interactions: pd.DataFrame, tie: np.ndarray, n_ties: int) -> tuple[pd.Index, np.ndarray]:
    """Each tie's sorted distinct channels, ``;``-joined, and their number
    (of ``;``-separated names). Channel names are compared in lower case, so
    spellings that differ only in case are one channel.

    ``tie`` numbers each record's tie. Without a loop over ties: the channels
    of a tie become a bit mask, and each distinct mask is spelled once.
    """
    channel = interactions["channel"] if "channel" in interactions else pd.Series(_NO_CHANNEL, index=interactions.index)
    codes, names = text_codes(channel)  # a missing channel gets code -1 ...
    names = np.asarray([str(name).lower() for name in names], dtype=object)  # "Zoom" = "zoom": one channel
    if (codes < 0).any():
        names = np.append(names, _NO_CHANNEL)  # ... which picks "unspecified"
    labels, rank = np.unique(names, return_inverse=True)
    codes = rank.astype(np.int64)[codes]  # in sorted channel order
    if len(labels) > 62:  # too many for a 64-bit mask: join per tie
        pairs = pd.DataFrame({"tie": tie, "code": codes}).drop_duplicates().sort_values(["tie", "code"])
        named = pd.Series(labels[pairs["code"].to_numpy()], index=pairs["tie"].to_numpy())
        spelled, which = named.groupby(level=0).agg(";".join).to_numpy(dtype=object), np.arange(n_ties)
    else:
        masks = np.zeros(n_ties, dtype=np.int64)
        np.bitwise_or.at(masks, tie, np.left_shift(np.int64(1), codes))
        which, distinct = pd.factorize(masks)
        bits = np.arange(len(labels))
        spelled = np.array([";".join(labels[(int(m) >> bits) & 1 == 1]) for m in distinct], dtype=object)
    spelled = pd.Index(spelled)
    return spelled.take(which), (spelled.str.count(";").to_numpy(dtype=np.int64) + 1)[which]


def coparticipation_ties(
    participation: pd.DataFrame | None, *, weight: str = "events"
) -> pd.DataFrame:
    """Co-participation ties from two-mode records: ``W = B D Bᵀ``.

    ``B`` is the binary (case, actor) × (case, event) incidence matrix and
    ``D`` the diagonal of event weights: 1 per shared event (``events``), or
    the event's duration in hours (``minutes``: median ``duration_min`` of its
    records / 60; 1 hour where unknown). The upper triangle of ``W`` gives one
    row per unordered pair with ``source < target``: ``case_id, source,
    target, coparticipation`` (shared events or hours), ``shared_events``;
    rows sorted by ``case_id, source, target``.
    """
    if not _has_rows(participation):
        return pd.DataFrame(columns=["case_id", "source", "target", "coparticipation", "shared_events"])
    (case,), case_labels = shared_codes(participation["case_id"])
    (actor,), actor_labels = shared_codes(participation["actor_id"])
    n_act = max(len(actor_labels), 1)
    ties = _coparticipation_table(participation, case, actor, n_act, weight)
    return _labelled(ties.index.to_numpy(), n_act, case_labels, actor_labels).join(ties.reset_index(drop=True))


def _coparticipation_table(
    participation: pd.DataFrame, case: np.ndarray, actor: np.ndarray, n_actors: int, weight: str
) -> pd.DataFrame:
    """``coparticipation, shared_events`` indexed by the sorted key of ties ``source < target``.

    ``case`` and ``actor`` are the records' codes from :func:`~netinnov.io.codes.shared_codes`.
    """
    event, _ = pd.factorize(participation["event_id"].astype(str), sort=True)
    col, events = pd.factorize(case * (event.max() + 1) + event, sort=True)  # (case, event) order
    row, members = pd.factorize(case * n_actors + actor, sort=True)  # (case, actor) order
    cells = np.sort(pd.unique(row.astype(np.int64) * len(events) + col))  # each attendance once
    b = sp.csr_matrix((np.ones(len(cells)), (cells // len(events), cells % len(events))), shape=(len(members), len(events)))
    shared = sp.triu(b @ b.T, k=1).tocsr()
    shared.sort_indices()
    coo = shared.tocoo()
    coparticipation = coo.data
    if weight == "minutes" and len(coo.data):
        duration = (
            pd.to_numeric(participation["duration_min"], errors="coerce").to_numpy(dtype=float)
            if "duration_min" in participation
            else np.full(len(participation), np.nan)
        )
        hours = np.nan_to_num(pd.Series(duration).groupby(col).median().to_numpy() / 60.0, nan=1.0)
        weighted = sp.triu(b @ sp.diags(hours) @ b.T, k=1).tocsr()
        coparticipation = np.asarray(weighted[coo.row, coo.col]).ravel()
    key = members[coo.row] * n_actors + members[coo.col] % n_actors  # both ends are in the row's case
    return pd.DataFrame({"coparticipation": coparticipation, "shared_events": coo.data.astype(np.int64)}, index=key)


#: The values of the config key ``coattendance``.
COATTENDANCE_MODES = ("layer", "merge")
#: Columns of the co-attendance layer (``waves/<wave>/coattendance.csv``).
COATTENDANCE_COLUMNS = ["case_id", "source", "target", "shared_events", "coparticipation"]
#: The values of the ``layer`` column of the ties, in category order.
LAYERS = ("interaction", "interaction+coattendance", "coattendance")


def check_coattendance_mode(coattendance: str, *, directed: bool) -> None:
    """Raise ValueError unless ``coattendance`` is ``layer``, or ``merge`` with undirected data."""
    if coattendance not in COATTENDANCE_MODES:
        raise ValueError(f"coattendance must be one of {COATTENDANCE_MODES}, got {coattendance!r}")
    if coattendance == "merge" and directed:
        raise ValueError(
            "coattendance: merge needs undirected data (directed: false): in directed data a reported arc "
            "is a choice and a co-attendance is not, so merging them would make co-attendance look like "
            "reciprocated choices; use coattendance: layer"
        )


def wave_ties(
    interactions: pd.DataFrame,
    participation: pd.DataFrame | None,
    *,
    directed: bool,
    frequency_scale: Mapping | None = None,
    coparticipation_weight: str = "events",
    coattendance: str = "layer",
) -> pd.DataFrame:
    """The ties of a wave's case networks; the first table of :func:`wave_layers`."""
    return wave_layers(
        interactions, participation, directed=directed, frequency_scale=frequency_scale,
        coparticipation_weight=coparticipation_weight, coattendance=coattendance,
    )[0]


def wave_layers(
    interactions: pd.DataFrame,
    participation: pd.DataFrame | None,
    *,
    directed: bool,
    frequency_scale: Mapping | None = None,
    coparticipation_weight: str = "events",
    coattendance: str = "layer",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two relations of a wave: the ties of the case networks, and the co-attendance layer.

    Reported interactions (``interactions.csv``) are choices, co-attendance
    (``participation.csv``) is opportunity; they are kept apart
    (``coattendance="layer"``, the default) or, for undirected data only,
    merged into one network (``"merge"``).

    **Ties** (first table). Columns: ``case_id, source, target, weight,
    n_records, frequency, coparticipation, shared_events, duration_min,
    closeness, multiplexity, channels, first_date, last_date, layer`` and,
    when directed, ``reciprocated``; rows sorted by ``case_id, source, target``.

    - ``layer``: the ties are the interaction ties only. Each carries its
      pair's co-attendance as attributes (``coparticipation``,
      ``shared_events``; 0 when the pair attended no event together; an arc
      gets the value of its unordered pair), and ``weight = frequency``.
      ``reciprocated`` is true only when both arcs were reported.
    - ``merge`` (undirected only): pairs that only co-attended become ties
      too, and ``weight = frequency + coparticipation`` (interactions count by
      their summed frequency, each shared event as one interaction, or its
      hours) — the networks of netinnov before the two relations were kept
      apart.

    ``layer`` says where a tie comes from: ``interaction``,
    ``interaction+coattendance`` (also co-attended an event) or
    ``coattendance`` (merge only). ``multiplexity`` counts the distinct
    channels of a tie, co-attendance being one more (a shared context, as a
    channel is). ``first_date``/``last_date`` span the tie's interaction
    records.

    **Co-attendance layer** (second table): every pair of a case that shared
    an event, with or without an interaction, ``source < target``:
    ``case_id, source, target, shared_events, coparticipation`` (the upper
    triangle of ``B D Bᵀ``, see :func:`coparticipation_ties`), sorted.

    The case and actor ids of both record tables share one code space, so
    ties are aggregated, merged and matched with their reverse on integer
    keys, and spelled out only at the end.

    Raises
    ------
    ValueError
        ``coattendance`` is not ``layer``/``merge``, or ``merge`` with directed data.
    """
    check_coattendance_mode(coattendance, directed=directed)
    (case_i, case_p), case_labels = shared_codes(*_ids(interactions, "case_id"), *_ids(participation, "case_id"))
    (src, tgt, actor), actor_labels = shared_codes(
        *_ids(interactions, "source", "target"), *_ids(participation, "actor_id")
    )
    n_act = max(len(actor_labels), 1)
    inter = (
        _interaction_table(interactions, _record_key(case_i, src, tgt, n_act, directed), frequency_scale)
        if _has_rows(interactions)
        else pd.DataFrame(columns=[*_INTERACTION_COLUMNS, "n_channels"])
    )
    co = (
        _coparticipation_table(participation, case_p, actor, n_act, coparticipation_weight)
        if _has_rows(participation)
        else pd.DataFrame(columns=["coparticipation", "shared_events"])
    )
    layer = _labelled(co.index.to_numpy().astype(np.int64), n_act, case_labels, actor_labels).join(
        co.reset_index(drop=True)
    )[COATTENDANCE_COLUMNS]
    layer["shared_events"] = pd.to_numeric(layer["shared_events"]).astype(np.int64)
    layer["coparticipation"] = pd.to_numeric(layer["coparticipation"]).astype(float)
    if coattendance == "merge":
        ties = inter.join(co, how="outer")  # sorted by key
    else:  # each interaction tie gets its unordered pair's co-attendance
        case, a, b = _key_parts(inter.index.to_numpy().astype(np.int64), n_act)
        pair = _tie_key(case, np.minimum(a, b), np.maximum(a, b), n_act)
        ties = inter.assign(**{c: co[c].reindex(pair).to_numpy() for c in co.columns})
    key = ties.index.to_numpy().astype(np.int64)
    ties = ties.reset_index(drop=True)
    for col in ("n_records", "frequency", "coparticipation", "shared_events", "n_channels"):
        ties[col] = pd.to_numeric(ties[col], errors="coerce").fillna(0)
    ties["n_records"] = ties["n_records"].astype(np.int64)
    ties["shared_events"] = ties["shared_events"].astype(np.int64)
    ties["weight"] = ties["frequency"] + (ties["coparticipation"] if coattendance == "merge" else 0.0)
    ties["multiplexity"] = (ties["n_channels"] + (ties["shared_events"] > 0)).astype(np.int64)
    ties["layer"] = pd.Categorical.from_codes(
        np.where(ties["n_records"] > 0, (ties["shared_events"] > 0).astype(np.int64), 2), categories=list(LAYERS)
    )
    order = [
        "weight", "n_records", "frequency", "coparticipation", "shared_events",
        "duration_min", "closeness", "multiplexity", "channels", "first_date", "last_date", "layer",
    ]
    if directed:  # the keys are the reported arcs only (merge is undirected)
        ties["reciprocated"] = pd.Index(key).isin(_reversed(key, n_act))
        order.append("reciprocated")
    return _labelled(key, n_act, case_labels, actor_labels).join(ties[order]), layer


def _reversed(key: np.ndarray, n_actors: int) -> np.ndarray:
    """The keys of the reverse ties ``(case, target, source)``."""
    case, source, target = _key_parts(key, n_actors)
    return _tie_key(case, target, source, n_actors)


def case_rosters(
    interactions: pd.DataFrame,
    participation: pd.DataFrame | None,
    members: pd.DataFrame | None,
) -> pd.DataFrame:
    """``case_id, actor_id`` of every case's network.

    A case listed in ``members.csv`` holds exactly its listed members
    (isolates included); any other case holds the actors of its records.
    Rows are distinct and sorted by ``case_id, actor_id`` (text columns).

    Ids are matched as integer codes in one code space (ordered like the
    ids), so the records' (case, actor) pairs are deduplicated as integers.
    """
    tables = [(interactions, ("source", "target")), (participation, ("actor_id",)), (members, ("actor_id",))]
    present = [(frame, ends) for frame, ends in tables if _has_rows(frame)]
    if not present:
        return pd.DataFrame(columns=["case_id", "actor_id"])
    case_codes, case_labels = shared_codes(*[frame["case_id"] for frame, _ in present])
    actor_codes, actor_labels = shared_codes(*[frame[end] for frame, ends in present for end in ends])
    # a missing id sorts after every id, as sort_values puts NaN last
    n_cases, n_act = len(case_labels) + 1, len(actor_labels) + 1
    cases, actors = iter(case_codes), iter(actor_codes)
    keys, listed = [], np.zeros(0, dtype=np.int64)
    for frame, ends in present:
        case = np.where((c := next(cases)) < 0, n_cases - 1, c)
        for _ in ends:
            actor = np.where((a := next(actors)) < 0, n_act - 1, a)
            keys.append(pd.unique(case * n_act + actor))  # hashing: cheaper than sorting every record
        if frame is members:
            listed = np.unique(case)
    key = np.unique(np.concatenate(keys))
    if listed.size:  # members.csv fixes the actors of its cases: their records add none
        from_members = keys[-1]
        key = np.union1d(key[~np.isin(key // n_act, listed)], from_members)
    return pd.DataFrame(
        {
            "case_id": _spell(key // n_act, case_labels),
            "actor_id": _spell(key % n_act, actor_labels),
        }
    )


def _spell(codes: np.ndarray, labels: pd.Index) -> pd.Series:
    """Text of codes into ``labels``; the code ``len(labels)`` is missing."""
    text = np.append(np.asarray(labels, dtype=object), np.nan)[codes]
    return pd.Series(text, dtype=STRING)


def _case_ties(ties: pd.DataFrame, rows: np.ndarray, ids: pd.Index) -> pd.DataFrame:
    """The ties at positions ``rows`` whose ends are both in ``ids``, with
    ``source_index, target_index`` (positions in ``ids``) first and without
    ``case_id``.

    Rows are copied once, and only when some are left out: a wave of one case
    whose roster holds every tied actor uses the table itself.
    """
    t = ties if len(rows) == len(ties) else ties.take(rows)
    source, target = ids.get_indexer(t["source"]), ids.get_indexer(t["target"])
    keep = (source >= 0) & (target >= 0)
    if not keep.all():
        t, source, target = t[keep], source[keep], target[keep]
    t = t.drop(columns=["case_id"])
    t.insert(0, "target_index", target.astype(np.int64))
    t.insert(0, "source_index", source.astype(np.int64))
    return t.reset_index(drop=True)


def case_networks(
    ties: pd.DataFrame,
    rosters: pd.DataFrame,
    actors: pd.DataFrame,
    *,
    directed: bool,
    group_attribute: str = "sector",
    group_labels: tuple[str, ...] | None = None,
) -> dict[str, CaseNetwork]:
    """One :class:`CaseNetwork` per case, in sorted case order.

    ``ties`` is the output of :func:`wave_ties`; ties whose endpoints are not
    on the case's roster are dropped (validation rejects them first where a
    roster is given). ``actors`` gives the attributes (indexed or with an
    ``actor_id`` column).
    """
    attrs = actors.set_index("actor_id") if "actor_id" in actors.columns else actors
    attrs = attrs[~attrs.index.duplicated(keep="first")]
    if group_labels is None:
        group_labels = tuple(sorted(attrs[group_attribute].dropna().astype(str).unique()))
    code = {label: i for i, label in enumerate(group_labels)}
    rows_by_case = ties.groupby("case_id", sort=True).indices if len(ties) else {}
    networks: dict[str, CaseNetwork] = {}
    for case_id, roster in rosters.groupby("case_id", sort=True):
        ids = np.array(sorted(roster["actor_id"].astype(str).unique()), dtype=object)
        t = _case_ties(ties, rows_by_case.get(case_id, np.zeros(0, dtype=np.int64)), pd.Index(ids))
        a = attrs.reindex(ids)
        a.index.name = "actor_id"
        groups = a[group_attribute].map(code).fillna(-1).to_numpy(dtype=np.int64)
        networks[str(case_id)] = CaseNetwork(
            case_id=str(case_id),
            actors=ids,
            groups=groups,
            group_labels=tuple(group_labels),
            directed=directed,
            ties=t,
            attributes=a.drop(columns=[group_attribute]),
            group_attribute=group_attribute,
        )
    return networks
