"""Build the collaboration networks of a wave from its validated records.

Interaction records are aggregated to ties in one vectorised pass over all
cases of the wave; two-mode participation records become co-participation
ties through the sparse product ``B Bᵀ`` of the (actor × event) incidence
matrix; the two are merged; each case's roster (``members.csv`` where given,
else the actors in its records) fixes the actor set, isolates included.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.networks import CaseNetwork

__all__ = ["case_networks", "case_rosters", "coparticipation_ties", "interaction_ties", "wave_ties"]

_NO_CHANNEL = "unspecified"


def _frequency(interactions: pd.DataFrame, frequency_scale: Mapping | None) -> pd.Series:
    if "frequency" not in interactions:
        return pd.Series(1.0, index=interactions.index)
    freq = pd.to_numeric(interactions["frequency"], errors="coerce").astype(float)
    if frequency_scale:
        mapping = {float(k): float(v) for k, v in frequency_scale.items()}
        mapped = freq.map(mapping)
        freq = mapped.where(mapped.notna(), freq)
    return freq.fillna(1.0)


def interaction_ties(
    interactions: pd.DataFrame, *, directed: bool, frequency_scale: Mapping | None = None
) -> pd.DataFrame:
    """Aggregate interaction records to one row per tie and case.

    Undirected data order each pair as ``(min, max)`` of the actor ids, so
    reports in both directions merge. Columns: ``case_id, source, target,
    n_records, frequency`` (sum), ``duration_min`` (sum, NaN when never
    reported), ``closeness`` (mean), ``channels`` (sorted distinct channels,
    ``;``-joined, ``unspecified`` for records without one), ``first_date``,
    ``last_date``.
    """
    cols = ["case_id", "source", "target"]
    if interactions is None or len(interactions) == 0:
        return pd.DataFrame(
            columns=[*cols, "n_records", "frequency", "duration_min", "closeness", "channels", "first_date", "last_date"]
        )
    case_codes, case_labels = pd.factorize(interactions["case_id"].astype(str).to_numpy(), sort=True)
    ends = np.concatenate([interactions["source"].astype(str).to_numpy(), interactions["target"].astype(str).to_numpy()])
    actor_codes, actor_labels = pd.factorize(ends, sort=True)  # codes follow the sorted ids
    n_rec, n_act = len(interactions), max(len(actor_labels), 1)
    src, tgt = actor_codes[:n_rec].astype(np.int64), actor_codes[n_rec:].astype(np.int64)
    if not directed:
        src, tgt = np.minimum(src, tgt), np.maximum(src, tgt)
    key = (case_codes.astype(np.int64) * n_act + src) * n_act + tgt
    rec = pd.DataFrame({"key": key, "frequency": _frequency(interactions, frequency_scale).to_numpy()})
    for col in ("duration_min", "closeness"):
        rec[col] = pd.to_numeric(interactions[col], errors="coerce").to_numpy(dtype=float) if col in interactions else np.nan
    date = interactions["date"] if "date" in interactions else pd.Series(pd.NaT, index=interactions.index)
    rec["date"] = pd.to_datetime(date, errors="coerce").to_numpy()
    grouped = rec.groupby("key", sort=True)
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
    ties["channels"] = _channel_lists(interactions, key, ties.index.to_numpy())
    keys = ties.index.to_numpy()
    ties.insert(0, "target", np.asarray(actor_labels, dtype=object)[keys % n_act])
    ties.insert(0, "source", np.asarray(actor_labels, dtype=object)[(keys // n_act) % n_act])
    ties.insert(0, "case_id", np.asarray(case_labels, dtype=object)[keys // (n_act * n_act)])
    return ties.reset_index(drop=True)


def _channel_lists(interactions: pd.DataFrame, key: np.ndarray, tie_keys: np.ndarray) -> np.ndarray:
    """Each tie's sorted distinct channels, ``;``-joined, without a loop over ties:
    the channels of a tie become a bit mask, and each distinct mask is spelled once."""
    channel = interactions["channel"] if "channel" in interactions else pd.Series(_NO_CHANNEL, index=interactions.index)
    names = channel.astype(object).where(channel.notna(), _NO_CHANNEL).astype(str).to_numpy()
    codes, labels = pd.factorize(names, sort=True)
    if len(labels) > 62:  # too many for a 64-bit mask: join per tie
        frame = pd.DataFrame({"key": key, "channel": names}).drop_duplicates().sort_values(["key", "channel"])
        return frame.groupby("key", sort=True)["channel"].agg(";".join).reindex(tie_keys).to_numpy()
    pairs = pd.DataFrame({"key": key, "bit": np.left_shift(np.int64(1), codes.astype(np.int64))}).drop_duplicates()
    masks = pairs.groupby("key", sort=True)["bit"].sum().reindex(tie_keys).to_numpy()
    spelled = {
        int(m): ";".join(labels[i] for i in range(len(labels)) if (int(m) >> i) & 1) for m in np.unique(masks)
    }
    return pd.Series(masks).map(spelled).to_numpy(dtype=object)


def coparticipation_ties(
    participation: pd.DataFrame | None, *, weight: str = "events"
) -> pd.DataFrame:
    """Co-participation ties from two-mode records: ``W = B D Bᵀ``.

    ``B`` is the binary (case, actor) × (case, event) incidence matrix and
    ``D`` the diagonal of event weights: 1 per shared event (``events``), or
    the event's duration in hours (``minutes``: median ``duration_min`` of its
    records / 60; 1 hour where unknown). The upper triangle of ``W`` gives one
    row per unordered pair with ``source < target``: ``case_id, source,
    target, coparticipation`` (shared events or hours), ``shared_events``.
    """
    out_cols = ["case_id", "source", "target", "coparticipation", "shared_events"]
    if participation is None or len(participation) == 0:
        return pd.DataFrame(columns=out_cols)
    rec = pd.DataFrame(
        {
            "case_id": participation["case_id"].astype(str).to_numpy(),
            "event_id": participation["event_id"].astype(str).to_numpy(),
            "actor_id": participation["actor_id"].astype(str).to_numpy(),
        }
    )
    rec["duration_min"] = (
        pd.to_numeric(participation["duration_min"], errors="coerce").to_numpy(dtype=float)
        if "duration_min" in participation
        else np.nan
    )
    events = rec.groupby(["case_id", "event_id"], sort=True).agg(duration_min=("duration_min", "median"))
    attend = rec[["case_id", "actor_id", "event_id"]].drop_duplicates()
    actor_keys = attend[["case_id", "actor_id"]].drop_duplicates().sort_values(["case_id", "actor_id"])
    actor_code = pd.Series(np.arange(len(actor_keys)), index=pd.MultiIndex.from_frame(actor_keys))
    event_code = pd.Series(np.arange(len(events)), index=events.index)
    rows = actor_code.reindex(pd.MultiIndex.from_frame(attend[["case_id", "actor_id"]])).to_numpy()
    cols = event_code.reindex(pd.MultiIndex.from_frame(attend[["case_id", "event_id"]])).to_numpy()
    b = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(actor_keys), len(events)))
    if weight == "minutes":
        hours = np.nan_to_num(events["duration_min"].to_numpy(dtype=float) / 60.0, nan=1.0)
    else:
        hours = np.ones(len(events))
    shared = sp.triu(b @ b.T, k=1).tocsr()
    weighted = sp.triu(b @ sp.diags(hours) @ b.T, k=1).tocsr()
    shared.sort_indices()
    coo = shared.tocoo()
    keys = actor_keys.to_numpy(dtype=object)
    out = pd.DataFrame(
        {
            "case_id": keys[coo.row, 0],
            "source": keys[coo.row, 1],
            "target": keys[coo.col, 1],
            "coparticipation": np.asarray(weighted[coo.row, coo.col]).ravel() if len(coo.data) else coo.data,
            "shared_events": coo.data.astype(np.int64),
        }
    )
    return out.sort_values(["case_id", "source", "target"]).reset_index(drop=True)


def wave_ties(
    interactions: pd.DataFrame,
    participation: pd.DataFrame | None,
    *,
    directed: bool,
    frequency_scale: Mapping | None = None,
    coparticipation_weight: str = "events",
) -> pd.DataFrame:
    """All ties of a wave: interaction ties merged with co-participation ties.

    Columns: ``case_id, source, target, weight, n_records, frequency,
    coparticipation, shared_events, duration_min, closeness, multiplexity,
    channels, first_date, last_date`` and, when directed, ``reciprocated``.
    ``weight = frequency + coparticipation`` (interactions count by their
    summed frequency, each shared event as one interaction, or its hours).
    ``multiplexity`` counts the distinct channels of a tie, co-participation
    being one more. ``first_date``/``last_date`` span the tie's interaction
    records. A co-participation tie is mutual, so directed networks get it as
    two arcs.
    """
    inter = interaction_ties(interactions, directed=directed, frequency_scale=frequency_scale)
    co = coparticipation_ties(participation, weight=coparticipation_weight)
    if directed and len(co):
        co = pd.concat([co, co.rename(columns={"source": "target", "target": "source"})], ignore_index=True)
    keys = ["case_id", "source", "target"]
    ties = inter.merge(co, on=keys, how="outer", suffixes=("", "_co"))
    for col in ("n_records", "frequency", "coparticipation", "shared_events"):
        ties[col] = pd.to_numeric(ties[col], errors="coerce").fillna(0)
    ties["n_records"] = ties["n_records"].astype(np.int64)
    ties["shared_events"] = ties["shared_events"].astype(np.int64)
    ties["weight"] = ties["frequency"] + ties["coparticipation"]
    n_channels = ties["channels"].fillna("").str.count(";") + ties["channels"].notna().astype(int)
    ties["multiplexity"] = (n_channels + (ties["shared_events"] > 0).astype(int)).astype(np.int64)
    ties = ties.sort_values(keys, kind="stable").reset_index(drop=True)
    if directed:
        case_codes = pd.factorize(ties["case_id"].to_numpy(dtype=object))[0].astype(np.int64)
        ends, _ = pd.factorize(np.concatenate([ties["source"].to_numpy(dtype=object), ties["target"].to_numpy(dtype=object)]))
        n_act = int(ends.max()) + 1 if len(ends) else 1
        src, tgt = ends[: len(ties)].astype(np.int64), ends[len(ties):].astype(np.int64)
        ties["reciprocated"] = np.isin((case_codes * n_act + tgt) * n_act + src, (case_codes * n_act + src) * n_act + tgt)
    order = [
        "case_id", "source", "target", "weight", "n_records", "frequency", "coparticipation",
        "shared_events", "duration_min", "closeness", "multiplexity", "channels", "first_date", "last_date",
    ]
    if directed:
        order.append("reciprocated")
    return ties[order]


def case_rosters(
    interactions: pd.DataFrame,
    participation: pd.DataFrame | None,
    members: pd.DataFrame | None,
) -> pd.DataFrame:
    """``case_id, actor_id`` of every case's network.

    A case listed in ``members.csv`` holds exactly its listed members
    (isolates included); any other case holds the actors of its records.
    """
    parts = []
    if interactions is not None and len(interactions):
        for col in ("source", "target"):
            parts.append(interactions[["case_id", col]].rename(columns={col: "actor_id"}))
    if participation is not None and len(participation):
        parts.append(participation[["case_id", "actor_id"]])
    observed = (
        pd.concat(parts, ignore_index=True).astype(str) if parts else pd.DataFrame(columns=["case_id", "actor_id"])
    )
    if members is not None and len(members):
        listed = members[["case_id", "actor_id"]].astype(str)
        observed = observed[~observed["case_id"].isin(set(listed["case_id"]))]
        observed = pd.concat([observed, listed], ignore_index=True)
    return observed.drop_duplicates().sort_values(["case_id", "actor_id"]).reset_index(drop=True)


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
    ties_by_case = dict(tuple(ties.groupby("case_id", sort=True))) if len(ties) else {}
    networks: dict[str, CaseNetwork] = {}
    for case_id, roster in rosters.groupby("case_id", sort=True):
        ids = np.array(sorted(roster["actor_id"].astype(str).unique()), dtype=object)
        pos = pd.Series(np.arange(len(ids)), index=ids)
        t = ties_by_case.get(case_id, ties.iloc[0:0]).copy()
        t = t[t["source"].isin(pos.index) & t["target"].isin(pos.index)]
        t.insert(0, "target_index", pos.reindex(t["target"]).to_numpy(dtype=np.int64))
        t.insert(0, "source_index", pos.reindex(t["source"]).to_numpy(dtype=np.int64))
        t = t.drop(columns=["case_id"]).reset_index(drop=True)
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
