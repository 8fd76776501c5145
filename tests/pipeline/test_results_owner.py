"""A results folder made from another dataset is never reused (issue 14, item 6)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import REPO
from netinnov.steps.manifest import file_checksum
from netinnov.steps.results_owner import RECORD, ResultsFolderError, check_results_folder

BASE = REPO / "tests" / "data" / "bad" / "base"


def _dataset(folder: Path) -> Path:
    shutil.copytree(BASE, folder)
    return folder


def _manifest(results: Path, dataset: Path) -> None:
    inputs = {p.relative_to(dataset).as_posix(): {"sha256": file_checksum(p), "bytes": p.stat().st_size}
              for p in dataset.rglob("*") if p.is_file()}
    results.mkdir(parents=True, exist_ok=True)
    (results / "manifest.json").write_text(json.dumps({"config": {"dataset": str(dataset)}, "inputs": inputs}))


def test_first_run_records_its_dataset_and_may_run_again(tmp_path):
    a = _dataset(tmp_path / "a" / "survey")
    results = tmp_path / "results" / "survey"
    check_results_folder(results, a)
    assert json.loads((results / RECORD).read_text())["dataset"] == str(a.resolve())
    check_results_folder(results, a)


@pytest.mark.parametrize("finished", [False, True])
def test_another_dataset_of_the_same_name_stops_naming_both(tmp_path, finished):
    a = _dataset(tmp_path / "a" / "survey")
    b = _dataset(tmp_path / "b" / "survey")
    (b / "waves" / "w1" / "interactions.csv").write_text("case_id,source,target\nc9,a1,a2\n")
    results = tmp_path / "results" / "survey"
    check_results_folder(results, a)  # an interrupted first run: only the record
    if finished:
        _manifest(results, a)
        (results / RECORD).unlink()
    with pytest.raises(ResultsFolderError) as err:
        check_results_folder(results, b)
    assert str(a.resolve()) in str(err.value) and str(b.resolve()) in str(err.value)
    assert "never mixed" in str(err.value)


def test_a_moved_dataset_is_the_same_dataset(tmp_path):
    a = _dataset(tmp_path / "a" / "survey")
    results = tmp_path / "results" / "survey"
    _manifest(results, a)
    moved = tmp_path / "elsewhere" / "survey"
    moved.parent.mkdir()
    a.rename(moved)
    check_results_folder(results, moved)
    assert json.loads((results / RECORD).read_text())["dataset"] == str(moved.resolve())


def _dry_run(work: Path, dataset: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(work), "-n",
           "--config", f"dataset={dataset}"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_the_pipeline_refuses_a_results_folder_of_another_dataset(tmp_path):
    a = _dataset(tmp_path / "a" / "survey")
    b = _dataset(tmp_path / "b" / "survey")
    assert _dry_run(tmp_path, a).returncode == 0
    proc = _dry_run(tmp_path, b)
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "was made from the dataset" in text and str(a.resolve()) in text and str(b.resolve()) in text
