"""Participation rates per group roster (phases.csv ``roster``, ``rate``) and the
implementation test on them (``phase_tests.csv``): hand computations, and a
simulation in which the private actors' share of those active rises while their
rate does not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from netinnov.metrics.phase_tests import (
    PHASE_TEST_COLUMNS,
    group_involvement,
    implementation_test,
    phase_tests,
)
from netinnov.metrics.phases import PHASES, phase_participation

NAN = float("nan")


@pytest.fixture
def actors():
    return pd.DataFrame(
        {"actor_id": ["a", "b", "c", "d", "e", "f"],
         "sector": ["public", "public", "private", "civil_society", "citizen", "public"]}
    )  # fmt: skip


@pytest.fixture
def interactions():
    return pd.DataFrame(
        {
            "case_id": ["c1"] * 6 + ["c2"] * 2,
            "source": ["a", "a", "c", "d", "b", "e", "c", "d"],
            "target": ["c", "b", "a", "c", "c", "a", "d", "c"],
            "phase": ["initiation", "initiation", "implementation", "implementation", "design", None,
                      "diffusion", "diffusion"],
        }
    )  # fmt: skip


def cell(table, case, sector, phase):
    row = table[(table["case_id"] == case) & (table["sector"] == sector) & (table["phase"] == phase)]
    assert len(row) == 1
    return row.iloc[0]


def test_rate_by_hand_without_members(interactions, actors):
    t = phase_participation(interactions, actors)
    # c1's roster: the actors of its records in any phase or none: a, b (public), c, d, e
    for sector, size in {"public": 2, "private": 1, "civil_society": 1, "citizen": 1}.items():
        assert (t.loc[(t["case_id"] == "c1") & (t["sector"] == sector), "roster"] == size).all()
    assert cell(t, "c1", "public", "initiation")["rate"] == pytest.approx(2 / 2)
    assert cell(t, "c1", "public", "design")["rate"] == pytest.approx(1 / 2)  # b only
    assert cell(t, "c1", "public", "implementation")["rate"] == pytest.approx(1 / 2)  # a only
    assert cell(t, "c1", "citizen", "implementation")["rate"] == 0.0  # e only unphased
    assert np.isnan(cell(t, "c1", "public", "diffusion")["rate"])  # no record in the phase
    # c2: roster c, d; no public member: rate undefined, also where the phase has records
    assert cell(t, "c2", "public", "diffusion")["roster"] == 0
    assert np.isnan(cell(t, "c2", "public", "diffusion")["rate"])
    assert cell(t, "c2", "private", "diffusion")["rate"] == 1.0


def test_rate_by_hand_with_members(interactions, actors):
    members = pd.DataFrame({"case_id": ["c1"] * 6, "actor_id": ["a", "b", "c", "d", "e", "f"]})
    t = phase_participation(interactions, actors, members=members)
    assert cell(t, "c1", "public", "initiation")["roster"] == 3  # f is listed, never active
    assert cell(t, "c1", "public", "initiation")["rate"] == pytest.approx(2 / 3)
    assert cell(t, "c1", "public", "design")["rate"] == pytest.approx(1 / 3)
    # the shares do not change with the roster
    bare = phase_participation(interactions, actors)
    pd.testing.assert_series_equal(t["actor_share"], bare["actor_share"])
    # c2 is not listed: its roster stays the actors of its records
    assert cell(t, "c2", "private", "diffusion")["roster"] == 1


def test_rate_equals_an_independent_count(interactions, actors):
    """rate = |active of the group in the phase| / |group on the roster|, from plain Python sets."""
    t = phase_participation(interactions, actors)
    sector = dict(zip(actors["actor_id"], actors["sector"], strict=True))
    for case, rows in interactions.groupby("case_id"):
        roster = set(rows["source"]) | set(rows["target"])
        for phase in PHASES:
            part = rows[rows["phase"] == phase]
            active = set(part["source"]) | set(part["target"])
            for group in ("public", "private", "civil_society", "citizen"):
                members = {a for a in roster if sector[a] == group}
                got = cell(t, case, group, phase)["rate"]
                if not members or not active:
                    assert np.isnan(got)
                else:
                    assert got == pytest.approx(len({a for a in active if sector[a] == group}) / len(members))


def made_up_counts():
    """Five cases: (active, roster) of private and citizen per phase, and of public."""
    rng = np.random.default_rng(3)
    rows = []
    for k in range(5):
        for sector, size in (("private", 4 + k), ("citizen", 3), ("public", 6)):
            for phase in PHASES:
                active = int(rng.integers(0, size + 1)) if phase != "diffusion" else 0
                rows.append({"case_id": f"k{k}", "sector": sector, "phase": phase, "actors": active,
                             "roster": size})
    t = pd.DataFrame(rows)
    total = t.groupby(["case_id", "phase"])["actors"].transform("sum")
    t["actor_share"] = np.where(total > 0, t["actors"] / total.where(total > 0), np.nan)
    t["rate"] = np.where(total > 0, t["actors"] / t["roster"], np.nan)
    return t.assign(tie_share=t["actor_share"], activity_share=t["actor_share"])


def test_rate_test_pools_groups_as_a_ratio_of_sums():
    t = made_up_counts()
    res = implementation_test(t, groups=("private", "citizen"), measure="rate", n_boot=0).set_index("group")
    wide = t.pivot_table(index=["case_id", "phase"], columns="sector", values=["actors", "roster"])
    pooled = (wide["actors"]["private"] + wide["actors"]["citizen"]) / (wide["roster"]["private"] + 3)
    pooled = pooled.unstack()
    d = pooled["implementation"] - (pooled["initiation"] + pooled["design"]) / 2
    assert res.loc["non_public", "mean_difference"] == pytest.approx(d.mean())
    private = wide["actors"]["private"].unstack() / wide["roster"]["private"].unstack()
    dp = private["implementation"] - (private["initiation"] + private["design"]) / 2
    assert res.loc["private", "mean_difference"] == pytest.approx(dp.mean())
    assert res.loc["private", "n_cases"] == 5
    with pytest.raises(ValueError, match="roster"):
        implementation_test(t.drop(columns="roster"), measure="rate")


def test_phase_tests_is_the_implementation_test_on_shares_and_rates():
    t = made_up_counts()
    tests = phase_tests(t, n_boot=200, seed=5)
    assert list(tests.columns) == list(PHASE_TEST_COLUMNS)
    assert list(tests["measure"]) == ["share"] * 3 + ["rate"] * 3
    assert list(tests["group"]) == ["non_public", "private", "citizen"] * 2  # public is not tested
    assert (tests["test"] == "implementation").all()
    for measure, column in (("share", "actor_share"), ("rate", "rate")):
        want = implementation_test(t, groups=["private", "citizen"], measure=column, n_boot=200, seed=5)
        got = tests[tests["measure"] == measure].reset_index(drop=True)
        np.testing.assert_allclose(got["estimate"], want["mean_difference"])
        np.testing.assert_allclose(got["p_value"], want["t_p_value"])
        np.testing.assert_allclose(got["ci_low"], want["ci_low"])
    assert phase_tests(t[t["sector"] == "public"]).empty


def test_group_involvement_reports_the_mean_rate():
    t = made_up_counts()
    inv = group_involvement(t, "citizen").set_index("phase")
    rates = t[t["sector"] == "citizen"].groupby("phase")["rate"].mean()
    assert inv.loc["design", "mean_rate"] == pytest.approx(rates["design"])
    assert np.isnan(inv.loc["diffusion", "mean_rate"])
    assert "mean_rate" not in group_involvement(t.drop(columns="roster"), "citizen").columns


# ----------------------------------------------------------------- size and power
def simulate(rng, *, n_cases=30, public_rates=(0.8, 0.8, 0.3), private_rates=(0.5, 0.5, 0.5)):
    """Cases of 8 public and 6 private members; each member attends the
    phase's event with its group's probability in that phase. Returns the
    participation records, the actors and the rosters."""
    n_public, n_private = 8, 6
    ids = np.array([f"p{i}" for i in range(n_public)] + [f"q{i}" for i in range(n_private)])
    rates = np.array([public_rates] * n_public + [private_rates] * n_private)  # actor × phase
    active = rng.random((n_cases, len(ids), 3)) < rates[None]
    case, actor, phase = np.nonzero(active)
    names = np.array([f"c{k:02d}" for k in range(n_cases)])
    part = pd.DataFrame({"case_id": names[case], "event_id": np.array(PHASES[:3])[phase],
                         "actor_id": ids[actor], "phase": np.array(PHASES[:3])[phase]})
    actors = pd.DataFrame({"actor_id": ids, "sector": ["public"] * n_public + ["private"] * n_private})
    members = pd.DataFrame({"case_id": np.repeat(names, len(ids)), "actor_id": np.tile(ids, n_cases)})
    empty = pd.DataFrame({"case_id": [], "source": [], "target": []}, dtype=object)
    return empty, part, actors, members


def rejections(rng, reps, **kwargs):
    out = {"share": 0, "rate": 0}
    for _ in range(reps):
        inter, part, actors, members = simulate(rng, **kwargs)
        t = phase_participation(inter, actors, part, members=members)
        tests = phase_tests(t, n_boot=0).set_index(["measure", "group"])
        for measure in out:
            out[measure] += tests.loc[(measure, "private"), "p_value"] < 0.05
    return {m: n / reps for m, n in out.items()}


def test_fewer_public_actors_raise_the_private_share_but_not_the_private_rate():
    """Private actors are as active in every phase; public actors drop out of
    implementation. The share test finds a (spurious) rise, the rate test
    keeps its size."""
    rng = np.random.default_rng(12)
    found = rejections(rng, 100)
    assert found["share"] >= 0.9
    assert found["rate"] <= 0.12  # nominal 0.05; 100 replicates, binomial s.e. 0.022


def test_the_rate_test_finds_a_real_rise():
    rng = np.random.default_rng(13)
    found = rejections(rng, 30, public_rates=(0.8, 0.8, 0.8), private_rates=(0.3, 0.3, 0.6))
    assert found["rate"] >= 0.9
