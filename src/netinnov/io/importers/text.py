"""Helpers shared by the text-format readers: decoding, tokens, numbers, ids."""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from pathlib import Path

from netinnov.io.values import MISSING_TOKENS

from .model import ImportFileError

__all__ = ["clean_id", "csv_records", "id_problem", "number", "read_lines", "tokens"]


def read_lines(path: Path) -> list[str]:
    """The file's lines, decoded as UTF-8 (a byte-order mark dropped); any
    other encoding stops with a message naming the file and line."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ImportFileError(path, line, "not UTF-8 text; re-save the file as UTF-8") from None
    return text.splitlines()


def tokens(line: str, commas: bool = False) -> list[tuple[str, bool]]:
    """Whitespace-separated tokens (and comma-separated with ``commas``);
    ``"..."`` is one token holding spaces (Pajek and UCINET have no escape
    inside quotes). Each token comes with whether it was quoted. An unclosed
    quote runs to the end of the line."""
    out: list[tuple[str, bool]] = []
    i, n = 0, len(line)

    def separator(ch: str) -> bool:
        return ch.isspace() or (commas and ch == ",")

    while i < n:
        if separator(line[i]):
            i += 1
            continue
        if line[i] == '"':
            end = line.find('"', i + 1)
            if end < 0:
                end = n
            out.append((line[i + 1 : end], True))
            i = end + 1
        else:
            j = i
            while j < n and not separator(line[j]):
                j += 1
            out.append((line[i:j], False))
            i = j
    return out


def number(text: str) -> float | None:
    """A finite number, or None (decimal point only)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def clean_id(text: str) -> str:
    """An id as ingest will compare it: NFC-normalised, stripped."""
    return unicodedata.normalize("NFC", text).strip()


def id_problem(actor: str) -> str | None:
    """Why ingest could not keep ``actor`` as an id, or None: empty, a missing
    value token (``NA``, ``null``, ... : :data:`~netinnov.io.values.MISSING_TOKENS`)
    or Excel's text wrapper ``="..."``, which ingest unwraps."""
    if not actor:
        return "empty id"
    if actor.lower() in MISSING_TOKENS:
        return "id read as a missing value (NA, null, ...)"
    if actor.startswith('="') and actor.endswith('"'):
        return 'id in Excel\'s ="..." wrapper'
    return None


def csv_records(path: Path, delimiter: str | None = None) -> tuple[list[tuple[int, list[str]]], str]:
    """The CSV records of a table file (RFC 4180: quoted fields may hold the
    delimiter, ``""`` and line breaks), each with the line it starts on;
    blank lines dropped. Delimiter: ``delimiter`` (``tab`` for a tab), else
    tab for ``.tsv`` or a first line holding a tab, else ``;`` where the first
    line has more of them than commas, else ``,``. Returns the records and
    the delimiter."""
    lines = read_lines(path)
    if delimiter in ("tab", "\\t"):
        delimiter = "\t"
    if not delimiter:
        first = lines[0] if lines else ""
        if path.suffix.lower() == ".tsv" or "\t" in first:
            delimiter = "\t"
        elif first.count(";") > first.count(","):
            delimiter = ";"
        else:
            delimiter = ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            start, previous = previous + 1, reader.line_num
            if any(f.strip() for f in fields):
                out.append((start, fields))
    except csv.Error as err:
        raise ImportFileError(path, previous + 1, f"not a readable CSV table ({err})") from None
    return out, delimiter


#: interactions.csv columns an importer keeps, and which of them are numbers.
TIE_COLUMNS = ("frequency", "duration_min", "closeness", "channel", "phase", "date")
NUMERIC_TIE_COLUMNS = frozenset({"frequency", "duration_min", "closeness"})


def tie_value(column: str, text: str, decimal_comma: bool = False) -> tuple[object, str | None]:
    """``(value, None)`` for a cell of interactions.csv column ``column``, or
    ``(None, reason)``: frequency a number > 0, duration_min and closeness
    numbers >= 0 (the 1–5 range of closeness is checked by validate), the
    others text. ``text`` is cleaned and not empty."""
    if column not in NUMERIC_TIE_COLUMNS:
        return text, None
    x = number(text.replace(",", ".") if decimal_comma else text)
    if x is None:
        return None, f"{column} not a number"
    if column == "frequency" and x <= 0:
        return None, "non-positive frequency"
    if x < 0:
        return None, f"negative {column}"
    return x, None
