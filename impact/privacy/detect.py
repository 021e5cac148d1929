"""Find personal data in text: one docdeid pipeline of detectors, shared by the
redactor (transcripts, before processing) and the publish guard (reports,
before publishing), so both agree on what counts as personal data.

Every detector is a docdeid annotator in one ``docdeid.DocDeid`` pipeline,
declared once in ``build_pipeline``. The redactor puts deduce's name and
place annotators in front of them (``impact.privacy.redact``); the guard and
``find_pii`` run the same detectors without deduce. Light on purpose: only
``re``, ``unicodedata``, python-stdnum and docdeid (no deduce), so the
publish guard starts fast.

Kinds, their tags and the rule of each detector:

======================  ====================  ======================================
kind                    tag                   rule
======================  ====================  ======================================
``name``                ``[NAAM]``            names and spellings from the register;
                                              (redactor) deduce's names
``phone``               ``[TELEFOON]``        Dutch numbers as people write them
                                              (10 digits, ``+31``/``0031``, area
                                              code in brackets, ``(0)``, any
                                              spaces, dashes, dots); ``+`` and a
                                              country code with 10-15 digits
``email``               ``[EMAIL]``           ``iemand@domein.nl``
``iban``                ``[IBAN]``            ISO 13616 checksum (python-stdnum);
                                              Dutch-shaped numbers even when it fails
``bsn``                 ``[BSN]``             9 digits passing the elfproef
                                              (python-stdnum), or any 8-9 digits
                                              after "BSN"/"burgerservicenummer"
``postcode``            ``[POSTCODE]``        ``1234 AB`` (python-stdnum's rule)
``address``             ``[ADRES]``           street name with a Dutch street
                                              suffix plus house number, or any
                                              name plus number after "woont op",
                                              "adres" and the like
``age``                 ``[LEEFTIJD]``        "45 jaar oud", "45-jarige", "ik ben 45"
``birth_date``          ``[GEBOORTEDATUM]``   a date after "geboren (op)"
``plate``               ``[KENTEKEN]``        Dutch licence plates (sidecodes 1-14,
                                              with dashes; any after "kenteken")
``handle``              ``[ACCOUNT]``         ``@naam`` and profile links of social
                                              media
``place``               ``[PLAATS]``          (redactor, deduce) a town or city
``term``                ``[WEG]``             the study's own words to redact
======================  ====================  ======================================

The overlap rule (``merge_hits``), the one rule for every detector and for
deduce: annotations that overlap become one span that covers them all
(rather too much hidden than too little); it takes the kind of the longest
annotation, on a tie the kind that comes first in ``PRIORITY`` (then the
source that comes first in ``SOURCES``: the register before deduce). Two names
with only a space, dot or hyphen between them become one name.

Example:
    >>> [(h.kind, "Bel 06-12345678 of mail a@b.nl"[h.start:h.end])
    ...  for h in find_pii("Bel 06-12345678 of mail a@b.nl")]
    [('phone', '06-12345678'), ('email', 'a@b.nl')]
    >>> find_pii("In 2023 ging ik 32 uur per week, 10.000 keer aangebeld, 1e ronde.")
    []
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

import docdeid as dd

from impact.text import Text

TAGS = {
    "name": "[NAAM]",
    "phone": "[TELEFOON]",
    "email": "[EMAIL]",
    "iban": "[IBAN]",
    "bsn": "[BSN]",
    "postcode": "[POSTCODE]",
    "address": "[ADRES]",
    "age": "[LEEFTIJD]",
    "birth_date": "[GEBOORTEDATUM]",
    "plate": "[KENTEKEN]",
    "handle": "[ACCOUNT]",
    "place": "[PLAATS]",
    "term": "[WEG]",
}

# When two hits overlap, the merged span keeps the kind of the longer hit;
# on a tie, the kind that comes first here, then the source that comes first in SOURCES.
PRIORITY = ["bsn", "iban", "email", "phone", "postcode", "address", "birth_date", "plate", "handle",
            "name", "age", "place", "term"]

SOURCES = ["register", "rule", "pattern", "deduce"]

KIND_LABELS = {
    "name": Text("naam"),
    "phone": Text("telefoonnummer"),
    "email": Text("e-mailadres"),
    "iban": Text("bankrekening (IBAN)"),
    "bsn": Text("burgerservicenummer (BSN)"),
    "postcode": Text("postcode"),
    "address": Text("adres"),
    "age": Text("leeftijd"),
    "birth_date": Text("geboortedatum"),
    "plate": Text("kenteken"),
    "handle": Text("account op sociale media"),
    "place": Text("plaats"),
    "term": Text("eigen woord om weg te lakken"),
    "small_cell": Text("te klein aantal personen"),
    "small_difference": Text("verschil van twee getallen is een te klein aantal personen"),
    "derived_value": Text("percentage naast een verborgen aantal personen"),
    "cross_page": Text("met een andere pagina samen is een te klein aantal personen te zien"),
    "unreadable": Text("bestand niet te controleren"),
}


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text."""

    start: int
    end: int
    kind: str
    source: str = "pattern"  # pattern | register | deduce | rule


# ---- patterns ----------------------------------------------------------------

# Phone numbers: a run of digit groups with the separators people use, then
# read group by group (see _phones).
_PHONE_SEP = r"(?:[ \u00a0]{0,2}[\-\u2013/.][ \u00a0]{0,2}|[ \u00a0]{1,2})"
_PHONE_RUN = re.compile(rf"(?:\+|\(\+?)?\d(?:[\d()]|{_PHONE_SEP}(?=[\d(+]))*")
_PHONE_GROUP = re.compile(r"\(\+?\d+\)|\+?\d+")

_EMAIL = re.compile(r"(?=[\w.+-])(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w-])")

_IBAN_NL = re.compile(r"(?=[Nn])(?<![\w])NL ?\d{2} ?[A-Z]{4}(?: ?\d){10}(?![\w])", re.I)
_IBAN_ANY = re.compile(r"(?=[A-Z])(?<![\w])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![\w])")

_BSN_PLAIN = re.compile(r"(?=\d)(?<![\w.,€$\-])\d{9}(?![\w]|[.,]\d)")
_BSN_CONTEXT = re.compile(
    r"(?i)(?=[BbSs])(?<![\w])(?:bsn|burgerservicenummer|sofi-?nummer|sofinr)\b[\s:.#-]*(?:nr\.?|nummer)?[\s:.#-]*"
    r"(\d(?:[ .\-]?\d){7,8})(?![\w]|[.,]\d)")

# postcode letters never used: SA, SD, SS (stdnum.nl.postcode knows this too)
POSTCODE = re.compile(r"(?=[1-9])(?<![\w\-.,])([1-9]\d{3})(?:[ \u00a0]?(?!SA|SD|SS)([A-Z]{2})|([ \u00a0]?)((?!sa|sd|ss)[a-z]{2}))(?![\w])")
_POSTCODE_NOT_LOWER = {"km", "kg", "mg", "mb", "gb", "kb", "tb", "mm", "cm", "ml", "cl", "dl", "ha",
                       "kw", "mw", "gw", "th", "st", "nd", "rd", "am", "pm", "xl", "ms", "hz"}
# two-letter words that may follow a number ("1500 in totaal"): not a postcode in lower case
_POSTCODE_WORDS_LOWER = {"en", "of", "in", "op", "te", "de", "is", "na", "om", "al", "er", "ze", "je", "we", "zo",
                         "nu", "ja", "uw", "ik", "to", "at", "on", "or", "by", "an", "as", "it", "be", "no",
                         "so", "up", "he", "we", "me", "my", "us", "do", "go", "if", "pp", "ca", "nr", "vs"}
_POSTCODE_YEAR_WORDS = {"EN", "OF", "IN", "OP", "TE", "DE", "IS", "NA", "OM", "TOT", "TO", "AT", "ON",
                        "OR", "BY", "AN", "AS", "IT", "BE", "NO", "SO", "UP", "TV", "PC", "AM", "PM"}

_STREET_SUFFIX = (
    "straat|laan|weg|plein|gracht|kade|dijk|singel|dreef|hof|pad|steeg|park|markt|plantsoen|"
    "erf|burgwal|wal|boulevard|allee|baan|veld|dam|haven|kanaal|hoven|poort|gaarde|zijde|"
    "wetering|pier|dwarsstraat|straatweg|kwartier|rijn|vliet|brink|ring|stede|werf|lei|oord"
)
_PARTICLE_WORDS = r"(?:van|de|der|den|het|'t|ter|ten|op|aan|in|la|le|en)"
# house number with what people add: 12a, 12-A, 12 hs, 12-III, 12-2, 12 bis, 3 hoog
_HOUSE_NUMBER = (r"\d{1,4}(?![\-/.]\d{1,2}[\-/.]\d)(?:[ \-]?[a-zA-Z](?![\w])|[ \-]?(?:hs|huis|bis|[IV]{1,4}|[1-9][ \u00a0]?hoog)(?![\w])"
                 r"|-\d{1,3}(?![\w\-/]|\.\d))?(?![\w])")
_ADDRESS = re.compile(rf"""
    (?=[A-Z\d])(?<![\w])
    (?:\d{{1,2}}e[ \u00a0])?
    (?:[A-Z][\w'’.\-]*[ \u00a0](?:{_PARTICLE_WORDS}[ \u00a0])*){{0,3}}
    [A-Z][\w'’\-]*?(?:{_STREET_SUFFIX})
    [ \u00a0]+{_HOUSE_NUMBER}
""", re.X)
# a street without a suffix ("Rokin 12", "Wilgenroosje 138") only after words that announce an address
_ADDRESS_CONTEXT = re.compile(rf"""
    (?=[WwAaVvGg])(?<![\w])(?i:woon|woont|woonde|wonen|woonachtig|adres|verhuisd|verhuizen|gevestigd)\b
    [ \u00a0]*(?i:(?:is|op|aan|in|naar|:)[ \u00a0]*)?(?i:(?:de|het)[ \u00a0]+)?
    (
      (?:\d{{1,2}}e[ \u00a0])?
      [A-Z][\w'’\-]+(?:[ \u00a0](?:{_PARTICLE_WORDS}|[A-Z][\w'’\-]+)){{0,4}}
      [ \u00a0]+{_HOUSE_NUMBER}
    )
""", re.X)

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july|"
           "october")
_DATE = (rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}"
         rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}})")
_DATES = re.compile(rf"(?i)(?<![\w]){_DATE}(?![\w])")
_BIRTH = re.compile(
    rf"(?i)(?=[GgBbDdJjVv])(?<![\w])(?:geboren(?:\s+op)?|geb\.|geboortedatum:?|born(?:\s+on)?"
    rf"|date\s+of\s+birth:?|jarig\s+op|verjaardag\s+(?:is\s+)?op)\s+({_DATE})(?![\w])")

_AGE_AFTER = re.compile(r"(?i)(?=\d)(?<![\w.,\-])(\d{1,3})(?:[ \u00a0]jaar[ \u00a0]oud|[ \u00a0-]jarige?|[ \u00a0]years?[ \u00a0]old)(?![\w])")
_AGE_BEFORE = re.compile(
    r"(?m)(?=[IiHhZzLlAa])(?<![\w])(?i:ik\s+ben|ik\s+was|hij\s+is|zij\s+is|ze\s+is|leeftijd(?:\s+is|\s+van|:)|aged?)"
    r"\s+(\d{1,3})(?=\s+jaar\b|\s*[.,;!?)]|\s*$)")
_AGE_NOT_PERSONAL = re.compile(r"(?i)(gemiddeld\w*|mediaan|average|mean|minimum|maximum)\W*(?:\w+\W+){0,2}$")

# Dutch licence plates: the 14 sidecodes of the RDW, written with dashes
_PLATE_SIDECODES = ("LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D",
                    "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D")
_PLATE_SHAPE = re.compile(r"(?<![\w\-])[A-Z\d]{1,3}-[A-Z\d]{2,3}-[A-Z\d]{1,3}(?![\w\-]|[.,]\d)")
_PLATE_CONTEXT = re.compile(r"(?i)\bkenteken(?:nummer)?\b[\s:]*(?-i:((?=[A-Z\d\-]*\d)(?=[A-Z\d\-]*[A-Z])"
                            r"[A-Z\d]{1,3}(?:[\- ]?[A-Z\d]{1,3}){1,3}))(?![\w\-])")

_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
_PROFILE = re.compile(
    r"(?i)(?<![\w.])(?:https?://)?(?:www\.|m\.)?(?:instagram\.com|facebook\.com|fb\.com|tiktok\.com|"
    r"twitter\.com|x\.com|linkedin\.com/in|snapchat\.com/add|youtube\.com)/@?[\w.\-]{2,40}")
_HANDLE_CONTEXT = re.compile(
    r"(?=[IiTtSsFfAa])(?<![\w])(?i:instagram|insta|tiktok|snapchat|snap|facebook|twitter|threads|account)\b"
    r"(?:[ \u00a0]*(?:account|naam|handle))?[ \u00a0]*:[ \u00a0]*(@?[A-Za-z0-9_][A-Za-z0-9_.]{1,29})(?![\w@])")


def _phone_end(groups: list[tuple[int, int, str]], i: int) -> int | None:
    """The index of the last group of a phone number starting at group ``i``, or None.

    Dutch numbers have 10 digits from the 0 (``020 612 34 56``); with ``+31`` or
    ``0031`` 9 after it, with or without ``(0)``; with another country code
    (``+212 6 12 34 56 78``) 10-15 digits in all. Groups after the first have at
    least 2 digits (one digit only right after a country code: ``+31 6 ...``), and a
    Dutch area code has 3 or 4 digits (2: only the mobile ``06``), so a row of
    numbers ("0 1 2 3 ...", "01 02 03 ...") is not a phone number.
    """
    first = groups[i][2]
    plain = first.strip("()")
    if first == "(0)":
        return None
    if plain.startswith("+") or plain.startswith("00"):
        lead = plain.lstrip("+")
        lead = lead[2:] if not plain.startswith("+") else lead
        dutch = lead.startswith("31")
        low, high = (11, 12) if dutch else (10, 15)
        digits, single_ok = len(lead), True
        if dutch and len(lead) > 2 and lead[2] == "0":
            low = high = 12  # "+31 020 ..." (the 0 written anyway)
    elif plain.startswith("0") and len(plain) >= 2:
        dutch, low, high = True, 10, 10
        digits, single_ok = len(plain), False
        # area codes have 3 or 4 digits; a group of 2 is the mobile 06 ("01 02 03 ..." is a row)
        if plain.startswith("00") or (len(plain) == 2 and plain != "06"):
            return None
    else:
        return None
    best = i if low <= digits <= high else None
    trunk = False
    for j in range(i + 1, min(len(groups), i + 8)):
        text = groups[j][2]
        if text == "(0)" and not trunk and dutch and j == i + 1 and first.startswith(("+", "00")):
            trunk = True
            continue
        if text.startswith("+") or (text.startswith("(") and j > i + 1):
            break
        n = len(text.strip("()"))
        if n < 2 and not (single_ok and (j == i + 1 or (trunk and j == i + 2))):
            break
        if n == 1 and dutch and text != "6" and digits == 2:
            break  # "+31 6 ...": the only Dutch number with a one-digit start
        digits += n
        if digits > high:
            break
        if digits >= low:
            best = j
    return best


def _phones(text: str) -> list[Hit]:
    hits = []
    dates = None
    for run in _PHONE_RUN.finditer(text):
        base = run.start()
        if base and (text[base - 1].isalnum() or text[base - 1] == "_"):
            continue  # digits that belong to a code ("DE89 3704 0044 ...")
        groups = [(base + m.start(), base + m.end(), m.group()) for m in _PHONE_GROUP.finditer(run.group())]
        i = 0
        while i < len(groups):
            j = _phone_end(groups, i)
            if j is None:
                i += 1
                continue
            start, end = groups[i][0], groups[j][1]
            # "01 02 03 04 05 06 07": groups in a row with more of them around are a row of numbers
            if j - i >= 2 and ((i > 0 and not text[groups[i - 1][1]:start].strip())
                               or (j + 1 < len(groups) and not text[end:groups[j + 1][0]].strip())):
                i += 1
                continue
            before, after = text[max(0, start - 2):start], text[end:end + 2]
            if (before[-1:].isalnum() or before[-1:] in ("_", "@")
                    or (before[-1:] in (".", ",", "/", "-") and before[:1].isdigit())
                    or after[:1].isalnum() or after[:1] == "_"
                    or (after[:1] in (".", ",", ":", "/", "-") and after[1:].isdigit())):
                i += 1
                continue
            if dates is None:
                dates = date_spans(text)
            if not any(s < end and start < e for s, e in dates):
                hits.append(Hit(start, end, "phone"))
            i = j + 1
    return hits


def _ibans(text: str) -> list[Hit]:
    from stdnum import iban

    hits = [Hit(m.start(), m.end(), "iban") for m in _IBAN_NL.finditer(text)]
    taken = [(h.start, h.end) for h in hits]
    for m in _IBAN_ANY.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        # grouped numbers may run into a following word of four letters: try shorter
        groups = m.group().split(" ")
        for n in range(len(groups), 1, -1):
            cand = " ".join(groups[:n])
            if iban.is_valid(cand):
                hits.append(Hit(m.start(), m.start() + len(cand), "iban"))
                break
    return hits


def _bsns(text: str) -> list[Hit]:
    from stdnum.nl import bsn

    hits = [Hit(m.start(1), m.end(1), "bsn") for m in _BSN_CONTEXT.finditer(text)]
    for m in _BSN_PLAIN.finditer(text):
        if bsn.is_valid(m.group()) and not any(h.start <= m.start() < h.end for h in hits):
            hits.append(Hit(m.start(), m.end(), "bsn"))
    return hits


def _postcodes(text: str) -> list[Hit]:
    hits = []
    for m in POSTCODE.finditer(text):
        digits, upper, space, lower = m.group(1), m.group(2), m.group(3), m.group(4)
        if lower is not None and (lower in _POSTCODE_NOT_LOWER or (space and lower in _POSTCODE_WORDS_LOWER)):
            continue
        # "in 2023 EN 2024": a year and a word in capitals, not a postcode
        if upper is not None and 1900 <= int(digits) <= 2099 and upper in _POSTCODE_YEAR_WORDS:
            continue
        hits.append(Hit(m.start(), m.end(), "postcode"))
    return hits


def _addresses(text: str) -> list[Hit]:
    hits = [Hit(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    hits += [Hit(m.start(1), m.end(1), "address") for m in _ADDRESS_CONTEXT.finditer(text)]
    return hits


def _ages(text: str) -> list[Hit]:
    hits = []
    for rx in (_AGE_AFTER, _AGE_BEFORE):
        for m in rx.finditer(text):
            if int(m.group(1)) > 120:
                continue
            if _AGE_NOT_PERSONAL.search(text[max(0, m.start() - 40):m.start()]):
                continue
            hits.append(Hit(m.start(1), m.end(1), "age"))
    return hits


_SIDECODE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "L" * 26 + "D" * 10)


def _plates(text: str) -> list[Hit]:
    hits = [Hit(m.start(), m.end(), "plate") for m in _PLATE_SHAPE.finditer(text)
            if m.group().translate(_SIDECODE) in _PLATE_SIDECODES]
    if "kenteken" in text.lower():
        hits += [Hit(m.start(1), m.end(1), "plate") for m in _PLATE_CONTEXT.finditer(text)]
    return hits


def _handles(text: str) -> list[Hit]:
    hits = [Hit(m.start(), m.end(), "handle") for m in _HANDLE.finditer(text)] if "@" in text else []
    if "/" in text:
        hits += [Hit(m.start(), m.end(), "handle") for m in _PROFILE.finditer(text)]
    if ":" in text:
        hits += [Hit(m.start(1), m.end(1), "handle") for m in _HANDLE_CONTEXT.finditer(text)]
    return hits


def _regex(rx: re.Pattern, kind: str, group: int = 0) -> Callable[[str], list[Hit]]:
    return lambda text: [Hit(m.start(group), m.end(group), kind) for m in rx.finditer(text)]


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates are (``12-05-2023``, ``2023-05-12``, ``12 mei 2023``)."""
    return [(m.start(), m.end()) for m in _DATES.finditer(text)]


# The pattern detectors, in the order the pipeline runs them. The names are the
# processor names in the pipeline (``DocDeid.deidentify(text, disabled={...})``).
PATTERNS: dict[str, Callable[[str], list[Hit]]] = {
    "email": lambda text: _regex(_EMAIL, "email")(text) if "@" in text else [],
    "iban": _ibans,
    "bsn": _bsns,
    "phone": _phones,
    "postcode": _postcodes,
    "address": _addresses,
    "birth_date": _regex(_BIRTH, "birth_date", 1),
    "age": _ages,
    "plate": _plates,
    "handle": _handles,
}


# ---- the pipeline --------------------------------------------------------------

@dataclass(frozen=True)
class Found(dd.Annotation):
    """A docdeid annotation that also says where its rule came from (``Hit.source``)."""

    source: str = "pattern"


class Detector(dd.process.Annotator):
    """A docdeid annotator around one of impact's detectors (a function text -> hits)."""

    def __init__(self, find: Callable[[str], list[Hit]], kind: str = "") -> None:
        super().__init__(tag=kind)
        self.find = find

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        text = doc.text
        return [Found(text=text[h.start:h.end], start_char=h.start, end_char=h.end, tag=h.kind,
                      source=h.source) for h in self.find(text) if h.end > h.start]


class DeduceTags(dd.process.AnnotationProcessor):
    """deduce's tags as impact's kinds; deduce's other tags (dates, URLs...) are dropped.

    A place that is a postcode or holds a number becomes a postcode or an address;
    spaces deduce leaves at the ends of a span are cut off.
    """

    KINDS = {"persoon": "name", "patient": "name", "locatie": "place"}

    def process_annotations(self, annotations: dd.AnnotationSet, text: str) -> dd.AnnotationSet:
        out = dd.AnnotationSet()
        for a in annotations:
            if isinstance(a, Found):
                out.add(a)
                continue
            kind = self.KINDS.get(a.tag)
            if kind is None:
                continue
            start, end = a.start_char, a.end_char
            piece = text[start:end]
            start += len(piece) - len(piece.lstrip())
            end -= len(piece) - len(piece.rstrip())
            if end <= start:
                continue
            piece = text[start:end]
            if kind == "place":
                if POSTCODE.fullmatch(piece):
                    kind = "postcode"
                elif re.search(r"\d", piece):
                    kind = "address"
            out.add(Found(text=piece, start_char=start, end_char=end, tag=kind, source="deduce"))
        return out


_ACCENT_FREE = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                              "ħ": "h", "ŀ": "l"})


def strip_accents(text: str) -> str:
    """``text`` without accents, with the same length and case (``Hüseyin Kılıç`` -> ``Huseyin Kilic``).

    Example:
        >>> strip_accents("Małgorzata Wójcik, Hüseyin Kılıç")
        'Malgorzata Wojcik, Huseyin Kilic'
    """
    text = text.translate(_ACCENT_FREE)
    if text.isascii():
        return text
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in text)


class AccentFreeNames(dd.process.Annotator):
    """deduce's first-name and surname lists, also for names written with accents.

    deduce's lists mostly hold names without accents ("Huseyin"): a capitalised word
    with accents whose accent-free form is in a list gets deduce's own tag
    (``voornaam``/``achternaam``), so deduce's context rules add the rest of the name.
    Runs inside deduce's name annotators, before ``name_context``.
    """

    def __init__(self, first_names, surnames) -> None:
        super().__init__(tag="voornaam")
        self.first_names, self.surnames = first_names, surnames

    def annotate(self, doc: dd.Document) -> list[dd.Annotation]:
        out = []
        for token in doc.get_tokens():
            word = token.text
            if word.isascii() or not word[:1].isupper():
                continue
            plain = strip_accents(word)
            tag = ("voornaam" if [plain] in self.first_names else
                   "achternaam" if [plain] in self.surnames else None)
            if tag is not None:
                out.append(dd.Annotation(text=word, start_char=token.start_char, end_char=token.end_char,
                                         tag=tag, start_token=token, end_token=token))
        return out


_SENTENCE_END = ".!?:;\"'(«“‘\n"


class LoneSurnameAtSentenceStart(dd.process.AnnotationProcessor):
    """Drops a word deduce knows only as a surname when it starts a sentence alone.

    Many Dutch surnames are words ("Stap", "Zaal", "Scholing"); at the start of a
    sentence their capital says nothing. A word that is also a first name, or has a
    title, initial or other name part next to it, stays. Runs inside deduce's name
    annotators, before deduce turns their tags into ``persoon``.
    """

    def process_annotations(self, annotations: dd.AnnotationSet, text: str) -> dd.AnnotationSet:
        out = dd.AnnotationSet()
        for a in annotations:
            if a.tag == "achternaam" and _starts_sentence(text, a.start_char) and not any(
                    b is not a and b.start_char <= a.end_char and a.start_char <= b.end_char for b in annotations):
                continue
            out.add(a)
        return out


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\u00a0")
    if not before or before[-1] in _SENTENCE_END:
        return True
    # a list item: "- Stap 1", "• Zaal 2"
    return before[-1] in "-•*" and (len(before) == 1 or before[-2] == "\n")


def keep_key(text: str) -> str:
    """How words to keep are compared: no case, accents, spaces, dashes, dots or brackets.

    Example:
        >>> keep_key(" 030-789 2000 ") == keep_key("030 7892000"), keep_key("Één Buurt")
        (True, 'eenbuurt')
    """
    return re.sub(r"[\s\-.()]", "", fold(text))


class KeepWords(dd.process.AnnotationProcessor):
    """Drops annotations on words the study keeps (``keep_key`` equal), such as its own
    districts, or the organisation's phone number in a colophon."""

    def __init__(self, keep: Iterable[str]) -> None:
        self.keep = {keep_key(k) for k in keep if k and keep_key(k)}

    def process_annotations(self, annotations: dd.AnnotationSet, text: str) -> dd.AnnotationSet:
        if not self.keep:
            return annotations
        return dd.AnnotationSet(a for a in annotations if keep_key(a.text) not in self.keep)


class MergeOverlaps(dd.process.AnnotationProcessor):
    """The one overlap rule of the pipeline: ``merge_hits``."""

    def process_annotations(self, annotations: dd.AnnotationSet, text: str) -> dd.AnnotationSet:
        hits = merge_hits((Hit(a.start_char, a.end_char, a.tag, getattr(a, "source", "deduce"))
                           for a in annotations), text)
        return dd.AnnotationSet(Found(text=text[h.start:h.end], start_char=h.start, end_char=h.end,
                                      tag=h.kind, source=h.source) for h in hits)


class TagRedactor(dd.process.Redactor):
    """Replaces each annotation by the tag of its kind (``TAGS``), such as ``[NAAM]``."""

    def redact(self, text: str, annotations: dd.AnnotationSet) -> str:
        pieces, pos = [], 0
        for a in sorted(annotations, key=lambda a: a.start_char):
            pieces += [text[pos:a.start_char], TAGS.get(a.tag, "[WEG]")]
            pos = a.end_char
        pieces.append(text[pos:])
        return "".join(pieces)


# deduce's processors the redactor uses: its name and place annotators. Left out:
# the street list (770,000 streets: minutes to load; our address rules find a street
# with a suffix and a number), its postcode regex (it takes "1000km" for a postcode;
# ours does not), dates, ages, numbers, phones, e-mail and URLs (ours do that, the
# same for redactor and guard), care institutions.
DEDUCE_PROCESSORS = {"names": None, "locations": {"street_lookup", "postal_code"}}


def build_pipeline(names: Iterable[str] = (), parts: Iterable[str] = (),
                   values: dict[str, Iterable[str]] | None = None, always: Iterable[str] = (),
                   keep: Iterable[str] = (), deduce=None) -> dd.DocDeid:
    """THE pipeline: one ``docdeid.DocDeid`` with every detector, the overlap rule and the tags.

    ``names``: names and spellings from the register (any case, whole words);
    ``parts``: first names and surnames alone (only with a capital). ``values``:
    ``{"phone": [...], "email": [...], "address": [...]}`` from the register.
    ``always``: the study's words to redact (kind ``term``); ``keep``: words never
    to redact. ``deduce``: a ``deduce.Deduce`` model; its name and place annotators
    (``DEDUCE_PROCESSORS``) run first. Processors, in order::

        deduce_names, deduce_locations, deduce_tags    (only with deduce; deduce_names
                                                       holds accent_free_names and
                                                       lone_surnames of ours)
        register_names, register_values, rules         (the study's register and rules)
        email, iban, bsn, phone, postcode, address,
        birth_date, age, plate, handle                 (PATTERNS)
        keep, merge, tags                              (keep words, overlap rule, [TAGS])

    Example:
        >>> doc = build_pipeline(names=["Fatima el Amrani"]).deidentify("Fatima el Amrani: 020 - 612 34 56")
        >>> doc.deidentified_text
        '[NAAM]: [TELEFOON]'
    """
    values = values or {}
    pipe = dd.DocDeid()
    if deduce is not None:
        pipe.tokenizers = dict(deduce.tokenizers)
        extra = {  # ours, put in before deduce's processor of that name
            "name_context": ("accent_free_names", AccentFreeNames(deduce.lookup_structs["first_name"],
                                                                  deduce.lookup_structs["surname"])),
            "person_annotation_converter": ("lone_surnames", LoneSurnameAtSentenceStart()),
        }
        for group, skip in DEDUCE_PROCESSORS.items():
            chosen = dd.process.DocProcessorGroup()
            for name, proc in deduce.processors[group]:
                if name in extra:
                    chosen.add_processor(*extra[name])
                if not skip or name not in skip:
                    chosen.add_processor(name, proc)
            pipe.processors.add_processor(f"deduce_{group}", chosen)
        pipe.processors.add_processor("deduce_tags", DeduceTags())
    names = [n for n in names if n and str(n).strip()]
    pipe.processors.add_processor("register_names", Detector(NameMatcher(names, parts).find, "name"))
    pipe.processors.add_processor("register_values", Detector(ValueMatcher(
        values.get("phone", ()), values.get("email", ()), values.get("address", ())).find))
    pipe.processors.add_processor("rules", Detector(NameMatcher(always, kind="term", source="rule").find, "term"))
    for name, find in PATTERNS.items():
        pipe.processors.add_processor(name, Detector(find, name))
    pipe.processors.add_processor("keep", KeepWords(keep))
    pipe.processors.add_processor("merge", MergeOverlaps())
    pipe.processors.add_processor("tags", TagRedactor())
    return pipe


def hits_of(doc: dd.Document) -> list[Hit]:
    """The merged hits of a processed document, sorted."""
    return sorted((Hit(a.start_char, a.end_char, a.tag, getattr(a, "source", "deduce"))
                   for a in doc.annotations), key=lambda h: h.start)


_PATTERNS_ONLY: dd.DocDeid | None = None
_PATTERNS_LOCK = threading.Lock()


def find_pii(text: str) -> list[Hit]:
    """Every pattern hit in ``text`` (no names): the pipeline without register and deduce."""
    global _PATTERNS_ONLY
    if not text:
        return []
    if _PATTERNS_ONLY is None:
        with _PATTERNS_LOCK:
            if _PATTERNS_ONLY is None:
                _PATTERNS_ONLY = build_pipeline()
    return hits_of(_PATTERNS_ONLY.deidentify(text, disabled={"tags"}))


_NAME_SLACK = re.compile(r"[ .\-]{0,2}")


def merge_hits(hits: Iterable[Hit], text: str | None = None) -> list[Hit]:
    """The overlap rule: overlapping hits become one span covering them all; it keeps the
    kind of the longest (then by ``PRIORITY``). With ``text``, two names with at most two
    spaces, dots or hyphens between them also become one name.

    Example:
        >>> merge_hits([Hit(0, 10, "phone"), Hit(8, 20, "name"), Hit(21, 25, "name")], "x" * 20 + " abcd")
        [Hit(start=0, end=25, kind='name', source='pattern')]
    """
    rank = {k: i for i, k in enumerate(PRIORITY)}
    ordered = sorted(hits, key=lambda h: (h.start, -h.end, rank.get(h.kind, 99), _SOURCE_RANK.get(h.source, 9)))
    out: list[Hit] = []
    group: list[Hit] = []
    end = -1
    for h in ordered:
        if h.end <= h.start:
            continue
        if group and (h.start < end or (text is not None and h.kind == "name" and _merged(group, end, rank).kind
                                        == "name" and _NAME_SLACK.fullmatch(text, end, h.start))):
            group.append(h)
            end = max(end, h.end)
            continue
        if group:
            out.append(_merged(group, end, rank))
        group, end = [h], h.end
    if group:
        out.append(_merged(group, end, rank))
    return out


_SOURCE_RANK = {s: i for i, s in enumerate(SOURCES)}


def _merged(group: list[Hit], end: int, rank: dict[str, int]) -> Hit:
    best = min(group, key=lambda h: (-(h.end - h.start), rank.get(h.kind, 99), _SOURCE_RANK.get(h.source, 9)))
    return Hit(group[0].start, end, best.kind, best.source)


# ---- names -----------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents, with the same length as ``text`` (offsets stay right)."""
    if text.isascii():
        return text.lower()
    # each distinct character once (a long transcript holds few), then one translate
    table = {}
    for ch in set(text):
        base = unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch
        low = base.lower()
        out = low if len(low) == 1 else base
        if out != ch:
            table[ord(ch)] = out
    return text.translate(table)


_PARTICLES = {"van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "el", "al", "la", "le", "du",
              "di", "da", "dos", "das", "del", "von", "op", "in", "aan", "bin", "ben", "ibn", "ould", "uit"}


def name_parts(name: str) -> list[str]:
    """Parts of a full name people also use alone: the first name and the surname.

    Example:
        >>> name_parts("Fatima el Amrani")
        ['Fatima', 'el Amrani', 'Amrani']
    """
    tokens = name.split()
    if len(tokens) < 2:
        return []
    parts = []
    if len(tokens[0]) >= 3:
        parts.append(tokens[0])
    surname = tokens[1:]
    if " ".join(surname) and len(surname[-1]) >= 3:
        parts.append(" ".join(surname))
        core = [t for t in surname if t.lower() not in _PARTICLES]
        if core and core != surname and len(" ".join(core)) >= 3:
            parts.append(" ".join(core))
    return parts


class NameMatcher:
    """Finds the given names in a text: whole words, any case, accents ignored.

    ``parts`` (first names and surnames alone) only match when written with
    a capital, so "roos" (a flower) is not taken for "Roos".

    Example:
        >>> m = NameMatcher(["Fatima el Amrani"], parts=["Fatima"])
        >>> text = "FATIMA EL AMRANI en Fatima, niet fatima"
        >>> [text[h.start:h.end] for h in m.find(text)]
        ['FATIMA EL AMRANI', 'Fatima']
    """

    def __init__(self, names: Iterable[str] = (), parts: Iterable[str] = (), kind: str = "name",
                 source: str = "register"):
        self.kind, self.source = kind, source
        full = {fold(n.strip()) for n in names if n and len(n.strip()) >= 2}
        part = {fold(p.strip()) for p in parts if p and len(p.strip()) >= 3} - full
        self._full = _alternation(full)
        self._part = _alternation(part)

    def find(self, text: str) -> list[Hit]:
        if not text or (self._full is None and self._part is None):
            return []
        folded = fold(text)
        hits = []
        if self._full is not None:
            hits += [Hit(m.start(), m.end(), self.kind, self.source) for m in self._full.finditer(folded)]
        if self._part is not None:
            hits += [Hit(m.start(), m.end(), self.kind, self.source) for m in self._part.finditer(folded)
                     if _capitalised(text[m.start():m.end()])]
        return merge_hits(hits)


def _capitalised(words: str) -> bool:
    """Every word that is not a particle starts with a capital ("de Wit", not "de wit")."""
    tokens = [t for t in re.split(r"[\s\-\u00a0]+", words) if t]
    core = [t for t in tokens if t.lower() not in _PARTICLES] or tokens
    return all(t[0].isupper() for t in core)


def _trie_pattern(sequences: Iterable[list[str]]) -> str | None:
    """One regex for many alternatives, each a list of atoms (an escaped character or a class).

    The alternatives share their prefixes (a trie), so the work per text
    position does not grow with the number of alternatives, as it does for
    ``a|b|c|...``. A longer alternative is tried before a shorter one, so
    with atoms that cannot match the same character at a branch ("Piet de
    Vries" and "Piet") this finds what a longest-first alternation finds.
    """
    root: dict = {}
    for seq in sequences:
        if not seq:
            continue
        node = root
        for atom in seq:
            node = node.setdefault(atom, {})
        node[None] = {}  # an alternative ends here
    if not root:
        return None

    def build(node: dict) -> str:
        branches = [atom + build(child) for atom, child in sorted(
            ((a, c) for a, c in node.items() if a is not None), key=lambda item: item[0])]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if None in node else body

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))  # one level per character of the longest alternative
    try:
        return "(?:" + build(root) + ")"
    finally:
        sys.setrecursionlimit(limit)


def _alternation(names: set[str]) -> re.Pattern | None:
    # one trie, longest first, so "Piet de Vries" wins over "Piet"
    seqs = []
    for n in names:
        tokens = [t for t in re.split(r"[\s\-]+", n) if t]
        atoms: list[str] = []
        for i, t in enumerate(tokens):
            if i:
                atoms.append(r"[\s\-\u00a0]+")
            atoms.extend(re.escape(ch) for ch in t)
        seqs.append(atoms)
    pattern = _trie_pattern(seqs)
    return None if pattern is None else re.compile(r"(?<![\w])" + pattern + r"(?![\w])")


class ValueMatcher:
    """Finds literal private values from the register (phone, e-mail, address parts).

    Digits of a phone number match with any spacing; other values match
    case-insensitively with flexible spaces.

    Example:
        >>> m = ValueMatcher(phones=["+31 6 1234 5678"], addresses=["Kerkstraat 1, 1234 AB Ons Dorp"])
        >>> text = "bel 0612345678, Kerkstraat 1"
        >>> [(h.kind, text[h.start:h.end]) for h in m.find(text)]
        [('phone', '0612345678'), ('address', 'Kerkstraat 1')]
    """

    def __init__(self, phones: Iterable[str] = (), emails: Iterable[str] = (),
                 addresses: Iterable[str] = ()):
        # one trie regex per kind (a register of thousands of people would otherwise
        # run thousands of regexes over every text)
        phone_seqs, email_seqs, address_seqs = [], [], []
        for p in phones:
            digits = re.sub(r"\D", "", p or "")
            forms = {digits} if len(digits) >= 6 else set()
            if digits.startswith("31") and len(digits) == 11:
                forms.add("0" + digits[2:])
            if digits.startswith("0031"):
                forms.add("0" + digits[4:])
            for f in forms:
                seq = []
                for i, d in enumerate(f):
                    if i:
                        seq.append(r"[\s\-.()]{0,2}")
                    seq.append(d)
                phone_seqs.append(seq)
        for e in emails:
            if e and "@" in e:
                email_seqs.append([re.escape(ch) for ch in fold(e.strip())])
        for a in addresses:
            for part in re.split(r"[,;\n]", a or ""):
                part = part.strip()
                if len(part) >= 5 and re.search(r"\d", part):
                    seq = []
                    for i, t in enumerate(part.split()):
                        if i:
                            seq.append(r"[\s\u00a0]+")
                        seq.extend(re.escape(ch) for ch in fold(t))
                    address_seqs.append(seq)
        pats: list[tuple[re.Pattern, str]] = []
        for seqs, kind, before, after in ((phone_seqs, "phone", r"(?<!\d)", r"(?!\d)"),
                                          (email_seqs, "email", "", ""),
                                          (address_seqs, "address", r"(?<![\w])", r"(?![\w])")):
            pattern = _trie_pattern(seqs)
            if pattern is not None:
                pats.append((re.compile(before + pattern + after), kind))
        self._pats = pats

    def find(self, text: str) -> list[Hit]:
        if not text or not self._pats:
            return []
        folded = fold(text)
        return [Hit(m.start(), m.end(), kind, "register")
                for rx, kind in self._pats for m in rx.finditer(folded)]


def mask(value: str, keep: int = 2) -> str:
    """``value`` with all but its first ``keep`` letters and digits hidden.

    Example:
        >>> mask("06-12345678")
        '06-••••••••'
    """
    out, seen = [], 0
    for ch in value[:40]:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen <= keep else "•")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(value) > 40 else "")
