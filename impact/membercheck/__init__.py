"""Member check: the interviewee sees, and approves, how their words are used.

``impact member-check I01`` writes a one-page summary in plain Dutch (B1)
for the person who was interviewed: which codes the conversation got, and
the passages that may be quoted (redacted, numbered, with tick boxes
"goed zo / veranderen / niet gebruiken"). It goes to
``data/private/membercheck/<interview>.html``: private, never published.

Their answer is recorded in ``data/raw/member_checks.csv``, one row per
passage (``--approve``, ``--change``, ``--withdraw`` or by hand):

| column | meaning |
|---|---|
| interview | the interview id (I01) |
| start, end | the passage: offsets in the transcript text (as in the codings) |
| decision | approve, change or withdraw (Dutch: akkoord, veranderen, intrekken) |
| new_text | the words to use instead (only for change) |
| date | when the person answered |
| note | optional remark |

``apply_member_checks(codings, checks)`` is what ``impact process`` calls:
it adds ``quotable`` (bool) and ``member_check`` (str) to the codings and
empties ``text`` where a quote may not be shown. A withdrawn passage keeps
its codes (counts stay right) but its words never reach a quote.

Example:
    >>> import polars as pl
    >>> codings = pl.DataFrame({"document": ["I01", "I01"], "start": [0, 20], "end": [10, 30],
    ...                         "code": ["werk", "trots"], "coder": ["BB03", "BB03"],
    ...                         "text": ["Ik wil wer", "Ik ben trots"]})
    >>> checks = pl.DataFrame({"interview": ["I01"], "start": [0], "end": [10], "decision": ["withdraw"],
    ...                        "new_text": [None], "date": [None]})
    >>> apply_member_checks(codings, checks).select("code", "text", "quotable").rows()
    [('werk', None, False), ('trots', 'Ik ben trots', True)]

The command ``impact member-check`` is ``impact.membercheck.cli.member_check``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from impact.errors import ImpactError, Problem, Text

CHECKS_NAME = "member_checks.csv"
CHECK_COLUMNS = ("interview", "start", "end", "decision", "new_text", "date", "note")
DECISIONS = {
    "approve": "approve", "akkoord": "approve", "goed": "approve", "ja": "approve", "ok": "approve",
    "change": "change", "veranderen": "change", "wijzigen": "change", "aanpassen": "change",
    "withdraw": "withdraw", "intrekken": "withdraw", "weghalen": "withdraw", "niet": "withdraw",
    "nee": "withdraw", "niet_gebruiken": "withdraw",
}
EXPECT_DECISION = Text("approve, change of withdraw (akkoord, veranderen of intrekken)")


# --- the answers --------------------------------------------------------------------

def _schema():
    import polars as pl

    return {"interview": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "decision": pl.Utf8,
            "new_text": pl.Utf8, "date": pl.Date, "note": pl.Utf8}


def empty_checks():
    import polars as pl

    return pl.DataFrame(schema=_schema())


def read_member_checks(study, transcripts=None) -> tuple:
    """Read ``data/raw/member_checks.csv``; returns (table, problems).

    ``transcripts`` (document, text) lets passages be checked against their
    transcript. Rows that fail a check are returned as error ``Problem``s
    with the row, never dropped silently.
    """
    import polars as pl

    from impact import tabular as tb

    path = study.raw / CHECKS_NAME
    if not path.is_file():
        return empty_checks(), []
    shown = study.rel(path)
    try:
        table = tb.read_table(path, required=["interview", "start", "end", "decision"], display=shown)
    except ImpactError as err:
        return empty_checks(), err.problems or [Problem(shown, None, None, None, err.text)]
    texts = {}
    if transcripts is not None and transcripts.height:
        texts = dict(zip(transcripts["document"].to_list(), transcripts["text"].to_list()))
    rows, problems = [], list(table.problems)
    for rec, number in zip(table.rows, table.row_numbers):
        def bad(column, value, expected):
            problems.append(Problem(shown, number, column, value, expected, record=dict(rec)))

        interview = rec.get("interview", "").strip()
        if not interview or (texts and interview not in texts):
            bad("interview", interview, Text("een interview uit data/raw/transcripts"))
            continue
        try:
            start, end = int(tb.parse_number(rec["start"])), int(tb.parse_number(rec["end"]))
        except ValueError:
            bad("start", f"{rec['start']}-{rec['end']}", tb.EXPECT_INT)
            continue
        limit = len(texts[interview]) if interview in texts else None
        if not (0 <= start < end and (limit is None or end <= limit)):
            bad("end", f"{start}-{end}", Text("0 <= start < end <= {value}",
                                              value=limit if limit is not None else 'lengte', value2=limit if limit is not None else 'length'))
            continue
        decision = DECISIONS.get(rec["decision"].strip().lower().replace(" ", "_"))
        if decision is None:
            bad("decision", rec["decision"], EXPECT_DECISION)
            continue
        new_text = (rec.get("new_text") or "").strip() or None
        if decision == "change" and not new_text:
            bad("new_text", "", Text("de nieuwe tekst (bij veranderen is die verplicht)"))
            continue
        when = None
        if (rec.get("date") or "").strip():
            try:
                when = tb.parse_date(rec["date"])
            except ValueError:
                bad("date", rec["date"], tb.EXPECT_DATE)
                continue
        rows.append({"interview": interview, "start": start, "end": end, "decision": decision,
                     "new_text": new_text if decision == "change" else None, "date": when,
                     "note": (rec.get("note") or "").strip() or None, "_row": number})
    if not rows:
        return empty_checks(), problems
    table = pl.DataFrame(rows, schema={**_schema(), "_row": pl.Int64})
    return table.sort("_row").drop("_row"), problems


def latest_decisions(checks):
    """One decision per passage (interview, start, end): the latest date wins, then the last row."""
    import polars as pl

    if checks is None or checks.height == 0:
        return empty_checks()
    return (checks.with_row_index("_order")
            .sort(pl.col("date").fill_null(dt.date.min), "_order")
            .group_by("interview", "start", "end", maintain_order=True).last()
            .drop("_order").sort("interview", "start", "end"))


def apply_member_checks(codings, checks):
    """The codings with the interviewees' answers applied; adds ``quotable`` and ``member_check``.

    * withdraw: every coding that overlaps the passage keeps its code but
      loses its ``text`` (null) and gets ``quotable`` False;
    * change: a coding over exactly the passage gets ``new_text`` as its
      text; other codings that overlap it lose their text (they hold the
      old words);
    * approve: nothing changes except ``member_check`` = "approve".

    Call it before redaction, so that new texts are redacted as well.
    ``codings``: document, start, end, code, coder, text (polars).
    ``checks``: interview, start, end, decision, new_text, date.
    """
    import polars as pl

    decided = latest_decisions(checks)
    out = codings.with_row_index("_id")
    if decided.height == 0:
        return out.with_columns(pl.lit(True).alias("quotable"),
                                pl.lit(None, dtype=pl.Utf8).alias("member_check")).drop("_id")
    d = decided.select(pl.col("interview").alias("document"), pl.col("start").alias("_cs"),
                       pl.col("end").alias("_ce"), pl.col("decision").alias("_decision"),
                       pl.col("new_text").alias("_new"))
    pairs = (out.select("_id", "document", "start", "end").join(d, on="document", how="inner")
             .filter((pl.col("start") < pl.col("_ce")) & (pl.col("end") > pl.col("_cs")))
             .with_columns(((pl.col("start") == pl.col("_cs")) & (pl.col("end") == pl.col("_ce"))).alias("_exact")))
    per = pairs.group_by("_id").agg(
        (pl.col("_decision") == "withdraw").any().alias("_withdrawn"),
        ((pl.col("_decision") == "change") & ~pl.col("_exact")).any().alias("_changed_around"),
        pl.col("_new").filter(pl.col("_exact") & (pl.col("_decision") == "change")).first().alias("_new"),
        pl.col("_decision").filter(pl.col("_exact")).first().alias("_exact_decision"),
    )
    withdrawn = pl.col("_withdrawn").fill_null(False)
    around = pl.col("_changed_around").fill_null(False)
    hidden = withdrawn | around
    return (out.join(per, on="_id", how="left").sort("_id")
            .with_columns(
                pl.when(hidden).then(pl.lit(None, dtype=pl.Utf8))
                .when(pl.col("_new").is_not_null()).then(pl.col("_new"))
                .otherwise(pl.col("text")).alias("text"),
                (~hidden).alias("quotable"),
                pl.when(withdrawn).then(pl.lit("withdraw"))
                .when(pl.col("_exact_decision").is_not_null()).then(pl.col("_exact_decision"))
                .when(around).then(pl.lit("change"))
                .otherwise(pl.lit(None, dtype=pl.Utf8)).alias("member_check"))
            .drop("_id", "_withdrawn", "_changed_around", "_new", "_exact_decision"))


def record_answers(study, interview: str, answers: list[tuple[int, int, str, str | None]],
                   date: dt.date | None = None, note: str | None = None) -> Path:
    """Append answers ``(start, end, decision, new_text)`` to data/raw/member_checks.csv.

    The file is an input people edit (like the coder files); it is written
    atomically under a lock, and existing lines are kept byte for byte.
    """
    import csv
    import io

    from impact.tabular import decode_bytes
    from impact.files import locked, write_atomic

    path = study.raw / CHECKS_NAME
    when = (date or dt.date.today()).isoformat()
    study.raw.mkdir(parents=True, exist_ok=True)
    with locked(study.raw):
        old = decode_bytes(path.read_bytes())[0] if path.is_file() else ""
        delimiter = ";" if old and old.splitlines()[0].count(";") > old.splitlines()[0].count(",") else ","
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        if not old.strip():
            writer.writerow(CHECK_COLUMNS)
        for start, end, decision, new_text in answers:
            writer.writerow([interview, start, end, decision, new_text or "", when, note or ""])
        if old and not old.endswith("\n"):
            old += "\n"
        write_atomic(path, old + buffer.getvalue())
    return path


# --- the summary ----------------------------------------------------------------------

def passages(codings, document: str) -> list[tuple[int, int, list[str]]]:
    """Coded stretches of one interview: overlapping codings merged; (start, end, codes), in order.

    Example:
        >>> import polars as pl
        >>> c = pl.DataFrame({"document": ["I1"] * 3, "start": [0, 5, 20], "end": [10, 12, 25],
        ...                   "code": ["a", "b", "a"]})
        >>> passages(c, "I1")
        [(0, 12, ['a', 'b']), (20, 25, ['a'])]
    """
    import polars as pl

    rows = (codings.filter(pl.col("document") == document)
            .select("start", "end", "code").sort("start", "end").rows())
    merged: list[list] = []
    for start, end, code in rows:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].add(code)
        else:
            merged.append([start, end, {code}])
    return [(s, e, sorted(c)) for s, e, c in merged]


def _study_parts(study, interview: str):
    import polars as pl

    from impact.coding import load_codebook, load_codings, load_transcripts

    transcripts, _ = load_transcripts(study)
    row = transcripts.filter(pl.col("document") == interview)
    if row.height == 0:
        known = ", ".join(transcripts["document"].to_list()[:10]) or "-"
        raise ImpactError(Text("Interview '{interview}' staat niet in data/raw/transcripts. Bekend: {known}.",
                               interview=interview, known=known))
    book, _ = load_codebook(study)
    codings, _ = load_codings(study, transcripts, book)
    checks, _ = read_member_checks(study, transcripts)
    return row.to_dicts()[0], book, codings, checks


_SUMMARY = {
    "title": Text("Uw gesprek van {date}: klopt het zo?"),
    "thanks": Text("U hebt met ons gepraat voor het onderzoek ‘{study}’. Dank u wel! Op deze pagina ziet u "
                   "wat wij met uw woorden doen. Namen, adressen en telefoonnummers laten wij altijd weg."),
    "about": Text("Waar ging het gesprek over?"),
    "about_none": Text("Het gesprek is nog niet gecodeerd."),
    "quotes": Text("Deze stukken willen we misschien laten zien in het rapport"),
    "no_quotes": Text("Wij laten geen zinnen uit uw gesprek zien."),
    "choices": Text("☐ Goed zo &nbsp;&nbsp; ☐ Veranderen: ______________________ &nbsp;&nbsp; ☐ Niet "
                    "gebruiken"),
    "answer": Text("Wat vindt u?"),
    "how": Text("Zet bij elk stuk een kruisje. Geef deze pagina terug aan de onderzoeker, of zeg het ons. "
                "Wilt u een stuk niet in het rapport? Dan halen wij het weg. U mag later ook nog van "
                "gedachten veranderen."),
    "decided": Text("Uw antwoord: {decision}"),
    "approve": Text("goed zo"),
    "change": Text("veranderen in ‘{new}’"),
    "withdraw": Text("niet gebruiken"),
    "footer": Text("Interview {interview} · gemaakt op {today} · alleen voor u en de onderzoekers"),
}

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: system-ui, Arial, sans-serif; font-size: 12pt; line-height: 1.45; color: #111;
       max-width: 48em; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 0.4em; }
h2 { font-size: 13pt; margin: 0.9em 0 0.3em; }
ul { margin: 0.2em 0; padding-left: 1.2em; }
ol { padding-left: 1.4em; margin: 0.2em 0; }
ol li { margin: 0 0 0.55em; break-inside: avoid; }
blockquote { margin: 0.1em 0; padding: 0.15em 0.6em; border-left: 3px solid #2a7ab0; background: #f4f8fb; }
.choices { font-size: 11pt; }
.ref, footer { color: #555; font-size: 9pt; }
footer { margin-top: 1em; border-top: 1px solid #ccc; padding-top: 0.3em; }
"""


def summary_html(study, interview: str, lang: str = "nl", redact=None, max_chars: int = 300,
                 today: dt.date | None = None) -> str:
    """The one-page member-check summary of ``interview`` as HTML (everything escaped)."""
    from impact.widget import default_redactor

    meta, book, codings, checks = _study_parts(study, interview)
    redact = redact or default_redactor(study)
    text = meta["text"] or ""
    definitions = {r["code"]: r["definition"] for r in book.select("code", "definition").iter_rows(named=True)} \
        if book.height else {}
    spans = passages(codings, interview)
    used = sorted({c for _, _, codes in spans for c in codes})
    decided = {(r["start"], r["end"]): r for r in latest_decisions(checks).iter_rows(named=True)
               if r["interview"] == interview}
    from impact.privacy.escape import escape_html as esc

    def t(key, **kw):
        return _SUMMARY[key].format(**kw)(lang)

    when = meta.get("date")
    shown_date = when.strftime("%d-%m-%Y") if when else "—"
    parts = [f"<h1>{esc(t('title', date=shown_date))}</h1>",
             f"<p>{esc(t('thanks', study=study.config.name))}</p>",
             f"<h2>{esc(t('about'))}</h2>"]
    if used:
        items = "".join(f"<li><b>{esc(c)}</b>{': ' + esc(definitions[c]) if definitions.get(c) else ''}</li>"
                        for c in used)
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append(f"<p>{esc(t('about_none'))}</p>")
    parts.append(f"<h2>{esc(t('quotes'))}</h2>")
    if meta.get("consent") is False or not spans:
        parts.append(f"<p>{esc(t('no_quotes'))}</p>")
    else:
        items = []
        for start, end, _codes in spans:
            words = redact(text[start:end]).strip()
            if len(words) > max_chars:
                words = words[:max_chars - 1] + "…"
            answer = decided.get((start, end))
            if answer is None:
                choice = f'<div class="choices">{t("choices")}</div>'  # fixed markup, no user text
            else:
                what = t(answer["decision"], new=answer["new_text"] or "") if answer["decision"] == "change" \
                    else t(answer["decision"])
                choice = f'<div class="choices">{esc(t("decided", decision=what))}</div>'
            items.append(f"<li><blockquote>{esc(words)}</blockquote>{choice}"
                         f'<span class="ref">{esc(interview)}:{start}-{end}</span></li>')
        parts.append(f"<ol>{''.join(items)}</ol>")
        parts.append(f"<h2>{esc(t('answer'))}</h2><p>{esc(t('how'))}</p>")
    parts.append(f"<footer>{esc(t('footer', interview=interview, today=(today or dt.date.today()).strftime('%d-%m-%Y')))}</footer>")
    title = esc(t("title", date=shown_date))
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n")


def write_summary(study, interview: str, lang: str = "nl", redact=None) -> Path:
    """Write the summary to ``data/private/membercheck/<interview>.html``; returns the path."""
    from impact.files import private_folder, write_atomic

    page = summary_html(study, interview, lang=lang, redact=redact)
    path = private_folder(study, "membercheck") / f"{interview}.html"
    write_atomic(path, page)
    return path


def resolve_passage(study, interview: str, ref: str) -> tuple[int, int]:
    """``"2"`` (the number on the page) or ``"33-89"`` (the reference under a passage) -> (start, end)."""
    _meta, _book, codings, _checks = _study_parts(study, interview)
    spans = passages(codings, interview)
    ref = str(ref).strip().split(":")[-1]
    if ref.isdigit() and 1 <= int(ref) <= len(spans):
        return spans[int(ref) - 1][:2]
    if "-" in ref:
        a, _, b = ref.partition("-")
        if a.strip().isdigit() and b.strip().isdigit():
            span = (int(a), int(b))
            if span in {(s, e) for s, e, _ in spans}:
                return span
    raise ImpactError(Text("'{ref}' is geen stuk van interview {interview}. Gebruik het nummer (1-{n_spans}) "
                           "of de verwijzing onder het stuk, zoals 33-89.",
                           ref=ref, interview=interview, n_spans=len(spans)))
