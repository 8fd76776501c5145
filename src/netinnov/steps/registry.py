"""The registry of steps: every ``netinnov`` subcommand, declared once.

A :class:`Step` names the command (the same name as the Snakemake rule that
runs it, kebab-case: rule ``wave_tables`` runs ``netinnov wave-tables``; the
notebook rules ``<notebook>_report`` all run ``netinnov report``), the
function it calls (``"module:function"``, imported only when the command
runs), its help text, an example command line and its arguments. An
:class:`Arg` is one ``add_argument`` call: its flags, its help text and
argparse's own keywords (``type``, ``required``, ``default``, ``nargs``,
``choices``, ``action``, ``dest``, ``metavar``; ``action="BooleanOptionalAction"``
for ``--x/--no-x``). The function is called
with one keyword per argument (its ``dest``); an argument of type
:data:`OPTIONS` (``--options``: a JSON object or ``@file``) arrives as a
dict. The function returns ``None`` (exit code 0) or an exit code.

:mod:`netinnov.cli` builds the command line from :data:`STEPS` and is the
only module that parses arguments; this module imports nothing heavy, so
``netinnov <step>`` starts fast. A new step is one more ``Step(...)`` entry
in :data:`STEPS` (and one example line in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netinnov.contract import (
    MODEL_SUMMARY_TABLES,
    POWER_SUMMARY_TABLES,
    REPORT_SUMMARY_TABLES,
    WAVE_SUMMARY_TABLES,
    WAVE_TABLES,
)

__all__ = ["ALIASES", "OPTIONS", "STEPS", "Arg", "Step", "step"]


class _Options:
    """The type of an ``--options`` argument: a JSON object of config keys, given
    as text or as ``@file``; the CLI hands the function the dict
    (:func:`netinnov.config.step_options`)."""

    def __repr__(self) -> str:  # pragma: no cover - shown in reprs only
        return "OPTIONS"


#: Type of the ``--options`` arguments (a JSON object, or ``@file`` holding one).
OPTIONS = _Options()


@dataclass(frozen=True)
class Arg:
    """One argument: its flags (``--out``, or a positional name), help text and argparse keywords."""

    flags: tuple[str, ...]
    help: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    #: title of the argument group it is listed under in ``--help`` (None: the options)
    group: str | None = None


def arg(*flags: str, help: str, group: str | None = None, **kwargs: Any) -> Arg:  # noqa: A002 - argparse's name
    """An :class:`Arg`: ``arg("--out", help="...", required=True)``."""
    return Arg(tuple(flags), help, kwargs, group)


@dataclass(frozen=True)
class Step:
    """One subcommand: name, function (``"module:function"``), help, example, arguments."""

    name: str
    run: str
    help: str
    example: str
    args: tuple[Arg, ...]
    #: exceptions (``"module:Class"``) that mean bad input: logged in one line, exit code 2
    errors: tuple[str, ...] = ()


def step(name: str, run: str, help: str, example: str, *args: Arg, errors: tuple[str, ...] = ()) -> Step:  # noqa: A002
    """A :class:`Step`: ``step(name, "module:function", help, example, arg(...), ...)``."""
    return Step(name, run, help, example, tuple(args), errors)


# ------------------------------------------------------------ shared arguments
def _options(help: str = "JSON object of config keys (or @file holding one), e.g. '{\"seed\": 1}'") -> Arg:  # noqa: A002
    return arg("--options", help=help, type=OPTIONS)


_RESULTS = arg("--results", help="results/<dataset>", required=True, type=Path)
_WAVES = arg("--waves", help="wave order, e.g. w1 w2 w3", nargs="+", required=True)
_WAVE_OPTIONS = "JSON object of the wave step's config keys (or @file)"
_DYADIC_OPTIONS = "JSON object of config keys (dyadic_models, seed, directed, group_attribute)"
_CHUNK = arg("--chunk", help="which chunk, as <k>-of-<n> (k from 1), e.g. 2-of-4", required=True)
_PARAM = arg("-p", "--param", help="key=value notebook parameter", action="append")


def _each_wave(flag: str, what: str, *, required: bool = True, **kwargs: Any) -> Arg:
    """A per-wave input: one path per wave, in the order of ``--waves`` (``--actors w1/actors.csv w2/actors.csv``)."""
    return arg(flag, help=f"each wave's {what}, in wave order", nargs="+", type=Path, required=required, **kwargs)


def _out_tables(names: tuple[str, ...], where: str) -> tuple[Arg, ...]:
    """One required ``--out-<name>`` per table a step writes (the function's ``out_<name>``)."""
    return tuple(
        arg(f"--out-{n.replace('_', '-')}", help=f"{where}/{n}.csv to write", required=True, type=Path,
            dest=f"out_{n}")
        for n in names
    )


def _out_example(names: tuple[str, ...], where: str) -> str:
    return " ".join(f"--out-{n.replace('_', '-')} {where}/{n}.csv" for n in names)


#: Defaults of ``netinnov simulate`` (those of :mod:`netinnov.simulate`; a test keeps them equal).
SIMULATE_DEFAULTS = {
    "seed": 20261127, "homophily": 1.0, "case_effect_sd": 0.6, "case_dropout": 0.1, "actor_dropout": 0.15,
    "informative_dropout": 0.0,
}
#: The formats of ``netinnov import`` (those of :data:`netinnov.io.importers.FORMATS`; a test keeps them equal).
IMPORT_FORMATS = ("dl", "edgelist", "egor", "graphml", "pajek", "survey")
IMPORT_EXTENSIONS = "edgelist .csv .tsv .edgelist .edges; graphml .graphml .xml; pajek .net .paj; dl .dl"
#: The bad-row policies of ``netinnov validate`` (:data:`netinnov.io.validate.ON_BAD_ROWS`).
ON_BAD_ROWS = ("quarantine", "fail")
_SURVEY = "survey exports and egor tables (docs/import.md)"
_SIM = SIMULATE_DEFAULTS

#: Every step, in pipeline order: first the commands run by hand, then one per rule.
STEPS: tuple[Step, ...] = (
    # ------------------------------------------------------------ by hand
    step(
        "simulate", "netinnov.simulate.command:simulate_command", "write a synthetic dataset with known effects",
        "netinnov simulate --out data/simulated --cases 36 --waves 3 --seed 7",
        arg("--seed", help=f"random seed (default {_SIM['seed']})", type=int, default=_SIM["seed"]),
        arg("--out", help="dataset directory to write", required=True),
        arg("--cases", help="number of innovation cases (default 36)", type=int, default=36, dest="n_cases"),
        arg("--waves", help="number of waves w1, w2, … (default 3)", type=int, default=3, dest="n_waves"),
        arg("--min-actors", help="smallest roster (default 8)", type=int, default=8),
        arg("--max-actors", help="largest roster (default 60)", type=int, default=60),
        arg("--records-per-actor", help="latent interaction records per member and wave, before non-response"
            " (default 6)", type=float, default=6.0),
        arg("--homophily", help="same-sector preference of ordinary contacts, 0 = none"
            f" (default {_SIM['homophily']:g})", type=float, default=_SIM["homophily"]),
        arg("--response-rate", help="survey response rate of every case (default: drawn per case from"
            " U(0.6, 0.95); 1 = complete)", type=float, default=None),
        arg("--case-effect-sd", help="sd of the case random intercept of the outcomes, the same in every wave"
            f" (default {_SIM['case_effect_sd']:g})", type=float, default=_SIM["case_effect_sd"]),
        arg("--case-dropout", help="probability that a case is lost before each next wave"
            f" (default {_SIM['case_dropout']:g}; 0 = none)", type=float, default=_SIM["case_dropout"]),
        arg("--actor-dropout", help="probability that an actor is lost before each next wave"
            f" (default {_SIM['actor_dropout']:g}; 0 = none)", type=float, default=_SIM["actor_dropout"]),
        arg("--informative-dropout", help="log-odds change of a case's dropout per SD of its latent propensity"
            " to implement; > 0: low-propensity cases drop out more"
            f" (default {_SIM['informative_dropout']:g}: at random)", type=float,
            default=_SIM["informative_dropout"]),
        arg("--undirected", help="write undirected co-presence records", action="store_false", dest="directed"),
        arg("--no-bad-rows", help="do not plant bad rows", action="store_false", dest="bad_rows"),
        arg("--single-case-actors", help="write one case of this many actors (benchmarks)", type=int, default=None),
    ),
    step(
        "validate", "netinnov.io.command:validate_command", "check a dataset against the input contract",
        "netinnov validate data/mydata --out results/mydata",
        arg("dataset", help="dataset directory (see SPEC.md 'Input')", type=Path),
        arg("--waves", help="waves to validate, in order (space- or comma-separated); default: every wave folder"
            " in natural order", nargs="+", metavar="WAVE"),
        arg("--on-bad-rows", help="quarantine: set bad rows aside in rejected.csv (default); fail: stop at the"
            " first", choices=ON_BAD_ROWS, default="quarantine"),
        arg("--group-attribute", help="actors.csv column used as group (default: sector)", default="sector"),
        arg("--directed", help="records are directed reports (validation is the same either way)",
            action="BooleanOptionalAction", default=False),
        arg("--out", help="results directory of the dataset (results/<dataset>); when given, each valid wave's"
            " validated tables, rejected.csv and summary are written under waves/<wave>/", type=Path, default=None),
    ),
    step(
        "import", "netinnov.io.importers.command:import_command",
        "convert network files (Pajek .net, GraphML, UCINET DL, edge lists) into a dataset of the input contract,"
        " e.g. netinnov import case01.net case02.net --wave 2024 --out data/mine",
        "netinnov import case01.net case02.net --wave 2024 --out data/mine",
        arg("sources", help="network files, one case in one wave each (a survey export or egor tables may hold"
            " many), e.g. case01.net survey.graphml", nargs="*", type=Path, metavar="SOURCE"),
        arg("--out", help="dataset directory to write (must not hold a dataset yet), e.g. --out data/mine",
            required=True, type=Path),
        arg("--format", help=f"format of every SOURCE (default: from the extension: {IMPORT_EXTENSIONS}; survey"
            " and egor only with --format), e.g. --format dl", choices=IMPORT_FORMATS, dest="fmt"),
        arg("--case", help="case of the files: once for all, or once per SOURCE in order (default: GraphML graph"
            " id, for exports/<case>/network_<wave>.net the folder, else the file name without extension),"
            " e.g. --case case01", action="append", metavar="CASE", dest="cases"),
        arg("--wave", help="wave of the files: once for all, or once per SOURCE in order (default: from"
            " waves/<wave>/networks/ or network_<wave>.net, else w1), e.g. --wave 2024", action="append",
            metavar="WAVE", dest="waves"),
        arg("--directed", help="for formats that do not say (edge lists, DL): records are directed (--directed)"
            " or undirected (--undirected is --no-directed); default: directed, a symmetric DL matrix undirected;"
            " e.g. --no-directed", action="BooleanOptionalAction", default=None),
        arg("--undirected", help="same as --no-directed", dest="directed", action="store_false", default=None),
        arg("--header", help="edge lists: the first line is a header (default: detected from names such as"
            " source,target), e.g. --no-header", action="BooleanOptionalAction", default=None),
        arg("--delimiter", help="edge lists: field separator (default: detected), e.g. --delimiter ';'"),
        arg("--group-attribute", help="actors.csv group column (default: sector), e.g. --group-attribute sector",
            default="sector"),
        arg("--missing-group", help="group value of actors without one (default: unknown), e.g. --missing-group"
            " other", default="unknown"),
        arg("--mapping", help="YAML file of the options below (keys respondent, respondent_name, case_column,"
            " alters, interpreters, attributes, name_map; egos, alters, aaties, ego_cases, ego_id, alter_id,"
            " source, target); options given on the command line win, e.g. --mapping map.yaml", type=Path,
            metavar="FILE", group=_SURVEY),
        arg("--respondent", help="survey: respondent id column (default: ResponseId, id, respondent_id, ... if"
            " present), e.g. --respondent ResponseId", metavar="COLUMN", group=_SURVEY),
        arg("--respondent-name", help="survey: the respondent's own name, to match alter names to respondents,"
            " e.g. --respondent-name Q1", metavar="COLUMN", group=_SURVEY),
        arg("--case-column", help="survey: column holding each respondent's case (default: one case per file),"
            " e.g. --case-column project", metavar="COLUMN", group=_SURVEY),
        arg("--alters", help="survey: the alter name columns, a pattern where {k} is the slot number, or"
            " re:REGEX with a group for the slot, e.g. --alters 'alter{k}' or --alters 'Q5_{k}'; egor: the alters"
            " table, e.g. --alters alters.csv", metavar="PATTERN|FILE", group=_SURVEY),
        arg("--interpreter", help="survey: a name-interpreter column per alter; NAME an interactions.csv column"
            " (frequency, closeness, duration_min, channel, phase, date) or else an attribute of the alter"
            " (actors.csv); e.g. --interpreter frequency=alter{k}_freq --interpreter sector=alter{k}_sector",
            action="append", metavar="NAME=PATTERN", group=_SURVEY),
        arg("--attribute", help="survey: a respondent's own attribute column to actors.csv, e.g. --attribute"
            " sector=Q2 --attribute organization", action="append", metavar="NAME[=COLUMN]", group=_SURVEY),
        arg("--name-map", help="survey: a name_map.csv (as written by an earlier import, edited) whose actor_id"
            " per key is used, e.g. --name-map data/mine/name_map.csv", type=Path, metavar="FILE", group=_SURVEY),
        arg("--egos", help="egor: the egos table, e.g. --egos egos.csv", type=Path, metavar="FILE", group=_SURVEY),
        arg("--aaties", help="egor: the alter-alter ties table, e.g. --aaties aaties.csv", type=Path,
            metavar="FILE", group=_SURVEY),
        arg("--ego-cases", help="egor: each ego network is a case, alter ids local to their ego (the default)",
            dest="ego_cases", action="store_true", default=None, group=_SURVEY),
        arg("--one-case", help="egor: all egos one case, alter ids shared between egos", dest="ego_cases",
            action="store_false", group=_SURVEY),
    ),
    step(
        "init", "netinnov.config_init:init_command",
        "write a config for a dataset: its waves, directedness, and models of the outcome and attribute columns"
        " it has (e.g. netinnov init data/mydata)",
        "netinnov init data/mydata",
        arg("dataset", help="the dataset directory (docs/SPEC.md), e.g. data/mydata"),
        arg("--out", help="config file to write (default: config/<dataset folder name>.yaml),"
            " e.g. --out config/mydata.yaml"),
        arg("--force", help="overwrite --out if it exists, e.g. --force", action="store_true"),
        arg("--group-attribute", help="actors.csv column of the groups (default sector), e.g. --group-attribute"
            " sector", default="sector"),
    ),
    step(
        "wave", "netinnov.steps.wave_tables:run_wave",
        "build the networks and the ties/actors/cases tables of one wave in one process"
        " (the pipeline splits it: wave-chunk, wave-tables)",
        "netinnov wave --wave-dir results/example/waves/w2 --wave w2 --previous results/example/waves/w1"
        " --previous-wave w1",
        arg("--wave-dir", help="results/<dataset>/waves/<wave>", required=True, type=Path),
        arg("--wave", help="the wave's name, e.g. w2", required=True),
        arg("--previous", help="results/<dataset>/waves/<previous wave>", type=Path, dest="previous_dir"),
        arg("--previous-wave", help="the previous wave's name, e.g. w1"),
        _options(),
    ),
    step(
        "dyadic", "netinnov.steps.models:run_dyadic_models",
        "fit the dyadic MRQAP models of every wave in one process (models/qap.csv; the pipeline splits it:"
        " dyadic-chunk, dyadic-pooled, dyadic-models)",
        "netinnov dyadic --results results/example --waves w1 w2 w3 --options @config.json",
        arg("--results", help="results/<dataset> (reads panel/actors.csv, waves/*/ties.csv)", required=True,
            type=Path),
        _WAVES,
        _options(_DYADIC_OPTIONS),
    ),
    # ------------------------------------------------ stage 1: validation (validate.smk)
    step(
        "validate-wave", "netinnov.steps.validate_wave:validate_wave",
        "validate one wave and write validated/ and rejected.csv",
        "netinnov validate-wave --dataset data/example --wave w1 --out results/example/waves/w1",
        arg("--dataset", help="the dataset directory, e.g. data/example", required=True, type=Path),
        arg("--wave", help="the wave to validate, e.g. w1", required=True),
        arg("--out", help="results/<dataset>/waves/<wave>", required=True, type=Path),
        _options("JSON object of config keys (or @file)"),
        arg("--pseudonym-map", help="with pseudonymize: where to write the raw -> pseudonym map (outside results/)",
            type=Path),
    ),
    # ------------------------------------------------ stage 2: wave tables (networks.smk)
    step(
        "wave-chunk", "netinnov.steps.wave_chunks:run_chunk",
        "build the networks, measures and GraphML files of one chunk of a wave's cases"
        " (e.g. netinnov wave-chunk --validated results/example/waves/w1 --wave w1 --chunk 1-of-4"
        " --out w1/chunks/1-of-4.pkl --networks w1/chunks/1-of-4_networks)",
        "netinnov wave-chunk --validated results/example/waves/w1 --wave w1 --chunk 1-of-2 --out w1-1.pkl"
        " --networks w1-1_networks",
        arg("--validated", help="the wave's folder holding validated/ and rejected.csv", required=True, type=Path,
            dest="validated_dir"),
        arg("--wave", help="the wave's name, e.g. w1", required=True),
        _CHUNK,
        arg("--out", help="the chunk's parts file to write (an intermediate pickle)", required=True, type=Path),
        arg("--networks", help="folder for the chunk's <case>.graphml files", required=True, type=Path,
            dest="networks_dir"),
        arg("--previous", help="the previous wave's folder holding validated/, e.g. results/example/waves/w1",
            type=Path, dest="previous_dir"),
        arg("--previous-wave", help="the previous wave's name, e.g. w1"),
        _options(_WAVE_OPTIONS),
    ),
    step(
        "wave-tables", "netinnov.steps.wave_chunks:write_wave_tables",
        "join the chunks of a wave into its tables (ties, actors, cases, phases, ...) and GraphML folder"
        " (e.g. netinnov wave-tables --validated results/example/waves/w1 --wave w1 --parts w1/chunks/*.pkl"
        " --networks-from w1/chunks/*_networks --ties w1/ties.csv --actors w1/actors.csv ..."
        " --networks results/example/waves/w1/networks)",
        "netinnov wave-tables --validated results/example/waves/w1 --wave w1 --parts w1-1.pkl w1-2.pkl"
        " --networks-from w1-1_networks w1-2_networks --ties w1/ties.csv --actors w1/actors.csv"
        " --cases w1/cases.csv --phases w1/phases.csv --phase-tests w1/phase_tests.csv"
        " --roles-validation w1/roles_validation.csv --coattendance w1/coattendance.csv"
        " --tie-strength-diagnostics w1/tie_strength_diagnostics.csv --networks w1/networks",
        arg("--validated", help="the wave's folder holding validated/ and rejected.csv", required=True, type=Path),
        arg("--wave", help="the wave's name, e.g. w1", required=True),
        arg("--parts", help="the chunks' parts files, in chunk order", nargs="+", required=True, type=Path),
        arg("--networks-from", help="the chunks' GraphML folders", nargs="+", required=True, type=Path),
        *(arg(f"--{name.replace('_', '-')}", help=f"the wave's {name}.csv to write, e.g."
              f" results/example/waves/w1/{name}.csv", dest=name, required=True, type=Path) for name in WAVE_TABLES),
        arg("--networks", help="the wave's GraphML folder to fill", required=True, type=Path),
        _options(_WAVE_OPTIONS),
    ),
    step(
        "mixing-tests", "netinnov.steps.mixing_tests:write_mixing_tests",
        "the E-I tests of one wave with Benjamini-Hochberg q-values (mixing_tests.csv)",
        "netinnov mixing-tests --cases results/example/waves/w1/cases.csv"
        " --out results/example/waves/w1/mixing_tests.csv --wave w1",
        arg("--cases", help="results/<dataset>/waves/<wave>/cases.csv", required=True, type=Path, dest="cases_csv"),
        arg("--out", help="results/<dataset>/waves/<wave>/mixing_tests.csv", required=True, type=Path),
        arg("--wave", help="the wave's name, written in the family column, e.g. w1", default=""),
    ),
    step(
        "wave-summaries", "netinnov.steps.report_summaries:run_wave_summaries",
        "the numbers the wave overview shows, as tables in the wave's folder: "
        + ", ".join(f"{n}.csv" for n in WAVE_SUMMARY_TABLES),
        "netinnov wave-summaries --cases w1/cases.csv --actors w1/actors.csv --ties w1/ties.csv"
        " --phases w1/phases.csv --rejected w1/rejected.csv --mixing-tests w1/mixing_tests.csv "
        + _out_example(WAVE_SUMMARY_TABLES, "w1"),
        arg("--cases", help="the wave's cases.csv", required=True, type=Path),
        arg("--actors", help="the wave's actors.csv", required=True, type=Path),
        arg("--ties", help="the wave's ties.csv", required=True, type=Path),
        arg("--phases", help="the wave's phases.csv (optional)", type=Path),
        arg("--rejected", help="the wave's rejected.csv (optional)", type=Path),
        arg("--mixing-tests", help="the wave's mixing_tests.csv (optional)", type=Path),
        *_out_tables(WAVE_SUMMARY_TABLES, "results/<dataset>/waves/<wave>"),
        arg("--group-attribute", help="the group column of actors.csv (default: sector)", default="sector",
            dest="group_column"),
        arg("--alpha", help="significance level of the counted E-I tests (default: 0.05)", type=float, default=0.05),
    ),
    # ------------------------------------------------ stage 3: panel (panel.smk)
    step(
        "panel", "netinnov.steps.panel:run_panel", "stack the waves and measure change between them",
        "netinnov panel --waves w1 w2 --ties w1/ties.csv w2/ties.csv --actors w1/actors.csv w2/actors.csv"
        " --cases w1/cases.csv w2/cases.csv --out-cases panel/cases.csv --out-actors panel/actors.csv"
        " --out-change panel/change.csv --out-stability panel/stability.csv"
        " --out-tie-transitions panel/tie_transitions.csv",
        _WAVES,
        _each_wave("--ties", "ties.csv"),
        _each_wave("--actors", "actors.csv"),
        _each_wave("--cases", "cases.csv"),
        arg("--out-cases", help="panel/cases.csv to write: the waves' cases.csv stacked", required=True, type=Path),
        arg("--out-actors", help="panel/actors.csv to write: the waves' actors.csv stacked", required=True,
            type=Path),
        arg("--out-change", help="panel/change.csv to write: tie change between consecutive waves",
            required=True, type=Path),
        arg("--out-stability", help="panel/stability.csv to write: stability of actor positions", required=True,
            type=Path),
        arg("--out-tie-transitions", help="panel/tie_transitions.csv to write: weak/strong transitions",
            required=True, type=Path),
        _options(),
    ),
    step(
        "phase-summaries", "netinnov.steps.phase_summaries:run_phase_summaries",
        "participation by phase across cases, per wave: mean shares with 95%% intervals and the involvement"
        " of one group (panel/phase_summary.csv, panel/group_involvement.csv), e.g. netinnov phase-summaries"
        " --phases results/example/waves/w1/phases.csv results/example/waves/w2/phases.csv --waves w1 w2"
        " --summary results/example/panel/phase_summary.csv --involvement results/example/panel/group_involvement.csv",
        "netinnov phase-summaries --phases results/example/waves/w1/phases.csv --waves w1"
        " --summary phase_summary.csv --involvement group_involvement.csv",
        _each_wave("--phases", "phases.csv", dest="phase_files"),
        arg("--waves", help="the waves of --phases, e.g. w1 w2", nargs="+", required=True),
        arg("--summary", help="phase_summary.csv to write", required=True, type=Path, dest="summary_out"),
        arg("--involvement", help="group_involvement.csv to write", required=True, type=Path, dest="involvement_out"),
        arg("--group-attribute", help="the group column of phases.csv (default: sector)", default="sector",
            dest="group_column"),
        arg("--involvement-group", help="the group whose involvement is counted (default: citizen)",
            default="citizen"),
    ),
    step(
        "report-summaries", "netinnov.steps.report_summaries:run_report_summaries",
        "the summaries the distributions, panel and roles reports show, as tables under panel/: "
        + ", ".join(f"{n}.csv" for n in REPORT_SUMMARY_TABLES) + " (run after netinnov panel)",
        "netinnov report-summaries --waves w1 w2 --actors w1/actors.csv w2/actors.csv --cases w1/cases.csv"
        " w2/cases.csv --change panel/change.csv --stability panel/stability.csv"
        " --tie-transitions panel/tie_transitions.csv " + _out_example(REPORT_SUMMARY_TABLES, "panel"),
        _WAVES,
        _each_wave("--actors", "actors.csv"),
        _each_wave("--cases", "cases.csv"),
        arg("--change", help="panel/change.csv of netinnov panel", required=True, type=Path),
        arg("--stability", help="panel/stability.csv of netinnov panel", required=True, type=Path),
        arg("--tie-transitions", help="panel/tie_transitions.csv of netinnov panel", required=True, type=Path),
        *_out_tables(REPORT_SUMMARY_TABLES, "results/<dataset>/panel"),
        arg("--group-attribute", help="the group column of actors.csv (default: sector)", default="sector",
            dest="group_column"),
    ),
    step(
        "model-summaries", "netinnov.steps.model_summaries:run_model_summaries",
        "the numbers the models report shows, as tables under models/: "
        + ", ".join(f"{n}.csv" for n in MODEL_SUMMARY_TABLES) + " (run after the models)",
        "netinnov model-summaries --coefficients models/coefficients.csv --fit models/fit.csv --qap models/qap.csv"
        " --cases panel/cases.csv " + _out_example(MODEL_SUMMARY_TABLES, "models"),
        arg("--coefficients", help="models/coefficients.csv of netinnov case-models", type=Path),
        arg("--fit", help="models/fit.csv of netinnov case-models", type=Path),
        arg("--qap", help="models/qap.csv of netinnov dyadic-models", type=Path),
        arg("--cases", help="panel/cases.csv of netinnov panel: the number of cases", type=Path),
        *_out_tables(MODEL_SUMMARY_TABLES, "results/<dataset>/models"),
    ),
    step(
        "power-summaries", "netinnov.steps.model_summaries:run_power_summaries",
        "the numbers the power report shows, as tables: "
        + ", ".join(f"{n}.csv" for n in POWER_SUMMARY_TABLES) + " (run after netinnov power)",
        "netinnov power-summaries --power models/power.csv --summary models/power_summary.csv "
        + _out_example(POWER_SUMMARY_TABLES, "models"),
        arg("--power", help="models/power.csv of netinnov power", required=True, type=Path),
        arg("--summary", help="models/power_summary.csv of netinnov power", required=True, type=Path),
        *_out_tables(POWER_SUMMARY_TABLES, "results/<dataset>/models"),
    ),
    step(
        "validity-summaries", "netinnov.steps.model_summaries:run_validity_summaries",
        "the count the validity report shows, as a table: target_counts.csv (figures with a target, and meeting"
        " it)",
        "netinnov validity-summaries --validity results/example/validity/validity.csv"
        " --out results/example/validity/target_counts.csv",
        arg("--validity", help="validity/validity.csv of netinnov validity", required=True, type=Path),
        arg("--out", help="validity/target_counts.csv to write", required=True, type=Path),
    ),
    # ------------------------------------------------ stage 4: models (models.smk)
    step(
        "case-models", "netinnov.steps.models:run_case_models",
        "fit the case-level models (GLMs and cross-validated prediction)",
        "netinnov case-models --cases panel/cases.csv --actors panel/actors.csv --waves w1 w2 w3"
        " --out-features models/features.csv --out-coefficients models/coefficients.csv --out-fit models/fit.csv"
        " --out-cv-scores models/cv_scores.csv --out-importance models/importance.csv --options @config.json",
        arg("--cases", help="panel/cases.csv: every wave's cases", required=True, type=Path),
        arg("--actors", help="panel/actors.csv: every wave's actors", required=True, type=Path),
        _WAVES,
        arg("--out-features", help="models/features.csv to write: the case-level features", required=True,
            type=Path),
        arg("--out-coefficients", help="models/coefficients.csv to write", required=True, type=Path),
        arg("--out-fit", help="models/fit.csv to write", required=True, type=Path),
        arg("--out-cv-scores", help="models/cv_scores.csv to write", required=True, type=Path),
        arg("--out-importance", help="models/importance.csv to write", required=True, type=Path),
        _options(),
    ),
    step(
        "dyadic-chunk", "netinnov.steps.dyadic_chunks:run_dyadic_chunk",
        "fit the dyadic models on one chunk of a wave's cases (per-case fits and the pooled fit's designs),"
        " e.g. netinnov dyadic-chunk --wave w2 --actors waves/w2/actors.csv --ties waves/w2/ties.csv"
        " --previous-wave w1 --previous-actors waves/w1/actors.csv --previous-ties waves/w1/ties.csv"
        " --chunk 1-of-4 --out models/dyadic/w2/1-of-4.pkl",
        "netinnov dyadic-chunk --wave w2 --actors w2/actors.csv --ties w2/ties.csv --previous-wave w1"
        " --previous-actors w1/actors.csv --previous-ties w1/ties.csv --chunk 1-of-2 --out w2-1.pkl",
        arg("--wave", help="the wave, e.g. w2", required=True),
        arg("--actors", help="the wave's actors.csv", required=True, type=Path),
        arg("--ties", help="the wave's ties.csv", required=True, type=Path),
        arg("--previous-wave", help="the wave before it, for edgecov(previous_*) terms, e.g. w1"),
        arg("--previous-actors", help="the previous wave's actors.csv (with --previous-wave)", type=Path),
        arg("--previous-ties", help="the previous wave's ties.csv (with --previous-wave)", type=Path),
        _CHUNK,
        arg("--out", help="the chunk's fits file to write (an intermediate pickle)", required=True, type=Path),
        _options(_DYADIC_OPTIONS),
    ),
    step(
        "dyadic-pooled", "netinnov.steps.dyadic_chunks:run_dyadic_pooled",
        "join the dyadic chunks of one wave and fit its pooled models,"
        " e.g. netinnov dyadic-pooled --parts models/dyadic/w2/*.pkl --wave w2 --out models/dyadic/w2.pkl",
        "netinnov dyadic-pooled --parts w2-1.pkl w2-2.pkl --wave w2 --out w2.pkl",
        arg("--parts", help="the wave's chunk fits files (any order)", nargs="+", required=True, type=Path),
        arg("--wave", help="the wave, e.g. w2", required=True),
        arg("--out", help="the wave's rows to write (an intermediate pickle)", required=True, type=Path),
        _options(_DYADIC_OPTIONS),
    ),
    step(
        "dyadic-models", "netinnov.steps.dyadic_chunks:run_dyadic_gather",
        "write qap.csv from the waves' dyadic rows, with q-values over every row,"
        " e.g. netinnov dyadic-models --parts models/dyadic/w1.pkl models/dyadic/w2.pkl --waves w1 w2"
        " --out results/example/models/qap.csv",
        "netinnov dyadic-models --parts w1.pkl w2.pkl --waves w1 w2 --out results/example/models/qap.csv",
        arg("--parts", help="the waves' rows files from dyadic-pooled (any order)", nargs="+", required=True,
            type=Path),
        _WAVES,
        arg("--out", help="qap.csv to write", required=True, type=Path),
    ),
    step(
        "power", "netinnov.steps.power:run_power",
        "power and minimal detectable effect of every case-level model term, by simulation"
        " (power.csv, power_summary.csv)",
        "netinnov power --features results/example/models/features.csv --waves w1 w2 w3"
        " --out results/example/models/power.csv --datasets 100",
        arg("--features", help="models/features.csv of the case models", required=True, type=Path),
        arg("--waves", help="wave order (lagged models); default: natural order", nargs="+", default=[]),
        _options("JSON object of config keys (models, seed, small_cluster_max, power), or @file"),
        arg("--out", help="power.csv to write", required=True, type=Path),
        arg("--summary", help="power_summary.csv to write (default: beside --out)", dest="summary_out"),
        arg("--datasets", help="simulated datasets per effect size (default 200)", type=int),
        arg("--grid", help="effect sizes on the link scale, per SD of the term (0 to 1 for a 0/1 term);"
            " default per family (logit: 0 0.25 0.5 1 1.5 2)", type=float, nargs="+"),
        arg("--icc", help="intra-class correlation of the case random intercept (default 0.3)", type=float),
        arg("--alpha", help="significance level of each test (default 0.05)", type=float),
        arg("--power", help="target power of the minimal detectable effect (default 0.80)", type=float),
        arg("--cases", help="simulate this many cases instead of the observed number", type=int, dest="n_cases"),
        errors=("netinnov.models.spec:ModelConfigError",),
    ),
    step(
        "empty-results", "netinnov.steps.empty_results:write_empty_results",
        "list every model fit without an estimate and why (models/empty_results.csv), and log it",
        "netinnov empty-results --coefficients models/coefficients.csv --fit models/fit.csv --qap models/qap.csv"
        " --out models/empty_results.csv",
        arg("--coefficients", help="models/coefficients.csv of netinnov case-models (missing: not run)", type=Path),
        arg("--fit", help="models/fit.csv of netinnov case-models (missing: not run)", type=Path),
        arg("--qap", help="models/qap.csv of netinnov dyadic-models (missing: not run)", type=Path),
        arg("--out", help="models/empty_results.csv to write", required=True, type=Path),
    ),
    # ------------------------------------------------ stage 4b: validity (validity.smk)
    step(
        "validity", "netinnov.steps.validity:run_validity",
        "validity figures of the measures on the data and on the generator",
        "netinnov validity --waves w1 w2 --actors w1/actors.csv w2/actors.csv --cases w1/cases.csv w2/cases.csv"
        " --tie-strength-diagnostics w1/tie_strength_diagnostics.csv w2/tie_strength_diagnostics.csv"
        " --validated w1/validated w2/validated --true-roles data/example/true_roles.csv"
        " --out results/example/validity/validity.csv",
        _WAVES,
        _each_wave("--actors", "actors.csv"),
        _each_wave("--cases", "cases.csv"),
        _each_wave("--tie-strength-diagnostics", "tie_strength_diagnostics.csv", required=False),
        _each_wave("--validated", "validated/ folder (its reported roles)", required=False),
        arg("--true-roles", help="the dataset's planted true_roles.csv, if it has one", type=Path),
        arg("--true-cases", help="the dataset's planted true_cases.csv, if it has one", type=Path),
        arg("--out", help="results/<dataset>/validity/validity.csv", required=True, type=Path),
        _options(),
    ),
    # ------------------------------------------------ hand-over, codebook, provenance
    step(
        "exports", "netinnov.steps.exports:run_exports", "write RSiena / statnet / Pajek exports per case",
        "netinnov exports --waves w1 w2 --actors w1/actors.csv w2/actors.csv --ties w1/ties.csv w2/ties.csv"
        " --coattendance w1/coattendance.csv w2/coattendance.csv --validated w1/validated w2/validated"
        " --out results/example/exports",
        _WAVES,
        _each_wave("--actors", "actors.csv"),
        _each_wave("--ties", "ties.csv"),
        _each_wave("--coattendance", "coattendance.csv", required=False),
        _each_wave("--validated", "validated/ folder (its actor attributes)", required=False),
        arg("--out", help="the export folder to write (emptied first), e.g. results/example/exports", required=True,
            type=Path),
        _options("JSON object of config keys (or @file)"),
        arg("--max-dense-actors", help="write n×n matrices only for cases up to this many actors", type=int,
            default=2000),
    ),
    step(
        "codebook", "netinnov.steps.codebook:write_codebook",
        "write the codebook of the result tables as a Frictionless Data Package (datapackage.json) and the run's"
        " methods paragraph (methods.md), e.g. netinnov codebook --results results/example --dataset data/example"
        " --waves w1 w2 w3",
        "netinnov codebook --results results/example --dataset data/example --waves w1 w2 w3",
        arg("--results", help="results/<dataset> whose tables to describe, e.g. results/example", required=True),
        arg("--dataset", help="the dataset directory, for its dataset-specific columns (actor attributes,"
            " outcomes), e.g. data/example"),
        arg("--waves", help="wave order, e.g. --waves w1 w2 w3", nargs="*"),
        _options("JSON object of the resolved config (or @file) for the methods paragraph,"
                 " e.g. '{\"directed\": true, \"seed\": 1}'"),
        arg("--out", help="datapackage.json to write (default <results>/datapackage.json),"
            " e.g. results/example/datapackage.json"),
        arg("--methods", help="methods.md to write (default <results>/methods.md), e.g. results/example/methods.md"),
    ),
    step(
        "manifest", "netinnov.steps.manifest:write_manifest", "write manifest.json (checksums, config, versions)",
        "netinnov manifest --dataset data/example --out results/example/manifest.json --waves w1 w2 w3"
        " --results results/example",
        arg("--dataset", help="the dataset directory whose inputs are checksummed", required=True, type=Path),
        arg("--out", help="manifest.json to write, e.g. results/example/manifest.json", required=True, type=Path),
        _WAVES,
        arg("--options", help="JSON object of the resolved config (or @file), recorded in the manifest",
            type=OPTIONS, dest="config"),
        arg("--outputs", help="result files and directories to checksum", nargs="*", type=Path, default=[]),
        arg("--results", help="results/<dataset>: checksum every file in it (but logs/, reports/)", type=Path),
    ),
    # ------------------------------------------------ stage 5: reports (reports.smk)
    step(
        "report", "netinnov.steps.reports:report", "execute a notebook with papermill and render it to HTML",
        "netinnov report --notebook workflow/notebooks/phases.ipynb --out phases.ipynb --html phases.html"
        " -p results_dir=results/example",
        arg("--notebook", help="the notebook to run, e.g. workflow/notebooks/phases.ipynb", required=True),
        arg("--out", help="executed .ipynb", required=True),
        arg("--html", help="the HTML page to render, e.g. results/example/reports/phases.html", required=True),
        _PARAM,
    ),
    step(
        "case-selection", "netinnov.steps.reports:case_selection", "choose the cases that get a network page",
        "netinnov case-selection --waves w1 w2 --cases w1/cases.csv w2/cases.csv --case-reports 12"
        " --out results/example/reports/cases/selection.csv",
        _WAVES,
        _each_wave("--cases", "cases.csv"),
        arg("--case-reports", help="all | none | N (the N largest cases per wave)", default="12"),
        arg("--per-job", help="case pages per job", default=25, type=int),
        arg("--out", help="reports/cases/selection.csv", required=True),
    ),
    step(
        "case-reports", "netinnov.steps.reports:case_reports", "render one part of a wave's case pages in one kernel",
        "netinnov case-reports --notebook workflow/notebooks/case_network.ipynb"
        " --selection results/example/reports/cases/selection.csv --wave w1 --part part1"
        " --wave-dir results/example/waves/w1 --out results/example/reports/cases/w1/part1",
        arg("--notebook", help="the case page notebook, e.g. workflow/notebooks/case_network.ipynb", required=True),
        arg("--selection", help="reports/cases/selection.csv: which cases get a page, in which part", required=True),
        arg("--wave", help="the wave, e.g. w1", required=True),
        arg("--part", help="the part of the wave's pages this job renders, e.g. part001", required=True),
        arg("--wave-dir", help="results/<dataset>/waves/<wave>", required=True),
        arg("--out", help="reports/cases/<wave>/<part>", required=True),
        arg("--figures", help="reports/figures/cases/<wave>/<part>: each case's figures in <page name>/"),
        arg("--interactive-dir", help="reports/interactive: each page links its interactive view"),
        _PARAM,
    ),
    step(
        "interactive-views", "netinnov.steps.reports:interactive_views",
        "write the interactive network view of each selected case of a wave",
        "netinnov interactive-views --selection results/example/reports/cases/selection.csv --wave w1"
        " --wave-dir results/example/waves/w1 --out results/example/reports/interactive/w1",
        arg("--selection", help="reports/cases/selection.csv: the cases that get a view", required=True),
        arg("--wave", help="the wave, e.g. w1", required=True),
        arg("--wave-dir", help="results/<dataset>/waves/<wave>", required=True),
        arg("--out", help="reports/interactive/<wave>", required=True),
        arg("--group-attribute", help="the group column of actors.csv (default: sector)", default="sector"),
        arg("--seed", help="seed of the layout (the case pages' seed)", default="1"),
        arg("--directed", help="true: ties are arcs (config directed)", default="false"),
        arg("--cases-dir", help="reports/cases: each view links to its case network page"),
    ),
    step(
        "codebook-report", "netinnov.steps.reports:codebook_report",
        "write reports/codebook.html: the codebook and the methods paragraph",
        "netinnov codebook-report --datapackage results/example/datapackage.json"
        " --methods results/example/methods.md --out results/example/reports/codebook.html",
        arg("--datapackage", help="e.g. results/example/datapackage.json", required=True),
        arg("--methods", help="the methods paragraph shown on the page, e.g. results/example/methods.md"),
        arg("--out", help="e.g. results/example/reports/codebook.html", required=True),
        arg("--title", help="page title, e.g. 'Codebook and methods: example'", default="Codebook"),
    ),
    step(
        "report-index", "netinnov.steps.reports:report_index", "write reports/index.html linking every report",
        "netinnov report-index --out results/example/reports/index.html results/example/reports/*.html",
        arg("--out", help="index.html to write, e.g. results/example/reports/index.html", required=True),
        arg("--title", help="the page title (default: netinnov reports)", default="netinnov reports"),
        arg("--selection", help="reports/cases/selection.csv"),
        arg("--waves", help="wave order, comma-separated", default=""),
        arg("--empty-results", help="models/empty_results.csv: shown first, with every reason"),
        arg("--interactive", help="reports/interactive: link each case's interactive view"),
        arg("pages", help="the report pages to link, e.g. results/example/reports/*.html", nargs="*"),
    ),
)

#: Former command names, still accepted (not listed in ``netinnov --help``).
ALIASES = {
    "ingest": "validate-wave",
    "models": "case-models",
    "qap": "dyadic",
    "qap-chunk": "dyadic-chunk",
    "qap-pooled": "dyadic-pooled",
    "qap-tables": "dyadic-models",
    "index": "report-index",
}
