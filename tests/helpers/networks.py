"""Small CaseNetworks built by hand for the metric and network tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from netinnov.networks import CaseNetwork


def network_from_edges(
    edges: Iterable[tuple],
    sectors: Mapping[object, str | None] | None = None,
    *,
    directed: bool = False,
    case_id: str = "c",
    group_labels: tuple[str, ...] | None = None,
) -> CaseNetwork:
    """A CaseNetwork from an edge list and a ``{node: sector or None}`` map
    (``None``: the node's sector is unknown; nodes only in the map are isolates)."""
    g = nx.DiGraph() if directed else nx.Graph()
    for node, sector in (sectors or {}).items():
        if sector is None:
            g.add_node(node)
        else:
            g.add_node(node, sector=sector)
    g.add_edges_from(edges)
    return CaseNetwork.from_networkx(g, case_id=case_id, group_labels=group_labels)
