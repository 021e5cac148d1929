"""REFI-QDA positions per tool: hand-made NVivo (Windows), ATLAS.ti and MAXQDA projects with CRLF, a BOM
and emoji give every quote right; a project of unknown origin says which rule it used; export writes
positions the way the target counts them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polars as pl
import pytest

from impact.coding.corpus import Corpus
from impact.coding.positions import PositionMap, PositionRule, choose_rule, parse_rule, rule_for_origin
from impact.coding.qdpx import read_qdpx, write_qdpx
from impact.errors import InputError

# emoji outside the BMP (two UTF-16 units each; 👍🏽 is two code points, four units), line breaks, a blank line
TEXT = ("Interviewer: Hoe gaat het? 😀\n\nBewoner: Goed! Ik wil graag werken 👍🏽 in de buurt.\n"
        "Dat geeft rust.\n\nInterviewer: Dank u 🙏 en tot ziens.")
QUOTES = ["Hoe gaat het?", "Goed!", "Ik wil graag werken", "in de buurt", "Dat geeft rust", "Dank u", "tot ziens",
          "werken 👍🏽 in", "rust.\n\nInterviewer"]
from test_coding_qdpx import G, make_qdpx  # noqa: E402  (tests/ is on sys.path)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# How each tool counts, written out independently of impact.coding.positions: the string the tool counts in
# (the file's text is always UTF-8 with a BOM and CRLF line endings, as these tools write it on Windows).
STYLES = {
    # NVivo (Windows, .NET): UTF-16 units over the text as stored, BOM and CR included
    "nvivo": ("NVivo 14.23.2.2 (Windows)", lambda t: "\ufeff" + t.replace("\n", "\r\n")),
    # ATLAS.ti: UTF-16 units, a line break counts 1 (the file has CRLF, ATLAS.ti counts it as one)
    "atlas": ("ATLAS.ti 23.2.1 (Windows)", lambda t: t),
    # MAXQDA: UTF-16 units over the text as stored, CRLF 2, the BOM not counted
    "maxqda": ("MAXQDA 2022 (Release 22.7.0)", lambda t: t.replace("\n", "\r\n")),
}


def vendor_project(path: Path, style: str, origin: str | None, quotes=QUOTES, users: str = "") -> Path:
    counted = STYLES[style][1](TEXT)
    selections = []
    for n, quote in enumerate(quotes):
        at = counted.index(quote.replace("\n", "\r\n") if style in ("nvivo", "maxqda") else quote)
        end = at + len(quote.replace("\n", "\r\n") if style in ("nvivo", "maxqda") else quote)
        start, stop = utf16_units(counted[:at]), utf16_units(counted[:end])
        selections.append(
            f'<PlainTextSelection guid="{G(100 + n)}" startPosition="{start}" endPosition="{stop}">'
            f'<Coding guid="{G(200 + n)}" creatingUser="{G(9)}"><CodeRef targetGUID="{G(2)}"/></Coding>'
            f'</PlainTextSelection>')
    head = f' origin="{origin}"' if origin else ""
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t"{head}>'
           f'<Users><User guid="{G(9)}" name="Anna"/>{users}</Users>'
           f'<CodeBook><Codes><Code guid="{G(2)}" name="werk" isCodable="true"/></Codes></CodeBook>'
           f'<Sources><TextSource guid="{G(3)}" name="I01" plainTextPath="internal://{G(3)}.txt">'
           f'{"".join(selections)}</TextSource></Sources></Project>')
    return make_qdpx(path, xml, {f"sources/{G(3)}.txt": ("\ufeff" + TEXT.replace("\n", "\r\n")).encode("utf-8")})


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_tool_gives_every_quote_right(tmp_path, style):
    corpus = read_qdpx(vendor_project(tmp_path / f"{style}.qdpx", style, STYLES[style][0]))
    assert corpus.documents["text"].to_list() == [TEXT]  # no BOM, no CR
    assert corpus.codings["text"].to_list() == QUOTES
    for (start, end, quote) in corpus.codings.select("start", "end", "text").iter_rows():
        assert TEXT[start:end] == quote
    assert corpus.source["how"] == "origin" and corpus.source["inexact"] == 0


@pytest.mark.parametrize("style, rule", [("nvivo", "utf16+crlf2+bom"), ("atlas", "utf16"), ("maxqda", "utf16+crlf2")])
def test_unknown_origin_chooses_the_rule_that_fits_the_words_and_says_so(tmp_path, style, rule):
    corpus = read_qdpx(vendor_project(tmp_path / f"{style}.qdpx", style, None))
    assert corpus.codings["text"].to_list() == QUOTES
    assert corpus.source["how"] == "chosen" and corpus.source["rule"].name == rule
    best, second = corpus.source["scores"][:2]
    assert best == (rule, 18, 18) and second[1] < 18


def test_the_old_reading_was_wrong_for_nvivo(tmp_path):
    """Code points over the LF text (the reading before per-tool rules) shifts every quote of an NVivo project."""
    corpus = read_qdpx(vendor_project(tmp_path / "n.qdpx", "nvivo", "NVivo 14"), positions="codepoints",
                       strict=False)
    got = corpus.codings["text"].to_list()
    assert len(got) == len(QUOTES) - 1 and [p.column for p in corpus.problems] == ["startPosition"]  # past the end
    assert all(q not in got for q in QUOTES)
    # ... and the reader says the tool's own rule fits the words much better
    assert corpus.source["better_rule"] == "utf16+crlf2+bom"


def test_a_wrong_origin_is_flagged_not_silently_trusted(tmp_path):
    corpus = read_qdpx(vendor_project(tmp_path / "m.qdpx", "nvivo", "MAXQDA 2022"))
    assert corpus.source["how"] == "origin" and corpus.source["better_rule"] == "utf16+crlf2+bom"


def test_tool_pseudo_user_is_not_a_coder(tmp_path):
    path = vendor_project(tmp_path / "a.qdpx", "atlas", "ATLAS.ti 9", users=f'<User guid="{G(8)}" name="ATLAS.ti"/>')
    corpus = read_qdpx(path)
    assert corpus.coders["coder"].to_list() == ["Anna"]
    assert corpus.source["tool_users"] == ["ATLAS.ti"]


def test_position_map_edges():
    rule = parse_rule("utf16+crlf2+bom")
    pm = PositionMap("\ufeffA😀\r\nB\rC", rule)
    assert pm.text == "A😀\nB\nC"
    assert list(pm.bounds) == [1, 2, 4, 6, 7, 8, 9]
    assert pm.to_offset(4) == (2, True)            # the CR of CRLF starts the line break
    assert pm.to_offset(5) == (2, False)           # between CR and LF: not exact, moved back
    assert pm.to_offset(5, end=True) == (3, False)  # ... an end moves forward
    assert pm.to_offset(3) == (1, False)           # inside the emoji's surrogate pair
    assert pm.to_offset(10) == (None, False)
    assert [pm.from_offset(k) for k in range(len(pm.text) + 1)] == [1, 2, 4, 6, 7, 8, 9]
    plain = PositionMap("A😀\nB", PositionRule())
    assert list(plain.bounds) == [0, 1, 2, 3, 4]


def test_rules_by_origin_and_by_name():
    assert rule_for_origin("NVivo 12 Pro")[0].name == "utf16+crlf2+bom"
    assert rule_for_origin("NVivo for Mac 15.0.0")[0].name == "utf16+crlf2"
    assert rule_for_origin("MAXQDA 2020")[0].name == "utf16+crlf2"
    assert rule_for_origin("QualCoder 3.5")[0].name == "codepoints"
    assert rule_for_origin("impact 0.1; positions=utf16+bom")[0].name == "utf16+bom"
    assert rule_for_origin("Transana 4") == (None, None)
    assert parse_rule("nvivo").name == "utf16+crlf2+bom"
    with pytest.raises(InputError, match="codepoints or utf16"):
        parse_rule("bytes")
    assert choose_rule([("Ik wil werken.", [(3, 6)])])[0] == PositionRule()  # a tie: the standard's rule


@pytest.mark.parametrize("target", ["codepoints", "utf16", "utf16+crlf2+bom", "maxqda", "atlas.ti"])
def test_export_writes_positions_the_way_the_target_counts(tmp_path, target):
    at = {q: TEXT.index(q) for q in QUOTES}
    codings = pl.DataFrame({"document": ["I01"] * len(QUOTES), "start": [at[q] for q in QUOTES],
                            "end": [at[q] + len(q) for q in QUOTES], "code": ["werk"] * len(QUOTES),
                            "coder": ["p_aa"] * len(QUOTES)})
    corpus = Corpus.from_tables(pl.DataFrame({"document": ["I01"], "text": [TEXT]}), codings)
    out = write_qdpx(corpus, tmp_path / "uit.qdpx", positions=target)
    rule = parse_rule(target)
    archive = zipfile.ZipFile(out)
    stored = next(archive.read(n) for n in archive.namelist() if n.startswith("sources/")).decode("utf-8")
    assert stored.startswith("\ufeff") == rule.bom and ("\r\n" in stored) == rule.crlf2
    # the positions, counted independently in the written text
    import re

    xml = archive.read("project.qde").decode("utf-8")
    assert f"positions={rule.name}" in xml
    spans = [(int(a), int(b)) for a, b in re.findall(r'startPosition="(\d+)" endPosition="(\d+)"', xml)]

    def count(s: str) -> int:
        return utf16_units(s) if rule.utf16 else len(s)

    expected = sorted((count(stored[:stored.index(q.replace("\n", "\r\n") if rule.crlf2 else q)]),
                       count(stored[:stored.index(q.replace("\n", "\r\n") if rule.crlf2 else q)
                                    + len(q.replace("\n", "\r\n") if rule.crlf2 else q)]))
                      for q in QUOTES)
    assert sorted(spans) == expected
    back = read_qdpx(out)
    assert back.source["rule"] == rule
    assert sorted(back.codings["text"].to_list()) == sorted(QUOTES)
