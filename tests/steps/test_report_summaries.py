"""The numbers of the distributions, panel and roles reports are tables written
by a step (``netinnov report-summaries``): each checked here against a direct
computation, and the notebooks only read them."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import step_args
from helpers.paths import REPO
from netinnov.cli import main as netinnov
from netinnov.metrics.summaries import (
    OUTPUTS,
    SUMMARY_METRICS,
    WAVE_OUTPUTS,
    actor_counts,
    jaccard_summary,
    metric_summary,
    normalised_betweenness,
    role_presence,
    role_score_summary,
    stability_summary,
    transition_summary,
    turnover_summary,
)

SECTORS = ["citizen", "private", "public"]


def _actors(seed: int = 1, waves=("w1", "w2"), cases: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for w in waves:
        for c in range(cases):
            for a in range(int(rng.integers(3, 8))):
                reported = rng.choice(["", "convener", "facilitator;catalyst", "catalyst"])
                rows.append({"wave": w, "case_id": f"c{c}", "actor_id": f"a{a}", "sector": rng.choice(SECTORS),
                             "betweenness": float(rng.integers(0, 20)), "constraint": rng.random(),
                             "gf_total": float(rng.integers(0, 5)), "blau": rng.random() if a else np.nan,
                             "reported_roles": reported, "convener_score": rng.random(),
                             "facilitator_score": rng.random(), "catalyst_score": rng.random() if a else np.nan})
    return pd.DataFrame(rows)


def test_normalised_betweenness_divides_by_the_pairs_of_the_case():
    actors = _actors()
    got = normalised_betweenness(actors, directed=False)
    for i, row in actors.iterrows():
        n = ((actors["wave"] == row["wave"]) & (actors["case_id"] == row["case_id"])).sum()
        assert got[i] == pytest.approx(row["betweenness"] / ((n - 1) * (n - 2) / 2))


def test_metric_summary_is_median_quartiles_and_mean_per_metric_wave_and_group():
    actors = _actors(2)
    out = metric_summary(actors, ["constraint", "blau", "missing_metric"], group="sector")
    assert list(dict.fromkeys(out["metric"])) == ["constraint", "blau"]
    for metric in ("constraint", "blau"):
        for w in ("w1", "w2"):
            for s in SECTORS:
                values = actors.loc[(actors["wave"] == w) & (actors["sector"] == s), metric].dropna().to_numpy()
                row = out[(out["metric"] == metric) & (out["wave"] == w) & (out["sector"] == s)]
                if not len(values):
                    assert row.empty
                    continue
                assert row["n"].item() == len(values)
                assert row["median"].item() == pytest.approx(statistics.median(values))
                q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 \
                    else (values[0], None, values[0])
                assert row["q1"].item() == pytest.approx(q1)
                assert row["q3"].item() == pytest.approx(q3)
                assert row["mean"].item() == pytest.approx(sum(values) / len(values))


def test_actor_counts_are_the_rows_per_wave_and_group():
    actors = _actors(3)
    out = actor_counts(actors, group="sector", waves=["w2", "w1"])
    assert list(dict.fromkeys(out["wave"])) == ["w2", "w1"]
    expected = Counter(zip(actors["wave"], actors["sector"], strict=True))
    assert {(w, s): n for w, s, n in out[["wave", "sector", "actors"]].itertuples(index=False)} == dict(expected)


def test_turnover_sums_and_medians_per_wave_pair():
    change = pd.DataFrame({"case_id": ["a", "b", "c", "a"], "wave_from": ["w1", "w1", "w1", "w2"],
                           "wave_to": ["w2", "w2", "w2", "w3"], "n11": [3, 1, 0, 2], "n01": [1, 4, 2, 0],
                           "n10": [0, 2, 5, 1], "hamming": [1, 6, 7, 1], "jaccard": [0.75, 1 / 7, 0.0, 2 / 3],
                           "actors_joined": [1, 0, 2, 0], "actors_left": [0, 1, 1, 3]})
    out = turnover_summary(change, waves=["w1", "w2", "w3"]).set_index("waves")
    assert list(out.index) == ["w1→w2", "w2→w3"]
    first = out.loc["w1→w2"]
    assert (first["cases"], first["ties_kept"], first["ties_gained"], first["ties_lost"]) == (3, 4, 7, 7)
    assert (first["actors_joined"], first["actors_left"], first["flagged_cases"]) == (3, 2, 2)
    assert first["median_jaccard"] == pytest.approx(1 / 7) and first["median_hamming"] == 6
    assert out.loc["w2→w3", "flagged_cases"] == 0
    pooled = jaccard_summary(change).iloc[0]
    assert (pooled["pairs"], pooled["below_threshold"], pooled["threshold"]) == (4, 2, 0.3)
    assert pooled["median_jaccard"] == pytest.approx((1 / 7 + 2 / 3) / 2) and pooled["min_jaccard"] == 0
    assert jaccard_summary(pd.DataFrame()).iloc[0]["pairs"] == 0


def test_transition_summary_sums_each_kind_over_cases():
    transitions = pd.DataFrame({"case_id": ["a", "b", "a"], "wave_from": ["w1", "w1", "w2"], "wave_to": ["w2", "w2", "w3"],
                                "weak_to_strong": [1, 2, 0], "strong_to_weak": [0, 1, 4], "strong_kept": [5, 0, 1],
                                "weak_kept": [2, 2, 2]})
    out = transition_summary(transitions).set_index("waves")
    assert out.loc["w1→w2"].tolist() == [2, 3, 1, 5, 4] and out.loc["w2→w3"].tolist() == [1, 0, 4, 1, 2]


def test_stability_summary_is_the_median_over_cases_per_metric_and_wave_pair():
    rng = np.random.default_rng(4)
    rows = [{"case_id": f"c{c}", "wave_from": "w1", "wave_to": "w2", "metric": m,
             "spearman": np.nan if m == "constant" else rng.uniform(-1, 1), "n_actors": int(rng.integers(2, 9))}
            for m in ("degree", "constant") for c in range(5)]
    stability = pd.DataFrame(rows)
    out = stability_summary(stability).set_index("metric")
    degree = stability[stability["metric"] == "degree"]
    assert out.loc["degree", "waves"] == "w1→w2" and out.loc["degree", "cases"] == 5
    assert out.loc["degree", "median_spearman"] == pytest.approx(statistics.median(degree["spearman"]))
    assert out.loc["degree", "median_actors"] == statistics.median(degree["n_actors"])
    assert np.isnan(out.loc["constant", "median_spearman"])


def test_role_scores_per_role_report_and_wave():
    actors = _actors(5)
    out = role_score_summary(actors)
    for role in ("convener", "facilitator", "catalyst"):
        for w in ("w1", "w2"):
            part = actors[actors["wave"] == w]
            groups = {"reported this role": [], "reported another role": [], "no reported role": []}
            for reported, score in zip(part["reported_roles"], part[f"{role}_score"], strict=True):
                roles = [r for r in reported.split(";") if r]
                key = "reported this role" if role in roles else "reported another role" if roles \
                    else "no reported role"
                groups[key].append(score)
            for key, scores in groups.items():
                row = out[(out["role"] == role) & (out["wave"] == w) & (out["report"] == key)]
                if not scores:
                    assert row.empty
                    continue
                assert row["actors"].item() == len(scores)
                known = [s for s in scores if not np.isnan(s)]
                assert row["median"].item() == pytest.approx(statistics.median(known))
                assert row["mean"].item() == pytest.approx(sum(known) / len(known))


def test_role_presence_counts_cases_with_the_role():
    cases = pd.DataFrame({"wave": ["w1"] * 4 + ["w2"] * 2, "case_id": list("abcdab"),
                          "convener_present": [1, 0, 1, np.nan, 0, 0], "convener_inferred": [1, 1, 0, np.nan, 0, 1]})
    out = role_presence(cases).set_index("wave")
    w1 = out.loc["w1"]
    assert (w1["role"], w1["n_cases"], w1["reported"], w1["inferred"], w1["both"]) == ("convener", 3, 2, 2, 1)
    assert w1["reported_share"] == pytest.approx(2 / 3) and w1["both_share"] == pytest.approx(1 / 3)
    assert out.loc["w2", "inferred"] == 1 and out.loc["w2", "reported_share"] == 0


def test_empty_inputs_give_empty_tables_with_their_columns():
    assert list(metric_summary(pd.DataFrame({"wave": []}), SUMMARY_METRICS).columns)[:4] == ["metric", "wave",
                                                                                             "sector", "n"]
    assert actor_counts(pd.DataFrame({"wave": []})).empty
    assert "median_spearman" in stability_summary(pd.DataFrame()).columns
    assert role_presence(pd.DataFrame({"wave": []})).empty and "both_share" in role_presence(pd.DataFrame()).columns
    assert role_score_summary(pd.DataFrame({"wave": []})).empty


def test_command_writes_every_table(tmp_path: Path):
    results = tmp_path / "results"
    actors = _actors(6)
    for w, part in actors.groupby("wave"):
        folder = results / "waves" / str(w)
        folder.mkdir(parents=True)
        part.drop(columns="wave").to_csv(folder / "actors.csv", index=False)
        pd.DataFrame({"case_id": ["c0", "c1"], "convener_present": [1, 0], "convener_inferred": [1, 1]}) \
            .to_csv(folder / "cases.csv", index=False)
    (results / "panel").mkdir()
    pd.DataFrame({"case_id": ["c0"], "wave_from": ["w1"], "wave_to": ["w2"], "n11": [1], "n01": [0], "n10": [2],
                  "hamming": [2], "jaccard": [1 / 3]}).to_csv(results / "panel" / "change.csv", index=False)
    assert netinnov(step_args.report_summaries(results, ["w1", "w2"])) == 0
    for name, file in OUTPUTS.items():
        assert (results / "panel" / file).is_file(), name
    written = pd.read_csv(results / "panel" / "metric_summary.csv")
    assert set(written["wave"]) == {"w1", "w2"} and "betweenness_normalised" in set(written["metric"])
    assert pd.read_csv(results / "panel" / "turnover.csv")["ties_lost"].tolist() == [2]
    assert netinnov(step_args.report_summaries(tmp_path / "missing", ["w1"])) == 2


#: What a notebook would call to compute one of these tables itself.
COMPUTING = ("metric_summary(", "turnover_summary(", "turnover_sentence(", "transition_summary(", "role_presence(", ".groupby(", ".agg(",
             ".median(", ".describe(")


@pytest.mark.parametrize("name", ["distributions", "panel", "roles"])
def test_the_notebooks_read_the_tables_instead_of_computing_them(name):
    nb = json.loads((REPO / "workflow" / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert not [c for c in COMPUTING if re.search(r"(?<!\w)" + re.escape(c), code)]
    assert "report-summaries" in code


# ------------------------------------------------------- the wave overview
def _wave(folder: Path) -> None:
    folder.mkdir(parents=True)
    pd.DataFrame({"case_id": ["a", "b", "c"], "n_actors": [3, 0, 5], "n_ties": [2, 0, 0],
                  "density": [2 / 3, np.nan, 0.0], "sector_blau": [0.5, 0.1, 0.3]}).to_csv(folder / "cases.csv",
                                                                                        index=False)
    pd.DataFrame({"case_id": ["a", "a", "a", "c", "c", "c", "c", "c"],
                  "actor_id": ["x", "y", "z", "x", "p", "q", "r", "s"],
                  "sector": ["public", None, "private", "public", "citizen", None, None, "public"],
                  "degree": [1, 2, 1, 0, 0, 0, 0, 0]}).to_csv(folder / "actors.csv", index=False)
    pd.DataFrame({"case_id": ["a", "a"], "source": ["x", "y"], "target": ["y", "z"],
                  "closeness": [3, np.nan]}).to_csv(folder / "ties.csv", index=False)
    pd.DataFrame({"file": ["i.csv", "i.csv", "a.csv"], "line": [2, 3, 4],
                  "reason": ["bad date", "bad date", "no id"]}).to_csv(folder / "rejected.csv", index=False)
    pd.DataFrame({"case_id": ["a", "c", "a", "c"], "test": ["perm", "perm", "cond", "cond"],
                  "p_value": [0.01, 0.2, 0.04, np.nan], "q_value": [0.02, 0.2, 0.08, np.nan]}) \
        .to_csv(folder / "mixing_tests.csv", index=False)


def test_wave_summaries_count_and_describe_the_wave(tmp_path: Path):
    folder = tmp_path / "waves" / "w1"
    _wave(folder)
    assert netinnov(step_args.wave_summaries(folder)) == 0
    read = {name: pd.read_csv(folder / file, keep_default_na=False, na_values=[""])
            for name, file in WAVE_OUTPUTS.items()}
    assert read["wave_counts"].iloc[0].tolist() == [3, 7, 8, 2]  # cases, distinct actors, memberships, ties
    checks = read["quality_checks"].set_index("check")
    assert checks.loc["actors without sector", ["count", "out_of"]].tolist() == [3, 8]
    assert checks.loc["isolates (actors without a tie in their case)", "count"] == 5
    assert checks.loc["cases with outcomes but no network", "count"] == 1
    assert checks.loc["cases whose network has no tie", "count"] == 1  # case c: 5 actors, no tie
    assert checks.loc["ties without a closeness rating", "share"] == pytest.approx(0.5)
    measures = read["case_measures"].set_index("measure")
    assert list(measures.index) == ["n_actors", "n_ties", "density", "sector_blau"]
    blau = [0.5, 0.1, 0.3]
    assert measures.loc["sector_blau", "mean"] == pytest.approx(statistics.mean(blau))
    assert measures.loc["sector_blau", "std"] == pytest.approx(statistics.stdev(blau))
    assert measures.loc["sector_blau", "median"] == pytest.approx(0.3)
    assert measures.loc["density", "count"] == 2 and measures.loc["density", "q3"] == pytest.approx(0.5)
    mixing = read["mixing_summary"].set_index("test")
    assert mixing.loc["perm"].tolist() == [2, 0.05, 1, 1] and mixing.loc["cond"].tolist() == [1, 0.05, 1, 0]
    assert read["rejected_counts"].values.tolist() == [["a.csv", "no id", 1], ["i.csv", "bad date", 2]]
    assert netinnov(step_args.wave_summaries(tmp_path / "missing")) == 2


def test_the_wave_overview_reads_its_numbers():
    nb = json.loads((REPO / "workflow" / "notebooks" / "wave_overview.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert not [c for c in (*COMPUTING, "quality_checks(", "mixing_summary(", ".nunique(")
                if re.search(r"(?<!\w)" + re.escape(c), code)]
    assert "wave-summaries" in code


def test_wave_summaries_write_where_the_rule_says(tmp_path: Path):
    """Rules own the paths: each table goes to its --out-<name> path, wherever that is."""
    folder = tmp_path / "waves" / "w1"
    _wave(folder)
    args = step_args.wave_summaries(folder)
    elsewhere = tmp_path / "elsewhere"
    moved = [str(elsewhere / Path(a).name) if a.startswith(str(folder)) and args[i - 1].startswith("--out-") else a
             for i, a in enumerate(args)]
    assert netinnov(moved) == 0
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(WAVE_OUTPUTS.values())
    assert not [f for f in WAVE_OUTPUTS.values() if (folder / f).exists()]
    # every table is required: leaving one out is a usage error
    with pytest.raises(SystemExit):
        netinnov([a for i, a in enumerate(args) if "--out-case-counts" not in (a, args[i - 1])])
