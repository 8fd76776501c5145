"""``python -m netinnov.reports``: the report steps of the pipeline.

``notebook``  execute one notebook (papermill) and render it to HTML
``select``    choose the cases that get a network page, and their parts
``cases``     render the case pages of one wave's part in one kernel
``interactive``  write the interactive network view of each selected case of a wave
``index``     write ``reports/index.html``
``codebook``  write ``reports/codebook.html`` from ``datapackage.json`` and ``methods.md``
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main"]

log = logging.getLogger("netinnov.reports")


def _notebook(args: argparse.Namespace) -> int:
    from netinnov.reports.execute import execute_notebook, parse_parameters

    execute_notebook(Path(args.notebook), Path(args.out), Path(args.html), parse_parameters(args.param))
    return 0


def _select(args: argparse.Namespace) -> int:
    from netinnov.reports.selection import wave_selection

    table = wave_selection(Path(args.results), list(args.waves), args.case_reports, per_job=int(args.per_job),
                           out=Path(args.out))
    log.info("%d case pages in %d parts", len(table), table[["wave", "part"]].drop_duplicates().shape[0])
    return 0


def _cases(args: argparse.Namespace) -> int:
    from netinnov.io.result_tables import read_table
    from netinnov.reports.execute import execute_many, parse_parameters

    selection = read_table(args.selection)
    rows = selection[(selection["wave"].astype(str) == args.wave) & (selection["part"].astype(str) == args.part)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    figures = Path(args.figures) if args.figures else None
    if figures is not None:
        figures.mkdir(parents=True, exist_ok=True)  # a pipeline output, even for a part without pages
    common = parse_parameters(args.param)
    runs = []
    for case_id, page in zip(rows["case_id"].astype(str), rows["page"].astype(str), strict=True):
        html = out / page
        params = {**common, "wave": args.wave, "wave_dir": args.wave_dir, "case_id": case_id}
        if figures is not None:  # the case's figures (PNG, SVG, PDF) in a folder named like its page
            params["figures_dir"] = str(figures / Path(page).stem)
        if args.interactive_dir:  # the case's interactive view, same file name
            params["interactive_page"] = os.path.relpath(Path(args.interactive_dir) / args.wave / page, out)\
                .replace(os.sep, "/")
        runs.append((Path(args.notebook), html.with_suffix(".ipynb"), html, params))
    n = execute_many(runs, cwd=out)
    log.info("wave %s %s: %d case pages", args.wave, args.part, n)
    return 0


def _interactive(args: argparse.Namespace) -> int:
    from netinnov.io.result_tables import read_table
    from netinnov.reports.interactive import write_wave_pages

    pages = write_wave_pages(read_table(args.selection), args.wave, Path(args.wave_dir), Path(args.out),
                             group_attribute=args.group_attribute, seed=int(args.seed),
                             cases_dir=Path(args.cases_dir) if args.cases_dir else None,
                             directed=args.directed.lower() in ("true", "1", "yes"))
    log.info("wave %s: %d interactive network pages", args.wave, len(pages))
    return 0


def _index(args: argparse.Namespace) -> int:
    from netinnov.io.result_tables import read_table
    from netinnov.reports.index import write_index

    selection = read_table(args.selection) if args.selection else None
    empty = read_table(args.empty_results) if args.empty_results else None
    write_index(Path(args.out), [Path(p) for p in args.pages], title=args.title, selection=selection,
                waves=[w for w in args.waves.split(",") if w], empty_results=empty,
                interactive_dir=Path(args.interactive) if args.interactive else None)
    return 0


def _codebook(args: argparse.Namespace) -> int:
    from netinnov.reports.codebook import write_codebook_page

    write_codebook_page(Path(args.datapackage), Path(args.out), Path(args.methods) if args.methods else None,
                        title=args.title)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m netinnov.reports", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--log", help="also write the log to this file")
        p.set_defaults(func=func)
        return p

    p = command("notebook", _notebook, "execute a notebook with papermill and render it to HTML")
    p.add_argument("--notebook", required=True, help="the notebook to run, e.g. workflow/notebooks/phases.ipynb")
    p.add_argument("--out", required=True, help="executed .ipynb")
    p.add_argument("--html", required=True, help="the HTML page to render, e.g. results/example/reports/phases.html")
    p.add_argument("-p", "--param", action="append", help="key=value notebook parameter")

    p = command("select", _select, "choose the cases that get a network page")
    p.add_argument("--results", required=True, help="results/<dataset>")
    p.add_argument("--waves", nargs="+", required=True, help="wave order, e.g. w1 w2 w3")
    p.add_argument("--case-reports", default="12", help="all | none | N (the N largest cases per wave)")
    p.add_argument("--per-job", default=25, type=int, help="case pages per job")
    p.add_argument("--out", required=True, help="reports/cases/selection.csv")

    p = command("cases", _cases, "render one part of a wave's case pages in one kernel")
    p.add_argument("--notebook", required=True, help="the case page notebook, e.g. workflow/notebooks/case_network.ipynb")
    p.add_argument("--selection", required=True, help="reports/cases/selection.csv: which cases get a page, in which part")
    p.add_argument("--wave", required=True, help="the wave, e.g. w1")
    p.add_argument("--part", required=True, help="the part of the wave's pages this job renders, e.g. part001")
    p.add_argument("--wave-dir", required=True, help="results/<dataset>/waves/<wave>")
    p.add_argument("--out", required=True, help="reports/cases/<wave>/<part>")
    p.add_argument("--figures", help="reports/figures/cases/<wave>/<part>: each case's figures in <page name>/")
    p.add_argument("--interactive-dir", help="reports/interactive: each page links its interactive view")
    p.add_argument("-p", "--param", action="append", help="key=value notebook parameter")

    p = command("interactive", _interactive, "write the interactive network view of each selected case of a wave")
    p.add_argument("--selection", required=True, help="reports/cases/selection.csv: the cases that get a view")
    p.add_argument("--wave", required=True, help="the wave, e.g. w1")
    p.add_argument("--wave-dir", required=True, help="results/<dataset>/waves/<wave>")
    p.add_argument("--out", required=True, help="reports/interactive/<wave>")
    p.add_argument("--group-attribute", default="sector", help="the group column of actors.csv (default: sector)")
    p.add_argument("--seed", default="1", help="seed of the layout (the case pages' seed)")
    p.add_argument("--directed", default="false", help="true: ties are arcs (config directed)")
    p.add_argument("--cases-dir", help="reports/cases: each view links to its case network page")

    p = command("index", _index, "write reports/index.html linking every report")
    p.add_argument("--out", required=True, help="index.html to write, e.g. results/example/reports/index.html")
    p.add_argument("--title", default="netinnov reports", help="the page title (default: netinnov reports)")
    p.add_argument("--selection", help="reports/cases/selection.csv")
    p.add_argument("--waves", default="", help="wave order, comma-separated")
    p.add_argument("--empty-results", help="models/empty_results.csv: shown first, with every reason")
    p.add_argument("--interactive", help="reports/interactive: link each case's interactive view")
    p.add_argument("pages", nargs="*", help="the report pages to link, e.g. results/example/reports/*.html")

    p = command("codebook", _codebook, "write reports/codebook.html: the codebook and the methods paragraph")
    p.add_argument("--datapackage", required=True, help="e.g. results/example/datapackage.json")
    p.add_argument("--methods", help="the methods paragraph shown on the page, e.g. results/example/methods.md")
    p.add_argument("--out", required=True, help="e.g. results/example/reports/codebook.html")
    p.add_argument("--title", default="Codebook", help="page title, e.g. 'Codebook and methods: example'")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if args.log:
        Path(args.log).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(args.log, mode="w", encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", handlers=handlers, force=True)
    try:
        return args.func(args)
    except Exception:
        log.exception("netinnov.reports %s failed", args.command)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
