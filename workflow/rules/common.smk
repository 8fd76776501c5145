# Shared by every stage: the resolved config, the waves, paths and option sets.
import json
import sys
from pathlib import Path

from netinnov.config import resolve, results_dir
from netinnov.io import discover_waves

_resolved = resolve(config, Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
config.clear()
config.update(_resolved)

PY = sys.executable
DATASET = Path(config["dataset"])
RESULTS = results_dir(config)
WAVES = discover_waves(DATASET, config["waves"] or None)
NOTEBOOKS = Path(workflow.basedir) / "workflow" / "notebooks"


wildcard_constraints:
    wave="|".join(WAVES) if WAVES else "[A-Za-z0-9_-]+",


def options(*keys):
    """The config keys a step needs, as one JSON object (a params value, so a
    change to any of them reruns exactly the steps that use it)."""
    return json.dumps({k: config[k] for k in keys}, sort_keys=True)


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
        targets += [d / "rejected.csv", d / "ties.csv", d / "actors.csv", d / "cases.csv"]
        targets += [RESULTS / "reports" / f"wave_{w}.html"]
    targets += [
        RESULTS / "panel" / "cases.csv",
        RESULTS / "panel" / "actors.csv",
        RESULTS / "panel" / "change.csv",
        RESULTS / "panel" / "stability.csv",
        RESULTS / "panel" / "tie_transitions.csv",
        RESULTS / "exports",
        RESULTS / "models" / "coefficients.csv",
        *(RESULTS / "reports" / f"{name}.html" for name in ("distributions", "phases", "roles", "panel", "models")),
        RESULTS / "reports" / "index.html",
        RESULTS / "manifest.json",
    ]
    return [str(t) for t in targets]
