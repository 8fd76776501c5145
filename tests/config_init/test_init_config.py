"""`netinnov init DATASET`: a config made for the dataset's own columns
(netinnov.config_init), valid against the schema, and a run with it that estimates."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.paths import REPO
from helpers.snakemake import run_snakemake
from netinnov.cli import main
from netinnov.config import load_config, resolve
from netinnov.config_init import init_config, inspect_dataset, outcome_family
from netinnov.config_init.inspect import ColumnProfile
from netinnov.io.result_tables import read_table
from netinnov.models.spec import parse_dyadic_models, parse_models


def _simulate(out: Path, *extra: str, cases: int = 10, waves: int = 2) -> Path:
    assert main(["simulate", "--out", str(out), "--cases", str(cases), "--waves", str(waves), "--min-actors", "6",
                 "--max-actors", "12", "--no-bad-rows", *extra]) == 0  # fmt: skip
    for name in ("true_cases", "true_effects", "true_members", "true_roles", "planted_bad_rows"):
        (out / f"{name}.csv").unlink(missing_ok=True)
    return out


def _own_data(out: Path) -> Path:
    """A simulated dataset renamed into "someone else's" data: the default config's
    columns (diffusion, implemented, command_rank_score) are not there."""
    _simulate(out)
    actors = pd.read_csv(out / "actors.csv").rename(columns={"command_rank_score": "rank",
                                                             "seniority_years": "tenure"})
    actors["region"] = "north"  # constant: unusable
    actors.to_csv(out / "actors.csv", index=False)
    for path in sorted((out / "waves").glob("*/actors.csv")):
        pd.read_csv(path).rename(columns={"command_rank_score": "rank", "seniority_years": "tenure"}).assign(
            region="north").to_csv(path, index=False)  # fmt: skip
    for path in sorted((out / "waves").glob("*/outcomes.csv")):
        o = pd.read_csv(path).drop(columns=["diffusion"]).rename(columns={"implemented": "adopted"})
        o["budget"] = o["radicalness"] * 1.5 + 0.25  # a continuous outcome
        o["reach"] = o["radicalness"] * 3  # a count (0..15)
        o.to_csv(path, index=False)
    return out


@pytest.fixture(scope="module")
def own(tmp_path_factory) -> Path:
    return _own_data(tmp_path_factory.mktemp("own") / "mydata")


@pytest.fixture(scope="module")
def written(own, tmp_path_factory) -> tuple[Path, str, dict]:
    out = tmp_path_factory.mktemp("cfg") / "mydata.yaml"
    init_config(own, out)
    text = out.read_text(encoding="utf-8")
    return out, text, yaml.safe_load(text)


def test_family_rules():
    def col(**kw):
        base = {"name": "y", "numeric": True, "n": 30, "n_missing": 0, "n_distinct": 2, "integer": True,
                "minimum": 0.0, "maximum": 1.0, "n_rarest": 10}
        return ColumnProfile(**{**base, **kw})

    assert outcome_family(col())[0] == "logit"
    assert outcome_family(col(n_distinct=5, minimum=1.0, maximum=5.0))[0] == "ordered_logit"
    assert outcome_family(col(n_distinct=8, minimum=0.0, maximum=14.0))[0] == "poisson"
    assert outcome_family(col(n_distinct=6, minimum=1.0, maximum=40.0))[0] == "poisson"
    assert outcome_family(col(n_distinct=20, integer=False, minimum=0.1, maximum=9.3))[0] == "ols"
    assert outcome_family(col(n_distinct=5, minimum=-2.0, maximum=2.0))[0] == "ols"
    assert outcome_family(col(numeric=False))[0] is None
    assert outcome_family(col(n_distinct=1, maximum=0.0))[0] is None
    assert outcome_family(col(n=0, n_distinct=0))[0] is None


def test_the_profile_sees_waves_columns_and_direction(own):
    p = inspect_dataset(own)
    assert p.waves == ["w1", "w2"]
    assert {"adopted", "radicalness", "governance", "budget", "reach"} <= set(p.outcomes)
    assert {"sector", "organization", "rank", "tenure", "region"} <= set(p.attributes)
    assert p.directed and p.n_reciprocal_pairs > 0 and p.n_one_way_pairs > 0


def test_undirected_records_are_detected(tmp_path):
    p = inspect_dataset(_simulate(tmp_path / "und", "--undirected", cases=4, waves=1))
    assert not p.directed and p.n_reciprocal_pairs == 0


def test_the_written_config_uses_the_dataset_columns_and_validates(own, written):
    out, text, config = written
    resolved = resolve(config)  # the schema
    assert resolved["dataset"] == str(own) and resolved["directed"] is True and resolved["waves"] == ["w1", "w2"]
    with_defaults = load_config(REPO / "config" / "config.yaml", config)  # as `--configfile` overlays it
    assert with_defaults["models"] == config["models"]
    specs = {s.outcome: s for s in parse_models(config["models"])}
    assert specs["adopted"].family == "logit"
    assert specs["radicalness"].family == "ordered_logit"
    assert specs["budget"].family == "ols"
    assert specs["reach"].family == "poisson"
    assert "governance" not in specs and "outcome 'governance' left out: its values are text" in text
    allowed = {"density", "sector_blau", "convener_present", "facilitator_present", "catalyst_present"}
    for spec in specs.values():
        assert set(spec.predictors) <= allowed and spec.controls == ("n_actors",)
    (dyadic,) = parse_dyadic_models(config["dyadic_models"])
    assert "nodematch(sector)" in dyadic.terms and "absdiff(rank)" in dyadic.terms
    assert not any("command_rank_score" in t or "region" in t for t in dyadic.terms)
    assert "'region' not used: it is constant" in text
    assert {a["column"] for a in config["feature_aggregates"]} <= {"rank", "tenure"}
    assert "# detected:" in text and "directed: true" in text


def test_no_value_of_the_data_is_written(own, written):
    _, text, _ = written
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    actors = pd.read_csv(own / "actors.csv", dtype=str)
    values = set(actors["actor_id"]) | set(actors["organization"]) | set(actors["sector"]) | {"north"}
    cases = pd.read_csv(own / "waves" / "w1" / "interactions.csv", dtype=str)["case_id"]
    values |= set(cases)
    leaked = sorted(v for v in values if isinstance(v, str) and re.search(rf"\b{re.escape(v)}\b", comments))
    assert not leaked, leaked


def test_existing_file_is_kept_unless_forced(own, tmp_path, capsys):
    out = tmp_path / "c.yaml"
    out.write_text("keep: me\n")
    assert main(["init", str(own), "--out", str(out)]) == 2
    assert out.read_text() == "keep: me\n" and "--force" in capsys.readouterr().err
    assert main(["init", str(own), "--out", str(out), "--force"]) == 0
    assert "models:" in out.read_text()
    assert main(["init", str(tmp_path / "nothing"), "--out", str(tmp_path / "d.yaml")]) == 2
    assert not (tmp_path / "d.yaml").exists()


def test_too_few_cases_leave_models_out_with_the_reason(tmp_path):
    data = _simulate(tmp_path / "tiny", cases=3, waves=1)
    out = tmp_path / "tiny.yaml"
    init_config(data, out)
    text = out.read_text()
    config = yaml.safe_load(text)
    resolve(config)
    assert config["models"] == [] or all(len(m["predictors"]) <= 1 for m in config["models"])
    assert "are too few for a predictor" in text


@pytest.mark.pipeline
@pytest.mark.slow  # a whole pipeline run
def test_a_run_with_the_written_config_estimates(own, written, tmp_path):
    """The models of the written config produce coefficients and MRQAP estimates
    on the renamed simulated data, where the default config's produce none."""
    out, _, _ = written
    targets = [f"results/{own.name}/models/{t}.csv" for t in ("coefficients", "qap", "empty_results")]
    start = time.monotonic()
    proc = run_snakemake(tmp_path, "--cores", "1", "--configfile", str(out), "--", *targets, timeout=900)
    models = tmp_path / "results" / own.name / "models"
    coefs = read_table(models / "coefficients.csv")
    assert len(coefs) and coefs["estimate"].notna().any()
    assert set(coefs["model"]) >= {"adopted_logit", "budget_ols"}
    qap = read_table(models / "qap.csv")
    assert qap["estimate"].notna().any()
    empty = read_table(models / "empty_results.csv")
    assert not (empty["model_empty"].astype(str) == "True").any(), empty.to_string()
    summary = [line for line in proc.stderr.splitlines() if line.startswith("netinnov: ")]
    assert summary and "empty_results.csv" in summary[-1], summary  # the end-of-run line (onsuccess)
    assert time.monotonic() - start < 600


def test_a_dataset_without_outcomes_roles_or_groups_gets_comments_not_models():
    from netinnov.config_init.build import build_entries
    from netinnov.config_init.inspect import DatasetProfile
    from netinnov.config_init.render import render

    def col(name, numeric=False, n=20, distinct=1):
        return ColumnProfile(name, numeric, n, 0, distinct)

    profile = DatasetProfile(
        waves=["2024"], group_attribute="sector", n_actors=20,
        attributes={"sector": col("sector"), "email": col("email", distinct=20)},
        outcomes={}, outcome_rows={}, case_waves=5, role_case_waves={"convener": 0, "facilitator": 5,
                                                                     "catalyst": 0},
    )  # fmt: skip
    text = render(build_entries(profile, "data/x"), path="config/x.yaml")
    config = yaml.safe_load(text)
    resolve(config)
    assert config["models"] == [] and config["dyadic_models"] == [] and config["directed"] is False
    assert "no case-level model: no wave has an outcomes.csv" in text
    assert "no dyadic model: no actor attribute can enter a term" in text
    assert "nodematch(sector) left out: fewer than two groups" in text
    assert "'email' not used: it is constant" not in text and "an identifier or free text" in text
    assert "no interaction record to tell from" in text
