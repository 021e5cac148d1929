"""Live rebuilds on the demo study: a fresh `impact demo DIR` builds its seven reports, a change in the
codings makes again only the reports that read codings, language variants stay side by side, and
published files are readable by all while the cache stays private."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from impact.cli import app
from impact.process import process_study
from impact.report import build as b
from impact.study import Study

pytestmark = pytest.mark.slow

REPORTS = ["00_overzicht", "01_ontwikkeling_naar_werk", "02_bereik_in_de_buurt", "03_perspectieven",
           "04_vragenlijsten", "05_kwaliteit_van_het_coderen", "07_van_activiteit_naar_effect"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`impact demo DIR`, `impact --study DIR process`, `impact build --study DIR`, as a user types them."""
    root = tmp_path_factory.mktemp("live") / "studie"
    runner = CliRunner()
    for args in (["demo", str(root)], ["--study", str(root), "process"], ["build", "--study", str(root)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return root, result.output


def test_a_fresh_demo_study_builds_its_seven_reports(demo):
    root, output = demo
    assert sorted(p.stem for p in (root / "notebooks").glob("*.ipynb")) == sorted(REPORTS + ["06_coderen"])
    assert sorted(re.findall(r"nl/(\S+)\.html: gemaakt", output)) == REPORTS
    assert sorted(p.stem for p in (root / "reports" / "nl").glob("0*.html")) == REPORTS


def test_published_files_are_readable_by_all_and_the_cache_stays_private(demo):
    root, _ = demo
    reports = root / "reports"
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert len(files) >= 7 + 8 + 1  # seven reports, the infographic in four formats and two sizes, the index
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o644"}
    assert {oct(p.stat().st_mode & 0o777) for p in reports.rglob("*") if p.is_dir()} == {"0o755"}
    assert not [p for p in reports.rglob(".*")]  # no hidden cache or key files among the published ones
    cache = root / "data" / "cache" / "build.json"
    assert oct(cache.stat().st_mode & 0o777) == "0o600"


def test_one_changed_coding_makes_again_only_the_reports_that_read_codings(demo):
    root, _ = demo
    study = Study.load(root)
    processed = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in study.processed.glob("*.parquet")}
    coded = root / "data" / "raw" / "codings" / "BB03" / "I01.md"
    text = coded.read_text(encoding="utf-8")
    first = re.search(r"\{#(\w+)\}", text)
    other = "motivatie" if first.group(1) != "motivatie" else "verbinden"
    coded.write_text(text[:first.start()] + "{#" + other + "}" + text[first.end():], encoding="utf-8")

    result = process_study(study)
    assert result.written == ["codings"]
    assert "codings" not in result.reused and "transcripts" in result.reused
    for p in study.processed.glob("*.parquet"):  # the other tables keep their bytes and their file
        if p.name != "codings.parquet":
            assert (p.read_bytes(), p.stat().st_mtime_ns) == processed[p.name], p.name
    assert (study.processed / "codings.parquet").read_bytes() != processed["codings.parquet"][0]

    built = b.build_reports(study)
    status = {r.job.notebook.stem: r.status for r in built.results}
    assert status == {"00_overzicht": "built", "01_ontwikkeling_naar_werk": "built",
                      "02_bereik_in_de_buurt": "cached", "03_perspectieven": "built",
                      "04_vragenlijsten": "cached", "05_kwaliteit_van_het_coderen": "built",
                      "07_van_activiteit_naar_effect": "built"}  # its evidence counts coded interviews
    assert built.infographic_built  # it shows the themes people talk about: from the codings
    cache = json.loads((root / "data" / "cache" / "build.json").read_text(encoding="utf-8"))["entries"]
    read = {name: [rel for rel in entry["inputs"] if rel.startswith("data/")] for name, entry in cache.items()}
    assert "data/processed/codings.parquet" not in read["nl/02_bereik_in_de_buurt.html"]
    assert "data/processed/codings.parquet" in read["nl/03_perspectieven.html"]
    assert "questionnaires/buurtbaners.xlsx" in cache["nl/04_vragenlijsten.html"]["inputs"]


def test_nothing_changed_runs_no_notebook(demo, monkeypatch):
    root, _ = demo
    study = Study.load(root)
    assert process_study(study).written == []

    def no_kernels(*args, **kwargs):
        raise AssertionError("a notebook was run")

    monkeypatch.setattr(b.KernelPool, "run", no_kernels)
    result = b.build_reports(study)
    assert [r.status for r in result.results] == ["cached"] * 7 and not result.infographic_built


def test_dutch_and_english_builds_stay_side_by_side(demo):
    root, _ = demo
    study = Study.load(root)
    dutch = {p.name: p.read_bytes() for p in (root / "reports" / "nl").iterdir()}
    result = b.build_reports(study, lang="en")
    assert not result.failed
    assert sorted(p.stem for p in (root / "reports" / "en").glob("0*.html")) == REPORTS
    assert '<html lang="en">' in (root / "reports" / "en" / "02_bereik_in_de_buurt.html").read_text()
    assert {p.name: p.read_bytes() for p in (root / "reports" / "nl").iterdir()} == dutch
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert index.count(">Nederlands</h2>") == 1 and index.count(">English</h2>") == 1
    assert index.index(">Nederlands</h2>") < index.index(">English</h2>")  # the study's language first
    for lang in ("nl", "en"):
        for stem in REPORTS:
            assert index.count(f'href="{lang}/{stem}.html"') == 1
        assert f'href="{lang}/infographic-a4.pdf"' in index
    # a district build has its own files and leaves the whole-study infographic alone
    infographic = (root / "reports" / "nl" / "infographic-a4.png").stat().st_mtime_ns
    west = b.build_reports(study, districts=["West"], notebooks=[study.notebooks / "02_bereik_in_de_buurt.ipynb"])
    assert [r.job.name for r in west.results] == ["nl/02_bereik_in_de_buurt-west.html"] and not west.failed
    assert (root / "reports" / "nl" / "infographic-a4.png").stat().st_mtime_ns == infographic
    assert {p.name: p.read_bytes() for p in (root / "reports" / "nl").iterdir()
            if p.name in dutch} == dutch
