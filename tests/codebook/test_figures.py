"""Every figure and table the reports save is listed in the codebook
(``netinnov.codebook.figures``), and the codebook page shows the list."""

from __future__ import annotations

import pytest

from netinnov.codebook.figures import FIGURES, figure_entry
from netinnov.reports.codebook import codebook_page


@pytest.mark.slow  # renders every report page
def test_every_saved_figure_and_table_is_in_the_catalogue(small_reports):
    root = small_reports.reports / "figures"
    files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert any(f.endswith(".svg") for f in files) and any(f.endswith(".html") for f in files)
    missing = [f for f in files if figure_entry(f) is None]
    assert not missing, f"saved but not in netinnov.codebook.figures.FIGURES: {missing[:10]}"


def test_entries_match_what_they_describe():
    assert figure_entry("phases/implementation_test_rate.svg").kind == "figure"
    assert figure_entry("phases/implementation_test.html").kind == "table"
    assert figure_entry("cases/w1/part001/case30/network.pdf").name == "network"
    assert figure_entry("phases/phase_shares.jpg") is None  # not a saved format
    assert figure_entry("phases/unknown.png") is None
    assert len({(e.folder, e.name, e.kind) for e in FIGURES}) == len(FIGURES)


def test_the_codebook_page_lists_the_figures():
    html = codebook_page({"resources": []}, None, title="Codebook")
    assert "Figures and tables of the reports" in html
    assert "phase_shares" in html and "png, svg, pdf" in html
