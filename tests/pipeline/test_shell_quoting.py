"""No path, name or option reaches a shell unquoted (issue 14, item 3).

A static check that every placeholder of every rule's shell command is
quoted (``{x:q}``), and a run of the pipeline from a checkout path with a
space on a dataset whose path holds a space, quotes and ``$( )``: the steps
succeed and the command substitution never runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import REPO

RULES = sorted((REPO / "workflow" / "rules").glob("*.smk"))
BASE = REPO / "tests" / "data" / "bad" / "base"

#: Placeholders whose value is quoted where it is built (common.smk's notebook_params).
PRE_QUOTED = {"params.p"}


def _shell_commands(path: Path) -> list[tuple[int, str]]:
    """Every ``shell:`` command of a rule file, as (line, text of its string literals)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.strip() == "shell:":
            parts, j = [], i + 1
            while j < len(lines) and re.match(r'\s+"', lines[j]):
                parts.append(re.findall(r'"((?:[^"\\]|\\.)*)"', lines[j])[0])
                j += 1
            out.append((i + 1, "".join(parts)))
    return out


def test_every_shell_placeholder_is_quoted():
    commands = [(p.name, n, c) for p in RULES for n, c in _shell_commands(p)]
    assert len(commands) >= 15  # every rule of the pipeline
    bad = [f"{name}:{line}: {{{ph}}}" for name, line, cmd in commands
           for ph in re.findall(r"(?<!\{)\{([^{}]+)\}(?!\})", cmd)
           if not ph.endswith(":q") and ph not in PRE_QUOTED]
    assert not bad, "unquoted shell arguments:\n" + "\n".join(bad)


@pytest.mark.pipeline
@pytest.mark.slow  # a whole pipeline run from a copied checkout
def test_pipeline_runs_from_paths_with_spaces_quotes_and_command_substitution(tmp_path):
    root = tmp_path / "check out 'x'"
    root.mkdir()
    for part in ("Snakefile", "workflow", "config"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, root / part)
    work = tmp_path / "my work $(touch PWNED_WORK)"
    dataset = work / "data" / "survey $(touch PWNED) 'q' \"d\" `touch PWNED_BT` ;x"
    shutil.copytree(BASE, dataset)
    results = Path("results") / dataset.name
    targets = [results / "waves" / "w1" / "ties.csv", results / "panel" / "change.csv", results / "exports",
               results / "reports" / "wave_w1.html"]
    cmd = [sys.executable, "-m", "snakemake", "-s", str(root / "Snakefile"), "--directory", str(work),
           "--cores", "2", *map(str, targets), "--config", f"dataset={dataset}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    pwned = [p for p in tmp_path.rglob("PWNED*")] + [p for p in Path.cwd().glob("PWNED*")]
    assert not pwned, f"a shell ran text from a path: {pwned}"
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    for t in targets:
        assert (work / t).exists(), t


def test_a_dataset_path_with_braces_stops_with_a_message(tmp_path):
    dataset = tmp_path / "survey{x}"
    shutil.copytree(BASE, dataset)
    cmd = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path), "-n",
           "--config", f"dataset={dataset}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode != 0
    assert "Snakemake reads as wildcards: rename the folder" in proc.stdout + proc.stderr


def test_a_listed_wave_name_must_be_a_plain_name(tmp_path):
    from netinnov.io import InputError, discover_waves

    (tmp_path / "waves" / "w1$(touch x)").mkdir(parents=True)
    with pytest.raises(InputError, match="characters other than letters"):
        discover_waves(tmp_path, ["w1$(touch x)"])
