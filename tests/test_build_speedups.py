"""What makes a rebuild quick must not change what it makes: the guard page by page, the shared
disclosure plan, reads that do not count, the lighter namespace clear between notebooks."""

from __future__ import annotations

import doctest
import importlib
import shutil
from pathlib import Path

import pytest

from impact import reads


@pytest.mark.parametrize("module", ["reads", "privacy.guard", "report.warm", "data.shared", "study"])
def test_the_examples_in_the_docstrings_run(module):
    result = doctest.testmod(importlib.import_module(f"impact.{module}"))
    assert result.failed == 0 and result.attempted > 0


def test_reads_inside_paused_do_not_count(tmp_path):
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    (tmp_path / "b.csv").write_text("y", encoding="utf-8")
    reads.start(tmp_path)
    with reads.paused():
        (tmp_path / "a.csv").read_text(encoding="utf-8")
        reads.note(tmp_path / "data" / "processed" / "people.parquet")
    (tmp_path / "b.csv").read_text(encoding="utf-8")
    assert reads.stop() == ["b.csv"]


def test_page_by_page_finds_what_all_at_once_finds(tmp_path):
    """Two district pages and the whole study: a name, a small cell, and a count given away only by
    the pages together (12 in all, 5 and 4 shown, the third district hidden: 3 left)."""
    from impact.privacy.guard import PublishCheck, check_publish

    def page(name: str, district: str, value: str, extra: str = "") -> Path:
        path = tmp_path / name
        path.write_text(f'<html lang="nl"><head><meta name="impact:district" content="{district}"></head><body>'
                        f'<h1>Bereik</h1><p data-count="persons" data-figure="reached">{value}</p>{extra}'
                        "</body></html>", encoding="utf-8")
        return path

    pages = [page("all.html", "", "12", "<p>Gesprek met Jan Jansen</p>"), page("west.html", "West", "5"),
             page("oost.html", "Oost", "4", '<td data-count="persons">2</td>'), page("zuid.html", "Zuid", "&lt; 5")]
    together = check_publish(pages, names=["Jan Jansen"], k=5, districts=["West", "Oost", "Zuid"])
    check = PublishCheck(["Jan Jansen"], 5, districts=["West", "Oost", "Zuid"])
    for path in pages:
        check.add(path)
    assert check.findings() == together
    assert {f.kind for f in together} == {"name", "small_cell", "cross_page"}


def test_the_disclosure_plan_is_made_once_and_read_by_the_next_process(tmp_path, processed_demo):
    from impact.data import Tables
    from impact.figures import disclosure
    from impact.study import Study

    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    study = Study.load(root)
    made = disclosure.hidden_cells(Tables(study=study))
    saved = [p for p in (root / "data" / "cache" / "disclosure").glob("*.txt") if not p.name.startswith("values-")]
    assert len(saved) == 1 and made  # the demo hides some counts
    # another process (here: the cache of this one forgotten) reads it instead of working it out
    disclosure._plan.cache_clear()
    worked = []
    original = disclosure._work_out
    disclosure._work_out = lambda *a: worked.append(a) or original(*a)
    try:
        assert disclosure.hidden_cells(Tables(study=study)) == made
        assert worked == []
        assert original(str(root), None, study.config.privacy.k, ()) == made  # the file holds the plan itself
    finally:
        disclosure._work_out = original
        disclosure._plan.cache_clear()


def test_notebooks_in_one_kernel_do_not_see_each_others_names(tmp_path):
    from impact.report import build as b
    from report_toy import make_toy_study

    root = make_toy_study(tmp_path / "s", {
        "01_a.ipynb": [("params", "study = '.'"), ("code", "secret_of_a = 1\nimport impact\nimpact.show.note('a')")],
        "02_b.ipynb": [("params", "study = '.'"),
                       ("code", "import impact\nimpact.show.note('b sees ' + str('secret_of_a' in globals()) + ' '"
                                " + str(len(Out)))")]})
    from impact.study import Study

    result = b.build_reports(Study.load(root), workers=1, infographic=False)
    assert [r.status for r in result.results] == ["built", "built"]
    page = (root / "reports" / "nl" / "02_b.html").read_text(encoding="utf-8")
    assert "b sees False 0" in page


def test_kept_values_give_the_plan_worked_out_from_scratch(tmp_path, processed_demo):
    """After a change in one table, the figures that did not use it keep their values, the others are
    worked out again: the plan is the one made without kept values (and it did change)."""
    import polars as pl

    from impact.figures import disclosure
    from impact.study import Study

    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    study = Study.load(root)
    k = study.config.privacy.k
    folder = root / "data" / "cache" / "disclosure"

    def plan(kept: bool) -> frozenset:
        disclosure._scopes.cache_clear()
        if not kept:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        return disclosure._work_out(str(root), None, k, ())

    before = plan(kept=False)
    assert list(folder.glob("values-*.txt"))
    # fewer residents take part in West: reach figures change, the codings' do not
    path = root / "data" / "processed" / "attendance.parquet"
    people = pl.read_parquet(root / "data" / "processed" / "people.parquet")
    west = people.filter(pl.col("district") == "West")["person"].to_list()
    attendance = pl.read_parquet(path)
    attendance.filter(~pl.col("person").is_in(west[: len(west) * 9 // 10])).write_parquet(path)
    worked = []
    original = disclosure.KeptValues.value

    def counting(self, figure, scope, work_out):
        return original(self, figure, scope, lambda: worked.append(figure) or work_out())

    disclosure.KeptValues.value = counting
    try:
        after = plan(kept=True)
    finally:
        disclosure.KeptValues.value = original
    assert after == plan(kept=False) and after != before
    assert "residents_taking_part" in worked and "coresearchers_by_role" not in worked


_SHARED_WORK = """
import sys, time
from pathlib import Path
from impact.data import Tables
from impact.study import Study

root, log = Path(sys.argv[1]), Path(sys.argv[2])

def slow():
    with open(log, "a", encoding="utf-8") as f:
        f.write("worked\\n")
    time.sleep(1.0)  # long enough for the other process to ask in the meantime
    return Tables(study=Study.load(root)).codings.height

print(Tables(study=Study.load(root)).shared("codings counted", slow))
"""


def test_a_shared_result_is_worked_out_once_for_all_processes(tmp_path, processed_demo):
    """Two processes that need the same result at once: one works it out, the other waits and reads it.
    A page that takes it from there still counts the tables it used as its inputs; a changed table
    makes it be worked out again."""
    import subprocess
    import sys

    import polars as pl

    from impact.data import Tables
    from impact.study import Study

    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    log = tmp_path / "log.txt"
    runs = [subprocess.Popen([sys.executable, "-c", _SHARED_WORK, str(root), str(log)], stdout=subprocess.PIPE,
                             text=True) for _ in range(2)]
    printed = [int(p.communicate(timeout=120)[0].strip()) for p in runs]
    codings = root / "data" / "processed" / "codings.parquet"
    height = pl.read_parquet(codings).height
    assert printed == [height, height] and height > 0
    assert log.read_text(encoding="utf-8") == "worked\n"

    def must_not_run():
        raise AssertionError("worked out again")

    reads.start(root)
    assert Tables(study=Study.load(root)).shared("codings counted", must_not_run) == height
    assert "data/processed/codings.parquet" in reads.stop()

    pl.read_parquet(codings).head(3).write_parquet(codings)
    assert Tables(study=Study.load(root)).shared("codings counted", lambda: Tables(study=Study.load(root)).codings.height) == 3
    # another scope (a district) is another result
    assert Tables(study=Study.load(root), district=["West"]).shared("codings counted", lambda: -1) == -1


def test_a_table_read_again_only_when_its_file_changed(tmp_path):
    import os

    import polars as pl

    from impact.study import read_table_file

    path = tmp_path / "people.parquet"
    pl.DataFrame({"person": ["a", "b"]}).write_parquet(path)
    first = read_table_file(path)
    assert read_table_file(path) is first
    new = tmp_path / "new.parquet"  # as impact process writes it: a new file in its place
    pl.DataFrame({"person": ["c"]}).write_parquet(new)
    os.replace(new, path)
    assert read_table_file(path)["person"].to_list() == ["c"]


def test_a_form_read_again_only_when_its_file_changed_and_still_an_input(tmp_path):
    """A report that asks for a form read earlier in its kernel still has the form as an input."""
    import shutil as sh

    import impact
    from impact.questionnaires import read_xlsform

    template = Path(impact.__file__).parent / "study_template" / "questionnaires"
    path = tmp_path / "questionnaires" / "vragen.xlsx"
    path.parent.mkdir()
    sh.copy(template / "bewoners.xlsx", path)
    first = read_xlsform(path)
    reads.start(tmp_path)
    again = read_xlsform(path)
    assert reads.stop() == ["questionnaires/vragen.xlsx"]
    assert again.questions.equals(first.questions) and again is not first
    new = tmp_path / "new.xlsx"
    sh.copy(template / "buurtbaners.xlsx", new)
    new.replace(path)
    assert not read_xlsform(path).questions.equals(first.questions)
