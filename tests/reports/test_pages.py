"""The report helpers: labelled figures, the numbers behind them, case
selection, the index page, and the notebooks executed on a small results folder."""

from __future__ import annotations

import html.parser
import json
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from scipy import stats  # noqa: E402

from helpers.reports import MIN_FIGURES, WAVES  # noqa: E402
from netinnov.metrics.phases import PHASES  # noqa: E402
from netinnov.reports import distributions, figures, models, network, panel, phases, roles  # noqa: E402
from netinnov.reports.display import table_html  # noqa: E402
from netinnov.reports.index import write_index  # noqa: E402
from netinnov.reports.selection import case_page_name, parse_case_reports, select_cases  # noqa: E402

SECTORS = ["public", "private", "civil_society", "citizen"]


# ----------------------------------------------------------------- small inputs
def _actors(seed: int = 0, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "wave": np.repeat(["w1", "w2"], n // 2),
        "case_id": "c1",
        "actor_id": [f"A{i:03d}" for i in range(n)],
        "sector": rng.choice(SECTORS, n),
        "degree": rng.integers(0, 6, n),
        "betweenness": rng.exponential(5, n),
        "constraint": rng.uniform(0.2, 1, n),
        "effective_size": rng.uniform(1, 5, n),
        "blau": rng.uniform(0, 0.7, n),
        "iqv": rng.uniform(0, 1, n),
        "ei": rng.uniform(-1, 1, n),
        "convener_score": rng.normal(size=n),
        "facilitator_score": rng.normal(size=n),
        "catalyst_score": rng.normal(size=n),
        "reported_roles": rng.choice(["", "convener", "facilitator;catalyst"], n),
    })
    for col in network.GF_ROLES:
        frame[col] = rng.integers(0, 4, n)
    frame["gf_total"] = frame[list(network.GF_ROLES)].sum(axis=1)
    return frame


def _ties(actors: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = actors["actor_id"].to_numpy()
    pairs = {tuple(sorted(rng.choice(len(ids), 2, replace=False))) for _ in range(60)}
    s, t = np.array(sorted(pairs)).T
    return pd.DataFrame({"case_id": "c1", "source": ids[s], "target": ids[t],
                         "tie_class": rng.choice(["strong", "weak"], len(s)),
                         "local_bridge": rng.choice([True, False], len(s), p=[0.2, 0.8])})


def _phases(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for wave in ("w1", "w2"):
        for case in range(6):
            for phase in PHASES:
                shares = rng.dirichlet(np.ones(len(SECTORS)))
                for sector, share in zip(SECTORS, shares, strict=True):
                    rows.append({"wave": wave, "case_id": f"c{case}", "sector": sector, "phase": phase,
                                 "actors": 1, "actor_share": share, "tie_share": share, "activity_share": share})
    return pd.DataFrame(rows)


def _change() -> pd.DataFrame:
    return pd.DataFrame({
        "case_id": ["a", "b", "c", "a", "b", "c"],
        "wave_from": ["w1", "w1", "w1", "w2", "w2", "w2"],
        "wave_to": ["w2", "w2", "w2", "w3", "w3", "w3"],
        "n11": [5, 1, 8, 4, 2, 6], "n01": [1, 4, 1, 2, 3, 0], "n10": [2, 3, 0, 1, 5, 1],
        "hamming": [3, 7, 1, 3, 8, 1], "actors_joined": [1, 2, 0, 0, 3, 1], "actors_left": [0, 1, 1, 2, 0, 0],
    }).assign(jaccard=lambda f: f["n11"] / (f["n01"] + f["n10"] + f["n11"]))


# ----------------------------------------------------------------- every figure is labelled
def _assert_labelled(fig: plt.Figure) -> None:
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    assert axes, "figure without axes"
    has_figure_legend = bool(fig.legends)
    for ax in axes:
        assert ax.get_title() or fig.get_suptitle(), "axes without a title"
        assert ax.get_xlabel(), f"no x label on {ax.get_title()!r}"
        assert ax.get_ylabel(), f"no y label on {ax.get_title()!r}"
        assert ax.get_legend() is not None or has_figure_legend, f"no legend on {ax.get_title()!r}"
    plt.close(fig)


def _figure(obj) -> plt.Figure:
    return obj if isinstance(obj, plt.Figure) else obj.figure


def _figure_cases():
    actors = _actors()
    ties = _ties(actors[actors["wave"] == "w1"])
    ph = _phases()
    tests = pd.DataFrame({"wave": ["w1", "w1", "w2", "w2"], "group": ["non_public", "private"] * 2,
                          "mean_difference": [0.1, 0.05, -0.02, 0.2], "ci_low": [0.0, -0.1, -0.1, 0.1],
                          "ci_high": [0.2, 0.2, 0.05, 0.3]})
    involvement = pd.DataFrame({"wave": np.repeat(["w1", "w2"], 4), "phase": list(PHASES) * 2,
                                "involved_share": np.linspace(0, 1, 8), "mean_actor_share": np.linspace(0, .3, 8)})
    validation = pd.DataFrame({"wave": ["w1", "w1", "w2"], "role": ["convener", "catalyst", "convener"],
                               "auc": [0.8, 0.6, 0.7], "ci_low": [0.7, 0.4, 0.6], "ci_high": [0.9, 0.8, 0.8]})
    cases = pd.DataFrame({"wave": ["w1", "w1", "w2"], "case_id": ["a", "b", "a"], "convener_present": [1, 0, 1],
                          "convener_inferred": [1, 1, 0], "facilitator_present": [0, 0, 1],
                          "facilitator_inferred": [0, 1, 1], "catalyst_present": [1, 1, 1],
                          "catalyst_inferred": [0, 0, 0]})
    change = _change()
    stability = pd.DataFrame({"case_id": ["a", "b"] * 2, "wave_from": "w1", "wave_to": "w2",
                              "metric": ["degree", "degree", "betweenness", "betweenness"],
                              "spearman": [0.5, 0.7, 0.1, -0.2], "n_actors": 8})
    coefs = pd.DataFrame({"model": ["m1"] * 3 + ["m2"] * 2, "outcome": ["y1"] * 3 + ["y2"] * 2,
                          "term": ["Intercept", "x", "z", "x", "1/2"], "estimate": [0.1, 0.5, -0.3, 0.2, 1.0],
                          "ci_low": [-0.1, 0.1, -0.6, -0.1, 0.5], "ci_high": [0.3, 0.9, 0.0, 0.5, 1.5],
                          "p_value": [0.3, 0.01, 0.06, 0.2, 0.0], "n": 30})
    cv = pd.DataFrame({"model": ["m1", "m1", "m2"], "outcome": ["y1", "y1", "y2"], "metric": ["auc", "brier", "rmse"],
                       "mean": [0.7, 0.2, 1.1], "std": [0.05, 0.01, 0.2], "folds": 5})
    imp = pd.DataFrame({"model": "m1", "outcome": "y1", "estimator": "forest", "feature": ["x", "z"],
                        "importance_mean": [0.1, 0.02], "importance_std": [0.01, 0.01]})
    rejected = pd.DataFrame({"file": ["a.csv", "a.csv", "b.csv"], "line": [2, 3, 4],
                             "reason": ["self-interaction", "exact duplicate", "self-interaction"]})
    size = pd.DataFrame({"n_actors": [5, 9, 20], "n_ties": [4, 12, 40], "density": [0.4, 0.33, 0.2],
                         "collaboration_type": ["public_private", "inter_agency", "public_private"]})
    yield "rejected", lambda: figures.plot_rejected(rejected)
    yield "rejected_empty", lambda: figures.plot_rejected(rejected.iloc[0:0])
    yield "case_sizes", lambda: figures.plot_case_sizes(size)
    yield "size_distribution", lambda: figures.plot_size_distribution(size)
    yield "collaboration_types", lambda: figures.plot_collaboration_types(size)
    yield "network", lambda: network.draw_case_network(actors[actors["wave"] == "w1"], ties)
    yield "network_empty", lambda: network.draw_case_network(actors.iloc[0:0], ties.iloc[0:0])
    yield "brokerage_roles", lambda: network.plot_brokerage_roles(actors)
    yield "distributions", lambda: distributions.plot_metric_distributions(actors, ["betweenness", "blau", "ei"])
    yield "phase_shares", lambda: phases.plot_phase_shares(phases.phase_share_summary(ph))
    yield "implementation_test", lambda: phases.plot_implementation_test(tests)
    yield "involvement", lambda: phases.plot_group_involvement(involvement)
    yield "role_scores", lambda: roles.plot_role_scores(roles.score_groups(actors), threshold=1.5)
    yield "role_auc", lambda: roles.plot_role_auc(validation)
    yield "role_auc_empty", lambda: roles.plot_role_auc(validation.iloc[0:0])
    # A percentile interval may exclude the point estimate: drawn, not an error.
    yield "role_auc_outside", lambda: roles.plot_role_auc(validation.assign(ci_low=validation["auc"] + 1e-9))
    yield "role_presence", lambda: roles.plot_role_presence(roles.role_presence(cases))
    yield "jaccard", lambda: panel.plot_jaccard(change)
    yield "turnover", lambda: panel.plot_actor_turnover(panel.turnover_summary(change))
    yield "stability", lambda: panel.plot_stability(stability)
    yield "coefficients", lambda: models.plot_coefficients(coefs)
    yield "coefficients_empty", lambda: models.plot_coefficients(coefs.iloc[0:0])
    yield "cv_scores", lambda: models.plot_cv_scores(cv)
    yield "cv_scores_estimators", lambda: models.plot_cv_scores(
        pd.concat([cv.assign(estimator="baseline"), cv.assign(estimator="forest")], ignore_index=True))
    yield "importance", lambda: models.plot_importance(imp)


FIGURES = dict(_figure_cases())


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_has_title_axis_labels_and_legend(name):
    _assert_labelled(_figure(FIGURES[name]()))


# ----------------------------------------------------------------- the numbers behind the figures
def test_network_drawing_styles_each_tie_by_class_and_bridge():
    actors = _actors()
    a = actors[actors["wave"] == "w1"]
    t = _ties(a)
    ax = network.draw_case_network(a, t)
    drawn = {}
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            colour = "crimson" if np.allclose(coll.get_colors()[0][:3], matplotlib.colors.to_rgb("crimson")) else "grey"
            dashed = coll.get_linestyles()[0][1] is not None
            drawn[(colour, dashed)] = len(coll.get_segments())
    weak = (t["tie_class"] == "weak").to_numpy()
    bridge = t["local_bridge"].to_numpy()
    assert drawn.get(("grey", False), 0) == int((~weak & ~bridge).sum())
    assert drawn.get(("grey", True), 0) == int((weak & ~bridge).sum())
    assert drawn.get(("crimson", False), 0) == int((~weak & bridge).sum())
    assert drawn.get(("crimson", True), 0) == int((weak & bridge).sum())
    sizes = ax.collections[-1].get_sizes()
    assert sizes.argmax() == a["betweenness"].to_numpy().argmax()  # area grows with brokerage
    plt.close(ax.figure)


def test_case_layout_is_seeded():
    s, t = np.array([0, 1, 2, 3]), np.array([1, 2, 3, 0])
    assert np.array_equal(network.case_layout(5, s, t, seed=3), network.case_layout(5, s, t, seed=3))
    assert network.case_layout(0, s[:0], t[:0]).shape == (0, 2)


def test_case_actor_table_roles():
    a = pd.DataFrame({"actor_id": ["x", "y", "z"], "sector": ["public", "private", "citizen"],
                      "betweenness": [1.0, 5.0, 0.0], "gf_coordinator": [0, 2, 0], "gf_itinerant": [3, 2, 0],
                      "gf_representative": [0, 0, 0], "gf_gatekeeper": [0, 0, 0], "gf_liaison": [1, 0, 0],
                      "convener_score": [2.0, 0.0, 1.5], "facilitator_score": [0.0, 1.6, 1.4],
                      "catalyst_score": [1.7, np.nan, 0.0], "reported_roles": ["convener", np.nan, ""]})
    table = network.case_actor_table(a, role_threshold=1.5).set_index("actor")
    assert list(table.index) == ["y", "x", "z"]  # by betweenness
    # largest role count; a tie goes to the earlier role; nothing brokered: "–"
    assert table.loc["x", "main brokerage role"] == "itinerant"
    assert table.loc["y", "main brokerage role"] == "coordinator"
    assert table.loc["z", "main brokerage role"] == "–"
    assert table.loc["x", "inferred roles"] == "convener;catalyst"
    assert table.loc["y", "inferred roles"] == "facilitator"
    assert table.loc["z", "inferred roles"] == "convener"  # at the threshold counts
    assert table.loc["y", "reported roles"] == ""


def test_phase_share_summary_matches_t_interval():
    ph = _phases(1)
    summary = phases.phase_share_summary(ph)
    row = summary[(summary["wave"] == "w2") & (summary["phase"] == "design") & (summary["sector"] == "private")].iloc[0]
    x = ph[(ph["wave"] == "w2") & (ph["phase"] == "design") & (ph["sector"] == "private")]["actor_share"].to_numpy()
    n = len(x)
    half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n)
    assert row["n_cases"] == n
    assert row["mean"] == pytest.approx(x.mean())
    assert row["ci_low"] == pytest.approx(x.mean() - half)
    assert row["ci_high"] == pytest.approx(x.mean() + half)
    assert list(summary[summary["wave"] == "w1"]["phase"].drop_duplicates()) == list(PHASES)


def test_phase_share_summary_leaves_out_cases_without_records_in_the_phase():
    ph = _phases(2)
    ph.loc[(ph["wave"] == "w1") & (ph["case_id"] == "c0") & (ph["phase"] == "diffusion"), "actor_share"] = np.nan
    s = phases.phase_share_summary(ph)
    assert set(s.loc[s["phase"] == "diffusion", "n_cases"]) == {5, 6}  # w1 loses c0, w2 keeps it


def test_metric_summary_quartiles():
    actors = _actors(3)
    summary = distributions.metric_summary(actors, ["betweenness", "constraint"])
    for row in summary.itertuples(index=False):
        x = actors[(actors["wave"] == row.wave) & (actors["sector"] == row.sector)][row.metric].to_numpy(dtype=float)
        assert row.n == len(x)
        assert row.median == pytest.approx(np.median(x))
        assert row.q1 == pytest.approx(np.quantile(x, 0.25))
        assert row.q3 == pytest.approx(np.quantile(x, 0.75))
    assert list(summary["metric"].drop_duplicates()) == ["betweenness", "constraint"]


def test_score_groups_and_role_presence():
    actors = _actors(4)
    g = roles.score_groups(actors)
    conv = g[g["role"] == "convener"].reset_index(drop=True)
    for i, rep in enumerate(actors["reported_roles"]):
        expected = ("reported this role" if "convener" in rep.split(";") else
                    "reported another role" if rep else "no reported role")
        assert conv.loc[i, "report"] == expected
    cases = pd.DataFrame({"wave": ["w1"] * 4, "convener_present": [1, 0, 1, np.nan],
                          "convener_inferred": [1, 1, 0, 0]})
    p = roles.role_presence(cases).set_index("role").loc["convener"]
    assert (p["n_cases"], p["reported"], p["inferred"], p["both"]) == (4, 2, 2, 1)
    assert p["reported_share"] == pytest.approx(0.5)


def test_turnover_and_flagged_cases():
    change = _change()
    summary = panel.turnover_summary(change, waves=["w1", "w2", "w3"]).set_index("waves")
    assert list(summary.index) == ["w1→w2", "w2→w3"]
    first = change[change["wave_from"] == "w1"]
    assert summary.loc["w1→w2", "ties_kept"] == first["n11"].sum()
    assert summary.loc["w1→w2", "actors_joined"] == first["actors_joined"].sum()
    assert summary.loc["w1→w2", "median_jaccard"] == pytest.approx(first["jaccard"].median())
    flagged = panel.flagged_cases(change)
    assert set(zip(flagged["case_id"], flagged["wave_from"], strict=True)) == {
        (c, w) for c, w, j in zip(change["case_id"], change["wave_from"], change["jaccard"], strict=True) if j < 0.3}
    assert flagged["jaccard"].is_monotonic_increasing
    assert summary["flagged_cases"].sum() == len(flagged)


def test_coefficient_terms_leave_out_intercepts_and_cut_points():
    c = pd.DataFrame({"term": ["Intercept", "const", "x", "a:b", "1/2", "low/mid"], "estimate": 0.0})
    assert list(models.coefficient_terms(c)["term"]) == ["x", "a:b"]
    typed = c.assign(term_type=["intercept", "intercept", "predictor", "predictor", "threshold", "threshold"])
    assert list(models.coefficient_terms(typed)["term"]) == ["x", "a:b"]


def test_table_html_rounds_and_escapes():
    frame = pd.DataFrame({"name": ["<b>", None], "value": [1.23456, np.nan], "n": [3, 4]})
    text = table_html(frame, "caption & more", precision=2)
    assert "1.23" in text and "1.2346" not in text
    assert "&lt;b&gt;" in text and "<b>" not in text
    assert text.count("–") == 2 and "caption &amp; more" in text


# ----------------------------------------------------------------- case selection
def test_select_cases_takes_the_largest_and_splits_into_parts():
    cases = pd.DataFrame({"case_id": ["a", "b", "c", "d", "e"], "n_actors": [5, 9, 9, 0, 3],
                          "n_ties": [4, 10, 12, 0, 2]})
    top = select_cases(cases, 3, per_job=2)
    assert list(top["case_id"]) == ["c", "b", "a"]  # size, then ties
    assert list(top["part"]) == ["part001", "part001", "part002"]
    assert list(select_cases(cases, "all")["case_id"]) == ["c", "b", "a", "e"]  # no page without actors
    assert select_cases(cases, "none").empty and select_cases(cases, 0).empty
    assert parse_case_reports("ALL") is None and parse_case_reports("7") == 7
    for bad in ("some", -1, True, "1.5"):
        with pytest.raises(ValueError):
            parse_case_reports(bad)


def test_case_page_names_are_file_safe_and_distinct():
    ids = ["case01", "case 01", "case/01", "Ünï", "..", "a.b"]
    names = [case_page_name(i) for i in ids]
    assert names[0] == "case01" and names[-1] == "a.b"
    assert len(set(names)) == len(ids)
    assert all(n and "/" not in n and " " not in n and not n.startswith(".") for n in names)


# ----------------------------------------------------------------- the index
class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def test_index_links_every_page_and_case_page(tmp_path):
    reports = tmp_path / "reports"
    pages = [reports / f"{n}.html" for n in ("wave_w2", "wave_w10", "panel", "models", "extra_page")]
    selection = pd.DataFrame({"wave": ["w10", "w2", "w2"], "case_id": ["x y", "a", "b"], "n_actors": [3, 5, 4],
                              "n_ties": [2, 6, 3], "rank": [1, 1, 2], "part": ["part001"] * 3,
                              "page": [case_page_name("x y") + ".html", "a.html", "b.html"]})
    out = reports / "index.html"
    write_index(out, pages, title="t", selection=selection)
    parser = _Links()
    parser.feed(out.read_text(encoding="utf-8"))
    linked = {os.path.normpath(reports / h) for h in parser.hrefs}
    expected = {os.path.normpath(p) for p in pages}
    expected |= {os.path.normpath(reports / "cases" / r.wave / r.part / r.page) for r in selection.itertuples()}
    assert linked == expected
    assert len(parser.hrefs) == len(expected)
    text = out.read_text(encoding="utf-8")
    assert text.index("Wave w2") < text.index("Wave w10")  # natural order of waves


# ----------------------------------------------------------------- notebooks on a small results folder
def _outputs(ipynb: Path) -> list[dict]:
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


def test_notebooks_execute_on_a_small_results_folder(small_reports):
    r = small_reports
    pages = [*r.pages.items(), *(("case", p) for p in r.case_pages)]
    assert len(r.case_pages) == 2 * len(WAVES)
    for name, html_page in pages:
        ipynb = html_page.with_suffix(".ipynb")
        assert html_page.is_file() and ipynb.is_file(), name
        outputs = _outputs(ipynb)
        errors = [o for o in outputs if o["output_type"] == "error"
                  or (o["output_type"] == "stream" and o.get("name") == "stderr")]
        assert not errors, f"{name}: {errors[:1]}"
        images = sum("image/png" in o.get("data", {}) for o in outputs)
        kind = "wave" if name.startswith("wave_") else name
        assert images >= MIN_FIGURES[kind], f"{name}: {images} figures"
        nb = json.loads(ipynb.read_text(encoding="utf-8"))
        assert nb["metadata"]["papermill"]["parameters"]  # run by papermill with parameters
        assert any("parameters" in c["metadata"].get("tags", []) for c in nb["cells"])
    # the key figures are saved for the Snakemake report
    assert {p.name for p in (r.reports / "figures" / "phases").iterdir()} >= {
        "phase_shares.png", "phase_rates.png", "implementation_test_share.png", "implementation_test_rate.png",
        "implementation_test.html"}
    assert (r.reports / "figures" / f"wave_{WAVES[0]}" / "rejected.png").is_file()
    # the models notebook names the table it did not find
    assert "models/fit.csv" in (r.reports / "models.html").read_text(encoding="utf-8")


def test_path_parameters_become_absolute_and_the_figures_folder_exists(tmp_path, monkeypatch):
    from netinnov.reports.execute import _absolute

    monkeypatch.chdir(tmp_path)
    params = _absolute({"figures_dir": "figs/a", "results_dir": "results/x", "dataset_dir": "", "wave": "w1"})
    assert params["figures_dir"] == str(tmp_path / "figs" / "a") and (tmp_path / "figs" / "a").is_dir()
    assert params["results_dir"] == str(tmp_path / "results" / "x")
    assert params["dataset_dir"] == "" and params["wave"] == "w1"
