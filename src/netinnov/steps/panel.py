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
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from netinnov.io.result_tables import read_table, wave_paths, write_table
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


def stack_waves(paths: Sequence[Path | str], waves: Sequence[str]) -> pd.DataFrame:
    """One table of every wave (``paths``, in the order of ``waves``), stacked, with a ``wave`` column first."""
    frames = []
    for wave, path in zip(waves, paths, strict=True):
        frame = read_table(Path(path))
        frame.insert(0, "wave", wave)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["wave"])


def wave_pairs(waves: list[str]) -> list[tuple[str, str]]:
    """Consecutive pairs of waves, in order: ``[(w1, w2), (w2, w3), …]``."""
    return list(zip(waves[:-1], waves[1:], strict=True))


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def run_panel(
    *,
    waves: Sequence[str],
    ties: Sequence[Path | str],
    actors: Sequence[Path | str],
    cases: Sequence[Path | str],
    out_cases: Path | str,
    out_actors: Path | str,
    out_change: Path | str,
    out_stability: Path | str,
    out_tie_transitions: Path | str,
    options: PanelOptions | Mapping,
) -> None:
    """Write the panel tables: the waves' ``cases`` and ``actors`` stacked, ``change``,
    ``stability`` and ``tie_transitions``.

    ``ties``, ``actors`` and ``cases`` are each wave's tables, in the order of
    ``waves``; every path is the rule's. Each wave's tables are read once;
    change, stability and transitions are computed for every pair of
    consecutive waves (tie change on the actors present in both waves,
    directed or undirected per the ``directed`` option).
    """
    waves = [str(w) for w in waves]
    ties, actors, cases = (wave_paths(name, p, waves) for name, p in (("ties", ties), ("actors", actors),
                                                                      ("cases", cases)))
    directed = PanelOptions.of(options).directed
    for path in (out_cases, out_actors, out_change, out_stability, out_tie_transitions):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_table(stack_waves(cases, waves), Path(out_cases))
    tables = {
        w: {"ties": read_table(Path(t)), "actors": read_table(Path(a))}
        for w, t, a in zip(waves, ties, actors, strict=True)
    }
    stacked = [tables[w]["actors"].assign(wave=w) for w in waves]
    frame = pd.concat(stacked, ignore_index=True) if stacked else pd.DataFrame(columns=["wave"])
    write_table(frame[["wave", *[c for c in frame.columns if c != "wave"]]], Path(out_actors))

    change, stability, transitions = [], [], []
    for a, b in wave_pairs(waves):
        ta, tb = tables[a]["ties"], tables[b]["ties"]
        aa, ab = tables[a]["actors"], tables[b]["actors"]
        pair = {"wave_from": a, "wave_to": b}
        change.append(tie_change(ta, tb, aa, ab, directed=directed, **pair))
        transitions.append(tie_class_transitions(ta, tb, aa, ab, directed=directed, **pair))
        stability.append(position_stability(aa, ab, **pair))
        log.info("panel %s -> %s: %d cases in both waves", a, b, len(change[-1]))
    write_table(_concat(change, CHANGE_COLUMNS), Path(out_change))
    write_table(_concat(stability, STABILITY_COLUMNS), Path(out_stability))
    write_table(_concat(transitions, TRANSITION_COLUMNS), Path(out_tie_transitions))
