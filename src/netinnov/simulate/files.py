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

from .design import (
    CATALYST_SPONSOR_CAP,
    CHANNELS,
    EVENT_TYPES,
    FIRST_YEAR,
    GOVERNANCE,
    LEADERSHIP_ROLES,
    ORG_KINDS,
    PHASES,
    SECTORS,
    Case,
)
from .outcomes import CASE_EFFECT_SD
from .roles import FALSE_REPORT_P, REPORT_P, UNSURVEYED_P

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
    "write_truth",
    "write_wave",
]

#: Codes of planted bad values: dates written as ``<year>-13-45`` and ``<year>-02-30``,
#: the phase ``pilot`` and the role ``champion``.
BAD_DATE_MONTH13, BAD_DATE_FEB30 = -1, -2
BAD_PHASE = len(PHASES)
BAD_ROLE = len(LEADERSHIP_ROLES)


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
            "role": _dictionary(t["role_code"], pa.array([*LEADERSHIP_ROLES, "champion"])),
            "score": pa.array(t["role_score"]),
        },
    )


def _write_members(path: Path, names: Names, t: dict[str, Any]) -> None:
    _write_table(
        path,
        {
            "case_id": _dictionary(t["mem_case"], names.case),
            "actor_id": names.actors_of(t["mem_actor"]),
            "responded": _dictionary(t["mem_responded"], pa.array(["false", "true"])),
        },
    )


def _write_outcomes(path: Path, cases: list[Case], t: dict[str, Any]) -> None:
    observed = t.get("case_observed")
    if observed is not None:  # cases lost to attrition write no outcomes
        cases = [c for c, keep in zip(cases, observed, strict=True) if keep]
    o = t["outcomes"].loc[[c.case_id for c in cases]]
    _write_table(
        path,
        {
            "case_id": pa.array([c.case_id for c in cases]),
            "implemented": pa.array(o["implemented"].to_numpy()),
            "radicalness": pa.array(o["radicalness"].to_numpy()),
            "diffusion": pa.array(o["diffusion"].to_numpy()),
            "governance": pa.array([GOVERNANCE[c.governance] for c in cases]),
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


def _dates(day: np.ndarray, year: int) -> pa.Array:
    """ISO dates of day offsets in ``year`` (-1: empty)."""
    return _dictionary(day, _date_labels(year, ()))


def write_truth(out: Path, names: Names, tables: list[dict[str, Any]], waves: list[str]) -> None:
    """``true_roles.csv`` (latent holders) and ``true_members.csv`` (latent facts per roster member)."""
    roles, members = [], []
    for t, wave in zip(tables, waves, strict=True):
        n_roles, n_members = len(t["tr_case"]), len(t["tm_case"])
        roles.append(pa.table({
            "case_id": _dictionary(t["tr_case"], names.case),
            "wave": pa.array([wave] * n_roles, type=pa.string()),
            "actor_id": names.actors_of(t["tr_actor"]),
            "role": _dictionary(t["tr_role"], pa.array(list(LEADERSHIP_ROLES))),
        }))
        members.append(pa.table({
            "case_id": _dictionary(t["tm_case"], names.case),
            "wave": pa.array([wave] * n_members, type=pa.string()),
            "actor_id": names.actors_of(t["tm_actor"]),
            "driver": pa.array(t["tm_driver"].astype(np.int64)),
            "hub": pa.array(t["tm_hub"].astype(np.int64)),
            "entry_date": _dates(t["tm_entry"], t["year"]),
            "first_contact": names.actors_of(t["tm_sponsor"]),
            "invited_by": names.actors_of(t["tm_inviter"]),
            "invitation_date": _dates(t["tm_invite"], t["year"]),
            **_attrition_truth(t, waves, n_members),
        }))
    for path, parts in ((out / "true_roles.csv", roles), (out / "true_members.csv", members)):
        table = pa.concat_tables(parts)
        _write_table(path, {name: table.column(name).combine_chunks() for name in table.column_names})


def _attrition_truth(t: dict[str, Any], waves: list[str], n: int) -> dict[str, pa.Array]:
    """``last_wave`` and ``p_dropout`` of the member truth (none when attrition was not drawn)."""
    if "tm_last" not in t:
        return {}
    return {
        "last_wave": _dictionary(t["tm_last"], pa.array(waves)),
        "p_dropout": pa.array(t["tm_p_dropout"], mask=np.isnan(t["tm_p_dropout"])),
    }


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
def _command(args: dict) -> str:
    cmd = [f"netinnov simulate --seed {args['seed']} --out <dir>"]
    if args["single_case_actors"] is not None:
        cmd.append(f"--single-case-actors {args['single_case_actors']}")
    else:
        cmd.append(f"--cases {args['n_cases']}")
    cmd.append(f"--waves {args['n_waves']} --min-actors {args['min_actors']} --max-actors {args['max_actors']}")
    cmd.append(f"--records-per-actor {args['records_per_actor']:g}")
    if args["homophily"] != 1.0:
        cmd.append(f"--homophily {args['homophily']:g}")
    if args["response_rate"] is not None:
        cmd.append(f"--response-rate {args['response_rate']:g}")
    if not args["directed"]:
        cmd.append("--undirected")
    if not args["bad_rows"]:
        cmd.append("--no-bad-rows")
    if args.get("case_effect_sd", CASE_EFFECT_SD) != CASE_EFFECT_SD:
        cmd.append(f"--case-effect-sd {args['case_effect_sd']:g}")
    # always spelled out: the CLI defaults (attrition on) differ from the Python API's (off)
    cmd.append(f"--case-dropout {args.get('case_dropout', 0.0):g} --actor-dropout {args.get('actor_dropout', 0.0):g}")
    if args.get("informative_dropout", 0.0) != 0:
        cmd.append(f"--informative-dropout {args['informative_dropout']:g}")
    return " ".join(cmd)


_DESIGN = """\
## Design: latent behaviour plus noise

The generator builds a latent state for every case — who drives it, who
holds a leadership role, who works with whom and how closely — and then
writes what a survey and a meeting log would record of it, with noise and
non-response. None of the pipeline's measures (role scores, collaboration
type, tie strength, E-I index, density) is computed by the generator, and the
outcomes are drawn from the latent state, not from the data files; so the
pipeline's measures can be validated against the planted truth
(`true_*.csv`) without circularity.

* **Cases** ({n_cases} cases, {n_waves} waves; wave `wk` covers the year {first_year_minus}+k:
  {years}). Each case has a latent **collaboration type** after the CLIPS
  typology of Sørensen & Torfing (2013) — who drives it: `individual_change_agent`
  (one driver who carries most of the work: in about 60 % of the case's records),
  `public_private` (2–3 drivers, at least one private or civil-society) or
  `inter_agency` (2–3 public drivers of at least two public organisations, no
  other driver); planted 30 / 40 / 30 %. The type does not decide the roster:
  every type recruits from one multi-sector population (Dirichlet sector mix),
  so cross-sector ties occur in all types. Drivers initiate and carry the
  innovation: each contacts most members of the case whatever their sector
  (a change agent 90 %, a coalition driver 70 %), initiates an extra share
  of the contacts (a change agent 75 %, each coalition driver 15 %), holds
  stronger working ties (more records), and the records of its ties lean to
  initiation and design (active from the first days, still working in
  implementation). A **governance**
  context (`governance` in outcomes.csv: NPM, hybrid, NPG) makes the
  leadership roles less or more likely; it has no direct effect on outcomes.
* **Actors.** Four sectors (`public`, `private`, `civil_society`, `citizen`).
  Non-citizens belong to organisations (`organization`, nested in sector);
  citizens have none. Covariates `command_rank_score` (1–10) and
  `seniority_years`. Activity is heavy-tailed (log-normal) and sectors differ in
  how many contacts they make and get (civil society most, citizens least).
  A few **hubs** (about 3 % of a roster, at least one per case) are very active
  but hold no role and drive nothing: their work is operational — the records
  of their ties lean to implementation and diffusion — and they initiate nothing.
* **Homophily** (`--homophily`, here {homophily:g}): an ordinary contact picks a
  target of its own sector with weight exp(h) against 1, h = homophily ×
  exp(−0.5 · openness) in a case with latent openness to cross-sector work
  (0: sector-blind choice in every case; activity differences remain). Part of the same-sector draws stay
  inside the organisation. Large cases are split into communities of about 60.
* **Rosters** (`members.csv`). {sizes}. Between waves about 8 % of members
  leave (20 % of citizens; drivers, hubs and role holders stay) and new
  actors join (6 % of the roster, plus the catalyst's recruits). Joiners are
  new to the dataset and listed in `waves/<wave>/actors.csv`. A few members
  per wave are isolates.
* **Non-response** (`responded` in `members.csv`, `true`/`false`): each case
  has a response rate ({response}); drivers, hubs and role holders respond
  with probability 0.95. A non-respondent reports no outgoing record — its ties
  are missing, not absent: it appears only where others name it.
* **Leadership roles** (latent holders in `true_roles.csv`): each role is
  present in a case-wave with probability 0.35 / 0.5 / 0.65 under NPM /
  hybrid / NPG, kept into the next wave with probability 0.8; holders are
  neither drivers nor hubs and are not chosen for their activity. An absent
  role leaves no trace beyond chance. What a holder does:
  - *convener* (Ansell & Gash 2012; *tertius iungens*, Obstfeld 2005): early in
    the wave (initiation/design) contacts 3 + Poisson(2) actors of at least two
    sectors; those invitees then work with each other, and every record between
    two invitees is dated after both invitations;
  - *facilitator* (Straus 2002; Ansell & Gash 2012): activates passive members
    (3 + Poisson(2) + n/30 extra contacts, favouring little-named actors); the
    ties among its alters become more repeated and trusting (more records,
    higher frequency and closeness, more often reported from both sides) and a
    few new ties among them appear; it hosts 2 + Poisson(2) extra meetings
    filled mostly with its alters and attends 60 % of the other events of its
    community (drivers attend 25 %);
  - *catalyst* (Sørensen & Torfing 2013): recruits newcomers (Poisson(1.5 + 0.1 n),
    at most {cap} per wave; in the first wave from the first-wave roster, later
    as extra joiners) who enter during the wave (at 25–70 % of the year) — the newcomer's first record is
    its tie to the catalyst, dated on its entry day, everything else comes later;
    also holds a few weak single-record ties (closeness ≤ 2) to peripheral
    actors of other sectors. 30 % of the other joiners also enter mid-wave,
    through an incumbent drawn by activity.
* **Reported roles** (`roles.csv`, a survey of the latent holders): a
  case-wave is unsurveyed with probability {unsurveyed:g} (no rows); otherwise a
  holder is reported with probability {report:g} (`score` 2–5) and a role nobody
  holds is reported anyway with probability {false:g} (naming a member drawn by
  activity, `score` 1–3).
* **Interaction records** (`interactions.csv`): {reports} Each latent tie has a
  strength (same organisation, same community, the case's openness to
  cross-sector work, noise, the facilitator's effect); the number of records,
  `frequency` (≥ 1), `closeness` (1–5), `channel`, `duration_min` (frequency ×
  typical minutes of the channel) follow it. Each case-wave runs through the
  phases in order (consecutive date intervals); early waves weigh initiation and
  design, later waves implementation and diffusion; private actors take part
  more in implementation than in initiation and design.
* **Events** (`participation.csv`): meetings and workshops with 3–15
  attendees of one community (`event_id`, `date`, `phase`, `duration_min`,
  `event_type`).
* **Attrition** (cases and actors lost to follow-up; monotone): {attrition}
  A lost case writes no rows in later waves (no records, events, roles,
  members, outcomes); a lost actor is missing from `members.csv` and from
  every record, attendance and role report of later waves (also reports by
  others about it). The latent process and outcomes of observed case-waves are
  unchanged: attrition censors the record only. `true_cases.csv` and
  `true_members.csv` list observed case-waves (member-waves) with `last_wave`
  and `p_dropout`.
"""


def readme(args: dict, summary: dict, bad: pd.DataFrame, effects: pd.DataFrame, model: dict[str, Any]) -> str:
    """The dataset's README: design, files, planted truth, outcome model and planted bad rows."""
    waves = summary["waves"]
    if args["single_case_actors"] is not None:
        sizes = f"One case of {args['single_case_actors']} first-wave members (no roster bounds)"
    else:
        sizes = f"{args['min_actors']}–{args['max_actors']} members per case and wave"
    if args["directed"]:
        reports = "`source` is the reporting actor; many ties are reported from both sides."
    else:
        reports = "co-presence logs, each pair recorded in one orientation (`source` is who logged it)."
    response = ("drawn per case from U(0.6, 0.95)" if args["response_rate"] is None
                else f"{args['response_rate']:g} in every case")
    p_case, p_actor = args.get("case_dropout", 0.0), args.get("actor_dropout", 0.0)
    gamma = args.get("informative_dropout", 0.0)
    if p_case == 0 and p_actor == 0:
        attrition = "none in this dataset (`--case-dropout 0 --actor-dropout 0`)."
    else:
        how = ("completely at random" if gamma == 0 else
               f"informative: logit p = logit({p_case:g}) − {gamma:g}·z, z the case's standardised latent "
               "propensity η_implemented of the wave, so low-propensity cases drop out more")
        attrition = (f"before each next wave a case drops out with probability {p_case:g} ({how}); "
                     f"an actor with probability {p_actor:g} (completely at random). Cases observed per wave: "
                     + ", ".join(f"{w} {n}" for w, n in summary["cases_per_wave"].items()) + ".")
    design = _DESIGN.format(attrition=attrition,
        n_cases=summary["n_cases"], n_waves=len(waves), first_year_minus=FIRST_YEAR - 1,
        years=", ".join(f"{w}: {FIRST_YEAR + i}" for i, w in enumerate(waves)), homophily=args["homophily"],
        sizes=sizes, response=response, cap=CATALYST_SPONSOR_CAP, unsurveyed=UNSURVEYED_P, report=REPORT_P,
        false=FALSE_REPORT_P, reports=reports,
    )
    lines = [
        "# Synthetic collaborative-innovation dataset",
        "",
        "Written by `netinnov simulate` (generator v2; do not edit by hand, regenerate instead):",
        "",
        "```",
        _command(args),
        "```",
        "",
        "The same arguments give byte-identical files. The dataset follows the input",
        "contract (SPEC.md) and carries its planted truth (`true_roles.csv`,",
        "`true_cases.csv`, `true_members.csv`, `true_effects.csv`).",
        f"Use it with `directed: {'true' if args['directed'] else 'false'}` "
        f"and waves {', '.join(f'`{w}`' for w in waves)} (in this order).",
        "",
        design,
        "## Files",
        "",
        "| file | rows | content |",
        "|---|---|---|",
        f"| `actors.csv` | {summary['actors_per_wave'][waves[0]] if waves else 0} | actors of the first wave: "
        "actor_id, sector, organization, command_rank_score, seniority_years |",
    ]
    for i, w in enumerate(waves):
        lines.append(f"| `waves/{w}/interactions.csv` | {summary['records_per_wave'][w]} | interaction records |")
        lines.append(f"| `waves/{w}/participation.csv` | {summary['participation_rows_per_wave'][w]} | "
                     f"attendance at {summary['events_per_wave'][w]} events |")
        lines.append(f"| `waves/{w}/roles.csv` | {summary['role_rows_per_wave'][w]} | reported roles "
                     f"({summary['true_role_rows_per_wave'][w]} latent holders) |")
        lines.append(f"| `waves/{w}/outcomes.csv` | {summary['cases_per_wave'][w]} | implemented, radicalness, diffusion, "
                     "governance |")
        lines.append(f"| `waves/{w}/members.csv` | {summary['actors_per_wave'][w]} | rosters and `responded` "
                     f"({summary['nonrespondents_per_wave'][w]} non-respondents, "
                     f"{summary['isolates_per_wave'][w]} isolates) |")
        if i > 0:
            lines.append(f"| `waves/{w}/actors.csv` | {summary['joiners_per_wave'][w]} | actors joining in {w} "
                         f"({summary['leavers_per_wave'][w]} members left) |")
    n_truth = sum(summary["cases_per_wave"].values())
    lines += [
        f"| `true_roles.csv` | {sum(summary['true_role_rows_per_wave'].values())} | latent role holders |",
        f"| `true_cases.csv` | {n_truth} | latent case quantities and the outcomes' linear predictors |",
        f"| `true_members.csv` | {sum(summary['actors_per_wave'].values())} | latent facts per roster member |",
        f"| `true_effects.csv` | {len(effects)} | the outcome model's true effects |",
        f"| `planted_bad_rows.csv` | {len(bad)} | the bad rows below |",
        "",
        "Row counts include planted bad rows. Files are sorted: interactions by",
        "case, date, source, target; participation by case, event, actor.",
        "",
        "## Planted truth",
        "",
        "* `true_roles.csv` — `case_id, wave, actor_id, role`: every latent role holder",
        "  (the actor who behaves the role), reported in `roles.csv` or not.",
        "* `true_cases.csv` — one row per observed case-wave: `collaboration_type`",
        "  (individual_change_agent | public_private | inter_agency),",
        "  `convener_present, facilitator_present, catalyst_present` (latent 0/1),",
        "  `governance`, `case_effect` (random intercept), `response_rate` (planned)",
        "  and `responded_share` (realised), `roles_surveyed` (0: no roles.csv rows",
        "  for the case-wave), `diversity` (roster diversity: Pielou evenness",
        "  −Σ pₖ ln pₖ / ln 4 of the roster's sector shares — not the Blau index the",
        "  pipeline reports), `cross_sector_work` (share of latent tied pairs, reported or",
        "  not, that join two sectors and are working ties, latent strength > 0),",
        "  `openness` (the case's latent openness to cross-sector work), `n_actors`,",
        "  `n_drivers`, `n_newcomers` (members entering during the wave),",
        "  `n_recruits` (the catalyst's), `n_invitees` (the convener's),",
        "  `eta_implemented, eta_diffusion, eta_radicalness`, the outcomes,",
        "  `last_wave` (the case's last observed wave) and `p_dropout` (its",
        "  probability of dropping out before the next wave; empty in the last wave).",
        "* `true_members.csv` — one row per observed roster member and wave: `driver`, `hub`",
        "  (0/1), `entry_date` and `first_contact` (newcomers entering during the",
        "  wave), `invited_by` and `invitation_date` (the convener's invitees),",
        "  `last_wave` (last wave the member can be observed in the case, before it or",
        "  the case is lost; it may leave the roster earlier) and `p_dropout`.",
        "",
        "## Outcome model (true effects)",
        "",
        "Outcomes are drawn from latent quantities (`true_cases.csv`), never from",
        "the data files or a pipeline column:",
        "",
        "```",
        "η = Intercept + β_conv·convener + β_fac·facilitator + β_cat·catalyst",
        "    + β_div·diversity + β_cross·cross_sector_work + β_n·n_actors",
        f"    + s·case_effect + {model['wave_effect']:g}·(wave index, w1 = 0)",
        f"case_effect ~ N(0, {model.get('case_effect_sd', CASE_EFFECT_SD):g}²), drawn once per case (every wave)",
        "implemented ~ Bernoulli(logistic(η))                (s = 1)",
        f"diffusion   ~ Poisson(exp(min(η, {model['diffusion_cap']:g})))            (s = 0.5)",
        "radicalness = 1 + #{k : c_k < η + ε}, ε ~ logistic   (s = 1, no intercept,",
        f"              c = ({', '.join(f'{c:g}' for c in model['cutpoints'])}))",
        "```",
        "",
        "Each term of `true_effects.csv` is spelled as the pipeline proxy of its",
        "latent quantity in `models/coefficients.csv` (`convener_present` = reported",
        "presence, `sector_blau` = Blau index of the roster for its evenness,",
        "`cross_sector_tie_share` = share of observed cross-sector ties). A proxy",
        "measures its latent quantity with error, so fitted coefficients are",
        "attenuated: compare signs and zeros, not sizes.",
        "",
        "| outcome | term | true_effect | family | note |",
        "|---|---|---|---|---|",
    ]
    for row in effects.itertuples(index=False):
        lines.append(f"| {row.outcome} | `{row.term}` | {row.true_effect:g} | {row.family} | {row.note} |")
    lines += [
        "",
        "## References",
        "",
        "* Ansell, C., & Gash, A. (2012). Stewards, mediators, and catalysts: toward a model of",
        "  collaborative leadership. *The Innovation Journal*, 17(1), article 7.",
        "* Blau, P. M. (1977). *Inequality and Heterogeneity*. Free Press.",
        "* Pielou, E. C. (1966). The measurement of diversity in different types of biological",
        "  collections. *Journal of Theoretical Biology*, 13, 131–144.",
        "* McPherson, M., Smith-Lovin, L., & Cook, J. M. (2001). Birds of a feather: homophily in",
        "  social networks. *Annual Review of Sociology*, 27, 415–444.",
        "* Obstfeld, D. (2005). Social networks, the tertius iungens orientation, and involvement",
        "  in innovation. *Administrative Science Quarterly*, 50(1), 100–130.",
        "* Sørensen, E., & Torfing, J. (2013). *Enhancing social innovation by rethinking",
        "  collaboration, leadership and public governance*. NESTA Social Frontiers.",
        "* Straus, D. (2002). *How to Make Collaboration Work*. Berrett-Koehler.",
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
