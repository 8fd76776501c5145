"""The ``netinnov validate`` command: validate a dataset and print the summary."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError
from .store import write_validated
from .summary import format_summary
from .validate import validate_dataset

__all__ = ["validate_command"]


def validate_command(
    *, dataset: Path, waves: list[str] | None = None, on_bad_rows: str = "quarantine",
    group_attribute: str = "sector", directed: bool = False, out: Path | None = None,
) -> int:  # fmt: skip
    """Validate, print the summary (and with ``out`` write each valid wave under
    ``out/waves/<wave>/``); 1 when a wave stopped (structural error or, with
    ``on_bad_rows="fail"``, a bad row), else 0. ``waves`` may be comma-separated."""
    if waves:
        waves = [w for item in waves for w in item.replace(",", " ").split() if w]
    else:
        waves = None
    try:
        results, text = validate_dataset(
            dataset,
            waves=waves,
            on_bad_rows=on_bad_rows,
            group_attribute=group_attribute,
            directed=directed,
        )
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if out is None:  # nothing is written: say how to get rejected.csv
        text = format_summary(results, dataset, rejected_written=False)
    print(text)
    if out is not None:
        for wave, data in results.items():
            if not isinstance(data, InputError):
                write_validated(data, Path(out) / "waves" / wave)
    return 1 if any(isinstance(r, InputError) for r in results.values()) else 0
