"""``manifest.json``: what a results folder was made from, and what it holds.

Lists every input file with its SHA-256 checksum, the resolved config, the
seed, the waves, the Python and package versions and the git commit of
netinnov (and whether the source tree had uncommitted changes), and every
result file with its SHA-256 checksum (``outputs``), so that each table can be
traced to the inputs, config and code that made it: a table whose checksum is
listed in a manifest was made from exactly what that manifest lists.

The manifest holds no time stamp: the same inputs, config, seed and software
give a byte-identical file. Keys holding local paths (listed under
``machine_specific``) differ between machines and folders and are left out
when two manifests are compared.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = [
    "MACHINE_SPECIFIC",
    "NOT_CHECKSUMMED",
    "PACKAGES",
    "comparable",
    "file_checksum",
    "git_commit",
    "git_dirty",
    "output_checksums",
    "write_manifest",
]

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


def git_dirty() -> bool | None:
    """Whether tracked files of the netinnov checkout differ from its commit (None: not a checkout)."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "."],
            cwd=here, capture_output=True, text=True, timeout=10, check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(out.stdout.strip())


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


#: Manifest keys (dotted paths) that hold local paths: they differ between
#: machines and folders, and :func:`comparable` drops them.
MACHINE_SPECIFIC = ("config.dataset", "config.pseudonym_key_file")

#: Files that are no results (Snakemake's markers of directory outputs).
_SKIP = (".snakemake_timestamp",)

#: Folders of the results folder that the manifest does not checksum: logs,
#: and reports (renderings of the tables, made after the manifest).
NOT_CHECKSUMMED = ("logs", "reports")


def output_checksums(
    paths: list[Path], root: Path, exclude: tuple[str, ...] = ()
) -> dict[str, dict[str, int | str]]:
    """SHA-256 and size of result files, keyed by path relative to ``root`` (POSIX), sorted.

    Parameters
    ----------
    paths
        Files, and directories whose files are all included; a path that does
        not exist is an error.
    root
        The results folder; paths are given relative to it.
    exclude
        Paths relative to ``root`` (files or folders) left out.
    """
    root = root.resolve()
    files = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.update(p.resolve() for p in path.rglob("*") if p.is_file() and p.name not in _SKIP)
        elif path.is_file():
            files.add(path.resolve())
        else:
            raise FileNotFoundError(f"result file {path} does not exist")
    out = {}
    for file in files:
        try:
            name = file.relative_to(root).as_posix()
        except ValueError:
            name = file.as_posix()
        if any(name == e or name.startswith(e + "/") for e in exclude):
            continue
        out[name] = {"sha256": file_checksum(file), "bytes": file.stat().st_size}
    return dict(sorted(out.items()))


def write_manifest(
    dataset: Path,
    out: Path,
    config: dict,
    waves: list[str],
    outputs: list[Path] | None = None,
    results: Path | None = None,
) -> dict:
    """Write ``manifest.json`` for a run on ``dataset`` and return it.

    Parameters
    ----------
    dataset
        The dataset directory; every file in it is checksummed (``inputs``).
    out
        Path of ``manifest.json``.
    config
        The resolved config (recorded as given, with its ``seed``).
    waves
        The waves, in order.
    outputs
        Result files and directories that must exist; checksummed under
        ``outputs``, keyed by path relative to ``results`` (or to the folder
        of ``out``).
    results
        The results folder ``results/<dataset>/``: every file in it is
        checksummed too, but ``manifest.json``, ``logs/`` and ``reports/``.
    """
    inputs = {}
    for path in sorted(p for p in dataset.rglob("*") if p.is_file()):
        inputs[path.relative_to(dataset).as_posix()] = {"sha256": file_checksum(path), "bytes": path.stat().st_size}
    manifest = {
        "dataset": dataset.resolve().name,
        "waves": waves,
        "seed": config.get("seed"),
        "config": config,
        "inputs": inputs,
        "outputs": output_checksums(
            [*(outputs or []), *([results] if results is not None else [])],
            results if results is not None else out.parent,
            exclude=(*NOT_CHECKSUMMED, out.name),
        ),
        "python": platform.python_version(),
        "packages": _versions(),
        "netinnov_commit": git_commit(),
        "netinnov_uncommitted_changes": git_dirty(),
        "machine_specific": list(MACHINE_SPECIFIC),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return manifest


def comparable(manifest: dict) -> dict:
    """A copy of a manifest without the keys listed under ``machine_specific``."""
    out = json.loads(json.dumps(manifest, default=str))
    for dotted in out.get("machine_specific", MACHINE_SPECIFIC):
        *path, last = dotted.split(".")
        parent = out
        for part in path:
            parent = parent.get(part, {}) if isinstance(parent, dict) else {}
        if isinstance(parent, dict):
            parent.pop(last, None)
    return out
