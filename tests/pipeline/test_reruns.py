"""Incremental reruns: a new wave recomputes only that wave's jobs and the
cross-wave aggregates; a corrected file of an old wave reruns that wave and
what depends on it, and nothing else.

One Snakemake run on waves w1–w2 of a small simulated dataset, then w3 is
added (its folder, and its name in the config's wave list), then w1's
interactions are touched. The job lists come from Snakemake's dry run.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from helpers.snakemake import run_snakemake
from netinnov.simulate import simulate_dataset

DATASET = "panelsim"
RESULTS = Path("results") / DATASET

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]  # several pipeline runs, one after another


def _models_available() -> bool:
    try:
        return hasattr(importlib.import_module("netinnov.steps.models"), "run_all_models")
    except ImportError:
        return False


def _targets(waves: list[str]) -> list[str]:
    """Every per-wave output (tables and wave reports) and the cross-wave tables: panel,
    exports and, once the models stage runs, models and the manifest. The cross-wave
    notebooks are left out to keep the test short: like every aggregate they rerun
    whenever a wave changes, and they take no part in what a wave's jobs read."""
    targets = []
    for w in waves:
        targets += [str(RESULTS / "waves" / w / f) for f in ("rejected.csv", "ties.csv", "actors.csv", "cases.csv")]
        targets.append(str(RESULTS / "reports" / f"wave_{w}.html"))
    targets += [str(RESULTS / "panel" / f) for f in ("cases.csv", "actors.csv", "change.csv", "stability.csv",
                                                      "tie_transitions.csv")]
    targets.append(str(RESULTS / "exports"))
    if _models_available():
        targets += [str(RESULTS / "models" / "coefficients.csv"), str(RESULTS / "manifest.json")]
    return targets


def _snakemake(work: Path, waves: list[str], *args: str) -> str:
    proc = run_snakemake(
        work, "--cores", "2", *_targets(waves), *args,
        "--config", f"dataset={work / DATASET}", f"waves={','.join(waves)}", "ei_permutations=19",
        timeout=600,
    )
    return proc.stdout + proc.stderr


def _planned_jobs(work: Path, waves: list[str]) -> list[tuple[str, str | None]]:
    """(rule, wave wildcard or None) of every job a dry run would execute, ``all`` left out."""
    text = _snakemake(work, waves, "--dry-run")
    parts = re.split(r"(?m)^(?:local)?rule (\w+):[ \t]*$", text)
    jobs = []
    for rule, body in zip(parts[1::2], parts[2::2], strict=True):
        indented = []
        for line in body.splitlines()[1:]:  # the job's own lines are indented
            if not line.startswith((" ", "\t")):
                break
            indented.append(line)
        m = re.search(r"^\s+wildcards:.*?\bwave=([\w-]+)", "\n".join(indented), re.MULTILINE)
        if rule != "all":
            jobs.append((rule, m.group(1) if m else None))
    return jobs


def _state(work: Path, waves: list[str]) -> dict[str, tuple[str, int]]:
    """sha256 and mtime (ns) of every result file that belongs to one of ``waves``."""
    results = work / RESULTS
    files = []
    for w in waves:
        files += [p for p in (results / "waves" / w).rglob("*") if p.is_file()]
        files += list((results / "reports").glob(f"wave_{w}.*"))
        files += list((results / "logs").glob(f"*_{w}.log"))
    return {
        str(p.relative_to(results)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(files)
    }


@pytest.fixture(scope="module")
def two_waves(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("reruns")
    simulate_dataset(work / DATASET, n_cases=6, n_waves=3, min_actors=8, max_actors=15, seed=11, directed=False)
    shutil.move(work / DATASET / "waves" / "w3", work / "w3_later")
    _snakemake(work, ["w1", "w2"], "--quiet")
    return work


def test_a_new_wave_runs_only_its_own_jobs_and_the_aggregates(two_waves):
    work = two_waves
    before = _state(work, ["w1", "w2"])
    assert any(k.endswith("ties.csv") for k in before) and any(k.startswith("reports/") for k in before)
    shutil.move(work / "w3_later", work / DATASET / "waves" / "w3")

    jobs = _planned_jobs(work, ["w1", "w2", "w3"])
    per_wave = {(r, w) for r, w in jobs if w is not None}
    aggregates = {r for r, w in jobs if w is None}
    assert {w for _, w in per_wave} == {"w3"}, sorted(per_wave)
    assert {("validate_wave", "w3"), ("wave_tables", "w3")} <= per_wave
    assert {"panel", "exports"} <= aggregates

    _snakemake(work, ["w1", "w2", "w3"], "--quiet")
    assert _state(work, ["w1", "w2"]) == before  # same bytes, same time stamps
    results = work / RESULTS
    assert (results / "waves" / "w3" / "ties.csv").is_file()
    assert "w3" in (results / "panel" / "change.csv").read_text()
    assert "w3" in (results / "exports" / "cases.csv").read_text()
    # and a second run right after has nothing to do
    assert _planned_jobs(work, ["w1", "w2", "w3"]) == []


def test_a_corrected_old_wave_reruns_it_and_its_downstream_only(two_waves):
    work = two_waves
    if not (work / DATASET / "waves" / "w3").exists():
        pytest.skip("needs the three-wave state of the previous test")
    # a correction: one more record (Snakemake compares checksums of small inputs, so a
    # bare touch that leaves the content as it was reruns nothing)
    path = work / DATASET / "waves" / "w1" / "interactions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))

    jobs = _planned_jobs(work, ["w1", "w2", "w3"])
    per_wave = {(r, w) for r, w in jobs if w is not None}
    aggregates = {r for r, w in jobs if w is None}
    assert {("validate_wave", "w1"), ("wave_tables", "w1")} <= per_wave
    # w2's tables use w1's validated records (new actors and ties since the previous wave)
    assert ("wave_tables", "w2") in per_wave
    # w3's dyadic models read w2's ties (edgecov(previous_tie)), which the w2 job rewrites:
    # they rerun; nothing else of w3 does
    dyadic = {"dyadic_chunk", "dyadic_pooled"}
    assert ("dyadic_chunk", "w3") in per_wave
    assert not {w for r, w in per_wave if r not in dyadic} & {"w3"}, sorted(per_wave)
    assert ("validate_wave", "w2") not in per_wave
    assert {"panel", "exports"} <= aggregates
