"""The validity figures (netinnov.validity) against hand computations."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from helpers.paths import REPO
from netinnov.validity import (
    COLUMNS,
    mixing_figures,
    role_figures,
    tie_strength_figures,
    type_figures,
)


def _pairwise_auc(y: np.ndarray, s: np.ndarray) -> float:
    """AUC by counting holder/non-holder pairs (ties count one half)."""
    pos, neg = s[y == 1], s[y == 0]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(pos, neg))
    return wins / (len(pos) * len(neg))


@pytest.fixture
def wave():
    rng = np.random.default_rng(3)
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(12)]})
    for role in ("convener", "facilitator", "catalyst"):
        cases[f"{role}_max_score"] = rng.uniform(0, 1, len(cases))
        cases[f"{role}_inferred"] = (cases[f"{role}_max_score"] > 0.5).astype(int)
    actors = pd.DataFrame({
        "case_id": np.repeat(cases["case_id"], 5).to_numpy(),
        "actor_id": [f"a{i}" for i in range(60)],
    })
    for role in ("convener", "facilitator", "catalyst"):
        actors[f"{role}_score"] = rng.uniform(0, 1, len(actors))
    roles = pd.DataFrame({
        "case_id": ["c0", "c1", "c2", "c5", "c7", "c0"],
        "actor_id": ["a0", "a6", "a12", "a26", "a36", "a1"],
        "role": ["convener", "convener", "facilitator", "catalyst", "convener", "catalyst"],
    })
    return actors, cases, roles


def test_case_auc_equals_pair_counting(wave):
    actors, cases, roles = wave
    surveyed = set(cases["case_id"])
    out = role_figures(actors, cases, roles, criterion="reported", surveyed=surveyed, n_boot=50, seed=1)
    assert list(out.columns) == [c for c in COLUMNS if c not in ("source", "wave")]
    got = out.set_index(["construct", "measure", "subject"])["value"]
    for role in ("convener", "catalyst"):
        y = cases["case_id"].isin(roles.loc[roles["role"] == role, "case_id"]).astype(int).to_numpy()
        expected = _pairwise_auc(y, cases[f"{role}_max_score"].to_numpy())
        assert got[("role_presence", "auc", role)] == pytest.approx(expected)
        held = set(zip(roles.loc[roles["role"] == role, "case_id"], roles.loc[roles["role"] == role, "actor_id"],
                       strict=True))
        ya = np.array([(c, a) in held for c, a in zip(actors["case_id"], actors["actor_id"], strict=True)], dtype=int)
        assert got[("role_scores", "auc", role)] == pytest.approx(_pairwise_auc(ya, actors[f"{role}_score"].to_numpy()))
        rate = cases.loc[y == 1, f"{role}_inferred"].mean()
        assert got[("role_presence", "flag_rate", f"{role}|holder")] == pytest.approx(rate)


def test_only_surveyed_cases_are_evaluated(wave):
    actors, cases, roles = wave
    out = role_figures(actors, cases, roles, criterion="reported", n_boot=0)  # surveyed = cases with a roles row
    n = out.set_index(["construct", "measure", "subject"])["n"]
    assert n[("role_presence", "auc", "convener")] == roles["case_id"].nunique()
    assert n[("role_scores", "auc", "convener")] == 5 * roles["case_id"].nunique()


def test_score_correlations_and_their_target(wave):
    actors, cases, roles = wave
    actors = actors.assign(facilitator_score=actors["convener_score"] * 2 + 1)  # r = 1
    out = role_figures(actors, cases, roles, criterion="reported", n_boot=0)
    corr = out[out["measure"] == "correlation"].set_index("subject")
    assert corr.loc["convener~facilitator", "value"] == pytest.approx(1.0)
    assert corr.loc["convener~facilitator", "meets_target"] is False
    expected = np.corrcoef(actors["convener_score"], actors["catalyst_score"])[0, 1]
    assert corr.loc["convener~catalyst", "value"] == pytest.approx(expected)
    assert corr.loc["convener~catalyst", "meets_target"] is bool(abs(expected) <= 0.5)


def test_planted_rows_skip_the_correlations(wave):
    actors, cases, roles = wave
    out = role_figures(actors, cases, roles, criterion="planted", n_boot=0)
    assert not (out["measure"] == "correlation").any()
    assert set(out["criterion"]) == {"planted"}


def test_type_agreement_overall_and_per_planted_type():
    cases = pd.DataFrame({"case_id": list("abcdef"),
                          "collaboration_type": ["inter_agency", "public_private", "public_private",
                                                 "individual_change_agent", "inter_agency", "public_private"]})
    truth = pd.DataFrame({"case_id": list("abcdef"),
                          "collaboration_type": ["inter_agency", "public_private", "inter_agency",
                                                 "individual_change_agent", "inter_agency", "public_private"]})
    out = type_figures(cases, truth).set_index(["measure", "subject"])
    assert out.loc[("agreement", "all"), "value"] == pytest.approx(5 / 6)
    assert out.loc[("agreement", "inter_agency"), "value"] == pytest.approx(2 / 3)
    assert out.loc[("agreement", "all"), "meets_target"] is False
    assert out.loc[("agreement", "inter_agency"), "meets_target"] is None  # the target is on the overall agreement
    assert out.loc[("share", "public_private"), "value"] == pytest.approx(3 / 6)
    assert "agreement" not in type_figures(cases, None)["measure"].tolist()


def test_mixing_rejection_rates():
    cases = pd.DataFrame({"ei_p_value": [0.01, 0.2, 0.04, np.nan, 0.5],
                          "ei_p_value_conditional": [0.3, 0.2, 0.04, 0.9, 0.5]})
    out = mixing_figures(cases, null_holds=True).set_index("subject")
    assert out.loc["ei_p_value", "value"] == pytest.approx(2 / 4)
    assert out.loc["ei_p_value", "n"] == 4
    assert out.loc["ei_p_value_conditional", "value"] == pytest.approx(1 / 5)
    assert out.loc["ei_p_value_conditional", "meets_target"] is False  # 0.2 > 0.06
    assert set(mixing_figures(cases, null_holds=False)["criterion"]) == {"none"}
    # Wilson's interval of 1 in 5: (0.0362, 0.6245) (hand computation, z = 1.96)
    assert out.loc["ei_p_value_conditional", "ci_low"] == pytest.approx(0.0362, abs=1e-4)
    assert out.loc["ei_p_value_conditional", "ci_high"] == pytest.approx(0.6245, abs=1e-4)


def test_tie_strength_rows_pass_the_diagnostics_on():
    d = pd.DataFrame({"indicator": ["frequency", "closeness", "all"], "n_ties": [10, 8, 10],
                      "item_rest_correlation": [0.4, 0.3, np.nan],
                      "cronbach_alpha": [np.nan, np.nan, 0.71], "first_component_share": [np.nan, np.nan, 0.6]})
    out = tie_strength_figures(d).set_index(["measure", "subject"])
    assert out.loc[("cronbach_alpha", "all"), "value"] == pytest.approx(0.71)
    assert out.loc[("item_rest_correlation", "closeness"), "value"] == pytest.approx(0.3)
    assert tie_strength_figures(None).empty


def test_tie_strength_rows_from_the_tidy_diagnostics_table():
    """The wave step writes the diagnostics tidy (indicator, statistic, value, n_ties)."""
    from netinnov.metrics.tie_agreement import indicator_agreement

    rng = np.random.default_rng(1)
    x = rng.random((30, 3))
    tidy = indicator_agreement(pd.DataFrame(x, columns=["frequency", "closeness", "multiplexity"]))
    out = tie_strength_figures(tidy).set_index(["measure", "subject"])
    got = tidy.set_index(["indicator", "statistic"])["value"]
    assert out.loc[("cronbach_alpha", "all"), "value"] == pytest.approx(got[("all", "cronbach_alpha")])
    assert out.loc[("first_component_share", "all"), "value"] == pytest.approx(got[("all", "pc1_share")])
    assert out.loc[("item_rest_correlation", "closeness"), "value"] == pytest.approx(got[("closeness", "item_total_r")])
    assert out.loc[("cronbach_alpha", "all"), "n"] == 30


def test_reference_run_compares_the_measures_with_the_planted_truth():
    """The generator rows: every construct is there, on the planted truth, from the pipeline's own options."""
    from netinnov.config import load_config
    from netinnov.validity.reference import reference_figures

    options = load_config(REPO / "config" / "config.yaml", {"dataset": str(REPO / "data" / "example")})
    options["ei_permutations"] = 49
    out = reference_figures(options, n_cases=8, n_waves=2, n_boot=20)
    assert set(out["source"]) == {"generator"} and list(out["wave"].unique()) == ["w1", "w2"]
    planted = out[out["criterion"] == "planted"]
    assert {"role_presence", "role_scores", "collaboration_type"} <= set(planted["construct"])
    assert set(out.loc[out["construct"] == "mixing_test", "criterion"]) <= {"planted_null"}
    assert (out.loc[out["measure"] == "auc", "value"].dropna().between(0, 1)).all()
    again = reference_figures(options, n_cases=8, n_waves=2, n_boot=20)
    pd.testing.assert_frame_equal(out, again)  # seeded from the config's seed


def test_size_correlation_rows_over_the_role_free_cases(wave):
    actors, cases, roles = wave
    cases = cases.assign(n_actors=[5, 9, 4, 30, 12, 7, 5, 60, 8, 15, 6, 22])
    surveyed = set(cases["case_id"]) - {"c11"}
    out = role_figures(actors, cases, roles, criterion="reported", surveyed=surveyed, n_boot=0)
    size = out[out["measure"] == "size_correlation"].set_index("subject")
    assert list(size.index) == ["convener", "facilitator", "catalyst"]
    assert set(size["construct"]) == {"role_presence"} and size["meets_target"].isna().all()
    for role in ("convener", "facilitator", "catalyst"):
        free = cases[cases["case_id"].isin(surveyed) & ~cases["case_id"].isin(roles.loc[roles["role"] == role, "case_id"])]
        x, y = free[f"{role}_max_score"].to_numpy(), np.log(free["n_actors"].to_numpy(dtype=float))
        r = ((x - x.mean()) * (y - y.mean())).sum() / np.sqrt(((x - x.mean()) ** 2).sum() * ((y - y.mean()) ** 2).sum())
        assert size.loc[role, "value"] == pytest.approx(r)
        assert size.loc[role, "n"] == len(free)
    # without n_actors in cases.csv there is no size row (nothing to correlate with)
    plain = role_figures(actors, cases.drop(columns="n_actors"), roles, criterion="reported", n_boot=0)
    assert "size_correlation" not in set(plain["measure"])
