"""Repeat groups and cascading selects as fielded: exports in Kobo's and ODK Central's layouts.

The exports are built from the XLSForms (the shipped ``bewoners_vervolg``
and pyxform's test forms in ../shared/fixtures/xlsform/) by
``tests/vendor_exports.py``, which lays them out the way the tools' own
export code does. The expected long rows are written out from the same
submissions by ``expected_rows`` below, independently of the reader.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest

import impact
from impact.questionnaires import check_responses, print_form, read_responses, read_xlsform, write_paper_kit
from vendor_exports import entry_workbook, kobo_xlsx, odk_zip

SHIPPED = Path(impact.__file__).parent / "study_template" / "questionnaires"
FIXTURES = Path(os.environ.get("IMPACT_FIXTURES") or Path(__file__).resolve().parents[2] / "shared" / "fixtures") / "xlsform"
KEYS = ["respondent", "wave", "item", "value", "repeat", "repeat_index"]


def fixture(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"fixture {path} not available")
    return path


@pytest.fixture(scope="module")
def vervolg():
    return read_xlsform(SHIPPED / "bewoners_vervolg.xlsx")


# Four follow-up conversations (synthetic): two, none, one and three activities visited.
VISITS = [
    {"respondent": "R0001", "wave": "3", "date": "2024-03-01", "contact_nog": "ja",
     "activiteiten": ["maaltijd", "taalles"], "hulp_soort": "geld", "hulp_bij": "voedselbank",
     "veranderd": ["meer_contact", "hulp_gevonden"], "tevreden": "4",
     "bezoeken": [{"activiteit": "maaltijd", "keer": "6", "waardering": "4"},
                  {"activiteit": "taalles", "keer": "10", "waardering": "5"}]},
    {"respondent": "R0002", "wave": "3", "date": "2024-03-02", "contact_nog": "nee", "activiteiten": [],
     "hulp_soort": "geen", "veranderd": ["niets"], "tevreden": "3", "bezoeken": []},
    {"respondent": "R0003", "wave": "3", "date": "2024-03-03", "contact_nog": "ja", "activiteiten": ["wandelgroep"],
     "hulp_soort": "wonen", "hulp_bij": "buurtteam", "veranderd": ["minder_eenzaam"], "tevreden": "5",
     "bezoeken": [{"activiteit": "wandelgroep", "keer": "12", "waardering": "5"}]},
    {"respondent": "R0004", "wave": "3", "date": "2024-03-04", "contact_nog": "ja",
     "activiteiten": ["spreekuur", "computerles", "evenement"], "hulp_soort": "werk", "hulp_bij": "werkplein",
     "veranderd": ["zelf_actief"], "tevreden": "2",
     "bezoeken": [{"activiteit": "spreekuur", "keer": "3", "waardering": "3"},
                  {"activiteit": "computerles", "keer": "1"},
                  {"activiteit": "evenement", "keer": "2", "waardering": "4"}]},
]


def expected_rows(form, submissions, who=lambda k, sub: sub["respondent"], wave=lambda sub: int(sub["wave"])):
    """The long rows the submissions must give: one per answer, one per chosen option."""
    rows = []

    def answers(sub, repeat, index, k, top):
        for q in form.questions_in(repeat):
            if repeat is None and q["name"] in ("respondent", "wave", "date"):
                continue
            value = sub.get(q["name"])
            for v in (value if isinstance(value, list) else [value] if value not in (None, "") else []):
                rows.append((who(k, top), wave(top), q["name"], str(v), repeat, index))
        for child in [p for p, r in form.repeats.items() if r.parent == repeat]:
            for n, inner in enumerate(sub.get(child, []), start=1):
                answers(inner, child, f"{index}.{n}" if index else str(n), k, top)

    for k, sub in enumerate(submissions, start=1):
        answers(sub, None, None, k, sub)
    return sorted(rows, key=str)


def long_rows(df):
    return sorted(df.select(KEYS).rows(), key=str)


def errors(problems):
    return [p for p in problems if p.severity == "error"]


# --- the same long table from every layout ------------------------------------------------------

def test_kobo_odk_and_entry_workbook_give_the_same_long_table(tmp_path, vervolg):
    expected = expected_rows(vervolg, VISITS)
    tables = {}
    for name, path in (("kobo", kobo_xlsx(tmp_path / "kobo.xlsx", vervolg, VISITS)),
                       ("odk", odk_zip(tmp_path / "odk.zip", vervolg, VISITS)),
                       ("entry", entry_workbook(tmp_path / "invoer.xlsx", vervolg, VISITS))):
        df, problems = check_responses(path, vervolg)
        assert problems == [], (name, [p.render("en") for p in problems])
        tables[name] = df
        assert long_rows(df) == expected, name
    assert len(expected) == 43  # every value: 6 repeat instances with 17 answers, 26 outside
    repeat_rows = tables["kobo"].filter(pl.col("repeat") == "bezoeken")
    assert repeat_rows.height == 17
    assert sorted(set(repeat_rows.select("respondent", "repeat_index").rows())) == [
        ("R0001", "1"), ("R0001", "2"), ("R0003", "1"), ("R0004", "1"), ("R0004", "2"), ("R0004", "3")]
    # the date of the submission rides along with every repeat row
    assert set(repeat_rows.filter(pl.col("respondent") == "R0004")["date"].cast(pl.Utf8)) == {"2024-03-04"}
    keer = repeat_rows.filter(pl.col("item") == "keer").sort("respondent", "repeat_index")["value_num"].to_list()
    assert keer == [6.0, 10.0, 12.0, 3.0, 1.0, 2.0]
    frames = [t.sort(pl.all()) for t in tables.values()]
    assert frames[0].equals(frames[1]) and frames[0].equals(frames[2])


def test_pyxform_tutorial_repeat_in_both_layouts(tmp_path):
    """tutorial.xls: a household with a repeat per member; relevance and constraints inside."""
    form = read_xlsform(fixture("tutorial.xls"))
    members = [
        {"name": "Anna", "relationship_to_household_head": "head", "sex": "female", "resident": "yes",
         "stayed_last_night": "yes", "older_than_five": "yes", "age_in_years": "34", "literate": "yes",
         "pregnant": "no"},
        {"name": "Bram", "relationship_to_household_head": "son_or_daughter", "sex": "male", "resident": "yes",
         "stayed_last_night": "no", "older_than_five": "no", "age_in_months": "30"},
    ]
    households = [{"member": members}, {"member": [dict(members[0], name="Cor", age_in_years="61", literate="",
                                                         pregnant="")]}]
    expected = expected_rows(form, households, who=lambda k, sub: f"00000000-0000-4000-8000-{k:012d}",
                             wave=lambda sub: None)
    for path in (kobo_xlsx(tmp_path / "tutorial.xlsx", form, households),
                 odk_zip(tmp_path / "tutorial.zip", form, households)):
        df, problems = check_responses(path, form)
        assert errors(problems) == [], [p.render("en") for p in problems]
        # no respondent question: the submission id stands for the household (a warning says so)
        assert any("submission id" in p.render("en") for p in problems)
        assert long_rows(df) == expected
    assert len(expected) == 9 + 7 + 7


def test_pyxform_spec_test_repeat_inside_a_group_with_groups_inside(tmp_path):
    """xlsform_spec_test.xlsx: the repeat sits in group 'everything' and holds groups of its own."""
    form = read_xlsform(fixture("xlsform_spec_test.xlsx"))
    assert list(form.repeats) == ["everything/repeat_test"]
    rows = [{"required_text": "een", "select_multiple_test": ["yes"], "list-nolabel-test": "no",
             "compact-test": "a"},
            {"required_text": "twee", "list-nolabel-test": "yes", "table_list_question": "no"}]
    subs = [{"skip_to_end": "no", "my_name": "Test", "a_integer": "5", "a_decimal": "2.5",
             "everything/repeat_test": rows}]
    expected = expected_rows(form, subs, who=lambda k, sub: f"00000000-0000-4000-8000-{k:012d}",
                             wave=lambda sub: None)
    for path in (kobo_xlsx(tmp_path / "spec.xlsx", form, subs), odk_zip(tmp_path / "spec.zip", form, subs)):
        df, problems = check_responses(path, form)
        assert errors(problems) == [], [p.render("en") for p in problems]
        assert long_rows(df) == expected
        assert set(df.filter(pl.col("repeat").is_not_null())["repeat"]) == {"everything/repeat_test"}
    assert len(expected) == 4 + 7


NESTED = """| survey |
| | type | name | label |
| | text | respondent | Code |
| | begin repeat | leden | Leden |
| | integer | leeftijd | Leeftijd |
| | begin repeat | bezoek | Bezoek |
| | text | waar | Waar |
| | end repeat | | |
| | end repeat | | |
"""


def test_nested_repeats_are_numbered_outer_dot_inner(tmp_path):
    path = tmp_path / "genest.md"
    path.write_text(NESTED, encoding="utf-8")
    form = read_xlsform(path)
    subs = [{"respondent": "H1", "leden": [{"leeftijd": "40", "leden/bezoek": [{"waar": "markt"}]},
                                           {"leeftijd": "12", "leden/bezoek": [{"waar": "school"}, {"waar": "sport"}]}]},
            {"respondent": "H2", "leden": [{"leeftijd": "80"}]}]
    expected = expected_rows(form, subs, wave=lambda sub: None)
    for export in (kobo_xlsx(tmp_path / "genest.xlsx", form, subs), odk_zip(tmp_path / "genest.zip", form, subs)):
        df, problems = check_responses(export, form)
        assert problems == [], [p.render("en") for p in problems]
        assert long_rows(df) == expected
    assert ("H1", None, "waar", "sport", "leden/bezoek", "2.2") in expected
    # the entry workbook can only link a repeat group that sits in the form itself
    entry = entry_workbook(tmp_path / "invoer.xlsx", form, subs)
    df, problems = check_responses(entry, form)
    assert df.height == 0 and any("Kobo (XLS) or ODK (ZIP)" in p.render("en") for p in errors(problems))


# --- mistakes inside repeats --------------------------------------------------------------------

def _set(path: Path, sheet: str, row: int, column: str, value) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(row=row, column=col, value=value)
    wb.save(path)


def test_a_mistake_in_a_kobo_repeat_sheet_names_sheet_row_column_and_rejects_the_whole_submission(tmp_path, vervolg):
    path = kobo_xlsx(tmp_path / "kobo.xlsx", vervolg, VISITS, main_sheet="bewoners_vervolg")
    _set(path, "bezoeken", 3, "bezoeken/keer", "veel")  # R0001's second visit
    df, problems = check_responses(path, vervolg)
    bad = errors(problems)
    shown = [p.render("nl") for p in bad]
    assert shown[0] == ("kobo.xlsx, blad 'bewoners_vervolg', rij 2, kolom 'intro/respondent': waarde 'R0001'; "
                        "verwacht een inzending zonder fouten in haar herhaalde groepen; blad 'bezoeken', rij 3 heeft "
                        "een fout. Deze inzending is niet ingelezen.")
    assert ("kobo.xlsx, blad 'bezoeken', rij 3, kolom 'bezoeken/keer': waarde 'veel'; verwacht een heel getal"
            in shown)
    sibling = [p for p in bad if p.sheet == "bezoeken" and p.row == 2]
    assert len(sibling) == 1 and (sibling[0].column, sibling[0].value) == ("_parent_index", "1")
    assert "(blad 'bewoners_vervolg', rij 2) is niet ingelezen" in sibling[0].render("nl")
    assert len(bad) == 3  # the submission, the wrong value, its other repeat row: each rejected row has its reason
    assert "R0001" not in set(df["respondent"])
    assert long_rows(df) == expected_rows(vervolg, VISITS[1:])


def test_mistakes_in_an_odk_repeat_csv_name_the_csv_in_the_zip(tmp_path, vervolg):
    visits = [dict(v) for v in VISITS]
    visits[2] = dict(visits[2], bezoeken=[{"activiteit": "wandelgroep", "keer": "12", "waardering": "7"}])
    visits[3] = dict(visits[3], bezoeken=[{"keer": "3", "waardering": "3"}] + visits[3]["bezoeken"][1:])
    df, problems = check_responses(odk_zip(tmp_path / "odk.zip", vervolg, visits), vervolg)
    by_cell = {(p.file, p.row, p.column): p for p in errors(problems)}
    member = "odk.zip/bewoners_vervolg-bezoeken.csv"
    assert "a value that meets the rule . >= 1 and . <= 5" in by_cell[(member, 4, "waardering")].render("en")
    assert "an answer: this question is required" in by_cell[(member, 5, "activiteit")].render("en")
    assert (member, 6, "PARENT_KEY".lower()) in by_cell  # R0004's other visits go with it
    assert {r for r, in df.select("respondent").unique().rows()} == {"R0001", "R0002"}


def test_a_repeat_row_whose_parent_is_not_there_is_an_error(tmp_path, vervolg):
    path = kobo_xlsx(tmp_path / "kobo.xlsx", vervolg, VISITS, main_sheet="bewoners_vervolg")
    _set(path, "bezoeken", 4, "_parent_index", 99)
    df, problems = check_responses(path, vervolg)
    (p,) = [p for p in errors(problems) if p.column == "_parent_index" and p.row == 4]
    assert p.value == "99" and p.sheet == "bezoeken"
    assert "the number in the column _index of a row of sheet 'bewoners_vervolg'" in p.render("en")
    # that row only (its three answers): without a parent it cannot take a submission down with it
    assert df.filter(pl.col("repeat").is_not_null()).height == 17 - 3 and "R0003" in set(df["respondent"])


def test_a_kobo_csv_export_warns_that_it_leaves_repeats_out(tmp_path, vervolg):
    import openpyxl

    wb = openpyxl.load_workbook(kobo_xlsx(tmp_path / "kobo.xlsx", vervolg, VISITS))
    ws = wb.worksheets[0]
    lines = [";".join('"' + str(c.value if c.value is not None else "") + '"' for c in row) for row in ws.iter_rows()]
    csv_path = tmp_path / "kobo.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    df, problems = check_responses(csv_path, vervolg)
    assert errors(problems) == []
    (w,) = [p for p in problems if p.severity == "warning"]
    assert "Kobo's CSV export leaves repeat groups out" in w.render("en") and w.value == "bezoeken"
    assert df.filter(pl.col("repeat").is_not_null()).height == 0 and df.height == 26


# --- cascading selects ----------------------------------------------------------------------------

def test_choice_filter_answer_outside_the_filtered_choices_names_both_values(tmp_path):
    """choice_filter_test.xlsx: state -> county (``${state}=cf``) -> city (``${county}=cf``)."""
    form = read_xlsform(fixture("choice_filter_test.xlsx"))
    path = tmp_path / "steden.csv"
    path.write_text("respondent,state,county,city\nA,washington,king,seattle\nB,texas,pierce,tacoma\n"
                    "C,texas,king,harlingen\nD,texas,king,dumont\n", encoding="utf-8")
    df, problems = check_responses(path, form)
    assert [p.render("en") for p in errors(problems)] == [
        "steden.csv, row 3, column 'county': value 'pierce'; expected a choice that fits 'state' = 'texas': "
        "king, cameron",
        "steden.csv, row 4, column 'city': value 'harlingen'; expected a choice that fits 'county' = 'king': "
        "dumont, finney, seattle, redmond",
    ]
    # tacoma fits pierce (only B's county is wrong); the filter reads the county, not the state
    assert sorted(set(df["respondent"])) == ["A", "D"]


def test_choice_filter_of_the_shipped_follow_up(tmp_path, vervolg):
    visits = [dict(VISITS[0], hulp_soort="geld", hulp_bij="huisarts")]
    df, problems = check_responses(kobo_xlsx(tmp_path / "k.xlsx", vervolg, visits, main_sheet="bewoners_vervolg"),
                                   vervolg)
    bad = errors(problems)
    assert bad[0].render("nl") == ("k.xlsx, blad 'bewoners_vervolg', rij 2, kolom 'hulp/hulp_bij': waarde 'huisarts'; "
                                   "verwacht een keuze die past bij 'hulp_soort' = 'geld': schuldhulp, voedselbank")
    assert [(p.sheet, p.row) for p in bad[1:]] == [("bezoeken", 2), ("bezoeken", 3)]  # its visits go with it
    assert df.height == 0


def test_paper_form_shows_filtered_choices_in_rows_a_person_can_follow():
    form = read_xlsform(fixture("choice_filter_test.xlsx"))
    html = print_form(form, "en")
    county = html[html.index('id="q-county"'):html.index('id="q-city"')]
    assert "Choose from the row that fits your answer to the question: state" in county
    texas = county[county.index("Texas:"):county.index("Washington:")]
    assert texas.index("King") < texas.index("Cameron") and "Pierce" not in texas
    washington = county[county.index("Washington:"):]
    assert "King" in washington and "Pierce" in washington and "Cameron" not in washington


# --- the entry workbook and the paper form ---------------------------------------------------------

def test_entry_kit_has_a_sheet_per_repeat_group_and_reads_back(tmp_path, vervolg):
    import openpyxl

    _html, sheet = write_paper_kit(vervolg, tmp_path, "nl", "xlsx")
    wb = openpyxl.load_workbook(sheet)
    assert wb.sheetnames == ["bewoners_vervolg-invoer", "bezoeken", "uitleg"]
    assert [c.value for c in wb["bezoeken"][1]] == ["respondent", "wave", "index", "activiteit", "keer", "waardering"]
    main = wb.worksheets[0]
    header = [c.value for c in main[1]]
    answers = {"respondent": "R0042", "wave": 3, "date": "14-03-2024", "contact_nog": "ja",
               "activiteiten": "maaltijd", "hulp_soort": "geen", "veranderd": "niets", "tevreden": 4}
    main.append([answers.get(h) for h in header])
    wb["bezoeken"].append(["R0042", 3, 1, "Samen eten", 5, 4])
    wb["bezoeken"].append(["R0042", 3, 2, "taalles", 2, None])
    wb.save(sheet)
    df = read_responses(sheet, vervolg)
    visits = df.filter(pl.col("item") == "activiteit").sort("repeat_index")
    assert visits.select("value", "repeat_index").rows() == [("maaltijd", "1"), ("taalles", "2")]
    with pytest.raises(impact.errors.InputError, match="--format xlsx"):
        write_paper_kit(vervolg, tmp_path / "csv", "nl", "csv")


def test_entry_workbook_numbers_twice_the_same_is_an_error(tmp_path, vervolg):
    import openpyxl

    path = entry_workbook(tmp_path / "invoer.xlsx", vervolg, VISITS[:1])
    wb = openpyxl.load_workbook(path)
    wb["bezoeken"].cell(row=3, column=3, value=1)
    wb["bezoeken"].append(["R0999", 3, 1, "maaltijd", 1, 1])
    wb.save(path)
    df, problems = check_responses(path, vervolg)
    shown = {(p.sheet, p.row, p.column): p.render("en") for p in errors(problems)}
    assert "one row per number; number 1 of this submission is already in row 2" in shown[("bezoeken", 3, "index")]
    assert "a participant and wave that are on sheet 'bewoners_vervolg-invoer'" in shown[("bezoeken", 4, "respondent")]
    assert df.height == 0


def test_printed_form_has_numbered_blocks_for_the_repeat_group(vervolg):
    html = print_form(vervolg, "nl")
    assert html.count('class="repeat"') == 3
    assert all(f'id="q-keer-{k}"' in html for k in (1, 2, 3))
    assert "Activiteiten die u bezocht" in html and "Vul dit in voor elke activiteit" in html


# --- KoBoCAT's "n/a" and HXL hashtag rows ---------------------------------------------------------------

def _kobocat_csv(path: Path, form, rows: list[dict], na: str, hxl: dict | None = None) -> Path:
    """A KoBoCAT CSV export: group/question headers, select_multiple as text plus True/False per option,
    ``na`` where a question was not answered, Kobo's own columns; ``hxl``: a hashtag row under the header."""
    cols, header = [], []
    for q in form.questions_in(None):
        cols.append((q, None))
        header.append(q["path"])
        if q["type"] == "select_multiple":
            for c in form.choice_list(q["list"]):
                cols.append((q, c["name"]))
                header.append(f"{q['path']}/{c['name']}")
    header += ["_id", "_uuid", "_submission_time", "_tags", "_notes"]
    lines = [",".join(header)]
    if hxl:
        lines.append(",".join(hxl.get(h.split("/")[-1], "") for h in header))
    for k, row in enumerate(rows, start=1):
        cells = []
        for q, option in cols:
            value = row.get(q["name"])
            if option is None:
                cells.append(" ".join(value) if isinstance(value, list) else (value or na))
            else:
                cells.append(("True" if option in value else "False") if value else na)
        lines.append(",".join(cells + [str(k), f"u{k}", "2023-05-12T10:00:00", "", ""]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


RESIDENTS = [
    {"respondent": "R0001", "wave": "1", "date": "2023-05-12", "contact_via": "aanbellen",
     "activiteiten": ["maaltijd", "taalles"], "veranderd": ["meer_contact"], "formele_org": "ja", "tevreden": "4",
     "verandering_tekst": "Ik ken nu mijn buren."},
    {"respondent": "R0002", "wave": "1", "date": "2023-05-13", "contact_via": "via_via", "tevreden": "5"},
]


def test_kobocat_n_a_reads_as_missing(tmp_path):
    form = read_xlsform(SHIPPED / "bewoners.xlsx")
    with_na = _kobocat_csv(tmp_path / "kobocat.csv", form, RESIDENTS, "n/a")
    assert "n/a" in with_na.read_text(encoding="utf-8")
    empty = _kobocat_csv(tmp_path / "leeg.csv", form, RESIDENTS, "")
    df, problems = check_responses(with_na, form)
    assert errors(problems) == [], [p.render("en") for p in problems]
    assert long_rows(df) == long_rows(check_responses(empty, form)[0])
    assert long_rows(df) == expected_rows(form, RESIDENTS)
    assert "n/a" not in set(df["value"])


def test_n_a_stays_an_answer_when_it_is_a_choice(tmp_path):
    path = tmp_path / "na.md"
    path.write_text("| survey |\n| | type | name | label |\n| | text | respondent | Code |\n"
                    "| | select_one jn | antwoord | Antwoord |\n| | integer | getal | Getal |\n"
                    "| choices |\n| | list_name | name | label |\n| | jn | ja | Ja |\n| | jn | n/a | Niet van toepassing |\n",
                    encoding="utf-8")
    form = read_xlsform(path)
    answers = tmp_path / "a.csv"
    answers.write_text("respondent,antwoord,getal\nA,n/a,n/a\nB,ja,3\n", encoding="utf-8")
    df = read_responses(answers, form)
    assert sorted(df.select("respondent", "item", "value").rows()) == [
        ("A", "antwoord", "n/a"), ("B", "antwoord", "ja"), ("B", "getal", "3")]


def test_hxl_hashtag_row_under_the_header_is_skipped(tmp_path, vervolg):
    form = read_xlsform(SHIPPED / "bewoners.xlsx")
    tags = {"respondent": "#beneficiary+code", "contact_via": "#contact+type", "tevreden": "#satisfaction"}
    path = _kobocat_csv(tmp_path / "hxl.csv", form, RESIDENTS, "", hxl=tags)
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("#beneficiary+code,")
    df, problems = check_responses(path, form)
    assert problems == [], [p.render("en") for p in problems]
    assert long_rows(df) == expected_rows(form, RESIDENTS)
    # the same in an XLSX export with a repeat sheet: the hashtag row goes on every sheet
    export = kobo_xlsx(tmp_path / "hxl.xlsx", vervolg, VISITS, hxl={"respondent": "#beneficiary+code",
                                                                   "keer": "#activity+visits"})
    df, problems = check_responses(export, vervolg)
    assert problems == [] and long_rows(df) == expected_rows(vervolg, VISITS)


# --- scales and counts per instance -------------------------------------------------------------------

def test_scale_per_repeat_instance_and_per_respondent(tmp_path):
    from impact.questionnaires import repeat_summary, scale_scores

    path = tmp_path / "schaal.md"
    path.write_text("| survey |\n| | type | name | label | constraint | scale |\n| | text | respondent | Code | | |\n"
                    "| | begin repeat | kind | Kind | | |\n| | integer | blij | Blij | . >= 1 and . <= 5 | welzijn |\n"
                    "| | integer | rustig | Rustig | . >= 1 and . <= 5 | welzijn |\n| | end repeat | | | | |\n",
                    encoding="utf-8")
    form = read_xlsform(path)
    subs = [{"respondent": "H1", "kind": [{"blij": "4", "rustig": "2"}, {"blij": "5", "rustig": "5"}]},
            {"respondent": "H2", "kind": [{"blij": "1"}]}]
    df, problems = check_responses(odk_zip(tmp_path / "s.zip", form, subs), form)
    assert problems == []
    per_instance = scale_scores(df, form, per_instance=True)
    assert per_instance.select("respondent", "repeat_index", "score").rows() == [
        ("H1", "1", 3.0), ("H1", "2", 5.0), ("H2", "1", 1.0)]
    per_person = scale_scores(df, form)
    assert per_person.select("respondent", "score", "n_answered").rows() == [("H1", 4.0, 4), ("H2", 1.0, 1)]


def test_open_question_inside_a_repeat_is_not_an_answer_document(tmp_path):
    """An open answer becomes a document per person and wave; inside a repeat group there are many."""
    from impact.coding.answers import open_items
    from impact.questionnaires.shipped import NL, q, write_workbook

    study = impact.init_study(tmp_path / "studie")
    rows = [q("text", "respondent", "Code", "Code"), q("text", "verhaal", "Verhaal", "Story"),
            q("begin repeat", "bezoek", "Bezoek", "Visit"), q("text", "wat", "Wat deed u?", "What did you do?"),
            q("end repeat", "bezoek")]
    write_workbook(study.questionnaires / "bezoek.xlsx", rows, [], ["Bezoek", "bezoek", "1", NL])
    (study.raw / "responses" / "bezoek").mkdir(parents=True)
    assert open_items(study) == {"bezoek": {"verhaal": "Verhaal"}}


def test_repeat_summary_of_the_demo_and_of_a_table_from_before_repeats(processed_demo, vervolg):
    from impact.questionnaires import repeat_summary

    responses = pl.read_parquet(processed_demo / "data" / "processed" / "responses.parquet")
    summary = repeat_summary(responses, vervolg, "bezoeken", "activiteit", total="keer", mean="waardering", k=5)
    visits = responses.filter(pl.col("repeat") == "bezoeken")
    # every instance names one activity: the instances add up to the instances in the table
    assert summary["instances"].sum() == visits.select("respondent", "repeat_index").unique().height
    assert summary["keer"].sum() == visits.filter(pl.col("item") == "keer")["value_num"].sum()
    assert summary["respondents"].min() >= 5 and set(summary["label"]) <= {
        "Spreekuur", "Samen eten", "Wandelgroep", "Taalles", "Computerles", "Buurtfeest of evenement"}
    old = responses.filter(pl.col("repeat").is_null()).drop("repeat", "repeat_index")  # processed before this change
    assert repeat_summary(old, vervolg, "bezoeken", "activiteit").height == 0


def test_a_large_demo_writes_the_follow_up_as_an_odk_zip_that_reads_without_problems(tmp_path):
    from impact.questionnaires import load_study_responses

    root = impact.make_demo(tmp_path / "groot", scale=0.02)
    folder = root / "data" / "raw" / "responses" / "bewoners_vervolg"
    assert [p.name for p in folder.iterdir()] == ["odk-export.zip"]
    table, problems = load_study_responses(impact.Study.load(root))
    assert [p.render("en") for p in problems if p.file.startswith("data/raw/responses/bewoners_vervolg")] == []
    follow = table.filter(pl.col("instrument") == "bewoners_vervolg")
    assert follow.filter(pl.col("repeat") == "bezoeken").height > 100
    first = set(table.filter(pl.col("instrument") == "bewoners")["respondent"])
    assert set(follow["respondent"]) <= first  # every follow-up was registered


def test_any_wrong_cell_of_a_repeat_sheet_is_reported_never_a_crash(tmp_path, vervolg):
    """Every answer and link cell of the repeat sheet, one at a time, set to nonsense (and the submissions
    taken away):
    the reader never raises, and every error names the file, sheet and row."""
    import openpyxl

    clean = kobo_xlsx(tmp_path / "schoon.xlsx", vervolg, VISITS, main_sheet="bewoners_vervolg")
    header = [c.value for c in openpyxl.load_workbook(clean)["bezoeken"][1] if not c.value.startswith("_submission")]
    for row in (2, 4):
        for col in header:
            path = tmp_path / f"{row}-{col.replace('/', '_')}.xlsx"
            shutil.copy(clean, path)
            _set(path, "bezoeken", row, col, "???")
            df, problems = check_responses(path, vervolg)
            for p in errors(problems):
                assert p.file == path.name and p.sheet in ("bezoeken", "bewoners_vervolg") and p.row, p
            if col.startswith("bezoeken/") or col in ("_parent_index",):
                assert errors(problems), col  # a value a question (or the link) cannot take
    wb = openpyxl.load_workbook(clean)
    wb["bewoners_vervolg"].delete_rows(2, 10)
    wb.save(tmp_path / "leeg.xlsx")
    df, problems = check_responses(tmp_path / "leeg.xlsx", vervolg)
    assert df.height == 0 and len(errors(problems)) == 6  # each repeat row: no submission to belong to


def test_a_kobocat_csv_with_repeats_in_columns_says_to_download_the_xls(tmp_path, vervolg):
    path = tmp_path / "oud.csv"
    path.write_text("intro/respondent,intro/wave,contact/contact_nog,bezoeken[1]/activiteit,bezoeken[1]/keer,_uuid\n"
                    "R0001,3,ja,maaltijd,4,u1\n", encoding="utf-8")
    df, problems = check_responses(path, vervolg)
    flagged = sorted(p.column for p in errors(problems) if "download the answers from Kobo as XLS" in p.render("en"))
    assert flagged == ["bezoeken[1]/activiteit", "bezoeken[1]/keer"] and df.height == 0
