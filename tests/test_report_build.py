"""``impact build`` on toy notebooks: offline pages, cache, failures, districts, guard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report_toy import CHART_NOTEBOOK, make_toy_study, write_notebook

from impact.errors import ImpactError
from impact.report import build as b
from impact.report.html import remote_references
from impact.study import Study

pytestmark = pytest.mark.slow

FAILING = [
    ("report", "# Kapot"),
    ("params", "study = '.'\ndistrict = None\nlanguage = 'nl'\nperiod = None"),
    ("code", "x = 1"),
    ("code", "raise ValueError('kapot: kolom bestaat niet')"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    # impact's own code is part of the cache key; keep it fixed while others edit the package
    mp.setattr(b, "code_hash", lambda: "code")
    root = make_toy_study(tmp_path_factory.mktemp("studie") / "toets",
                          {"01_bereik.ipynb": CHART_NOTEBOOK, "02_tweede.ipynb": CHART_NOTEBOOK[:3]})
    study = Study.load(root)
    events = []
    result = b.build_reports(study, progress=lambda e, j, r: events.append((e, j and j.name)))
    yield study, result, events
    mp.undo()


def test_cold_build_writes_one_page_per_notebook_index_and_infographic(built):
    study, result, events = built
    assert [(r.job.output.name, r.status) for r in result.results] == [
        ("01_bereik.html", "built"), ("02_tweede.html", "built")]
    assert result.results[0].title == "Bereik in de buurt"
    assert ("done", "01_bereik.html") in events and ("done", "02_tweede.html") in events
    names = {p.name for p in study.reports.iterdir()}
    assert {"index.html", "01_bereik.html", "02_tweede.html"} <= names
    for fmt in ("svg", "png", "pdf", "html"):
        assert f"infographic-a4.{fmt}" in names and f"infographic-square.{fmt}" in names
    index = (study.reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="01_bereik.html">Bereik in de buurt</a>' in index
    assert '<a href="infographic-a4.png">' in index
    assert not any(n.startswith(".staging") for n in names)


def test_report_is_offline_accessible_and_shows_only_pieces(built):
    study, _, _ = built
    page = (study.reports / "01_bereik.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page
    assert remote_references(page) == []
    assert "<script" not in page and "<link" not in page
    assert "http" not in page  # not even a namespace name
    # no input cells, no prompts, no stray print output
    assert "import impact" not in page and "In&nbsp;[" not in page
    assert "dit komt niet in het rapport" not in page
    assert "Zo werkt het" not in page  # markdown not tagged 'report' is for notebook users only
    assert page.count("<h1") == 1 and '<h1 id="bereik-in-de-buurt">' in page
    assert '<nav class="toc"' in page
    assert re.search(r'<svg role="img" aria-labelledby="[^"]+"', page)
    assert "Ik kom &lt;elke&gt; week." in page
    # the injected parameters reached the notebook
    assert "district=None; taal=nl" in page
    # provenance: version, reproducible date, data hash, credits counted from consent: 2 agreed to be
    # named, below k = 3, so the thanks has no number (the same rule as the co-researchers table)
    assert "Gemaakt met impact 0.1.0 op 2023-11-14." in page
    assert f"Gegevens: versie {b.data_hash(study)[:12]}." in page
    assert "Met dank aan de medeonderzoekers uit de buurt." in page and "2 medeonderzoekers" not in page
    assert "Let op: alle gegevens in dit rapport zijn verzonnen" in page


def test_rebuild_with_nothing_changed_executes_nothing(built, monkeypatch):
    study, _, _ = built
    before = {p.name: p.stat().st_mtime_ns for p in study.reports.glob("0*.html")}

    async def no_kernels(*args, **kwargs):
        raise AssertionError("a notebook was executed")

    monkeypatch.setattr(b, "_run_jobs", no_kernels)
    result = b.build_reports(study)
    assert [r.status for r in result.results] == ["cached", "cached"]
    assert {p.name: p.stat().st_mtime_ns for p in study.reports.glob("0*.html")} == before


def test_a_changed_notebook_or_a_removed_report_is_rebuilt_alone(built):
    study, _, _ = built
    write_notebook(study.notebooks / "02_tweede.ipynb", CHART_NOTEBOOK[:2] + [("report", "## Nieuw deel")])
    result = b.build_reports(study, infographic=False)
    assert [r.status for r in result.results] == ["cached", "built"]
    assert "Nieuw deel" in (study.reports / "02_tweede.html").read_text(encoding="utf-8")
    (study.reports / "01_bereik.html").unlink()
    assert [r.status for r in b.build_reports(study, infographic=False).results] == ["built", "cached"]


def test_failing_notebook_names_cell_and_error_and_keeps_last_good_report(built):
    study, _, _ = built
    good = (study.reports / "02_tweede.html").read_bytes()
    write_notebook(study.notebooks / "02_tweede.ipynb", FAILING)
    result = b.build_reports(study, infographic=False)
    failed = {r.job.output.name: r for r in result.failed}
    assert list(failed) == ["02_tweede.html"]
    message = failed["02_tweede.html"].error("nl")
    assert message == ("02_tweede.ipynb, cel 4 (raise ValueError('kapot: kolom bestaat niet')): "
                       "ValueError: kapot: kolom bestaat niet")
    assert "cell 4" in failed["02_tweede.html"].error("en")
    assert (study.reports / "02_tweede.html").read_bytes() == good
    with pytest.raises(ImpactError) as err:
        result.raise_for_failures()
    assert err.value.render("nl").splitlines() == [
        "1 rapport(en) niet gemaakt. Het vorige rapport blijft staan. Verbeter het notebook en bouw opnieuw.",
        "- " + message]
    write_notebook(study.notebooks / "02_tweede.ipynb", CHART_NOTEBOOK[:3])


def test_district_and_language_parameters(built):
    study, _, _ = built
    result = b.build_reports(study, districts=["West"], lang="en", infographic=False,
                             notebooks=[study.notebooks / "01_bereik.ipynb"])
    assert [r.job.output.name for r in result.results] == ["01_bereik-west.html"]
    page = (study.reports / "01_bereik-west.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "district=West; taal=en" in page
    assert "<title>Bereik in de buurt · West</title>" in page
    with pytest.raises(ImpactError) as err:
        b.build_reports(study, districts=["Atlantis"], infographic=False)
    assert "Onbekend stadsdeel: Atlantis" in err.value.render("nl")


def test_publish_guard_findings_stop_publishing(built, monkeypatch):
    import impact.privacy.guard as guard_module

    study, _, _ = built
    old = (study.reports / "01_bereik.html").read_bytes()
    seen = {}

    def check_publish(paths, names=(), k=5, **kwargs):
        seen["paths"], seen["k"] = [Path(p) for p in paths], k
        return [guard_module.Finding(str(seen["paths"][0]), "regel 3", "name", "Jan Jansen")]

    import impact.privacy

    monkeypatch.setattr(impact.privacy, "check_publish", check_publish, raising=False)
    with pytest.raises(ImpactError) as err:
        b.build_reports(study, force=True, infographic=False)
    assert sorted(p.name for p in seen["paths"]) == ["01_bereik.html", "02_tweede.html"] and seen["k"] == 3
    lines = err.value.render("nl").splitlines()
    assert lines[0].startswith("Niet gepubliceerd: de privacycontrole vond iets")
    assert lines[1].startswith(f"- {seen['paths'][0].name}: regel 3: ") and "(Jan Jansen)" in lines[1]
    assert (study.reports / "01_bereik.html").read_bytes() == old
    assert not list(study.reports.glob(".staging*"))


def test_real_publish_guard_stops_a_name_from_the_register(tmp_path):
    """The privacy module's guard, not a stand-in: a name from data/raw/people.csv in a note."""
    root = make_toy_study(tmp_path / "s", {"01_a.ipynb": [
        ("params", "study = '.'"),
        ("code", "import impact\nimpact.show.note('Gesprek met Jan Jansen over werk.')")]})
    (root / "data" / "raw" / "people.csv").write_text(
        "person_id,name,role,actor_type,district\nR01,Jan Jansen,bewoner,informal,West\n", encoding="utf-8")
    with pytest.raises(ImpactError) as err:
        b.build_reports(Study.load(root), infographic=False)
    assert "Niet gepubliceerd" in err.value.render("nl")
    assert not (root / "reports" / "01_a.html").exists()


def test_inject_parameters_after_the_parameters_cell_and_replaces_old_injection():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("study = '.'"),
                nbformat.v4.new_code_cell("x = 1")]
    nb.cells[1].metadata["tags"] = ["parameters"]
    b.inject_parameters(nb, {"study": "/s", "district": None})
    b.inject_parameters(nb, {"study": "/s", "district": "West"})
    assert [c.source for c in nb.cells] == ["# T", "study = '.'",
                                           "# Parameters\nstudy = '/s'\ndistrict = 'West'", "x = 1"]
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]


def test_raw_altair_output_becomes_an_offline_chart():
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.vegalite.v5+json": {"mark": "bar", "description": "Balk", "title": "Titel",
                                             "data": {"values": [{"a": 1}]},
                                             "encoding": {"x": {"field": "a", "type": "quantitative"}}},
        "text/html": "<script src='https://cdn.jsdelivr.net/npm/vega@5'></script>"})]
    nb.cells = [cell]
    b.vegalite_outputs_to_pieces(nb)
    html = nb.cells[0].outputs[0]["data"]["text/html"]
    assert "<svg" in html and "<desc" in html and ">Balk</desc>" in html
    assert remote_references(html) == []
    assert nb.cells[0].outputs[0]["metadata"]["impact"]["kind"] == "chart"


def test_district_slug():
    assert b.district_slug("Nieuw-West") == "nieuw-west"
    assert b.district_slug("Zuid Oost") == "zuid-oost"


def test_find_notebooks_leaves_out_drafts_and_work_notebooks(tmp_path):
    import nbformat

    root = make_toy_study(tmp_path / "s", {"01_a.ipynb": CHART_NOTEBOOK[:2], "_klad.ipynb": CHART_NOTEBOOK[:2],
                                           "06_coderen.ipynb": CHART_NOTEBOOK[:2]})
    work = root / "notebooks" / "06_coderen.ipynb"
    nb = nbformat.read(work, as_version=4)
    nb.metadata["impact"] = {"report": False}
    nbformat.write(nb, work)
    assert [p.name for p in b.find_notebooks(Study.load(root))] == ["01_a.ipynb"]


def test_cli_build_prints_the_index_and_fails_with_exit_1(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from impact.report.cli import app

    root = make_toy_study(tmp_path / "s", {"01_a.ipynb": CHART_NOTEBOOK, "02_kapot.ipynb": FAILING})
    runner = CliRunner()
    result = runner.invoke(app, ["build", "--study", str(root), "--no-infographic", "--period", "2023"])
    assert result.exit_code == 1
    assert "Overzicht: reports/index.html" in result.stdout
    assert "02_kapot.ipynb, cel 4" in result.output and "Traceback" not in result.output
    assert (root / "reports" / "01_a-2023.html").is_file()  # a report per period has its own name
    warm = runner.invoke(app, ["build", "--study", str(root), "--no-infographic", "--period", "2023",
                               "--lang", "fr"])
    assert warm.exit_code == 2 and "waarde 'fr'; kies 'nl' of 'en'" in warm.output  # a usage error, as everywhere
