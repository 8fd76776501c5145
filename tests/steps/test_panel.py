"""Change between waves: stability of positions against scipy.stats.spearmanr,
tie-class transitions against a brute-force walk over all dyads, and the
panel tables written by run_panel."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from helpers.paths import panel_paths
from netinnov.io.result_tables import read_table, write_table
from netinnov.metrics.change import TRANSITION_COLUMNS, tie_change, tie_class_transitions
from netinnov.metrics.stability import STABILITY_COLUMNS, metric_columns, position_stability
from netinnov.steps.panel import run_panel


# ----------------------------------------------------------------- helpers
def _roster(rng, case, pool, size):
    return list(rng.choice(pool, size=size, replace=False))


def _actors(rng, rosters: dict[str, list[str]]) -> pd.DataFrame:
    rows = []
    for case, ids in rosters.items():
        for a in ids:
            rows.append({"case_id": case, "actor_id": a})
    f = pd.DataFrame(rows)
    n = len(f)
    f["degree"] = rng.integers(0, 4, n)  # many ties in the ranks
    f["betweenness"] = rng.exponential(1.0, n)
    f["constraint"] = np.where(rng.random(n) < 0.2, np.nan, rng.random(n))  # isolates give NaN
    f["flat"] = 1.0  # constant: no correlation
    f["sector"] = rng.choice(["public", "private"], n)  # text: not a metric
    f["local_flag"] = rng.random(n) < 0.5  # boolean: not a metric
    return f


def _ties(rng, rosters: dict[str, list[str]], p: float, directed: bool) -> pd.DataFrame:
    rows = []
    for case, ids in rosters.items():
        pairs = itertools.permutations(sorted(ids), 2) if directed else itertools.combinations(sorted(ids), 2)
        for a, b in pairs:
            if rng.random() < p:
                s, t = (a, b) if directed or rng.random() < 0.5 else (b, a)  # either orientation when undirected
                rows.append((case, s, t, rng.choice(["strong", "weak", None], p=[0.45, 0.45, 0.1])))
    return pd.DataFrame(rows, columns=["case_id", "source", "target", "tie_class"])


def _two_waves(seed: int, directed: bool):
    rng = np.random.default_rng(seed)
    pool = np.array([f"a{i:02d}" for i in range(30)], dtype=object)
    r1 = {"c1": _roster(rng, "c1", pool, 12), "c2": _roster(rng, "c2", pool, 9), "c3": ["a00", "a01"],
          "gone": ["a05", "a06", "a07"]}
    r2 = {"c1": r1["c1"][3:] + _roster(rng, "c1", np.setdiff1d(pool, r1["c1"]), 4),
          "c2": r1["c2"], "c3": ["a00", "a01", "a02"], "new": ["a10", "a11"]}
    return (_actors(rng, r1), _actors(rng, r2), _ties(rng, r1, 0.3, directed), _ties(rng, r2, 0.35, directed))


# ----------------------------------------------------------------- stability
@pytest.mark.parametrize("seed", range(5))
def test_stability_matches_scipy_spearmanr_per_case_and_metric(seed):
    a1, a2, _, _ = _two_waves(seed, directed=False)
    out = position_stability(a1, a2, wave_from="w1", wave_to="w2")
    assert list(out.columns) == STABILITY_COLUMNS
    assert set(out["metric"]) == {"degree", "betweenness", "constraint", "flat"}
    assert set(out["case_id"]) == {"c1", "c2", "c3"}  # cases in both waves only
    assert (out["wave_from"] == "w1").all() and (out["wave_to"] == "w2").all()
    for row in out.itertuples():
        x = a1[a1.case_id == row.case_id].set_index("actor_id")[row.metric]
        y = a2[a2.case_id == row.case_id].set_index("actor_id")[row.metric]
        common = [a for a in x.index if a in y.index and not np.isnan(x[a]) and not np.isnan(y[a])]
        assert row.n_actors == len(common)
        xs, ys = x[common].to_numpy(), y[common].to_numpy()
        if len(common) < 3 or np.all(xs == xs[0]) or np.all(ys == ys[0]):
            assert np.isnan(row.spearman), (row.case_id, row.metric)
        else:
            assert row.spearman == pytest.approx(spearmanr(xs, ys).statistic, abs=1e-12)


def test_stability_of_identical_and_reversed_rankings():
    a = pd.DataFrame({"case_id": "c", "actor_id": list("abcde"), "degree": [1, 2, 2, 4, 5]})
    same = position_stability(a, a, wave_from="1", wave_to="2")
    assert same.loc[0, "spearman"] == pytest.approx(1.0)
    reversed_ = a.assign(degree=-a["degree"])
    assert position_stability(a, reversed_, wave_from="1", wave_to="2").loc[0, "spearman"] == pytest.approx(-1.0)


def test_stability_with_no_common_actor_gives_nan_and_zero_count():
    a = pd.DataFrame({"case_id": "c", "actor_id": ["a", "b", "c"], "degree": [1, 2, 3]})
    b = pd.DataFrame({"case_id": "c", "actor_id": ["x", "y", "z"], "degree": [1, 2, 3]})
    out = position_stability(a, b, wave_from="1", wave_to="2")
    assert out.loc[0, "n_actors"] == 0 and np.isnan(out.loc[0, "spearman"])


def test_metric_columns_are_numeric_non_boolean_and_shared():
    a1, a2, _, _ = _two_waves(0, directed=False)
    assert metric_columns(a1, a2.drop(columns=["betweenness"])) == ["degree", "constraint", "flat"]


# ----------------------------------------------------------------- tie classes
def _brute_transitions(t1, t2, r1, r2, case, directed):
    common = set(r1[r1.case_id == case].actor_id) & set(r2[r2.case_id == case].actor_id)

    def state(t):
        out = {}
        for row in t[t.case_id == case].itertuples():
            key = (row.source, row.target) if directed else tuple(sorted((row.source, row.target)))
            out[key] = row.tie_class if isinstance(row.tie_class, str) else "?"
        return out

    s1, s2 = state(t1), state(t2)
    pairs = itertools.permutations(sorted(common), 2) if directed else itertools.combinations(sorted(common), 2)
    n = dict.fromkeys(TRANSITION_COLUMNS[3:], 0)
    for p in pairs:
        a, b = s1.get(p), s2.get(p)
        if a and b:
            name = {("weak", "strong"): "weak_to_strong", ("strong", "weak"): "strong_to_weak",
                    ("strong", "strong"): "strong_kept", ("weak", "weak"): "weak_kept"}.get((a, b))
            if name:
                n[name] += 1
        elif b:
            n["formed"] += 1
            if b in ("strong", "weak"):
                n[f"formed_{b}"] += 1
        elif a:
            n["dissolved"] += 1
            if a in ("strong", "weak"):
                n[f"dissolved_{a}"] += 1
    return n


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("directed", [False, True])
def test_tie_class_transitions_match_brute_force(seed, directed):
    a1, a2, t1, t2 = _two_waves(seed, directed)
    out = tie_class_transitions(t1, t2, a1, a2, directed=directed, wave_from="w1", wave_to="w2")
    assert list(out.columns) == TRANSITION_COLUMNS
    assert list(out.case_id) == ["c1", "c2", "c3"]
    for row in out.to_dict("records"):
        want = _brute_transitions(t1, t2, a1, a2, row["case_id"], directed)
        assert {k: row[k] for k in want} == want, row["case_id"]
    # formed and dissolved are the n01 and n10 of the dyad census
    change = tie_change(t1, t2, a1, a2, directed=directed, wave_from="w1", wave_to="w2").set_index("case_id")
    by_case = out.set_index("case_id")
    assert (by_case["formed"] == change["n01"]).all() and (by_case["dissolved"] == change["n10"]).all()
    kept = by_case[["weak_to_strong", "strong_to_weak", "strong_kept", "weak_kept"]].sum(axis=1)
    assert (kept <= change["n11"]).all()


def test_tie_class_transitions_without_ties():
    r = pd.DataFrame({"case_id": ["c", "c"], "actor_id": ["a", "b"]})
    empty = pd.DataFrame(columns=["case_id", "source", "target", "tie_class"])
    out = tie_class_transitions(empty, empty, r, r, directed=False, wave_from="1", wave_to="2")
    assert out.loc[0, TRANSITION_COLUMNS[3:]].sum() == 0


# ----------------------------------------------------------------- run_panel
def test_run_panel_writes_every_table_for_each_pair_of_waves(tmp_path):
    waves = ["w1", "w2", "w3"]
    rng = np.random.default_rng(7)
    for i, w in enumerate(waves):
        a1, a2, t1, t2 = _two_waves(10 + i, directed=False)
        d = tmp_path / "waves" / w
        write_table(a1.drop(columns=["local_flag"]), d / "actors.csv")
        write_table(t1.assign(weight=rng.integers(1, 5, len(t1)).astype(float)), d / "ties.csv")
        write_table(pd.DataFrame({"case_id": sorted(a1.case_id.unique())}), d / "cases.csv")
    run_panel(**panel_paths(tmp_path, waves), options={"directed": False})
    panel = tmp_path / "panel"
    stability = read_table(panel / "stability.csv")
    transitions = read_table(panel / "tie_transitions.csv")
    change = read_table(panel / "change.csv")
    assert list(stability.columns) == STABILITY_COLUMNS
    assert list(transitions.columns) == TRANSITION_COLUMNS
    for table in (stability, transitions, change):
        assert set(zip(table.wave_from, table.wave_to, strict=True)) == {("w1", "w2"), ("w2", "w3")}
    assert (transitions[["formed", "dissolved"]].to_numpy() == change[["n01", "n10"]].to_numpy()).all()
    actors = read_table(panel / "actors.csv")
    assert actors.columns[0] == "wave" and list(actors.wave.unique()) == waves


def test_run_panel_with_one_wave_writes_empty_change_tables(tmp_path):
    a1, _, t1, _ = _two_waves(0, directed=False)
    d = tmp_path / "waves" / "w1"
    write_table(a1, d / "actors.csv")
    write_table(t1, d / "ties.csv")
    write_table(pd.DataFrame({"case_id": ["c1"]}), d / "cases.csv")
    run_panel(**panel_paths(tmp_path, ["w1"]), options={})
    for name, columns in (("stability", STABILITY_COLUMNS), ("tie_transitions", TRANSITION_COLUMNS)):
        table = pd.read_csv(tmp_path / "panel" / f"{name}.csv")
        assert list(table.columns) == columns and len(table) == 0
