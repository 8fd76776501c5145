"""Tests of netinnov.metrics.phases on a hand-made dataset and made-up tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from netinnov.metrics.phase_tests import citizen_involvement, group_involvement, implementation_test
from netinnov.metrics.phases import PHASES, phase_participation

NAN = float("nan")


@pytest.fixture
def actors():
    return pd.DataFrame(
        {
            "actor_id": ["a", "b", "c", "d", "e"],
            "sector": ["public", "public", "private", "civil_society", "citizen"],
        }
    )


@pytest.fixture
def interactions():
    return pd.DataFrame(
        {
            "case_id": ["c1"] * 8 + ["c2"] * 2,
            "source": ["a", "a", "c", "d", "e", "a", "b", "a", "c", "d"],
            "target": ["c", "b", "a", "c", "a", "b", "c", "c", "d", "c"],
            "frequency": [2, 1, 3, 1, 1, 1, 1, 1, 2, NAN],
            "phase": [
                "initiation", "initiation", "implementation", "implementation",
                "implementation", None, "Design ", "testing", "diffusion", "diffusion",
            ],
        }
    )  # fmt: skip


@pytest.fixture
def participation():
    return pd.DataFrame(
        {
            "case_id": ["c1"] * 7 + ["c2"] * 2,
            "event_id": ["E1", "E1", "E1", "E2", "E2", "E3", "E3", "E4", "E4"],
            "actor_id": ["a", "d", "e", "b", "c", "a", "x", "x", "d"],
            "phase": ["design"] * 3 + ["implementation"] * 2 + [None, None] + ["diffusion"] * 2,
        }
    )


def cell(table, case, sector, phase):
    row = table[
        (table["case_id"] == case) & (table["sector"] == sector) & (table["phase"] == phase)
    ]
    assert len(row) == 1
    return row.iloc[0]


def check(table, case, phase, expected):
    """expected: sector -> (actors, actor_share, ties, tie_share, activity, activity_share)."""
    cols = ["actors", "actor_share", "ties", "tie_share", "activity", "activity_share"]
    for sector, values in expected.items():
        row = cell(table, case, sector, phase)
        for col, value in zip(cols, values, strict=True):
            if np.isnan(value):
                assert np.isnan(row[col]), (case, phase, sector, col)
            else:
                assert row[col] == pytest.approx(value), (case, phase, sector, col)


def test_phase_participation_hand_worked(interactions, actors, participation):
    t = phase_participation(interactions, actors, participation)
    assert list(t.columns) == [
        "case_id", "sector", "phase", "actors", "actor_share", "ties", "tie_share",
        "activity", "activity_share", "roster", "rate", "unphased_records",
    ]  # fmt: skip
    sectors = ["citizen", "civil_society", "private", "public", "unknown"]
    assert len(t) == 2 * 4 * 5
    assert list(t["phase"].cat.categories) == list(PHASES)
    assert list(t.loc[t["case_id"] == "c1", "phase"].astype(str).unique()) == list(PHASES)
    assert list(t["sector"].iloc[:5]) == sectors
    zero = (0, 0.0, 0, 0.0, 0.0, 0.0)
    # c1 initiation: a-c (freq 2), a-b (freq 1)
    check(t, "c1", "initiation", {
        "public": (2, 2 / 3, 2, 1.0, 4.0, 4 / 6),
        "private": (1, 1 / 3, 1, 0.5, 2.0, 2 / 6),
        "citizen": zero, "civil_society": zero, "unknown": zero,
    })  # fmt: skip
    # c1 design: b-c ("Design "), event E1 with a, d, e
    check(t, "c1", "design", {
        "public": (2, 2 / 5, 3, 3 / 4, 2.0, 2 / 5),
        "private": (1, 1 / 5, 1, 1 / 4, 1.0, 1 / 5),
        "civil_society": (1, 1 / 5, 2, 2 / 4, 1.0, 1 / 5),
        "citizen": (1, 1 / 5, 2, 2 / 4, 1.0, 1 / 5),
    })  # fmt: skip
    # c1 implementation: c-a (3), d-c (1), e-a (1), event E2 with b, c
    check(t, "c1", "implementation", {
        "public": (2, 2 / 5, 3, 3 / 4, 5.0, 5 / 12),
        "private": (1, 1 / 5, 3, 3 / 4, 5.0, 5 / 12),
        "civil_society": (1, 1 / 5, 1, 1 / 4, 1.0, 1 / 12),
        "citizen": (1, 1 / 5, 1, 1 / 4, 1.0, 1 / 12),
    })  # fmt: skip
    empty = (0, NAN, 0, NAN, 0.0, NAN)
    check(t, "c1", "diffusion", dict.fromkeys(sectors, empty))
    # c2 diffusion: c-d (2), d-c (missing frequency -> 1), event E4 with x (no group), d
    check(t, "c2", "diffusion", {
        "private": (1, 1 / 3, 1, 1 / 2, 3.0, 3 / 8),
        "civil_society": (1, 1 / 3, 2, 1.0, 4.0, 4 / 8),
        "unknown": (1, 1 / 3, 1, 1 / 2, 1.0, 1 / 8),
        "public": zero,
    })  # fmt: skip
    check(t, "c2", "initiation", dict.fromkeys(sectors, empty))
    # c1: record without phase, record with phase "testing", two E3 rows
    assert (t.loc[t["case_id"] == "c1", "unphased_records"] == 4).all()
    assert (t.loc[t["case_id"] == "c2", "unphased_records"] == 0).all()


def test_shares_sum_to_one_over_groups(interactions, actors, participation):
    t = phase_participation(interactions, actors, participation)
    sums = t.groupby(["case_id", "phase"], observed=True)[["actor_share", "activity_share"]].sum(
        min_count=1
    )
    defined = sums.dropna()
    assert len(defined) == 4
    assert np.allclose(defined.to_numpy(), 1.0)


def test_without_coparticipation_ties(interactions, actors, participation):
    t = phase_participation(interactions, actors, participation, coparticipation_ties=False)
    assert cell(t, "c1", "public", "design")["ties"] == 1  # only b-c
    assert cell(t, "c1", "public", "design")["actors"] == 2  # attendance still counts


def test_no_phase_column(interactions, actors, participation):
    t = phase_participation(
        interactions.drop(columns="phase"), actors, participation.drop(columns="phase")
    )
    assert (t[["actors", "ties"]] == 0).all().all() and (t["activity"] == 0).all()
    assert t[["actor_share", "tie_share", "activity_share"]].isna().all().all()
    assert (t.loc[t["case_id"] == "c1", "unphased_records"] == 8 + 7).all()
    assert set(t["sector"]) == {"citizen", "civil_society", "private", "public"}


def test_interactions_only_and_other_group_attribute(interactions, actors):
    actors = actors.assign(level=["local", "national", "local", "local", "local"]).set_index(
        "actor_id"
    )
    t = phase_participation(interactions, actors, group_attribute="level")
    assert "level" in t.columns and "sector" not in t.columns
    row = t[
        (t["case_id"] == "c1") & (t["level"] == "national") & (t["phase"] == "initiation")
    ].iloc[0]
    assert row["actors"] == 1 and row["actor_share"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="sector"):
        phase_participation(interactions, actors.drop(columns="sector"))


def made_up_table():
    """Six cases; per case the shares (initiation, design, implementation)."""
    shares = {
        # case: {sector: (init, design, impl)}
        "k1": {"private": (0.1, 0.1, 0.3), "citizen": (0.0, 0.1, 0.1)},
        "k2": {"private": (0.2, 0.0, 0.2), "citizen": (0.1, 0.1, 0.0)},
        "k3": {"private": (0.0, 0.2, 0.4), "citizen": (0.0, 0.0, 0.1)},
        "k4": {"private": (0.1, 0.3, 0.2), "citizen": (0.2, 0.0, 0.1)},
        "k5": {"private": (0.0, 0.0, 0.25), "citizen": (0.0, 0.0, 0.05)},
        "k6": {"private": (0.1, NAN, 0.5), "citizen": (0.1, NAN, 0.1)},
    }
    rows = []
    for case, by in shares.items():
        for i, phase in enumerate(PHASES[:3]):
            values = {s: v[i] for s, v in by.items()}
            public = NAN if np.isnan(values["private"]) else 1 - sum(values.values())
            for sector, value in [*values.items(), ("public", public)]:
                rows.append(
                    {"case_id": case, "sector": sector, "phase": phase, "actor_share": value}
                )
        for sector in ("private", "citizen", "public"):
            rows.append(
                {"case_id": case, "sector": sector, "phase": "diffusion", "actor_share": NAN}
            )
    return pd.DataFrame(rows), shares


def test_implementation_test_on_made_up_table():
    table, shares = made_up_table()
    res = implementation_test(
        table, groups=("private", "civil_society", "citizen"), n_boot=500, seed=4
    )
    assert list(res["group"]) == ["non_public", "private", "civil_society", "citizen"]
    cases = ["k1", "k2", "k3", "k4", "k5"]  # k6 lacks design
    for group, members in [
        ("non_public", ["private", "citizen"]),
        ("private", ["private"]),
        ("citizen", ["citizen"]),
    ]:
        late = np.array([sum(shares[c][m][2] for m in members) for c in cases])
        early = np.array(
            [sum((shares[c][m][0] + shares[c][m][1]) / 2 for m in members) for c in cases]
        )
        d = late - early
        row = res.set_index("group").loc[group]
        assert row["n_cases"] == 5
        assert row["mean_difference"] == pytest.approx(d.mean())
        assert row["mean_early"] == pytest.approx(early.mean())
        assert row["mean_implementation"] == pytest.approx(late.mean())
        assert row["sd_difference"] == pytest.approx(d.std(ddof=1))
        paired = stats.ttest_rel(late, early)
        assert row["t_statistic"] == pytest.approx(paired.statistic)
        assert row["t_p_value"] == pytest.approx(paired.pvalue)
        assert row["wilcoxon_p_value"] == pytest.approx(stats.wilcoxon(late, early).pvalue)
        assert row["cohens_dz"] == pytest.approx(d.mean() / d.std(ddof=1))
        assert d.min() <= row["ci_low"] <= d.mean() <= row["ci_high"] <= d.max()
    # hand check of the pooled differences: k1 0.4-0.15 = 0.25, k2 0.2-0.2 = 0, ...
    assert res.loc[0, "mean_difference"] == pytest.approx(np.mean([0.25, 0.0, 0.4, -0.0, 0.3]))
    civil = res.set_index("group").loc["civil_society"]
    assert civil["n_cases"] == 5 and civil["mean_difference"] == 0
    assert np.isnan(civil["t_p_value"]) and np.isnan(civil["wilcoxon_p_value"])
    again = implementation_test(table, n_boot=500, seed=4)
    pd.testing.assert_frame_equal(res, again)


def test_implementation_test_from_phase_participation(interactions, actors, participation):
    t = phase_participation(interactions, actors, participation)
    res = implementation_test(t, measure="activity_share", n_boot=100)
    # only c1 has records in initiation, design and implementation
    assert (res["n_cases"] == 1).all()
    row = res.set_index("group").loc["private"]
    assert row["mean_difference"] == pytest.approx(5 / 12 - (2 / 6 + 1 / 5) / 2)
    assert np.isnan(row["t_p_value"]) and np.isnan(row["ci_low"])
    with pytest.raises(ValueError, match="measure"):
        implementation_test(t, measure="actors")


def test_citizen_involvement(interactions, actors, participation):
    t = phase_participation(interactions, actors, participation)
    inv = citizen_involvement(t)
    assert list(inv["phase"]) == list(PHASES)
    by = inv.set_index("phase")
    assert by.loc["initiation", "n_cases"] == 1 and by.loc["initiation", "cases_involved"] == 0
    assert by.loc["design", "mean_actor_share"] == pytest.approx(1 / 5)
    assert by.loc["implementation", "mean_activity_share"] == pytest.approx(1 / 12)
    assert by.loc["design", "mean_tie_share"] == pytest.approx(2 / 4)
    # diffusion: only c2 has records; it has no citizen
    assert by.loc["diffusion", "n_cases"] == 1 and by.loc["diffusion", "involved_share"] == 0
    civil = group_involvement(t, "civil_society").set_index("phase")
    assert civil.loc["diffusion", "cases_involved"] == 1
    assert civil.loc["diffusion", "mean_actor_share"] == pytest.approx(1 / 3)


def test_table_read_back_from_csv(tmp_path, interactions, actors, participation):
    t = phase_participation(interactions, actors, participation)
    t.to_csv(tmp_path / "phases.csv", index=False)
    back = pd.read_csv(tmp_path / "phases.csv")
    pd.testing.assert_frame_equal(
        implementation_test(back, n_boot=50), implementation_test(t, n_boot=50)
    )


def test_empty_records():
    actors = pd.DataFrame({"actor_id": ["a"], "sector": ["public"]})
    t = phase_participation(pd.DataFrame(columns=["case_id", "source", "target"]), actors)
    assert len(t) == 0 and "unphased_records" in t.columns
    res = implementation_test(t, n_boot=10)
    assert (res["n_cases"] == 0).all() and res["mean_difference"].isna().all()
    assert (citizen_involvement(t)["n_cases"] == 0).all()
    with pytest.raises(ValueError, match="target"):
        phase_participation(pd.DataFrame(columns=["case_id", "source"]), actors)


def test_distinct_rows_equal_numpy_unique_and_survive_huge_codes():
    from netinnov.metrics.phases import _distinct_rows

    rng = np.random.default_rng(1)
    cols = [rng.integers(0, k, 2000) for k in (5, 7, 3)]
    got = np.column_stack(_distinct_rows(*cols))
    np.testing.assert_array_equal(got, np.unique(np.column_stack(cols), axis=0))
    big = [np.array([2**40, 5, 2**40]), np.array([3, 2**30, 3])]  # key would overflow: pandas path
    got = sorted(zip(*_distinct_rows(*big), strict=True))
    assert got == [(5, 2**30), (2**40, 3)]
    assert all(len(c) == 0 for c in _distinct_rows(np.array([], dtype=np.int64), np.array([], dtype=np.int64)))
