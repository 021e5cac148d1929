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
    root = make_toy_study(tmp_path_factory.mktemp("studie") / "toets",
                          {"01_bereik.ipynb": CHART_NOTEBOOK, "02_tweede.ipynb": CHART_NOTEBOOK[:3]})
    study = Study.load(root)
    events = []
    result = b.build_reports(study, progress=lambda e, j, r: events.append((e, j and j.name)))
    yield study, result, events
    mp.undo()


def test_cold_build_writes_one_page_per_notebook_index_and_infographic(built):
    study, result, events = built
    assert [(r.job.name, r.status) for r in result.results] == [
        ("nl/01_bereik.html", "built"), ("nl/02_tweede.html", "built")]
    assert result.results[0].title == "Bereik in de buurt"
    assert ("done", "nl/01_bereik.html") in events and ("done", "nl/02_tweede.html") in events
    names = {str(p.relative_to(study.reports)) for p in study.reports.rglob("*")}
    assert {"index.html", "nl", "nl/01_bereik.html", "nl/02_tweede.html"} <= names
    for fmt in ("svg", "png", "pdf", "html"):
        assert f"nl/infographic-a4.{fmt}" in names and f"nl/infographic-square.{fmt}" in names
    index = (study.reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="nl/01_bereik.html">Bereik in de buurt</a>' in index
    assert '<a href="nl/infographic-a4.png">' in index
    # only published files: no staging folders, no cache, nothing hidden
    assert not any(part.startswith(".") for n in names for part in n.split("/"))


def test_report_is_offline_accessible_and_shows_only_pieces(built):
    study, _, _ = built
    page = (study.reports / "nl" / "01_bereik.html").read_text(encoding="utf-8")
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
    # provenance: version, reproducible date, the version of the data it read, credits from consent: 2
    # agreed to be named, below k = 3, so the thanks has no number (the same rule as the co-researchers table)
    assert "Gemaakt met impact 0.1.0 op 2023-11-14." in page
    from impact.report.cache import BuildCache

    read = ["data/processed/attendance.parquet", "data/processed/consent.parquet", "data/processed/people.parquet",
            "impact.toml"]
    assert f"Gegevens: versie {BuildCache(study.root).inputs_hash(read)[:12]}." in page
    assert '<p class="back"><a href="../index.html">' in page
    assert "Met dank aan de medeonderzoekers uit de buurt." in page and "2 medeonderzoekers" not in page
    assert "Let op: alle gegevens in dit rapport zijn verzonnen" in page


def test_drawn_charts_are_kept_for_the_next_build_and_only_those(built):
    """data/cache/render holds exactly the drawings the current reports and infographic used."""
    from impact.report.cache import BuildCache

    study, _, _ = built
    kept = {p.name for p in b.render_folder(study).iterdir() if not p.name.startswith(".")}
    entries = BuildCache(study.root).entries
    used = {key for entry in entries.values() for key in entry.get("render", [])}
    assert kept == used
    assert any(k.endswith(".svg") for k in entries["nl/01_bereik.html"]["render"])
    assert {k[-4:] for k in entries["nl/infographic"]["render"]} == {".png", ".pdf"}
    assert not str(b.render_folder(study)).startswith(str(study.reports))  # never published


def test_rebuild_with_nothing_changed_executes_nothing(built, monkeypatch):
    study, _, _ = built
    before = {p.name: p.stat().st_mtime_ns for p in study.reports.rglob("0*.html")}

    def no_kernels(*args, **kwargs):
        raise AssertionError("a notebook was executed")

    monkeypatch.setattr(b.KernelPool, "run", no_kernels)
    result = b.build_reports(study)
    assert [r.status for r in result.results] == ["cached", "cached"]
    assert not result.infographic_built
    assert {p.name: p.stat().st_mtime_ns for p in study.reports.rglob("0*.html")} == before


def test_a_changed_notebook_or_a_removed_report_is_rebuilt_alone(built):
    study, _, _ = built
    write_notebook(study.notebooks / "02_tweede.ipynb", CHART_NOTEBOOK[:2] + [("report", "## Nieuw deel")])
    result = b.build_reports(study, infographic=False)
    assert [r.status for r in result.results] == ["cached", "built"]
    assert "Nieuw deel" in (study.reports / "nl" / "02_tweede.html").read_text(encoding="utf-8")
    (study.reports / "nl" / "01_bereik.html").unlink()
    assert [r.status for r in b.build_reports(study, infographic=False).results] == ["built", "cached"]


def test_failing_notebook_names_cell_and_error_and_keeps_last_good_report(built):
    study, _, _ = built
    good = (study.reports / "nl" / "02_tweede.html").read_bytes()
    write_notebook(study.notebooks / "02_tweede.ipynb", FAILING)
    result = b.build_reports(study, infographic=False)
    failed = {r.job.name: r for r in result.failed}
    assert list(failed) == ["nl/02_tweede.html"]
    message = failed["nl/02_tweede.html"].error("nl")
    assert message == ("02_tweede.ipynb, cel 4 (raise ValueError('kapot: kolom bestaat niet')): "
                       "ValueError: kapot: kolom bestaat niet")
    assert "cell 4" in failed["nl/02_tweede.html"].error("en")
    assert (study.reports / "nl" / "02_tweede.html").read_bytes() == good
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
    assert [r.job.name for r in result.results] == ["en/01_bereik-west.html"]
    page = (study.reports / "en" / "01_bereik-west.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "district=West; taal=en" in page
    assert "<title>Bereik in de buurt · West</title>" in page
    with pytest.raises(ImpactError) as err:
        b.build_reports(study, districts=["Atlantis"], infographic=False)
    assert "Onbekend stadsdeel: Atlantis" in err.value.render("nl")


def test_publish_guard_findings_stop_publishing(built, monkeypatch):
    import impact.privacy.guard as guard_module

    study, _, _ = built
    old = (study.reports / "nl" / "01_bereik.html").read_bytes()
    seen = {}

    class PublishCheck:  # the guard as the build uses it: pages added as they are made, then findings
        def __init__(self, names=(), k=5, **kwargs):
            seen["paths"], seen["k"] = [], k

        def add(self, path):
            seen["paths"].append(Path(path))

        def findings(self):
            return [guard_module.Finding(str(seen["paths"][0]), "regel 3", "name", "Jan Jansen")]

    import impact.privacy

    monkeypatch.setattr(impact.privacy, "PublishCheck", PublishCheck, raising=False)
    with pytest.raises(ImpactError) as err:
        b.build_reports(study, force=True, infographic=False)
    assert sorted(p.name for p in seen["paths"]) == ["01_bereik.html", "02_tweede.html"] and seen["k"] == 3
    lines = err.value.render("nl").splitlines()
    assert lines[0].startswith("Niet gepubliceerd: de privacycontrole vond iets")
    assert lines[1].startswith(f"- {seen['paths'][0].name}: regel 3: ") and "(Jan Jansen)" in lines[1]
    assert (study.reports / "nl" / "01_bereik.html").read_bytes() == old
    assert not list(study.reports.rglob(".staging*"))


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
    assert not (root / "reports" / "nl" / "01_a.html").exists()


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
    # the reason follows the failed report at once (a publish guard that stops later cannot hide it)
    assert "02_kapot-2023.html: MISLUKT\n    02_kapot.ipynb, cel 4" in result.output
    assert (root / "reports" / "nl" / "01_a-2023.html").is_file()  # a report per period has its own name
    warm = runner.invoke(app, ["build", "--study", str(root), "--no-infographic", "--period", "2023",
                               "--lang", "fr"])
    assert warm.exit_code == 2 and "waarde 'fr'; kies 'nl' of 'en'" in warm.output  # a usage error, as everywhere


def test_a_study_without_notebooks_uses_impacts_own_and_none_at_all_is_an_error(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from impact.report.cli import app

    root = make_toy_study(tmp_path / "s")
    notebooks, shipped = b.report_notebooks(Study.load(root))
    assert shipped == b.shipped_notebooks() and len(notebooks) == 7  # 06_coderen is for work, not a report
    empty = tmp_path / "leeg"
    empty.mkdir()
    monkeypatch.setattr(b, "shipped_notebooks", lambda: empty)
    result = CliRunner().invoke(app, ["build", "--study", str(root)])
    assert result.exit_code == 1 and "0/0" not in result.output
    assert "Geen notebooks gevonden in notebooks: er is niets om te bouwen." in result.output
    assert not (root / "reports" / "index.html").exists()


def test_watch_rebuilds_only_the_changed_notebook_and_stops_its_kernels(built, monkeypatch):
    import threading

    from impact.report import live

    study, _, _ = built
    rounds, stop = [], threading.Event()
    pools = []
    original = b.KernelPool.close

    def close(pool):
        pools.append(pool)
        original(pool)

    monkeypatch.setattr(b.KernelPool, "close", close)
    # the toy's tables are made by hand, not by process (its raw folder holds only the register
    # the publish guard reads): count the calls instead of letting process rewrite them
    processed = []
    monkeypatch.setattr("impact.process.process_study",
                        lambda st: processed.append(st) or __import__("types").SimpleNamespace(written=[]))

    def edit():  # someone edits a notebook in the meeting, once the watch is waiting
        write_notebook(study.notebooks / "02_tweede.ipynb", CHART_NOTEBOOK[:2] + [("report", "## Live")])

    def on_round(done):
        rounds.append(done)
        if len(rounds) == 1:
            threading.Timer(2, edit).start()
        else:
            stop.set()

    give_up = threading.Timer(240, stop.set)  # never hang the test run
    give_up.start()
    thread = threading.Thread(target=live.watch, args=(study,), kwargs={
        "build_options": {"infographic": False}, "workers": 1, "on_round": on_round, "stop": stop})
    thread.start()
    thread.join(timeout=300)
    give_up.cancel()
    assert not thread.is_alive() and len(rounds) == 2
    first, second = rounds
    assert first.tables == [] and len(processed) == 1  # the first round processes the raw data
    assert second.changed == ["notebooks/02_tweede.ipynb"] and second.tables is None
    assert [(r.job.name, r.status) for r in second.result.results] == [
        ("nl/01_bereik.html", "cached"), ("nl/02_tweede.html", "built")]
    assert "Live" in (study.reports / "nl" / "02_tweede.html").read_text(encoding="utf-8")
    assert len(pools) == 1 and pools[0].idle == [] and pools[0].loop.is_closed()
    write_notebook(study.notebooks / "02_tweede.ipynb", CHART_NOTEBOOK[:3])


def test_serve_shows_reports_on_localhost_and_reloads_after_a_rebuild(tmp_path):
    import urllib.request

    from impact.report.live import RELOAD_SCRIPT, VERSION_PATH, ReportServer

    (tmp_path / "nl").mkdir()
    page = tmp_path / "nl" / "01.html"
    page.write_text("<html><body><p>Rapport</p></body></html>", encoding="utf-8")
    server = ReportServer(tmp_path, port=0)
    url = server.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        shown = urllib.request.urlopen(url + "nl/01.html").read().decode()
        assert shown == "<html><body><p>Rapport</p>" + RELOAD_SCRIPT + "</body></html>"
        assert "<script" not in page.read_text(encoding="utf-8")  # the published file stays as it is
        before = urllib.request.urlopen(url + VERSION_PATH.lstrip("/")).read()
        assert urllib.request.urlopen(url + VERSION_PATH.lstrip("/")).read() == before
        page.write_text("<html><body><p>Nieuw</p></body></html>", encoding="utf-8")
        assert urllib.request.urlopen(url + VERSION_PATH.lstrip("/")).read() != before
    finally:
        server.stop()


def test_what_builds_before_language_folders_left_in_reports_is_removed(tmp_path):
    import json

    root = make_toy_study(tmp_path / "s")
    reports = root / "reports"
    reports.mkdir()
    (reports / ".build-cache.json").write_text(json.dumps({"01_a.html": {"key": "k"}}), encoding="utf-8")
    (reports / ".infographic-key").write_text("k", encoding="utf-8")
    for name in ("01_a.html", "infographic-a4.png", "eigen.html"):
        (reports / name).write_text("oud", encoding="utf-8")
    b.build_reports(Study.load(root), notebooks=[], infographic=False)
    # impact's own old files are gone (they are in reports/nl/ now); a file the user put there stays
    assert sorted(p.name for p in reports.iterdir()) == ["eigen.html", "index.html"]
    assert oct((reports / "index.html").stat().st_mode & 0o777) == "0o644"
