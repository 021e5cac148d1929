"""Importing answers: plain files, KoboToolbox and ODK Central exports, and bad inputs."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

import impact
from impact.errors import InputError
from impact.questionnaires import check_responses, load_study_responses, read_responses, read_xlsform

SHIPPED = Path(impact.__file__).parent / "study_template" / "questionnaires"

# Three filled-in questionnaires of residents (synthetic), as the canonical truth.
ANSWERS = [
    {"respondent": "R0001", "wave": "1", "date": "2023-05-12", "contact_via": "aanbellen",
     "activiteiten": "maaltijd taalles", "veranderd": "meer_contact minder_eenzaam", "formele_org": "ja",
     "tevreden": "4", "verandering_tekst": "Ik ken nu mijn buren."},
    {"respondent": "R0002", "wave": "1", "date": "2023-05-13", "contact_via": "activiteit",
     "activiteiten": "spreekuur", "veranderd": "hulp_gevonden", "formele_org": "nee",
     "tevreden": "5", "verandering_tekst": ""},
    {"respondent": "R0001", "wave": "2", "date": "2023-11-20", "contact_via": "aanbellen",
     "activiteiten": "maaltijd taalles wandelgroep", "veranderd": "zelf_actief", "formele_org": "ja",
     "tevreden": "5", "verandering_tekst": "Ik help nu zelf mee; bij de maaltijd, op dinsdag."},
]
GROUP = {"respondent": "intro", "wave": "intro", "date": "intro", "contact_via": "contact",
         "activiteiten": "contact", "veranderd": "verschil", "formele_org": "verschil", "tevreden": "verschil",
         "verandering_tekst": "verschil"}
OPTIONS = {"activiteiten": ["spreekuur", "maaltijd", "wandelgroep", "taalles", "computerles", "evenement"],
           "veranderd": ["meer_contact", "minder_eenzaam", "hulp_gevonden", "zelf_actief", "niets"]}
QUESTIONS = list(GROUP)


@pytest.fixture(scope="module")
def form():
    return read_xlsform(SHIPPED / "bewoners.xlsx")


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def plain_file(tmp_path) -> Path:
    return write_csv(tmp_path / "plain.csv", QUESTIONS, [[a[q] for q in QUESTIONS] for a in ANSWERS])


def kobo_xml_rows():
    """A KoboToolbox CSV export, 'XML values and headers', groups included, ';' separator."""
    header = ["start", "end"]
    for q in QUESTIONS:
        header.append(f"{GROUP[q]}/{q}")
        for opt in OPTIONS.get(q, []):
            header.append(f"{GROUP[q]}/{q}/{opt}")
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
               "__version__", "_tags", "_index"]
    rows = []
    for i, a in enumerate(ANSWERS, start=1):
        row = [f"{a['date']}T10:00:00.000+02:00", f"{a['date']}T10:20:00.000+02:00"]
        for q in QUESTIONS:
            row.append(a[q])
            for opt in OPTIONS.get(q, []):
                row.append("1" if opt in a[q].split() else "0")
        row += [str(1000 + i), f"uuid-{i}", f"{a['date']}T10:21:00", "", "[]", "submitted_via_web", "",
                "vGq7kx2", "[]", str(i)]
        rows.append(row)
    return header, rows


def kobo_label_rows(form):
    """A KoboToolbox export with English labels as headers and values, group labels in front."""
    group_label = {"intro": "About this conversation", "contact": "How did you get in touch?",
                   "verschil": "What has changed?"}
    header = []
    for q in QUESTIONS:
        label = form.label(q, "en")
        header.append(f"{group_label[GROUP[q]]}/{label}")
        for opt in OPTIONS.get(q, []):
            header.append(f"{group_label[GROUP[q]]}/{label}/{form.choice_label(q, opt, 'en')}")
    header += ["_uuid", "_submission_time", "_index"]
    rows = []
    for i, a in enumerate(ANSWERS, start=1):
        row = []
        for q in QUESTIONS:
            question = form.question(q)
            if question["list"]:
                row.append(" ".join(form.choice_label(question["list"], v, "en") for v in a[q].split()))
            else:
                row.append(a[q])
            for opt in OPTIONS.get(q, []):
                row.append("1" if opt in a[q].split() else "0")
        row += [f"uuid-{i}", f"{a['date']}T10:21:00", str(i)]
        rows.append(row)
    return header, rows


def odk_rows(version: str = "2024.1"):
    """An ODK Central CSV export: groups joined with '-', option columns with '/'."""
    header = ["SubmissionDate", "start", "end"]
    for q in QUESTIONS:
        header.append(f"{GROUP[q]}-{q}")
        for opt in OPTIONS.get(q, []):
            header.append(f"{GROUP[q]}-{q}/{opt}")
    header += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
               "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    rows = []
    for i, a in enumerate(ANSWERS, start=1):
        row = [f"{a['date']}T08:21:00.000Z", f"{a['date']}T10:00:00.000+02:00", f"{a['date']}T10:20:00.000+02:00"]
        for q in QUESTIONS:
            row.append(a[q])
            for opt in OPTIONS.get(q, []):
                row.append("1" if opt in a[q].split() else "0")
        row += [f"uuid:{i}", f"uuid:{i}", "5", "veldwerker", "0", "0", "", "", "collect:abc", "0", version]
        rows.append(row)
    return header, rows


def canonical(df: pl.DataFrame) -> list[tuple]:
    return sorted(df.rows())


def test_plain_file_gives_long_table(tmp_path, form):
    df = read_responses(plain_file(tmp_path), form)
    assert df.columns == ["instrument", "version", "respondent", "wave", "date", "item", "value", "value_num",
                          "repeat", "repeat_index"]
    assert df["repeat"].null_count() == df.height  # no repeat groups in this form
    assert df.schema["wave"] == pl.Int8 and df.schema["date"] == pl.Date and df.schema["value_num"] == pl.Float64
    r1 = df.filter((pl.col("respondent") == "R0001") & (pl.col("wave") == 1))
    assert sorted(r1.filter(pl.col("item") == "activiteiten")["value"].to_list()) == ["maaltijd", "taalles"]
    assert r1.filter(pl.col("item") == "tevreden")["value_num"].to_list() == [4.0]
    assert set(df["version"]) == {"2024.1"} and set(df["instrument"]) == {"bewoners"}
    # respondent, wave and date are columns, not items; empty answers are no rows
    assert not set(df["item"]) & {"respondent", "wave", "date"}
    assert df.filter((pl.col("respondent") == "R0002") & (pl.col("item") == "verandering_tekst")).height == 0
    # 3 people: contact_via 3 + activiteiten 2+1+3 + veranderd 2+1+1 + formele_org 3 + tevreden 3 + tekst 2
    assert df.height == 3 + 6 + 4 + 3 + 3 + 2


def test_kobo_odk_and_plain_import_to_the_same_table(tmp_path, form):
    plain = read_responses(plain_file(tmp_path), form)
    header, rows = kobo_xml_rows()
    kobo = read_responses(write_csv(tmp_path / "kobo.csv", header, rows, delimiter=";"), form)
    header, rows = kobo_label_rows(form)
    kobo_labels = read_responses(write_csv(tmp_path / "kobo_labels.csv", header, rows, delimiter=";"), form)
    header, rows = odk_rows()
    odk = read_responses(write_csv(tmp_path / "odk.csv", header, rows), form)
    assert canonical(kobo) == canonical(plain)
    assert canonical(kobo_labels) == canonical(plain)
    assert canonical(odk) == canonical(plain)


def test_kobo_xlsx_export_and_option_columns_only(tmp_path, form):
    import openpyxl

    header, rows = kobo_xml_rows()
    # drop the main select_multiple columns: the 0/1 columns alone must be enough
    keep = [i for i, h in enumerate(header) if h not in ("contact/activiteiten", "verschil/veranderd")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([header[i] for i in keep])
    for r in rows:
        ws.append([int(r[i]) if r[i] in ("0", "1") and "/" in header[i] and header[i].count("/") == 2
                   else r[i] for i in keep])
    wb.save(tmp_path / "kobo.xlsx")
    df = read_responses(tmp_path / "kobo.xlsx", form)
    assert canonical(df) == canonical(read_responses(plain_file(tmp_path), form))


def test_paper_entry_with_dutch_labels_and_dutch_dates(tmp_path, form):
    path = write_csv(tmp_path / "papier.csv", ["respondent", "wave", "date", "contact_via", "activiteiten",
                                               "tevreden"],
                     [["R0009", "1", "3-6-2023", "Via een activiteit", "Samen eten; Taalles", "4,0"]], ";")
    df = read_responses(path, form)
    assert sorted(df.filter(pl.col("item") == "activiteiten")["value"].to_list()) == ["maaltijd", "taalles"]
    assert df["date"].to_list()[0].isoformat() == "2023-06-03"
    assert df.filter(pl.col("item") == "tevreden")["value"].to_list() == ["4"]
    assert df.filter(pl.col("item") == "contact_via")["value"].to_list() == ["activiteit"]


def test_bad_inputs_give_clear_errors_and_lose_nothing(tmp_path, form):
    header = QUESTIONS
    good = [ANSWERS[0][q] for q in QUESTIONS]
    unknown_choice = dict(ANSWERS[1], contact_via="brief")
    text_in_integer = dict(ANSWERS[1], respondent="R0003", tevreden="vier")
    missing_required = dict(ANSWERS[1], respondent="R0004", contact_via="")
    duplicate = dict(ANSWERS[0], tevreden="3")
    rows = [good] + [[a[q] for q in QUESTIONS] for a in (unknown_choice, text_in_integer, missing_required,
                                                          duplicate)]
    path = write_csv(tmp_path / "fouten.csv", header, rows)
    df, problems = check_responses(path, form)
    errors = {(p.row, p.column): p for p in problems if p.severity == "error"}
    assert set(errors) == {(3, "contact_via"), (4, "tevreden"), (5, "contact_via"), (6, "respondent")}
    assert errors[(3, "contact_via")].value == "brief"
    assert "aanbellen" in errors[(3, "contact_via")].render("nl")  # says which choices are allowed
    assert errors[(4, "tevreden")].value == "vier" and "whole number" in errors[(4, "tevreden")].render("en")
    assert "verplicht" in errors[(5, "contact_via")].render("nl")
    assert "rij 2" in errors[(6, "respondent")].render("nl")  # points at the first answers
    assert all(p.file == "fouten.csv" for p in problems)
    # the good row is in; the four rejected rows are in the problems, not in the table
    assert df.select("respondent", "wave").unique().rows() == [("R0001", 1)]
    with pytest.raises(InputError) as info:
        read_responses(path, form)
    assert len(info.value.problems) == 4
    assert "fouten.csv, rij 4, kolom 'tevreden': waarde 'vier'" in info.value.render("nl")


def test_constraint_and_multiple_choice_rules(tmp_path, form):
    rows = [dict(ANSWERS[0], veranderd="niets meer_contact"), dict(ANSWERS[1], tevreden="6"),
            dict(ANSWERS[2], activiteiten="maaltijd zwemmen")]
    path = write_csv(tmp_path / "regels.csv", QUESTIONS, [[a[q] for q in QUESTIONS] for a in rows])
    df, problems = check_responses(path, form)
    assert df.height == 0
    by_col = {p.column: p for p in problems if p.severity == "error"}
    assert "Nothing" in by_col["veranderd"].render("en")
    assert "1 to 5" in by_col["tevreden"].render("en")
    assert "zwemmen" in by_col["activiteiten"].render("en")


def test_kobo_export_of_another_form_version_is_refused(tmp_path, form):
    header, rows = kobo_xml_rows()
    header = header + ["verschil/nieuwe_vraag"]
    rows = [r + ["iets"] for r in rows]
    df, problems = check_responses(write_csv(tmp_path / "kobo_v2.csv", header, rows, ";"), form)
    assert df.height == 0
    p = [p for p in problems if p.severity == "error"]
    assert len(p) == 1 and p[0].column == "verschil/nieuwe_vraag" and p[0].row == 1
    assert "another version of the form" in p[0].render("en")


def test_odk_export_with_other_form_version_rejects_rows(tmp_path, form):
    header, rows = odk_rows(version="2023.2")
    df, problems = check_responses(write_csv(tmp_path / "odk_old.csv", header, rows), form)
    assert df.height == 0
    errors = [p for p in problems if p.severity == "error"]
    assert [p.row for p in errors] == [2, 3, 4]
    assert all(p.column == "formversion" and p.value == "2023.2" for p in errors)


def test_missing_required_column_refuses_file(tmp_path, form):
    cols = [q for q in QUESTIONS if q != "contact_via"]
    path = write_csv(tmp_path / "zonder.csv", cols, [[ANSWERS[0][q] for q in cols]])
    df, problems = check_responses(path, form)
    assert df.height == 0
    assert any(p.column == "contact_via" and p.severity == "error" for p in problems)


def test_load_study_responses_reads_all_files_and_finds_cross_file_duplicates(tmp_path, form):
    study = impact.init_study(tmp_path / "studie")
    shutil.copy(SHIPPED / "bewoners.xlsx", study.questionnaires / "bewoners.xlsx")
    folder = study.raw / "responses" / "bewoners"
    folder.mkdir(parents=True)
    write_csv(folder / "a.csv", QUESTIONS, [[ANSWERS[0][q] for q in QUESTIONS]])
    write_csv(folder / "b.csv", QUESTIONS, [[ANSWERS[i][q] for q in QUESTIONS] for i in (1, 0)])
    (study.raw / "responses" / "onbekend").mkdir()
    write_csv(study.raw / "responses" / "onbekend" / "x.csv", ["respondent"], [["R1"]])
    before = {p: p.read_bytes() for p in (study.raw / "responses").rglob("*.csv")}
    table, problems = load_study_responses(study)
    assert table.schema == {"instrument": pl.String, "version": pl.String, "respondent": pl.String,
                            "wave": pl.Int8, "date": pl.Date, "item": pl.String, "value": pl.String,
                            "value_num": pl.Float64, "repeat": pl.String, "repeat_index": pl.String}
    assert sorted(table.select("respondent", "wave").unique().rows()) == [("R0001", 1), ("R0002", 1)]
    errors = [p for p in problems if p.severity == "error"]
    dup = [p for p in errors if p.file.endswith("b.csv")]
    assert len(dup) == 1 and dup[0].row == 3 and "a.csv" in dup[0].render("en")
    assert any(p.file.endswith("x.csv") and "onbekend.xlsx" in p.render("en") for p in errors)
    assert {p: p.read_bytes() for p in (study.raw / "responses").rglob("*.csv")} == before  # raw untouched


def test_fixture_form_without_respondent_column_uses_submission_id(tmp_path):
    shared = os.environ.get("IMPACT_FIXTURES") or Path(__file__).resolve().parents[2] / "shared" / "fixtures"
    fixture = Path(shared) / "xlsform" / "widgets.csv"
    if not fixture.is_file():
        pytest.skip("fixture not available")
    form = read_xlsform(fixture)
    path = write_csv(tmp_path / "w.csv", ["my_int", "my_select", "my_select1", "_uuid"],
                     [["5", "a b", "8", "u1"], ["12", "c d", "1", "u2"]])
    df, problems = check_responses(path, form)
    assert set(df["respondent"]) == {"u1"}
    errors = {p.column for p in problems if p.severity == "error"}
    assert errors == {"my_int", "my_select"}  # ". < 10" and "not c and d together"


def test_wave_option_stands_in_for_missing_wave_column(tmp_path, form):
    cols = [q for q in QUESTIONS if q != "wave"]
    path = write_csv(tmp_path / "meting2.csv", cols, [[ANSWERS[1][q] for q in cols]])
    df, problems = check_responses(path, form)
    assert df.height == 0 and any(p.column == "wave" and p.severity == "error" for p in problems)
    df = read_responses(path, form, wave=2)
    assert set(df["wave"]) == {2} and set(df["respondent"]) == {"R0002"}
