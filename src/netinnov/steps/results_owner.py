"""One results folder, one dataset: a results folder made from another
dataset is never reused.

``results/<name>/`` is named after the dataset folder, so two datasets with
the same folder name (``data/a/survey`` and ``data/b/survey``) would share it,
and the second run would keep the first one's files and list them in its
manifest. Before any job runs, :func:`check_results_folder` reads which
dataset made the folder — ``manifest.json`` (``config.dataset``), else the
record the first run left in ``logs/dataset.json`` (written before any job, so
that an interrupted first run is known too) — and stops with a message naming
both folders when it was another one. A dataset that was only moved (its
files' checksums are those of the manifest) is the same dataset.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["RECORD", "ResultsFolderError", "check_results_folder"]

#: Where the results folder records the dataset that made it (logs are not checksummed).
RECORD = Path("logs") / "dataset.json"


class ResultsFolderError(RuntimeError):
    """The results folder was made from another dataset."""


def _recorded(results: Path, base: Path) -> tuple[Path | None, dict | None]:
    """The dataset folder recorded in ``results`` and the manifest's inputs (if any)."""
    manifest = results / "manifest.json"
    if manifest.is_file():
        try:
            doc = json.loads(manifest.read_text(encoding="utf-8"))
            given = doc.get("config", {}).get("dataset")
        except (OSError, ValueError, AttributeError):
            given, doc = None, None
        if given:
            return (base / given).resolve(), doc.get("inputs")
    record = results / RECORD
    if record.is_file():
        try:
            given = json.loads(record.read_text(encoding="utf-8")).get("dataset")
        except (OSError, ValueError, AttributeError):
            given = None
        if given:
            return Path(given), None
    return None, None


def _same_files(dataset: Path, inputs: dict | None) -> bool:
    """True when ``dataset`` holds exactly the files (sizes and checksums) of ``inputs``."""
    if not inputs:
        return False
    from netinnov.steps.manifest import file_checksum

    files = {p.relative_to(dataset).as_posix(): p for p in dataset.rglob("*") if p.is_file()}
    if set(files) != set(inputs):
        return False
    return all(
        files[name].stat().st_size == info.get("bytes") and file_checksum(files[name]) == info.get("sha256")
        for name, info in inputs.items()
    )


def check_results_folder(results: Path | str, dataset: Path | str, *, base: Path | str = ".") -> None:
    """Stop when ``results`` was made from another dataset; else record ``dataset`` in it.

    Parameters
    ----------
    results
        The results folder (``results/<dataset name>``).
    dataset
        This run's dataset folder.
    base
        The folder relative paths are read from (Snakemake's working directory).

    Raises
    ------
    ResultsFolderError
        Naming both dataset folders and what to do.
    """
    base = Path(base)
    results = base / Path(results)
    dataset = (base / Path(dataset)).resolve()
    recorded, inputs = _recorded(results, base)
    if recorded is not None and recorded != dataset and not _same_files(dataset, inputs):
        raise ResultsFolderError(
            f"the results folder '{results}' was made from the dataset '{recorded}', not from '{dataset}' "
            "(two dataset folders with the same name share a results folder): move or delete that results "
            "folder, or rename one of the dataset folders; results of two datasets are never mixed"
        )
    record = results / RECORD
    if not record.is_file() or recorded != dataset:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"dataset": str(dataset)}) + "\n", encoding="utf-8")
