"""Degenerate inputs give rows with reasons, never a failed job (issue 13, items 4–6).

- lagged models count every row they leave out, by reason;
- separation (logit, Poisson, ordered logit, netlogit) is found by a linear
  program before any fit: the certificates are checked independently here;
- a wave that repeats the previous one (``edgecov(previous_tie)`` separates
  the relation) gives NaN rows with a note; every other case and model is
  still fitted, end to end through the function the ``dyadic_models`` rule calls;
- ``p_value_plus1`` = (b + 1)/(B + 1) from the permutation distribution.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml

from helpers.glm_only import fit_glm, fit_glms  # the pooled GLM alone
from helpers.paths import REPO as ROOT
from netinnov.models.glm import FIT_COLUMNS
from netinnov.models.predict import CV_COLUMNS, cross_validate_model
from netinnov.models.qap import (
    QAP_COLUMNS,
    dyadic_design,
    fit_qap_models,
    netlogit,
)
from netinnov.models.qap.logit import _inverse_batch, _logit_newton, _solve_batch
from netinnov.models.separation import (
    count_separation_direction,
    ordinal_separation_direction,
    separation_direction,
)
from netinnov.models.spec import DEFAULT_QAP_PERMUTATIONS, DyadicModelSpec, ModelSpec
from netinnov.networks import CaseNetwork


# ============================================================ lagged rows
def _panel(seed: int = 0, n_cases: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for wave in ("w1", "w2", "w3"):
        for c in range(n_cases):
            rows.append({"wave": wave, "case_id": f"c{c:02d}", "density": rng.uniform(0.1, 0.9),
                         "growth": rng.normal()})  # fmt: skip
    frame = pd.DataFrame(rows)
    # c03 is not observed in w2; c05 has no density in w2 (its w3 row lacks density_lag)
    frame = frame[~((frame["wave"] == "w2") & (frame["case_id"] == "c03"))].reset_index(drop=True)
    frame.loc[(frame["wave"] == "w2") & (frame["case_id"] == "c05"), "density"] = np.nan
    return frame


def _brute_lag_reasons(frame: pd.DataFrame) -> dict[str, int]:
    """Count by a loop over the rows what a lagged model cannot use."""
    out = {"first": 0, "absent": 0, "missing": 0}
    order = ["w1", "w2", "w3"]
    for row in frame.itertuples():
        k = order.index(row.wave)
        if k == 0:
            out["first"] += 1
            continue
        prev = frame[(frame["wave"] == order[k - 1]) & (frame["case_id"] == row.case_id)]
        if prev.empty:
            out["absent"] += 1
        elif pd.isna(prev["density"].iloc[0]):
            out["missing"] += 1
    return out


def test_lagged_pooled_model_counts_every_dropped_row_by_reason():
    frame = _panel()
    spec = {
        "name": "lag",
        "outcome": "growth",
        "family": "ols",
        "predictors": ["density"],
        "lagged": True,
    }
    coefs, fit = fit_glm(frame, spec, waves=["w1", "w2", "w3"])
    brute = _brute_lag_reasons(frame)
    row = fit.iloc[0]
    assert row["n"] + row["n_dropped"] == len(frame)  # every row is used or counted
    assert row["n_dropped"] == sum(brute.values())
    reasons = dict(part.rsplit(": ", 1) for part in row["dropped_reasons"].split("; "))
    assert int(reasons["first wave (no previous wave)"]) == brute["first"]
    assert int(reasons["case not observed in the previous wave"]) == brute["absent"] == 1
    assert int(reasons["missing predictor density_lag"]) == brute["missing"] == 1
    assert (coefs["n_dropped"] == row["n_dropped"]).all() and len(coefs)


def test_lagged_per_wave_model_has_a_row_for_the_first_wave():
    frame = _panel()
    spec = {"name": "lag", "outcome": "growth", "family": "ols", "predictors": ["density"], "lagged": True,
            "pooled": False}  # fmt: skip
    coefs, fit = fit_glm(frame, spec, waves=["w1", "w2", "w3"])
    fit = fit.set_index("wave")
    assert list(fit.index) == ["w1", "w2", "w3"]
    assert fit.loc["w1", "error"].startswith("first wave")
    assert fit.loc["w1", "n_dropped"] == (frame["wave"] == "w1").sum()
    assert "case not observed in the previous wave: 1" in fit.loc["w3", "dropped_reasons"]
    assert fit.loc["w2", "dropped_reasons"] == ""  # every w2 case was seen in w1
    assert fit["n"].sum() + fit["n_dropped"].sum() == len(frame)
    assert set(coefs["wave"]) == {"w2", "w3"}


def test_cv_scores_carry_the_dropped_reasons():
    assert CV_COLUMNS[-1] == "dropped_reasons"
    frame = _panel()
    spec = ModelSpec.from_config({"name": "lag", "outcome": "growth", "family": "ols", "predictors": ["density"],
                                  "lagged": True, "cv_repeats": 1, "importance_repeats": 0})  # fmt: skip
    cv, _ = cross_validate_model(frame, spec, seed=1, waves=["w1", "w2", "w3"])
    assert list(cv.columns) == CV_COLUMNS
    assert cv["dropped_reasons"].str.contains("first wave \\(no previous wave\\): 12").all()


# ======================================================= separation checks
def test_logit_separation_certificate_and_overlap():
    rng = np.random.default_rng(1)
    x = rng.normal(size=60)
    X = np.column_stack([np.ones(60), x, rng.normal(size=60)])
    y = (x > 0.2).astype(float)  # complete separation by x
    d = separation_direction(X, y)
    assert d is not None
    s = 2 * y - 1
    margin = s * (X @ d)
    assert margin.min() >= -1e-8 and margin.max() > 1e-6  # the certificate holds
    y2 = (rng.random(60) < 0.5).astype(float)
    assert separation_direction(X, y2) is None
    assert np.isfinite(sm.Logit(y2, X).fit(disp=0).bse).all()  # the MLE exists


def test_poisson_separation_certificate_and_statsmodels():
    rng = np.random.default_rng(2)
    n = 80
    g = (rng.random(n) < 0.3).astype(float)
    X = np.column_stack([np.ones(n), g, rng.normal(size=n)])
    y = rng.poisson(2.0, size=n).astype(float)
    y[g == 1] = 0  # every count of group g is zero: its coefficient runs to -inf
    d = count_separation_direction(X, y)
    assert d is not None
    z = X @ d
    assert np.abs(z[y > 0]).max() < 1e-8 and z[y == 0].max() <= 1e-8 and z[y == 0].min() < -1e-6
    # statsmodels' unchecked fit drifts far out (a huge negative coefficient) instead
    with np.errstate(all="ignore"):
        res = sm.Poisson(y, X).fit(disp=0, maxiter=200, warn_convergence=False)
    assert res.params[1] < -5
    y2 = rng.poisson(2.0, size=n).astype(float)
    assert count_separation_direction(X, y2) is None


def test_ordinal_separation_certificate():
    rng = np.random.default_rng(3)
    n = 60
    x = rng.normal(size=n)
    X = np.column_stack([x, rng.normal(size=n)])
    codes = np.digitize(x, [-0.5, 0.5])  # 0/1/2 ordered exactly by x
    d = ordinal_separation_direction(X, codes)
    assert d is not None
    eta = X @ d
    # the categories occupy ordered, non-overlapping intervals of x'd, one gap strictly positive
    hi = [eta[codes == k].max() for k in range(3)]
    lo = [eta[codes == k].min() for k in range(3)]
    gaps = [lo[k + 1] - hi[k] for k in range(2)]
    assert min(gaps) >= -1e-8 and max(gaps) > 1e-6
    noisy = np.digitize(x + rng.normal(scale=1.5, size=n), [-0.5, 0.5])
    assert ordinal_separation_direction(X, noisy) is None
    # two categories: the ordinal check is the logit check
    two = (x > 0).astype(int)
    assert (ordinal_separation_direction(X, two) is None) == (
        separation_direction(np.column_stack([np.ones(n), X]), two) is None
    )


def _case_frame(seed: int = 4, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({
        "wave": "w1", "case_id": [f"c{i}" for i in range(n)], "x": x, "z": rng.normal(size=n),
        "good": rng.normal(size=n) + x,
        "sep_bin": (x > 0).astype(float),
        "g": (x > 0.3).astype(float),
        "sep_count": np.where(x > 0.3, 0, rng.poisson(3, size=n)),  # every count of g = 1 is 0
        "sep_ord": np.digitize(x, [-0.4, 0.4]),
        "const": 1.0,
    })  # fmt: skip


@pytest.mark.parametrize(
    ("family", "outcome", "reason"),
    [
        ("logit", "sep_bin", "perfect separation"),
        ("poisson", "sep_count", "separation of the zero counts"),
        ("negative_binomial", "sep_count", "separation of the zero counts"),
        ("ordered_logit", "sep_ord", "separation of the ordered categories"),
        ("ols", "const", "constant"),
    ],
)
def test_degenerate_case_models_give_a_reason_and_the_others_are_fitted(family, outcome, reason):
    frame = _case_frame()
    predictors = ["g", "z"] if outcome == "sep_count" else ["x", "z"]
    specs = [
        ModelSpec.from_config(
            {"name": "bad", "outcome": outcome, "family": family, "predictors": predictors}
        ),
        ModelSpec.from_config(
            {"name": "singular", "outcome": "good", "family": "ols", "predictors": ["x", "x2"]}
        ),
        ModelSpec.from_config(
            {"name": "fine", "outcome": "good", "family": "ols", "predictors": ["x", "z"]}
        ),
    ]
    coefs, fit = fit_glms(frame.assign(x2=2 * frame["x"]), specs)
    assert list(fit.columns) == FIT_COLUMNS
    fit = fit.set_index("model")
    assert reason in fit.loc["bad", "error"]
    assert "singular design" in fit.loc["singular", "error"]
    assert fit.loc["fine", "error"] == "" and set(coefs["model"]) == {"fine"}
    if family != "ols":
        assert f"'{predictors[0]}'" in fit.loc["bad", "error"]  # the separating term is named


# ========================================================= QAP internals
def test_batched_solves_never_decompose_a_non_finite_matrix():
    rng = np.random.default_rng(5)
    A = rng.normal(size=(4, 3, 3))
    H = A @ np.transpose(A, (0, 2, 1)) + 3 * np.eye(3)
    H[1, 0, 0] = np.nan
    H[2] = 0.0  # singular: pseudo-inverse
    g = rng.normal(size=(4, 3))
    g[3, 1] = np.inf
    step = _solve_batch(H, g)
    np.testing.assert_allclose(step[0], np.linalg.solve(H[0], g[0]))
    assert np.isnan(step[1]).all() and np.isnan(step[3]).all()
    np.testing.assert_allclose(step[2], 0.0)
    inv = _inverse_batch(H)
    np.testing.assert_allclose(inv[0], np.linalg.inv(H[0]))
    assert np.isnan(inv[1]).all()


def test_logit_newton_on_a_separated_batch_returns_without_raising():
    rng = np.random.default_rng(6)
    n = 50
    x = (rng.random(n) < 0.4).astype(float)
    G = np.column_stack([np.ones(n), x])
    Y = np.vstack([x, (rng.random(n) < 0.5).astype(float)])  # member 0 separated, member 1 not
    with np.errstate(all="ignore"):
        beta, z, se, conv = _logit_newton(G, Y, np.zeros((2, 2)))
    ref = sm.Logit(Y[1], G).fit(disp=0)
    np.testing.assert_allclose(beta[1], ref.params, rtol=1e-6)
    assert conv[1]


# ============================================================ QAP results
def _network(
    n: int, p: float, *, seed: int, case_id: str, ties_of: CaseNetwork | None = None
) -> CaseNetwork:
    rng = np.random.default_rng(seed)
    g = nx.gnp_random_graph(n, p, seed=seed, directed=False)
    g = nx.relabel_nodes(g, {v: f"a{v:03d}" for v in g.nodes})
    if ties_of is not None:  # the same ties as another network
        g.remove_edges_from(list(g.edges))
        g.add_edges_from(zip(ties_of.ties["source"], ties_of.ties["target"], strict=True))
    for v in g.nodes:
        g.nodes[v]["sector"] = str(rng.choice(["public", "private", "civil"]))
        g.nodes[v]["rank"] = float(rng.integers(1, 6))
    return CaseNetwork.from_networkx(g, case_id=case_id)


def test_p_value_plus1_is_b_plus_1_over_B_plus_1():
    net = _network(14, 0.3, seed=7, case_id="c")
    design = dyadic_design(net, ["nodematch(sector)", "absdiff(rank)"])
    res = netlogit(design, permutations=99, seed=3)
    dist = res.distribution
    for k, name in enumerate(res.names):
        valid = np.isfinite(dist[:, k])
        b = int(
            (
                np.abs(dist[valid, k])
                >= np.abs(res.statistic[k]) - 1e-10 * max(abs(res.statistic[k]), 1)
            ).sum()
        )
        B = int(valid.sum())
        assert res.n_permutations[k] == B
        assert res.p_value_plus1[k] == pytest.approx((b + 1) / (B + 1)), name
        assert res.p_value[k] == pytest.approx(b / B)
        assert res.p_value_plus1[k] > 0
    frame = res.to_frame()
    assert "p_value_plus1" in frame and "dropped_reasons" in frame


def test_qap_columns_end_with_the_new_columns():
    assert QAP_COLUMNS[-3:] == ["note", "p_value_plus1", "dropped_reasons"]


def test_qap_dropped_reasons_count_the_dyads_of_actors_without_an_attribute():
    net = _network(12, 0.3, seed=8, case_id="c")
    attrs = pd.DataFrame({"actor_id": net.actors, "rank": np.arange(12.0)})
    attrs.loc[[2, 7], "rank"] = np.nan
    design = dyadic_design(net, ["absdiff(rank)"], attrs)
    brute = sum(1 for i in range(12) for j in range(i + 1, 12) if i in (2, 7) or j in (2, 7))
    assert design.n_dropped == brute
    assert design.dropped_reasons == {"actor attribute rank missing (2 actors)": brute}
    res = netlogit(design, permutations=0)
    assert (
        res.to_frame()["dropped_reasons"].iloc[0]
        == f"actor attribute rank missing (2 actors): {brute}"
    )


def test_default_permutations_are_one_constant_everywhere():
    assert DEFAULT_QAP_PERMUTATIONS == 1000
    assert (
        DyadicModelSpec.from_config({"name": "d", "terms": []}).permutations
        == DEFAULT_QAP_PERMUTATIONS
    )
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text())
    items = schema["properties"]["dyadic_models"]["items"]["properties"]
    assert items["permutations"]["default"] == DEFAULT_QAP_PERMUTATIONS
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for entry in config.get("dyadic_models") or []:
        assert entry.get("permutations", DEFAULT_QAP_PERMUTATIONS) >= DEFAULT_QAP_PERMUTATIONS
    docs = (ROOT / "config" / "README.md").read_text()
    assert re.search(r"permutations.{0,40}1000", docs)


def _write_results(root: Path, waves: dict[str, dict[str, CaseNetwork]]) -> None:
    actors, ties = [], {}
    for wave, nets in waves.items():
        ties[wave] = []
        for net in nets.values():
            for a, sector, rank in zip(
                net.actors, net.group_names, net.attributes["rank"], strict=True
            ):
                actors.append(
                    {
                        "wave": wave,
                        "case_id": net.case_id,
                        "actor_id": a,
                        "sector": sector,
                        "rank": rank,
                    }
                )
            for row in net.ties.itertuples():
                ties[wave].append(
                    {
                        "case_id": net.case_id,
                        "source": row.source,
                        "target": row.target,
                        "weight": 1.0,
                    }
                )
    (root / "panel").mkdir(parents=True)
    pd.DataFrame(actors).to_csv(root / "panel" / "actors.csv", index=False)
    for wave, rows in ties.items():
        (root / "waves" / wave).mkdir(parents=True)
        pd.DataFrame(rows, columns=["case_id", "source", "target", "weight"]).to_csv(
            root / "waves" / wave / "ties.csv", index=False
        )


def test_a_wave_that_repeats_the_previous_one_end_to_end(tmp_path, caplog):
    """c0's second wave has the ties of its first: edgecov(previous_tie) separates its
    relation. Its rows are NaN with a note; the other cases, the pooled fit and a
    second model are produced (through the function the dyadic_models rule calls)."""
    from netinnov.steps.models import run_dyadic_models

    w1 = {f"c{k}": _network(14, 0.25, seed=k, case_id=f"c{k}") for k in range(3)}
    w2 = {f"c{k}": _network(14, 0.25, seed=10 + k, case_id=f"c{k}") for k in range(3)}
    w2["c0"] = _network(14, 0.25, seed=0, case_id="c0", ties_of=w1["c0"])
    w1["c3"] = _network(14, 0.25, seed=3, case_id="c3")
    w2["c3"] = _network(14, 0.0, seed=3, case_id="c3")  # no ties at all
    w1["c4"] = w2["c4"] = _network(1, 0.0, seed=4, case_id="c4")  # one actor
    _write_results(tmp_path, {"w1": w1, "w2": w2})
    options = {
        "seed": 3, "directed": False,
        "dyadic_models": [
            {"name": "persist", "estimator": "netlogit", "permutations": 50,
             "terms": ["nodematch(sector)", "absdiff(rank)", "edgecov(previous_tie)"]},
            {"name": "lm", "estimator": "netlm", "permutations": 20, "terms": ["nodematch(sector)"]},
        ],
    }  # fmt: skip
    with caplog.at_level("WARNING"):
        run_dyadic_models(tmp_path, ["w1", "w2"], options=options)
    qap = pd.read_csv(tmp_path / "models" / "qap.csv", keep_default_na=False, na_values=[""])
    assert list(qap.columns) == QAP_COLUMNS
    w2rows = qap[(qap["wave"] == "w2") & (qap["model"] == "persist")]
    c0 = w2rows[w2rows["case_id"] == "c0"]
    assert c0["estimate"].isna().all() and c0["note"].str.contains("perfect separation").all()
    assert "edgecov(previous_tie)" in c0["note"].iloc[0]
    for case in ("c1", "c2", "pooled"):
        rows = w2rows[w2rows["case_id"] == case]
        assert len(rows) and rows["estimate"].notna().all(), case
        tested = rows[
            rows["term"].isin(["nodematch(sector)", "absdiff(rank)", "edgecov(previous_tie)"])
        ]
        assert (tested["p_value_plus1"] >= 1 / 51).all()
    assert w2rows[w2rows["case_id"] == "c3"]["note"].str.contains("does not vary").all()
    assert w2rows[w2rows["case_id"] == "c4"]["note"].str.contains("fewer than").all()
    pooled_note = w2rows[w2rows["case_id"] == "pooled"]["note"].iloc[0]
    assert "c3" in pooled_note  # the empty case is left out of the pooled logit, and counted
    assert (
        "left out of the pooled logit"
        in w2rows[w2rows["case_id"] == "pooled"]["dropped_reasons"].iloc[0]
    )
    lm = qap[(qap["wave"] == "w2") & (qap["model"] == "lm")]
    assert lm[lm["case_id"].isin(["c0", "c1", "c2", "pooled"])]["estimate"].notna().all()
    assert any("not estimated" in r.getMessage() and "c0" in r.getMessage() for r in caplog.records)


def test_a_fit_that_raises_gives_note_rows(monkeypatch):
    from netinnov.models.qap import pipeline as qap_module

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("SVD did not converge")

    nets = {f"c{k}": _network(10, 0.3, seed=20 + k, case_id=f"c{k}") for k in range(2)}
    monkeypatch.setattr(qap_module, "_qap", broken)
    out = fit_qap_models(
        nets, None, [{"name": "d", "terms": ["nodematch(sector)"], "permutations": 5}], seed=1
    )
    assert len(out) == 6  # 2 cases + pooled, 2 terms each
    assert out["note"].str.contains("the fit failed: LinAlgError: SVD did not converge").all()


def test_the_models_page_lists_what_was_not_estimated():
    from netinnov.reports.models import NOT_ESTIMATED_COLUMNS, not_estimated

    frame = _panel()
    spec = {"name": "lag", "outcome": "growth", "family": "ols", "predictors": ["density"], "lagged": True,
            "pooled": False}  # fmt: skip
    _, fit = fit_glm(frame, spec, waves=["w1", "w2", "w3"])
    nets = {f"c{k}": _network(8, 0.3, seed=30 + k, case_id=f"c{k}") for k in range(2)}
    nets["c9"] = _network(8, 0.0, seed=39, case_id="c9")  # no ties: not estimated
    qap = fit_qap_models(
        nets, None, [{"name": "d", "terms": ["nodematch(sector)"], "permutations": 0}], seed=1
    )
    table = not_estimated(fit, qap)
    assert list(table.columns) == NOT_ESTIMATED_COLUMNS
    fits = table[table["table"] == "fit.csv"].set_index("wave")
    assert fits.loc["w1", "reason"].startswith("first wave")
    assert (
        fits.loc["w3", "reason"] == "estimated" and fits.loc["w3", "n_dropped"] == 2
    )  # absent + missing
    assert "w2" not in fits.index  # nothing left out in w2
    q = table[table["table"] == "qap.csv"]
    assert list(q["case_id"]) == ["c9"] and "does not vary" in q["reason"].iloc[0]
    assert len(not_estimated(None, None)) == 0
