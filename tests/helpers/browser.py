"""Headless Chromium for the report tests: finding the browser and checking a page.

The ``browser`` fixture (tests/conftest.py) starts it; tests skip when
Selenium, Chromium or chromedriver is missing, and Selenium Manager is never
asked to download a browser or driver.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--window-size=1280,1024")


def _find_browser() -> tuple[str, str] | None:
    browser = next((p for p in (shutil.which(n) for n in CHROMIUM_NAMES) if p), None)
    driver = CHROMEDRIVER if Path(CHROMEDRIVER).is_file() else shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def start_browser():
    """Yield a headless Chromium driver, or skip the test."""
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


def _figures_in_notebook(html_page: Path) -> int:
    nb = json.loads(html_page.with_suffix(".ipynb").read_text(encoding="utf-8"))
    return sum("image/png" in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def check_page(driver, page: Path, min_figures: int) -> None:
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
