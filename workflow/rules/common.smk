# Shared by every stage: the resolved config, the waves, paths and option sets.
import csv
import json
import shlex
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from netinnov.config import resolve, results_dir
# the tables of the summary steps: wave_summaries in each wave's folder, report_summaries under
# panel/, model_summaries and the opt-in power_summaries under models/
from netinnov.contract import (
    MODEL_SUMMARY_TABLES,
    POWER_SUMMARY_TABLES,
    REPORT_SUMMARY_TABLES,
    WAVE_SUMMARY_TABLES,
)
from netinnov.io.formulas import ENV as FORMULAS_ENV
from netinnov.io import discover_waves
from netinnov.steps.results_owner import ResultsFolderError, check_results_folder

_resolved = resolve(config, Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
config.clear()
config.update(_resolved)

# Every job runs `"$PY" -m netinnov <step>`: PY, the Python that runs Snakemake (so its
# environment), is a shell variable set in the prefix of every job's shell command. The
# interpreter is the jobs' environment, like a conda env, not a parameter of any step.
PY = sys.executable
_PY_QUOTED = shlex.quote(PY).replace("{", "{{").replace("}", "}}")  # the prefix is formatted too
shell.prefix(f"set -euo pipefail; PY={_PY_QUOTED}; ")
# neutralize_formulas reaches every step (and the notebooks' kernels) through the environment
os.environ[FORMULAS_ENV] = "1" if config["neutralize_formulas"] else ""
DATASET = Path(config["dataset"])
RESULTS = results_dir(config)
if any(c in str(p) for p in (DATASET, RESULTS) for c in "{}"):
    # Snakemake reads braces in a file path as wildcards: the rules could not name their files
    raise WorkflowError(
        f"the dataset path '{DATASET}' holds '{{' or '}}', which Snakemake reads as wildcards: "
        "rename the folder (or link it under a name without braces)"
    )
try:  # a results folder made from another dataset (of the same folder name) is never reused
    check_results_folder(RESULTS, DATASET)
except ResultsFolderError as err:
    raise WorkflowError(str(err)) from None
WAVES = discover_waves(DATASET, config["waves"] or None)
NOTEBOOKS = Path(workflow.basedir) / "workflow" / "notebooks"
REPORTS = RESULTS / "reports"
FIGURES = REPORTS / "figures"
CAPTIONS = Path(workflow.basedir) / "workflow" / "report"


wildcard_constraints:
    wave="|".join(WAVES) if WAVES else "[A-Za-z0-9_-]+",
    scatteritem=r"\d+-of-\d+",

#: Jobs per wave of the wave stage (netinnov.steps.wave_chunks): config wave_chunks, else the run's
#: --cores, or its --jobs when that is more (a cluster executor: the SLURM profile's `jobs`).
WAVE_CHUNKS = config["wave_chunks"] or max(1, int(workflow.cores or 1), int(workflow.nodes or 0))


#: The config keys of the wave step (netinnov wave), also used by the validity
#: step's reference run, which runs the wave step on generated data.
WAVE_OPTIONS = (
    "directed", "group_attribute", "frequency_scale", "coparticipation_weight", "coattendance",
    "tie_weight", "tie_strength", "tie_strength_scale", "tie_class", "betweenness", "ei_permutations", "ei_swaps_per_tie",
    "collaboration_type", "role_threshold", "role_scale", "seed", "pseudonymize", "nonrespondents", "phase_tests",
)


def options(*keys):
    """The config keys a step needs, as one JSON object (a params value, so a
    change to any of them reruns exactly the steps that use it)."""
    chosen = {k: config[k] for k in keys}
    if config["neutralize_formulas"]:  # how every table is written: a change reruns the steps
        chosen["neutralize_formulas"] = True
    return json.dumps(chosen, sort_keys=True)


def previous_wave(wave):
    i = WAVES.index(wave)
    return WAVES[i - 1] if i > 0 else None


def wave_input_files(wave):
    """Every input file of a wave that exists, and the actors.csv files of the
    waves up to it (actors that joined earlier are known in later waves)."""
    files = [DATASET / "actors.csv"]
    for w in WAVES[: WAVES.index(wave) + 1]:
        joined = DATASET / "waves" / w / "actors.csv"
        if joined.exists():
            files.append(joined)
    folder = DATASET / "waves" / wave
    files += sorted(p for p in folder.glob("*.csv") if p.name != "actors.csv")
    return [str(p) for p in files]


def wave_inputs(wildcards):
    return wave_input_files(wildcards.wave)


def wave_dir(wave):
    return RESULTS / "waves" / wave


def all_targets():
    targets = []
    for w in WAVES:
        d = wave_dir(w)
        targets += [d / "rejected.csv", d / "ties.csv", d / "actors.csv", d / "cases.csv", d / "mixing_tests.csv"]
        targets += [d / f"{name}.csv" for name in WAVE_SUMMARY_TABLES]
        targets += [RESULTS / "reports" / f"wave_{w}.html"]
    targets += [
        RESULTS / "panel" / "cases.csv",
        RESULTS / "panel" / "actors.csv",
        RESULTS / "panel" / "change.csv",
        RESULTS / "panel" / "stability.csv",
        RESULTS / "panel" / "tie_transitions.csv",
        RESULTS / "panel" / "phase_summary.csv",
        RESULTS / "panel" / "group_involvement.csv",
        *(RESULTS / "panel" / f"{name}.csv" for name in REPORT_SUMMARY_TABLES),
        RESULTS / "exports",
        RESULTS / "models" / "coefficients.csv",
        RESULTS / "models" / "empty_results.csv",
        *(RESULTS / "models" / f"{name}.csv" for name in MODEL_SUMMARY_TABLES),
        RESULTS / "validity" / "validity.csv",
        RESULTS / "validity" / "target_counts.csv",
        *(RESULTS / "reports" / f"{name}.html" for name in ("distributions", "phases", "roles", "panel", "models", "validity")),
        RESULTS / "reports" / "index.html",
        RESULTS / "datapackage.json",
        RESULTS / "methods.md",
        RESULTS / "reports" / "codebook.html",
        RESULTS / "manifest.json",
    ]
    if config["power"]["enabled"]:  # opt-in: the power page and its tables
        targets += [RESULTS / "models" / f"{name}.csv" for name in POWER_TABLES] + [RESULTS / "reports" / "power.html"]
    return [str(t) for t in targets]


# ------------------------------------------------ stage 1: validation
def validate_options(wildcards):
    """The options of one wave's validation. Of the wave order it passes only
    the waves up to this one (all that validating it needs: the actors known
    at it), so that adding a later wave — a new folder, or one more name in
    the config's `waves:` — leaves the params of earlier waves unchanged and
    does not rerun them."""
    opts = json.loads(
        options("on_bad_rows", "group_attribute", "directed", "pseudonymize", "pseudonym_key_file")
    )
    opts["waves"] = WAVES[: WAVES.index(wildcards.wave) + 1]
    return json.dumps(opts, sort_keys=True)


# ------------------------------------------------ stage 2: wave tables
def previous_validated(wildcards):
    prev = previous_wave(wildcards.wave)
    return [str(wave_dir(prev) / "validated")] if prev else []


# ------------------------------------------------ stage 5: reports
def figure_labels(wildcards):
    """Labels of a saved figure (PNG, SVG, PDF) or table (HTML) in the Snakemake report."""
    kind = "table" if wildcards.ext == "html" else f"figure ({wildcards.ext.upper()})"
    return {"name": wildcards.name.replace("_", " "), "kind": kind}


def report_figures(folder, caption, category, subcategory=None):
    """A notebook's folder of key figures and tables, marked for the Snakemake report."""
    return report(directory(folder), patterns=["{name}.{ext}"], caption=CAPTIONS / caption, category=category,
                  subcategory=subcategory, labels=figure_labels)


#: The tables of the opt-in power step (config `power.enabled`), under models/: not inputs of
#: the models report, which does not wait for the simulation.
POWER_TABLES = ("power", "power_summary", *POWER_SUMMARY_TABLES)


def out_flags(output, names):
    """`--out-<name> <path>` for each named output of a step that writes several tables
    (quoted here: used unquoted in the shell command)."""
    return " ".join(f"--out-{n.replace('_', '-')} {shlex.quote(str(output[n]))}" for n in names)


def stage_tables(stage):
    """Every CSV table that a rule writes under results/<dataset>/<stage>/ (whatever
    the rules of that stage are called): the inputs of the stage's report."""
    folder = str(RESULTS / stage) + os.sep
    return sorted({str(f) for r in workflow.rules for f in r.output if str(f).startswith(folder) and str(f).endswith(".csv")})


def notebook_params(**values):
    """`-p key=value` arguments for the notebook parameters (values as text)."""
    return " ".join(f"-p {k}={shlex.quote(str(v))}" for k, v in values.items())


def case_page_parts(wildcards):
    """The folders of case pages, known once the case selection has run."""
    selection = checkpoints.case_selection.get().output[0]
    with open(selection, newline="", encoding="utf-8") as f:
        parts = dict.fromkeys((row["wave"], row["part"]) for row in csv.DictReader(f))
    return [str(REPORTS / "cases" / w / p) for w, p in parts]


# ------------------------------------------------ provenance
def manifest_outputs():
    """Every result the manifest checksums: the outputs of validation, the wave
    tables, the panel, the models and the exports."""
    per_wave = [str(f) for f in (*rules.validate_wave.output, *rules.wave_tables.output, *rules.mixing_tests.output,
                                        *rules.wave_summaries.output)]
    files = expand(per_wave, wave=WAVES)
    for stage in (rules.panel, rules.phase_summaries, rules.report_summaries, rules.case_models, rules.dyadic_models, rules.empty_results, rules.model_summaries, rules.validity, rules.validity_summaries, rules.exports):
        files += [str(f) for f in stage.output]
    if config["power"]["enabled"]:
        files += [str(f) for f in (*rules.power.output, *rules.power_summaries.output)]
    return sorted(set(files))
