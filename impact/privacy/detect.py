"""Find personal data in text: patterns, checksums and names from the register.

Shared by the redactor (transcripts, before processing) and the publish
guard (reports, before publishing), so both agree on what counts as personal
data. Light on purpose: only ``re``, ``unicodedata`` and python-stdnum, so a
CLI that checks reports starts fast.

Each detector returns ``Hit``s: ``start``/``end`` (code points, end
exclusive), ``kind`` and where the rule came from. Kinds and their tags:

======================  ====================  ======================================
kind                    tag                   rule
======================  ====================  ======================================
``name``                ``[NAAM]``            names and spellings from the register
``phone``               ``[TELEFOON]``        Dutch numbers: 10 digits, or +31/0031
``email``               ``[EMAIL]``           ``iemand@domein.nl``
``iban``                ``[IBAN]``            ISO 13616 checksum (python-stdnum);
                                              Dutch-shaped numbers even when it fails
``bsn``                 ``[BSN]``             9 digits passing the elfproef
                                              (python-stdnum), or any 8-9 digits
                                              after "BSN"/"burgerservicenummer"
``postcode``            ``[POSTCODE]``        ``1234 AB`` (python-stdnum's rule)
``address``             ``[ADRES]``           street name with a Dutch street
                                              suffix plus house number
``age``                 ``[LEEFTIJD]``        "45 jaar oud", "45-jarige", "ik ben 45"
``birth_date``          ``[GEBOORTEDATUM]``   a date after "geboren (op)"
``place``               ``[PLAATS]``          (deduce only) a town or city
======================  ====================  ======================================

Example:
    >>> [(h.kind, "Bel 06-12345678 of mail a@b.nl"[h.start:h.end])
    ...  for h in find_pii("Bel 06-12345678 of mail a@b.nl")]
    [('phone', '06-12345678'), ('email', 'a@b.nl')]
    >>> find_pii("In 2023 ging ik 32 uur per week, 10.000 keer aangebeld, 1e ronde.")
    []
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

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
    "place": "[PLAATS]",
    "term": "[WEG]",
}

# When two hits overlap, the merged span keeps the kind of the longer hit;
# on a tie, the kind that comes first here.
PRIORITY = ["bsn", "iban", "email", "phone", "postcode", "address", "birth_date", "name", "age",
            "place", "term"]

KIND_LABELS = {
    "name": ("naam", "name"),
    "phone": ("telefoonnummer", "phone number"),
    "email": ("e-mailadres", "e-mail address"),
    "iban": ("bankrekening (IBAN)", "bank account (IBAN)"),
    "bsn": ("burgerservicenummer (BSN)", "citizen service number (BSN)"),
    "postcode": ("postcode", "postcode"),
    "address": ("adres", "address"),
    "age": ("leeftijd", "age"),
    "birth_date": ("geboortedatum", "date of birth"),
    "place": ("plaats", "place"),
    "term": ("eigen woord om weg te lakken", "own term to redact"),
    "small_cell": ("te klein aantal personen", "count of persons too small"),
    "unreadable": ("bestand niet te controleren", "file cannot be checked"),
}


@dataclass(frozen=True)
class Hit:
    """One piece of personal data found in a text."""

    start: int
    end: int
    kind: str
    source: str = "pattern"  # pattern | register | deduce | rule


# ---- patterns ----------------------------------------------------------------

_SEP = r"[ \-\u00a0]"
_PHONE = re.compile(rf"""
    (?<![\w.,/+\-])
    (?:
        (?:\+|00)31{_SEP}?(?:\(0\){_SEP}?)?\d(?:{_SEP}?\d){{8}}
      | \(0\d{{1,3}}\){_SEP}?\d(?:{_SEP}?\d){{4,7}}
      | 0\d(?:{_SEP}?\d){{8}}
    )
    (?![\w]|[.,:/\-]\d)
""", re.X)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w-])")

_IBAN_NL = re.compile(r"(?<![\w])NL ?\d{2} ?[A-Z]{4}(?: ?\d){10}(?![\w])", re.I)
_IBAN_ANY = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![\w])")

_BSN_PLAIN = re.compile(r"(?<![\w.,€$\-])\d{9}(?![\w]|[.,]\d)")
_BSN_CONTEXT = re.compile(
    r"(?i)\b(?:bsn|burgerservicenummer|sofi-?nummer|sofinr)\b[\s:.#-]*(?:nr\.?|nummer)?[\s:.#-]*"
    r"(\d(?:[ .\-]?\d){7,8})(?![\w]|[.,]\d)")

# postcode letters never used: SA, SD, SS (stdnum.nl.postcode knows this too)
_POSTCODE = re.compile(r"(?<![\w\-.,])([1-9]\d{3})(?:[ \u00a0]?(?!SA|SD|SS)([A-Z]{2})|((?!sa|sd|ss)[a-z]{2}))(?![\w])")
_POSTCODE_NOT_LOWER = {"km", "kg", "mg", "mb", "gb", "kb", "tb", "mm", "cm", "ml", "cl", "dl", "ha",
                       "kw", "mw", "gw", "th", "st", "nd", "rd", "am", "pm", "xl", "ms", "hz"}
_POSTCODE_YEAR_WORDS = {"EN", "OF", "IN", "OP", "TE", "DE", "IS", "NA", "OM", "TOT", "TO", "AT", "ON",
                        "OR", "BY", "AN", "AS", "IT", "BE", "NO", "SO", "UP", "TV", "PC", "AM", "PM"}

_STREET_SUFFIX = (
    "straat|laan|weg|plein|gracht|kade|dijk|singel|dreef|hof|pad|steeg|park|markt|plantsoen|"
    "erf|burgwal|wal|boulevard|allee|baan|veld|dam|haven|kanaal|hoven|poort|gaarde|zijde|"
    "wetering|pier|dwarsstraat|straatweg|kwartier|rijn|vliet|brink|ring|stede|werf|lei|oord"
)
_ADDRESS = re.compile(rf"""
    (?<![\w])
    (?:[A-Z][\w'’.\-]*[ \u00a0](?:(?:van|de|der|den|het|'t|ter|ten|op|aan|in|la|le)[ \u00a0])*){{0,3}}
    [A-Z][\w'’\-]*?(?:{_STREET_SUFFIX})
    [ \u00a0]+\d{{1,5}}
    (?:[ \-]?[a-zA-Z](?![\w])|[ \-]?(?:hs|huis|bis|I{{1,3}}|[1-9][ \u00a0]?hoog)(?![\w])|-\d{{1,3}}(?![\w]))?
    (?![\w])
""", re.X)

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july|"
           "october")
_DATE = (rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}"
         rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}})")
_DATES = re.compile(rf"(?i)(?<![\w]){_DATE}(?![\w])")
_BIRTH = re.compile(
    rf"(?i)\b(?:geboren(?:\s+op)?|geb\.|geboortedatum:?|born(?:\s+on)?|date\s+of\s+birth:?)\s+({_DATE})(?![\w])")

_AGE_AFTER = re.compile(r"(?i)(?<![\w.,\-])(\d{1,3})(?:[ \u00a0]jaar[ \u00a0]oud|[ \u00a0-]jarige?|[ \u00a0]years?[ \u00a0]old)(?![\w])")
_AGE_BEFORE = re.compile(
    r"(?im)\b(?:ik\s+ben|ik\s+was|hij\s+is|zij\s+is|ze\s+is|leeftijd(?:\s+is|\s+van|:)|aged?)"
    r"\s+(\d{1,3})(?=\s+jaar\b|\s*[.,;!?)]|\s*$)")
_AGE_NOT_PERSONAL = re.compile(r"(?i)(gemiddeld\w*|mediaan|average|mean|minimum|maximum)\W*(?:\w+\W+){0,2}$")


def _phones(text: str) -> list[Hit]:
    hits = []
    for m in _PHONE.finditer(text):
        s = m.group()
        digits = re.sub(r"\D", "", s)
        if s.startswith(("+", "00")):
            rest = digits[4:] if s.startswith("00") else digits[2:]
            if "(0)" in s:
                rest = rest[1:]
            ok = len(rest) == 9
        else:
            ok = len(digits) == 10
        # "1 2 3 4 ..." is a row of numbers, not a phone number; nor is the tail of a longer number
        if ok and len(re.findall(_SEP, s)) <= 4 and not re.search(r"\d[ \-\u00a0]?$", text[:m.start()]):
            hits.append(Hit(m.start(), m.end(), "phone"))
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
    for m in _POSTCODE.finditer(text):
        digits, upper, lower = m.group(1), m.group(2), m.group(3)
        if lower is not None and lower in _POSTCODE_NOT_LOWER:
            continue
        # "in 2023 EN 2024": a year and a word in capitals, not a postcode
        if upper is not None and 1900 <= int(digits) <= 2099 and upper in _POSTCODE_YEAR_WORDS:
            continue
        hits.append(Hit(m.start(), m.end(), "postcode"))
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


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates are (``12-05-2023``, ``2023-05-12``, ``12 mei 2023``)."""
    return [(m.start(), m.end()) for m in _DATES.finditer(text)]


def find_pii(text: str) -> list[Hit]:
    """Every pattern hit in ``text`` (no names), overlaps merged, sorted."""
    if not text:
        return []
    hits: list[Hit] = []
    hits += [Hit(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    hits += _ibans(text)
    hits += _bsns(text)
    dates = date_spans(text)
    hits += [h for h in _phones(text) if not any(s < h.end and h.start < e for s, e in dates)]
    hits += _postcodes(text)
    hits += [Hit(m.start(), m.end(), "address") for m in _ADDRESS.finditer(text)]
    hits += [Hit(m.start(1), m.end(1), "birth_date") for m in _BIRTH.finditer(text)]
    hits += _ages(text)
    # an e-mail address holds no phone number or postcode of its own
    return merge_hits(hits)


def merge_hits(hits: Iterable[Hit]) -> list[Hit]:
    """Overlapping hits become one; it keeps the kind of the longest (then by ``PRIORITY``)."""
    rank = {k: i for i, k in enumerate(PRIORITY)}
    ordered = sorted(hits, key=lambda h: (h.start, -h.end))
    out: list[Hit] = []
    group: list[Hit] = []
    end = -1
    for h in ordered:
        if h.end <= h.start:
            continue
        if group and h.start < end:
            group.append(h)
            end = max(end, h.end)
            continue
        if group:
            out.append(_merged(group, end, rank))
        group, end = [h], h.end
    if group:
        out.append(_merged(group, end, rank))
    return out


def _merged(group: list[Hit], end: int, rank: dict[str, int]) -> Hit:
    best = min(group, key=lambda h: (-(h.end - h.start), rank.get(h.kind, 99)))
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
        if not text:
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
