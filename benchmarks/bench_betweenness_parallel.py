"""Exact betweenness of one large case on every core (issue 15, item 4).

For a network of ``--actors`` actors (a clustered random graph: groups of
about 50 actors with dense ties inside and sparse ties across, mean degree
about ``--degree``), times igraph's single-threaded ``Graph.betweenness``
against ``netinnov.metrics.betweenness.betweenness`` with 1 and with
``--workers`` processes (sources split into fixed blocks, summed in block
order), and checks that the values agree within 1e-9 (relative). Target:
≥ 1.7× igraph's speed with 2 workers on 2 cores at 20,000 actors.
Measurement only.

    .venv/bin/python benchmarks/bench_betweenness_parallel.py                    # 20,000 actors, 2 workers
    .venv/bin/python benchmarks/bench_betweenness_parallel.py --actors 5000,20000 --workers 2
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np
from _bench import machine_info, machine_markdown

from netinnov.metrics.betweenness import betweenness
from netinnov.networks import CaseNetwork


def clustered_network(n: int, degree: float, seed: int) -> CaseNetwork:
    """Groups of ~50 actors, 80 % of each actor's ties inside its group."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, max(1, n // 50), size=n)
    m = int(n * degree / 2)
    inside = int(0.8 * m)
    src = rng.integers(0, n, size=m)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(group.max() + 2))
    tgt = np.empty(m, dtype=np.int64)
    g = group[src[:inside]]
    lo, hi = starts[g], starts[g + 1]
    tgt[:inside] = order[lo + (rng.random(inside) * (hi - lo)).astype(np.int64)]
    tgt[inside:] = rng.integers(0, n, size=m - inside)
    keep = src != tgt
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(src[keep].tolist(), tgt[keep].tolist(), strict=True))
    return CaseNetwork.from_networkx(g)

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", default="20000", help="comma-separated network sizes")
    parser.add_argument("--degree", type=float, default=10.0, help="mean degree")
    parser.add_argument("--workers", type=int, default=2, help="processes of the split computation")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(machine_markdown(machine_info()))
    print()
    print(f"| actors | ties | igraph, one call (s) | netinnov, 1 worker (s) | netinnov, {args.workers} workers (s) "
          "| speed-up vs igraph | max relative difference |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.actors.split(",")):
        net = clustered_network(n, args.degree, args.seed)
        g = net.igraph()
        start = time.perf_counter()
        reference = np.asarray(g.betweenness(directed=False), dtype=float)
        t_igraph = time.perf_counter() - start
        start = time.perf_counter()
        one = betweenness(net, workers=1, exact_max_actors=n)["betweenness"].to_numpy()
        t_one = time.perf_counter() - start
        start = time.perf_counter()
        many = betweenness(net, workers=args.workers, exact_max_actors=n)["betweenness"].to_numpy()
        t_many = time.perf_counter() - start
        scale = np.maximum(np.abs(reference), 1.0)
        diff = float(np.max(np.abs(many - reference) / scale))
        assert np.array_equal(one, many), "the split must not depend on the number of workers"
        print(f"| {n:,} | {net.n_ties:,} | {t_igraph:.2f} | {t_one:.2f} | {t_many:.2f} | "
              f"{t_igraph / t_many:.2f}× | {diff:.1e} |")


if __name__ == "__main__":
    main()
