"""Fixtures every test folder shares (the helpers they import are in tests/helpers/)."""

from __future__ import annotations

import pytest

from helpers.browser import start_browser


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Selenium); the test skips when none is installed."""
    yield from start_browser()
