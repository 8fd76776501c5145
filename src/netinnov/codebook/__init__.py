"""The codebook of the result tables, their Frictionless Data Package and the run's methods paragraph.

:mod:`netinnov.codebook.columns` defines every column (the one place);
:mod:`netinnov.codebook.package` writes ``datapackage.json``;
:mod:`netinnov.codebook.methods` writes ``methods.md``. The command is
``netinnov codebook``; the page ``reports/codebook.html`` is
:mod:`netinnov.reports.codebook`.
"""

from netinnov.codebook.columns import TABLES, Column, Table, lookup, table_for
from netinnov.codebook.methods import methods_text, software_versions, write_methods
from netinnov.codebook.package import datapackage, input_columns, write_datapackage

__all__ = [
    "TABLES",
    "Column",
    "Table",
    "datapackage",
    "input_columns",
    "lookup",
    "methods_text",
    "software_versions",
    "table_for",
    "write_datapackage",
    "write_methods",
]
