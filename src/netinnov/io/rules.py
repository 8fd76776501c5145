"""Row rules of each input file (SPEC.md "Input" and "Bad input").

Each ``check_<file>`` function takes the file read as text and what the rules
need to know about the rest of the wave (the known actors, the case rosters,
the known cases), and returns a :class:`~netinnov.io.checker.FileResult`.

A row with several problems is rejected with the first reason in the order
listed in each function's docstring (the precedence); ``wrong number of
fields`` always comes first. Ids are compared as stripped text; ``phase`` and
``role`` are matched case-insensitively and stored in lower case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from netinnov.contract import LEADERSHIP_ROLES, PHASES

from .checker import Checker, FileResult, Roster, require_columns
from .columns import TextColumn
from .dtypes import STRING
from .read import RawTable
from .values import (
    infer_block,
    infer_column,
    parse_category,
    parse_date,
    parse_flag,
    parse_number,
    prepare_block_values,
)
from .vector import to_arrow
from .wide_frame import Block, column_blocks, frame_from_blocks, text_categoricals, text_strings

__all__ = [
    "PHASES",
    "RESPONDED",
    "LEADERSHIP_ROLES",
    "check_actors",
    "combine_actors",
    "check_interactions",
    "check_members",
    "check_outcomes",
    "check_participation",
    "check_roles",
]

#: Ids to look values up in: distinct values as an arrow array
#: (see :func:`~netinnov.io.vector.value_set`).
Ids = pa.Array

#: Hidden column carrying, per actor row, whether its file used decimal commas.
DECIMAL_COMMA = "_decimal_comma"


def _extras(table: RawTable, known: tuple[str, ...]) -> list[str]:
    return [c for c in table.columns if c not in known]


def _typed_extras(c: Checker, columns: list[str], categorical: bool) -> dict[str, pd.Series] | list[Block]:
    ok = c.ok
    if c.table.block is not None and columns:
        return _typed_block(c, columns, categorical)
    return {
        col: infer_column(c.column(col).take(ok), c.table.decimal_comma, categorical=categorical)
        for col in columns
    }


def _number(c: Checker, column: str, label: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse a numeric column; flag ``<label> not a number``; return values and missing."""
    values, missing, invalid = parse_number(c.column(column), c.table.decimal_comma)
    c.flag(invalid, f"{label} not a number", column)
    return values, missing


def _phase_and_date(c: Checker) -> tuple[TextColumn, np.ndarray]:
    phase, bad_phase = parse_category(c.column("phase"), PHASES)
    c.flag(bad_phase, "unknown phase", "phase")
    date, _, bad_date = parse_date(c.column("date"))
    c.flag(bad_date, "unparseable date", "date")
    return phase, date


def _duration(c: Checker) -> np.ndarray:
    duration, _ = _number(c, "duration_min", "duration")
    c.flag(duration < 0, "negative duration", "duration_min")
    return duration


def _finish(
    c: Checker,
    build: dict[str, TextColumn | np.ndarray],
    extras: list[str],
    *,
    categorical: bool = True,
) -> FileResult:
    """The FileResult with the extra columns typed. Text columns are
    categoricals (``categorical``, the record tables) or STRING text."""
    result = c.result(build, categorical=categorical)
    typed = _typed_extras(c, extras, categorical)
    if isinstance(typed, list):  # a wide file: the typed columns as blocks, one frame built once
        accepted = result.accepted
        known = accepted.drop(columns="line")
        width = known.shape[1]
        blocks = column_blocks(known)
        blocks += [(values, at + width) for values, at in typed]
        blocks += column_blocks(accepted[["line"]], width + len(extras))
        columns = [*known.columns, *extras, "line"]
        result.accepted = frame_from_blocks(blocks, columns, accepted.index)
    elif typed:
        # all columns at once: added one at a time, a wide file (10,000s of columns) took quadratic time
        accepted = result.accepted
        index = accepted.index
        parts = {name: accepted[name] for name in accepted.columns if name != "line"}
        parts.update({name: values.set_axis(index) for name, values in typed.items()})
        parts["line"] = accepted["line"]
        result.accepted = pd.concat(parts, axis=1)
    return result


#: Cells typed at once in :func:`_typed_block` (its temporary arrays are of this size).
_CHUNK_CELLS = 1 << 21


def _typed_block(c: Checker, columns: list[str], categorical: bool) -> list[Block]:
    """:func:`_typed_extras` of a wide file: the columns typed together
    (:func:`~netinnov.io.values.infer_block`) and returned as blocks placed
    in the order of ``columns``: numeric columns as 2-D blocks, text columns
    built at once (:mod:`netinnov.io.wide_frame`)."""
    block = c.table.block
    assert block is not None
    ok = c.ok
    position = {name: j for j, name in enumerate(c.table.columns)}
    js = np.asarray([position[name] for name in columns], dtype=np.int64)
    codes = block.codes[ok][:, js]
    n, e = codes.shape
    prepared = prepare_block_values(block.values, c.table.decimal_comma)
    kind = np.zeros(e, dtype=np.int8)
    numbers = np.empty((n, e))
    step = max(1, _CHUNK_CELLS // max(len(block.codes), 1))  # a few arrays of this many cells at a time
    for start in range(0, e, step):
        part = slice(start, start + step)
        kind[part], numbers[:, part] = infer_block(
            codes[:, part], block.codes[:, js[part]], block.values, prepared=prepared
        )
    blocks: list[Block] = []
    for k, dtype in ((1, np.int64), (2, np.float64)):
        chosen = np.flatnonzero(kind == k)
        if chosen.size:
            blocks.append((np.ascontiguousarray(numbers[:, chosen].T.astype(dtype)), chosen))
    text = np.flatnonzero(kind == 0)
    shared: dict = {}
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, text.size, step):
        chosen = text[start : start + step]
        arrays = (
            text_categoricals(codes[:, chosen], block.values, shared)
            if categorical
            else text_strings(codes[:, chosen], block.values)
        )
        blocks += [(array, chosen[i : i + 1]) for i, array in enumerate(arrays)]
    return blocks


# --------------------------------------------------------------------------- interactions
INTERACTION_COLUMNS = (
    "case_id",
    "source",
    "target",
    "frequency",
    "duration_min",
    "closeness",
    "channel",
    "phase",
    "date",
)


def check_interactions(table: RawTable, actor_ids: Ids, roster: Roster | None = None) -> FileResult:
    """Validate ``interactions.csv``.

    Precedence of reasons: ``empty id: case_id``, ``empty id: source``,
    ``empty id: target``, ``unknown actor: source``, ``unknown actor: target``,
    ``self-interaction``, ``frequency not a number``, ``non-positive
    frequency``, ``duration not a number``, ``negative duration``,
    ``closeness not a number``, ``closeness out of range 1-5``, ``unknown
    phase``, ``unparseable date``, ``actor not in case roster: source``,
    ``actor not in case roster: target`` (only for cases that members.csv
    lists), ``exact duplicate``.

    A missing ``frequency`` is 1. A pair reported in both directions is two
    rows, not a duplicate, whether or not the data are directed.
    """
    require_columns(table, ("case_id", "source", "target"))
    c = Checker(table)
    c.empty_ids("case_id", "source", "target")
    c.unknown_actors(actor_ids, "source", "target")
    source, target = c.column("source"), c.column("target")
    c.flag(source.equals(target), "self-interaction", "target")
    frequency, freq_missing = _number(c, "frequency", "frequency")
    frequency[freq_missing] = 1.0
    c.flag(frequency <= 0, "non-positive frequency", "frequency")
    duration = _duration(c)
    closeness, _ = _number(c, "closeness", "closeness")
    c.flag((closeness < 1) | (closeness > 5), "closeness out of range 1-5", "closeness")
    phase, date = _phase_and_date(c)
    if roster is not None:
        case = c.column("case_id")
        c.flag(roster.outside(case, source), "actor not in case roster: source", "source")
        c.flag(roster.outside(case, target), "actor not in case roster: target", "target")
    c.exact_duplicates()
    build = {
        "case_id": c.column("case_id"),
        "source": source,
        "target": target,
        "frequency": frequency,
        "duration_min": duration,
        "closeness": closeness,
        "channel": c.column("channel"),
        "phase": phase,
        "date": date,
    }
    return _finish(c, build, _extras(table, INTERACTION_COLUMNS))


# --------------------------------------------------------------------------- participation
PARTICIPATION_COLUMNS = ("case_id", "event_id", "actor_id", "date", "phase", "duration_min")


def check_participation(
    table: RawTable, actor_ids: Ids, roster: Roster | None = None
) -> FileResult:
    """Validate ``participation.csv``.

    Precedence: ``empty id: case_id``, ``empty id: event_id``, ``empty id:
    actor_id``, ``unknown actor: actor_id``, ``duration not a number``,
    ``negative duration``, ``unknown phase``, ``unparseable date``, ``actor
    not in case roster: actor_id``, ``exact duplicate``.
    """
    require_columns(table, ("case_id", "event_id", "actor_id"))
    c = Checker(table)
    c.empty_ids("case_id", "event_id", "actor_id")
    c.unknown_actors(actor_ids, "actor_id")
    duration = _duration(c)
    phase, date = _phase_and_date(c)
    if roster is not None:
        c.flag(
            roster.outside(c.column("case_id"), c.column("actor_id")),
            "actor not in case roster: actor_id",
            "actor_id",
        )
    c.exact_duplicates()
    build = {
        "case_id": c.column("case_id"),
        "event_id": c.column("event_id"),
        "actor_id": c.column("actor_id"),
        "date": date,
        "phase": phase,
        "duration_min": duration,
    }
    return _finish(c, build, _extras(table, PARTICIPATION_COLUMNS))


# --------------------------------------------------------------------------- roles
ROLE_COLUMNS = ("case_id", "actor_id", "role", "score")


def check_roles(
    table: RawTable,
    actor_ids: Ids,
    cases: Ids,
    roster: Roster | None = None,
) -> FileResult:
    """Validate ``roles.csv``.

    Precedence: ``empty id: case_id``, ``empty id: actor_id``, ``empty value:
    role``, ``unknown actor: actor_id``, ``unknown role``, ``score not a
    number``, ``score out of range 1-5``, ``unknown case`` (a case with no
    accepted interaction, participation or member row in the wave), ``actor
    not in case roster: actor_id``, ``exact duplicate``.
    """
    require_columns(table, ("case_id", "actor_id", "role"))
    c = Checker(table)
    c.empty_ids("case_id", "actor_id")
    c.empty_values("role")
    c.unknown_actors(actor_ids, "actor_id")
    role, bad_role = parse_category(c.column("role"), LEADERSHIP_ROLES)
    c.flag(bad_role, "unknown role", "role")
    score, _ = _number(c, "score", "score")
    c.flag((score < 1) | (score > 5), "score out of range 1-5", "score")
    case = c.column("case_id")
    c.unknown(cases, "case_id", "unknown case")
    if roster is not None:
        c.flag(
            roster.outside(case, c.column("actor_id")),
            "actor not in case roster: actor_id",
            "actor_id",
        )
    c.exact_duplicates()
    build = {"case_id": case, "actor_id": c.column("actor_id"), "role": role, "score": score}
    return _finish(c, build, _extras(table, ROLE_COLUMNS))


# --------------------------------------------------------------------------- outcomes
def check_outcomes(table: RawTable, cases: Ids) -> FileResult:
    """Validate ``outcomes.csv``.

    Precedence: ``empty id: case_id``, ``unknown case``, ``exact duplicate``,
    ``duplicate case`` (a later row for a case already given, with other
    values), ``<column> not a number`` (in an outcome column whose present
    values are at least half numbers, a value that is not a finite number: ``inf``,
    ``1e400``, ``yes``; so that one stray value neither turns the column to
    text nor passes without a word). Outcome columns are typed as numbers
    where every accepted value is one (see
    :func:`~netinnov.io.values.infer_column`), else kept as text.
    """
    require_columns(table, ("case_id",))
    c = Checker(table)
    c.empty_ids("case_id")
    case = c.column("case_id")
    c.unknown(cases, "case_id", "unknown case")
    c.exact_duplicates()
    c.duplicate_keys(["case_id"], "duplicate case", "case_id")
    extras = _extras(table, ("case_id",))
    for col in extras:
        _, missing, invalid = parse_number(c.column(col), table.decimal_comma)
        numbers = int((~missing & ~invalid).sum())
        if numbers and numbers >= invalid.sum():  # a numeric column (at least as many numbers) with stray values
            c.flag(invalid, f"{col} not a number", col)
    return _finish(c, {"case_id": case}, extras, categorical=False)


# --------------------------------------------------------------------------- members
#: Optional ``members.csv`` column: whether the member answered the survey.
RESPONDED = "responded"


def check_members(table: RawTable, actor_ids: Ids) -> FileResult:
    """Validate ``members.csv``.

    Precedence: ``empty id: case_id``, ``empty id: actor_id``, ``unknown
    actor: actor_id``, then, when the file has the optional column
    ``responded``: ``empty value: responded`` (empty or a missing-value
    token such as ``NA``), ``responded not true/false`` (accepted:
    true/false, yes/no, 1/0 in any case), and after ``exact duplicate``,
    ``duplicate member`` (the case and actor again, with another value: the
    first row is kept). ``responded`` is stored as a boolean.
    """
    require_columns(table, ("case_id", "actor_id"))
    c = Checker(table)
    c.empty_ids("case_id", "actor_id")
    c.unknown_actors(actor_ids, "actor_id")
    build: dict[str, TextColumn | np.ndarray] = {"case_id": c.column("case_id"), "actor_id": c.column("actor_id")}
    flagged = RESPONDED in table.columns
    if flagged:
        responded, missing, invalid = parse_flag(c.column(RESPONDED))
        c.flag(missing, f"empty value: {RESPONDED}", RESPONDED)
        c.flag(invalid, f"{RESPONDED} not true/false", RESPONDED)
        build[RESPONDED] = responded
    c.exact_duplicates()
    if flagged:
        c.duplicate_keys(["case_id", "actor_id"], "duplicate member", "actor_id")
    return _finish(c, build, _extras(table, ("case_id", "actor_id", RESPONDED)))


# --------------------------------------------------------------------------- actors
def check_actors(
    table: RawTable, group_attribute: str = "sector", known: pd.DataFrame | None = None
) -> FileResult:
    """Validate ``actors.csv`` or a wave's ``actors.csv`` (actors joining then).

    Precedence: ``empty id: actor_id``, ``empty value: <group>``, ``exact
    duplicate``, ``duplicate actor id`` (a later row for an id already given),
    and for a wave's file, ``<group> changes between waves`` (the actor is
    known with another value of the group attribute; the first is kept).
    ``<group>`` is the group attribute, ``sector`` by default; it is required,
    as is ``actor_id``.

    The accepted frame holds every column as stripped text (typing happens
    once all actor files of a wave are combined), plus ``_decimal_comma``.
    """
    require_columns(table, ("actor_id", group_attribute), reserved=("first_wave",))
    c = Checker(table)
    c.empty_ids("actor_id")
    c.empty_values(group_attribute)
    c.exact_duplicates()
    c.duplicate_keys(["actor_id"], "duplicate actor id", "actor_id")
    if known is not None and len(known):
        ids = to_arrow(known["actor_id"])
        position = c.column("actor_id").positions(ids)
        listed = position >= 0
        before = known[group_attribute].to_numpy(dtype=object)[np.maximum(position, 0)]
        now = c.text(group_attribute).to_numpy(dtype=object)
        changed = listed & (before != now)
        c.flag(changed, f"{group_attribute} changes between waves", group_attribute)
    build: dict[str, TextColumn | np.ndarray] = {col: c.column(col) for col in table.columns}
    build[DECIMAL_COMMA] = np.full(c.n, table.decimal_comma)
    result = c.result(build)
    result.accepted.pop("line")
    return result


def combine_actors(parts: list[pd.DataFrame], group_attribute: str = "sector") -> pd.DataFrame:
    """Type the combined actor rows of several files (see :func:`check_actors`).

    Columns: ``actor_id``, the group attribute, ``sector`` (when it is not the
    group attribute and some file has it), ``organization`` (missing where not
    given), other columns (typed by :func:`~netinnov.io.values.infer_column`),
    ``first_wave``.
    """
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    fixed = ["actor_id", group_attribute]
    if group_attribute != "sector" and "sector" in frame.columns:
        fixed.append("sector")
    fixed.append("organization")
    out = pd.DataFrame(index=frame.index)
    for col in fixed:
        out[col] = (
            frame[col] if col in frame.columns else pd.Series(np.nan, index=frame.index)
        ).astype(STRING)
    decimal = (
        frame[DECIMAL_COMMA].to_numpy(dtype=bool)
        if DECIMAL_COMMA in frame.columns
        else np.zeros(len(frame), bool)
    )
    for col in frame.columns:
        if col in fixed or col in (DECIMAL_COMMA, "first_wave"):
            continue
        out[col] = infer_column(TextColumn.from_text(frame[col], strip=False), decimal)
    out["first_wave"] = (
        frame["first_wave"]
        if "first_wave" in frame.columns
        else pd.Series(np.nan, index=frame.index)
    ).astype(STRING)
    return out.reset_index(drop=True)
