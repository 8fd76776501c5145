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
import pandas as pd  # noqa: E402

from netinnov.reports.text import md, md_unescape  # noqa: E402

__all__ = ["figure_title", "md", "md_unescape", "note", "safe_name", "show", "show_table", "table_html"]


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


def show(
    fig: plt.Figure,
    name: str | None = None,
    *,
    figures_dir: str | Path | None = None,
    alt: str | None = None,
    dpi: int = 100,
) -> None:
    """Display ``fig`` as a PNG with alternative text, save it when asked, close it.

    Parameters
    ----------
    fig
        The figure.
    name
        File name (without ``.png``) under ``figures_dir``.
    figures_dir
        Folder for the PNG; ``None`` or ``""`` saves nothing.
    alt
        Alternative text; default the figure's title.
    dpi
        Resolution.

    Returns nothing (so that a cell ending in ``show(...)`` displays the
    figure once).
    """
    from IPython.display import Image, display

    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    png = buffer.getvalue()
    text = alt or figure_title(fig) or "figure"
    plt.close(fig)
    if figures_dir and name:
        folder = Path(figures_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{safe_name(name)}.png").write_bytes(png)
    display(Image(data=png, format="png", alt=text))


def _missing(value) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _formatted(frame: pd.DataFrame, precision: int) -> pd.DataFrame:
    """Floats rounded to ``precision`` decimals (p-values to 3 significant
    digits), missing values shown as ``–``, all as text."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_float_dtype(values) and str(col).endswith(("p_value", "q_value")):
            out[col] = [("–" if _missing(v) else f"{v:.3g}") for v in values.to_numpy(dtype=float)]
        elif pd.api.types.is_float_dtype(values):
            out[col] = [("–" if _missing(v) else f"{v:,.{precision}f}") for v in values.to_numpy(dtype=float)]
        else:
            out[col] = [("–" if _missing(v) else str(v)) for v in values.astype(object).to_numpy()]
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


_TABLE_CSS = (
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
    display(HTML(f'<style>{_TABLE_CSS}</style><div style="overflow-x:auto">{body}</div>'))
    if figures_dir and name:
        folder = Path(figures_dir)
        folder.mkdir(parents=True, exist_ok=True)
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html_lib.escape(caption)}</title>'
            f"<style>{_TABLE_CSS}</style></head><body>{table_html(frame, caption, precision=precision, index=index)}"
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
