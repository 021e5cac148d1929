"""REFI-QDA: the shared fixtures, what real exports do, XSD-valid export, hostile files."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import polars as pl
import pytest

from impact.coding.corpus import Corpus
from impact.coding.qdpx import read_qdpx, write_qdpx
from impact.errors import InputError

# the shared fixtures sit beside the repository (../shared); a worktree sits one folder deeper
FIXTURES = next((p / "shared" / "fixtures" / "refi-qda" for p in Path(__file__).resolve().parents[1:]
                 if (p / "shared" / "fixtures" / "refi-qda").is_dir()), Path("/nonexistent"))
KEY = ["document", "start", "end", "code", "coder"]


def fixture(name: str) -> Path:
    path = FIXTURES / name
    if not path.is_file():
        pytest.skip(f"fixture {name} not available")
    return path


def schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(fixture("Project.xsd"))))


def validate(path: Path) -> None:
    from lxml import etree

    xsd = schema()
    doc = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
    assert xsd.validate(doc), xsd.error_log


def test_qualcoder_demo_imports_every_coding_with_the_right_text():
    path = fixture("qc-demo.qdpx")
    corpus = read_qdpx(path)
    xml = zipfile.ZipFile(path).read("project.qde").decode("utf-8")
    assert corpus.codings.height == xml.count("<Coding ") == 205
    assert sorted(corpus.documents["document"]) == ["admin-1", "board_2017"]
    assert corpus.coders["coder"].to_list() == ["cp"]
    # QualCoder names each selection after the (0-based) line it codes: the quote is that whole line
    text = dict(corpus.documents.select("document", "text").iter_rows())["board_2017"]
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    selections = re.findall(r'name="line:(\d+)" startPosition="(\d+)" endPosition="(\d+)"', xml)
    assert len(selections) == 158
    quotes = dict(((s, e), t) for s, e, t in corpus.codings.select("start", "end", "text").iter_rows())
    for line, start, end in selections:
        line, start, end = int(line), int(start), int(end)
        assert start == starts[line]
        assert quotes[(start, end)] == text[start:end]
        assert quotes[(start, end)].rstrip("\n") == lines[line][:end - start].rstrip("\n")
    first = corpus.codings.filter((pl.col("start") == 320) & (pl.col("document") == "board_2017"))
    assert first["text"][0].startswith("This district goal is engage every student in joyful")
    # a code name used twice in the tree gets its parent's name
    assert {"competencies/programming", "cs_as_programming/programming"} <= set(corpus.codes["code"])


def test_nvivo_project_imports_its_codebook_and_users():
    corpus = read_qdpx(fixture("nvivo-mac-project.qdpx"))
    assert corpus.codes.height == 262
    assert corpus.codes.filter(pl.col("code") == "rq1_definition")["parent"][0] is None
    assert corpus.codes.filter(pl.col("code") == "concepts")["parent"][0] == "rq1_definition"
    assert corpus.coders["coder"].to_list() == ["chrisp", "cp"]
    assert corpus.codings.height == 0


def test_export_validates_against_the_xsd_and_reimports_identically(tmp_path):
    demo = read_qdpx(fixture("qc-demo.qdpx"))
    out = write_qdpx(demo, tmp_path / "uit.qdpx")
    validate(out)
    again = read_qdpx(out)
    assert again.codings.sort(KEY).equals(demo.codings.sort(KEY))
    assert again.codes.sort("code").equals(demo.codes.sort("code"))
    assert again.documents.sort("document").equals(demo.documents.sort("document"))
    # same corpus, same bytes
    assert write_qdpx(again, tmp_path / "twee.qdpx").read_bytes() == out.read_bytes()


def test_metadata_and_folder_codes_survive_the_round_trip(tmp_path):
    import datetime as dt

    docs = pl.DataFrame({"document": ["I01", "I02"], "text": ["Ik wil werken.\n\nJa.", "Formeel € gesprek"],
                         "date": [dt.date(2023, 5, 12), dt.date(2023, 6, 1)], "actor_type": ["informal", "formal"],
                         "consent": [True, False], "district": [None, None]}, schema_overrides={"district": pl.Utf8})
    codes = pl.DataFrame({"code": ["ontwikkeling", "motivatie", "werk"], "parent": [None, "ontwikkeling", None],
                          "definition": [None, "Wat iemand drijft.", None], "codable": [False, True, True]})
    codings = pl.DataFrame({"document": ["I01", "I01", "I02"], "start": [0, 7, 8], "end": [14, 13, 9],
                            "code": ["motivatie", "werk", "werk"], "coder": ["p_aa", "p_bb", "p_aa"]})
    corpus = Corpus.from_tables(docs, codings, codes=codes)
    out = write_qdpx(corpus, tmp_path / "s.qdpx")
    validate(out)
    back = read_qdpx(out)
    assert back.documents.equals(docs)
    assert back.codings.sort(KEY).equals(corpus.codings.sort(KEY))
    assert back.codings.filter(pl.col("document") == "I02")["text"].to_list() == ["€"]
    assert back.codes.sort("code").select("code", "parent", "definition", "codable").equals(
        corpus.codes.sort("code").select("code", "parent", "definition", "codable"))


def make_qdpx(path: Path, project: str, files: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return path


G = "{:08d}-0000-4000-8000-000000000000".format


def project(sources: str, codes: str | None = None, users: str = "") -> str:
    codes = codes if codes is not None else (
        f'<Code guid="{G(1)}" name="Thema" isCodable="false">'
        f'<Code guid="{{{G(2).upper()}}}" name="werk" isCodable="true"/></Code>')
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
            f'<Users><User guid="{G(9)}" name="Anna"/>{users}</Users>'
            f'<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources></Project>')


def test_what_real_exports_do(tmp_path):
    # CRLF text, GUIDs with braces and other case, Sources/ folder, plainTextPath without internal://,
    # a selection with only a Description, folder codes, text inside the XML
    crlf = "Regel een.\r\nIk wil werken.\r\n".encode("utf-8-sig")
    sources = (
        f'<TextSource guid="{{{G(3)}}}" name="I01" plainTextPath="I01.txt">'
        f'<PlainTextSelection guid="{G(4)}" startPosition="11" endPosition="25" creatingUser="{{{G(9).upper()}}}">'
        f'<Coding guid="{G(5)}" creatingUser="{G(9)}"><CodeRef targetGUID="{G(2)}"/></Coding></PlainTextSelection>'
        f'<PlainTextSelection guid="{G(6)}" startPosition="0" endPosition="5"><Description>memo</Description>'
        f'</PlainTextSelection></TextSource>'
        f'<TextSource guid="{G(7)}" name="I02"><PlainTextContent>Alleen hier.</PlainTextContent>'
        f'<PlainTextSelection guid="{G(8)}" startPosition="0" endPosition="6">'
        f'<Coding guid="{G(10)}" creatingUser="{G(9)}"><CodeRef targetGUID="{{{G(2)}}}"/></Coding>'
        f'</PlainTextSelection></TextSource>')
    path = make_qdpx(tmp_path / "p.qdpx", project(sources), {"Sources/I01.txt": crlf})
    corpus = read_qdpx(path)
    assert corpus.codings.select("document", "start", "end", "code", "coder", "text").rows() == [
        ("I01", 11, 25, "werk", "Anna", "Ik wil werken."), ("I02", 0, 6, "werk", "Anna", "Alleen")]
    assert corpus.codes.select("code", "parent", "codable").rows() == [("Thema", None, False), ("werk", "Thema", True)]
    # internal:// and sources/ work as well
    same = project(sources.replace('plainTextPath="I01.txt"', 'plainTextPath="internal://I01.txt"'))
    assert read_qdpx(make_qdpx(tmp_path / "q.qdpx", same, {"sources/I01.txt": crlf})).codings.height == 2


def test_a_codebook_file_qdc(tmp_path):
    qdc = tmp_path / "boek.qdc"
    qdc.write_text(f'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f'<Code guid="{G(1)}" name="vertrouwen" isCodable="true"><Description>Op iemand rekenen.'
                   f'</Description></Code></Codes></CodeBook>', encoding="utf-8")
    corpus = read_qdpx(qdc)
    assert corpus.codes.select("code", "definition").rows() == [("vertrouwen", "Op iemand rekenen.")]


def sel(start: int, end: int, target: str) -> str:
    return (f'<TextSource guid="{G(3)}" name="I01"><PlainTextContent>Kort.</PlainTextContent>'
            f'<PlainTextSelection guid="{G(4)}" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{G(5)}" creatingUser="{G(9)}"><CodeRef targetGUID="{target}"/></Coding>'
            f'</PlainTextSelection></TextSource>')


@pytest.mark.parametrize("name, project_xml, files, expected", [
    ("malformed", "<Project xmlns='urn:QDA-XML:project:1.0'><Users>", {}, "not valid XML"),
    ("entity", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>', {}, "DTD or entity"),
    ("billion", '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                '<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>', {}, "DTD or entity"),
    ("climbs", project(""), {"../../evil.txt": b"x"}, "points outside"),
    ("absolute", project(""), {"/tmp/evil.txt": b"x"}, "points outside"),
    ("past-end", project(sel(2, 50, G(2))), {}, "within the text (length 5)"),
    ("missing-code", project(sel(0, 4, G(77))), {}, "a code from the project's codebook"),
])
def test_hostile_or_broken_files_give_a_clear_error_and_do_no_harm(tmp_path, name, project_xml, files, expected):
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    path = make_qdpx(tmp_path / f"{name}.qdpx", project_xml, files)
    with pytest.raises(InputError) as err:
        read_qdpx(path)
    message = err.value.render("en")
    assert expected in message and f"{name}.qdpx" in message
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.qdpx"]


def test_broken_codings_can_be_listed_instead(tmp_path):
    path = make_qdpx(tmp_path / "p.qdpx", project(sel(2, 50, G(2))))
    corpus = read_qdpx(path, strict=False)
    assert corpus.codings.height == 0
    assert [p.column for p in corpus.problems] == ["startPosition"]


def test_not_a_zip_file(tmp_path):
    path = tmp_path / "x.qdpx"
    path.write_text("hallo")
    with pytest.raises(InputError, match="zip"):
        read_qdpx(path)
