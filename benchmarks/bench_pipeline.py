"""Time the whole Snakemake pipeline on synthetic datasets of growing size.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_pipeline.py --series cases --cases 100,300
    .venv/bin/python benchmarks/bench_pipeline.py --series single --actors 10000,30000
    .venv/bin/python benchmarks/bench_pipeline.py --series cases,single --cases 100,300,1000 \\
        --actors 10000,30000,100000                      # everything (hours on 2 cores)

Two series:

``cases``
    Many small cases: ``netinnov simulate --cases N --waves 3 --min-actors 40
    --max-actors 60 --response-rate 1`` (6 records per actor and wave, the
    generator's default; complete response, so every latent record is written).
``single``
    One large case: ``netinnov simulate --single-case-actors N --waves 1
    --records-per-actor 50 --response-rate 1`` (N actors, about 50 N records, one wave).

Each run is a fresh ``snakemake --cores 2 --keep-going`` in its own work
directory (default under /tmp) with ``--config dataset=<abs path>
directed=true ei_permutations=1000`` plus ``--set key=value`` overrides. The
script polls the process tree (psutil, every 0.5 s) for the peak summed
resident set of all its processes and the largest single process, and
reads Snakemake's log for the jobs done, the failed jobs and each rule's
time. Log-log slopes of wall time, memory and jobs per minute against the
size are reported. Output: ``benchmarks/out/pipeline.md`` and ``pipeline.json``.
Measurement only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import BENCH_DIR, REPO, format_table, loglog_slope, machine_info, machine_markdown  # noqa: E402

SEED = 20261127
DATA = BENCH_DIR / "data"
OUT = BENCH_DIR / "out"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
BASE_CONFIG = {"directed": "true", "ei_permutations": "1000"}


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def simulate(out: Path, args: list[str]) -> dict:
    """Write a dataset with ``netinnov simulate`` (skipped when the same one exists)."""
    marker = out / "bench_params.json"
    params = {"seed": SEED, "args": args}
    if marker.exists() and json.loads(marker.read_text()).get("params") == params:
        return json.loads(marker.read_text())["summary"]
    _log(f"  simulating {' '.join(args)} into {out}")
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "netinnov", "simulate", "--out", str(out), "--seed", str(SEED), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=str(REPO))
    summary = json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1])
    summary["simulate_seconds"] = time.perf_counter() - start
    marker.write_text(json.dumps({"params": params, "summary": summary}, indent=1))
    return summary


def _tree_rss(proc: psutil.Process) -> tuple[int, int, int]:
    """Summed and largest resident set (bytes) of a process and its descendants, and their count."""
    procs = [proc]
    try:
        procs += proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0, 0
    total = largest = 0
    count = 0
    for p in procs:
        try:
            rss = p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += rss
        largest = max(largest, rss)
        count += 1
    return total, largest, count


_STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")
_RULE = re.compile(r"^(?:local)?(?:rule|checkpoint) (\w+):$")
_JOBID = re.compile(r"^\s+jobid: (\d+)$")
_FINISHED = re.compile(r"^Finished jobid: (\d+) \(Rule: (\w+)\)$|^Finished job (\d+)\.$")
_ERROR = re.compile(r"^Error in rule (\w+):$")
_STEPS = re.compile(r"^(\d+) of (\d+) steps")


def parse_log(text: str) -> dict:
    """Jobs, rules and their durations from a Snakemake log (1 s resolution)."""
    stamp = None
    started: dict[str, tuple[str, datetime]] = {}
    pending_rule = None
    rule_seconds: dict[str, float] = {}
    rule_jobs: dict[str, int] = {}
    finished = 0
    errors: list[str] = []
    total_steps = None
    for line in text.splitlines():
        m = _STAMP.match(line.strip())
        if m:
            stamp = datetime.strptime(m.group(1), "%a %b %d %H:%M:%S %Y")
            continue
        m = _RULE.match(line.strip())
        if m:
            pending_rule = (m.group(1), stamp)
            continue
        m = _JOBID.match(line)
        if m and pending_rule is not None:
            started[m.group(1)] = pending_rule
            pending_rule = None
            continue
        m = _FINISHED.match(line.strip())
        if m:
            jobid = m.group(1) or m.group(3)
            finished += 1
            if jobid in started:
                rule, begin = started[jobid]
                if begin is not None and stamp is not None:
                    rule_seconds[rule] = rule_seconds.get(rule, 0.0) + (stamp - begin).total_seconds()
                rule_jobs[rule] = rule_jobs.get(rule, 0) + 1
            continue
        m = _ERROR.match(line.strip())
        if m:
            errors.append(m.group(1))
            continue
        m = _STEPS.match(line.strip())
        if m:
            total_steps = int(m.group(2))
    return {
        "jobs_started": len(started),
        "jobs_finished": finished,
        "jobs_total": total_steps,
        "failed_rules": errors,
        "rule_seconds": rule_seconds,
        "rule_jobs": rule_jobs,
    }


def run_pipeline(
    name: str, dataset: Path, workdir: Path, overrides: dict, timeout: float,
    *, configfile: str | None = None, max_memory_gb: float = 16.0,
) -> dict:
    """One fresh Snakemake run; returns wall time, memory, CPU and the parsed log."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    config = {**BASE_CONFIG, **overrides, "dataset": str(dataset.resolve())}
    cmd = [
        str(SNAKEMAKE), "-s", str(REPO / "Snakefile"), "--directory", str(workdir), "--cores", "2",
        "--keep-going", *(["--configfile", str(Path(configfile).resolve())] if configfile else []),
        "--config", *[f"{k}={v}" for k, v in config.items()],
    ]  # fmt: skip
    _log(f"  {name}: {' '.join(cmd)}")
    log_path = workdir / "snakemake.out"
    load_before = os.getloadavg()
    cpu_before = os.times()
    start = time.perf_counter()
    peak_total = peak_single = peak_procs = 0
    timed_out = stopped_memory = False
    with open(log_path, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=str(REPO))
        ps = psutil.Process(proc.pid)
        while proc.poll() is None:
            total, single, count = _tree_rss(ps)
            peak_total, peak_single = max(peak_total, total), max(peak_single, single)
            peak_procs = max(peak_procs, count)
            over_memory = total > max_memory_gb * 2**30
            if over_memory or time.perf_counter() - start > timeout:
                # the machine is shared: a run that outgrows the memory cap is stopped
                timed_out, stopped_memory = not over_memory, over_memory
                _log(f"  {name}: stopping ({'memory above cap' if over_memory else 'timeout'})")
                for child in ps.children(recursive=True):  # the jobs first, then snakemake
                    try:
                        child.terminate()
                    except psutil.NoSuchProcess:
                        pass
                proc.terminate()
                try:
                    proc.wait(60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                break
            time.sleep(0.5)
        rc = proc.wait()
    wall = time.perf_counter() - start
    cpu_after = os.times()
    parsed = parse_log(log_path.read_text(errors="replace"))
    minutes = wall / 60.0
    return {
        "name": name,
        "command": " ".join(cmd),
        "returncode": rc,
        "timed_out": timed_out,
        "stopped_memory": stopped_memory,
        "max_memory_gb": max_memory_gb,
        "configfile": configfile,
        "wall": wall,
        "cpu_children": (cpu_after.children_user - cpu_before.children_user)
        + (cpu_after.children_system - cpu_before.children_system),
        "peak_tree_mb": peak_total / 2**20,
        "peak_process_mb": peak_single / 2**20,
        "peak_processes": peak_procs,
        "jobs_per_minute": parsed["jobs_finished"] / minutes if minutes else None,
        "load_before": load_before[0],
        "load_after": os.getloadavg()[0],
        **parsed,
    }


def report(runs: list[dict], machine: dict) -> str:
    parts = ["# netinnov pipeline benchmarks\n", machine_markdown(machine)]
    parts.append(
        "\nEach row is one fresh `snakemake --cores 2 --keep-going` run. `peak tree MB` is the largest "
        "sum of the resident sets of Snakemake and all its job processes at one moment (psutil, every "
        "0.5 s; shared pages count once per process), `peak process MB` the largest single process. "
        "`CPU s` is the CPU time of all processes of the run. Jobs per minute = jobs finished / wall "
        "minutes.\n\n"
    )
    rows = []
    for r in runs:
        rows.append({
            **r,
            "jobs": f"{r['jobs_finished']}/{r['jobs_total'] or r['jobs_started']}",
            "failed": ", ".join(sorted(set(r["failed_rules"])))
            or ("timed out" if r["timed_out"] else "stopped: memory cap" if r.get("stopped_memory") else "-"),
            "settings": (Path(r["configfile"]).name if r.get("configfile") else "defaults")
            + "".join(f", {k}={v}" for k, v in (r.get("overrides") or {}).items()),
        })  # fmt: skip
    parts.append(format_table(rows, [
        ("name", "run"), ("series", "series"), ("records", "records"), ("actors_total", "actors (sum over cases, waves)"),
        ("wall", "wall s"), ("cpu_children", "CPU s"), ("peak_tree_mb", "peak tree MB"),
        ("peak_process_mb", "peak process MB"), ("jobs", "jobs done/total"),
        ("jobs_per_minute", "jobs/min"), ("load_before", "load avg"), ("settings", "config"),
        ("failed", "failed / stopped"),
    ]))  # fmt: skip
    parts.append("\n\n## Time by rule (summed over the rule's jobs, s)\n")
    rules = sorted({k for r in runs for k in r["rule_seconds"]})
    rule_rows = [{"rule": rule, **{r["name"]: r["rule_seconds"].get(rule) for r in runs}} for rule in rules]
    parts.append(format_table(rule_rows, [("rule", "rule"), *[(r["name"], r["name"]) for r in runs]]))
    parts.append("\n\n## Growth (log-log slope against the size)\n")
    fits = []
    for series, conf in dict.fromkeys((r["series"], r.get("configfile")) for r in runs):
        rs = [
            r for r in runs
            if (r["series"], r.get("configfile")) == (series, conf)
            and not r["timed_out"] and not r.get("stopped_memory")
        ]  # fmt: skip
        if len(rs) < 2:
            continue
        size = [r["size"] for r in rs]
        fits.append({
            "series": series, "settings": Path(conf).name if conf else "defaults",
            "sizes": ", ".join(str(s) for s in size),
            "wall": loglog_slope(size, [r["wall"] for r in rs]),
            "cpu": loglog_slope(size, [r["cpu_children"] for r in rs]),
            "mem": loglog_slope(size, [r["peak_tree_mb"] for r in rs]),
            "proc": loglog_slope(size, [r["peak_process_mb"] for r in rs]),
            "jpm": loglog_slope(size, [r["jobs_per_minute"] for r in rs]),
        })  # fmt: skip
    parts.append(format_table(fits, [
        ("series", "series"), ("settings", "config"), ("sizes", "sizes (cases or actors)"), ("wall", "wall time"),
        ("cpu", "CPU time"), ("mem", "peak tree memory"), ("proc", "peak process memory"),
        ("jpm", "jobs per minute"),
    ]))  # fmt: skip
    parts.append("\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", default="cases,single", help="cases, single or both")
    ap.add_argument("--cases", default="100,300", help="case counts of the cases series")
    ap.add_argument("--actors", default="10000,30000", help="actor counts of the single-case series")
    ap.add_argument("--workdir", default="/tmp/netinnov-bench-pipeline", help="parent of the run directories")
    ap.add_argument("--timeout", type=float, default=4 * 3600.0, help="seconds per pipeline run")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="extra --config value")
    ap.add_argument("--configfile", help="extra Snakemake --configfile (e.g. lighter dyadic models)")
    ap.add_argument(
        "--no-pooled-qap", action="store_true",
        help="write a configfile with config.yaml's dyadic_models, pooled: false (per-case MRQAP only)",
    )  # fmt: skip
    ap.add_argument("--report-only", action="store_true", help="rewrite the report from pipeline.json")
    ap.add_argument("--max-memory-gb", type=float, default=16.0, help="stop a run whose processes exceed this")
    ap.add_argument("--merge", action="store_true", help="keep earlier runs' results of other sizes")
    ap.add_argument("--keep", action="store_true", help="keep the run directories")
    args = ap.parse_args(argv)

    if args.report_only:
        saved = json.loads((OUT / "pipeline.json").read_text())
        runs = sorted(saved["runs"], key=lambda r: ({"cases": 0, "single": 1}.get(r["series"], 9), r["size"]))
        text = report(runs, saved["machine"])
        end = saved["machine"].get("load_average_end")
        text += f"\nLoad average (1/5/15 min) when the run ended: {end}\n" if end else ""
        (OUT / "pipeline.md").write_text(text, encoding="utf-8")
        print(text)
        return 0
    if args.no_pooled_qap:
        import yaml

        base = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
        models = [{**m, "pooled": False} for m in base.get("dyadic_models") or []]
        path = OUT / "no_pooled_qap.yaml"
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"dyadic_models": models}, sort_keys=False), encoding="utf-8")
        args.configfile = str(path)
    overrides = dict(item.split("=", 1) for item in args.set)
    series = [s.strip() for s in args.series.split(",") if s.strip()]
    plans = []
    if "cases" in series:
        for n in (int(x) for x in args.cases.split(",") if x):
            sim = ["--cases", str(n), "--waves", "3", "--min-actors", "40", "--max-actors", "60", "--response-rate", "1"]
            plans.append(("cases", n, f"cases_{n}", sim))
    if "single" in series:
        for n in (int(x) for x in args.actors.split(",") if x):
            sim = ["--single-case-actors", str(n), "--waves", "1", "--records-per-actor", "50", "--response-rate", "1"]
            plans.append(("single", n, f"single_{n}", sim))

    OUT.mkdir(parents=True, exist_ok=True)
    raw = OUT / "pipeline.json"
    machine = machine_info()
    runs: list[dict] = []
    if args.merge and raw.exists():
        runs = json.loads(raw.read_text())["runs"]
    suffix = f"+{Path(args.configfile).stem}" if args.configfile else ""
    for kind, n, name, sim in plans:
        name += suffix
        dataset = DATA / f"pipeline_{kind}_{n}" / "dataset"
        dataset.parent.mkdir(parents=True, exist_ok=True)
        summary = simulate(dataset, sim)
        result = run_pipeline(
            name, dataset, Path(args.workdir) / name, overrides, args.timeout,
            configfile=args.configfile, max_memory_gb=args.max_memory_gb,
        )  # fmt: skip
        result.update(
            series=kind, size=n, simulate_args=" ".join(sim), overrides=overrides,
            records=sum(summary["records_per_wave"].values()),
            actors_total=sum(summary["actors_per_wave"].values()) if kind == "single" else None,
        )  # fmt: skip
        if kind == "cases":
            result["actors_total"] = _roster_rows(dataset)
        _log(
            f"  {name}: rc={result['returncode']} {result['wall']:.0f} s, peak tree {result['peak_tree_mb']:.0f} MB, "
            f"{result['jobs_finished']} jobs, failed: {result['failed_rules']}"
        )
        runs = [r for r in runs if r["name"] != name] + [result]
        raw.write_text(json.dumps({"machine": machine, "runs": runs}, indent=1))
        logs = OUT / "pipeline_logs"
        logs.mkdir(exist_ok=True)
        shutil.copy(Path(args.workdir) / name / "snakemake.out", logs / f"{name}.log")
        if not args.keep:
            shutil.rmtree(Path(args.workdir) / name, ignore_errors=True)
    machine["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    raw.write_text(json.dumps({"machine": machine, "runs": runs}, indent=1))
    order = {"cases": 0, "single": 1}
    runs.sort(key=lambda r: (order.get(r["series"], 9), r["size"]))
    text = report(runs, machine) + f"\nLoad average (1/5/15 min) when the run ended: {machine['load_average_end']}\n"
    (OUT / "pipeline.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def _roster_rows(dataset: Path) -> int:
    """Rows of every wave's members.csv: actors summed over cases and waves."""
    return sum(sum(1 for _ in open(p)) - 1 for p in sorted((dataset / "waves").glob("*/members.csv")))


if __name__ == "__main__":
    sys.exit(main())
