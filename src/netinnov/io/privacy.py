"""Pseudonymisation: actor ids and organisation names replaced by keyed hashes.

With ``pseudonymize: true`` a wave is pseudonymised once, at ingest, right
after validation and before the validated tables are written; every later
step (networks, metrics, GraphML, panel, models, notebooks, logs) only ever
sees pseudonyms.

A pseudonym is a prefix and the first 16 hexadecimal digits of
HMAC-SHA256(key, value):

.. math::

    \\operatorname{pseudonym}(v) = p \\,\\|\\, \\operatorname{hex}\\big(
        \\operatorname{HMAC}_{\\mathrm{SHA256}}(k, \\operatorname{utf8}(v))\\big)_{1..16}

with :math:`p` = ``P`` for actor ids and ``O`` for organisation names
(RFC 2104 for HMAC). The same key gives the same pseudonym in every wave and
every run; without the key the mapping cannot be recomputed, so ids cannot be
recovered by hashing a list of candidate ids (as they could from a plain hash).

What is replaced: ``actor_id`` (actors, participation, roles, members),
``source`` and ``target`` (interactions), ``organization`` (actors), and in
``rejected.csv`` the raw fields of those columns (also ids no actors.csv
lists) and every raw field of a record with the wrong number of fields or an
unclosed quote (whose fields cannot be told apart; the unclosed quote's last
field holds the following lines). Error messages of a pseudonymised run quote
nothing from the files (:meth:`netinnov.io.InputError.redacted`). Case ids and event ids are not personal and are
kept; so are the other columns (sector, covariates, outcomes, dates).

The key comes from the file named by the config key ``pseudonym_key_file``
when it is set, else from the environment variable ``NETINNOV_PSEUDONYM_KEY``.
The raw → pseudonym map is written only to a file outside the results folder
(:func:`write_pseudonym_map`).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from netinnov.io.checker import ESCAPED_QUOTE, REJECTED_COLUMNS, UNCLOSED_QUOTE, WRONG_FIELDS
from netinnov.io.columns import TextColumn
from netinnov.io.dtypes import STRING
from netinnov.io.formulas import guard
from netinnov.io.validate import WaveData

__all__ = [
    "ACTOR_ID_COLUMNS",
    "ACTOR_PREFIX",
    "DIGITS",
    "KEY_CONFIG",
    "KEY_ENV",
    "KINDS",
    "MAP_COLUMNS",
    "MIN_KEY_BYTES",
    "ORGANIZATION_COLUMNS",
    "ORGANIZATION_PREFIX",
    "PseudonymError",
    "Pseudonymizer",
    "check_collisions",
    "load_key",
    "pseudonym",
    "pseudonymize_wave",
    "results_folders",
    "write_pseudonym_map",
]

#: Environment variable that holds the key.
KEY_ENV = "NETINNOV_PSEUDONYM_KEY"
#: Config key naming a file that holds the key.
KEY_CONFIG = "pseudonym_key_file"
#: Shortest key accepted, in bytes: ids such as ``A0001`` are few and easy to
#: list, so a short key could be found by trying keys against known ids.
MIN_KEY_BYTES = 16
#: Hexadecimal digits of the HMAC kept in a pseudonym (64 bits).
DIGITS = 16
#: Prefix of actor-id pseudonyms.
ACTOR_PREFIX = "P"
#: Prefix of organisation-name pseudonyms.
ORGANIZATION_PREFIX = "O"
#: Columns that hold actor ids, in the validated tables and in rejected.csv.
ACTOR_ID_COLUMNS = ("actor_id", "source", "target")
#: Columns that hold organisation names.
ORGANIZATION_COLUMNS = ("organization",)
#: Columns of the pseudonym map.
MAP_COLUMNS = ("kind", "raw", "pseudonym")

#: Kinds of replaced values and their prefixes: actor ids, organisation names, and
#: the fields of rejected records with the wrong number of fields (hashed like
#: actor ids, since any of them may be one).
KINDS = {"actor_id": ACTOR_PREFIX, "organization": ORGANIZATION_PREFIX, "field": ACTOR_PREFIX}


class PseudonymError(ValueError):
    """Pseudonymisation cannot go ahead: no key, a key in a shared folder, a collision."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def results_folders(wave_dir: Path | str) -> list[Path]:
    """The shared results folders around a wave's results folder.

    For ``results/<dataset>/waves/<wave>`` these are ``results/<dataset>/``
    and ``results/``; for any other path, the path itself. Neither the key
    file nor the pseudonym map may lie in them.
    """
    out = Path(wave_dir).resolve()
    if out.parent.name != "waves":
        return [out]
    folders = [out.parents[1]]
    if out.parents[2].name == "results":
        folders.append(out.parents[2])
    return folders


def load_key(
    key_file: str | Path | None = None,
    *,
    forbidden: Iterable[Path] = (),
    environ: Mapping[str, str] | None = None,
) -> bytes:
    """The pseudonymisation key.

    Parameters
    ----------
    key_file
        Path of a file holding the key (config ``pseudonym_key_file``); when
        given it is used, else the environment variable ``NETINNOV_PSEUDONYM_KEY``.
        Surrounding whitespace (a trailing newline) is not part of the key.
    forbidden
        Folders the key file must not lie in (the results folder, whose files
        are shared, and the dataset folder, whose files the manifest checksums).
    environ
        The environment to read (default ``os.environ``).

    Raises
    ------
    PseudonymError
        No key, an empty or short key (< ``MIN_KEY_BYTES`` bytes), a missing
        key file, or a key file inside a forbidden folder.
    """
    environ = os.environ if environ is None else environ
    if key_file is not None and str(key_file).strip():
        path = Path(key_file).expanduser()
        for folder in forbidden:
            if _inside(path, Path(folder)):
                raise PseudonymError(
                    f"the pseudonym key file {path} (config key '{KEY_CONFIG}') lies inside "
                    f"{folder}; keep the key outside the results and dataset folders"
                )
        if not path.is_file():
            raise PseudonymError(
                f"the pseudonym key file {path} (config key '{KEY_CONFIG}') does not exist"
            )
        key = path.read_bytes().strip()
        source = f"the key file {path}"
    else:
        text = environ.get(KEY_ENV)
        if text is None or not text.strip():
            raise PseudonymError(
                f"pseudonymize is true but no key is given: set the environment variable "
                f"{KEY_ENV} or the config key '{KEY_CONFIG}' (a file outside results/)"
            )
        key = text.strip().encode("utf-8")
        source = f"the environment variable {KEY_ENV}"
    if len(key) < MIN_KEY_BYTES:
        raise PseudonymError(
            f"the pseudonym key in {source} has {len(key)} bytes; use at least "
            f"{MIN_KEY_BYTES} random characters (e.g. `python -c \"import secrets; "
            f"print(secrets.token_hex(32))\"`)"
        )
    return key


def pseudonym(value: str, key: bytes, prefix: str = ACTOR_PREFIX) -> str:
    """The pseudonym of one value: ``prefix`` + the first 16 hex digits of HMAC-SHA256.

    Parameters
    ----------
    value
        The raw id (text; encoded as UTF-8).
    key
        The secret key.
    prefix
        ``P`` for actor ids, ``O`` for organisation names.
    """
    digest = hmac.digest(key, value.encode("utf-8"), "sha256")
    return prefix + digest.hex()[:DIGITS]


class Pseudonymizer:
    """Replaces values by their pseudonyms and remembers every pair it made.

    Work is per distinct value (one HMAC each), broadcast to the rows with
    integer codes; a column of millions of rows with 100,000 distinct ids
    costs 100,000 HMACs.

    Parameters
    ----------
    key
        The secret key (:func:`load_key`).
    """

    def __init__(self, key: bytes) -> None:
        if not key:
            raise PseudonymError("the pseudonym key is empty")
        self._key = key
        self._pairs: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}

    def _hash_distinct(self, distinct: np.ndarray, kind: str) -> np.ndarray:
        known, prefix = self._pairs[kind], KINDS[kind]
        out = np.empty(len(distinct), dtype=object)
        for i, value in enumerate(distinct):  # one HMAC per distinct value
            name = known.get(value)
            if name is None:
                name = known[value] = pseudonym(value, self._key, prefix)
            out[i] = name
        return out

    def column(self, values: pd.Series, kind: str = "actor_id", *, strip: bool = False) -> pd.Series:
        """``values`` with every non-empty value replaced by its pseudonym.

        ``kind`` is one of :data:`KINDS` (``actor_id``, ``organization``,
        ``field``) and sets the prefix.

        Missing values stay missing; empty text (after stripping, when
        ``strip``) stays empty. The result is text with the index of ``values``.
        """
        column = TextColumn.from_text(values, strip=strip)
        names = self._hash_distinct(np.asarray(column.values.to_pylist(), dtype=object), kind)
        out = TextColumn(column.codes, pa.array(names, type=pa.large_string())).to_series()
        out.index = values.index
        blank = values.notna().to_numpy(dtype=bool) & column.missing
        if blank.any():  # empty text stays empty text, missing stays missing
            out = out.where(~blank, "")
        return out

    def mapping(self) -> pd.DataFrame:
        """Every raw → pseudonym pair made so far: ``kind, raw, pseudonym``, sorted.

        Raises
        ------
        PseudonymError
            When two different values got one pseudonym (a collision).
        """
        frames = [
            pd.DataFrame({"kind": kind, "raw": list(pairs), "pseudonym": list(pairs.values())})
            for kind in KINDS
            if (pairs := self._pairs[kind])
        ]
        if not frames:
            return pd.DataFrame({c: pd.Series([], dtype=STRING) for c in MAP_COLUMNS})
        out = pd.concat(frames, ignore_index=True).astype(STRING)
        check_collisions(out)
        return out.sort_values(["kind", "raw"], kind="stable").reset_index(drop=True)


def check_collisions(mapping: pd.DataFrame) -> None:
    """Raise PseudonymError when two different raw values share one pseudonym."""
    shared = mapping.groupby("pseudonym", sort=True)["raw"].nunique()
    if (shared > 1).any():
        n = int((shared > 1).sum())
        raise PseudonymError(
            f"{n} pseudonym{'s' if n != 1 else ''} stand for more than one value "
            "(a hash collision); use another key"
        )


def _tables(data: WaveData) -> dict[str, pd.DataFrame | None]:
    return {
        "actors": data.actors,
        "interactions": data.interactions,
        "participation": data.participation,
        "roles": data.roles,
        "members": data.members,
    }


def _pseudonymize_frame(frame: pd.DataFrame, names: Pseudonymizer) -> pd.DataFrame:
    out = frame.copy()
    for col in ACTOR_ID_COLUMNS:
        if col in out.columns:
            out[col] = names.column(out[col], "actor_id")
    for col in ORGANIZATION_COLUMNS:
        if col in out.columns:
            out[col] = names.column(out[col], "organization")
    return out


def _pseudonymize_rejected(rejected: pd.DataFrame, names: Pseudonymizer, organizations: set[str]) -> pd.DataFrame:
    out = rejected.copy()
    fields = [c for c in out.columns if c not in REJECTED_COLUMNS]
    # rows whose fields cannot be told apart: a wrong number of fields, or an unclosed
    # quote whose last field holds the following lines (their ids included), or a
    # backslash-escaped quote that the file's dialect cannot place
    malformed = out["reason"].astype(STRING).isin([WRONG_FIELDS, UNCLOSED_QUOTE, ESCAPED_QUOTE]).fillna(False).to_numpy(dtype=bool)
    for col in fields:
        if col in ACTOR_ID_COLUMNS:
            out[col] = names.column(out[col], "actor_id", strip=True)
        elif col in ORGANIZATION_COLUMNS:
            out[col] = names.column(out[col], "organization", strip=True)
    if malformed.any():
        # the fields of a record with the wrong number of fields may sit under any
        # column: every one is replaced (organisation names known at this wave by
        # their organisation pseudonym, anything else as an actor id would be)
        rows = out.loc[malformed, fields].astype(STRING)
        for col in fields:
            if col in ACTOR_ID_COLUMNS or col in ORGANIZATION_COLUMNS:
                continue
            text = rows[col].str.strip()
            is_org = text.isin(organizations).to_numpy(dtype=bool)
            replaced = names.column(text.where(~is_org), "field")
            replaced = replaced.where(~is_org, names.column(text.where(is_org), "organization"))
            out[col] = out[col].astype(STRING)
            out.loc[malformed, col] = replaced.fillna("").to_numpy()
    for col in fields:
        out[col] = out[col].astype(STRING).fillna("")
    return out


def pseudonymize_wave(data: WaveData, key: bytes) -> tuple[WaveData, pd.DataFrame]:
    """A wave's validated data with actor ids and organisation names pseudonymised.

    Parameters
    ----------
    data
        The validated wave (:func:`netinnov.io.validate_wave`).
    key
        The secret key (:func:`load_key`).

    Returns
    -------
    data
        A new WaveData: actor ids in ``actors``, ``interactions`` (``source``,
        ``target``), ``participation``, ``roles`` and ``members``, organisation
        names in ``actors``, and the id-bearing raw fields of ``rejected``
        replaced (every raw field of a record with the wrong number of
        fields). The summary holds no ids and is kept.
    mapping
        ``kind`` (``actor_id``, ``organization``, or ``field`` for the fields
        of malformed rejected records), ``raw``, ``pseudonym`` of every value
        replaced, sorted.

    Raises
    ------
    PseudonymError
        When two different values got one pseudonym.
    """
    names = Pseudonymizer(key)
    organizations = set()
    if "organization" in data.actors.columns:
        organizations = set(data.actors["organization"].dropna().astype(str))
    tables = {
        name: None if frame is None else _pseudonymize_frame(frame, names)
        for name, frame in _tables(data).items()
    }
    rejected = _pseudonymize_rejected(data.rejected, names, organizations)
    mapping = names.mapping()
    return replace(data, rejected=rejected, **tables), mapping


def write_pseudonym_map(mapping: pd.DataFrame, path: Path | str, *, forbidden: Iterable[Path] = ()) -> Path:
    """Write the raw → pseudonym map (CSV ``kind, raw, pseudonym``).

    Raises
    ------
    PseudonymError
        When ``path`` lies inside one of the ``forbidden`` folders (the
        results folder: the map must never be shared with the results).
    """
    path = Path(path)
    for folder in forbidden:
        if _inside(path, Path(folder)):
            raise PseudonymError(
                f"the pseudonym map {path} would lie inside {folder}; it must be kept "
                "outside the results folder"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    guard(mapping.loc[:, list(MAP_COLUMNS)]).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path
