"""Member check: answers file, applying answers to codings, the one-page summary, the command."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

pytest.importorskip("impact.coding.markup")

from impact.membercheck import (  # noqa: E402
    apply_member_checks,
    latest_decisions,
    passages,
    read_member_checks,
    record_answers,
    summary_html,
)
from test_widget import CODEBOOK, TEXT, TRANSCRIPT, fake_redact  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# paragraphs of TEXT (see test_widget): (0, 31) (33, 89) (91, 124) (126, 183)


def make_study(tmp_path: Path):
    from impact.study import init_study

    study = init_study(tmp_path / "studie", name="Buurt <West>", districts=["West"])
    (study.raw / "transcripts").mkdir(exist_ok=True)
    (study.raw / "transcripts" / "I01.md").write_text(
        TRANSCRIPT.replace("Via de maaltijd", "Via de <script>maaltijd</script>"), encoding="utf-8")
    (study.raw / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    folder = study.raw / "codings" / "BB03"
    folder.mkdir(parents=True)
    text = TEXT.replace("Via de maaltijd", "Via de <script>maaltijd</script>")
    shift = len("<script></script>")
    work = text.index("Via de <script>")
    end = text.index("werken.") + len("werken.")
    coded = text[:work] + "[" + text[work:end].replace("<", "<") + "]{#werk}" + text[end:]
    coded = coded.replace("Bewoner: Ik ken nu mijn buren. Fatima belt mij elke week.",
                          "[Bewoner: Ik ken nu mijn buren. Fatima belt mij elke week.]{#contact}")
    (folder / "I01.md").write_text(coded, encoding="utf-8")
    return study, work, end, 126 + shift, 183 + shift


def test_passages_merge_overlapping_codings():
    import polars as pl

    c = pl.DataFrame({"document": ["I1"] * 4 + ["I2"], "start": [33, 70, 126, 130, 0],
                      "end": [89, 89, 183, 140, 5], "code": ["a", "b", "c", "a", "x"]})
    assert passages(c, "I1") == [(33, 89, ["a", "b"]), (126, 183, ["a", "c"])]


def test_answers_file_is_read_with_dutch_words_and_bad_rows_reported(tmp_path):
    import polars as pl

    study, *_ = make_study(tmp_path)
    (study.raw / "member_checks.csv").write_text(
        "interview;start;end;decision;new_text;date;note\n"
        "I01;70;89;akkoord;;12-06-2023;\n"
        "I01;126;183;veranderen;Ik ken nu mijn buren.;13-06-2023;telefoon\n"
        "I02;0;10;approve;;;\n"              # row 4: unknown interview
        "I01;10;5000;withdraw;;;\n"          # row 5: past the end of the text
        "I01;0;31;misschien;;;\n"            # row 6: unknown decision
        "I01;0;31;change;;;\n"               # row 7: change without a new text
        "I01;0;31;intrekken;;31-02-2023;\n"  # row 8: a date that does not exist
        "I01;0;31;intrekken;;;\n",
        encoding="utf-8")
    transcripts = pl.DataFrame({"document": ["I01"], "text": [TEXT]})
    table, problems = read_member_checks(study, transcripts)
    assert table.select("interview", "start", "end", "decision", "new_text", "date").rows() == [
        ("I01", 70, 89, "approve", None, dt.date(2023, 6, 12)),
        ("I01", 126, 183, "change", "Ik ken nu mijn buren.", dt.date(2023, 6, 13)),
        ("I01", 0, 31, "withdraw", None, None)]
    assert [(p.row, p.column) for p in problems] == [(4, "interview"), (5, "end"), (6, "decision"),
                                                    (7, "new_text"), (8, "date")]
    assert all(p.severity == "error" and p.record for p in problems)


def _codings():
    import polars as pl

    return pl.DataFrame({
        "document": ["I01", "I01", "I01", "I01", "I01", "I02"],
        "start": [33, 70, 126, 126, 0, 33],
        "end": [89, 89, 183, 183, 31, 89],
        "code": ["contact", "werk", "contact", "trots", "werk", "werk"],
        "coder": ["BB03", "BB03", "BB03", "SP07", "SP07", "BB03"],
        "text": [TEXT[33:89], TEXT[70:89], TEXT[126:183], TEXT[126:183], TEXT[0:31], "ander interview"],
    })


def _checks(rows):
    import polars as pl

    return pl.DataFrame(rows, schema={"interview": pl.Utf8, "start": pl.Int64, "end": pl.Int64,
                                      "decision": pl.Utf8, "new_text": pl.Utf8, "date": pl.Date},
                        orient="row")


def test_apply_member_checks_by_hand():
    out = apply_member_checks(_codings(), _checks([
        ("I01", 70, 89, "withdraw", None, dt.date(2023, 6, 1)),       # inside paragraph 33-89
        ("I01", 126, 183, "change", "Ik ken nu mijn buren.", None),
        ("I01", 0, 31, "approve", None, None),
    ]))
    assert out.columns == ["document", "start", "end", "code", "coder", "text", "quotable", "member_check"]
    assert out.select("code", "text", "quotable", "member_check").rows() == [
        ("contact", None, False, "withdraw"),   # holds the withdrawn words: text gone, code kept
        ("werk", None, False, "withdraw"),
        ("contact", "Ik ken nu mijn buren.", True, "change"),
        ("trots", "Ik ken nu mijn buren.", True, "change"),
        ("werk", TEXT[0:31], True, "approve"),
        ("werk", "ander interview", True, None),  # another interview: untouched
    ]
    assert out.height == _codings().height  # codes still count


def test_apply_without_answers_keeps_everything_quotable():
    out = apply_member_checks(_codings(), _checks([]))
    assert out["quotable"].to_list() == [True] * 6 and out["member_check"].null_count() == 6
    assert out["text"].to_list() == _codings()["text"].to_list()


def test_the_latest_answer_wins():
    checks = _checks([
        ("I01", 0, 31, "withdraw", None, dt.date(2023, 6, 1)),
        ("I01", 0, 31, "approve", None, dt.date(2023, 7, 1)),   # changed their mind later
        ("I01", 126, 183, "approve", None, None),
        ("I01", 126, 183, "withdraw", None, None),              # same day: the last row wins
    ])
    assert latest_decisions(checks).select("start", "decision").rows() == [(0, "approve"), (126, "withdraw")]
    out = apply_member_checks(_codings(), checks)
    assert out.filter(out["start"] == 0)["quotable"].to_list() == [True]
    assert out.filter(out["start"] == 126)["quotable"].to_list() == [False, False]


def test_a_withdrawn_quote_is_absent_from_quote_outputs():
    """The report's quote pickers (perspectives, trajectories) read ``text``; a withdrawn passage has none."""
    import polars as pl

    from impact.perspectives import quotes_by_actor

    transcripts = pl.DataFrame({"document": ["I01", "I02"], "actor_type": ["informal", "informal"],
                                "consent": [True, True], "text": [TEXT, "x" * 100]})
    before = quotes_by_actor(_codings(), transcripts, "werk", n=5)
    assert "Ik wil weer werken." in " ".join(before["quote"].to_list())
    after = quotes_by_actor(apply_member_checks(_codings(), _checks([("I01", 70, 89, "withdraw", None, None)])),
                            transcripts, "werk", n=5)
    assert "werken" not in " ".join(after["quote"].to_list())
    assert after.height == before.height - 1


def test_summary_is_escaped_redacted_and_lists_codes_and_quotes(tmp_path):
    study, w0, w1, c0, c1 = make_study(tmp_path)
    record_answers(study, "I01", [(w0, w1, "approve", None)], date=dt.date(2023, 6, 12))
    page = summary_html(study, "I01", redact=fake_redact, today=dt.date(2023, 6, 1))
    assert "<script>" not in page and "Via de &lt;script&gt;maaltijd&lt;/script&gt; op dinsdag." in page
    assert "Buurt &lt;West&gt;" in page
    assert "Fatima" not in page and "[naam] belt mij elke week." in page
    assert "Uw gesprek van 12-05-2023: klopt het zo?" in page
    assert "<b>contact</b>: Contact met mensen in de buurt." in page and "<b>werk</b>: Over betaald werk." in page
    assert page.count("<blockquote>") == 2
    assert f"I01:{w0}-{w1}" in page and f"I01:{c0}-{c1}" in page
    assert "Uw antwoord: goed zo" in page  # the recorded answer is shown
    assert "☐ Niet gebruiken" in page       # the open passage still has the tick boxes
    assert "R0123" not in page and "BB03" not in page  # no person ids
    english = summary_html(study, "I01", lang="en", redact=fake_redact)
    assert "Your conversation of 12-05-2023" in english and "Do not use" in english


def test_command_records_answers_and_writes_a_private_summary(tmp_path, monkeypatch):
    from typer import Typer
    from typer.testing import CliRunner

    from impact.membercheck.cli import member_check

    study, w0, w1, c0, c1 = make_study(tmp_path)
    monkeypatch.setattr("impact.widget.default_redactor", lambda study: fake_redact)
    app = Typer()
    app.command()(member_check)
    before = {p: p.read_bytes() for p in study.raw.rglob("*") if p.is_file()}
    runner = CliRunner()
    result = runner.invoke(app, ["I01", "--study", str(study.root), "--withdraw", "1",
                                 "--change", f"{c0}-{c1}=Ik ken nu mijn buren.", "--date", "14-06-2023"])
    assert result.exit_code == 0, result.output
    assert "2 antwoord(en) vastgelegd" in result.output
    lines = (study.raw / "member_checks.csv").read_text(encoding="utf-8").splitlines()
    assert lines == ["interview,start,end,decision,new_text,date,note",
                     f"I01,{w0},{w1},withdraw,,2023-06-14,",
                     f"I01,{c0},{c1},change,Ik ken nu mijn buren.,2023-06-14,"]
    after = {p: p.read_bytes() for p in study.raw.rglob("*") if p.is_file()}
    assert set(after) - set(before) == {study.raw / "member_checks.csv"}
    assert all(after[p] == before[p] for p in before)
    summary = study.root / "data" / "private" / "membercheck" / "I01.html"
    assert "Uw antwoord: niet gebruiken" in summary.read_text(encoding="utf-8")
    assert (study.root / "data" / "private" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    table, problems = read_member_checks(study)
    assert problems == [] and table["decision"].to_list() == ["withdraw", "change"]
    # a second answer is appended, earlier lines stay byte for byte
    assert runner.invoke(app, ["I01", "--study", str(study.root), "--approve", "1"]).exit_code == 0
    assert (study.raw / "member_checks.csv").read_text(encoding="utf-8").splitlines()[:3] == lines
    # mistakes are messages, exit 1
    bad = runner.invoke(app, ["I01", "--study", str(study.root), "--withdraw", "9"])
    assert bad.exit_code == 1 and "geen stuk van interview I01" in bad.output
    bad = runner.invoke(app, ["I99", "--study", str(study.root), "--lang", "en"])
    assert bad.exit_code == 1 and "not in data/raw/transcripts" in bad.output


@pytest.mark.browser
def test_summary_prints_on_one_a4_page(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    study, *_ = make_study(tmp_path)
    page_html = summary_html(study, "I01", redact=fake_redact)
    path = tmp_path / "I01.html"
    path.write_text(page_html, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(path.as_uri())
            page.screenshot(path=str(ARTIFACTS / "membercheck-I01.png"), full_page=True)
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
        finally:
            browser.close()
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
