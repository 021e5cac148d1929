"""Coding a transcript without markup or Python: the logic and a thin ipywidgets view.

``CodingSession`` is the pure logic: choose a transcript, read it
paragraph by paragraph (redacted), tick codes from the codebook, propose a
new code, see progress, save. ``coding_view`` puts ipywidgets buttons on top
of it for notebook ``06_coderen``.

Saving writes the same file the plain-text way of coding uses,
``data/raw/codings/<coder>/<interview>.md``, with the inline markup of
``impact.coding`` over the ORIGINAL transcript text (offsets are on that
text; ``impact process`` redacts later). So both ways of coding are one
data set. Rules for the two raw files the widget edits:

* A tick is a span over a whole paragraph. Spans the coder wrote by hand
  (part of a paragraph, or codes not in the codebook) are kept as they are.
* Files are written atomically (temporary file, then rename) under a lock,
  and checked: parsing the new file gives back the transcript text and
  exactly the intended codings, or nothing is written.
* If someone changed the coder file since it was opened (a text editor,
  a second tab), their changes are merged with the ticks made here.
* A proposed code is appended to ``data/raw/codebook.yaml`` as text, so the
  comments and layout people wrote stay; origin ``inductive``,
  ``proposed_by`` the coder.
* A memo (``write_memo``) is a new file in ``data/raw/memos/`` (see
  ``impact.coding.memos``), about the interview, a paragraph, a code, or a
  code on a paragraph; an existing memo is never changed. The memos about
  the interview, the paragraph and its codes are shown beside the text
  (redacted, like the paragraphs).

No other raw file is touched.

Example:
    >>> import tempfile, pathlib
    >>> from impact.study import init_study
    >>> study = init_study(pathlib.Path(tempfile.mkdtemp()) / "s")
    >>> _ = (study.raw / "transcripts").mkdir(exist_ok=True)
    >>> _ = (study.raw / "transcripts" / "I01.md").write_text(
    ...     "---\\ninterview: I01\\n---\\nA: Ik wil werken.\\n\\nB: Mooi.\\n", encoding="utf-8")
    >>> _ = (study.raw / "codebook.yaml").write_text("codes:\\n  - code: werk\\n", encoding="utf-8")
    >>> s = CodingSession(study, "BB03", redact=str)
    >>> s.load("I01")
    >>> s.tick(0, "werk"); s.progress()
    (1, 2)
    >>> s.save().read_text(encoding="utf-8").splitlines()[-3:]
    ['[A: Ik wil werken.]{#werk}', '', 'B: Mooi.']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from impact.errors import ImpactError, InputError, Problem, Text
from impact.files import locked, write_atomic
from impact.privacy.escape import escape_html as _escape

CODER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
CODEBOOK_NAME = "codebook.yaml"


# --- pure helpers -------------------------------------------------------------

@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the transcript: offsets in the original text, and the redacted text shown."""

    index: int
    start: int
    end: int
    shown: str
    speaker: str | None = None


def split_ticks(bounds: list[tuple[int, int]], codings, lookup: dict[str, str]):
    """Split codings into paragraph ticks and spans to keep as written.

    A coding over exactly one paragraph whose code is in the codebook is a
    tick (aliases resolve to the current name); every other coding is kept.

    Example:
        >>> ticks, kept = split_ticks([(0, 5), (7, 9)], [(0, 5, "drive"), (1, 3, "x"), (7, 9, "nieuw")],
        ...                           {"drive": "motivatie", "motivatie": "motivatie"})
        >>> ticks, kept
        ({0: {'motivatie'}, 1: set()}, [(1, 3, 'x'), (7, 9, 'nieuw')])
    """
    index = {b: i for i, b in enumerate(bounds)}
    ticks: dict[int, set[str]] = {i: set() for i in range(len(bounds))}
    kept: list[tuple[int, int, str]] = []
    for start, end, code in codings:
        i = index.get((start, end))
        current = lookup.get(str(code).lower())
        if i is not None and current is not None:
            ticks[i].add(current)
        else:
            kept.append((start, end, code))
    return ticks, kept


def merge_ticks(base: dict[int, set[str]], mine: dict[int, set[str]], theirs: dict[int, set[str]]):
    """Three-way merge per paragraph: what I added or removed since ``base``, applied to ``theirs``.

    Example:
        >>> merge_ticks({0: {"a"}}, {0: {"b"}}, {0: {"a", "c"}})
        {0: {'b', 'c'}}
    """
    out = {}
    for i in set(base) | set(mine) | set(theirs):
        b, m, t = base.get(i, set()), mine.get(i, set()), theirs.get(i, set())
        out[i] = (t | (m - b)) - (b - m)
    return out


def read_coded_copy(raw: str, text: str, file: str) -> tuple[str, list[tuple[int, int, str]]]:
    """(header block, codings) of an existing coder file; ``InputError`` if it cannot be kept intact.

    The widget refuses to save over a file whose markup has errors or whose
    text differs from the transcript: that would lose what the coder wrote.
    """
    from impact.coding.markup import parse_markup
    from impact.coding.transcripts import normalise_text, split_header

    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header_lines, body, body_line = split_header(raw)
    header = ""
    if header_lines:
        header = "---\n" + "".join(line + "\n" for _, line in header_lines) + "---\n"
    lines = body.split("\n")
    top = 0
    while top < len(lines) and not lines[top].strip():
        top += 1
    parsed = parse_markup(normalise_text(body), codes=None, file=file, first_line=body_line + top, strict=False)
    problems = list(parsed.errors)
    if parsed.text != text:
        at = next((i for i, (a, b) in enumerate(zip(parsed.text, text)) if a != b), min(len(parsed.text), len(text)))
        problems.append(Problem(file, body_line + top + parsed.text.count("\n", 0, at), None,
                                parsed.text[at:at + 30].split("\n")[0], Text("dezelfde tekst als het "
                                                                             "transcript"),
                                unit="line"))
    if problems:
        raise InputError(Text("{file}: dit bestand is met de hand veranderd en klopt niet meer. Verbeter het "
                              "eerst; anders zou opslaan je werk overschrijven.",
                              file=file), problems)
    return header, [(c.start, c.end, c.code) for c in parsed.codings]


def append_code(source: str, entry: dict) -> str:
    """``source`` (codebook YAML) with ``entry`` added as the last code, comments and layout kept.

    Example:
        >>> print(append_code("# ons codeboek\\ncodes:\\n  - code: werk  # betaald\\n",
        ...                   {"code": "trots", "origin": "inductive"}), end="")
        # ons codeboek
        codes:
          - code: werk  # betaald
          - code: trots
            origin: inductive
    """
    import yaml

    old = yaml.safe_load(source) if source.strip() else None
    lines = source.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if old is None:
        new_lines = lines + ["codes:"] + _entry_lines(entry, 2)
    elif isinstance(old, list):
        new_lines = lines + _entry_lines(entry, _item_indent(lines, 0, len(lines)))
    elif isinstance(old, dict) and "codes" in old:
        key = next((i for i, line in enumerate(lines) if re.match(r"^codes\s*:", line)), None)
        if key is None:
            raise _cannot_append(entry)
        rest = re.sub(r"\s+#.*$", "", lines[key].split(":", 1)[1]).strip()
        if rest in ("[]", "~", "null"):
            lines[key] = "codes:"
            rest = ""
        if rest:
            raise _cannot_append(entry)
        end = key + 1
        indent = _item_indent(lines, key + 1, len(lines))
        last = key
        while end < len(lines):
            line = lines[end]
            bare = line.strip()
            if bare and not bare.startswith("#"):
                if not line[0].isspace() and not (indent == 0 and line.startswith("-")):
                    break
                last = end
            end += 1
        new_lines = lines[:last + 1] + _entry_lines(entry, indent) + lines[last + 1:]
    else:
        raise _cannot_append(entry)
    result = "\n".join(new_lines) + "\n"
    check = yaml.safe_load(result)
    before = old if isinstance(old, list) else (old or {}).get("codes") or []
    after = check if isinstance(check, list) else (check or {}).get("codes")
    if after != list(before) + [yaml.safe_load(yaml.safe_dump(entry))]:
        raise _cannot_append(entry)
    if isinstance(old, dict) and {k: v for k, v in check.items() if k != "codes"} != \
            {k: v for k, v in old.items() if k != "codes"}:
        raise _cannot_append(entry)
    return result


def _item_indent(lines: list[str], start: int, stop: int) -> int:
    for line in lines[start:stop]:
        m = re.match(r"^(\s*)- ", line)
        if m:
            return len(m.group(1))
        if line.strip() and not line.strip().startswith("#") and not line[0].isspace():
            break
    return 2


def _entry_lines(entry: dict, indent: int) -> list[str]:
    import yaml

    text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return [" " * indent + line for line in text.rstrip("\n").split("\n")]


def _cannot_append(entry: dict) -> ImpactError:
    return ImpactError(Text("De code '{get}' kan niet vanzelf aan het codeboek worden toegevoegd: de opmaak "
                            "van data/raw/codebook.yaml is anders dan verwacht. Voeg de code met de hand toe.",
                            get=entry.get('code')))


def normalise_code_name(name: str) -> str:
    """``"Eigen Kracht "`` -> ``"eigen_kracht"``: lower case, spaces become ``_``.

    Example:
        >>> normalise_code_name("  Eigen Kracht ")
        'eigen_kracht'
    """
    return re.sub(r"\s+", "_", str(name).strip().lower())


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _read(path: Path) -> str:
    from impact.tabular import decode_bytes

    return decode_bytes(path.read_bytes())[0]


def default_redactor(study) -> Callable[[str], str]:
    """The study's redaction, as ``impact process`` does it: names and variants from the people
    register, phone numbers, e-mail and addresses (``impact.privacy.Redactor``).

    Never falls back to showing unredacted text: without a redactor this is an error.
    """
    import polars as pl

    from impact import registers as rg

    try:
        from impact.privacy import Redactor
    except ImportError:
        raise ImpactError(Text("Namen weglaten kan hier nog niet (impact.privacy mist de redactie).")) from None
    spec = next(s for s in rg.REGISTERS if s.name == "people")
    people = rg.load_register(study.raw, spec, study.config.districts, study.root).records
    columns = ("person_id", "name", "name_variants", "phone", "email", "address")
    register = pl.DataFrame([{k: r.get(k) for k in columns} for r in people],
                            schema={k: pl.Utf8 for k in columns})
    redactor = Redactor.from_register(register)
    return lambda text: redactor.redact(text).text


# --- the session ----------------------------------------------------------------

@dataclass
class CodingSession:
    """One coder coding transcripts of one study, paragraph by paragraph.

    ``redact`` turns a paragraph into the text shown (default: the study's
    redaction); ``today`` gives ``date_added`` for proposed codes.
    """

    study: object
    coder: str
    redact: Callable[[str], str] | None = None
    today: Callable[[], dt.date] = dt.date.today
    document: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    ticks: dict[int, set[str]] = field(default_factory=dict)
    _text: str = ""
    _header: str = ""
    _kept: list = field(default_factory=list)
    _base: dict = field(default_factory=dict)
    _digest: str | None = None
    _codebook: object = None
    _transcripts: object = None

    def __post_init__(self):
        from impact.data import find_study

        self.study = find_study(self.study)
        self.coder = check_coder(self.coder)
        if self.redact is None:
            self.redact = default_redactor(self.study)
        self.reload_codebook()

    # -- reading --
    @property
    def path(self) -> Path:
        """The coder file of the loaded transcript."""
        if self.document is None:
            raise ImpactError(Text("Kies eerst een interview."))
        return self.study.raw / "codings" / self.coder / f"{self.document}.md"

    def transcripts(self, district: str | None = None):
        """The interviews that can be coded: document, district, actor_type (polars table).

        Interviews without consent (``consent: nee`` in the header) are left out.
        """
        import polars as pl

        from impact.coding.transcripts import load_transcripts

        if self._transcripts is None:
            table, _problems = load_transcripts(self.study)
            self._transcripts = table.filter(pl.col("consent").is_null() | pl.col("consent"))
        table = self._transcripts
        if district:
            table = table.filter(pl.col("district").str.to_lowercase() == str(district).lower())
        return table.select("document", "district", "actor_type")

    def reload_codebook(self) -> None:
        from impact.coding.codebook import load_codebook

        book, problems = load_codebook(self.study)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InputError(Text("Het codeboek (data/raw/codebook.yaml) heeft fouten."), errors)
        self._codebook = book

    @property
    def codes(self) -> list[dict]:
        """The codebook's codes: code, parent, definition, when_to_use, when_not_to_use, example, origin."""
        return self._codebook.drop("aliases", "date_added").to_dicts() if self._codebook.height else []

    def code_names(self) -> list[str]:
        return [c["code"] for c in self.codes]

    def load(self, document: str) -> None:
        """Open ``document`` (the interview id) with this coder's earlier work."""
        import polars as pl

        from impact.coding.codebook import code_lookup
        from impact.coding.transcripts import text_units

        row = self.transcripts().filter(pl.col("document") == document)
        if row.height == 0:
            raise ImpactError(Text("Interview '{document}' staat niet in data/raw/transcripts (of mag niet "
                                   "worden gecodeerd).",
                                   document=document))
        self.document = document
        self._text = self._transcripts.filter(pl.col("document") == document)["text"][0] or ""
        units = text_units(self._text, "paragraph")
        self.paragraphs = [Paragraph(i, u["start"], u["end"], self.redact(u["text"]), u["speaker"])
                           for i, u in enumerate(units)]
        header, codings = self._read_file()
        ticks, kept = split_ticks(self._bounds(), codings, code_lookup(self._codebook))
        self._header, self._kept, self.ticks = header, kept, ticks
        self._base = {i: set(c) for i, c in ticks.items()}

    def _bounds(self) -> list[tuple[int, int]]:
        return [(p.start, p.end) for p in self.paragraphs]

    def _read_file(self):
        path = self.path
        self._digest = _digest(path)
        if self._digest is None:
            return f"---\ninterview: {self.document}\n---\n", []
        return read_coded_copy(_read(path), self._text, self.study.rel(path))

    # -- coding --
    def _check(self, index: int, code: str) -> str:
        if not 0 <= index < len(self.paragraphs):
            raise ImpactError(Text("Stuk {value} bestaat niet (er zijn {n_paragraphs} stukken).",
                                   value=index + 1, n_paragraphs=len(self.paragraphs)))
        from impact.coding.codebook import code_lookup

        current = code_lookup(self._codebook).get(str(code).lower())
        if current is None:
            raise ImpactError(Text("De code '{code}' staat niet in het codeboek.", code=code))
        return current

    def tick(self, index: int, code: str) -> None:
        """Give paragraph ``index`` (0-based) the code ``code``."""
        self.ticks.setdefault(index, set()).add(self._check(index, code))

    def untick(self, index: int, code: str) -> None:
        self.ticks.setdefault(index, set()).discard(self._check(index, code))

    def set_codes(self, index: int, codes) -> None:
        """Exactly these codes on paragraph ``index`` (ticks only; hand-written spans stay)."""
        self.ticks[index] = {self._check(index, c) for c in codes}

    def hand_codes(self, index: int) -> list[str]:
        """Codes the coder wrote by hand inside or across paragraph ``index`` (kept as written)."""
        p = self.paragraphs[index]
        return sorted({code for s, e, code in self._kept if s < p.end and e > p.start})

    def progress(self) -> tuple[int, int]:
        """(paragraphs with at least one code, all paragraphs)."""
        done = sum(1 for i in range(len(self.paragraphs)) if self.ticks.get(i) or self.hand_codes(i))
        return done, len(self.paragraphs)

    def next_uncoded(self, after: int = -1) -> int | None:
        """The first paragraph after ``after`` without any code (wraps around), or None."""
        n = len(self.paragraphs)
        for k in range(1, n + 1):
            i = (after + k) % n
            if not self.ticks.get(i) and not self.hand_codes(i):
                return i
        return None

    def codings(self) -> list[tuple[int, int, str]]:
        """Every coding the saved file will hold: ticks and kept spans, sorted."""
        bounds = self._bounds()
        out = {(bounds[i][0], bounds[i][1], c) for i, codes in self.ticks.items() for c in codes}
        out |= set(self._kept)
        return sorted(out)

    # -- writing --
    def save(self) -> Path:
        """Write the coder file (atomically, checked); merge changes made elsewhere meanwhile."""
        from impact.coding.codebook import code_lookup
        from impact.coding.markup import parse_markup, write_markup

        path = self.path
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        with locked(folder):
            if _digest(path) != self._digest:
                header, codings = self._read_file()
                theirs, kept = split_ticks(self._bounds(), codings, code_lookup(self._codebook))
                self.ticks = merge_ticks(self._base, self.ticks, theirs)
                self._header, self._kept = header, kept
            wanted = self.codings()
            body = write_markup(self._text, wanted)
            back = parse_markup(body, codes=None, strict=True)
            if back.text != self._text or sorted({(c.start, c.end, c.code) for c in back.codings}) != wanted:
                raise ImpactError(Text("Opslaan is gestopt: de codes konden niet precies worden bewaard."))
            write_atomic(path, self._header + body + "\n")
            self._digest = _digest(path)
        self._base = {i: set(c) for i, c in self.ticks.items()}
        return path

    # -- memos --
    def memos(self, index: int | None = None, code: str | bool | None = None) -> list[dict]:
        """Memos of the study (redacted for display), newest first: about the loaded interview (and with
        ``index`` only those about that paragraph or the whole interview), or with ``code`` about that code
        (``code=True``: about any code; ``about`` holds the code's current name)."""
        from impact.coding.codebook import code_lookup
        from impact.coding.memos import read_memo_records

        records, _ = read_memo_records(self.study)
        lookup = code_lookup(self._codebook)
        out = []
        for rec in records:
            if code is not None:
                current = lookup.get(str(rec["about"]).lower()) if rec["about_kind"] == "code" else None
                rec = dict(rec, about=current or rec["about"])
                keep = rec["about_kind"] == "code" and (code is True or current == lookup.get(str(code).lower()))
            else:
                keep = rec["about_kind"] in ("document", "coding") and rec["about"] == self.document
                if keep and index is not None and rec["start"] is not None:
                    p = self.paragraphs[index]
                    keep = rec["start"] < p.end and rec["end"] > p.start
            if keep:
                out.append({k: v for k, v in rec.items() if not k.startswith("_")} |
                           {"text": self.redact(rec["text"]), "title": self.redact(rec["title"] or "") or None})
        return sorted(out, key=lambda r: (r["date"] or dt.date.min, r["memo"]), reverse=True)

    def write_memo(self, text: str, index: int | None = None, code: str | None = None, title: str | None = None,
                   publish: bool = False) -> Path:
        """Write a new memo by this coder: about the interview, paragraph ``index``, ``code``, or ``code`` on
        paragraph ``index`` (that coding is saved first). ``publish``: may be listed in a report."""
        from impact.coding.memos import memo_files, memo_id_for, normalise_body, write_memo_file

        body = normalise_body(str(text or ""))
        if not body:
            raise ImpactError(Text("Schrijf eerst iets in de memo."))
        about: dict = {"about_kind": "document", "about": self.document, "start": None, "end": None, "code": None}
        if code is not None:
            from impact.coding.codebook import code_lookup

            current = code_lookup(self._codebook).get(str(code).lower())
            if current is None:
                raise ImpactError(Text("De code '{code}' staat niet in het codeboek.", code=code))
            code = current
        if index is not None:
            if self.document is None or not 0 <= index < len(self.paragraphs):
                raise ImpactError(Text("Kies eerst een interview en een stuk."))
            p = self.paragraphs[index]
            about.update(start=p.start, end=p.end)
            if code is not None:
                if code not in self.ticks.get(index, set()):
                    raise ImpactError(Text("Dit stuk heeft de code '{code}' niet. Vink de code eerst aan.",
                                           code=code))
                self.save()
                about.update(about_kind="coding", code=code)
        elif code is not None:
            about = {"about_kind": "code", "about": code, "start": None, "end": None, "code": None}
        elif self.document is None:
            raise ImpactError(Text("Kies eerst een interview."))
        today = self.today()
        with locked(self.study.raw):
            taken = {p.stem for p in memo_files(self.study)}
            rec = {"memo": memo_id_for(self.coder, today, title, taken), "author": self.coder, "date": today,
                   "title": " ".join(str(title).split()) if title and str(title).strip() else None,
                   "publish": bool(publish), "text": body, **about}
            return write_memo_file(self.study, rec)

    def propose_code(self, code: str, definition: str, example: str | None = None,
                     parent: str | None = None, when_to_use: str | None = None) -> str:
        """Add a new code to data/raw/codebook.yaml (origin inductive, proposed_by this coder).

        Returns the code's name as stored (lower case, ``_`` for spaces).
        """
        from impact.coding.codebook import code_lookup, parse_codebook, valid_code_name

        name = normalise_code_name(code)
        if not name or not valid_code_name(name):
            raise ImpactError(Text("'{code}' kan geen codenaam zijn: gebruik letters, cijfers of _ (geen [ ] "
                                   "{{ }} # of +).",
                                   code=code))
        if not str(definition or "").strip():
            raise ImpactError(Text("Schrijf in een zin wat de nieuwe code betekent."))
        path = self.study.raw / CODEBOOK_NAME
        if not path.exists() and (self.study.raw / "codebook.yml").exists():
            path = self.study.raw / "codebook.yml"
        with locked(self.study.raw):
            source = _read(path) if path.exists() else ""
            book, _ = parse_codebook(source, self.study.rel(path))
            lookup = code_lookup(book)
            if name in lookup:
                raise ImpactError(Text("De code '{name}' bestaat al (als '{value}').",
                                       name=name, value=lookup[name]))
            if parent is not None and normalise_code_name(parent) not in set(book["code"].to_list()):
                raise ImpactError(Text("De bovenliggende code '{parent}' staat niet in het codeboek.",
                                       parent=parent))
            entry = {"code": name}
            if parent:
                entry["parent"] = normalise_code_name(parent)
            entry["definition"] = str(definition).strip()
            if when_to_use and str(when_to_use).strip():
                entry["when_to_use"] = str(when_to_use).strip()
            if example and str(example).strip():
                entry["example"] = str(example).strip()
            entry.update({"origin": "inductive", "proposed_by": self.coder, "date_added": self.today()})
            write_atomic(path, append_code(source, entry))
        self.reload_codebook()
        return name


def check_coder(coder) -> str:
    """The coder's id (person_id) as a safe folder name, or ``ImpactError``.

    Example:
        >>> check_coder(" BB03 ")
        'BB03'
    """
    value = str(coder or "").strip()
    if not CODER_ID.match(value):
        raise ImpactError(Text("'{value}' is geen geldige code voor wie codeert. Gebruik je eigen code uit "
                               "de studie, bijvoorbeeld BB03.",
                               value=value))
    return value


def scope(study=None, district=None, language: str = "nl") -> str:
    """One sentence for notebook 06: which study and district, and how many interviews can be coded."""
    from impact.data import find_study

    lang = "en" if str(language).lower().startswith("en") else "nl"
    st = find_study(study)
    where = district or Text("alle stadsdelen")(lang)
    try:
        from impact.coding.transcripts import transcript_files

        n = len(transcript_files(st.raw / "transcripts"))
    except ImportError:
        n = 0
    synthetic = Text(" De gegevens zijn verzonnen (demo).")(lang) \
        if st.config.synthetic else ""
    return Text("Studie: {name}. Stadsdeel: {where}. Transcripten in de studie: {n}.{synthetic}",
                name=st.config.name, where=where, n=n, synthetic=synthetic)(lang)


# --- the view (ipywidgets; no JavaScript build step) ---------------------------------

_WORDS = {
    "coder": Text("Jouw code"),
    "start": Text("Begin"),
    "coder_help": Text("Typ je eigen code uit de studie (bijvoorbeeld BB03) en kies Begin."),
    "interview": Text("Interview"),
    "choose": Text("Kies een interview om te beginnen."),
    "none": Text("Er zijn nog geen interviews om te coderen (map data/raw/transcripts)."),
    "previous": Text("◀ Vorige"),
    "next": Text("Volgende ▶"),
    "next_open": Text("Volgende zonder code ▶▶"),
    "save": Text("Opslaan"),
    "saved": Text("Opgeslagen om {time} in {path}."),
    "paragraph": Text("Stuk {n} van {total}"),
    "progress": Text("{done} van {total} stukken hebben een code."),
    "hand": Text("Ook met de hand gecodeerd in dit stuk: {codes}"),
    "codes": Text("Codes die passen bij dit stuk:"),
    "example": Text("Voorbeeld"),
    "propose": Text("Nieuwe code voorstellen"),
    "name": Text("Naam"),
    "meaning": Text("Betekenis"),
    "under": Text("Valt onder"),
    "nothing": Text("(geen)"),
    "add": Text("Voorstellen"),
    "added": Text("De code '{code}' staat nu in het codeboek (voorgesteld door {coder})."),
    "all_done": Text("Alle stukken hebben een code."),
    "memos": Text("Memo's bij dit interview en dit stuk:"),
    "memo": Text("Memo schrijven"),
    "memo_text": Text("Memo"),
    "memo_title": Text("Titel"),
    "memo_about": Text("Over"),
    "memo_publish": Text("Mag in het rapport"),
    "memo_save": Text("Memo bewaren"),
    "memo_saved": Text("Memo opgeslagen in {path}."),
    "about_document": Text("dit interview"),
    "about_paragraph": Text("dit stuk"),
    "about_coding": Text("dit stuk, code {code}"),
    "about_code": Text("code {code} (overal)"),
    "code_memos": Text("memo's"),
}


class CodingView:
    """ipywidgets on top of a ``CodingSession``. Display it in a notebook cell.

    Moving to another paragraph or interview saves first, so no work is lost.
    Mistakes are shown in red under the buttons, never as a traceback.
    """

    def __init__(self, study=None, coder=None, district=None, language: str = "nl",
                 redact: Callable[[str], str] | None = None):
        import ipywidgets as w

        self.w = w
        self.lang = str(language).lower()[:2]  # "en", "English", "en-GB"; a language without a catalogue shows Dutch
        self.study, self.district, self.redact = study, district, redact
        self.session: CodingSession | None = None
        self.index = 0
        self._updating = False
        self.status = w.HTML()
        self.coder_box = w.Text(description=self.t("coder"), placeholder="BB03")
        self.start_button = w.Button(description=self.t("start"), button_style="primary")
        self.start_button.on_click(lambda _: self._guard(self._start))
        self.interviews = w.Dropdown(description=self.t("interview"), options=[], value=None)
        self.interviews.observe(lambda ch: self._guard(self._choose, ch["new"]), names="value")
        self.progress_bar = w.IntProgress(min=0, max=1, value=0)
        self.progress_text = w.HTML()
        self.where = w.HTML()
        self.text = w.HTML()
        self.hand = w.HTML()
        self.previous_button = w.Button(description=self.t("previous"))
        self.next_button = w.Button(description=self.t("next"))
        self.next_open_button = w.Button(description=self.t("next_open"), layout=w.Layout(width="auto"))
        self.save_button = w.Button(description=self.t("save"), button_style="success")
        self.previous_button.on_click(lambda _: self._guard(self._go, self.index - 1))
        self.next_button.on_click(lambda _: self._guard(self._go, self.index + 1))
        self.next_open_button.on_click(lambda _: self._guard(self._go_open))
        self.save_button.on_click(lambda _: self._guard(self._save))
        self.checks: dict[str, object] = {}
        self.codes_box = w.VBox()
        self.new_name = w.Text(description=self.t("name"))
        self.new_meaning = w.Textarea(description=self.t("meaning"))
        self.new_example = w.Text(description=self.t("example"))
        self.new_parent = w.Dropdown(description=self.t("under"), options=[(self.t("nothing"), None)], value=None)
        self.add_button = w.Button(description=self.t("add"))
        self.add_button.on_click(lambda _: self._guard(self._propose))
        self.propose_box = self._folded("propose", [self.new_name, self.new_meaning, self.new_example,
                                                    self.new_parent, self.add_button])
        self.memo_list = w.HTML()
        self.memo_text = w.Textarea(description=self.t("memo_text"), layout=w.Layout(width="40em", height="6em"))
        self.memo_title = w.Text(description=self.t("memo_title"))
        self.memo_about = w.Dropdown(description=self.t("memo_about"), options=[], value=None)
        self.memo_publish = w.Checkbox(value=False, description=self.t("memo_publish"), indent=False)
        self.memo_button = w.Button(description=self.t("memo_save"))
        self.memo_button.on_click(lambda _: self._guard(self._write_memo))
        self.memo_box = self._folded("memo", [self.memo_about, self.memo_title, self.memo_text, self.memo_publish,
                                              self.memo_button])
        self.coding_box = w.VBox([
            self.interviews, w.HBox([self.progress_bar, self.progress_text]),
            w.HBox([self.previous_button, self.where, self.next_button, self.next_open_button]),
            self.text, self.hand, self.memo_list, w.HTML(f"<b>{_escape(self.t('codes'))}</b>"), self.codes_box,
            w.HBox([self.save_button]), self.memo_box, self.propose_box,
        ])
        self.login_box = w.VBox([w.HTML(_escape(self.t("coder_help"))), w.HBox([self.coder_box, self.start_button])])
        self.box = w.VBox([self.login_box, self.status])
        if coder:
            self.coder_box.value = str(coder)
            self._guard(self._start)

    def _folded(self, title: str, children: list):
        """A closed panel with a title that opens on a click."""
        box = self.w.Accordion(children=[self.w.VBox(children)])
        box.set_title(0, self.t(title))
        box.selected_index = None
        return box

    def t(self, key: str, **kw) -> str:
        return _WORDS[key].format(**kw)(self.lang)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.box._repr_mimebundle_(**kwargs)
        # Shown where widgets cannot run (a static copy of the notebook).
        bundle["text/plain"] = Text("Het codeerscherm werkt alleen in een open notebook (impact lab).")(self.lang)
        return bundle

    # -- actions --
    def _guard(self, action, *args) -> None:
        try:
            action(*args)
        except ImpactError as err:
            lines = _escape(err.render(self.lang)).replace("\n", "<br>")
            self.status.value = f'<div style="color:#b00020">{lines}</div>'

    def _start(self) -> None:
        self.session = CodingSession(self.study, self.coder_box.value, redact=self.redact)
        documents = self.session.transcripts(self.district)
        self.box.children = [self.coding_box, self.status]
        options = [(f"{d} ({district or '-'}, {actor or '-'})", d)
                   for d, district, actor in documents.iter_rows()]
        self._updating = True
        self.interviews.options = options
        self.interviews.value = None
        self._updating = False
        self.status.value = _escape(self.t("choose") if options else self.t("none"))
        self._show_codes()
        self._refresh()

    def _choose(self, document) -> None:
        if self._updating or document is None or self.session is None:
            return
        if self.session.document is not None:
            self._save()
        self.session.load(document)
        self.status.value = ""
        self.index = 0
        self._refresh()

    def _go(self, index: int) -> None:
        if self.session is None or not self.session.paragraphs:
            return
        self._save()
        self.index = max(0, min(index, len(self.session.paragraphs) - 1))
        self._refresh()

    def _go_open(self) -> None:
        if self.session is None or not self.session.paragraphs:
            return
        target = self.session.next_uncoded(self.index)
        if target is None:
            self._save()
            self.status.value = _escape(self.t("all_done"))
            return
        self._go(target)

    def _save(self) -> None:
        if self.session is None or self.session.document is None:
            return
        path = self.session.save()
        self.status.value = _escape(self.t("saved", time=dt.datetime.now().strftime("%H:%M"),
                                           path=self.session.study.rel(path)))

    def _propose(self) -> None:
        name = self.session.propose_code(self.new_name.value, self.new_meaning.value,
                                         example=self.new_example.value or None, parent=self.new_parent.value)
        self.new_name.value = self.new_meaning.value = self.new_example.value = ""
        self._show_codes()
        self._refresh()
        self.status.value = _escape(self.t("added", code=name, coder=self.session.coder))

    def _write_memo(self) -> None:
        if self.session is None or self.session.document is None:
            raise ImpactError(Text("Kies eerst een interview."))
        kind, code = self.memo_about.value or ("document", None)
        path = self.session.write_memo(self.memo_text.value, index=self.index if kind in ("paragraph", "coding") else None,
                                       code=code, title=self.memo_title.value or None, publish=self.memo_publish.value)
        self.memo_text.value = self.memo_title.value = ""
        self.memo_publish.value = False
        self._show_codes()
        self._refresh()
        self.status.value = _escape(self.t("memo_saved", path=self.session.study.rel(path)))

    def _toggle(self, code: str, ticked: bool) -> None:
        if self._updating or self.session is None or self.session.document is None:
            return
        (self.session.tick if ticked else self.session.untick)(self.index, code)
        self._refresh_progress()

    # -- drawing --
    def _show_codes(self) -> None:
        w = self.w
        rows = []
        self.checks = {}
        codes = self.session.codes
        parents = {c["code"]: c.get("parent") for c in codes}

        def depth(code):
            n, seen = 0, {code}
            while parents.get(code) and parents[code] not in seen:
                code = parents[code]
                seen.add(code)
                n += 1
            return n

        code_memos: dict[str, list[dict]] = {}
        for memo in self.session.memos(code=True):  # every code's memos, read once
            code_memos.setdefault(memo["about"], []).append(memo)
        for c in codes:
            box = w.Checkbox(value=False, description=c["code"], indent=False)
            box.observe(lambda ch, code=c["code"]: self._guard(self._toggle, code, ch["new"]), names="value")
            self.checks[c["code"]] = box
            about = _escape(c.get("definition") or "")
            if c.get("example"):
                about += f'<br><i>{_escape(self.t("example"))}: “{_escape(c["example"])}”</i>'
            for memo in code_memos.get(c["code"], [])[:3]:
                about += f'<br><small>✎ {_escape(memo["date"] or "")}: {_escape(memo["text"])}</small>'
            rows.append(w.HBox([box, w.HTML(f'<div style="color:#444;font-size:0.95em">{about}</div>')],
                               layout=w.Layout(margin=f"0 0 0 {2 * depth(c['code'])}em")))
        self.codes_box.children = rows
        self.new_parent.options = [(self.t("nothing"), None)] + [(c["code"], c["code"]) for c in codes]
        self.new_parent.value = None

    def _refresh_progress(self) -> None:
        done, total = self.session.progress() if self.session and self.session.document else (0, 0)
        self.progress_bar.max = max(total, 1)
        self.progress_bar.value = done
        self.progress_text.value = _escape(self.t("progress", done=done, total=total)) if total else ""

    def _refresh(self) -> None:
        s = self.session
        loaded = s is not None and s.document is not None and bool(s.paragraphs)
        for b in (self.previous_button, self.next_button, self.next_open_button, self.save_button):
            b.disabled = not loaded
        for box in self.checks.values():
            box.disabled = not loaded
        self._refresh_progress()
        if not loaded:
            self.where.value = self.text.value = self.hand.value = ""
            return
        p = s.paragraphs[self.index]
        self.where.value = _escape(self.t("paragraph", n=self.index + 1, total=len(s.paragraphs)))
        shown = _escape(p.shown).replace("\n", "<br>")
        if p.speaker and p.shown.startswith(p.speaker + ":"):
            shown = f"<b>{_escape(p.speaker)}:</b>" + shown[len(_escape(p.speaker)) + 1:]
        self.text.value = (f'<div style="font-size:1.2em;line-height:1.6;max-width:45em;padding:0.6em;'
                           f'border-left:4px solid #2a7ab0;background:#f5f9fc">{shown}</div>')
        hand = s.hand_codes(self.index)
        self.hand.value = _escape(self.t("hand", codes=", ".join("#" + c for c in hand))) if hand else ""
        memos = s.memos(self.index)
        self.memo_list.value = (f"<b>{_escape(self.t('memos'))}</b><ul>" + "".join(
            f"<li>{_escape(m['date'] or '')} ({_escape(m['author'])}"
            f"{', #' + _escape(m['code']) if m.get('code') else ''}): {_escape(m['text'])}</li>"
            for m in memos) + "</ul>") if memos else ""
        about = [(self.t("about_document"), ("document", None)), (self.t("about_paragraph"), ("paragraph", None))]
        about += [(self.t("about_coding", code=c), ("coding", c)) for c in sorted(s.ticks.get(self.index, set()))]
        about += [(self.t("about_code", code=c), ("code", c)) for c in s.code_names()]
        self._updating = True
        try:
            self.memo_about.options = about
            self.memo_about.value = ("document", None)
        finally:
            self._updating = False
        ticked = s.ticks.get(self.index, set())
        self._updating = True
        try:
            for code, box in self.checks.items():
                box.value = code in ticked
        finally:
            self._updating = False


def coding_view(study=None, coder=None, district=None, language: str = "nl",
                redact: Callable[[str], str] | None = None):
    """The coding widget for notebook 06 (see ``CodingView``).

    A missing study, a wrong coder id or a broken coder file is shown as a
    red message inside the widget, not as a traceback.
    """
    return CodingView(study, coder=coder, district=district, language=language, redact=redact)
