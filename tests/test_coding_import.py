"""Bringing other tools' work in: who is who (users -> person_ids), code trees with their parents and groups,
the quote check shown before anything is written, and Taguette (an ambiguous highlight, its project export
and its .qdc codebook)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from impact.coding.cli import app
from impact.study import init_study

from test_coding_qdpx import G, make_qdpx  # noqa: E402  (tests/ is on sys.path)
PEOPLE = ("person_id,name,role,actor_type,district\nBB03,Anna de Vries,key_person,informal,West\n"
          "BB07,Ben Bakker,key_person,informal,West\nBB09,Cor Smit,buurtbaner,informal,West\n")
TRANSCRIPT = "---\ninterview: I01\n---\nIk wil werken. Café 😀 open.\n\nDat geeft rust. Ik wil werken.\n"
TEXT = TRANSCRIPT.split("---\n", 2)[2].strip("\n")


@pytest.fixture
def study(tmp_path):
    s = init_study(tmp_path / "studie", districts=["West"])
    (s.raw / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (s.raw / "transcripts" / "I01.md").write_text(TRANSCRIPT, encoding="utf-8")
    (s.raw / "codebook.yaml").write_text("codes:\n  - code: rust\n", encoding="utf-8")
    return s


def run(*args, lang="en"):
    result = CliRunner().invoke(app, [*map(str, args), "--lang", lang])
    return result.exit_code, " ".join(result.output.split())


def tree_project(path: Path, origin: str = "ATLAS.ti 23.2.1 (Windows)") -> Path:
    """An ATLAS.ti-style project: a code tree (folder > code > code), a code group, two users of which one is
    the tool itself; CRLF text; positions in UTF-16 units with a line break counted as 1."""
    text = TEXT.replace("\n", "\r\n")
    counted = TEXT  # ATLAS.ti: CRLF counts 1

    def units(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    spans = []
    for n, (quote, user) in enumerate([("Ik wil werken", 9), ("open", 8), ("Dat geeft rust", 9)]):
        at = counted.index(quote)
        spans.append(f'<PlainTextSelection guid="{G(100 + n)}" startPosition="{units(counted[:at])}" '
                     f'endPosition="{units(counted[:at + len(quote)])}"><Coding guid="{G(200 + n)}" '
                     f'creatingUser="{G(user)}"><CodeRef targetGUID="{G(3)}"/></Coding></PlainTextSelection>')
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="atlas" '
           f'origin="{origin}"><Users><User guid="{G(9)}" name="Anna"/><User guid="{G(8)}" name="ATLAS.ti"/></Users>'
           f'<CodeBook><Codes><Code guid="{G(1)}" name="Thema" isCodable="false">'
           f'<Code guid="{G(2)}" name="werk" isCodable="true"><Description>Over werk.</Description>'
           f'<Code guid="{G(3)}" name="betaald werk" isCodable="true"/></Code></Code></Codes></CodeBook>'
           f'<Sources><TextSource guid="{G(4)}" name="I01" plainTextPath="internal://{G(4)}.txt">{"".join(spans)}'
           f'</TextSource></Sources><Sets><Set guid="{G(5)}" name="contradicts"><MemberCode targetGUID="{G(3)}"/>'
           f'</Set></Sets></Project>')
    return make_qdpx(path, xml, {f"sources/{G(4)}.txt": ("\ufeff" + text).encode("utf-8")})


def test_without_coder_nothing_is_written_and_the_users_are_listed(study, tmp_path):
    project = tree_project(tmp_path / "atlas.qdpx")
    before = sorted(p.relative_to(study.root) for p in study.raw.rglob("*"))
    code, out = run("import", "qdpx", project, "--study", study.root, "--add-codes")
    assert code == 1
    assert "Anna: 2 codings" in out and "ATLAS.ti (the tool itself): 1 codings" in out
    assert "".join(f'impact import qdpx "{project}" --coder "Anna=<person_id>" --coder "ATLAS.ti=<person_id>"'
                   .split()) in out.replace(" ", "")
    assert sorted(p.relative_to(study.root) for p in study.raw.rglob("*")) == before
    # a --coder that is not a person of the study is refused too
    code, out = run("import", "qdpx", project, "--study", study.root, "--add-codes", "--coder", "Anna=XX99")
    assert code == 1 and "value 'XX99'; expected a person_id from people.csv" in out


def test_add_codes_brings_parents_and_groups_and_the_tool_user_goes_to_the_one_person(study, tmp_path):
    from impact.coding import load_codebook, load_codings, load_transcripts

    project = tree_project(tmp_path / "atlas.qdpx")
    code, out = run("import", "qdpx", project, "--study", study.root, "--add-codes", "--coder", "Anna=BB03")
    assert code == 0, out
    book, problems = load_codebook(study)
    assert problems == []  # no unknown parents any more
    rows = {r["code"]: (r["parent"], r["definition"], r["tags"]) for r in book.iter_rows(named=True)}
    assert rows == {"rust": (None, None, []), "betaald_werk": ("werk", None, ["contradicts"]),
                    "werk": ("thema", "Over werk.", []), "thema": (None, None, [])}
    transcripts, _ = load_transcripts(study)
    codings, problems = load_codings(study, transcripts, book)
    assert problems == []
    # every quote right (CRLF counted 1, an emoji 2 units), every coding BB03's (ATLAS.ti's went to Anna)
    assert codings.select("text", "code", "coder").rows() == [
        ("Ik wil werken", "betaald_werk", "BB03"), ("open", "betaald_werk", "BB03"),
        ("Dat geeft rust", "betaald_werk", "BB03")]
    assert "Positions read as utf16" in out and "the project comes from ATLAS.ti" in out


def test_the_quote_check_shows_quotes_and_warns_before_writing(study, tmp_path):
    project = tree_project(tmp_path / "atlas.qdpx")
    # read with the wrong rule: the check warns, names the better rule, and --check writes nothing
    before = sorted(p.relative_to(study.root) for p in study.raw.rglob("*"))
    code, out = run("import", "qdpx", project, "--study", study.root, "--positions", "codepoints+crlf2", "--check")
    assert code == 0 and "Only checked (--check): nothing was saved." in out
    assert "Check that these quotes are right (3 of 3): I01 #betaald werk (Anna): “Ik wil werken” " \
           "I01 #betaald werk (ATLAS.ti): “pen.”" in out  # shifted after the emoji and the CRLF
    assert "Careful: 2 of the 3 selections start or end inside a word" in out
    assert "I01 23-27 #betaald werk: …wil werken. Café 😀 o[pen.] Dat geeft rust. Ik…" in out
    assert "Try again with --positions utf16" in out
    assert sorted(p.relative_to(study.root) for p in study.raw.rglob("*")) == before
    # an unknown tool: the rule that fits the words is chosen and named, the quotes shown with code and user
    unknown = tree_project(tmp_path / "onbekend.qdpx", origin="Quirkos 2.5")
    code, out = run("import", "qdpx", unknown, "--study", study.root, "--check")
    assert "Positions read as utf16: UTF-16 code units" in out
    assert "the tool is unknown; under this rule the selections fall on word boundaries" in out
    assert "6 of 6 start and end points fall on a word boundary" in out
    assert "I01 #betaald werk (Anna): “Ik wil werken”" in out and "I01 #betaald werk (ATLAS.ti): “open”" in out
    assert "Careful" not in out


# --- Taguette ----------------------------------------------------------------------------------

def test_an_ambiguous_taguette_highlight_is_reported_with_both_places(study, tmp_path):
    highlights = tmp_path / "highlights.csv"
    highlights.write_text("id,document,tag,content\n7,I01.docx,werk,Ik wil werken.\n8,I01,rust,Dat geeft rust.\n",
                          encoding="utf-8")
    first, second = TEXT.index("Ik wil werken."), TEXT.rindex("Ik wil werken.")
    code, out = run("import", "taguette", highlights, "--coder", "BB09", "--study", study.root, "--add-codes")
    assert code == 1
    assert (f"it occurs 2 times: 1: characters {first}-{first + 14} (line 1); "
            f"2: characters {second}-{second + 14} (line 3)") in out
    assert "Choose the place with --occurrence 7=1 (or =2), or import Taguette's project export (.sqlite3)" in out
    assert not (study.raw / "codings" / "highlights.csv").exists()
    code, out = run("import", "taguette", highlights, "--coder", "BB09", "--occurrence", "7=2", "--study",
                    study.root, "--add-codes")
    assert code == 0, out
    table = pl.read_csv(study.raw / "codings" / "highlights.csv")
    assert table.rows() == [("I01", second, second + 14, "werk", "BB09"),
                            ("I01", TEXT.index("Dat"), TEXT.index("Dat") + 15, "rust", "BB09")]


def test_taguettes_qdc_codebook_is_accepted(study, tmp_path):
    from impact.coding import load_codebook

    qdc = tmp_path / "codebook.qdc"
    qdc.write_text('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
                   'origin="Taguette 1.4.1"><Codes><Code guid="8E4C1BB8-2A9E-5F2B-9F26-7F5E3E1D6C11" '
                   'name="Eigen kracht" isCodable="true"></Code><Code guid="0B1F7A5E-61E4-5B1D-A0F2-9C8E2A3D4B55" '
                   'name="rust" isCodable="true"></Code></Codes><Sets></Sets></CodeBook>', encoding="utf-8")
    highlights = tmp_path / "h.csv"
    highlights.write_text("id,document,tag,content\n1,I01,Eigen kracht,Dat geeft rust.\n", encoding="utf-8")
    code, out = run("import", "taguette", highlights, "--coder", "BB09", "--codebook", qdc, "--study", study.root,
                    "--add-codes")
    assert code == 0, out
    book, problems = load_codebook(study)
    assert problems == [] and sorted(book["code"]) == ["eigen_kracht", "rust"]


def taguette_sqlite(path: Path) -> Path:
    """A Taguette project export with Taguette's own schema (taguette/database/models.py): documents as HTML,
    highlights with UTF-8 byte offsets over the text nodes, tags with a parent, highlight_tags, and the command
    log that names who made each highlight."""
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE users (login VARCHAR(30) PRIMARY KEY, created DATETIME NOT NULL, hashed_password VARCHAR(192),
            password_set_date DATETIME, language VARCHAR(10), email VARCHAR(256), email_sent DATETIME);
        CREATE TABLE projects (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL,
            description TEXT NOT NULL, created DATETIME NOT NULL);
        CREATE TABLE project_members (project_id INTEGER NOT NULL, user_login VARCHAR(30) NOT NULL,
            privileges VARCHAR(10) NOT NULL, PRIMARY KEY (project_id, user_login));
        CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL,
            description TEXT NOT NULL, filename VARCHAR(200) NOT NULL, created DATETIME NOT NULL,
            project_id INTEGER NOT NULL, text_direction VARCHAR(13) NOT NULL, contents TEXT NOT NULL);
        CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, date DATETIME NOT NULL,
            user_login VARCHAR(30) NOT NULL, project_id INTEGER NOT NULL, document_id INTEGER, payload TEXT NOT NULL);
        CREATE TABLE highlights (id INTEGER PRIMARY KEY AUTOINCREMENT, document_id INTEGER NOT NULL,
            start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, snippet TEXT NOT NULL);
        CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL,
            path VARCHAR(200) NOT NULL, description TEXT NOT NULL, parent_id INTEGER);
        CREATE TABLE highlight_tags (highlight_id INTEGER NOT NULL, tag_id INTEGER NOT NULL,
            PRIMARY KEY (highlight_id, tag_id));
    """)
    html = "<p>Ik wil werken. Caf&eacute; 😀 open.</p><p>Dat geeft rust. <b>Ik wil</b> werken.</p>"
    plain = "Ik wil werken. Café 😀 open.Dat geeft rust. Ik wil werken."  # text nodes only, as Taguette counts

    def byte(s: str) -> int:
        return len(s.encode("utf-8"))

    db.execute("INSERT INTO users VALUES ('admin', '2024-01-01', NULL, NULL, NULL, NULL, NULL)")
    db.execute("INSERT INTO projects VALUES (1, 'Buurt', '', '2024-01-01')")
    db.execute("INSERT INTO documents VALUES (1, 'I01.docx', '', 'I01.docx', '2024-01-01', 1, 'LEFT_TO_RIGHT', ?)",
               (html,))
    db.execute("INSERT INTO tags VALUES (1, 1, 'Thema', '', NULL), (2, 1, 'Werk', 'Over werk.', 1), "
               "(3, 1, 'rust', '', NULL)")
    second = plain.rindex("Ik wil werken.")
    cafe = plain.index("Café 😀 open")
    for hid, start, end, tag, date in [(1, byte(plain[:second]), byte(plain[:second + 13]), 2, "2024-02-01"),
                                       (2, byte(plain[:cafe]), byte(plain[:cafe + 11]), 3, "2024-02-02")]:
        db.execute("INSERT INTO highlights VALUES (?, 1, ?, ?, '')", (hid, start, end))
        db.execute("INSERT INTO highlight_tags VALUES (?, ?)", (hid, tag))
        db.execute("INSERT INTO commands (date, user_login, project_id, document_id, payload) VALUES (?, 'admin', 1, 1, ?)",
                   (date, json.dumps({"type": "highlight_add", "highlight_id": hid, "start_offset": start,
                                      "end_offset": end, "tags": [tag]})))
    db.commit()
    db.close()
    return path


def test_taguettes_project_export_gives_real_places_and_users(study, tmp_path):
    from impact.coding import load_codebook, load_codings, load_transcripts
    from impact.coding.taguette import read_taguette_sqlite

    path = taguette_sqlite(tmp_path / "2024-03-01_Buurt.sqlite3")
    corpus = read_taguette_sqlite(path)
    assert corpus.documents.rows() == [("I01.docx", "Ik wil werken. Café 😀 open.\n\nDat geeft rust. Ik wil werken.")]
    assert corpus.codings.select("code", "coder", "text").rows() == [
        ("werk", "admin", "Ik wil werken"), ("rust", "admin", "Café 😀 open")]
    assert corpus.codes.select("code", "parent", "definition").rows() == [
        ("thema", None, None), ("werk", "thema", "Over werk."), ("rust", None, None)]
    # into the study: "admin" (Taguette's name for every user in an export) must be mapped; the second
    # "Ik wil werken" is placed where Taguette put it, not at the first occurrence
    code, out = run("import", "taguette", path, "--study", study.root, "--add-codes")
    assert code == 1 and "admin (the tool itself): 2 codings" in out
    code, out = run("import", "taguette", path, "--coder", "admin=BB07", "--study", study.root, "--add-codes")
    assert code == 0, out
    book, _ = load_codebook(study)
    transcripts, _ = load_transcripts(study)
    codings, problems = load_codings(study, transcripts, book)
    assert problems == []
    assert codings.select("start", "code", "coder", "text").rows() == [
        (TEXT.index("Café"), "rust", "BB07", "Café 😀 open"), (TEXT.rindex("Ik wil"), "werk", "BB07", "Ik wil werken")]


def test_a_file_that_is_not_a_taguette_export(study, tmp_path):
    path = tmp_path / "leeg.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE x (a)").connection.close()
    code, out = run("import", "taguette", path, "--coder", "BB09", "--study", study.root)
    assert code == 1 and "this is not a Taguette project export" in out
