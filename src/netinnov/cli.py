"""The ``netinnov`` command line: one subcommand per pipeline step.

The Snakemake rules call these subcommands and nothing else, so every step can
also be run by hand. Options that come from the pipeline configuration are
passed as one JSON object (``--options``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["main"]

log = logging.getLogger("netinnov")


def _setup_logging(path: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(path, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=handlers, force=True)


def _options(text: str | None) -> dict:
    from netinnov.config import step_options

    return step_options(text)


# --------------------------------------------------------------------- steps
def _ingest(args: argparse.Namespace) -> int:
    from netinnov.io import InputError, validate_wave, write_validated
    from netinnov.options import IngestOptions

    opts = IngestOptions.of(_options(args.options))
    out = Path(args.out)
    key = None
    if opts.pseudonymize:
        from netinnov.io import privacy

        shared = privacy.results_folders(out)
        try:
            if not args.pseudonym_map:
                raise privacy.PseudonymError("pseudonymize is true but no --pseudonym-map path is given")
            key = privacy.load_key(opts.pseudonym_key_file, forbidden=[*shared, Path(args.dataset)])
        except privacy.PseudonymError as err:
            log.error("wave %s: %s", args.wave, err)
            return 2
    try:
        data = validate_wave(
            Path(args.dataset),
            args.wave,
            waves=list(opts.waves) or None,
            on_bad_rows=opts.on_bad_rows,
            group_attribute=opts.group_attribute,
            directed=opts.directed,
        )
    except InputError as err:
        # pseudonymised: nothing quoted from the files (header cells may be ids)
        log.error("wave %s: %s", args.wave, err.redacted() if key is not None else err)
        return 2
    if key is not None:
        # once, before anything is written: every later step sees pseudonyms only
        try:
            data, mapping = privacy.pseudonymize_wave(data, key)
            privacy.write_pseudonym_map(mapping, Path(args.pseudonym_map), forbidden=shared)
        except privacy.PseudonymError as err:
            log.error("wave %s: %s", args.wave, err)
            return 2
        log.info("wave %s: actor ids and organisation names pseudonymised (%d values)", args.wave, len(mapping))
    write_validated(data, out)
    summary = data.summary
    log.info("wave %s validated:\n%s", args.wave, summary.to_string(index=False))
    return 0


def _wave(args: argparse.Namespace) -> int:
    from netinnov.steps.wave_tables import run_wave

    run_wave(
        Path(args.wave_dir),
        args.wave,
        previous_dir=Path(args.previous) if args.previous else None,
        previous_wave=args.previous_wave,
        options=_options(args.options),
    )
    return 0


def _wave_chunk(args: argparse.Namespace) -> int:
    from netinnov.steps.wave_chunks import run_chunk

    run_chunk(
        Path(args.validated),
        args.wave,
        chunk=args.chunk,
        out=Path(args.out),
        networks_dir=Path(args.networks),
        options=_options(args.options),
        previous_dir=Path(args.previous) if args.previous else None,
        previous_wave=args.previous_wave,
    )
    return 0


def _wave_tables(args: argparse.Namespace) -> int:
    from netinnov.steps.wave_chunks import GATHERED_TABLES, run_gather

    run_gather(
        Path(args.validated),
        args.wave,
        parts=[Path(p) for p in args.parts],
        networks_from=[Path(p) for p in args.networks_from],
        outputs={name: Path(getattr(args, name)) for name in GATHERED_TABLES},
        networks_dir=Path(args.networks),
        options=_options(args.options),
    )
    return 0


def _phase_summaries(args: argparse.Namespace) -> int:
    from netinnov.steps.phase_summaries import run_phase_summaries

    run_phase_summaries(
        [Path(p) for p in args.phases], list(args.waves), summary_out=Path(args.summary),
        involvement_out=Path(args.involvement), group_column=args.group_attribute,
        involvement_group=args.involvement_group,
    )  # fmt: skip
    return 0


def _report_summaries(args: argparse.Namespace) -> int:
    from netinnov.steps.report_summaries import run_report_summaries

    run_report_summaries(Path(args.results), list(args.waves), out_dir=Path(args.out) if args.out else None,
                         group_column=args.group_attribute)
    return 0


def _wave_summaries(args: argparse.Namespace) -> int:
    from netinnov.steps.report_summaries import run_wave_summaries

    run_wave_summaries(Path(args.wave_dir), out_dir=Path(args.out) if args.out else None,
                       group_column=args.group_attribute, alpha=args.alpha)
    return 0


def _mixing_tests(args: argparse.Namespace) -> int:
    from netinnov.steps.mixing_tests import write_mixing_tests

    write_mixing_tests(Path(args.cases), Path(args.out), wave=args.wave)
    return 0


def _panel(args: argparse.Namespace) -> int:
    from netinnov.steps.panel import run_panel

    run_panel(Path(args.results), list(args.waves), options=_options(args.options))
    return 0


def _models(args: argparse.Namespace) -> int:
    from netinnov.steps.models import run_case_models

    run_case_models(Path(args.results), list(args.waves), options=_options(args.options))
    return 0


def _power(args: argparse.Namespace) -> int:
    from netinnov.models.spec import ModelConfigError
    from netinnov.steps.power import run_power

    try:
        run_power(
            Path(args.results), list(args.waves or []), options=_options(args.options), out=args.out,
            summary_out=args.summary, datasets=args.datasets, grid=args.grid, icc=args.icc,
            alpha=args.alpha, power=args.power, n_cases=args.cases,
        )  # fmt: skip
    except ModelConfigError as err:
        log.error("%s", err)
        return 2
    return 0


def _qap(args: argparse.Namespace) -> int:
    from netinnov.steps.models import run_dyadic_models

    run_dyadic_models(Path(args.results), list(args.waves), options=_options(args.options))
    return 0


def _qap_chunk(args: argparse.Namespace) -> int:
    from netinnov.steps.dyadic_chunks import run_dyadic_chunk

    run_dyadic_chunk(
        Path(args.results), args.wave, chunk=args.chunk, out=Path(args.out),
        options=_options(args.options), previous_wave=args.previous_wave,
    )  # fmt: skip
    return 0


def _qap_pooled(args: argparse.Namespace) -> int:
    from netinnov.steps.dyadic_chunks import run_dyadic_pooled

    run_dyadic_pooled([Path(p) for p in args.parts], args.wave, out=Path(args.out), options=_options(args.options))
    return 0


def _qap_tables(args: argparse.Namespace) -> int:
    from netinnov.steps.dyadic_chunks import run_dyadic_gather

    run_dyadic_gather([Path(p) for p in args.parts], list(args.waves), out=Path(args.out))
    return 0


def _validity(args: argparse.Namespace) -> int:
    from netinnov.steps.validity import run_validity

    run_validity(Path(args.results), list(args.waves), Path(args.dataset), Path(args.out), _options(args.options))
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from netinnov.steps.manifest import write_manifest

    outputs = [Path(p) for p in args.outputs or []]
    results = Path(args.results) if args.results else None
    write_manifest(
        Path(args.dataset), Path(args.out), _options(args.options), list(args.waves), outputs, results
    )
    return 0


def _codebook(args: argparse.Namespace) -> int:
    from netinnov import __version__
    from netinnov.codebook import write_datapackage, write_methods

    options = _options(args.options)
    results = Path(args.results)
    out = Path(args.out) if args.out else results / "datapackage.json"
    methods = Path(args.methods) if args.methods else results / "methods.md"
    package = write_datapackage(results, out, dataset=Path(args.dataset) if args.dataset else None,
                                options=options, version=__version__)
    write_methods(results, methods, options, list(args.waves or []))
    log.info("%s: %d tables; %s written", out, len(package["resources"]), methods)
    return 0


def _report(args: argparse.Namespace) -> int:
    from netinnov.reports.execute import execute_notebook, parse_parameters

    execute_notebook(Path(args.notebook), Path(args.out), Path(args.html), parse_parameters(args.param))
    return 0


def _index(args: argparse.Namespace) -> int:
    from netinnov.reports.index import write_index

    write_index(Path(args.out), [Path(p) for p in args.pages], title=args.title)
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from netinnov.simulate import run

    return int(run(args) or 0)


def _exports(args: argparse.Namespace) -> int:
    from netinnov.steps.exports import run

    return int(run(args) or 0)


def _init(args: argparse.Namespace) -> int:
    from netinnov.config_init import run

    return int(run(args) or 0)


def _empty_results(args: argparse.Namespace) -> int:
    from netinnov.steps.empty_results import write_empty_results

    write_empty_results(Path(args.models), Path(args.out) if args.out else None)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from netinnov.io.command import run

    return int(run(args) or 0)


def _import(args: argparse.Namespace) -> int:
    from netinnov.io.importers.command import run

    return int(run(args) or 0)


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    parser = argparse.ArgumentParser(prog="netinnov", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    def command(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--log", help="also write the log to this file")
        commands[name] = func
        return p

    from netinnov.config_init import add_arguments as add_init_arguments
    from netinnov.io.command import add_arguments as add_validate_arguments
    from netinnov.io.importers.command import add_arguments as add_import_arguments
    from netinnov.simulate import add_arguments as add_simulate_arguments
    from netinnov.steps.exports import add_arguments as add_exports_arguments

    add_simulate_arguments(command("simulate", _simulate, "write a synthetic dataset with known effects"))
    add_validate_arguments(command("validate", _validate, "check a dataset against the input contract"))
    add_import_arguments(
        command(
            "import",
            _import,
            "convert network files (Pajek .net, GraphML, UCINET DL, edge lists) into a dataset of the input "
            "contract, e.g. netinnov import case01.net case02.net --wave 2024 --out data/mine",
        )
    )
    add_init_arguments(command(
        "init", _init, "write a config for a dataset: its waves, directedness, and models of the outcome and"
        " attribute columns it has (e.g. netinnov init data/mydata)",
    ))  # fmt: skip

    p = command("ingest", _ingest, "validate one wave and write validated/ and rejected.csv")
    p.add_argument("--dataset", required=True, help="the dataset directory, e.g. data/example")
    p.add_argument("--wave", required=True, help="the wave to validate, e.g. w1")
    p.add_argument("--out", required=True, help="results/<dataset>/waves/<wave>")
    p.add_argument("--options", help="JSON object of config keys (or @file)")
    p.add_argument(
        "--pseudonym-map",
        help="with pseudonymize: where to write the raw -> pseudonym map (outside results/)",
    )

    p = command("wave", _wave, "build the networks and the ties/actors/cases tables of one wave")
    p.add_argument("--wave-dir", required=True, help="results/<dataset>/waves/<wave>")
    p.add_argument("--wave", required=True, help="the wave's name, e.g. w2")
    p.add_argument("--previous", help="results/<dataset>/waves/<previous wave>")
    p.add_argument("--previous-wave", help="the previous wave's name, e.g. w1")
    p.add_argument("--options", help="JSON object of config keys (or @file holding one), e.g. '{\"seed\": 1}'")

    p = command(
        "wave-chunk", _wave_chunk,
        "build the networks, measures and GraphML files of one chunk of a wave's cases"
        " (e.g. netinnov wave-chunk --validated results/example/waves/w1 --wave w1 --chunk 1-of-4"
        " --out w1/chunks/1-of-4.pkl --networks w1/chunks/1-of-4_networks)",
    )
    p.add_argument("--validated", required=True, help="the wave's folder holding validated/ and rejected.csv")
    p.add_argument("--wave", required=True, help="the wave's name, e.g. w1")
    p.add_argument("--chunk", required=True, help="which chunk, as <k>-of-<n> (k from 1), e.g. 2-of-4")
    p.add_argument("--out", required=True, help="the chunk's parts file to write (an intermediate pickle)")
    p.add_argument("--networks", required=True, help="folder for the chunk's <case>.graphml files")
    p.add_argument("--previous", help="the previous wave's folder holding validated/, e.g. results/example/waves/w1")
    p.add_argument("--previous-wave", help="the previous wave's name, e.g. w1")
    p.add_argument("--options", help="JSON object of the wave step's config keys (or @file)")

    p = command(
        "wave-tables", _wave_tables,
        "join the chunks of a wave into its tables (ties, actors, cases, phases, ...) and GraphML folder"
        " (e.g. netinnov wave-tables --validated results/example/waves/w1 --wave w1 --parts w1/chunks/*.pkl"
        " --networks-from w1/chunks/*_networks --ties w1/ties.csv --actors w1/actors.csv ..."
        " --networks results/example/waves/w1/networks)",
    )
    p.add_argument("--validated", required=True, help="the wave's folder holding validated/ and rejected.csv")
    p.add_argument("--wave", required=True, help="the wave's name, e.g. w1")
    p.add_argument("--parts", nargs="+", required=True, help="the chunks' parts files, in chunk order")
    p.add_argument("--networks-from", nargs="+", required=True, help="the chunks' GraphML folders")
    from netinnov.contract import WAVE_TABLES

    for name in WAVE_TABLES:
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, required=True,
                       help=f"the wave's {name}.csv to write, e.g. results/example/waves/w1/{name}.csv")
    p.add_argument("--networks", required=True, help="the wave's GraphML folder to fill")
    p.add_argument("--options", help="JSON object of the wave step's config keys (or @file)")

    p = command(
        "mixing-tests", _mixing_tests, "the E-I tests of one wave with Benjamini-Hochberg q-values (mixing_tests.csv)"
    )
    p.add_argument("--cases", required=True, help="results/<dataset>/waves/<wave>/cases.csv")
    p.add_argument("--out", required=True, help="results/<dataset>/waves/<wave>/mixing_tests.csv")
    p.add_argument("--wave", default="", help="the wave's name, written in the family column, e.g. w1")

    p = command(
        "phase-summaries", _phase_summaries,
        "participation by phase across cases, per wave: mean shares with 95%% intervals and the involvement"
        " of one group (panel/phase_summary.csv, panel/group_involvement.csv), e.g. netinnov phase-summaries"
        " --phases results/example/waves/w1/phases.csv results/example/waves/w2/phases.csv --waves w1 w2"
        " --summary results/example/panel/phase_summary.csv --involvement results/example/panel/group_involvement.csv",
    )
    p.add_argument("--phases", nargs="+", required=True, help="each wave's phases.csv, in wave order")
    p.add_argument("--waves", nargs="+", required=True, help="the waves of --phases, e.g. w1 w2")
    p.add_argument("--summary", required=True, help="phase_summary.csv to write")
    p.add_argument("--involvement", required=True, help="group_involvement.csv to write")
    p.add_argument("--group-attribute", default="sector", help="the group column of phases.csv (default: sector)")
    p.add_argument("--involvement-group", default="citizen",
                   help="the group whose involvement is counted (default: citizen)")

    p = command(
        "report-summaries", _report_summaries,
        "the summaries the distributions, panel and roles reports show, as tables under panel/:"
        " actor_counts.csv, metric_summary.csv, turnover.csv, tie_transition_summary.csv, stability_summary.csv,"
        " role_scores.csv, role_presence.csv (run after netinnov panel), e.g. netinnov report-summaries"
        " --results results/example --waves w1 w2 w3",
    )
    p.add_argument("--results", required=True,
                   help="results/<dataset> (reads waves/<wave>/actors.csv and cases.csv, panel/change.csv,"
                        " stability.csv and tie_transitions.csv)")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--out", default="", help="folder of the tables (default: <results>/panel)")
    p.add_argument("--group-attribute", default="sector", help="the group column of actors.csv (default: sector)")

    p = command(
        "wave-summaries", _wave_summaries,
        "the numbers the wave overview shows, as tables in the wave's folder: wave_counts.csv, quality_checks.csv,"
        " case_measures.csv, mixing_summary.csv, rejected_counts.csv, e.g. netinnov wave-summaries"
        " --wave-dir results/example/waves/w1",
    )
    p.add_argument("--wave-dir", required=True,
                   help="results/<dataset>/waves/<wave> (reads cases.csv, actors.csv, ties.csv and, when present,"
                        " phases.csv, rejected.csv and mixing_tests.csv)")
    p.add_argument("--out", default="", help="folder of the tables (default: --wave-dir)")
    p.add_argument("--group-attribute", default="sector", help="the group column of actors.csv (default: sector)")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="significance level of the counted E-I tests (default: 0.05)")

    p = command("panel", _panel, "stack the waves and measure change between them")
    p.add_argument("--results", required=True, help="results/<dataset>")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--options", help="JSON object of config keys (or @file holding one), e.g. '{\"seed\": 1}'")

    p = command("models", _models, "fit the case-level models (GLMs and cross-validated prediction)")
    p.add_argument("--results", required=True, help="results/<dataset> (reads panel/, writes models/)")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--options", help="JSON object of config keys (or @file holding one), e.g. '{\"seed\": 1}'")

    p = command(
        "power",
        _power,
        "power and minimal detectable effect of every case-level model term, by simulation"
        " (power.csv, power_summary.csv)",
    )
    p.add_argument("--results", required=True, help="results/<dataset> (reads models/features.csv)")
    p.add_argument("--waves", nargs="+", help="wave order (lagged models); default: natural order")
    p.add_argument(
        "--options", help="JSON object of config keys (models, seed, small_cluster_max, power), or @file"
    )
    p.add_argument("--out", help="power.csv to write (default: <results>/models/power.csv)")
    p.add_argument("--summary", help="power_summary.csv to write (default: beside --out)")
    p.add_argument("--datasets", type=int, help="simulated datasets per effect size (default 200)")
    p.add_argument(
        "--grid", type=float, nargs="+",
        help="effect sizes on the link scale, per SD of the term (0 to 1 for a 0/1 term);"
        " default per family (logit: 0 0.25 0.5 1 1.5 2)",
    )  # fmt: skip
    p.add_argument("--icc", type=float, help="intra-class correlation of the case random intercept (default 0.3)")
    p.add_argument("--alpha", type=float, help="significance level of each test (default 0.05)")
    p.add_argument("--power", type=float, help="target power of the minimal detectable effect (default 0.80)")
    p.add_argument("--cases", type=int, help="simulate this many cases instead of the observed number")

    p = command("qap", _qap, "fit the dyadic MRQAP models of every wave in one process (models/qap.csv)")
    p.add_argument("--results", required=True, help="results/<dataset> (reads panel/actors.csv, waves/*/ties.csv)")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--options", help="JSON object of config keys (dyadic_models, seed, directed, group_attribute)")

    p = command(
        "qap-chunk", _qap_chunk,
        "fit the dyadic models on one chunk of a wave's cases (per-case fits and the pooled fit's designs),"
        " e.g. netinnov qap-chunk --results results/example --wave w2 --previous-wave w1 --chunk 1-of-4"
        " --out models/dyadic/w2/1-of-4.pkl",
    )
    p.add_argument("--results", required=True, help="results/<dataset> (reads panel/actors.csv, waves/*/ties.csv)")
    p.add_argument("--wave", required=True, help="the wave, e.g. w2")
    p.add_argument("--previous-wave", help="the wave before it, for edgecov(previous_*) terms, e.g. w1")
    p.add_argument("--chunk", required=True, help="which chunk, as <k>-of-<n> (k from 1), e.g. 2-of-4")
    p.add_argument("--out", required=True, help="the chunk's fits file to write (an intermediate pickle)")
    p.add_argument("--options", help="JSON object of config keys (dyadic_models, seed, directed, group_attribute)")

    p = command(
        "qap-pooled", _qap_pooled,
        "join the dyadic chunks of one wave and fit its pooled models,"
        " e.g. netinnov qap-pooled --parts models/dyadic/w2/*.pkl --wave w2 --out models/dyadic/w2.pkl",
    )
    p.add_argument("--parts", nargs="+", required=True, help="the wave's chunk fits files (any order)")
    p.add_argument("--wave", required=True, help="the wave, e.g. w2")
    p.add_argument("--out", required=True, help="the wave's rows to write (an intermediate pickle)")
    p.add_argument("--options", help="JSON object of config keys (dyadic_models, seed, directed, group_attribute)")

    p = command(
        "qap-tables", _qap_tables,
        "write qap.csv from the waves' dyadic rows, with q-values over every row,"
        " e.g. netinnov qap-tables --parts models/dyadic/w1.pkl models/dyadic/w2.pkl --waves w1 w2"
        " --out results/example/models/qap.csv",
    )
    p.add_argument("--parts", nargs="+", required=True, help="the waves' rows files from qap-pooled (any order)")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--out", required=True, help="qap.csv to write")

    p = command(
        "empty-results", _empty_results,
        "list every model fit without an estimate and why (models/empty_results.csv), and log it",
    )  # fmt: skip
    p.add_argument(
        "--models", required=True,
        help="the models folder holding coefficients.csv, fit.csv and qap.csv, e.g. results/mydata/models",
    )  # fmt: skip
    p.add_argument("--out", help="table to write (default: <models>/empty_results.csv), e.g. --out empty.csv")

    p = command("validity", _validity, "validity figures of the measures on the data and on the generator")
    p.add_argument("--results", required=True, help="results/<dataset>")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--dataset", required=True, help="the dataset directory (its planted truth, if any)")
    p.add_argument("--out", required=True, help="results/<dataset>/validity/validity.csv")
    p.add_argument("--options", help="JSON object of config keys (or @file holding one), e.g. '{\"seed\": 1}'")

    add_exports_arguments(command("exports", _exports, "write RSiena / statnet / Pajek exports per case"))

    p = command("manifest", _manifest, "write manifest.json (checksums, config, versions)")
    p.add_argument("--dataset", required=True, help="the dataset directory whose inputs are checksummed")
    p.add_argument("--out", required=True, help="manifest.json to write, e.g. results/example/manifest.json")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--options", help="JSON object of the resolved config (or @file), recorded in the manifest")
    p.add_argument("--outputs", nargs="*", help="result files and directories to checksum")
    p.add_argument("--results", help="results/<dataset>: checksum every file in it (but logs/, reports/)")

    p = command(
        "codebook",
        _codebook,
        "write the codebook of the result tables as a Frictionless Data Package (datapackage.json) and the run's "
        "methods paragraph (methods.md), e.g. netinnov codebook --results results/example --dataset data/example "
        "--waves w1 w2 w3",
    )
    p.add_argument("--results", required=True, help="results/<dataset> whose tables to describe, e.g. results/example")
    p.add_argument(
        "--dataset", help="the dataset directory, for its dataset-specific columns (actor attributes, outcomes), "
        "e.g. data/example",
    )  # fmt: skip
    p.add_argument("--waves", nargs="*", help="wave order, e.g. --waves w1 w2 w3")
    p.add_argument(
        "--options", help="JSON object of the resolved config (or @file) for the methods paragraph, "
        "e.g. '{\"directed\": true, \"seed\": 1}'",
    )  # fmt: skip
    p.add_argument(
        "--out", help="datapackage.json to write (default <results>/datapackage.json), "
        "e.g. results/example/datapackage.json",
    )  # fmt: skip
    p.add_argument(
        "--methods", help="methods.md to write (default <results>/methods.md), e.g. results/example/methods.md"
    )

    p = command("report", _report, "execute a notebook with papermill and render it to HTML")
    p.add_argument("--notebook", required=True, help="the notebook to run, e.g. workflow/notebooks/phases.ipynb")
    p.add_argument("--out", required=True, help="executed .ipynb")
    p.add_argument("--html", required=True, help="the HTML page to render, e.g. results/example/reports/phases.html")
    p.add_argument("-p", "--param", action="append", help="key=value notebook parameter")

    p = command("index", _index, "write reports/index.html linking every report")
    p.add_argument("--out", required=True, help="index.html to write, e.g. results/example/reports/index.html")
    p.add_argument("--title", default="netinnov reports", help="the page title (default: netinnov reports)")
    p.add_argument("pages", nargs="*", help="the report pages to link, e.g. results/example/reports/*.html")
    for name, example in EXAMPLES.items():
        sub.choices[name].epilog = f"example:\n  {example}"
        sub.choices[name].formatter_class = argparse.RawDescriptionHelpFormatter
    return parser, commands


#: An example command line of every subcommand (shown at the end of its --help).
EXAMPLES = {
    "simulate": "netinnov simulate --out data/simulated --cases 36 --waves 3 --seed 7",
    "validate": "netinnov validate data/mydata --out results/mydata",
    "import": "netinnov import case01.net case02.net --wave 2024 --out data/mine",
    "init": "netinnov init data/mydata",
    "ingest": "netinnov ingest --dataset data/example --wave w1 --out results/example/waves/w1",
    "wave": "netinnov wave --wave-dir results/example/waves/w2 --wave w2 --previous results/example/waves/w1"
            " --previous-wave w1",
    "wave-chunk": "netinnov wave-chunk --validated results/example/waves/w1 --wave w1 --chunk 1-of-2"
                  " --out w1-1.pkl --networks w1-1_networks",
    "wave-tables": "netinnov wave-tables --validated results/example/waves/w1 --wave w1 --parts w1-1.pkl w1-2.pkl"
                   " --networks-from w1-1_networks w1-2_networks --ties w1/ties.csv --actors w1/actors.csv"
                   " --cases w1/cases.csv --phases w1/phases.csv --phase-tests w1/phase_tests.csv"
                   " --roles-validation w1/roles_validation.csv --coattendance w1/coattendance.csv"
                   " --tie-strength-diagnostics w1/tie_strength_diagnostics.csv --networks w1/networks",
    "mixing-tests": "netinnov mixing-tests --cases results/example/waves/w1/cases.csv"
                    " --out results/example/waves/w1/mixing_tests.csv --wave w1",
    "phase-summaries": "netinnov phase-summaries --phases results/example/waves/w1/phases.csv --waves w1"
                       " --summary phase_summary.csv --involvement group_involvement.csv",
    "wave-summaries": "netinnov wave-summaries --wave-dir results/example/waves/w1",
    "report-summaries": "netinnov report-summaries --results results/example --waves w1 w2 w3",
    "panel": "netinnov panel --results results/example --waves w1 w2 w3",
    "models": "netinnov models --results results/example --waves w1 w2 w3 --options @config.json",
    "power": "netinnov power --results results/example --waves w1 w2 w3 --datasets 100",
    "qap": "netinnov qap --results results/example --waves w1 w2 w3 --options @config.json",
    "qap-chunk": "netinnov qap-chunk --results results/example --wave w2 --previous-wave w1 --chunk 1-of-2"
                 " --out w2-1.pkl",
    "qap-pooled": "netinnov qap-pooled --parts w2-1.pkl w2-2.pkl --wave w2 --out w2.pkl",
    "qap-tables": "netinnov qap-tables --parts w1.pkl w2.pkl --waves w1 w2 --out results/example/models/qap.csv",
    "empty-results": "netinnov empty-results --models results/example/models",
    "validity": "netinnov validity --results results/example --waves w1 w2 w3 --dataset data/example"
                " --out results/example/validity/validity.csv",
    "exports": "netinnov exports --results results/example --waves w1 w2 w3",
    "manifest": "netinnov manifest --dataset data/example --out results/example/manifest.json --waves w1 w2 w3"
                " --results results/example",
    "codebook": "netinnov codebook --results results/example --dataset data/example --waves w1 w2 w3",
    "report": "netinnov report --notebook workflow/notebooks/phases.ipynb --out phases.ipynb --html phases.html"
              " -p results_dir=results/example",
    "index": "netinnov index --out results/example/reports/index.html results/example/reports/*.html",
}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = _parser()
    args = parser.parse_args(argv)
    if args.version:
        from netinnov import __version__

        print(__version__)
        return 0
    if not args.command:
        parser.print_help()
        return 1
    _setup_logging(getattr(args, "log", None))
    start = _usage()
    try:
        return commands[args.command](args)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError) as err:
        # a wrong path given by hand: one line saying which, not a traceback
        log.error("netinnov %s: %s (check the paths given; `netinnov %s --help` lists them)",
                  args.command, _path_error(err), args.command)  # fmt: skip
        return 2
    except Exception:
        log.exception("netinnov %s failed", args.command)
        return 1
    finally:
        end = _usage()
        log.info(
            "netinnov %s: %.2f s wall, %.2f s CPU, peak memory %.0f MB",
            args.command, end[0] - start[0], end[1] - start[1], end[2],
        )


def _path_error(err: OSError) -> str:
    """What is wrong with which path, in one line."""
    what = {
        FileNotFoundError: "not found", NotADirectoryError: "not a folder", IsADirectoryError: "a folder, not a file",
        PermissionError: "not readable or writable",
    }.get(type(err), "cannot be used")  # fmt: skip
    if err.filename is not None:
        return f"{err.filename}: {what}"
    return str(err) or what


def _usage() -> tuple[float, float, float]:
    """Wall clock (s), CPU time of this process and its finished children (s),
    and the peak resident memory of this process (MB; ``ru_maxrss``, kB on Linux)."""
    import time

    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return time.perf_counter(), time.process_time(), float("nan")
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS
    return time.perf_counter(), cpu, own.ru_maxrss / scale


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
