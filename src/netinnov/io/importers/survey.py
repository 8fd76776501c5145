"""Wide name-generator survey exports (Qualtrics, LimeSurvey, any wide CSV).

One row per respondent: a respondent id column, alter *name* columns (one per
slot of the name generator, e.g. ``alter1..alter5`` or ``Q5_1..Q5_5``) and,
per slot, name-interpreter columns (``alter1_freq``, ``alter1_sector``). Which
column is which is given by the user (``--respondent``, ``--alters``,
``--interpreter``, ``--attribute``, or a ``--mapping`` YAML file; spec keys in
:data:`SPEC_KEYS`, docs/import.md "Survey exports").

Column patterns: a template where ``{k}`` stands for the slot number
(``alter{k}``, ``Q5_{k}``, ``Q5[SQ{k}]``; everything else literal, the whole
column name must match), or ``re:`` and a regular expression whose group
``k`` (else its first group) is the slot (``re:^Q5_(\\d+)_TEXT$``). An
interpreter's column of slot ``s`` belongs to the alter column of slot ``s``.

Alter names are free text: each is normalised (:func:`normalise_name`: NFC,
stripped, runs of white space made one space; the matching *key* also
casefolded) and given an actor id: the id an edited name map (``--name-map``)
gives its key, else the respondent whose own name (``--respondent-name``) has
that key, else a new id ``name_0001``, ``name_0002``, ... in order of first
appearance (the same file gives the same ids; with a name map, numbering
goes on after the map's highest). Every name seen is written to
``name_map.csv`` (name as typed, key, actor id, how it was matched, times
named, the respondent rows that named it), for the user to check and edit.

Records: every respondent row and every non-empty alter slot; an empty slot
(or one holding a missing-value token such as ``NA``) is not a record.
Qualtrics' second and third header rows (question text, ``{"ImportId":...}``)
are detected and skipped. Directed (respondent → alter) unless ``--undirected``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netinnov.io.values import MISSING_TOKENS

from .model import Edge, FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import register
from .text import TIE_COLUMNS, clean_id, csv_records, id_problem, tie_value

__all__ = ["SPEC_KEYS", "NameRegistry", "SlotPattern", "normalise_name", "read_survey", "register_respondents"]

#: Keys of the survey spec (``--mapping`` file keys; command-line options of the same name).
SPEC_KEYS = ("respondent", "respondent_name", "case_column", "alters", "interpreters", "attributes", "name_map")
#: Respondent id columns used when ``respondent`` is not given (Qualtrics, LimeSurvey, generic).
RESPONDENT_NAMES = ("ResponseId", "ResponseID", "_recordId", "id", "respondent_id", "respondent")
_IMPORT_ID = re.compile(r'^\{\s*"?ImportId"?\s*:')
_SPACES = re.compile(r"\s+")
MAP_HEADER = ["name", "key", "actor_id", "matched_by", "times_named", "rows"]


def normalise_name(text: str) -> tuple[str, str]:
    """``(name, key)``: the name NFC-normalised, stripped, white space runs
    made one space; the key, its casefold (what is matched)."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return name, unicodedata.normalize("NFC", name.casefold())


@dataclass(frozen=True)
class SlotPattern:
    """A column pattern with a slot: ``alter{k}`` or ``re:<regex>``."""

    text: str
    regex: re.Pattern

    @classmethod
    def parse(cls, text: str, where: str) -> SlotPattern:
        if text.startswith("re:"):
            try:
                regex = re.compile(text[3:])
            except re.error as err:
                raise ImportFileError(where, None, f"pattern {text!r} is not a regular expression ({err})") from None
            if regex.groups < 1:
                raise ImportFileError(where, None, f"pattern {text!r} has no group capturing the slot")
            return cls(text, regex)
        if text.count("{k}") != 1:
            raise ImportFileError(where, None, f"pattern {text!r} needs one {{k}} (the slot number), "
                                  "e.g. alter{k} or Q5_{k}, or re:<regex>")
        before, after = text.split("{k}")
        return cls(text, re.compile(re.escape(before) + r"(?P<k>\d+)" + re.escape(after)))

    def slot(self, column: str) -> str | None:
        found = self.regex.fullmatch(column)
        if not found:
            return None
        return found.group("k") if "k" in self.regex.groupindex else found.group(1)


@dataclass
class _Typed:
    """One name as typed (after :func:`normalise_name`)."""

    key: str
    actor_id: str
    matched_by: str
    times: int = 0
    rows: list[str] = field(default_factory=list)


class NameRegistry:
    """Names → actor ids across the files of one import."""

    def __init__(self, name_map: Path | None = None) -> None:
        self.from_map: dict[str, str] = {}
        self.typed: dict[tuple[str, str], _Typed] = {}
        self.respondents: dict[str, set[str]] = {}  # key -> respondent ids with that own name
        self.assigned: dict[str, str] = {}  # key -> new id
        self.used: set[str] = set()
        self.next = 1
        self.map_rows: list[tuple[str, str, str]] = []
        if name_map is not None:
            self._read_map(name_map)

    def _read_map(self, path: Path) -> None:
        if not path.is_file():
            raise ImportFileError(path, None, "no such name map file")
        records, _ = csv_records(path, ",")
        if not records:
            raise ImportFileError(path, None, "empty name map")
        header = [h.strip().lower() for h in records[0][1]]
        if "actor_id" not in header or ("key" not in header and "name" not in header):
            raise ImportFileError(path, records[0][0], "a name map needs columns actor_id and key (or name)")
        col = {h: i for i, h in enumerate(header)}
        for line, fields in records[1:]:
            fields = fields + [""] * (len(header) - len(fields))
            raw_key = fields[col["key"]] if "key" in col else ""
            raw_name = fields[col["name"]] if "name" in col else ""
            key = normalise_name(raw_key or raw_name)[1]
            actor = clean_id(fields[col["actor_id"]])
            if not key or not actor:
                continue  # a blanked id: the name is matched afresh
            problem = id_problem(actor)
            if problem:
                raise ImportFileError(path, line, f"actor_id: {problem}")
            if self.from_map.get(key, actor) != actor:
                raise ImportFileError(path, line, "a key given two different actor ids; keep one")
            self.from_map[key] = actor
            self.used.add(actor)
            numbered = re.fullmatch(r"name_(\d+)", actor)
            if numbered:  # new ids continue after the map's, never reuse a number
                self.next = max(self.next, int(numbered.group(1)) + 1)
            self.map_rows.append((normalise_name(raw_name)[0] if raw_name else key, key, actor))

    def add_respondent(self, name: str, actor: str) -> None:
        shown, key = normalise_name(name)
        self.used.add(actor)
        if not key:
            return
        self.respondents.setdefault(key, set()).add(actor)
        self.typed.setdefault((shown, actor), _Typed(key, actor, "respondent"))

    def ambiguous(self) -> int:
        return sum(1 for ids in self.respondents.values() if len(ids) > 1)

    def resolve(self, raw: str, where: str) -> str:
        """The actor id of alter name ``raw`` (non-empty), recorded as seen at ``where``."""
        shown, key = normalise_name(raw)
        if key in self.from_map:
            actor, how = self.from_map[key], "name_map"
        elif len(self.respondents.get(key, ())) == 1:
            actor, how = next(iter(self.respondents[key])), "respondent"
        else:
            if key not in self.assigned:
                while f"name_{self.next:04d}" in self.used:
                    self.next += 1
                self.assigned[key] = f"name_{self.next:04d}"
                self.used.add(self.assigned[key])
            actor, how = self.assigned[key], "new"
        entry = self.typed.setdefault((shown, actor), _Typed(key, actor, how))
        entry.times += 1
        if where not in entry.rows:
            entry.rows.append(where)
        return actor

    def table(self) -> list[list[str]]:
        """``name_map.csv``: one row per name as typed (map rows not seen again
        kept, named 0 times), sorted by key so that near spellings are close."""
        rows = [[name, e.key, e.actor_id, e.matched_by, str(e.times), ";".join(e.rows)]
                for (name, _), e in self.typed.items()]
        seen = {(r[1], r[2]) for r in rows}
        for name, key, actor in self.map_rows:
            if (key, actor) not in seen:
                rows.append([name, key, actor, "name_map", "0", ""])
                seen.add((key, actor))
        rows.sort(key=lambda r: (r[1], r[0], r[2]))
        return [MAP_HEADER, *rows]


def _column(header: dict[str, int], name: str | None, what: str, path: Path, line: int) -> int | None:
    if name is None:
        return None
    name = unicodedata.normalize("NFC", str(name)).strip()
    if name not in header:
        raise ImportFileError(path, line, f"no column {name!r} ({what})")
    return header[name]


def _slots(pattern: SlotPattern, names: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        slot = pattern.slot(name)
        if slot is not None:
            if slot in out:
                raise ImportFileError("--alters/--interpreter", None,
                                      f"pattern {pattern.text!r} gives slot {slot} to two columns")
            out[slot] = i
    return out


def _open(path: Path, options: ReadOptions) -> tuple[str, int, list[str], dict[str, int], list, str | None]:
    """delimiter, header line, column names, name -> first index, data records
    (Qualtrics header rows dropped) and the note saying so."""
    records, delimiter = csv_records(path, options.delimiter)
    if not records:
        raise ImportFileError(path, None, "empty file")
    header_line, names = records[0]
    names = [unicodedata.normalize("NFC", n).strip().lstrip("\ufeff") for n in names]
    header: dict[str, int] = {}
    for i, n in enumerate(names):
        header.setdefault(n, i)
    data = records[1:]
    # Qualtrics: row 2 question text, row 3 {"ImportId": ...}
    for skip in (2, 1):
        if len(data) >= skip and any(_IMPORT_ID.match(c.strip()) for c in data[skip - 1][1]):
            note = (f"Qualtrics header rows skipped: {skip} (question text, ImportId), "
                    f"starting on line(s) {', '.join(str(r[0]) for r in data[:skip])}")
            return delimiter, header_line, names, header, data[skip:], note
    return delimiter, header_line, names, header, data, None


def _respondent_columns(header: dict[str, int], spec: dict, path: Path, line: int) -> tuple[int, int | None]:
    respondent = spec.get("respondent") or next((c for c in RESPONDENT_NAMES if c in header), None)
    if respondent is None:
        raise ImportFileError(path, line, "no respondent id column; give --respondent COLUMN")
    rid = _column(header, respondent, "--respondent", path, line)
    assert rid is not None
    return rid, _column(header, spec.get("respondent_name"), "--respondent-name", path, line)


def _registry(options: ReadOptions) -> NameRegistry:
    registry = options.shared.get("survey_names")
    if registry is None:
        name_map = options.spec.get("name_map")
        registry = options.shared["survey_names"] = NameRegistry(Path(name_map) if name_map else None)
    return registry


def register_respondents(paths: list[Path], options: ReadOptions) -> None:
    """Read the respondents (ids, own names) of every file of an import
    before any alter, so that a name matches a respondent of any file, and
    a new id is never the id of a respondent of a later file."""
    registry = _registry(options)
    for path in paths:
        if not path.is_file():
            continue  # the command says so
        _, line, _, header, data, _ = _open(path, options)
        rid, rname = _respondent_columns(header, options.spec, path, line)
        for _, fields in data:
            actor = clean_id(fields[rid]) if rid < len(fields) else ""
            if id_problem(actor) is None:
                registry.used.add(actor)
                if rname is not None and rname < len(fields):
                    registry.add_respondent(fields[rname], actor)


@register("survey", (), "wide name-generator survey export (one row per respondent; --format survey)")
def read_survey(path: Path, options: ReadOptions) -> tuple[list[ImportedNetwork], FileAccount]:
    spec: dict[str, Any] = options.spec
    name = str(path)
    account = FileAccount(name)
    if not spec.get("alters"):
        raise ImportFileError(path, None, "a survey export needs --alters PATTERN (the alter name columns), "
                              "e.g. --alters 'alter{k}'")
    registry = _registry(options)
    delimiter, header_line, names, header, data, skipped = _open(path, options)
    if skipped:
        account.notes.append(skipped)
    rid, rname = _respondent_columns(header, spec, path, header_line)
    ccol = _column(header, spec.get("case_column"), "--case-column", path, header_line)
    attributes = {k: _column(header, v, f"--attribute {k}", path, header_line) for k, v in (spec.get("attributes") or {}).items()}
    alters = _slots(SlotPattern.parse(str(spec["alters"]), "--alters"), names)
    if not alters:
        raise ImportFileError(path, header_line, f"no column matches --alters {spec['alters']!r}")
    interpreters: dict[str, dict[str, int]] = {}
    for key, pattern in (spec.get("interpreters") or {}).items():
        cols = _slots(SlotPattern.parse(str(pattern), f"--interpreter {key}"), names)
        if not cols:
            raise ImportFileError(path, header_line, f"no column matches --interpreter {key}={pattern!r}")
        if set(cols.values()) & set(alters.values()):
            raise ImportFileError(path, header_line, f"--interpreter {key} matches alter name columns")
        orphans = sorted(set(cols) - set(alters))
        if orphans:
            account.notes.append(f"interpreter {key}: {len(orphans)} column(s) whose slot has no alter column ignored")
        interpreters[key] = cols
    directed = True if options.directed is None else options.directed
    decimal_comma = delimiter == ";"
    width = len(names)
    # ---------------------------------------------------------------- pass 1: respondents
    networks: dict[str | None, ImportedNetwork] = {}
    rows: list[tuple[int, list[str], str | None, ImportedNetwork | None]] = []
    seen: set[tuple[str | None, str]] = set()
    for line, fields in data:
        fields = fields + [""] * (width - len(fields))
        actor = clean_id(fields[rid])
        problem = id_problem(actor)
        case = clean_id(fields[ccol]) if ccol is not None else None
        if problem:
            account.reject(line, rid + 1, f"respondent {problem}")
        elif ccol is not None and not case:
            account.reject(line, ccol + 1, "empty case id")
        elif (case, actor) in seen:
            account.reject(line, rid + 1, "duplicate respondent id")
        else:
            seen.add((case, actor))
            net = networks.setdefault(case, ImportedNetwork(name, case=case))
            attrs = {k: clean_id(fields[c]) for k, c in attributes.items() if clean_id(fields[c])}
            net.add_node(actor, attrs)
            registry.used.add(actor)  # a new name id is never a respondent's id
            if rname is not None:
                registry.add_respondent(fields[rname], actor)
            account.accept()
            rows.append((line, fields, actor, net))
            continue
        rows.append((line, fields, None, None))
    # ---------------------------------------------------------------- pass 2: alters
    missing = orphan_answers = conflicts = 0
    for line, fields, actor, net in rows:
        named: set[str] = set()
        for slot, col in alters.items():
            raw = fields[col].strip()
            if not raw or normalise_name(raw)[1] in MISSING_TOKENS:
                missing += bool(raw)
                orphan_answers += any(fields[c[slot]].strip() for c in interpreters.values() if slot in c)
                continue
            if actor is None or net is None:
                account.reject(line, col + 1, "respondent row rejected")
                continue
            alter = registry.resolve(raw, f"{path.name}:{line}")
            if alter == actor:
                account.reject(line, col + 1, "self-loop (the respondent named themselves)")
                continue
            if alter in named:
                account.reject(line, col + 1, "alter repeated by the respondent")
                continue
            tie: dict[str, Any] = {}
            about: dict[str, Any] = {}
            bad = None
            for key, cols in interpreters.items():
                if slot not in cols:
                    continue
                value = clean_id(fields[cols[slot]])
                if not value or value.lower() in MISSING_TOKENS:
                    continue
                if key in TIE_COLUMNS:
                    x, reason = tie_value(key, value, decimal_comma)
                    if reason:
                        bad = (cols[slot], reason)
                        break
                    tie[key] = x
                else:
                    about[key] = value
            if bad:
                account.reject(line, bad[0] + 1, bad[1])
                continue
            named.add(alter)
            known = net.nodes.get(alter, {})
            conflicts += sum(1 for k, v in about.items() if k in known and known[k] != v)
            net.add_node(alter, about)
            tie.setdefault("frequency", 1.0)
            net.edges.append(Edge(actor, alter, tie, line, directed))
            account.accept()
    if missing:
        account.notes.append(f"{missing} alter cell(s) holding a missing-value token (NA, ...) read as empty")
    if orphan_answers:
        account.notes.append(f"{orphan_answers} empty alter slot(s) with interpreter answers: answers ignored")
    if conflicts:
        account.notes.append(f"{conflicts} alter attribute value(s) differ from an earlier answer "
                             "(the respondent's own, or another respondent's): the first kept")
    if registry.ambiguous():
        account.notes.append(f"{registry.ambiguous()} name(s) are the own name of two or more respondents: "
                             "alters so named are not matched to a respondent (edit name_map.csv)")
    table = registry.table()
    counts = {"respondent": 0, "name_map": 0, "new": 0}
    for r in table[1:]:
        counts[r[3]] = counts.get(r[3], 0) + 1
    account.notes.append(
        f"name_map.csv: {len(table) - 1} name(s) as typed -> ids ({counts['respondent']} respondents' own "
        f"names, {counts['name_map']} from --name-map, {counts['new']} new); it holds names (personal data): "
        "check it, edit actor_id to merge spellings, re-run with --name-map"
    )
    account.tables["name_map.csv"] = table
    if not networks:
        networks[None] = ImportedNetwork(name)
    return list(networks.values()), account

