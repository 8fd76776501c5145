"""``netinnov import``: network files researchers have -> a dataset of the
input contract (SPEC.md "Input"; docs/import.md).

Modules: ``model`` (what a reader returns, the account of every record),
``registry`` (formats by name and extension), one reader per format —
``pajek`` (Pajek ``.net``), ``graphml`` (GraphML), ``ucinet_dl`` (UCINET DL),
``edgelist`` (plain csv/tsv edge lists), ``survey`` (wide name-generator
survey exports, ``--format survey``), ``egor`` (egor's egos, alters and
alter-alter ties tables, ``--format egor``) —, ``writer`` (the contract files)
and ``command`` (the command line). A new format is one module registering
its reader, imported here.
"""

from . import edgelist, egor, graphml, pajek, survey, ucinet_dl  # noqa: F401  (register the formats)
from .command import import_files
from .model import Edge, FileAccount, ImportedNetwork, ImportFileError, ReadOptions, Rejection
from .registry import FORMATS, detect_format, register
from .writer import write_dataset

__all__ = [
    "FORMATS",
    "Edge",
    "FileAccount",
    "ImportFileError",
    "ImportedNetwork",
    "ReadOptions",
    "Rejection",
    "detect_format",
    "import_files",
    "register",
    "write_dataset",
]
