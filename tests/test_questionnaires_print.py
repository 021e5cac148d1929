"""Paper fieldwork: the printable form, the entry sheet, the CLI commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import impact
from impact.questionnaires import entry_sheet_columns, print_form, read_responses, read_xlsform, write_paper_kit
from impact.questionnaires.cli import app

SHIPPED = Path(impact.__file__).parent / "study_template" / "questionnaires"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")


def test_form_html_has_one_block_per_question_and_escapes(tmp_path):
    form = read_xlsform(SHIPPED / "buurtbaners.xlsx")
    html = print_form(form, "nl")
    assert html.count("<fieldset") == len(entry_sheet_columns(form))
    assert 'id="q-se_4"' in html and "Ik denk vaak dat ik een baan niet aankan." in html
    assert html.count('class="box"') >= 16 * 5 + 6  # 1..5 boxes per agree item, six ladder steps
    assert "Betaald werk met ondersteuning" in html
    assert "http" not in html  # works offline
    english = print_form(form, "en")
    assert "I often think I cannot handle a job." in english and 'lang="en"' in english

    path = tmp_path / "x.md"
    path.write_text("| survey |\n| | type | name | label |\n| | text | q | Is <b>dit</b> & dat? |\n", encoding="utf-8")
    assert "Is &lt;b&gt;dit&lt;/b&gt; &amp; dat?" in print_form(read_xlsform(path))


def test_entry_sheet_round_trip(tmp_path):
    """A blank entry sheet, filled in as a person would, reads back without error."""
    import openpyxl

    form = read_xlsform(SHIPPED / "bewoners.xlsx")
    html, sheet = write_paper_kit(form, tmp_path, "nl", "xlsx")
    assert html.is_file() and sheet.suffix == ".xlsx"
    wb = openpyxl.load_workbook(sheet)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == ["respondent", "wave", "date", "contact_via", "activiteiten", "veranderd", "formele_org",
                      "tevreden", "verandering_tekst"]
    ws.append(["R0042", 1, "14-03-2024", "via_via", "taalles computerles", "meer_contact", "nee", 3, "Goed"])
    wb.save(sheet)
    df = read_responses(sheet, form)
    assert df.filter(pl.col("item") == "activiteiten")["value"].sort().to_list() == ["computerles", "taalles"]
    assert df["respondent"].unique().to_list() == ["R0042"]

    _html, csv_sheet = write_paper_kit(form, tmp_path / "csv", "en", "csv")
    assert csv_sheet.read_text(encoding="utf-8-sig").strip().split(";") == header


@pytest.mark.browser
def test_printable_form_renders_in_chromium(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    form = read_xlsform(SHIPPED / "buurtbaners.xlsx")
    html, _sheet = write_paper_kit(form, tmp_path, "nl", "csv")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "questionnaire-buurtbaners-nl.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.goto(html.as_uri())
        assert page.locator("fieldset").count() == len(entry_sheet_columns(form))
        size = page.evaluate("getComputedStyle(document.body).fontSize")
        assert float(size.rstrip("px")) >= 18  # large type
        box = page.locator("#q-se_1 .box").first.bounding_box()
        assert box["width"] >= 20 and box["height"] >= 20  # boxes big enough to tick
        page.screenshot(path=str(shot), full_page=True)
        pdf = page.pdf()
        browser.close()
    assert shot.stat().st_size > 10_000
    assert pdf[:4] == b"%PDF"


def make_study(tmp_path):
    study = impact.init_study(tmp_path / "studie")
    for name in ("buurtbaners", "bewoners", "gas"):
        shutil.copy(SHIPPED / f"{name}.xlsx", study.questionnaires)
    return study


def test_cli_import_print_and_credits(tmp_path):
    study = make_study(tmp_path)
    runner = CliRunner()
    answers = tmp_path / "deur.csv"
    answers.write_text("respondent;wave;date;contact_via;activiteiten;tevreden\n"
                       "R0001;1;12-05-2023;aanbellen;maaltijd;4\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "responses", str(answers), "--instrument", "bewoners",
                                 "--study", str(study.root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    saved = study.raw / "responses" / "bewoners" / "deur.csv"
    assert saved.read_bytes() == answers.read_bytes()

    bad = tmp_path / "fout.csv"
    bad.write_text("respondent;wave;contact_via\nR0002;1;per brief\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "responses", str(bad), "-i", "bewoners", "--study", str(study.root),
                                 "--lang", "nl"])
    assert result.exit_code == 1
    assert "fout.csv, rij 2, kolom 'contact_via': waarde 'per brief'" in result.output
    assert not (study.raw / "responses" / "bewoners" / "fout.csv").exists()

    result = runner.invoke(app, ["import", "responses", str(answers), "-i", "onbekend", "--study", str(study.root)])
    assert result.exit_code == 1 and "bestaat niet" in result.output and "Traceback" not in result.output

    result = runner.invoke(app, ["questionnaire", "print", "bewoners", "--study", str(study.root), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert (study.reports / "papier" / "bewoners-nl.html").is_file()
    assert (study.reports / "papier" / "bewoners-invoer.xlsx").is_file()

    result = runner.invoke(app, ["questionnaire", "credits", "--study", str(study.root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "proposed by" in result.output and "BB07" in result.output and "se_4" in result.output


def test_question_credits_table():
    from impact.questionnaires import question_credits
    from impact.questionnaires.credits import credits_summary

    credits = question_credits(SHIPPED, "en")
    assert set(credits["instrument"]) == {"buurtbaners", "bewoners", "bewoners_vervolg", "gas"}
    row = credits.filter((pl.col("instrument") == "buurtbaners") & (pl.col("item") == "wb_4")).row(0, named=True)
    assert (row["proposed_by"], row["round"], row["label"]) == ("BB03", "3", "I look to the future with confidence.")
    summary = credits_summary(credits)
    assert summary.filter((pl.col("proposed_by") == "BB03") & (pl.col("round") == "2"))["questions"][0] == 2  # se_3, net_2
