"""The dyadic-model step: every wave's MRQAP fits in one job, and ``qap.csv``.

The pipeline runs the dyadic models per wave and case chunk
(:mod:`netinnov.steps.dyadic_chunks`); :func:`run_qap` is the one-process
path of the ``models`` step, and :func:`write_qap` writes ``qap.csv`` with
its q-values for both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from netinnov.io.formulas import guard
from netinnov.metrics.multiple_testing import qap_qvalues
from netinnov.models.qap import QAP_COLUMNS, fit_qap_models
from netinnov.models.spec import parse_dyadic_models
from netinnov.networks import CaseNetwork

__all__ = ["run_qap", "write_qap"]

log = logging.getLogger(__name__)


def run_qap(
    networks: Mapping[str, Mapping[str, CaseNetwork]] | Mapping[str, CaseNetwork],
    attributes: pd.DataFrame | None,
    models_config: Sequence[Mapping[str, Any]],
    *,
    seed: int,
    out_dir: Path | str,
    edgecov: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    waves: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Fit the ``dyadic_models`` on every wave and write ``out_dir/qap.csv``.

    Parameters
    ----------
    networks
        ``{wave: {case_id: CaseNetwork}}`` (or ``{case_id: CaseNetwork}`` for
        a single wave, written with an empty ``wave``).
    attributes
        Actor attributes (e.g. ``panel/actors.csv`` or the input
        ``actors.csv``); with a ``wave`` column, each wave uses its own rows.
    models_config
        The ``dyadic_models`` list of the config.
    seed
        Config seed.
    out_dir
        Directory of ``qap.csv`` (created if needed).
    edgecov
        ``{wave: {case_id: {name: matrix}}}`` extra dyadic covariates.
    waves
        Wave order (for ``edgecov(previous_*)``); default: the order of ``networks``.
    """
    specs = parse_dyadic_models(models_config)
    if networks and all(isinstance(v, CaseNetwork) for v in networks.values()):
        by_wave: dict[str, Mapping[str, CaseNetwork]] = {"": networks}  # type: ignore[dict-item]
    else:
        by_wave = {str(w): v for w, v in networks.items()}  # type: ignore[misc]
    order = [str(w) for w in waves] if waves is not None else list(by_wave)
    frames = []
    for pos, wave in enumerate(order):
        if wave not in by_wave:
            continue
        attrs = attributes
        if attrs is not None and "wave" in attrs.columns and wave != "":
            attrs = attrs[attrs["wave"].astype(str) == wave]
        previous = by_wave.get(order[pos - 1]) if pos > 0 else None
        frames.append(
            fit_qap_models(
                by_wave[wave],
                attrs,
                specs,
                seed=seed,
                edgecov=(edgecov or {}).get(wave),
                previous=previous,
                wave=wave,
            )
        )
    return write_qap(frames, Path(out_dir) / "qap.csv")

def write_qap(frames: Sequence[pd.DataFrame], path: Path) -> pd.DataFrame:
    """The waves' fits as ``qap.csv`` at ``path``, q-values over every wave's rows."""
    out = (
        pd.concat([f for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else pd.DataFrame(columns=QAP_COLUMNS)
    )
    out["q_value"] = qap_qvalues(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    guard(out).to_csv(path, index=False, lineterminator="\n")  # neutralize_formulas
    return out
