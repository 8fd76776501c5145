"""Tests of netinnov.metrics.wave: every metric of one small wave, in memory,
as the wave's tables with the columns docs/SPEC.md promises."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.tiny_dataset import dataset
from netinnov.config import resolve
from netinnov.io import validate_wave
from netinnov.metrics.wave import WaveTables, wave_tables

#: The "at least" columns of docs/SPEC.md ("Results").
SPEC_TIES = ["case_id", "source", "target", "weight", "strength", "tie_class", "reciprocated",
             "multiplexity", "local_bridge", "span"]
SPEC_ACTORS = ["case_id", "actor_id", "sector", "degree", "weighted_degree", "betweenness",
               "constraint", "effective_size", "efficiency", "hierarchy",
               "gf_coordinator", "gf_itinerant", "gf_representative", "gf_gatekeeper", "gf_liaison",
               "gf_total", "blau", "iqv", "ei", "convener_score", "facilitator_score", "catalyst_score",
               "reported_roles"]
SPEC_CASES = ["case_id", "n_actors", "n_ties", "density", "strong_tie_share", "weak_tie_share",
              "local_bridge_share", "sector_blau", "ei", "ei_p_value", "collaboration_type"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> WaveTables:
    """The tiny dataset (cases c1: a1→a2, a2→a3; c2: a3→007) as directed data
    (``reciprocated`` is a column of directed data only)."""
    root = dataset(tmp_path_factory.mktemp("wave"))
    options = resolve({"dataset": str(root), "directed": True, "ei_permutations": 19})
    data = validate_wave(root, "w1", directed=options["directed"], group_attribute=options["group_attribute"])
    return wave_tables(data, options)


def test_wave_tables_have_the_spec_columns(tables):
    assert [c for c in SPEC_TIES if c not in tables.ties.columns] == []
    assert [c for c in SPEC_ACTORS if c not in tables.actors.columns] == []
    assert [c for c in SPEC_CASES if c not in tables.cases.columns] == []


def test_one_network_and_one_case_row_per_case(tables):
    assert sorted(tables.networks) == ["c1", "c2"]
    assert sorted(tables.cases["case_id"]) == ["c1", "c2"]
    assert tables.cases["case_id"].is_unique


def test_ties_are_the_reported_pairs(tables):
    pairs = {(r.case_id, r.source, r.target) for r in tables.ties.itertuples()}
    assert pairs == {("c1", "a1", "a2"), ("c1", "a2", "a3"), ("c2", "a3", "007")}
    assert not tables.ties["reciprocated"].astype(bool).any()
    assert tables.ties["strength"].between(0, 1, inclusive="right").all()
    assert set(tables.ties["tie_class"]) <= {"strong", "weak"}


def test_case_counts_agree_with_the_actor_and_tie_rows(tables):
    cases = tables.cases.set_index("case_id")
    assert cases["n_actors"].to_dict() == tables.actors.groupby("case_id").size().to_dict() == {"c1": 3, "c2": 2}
    assert cases["n_ties"].to_dict() == tables.ties.groupby("case_id").size().to_dict() == {"c1": 2, "c2": 1}
    for case_id, net in tables.networks.items():
        assert net.n == cases.loc[case_id, "n_actors"] and net.n_ties == cases.loc[case_id, "n_ties"]


def test_degrees_count_the_ties_of_each_actor(tables):
    ties = tables.ties
    ends = pd.concat([ties[["case_id", "source"]].set_axis(["case_id", "actor_id"], axis=1),
                      ties[["case_id", "target"]].set_axis(["case_id", "actor_id"], axis=1)])
    expected = ends.value_counts().sort_index()
    got = tables.actors.set_index(["case_id", "actor_id"])["degree"].sort_index()
    pd.testing.assert_series_equal(got.astype(int), expected.rename("degree").astype(int), check_names=False)
    assert tables.actors.set_index(["case_id", "actor_id"]).loc[("c1", "a2"), "sector"] == "private"
