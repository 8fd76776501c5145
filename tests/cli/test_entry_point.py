"""The ``netinnov`` command as a user runs it (a subprocess of the installed
entry point): its help lists every subcommand, and a wrong path ends with one
error line and exit status 2, not a traceback."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import REPO
from netinnov.cli import build_parser


def _netinnov(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The console script beside this interpreter, else ``python -m netinnov``;
    the checkout's src/ first on the path, as in every subprocess of the tests."""
    script = Path(sys.executable).with_name("netinnov")
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "netinnov"]
    path = os.pathsep.join(p for p in (str(REPO / "src"), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=cwd, timeout=120,
                          env={**os.environ, "PYTHONPATH": path})


def _subcommand_names() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.fixture(scope="module")
def help_text(tmp_path_factory) -> str:
    proc = _netinnov("--help", cwd=tmp_path_factory.mktemp("cli"))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_help_lists_every_subcommand(help_text):
    names = _subcommand_names()
    assert {"simulate", "validate", "validate-wave", "wave", "panel", "case-models", "report"} <= set(names)
    listed = {line.split()[0] for line in help_text.splitlines() if line.startswith("    ") and line.split()}
    assert set(names) <= listed, sorted(set(names) - listed)


def test_a_wrong_path_gives_one_error_line_and_exit_2(tmp_path):
    missing = tmp_path / "missing"
    outs = [x for t in ("cases", "actors", "change", "stability", "tie-transitions")
            for x in (f"--out-{t}", str(tmp_path / "panel" / f"{t}.csv"))]
    proc = _netinnov("panel", "--waves", "w1", "--ties", str(missing / "ties.csv"), "--actors",
                     str(missing / "actors.csv"), "--cases", str(missing / "cases.csv"), *outs, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, proc.stderr
    assert "not found" in errors[0] and "missing" in errors[0] and "netinnov panel --help" in errors[0]


def test_an_unknown_subcommand_is_a_usage_error(tmp_path):
    proc = _netinnov("no-such-step", cwd=tmp_path)
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr and "Traceback" not in proc.stderr
