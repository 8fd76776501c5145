"""Dyadic regression with QAP inference (MRQAP): ``netlm`` and ``netlogit``.

A dyadic model explains the relation between two actors (a tie, its weight or
strength) by dyadic covariates — whether they share a sector, how far apart
they are on an attribute, whether they were tied in the previous wave. The
dyads of a network are not independent (every dyad of actor i shares i's
propensities), so classical standard errors are wrong; the quadratic assignment
procedure (QAP; Hubert 1987; Krackhardt 1988) compares each test statistic
with its distribution under random relabelling of the actors, which keeps the
row/column dependence of the matrices intact.

Estimates are those of R ``sna::netlm`` (ordinary least squares on the
vectorised dyads) and ``sna::netlogit`` (binomial GLM with logit link, maximum
likelihood) on the same matrices. Null hypotheses:

``qapy``
    Permute rows and columns of the dependent matrix together,
    :math:`Y^\\pi_{ij} = Y_{\\pi(i)\\pi(j)}`, refit, and record every
    coefficient's test statistic.
``qapspp``
    Double semi-partialling (Dekker, Krackhardt & Snijders 2007), sna's
    default: for each predictor :math:`X_k`, regress it (OLS) on the other
    predictors, permute the matrix of residuals :math:`E_k` (rows and columns
    together; in undirected networks the residual matrix is symmetric), refit
    the model with :math:`E_k^\\pi` in place of :math:`X_k` and record the test
    statistic of :math:`E_k^\\pi`. With a single column (e.g. an intercept alone)
    there is nothing to partial and ``qapy`` is used, as in sna.

The test statistic is the t-value (``netlm``) or z-value (``netlogit``,
:math:`\\hat\\beta_k / \\sqrt{[(X'WX)^{-1}]_{kk}}`), sna's defaults. With
:math:`T` the observed statistic and :math:`T^*_1, …, T^*_B` the permutation
statistics, the reported p-values are, as in sna's ``pgreqabs``, ``pgreq``,
``pleeq``,

.. math:: p = \\frac{1}{B}\\#\\{b: |T^*_b| \\ge |T|\\}, \\quad
          p_{\\ge} = \\frac{1}{B}\\#\\{b: T^*_b \\ge T\\}, \\quad
          p_{\\le} = \\frac{1}{B}\\#\\{b: T^*_b \\le T\\}

(ties within a relative 1e-10 count as reached; permutations whose statistic
is undefined are left out of :math:`B`).

``q_value`` is the Benjamini–Hochberg (1995) q-value of ``p_value`` within one
dyadic model on one case (or the pooled fit) of one wave; the intercept and
the case effects are not in the family and get NaN
(:func:`~netinnov.models.multiple_testing.qap_qvalues`).

Computation: the permutations are drawn as index arrays and applied by
gathering from the flattened full matrices, in batches. For OLS the design is
factorised once (QR) and every batch of permuted responses is solved at once
(qapy); for qapspp the Frisch–Waugh–Lovell theorem gives the t-value of the
permuted residual column from its projection off the other columns, so each
batch costs one product with the fixed :math:`Q` factor. Logistic refits run
Newton–Raphson on whole batches at once.

Pooled models stack the dyads of several cases with case dummies
(``case_id[T.<case>]``, not tested) and permute actors only within their own
case. Dyads are taken over ordered pairs :math:`i \\ne j` (directed) or
unordered pairs :math:`i < j` (undirected); the diagonal is never used.
Actors with a missing nodal attribute are removed from the case (all their
dyads are dropped and counted); a dyad with a missing ``edgecov`` value is
dropped, and under ``qapspp`` a permuted residual landing on it counts as 0,
the residuals' mean.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.sparse as sp
from scipy.special import expit

from netinnov.config import derive_seed
from netinnov.io.formulas import guard

from ..networks import CaseNetwork
from ._threads import single_blas_thread
from .multiple_testing import qap_qvalues
from .separation import separation_direction
from .spec import DyadicModelSpec, parse_dyadic_models, parse_dyadic_term

__all__ = [
    "QAP_COLUMNS",
    "DyadicDesign",
    "QAPResult",
    "dyadic_design",
    "matrix_design",
    "stack_designs",
    "draw_permutations",
    "netlm",
    "netlogit",
    "previous_wave_matrix",
    "fit_qap_models",
    "fit_case_models",
    "fit_pooled",
    "CaseFits",
    "wave_frame",
    "write_qap",
    "run_qap",
]

#: Columns of ``qap.csv`` (SPEC columns first).
QAP_COLUMNS = [
    "model", "case_id", "term", "estimate", "p_value", "n_dyads", "n_permutations",
    "null_hypothesis", "q_value", "estimator", "relation", "wave", "std_error", "statistic", "p_greater",
    "p_less", "n_actors", "n_dropped", "note", "p_value_plus1", "dropped_reasons",
]  # fmt: skip

log = logging.getLogger(__name__)

_BATCH_ELEMENTS = 2_000_000  # permutations × dyads held in memory at once
_TIE_RTOL = 1e-10


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


# ================================================================== results
@dataclass
class QAPResult:
    """Estimates and QAP p-values of one dyadic model."""

    names: list[str]
    estimate: np.ndarray
    std_error: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    p_greater: np.ndarray
    p_less: np.ndarray
    n_permutations: np.ndarray
    n_dyads: int
    n_dropped: int
    null_hypothesis: str
    estimator: str
    distribution: np.ndarray | None = None
    notes: dict[str, str] = field(default_factory=dict)
    p_value_plus1: np.ndarray | None = None
    dropped_reasons: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per term."""
        return pd.DataFrame(
            {
                "term": self.names,
                "estimate": self.estimate,
                "std_error": self.std_error,
                "statistic": self.statistic,
                "p_value": self.p_value,
                "p_greater": self.p_greater,
                "p_less": self.p_less,
                "n_permutations": self.n_permutations,
                "n_dyads": self.n_dyads,
                "n_dropped": self.n_dropped,
                "null_hypothesis": self.null_hypothesis,
                "estimator": self.estimator,
                "note": [self.notes.get(n, "") for n in self.names],
                "p_value_plus1": (
                    self.p_value_plus1
                    if self.p_value_plus1 is not None
                    else np.full(len(self.names), np.nan)
                ),
                "dropped_reasons": self.dropped_reasons,
            }
        )


def _estimable(X: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """Columns kept by a pivoted QR (R's ``qr`` tolerance): False where aliased."""
    if X.shape[1] == 0:
        return np.zeros(0, dtype=bool)
    _, r, piv = scipy.linalg.qr(X, mode="economic", pivoting=True)
    d = np.abs(np.diag(r))
    rank = int((d > tol * d.max()).sum()) if d.size and d.max() > 0 else 0
    keep = np.zeros(X.shape[1], dtype=bool)
    keep[piv[:rank]] = True
    return keep


def _batches(total: int, per_item: int) -> Iterator[tuple[int, int]]:
    size = max(1, min(total, _BATCH_ELEMENTS // max(per_item, 1)))
    for start in range(0, total, size):
        yield start, min(total, start + size)


def _gather(design: DyadicDesign, full: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """Permuted dyad values: row b holds ``full[perm_b(i_d), perm_b(j_d)]`` over dyads d."""
    rowbase, colbase = design._bases()
    idx = rowbase[perms][:, design.i]
    idx += colbase[perms][:, design.j]
    return full[idx]


# ----------------------------------------------------------------- OLS core
def _ols(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    q, r = np.linalg.qr(X)
    rinv = np.linalg.inv(r)  # p × p: small
    coef = rinv @ (q.T @ y)
    resid = y - X @ coef
    rdf = len(y) - X.shape[1]
    xtx_inv_diag = (rinv**2).sum(axis=1)
    se = np.sqrt(xtx_inv_diag * (resid @ resid) / rdf) if rdf > 0 else np.full(X.shape[1], np.nan)
    return coef, se, rinv


def _ols_qapy_t(design: DyadicDesign, X: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """t-values of every column with the dependent matrix permuted (one QR, batched solves)."""
    q, r = np.linalg.qr(X)
    rinv = np.linalg.inv(r)
    diag = (rinv**2).sum(axis=1)
    rdf = X.shape[0] - X.shape[1]
    out = np.empty((len(perms), X.shape[1]))
    for s, e in _batches(len(perms), design.n_dyads):
        Yp = _gather(design, design.y_full, perms[s:e])  # B × N
        qty = Yp @ q  # B × p
        coef = qty @ rinv.T
        rss = np.einsum("bn,bn->b", Yp, Yp) - np.einsum("bk,bk->b", qty, qty)
        with np.errstate(invalid="ignore", divide="ignore"):
            se = np.sqrt(diag[None, :] * np.clip(rss, 0, None)[:, None] / rdf)
            out[s:e] = coef / se
    return out


def _ols_qapspp_t(design: DyadicDesign, X: np.ndarray, k: int, perms: np.ndarray) -> np.ndarray:
    """t-values of the permuted residual of column k.

    With :math:`Q` an orthonormal basis of the other columns, :math:`M = I - QQ'`
    and :math:`e` the permuted residual, Frisch–Waugh–Lovell gives
    :math:`b = e'My / (e'e - \\lVert Q'e\\rVert^2)`, residual sum of squares
    :math:`y'My - b\\, e'My` and :math:`t = b / \\sqrt{RSS/(N-p) / (e'Me)}`:
    only the products of each permuted :math:`e` with :math:`[My, Q]` are needed.
    """
    y = design.y
    others = np.delete(X, k, axis=1)
    q, _ = np.linalg.qr(others)
    resid_k = X[:, k] - q @ (q.T @ X[:, k])
    e_full = design.full_matrix(resid_k)
    my = y - q @ (q.T @ y)
    ymy = my @ my
    basis = np.column_stack([my, q])
    rdf = X.shape[0] - X.shape[1]
    out = np.empty(len(perms))
    for s, e in _batches(len(perms), design.n_dyads):
        E = _gather(design, e_full, perms[s:e])  # B × N
        prod = E @ basis
        zy = prod[:, 0]
        zz = np.einsum("bn,bn->b", E, E) - np.einsum("bk,bk->b", prod[:, 1:], prod[:, 1:])
        with np.errstate(invalid="ignore", divide="ignore"):
            b = zy / zz
            rss = np.clip(ymy - zy * b, 0, None)
            t = b / np.sqrt(rss / rdf / zz)
        t[zz <= 1e-12 * max(float(resid_k @ resid_k), 1e-300)] = np.nan
        out[s:e] = t
    return out


# -------------------------------------------------------------- logit core
@dataclass
class _Layout:
    """Columns of a logistic design: dense ones, then 0/1 indicators of
    contiguous, adjacent dyad ranges (case dummies), handled block-wise."""

    dense: np.ndarray  # column indices (of X) treated densely, in order
    dummies: np.ndarray  # column indices of the block indicators, in order
    segments: np.ndarray  # (n_dummies, 2) dyad ranges [start, stop) of the indicators

    @property
    def order(self) -> np.ndarray:
        """X column of each internal coefficient (dense first, then dummies)."""
        return np.concatenate([self.dense, self.dummies]).astype(np.int64)

    def without(self, k: int) -> _Layout:
        """The layout with dense column k left out."""
        return _Layout(self.dense[self.dense != k], self.dummies, self.segments)


def _layout(X: np.ndarray, candidates: np.ndarray) -> _Layout:
    """Use the block structure when the candidate columns are 0/1 indicators
    of adjacent contiguous dyad ranges (as :func:`stack_designs` builds them)."""
    all_cols = np.arange(X.shape[1])
    cand = np.asarray(candidates, dtype=np.int64)
    if len(cand):
        segs = []
        for c in cand:
            col = X[:, c]
            nz = np.flatnonzero(col)
            if not np.isin(col, (0.0, 1.0)).all() or len(nz) == 0 or nz[-1] - nz[0] + 1 != len(nz):
                break
            segs.append((nz[0], nz[-1] + 1))
        else:
            order = np.argsort([sg[0] for sg in segs])
            segs_arr = np.asarray(segs, dtype=np.int64)[order]
            if np.all(segs_arr[1:, 0] == segs_arr[:-1, 1]):
                return _Layout(np.setdiff1d(all_cols, cand), cand[order], segs_arr)
    return _Layout(all_cols, np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int64))


def _finite_members(H: np.ndarray, g: np.ndarray | None = None) -> np.ndarray:
    ok = np.isfinite(H).all(axis=(1, 2))
    if g is not None:
        ok &= np.isfinite(g).all(axis=1)
    return ok


def _pinv_members(H: np.ndarray) -> np.ndarray:
    """Pseudo-inverses of finite matrices; NaN for one whose SVD fails."""
    try:
        return np.linalg.pinv(H)
    except np.linalg.LinAlgError:
        out = np.full(H.shape, np.nan)
        for b in range(len(H)):  # rare path: only when the batched SVD fails
            try:
                out[b] = np.linalg.pinv(H[b])
            except np.linalg.LinAlgError:
                pass
        return out


def _solve_batch(H: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Newton steps :math:`H_b^{-1} g_b` of a batch; NaN for members whose Hessian
    or gradient is not finite (a diverging fit), pseudo-inverse for singular ones.
    No decomposition is ever taken of a non-finite matrix."""
    out = np.full(grad.shape, np.nan)
    ok = _finite_members(H, grad)
    if not ok.any():
        return out
    try:
        out[ok] = np.linalg.solve(H[ok], grad[ok][:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        out[ok] = np.einsum("bij,bj->bi", _pinv_members(H[ok]), grad[ok])
    return out


def _inverse_batch(H: np.ndarray) -> np.ndarray:
    """Inverses of a batch of matrices (pseudo-inverse when singular; NaN when not finite)."""
    out = np.full(H.shape, np.nan)
    ok = _finite_members(H)
    if not ok.any():
        return out
    try:
        out[ok] = np.linalg.inv(H[ok])
    except np.linalg.LinAlgError:
        out[ok] = _pinv_members(H[ok])
    return out


def _logit_newton(
    G: np.ndarray,
    y: np.ndarray,
    beta: np.ndarray,
    V: np.ndarray | None = None,
    *,
    segments: np.ndarray | None = None,
    maxiter: int = 25,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Batched Newton–Raphson for logistic regression.

    Member b of the batch has the design ``[G, D, V[b]]``: dense columns
    ``G`` (N × g), indicator columns ``D`` of the adjacent dyad ranges
    ``segments`` (never formed: their Hessian blocks are segment sums) and an
    optional varying last column ``V`` (B × N); the response is ``y`` (N,
    shared) or ``y[b]`` (B × N); ``beta`` is the (B, p) start. :math:`G'WG`
    comes from one product ``w @ C`` with the column-pair products ``C`` of
    ``G``. A member has converged when every Newton step is below
    ``tol · (1 + |β|)``; convergence being quadratic, the estimate after that
    step is exact to about ``tol²``. At most ``maxiter`` steps (R's ``glm.fit``
    default 25). The Hessian used for the z-values is that of the last step.
    Returns coefficients, z-values :math:`\\beta_k/\\sqrt{[(X'WX)^{-1}]_{kk}}`,
    standard errors and a converged flag per member.
    """
    g = G.shape[1]
    segs = (
        np.zeros((0, 2), dtype=np.int64)
        if segments is None
        else np.asarray(segments, dtype=np.int64)
    )
    nd = len(segs)
    iu, ju = np.triu_indices(g)
    C = G[:, iu] * G[:, ju]  # N × g(g+1)/2
    p = g + nd + (V is not None)
    B = beta.shape[0]
    beta = beta.copy()
    yy = y if y.ndim == 2 else y[None, :]
    if nd:
        lo, hi = int(segs[0, 0]), int(segs[-1, 1])
        starts = segs[:, 0] - lo
        lengths = segs[:, 1] - segs[:, 0]
        diag_d = np.arange(g, g + nd)
        G_d = G[lo:hi]
    converged = np.zeros(B, dtype=bool)
    H = np.zeros((B, p, p))
    grad = np.empty((B, p))
    for _ in range(maxiter):
        eta = beta[:, :g] @ G.T
        if nd:
            eta[:, lo:hi] += np.repeat(beta[:, g : g + nd], lengths, axis=1)
        if V is not None:
            eta += beta[:, -1:] * V
        mu = expit(eta, out=eta)
        r = yy - mu
        mu *= 1.0 - mu  # the weights w
        w = mu
        hf = w @ C
        H[:, iu, ju] = hf
        H[:, ju, iu] = hf
        grad[:, :g] = r @ G
        if nd:
            H[:, g : g + nd, g : g + nd] = 0.0
            H[:, diag_d, diag_d] = np.add.reduceat(w[:, lo:hi], starts, axis=1)
            cross = np.add.reduceat(
                w[:, lo:hi, None] * G_d[None, :, :], starts, axis=1
            )  # B × nd × g
            H[:, g : g + nd, :g] = cross
            H[:, :g, g : g + nd] = np.transpose(cross, (0, 2, 1))
            grad[:, g : g + nd] = np.add.reduceat(r[:, lo:hi], starts, axis=1)
        if V is not None:
            wv = w * V
            H[:, -1, :g] = wv @ G
            if nd:
                H[:, -1, g : g + nd] = np.add.reduceat(wv[:, lo:hi], starts, axis=1)
            H[:, :-1, -1] = H[:, -1, :-1]
            H[:, -1, -1] = np.einsum("bn,bn->b", wv, V)
            grad[:, -1] = np.einsum("bn,bn->b", r, V)
        step = _solve_batch(H, grad)
        step[converged] = 0.0
        beta += step
        converged |= np.all(np.abs(step) <= tol * (1.0 + np.abs(beta)), axis=1)
        if converged.all():
            break
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = _inverse_batch(H)
        se = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))
        z = beta / se
    return beta, z, se, converged


def _logit_fit(
    X: np.ndarray, y: np.ndarray, layout: _Layout
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Observed logistic fit in X's column order: coefficients, z, se, converged."""
    beta, z, se, conv = _logit_newton(
        X[:, layout.dense], y, np.zeros((1, len(layout.order))), segments=layout.segments
    )
    out = [np.empty(X.shape[1]) for _ in range(3)]
    for arr, src in zip(out, (beta[0], z[0], se[0]), strict=True):
        arr[layout.order] = src
    return out[0], out[1], out[2], bool(conv[0])


def _logit_qapy_z(
    design: DyadicDesign, X: np.ndarray, layout: _Layout, beta0: np.ndarray, perms: np.ndarray
) -> np.ndarray:
    out = np.empty((len(perms), X.shape[1]))
    G = X[:, layout.dense]
    start = beta0[layout.order]
    per_item = (8 + G.shape[1]) * design.n_dyads
    for s, e in _batches(len(perms), per_item):
        Yp = _gather(design, design.y_full, perms[s:e])  # B × N
        _, z, _, _ = _logit_newton(G, Yp, np.tile(start, (e - s, 1)), segments=layout.segments)
        out[s:e][:, layout.order] = z
    return out


def _logit_qapspp_z(
    design: DyadicDesign, X: np.ndarray, layout: _Layout, k: int, perms: np.ndarray
) -> np.ndarray:
    others = np.delete(X, k, axis=1)
    q, _ = np.linalg.qr(others)
    resid_k = X[:, k] - q @ (q.T @ X[:, k])
    e_full = design.full_matrix(resid_k)
    sub = layout.without(k)
    G = X[:, sub.dense]
    beta_null, _, _, _ = _logit_newton(
        G, design.y, np.zeros((1, len(sub.order))), segments=sub.segments
    )
    out = np.empty(len(perms))
    per_item = (8 + G.shape[1]) * design.n_dyads
    for s, e in _batches(len(perms), per_item):
        E = _gather(design, e_full, perms[s:e])  # B × N
        start = np.hstack([np.tile(beta_null[0], (e - s, 1)), np.zeros((e - s, 1))])
        _, z, _, _ = _logit_newton(G, design.y, start, V=E, segments=sub.segments)
        out[s:e] = z[:, -1]
    return out


# -------------------------------------------------------------- front ends
def _pvalues(observed: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, ...]:
    tol = _TIE_RTOL * np.maximum(np.abs(observed), 1.0)
    valid = np.isfinite(dist)
    count = valid.sum(axis=0)
    with np.errstate(invalid="ignore"):
        ge_abs = (valid & (np.abs(dist) >= np.abs(observed) - tol)).sum(axis=0)
        ge = (valid & (dist >= observed - tol)).sum(axis=0)
        le = (valid & (dist <= observed + tol)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ge_abs / count, ge / count, le / count, count, (ge_abs + 1.0) / (count + 1.0)


def _permutation_statistics(
    design: DyadicDesign,
    X: np.ndarray,
    coef: np.ndarray,
    estimator: str,
    null: str,
    tested: np.ndarray,
    layout: _Layout | None,
    perms: np.ndarray,
    dist: np.ndarray,
) -> None:
    """Fill ``dist`` (permutations × columns) with the permutation test statistics."""
    if null == "qapy":
        if estimator == "netlm":
            full = _ols_qapy_t(design, X, perms)
        else:
            full = _logit_qapy_z(design, X, layout, coef, perms)  # type: ignore[arg-type]
        dist[:, tested] = full[:, tested]
        return
    for k in np.flatnonzero(tested):
        if estimator == "netlm":
            dist[:, k] = _ols_qapspp_t(design, X, k, perms)
        else:
            dist[:, k] = _logit_qapspp_z(design, X, layout, k, perms)  # type: ignore[arg-type]


def _as_design(
    y: Any, x: Any, intercept: bool, directed: bool, names: Sequence[str] | None
) -> DyadicDesign:
    if isinstance(y, DyadicDesign):
        return y
    return matrix_design(y, x, intercept=intercept, directed=directed, names=names)


def _qap(
    design: DyadicDesign,
    estimator: str,
    null_hypothesis: str,
    permutations: int | np.ndarray,
    seed: int | np.random.Generator | None,
) -> QAPResult:
    with single_blas_thread():
        return _qap_body(design, estimator, null_hypothesis, permutations, seed)


def _qap_body(
    design: DyadicDesign,
    estimator: str,
    null_hypothesis: str,
    permutations: int | np.ndarray,
    seed: int | np.random.Generator | None,
) -> QAPResult:
    if null_hypothesis not in ("qapspp", "qapy"):
        raise ValueError(f"null_hypothesis must be 'qapspp' or 'qapy', got {null_hypothesis!r}")
    p_all = len(design.names)
    notes: dict[str, str] = {}
    nan = np.full(p_all, np.nan)
    result = QAPResult(
        names=list(design.names), estimate=nan.copy(), std_error=nan.copy(), statistic=nan.copy(),
        p_value=nan.copy(), p_greater=nan.copy(), p_less=nan.copy(), n_permutations=np.zeros(p_all, dtype=int),
        n_dyads=design.n_dyads, n_dropped=design.n_dropped, null_hypothesis=null_hypothesis,
        estimator=estimator, notes=notes, p_value_plus1=nan.copy(),
        dropped_reasons="; ".join(f"{k}: {v}" for k, v in design.dropped_reasons.items() if v),
    )  # fmt: skip
    y = design.y
    if design.n_dyads == 0:
        notes.update(dict.fromkeys(design.names, "no dyads"))
        return result
    if np.ptp(y) == 0:
        notes.update(dict.fromkeys(design.names, "the relation does not vary over the dyads"))
        return result
    if estimator == "netlogit" and not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("netlogit needs a binary (0/1) relation")
    keep = _estimable(design.X)
    for name in np.asarray(design.names)[~keep]:
        notes[name] = "not estimable: constant or collinear with other terms"
    X = design.X[:, keep]
    if X.shape[1] == 0 or X.shape[0] <= X.shape[1]:
        notes.update(dict.fromkeys(design.names, "too few dyads for the terms"))
        return result
    tested = design.tested[keep]
    layout = None
    if estimator == "netlogit":
        direction = separation_direction(X, y)
        if direction is not None:
            kept_names = np.asarray(design.names)[keep]
            involved = [str(c) for c, b in zip(kept_names, direction, strict=True) if abs(b) > 1e-8]
            reason = (
                "perfect separation (complete or quasi-complete): the maximum-likelihood estimates "
                f"do not exist; separating terms: {involved}"
            )
            for name in kept_names:
                notes[name] = reason
            return result
    if estimator == "netlm":
        coef, se, _ = _ols(X, y)
        stat = coef / se
    else:
        layout = _layout(X, np.flatnonzero(~tested))
        coef, stat, se, conv = _logit_fit(X, y, layout)
        kept_names = np.asarray(design.names)[keep]
        if not np.isfinite(coef).all():
            for name in kept_names:
                notes[name] = "the logistic fit failed (non-finite estimates or Hessian)"
            return result
        if not conv:
            for name in kept_names:
                notes.setdefault(name, "the logistic fit did not converge")
        for name in kept_names[np.abs(coef) > 15]:
            notes.setdefault(
                name, "estimate beyond ±15 on the logit scale: (quasi-)separation, unbounded"
            )
    idx = np.flatnonzero(keep)
    result.estimate[idx], result.std_error[idx], result.statistic[idx] = coef, se, stat
    for name in np.asarray(design.names)[keep][~tested]:
        notes.setdefault(name, "case fixed effect (not tested)")
    if isinstance(permutations, np.ndarray):
        perms = np.asarray(permutations, dtype=np.int64)
        if perms.ndim != 2 or perms.shape[1] != design.n_nodes:
            raise ValueError(
                f"explicit permutations must be (count, {design.n_nodes}), got {perms.shape}"
            )
    else:
        if int(permutations) == 0:
            result.null_hypothesis = "none"
            return result
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        perms = draw_permutations(design, int(permutations), rng)
    null = null_hypothesis if X.shape[1] > 1 else "qapy"
    result.null_hypothesis = null
    dist = np.full((len(perms), X.shape[1]), np.nan)
    _permutation_statistics(design, X, coef, estimator, null, tested, layout, perms, dist)
    p, pg, pl, count, plus1 = _pvalues(stat, dist)
    for pos, col in enumerate(idx):
        if tested[pos]:
            result.p_value[col], result.p_greater[col], result.p_less[col] = (
                p[pos],
                pg[pos],
                pl[pos],
            )
            result.p_value_plus1[col] = plus1[pos]
            result.n_permutations[col] = count[pos]
    full_dist = np.full((len(perms), p_all), np.nan)
    full_dist[:, idx] = dist
    result.distribution = full_dist
    return result


def netlm(
    y: Any,
    x: Any | None = None,
    *,
    intercept: bool = True,
    directed: bool = True,
    names: Sequence[str] | None = None,
    null_hypothesis: str = "qapspp",
    permutations: int | np.ndarray = 2000,
    seed: int | np.random.Generator | None = None,
) -> QAPResult:
    """OLS network regression with QAP p-values (as R ``sna::netlm``).

    .. math:: \\hat\\beta = (X'X)^{-1}X'y, \\quad
              t_k = \\hat\\beta_k / \\sqrt{\\hat\\sigma^2 [(X'X)^{-1}]_{kk}},
              \\quad \\hat\\sigma^2 = \\frac{\\lVert y - X\\hat\\beta\\rVert^2}{N - p}

    over the N dyads; p-values from the permutation distribution of
    :math:`t_k` under ``qapspp`` or ``qapy`` (see the module docstring).

    Parameters
    ----------
    y
        The n×n dependent matrix, or a :class:`DyadicDesign` (then ``x``,
        ``intercept``, ``directed`` and ``names`` are ignored).
    x
        The covariate matrices (one n×n matrix, a list, or a k×n×n array).
    intercept, directed, names
        See :func:`matrix_design`.
    null_hypothesis
        ``"qapspp"`` (default, Dekker et al. 2007) or ``"qapy"``.
    permutations
        Number of random permutations (0: estimates only), or an explicit
        (count × n) array of node permutations (``perm[b, g]`` is the node
        whose row/column moves to position g).
    seed
        Seed or Generator for the permutations.

    Returns
    -------
    QAPResult
        Aliased (constant or collinear) columns get NaN and a note, as sna's
        QR reports them NA.
    """
    design = _as_design(y, x, intercept, directed, names)
    return _qap(design, "netlm", null_hypothesis, permutations, seed)


def netlogit(
    y: Any,
    x: Any | None = None,
    *,
    intercept: bool = True,
    directed: bool = True,
    names: Sequence[str] | None = None,
    null_hypothesis: str = "qapspp",
    permutations: int | np.ndarray = 2000,
    seed: int | np.random.Generator | None = None,
) -> QAPResult:
    """Logistic network regression with QAP p-values (as R ``sna::netlogit``).

    Maximum likelihood of :math:`P(y_{ij} = 1) = \\operatorname{logit}^{-1}(x_{ij}'\\beta)`
    over the dyads (Newton–Raphson); test statistic
    :math:`z_k = \\hat\\beta_k / \\sqrt{[(X'WX)^{-1}]_{kk}}`,
    :math:`W = \\operatorname{diag}(\\hat\\mu(1-\\hat\\mu))`. Under ``qapspp`` the
    residual of :math:`X_k` on the other columns is an OLS residual, as in sna.
    Parameters as in :func:`netlm`; ``y`` must be 0/1.
    """
    design = _as_design(y, x, intercept, directed, names)
    return _qap(design, "netlogit", null_hypothesis, permutations, seed)


# ============================================================ pipeline API
def previous_wave_matrix(
    current: CaseNetwork, previous: CaseNetwork, *, field: str | None = None
) -> np.ndarray:
    """The previous wave's relation, aligned with ``current.actors``.

    ``field=None`` gives the binary tie, otherwise a ties column (e.g.
    ``"weight"``). Actors absent from the previous wave have no tie there: 0.
    """
    prev = previous.matrix(field).tocoo()
    pos = pd.Series(np.arange(current.n), index=pd.Index(current.actors))
    src = pos.reindex(np.asarray(previous.actors)[prev.row]).to_numpy()
    tgt = pos.reindex(np.asarray(previous.actors)[prev.col]).to_numpy()
    ok = np.isfinite(src) & np.isfinite(tgt)
    out = np.zeros((current.n, current.n))
    out[src[ok].astype(np.int64), tgt[ok].astype(np.int64)] = prev.data[ok]
    return out


_BUILTIN_EDGECOV = {
    "previous_tie": None,
    "previous_weight": "weight",
    "previous_strength": "strength",
}


def _edgecov_for(
    spec: DyadicModelSpec,
    case_id: str,
    net: CaseNetwork,
    edgecov: Mapping[str, Mapping[str, Any]] | None,
    previous: Mapping[str, CaseNetwork] | None,
) -> dict[str, Any]:
    out: dict[str, Any] = dict((edgecov or {}).get(case_id, {}))
    for term in spec.terms:
        kind, name = parse_dyadic_term(term)
        if kind != "edgecov" or name in out or name not in _BUILTIN_EDGECOV:
            continue
        if previous is None or case_id not in previous:
            raise ValueError(f"edgecov({name}): the case has no previous wave")
        try:
            out[name] = previous_wave_matrix(net, previous[case_id], field=_BUILTIN_EDGECOV[name])
        except KeyError as err:
            raise ValueError(f"edgecov({name}): the previous wave's ties lack {err}") from None
    return out


def _rows(
    spec: DyadicModelSpec, case_id: str, wave: str, n_actors: int, result: QAPResult
) -> pd.DataFrame:
    frame = result.to_frame()
    if result.notes and np.isnan(result.estimate).all():
        log.warning(
            "dyadic model %s, case %s, wave %s: not estimated: %s",
            spec.name, case_id, wave, "; ".join(dict.fromkeys(result.notes.values())),
        )  # fmt: skip
    return frame.assign(
        model=spec.name, case_id=case_id, relation=spec.relation, wave=wave, n_actors=n_actors
    ).reindex(columns=QAP_COLUMNS)


def _note_rows(
    spec: DyadicModelSpec,
    case_id: str,
    wave: str,
    n_actors: int,
    note: str,
    *,
    n_dropped: int = 0,
    dropped_reasons: str = "",
) -> pd.DataFrame:
    # a first wave without a previous one is expected, not degenerate: info, not a warning
    level = logging.INFO if "has no previous wave" in note else logging.WARNING
    log.log(level, "dyadic model %s, case %s, wave %s: not estimated: %s", spec.name, case_id, wave, note)
    terms = (["Intercept"] if spec.intercept else []) + list(spec.terms)
    return pd.DataFrame(
        {
            "model": spec.name,
            "case_id": case_id,
            "term": terms,
            "estimate": np.nan,
            "p_value": np.nan,
            "n_dyads": 0,
            "n_permutations": 0,
            "null_hypothesis": spec.null_hypothesis,
            "estimator": spec.estimator,
            "relation": spec.relation,
            "wave": wave,
            "n_actors": n_actors,
            "n_dropped": n_dropped,
            "note": note,
            "p_value_plus1": np.nan,
            "dropped_reasons": dropped_reasons,
        }  # fmt: skip
    ).reindex(columns=QAP_COLUMNS)


def _fit_rows(
    spec: DyadicModelSpec, design: DyadicDesign, case: str, wave: str, rng: np.random.Generator
) -> pd.DataFrame:
    """The rows of one fit; a fit that raises gives note rows (one case never fails the job)."""
    try:
        result = _qap(design, spec.estimator, spec.null_hypothesis, spec.permutations, rng)
    except Exception as exc:  # noqa: BLE001 - reported in the table and the log, not raised
        return _note_rows(
            spec, case, wave, design.n_nodes, f"the fit failed: {type(exc).__name__}: {exc}",
            n_dropped=design.n_dropped,
            dropped_reasons="; ".join(f"{k}: {v}" for k, v in design.dropped_reasons.items() if v),
        )  # fmt: skip
    return _rows(spec, case, wave, design.n_nodes, result)


def fit_qap_models(
    networks: Mapping[str, CaseNetwork],
    attributes: pd.DataFrame | None,
    models_config: Sequence[Mapping[str, Any] | DyadicModelSpec],
    *,
    seed: int,
    edgecov: Mapping[str, Mapping[str, Any]] | None = None,
    previous: Mapping[str, CaseNetwork] | None = None,
    wave: str = "",
    min_actors: int = 3,
) -> pd.DataFrame:
    """Fit every dyadic model per case and pooled over the cases of one wave.

    Parameters
    ----------
    networks
        ``{case_id: CaseNetwork}`` of one wave.
    attributes
        Actor attributes for the terms (see :func:`dyadic_design`).
    models_config
        The ``dyadic_models`` entries (validated here).
    seed
        Config seed; each (wave, model, case) draws its permutations from
        :func:`~netinnov.config.derive_seed`.
    edgecov
        ``{case_id: {name: matrix}}`` for ``edgecov(name)`` terms. The names
        ``previous_tie``, ``previous_weight`` and ``previous_strength`` are
        built from ``previous`` (``{case_id: CaseNetwork}`` of the wave before)
        when not supplied.
    wave
        Label written to the ``wave`` column.
    min_actors
        Cases with fewer actors (after dropping missing attributes) get note rows.

    Returns
    -------
    pandas.DataFrame
        :data:`QAP_COLUMNS`; ``case_id`` is ``pooled`` for the pooled fit
        (case dummies, permutations within cases; no pooled rows when the
        wave has a single case). A pooled ``netlogit`` leaves out cases whose
        relation is constant (their case effect would be infinite and they
        carry no information on the other terms), and says so in ``note``. A case that cannot be
        fitted gives rows with NaN and a ``note``, never an exception.
    """
    if all(isinstance(s, DyadicModelSpec) for s in models_config):
        specs = list(models_config)
    else:
        specs = parse_dyadic_models(models_config)  # type: ignore[arg-type]
    parts = fit_case_models(
        networks, attributes, specs, seed=seed, edgecov=edgecov, previous=previous, wave=wave, min_actors=min_actors
    )
    frames: list[pd.DataFrame] = []
    for spec, part in zip(specs, parts, strict=True):
        frames += part.frames
        frames += fit_pooled(spec, [part], seed=seed, wave=wave)
    return wave_frame(frames)


def wave_frame(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The rows of one wave's dyadic fits as one frame (:data:`QAP_COLUMNS`),
    with the q-values of the wave."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=QAP_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["q_value"] = qap_qvalues(out)
    return out


@dataclass
class CaseFits:
    """The per-case part of one dyadic model in one wave, for some of its cases
    (:func:`fit_case_models`): the rows of the per-case fits and of the cases
    that could not be fitted, in case order, and the designs the pooled fit
    stacks (:func:`fit_pooled`). Cases fitted in chunks join into the pooled
    fit of all of them."""

    frames: list[pd.DataFrame]
    designs: list[DyadicDesign]
    labels: list[str]
    n_networks: int


def fit_case_models(
    networks: Mapping[str, CaseNetwork],
    attributes: pd.DataFrame | None,
    specs: Sequence[DyadicModelSpec],
    *,
    seed: int,
    edgecov: Mapping[str, Mapping[str, Any]] | None = None,
    previous: Mapping[str, CaseNetwork] | None = None,
    wave: str = "",
    min_actors: int = 3,
) -> list[CaseFits]:
    """The per-case half of :func:`fit_qap_models`: one :class:`CaseFits` per
    model of ``specs``. The designs are kept only for models with a pooled fit."""
    out: list[CaseFits] = []
    for spec in specs:
        frames: list[pd.DataFrame] = []
        designs: list[DyadicDesign] = []
        labels: list[str] = []
        for case_id in sorted(networks, key=str):
            net = networks[case_id]
            case = str(case_id)
            try:
                design = dyadic_design(
                    net,
                    spec.terms,
                    attributes,
                    relation=spec.relation,
                    edgecov=_edgecov_for(spec, case, net, edgecov, previous),
                    intercept=spec.intercept,
                )
            except ValueError as err:
                frames.append(_note_rows(spec, case, wave, net.n, str(err)))
                continue
            if design.n_nodes < min_actors:
                frames.append(  # with what left the design: e.g. actors without an attribute
                    _note_rows(
                        spec, case, wave, design.n_nodes, f"fewer than {min_actors} actors",
                        n_dropped=design.n_dropped,
                        dropped_reasons="; ".join(f"{k}: {v}" for k, v in design.dropped_reasons.items() if v),
                    )  # fmt: skip
                )
                continue
            if spec.estimator == "netlogit" and not np.isin(design.y, (0.0, 1.0)).all():
                frames.append(
                    _note_rows(spec, case, wave, design.n_nodes, "netlogit needs a binary relation")
                )
                continue
            if spec.pooled:
                designs.append(design)
            labels.append(case)
            if spec.per_case:
                rng = np.random.default_rng(derive_seed(seed, wave, spec.name, case))
                frames.append(_fit_rows(spec, design, case, wave, rng))
        out.append(CaseFits(frames, designs, labels if spec.pooled else [], len(networks)))
    return out


def fit_pooled(spec: DyadicModelSpec, parts: Sequence[CaseFits], *, seed: int, wave: str) -> list[pd.DataFrame]:
    """The pooled half of :func:`fit_qap_models`: the pooled fit of one model
    over the cases of one wave, from the :class:`CaseFits` of its chunks in
    case order (rows of a note when it cannot be fitted; none without
    ``pooled``)."""
    if not spec.pooled:
        return []
    designs = [d for part in parts for d in part.designs]
    labels = [lab for part in parts for lab in part.labels]
    n_networks = sum(part.n_networks for part in parts)
    frames: list[pd.DataFrame] = []
    left_out: list[str] = []
    if spec.estimator == "netlogit":
        # With a case effect, a case whose relation is constant only pushes its
        # own dummy to infinity: it carries no information (as in conditional logit).
        flat = [
            lab
            for d, lab in zip(designs, labels, strict=True)
            if d.n_dyads and np.ptp(d.y) == 0
        ]
        left_out = flat
        flat_dyads = {
            lab: d.n_dyads for d, lab in zip(designs, labels, strict=True) if lab in flat
        }
        designs = [d for d, lab in zip(designs, labels, strict=True) if lab not in flat]
        labels = [lab for lab in labels if lab not in flat]
    if len(designs) > spec.pooled_max_cases:
        # the pooled design carries one dummy column per case: its size grows
        # with dyads x cases, so large waves are fitted per case only
        frames.append(
            _note_rows(
                spec, "pooled", wave, 0,
                f"pooled fit skipped: {len(designs)} cases > pooled_max_cases = {spec.pooled_max_cases}",
            )
        )
    elif len(designs) >= 2:
        pooled = stack_designs(designs, labels)
        if left_out:  # their dyads are not used by the pooled fit: count them
            key = "case without variation in the relation (left out of the pooled logit)"
            pooled.dropped_reasons[key] = int(sum(flat_dyads.values()))
            pooled.n_dropped += int(sum(flat_dyads.values()))
        rng = np.random.default_rng(derive_seed(seed, wave, spec.name, "pooled"))
        rows = _fit_rows(spec, pooled, "pooled", wave, rng)
        if left_out:
            extra = f"cases without variation left out of the pooled logit: {left_out}"
            rows["note"] = [f"{n}; {extra}" if n else extra for n in rows["note"].fillna("")]
        frames.append(rows)
    elif n_networks >= 2:
        frames.append(
            _note_rows(spec, "pooled", wave, 0, "pooling needs at least 2 usable cases")
        )
    return frames


def run_qap(
    networks: Mapping[str, Mapping[str, CaseNetwork]] | Mapping[str, CaseNetwork],
    attributes: pd.DataFrame | None,
    models_config: Sequence[Mapping[str, Any]],
    *,
    seed: int,
    out_dir: Path | str,
    edgecov: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    waves: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Fit the ``dyadic_models`` on every wave and write ``out_dir/qap.csv``.

    Parameters
    ----------
    networks
        ``{wave: {case_id: CaseNetwork}}`` (or ``{case_id: CaseNetwork}`` for
        a single wave, written with an empty ``wave``).
    attributes
        Actor attributes (e.g. ``panel/actors.csv`` or the input
        ``actors.csv``); with a ``wave`` column, each wave uses its own rows.
    models_config
        The ``dyadic_models`` list of the config.
    seed
        Config seed.
    out_dir
        Directory of ``qap.csv`` (created if needed).
    edgecov
        ``{wave: {case_id: {name: matrix}}}`` extra dyadic covariates.
    waves
        Wave order (for ``edgecov(previous_*)``); default: the order of ``networks``.
    """
    specs = parse_dyadic_models(models_config)
    if networks and all(isinstance(v, CaseNetwork) for v in networks.values()):
        by_wave: dict[str, Mapping[str, CaseNetwork]] = {"": networks}  # type: ignore[dict-item]
    else:
        by_wave = {str(w): v for w, v in networks.items()}  # type: ignore[misc]
    order = [str(w) for w in waves] if waves is not None else list(by_wave)
    frames = []
    for pos, wave in enumerate(order):
        if wave not in by_wave:
            continue
        attrs = attributes
        if attrs is not None and "wave" in attrs.columns and wave != "":
            attrs = attrs[attrs["wave"].astype(str) == wave]
        previous = by_wave.get(order[pos - 1]) if pos > 0 else None
        frames.append(
            fit_qap_models(
                by_wave[wave],
                attrs,
                specs,
                seed=seed,
                edgecov=(edgecov or {}).get(wave),
                previous=previous,
                wave=wave,
            )
        )
    return write_qap(frames, Path(out_dir) / "qap.csv")


def write_qap(frames: Sequence[pd.DataFrame], path: Path) -> pd.DataFrame:
    """The waves' fits as ``qap.csv`` at ``path``, q-values over every wave's rows."""
    out = (
        pd.concat([f for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else pd.DataFrame(columns=QAP_COLUMNS)
    )
    out["q_value"] = qap_qvalues(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    guard(out).to_csv(path, index=False, lineterminator="\n")  # neutralize_formulas
    return out
