"""Redact transcripts and free text before they are processed.

Three sources of hits, merged into one list of spans:

1. the private register: names and their spellings (``name_variants``),
   first names and surnames alone, and the exact phone numbers, e-mail
   addresses and addresses of people in it;
2. patterns with checksums (``impact.privacy.detect``): phone numbers,
   e-mail, IBAN, BSN (elfproef), postcodes, street addresses, ages, dates
   of birth;
3. deduce, the Dutch de-identifier, which works offline: other names
   (from its lists of first names and surnames) and places.

Each span is replaced by a tag such as ``[NAAM]``. ``Redaction.findings``
says what was replaced and where, for the review list the researcher uses
to fix mistakes (``review_table``). ``Redaction.map_offset`` maps an offset
in the original text to the redacted text, so codings stay on the same words.

Rules from the study (``data/raw/redaction_rules.csv``) add words to always
redact and words never to redact (see docs/privacy.md).

Example:
    >>> red = redact_text("Ik ben Fatima el Amrani, bel 06-12345678.", names=["Fatima el Amrani"],
    ...                   use_deduce=False)
    >>> red.text
    'Ik ben [NAAM], bel [TELEFOON].'
    >>> [(f.kind, f.start, f.end) for f in red.findings]
    [('name', 7, 23), ('phone', 29, 40)]
    >>> red.map_offset(3), red.map_offset(29)
    (3, 19)
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from impact.privacy.detect import (TAGS, Hit, NameMatcher, ValueMatcher, find_pii, fold, merge_hits,
                                   name_parts)


@dataclass(frozen=True)
class RedactedSpan:
    """One replaced piece of text. ``start``/``end`` are offsets in the original text,
    ``new_start``/``new_end`` in the redacted text. ``original`` is private."""

    start: int
    end: int
    kind: str
    original: str
    replacement: str
    new_start: int
    new_end: int
    source: str = "pattern"


@dataclass(frozen=True)
class Redaction:
    """A redacted text and what was replaced."""

    text: str
    findings: list[RedactedSpan] = field(default_factory=list)

    def map_offset(self, pos: int, side: str = "auto") -> int:
        """The offset in the redacted text for offset ``pos`` in the original text.

        An offset inside a replaced span snaps to a boundary of its tag:
        ``side="start"`` to the tag's start (a coding starting there keeps
        the tag), ``side="end"`` to its end, ``"auto"`` to the nearer one
        (the end on a tie). Use ``map_span`` for a coding: it snaps outward.

        Example:
            >>> red = redact_text("a Fatima Amrani b", names=["Fatima Amrani"], use_deduce=False)
            >>> red.text, red.map_offset(16), red.map_offset(4, "start"), red.map_offset(4, "end")
            ('a [NAAM] b', 9, 2, 8)
        """
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        f = self.findings[i]
        if pos >= f.end:
            return f.new_end + (pos - f.end)
        if pos == f.start:
            return f.new_start
        if side == "start":
            return f.new_start
        if side == "end":
            return f.new_end
        return f.new_start if (pos - f.start) < (f.end - pos) else f.new_end

    @cached_property
    def _starts(self) -> list[int]:
        # built once: a transcript's codings map hundreds of offsets
        return [f.start for f in self.findings]

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets of a coded segment in the redacted text; a segment that starts or ends
        inside a replaced span grows to take the whole tag."""
        return self.map_offset(start, "start"), self.map_offset(end, "end")


# ---- deduce, loaded once per process ---------------------------------------

_DEDUCE = None
_DEDUCE_LOCK = threading.Lock()

# Big lookup lists deduce would turn into tries (770,000 street names, 244,000
# care institutions) take 2-3 minutes to build on first use; without them the
# model builds in about 5 seconds. Streets with a street suffix and a house
# number are found by our own pattern; addresses from the register exactly.
_LEAN_SKIP_LISTS = {"locations/lst_street", "institutions/lst_healthcare_institution"}
_LEAN_SKIP_ANNOTATORS = ("street_lookup", "institution")

_DEDUCE_KINDS = {
    "persoon": "name", "patient": "name", "locatie": "place", "leeftijd": "age",
    "telefoonnummer": "phone", "emailadres": "email", "bsn": "bsn",
}


def deduce_model():
    """The deduce model (lean: no street and care-institution lists), built once per process.

    Never downloads anything: deduce's lookup lists ship inside the package.
    """
    global _DEDUCE
    if _DEDUCE is not None:
        return _DEDUCE
    with _DEDUCE_LOCK:
        if _DEDUCE is None:
            _DEDUCE = _build_lean_deduce()
    return _DEDUCE


def _build_lean_deduce():
    import json
    import logging

    import docdeid as dd
    import deduce.deduce as dmod
    import deduce.lookup_structs as ls

    def lean_structs(lookup_path, cache_path, tokenizer, deduce_version, build=False):
        subdirs = [s for s in ls.all_lists if s not in _LEAN_SKIP_LISTS]
        base = ls.load_raw_itemsets(base_path=lookup_path, subdirs=subdirs)
        structs = dd.ds.DsCollection()
        for name in set(base) - set(ls._LOOKUP_SET_LOADERS) - set(ls._LOOKUP_TRIE_LOADERS):
            items = dd.ds.LookupSet()
            items.add_items_from_iterable(base[name])
            structs[name] = items
        for name, load in ls._LOOKUP_SET_LOADERS.items():
            structs[name] = load(base)
        for name, load in ls._LOOKUP_TRIE_LOADERS.items():
            if name not in ("street", "healthcare_institution"):
                structs[name] = load(base, tokenizer)
        return structs

    with open(dmod._BASE_CONFIG_FILE, encoding="utf-8") as fh:
        config = json.load(fh)
    for name in _LEAN_SKIP_ANNOTATORS:
        config["annotators"].pop(name, None)
    # Deduce() reads its lookup structures through this module-level function;
    # swapping it for the lean builder is the one hook deduce 3 offers.
    original = dmod.get_lookup_structs
    dmod.get_lookup_structs = lean_structs
    level = logging.getLogger().level
    try:
        logging.getLogger().setLevel(max(level, logging.WARNING))
        return dmod.Deduce(load_base_config=False, config=config)
    finally:
        dmod.get_lookup_structs = original
        logging.getLogger().setLevel(level)


def _deduce_hits(text: str) -> list[Hit]:
    from impact.privacy.detect import _POSTCODE

    doc = deduce_model().deidentify(text)
    hits = []
    for a in doc.annotations:
        tag = a.tag.split("+")[0] if a.tag not in _DEDUCE_KINDS else a.tag
        kind = _DEDUCE_KINDS.get(a.tag) or _DEDUCE_KINDS.get(tag)
        if kind is None:
            continue
        start, end = a.start_char, a.end_char
        piece = text[start:end]
        # deduce's spans may carry a space at an end
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if end <= start:
            continue
        if kind == "place":
            piece = text[start:end]
            if _POSTCODE.fullmatch(piece):
                kind = "postcode"
            elif re.search(r"\d", piece):
                kind = "address"
        hits.append(Hit(start, end, kind, "deduce"))
    return hits


# ---- the redactor ------------------------------------------------------------

def _split_variants(value) -> list[str]:
    if value is None:
        return []
    return [v.strip() for v in str(value).split(";") if v.strip()]


class Redactor:
    """Redacts texts for one study: its register, its rules, patterns, and deduce.

    ``names``: names and spellings of people in the register (their parts
    are added). ``phones``, ``emails``, ``addresses``: their contact data.
    ``always``: extra words to redact (tag ``[WEG]``), ``keep``: words that
    must never be redacted (district names, organisations, a name deduce
    gets wrong). ``use_deduce=False`` skips deduce (for quick checks).
    """

    def __init__(self, names: Iterable[str] = (), phones: Iterable[str] = (),
                 emails: Iterable[str] = (), addresses: Iterable[str] = (),
                 always: Iterable[str] = (), keep: Iterable[str] = (), use_deduce: bool = True):
        names = [n for n in names if n and str(n).strip()]
        parts = [p for n in names for p in name_parts(str(n))]
        self._names = NameMatcher(names, parts)
        self._values = ValueMatcher(phones, emails, addresses)
        self._always = NameMatcher(always, kind="term", source="rule")
        self._keep = {fold(k.strip()) for k in keep if k and k.strip()}
        self.use_deduce = use_deduce

    @classmethod
    def from_register(cls, people, always: Iterable[str] = (), keep: Iterable[str] = (),
                      use_deduce: bool = True) -> "Redactor":
        """A redactor from the raw register (a polars DataFrame with some of the columns
        ``name``, ``name_variants``, ``phone``, ``email``, ``address``)."""
        def col(name):
            return [v for v in people[name].to_list() if v] if name in people.columns else []

        names = col("name") + [v for cell in col("name_variants") for v in _split_variants(cell)]
        return cls(names=names, phones=col("phone"), emails=col("email"),
                   addresses=col("address"), always=always, keep=keep, use_deduce=use_deduce)

    def hits(self, text: str) -> list[Hit]:
        """The merged spans to redact in ``text`` (before replacing)."""
        if not text:
            return []
        hits = self._names.find(text) + self._values.find(text) + self._always.find(text)
        hits += find_pii(text)
        if self.use_deduce:
            hits += _deduce_hits(text)
        if self._keep:
            hits = [h for h in hits if fold(text[h.start:h.end]).strip() not in self._keep]
        return merge_hits(hits)

    def redact(self, text: str) -> Redaction:
        """``text`` with every hit replaced by its tag; see ``Redaction``."""
        if text is None:
            return Redaction("", [])
        pieces, findings = [], []
        pos = new_pos = 0
        for h in self.hits(text):
            pieces.append(text[pos:h.start])
            new_pos += h.start - pos
            tag = TAGS.get(h.kind, "[WEG]")
            findings.append(RedactedSpan(h.start, h.end, h.kind, text[h.start:h.end], tag,
                                         new_pos, new_pos + len(tag), h.source))
            pieces.append(tag)
            new_pos += len(tag)
            pos = h.end
        pieces.append(text[pos:])
        return Redaction("".join(pieces), findings)


def redact_text(text: str, names: Iterable[str] = (), use_deduce: bool = True) -> Redaction:
    """Redact one text with the given ``names`` (and their parts), patterns and deduce."""
    return Redactor(names=names, use_deduce=use_deduce).redact(text)


def review_table(redactions, width: int = 40):
    """The review list: one row per replaced span, for the researcher (PRIVATE: holds the originals).

    ``redactions``: a mapping ``document -> Redaction`` or pairs
    ``(document, Redaction)``. Columns: document, line (in the original
    text, 1-based), start, end, kind, source, original, replacement,
    context (the redacted text around the tag, the tag between ``»«``).
    Write it to ``data/private/`` (never under ``data/processed`` or
    ``reports``). Example:

        >>> red = redact_text("Hallo\\nik ben Fatima Amrani.", names=["Fatima Amrani"], use_deduce=False)
        >>> review_table({"I01": red}).select("document", "line", "kind", "original", "context").row(0)
        ('I01', 2, 'name', 'Fatima Amrani', 'Hallo ik ben »[NAAM]«.')
    """
    import polars as pl

    items = redactions.items() if hasattr(redactions, "items") else redactions
    rows = []
    for document, red in items:
        for f in red.findings:
            before = red.text[max(0, f.new_start - width):f.new_start]
            after = red.text[f.new_end:f.new_end + width]
            context = re.sub(r"\s+", " ", f"{before}»{f.replacement}«{after}")
            rows.append({"document": str(document), "line": _line_of(red, f), "start": f.start, "end": f.end,
                         "kind": f.kind, "source": f.source, "original": f.original,
                         "replacement": f.replacement, "context": context})
    schema = {"document": pl.Utf8, "line": pl.Int64, "start": pl.Int64, "end": pl.Int64, "kind": pl.Utf8,
              "source": pl.Utf8, "original": pl.Utf8, "replacement": pl.Utf8, "context": pl.Utf8}
    return pl.DataFrame(rows, schema=schema)


def _line_of(red: Redaction, f: RedactedSpan) -> int:
    # a tag holds no line break, but a replaced name may have held one
    lost = sum(g.original.count("\n") for g in red.findings if g.new_start < f.new_start)
    return red.text.count("\n", 0, f.new_start) + lost + 1


def load_redaction_rules(study) -> tuple[list[str], list[str], list]:
    """Words to always redact and words to keep, from ``data/raw/redaction_rules.csv``.

    Columns ``text`` and ``action`` (``weglakken``/``redact`` or
    ``laten``/``keep``). Returns ``(always, keep, problems)``; no file is
    no rules.
    """
    from impact.errors import InputError, Problem, Text
    from impact.tabular import read_table

    path = next((study.raw / f"redaction_rules{ext}" for ext in (".csv", ".xlsx")
                 if (study.raw / f"redaction_rules{ext}").is_file()), None)
    if path is None:
        return [], [], []
    shown = study.rel(path)
    try:
        table = read_table(path, required=["text", "action"], display=shown)
    except InputError as err:
        return [], [], list(err.problems)
    always, keep, problems = [], [], list(table.problems)
    for row, line in zip(table.rows, table.row_numbers):
        text, action = row.get("text", "").strip(), row.get("action", "").strip().lower()
        if not text:
            problems.append(Problem(shown, line, "text", "", Text("een woord of naam", "a word or name")))
        elif action in ("weglakken", "redact", "wegstrepen"):
            always.append(text)
        elif action in ("laten", "keep", "houden", "laten staan"):
            keep.append(text)
        else:
            problems.append(Problem(shown, line, "action", action, Text(
                "'weglakken' of 'laten'", "'redact' or 'keep'")))
    return always, keep, problems
