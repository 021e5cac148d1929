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
    got = {name: figures.get(name).compute(t) for name in (
        "buurtbaners_placed", "contract_promises", "follow_on_jobs", "drop_outs", "residents_reached",
        "residents_taking_part", "activities", "doorbells_rung", "new_volunteers", "interviews")}
    assert got == {"buurtbaners_placed": 5, "contract_promises": 3, "follow_on_jobs": 2, "drop_outs": 0,
                   # 6 attendees + r6, named at a door; the 2 doorbells without a name reach nobody we can count
                   "residents_reached": 7, "residents_taking_part": 6, "activities": 3,
                   # doorbells are contacts: 3 times, never added to the residents
                   "doorbells_rung": 3, "new_volunteers": 2, "interviews": 2}
    # the same value however it is asked for
    assert figures.value("residents_reached", t).number == figures.values(t, ["residents_reached"])[
        "residents_reached"].number == 7


def test_small_counts_are_hidden_on_every_page_of_a_build_and_so_is_what_gives_them_away(toy):
    """k = 3. By hand, with the whole study (W) and the districts West and Oost:

    * started: W 5, West 3, Oost 2. Oost's 2 is small; 5 - 3 would give it away, so West's 3 is hidden
      too (shown as x: it is not small itself). The whole study's 5 stays.
    * residents reached: W 7, West 6, Oost 1: the same; taking part (6 of the 7) would leave 7 - 6 = 1.
    * follow-on jobs: W 2 (small, even for the whole study: no headline exception any more).
    * promises: W 3 of the 5 who started, so 2 did not: the 3 is hidden; West 3 + Oost 0 would give
      it back (nobody lives outside a district), so West's 3 goes too.
    * co-researchers: bb0, bb1 and sp0 (3); thanked by name: bb0 and sp0 (2, small).
    """
    west, oost = Tables(study=toy, district=["West"]), Tables(study=toy, district=["Oost"])
    whole = Tables(study=toy)

    def shown(name, t):
        return figures.value(name, t).text("nl")

    assert [shown("buurtbaners_placed", t) for t in (whole, west, oost)] == ["5", "x", "< 3"]
    assert [shown("residents_reached", t) for t in (whole, west, oost)] == ["7", "x", "< 3"]
    assert shown("residents_taking_part", whole) == "x"
    assert shown("follow_on_jobs", whole) == "< 3" and shown("drop_outs", oost) == "0"
    assert [shown("contract_promises", t) for t in (whole, west, oost)] == ["x", "x", "0"]
    assert shown("coresearchers", whole) == "3" and shown("coresearchers_named", whole) == "< 3"
    # the same decision for the figure per district on the whole study's page
    assert [(v.key, v.text("nl")) for v in figures.breakdown("residents_reached_by_district", whole)] == [
        ("West", "x"), ("Oost", "< 3")]
    placed = figures.value("buurtbaners_placed", oost)
    assert (placed.number, placed.hidden, placed.small) == (None, True, True)
    assert 'data-count="persons"' in placed.html("nl") and "&lt; 3</data>" in placed.html("nl")
    assert 'data-suppressed="3"' in placed.html("nl") and "Minder dan 3 personen" in placed.attributes("nl")["title"]
    hidden = figures.value("buurtbaners_placed", west)
    assert "uitrekenen" in hidden.attributes("nl")["title"] and hidden.html("nl").endswith(">x</data>")
    # a subgroup names its group, so the guard can check their difference on the page
    assert figures.value("follow_on_jobs", whole).attributes()["data-part-of"] == "buurtbaners_placed"


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
    p = figures.say(figures.Text("Er werd {n} keer <aangebeld>."), "nl", n=v)
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
