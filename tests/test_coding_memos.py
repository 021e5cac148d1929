"""Memos: plain-text files checked by validate (file, line, field, value), redacted into the memos table by
process, carried through REFI-QDA unchanged, imported from other tools' notes, and never published unless
marked."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest

import impact
from impact.coding.memos import format_memo, memo_leaks, parse_memo, published_memos

FIXTURES = next((p / "shared" / "fixtures" / "refi-qda" for p in Path(__file__).resolve().parents[1:]
                 if (p / "shared" / "fixtures" / "refi-qda").is_dir()), Path("/nonexistent"))
from test_coding_qdpx import G, make_qdpx  # noqa: E402  (tests/ is on sys.path)


def memo(about: str, body: str = "Een gedachte.", author: str = "BB03", date: str = "12-03-2024",
         publish: str = "nee", title: str | None = None) -> str:
    lines = ["---", f"author: {author}", f"date: {date}", f"about: {about}", f"publish: {publish}"]
    if title:
        lines.append(f"title: {title}")
    return "\n".join(lines) + "\n---\n" + body + "\n"


def demo_study(demo_root: Path, tmp_path: Path) -> impact.Study:
    root = tmp_path / "studie"
    shutil.copytree(demo_root, root)
    return impact.Study.load(root)


def test_a_memo_file_round_trips_through_its_own_format():
    rec, problems = parse_memo("\ufeff---\r\nauthor: BB03\r\ndate: 2024-03-12\r\nabout: codering:I01:3-13:werk\r\n"
                               "publish: ja  # voor het rapport\r\ntitle: Twijfel\r\n---\r\n\r\nEerste regel.\r\n\r\n"
                               "Tweede alinea.\r\n\r\n", "data/raw/memos/m.md", "m")
    assert problems == []
    assert {k: rec[k] for k in ("author", "date", "about_kind", "about", "start", "end", "code", "publish", "title",
                                "text")} == {
        "author": "BB03", "date": dt.date(2024, 3, 12), "about_kind": "coding", "about": "I01", "start": 3,
        "end": 13, "code": "werk", "publish": True, "title": "Twijfel", "text": "Eerste regel.\n\nTweede alinea."}
    again, problems = parse_memo(format_memo(rec), "m.md", "m")
    assert problems == [] and {k: again[k] for k in rec if not k.startswith("_")} == \
        {k: rec[k] for k in rec if not k.startswith("_")}


@pytest.mark.parametrize("text, line, field, value, expected", [
    ("---\ndate: 12-03-2024\nabout: study\n---\nTekst.\n", 4, "author", None, "the person_id of the writer"),
    (memo("study", date="31-02-2024"), 3, "date", "31-02-2024", "a date as dd-mm-yyyy"),
    (memo("interview"), 4, "about", "interview", "coding:<interview>:<start>-<end>:<code>"),
    (memo("coding:I01:abc:werk"), 4, "about", "coding:I01:abc:werk", "study, document:<interview>"),
    (memo("study", publish="misschien"), 5, "publish", "misschien", "yes or no"),
    (memo("study", body=""), 6, None, None, "the memo's text below the header"),
    ("Alleen tekst, geen kop.\n", 1, None, "Alleen tekst, geen kop.", "a header between two lines with ---"),
])
def test_a_memo_with_a_mistake_names_file_line_field_and_value(text, line, field, value, expected):
    rec, problems = parse_memo(text, "data/raw/memos/x.md", "x")
    assert rec is None
    errors = [p for p in problems if p.severity == "error"]
    assert [(p.file, p.row, p.column, p.value) for p in errors] == [("data/raw/memos/x.md", line, field, value)]
    assert expected in errors[0].render("en") and errors[0].render("en").startswith(f"data/raw/memos/x.md, line {line}")


def test_validate_checks_what_a_memo_is_about(demo_root, tmp_path):
    study = demo_study(demo_root, tmp_path)
    folder = study.raw / "memos"
    text = (study.raw / "transcripts" / "I01.md").read_text(encoding="utf-8")
    length = len(text.split("---\n", 2)[2].strip("\n"))
    (folder / "onbekend-interview.md").write_text(memo("document:I99"), encoding="utf-8")
    (folder / "te-lang.md").write_text(memo(f"document:I01:10-{length + 1}"), encoding="utf-8")
    (folder / "onbekende-code.md").write_text(memo("code:vliegen"), encoding="utf-8")
    (folder / "geen-codering.md").write_text(memo("coding:I01:0-5:motivatie"), encoding="utf-8")
    (folder / "onbekende-schrijver.md").write_text(memo("study", author="XX99"), encoding="utf-8")
    (folder / "stap.md").write_text(memo("step:bereik"), encoding="utf-8")
    (folder / "oude-naam.md").write_text(memo("code:drive"), encoding="utf-8")  # an alias of motivatie
    (study.raw / "theory_of_change.yaml").unlink()  # the demo's: without one, a step is not checked
    problems = [p for p in impact.validate_study(study) if "memos" in str(p.file)]
    found = sorted((p.file, p.row, p.column, p.value) for p in problems)
    assert found == [
        ("data/raw/memos/geen-codering.md", 4, "about", "coding:I01:0-5:motivatie"),
        ("data/raw/memos/onbekend-interview.md", 4, "about", "document:I99"),
        ("data/raw/memos/onbekende-code.md", 4, "about", "code:vliegen"),
        ("data/raw/memos/onbekende-schrijver.md", 2, "author", "XX99"),
        ("data/raw/memos/te-lang.md", 4, "about", f"document:I01:10-{length + 1}"),
    ]
    rendered = {p.file: p.render("en") for p in problems}
    assert "a coding someone made at that place with that code" in rendered["data/raw/memos/geen-codering.md"]
    assert f"0 <= start < end <= {length}" in rendered["data/raw/memos/te-lang.md"]
    # without a theory of change a step is not checked; with one, an unknown step is an error
    (study.raw / "theory_of_change.yaml").write_text("steps:\n  - id: activiteit\n  - id: effect\n", encoding="utf-8")
    problems = [p for p in impact.validate_study(study) if p.file == "data/raw/memos/stap.md"]
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "about", "step:bereik")]
    assert "activiteit, effect" in problems[0].render("en")


def test_process_redacts_pseudonymises_and_moves_memos_like_transcripts(demo_root, tmp_path):
    study = demo_study(demo_root, tmp_path)
    people = pl.read_csv(study.raw / "people.csv", comment_prefix="#")
    transcript = impact.coding.load_transcripts(study)[0].filter(pl.col("document") == "I01").row(0, named=True)
    interviewee = people.filter(pl.col("person_id") == transcript["interviewee"]).row(0, named=True)
    text = transcript["text"]
    start = text.index(text.split("\n\n")[2])
    end = start + len(text.split("\n\n")[2])
    (study.raw / "memos" / "met-naam.md").write_text(memo(
        f"document:I01:{start}-{end}", body=f"{interviewee['name']} belde mij later nog op {interviewee['phone']}.",
        publish="ja", title=f"Gesprek met {interviewee['name']}"), encoding="utf-8")
    impact.process_study(study)
    memos = pl.read_parquet(study.processed / "memos.parquet")
    row = memos.filter(pl.col("memo") == "met-naam").row(0, named=True)
    assert interviewee["name"] not in row["text"] and interviewee["phone"] not in row["text"]
    assert interviewee["name"] not in row["title"]
    assert row["author"] == impact.pseudonym("BB03", impact.privacy.DEMO_KEY)
    red = pl.read_parquet(study.processed / "transcripts.parquet").filter(pl.col("document") == "I01")["text"][0]
    assert red[row["start"]:row["end"]] == red.split("\n\n")[2]  # the passage moved with the redaction
    coding = memos.filter(pl.col("about_kind") == "coding").row(0, named=True)
    codings = pl.read_parquet(study.processed / "codings.parquet")
    assert codings.filter((pl.col("document") == coding["about"]) & (pl.col("start") == coding["start"])
                          & (pl.col("end") == coding["end"]) & (pl.col("code") == coding["code"])).height >= 1
    assert sorted(memos["memo"]) == ["code-motivatie", "codering-i02", "met-naam", "na-interview-i01",
                                     "stap-ladder", "werkwijze-coderen"]


def test_withdrawal_and_missing_quote_consent(demo_root, tmp_path):
    study = demo_study(demo_root, tmp_path)
    interviewee = impact.coding.load_transcripts(study)[0].filter(pl.col("document") == "I01")["interviewee"][0]
    (study.raw / "memos" / "publiceer-i01.md").write_text(memo("document:I01", publish="ja"), encoding="utf-8")
    consent = study.raw / "consent.csv"
    lines = consent.read_text(encoding="utf-8").splitlines()
    header = lines[[i for i, ln in enumerate(lines) if ln.startswith("person_id")][0]].split(",")
    q = header.index("quotes")

    def set_field(column: int, value: str) -> None:
        for i, ln in enumerate(lines):
            cells = ln.split(",")
            if cells[0] == interviewee:
                cells[column] = value
                lines[i] = ",".join(cells)
        consent.write_text("\n".join(lines) + "\n", encoding="utf-8")

    set_field(q, "nee")
    impact.process_study(study)
    memos = pl.read_parquet(study.processed / "memos.parquet")
    assert memos.filter(pl.col("memo") == "publiceer-i01")["publish"].to_list() == [False]  # no quotes: not published
    set_field(header.index("withdrawn_on"), "01-06-2024")
    impact.process_study(study)
    memos = pl.read_parquet(study.processed / "memos.parquet")
    assert "I01" not in memos["about"].to_list() and "na-interview-i01" not in memos["memo"].to_list()


def test_memos_round_trip_through_refi_qda_unchanged(processed_demo, demo_root, tmp_path):
    """Export the demo (processed) with its memos, read it back: the same memos table; import it into a copy
    of the study without memos: the same memo files, field by field."""
    from impact.coding.corpus import Corpus
    from impact.coding.qdpx import read_qdpx, write_qdpx

    study = impact.Study.load(processed_demo)
    corpus = Corpus.from_study(study)
    assert corpus.memos.height == 5
    for positions in ("codepoints", "utf16+crlf2+bom"):
        out = write_qdpx(corpus, tmp_path / f"demo-{positions}.qdpx", positions=positions)
        assert read_qdpx(out).memos.equals(corpus.memos)
    if (FIXTURES / "Project.xsd").is_file():
        from lxml import etree

        xsd = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
        assert xsd.validate(etree.fromstring(zipfile.ZipFile(out).read("project.qde"))), xsd.error_log
    # through the commands, into a copy whose memo files are gone
    from typer.testing import CliRunner

    from impact.coding.cli import app

    exported = tmp_path / "uitwisseling.qdpx"
    assert CliRunner().invoke(app, ["export", "qdpx", str(exported), "--study", str(processed_demo)]).exit_code == 0
    target = demo_study(demo_root, tmp_path / "doel")
    originals = {p.stem: parse_memo(p.read_text(encoding="utf-8"), p.name, p.stem)[0]
                 for p in sorted((target.raw / "memos").glob("*.md"))}
    shutil.rmtree(target.raw / "memos")
    result = CliRunner().invoke(app, ["import", "qdpx", str(exported), "--study", str(target.root)])
    assert result.exit_code == 0, result.output
    back = {p.stem: parse_memo(p.read_text(encoding="utf-8"), p.name, p.stem)[0]
            for p in sorted((target.raw / "memos").glob("*.md"))}
    fields = ("author", "date", "about_kind", "about", "start", "end", "code", "publish", "title", "text")
    assert {k: {f: r[f] for f in fields} for k, r in back.items()} == \
        {k: {f: r[f] for f in fields} for k, r in originals.items()}
    # importing the same memos again (another file name) leaves them alone, and says so
    second = shutil.copy(exported, tmp_path / "tweede.qdpx")
    again = CliRunner().invoke(app, ["import", "qdpx", str(second), "--study", str(target.root), "--lang", "en"])
    assert again.exit_code == 0 and "0 memos saved in data/raw/memos (5 were there already)" in " ".join(
        again.output.split())
    # a memo that says something else under the same name is refused
    changed = target.raw / "memos" / "werkwijze-coderen.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("apart", "samen"), encoding="utf-8")
    third = shutil.copy(exported, tmp_path / "derde.qdpx")
    refused = CliRunner().invoke(app, ["import", "qdpx", str(third), "--study", str(target.root), "--lang", "en"])
    assert refused.exit_code == 1 and "another memo with this name already exists" in " ".join(refused.output.split())
    assert not (target.raw / "codings" / "derde.csv").exists()


def test_the_real_fixtures_carry_memos_through_an_export(tmp_path):
    """The shared fixtures hold no notes; their texts and codes take memos that survive export and import."""
    from impact.coding.memos import memo_table
    from impact.coding.qdpx import read_qdpx, write_qdpx

    path = FIXTURES / "qc-demo.qdpx"
    if not path.is_file():
        pytest.skip("fixture qc-demo.qdpx not available")
    corpus = read_qdpx(path)
    assert corpus.memos.height == 0  # no Notes and no Descriptions in this export
    first = corpus.codings.sort("document", "start").row(0, named=True)
    corpus.memos = memo_table([
        {"memo": "m-coding", "author": "cp", "date": dt.date(2024, 9, 15), "about_kind": "coding",
         "about": first["document"], "start": first["start"], "end": first["end"], "code": first["code"],
         "text": "Waarom deze regel deze code kreeg.", "publish": True},
        {"memo": "m-code", "author": "cp", "date": dt.date(2024, 9, 16), "about_kind": "code",
         "about": "competencies/programming", "text": "Een code die twee keer voorkomt."},
        {"memo": "m-doc", "author": "cp", "date": dt.date(2024, 9, 17), "about_kind": "document",
         "about": "admin-1", "text": "Over dit document.", "title": "Document"},
    ])
    out = write_qdpx(corpus, tmp_path / "qc.qdpx")
    from lxml import etree

    xsd = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
    assert xsd.validate(etree.fromstring(zipfile.ZipFile(out).read("project.qde"))), xsd.error_log
    assert read_qdpx(out).memos.equals(corpus.memos)


def notes_project(path: Path) -> Path:
    """Notes the way other tools write them: an NVivo annotation (Note with plainTextPath, Link to a selection),
    a QualCoder annotation (passage inside the Note, NoteRef on the TextSource), a MAXQDA comment (a
    Description on a selection without a code), an ATLAS.ti code memo (NoteRef on the Code), a QualCoder
    coding memo (Description on a selection with one code), a project description, a journal (no reference)."""
    text = "Ik wil werken.\r\nDat geeft rust."
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" '
        f'origin="QualCoder 3.6" creatingUserGUID="{G(9)}" creationDateTime="2024-05-01T10:00:00Z">'
        f'<Users><User guid="{G(9)}" name="Anna"/><User guid="{G(8)}" name="Ben"/></Users>'
        f'<CodeBook><Codes><Code guid="{G(2)}" name="werk" isCodable="true"><NoteRef targetGUID="{G(53)}"/></Code>'
        f'</Codes></CodeBook>'
        f'<Sources><TextSource guid="{G(3)}" name="I01" plainTextPath="internal://{G(3)}.txt" creatingUser="{G(8)}">'
        f'<Description>Over dit interview.</Description>'
        f'<PlainTextSelection guid="{G(4)}" startPosition="3" endPosition="13" creatingUser="{G(9)}" '
        f'creationDateTime="2024-05-02T09:00:00Z"><Description>Waarom werk.</Description>'
        f'<Coding guid="{G(5)}" creatingUser="{G(9)}"><CodeRef targetGUID="{G(2)}"/></Coding></PlainTextSelection>'
        f'<PlainTextSelection guid="{G(6)}" startPosition="15" endPosition="30" creatingUser="{G(8)}">'
        f'<Description>Rust is belangrijk.</Description></PlainTextSelection>'
        f'<PlainTextSelection guid="{G(7)}" startPosition="0" endPosition="2"/>'
        f'<NoteRef targetGUID="{G(52)}"/></TextSource></Sources>'
        f'<Notes><Note guid="{G(51)}" name="Annotatie" plainTextPath="internal://{G(51)}.txt" creatingUser="{G(8)}" '
        f'creationDateTime="2024-05-03T00:00:00Z"/>'
        f'<Note guid="{G(52)}" creatingUser="{G(9)}" creationDateTime="2024-05-04T00:00:00Z">'
        f'<PlainTextContent>Over dat geeft.</PlainTextContent>'
        f'<PlainTextSelection guid="{G(60)}" startPosition="15" endPosition="29"/></Note>'
        f'<Note guid="{G(53)}" name="Werk-memo" creatingUser="{G(9)}"><PlainTextContent>Werk is breed.'
        f'</PlainTextContent></Note>'
        f'<Note guid="{G(54)}" name="Dagboek" creatingUser="{G(8)}" creationDateTime="2024-05-05T00:00:00Z">'
        f'<PlainTextContent>Week 1.</PlainTextContent></Note></Notes>'
        f'<Links><Link guid="{G(70)}" originGUID="{G(51)}" targetGUID="{G(7)}"/></Links>'
        f'<Description>Het hele project.</Description></Project>')
    return make_qdpx(path, xml, {f"sources/{G(3)}.txt": text.encode("utf-8"),
                                 f"sources/{G(51)}.txt": "Ik: de spreker.".encode("utf-8-sig")})


def test_notes_and_descriptions_of_other_tools_become_memos(tmp_path):
    from impact.coding.qdpx import read_qdpx

    corpus = read_qdpx(notes_project(tmp_path / "p.qdpx"))
    text = corpus.documents["text"][0]
    rows = {r["text"]: r for r in corpus.memos.iter_rows(named=True)}
    got = {t: (r["author"], r["date"], r["about_kind"], r["about"], r["start"], r["end"], r["code"])
           for t, r in rows.items()}
    first_day = dt.date(2024, 5, 1)
    assert got == {
        "Ik: de spreker.": ("Ben", dt.date(2024, 5, 3), "document", "I01", 0, 2, None),          # NVivo Link
        "Over dat geeft.": ("Anna", dt.date(2024, 5, 4), "document", "I01", 15, 29, None),       # QualCoder annotation
        "Werk is breed.": ("Anna", first_day, "code", "werk", None, None, None),                 # ATLAS.ti code memo
        "Week 1.": ("Ben", dt.date(2024, 5, 5), "study", None, None, None, None),                 # a journal
        "Het hele project.": ("Anna", first_day, "study", None, None, None, None),               # project description
        "Over dit interview.": ("Ben", first_day, "document", "I01", None, None, None),          # source description
        "Waarom werk.": ("Anna", dt.date(2024, 5, 2), "coding", "I01", 3, 13, "werk"),           # coding memo
        "Rust is belangrijk.": ("Ben", first_day, "document", "I01", 15, 30, None),              # MAXQDA comment
    }
    assert text[15:29] == "Dat geeft rust" and text[3:13] == "wil werken"
    assert rows["Ik: de spreker."]["memo"] == "Annotatie" and rows["Ik: de spreker."]["title"] == "Annotatie"
    assert corpus.codings.height == 1  # the comments are memos, not codings


def test_published_memos_and_the_leak_guard(processed_demo, tmp_path):
    study = impact.Study.load(processed_demo)
    shown = published_memos(study, "en")
    assert shown.columns == ["Date", "About", "Title", "Memo"]
    assert shown.select("About", "Title").rows() == [
        ("the study", "Zo codeerden we"), ("code motivatie", "Afspraak uit het overleg"),
        ("step “Buurtbaners go up the Participatieladder” of the theory of change", "Na het overleg over de ladder")]
    secret = pl.read_parquet(study.processed / "memos.parquet").filter(~pl.col("publish"))["text"].to_list()
    page, clean = tmp_path / "rapport.html", tmp_path / "schoon.html"
    page.write_text(f"<p>{secret[0].split(chr(10))[0].replace(' ', '  ')}</p>", encoding="utf-8")
    clean.write_text("<table><td>" + "</td><td>".join(shown["Memo"]) + "</td></table>", encoding="utf-8")
    assert memo_leaks(study, [page, clean]) == [str(page)]
    from impact.errors import ImpactError
    from impact.report.build import guard

    with pytest.raises(ImpactError, match="not marked for publication"):
        guard(study, [page])
