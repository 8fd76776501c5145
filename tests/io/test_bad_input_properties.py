"""Property tests: random record tables with random defects never crash the
validation or the table stage with anything but ``InputError``, and never lose
a row.

Each example writes a small dataset (actors.csv, interactions.csv and some of
the optional files) with random ids, random text, missing cells, unreadable
numbers and dates, unknown actors, repeated rows, rows with the wrong number
of fields and blank rows, in a random delimiter and encoding. The test knows
which records it wrote and on which physical line each starts, so it checks
independently that every record is counted once (accepted + rejected = rows
read), that every accepted row is in the validated output with its ids, and
that the table stage's ties account for every accepted interaction.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from netinnov.config import resolve
from netinnov.io import InputError, validate_wave
from netinnov.metrics.wave import wave_tables


# --------------------------------------------------------------------------- values
def mostly(valid: list[str], *defects: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A valid value about nine times in ten, else one of the defects."""
    good, bad = st.sampled_from(valid), st.one_of(*defects)
    return st.sampled_from([True] * 9 + [False]).flatmap(lambda ok: good if ok else bad)


TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6)
ID = mostly(
    ["a1", "a2", "a3", "a4", "a5", "007", "NA"],
    st.sampled_from([" a1 ", "A1", "zz", "", "c1", "a9"]),
    TEXT,
)
CASE = mostly(["c1", "c2", "NA"], st.sampled_from([" c1", "C1", "", "007"]), TEXT)
NUMBER = mostly(
    ["", "1", "2", "2.5", "3", "1e1", " 3 ", "+4", "NA"],
    st.sampled_from(
        ["2,5", "0", "-1", "x", "inf", "nan", "1e400", "-0", "6", "\u0663", "1_0", "0x1"]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    TEXT,
)
PHASE = mostly(["", "design", "Design", " diffusion "], st.just("later"), TEXT)
DATE = mostly(
    ["", "2024-01-05", "2024-01-05T10:30", "2024-01-05T10:30Z", "1999-12-31"],
    st.sampled_from(["2024-02-30", "05.01.2024", "9999-01-01", "1677-01-01", "2024-1-5"]),
    TEXT,
)
SECTOR = mostly(["public", "private", "citizen", " public "], st.just(""), TEXT)
ROLE = mostly(["convener", "Facilitator", "catalyst"], st.sampled_from(["leader", ""]), TEXT)
FREE = st.one_of(st.sampled_from(["", "meeting", "email", "x, y", 'say "hi"']), TEXT)

#: Columns of each file: (name, value strategy, required).
FILES = {
    "actors.csv": [
        ("actor_id", ID, True),
        ("sector", SECTOR, True),
        ("organization", FREE, False),
        ("budget", NUMBER, False),
    ],
    "waves/w1/interactions.csv": [
        ("case_id", CASE, True),
        ("source", ID, True),
        ("target", ID, True),
        ("frequency", NUMBER, False),
        ("duration_min", NUMBER, False),
        ("closeness", NUMBER, False),
        ("channel", FREE, False),
        ("phase", PHASE, False),
        ("date", DATE, False),
        ("note", FREE, False),
    ],
    "waves/w1/participation.csv": [
        ("case_id", CASE, True),
        ("event_id", mostly(["e1", "e2"], st.just(""), TEXT), True),
        ("actor_id", ID, True),
        ("duration_min", NUMBER, False),
        ("phase", PHASE, False),
    ],
    "waves/w1/roles.csv": [
        ("case_id", CASE, True),
        ("actor_id", ID, True),
        ("role", ROLE, True),
        ("score", NUMBER, False),
    ],
    "waves/w1/outcomes.csv": [
        ("case_id", CASE, True),
        ("implemented", NUMBER, False),
        ("label", FREE, False),
    ],
    "waves/w1/members.csv": [("case_id", CASE, True), ("actor_id", ID, True)],
}
OPTIONAL_FILES = [f for f in FILES if f not in ("actors.csv", "waves/w1/interactions.csv")]
VALID_ACTORS = [
    ("a1", "public"),
    ("a2", "private"),
    ("a3", "citizen"),
    ("a4", "public"),
    ("a5", "civil_society"),
    ("007", "citizen"),
    ("NA", "private"),
]
SHAPES = ["ok"] * 15 + ["short", "long", "blank", "repeat", "repeat_padded"]


@dataclass
class Written:
    """What the test wrote into one file: the records that are rows, by start line."""

    file: str
    columns: list[str]
    rows: dict[int, list[str]] = field(default_factory=dict)  # line -> fields
    structural: str | None = None  # the column made missing, or "encoding"


@st.composite
def table(draw, file: str):
    """Columns (required ones, a random subset of the others, shuffled) and rows."""
    spec = FILES[file]
    columns = [c for c in spec if c[2] or draw(st.booleans())]
    columns = draw(st.permutations(columns))
    n = draw(st.sampled_from(range(9)))
    rows = []
    for _ in range(n):
        shape = draw(st.sampled_from(SHAPES))  # (uniform over SHAPES)
        fields = [draw(strategy) for _, strategy, _ in columns]
        rows.append((shape, fields))
    if file == "actors.csv":  # mostly known actors, so that records can be valid
        known = draw(st.lists(st.sampled_from(VALID_ACTORS), min_size=3, max_size=7, unique=True))
        names = [c[0] for c in columns]
        for actor, sector in known:
            fields = ["" for _ in columns]
            fields[names.index("actor_id")] = actor
            fields[names.index("sector")] = sector
            rows.insert(draw(st.integers(0, len(rows))), ("ok", fields))
    return [c[0] for c in columns], rows


def csv_record(fields: list[str], delimiter: str) -> str:
    """One CSV record: a field is quoted when it holds the delimiter, a quote or a line end."""
    if len(fields) == 1 and fields[0] == "":
        return '""\n'
    special = (delimiter, '"', "\n", "\r")
    out = ['"' + f.replace('"', '""') + '"' if any(s in f for s in special) else f for f in fields]
    return delimiter.join(out) + "\n"


def render(file: str, columns: list[str], rows, delimiter: str, crlf: bool) -> tuple[str, Written]:
    """The file's text and, independently of the reader, its rows by start line."""
    written = Written(file, list(columns))
    out = io.StringIO()
    out.write(csv_record(columns, delimiter))
    line = 2
    previous: list[str] | None = None
    for shape, fields in rows:
        if shape == "blank":
            fields = [" "] * len(columns) if line % 2 else [""]
        elif shape == "short":
            fields = fields[: max(len(fields) - 2, 1)]
        elif shape == "long":
            fields = [*fields, "surplus"]
        elif shape == "repeat" and previous is not None:
            fields = list(previous)
        elif shape == "repeat_padded" and previous is not None:
            fields = [f" {f} " for f in previous]
        text = csv_record(fields, delimiter)
        out.write(text)
        if any(f.strip() for f in fields):  # records whose fields are all empty are blank
            written.rows[line] = fields
            if len(fields) == len(columns):
                previous = fields
        # physical lines: \r and \r\n inside fields are line ends too
        line += text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    content = out.getvalue()
    if crlf:
        content = content.replace("\n", "\r\n")
    return content, written


def encode(content: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + content.encode("utf-8")
    if encoding in ("latin-1", "cp1252"):
        return content.encode(encoding, errors="replace")
    return content.encode(encoding)


@st.composite
def dataset(draw):
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    files = ["actors.csv", "waves/w1/interactions.csv"]
    files += [f for f in OPTIONAL_FILES if draw(st.booleans())]
    tables = {f: draw(table(f)) for f in files}
    # known actors with odd ids (any text): a4 and a5 are renamed in every file
    odd = draw(st.lists(TEXT.filter(lambda t: t.strip() == t and t), max_size=2, unique=True))
    rename = dict(zip(["a4", "a5"], odd, strict=False))
    if rename:
        id_columns = {"actor_id", "source", "target"}
        for columns, rows in tables.values():
            at = [i for i, c in enumerate(columns) if c in id_columns]
            for _, fields in rows:
                for i in at:
                    if i < len(fields):
                        fields[i] = rename.get(fields[i], fields[i])
    crlf = draw(st.booleans())
    encodings = {f: "utf-8" for f in files}
    if draw(st.sampled_from([False] * 7 + [True])):  # one file in another encoding
        encodings[draw(st.sampled_from(files))] = draw(
            st.sampled_from(["utf-8-sig", "latin-1", "utf-16", "cp1252"])
        )
    drop = None
    if draw(st.sampled_from([False] * 11 + [True])):  # a required column missing
        file = draw(st.sampled_from(files))
        required = [c for c, _, r in FILES[file] if r]
        drop = (file, draw(st.sampled_from(required)))
    directed = draw(st.booleans())
    return delimiter, tables, crlf, encodings, drop, directed


def write_dataset(root: Path, spec) -> tuple[dict[str, Written], set[str]]:
    """Write the dataset; return what was written and the files that must stop the wave."""
    delimiter, tables, crlf, encodings, drop, _ = spec
    written: dict[str, Written] = {}
    stopping: set[str] = set()
    for file, (columns, rows) in tables.items():
        if drop is not None and drop[0] == file:
            keep = [i for i, c in enumerate(columns) if c != drop[1]]
            rows = [
                (shape, [f for i, f in enumerate(fields) if i in keep]) for shape, fields in rows
            ]
            columns = [columns[i] for i in keep]
            stopping.add(file)
        content, record = render(file, columns, rows, delimiter, crlf)
        data = encode(content, encodings[file])
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            stopping.add(file)
        if data.startswith(b"\xef\xbb\xbf"):
            data_text = data[3:].decode("utf-8")
        else:
            data_text = data.decode("utf-8", errors="replace")
        if data_text != content:  # another encoding that happens to be UTF-8: values differ
            record.structural = "encoding"
        path = root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[file] = record
    return written, stopping


FRAMES = {
    "waves/w1/interactions.csv": "interactions",
    "waves/w1/participation.csv": "participation",
    "waves/w1/roles.csv": "roles",
    "waves/w1/outcomes.csv": "outcomes",
    "waves/w1/members.csv": "members",
}


def check_no_row_lost(data, written: dict[str, Written]) -> None:
    summary = data.summary.drop_duplicates("file").set_index("file")
    for file, record in written.items():
        row = summary.loc[file]
        assert row["accepted"] + row["rejected"] == row["rows_read"], file
        assert row["rows_read"] == len(record.rows), file
        rejected = data.rejected.loc[data.rejected["file"] == file, "line"].tolist()
        if file == "actors.csv":
            assert len(data.actors) == row["accepted"]
            assert set(rejected) <= set(record.rows)
            continue
        frame = getattr(data, FRAMES[file])
        accepted = frame["line"].tolist()
        assert sorted(accepted + rejected) == sorted(record.rows), file
        if record.structural is None:  # every accepted row is in the output, with its ids
            ids = [c for c in ("case_id", "source", "target", "actor_id", "event_id") if c in frame]
            position = {c: record.columns.index(c) for c in ids}
            for values in frame[[*ids, "line"]].itertuples(index=False):
                fields = record.rows[values[-1]]
                for c, got in zip(ids, values[:-1], strict=False):
                    written_value = fields[position[c]].replace("\r\n", "\n").replace("\r", "\n")
                    assert got == written_value.strip(), (file, c)  # line ends become \n


def check_tables(data, tables) -> None:
    ties, inter = tables.ties, data.interactions
    if len(ties):
        assert int(ties["n_records"].sum()) == len(inter)
        assert np.isclose(ties["frequency"].sum(), inter["frequency"].sum())
        known = set(data.actors["actor_id"])
        assert set(ties["source"]) <= known and set(ties["target"]) <= known
        assert (ties["weight"] > 0).all()
    else:
        assert len(inter) == 0
    for net in tables.networks.values():
        assert net.n == len(set(net.actors))


def run(root: Path, spec, with_tables: bool) -> None:
    written, stopping = write_dataset(root, spec)
    directed = spec[-1]
    options = resolve({"dataset": str(root), "directed": directed})
    try:
        data = validate_wave(root, "w1", directed=directed)
    except InputError as err:
        event(f"structural error: {err.message[:30]}")
        assert stopping, f"unexpected structural error: {err}"
        assert err.file in stopping
        assert err.file in str(err)
        return
    assert not stopping, f"expected a structural error in {stopping}"
    check_no_row_lost(data, written)
    event(f"validated: {'some' if len(data.interactions) else 'no'} accepted interactions")
    if with_tables:
        try:
            tables = wave_tables(data, options)
        except InputError as err:  # e.g. an outcome column named like a computed one
            event("table stage: structural error")
            assert err.file is not None and err.file in str(err)
            return
        check_tables(data, tables)


@pytest.mark.slow  # 40 random datasets through validation and the wave's tables
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=dataset())
def test_random_datasets_validate_and_build_tables(tmp_path_factory, spec):
    run(tmp_path_factory.mktemp("ds"), spec, with_tables=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=dataset())
def test_random_datasets_never_lose_a_row(tmp_path_factory, spec):
    run(tmp_path_factory.mktemp("ds"), spec, with_tables=False)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_random_text_round_trips_through_quoting(tmp_path, delimiter):
    """Fields holding delimiters, quotes and newlines come back as written."""
    channel = f'a{delimiter}b "c"\nd'
    spec = (
        delimiter,
        {
            "actors.csv": (["actor_id", "sector"], [("ok", ["a1", "public"]), ("ok", ["a2", "x"])]),
            "waves/w1/interactions.csv": (
                ["case_id", "source", "target", "channel"],
                [("ok", ["c1", "a1", "a2", channel]), ("ok", ["c1", "a2", "a1", "plain"])],
            ),
        },
        False,
        {"actors.csv": "utf-8", "waves/w1/interactions.csv": "utf-8"},
        None,
        False,
    )
    written, _ = write_dataset(tmp_path, spec)
    data = validate_wave(tmp_path, "w1")
    check_no_row_lost(data, written)
    assert data.interactions["channel"].tolist() == [channel, "plain"]
    assert data.interactions["line"].tolist() == [2, 4]
