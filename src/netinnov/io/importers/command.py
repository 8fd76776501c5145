"""The ``netinnov import`` command: network files -> a dataset of the input
contract (docs/import.md)."""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

from . import egor, survey
from .model import FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import FORMATS, detect_format
from .writer import WAVE_NAME, DatasetSummary, write_dataset

__all__ = ["add_arguments", "build_spec", "default_case_wave", "import_files", "load_mapping", "run"]

#: Keys of a ``--mapping`` YAML file.
MAPPING_KEYS = ("format", *survey.SPEC_KEYS, *(k for k in egor.SPEC_KEYS if k not in survey.SPEC_KEYS))
_SURVEY_ONLY = ("respondent", "respondent_name", "case_column", "interpreters", "attributes", "name_map")
_EGOR_ONLY = ("egos", "aaties", "ego_cases", "ego_id", "alter_id", "source", "target")

DEFAULT_WAVE = "w1"
_EXPORT_NAME = re.compile(r"^network_([A-Za-z0-9_-]+)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``import`` options to ``parser``."""
    parser.add_argument(
        "sources", nargs="*", type=Path, metavar="SOURCE",
        help="network files, one case in one wave each (a survey export or egor tables may hold many), "
        "e.g. case01.net survey.graphml",
    )  # fmt: skip
    parser.add_argument("--out", required=True, type=Path,
                        help="dataset directory to write (must not hold a dataset yet), e.g. --out data/mine")
    parser.add_argument(
        "--format", choices=sorted(FORMATS),
        help="format of every SOURCE (default: from the extension: "
        + "; ".join(f"{f.name} {' '.join(f.extensions)}" for f in FORMATS.values() if f.extensions)
        + "; survey and egor only with --format), e.g. --format dl",
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
    group = parser.add_argument_group("survey exports and egor tables (docs/import.md)")
    group.add_argument("--mapping", type=Path, metavar="FILE",
                       help="YAML file of the options below (keys respondent, respondent_name, case_column, "
                       "alters, interpreters, attributes, name_map; egos, alters, aaties, ego_cases, ego_id, "
                       "alter_id, source, target); options given on the command line win, e.g. --mapping map.yaml")
    group.add_argument("--respondent", metavar="COLUMN",
                       help="survey: respondent id column (default: ResponseId, id, respondent_id, ... if present), "
                       "e.g. --respondent ResponseId")
    group.add_argument("--respondent-name", metavar="COLUMN",
                       help="survey: the respondent's own name, to match alter names to respondents, "
                       "e.g. --respondent-name Q1")
    group.add_argument("--case-column", metavar="COLUMN",
                       help="survey: column holding each respondent's case (default: one case per file), "
                       "e.g. --case-column project")
    group.add_argument("--alters", metavar="PATTERN|FILE",
                       help="survey: the alter name columns, a pattern where {k} is the slot number, or "
                       "re:REGEX with a group for the slot, e.g. --alters 'alter{k}' or --alters 'Q5_{k}'; "
                       "egor: the alters table, e.g. --alters alters.csv")
    group.add_argument("--interpreter", action="append", metavar="NAME=PATTERN",
                       help="survey: a name-interpreter column per alter; NAME an interactions.csv column "
                       "(frequency, closeness, duration_min, channel, phase, date) or else an attribute of the "
                       "alter (actors.csv); e.g. --interpreter frequency=alter{k}_freq --interpreter "
                       "sector=alter{k}_sector")
    group.add_argument("--attribute", action="append", metavar="NAME[=COLUMN]",
                       help="survey: a respondent's own attribute column to actors.csv, e.g. --attribute "
                       "sector=Q2 --attribute organization")
    group.add_argument("--name-map", type=Path, metavar="FILE",
                       help="survey: a name_map.csv (as written by an earlier import, edited) whose actor_id "
                       "per key is used, e.g. --name-map data/mine/name_map.csv")
    group.add_argument("--egos", type=Path, metavar="FILE", help="egor: the egos table, e.g. --egos egos.csv")
    group.add_argument("--aaties", type=Path, metavar="FILE",
                       help="egor: the alter-alter ties table, e.g. --aaties aaties.csv")
    group.add_argument("--ego-cases", dest="ego_cases", action="store_true", default=None,
                       help="egor: each ego network is a case, alter ids local to their ego (the default)")
    group.add_argument("--one-case", dest="ego_cases", action="store_false",
                       help="egor: all egos one case, alter ids shared between egos")


def _pairs(values: list[str] | None, what: str, bare: bool = False) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        name, sep, pattern = value.partition("=")
        if not sep and bare:
            pattern = name
        if not name.strip() or not pattern.strip():
            raise ImportFileError("command line", None, f"--{what} wants NAME=PATTERN, got {value!r}")
        out[name.strip()] = pattern.strip()
    return out


def load_mapping(path: Path) -> dict:
    """The spec a ``--mapping`` YAML file gives; paths in it are relative to
    the file's folder."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFileError(path, None, f"cannot read the mapping file ({err.__class__.__name__})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise ImportFileError(path, mark.line + 1 if mark else None, "not valid YAML") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ImportFileError(path, None, "a mapping file is a YAML mapping (key: value lines)")
    unknown = sorted(set(map(str, data)) - set(MAPPING_KEYS))
    if unknown:
        raise ImportFileError(path, None, f"unknown key(s) {', '.join(unknown)}; known: {', '.join(MAPPING_KEYS)}")
    spec = dict(data)
    for key in ("interpreters", "attributes"):
        value = spec.get(key)
        if isinstance(value, list):
            value = {str(v): str(v) for v in value}
        if value is not None and not isinstance(value, dict):
            raise ImportFileError(path, None, f"{key}: a mapping NAME: COLUMN or PATTERN")
        if value is not None:
            spec[key] = {str(k): str(v if v is not None else k) for k, v in value.items()}
    for key in ("name_map", "egos", "aaties"):
        if spec.get(key) is not None:
            spec[key] = path.parent / str(spec[key])
    if spec.get("alters") is not None:
        spec["alters_base"] = path.parent  # the egor alters table is relative to the mapping file too
    return spec


def build_spec(args: argparse.Namespace) -> dict:
    """The survey/egor spec: the ``--mapping`` file, then the command line."""
    spec = load_mapping(args.mapping) if getattr(args, "mapping", None) else {}
    given = {
        "respondent": args.respondent, "respondent_name": args.respondent_name, "case_column": args.case_column,
        "alters": args.alters, "name_map": args.name_map, "egos": args.egos, "aaties": args.aaties,
        "ego_cases": args.ego_cases,
    }  # fmt: skip
    spec.update({k: v for k, v in given.items() if v is not None})
    if args.interpreter:
        spec["interpreters"] = {**spec.get("interpreters", {}), **_pairs(args.interpreter, "interpreter")}
    if args.attribute:
        spec["attributes"] = {**spec.get("attributes", {}), **_pairs(args.attribute, "attribute", bare=True)}
    return spec


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
    # a fresh copy: the spec may be completed (egor tables), the shared state is this import's
    options = dataclasses.replace(options or ReadOptions(), spec=dict((options or ReadOptions()).spec), shared={})
    if (out / "actors.csv").exists() or (out / "waves").exists():
        raise ImportFileError(out, None, "already holds a dataset (actors.csv or waves/); choose a new --out")
    if fmt == "egor":
        sources = _egor_sources(list(sources), options)
    if not sources:
        raise ImportFileError("command line", None, "no SOURCE file given")
    if fmt == "survey":
        survey.register_respondents(list(sources), options)
    case_args = _per_source(cases, len(sources), "case")
    wave_args = _per_source(waves, len(sources), "wave")
    networks: list[ImportedNetwork] = []
    accounts: list[FileAccount] = []
    seen: dict[tuple[str, str], str] = {}
    for path, case, wave in zip(sources, case_args, wave_args, strict=True):
        if not path.is_file():
            raise ImportFileError(path, None, "no such file")
        nets, account = detect_format(path, fmt).reader(path, options)
        accounts.extend(account if isinstance(account, list) else [account])
        if case and len(nets) > 1:
            raise ImportFileError(path, None, f"--case is for a file of one case; this one holds {len(nets)} "
                                  "(a case column, or ego networks: see --one-case)")
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


def _egor_sources(sources: list[Path], options: ReadOptions) -> list[Path]:
    """The alters table (the reader's SOURCE); the egos and aaties tables
    go to ``options.spec``. Tables come from --egos/--alters/--aaties or
    from the SOURCE file names."""
    spec = options.spec
    roles = egor.table_roles(sources) if sources else {}
    for role in ("egos", "alters", "aaties"):
        if spec.get(role) is not None and role in roles:
            raise ImportFileError(roles[role], None, f"the {role} table given twice (SOURCE and --{role})")
        if spec.get(role) is not None:
            roles[role] = Path(spec[role])
            if role == "alters" and spec.get("alters_base") and not roles[role].is_absolute():
                roles[role] = Path(spec["alters_base"]) / roles[role]
    if "alters" not in roles:
        raise ImportFileError("command line", None, "egor needs the alters table (--alters FILE, or a SOURCE "
                              "named like alters.csv)")
    spec.update({k: v for k, v in roles.items() if k != "alters"})
    return [roles["alters"]]


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
    try:
        spec = build_spec(args)
        fmt = args.format or spec.pop("format", None)
        if fmt is not None and fmt not in FORMATS:
            raise ImportFileError(args.mapping, None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
        spec.pop("format", None)
        for fmt_name, keys in (("survey", _SURVEY_ONLY), ("egor", _EGOR_ONLY)):
            used = [k for k in keys if spec.get(k) is not None]
            if used and fmt != fmt_name:
                raise ImportFileError("command line", None, f"{', '.join(used)}: options of --format {fmt_name}")
        if spec.get("alters") is not None and fmt not in ("survey", "egor"):
            raise ImportFileError("command line", None, "--alters is an option of --format survey or egor")
        options = ReadOptions(directed=args.directed, header=args.header, delimiter=args.delimiter, spec=spec)
        accounts, summary = import_files(
            list(args.sources), args.out, fmt=fmt, cases=args.case, waves=args.wave, options=options,
            group_attribute=args.group_attribute, missing_group=args.missing_group,
        )  # fmt: skip
    except (ImportFileError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(format_summary(accounts, summary, args.out))
    return 0
