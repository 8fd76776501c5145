"""Fixtures every test folder shares (the helpers they import are in tests/helpers/)."""

from __future__ import annotations

import pytest

from helpers.browser import start_browser

#: Session fixtures that cost seconds to build: their tests run on one xdist worker, so each is built once.
SHARED = ("small_reports",)


def pytest_configure(config):
    """Under ``pytest -n``, keep each expensive session fixture's tests on one worker
    (``--dist loadgroup``; the groups are set below)."""
    if getattr(config.option, "dist", None) == "load":
        config.option.dist = "loadgroup"


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in SHARED:
            if name in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.xdist_group(name))


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium (Selenium); the test skips when none is installed."""
    yield from start_browser()


@pytest.fixture(scope="session")
def small_reports(tmp_path_factory):
    """A small results folder with every report rendered (helpers.reports), built once a session."""
    from helpers.reports import rendered

    return rendered(tmp_path_factory)
