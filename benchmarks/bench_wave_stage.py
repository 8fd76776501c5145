"""The whole wave stage of one large case against a bare pandas + igraph script
(issue 15, item 4).

One dataset with a single case of ``--actors`` actors and about ``--records``
records in one wave (``netinnov simulate --single-case-actors N --waves 1
--records-per-actor R/N --response-rate 1``, as ``bench_pipeline.py``'s single
series). Each repeat then times, in the same run and one after the other:

- **the wave stage through Snakemake**: a fresh ``snakemake --cores C`` in an
  empty work directory with the targets ``waves/w1/{cases,actors,ties}.csv``
  (rules ``validate_wave`` = ``netinnov ingest``, ``wave_chunk`` × chunks,
  ``wave_tables``), wall time of the whole Snakemake process, CPU of it and
  its jobs;
- **the bare baseline**, in a fresh Python process: ``pandas.read_csv`` of the
  wave's ``interactions.csv``, a group-by of the records into dyads (count,
  sums, mean, distinct channels, first and last date), an igraph graph of the
  dyads, ``Graph.betweenness`` (directed, exact, one thread) and
  ``Graph.constraint`` (weighted by the dyads' frequency). Timed inside the
  process (``compute``: imports excluded) and as a whole (``process``).

Prints every repeat, the medians and the ratio of the medians (wave stage ÷
bare compute; target ≤ 2.0). Measurement only: nothing here asserts a time.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_wave_stage.py                   # 5,000 actors, 250,000 records
    PYTHONPATH=src .venv/bin/python benchmarks/bench_wave_stage.py --repeats 5 --cores 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import BENCH_DIR, REPO, machine_info, machine_markdown  # noqa: E402

SEED = 20261203
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
CONFIG = {"directed": "true", "ei_permutations": "1000"}

BARE = r"""
import json, sys, time
start = time.perf_counter()
import igraph as ig
import numpy as np
import pandas as pd
imported = time.perf_counter()
path = sys.argv[1]
ids = {"case_id": str, "source": str, "target": str}
rec = pd.read_csv(path, dtype=ids, parse_dates=["date"])
read = time.perf_counter()
dyads = rec.groupby(["case_id", "source", "target"], sort=True).agg(
    n_records=("frequency", "size"), frequency=("frequency", "sum"),
    duration_min=("duration_min", "sum"), closeness=("closeness", "mean"),
    channels=("channel", "nunique"), first_date=("date", "min"), last_date=("date", "max"),
).reset_index()
grouped = time.perf_counter()
names = pd.Index(pd.unique(np.concatenate([dyads["source"].to_numpy(), dyads["target"].to_numpy()])))
edges = np.column_stack([names.get_indexer(dyads["source"]), names.get_indexer(dyads["target"])])
g = ig.Graph(n=len(names), edges=edges.tolist(), directed=True)
btw = g.betweenness(directed=True)
between = time.perf_counter()
g.es["weight"] = dyads["frequency"].to_numpy(dtype=float).tolist()
con = g.constraint(weights="weight")
done = time.perf_counter()
print(json.dumps({
    "imports": imported - start, "read": read - imported, "groupby": grouped - read,
    "betweenness": between - grouped, "constraint": done - between, "compute": done - imported,
    "records": len(rec), "dyads": len(dyads), "actors": len(names),
}))
"""


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def simulate(out: Path, actors: int, records: int) -> dict:
    """Write the dataset (skipped when the same one exists)."""
    per_actor = max(1, round(records / actors))
    args = ["--single-case-actors", str(actors), "--waves", "1", "--records-per-actor", str(per_actor),
            "--response-rate", "1"]  # fmt: skip
    marker = out / "bench_params.json"
    params = {"seed": SEED, "args": args}
    if marker.exists() and json.loads(marker.read_text()).get("params") == params:
        return json.loads(marker.read_text())["summary"]
    if out.exists():
        shutil.rmtree(out)
    _log(f"simulating {' '.join(args)} into {out}")
    cmd = [sys.executable, "-m", "netinnov", "simulate", "--out", str(out), "--seed", str(SEED), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=str(REPO))
    summary = json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1])
    summary["simulate_args"] = " ".join(args)
    marker.write_text(json.dumps({"params": params, "summary": summary}, indent=1))
    return summary


def run_wave_stage(dataset: Path, workdir: Path, cores: int) -> dict:
    """One fresh Snakemake run of the wave stage of wave w1."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    results = Path("results") / dataset.name / "waves" / "w1"
    targets = [str(results / f"{name}.csv") for name in ("cases", "actors", "ties")]
    config = {**CONFIG, "dataset": str(dataset.resolve())}
    cmd = [
        str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", str(cores),
        "--config", *[f"{k}={v}" for k, v in config.items()], "--", *targets,
    ]  # fmt: skip
    before = os.times()
    start = time.perf_counter()
    # the jobs run in the workdir: a relative PYTHONPATH (the documented ``PYTHONPATH=src``) made
    # absolute, or the jobs would import the installed netinnov instead of this checkout's
    env = dict(os.environ)
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    with open(workdir / "snakemake.out", "w") as out:
        rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=str(workdir), env=env).returncode
    wall = time.perf_counter() - start
    after = os.times()
    if rc != 0:
        tail = (workdir / "snakemake.out").read_text(errors="replace").splitlines()[-20:]
        raise SystemExit("snakemake failed:\n" + "\n".join(tail))
    steps = []
    for log in sorted((workdir / "results" / dataset.name / "logs").glob("*.log")):
        lines = [ln for ln in log.read_text().splitlines() if " s wall, " in ln]
        if lines:
            steps.append(f"{log.stem}: {lines[-1].split(': ', 1)[1]}")
    return {
        "wall": wall,
        "cpu": (after.children_user - before.children_user) + (after.children_system - before.children_system),
        "steps": steps,
        "command": " ".join(cmd),
    }


def run_bare(dataset: Path) -> dict:
    """The bare pandas + igraph script in a fresh Python process."""
    path = dataset / "waves" / "w1" / "interactions.csv"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", BARE, str(path)], capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - start
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--actors", type=int, default=5000, help="actors of the single case (default 5000)")
    ap.add_argument("--records", type=int, default=250_000, help="records of the wave, about (default 250000)")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of both timings (default 3)")
    ap.add_argument("--cores", type=int, default=2, help="snakemake --cores (default 2)")
    ap.add_argument("--workdir", default="/tmp/netinnov-bench-wave-stage", help="Snakemake work directory")
    ap.add_argument("--data", default=str(BENCH_DIR / "data"), help="parent of the generated dataset")
    args = ap.parse_args(argv)

    dataset = Path(args.data) / f"wave_stage_{args.actors}_{args.records}"
    summary = simulate(dataset, args.actors, args.records)
    print(machine_markdown(machine_info()))
    print(f"dataset: {dataset} (`netinnov simulate --seed {SEED} {summary['simulate_args']}`): "
          f"{summary['n_actors']:,} actors, {sum(summary['records_per_wave'].values()):,} records\n")  # fmt: skip
    stage, bare = [], []
    for r in range(args.repeats):
        s = run_wave_stage(dataset, Path(args.workdir), args.cores)
        b = run_bare(dataset)
        stage.append(s)
        bare.append(b)
        print(f"repeat {r + 1}: wave stage {s['wall']:.2f} s wall ({s['cpu']:.2f} s CPU); bare {b['compute']:.2f} s "
              f"(read {b['read']:.2f}, group-by {b['groupby']:.2f}, betweenness {b['betweenness']:.2f}, "
              f"constraint {b['constraint']:.2f}; {b['process']:.2f} s with Python and imports); "
              f"load {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
        for line in s["steps"]:
            print(f"    {line}")
    print(f"\ncommand: {stage[0]['command']}")
    print(f"bare: {bare[0]['records']:,} records, {bare[0]['dyads']:,} dyads, {bare[0]['actors']:,} actors")
    t_stage = statistics.median(s["wall"] for s in stage)
    t_bare = statistics.median(b["compute"] for b in bare)
    t_process = statistics.median(b["process"] for b in bare)
    print(f"median of {args.repeats}: wave stage {t_stage:.2f} s; bare {t_bare:.2f} s "
          f"({t_process:.2f} s as a whole process)")  # fmt: skip
    print(f"ratio: {t_stage / t_bare:.2f}× the bare compute ({t_stage / t_process:.2f}× the bare process); target ≤ 2.0×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
