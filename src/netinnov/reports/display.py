"""Showing figures and tables in a report notebook, and saving them for the
Snakemake report.

:func:`show` renders a figure once to PNG, displays it with alternative text
(its title) and, when the notebook was given a figures folder, writes the
same PNG there; :func:`show_table` displays a rounded, captioned table and can
write it as a small HTML page.
"""

from __future__ import annotations

import html as html_lib
import re
from io import BytesIO
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
# text from data (case ids, sector labels) in titles and labels is shown as it
# is: no ``$...$`` mathtext, which would render or fail on a ``$`` in an id
matplotlib.rcParams["text.parse_math"] = False

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netinnov.reports.text import (  # noqa: E402
    MISSING,
    format_count,
    format_number,
    format_p,
    is_count_column,
    is_p_column,
    md,
    md_unescape,
)

__all__ = [
    "FIGURE_DPI",
    "FIGURE_FORMATS",
    "figure_title",
    "format_count",
    "format_number",
    "format_p",
    "md",
    "md_unescape",
    "note",
    "safe_name",
    "save_figure",
    "show",
    "show_table",
    "table_html",
]

#: Resolution of the PNG figures (shown in the page and saved): fit to print.
FIGURE_DPI = 200
#: The formats every saved figure is written in, side by side (same name):
#: PNG for the pages and the Snakemake report, SVG and PDF (vector) for print.
FIGURE_FORMATS = ("png", "svg", "pdf")


def safe_name(text: str) -> str:
    """A file-name-safe version of ``text`` (letters, digits, ``-``, ``_``, ``.``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(text)).strip("._")
    return name or "unnamed"


def figure_title(fig: plt.Figure) -> str:
    """The figure's suptitle, else the titles of its axes joined by ``; ``."""
    sup = fig.get_suptitle()
    if sup:
        return sup
    return "; ".join(t for t in (ax.get_title() for ax in fig.axes) if t)


def _metadata(fmt: str) -> dict:
    """File metadata without the matplotlib version and date, so that a rerun
    writes the same bytes (where the format allows)."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Creator": None, "Date": None}
    if fmt == "pdf":
        return {"Creator": None, "Producer": None, "CreationDate": None}
    return {}


def _render(fig: plt.Figure, fmt: str, dpi: int) -> bytes:
    buffer = BytesIO()
    # a fixed salt: the SVG's element ids (clip paths) are the same on every run
    with matplotlib.rc_context({"svg.hashsalt": "netinnov"}):
        fig.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_metadata(fmt))
    return buffer.getvalue()


def save_figure(fig: plt.Figure, folder: str | Path, name: str, *, dpi: int = FIGURE_DPI,
                formats: tuple[str, ...] = FIGURE_FORMATS) -> list[Path]:
    """Write ``fig`` as ``<folder>/<name>.png``, ``.svg`` and ``.pdf`` (the PNG at
    ``dpi``, at least 200), side by side; returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = folder / f"{safe_name(name)}.{fmt}"
        path.write_bytes(_render(fig, fmt, dpi))
        paths.append(path)
    return paths


def show(
    fig: plt.Figure,
    name: str | None = None,
    *,
    figures_dir: str | Path | None = None,
    alt: str | None = None,
    dpi: int = FIGURE_DPI,
) -> None:
    """Display ``fig`` as a PNG with alternative text, save it when asked, close it.

    Parameters
    ----------
    fig
        The figure.
    name
        File name (without the extension) under ``figures_dir``.
    figures_dir
        Folder for the figure files, written as PNG, SVG and PDF side by side
        (:data:`FIGURE_FORMATS`); ``None`` or ``""`` saves nothing.
    alt
        Alternative text; default the figure's title.
    dpi
        Resolution of the PNG (default :data:`FIGURE_DPI`).

    Returns nothing (so that a cell ending in ``show(...)`` displays the
    figure once).
    """
    from IPython.display import Image, display

    png = _render(fig, "png", dpi)
    text = alt or figure_title(fig) or "figure"
    if figures_dir and name:
        folder = Path(figures_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{safe_name(name)}.png").write_bytes(png)
        save_figure(fig, folder, name, dpi=dpi, formats=tuple(f for f in FIGURE_FORMATS if f != "png"))
    plt.close(fig)
    display(Image(data=png, format="png", alt=text))


def _missing(value) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _formatted(frame: pd.DataFrame, precision: int) -> pd.DataFrame:
    """The cells as text: counts as whole numbers with thousands separators
    (:func:`~netinnov.reports.text.format_count`), p- and q-values in the one
    p-value format (:func:`~netinnov.reports.text.format_p`), other floats
    rounded to ``precision`` decimals, missing values as ``–``."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_bool_dtype(values):
            out[col] = [(MISSING if _missing(v) else str(v)) for v in values.astype(object).to_numpy()]
        elif pd.api.types.is_integer_dtype(values):
            out[col] = [format_count(v) for v in values.to_numpy()]
        elif pd.api.types.is_float_dtype(values) and is_p_column(col):
            out[col] = [format_p(v) for v in values.to_numpy(dtype=float)]
        elif pd.api.types.is_float_dtype(values):
            x = values.to_numpy(dtype=float)
            finite = x[np.isfinite(x)]
            whole = is_count_column(col) and bool(np.all(finite == np.round(finite)))
            out[col] = [format_count(v) if whole else (MISSING if _missing(v) else f"{v:,.{precision}f}") for v in x]
        else:
            out[col] = [(MISSING if _missing(v) else str(v)) for v in values.astype(object).to_numpy()]
    return out


def table_html(frame: pd.DataFrame, caption: str, *, precision: int = 3, index: bool = False) -> str:
    """``frame`` as an HTML table with a caption: floats rounded to
    ``precision``, numbers right-aligned, text left-aligned, missing as ``–``."""
    shown = frame.reset_index() if index else frame
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
               for c in shown.columns]
    cells = _formatted(shown, precision).to_numpy(dtype=object)
    align = ["num" if n else "txt" for n in numeric]
    head = "".join(f'<th class="{a}">{html_lib.escape(str(c))}</th>' for c, a in zip(shown.columns, align, strict=True))
    rows = "".join(
        "<tr>" + "".join(f'<td class="{a}">{html_lib.escape(v)}</td>' for v, a in zip(row, align, strict=True)) + "</tr>"
        for row in cells
    )
    return (f'<table class="netinnov-table"><caption>{html_lib.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


#: Table style. The wrapper scrolls sideways when the table is wider than the
#: page (an actor table of many metrics), rather than clipping a column.
_TABLE_CSS = (
    ".netinnov-table-wrap{overflow-x:auto;max-width:100%}"
    "table.netinnov-table{border-collapse:collapse;font-family:sans-serif;font-size:13px;margin:.5em 0}"
    "table.netinnov-table caption{font-weight:bold;text-align:left;padding:.3em 0}"
    "table.netinnov-table th,table.netinnov-table td{border-bottom:1px solid #ddd;padding:3px 8px}"
    "table.netinnov-table th{background:#f3f3f3}"
    "table.netinnov-table .num{text-align:right;font-variant-numeric:tabular-nums}"
    "table.netinnov-table .txt{text-align:left}"
)


def show_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    precision: int = 3,
    index: bool = False,
    name: str | None = None,
    figures_dir: str | Path | None = None,
    max_rows: int | None = None,
) -> None:
    """Display a captioned table, floats rounded; optionally save it as
    ``<figures_dir>/<name>.html`` (a small stand-alone page)."""
    from IPython.display import HTML, display

    shown = frame
    more = ""
    if max_rows is not None and len(frame) > max_rows:
        shown = frame.head(max_rows)
        more = f" (first {max_rows} of {len(frame)} rows)"
    body = table_html(shown, caption + more, precision=precision, index=index)
    display(HTML(f'<style>{_TABLE_CSS}</style><div class="netinnov-table-wrap" style="overflow-x:auto;max-width:100%">{body}</div>'))
    if figures_dir and name:
        folder = Path(figures_dir)
        folder.mkdir(parents=True, exist_ok=True)
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html_lib.escape(caption)}</title>'
            f'<style>{_TABLE_CSS}</style></head><body><div class="netinnov-table-wrap" style="overflow-x:auto;max-width:100%">'
            f"{table_html(frame, caption, precision=precision, index=index)}</div>"
            "</body></html>\n"
        )
        (folder / f"{safe_name(name)}.html").write_text(page, encoding="utf-8")


def note(text: str) -> None:
    """Display a Markdown paragraph (a finding, or why a section is empty).

    ``text`` is Markdown: every value from data in it must go through
    :func:`md` (``note(f"## Case {md(case_id)}")``).
    """
    from IPython.display import Markdown, display

    display(Markdown(text))
