"""Brokerage metrics of actors: betweenness, structural holes, Gould–Fernandez roles.

The measures live in their own modules (:mod:`netinnov.metrics.betweenness`,
:mod:`netinnov.metrics.structural_holes`,
:mod:`netinnov.metrics.gould_fernandez`); this module re-exports them and
assembles the per-actor brokerage table of ``actors.csv``.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from netinnov.metrics.betweenness import betweenness
from netinnov.metrics.gould_fernandez import BROKERAGE_ROLES, gould_fernandez
from netinnov.metrics.structural_holes import structural_holes
from netinnov.networks import CaseNetwork

__all__ = ["BROKERAGE_ROLES", "betweenness", "brokerage_metrics", "gould_fernandez", "structural_holes"]


def brokerage_metrics(
    net: CaseNetwork,
    *,
    weight: str | None = "weight",
    betweenness_weight: str | None = None,
    exact_max_actors: int = 20000,
    samples: int = 1000,
    seed: int = 0,
    workers: int | None = None,
    z_scores: bool = True,
    unknown_group: Literal["exclude", "group"] = "exclude",
) -> pd.DataFrame:
    """All brokerage metrics of every actor, in one table.

    Parameters
    ----------
    net
        The network.
    weight
        Tie column weighting the structural-hole measures (``None``: binary);
        see :func:`structural_holes`.
    betweenness_weight
        Tie column whose inverse is the tie length for betweenness
        (``None``: unit lengths); see :func:`betweenness`.
    exact_max_actors, samples, seed, workers
        Exact or sampled betweenness, and the processes of a large network's;
        see :func:`betweenness`.
    z_scores, unknown_group
        Gould–Fernandez options; see :func:`gould_fernandez`.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``net.actors`` order) with ``betweenness,
        betweenness_method, constraint, effective_size, efficiency,
        hierarchy, gf_coordinator, gf_itinerant, gf_representative,
        gf_gatekeeper, gf_liaison, gf_total`` and, with ``z_scores``, the
        ``gf_*_z`` columns. Isolates: betweenness 0, structural-hole
        measures NaN, Gould–Fernandez counts 0.
    """
    # betweenness last: the igraph graph it builds (and the network keeps)
    # is then not yet resident while the others make their transient arrays
    holes = structural_holes(net, weight=weight)
    roles = gould_fernandez(net, z_scores=z_scores, unknown_group=unknown_group)
    paths = betweenness(
        net,
        weight=betweenness_weight,
        exact_max_actors=exact_max_actors,
        samples=samples,
        seed=seed,
        workers=workers,
    )
    return pd.concat([paths, holes, roles], axis=1)
