"""The dyadic models of the pipeline: config entries fitted per case, pooled per wave, ``qap.csv``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from netinnov.config import derive_seed
from netinnov.metrics.multiple_testing import qap_qvalues
from netinnov.models.qap.design import DyadicDesign, dyadic_design, stack_designs
from netinnov.models.qap.frontend import _qap
from netinnov.models.qap.result import QAPResult
from netinnov.models.spec import DyadicModelSpec, parse_dyadic_models, parse_dyadic_term
from netinnov.networks import CaseNetwork

#: Columns of ``qap.csv`` (SPEC columns first).
QAP_COLUMNS = [
    "model", "case_id", "term", "estimate", "p_value", "n_dyads", "n_permutations",
    "null_hypothesis", "q_value", "estimator", "relation", "wave", "std_error", "statistic", "p_greater",
    "p_less", "n_actors", "n_dropped", "note", "p_value_plus1", "dropped_reasons",
]  # fmt: skip

log = logging.getLogger(__name__)

log = logging.getLogger(__name__)


# ============================================================ pipeline API
def previous_wave_matrix(
    current: CaseNetwork, previous: CaseNetwork, *, field: str | None = None
) -> np.ndarray:
    """The previous wave's relation, aligned with ``current.actors``.

    ``field=None`` gives the binary tie, otherwise a ties column (e.g.
    ``"weight"``). Actors absent from the previous wave have no tie there: 0.
    """
    prev = previous.matrix(field).tocoo()
    pos = pd.Series(np.arange(current.n), index=pd.Index(current.actors))
    src = pos.reindex(np.asarray(previous.actors)[prev.row]).to_numpy()
    tgt = pos.reindex(np.asarray(previous.actors)[prev.col]).to_numpy()
    ok = np.isfinite(src) & np.isfinite(tgt)
    out = np.zeros((current.n, current.n))
    out[src[ok].astype(np.int64), tgt[ok].astype(np.int64)] = prev.data[ok]
    return out


_BUILTIN_EDGECOV = {
    "previous_tie": None,
    "previous_weight": "weight",
    "previous_strength": "strength",
}


def _edgecov_for(
    spec: DyadicModelSpec,
    case_id: str,
    net: CaseNetwork,
    edgecov: Mapping[str, Mapping[str, Any]] | None,
    previous: Mapping[str, CaseNetwork] | None,
) -> dict[str, Any]:
    out: dict[str, Any] = dict((edgecov or {}).get(case_id, {}))
    for term in spec.terms:
        kind, name = parse_dyadic_term(term)
        if kind != "edgecov" or name in out or name not in _BUILTIN_EDGECOV:
            continue
        if previous is None or case_id not in previous:
            raise ValueError(f"edgecov({name}): the case has no previous wave")
        try:
            out[name] = previous_wave_matrix(net, previous[case_id], field=_BUILTIN_EDGECOV[name])
        except KeyError as err:
            raise ValueError(f"edgecov({name}): the previous wave's ties lack {err}") from None
    return out


def _rows(
    spec: DyadicModelSpec, case_id: str, wave: str, n_actors: int, result: QAPResult
) -> pd.DataFrame:
    frame = result.to_frame()
    if result.notes and np.isnan(result.estimate).all():
        log.warning(
            "dyadic model %s, case %s, wave %s: not estimated: %s",
            spec.name, case_id, wave, "; ".join(dict.fromkeys(result.notes.values())),
        )  # fmt: skip
    return frame.assign(
        model=spec.name, case_id=case_id, relation=spec.relation, wave=wave, n_actors=n_actors
    ).reindex(columns=QAP_COLUMNS)


def _note_rows(
    spec: DyadicModelSpec,
    case_id: str,
    wave: str,
    n_actors: int,
    note: str,
    *,
    n_dropped: int = 0,
    dropped_reasons: str = "",
) -> pd.DataFrame:
    # a first wave without a previous one is expected, not degenerate: info, not a warning
    level = logging.INFO if "has no previous wave" in note else logging.WARNING
    log.log(level, "dyadic model %s, case %s, wave %s: not estimated: %s", spec.name, case_id, wave, note)
    terms = (["Intercept"] if spec.intercept else []) + list(spec.terms)
    return pd.DataFrame(
        {
            "model": spec.name,
            "case_id": case_id,
            "term": terms,
            "estimate": np.nan,
            "p_value": np.nan,
            "n_dyads": 0,
            "n_permutations": 0,
            "null_hypothesis": spec.null_hypothesis,
            "estimator": spec.estimator,
            "relation": spec.relation,
            "wave": wave,
            "n_actors": n_actors,
            "n_dropped": n_dropped,
            "note": note,
            "p_value_plus1": np.nan,
            "dropped_reasons": dropped_reasons,
        }  # fmt: skip
    ).reindex(columns=QAP_COLUMNS)


def _fit_rows(
    spec: DyadicModelSpec, design: DyadicDesign, case: str, wave: str, rng: np.random.Generator
) -> pd.DataFrame:
    """The rows of one fit; a fit that raises gives note rows (one case never fails the job)."""
    try:
        result = _qap(design, spec.estimator, spec.null_hypothesis, spec.permutations, rng)
    except Exception as exc:  # noqa: BLE001 - reported in the table and the log, not raised
        return _note_rows(
            spec, case, wave, design.n_nodes, f"the fit failed: {type(exc).__name__}: {exc}",
            n_dropped=design.n_dropped,
            dropped_reasons="; ".join(f"{k}: {v}" for k, v in design.dropped_reasons.items() if v),
        )  # fmt: skip
    return _rows(spec, case, wave, design.n_nodes, result)


def fit_qap_models(
    networks: Mapping[str, CaseNetwork],
    attributes: pd.DataFrame | None,
    models_config: Sequence[Mapping[str, Any] | DyadicModelSpec],
    *,
    seed: int,
    edgecov: Mapping[str, Mapping[str, Any]] | None = None,
    previous: Mapping[str, CaseNetwork] | None = None,
    wave: str = "",
    min_actors: int = 3,
) -> pd.DataFrame:
    """Fit every dyadic model per case and pooled over the cases of one wave.

    Parameters
    ----------
    networks
        ``{case_id: CaseNetwork}`` of one wave.
    attributes
        Actor attributes for the terms (see :func:`dyadic_design`).
    models_config
        The ``dyadic_models`` entries (validated here).
    seed
        Config seed; each (wave, model, case) draws its permutations from
        :func:`~netinnov.config.derive_seed`.
    edgecov
        ``{case_id: {name: matrix}}`` for ``edgecov(name)`` terms. The names
        ``previous_tie``, ``previous_weight`` and ``previous_strength`` are
        built from ``previous`` (``{case_id: CaseNetwork}`` of the wave before)
        when not supplied.
    wave
        Label written to the ``wave`` column.
    min_actors
        Cases with fewer actors (after dropping missing attributes) get note rows.

    Returns
    -------
    pandas.DataFrame
        :data:`QAP_COLUMNS`; ``case_id`` is ``pooled`` for the pooled fit
        (case dummies, permutations within cases; no pooled rows when the
        wave has a single case). A pooled ``netlogit`` leaves out cases whose
        relation is constant (their case effect would be infinite and they
        carry no information on the other terms), and says so in ``note``. A case that cannot be
        fitted gives rows with NaN and a ``note``, never an exception.
    """
    if all(isinstance(s, DyadicModelSpec) for s in models_config):
        specs = list(models_config)
    else:
        specs = parse_dyadic_models(models_config)  # type: ignore[arg-type]
    parts = fit_case_models(
        networks, attributes, specs, seed=seed, edgecov=edgecov, previous=previous, wave=wave, min_actors=min_actors
    )
    frames: list[pd.DataFrame] = []
    for spec, part in zip(specs, parts, strict=True):
        frames += part.frames
        frames += fit_pooled(spec, [part], seed=seed, wave=wave)
    return wave_frame(frames)


def wave_frame(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The rows of one wave's dyadic fits as one frame (:data:`QAP_COLUMNS`),
    with the q-values of the wave."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=QAP_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["q_value"] = qap_qvalues(out)
    return out


@dataclass
class CaseFits:
    """The per-case part of one dyadic model in one wave, for some of its cases
    (:func:`fit_case_models`): the rows of the per-case fits and of the cases
    that could not be fitted, in case order, and the designs the pooled fit
    stacks (:func:`fit_pooled`). Cases fitted in chunks join into the pooled
    fit of all of them."""

    frames: list[pd.DataFrame]
    designs: list[DyadicDesign]
    labels: list[str]
    n_networks: int


def fit_case_models(
    networks: Mapping[str, CaseNetwork],
    attributes: pd.DataFrame | None,
    specs: Sequence[DyadicModelSpec],
    *,
    seed: int,
    edgecov: Mapping[str, Mapping[str, Any]] | None = None,
    previous: Mapping[str, CaseNetwork] | None = None,
    wave: str = "",
    min_actors: int = 3,
) -> list[CaseFits]:
    """The per-case half of :func:`fit_qap_models`: one :class:`CaseFits` per
    model of ``specs``. The designs are kept only for models with a pooled fit."""
    out: list[CaseFits] = []
    for spec in specs:
        frames: list[pd.DataFrame] = []
        designs: list[DyadicDesign] = []
        labels: list[str] = []
        for case_id in sorted(networks, key=str):
            net = networks[case_id]
            case = str(case_id)
            try:
                design = dyadic_design(
                    net,
                    spec.terms,
                    attributes,
                    relation=spec.relation,
                    edgecov=_edgecov_for(spec, case, net, edgecov, previous),
                    intercept=spec.intercept,
                )
            except ValueError as err:
                frames.append(_note_rows(spec, case, wave, net.n, str(err)))
                continue
            if design.n_nodes < min_actors:
                frames.append(  # with what left the design: e.g. actors without an attribute
                    _note_rows(
                        spec, case, wave, design.n_nodes, f"fewer than {min_actors} actors",
                        n_dropped=design.n_dropped,
                        dropped_reasons="; ".join(f"{k}: {v}" for k, v in design.dropped_reasons.items() if v),
                    )  # fmt: skip
                )
                continue
            if spec.estimator == "netlogit" and not np.isin(design.y, (0.0, 1.0)).all():
                frames.append(
                    _note_rows(spec, case, wave, design.n_nodes, "netlogit needs a binary relation")
                )
                continue
            if spec.pooled:
                designs.append(design)
            labels.append(case)
            if spec.per_case:
                rng = np.random.default_rng(derive_seed(seed, wave, spec.name, case))
                frames.append(_fit_rows(spec, design, case, wave, rng))
        out.append(CaseFits(frames, designs, labels if spec.pooled else [], len(networks)))
    return out


def fit_pooled(spec: DyadicModelSpec, parts: Sequence[CaseFits], *, seed: int, wave: str) -> list[pd.DataFrame]:
    """The pooled half of :func:`fit_qap_models`: the pooled fit of one model
    over the cases of one wave, from the :class:`CaseFits` of its chunks in
    case order (rows of a note when it cannot be fitted; none without
    ``pooled``)."""
    if not spec.pooled:
        return []
    designs = [d for part in parts for d in part.designs]
    labels = [lab for part in parts for lab in part.labels]
    n_networks = sum(part.n_networks for part in parts)
    frames: list[pd.DataFrame] = []
    left_out: list[str] = []
    if spec.estimator == "netlogit":
        # With a case effect, a case whose relation is constant only pushes its
        # own dummy to infinity: it carries no information (as in conditional logit).
        flat = [
            lab
            for d, lab in zip(designs, labels, strict=True)
            if d.n_dyads and np.ptp(d.y) == 0
        ]
        left_out = flat
        flat_dyads = {
            lab: d.n_dyads for d, lab in zip(designs, labels, strict=True) if lab in flat
        }
        designs = [d for d, lab in zip(designs, labels, strict=True) if lab not in flat]
        labels = [lab for lab in labels if lab not in flat]
    if len(designs) > spec.pooled_max_cases:
        # the pooled design carries one dummy column per case: its size grows
        # with dyads x cases, so large waves are fitted per case only
        frames.append(
            _note_rows(
                spec, "pooled", wave, 0,
                f"pooled fit skipped: {len(designs)} cases > pooled_max_cases = {spec.pooled_max_cases}",
            )
        )
    elif len(designs) >= 2:
        pooled = stack_designs(designs, labels)
        if left_out:  # their dyads are not used by the pooled fit: count them
            key = "case without variation in the relation (left out of the pooled logit)"
            pooled.dropped_reasons[key] = int(sum(flat_dyads.values()))
            pooled.n_dropped += int(sum(flat_dyads.values()))
        rng = np.random.default_rng(derive_seed(seed, wave, spec.name, "pooled"))
        rows = _fit_rows(spec, pooled, "pooled", wave, rng)
        if left_out:
            extra = f"cases without variation left out of the pooled logit: {left_out}"
            rows["note"] = [f"{n}; {extra}" if n else extra for n in rows["note"].fillna("")]
        frames.append(rows)
    elif n_networks >= 2:
        frames.append(
            _note_rows(spec, "pooled", wave, 0, "pooling needs at least 2 usable cases")
        )
    return frames


