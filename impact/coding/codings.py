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
    if transcripts is None or transcripts.height == 0:
        return {}
    return dict(zip(transcripts["document"].to_list(), transcripts["text"].to_list()))


def codings_from_markup(raw: str, document: str, coder: str, transcripts, codes: dict[str, str] | None,
                        file: str = "<tekst>") -> tuple[list[dict], list[Problem]]:
    """Codings of one coded copy of a transcript (header optional); (rows, problems)."""
    from impact.coding.markup import parse_markup
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
        problems.append(Problem(file, None, "document", document, Text(
            "een transcript met dezelfde naam in data/raw/transcripts", "a transcript with the same name in "
            "data/raw/transcripts")))
        return [], problems
    truth = texts[document]
    differ = _first_difference(parsed.text, truth)
    if differ is not None:
        line = body_line + top + parsed.text.count("\n", 0, differ)
        # show from the start of the word where the texts part
        word = max(parsed.text.rfind(" ", 0, differ), parsed.text.rfind("\n", 0, differ)) + 1
        found = parsed.text[word:differ + 30].split("\n")[0]
        wanted = truth[word:differ + 30].split("\n")[0]
        problems.append(Problem(file, line, None, found, Text(
            f"dezelfde tekst als het transcript: daar staat '{wanted}'. Codes vanaf hier tellen niet mee.",
            f"the same text as the transcript: it has '{wanted}'. Codes from here on are left out."), unit="line"))
    rows = []
    for c in parsed.codings:
        if differ is not None and c.end > differ:
            problems.append(Problem(file, c.line, "code", c.code, Text(
                "een codering in tekst die gelijk is aan het transcript", "a coding in text that matches the "
                "transcript"), unit="line", position=c.column))
            continue
        rows.append({"document": document, "start": c.start, "end": c.end, "code": c.code, "coder": coder,
                     "text": truth[c.start:c.end]})
    return rows, problems


def _first_difference(a: str, b: str) -> int | None:
    if a == b:
        return None
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def codings_from_table(path: Path, shown: str, transcripts, codes: dict[str, str] | None) -> tuple[list[dict], list[Problem]]:
    """Codings of one ``document, start, end, code, coder`` table; (rows, problems)."""
    from impact import tabular as tb
    from impact.errors import ImpactError

    try:
        table = tb.read_table(path, required=["document", "start", "end", "code", "coder"], display=shown)
    except ImpactError as err:
        return [], err.problems or [Problem(shown, None, None, None, err.text)]
    texts = _texts(transcripts)
    rows, problems = [], list(table.problems)
    for rec, number in zip(table.rows, table.row_numbers):
        def bad(column, value, nl, en):
            problems.append(Problem(shown, number, column, value, Text(nl, en), record=dict(rec)))

        doc = rec["document"]
        if doc not in texts:
            bad("document", doc, "een transcript uit data/raw/transcripts", "a transcript from data/raw/transcripts")
            continue
        if not rec["coder"]:
            bad("coder", "", "de person_id van wie codeerde", "the person_id of the coder")
            continue
        try:
            start, end = int(tb.parse_number(rec["start"])), int(tb.parse_number(rec["end"]))
        except ValueError:
            bad("start", f"{rec['start']}-{rec['end']}", "hele getallen voor start en end", "whole numbers for start and end")
            continue
        length = len(texts[doc])
        if not 0 <= start < end <= length:
            bad("end", f"{start}-{end}", f"0 <= start < end <= {length} (de lengte van de tekst)",
                f"0 <= start < end <= {length} (the length of the text)")
            continue
        code = rec["code"].strip()
        if codes is not None:
            code = codes.get(code.lower())
            if code is None:
                bad("code", rec["code"], "een code of oude naam (alias) uit het codeboek",
                    "a code or old name (alias) from the codebook")
                continue
        rows.append({"document": doc, "start": start, "end": end, "code": code, "coder": rec["coder"],
                     "text": texts[doc][start:end]})
    return rows, problems


def load_codings(study, transcripts, codebook) -> tuple:
    """Every coding in ``data/raw/codings`` of ``study``; returns (table, problems).

    ``transcripts`` and ``codebook`` are the tables from ``load_transcripts``
    and ``load_codebook``. ``coder`` holds raw person_ids.
    """
    import polars as pl

    from impact.coding.codebook import code_lookup
    from impact.tabular import decode_bytes

    folder = study.raw / "codings"
    codes = code_lookup(codebook)
    rows: list[dict] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return empty_codings(), problems
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        shown = study.rel(path)
        rel = path.relative_to(folder)
        suffix = path.suffix.lower()
        if len(rel.parts) == 1 and suffix in (".csv", ".xlsx"):
            got, probs = codings_from_table(path, shown, transcripts, codes)
        elif len(rel.parts) == 2 and suffix in MARKUP_SUFFIXES:
            text, _ = decode_bytes(path.read_bytes())
            if path.stem.startswith("answers__"):  # a sheet of open questionnaire answers
                if transcripts is None or "source_kind" not in transcripts.columns:
                    continue  # the caller reads interviews only (answers come with impact.coding.answers)
                from impact.coding.answers import codings_from_sheet

                got, probs = codings_from_sheet(text, path.stem, rel.parts[0], _texts(transcripts), codes, shown)
            else:
                got, probs = codings_from_markup(text, path.stem, rel.parts[0], transcripts, codes, shown)
        else:
            problems.append(Problem(shown, None, None, None, Text(
                "codes als data/raw/codings/<person_id>/<interview>.md of data/raw/codings/<naam>.csv",
                "codings as data/raw/codings/<person_id>/<interview>.md or data/raw/codings/<name>.csv"),
                severity="warning"))
            continue
        rows.extend(got)
        problems.extend(probs)
    if not rows:
        return empty_codings(), problems
    table = (pl.DataFrame(rows, schema=empty_codings().schema)
             .unique(subset=["document", "start", "end", "code", "coder"], keep="first", maintain_order=True)
             .sort("document", "coder", "start", "end", "code"))
    return table, problems
