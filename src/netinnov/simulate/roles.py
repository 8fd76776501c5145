"""Latent leadership roles and their noisy survey report.

Each case-wave has at most one latent holder per role — convener,
facilitator, catalyst (Ansell & Gash 2012; Crosby & Bryson 2010; Sørensen &
Torfing 2013). A role is present with a probability set by the governance
context (NPM 0.35, hybrid 0.5, NPG 0.65: New Public Governance is argued to
support collaborative leadership); a present role is kept into the next wave
with probability 0.8 and an absent one appears at the rate that keeps the
share present stationary. Holders are drawn among members who are neither
drivers nor hubs, with a sector preference per role and only a weak
dependence on activity (activity^¼), so that holders are not simply the most
active actors. What a holder *does* is planted by
:mod:`netinnov.simulate.fieldwork`; an absent role leaves no trace beyond
chance.

``roles.csv`` is a survey report of the latent holders (:func:`survey_report`):
a case-wave goes unsurveyed with probability 0.08 (no rows); otherwise each
holder is reported with probability 0.8, and a role that nobody holds is
falsely reported with probability 0.06 (naming a member drawn ∝ activity:
respondents name visible people). Reported scores are 2–5 for holders and
1–3 for false reports.

References
----------
Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts: toward a
model of collaborative leadership. *The Innovation Journal*, 17(1), article 7.
Crosby, B. C., & Bryson, J. M. (2010). Integrative leadership and the creation
and maintenance of cross-sector collaborations. *The Leadership Quarterly*,
21(2), 211–230.
Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking
collaboration, leadership and public governance*. NESTA Social Frontiers.
"""

from __future__ import annotations

import numpy as np

from .design import Case

__all__ = ["REPORT_P", "FALSE_REPORT_P", "UNSURVEYED_P", "evolve_roles", "initial_roles", "survey_report"]

#: Probability that a latent holder is reported in a surveyed case-wave.
REPORT_P = 0.8
#: Probability that an absent role is reported anyway (naming some member).
FALSE_REPORT_P = 0.06
#: Probability that a case-wave is not surveyed about roles (no roles.csv rows).
UNSURVEYED_P = 0.08

_ROLE_PRESENT = np.array([0.35, 0.5, 0.65])  # by governance NPM, hybrid, NPG
_ROLE_KEEP = 0.8
# Sector preference of role holders (citizens hold no role).
_ROLE_SECTOR = np.array(
    [
        [0.55, 0.10, 0.35, 0.0],
        [0.45, 0.10, 0.45, 0.0],
        [0.30, 0.30, 0.40, 0.0],
    ]
)


def _eligible(case: Case) -> np.ndarray:
    ok = case.in_roster.copy()
    ok[case.keep()] = False
    return ok


def _set_holder(rng: np.random.Generator, case: Case, role: int, eligible: np.ndarray) -> None:
    weights = _ROLE_SECTOR[role][case.sector] * case.activity**0.25 * eligible
    if weights.sum() <= 0:
        return
    h = int(rng.choice(len(weights), p=weights / weights.sum()))
    case.holders[role] = h
    case.scores[role] = int(rng.choice([2, 3, 4, 5], p=[0.1, 0.25, 0.35, 0.3]))
    eligible[h] = False


def initial_roles(rng: np.random.Generator, case: Case) -> None:
    """First-wave holders: each role present with the probability of the case's governance."""
    eligible = _eligible(case)
    for r in range(3):
        if rng.random() < _ROLE_PRESENT[case.governance]:
            _set_holder(rng, case, r, eligible)


def evolve_roles(rng: np.random.Generator, case: Case) -> None:
    """Roles of a later wave: kept with probability 0.8, or appearing at the stationary rate."""
    eligible = _eligible(case)
    present = _ROLE_PRESENT[case.governance]
    appear = (1.0 - _ROLE_KEEP) * present / (1.0 - present)
    for r in range(3):
        if case.holders[r] >= 0:
            if rng.random() >= _ROLE_KEEP:
                case.holders[r] = -1
        elif rng.random() < appear:
            _set_holder(rng, case, r, eligible)


def survey_report(
    rng: np.random.Generator, case: Case, active: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """The roles a survey reports for the case-wave: (local actor, role code, score, surveyed).

    ``active`` are the local indices of the members who took part in the
    wave (a false report names one of them).
    """
    surveyed = rng.random() >= UNSURVEYED_P
    u_report, u_false = rng.random(3), rng.random(3)
    scores = rng.integers(1, 4, size=3)
    actors, roles, out_scores = [], [], []
    if not surveyed:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), False
    weights = case.activity[active]
    for r in range(3):
        h = case.holders[r]
        if h >= 0 and u_report[r] < REPORT_P:
            actors.append(h), roles.append(r), out_scores.append(case.scores[r])
        elif h < 0 and u_false[r] < FALSE_REPORT_P and len(active):
            pick = int(active[rng.choice(len(active), p=weights / weights.sum())])
            if pick not in actors:
                actors.append(pick), roles.append(r), out_scores.append(int(scores[r]))
    return (np.array(actors, dtype=np.int64), np.array(roles, dtype=np.int64),
            np.array(out_scores, dtype=np.int64), True)
