"""The rendered reports in a real browser: headless Chromium driven by Selenium.

Opens index.html and every report page of a small results folder, and checks
that each page renders without error output and shows every figure its
executed notebook holds. Skipped when Selenium, Chromium or chromedriver is
missing (Debian: ``apt-get install chromium chromium-driver``); Selenium
Manager is never asked to download a browser or driver.
"""

from __future__ import annotations

import pytest

from helpers.browser import check_page
from helpers.reports import MIN_FIGURES


@pytest.mark.slow  # renders every report page
def test_index_and_every_report_render_in_chromium(browser, small_reports):
    from selenium.webdriver.common.by import By

    r = small_reports
    browser.get(r.index.resolve().as_uri())
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")]
    expected = {p.resolve().as_uri() for p in [*r.pages.values(), *r.case_pages]}
    assert set(links) == expected
    for name, page in r.pages.items():
        check_page(browser, page, MIN_FIGURES["wave" if name.startswith("wave_") else name])
    for page in r.case_pages:
        check_page(browser, page, MIN_FIGURES["case"])


def test_pages_load_nothing_from_the_network(small_reports):
    for page in [*small_reports.pages.values(), *small_reports.case_pages]:
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "cdnjs" not in text, page.name


def test_codebook_and_interactive_views_render_in_chromium(browser, small_reports):
    """The pages the pipeline writes beside the notebooks: the codebook (with the
    methods paragraph) and each selected case's interactive view."""
    from selenium.webdriver.common.by import By

    from helpers.reports import WAVES
    from netinnov.cli import main as netinnov

    r = small_reports
    assert netinnov(["codebook", "--results", str(r.results), "--dataset", str(r.dataset), "--waves", *WAVES]) == 0
    codebook = r.reports / "codebook.html"
    assert netinnov(["codebook-report", "--datapackage", str(r.results / "datapackage.json"), "--methods",
                    str(r.results / "methods.md"), "--out", str(codebook)]) in (0, None)
    views = []
    for w in WAVES:
        out = r.reports / "interactive" / w
        assert netinnov(["interactive-views", "--selection", str(r.reports / "cases" / "selection.csv"), "--wave", w,
                         "--wave-dir", str(r.results / "waves" / w), "--out", str(out)]) in (0, None)
        views += sorted(out.glob("*.html"))
    assert views, "no interactive view written"
    for page in [codebook, *views]:
        browser.get(page.resolve().as_uri())
        assert browser.title.strip(), f"{page.name}: no title"
        source = browser.page_source
        for marker in ("Traceback", "Exception", "Error:"):
            assert marker not in source, f"{page.name}: {marker}"
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "cdnjs" not in text, page.name
    browser.get(codebook.resolve().as_uri())
    assert browser.find_elements(By.TAG_NAME, "table"), "the codebook shows no table"
    for page in views:
        browser.get(page.resolve().as_uri())
        status = browser.find_element(By.ID, "status").get_attribute("textContent")
        assert status == "ready", f"{page.name}: {status}"
