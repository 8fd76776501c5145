"""The models and panel pages (issue 16 items 6 and 7): the pooled MRQAP fit
first with its figure, unestimated cases counted by reason, the reason of an
empty table, small-sample notes beside what they qualify, a turnover sentence
that agrees with the Jaccard values, and no constant metric in the stability table."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import step_args
from helpers.reports import NOTEBOOKS
from netinnov.io.result_tables import write_table
from netinnov.reports import models, panel
from netinnov.reports.execute import execute_many


def _texts(ipynb: Path) -> list[str]:
    """Every output of the executed notebook as text, in page order (HTML tags kept)."""
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if "image/png" in data:
                out.append("<figure>")
            for kind in ("text/html", "text/markdown"):
                if kind in data:
                    out.append("".join(data[kind]))
    return out


def _index(texts: list[str], needle: str) -> int:
    return next(i for i, t in enumerate(texts) if needle in t)


# --------------------------------------------------------------------- helpers
def test_split_qap_puts_pooled_first_and_counts_unestimated_cases():
    qap = pd.DataFrame({"model": "m", "case_id": ["c1", "c1", "c2", "c3", "pooled"],
                        "term": ["a", "b", "a", "a", "a"], "estimate": [np.nan, np.nan, np.nan, 0.2, 0.5],
                        "note": ["too few actors", "too few actors", "singular", "", ""]})
    pooled, per_case, empty = models.split_qap(qap)
    assert list(pooled["case_id"]) == ["pooled"]
    assert list(per_case["case_id"]) == ["c3"]
    assert dict(zip(empty["reason"], empty["cases"], strict=True)) == {"too few actors": 1, "singular": 1}


def test_empty_reason_reads_empty_results_and_escapes():
    e = pd.DataFrame({"kind": ["case_model", "dyadic_model"], "model": ["m<1>", "d"], "wave": ["pooled", "w1"],
                      "reason": ["outcome is <b>constant</b>", "too few actors"]})
    text = models.empty_reason("coefficients", empty_results=e, kind="case_model")
    assert "constant" in text and "<b>" not in text and "too few actors" not in text
    fit = pd.DataFrame({"model": ["m"], "error": [""], "warning": ["perfect separation"]})
    assert "perfect separation" in models.empty_reason("coefficients", fit=fit)
    assert "recorded no reason" in models.empty_reason("coefficients")


def test_small_n_notes_from_fit_columns():
    fit = pd.DataFrame({"model": ["small", "large"], "n": [6, 400], "n_clusters": [6, 40], "warning": ["", ""],
                        "events": [8, 200]})
    coef = pd.DataFrame({"model": ["small"] * 3, "term": ["Intercept", "x", "z"]})
    notes = models.small_n_notes(fit, coef)
    assert len(notes) == 1 and "small" in notes[0] and "6 cases" in notes[0] and "8 events for 2 predictors" in notes[0]
    warned = models.small_n_notes(pd.DataFrame({"model": ["m"], "n": [300], "warning": ["events per predictor 4 < 10"]}))
    assert warned and "events per predictor" in warned[0]
    assert models.small_n_notes(None, n_cases=5) and not models.small_n_notes(None, n_cases=50)


def test_turnover_sentence_agrees_with_the_jaccard_values():
    change = pd.DataFrame({"case_id": ["a", "b", "c"], "wave_from": "w1", "wave_to": "w2", "jaccard": [0.1, 0.5, 0.9]})
    assert panel.turnover_sentence(change).startswith("1 of 3 case-wave pairs have Jaccard below 0.3")
    calm = panel.turnover_sentence(change.assign(jaccard=[0.4, 0.5, 0.9]))
    assert calm.startswith("No case has Jaccard below 0.3") and "most of their ties changed" not in calm


def test_varying_metrics_leave_out_constant_ones():
    st = pd.DataFrame({"case_id": ["a", "b", "a", "b"], "wave_from": "w1", "wave_to": "w2",
                       "metric": ["degree", "degree", "sector", "sector"], "spearman": [0.4, np.nan, np.nan, np.nan]})
    assert panel.varying_metrics(st) == ["degree"]


# --------------------------------------------------------------- rendered pages
def test_models_page_leads_with_the_pooled_mrqap_fit(small_reports):
    texts = _texts(small_reports.reports / "models.ipynb")
    start = _index(texts, "MRQAP") - 1  # the pooled figure comes just before its table
    assert texts[start] == "<figure>"
    assert "Pooled MRQAP estimates" in texts[start + 1] and "pooled" in texts[start + 1]
    counted = _index(texts, "could not be estimated")
    assert counted > start and "too few actors" in texts[counted + 1]
    assert not any("Per-case MRQAP estimates" in t for t in texts)  # no rows of dashes
    assert (small_reports.reports / "figures" / "models" / "qap_pooled.png").is_file()


def test_models_page_small_n_note_beside_the_figures(small_reports):
    texts = _texts(small_reports.reports / "models.ipynb")
    for figure in ("Cross-validated scores", "importance"):
        i = next(i for i, t in enumerate(texts) if "Small sample" in t and figure in t)
        assert texts[i + 1] == "<figure>"


def test_models_page_empty_table_shows_its_reason(tmp_path):
    results = tmp_path / "results"
    folder = results / "models"
    write_table(pd.DataFrame(columns=["model", "outcome", "term", "estimate"]), folder / "coefficients.csv")
    write_table(pd.DataFrame({"model": ["implemented_logit"], "n": [6], "n_clusters": [6],
                              "warning": ["events per predictor 2.0 < 10"], "error": ["outcome is constant"]}),
                folder / "fit.csv")
    write_table(pd.DataFrame({"kind": ["case_model"], "model": ["implemented_logit"], "wave": ["pooled"],
                              "scope": ["pooled"], "estimators": ["glm"], "n_fits": [1], "n_fits_total": [1],
                              "model_empty": [True], "reason": ["outcome <i>implemented</i> is constant"]}),
                folder / "empty_results.csv")
    from netinnov.cli import main as netinnov

    assert netinnov(step_args.model_summaries(results)) == 0
    out = tmp_path / "models.ipynb"
    execute_many([(NOTEBOOKS / "models.ipynb", out, tmp_path / "models.html",
                   {"results_dir": str(results), "figures_dir": ""})], cwd=tmp_path)
    page = "\n".join(_texts(out))
    assert "No coefficients" in page and "is constant" in page
    assert "<i>implemented</i>" not in page
    assert "No coefficients to show" not in page
    assert "Small sample" in page and "events per predictor" in page


def test_panel_sentence_and_stability_table(small_reports):
    r = small_reports
    texts = _texts(r.reports / "panel.ipynb")
    change = pd.read_csv(r.results / "panel" / "change.csv")
    j = pd.to_numeric(change["jaccard"], errors="coerce").dropna()
    below = int((j < panel.JACCARD_THRESHOLD).sum())
    sentence = html.unescape(re.sub(r"\\(.)", r"\1", next(t for t in texts if "Jaccard below" in t)))
    if below:
        assert f"{below} of {len(j)} case-wave pairs have Jaccard below" in sentence
    else:
        assert "No case has Jaccard below" in sentence and "most of their ties changed" not in sentence
    page = (r.reports / "panel.html").read_text(encoding="utf-8")
    assert "Most ties changed" not in page
    stability = pd.read_csv(r.results / "panel" / "stability.csv")
    constant = set(stability["metric"].astype(str)) - set(panel.varying_metrics(stability))
    table = next(t for t in texts if "Stability of actor metrics" in t and "<table" in t)
    cells = set(re.findall(r"<td[^>]*>([^<]*)</td>", table))
    assert not (constant & cells), constant & cells
    assert any("Tie-class transitions" in t for t in texts)


def test_betweenness_normalised_by_case_size():
    from netinnov.reports.distributions import normalised_betweenness

    actors = pd.DataFrame({"wave": "w1", "case_id": ["a"] * 4 + ["b"] * 3, "betweenness": [6, 0, 3, 1, 2, 0, 0]})
    got = normalised_betweenness(actors, directed=False)
    assert got.tolist() == pytest.approx([2.0, 0, 1.0, 1 / 3, 2.0, 0, 0])  # (n-1)(n-2)/2 = 3 and 1
    directed = normalised_betweenness(actors.assign(in_degree=1))
    assert directed.tolist() == pytest.approx([1.0, 0, 0.5, 1 / 6, 1.0, 0, 0])  # (n-1)(n-2) = 6 and 2


def test_distributions_page_pools_normalised_betweenness_only(small_reports):
    texts = "\n".join(_texts(small_reports.reports / "distributions.ipynb"))
    assert "betweenness / (n−1)(n−2) per case" in texts  # the summary table row
    assert "betweenness (raw)" not in texts


def test_not_estimated_cases_are_counted_by_reason():
    qap = pd.DataFrame({"model": "m", "case_id": ["c1", "c2", "c3", "c4"], "term": "a",
                        "estimate": [np.nan, np.nan, np.nan, 0.1], "note": ["few", "few", "singular", ""]})
    fit = pd.DataFrame({"model": ["g"], "wave": [""], "error": ["separation"], "n_dropped": [0]})
    table = models.collapse_cases(models.not_estimated(fit, qap))
    assert len(table) == 3
    rows = {r.reason: r for r in table.itertuples()}
    assert rows["few"].cases == 2 and rows["few"].case_id == ""
    assert rows["singular"].cases == 1 and rows["singular"].case_id == "c3"
    assert rows["separation"].table == "fit.csv"
