"""One case in one wave: latent ties and behaviour, then the records a survey and a meeting log would hold.

The generator first builds a latent network of who works with whom, then
reports it with noise. Nothing here computes a measure of the pipeline; the
behaviours are processes (Sørensen & Torfing 2013; Ansell & Gash 2012):

* **Ordinary contacts.** Sources are drawn ∝ activity × sector activity
  (sectors differ in how many contacts they make and get: civil society most,
  citizens least). A target is drawn in the source's community (15 % of draws
  anywhere in the case) with probability ∝ its attractiveness ×
  ``exp(h · same sector)``, where the case's ``h = homophily ·
  exp(−0.5 · openness)`` (a case open to cross-sector work mixes more) — at
  ``homophily = 0`` the choice is blind to sector in every case and the only
  sector differences are activity differences. Half of
  the same-sector draws stay inside the own organisation with probability
  ``1 − exp(−homophily)`` (organisations are nested in sectors).
* **Drivers** (see :mod:`netinnov.simulate.design`) initiate and carry the
  innovation (Sørensen & Torfing 2013). Each driver contacts each incumbent
  member of the case with probability 0.9 (change agent) or 0.7 (coalition
  driver), whatever its sector or community (at most 150 contacts), and
  initiates an extra share of the contact draws (a change agent 75 %, each
  coalition driver 15 %) with sector-blind targets anywhere in the case. A
  driver's ties are working ties (latent strength +0.8: more records). The
  records of every tie a driver is in follow the driver's schedule instead of
  the sectors' phase affinities, leaning to initiation and design (×3.5,
  ×2.5, ×0.8, ×0.5 for the four phases): drivers are active from the first
  days and keep working through implementation.
* **Hubs** are very active but their work is operational: the records of
  their ties (unless a driver is in them) lean to implementation and diffusion
  (×0.45, ×0.7, ×1.4, ×1.5); they initiate nothing.
* **Convener.** Early in the wave (initiation/design) the convener contacts
  3 + Poisson(2) actors of at least two sectors; those invitees then interact
  with each other (a connected set of ties), every record between two
  invitees dated after both invitations — they were not in contact before.
* **Facilitator.** Activates passive members (3 + Poisson(2) + n/30 extra
  contacts drawn ∝ 1/√attractiveness); its alters' ties to each other are
  strengthened (latent strength +1.2: more records, higher frequency and
  closeness, more often reported from both sides) and a few new ties among
  its alters appear; it hosts 2 + Poisson(2) extra meetings filled mostly with
  its alters and attends 60 % of the other events of its community.
* **Catalyst.** Recruits newcomers who enter during the wave (entry day at
  25–70 % of the year): the newcomer's first record is its tie to the
  catalyst, dated on the entry day, everything else comes later. It also
  holds a few weak single-record ties to actors of other sectors on the
  periphery. Other joiners enter at the wave's start, or (30 %) mid-wave
  through an incumbent chosen ∝ activity — so a mid-wave entry alone does not
  reveal a catalyst.
* **Reporting.** Each distinct latent arc carries a strength ``z`` (same
  organisation, same community, the case's openness on cross-sector ties,
  noise); records per arc, frequency, closeness, channel and duration follow
  ``z``; in directed data a tie is reported back with probability
  ``logistic(−0.7 + 0.9 z)``. **Non-respondents** (each member responds with
  the case's response rate; drivers, hubs and role holders with 0.95) report
  no outgoing record; they appear only when others name them.
* **Events** (meetings, workshops) of 3–15 attendees of one community;
  acceptance follows the sector's phase affinity (private actors come in at
  implementation).

The latent share of the case's tied pairs that join two sectors *and* work
together (``z > 0``) is returned as ``cross_sector_work`` — a latent
quantity (it counts unreported ties too); its observable proxy in the
pipeline is ``cross_sector_tie_share``.

Everything is vectorised over actors, ties and records; loops run over the
(at most three) role holders and four sectors only (the drivers' reach is a
drivers × members draw).

References
----------
Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking
collaboration, leadership and public governance*. NESTA Social Frontiers.
Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts: toward a
model of collaborative leadership. *The Innovation Journal*, 17(1), article 7.
Obstfeld, D. (2005). Social networks, the tertius iungens orientation, and
involvement in innovation. *Administrative Science Quarterly*, 50(1), 100–130.
McPherson, M., Smith-Lovin, L., & Cook, J. M. (2001). Birds of a feather:
homophily in social networks. *Annual Review of Sociology*, 27, 415–444.
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of
Sociology*, 78(6), 1360–1380.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from .arrays import (
    categorical,
    draw,
    first_index,
    group_sizes,
    isin_sorted,
    pack,
    sampler,
    unique_sorted,
)
from .design import Case

__all__ = ["Calendar", "phase_weights", "wave_calendar", "wave_fieldwork"]

# Sector rows: public, private, civil_society, citizen.
_SECTOR_ACTIVITY = np.array([1.0, 0.9, 1.5, 0.45])  # how much an actor reports
_SECTOR_ATTRACT = np.array([1.0, 0.9, 1.4, 0.4])  # how often others name or invite them
# Phase affinity by sector: private actors come in at implementation.
_SECTOR_PHASE = np.array(
    [
        [1.2, 1.1, 0.9, 0.9],
        [0.45, 0.6, 1.9, 1.0],
        [1.1, 1.1, 1.0, 1.2],
        [1.1, 1.0, 0.7, 0.9],
    ]
)
_DRIVER_PHASE = np.array([3.5, 2.5, 0.8, 0.5])  # drivers initiate and design, and keep working
_HUB_PHASE = np.array([0.45, 0.7, 1.4, 1.5])  # hubs' work is operational: implementation, diffusion
_EARLY_PHASES = np.array([0.35, 0.35, 0.20, 0.10])
_LATE_PHASES = np.array([0.10, 0.20, 0.40, 0.30])
_CHANNEL_STRONG = np.array([0.30, 0.10, 0.15, 0.15, 0.30])
_CHANNEL_WEAK = np.array([0.25, 0.10, 0.35, 0.25, 0.05])
_CHANNEL_MINUTES = np.array([60.0, 150.0, 5.0, 10.0, 20.0])
_ISOLATE_P = np.array([0.03, 0.03, 0.03, 0.10])
_KEY_RESPONSE = 0.95
_CASE_WIDE = 0.15
_CHANGE_AGENT_SHARE, _COALITION_SHARE, _DRIVER_CAP = 0.75, 0.15, 3000
_REACH, _REACH_CAP = (0.9, 0.7), 150  # share of the members a change agent / coalition driver contacts
_DRIVER_STRENGTH = 0.8  # a driver's ties are working ties: more records
_FACILITATOR_BOOST = 1.2
_OPENNESS_EFFECT = 0.5
_OPENNESS_MIXING = 0.5
# Arc kinds. Kinds from _SPONSOR on have one record of frequency 1 on a fixed day.
_CONTACT, _DRIVE, _INVITEE, _SPONSOR, _INVITE, _WEAK = range(6)


# ============================================================ the calendar
@dataclass
class Calendar:
    """The year of a wave and a case's four consecutive phase intervals in it (day offsets)."""

    year: int
    length: int
    start: np.ndarray
    span: np.ndarray

    def phase_of(self, day: np.ndarray) -> np.ndarray:
        """The phase whose interval holds each day."""
        return np.searchsorted(self.start[1:], day, "right").astype(np.int64)

    def day_in(self, rng: np.random.Generator, phase: np.ndarray) -> np.ndarray:
        """A uniform day inside each phase's interval."""
        return self.start[phase] + np.floor(rng.random(len(phase)) * self.span[phase]).astype(np.int64)


def phase_weights(wave: int, n_waves: int) -> np.ndarray:
    """Phase mix of a wave: early waves weigh initiation and design, later ones implementation."""
    share = wave / (n_waves - 1) if n_waves > 1 else 0.0
    return (1 - share) * _EARLY_PHASES + share * _LATE_PHASES


def wave_calendar(rng: np.random.Generator, year: int, weights: np.ndarray) -> Calendar:
    """Phase intervals of a case in a year, long in proportion to the phase mix (≥ 5 % each)."""
    length = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
    share = weights * rng.dirichlet(np.full(4, 20.0))
    share = 0.8 * share / share.sum() + 0.05
    bounds = np.round(np.concatenate([[0.0], np.cumsum(share)]) * length).astype(np.int64)
    bounds[-1] = length
    return Calendar(year=year, length=length, start=bounds[:-1], span=np.diff(bounds))


# ============================================================ the members
@dataclass
class _Members:
    """The active (non-isolate) members of a case in a wave, indexed 0..n-1."""

    local: np.ndarray  # local case index of each active member
    sector: np.ndarray
    org_label: np.ndarray  # organisation, or a unique negative label for citizens
    community: np.ndarray
    role: np.ndarray  # 0 none, 1 convener, 2 facilitator, 3 catalyst
    driver: np.ndarray  # bool
    hub: np.ndarray  # bool
    entry: np.ndarray  # newcomers entering during the wave: day of entry; others -1
    invited: np.ndarray  # convener's invitees: day of the invitation; others -1
    responded: np.ndarray  # bool
    w_src: np.ndarray  # propensity to make contacts
    w_tgt: np.ndarray  # propensity to be named or invited

    @property
    def n(self) -> int:
        return len(self.local)


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


def _members(rng: np.random.Generator, case: Case, joiners: np.ndarray) -> tuple[_Members, np.ndarray, dict]:
    """Active members, their response, isolates and the roster-level facts of the wave."""
    roster = np.flatnonzero(case.in_roster)
    keep = case.keep()
    p_resp = np.where(isin_sorted(roster, keep), max(case.response_rate, _KEY_RESPONSE), case.response_rate)
    responded = rng.random(len(roster)) < p_resp
    may_isolate = ~isin_sorted(roster, keep) & ~isin_sorted(roster, joiners) & ~isin_sorted(roster, case.recruits)
    isolate = may_isolate & (rng.random(len(roster)) < _ISOLATE_P[case.sector[roster]])
    if len(roster) - isolate.sum() < 3:
        isolate[:] = False
    local = roster[~isolate]
    na = len(local)
    pos = np.full(len(case.gid), -1, dtype=np.int64)
    pos[local] = np.arange(na)
    role = np.zeros(na, dtype=np.int64)
    for r in range(3):
        if case.holders[r] >= 0:
            role[pos[case.holders[r]]] = r + 1
    driver = np.zeros(na, dtype=bool)
    driver[pos[case.drivers]] = True
    hub = np.zeros(na, dtype=bool)
    hub[pos[case.hubs][pos[case.hubs] >= 0]] = True
    sector, activity = case.sector[local], case.activity[local]
    m = _Members(
        local=local,
        sector=sector,
        org_label=np.where(case.org[local] >= 0, case.org[local], -1 - np.arange(na)),
        community=case.community[local],
        role=role,
        driver=driver,
        hub=hub,
        entry=np.full(na, -1, dtype=np.int64),
        invited=np.full(na, -1, dtype=np.int64),
        responded=responded[~isolate],
        w_src=activity * _SECTOR_ACTIVITY[sector],
        w_tgt=activity**0.7 * _SECTOR_ATTRACT[sector],
    )
    return m, pos, {"roster": roster, "responded": responded, "isolates": roster[isolate]}


# ============================================================ who contacts whom
def _targets(rng: np.random.Generator, m: _Members, src: np.ndarray, scope: np.ndarray, h: float) -> np.ndarray:
    """A target for each source: ∝ attractiveness × exp(h · same sector) within the source's scope.

    The target's sector is drawn first, exactly with those weights (the
    source itself excluded), then the target inside (scope, sector) ∝
    attractiveness; -1 where no target exists.
    """
    n = len(src)
    if n == 0:
        return _empty()
    n_scope = int(scope.max()) + 1
    weight = np.zeros((n_scope, 4))
    np.add.at(weight, (scope, m.sector), m.w_tgt)
    rows = np.arange(n)
    p = weight[scope[src]]
    p[rows, m.sector[src]] = np.maximum(p[rows, m.sector[src]] - m.w_tgt[src], 0.0)
    p[rows, m.sector[src]] *= np.exp(h)
    p[p < 1e-12] = 0.0
    ok = p.sum(axis=1) > 0
    t_sector = categorical(rng, np.where(ok[:, None], p, 1.0))
    label = scope * 4 + m.sector
    smp = sampler(label, m.w_tgt)
    query = scope[src] * 4 + t_sector
    tgt = draw(rng, smp, query)
    q_org = 0.5 * (1.0 - np.exp(-h))
    in_org = (t_sector == m.sector[src]) & (rng.random(n) < q_org) & (group_sizes(m.org_label)[src] >= 2)
    if in_org.any():
        tgt[in_org] = draw(rng, sampler(m.org_label, m.w_tgt), m.org_label[src[in_org]])
    for _ in range(10):
        again = np.flatnonzero(tgt == src)
        if len(again) == 0:
            break
        redo = again[~in_org[again]]
        tgt[redo] = draw(rng, smp, query[redo])
        org_redo = again[in_org[again]]
        tgt[org_redo] = draw(rng, smp, query[org_redo])
    tgt[~ok | (tgt == src)] = -1
    return tgt


def _driver_draws(rng: np.random.Generator, case: Case, m: _Members, n_draws: int) -> np.ndarray:
    """Sources of the drivers' extra contacts."""
    drivers = np.flatnonzero(m.driver)
    if len(drivers) == 0:
        return _empty()
    share = _CHANGE_AGENT_SHARE if case.kind == 0 else _COALITION_SHARE
    k = min(int(rng.binomial(n_draws, share)), _DRIVER_CAP)
    return np.repeat(drivers, k)


def _reach(rng: np.random.Generator, case: Case, m: _Members) -> tuple[np.ndarray, np.ndarray]:
    """The drivers' own contacts across the case: each driver contacts each incumbent with a fixed probability.

    A change agent reaches ``_REACH[0]`` of the members, a coalition driver
    ``_REACH[1]`` (at most ``_REACH_CAP`` contacts each), whatever their
    sector or community; members entering during the wave are left to their
    own first contacts.
    """
    drivers = np.flatnonzero(m.driver)
    if len(drivers) == 0:
        return _empty(), _empty()
    p = _REACH[0] if case.kind == 0 else _REACH[1]
    pool = np.flatnonzero(m.entry < 0)
    keys = rng.random((len(drivers), len(pool)))
    hit = (keys < p) & (pool[None, :] != drivers[:, None])
    # keep at most _REACH_CAP contacts per driver: the ones with the smallest keys
    rank = np.argsort(np.argsort(np.where(hit, keys, 2.0), axis=1, kind="stable"), axis=1, kind="stable")
    hit &= rank < _REACH_CAP
    d, j = np.nonzero(hit)
    return drivers[d], pool[j]


def _invitations(
    rng: np.random.Generator, m: _Members, calendar: Calendar
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The convener's invitations (convener → invitee, dated early) and the invitees' ties to each other."""
    conv = np.flatnonzero(m.role == 1)
    if len(conv) == 0:
        return _empty(), _empty(), _empty(), _empty()
    c = int(conv[0])
    cand = np.flatnonzero((m.community == m.community[c]) & (m.entry < 0) & (np.arange(m.n) != c))
    sectors = np.unique(m.sector[cand])
    if len(sectors) < 2:
        return _empty(), _empty(), _empty(), _empty()
    k = min(3 + int(rng.poisson(2.0)) + m.n // 60, 30, len(cand))
    order = rng.permutation(sectors)
    quota = np.bincount(np.arange(k) % len(order), minlength=len(order))
    invitees = []
    for s, q in zip(order.tolist(), quota.tolist(), strict=True):
        pool = cand[m.sector[cand] == s]
        keys = 0.5 * np.log(m.w_tgt[pool]) + rng.gumbel(size=len(pool))
        invitees.append(pool[np.argsort(-keys, kind="stable")[:q]])
    inv = np.sort(np.concatenate(invitees))
    last_early = max(int(0.6 * calendar.start[2]), 1)
    m.invited[inv] = np.floor(rng.random(len(inv)) * last_early).astype(np.int64)
    # the invitees then work with each other: a random chain (everyone has a partner) plus pairs at random
    chain = rng.permutation(inv)
    i, j = np.triu_indices(len(inv), 1)
    extra = rng.random(len(i)) < 0.35
    a = np.concatenate([chain[:-1], inv[i[extra]]])
    b = np.concatenate([chain[1:], inv[j[extra]]])
    flip = rng.random(len(a)) < 0.5
    return np.full(len(inv), c), inv, np.where(flip, b, a), np.where(flip, a, b)


def _weak_ties(rng: np.random.Generator, m: _Members) -> tuple[np.ndarray, np.ndarray]:
    """The catalyst's weak ties to actors of other sectors on the periphery (∝ 1 / attractiveness)."""
    cat = np.flatnonzero(m.role == 3)
    if len(cat) == 0:
        return _empty(), _empty()
    c = int(cat[0])
    pool = np.flatnonzero((m.sector != m.sector[c]) & (m.entry < 0))
    k = min(1 + int(rng.poisson(1.5)) + m.n // 60, 30, len(pool))
    if k == 0:
        return _empty(), _empty()
    keys = -np.log(m.w_tgt[pool]) + rng.gumbel(size=len(pool))
    return np.full(k, c), pool[np.argsort(-keys, kind="stable")[:k]]


def _activation(rng: np.random.Generator, m: _Members) -> tuple[np.ndarray, np.ndarray]:
    """The facilitator's contacts with passive members of its community (∝ 1 / √attractiveness)."""
    fac = np.flatnonzero(m.role == 2)
    if len(fac) == 0:
        return _empty(), _empty()
    f = int(fac[0])
    pool = np.flatnonzero((m.community == m.community[f]) & (np.arange(m.n) != f) & (m.entry < 0))
    k = min(3 + int(rng.poisson(2.0)) + m.n // 30, 40, len(pool))
    if k == 0:
        return _empty(), _empty()
    keys = -0.5 * np.log(m.w_tgt[pool]) + rng.gumbel(size=len(pool))
    return np.full(k, f), pool[np.argsort(-keys, kind="stable")[:k]]


def _newcomers(
    rng: np.random.Generator, m: _Members, calendar: Calendar, recruits: np.ndarray, joiners: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Entry days of the newcomers and their first contacts: (sponsor, newcomer) arcs.

    The catalyst's recruits all enter during the wave with the catalyst as
    first contact; 30 % of the other joiners enter during the wave through an
    incumbent of their community drawn ∝ activity; the rest are there from
    the wave's start.
    """
    cat = np.flatnonzero(m.role == 3)
    others = joiners[rng.random(len(joiners)) < 0.3]
    late = np.concatenate([recruits, others])
    if len(late) == 0:
        return _empty(), _empty()
    m.entry[late] = np.floor((0.25 + 0.45 * rng.random(len(late))) * calendar.length).astype(np.int64)
    incumbents = np.flatnonzero(m.entry < 0)
    sponsor = draw(rng, sampler(m.community[incumbents], m.w_src[incumbents]), m.community[others])
    sponsor = np.where(sponsor >= 0, incumbents[np.maximum(sponsor, 0)], -1)
    rec_sponsor = np.full(len(recruits), int(cat[0]) if len(cat) else -1)
    sponsor = np.concatenate([rec_sponsor, sponsor])
    ok = sponsor >= 0
    m.entry[late[~ok]] = -1  # no one to enter through: there from the start
    return sponsor[ok], late[ok]


# ============================================================ latent ties
def _strength(rng: np.random.Generator, m: _Members, s, t, kind, openness: float) -> np.ndarray:
    cross = m.sector[s] != m.sector[t]
    return (
        0.8 * ((m.org_label[s] == m.org_label[t]) & (m.org_label[s] >= 0))
        + 0.3 * (m.community[s] == m.community[t])
        + _OPENNESS_EFFECT * openness * cross
        + 0.3 * (kind == _INVITEE)
        + _DRIVER_STRENGTH * ((m.driver[s] | m.driver[t]) & (kind < _SPONSOR))
        - 1.5 * (kind == _WEAK)
        + rng.normal(0.0, 0.6, len(s))
    )


def _facilitate(rng: np.random.Generator, m: _Members, s, t, kind, z, openness: float, directed: bool):
    """Strengthen the ties among the facilitator's alters and add a few new ones (returns new arrays)."""
    fac = np.flatnonzero(m.role == 2)
    if len(fac) == 0:
        return s, t, kind, z
    f = int(fac[0])
    alters = unique_sorted(np.concatenate([t[s == f], s[t == f]]))
    k = len(alters)
    if k >= 3:
        n_new = min(int(rng.poisson(0.12 * k * (k - 1) / 2)), 3 * k)
        a, b = alters[rng.integers(k, size=n_new)], alters[rng.integers(k, size=n_new)]
        fresh = a != b
        a, b = a[fresh], b[fresh]
        nk = np.full(len(a), _CONTACT)
        s, t = np.concatenate([s, a]), np.concatenate([t, b])
        kind = np.concatenate([kind, nk])
        z = np.concatenate([z, _strength(rng, m, a, b, nk, openness)])
        key = s * m.n + t if directed else np.minimum(s, t) * m.n + np.maximum(s, t)
        first = first_index(key)
        s, t, kind, z = s[first], t[first], kind[first], z[first]
    among = isin_sorted(s, alters) & isin_sorted(t, alters)
    return s, t, kind, z + _FACILITATOR_BOOST * among


def _arcs(rng: np.random.Generator, m: _Members, s, t, kind, openness: float, directed: bool):
    """Distinct latent arcs (pairs when undirected) with a strength; back-reports when directed."""
    na = m.n
    key = s * na + t if directed else np.minimum(s, t) * na + np.maximum(s, t)
    first = first_index(key)
    s, t, kind = s[first], t[first], kind[first]
    z = _strength(rng, m, s, t, kind, openness)
    s, t, kind, z = _facilitate(rng, m, s, t, kind, z, openness, directed)
    pair = unique_sorted(np.minimum(s, t) * na + np.maximum(s, t))
    pz = np.full(len(pair), -np.inf)
    np.maximum.at(pz, np.searchsorted(pair, np.minimum(s, t) * na + np.maximum(s, t)), z)
    a, b = pair // na, pair % na
    work = float(np.mean((m.sector[a] != m.sector[b]) & (pz > 0))) if len(pair) else 0.0
    if directed:
        p_back = np.where(kind == _WEAK, 0.1, np.where(kind == _SPONSOR, 0.5, expit(-0.7 + 0.9 * z)))
        back = (rng.random(len(s)) < p_back) & ~isin_sorted(t * na + s, s * na + t)
        s, t = np.concatenate([s, t[back]]), np.concatenate([t, s[back]])
        kind = np.concatenate([kind, kind[back]])
        z = np.concatenate([z, z[back] + rng.normal(0.0, 0.3, int(back.sum()))])
    return (s, t, kind, z), work


# ============================================================ records and events
def _records(
    rng: np.random.Generator,
    m: _Members,
    arcs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_records: int,
    calendar: Calendar,
    weights: np.ndarray,
) -> dict[str, np.ndarray]:
    """Interaction records of the latent arcs, dated; the non-respondents' outgoing records dropped."""
    s, t, kind, z = arcs
    n_arcs = len(s)
    fixed = kind >= _SPONSOR
    lam = np.exp(0.7 * z)
    scale = max(n_records - n_arcs, 0) / max(lam[~fixed].sum(), 1e-12)
    arc = np.repeat(np.arange(n_arcs), 1 + np.where(fixed, 0, rng.poisson(scale * lam)))
    n_rec = len(arc)
    rs, rt, rk, rz = s[arc], t[arc], kind[arc], z[arc]
    # whose work the arc is: a driver's leans to initiation/design, a hub's to implementation/diffusion
    by_driver, by_hub = m.driver[s] | m.driver[t], m.hub[s] | m.hub[t]
    lean = np.where(by_driver[:, None], _DRIVER_PHASE[None, :], np.where(by_hub[:, None], _HUB_PHASE[None, :], 1.0))
    sector_phase = np.where(by_driver[:, None], 1.0, _SECTOR_PHASE[m.sector[s]] * _SECTOR_PHASE[m.sector[t]])
    affinity = weights[None, :] * sector_phase * lean  # a driver's schedule, whatever its sector
    cum = np.cumsum(affinity / affinity.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n_rec)
    phase = sum((u >= cum[arc, k]).astype(np.int64) for k in range(3))
    day = calendar.day_in(rng, phase)
    # fixed days: an invitation on its day, a newcomer's first contact on its entry day
    fixed_day = np.where(rk == _INVITE, np.maximum(m.invited[rs], m.invited[rt]),
                         np.where(rk == _SPONSOR, np.maximum(m.entry[rs], m.entry[rt]), -1))
    both_invited = (m.invited[rs] >= 0) & (m.invited[rt] >= 0)
    limit = np.maximum(np.maximum(m.entry[rs], m.entry[rt]), np.where(both_invited,
                       np.maximum(m.invited[rs], m.invited[rt]), -1))
    intro = fixed_day >= 0
    late = ~intro & (limit >= 0) & (day <= limit)
    span = np.maximum(calendar.length - limit - 1, 1)
    day = np.where(intro, fixed_day, day)
    day = np.where(late, limit + 1 + np.floor(rng.random(n_rec) * span).astype(np.int64), day)
    day = np.minimum(day, calendar.length - 1)
    phase = np.where(intro | late, calendar.phase_of(day), phase)
    strong = z > 0.5
    primary = np.where(
        strong,
        categorical(rng, np.broadcast_to(_CHANNEL_STRONG, (n_arcs, 5))),
        categorical(rng, np.broadcast_to(_CHANNEL_WEAK, (n_arcs, 5))),
    )
    p_other = np.where(fixed, 0.0, np.where(strong, 0.5, 0.15))
    other = rng.random(n_rec) < p_other[arc]
    channel = np.where(other, rng.integers(0, 5, n_rec), primary[arc])
    frequency = 1 + np.where(rk >= _SPONSOR, 0, rng.poisson(np.exp(-0.8 + 0.5 * rz)))
    closeness = np.clip(np.round(2.9 + 0.8 * rz + rng.normal(0.0, 0.5, n_rec)), 1, 5).astype(np.int64)
    closeness = np.where(rk == _WEAK, np.minimum(closeness, 2), closeness)
    minutes = frequency * _CHANNEL_MINUTES[channel] * np.exp(rng.normal(0.0, 0.35, n_rec))
    short = (channel == 2) | (channel == 3)  # email and phone to the minute, the rest to 5 minutes
    duration = np.where(short, np.maximum(1, np.round(minutes)), np.maximum(5, np.round(minutes / 5) * 5))
    duration = duration.astype(np.int64)
    _bump_duplicates(arc, day, phase, channel, closeness, frequency, duration)
    reported = m.responded[rs]
    out = {"src": rs, "tgt": rt, "frequency": frequency, "duration": duration, "closeness": closeness,
           "channel": channel, "phase": phase, "day": day}
    return {k: v[reported] for k, v in out.items()}


def _bump_duplicates(arc, day, phase, channel, closeness, frequency, duration) -> None:
    """Records that happen to repeat another record of their arc exactly get one more minute (in place)."""
    for _ in range(50):
        cols = (arc, day, phase, channel, closeness, frequency, duration)
        packed = pack(*cols)
        if packed is None:  # pragma: no cover - only for astronomically large cases
            order = np.lexsort(cols[::-1])
            rows = np.column_stack([c[order] for c in cols])
            same = np.all(rows[1:] == rows[:-1], axis=1)
        else:
            order = np.argsort(packed, kind="stable")
            same = packed[order][1:] == packed[order][:-1]
        if not same.any():
            return
        duration[order[1:][same]] += 1
    raise RuntimeError("could not make the records distinct")  # pragma: no cover


def _events(
    rng: np.random.Generator,
    m: _Members,
    n_roster: int,
    calendar: Calendar,
    weights: np.ndarray,
    fac_alters: np.ndarray,
) -> dict[str, np.ndarray]:
    """Meetings and workshops with 3–15 attendees of one community.

    A facilitator hosts 2 + Poisson(2) extra meetings (attends all, seats
    filled mostly from its alters) and attends 60 % of the other events of its
    community; drivers attend 25 % of theirs; invitations follow the
    sector's phase affinity; newcomers attend only after their entry day.
    """
    na = m.n
    fac = np.flatnonzero(m.role == 2)
    n_plain = max(1, int(rng.poisson(0.8 + n_roster / 10)))
    n_host = (2 + int(rng.poisson(2.0))) if len(fac) else 0
    n_events = n_plain + n_host
    comm_size = np.bincount(m.community, minlength=int(m.community.max()) + 1)
    ev_comm = rng.choice(len(comm_size), size=n_events, p=comm_size / comm_size.sum())
    hosted = np.arange(n_events) >= n_plain
    if n_host:
        ev_comm[hosted] = m.community[fac[0]]
    ev_phase = rng.choice(4, size=n_events, p=weights / weights.sum())
    ev_day = calendar.day_in(rng, ev_phase)
    ev_type = (rng.random(n_events) < np.where(ev_phase <= 1, 0.6, 0.3)).astype(np.int64)
    ev_type[hosted] = 0
    ev_duration = np.where(
        ev_type == 1, 120 + 30 * rng.integers(0, 9, n_events), 60 + 15 * rng.integers(0, 5, n_events)
    )
    size = np.minimum(3 + rng.binomial(9, 0.35, n_events), comm_size[ev_comm])
    key_ev, key_actor = [_empty()], [_empty()]
    for h in np.flatnonzero(m.driver | (m.role == 2)):
        p = np.where(hosted, 1.0, 0.6) if m.role[h] == 2 else np.where(hosted, 0.0, 0.25)
        go = (rng.random(n_events) < p) & (ev_comm == m.community[h]) & (m.entry[h] < ev_day)
        key_ev.append(np.flatnonzero(go))
        key_actor.append(np.full(int(go.sum()), h, dtype=np.int64))
    cand_event = np.repeat(np.arange(n_events), 4 * size)
    cand = draw(rng, sampler(m.community, m.w_tgt), ev_comm[cand_event])
    if n_host and len(fac_alters):
        swap = hosted[cand_event] & (rng.random(len(cand)) < 0.6)
        cand[swap] = fac_alters[rng.integers(len(fac_alters), size=int(swap.sum()))]
    accept = rng.random(len(cand)) < _SECTOR_PHASE[m.sector[cand], ev_phase[cand_event]] / _SECTOR_PHASE.max()
    accept &= m.entry[cand] < ev_day[cand_event]
    cand, cand_event = cand[accept], cand_event[accept]
    first = first_index(cand_event * na + cand)
    cand, cand_event = cand[first], cand_event[first]
    rank = np.arange(len(cand)) - np.searchsorted(cand_event, cand_event, "left")
    keep = rank < size[cand_event]
    ev = np.concatenate([*key_ev, cand_event[keep]])
    actor = np.concatenate([*key_actor, cand[keep]])
    first = first_index(ev * na + actor)
    ev, actor = ev[first], actor[first]
    count = np.bincount(ev, minlength=n_events)
    ok = count[ev] >= 3
    ev, actor = ev[ok], actor[ok]
    kept = np.flatnonzero(count >= 3)
    kept = kept[np.lexsort((kept, ev_day[kept]))]  # numbered in date order
    renumber = np.full(n_events, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    return {
        "event": renumber[ev],
        "actor": actor,
        "day": ev_day[kept],
        "phase": ev_phase[kept],
        "duration": ev_duration[kept],
        "type": ev_type[kept],
    }


# ============================================================ one case-wave
def wave_fieldwork(
    rng: np.random.Generator,
    case: Case,
    calendar: Calendar,
    weights: np.ndarray,
    records_per_actor: float,
    directed: bool,
    joiners: np.ndarray,
    homophily: float,
) -> dict[str, np.ndarray]:
    """Latent ties, behaviour and the observed records and events of one case in one wave.

    Parameters
    ----------
    rng
        The case-wave's generator.
    case
        The case, its roster, roles and recruits already updated for the wave.
    calendar
        The case's phase intervals in the wave's year.
    weights
        The wave's phase mix (:func:`phase_weights`).
    records_per_actor
        Expected latent records per roster member (before non-response).
    directed
        Survey reports (some ties reported from both sides) or co-presence
        logs (each pair in one orientation).
    joiners
        Local indices of the actors who joined the case before this wave.
    homophily
        Same-sector preference of ordinary contacts (0: none); the case's
        openness scales it by ``exp(−0.5 · openness)``.

    Returns
    -------
    dict
        Records (``src, tgt`` as local case indices, ``frequency, duration,
        closeness, channel, phase, day``), attendance (``event`` per
        attendee, ``attendee``), per event ``ev_day, ev_phase, ev_duration,
        ev_type``; roster facts (``roster``, ``responded``, ``isolates``);
        the latent truth (``newcomer``, ``entry_day``, ``sponsor``,
        ``invitee``, ``invite_day``, ``convener`` as local indices, and
        ``cross_sector_work``).
    """
    m, pos, facts = _members(rng, case, joiners)
    homophily = homophily * float(np.exp(-_OPENNESS_MIXING * case.openness))
    recruits = pos[case.recruits][pos[case.recruits] >= 0]
    plain = pos[joiners][(pos[joiners] >= 0) & ~np.isin(pos[joiners], recruits)]
    sp_s, sp_t = _newcomers(rng, m, calendar, recruits, plain)
    n_roster = len(facts["roster"])
    n_records = int(rng.poisson(records_per_actor * n_roster))
    n_draws = max(1, int(round(n_records / (3.0 if directed else 2.2))))
    inv_s, inv_t, pal_s, pal_t = _invitations(rng, m, calendar)
    weak_s, weak_t = _weak_ties(rng, m)
    act_s, act_t = _activation(rng, m)
    drive_s = _driver_draws(rng, case, m, n_draws)
    src = draw(rng, sampler(np.zeros(m.n, dtype=np.int64), m.w_src), np.zeros(max(n_draws - len(drive_s), 0),
                                                                              dtype=np.int64))
    wide = rng.random(len(src)) < _CASE_WIDE
    tgt = np.empty(len(src), dtype=np.int64)
    tgt[~wide] = _targets(rng, m, src[~wide], m.community, homophily)
    tgt[wide] = _targets(rng, m, src[wide], np.zeros(m.n, dtype=np.int64), homophily)
    drive_t = _targets(rng, m, drive_s, np.zeros(m.n, dtype=np.int64), 0.0)  # drivers reach across sectors
    reach_s, reach_t = _reach(rng, case, m)
    drive_s, drive_t = np.concatenate([reach_s, drive_s]), np.concatenate([reach_t, drive_t])
    s = np.concatenate([sp_s, inv_s, weak_s, pal_s, drive_s, act_s, src])
    t = np.concatenate([sp_t, inv_t, weak_t, pal_t, drive_t, act_t, tgt])
    kind = np.concatenate([np.full(len(sp_s), _SPONSOR), np.full(len(inv_s), _INVITE), np.full(len(weak_s), _WEAK),
                           np.full(len(pal_s), _INVITEE), np.full(len(drive_s), _DRIVE),
                           np.full(len(act_s) + len(src), _CONTACT)])
    ok = (t >= 0) & (t != s)
    s, t, kind = s[ok], t[ok], kind[ok]
    # every active member is in at least one latent tie
    silent = np.flatnonzero(np.bincount(np.concatenate([s, t]), minlength=m.n) == 0)
    if len(silent):
        partner = _targets(rng, m, silent, m.community, homophily)
        good = partner >= 0
        s, t = np.concatenate([s, silent[good]]), np.concatenate([t, partner[good]])
        kind = np.concatenate([kind, np.full(int(good.sum()), _CONTACT)])
    arcs, work = _arcs(rng, m, s, t, kind, case.openness, directed)
    records = _records(rng, m, arcs, n_records, calendar, weights)
    fac = np.flatnonzero(m.role == 2)
    fac_alters = (unique_sorted(np.concatenate([arcs[1][arcs[0] == fac[0]], arcs[0][arcs[1] == fac[0]]]))
                  if len(fac) else _empty())
    events = _events(rng, m, n_roster, calendar, weights, fac_alters)
    invitee = np.flatnonzero(m.invited >= 0)
    return {
        **{k: (m.local[v] if k in ("src", "tgt") else v) for k, v in records.items()},
        "event": events["event"],
        "attendee": m.local[events["actor"]],
        "ev_day": events["day"],
        "ev_phase": events["phase"],
        "ev_duration": events["duration"],
        "ev_type": events["type"],
        **facts,
        "newcomer": m.local[sp_t],
        "entry_day": m.entry[sp_t],
        "sponsor": m.local[sp_s],
        "invitee": m.local[invitee],
        "invite_day": m.invited[invitee],
        "active": m.local,
        "cross_sector_work": work,
    }
