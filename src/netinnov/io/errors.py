"""The one exception for input that cannot be used at all (a structural error)."""

from __future__ import annotations

__all__ = ["BadRowError", "InputError"]


class InputError(Exception):
    """A structural problem with an input file that stops the wave.

    A missing required file or column, a file that cannot be read, that is not
    UTF-8 or that is empty; also, with ``on_bad_rows: fail``, the first bad row.

    Parameters
    ----------
    message
        What is wrong and, where it helps, what to do about it.
    file
        The file's path relative to the dataset directory (``actors.csv``,
        ``waves/w1/interactions.csv``), or ``None`` when no single file is at fault.
    line
        Physical line number in the file (the header is line 1), when relevant.
    column
        The column at fault, when relevant.
    path
        The full path of the file as given (used in the message); defaults to ``file``.
    detail
        The part of the message quoted from the file (header cells, a parser's
        excerpt), appended to ``message`` after ``; ``; left out by :meth:`redacted`.
    column_from_data
        True when ``column`` is a cell of the file's header rather than a
        column name the contract defines (a header cell may be data, e.g. an
        id in a file without a header row); :meth:`redacted` leaves it out.
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        path: str | None = None,
        detail: str | None = None,
        column_from_data: bool = False,
    ) -> None:
        self.message = message
        self.detail = detail
        self.column_from_data = bool(column_from_data)
        self.file = file
        self.line = None if line is None else int(line)
        self.column = column
        self.path = path if path is not None else file
        super().__init__(self._text())

    def _text(self, *, redact: bool = False) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None and not (redact and self.column_from_data):
            where.append(f"column '{self.column}'")
        message = self.message
        if self.detail and not redact:
            message = f"{message}; {self.detail}"
        elif redact and (self.detail or (self.column is not None and self.column_from_data)):
            message = f"{message} (text quoted from the file left out: the run is pseudonymised)"
        return f"{', '.join(where)}: {message}" if where else message

    def redacted(self) -> str:
        """The message without anything quoted from the file (``detail``, a
        header cell as the column): for the logs of a pseudonymised run, where
        no raw field may be written."""
        return self._text(redact=True)

    def __str__(self) -> str:
        return self._text()

    def __reduce__(self):  # keep the attributes when pickled (e.g. by pytest-xdist)
        return (type(self), (self.message, self.file, self.line, self.column, self.path, self.detail,
                             self.column_from_data))


class BadRowError(InputError):
    """With ``on_bad_rows: fail``: the first bad row of a wave stopped it (not a
    structural problem of the file; with ``quarantine`` the row would go to
    ``rejected.csv``)."""
