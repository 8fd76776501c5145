"""``netinnov simulate``: the command-line options and their run."""

from __future__ import annotations

import argparse
import json
import sys

from .attrition import DEFAULT_ACTOR_DROPOUT, DEFAULT_CASE_DROPOUT, DEFAULT_INFORMATIVE_DROPOUT
from .dataset import DEFAULT_HOMOPHILY, DEFAULT_SEED, simulate_dataset
from .outcomes import CASE_EFFECT_SD

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``netinnov simulate``."""
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", required=True, help="dataset directory to write")
    parser.add_argument("--cases", type=int, default=36, help="number of innovation cases (default 36)")
    parser.add_argument("--waves", type=int, default=3, help="number of waves w1, w2, … (default 3)")
    parser.add_argument("--min-actors", type=int, default=8, help="smallest roster (default 8)")
    parser.add_argument("--max-actors", type=int, default=60, help="largest roster (default 60)")
    parser.add_argument(
        "--records-per-actor", type=float, default=6.0,
        help="latent interaction records per member and wave, before non-response (default 6)",
    )
    parser.add_argument(
        "--homophily", type=float, default=DEFAULT_HOMOPHILY,
        help=f"same-sector preference of ordinary contacts, 0 = none (default {DEFAULT_HOMOPHILY:g})",
    )
    parser.add_argument(
        "--response-rate", type=float, default=None,
        help="survey response rate of every case (default: drawn per case from U(0.6, 0.95); 1 = complete)",
    )
    parser.add_argument(
        "--case-effect-sd", type=float, default=CASE_EFFECT_SD,
        help=f"sd of the case random intercept of the outcomes, the same in every wave (default {CASE_EFFECT_SD:g})",
    )
    parser.add_argument(
        "--case-dropout", type=float, default=DEFAULT_CASE_DROPOUT,
        help=f"probability that a case is lost before each next wave (default {DEFAULT_CASE_DROPOUT:g}; 0 = none)",
    )
    parser.add_argument(
        "--actor-dropout", type=float, default=DEFAULT_ACTOR_DROPOUT,
        help=f"probability that an actor is lost before each next wave (default {DEFAULT_ACTOR_DROPOUT:g}; 0 = none)",
    )
    parser.add_argument(
        "--informative-dropout", type=float, default=DEFAULT_INFORMATIVE_DROPOUT,
        help="log-odds change of a case's dropout per SD of its latent propensity to implement; > 0: "
             f"low-propensity cases drop out more (default {DEFAULT_INFORMATIVE_DROPOUT:g}: at random)",
    )
    parser.add_argument("--undirected", action="store_true", help="write undirected co-presence records")
    parser.add_argument("--no-bad-rows", action="store_true", help="do not plant bad rows")
    parser.add_argument(
        "--single-case-actors", type=int, default=None, help="write one case of this many actors (benchmarks)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``netinnov simulate``: 0 on success (the summary is printed as JSON), 2 on bad arguments."""
    try:
        summary = simulate_dataset(
            args.out,
            seed=args.seed,
            n_cases=args.cases,
            n_waves=args.waves,
            min_actors=args.min_actors,
            max_actors=args.max_actors,
            records_per_actor=args.records_per_actor,
            directed=not args.undirected,
            bad_rows=not args.no_bad_rows,
            single_case_actors=args.single_case_actors,
            homophily=args.homophily,
            response_rate=args.response_rate,
            case_effect_sd=args.case_effect_sd,
            case_dropout=args.case_dropout,
            actor_dropout=args.actor_dropout,
            informative_dropout=args.informative_dropout,
        )
    except (ValueError, FileExistsError) as err:
        print(f"netinnov simulate: {err}", file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0
