"""Follow-up forms: linked to the form they follow up by the respondent's code, checked by validate;
the private paper follow-up form with earlier answers; repeat answers through ``impact process``."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import impact
from impact.questionnaires import load_study_responses
from impact.questionnaires.shipped import NL, intro, q, write_workbook
from impact.questionnaires.cli import app

CHROMIUM = Path("/usr/bin/chromium")


def make_forms(study, follow_up: dict | None = None, key: str = "respondent") -> None:
    """``reg`` (waves 1-2) and ``fu`` (waves 1-3), each with one question ``score``; ``follow_up``: the
    extra settings columns of ``fu`` (its settings sheet)."""
    rows, choices = intro([("1", "Eerste", "First"), ("2", "Tweede", "Second")])
    write_workbook(study.questionnaires / "reg.xlsx", rows + [q("integer", "score", "Score", "Score")], choices,
                   ["Registratie", "reg", "1", NL])
    rows, choices = intro([("1", "Eerste", "First"), ("2", "Tweede", "Second"), ("3", "Derde", "Third")])
    if key != "respondent":
        rows = [r if r[1] != "respondent" else q("text", key, "Huishouden", "Household", required="yes") for r in rows]
    write_workbook(study.questionnaires / "fu.xlsx", rows + [q("integer", "score", "Score", "Score")], choices,
                   ["Vervolg", "fu", "1", NL], follow_up)


def write_answers(study, instrument: str, rows: list[str], key: str = "respondent") -> Path:
    folder = study.raw / "responses" / instrument
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "antwoorden.csv"
    path.write_text(f"{key},wave,date,score\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


REG = ["R1,1,10-01-2023,3", "R2,1,01-02-2023,4", "R2,2,01-08-2023,4", "R3,1,01-03-2023,2",
       "R3,2,15-02-2023,3", "R4,2,01-04-2023,5"]
FU = ["R1,3,01-12-2023,4", "R9,3,02-12-2023,5", "R2,2,03-12-2023,1", "R4,1,04-12-2023,2"]


def run(study):
    table, problems = load_study_responses(study)
    errors = {(p.file, p.row): p.render("en") for p in problems if p.severity == "error"}
    kept = sorted(table.select("instrument", "respondent", "wave").unique().rows())
    return kept, errors, problems


def expected_errors(reg: str, fu: str, key: str = "respondent") -> dict:
    return {
        (reg, 6): f"{reg}, row 6, column 'date': value '15-02-2023'; expected a date after wave 1 of R3 "
                  f"(01-03-2023, {reg}, row 5): the waves are out of order",
        (fu, 3): f"{fu}, row 3, column '{key}': value 'R9'; expected a participant who answered the questionnaire "
                 f"'reg' first (the registration). R9 is not in its answers (or its row there has an error)",
        (fu, 4): f"{fu}, row 4, column 'wave': value '2'; expected once per wave; R2 already answered wave 2 in "
                 f"'reg' ({reg}, row 4)",
        (fu, 5): f"{fu}, row 5, column 'wave': value '1'; expected a wave after the first wave of R4 in 'reg' "
                 f"(wave 2)",
    }


def test_follow_up_declared_in_the_settings_sheet_is_checked_against_its_first_form(tmp_path):
    study = impact.init_study(tmp_path / "studie")
    make_forms(study, {"follows_up": "reg"})
    write_answers(study, "reg", REG)
    write_answers(study, "fu", FU)
    kept, errors, _ = run(study)
    reg, fu = "data/raw/responses/reg/antwoorden.csv", "data/raw/responses/fu/antwoorden.csv"
    assert errors == expected_errors(reg, fu)
    assert kept == [("fu", "R1", 3), ("reg", "R1", 1), ("reg", "R2", 1), ("reg", "R2", 2), ("reg", "R3", 1),
                    ("reg", "R4", 2)]


def test_impact_toml_declares_the_follow_up_and_its_key_question(tmp_path):
    study = impact.init_study(tmp_path / "studie")
    make_forms(study, key="huishouden")
    with open(study.root / "impact.toml", "a", encoding="utf-8") as f:
        f.write('\n[questionnaires.fu]\nfollows_up = "reg"\nrespondent_key = "huishouden"\n')
    write_answers(study, "reg", REG)
    write_answers(study, "fu", FU, key="huishouden")
    kept, errors, _ = run(study)
    reg, fu = "data/raw/responses/reg/antwoorden.csv", "data/raw/responses/fu/antwoorden.csv"
    assert errors == expected_errors(reg, fu, key="huishouden")
    assert ("fu", "R1", 3) in kept


def test_wrong_follow_up_settings_are_errors_and_nothing_of_the_form_is_read(tmp_path):
    study = impact.init_study(tmp_path / "studie")
    make_forms(study, {"follows_up": "registratie"})
    write_answers(study, "reg", REG[:1])
    write_answers(study, "fu", FU[:1])
    kept, errors, problems = run(study)
    assert kept == [("reg", "R1", 1)]
    (p,) = [p for p in problems if p.column == "follows_up"]
    assert p.render("en") == ("fu.xlsx, column 'follows_up': value 'registratie'; expected the name of another "
                              "questionnaire in questionnaires/ (reg). Nothing of 'fu' was imported.")
    # a loop: reg follows fu, fu follows reg (impact.toml wins over the settings sheet)
    config = (study.root / "impact.toml").read_text(encoding="utf-8")
    (study.root / "impact.toml").write_text(
        config + '\n[questionnaires.reg]\nfollows_up = "fu"\n\n[questionnaires.fu]\nfollows_up = "reg"\n',
        encoding="utf-8")
    kept, errors, problems = run(study)
    assert kept == []
    assert sorted(p.render("en") for p in problems if p.column == "follows_up") == [
        "fu.xlsx, column 'follows_up': value 'reg'; expected an earlier questionnaire; 'fu' follows itself up via "
        "'reg'. Nothing of 'fu' was imported.",
        "reg.xlsx, column 'follows_up': value 'fu'; expected an earlier questionnaire; 'reg' follows itself up via "
        "'fu'. Nothing of 'reg' was imported."]
    # a key question the form does not have
    (study.root / "impact.toml").write_text(config + '\n[questionnaires.fu]\nfollows_up = "reg"\n'
                                            'respondent_key = "huis"\n', encoding="utf-8")
    kept, errors, problems = run(study)
    assert kept == [("reg", "R1", 1)]
    (p,) = [p for p in problems if p.column == "respondent_key"]
    assert p.file == "impact.toml" and p.value == "huis" and "Nothing of 'fu' was imported" in p.render("en")


def test_import_of_a_follow_up_checks_it_against_the_study(tmp_path):
    study = impact.init_study(tmp_path / "studie")
    make_forms(study, {"follows_up": "reg"})
    write_answers(study, "reg", REG)
    new = tmp_path / "vervolg.csv"
    new.write_text("respondent,wave,date,score\nR1,3,01-12-2023,4\nR9,3,02-12-2023,5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "responses", str(new), "-i", "fu", "--study", str(study.root),
                                      "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "vervolg.csv, row 3, column 'respondent': value 'R9'" in " ".join(result.output.split())
    assert not (study.raw / "responses" / "fu").exists()
    new.write_text("respondent,wave,date,score\nR1,3,01-12-2023,4\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "responses", str(new), "-i", "fu", "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    assert (study.raw / "responses" / "fu" / "vervolg.csv").is_file()


# --- the private paper follow-up form ----------------------------------------------------------------

def test_private_follow_up_form_shows_earlier_answers_and_never_goes_to_reports(demo_copy):
    from impact.tabular import read_table

    study = impact.Study.load(demo_copy)
    runner = CliRunner()
    result = runner.invoke(app, ["questionnaire", "print", "bewoners_vervolg", "--earlier", "--out",
                                 str(study.reports / "papier"), "--study", str(study.root)])
    assert result.exit_code == 1 and "data/private/papier" in " ".join(result.output.split())
    assert not list(study.reports.rglob("*eerdere*"))

    result = runner.invoke(app, ["questionnaire", "print", "bewoners_vervolg", "--earlier", "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    path = study.root / "data" / "private" / "papier" / "bewoners_vervolg-nl-eerdere-antwoorden.html"
    html = path.read_text(encoding="utf-8")
    assert (study.root / "data" / "private" / ".gitignore").read_text() == "*\n"
    raw = study.raw / "responses" / "bewoners"
    first = read_table(raw / "meting_1.csv", required=["respondent"]).rows
    second = {r["respondent"] for r in read_table(raw / "meting_2.csv", required=["respondent"]).rows}
    import openpyxl

    ws = openpyxl.load_workbook(study.raw / "responses" / "bewoners_vervolg" / "kobo-export.xlsx").worksheets[0]
    followed = {row[0] for row in ws.iter_rows(min_row=3, values_only=True)}
    consent = read_table(study.raw / "consent.csv", required=["person_id"]).rows
    withdrawn = {r["person_id"] for r in consent if r["withdrawn_on"]}
    # one page per registered resident who did not withdraw
    registered = {r["respondent"] for r in first} - withdrawn
    assert html.count('<section class="person">') == len(registered)
    assert withdrawn and all(f"Deelnemer: {w}<" not in html for w in withdrawn)
    # a resident seen once: their first answer is beside the question, with the wave and date
    once = next(r for r in first if r["respondent"] not in second | followed | withdrawn and r["tevreden"])
    start = html.rindex('<section class="person">', 0, html.index(f"Deelnemer: {once['respondent']}<"))
    page = html[start:html.index("</section>", start)]
    tevreden = page[page.index('q-tevreden"'):]
    assert f"Vorige keer (meting 1, {once['date']}):</strong> {once['tevreden']}</p>" in tevreden
    assert "PRIVÉ" in page


@pytest.mark.browser
def test_private_follow_up_form_renders_in_chromium(demo_copy, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    study = impact.Study.load(demo_copy)
    result = CliRunner().invoke(app, ["questionnaire", "print", "bewoners_vervolg", "--earlier", "--respondent",
                                      "R0005", "--respondent", "R0007", "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    path = study.root / "data" / "private" / "papier" / "bewoners_vervolg-nl-eerdere-antwoorden.html"
    shot = tmp_path / "vervolg.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        requests = []
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
        page.goto(path.as_uri())
        assert page.locator("section.person").count() == 2
        assert page.evaluate("(() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
                             " return new Set(ids).size === ids.length; })()")
        assert page.locator(".earlier").count() >= 2
        box = page.locator("#p1-q-keer-1").bounding_box()  # each page has ids of its own
        assert box["width"] > 300 and box["height"] > 50
        rows = page.locator("section.person").first.locator("table.earlier-rows tr").count()
        assert rows >= 2  # a header and at least one earlier visit
        page.screenshot(path=str(shot), full_page=True)
        pdf = page.pdf()
        browser.close()
    assert requests == []  # offline
    assert shot.stat().st_size > 10_000 and pdf[:4] == b"%PDF"


# --- repeat answers through impact process ------------------------------------------------------------

def test_process_writes_repeat_columns_and_quarantines_a_submission_with_its_reasons(demo_copy):
    import openpyxl

    study = impact.Study.load(demo_copy)
    export = study.raw / "responses" / "bewoners_vervolg" / "kobo-export.xlsx"
    wb = openpyxl.load_workbook(export)
    ws = wb["bezoeken"]
    header = [c.value for c in ws[2]]
    ws.cell(row=3, column=header.index("bezoeken/keer") + 1, value="veel")
    parent = ws.cell(row=3, column=header.index("_parent_index") + 1).value
    siblings = [r[0].row for r in ws.iter_rows(min_row=3) if r[header.index("_parent_index")].value == parent]
    wb.save(export)
    main = wb["bewoners_vervolg"]
    person = next(r[0].value for r in main.iter_rows(min_row=3) if r[-1].value == parent)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in study.raw.rglob("*") if p.is_file()}

    impact.process_study(study)
    quarantine = pl.read_parquet(study.processed / "quarantine.parquet").filter(pl.col("table") == "responses")
    rows = quarantine.filter(pl.col("file").str.ends_with("kobo-export.xlsx"))
    assert rows.filter(pl.col("sheet") == "bezoeken").sort("row")["row"].to_list() == siblings
    wrong = rows.filter(pl.col("column") == "bezoeken/keer").row(0, named=True)
    assert (wrong["sheet"], wrong["row"], wrong["value"], wrong["reason_en"]) == ("bezoeken", 3, "veel",
                                                                                 "a whole number")
    main_row = rows.filter(pl.col("sheet") == "bewoners_vervolg").row(0, named=True)
    assert "sheet 'bezoeken', row 3 has an error" in main_row["reason_en"]

    responses = pl.read_parquet(study.processed / "responses.parquet")
    assert responses.columns[-2:] == ["repeat", "repeat_index"]
    visits = responses.filter(pl.col("repeat") == "bezoeken")
    assert visits.height > 500 and set(visits["instrument"]) == {"bewoners_vervolg"}
    assert visits["repeat_index"].null_count() == 0
    assert responses.filter(pl.col("repeat").is_null() & (pl.col("instrument") == "bewoners")).height > 1000
    from impact.tabular import read_table

    withdrawn = {r["person_id"] for r in read_table(study.raw / "consent.csv", required=["person_id"]).rows
                 if r["withdrawn_on"]}
    kept = set(responses.filter(pl.col("instrument") == "bewoners_vervolg")["respondent"])  # pseudonyms
    assert len(kept) == len({r[0].value for r in main.iter_rows(min_row=3)} - {person} - withdrawn)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in study.raw.rglob("*") if p.is_file()}
    assert after == before  # data/raw untouched
