"""Tables across waves: every wave stacked, and change between consecutive waves.

``panel/`` holds

* ``cases.csv``, ``actors.csv`` — every wave's table stacked, ``wave`` first;
* ``change.csv`` — dyad transitions, Hamming distance and Jaccard index per
  case and pair of consecutive waves (:func:`netinnov.metrics.change.tie_change`);
* ``stability.csv`` — Spearman correlation of each actor metric between
  consecutive waves (:func:`netinnov.metrics.stability.position_stability`);
* ``tie_transitions.csv`` — maintained ties that turned from weak to strong
  and back, formed and dissolved ties by class
  (:func:`netinnov.metrics.change.tie_class_transitions`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_table, write_table
from netinnov.metrics.change import TRANSITION_COLUMNS, tie_change, tie_class_transitions
from netinnov.metrics.stability import STABILITY_COLUMNS, position_stability
from netinnov.options import PanelOptions

__all__ = ["CHANGE_COLUMNS", "run_panel", "stack_waves", "wave_pairs"]

log = logging.getLogger(__name__)

#: Columns of ``panel/change.csv``.
CHANGE_COLUMNS = [
    "case_id", "wave_from", "wave_to", "n_common_actors", "n00", "n01", "n10", "n11", "hamming", "jaccard",
    "jaccard_low", "actors_joined", "actors_left", "density_from", "density_to", "density_change",
]


def stack_waves(results: Path, waves: list[str], table: str) -> pd.DataFrame:
    """``waves/<wave>/<table>.csv`` of every wave, in wave order, with a ``wave`` column first."""
    frames = []
    for wave in waves:
        frame = read_table(results / "waves" / wave / f"{table}.csv")
        frame.insert(0, "wave", wave)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["wave"])


def wave_pairs(waves: list[str]) -> list[tuple[str, str]]:
    """Consecutive pairs of waves, in order: ``[(w1, w2), (w2, w3), …]``."""
    return list(zip(waves[:-1], waves[1:], strict=True))


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def run_panel(results: Path, waves: list[str], *, options: PanelOptions | Mapping) -> None:
    """Write ``panel/{cases,actors,change,stability,tie_transitions}.csv``.

    Each wave's tables are read once; change, stability and transitions are
    computed for every pair of consecutive waves (tie change on the actors
    present in both waves, directed or undirected per the ``directed`` option).
    """
    directed = PanelOptions.of(options).directed
    out = results / "panel"
    out.mkdir(parents=True, exist_ok=True)
    write_table(stack_waves(results, waves, "cases"), out / "cases.csv")
    tables = {w: {t: read_table(results / "waves" / w / f"{t}.csv") for t in ("ties", "actors")} for w in waves}
    stacked = [tables[w]["actors"].assign(wave=w) for w in waves]
    actors = pd.concat(stacked, ignore_index=True) if stacked else pd.DataFrame(columns=["wave"])
    write_table(actors[["wave", *[c for c in actors.columns if c != "wave"]]], out / "actors.csv")

    change, stability, transitions = [], [], []
    for a, b in wave_pairs(waves):
        ta, tb = tables[a]["ties"], tables[b]["ties"]
        aa, ab = tables[a]["actors"], tables[b]["actors"]
        pair = {"wave_from": a, "wave_to": b}
        change.append(tie_change(ta, tb, aa, ab, directed=directed, **pair))
        transitions.append(tie_class_transitions(ta, tb, aa, ab, directed=directed, **pair))
        stability.append(position_stability(aa, ab, **pair))
        log.info("panel %s -> %s: %d cases in both waves", a, b, len(change[-1]))
    write_table(_concat(change, CHANGE_COLUMNS), out / "change.csv")
    write_table(_concat(stability, STABILITY_COLUMNS), out / "stability.csv")
    write_table(_concat(transitions, TRANSITION_COLUMNS), out / "tie_transitions.csv")
