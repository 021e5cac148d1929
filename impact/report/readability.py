"""How easy a report page is to read: Flesch-Douma on the page's own sentences.

Flesch-Douma is the Dutch form of the Flesch reading ease (Douma, 1960):

    score = 206.835 - 0.93 * (words per sentence) - 77 * (syllables per word)

60 or more is plain language for most adults (about B1); below 30 is hard.
Syllables come from the Dutch hyphenation dictionary of ``pyphen``
(nl_NL): a word has one syllable more than it has hyphenation points. A
number counts one syllable per digit (a reader says "vier-en-twin-tig").

The prose of a page is what impact writes for readers: takeaways, notes,
paragraphs, chart descriptions and the explanation of the figures. Tables,
chart labels, headings, the line that says what the report is about (study,
district, period), the names and source tables of the figures, and quotes
(people's own words) are left out.

Example (6 words in 2 sentences, 7 syllables: re-gent has two):
    >>> flesch_douma("Ik ga naar huis. Het regent.")  # 206.835 - 0.93 * 6/2 - 77 * 7/6
    114.2
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

_PROSE = re.compile(
    r'<(p|figcaption|li)\b([^>]*)>(.*?)</\1>', re.S)
_WANTED = re.compile(r'class="[^"]*\b(takeaway|impact-note|description)\b')
_SENTENCE_END = re.compile(r"[.!?;]+(?:\s+|$)")
_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.U)


@lru_cache(maxsize=1)
def _dictionary():
    try:
        import pyphen
    except ImportError as exc:  # pragma: no cover - pyphen is a dependency
        raise RuntimeError("pyphen is needed to count syllables (pip install pyphen)") from exc
    return pyphen.Pyphen(lang="nl_NL")


def syllables(word: str) -> int:
    """Syllables of one Dutch word (digits: one each)."""
    if word[0].isdigit():
        return max(1, sum(ch.isdigit() for ch in word))
    return len(_dictionary().positions(word.lower())) + 1


@dataclass(frozen=True)
class Score:
    score: float
    sentences: int
    words: int
    syllables: int


def measure(text: str) -> Score:
    """Flesch-Douma of ``text`` with its counts."""
    sentences = [s for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    if not sentences or not words:
        return Score(0.0, 0, 0, 0)
    n_syll = sum(syllables(w) for w in words)
    score = 206.835 - 0.93 * len(words) / len(sentences) - 77 * n_syll / len(words)
    return Score(round(score, 1), len(sentences), len(words), n_syll)


def flesch_douma(text: str) -> float:
    """The Flesch-Douma score of ``text`` (higher is easier; aim for 60 or more)."""
    return measure(text).score


def page_prose(page: str) -> str:
    """The sentences impact wrote on a report page (see the module text), as plain text."""
    main = page[page.find("<main"):page.rfind("</main>")] if "<main" in page else page
    main = re.sub(r"<svg\b.*?</svg>", "", main, flags=re.S)
    main = re.sub(r"<nav\b.*?</nav>", "", main, flags=re.S)
    main = re.sub(r'<p class="[^"]*impact-scope[^"]*".*?</p>', "", main, flags=re.S)  # study, district, period
    main = re.sub(r"<blockquote\b.*?</blockquote>", "", main, flags=re.S)
    main = re.sub(r'<sup class="fn">.*?</sup>', "", main, flags=re.S)
    # a figure's name (a term, like a heading) and its source tables (a reference) are not sentences
    main = re.sub(r'<li id="cijfer-[^"]*"><strong>.*?</strong>', "<li>", main, flags=re.S)
    main = re.sub(r'<span class="source">.*?</span>', "", main, flags=re.S)
    main = re.sub(r"<table\b.*?</table>", "", main, flags=re.S)
    parts = []
    for tag, attrs, inner in _PROSE.findall(main):
        in_prose = tag == "li" or _WANTED.search(attrs)
        if tag == "p" and not in_prose:
            in_prose = True  # paragraphs of notes, prose pieces and markdown text
        if tag == "figcaption" and "description" not in attrs:
            continue
        if in_prose:
            text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
            if text:
                parts.append(text if text[-1] in ".!?" else text + ".")
    return " ".join(parts)
