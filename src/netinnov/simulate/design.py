"""The latent design of a synthetic dataset: cases, their actors, drivers, hubs and rosters.

A case (Sørensen & Torfing 2013) is an innovation process followed over
waves. Its latent design, drawn once, holds

* a **collaboration type** — who drives the innovation, after the CLIPS
  typology: one individual change agent, a public–private coalition, or
  several public agencies (``individual_change_agent | public_private |
  inter_agency``, planted about 30 / 40 / 30 %). The type does *not* set the
  sector composition of the roster: every type draws its roster from the same
  multi-sector population, so public–private ties occur in all types;
* its **drivers** (1 for a change-agent case, 2–3 otherwise), who initiate
  and carry the innovation (Sørensen & Torfing 2013): their activity is set
  by driving (4 × √ of their base activity, so coalition drivers share the
  work more evenly than the heavy-tailed base would), and in the fieldwork
  (:mod:`netinnov.simulate.fieldwork`) they start the case's early work,
  reach most members across sectors and keep working through implementation;
  a change agent carries most of the case's work. Inter-agency drivers are
  public actors of at least two different organisations; a public–private
  coalition has at least one private or civil-society driver;
* **hubs**: a few very active actors (activity × 8) who hold no role and
  drive nothing — their work is operational, leaning to implementation and
  diffusion — so that neither role holders nor drivers are simply the most
  active actors;
* a **governance** context (NPM, hybrid, NPG; Sørensen & Torfing 2013) that
  makes leadership roles more or less likely (:mod:`netinnov.simulate.roles`);
* a design **sector mix** (the population the case recruits from), a latent
  **openness** to cross-sector joint work, a **response rate** and a
  **case effect** on the outcomes (:mod:`netinnov.simulate.outcomes`).

Between waves members leave and new actors join; a catalyst recruits extra
newcomers (:func:`evolve_roster`). Everything is vectorised over actors;
loops run over cases only.

References
----------
Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking
collaboration, leadership and public governance*. NESTA Social Frontiers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from netinnov.contract import LEADERSHIP_ROLES, PHASES

from .arrays import draw, isin_sorted, sampler
from .outcomes import CASE_EFFECT_SD

__all__ = [
    "CATALYST_SPONSOR_CAP",
    "CHANNELS",
    "COLLABORATION_TYPES",
    "EVENT_TYPES",
    "FIRST_YEAR",
    "GOVERNANCE",
    "ORG_KINDS",
    "PHASES",
    "LEADERSHIP_ROLES",
    "SECTORS",
    "Case",
    "Registry",
    "design_cases",
    "evolve_roster",
    "initial_roster",
]

SECTORS = ("public", "private", "civil_society", "citizen")
CHANNELS = ("meeting", "workshop", "email", "phone", "informal")
GOVERNANCE = ("NPM", "hybrid", "NPG")
EVENT_TYPES = ("meeting", "workshop")
COLLABORATION_TYPES = ("individual_change_agent", "public_private", "inter_agency")
ORG_KINDS = (
    ("municipality", "police", "school", "social_services", "housing_agency", "health_service"),
    ("firm", "consultancy", "security_company", "housing_company"),
    ("ngo", "association", "sports_club", "church_group", "volunteer_centre"),
    (),
)
#: Wave ``wk`` covers the calendar year ``FIRST_YEAR + k - 1``.
FIRST_YEAR = 2023
#: A catalyst recruits at most this many newcomers per wave (matters in large cases only).
CATALYST_SPONSOR_CAP = 50

_PUBLIC, _PRIVATE, _CIVIL, _CITIZEN = range(4)
_TYPE_P = np.array([0.3, 0.4, 0.3])
_GOVERNANCE_P = np.array([0.3, 0.4, 0.3])
#: One population for every case type: multi-sector rosters everywhere.
_MIX_ALPHA = np.array([2.2, 1.0, 1.4, 0.7])
_DRIVER_ACTIVITY = 4.0
_HUB_ACTIVITY = 8.0
_HUB_P = 0.03
_LEAVE_P = np.array([0.08, 0.08, 0.08, 0.20])
_JOIN_RATE = 0.06
_COMMUNITY_SIZE = 60
_RESPONSE_RANGE = (0.6, 0.95)


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


def _empty(dtype=np.int64) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


@dataclass
class Case:
    """One innovation case: its latent design and every actor it ever had (local indices).

    ``holders`` are the latent role holders of the current wave (-1: role
    absent), ``drivers`` and ``hubs`` local indices, ``recruits`` the
    newcomers the catalyst brings in during the current wave.
    """

    index: int
    case_id: str
    kind: int
    governance: int
    mix: np.ndarray
    n_communities: int
    openness: float
    response_rate: float
    case_effect: float
    gid: np.ndarray = field(default_factory=_empty)
    sector: np.ndarray = field(default_factory=_empty)
    org: np.ndarray = field(default_factory=_empty)
    community: np.ndarray = field(default_factory=_empty)
    activity: np.ndarray = field(default_factory=lambda: _empty(float))
    in_roster: np.ndarray = field(default_factory=lambda: _empty(bool))
    drivers: np.ndarray = field(default_factory=_empty)
    hubs: np.ndarray = field(default_factory=_empty)
    holders: np.ndarray = field(default_factory=lambda: np.full(3, -1, dtype=np.int64))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(3, dtype=np.int64))
    recruits: np.ndarray = field(default_factory=_empty)

    def keep(self) -> np.ndarray:
        """Local indices of the actors who never leave: drivers, hubs and role holders."""
        return np.unique(np.concatenate([self.drivers, self.hubs, self.holders[self.holders >= 0]]))

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
    rng: np.random.Generator, n_cases: int, min_actors: int, max_actors: int, single: int | None,
    case_effect_sd: float = CASE_EFFECT_SD,
) -> tuple[list[Case], np.ndarray]:
    """Cases with a latent design (type, governance, mix, openness, response rate, case effect) and a size.

    The case effect (random intercept of the outcome model) is
    :math:`u_c \\sim N(0, \\sigma_u^2)` with :math:`\\sigma_u` = ``case_effect_sd``.
    """
    if single is not None:
        sizes = np.array([int(single)])
    else:
        lo, hi = math.log(min_actors), math.log(max_actors + 1)
        sizes = np.clip(np.floor(np.exp(rng.uniform(lo, hi, n_cases))), min_actors, max_actors).astype(np.int64)
    n = len(sizes)
    width = max(2, len(str(n)))
    kinds = rng.choice(len(COLLABORATION_TYPES), size=n, p=_TYPE_P)
    governance = rng.choice(len(GOVERNANCE), size=n, p=_GOVERNANCE_P)
    mix = rng.dirichlet(_MIX_ALPHA, size=n)
    openness = rng.normal(0.0, 1.0, n)
    response = rng.uniform(*_RESPONSE_RANGE, n)
    effect = rng.normal(0.0, case_effect_sd, n)
    cases = [
        Case(
            index=i,
            case_id=f"case{i + 1:0{width}d}",
            kind=int(kinds[i]),
            governance=int(governance[i]),
            mix=mix[i],
            n_communities=max(1, int(round(size / _COMMUNITY_SIZE))),
            openness=float(openness[i]),
            response_rate=float(response[i]),
            case_effect=float(effect[i]),
        )
        for i, size in enumerate(sizes)
    ]
    return cases, sizes


def _assign_orgs(
    rng: np.random.Generator, registry: Registry, sector: np.ndarray, community: np.ndarray
) -> np.ndarray:
    """Organisations nested in (community, sector), about 3.5 members each and skewed in size."""
    org = np.full(len(sector), -1, dtype=np.int64)
    members = np.flatnonzero(sector != _CITIZEN)
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


def _pick(rng: np.random.Generator, weights: np.ndarray) -> int:
    """One index with probability ∝ weights (-1 when all are zero)."""
    total = weights.sum()
    return int(rng.choice(len(weights), p=weights / total)) if total > 0 else -1


def _drivers(rng: np.random.Generator, case: Case) -> np.ndarray:
    """The case's drivers, after its collaboration type (see the module docstring)."""
    sector, act = case.sector, np.sqrt(case.activity)
    public, other = (sector == _PUBLIC), (sector == _PRIVATE) | (sector == _CIVIL)
    chosen: list[int] = []

    def add(weights: np.ndarray) -> None:
        w = weights * act
        w[chosen] = 0.0
        k = _pick(rng, w)
        if k >= 0:
            chosen.append(k)

    if case.kind == 0:  # one individual change agent, most often a public employee
        add(np.array([0.6, 0.15, 0.25, 0.0])[sector])
        return np.array(chosen, dtype=np.int64)
    n = 2 + int(rng.random() < 0.5)
    if case.kind == 2:  # inter-agency: public drivers of at least two organisations
        add(public.astype(float))
        add((public & (case.org != case.org[chosen[0]])).astype(float))
        if n == 3:
            add(public.astype(float))
    else:  # public-private: at least one private or civil-society driver
        add(other.astype(float))
        add(public.astype(float))
        if n == 3:
            add((sector != _CITIZEN).astype(float))
    return np.array(chosen, dtype=np.int64)


def initial_roster(rng: np.random.Generator, case: Case, size: int, registry: Registry) -> None:
    """The first-wave actors of a case, its drivers and hubs.

    The roster is drawn from the case's sector mix; two seats are fixed so
    that the type's drivers exist (a public actor in every case; for an
    inter-agency case a second public actor of another organisation, for a
    public–private case a private or civil-society actor).
    """
    sector = rng.choice(4, size=size, p=case.mix).astype(np.int64)
    sector[0] = _PUBLIC
    if size > 1 and case.kind == 2:
        sector[1] = _PUBLIC
    elif size > 1 and case.kind == 1:
        sector[1] = _PRIVATE if rng.random() < 0.5 else _CIVIL
    if case.n_communities > 1:
        weights = rng.lognormal(0.0, 0.5, case.n_communities)
        community = rng.choice(case.n_communities, size=size, p=weights / weights.sum()).astype(np.int64)
    else:
        community = np.zeros(size, dtype=np.int64)
    org = _assign_orgs(rng, registry, sector, community)
    if size > 1 and case.kind == 2 and org[1] == org[0]:
        org[1] = registry.new_orgs(rng, np.array([_PUBLIC]))[0]
    gid, rank = registry.add(rng, sector, org, 0)
    case.extend(gid, sector, org, community, _activity(rng, rank))
    case.drivers = _drivers(rng, case)
    case.activity[case.drivers] = _DRIVER_ACTIVITY * np.sqrt(case.activity[case.drivers])  # driving sets the pace
    free = np.flatnonzero(~np.isin(np.arange(size), case.drivers))
    n_hubs = min(len(free), max(1, int(rng.binomial(size, _HUB_P))))
    case.hubs = np.sort(rng.choice(free, size=n_hubs, replace=False)) if n_hubs else _empty()
    case.activity[case.hubs] *= _HUB_ACTIVITY


def n_recruits(rng: np.random.Generator, n_roster: int) -> int:
    """How many newcomers a catalyst recruits in a wave: Poisson(1.5 + 0.1 n), capped."""
    return min(int(rng.poisson(1.5 + 0.1 * n_roster)), CATALYST_SPONSOR_CAP)


def first_wave_recruits(rng: np.random.Generator, case: Case) -> None:
    """In the first wave a catalyst's recruits are first-wave actors who enter during the wave."""
    case.recruits = _empty()
    if case.holders[2] < 0:
        return
    free = np.flatnonzero(case.in_roster & ~np.isin(np.arange(len(case.gid)), case.keep()))
    k = min(n_recruits(rng, int(case.in_roster.sum())), len(free) // 4)
    if k:
        case.recruits = np.sort(rng.choice(free, size=k, replace=False))


def evolve_roster(
    rng: np.random.Generator,
    case: Case,
    wave: int,
    registry: Registry,
    min_actors: int,
    max_actors: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Leavers and joiners before a later wave (the roles have already been updated).

    About 8 % of members leave (20 % of citizens; drivers, hubs and role
    holders stay). New actors join at a base rate of 6 % of the roster; a
    catalyst recruits :func:`n_recruits` more, who are kept first when the
    roster bound caps the joiners. Returns the joiners (local indices) and the
    leavers (actor codes); the recruits are stored in ``case.recruits``.
    """
    roster = np.flatnonzero(case.in_roster)
    n = len(roster)
    may_leave = roster[~isin_sorted(roster, case.keep())]
    leaves = may_leave[rng.random(len(may_leave)) < _LEAVE_P[case.sector[may_leave]]]
    leaves = leaves[: max(0, n - min_actors)]
    n_base = int(rng.poisson(n * _JOIN_RATE))
    n_rec = n_recruits(rng, n) if case.holders[2] >= 0 else 0
    n_after = n - len(leaves)
    if max_actors is not None:
        room = max(0, max_actors - n_after)
        n_rec = min(n_rec, room)
        n_base = min(n_base, room - n_rec)
    n_base = max(n_base, min_actors - n_after - n_rec, 0)
    n_join = n_base + n_rec
    case.in_roster[leaves] = False
    joiners = _empty()
    if n_join:
        sector = rng.choice(4, size=n_join, p=case.mix).astype(np.int64)
        sizes = np.bincount(case.community[case.in_roster], minlength=case.n_communities) + 1.0
        community = rng.choice(case.n_communities, size=n_join, p=sizes / sizes.sum()).astype(np.int64)
        incumbents = np.flatnonzero(case.in_roster & (case.sector != _CITIZEN))
        org = np.full(n_join, -1, dtype=np.int64)
        if len(incumbents):  # most joiners come from an organisation already taking part
            label = case.community[incumbents] * 4 + case.sector[incumbents]
            peer = draw(rng, sampler(label, np.ones(len(incumbents))), community * 4 + sector)
            take = (peer >= 0) & (sector != _CITIZEN) & (rng.random(n_join) < 0.6)
            org[take] = case.org[incumbents[peer[take]]]
        fresh = (org < 0) & (sector != _CITIZEN)
        org[fresh] = registry.new_orgs(rng, sector[fresh])
        gid, rank = registry.add(rng, sector, org, wave)
        joiners = case.extend(gid, sector, org, community, _activity(rng, rank))
    case.recruits = joiners[n_base:]
    return joiners, case.gid[leaves]
