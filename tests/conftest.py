"""Fixtures every test folder shares (the helpers they import are in tests/helpers/)."""

from __future__ import annotations

import pytest

from helpers.browser import start_browser


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Selenium); the test skips when none is installed."""
    yield from start_browser()


@pytest.fixture(scope="session")
def small_reports(tmp_path_factory):
    """A small results folder with every report rendered (helpers.reports), built once a session."""
    from helpers.reports import rendered

    return rendered(tmp_path_factory)
