"""Transcripts, codebook and codings in a study folder; the coding commands."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from impact.coding.codebook import code_lookup, load_codebook, parse_codebook
from impact.coding.codings import load_codings
from impact.coding.transcripts import load_transcripts, parse_transcript
from impact.study import init_study

# the shared fixtures sit beside the repository (../shared); a worktree sits one folder deeper
FIXTURES = next((p / "shared" / "fixtures" / "refi-qda" for p in Path(__file__).resolve().parents[1:]
                 if (p / "shared" / "fixtures" / "refi-qda").is_dir()), Path("/nonexistent"))

I01 = """---
interview: I01
date: 12-05-2023
interviewer: BB03          # de co-onderzoeker
interviewee: R0123
actor_type: informeel
organisation_kind: bewonersinitiatief
district: West
consent: ja
---

Interviewer: Hoe kent u de buurtbaner?

Bewoner: Via de maaltijd op dinsdag. Ik wil graag werken.
Dat geeft mij rust.

Interviewer: Dank u.
"""
TEXT = I01.split("---\n", 2)[2].strip("\n")

CODEBOOK = """codes:
  - code: ontwikkeling
    origin: rq1
  - code: motivatie           # waarom iemand iets wil
    parent: ontwikkeling
    definition: Wat iemand drijft om aan het werk te gaan.
    origin: rq1
    proposed_by: BB03
    date_added: 01-03-2023
    aliases: [drive]
  - code: activiteit
    origin: rq2
  - code: rust
    origin: inductief
"""


def coded(text: str, spans: list[tuple[str, str]]) -> str:
    for words, attrs in spans:
        text = text.replace(words, f"[{words}]{{{attrs}}}", 1)
    return text


@pytest.fixture
def study(tmp_path):
    s = init_study(tmp_path / "studie", districts=["West", "Oost"])
    (s.raw / "transcripts" / "I01.md").write_text(I01, encoding="utf-8")
    # the second transcript arrives from Windows as .txt with CRLF
    (s.raw / "transcripts" / "I02.txt").write_bytes(
        "---\r\ninterview: I02\r\nactor_type: formal\r\ndistrict: Oost\r\n---\r\nA: Ja.\r\n\r\nB: Nee.\r\n".encode("cp1252"))
    (s.raw / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    for coder, spans in {
        "BB03": [("Via de maaltijd op dinsdag", "#activiteit"), ("Ik wil graag werken", "#drive")],
        "BB07": [("Via de maaltijd", "#activiteit"), ("Ik wil graag werken.\nDat geeft mij rust.", "#motivatie #rust")],
    }.items():
        (s.raw / "codings" / coder).mkdir(parents=True)
        (s.raw / "codings" / coder / "I01.md").write_text(coded(I01, spans), encoding="utf-8")
    return s


def test_transcripts_header_text_and_crlf(study):
    table, problems = load_transcripts(study)
    assert problems == []
    assert table["document"].to_list() == ["I01", "I02"]
    i01 = table.row(0, named=True)
    assert (i01["date"].isoformat(), i01["interviewer"], i01["actor_type"], i01["consent"], i01["district"]) == (
        "2023-05-12", "BB03", "informal", True, "West")
    assert i01["text"] == TEXT
    assert table.row(1, named=True)["text"] == "A: Ja.\n\nB: Nee."


def test_transcript_header_mistakes_name_the_line(study):
    (study.raw / "transcripts" / "I03.md").write_text(
        "---\ninterview: I03\nactor_type: bewoner\ndate: 31-02-2023\n---\nTekst.", encoding="utf-8")
    table, problems = load_transcripts(study)
    assert "I03" not in table["document"].to_list()
    assert [(p.row, p.column) for p in problems] == [(3, "actor_type"), (4, "date")]
    assert "transcripts/I03.md, regel 3" in problems[0].render("nl")


def test_docx_transcript(study):
    import docx

    document = docx.Document()
    for line in ["---", "interview: I04", "actor_type: formal", "---", "A: Goedemorgen.", "", "B: Hallo daar."]:
        document.add_paragraph(line)
    document.save(study.raw / "transcripts" / "I04.docx")
    table, problems = load_transcripts(study)
    assert problems == []
    assert table.filter(pl.col("document") == "I04")["text"][0] == "A: Goedemorgen.\n\nB: Hallo daar."


def test_codebook_aliases_and_checks():
    book, problems = parse_codebook(CODEBOOK)
    assert problems == []
    row = book.filter(pl.col("code") == "motivatie").row(0, named=True)
    assert (row["parent"], row["origin"], row["date_added"].isoformat(), row["aliases"]) == (
        "ontwikkeling", "rq1", "2023-03-01", ["drive"])
    assert book.filter(pl.col("code") == "rust")["origin"][0] == "inductive"
    assert code_lookup(book)["drive"] == "motivatie"
    _, problems = parse_codebook("codes:\n  - code: a\n  - code: a\n  - code: twee woorden\n")
    assert [(p.row, p.column) for p in problems] == [(3, "code"), (4, "code")]
    _, problems = parse_codebook("codes:\n  - code: a\n   parent: b\n")
    assert problems[0].row == 3 and "YAML" in problems[0].render("en")


def test_codings_from_markup_and_csv(study):
    transcripts, _ = load_transcripts(study)
    codebook, _ = load_codebook(study)
    (study.raw / "codings" / "uit_atlas.csv").write_text(
        "document;start;end;code;coder\nI02;0;6;rust;BB07\nI02;3;99;rust;BB07\nI02;0;6;onbekend;BB07\nI09;0;1;rust;BB07\n",
        encoding="utf-8")
    table, problems = load_codings(study, transcripts, codebook)
    rows = table.select("document", "code", "coder", "text").rows()
    assert ("I01", "motivatie", "BB03", "Ik wil graag werken") in rows   # alias drive -> motivatie
    assert ("I01", "motivatie", "BB07", "Ik wil graag werken.\nDat geeft mij rust.") in rows
    assert ("I01", "rust", "BB07", "Ik wil graag werken.\nDat geeft mij rust.") in rows
    assert ("I02", "rust", "BB07", "A: Ja.") in rows
    assert table.height == 6
    assert [(p.file, p.row, p.column) for p in problems] == [
        ("data/raw/codings/uit_atlas.csv", 3, "end"), ("data/raw/codings/uit_atlas.csv", 4, "code"),
        ("data/raw/codings/uit_atlas.csv", 5, "document")]


def test_markup_mistakes_and_changed_text_are_problems_with_line(study):
    path = study.raw / "codings" / "BB03" / "I01.md"
    text = path.read_text(encoding="utf-8").replace("#drive", "#drijfveer").replace("Dank u.", "Dank je.")
    path.write_text(text, encoding="utf-8")
    transcripts, _ = load_transcripts(study)
    codebook, _ = load_codebook(study)
    table, problems = load_codings(study, transcripts, codebook)
    assert table.filter(pl.col("coder") == "BB03")["code"].to_list() == ["activiteit"]
    rendered = [p.render("en") for p in problems]
    assert rendered[0].startswith("data/raw/codings/BB03/I01.md, line 14:") and "drijfveer" in rendered[0]
    assert rendered[1].startswith("data/raw/codings/BB03/I01.md, line 17: value 'je.'") and "has 'u.'" in rendered[1]


def write_processed(study, tmp_path):
    """Processed tables as impact process would write them (pseudonymised coders)."""
    transcripts, _ = load_transcripts(study)
    codebook, _ = load_codebook(study)
    codings, _ = load_codings(study, transcripts, codebook)
    study.processed.mkdir(parents=True, exist_ok=True)
    transcripts.write_parquet(study.processed / "transcripts.parquet")
    codebook.write_parquet(study.processed / "codebook.parquet")
    codings.with_columns(pl.col("coder").replace({"BB03": "p_03", "BB07": "p_07"})).write_parquet(
        study.processed / "codings.parquet")


def test_agreement_command_prints_table_and_differences(study, tmp_path):
    from impact.coding.cli import app

    write_processed(study, tmp_path)
    result = CliRunner().invoke(app, ["agreement", "--study", str(study.root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Agreement between coders" in result.output and "all codes" in result.output
    assert "I01 ¶2  #rust  (coded: p_07; not: p_03)" in result.output


def test_export_then_import_qdpx(study, tmp_path):
    from lxml import etree

    from impact.coding.cli import app
    from impact.coding.qdpx import read_qdpx

    write_processed(study, tmp_path)
    out = tmp_path / "studie.qdpx"
    result = CliRunner().invoke(app, ["export", "qdpx", str(out), "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    if (FIXTURES / "Project.xsd").is_file():
        xsd = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
        assert xsd.validate(etree.fromstring(zipfile.ZipFile(out).read("project.qde"))), xsd.error_log
    corpus = read_qdpx(out)
    assert corpus.codings.height == 5
    # without --coder: nothing is written, the users are listed with the command that maps them
    before = sorted(p.name for p in study.raw.rglob("*"))
    refused = CliRunner().invoke(app, ["import", "qdpx", str(out), "--study", str(study.root), "--lang", "en"])
    assert refused.exit_code == 1 and sorted(p.name for p in study.raw.rglob("*")) == before
    listed = " ".join(refused.output.split())
    assert "p_07: 3 codings" in listed and "p_03: 2 codings" in listed
    command = f'impact import qdpx "{out}" --coder "p_07=<person_id>" --coder "p_03=<person_id>"'
    assert "".join(command.split()) in "".join(listed.split())  # the terminal may wrap the long line
    # bring it back into the study as a table of codings (coders mapped back to person_ids)
    result = CliRunner().invoke(app, ["import", "qdpx", str(out), "--study", str(study.root),
                                      "--coder", "p_03=BB03", "--coder", "p_07=BB07"])
    assert result.exit_code == 0, result.output
    back = pl.read_csv(study.raw / "codings" / "studie.csv")
    original = pl.read_parquet(study.processed / "codings.parquet")
    assert sorted(back.select("document", "start", "end", "code").rows()) == sorted(
        original.select("document", "start", "end", "code").rows())
    assert set(back["coder"]) == {"BB03", "BB07"}
    # importing the same project again never overwrites
    again = CliRunner().invoke(app, ["import", "qdpx", str(out), "--study", str(study.root),
                                     "--coder", "p_03=BB03", "--coder", "p_07=BB07"])
    assert again.exit_code == 1 and "bestaat al" in again.output


def test_import_taguette_with_new_codes(study, tmp_path):
    from impact.coding.cli import app

    highlights = tmp_path / "highlights.csv"
    highlights.write_text("id,document,tag,content\n1,I01,Eigen Kracht,<p>Ik wil graag werken.</p>\n"
                          "2,I02.docx,rust,Nee.\n", encoding="utf-8")
    refused = CliRunner().invoke(app, ["import", "taguette", str(highlights), "--coder", "BB09",
                                       "--study", str(study.root), "--lang", "en"])
    assert refused.exit_code == 1 and "eigen_kracht" in refused.output
    assert not (study.raw / "codings" / "highlights.csv").exists()
    result = CliRunner().invoke(app, ["import", "taguette", str(highlights), "--coder", "BB09", "--add-codes",
                                      "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    table = pl.read_csv(study.raw / "codings" / "highlights.csv")
    at = TEXT.index("Ik wil graag werken.")
    assert table.rows() == [("I01", at, at + 20, "eigen_kracht", "BB09"), ("I02", 11, 15, "rust", "BB09")]
    book, problems = load_codebook(study)
    assert problems == [] and "eigen_kracht" in book["code"].to_list()
    transcripts, _ = load_transcripts(study)
    codings, problems = load_codings(study, transcripts, book)
    assert codings.filter(pl.col("coder") == "BB09")["text"].to_list() == ["Ik wil graag werken.", "Nee."]


def test_parse_transcript_turns():
    from impact.coding.transcripts import text_units

    doc = parse_transcript(I01)
    turns = text_units(doc.text, "turn")
    assert [t["speaker"] for t in turns] == ["Interviewer", "Bewoner", "Interviewer"]
    assert len(text_units(doc.text, "paragraph")) == 3


def test_demo_study_agreement_and_qdpx_round_trip(request, tmp_path):
    """The demo's two coders give an agreement table; its export validates and re-imports identically."""
    import importlib.util

    if importlib.util.find_spec("impact.demo") is None:
        pytest.skip("the demo study generator is not there yet")
    from impact.coding.reliability import agreement
    from impact.coding.corpus import Corpus
    from impact.coding.qdpx import read_qdpx, write_qdpx
    from impact.study import Study

    # read from data/raw with this package's loaders (processing belongs to the lead's pipeline)
    demo = Study.load(request.getfixturevalue("demo_root"))
    transcripts, problems = load_transcripts(demo)
    assert [p for p in problems if p.severity == "error"] == []
    codebook, problems = load_codebook(demo)
    assert [p for p in problems if p.severity == "error"] == []
    codings, problems = load_codings(demo, transcripts, codebook)
    assert [p.render("en") for p in problems if p.severity == "error"] == []
    corpus = Corpus.from_tables(transcripts, codings, codes=codebook)
    assert corpus.codings["coder"].n_unique() >= 2
    table = agreement(corpus)
    assert table["code"].to_list()[-1] == "(all)"
    assert table.filter(pl.col("krippendorff_alpha").is_not_null()).height > 0
    assert table["percent_agreement"].drop_nulls().is_between(0, 1).all()
    out = write_qdpx(corpus, tmp_path / "demo.qdpx")
    if (FIXTURES / "Project.xsd").is_file():
        from lxml import etree

        xsd = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
        assert xsd.validate(etree.fromstring(zipfile.ZipFile(out).read("project.qde"))), xsd.error_log
    back = read_qdpx(out)
    key = ["document", "start", "end", "code", "coder"]
    assert back.codings.sort(key).equals(corpus.codings.sort(key))
    assert back.documents.select(corpus.documents.columns).sort("document").equals(corpus.documents.sort("document"))
