"""Writing a whole synthetic dataset: every case in every wave, the truth beside the data.

:func:`simulate_dataset` runs the latent design (:mod:`.design`), the roles
(:mod:`.roles`), the fieldwork of each case-wave (:mod:`.fieldwork`) and the
outcomes (:mod:`.outcomes`), plants the bad rows (:mod:`.badrows`) and writes
the files (:mod:`.files`). Loops run over waves and cases only. Every random
step draws from ``np.random.default_rng([seed, stream, case, wave])``: the
same arguments give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import files
from .arrays import isin_sorted, sort_order, unique_sorted
from .attrition import censor_wave, check_rates, draw_attrition
from .badrows import plant_bad_rows
from .design import (
    COLLABORATION_TYPES,
    FIRST_YEAR,
    GOVERNANCE,
    Case,
    Registry,
    design_cases,
    evolve_roster,
    first_wave_recruits,
    initial_roster,
)
from .fieldwork import phase_weights, wave_calendar, wave_fieldwork
from .outcomes import (
    CASE_EFFECT_SD,
    DIFFUSION_ETA_CAP,
    RADICALNESS_CUTPOINTS,
    WAVE_EFFECT,
    draw_outcomes,
    true_effects,
)
from .roles import evolve_roles, initial_roles, survey_report

__all__ = ["DEFAULT_HOMOPHILY", "DEFAULT_SEED", "simulate_dataset"]

DEFAULT_SEED = 20261127
#: Default same-sector preference of ordinary contacts (``exp(1) ≈ 2.7`` times the weight).
DEFAULT_HOMOPHILY = 1.0

_STREAM_DESIGN, _STREAM_CASE, _STREAM_OUTCOME, _STREAM_BAD, _STREAM_SURVEY = 1, 2, 3, 4, 5


def _check_arguments(n_cases, n_waves, min_actors, max_actors, records_per_actor, single, homophily,
                     response_rate, case_effect_sd) -> None:
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
    if not homophily >= 0:
        raise ValueError(f"homophily must be >= 0, got {homophily}")
    if response_rate is not None and not 0 < response_rate <= 1:
        raise ValueError(f"response_rate must be in (0, 1], got {response_rate}")
    if not (np.isfinite(case_effect_sd) and case_effect_sd >= 0):
        raise ValueError(f"case_effect_sd must be >= 0, got {case_effect_sd}")


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
    homophily: float = DEFAULT_HOMOPHILY,
    response_rate: float | None = None,
    case_effect_sd: float = CASE_EFFECT_SD,
    case_dropout: float = 0.0,
    actor_dropout: float = 0.0,
    informative_dropout: float = 0.0,
) -> dict[str, Any]:
    """Write a synthetic dataset with its planted truth to ``out``.

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
        Expected latent interaction records per roster member and wave
        (non-respondents' outgoing records are then missing).
    directed
        Records are survey reports (``source`` = the reporting actor, many
        ties reported from both sides) when True, co-presence logs (each pair
        in one orientation) when False.
    bad_rows
        Plant a handful of bad rows (listed in ``planted_bad_rows.csv`` and
        the README) so that the quarantine path runs.
    single_case_actors
        Write one case of this many first-wave actors (benchmarks); the
        roster bounds are then not applied.
    homophily
        Same-sector preference of ordinary contacts: a target of the own
        sector weighs ``exp(homophily)`` times more (0: none).
    response_rate
        Every case's survey response rate; None (default) draws it per case
        from U(0.6, 0.95). 1 gives complete data.
    case_effect_sd
        Standard deviation of the case random intercept of the outcomes (the
        same in every wave; see :mod:`netinnov.simulate.outcomes`).
    case_dropout, actor_dropout, informative_dropout
        Attrition between waves (:mod:`netinnov.simulate.attrition`): the
        probability that a case, and an actor, is lost before each next wave,
        and the log-odds change of a case's dropout per SD of its latent
        propensity to implement (0: completely at random). The Python default
        is no attrition (0, 0, 0); ``netinnov simulate`` defaults to 0.10,
        0.15, 0.

    Returns
    -------
    dict
        Summary: output path, seed, waves, counts of cases, actors, joiners,
        leavers, isolates, non-respondents, records, participation rows,
        events and role rows per wave, and the number of planted bad rows.

    Raises
    ------
    ValueError
        For impossible arguments.
    FileExistsError
        When ``out`` holds wave folders of a dataset the generator did not write.
    """
    _check_arguments(n_cases, n_waves, min_actors, max_actors, records_per_actor, single_case_actors, homophily,
                     response_rate, case_effect_sd)
    check_rates(case_dropout, actor_dropout, informative_dropout)
    out = Path(out)
    waves = [f"w{i + 1}" for i in range(n_waves)]
    cases, sizes = design_cases(
        np.random.default_rng([seed, _STREAM_DESIGN]), n_cases, min_actors, max_actors, single_case_actors,
        float(case_effect_sd),
    )
    if response_rate is not None:
        for case in cases:
            case.response_rate = float(response_rate)
    registry = Registry()
    bounds = (3, None) if single_case_actors is not None else (min_actors, max_actors)
    settings = {"records_per_actor": records_per_actor, "directed": directed, "homophily": float(homophily)}
    tables = [_wave_tables(seed, w, n_waves, cases, sizes, registry, bounds, settings) for w in range(n_waves)]
    actors = registry.table()
    eta = np.column_stack([t["cases"]["eta_implemented"].to_numpy(dtype=float) for t in tables])
    attrition = draw_attrition(seed, eta, actors["wave"], case_dropout, actor_dropout, informative_dropout)
    for w, t in enumerate(tables):
        censor_wave(t, attrition, w, waves)
    width = max(4, len(str(registry.n_actors + 200)))
    planted = (
        plant_bad_rows(np.random.default_rng([seed, _STREAM_BAD]), tables, registry.n_actors, width)
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
    effects = true_effects(n_waves, float(case_effect_sd))
    files.write_frame(out / "true_effects.csv", effects)
    true_cases = pd.concat([t["cases"].assign(wave=w) for t, w in zip(tables, waves, strict=True)], ignore_index=True)
    files.write_frame(out / "true_cases.csv", _true_cases_table(true_cases))
    files.write_truth(out, names, tables, waves)
    stale = out / "true_case_features.csv"  # written by generator v1
    if stale.exists():
        stale.unlink()
    bad_table = pd.DataFrame(planted, columns=["file", "line", "row", "reason", "detail"])
    files.write_frame(out / "planted_bad_rows.csv", bad_table)
    summary = _summary(out, seed, directed, waves, cases, registry.n_actors, tables, planted)
    args = {
        "seed": seed, "n_cases": n_cases, "n_waves": n_waves, "min_actors": min_actors, "max_actors": max_actors,
        "records_per_actor": records_per_actor, "directed": directed, "bad_rows": bad_rows,
        "single_case_actors": single_case_actors, "homophily": float(homophily), "response_rate": response_rate,
        "case_effect_sd": float(case_effect_sd), "case_dropout": float(case_dropout),
        "actor_dropout": float(actor_dropout), "informative_dropout": float(informative_dropout),
    }
    model = {"cutpoints": RADICALNESS_CUTPOINTS, "diffusion_cap": DIFFUSION_ETA_CAP, "wave_effect": WAVE_EFFECT,
             "case_effect_sd": float(case_effect_sd)}
    text = files.readme(args, summary, bad_table, effects, model)
    (out / "README.md").write_text(text, encoding="utf-8")
    return summary


def _wave_tables(
    seed: int,
    w: int,
    n_waves: int,
    cases: list[Case],
    sizes: np.ndarray,
    registry: Registry,
    bounds: tuple[int, int | None],
    settings: dict[str, Any],
) -> dict[str, Any]:
    """All cases of one wave as code arrays (``rec_*, att_*, mem_*, role_*`` observed; ``tr_*, tm_*`` truth)."""
    weights = phase_weights(w, n_waves)
    parts: dict[str, list[np.ndarray]] = {}
    stats = {"joiners": 0, "leavers": 0}
    latent = []

    def add(key: str, values) -> None:
        parts.setdefault(key, []).append(np.asarray(values, dtype=np.int64))

    for case in cases:
        rng = np.random.default_rng([seed, _STREAM_CASE, case.index, w])
        if w == 0:
            initial_roster(rng, case, int(sizes[case.index]), registry)
            initial_roles(rng, case)
            first_wave_recruits(rng, case)
            joiners = np.zeros(0, dtype=np.int64)
        else:
            evolve_roles(rng, case)
            joiners, left = evolve_roster(rng, case, w, registry, *bounds)
            stats["leavers"] += len(left)
        stats["joiners"] += len(joiners)
        calendar = wave_calendar(rng, FIRST_YEAR + w, weights)
        net = wave_fieldwork(rng, case, calendar, weights, settings["records_per_actor"], settings["directed"],
                             joiners, settings["homophily"])
        survey = np.random.default_rng([seed, _STREAM_SURVEY, case.index, w])
        rep_actor, rep_role, rep_score, surveyed = survey_report(survey, case, net["active"])
        roster = net["roster"]
        add("mem_case", np.full(len(roster), case.index))
        add("mem_actor", case.gid[roster])
        add("mem_sector", case.sector[roster])
        add("mem_responded", net["responded"])
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
        add("role_case", np.full(len(rep_actor), case.index))
        add("role_actor", case.gid[rep_actor])
        add("role_code", rep_role)
        add("role_score", rep_score)
        held = np.flatnonzero(case.holders >= 0)
        add("tr_case", np.full(len(held), case.index))
        add("tr_actor", case.gid[case.holders[held]])
        add("tr_role", held)
        _true_members(add, case, roster, net)
        latent.append(_latent_row(case, net, roster, surveyed))
    t: dict[str, Any] = {k: np.concatenate(v) for k, v in parts.items()}
    t["att_event"] = _event_codes(t["att_case"], t.pop("att_local_event"))
    _sort_rows(t)
    seen = np.concatenate([t["rec_src"], t["rec_tgt"], t["att_actor"]])
    stats["isolates"] = int((~isin_sorted(t["mem_actor"], seen)).sum())
    stats["nonrespondents"] = int((t["mem_responded"] == 0).sum())
    for key in [k for k in t if k.startswith(("rec_", "att_", "mem_", "role_"))]:
        t[key] = t[key].astype(np.int32)  # halve the memory held until the files are written
    frame = pd.DataFrame(latent, index=pd.Index([c.case_id for c in cases], name="case_id"))
    outcomes = draw_outcomes(np.random.default_rng([seed, _STREAM_OUTCOME, w]), frame, w)
    t.update(cases=frame.join(outcomes).reset_index(), outcomes=outcomes, year=FIRST_YEAR + w, stats=stats)
    return t


def _true_members(add, case: Case, roster: np.ndarray, net: dict[str, Any]) -> None:
    """Latent facts per roster member: driver, hub, entry day and first contact, invitation."""
    n_local = len(case.gid)
    entry, sponsor = np.full(n_local, -1), np.full(n_local, -1)
    entry[net["newcomer"]] = net["entry_day"]
    sponsor[net["newcomer"]] = case.gid[net["sponsor"]]
    invite = np.full(n_local, -1)
    invite[net["invitee"]] = net["invite_day"]
    inviter = np.full(n_local, -1)
    conv = case.holders[0]
    if conv >= 0:
        inviter[net["invitee"]] = case.gid[conv]
    add("tm_case", np.full(len(roster), case.index))
    add("tm_actor", case.gid[roster])
    add("tm_driver", np.isin(roster, case.drivers))
    add("tm_hub", np.isin(roster, case.hubs))
    add("tm_entry", entry[roster])
    add("tm_sponsor", sponsor[roster])
    add("tm_invite", invite[roster])
    add("tm_inviter", inviter[roster])


def _evenness(sector: np.ndarray) -> float:
    """Roster diversity as Pielou's evenness: Shannon entropy of the sector shares over ln 4 (0..1)."""
    p = np.bincount(sector, minlength=4) / max(len(sector), 1)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum() / np.log(4))


def _latent_row(case: Case, net: dict[str, Any], roster: np.ndarray, surveyed: bool) -> dict[str, Any]:
    """One row of ``true_cases.csv`` (before the outcomes)."""
    return {
        "collaboration_type": COLLABORATION_TYPES[case.kind],
        "governance": GOVERNANCE[case.governance],
        **{f"{r}_present": int(case.holders[i] >= 0) for i, r in enumerate(("convener", "facilitator", "catalyst"))},
        "diversity": _evenness(case.sector[roster]),
        "cross_sector_work": net["cross_sector_work"],
        "openness": case.openness,
        "n_actors": len(roster),
        "n_drivers": len(case.drivers),
        "n_newcomers": len(net["newcomer"]),
        "n_recruits": len(case.recruits),
        "n_invitees": len(net["invitee"]),
        "case_effect": case.case_effect,
        "response_rate": case.response_rate,
        "responded_share": float(np.mean(net["responded"])) if len(roster) else np.nan,
        "roles_surveyed": int(surveyed),
    }


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
        "tr_": sort_order(t["tr_case"], t["tr_role"]),
        "tm_": sort_order(t["tm_case"], t["tm_actor"]),
    }
    for prefix, order in orders.items():
        for k in [k for k in t if k.startswith(prefix)]:
            t[k] = t[k][order]


_TRUE_CASE_COLUMNS = [
    "case_id", "wave", "collaboration_type", "convener_present", "facilitator_present", "catalyst_present",
    "governance", "case_effect", "response_rate", "responded_share", "roles_surveyed", "diversity",
    "cross_sector_work", "openness", "n_actors", "n_drivers", "n_newcomers", "n_recruits", "n_invitees",
    "eta_implemented", "eta_diffusion", "eta_radicalness", "implemented", "radicalness", "diffusion",
    "last_wave", "p_dropout",
]


def _true_cases_table(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[_TRUE_CASE_COLUMNS].copy()
    for col in ("case_effect", "response_rate", "responded_share", "diversity", "cross_sector_work", "openness",
                "eta_implemented", "eta_diffusion", "eta_radicalness", "p_dropout"):
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
        "cases_per_wave": per_wave(lambda t, w: int(t["case_observed"].sum())),
        "cases_lost_per_wave": per_wave(lambda t, w: t["stats"]["cases_lost"]),
        "member_rows_lost_per_wave": per_wave(lambda t, w: t["stats"]["members_lost"]),
        "n_actors": int(n_actors),
        "actors_per_wave": per_wave(lambda t, w: len(t["mem_actor"])),
        "joiners_per_wave": per_wave(lambda t, w: t["stats"]["joiners"]),
        "leavers_per_wave": per_wave(lambda t, w: t["stats"]["leavers"]),
        "isolates_per_wave": per_wave(lambda t, w: t["stats"]["isolates"]),
        "nonrespondents_per_wave": per_wave(lambda t, w: t["stats"]["nonrespondents"]),
        "records_per_wave": per_wave(lambda t, w: len(t["rec_case"])),
        "participation_rows_per_wave": per_wave(lambda t, w: len(t["att_case"])),
        "events_per_wave": per_wave(lambda t, w: len(unique_sorted(t["att_event"]))),
        "role_rows_per_wave": per_wave(lambda t, w: len(t["role_case"])),
        "true_role_rows_per_wave": per_wave(lambda t, w: len(t["tr_case"])),
        "bad_rows": len(planted),
        "bad_rows_per_wave": per_wave(lambda t, w: sum(p["file"].startswith(f"waves/{w}/") for p in planted)),
    }
