"""The SLURM profile: a dry run plans every job with the profile's resources."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import REPO

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("snakemake_executor_plugin_slurm") is None,
    reason="snakemake-executor-plugin-slurm is not installed (pip install -e '.[test]' brings it)",
)


def test_slurm_profile_dry_run(tmp_path):
    data = tmp_path / "example"
    shutil.copytree(REPO / "data" / "example", data)
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path),
         "--workflow-profile", str(REPO / "workflow" / "profiles" / "slurm"), "-n", "--config", f"dataset={data}"],
        capture_output=True, text=True, timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert "This was a dry-run" in out
    # every per-wave job is planned, with the resources the profile sets for its rule
    blocks = re.split(r"\n(?=(?:local)?rule \w+:)", out)
    tables = [b for b in blocks if b.startswith("rule wave_tables:")]
    assert len(tables) == 3
    for block in tables:
        assert "mem_mb=8000" in block and "runtime=60" in block and "slurm_partition=" in block
    chunks = [b for b in blocks if b.startswith("rule wave_chunk:")]
    assert len(chunks) == 3 * 100  # wave_chunks: null takes the profile's jobs
    for block in chunks:
        assert "mem_mb=8000" in block and "runtime=240" in block and "slurm_partition=" in block


def _large_wave(folder: Path, cases: int) -> None:
    """A dataset of one wave of ``cases`` cases, two records each."""
    (folder / "waves" / "w1").mkdir(parents=True)
    actors = ["actor_id,sector"] + [f"a{i},{('public', 'private')[i % 2]}" for i in range(3)]
    (folder / "actors.csv").write_text("\n".join(actors) + "\n", encoding="utf-8")
    rows = ["case_id,source,target,frequency,duration_min,closeness,channel,phase,date"]
    for c in range(cases):
        rows.append(f"c{c:05d},a0,a1,2,30,3,meeting,design,2024-01-10")
        rows.append(f"c{c:05d},a1,a2,1,15,2,email,design,2024-01-11")
    (folder / "waves" / "w1" / "interactions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_a_wave_of_10000_cases_spreads_over_at_least_100_jobs(tmp_path):
    data = tmp_path / "large"
    _large_wave(data, 10_000)
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path),
         "--workflow-profile", str(REPO / "workflow" / "profiles" / "slurm"), "-n", "--config", f"dataset={data}",
         "--", "results/large/waves/w1/cases.csv"],
        capture_output=True, text=True, timeout=600,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    planned = re.search(r"^wave_chunk\s+(\d+)$", out, flags=re.M)
    assert planned and int(planned.group(1)) >= 100, out[-3000:]


def test_slurm_profile_names_only_rules_of_the_workflow():
    import yaml

    profile = yaml.safe_load((REPO / "workflow" / "profiles" / "slurm" / "config.yaml").read_text(encoding="utf-8"))
    rules = set()
    for smk in [REPO / "Snakefile", *(REPO / "workflow" / "rules").glob("*.smk")]:
        rules |= set(re.findall(r"^(?:rule|checkpoint) (\w+):", smk.read_text(encoding="utf-8"), flags=re.M))
    assert set(profile["set-resources"]) <= rules, set(profile["set-resources"]) - rules
