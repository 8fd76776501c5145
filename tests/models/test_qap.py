"""MRQAP: designs against brute-force loops, estimates against lstsq and
statsmodels, permutation distributions against refits one by one, and the
size and power of the tests on simulated networks."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netinnov.models.qap import (
    QAP_COLUMNS,
    draw_permutations,
    dyadic_design,
    fit_qap_models,
    matrix_design,
    netlm,
    netlogit,
    previous_wave_matrix,
    stack_designs,
)
from netinnov.models.spec import ModelConfigError, parse_dyadic_models
from netinnov.networks import CaseNetwork
from netinnov.steps.qap import run_qap

SPEC_COLUMNS = ["model", "case_id", "term", "estimate", "p_value", "n_dyads", "n_permutations", "null_hypothesis"]


def _network(n: int, p: float, *, directed: bool, seed: int, case_id: str = "c") -> CaseNetwork:
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    g = nx.relabel_nodes(g, {v: f"a{v:03d}" for v in g.nodes})
    for v in g.nodes:
        g.nodes[v]["sector"] = str(rng.choice(["public", "private", "civil"]))
        g.nodes[v]["rank"] = float(rng.integers(1, 6))
    for u, v in g.edges:
        g.edges[u, v]["weight"] = float(rng.integers(1, 4))
    return CaseNetwork.from_networkx(g, case_id=case_id)


def _brute_dyads(net, attrs, cov, *, field=None):
    """Every usable dyad by a double loop: {(actor_i, actor_j): (y, row)}."""
    actors = list(net.actors)
    index = {a: k for k, a in enumerate(actors)}
    y_mat = net.matrix(field).toarray() if field else net.adjacency.toarray()
    out = {}
    for a in actors:
        for b in actors:
            if a == b or (not net.directed and index[a] > index[b]):
                continue
            sa, sb = attrs.loc[a, "sector"], attrs.loc[b, "sector"]
            ra, rb = attrs.loc[a, "score"], attrs.loc[b, "score"]
            if pd.isna(sa) or pd.isna(sb) or pd.isna(ra) or pd.isna(rb):
                continue
            row = [1.0, float(sa == sb), abs(ra - rb), ra + rb, cov[index[a], index[b]]]
            out[(a, b)] = (y_mat[index[a], index[b]], row)
    return out


@pytest.mark.parametrize("directed", [True, False])
def test_design_matches_a_double_loop(directed):
    net = _network(14, 0.25, directed=directed, seed=3)
    rng = np.random.default_rng(4)
    attrs = pd.DataFrame({"sector": net.group_names, "score": rng.normal(size=net.n)}, index=net.actors)
    attrs.iloc[2, 0] = None  # unknown sector: actor 2 leaves every dyad
    attrs.iloc[5, 1] = np.nan
    cov = rng.normal(size=(net.n, net.n))
    terms = ["nodematch(sector)", "absdiff(score)", "nodecov(score)", "edgecov(prev)"]
    design = dyadic_design(net, terms, attrs, relation="weight", edgecov={"prev": cov})
    y, X, names, n_dropped = design
    assert names == ["Intercept", *terms]
    brute = _brute_dyads(net, attrs, cov, field="weight")
    got = {(design.actors[i], design.actors[j]): k for k, (i, j) in enumerate(zip(design.i, design.j, strict=True))}
    assert set(got) == set(brute)
    for key, k in got.items():
        assert y[k] == brute[key][0]
        np.testing.assert_allclose(X[k], brute[key][1])
    total = net.n * (net.n - 1) // (1 if directed else 2)
    assert n_dropped == total - len(brute)


def test_design_attributes_come_from_the_table_then_the_network():
    net = _network(6, 0.5, directed=False, seed=1)
    table = pd.DataFrame({"actor_id": net.actors, "case_id": "c", "rank": np.arange(6.0)})
    design = dyadic_design(net, ["absdiff(rank)", "nodematch(sector)"], table)
    a, b = design.i, design.j
    np.testing.assert_allclose(design.X[:, 1], np.abs(a - b))  # table's rank, not the network's
    same = np.asarray(net.group_names)[a] == np.asarray(net.group_names)[b]
    np.testing.assert_allclose(design.X[:, 2], same.astype(float))
    with pytest.raises(ValueError, match="unknown actor attribute"):
        dyadic_design(net, ["absdiff(height)"], table)
    with pytest.raises(ValueError, match="directed"):
        dyadic_design(net, ["nodeocov(rank)"], table)


def test_netlm_coefficients_equal_lstsq_on_the_dyads():
    net = _network(20, 0.2, directed=True, seed=5)
    rng = np.random.default_rng(6)
    attrs = pd.DataFrame({"sector": net.group_names, "score": rng.normal(size=net.n)}, index=net.actors)
    cov = rng.normal(size=(net.n, net.n))
    terms = ["nodematch(sector)", "absdiff(score)", "nodecov(score)", "edgecov(prev)"]
    brute = _brute_dyads(net, attrs, cov, field="weight")
    yb = np.array([v[0] for v in brute.values()])
    Xb = np.array([v[1] for v in brute.values()])
    beta = np.linalg.lstsq(Xb, yb, rcond=None)[0]
    resid = yb - Xb @ beta
    se = np.sqrt(np.diag(np.linalg.inv(Xb.T @ Xb)) * (resid @ resid) / (len(yb) - Xb.shape[1]))
    design = dyadic_design(net, terms, attrs, relation="weight", edgecov={"prev": cov})
    result = netlm(design, permutations=0)
    np.testing.assert_allclose(result.estimate, beta, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(result.std_error, se, rtol=1e-10)
    assert result.n_dyads == len(yb)


def test_netlogit_coefficients_equal_statsmodels_logit():
    net = _network(25, 0.15, directed=False, seed=7)
    rng = np.random.default_rng(8)
    attrs = pd.DataFrame({"sector": net.group_names, "score": rng.normal(size=net.n)}, index=net.actors)
    cov = rng.normal(size=(net.n, net.n))
    cov = cov + cov.T
    brute = _brute_dyads(net, attrs, cov)
    yb = np.array([v[0] for v in brute.values()])
    Xb = np.array([v[1] for v in brute.values()])
    ref = sm.Logit(yb, Xb).fit(disp=0, tol=1e-12)
    design = dyadic_design(
        net, ["nodematch(sector)", "absdiff(score)", "nodecov(score)", "edgecov(prev)"], attrs, edgecov={"prev": cov}
    )
    result = netlogit(design, permutations=0)
    np.testing.assert_allclose(result.estimate, ref.params, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(result.std_error, ref.bse, rtol=1e-6)
    np.testing.assert_allclose(result.statistic, ref.tvalues, rtol=1e-6)


def _vec(m, directed):
    n = m.shape[0]
    return np.array([m[i, j] for i in range(n) for j in range(n) if (i != j if directed else i < j)])


def _t_values(X, y):
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    s2 = resid @ resid / (len(y) - X.shape[1])
    return beta / np.sqrt(np.diag(np.linalg.inv(X.T @ X)) * s2)


def _semi_partial_residual(mats, k, directed):
    """Residual matrix of matrix k regressed on the others, by loops."""
    others = np.column_stack([_vec(m, directed) for q, m in enumerate(mats) if q != k])
    target = _vec(mats[k], directed)
    e = target - others @ np.linalg.lstsq(others, target, rcond=None)[0]
    n = mats[0].shape[0]
    E = np.zeros((n, n))
    pos = 0
    for i in range(n):
        for j in range(n):
            if (i != j) if directed else (i < j):
                E[i, j] = e[pos]
                if not directed:
                    E[j, i] = e[pos]
                pos += 1
    return others, E


@pytest.mark.parametrize("directed", [True, False])
def test_qapspp_distribution_equals_refits_one_by_one(directed):
    rng = np.random.default_rng(11)
    n = 11
    x1, x2 = rng.normal(size=(n, n)), (rng.random((n, n)) < 0.3).astype(float)
    y = 0.4 * x1 + rng.normal(size=(n, n))
    if not directed:
        x1, x2, y = x1 + x1.T, np.maximum(x2, x2.T), y + y.T
    perms = np.array([rng.permutation(n) for _ in range(25)])
    result = netlm(y, [x1, x2], directed=directed, permutations=perms)
    mats = [np.ones((n, n)), x1, x2]
    yv = _vec(y, directed)
    observed = _t_values(np.column_stack([_vec(m, directed) for m in mats]), yv)
    np.testing.assert_allclose(result.statistic, observed, rtol=1e-10)
    for k in range(3):
        others, E = _semi_partial_residual(mats, k, directed)
        dist = np.array([_t_values(np.column_stack([others, _vec(E[np.ix_(p, p)], directed)]), yv)[-1] for p in perms])
        np.testing.assert_allclose(result.distribution[:, k], dist, rtol=1e-8, atol=1e-10)
        assert result.p_value[k] == pytest.approx(np.mean(np.abs(dist) >= abs(observed[k])))
        assert result.p_greater[k] == pytest.approx(np.mean(dist >= observed[k]))
        assert result.p_less[k] == pytest.approx(np.mean(dist <= observed[k]))


def test_qapy_permutes_the_dependent_matrix():
    rng = np.random.default_rng(12)
    n = 10
    x1 = rng.normal(size=(n, n))
    y = rng.normal(size=(n, n))
    perms = np.array([rng.permutation(n) for _ in range(20)])
    result = netlm(y, x1, null_hypothesis="qapy", permutations=perms)
    X = np.column_stack([np.ones(n * n - n), _vec(x1, True)])
    dist = np.array([_t_values(X, _vec(y[np.ix_(p, p)], True)) for p in perms])
    np.testing.assert_allclose(result.distribution, dist, rtol=1e-8)


def test_netlogit_permutation_distributions_equal_statsmodels_refits():
    rng = np.random.default_rng(13)
    n = 10
    x1, x2 = rng.normal(size=(n, n)), (rng.random((n, n)) < 0.4).astype(float)
    y = (rng.random((n, n)) < 1 / (1 + np.exp(-(-0.3 + 0.8 * x1)))).astype(float)
    perms = np.array([rng.permutation(n) for _ in range(12)])
    mats = [np.ones((n, n)), x1, x2]
    yv = _vec(y, True)
    spp = netlogit(y, [x1, x2], permutations=perms)
    for k in range(3):
        others, E = _semi_partial_residual(mats, k, True)
        dist = [sm.Logit(yv, np.column_stack([others, _vec(E[np.ix_(p, p)], True)])).fit(disp=0).tvalues[-1] for p in perms]
        np.testing.assert_allclose(spp.distribution[:, k], dist, rtol=1e-5, atol=1e-7)
    qapy = netlogit(y, [x1, x2], null_hypothesis="qapy", permutations=perms)
    X = np.column_stack([_vec(m, True) for m in mats])
    dist = np.array([sm.Logit(_vec(y[np.ix_(p, p)], True), X).fit(disp=0).tvalues for p in perms])
    np.testing.assert_allclose(qapy.distribution, dist, rtol=1e-5, atol=1e-7)


def test_single_column_falls_back_to_qapy_and_aliased_columns_are_reported():
    rng = np.random.default_rng(14)
    y = rng.normal(size=(8, 8))
    only_intercept = netlm(y, None, permutations=10, seed=1)
    assert only_intercept.null_hypothesis == "qapy"
    constant = np.ones((8, 8))
    result = netlm(y, [rng.normal(size=(8, 8)), constant], permutations=10, seed=1)
    assert np.isnan(result.estimate[2]) and "not estimable" in result.notes["x2"]
    assert np.isfinite(result.estimate[:2]).all()


def test_permutations_stay_within_cases_when_pooled():
    designs = [
        dyadic_design(_network(n, 0.3, directed=True, seed=n, case_id=f"c{n}"), ["nodematch(sector)"])
        for n in (5, 7, 4)
    ]
    pooled = stack_designs(designs, ["c5", "c7", "c4"])
    assert pooled.names == ["Intercept", "nodematch(sector)", "case_id[T.c7]", "case_id[T.c4]"]
    perms = draw_permutations(pooled, 200, np.random.default_rng(0))
    starts = pooled.block_start
    for b in range(len(starts) - 1):
        block = perms[:, starts[b] : starts[b + 1]]
        assert np.all(np.sort(block, axis=1) == np.arange(starts[b], starts[b + 1]))
    # the pooled fit equals OLS with case dummies on the stacked dyads
    beta = np.linalg.lstsq(pooled.X, pooled.y, rcond=None)[0]
    np.testing.assert_allclose(netlm(pooled, permutations=0).estimate, beta, rtol=1e-10, atol=1e-12)
    # a permuted relation read from the flat matrices equals the one read from each case's matrix
    perm = perms[:1]
    gathered = pooled.y_full[pooled.positions(perm[0, pooled.i], perm[0, pooled.j])]
    expected = []
    for b, d in enumerate(designs):
        local = perm[0, starts[b] : starts[b + 1]] - starts[b]
        full = d.y_full.reshape(d.n_nodes, d.n_nodes)
        expected.append(full[local[d.i], local[d.j]])
    np.testing.assert_array_equal(gathered, np.concatenate(expected))


def test_pooled_netlogit_with_case_effects_equals_statsmodels():
    designs, labels = [], []
    for k, n in enumerate((7, 9, 6)):
        net = _network(n, 0.35, directed=True, seed=40 + k, case_id=f"c{k}")
        designs.append(dyadic_design(net, ["nodematch(sector)", "absdiff(rank)"]))
        labels.append(f"c{k}")
    pooled = stack_designs(designs, labels)
    perms = draw_permutations(pooled, 8, np.random.default_rng(1))
    result = netlogit(pooled, permutations=perms)
    ref = sm.Logit(pooled.y, pooled.X).fit(disp=0, tol=1e-12)
    np.testing.assert_allclose(result.estimate, ref.params, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(result.std_error, ref.bse, rtol=1e-6)
    # qapspp for absdiff(rank) (column 2), refitted one permutation at a time
    others = np.delete(pooled.X, 2, axis=1)
    resid = pooled.X[:, 2] - others @ np.linalg.lstsq(others, pooled.X[:, 2], rcond=None)[0]
    full = pooled.full_matrix(resid)
    dist = []
    for perm in perms:
        e = full[pooled.positions(perm[pooled.i], perm[pooled.j])]
        dist.append(sm.Logit(pooled.y, np.column_stack([others, e])).fit(disp=0, tol=1e-12).tvalues[-1])
    np.testing.assert_allclose(result.distribution[:, 2], dist, rtol=1e-5, atol=1e-7)
    assert np.isnan(result.p_value[3:]).all()


def _null_world(rng, n, directed):
    """y and x both carry actor effects (the dependence QAP guards against) but are unrelated."""
    u, v = rng.normal(size=n), rng.normal(size=n)
    x = u[:, None] + u[None, :] + 0.5 * rng.normal(size=(n, n))
    y = v[:, None] + v[None, :] + rng.normal(size=(n, n))
    if not directed:
        x, y = np.triu(x, 1) + np.triu(x, 1).T, np.triu(y, 1) + np.triu(y, 1).T
    z = rng.normal(size=(n, n))
    return y, x, z


@pytest.mark.parametrize("null", ["qapspp", "qapy"])
def test_netlm_size_holds_under_the_null(null):
    rejections = 0
    sims = 200
    for s in range(sims):
        rng = np.random.default_rng(1000 + s)
        y, x, z = _null_world(rng, 12, directed=True)
        result = netlm(y, [x, z], null_hypothesis=null, permutations=99, seed=rng)
        rejections += result.p_value[1] <= 0.05
    assert 0.02 <= rejections / sims <= 0.09


def test_netlm_has_power_against_a_dyadic_effect():
    rng = np.random.default_rng(7)
    net = _network(30, 0.1, directed=True, seed=2)
    same = np.equal.outer(net.group_names, net.group_names).astype(float)
    y = 0.5 * same + rng.normal(size=same.shape)
    result = netlm(y, [same, rng.normal(size=same.shape)], names=["same", "noise"], permutations=200, seed=3)
    assert result.p_value[1] < 0.01
    assert result.estimate[1] == pytest.approx(0.5, abs=0.15)


def test_netlogit_has_power_against_a_dyadic_effect():
    rng = np.random.default_rng(21)
    n = 25
    x = rng.normal(size=(n, n))
    y = (rng.random((n, n)) < 1 / (1 + np.exp(-(-1 + 1.2 * x)))).astype(float)
    result = netlogit(y, x, permutations=100, seed=1)
    assert result.p_value[1] < 0.02
    assert result.estimate[1] == pytest.approx(1.2, abs=0.3)


@pytest.mark.parametrize("null", ["qapspp", "qapy"])
def test_netlogit_size_holds_under_the_null(null):
    rejections = 0
    sims = 200
    for s in range(sims):
        rng = np.random.default_rng(3000 + s)
        n = 15
        u = rng.normal(size=n)
        y = (rng.random((n, n)) < 1 / (1 + np.exp(-(-0.8 + u[:, None] + u[None, :])))).astype(float)
        w = rng.normal(size=n)
        x = w[:, None] + w[None, :] + rng.normal(size=(n, n))
        rejections += netlogit(y, x, null_hypothesis=null, permutations=99, seed=rng).p_value[1] <= 0.05
    assert 0.02 <= rejections / sims <= 0.09


def test_pooled_netlm_size_holds_with_permutations_within_cases():
    rejections = 0
    sims = 200
    for s in range(sims):
        rng = np.random.default_rng(5000 + s)
        designs = []
        for _ in range(3):
            y, x, _ = _null_world(rng, 8, directed=False)
            designs.append(matrix_design(y, x, directed=False))
        pooled = stack_designs(designs, ["a", "b", "c"])
        rejections += netlm(pooled, permutations=99, seed=rng).p_value[1] <= 0.05
    assert 0.02 <= rejections / sims <= 0.09


@pytest.mark.extended
@pytest.mark.parametrize("estimator", [netlm, netlogit])
def test_qapspp_size_on_larger_networks_many_simulations(estimator):
    rejections = 0
    sims = 400
    for s in range(sims):
        rng = np.random.default_rng(9000 + s)
        n = 30
        u, w = rng.normal(size=n), rng.normal(size=n)
        x = w[:, None] + w[None, :] + rng.normal(size=(n, n))
        eta = -1.0 + u[:, None] + u[None, :]
        y = (rng.random((n, n)) < 1 / (1 + np.exp(-eta))).astype(float)
        rejections += estimator(y, x, permutations=199, seed=rng).p_value[1] <= 0.05
    assert 0.03 <= rejections / sims <= 0.075


def test_previous_wave_matrix_aligns_actors_by_id():
    g1 = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    g2 = nx.Graph([("a", "c"), ("c", "e")])
    for g in (g1, g2):
        nx.set_node_attributes(g, "public", "sector")
    prev, cur = CaseNetwork.from_networkx(g1, case_id="x"), CaseNetwork.from_networkx(g2, case_id="x")
    mat = previous_wave_matrix(cur, prev)
    expected = np.zeros((cur.n, cur.n))
    for i, a in enumerate(cur.actors):
        for j, b in enumerate(cur.actors):
            expected[i, j] = float(g1.has_edge(a, b))
    np.testing.assert_array_equal(mat, expected)


def test_fit_qap_models_reports_small_and_broken_cases_without_raising():
    nets = {f"c{k}": _network(12 + k, 0.25, directed=False, seed=k, case_id=f"c{k}") for k in range(3)}
    nets["tiny"] = _network(2, 1.0, directed=False, seed=9, case_id="tiny")
    nets["empty"] = _network(6, 0.0, directed=False, seed=9, case_id="empty")
    config = [
        {"name": "homophily", "terms": ["nodematch(sector)", "absdiff(rank)"], "permutations": 50},
        {"name": "missing", "terms": ["absdiff(height)"], "permutations": 10},
        {"name": "logit", "terms": ["nodematch(sector)"], "estimator": "netlogit", "permutations": 20},
    ]
    out = fit_qap_models(nets, None, config, seed=42)
    assert list(out.columns[: len(SPEC_COLUMNS)]) == SPEC_COLUMNS
    assert list(out.columns) == QAP_COLUMNS
    homophily = out[out["model"] == "homophily"]
    assert set(homophily["case_id"]) == {"c0", "c1", "c2", "tiny", "empty", "pooled"}
    assert homophily.loc[homophily["case_id"] == "tiny", "note"].str.contains("fewer than 3").all()
    assert homophily.loc[homophily["case_id"] == "empty", "note"].str.contains("does not vary").all()
    pooled = homophily[homophily["case_id"] == "pooled"]
    assert pooled["n_dyads"].iloc[0] == sum(n * (n - 1) // 2 for n in (12, 13, 14, 6))
    assert pooled.loc[pooled["term"].str.startswith("case_id"), "p_value"].isna().all()
    assert (homophily.loc[homophily["case_id"] == "c0", "n_permutations"] == 50).all()
    missing = out[(out["model"] == "missing") & (out["case_id"] != "pooled")]
    assert missing["note"].str.contains("unknown actor attribute 'height'").all()
    assert out.loc[(out["model"] == "missing") & (out["case_id"] == "pooled"), "note"].str.contains("2 usable").all()
    logit = out[(out["model"] == "logit") & (out["case_id"] == "pooled")]
    assert logit["note"].str.contains(r"left out of the pooled logit: \['empty'\]").all()
    assert logit["n_dyads"].iloc[0] == sum(n * (n - 1) // 2 for n in (12, 13, 14))
    assert np.isfinite(logit["estimate"]).all()
    again = fit_qap_models(nets, None, config, seed=42)
    pd.testing.assert_frame_equal(out, again)


def test_run_qap_builds_previous_tie_edgecov_and_writes_the_table(tmp_path):
    w1 = {"c": _network(10, 0.3, directed=True, seed=1)}
    w2 = {"c": _network(10, 0.3, directed=True, seed=2)}
    config = [{"name": "persistence", "terms": ["edgecov(previous_tie)"], "estimator": "netlogit", "permutations": 20}]
    out = run_qap({"w1": w1, "w2": w2}, None, config, seed=1, out_dir=tmp_path)
    written = pd.read_csv(tmp_path / "qap.csv", keep_default_na=True)
    assert len(written) == len(out)
    first = out[out["wave"] == "w1"]
    assert first["note"].str.contains("no previous wave").all()
    second = out[(out["wave"] == "w2") & (out["case_id"] == "c")]
    design = dyadic_design(w2["c"], ["edgecov(prev)"], edgecov={"prev": w1["c"].adjacency})
    ref = sm.Logit(design.y, design.X).fit(disp=0)
    np.testing.assert_allclose(second["estimate"].to_numpy(), ref.params, rtol=1e-6)


def test_dyadic_config_is_validated():
    with pytest.raises(ModelConfigError, match="netlogit needs a binary relation"):
        parse_dyadic_models([{"name": "m", "terms": ["nodematch(sector)"], "relation": "weight", "estimator": "netlogit"}])
    with pytest.raises(ModelConfigError, match="not understood"):
        parse_dyadic_models([{"name": "m", "terms": ["match(sector)"]}])
    with pytest.raises(ModelConfigError, match="unknown keys"):
        parse_dyadic_models([{"name": "m", "terms": [], "permutation": 5}])


def test_matrix_design_drops_missing_dyads():
    y = np.arange(16, dtype=float).reshape(4, 4)
    x = np.ones((4, 4))
    x[0, 1] = np.nan
    design = matrix_design(y, x)
    assert design.n_dropped == 1 and design.n_dyads == 11


def test_run_all_models_reads_the_result_tables(tmp_path):
    from netinnov.steps.models import networks_from_tables, run_all_models

    rng = np.random.default_rng(3)
    cases, actors, ties = [], [], {"w1": [], "w2": []}
    for wave in ("w1", "w2"):
        for c in range(12):
            net = _network(6, 0.4, directed=False, seed=100 * c + len(wave) + (wave == "w2"), case_id=f"c{c:02d}")
            for a, sector in zip(net.actors, net.group_names, strict=True):
                actors.append({"wave": wave, "case_id": net.case_id, "actor_id": a, "sector": sector, "betweenness": 0.0})
            for row in net.ties.itertuples():
                ties[wave].append({"case_id": net.case_id, "source": row.source, "target": row.target, "weight": row.weight})
            cases.append({"wave": wave, "case_id": net.case_id, "n_actors": net.n, "density": 2 * net.n_ties / 30,
                          "score": rng.normal()})  # fmt: skip
    (tmp_path / "panel").mkdir()
    pd.DataFrame(cases).to_csv(tmp_path / "panel" / "cases.csv", index=False)
    pd.DataFrame(actors).to_csv(tmp_path / "panel" / "actors.csv", index=False)
    for wave, rows in ties.items():
        (tmp_path / "waves" / wave).mkdir(parents=True)
        pd.DataFrame(rows).to_csv(tmp_path / "waves" / wave / "ties.csv", index=False)
    options = {
        "seed": 5,
        "directed": "false",
        "models": [{"name": "m", "outcome": "score", "family": "ols", "predictors": ["density"], "predict": False}],
        "dyadic_models": [{"name": "d", "terms": ["nodematch(sector)"], "permutations": 20}],
    }
    run_all_models(tmp_path, ["w1", "w2"], options=options)
    for name in ("features", "coefficients", "fit", "cv_scores", "importance", "qap"):
        assert (tmp_path / "models" / f"{name}.csv").exists()
    qap = pd.read_csv(tmp_path / "models" / "qap.csv")
    assert set(qap["wave"]) == {"w1", "w2"} and (qap["case_id"] == "pooled").any()
    # the rebuilt networks equal the originals
    rebuilt = networks_from_tables(
        pd.DataFrame(ties["w1"]), pd.DataFrame(actors).query("wave == 'w1'"), directed=False
    )["c00"]
    original = _network(6, 0.4, directed=False, seed=2, case_id="c00")
    assert (rebuilt.adjacency != original.adjacency).nnz == 0
    assert list(rebuilt.group_names) == list(original.group_names)


def test_dyadic_models_use_reported_ties_only(tmp_path):
    """A co-attendance-only row of ties.csv (``coattendance: merge``) is not a reported
    tie: the MRQAP relation is the same as without it (issue 12, item 2)."""
    from netinnov.steps.models import run_dyadic_models

    actors, ties = [], []
    for c in range(3):
        net = _network(7, 0.4, directed=False, seed=c, case_id=f"c{c}")
        for a, sector in zip(net.actors, net.group_names, strict=True):
            actors.append({"wave": "w1", "case_id": net.case_id, "actor_id": a, "sector": sector})
        for row in net.ties.itertuples():
            ties.append({"case_id": net.case_id, "source": row.source, "target": row.target, "weight": 1.0,
                         "layer": "interaction"})
        absent = [(a, b) for a, b in itertools.combinations(net.actors, 2)
                  if (a, b) not in {(r.source, r.target) for r in net.ties.itertuples()}]
        ties += [{"case_id": net.case_id, "source": a, "target": b, "weight": 1.0, "layer": "coattendance"}
                 for a, b in absent[:4]]
    options = {"seed": 1, "directed": False,
               "dyadic_models": [{"name": "d", "terms": ["nodematch(sector)"], "permutations": 0}]}
    results = {}
    for name, rows in (("all", ties), ("reported", [t for t in ties if t["layer"] != "coattendance"])):
        root = tmp_path / name
        (root / "panel").mkdir(parents=True)
        (root / "waves" / "w1").mkdir(parents=True)
        pd.DataFrame(actors).to_csv(root / "panel" / "actors.csv", index=False)
        pd.DataFrame(rows).to_csv(root / "waves" / "w1" / "ties.csv", index=False)
        run_dyadic_models(root, ["w1"], options=options)
        results[name] = pd.read_csv(root / "models" / "qap.csv")
    pd.testing.assert_frame_equal(results["all"], results["reported"])


def test_pooled_fit_is_skipped_above_pooled_max_cases():
    import networkx as nx

    from netinnov.models.qap import fit_qap_models
    from netinnov.networks import CaseNetwork

    nets = {}
    for k in range(4):
        g = nx.gnp_random_graph(12, 0.3, seed=k)
        for v in g:
            g.nodes[v]["sector"] = "public" if v % 2 else "private"
        nets[f"c{k}"] = CaseNetwork.from_networkx(g, case_id=f"c{k}")
    config = [{"name": "m", "relation": "tie", "terms": ["nodematch(sector)"], "permutations": 10,
               "pooled_max_cases": 3}]
    out = fit_qap_models(nets, None, config, seed=1)
    pooled = out[out["case_id"] == "pooled"]
    assert len(pooled) and pooled["estimate"].isna().all()
    assert pooled["note"].str.contains("pooled_max_cases").all()
    assert out[out["case_id"] != "pooled"]["estimate"].notna().any()
    config[0]["pooled_max_cases"] = 4
    out = fit_qap_models(nets, None, config, seed=1)
    assert out[out["case_id"] == "pooled"]["estimate"].notna().all()
