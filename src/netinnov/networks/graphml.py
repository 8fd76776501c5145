"""GraphML files of the case networks, for people and other tools (Gephi,
igraph, networkx, R).

The writer formats whole columns at once (in chunks of rows, so that memory
stays bounded) instead of walking a graph object, so a network of 100,000
actors and millions of ties is written in seconds. The output reads back
with ``networkx.read_graphml`` and ``igraph.Graph.Read_GraphML``.

Every id and text value is XML-escaped (:func:`_escape`): ``& < > "`` as
entities, tab, line feed and carriage return as character references, and
the control characters XML 1.0 cannot hold (U+0000–U+001F but those three,
U+FFFE, U+FFFF) as the text ``\\uXXXX``, so that every file parses.

The pipeline writes every per-actor column of ``actors.csv`` (degrees,
brokerage, diversity, role scores, reported roles, response) as node
attributes and every per-tie column of ``ties.csv`` (strength, tie class,
overlap, local bridge, ...) as edge attributes (:func:`write_graphml` with
``actors`` and ``ties``), each under a typed key (``double``, ``long``,
``boolean`` or ``string``), so that Gephi and visone show them.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from netinnov.contract import case_file_name
from netinnov.networks.case_network import CaseNetwork

__all__ = ["case_file_name", "write_case_graphml", "write_graphml"]

#: Nodes or edges formatted at a time.
_CHUNK_ROWS = 50_000

#: Characters that XML escapes, and those XML 1.0 cannot hold at all.
_SPECIAL = "[&<>\"\x00-\x1f\ufffe\uffff]"
_INVALID = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
_SPECIAL_RE = re.compile(_SPECIAL)
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
             ("\t", "&#9;"), ("\n", "&#10;"), ("\r", "&#13;"))


def _invalid_char(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def _escape(series: pd.Series) -> pd.Series:
    """XML-escape text column-wise for attribute values and element text
    (missing values stay missing).

    ``& < > "`` become entities; tab, line feed and carriage return become
    character references (a reader keeps them, where a raw one in an
    attribute would be read as a space); the characters XML 1.0 cannot hold
    (U+0000–U+001F but those three, U+FFFE, U+FFFF) are written as the text
    ``\\uXXXX`` (``a\\x01`` is written ``a\\u0001``). Only the values holding
    such a character are rewritten, so ordinary ids cost one scan.
    """
    text = series.astype("string")
    special = text.str.contains(_SPECIAL, regex=True).fillna(False).to_numpy(dtype=bool)
    out = text.astype(object)
    if special.any():
        part = text[special]
        for char, entity in _ENTITIES:
            part = part.str.replace(char, entity, regex=False)
        out[special] = part.str.replace(_INVALID, _invalid_char, regex=True).astype(object)
    return out


def _escape_text(value) -> str:
    """One value escaped as :func:`_escape` does (a key name, the graph id)."""
    text = str(value)
    if _SPECIAL_RE.search(text) is None:  # nothing to escape (the usual name): no Series
        return text
    return _escape(pd.Series([text])).iloc[0]


def _graphml_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "long"
    if pd.api.types.is_numeric_dtype(series):
        return "double"
    return "string"


def _as_text(series: pd.Series, kind: str) -> pd.Series:
    missing = series.isna()
    if kind == "boolean":  # a nullable boolean column: its missing values are left out below
        text = series.map(lambda v: "false" if v is pd.NA or v is None or not v else "true")
    elif kind == "double":
        # "%.17g" of each value (the text numpy's char.mod gave, without its per-element numpy calls)
        values = series.to_numpy(dtype=float).tolist()
        text = pd.Series(["%.17g" % v for v in values], index=series.index, dtype=object)  # noqa: UP031
    elif kind == "long":
        text = series.astype("Int64").astype(str)
    elif pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
    else:
        text = _escape(series)
    return text.astype(object).where(~missing, None)


def _data_column(series: pd.Series, key_id: str, kind: str) -> list[str]:
    """The ``<data>`` element of each row of one column (``""`` where the value is missing).

    Each element is one ``%`` formatting of the value (a double formats
    straight from the float, as ``"%.17g"`` in :func:`_as_text` does), and the
    missing rows are blanked at once: no per-row Python beyond the formatting.
    """
    if kind == "double":
        present = series.notna().to_numpy(dtype=bool)
        values = series.to_numpy(dtype=float).tolist()
        elements = list(map(('<data key="' + key_id + '">%.17g</data>').__mod__, values))
    else:
        text = _as_text(series, kind)
        present = text.notna().to_numpy(dtype=bool)
        elements = list(map(('<data key="' + key_id + '">%s</data>').__mod__, text.tolist()))
    if not present.all():
        elements = np.array(elements, dtype=object)
        elements[~present] = ""
        elements = elements.tolist()
    return elements


def _data_columns(frame: pd.DataFrame, keys: list[tuple[str, str, str]], prefix: str) -> pd.Series:
    """The ``<data>`` elements of each row as one string per row."""
    columns = [_data_column(frame[name], key_id, kind) for key_id, name, kind in keys]
    rows = list(map("".join, zip(*columns, strict=True))) if columns else [""] * len(frame)
    return pd.Series(rows, index=frame.index, dtype=object)


def write_case_graphml(
    net: CaseNetwork, path: Path | str, *, node_data: pd.DataFrame | None = None,
    edge_data: pd.DataFrame | None = None,
) -> None:
    """Write one case network as GraphML.

    Node attributes: the group attribute (e.g. ``sector``), the actor
    attributes of the network and the columns of ``node_data`` (indexed by
    actor id), missing values left out; edge attributes: every tie column but
    the integer indices, and the columns of ``edge_data`` (one row per tie,
    in the order of ``net.ties``) that the ties do not have.
    """
    nodes = pd.DataFrame(index=net.index)
    nodes[net.group_attribute] = pd.Series(net.group_names, index=net.index).astype(object)
    if len(net.attributes.columns):
        nodes = nodes.join(net.attributes.reindex(net.actors).set_axis(net.index))
    if node_data is not None:
        nodes = nodes.join(node_data.drop(columns=[c for c in node_data.columns if c in nodes.columns]))
    edges = net.ties.drop(columns=["source_index", "target_index"]).reset_index(drop=True)
    if edge_data is not None:
        if len(edge_data) != len(edges):
            raise ValueError(f"case {net.case_id!r}: {len(edge_data)} rows of tie data for {len(edges)} ties")
        extra = edge_data.drop(columns=[c for c in edge_data.columns if c in edges.columns]).reset_index(drop=True)
        edges = edges.join(extra)
    node_keys = [(f"n{i}", c, _graphml_type(nodes[c])) for i, c in enumerate(nodes.columns)]
    edge_cols = [c for c in edges.columns if c not in ("source", "target")]
    edge_keys = [(f"e{i}", c, _graphml_type(edges[c])) for i, c in enumerate(edge_cols)]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for key_id, name, kind in node_keys:
        lines.append(f'<key id="{key_id}" for="node" attr.name="{_escape_text(name)}" attr.type="{kind}"/>')
    for key_id, name, kind in edge_keys:
        lines.append(f'<key id="{key_id}" for="edge" attr.name="{_escape_text(name)}" attr.type="{kind}"/>')
    default = "directed" if net.directed else "undirected"
    lines.append(f'<graph id="{_escape_text(net.case_id)}" edgedefault="{default}">')
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
        # rows are formatted in chunks, so memory stays bounded however large the case
        for start in range(0, len(nodes), _CHUNK_ROWS):
            part = nodes.iloc[start : start + _CHUNK_ROWS]
            ids = _escape(pd.Series(net.actors[start : start + _CHUNK_ROWS], index=part.index))
            _write_rows(fh, '<node id="' + ids + '">' + _data_columns(part, node_keys, "n") + "</node>")
        for start in range(0, len(edges), _CHUNK_ROWS):
            part = edges.iloc[start : start + _CHUNK_ROWS]
            src, tgt = _escape(part["source"]), _escape(part["target"])
            _write_rows(
                fh, '<edge source="' + src + '" target="' + tgt + '">' + _data_columns(part, edge_keys, "e") + "</edge>"
            )
        fh.write("</graph>\n</graphml>\n")


def _write_rows(fh, xml: pd.Series) -> None:
    fh.write("\n".join(xml.tolist()) + "\n")


#: Columns of actors.csv and ties.csv that are not attributes (the case, the ids).
_ID_COLUMNS = ("case_id", "actor_id", "source", "target", "line")


def _by_case(frame: pd.DataFrame | dict[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    if isinstance(frame, dict):
        return frame
    if frame is None or not len(frame) or "case_id" not in frame.columns:
        return {}
    return {str(k): v for k, v in frame.groupby(frame["case_id"].astype(str), sort=False)}


def write_graphml(
    networks: dict[str, CaseNetwork], folder: Path | str, *, node_data: dict[str, pd.DataFrame] | None = None,
    actors: pd.DataFrame | dict[str, pd.DataFrame] | None = None,
    ties: pd.DataFrame | dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write ``<folder>/<case>.graphml`` for every case network.

    ``actors`` and ``ties`` are the wave's ``actors.csv`` and ``ties.csv``
    (or a chunk's rows of them, or each case's rows by case id): every column of a case's rows but the ids
    becomes a node attribute (by actor id) or an edge attribute (the case's
    tie rows in the order of its network's ties), so that the per-actor and
    per-tie metrics are in the file.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    actor_rows, tie_rows = _by_case(actors), _by_case(ties)
    for case_id, net in networks.items():
        extra = node_data.get(case_id) if node_data else None
        rows = actor_rows.get(case_id)
        if rows is not None:
            metrics = rows.set_index(rows["actor_id"].astype(str).to_numpy())
            metrics = metrics.drop(columns=[c for c in _ID_COLUMNS if c in metrics.columns])
            metrics = metrics.reindex(pd.Index(net.actors).astype(str)).set_axis(net.index)
            extra = metrics if extra is None else extra.join(metrics.drop(columns=[c for c in metrics if c in extra]))
        edges = tie_rows.get(case_id)
        if edges is not None:
            edges = edges.drop(columns=[c for c in _ID_COLUMNS if c in edges.columns])
        write_case_graphml(net, folder / f"{case_file_name(case_id)}.graphml", node_data=extra, edge_data=edges)
