"""Degree and density against networkx."""

import networkx as nx
import numpy as np
import pytest

from netinnov.metrics.basic import degrees, density
from netinnov.networks import CaseNetwork


def _weighted(g, seed):
    rng = np.random.default_rng(seed)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = float(rng.integers(1, 6))
    return g


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("directed", [False, True])
def test_degrees_match_networkx(seed, directed):
    g = _weighted(nx.gnp_random_graph(25, 0.12, seed=seed, directed=directed), seed)
    g.add_node(99)  # an isolate
    net = CaseNetwork.from_networkx(g)
    d = degrees(net)
    und = g.to_undirected(as_view=True) if directed else g
    for v in g:
        assert d.loc[str(v), "degree"] == len(set(und[v]))
        assert d.loc[str(v), "weighted_degree"] == pytest.approx(g.degree(v, weight="weight"))
        if directed:
            assert d.loc[str(v), "in_degree"] == g.in_degree(v)
            assert d.loc[str(v), "out_degree"] == g.out_degree(v)
    assert density(net) == pytest.approx(nx.density(g))


def test_density_of_tiny_networks_is_nan():
    g = nx.Graph()
    g.add_node("a", sector="public")
    assert np.isnan(density(CaseNetwork.from_networkx(g)))
