"""``netinnov simulate``: write a dataset and print its summary (the arguments
are declared in :mod:`netinnov.steps.registry`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .dataset import simulate_dataset

__all__ = ["simulate_command"]


def simulate_command(
    *, out: Path | str, seed: int, n_cases: int, n_waves: int, min_actors: int, max_actors: int,
    records_per_actor: float, homophily: float, response_rate: float | None, case_effect_sd: float,
    case_dropout: float, actor_dropout: float, informative_dropout: float, directed: bool = True,
    bad_rows: bool = True, single_case_actors: int | None = None,
) -> int:  # fmt: skip
    """Run :func:`~netinnov.simulate.dataset.simulate_dataset`: 0 on success (the
    summary is printed as JSON), 2 on bad arguments."""
    try:
        summary = simulate_dataset(
            out,
            seed=seed,
            n_cases=n_cases,
            n_waves=n_waves,
            min_actors=min_actors,
            max_actors=max_actors,
            records_per_actor=records_per_actor,
            directed=directed,
            bad_rows=bad_rows,
            single_case_actors=single_case_actors,
            homophily=homophily,
            response_rate=response_rate,
            case_effect_sd=case_effect_sd,
            case_dropout=case_dropout,
            actor_dropout=actor_dropout,
            informative_dropout=informative_dropout,
        )
    except (ValueError, FileExistsError) as err:
        print(f"netinnov simulate: {err}", file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0
