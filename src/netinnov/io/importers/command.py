"""The ``netinnov import`` command: network files -> a dataset of the input
contract (docs/import.md)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .model import FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import FORMATS, detect_format
from .writer import WAVE_NAME, DatasetSummary, write_dataset

__all__ = ["add_arguments", "default_case_wave", "import_files", "run"]

DEFAULT_WAVE = "w1"
_EXPORT_NAME = re.compile(r"^network_([A-Za-z0-9_-]+)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``import`` options to ``parser``."""
    parser.add_argument(
        "sources", nargs="+", type=Path, metavar="SOURCE",
        help="network files, one case in one wave each, e.g. case01.net survey.graphml",
    )  # fmt: skip
    parser.add_argument("--out", required=True, type=Path,
                        help="dataset directory to write (must not hold a dataset yet), e.g. --out data/mine")
    parser.add_argument(
        "--format", choices=sorted(FORMATS),
        help="format of every SOURCE (default: from the extension: "
        + "; ".join(f"{f.name} {' '.join(f.extensions)}" for f in FORMATS.values()) + "), e.g. --format dl",
    )  # fmt: skip
    parser.add_argument(
        "--case", action="append", metavar="CASE",
        help="case of the files: once for all, or once per SOURCE in order (default: GraphML graph id, "
        "for exports/<case>/network_<wave>.net the folder, else the file name without extension), "
        "e.g. --case case01",
    )  # fmt: skip
    parser.add_argument(
        "--wave", action="append", metavar="WAVE",
        help=f"wave of the files: once for all, or once per SOURCE in order (default: from "
        f"waves/<wave>/networks/ or network_<wave>.net, else {DEFAULT_WAVE}), e.g. --wave 2024",
    )  # fmt: skip
    parser.add_argument(
        "--directed", action=argparse.BooleanOptionalAction, default=None,
        help="for formats that do not say (edge lists, DL): records are directed (--directed) or "
        "undirected (--undirected is --no-directed); default: directed, a symmetric DL matrix undirected; "
        "e.g. --no-directed",
    )  # fmt: skip
    parser.add_argument("--undirected", dest="directed", action="store_false", default=None,
                        help="same as --no-directed")
    parser.add_argument(
        "--header", action=argparse.BooleanOptionalAction, default=None,
        help="edge lists: the first line is a header (default: detected from names such as source,target), "
        "e.g. --no-header",
    )  # fmt: skip
    parser.add_argument("--delimiter", help="edge lists: field separator (default: detected), e.g. --delimiter ';'")
    parser.add_argument("--group-attribute", default="sector",
                        help="actors.csv group column (default: sector), e.g. --group-attribute sector")
    parser.add_argument("--missing-group", default="unknown",
                        help="group value of actors without one (default: unknown), e.g. --missing-group other")


def default_case_wave(path: Path, case: str | None) -> tuple[str, str]:
    """The case and wave of a file when the command line does not say.

    ``results/<d>/waves/<wave>/networks/<case>.graphml`` (netinnov's GraphML),
    ``exports/<case>/network_<wave>.net`` (netinnov's Pajek), else the file's
    case (GraphML graph id) or name and wave ``w1``."""
    parts = path.resolve().parts
    wave = DEFAULT_WAVE
    if len(parts) >= 4 and parts[-2] == "networks" and parts[-4] == "waves":
        wave = parts[-3]
    found = _EXPORT_NAME.match(path.stem)
    if found:
        return case or path.resolve().parent.name, found.group(1)
    return case or path.stem, wave


def _per_source(values: list[str] | None, n: int, what: str) -> list[str | None]:
    if not values:
        return [None] * n
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise ImportFileError("command line", None, f"--{what} given {len(values)} times for {n} files "
                              "(give it once, or once per file)")
    return list(values)


def import_files(
    sources: list[Path], out: Path, *, fmt: str | None = None, cases: list[str] | None = None,
    waves: list[str] | None = None, options: ReadOptions | None = None,
    group_attribute: str = "sector", missing_group: str = "unknown",
) -> tuple[list[FileAccount], DatasetSummary]:
    """Read every source and write the dataset; returns the accounts and the
    writer's summary. Raises :class:`ImportFileError` on a file that cannot be
    read at all (nothing is written then)."""
    options = options or ReadOptions()
    if (out / "actors.csv").exists() or (out / "waves").exists():
        raise ImportFileError(out, None, "already holds a dataset (actors.csv or waves/); choose a new --out")
    case_args = _per_source(cases, len(sources), "case")
    wave_args = _per_source(waves, len(sources), "wave")
    networks: list[ImportedNetwork] = []
    accounts: list[FileAccount] = []
    seen: dict[tuple[str, str], str] = {}
    for path, case, wave in zip(sources, case_args, wave_args, strict=True):
        if not path.is_file():
            raise ImportFileError(path, None, "no such file")
        nets, account = detect_format(path, fmt).reader(path, options)
        accounts.append(account)
        for net in nets:
            default_case, default_wave = default_case_wave(path, net.case)
            net.case = case or default_case
            net.wave = wave or net.wave or default_wave
            if not net.case or not net.case.strip():
                raise ImportFileError(path, None, "empty case id; give --case")
            if not WAVE_NAME.match(net.wave):
                raise ImportFileError(path, None, "wave names are letters, digits, '-' and '_'; give --wave")
            key = (net.case, net.wave)
            if key in seen:
                raise ImportFileError(path, None, f"the same case and wave as {seen[key]}; give --case or --wave")
            seen[key] = str(path)
            networks.append(net)
    summary = write_dataset(networks, accounts, out, group_attribute=group_attribute, missing_group=missing_group)
    return accounts, summary


def format_summary(accounts: list[FileAccount], summary: DatasetSummary, out: Path) -> str:
    """The per-file account, notes and what was written, as printed by the command."""
    lines = []
    total_read = total_ok = total_bad = 0
    for a in accounts:
        lines.append(f"{a.file}: read {a.read} = accepted {a.accepted} + rejected {len(a.rejected)}")
        for reason, n in sorted(a.reasons().items()):
            lines.append(f"    rejected, {reason}: {n}")
        for note in a.notes:
            lines.append(f"    note: {note}")
        total_read, total_ok, total_bad = total_read + a.read, total_ok + a.accepted, total_bad + len(a.rejected)
    lines.append(f"total: read {total_read} = accepted {total_ok} + rejected {total_bad}"
                 f" (reasons per line in {out / 'import_rejected.csv'})")
    lines += [f"note: {note}" for note in summary.notes]
    waves = ", ".join(f"{w} ({n} interaction rows)" for w, n in summary.rows.items())
    lines.append(f"wrote {out}: {summary.actors} actors; waves {waves}")
    lines.append(f"directed: {'true' if summary.directed else 'false'} — run with "
                 f"--configfile {out / 'import_config.yaml'} (or --config directed="
                 f"{'true' if summary.directed else 'false'}); check with: netinnov validate {out}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Import, print the summary; 1 on a file that cannot be imported."""
    options = ReadOptions(directed=args.directed, header=args.header, delimiter=args.delimiter)
    try:
        accounts, summary = import_files(
            list(args.sources), args.out, fmt=args.format, cases=args.case, waves=args.wave, options=options,
            group_attribute=args.group_attribute, missing_group=args.missing_group,
        )  # fmt: skip
    except (ImportFileError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(format_summary(accounts, summary, args.out))
    return 0
