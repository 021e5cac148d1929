"""The six notebooks: static rules, the notebook loader, and a run top to bottom in Dutch and English.

Static rules (issue 5): every notebook has a cell tagged ``parameters``; no
code cell outside it has more than five lines (comments and blank lines not
counted); no outputs are committed; every ``show.chart(`` call passes a
title, a takeaway and a description.

Execution: on the demo study (``impact.make_demo`` + ``impact.process_study``)
when those exist, and always on a small processed study built here from
random but seeded tables, so the notebooks are checked even before the demo
lands.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import json
import random
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def test_the_six_notebooks_of_issue_5_are_there():
    assert {"00", "01", "02", "03", "04", "05"} <= {p.name[:2] for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell(path):
    cells = _cells(path)
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    names = {t.id for node in ast.parse(_source(tagged[0])).body for t in node.targets}
    assert names == {"study", "district", "language", "period"}
    assert 'language = "nl"' in _source(tagged[0])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_short(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code" or "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        lines = [line for line in _source(cell).splitlines()
                 if line.strip() and not line.strip().startswith("#")]
        assert len(lines) <= 5, f"{path.name}: a code cell has {len(lines)} lines:\n{_source(cell)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_chart_has_title_takeaway_description(path):
    for cell in _cells(path):
        if cell["cell_type"] != "code" or "show.chart(" not in _source(cell):
            continue
        tree = ast.parse(_source(cell))
        # w = words.chart_words(...) always holds the three (and withheld): show.chart(c, **w) is fine
        words = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and "chart_words" in ast.unparse(node.value) for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "chart" \
                    and getattr(node.func.value, "id", "") == "show":
                spread = any(k.arg is None and getattr(k.value, "id", None) in words for k in node.keywords)
                assert spread or {"title", "takeaway", "description"} <= {k.arg for k in node.keywords}, path.name


def test_static_checker_catches_a_chart_without_description():
    """The check above must fail on a call that forgets one of the three texts."""
    tree = ast.parse('show.chart(c, title="t", takeaway="x")')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    assert not {"title", "takeaway", "description"} <= {k.arg for k in call.keywords}


# --- a small processed study, built here ----------------------------------------

def _write_small_study(root: Path, seed: int = 7) -> Path:
    """A processed study with every table of docs/data-model.md, random but seeded (synthetic)."""
    import polars as pl

    from impact.study import init_study

    rnd = random.Random(seed)
    study = init_study(root, name="Kleine testtudie", districts=["West", "Oost"])
    toml = (root / "impact.toml").read_text().replace("synthetic = false", "synthetic = true")
    (root / "impact.toml").write_text(toml)
    shutil.copytree(ROOT / "impact" / "study_template" / "questionnaires", root / "questionnaires",
                    dirs_exist_ok=True)
    out = study.processed
    d0 = dt.date(2021, 3, 1)
    day = lambda n: d0 + dt.timedelta(days=n)  # noqa: E731
    roles = ["buurtbaner"] * 14 + ["key_person"] * 6 + ["resident"] * 30 + ["volunteer"] * 6 + ["formal_actor"] * 6
    people = [{"person": f"p_{i:016x}", "role": r, "actor_type": "formal" if r == "formal_actor" else "informal",
               "organisation": "Buurtteam" if r == "formal_actor" else None, "district": rnd.choice(["West", "Oost"]),
               "neighbourhood": None, "birth_year": rnd.randint(1960, 2000),
               "coresearcher": r in ("buurtbaner", "key_person") and rnd.random() < 0.6}
              for i, r in enumerate(roles)]
    P = pl.DataFrame(people, schema_overrides={"birth_year": pl.Int32})
    P.write_parquet(out / "people.parquet")
    ids = P["person"].to_list()
    bb = P.filter(pl.col("role") == "buurtbaner")["person"].to_list()
    keys = P.filter(pl.col("role").is_in(["buurtbaner", "key_person"]))["person"].to_list()
    residents = P.filter(pl.col("role") == "resident")["person"].to_list()
    formal = P.filter(pl.col("role") == "formal_actor")["person"].to_list()
    pl.DataFrame({"person": ids, "questionnaire": [True] * len(ids), "interview": [True] * len(ids),
                  "quotes": [rnd.random() < 0.9 for _ in ids], "named_as_coresearcher": [rnd.random() < 0.5 for _ in ids],
                  "withdrawn_on": [None] * len(ids)}, schema_overrides={"withdrawn_on": pl.Date}
                 ).write_parquet(out / "consent.parquet")

    ev, goals = [], []
    for p in bb:
        start = rnd.randint(0, 200)
        ev.append((p, day(start), "start", None, None))
        step = rnd.randint(1, 3)
        for m in range(0, 24, 4):
            ev.append((p, day(start + 30 * m), "ladder_step", None, step))
            step = min(6, step + rnd.choice([0, 0, 1]))
            ev.append((p, day(start + 30 * m + 5), "training", float(rnd.randint(4, 30)), None))
            ev.append((p, day(start + 30 * m + 9), "coaching", float(rnd.randint(1, 8)), None))
        fate = rnd.random()
        if fate < 0.2:
            ev.append((p, day(start + rnd.randint(60, 300)), "drop_out", None, None))
        else:
            if fate < 0.7:
                ev.append((p, day(start + rnd.randint(300, 600)), "promise_of_contract", None, None))
            if fate < 0.5:
                ev.append((p, day(start + rnd.randint(500, 800)), "follow_on_job", None, None))
        for g in (1, 2, 3):
            for k, when in enumerate((start, start + 360)):
                goals.append((p, g, f"doel {g}", 1.0, day(when), rnd.choice([-2, -1]) if k == 0 else rnd.choice([-1, 0, 1, 2])))
    pl.DataFrame(ev, schema={"person": pl.Utf8, "date": pl.Date, "kind": pl.Utf8, "hours": pl.Float64,
                             "ladder_step": pl.Int8}, orient="row").write_parquet(out / "trajectory_events.parquet")
    pl.DataFrame(goals, schema={"person": pl.Utf8, "goal_id": pl.Int8, "goal": pl.Utf8, "weight": pl.Float64,
                                "date": pl.Date, "level": pl.Int8}, orient="row").write_parquet(out / "goals.parquet")

    acts, att = [], []
    kinds = ["spreekuur", "maaltijd", "wandelgroep", "taalles", "computerles", "evenement"]
    seen = set()
    for a in range(80):
        who = rnd.sample(residents, rnd.randint(3, 10))
        first = [r not in seen for r in who]
        seen |= set(who)
        acts.append((f"A{a:03}", rnd.choice(kinds), rnd.choice(["West", "Oost"]), day(rnd.randint(0, 700)),
                     rnd.choice(keys), len(who) + 4, sum(first)))
        att += [(f"A{a:03}", r, f) for r, f in zip(who, first)]
    pl.DataFrame(acts, schema={"activity_id": pl.Utf8, "kind": pl.Utf8, "district": pl.Utf8, "date": pl.Date,
                               "organiser": pl.Utf8, "attendees": pl.Int32, "first_time_attendees": pl.Int32},
                 orient="row").write_parquet(out / "activities.parquet")
    pl.DataFrame(att, schema={"activity_id": pl.Utf8, "person": pl.Utf8, "first_time": pl.Boolean},
                 orient="row").write_parquet(out / "attendance.parquet")

    con = []
    for _ in range(300):
        con.append((day(rnd.randint(0, 700)), rnd.choice(keys), None, None, "doorbell", rnd.choice(["West", "Oost"])))
    for _ in range(90):
        con.append((day(rnd.randint(0, 700)), rnd.choice(keys), rnd.choice(residents + formal), None, "conversation", "West"))
    for _ in range(30):
        con.append((day(rnd.randint(0, 700)), rnd.choice(keys), rnd.choice(residents), None, "match", "Oost"))
    for _ in range(25):
        con.append((day(rnd.randint(0, 700)), rnd.choice(keys + residents[:5]), None,
                    rnd.choice(["Buurtteam", "Schuldhulp", "Werkplein"]), "referral", "West"))
    chain = keys[:6] + residents[:14]
    for i in range(6, len(chain)):
        con.append((day(rnd.randint(0, 700)), chain[rnd.randint(max(0, i - 6), i - 1)], chain[i], None,
                    "volunteer_activated", "West"))
    pl.DataFrame(con, schema={"date": pl.Date, "from_person": pl.Utf8, "to_person": pl.Utf8,
                              "to_organisation": pl.Utf8, "kind": pl.Utf8, "district": pl.Utf8},
                 orient="row").write_parquet(out / "contacts.parquet")

    pl.DataFrame({"story_id": ["S1", "S2", "S3", "S4"], "person": bb[:4], "domain": ["werk", "werk", "buurt", "buurt"],
                  "story": ["Ik heb nu een [NAAM] vaste baan.", "Ik durf meer.", "De buren groeten nu.", "Er is een eettafel."],
                  "panel_choice": [True, False, True, False], "panel_reasons": ["Laat groei zien.", None, "Raakt veel mensen.", None]}
                 ).write_parquet(out / "msc_stories.parquet")

    resp = []
    items = ([f"se_{i}" for i in range(1, 6)] + [f"net_{i}" for i in range(1, 5)] + [f"fin_{i}" for i in range(1, 4)]
             + [f"wb_{i}" for i in range(1, 5)])
    for p in keys:
        base = rnd.randint(2, 4)
        for w in (1, 2):
            resp.append(("buurtbaners", "1", p, w, day(100 * w), "ladder", str(min(6, base + w - 1)), float(min(6, base + w - 1))))
            for it in items:
                v = max(1, min(5, base + (w - 1) + rnd.choice([-1, 0, 0, 1])))
                resp.append(("buurtbaners", "1", p, w, day(100 * w), it, str(v), float(v)))
    for p in residents:
        resp.append(("bewoners", "1", p, 1, day(50), "contact_via", rnd.choice(["activiteit", "aanbellen", "via_via"]), None))
        resp.append(("bewoners", "1", p, 1, day(50), "formele_org", rnd.choice(["ja", "nee"]), None))
    pl.DataFrame(resp, schema={"instrument": pl.Utf8, "version": pl.Utf8, "respondent": pl.Utf8, "wave": pl.Int8,
                               "date": pl.Date, "item": pl.Utf8, "value": pl.Utf8, "value_num": pl.Float64},
                 orient="row").write_parquet(out / "responses.parquet")

    codes = [("ontwikkeling", None, "rq1"), ("motivatie", "ontwikkeling", "rq1"), ("netwerk", None, "rq2"),
             ("vertrouwen", None, "rq3"), ("regels", None, "inductive")]
    pl.DataFrame({"code": [c for c, _, _ in codes], "parent": [p for _, p, _ in codes],
                  "definition": ["uitleg"] * 5, "when_to_use": [""] * 5, "when_not_to_use": [""] * 5,
                  "example": [""] * 5, "origin": [o for _, _, o in codes], "proposed_by": ["onderzoekers"] * 5,
                  "date_added": [d0] * 5, "aliases": [[]] * 5},
                 schema_overrides={"aliases": pl.List(pl.Utf8)}).write_parquet(out / "codebook.parquet")
    docs, segs = [], []
    sentence = "Ik vind dat de buurtbaner veel doet voor de buurt en voor mij."
    for i in range(16):
        formal_doc = i % 2 == 1
        docs.append((f"I{i:02}", day(200 + i), keys[i % len(keys)], (formal if formal_doc else residents)[i % 6],
                     "formal" if formal_doc else "informal", "buurtteam" if formal_doc else "bewonersinitiatief",
                     rnd.choice(["West", "Oost"]), True, sentence * 3))
        for coder in ids[:2]:
            for code in rnd.sample([c for c, _, _ in codes], 3):
                s = rnd.randint(0, 60)
                segs.append((f"I{i:02}", s, s + 40, code, coder, (sentence * 3)[s:s + 40]))
    pl.DataFrame(docs, schema={"document": pl.Utf8, "date": pl.Date, "interviewer": pl.Utf8, "interviewee": pl.Utf8,
                               "actor_type": pl.Utf8, "organisation_kind": pl.Utf8, "district": pl.Utf8,
                               "consent": pl.Boolean, "text": pl.Utf8}, orient="row").write_parquet(out / "transcripts.parquet")
    pl.DataFrame(segs, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                               "coder": pl.Utf8, "text": pl.Utf8}, orient="row").write_parquet(out / "codings.parquet")
    pl.DataFrame([("activities", "data/raw/activities.csv", 7, "date", "31-02-2022", "een bestaande datum", "an existing date")],
                 schema={"table": pl.Utf8, "file": pl.Utf8, "row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8,
                         "reason_nl": pl.Utf8, "reason_en": pl.Utf8}, orient="row").write_parquet(out / "quarantine.parquet")
    return root


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    return _write_small_study(tmp_path_factory.mktemp("small") / "studie")


# --- the loader -------------------------------------------------------------------

def test_load_filters_by_district_and_keeps_whole_trajectories(small_study):
    import polars as pl

    from impact import data

    every = data.load(small_study)
    west = data.load(small_study, district="West")
    people = every.people
    west_people = set(people.filter(pl.col("district") == "West")["person"])
    assert set(west.trajectory_events["person"]) <= west_people
    assert set(west.activities["district"]) == {"West"}
    # attendance follows its activity's district
    assert set(west.attendance["activity_id"]) <= set(west.activities["activity_id"])
    # codings follow their interview
    assert set(west.codings["document"]) <= set(west.transcripts["document"])
    in_2022 = data.load(small_study, period="2022")
    assert in_2022.activities["date"].min() >= dt.date(2022, 1, 1)
    assert in_2022.activities["date"].max() <= dt.date(2022, 12, 31)
    kept = in_2022.trajectory_events
    # a trajectory active in 2022 keeps its start, even from 2021
    for person in kept["person"].unique().to_list():
        assert "start" in kept.filter(pl.col("person") == person)["kind"].to_list()


def test_load_periods_and_wrong_input(small_study):
    from impact import data
    from impact.errors import StudyError

    assert data.parse_period("2022-01..2022-02") == (dt.date(2022, 1, 1), dt.date(2022, 2, 28))
    assert data.parse_period(("2021-05-01", None)) == (dt.date(2021, 5, 1), None)
    with pytest.raises(StudyError) as err:
        data.parse_period("vorige zomer")
    assert "begrijp ik niet" in err.value.render("nl")
    with pytest.raises(StudyError) as err:
        data.load(small_study, district="Noord")
    assert "West, Oost" in err.value.render("en")


def test_load_missing_table_is_empty_with_columns(small_study, tmp_path):
    from impact import data

    copy = tmp_path / "copy"
    shutil.copytree(small_study, copy)
    (copy / "data" / "processed" / "goals.parquet").unlink()
    goals = data.load(copy).goals
    assert goals.height == 0 and "level" in goals.columns


def test_overview_helpers(small_study):
    from impact import data

    from impact import figures

    t = data.load(small_study)
    # 14 buurtbaners, each with a start; 80 activities (see _write_small_study)
    assert figures.value("buurtbaners_placed", t).number == 14 and figures.value("activities", t).number == 80
    q = data.quarantine_summary(t, "nl")
    assert q.rows() == [("activiteiten", "een bestaande datum", 1)]
    co = data.coresearcher_counts(t)
    assert set(co["role"]) <= {"buurtbaner", "key_person"} and (co["named"] <= co["n"]).all()
    people = t.with_people("responses")
    assert {"role", "district"} <= set(people.columns)
    wide = t.answers("bewoners", ["contact_via", "formele_org"], wave=1)
    assert wide.height == 30 and {"contact_via", "formele_org"} <= set(wide.columns)


# --- running the notebooks ------------------------------------------------------------

def _missing_module(path: Path) -> str | None:
    """A reason to skip when a notebook uses an ``impact`` module or name that has not landed yet.

    Looks at ``from impact import mod`` and then every ``mod.name`` the
    notebook uses; a notebook whose own code fails is not skipped.
    """
    modules: dict[str, str] = {}
    trees = [ast.parse(_source(c)) for c in _cells(path) if c["cell_type"] == "code"]
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "impact":
                for alias in node.names:
                    modules[alias.asname or alias.name] = f"impact.{alias.name}"
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
                name = modules[node.value.id]
                try:
                    module = getattr(importlib.import_module("impact"), name.split(".", 1)[1], None) \
                        or importlib.import_module(name)
                    getattr(module, node.attr)
                except ImportError:
                    return f"{name} is not there yet"
                except AttributeError:
                    return f"{name}.{node.attr} is not there yet"
    return None


def _run(path: Path, study: Path, language: str) -> str:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nbformat.v4.new_code_cell(f"study = {str(study)!r}\nlanguage = {language!r}")
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, injected)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    html = "".join(out.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for out in c.get("outputs", []))
    errors = [out for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", [])
              if out.get("output_type") == "error"]
    assert not errors
    assert "impact-piece" in html or "<h1>" in html
    assert not re.search(r"p_[0-9a-f]{16}", html), "a pseudonym reached the output"
    return html


@pytest.mark.slow
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_small_study(path, language, small_study):
    reason = _missing_module(path)
    if reason:
        pytest.skip(reason)
    html = _run(path, small_study, language)
    words = {"nl": ("Stadsdeel", "Studie"), "en": ("District", "Study")}[language]
    assert all(w in html for w in words)


@pytest.fixture(scope="module")
def demo_study(tmp_path_factory):
    import impact

    try:
        make_demo, process_study = impact.make_demo, impact.process_study
    except (AttributeError, ImportError) as exc:
        pytest.skip(f"the demo study cannot be made yet: {exc}")
    root = Path(make_demo(tmp_path_factory.mktemp("demo") / "demo"))
    process_study(impact.Study.load(root))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_demo_study(path, language, demo_study):
    reason = _missing_module(path)
    if reason:
        pytest.skip(reason)
    _run(path, demo_study, language)
