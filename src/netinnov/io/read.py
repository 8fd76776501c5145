"""Reading one input CSV file into text columns, with physical line numbers.

Every field is read as text (``"007"`` stays ``"007"``); typing is the job of
:mod:`netinnov.io.rules`. The reader

* accepts UTF-8 with or without a byte-order mark and stops with an
  :class:`~netinnov.io.errors.InputError` for any other encoding;
* detects the delimiter from the header line (``,``, ``;``, tab or ``|``), so
  that semicolon exports of spreadsheet programs read correctly;
* numbers each record by the physical line it starts on (the header is line
  1), counting blank lines and newlines inside quoted fields;
* skips blank lines: empty lines, lines of whitespace, and records whose
  fields are all empty (``;;;;`` lines of spreadsheet exports) are not rows;
* sets aside records whose number of fields differs from the header's
  (``malformed``) so that the caller can reject them with their line;
* sets aside, whatever its number of fields, a last record that ends inside a
  quote that is never closed (it has swallowed the rest of the file), and
  records its line and column in ``unclosed_quote``; a quote that opens in the
  header and never closes is a structural error;
* reads files that escape a quote inside a field with a backslash (``"say
  \\"hi\\""``, as R's ``write.table`` and MySQL write them) when the whole
  file parses that way and not in the standard way (doubled quotes, RFC
  4180); in a file that fits neither, a record holding ``\\"`` that the
  standard reading cannot parse is set aside (``escaped_quote``) with its
  fields read the backslash way, instead of being accepted mangled.

The fast path parses with :mod:`pyarrow.csv` (multi-threaded) and computes
record boundaries and line numbers from the raw bytes with numpy: a newline
ends a record when an even number of quote characters precede it. Files whose
quoting that arithmetic cannot follow (a quote inside an unquoted field, an
unterminated quote) are read with the standard :mod:`csv` module instead,
which is slower but follows the same rules.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from netinnov.io.memory import release_memory

from .columns import RawText, TextBlock, TextColumn, encode_raw
from .dtypes import STRING, string_array, string_dtype
from .errors import InputError

__all__ = ["DELIMITERS", "STRING", "RawTable", "read_raw_table", "string_dtype"]

#: Delimiters recognised in a header line, in order of preference on ties.
DELIMITERS = (",", ";", "\t", "|")

#: Name of the column that collects the surplus fields of a malformed record.
EXTRA_FIELDS = "_extra_fields"

_BOM = codecs.BOM_UTF8
_QUOTE = 34  # ord('"')
_NEWLINE = 10
_CHUNK = 1 << 24
# appended after the text for the csv module: a last record that ends inside an
# unclosed quote swallows it, which is how such a record is recognised
_END = "\ue000netinnov-end-of-data\ue000"

#: From this many columns on, a file is "wide": all its columns are encoded as
#: one :class:`~netinnov.io.columns.TextBlock` (a few arrow calls for the whole
#: file instead of a dozen per column), when it has at most
#: :data:`WIDE_CELLS` fields (a copy of all its text is held while it is encoded).
WIDE_COLUMNS = 256
WIDE_CELLS = 20_000_000
#: A wide file without quotes of at most this many fields is split with
#: ``str.split`` rather than pyarrow (whose cost is some 15 µs a column).
SPLIT_CELLS = 2_000_000


def is_wide(rows: int, columns: int) -> bool:
    """Whether a file of ``rows`` records and ``columns`` columns is encoded as one block."""
    return columns >= WIDE_COLUMNS and rows * columns <= WIDE_CELLS


class _BlockColumns(Mapping):
    """Per-column views of a :class:`TextBlock`, made on first access."""

    def __init__(self, names: list[str], block: TextBlock, kind: str) -> None:
        self._names = names
        self._index = {name: j for j, name in enumerate(names)}
        self._block = block
        self._kind = kind
        self._made: dict = {}

    def __getitem__(self, name: str):
        if name not in self._made:
            j = self._index[name]  # KeyError for an unknown column
            self._made[name] = self._block.column(j) if self._kind == "values" else self._block.raw(j)
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass
class RawTable:
    """One input file as text.

    Attributes
    ----------
    file
        Path relative to the dataset directory, as used in messages and in
        ``rejected.csv``.
    path
        Full path of the file as given.
    columns
        Header names, stripped of surrounding whitespace; an empty name
        becomes ``unnamed_<position>`` (with ``_`` appended while another
        header cell spells that name).
    texts
        The fields of every well-formed, non-blank record exactly as written
        (``""`` for an empty field), one :class:`~netinnov.io.columns.RawText`
        per header name, coded like ``values`` (the parsed arrow text is not
        kept); see :attr:`raw` and :meth:`raw_rows` for pandas views.
    values
        Each column as a :class:`~netinnov.io.columns.TextColumn`: stripped
        of surrounding whitespace, empty fields coded -1.
    line
        Physical line (1-based) on which each record of ``raw`` starts.
    malformed
        Records whose number of fields differs from the header's: a ``line``
        column, then the fields by header position (``""`` where absent) and
        surplus fields joined by the delimiter in ``_extra_fields``.
    delimiter
        The detected delimiter.
    header_line
        Physical line of the header.
    unclosed_quote
        ``(line, column)`` of a last record that ends inside a quote that is
        never closed (it is among ``malformed``), else None.
    escaped_quote
        Lines of records set aside (among ``malformed``) because they hold a
        backslash-escaped quote that the file's dialect cannot read.
    backslash_escapes
        Whether the file was read with backslash-escaped quotes (``\\"``).
    """

    file: str
    path: str
    columns: list[str]
    texts: dict[str, RawText]
    values: dict[str, TextColumn]
    line: np.ndarray
    malformed_rows: list[list[str]] = field(repr=False)
    malformed_lines: list[int] = field(repr=False)
    delimiter: str = ","
    header_line: int = 1
    engine: str = field(default="pyarrow", repr=False)
    unclosed_quote: tuple[int, str | None] | None = None
    escaped_quote: tuple[int, ...] = ()
    backslash_escapes: bool = False
    block: TextBlock | None = field(default=None, repr=False)

    @cached_property
    def malformed(self) -> pd.DataFrame:
        """Records whose number of fields differs from the header's (see the class notes)."""
        return _malformed_frame(self.columns, self.malformed_rows, self.malformed_lines, self.delimiter)

    @property
    def n_malformed(self) -> int:
        """Number of malformed records."""
        return len(self.malformed_lines)

    @property
    def decimal_comma(self) -> bool:
        """Whether numbers may use a decimal comma (files not delimited by commas)."""
        return self.delimiter != ","

    @property
    def n(self) -> int:
        """Number of well-formed, non-blank records."""
        return len(self.line)

    @property
    def rows_read(self) -> int:
        """Number of data rows: well-formed and malformed records, blank lines excluded."""
        return self.n + self.n_malformed

    @property
    def raw(self) -> pd.DataFrame:
        """All well-formed records' fields as written, as a text DataFrame."""
        return self.raw_rows(None)

    def raw_rows(self, rows: np.ndarray | None) -> pd.DataFrame:
        """The fields as written of the rows in a boolean mask (all rows for None)."""
        if self.block is not None:
            return self._block_rows(rows)
        frame = {col: self.texts[col].spell(self.values[col], rows) for col in self.columns}
        n = self.n if rows is None else int(np.count_nonzero(rows))
        return pd.DataFrame(frame, index=pd.RangeIndex(n))

    def _block_rows(self, rows: np.ndarray | None) -> pd.DataFrame:
        """:meth:`raw_rows` of a wide file: the rows' fields taken in one arrow call."""
        assert self.block is not None
        codes = self.block.raw_codes if rows is None else self.block.raw_codes[rows]
        n, k = codes.shape
        flat = self.block.raw_values.take(pa.array(codes.T.ravel(), type=pa.int64()))
        arrays = [string_array(flat.slice(j * n, n)) for j in range(k)]
        return pd.DataFrame._from_arrays(  # one frame at once, without a check per column
            arrays, columns=pd.Index(self.columns), index=pd.RangeIndex(n), verify_integrity=False
        )


def read_raw_table(path: Path | str, file: str | None = None, *, engine: str = "auto") -> RawTable:
    """Read one CSV file as text with the physical line of every record.

    Parameters
    ----------
    path
        The file to read.
    file
        Name used in messages and results (path relative to the dataset);
        defaults to ``path``.
    engine
        ``"auto"`` (pyarrow where the quoting allows it, else the csv module)
        or ``"python"`` (always the csv module; used to cross-check).

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        When the file cannot be read, is not UTF-8, is empty or its header
        names a column twice.
    """
    path = Path(path)
    file = str(path) if file is None else file
    data = _read_bytes(path, file)
    header_text = _first_nonblank_line(data)
    if header_text is None:
        raise InputError("the file is empty (no header line)", file, path=str(path))
    delimiter = _detect_delimiter(header_text, _sample_lines(data))
    parsed = None
    if engine == "auto":
        parsed = _read_fast(data, delimiter, file, str(path))
    elif engine != "python":
        raise ValueError(f"engine must be 'auto' or 'python', got {engine!r}")
    if parsed is None:
        parsed = _read_python(data, delimiter, file, str(path))
    del data  # the parsed text is a copy: the file's bytes are not needed to encode it
    table = _finish(parsed)
    release_memory()  # the parsed text and the file's bytes, now codes
    return table


# --------------------------------------------------------------------------- bytes
#: Starts of files that are not text, and what they are (a file renamed to .csv).
_SIGNATURES = (
    (b"PK\x03\x04", "a zip archive or an Excel workbook (.xlsx): save the sheet as CSV UTF-8 instead"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls): save the sheet as CSV UTF-8 instead"),
    (b"\x1f\x8b", "gzip-compressed: decompress it first (gunzip)"),
    (b"BZh", "bzip2-compressed: decompress it first"),
    (b"\xfd7zXZ", "xz-compressed: decompress it first"),
    (b"%PDF", "a PDF document, not a table"),
)

_log = logging.getLogger("netinnov.io")


def _read_bytes(path: Path, file: str) -> bytes:
    """The file's bytes: BOM removed, line endings normalised to ``\\n``, UTF-8 checked,
    text in Unicode NFC (see :func:`_normalise`)."""
    if not path.exists():
        if path.is_symlink():
            raise InputError(
                f"the file is a symbolic link to '{os.readlink(path)}', which does not exist", file, path=str(path)
            )
        raise InputError("required file is missing", file, path=str(path))
    if not path.is_file():  # a FIFO would block the read for ever; a folder or device is no table
        kind = "a folder" if path.is_dir() else "not a regular file (a named pipe, socket or device)"
        raise InputError(f"cannot read the file: it is {kind}", file, path=str(path))
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise InputError(f"cannot read the file ({reason})", file, path=str(path)) from err
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise InputError(f"the file is not a CSV text file: it is {what}", file, path=str(path))
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b"\x00" in data and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):  # with a BOM: _check_utf8 names UTF-16
        _null_bytes(data, file, str(path))
    _check_utf8(data, file, str(path))
    return _normalise(data, file)


def _null_bytes(data: bytes, file: str, path: str) -> None:
    """Raise InputError for UTF-16 without a byte-order mark: ASCII text in
    UTF-16 is valid UTF-8 with every other byte NUL. (A few NUL bytes in a
    text file are characters of its fields and pass.)"""
    head = data[:4000]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) <= 0.3 * (len(head) / 2):
        return
    order = "big-endian" if even > odd else "little-endian"
    raise InputError(
        f"the file holds NUL bytes between its characters: it looks like UTF-16 ({order}) without a "
        "byte-order mark. Re-save it as UTF-8 (in Excel: Save As > 'CSV UTF-8 (comma delimited)')",
        file,
        line=1,
        path=path,
    )


def _normalise(data: bytes, file: str) -> bytes:
    """Text in Unicode NFC, and byte-order marks inside the file removed (both logged).

    The same id typed two ways (``café`` with a composed ``é``, or ``e`` and a
    combining accent) is one id after NFC (Unicode Standard Annex #15); a
    byte-order mark inside the file (files joined after export) would else
    become part of the id or column name that follows it.
    """
    if data.isascii():
        return data
    text = data.decode("utf-8")
    marks = text.count("\ufeff")
    if marks:
        text = text.replace("\ufeff", "")
        _log.info("%s: %d byte-order mark%s inside the file removed", file, marks, "s" if marks != 1 else "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        _log.info("%s: text normalised to Unicode NFC (characters typed in decomposed form, e.g. 'e' and a "
                  "combining accent, now equal their composed form: such ids are one id)", file)
    elif not marks:
        return data
    return text.encode("utf-8")


def _check_utf8(data: bytes, file: str, path: str) -> None:
    """Raise InputError naming the line of the first byte that is not UTF-8."""
    if data.isascii():
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start : start + _CHUNK], final=start + _CHUNK >= len(data))
    except UnicodeDecodeError:
        pass
    else:
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        position = err.start
    else:  # pragma: no cover - the incremental decoder already failed
        return
    line = data.count(b"\n", 0, position) + 1
    column = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2000].count(b"\x00") > 10:
        guess = "it looks like UTF-16"
    else:
        guess = "it is probably Latin-1 / Windows-1252"
        column = _column_at(data, position)
    raise InputError(
        f"the file is not UTF-8 (byte 0x{data[position]:02x}); {guess}. "
        "Re-save it as UTF-8 (in Excel: Save As > 'CSV UTF-8 (comma delimited)')",
        file,
        line=line,
        column=column,
        path=path,
        column_from_data=True,  # a header cell (in a file without a header row, data)
    )


def _column_at(data: bytes, position: int) -> str | None:
    """The header name of the field holding byte ``position`` (all bytes before it are
    UTF-8); None when that byte is in the header or the field cannot be told.

    The record holding the byte starts after the last newline before it that is
    outside quotes (an even number of quote characters precede it), so that a
    byte inside a quoted field spanning lines is found in its own column.
    """
    head = np.frombuffer(data, dtype=np.uint8, count=position)
    outside = (np.cumsum(head == _QUOTE, dtype=np.int64) & 1) == 0
    ends = np.flatnonzero((head == _NEWLINE) & outside)
    record_start = int(ends[-1]) + 1 if ends.size else 0
    header = _first_nonblank_line(data[:record_start])
    if header is None:
        return None
    delimiter = _detect_delimiter(header, _sample_lines(data))
    names = next(csv.reader([header], **_dialect(delimiter)), [])
    prefix = data[record_start:position].decode("utf-8")
    index = len(next(csv.reader([prefix], **_dialect(delimiter)), [""])) - 1
    if 0 <= index < len(names):
        return names[index].strip().lstrip("\ufeff").strip() or f"unnamed_{index + 1}"
    return None


def _first_nonblank_line(data: bytes) -> str | None:
    """The first line that is not whitespace, or None when there is none."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end].decode("utf-8")
        if line.strip():
            return line
        start = end + 1
    return None


def _detect_delimiter(header: str, sample: list[str] | None = None) -> str:
    """The delimiter of a file: of the candidates found outside quotes in the
    header line, the one that splits most of the ``sample`` lines (the first
    data lines) into as many fields as the header; on a tie, the most
    frequent in the header. (The header alone would read a comma file with a
    ``|`` or ``;`` in a header cell as delimited by that character.)"""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = [unquoted.count(d) for d in DELIMITERS]
    if max(counts) == 0:
        return ","
    lines = [re.sub(r'"[^"]*"', "", line) for line in (sample or [])]

    def score(i: int) -> tuple[int, int]:
        d = DELIMITERS[i]
        return sum(line.count(d) == counts[i] for line in lines), counts[i]

    return DELIMITERS[max((i for i, c in enumerate(counts) if c), key=score)]


def _sample_lines(data: bytes, n: int = 20) -> list[str]:
    """Up to ``n`` non-blank lines after the first non-blank one (for :func:`_detect_delimiter`)."""
    head = data[: 1 << 16].decode("utf-8", errors="replace").split("\n")
    lines = [line for line in head[:-1] if line.strip()] if len(head) > 1 else []
    return lines[1 : n + 1]


def _header_names(fields: list[str], file: str, path: str, line: int) -> list[str]:
    given = [name.strip().lstrip("\ufeff").strip() for name in fields]
    literal = set(given)
    names = []
    for position, name in enumerate(given, start=1):
        if not name:  # an empty header cell: a name that no header cell spells
            name = f"unnamed_{position}"
            while name in literal:
                name += "_"
        names.append(name)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(
                "the header names this column twice", file, line=line, column=name, path=path,
                column_from_data=True,
            )
        seen.add(name)
    return names


# --------------------------------------------------------------------------- fast path
def _parse_arrow(
    buffer: pa.Buffer, ncols: int, delimiter: str, quoted_newlines: bool
) -> tuple[pa.Table, int] | None:
    """Parse the records after the header with pyarrow, every field as text.

    Returns the table of the records with ``ncols`` fields and the number of
    records skipped for another number of fields; None when pyarrow cannot
    parse the quoting.
    """
    invalid = [0]

    def _on_invalid(row: pacsv.InvalidRow) -> str:
        invalid[0] += 1
        return "skip"

    names = [f"f{i}" for i in range(ncols)]
    try:
        table = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=quoted_newlines,
                ignore_empty_lines=True,
                invalid_row_handler=_on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return table, invalid[0]


def _read_plain(data: bytes, delimiter: str, file: str, path: str) -> _Parsed | None:
    """The common case without scanning the bytes: no quote character, the
    header on line 1, and every later line a record with the header's number
    of fields. Record ``i`` is then line ``i + 2``. None in any other case,
    which :func:`_read_fast` handles in full."""
    end = data.find(b"\n")
    if end < 0 or end + 1 >= len(data) or b'"' in data:
        return None
    header = data[:end].decode("utf-8")
    if not header.strip():
        return None
    columns = _header_names(next(csv.reader([header], **_dialect(delimiter))), file, path, 1)
    n_lines = data.count(b"\n", end + 1) + (0 if data.endswith(b"\n") else 1)
    if is_wide(n_lines, len(columns)) and n_lines * len(columns) <= SPLIT_CELLS:
        return _split_plain(data[end + 1 :], columns, n_lines, delimiter, file, path)
    parsed = _parse_arrow(pa.py_buffer(data)[end + 1 :], len(columns), delimiter, False)
    if parsed is None or parsed[1] or parsed[0].num_rows != n_lines:
        return None  # blank or malformed lines: their line numbers need the full scan
    table = parsed[0]
    arrays = [table.column(i) for i in range(len(columns))]
    line = np.arange(2, n_lines + 2, dtype=np.int64)
    return _Parsed(file, path, columns, arrays, line, [], [], delimiter, 1, "pyarrow")


def _split_plain(
    body: bytes, columns: list[str], n_lines: int, delimiter: str, file: str, path: str
) -> _Parsed | None:
    """:func:`_read_plain` for a wide file: the lines split with ``str.split``
    into one row-major array of fields. Without quotes a field is the text
    between two delimiters, as pyarrow reads it; None when some line (a blank
    one included) has another number of fields than the header."""
    ncols = len(columns)
    lines = body.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != n_lines:  # pragma: no cover - counted the same way
        return None
    fields: list[str] = []
    for text in lines:
        row = text.split(delimiter)
        if len(row) != ncols:
            return None
        fields.extend(row)
    grid = pa.array(fields, type=pa.string())
    line = np.arange(2, n_lines + 2, dtype=np.int64)
    return _Parsed(file, path, columns, [], line, [], [], delimiter, 1, "pyarrow", grid=grid)


def _read_fast(data: bytes, delimiter: str, file: str, path: str) -> _Parsed | None:
    """Parse with pyarrow; None when the quoting needs the csv module."""
    plain = _read_plain(data, delimiter, file, path)
    if plain is not None:
        return plain
    arr = np.frombuffer(data, dtype=np.uint8)
    is_newline = arr == _NEWLINE
    newlines = np.flatnonzero(is_newline)
    outside: np.ndarray | None = None
    if b'"' in data:
        is_quote = arr == _QUOTE
        quotes = np.flatnonzero(is_quote)
        if quotes.size % 2:
            return None  # an unterminated quote
        boundary = (_NEWLINE, ord(delimiter), _QUOTE)
        opening, closing = quotes[0::2], quotes[1::2]
        before = arr[np.maximum(opening - 1, 0)]
        after = arr[np.minimum(closing + 1, arr.size - 1)]
        if not (
            np.all(np.isin(before, boundary) | (opening == 0))
            and np.all(np.isin(after, boundary) | (closing == arr.size - 1))
        ):
            return None  # a quote inside an unquoted field, or text after a closing quote
        # parity of the number of quotes up to each byte: 1 inside a quoted field
        outside = (np.cumsum(is_quote, dtype=np.uint8) & 1) == 0
        terminators = np.flatnonzero(is_newline & outside)
    else:
        terminators = newlines
    quoted_newlines = terminators.size != newlines.size

    ends = terminators
    if arr.size and arr[-1] != _NEWLINE:
        ends = np.append(terminators, arr.size)
    starts = np.concatenate([[0], terminators + 1])[: ends.size]
    if quoted_newlines:
        lines = np.searchsorted(newlines, starts) + 1
    else:
        lines = np.arange(1, ends.size + 1)
    lengths = ends - starts

    def field_counts(rows: slice) -> np.ndarray:
        """Fields per record (delimiters outside quotes + 1), computed when needed."""
        is_delim = arr == ord(delimiter)
        delims = np.flatnonzero(is_delim if outside is None else is_delim & outside)
        return np.searchsorted(delims, ends[rows]) - np.searchsorted(delims, starts[rows]) + 1

    # header: the first record that is not whitespace
    h = 0
    while lengths[h] == 0 or not data[starts[h] : ends[h]].decode("utf-8").strip():
        h += 1
    header_fields = next(
        csv.reader([data[starts[h] : ends[h]].decode("utf-8")], **_dialect(delimiter))
    )
    columns = _header_names(header_fields, file, path, int(lines[h]))
    ncols = len(columns)

    body = slice(h + 1, ends.size)
    b_starts, b_ends, b_lines = starts[body], ends[body], lines[body]
    empty = lengths[body] == 0
    good = ~empty
    bad = np.zeros(good.size, dtype=bool)

    if good.any():
        parsed = _parse_arrow(pa.py_buffer(data)[int(b_starts[0]) :], ncols, delimiter, quoted_newlines)
        if parsed is None:
            return None
        table, invalid = parsed
        if invalid:  # some records have another number of fields: find them
            nfields = field_counts(body)
            good = (nfields == ncols) & ~empty
            bad = ~good & ~empty
        if table.num_rows != int(good.sum()) or invalid != int(bad.sum()):
            return None
        arrays = [table.column(i) for i in range(ncols)]
    else:
        arrays = [pa.array([], pa.string()) for _ in columns]
    line = b_lines[good].astype(np.int64)

    malformed_rows: list[list[str]] = []
    malformed_lines: list[int] = []
    for s, e, ln in zip(b_starts[bad], b_ends[bad], b_lines[bad], strict=True):
        fields = next(csv.reader([data[s:e].decode("utf-8")], **_dialect(delimiter)), [])
        if all(not f.strip() for f in fields):
            continue
        malformed_rows.append(fields)
        malformed_lines.append(int(ln))
    return _Parsed(
        file,
        path,
        columns,
        arrays,
        line,
        malformed_rows,
        malformed_lines,
        delimiter,
        int(lines[h]),
        "pyarrow",
    )


def _dialect(delimiter: str) -> dict:
    return {"delimiter": delimiter, "quotechar": '"', "doublequote": True, "strict": False}


# --------------------------------------------------------------------------- csv module
#: Stands for a backslash-escaped quote while a file is parsed (a private-use character).
_ESCAPED = "\ue001"


def _parses_strictly(text: str, delimiter: str) -> bool:
    """Whether the csv module reads ``text`` without any irregular quoting."""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), **{**_dialect(delimiter), "strict": True}):
            pass
    except csv.Error:
        return False
    return True


def _backslash_dialect(text: str, delimiter: str, file: str) -> bool:
    """Whether ``text`` escapes quotes with a backslash: it holds ``\\"``, the
    standard reading (doubled quotes) fails on it, and reading ``\\"`` as an
    escaped quote parses the whole file."""
    if '\\"' not in text or _ESCAPED in text or _parses_strictly(text, delimiter):
        return False
    if not _parses_strictly(text.replace('\\"', _ESCAPED), delimiter):
        return False
    _log.info('%s: quotes inside fields are escaped with a backslash (\\"), not doubled: read that way', file)
    return True


def _unescape(fields: list[str]) -> list[str]:
    return [f.replace(_ESCAPED, '"') for f in fields]


def _read_python(data: bytes, delimiter: str, file: str, path: str) -> _Parsed:
    """Parse with the csv module, tracking the physical line of each record.

    A file in the backslash dialect (see :func:`_backslash_dialect`) is read
    with every ``\\"`` standing for a quote. In a file in neither dialect,
    a record that holds ``\\"`` and does not parse strictly is set aside
    (``escaped_quote``), its fields read the backslash way.
    """
    text = data.decode("utf-8")
    backslash = _backslash_dialect(text, delimiter, file)
    if backslash:
        text = text.replace('\\"', _ESCAPED)
    physical = text.split("\n") if not backslash and '\\"' in text else None
    escaped: list[int] = []
    reader = csv.reader(io.StringIO(text + "\n" + _END, newline=""), **_dialect(delimiter))
    previous = 0
    start = 1
    columns: list[str] | None = None
    header_line = 1
    good_rows: list[list[str]] = []
    good_lines: list[int] = []
    malformed_rows: list[list[str]] = []
    malformed_lines: list[int] = []
    ended = False
    limit = csv.field_size_limit(2**31 - 1)  # no limit on a field's size, as in pyarrow
    try:
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if record == [_END]:
                ended = True
                break
            if columns is None:
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue
                if record[-1].endswith(_END):
                    break  # the header itself opens a quote that never closes
                columns = _header_names(_unescape(record) if backslash else record, file, path, start)
                header_line = start
                continue
            if not record:
                continue
            if record[-1].endswith(_END):
                break  # handled below: the record swallowed the rest of the file
            if backslash:
                record = _unescape(record)
            elif physical is not None and (bad := _mangled(physical[start - 1 : previous], delimiter)):
                malformed_rows.append(bad)
                malformed_lines.append(start)
                escaped.append(start)
                continue
            if len(record) == len(columns):
                good_rows.append(record)
                good_lines.append(start)
            elif any(f.strip() for f in record):
                malformed_rows.append(record)
                malformed_lines.append(start)
    except csv.Error as err:  # pragma: no cover - the non-strict reader has no other error
        raise InputError(
            "cannot parse the file from this line on; look for a quote that is not closed",
            file,
            line=previous + 1,
            path=path,
            detail=f"the parser says: {err}",
        ) from err
    finally:
        csv.field_size_limit(limit)
    unclosed: tuple[int, str | None] | None = None
    if not ended:  # the last record ends inside a quote that is never closed
        if columns is None:
            raise InputError(
                "a quote opened in the header is never closed; close or remove it",
                file,
                line=start,
                path=path,
            )
        record[-1] = record[-1][: -len(_END)].removesuffix("\n")
        record = _unescape(record)
        if any(f.strip() for f in record):  # else a lone quote: a blank line
            position = len(record) - 1
            column = columns[position] if position < len(columns) else None
            malformed_rows.append(record)
            malformed_lines.append(start)
            unclosed = (start, column)
    assert columns is not None
    if good_rows:
        fields = list(zip(*good_rows, strict=True))
        arrays = [pa.array(fields[i], type=pa.string()) for i in range(len(columns))]
    else:
        arrays = [pa.array([], pa.string()) for _ in columns]
    line = np.asarray(good_lines, dtype=np.int64)
    return _Parsed(
        file,
        path,
        columns,
        arrays,
        line,
        malformed_rows,
        malformed_lines,
        delimiter,
        header_line,
        "python",
        unclosed,
        tuple(escaped),
        backslash,
    )


def _mangled(lines: list[str], delimiter: str) -> list[str] | None:
    """The fields, read the backslash way, of a record (its physical lines) that
    holds ``\\"`` and that the standard dialect reads only by mangling it;
    None for any other record."""
    raw = "\n".join(lines)
    if '\\"' not in raw or _parses_strictly(raw, delimiter):
        return None
    fields = next(csv.reader(io.StringIO(raw.replace('\\"', _ESCAPED), newline=""), **_dialect(delimiter)), [])
    return _unescape(fields)


# --------------------------------------------------------------------------- shared
@dataclass
class _Parsed:
    """What a parser found, before the text is encoded (see :func:`_finish`)."""

    file: str
    path: str
    columns: list[str]
    arrays: list  # one arrow text array per column; emptied by _finish
    line: np.ndarray
    malformed_rows: list[list[str]]
    malformed_lines: list[int]
    delimiter: str
    header_line: int
    engine: str
    unclosed_quote: tuple[int, str | None] | None = None
    escaped_quote: tuple[int, ...] = ()
    backslash_escapes: bool = False
    grid: pa.Array | None = None  # instead of ``arrays``: every field, row by row


def _finish(parsed: _Parsed) -> RawTable:
    """Encode the columns, drop records whose fields are all empty, assemble the table.

    Each column's arrow text is released as soon as it is encoded, so that at
    most one column is held both as text and as codes.
    """
    if parsed.grid is not None or is_wide(len(parsed.line), len(parsed.columns)):
        return _finish_block(parsed)
    values: dict[str, TextColumn] = {}
    texts: dict[str, RawText] = {}
    wrapped = 0
    for col in parsed.columns:
        array, n = _unwrap_excel_text(parsed.arrays.pop(0))
        wrapped += n
        values[col], texts[col] = encode_raw(array)
    _log_wrapped(parsed.file, wrapped)
    line = parsed.line
    nonblank = np.zeros(len(line), dtype=bool)
    for column in values.values():
        nonblank |= column.codes >= 0
    if not nonblank.all():
        texts = {col: text.take(nonblank) for col, text in texts.items()}
        values = {col: column.take(nonblank) for col, column in values.items()}
        line = line[nonblank]
    return _table(parsed, texts, values, line)


def _log_wrapped(file: str, wrapped: int) -> None:
    if wrapped:
        _log.info('%s: %d field%s written as an Excel text formula (="0012") read as the text inside',
                  file, wrapped, "s" if wrapped != 1 else "")


def _finish_block(parsed: _Parsed) -> RawTable:
    """:func:`_finish` for a wide file: every field encoded at once (a :class:`TextBlock`)."""
    n, k = len(parsed.line), len(parsed.columns)
    if parsed.grid is not None:
        flat, row_major = parsed.grid, True
    else:
        chunks = [chunk for array in parsed.arrays for chunk in _chunks(array)]
        parsed.arrays.clear()
        flat = pa.concat_arrays(chunks) if chunks else pa.array([], pa.string())
        row_major = False
        del chunks
    parsed.grid = None
    flat, wrapped = _unwrap_excel_text(flat)
    _log_wrapped(parsed.file, wrapped)
    block = TextBlock.from_flat(flat, n, k, row_major=row_major)
    del flat
    line = parsed.line
    nonblank = block.nonblank()
    if not nonblank.all():
        block = block.take(nonblank)
        line = line[nonblank]
    values = _BlockColumns(parsed.columns, block, "values")
    texts = _BlockColumns(parsed.columns, block, "texts")
    return _table(parsed, texts, values, line, block)  # type: ignore[arg-type]


def _chunks(array) -> list:
    if isinstance(array, pa.ChunkedArray):
        return [c.cast(pa.string()) if c.type != pa.string() else c for c in array.chunks]
    return [array.cast(pa.string()) if array.type != pa.string() else array]


def _table(parsed: _Parsed, texts, values, line: np.ndarray, block: TextBlock | None = None) -> RawTable:
    return RawTable(
        parsed.file,
        parsed.path,
        parsed.columns,
        texts,
        values,
        line,
        parsed.malformed_rows,
        parsed.malformed_lines,
        parsed.delimiter,
        parsed.header_line,
        parsed.engine,
        parsed.unclosed_quote,
        parsed.escaped_quote,
        parsed.backslash_escapes,
        block,
    )


#: Excel's way to keep a field as text (leading zeros): ``="0012"`` (quotes inside doubled).
_EXCEL_TEXT = r'^\s*="((?:[^"]|"")*)"\s*$'


def _unwrap_excel_text(array):
    """``="0012"`` fields as the text inside (``0012``), and how many there were."""
    matches = pc.match_substring_regex(array, _EXCEL_TEXT)
    n = pc.sum(matches).as_py() or 0
    if not n:
        return array, 0
    inner = pc.replace_substring(pc.replace_substring_regex(array, _EXCEL_TEXT, r"\1"), '""', '"')
    return pc.if_else(matches, inner, array), n


def _malformed_frame(
    columns: list[str], rows: list[list[str]], lines: list[int], delimiter: str
) -> pd.DataFrame:
    ncols = len(columns)
    if ncols >= WIDE_COLUMNS and rows:
        return _malformed_block(columns, rows, lines, delimiter)
    out: dict[str, object] = {"line": np.asarray(lines, dtype=np.int64)}
    for i, col in enumerate(columns):
        out[col] = pd.Series([r[i] if i < len(r) else "" for r in rows], dtype=STRING)
    if any(len(r) > ncols for r in rows):
        out[EXTRA_FIELDS] = pd.Series([delimiter.join(r[ncols:]) for r in rows], dtype=STRING)
    return pd.DataFrame(out)


def _malformed_block(
    columns: list[str], rows: list[list[str]], lines: list[int], delimiter: str
) -> pd.DataFrame:
    """:func:`_malformed_frame` of a wide file: all fields in one arrow array."""
    ncols, m = len(columns), len(rows)
    padded = [r[:ncols] + [""] * (ncols - len(r)) for r in rows]
    flat = pa.array([padded[i][j] for j in range(ncols) for i in range(m)], type=pa.large_string())
    arrays = [np.asarray(lines, dtype=np.int64)] + [string_array(flat.slice(j * m, m)) for j in range(ncols)]
    names = ["line", *columns]
    if any(len(r) > ncols for r in rows):
        arrays.append(string_array(pa.array([delimiter.join(r[ncols:]) for r in rows], type=pa.large_string())))
        names.append(EXTRA_FIELDS)
    return pd.DataFrame._from_arrays(arrays, columns=pd.Index(names), index=pd.RangeIndex(m), verify_integrity=False)
