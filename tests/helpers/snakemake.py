"""Running the pipeline (the repository's Snakefile) from a test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from helpers.paths import REPO


def run_snakemake(
    workdir: Path,
    *args: str,
    snakefile: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 1200,
    check: bool = True,
) -> subprocess.CompletedProcess:
    """``python -m snakemake -s Snakefile --directory workdir *args``; with
    ``check`` a failed run raises AssertionError with the tails of its output."""
    cmd = [sys.executable, "-m", "snakemake", "-s", str(snakefile or REPO / "Snakefile"),
           "--directory", str(workdir), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc
