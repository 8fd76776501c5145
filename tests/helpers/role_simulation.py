"""A small latent-behaviour simulation of leadership roles, for the role tests.

The generator plants *behaviour*, not the measures: it never computes a
share, a closure, a percentile or a bridge. Every case has a roster of
actors of four sectors with heavy-tailed activity (and a few very active
"hubs" who hold no role), who exchange dated records through the wave with
some same-sector preference, repeat contacts and meet at events; some
actors enter late. On top of that, with some probability per case:

- a convener, early in the wave, invites several actors of different sectors,
  and the invitees then work with each other (records dated later);
- a facilitator works with a circle of actors whose dealings with each other
  then become repeated and trusting (extra records, high closeness), and
  attends most events;
- a catalyst recruits newcomers who enter the case later with the catalyst as
  their first contact, and makes a few one-off contacts in other sectors.

Some cases have no role at all. Returns record tables as the pipeline reads
them, the networks built by :mod:`netinnov.networks.build`, and the planted truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netinnov.networks.build import case_networks, case_rosters, wave_ties

SECTORS = ("citizen", "civil_society", "private", "public")
SPAN = 365
START = pd.Timestamp("2024-01-01")


def _phase(day: float, rng) -> str:
    k = min(int(day // (SPAN / 4) + (rng.random() < 0.15) * rng.choice([-1, 1])), 3)
    return ("initiation", "design", "implementation", "diffusion")[max(k, 0)]


def simulate_case(rng, case_id: str, *, roles: set[str], n_actors: int, homophily: float = 2.0):
    """Records of one case; ``roles`` are the roles planted in it."""
    ids = [f"{case_id}_a{i:03d}" for i in range(n_actors)]
    sector = dict(zip(ids, rng.choice(SECTORS, size=n_actors, p=[0.2, 0.25, 0.25, 0.3]), strict=True))
    activity = dict(zip(ids, rng.lognormal(0.0, 0.9, size=n_actors), strict=True))
    entry = {a: (rng.uniform(0, 40) if rng.random() > 0.12 else rng.uniform(100, 320)) for a in ids}
    hubs = list(rng.choice(ids, size=max(1, n_actors // 25), replace=False))
    for h in hubs:
        activity[h] *= 8.0
        entry[h] = 0.0
    others = [a for a in ids if a not in hubs]
    holders = {}
    for role in sorted(roles):
        holders[role] = str(rng.choice([a for a in others if a not in holders.values()]))
        entry[holders[role]] = 0.0
        activity[holders[role]] = float(np.median(list(activity.values())))
    records = []

    def add(s, t, day, freq=None, close=None):
        records.append({"case_id": case_id, "source": s, "target": t,
                        "date": START + pd.Timedelta(days=float(min(day, SPAN))), "phase": _phase(day, rng),
                        "frequency": float(freq if freq is not None else 1 + rng.poisson(0.6)),
                        "closeness": int(close if close is not None else rng.integers(1, 6))})

    contacts: dict[str, list[str]] = {a: [] for a in ids}
    # background: activity-driven, sector-homophilous, with repeated contacts
    n_background = int(2.2 * n_actors)
    for day in np.sort(rng.uniform(0, SPAN, size=n_background)):
        present = [a for a in ids if entry[a] <= day]
        w = np.array([activity[a] for a in present])
        s = present[rng.choice(len(present), p=w / w.sum())]
        if contacts[s] and rng.random() < 0.35:
            t = contacts[s][rng.integers(len(contacts[s]))]
        else:
            wt = w * np.array([homophily if sector[a] == sector[s] else 1.0 for a in present])
            wt[present.index(s)] = 0.0
            t = present[rng.choice(len(present), p=wt / wt.sum())]
        add(s, t, day)
        contacts[s].append(t)
        contacts[t].append(s)
    # latent conveners: invite across sectors early; the invitees then work together
    if "convener" in holders:
        c = holders["convener"]
        pool = [a for a in others if a != c and entry[a] < 60]
        chosen = []
        for sec in rng.permutation(SECTORS):
            cand = [a for a in pool if sector[a] == sec and a not in chosen]
            chosen += list(rng.choice(cand, size=min(2, len(cand)), replace=False)) if cand else []
        invited = {}
        for a in chosen:
            invited[a] = rng.uniform(0, 60)
            add(c, a, invited[a], freq=1 + rng.poisson(1.0))
        for a, b in ((x, y) for i, x in enumerate(chosen) for y in chosen[i + 1:]):
            if sector[a] != sector[b] and rng.random() < 0.55:
                add(a, b, rng.uniform(max(invited[a], invited[b]) + 5, SPAN))
    # latent facilitators: a working circle whose members' dealings become repeated and trusting
    if "facilitator" in holders:
        f = holders["facilitator"]
        circle = list(rng.choice([a for a in others if a != f], size=min(7, len(others) - 1), replace=False))
        for a in circle:
            add(f, a, rng.uniform(0, SPAN))
            if rng.random() < 0.8:
                add(a, f, rng.uniform(0, SPAN))
        for a, b in ((x, y) for i, x in enumerate(circle) for y in circle[i + 1:]):
            if b in contacts[a] or rng.random() < 0.3:
                for _ in range(int(rng.integers(2, 4))):
                    add(a, b, rng.uniform(0, SPAN), freq=2 + rng.poisson(1.5), close=rng.integers(4, 6))
    # latent catalysts: recruit newcomers later in the wave; one-off contacts across sectors
    newcomers = []
    if "catalyst" in holders:
        k = holders["catalyst"]
        for j in range(int(rng.integers(3, 6))):
            new = f"{case_id}_n{j}"
            newcomers.append(new)
            sector[new] = str(rng.choice([s for s in SECTORS if s != sector[k]]))
            day = rng.uniform(120, 300)
            add(k, new, day, freq=1)
            for _ in range(int(rng.integers(0, 3))):
                add(new, str(rng.choice(ids)), rng.uniform(day + 1, SPAN))
        outside = [a for a in others if sector[a] != sector[k] and a != k]
        for a in rng.choice(outside, size=min(3, len(outside)), replace=False):
            add(k, a, rng.uniform(0, SPAN), freq=1, close=rng.integers(1, 3))
    roster = ids + newcomers
    # events: attendance driven by activity; a facilitator attends most of them
    events = []
    for e in range(int(rng.integers(3, 7))):
        day = rng.uniform(0, SPAN)
        present = [a for a in roster if entry.get(a, 400) <= day]
        w = np.array([activity[a] for a in present])
        size = max(2, int(0.25 * len(present)))
        for a in rng.choice(present, size=min(size, len(present)), replace=False, p=w / w.sum()):
            events.append((e, a, day))
        if "facilitator" in holders and rng.random() < 0.85:
            events.append((e, holders["facilitator"], day))
    participation = pd.DataFrame(
        [{"case_id": case_id, "event_id": f"{case_id}_e{e}", "actor_id": a,
          "date": START + pd.Timedelta(days=float(d)), "phase": _phase(d, rng)} for e, a, d in events]
    ).drop_duplicates(["event_id", "actor_id"])
    inter = pd.DataFrame(records)
    inter = inter[inter["source"] != inter["target"]]
    actors = pd.DataFrame({"actor_id": roster, "sector": [sector[a] for a in roster]})
    truth = pd.DataFrame([{"case_id": case_id, "actor_id": a, "role": r} for r, a in holders.items()],
                         columns=["case_id", "actor_id", "role"])
    return inter, participation, actors, truth


def simulate_wave(seed: int, n_cases: int = 40, *, p_role: float = 0.5, directed: bool = False):
    """Cases with roles planted independently (probability ``p_role``), 20–90 actors each.

    Returns ``(networks, interactions, participation, truth)`` with the
    networks built by :func:`netinnov.networks.build.wave_ties` and
    :func:`netinnov.networks.build.case_networks`.
    """
    rng = np.random.default_rng(seed)
    parts = []
    for c in range(n_cases):
        roles = {r for r in ("convener", "facilitator", "catalyst") if rng.random() < p_role}
        if c % 6 == 0:
            roles = set()  # some cases without any role
        parts.append(simulate_case(rng, f"c{c:02d}", roles=roles, n_actors=int(rng.integers(20, 91))))
    inter = pd.concat([p[0] for p in parts], ignore_index=True)
    part = pd.concat([p[1] for p in parts], ignore_index=True)
    actors = pd.concat([p[2] for p in parts], ignore_index=True)
    truth = pd.concat([p[3] for p in parts], ignore_index=True)
    ties = wave_ties(inter, part, directed=directed)
    rosters = case_rosters(inter, part, None)
    nets = case_networks(ties, rosters, actors, directed=directed, group_labels=SECTORS)
    return nets, inter, part, truth
