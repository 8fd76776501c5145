"""``reports/index.html``: one page that links every report.

Pages are grouped: the overview of each wave, the reports across waves, and
the case network pages by wave (from ``reports/cases/selection.csv``).
"""

from __future__ import annotations

import html as html_lib
import os
import re
from pathlib import Path

import pandas as pd

__all__ = ["PAGE_TITLES", "write_index"]

#: Titles and one-line descriptions of the report pages, by file stem.
PAGE_TITLES = {
    "distributions": ("Actor metrics by sector", "brokerage roles, constraint, effective size, betweenness and "
                      "diversity of each sector's actors, per wave"),
    "phases": ("Participation by phase and sector", "who takes part in initiation, design, implementation and "
               "diffusion; the implementation test; citizen involvement"),
    "roles": ("Leadership roles", "convener, facilitator and catalyst scores against the survey reports; "
              "role presence across cases"),
    "panel": ("Change across waves", "tie turnover (Jaccard, Hamming), joiners and leavers, stability of actor metrics"),
    "models": ("Models", "case-level coefficients, cross-validated scores, predictor importance, MRQAP"),
    "validity": ("Construct validity", "how well the role, type, mixing and tie-strength measures recover what "
                 "they measure, on these data and on generated data with a known truth"),
    "power": ("Power and sensitivity", "the smallest effect each case-level model term can detect with these "
              "cases and waves, by simulation (opt-in: config power.enabled)"),
    "codebook": ("Codebook and methods", "every column of every result table (type, unit, range, definition, "
                 "reference; datapackage.json) and the run's methods paragraph (methods.md)"),
}

_STYLE = """body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em} h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
h3{font-size:1.05em;margin-bottom:.3em} li{margin:.25em 0} .desc{color:#555}
table{border-collapse:collapse;font-size:.92em} td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #eee}
td:first-child,th:first-child{text-align:left}
.empty{border:2px solid #b45309;background:#fff7ed;padding:.6em 1em;margin:1em 0}
.empty h2{margin-top:.2em;border:none;color:#9a3412} .empty td{text-align:left;vertical-align:top}
.ok{color:#166534}"""


def _link(href: str, text: str) -> str:
    return f'<a href="{html_lib.escape(href)}">{html_lib.escape(text)}</a>'


def _esc(value: object) -> str:
    return html_lib.escape("" if value is None or (isinstance(value, float) and value != value) else str(value))


def _empty_section(table: pd.DataFrame) -> list[str]:
    """The box at the top of the index: every model fit without an estimate, and why
    (``models/empty_results.csv``, :mod:`netinnov.steps.empty_results`). Every value is escaped."""
    from netinnov.models.empty_results import headline

    if not len(table):
        return ["<p class='ok' id='empty-results'>Every model fit produced an estimate.</p>"]
    flag = table["model_empty"].astype(str).str.lower().isin(["true", "1"])
    named = table["model"].fillna("").astype(str) != ""
    whole = table[flag & named].drop_duplicates(["kind", "model", "reason"])
    models = whole.drop_duplicates(["kind", "model"])
    parts = ["<div class='empty' id='empty-results'>"]
    if len(models):
        listed = "; ".join(
            f"<b>{_esc(m.model)}</b> ({_esc(m.kind.replace('_', ' '))}: "
            + _esc(" / ".join(whole.loc[(whole["kind"] == m.kind) & (whole["model"] == m.model), "reason"])) + ")"
            for m in models.itertuples(index=False)
        )
        noun = "model produced" if len(models) == 1 else "models produced"
        parts.append(f"<h2>{len(models)} {noun} no estimate</h2><p>{listed}</p>")
    else:
        parts.append(f"<h2>{_esc(headline(table)[:1].upper() + headline(table)[1:])}</h2>")
    parts.append(f"<p>{_esc(headline(table))}. Every fit without an estimate, with its reason "
                 "(<code>models/empty_results.csv</code>):</p>")
    parts.append("<table><tr><th>kind</th><th>model</th><th>wave</th><th>scope</th><th>estimators</th>"
                 "<th>fits without estimate</th><th>reason</th></tr>")
    for r in table.itertuples(index=False):
        parts.append(f"<tr><td>{_esc(r.kind)}</td><td>{_esc(r.model)}</td><td>{_esc(r.wave)}</td>"
                     f"<td>{_esc(r.scope)}</td><td>{_esc(r.estimators)}</td>"
                     f"<td>{_esc(r.n_fits)} of {_esc(r.n_fits_total)}</td><td>{_esc(r.reason)}</td></tr>")
    parts.append("</table></div>")
    return parts


def _natural(text: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def write_index(
    out: Path,
    pages: list[Path],
    *,
    title: str = "netinnov reports",
    selection: pd.DataFrame | None = None,
    cases_dir: Path | None = None,
    waves: list[str] | None = None,
    empty_results: pd.DataFrame | None = None,
    interactive_dir: Path | None = None,
) -> None:
    """Write the index page.

    Parameters
    ----------
    out
        ``reports/index.html``.
    pages
        The report pages (HTML files); ``wave_<w>.html`` are listed as wave
        overviews, the others as reports across waves.
    title
        Page title.
    selection
        ``reports/cases/selection.csv`` (``wave, case_id, n_actors, n_ties,
        part, page``): the case pages, listed per wave.
    cases_dir
        The folder holding ``<wave>/<part>/<page>`` (default ``<out folder>/cases``).
    waves
        Wave order (default natural order of the names).
    empty_results
        ``models/empty_results.csv``: shown first, as "N models produced no
        estimate: …" with every fit without an estimate and its reason.
    interactive_dir
        ``reports/interactive``, holding ``<wave>/<page>``: each case row
        links its interactive network view too.
    """
    out = Path(out)
    here = out.parent
    overview, across = [], []
    for page in pages:
        page = Path(page)
        m = re.fullmatch(r"wave_(.+)\.html", page.name)
        (overview if m else across).append((m.group(1) if m else page.stem, page))
    order = list(waves or [])
    rank = {w: i for i, w in enumerate(order)}
    overview.sort(key=lambda p: (rank.get(p[0], len(rank)), _natural(p[0])))
    across_order = list(PAGE_TITLES)
    across.sort(key=lambda p: (across_order.index(p[0]) if p[0] in across_order else len(across_order), p[0]))

    parts = [f"<h1>{html_lib.escape(title)}</h1>"]
    if empty_results is not None:
        parts += _empty_section(empty_results)
    if overview:
        parts.append("<h2>Waves</h2><ul>")
        for wave, page in overview:
            parts.append(f"<li>{_link(os.path.relpath(page, here), f'Wave {wave}')}"
                         " <span class='desc'>— data quality, rejected rows, network sizes</span></li>")
        parts.append("</ul>")
    if across:
        parts.append("<h2>Across waves</h2><ul>")
        for stem, page in across:
            label, desc = PAGE_TITLES.get(stem, (stem.replace("_", " "), ""))
            extra = f" <span class='desc'>— {html_lib.escape(desc)}</span>" if desc else ""
            parts.append(f"<li>{_link(os.path.relpath(page, here), label)}{extra}</li>")
        parts.append("</ul>")
    if selection is not None and len(selection):
        cases_dir = Path(cases_dir) if cases_dir is not None else here / "cases"
        parts.append("<h2>Case networks</h2>")
        sel = selection.copy()
        sel["wave"] = sel["wave"].astype(str)
        wave_names = list(dict.fromkeys(sel["wave"]))
        wave_names.sort(key=lambda w: (rank.get(w, len(rank)), _natural(w)))
        for wave in wave_names:
            rows = sel[sel["wave"] == wave].sort_values("rank", kind="stable")
            parts.append(f"<h3 id='cases-{html_lib.escape(wave)}'>Wave {html_lib.escape(wave)} "
                         f"<span class='desc'>({len(rows)} case pages, largest first)</span></h3>")
            view = "<th>interactive</th>" if interactive_dir is not None else ""
            parts.append(f"<table><tr><th>case</th><th>actors</th><th>ties</th>{view}</tr>")
            for r in rows.itertuples(index=False):
                href = os.path.relpath(cases_dir / wave / str(r.part) / str(r.page), here)
                cell = ""
                if interactive_dir is not None:
                    cell = f"<td>{_link(os.path.relpath(Path(interactive_dir) / wave / str(r.page), here), 'view')}</td>"
                parts.append(f"<tr><td>{_link(href, str(r.case_id))}</td><td>{int(r.n_actors)}</td>"
                             f"<td>{int(r.n_ties)}</td>{cell}</tr>")
            parts.append("</table>")
    elif selection is not None:
        parts.append("<h2>Case networks</h2><p class='desc'>No case pages (config key "
                     "<code>case_reports: none</code>).</p>")
    doc = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html_lib.escape(title)}</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(doc, encoding="utf-8")
