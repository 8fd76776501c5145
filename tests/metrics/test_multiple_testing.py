"""Benjamini–Hochberg q-values (netinnov.metrics.multiple_testing): against
statsmodels, hand-worked examples, the families of each table, and the tables
the pipeline steps write."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from netinnov.io.result_tables import read_table
from netinnov.metrics.multiple_testing import (
    MIXING_TEST_COLUMNS,
    QAP_P_COLUMN,
    bh_qvalues,
    coefficient_qvalues,
    mixing_tests,
    phase_qvalues,
    qap_qvalues,
)
from netinnov.metrics.phase_tests import PHASE_TEST_COLUMNS, phase_tests
from netinnov.models.glm import COEFFICIENT_COLUMNS
from netinnov.models.qap import QAP_COLUMNS
from netinnov.steps.mixing_tests import write_mixing_tests


def _statsmodels(p: np.ndarray) -> np.ndarray:
    out = np.full(len(p), np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method="fdr_bh")[1]
    return out


# ------------------------------------------------------------ bh_qvalues
@pytest.mark.parametrize("seed", range(8))
def test_equals_statsmodels_fdr_bh(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 60))
    # a mix of signals, nulls, exact ties and boundary values
    p = np.concatenate([rng.uniform(0, 1, m), rng.beta(0.2, 4, m), [0.0, 1.0, 0.05, 0.05]])
    p = rng.permutation(p)
    np.testing.assert_allclose(bh_qvalues(p), multipletests(p, method="fdr_bh")[1], rtol=0, atol=1e-15)


def test_nan_are_not_tests():
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 0.2, 20)
    p[[2, 7, 11]] = np.nan
    q = bh_qvalues(p)
    assert np.isnan(q[[2, 7, 11]]).all()
    # m counts the finite p-values only
    np.testing.assert_allclose(q, _statsmodels(p), atol=1e-15)
    assert np.isnan(bh_qvalues([np.nan, np.nan])).all()
    assert bh_qvalues([]).shape == (0,)


def test_hand_worked_example():
    # m = 5; sorted p = .01 .02 .03 .04 .20; m p_(i)/i = .05 .05 .05 .05 .20
    p = [0.04, 0.01, 0.20, 0.03, 0.02]
    np.testing.assert_allclose(bh_qvalues(p), [0.05, 0.05, 0.20, 0.05, 0.05])
    # step-up: a later small ratio pulls earlier ones down; capped at 1
    # m = 4; m p/i = .4, .3, .2667, .24 -> running min from the top: .24 each
    np.testing.assert_allclose(bh_qvalues([0.1, 0.15, 0.2, 0.24]), [0.24] * 4)
    np.testing.assert_allclose(bh_qvalues([0.9, 0.95]), [0.95, 0.95])
    np.testing.assert_allclose(bh_qvalues([0.6]), [0.6])
    q = bh_qvalues([1.0, 1.0, 0.001])
    assert q[2] == pytest.approx(0.003) and q[0] == q[1] == 1.0


def test_qvalues_are_at_least_p_and_monotone():
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, 200)
    q = bh_qvalues(p)
    assert (q >= p - 1e-15).all() and (q <= 1).all()
    order = np.argsort(p)
    assert (np.diff(q[order]) >= -1e-15).all()


# ------------------------------------------------------------ coefficients
def _coefs() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for model in ("m1", "m1_std", "m2"):
        for wave in ("w1", "w2", "pooled"):
            for lagged in (False, True):
                terms = ["Intercept", "density", "sector_blau", "catalyst_present", "wave[T.w2]", "1/2"]
                types = ["coefficient"] * 4 + ["wave_effect", "threshold"]
                for term, kind in zip(terms, types, strict=True):
                    rows.append({"model": model, "term": term, "term_type": kind, "wave": wave, "lagged": lagged,
                                 "standardized": model.endswith("_std"), "p_value": rng.uniform(0, 0.1)})
    return pd.DataFrame(rows)


def test_coefficient_families_and_excluded_terms():
    coefs = _coefs()
    q = coefficient_qvalues(coefs)
    tested = coefs["term"].isin(["density", "sector_blau", "catalyst_present"])
    assert q[~tested].isna().all()  # intercept, wave effect, threshold
    assert q[tested].notna().all()
    for _, part in coefs[tested].groupby(["model", "wave", "lagged", "standardized"]):
        assert len(part) == 3
        np.testing.assert_allclose(q[part.index], multipletests(part["p_value"], method="fdr_bh")[1])


def test_coefficient_family_splits_by_estimator_when_present():
    coefs = _coefs()
    both = pd.concat([coefs.assign(estimator="glm"), coefs.assign(estimator="gee", p_value=coefs["p_value"] / 3)],
                     ignore_index=True)
    q = coefficient_qvalues(both)
    # each estimator's rows are their own families: the same q as that estimator alone
    np.testing.assert_allclose(q[: len(coefs)], coefficient_qvalues(coefs), equal_nan=True)
    gee = both.iloc[len(coefs):].reset_index(drop=True)
    np.testing.assert_allclose(q[len(coefs):], coefficient_qvalues(gee.drop(columns="estimator")), equal_nan=True)


def test_fitted_glm_has_q_value_within_each_fit():
    from netinnov.models.glm import fit_glm

    rng = np.random.default_rng(0)
    n = 120
    features = pd.DataFrame({
        "case_id": [f"c{i % 40}" for i in range(n)],
        "wave": [f"w{i // 40 + 1}" for i in range(n)],
        "density": rng.uniform(0, 1, n), "sector_blau": rng.uniform(0, 1, n), "noise": rng.normal(size=n),
    })
    features["y"] = 1.5 * features["density"] + rng.normal(size=n)
    spec = {"name": "m", "outcome": "y", "family": "ols", "predictors": ["density", "sector_blau", "noise"],
            "pooled": False, "standardize": True}
    coefs, _ = fit_glm(features, spec)
    assert list(coefs.columns) == COEFFICIENT_COLUMNS
    assert COEFFICIENT_COLUMNS[COEFFICIENT_COLUMNS.index("n") + 1] == "q_value"
    assert coefs.loc[coefs["term"] == "Intercept", "q_value"].isna().all()
    slopes = coefs[coefs["term"] != "Intercept"]
    assert slopes["q_value"].notna().all()
    assert slopes.groupby(["model", "wave"]).size().eq(3).all() and slopes["wave"].nunique() == 3
    for _, part in slopes.groupby(["model", "wave"]):
        np.testing.assert_allclose(part["q_value"], multipletests(part["p_value"], method="fdr_bh")[1])


# ------------------------------------------------------------ QAP
def test_qap_families_model_case_wave():
    rng = np.random.default_rng(9)
    rows = []
    for model in ("d1", "d2"):
        for wave in ("w1", "w2"):
            for case in ("a", "b", "pooled"):
                terms = ["Intercept", "nodematch(sector)", "edgecov(previous_tie)"]
                if case == "pooled":
                    terms += ["case_id[T.b]"]
                for term in terms:
                    p = np.nan if term.startswith("case_id") else rng.uniform(0, 0.2)
                    rows.append({"model": model, "case_id": case, "wave": wave, "term": term, "p_value": p})
    qap = pd.DataFrame(rows)
    q = qap_qvalues(qap, p_column="p_value")
    assert q[qap["term"].isin(["Intercept", "case_id[T.b]"])].isna().all()
    tested = ~qap["term"].isin(["Intercept", "case_id[T.b]"])
    groups = qap[tested].groupby(["model", "case_id", "wave"])
    assert groups.ngroups == 12
    for _, part in groups:
        assert len(part) == 2
        np.testing.assert_allclose(q[part.index], multipletests(part["p_value"], method="fdr_bh")[1])
    # the adjusted column is a parameter (a later change may adjust another p column)
    alt = qap.assign(p_plus_one=qap["p_value"] / 2)
    np.testing.assert_allclose(qap_qvalues(alt, p_column="p_plus_one")[tested], q[tested] / 2)
    assert QAP_P_COLUMN == "p_value_plus1"


def test_qap_columns_put_q_after_null_hypothesis():
    assert QAP_COLUMNS[QAP_COLUMNS.index("null_hypothesis") + 1] == "q_value"


def test_fitted_qap_has_q_values():
    from netinnov.models.qap import fit_qap_models
    from netinnov.networks import CaseNetwork

    rng = np.random.default_rng(2)
    networks = {}
    rows = []
    for case in ("a", "b"):
        n = 12
        ids = np.array([f"{case}{i:02d}" for i in range(n)], dtype=object)
        groups = rng.integers(0, 2, n)
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.uniform() < 0.3]
        ties = pd.DataFrame({"source_index": [i for i, _ in pairs], "target_index": [j for _, j in pairs],
                             "weight": 1.0})
        ties["source"], ties["target"] = ids[ties["source_index"]], ids[ties["target_index"]]
        networks[case] = CaseNetwork(case_id=case, actors=ids, groups=groups, group_labels=("x", "y"),
                                     directed=False, ties=ties)
        rows += [{"case_id": case, "actor_id": a, "score": float(rng.normal())} for a in ids]
    config = [{"name": "d", "terms": ["nodecov(score)", "nodematch(sector)"], "relation": "tie",
               "estimator": "netlm", "permutations": 99}]
    out = fit_qap_models(networks, pd.DataFrame(rows), config, seed=1, wave="w1")
    assert "q_value" in out.columns
    assert out.loc[out["term"] == "Intercept", "q_value"].isna().all()
    tested = out[out["p_value_plus1"].notna() & (out["term"] != "Intercept")]
    assert len(tested)
    for _, part in tested.groupby(["model", "case_id"]):
        np.testing.assert_allclose(
            part["q_value"], multipletests(part["p_value_plus1"], method="fdr_bh")[1]
        )
        assert (part["q_value"] > 0).all()


# ------------------------------------------------------------ phases and mixing
def test_phase_qvalues_one_family_per_test_column():
    rng = np.random.default_rng(4)
    tests = pd.DataFrame({"group": list("abcdef"), "p_value": rng.uniform(0, 0.1, 6),
                          "wilcoxon_p_value": rng.uniform(0, 0.1, 6)})
    tests.loc[3, "p_value"] = np.nan
    out = phase_qvalues(tests)
    assert list(out.columns) == ["group", "p_value", "q_value", "wilcoxon_p_value", "wilcoxon_q_value"]
    np.testing.assert_allclose(out["q_value"], _statsmodels(tests["p_value"].to_numpy()), equal_nan=True)
    np.testing.assert_allclose(out["wilcoxon_q_value"], _statsmodels(tests["wilcoxon_p_value"].to_numpy()))


def test_phase_tests_table_has_q_columns():
    rng = np.random.default_rng(6)
    rows = []
    for case in range(12):
        for phase in ("initiation", "design", "implementation"):
            for group in ("public", "private", "citizen"):
                share = rng.uniform(0.1, 0.5) + (0.2 if phase == "implementation" and group == "citizen" else 0)
                rows.append({"case_id": f"c{case}", "group": group, "phase": phase, "actor_share": share,
                             "tie_share": share, "activity_share": share, "roster": 10,
                             "rate": share, "actors": 3})
    phases = pd.DataFrame(rows).rename(columns={"group": "sector"})
    tests = phase_tests(phases, n_boot=50, seed=0)
    assert list(tests.columns) == list(PHASE_TEST_COLUMNS)
    assert PHASE_TEST_COLUMNS[PHASE_TEST_COLUMNS.index("p_value") + 1] == "q_value"
    assert PHASE_TEST_COLUMNS[PHASE_TEST_COLUMNS.index("wilcoxon_p_value") + 1] == "wilcoxon_q_value"
    np.testing.assert_allclose(tests["q_value"], _statsmodels(tests["p_value"].to_numpy()), equal_nan=True)
    np.testing.assert_allclose(tests["wilcoxon_q_value"], _statsmodels(tests["wilcoxon_p_value"].to_numpy()),
                               equal_nan=True)


def test_mixing_tests_one_family_per_test(tmp_path):
    rng = np.random.default_rng(8)
    n = 36
    cases = pd.DataFrame({"case_id": [f"c{i:02d}" for i in range(n)], "ei": rng.uniform(-1, 1, n),
                          "ei_p_value": rng.uniform(0, 1, n), "ei_p_value_conditional": rng.beta(0.3, 3, n)})
    cases.loc[[4, 9], "ei_p_value"] = np.nan  # e.g. one group only
    out = mixing_tests(cases, wave="w1")
    assert list(out.columns) == MIXING_TEST_COLUMNS
    assert len(out) == 2 * n and out["family"].nunique() == 2
    for test, column in (("ei_permutation", "ei_p_value"), ("ei_conditional", "ei_p_value_conditional")):
        part = out[out["test"] == test]
        assert list(part["case_id"]) == list(cases["case_id"])
        np.testing.assert_allclose(part["q_value"], _statsmodels(cases[column].to_numpy()), equal_nan=True)
    # no E-I column (e.g. ei_permutations: 0 and no group attribute): an empty table, not a crash
    assert list(mixing_tests(cases[["case_id"]]).columns) == MIXING_TEST_COLUMNS
    cases.to_csv(tmp_path / "cases.csv", index=False)
    written = write_mixing_tests(tmp_path / "cases.csv", tmp_path / "mixing_tests.csv", wave="w1")
    back = read_table(tmp_path / "mixing_tests.csv")
    pd.testing.assert_frame_equal(back, written, check_dtype=False)


def test_mixing_report_tables():
    from netinnov.reports.overview import mixing_summary, mixing_table

    cases = pd.DataFrame({"case_id": ["a", "b", "c"], "ei": [0.1, -0.5, 0.3], "ei_expected": [0.0, 0.0, 0.0],
                          "ei_p_value": [0.01, 0.04, np.nan], "ei_p_value_conditional": [0.2, 0.001, 0.5]})
    mixing = mixing_tests(cases)
    summary = mixing_summary(mixing).set_index("test")
    assert summary.loc["ei_permutation", "cases_tested"] == 2
    assert summary.loc["ei_permutation", "p <= 0.05"] == 2
    assert summary.loc["ei_permutation", "q <= 0.05"] == 2  # q = .02, .04
    assert summary.loc["ei_conditional", "q <= 0.05"] == 1  # q = .003, .3, .5
    table = mixing_table(mixing, cases)
    assert list(table.columns) == ["case_id", "ei", "ei_expected", "ei_permutation_p_value",
                                   "ei_permutation_q_value", "ei_conditional_p_value", "ei_conditional_q_value"]
    assert table["case_id"].tolist() == ["a", "b", "c"]
