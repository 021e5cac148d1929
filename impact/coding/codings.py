"""Read the study's codings: coded copies per coder and coding tables.

* ``data/raw/codings/<coder>/<interview>.md`` (or ``.txt``): a copy of the
  transcript with inline markup (see ``impact.coding.markup``); the folder
  name is the coder's person_id. The header may be left out.
* ``data/raw/codings/*.csv`` (or ``.xlsx``): ``document, start, end, code,
  coder`` for codings that come from other tools.

A coding with an unknown code, past the end of its transcript, or in a text
that differs from the transcript is a ``Problem`` (file, line or row) and
is left out of the table. Aliases resolve to the current code name.

Example:
    >>> import polars as pl
    >>> t = pl.DataFrame({"document": ["I01"], "text": ["Ik wil werken."]})
    >>> rows, problems = codings_from_markup("[Ik wil werken]{#drive}.", "I01", "BB03", t,
    ...                                      {"drive": "motivatie", "motivatie": "motivatie"})
    >>> [(r["start"], r["end"], r["code"], r["text"]) for r in rows], problems
    ([(0, 13, 'motivatie', 'Ik wil werken')], [])
"""

from __future__ import annotations

from pathlib import Path

from impact.errors import Problem, Text

CODING_COLUMNS = ("document", "start", "end", "code", "coder", "text")
MARKUP_SUFFIXES = (".md", ".txt")


def empty_codings():
    import polars as pl

    return pl.DataFrame(schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                "coder": pl.Utf8, "text": pl.Utf8})


def _texts(transcripts) -> dict[str, str]:
    """document -> text of a transcripts table (a dict made before is passed through)."""
    if isinstance(transcripts, dict):
        return transcripts
    if transcripts is None or transcripts.height == 0:
        return {}
    return dict(zip(transcripts["document"].to_list(), transcripts["text"].to_list()))


def codings_from_markup(raw: str, document: str, coder: str, transcripts, codes: dict[str, str] | None,
                        file: str = "<tekst>") -> tuple[list[dict], list[Problem]]:
    """Codings of one coded copy of a transcript (header optional); (rows, problems).

    ``transcripts`` is the transcripts table, or a dict document -> text.
    """
    from impact.coding.markup import first_difference, parse_markup
    from impact.coding.transcripts import split_header

    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _, body, body_line = split_header(raw)
    lines = body.split("\n")
    top = 0
    while top < len(lines) and not lines[top].strip():
        top += 1
    while len(lines) > top and not lines[-1].strip():
        lines.pop()
    body = "\n".join(lines[top:])
    parsed = parse_markup(body, codes=codes, file=file, first_line=body_line + top, strict=False)
    problems = list(parsed.problems)
    texts = _texts(transcripts)
    if document not in texts:
        problems.append(Problem(file, None, "document", document, Text("een transcript met dezelfde naam in "
                                                                       "data/raw/transcripts")))
        return [], problems
    truth = texts[document]
    differ = first_difference(parsed.text, truth)
    if differ is not None:
        line = body_line + top + parsed.text.count("\n", 0, differ)
        # show from the start of the word where the texts part
        word = max(parsed.text.rfind(" ", 0, differ), parsed.text.rfind("\n", 0, differ)) + 1
        found = parsed.text[word:differ + 30].split("\n")[0]
        wanted = truth[word:differ + 30].split("\n")[0]
        problems.append(Problem(file, line, None, found, Text("dezelfde tekst als het transcript: daar staat "
                                                              "'{wanted}'. Codes vanaf hier tellen niet mee.",
                                                              wanted=wanted), unit="line"))
    rows = []
    for c in parsed.codings:
        if differ is not None and c.end > differ:
            problems.append(Problem(file, c.line, "code", c.code, Text("een codering in tekst die gelijk is "
                                                                       "aan het transcript"), unit="line", position=c.column))
            continue
        rows.append({"document": document, "start": c.start, "end": c.end, "code": c.code, "coder": coder,
                     "text": truth[c.start:c.end]})
    return rows, problems


def _whole_number(text: str) -> int | None:
    """``int(parse_number(text))``, or None when that fails (as the per-row check did)."""
    from impact import tabular as tb

    try:
        return int(tb.parse_number(text))
    except (ValueError, OverflowError):  # OverflowError: "inf"
        return None


# beyond any text length: a parsed start or end that does not fit Int64 is clamped to this, which keeps
# the verdict of 0 <= start < end <= length (the message is made from the exact number)
_FAR = 2 ** 62


def codings_from_table(path: Path, shown: str, transcripts, codes: dict[str, str] | None) -> tuple:
    """Codings of one ``document, start, end, code, coder`` table; (frame, problems).

    Each row is checked in this order, and the first check that fails is its
    one problem: a known document, a coder, whole numbers for start and end,
    ``0 <= start < end <= length``, a known code (or alias). The checks run
    over the whole table at once; distinct values are parsed once.
    """
    import polars as pl

    from impact import tabular as tb
    from impact.errors import ImpactError

    try:
        table = tb.read_table(path, required=["document", "start", "end", "code", "coder"], display=shown)
    except ImpactError as err:
        return empty_codings(), err.problems or [Problem(shown, None, None, None, err.text)]
    texts = _texts(transcripts)
    problems = list(table.problems)
    frame = table.frame
    if frame.height == 0:
        return empty_codings(), problems
    # plain digits (exact as a float) are cast by polars; other distinct values are parsed once in Python,
    # with exactly the per-value rules (decimal commas, 1.234,5 ...)
    plain = r"^[0-9]{1,15}$"
    others = (pl.concat([frame["start"], frame["end"]]).unique().to_frame("v")
              .filter(~pl.col("v").str.contains(plain))["v"].to_list())
    fitted = {}
    for v in others:
        n = _whole_number(v)
        fitted[v] = None if n is None else max(-_FAR, min(_FAR, n))

    def number(column):
        col = pl.col(column)
        return (pl.when(col.str.contains(plain)).then(col.cast(pl.Int64, strict=False))
                .otherwise(col.replace_strict(fitted, default=None, return_dtype=pl.Int64)))

    if codes is None:
        names = {v: v.strip() for v in frame["code"].unique().to_list()}
    else:
        names = {v: codes.get(v.strip().lower()) for v in frame["code"].unique().to_list()}
    lengths = {doc: len(text) for doc, text in texts.items()}
    # a table of its own (the file may have any other columns): the parsed values and which check failed
    start, end, length, code = pl.col("start"), pl.col("end"), pl.col("length"), pl.col("code")
    checked = frame.select(
        pl.col(tb.ROW), pl.col("document"), pl.col("coder"),
        pl.col("document").replace_strict(lengths, default=None, return_dtype=pl.Int64).alias("length"),
        number("start").alias("start"), number("end").alias("end"),
        pl.col("code").replace_strict(names, default=None, return_dtype=pl.Utf8).alias("code"),
    ).with_columns(
        pl.when(length.is_null()).then(1)
        .when(pl.col("coder") == "").then(2)
        .when(start.is_null() | end.is_null()).then(3)
        .when(~((start >= 0) & (start < end) & (end <= length))).then(4)
        .when(code.is_null()).then(5)
        .otherwise(0).alias("failed"))
    failed = checked["failed"]
    if (failed != 0).any():
        bad = frame.filter(failed != 0)
        records = bad.drop(tb.ROW).to_dicts()
        for rec, row, check in zip(records, bad[tb.ROW].to_list(), failed.filter(failed != 0).to_list()):
            problems.append(_table_problem(shown, row, rec, check, lengths))
    good = checked.filter(failed == 0)
    from impact.coding.units import span_texts

    documents = pl.DataFrame({"document": list(texts), "text": list(texts.values())},
                             schema={"document": pl.Utf8, "text": pl.Utf8})
    out = good.select("document", "start", "end", "code", "coder")
    out = out.with_columns(span_texts(documents, out).alias("text"))
    return out, problems


def _table_problem(shown: str, row: int, rec: dict, failed: int, lengths: dict) -> Problem:
    """The problem of one row of a coding table that failed check ``failed`` (see codings_from_table)."""
    def bad(column, value, text):
        return Problem(shown, row, column, value, text, record=rec)

    if failed == 1:
        return bad("document", rec["document"], Text("een transcript uit data/raw/transcripts"))
    if failed == 2:
        return bad("coder", "", Text("de person_id van wie codeerde"))
    if failed == 3:
        return bad("start", f"{rec['start']}-{rec['end']}", Text("hele getallen voor start en end"))
    if failed == 4:
        start, end, length = _whole_number(rec["start"]), _whole_number(rec["end"]), lengths[rec["document"]]
        return bad("end", f"{start}-{end}", Text("0 <= start < end <= {length} (de lengte van de tekst)",
                                                 length=length))
    return bad("code", rec["code"], Text("een code of oude naam (alias) uit het codeboek"))


def read_codings_file(study, path: Path, texts: dict[str, str], codes: dict[str, str] | None,
                      answers: bool) -> tuple[str, object, list[Problem]]:
    """One file of ``data/raw/codings``: ``("table", frame, problems)`` for a coding table,
    ``("rows", rows, problems)`` for a coded copy or answer sheet, ``("skip", None, problems)``
    for anything else. ``texts``: document -> text; ``answers``: the documents include open
    answers (else answer sheets are skipped). Depends on nothing but its arguments and the file.
    """
    from impact.tabular import decode_bytes

    folder = study.raw / "codings"
    shown = study.rel(path)
    rel = path.relative_to(folder)
    suffix = path.suffix.lower()
    if len(rel.parts) == 1 and suffix in (".csv", ".xlsx"):
        got, probs = codings_from_table(path, shown, texts, codes)
        return "table", got, probs
    if len(rel.parts) == 2 and suffix in MARKUP_SUFFIXES:
        text, _ = decode_bytes(path.read_bytes())
        if path.stem.startswith("answers__"):  # a sheet of open questionnaire answers
            if not answers:
                return "skip", None, []  # the caller reads interviews only (answers come with impact.coding.answers)
            from impact.coding.sheets import codings_from_sheet

            got, probs = codings_from_sheet(text, path.stem, rel.parts[0], texts, codes, shown)
        else:
            got, probs = codings_from_markup(text, path.stem, rel.parts[0], texts, codes, shown)
        return "rows", got, probs
    return "skip", None, [Problem(shown, None, None, None, Text("codes als "
                                                                "data/raw/codings/<person_id>/<interview>.md "
                                                                "of data/raw/codings/<naam>.csv"),
        severity="warning")]


def load_codings(study, transcripts, codebook, reuse=None) -> tuple:
    """Every coding in ``data/raw/codings`` of ``study``; returns (table, problems).

    ``transcripts`` and ``codebook`` are the tables from ``load_transcripts``
    and ``load_codebook``. ``coder`` holds raw person_ids. ``reuse(path,
    read)``: gives ``read()`` or what it gave last time for this unchanged
    file (``impact process`` passes one, valid while the documents and the
    codebook are the same), so one changed file is the only one read again.
    """
    import polars as pl

    from impact.coding.codebook import code_lookup

    folder = study.raw / "codings"
    codes = code_lookup(codebook)
    frames: list = []  # tables of codings in file order
    rows: list[dict] = []  # codings of coded copies not yet in frames
    problems: list[Problem] = []
    if not folder.is_dir():
        return empty_codings(), problems
    texts: dict | None = None  # document -> text, made once (not per file), when a file is read
    answers = transcripts is not None and "source_kind" in transcripts.columns

    def read(path: Path):
        nonlocal texts
        if texts is None:
            texts = _texts(transcripts)
        return read_codings_file(study, path, texts, codes, answers)

    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        kind, got, probs = reuse(path, lambda path=path: read(path)) if reuse else read(path)
        if kind == "table" and got.height:
            if rows:
                frames.append(pl.DataFrame(rows, schema=empty_codings().schema))
                rows = []
            frames.append(got)
        elif kind == "rows":
            rows.extend(got)
        problems.extend(probs)
    if rows:
        frames.append(pl.DataFrame(rows, schema=empty_codings().schema))
    if not frames:
        return empty_codings(), problems
    table = (pl.concat(frames, how="vertical")
             .unique(subset=["document", "start", "end", "code", "coder"], keep="first", maintain_order=True)
             .sort("document", "coder", "start", "end", "code"))
    return table, problems
