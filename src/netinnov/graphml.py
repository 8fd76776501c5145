"""GraphML files of the case networks, for people and other tools (Gephi,
igraph, networkx, R).

The writer formats whole columns at once instead of walking a graph object,
so a network of 100,000 actors is written in seconds. The output reads back
with ``networkx.read_graphml`` and ``igraph.Graph.Read_GraphML``.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from netinnov.filenames import case_file_name
from netinnov.networks import CaseNetwork

__all__ = ["case_file_name", "write_case_graphml", "write_graphml"]

def _escape(series: pd.Series) -> pd.Series:
    """XML-escape text column-wise (missing values stay missing)."""
    text = series.astype("string")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.str.replace(char, entity, regex=False)
    return text.astype(object)


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
    if kind == "boolean":
        text = series.map(lambda v: "true" if v else "false")
    elif kind == "double":
        text = pd.Series(np.char.mod("%.17g", series.to_numpy(dtype=float)), index=series.index)
    elif kind == "long":
        text = series.astype("Int64").astype(str)
    elif pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d")
    else:
        text = _escape(series)
    return text.astype(object).where(~missing, None)


def _data_columns(frame: pd.DataFrame, keys: list[tuple[str, str, str]], prefix: str) -> pd.Series:
    """The ``<data>`` elements of each row as one string per row."""
    out = pd.Series("", index=frame.index, dtype=object)
    for key_id, name, kind in keys:
        text = _as_text(frame[name], kind)
        piece = ('<data key="' + key_id + '">') + text.fillna("") + "</data>"
        out = out + piece.where(text.notna(), "")
    return out


def write_case_graphml(net: CaseNetwork, path: Path | str, *, node_data: pd.DataFrame | None = None) -> None:
    """Write one case network as GraphML.

    Node attributes: the group attribute (e.g. ``sector``), the actor
    attributes of the network and the columns of ``node_data`` (indexed by
    actor id), missing values left out; edge attributes: every tie column but
    the integer indices.
    """
    nodes = pd.DataFrame(index=net.index)
    nodes[net.group_attribute] = pd.Series(net.group_names, index=net.index).astype(object)
    if len(net.attributes.columns):
        nodes = nodes.join(net.attributes.reindex(net.actors).set_axis(net.index))
    if node_data is not None:
        nodes = nodes.join(node_data.drop(columns=[c for c in node_data.columns if c in nodes.columns]))
    edges = net.ties.drop(columns=["source_index", "target_index"]).reset_index(drop=True)
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
        lines.append(f'<key id="{key_id}" for="node" attr.name="{escape(name)}" attr.type="{kind}"/>')
    for key_id, name, kind in edge_keys:
        lines.append(f'<key id="{key_id}" for="edge" attr.name="{escape(name)}" attr.type="{kind}"/>')
    default = "directed" if net.directed else "undirected"
    lines.append(f'<graph id="{escape(str(net.case_id))}" edgedefault="{default}">')
    ids = _escape(pd.Series(net.actors, index=net.index))
    node_xml = '<node id="' + ids + '">' + _data_columns(nodes, node_keys, "n") + "</node>"
    lines.extend(node_xml.tolist())
    if len(edges):
        src, tgt = _escape(edges["source"]), _escape(edges["target"])
        edge_xml = '<edge source="' + src + '" target="' + tgt + '">' + _data_columns(edges, edge_keys, "e") + "</edge>"
        lines.extend(edge_xml.tolist())
    lines.append("</graph>")
    lines.append("</graphml>")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_graphml(
    networks: dict[str, CaseNetwork], folder: Path | str, *, node_data: dict[str, pd.DataFrame] | None = None
) -> None:
    """Write ``<folder>/<case>.graphml`` for every case network."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for case_id, net in networks.items():
        extra = node_data.get(case_id) if node_data else None
        write_case_graphml(net, folder / f"{case_file_name(case_id)}.graphml", node_data=extra)
