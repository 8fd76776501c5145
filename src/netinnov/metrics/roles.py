"""Behavioural evidence of the convener, facilitator and catalyst roles.

Collaborative innovation needs leadership (Sørensen & Torfing 2013). Three
roles are distinguished: the *convener* brings the relevant actors together
(Ansell & Gash 2012; Crosby & Bryson 2010) — it closes gaps between groups,
*tertius iungens* (Obstfeld 2005), rather than profiting from keeping them
apart, *tertius gaudens* (Burt 1992); the *facilitator* makes collaboration
work by lowering its transaction costs and building trust among the others
(Straus 2002; Ansell & Gash 2012); and the *catalyst* creates productive
disturbance — new actors, new perspectives — through weak ties across
boundaries (Sørensen & Torfing 2011; Granovetter 1973).

:func:`~netinnov.metrics.role_evidence.role_components` (re-exported here) measures the traces each role leaves in the records
and the network, each on a fixed scale in [0, 1] that depends on the case's
own records and the config only (shares, never counts or within-case
standardisation); :func:`role_scores` combines them into one score per role,
also in [0, 1], comparable across cases and waves. The survey comparison is
in :mod:`netinnov.metrics.role_survey` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from netinnov.metrics.role_evidence import COMPONENTS, DEFAULT_SCALE, role_components
from netinnov.metrics.role_survey import (  # noqa: F401  (re-exported: netinnov.metrics.roles)
    DEFAULT_THRESHOLD,
    LEADERSHIP_ROLES,
    VALIDATION_COLUMNS,
    _auc,
    _auc_with_interval,
    _cluster_bootstrap_auc,
    case_role_presence,
    reported_roles,
    role_persistence,
    role_thresholds,
    roles_validation,
)
from netinnov.networks import CaseNetwork

__all__ = [
    "COMPONENTS",
    "DEFAULT_SCALE",
    "DEFAULT_THRESHOLD",
    "LEADERSHIP_ROLES",
    "VALIDATION_COLUMNS",
    "WEIGHTS",
    "case_role_presence",
    "reported_roles",
    "role_components",
    "role_persistence",
    "role_scores",
    "role_thresholds",
    "roles_validation",
    "scores_from_components",
]

#: Weight of each component in its role's score (a weighted mean of the
#: available components). The behaviour that defines the role weighs most;
#: local bridges, which a sparse network gives every actor, weigh least. The
#: catalyst's newcomers weigh 6 (2 before): recalibrated on the design seeds of
#: generator v2 (101-104, 20270301, 20270302; docs/validity_catalyst.md), the
#: weak cross-group bridges and local bridges are thin evidence of the role.
WEIGHTS: dict[str, float] = {
    "convener_brokered_closure": 1.0,
    "convener_introductions": 2.0,
    "convener_early_activity": 1.0,
    "facilitator_alter_repetition": 2.0,
    "facilitator_events_share": 1.0,
    "facilitator_reciprocity": 0.5,
    "catalyst_newcomers": 6.0,
    "catalyst_weak_cross_ties": 0.5,
    "catalyst_bridges": 0.25,
}


# --------------------------------------------------------------------- scores
def role_scores(
    net: CaseNetwork,
    interactions: pd.DataFrame | None,
    participation: pd.DataFrame | None = None,
    *,
    previous: CaseNetwork | None = None,
    tie_class: pd.Series | None = None,
    scale: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    r"""Convener, facilitator and catalyst scores of each actor, on [0, 1].

    A role's score is the weighted mean of its available components of
    :func:`role_components` (weights :data:`WEIGHTS`),
    :math:`s_i = \sum_c w_c x_{ic} / \sum_c w_c` over the components that
    are not NaN for the case. Every component is on a fixed [0, 1] scale,
    so the score is too: it is comparable across cases and waves and does
    not depend on any other case; a case where nobody behaves the role has
    low scores throughout (no within-case standardisation).

    Parameters
    ----------
    net, interactions, participation, previous, tie_class, scale
        As in :func:`role_components`.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id in ``net.actors`` order; columns
        ``convener_score``, ``facilitator_score``, ``catalyst_score`` (NaN
        only when no component of the role is available).

    References
    ----------
    See :func:`role_components`.
    """
    comps = role_components(
        net, interactions, participation, previous=previous, tie_class=tie_class, scale=scale
    )
    return scores_from_components(comps)


def scores_from_components(comps: pd.DataFrame) -> pd.DataFrame:
    """The role scores of :func:`role_scores` from the components of
    :func:`role_components` (one call gives both, for ``actors.csv``, which
    holds the components beside the scores)."""
    n = len(comps)
    scores = {}
    for role in LEADERSHIP_ROLES:
        total = np.zeros(n)
        weight = 0.0
        for c in COMPONENTS[role]:
            col = f"{role}_{c}"
            x = comps[col].to_numpy(dtype=float)
            if np.all(np.isnan(x)):
                continue
            total += WEIGHTS[col] * np.nan_to_num(x, nan=0.0)
            weight += WEIGHTS[col]
        scores[f"{role}_score"] = total / weight if weight else np.full(n, np.nan)
    return pd.DataFrame(scores, index=comps.index.copy())
