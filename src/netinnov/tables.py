"""The per-wave result tables: ``ties.csv``, ``actors.csv``, ``cases.csv``.

:func:`wave_tables` builds every case network of a wave and runs the metrics
on each; :func:`run_wave` reads the validated inputs and writes the tables
and the GraphML files. Column names follow SPEC.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netinnov.build import case_networks, case_rosters, wave_ties
from netinnov.codes import text_codes
from netinnov.memory import release_memory
from netinnov.metrics.basic import degrees, density
from netinnov.metrics.brokerage import brokerage_metrics
from netinnov.metrics.collaboration_type import collaboration_evidence
from netinnov.metrics.diversity import alter_diversity, case_diversity
from netinnov.metrics.phases import phase_participation
from netinnov.metrics.roles import case_role_presence, reported_roles, role_scores, roles_validation
from netinnov.metrics.ties import classify_ties, tie_metrics, tie_strength
from netinnov.networks import CaseNetwork
from netinnov.seeds import derive_seed
from netinnov.table_files import write_table

#: The behavioural leadership-role score columns of ``actors.csv``.
ROLE_SCORES = ["convener_score", "facilitator_score", "catalyst_score"]

__all__ = ["ROLE_SCORES", "TIE_WEIGHT_COLUMNS", "WaveTables", "run_wave", "wave_networks", "wave_tables"]

@dataclass
class WaveTables:
    """All result tables of one wave, plus its case networks."""

    ties: pd.DataFrame
    actors: pd.DataFrame
    cases: pd.DataFrame
    networks: dict[str, CaseNetwork] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)


#: Tie column used by weighted metrics for each value of the config's ``tie_weight``.
TIE_WEIGHT_COLUMNS = {"strength": "strength_weight", "weight": "weight", "none": None}


def _case_groups(frame: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The records of each case. A wave of one case gets the frame itself
    (no copy of millions of records)."""
    if frame is None or len(frame) == 0:
        return {}
    codes, labels = text_codes(frame["case_id"])
    if codes[0] >= 0 and (codes == codes[0]).all():
        return {str(labels[codes[0]]): frame}
    return {str(k): v for k, v in frame.groupby("case_id", sort=False, observed=True)}


def _released(value):
    """``value``, once the memory its computation freed is back with the system
    (:func:`netinnov.memory.release_memory`): the steps of a large wave run
    one after another, each from what is in use."""
    release_memory()
    return value


def wave_networks(data, options: dict) -> dict[str, CaseNetwork]:
    """The case networks of a validated wave (``netinnov.io.WaveData``).

    Ties carry ``strength`` (the composite of :func:`netinnov.metrics.ties.tie_strength`,
    standardised within the wave), ``strength_weight = exp(strength)`` (a
    positive, order-preserving version for weighted metrics: one standard
    unit of strength multiplies the weight by e) and ``tie_class``.
    """
    directed = bool(options.get("directed", False))
    group_attribute = options.get("group_attribute", "sector")
    ties = _released(wave_ties(
        data.interactions,
        data.participation,
        directed=directed,
        frequency_scale=options.get("frequency_scale") or None,
        coparticipation_weight=options.get("coparticipation_weight", "events"),
    ))
    if len(ties):
        ties["strength"] = tie_strength(ties, weights=options.get("tie_strength") or None, directed=directed).to_numpy()
        ties["strength_weight"] = np.exp(ties["strength"].to_numpy(dtype=float))
        tc = options.get("tie_class") or {}
        ties["tie_class"] = classify_ties(
            ties["strength"],
            ties["case_id"],
            method=tc.get("method", "quantile"),
            threshold=float(tc.get("threshold", 0.0)),
            quantile=float(tc.get("quantile", 0.5)),
            seed=derive_seed(options.get("seed", 0), "tie_class", getattr(data, "wave", "")),
        ).to_numpy()
    else:
        ties = ties.assign(strength=pd.Series(dtype=float), strength_weight=pd.Series(dtype=float),
                           tie_class=pd.Series(dtype=object))
    rosters = case_rosters(data.interactions, data.participation, data.members)
    labels = tuple(sorted(data.actors[group_attribute].dropna().astype(str).unique()))
    return case_networks(
        ties, rosters, data.actors, directed=directed, group_attribute=group_attribute, group_labels=labels
    )


def _actor_table(
    net: CaseNetwork, options: dict, *, wave: str, interactions, participation, previous: CaseNetwork | None
) -> pd.DataFrame:
    seed = int(options.get("seed", 0))
    weight_col = TIE_WEIGHT_COLUMNS[options.get("tie_weight", "strength")]
    btw = options.get("betweenness") or {}
    actors = pd.DataFrame({"case_id": net.case_id}, index=net.index)
    actors[net.group_attribute] = net.group_names
    tie_class = net.ties["tie_class"] if "tie_class" in net.ties else None
    degree = degrees(net)
    brokerage = _released(brokerage_metrics(
        net,
        weight=weight_col,
        betweenness_weight=weight_col if btw.get("weighted", False) else None,
        exact_max_actors=int(btw.get("exact_max_actors", 20000)),
        samples=int(btw.get("samples", 1000)),
        seed=derive_seed(seed, "betweenness", wave, net.case_id),
    ))
    roles = _released(role_scores(net, interactions, participation, previous=previous, tie_class=tie_class))
    actors = actors.join([degree, brokerage, alter_diversity(net), roles])
    attrs = net.attributes.reindex(net.actors).set_axis(net.index)
    return actors.join(attrs[[c for c in attrs.columns if c not in actors.columns and c != "line"]])


def _case_row(
    net: CaseNetwork, options: dict, *, wave: str, tie_metrics_frame: pd.DataFrame, interactions=None, roles=None
) -> dict:
    seed = int(options.get("seed", 0))
    row = {"case_id": net.case_id, "n_actors": net.n, "n_ties": net.n_ties, "density": density(net)}
    n = max(net.n_ties, 1)
    if net.n_ties:
        strong = (net.ties["tie_class"] == "strong").sum()
        row["strong_tie_share"] = strong / n
        row["weak_tie_share"] = (net.ties["tie_class"] == "weak").sum() / n
        row["local_bridge_share"] = float(tie_metrics_frame["local_bridge"].mean())
        row["mean_overlap"] = float(tie_metrics_frame["overlap"].mean())
    else:
        row.update(strong_tie_share=np.nan, weak_tie_share=np.nan, local_bridge_share=np.nan, mean_overlap=np.nan)
    tie_class = net.ties["tie_class"] if "tie_class" in net.ties else None
    row.update(
        case_diversity(
            net,
            permutations=int(options.get("ei_permutations", 1000)),
            seed=derive_seed(seed, "ei", wave, net.case_id),
            tie_class=tie_class,
            swaps_per_tie=float(options.get("ei_swaps_per_tie", 1.0)),
        )
    )
    row.update(collaboration_evidence(net, interactions, roles, **(options.get("collaboration_type") or {})))
    return row


def wave_tables(data, options: dict, previous=None) -> WaveTables:
    """Build the networks of a wave and every per-tie, per-actor and per-case table.

    ``previous`` is the validated previous wave (or None); its networks give
    the catalyst evidence of new actors and new ties.
    """
    wave = str(getattr(data, "wave", ""))
    seed = int(options.get("seed", 0))
    group_attribute = options.get("group_attribute", "sector")
    # first, while no network is built yet: its transient memory grows with the records
    phases = _released(phase_participation(
        data.interactions, data.actors, data.participation, group_attribute=group_attribute
    ))
    networks = wave_networks(data, options)
    previous_networks = wave_networks(previous, options) if previous is not None else {}
    release_memory()
    interactions = _case_groups(data.interactions)
    participation = _case_groups(data.participation)
    tie_frames, actor_frames, case_rows = [], [], []
    for case_id, net in networks.items():
        # the actor measures first, the tie measures after: each metric keeps
        # arrays on the network (matrices, graphs, common neighbours), and the
        # measures with the largest transient arrays then meet the fewest
        actor_frames.append(
            _actor_table(
                net,
                options,
                wave=wave,
                interactions=interactions.get(case_id),
                participation=participation.get(case_id),
                previous=previous_networks.get(case_id),
            ).reset_index()[lambda f: ["case_id", *[c for c in f.columns if c != "case_id"]]]
        )
        tm = _released(tie_metrics(net))
        t = net.ties.drop(columns=["source_index", "target_index"]).join(tm)
        t.insert(0, "case_id", case_id)
        tie_frames.append(t)
        case_rows.append(_released(_case_row(
            net, options, wave=wave, tie_metrics_frame=tm,
            interactions=interactions.get(case_id), roles=data.roles,
        )))
    ties = pd.concat(tie_frames, ignore_index=True) if tie_frames else pd.DataFrame(columns=["case_id", "source", "target", "weight"])
    actors = pd.concat(actor_frames, ignore_index=True) if actor_frames else pd.DataFrame(columns=["case_id", "actor_id"])
    cases = pd.DataFrame(case_rows)
    if not len(cases):
        cases = pd.DataFrame(columns=["case_id", "n_actors", "n_ties", "density"])

    roles = data.roles if data.roles is not None else pd.DataFrame(columns=["case_id", "actor_id", "role"])
    if len(actors):
        index = pd.MultiIndex.from_frame(actors[["case_id", "actor_id"]])
        actors["reported_roles"] = reported_roles(roles, index=index).to_numpy()
        presence = case_role_presence(
            actors[["case_id", "actor_id", *ROLE_SCORES]], roles, threshold=float(options.get("role_threshold", 1.5))
        )
        cases = cases.merge(presence, on="case_id", how="left")
    if data.outcomes is not None and len(data.outcomes):
        outcomes = data.outcomes.drop(columns=[c for c in ("line",) if c in data.outcomes.columns])
        clash = [c for c in outcomes.columns if c != "case_id" and c in cases.columns]
        if clash:  # an outcome named like a computed column (n_actors, density, ...)
            from netinnov.io.errors import InputError

            raise InputError(
                "this outcome column has the name of a column netinnov computes for cases.csv; "
                "rename it",
                f"waves/{wave}/outcomes.csv",
                line=1,
                column=clash[0],
            )
        cases = cases.merge(outcomes, on="case_id", how="outer")
        cases["n_actors"] = cases["n_actors"].fillna(0).astype(np.int64)
        cases["n_ties"] = cases["n_ties"].fillna(0).astype(np.int64)
    cases = cases.sort_values("case_id", kind="stable").reset_index(drop=True)

    extra = {"phases": phases}
    if data.roles is not None and len(data.roles) and len(actors):
        extra["roles_validation"] = roles_validation(
            actors[["case_id", "actor_id", *ROLE_SCORES]], data.roles, seed=derive_seed(seed, "roles_validation", wave)
        )
    else:
        extra["roles_validation"] = pd.DataFrame(columns=["role", "auc", "ci_low", "ci_high", "n_holders", "n_actors"])
    return WaveTables(ties=ties, actors=actors, cases=cases, networks=networks, extra=extra)


def run_wave(
    wave_dir: Path,
    wave: str,
    *,
    previous_dir: Path | None = None,
    previous_wave: str | None = None,
    options: dict,
) -> WaveTables:
    """Read ``<wave_dir>/validated``, write the wave's tables and GraphML files."""
    from netinnov.graphml import write_graphml
    from netinnov.io import read_validated

    data = read_validated(wave_dir, wave)
    previous = read_validated(previous_dir, previous_wave) if previous_dir is not None else None
    tables = wave_tables(data, options, previous=previous)
    write_table(tables.ties, wave_dir / "ties.csv")
    write_table(tables.actors, wave_dir / "actors.csv")
    write_table(tables.cases, wave_dir / "cases.csv")
    for name in ("phases", "roles_validation"):
        write_table(tables.extra.get(name, pd.DataFrame()), wave_dir / f"{name}.csv")
    write_graphml(tables.networks, wave_dir / "networks")
    return tables
