"""Every metric of one wave, as the wave's result tables in memory.

:func:`wave_tables` builds every case network of a wave from its validated
records and runs the metrics on each, giving ``ties``, ``actors``, ``cases``
(and ``phases``, ``roles_validation``, ``coattendance``,
``tie_strength_diagnostics``; SPEC.md column names). :func:`chunk_tables`
does it for a chunk of the wave's cases and :func:`gather_tables` joins the
chunks and adds the wave-level tables, so any split gives the same tables.
Reading and writing files is the steps' job (:mod:`netinnov.steps.wave_tables`,
:mod:`netinnov.steps.wave_chunks`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netinnov.config import derive_seed
from netinnov.contract import WAVE_TABLES
from netinnov.io.codes import text_codes
from netinnov.io.memory import release_memory
from netinnov.metrics.basic import degrees, density
from netinnov.metrics.brokerage import brokerage_metrics
from netinnov.metrics.collaboration_type import collaboration_evidence
from netinnov.metrics.diversity import alter_diversity, case_diversity
from netinnov.metrics.phase_tests import phase_tests
from netinnov.metrics.phases import phase_participation
from netinnov.metrics.role_survey import VALIDATION_COLUMNS
from netinnov.metrics.roles import (
    case_role_presence,
    reported_roles,
    role_components,
    roles_validation,
    scores_from_components,
)
from netinnov.metrics.tie_agreement import indicator_agreement
from netinnov.metrics.tie_strength import rescaled_indicators
from netinnov.metrics.ties import classify_ties, tie_metrics, tie_strength
from netinnov.networks import CaseNetwork
from netinnov.networks.build import case_networks, case_rosters, wave_layers
from netinnov.networks.nonresponse import reconstruct_arcs, respondent_flags, response_rates
from netinnov.options import WaveOptions

#: The behavioural leadership-role score columns of ``actors.csv``.
ROLE_SCORES = ["convener_score", "facilitator_score", "catalyst_score"]

log = logging.getLogger(__name__)

__all__ = [
    "ROLE_SCORES", "Stopwatch", "TIE_WEIGHT_COLUMNS", "ChunkParts", "WaveTables", "chunk_tables", "gather_tables",
    "survey_columns", "wave_networks", "wave_tables",
]

@dataclass
class WaveTables:
    """All result tables of one wave, plus its case networks."""

    ties: pd.DataFrame
    actors: pd.DataFrame
    cases: pd.DataFrame
    networks: dict[str, CaseNetwork] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)


#: The wave tables beside ties, actors and cases (``<name>.csv`` in the wave folder).
WAVE_TABLE_FILES = WAVE_TABLES[3:]

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
    (:func:`netinnov.io.memory.release_memory`): the steps of a large wave run
    one after another, each from what is in use."""
    release_memory()
    return value


def wave_networks(data, options: WaveOptions | Mapping, *, extra: dict | None = None) -> dict[str, CaseNetwork]:
    """The case networks of a validated wave (``netinnov.io.WaveData``).

    The networks hold the reported interactions, co-attendance as a tie
    attribute (config ``coattendance: layer``, :func:`netinnov.networks.build.wave_layers`).
    Ties carry ``strength`` (:func:`netinnov.metrics.ties.tie_strength`, on
    fixed scales in (0, 1]), ``strength_weight`` (the value weighted metrics
    use with ``tie_weight: strength``: the strength itself, positive for
    every tie) and ``tie_class``. ``extra`` (a dict) receives the wave's
    ``coattendance`` layer and ``tie_strength_diagnostics``. ``options``:
    :class:`netinnov.options.WaveOptions` (or a config mapping).
    """
    options = WaveOptions.of(options)
    directed = options.directed
    group_attribute = options.group_attribute
    ties, coattendance = _released(wave_layers(
        data.interactions,
        data.participation,
        directed=directed,
        frequency_scale=options.frequency_scale or None,
        coparticipation_weight=options.coparticipation_weight,
        coattendance=options.coattendance,
    ))
    # non-respondents (members.csv `responded`): a no-op without the column
    ties = reconstruct_arcs(ties, respondent_flags(data.members), directed=directed,
                            mode=options.nonrespondents)
    part = data.participation
    attended = np.asarray(pd.unique(part["case_id"])).astype(str) if part is not None and len(part) else []
    indicators = rescaled_indicators(  # co-attendance is observed in the cases with events
        ties, weights=options.tie_strength or None, anchors=options.tie_strength_scale or None,
        directed=directed, coparticipation_observed=ties["case_id"].astype(str).isin(attended).to_numpy(),
    )
    if len(ties):
        ties["strength"] = tie_strength(
            ties, weights=options.tie_strength or None, directed=directed, indicators=indicators
        ).to_numpy()
        ties["strength_weight"] = ties["strength"]
        tc = options.tie_class
        ties["tie_class"] = classify_ties(
            ties["strength"],
            ties["case_id"],
            method=tc.method,
            threshold=float(tc.threshold),
            quantile=float(tc.quantile),
            indicators=indicators,
            weights=options.tie_strength or None,
        ).to_numpy()
    else:
        ties = ties.assign(strength=pd.Series(dtype=float), strength_weight=pd.Series(dtype=float),
                           tie_class=pd.Series(dtype=object))
    if extra is not None:
        extra.update(coattendance=coattendance, indicators=indicators)
    rosters = case_rosters(data.interactions, data.participation, data.members)
    labels = tuple(sorted(data.actors[group_attribute].dropna().astype(str).unique()))
    return case_networks(
        ties, rosters, data.actors, directed=directed, group_attribute=group_attribute, group_labels=labels
    )


class Stopwatch:
    """Wall time per named stage, summed over the cases of a chunk: ``with
    clock("brokerage"): ...``; :meth:`summary` is the line the chunk job logs,
    so its log shows where the time goes."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def summary(self) -> str:
        return ", ".join(f"{stage} {secs:.2f} s" for stage, secs in self.seconds.items())


def _actor_table(
    net: CaseNetwork, options: WaveOptions, *, wave: str, interactions, participation, previous: CaseNetwork | None,
    clock: Stopwatch | None = None,
) -> pd.DataFrame:
    clock = clock or Stopwatch()
    seed = int(options.seed)
    weight_col = TIE_WEIGHT_COLUMNS[options.tie_weight]
    btw = options.betweenness
    actors = pd.DataFrame({"case_id": net.case_id}, index=net.index)
    actors[net.group_attribute] = net.group_names
    tie_class = net.ties["tie_class"] if "tie_class" in net.ties else None
    degree = degrees(net)
    with clock("brokerage"):
        brokerage = _released(brokerage_metrics(
            net,
            weight=weight_col,
            betweenness_weight=weight_col if btw.weighted else None,
            exact_max_actors=int(btw.exact_max_actors),
            samples=int(btw.samples),
            seed=derive_seed(seed, "betweenness", wave, net.case_id),
            workers=btw.workers,
        ))
    with clock("roles"):
        components = _released(role_components(net, interactions, participation, previous=previous,
                                                tie_class=tie_class, scale=options.role_scale or None))
        roles = scores_from_components(components)  # = role_scores(...), with its components kept
    with clock("alter diversity"):
        diversity = alter_diversity(net)
    actors = actors.join([degree, brokerage, diversity, roles, components])
    attrs = net.attributes.reindex(net.actors).set_axis(net.index)
    return actors.join(attrs[[c for c in attrs.columns if c not in actors.columns and c != "line"]])


def _case_row(
    net: CaseNetwork, options: WaveOptions, *, wave: str, tie_metrics_frame: pd.DataFrame, interactions=None, roles=None,
    clock: Stopwatch | None = None,
) -> dict:
    clock = clock or Stopwatch()
    seed = int(options.seed)
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
    with clock("case diversity and E-I tests"):
        row.update(
            case_diversity(
                net,
                permutations=int(options.ei_permutations),
                seed=derive_seed(seed, "ei", wave, net.case_id),
                tie_class=tie_class,
                swaps_per_tie=float(options.ei_swaps_per_tie),
            )
        )
    with clock("collaboration type"):
        row.update(collaboration_evidence(net, interactions, roles, **options.collaboration_type))
    return row


@dataclass
class ChunkParts:
    """What the wave step computes for a chunk of a wave's cases
    (:func:`chunk_tables`): the per-case frames and rows, in case order, and
    the chunk's co-attendance layer and tie-strength indicators. Every value
    depends on the chunk's own cases only, so that chunks can run as separate
    jobs and :func:`gather_tables` joins them."""

    tie_frames: list[pd.DataFrame]
    actor_frames: list[pd.DataFrame]
    case_rows: list[dict]
    coattendance: pd.DataFrame
    indicators: pd.DataFrame
    networks: dict[str, CaseNetwork] = field(default_factory=dict)


def chunk_tables(data, options: WaveOptions | Mapping, previous=None) -> ChunkParts:
    """Build the networks of the cases in ``data`` and their per-tie,
    per-actor and per-case measures.

    ``data`` is a validated wave (``netinnov.io.WaveData``) or a chunk of it
    (:func:`netinnov.steps.wave_chunks.chunk_data`); ``previous`` is the previous wave's
    (or None): its networks give the catalyst evidence of new actors and new
    ties.
    """
    options = WaveOptions.of(options)
    wave = str(getattr(data, "wave", ""))
    clock = Stopwatch()
    extra: dict[str, pd.DataFrame] = {}
    with clock("networks"):
        networks = wave_networks(data, options, extra=extra)
    previous_networks = {}
    if previous is not None:
        with clock("previous wave's networks"):
            previous_networks = wave_networks(previous, options)
    release_memory()
    interactions = _case_groups(data.interactions)
    participation = _case_groups(data.participation)
    case_roles = _case_groups(data.roles)
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
                clock=clock,
            ).reset_index()[lambda f: ["case_id", *[c for c in f.columns if c != "case_id"]]]
        )
        with clock("tie measures"):
            tm = _released(tie_metrics(net))
        t = net.ties.drop(columns=["source_index", "target_index"]).join(tm)
        t.insert(0, "case_id", case_id)
        tie_frames.append(t)
        case_rows.append(_released(_case_row(
            net, options, wave=wave, tie_metrics_frame=tm,
            interactions=interactions.get(case_id), roles=case_roles.get(case_id), clock=clock,
        )))
    log.info("wave %s, %d cases: %s", wave, len(networks), clock.summary())
    return ChunkParts(tie_frames, actor_frames, case_rows, extra["coattendance"], extra["indicators"], networks)


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The chunks' frames one under the other; one chunk's frame as it is,
    and the empty frames of chunks without rows left out (their columns'
    dtypes would change the others')."""
    if len(frames) == 1:
        return frames[0]
    filled = [f for f in frames if len(f)]
    if not filled:
        return frames[0]
    return filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True)


def wave_tables(data, options: WaveOptions | Mapping, previous=None) -> WaveTables:
    """Build the networks of a wave and every per-tie, per-actor and per-case table.

    ``previous`` is the validated previous wave (or None); its networks give
    the catalyst evidence of new actors and new ties. The same as
    :func:`gather_tables` of the wave's chunks (``netinnov.steps.wave_chunks``) in one
    process.
    """
    options = WaveOptions.of(options)
    # first, while no network is built yet: its transient memory grows with the records
    phases = _wave_phases(data, options)
    return gather_tables(data, options, [chunk_tables(data, options, previous)], phases=phases)


def _wave_phases(data, options: WaveOptions | Mapping) -> pd.DataFrame:
    return _released(phase_participation(
        data.interactions, data.actors, data.participation,
        group_attribute=WaveOptions.of(options).group_attribute, members=data.members,
    ))


def survey_columns(actors: pd.DataFrame, data) -> dict[str, np.ndarray]:
    """The columns of actors.csv that come from the survey tables, for the
    rows of ``actors`` (``case_id, actor_id``): ``reported_roles`` (roles.csv)
    and, where members.csv has a ``responded`` column, ``responded`` (NA where
    members.csv does not list the case). Empty for no rows."""
    if not len(actors):
        return {}
    roles = data.roles if data.roles is not None else pd.DataFrame(columns=["case_id", "actor_id", "role"])
    index = pd.MultiIndex.from_frame(actors[["case_id", "actor_id"]])
    out = {"reported_roles": reported_roles(roles, index=index).to_numpy()}
    flags = respondent_flags(data.members)
    if flags is not None:  # per case: NA where members.csv does not list the case
        listed = flags.drop_duplicates(["case_id", "actor_id"]).set_index(["case_id", "actor_id"])["responded"]
        out["responded"] = listed.reindex(pd.MultiIndex.from_frame(actors[["case_id", "actor_id"]].astype(str)))\
            .astype("boolean").to_numpy()
    return out


def chunk_graphml_tables(data, parts: ChunkParts) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Each case's rows of actors.csv (the survey columns included) and of
    ties.csv, by case id, for its GraphML file. The frames are the case's own
    (their dtypes depend on the case only), so a case's file is the same
    whatever the split of the wave into chunks."""
    actors, ties = {}, {}
    for frame in parts.actor_frames:
        if len(frame):
            actors[str(frame["case_id"].iloc[0])] = frame.assign(**survey_columns(frame, data))
    for frame in parts.tie_frames:
        if len(frame):
            ties[str(frame["case_id"].iloc[0])] = frame
    return actors, ties


def gather_tables(
    data, options: WaveOptions | Mapping, parts: list[ChunkParts], *, phases: pd.DataFrame | None = None
) -> WaveTables:
    """The wave's tables from the :class:`ChunkParts` of its chunks, in case order.

    ``data`` is the whole validated wave: the wave-level tables (phase tests,
    roles validation, tie-strength diagnostics) and the outcomes join here.
    Joining the chunks of any split of the cases gives the same tables as one
    chunk of all cases (``tests/steps/test_wave_chunks.py``).
    """
    wave = str(getattr(data, "wave", ""))
    options = WaveOptions.of(options)
    seed = int(options.seed)
    group_attribute = options.group_attribute
    if phases is None:
        phases = _wave_phases(data, options)
    networks = {case_id: net for part in parts for case_id, net in part.networks.items()}
    tie_frames = [f for part in parts for f in part.tie_frames]
    actor_frames = [f for part in parts for f in part.actor_frames]
    case_rows = [row for part in parts for row in part.case_rows]
    extra: dict[str, pd.DataFrame] = {
        "coattendance": _stacked([part.coattendance for part in parts]),
        "tie_strength_diagnostics": indicator_agreement(_stacked([part.indicators for part in parts])),
    }
    ties = pd.concat(tie_frames, ignore_index=True) if tie_frames else pd.DataFrame(columns=["case_id", "source", "target", "weight"])
    actors = pd.concat(actor_frames, ignore_index=True) if actor_frames else pd.DataFrame(columns=["case_id", "actor_id"])
    cases = pd.DataFrame(case_rows)
    if not len(cases):
        cases = pd.DataFrame(columns=["case_id", "n_actors", "n_ties", "density"])

    roles = data.roles if data.roles is not None else pd.DataFrame(columns=["case_id", "actor_id", "role"])
    survey = survey_columns(actors, data)
    if len(actors):
        actors["reported_roles"] = survey["reported_roles"]
        presence = case_role_presence(
            actors[["case_id", "actor_id", *ROLE_SCORES]], roles, threshold=options.role_threshold
        )
        cases = cases.merge(presence, on="case_id", how="left")
    flags = respondent_flags(data.members)
    cases = cases.merge(response_rates(flags, cases["case_id"]), on="case_id", how="left")
    if "responded" in survey:
        actors["responded"] = survey["responded"]
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

    extra["phases"] = phases
    extra["phase_tests"] = phase_tests(
        phases, public_label=options.collaboration_type["public_label"],
        n_boot=int(options.phase_tests.n_boot), seed=derive_seed(seed, "phase_tests", wave), group_column=group_attribute,
    )
    if data.roles is not None and len(data.roles) and len(actors):
        extra["roles_validation"] = roles_validation(
            actors[["case_id", "actor_id", *ROLE_SCORES]], data.roles, seed=derive_seed(seed, "roles_validation", wave)
        )
    else:
        extra["roles_validation"] = pd.DataFrame(columns=VALIDATION_COLUMNS)
    return WaveTables(ties=ties, actors=actors, cases=cases, networks=networks, extra=extra)


