"""The ``netinnov validate`` command: validate a dataset and print the summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import InputError
from .store import write_validated
from .summary import format_summary
from .validate import ON_BAD_ROWS, validate_dataset

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``validate`` options to ``parser``."""
    parser.add_argument("dataset", type=Path, help="dataset directory (see SPEC.md 'Input')")
    parser.add_argument(
        "--waves",
        nargs="+",
        metavar="WAVE",
        help="waves to validate, in order (space- or comma-separated); "
        "default: every wave folder in natural order",
    )
    parser.add_argument(
        "--on-bad-rows",
        choices=ON_BAD_ROWS,
        default="quarantine",
        help="quarantine: set bad rows aside in rejected.csv (default); fail: stop at the first",
    )
    parser.add_argument(
        "--group-attribute",
        default="sector",
        help="actors.csv column used as group (default: sector)",
    )
    parser.add_argument(
        "--directed",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="records are directed reports (validation is the same either way)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="results directory of the dataset (results/<dataset>); when given, each valid "
        "wave's validated tables, rejected.csv and summary are written under waves/<wave>/",
    )


def run(args: argparse.Namespace) -> int:
    """Validate, print the summary; 1 when a wave stopped (structural error or, with
    ``--on-bad-rows fail``, a bad row), else 0."""
    waves = None
    if args.waves:
        waves = [w for item in args.waves for w in item.replace(",", " ").split() if w]
    try:
        results, text = validate_dataset(
            args.dataset,
            waves=waves,
            on_bad_rows=args.on_bad_rows,
            group_attribute=args.group_attribute,
            directed=args.directed,
        )
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    out = getattr(args, "out", None)
    if out is None:  # nothing is written: say how to get rejected.csv
        text = format_summary(results, args.dataset, rejected_written=False)
    print(text)
    if out is not None:
        for wave, data in results.items():
            if not isinstance(data, InputError):
                write_validated(data, Path(args.out) / "waves" / wave)
    return 1 if any(isinstance(r, InputError) for r in results.values()) else 0


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - thin wrapper
    parser = argparse.ArgumentParser(prog="netinnov validate", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
