"""Collaboration networks of one case in one wave.

A :class:`CaseNetwork` is the one object every metric shares: the actors of a
case in a fixed order, their group codes, the ties as a table, and sparse
matrices built from it on demand (computed once, then cached).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["CaseNetwork", "TIE_BASE_COLUMNS"]

#: Columns every ``CaseNetwork.ties`` table carries.
TIE_BASE_COLUMNS = ("source_index", "target_index", "source", "target", "weight")


@dataclass(frozen=True, eq=False)
class CaseNetwork:
    """The collaboration network of one case in one wave.

    Parameters
    ----------
    case_id
        The case the network belongs to.
    actors
        Actor ids, in a fixed order; index ``i`` of every matrix is ``actors[i]``.
    groups
        Integer codes of each actor's group (sector by default) into
        ``group_labels``; ``-1`` where the group is unknown.
    group_labels
        The dataset-wide group labels, so that ``K = len(group_labels)``.
    directed
        Whether ties are arcs (directed reports) or unordered pairs.
    ties
        One row per tie: an unordered pair stored once with
        ``source_index < target_index`` when undirected, one row per arc when
        directed. Carries at least ``source_index, target_index, source,
        target, weight``.
    attributes
        Actor attributes indexed by actor id, in ``actors`` order.
    group_attribute
        The name of the attribute the groups come from.
    """

    case_id: str
    actors: np.ndarray
    groups: np.ndarray
    group_labels: tuple[str, ...]
    directed: bool
    ties: pd.DataFrame
    attributes: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_attribute: str = "sector"

    def __post_init__(self) -> None:
        if len(self.groups) != len(self.actors):
            raise ValueError("groups and actors differ in length")
        missing = [c for c in TIE_BASE_COLUMNS if c not in self.ties.columns]
        if missing:
            raise ValueError(f"ties lack the columns {missing}")
        src = self.ties["source_index"].to_numpy()
        tgt = self.ties["target_index"].to_numpy()
        if len(src) and (src.min() < 0 or max(src.max(), tgt.max()) >= len(self.actors)):
            raise ValueError("tie indices fall outside the actor list")
        if np.any(src == tgt):
            raise ValueError("a tie joins an actor to itself")
        if not self.directed and np.any(src > tgt):
            raise ValueError("undirected ties must be stored with source_index < target_index")

    # ------------------------------------------------------------------ sizes
    @property
    def n(self) -> int:
        """Number of actors, isolates included."""
        return len(self.actors)

    @property
    def n_ties(self) -> int:
        """Number of ties (unordered pairs when undirected, arcs when directed)."""
        return len(self.ties)

    @cached_property
    def index(self) -> pd.Index:
        """Actor ids as a pandas Index, for labelling metric results."""
        return pd.Index(self.actors, name="actor_id")

    @cached_property
    def group_names(self) -> np.ndarray:
        """Each actor's group label (``None`` where unknown)."""
        labels = np.asarray(self.group_labels + (None,), dtype=object)
        return labels[self.groups]

    # ---------------------------------------------------------------- matrices
    def matrix(self, field: str | None = "weight") -> sp.csr_matrix:
        """The n×n matrix of a tie column (``None``: binary).

        Arcs ``source → target`` carry the column's value; an undirected
        network gives the symmetric matrix. Missing values count as 0, so they
        drop out of the sparse pattern.
        """
        if field is None:
            return self.adjacency
        return self._matrix_of(field)

    def _matrix_of(self, field: str | None) -> sp.csr_matrix:
        src = self.ties["source_index"].to_numpy(dtype=np.int64)
        tgt = self.ties["target_index"].to_numpy(dtype=np.int64)
        if field is None:
            val = np.ones(len(src))
        else:
            val = pd.to_numeric(self.ties[field], errors="coerce").to_numpy(dtype=float)
            val = np.nan_to_num(val, nan=0.0)
        if not self.directed:
            src, tgt, val = (
                np.concatenate([src, tgt]),
                np.concatenate([tgt, src]),
                np.concatenate([val, val]),
            )
        m = sp.csr_matrix((val, (src, tgt)), shape=(self.n, self.n), dtype=float)
        m.sum_duplicates()
        m.eliminate_zeros()
        m.sort_indices()
        return m

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Binary matrix of the ties (1.0 on arcs; symmetric when undirected)."""
        return self._matrix_of(None)

    @cached_property
    def symmetric(self) -> sp.csr_matrix:
        """Binary matrix of the undirected skeleton, ``A ∨ Aᵀ``."""
        if not self.directed:
            return self.adjacency
        s = self.adjacency.maximum(self.adjacency.T).tocsr()
        s.sort_indices()
        return s

    @cached_property
    def edge_common(self) -> np.ndarray:
        """Common neighbours of the two ends of every skeleton edge.

        ``(S @ S)[i, j]`` for each stored entry ``(i, j)`` of
        :attr:`symmetric`, aligned with ``symmetric.data`` (CSR order, both
        directions of an edge). Computed once per network by a compiled scan
        that costs :math:`\\sum_{\\{i,j\\}} \\min(k_i, k_j)`, without forming
        ``S @ S`` (see :func:`netinnov.networks.kernels.neighbourhoods.edge_common_counts`).
        """
        from netinnov.networks.kernels.neighbourhoods import edge_common_counts

        s = self.symmetric
        return edge_common_counts(s.indptr, s.indices)

    @cached_property
    def skeleton_edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The skeleton's edges once each: ``(i, j, common)`` with ``i < j``.

        Sorted by ``(i, j)``; ``common`` is :attr:`edge_common` of the edge.
        """
        s = self.symmetric
        row = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(s.indptr))
        upper = self.upper_entries
        return row[upper], s.indices[upper].astype(np.int64), self.edge_common[upper]

    @property
    def upper_entries(self) -> np.ndarray:
        """Mask over the stored entries of :attr:`symmetric`: ``(i, j)`` with ``i < j``.

        The skeleton's edges once each, in the order of :attr:`skeleton_edges`.
        """
        s = self.symmetric
        return s.indices > np.repeat(np.arange(self.n, dtype=s.indices.dtype), np.diff(s.indptr))

    # ------------------------------------------------------------ other views
    def to_networkx(self) -> nx.Graph:
        """A networkx graph with the actors, their attributes and every tie column.

        Node attributes: the group label under ``group_attribute`` plus the
        columns of ``attributes``; edge attributes: every column of ``ties``
        except the integer indices. Missing values are left out.
        """
        g: nx.Graph = nx.DiGraph() if self.directed else nx.Graph()
        g.graph["case_id"] = self.case_id
        attrs = self.attributes.reindex(self.actors) if len(self.attributes.columns) else None
        for i, actor in enumerate(self.actors):
            data: dict[str, Any] = {}
            if attrs is not None:
                data.update({k: v for k, v in attrs.iloc[i].items() if _present(v)})
            if self.groups[i] >= 0:
                data[self.group_attribute] = self.group_labels[self.groups[i]]
            g.add_node(actor, **data)
        cols = [c for c in self.ties.columns if c not in ("source_index", "target_index", "source", "target")]
        for row in self.ties[["source", "target", *cols]].itertuples(index=False):
            g.add_edge(row[0], row[1], **{c: _py(v) for c, v in zip(cols, row[2:], strict=True) if _present(v)})
        return g

    @classmethod
    def from_networkx(
        cls,
        graph: nx.Graph,
        *,
        group_attribute: str = "sector",
        weight: str | None = "weight",
        case_id: str | None = None,
        group_labels: tuple[str, ...] | None = None,
    ) -> CaseNetwork:
        """Build a CaseNetwork from a networkx graph.

        Nodes are sorted by their string form. The weight is read from the edge
        attribute ``weight`` (1 where absent or when ``weight`` is None) and
        every other numeric edge attribute is kept as a tie column. Self-loops
        are dropped. The group labels default to the sorted distinct values of
        ``group_attribute``.
        """
        directed = graph.is_directed()
        nodes = sorted(graph.nodes, key=str)
        actors = np.array([str(v) for v in nodes], dtype=object)
        pos = {v: i for i, v in enumerate(nodes)}
        raw_groups = [graph.nodes[v].get(group_attribute) for v in nodes]
        if group_labels is None:
            group_labels = tuple(sorted({str(x) for x in raw_groups if x is not None}))
        code = {label: i for i, label in enumerate(group_labels)}
        groups = np.array([code.get(str(x), -1) if x is not None else -1 for x in raw_groups], dtype=np.int64)
        rows = []
        for u, v, data in graph.edges(data=True):
            if u == v:
                continue
            i, j = pos[u], pos[v]
            if not directed and i > j:
                i, j = j, i
            w = 1.0 if weight is None else float(data.get(weight, 1.0))
            extra = {k: val for k, val in data.items() if k != weight and isinstance(val, int | float | bool)}
            rows.append({"source_index": i, "target_index": j, "weight": w, **extra})
        ties = pd.DataFrame(rows, columns=None if rows else ["source_index", "target_index", "weight"])
        ties["source_index"] = ties["source_index"].astype(np.int64)
        ties["target_index"] = ties["target_index"].astype(np.int64)
        ties["source"] = actors[ties["source_index"].to_numpy()] if len(ties) else pd.Series([], dtype=object)
        ties["target"] = actors[ties["target_index"].to_numpy()] if len(ties) else pd.Series([], dtype=object)
        ties = ties.sort_values(["source_index", "target_index"], kind="stable").reset_index(drop=True)
        attributes = pd.DataFrame(
            [{k: val for k, val in graph.nodes[v].items() if k != group_attribute} for v in nodes],
            index=pd.Index(actors, name="actor_id"),
        )
        return cls(
            case_id=str(case_id if case_id is not None else graph.graph.get("case_id", "graph")),
            actors=actors,
            groups=groups,
            group_labels=tuple(group_labels),
            directed=directed,
            ties=ties,
            attributes=attributes,
            group_attribute=group_attribute,
        )

    @cached_property
    def _igraph(self):
        import igraph as ig

        g = ig.Graph(n=self.n, directed=self.directed)
        g.add_edges(
            np.column_stack(
                [self.ties["source_index"].to_numpy(dtype=np.int64), self.ties["target_index"].to_numpy(dtype=np.int64)]
            )
        )
        return g

    def igraph(self):
        """An igraph view with the same vertex order and the ties in ``ties`` order.

        Edge ``k`` of the igraph graph is row ``k`` of ``ties``; no attributes
        are copied (pass weights explicitly, e.g. ``ties["weight"].to_numpy()``).
        """
        return self._igraph


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def _py(value: Any) -> Any:
    """Plain Python scalars for networkx/GraphML."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value
