"""Exports of the case networks for RSiena and statnet (R).

For every case, ``results/<dataset>/exports/<case>/`` holds the case's
networks over the waves in which it appears, on one common actor set — the
union of the case's actors over those waves, sorted — so that wave ``k``'s
matrix row ``i`` is always the same actor:

``actors.txt``
    The actor ids, one per line, in matrix order.
``waves.txt``
    The case's waves, one per line, in wave order (observation 1, 2, …).
``network_<wave>.txt``
    The n×n adjacency matrix of the wave, whitespace-separated integers,
    no header (R: ``as.matrix(read.table(f))``; numpy: ``numpy.loadtxt(f)``):
    ``1`` a reported interaction (arc row → column; symmetric when
    undirected) — the choices the actor-oriented model explains; pairs that
    only co-attended (``layer == "coattendance"`` under ``coattendance:
    merge``) are never in it —, ``0`` no tie,
    ``10`` every tie variable to or from an actor who is not on the case's
    roster in that wave. Ten is RSiena's code for a *structural zero*, a tie
    that cannot exist (Ripley et al., *Manual for RSiena*, sections
    "Structurally determined values" and "Composition change: joiners and
    leavers"), the way the manual gives for actors who are absent at an
    observation; it is the one way that works for both Method of Moments and
    maximum likelihood estimation. The diagonal is 0. Only when
    ``members.csv`` has the column ``responded``: ``NA`` (RSiena's missing
    tie variable) for a dyad of present actors that no report observes and
    that holds no tie (:func:`netinnov.networks.nonresponse.unobserved_dyads`: two
    non-respondents, or with ``nonrespondents: observed_only`` in directed
    data every arc from a non-respondent); ``10`` wins over ``NA`` (an
    absent actor's tie cannot exist, observed or not), a tie (``1``, reported
    or reconstructed) over both.
``coattendance_<wave>.txt``
    Written when the wave's ``coattendance.csv`` has rows (participation records):
    the n×n symmetric matrix of the pairs' shared events in the wave
    (``shared_events``, integers, diagonal 0; 0 for actors absent in the
    wave), the opportunity structure as a dyadic covariate (R:
    ``varDyadCovar`` over the waves, or ``coDyadCovar`` for one wave;
    statnet: ``edgecov``). Co-attendance is kept apart from the choice
    network so that it can explain choices without being counted as one.
``presence.txt``
    n×W matrix of 0/1: whether actor ``i`` is on the case's roster in the
    case's ``k``-th wave (R: ``as.matrix(read.table(f)) == 1``).
``composition.txt``
    For the alternative, the method of joiners and leavers (Huisman &
    Snijders 2003; RSiena ``sienaCompositionChangeFromFile``): one line per
    actor with the closed intervals of observations in which the actor is
    present, e.g. ``1 2`` (present at observations 1 to 2) or ``2 3``
    (joined at observation 2). Use it with the 10s replaced by ``NA``.
``constant_covariates.txt``
    One column per actor attribute of the dataset's ``actors.csv`` (sector,
    organization, numeric covariates), with a header line, ``NA`` for
    missing values (R: ``read.table(f, header = TRUE)``, one column per
    ``coCovar``). Text attributes are integer codes ``1..K``, the same codes
    in every case; ``codes.csv`` (covariate, code, label) is their legend.
``changing_<metric>.txt``
    One n×W matrix per actor metric (degree, weighted degree, betweenness,
    constraint, role scores …): column ``k`` is the metric in the case's
    ``k``-th wave, ``NA`` where the actor is absent (R: ``varCovar``).
``network_<wave>.net``
    The wave's case network in Pajek format (``*Vertices n`` with quoted
    actor ids, then ``*Edges`` or ``*Arcs`` ``i j weight``), holding the
    actors of that wave only, isolates included; ``weight`` is the ties.csv
    column of that name. Reads with ``network::read.paj``,
    ``igraph::read_graph(f, "pajek")`` and ``networkx.read_pajek``.

``exports/cases.csv`` lists the cases (``case_id, folder, n_actors,
n_waves, waves, directed, dense``). Matrices are written for cases of up to
``max_dense_actors`` actors (RSiena is meant for a few hundred); larger cases
get the Pajek files and covariates only, and ``dense`` says so.

Run by hand: ``netinnov exports --results results/<dataset>
--waves w1 w2 w3 --options '{"directed": false}'``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from netinnov.contract import case_file_name
from netinnov.io.result_tables import read_table, wave_paths, write_table
from netinnov.options import ExportOptions

__all__ = [
    "ABSENT",
    "CHANGING_COVARIATES",
    "attribute_columns",
    "composition_lines",
    "export_case",
    "pajek_text",
    "presence_intervals",
    "run_exports",
]

log = logging.getLogger(__name__)

#: RSiena's code of a structural zero: the tie variable of an absent actor.
ABSENT = 10

#: Per-wave actor metrics exported as changing covariates, when present.
CHANGING_COVARIATES = (
    "degree", "in_degree", "out_degree", "weighted_degree", "betweenness", "constraint", "effective_size",
    "efficiency", "hierarchy", "gf_total", "blau", "iqv", "ei",
    "convener_score", "facilitator_score", "catalyst_score",
)

#: Columns of the validated actors table that are bookkeeping, not covariates.
_NOT_COVARIATES = ("actor_id", "line", "first_wave", "case_id", "wave")


# ----------------------------------------------------------------- pieces
def attribute_columns(validated: Sequence[Path | str], fallback: Sequence[str] = ("sector",)) -> list[str]:
    """The actor attribute columns of the dataset: those of the validated ``actors`` tables.

    Reads only the Parquet schemas of ``actors.parquet`` in each of the
    waves' ``validated`` folders; ``fallback`` when none exists.
    """
    import pyarrow.parquet as pq

    names: list[str] = []
    for folder in validated:
        path = Path(folder) / "actors.parquet"
        if path.exists():
            names += [n for n in pq.read_schema(path).names if n not in names and n not in _NOT_COVARIATES]
    return names or list(fallback)


def presence_intervals(present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of runs of presence in a boolean actors × waves matrix.

    Returns two boolean matrices of the same shape: ``start[i, k]`` when actor
    ``i`` is present at ``k`` but not at ``k-1``, ``end[i, k]`` when present
    at ``k`` but not at ``k+1``.
    """
    present = np.asarray(present, dtype=bool)
    pad = np.zeros((present.shape[0], 1), dtype=bool)
    before = np.hstack([pad, present[:, :-1]])
    after = np.hstack([present[:, 1:], pad])
    return present & ~before, present & ~after


def composition_lines(present: np.ndarray) -> list[str]:
    """RSiena composition-change lines: the closed intervals of observations (1-based) of each actor."""
    start, end = presence_intervals(present)
    text = pd.Series("", index=range(present.shape[0]), dtype=object)
    for k in range(present.shape[1]):  # a handful of waves
        text = text + np.where(start[:, k], f"{k + 1} ", "") + np.where(end[:, k], f"{k + 1} ", "")
    return text.str.rstrip().tolist()


def _quote(labels: Sequence[str]) -> pd.Series:
    return '"' + pd.Series(list(labels), dtype=object).astype(str).str.replace('"', "'", regex=False) + '"'


def pajek_text(actors: Sequence[str], source: np.ndarray, target: np.ndarray, weight: np.ndarray, *,
               directed: bool) -> str:
    """A network in Pajek format.

    ``source``/``target`` are 0-based indices into ``actors``; vertices are
    numbered from 1 and labelled with the quoted actor ids. Weights are
    written with 17 significant digits, so they read back exactly.
    """
    n = len(actors)
    lines = [f"*Vertices {n}"]
    if n:
        lines += (pd.Series(np.arange(1, n + 1)).astype(str) + " " + _quote(actors)).tolist()
    lines.append("*Arcs" if directed else "*Edges")
    if len(source):
        w = np.char.mod("%.17g", np.asarray(weight, dtype=float))
        s = (np.asarray(source) + 1).astype(str)
        t = (np.asarray(target) + 1).astype(str)
        lines += (pd.Series(s, dtype=object) + " " + t + " " + w).tolist()
    return "\n".join(lines) + "\n"


def _codes(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Integer codes 1..K of a text column (sorted labels), missing stays missing."""
    text = values.astype("string")
    labels = sorted(text.dropna().unique().tolist())
    mapping = {label: i + 1 for i, label in enumerate(labels)}
    return text.map(mapping).astype("Int64"), labels


def _positions(ids: np.ndarray, values: pd.Series, what: str) -> np.ndarray:
    """Indices of ``values`` in the sorted array ``ids``; ValueError for a value not in it."""
    text = values.astype(str).to_numpy(dtype=object)
    pos = np.searchsorted(ids, text)
    found = pos < len(ids)
    found[found] = ids[pos[found]] == text[found]
    if not found.all():
        raise ValueError(f"{what} {text[~found][0]!r} is not among the case's actors")
    return pos


def _write_matrix(matrix: np.ndarray, path: Path, unknown: np.ndarray | None = None) -> None:
    """An integer matrix as whitespace-separated text; the cells of ``unknown``
    (when given) as ``NA``, the others as ``%d`` writes them."""
    if unknown is None:
        np.savetxt(path, matrix, fmt="%d", delimiter=" ", newline="\n")
        return
    frame = pd.DataFrame(matrix).astype("Int64").mask(unknown)
    frame.to_csv(path, sep=" ", header=False, index=False, na_rep="NA", lineterminator="\n")


def _unknown_cells(ids: np.ndarray, frame: pd.DataFrame, matrix: np.ndarray, *, directed: bool,
                   mode: str) -> np.ndarray | None:
    """The NA cells of a wave's matrix, or None without a ``responded`` column."""
    if "responded" not in frame.columns:
        return None
    from netinnov.networks.nonresponse import unobserved_dyads

    silent = frame["responded"].astype(str).str.strip().str.lower().isin(["false", "0"]).to_numpy()
    responded = np.ones(len(ids), dtype=bool)
    responded[np.searchsorted(ids, frame["actor_id"].astype(str).to_numpy(dtype=object)[silent])] = False
    return unobserved_dyads(responded, directed=directed, mode=mode) & (matrix == 0)


def _write_frame(frame: pd.DataFrame, path: Path, *, header: bool) -> None:
    frame.to_csv(path, sep=" ", header=header, index=False, na_rep="NA", lineterminator="\n")


# ----------------------------------------------------------------- one case
def export_case(
    folder: Path,
    case_id: str,
    waves: Sequence[str],
    actors: dict[str, pd.DataFrame],
    ties: dict[str, pd.DataFrame],
    constants: pd.DataFrame,
    *,
    directed: bool,
    changing: Sequence[str] = CHANGING_COVARIATES,
    weight: str = "weight",
    max_dense_actors: int = 2000,
    coattendance: dict[str, pd.DataFrame] | None = None,
    nonrespondents: str = "reconstruct",
) -> dict:
    """Write the exports of one case (layout in the module docstring) and return its index row.

    Parameters
    ----------
    folder
        The case's export folder (created).
    waves
        The waves in which the case appears, in order.
    actors, ties
        Per wave, the case's rows of ``actors.csv`` and ``ties.csv``.
    constants
        The constant covariates, indexed by actor id, already coded as numbers.
    directed
        Arcs or undirected pairs.
    changing
        The metrics written as changing covariates (those present in some wave).
    weight
        The ties.csv column written as Pajek weight (1 where absent).
    max_dense_actors
        Above this many actors, no n×n matrix is written.
    coattendance
        Per wave, the case's rows of ``coattendance.csv`` (waves without one
        get no ``coattendance_<wave>.txt``).
    nonrespondents
        The config key of that name: which dyads of non-respondents are
        ``NA`` (only where ``actors`` has ``responded``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    ids = np.sort(pd.unique(pd.concat([actors[w]["actor_id"] for w in waves]).astype(str).to_numpy(dtype=object)))
    n, n_waves = len(ids), len(waves)
    (folder / "actors.txt").write_text("".join(f"{a}\n" for a in ids), encoding="utf-8")
    (folder / "waves.txt").write_text("".join(f"{w}\n" for w in waves), encoding="utf-8")
    dense = n <= max_dense_actors

    present = np.zeros((n, n_waves), dtype=bool)
    for k, wave in enumerate(waves):
        roster = np.sort(actors[wave]["actor_id"].astype(str).unique().astype(object))
        present[np.searchsorted(ids, roster), k] = True
        t = ties[wave]
        src = _positions(ids, t["source"], f"case {case_id}, wave {wave}: tie source")
        tgt = _positions(ids, t["target"], f"case {case_id}, wave {wave}: tie target")
        on_roster = present[src, k] & present[tgt, k]
        if not on_roster.all():
            raise ValueError(f"case {case_id}, wave {wave}: {int((~on_roster).sum())} ties join actors "
                             "that are not on the case's roster in actors.csv")
        w = t[weight].to_numpy(dtype=float) if weight in t.columns else np.ones(len(t))
        if dense:
            matrix = np.zeros((n, n), dtype=np.int64)
            absent = ~present[:, k]
            matrix[absent, :] = ABSENT
            matrix[:, absent] = ABSENT
            np.fill_diagonal(matrix, 0)
            chosen = _reported(t)
            matrix[src[chosen], tgt[chosen]] = 1
            if not directed:
                matrix[tgt[chosen], src[chosen]] = 1
            unknown = _unknown_cells(ids, actors[wave], matrix, directed=directed, mode=nonrespondents)
            _write_matrix(matrix, folder / f"network_{wave}.txt", unknown)
            if coattendance is not None and wave in coattendance:
                _write_coattendance(coattendance[wave], ids, present[:, k], folder / f"coattendance_{wave}.txt")
        # Pajek: the wave's own actors, numbered in actors.txt order
        local = np.cumsum(present[:, k]) - 1
        text = pajek_text(ids[present[:, k]], local[src], local[tgt], w, directed=directed)
        (folder / f"network_{wave}.net").write_text(text, encoding="utf-8")

    _write_matrix(present.astype(np.int64), folder / "presence.txt")
    (folder / "composition.txt").write_text("".join(f"{line}\n" for line in composition_lines(present)),
                                            encoding="utf-8")
    _write_frame(constants.reindex(ids).reset_index(drop=True), folder / "constant_covariates.txt", header=True)

    for metric in changing:
        if not any(metric in actors[w].columns for w in waves):
            continue
        values = np.full((n, n_waves), np.nan)
        for k, wave in enumerate(waves):
            frame = actors[wave]
            if metric in frame.columns:
                rows = np.searchsorted(ids, frame["actor_id"].astype(str).to_numpy(dtype=object))
                values[rows, k] = pd.to_numeric(frame[metric], errors="coerce").to_numpy(dtype=float)
        _write_frame(pd.DataFrame(values), folder / f"changing_{metric}.txt", header=False)
    return {
        "case_id": case_id, "folder": folder.name, "n_actors": n, "n_waves": n_waves,
        "waves": " ".join(waves), "directed": directed, "dense": dense,
    }


def _reported(ties: pd.DataFrame) -> np.ndarray:
    """Which ties rest on reported interactions (all, for tables without a ``layer`` column)."""
    if "layer" not in ties.columns:
        return np.ones(len(ties), dtype=bool)
    return (ties["layer"].astype(str) != "coattendance").to_numpy()


def _write_coattendance(pairs: pd.DataFrame, ids: np.ndarray, present: np.ndarray, path: Path) -> None:
    """The n×n symmetric matrix of shared events of the present actors."""
    matrix = np.zeros((len(ids), len(ids)), dtype=np.int64)
    if len(pairs):
        a = _positions(ids, pairs["source"], "co-attendance source")
        b = _positions(ids, pairs["target"], "co-attendance target")
        keep = present[a] & present[b]
        events = pd.to_numeric(pairs["shared_events"]).to_numpy(dtype=np.int64)[keep]
        matrix[a[keep], b[keep]] = events
        matrix[b[keep], a[keep]] = events
    _write_matrix(matrix, path)


# ----------------------------------------------------------------- all cases
def _constant_covariates(stacked: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per actor (first known value in wave order), text coded; and the legend."""
    columns = [c for c in columns if c in stacked.columns]
    first = stacked.groupby("actor_id", sort=True)[columns].first() if columns else pd.DataFrame(
        index=pd.Index(sorted(stacked["actor_id"].unique()), name="actor_id"))
    coded = pd.DataFrame(index=first.index)
    legend = []
    for col in columns:
        series = first[col]
        if pd.api.types.is_bool_dtype(series):
            coded[col] = series.astype("Int64")
        elif pd.api.types.is_numeric_dtype(series):
            coded[col] = series
        else:
            codes, labels = _codes(series)
            coded[col] = codes
            legend.append(pd.DataFrame({"covariate": col, "code": np.arange(1, len(labels) + 1), "label": labels}))
    legend_frame = pd.concat(legend, ignore_index=True) if legend else pd.DataFrame(columns=["covariate", "code",
                                                                                               "label"])
    return coded, legend_frame


def _by_wave(name: str, paths: Sequence[Path | str], waves: Sequence[str]) -> dict[str, Path]:
    return dict(zip(waves, wave_paths(name, paths, waves), strict=True))


def run_exports(
    *,
    waves: Sequence[str],
    actors: Sequence[Path | str],
    ties: Sequence[Path | str],
    out: Path | str,
    options: ExportOptions | Mapping,
    coattendance: Sequence[Path | str] | None = None,
    validated: Sequence[Path | str] | None = None,
    attributes: Sequence[str] | None = None,
    changing: Sequence[str] = CHANGING_COVARIATES,
    max_dense_actors: int = 2000,
) -> pd.DataFrame:
    """Write ``exports/<case>/`` for every case of the waves' tables; return the case index.

    Parameters
    ----------
    waves
        The waves, in order.
    actors, ties
        Each wave's ``actors.csv`` and ``ties.csv``, in the order of ``waves``.
    out
        The export folder (``results/<dataset>/exports``); emptied first.
    options
        ``directed`` (bool) and ``group_attribute`` (fallback covariate).
    coattendance
        Each wave's ``coattendance.csv``, in wave order (a path that does not
        exist counts as none).
    validated
        Each wave's ``validated/`` folder: its ``actors.parquet`` schema names
        the constant covariates (:func:`attribute_columns`).
    attributes
        Constant covariate columns; default :func:`attribute_columns` of ``validated``.
    """
    waves = [str(w) for w in waves]
    out = Path(out)
    options = ExportOptions.of(options)
    directed = options.directed
    actor_files, tie_files = _by_wave("actors", actors, waves), _by_wave("ties", ties, waves)
    co_files = _by_wave("coattendance", coattendance, waves) if coattendance else {}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    actors = {w: read_table(actor_files[w]) for w in waves}
    ties = {w: read_table(tie_files[w]) for w in waves}
    co = {w: c for w, f in co_files.items() if f.is_file() and len(c := read_table(f))}
    co_by_wave = {w: dict(tuple(c.groupby(c["case_id"].astype(str), sort=True))) if len(c) else {}
                  for w, c in co.items()}
    if attributes is None:
        attributes = attribute_columns(validated or [], fallback=[options.group_attribute])
    stacked = pd.concat([actors[w] for w in waves], ignore_index=True)
    stacked["actor_id"] = stacked["actor_id"].astype(str)
    constants, legend = _constant_covariates(stacked, attributes)

    by_wave = {w: dict(tuple(actors[w].groupby(actors[w]["case_id"].astype(str), sort=True))) for w in waves}
    ties_by_wave = {w: dict(tuple(ties[w].groupby(ties[w]["case_id"].astype(str), sort=True))) if len(ties[w])
                    else {} for w in waves}
    cases = sorted(set().union(*(set(by_wave[w]) for w in waves))) if waves else []
    rows, used = [], set()
    for case_id in cases:
        case_waves = [w for w in waves if case_id in by_wave[w]]
        name = case_file_name(case_id)
        while name in used:  # two ids that differ only in unsafe characters
            name += "_"
        used.add(name)
        empty = ties[case_waves[0]].iloc[0:0]
        rows.append(
            export_case(
                out / name,
                case_id,
                case_waves,
                {w: by_wave[w][case_id] for w in case_waves},
                {w: ties_by_wave[w].get(case_id, empty) for w in case_waves},
                constants,
                directed=directed,
                changing=changing,
                max_dense_actors=max_dense_actors,
                coattendance={w: co_by_wave[w].get(case_id, co[w].iloc[0:0]) for w in case_waves if w in co},
                nonrespondents=options.nonrespondents,
            )
        )
        write_table(legend, out / name / "codes.csv")
        if not rows[-1]["dense"]:
            log.warning("case %s: %d actors, above %d: no matrices written, Pajek and covariates only",
                        case_id, rows[-1]["n_actors"], max_dense_actors)
    index = pd.DataFrame(rows, columns=["case_id", "folder", "n_actors", "n_waves", "waves", "directed", "dense"])
    write_table(index, out / "cases.csv")
    log.info("exports: %d cases, %d waves -> %s", len(index), len(waves), out)
    return index
