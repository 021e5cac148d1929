"""Memos: short notes by researchers and co-researchers, as plain-text files.

A memo is a Markdown file in ``data/raw/memos/`` (``.md`` or ``.txt``; its
name without the extension is the memo's id) with a small header::

    ---
    author: BB03                 # person_id of who wrote it
    date: 12-03-2024
    about: document:I01          # what it is about (see below)
    publish: nee                 # ja: may be listed in a report's method section
    title: Na het interview      # optional
    ---
    Het gesprek ging vooral over ...

``about`` is one of:

* ``study`` (``studie``): the study as a whole;
* ``document:<id>`` (``interview:``), or a passage ``document:<id>:<start>-<end>``;
* ``code:<code>``;
* ``coding:<id>:<start>-<end>:<code>`` (``codering:``): a coding made at that place;
* ``step:<id>`` (``stap:``): a step of the theory of change; checked only when
  ``data/raw/theory_of_change.yaml`` exists.

Offsets count characters in the transcript's text, as codings do.
``load_memos`` reads and checks every memo (errors name the file, the
line, the field and the value); ``process_memos`` makes the redacted,
pseudonymised ``memos`` table; ``published_memos`` gives only the memos
marked ``publish: ja`` for a report. A memo that is not marked never
reaches ``reports/``: ``memo_leaks`` lets the report build refuse a page
that holds one.

Example:
    >>> rec, problems = parse_memo("---\\nauthor: BB03\\ndate: 12-03-2024\\nabout: code:werk\\n---\\nGoed gesprek.\\n",
    ...                            "data/raw/memos/m1.md", "m1")
    >>> (rec["author"], rec["about_kind"], rec["about"], rec["publish"], rec["text"]), problems
    (('BB03', 'code', 'werk', False, 'Goed gesprek.'), [])
    >>> format_about(rec)
    'code:werk'
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from impact.errors import Problem, Text

MEMO_FOLDER = "memos"
MEMO_SUFFIXES = (".md", ".txt")
HEADER_FIELDS = ("author", "date", "about", "publish", "title")
KINDS = ("study", "document", "code", "coding", "step")
_KIND_WORDS = {"study": "study", "studie": "study", "document": "document", "interview": "document",
               "code": "code", "coding": "coding", "codering": "coding", "step": "step", "stap": "step"}
_SPAN = re.compile(r"^(\d+)-(\d+)$")
EXPECT_ABOUT = Text("study, document:<interview>, document:<interview>:<begin>-<eind>, code:<code>, "
                    "coding:<interview>:<begin>-<eind>:<code> of step:<stap>")


def memo_schema() -> dict:
    """The processed ``memos`` table's polars schema (declared in ``impact.registers``)."""
    from impact.registers import table_schema

    return table_schema("memos")


def memo_table(records: list[dict]):
    """A ``memos`` table (columns of ``memo_schema``) from memo records, sorted by id."""
    import polars as pl

    schema = memo_schema()
    rows = [{**{k: r.get(k) for k in schema}, "publish": bool(r.get("publish"))} for r in records]
    return pl.DataFrame(rows, schema=schema).sort("memo")


def empty_memos():
    return memo_table([])


# --- one memo: header and body ------------------------------------------------------------------

def parse_about(value: str) -> dict | None:
    """``about`` as fields (about_kind, about, start, end, code); None when it is not one of the forms.

    Example:
        >>> parse_about("codering:I01:10-25:werk")
        {'about_kind': 'coding', 'about': 'I01', 'start': 10, 'end': 25, 'code': 'werk'}
    """
    text = str(value or "").strip()
    kind_word, sep, rest = text.partition(":")
    kind = _KIND_WORDS.get(kind_word.strip().lower())
    rest = rest.strip()
    out = {"about_kind": kind, "about": None, "start": None, "end": None, "code": None}
    if kind == "study":
        return out if not rest else None
    if kind is None or not rest:
        return None
    if kind in ("code", "step"):
        out["about"] = rest
        return out
    if kind == "coding":
        parts = rest.rsplit(":", 2)
        if len(parts) != 3 or not _SPAN.match(parts[1]) or not parts[0] or not parts[2]:
            return None
        span = _SPAN.match(parts[1])
        out.update(about=parts[0], start=int(span.group(1)), end=int(span.group(2)), code=parts[2].strip())
        return out
    doc, _, span_text = rest.rpartition(":")
    span = _SPAN.match(span_text)
    if doc and span:
        out.update(about=doc, start=int(span.group(1)), end=int(span.group(2)))
    else:
        out["about"] = rest
    return out


def format_about(rec: dict) -> str:
    """The ``about`` header value of a memo record (the inverse of ``parse_about``)."""
    kind = rec.get("about_kind")
    if kind == "study":
        return "study"
    if kind == "coding":
        return f"coding:{rec['about']}:{rec['start']}-{rec['end']}:{rec['code']}"
    if kind == "document" and rec.get("start") is not None:
        return f"document:{rec['about']}:{rec['start']}-{rec['end']}"
    return f"{kind}:{rec['about']}"


def format_memo(rec: dict) -> str:
    """The text of a memo file for ``rec`` (a record of the ``memos`` table, raw ids)."""
    date = rec.get("date")
    lines = ["---", f"author: {rec['author']}", f"date: {date.isoformat() if date else ''}",
             f"about: {format_about(rec)}", f"publish: {'ja' if rec.get('publish') else 'nee'}"]
    if rec.get("title"):
        lines.append(f"title: {_one_line(rec['title'])}")
    return "\n".join(lines) + "\n---\n" + normalise_body(rec.get("text") or "") + "\n"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def normalise_body(text: str) -> str:
    """LF line endings, no blank lines or spaces around the text (as a memo file is read)."""
    from impact.coding.transcripts import normalise_text

    return normalise_text(text).rstrip()


def parse_memo(raw: str, file: str, memo_id: str) -> tuple[dict | None, list[Problem]]:
    """One memo file's text -> (record with raw ids, problems); the record is None when the header is unusable.

    Only the form is checked here (fields, date, publish, about); whether
    the author, document, code or step exists is ``check_memos``'s work.
    """
    from impact.coding.transcripts import read_header, split_header
    from impact.tabular import EXPECT_BOOL, EXPECT_DATE, parse_bool, parse_date

    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header_lines, body, _ = split_header(raw)
    problems: list[Problem] = []

    def bad(line, column, value, expected, severity="error"):
        problems.append(Problem(file, line, column, value, expected, severity=severity, unit="line"))

    if not header_lines:
        bad(1, None, raw.strip().split("\n")[0][:40] if raw.strip() else None, Text("een kop tussen twee "
                                                                                    "regels met --- (author, "
                                                                                    "date, about), dan de "
                                                                                    "tekst van de memo"))
        return None, problems
    fields, lines, unknown = read_header(header_lines, HEADER_FIELDS, file)
    problems += unknown
    header_end = header_lines[-1][0] + 1
    rec = {"memo": memo_id, "title": fields.get("title") or None, "author": fields.get("author") or None,
           "date": None, "publish": False, "text": normalise_body(body), "_lines": lines, "_file": file}
    for key, expected in (("author", Text("de person_id van wie de memo schreef")),
                          ("date", Text("de datum van de memo")),
                          ("about", EXPECT_ABOUT)):
        if not fields.get(key):
            bad(lines.get(key, header_end), key, None, expected)
    if fields.get("date"):
        try:
            rec["date"] = parse_date(fields["date"])
        except ValueError:
            bad(lines["date"], "date", fields["date"], EXPECT_DATE)
    if fields.get("publish"):
        try:
            rec["publish"] = parse_bool(fields["publish"])
        except ValueError:
            bad(lines["publish"], "publish", fields["publish"], EXPECT_BOOL)
    about = parse_about(fields.get("about")) if fields.get("about") else None
    if fields.get("about") and about is None:
        bad(lines["about"], "about", fields["about"], EXPECT_ABOUT)
    if not rec["text"]:
        bad(header_end, None, None, Text("de tekst van de memo onder de kop"))
    if about is None or any(p.severity == "error" for p in problems):
        return None, problems
    rec.update(about)
    return rec, problems


# --- the study's memos: read and check ---------------------------------------------------------------

def memo_files(study) -> list[Path]:
    folder = study.raw / MEMO_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in MEMO_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def step_ids(study) -> set[str] | None:
    """The step ids of ``data/raw/theory_of_change.yaml``; None when there is no theory of change (yet)."""
    from impact.theory import step_ids as theory_step_ids

    return theory_step_ids(study)


def check_memos(records: list[dict], texts: dict[str, str], lookup: dict[str, str], coded: set[tuple],
                people: set[str] | None, steps: set[str] | None) -> tuple[list[dict], list[Problem]]:
    """Keep the memos whose author, document, code, coding or step exists; the others are problems.

    ``coded`` holds (document, start, end, code) of every coding; ``people``
    is None when the study has no people register (then authors are not
    checked); ``steps`` is None when there is no theory of change.
    """
    kept, problems = [], []
    for rec in records:
        lines, file = rec.get("_lines", {}), rec.get("_file", rec["memo"])

        def bad(column, value, expected):
            problems.append(Problem(file, lines.get(column), column, value, expected, unit="line"))

        before = len(problems)
        if people is not None and rec["author"] not in people:
            bad("author", rec["author"], Text("een person_id uit people.csv"))
        kind, about = rec["about_kind"], rec["about"]
        shown = format_about(rec)
        if kind in ("document", "coding"):
            if about not in texts:
                bad("about", shown, Text("een interview uit data/raw/transcripts (of een open antwoord)"))
            elif rec["start"] is not None and not 0 <= rec["start"] < rec["end"] <= len(texts[about]):
                bad("about", shown, Text("een stuk binnen de tekst: 0 <= begin < eind <= {n_value}",
                                         n_value=len(texts[about])))
        if kind in ("code", "coding"):
            name = rec["code"] if kind == "coding" else about
            current = lookup.get(str(name).lower())
            if current is None:
                bad("about", shown, Text("een code of oude naam (alias) uit het codeboek"))
            elif kind == "coding":
                rec["code"] = current
            else:
                rec["about"] = current
        if kind == "coding" and len(problems) == before and \
                (about, rec["start"], rec["end"], rec["code"]) not in coded:
            bad("about", shown, Text("een codering die iemand op die plek met die code maakte"))
        if kind == "step" and steps is not None and about not in steps:
            bad("about", shown, Text("een stap uit data/raw/theory_of_change.yaml ({value})",
                                     value=', '.join(sorted(steps)) or 'geen stappen', value2=', '.join(sorted(steps)) or 'no steps'))
        if len(problems) == before:
            kept.append(rec)
    return kept, problems


def read_memo_records(study) -> tuple[list[dict], list[Problem]]:
    """Every memo file of ``study`` parsed (form only); a second file with the same id is a problem."""
    from impact.tabular import decode_bytes

    records, problems, seen = [], [], {}
    for path in memo_files(study):
        shown = study.rel(path)
        memo_id = path.stem
        if memo_id in seen:
            problems.append(Problem(shown, None, None, memo_id, Text("een unieke naam; {value} heeft "
                                                                     "dezelfde naam",
                                                                     value=seen[memo_id])))
            continue
        seen[memo_id] = shown
        rec, probs = parse_memo(decode_bytes(path.read_bytes())[0], shown, memo_id)
        problems += probs
        if rec is not None:
            records.append(rec)
    return records, problems


def load_memos(study, transcripts, codebook, codings, people_ids: set[str] | None = None) -> tuple:
    """The memos of ``study`` (raw ids, raw offsets), checked; returns (table, problems).

    ``people_ids``: the person_ids of people.csv (None: authors not checked).
    """
    from impact.coding.codebook import code_lookup

    records, problems = read_memo_records(study)
    texts = {} if transcripts is None or transcripts.height == 0 else dict(
        zip(transcripts["document"].to_list(), transcripts["text"].to_list()))
    # only the codings of the documents a memo about a coding names (not every coding of a large study)
    named = sorted({str(r["about"]) for r in records if r.get("about_kind") == "coding"})
    coded = set() if codings is None or codings.height == 0 or not named else set(
        codings.filter(codings["document"].is_in(named)).select("document", "start", "end", "code").iter_rows())
    kept, more = check_memos(records, texts, code_lookup(codebook), coded, people_ids, step_ids(study))
    return memo_table(kept), problems + more


# --- writing a memo (the coding widget, an import) ----------------------------------------------------

def memo_id_for(author: str, date: dt.date, title: str | None, taken: set[str]) -> str:
    """A file name for a new memo: ``<date>-<author>-<words of the title>``, numbered when taken.

    Example:
        >>> memo_id_for("BB03", dt.date(2024, 3, 12), "Na het gesprek!", {"2024-03-12-BB03-na-het-gesprek"})
        '2024-03-12-BB03-na-het-gesprek-2'
    """
    words = re.sub(r"[^a-z0-9]+", "-", str(title or "memo").lower()).strip("-")[:40].strip("-") or "memo"
    base = f"{date.isoformat()}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', author)}-{words}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def write_memo_file(study, rec: dict) -> Path:
    """Write ``rec`` as ``data/raw/memos/<memo>.md`` (never over another file); returns the path."""
    from impact.files import write_atomic

    path = study.raw / MEMO_FOLDER / f"{rec['memo']}.md"
    write_atomic(path, format_memo(rec), overwrite=False)  # FileExistsError: a memo is never overwritten
    return path


def same_memo(a: dict, b: dict) -> bool:
    """True when two memo records say the same (id, header and text)."""
    keys = ("memo", "title", "author", "date", "about_kind", "about", "start", "end", "code", "publish", "text")
    return all((a.get(k) or None) == (b.get(k) or None) for k in keys if k != "publish") and \
        bool(a.get("publish")) == bool(b.get("publish"))


# --- processed: redacted and pseudonymised ---------------------------------------------------------

def process_memos(memos, redact_texts, maps: dict, pseudo, withdrawn: set[str], documents, consent) -> tuple:
    """The ``memos`` table for ``data/processed``; returns (table, number of redactions).

    ``redact_texts(list of str)`` redacts like the transcripts (cached);
    ``maps`` holds each document's redaction (to move passage offsets);
    a memo by, or about the interview of, a person who withdrew is left
    out; authors become pseudonyms; a memo about an interview without
    consent for quotes is never marked for publication.
    """
    from impact.coding.sources import answer_document, split_document
    from impact.privacy import consented_ids

    if memos is None or memos.height == 0:
        return empty_memos(), 0
    person_of = {}
    if documents is not None and documents.height and "interviewee" in documents.columns:
        person_of = dict(zip(documents["document"].to_list(), documents["interviewee"].to_list()))
    may_quote = consented_ids(consent, "quotes") if consent is not None else set()
    rows, n = [], 0

    def gone(r) -> bool:
        about_person = person_of.get(r["about"]) if r["about_kind"] in ("document", "coding") else None
        return r["author"] in withdrawn or about_person in withdrawn

    keep = [r for r in memos.iter_rows(named=True) if not gone(r)]
    redacted = redact_texts([r["text"] for r in keep] + [r["title"] or "" for r in keep])
    for i, r in enumerate(keep):
        text, title = redacted[i], redacted[len(keep) + i]
        n += len(text.findings) + len(title.findings)
        row = dict(r, text=text.text, title=title.text or None, author=pseudo(r["author"]))
        if r["about_kind"] in ("document", "coding"):
            doc = r["about"]
            if r["start"] is not None and doc in maps:
                row["start"], row["end"] = maps[doc].map_span(r["start"], r["end"])
            parts = split_document(doc)
            if parts is not None:
                row["about"] = answer_document(parts["instrument"], parts["item"], parts["wave"],
                                               pseudo(parts["person"]))
            if person_of.get(doc) is not None and person_of[doc] not in may_quote:
                row["publish"] = False
        rows.append(row)
    return memo_table(rows), n


# --- for reports and the lab ---------------------------------------------------------------------

def about_label(rec: dict, lang: str = "nl", steps: dict[str, str] | None = None) -> str:
    """What a memo is about, in words (labels, not ids). ``steps``: step id -> its name
    (``impact.theory.step_names``).

    Example:
        >>> about_label({"about_kind": "coding", "about": "I01", "code": "werk", "start": 3, "end": 9})
        'codering werk in interview I01'
        >>> about_label({"about_kind": "step", "about": "ladder"}, "nl", {"ladder": "Omhoog op de ladder"})
        'stap “Omhoog op de ladder” van de verandertheorie'
    """
    kind, about = rec.get("about_kind"), rec.get("about")
    if kind == "step" and steps and about in steps:
        about = f"“{steps[about]}”"
    words = {
        "study": Text("de studie"),
        "document": Text("interview {about}", about=about),
        "code": Text("code {about}", about=about),
        "coding": Text("codering {get} in interview {about}", get=rec.get('code'), about=about),
        "step": Text("stap {about} van de verandertheorie", about=about),
    }
    return words.get(kind, Text(str(about)))(lang)


def published_memos(tables, lang: str = "nl"):
    """The memos marked for publication, for a report's method section: date, about, title, text.

    ``tables`` is ``impact.data.load(...)`` (or a study). Memos not marked
    ``publish: ja`` are never in this table.
    """
    import polars as pl

    from impact.theory import step_names

    from impact import reads

    study = getattr(tables, "study", tables)
    path = study.processed / "memos.parquet"
    reads.note(path)  # an input of the report being built (polars reads outside Python's open)
    memos = pl.read_parquet(path) if path.is_file() else empty_memos()
    memos = memos.filter(pl.col("publish").fill_null(False)).sort("date", "memo")
    if getattr(tables, "district", None) or getattr(tables, "period", None):
        # a memo about an interview shows only where that interview does
        shown_docs = tables.transcripts["document"].to_list()
        memos = memos.filter(~pl.col("about_kind").is_in(["document", "coding"]) | pl.col("about").is_in(shown_docs))
    nl = lang != "en"
    steps = step_names(study, lang)
    return pl.DataFrame({
        ("Datum" if nl else "Date"): [d.isoformat() if d else "" for d in memos["date"].to_list()],
        ("Over" if nl else "About"): [about_label(r, lang, steps) for r in memos.iter_rows(named=True)],
        ("Titel" if nl else "Title"): [t or "" for t in memos["title"].to_list()],
        ("Memo" if nl else "Memo"): memos["text"].to_list(),
    }, schema={c: pl.Utf8 for c in (("Datum", "Over", "Titel", "Memo") if nl else ("Date", "About", "Title", "Memo"))})


def memo_leaks(study, paths) -> list[str]:
    """Files among ``paths`` that hold a sentence of a memo NOT marked for publication.

    Each unpublished memo's redacted text is cut into sentences of at least
    30 characters; a report page that holds one of them is named.
    """
    import html

    import polars as pl

    path = study.processed / "memos.parquet"
    if not path.is_file():
        return []
    secret = pl.read_parquet(path).filter(~pl.col("publish").fill_null(False))["text"].to_list()
    sentences = {" ".join(s.split()) for text in secret for s in re.split(r"(?<=[.!?])\s+|\n+", text or "")}
    sentences = [s for s in sentences if len(s) >= 30]
    if not sentences:
        return []
    found = []
    for p in paths:
        page = " ".join(html.unescape(Path(p).read_text(encoding="utf-8", errors="replace")).split())
        if any(s in page for s in sentences):
            found.append(str(p))
    return found
