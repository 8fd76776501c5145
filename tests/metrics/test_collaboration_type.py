"""Tests of netinnov.metrics.collaboration_type: who drives a case.

Independent computations: per-actor shares recounted record by record in
plain Python, hand-built cases for each rule, and a latent generator
(tests/collaboration_generator.py) that plants the three CLIPS types from
behaviour, not from the classification formula.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import collaboration_generator as gen
from helpers.paths import REPO
from netinnov.metrics import diversity
from netinnov.metrics.collaboration_type import (
    COLLABORATION_TYPES,
    EVIDENCE_COLUMNS,
    collaboration_evidence,
    collaboration_type,
    driver_evidence,
    type_agreement,
)
from netinnov.networks import CaseNetwork

SECTORS = ("citizen", "civil_society", "private", "public")


def make_case(records, sectors, orgs=None, *, case_id="c"):
    """A CaseNetwork (directed, distinct arcs) and its records frame."""
    recs = pd.DataFrame(records, columns=["source", "target", "phase"]).assign(case_id=case_id)
    actors = list(sectors)
    pos = {a: i for i, a in enumerate(actors)}
    arcs = sorted({(pos[s], pos[t]) for s, t in zip(recs["source"], recs["target"], strict=True)})
    ids = np.array(actors, dtype=object)
    ties = pd.DataFrame(
        {
            "source_index": [a for a, _ in arcs],
            "target_index": [b for _, b in arcs],
            "source": [ids[a] for a, _ in arcs],
            "target": [ids[b] for _, b in arcs],
            "weight": 1.0,
        }
    )
    groups = np.array([SECTORS.index(sectors[a]) if sectors[a] else -1 for a in actors], dtype=np.int64)
    attrs = pd.DataFrame({"organization": [(orgs or {}).get(a) for a in actors]}, index=pd.Index(actors))
    return CaseNetwork(case_id, ids, groups, SECTORS, True, ties, attributes=attrs), recs


def star_records(centre, others, n_each, phase="initiation"):
    return [(centre, o, phase) for o in others for _ in range(n_each)]


# -------------------------------------------------------------- evidence
def test_driver_evidence_matches_a_record_by_record_count():
    rng = np.random.default_rng(4)
    actors = [f"a{i}" for i in range(12)]
    sectors = {a: SECTORS[i % 4] for i, a in enumerate(actors)}
    records = []
    for _ in range(80):
        s, t = rng.choice(12, size=2, replace=False)
        records.append((actors[s], actors[t], rng.choice(["initiation", "design", "implementation", None])))
    net, recs = make_case(records, sectors)
    other_case = recs.assign(case_id="other")  # rows of another case are ignored
    ev = driver_evidence(net, pd.concat([recs, other_case], ignore_index=True))
    for a in actors:
        involved = [r for r in records if a in r[:2]]
        early_all = [r for r in records if r[2] in ("initiation", "design")]
        early = [r for r in early_all if a in r[:2]]
        partners = {r[1] if r[0] == a else r[0] for r in involved}
        r_i = len(involved) / len(records)
        e_i = len(early) / len(early_all)
        c_i = len(partners) / 11
        assert ev.loc[a, "record_share"] == pytest.approx(r_i)
        assert ev.loc[a, "early_share"] == pytest.approx(e_i)
        assert ev.loc[a, "degree_share"] == pytest.approx(c_i)
        assert ev.loc[a, "driver_score"] == pytest.approx((r_i + e_i + c_i) / 3)
        assert ev.loc[a, "early_lift"] == pytest.approx(e_i / r_i if r_i else np.nan, nan_ok=True)


def test_early_records_by_date_when_no_phase():
    records = [("a", "b", None), ("a", "c", None), ("b", "c", None), ("c", "d", None)]
    net, recs = make_case(records, {"a": "public", "b": "public", "c": "private", "d": "private"})
    recs["date"] = pd.to_datetime(["2024-01-01", "2024-01-20", "2024-06-01", "2024-12-31"])
    ev = driver_evidence(net, recs)
    # the first third of the span (to 2024-05-01) holds the first two records
    assert ev.loc["a", "early_share"] == pytest.approx(1.0)
    assert ev.loc["b", "early_share"] == pytest.approx(0.5)
    assert ev.loc["d", "early_share"] == 0
    no_time = driver_evidence(net, recs.drop(columns=["date"]))
    assert (no_time["early_share"] == no_time["record_share"]).all()
    assert no_time["early_lift"].isna().all()


# ----------------------------------------------------------------- rules
PUBLIC_ORGS = {"p1": "agency_a", "p2": "agency_b", "p3": "agency_a"}


def roster(extra=()):
    base = {"p1": "public", "p2": "public", "p3": "public", "f1": "private", "n1": "civil_society"}
    base |= {f"x{i}": s for i, s in enumerate(["private", "civil_society", "public", "citizen"] * 2)}
    return base | dict(extra)


def background(n=2):
    """Late, spread-out work among the ordinary actors."""
    xs = [f"x{i}" for i in range(8)]
    return [(xs[i], xs[(i + 1) % 8], "implementation") for i in range(8)] * n


def test_one_actor_carrying_the_work_is_an_individual_change_agent():
    others = [a for a in roster() if a != "f1"]
    records = star_records("f1", others, 3) + background(1)
    net, recs = make_case(records, roster(), PUBLIC_ORGS)
    ev = collaboration_evidence(net, recs)
    assert ev["collaboration_type"] == "individual_change_agent"
    assert ev["drivers"].split(";")[0] == "f1" and ev["n_drivers"] == 1
    assert ev["top_driver_share"] == 1.0
    assert set(EVIDENCE_COLUMNS) <= set(ev)


def test_two_public_organisations_drive_an_inter_agency_case():
    ordinary = [f"x{i}" for i in range(8)] + ["f1", "n1"]
    records = star_records("p1", ordinary, 2) + star_records("p2", ordinary, 2)
    records += [("p1", "p2", "initiation")] * 3 + background(2)
    net, recs = make_case(records, roster(), PUBLIC_ORGS)
    ev = collaboration_evidence(net, recs)
    assert ev["collaboration_type"] == "inter_agency"
    assert set(ev["drivers"].split(";")) == {"p1", "p2"}
    assert ev["n_driver_public_organizations"] == 2 and ev["driver_nonpublic_share"] == 0
    assert ev["driver_sectors"] == "public"
    # the same two drivers inside one organisation are not inter-agency
    net_one, _ = make_case(records, roster(), {"p1": "agency_a", "p2": "agency_a"})
    assert collaboration_type(net_one, recs) == "unclassified"
    # without the organisation attribute neither
    net_none, _ = make_case(records, roster())
    assert collaboration_type(net_none, recs) == "unclassified"


def test_a_private_or_civil_society_driver_makes_it_public_private():
    ordinary = [f"x{i}" for i in range(8)]
    for partner in ("f1", "n1"):
        records = star_records("p1", ordinary, 2) + star_records(partner, ordinary, 2)
        records += [("p1", partner, "design")] * 3 + background(2)
        net, recs = make_case(records, roster(), PUBLIC_ORGS)
        ev = collaboration_evidence(net, recs)
        assert ev["collaboration_type"] == "public_private", partner
        assert ev["driver_nonpublic_share"] == pytest.approx(0.5)


def test_a_minor_non_public_driver_does_not_make_it_public_private():
    # two public agencies drive; a private actor starts early with them but does a small part
    ordinary = [f"x{i}" for i in range(8)]
    records = star_records("p1", ordinary, 3) + star_records("p2", ordinary, 3)
    records += [("p1", "p2", "initiation")] * 3 + star_records("f1", ordinary[:4], 1) + background(2)
    net, recs = make_case(records, roster(), PUBLIC_ORGS)
    ev = collaboration_evidence(net, recs, driver_ratio=0.2)
    drivers = ev["drivers"].split(";")
    assert {"p1", "p2", "f1"} == set(drivers)
    # hand count: the drivers' record involvement (a record counts for both ends)
    involve = {d: sum(d in r[:2] for r in records) for d in drivers}
    expected = involve["f1"] / sum(involve.values())
    assert ev["nonpublic_driver_work_share"] == pytest.approx(expected)
    assert expected < 0.25
    assert ev["driver_nonpublic_share"] == pytest.approx(1 / 3)
    assert ev["collaboration_type"] == "inter_agency"
    # the rule can be switched off: any non-public driver makes it public-private
    assert collaboration_type(net, recs, driver_ratio=0.2, min_nonpublic_share=0.0) == "public_private"
    # the threshold just above / at the share decides
    assert collaboration_type(net, recs, driver_ratio=0.2, min_nonpublic_share=expected) == "public_private"
    assert collaboration_type(net, recs, driver_ratio=0.2, min_nonpublic_share=expected + 1e-9) == "inter_agency"
    # the same drivers in one organisation: neither inter-agency nor public-private
    net_one, _ = make_case(records, roster(), {"p1": "agency_a", "p2": "agency_a"})
    assert collaboration_type(net_one, recs, driver_ratio=0.2) == "unclassified"


def test_late_hub_is_not_a_driver_and_reported_roles_lower_the_bar():
    ordinary = [f"x{i}" for i in range(8)]
    records = star_records("p1", ordinary, 2) + star_records("p2", ordinary, 2)
    # a very active private actor whose work all comes late
    records += star_records("f1", ordinary, 2, phase="implementation")
    records += background(1)
    net, recs = make_case(records, roster(), PUBLIC_ORGS)
    ev = collaboration_evidence(net, recs)
    assert "f1" not in ev["drivers"].split(";")
    assert ev["collaboration_type"] == "inter_agency"
    assert collaboration_type(net, recs, min_early_lift=0.0) == "public_private"
    # n1 works early but little: a driver only when reported as convener (with an early-lift bar
    # of 1 the ordinary x0, whose lift is just below 1, stays out)
    records2 = records + star_records("n1", ordinary[:3], 1, phase="initiation")
    net2, recs2 = make_case(records2, roster(), PUBLIC_ORGS)
    strict = {"min_early_lift": 1.0, "min_nonpublic_share": 0.0}
    assert "n1" not in collaboration_evidence(net2, recs2, **strict)["drivers"]
    roles = pd.DataFrame({"case_id": ["c"], "actor_id": ["n1"], "role": ["Convener"]})
    with_role = collaboration_evidence(net2, recs2, roles, role_driver_ratio=0.2, **strict)
    assert "n1" in with_role["drivers"].split(";") and with_role["n_driver_reported_roles"] == 1
    assert with_role["collaboration_type"] == "public_private"
    # ... but a convener with a small part of the drivers' work does not make the case public-private
    assert with_role["nonpublic_driver_work_share"] < 0.25
    assert collaboration_type(net2, recs2, roles, role_driver_ratio=0.2, min_early_lift=1.0) == "inter_agency"
    other_case = roles.assign(case_id="other")
    assert collaboration_evidence(net2, recs2, other_case, role_driver_ratio=0.2, **strict)["drivers"] == (
        collaboration_evidence(net2, recs2, **strict)["drivers"]
    )


def test_degenerate_cases_and_thresholds():
    net, recs = make_case([], {"a": "public", "b": "private"})
    ev = collaboration_evidence(net, recs)
    assert ev["collaboration_type"] == "no_collaboration" and ev["n_drivers"] == 0
    # two equal drivers: the top carries half the drivers' work
    ordinary = [f"x{i}" for i in range(8)]
    records = star_records("p1", ordinary, 2) + star_records("p2", ordinary, 2) + background(2)
    net, recs = make_case(records, roster(), PUBLIC_ORGS)
    ev = collaboration_evidence(net, recs)
    assert ev["top_driver_share"] == pytest.approx(0.5) and ev["collaboration_type"] == "inter_agency"
    assert collaboration_type(net, recs, change_agent_dominance=0.5, change_agent_share=0.3) == (
        "individual_change_agent"
    )
    assert collaboration_type(net, recs, max_drivers=1) == "individual_change_agent"
    # drivers of unknown group: unclassified
    unknown = roster({"p1": None, "p2": None})
    net_u, _ = make_case(records, unknown)
    assert collaboration_type(net_u, recs) == "unclassified"
    for value in COLLABORATION_TYPES:
        assert isinstance(value, str)


def test_network_alone_and_the_diversity_alias():
    others = [a for a in roster() if a != "f1"]
    net, _ = make_case(star_records("f1", others, 1) + background(1), roster(), PUBLIC_ORGS)
    # without records the ties stand for them
    assert collaboration_type(net) == "individual_change_agent"
    assert diversity.collaboration_type is collaboration_type
    assert diversity.COLLABORATION_TYPES == COLLABORATION_TYPES


# --------------------------------------------------------------- validity
def test_type_agreement_counts_hits_per_wave():
    truth = pd.DataFrame(
        {
            "case_id": ["a", "b", "c", "a", "b"],
            "wave": ["w1", "w1", "w1", "w2", "w2"],
            "collaboration_type": ["inter_agency", "public_private", "public_private", "inter_agency", "individual_change_agent"],
        }
    )
    panel = pd.DataFrame(
        {
            "case_id": ["a", "b", "c", "a"],  # w2/b missing: a miss
            "wave": ["w1", "w1", "w1", "w2"],
            "collaboration_type": ["inter_agency", "inter_agency", "public_private", "inter_agency"],
        }
    )
    got = type_agreement(panel, truth).set_index("wave")
    assert got.loc["w1", "agreement"] == pytest.approx(2 / 3)
    assert got.loc["w2", "agreement"] == pytest.approx(1 / 2)
    assert got.loc["all", "agreement"] == pytest.approx(3 / 5) and got.loc["all", "n_cases"] == 5
    assert got.loc["all", "recall_public_private"] == pytest.approx(1 / 2)
    one_wave = type_agreement(panel[panel["wave"] == "w1"].drop(columns="wave"), truth, wave="w1")
    assert one_wave.iloc[-1]["agreement"] == pytest.approx(2 / 3)


def test_agreement_with_planted_types_on_a_latent_generator():
    nets, interactions, roles, _, truth = gen.generate(300, seed=3, sigma=0.6, hub_factor=2.0)
    by_case = dict(tuple(interactions.groupby("case_id")))
    rows = [
        {"case_id": c, **collaboration_evidence(net, by_case.get(c), roles)} for c, net in nets.items()
    ]
    cases = pd.DataFrame(rows)
    assert set(truth["collaboration_type"]) == {"individual_change_agent", "public_private", "inter_agency"}
    result = type_agreement(cases, truth, wave="w1").set_index("wave").loc["all"]
    print(result.to_dict())
    assert result["agreement"] >= 0.85
    # every planted type is recovered well above chance
    for kind in ("individual_change_agent", "public_private", "inter_agency"):
        assert result[f"recall_{kind}"] >= 0.6


def test_a_non_respondent_driver_is_counted_where_others_name_it():
    # f1 did not respond: no record has f1 as its source, but everyone names f1 early
    others = [a for a in roster() if a != "f1"]
    records = [(o, "f1", "initiation") for o in others for _ in range(3)] + background(1)
    assert not any(r[0] == "f1" for r in records)
    net, recs = make_case(records, roster(), PUBLIC_ORGS)
    ev = driver_evidence(net, recs)
    named = sum(r[1] == "f1" for r in records)
    early = [r for r in records if r[2] in ("initiation", "design")]
    assert ev.loc["f1", "record_share"] == pytest.approx(named / len(records))
    assert ev.loc["f1", "early_share"] == pytest.approx(sum(r[1] == "f1" for r in early) / len(early))
    got = collaboration_evidence(net, recs)
    assert got["drivers"].split(";")[0] == "f1"
    assert got["collaboration_type"] == "individual_change_agent"


# ----------------------------------------------- generator v2 (held-out seed)
#: Seed of the v2 dataset below: not one of the seeds the defaults were
#: examined on (11-13 tuning; 21-23, 31, 41 and 20261127, the example, where
#: ``min_nonpublic_share`` and ``min_early_lift`` were chosen).
V2_SEED = 51


@pytest.fixture(scope="module")
def v2_types(tmp_path_factory):
    """Computed and planted types of a fresh generator-v2 dataset (100 cases x 2 waves)."""
    from netinnov.config import load_config
    from netinnov.io import validate_wave
    from netinnov.metrics.wave import _case_groups, wave_networks
    from netinnov.simulate import simulate_dataset

    out = tmp_path_factory.mktemp("v2") / "data"
    simulate_dataset(out, seed=V2_SEED, n_cases=100, n_waves=2, bad_rows=False)
    options = load_config(REPO / "config" / "config.yaml", {"dataset": str(out)})
    rows = []
    for wave in ("w1", "w2"):
        data = validate_wave(out, wave, waves=["w1", "w2"], directed=True)
        inter, roles = _case_groups(data.interactions), _case_groups(data.roles)
        for case_id, net in wave_networks(data, options).items():
            ev = collaboration_evidence(net, inter.get(case_id), roles.get(case_id),
                                        **(options.get("collaboration_type") or {}))
            rows.append({"case_id": case_id, "wave": wave, "collaboration_type": ev["collaboration_type"]})
    cases = pd.DataFrame(rows)
    truth = pd.read_csv(out / "true_cases.csv", dtype={"case_id": str, "wave": str})
    return cases, truth


def _kappa(cases, truth):
    both = truth.merge(cases, on=["case_id", "wave"], how="left", suffixes=("_true", "_got"))
    hit = (both["collaboration_type_true"] == both["collaboration_type_got"]).mean()
    p_true = both["collaboration_type_true"].value_counts(normalize=True)
    p_got = both["collaboration_type_got"].value_counts(normalize=True)
    chance = sum(p_true[k] * p_got.get(k, 0.0) for k in p_true.index)
    return hit, (hit - chance) / (1 - chance)


@pytest.mark.extended
def test_generator_v2_types_agree_better_than_chance(v2_types):
    cases, truth = v2_types
    assert set(truth["collaboration_type"]) == {"individual_change_agent", "public_private", "inter_agency"}
    agreement = type_agreement(cases, truth).set_index("wave").loc["all"]
    hit, kappa = _kappa(cases, truth)
    print(agreement.to_dict(), {"kappa": kappa})
    assert agreement["agreement"] == pytest.approx(hit)
    # well above chance (before the driver rule: 0.40, kappa 0.12-0.14)
    assert kappa > 0.5 and agreement["agreement"] > 0.75


@pytest.mark.extended
def test_generator_v2_types_reach_the_issue_target(v2_types):
    # issue 12 item 5: >= 85 % agreement with the planted type, all three types planted.
    # Seeds 21-23, 31, 41: 0.88-0.895; this seed 0.90 (min_nonpublic_share 0.25, min_early_lift 0.9)
    cases, truth = v2_types
    result = type_agreement(cases, truth).set_index("wave").loc["all"]
    print(result.to_dict())
    assert result["agreement"] >= 0.85
    for kind in ("individual_change_agent", "public_private", "inter_agency"):
        assert result[f"recall_{kind}"] >= 0.7, kind
