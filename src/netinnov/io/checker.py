"""The machinery of row rules: flag rows with a reason, keep the rest.

A :class:`Checker` holds one reason code per row of a :class:`RawTable`
(0 = accepted). Rules are applied in a fixed order, each as one vectorised
mask over the whole file; a row keeps the first reason it is given, so the
order of the calls is the precedence of the reasons. Records with the wrong
number of fields, and a last record whose quote never closes, are rejected by
the reader's account before any rule runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from .columns import TextColumn
from .dtypes import STRING, string_array
from .errors import InputError
from .read import EXTRA_FIELDS, RawTable
from .vector import duplicated_rows, value_set

__all__ = [
    "REJECTED_COLUMNS",
    "ESCAPED_QUOTE",
    "UNCLOSED_QUOTE",
    "WRONG_FIELDS",
    "Checker",
    "FileResult",
    "Roster",
    "require_columns",
]

#: The fixed leading columns of ``rejected.csv``.
REJECTED_COLUMNS = ("file", "line", "reason")

#: Reason of a record whose number of fields differs from the header's.
WRONG_FIELDS = "wrong number of fields"

#: Reason of a last record that opens a quote that is never closed: its last
#: field holds the rest of the file, which is therefore not read as rows.
UNCLOSED_QUOTE = "unclosed quote (the rest of the file is in this row)"

#: Reason of a record holding a backslash-escaped quote (``\\"``) in a file
#: whose other quoting is standard (doubled quotes): the standard reading would
#: mangle it. Its fields are kept as the backslash reading gives them.
ESCAPED_QUOTE = 'backslash-escaped quote (\\") in a file that otherwise doubles quotes'


@dataclass
class FileResult:
    """The outcome of validating one input file.

    Attributes
    ----------
    file
        Path relative to the dataset directory.
    accepted
        The validated rows, typed.
    rejected
        ``file, line, reason`` then the raw fields of each rejected row, by line.
    rows_read
        Data rows in the file (blank lines excluded);
        ``len(accepted) + len(rejected) == rows_read``.
    reasons
        ``(reason, rows)`` for every reason given, in order of precedence.
    reason_columns
        The column each reason is about (``None`` for whole-row reasons).
    """

    file: str
    accepted: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    reasons: list[tuple[str, int]] = field(default_factory=list)
    reason_columns: dict[str, str | None] = field(default_factory=dict)

    @property
    def n_rejected(self) -> int:
        """Number of rejected rows (without making a rejected frame that is not made yet)."""
        made = self.__dict__.get("_rejected")
        return 0 if callable(made) else len(made)

    def first_bad(self) -> tuple[int, str, str | None] | None:
        """``(line, reason, column)`` of the first rejected row, or None."""
        if not self.n_rejected:
            return None
        row = self.rejected.iloc[0]
        reason = str(row["reason"])
        return int(row["line"]), reason, self.reason_columns.get(reason)


def _get_rejected(self: FileResult) -> pd.DataFrame:
    made = self.__dict__["_rejected"]
    if callable(made):  # a wide file's empty rejected frame, made on first use
        made = self.__dict__["_rejected"] = made()
    return made


def _set_rejected(self: FileResult, value) -> None:
    self.__dict__["_rejected"] = value


# ``rejected`` may be given as a function that makes the (empty) frame when first read
FileResult.rejected = property(_get_rejected, _set_rejected, doc=FileResult.__doc__ and "The rejected rows.")  # type: ignore[assignment]


def require_columns(
    table: RawTable, required: Iterable[str], reserved: Iterable[str] = ("line",)
) -> None:
    """Raise InputError naming the first required column the header lacks.

    ``reserved`` names columns that the validated table adds itself and that an
    input file therefore cannot carry.
    """
    missing = [c for c in required if c not in table.columns]
    if missing:
        others = f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else ""
        folded = {c.casefold(): c for c in table.columns}
        renames = [f"'{folded[c]}' to '{c}'" for c in missing if c.casefold() in folded]
        hint = (
            f"; column names are case-sensitive: rename {', '.join(renames)}" if renames else ""
        )
        raise InputError(
            f"required column is missing{others}",
            table.file,
            line=table.header_line,
            column=missing[0],
            path=table.path,
            detail=f"the header has: {', '.join(table.columns)}{hint}",
        )
    for name in reserved:
        if name in table.columns:
            raise InputError(
                f"the column name '{name}' is reserved for what netinnov adds; rename the column",
                table.file,
                line=table.header_line,
                column=name,
                path=table.path,
            )


class Checker:
    """Reason codes for the rows of one file, filled rule by rule."""

    def __init__(self, table: RawTable) -> None:
        self.table = table
        self.n = table.n
        self.code = np.zeros(self.n, dtype=np.int32)
        self.reasons: list[str] = []
        self.columns: dict[str, str | None] = {}

    # ----------------------------------------------------------------- access
    @property
    def ok(self) -> np.ndarray:
        """True for rows that no rule has rejected so far."""
        return self.code == 0

    def column(self, name: str) -> TextColumn:
        """A column of the file; all empty where the file lacks it."""
        if name in self.table.values:
            return self.table.values[name]
        return TextColumn(np.full(self.n, -1, dtype=np.int32), pa.array([], pa.large_string()))

    def text(self, name: str) -> pd.Series:
        """A column as stripped text, NaN where empty (all rows)."""
        return self.column(name).to_series()

    # ----------------------------------------------------------------- rules
    def flag(self, mask: np.ndarray | pd.Series, reason: str, column: str | None = None) -> None:
        """Give ``reason`` to rows in ``mask`` that have no reason yet."""
        mask = np.asarray(mask, dtype=bool) & (self.code == 0)
        if not mask.any():
            return
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.columns[reason] = column
        self.code[mask] = self.reasons.index(reason) + 1

    def empty_ids(self, *columns: str) -> None:
        """``empty id: <column>`` where a required id is empty."""
        for column in columns:
            self.flag(self.column(column).missing, f"empty id: {column}", column)

    def empty_values(self, *columns: str) -> None:
        """``empty value: <column>`` where a required value is empty."""
        for column in columns:
            self.flag(self.column(column).missing, f"empty value: {column}", column)

    def unknown(self, known: pa.Array, column: str, reason: str) -> None:
        """``reason`` where a value of ``column`` is not among ``known`` ids."""
        self.flag(~self.column(column).isin(known), reason, column)

    def unknown_actors(self, actor_ids: pa.Array, *columns: str) -> None:
        """``unknown actor: <column>`` where an id is not a known actor."""
        for column in columns:
            self.unknown(actor_ids, column, f"unknown actor: {column}")

    def exact_duplicates(self) -> None:
        """``exact duplicate``: identical (after stripping) to an earlier accepted row."""
        if self.table.block is not None:  # a wide file: all columns compared at once
            self.flag(self.table.block.duplicated(self.ok), "exact duplicate", None)
            return
        self.duplicate_keys(list(self.table.columns), "exact duplicate", None)

    def duplicate_keys(self, columns: list[str], reason: str, column: str | None) -> None:
        """``reason`` for later accepted rows repeating the key of an earlier one.

        The columns' integer keys are made one at a time, as
        :func:`~netinnov.io.vector.duplicated_rows` consumes them.
        """
        keys = (self.column(c).key() for c in columns)
        self.flag(duplicated_rows(keys, self.ok), reason, column)

    # ----------------------------------------------------------------- result
    def result(
        self, build: dict[str, TextColumn | np.ndarray | pd.Series], *, categorical: bool = False
    ) -> FileResult:
        """Assemble the accepted frame from full-length columns and the rejected rows.

        ``build`` maps output column names to full-length values (a
        TextColumn, an array or a Series, one value per row of the table); the
        accepted rows are selected here and ``line`` appended. TextColumns
        become :data:`~netinnov.io.dtypes.STRING` text, or with
        ``categorical`` categoricals of it (the record tables).
        """
        ok = self.ok
        every = bool(ok.all())
        columns = {}
        for name, values in build.items():
            if isinstance(values, TextColumn):
                rows = None if every else ok
                columns[name] = values.to_categorical(rows) if categorical else values.to_series(rows)
            elif isinstance(values, pd.Series):
                columns[name] = (values if every else values.loc[ok]).reset_index(drop=True)
            else:
                columns[name] = values if every else values[ok]
        accepted = pd.DataFrame(columns, index=pd.RangeIndex(int(ok.sum())))
        accepted["line"] = self.table.line[ok].astype(np.int64)
        return self.finish(accepted)

    def finish(self, accepted: pd.DataFrame) -> FileResult:
        """The FileResult for an already assembled accepted frame."""
        table = self.table
        bad = ~self.ok
        parts = []
        counts: list[tuple[str, int]] = []
        wide_parts: list[tuple[np.ndarray, np.ndarray]] = []  # a wide file's (lines, reasons)
        if table.n_malformed:
            if table.block is None:
                malformed = table.malformed.copy()
                lines = malformed.pop("line").to_numpy()
            else:
                lines = np.asarray(table.malformed_lines, dtype=np.int64)
            unclosed = np.zeros(len(lines), dtype=bool)
            if table.unclosed_quote is not None:
                unclosed = lines == table.unclosed_quote[0]
            escaped = np.isin(lines, np.asarray(table.escaped_quote, dtype=np.int64)) & ~unclosed
            reasons = np.where(unclosed, UNCLOSED_QUOTE, np.where(escaped, ESCAPED_QUOTE, WRONG_FIELDS)).astype(object)
            wide_parts.append((lines, reasons))
            if table.block is None:
                parts.append(_rejected_frame(table.file, lines, reasons, malformed))
            for reason, n in (
                (WRONG_FIELDS, int((~unclosed & ~escaped).sum())),
                (ESCAPED_QUOTE, int(escaped.sum())),
                (UNCLOSED_QUOTE, int(unclosed.sum())),
            ):
                if n:
                    counts.append((reason, n))
        if bad.any():
            reasons = np.asarray(self.reasons, dtype=object)[self.code[bad] - 1]
            wide_parts.append((table.line[bad], reasons))
            if table.block is None:
                parts.append(_rejected_frame(table.file, table.line[bad], reasons, table.raw_rows(bad)))
            tally = np.bincount(self.code[bad], minlength=len(self.reasons) + 1)
            counts += [(r, int(tally[i + 1])) for i, r in enumerate(self.reasons) if tally[i + 1]]
        if table.block is not None and wide_parts:
            rejected = _block_rejected(table, wide_parts, bad)
        elif parts:
            rejected = pd.concat(parts, ignore_index=True)
            rejected = rejected.sort_values("line", kind="stable").reset_index(drop=True)
            extra = [c for c in rejected.columns if c not in REJECTED_COLUMNS]
            rejected = fill_empty(rejected, extra, parts)
        else:

            def rejected() -> pd.DataFrame:
                return _rejected_frame(
                    table.file, np.zeros(0, np.int64), np.zeros(0, object), table.raw_rows(np.zeros(table.n, bool))
                )

            if table.block is None:
                rejected = rejected()
            # else made when first read: 10,000s of empty text columns take a second
        columns = {WRONG_FIELDS: None, ESCAPED_QUOTE: None, **self.columns}
        if table.unclosed_quote is not None:
            columns[UNCLOSED_QUOTE] = table.unclosed_quote[1]
        return FileResult(table.file, accepted, rejected, table.rows_read, counts, columns)


def _block_rejected(table: RawTable, parts: list[tuple[np.ndarray, np.ndarray]], bad: np.ndarray) -> pd.DataFrame:
    """The rejected frame of a wide file, made at once: what stacking the
    malformed records' and the rejected rows' frames (:func:`_rejected_frame`),
    sorting them by line and filling absent fields with ``""`` makes, with
    all fields taken in one arrow call instead of a few pandas calls a column."""
    block = table.block
    assert block is not None
    k = len(table.columns)
    malformed = table.malformed_rows if table.n_malformed else []
    m = len(malformed)
    lines = np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts])
    reasons = np.concatenate([np.asarray(p[1], dtype=object) for p in parts])
    r = len(lines)
    order = np.argsort(lines, kind="stable")
    padded = [row[:k] + [""] * (k - len(row)) for row in malformed]
    mal = pa.array([padded[i][j] for j in range(k) for i in range(m)], type=pa.large_string())
    codes = block.raw_codes[bad]
    b = len(codes)
    taken = block.raw_values.take(pa.array(codes.T.ravel(), type=pa.int64())).cast(pa.large_string())
    fields = pa.concat_arrays([mal, taken])
    col = np.arange(k, dtype=np.int64)[:, None]
    index = np.where(order < m, col * m + order, m * k + col * b + (order - m))
    flat = fields.take(pa.array(index.ravel(), type=pa.int64()))
    names = [*REJECTED_COLUMNS, *(f"raw_{c}" if c in REJECTED_COLUMNS else c for c in table.columns)]
    arrays = [
        string_array(pa.array([table.file] * r, type=pa.large_string())),
        lines[order],
        string_array(pa.array(list(reasons[order]), type=pa.large_string())),
        *(string_array(flat.slice(j * r, r)) for j in range(k)),
    ]
    if any(len(row) > k for row in malformed):
        surplus = np.asarray([table.delimiter.join(row[k:]) for row in malformed] + [""] * b, dtype=object)
        arrays.append(string_array(pa.array(list(surplus[order]), type=pa.large_string())))
        names.append(EXTRA_FIELDS)
    return pd.DataFrame._from_arrays(arrays, columns=pd.Index(names), index=pd.RangeIndex(r), verify_integrity=False)


def fill_empty(frame: pd.DataFrame, columns: list[str], parts: list[pd.DataFrame]) -> pd.DataFrame:
    """``frame`` (the ``parts`` stacked) with ``columns`` as text, missing fields ``""``.

    Only the columns that some part lacks, or that are not text, are
    converted: the raw fields of a file are text without missing values. The
    converted columns are replaced all at once (one at a time, a wide file
    took quadratic time)."""
    dtypes = dict(zip(frame.columns, frame.dtypes, strict=True))
    common = set.intersection(*(set(p.columns) for p in parts)) if parts else set()
    todo = [c for c in columns if c not in common or dtypes[c] != STRING]
    if not todo:
        return frame
    if len(todo) < 64:  # the usual case: in place
        frame[todo] = frame[todo].astype(STRING).fillna("")
        return frame
    fixed = pd.DataFrame({c: frame[c].astype(STRING).fillna("") for c in todo}, index=frame.index)
    order = list(frame.columns)
    return pd.concat([frame.drop(columns=todo), fixed], axis=1)[order]


def _rejected_frame(file: str, line: np.ndarray, reason, raw: pd.DataFrame) -> pd.DataFrame:
    n = len(raw)
    out = pd.DataFrame(
        {
            "file": pd.Series([file] * n, dtype=STRING),
            "line": np.asarray(line, dtype=np.int64),
            "reason": pd.Series(np.broadcast_to(np.asarray(reason, dtype=object), n), dtype=STRING),
        }
    )
    if not len(raw.columns):
        return out
    if all(dtype == STRING for dtype in raw.dtypes) and not any(c in REJECTED_COLUMNS for c in raw.columns):
        raw = raw.reset_index(drop=True)  # already text (a wide file's fields): no copy per column
        return pd.concat([out, raw.set_axis(out.index)], axis=1)
    fields = {
        (f"raw_{col}" if col in REJECTED_COLUMNS else col): raw[col].reset_index(drop=True).astype(STRING)
        for col in raw.columns
    }
    # all columns at once (one at a time is quadratic in the number of columns)
    return pd.concat([out, pd.DataFrame(fields, index=out.index)], axis=1)


@dataclass(frozen=True)
class Roster:
    """Case rosters from ``members.csv``: which actors belong to which case."""

    cases: pa.Array  # the case ids that have a roster
    actors: pa.Array  # the actor ids listed in some roster
    keys: np.ndarray  # sorted (case position, actor position) pair keys

    @classmethod
    def from_members(cls, members: pd.DataFrame) -> Roster:
        case = TextColumn.from_text(members["case_id"], strip=False)
        actor = TextColumn.from_text(members["actor_id"], strip=False)
        cases, actors = value_set(members["case_id"]), value_set(members["actor_id"])
        keys = _pair_keys(case.positions(cases), actor.positions(actors), len(actors))
        return cls(cases, actors, np.unique(keys))

    def outside(self, case: TextColumn, actor: TextColumn) -> np.ndarray:
        """True where the case has a roster that does not list the actor."""
        c = case.positions(self.cases)
        a = actor.positions(self.actors)
        keys = _pair_keys(c, a, len(self.actors))
        if len(self.keys):
            position = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            listed = (a >= 0) & (self.keys[position] == keys)
        else:
            listed = np.zeros(len(keys), dtype=bool)
        return (c >= 0) & ~listed


def _pair_keys(case_codes: np.ndarray, actor_codes: np.ndarray, n_actors: int) -> np.ndarray:
    return case_codes.astype(np.int64) * (n_actors + 1) + actor_codes.astype(np.int64)
