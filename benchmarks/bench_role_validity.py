"""Role validity on generator-v2 datasets: case AUCs, score and size correlations.

For each seed, simulates ``netinnov.simulate.simulate_dataset`` (100 cases ×
3 waves by default, no bad rows), runs the wave tables of every wave with the
shipped config (``config/config.yaml``; E-I permutations off, they do not
enter the roles) and compares the role scores with the planted truth
(``true_roles.csv``) through :func:`netinnov.metrics.role_validity.role_validity`:
the case-level AUC of ``<role>_max_score`` against planted presence, the
actor-level AUC, the Pearson correlation of any two role scores across
actors and the correlation of the presence score with log ``n_actors`` over
the cases without the role. Measurement only: nothing here asserts a target
(the targets of issue 12 item 4 are checked by ``tests/simulate/test_planted_roles_recovered.py``).

With ``--null-thresholds`` it also prints the 90th percentile of each
presence score over the role-free cases of the given seeds
(:func:`netinnov.metrics.role_validity.null_thresholds`, step 0.01), the
recipe of the ``role_threshold`` defaults (design seeds only).

.. code-block:: bash

    PYTHONPATH=src python benchmarks/bench_role_validity.py --seeds 101,102,103,104,20270301,20270302
    PYTHONPATH=src python benchmarks/bench_role_validity.py --seeds 101,102,103,104 --null-thresholds
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

from netinnov.contract import LEADERSHIP_ROLES

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent



def seed_figures(seed: int, work: Path, *, n_cases: int, n_waves: int, config: Path):
    """(figures, actors, truth) of one seed: the role_validity rows of every wave with a ``wave`` column."""
    from netinnov.config import load_config
    from netinnov.io import validate_wave
    from netinnov.metrics.role_validity import role_validity
    from netinnov.metrics.wave import wave_tables
    from netinnov.simulate import simulate_dataset

    out = work / f"v2_{seed}"
    if not (out / "true_roles.csv").exists():
        simulate_dataset(out, seed=seed, n_cases=n_cases, n_waves=n_waves, bad_rows=False)
    opts = load_config(str(config), {"dataset": str(out)})
    opts["ei_permutations"] = 0
    waves = sorted(p.name for p in (out / "waves").iterdir())
    truth = pd.read_csv(out / "true_roles.csv", dtype=str)
    previous = None
    rows, actors = [], []
    for wave in waves:
        data = validate_wave(out, wave, waves=waves, directed=True)
        tables = wave_tables(data, opts, previous=previous)
        previous = data
        v = role_validity(
            tables.actors, truth[truth["wave"] == wave], presence=tables.cases, n_boot=0
        )
        rows.append(v.assign(seed=seed, wave=wave))
        actors.append(tables.actors.assign(wave=wave, seed=seed))
    return (
        pd.concat(rows, ignore_index=True),
        pd.concat(actors, ignore_index=True),
        truth.assign(seed=seed),
    )


def summary(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per seed and wave: case AUC and size r of each role, the three score correlations."""
    out = []
    for (seed, wave), g in figures.groupby(["seed", "wave"], sort=True):
        v = g.set_index(["measure", "role"])["value"]
        row = {"seed": seed, "wave": wave}
        for role in LEADERSHIP_ROLES:
            row[f"auc_{role[:4]}"] = v.get(("case_auc", role))
        for role in LEADERSHIP_ROLES:
            row[f"size_{role[:4]}"] = v.get(("size_correlation", role))
        for pair in ("convener~facilitator", "convener~catalyst", "facilitator~catalyst"):
            a, b = pair.split("~")
            row[f"r_{a[:4]}~{b[:4]}"] = v.get(("score_correlation", pair))
        out.append(row)
    return pd.DataFrame(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", default="101,102,103,104,20270301,20270302")
    p.add_argument("--cases", type=int, default=100)
    p.add_argument("--waves", type=int, default=3)
    p.add_argument("--config", type=Path, default=REPO / "config" / "config.yaml")
    p.add_argument(
        "--workdir", type=Path, default=None, help="keep the simulated datasets here (reused)"
    )
    p.add_argument("--csv", type=Path, default=None, help="write every role_validity row here")
    p.add_argument("--null-thresholds", action="store_true")
    args = p.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        parts = [
            seed_figures(s, work, n_cases=args.cases, n_waves=args.waves, config=args.config)
            for s in seeds
        ]
    figures = pd.concat([f for f, _, _ in parts], ignore_index=True)
    if args.csv:
        figures.to_csv(args.csv, index=False)
    table = summary(figures)
    with pd.option_context(
        "display.width", 200, "display.max_columns", 30, "display.float_format", "{:.3f}".format
    ):
        print(table.to_string(index=False))
    targets = (
        (table[[c for c in table.columns if c.startswith("auc_")]] >= 0.75).all(axis=None)
        and (table[[c for c in table.columns if c.startswith("size_")]].abs() < 0.3).all(axis=None)
        and (table[[c for c in table.columns if c.startswith("r_")]].abs() < 0.5).all(axis=None)
    )
    print(f"all targets met: {bool(targets)}")
    if args.null_thresholds:
        from netinnov.metrics.role_validity import null_thresholds

        actors = pd.concat([a for _, a, _ in parts], ignore_index=True)
        truth = pd.concat([t for _, _, t in parts], ignore_index=True)
        key = actors["seed"].astype(str) + ":" + actors["wave"].astype(str)
        tkey = truth["seed"].astype(str) + ":" + truth["wave"].astype(str)
        print(
            "null thresholds (90th percentile, role-free cases):",
            null_thresholds(actors.assign(wave=key), truth.assign(wave=tkey), step=0.01),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
