"""The combined brokerage table of actors.csv."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netinnov.metrics import brokerage
from netinnov.metrics.brokerage import brokerage_metrics
from netinnov.networks import CaseNetwork

SPEC_COLUMNS = [
    "betweenness",
    "constraint",
    "effective_size",
    "efficiency",
    "hierarchy",
    "gf_coordinator",
    "gf_itinerant",
    "gf_representative",
    "gf_gatekeeper",
    "gf_liaison",
    "gf_total",
]


@pytest.fixture()
def florentine() -> CaseNetwork:
    g = nx.florentine_families_graph()
    nx.set_node_attributes(g, {v: ("bank" if len(v) % 2 else "trade") for v in g}, "sector")
    for u, v in g.edges:
        g[u][v]["weight"] = float(1 + (len(u) + len(v)) % 3)
    g.add_node("Isolato", sector="bank")
    return CaseNetwork.from_networkx(g)


def test_table_has_spec_columns_in_actor_order(florentine):
    table = brokerage_metrics(florentine)
    assert list(table.index) == list(florentine.actors)
    assert table.index.name == "actor_id"
    assert set(SPEC_COLUMNS) <= set(table.columns)
    assert "betweenness_method" in table.columns
    assert all(f"{c}_z" in table.columns for c in SPEC_COLUMNS[5:])
    assert table.loc["Medici", "betweenness"] == pytest.approx(47.5)


def test_table_equals_its_parts(florentine):
    table = brokerage_metrics(florentine, weight="weight", betweenness_weight="weight")
    pd.testing.assert_frame_equal(
        table[["betweenness", "betweenness_method"]],
        brokerage.betweenness(florentine, weight="weight"),
    )
    pd.testing.assert_frame_equal(
        table[["constraint", "effective_size", "efficiency", "hierarchy"]],
        brokerage.structural_holes(florentine, weight="weight"),
    )
    pd.testing.assert_frame_equal(table.filter(like="gf_"), brokerage.gould_fernandez(florentine))
    # weighted structural holes differ from binary ones on this network
    binary = brokerage_metrics(florentine, weight=None)
    assert not np.allclose(binary["constraint"].dropna(), table["constraint"].dropna())


def test_isolate_row(florentine):
    row = brokerage_metrics(florentine).loc["Isolato"]
    assert row["betweenness"] == 0.0
    assert row[["constraint", "effective_size", "efficiency", "hierarchy"]].isna().all()
    assert row["gf_total"] == 0


def test_without_z_scores_and_sampled(florentine):
    table = brokerage_metrics(florentine, z_scores=False, exact_max_actors=5, samples=4, seed=1)
    assert not any(c.endswith("_z") for c in table.columns)
    assert (table["betweenness_method"] == "sampled(k=4)").all()
