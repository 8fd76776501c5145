"""Ego-centred network data as the R package egor keeps it: three tables.

- egos: one row per ego, the ego id and the ego's attributes;
- alters: one row per alter of an ego: ego id, alter id, attributes of the
  alter and of the ego–alter tie;
- alter–alter ties ("aaties"): ego id, the two alter ids, tie attributes.

Reference: Krenz, Krivitsky, Vacca, Bojanowski, Gamper & Stadtfeld, *egor:
Import and Analyse Ego-Centered Network Data*, R package (CRAN), ``egor()``
(``ID.vars = list(ego = "egoID", alter = "alterID", source = "Source",
target = "Target")``) and the tables ``as_tibble()`` gives (``.egoID``,
``.altID``, ``.srcID``, ``.tgtID``). The id columns are found under those
names (any case; also ``ego_id``/``alter_id``/``alter1``/``alter2`` ...) or
given in the spec (``ego_id``, ``alter_id``, ``source``, ``target``).

Cases: by default (``ego_cases``) each ego network is a case named by its
ego id, and alter ids are local to their ego (as in egor: alter 1 of ego A
is not alter 1 of ego B), so an alter's actor id is ``<ego>:<alter>``. With
``one_case`` alter ids are shared (the same id under two egos is one
person, an alter id equal to an ego id is that ego) and all egos form one
case.

Ego–alter and alter–alter ties are interactions, undirected unless a
``directed`` column (true/false) says otherwise for a row (in the alters
table: ego → alter) or ``--directed``/``--undirected`` forces it. Columns
named as interactions.csv columns (``frequency`` — or ``weight`` —,
``duration_min``, ``closeness``, ``channel``, ``phase``, ``date``) are tie
values; other alters-table columns are attributes of the alter, other
egos-table columns attributes of the ego (actors.csv). Other aaties columns
are dropped (the summary says how many). Every data row of each table is a
record: read = accepted + rejected per table; interactions.csv says which
(``import_file``, ``import_line``). A first column with an empty header (R's
``write.csv`` row names) is ignored.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from netinnov.io.values import FALSE_TOKENS, MISSING_TOKENS, TRUE_TOKENS

from .model import Edge, FileAccount, ImportedNetwork, ImportFileError, ReadOptions
from .registry import register
from .text import TIE_COLUMNS, clean_id, csv_records, id_problem, tie_value

__all__ = ["ID_COLUMNS", "SPEC_KEYS", "read_egor", "table_roles"]

SPEC_KEYS = ("egos", "alters", "aaties", "ego_cases", "ego_id", "alter_id", "source", "target")
#: Id column names recognised (compared in lower case), by role.
ID_COLUMNS = {
    "ego_id": (".egoid", "egoid", "ego_id", "ego", "id_ego", "ego.id"),
    "alter_id": (".altid", "alterid", "altid", "alter_id", "alter", "id_alter", "alter.id"),
    "source": (".srcid", "source", "srcid", "alter1", "from", "alter_1", "src"),
    "target": (".tgtid", "target", "tgtid", "alter2", "to", "alter_2", "tgt"),
}


def table_roles(sources: list[Path]) -> dict[str, Path]:
    """Which SOURCE is which table, from its file name: ``aatie``,
    ``alter_tie``/``alterties``/``aa_ties`` → aaties, else ``alter`` → alters,
    else ``ego`` → egos."""
    roles: dict[str, Path] = {}
    for path in sources:
        stem = path.stem.lower().replace("-", "_").replace(".", "_")
        flat = stem.replace("_", "")
        if "aatie" in flat or "altertie" in flat or "aaties" in stem:
            role = "aaties"
        elif "alter" in stem:
            role = "alters"
        elif "ego" in stem:
            role = "egos"
        else:
            raise ImportFileError(path, None, "an egor table is named for what it holds (egos, alters, aaties); "
                                  "give --egos/--alters/--aaties")
        if role in roles:
            raise ImportFileError(path, None, f"a second {role} table (first: {roles[role]})")
        roles[role] = path
    return roles


class _Table:
    """A CSV table: header names, data rows (line, fields padded), columns."""

    def __init__(self, path: Path, delimiter: str | None, account: FileAccount) -> None:
        records, self.delimiter = csv_records(path, delimiter)
        if not records:
            raise ImportFileError(path, None, "empty table")
        self.path = path
        self.header_line, names = records[0]
        self.names = [unicodedata.normalize("NFC", n).strip().lstrip("\ufeff") for n in names]
        self.skip = {0} if self.names and self.names[0] == "" else set()
        if self.skip:
            account.notes.append("first column without a header (R row names) ignored")
        width = len(self.names)
        self.rows = [(line, f + [""] * (width - len(f))) for line, f in records[1:]]

    def column(self, role: str, spec: dict[str, Any], required: bool = True) -> int | None:
        given = spec.get(role)
        lower = [n.lower() for n in self.names]
        if given:
            name = unicodedata.normalize("NFC", str(given)).strip()
            if name not in self.names:
                raise ImportFileError(self.path, self.header_line, f"no column {name!r} (the {role} column)")
            return self.names.index(name)
        for candidate in ID_COLUMNS[role]:
            if candidate in lower:
                return lower.index(candidate)
        if required:
            raise ImportFileError(self.path, self.header_line, f"no {role} column (looked for "
                                  f"{', '.join(ID_COLUMNS[role][:4])}, ...); name it in the --mapping file "
                                  f"({role}: COLUMN)")
        return None

    def others(self, used: set[int]) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.names) if i not in used and i not in self.skip and n}


def _value(text: str) -> str:
    value = clean_id(text)
    return "" if value.lower() in MISSING_TOKENS else value


def _ties(row: list[str], columns: dict[str, int], decimal_comma: bool) -> tuple[dict[str, Any], tuple[int, str] | None]:
    out: dict[str, Any] = {}
    for name, i in columns.items():
        value = _value(row[i])
        if not value:
            continue
        key = "frequency" if name == "weight" else name
        x, reason = tie_value(key, value, decimal_comma)
        if reason:
            return out, (i, reason)
        out[key] = x
    return out, None


def _direction(row: list[str], col: int | None, forced: bool | None) -> bool | None | str:
    """True/False, or a reason string for a bad value."""
    if forced is not None:
        return forced
    if col is None:
        return False
    value = _value(row[col]).lower()
    if not value:
        return False
    if value in TRUE_TOKENS:
        return True
    if value in FALSE_TOKENS:
        return False
    return "directed not true/false"


def _split(names: dict[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """(tie columns, other columns); ``directed`` in neither."""
    ties = {n: i for n, i in names.items() if n.lower() in (*TIE_COLUMNS, "weight")}
    ties = {n.lower(): i for n, i in ties.items()}
    if "frequency" in ties:
        ties.pop("weight", None)
    rest = {n: i for n, i in names.items() if n.lower() not in (*TIE_COLUMNS, "weight", "directed")}
    return ties, rest


def _directed_column(table: _Table) -> int | None:
    lower = [n.lower() for n in table.names]
    return lower.index("directed") if "directed" in lower else None


@register("egor", (), "egor ego-centred tables: egos, alters, alter-alter ties (--format egor)")
def read_egor(path: Path, options: ReadOptions) -> tuple[list[ImportedNetwork], list[FileAccount]]:
    """``path`` is the alters table; the egos and aaties tables come from
    ``options.spec`` (``egos``, ``aaties``), both optional."""
    spec = options.spec
    ego_cases = spec.get("ego_cases", True) is not False
    accounts: list[FileAccount] = []
    tables: dict[str, _Table] = {}
    for role in ("egos", "alters", "aaties"):
        file = path if role == "alters" else spec.get(role)
        if file is None:
            continue
        file = Path(file)
        if not file.is_file():
            raise ImportFileError(file, None, "no such file")
        account = FileAccount(str(file))
        accounts.append(account)
        tables[role] = _Table(file, options.delimiter, account)
    acc = {role: a for role, a in zip(tables, accounts, strict=True)}
    nets: dict[str | None, ImportedNetwork] = {}
    one = ImportedNetwork(str(path)) if not ego_cases else None
    egos: dict[str, ImportedNetwork] = {}

    def ego_net(ego: str) -> ImportedNetwork:
        if one is not None:
            nets[None] = one
            return one
        return nets.setdefault(ego, ImportedNetwork(str(path), case=ego))

    # ---------------------------------------------------------------- egos
    if "egos" in tables:
        t, a = tables["egos"], acc["egos"]
        col = t.column("ego_id", spec)
        attrs = t.others({col})
        for line, row in t.rows:
            ego = clean_id(row[col])
            problem = id_problem(ego)
            if problem:
                a.reject(line, col + 1, f"ego {problem}")
            elif ego in egos:
                a.reject(line, col + 1, "duplicate ego id")
            else:
                net = egos[ego] = ego_net(ego)
                net.add_node(ego, {k: v for k, i in attrs.items() if (v := _value(row[i]))})
                a.accept()
    # ---------------------------------------------------------------- alters
    t, a = tables["alters"], acc["alters"]
    ecol, acol = t.column("ego_id", spec), t.column("alter_id", spec)
    dcol = _directed_column(t)
    tie_cols, attr_cols = _split(t.others({ecol, acol}))
    decimal = t.delimiter == ";"
    alters: dict[str, dict[str, str]] = {}  # ego -> alter id in the file -> actor id
    dropped: set[tuple[str, str]] = set()  # (ego, alter) of rejected alter rows
    conflicts = 0
    for line, row in t.rows:
        ego, alter = clean_id(row[ecol]), clean_id(row[acol])
        if alter not in alters.get(ego, {}):
            dropped.add((ego, alter))  # until accepted below
        if id_problem(ego):
            a.reject(line, ecol + 1, f"ego {id_problem(ego)}")
            continue
        if "egos" in tables and ego not in egos:
            a.reject(line, ecol + 1, "ego not in the egos table")
            continue
        if id_problem(alter):
            a.reject(line, acol + 1, f"alter {id_problem(alter)}")
            continue
        mine = alters.setdefault(ego, {})
        if alter in mine:
            a.reject(line, acol + 1, "duplicate alter of the ego")
            continue
        actor = f"{ego}:{alter}" if ego_cases else alter
        if actor == ego:
            a.reject(line, acol + 1, "self-loop (the alter is the ego)")
            continue
        direction = _direction(row, dcol, options.directed)
        if isinstance(direction, str):
            a.reject(line, dcol + 1, direction)
            continue
        tie, bad = _ties(row, tie_cols, decimal)
        if bad:
            a.reject(line, bad[0] + 1, bad[1])
            continue
        net = egos.get(ego) or ego_net(ego)
        if ego not in egos:
            egos[ego] = net
            net.add_node(ego)
        about = {k: v for k, i in attr_cols.items() if (v := _value(row[i]))}
        known = net.nodes.get(actor, {})
        conflicts += sum(1 for k, v in about.items() if k in known and known[k] != v)
        net.add_node(actor, about)
        mine[alter] = actor
        dropped.discard((ego, alter))
        tie.setdefault("frequency", 1.0)
        net.edges.append(Edge(ego, actor, tie, line, bool(direction), file=t.path.name))
        a.accept()
    if conflicts:
        a.notes.append(f"{conflicts} alter attribute value(s) differ between egos naming the same alter "
                       "(or from the ego's own): the first kept")
    if ego_cases:
        clash = sum(1 for mine in alters.values() for actor in mine.values() if actor in egos)
        if clash:
            raise ImportFileError(path, None, f"{clash} alter id(s) written <ego>:<alter> equal an ego id; "
                                  "rename the ids or use --one-case")
    # ---------------------------------------------------------------- aaties
    if "aaties" in tables:
        t, a = tables["aaties"], acc["aaties"]
        ecol = t.column("ego_id", spec)
        scol, tcol = t.column("source", spec), t.column("target", spec)
        dcol = _directed_column(t)
        tie_cols, rest = _split(t.others({ecol, scol, tcol}))
        if rest:
            a.notes.append(f"{len(rest)} column(s) not in the contract dropped (columns "
                           + ", ".join(str(i + 1) for i in rest.values()) + ")")
        decimal = t.delimiter == ";"
        for line, row in t.rows:
            ego = clean_id(row[ecol])
            if id_problem(ego):
                a.reject(line, ecol + 1, f"ego {id_problem(ego)}")
                continue
            if ego not in egos:
                a.reject(line, ecol + 1, "ego not in the egos or alters table")
                continue
            ends: list[str] = []
            bad_end: tuple[int, str] | None = None
            for col in (scol, tcol):
                alter = clean_id(row[col])
                if id_problem(alter):
                    bad_end = (col, f"alter {id_problem(alter)}")
                elif alter not in alters.get(ego, {}):
                    bad_end = (col, "alter whose row was rejected" if (ego, alter) in dropped
                               else "alter not among the ego's alters")
                if bad_end:
                    break
                ends.append(alters[ego][alter])
            if bad_end:
                a.reject(line, bad_end[0] + 1, bad_end[1])
                continue
            source, target = ends
            if source == target:
                a.reject(line, tcol + 1, "self-loop")
                continue
            direction = _direction(row, dcol, options.directed)
            if isinstance(direction, str):
                a.reject(line, dcol + 1, direction)
                continue
            tie, bad = _ties(row, tie_cols, decimal)
            if bad:
                a.reject(line, bad[0] + 1, bad[1])
                continue
            tie.setdefault("frequency", 1.0)
            egos[ego].edges.append(Edge(source, target, tie, line, bool(direction), file=t.path.name))
            a.accept()
    if not nets:
        nets[None] = ImportedNetwork(str(path))
    order = [acc[r] for r in ("egos", "alters", "aaties") if r in acc]
    return list(nets.values()), order
