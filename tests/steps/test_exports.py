"""Exports for RSiena / statnet: read back with numpy, pandas and networkx and
compared with the networks of ties.csv / actors.csv (and the GraphML files)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from helpers import step_args
from netinnov.contract import case_file_name
from netinnov.io.result_tables import read_table, write_table
from netinnov.steps.exports import ABSENT, composition_lines, presence_intervals, run_exports

WAVES = ["w1", "w2", "w3"]


def _export(results: Path, waves: list[str], **keywords):
    """run_exports on a results folder laid out as the rules lay it out (default out: its exports/)."""
    return run_exports(waves=waves, **step_args.export_paths(results, waves),
                       **{"out": Path(results) / "exports", **keywords})


# ----------------------------------------------------------------- hand-made tables
def _write_tables(root, seed: int, directed: bool) -> None:
    """Three waves; case ``c/1`` changes composition, ``skip`` is absent from w2."""
    rng = np.random.default_rng(seed)
    pool = [f"p{i:02d}" for i in range(25)]
    sectors = dict(zip(pool, rng.choice(["public", "private", "civil society"], len(pool)), strict=True))
    rosters = {
        "w1": {"c/1": pool[0:10], "skip": pool[20:25]},
        "w2": {"c/1": pool[2:12], "d": pool[12:16]},
        "w3": {"c/1": pool[0:4] + pool[8:14], "d": pool[12:17], "skip": pool[20:24]},
    }
    for w in WAVES:
        actors, ties = [], []
        for case, ids in rosters[w].items():
            for a in ids:
                actors.append({"case_id": case, "actor_id": a, "sector": sectors[a],
                               "degree": int(rng.integers(0, 5)), "betweenness": float(rng.exponential())})
            pairs = itertools.permutations(ids, 2) if directed else itertools.combinations(sorted(ids), 2)
            for s, t in pairs:
                if rng.random() < 0.3:
                    ties.append({"case_id": case, "source": s, "target": t, "weight": float(rng.integers(1, 9)) / 3})
        write_table(pd.DataFrame(actors), root / "waves" / w / "actors.csv")
        write_table(pd.DataFrame(ties, columns=["case_id", "source", "target", "weight"]),
                    root / "waves" / w / "ties.csv")


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _check_case(out, case, actors, ties, *, directed, constants=("sector",)):
    """Every file of one case's export against the tables, cell by cell."""
    folder = out / case_file_name(case)
    waves = [w for w in WAVES if case in set(actors[w].case_id)]
    assert _lines(folder / "waves.txt") == waves
    ids = sorted(set().union(*(set(actors[w].loc[actors[w].case_id == case, "actor_id"]) for w in waves)))
    assert _lines(folder / "actors.txt") == ids
    n = len(ids)
    present = {w: set(actors[w].loc[actors[w].case_id == case, "actor_id"]) for w in waves}
    # non-respondents (actors.csv `responded`): a dyad of two of them without a tie is unobserved (NA)
    silent = {w: set(actors[w].loc[(actors[w].case_id == case)
                                   & actors[w].get("responded", pd.Series(True, index=actors[w].index))
                                   .astype(str).str.lower().isin(["false", "0"]), "actor_id"]) for w in waves}
    for w in waves:
        t = ties[w][ties[w].case_id == case]
        arcs = set(zip(t.source, t.target, strict=True))
        if not directed:
            arcs |= {(b, a) for a, b in arcs}
        want = np.zeros((n, n), dtype=float)
        for i, j in itertools.product(range(n), range(n)):
            if i == j:
                continue
            if ids[i] not in present[w] or ids[j] not in present[w]:
                want[i, j] = ABSENT
            elif (ids[i], ids[j]) in arcs:
                want[i, j] = 1
            elif ids[i] in silent[w] and ids[j] in silent[w]:
                want[i, j] = np.nan
        got = pd.read_csv(folder / f"network_{w}.txt", sep=" ", header=None, na_values=["NA"],
                          keep_default_na=False).to_numpy(dtype=float)
        np.testing.assert_array_equal(got, want)

        # Pajek: exactly the wave's case network, weights included
        g = nx.read_pajek(folder / f"network_{w}.net")
        assert set(g.nodes) == present[w]
        simple = nx.DiGraph(g) if directed else nx.Graph(g)
        assert simple.number_of_edges() == g.number_of_edges() == len(t)
        for row in t.itertuples():
            assert simple[row.source][row.target]["weight"] == row.weight

    got = np.loadtxt(folder / "presence.txt", dtype=int, ndmin=2)
    np.testing.assert_array_equal(got, [[int(a in present[w]) for w in waves] for a in ids])

    # composition: closed intervals of observations with the actor present
    for actor, line in zip(ids, _lines(folder / "composition.txt"), strict=True):
        obs = [k + 1 for k, w in enumerate(waves) if actor in present[w]]
        runs = []
        for k in obs:
            if runs and runs[-1][1] == k - 1:
                runs[-1][1] = k
            else:
                runs.append([k, k])
        assert [int(x) for x in line.split()] == [x for r in runs for x in r]

    # changing covariates: n × W, NA where absent
    for metric in ("degree", "betweenness"):
        got = pd.read_csv(folder / f"changing_{metric}.txt", sep=" ", header=None, na_values="NA").to_numpy()
        assert got.shape == (n, len(waves))
        for (i, a), (k, w) in itertools.product(enumerate(ids), enumerate(waves)):
            rows = actors[w][(actors[w].case_id == case) & (actors[w].actor_id == a)]
            if len(rows):
                assert got[i, k] == pytest.approx(float(rows[metric].iloc[0]), rel=1e-15)
            else:
                assert np.isnan(got[i, k])

    # constant covariates: one row per actor; text coded by the legend
    cov = pd.read_csv(folder / "constant_covariates.txt", sep=" ", na_values="NA")
    assert list(cov.columns) == list(constants) and len(cov) == n
    legend = read_table(folder / "codes.csv")
    sector_of = pd.concat(actors.values()).drop_duplicates("actor_id").set_index("actor_id")["sector"]
    codes = legend[legend.covariate == "sector"].set_index("code")["label"]
    assert [codes[c] for c in cov["sector"]] == [sector_of[a] for a in ids]
    assert list(codes) == sorted(codes)  # codes follow the sorted labels, the same in every case


@pytest.mark.parametrize("directed", [False, True])
def test_exports_read_back_equal_the_tables(tmp_path, directed):
    _write_tables(tmp_path, seed=4 + directed, directed=directed)
    index = _export(tmp_path, WAVES, options={"directed": directed}, attributes=["sector"])
    actors = {w: read_table(tmp_path / "waves" / w / "actors.csv") for w in WAVES}
    ties = {w: read_table(tmp_path / "waves" / w / "ties.csv") for w in WAVES}
    assert list(index.case_id) == ["c/1", "d", "skip"]
    assert dict(zip(index.case_id, index.waves, strict=True)) == {"c/1": "w1 w2 w3", "d": "w2 w3", "skip": "w1 w3"}
    assert read_table(tmp_path / "exports" / "cases.csv")["folder"].tolist() == [case_file_name("c/1"), "d", "skip"]
    for case in index.case_id:
        _check_case(tmp_path / "exports", case, actors, ties, directed=directed)


def test_large_cases_get_no_dense_matrix(tmp_path):
    _write_tables(tmp_path, seed=1, directed=False)
    index = _export(tmp_path, WAVES, options={}, attributes=["sector"], max_dense_actors=5)
    assert dict(zip(index.case_id, index.dense, strict=True)) == {"c/1": False, "d": True, "skip": True}
    assert not list((tmp_path / "exports" / case_file_name("c/1")).glob("network_*.txt"))
    assert len(list((tmp_path / "exports" / case_file_name("c/1")).glob("network_*.net"))) == 3


def test_a_rerun_replaces_the_previous_exports(tmp_path):
    _write_tables(tmp_path, seed=2, directed=False)
    _export(tmp_path, WAVES, options={}, attributes=["sector"])
    _export(tmp_path, WAVES[:1], options={}, attributes=["sector"])
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == sorted([case_file_name("c/1"), "cases.csv", "skip"])


def test_presence_intervals_and_composition_lines():
    present = np.array([[1, 1, 1], [0, 1, 1], [1, 0, 1], [1, 0, 0], [0, 1, 0]], dtype=bool)
    start, end = presence_intervals(present)
    assert start.sum(axis=1).tolist() == [1, 1, 2, 1, 1]
    assert end.sum(axis=1).tolist() == [1, 1, 2, 1, 1]
    assert composition_lines(present) == ["1 3", "2 3", "1 1 3 3", "1 1", "2 2"]


# ----------------------------------------------------------------- tables made by the pipeline
@pytest.fixture(scope="module")
def pipeline_tables(tmp_path_factory):
    """Three waves of a small simulated dataset, validated and tabled in-process."""
    from netinnov.config import load_config
    from netinnov.io import validate_wave, write_validated
    from netinnov.simulate import simulate_dataset
    from netinnov.steps.wave_tables import run_wave

    root = tmp_path_factory.mktemp("exports")
    simulate_dataset(root / "ds", n_cases=3, n_waves=3, min_actors=6, max_actors=10, seed=3, directed=True)
    from netinnov.config import default_schema_path

    options = load_config(default_schema_path().parents[2] / "config" / "config.yaml",
                          {"dataset": str(root / "ds"), "ei_permutations": 9, "directed": True})
    results = root / "results"
    previous = None
    for w in WAVES:
        out = results / "waves" / w
        write_validated(validate_wave(root / "ds", w, directed=True), out)
        run_wave(out, w, previous_dir=previous and results / "waves" / previous, previous_wave=previous,
                 options=options)
        previous = w
    return results


def test_pipeline_exports_match_ties_actors_and_graphml(pipeline_tables, tmp_path):
    results = tmp_path / "results"
    shutil.copytree(pipeline_tables, results)
    index = _export(results, WAVES, options={"directed": True})
    actors = {w: read_table(results / "waves" / w / "actors.csv") for w in WAVES}
    ties = {w: read_table(results / "waves" / w / "ties.csv") for w in WAVES}
    constants = ["sector", "organization", "command_rank_score", "seniority_years"]
    for case in index.case_id:
        _check_case(results / "exports", case, actors, ties, directed=True, constants=constants)
        folder = results / "exports" / case_file_name(case)
        for w in _lines(folder / "waves.txt"):
            graph = nx.read_graphml(results / "waves" / w / "networks" / f"{case_file_name(case)}.graphml")
            pajek = nx.DiGraph(nx.read_pajek(folder / f"network_{w}.net"))
            assert set(pajek.nodes) == set(graph.nodes)
            assert set(pajek.edges) == set(graph.edges)
            for s, t, data in graph.edges(data=True):
                assert pajek[s][t]["weight"] == data["weight"]
        # numeric constant covariates are the attributes of actors.csv
        cov = pd.read_csv(folder / "constant_covariates.txt", sep=" ", na_values="NA")
        ids = _lines(folder / "actors.txt")
        first = pd.concat(actors.values()).drop_duplicates("actor_id").set_index("actor_id")
        np.testing.assert_allclose(cov["command_rank_score"], first.loc[ids, "command_rank_score"])


def test_coattendance_is_its_own_dyadic_covariate_not_a_choice(tmp_path):
    """Rows resting on co-attendance only (``coattendance: merge``) stay out of the RSiena
    choice network; the shared events are written as ``coattendance_<wave>.txt`` (issue 12)."""
    _write_tables(tmp_path, 7, directed=False)
    ties = read_table(tmp_path / "waves" / "w1" / "ties.csv").assign(layer="interaction")
    case = ties[ties.case_id == "c/1"]
    ids = sorted(set(read_table(tmp_path / "waves" / "w1" / "actors.csv").query("case_id == 'c/1'").actor_id))
    tied = set(zip(case.source, case.target, strict=True))
    extra = [(a, b) for a, b in itertools.combinations(ids, 2) if (a, b) not in tied][:3]
    co_only = pd.DataFrame({"case_id": "c/1", "source": [a for a, _ in extra], "target": [b for _, b in extra],
                            "weight": 1.0, "layer": "coattendance"})
    write_table(pd.concat([ties, co_only], ignore_index=True), tmp_path / "waves" / "w1" / "ties.csv")
    a, b = case.iloc[0].source, case.iloc[0].target
    pairs = pd.DataFrame({"case_id": "c/1", "source": [a, *co_only.source], "target": [b, *co_only.target],
                          "shared_events": [2, 1, 3, 4], "coparticipation": [2.0, 1.0, 3.0, 4.0]})
    write_table(pairs, tmp_path / "waves" / "w1" / "coattendance.csv")
    out = tmp_path / "exports"
    _export(tmp_path, WAVES, out=out, options={"directed": False})
    folder = out / case_file_name("c/1")
    all_ids = _lines(folder / "actors.txt")
    net = np.loadtxt(folder / "network_w1.txt", dtype=int)
    co = np.loadtxt(folder / "coattendance_w1.txt", dtype=int)
    for s, t in extra:  # co-attendance only: no choice, but a covariate value
        i, j = all_ids.index(s), all_ids.index(t)
        assert net[i, j] == net[j, i] == 0
    want = np.zeros_like(co)
    for row in pairs.itertuples():
        i, j = all_ids.index(row.source), all_ids.index(row.target)
        want[i, j] = want[j, i] = row.shared_events
    np.testing.assert_array_equal(co, want)
    assert net[all_ids.index(a), all_ids.index(b)] == 1
    assert not (folder / "coattendance_w2.txt").exists()  # no co-attendance table in w2


def test_a_tie_off_the_roster_is_an_error(tmp_path):
    _write_tables(tmp_path, seed=3, directed=False)
    path = tmp_path / "waves" / "w2" / "ties.csv"
    ties = read_table(path)
    ties.loc[0, "target"] = "p24"  # on no roster of w2
    write_table(ties, path)
    with pytest.raises(ValueError, match="wave w2"):
        _export(tmp_path, WAVES, options={}, attributes=["sector"])
