"""Shared fixtures: a demo study made once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Builds in the tests check every chart against the Vega-Lite schema (a user's build skips that, for speed).
os.environ.setdefault("IMPACT_CHECK_CHARTS", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "fixtures"


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory) -> Path:
    """A freshly generated demo study (raw only). Treat as read-only: copy it to change it."""
    import impact

    root = tmp_path_factory.mktemp("demo") / "studie"
    impact.make_demo(root)
    return root


@pytest.fixture(scope="session")
def processed_demo(tmp_path_factory, demo_root) -> Path:
    """The demo study after ``impact process`` (read-only)."""
    import impact

    root = tmp_path_factory.mktemp("processed") / "studie"
    shutil.copytree(demo_root, root)
    impact.process_study(impact.Study.load(root))
    return root


@pytest.fixture
def demo_copy(tmp_path, demo_root) -> Path:
    """A private, writable copy of the demo study."""
    root = tmp_path / "studie"
    shutil.copytree(demo_root, root)
    return root


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under ``make test`` (IMPACT_NO_SKIP=1) a skipped test fails: a fresh machine runs every test."""
    import os

    outcome = yield
    report = outcome.get_result()
    if os.environ.get("IMPACT_NO_SKIP") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under 'make test', which must run every test: {reason}"
