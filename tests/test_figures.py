"""impact.figures: every published figure by name, counted by hand on the toy study (tests/report_toy.py).

The toy study has k = 3: 5 buurtbaners (3 in West, 2 in Oost) and 1 key person; 2 follow-on jobs and
3 promises; 3 activities with 6 distinct attendees; 3 doorbells (1 names resident r6); 2 volunteers.
"""

from __future__ import annotations

import polars as pl
import pytest

from report_toy import make_toy_study

from impact import figures
from impact.data import SCHEMAS, TABLE_LABELS, Tables
from impact.errors import ImpactError
from impact.study import Study

REPO = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return Study.load(make_toy_study(tmp_path_factory.mktemp("figures") / "toets"))


def test_every_figure_is_documented_with_unit_tables_and_privacy_rule():
    names = figures.names()
    assert len(names) == len(set(names)) >= 40
    for f in figures.catalogue():
        assert f.label("nl") and f.label("en") and f.definition("nl") != f.definition("en"), f.name
        assert f.definition("nl").endswith(".") and f.definition("en").endswith("."), f.name
        assert f.unit in figures.UNITS and f.privacy in figures.PRIVACY_RULES, f.name
        assert f.tables and all(t in SCHEMAS and t in TABLE_LABELS for t in f.tables), f.name
        # a count of persons is always protected by the small-cell rule
        assert f.unit != "persons" or f.privacy == "small_cells", f.name
        assert f.base is None or f.base in names, f.name
    with pytest.raises(ImpactError) as err:
        figures.get("fietsen")
    assert "residents_reached" in err.value.render("nl")


def test_hand_counted_values_on_the_toy_study(toy):
    t = Tables(study=toy)
    got = {name: figures.value(name, t).number for name in (
        "buurtbaners_placed", "contract_promises", "follow_on_jobs", "drop_outs", "residents_reached",
        "residents_taking_part", "activities", "doorbells_rung", "new_volunteers", "interviews")}
    assert got == {"buurtbaners_placed": 5, "contract_promises": 3, "follow_on_jobs": 2, "drop_outs": 0,
                   # 6 attendees + r6, named at a door; the 2 doorbells without a name reach nobody we can count
                   "residents_reached": 7, "residents_taking_part": 6, "activities": 3,
                   # doorbells are contacts: 3 times, never added to the residents
                   "doorbells_rung": 3, "new_volunteers": 2, "interviews": 2}
    # the same value however it is asked for, and the same object from the cache
    assert figures.value("residents_reached", t).number == figures.values(t, ["residents_reached"])[
        "residents_reached"].number


def test_small_cells_are_hidden_in_a_district_and_a_headline_total_may_stay(toy):
    oost = Tables(study=toy, district=["Oost"])
    # Oost: bb3 and bb4 started (2 < k = 3): hidden; nobody dropped out (0 is shown)
    placed = figures.value("buurtbaners_placed", oost)
    assert (placed.number, placed.hidden, placed.text("nl")) == (None, True, "< 3")
    assert 'data-count="persons"' in placed.html("nl") and "&lt; 3</data>" in placed.html("nl")
    assert "Minder dan 3 personen" in placed.attributes("nl")["title"]
    assert figures.value("drop_outs", oost).text("nl") == "0"
    # the whole study: 1 active worker (bb0) is below k, but the study allows headline totals
    whole = figures.value("key_persons_active", Tables(study=toy))
    assert (whole.number, whole.headline) == (1, True)
    assert whole.attributes()["data-count"] == "headline"


def test_value_html_carries_unit_name_definition_and_escapes():
    f = figures.get("doorbells_rung")
    v = figures.Value(f, 3062)
    html = v.html("nl")
    assert html.startswith('<data class="impact-figure" value="3062" data-figure="doorbells_rung" '
                           'data-unit="contacts"')
    assert ">3.062</data>" in html and "data-count" not in html  # contacts are not persons
    assert 'title="Keer aangebeld: Hoe vaak een buurtbaner' in html and "Bron: contacten." in html
    assert figures.Value(f, 3062).text("en") == "3,062"
    assert figures.format_number(0.2011, "percent") == "20%"
    assert figures.format_number(0.7069, "coefficient", "nl") == "0,71"
    p = figures.say(figures.Text("Er werd {n} keer <aangebeld>.", "x"), "nl", n=v)
    assert p.text() == "Er werd 3.062 keer <aangebeld>."
    assert p.html().startswith("Er werd <data ") and p.html().endswith("keer &lt;aangebeld&gt;.")


def test_the_figures_page_in_docs_is_the_registry():
    """docs/cijfers.md is written by `python -m impact.figures.docs`; it must not fall behind."""
    assert (REPO / "docs" / "cijfers.md").read_text(encoding="utf-8") == figures.markdown("nl")
    text = figures.markdown("nl")
    for f in figures.catalogue():
        assert f"(`{f.name}`)" in text and f.definition("nl") in text and f.definition("en") in text


def test_every_figure_computes_on_the_demo(processed_demo):
    from impact.data import load

    t = load(processed_demo)
    for name in figures.names():
        f = figures.get(name)
        found = figures.breakdown(name, t) if f.by else [figures.value(name, t)]
        assert found and all(v.number is not None or v.hidden for v in found), name
    # interviews are interviews: the demo holds 24, and its open answers are counted apart (once "198")
    transcripts = t.transcripts
    assert figures.value("interviews", t).number == transcripts.filter(
        pl.col("source_kind") == "interview").height == 24
    assert figures.value("open_answers", t).number == transcripts.height - 24
    assert figures.value("interviews_informal", t).number + figures.value("interviews_formal", t).number == 24
    # residents reached: one definition, and the district values are that same definition per district
    total = figures.value("residents_reached", t).number
    by_district = figures.breakdown("residents_reached_by_district", t)
    assert total >= max(v.number for v in by_district)
    for v in by_district[:2]:
        assert v.number == figures.value("residents_reached", load(processed_demo, district=v.key)).number
