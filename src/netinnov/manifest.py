"""``manifest.json``: what a results folder was made from.

Lists every input file with its SHA-256 checksum, the resolved config, the
seed, the waves, the Python and package versions and the git commit of
netinnov, so each table can be traced to its inputs. It holds no time stamp,
so the same inputs and config give the same file.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["PACKAGES", "file_checksum", "git_commit", "write_manifest"]

#: Packages whose versions the manifest records.
PACKAGES = (
    "netinnov", "numpy", "pandas", "scipy", "networkx", "igraph", "scikit-learn", "statsmodels",
    "pyarrow", "snakemake", "papermill", "nbconvert", "matplotlib",
)


def file_checksum(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def git_commit() -> str | None:
    """The commit of the netinnov source tree, when it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def write_manifest(dataset: Path, out: Path, config: dict, waves: list[str]) -> dict:
    """Write ``manifest.json`` for a run on ``dataset`` and return it."""
    inputs = {}
    for path in sorted(p for p in dataset.rglob("*") if p.is_file()):
        inputs[path.relative_to(dataset).as_posix()] = {"sha256": file_checksum(path), "bytes": path.stat().st_size}
    manifest = {
        "dataset": dataset.resolve().name,
        "waves": waves,
        "seed": config.get("seed"),
        "config": config,
        "inputs": inputs,
        "python": platform.python_version(),
        "packages": _versions(),
        "netinnov_commit": git_commit(),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return manifest
