"""The ``netinnov import`` command: network files -> a dataset of the input
contract (docs/import.md)."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

from . import egor, survey
from .model import FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import FORMATS, detect_format
from .writer import WAVE_NAME, DatasetSummary, write_dataset

__all__ = ["build_spec", "default_case_wave", "import_command", "import_files", "load_mapping"]

#: Keys of a ``--mapping`` YAML file.
MAPPING_KEYS = ("format", *survey.SPEC_KEYS, *(k for k in egor.SPEC_KEYS if k not in survey.SPEC_KEYS))
_SURVEY_ONLY = ("respondent", "respondent_name", "case_column", "interpreters", "attributes", "name_map")
_EGOR_ONLY = ("egos", "aaties", "ego_cases", "ego_id", "alter_id", "source", "target")

DEFAULT_WAVE = "w1"
_EXPORT_NAME = re.compile(r"^network_([A-Za-z0-9_-]+)$")


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


def build_spec(
    *, mapping: Path | None = None, interpreter: list[str] | None = None, attribute: list[str] | None = None,
    **given: object,
) -> dict:  # fmt: skip
    """The survey/egor spec: the ``--mapping`` file, then the command line
    (``given``: respondent, respondent_name, case_column, alters, name_map,
    egos, aaties, ego_cases; ``None`` means not given)."""
    spec = load_mapping(mapping) if mapping else {}
    spec.update({k: v for k, v in given.items() if v is not None})
    if interpreter:
        spec["interpreters"] = {**spec.get("interpreters", {}), **_pairs(interpreter, "interpreter")}
    if attribute:
        spec["attributes"] = {**spec.get("attributes", {}), **_pairs(attribute, "attribute", bare=True)}
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


def import_command(
    *, sources: list[Path], out: Path, fmt: str | None = None, cases: list[str] | None = None,
    waves: list[str] | None = None, directed: bool | None = None, header: bool | None = None,
    delimiter: str | None = None, group_attribute: str = "sector", missing_group: str = "unknown",
    mapping: Path | None = None, respondent: str | None = None, respondent_name: str | None = None,
    case_column: str | None = None, alters: str | None = None, interpreter: list[str] | None = None,
    attribute: list[str] | None = None, name_map: Path | None = None, egos: Path | None = None,
    aaties: Path | None = None, ego_cases: bool | None = None,
) -> int:  # fmt: skip
    """``netinnov import``: import, print the summary; 1 on a file that cannot be imported."""
    try:
        spec = build_spec(
            mapping=mapping, interpreter=interpreter, attribute=attribute, respondent=respondent,
            respondent_name=respondent_name, case_column=case_column, alters=alters, name_map=name_map,
            egos=egos, aaties=aaties, ego_cases=ego_cases,
        )  # fmt: skip
        fmt = fmt or spec.pop("format", None)
        if fmt is not None and fmt not in FORMATS:
            raise ImportFileError(mapping, None, f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
        spec.pop("format", None)
        for fmt_name, keys in (("survey", _SURVEY_ONLY), ("egor", _EGOR_ONLY)):
            used = [k for k in keys if spec.get(k) is not None]
            if used and fmt != fmt_name:
                raise ImportFileError("command line", None, f"{', '.join(used)}: options of --format {fmt_name}")
        if spec.get("alters") is not None and fmt not in ("survey", "egor"):
            raise ImportFileError("command line", None, "--alters is an option of --format survey or egor")
        options = ReadOptions(directed=directed, header=header, delimiter=delimiter, spec=spec)
        accounts, summary = import_files(
            list(sources), out, fmt=fmt, cases=cases, waves=waves, options=options,
            group_attribute=group_attribute, missing_group=missing_group,
        )  # fmt: skip
    except (ImportFileError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(format_summary(accounts, summary, out))
    return 0
