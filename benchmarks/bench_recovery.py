"""Coverage and size of the pipeline's case-level GLMs on generated data with attrition.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_recovery.py                          # 60 datasets, 2 processes
    .venv/bin/python benchmarks/bench_recovery.py --datasets 20 --cases 36
    .venv/bin/python benchmarks/bench_recovery.py --informative-dropout 1  # dropout not at random

Each dataset is written by generator v2 (``netinnov.simulate``; seeds
``--seed``, ``--seed + 1``, …) with case random effects that persist over
waves and attrition between waves (defaults: those of ``netinnov simulate``);
the pooled logit / ordered-logit / Poisson models the pipeline fits
(:func:`netinnov.models.glm.fit_glms`, cluster-robust by case) are fitted on
the latent case quantities of the observed case-waves, and the lagged models
count the rows that attrition removes. See :mod:`netinnov.simulate.recovery`.

Outputs: a markdown report on stdout and in ``benchmarks/out/recovery[-<tag>].md``,
tables ``recovery[-<tag>]_by_term.csv``, ``_overall.csv``, ``_terms.csv``
(every dataset × term) and ``_fits.csv`` in ``benchmarks/out/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import BENCH_DIR, format_table, machine_info, machine_markdown  # noqa: E402

from netinnov.simulate.recovery import RecoverySettings, run_recovery  # noqa: E402

_DEFAULTS = RecoverySettings()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=_DEFAULTS.n_datasets)
    parser.add_argument("--seed", type=int, default=_DEFAULTS.seed)
    parser.add_argument("--cases", type=int, default=_DEFAULTS.n_cases)
    parser.add_argument("--waves", type=int, default=_DEFAULTS.n_waves)
    parser.add_argument("--case-effect-sd", type=float, default=_DEFAULTS.case_effect_sd)
    parser.add_argument("--case-dropout", type=float, default=_DEFAULTS.case_dropout)
    parser.add_argument("--actor-dropout", type=float, default=_DEFAULTS.actor_dropout)
    parser.add_argument("--informative-dropout", type=float, default=_DEFAULTS.informative_dropout)
    parser.add_argument("--processes", type=int, default=_DEFAULTS.processes)
    parser.add_argument("--tag", default="", help="suffix of the output files")
    args = parser.parse_args(argv)
    settings = RecoverySettings(
        n_datasets=args.datasets, seed=args.seed, n_cases=args.cases, n_waves=args.waves,
        case_effect_sd=args.case_effect_sd, case_dropout=args.case_dropout, actor_dropout=args.actor_dropout,
        informative_dropout=args.informative_dropout, processes=args.processes,
    )
    info = machine_info()
    start = time.perf_counter()
    result = run_recovery(settings)
    wall = time.perf_counter() - start
    out = BENCH_DIR / "out"
    out.mkdir(parents=True, exist_ok=True)
    stem = "recovery" + (f"-{args.tag}" if args.tag else "")
    for key in ("by_term", "overall", "terms", "fits"):
        result[key].to_csv(out / f"{stem}_{key}.csv", index=False)
    command = "benchmarks/bench_recovery.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = "\n".join([
        f"# Recovery under attrition ({stem})",
        "",
        f"`{command.strip()}` — {settings.n_datasets} datasets in {wall:.0f} s wall "
        f"({settings.processes} processes)",
        "",
        machine_markdown(info),
        "Settings: " + ", ".join(f"{k} = {v}" for k, v in vars(settings).items()),
        "",
        "## Overall (MC error: SD over datasets of the per-dataset rate / sqrt(N))",
        "",
        format_table(result["overall"].to_dict("records"),
                     [("measure", "measure"), ("value", "value"), ("mcse", "MC error"), ("n", "n")]),
        "",
        "## Per term (coverage against the population-averaged truth; MC error sqrt(p(1-p)/N))",
        "",
        format_table(result["by_term"].to_dict("records"), [
            ("outcome", "outcome"), ("term", "term"), ("true_effect", "true"), ("marginal_effect", "marginal"),
            ("mean_estimate", "mean est."), ("bias", "bias"), ("coverage", "coverage"),
            ("coverage_mcse", "± MC"), ("coverage_conditional", "cov. (conditional)"),
            ("rejection", "rejection"), ("rejection_mcse", "± MC"),
        ]),
        "",
    ])
    (out / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
