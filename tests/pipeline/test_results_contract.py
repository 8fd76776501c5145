"""End to end: the Snakemake pipeline on a copy of the example data, checked
against the results contract (docs/SPEC.md)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers.paths import REPO, TINY_CONFIG
from helpers.snakemake import run_snakemake
from netinnov.io.result_tables import read_table

EXAMPLE = REPO / "data" / "example"

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]  # two whole pipeline runs: CI runs them

TIES_COLUMNS = ["case_id", "source", "target", "weight"]
ACTORS_COLUMNS = ["case_id", "actor_id", "sector", "degree", "weighted_degree"]
CASES_COLUMNS = ["case_id", "n_actors", "n_ties", "density"]


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run_snakemake(workdir, *args, timeout=900, check=check)


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("run")
    data = work / "example"
    shutil.copytree(EXAMPLE, data)
    snakemake(work, "--cores", "2", "--configfile", str(TINY_CONFIG), "--config", f"dataset={data}")
    return work


def _waves() -> list[str]:
    return sorted(p.name for p in (EXAMPLE / "waves").iterdir() if p.is_dir())


def test_every_wave_has_its_results(example_run):
    results = example_run / "results" / "example"
    for wave in _waves():
        d = results / "waves" / wave
        for name in ("rejected.csv", "ties.csv", "actors.csv", "cases.csv"):
            assert (d / name).is_file(), name
        assert (d / "validated" / "interactions.parquet").is_file()
        assert any((d / "networks").glob("*.graphml"))
        assert (results / "reports" / f"wave_{wave}.html").is_file()
        assert (results / "reports" / f"wave_{wave}.ipynb").is_file()
    assert (results / "reports" / "index.html").is_file()
    assert (results / "manifest.json").is_file()


def test_tables_keep_to_the_contract(example_run):
    results = example_run / "results" / "example"
    for wave in _waves():
        d = results / "waves" / wave
        ties, actors, cases = (read_table(d / f"{t}.csv") for t in ("ties", "actors", "cases"))
        assert set(TIES_COLUMNS) <= set(ties.columns)
        assert set(ACTORS_COLUMNS) <= set(actors.columns)
        assert set(CASES_COLUMNS) <= set(cases.columns)
        assert {"implemented", "radicalness", "diffusion"} <= set(cases.columns)
        # one row per case; ties and actors belong to known cases
        assert cases["case_id"].is_unique
        assert set(ties["case_id"]) <= set(cases["case_id"])
        assert not actors.duplicated(["case_id", "actor_id"]).any()
        # every tie's endpoints are actors of its case, and counts agree
        ends = pd.concat([ties[["case_id", "source"]].set_axis(["case_id", "actor_id"], axis=1),
                          ties[["case_id", "target"]].set_axis(["case_id", "actor_id"], axis=1)])
        assert ends.merge(actors, on=["case_id", "actor_id"], how="left", indicator=True)["_merge"].eq("both").all()
        per_case = cases.set_index("case_id")
        counted = actors.groupby("case_id").size()
        assert (per_case.loc[counted.index, "n_actors"] == counted).all()
        assert (ties["weight"] > 0).all()


def test_rows_read_equal_accepted_plus_rejected(example_run):
    results = example_run / "results" / "example"
    total_rejected = 0
    for wave in _waves():
        d = results / "waves" / wave
        summary = read_table(d / "validated" / "summary.csv")  # one row per (file, reason)
        rejected = read_table(d / "rejected.csv")
        assert list(rejected.columns[:3]) == ["file", "line", "reason"]
        per_file = summary.drop_duplicates("file")
        assert (per_file["accepted"] + per_file["rejected"] == per_file["rows_read"]).all()
        assert per_file["rejected"].sum() == len(rejected)
        by_reason = rejected.groupby(["file", "reason"]).size()
        listed = summary.dropna(subset=["reason"]).set_index(["file", "reason"])["n"]
        assert by_reason.sort_index().tolist() == listed.sort_index().tolist()
        # the raw input files have exactly rows_read rows
        for row in per_file.itertuples():
            raw = pd.read_csv(EXAMPLE / row.file, dtype=str, keep_default_na=False, skip_blank_lines=True)
            assert len(raw) == row.rows_read, row.file
        total_rejected += len(rejected)
    assert total_rejected > 0, "the example data plants bad rows; the quarantine path must run"


def test_q_values_beside_every_family_of_p_values(example_run):
    from statsmodels.stats.multitest import multipletests

    results = example_run / "results" / "example"
    coefs = read_table(results / "models" / "coefficients.csv")
    cols = list(coefs.columns)
    assert cols[cols.index("n") + 1] == "q_value"
    assert coefs.loc[coefs["term"] == "Intercept", "q_value"].isna().all()
    qap = read_table(results / "models" / "qap.csv")
    cols = list(qap.columns)
    assert cols[cols.index("null_hypothesis") + 1] == "q_value"
    manifest = json.loads((results / "manifest.json").read_text())
    for wave in _waves():
        d = results / "waves" / wave
        mixing = read_table(d / "mixing_tests.csv")
        assert list(mixing.columns) == ["case_id", "test", "p_value", "q_value", "family"]
        cases = read_table(d / "cases.csv")
        assert "q_value" not in cases.columns  # a case's table depends on its own records only
        part = mixing[(mixing["test"] == "ei_permutation") & mixing["p_value"].notna()]
        assert len(part) > 1
        assert part["q_value"].to_numpy() == pytest.approx(multipletests(part["p_value"], method="fdr_bh")[1])
        phase = read_table(d / "phase_tests.csv")
        assert {"q_value", "wilcoxon_q_value"} <= set(phase.columns)
        assert f"waves/{wave}/mixing_tests.csv" in json.dumps(manifest)
    assert "q_value" in (results / "reports" / "models.html").read_text(encoding="utf-8")


def test_manifest_records_inputs_config_and_versions(example_run):
    manifest = json.loads((example_run / "results" / "example" / "manifest.json").read_text())
    assert "actors.csv" in manifest["inputs"]
    assert manifest["config"]["seed"] == manifest["seed"]
    assert manifest["packages"]["networkx"]
    assert set(manifest["waves"]) == set(_waves())


def test_second_run_has_nothing_to_do(example_run):
    data = example_run / "example"
    proc = snakemake(example_run, "--cores", "2", "-n", "--configfile", str(TINY_CONFIG), "--config", f"dataset={data}")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def _minimal_dataset(root: Path) -> Path:
    """Only the required files and columns: actors.csv and interactions.csv (two waves)."""
    import numpy as np

    rng = np.random.default_rng(0)
    data = root / "minimal"
    ids = [f"p{i:02d}" for i in range(30)]
    (data / "waves").mkdir(parents=True)
    pd.DataFrame({"actor_id": ids, "sector": rng.choice(["public", "private", "civil_society"], 30)}).to_csv(
        data / "actors.csv", index=False
    )
    for wave in ("w1", "w2"):
        rows = []
        for case in ("alpha", "beta", "gamma"):
            members = rng.choice(ids, 12, replace=False)
            for _ in range(30):
                a, b = rng.choice(members, 2, replace=False)
                rows.append((case, a, b))
        (data / "waves" / wave).mkdir()
        pd.DataFrame(rows, columns=["case_id", "source", "target"]).to_csv(
            data / "waves" / wave / "interactions.csv", index=False
        )
    return data


def test_undirected_dataset_without_optional_files(tmp_path):
    data = _minimal_dataset(tmp_path)
    snakemake(tmp_path, "--cores", "2", "--configfile", str(TINY_CONFIG), "--config", f"dataset={data}",
              "directed=false", "case_reports=none")
    results = tmp_path / "results" / "minimal"
    for wave in ("w1", "w2"):
        ties = read_table(results / "waves" / wave / "ties.csv")
        assert "reciprocated" not in ties.columns  # undirected: one row per pair
        pairs = ties[["source", "target"]]
        assert (pairs["source"] < pairs["target"]).all()
        cases = read_table(results / "waves" / wave / "cases.csv")
        assert sorted(cases["case_id"]) == ["alpha", "beta", "gamma"]
    # no outcomes: the models say so instead of crashing
    fit = read_table(results / "models" / "fit.csv")
    assert fit["error"].fillna("").str.len().gt(0).all()
    assert (results / "reports" / "index.html").is_file()
    assert (results / "manifest.json").is_file()
