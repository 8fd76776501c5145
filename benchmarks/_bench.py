"""Shared helpers of the benchmark scripts: machine facts, timing in a fresh
process, markdown tables and log-log fits.

Measurement only: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = [
    "BENCH_DIR",
    "REPO",
    "Meter",
    "format_table",
    "loglog_slope",
    "machine_info",
    "machine_markdown",
    "run_worker",
]

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent

_PACKAGES = (
    "netinnov", "numpy", "scipy", "pandas", "pyarrow", "igraph", "networkx",
    "snakemake", "statsmodels", "scikit-learn", "psutil",
)  # fmt: skip


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True, timeout=10,
        )  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return out.stdout.strip() + ("+uncommitted changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "-"


def machine_info() -> dict:
    """Facts about the machine and software a figure was measured with."""
    cpu = "-"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram_gb = psutil.virtual_memory().total / 2**30
    except ImportError:  # pragma: no cover - psutil is in the environment
        ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "host_cpu": cpu,
        "nproc": os.cpu_count(),
        "ram_gb": round(ram_gb, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in _PACKAGES},
        "git": _git_commit(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def machine_markdown(info: dict) -> str:
    pk = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    load = " / ".join(f"{x:.2f}" for x in info["load_average"])
    return (
        f"- date: {info['date']}; netinnov at git {info['git']}\n"
        f"- machine: {info['nproc']} cores ({info['host_cpu']}), {info['ram_gb']} GB RAM, {info['os']}\n"
        f"- Python {info['python']}; {pk}\n"
        f"- load average (1/5/15 min) when the run started: {load}\n"
    )


class Meter:
    """Wall and CPU seconds and the peak resident set of the current process.

    ``ru_maxrss`` is the peak over the whole life of the process, so a
    measurement runs in a fresh process: ``baseline_mb`` is the peak after
    setup (inputs loaded), ``peak_mb`` the peak after the measured step.
    """

    def __init__(self) -> None:
        self.baseline_mb = _maxrss_mb()
        self.load_before = os.getloadavg()[0]
        self._cpu = _cpu_seconds()
        self._wall = time.perf_counter()

    def stop(self) -> dict:
        wall = time.perf_counter() - self._wall
        cpu = _cpu_seconds() - self._cpu
        return {
            "wall": wall,
            "cpu": cpu,
            "peak_mb": _maxrss_mb(),
            "baseline_mb": self.baseline_mb,
            "load_before": self.load_before,
            "load_after": os.getloadavg()[0],
        }


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_worker(script: Path, args: Sequence[str], *, timeout: float, log: Callable[[str], None]) -> dict:
    """Run ``script --worker ...`` in a fresh Python process and return its JSON result.

    The worker prints one JSON object on its last stdout line. A worker that
    runs longer than ``timeout`` seconds is killed and reported as not finished.
    """
    cmd = [sys.executable, str(script), *args]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=str(REPO))
    except subprocess.TimeoutExpired:
        return {"ok": False, "timeout": timeout, "error": f"did not finish in {timeout:.0f} s"}
    elapsed = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
        log("    worker failed:\n      " + "\n      ".join(tail))
        return {"ok": False, "error": (tail[-1] if tail else f"exit {proc.returncode}"), "elapsed": elapsed}
    result = json.loads(lines[-1])
    result["elapsed"] = elapsed
    return result


def loglog_slope(x: Sequence[float], y: Sequence[float]) -> float:
    """Least-squares slope of log(y) on log(x) (NaN with fewer than two points)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[keep]), np.log(y[keep]), 1)[0])


def format_table(rows: Sequence[dict], columns: Sequence[tuple[str, str]]) -> str:
    """A markdown table; ``columns`` are ``(key, header)`` pairs; missing values print as ``-``."""
    head = "| " + " | ".join(h for _, h in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if value is None or (isinstance(value, float) and not np.isfinite(value)):
                cells.append("-")
            elif isinstance(value, float):
                cells.append(_number(value))
            else:
                cells.append(str(value))
        body.append("| " + " | ".join(cells) + " |")
    return "\n".join([head, rule, *body])


def _number(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 0.1:
        return f"{x:.2f}"
    return f"{x:.3f}"
