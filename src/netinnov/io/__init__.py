"""Reading and validating input datasets (SPEC.md "Input" and "Bad input").

``validate_wave`` reads every input file of a wave, applies the row rules of
:mod:`netinnov.io.rules` (vectorised over whole files) and returns a
:class:`WaveData`: the accepted rows, typed; the rejected rows with file, line
and reason; and a summary in which accepted + rejected = rows read for every
file. Structural errors raise :class:`InputError`.

Modules: ``read`` (CSV as text with physical line numbers), ``values``
(typing text), ``checks`` and ``rules`` (row rules), ``registry`` (actors
known at each wave), ``waves`` (wave discovery), ``wave`` (a whole wave and
dataset), ``summary``, ``store`` (parquet/CSV results), ``command``
(``netinnov validate``).
"""

from .checker import WRONG_FIELDS, FileResult
from .errors import InputError
from .read import STRING, RawTable, read_raw_table
from .rules import LEADERSHIP_ROLES, PHASES
from .store import read_validated, write_validated
from .summary import format_summary, summary_frame
from .validate import ON_BAD_ROWS, WaveData, validate_dataset, validate_wave
from .values import MISSING_TOKENS
from .wave_order import discover_waves, natural_key

__all__ = [
    "MISSING_TOKENS",
    "ON_BAD_ROWS",
    "PHASES",
    "LEADERSHIP_ROLES",
    "STRING",
    "WRONG_FIELDS",
    "FileResult",
    "InputError",
    "RawTable",
    "WaveData",
    "discover_waves",
    "format_summary",
    "natural_key",
    "read_raw_table",
    "read_validated",
    "summary_frame",
    "validate_dataset",
    "validate_wave",
    "write_validated",
]
