"""Synthetic fieldwork: innovation cases, their actors, rosters, roles, records and events.

The building blocks of :mod:`netinnov.simulate`. A case holds actors of four
sectors in organisations (nested in sector and, for large cases, in
communities of about 60 actors). Between waves members leave and new actors
join; leadership roles appear, persist and lapse. In each wave the active
members report interaction records and attend events, and the holders of a
leadership role behave that role (Ansell & Gash 2012; Sørensen & Torfing
2013): conveners act early and across sectors, facilitators interact
repeatedly within a closed working team and attend most meetings, catalysts
hold weak cross-sector ties to peripheral actors and bring in the joiners.

Everything is vectorised over actors, ties and records; loops run over cases,
waves and the (at most three) role holders of a case only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

__all__ = [
    "CASE_TYPES",
    "CATALYST_SPONSOR_CAP",
    "CHANNELS",
    "EVENT_TYPES",
    "FIRST_YEAR",
    "GOVERNANCE",
    "ORG_KINDS",
    "PHASES",
    "ROLES",
    "SECTORS",
    "Calendar",
    "Case",
    "Registry",
    "design_cases",
    "evolve_roster",
    "first_index",
    "initial_roles",
    "initial_roster",
    "isin_sorted",
    "phase_weights",
    "sort_order",
    "unique_sorted",
    "wave_calendar",
    "wave_fieldwork",
]

SECTORS = ("public", "private", "civil_society", "citizen")
PHASES = ("initiation", "design", "implementation", "diffusion")
CHANNELS = ("meeting", "workshop", "email", "phone", "informal")
ROLES = ("convener", "facilitator", "catalyst")
GOVERNANCE = ("NPM", "hybrid", "NPG")
EVENT_TYPES = ("meeting", "workshop")
CASE_TYPES = ("public_agencies", "public_private", "multi_actor")
ORG_KINDS = (
    ("municipality", "police", "school", "social_services", "housing_agency", "health_service"),
    ("firm", "consultancy", "security_company", "housing_company"),
    ("ngo", "association", "sports_club", "church_group", "volunteer_centre"),
    (),
)
#: Wave ``wk`` covers the calendar year ``FIRST_YEAR + k - 1``.
FIRST_YEAR = 2023
#: A catalyst sponsors at most this many joiners per wave (matters in large cases only).
CATALYST_SPONSOR_CAP = 50

# ------------------------------------------------------------------ the design
# Sector rows: public, private, civil_society, citizen.
_SECTOR_ACTIVITY = np.array([1.0, 0.9, 1.4, 0.45])  # how much an actor reports
_SECTOR_ATTRACT = np.array([1.0, 0.9, 1.5, 0.35])  # how often others name or invite them
# Phase affinity by sector: private actors come in at implementation.
_SECTOR_PHASE = np.array(
    [
        [1.2, 1.1, 0.9, 0.9],
        [0.45, 0.6, 1.9, 1.0],
        [1.1, 1.1, 1.0, 1.2],
        [1.1, 1.0, 0.7, 0.9],
    ]
)
# Role rows: none, convener, facilitator, catalyst.
_ROLE_PHASE = np.array(
    [
        [1.0, 1.0, 1.0, 1.0],
        [3.0, 2.5, 0.5, 0.4],
        [1.0, 1.2, 1.2, 0.8],
        [0.8, 1.0, 1.2, 1.6],
    ]
)
_ROLE_SOURCE_BOOST = np.array([1.0, 2.5, 2.5, 2.5])
_ROLE_TARGET_BOOST = np.array([1.0, 1.5, 2.0, 1.0])
# Where an actor looks for the other end of a tie. Columns: own organisation,
# own community and sector, own community, whole case, another sector in the
# own community (any member alike), another sector anywhere (favouring
# peripheral actors), the facilitator's working team.
_POOL_PROBS = np.array(
    [
        [0.30, 0.15, 0.35, 0.20, 0.00, 0.00, 0.00],
        [0.05, 0.05, 0.15, 0.10, 0.65, 0.00, 0.00],
        [0.10, 0.00, 0.10, 0.00, 0.00, 0.00, 0.80],
        [0.05, 0.05, 0.15, 0.05, 0.00, 0.70, 0.00],
    ]
)
_ORG, _COMM_SECTOR, _COMM, _CASE, _CROSS, _PERIPHERY, _TEAM = range(7)
# Arc kinds: an ordinary contact, a tie inside a facilitator's team, a joiner's
# tie to its sponsor, a catalyst's weak tie to the periphery.
_CONTACT, _TEAM_TIE, _SPONSOR_TIE, _WEAK_TIE = range(4)
_TEAM_SIZE = 6  # plus a Poisson(3) number of members
_TEAM_CLOSURE = 0.5  # share of team pairs that are tied
_TEAM_EVENT_SHARE = 0.7  # share of attendees of a facilitator's meeting drawn from the team
# Probability that a role holder attends an event of their community, by phase.
_ROLE_EVENTS = np.array(
    [
        [0.0, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.1, 0.1],
        [0.85, 0.85, 0.85, 0.85],
        [0.0, 0.0, 0.0, 0.0],
    ]
)
# Sector preference of role holders (citizens hold no role).
_ROLE_SECTOR = np.array(
    [
        [0.65, 0.05, 0.30, 0.0],
        [0.45, 0.05, 0.50, 0.0],
        [0.25, 0.35, 0.40, 0.0],
    ]
)
_ROLE_PRESENT = np.array([0.35, 0.5, 0.65])  # first-wave presence by governance NPM, hybrid, NPG
_ROLE_KEEP = 0.8
_EARLY_PHASES = np.array([0.35, 0.35, 0.20, 0.10])
_LATE_PHASES = np.array([0.10, 0.20, 0.40, 0.30])
_CASE_TYPE_P = np.array([0.25, 0.30, 0.45])
_CASE_MIX_ALPHA = np.array([[12.0, 1.0, 1.5, 0.5], [5.0, 5.0, 1.5, 1.0], [3.0, 2.0, 3.0, 2.0]])
_CHANNEL_STRONG = np.array([0.30, 0.10, 0.15, 0.15, 0.30])
_CHANNEL_WEAK = np.array([0.25, 0.10, 0.35, 0.25, 0.05])
_CHANNEL_MINUTES = np.array([60.0, 150.0, 5.0, 10.0, 20.0])
_LEAVE_P = np.array([0.08, 0.08, 0.08, 0.20])
_ISOLATE_P = np.array([0.04, 0.04, 0.04, 0.12])
_COMMUNITY_SIZE = 60


# ============================================================ numpy helpers
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


def _pack(*keys: np.ndarray) -> np.ndarray | None:
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
    packed = _pack(*keys)
    return np.lexsort(keys[::-1]) if packed is None else np.argsort(packed, kind="stable")


def _sampler(labels: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted draws within label groups: (order, sorted labels, cumulative weights)."""
    order = np.argsort(labels, kind="stable")
    return order, labels[order], np.cumsum(weights[order], dtype=float)


def _draw(rng: np.random.Generator, sampler: tuple, query: np.ndarray) -> np.ndarray:
    """One index per query label, drawn with probability ∝ weight within that label's group.

    -1 where the group is empty or has no weight.
    """
    order, sorted_labels, cum = sampler
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


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows × k) matrix of unnormalised probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum[:, :-1]).sum(axis=1).astype(np.int64)


def _group_sizes(labels: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    return counts[inverse]


# ================================================================ the actors
@dataclass
class Registry:
    """Every actor and organisation of the dataset, in creation order (the codes are positions)."""

    sector: list[np.ndarray] = field(default_factory=list)
    org: list[np.ndarray] = field(default_factory=list)
    rank: list[np.ndarray] = field(default_factory=list)
    seniority: list[np.ndarray] = field(default_factory=list)
    wave: list[np.ndarray] = field(default_factory=list)
    org_kind: list[np.ndarray] = field(default_factory=list)
    org_sector: list[np.ndarray] = field(default_factory=list)
    n_actors: int = 0
    n_orgs: int = 0

    def new_orgs(self, rng: np.random.Generator, sectors: np.ndarray) -> np.ndarray:
        """Create one organisation per entry of ``sectors``; return their codes."""
        sectors = np.asarray(sectors, dtype=np.int64)
        n_kinds = np.array([max(1, len(k)) for k in ORG_KINDS])[sectors]
        self.org_kind.append(np.floor(rng.random(len(sectors)) * n_kinds).astype(np.int64))
        self.org_sector.append(sectors)
        ids = self.n_orgs + np.arange(len(sectors), dtype=np.int64)
        self.n_orgs += len(sectors)
        return ids

    def add(
        self, rng: np.random.Generator, sector: np.ndarray, org: np.ndarray, wave: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Register new actors with their covariates; return their codes and ranks."""
        n = len(sector)
        rank = rng.normal(np.array([5.5, 5.0, 4.5, 1.5])[sector], np.array([2.0, 2.0, 2.0, 0.7])[sector])
        rank = np.round(np.clip(rank, 1.0, 10.0), 1)
        years = rng.gamma(np.where(sector == 3, 1.5, 2.0), np.where(sector == 3, 2.0, 4.0))
        self.sector.append(sector)
        self.org.append(org)
        self.rank.append(rank)
        self.seniority.append(np.clip(np.floor(years), 0, 40).astype(np.int64))
        self.wave.append(np.full(n, wave, dtype=np.int64))
        ids = self.n_actors + np.arange(n, dtype=np.int64)
        self.n_actors += n
        return ids, rank

    def table(self) -> dict[str, np.ndarray]:
        """Actor columns (``sector, org, rank, seniority, wave``) and organisation columns."""
        out = {}
        for k in ("sector", "org", "rank", "seniority", "wave", "org_kind", "org_sector"):
            parts = getattr(self, k)
            out[k] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return out


@dataclass
class Case:
    """One innovation case: every actor it ever had (local indices), its roster and role holders."""

    index: int
    case_id: str
    kind: int
    governance: int
    mix: np.ndarray
    n_communities: int
    gid: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sector: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    org: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    community: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    activity: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=float))
    in_roster: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    holders: np.ndarray = field(default_factory=lambda: np.full(3, -1, dtype=np.int64))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(3, dtype=np.int64))

    def extend(self, gid, sector, org, community, activity) -> np.ndarray:
        """Add actors to the case and its roster; return their local indices."""
        start = len(self.gid)
        self.gid = np.concatenate([self.gid, gid])
        self.sector = np.concatenate([self.sector, sector])
        self.org = np.concatenate([self.org, org])
        self.community = np.concatenate([self.community, community])
        self.activity = np.concatenate([self.activity, activity])
        self.in_roster = np.concatenate([self.in_roster, np.ones(len(gid), dtype=bool)])
        return start + np.arange(len(gid), dtype=np.int64)


def design_cases(
    rng: np.random.Generator, n_cases: int, min_actors: int, max_actors: int, single: int | None
) -> tuple[list[Case], np.ndarray]:
    """Cases with a design type (sector mix), a governance context and a first-wave size."""
    if single is not None:
        sizes = np.array([int(single)])
    else:
        lo, hi = math.log(min_actors), math.log(max_actors + 1)
        sizes = np.clip(np.floor(np.exp(rng.uniform(lo, hi, n_cases))), min_actors, max_actors).astype(np.int64)
    width = max(2, len(str(len(sizes))))
    kinds = rng.choice(len(CASE_TYPES), size=len(sizes), p=_CASE_TYPE_P)
    governance = rng.choice(len(GOVERNANCE), size=len(sizes), p=[0.3, 0.4, 0.3])
    cases = [
        Case(
            index=i,
            case_id=f"case{i + 1:0{width}d}",
            kind=int(kinds[i]),
            governance=int(governance[i]),
            mix=rng.dirichlet(_CASE_MIX_ALPHA[kinds[i]]),
            n_communities=max(1, int(round(size / _COMMUNITY_SIZE))),
        )
        for i, size in enumerate(sizes)
    ]
    return cases, sizes


def _assign_orgs(
    rng: np.random.Generator, registry: Registry, sector: np.ndarray, community: np.ndarray
) -> np.ndarray:
    """Organisations nested in (community, sector), about 3.5 members each and skewed in size."""
    org = np.full(len(sector), -1, dtype=np.int64)
    members = np.flatnonzero(sector != 3)
    if len(members) == 0:
        return org
    keys, inverse, counts = np.unique(community[members] * 4 + sector[members], return_inverse=True,
                                      return_counts=True)
    n_orgs = np.maximum(1, np.round(counts / 3.5)).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(n_orgs)[:-1]])
    local = np.minimum(np.floor(n_orgs[inverse] * rng.random(len(members)) ** 1.6), n_orgs[inverse] - 1)
    used, compact = np.unique(offsets[inverse] + local.astype(np.int64), return_inverse=True)
    ids = registry.new_orgs(rng, np.repeat(keys % 4, n_orgs)[used])
    org[members] = ids[compact]
    return org


def _activity(rng: np.random.Generator, rank: np.ndarray) -> np.ndarray:
    """Heavy-tailed (log-normal) activity, slightly higher with rank."""
    return np.exp(rng.normal(0.08 * (rank - 5.0), 0.9))


def initial_roster(rng: np.random.Generator, case: Case, size: int, registry: Registry) -> None:
    """The first-wave actors of a case."""
    sector = rng.choice(4, size=size, p=case.mix).astype(np.int64)
    sector[0] = 0  # public-sector innovation: every case has a public actor
    if case.n_communities > 1:
        weights = rng.lognormal(0.0, 0.5, case.n_communities)
        community = rng.choice(case.n_communities, size=size, p=weights / weights.sum()).astype(np.int64)
    else:
        community = np.zeros(size, dtype=np.int64)
    org = _assign_orgs(rng, registry, sector, community)
    gid, rank = registry.add(rng, sector, org, 0)
    case.extend(gid, sector, org, community, _activity(rng, rank))


def _pick_holder(rng: np.random.Generator, case: Case, role: int, eligible: np.ndarray) -> int:
    weights = _ROLE_SECTOR[role][case.sector] * np.sqrt(case.activity) * eligible
    if weights.sum() <= 0:
        return -1
    return int(rng.choice(len(weights), p=weights / weights.sum()))


def _set_holder(rng: np.random.Generator, case: Case, role: int, eligible: np.ndarray) -> None:
    h = _pick_holder(rng, case, role, eligible)
    if h >= 0:
        case.holders[role] = h
        case.scores[role] = int(rng.choice([2, 3, 4, 5], p=[0.1, 0.25, 0.35, 0.3]))
        eligible[h] = False


def initial_roles(rng: np.random.Generator, case: Case) -> None:
    """First-wave role holders: each role present with a probability set by governance."""
    eligible = case.in_roster.copy()
    for r in range(3):
        if rng.random() < _ROLE_PRESENT[case.governance]:
            _set_holder(rng, case, r, eligible)


def evolve_roster(
    rng: np.random.Generator,
    case: Case,
    wave: int,
    registry: Registry,
    min_actors: int,
    max_actors: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Leavers, joiners and role changes before a later wave.

    Returns the joiners (local indices), the leavers (actor codes) and the
    role holders of the previous wave.
    """
    previous_holders = case.holders.copy()
    roster = np.flatnonzero(case.in_roster)
    n = len(roster)
    may_leave = roster[~isin_sorted(roster, case.holders[case.holders >= 0])]
    leaves = may_leave[rng.random(len(may_leave)) < _LEAVE_P[case.sector[may_leave]]]
    leaves = leaves[: max(0, n - min_actors)]
    n_join = int(rng.poisson(n * (0.06 + 0.12 * (case.holders[2] >= 0))))  # catalysts bring in actors
    n_after = n - len(leaves)
    if max_actors is not None:
        n_join = min(n_join, max(0, max_actors - n_after))
    n_join = max(n_join, min_actors - n_after, 0)
    case.in_roster[leaves] = False
    joiners = np.zeros(0, dtype=np.int64)
    if n_join:
        sector = rng.choice(4, size=n_join, p=case.mix).astype(np.int64)
        sizes = np.bincount(case.community[case.in_roster], minlength=case.n_communities) + 1.0
        community = rng.choice(case.n_communities, size=n_join, p=sizes / sizes.sum()).astype(np.int64)
        incumbents = np.flatnonzero(case.in_roster & (case.sector != 3))
        org = np.full(n_join, -1, dtype=np.int64)
        if len(incumbents):  # most joiners come from an organisation already taking part
            label = case.community[incumbents] * 4 + case.sector[incumbents]
            peer = _draw(rng, _sampler(label, np.ones(len(incumbents))), community * 4 + sector)
            take = (peer >= 0) & (sector != 3) & (rng.random(n_join) < 0.6)
            org[take] = case.org[incumbents[peer[take]]]
        fresh = (org < 0) & (sector != 3)
        org[fresh] = registry.new_orgs(rng, sector[fresh])
        gid, rank = registry.add(rng, sector, org, wave)
        joiners = case.extend(gid, sector, org, community, _activity(rng, rank))
    eligible = case.in_roster.copy()
    eligible[joiners] = False
    eligible[case.holders[case.holders >= 0]] = False
    present = _ROLE_PRESENT[case.governance]
    appear = (1.0 - _ROLE_KEEP) * present / (1.0 - present)  # keeps the share present stationary
    for r in range(3):
        if case.holders[r] >= 0:
            if rng.random() >= _ROLE_KEEP:
                case.holders[r] = -1
        elif rng.random() < appear:
            _set_holder(rng, case, r, eligible)
    return joiners, case.gid[leaves], previous_holders


# ============================================================ one case-wave
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


@dataclass
class _Members:
    """The active (non-isolate) members of a case in a wave, indexed 0..na-1."""

    local: np.ndarray  # local case index of each active member
    sector: np.ndarray
    org_label: np.ndarray  # organisation, or a unique negative label for citizens
    community: np.ndarray
    role: np.ndarray  # 0 none, 1 convener, 2 facilitator, 3 catalyst
    entry: np.ndarray  # joiners: day of entry; others -1
    w_src: np.ndarray  # propensity to report
    w_tgt: np.ndarray  # propensity to be named or invited

    @property
    def n(self) -> int:
        return len(self.local)


def _members(rng: np.random.Generator, case: Case, calendar: Calendar, joiners: np.ndarray):
    roster = np.flatnonzero(case.in_roster)
    holders = case.holders[case.holders >= 0]
    may_isolate = ~isin_sorted(roster, holders) & ~isin_sorted(roster, joiners)
    isolate = may_isolate & (rng.random(len(roster)) < _ISOLATE_P[case.sector[roster]])
    if len(roster) - isolate.sum() < 3:
        isolate[:] = False
    local = roster[~isolate]
    na = len(local)
    pos = np.full(len(case.gid), -1, dtype=np.int64)
    pos[local] = np.arange(na)
    sector = case.sector[local]
    org = case.org[local]
    activity = case.activity[local]
    role = np.zeros(na, dtype=np.int64)
    intensity = np.ones(na)
    for r in range(3):
        if case.holders[r] >= 0:
            role[pos[case.holders[r]]] = r + 1
            intensity[pos[case.holders[r]]] = 0.5 + case.scores[r] / 8.0
    entry = np.full(na, -1, dtype=np.int64)
    entry[pos[joiners]] = np.floor(rng.random(len(joiners)) * 0.6 * calendar.length).astype(np.int64)
    members = _Members(
        local=local,
        sector=sector,
        org_label=np.where(org >= 0, org, -1 - np.arange(na)),
        community=case.community[local],
        role=role,
        entry=entry,
        w_src=activity * _SECTOR_ACTIVITY[sector] * (1.0 + (_ROLE_SOURCE_BOOST[role] - 1.0) * intensity),
        w_tgt=activity**0.7 * _SECTOR_ATTRACT[sector] * _ROLE_TARGET_BOOST[role],
    )
    return members, pos, roster[isolate]


def _sponsor_ties(
    rng: np.random.Generator, m: _Members, joiners: np.ndarray, catalysts: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Sponsor → joiner: the catalysts first (up to the cap each), else an incumbent of the community."""
    if len(joiners) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    incumbents = np.flatnonzero(m.entry < 0)
    if len(incumbents) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    sponsor = _draw(rng, _sampler(m.community[incumbents], m.w_src[incumbents]), m.community[joiners])
    sponsor = incumbents[np.where(sponsor >= 0, sponsor, 0)]
    if catalysts:
        k = min(len(joiners), CATALYST_SPONSOR_CAP * len(catalysts))
        chosen = rng.permutation(len(joiners))[:k]
        sponsor[chosen] = np.asarray(catalysts)[np.arange(k) % len(catalysts)]
    return sponsor, joiners


def _contacts(
    rng: np.random.Generator, m: _Members, n_draws: int, tied_already: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    """Who names whom: arcs (source, target, kind) and the facilitators' teams."""
    na = m.n
    zero = np.zeros(na, dtype=np.int64)
    src = _draw(rng, _sampler(zero, m.w_src), np.zeros(n_draws, dtype=np.int64))
    pool = _categorical(rng, _POOL_PROBS[m.role[src]])
    org_size, cs_size, comm_size = (
        _group_sizes(m.org_label),
        _group_sizes(m.community * 4 + m.sector),
        _group_sizes(m.community),
    )
    pool = np.where((pool == _ORG) & (org_size[src] < 2), _COMM, pool)
    pool = np.where((pool == _COMM_SECTOR) & (cs_size[src] < 2), _COMM, pool)
    pool = np.where(((pool == _COMM) | (pool == _CROSS)) & (comm_size[src] < 2), _CASE, pool)
    cs_label = m.community * 4 + m.sector
    samplers = (
        (_sampler(m.org_label, m.w_tgt), m.org_label),
        (_sampler(cs_label, m.w_tgt), cs_label),
        (_sampler(m.community, m.w_tgt), m.community),
        (_sampler(zero, m.w_tgt), zero),
        (_sampler(m.community, np.ones(na)), m.community),
        (_sampler(zero, 1.0 / m.w_tgt), zero),
    )
    tgt = np.full(n_draws, -1, dtype=np.int64)
    team_s, team_t = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    teams: dict[int, np.ndarray] = {}
    for f in np.flatnonzero(m.role == 2):
        mates = np.flatnonzero((m.community == m.community[f]) & (np.arange(na) != f))
        k = min(len(mates), _TEAM_SIZE + int(rng.poisson(3)))
        if k == 0:
            continue
        keys = np.log(m.w_tgt[mates]) + rng.gumbel(size=len(mates))
        team = mates[np.argsort(-keys, kind="stable")[:k]]  # k draws ∝ w_tgt without replacement
        teams[int(f)] = team
        sel = (src == f) & (pool == _TEAM)
        tgt[sel] = team[rng.integers(k, size=int(sel.sum()))]
        i, j = np.triu_indices(k, 1)
        tied = rng.random(len(i)) < _TEAM_CLOSURE
        flip = rng.random(len(i)) < 0.5
        a, b = team[i[tied]], team[j[tied]]
        team_s.append(np.where(flip[tied], b, a))
        team_t.append(np.where(flip[tied], a, b))
    pool[(pool == _TEAM) & (tgt < 0)] = _CASE
    for _ in range(12):  # redraw self-ties and same-sector draws of the cross-sector pools
        safe = np.maximum(tgt, 0)
        cross = (pool == _CROSS) | (pool == _PERIPHERY)
        need = (tgt < 0) | (tgt == src) | (cross & (m.sector[safe] == m.sector[src]))
        if not need.any():
            break
        for p, (smp, label) in enumerate(samplers):
            sel = need & (pool == p)
            if sel.any():
                tgt[sel] = _draw(rng, smp, label[src[sel]])
    bad = (tgt < 0) | (tgt == src)
    if bad.any():
        tgt[bad] = _draw(rng, samplers[_CASE][0], np.zeros(int(bad.sum()), dtype=np.int64))
    keep = (tgt >= 0) & (tgt != src)
    src, tgt = src[keep], tgt[keep]
    kind = np.where(pool[keep] == _PERIPHERY, _WEAK_TIE, _CONTACT)
    team_s, team_t = np.concatenate(team_s), np.concatenate(team_t)
    # every active respondent names at least one contact
    named = np.bincount(np.concatenate([src, tgt, team_s, team_t, tied_already]), minlength=na)
    silent = np.flatnonzero(named == 0)
    if len(silent):
        contact = _draw(rng, samplers[_COMM][0], m.community[silent])
        retry = contact == silent
        contact[retry] = _draw(rng, samplers[_CASE][0], np.zeros(int(retry.sum()), dtype=np.int64))
        ok = (contact >= 0) & (contact != silent)
        src, tgt = np.concatenate([src, silent[ok]]), np.concatenate([tgt, contact[ok]])
        kind = np.concatenate([kind, np.full(int(ok.sum()), _CONTACT)])
    src = np.concatenate([src, team_s])
    tgt = np.concatenate([tgt, team_t])
    kind = np.concatenate([kind, np.full(len(team_s), _TEAM_TIE)])
    return src, tgt, kind, teams


def _arcs(
    rng: np.random.Generator, m: _Members, s: np.ndarray, t: np.ndarray, kind: np.ndarray, directed: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct arcs (pairs when undirected) with a latent strength; reports from the other side."""
    na = m.n
    key = s * na + t if directed else np.minimum(s, t) * na + np.maximum(s, t)
    first = first_index(key)
    s, t, kind, key = s[first], t[first], kind[first], key[first]
    fac = (m.role[s] == 2) | (m.role[t] == 2)
    z = (
        0.8 * ((m.org_label[s] == m.org_label[t]) & (m.org_label[s] >= 0))
        + 0.4 * (m.sector[s] == m.sector[t])
        + 0.3 * (m.community[s] == m.community[t])
        + 1.3 * fac
        + 0.4 * (kind == _TEAM_TIE)
        - 1.5 * (kind == _WEAK_TIE)
        + rng.normal(0.0, 0.6, len(s))
    )
    if directed:
        p_back = np.where(
            kind == _WEAK_TIE, 0.1, np.where(kind == _SPONSOR_TIE, 0.5, expit(-0.7 + 0.9 * z + 1.2 * fac))
        )
        back = (rng.random(len(s)) < p_back) & ~isin_sorted(t * na + s, key)
        s, t = np.concatenate([s, t[back]]), np.concatenate([t, s[back]])
        kind = np.concatenate([kind, kind[back]])
        z = np.concatenate([z, z[back] + rng.normal(0.0, 0.3, int(back.sum()))])
    return s, t, kind, z


def _records(
    rng: np.random.Generator,
    m: _Members,
    arcs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    n_records: int,
    calendar: Calendar,
    weights: np.ndarray,
) -> dict[str, np.ndarray]:
    """Interaction records of the arcs: repeated on strong ties, one on sponsor and weak catalyst ties."""
    s, t, kind, z = arcs
    n_arcs = len(s)
    fixed = kind >= _SPONSOR_TIE
    lam = np.exp(0.7 * z)
    scale = max(n_records - n_arcs, 0) / max(lam[~fixed].sum(), 1e-12)
    arc = np.repeat(np.arange(n_arcs), 1 + np.where(fixed, 0, rng.poisson(scale * lam)))
    n_rec = len(arc)
    rs, rt, rk, rz = s[arc], t[arc], kind[arc], z[arc]
    # phase: the wave's mix × both ends' sector and role affinities; date inside the phase
    affinity = (
        weights[None, :]
        * _SECTOR_PHASE[m.sector[s]]
        * _SECTOR_PHASE[m.sector[t]]
        * _ROLE_PHASE[m.role[s]]
        * _ROLE_PHASE[m.role[t]]
    )
    cum = np.cumsum(affinity / affinity.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n_rec)
    phase = sum((u >= cum[arc, k]).astype(np.int64) for k in range(3))
    day = calendar.day_in(rng, phase)
    # a joiner's sponsor tie is dated on its entry day, everything else of it later
    limit = np.maximum(m.entry[rs], m.entry[rt])
    intro = rk == _SPONSOR_TIE
    late = ~intro & (limit >= 0) & (day <= limit)
    span = np.maximum(calendar.length - limit - 1, 1)
    day = np.where(intro, limit, day)
    day = np.where(late, limit + 1 + np.floor(rng.random(n_rec) * span).astype(np.int64), day)
    day = np.minimum(day, calendar.length - 1)
    phase = np.where(intro | late, calendar.phase_of(day), phase)
    strong = z > 0.5
    primary = np.where(
        strong,
        _categorical(rng, np.broadcast_to(_CHANNEL_STRONG, (n_arcs, 5))),
        _categorical(rng, np.broadcast_to(_CHANNEL_WEAK, (n_arcs, 5))),
    )
    p_other = np.where(fixed, 0.0, np.where(strong, 0.5, 0.15))  # multiplex strong ties
    other = rng.random(n_rec) < p_other[arc]
    channel = np.where(other, rng.integers(0, 5, n_rec), primary[arc])
    frequency = 1 + np.where(rk >= _SPONSOR_TIE, 0, rng.poisson(np.exp(-0.8 + 0.5 * rz)))
    closeness = np.clip(np.round(2.9 + 0.8 * rz + rng.normal(0.0, 0.5, n_rec)), 1, 5).astype(np.int64)
    closeness = np.where(rk == _WEAK_TIE, np.minimum(closeness, 2), closeness)
    minutes = frequency * _CHANNEL_MINUTES[channel] * np.exp(rng.normal(0.0, 0.35, n_rec))
    short = (channel == 2) | (channel == 3)  # email and phone to the minute, the rest to 5 minutes
    duration = np.where(short, np.maximum(1, np.round(minutes)), np.maximum(5, np.round(minutes / 5) * 5))
    duration = duration.astype(np.int64)
    _bump_duplicates(arc, day, phase, channel, closeness, frequency, duration)
    return {
        "src": rs,
        "tgt": rt,
        "frequency": frequency,
        "duration": duration,
        "closeness": closeness,
        "channel": channel,
        "phase": phase,
        "day": day,
    }


def _bump_duplicates(arc, day, phase, channel, closeness, frequency, duration) -> None:
    """Records that happen to repeat another record of their arc exactly get one more minute (in place)."""
    for _ in range(50):
        cols = (arc, day, phase, channel, closeness, frequency, duration)
        packed = _pack(*cols)
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
    teams: dict[int, np.ndarray],
) -> dict[str, np.ndarray]:
    """Meetings and workshops with 3–15 attendees of one community.

    Facilitators attend most (and their team fills most seats), conveners the
    early ones; invitations follow the sector's phase affinity; joiners attend
    only after their entry day.
    """
    na = m.n
    n_events = max(1, int(rng.poisson(0.8 + n_roster / 10)))
    comm_size = np.bincount(m.community, minlength=int(m.community.max()) + 1)
    ev_comm = rng.choice(len(comm_size), size=n_events, p=comm_size / comm_size.sum())
    ev_phase = rng.choice(4, size=n_events, p=weights / weights.sum())
    ev_day = calendar.day_in(rng, ev_phase)
    ev_type = (rng.random(n_events) < np.where(ev_phase <= 1, 0.6, 0.3)).astype(np.int64)
    ev_duration = np.where(
        ev_type == 1, 120 + 30 * rng.integers(0, 9, n_events), 60 + 15 * rng.integers(0, 5, n_events)
    )
    size = np.minimum(3 + rng.binomial(9, 0.35, n_events), comm_size[ev_comm])
    holder_ev, holder = [], []
    for h in np.flatnonzero(m.role > 0):
        go = rng.random(n_events) < _ROLE_EVENTS[m.role[h], ev_phase]
        go &= (ev_comm == m.community[h]) & (m.entry[h] < ev_day)
        holder_ev.append(np.flatnonzero(go))
        holder.append(np.full(int(go.sum()), h, dtype=np.int64))
    cand_event = np.repeat(np.arange(n_events), 4 * size)
    cand = _draw(rng, _sampler(m.community, m.w_tgt), ev_comm[cand_event])
    for f, team in teams.items():
        hosted = np.zeros(n_events, dtype=bool)
        for e, a in zip(holder_ev, holder, strict=True):
            hosted[e[a == f]] = True
        swap = hosted[cand_event] & (rng.random(len(cand)) < _TEAM_EVENT_SHARE)
        cand[swap] = team[rng.integers(len(team), size=int(swap.sum()))]
    accept = rng.random(len(cand)) < _SECTOR_PHASE[m.sector[cand], ev_phase[cand_event]] / _SECTOR_PHASE.max()
    accept &= m.entry[cand] < ev_day[cand_event]
    cand, cand_event = cand[accept], cand_event[accept]
    first = first_index(cand_event * na + cand)
    cand, cand_event = cand[first], cand_event[first]
    rank = np.arange(len(cand)) - np.searchsorted(cand_event, cand_event, "left")
    keep = rank < size[cand_event]
    ev = np.concatenate([*holder_ev, cand_event[keep]])
    actor = np.concatenate([*holder, cand[keep]])
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


def wave_fieldwork(
    rng: np.random.Generator,
    case: Case,
    calendar: Calendar,
    weights: np.ndarray,
    records_per_actor: float,
    directed: bool,
    joiners: np.ndarray,
    sponsors_from: np.ndarray,
) -> dict[str, np.ndarray]:
    """Interaction records and events of one case in one wave.

    Parameters
    ----------
    rng
        The case-wave's generator.
    case
        The case, its roster already updated for the wave.
    calendar
        The case's phase intervals in the wave's year.
    weights
        The wave's phase mix (:func:`phase_weights`).
    records_per_actor
        Expected records per roster member.
    directed
        Survey reports (some ties reported from both sides) or co-presence
        logs (each pair in one orientation).
    joiners
        Local indices of the actors who joined the case in this wave.
    sponsors_from
        Local indices of the catalysts whose joiners attach to them first
        (the previous and the current wave's; -1 for none).

    Returns
    -------
    dict
        Records (``src, tgt`` as local case indices, ``frequency, duration,
        closeness, channel, phase, day``), attendance (``event`` per
        attendee, ``attendee``), per event ``ev_day, ev_phase, ev_duration,
        ev_type``, and the roster's planted ``isolates``.
    """
    m, pos, isolates = _members(rng, case, calendar, joiners)
    catalysts = [int(pos[h]) for h in unique_sorted(sponsors_from) if h >= 0 and pos[h] >= 0]
    sponsor_s, sponsor_t = _sponsor_ties(rng, m, pos[joiners], catalysts)
    n_roster = int(case.in_roster.sum())
    n_records = int(rng.poisson(records_per_actor * n_roster))
    n_draws = max(1, int(round(n_records / (3.0 if directed else 2.2))))
    src, tgt, kind, teams = _contacts(rng, m, n_draws, np.concatenate([sponsor_s, sponsor_t]))
    arcs = _arcs(
        rng,
        m,
        np.concatenate([sponsor_s, src]),
        np.concatenate([sponsor_t, tgt]),
        np.concatenate([np.full(len(sponsor_s), _SPONSOR_TIE), kind]),
        directed,
    )
    records = _records(rng, m, arcs, n_records, calendar, weights)
    events = _events(rng, m, n_roster, calendar, weights, teams)
    records["src"] = m.local[records["src"]]
    records["tgt"] = m.local[records["tgt"]]
    return {
        **records,
        "event": events["event"],
        "attendee": m.local[events["actor"]],
        "ev_day": events["day"],
        "ev_phase": events["phase"],
        "ev_duration": events["duration"],
        "ev_type": events["type"],
        "isolates": isolates,
    }
