"""Determinism and provenance: the same inputs, config and seed give
byte-identical tables, and ``manifest.json`` ties every table to its inputs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers.snakemake import run_snakemake
from helpers.tiny_dataset import write_file
from netinnov.steps.manifest import MACHINE_SPECIFIC, comparable, output_checksums, write_manifest


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def folders(tmp_path) -> tuple[Path, Path]:
    """A tiny dataset and a results folder with tables, logs and reports."""
    data = tmp_path / "in" / "mydata"
    write_file(data / "actors.csv", "actor_id,sector\na,public\nb,private\n")
    write_file(data / "waves" / "w1" / "interactions.csv", "case_id,source,target\nc1,a,b\n")
    results = tmp_path / "results" / "mydata"
    write_file(results / "waves" / "w1" / "ties.csv", "case_id,source,target,weight\nc1,a,b,1.0\n")
    write_file(results / "waves" / "w1" / "networks" / "c1.graphml", "<graphml/>\n")
    write_file(results / "waves" / "w1" / "networks" / ".snakemake_timestamp", "")
    write_file(results / "panel" / "cases.csv", "wave,case_id\nw1,c1\n")
    write_file(results / "logs" / "panel.log", "INFO\n")
    write_file(results / "reports" / "wave_w1.html", "<html/>\n")
    return data, results


def test_manifest_lists_every_input_and_table_with_its_checksum(folders):
    data, results = folders
    out = results / "manifest.json"
    config = {"dataset": str(data), "seed": 7, "pseudonymize": False}
    manifest = write_manifest(data, out, config, ["w1"], [results / "waves" / "w1" / "ties.csv"], results)
    on_disk = json.loads(out.read_text())
    assert on_disk == json.loads(json.dumps(manifest))
    assert on_disk["seed"] == 7 and on_disk["config"] == config and on_disk["waves"] == ["w1"]
    assert on_disk["inputs"] == {
        "actors.csv": {"sha256": sha256(data / "actors.csv"), "bytes": 35},
        "waves/w1/interactions.csv": {
            "sha256": sha256(data / "waves/w1/interactions.csv"),
            "bytes": (data / "waves/w1/interactions.csv").stat().st_size,
        },
    }
    # every table of the results folder; not the logs, the reports, the manifest, markers
    assert sorted(on_disk["outputs"]) == ["panel/cases.csv", "waves/w1/networks/c1.graphml", "waves/w1/ties.csv"]
    for name, entry in on_disk["outputs"].items():
        assert entry == {"sha256": sha256(results / name), "bytes": (results / name).stat().st_size}
    assert {"python", "packages", "netinnov_commit", "netinnov_uncommitted_changes"} <= set(on_disk)
    assert on_disk["packages"]["pandas"] and on_disk["packages"]["netinnov"]
    assert on_disk["machine_specific"] == list(MACHINE_SPECIFIC)


def test_a_missing_table_is_an_error(folders):
    data, results = folders
    with pytest.raises(FileNotFoundError, match="models"):
        write_manifest(data, results / "manifest.json", {"dataset": str(data)}, ["w1"],
                       [results / "models" / "coefficients.csv"], results)


def test_output_checksums_of_directories_and_files(folders):
    _, results = folders
    found = output_checksums([results / "waves"], results)
    assert list(found) == ["waves/w1/networks/c1.graphml", "waves/w1/ties.csv"]
    assert output_checksums([results], results, exclude=("waves", "logs", "reports")) == {
        "panel/cases.csv": {"sha256": sha256(results / "panel/cases.csv"), "bytes": 19}
    }


def test_manifest_is_byte_identical_but_for_local_paths(folders, tmp_path):
    data, results = folders
    config = {"dataset": str(data), "seed": 3, "pseudonym_key_file": None}
    out = results / "manifest.json"
    write_manifest(data, out, config, ["w1"], [], results)
    first = out.read_bytes()
    write_manifest(data, out, config, ["w1"], [], results)
    assert out.read_bytes() == first  # no time stamp
    # the same dataset and tables in other folders: equal once local paths are left out
    other = tmp_path / "elsewhere"
    shutil.copytree(data, other / "mydata")
    shutil.copytree(results, other / "results" / "mydata")
    moved = write_manifest(
        other / "mydata", other / "results" / "mydata" / "manifest.json",
        {**config, "dataset": str(other / "mydata"), "pseudonym_key_file": "/secret/key"}, ["w1"], [],
        other / "results" / "mydata",
    )
    mine = json.loads(first)
    assert moved != mine
    assert comparable(moved) == comparable(mine)
    assert str(tmp_path) not in json.dumps(comparable(mine))


def _ingest(dataset: Path, out: Path, hashseed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": hashseed, "NETINNOV_PSEUDONYM_KEY": "k" * 32}
    mapfile = out.parents[3] / "private" / f"{out.name}.pseudonym-map.csv"
    cmd = [sys.executable, "-m", "netinnov", "validate-wave", "--dataset", str(dataset), "--wave", "w2",
           "--out", str(out), "--options", json.dumps({"pseudonymize": True}), "--pseudonym-map", str(mapfile)]
    subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=300)
    files = [*sorted((out / "validated").iterdir()), out / "rejected.csv", mapfile]
    return {p.name: sha256(p) for p in files if p.name != ".snakemake_timestamp"}


def test_ingest_gives_the_same_bytes_under_other_hash_seeds(tmp_path):
    from netinnov.simulate import simulate_dataset

    data = tmp_path / "sim"
    simulate_dataset(data, n_cases=3, n_waves=2, min_actors=6, max_actors=9, seed=4)
    first = _ingest(data, tmp_path / "a" / "results" / "sim" / "waves" / "w2", "1")
    second = _ingest(data, tmp_path / "b" / "results" / "sim" / "waves" / "w2", "2")
    assert {"interactions.parquet", "actors.parquet", "rejected.csv", "w2.pseudonym-map.csv"} <= set(first)
    assert first == second


# --------------------------------------------------------------------- the pipeline
#: One model and few permutations: the test is about equality, not about estimates.
QUICK = {
    "ei_permutations": 25,
    "models": [
        {"name": "implemented_logit", "outcome": "implemented", "family": "logit",
         "predictors": ["sector_blau", "density", "convener_present"], "controls": ["n_actors"]},
    ],
    "dyadic_models": [
        {"name": "same_sector", "relation": "tie", "terms": ["nodematch(sector)"],
         "estimator": "netlogit", "null_hypothesis": "qapspp", "permutations": 25},
    ],
}


def _run(work: Path, source: Path, hashseed: str) -> Path:
    data = work / "input" / "study"
    shutil.copytree(source, data)
    configfile = write_file(work / "quick.yaml", yaml.safe_dump(QUICK))
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    run_snakemake(work, "--cores", "2", "--configfile", str(configfile), "--config", f"dataset={data}",
                  "--", "results/study/manifest.json", "results/study/panel/cases.csv", env=env)
    return work / "results" / "study"


def _tables(results: Path) -> dict[str, str]:
    """sha256 of every result file but the manifest, logs and reports."""
    out = {}
    for path in sorted(results.rglob("*")):
        name = path.relative_to(results).as_posix()
        if not path.is_file() or path.name == ".snakemake_timestamp" or name == "manifest.json":
            continue
        if name.startswith(("logs/", "reports/")):
            continue
        out[name] = sha256(path)
    return out


@pytest.mark.pipeline
@pytest.mark.slow  # two whole pipeline runs
def test_two_runs_give_byte_identical_tables_and_equal_manifests(tmp_path):
    from netinnov.simulate import simulate_dataset

    source = tmp_path / "source"
    simulate_dataset(source, n_cases=5, n_waves=2, min_actors=8, max_actors=14, seed=8)
    # different folders and different string-hash seeds (set and dict order of str keys)
    first = _run(tmp_path / "run1", source, "1")
    second = _run(tmp_path / "run2", source, "2")
    tables_1, tables_2 = _tables(first), _tables(second)
    assert sum(n.endswith(".csv") for n in tables_1) >= 15
    assert {"panel/cases.csv", "waves/w1/ties.csv", "waves/w2/actors.csv", "models/coefficients.csv"} <= set(tables_1)
    differ = sorted(n for n in tables_1.keys() | tables_2.keys() if tables_1.get(n) != tables_2.get(n))
    assert not differ
    m1 = json.loads((first / "manifest.json").read_text())
    m2 = json.loads((second / "manifest.json").read_text())
    assert m1["config"]["dataset"] != m2["config"]["dataset"]
    assert comparable(m1) == comparable(m2)
    # each table is traceable: the manifest lists it with the checksum it has
    assert {n: e["sha256"] for n, e in m1["outputs"].items()} == tables_1
    assert m1["inputs"]["actors.csv"]["sha256"] == sha256(source / "actors.csv")
