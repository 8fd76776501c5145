"""Shared by test_reports.py and test_browser.py: a small results folder made
by the pipeline's own steps on a simulated dataset, and every report rendered
from it (all notebooks in one kernel, as the case-page jobs run them)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import step_args
from helpers.paths import REPO
from netinnov.cli import main as netinnov
from netinnov.io.result_tables import write_table
from netinnov.reports.execute import execute_many
from netinnov.reports.index import write_index
from netinnov.reports.selection import wave_selection

NOTEBOOKS = REPO / "workflow" / "notebooks"
WAVES = ["w1", "w2"]
CASES_PER_WAVE = 2

#: The report notebooks across waves, and the least number of figures each must show
#: on the small dataset (with the model tables below).
ACROSS_WAVES = {"distributions": 3, "phases": 3, "roles": 3, "panel": 3, "models": 3, "validity": 1}
MIN_FIGURES = {"wave": 4, "case": 2, **ACROSS_WAVES}


@dataclass
class Rendered:
    dataset: Path
    results: Path
    reports: Path
    pages: dict[str, Path] = field(default_factory=dict)  # name -> html (not the case pages)
    case_pages: list[Path] = field(default_factory=list)
    index: Path | None = None


def build_results(root: Path) -> tuple[Path, Path]:
    """Simulate a tiny dataset and run the pipeline's wave and panel steps on it."""
    dataset = root / "small"
    assert netinnov(["simulate", "--out", str(dataset), "--cases", "5", "--waves", str(len(WAVES)),
                     "--min-actors", "8", "--max-actors", "14", "--records-per-actor", "4", "--seed", "7"]) == 0
    results = root / "results" / "small"
    options = json.dumps({"ei_permutations": 20, "seed": 7})
    for i, w in enumerate(WAVES):
        folder = results / "waves" / w
        assert netinnov(["validate-wave", "--dataset", str(dataset), "--wave", w, "--out", str(folder)]) == 0
        args = ["wave", "--wave-dir", str(folder), "--wave", w, "--options", options]
        if i:
            args += ["--previous", str(results / "waves" / WAVES[i - 1]), "--previous-wave", WAVES[i - 1]]
        assert netinnov(args) == 0
    waves_dir, panel = results / "waves", results / "panel"
    assert netinnov([
        "panel", "--waves", *WAVES,
        "--ties", *(str(waves_dir / w / "ties.csv") for w in WAVES),
        "--actors", *(str(waves_dir / w / "actors.csv") for w in WAVES),
        "--cases", *(str(waves_dir / w / "cases.csv") for w in WAVES),
        "--out-cases", str(panel / "cases.csv"), "--out-actors", str(panel / "actors.csv"),
        "--out-change", str(panel / "change.csv"), "--out-stability", str(panel / "stability.csv"),
        "--out-tie-transitions", str(panel / "tie_transitions.csv"),
    ]) == 0
    assert netinnov(["phase-summaries", "--phases", *(str(results / "waves" / w / "phases.csv") for w in WAVES),
                     "--waves", *WAVES, "--summary", str(results / "panel" / "phase_summary.csv"),
                     "--involvement", str(results / "panel" / "group_involvement.csv")]) == 0
    assert netinnov(step_args.report_summaries(results, WAVES)) == 0
    for w in WAVES:
        assert netinnov(step_args.wave_summaries(results / "waves" / w)) == 0
    write_model_tables(results / "models")
    assert netinnov(step_args.model_summaries(results)) == 0
    validity = json.dumps({"ei_permutations": 20, "seed": 7, "validity": {"reference_cases": 0, "bootstrap": 50}})
    validity_csv = results / "validity" / "validity.csv"
    assert netinnov(step_args.validity(results, WAVES, dataset, validity_csv, validity)) == 0
    assert netinnov(["validity-summaries", "--validity", str(validity_csv),
                     "--out", str(results / "validity" / "target_counts.csv")]) == 0
    return dataset, results


def write_model_tables(folder: Path) -> None:
    """Model tables with the contract's columns (the models notebook reads only these)."""
    rng = np.random.default_rng(3)
    terms = ["Intercept", "sector_blau", "density", "convener_present"]
    coef = pd.DataFrame({"model": "implemented_logit", "outcome": "implemented", "term": terms,
                         "estimate": rng.normal(size=4), "std_error": 0.3, "n": 10})
    coef["ci_low"] = coef["estimate"] - 1.96 * coef["std_error"]
    coef["ci_high"] = coef["estimate"] + 1.96 * coef["std_error"]
    coef["p_value"] = [0.5, 0.01, 0.2, 0.04]
    write_table(coef, folder / "coefficients.csv")
    write_table(pd.DataFrame({"model": "implemented_logit", "outcome": "implemented", "metric": ["roc_auc", "brier"] * 2,
                              "estimator": ["baseline"] * 2 + ["regularized"] * 2, "mean": [0.5, 0.25, 0.7, 0.2],
                              "std": [0.0, 0.01, 0.1, 0.05], "folds": 5}), folder / "cv_scores.csv")
    write_table(pd.DataFrame({"model": "implemented_logit", "outcome": "implemented", "estimator": "forest",
                              "feature": terms[1:], "importance_mean": [0.1, 0.02, 0.05],
                              "importance_std": [0.02, 0.01, 0.01]}), folder / "importance.csv")
    # per-case fits without an estimate first (as the models step writes them): the page must
    # lead with the pooled row and count these by reason
    write_table(pd.DataFrame({"model": "same_sector", "case_id": ["c1", "c1", "c2", "pooled"],
                              "term": ["nodematch(sector)", "edges", "nodematch(sector)", "nodematch(sector)"],
                              "estimate": [np.nan, np.nan, np.nan, 0.8], "p_value": [np.nan, np.nan, np.nan, 0.01],
                              "n_dyads": [np.nan, np.nan, np.nan, 400], "n_permutations": 200,
                              "null_hypothesis": "qapspp",
                              "note": ["too few actors", "too few actors", "too few actors", ""]}),
                folder / "qap.csv")
    # no fit.csv: the notebook must say so rather than fail


def render_reports(dataset: Path, results: Path) -> Rendered:
    """Every report of ``results`` (pages, case pages of the two largest cases per wave, index)."""
    reports = results / "reports"
    figures = reports / "figures"
    waves = ",".join(WAVES)
    runs = []
    pages = {}
    for w in WAVES:
        pages[f"wave_{w}"] = reports / f"wave_{w}.html"
        runs.append((NOTEBOOKS / "wave_overview.ipynb", reports / f"wave_{w}.ipynb", pages[f"wave_{w}"],
                     {"wave": w, "wave_dir": str(results / "waves" / w), "figures_dir": str(figures / f"wave_{w}")}))
    params = {
        "distributions": {"results_dir": str(results), "waves": waves},
        "phases": {"results_dir": str(results), "waves": waves},
        "roles": {"results_dir": str(results), "waves": waves},
        "panel": {"results_dir": str(results), "waves": waves},
        "models": {"results_dir": str(results), "dataset_dir": str(dataset)},
        "validity": {"validity_csv": str(results / "validity" / "validity.csv")},
    }
    for name, p in params.items():
        pages[name] = reports / f"{name}.html"
        runs.append((NOTEBOOKS / f"{name}.ipynb", reports / f"{name}.ipynb", pages[name],
                     {**p, "figures_dir": str(figures / name)}))
    selection = wave_selection([results / "waves" / w / "cases.csv" for w in WAVES], WAVES, CASES_PER_WAVE,
                               per_job=1, out=reports / "cases" / "selection.csv")
    case_pages = []
    for row in selection.itertuples(index=False):
        html = reports / "cases" / row.wave / row.part / row.page
        case_pages.append(html)
        # the case's figures where the pipeline's `cases` step puts them
        case_figures = figures / "cases" / row.wave / row.part / Path(row.page).stem
        runs.append((NOTEBOOKS / "case_network.ipynb", html.with_suffix(".ipynb"), html,
                     {"wave": row.wave, "wave_dir": str(results / "waves" / row.wave), "case_id": row.case_id,
                      "figures_dir": str(case_figures)}))
    execute_many(runs, cwd=reports)
    index = reports / "index.html"
    write_index(index, list(pages.values()), title="small", selection=selection, waves=WAVES)
    return Rendered(dataset=dataset, results=results, reports=reports, pages=pages, case_pages=case_pages, index=index)


_CACHE: dict[str, Rendered] = {}


def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """The small results folder with every report rendered, built once per test
    session (test files call it from their own session-scoped fixture)."""
    if "reports" not in _CACHE:
        root = tmp_path_factory.mktemp("reports")
        dataset, results = build_results(root)
        _CACHE["reports"] = render_reports(dataset, results)
    return _CACHE["reports"]
