"""Synthetic collaborative-innovation datasets with known effects.

:func:`simulate_dataset` writes a dataset directory that follows the input
contract (``actors.csv``; per wave ``interactions.csv``, ``participation.csv``,
``roles.csv``, ``outcomes.csv``, ``members.csv`` and the joiners'
``actors.csv``) and looks like fieldwork on collaborative innovation in the
public sector (Sørensen & Torfing 2013): innovation cases followed over waves,
actors of four sectors in organisations, survey-reported interaction records
and meeting logs, reported leadership roles whose holders behave their role,
and innovation outcomes (the fieldwork itself is made by
:mod:`netinnov.simulate_fieldwork`).

The outcomes are drawn from a model with known coefficients on case-level
predictors computed from the finished data (:func:`outcome_predictors`), so the
models of the pipeline can be checked against the truth (:func:`true_effects`,
``true_effects.csv``). A handful of realistic bad rows is planted so that the
quarantine path runs (``planted_bad_rows.csv``).

Everything is vectorised with numpy (loops run over cases and waves only), so
the same code writes the small bundled example and benchmark datasets of
100 000 actors and millions of records. Every random step draws from
``np.random.default_rng([seed, stream, case, wave])``: the same arguments give
byte-identical files.

References
----------
Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking
collaboration, leadership and public governance*. NESTA Social Frontiers.
Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts: toward a
model of collaborative leadership. *The Innovation Journal*, 17(1), article 7.
Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from netinnov import simulate_files as files
from netinnov.simulate_fieldwork import (
    CHANNELS,
    FIRST_YEAR,
    GOVERNANCE,
    PHASES,
    ROLES,
    SECTORS,
    Registry,
    design_cases,
    evolve_roster,
    first_index,
    initial_roles,
    initial_roster,
    isin_sorted,
    phase_weights,
    sort_order,
    unique_sorted,
    wave_calendar,
    wave_fieldwork,
)

__all__ = [
    "CHANNELS",
    "DEFAULT_SEED",
    "DIFFUSION_ETA_CAP",
    "GOVERNANCE",
    "PHASES",
    "PREDICTORS",
    "RADICALNESS_CUTPOINTS",
    "ROLES",
    "SECTORS",
    "TRUE_EFFECTS",
    "add_arguments",
    "outcome_predictors",
    "run",
    "simulate_dataset",
    "true_effects",
]

DEFAULT_SEED = 20261127

#: Case-level predictors of the outcome model, spelled as statsmodels formula terms.
PREDICTORS = (
    "density",
    "sector_blau",
    "n_actors",
    "convener_present",
    "facilitator_present",
    "catalyst_present",
)

#: Thresholds of the latent logistic scale of ``radicalness`` (categories 1..5).
RADICALNESS_CUTPOINTS = (1.0, 2.0, 3.0, 4.0)

#: The linear predictor of ``diffusion`` is capped here (exp(7) ≈ 1097); the cap
#: only bites far outside the 8–60 actor design (e.g. one 100 000-actor case).
DIFFUSION_ETA_CAP = 7.0

#: Model family of each outcome, in the words of the ``models:`` config key.
_FAMILY = {"implemented": "logit", "diffusion": "poisson", "radicalness": "ordered_logit"}

#: The outcome model: ``(outcome, term, true_effect, note)``.
TRUE_EFFECTS: tuple[tuple[str, str, float, str], ...] = (
    ("implemented", "Intercept", -3.5, "log-odds of implementation with every predictor at 0"),
    ("implemented", "density", 0.0, "true zero: density alone does not implement"),
    ("implemented", "sector_blau", 4.0, "multi-sector collaboration helps implementation"),
    ("implemented", "n_actors", 0.0, "true zero: size alone does not matter"),
    ("implemented", "convener_present", 1.2, "a convener aligns goals and secures support"),
    ("implemented", "facilitator_present", 1.3, "a facilitator lowers transaction costs"),
    ("implemented", "catalyst_present", 0.0, "true zero for implementation"),
    ("diffusion", "Intercept", 0.0, "log of the expected count with every predictor at 0"),
    ("diffusion", "density", 0.0, "true zero"),
    ("diffusion", "sector_blau", 1.2, "diverse participants carry the solution further"),
    ("diffusion", "n_actors", 0.02, "more participants, more ambassadors (per actor)"),
    ("diffusion", "convener_present", 0.0, "true zero"),
    ("diffusion", "facilitator_present", 0.0, "true zero"),
    ("diffusion", "catalyst_present", 0.6, "a catalyst turns participants into ambassadors"),
    ("radicalness", "density", 0.0, "true zero"),
    ("radicalness", "sector_blau", 3.0, "difference is the fuel of radical change"),
    ("radicalness", "n_actors", 0.0, "true zero"),
    ("radicalness", "convener_present", 0.0, "true zero"),
    ("radicalness", "facilitator_present", 0.0, "true zero"),
    ("radicalness", "catalyst_present", 1.2, "productive disturbance: new actors, new perspectives"),
    *(
        (
            "radicalness",
            f"{k}/{k + 1}",
            RADICALNESS_CUTPOINTS[k - 1],
            f"cut-point between categories {k} and {k + 1}: P(y <= {k}) = F(c_{k} - x'b) on the latent "
            "logistic scale (statsmodels' raw parameters are c_1 and log increments)",
        )
        for k in range(1, 5)
    ),
)

_STREAM_DESIGN, _STREAM_CASE, _STREAM_OUTCOME, _STREAM_BAD = 1, 2, 3, 4


# ============================================================ outcome model
def true_effects() -> pd.DataFrame:
    """The outcome model's true coefficients.

    Returns
    -------
    pandas.DataFrame
        Columns ``outcome, term, true_effect, family, note``; ``term`` is
        spelled as a statsmodels formula term on the case-level predictors
        :data:`PREDICTORS` (``Intercept`` for the constant; ``k/k+1`` for the
        cut-points :math:`c_k` of the ordered logit of ``radicalness``, as the
        models stage reports them). ``family`` is the ``models:`` config
        family (``logit``, ``poisson``, ``ordered_logit``). A zero marks a
        predictor without effect; every outcome has at least one.

    Notes
    -----
    For case :math:`c` in wave :math:`w` with predictors :math:`x` (a leading
    1 for the intercept) and coefficients :math:`\\beta`:

    * ``implemented`` :math:`\\sim \\mathrm{Bernoulli}(\\mathrm{logistic}(x^\\top\\beta_{impl}))`;
    * ``diffusion`` :math:`\\sim \\mathrm{Poisson}(\\exp(\\min(x^\\top\\beta_{diff}, 7)))`;
    * ``radicalness`` :math:`= 1 + \\#\\{k : \\tau_k < x^\\top\\beta_{rad} + \\varepsilon\\}`,
      :math:`\\varepsilon` standard logistic, thresholds :math:`\\tau` =
      :data:`RADICALNESS_CUTPOINTS` (no intercept).

    Draws are independent across cases and waves given the predictors.
    """
    rows = [
        {"outcome": o, "term": t, "true_effect": float(v), "family": _FAMILY[o], "note": n}
        for o, t, v, n in TRUE_EFFECTS
    ]
    return pd.DataFrame(rows, columns=["outcome", "term", "true_effect", "family", "note"])


def outcome_predictors(
    members: pd.DataFrame,
    interactions: pd.DataFrame,
    participation: pd.DataFrame | None = None,
    roles: pd.DataFrame | None = None,
    *,
    actors: pd.DataFrame,
    directed: bool = True,
) -> pd.DataFrame:
    r"""Case-level predictors of the outcome model for one wave.

    Parameters
    ----------
    members
        ``case_id, actor_id``: each case's roster.
    interactions
        Accepted interaction records (``case_id, source, target``).
    participation
        Accepted two-mode records (``case_id, event_id, actor_id``), or None.
    roles
        Accepted role reports (``case_id, actor_id, role``), or None; rows
        with another role than :data:`ROLES` are ignored.
    actors
        ``actor_id, sector`` of every actor.
    directed
        Whether records are arcs (``source → target``) or unordered pairs.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``case_id`` (the cases of ``members``, sorted), columns
        ``n_actors, n_ties`` and :data:`PREDICTORS`.

    Notes
    -----
    The roster network of a case has its :math:`n` listed members as nodes
    (isolates included). Its ties are the interaction records between two
    distinct members (co-attendance is a layer of its own, as with the
    pipeline's default ``coattendance: layer``). Records naming a
    non-member, and self-interactions, add no tie. With :math:`m` ties
    (distinct arcs when directed, distinct unordered pairs when undirected)

    .. math::

        \text{density} = \frac{m}{n(n-1)} \;(\text{directed}), \qquad
        \frac{m}{n(n-1)/2} \;(\text{undirected}),

    NaN when :math:`n < 2`. ``sector_blau`` :math:`= 1 - \sum_k p_k^2` over
    the sector shares :math:`p_k` of the roster (Blau 1977; an unknown sector
    counts as one more category); ``<role>_present`` is 1 when a row of
    ``roles`` reports that role in the case.
    """
    mem = members[["case_id", "actor_id"]].astype(str).drop_duplicates()
    sector_of = actors.assign(actor_id=actors["actor_id"].astype(str)).set_index("actor_id")["sector"]
    sector_of = sector_of[~sector_of.index.duplicated()]
    case_labels = np.array(sorted(mem["case_id"].unique()), dtype=object)
    case_code = pd.Series(np.arange(len(case_labels)), index=case_labels)
    actor_labels = pd.Index(pd.unique(mem["actor_id"]))

    def codes(frame: pd.DataFrame | None, col: str) -> np.ndarray:
        if frame is None or len(frame) == 0:
            return np.zeros(0, dtype=np.int64)
        return actor_labels.get_indexer(frame[col].astype(str))

    def cases(frame: pd.DataFrame | None) -> np.ndarray:
        if frame is None or len(frame) == 0:
            return np.zeros(0, dtype=np.int64)
        return case_code.reindex(frame["case_id"].astype(str)).fillna(-1).to_numpy(dtype=np.int64)

    sector_code = pd.factorize(sector_of.reindex(mem["actor_id"]).astype(object).fillna(""))[0]
    if participation is not None and len(participation):
        key = participation["case_id"].astype(str) + "\x1f" + participation["event_id"].astype(str)
        event = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    else:
        event = np.zeros(0, dtype=np.int64)
    role_case, role_code = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if roles is not None and len(roles):
        code = pd.Index(ROLES).get_indexer(roles["role"].astype(str))
        role_case, role_code = cases(roles)[code >= 0], code[code >= 0]
    table = _predictors(
        len(case_labels),
        (cases(mem), codes(mem, "actor_id"), sector_code),
        (cases(interactions), codes(interactions, "source"), codes(interactions, "target")),
        (cases(participation), event, codes(participation, "actor_id")),
        (role_case, role_code),
        directed=directed,
    )
    table.index = pd.Index(case_labels, name="case_id")
    return table


def _pairs_within_groups(group: np.ndarray, actor: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every unordered pair of distinct rows sharing a group: (group, a, b)."""
    order = sort_order(group, actor)
    group, actor = group[order], actor[order]
    empty = np.zeros(0, dtype=np.int64)
    if len(group) == 0:
        return empty, empty, empty
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    sizes = np.diff(np.concatenate([starts, [len(group)]]))
    out_g, out_a, out_b = [empty], [empty], [empty]
    for k in np.unique(sizes[sizes >= 2]):  # one block per group size
        st = starts[sizes == k]
        iu, ju = np.triu_indices(int(k), 1)
        out_g.append(np.repeat(group[st], len(iu)))
        out_a.append(actor[(st[:, None] + iu[None, :]).ravel()])
        out_b.append(actor[(st[:, None] + ju[None, :]).ravel()])
    return np.concatenate(out_g), np.concatenate(out_a), np.concatenate(out_b)


def _predictors(
    n_cases: int,
    members: tuple[np.ndarray, np.ndarray, np.ndarray],
    records: tuple[np.ndarray, np.ndarray, np.ndarray],
    attendance: tuple[np.ndarray, np.ndarray, np.ndarray],
    roles: tuple[np.ndarray, np.ndarray],
    *,
    directed: bool,
) -> pd.DataFrame:
    """The predictors of :func:`outcome_predictors` from integer codes.

    ``members`` = (case, actor, sector), ``records`` = (case, source, target),
    ``attendance`` = (case, event, actor), ``roles`` = (case, role); a
    negative code marks an unknown case or actor.
    """
    mem_case, mem_actor, mem_sector = (np.asarray(x, dtype=np.int64) for x in members)
    rec_case, rec_src, rec_tgt = (np.asarray(x, dtype=np.int64) for x in records)
    att_case, att_event, att_actor = (np.asarray(x, dtype=np.int64) for x in attendance)
    role_case, role_code = (np.asarray(x, dtype=np.int64) for x in roles)
    n_codes = 1 + max(int(a.max(initial=0)) for a in (mem_actor, rec_src, rec_tgt, att_actor))
    member_key = mem_case * n_codes + mem_actor
    member_rows = first_index(member_key)
    n = np.bincount(mem_case[member_rows], minlength=n_cases).astype(float)

    def on_roster(case: np.ndarray, actor: np.ndarray) -> np.ndarray:
        return (case >= 0) & (actor >= 0) & isin_sorted(case * n_codes + actor, member_key)

    ok = on_roster(rec_case, rec_src) & on_roster(rec_case, rec_tgt) & (rec_src != rec_tgt)
    c, a, b = rec_case[ok], rec_src[ok], rec_tgt[ok]
    if not directed:  # co-attendance is a layer of its own, not a tie (config coattendance: layer)
        a, b = np.minimum(a, b), np.maximum(a, b)
    ties = unique_sorted((c * n_codes + a) * n_codes + b)
    n_ties = np.bincount(ties // (n_codes * n_codes), minlength=n_cases).astype(float)
    possible = n * (n - 1) if directed else n * (n - 1) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.where(n >= 2, n_ties / np.where(possible > 0, possible, 1), np.nan)
        counts = np.zeros((n_cases, int(mem_sector.max(initial=0)) + 1))
        np.add.at(counts, (mem_case[member_rows], mem_sector[member_rows]), 1)
        share = counts / counts.sum(axis=1, keepdims=True)
        blau = np.where(n > 0, 1.0 - (share**2).sum(axis=1), np.nan)
    table = pd.DataFrame(
        {"n_actors": n.astype(np.int64), "n_ties": n_ties.astype(np.int64), "density": density, "sector_blau": blau}
    )
    for r, role in enumerate(ROLES):
        present = np.zeros(n_cases, dtype=np.int64)
        sel = (role_code == r) & (role_case >= 0)
        present[role_case[sel]] = 1
        table[f"{role}_present"] = present
    return table


def _draw_outcomes(rng: np.random.Generator, features: pd.DataFrame) -> pd.DataFrame:
    """Outcomes from the true model (see :func:`true_effects`) and their linear predictors."""
    x = np.nan_to_num(features[list(PREDICTORS)].to_numpy(dtype=float), nan=0.0)
    coef = true_effects().set_index(["outcome", "term"])["true_effect"]

    def eta(outcome: str) -> np.ndarray:
        base = coef.get((outcome, "Intercept"), 0.0)
        return base + x @ np.array([coef[(outcome, term)] for term in PREDICTORS])

    u = rng.random(len(x))
    eta_impl = eta("implemented")
    eta_diff = np.minimum(eta("diffusion"), DIFFUSION_ETA_CAP)
    diffusion = rng.poisson(np.exp(eta_diff))
    eta_rad = eta("radicalness")
    latent = eta_rad + rng.logistic(0.0, 1.0, len(x))
    return pd.DataFrame(
        {
            "implemented": (u < expit(eta_impl)).astype(np.int64),
            "radicalness": 1 + np.searchsorted(np.asarray(RADICALNESS_CUTPOINTS), latent, "left"),
            "diffusion": diffusion.astype(np.int64),
            "eta_implemented": eta_impl,
            "eta_diffusion": eta_diff,
            "eta_radicalness": eta_rad,
        },
        index=features.index,
    )


# ================================================================ the dataset
def _check_arguments(n_cases, n_waves, min_actors, max_actors, records_per_actor, single) -> None:
    if single is not None:
        if int(single) < 3:
            raise ValueError(f"single_case_actors must be at least 3, got {single}")
    elif n_cases < 1:
        raise ValueError(f"n_cases must be at least 1, got {n_cases}")
    if n_waves < 1:
        raise ValueError(f"n_waves must be at least 1, got {n_waves}")
    if min_actors < 3 or max_actors < min_actors:
        raise ValueError(f"need 3 <= min_actors <= max_actors, got {min_actors} and {max_actors}")
    if not records_per_actor > 0:
        raise ValueError(f"records_per_actor must be positive, got {records_per_actor}")


def simulate_dataset(
    out: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    n_cases: int = 36,
    n_waves: int = 3,
    min_actors: int = 8,
    max_actors: int = 60,
    records_per_actor: float = 6.0,
    directed: bool = True,
    bad_rows: bool = True,
    single_case_actors: int | None = None,
) -> dict[str, Any]:
    """Write a synthetic dataset with known effects to ``out``.

    Parameters
    ----------
    out
        Dataset directory to write (created; files of an earlier generated
        dataset there are replaced, and its wave folders that this one lacks
        are removed).
    seed
        Seed of every random step; the same arguments give byte-identical files.
    n_cases
        Number of innovation cases (ignored when ``single_case_actors`` is set).
    n_waves
        Number of waves, named ``w1``, ``w2``, …; wave ``wk`` covers the
        calendar year ``2022 + k``.
    min_actors, max_actors
        Bounds of every case's roster size in every wave (first-wave sizes
        are log-uniform between them).
    records_per_actor
        Expected interaction records per roster member and wave.
    directed
        Records are survey reports (``source`` = the reporting actor, many
        ties reported from both sides) when True, co-presence logs (each pair
        in one orientation) when False. Also fixes the density used by the
        outcome model.
    bad_rows
        Plant a handful of bad rows (listed in ``planted_bad_rows.csv`` and
        the README) so that the quarantine path runs.
    single_case_actors
        Write one case of this many first-wave actors (benchmarks); the
        roster bounds are then not applied.

    Returns
    -------
    dict
        Summary: output path, seed, waves, counts of cases, actors, joiners,
        leavers, isolates, records, participation rows, events and role rows
        per wave, and the number of planted bad rows.

    Raises
    ------
    ValueError
        For impossible arguments.
    FileExistsError
        When ``out`` holds wave folders of a dataset the generator did not write.
    """
    _check_arguments(n_cases, n_waves, min_actors, max_actors, records_per_actor, single_case_actors)
    out = Path(out)
    waves = [f"w{i + 1}" for i in range(n_waves)]
    cases, sizes = design_cases(
        np.random.default_rng([seed, _STREAM_DESIGN]), n_cases, min_actors, max_actors, single_case_actors
    )
    registry = Registry()
    bounds = (3, None) if single_case_actors is not None else (min_actors, max_actors)
    tables = [
        _wave_tables(seed, w, n_waves, cases, sizes, registry, bounds, records_per_actor, directed)
        for w in range(n_waves)
    ]
    actors = registry.table()
    width = max(4, len(str(registry.n_actors + 200)))
    planted = (
        _plant_bad_rows(np.random.default_rng([seed, _STREAM_BAD]), tables, registry.n_actors, width)
        if bad_rows
        else []
    )
    files.prepare_out(out, waves)
    names = files.Names(cases, actors, width)
    files.write_actors(out / "actors.csv", names, actors, np.flatnonzero(actors["wave"] == 0))
    for w, wave in enumerate(waves):
        files.write_wave(out / "waves" / wave, names, tables[w], w, cases)
        if w > 0:
            files.write_actors(out / "waves" / wave / "actors.csv", names, actors, np.flatnonzero(actors["wave"] == w))
    effects = true_effects()
    files.write_frame(out / "true_effects.csv", effects)
    files.write_frame(out / "true_case_features.csv", _features_table(tables, waves))
    bad_table = pd.DataFrame(planted, columns=["file", "line", "row", "reason", "detail"])
    files.write_frame(out / "planted_bad_rows.csv", bad_table)
    summary = _summary(out, seed, directed, waves, cases, registry.n_actors, tables, planted)
    args = {
        "seed": seed, "n_cases": n_cases, "n_waves": n_waves, "min_actors": min_actors, "max_actors": max_actors,
        "records_per_actor": records_per_actor, "directed": directed, "bad_rows": bad_rows,
        "single_case_actors": single_case_actors,
    }
    model = {"cutpoints": RADICALNESS_CUTPOINTS, "diffusion_cap": DIFFUSION_ETA_CAP}
    text = files.readme(args, summary, bad_table, effects, model)
    (out / "README.md").write_text(text, encoding="utf-8")
    return summary


def _wave_tables(
    seed: int,
    w: int,
    n_waves: int,
    cases: list,
    sizes: np.ndarray,
    registry: Registry,
    bounds: tuple[int, int | None],
    records_per_actor: float,
    directed: bool,
) -> dict[str, Any]:
    """All cases of one wave as code arrays (``rec_*``, ``att_*``, ``mem_*``, ``role_*``) + outcomes."""
    weights = phase_weights(w, n_waves)
    parts: dict[str, list[np.ndarray]] = {}
    stats = {"joiners": 0, "leavers": 0}

    def add(key: str, values: np.ndarray) -> None:
        parts.setdefault(key, []).append(np.asarray(values, dtype=np.int64))

    for case in cases:
        rng = np.random.default_rng([seed, _STREAM_CASE, case.index, w])
        if w == 0:
            initial_roster(rng, case, int(sizes[case.index]), registry)
            initial_roles(rng, case)
            joiners, sponsors = np.zeros(0, dtype=np.int64), np.full(2, -1)
        else:
            joiners, left, previous = evolve_roster(rng, case, w, registry, *bounds)
            sponsors = np.array([previous[2], case.holders[2]])  # last wave's and this wave's catalyst
            stats["leavers"] += len(left)
        stats["joiners"] += len(joiners)
        calendar = wave_calendar(rng, FIRST_YEAR + w, weights)
        net = wave_fieldwork(rng, case, calendar, weights, records_per_actor, directed, joiners, sponsors)
        roster = np.flatnonzero(case.in_roster)
        add("mem_case", np.full(len(roster), case.index))
        add("mem_actor", case.gid[roster])
        add("mem_sector", case.sector[roster])
        add("rec_case", np.full(len(net["src"]), case.index))
        add("rec_src", case.gid[net["src"]])
        add("rec_tgt", case.gid[net["tgt"]])
        for col in ("frequency", "duration", "closeness", "channel", "phase", "day"):
            add(f"rec_{col}", net[col])
        add("att_case", np.full(len(net["attendee"]), case.index))
        add("att_local_event", net["event"])
        add("att_actor", case.gid[net["attendee"]])
        for col in ("day", "phase", "duration", "type"):
            add(f"att_{col}", net[f"ev_{col}"][net["event"]])
        held = np.flatnonzero(case.holders >= 0)
        add("role_case", np.full(len(held), case.index))
        add("role_actor", case.gid[case.holders[held]])
        add("role_code", held)
        add("role_score", case.scores[held])
    t: dict[str, Any] = {k: np.concatenate(v) for k, v in parts.items()}
    t["att_event"] = _event_codes(t["att_case"], t.pop("att_local_event"))
    _sort_rows(t)
    seen = np.concatenate([t["rec_src"], t["rec_tgt"], t["att_actor"]])
    stats["isolates"] = int((~isin_sorted(t["mem_actor"], seen)).sum())
    features = _predictors(
        len(cases),
        (t["mem_case"], t["mem_actor"], t["mem_sector"]),
        (t["rec_case"], t["rec_src"], t["rec_tgt"]),
        (t["att_case"], t["att_event"], t["att_actor"]),
        (t["role_case"], t["role_code"]),
        directed=directed,
    )
    features.index = pd.Index([c.case_id for c in cases], name="case_id")
    for key in [k for k in t if k.startswith(("rec_", "att_", "mem_", "role_"))]:
        t[key] = t[key].astype(np.int32)  # halve the memory held until the files are written
    t.update(
        features=features,
        outcomes=_draw_outcomes(np.random.default_rng([seed, _STREAM_OUTCOME, w]), features),
        year=FIRST_YEAR + w,
        stats=stats,
    )
    return t


def _event_codes(case: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Wave-wide event codes, consecutive within each case."""
    if len(case) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.unique(case * (int(local.max()) + 1) + local, return_inverse=True)[1].astype(np.int64)


def _sort_rows(t: dict[str, Any]) -> None:
    """File order: records by case, date, source, target; the rest by case and id (in place)."""
    orders = {
        "rec_": sort_order(t["rec_case"], t["rec_day"], t["rec_src"], t["rec_tgt"]),
        "att_": sort_order(t["att_case"], t["att_event"], t["att_actor"]),
        "mem_": sort_order(t["mem_case"], t["mem_actor"]),
        "role_": sort_order(t["role_case"], t["role_code"]),
    }
    for prefix, order in orders.items():
        for k in [k for k in t if k.startswith(prefix)]:
            t[k] = t[k][order]


def _features_table(tables: list[dict[str, Any]], waves: list[str]) -> pd.DataFrame:
    frame = pd.concat(
        [t["features"].join(t["outcomes"]).reset_index().assign(wave=w) for t, w in zip(tables, waves, strict=True)],
        ignore_index=True,
    )
    frame = frame[
        ["wave", "case_id", "n_ties", *PREDICTORS, "eta_implemented", "eta_diffusion", "eta_radicalness",
         "implemented", "radicalness", "diffusion"]
    ]
    for col in ("density", "sector_blau", "eta_implemented", "eta_diffusion", "eta_radicalness"):
        frame[col] = frame[col].round(10)
    return frame


def _summary(out, seed, directed, waves, cases, n_actors, tables, planted) -> dict[str, Any]:
    def per_wave(fn) -> dict[str, int]:
        return {w: int(fn(t, w)) for t, w in zip(tables, waves, strict=True)}

    return {
        "out": str(out),
        "seed": int(seed),
        "directed": bool(directed),
        "waves": list(waves),
        "n_cases": len(cases),
        "n_actors": int(n_actors),
        "actors_per_wave": per_wave(lambda t, w: len(t["mem_actor"])),
        "joiners_per_wave": per_wave(lambda t, w: t["stats"]["joiners"]),
        "leavers_per_wave": per_wave(lambda t, w: t["stats"]["leavers"]),
        "isolates_per_wave": per_wave(lambda t, w: t["stats"]["isolates"]),
        "records_per_wave": per_wave(lambda t, w: len(t["rec_case"])),
        "participation_rows_per_wave": per_wave(lambda t, w: len(t["att_case"])),
        "events_per_wave": per_wave(lambda t, w: len(unique_sorted(t["att_event"]))),
        "role_rows_per_wave": per_wave(lambda t, w: len(t["role_case"])),
        "bad_rows": len(planted),
        "bad_rows_per_wave": per_wave(lambda t, w: sum(p["file"].startswith(f"waves/{w}/") for p in planted)),
    }


# ================================================================ bad rows
_BAD_PLAN = (
    (0, "interactions", "unknown actor"),
    (0, "interactions", "self-interaction"),
    (0, "interactions", "exact duplicate"),
    (0, "interactions", "unparseable date"),
    (0, "interactions", "non-positive frequency"),
    (0, "participation", "unknown actor"),
    (1, "interactions", "unparseable date"),
    (1, "interactions", "unknown phase"),
    (1, "interactions", "empty id"),
    (1, "interactions", "non-positive frequency"),
    (1, "interactions", "exact duplicate"),
    (1, "interactions", "unknown actor"),
    (1, "participation", "exact duplicate"),
    (1, "roles", "unknown role"),
)
_FILE_PREFIX = {"interactions": "rec_", "participation": "att_", "roles": "role_"}


def _bad_row(t: dict[str, Any], row: dict[str, int], w: int, file: str, reason: str, unknown: int, width: int) -> str:
    """Break one copied row for ``reason`` (in place); return the detail text."""
    if reason == "unknown actor":
        col = "att_actor" if file == "participation" else ("rec_tgt" if w == 0 else "rec_src")
        row[col] = unknown
        column = {"att_actor": "actor_id", "rec_tgt": "target", "rec_src": "source"}[col]
        return f"{column} 'A{unknown:0{width}d}' is not in any actors.csv"
    if reason == "self-interaction":
        row["rec_tgt"] = row["rec_src"]
        return "source equals target"
    if reason == "unparseable date":
        row["rec_day"] = files.BAD_DATE_MONTH13 if w == 0 else files.BAD_DATE_FEB30
        return f"date '{t['year']}-{'13-45' if w == 0 else '02-30'}' is not a calendar date"
    if reason == "non-positive frequency":
        row["rec_frequency"] = 0 if w == 0 else -1
        return f"frequency {row['rec_frequency']}"
    if reason == "unknown phase":
        row["rec_phase"] = files.BAD_PHASE
        return "phase 'pilot' is not one of the four phases"
    if reason == "empty id":
        row["rec_src"] = -1
        return "source is empty"
    if reason == "unknown role":
        row["role_code"] = files.BAD_ROLE
        return "role 'champion' is not convener, facilitator or catalyst"
    return ""  # exact duplicate: the copy itself


def _plant_bad_rows(
    rng: np.random.Generator, tables: list[dict[str, Any]], n_actors: int, width: int
) -> list[dict[str, Any]]:
    """Insert the bad rows of ``_BAD_PLAN`` after randomly chosen valid rows; return where they went.

    Each bad row copies a valid row (so its pair stays tied through the
    original) and breaks one thing; the predictors therefore do not depend on
    whether a reader accepts or rejects it.
    """
    by_file: dict[tuple[int, str], list[tuple[int, dict[str, int], str, str]]] = {}
    for i, (wave_index, file, reason) in enumerate(_BAD_PLAN):
        w = min(wave_index, len(tables) - 1)
        t = tables[w]
        prefix = _FILE_PREFIX[file]
        n_rows = len(t[f"{prefix}case"])
        if n_rows == 0:
            continue
        base = int(rng.integers(n_rows))
        row = {k: int(v[base]) for k, v in t.items() if k.startswith(prefix) and isinstance(v, np.ndarray)}
        detail = _bad_row(t, row, w, file, reason, n_actors + 7 * (i + 1), width)
        by_file.setdefault((w, file), []).append((base, row, reason, detail))
    planted = []
    for (w, file), rows in sorted(by_file.items()):
        t = tables[w]
        prefix = _FILE_PREFIX[file]
        cols = [k for k, v in t.items() if k.startswith(prefix) and isinstance(v, np.ndarray)]
        n_rows = len(t[f"{prefix}case"])
        position = np.concatenate([2 * np.arange(n_rows), [2 * base + 1 for base, _, _, _ in rows]])
        tie = np.concatenate([np.zeros(n_rows, dtype=np.int64), np.arange(1, len(rows) + 1)])
        order = np.lexsort((tie, position))
        for k in cols:
            t[k] = np.concatenate([t[k], np.array([r[k] for _, r, _, _ in rows], dtype=np.int64)])[order]
        where = np.empty(len(order), dtype=np.int64)
        where[order] = np.arange(len(order))
        for i, (base, _, reason, detail) in enumerate(rows):
            line = int(where[n_rows + i]) + 2
            if reason == "exact duplicate":
                detail = f"repeats line {int(where[base]) + 2}"
            planted.append(
                {"file": f"waves/w{w + 1}/{file}.csv", "line": line, "row": line - 1, "reason": reason,
                 "detail": detail}
            )
    planted.sort(key=lambda p: (p["file"], p["line"]))
    return planted


# ======================================================================= CLI
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``netinnov simulate``."""
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", required=True, help="dataset directory to write")
    parser.add_argument("--cases", type=int, default=36, help="number of innovation cases (default 36)")
    parser.add_argument("--waves", type=int, default=3, help="number of waves w1, w2, … (default 3)")
    parser.add_argument("--min-actors", type=int, default=8, help="smallest roster (default 8)")
    parser.add_argument("--max-actors", type=int, default=60, help="largest roster (default 60)")
    parser.add_argument(
        "--records-per-actor", type=float, default=6.0, help="interaction records per member and wave (default 6)"
    )
    parser.add_argument("--undirected", action="store_true", help="write undirected co-presence records")
    parser.add_argument("--no-bad-rows", action="store_true", help="do not plant bad rows")
    parser.add_argument(
        "--single-case-actors", type=int, default=None, help="write one case of this many actors (benchmarks)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``netinnov simulate``: 0 on success (the summary is printed as JSON), 2 on bad arguments."""
    try:
        summary = simulate_dataset(
            args.out,
            seed=args.seed,
            n_cases=args.cases,
            n_waves=args.waves,
            min_actors=args.min_actors,
            max_actors=args.max_actors,
            records_per_actor=args.records_per_actor,
            directed=not args.undirected,
            bad_rows=not args.no_bad_rows,
            single_case_actors=args.single_case_actors,
        )
    except (ValueError, FileExistsError) as err:
        print(f"netinnov simulate: {err}", file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0
