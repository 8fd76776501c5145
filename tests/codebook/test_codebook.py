"""The codebook (netinnov.codebook): every column of every result table has an entry,
datapackage.json validates as a Frictionless Data Package, the methods paragraph
names the settings in effect, and the codebook page escapes every value."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.snakemake import run_snakemake
from netinnov.cli import main as cli_main
from netinnov.codebook import (
    TABLES,
    datapackage,
    lookup,
    methods_text,
    table_for,
    write_datapackage,
)
from netinnov.codebook.columns import ACTOR_COLUMNS, TYPES
from netinnov.codebook.methods import METHODS_PACKAGES
from netinnov.metrics.roles import (
    COMPONENTS,
    LEADERSHIP_ROLES,
    role_components,
    role_scores,
    scores_from_components,
)
from netinnov.reports.codebook import codebook_page, write_codebook_page


def _frictionless_report(path: Path):
    frictionless = pytest.importorskip("frictionless")
    return frictionless.Package(str(path)).validate()


# ---------------------------------------------------------------- the codebook
def test_every_entry_is_complete_and_unique():
    for table in TABLES.values():
        names = [c.name for c in table.columns]
        assert len(names) == len(set(names)), table.name
        for col in table.columns:
            assert col.type in TYPES
            assert col.definition.strip(), (table.name, col.name)
            if col.pattern:
                re.compile(col.name)
        for key in table.primary_key:
            assert any(c.name == key for c in table.columns), (table.name, key)


def test_spec_columns_are_in_the_codebook():
    """The columns docs/SPEC.md requires of the main tables."""
    required = {
        "ties": "case_id, source, target, weight, strength, tie_class, reciprocated, multiplexity, local_bridge, span",
        "actors": "case_id, actor_id, sector, degree, weighted_degree, betweenness, constraint, effective_size, "
                  "efficiency, hierarchy, gf_coordinator, gf_itinerant, gf_representative, gf_gatekeeper, "
                  "gf_liaison, gf_total, blau, iqv, ei, convener_score, facilitator_score, catalyst_score, "
                  "reported_roles",
        "cases": "case_id, n_actors, n_ties, density, strong_tie_share, weak_tie_share, local_bridge_share, "
                 "sector_blau, ei, ei_p_value, collaboration_type",
        "change": "case_id, wave_from, wave_to, n00, n01, n10, n11, hamming, jaccard, actors_joined, actors_left",
        "coefficients": "model, outcome, term, estimate, std_error, ci_low, ci_high, p_value, n",
        "cv_scores": "model, outcome, metric, mean, std, folds",
        "qap": "model, case_id, term, estimate, p_value, n_dyads, n_permutations, null_hypothesis",
    }
    for name, columns in required.items():
        for column in columns.split(", "):
            assert lookup(TABLES[name], column) is not None, (name, column)


def test_the_codebook_keeps_step_with_the_column_lists_of_the_code():
    from netinnov.metrics.multiple_testing import MIXING_TEST_COLUMNS
    from netinnov.models.glm import COEFFICIENT_COLUMNS, FIT_COLUMNS
    from netinnov.models.power import POWER_COLUMNS, SUMMARY_COLUMNS
    from netinnov.models.predict import CV_COLUMNS, IMPORTANCE_COLUMNS
    from netinnov.models.qap import QAP_COLUMNS
    from netinnov.validity.figures import COLUMNS as VALIDITY_COLUMNS

    for name, columns in {
        "coefficients": COEFFICIENT_COLUMNS, "fit": FIT_COLUMNS, "mixing_tests": MIXING_TEST_COLUMNS,
        "power": POWER_COLUMNS, "power_summary": SUMMARY_COLUMNS, "cv_scores": CV_COLUMNS,
        "importance": IMPORTANCE_COLUMNS, "qap": QAP_COLUMNS, "validity": VALIDITY_COLUMNS,
    }.items():  # fmt: skip
        missing = [c for c in columns if lookup(TABLES[name], c) is None]
        assert not missing, (name, missing)


def test_patterns_group_attribute_and_input_columns():
    cases, actors = TABLES["cases"], TABLES["actors"]
    assert lookup(cases, "ei_public").pattern
    assert not lookup(cases, "ei_expected").pattern  # exact names first
    assert lookup(actors, "gf_liaison_z").pattern
    assert lookup(cases, "org_type_blau", group="org_type") is not None
    assert lookup(cases, "sector_blau", group="org_type") is None
    assert lookup(actors, "seniority_years") is None
    inputs = {"seniority_years": ("actors.csv", "from actors.csv"), "implemented": ("outcomes.csv", "from outcomes")}
    entry = lookup(actors, "seniority_years", inputs=inputs)
    assert entry is not None and "actors.csv" in entry.reference
    assert lookup(actors, "implemented", inputs=inputs) is None  # an outcome is not an actor column
    assert lookup(cases, "implemented", inputs=inputs) is not None
    assert lookup(TABLES["rejected"], "anything_raw") is not None
    assert table_for("waves/2024-b/ties.csv").name == "ties"
    assert table_for("exports/case01/codes.csv").name == "export_codes"
    assert table_for("waves/w1/other.csv") is None


# ------------------------------------------------------- role-score components
def _net(seed=3):
    import networkx as nx

    from netinnov.networks import CaseNetwork

    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(20, 0.2, seed=seed, directed=True)
    g = nx.relabel_nodes(g, {v: f"v{v:02d}" for v in g})
    for u, v in g.edges:
        g.edges[u, v]["frequency"] = float(rng.integers(1, 6))
    for v in g:
        g.nodes[v]["sector"] = ["public", "private", "citizen"][int(rng.integers(3))]
    return CaseNetwork.from_networkx(g, group_labels=("citizen", "private", "public"), case_id="c")


def test_role_components_are_in_the_codebook_and_give_the_scores():
    net = _net()
    comps = role_components(net, None)
    names = {c.name for c in ACTOR_COLUMNS}
    assert set(comps.columns) == {f"{r}_{c}" for r in LEADERSHIP_ROLES for c in COMPONENTS[r]} <= names
    pd.testing.assert_frame_equal(scores_from_components(comps), role_scores(net, None))


# --------------------------------------------------------------- data package
def _results(root: Path) -> tuple[Path, Path]:
    dataset = root / "data" / "mini"
    (dataset / "waves" / "w1").mkdir(parents=True)
    pd.DataFrame({"actor_id": ["a", "b"], "sector": ["public", "private"], "tenure": [1, 2]}).to_csv(
        dataset / "actors.csv", index=False)
    (dataset / "waves" / "w1" / "outcomes.csv").write_text("case_id;implemented\nc1;1\n", encoding="utf-8")
    results = root / "results" / "mini"
    wave = results / "waves" / "w1"
    wave.mkdir(parents=True)
    pd.DataFrame({"case_id": ["c1", "c1"], "source": ["a", "b"], "target": ["b", "a"], "weight": [1.0, 2.5],
                  "reciprocated": [True, False], "span": [2.0, np.inf], "first_date": ["2024-01-02", ""],
                  "tie_class": ["strong", "weak"]}).to_csv(wave / "ties.csv", index=False)
    pd.DataFrame({"case_id": ["c1", "c1"], "actor_id": ["a", "b"], "sector": ["public", "private"],
                  "degree": [1, 1], "convener_score": [0.2, np.nan], "tenure": [1, 2]}).to_csv(
        wave / "actors.csv", index=False)
    pd.DataFrame({"case_id": ["c1"], "n_actors": [2], "sector_blau": [0.5], "ei_public": [0.0],
                  "implemented": [1], "mystery": ["x"]}).to_csv(wave / "cases.csv", index=False)
    (results / "logs").mkdir()
    (results / "logs" / "x.csv").write_text("a\n1\n", encoding="utf-8")  # not a result table
    return results, dataset


def test_datapackage_validates_and_flags_undocumented_columns(tmp_path):
    results, dataset = _results(tmp_path)
    package, undocumented = datapackage(results, dataset=dataset, options={"group_attribute": "sector"})
    assert undocumented == {"waves/w1/cases.csv": ["mystery"]}
    out = results / "datapackage.json"
    write_datapackage(results, out, dataset=dataset, options={}, version="9.9")
    report = _frictionless_report(out)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [r["path"] for r in written["resources"]] == ["waves/w1/actors.csv", "waves/w1/cases.csv",
                                                        "waves/w1/ties.csv"]
    ties = next(r for r in written["resources"] if r["path"].endswith("ties.csv"))
    fields = {f["name"]: f for f in ties["schema"]["fields"]}
    assert ties["schema"]["primaryKey"] == ["case_id", "source", "target"]
    assert ties["schema"]["missingValues"] == [""]
    assert fields["reciprocated"]["type"] == "boolean"
    assert fields["span"]["type"] == "number"
    assert fields["first_date"]["type"] == "date"
    assert "Granovetter" in fields["span"]["description"]
    actors = next(r for r in written["resources"] if r["path"].endswith("actors.csv"))
    tenure = next(f for f in actors["schema"]["fields"] if f["name"] == "tenure")
    assert "actors.csv" in tenure["description"]
    cases = next(r for r in written["resources"] if r["path"].endswith("cases.csv"))
    implemented = next(f for f in cases["schema"]["fields"] if f["name"] == "implemented")
    assert "outcomes.csv" in implemented["description"]
    # no time stamp: the same results give the same bytes
    before = out.read_bytes()
    write_datapackage(results, out, dataset=dataset, options={}, version="9.9")
    assert out.read_bytes() == before


def test_primary_key_left_out_when_not_unique(tmp_path):
    results, dataset = _results(tmp_path)
    ties = results / "waves" / "w1" / "ties.csv"
    frame = pd.read_csv(ties)
    pd.concat([frame, frame]).to_csv(ties, index=False)
    package, _ = datapackage(results, dataset=dataset)
    res = next(r for r in package["resources"] if r["path"].endswith("ties.csv"))
    assert "primaryKey" not in res["schema"]


def test_cli_writes_package_and_methods(tmp_path):
    results, dataset = _results(tmp_path)
    options = {"directed": True, "seed": 7, "tie_class": {"method": "absolute", "threshold": 0.4},
               "ei_permutations": 99, "role_threshold": {"convener": 0.6, "facilitator": 0.3, "catalyst": 0.1}}
    rc = cli_main(["codebook", "--results", str(results), "--dataset", str(dataset), "--waves", "w1",
                   "--options", json.dumps(options)])
    assert rc == 0
    assert (results / "datapackage.json").is_file()
    text = (results / "methods.md").read_text(encoding="utf-8")
    assert "directed reports" in text and "threshold 0.4" in text and "99 group-label permutations" in text
    assert "seed 7" in text and "convener 0.6" in text


def test_methods_name_settings_versions_and_references(tmp_path):
    results, _ = _results(tmp_path)
    config = {"directed": False, "seed": 123, "tie_weight": "weight", "ei_permutations": 500,
              "models": [{"name": "m", "outcome": "implemented", "family": "logit", "predictors": ["density"],
                          "regression_estimators": ["glm"]}],
              "dyadic_models": [{"name": "d", "relation": "tie", "terms": ["nodematch(sector)"],
                                 "estimator": "netlm", "null_hypothesis": "qapy", "permutations": 250}]}
    text = methods_text(results, config, ["w1"])
    assert "undirected co-presence" in text and "seed 123" in text and "500 group-label" in text
    assert "implemented (logit) on density" in text and "Estimators: glm" in text
    assert "qapy null, 250 permutations" in text and "used the weight of each tie" in text
    for name in (*METHODS_PACKAGES, "Python"):
        assert name in text
    assert "## References" in text and "Burt, R. S. (1992)" in text


# ------------------------------------------------------------------- the page
def test_page_escapes_every_value(tmp_path):
    package = {"resources": [{"name": "x", "path": "waves/<b>/ties.csv", "title": "t<script>",
                              "description": "d&<i>", "schema": {"fields": [
                                  {"name": "<img src=x onerror=alert(1)>", "type": "string",
                                   "description": "<script>alert(1)</script>"}], "primaryKey": ["<k>"]}}]}
    page = codebook_page(package, "# Methods <b>\n\nText with `code <x>` & <script>.\n\n- ref <i>\n")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<code>code &lt;x&gt;</code>" in page
    dp = tmp_path / "datapackage.json"
    dp.write_text(json.dumps(package), encoding="utf-8")
    write_codebook_page(dp, tmp_path / "reports" / "codebook.html", tmp_path / "missing.md")
    assert "Methods paragraph" not in (tmp_path / "reports" / "codebook.html").read_text(encoding="utf-8")


def test_index_links_the_codebook_page(tmp_path):
    from netinnov.reports.index import write_index

    page = tmp_path / "reports" / "codebook.html"
    page.parent.mkdir()
    page.write_text("<html></html>", encoding="utf-8")
    write_index(tmp_path / "reports" / "index.html", [page])
    assert 'href="codebook.html">Codebook and methods</a>' in (tmp_path / "reports" / "index.html").read_text()


# ------------------------------------------------------ a pipeline run, end to end
@pytest.mark.pipeline
@pytest.mark.slow  # a whole pipeline run
def test_every_column_the_pipeline_writes_is_in_the_codebook(tmp_path):
    data = tmp_path / "sim"
    subprocess.run([sys.executable, "-m", "netinnov", "simulate", "--out", str(data), "--cases", "6", "--waves", "2",
                    "--min-actors", "8", "--max-actors", "12", "--seed", "5"], check=True, capture_output=True)
    results = tmp_path / "results" / "sim"
    targets = ["results/sim/datapackage.json", "results/sim/reports/codebook.html", "results/sim/manifest.json"]
    overrides = tmp_path / "fast.yaml"
    overrides.write_text(f"dataset: {data}\ncase_reports: none\nei_permutations: 50\n"
                         "validity: {reference_cases: 0, reference_waves: 2, bootstrap: 50}\n", encoding="utf-8")
    run_snakemake(tmp_path, "--cores", "1", *targets, "--configfile", str(overrides))
    package = json.loads((results / "datapackage.json").read_text(encoding="utf-8"))
    undocumented = {r["path"]: f["name"] for r in package["resources"] for f in r["schema"]["fields"]
                    if f.get("description") == "Not in the codebook."}
    assert not undocumented
    assert {r["path"] for r in package["resources"]} >= {
        "waves/w1/ties.csv", "waves/w2/actors.csv", "panel/cases.csv", "models/coefficients.csv", "models/qap.csv",
        "validity/validity.csv", "exports/cases.csv"}
    kinds = {r["title"] for r in package["resources"]}
    assert kinds >= {t.name for t in TABLES.values() if not t.optional} - {"rejected"}
    report = _frictionless_report(results / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:10]
    # the codebook's type is the type of the values written (integer and number agree either way:
    # a count with empty cells is written as decimals, 3.0)
    from netinnov.codebook import input_columns

    config = json.loads((results / "manifest.json").read_text(encoding="utf-8"))["config"]
    inputs = input_columns(data, config)
    wrong = set()
    for res in package["resources"]:
        for f in res["schema"]["fields"]:
            col = lookup(table_for(res["path"]), f["name"], inputs=inputs)
            if col.reference.startswith(("input", "config")) or col.type == f["type"]:
                continue
            if {col.type, f["type"]} != {"number", "integer"}:
                wrong.add((res["title"], f["name"], col.type, f["type"]))
    assert not wrong, sorted(wrong)
    actors = pd.read_csv(results / "waves" / "w1" / "actors.csv", nrows=1)
    assert {f"{r}_{c}" for r in LEADERSHIP_ROLES for c in COMPONENTS[r]} <= set(actors.columns)
    manifest = json.loads((results / "manifest.json").read_text(encoding="utf-8"))
    assert {"datapackage.json", "methods.md"} <= set(manifest["outputs"])
    assert "Methods paragraph" in (results / "reports" / "codebook.html").read_text(encoding="utf-8")
