"""The demo's reports and infographic in real headless Chromium (offline), as readers see them.

Screenshots of every report and of the A4 infographic at 1280 and 390 px go to tests/artifacts/
(look at them). Checked: chart text at least 12 px on a 1280 px page and at least 11 px on a 390 px
phone; no page wider than the phone; no two text boxes of the infographic overlap and none falls off
the page (measured with getBBox in the browser); axe-core finds no accessibility violations.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from demo_build import build_demo
from test_browser_reports import CHROMIUM, axe_check, browser  # noqa: F401 - browser is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def reports(tmp_path_factory, processed_demo) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    root = tmp_path_factory.mktemp("browser-demo") / "studie"
    shutil.copytree(processed_demo, root)
    return build_demo(root)


def pages(reports: Path) -> list[Path]:
    return sorted(reports.glob("0*.html")) + [reports / "infographic-a4.html"]


def open_at(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
    context.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("file:", "data:"))
                  else route.continue_())
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    return context, page


# the rendered size of every visible chart text: font size times how much the page scales the SVG
CHART_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;  // the version for the other screen size
    const scale = box.width / svg.width.baseVal.value;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim() || t.getAttribute('opacity') === '0') continue;
      out.push({text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale});
    }
  }
  return out;
}"""


def test_screenshots_and_readable_chart_text(reports, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, smallest in ((1280, 12.0), (390, 11.0)):
        for path in pages(reports):
            context, page = open_at(browser, path, width)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{path.stem}-{width}.png"), full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (path.name, width)
                texts = page.evaluate(CHART_TEXT)
                if path.name.startswith(("01_", "02_", "03_")):
                    assert len(texts) > 50, (path.name, width)
                small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < smallest]
                assert small == [], (path.name, width, small[:5])
            finally:
                context.close()
    assert len(list(ARTIFACTS.glob("*-1280.png"))) >= 7 and len(list(ARTIFACTS.glob("*-390.png"))) >= 7


BOXES = """() => {
  const vb = document.documentElement.viewBox.baseVal;
  const boxes = [...document.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
  });
  return {boxes, width: vb.width, height: vb.height};
}"""


@pytest.mark.parametrize("size", ["a4", "square"])
def test_infographic_text_boxes_do_not_overlap_or_leave_the_page(reports, browser, size):
    context, page = open_at(browser, reports / f"infographic-{size}.svg", 1280)
    try:
        found = page.evaluate(BOXES)
    finally:
        context.close()
    boxes = found["boxes"]
    assert len(boxes) > 30
    overlaps = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5
                and a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5]
    assert overlaps == []
    outside = [b["text"] for b in boxes if b["x"] < 0 or b["y"] < 0 or b["x"] + b["w"] > found["width"]
               or b["y"] + b["h"] > found["height"]]
    assert outside == []


def test_axe_core_finds_no_violations_on_the_demo(reports, browser):
    axe_check(browser, pages(reports) + [reports.parent / "index.html", reports / "infographic-square.html"])


# every line of text of the visible chain diagram, as the browser lays it out
DIAGRAM_TEXT = """() => {
  const svg = [...document.querySelectorAll('figure.chart svg')].find(s => s.getBoundingClientRect().width > 0
      && s.querySelector('desc') && s.querySelector('desc').textContent.startsWith('Het schema'));
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, x: b.left, y: b.top, w: b.width, h: b.height,
            px: parseFloat(getComputedStyle(t).fontSize) * frame.width / svg.width.baseVal.value};
  });
  return {boxes, frame: {x: frame.left, y: frame.top, w: frame.width, h: frame.height}};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_chain_diagram_has_no_overlapping_text_on_a_screen_or_a_phone(reports, browser, width):
    context, page = open_at(browser, reports / "07_van_activiteit_naar_effect.html", width)
    try:
        found = page.evaluate(DIAGRAM_TEXT)
    finally:
        context.close()
    boxes, frame = found["boxes"], found["frame"]
    assert len(boxes) >= 7 * 3 and frame["x"] >= 0 and frame["x"] + frame["w"] <= width
    overlaps = [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5
                and a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5]
    assert overlaps == []
    outside = [b["text"] for b in boxes if b["x"] < frame["x"] or b["x"] + b["w"] > frame["x"] + frame["w"] + 0.5]
    assert outside == []
    assert min(b["px"] for b in boxes) >= (12 if width == 1280 else 11)
