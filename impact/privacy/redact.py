"""Redact transcripts and free text before they are processed.

One docdeid pipeline (``impact.privacy.detect.build_pipeline``) finds what to
hide, in this order:

1. deduce, the Dutch de-identifier, which works offline: names (from its
   lists of first names and surnames, and the words around them) and places;
2. the private register: names and their spellings (``name_variants``),
   first names and surnames alone, and the exact phone numbers, e-mail
   addresses and addresses of people in it; the study's words to redact;
3. patterns with checksums (``impact.privacy.detect.PATTERNS``): phone
   numbers, e-mail, IBAN, BSN (elfproef), postcodes, street addresses,
   ages, dates of birth, licence plates, social media accounts;

then drops the study's words to keep, merges overlapping finds by one rule
(``detect.merge_hits``) and puts a tag such as ``[NAAM]`` in place of each.
The publish guard runs the same pipeline without deduce.

``Redaction.findings`` says what was replaced and where, for the review
list the researcher uses to fix mistakes (``review_table``).
``Redaction.map_offset`` maps an offset in the original text to the
redacted text, so codings stay on the same words.

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
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from impact.privacy.detect import TAGS, Hit, build_pipeline, hits_of, name_parts, strip_accents


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

    def map_spans(self, starts, ends):
        """``map_span`` of many segments at once (numpy arrays in, numpy arrays out): the same
        offsets, for the hundreds of thousands of codings of a large study.

        Example:
            >>> import numpy as np
            >>> red = redact_text("a Fatima Amrani b", names=["Fatima Amrani"], use_deduce=False)
            >>> [a.tolist() for a in red.map_spans(np.array([0, 4, 16]), np.array([4, 16, 17]))]
            [[0, 2, 9], [8, 9, 10]]
        """
        import numpy as np

        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        if not self.findings:
            return starts.copy(), ends.copy()
        f_start = np.array(self._starts, dtype=np.int64)
        f_end = np.array([f.end for f in self.findings], dtype=np.int64)
        new_start = np.array([f.new_start for f in self.findings], dtype=np.int64)
        new_end = np.array([f.new_end for f in self.findings], dtype=np.int64)

        def offsets(pos, inside):  # map_offset with side "start" (inside = new_start) or "end"
            i = np.searchsorted(f_start, pos, side="right") - 1  # bisect_right - 1
            j = np.maximum(i, 0)
            mapped = np.where(pos >= f_end[j], new_end[j] + (pos - f_end[j]),
                              np.where(pos == f_start[j], new_start[j], inside[j]))
            return np.where(i < 0, pos, mapped)

        return offsets(starts, new_start), offsets(ends, new_end)


# ---- deduce, loaded once per process ---------------------------------------

_DEDUCE = None
_DEDUCE_LOCK = threading.Lock()

# deduce reads its lookup lists from a folder we may choose (``lookup_data_path``, its
# documented way to change them): a copy of its own lists, with two changes. Empty:
# lists deduce would turn into tries that take minutes to build and seconds to load
# (770,000 street names, 244,000 care institutions), whose annotators the pipeline does
# not use (detect.DEDUCE_PROCESSORS). Added to: first names and name particles.
_LEAN_EMPTY_LISTS = ("locations/lst_street", "institutions/lst_healthcare_institution")

# First names deduce's list lacks, common in the Netherlands' larger communities of
# Ghanaian, Polish, Moroccan, Surinamese (Javanese, Hindustani), Somali, Eritrean, Syrian
# and Antillean origin; each is also added without accents. Written for impact from
# general knowledge of these naming traditions (Akan day names, Polish and Javanese
# names), then filtered: only names that deduce does not know, and no Dutch words.
EXTRA_FIRST_NAMES = """
    # ghanaian
    Aba Abenaa Adjoa Adomako Afriyie Agyeiwaa Akos Akosuah Akpene Akwasi Ameyaw Araba Comfortina Delali
    Dzifa Edem Efua Ekow Ekua Elikem Enyonam Esi Fiifi Gifty Godwin Jojo Kekeli Kobena Kojo Kuuku
    Kwabenaa Kwadjo Kwamena Kwamina Kweku Kwesi Mawuena Mawuli Patience Selasi Senyo Yayra
    # polish
    Ania Arkadiusz Bartłomiej Basia Bogumiła Bogusław Bożena Czesław Dariusz Dorota Edyta Elżbieta
    Ewelina Genowefa Gosia Grażyna Grzegorz Ireneusz Iwona Izabela Janusz Jarosław Jolanta Justyna
    Jędrzej Kacper Kasia Leszek Mariusz Małgorzata Małgosia Mieczysław Mirosław Oliwia Paweł Przemysław
    Radosław Rafał Sylwia Szymon Sławomir Urszula Weronika Wiesław Wiktoria Wioletta Wojciech Wojtek
    Zbigniew Zdzisław Zosia Łucja
    # moroccan
    Abdelkrim Mbarek Mohand Mohssine Mouhcine
    # surinamese
    Chandrika Djoko Jagdies Lestari Mahendre Ngatimin Oemesh Paidjo Parman Rajendre Ramdew Sadinah
    Sandjai Sarmi Sarmo Sieuwnath Soedjatmo Soekarni Soekdew Soekhram Soekirman Soeminah Sudarsih
    Sukarni Tjokro Tukimin Wagiman Wati
    # other
    Bashar Churandy Fartun Filmon Ghassan Hamoudi Jeandro Majd Mebrahtu Raghad Rudsel Ruthmila Selam
    Semhar Senait Shanella Sharline Shurendy Tekle Tesfay Yazan Yohannes Yonas Yurick
""".split()
# name particles of Arabic and Berber names ("Rachida Ben Hamou", "Khadija Aït Ouali"), as
# deduce's interfixes such as "van der": the capitalised word after them is a surname
EXTRA_INTERFIXES = ["ben", "bin", "ibn", "ait", "aït", "al", "abou", "bou"]


def deduce_model():
    """The deduce model, built once per process, without the street and care-institution lists.

    Never downloads anything: deduce's lookup lists ship inside the package. The
    lists it needs are copied once to ``~/.cache/impact/`` (or ``$XDG_CACHE_HOME``)
    with deduce's own cache of their tries, so the next process loads them in
    about a second instead of building them (5 seconds).
    """
    global _DEDUCE
    if _DEDUCE is not None:
        return _DEDUCE
    with _DEDUCE_LOCK:
        if _DEDUCE is None:
            _DEDUCE = _build_deduce()
    return _DEDUCE


def _import_deduce():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import deduce

    # deduce calls logging.basicConfig(stdout, DEBUG) when imported: undo that, or every
    # library's debug messages would end up in the CLI's and the notebooks' output
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return deduce


def _lean_lookup_copy(folder: Path) -> None:
    from importlib.resources import files

    source = Path(str(files("deduce") / "data" / "lookup" / "src"))
    shutil.copytree(source, folder / "src", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    for name in _LEAN_EMPTY_LISTS:
        shutil.rmtree(folder / "src" / name)
        (folder / "src" / name).mkdir()
        (folder / "src" / name / "items.txt").write_text("", encoding="utf-8")
    extra = {"names/lst_first_name": sorted({v for n in EXTRA_FIRST_NAMES for v in (n, strip_accents(n))}),
             "names/lst_interfix": EXTRA_INTERFIXES}
    for name, items in extra.items():
        path = folder / "src" / name / "items.txt"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n" + "\n".join(items) + "\n", encoding="utf-8")


def _build_deduce():
    from importlib.metadata import version

    deduce = _import_deduce()
    cache_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "impact"
    # the name says what is in it: a change to the lists here gets a new folder
    digest = hashlib.sha256(repr((_LEAN_EMPTY_LISTS, EXTRA_FIRST_NAMES, EXTRA_INTERFIXES)).encode()).hexdigest()[:10]
    final = cache_root / f"deduce-{version('deduce')}-{digest}"
    level = logging.getLogger().level
    logging.getLogger().setLevel(max(level, logging.WARNING))  # deduce says "please wait" at INFO
    try:
        if (final / "cache").is_dir():
            return deduce.Deduce(lookup_data_path=final, cache_path=final)
        try:
            cache_root.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".deduce-", dir=cache_root))
        except OSError:  # no writable cache folder: build in a temporary one, every time
            work = Path(tempfile.mkdtemp(prefix="impact-deduce-"))
        try:
            _lean_lookup_copy(work)
            model = deduce.Deduce(lookup_data_path=work, cache_path=work)
            if work.parent == cache_root:
                try:
                    # whole folder at once: a process running beside us sees all of it or nothing
                    os.rename(work, final)
                except OSError:
                    pass  # another process was first
            return model
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        logging.getLogger().setLevel(level)


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
    ``pipeline`` is the docdeid pipeline (``detect.build_pipeline``).
    """

    def __init__(self, names: Iterable[str] = (), phones: Iterable[str] = (),
                 emails: Iterable[str] = (), addresses: Iterable[str] = (),
                 always: Iterable[str] = (), keep: Iterable[str] = (), use_deduce: bool = True):
        names = [str(n) for n in names if n and str(n).strip()]
        self.use_deduce = use_deduce
        self.pipeline = build_pipeline(
            names=names, parts=[p for n in names for p in name_parts(n)],
            values={"phone": phones, "email": emails, "address": addresses}, always=always, keep=keep,
            deduce=deduce_model() if use_deduce else None)

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
        return hits_of(self.pipeline.deidentify(text, disabled={"tags"}))

    def redact(self, text: str) -> Redaction:
        """``text`` with every hit replaced by its tag; see ``Redaction``."""
        if not text:
            return Redaction("" if text is None else text, [])
        doc = self.pipeline.deidentify(text)
        findings = []
        shift = 0
        for h in hits_of(doc):
            tag = TAGS.get(h.kind, "[WEG]")
            findings.append(RedactedSpan(h.start, h.end, h.kind, text[h.start:h.end], tag,
                                         h.start + shift, h.start + shift + len(tag), h.source))
            shift += len(tag) - (h.end - h.start)
        return Redaction(doc.deidentified_text, findings)


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
            problems.append(Problem(shown, line, "text", "", Text("een woord of naam")))
        elif action in ("weglakken", "redact", "wegstrepen"):
            always.append(text)
        elif action in ("laten", "keep", "houden", "laten staan"):
            keep.append(text)
        else:
            problems.append(Problem(shown, line, "action", action, Text("'weglakken' of 'laten'")))
    return always, keep, problems
