"""Time every stage and metric of one wave on synthetic single-case networks.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_metrics.py                      # small, medium
    .venv/bin/python benchmarks/bench_metrics.py --sizes small,medium,large
    .venv/bin/python benchmarks/bench_metrics.py --sizes small --only betweenness,igraph_betweenness

Each size is one case of a one-wave dataset written by ``netinnov simulate``
(directed survey reports, 50 records per actor): small = 2 000 actors /
~100k records, medium = 20 000 / ~1M, large = 100 000 / ~5M.

Every measurement runs in a fresh Python process (``--worker``): the inputs
are loaded first (not timed; their resident set is ``setup MB``), then the
stage is timed (wall and CPU seconds) and the peak resident set
(``ru_maxrss``) is read. Next to each netinnov stage the script times the
bare library call that bounds it (igraph's own betweenness, a bare sparse
product, ``pandas.read_csv`` + ``groupby``) and, within a time budget, plain
networkx. Ratios are figures to read, never assertions.

Outputs: a markdown report on stdout and in ``benchmarks/out/metrics.md``,
raw results in ``benchmarks/out/metrics.json``; datasets and intermediate
files in ``benchmarks/data/`` (both git-ignored).
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import (  # noqa: E402
    BENCH_DIR,
    REPO,
    Meter,
    format_table,
    loglog_slope,
    machine_info,
    machine_markdown,
    run_worker,
)

SIZES = {  # actors of the one case; records = actors * RECORDS_PER_ACTOR
    "small": 2_000,
    "medium": 20_000,
    "large": 100_000,
}
RECORDS_PER_ACTOR = 50
SEED = 20261127
WAVE = "w1"
QAP_ACTORS = 200
QAP_PERMUTATIONS = 2000
QAP_TERMS = ["nodematch(sector)", "absdiff(command_rank_score)"]
EI_PERMUTATIONS = 1000
DATA = BENCH_DIR / "data"
OUT = BENCH_DIR / "out"


# ============================================================== worker side
def _options() -> dict:
    """The pipeline's default configuration (config/config.yaml), directed data."""
    import yaml

    from netinnov.config import resolve

    raw = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    raw["dataset"] = str(DATA)
    raw["directed"] = True
    raw["ei_permutations"] = EI_PERMUTATIONS
    return resolve(raw, REPO / "workflow" / "schemas" / "config.schema.yaml")


def _paths(size: str) -> dict[str, Path]:
    base = DATA / f"metrics_{size}"
    return {
        "dataset": base / "dataset",
        "wave": base / "wave",  # write_validated output
        "ties": base / "wave_ties.pkl",  # wave_ties output, before tie strength
        "rosters": base / "rosters.pkl",
        "network": base / "network.pkl",  # the CaseNetwork as the wave stage builds it
        "info": base / "info.json",
    }


def _load(path: Path):
    with open(path, "rb") as fh:
        return pickle.load(fh)


def _dump(obj, path: Path) -> None:
    with open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _validated(p):
    from netinnov.io import read_validated

    return read_validated(p["wave"], WAVE)


def _csv_dtypes(path: Path) -> dict:
    import pandas as pd

    ids = {"case_id", "actor_id", "source", "target", "event_id", "organization"}
    return {c: str for c in pd.read_csv(path, nrows=0).columns if c in ids}


def _bare_read(dataset: Path):
    """``pandas.read_csv`` of every input file of the wave (ids as text, dates parsed)."""
    import pandas as pd

    files = [dataset / "actors.csv", *sorted((dataset / "waves" / WAVE).glob("*.csv"))]
    frames = {}
    for path in files:
        parse = ["date"] if path.name in ("interactions.csv", "participation.csv") else None
        frames[path.stem] = pd.read_csv(path, dtype=_csv_dtypes(path), parse_dates=parse)
    return frames


def _skeleton_arrays(net):
    import scipy.sparse as sp

    upper = sp.triu(net.symmetric, k=1).tocoo()
    return upper.row.astype(np.int64), upper.col.astype(np.int64)


def _pivots(n: int, samples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=samples, replace=False))


def _btw_seed(options: dict, net) -> int:
    from netinnov.config import derive_seed

    return derive_seed(int(options.get("seed", 0)), "betweenness", WAVE, net.case_id)


# Each task: setup(p, options) -> ctx (not timed), run(ctx) -> info dict or None
# (timed), optional post(ctx, result) (not timed, e.g. caching for later tasks).
def _t_ingest():
    from netinnov.io import validate_wave, write_validated

    def setup(p, o):
        return {"p": p, "o": o}

    def run(c):
        c["data"] = validate_wave(c["p"]["dataset"], WAVE, on_bad_rows="quarantine", directed=True)
        return {"records": int(len(c["data"].interactions)), "rejected": int(len(c["data"].rejected))}

    def post(c, r):
        write_validated(c["data"], c["p"]["wave"])

    return setup, run, post


def _t_bare_read():
    def setup(p, o):
        return {"p": p}

    def run(c):
        frames = _bare_read(c["p"]["dataset"])
        return {"records": int(len(frames["interactions"]))}

    return setup, run, None


def _t_aggregate():
    from netinnov.networks.build import case_networks, case_rosters, wave_ties

    def setup(p, o):
        return {"p": p, "o": o, "data": _validated(p)}

    def run(c):
        d, o = c["data"], c["o"]
        ties = wave_ties(
            d.interactions, d.participation, directed=True,
            frequency_scale=o.get("frequency_scale") or None,
            coparticipation_weight=o.get("coparticipation_weight", "events"),
        )  # fmt: skip
        rosters = case_rosters(d.interactions, d.participation, d.members)
        labels = tuple(sorted(d.actors["sector"].dropna().astype(str).unique()))
        nets = case_networks(ties, rosters, d.actors, directed=True, group_labels=labels)
        c.update(ties=ties, rosters=rosters, labels=labels, nets=nets)
        return {"ties": int(len(ties))}

    def post(c, r):
        # Mirror netinnov.metrics.wave.wave_networks: tie strength, its positive
        # version and the strong/weak class are added before the networks are
        # built; the result is the network every metric task below loads.
        from netinnov.config import derive_seed
        from netinnov.metrics.ties import classify_ties, tie_strength

        o, ties = c["o"], c["ties"]
        _dump(ties, c["p"]["ties"])
        ties = ties.copy()
        ties["strength"] = tie_strength(ties, weights=o.get("tie_strength") or None, directed=True).to_numpy()
        ties["strength_weight"] = np.exp(ties["strength"].to_numpy(dtype=float))
        tc = o.get("tie_class") or {}
        ties["tie_class"] = classify_ties(
            ties["strength"], ties["case_id"], method=tc.get("method", "quantile"),
            threshold=float(tc.get("threshold", 0.0)), quantile=float(tc.get("quantile", 0.5)),
            seed=derive_seed(o.get("seed", 0), "tie_class", WAVE),
        ).to_numpy()  # fmt: skip
        from netinnov.networks.build import case_networks

        d = c["data"]
        nets = case_networks(ties, c["rosters"], d.actors, directed=True, group_labels=c["labels"])
        (net,) = nets.values()
        _dump(net, c["p"]["network"])
        sym = net.symmetric
        deg = np.diff(sym.indptr).astype(np.int64)
        a = net.adjacency
        outdeg = np.diff(a.indptr).astype(np.int64)
        indeg = np.bincount(a.indices, minlength=net.n).astype(np.int64)
        info = {
            "actors": int(net.n),
            "records": int(len(d.interactions)),
            "participation_rows": int(0 if d.participation is None else len(d.participation)),
            "arcs": int(net.n_ties),
            "skeleton_edges": int(sym.nnz // 2),
            "isolates": int((deg == 0).sum()),
            "max_degree": int(deg.max()) if len(deg) else 0,
            "two_paths": int((deg * (deg - 1)).sum()),
            "directed_two_paths": int((indeg * outdeg).sum()),
        }
        c["p"]["info"].write_text(json.dumps(info, indent=1))

    return setup, run, post


def _t_bare_groupby():
    def setup(p, o):
        frames = _bare_read(p["dataset"])
        return {"rec": frames["interactions"]}

    def run(c):
        ties = c["rec"].groupby(["case_id", "source", "target"], sort=True).agg(
            n_records=("frequency", "size"), frequency=("frequency", "sum"),
            duration_min=("duration_min", "sum"), closeness=("closeness", "mean"),
            channels=("channel", "nunique"), first_date=("date", "min"), last_date=("date", "max"),
        )  # fmt: skip
        return {"ties": int(len(ties))}

    return setup, run, None


def _t_strength():
    from netinnov.config import derive_seed
    from netinnov.metrics.ties import classify_ties, tie_strength

    def setup(p, o):
        return {"ties": _load(p["ties"]), "o": o}

    def run(c):
        o, ties = c["o"], c["ties"]
        s = tie_strength(ties, weights=o.get("tie_strength") or None, directed=True)
        tc = o.get("tie_class") or {}
        classify_ties(
            s, ties["case_id"], method=tc.get("method", "quantile"), quantile=float(tc.get("quantile", 0.5)),
            threshold=float(tc.get("threshold", 0.0)), seed=derive_seed(o.get("seed", 0), "tie_class", WAVE),
        )  # fmt: skip

    return setup, run, None


def _t_bare_strength():
    """Log/standardise the same tie columns, average them, split at the case median."""
    import pandas as pd

    def setup(p, o):
        return {"ties": _load(p["ties"])}

    def run(c):
        t = c["ties"]
        cols = {"frequency": True, "duration_min": True, "coparticipation": True,
                "closeness": False, "multiplexity": False}  # fmt: skip
        z = []
        for col, log in cols.items():
            x = t[col].to_numpy(dtype=float)
            x = np.log1p(x) if log else x
            sd = np.nanstd(x)
            z.append((x - np.nanmean(x)) / (sd if sd > 0 else 1.0))
        r = t["reciprocated"].to_numpy(dtype=float)
        z.append((r - r.mean()) / (r.std() or 1.0))
        strength = np.nanmean(np.column_stack(z), axis=1)
        s = pd.Series(strength, index=t.index)
        s.gt(s.groupby(t["case_id"].to_numpy()).transform("median"))

    return setup, run, None


def _net_task(metric):
    """A task that loads the pickled network and times ``metric(net, options, p)``."""

    def factory():
        def setup(p, o):
            # Imports are one-off costs, not the metric's: load every metric
            # module and igraph (the bridge search and betweenness use it) first.
            import igraph  # noqa: F401

            import netinnov.steps.wave_tables  # noqa: F401

            _warm_compiled_kernels()
            ctx = {"net": _load(p["network"]), "o": o, "p": p}
            return ctx

        def run(c):
            return metric(c)

        return setup, run, None

    return factory


def _warm_compiled_kernels() -> None:
    """Run the metrics once on a 4-actor network: numba's one-off start-up.

    The first call of a compiled kernel in a process loads numba's runtime
    and the cached machine code (about 0.4 s, once per process, like an
    import); the wave stage pays it once for all its cases.
    """
    import networkx as nx

    from netinnov.metrics.gould_fernandez import gould_fernandez
    from netinnov.metrics.ties import tie_metrics
    from netinnov.networks import CaseNetwork

    tiny = CaseNetwork.from_networkx(nx.DiGraph([(0, 1), (1, 2), (2, 3), (3, 0)]))
    tie_metrics(tiny)
    gould_fernandez(tiny)


def _m_tie_metrics(c):
    from netinnov.metrics.ties import tie_metrics

    tm = tie_metrics(c["net"])
    return {"local_bridges": int(tm["local_bridge"].sum()), "bridges": int(np.isinf(tm["span"]).sum())}


def _m_overlap(c):
    from netinnov.metrics.ties import neighbourhood_overlap

    neighbourhood_overlap(c["net"])


def _m_structural_holes(c):
    from netinnov.metrics.structural_holes import structural_holes
    from netinnov.metrics.wave import TIE_WEIGHT_COLUMNS

    structural_holes(c["net"], weight=TIE_WEIGHT_COLUMNS[c["o"].get("tie_weight", "strength")])


def _m_gould_fernandez(c):
    from netinnov.metrics.gould_fernandez import gould_fernandez

    gould_fernandez(c["net"], z_scores=True)


def _m_alter_diversity(c):
    from netinnov.metrics.diversity import alter_diversity

    alter_diversity(c["net"])


def _m_case_diversity(c):
    from netinnov.metrics.diversity import case_diversity

    net = c["net"]
    case_diversity(net, permutations=EI_PERMUTATIONS, seed=1, tie_class=net.ties["tie_class"])


def _m_betweenness(c):
    from netinnov.metrics.betweenness import betweenness

    net, o = c["net"], c["o"]
    btw = o.get("betweenness") or {}
    out = betweenness(
        net, weight=None, exact_max_actors=int(btw.get("exact_max_actors", 20000)),
        samples=int(btw.get("samples", 1000)), seed=_btw_seed(o, net),
    )  # fmt: skip
    return {"method": str(out["betweenness_method"].iloc[0])}


def _t_role_scores():
    from netinnov.metrics.roles import role_scores

    def setup(p, o):
        d = _validated(p)
        return {"net": _load(p["network"]), "data": d}

    def run(c):
        net, d = c["net"], c["data"]
        role_scores(net, d.interactions, d.participation, tie_class=net.ties["tie_class"])

    return setup, run, None


def _t_wave_stage():
    from netinnov.metrics.wave import wave_tables

    def setup(p, o):
        return {"data": _validated(p), "o": o}

    def run(c):
        tables = wave_tables(c["data"], c["o"])
        return {"ties": int(len(tables.ties)), "actors": int(len(tables.actors))}

    return setup, run, None


# ---------------------------------------------------------------- bare limits
def _bare_product(build):
    """Time ``M @ M`` (or ``M @ G``) for matrices built (untimed) by ``build(net, options)``."""

    def factory():
        def setup(p, o):
            net = _load(p["network"])
            left, right = build(net, o)
            return {"left": left, "right": right}

        def run(c):
            prod = c["left"] @ c["right"]
            return {"nnz": int(prod.nnz)}

        return setup, run, None

    return factory


def _skeleton_matrix(net, o):
    s = net.symmetric.copy()
    return s, s


def _structural_holes_matrix(net, o):
    """Row-normalised mutual tie weights ``P``; constraint needs ``P @ P``."""
    import scipy.sparse as sp

    from netinnov.metrics.wave import TIE_WEIGHT_COLUMNS

    w = net.matrix(TIE_WEIGHT_COLUMNS[o.get("tie_weight", "strength")])
    m = (w + w.T).tocsr()
    rows = np.asarray(m.sum(axis=1)).ravel()
    p = (sp.diags(np.where(rows > 0, 1.0 / np.where(rows > 0, rows, 1.0), 0.0)) @ m).tocsr()
    return p, p


def _adjacency_matrix(net, o):
    a = net.adjacency.copy()
    return a, a


def _group_matrix(net, o):
    import scipy.sparse as sp

    k = len(net.group_labels)
    known = net.groups >= 0
    g = sp.csr_matrix(
        (np.ones(int(known.sum())), (np.flatnonzero(known), net.groups[known])), shape=(net.n, k)
    )
    return net.symmetric.copy(), g


def _t_bare_ei():
    """E-I index of the skeleton and 1 000 label permutations, in numpy."""

    def setup(p, o):
        net = _load(p["network"])
        u, v = _skeleton_arrays(net)
        return {"u": u, "v": v, "g": net.groups.copy()}

    def run(c):
        u, v, g = c["u"], c["v"], c["g"]
        rng = np.random.default_rng(1)
        observed = np.mean(g[u] != g[v])
        count = 0
        for _ in range(EI_PERMUTATIONS):
            perm = rng.permutation(g)
            count += np.mean(perm[u] != perm[v]) >= observed
        return {"p": float(count / EI_PERMUTATIONS)}

    return setup, run, None


def _t_igraph_betweenness():
    import igraph as ig

    def setup(p, o):
        net = _load(p["network"])
        edges = np.column_stack([net.ties["source_index"].to_numpy(), net.ties["target_index"].to_numpy()])
        g = ig.Graph(n=net.n, edges=edges.tolist(), directed=True)
        btw = o.get("betweenness") or {}
        exact_max, samples = int(btw.get("exact_max_actors", 20000)), int(btw.get("samples", 1000))
        sources = None if net.n <= exact_max or samples >= net.n else _pivots(net.n, samples, _btw_seed(o, net))
        return {"g": g, "sources": sources}

    def run(c):
        if c["sources"] is None:
            c["g"].betweenness(directed=True)
            return {"method": "exact"}
        c["g"].betweenness(directed=True, sources=c["sources"].tolist())
        return {"method": f"sampled(k={len(c['sources'])})"}

    return setup, run, None


# ------------------------------------------------------------------ networkx
def _nx_task(which):
    def factory():
        import networkx as nx

        def setup(p, o):
            net = _load(p["network"])
            g = net.to_networkx()
            if which == "local_bridges":
                g = nx.Graph(g.to_undirected())
            return {"g": g}

        def run(c):
            g = c["g"]
            if which == "betweenness":
                nx.betweenness_centrality(g, normalized=False)
            elif which == "local_bridges":
                sum(1 for _ in nx.local_bridges(g, with_span=True))
            elif which == "structural_holes":
                nx.constraint(g, weight="strength_weight")
                # nodes=list(g): networkx 3.6's vectorised path (nodes=None) normalises
                # by the wrong axis on weighted or directed graphs (networkx PR #8906)
                nx.effective_size(g, nodes=list(g), weight="strength_weight")

        return setup, run, None

    return factory


# ------------------------------------------------------------------- MRQAP
def _qap_design(p):
    from netinnov.io import validate_wave
    from netinnov.metrics.wave import wave_networks
    from netinnov.models.qap import dyadic_design

    data = validate_wave(p["dataset"], WAVE, directed=True)
    (net,) = wave_networks(data, _options()).values()
    return dyadic_design(net, QAP_TERMS, relation="tie")


def _qap_task(estimator):
    def factory():
        from netinnov.models import qap

        def setup(p, o):
            return {"design": _qap_design(p)}

        def run(c):
            fit = getattr(qap, estimator)
            res = fit(c["design"], null_hypothesis="qapspp", permutations=QAP_PERMUTATIONS, seed=1)
            return {"dyads": int(res.n_dyads), "p": [float(x) for x in res.p_value]}

        return setup, run, None

    return factory


def _t_naive_netlm():
    """Reference: qapspp refitting OLS once per permutation and term (as a plain loop would)."""

    def setup(p, o):
        return {"design": _qap_design(p)}

    def run(c):
        d = c["design"]
        y, x = np.asarray(d.y, dtype=float), np.asarray(d.X, dtype=float)
        n_nodes = int(d.block_start[-1])
        rng = np.random.default_rng(1)
        for k in range(1, x.shape[1]):
            others = np.delete(x, k, axis=1)
            coef, *_ = np.linalg.lstsq(others, x[:, k], rcond=None)
            resid = np.zeros((n_nodes, n_nodes))
            resid[d.i, d.j] = x[:, k] - others @ coef
            for _ in range(QAP_PERMUTATIONS):
                perm = rng.permutation(n_nodes)
                xk = resid[perm][:, perm][d.i, d.j]
                design = np.column_stack([others, xk])
                beta, _, _, _ = np.linalg.lstsq(design, y, rcond=None)
                e = y - design @ beta
                s2 = e @ e / (len(y) - design.shape[1])
                np.sqrt(s2 * np.linalg.inv(design.T @ design)[-1, -1])

    return setup, run, None


TASKS = {
    # name: (factory, bare-limit task or None, group)
    "ingest": (_t_ingest, "bare_read", "ingest"),
    "bare_read": (_t_bare_read, None, "bare"),
    "aggregate": (_t_aggregate, "bare_groupby", "ingest"),
    "bare_groupby": (_t_bare_groupby, None, "bare"),
    "strength": (_t_strength, "bare_strength", "ties"),
    "bare_strength": (_t_bare_strength, None, "bare"),
    "tie_metrics": (_net_task(_m_tie_metrics), "bare_two_hop", "ties"),
    "overlap": (_net_task(_m_overlap), "bare_two_hop", "info"),
    "bare_two_hop": (_bare_product(_skeleton_matrix), None, "bare"),
    "structural_holes": (_net_task(_m_structural_holes), "bare_constraint_product", "brokerage"),
    "bare_constraint_product": (_bare_product(_structural_holes_matrix), None, "bare"),
    "gould_fernandez": (_net_task(_m_gould_fernandez), "bare_arc_product", "brokerage"),
    "bare_arc_product": (_bare_product(_adjacency_matrix), None, "bare"),
    "alter_diversity": (_net_task(_m_alter_diversity), "bare_group_product", "diversity"),
    "bare_group_product": (_bare_product(_group_matrix), None, "bare"),
    "case_diversity": (_net_task(_m_case_diversity), "bare_ei_permutations", "diversity"),
    "bare_ei_permutations": (_t_bare_ei, None, "bare"),
    "role_scores": (_t_role_scores, None, "roles"),
    "betweenness": (_net_task(_m_betweenness), "igraph_betweenness", "betweenness"),
    "igraph_betweenness": (_t_igraph_betweenness, None, "bare"),
    "wave_stage": (_t_wave_stage, None, "wave"),
    "networkx_betweenness": (_nx_task("betweenness"), None, "networkx"),
    "networkx_local_bridges": (_nx_task("local_bridges"), None, "networkx"),
    "networkx_structural_holes": (_nx_task("structural_holes"), None, "networkx"),
    "qap_netlm": (_qap_task("netlm"), "naive_netlm", "qap"),
    "qap_netlogit": (_qap_task("netlogit"), None, "qap"),
    "naive_netlm": (_t_naive_netlm, None, "bare"),
}

LABELS = {
    "ingest": "ingest (`io.validate_wave`)",
    "bare_read": "bare `pandas.read_csv` of the wave's files",
    "aggregate": "tie aggregation (`build.wave_ties` + `case_rosters` + `case_networks`)",
    "bare_groupby": "bare `groupby(case, source, target).agg`",
    "strength": "tie strength + classes (`tie_strength`, `classify_ties`)",
    "bare_strength": "bare numpy z-score composite + median split",
    "tie_metrics": "overlap + local bridges + span (`tie_metrics`)",
    "overlap": "overlap only (`neighbourhood_overlap`)",
    "bare_two_hop": "bare `S @ S` (skeleton)",
    "structural_holes": "`structural_holes` (tie_weight = strength)",
    "bare_constraint_product": "bare `P @ P` (weighted)",
    "gould_fernandez": "`gould_fernandez` (with z-scores)",
    "bare_arc_product": "bare `A @ A` (arcs)",
    "alter_diversity": "`alter_diversity`",
    "bare_group_product": "bare `S @ G` (n x K)",
    "case_diversity": f"`case_diversity` ({EI_PERMUTATIONS} E-I permutations)",
    "bare_ei_permutations": f"bare numpy E-I, {EI_PERMUTATIONS} permutations",
    "role_scores": "`role_scores`",
    "betweenness": "`betweenness` (config default)",
    "igraph_betweenness": "igraph `Graph.betweenness()`",
    "wave_stage": "whole wave stage (`tables.wave_tables`)",
    "networkx_betweenness": "networkx `betweenness_centrality`",
    "networkx_local_bridges": "networkx `local_bridges(with_span=True)`",
    "networkx_structural_holes": "networkx `constraint` + `effective_size(nodes=list(G))`",
    "qap_netlm": f"MRQAP `netlm`, qapspp, {QAP_PERMUTATIONS} permutations",
    "qap_netlogit": f"MRQAP `netlogit`, qapspp, {QAP_PERMUTATIONS} permutations",
    "naive_netlm": f"naive loop: OLS refit per permutation and term ({QAP_PERMUTATIONS})",
}

#: The netinnov stages in run order (bare limits and networkx follow their stage).
ORDER = [
    "ingest", "bare_read", "aggregate", "bare_groupby", "strength", "bare_strength",
    "tie_metrics", "overlap", "bare_two_hop", "structural_holes", "bare_constraint_product",
    "gould_fernandez", "bare_arc_product", "alter_diversity", "bare_group_product",
    "case_diversity", "bare_ei_permutations", "role_scores", "betweenness", "igraph_betweenness",
    "wave_stage",
]  # fmt: skip
NETWORKX = ["networkx_betweenness", "networkx_local_bridges", "networkx_structural_holes"]
QAP = ["qap_netlm", "naive_netlm", "qap_netlogit"]


def worker(task: str, size: str) -> None:
    # every import happens before timing (igraph alone imports matplotlib, ~1-2 s;
    # netinnov.steps.wave_tables pulls in every metric module), so stages are timed warm
    import igraph  # noqa: F401
    import networkx  # noqa: F401
    import pandas  # noqa: F401
    import scipy.sparse  # noqa: F401

    import netinnov.config  # noqa: F401
    import netinnov.io  # noqa: F401
    import netinnov.metrics.betweenness  # noqa: F401
    import netinnov.metrics.diversity  # noqa: F401
    import netinnov.metrics.gould_fernandez  # noqa: F401
    import netinnov.metrics.roles  # noqa: F401
    import netinnov.metrics.structural_holes  # noqa: F401
    import netinnov.metrics.ties  # noqa: F401
    import netinnov.networks.build  # noqa: F401
    import netinnov.steps.wave_tables  # noqa: F401

    setup, run, post = TASKS[task][0]()
    p = _paths(size) if size != "qap" else {"dataset": DATA / f"qap_{QAP_ACTORS}" / "dataset"}
    options = _options()
    ctx = setup(p, options)
    # a full garbage collection of the imported modules' objects would otherwise
    # land in whichever stage happens to trigger it (~0.1 s): collect and freeze first
    gc.collect()
    gc.freeze()
    meter = Meter()
    info = run(ctx)
    result = meter.stop()
    if post is not None:
        post(ctx, info)
    result.update(ok=True, task=task, size=size, info=info or {})
    print(json.dumps(result))


# ============================================================== driver side
def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def simulate(out: Path, actors: int) -> dict:
    """Write a one-case, one-wave dataset (skipped when the same one exists)."""
    params = {"seed": SEED, "waves": 1, "single_case_actors": actors, "records_per_actor": RECORDS_PER_ACTOR,
              "response_rate": 1}
    marker = out / "bench_params.json"
    if marker.exists() and json.loads(marker.read_text()).get("params") == params:
        return json.loads(marker.read_text())["summary"]
    _log(f"  simulating {actors} actors x {RECORDS_PER_ACTOR} records into {out}")
    cmd = [
        sys.executable, "-m", "netinnov", "simulate", "--out", str(out), "--seed", str(SEED),
        "--waves", "1", "--single-case-actors", str(actors), "--records-per-actor", str(RECORDS_PER_ACTOR),
        "--response-rate", "1",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=str(REPO))
    summary = json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1])
    marker.write_text(json.dumps({"params": params, "summary": summary}, indent=1))
    return summary


def _ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def _rows(results: list[dict]) -> list[dict]:
    by = {(r["task"], r["size"]): r for r in results}
    rank = {t: i for i, t in enumerate([*ORDER, *NETWORKX, *QAP])}
    size_rank = {s: i for i, s in enumerate([*SIZES, "qap"])}
    rows = []
    for r in sorted(results, key=lambda r: (size_rank.get(r["size"], 99), rank.get(r["task"], 99))):
        task, size = r["task"], r["size"]
        bare = TASKS[task][1]
        b = by.get((bare, size)) if bare else None
        ok = r.get("ok")
        row = {
            "stage": LABELS[task],
            "size": size,
            "wall": r.get("wall") if ok else None,
            "cpu": r.get("cpu") if ok else None,
            "peak": r.get("peak_mb") if ok else None,
            "setup": r.get("baseline_mb") if ok else None,
            "load": r.get("load_before") if ok else None,
            "note": "" if ok else r.get("error", "failed"),
        }
        if ok and r.get("info", {}).get("method"):
            row["note"] = r["info"]["method"]
        if b and b.get("ok") and ok:
            row["bare"] = bare
            row["bare_wall"] = b["wall"]
            row["ratio_wall"] = _ratio(r["wall"], b["wall"])
            row["ratio_cpu"] = _ratio(r["cpu"], b["cpu"])
        rows.append(row)
    return rows


def _targets(results: list[dict], infos: dict) -> list[dict]:
    by = {(r["task"], r["size"]): r for r in results if r.get("ok")}

    def total(tasks, size, key):
        vals = [by.get((t, size), {}).get(key) for t in tasks]
        return None if any(v is None for v in vals) else float(sum(vals))

    rows = []
    for size in dict.fromkeys(r["size"] for r in results if r["size"] != "qap"):
        ours = total(["ingest", "aggregate"], size, "wall")
        bare = total(["bare_read", "bare_groupby"], size, "wall")
        ours_c = total(["ingest", "aggregate"], size, "cpu")
        bare_c = total(["bare_read", "bare_groupby"], size, "cpu")
        rows.append({
            "target": "ingest + tie aggregation within 1.5x of bare read_csv + groupby",
            "size": size, "ours": ours, "bare": bare, "ratio": _ratio(ours, bare),
            "ratio_cpu": _ratio(ours_c, bare_c), "goal": "<= 1.5x",
        })  # fmt: skip
        b, ig = by.get(("betweenness", size)), by.get(("igraph_betweenness", size))
        if b and ig:
            rows.append({
                "target": f"betweenness within 1.2x of igraph ({b['info'].get('method')})", "size": size,
                "ours": b["wall"], "bare": ig["wall"], "ratio": _ratio(b["wall"], ig["wall"]),
                "ratio_cpu": _ratio(b["cpu"], ig["cpu"]), "goal": "<= 1.2x",
            })  # fmt: skip
        metrics = ["strength", "tie_metrics", "structural_holes", "gould_fernandez"]
        bares = ["bare_strength", "bare_two_hop", "bare_constraint_product", "bare_arc_product"]
        ours, bare = total(metrics, size, "wall"), total(bares, size, "wall")
        records = infos.get(size, {}).get("records")
        rows.append({
            "target": "tie + brokerage metrics (strength/classes, overlap/bridges, structural holes, "
            "Gould-Fernandez) together: < 10 s at 1M records, within 1.5x of the bare sparse products",
            "size": size, "ours": ours, "bare": bare, "ratio": _ratio(ours, bare),
            "ratio_cpu": _ratio(total(metrics, size, "cpu"), total(bares, size, "cpu")),
            "goal": "< 10 s (1M records); <= 1.5x", "records": records,
        })  # fmt: skip
        w = by.get(("wave_stage", size))
        peaks = [
            r["peak_mb"] for (t, s), r in by.items()
            if s == size and t in ORDER and not t.startswith(("bare", "igraph"))
        ]  # fmt: skip
        wave_mb = f"{w['peak_mb']:,.0f} MB" if w else "not measured"
        rows.append({
            "target": f"peak memory in MB, largest netinnov stage process (whole wave stage: {wave_mb})",
            "size": size, "ours": max(peaks) if peaks else None,
            "goal": "< 1,536 MB at 5M records",
        })  # fmt: skip
    return rows


def _bare_slope(task: str, sizes: list[str], infos: dict, by: dict) -> float | None:
    bare = TASKS[task][1]
    if bare is None:
        return None
    pts = [(infos[s]["two_paths"], by[(bare, s)]["cpu"]) for s in sizes if (bare, s) in by]
    return loglog_slope([p[0] for p in pts], [p[1] for p in pts]) if len(pts) >= 2 else None


def _scaling(results: list[dict], infos: dict) -> tuple[list[dict], list[dict]]:
    sizes = [s for s in SIZES if s in infos]
    size_rows = [{"size": s, **infos[s]} for s in sizes]
    tasks = [t for t in ORDER if not t.startswith("bare") and t not in ("betweenness", "igraph_betweenness")]
    by = {(r["task"], r["size"]): r for r in results if r.get("ok")}
    fit_rows = []
    for t in tasks:
        pts = [(infos[s]["two_paths"], by[(t, s)]["cpu"], by[(t, s)]["wall"]) for s in sizes if (t, s) in by]
        recs = [(infos[s]["records"], by[(t, s)]["cpu"]) for s in sizes if (t, s) in by]
        if len(pts) < 2:
            continue
        fit_rows.append({
            "stage": LABELS[t], "points": len(pts),
            "exp_two_paths": loglog_slope([p[0] for p in pts], [p[1] for p in pts]),
            "exp_two_paths_wall": loglog_slope([p[0] for p in pts], [p[2] for p in pts]),
            "exp_records": loglog_slope([r[0] for r in recs], [r[1] for r in recs]),
            "exp_last": loglog_slope([p[0] for p in pts[-2:]], [p[1] for p in pts[-2:]]),
            "exp_bare": _bare_slope(t, sizes, infos, by),
        })  # fmt: skip
    return size_rows, fit_rows


def report(results: list[dict], infos: dict, machine: dict, args) -> str:
    parts = ["# netinnov metric benchmarks\n", machine_markdown(machine)]
    parts.append(
        f"\nDatasets: `netinnov simulate --seed {SEED} --waves 1 --single-case-actors N "
        f"--records-per-actor {RECORDS_PER_ACTOR} --response-rate 1` (directed survey reports, one case, complete response). "
        "Every row is one fresh process; `setup MB` is its resident set after loading the inputs, "
        "`peak MB` its peak (ru_maxrss) after the stage. Ratios: netinnov / bare limit "
        "(wall and CPU seconds).\n"
    )
    size_rows, fit_rows = _scaling(results, infos)
    if size_rows:
        parts.append("\n## Sizes\n")
        parts.append(format_table(size_rows, [
            ("size", "size"), ("actors", "actors"), ("records", "records"), ("arcs", "arcs (ties)"),
            ("skeleton_edges", "undirected edges"), ("max_degree", "max degree"),
            ("two_paths", "two-paths Σ d(d-1)"), ("directed_two_paths", "directed two-paths Σ in·out"),
        ]))  # fmt: skip
    rows = [r for r in _rows(results) if r["size"] != "qap"]
    parts.append("\n\n## Stages and metrics\n")
    parts.append(format_table(rows, [
        ("stage", "stage"), ("size", "size"), ("wall", "wall s"), ("cpu", "CPU s"), ("peak", "peak MB"),
        ("setup", "setup MB"), ("bare_wall", "bare limit s"), ("ratio_wall", "ratio (wall)"),
        ("ratio_cpu", "ratio (CPU)"), ("load", "load avg"), ("note", "note"),
    ]))  # fmt: skip
    parts.append("\n\n## Targets (figures, not tests)\n")
    parts.append(format_table(_targets(results, infos), [
        ("target", "target"), ("size", "size"), ("ours", "netinnov s (or MB)"), ("bare", "bare s"),
        ("ratio", "ratio (wall)"), ("ratio_cpu", "ratio (CPU)"), ("goal", "goal"),
    ]))  # fmt: skip
    if fit_rows:
        parts.append("\n\n## Growth with the number of two-paths\n")
        parts.append(
            "Exponent b of CPU time ~ (two-paths)^b, least squares on log-log over the measured sizes "
            "(b = 1: linear; betweenness is left out: it is O(n m), and sampled above 20 000 actors). "
            "Fixed per-call costs flatten the slope at the small size, so the slope between the two "
            "largest sizes is given too. The exponent against records is given for comparison.\n\n"
        )
        parts.append(format_table(fit_rows, [
            ("stage", "stage"), ("points", "sizes"), ("exp_two_paths", "b (CPU vs two-paths)"),
            ("exp_two_paths_wall", "b (wall vs two-paths)"), ("exp_last", "b (CPU, two largest sizes)"),
            ("exp_records", "b (CPU vs records)"), ("exp_bare", "b of its bare limit (CPU vs two-paths)"),
        ]))  # fmt: skip
    qap_rows = [r for r in _rows(results) if r["size"] == "qap"]
    parts.append(f"\n\n## MRQAP ({QAP_ACTORS}-actor case, terms {', '.join(QAP_TERMS)}, tie)\n")
    if qap_rows:
        parts.append(format_table(qap_rows, [
            ("stage", "model"), ("wall", "wall s"), ("cpu", "CPU s"), ("peak", "peak MB"),
            ("bare_wall", "naive loop s"), ("ratio_wall", "ratio (wall)"), ("load", "load avg"), ("note", "note"),
        ]))  # fmt: skip
    else:
        parts.append("Not measured in this run (`--no-qap`, or `netinnov.models.qap` not importable).")
    parts.append("\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="small,medium", help="comma list of small, medium, large")
    ap.add_argument("--only", help="comma list of task names (default: all); see TASKS")
    ap.add_argument("--networkx-sizes", default="small", help="sizes on which plain networkx runs")
    ap.add_argument("--networkx-budget", type=float, default=600.0, help="seconds per networkx call")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per netinnov/bare measurement")
    ap.add_argument("--repeat", type=int, default=3, help="runs of a quick measurement (least CPU kept)")
    ap.add_argument("--repeat-below", type=float, default=30.0, help="repeat only measurements under this many s")
    ap.add_argument("--no-qap", action="store_true", help="skip the MRQAP timing")
    ap.add_argument("--out", default=str(OUT / "metrics.md"))
    ap.add_argument("--merge", action="store_true", help="keep earlier results of tasks not rerun")
    ap.add_argument("--report-only", action="store_true", help="rewrite the report from metrics.json")
    ap.add_argument("--worker", nargs=2, metavar=("TASK", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0

    if args.report_only:
        saved = json.loads((OUT / "metrics.json").read_text())
        text = report(saved["results"], saved.get("infos", {}), saved["machine"], args)
        end = saved["machine"].get("load_average_end")
        text += f"\nLoad average (1/5/15 min) when the run ended: {end}\n" if end else ""
        Path(args.out).write_text(text, encoding="utf-8")
        print(text)
        return 0
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        ap.error(f"unknown sizes {unknown}; choose from {list(SIZES)}")
    only = set(args.only.split(",")) if args.only else None
    nx_sizes = {s.strip() for s in args.networkx_sizes.split(",") if s.strip()}
    OUT.mkdir(parents=True, exist_ok=True)
    raw_path = OUT / "metrics.json"
    machine = machine_info()
    _log(f"machine: {machine['nproc']} cores, {machine['ram_gb']} GB, load {machine['load_average']}")
    results: list[dict] = []
    if args.merge and raw_path.exists():
        results = json.loads(raw_path.read_text())["results"]
    infos: dict = {}
    script = Path(__file__).resolve()

    def measure(task: str, size: str, timeout: float, force: bool = False) -> None:
        if not force and only is not None and task not in only:
            return
        _log(f"  {size:>6} {task} ...")
        runs = []
        while True:  # quick stages are repeated; the run with the least CPU time is kept
            r = run_worker(script, ["--worker", task, size], timeout=timeout, log=_log)
            runs.append(r)
            if r.get("ok"):
                _log(f"         {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, peak {r['peak_mb']:.0f} MB")
            else:
                _log(f"         {r.get('error')}")
            if not r.get("ok") or len(runs) >= args.repeat or r["wall"] > args.repeat_below:
                break
        ok = [x for x in runs if x.get("ok")]
        if ok:
            r = dict(min(ok, key=lambda x: x["cpu"]))
            r["repeats"] = len(ok)
            r["cpu_all"] = [x["cpu"] for x in ok]
            r["wall_all"] = [x["wall"] for x in ok]
        r.setdefault("task", task)
        r.setdefault("size", size)
        results[:] = [x for x in results if (x["task"], x["size"]) != (task, size)] + [r]
        raw_path.write_text(json.dumps({"machine": machine, "results": results}, indent=1))

    for size in sizes:
        p = _paths(size)
        p["dataset"].parent.mkdir(parents=True, exist_ok=True)
        simulate(p["dataset"], SIZES[size])
        # ingest and aggregate write the inputs of the later tasks: they always
        # run in a full run, and with --only whenever their output is missing
        if only is not None and not (p["wave"] / "validated").exists():
            measure("ingest", size, args.timeout, force=True)
        if only is not None and not p["network"].exists():
            measure("aggregate", size, args.timeout, force=True)
        for task in ORDER:
            measure(task, size, args.timeout)
        if size in nx_sizes:
            for task in NETWORKX:
                measure(task, size, args.networkx_budget)
        if p["info"].exists():
            infos[size] = json.loads(p["info"].read_text())
    for size in SIZES:  # earlier sizes kept with --merge
        if size not in infos and _paths(size)["info"].exists() and any(r["size"] == size for r in results):
            infos[size] = json.loads(_paths(size)["info"].read_text())

    if not args.no_qap:
        try:
            import netinnov.models.qap  # noqa: F401
        except ImportError as err:  # TODO: time MRQAP once netinnov.models.qap is importable
            _log(f"MRQAP not timed: netinnov.models.qap is not importable ({err})")
        else:
            qap_dir = DATA / f"qap_{QAP_ACTORS}" / "dataset"
            qap_dir.parent.mkdir(parents=True, exist_ok=True)
            simulate(qap_dir, QAP_ACTORS)
            for task in QAP:
                measure(task, "qap", args.timeout)

    machine["load_average_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    raw_path.write_text(json.dumps({"machine": machine, "results": results, "infos": infos}, indent=1))
    text = report(results, infos, machine, args)
    text += f"\nLoad average (1/5/15 min) when the run ended: {machine['load_average_end']}\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
