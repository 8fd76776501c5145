"""A small latent generator that plants the three CLIPS collaboration types.

Written from the behaviour described for the generator v2 (PLAN decision 5),
not from netinnov's classification formula: every case has a multi-sector
roster; drivers start early and take part in many records; a change-agent
case has one driver who initiates a large share of the work; an inter-agency
case has 2-3 public drivers from at least two public organisations; a
public-private case has 2-3 drivers, at least one private or civil-society.
Activity is heavy-tailed and a few non-drivers are very active ("hubs");
some actors do not respond (their reports are missing); reported roles are a
noisy survey that need not name the drivers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.contract import PHASES
from netinnov.networks import CaseNetwork

SECTORS = ("public", "private", "civil_society", "citizen")
TYPES = ("individual_change_agent", "public_private", "inter_agency")


def _roster(rng, n):
    sector = rng.choice(SECTORS, size=n, p=[0.4, 0.25, 0.25, 0.1])
    sector[:2] = ["public", "public"]
    sector[2] = rng.choice(["private", "civil_society"])
    org = np.empty(n, dtype=object)
    n_agencies = int(rng.integers(2, 6))
    for i, s in enumerate(sector):
        if s == "public":
            org[i] = f"agency_{rng.integers(n_agencies)}"
        elif s == "private":
            org[i] = f"firm_{rng.integers(n)}"
        elif s == "civil_society":
            org[i] = f"ngo_{rng.integers(max(2, n // 5))}"
        else:
            org[i] = None
    sector[0], sector[1] = "public", "public"
    org[0], org[1] = "agency_0", "agency_1"  # two agencies always exist
    return sector, org


def _drivers(rng, kind, sector, org):
    public = np.flatnonzero(sector == "public")
    nonpublic = np.flatnonzero(np.isin(sector, ("private", "civil_society")))
    if kind == "individual_change_agent":
        pool = public if rng.random() < 0.6 else np.flatnonzero(sector != "citizen")
        return np.array([rng.choice(pool)])
    k = int(rng.integers(2, 4))
    if kind == "inter_agency":
        first = rng.choice(public)
        others = public[org[public] != org[first]]
        second = rng.choice(others)
        rest = np.setdiff1d(public, [first, second])
        chosen = [first, second] + ([rng.choice(rest)] if k == 3 and len(rest) else [])
        return np.array(chosen)
    chosen = [rng.choice(nonpublic)]
    rest = np.setdiff1d(np.flatnonzero(sector != "citizen"), chosen)
    chosen += list(rng.choice(rest, size=min(k - 1, len(rest)), replace=False))
    return np.array(chosen)


def generate_case(rng, case_id, kind, *, sigma=0.8, hub_factor=3.0):
    """Records, actors and roles of one case of planted type ``kind``."""
    n = int(rng.integers(15, 61))
    sector, org = _roster(rng, n)
    ids = np.array([f"{case_id}_a{i:02d}" for i in range(n)], dtype=object)
    drivers = _drivers(rng, kind, sector, org)
    activity = rng.lognormal(0.0, sigma, n)
    hubs = rng.choice(np.setdiff1d(np.arange(n), drivers), size=int(rng.integers(0, 3)), replace=False)
    activity[hubs] *= hub_factor
    activity *= np.where(sector == "private", 0.6, 1.0)  # sector activity differences
    # the drivers' share of the initiated work
    work = rng.uniform(0.45, 0.7) if kind == "individual_change_agent" else rng.uniform(0.35, 0.6)
    n_records = int(n * rng.uniform(4, 8))
    by_driver = rng.random(n_records) < work
    others = np.setdiff1d(np.arange(n), drivers)
    initiator = np.where(
        by_driver,
        rng.choice(drivers, size=n_records),
        rng.choice(others, size=n_records, p=activity[others] / activity[others].sum()),
    )
    popularity = activity / activity.sum()
    partner = rng.choice(n, size=n_records, p=popularity)
    # drivers reach across the case: their partners are spread evenly
    spread = by_driver & (rng.random(n_records) < 0.6)
    partner[spread] = rng.integers(0, n, size=int(spread.sum()))
    # coalition drivers work with each other
    if len(drivers) > 1:
        pair = by_driver & (rng.random(n_records) < 0.15)
        partner[pair] = rng.choice(drivers, size=int(pair.sum()))
    same = partner == initiator
    partner[same] = (partner[same] + 1 + rng.integers(0, n - 1, size=int(same.sum()))) % n
    # timing: drivers start early, the rest spreads over the wave
    t = np.where(by_driver, rng.beta(1.3, 3.0, n_records), rng.beta(2.0, 1.6, n_records))
    phase = np.array(PHASES, dtype=object)[np.searchsorted([0.2, 0.45, 0.75], t)]
    phase[rng.random(n_records) < 0.15] = None
    date = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.round(t * 300), unit="D")
    # who reports: either end; non-respondents report nothing
    reporter_is_initiator = rng.random(n_records) < 0.6
    source = np.where(reporter_is_initiator, initiator, partner)
    target = np.where(reporter_is_initiator, partner, initiator)
    responded = rng.random(n) < rng.uniform(0.6, 0.95)
    keep = responded[source]
    interactions = pd.DataFrame(
        {
            "case_id": case_id,
            "source": ids[source[keep]],
            "target": ids[target[keep]],
            "frequency": rng.integers(1, 5, int(keep.sum())).astype(float),
            "phase": phase[keep],
            "date": date[keep],
        }
    )
    actors = pd.DataFrame({"actor_id": ids, "sector": sector, "organization": org})
    # a noisy survey of latent roles held by drivers or by other actors
    rows = []
    if rng.random() < 0.75:  # surveyed
        for role in ("convener", "facilitator", "catalyst"):
            if rng.random() < 0.6:
                holder = rng.choice(drivers) if rng.random() < 0.5 else rng.choice(others)
                if rng.random() < 0.75:
                    rows.append((case_id, ids[holder], role))
        if rng.random() < 0.1:
            rows.append((case_id, ids[rng.integers(n)], "facilitator"))
    roles = pd.DataFrame(rows, columns=["case_id", "actor_id", "role"])
    return interactions, actors, roles, ids[drivers]


def generate(n_cases, seed, *, directed=True, sigma=0.8, hub_factor=3.0):
    """``n_cases`` cases with planted types (30/40/30 %): the networks, the
    records, the roles and the truth table."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(TYPES, size=n_cases, p=[0.3, 0.4, 0.3])
    inter, actors, roles, truth = [], [], [], []
    for c, kind in enumerate(kinds):
        case_id = f"c{c:03d}"
        i, a, r, drivers = generate_case(rng, case_id, kind, sigma=sigma, hub_factor=hub_factor)
        inter.append(i)
        actors.append(a)
        roles.append(r)
        truth.append({"case_id": case_id, "wave": "w1", "collaboration_type": kind, "drivers": ";".join(drivers)})
    nets = {
        f"c{c:03d}": network(f"c{c:03d}", i, a, directed=directed)
        for c, (i, a) in enumerate(zip(inter, actors, strict=True))
    }
    interactions = pd.concat(inter, ignore_index=True)
    roles = pd.concat(roles, ignore_index=True)
    return nets, interactions, roles, pd.concat(actors, ignore_index=True), pd.DataFrame(truth)


def network(case_id, interactions, actors, *, directed=True):
    """The case network of the records (distinct arcs, or pairs), the whole
    roster as actors (built here, not by netinnov.networks.build)."""
    labels = tuple(sorted(SECTORS))
    ids = actors["actor_id"].to_numpy(dtype=object)
    position = {a: k for k, a in enumerate(ids)}
    s = interactions["source"].map(position).to_numpy(dtype=np.int64)
    t = interactions["target"].map(position).to_numpy(dtype=np.int64)
    if not directed:
        s, t = np.minimum(s, t), np.maximum(s, t)
    pairs = np.unique(np.stack([s, t], axis=1), axis=0) if len(s) else np.empty((0, 2), np.int64)
    ties = pd.DataFrame(
        {
            "source_index": pairs[:, 0],
            "target_index": pairs[:, 1],
            "source": ids[pairs[:, 0]],
            "target": ids[pairs[:, 1]],
            "weight": 1.0,
        }
    )
    groups = np.array([labels.index(x) for x in actors["sector"]], dtype=np.int64)
    attrs = actors.set_index("actor_id")[["organization"]]
    return CaseNetwork(case_id, ids, groups, labels, directed, ties, attributes=attrs)
