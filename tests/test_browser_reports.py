"""Built reports in real headless Chromium, opened from disk with the network blocked.

Every page: every chart renders (an SVG with marks and a size), no console
errors, no request leaves the page, and axe-core finds no accessibility
violations. Uses Debian's /usr/bin/chromium through playwright's Python API
(no browser download). axe-core is looked up in ``$IMPACT_AXE_JS``,
``tools/node_modules/axe-core/axe.min.js`` or ``node_modules/axe-core/axe.min.js``
(installed by ``npm install --prefix tools --no-save axe-core@4``); without it the
axe check is skipped with a message, the other checks still run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from report_toy import CHART_NOTEBOOK, make_toy_study

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]


def axe_path() -> Path | None:
    for candidate in (os.environ.get("IMPACT_AXE_JS"), REPO / "tools/node_modules/axe-core/axe.min.js",
                      REPO / "node_modules/axe-core/axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    from impact.report.build import build_reports
    from impact.study import Study

    table_nb = CHART_NOTEBOOK + [("code", "impact.show.table(att.group_by('activity_id').len().sort('activity_id'),"
                                          " caption='Deelnemers per activiteit', count_columns=['len'])")]
    root = make_toy_study(tmp_path_factory.mktemp("browser") / "toets",
                          {"01_bereik.ipynb": table_nb, "02_kort.ipynb": CHART_NOTEBOOK[:3]})
    result = build_reports(Study.load(root))
    assert not result.failed
    return sorted((root / "reports").rglob("*.html"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


def open_offline(browser, path: Path):
    context = browser.new_context(offline=True, java_script_enabled=True)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("file:", "data:"))
                  else route.continue_())
    page.goto(path.as_uri(), wait_until="load")
    return context, page, requests, errors


def test_the_build_made_reports_and_infographic_pages(reports):
    assert [str(p.relative_to(p.parents[1] if p.parent.name == "nl" else p.parent)) for p in reports] == [
        "index.html", "nl/01_bereik.html", "nl/02_kort.html", "nl/infographic-a4.html", "nl/infographic-square.html"]


def test_every_page_renders_offline_without_requests_or_errors(reports, browser):
    for path in reports:
        context, page, requests, errors = open_offline(browser, path)
        try:
            outside = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
            assert outside == [], f"{path.name}: requests left the page: {outside}"
            assert errors == [], f"{path.name}: console errors: {errors}"
            charts = page.eval_on_selector_all(
                "svg[role=img]",
                "els => els.map(e => ({w: e.getBoundingClientRect().width,"
                " h: e.getBoundingClientRect().height, marks: e.querySelectorAll('path, rect, text').length,"
                " label: e.getAttribute('aria-labelledby')}))")
            if path.name.startswith(("01_", "infographic")):
                assert charts, f"{path.name}: no chart found"
            for chart in charts:
                assert chart["w"] > 50 and chart["h"] > 50 and chart["marks"] > 3, (path.name, chart)
                assert chart["label"], path.name
        finally:
            context.close()


def axe_check(browser, paths) -> None:
    """axe-core on each page, offline: no violations, no request leaving the page, no console error."""
    axe = axe_path()
    if axe is None:
        pytest.skip("axe-core not found: run 'npm install --prefix tools --no-save axe-core@4' "
                    "(or set IMPACT_AXE_JS to axe.min.js)")
    for path in paths:
        context, page, requests, errors = open_offline(browser, path)
        try:
            page.add_script_tag(path=str(axe))
            result = page.evaluate("async () => await axe.run(document)")
            violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            assert violations == [], f"{path.name}: {violations}"
            assert result["passes"], "axe ran no checks"
            assert errors == [] and [u for u in requests if not u.startswith(("file:", "data:", "about:"))] == []
        finally:
            context.close()


def test_axe_core_finds_no_violations(reports, browser):
    axe_check(browser, reports)
