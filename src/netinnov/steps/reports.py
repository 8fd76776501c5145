"""The report steps: notebooks executed into HTML pages, the case selection,
the case pages, the interactive network views, the index and the codebook page
(rules ``*_report``, ``case_selection``, ``case_reports``, ``interactive_views``,
``report_index``, ``codebook_report``). The figures and tables themselves are
drawn by :mod:`netinnov.reports`."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = ["case_reports", "case_selection", "codebook_report", "interactive_views", "report", "report_index"]

log = logging.getLogger("netinnov.reports")


def report(*, notebook: Path, out: Path, html: Path, param: Sequence[str] | None = None) -> None:
    """Execute ``notebook`` (papermill) into ``out`` with the ``key=value`` ``param`` and render ``html``."""
    from netinnov.reports.execute import execute_notebook, parse_parameters

    execute_notebook(Path(notebook), Path(out), Path(html), parse_parameters(param))


def case_selection(*, cases: Sequence[Path], waves: Sequence[str], case_reports: str, per_job: int, out: Path) -> None:
    """Choose the cases that get a network page, and the part (job) of each page,
    from each wave's ``cases.csv`` (in wave order)."""
    from netinnov.reports.selection import wave_selection

    table = wave_selection(list(cases), list(waves), case_reports, per_job=int(per_job), out=Path(out))
    log.info("%d case pages in %d parts", len(table), table[["wave", "part"]].drop_duplicates().shape[0])


def case_reports(
    *, notebook: Path, selection: Path, wave: str, part: str, wave_dir: str, out: Path,
    figures: Path | None = None, interactive_dir: Path | None = None, param: Sequence[str] | None = None,
) -> None:  # fmt: skip
    """Render the case pages of one part of a wave in one kernel."""
    from netinnov.io.result_tables import read_table
    from netinnov.reports.execute import execute_many, parse_parameters

    table = read_table(selection)
    rows = table[(table["wave"].astype(str) == wave) & (table["part"].astype(str) == part)]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    figures = Path(figures) if figures else None
    if figures is not None:
        figures.mkdir(parents=True, exist_ok=True)  # a pipeline output, even for a part without pages
    common = parse_parameters(param)
    runs = []
    for case_id, page in zip(rows["case_id"].astype(str), rows["page"].astype(str), strict=True):
        html = out / page
        params = {**common, "wave": wave, "wave_dir": str(wave_dir), "case_id": case_id}
        if figures is not None:  # the case's figures (PNG, SVG, PDF) in a folder named like its page
            params["figures_dir"] = str(figures / Path(page).stem)
        if interactive_dir:  # the case's interactive view, same file name
            params["interactive_page"] = os.path.relpath(Path(interactive_dir) / wave / page, out)\
                .replace(os.sep, "/")
        runs.append((Path(notebook), html.with_suffix(".ipynb"), html, params))
    n = execute_many(runs, cwd=out)
    log.info("wave %s %s: %d case pages", wave, part, n)


def interactive_views(
    *, selection: Path, wave: str, wave_dir: Path, out: Path, group_attribute: str = "sector",
    seed: str = "1", directed: str = "false", cases_dir: Path | None = None,
) -> None:  # fmt: skip
    """Write the interactive network view of each selected case of a wave."""
    from netinnov.io.result_tables import read_table
    from netinnov.reports.interactive import write_wave_pages

    pages = write_wave_pages(read_table(selection), wave, Path(wave_dir), Path(out),
                             group_attribute=group_attribute, seed=int(seed),
                             cases_dir=Path(cases_dir) if cases_dir else None,
                             directed=directed.lower() in ("true", "1", "yes"))
    log.info("wave %s: %d interactive network pages", wave, len(pages))


def report_index(
    *, out: Path, pages: Sequence[Path], title: str = "netinnov reports", selection: Path | None = None,
    waves: str = "", empty_results: Path | None = None, interactive: Path | None = None,
) -> None:  # fmt: skip
    """Write ``reports/index.html`` linking every report page (and the case pages of ``selection``)."""
    from netinnov.io.result_tables import read_table
    from netinnov.reports.index import write_index

    chosen = read_table(selection) if selection else None
    empty = read_table(empty_results) if empty_results else None
    write_index(Path(out), [Path(p) for p in pages], title=title, selection=chosen,
                waves=[w for w in waves.split(",") if w], empty_results=empty,
                interactive_dir=Path(interactive) if interactive else None)


def codebook_report(*, datapackage: Path, out: Path, methods: Path | None = None, title: str = "Codebook") -> None:
    """Write ``reports/codebook.html`` from ``datapackage.json`` and ``methods.md``."""
    from netinnov.reports.codebook import write_codebook_page

    write_codebook_page(Path(datapackage), Path(out), Path(methods) if methods else None, title=title)
