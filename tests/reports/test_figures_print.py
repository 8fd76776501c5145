"""Figures fit to print (issue 16, item 4): every saved figure as PNG (at least
200 dpi), SVG and PDF side by side; network drawings with arrowheads for
directed ties, isolates in a band below the core and labels that do not
overlap; one format for counts and one for p-values in every table."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

from netinnov.reports import display, network  # noqa: E402
from netinnov.reports.display import FIGURE_DPI, save_figure, show, show_table, table_html  # noqa: E402
from netinnov.reports.text import (  # noqa: E402
    format_count,
    format_number,
    format_p,
    is_count_column,
    is_p_column,
)

SECTORS = ["public", "private", "civil_society", "citizen"]


# ----------------------------------------------------------------- PNG resolution
def png_dpi(path: Path) -> tuple[float, float]:
    """The resolution written in a PNG's pHYs chunk (pixels per metre → dpi)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        body = data[at + 8:at + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0]
        if kind == b"pHYs":
            x, y, unit = struct.unpack(">IIB", body)
            assert unit == 1, "pHYs unit is not the metre"
            return x * 0.0254, y * 0.0254
        at += 12 + length
    raise AssertionError(f"{path} has no pHYs chunk")


def assert_fit_to_print(folder: Path) -> list[str]:
    """Every figure in ``folder`` (and below) as PNG ≥ 200 dpi, SVG and PDF; returns the figure names."""
    pngs = sorted(folder.rglob("*.png"))
    for png in pngs:
        svg, pdf = png.with_suffix(".svg"), png.with_suffix(".pdf")
        assert svg.is_file() and svg.read_bytes().lstrip().startswith((b"<?xml", b"<svg")), svg
        assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF"), pdf
        dpi_x, dpi_y = png_dpi(png)
        assert min(dpi_x, dpi_y) >= 199.5, f"{png}: {dpi_x:.0f} dpi"
    for vector in (*folder.rglob("*.svg"), *folder.rglob("*.pdf")):
        assert vector.with_suffix(".png").is_file(), f"{vector} without its PNG"
    return [str(p.relative_to(folder).with_suffix("")) for p in pngs]


def test_show_saves_png_svg_and_pdf_at_print_resolution(tmp_path):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1], label="line")
    ax.set_title("a figure")
    show(fig, "a figure", figures_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_figure.pdf", "a_figure.png", "a_figure.svg"]
    assert FIGURE_DPI >= 200
    assert assert_fit_to_print(tmp_path) == ["a_figure"]
    # the pixel size follows: a 4 in wide figure is at least 4 × 200 pixels wide (less the tight crop)
    width, height = struct.unpack(">II", (tmp_path / "a_figure.png").read_bytes()[16:24])
    assert width >= 0.85 * 4 * 200 and height >= 0.85 * 3 * 200


def test_saved_figures_are_reproducible(tmp_path):
    def draw():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.bar(["a", "b"], [1, 2])
        return fig

    first = save_figure(draw(), tmp_path / "one", "bars")
    second = save_figure(draw(), tmp_path / "two", "bars")
    plt.close("all")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name  # no date or version stamped in


def test_show_without_a_folder_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fig, _ = plt.subplots()
    show(fig, "x", figures_dir="")
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------- the network drawing
def _case(directed: bool, n_core: int = 45, n_isolates: int = 12, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = n_core + n_isolates
    ids = [f"actor {i:02d} of a long name" if i % 7 == 0 else f"a{i:02d}" for i in range(n)]
    rows = [(ids[i], ids[j]) for i in range(n_core) for j in range(n_core)
            if i != j and rng.random() < (0.4 if i < 15 and j < 15 else 0.05)]
    if not directed:
        rows = sorted({tuple(sorted(r)) for r in rows})
    ties = pd.DataFrame(rows, columns=["source", "target"]).assign(
        case_id="c", tie_class=lambda d: rng.choice(["strong", "weak"], len(d)),
        local_bridge=lambda d: rng.random(len(d)) < 0.1)
    if directed:
        ties["reciprocated"] = False
    actors = pd.DataFrame({"case_id": "c", "actor_id": ids, "sector": rng.choice(SECTORS, n),
                           "betweenness": np.r_[rng.exponential(20, n_core), np.zeros(n_isolates)]})
    return actors, ties


def _arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch) and p.get_gid() == "tie-arrow"]


def test_directed_ties_have_arrowheads_and_undirected_ties_none():
    actors, ties = _case(directed=True)
    ax = network.draw_case_network(actors, ties)
    assert len(_arrows(ax)) == len(ties)  # one arrowhead per directed tie
    assert all(a.get_arrowstyle().__class__.__name__ == "CurveFilledB" for a in _arrows(ax))
    plt.close(ax.figure)
    actors, ties = _case(directed=False)
    ax = network.draw_case_network(actors, ties)
    assert not _arrows(ax)
    plt.close(ax.figure)
    # the direction may also be given
    ax = network.draw_case_network(actors, ties, directed=True)
    assert len(_arrows(ax)) == len(ties)
    plt.close(ax.figure)


def test_isolates_sit_below_the_core():
    actors, ties = _case(directed=True)
    ax = network.draw_case_network(actors, ties)
    pos = ax.collections[-1].get_offsets()  # the nodes, in the order of actors
    index = pd.Index(actors["actor_id"])
    s, t = index.get_indexer(ties["source"]), index.get_indexer(ties["target"])
    isolated = network.isolate_mask(len(actors), s, t)
    assert isolated.sum() == 12
    core = pos[~isolated]
    assert pos[isolated][:, 1].max() < core[:, 1].min()  # below the bounding box of the connected actors
    lo, hi = core[:, 0].min(), core[:, 0].max()
    assert ((pos[isolated][:, 0] >= lo - 1e-9) & (pos[isolated][:, 0] <= hi + 1e-9)).all()  # within its width
    # and inside the drawing, not at the frame's edge
    y0, _ = ax.get_ylim()
    assert pos[isolated][:, 1].min() > y0
    plt.close(ax.figure)


def test_layout_is_deterministic_and_seeded():
    actors, ties = _case(directed=False, n_isolates=3)
    index = pd.Index(actors["actor_id"])
    s, t = index.get_indexer(ties["source"]), index.get_indexer(ties["target"])
    a = network.case_layout(len(actors), s, t, seed=5)
    assert np.array_equal(a, network.case_layout(len(actors), s, t, seed=5))
    assert np.isfinite(a).all() and a.shape == (len(actors), 2)
    # two components and isolates: every actor has its own place
    assert len(np.unique(np.round(a, 6), axis=0)) == len(actors)


def test_top_actors_are_labelled_without_overlap():
    actors, ties = _case(directed=True)
    ax = network.draw_case_network(actors, ties, label_top=5)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text()]
    top5 = actors.sort_values("betweenness", ascending=False, kind="stable")["actor_id"].head(5)
    assert sorted(t.get_text() for t in labels) == sorted(top5)
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (labels[i].get_text(), labels[j].get_text())
    plt.close(fig)


def test_network_legend_is_outside_the_drawing():
    actors, ties = _case(directed=True)
    ax = network.draw_case_network(actors, ties)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x0 >= ax.get_window_extent(renderer).x1  # right of the data area
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "sector" in texts and "node area: betweenness" in texts  # colour and size legends
    assert any(t.startswith("isolates (12)") for t in texts)
    plt.close(fig)


def test_many_labels_in_a_crowded_drawing_never_overlap():
    actors, ties = _case(directed=False, n_core=30, n_isolates=0, seed=3)
    ax = network.draw_case_network(actors, ties, label_top=15)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    assert len(boxes) == 15
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(15) for j in range(i + 1, 15))
    plt.close(ax.figure)


# ----------------------------------------------------------------- bar and line plots: legends outside
def test_bar_and_line_legends_are_outside_the_data_area():
    from netinnov.reports import figures

    cases = pd.DataFrame({"collaboration_type": ["a", "b", "b", "c"], "n_actors": [3, 5, 8, 13]})
    for ax in (figures.plot_collaboration_types(cases), figures.plot_size_distribution(cases),
               network.plot_brokerage_roles(pd.DataFrame({"actor_id": ["x", "y"], "gf_liaison": [3, 1],
                                                          "gf_coordinator": [1, 0]}))):
        ax.figure.canvas.draw()
        renderer = ax.figure.canvas.get_renderer()
        legend, frame = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
        assert not legend.overlaps(frame), ax.get_title()
        plt.close(ax.figure)


# ----------------------------------------------------------------- formats
@pytest.mark.parametrize(("value", "text"), [
    (36.0, "36"), (36, "36"), (np.int64(12345), "12,345"), (1234567.0, "1,234,567"), (0, "0"),
    (float("nan"), "–"), (None, "–"), (pd.NA, "–"), (2.5, "2.5"),
])
def test_format_count(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize(("value", "plain", "stated"), [
    (0.0004, "< 0.001", "p < 0.001"), (0.0, "< 0.001", "p < 0.001"), (0.001, "0.001", "p = 0.001"),
    (0.04213, "0.042", "p = 0.042"), (0.5, "0.500", "p = 0.500"), (1.0, "1.000", "p = 1.000"),
    (float("nan"), "–", "–"), (None, "–", "–"),
])
def test_format_p(value, plain, stated):
    assert format_p(value) == plain
    assert format_p(value, prefix=True) == stated


def test_column_kinds():
    for name in ("p_value", "q_value", "wilcoxon_p_value", "p_value_cr1", "p_value_plus1", "ei_p_value"):
        assert is_p_column(name), name
    for name in ("p <= 0.05", "estimate", "phase", "group"):
        assert not is_p_column(name), name
    for name in ("n", "n_actors", "n_ties", "degree", "gf_total", "cases_tested", "n_permutations"):
        assert is_count_column(name), name
    for name in ("weighted degree", "effective size", "density", "mean_degree", "estimate"):
        assert not is_count_column(name), name
    assert format_number(36.0) == "36" and format_number(1234.5678) == "1,234.568"


def test_tables_show_counts_as_integers_and_one_p_value_format():
    frame = pd.DataFrame({
        "term": ["a", "b", "c"],
        "n": [36.0, 1200.0, np.nan],  # a count read as float (a missing value in the column)
        "degree": pd.array([3, 12, 4000], dtype="Int64"),
        "estimate": [0.5, 36.0, -1.25],
        "p_value": [0.0004, 0.04213, 0.5],
        "q_value": [0.0001, np.nan, 1.0],
    })
    page = table_html(frame, "t")
    for text in ("<td class=\"num\">36</td>", "1,200", "4,000", "&lt; 0.001", "0.042", "0.500", "1.000", "36.000",
                 "–"):
        assert text in page, text
    assert "36.000</td><td class=\"num\">3<" not in page
    assert "e-04" not in page and "0.0004" not in page
    cells = display._formatted(frame, 3)
    assert list(cells["n"]) == ["36", "1,200", "–"]
    assert list(cells["estimate"]) == ["0.500", "36.000", "-1.250"]  # not a count: decimals kept


def test_case_summary_counts_and_p_values():
    row = pd.Series({"case_id": "c", "n_actors": 57.0, "n_ties": 1234.0, "density": 0.0382, "ei_p_value": 0.00001,
                     "collaboration_type": "<b>x</b>"})
    table = network.case_summary(row).set_index("measure")["value"]
    assert table["n_actors"] == "57" and table["n_ties"] == "1,234"
    assert table["density"] == "0.038" and table["ei_p_value"] == "< 0.001"
    page = table_html(network.case_summary(row), "c")
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page  # values from data stay escaped


def test_wide_tables_scroll_sideways(tmp_path, capsys):
    wide = pd.DataFrame({f"a long column name {i}": [1.5] for i in range(30)})
    show_table(wide, "wide <table>", name="wide", figures_dir=tmp_path)
    page = (tmp_path / "wide.html").read_text(encoding="utf-8")
    assert 'class="netinnov-table-wrap"' in page and "overflow-x:auto" in page
    assert "wide &lt;table&gt;" in page


# ----------------------------------------------------------------- the rendered reports
@pytest.mark.slow  # renders every report page
def test_every_saved_report_figure_is_fit_to_print(small_reports):
    figures = small_reports.reports / "figures"
    names = assert_fit_to_print(figures)
    assert len(names) >= 20
    assert "phases/phase_shares" in names
    # the case network figures are files too, one folder per case page
    for page in small_reports.case_pages:
        wave, part = page.parent.parent.name, page.parent.name
        folder = figures / "cases" / wave / part / page.stem
        assert {p.name for p in folder.iterdir()} >= {f"{n}.{e}" for n in ("network", "brokerage_roles")
                                                       for e in ("png", "svg", "pdf")}, folder


def test_cases_step_gives_each_case_its_figures_folder(tmp_path, monkeypatch):
    from netinnov import cli
    from netinnov.reports import execute

    selection = tmp_path / "selection.csv"
    pd.DataFrame({"wave": ["w1", "w1"], "part": ["part1", "part1"], "case_id": ["c 1", "c2"],
                  "page": ["c_1.html", "c2.html"]}).to_csv(selection, index=False)
    seen = []
    monkeypatch.setattr(execute, "execute_many", lambda runs, cwd: seen.extend(runs) or len(seen))
    figures = tmp_path / "figures" / "cases" / "w1" / "part1"
    assert cli.main(["case-reports", "--notebook", "nb.ipynb", "--selection", str(selection), "--wave", "w1", "--part", "part1",
                     "--wave-dir", "w", "--out", str(tmp_path / "pages"), "--figures", str(figures)]) == 0
    assert figures.is_dir()
    assert [r[3]["figures_dir"] for r in seen] == [str(figures / "c_1"), str(figures / "c2")]
