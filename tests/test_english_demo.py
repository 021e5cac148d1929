"""`--lang en`: the demo's report pages and infographic show no Dutch sentences (issue 17, "done when").

Dutch is found by counting frequent Dutch function words per sentence of the visible text. Left out,
because they stay in the study's own language: residents' words (blockquote, q, class "quote"), and
sentences that are the study's own data (codebook definitions, memos, stories, interview text: any
text value of a table in data/processed/).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from demo_build import build_demo

pytestmark = pytest.mark.slow

# Frequent Dutch words; SHARED ones are also English (or names) and count only beside a clearly Dutch one.
DUTCH = {"de", "het", "een", "van", "niet", "wordt", "worden", "zijn", "met", "voor", "bewoners", "deze", "die",
         "dat", "naar", "ook", "bij", "wie", "welke", "hoe", "wat", "hun", "uit", "aan", "meer", "geen", "heeft",
         "hebben", "kunnen", "kan", "mensen", "tussen", "nog", "alle", "maar", "onder", "waar", "keer", "vaak",
         "jaar", "stuk", "stukken", "gesprek", "gesprekken", "antwoorden", "vragenlijst", "zo", "ja", "nee", "wij",
         "in", "is", "per", "en", "of", "te", "op", "over", "als", "om", "u", "ze", "er"}
SHARED = {"in", "is", "per", "en", "of", "te", "op", "over", "als", "om", "u", "ze", "er"}
_QUIET = {"style", "script", "blockquote", "q"}
_VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "col", "source", "path", "rect", "circle", "line"}

# Dutch that code still writes into the English pages (none left; a line here needs a reason).
KNOWN: set[str] = set()


class _Visible(HTMLParser):
    """Text nodes a reader sees, outside residents' words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.quiet: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.quiet.append(tag in _QUIET or "quote" in (dict(attrs).get("class") or "").split(" ")
                              or "impact-quote" in (dict(attrs).get("class") or ""))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag not in _VOID and self.quiet:
            self.quiet.pop()

    def handle_data(self, data):
        if data.strip() and not any(self.quiet):
            self.texts.append(" ".join(data.split()))


def dutch_sentences(page: str, study_texts: str) -> list[str]:
    """Sentences of ``page``'s visible text with two or more frequent Dutch words, not from the study's data."""
    parser = _Visible()
    parser.feed(page)
    found = []
    for text in parser.texts:
        for sentence in re.split(r"(?<=[.!?:;])\s+|\s+·\s+", text):  # "(2023-10-08 · memo title)"
            words = re.findall(r"[a-zà-ÿ]+", sentence.lower())
            dutch = [w for w in words if w in DUTCH]
            if len(dutch) >= 2 and set(dutch) - SHARED and sentence.strip("()… ") not in study_texts:
                found.append(sentence)
    return found


def test_the_detector_finds_dutch_and_leaves_english_and_quotes_alone():
    page = ("<p>The share of buurtbaners with a follow-on job.</p><p>Het aandeel met een vervolgbaan.</p>"
            "<blockquote>Ik durf nu ook nee te zeggen.</blockquote><p class='impact-quote'><span>Dat is zo.</span></p>"
            "<svg><text class=\"quote\">Ik had veel stress</text><text>Aantal mensen in de buurt</text></svg>"
            "<p>Codes: werk, taal. Een stap die een ander ziet.</p>")
    assert dutch_sentences(page, "Een stap die een ander ziet.") == [
        "Het aandeel met een vervolgbaan.", "Aantal mensen in de buurt"]


@pytest.fixture(scope="module")
def english(tmp_path_factory, processed_demo) -> Path:
    root = tmp_path_factory.mktemp("english") / "studie"
    shutil.copytree(processed_demo, root)
    return build_demo(root, "en")


def _study_texts(root: Path) -> str:
    values = []
    for table in sorted((root / "data" / "processed").glob("*.parquet")):
        frame = pl.read_parquet(table)
        for column in frame.columns:
            if frame[column].dtype == pl.Utf8:
                values += [" ".join(v.split()) for v in frame[column].drop_nulls().unique().to_list()]
    return "\n".join(values)


def test_english_reports_and_infographic_show_no_dutch(english):
    study_texts = _study_texts(english.parent.parent)
    pages = sorted(p for p in english.iterdir() if p.suffix in (".html", ".svg"))
    assert len([p for p in pages if p.name.startswith("0")]) == 7 and len(pages) >= 11
    found = {p.name: sorted(set(dutch_sentences(p.read_text(encoding="utf-8"), study_texts)) - KNOWN)
             for p in pages}
    assert not any(found.values()), {k: v for k, v in found.items() if v}
