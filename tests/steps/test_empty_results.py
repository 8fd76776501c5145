"""models/empty_results.csv: every model fit without an estimate, with its reason
(netinnov.steps.empty_results), and its box on reports/index.html."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from helpers import step_args
from netinnov.cli import main
from netinnov.io.result_tables import read_table
from netinnov.models.empty_results import EMPTY_COLUMNS, empty_results, headline
from netinnov.reports.index import write_index
from netinnov.steps.empty_results import print_run_summary


def _fit(rows):
    cols = ["model", "outcome", "family", "wave", "lagged", "standardized", "n", "warning", "error", "estimator"]
    return pd.DataFrame(rows, columns=cols)


def _coefs(rows):
    return pd.DataFrame(rows, columns=["model", "term", "estimate", "wave", "lagged", "standardized", "estimator"])


def _qap(rows):
    return pd.DataFrame(rows, columns=["model", "case_id", "term", "estimate", "wave", "estimator", "note",
                                       "dropped_reasons"])


FIT = _fit([
    ["ok", "y", "logit", "pooled", False, False, 20, "", "", "glm"],
    ["ok", "y", "logit", "pooled", False, False, 20, "", "", "gee"],
    ["gone", "diffusion", "poisson", "pooled", False, False, 0, "", "columns not in the features: ['diffusion']",
     "glm"],
    ["gone", "diffusion", "poisson", "pooled", False, False, 0, "",
     "not fitted: columns not in the features: ['diffusion']", "gee"],
])  # fmt: skip
COEFS = _coefs([
    ["ok", "Intercept", 0.3, "pooled", False, False, "glm"],
    ["ok", "Intercept", np.nan, "pooled", False, False, "gee"],  # no finite estimate: empty too
])
QAP = _qap([
    ["homophily", "c1", "Intercept", 0.5, "w1", "netlogit", "", ""],
    ["homophily", "c1", "nodematch(sector)", 0.1, "w1", "netlogit", "", ""],
    ["homophily", "c2", "Intercept", np.nan, "w1", "netlogit", "fewer than 3 actors",
     "actor attribute rank missing (4 actors): 12"],
    ["homophily", "c2", "nodematch(sector)", np.nan, "w1", "netlogit", "fewer than 3 actors",
     "actor attribute rank missing (4 actors): 12"],
    ["homophily", "pooled", "Intercept", np.nan, "w1", "netlogit", "pooling needs at least 2 usable cases", ""],
    ["stale", "c1", "Intercept", np.nan, "w1", "netlm", "unknown actor attribute 'command_rank_score'", ""],
    ["stale", "c2", "Intercept", np.nan, "w1", "netlm", "unknown actor attribute 'command_rank_score'", ""],
])  # fmt: skip


def test_every_fit_without_an_estimate_is_listed_with_its_reason():
    table = empty_results(COEFS, FIT, QAP)
    assert list(table.columns) == EMPTY_COLUMNS
    gone = table[table["model"] == "gone"]
    assert len(gone) == 1  # glm and gee share the reason once the "not fitted:" prefix is dropped
    assert gone.iloc[0]["reason"] == "columns not in the features: ['diffusion']"
    assert gone.iloc[0]["estimators"] == "glm;gee" and gone.iloc[0]["n_fits"] == 2
    assert bool(gone.iloc[0]["model_empty"])
    ok = table[table["model"] == "ok"]
    assert list(ok["estimators"]) == ["gee"] and not ok["model_empty"].any()
    stale = table[table["model"] == "stale"].iloc[0]
    assert (stale["n_fits"], stale["n_fits_total"]) == (2, 2) and bool(stale["model_empty"])
    assert stale["reason"] == "unknown actor attribute 'command_rank_score'"
    homo = table[table["model"] == "homophily"].set_index("scope")
    assert homo.loc["per case", "reason"] == "fewer than 3 actors (dropped: actor attribute rank missing (4 actors))"
    assert (homo.loc["per case", "n_fits"], homo.loc["per case", "n_fits_total"]) == (1, 2)
    assert homo.loc["pooled", "reason"] == "pooling needs at least 2 usable cases"
    assert not homo["model_empty"].any()
    # models without any estimate come first
    assert table["model_empty"].tolist() == sorted(table["model_empty"].tolist(), reverse=True)
    assert headline(table).startswith("2 models produced no estimate")


def test_nothing_configured_is_said_and_a_clean_run_is_empty():
    table = empty_results(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    assert set(table["kind"]) == {"case_model", "dyadic_model"}
    assert table["reason"].str.contains("is empty").all()
    assert headline(table) == "no case-level model configured and no dyadic model configured"
    clean = empty_results(COEFS.iloc[:1], FIT.iloc[:1], QAP.iloc[:2])
    assert clean.empty
    assert headline(clean) == "every model fit produced an estimate"


def test_the_command_writes_the_table_and_logs_every_row(tmp_path, capsys):
    COEFS.to_csv(tmp_path / "coefficients.csv", index=False)
    FIT.to_csv(tmp_path / "fit.csv", index=False)
    QAP.to_csv(tmp_path / "qap.csv", index=False)
    assert main([*step_args.empty_results(tmp_path), "--log", str(tmp_path / "empty.log")]) == 0
    table = read_table(tmp_path / "empty_results.csv")
    assert len(table) == len(empty_results(COEFS, FIT, QAP))
    text = capsys.readouterr().err
    assert text.strip() and text.strip().splitlines() == (tmp_path / "empty.log").read_text().strip().splitlines()
    assert "2 models produced no estimate" in text
    assert "unknown actor attribute 'command_rank_score'" in text and "columns not in the features" in text
    out = io.StringIO()
    print_run_summary(tmp_path / "empty_results.csv", stream=out)
    assert "2 models produced no estimate" in out.getvalue()
    assert "no estimate: case model gone: columns not in the features" in out.getvalue()
    assert "netinnov init" not in out.getvalue()
    out = io.StringIO()
    print_run_summary(tmp_path / "empty_results.csv", stream=out, dataset="data/mydata")
    assert "`netinnov init data/mydata`" in out.getvalue()


def test_the_index_leads_with_the_empty_results_escaped(tmp_path):
    hostile = QAP.copy()
    hostile.loc[hostile["model"] == "stale", "note"] = "<script>alert(1)</script> & more"
    table = empty_results(COEFS, FIT, hostile)
    page = tmp_path / "reports" / "models.html"
    page.parent.mkdir()
    page.write_text("<html></html>")
    out = tmp_path / "reports" / "index.html"
    write_index(out, [page], empty_results=table)
    html = out.read_text()
    assert "2 models produced no estimate" in html
    assert html.index("empty-results") < html.index("Across waves")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "columns not in the features: [&#x27;diffusion&#x27;]" in html
    write_index(out, [page], empty_results=empty_results(COEFS.iloc[:1], FIT.iloc[:1], QAP.iloc[:2]))
    assert "Every model fit produced an estimate" in out.read_text()
    write_index(out, [page])  # without the table: no box (older callers)
    assert "empty-results" not in out.read_text()
