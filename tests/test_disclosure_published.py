"""Small numbers stay hidden across a whole page and between the pages of one build (issue 22).

The demo is built once, in one build, for the whole study and for each of its 7 districts (56 report
pages and the infographic), with the k of its impact.toml (5). Then the published files are read as
an outsider would (tests/published_counts.py, which does not use impact's code): no count of persons
from 1 to k - 1 may be shown, in figures, tables, chart labels or words; no group minus its subgroup
on a page, no whole study minus its districts across the pages, may leave such a count; no percentage
stands next to a hidden count; a figure reads the same on every page of its place.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

import published_counts as pc
from demo_build import REPO

pytestmark = pytest.mark.slow
ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="session")
def build(tmp_path_factory, processed_demo):
    """The demo built once for the whole study and every district: (study, pages[district][report]).

    The pages are in ``study.reports / "nl"`` (``reports/<lang>/``)."""
    import impact
    from impact.report.build import build_reports

    root = tmp_path_factory.mktemp("disclosure") / "studie"
    shutil.copytree(processed_demo, root)
    shutil.copytree(REPO / "notebooks", root / "notebooks", dirs_exist_ok=True)
    study = impact.Study.load(root)
    result = build_reports(study, districts=[None, *study.config.districts])
    result.raise_for_failures()  # the publish guard ran on every page of this build and found nothing
    pages: dict = {}
    for job in (r.job for r in result.results):
        report = job.notebook.stem
        pages.setdefault(job.district, {})[report] = pc.read_page(job.output.name, job.output.read_text("utf-8"))
    for name in ("infographic-a4.html", "infographic-a4.svg", "infographic-square.svg"):
        pages[None][name] = pc.read_page(name, (study.reports / "nl" / name).read_text("utf-8"))
    return study, pages


def _every_page(pages):
    return [page for reports in pages.values() for page in reports.values()]


def test_the_build_has_every_page_and_counts_to_check(build):
    study, pages = build
    assert set(pages) == {None, *study.config.districts} and len(study.config.districts) == 7
    assert all(len([r for r in reports if r[:2].isdigit()]) == 7 for reports in pages.values())
    counts = [c for page in _every_page(pages) for c in page.counts]
    # not an empty check: thousands of marked counts, shown and hidden, in figures, tables and charts
    assert len(counts) > 1000
    assert {c.text for c in counts if c.hidden} >= {"< 5", "x"}
    assert any(c.figure for c in counts) and any(c.table for c in counts) and any(c.chart for c in counts)


def test_no_count_of_persons_below_k_is_shown(build):
    study, pages = build
    k = study.config.privacy.k
    found = [problem for page in _every_page(pages) for problem in pc.shown_small_counts(page, k)]
    assert found == []


def test_no_group_minus_its_subgroup_on_a_page_is_a_small_count(build):
    study, pages = build
    k = study.config.privacy.k
    found = [problem for page in _every_page(pages) for problem in pc.subgroup_differences(page, k)]
    assert found == []
    # the pairs were there to compare: the whole study shows groups and subgroups side by side
    whole = pages[None]["01_ontwikkeling_naar_werk"]
    shown = {c.figure for c in whole.counts if c.figure and c.value is not None}
    assert {"buurtbaners_placed", "buurtbaners_certified", "drop_outs", "gas_scored", "gas_goals_met"} <= shown


def test_no_percentage_or_derived_number_next_to_a_hidden_count(build):
    _, pages = build
    assert [problem for page in _every_page(pages) for problem in pc.derived_next_to_hidden(page)] == []


def test_the_pages_of_one_build_give_nothing_away_together(build):
    study, pages = build
    assert pc.across_pages(pages, study.config.privacy.k) == []


def test_the_guard_agrees_and_would_have_stopped_the_old_pages(build, tmp_path):
    """check-publish on the published folder: clean. The same page with a hidden count put back (as the
    reports were before) is refused: the count itself, and the difference it makes with its group."""
    from impact.privacy import check_study

    study, _ = build
    assert check_study([study.reports], study) == []
    page = (study.reports / "nl" / "01_ontwikkeling_naar_werk-west.html").read_text("utf-8")
    leaked = re.sub(r'(data-figure="drop_outs"[^>]*data-count="persons"[^>]*)data-suppressed="5"([^>]*)>&lt; 5<',
                    r"\1\2>1<", page, count=1)
    assert leaked != page
    (tmp_path / "01_ontwikkeling_naar_werk-west.html").write_text(leaked, "utf-8")
    kinds = {f.kind for f in check_study([tmp_path], study)}
    assert "small_cell" in kinds


def test_persons_one_by_one_only_where_no_count_in_them_is_hidden(build):
    """A district's timeline would let a reader count the few who stopped: it is not shown, and the page
    says why. The whole study shows it only when none of its counts is hidden."""
    _, pages = build
    for district, reports in pages.items():
        page = reports["01_ontwikkeling_naar_werk"]
        hidden = {c.figure for c in page.counts if c.figure and c.hidden}
        timeline = "Buurtbaner 1" in page.text
        if district is not None:
            assert not timeline and "Hij toont de buurtbaners één voor één" in page.text, district
        if hidden & {"buurtbaners_placed", "drop_outs", "follow_on_jobs", "contract_promises",
                     "buurtbaners_certified", "still_in_buurtbaan"}:
            assert not timeline, district


def test_a_hidden_count_is_shown_and_explained_once(build):
    """'< 5' or 'x', never a missing bar: the funnel of a district draws its hidden stages with their
    label; every page that hides something explains it once, near the top."""
    _, pages = build
    west = pages["West"]["01_ontwikkeling_naar_werk"]
    labels = [c.text for c in west.counts if c.chart == "Van start tot vervolgbaan"]
    # five stages, drawn for screens and again for phones; West's 7 started: the rest is small or x
    assert labels[:5] == labels[5:] and labels[0] == "7" and {"< 5", "x"} <= set(labels[1:5])
    for page in _every_page(pages):
        if not page.name.endswith(".html") or page.name.startswith("infographic"):
            continue
        hides = any(c.hidden for c in page.counts)
        assert page.text.count("Kleine aantallen laten we niet zien.") == (1 if hides else 0), page.name


def test_the_thanks_in_the_footer_follows_the_co_researchers_table(build):
    """The footer thanks the co-researchers who agreed to be named: 4 in the demo, below k, so no number,
    and the table on the findings page hides it too."""
    _, pages = build
    for page in _every_page(pages):
        if page.name.endswith(".html") and not page.name.startswith("infographic"):
            assert "Met dank aan de medeonderzoekers uit de buurt." in page.text, page.name
            assert not re.search(r"Met dank aan \d+ medeonderzoekers", page.text), page.name
    table = [c for c in pages[None]["00_overzicht"].counts if c.figure == "coresearchers_named_by_role"]
    assert table and all(c.hidden for c in table)


def test_how_much_is_hidden_per_build_is_recorded(build):
    """tests/artifacts/disclosure.json: per district (and the whole study), how many counts of persons
    the pages show and hide ('< k' small, 'x' hidden so a small one cannot be worked out)."""
    _, pages = build
    record = {}
    for district, reports in pages.items():
        counts = [c for name, page in reports.items() if name[:2].isdigit() for c in page.counts]
        kinds = Counter("small" if c.text.startswith("<") else "worked_out" if c.text == "x" else "shown"
                        for c in counts)
        record[district or "(hele studie)"] = dict(sorted(kinds.items()))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "disclosure.json").write_text(json.dumps(record, indent=1, ensure_ascii=False), "utf-8")
    assert all(r.get("small", 0) > 0 for d, r in record.items() if d != "(hele studie)")


# --- the reader itself: it must find what it looks for ------------------------------------------

PAGE = """<html><head><meta name="impact:district" content="West"></head><body><main><h1>Rapport</h1>
<p><data class="impact-figure" data-figure="buurtbaners_placed" data-count="persons">7</data> buurtbaners,
<data class="impact-figure" data-figure="buurtbaners_certified" data-part-of="buurtbaners_placed"
 data-count="persons">6</data> met een certificaat. Nog 3 buurtbaners wachten (n = 2).</p>
<p>Gemeten bij <data class="impact-figure" data-figure="gas_scored" data-count="persons">x</data><sup class="fn"><a
 href="#cijfer-gas-scored">1</a></sup> buurtbaners.</p>
<table><caption>Open antwoorden: wie noemt wat?</caption><thead><tr><th>Thema</th><th>Mensen die het noemen</th>
<th>Mensen met een antwoord</th><th>%</th></tr></thead><tbody>
<tr><th>werk</th><td data-count="persons">&lt; 5</td><td data-count="persons">28</td><td>14%</td></tr>
<tr><th>taal</th><td data-count="persons">26</td><td data-count="persons">28</td><td>93%</td></tr>
</tbody></table>
<figure class="chart"><svg><text data-count="persons">3</text></svg></figure></main></body></html>"""


def test_the_reader_finds_every_kind_of_leak():
    page = pc.read_page("p.html", PAGE)
    small = pc.shown_small_counts(page, 5)
    assert any("3 buurtbaners" in p for p in small) and any("n = 2" in p for p in small)
    assert any(p.endswith(": 3") for p in small)  # the chart label
    assert not any("1 buurtbaners" in p for p in small)  # "x¹ buurtbaners": a footnote number is no count
    assert pc.subgroup_differences(page, 5) == [
        "p.html: buurtbaners_placed 7 - buurtbaners_certified 6",
        "p.html: Open antwoorden: wie noemt wat?, taal: Mensen met een antwoord 28 - Mensen die het noemen 26"]
    assert pc.derived_next_to_hidden(page) == ["p.html: Open antwoorden: wie noemt wat?, werk: % 14% next to a "
                                               "hidden count"]
    whole = pc.read_page("w.html", PAGE.replace("West", "").replace(">7<", ">12<"))
    west = pc.read_page("west.html", PAGE.replace(">7<", ">&lt; 5<"))
    oost = pc.read_page("oost.html", PAGE.replace(">7<", ">8<"))
    found = pc.across_pages({None: {"r": whole}, "West": {"r": west}, "Oost": {"r": oost}}, 5)
    assert "buurtbaners_placed: whole study 12, districts leave 4 for West" in found
