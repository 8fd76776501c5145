"""Size of the cluster-robust tests against the number of cases (issue 13, item 2).

Monte Carlo of ``tests/helpers/small_cluster_simulation.py``: cases × 3 waves with a
case random intercept (ICC 0.3), wave effects, a real covariate and a null
case-level predictor that persists over the waves; each dataset fitted pooled
with ``C(wave)`` and errors clustered by case. For each family and number of
cases it records the rejection rate of the true null at 5 % and the coverage
of the 95 % interval, with the default CR2 + Satterthwaite df and with the
uncorrected CR1 + t(G−1) (``std_error_cr1``, ``p_value_cr1``), writes
``benchmarks/out/small_cluster_size.csv`` and the figure
``docs/figures/small_cluster_size.png`` (MC error bars: ±1.96 binomial SE).

    .venv/bin/python benchmarks/bench_small_cluster_size.py --datasets 1000 --cases 12,24,36,50

Seeded (``--seed``; dataset i uses seed + i for every family and size), two
worker processes by default.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

from helpers.small_cluster_simulation import FAMILIES, run_simulation, summarize  # noqa: E402


def plot(table, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    families = list(dict.fromkeys(table["family"]))
    fig, axes = plt.subplots(1, len(families), figsize=(3.2 * len(families), 3.2), sharey=True)
    axes = list(getattr(axes, "flat", [axes]))
    for ax, family in zip(axes, families, strict=True):
        part = table[table["family"] == family].sort_values("n_cases")
        for method, label, marker in (
            ("cr1", "CR1, t(G−1)", "s"),
            ("cr2", "CR2, Satterthwaite df", "o"),
        ):
            ax.errorbar(
                part["n_cases"],
                100 * part[f"reject_{method}"],
                yerr=100 * 1.96 * part[f"mcse_{method}"],
                marker=marker,
                capsize=3,
                label=label,
            )
        ax.axhline(5.0, color="grey", lw=0.8)
        ax.axhspan(3.5, 6.5, color="grey", alpha=0.12)
        ax.set_title(family)
        ax.set_xlabel("cases (clusters), 3 waves each")
    axes[0].set_ylabel("rejections of a true null at 5 % (%)")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--cases", default="12,24,36,50")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "small_cluster_size.csv")
    parser.add_argument(
        "--figure", type=Path, default=REPO / "docs" / "figures" / "small_cluster_size.png"
    )
    args = parser.parse_args(argv)
    import pandas as pd

    families = [f for f in args.families.split(",") if f]
    tables = []
    for n_cases in [int(c) for c in args.cases.split(",") if c]:
        start = time.perf_counter()
        rows = run_simulation(
            families, datasets=args.datasets, n_cases=n_cases, seed=args.seed, workers=args.workers
        )
        table = summarize(rows).assign(seconds=time.perf_counter() - start)
        print(table.round(4).to_string(index=False), flush=True)
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, lineterminator="\n")
    plot(table, args.figure)
    print(f"wrote {args.out} and {args.figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
