"""Reading XLSForms: pyxform's own test forms, the shipped instruments, broken forms."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import impact
from impact.errors import InputError
from impact.questionnaires import read_xlsform

# IMPACT_FIXTURES: where ../shared/fixtures is when the repository is checked out elsewhere (a worktree)
FIXTURES = Path(os.environ.get("IMPACT_FIXTURES") or Path(__file__).resolve().parents[2] / "shared" / "fixtures") / "xlsform"
SHIPPED = Path(impact.__file__).parent / "study_template" / "questionnaires"


def fixture(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"fixture {path} not available")
    return path


def types(form) -> dict[str, str]:
    return dict(zip(form.questions["name"], form.questions["type"]))


def choices(form, list_name) -> list[str]:
    return form.choices.filter(form.choices["list"] == list_name)["name"].to_list()


def test_group_xlsx_strips_group_prefix_and_keeps_language():
    form = read_xlsform(fixture("group.xlsx"))
    assert types(form) == {"family_name": "text", "phone_number": "text", "age": "integer"}
    assert form.question("age")["group"] == "father"
    assert form.question("age")["path"] == "father/age"
    assert form.languages == ["English (en)"]
    assert form.label("age", "en") == "How old is your father?"
    assert form.question("phone_number")["xlsform_type"] == "phone number"


def test_choice_filter_keeps_full_lists():
    form = read_xlsform(fixture("choice_filter_test.xlsx"))
    assert types(form) == {"state": "select_one", "county": "select_one", "city": "select_one"}
    assert form.question("county")["list"] == "counties"
    assert choices(form, "states") == ["texas", "washington"]
    assert choices(form, "counties") == ["king", "pierce", "king", "cameron"]  # duplicates allowed by the form
    assert len(choices(form, "cities")) == 8
    assert form.title == "cascading selects"


def test_specify_other_adds_other_choice():
    form = read_xlsform(fixture("specify_other.xlsx"))
    assert types(form) == {"sex": "select_one", "sex_other": "text"}
    assert choices(form, "sexes") == ["male", "female", "other"]
    assert form.choice_label("sexes", "female", "en") == "Female"
    assert "English" in form.languages


def test_tutorial_xls_repeat_is_read_with_its_structure():
    form = read_xlsform(fixture("tutorial.xls"))
    t = types(form)
    assert len(t) == 10
    assert t["age_in_years"] == "integer" and t["relationship_to_household_head"] == "select_one"
    assert form.question("age_in_years")["constraint"] == ". >= 5"
    assert form.question("literate")["relevant"].startswith("${sex}='female'")
    assert set(form.questions["repeat"].to_list()) == {"member"}
    assert choices(form, "relationships") == ["head", "wife_or_husband", "son_or_daughter"]
    # the repeat group is known as a group of its own (no longer a warning: its answers are read)
    assert list(form.repeats) == ["member"] and form.repeats["member"].parent is None
    assert [q["name"] for q in form.questions_in("member")][:2] == ["name", "relationship_to_household_head"]
    assert form.questions_in(None) == []
    assert not [w for w in form.warnings if w.column == "member"]


def test_utf_csv_reads_emoji_label():
    form = read_xlsform(fixture("utf_csv.csv"))
    assert types(form) == {"burger_toppings": "text"}
    assert form.label("burger_toppings") == "…what toppings do you prefer on your 🍔s?"


def test_widgets_csv_old_type_names_become_canonical():
    form = read_xlsform(fixture("widgets.csv"))
    t = types(form)
    assert t["my_string"] == "text"
    assert t["my_int"] == "integer"
    assert t["my_decimal"] == "decimal"
    assert t["my_select"] == "select_multiple" and form.question("my_select")["list"] == "list"
    assert t["my_select1"] == "select_one" and choices(form, "list2") == [str(i) for i in range(1, 9)]
    assert t["my_trigger"] == "acknowledge"
    assert t["my_geopoint"] == "geopoint" and t["my_image"] == "media"
    assert t["dateTime"] == "datetime" and t["my_time"] == "time"
    assert form.question("my_int")["constraint"] == ". < 10"
    assert form.question("my_select")["constraint_message::default"] == "option c and d cannot be selected together"
    assert len(t) == 21


def test_spec_test_languages_types_and_required():
    form = read_xlsform(fixture("xlsform_spec_test.xlsx"))
    assert {"english", "chinese"} <= set(form.languages)
    assert form.label("address", "chinese") == "您好"
    assert form.label("address", "english") == "Enter an address"
    assert form.question("required_text")["required"] is True
    assert form.question("select_multiple_test")["type"] == "select_multiple"
    assert form.question("select_multiple_test")["repeat"] == "everything/repeat_test"
    assert form.question("calculate_test")["type"] == "calculate"
    assert form.question("start")["type"] == "metadata"
    assert form.question("note_test")["type"] == "note"
    assert form.question("launch")["type"] == "integer"
    assert form.title == "Spec test"
    assert choices(form, "yes_no") == ["yes", "no"]
    assert form.choice_label("yes_no", "yes", "chinese") == "是"


@pytest.mark.parametrize("name", ["choice_filter_test.xlsx", "group.xlsx", "specify_other.xlsx", "tutorial.xls",
                                  "utf_csv.csv", "widgets.csv", "xlsform_spec_test.xlsx"])
def test_every_fixture_reads(name):
    form = read_xlsform(fixture(name))
    assert form.questions.height > 0
    assert form.questions["name"].null_count() == 0


# ---- the shipped instruments: names are the contract (docs/data-model.md) ----

def test_buurtbaners_items_match_data_model():
    form = read_xlsform(SHIPPED / "buurtbaners.xlsx")
    assert form.languages == ["Nederlands (nl)", "English (en)"]
    items = [q["name"] for q in form.answer_questions()]
    expected = (["respondent", "wave", "date", "ladder"] + [f"se_{i}" for i in range(1, 6)]
                + [f"net_{i}" for i in range(1, 5)] + [f"fin_{i}" for i in range(1, 4)]
                + [f"wb_{i}" for i in range(1, 5)] + ["verandering", "opmerking"])
    assert items == expected
    assert form.question("ladder")["type"] == "select_one"
    assert choices(form, "ladder") == ["1", "2", "3", "4", "5", "6"]
    assert form.choice_label("ladder", "6", "nl") == "Betaald werk"
    scales = {q["name"]: q["scale"] for q in form.answer_questions() if q["scale"]}
    assert {n for n, s in scales.items() if s == "self_efficacy"} == {f"se_{i}" for i in range(1, 6)}
    assert {n for n, s in scales.items() if s == "social_network"} == {f"net_{i}" for i in range(1, 5)}
    assert {n for n, s in scales.items() if s == "financial_stress"} == {f"fin_{i}" for i in range(1, 4)}
    assert {n for n, s in scales.items() if s == "wellbeing"} == {f"wb_{i}" for i in range(1, 5)}
    reverse = {q["name"] for q in form.answer_questions() if q["reverse"]}
    assert reverse == {"se_4", "net_3", "fin_2", "wb_2"}
    for name in scales:
        assert form.question(name)["type"] == "integer"
        assert form.question(name)["constraint"] == ". >= 1 and . <= 5"
    assert form.question("verandering")["type"] == "text"
    assert all(form.label(n, "en") != n and form.label(n, "nl") != form.label(n, "en") for n in scales)
    assert all(q["proposed_by"] and q["round"] for q in form.answer_questions())


def test_bewoners_items_match_data_model():
    form = read_xlsform(SHIPPED / "bewoners.xlsx")
    t = types(form)
    assert t["contact_via"] == "select_one" and t["activiteiten"] == "select_multiple"
    assert t["veranderd"] == "select_multiple" and t["formele_org"] == "select_one"
    assert t["tevreden"] == "integer" and t["verandering_tekst"] == "text"
    assert choices(form, "contact_via") == ["activiteit", "aanbellen", "via_via", "buurtbaner_op_straat",
                                            "organisatie"]
    assert choices(form, "activiteiten") == ["spreekuur", "maaltijd", "wandelgroep", "taalles", "computerles",
                                             "evenement"]
    assert choices(form, "veranderd") == ["meer_contact", "minder_eenzaam", "hulp_gevonden", "zelf_actief",
                                          "niets"]
    assert choices(form, "janee") == ["ja", "nee"]
    assert choices(form, "meting") == ["1", "2"]


def test_gas_sheet_has_five_goals_with_own_level_descriptions():
    form = read_xlsform(SHIPPED / "gas.xlsx")
    for k in range(1, 6):
        assert form.question(f"doel_{k}")["type"] == "text"
        for suffix in ("min2", "min1", "0", "plus1", "plus2"):
            assert form.question(f"niveau_{k}_{suffix}")["type"] == "text"
        assert form.question(f"score_{k}")["list"] == "gas_niveau"
    assert choices(form, "gas_niveau") == ["-2", "-1", "0", "1", "2"]
    assert form.question("doel_1")["required"] and not form.question("doel_2")["required"]


def test_guides_exist_for_informal_and_formal_actors():
    guides = SHIPPED / "guides"
    texts = {p.stem: p.read_text(encoding="utf-8") for p in guides.glob("*.md")}
    assert {"informele_actoren", "formele_actoren"} <= set(texts)
    for text in texts.values():
        assert "Onderzoeksvraag 1" in text and "Onderzoeksvraag 3" in text


# ---- broken and unsupported forms: a clear message, never a crash ----

def test_invalid_xlsform_gives_input_error_with_pyxform_reason(tmp_path):
    path = tmp_path / "kapot.md"
    path.write_text("| survey |\n| | type | name | label |\n| | select_one nolist | q1 | Vraag |\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_xlsform(path)
    text = info.value.render("nl")
    assert "kapot.md" in text and "geen geldige XLSForm" in text and "choices" in text


def test_missing_file_gives_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_xlsform(tmp_path / "weg.xlsx")


def test_not_a_workbook_gives_input_error(tmp_path):
    path = tmp_path / "nep.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError) as info:
        read_xlsform(path)
    assert "nep.xlsx" in info.value.render("en")


def test_external_choices_are_flagged_not_crashing(tmp_path):
    path = tmp_path / "extern.md"
    path.write_text(
        "| survey |\n| | type | name | label |\n| | select_one_from_file buurten.csv | buurt | Buurt |\n"
        "| | text | naam | Naam |\n", encoding="utf-8")
    form = read_xlsform(path)
    assert form.question("buurt")["type"] == "select_one"
    assert any(w.column == "buurt" and "another file" in w.render("en") for w in form.warnings)


def test_extra_columns_and_language_resolution(tmp_path):
    path = tmp_path / "mini.md"
    path.write_text(
        "| survey |\n"
        "| | type | name | label::Nederlands (nl) | label::English (en) | scale | reverse | proposed_by | round |\n"
        "| | integer | a_1 | Vraag een | Question one | sc | | BB03 | 1 |\n"
        "| | integer | a_2 | Vraag twee | Question two | sc | ja | sleutelpersonen | 2 |\n",
        encoding="utf-8")
    form = read_xlsform(path)
    assert form.language("nl") == "Nederlands (nl)" and form.language("en") == "English (en)"
    assert form.label("a_2", "en") == "Question two" and form.label("a_2") == "Vraag twee"
    assert form.question("a_2")["reverse"] is True and form.question("a_1")["reverse"] is False
    assert (form.question("a_1")["proposed_by"], form.question("a_1")["round"]) == ("BB03", "1")
