"""The dyadic models as per-wave, per-case-chunk jobs (issue 15, item 3).

:func:`run_dyadic_chunk` fits every ``dyadic_models`` entry on the cases of
one chunk of one wave (per-case MRQAP fits, and the designs the pooled fit
needs); :func:`run_dyadic_pooled` fits the pooled models of a wave from its
chunks; :func:`run_dyadic_gather` writes ``models/qap.csv`` from the waves. Each case's permutations are
seeded from ``(seed, wave, model, case)`` and the pooled fit's from
``(seed, wave, model, "pooled")``, so ``qap.csv`` is byte for byte that of
:func:`netinnov.steps.models.run_dyadic_models` in one job, for any split
(``tests/steps/test_dyadic_chunks.py``).

Chunks are contiguous runs of the wave's sorted case ids of about equal
numbers of dyads (:func:`netinnov.steps.wave_chunks.plan_chunks` with weight ``n²``).
A chunk's fits and a wave's rows go to pickle files, intermediates of the workflow
(``temp``), written and read by the same netinnov only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netinnov.models.qap import fit_case_models, fit_pooled, wave_frame
from netinnov.models.spec import parse_dyadic_models
from netinnov.options import DyadicOptions
from netinnov.steps.qap import write_qap
from netinnov.steps.wave_chunks import (
    dump_intermediate,
    load_intermediate,
    plan_chunks,
    scatter_index,
)

__all__ = ["dyadic_chunk_cases", "run_dyadic_chunk", "run_dyadic_gather", "run_dyadic_pooled"]

log = logging.getLogger(__name__)


def dyadic_chunk_cases(wave_actors: pd.DataFrame, chunk: str) -> list[str]:
    """The case ids of chunk ``chunk`` (``"<k>-of-<n>"``) of a wave, from the
    wave's rows of ``panel/actors.csv`` (weights: actors squared, the dyads)."""
    k, n = scatter_index(chunk)
    if not len(wave_actors):
        return []
    sizes = wave_actors.drop_duplicates(["case_id", "actor_id"])["case_id"].astype(str).value_counts()
    ids = sorted(sizes.index)
    weights = pd.Series([int(sizes[c]) ** 2 for c in ids], index=pd.Index(ids, dtype=object), dtype=np.int64)
    return plan_chunks(weights, n)[k]


def run_dyadic_chunk(
    *,
    wave: str,
    actors: Path | str,
    ties: Path | str,
    chunk: str,
    out: Path | str,
    options: DyadicOptions | Mapping[str, Any],
    previous_wave: str | None = None,
    previous_actors: Path | str | None = None,
    previous_ties: Path | str | None = None,
) -> None:
    """Fit the dyadic models on chunk ``chunk`` of ``wave``'s cases; write the fits to ``out``.

    Reads the wave's ``actors.csv`` and ``ties.csv`` (and, with
    ``previous_wave``, the previous wave's, for ``edgecov(previous_*)``):
    the rows of ``panel/actors.csv`` that
    :func:`netinnov.steps.models.run_dyadic_models` reads, without depending
    on the later waves. Every path is the rule's.
    """
    if previous_wave and (previous_actors is None or previous_ties is None):
        raise ValueError(f"previous wave {previous_wave}: give its actors.csv and ties.csv too")
    tables = {wave: (Path(actors), Path(ties))}
    if previous_wave:
        tables[previous_wave] = (Path(previous_actors), Path(previous_ties))
    from netinnov.io.result_tables import read_table
    from netinnov.steps.models import networks_from_tables

    options = DyadicOptions.of(options)
    specs = parse_dyadic_models(list(options.dyadic_models))
    fits: list = []
    cases: list[str] = []
    if specs:
        # this wave's (and the previous wave's) tables only, not panel/: a new wave
        # leaves the dyadic jobs of the earlier waves up to date
        waves = [wave] + ([previous_wave] if previous_wave else [])
        actors = {w: read_table(tables[w][0]).assign(wave=w) for w in waves}
        directed = options.directed
        group_attribute = options.group_attribute
        # the group codes only name each actor's group: any label set holding them gives the same terms
        labels = sorted({
            str(v) for t in actors.values() if group_attribute in t.columns for v in t[group_attribute].dropna()
        })  # fmt: skip
        wave_actors = actors[wave]
        cases = dyadic_chunk_cases(wave_actors, chunk)

        def networks(w: str):
            ties = read_table(tables[w][1])
            if "layer" in ties.columns:  # choices only: co-attendance is opportunity
                ties = ties[ties["layer"].astype(str) != "coattendance"]
            keep = set(cases)
            rows = actors[w][actors[w]["case_id"].astype(str).isin(keep)]
            return networks_from_tables(
                ties[ties["case_id"].astype(str).isin(keep)], rows,
                directed=directed, group_attribute=group_attribute, group_labels=labels,
            )  # fmt: skip

        fits = fit_case_models(
            networks(wave),
            wave_actors,
            specs,
            seed=options.seed,
            previous=networks(previous_wave) if previous_wave else None,
            wave=wave,
        )
    log.info("dyadic models, wave %s, chunk %s: %d cases", wave, chunk, len(cases))
    dump_intermediate({"wave": wave, "chunk": scatter_index(chunk), "fits": fits}, out)


def run_dyadic_pooled(
    parts: Sequence[Path | str], wave: str, *, out: Path | str, options: DyadicOptions | Mapping[str, Any]
) -> pd.DataFrame:
    """Join the chunks' fits of one wave (any order) and fit its pooled models:
    the wave's rows of ``qap.csv`` (per model: the cases in order, then
    ``pooled``), written to ``out`` (an intermediate pickle)."""
    options = DyadicOptions.of(options)
    specs = parse_dyadic_models(list(options.dyadic_models))
    loaded = [load_intermediate(p) for p in parts]
    if any(str(part["wave"]) != str(wave) for part in loaded):
        raise ValueError(f"dyadic chunks of another wave given for wave {wave}")
    chunks = [part["fits"] for part in sorted(loaded, key=lambda part: part["chunk"][0])]
    rows: list[pd.DataFrame] = []
    if specs and chunks:
        for i, spec in enumerate(specs):
            per_chunk = [fits[i] for fits in chunks]
            for fits in per_chunk:
                rows += fits.frames
            rows += fit_pooled(spec, per_chunk, seed=options.seed, wave=str(wave))
    frame = wave_frame(rows) if rows else None
    dump_intermediate({"wave": str(wave), "frame": frame}, out)
    return frame


def run_dyadic_gather(parts: Sequence[Path | str], waves: Sequence[str], *, out: Path | str) -> pd.DataFrame:
    """The waves' rows (:func:`run_dyadic_pooled`'s files, any order) in wave
    order as ``qap.csv`` at ``out``, with q-values over every row."""
    by_wave = {str(part["wave"]): part["frame"] for part in (load_intermediate(p) for p in parts)}
    frames = [by_wave[w] for w in (str(w) for w in waves) if by_wave.get(w) is not None]
    return write_qap(frames, Path(out))
