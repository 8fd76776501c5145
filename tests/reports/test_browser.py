"""The rendered reports in a real browser: headless Chromium driven by Selenium.

Opens index.html and every report page of a small results folder, and checks
that each page renders without error output and shows every figure its
executed notebook holds. Skipped when Selenium, Chromium or chromedriver is
missing (Debian: ``apt-get install chromium chromium-driver``); Selenium
Manager is never asked to download a browser or driver.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from reports_helpers import MIN_FIGURES, rendered

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--window-size=1280,1024")


def _find_browser() -> tuple[str, str] | None:
    browser = next((p for p in (shutil.which(n) for n in CHROMIUM_NAMES) if p), None)
    driver = CHROMEDRIVER if Path(CHROMEDRIVER).is_file() else shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    found = _find_browser()
    if found is None:
        pytest.skip("no Chromium and chromedriver found (Debian: apt-get install chromium chromium-driver)")
    binary, driver_path = found
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not download anything
    profile = tempfile.mkdtemp(prefix="netinnov-chromium-")
    options = Options()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def small_reports(tmp_path_factory):
    return rendered(tmp_path_factory)


def _figures_in_notebook(html_page: Path) -> int:
    nb = json.loads(html_page.with_suffix(".ipynb").read_text(encoding="utf-8"))
    return sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def _check_page(driver, page: Path, min_figures: int) -> None:
    from selenium.webdriver.common.by import By

    driver.get(page.resolve().as_uri())
    assert driver.title.strip(), f"{page.name}: no title"
    source = driver.page_source
    body = driver.find_element(By.TAG_NAME, "body").text
    stderr = driver.find_elements(By.CSS_SELECTOR, '[data-mime-type="application/vnd.jupyter.stderr"]')
    assert not stderr, f"{page.name}: error or warning output: {stderr[0].text[:300]}"
    for marker in ("Traceback", "An Exception was encountered", "papermill-error-cell", "PapermillExecutionError"):
        assert marker not in source, f"{page.name}: {marker}"
    for leak in ("<Figure size", "<Axes:", "b'\\x89PNG"):  # a figure shown as text instead of an image
        assert leak not in body, f"{page.name}: {leak}"
    expected = _figures_in_notebook(page)
    assert expected >= min_figures, f"{page.name}: {expected} figures in the notebook"
    images = driver.find_elements(By.TAG_NAME, "img")
    assert len(images) == expected, f"{page.name}: {len(images)} images shown, {expected} figures"
    loaded = driver.execute_script(
        "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0 && i.alt.length > 0);")
    assert all(loaded), f"{page.name}: an image did not load or has no alternative text"


def test_index_and_every_report_render_in_chromium(browser, small_reports):
    from selenium.webdriver.common.by import By

    r = small_reports
    browser.get(r.index.resolve().as_uri())
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href]")]
    expected = {p.resolve().as_uri() for p in [*r.pages.values(), *r.case_pages]}
    assert set(links) == expected
    for name, page in r.pages.items():
        _check_page(browser, page, MIN_FIGURES["wave" if name.startswith("wave_") else name])
    for page in r.case_pages:
        _check_page(browser, page, MIN_FIGURES["case"])


def test_pages_load_nothing_from_the_network(small_reports):
    for page in [*small_reports.pages.values(), *small_reports.case_pages]:
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "cdnjs" not in text, page.name


def test_codebook_and_interactive_views_render_in_chromium(browser, small_reports):
    """The pages the pipeline writes beside the notebooks: the codebook (with the
    methods paragraph) and each selected case's interactive view."""
    from selenium.webdriver.common.by import By

    from netinnov.cli import main as netinnov
    from netinnov.reports.__main__ import main as reports
    from reports_helpers import WAVES

    r = small_reports
    assert netinnov(["codebook", "--results", str(r.results), "--dataset", str(r.dataset), "--waves", *WAVES]) == 0
    codebook = r.reports / "codebook.html"
    assert reports(["codebook", "--datapackage", str(r.results / "datapackage.json"), "--methods",
                    str(r.results / "methods.md"), "--out", str(codebook)]) in (0, None)
    views = []
    for w in WAVES:
        out = r.reports / "interactive" / w
        assert reports(["interactive", "--selection", str(r.reports / "cases" / "selection.csv"), "--wave", w,
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
