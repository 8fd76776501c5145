"""The registry of import formats: name, file extensions, reader.

A reader is ``read(path, options) -> (networks, account)``: a list of
:class:`~netinnov.io.importers.model.ImportedNetwork` (one per case and wave
the file holds; most formats hold one, a survey export or egor tables may
hold many, with ``case``/``wave`` set) and the
:class:`~netinnov.io.importers.model.FileAccount` of the file — or a list of
accounts, one per file, for a format read from several files at once (egor).
A new format is one module that calls :func:`register` and one import line
in ``importers/__init__.py``. A format registered with no extensions is only
chosen with ``--format``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model import FileAccount, ImportedNetwork, ImportFileError, ReadOptions

__all__ = ["FORMATS", "Format", "detect_format", "register"]

Reader = Callable[[Path, ReadOptions], tuple[list[ImportedNetwork], "FileAccount | list[FileAccount]"]]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    reader: Reader
    description: str


#: Formats by name, in registration order.
FORMATS: dict[str, Format] = {}


def register(name: str, extensions: tuple[str, ...], description: str) -> Callable[[Reader], Reader]:
    """Decorator: register ``reader`` as format ``name`` for ``extensions``
    (lower case, with the dot)."""

    def wrap(reader: Reader) -> Reader:
        for other in FORMATS.values():
            clash = set(other.extensions) & set(extensions)
            if clash:
                raise ValueError(f"extension {sorted(clash)} already registered by format {other.name}")
        FORMATS[name] = Format(name, tuple(extensions), reader, description)
        return reader

    return wrap


def detect_format(path: Path, override: str | None = None) -> Format:
    """The format named by ``override``, else the one registered for the file
    extension (case-insensitive)."""
    if override:
        if override not in FORMATS:
            raise ImportFileError(path, None, f"unknown format {override!r}; known: {', '.join(FORMATS)}")
        return FORMATS[override]
    suffix = path.suffix.lower()
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(f"{f.name} ({' '.join(f.extensions) or 'no extension: --format ' + f.name})"
                      for f in FORMATS.values())
    raise ImportFileError(path, None, f"no format for extension {suffix or '(none)'!r}; use --format, one of: {known}")
