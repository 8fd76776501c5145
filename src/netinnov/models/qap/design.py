"""Dyadic designs of MRQAP: the dyads of a case, their covariates, the permutations.

See :mod:`netinnov.models.qap` for the model and its null hypotheses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from netinnov.models.spec import parse_dyadic_term
from netinnov.networks import CaseNetwork


# ================================================================== designs
@dataclass
class DyadicDesign:
    """Vectorised dyads of one network (or of several stacked networks).

    Unpacks as ``y, X, names, n_dropped``. The other fields hold what the
    permutation tests need: the dyads' actor indices ``i, j`` (0…n_nodes−1,
    nodes of one block contiguous), the blocks (cases) and the flattened full
    matrix of the relation per block.
    """

    y: np.ndarray
    X: np.ndarray
    names: list[str]
    n_dropped: int
    i: np.ndarray
    j: np.ndarray
    directed: bool
    block_start: np.ndarray  # length n_blocks + 1: first node of every block
    y_full: np.ndarray  # concatenated row-major n_b × n_b relation matrices
    tested: np.ndarray  # per column: is a permutation test run for it?
    actors: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    dropped_reasons: dict[str, int] = field(default_factory=dict)  # reason -> dyads

    def __iter__(self) -> Iterator[Any]:
        return iter((self.y, self.X, self.names, self.n_dropped))

    @property
    def n_dyads(self) -> int:
        """Number of dyads used."""
        return len(self.y)

    @property
    def n_nodes(self) -> int:
        """Number of actors over all blocks."""
        return int(self.block_start[-1])

    # -------------------------------------------------------------- helpers
    def _block_of(self) -> np.ndarray:
        sizes = np.diff(self.block_start)
        return np.repeat(np.arange(len(sizes)), sizes)

    def _bases(self) -> tuple[np.ndarray, np.ndarray]:
        """Per node g of block c: ``offset_c + (g - start_c) * n_c`` and ``g - start_c``,
        so that pair (a, b) sits at ``rowbase[a] + colbase[b]`` in ``y_full``."""
        sizes = np.diff(self.block_start).astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes**2)])
        block = self._block_of()
        local = np.arange(self.n_nodes, dtype=np.int64) - self.block_start[block]
        return offsets[block] + local * sizes[block], local

    def positions(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Flat positions in ``y_full`` of the pairs (a, b) of nodes of one block."""
        rowbase, colbase = self._bases()
        return rowbase[a] + colbase[b]

    def full_matrix(self, values: np.ndarray) -> np.ndarray:
        """Dyad values placed in flattened full matrices (0 elsewhere; mirrored when undirected)."""
        out = np.zeros(len(self.y_full))
        out[self.positions(self.i, self.j)] = values
        if not self.directed:
            out[self.positions(self.j, self.i)] = values
        return out


def _dyads(n: int, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    if directed:
        a, b = np.divmod(np.arange(n * n, dtype=np.int64), n)
        keep = a != b
        return a[keep], b[keep]
    a, b = np.triu_indices(n, 1)
    return a.astype(np.int64), b.astype(np.int64)


def _dense(matrix: Any, n: int, what: str) -> np.ndarray:
    if sp.issparse(matrix):
        out = matrix.toarray().astype(float)
    else:
        out = np.asarray(matrix, dtype=float)
    if out.shape != (n, n):
        raise ValueError(f"{what} must be {n}×{n}, got {out.shape}")
    return out


def matrix_design(
    y: Any,
    x: Any | None = None,
    *,
    intercept: bool = True,
    directed: bool = True,
    names: Sequence[str] | None = None,
) -> DyadicDesign:
    """A design from matrices, as ``sna::netlm(y, x)`` takes them.

    Parameters
    ----------
    y
        The n×n dependent matrix (dense or sparse).
    x
        One n×n matrix, a sequence of them, or a k×n×n array.
    intercept
        Add a constant column named ``Intercept``.
    directed
        Ordered pairs :math:`i \\ne j` (sna ``mode="digraph"``) or unordered
        pairs :math:`i < j` (``mode="graph"``; the upper triangles are read,
        so the matrices should be symmetric, as sna assumes).
    names
        Names of the x matrices (default ``x1, x2, …``).

    Dyads with a NaN in any matrix are dropped and counted.
    """
    Y = _dense(y, np.shape(y)[0], "y")
    n = Y.shape[0]
    if x is None:
        mats: list[np.ndarray] = []
    elif isinstance(x, np.ndarray) and x.ndim == 3:
        mats = [x[k] for k in range(x.shape[0])]
    elif sp.issparse(x) or (isinstance(x, np.ndarray) and x.ndim == 2):
        mats = [x]
    else:
        mats = list(x)
    mats = [_dense(m, n, f"x[{k}]") for k, m in enumerate(mats)]
    labels = list(names) if names is not None else [f"x{k + 1}" for k in range(len(mats))]
    if len(labels) != len(mats):
        raise ValueError("names must name every x matrix")
    a, b = _dyads(n, directed)
    cols = ([np.ones(len(a))] if intercept else []) + [m[a, b] for m in mats]
    X = np.column_stack(cols) if cols else np.empty((len(a), 0))
    if not directed:  # the upper triangle, mirrored, is the relation
        upper = np.triu(Y, 1)
        Y = upper + upper.T
    yv = Y[a, b]
    ok = np.isfinite(yv) & np.isfinite(X).all(axis=1)
    y_full = np.where(np.isfinite(Y), Y, 0.0).ravel()
    return DyadicDesign(
        y=yv[ok],
        X=X[ok],
        names=(["Intercept"] if intercept else []) + labels,
        n_dropped=int((~ok).sum()),
        i=a[ok],
        j=b[ok],
        directed=directed,
        block_start=np.array([0, n]),
        y_full=y_full,
        tested=np.ones(X.shape[1], dtype=bool),
        dropped_reasons={"missing value": int((~ok).sum())} if (~ok).any() else {},
    )


def _relation(net: CaseNetwork, relation: str) -> np.ndarray:
    if relation == "tie":
        return net.adjacency.toarray()
    if relation in ("weight", "strength"):
        if relation not in net.ties.columns:
            raise ValueError(f"the ties have no {relation} column")
        return net.matrix(relation).toarray()
    if relation == "strong_tie":
        if "tie_class" not in net.ties.columns:
            raise ValueError("the ties have no tie_class column (needed for strong_tie)")
        strong = (net.ties["tie_class"].astype(str) == "strong").to_numpy()
        src = net.ties["source_index"].to_numpy(dtype=np.int64)[strong]
        tgt = net.ties["target_index"].to_numpy(dtype=np.int64)[strong]
        out = np.zeros((net.n, net.n))
        out[src, tgt] = 1.0
        if not net.directed:
            out[tgt, src] = 1.0
        return out
    raise ValueError(f"unknown relation {relation!r}")


def _actor_attributes(net: CaseNetwork, attributes: pd.DataFrame | None) -> pd.DataFrame:
    """Actor attributes in ``net.actors`` order: the given table first, then
    ``net.attributes``, then the group labels under the group attribute's name."""
    table = pd.DataFrame(index=pd.Index(net.actors, name="actor_id"))
    if attributes is not None and len(attributes):
        attrs = attributes
        if "case_id" in attrs.columns:
            attrs = attrs[attrs["case_id"].astype(str) == str(net.case_id)]
        if "actor_id" in attrs.columns:
            attrs = attrs.set_index(attrs["actor_id"].astype(str))
        attrs = attrs[~attrs.index.duplicated(keep="first")]
        table = table.join(
            attrs.drop(columns=[c for c in ("case_id", "actor_id", "wave") if c in attrs.columns])
        )
    own = net.attributes.reindex(net.actors) if len(net.attributes.columns) else None
    if own is not None:
        for col in own.columns:
            if col not in table.columns:
                table[col] = own[col].to_numpy()
    if net.group_attribute not in table.columns:
        table[net.group_attribute] = net.group_names
    return table


def dyadic_design(
    net: CaseNetwork,
    terms: Sequence[str],
    attributes: pd.DataFrame | None = None,
    *,
    relation: str = "tie",
    edgecov: Mapping[str, Any] | None = None,
    intercept: bool = True,
    max_dyads: int = 20_000_000,
) -> DyadicDesign:
    """Vectorised dyads and dyadic covariates of one network.

    Parameters
    ----------
    net
        The case network.
    terms
        Dyadic terms; for actors i, j with attribute values :math:`x_i, x_j`:

        - ``nodematch(a)`` — :math:`1[x_i = x_j]` (any type);
        - ``absdiff(a)`` — :math:`|x_i - x_j|` (numeric);
        - ``nodecov(a)`` — :math:`x_i + x_j` (numeric);
        - ``nodeocov(a)`` / ``nodeicov(a)`` — :math:`x_i` (sender) /
          :math:`x_j` (receiver), directed networks only;
        - ``edgecov(name)`` — entry :math:`(i, j)` of the matrix
          ``edgecov[name]`` (n×n array or sparse matrix in ``net.actors`` order,
          or a DataFrame indexed by actor id on both axes, e.g. the tie in the
          previous wave; see :func:`previous_wave_matrix`).
    attributes
        Actor attributes: indexed by actor id or with an ``actor_id`` column
        (and optionally ``case_id``, then only this case's rows are used).
        Columns missing there are looked up in ``net.attributes`` and the
        group attribute (e.g. ``sector``) in the network's group labels.
    relation
        ``tie`` (binary), ``weight``, ``strength`` (a ties column) or
        ``strong_tie`` (``tie_class == "strong"``).
    edgecov
        Named dyadic covariate matrices.
    intercept
        Add the ``Intercept`` column.
    max_dyads
        Refuse larger cases (every dyad is held in memory, as dense n×n
        matrices; 20 million dyads ≈ a 4,500-actor directed case).

    Returns
    -------
    DyadicDesign
        Unpacks as ``(y, X, names, n_dropped)``: the relation per dyad, the
        design (Intercept first, then the terms in order), the column names
        and the number of dyads dropped for missing values.

    Raises
    ------
    ValueError
        For an unknown attribute, a non-numeric attribute where a number is
        needed, a sender/receiver term in an undirected network, or a
        missing ``edgecov`` matrix, or more than ``max_dyads`` dyads.
    """
    parsed = [parse_dyadic_term(t) for t in terms]
    n = net.n
    n_pairs = n * (n - 1) // (1 if net.directed else 2)
    if n_pairs > max_dyads:
        raise ValueError(
            f"the case has {n_pairs:,} dyads, more than max_dyads = {max_dyads:,}: MRQAP holds every "
            "dyad in memory (fit a sample of actors, or raise the limit)"
        )
    attrs = _actor_attributes(net, attributes)
    node_ok = np.ones(n, dtype=bool)
    values: dict[str, np.ndarray] = {}
    for kind, name in parsed:
        if kind == "edgecov":
            continue
        if kind in ("nodeocov", "nodeicov") and not net.directed:
            raise ValueError(f"{kind}({name}) needs a directed network")
        if name not in attrs.columns:
            raise ValueError(f"unknown actor attribute {name!r}")
        col = attrs[name]
        if kind == "nodematch":
            codes, _ = pd.factorize(
                col.astype(object).where(col.notna(), None), use_na_sentinel=True
            )
            values[f"{kind}:{name}"] = codes.astype(float)
            node_ok &= codes >= 0
        else:
            num = pd.to_numeric(col, errors="coerce")
            if num.isna().sum() > col.isna().sum():
                raise ValueError(
                    f"{kind}({name}) needs a numeric attribute; {name!r} is not numeric"
                )
            arr = num.to_numpy(dtype=float)
            values[f"{kind}:{name}"] = arr
            node_ok &= np.isfinite(arr)
    keep_nodes = np.flatnonzero(node_ok)
    m = len(keep_nodes)
    reasons: dict[str, int] = {}
    for key, arr in values.items():  # an actor lacking several attributes counts under each
        missing = int((~np.isfinite(arr) | (arr < 0) if key.startswith("nodematch:") else ~np.isfinite(arr)).sum())
        if missing:
            name = key.split(":", 1)[1]
            lost = n_pairs - (n - missing) * (n - missing - 1) // (1 if net.directed else 2)
            reasons.setdefault(f"actor attribute {name} missing ({missing} actors)", lost)
    a_loc, b_loc = _dyads(m, net.directed)
    a, b = keep_nodes[a_loc], keep_nodes[b_loc]
    all_a, _ = _dyads(n, net.directed)
    dropped_nodes = len(all_a) - len(a)
    cols = [np.ones(len(a))] if intercept else []
    for kind, name in parsed:
        if kind == "edgecov":
            if edgecov is None or name not in edgecov:
                raise ValueError(f"edgecov({name}): no matrix named {name!r} was supplied")
            mat = edgecov[name]
            if isinstance(mat, pd.DataFrame):
                mat = mat.reindex(index=net.actors, columns=net.actors).to_numpy(dtype=float)
            cols.append(_dense(mat, n, f"edgecov {name!r}")[a, b])
            continue
        v = values[f"{kind}:{name}"]
        if kind == "nodematch":
            cols.append((v[a] == v[b]).astype(float))
        elif kind == "absdiff":
            cols.append(np.abs(v[a] - v[b]))
        elif kind == "nodecov":
            cols.append(v[a] + v[b])
        elif kind == "nodeocov":
            cols.append(v[a])
        else:
            cols.append(v[b])
    X = np.column_stack(cols) if cols else np.empty((len(a), 0))
    Y = _relation(net, relation)
    yv = Y[a, b]
    ok = np.isfinite(X).all(axis=1) & np.isfinite(yv)
    for (kind, name), col in zip(parsed, X.T[int(intercept):], strict=True):
        if kind == "edgecov" and not np.isfinite(col).all():
            reasons[f"edgecov({name}) missing"] = int((~np.isfinite(col)).sum())
    if not np.isfinite(yv).all():
        reasons[f"{relation} missing"] = int((~np.isfinite(yv)).sum())
    sub = Y[np.ix_(keep_nodes, keep_nodes)]
    return DyadicDesign(
        y=yv[ok],
        X=X[ok],
        names=(["Intercept"] if intercept else []) + list(terms),
        n_dropped=int(dropped_nodes + (~ok).sum()),
        i=a_loc[ok],
        j=b_loc[ok],
        directed=net.directed,
        block_start=np.array([0, m]),
        y_full=np.where(np.isfinite(sub), sub, 0.0).ravel(),
        tested=np.ones(X.shape[1], dtype=bool),
        actors=np.asarray(net.actors)[keep_nodes],
        dropped_reasons=reasons,
    )


def stack_designs(designs: Sequence[DyadicDesign], labels: Sequence[str]) -> DyadicDesign:
    """Pool designs of several cases: dyads stacked, one block per case.

    Adds case dummies ``case_id[T.<label>]`` for every case but the first
    (when the designs have an Intercept; otherwise ``case_id[<label>]`` for
    every case). The dummies are fixed effects and are not tested; actors are
    permuted only within their case.
    """
    if not designs:
        raise ValueError("no designs to stack")
    if len({d.directed for d in designs}) > 1:
        raise ValueError("cannot pool directed and undirected networks")
    if len({tuple(d.names) for d in designs}) > 1:
        raise ValueError("the designs have different terms")
    has_icpt = "Intercept" in designs[0].names
    dummy_from = 1 if has_icpt else 0
    names = list(designs[0].names) + [
        f"case_id[T.{lab}]" if has_icpt else f"case_id[{lab}]" for lab in labels[dummy_from:]
    ]
    sizes = [d.n_nodes for d in designs]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    Xs, ii, jj = [], [], []
    n_dummies = len(labels) - dummy_from
    for c, d in enumerate(designs):
        dummies = np.zeros((d.n_dyads, n_dummies))
        if c >= dummy_from:
            dummies[:, c - dummy_from] = 1.0
        Xs.append(np.hstack([d.X, dummies]))
        ii.append(d.i + starts[c])
        jj.append(d.j + starts[c])
    tested = np.concatenate([designs[0].tested, np.zeros(n_dummies, dtype=bool)])
    reasons: dict[str, int] = {}
    for d in designs:
        for key, count in d.dropped_reasons.items():
            reasons[key] = reasons.get(key, 0) + count
    return DyadicDesign(
        y=np.concatenate([d.y for d in designs]),
        X=np.vstack(Xs),
        names=names,
        n_dropped=int(sum(d.n_dropped for d in designs)),
        i=np.concatenate(ii),
        j=np.concatenate(jj),
        directed=designs[0].directed,
        block_start=starts.astype(np.int64),
        y_full=np.concatenate([d.y_full for d in designs]),
        tested=tested,
        actors=np.concatenate([d.actors for d in designs])
        if all(len(d.actors) for d in designs)
        else np.array([]),
        dropped_reasons=reasons,
    )


def draw_permutations(design: DyadicDesign, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random relabellings of the actors, each a permutation within
    every block: row b maps node g to ``perm[b, g]``."""
    block = design._block_of()
    keys = rng.random((count, design.n_nodes)) + block[None, :]
    return np.argsort(keys, axis=1, kind="stable").astype(np.int64)
