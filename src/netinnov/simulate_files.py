"""Writing a synthetic dataset: the CSV files of the input contract and the README.

Columns are written from integer codes through pyarrow (labels taken from a
dictionary), so millions of records are written in seconds and the same codes
always give the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from netinnov.simulate_fieldwork import (
    CASE_TYPES,
    CATALYST_SPONSOR_CAP,
    CHANNELS,
    EVENT_TYPES,
    FIRST_YEAR,
    GOVERNANCE,
    ORG_KINDS,
    PHASES,
    ROLES,
    SECTORS,
    Case,
)

__all__ = [
    "BAD_DATE_MONTH13",
    "BAD_DATE_FEB30",
    "BAD_PHASE",
    "BAD_ROLE",
    "Names",
    "prepare_out",
    "readme",
    "write_actors",
    "write_frame",
    "write_wave",
]

#: Codes of planted bad values: dates written as ``<year>-13-45`` and ``<year>-02-30``,
#: the phase ``pilot`` and the role ``champion``.
BAD_DATE_MONTH13, BAD_DATE_FEB30 = -1, -2
BAD_PHASE = len(PHASES)
BAD_ROLE = len(ROLES)


class Names:
    """Identifier strings of the actor, organisation, case and sector codes.

    Actor ``k`` is ``A`` followed by ``k`` zero-padded to ``width`` digits;
    codes up to ``n_actors + 199`` have a name, so that planted unknown actors
    can be written too.
    """

    def __init__(self, cases: list[Case], actors: dict[str, np.ndarray], width: int) -> None:
        numbers = np.arange(len(actors["sector"]) + 200)
        self.actor = pa.array(np.char.add("A", np.char.zfill(numbers.astype(str), width)).tolist())
        self.case = pa.array([c.case_id for c in cases])
        kinds = actors["org_kind"]
        org_width = max(3, len(str(len(kinds))))
        self.org = pa.array(
            [
                f"{ORG_KINDS[s][k]}_{i + 1:0{org_width}d}"
                for i, (s, k) in enumerate(zip(actors["org_sector"].tolist(), kinds.tolist(), strict=True))
            ]
        )
        self.sector = pa.array(list(SECTORS))

    def actors_of(self, codes: np.ndarray) -> pa.Array:
        """Actor ids of codes (-1: empty)."""
        return _dictionary(codes, self.actor)


def _dictionary(codes: np.ndarray, labels: pa.Array) -> pa.Array:
    """The labels of integer codes (code < 0 is written as an empty field)."""
    codes = np.asarray(codes, dtype=np.int64)
    mask = codes < 0
    idx = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None)
    return pc.take(labels, idx)


def _write_table(path: Path, columns: dict[str, pa.Array]) -> None:
    """A CSV with a plain header line and unquoted fields (no value holds a comma)."""
    table = pa.table(columns)
    with open(path, "wb") as fh:
        fh.write((",".join(columns) + "\n").encode())
        if table.num_rows:
            pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="none"))


def write_frame(path: Path, frame: pd.DataFrame) -> None:
    """A small table through pandas, with ``\\n`` line ends on every platform."""
    frame.to_csv(path, index=False, lineterminator="\n")


def write_actors(path: Path, names: Names, actors: dict[str, np.ndarray], rows: np.ndarray) -> None:
    """``actor_id, sector, organization, command_rank_score, seniority_years`` of the given actor codes."""
    _write_table(
        path,
        {
            "actor_id": names.actors_of(rows),
            "sector": _dictionary(actors["sector"][rows], names.sector),
            "organization": _dictionary(actors["org"][rows], names.org),
            "command_rank_score": pa.array(np.char.mod("%.1f", actors["rank"][rows]).tolist() if len(rows) else [],
                                           type=pa.string()),
            "seniority_years": pa.array(actors["seniority"][rows]),
        },
    )


def _date_labels(year: int, extra: tuple[str, ...]) -> pa.Array:
    days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    return pa.array([*days.astype(str).tolist(), *extra])


def _write_interactions(path: Path, names: Names, t: dict[str, Any]) -> None:
    year = t["year"]
    labels = _date_labels(year, (f"{year}-13-45", f"{year}-02-30"))
    n_days = len(labels) - 2
    day = t["rec_day"]
    day = np.where(day == BAD_DATE_MONTH13, n_days, np.where(day == BAD_DATE_FEB30, n_days + 1, day))
    _write_table(
        path,
        {
            "case_id": _dictionary(t["rec_case"], names.case),
            "source": names.actors_of(t["rec_src"]),
            "target": names.actors_of(t["rec_tgt"]),
            "frequency": pa.array(t["rec_frequency"]),
            "duration_min": pa.array(t["rec_duration"]),
            "closeness": pa.array(t["rec_closeness"]),
            "channel": _dictionary(t["rec_channel"], pa.array(list(CHANNELS))),
            "phase": _dictionary(t["rec_phase"], pa.array([*PHASES, "pilot"])),
            "date": _dictionary(day, labels),
        },
    )


def _event_labels(names: Names, t: dict[str, Any], wave: int) -> pa.Array:
    case, event = t["att_case"], t["att_event"]
    n_events = int(event.max()) + 1 if len(event) else 0
    ev_case = np.zeros(n_events, dtype=np.int64)
    ev_case[event] = case  # events are numbered consecutively within a case
    start = np.searchsorted(ev_case, ev_case, "left")
    local = np.arange(n_events) - start + 1
    width = max(2, len(str(int(local.max()) if n_events else 1)))
    cases = names.case.to_pylist()
    return pa.array([f"{cases[c]}-w{wave + 1}-e{k:0{width}d}" for c, k in zip(ev_case.tolist(), local.tolist(), strict=True)])


def _write_participation(path: Path, names: Names, t: dict[str, Any], wave: int) -> None:
    labels = _date_labels(t["year"], ())
    _write_table(
        path,
        {
            "case_id": _dictionary(t["att_case"], names.case),
            "event_id": _dictionary(t["att_event"], _event_labels(names, t, wave)),
            "actor_id": names.actors_of(t["att_actor"]),
            "date": _dictionary(t["att_day"], labels),
            "phase": _dictionary(t["att_phase"], pa.array(list(PHASES))),
            "duration_min": pa.array(t["att_duration"]),
            "event_type": _dictionary(t["att_type"], pa.array(list(EVENT_TYPES))),
        },
    )


def _write_roles(path: Path, names: Names, t: dict[str, Any]) -> None:
    _write_table(
        path,
        {
            "case_id": _dictionary(t["role_case"], names.case),
            "actor_id": names.actors_of(t["role_actor"]),
            "role": _dictionary(t["role_code"], pa.array([*ROLES, "champion"])),
            "score": pa.array(t["role_score"]),
        },
    )


def _write_members(path: Path, names: Names, t: dict[str, Any]) -> None:
    _write_table(
        path, {"case_id": _dictionary(t["mem_case"], names.case), "actor_id": names.actors_of(t["mem_actor"])}
    )


def _write_outcomes(path: Path, cases: list[Case], t: dict[str, Any]) -> None:
    o = t["outcomes"]
    _write_table(
        path,
        {
            "case_id": pa.array([c.case_id for c in cases]),
            "implemented": pa.array(o["implemented"].to_numpy()),
            "radicalness": pa.array(o["radicalness"].to_numpy()),
            "diffusion": pa.array(o["diffusion"].to_numpy()),
            "governance": pa.array([GOVERNANCE[c.governance] for c in cases]),
            "case_type": pa.array([CASE_TYPES[c.kind] for c in cases]),
        },
    )


def write_wave(folder: Path, names: Names, t: dict[str, Any], wave: int, cases: list[Case]) -> None:
    """The input files of one wave (``actors.csv`` of joiners is written separately)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_interactions(folder / "interactions.csv", names, t)
    _write_participation(folder / "participation.csv", names, t, wave)
    _write_roles(folder / "roles.csv", names, t)
    _write_outcomes(folder / "outcomes.csv", cases, t)
    _write_members(folder / "members.csv", names, t)


def prepare_out(out: Path, waves: list[str]) -> None:
    """Create ``out``; remove wave folders of an earlier generated dataset that this one lacks."""
    out.mkdir(parents=True, exist_ok=True)
    folder = out / "waves"
    if not folder.is_dir():
        return
    stale = [p for p in folder.iterdir() if p.is_dir() and p.name not in waves]
    if stale and not (out / "true_effects.csv").exists():
        raise FileExistsError(
            f"{folder} holds wave folders {sorted(p.name for p in stale)} of a dataset not written by "
            "the generator; choose an empty directory"
        )
    for p in stale:
        shutil.rmtree(p)


# ==================================================================== README
def readme(args: dict, summary: dict, bad: pd.DataFrame, effects: pd.DataFrame, model: dict[str, Any]) -> str:
    """The dataset's README: design, files, outcome model and planted bad rows."""
    waves = summary["waves"]
    cmd = [f"netinnov simulate --seed {args['seed']} --out <dir>"]
    if args["single_case_actors"] is not None:
        cmd.append(f"--single-case-actors {args['single_case_actors']}")
    else:
        cmd.append(f"--cases {args['n_cases']}")
    cmd.append(f"--waves {args['n_waves']} --min-actors {args['min_actors']} --max-actors {args['max_actors']}")
    cmd.append(f"--records-per-actor {args['records_per_actor']:g}")
    if not args["directed"]:
        cmd.append("--undirected")
    if not args["bad_rows"]:
        cmd.append("--no-bad-rows")
    if args["single_case_actors"] is not None:
        sizes = f"One case of {args['single_case_actors']} first-wave members (no roster bounds)"
    else:
        sizes = f"{args['min_actors']}–{args['max_actors']} members per case and wave"
    if args["directed"]:
        reports = "`source` is the reporting actor; many ties are reported from both sides."
    else:
        reports = "co-presence logs, each pair recorded in one orientation."
    lines = [
        "# Synthetic collaborative-innovation dataset",
        "",
        "Written by `netinnov.simulate` (do not edit by hand; regenerate instead):",
        "",
        "```",
        " ".join(cmd),
        "```",
        "",
        "The same arguments give byte-identical files. The dataset follows the input",
        "contract (SPEC.md) and carries `true_effects.csv`, so the case-level models",
        "of the pipeline can be compared with the model the outcomes were drawn from.",
        f"Use it with `directed: {'true' if args['directed'] else 'false'}` "
        f"and waves {', '.join(f'`{w}`' for w in waves)} (in this order).",
        "",
        "## Design",
        "",
        f"* **Cases.** {summary['n_cases']} innovation cases followed over {len(waves)} waves; wave `wk`",
        f"  covers the calendar year {FIRST_YEAR - 1}+k "
        f"({', '.join(f'{w}: {FIRST_YEAR + i}' for i, w in enumerate(waves))}).",
        "  Each case has a design type (`case_type` in outcomes.csv: mostly public agencies,",
        "  public–private, or multi-actor) that sets its sector mix, and a governance",
        "  context (`governance`: NPM, hybrid, NPG) that makes leadership roles more or",
        "  less likely. Neither has a direct effect on the outcomes.",
        "* **Actors.** Four sectors (`public`, `private`, `civil_society`, `citizen`).",
        "  Non-citizens belong to organisations (`organization`, several actors per",
        "  organisation, organisations nested in sector); citizens have none.",
        "  Covariates: `command_rank_score` (1–10, formal rank; citizens low) and",
        "  `seniority_years`. Activity is heavy-tailed (log-normal); civil-society",
        "  actors report and are named most (central), citizens least.",
        "  Large cases are split into communities of about 60 actors; ties form",
        "  mostly inside the organisation, then the community and sector, then",
        "  across the case.",
        f"* **Rosters** (`members.csv`). {sizes}.",
        "  Between waves about 8 % of members leave (20 % of citizens; role",
        "  holders stay) and new actors join (more where a catalyst",
        "  is active). Joiners are new to the dataset and listed in",
        "  `waves/<wave>/actors.csv`; the first wave's actors are in `actors.csv`.",
        "  A few members per wave are isolates: listed in `members.csv` but in no",
        "  interaction or participation record of that wave.",
        f"* **Interaction records** (`interactions.csv`): {reports}",
        "  `frequency` ≥ 1 (count),",
        "  `duration_min` (total minutes: frequency × typical minutes of the",
        "  channel), `closeness` 1–5, `channel` (meeting, workshop, email, phone,",
        "  informal), `phase` and an ISO `date` in the wave's year. Each case-wave",
        "  runs through the phases in order (initiation, design, implementation,",
        "  diffusion: consecutive date intervals); early waves weigh initiation and",
        "  design, later waves implementation and diffusion. Private actors take",
        "  part more in implementation than in initiation and design.",
        "* **Events** (`participation.csv`): meetings and workshops with 3–15",
        "  attendees, `event_id`, `date`, `phase`, `duration_min`, `event_type`.",
        "  Attending the same event makes a co-participation tie.",
        "* **Reported roles** (`roles.csv`): 0–3 role holders per case and wave",
        "  (at most one per role), `score` 1–5. Role holders behave their role:",
        "  - *convener*: active early (initiation/design records and events), many",
        "    ties across sectors to actors who are otherwise not tied to each other;",
        "  - *facilitator*: repeated interaction (many records, high frequency and",
        "    closeness), reciprocated ties, attends most events, and their alters",
        "    are tied to each other (closure);",
        "  - *catalyst*: weak ties across sectors to peripheral actors (one",
        "    record, frequency 1, one channel, closeness ≤ 2), i.e. bridges; brings",
        "    in new actors: joiners of the next wave (and of the catalyst's own wave)",
        f"    attach first to the catalyst (at most {CATALYST_SPONSOR_CAP} per catalyst and wave; other",
        "    joiners first to an incumbent). A joiner's first records are its tie to",
        "    that sponsor, dated on its entry day; all its other records and events",
        "    come later.",
        "",
        "## Files",
        "",
        "| file | rows | content |",
        "|---|---|---|",
        f"| `actors.csv` | {summary['actors_per_wave'][waves[0]] if waves else 0} | actors of the first wave: actor_id, sector, organization, command_rank_score, seniority_years |",
    ]
    for i, w in enumerate(waves):
        rec = summary["records_per_wave"][w]
        lines.append(f"| `waves/{w}/interactions.csv` | {rec} | interaction records |")
        lines.append(f"| `waves/{w}/participation.csv` | {summary['participation_rows_per_wave'][w]} | "
                     f"attendance at {summary['events_per_wave'][w]} events |")
        lines.append(f"| `waves/{w}/roles.csv` | {summary['role_rows_per_wave'][w]} | reported roles |")
        lines.append(f"| `waves/{w}/outcomes.csv` | {summary['n_cases']} | implemented, radicalness, diffusion, governance, case_type |")
        lines.append(f"| `waves/{w}/members.csv` | {summary['actors_per_wave'][w]} | rosters "
                     f"({summary['isolates_per_wave'][w]} isolates) |")
        if i > 0:
            lines.append(f"| `waves/{w}/actors.csv` | {summary['joiners_per_wave'][w]} | actors joining in {w} "
                         f"({summary['leavers_per_wave'][w]} members left) |")
    lines += [
        f"| `true_effects.csv` | {len(effects)} | the outcome model's coefficients |",
        f"| `true_case_features.csv` | {summary['n_cases'] * len(waves)} | the predictors and linear predictors "
        "the outcomes were drawn from |",
        f"| `planted_bad_rows.csv` | {len(bad)} | the bad rows below |",
        "",
        "Row counts include planted bad rows. Files are sorted: interactions by",
        "case, date, source, target; participation by case, event, actor.",
        "",
        "## Outcome model (true effects)",
        "",
        "For case *c* in wave *w* the predictors are computed from the final data",
        "(planted bad rows excluded; they change none of them):",
        "",
        "* `density` = ties / possible ties of the roster network: nodes are the",
        "  members in `members.csv` (isolates included); ties are interaction",
        "  records between two members merged with co-participation (two members",
        "  at the same event are tied, in both directions when directed);",
        f"  {'arcs / n(n−1)' if args['directed'] else 'unordered pairs / (n(n−1)/2)'} for this dataset "
        f"({'directed' if args['directed'] else 'undirected'}).",
        "* `sector_blau` = 1 − Σₖ pₖ² over the roster's sector shares.",
        "* `n_actors` = roster size.",
        "* `convener_present`, `facilitator_present`, `catalyst_present` = 1 when",
        "  `roles.csv` reports that role in the case and wave.",
        "",
        "```",
        "implemented ~ Bernoulli(p),  logit(p) = η_impl",
        f"diffusion   ~ Poisson(μ),    log(μ)   = min(η_diff, {model['diffusion_cap']:g})",
        "radicalness = 1 + #{k : τ_k < η_rad + ε},  ε ~ standard logistic,",
        f"              τ = ({', '.join(f'{c:g}' for c in model['cutpoints'])})  (no intercept)",
        "η = Intercept + Σ_j β_j · x_j  over the terms below",
        "```",
        "",
        "Draws are independent across cases and waves given the predictors (no",
        "case random effect); the cap on η_diff only bites far outside 8–60 actors.",
        "",
        "| outcome | term | true_effect | family | note |",
        "|---|---|---|---|---|",
    ]
    for row in effects.itertuples(index=False):
        lines.append(f"| {row.outcome} | `{row.term}` | {row.true_effect:g} | {row.family} | {row.note} |")
    lines += [
        "",
        "A zero marks a predictor with no effect. Term names are those of a",
        "statsmodels formula fit (`implemented ~ density + sector_blau + n_actors +",
        "convener_present + facilitator_present + catalyst_present`).",
        "",
        "## Planted bad rows",
        "",
    ]
    if len(bad):
        lines += [
            "Line numbers count the header as line 1. Each bad row copies a valid",
            "row (so its tie is still present) and breaks one thing:",
            "",
            "| file | line | reason | detail |",
            "|---|---|---|---|",
        ]
        for row in bad.itertuples(index=False):
            lines.append(f"| `{row.file}` | {row.line} | {row.reason} | {row.detail} |")
        lines += ["", "They are also listed in `planted_bad_rows.csv` (file, line, row, reason, detail)."]
    else:
        lines.append("None (written with `--no-bad-rows`).")
    lines.append("")
    return "\n".join(lines)
