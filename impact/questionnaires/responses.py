"""Read questionnaire answers (plain, KoboToolbox or ODK Central) into one long table.

Every answer file becomes rows of ``instrument, version, respondent, wave,
date, item, value, value_num``: one row per answered question, and for a
select_multiple question one row per chosen option. Each value is checked
against the instrument (type, choice list, constraint, required). A row
with any error is not in the table; it comes back as ``Problem``s (severity
``"error"``) naming file, row, column, value and what was expected, so
nothing is lost.

Three shapes of file are recognised by their columns:

* plain (CSV/XLSX, one row per respondent per wave): ``respondent``,
  ``wave``, ``date`` and one column per question name;
* KoboToolbox export: ``_uuid``/``_submission_time``/``_index`` columns,
  ``group/question`` headers (or labels in any form language), XML values
  or labels, select_multiple as space-separated values plus 0/1 columns
  ``group/question/option``;
* ODK Central CSV: ``KEY``/``SubmissionDate``/``meta-instanceID`` columns,
  groups joined with ``-``, option columns ``group-question/option``.

Example:
    >>> from pathlib import Path
    >>> import tempfile, impact
    >>> form = impact.read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners.xlsx")
    >>> p = Path(tempfile.mkdtemp()) / "antwoorden.csv"
    >>> _ = p.write_text("respondent;wave;date;contact_via;activiteiten;tevreden\\n"
    ...                  "R0001;1;12-05-2023;aanbellen;maaltijd taalles;4\\n", encoding="utf-8")
    >>> read_responses(p, form).select("item", "value", "value_num").rows()
    [('contact_via', 'aanbellen', None), ('activiteiten', 'maaltijd', None), ('activiteiten', 'taalles', None), ('tevreden', '4', 4.0)]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from impact.errors import InputError, Problem, Text
from impact.questionnaires.xlsform import NO_ANSWER_TYPES, NUMERIC_TYPES, Instrument, read_xlsform
from impact.questionnaires.xpath import Unsupported, compile_expression, truth

RESPONSE_COLUMNS = ("instrument", "version", "respondent", "wave", "date", "item", "value", "value_num")
META_ITEMS = ("respondent", "wave", "date")
_SYNONYMS = {
    "respondent": ("respondent", "person_id", "respondent_id", "deelnemer"),
    "wave": ("wave", "meting"),
    "date": ("date", "datum"),
}
# Columns the tools add themselves; known, so never "unknown column".
KOBO_MARKERS = {"_uuid", "_submission_time", "_index", "_id"}
ODK_MARKERS = {"key", "submissiondate", "meta-instanceid"}
SYSTEM_COLUMNS = {
    "start", "end", "today", "deviceid", "meta/instanceid", "meta/rootuuid", "meta/deprecatedid",
    "formhub/uuid", "instanceid", "submissiondate", "key", "submitterid", "submittername",
    "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "edits", "formversion",
    "meta-instanceid", "meta-rootuuid", "meta-deprecatedid", "version", "__version__", "_version_",
}
VERSION_COLUMNS = ("_version_", "version", "formversion")
DATE_FALLBACKS = ("today", "end", "start", "_submission_time", "submissiondate")
ID_FALLBACKS = ("_uuid", "key", "meta/instanceid", "meta-instanceid", "instanceid")

_TRUE_FLAGS = {"1", "1.0", "true", "ja", "yes", "x", "waar"}


def _norm(text: object) -> str:
    # str.split() splits on the same Unicode whitespace as re's \s+, and strips (faster)
    return " ".join(str(text or "").lower().split())


def _read_table(path: Path, shown: str):
    from impact.tabular import read_table

    return read_table(path, display=shown)


@dataclass
class _Column:
    kind: str  # "question" | "option" | "system" | "meta"
    question: str | None = None
    option: str | None = None


class _Matcher:
    """Which column of an export belongs to which question (by name, path or label)."""

    def __init__(self, form: Instrument):
        self.form = form
        self.question_keys: dict[str, str] = {}
        label_owner: dict[str, set[str]] = {}
        for q in form.questions.iter_rows(named=True):
            if q["type"] == "note":
                continue
            name, path = q["name"], q["path"]
            for key in (name, path, path.replace("/", "-"), path.replace("/", ".")):
                self.question_keys.setdefault(_norm(key), name)
            for lg in form.languages:
                label = q.get(f"label::{lg}")
                if label:
                    label_owner.setdefault(_norm(label), set()).add(name)
        for label, owners in label_owner.items():
            if len(owners) == 1 and label not in self.question_keys:
                self.question_keys[label] = next(iter(owners))

    def option_key(self, question: str, text: str) -> str | None:
        q = self.form.question(question)
        want = _norm(text)
        for c in self.form.choice_list(q["list"]):
            if _norm(c["name"]) == want:
                return c["name"]
        for c in self.form.choice_list(q["list"]):
            if any(_norm(c.get(f"label::{lg}")) == want for lg in self.form.languages if c.get(f"label::{lg}")):
                return c["name"]
        return None

    def column(self, header: str) -> _Column | None:
        h = _norm(header)
        if h in self.question_keys:
            name = self.question_keys[h]
            kind = "system" if self.form.question(name)["type"] == "metadata" else "question"
            return _Column(kind, name)
        if h in SYSTEM_COLUMNS:
            return _Column("system")
        segments = h.split("/")
        # Kobo label exports put group labels in front: "Group label/Question label"
        for i in range(1, len(segments)):
            name = self.question_keys.get("/".join(segments[i:]))
            if name:
                kind = "system" if self.form.question(name)["type"] == "metadata" else "question"
                return _Column(kind, name)
        for i in range(len(segments) - 1):
            name = self.question_keys.get("/".join(segments[i:-1]))
            if name and self.form.question(name)["type"] in ("select_multiple", "rank"):
                option = self.option_key(name, segments[-1])
                if option is not None:
                    return _Column("option", name, option)
        for meta, synonyms in _SYNONYMS.items():
            if h in synonyms and not self.form.has(meta):
                return _Column("meta", meta)
        if h.startswith("_"):
            return _Column("system")
        return None


def _match_choice(form: Instrument, q: dict, text: str) -> str | None:
    """The choice name for ``text``: a name, or a label in any language."""
    choices = form.choice_list(q["list"])
    for c in choices:
        if c["name"] == text:
            return c["name"]
    want = _norm(text)
    if want.endswith(".0") and want[:-2].lstrip("-").isdigit():
        want = want[:-2]  # a spreadsheet turned the choice 3 into 3.0
    for c in choices:
        if _norm(c["name"]) == want:
            return c["name"]
    for c in choices:
        for lg in form.languages:
            if c.get(f"label::{lg}") and _norm(c[f"label::{lg}"]) == want:
                return c["name"]
    return None


def _split_multiple(form: Instrument, q: dict, text: str) -> tuple[list[str], list[str]]:
    """Chosen option names from a select_multiple cell, and the parts not understood.

    Accepts names separated by spaces (XLSForm, Kobo XML values), and labels
    separated by ``;``, ``,`` or spaces (Kobo label exports, typed paper answers).
    """
    text = text.strip()
    whole = _match_choice(form, q, text)
    if whole is not None:
        return [whole], []
    for sep in (";", ","):
        if sep in text:
            parts = [p.strip() for p in text.split(sep) if p.strip()]
            found = [_match_choice(form, q, p) for p in parts]
            if all(f is not None for f in found):
                return found, []
    tokens = text.split()
    chosen, bad, i = [], [], 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):  # longest run of words that is a name or label
            hit = _match_choice(form, q, " ".join(tokens[i:j]))
            if hit is not None:
                chosen.append(hit)
                i = j
                break
        else:
            bad.append(tokens[i])
            i += 1
    return chosen, bad


def _message(form: Instrument, q: dict, lang: str) -> str | None:
    from impact.questionnaires.xlsform import _pick

    return _pick(q, "constraint_message", form.language(lang), form.languages)


def _allowed(form: Instrument, q: dict) -> str:
    names = [c["name"] for c in form.choice_list(q["list"])]
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return shown


def _convert(form: Instrument, q: dict, text: str) -> tuple[str | None, Text | None]:
    """Canonical text of an answer, or what was expected."""
    from impact.tabular import parse_date, parse_number

    qtype = q["type"]
    if qtype in ("integer", "range", "decimal"):
        try:
            number = parse_number(text)
        except ValueError:
            number = None
        if number is None or number != number:
            kind = Text("een heel getal", "a whole number") if qtype == "integer" else Text(
                "een getal (komma of punt mag)", "a number (comma or point allowed)")
            return None, kind
        if qtype == "integer":
            if not float(number).is_integer():
                return None, Text("een heel getal (zonder komma)", "a whole number (no decimals)")
            return str(int(number)), None
        return (str(int(number)) if float(number).is_integer() else repr(float(number))), None
    if qtype == "select_one":
        if not form.choice_list(q["list"]):
            return text, None
        hit = _match_choice(form, q, text)
        if hit is None:
            return None, Text(f"een van de keuzes uit de lijst '{q['list']}': {_allowed(form, q)}",
                              f"one of the choices of list '{q['list']}': {_allowed(form, q)}")
        return hit, None
    if qtype in ("select_multiple", "rank"):
        if not form.choice_list(q["list"]):
            return " ".join(text.split()), None
        chosen, bad = _split_multiple(form, q, text)
        if bad:
            return None, Text(
                f"keuzes uit de lijst '{q['list']}' met spaties ertussen ({_allowed(form, q)}); "
                f"onbekend: {' '.join(bad)}",
                f"choices of list '{q['list']}' separated by spaces ({_allowed(form, q)}); "
                f"unknown: {' '.join(bad)}")
        unique = list(dict.fromkeys(chosen))
        return " ".join(unique), None
    if qtype == "date":
        try:
            return parse_date(text).isoformat(), None
        except ValueError:
            return None, Text("een datum als dd-mm-jjjj of jjjj-mm-dd die bestaat",
                              "a date as dd-mm-yyyy or yyyy-mm-dd that exists")
    if qtype == "datetime":
        try:
            parse_date(text.replace("T", " ").split(" ")[0])
        except ValueError:
            return None, Text("een datum met tijd, zoals 2024-03-01 10:30", "a date and time, like 2024-03-01 10:30")
        return text, None
    if qtype == "time":
        if not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?", text):
            return None, Text("een tijd als uu:mm", "a time as hh:mm")
        return text, None
    return text, None


def _value_num(form: Instrument, q: dict, value: str) -> float | None:
    if q["type"] in NUMERIC_TYPES or q["type"] == "select_one":
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _parse_wave(text: str) -> int | None:
    try:
        number = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    if not number.is_integer() or not 0 <= number <= 127:
        return None
    return int(number)


def _date_part(text: str) -> dt.date | None:
    from impact.tabular import parse_date

    s = str(text or "").strip()
    if not s:
        return None
    try:
        return parse_date(s.replace("T", " ").split(" ")[0])
    except ValueError:
        return None


def empty_responses():
    """An empty responses table with the right column types."""
    import polars as pl

    return pl.DataFrame(schema=_schema())


def _schema():
    import polars as pl

    return {"instrument": pl.String, "version": pl.String, "respondent": pl.String, "wave": pl.Int8,
            "date": pl.Date, "item": pl.String, "value": pl.String, "value_num": pl.Float64}


def check_responses(path: Path | str, instrument: Instrument | Path | str, *, wave: int | None = None,
                    display: str | None = None, seen: dict | None = None):
    """Read one answer file against ``instrument``: ``(table, problems)``.

    Rows with an error are left out of the table and described in
    ``problems`` (severity ``"error"``); warnings keep the row. ``wave`` is
    used when the file has no wave column. ``seen`` carries
    ``(respondent, wave, date) -> (file, row)`` across files, to find
    duplicates. Never raises for a mistake in the file itself.
    """
    form = instrument if isinstance(instrument, Instrument) else read_xlsform(instrument)
    path = Path(path)
    shown = display or path.name
    problems: list[Problem] = []
    try:
        table = _read_table(path, shown)
    except InputError as err:
        return empty_responses(), err.problems or [
            Problem(shown, None, None, None, Text(err.text("nl"), err.text("en")))]
    problems += list(getattr(table, "problems", []) or [])
    columns = [_norm(c) for c in table.columns]
    matcher = _Matcher(form)
    mapping: dict[str, _Column] = {}
    unknown: list[str] = []
    for col in columns:
        hit = matcher.column(col)
        if hit is None:
            unknown.append(col)
        else:
            mapping[col] = hit
    version_text = f" (versie {form.version})" if form.version else ""
    version_text_en = f" (version {form.version})" if form.version else ""
    for col in unknown:
        problems.append(Problem(shown, table.header_row, col, col, Text(
            f"een vraag van de vragenlijst '{form.name}'{version_text}. Deze kolom hoort er niet bij. "
            f"Komt het bestand van een andere versie van de vragenlijst? Zet de vraag in de vragenlijst, "
            f"of haal de kolom weg. Er is niets uit dit bestand ingelezen.",
            f"a question of the questionnaire '{form.name}'{version_text_en}. This column does not belong "
            f"to it. Is the file an export of another version of the form? Add the question to the form, "
            f"or remove the column. Nothing from this file was imported.")))
    if any(c in (_norm(r) for r in form.questions["repeat"].drop_nulls().to_list()) for c in columns) or any(
            m.question and form.question(m.question)["repeat"] for m in mapping.values()):
        problems.append(Problem(shown, table.header_row, None, None, Text(
            "geen antwoorden uit een herhaalde groep (repeat); die kan impact nog niet inlezen. "
            "Er is niets uit dit bestand ingelezen.",
            "no answers from a repeat group; impact cannot import those yet. Nothing from this file was imported.")))
        unknown.append("(repeat)")
    by_question: dict[str, str] = {}
    options: dict[str, list[tuple[str, str]]] = {}
    meta_cols: dict[str, str] = {}
    for col, m in mapping.items():
        if m.kind == "question":
            by_question.setdefault(m.question, col)
        elif m.kind == "option":
            options.setdefault(m.question, []).append((col, m.option))
        elif m.kind == "meta":
            meta_cols.setdefault(m.question, col)
    answer_questions = [q for q in form.answer_questions() if q["repeat"] is None]
    given = {"wave"} if wave is not None else set()  # --wave stands in for a missing wave column
    missing_required = [q for q in answer_questions if q["required"] and q["name"] not in by_question
                        and q["name"] not in options and not q["relevant"] and q["name"] not in given]
    for q in missing_required:
        problems.append(Problem(shown, table.header_row, q["name"], None, Text(
            f"een kolom '{q['name']}': dit is een verplichte vraag. Er is niets uit dit bestand ingelezen.",
            f"a column '{q['name']}': this is a required question. Nothing from this file was imported.")))
    for q in answer_questions:
        if not q["required"] and q["name"] not in by_question and q["name"] not in options:
            problems.append(Problem(shown, table.header_row, q["name"], None, Text(
                "een kolom voor deze vraag; die ontbreekt (de vraag telt als niet beantwoord)",
                "a column for this question; it is missing (the question counts as not answered)"),
                severity="warning"))
    if unknown or missing_required:
        return empty_responses(), problems

    has = {m: (form.has(m) and m in by_question) or m in meta_cols for m in META_ITEMS}
    if not has["respondent"]:
        fallback = next((c for c in ID_FALLBACKS if c in columns), None)
        if fallback is None:
            problems.append(Problem(shown, table.header_row, "respondent", None, Text(
                "een kolom 'respondent' met de code van de deelnemer. Er is niets uit dit bestand ingelezen.",
                "a column 'respondent' with the participant's code. Nothing from this file was imported.")))
            return empty_responses(), problems
        meta_cols["respondent"] = fallback
        problems.append(Problem(shown, table.header_row, fallback, None, Text(
            "een kolom 'respondent'; nu geldt de code van de inzending als deelnemer",
            "a column 'respondent'; the submission id now stands for the participant"), severity="warning"))

    return _check_rows(form, table, shown, columns, by_question, options, meta_cols, answer_questions, given,
                       wave, {} if seen is None else seen, problems)


def _by_value(series, fn, dtype):
    """``fn(value)`` once per distinct value of ``series``; the result for every row."""
    mapping = {v: fn(v) for v in series.unique().to_list()}
    return series.replace_strict(mapping, default=None, return_dtype=dtype)


def _by_combination(columns: list, fn, dtypes: list) -> list:
    """``fn(*values)`` (a tuple of results) once per distinct combination of ``columns`` (Series of one
    length); a Series per result, for every row."""
    import polars as pl

    names = [f"k{j}" for j in range(len(columns))]
    keys = pl.DataFrame(dict(zip(names, columns)))
    distinct = keys.unique(maintain_order=True)
    results = [fn(*values) for values in distinct.iter_rows()]
    outs = [f"r{j}" for j in range(len(dtypes))]
    distinct = distinct.with_columns([pl.Series(o, [r[j] for r in results], dtype=d)
                                      for j, (o, d) in enumerate(zip(outs, dtypes))])
    joined = keys.join(distinct, on=names, how="left", maintain_order="left", nulls_equal=True)
    return [joined[o] for o in outs]


def _judge_rows(rule: str, name: str, values: dict, rows, answers: set[str]):
    """The verdict of ``rule`` (with ``.`` = question ``name``) for the rows of ``rows`` (a boolean
    Series): a Series of "ok", "fail" (the result is false) or "unsupported", null outside ``rows``.

    The rule runs once per distinct combination of the values it reads.
    """
    import polars as pl

    expression = compile_expression(rule)
    read = ([name] if expression.dot else []) + [r for r in expression.refs if r in answers]

    def verdict(*got):
        env = dict(zip(read, got))
        try:
            result = expression(name, env)
        except Unsupported:
            return ("unsupported",)
        return ("ok" if truth(result) else "fail",)

    n = rows.len()
    if not read:
        return pl.Series([verdict()[0]] * n, dtype=pl.Utf8).zip_with(rows, pl.Series([None] * n, dtype=pl.Utf8))
    picked = [values[r].filter(rows) for r in read]
    (found,) = _by_combination(picked, verdict, [pl.Utf8])
    out = pl.Series([None] * n, dtype=pl.Utf8)
    return out.scatter(rows.arg_true(), found)


def _check_rows(form: Instrument, table, shown: str, columns: list[str], by_question: dict, options: dict,
                meta_cols: dict, answer_questions: list[dict], given: set, wave: int | None, seen: dict,
                problems: list[Problem]):
    """The rows of an answer file, checked a question (a column) at a time.

    Problems come in the order a row-by-row check gives them: by row, and in a
    row by question, first the 0/1 columns, then the values, then required and
    constraint, then who, when, which wave. Each distinct value is converted,
    and each rule run, once.
    """
    import polars as pl

    from impact.tabular import ROW

    frame = table.frame
    n = frame.height
    lines = frame[ROW].to_list()
    source: dict[str, str] = {}
    for k in frame.columns:
        if k != ROW:
            source[_norm(k)] = k  # as a dict of normalised names: a later column of the same name wins
    blank = pl.Series([""] * n, dtype=pl.Utf8)
    cells: dict[str, object] = {}

    def cell(col: str | None):
        """The column's texts, stripped (empty when the file does not have the column)."""
        if not col or col not in source:
            return blank
        if col not in cells:
            s = frame[source[col]].fill_null("")
            cells[col] = _by_value(s, lambda v: str(v or "").strip(), pl.Utf8)
        return cells[col]

    errs: dict[int, list[Problem]] = {}
    before: dict[int, list[Problem]] = {}  # warnings that came before a row's own problems
    failed = pl.Series([False] * n, dtype=pl.Boolean)

    def add(mask, make, error: bool = True) -> None:
        """A problem ``make(i)`` for each row ``i`` where ``mask`` holds."""
        nonlocal failed
        for i in mask.arg_true().to_list():
            errs.setdefault(i, []).append(make(i))
        if error:
            failed = failed | mask

    # the text of each question: its column, or its 0/1 option columns
    raw: dict[str, tuple[str, object]] = {}
    for q in answer_questions:
        name = q["name"]
        col = by_question.get(name)
        text = cell(col)
        if name in options:
            flags = [_by_value(cell(c), lambda v: _norm(v) in _TRUE_FLAGS, pl.Boolean) for c, _ in options[name]]
            opts = [opt for _, opt in options[name]]

            def chosen(*on, opts=opts):
                return [opt for opt, f in zip(opts, on) if f]

            if not col:
                col = options[name][0][0]
                (text,) = _by_combination(flags, lambda *on: (" ".join(chosen(*on)),), [pl.Utf8])
            else:
                def differs(t, *on, q=q):
                    flagged = chosen(*on)
                    if not (t and flagged):
                        return (None,)
                    main, _bad = _split_multiple(form, q, t)
                    return (" ".join(flagged) if set(main) != set(flagged) else None,)

                (other,) = _by_combination([text] + flags, differs, [pl.Utf8])
                texts, others = text.to_list(), other.to_list()
                add(other.is_not_null(), lambda i, col=col: Problem(shown, lines[i], col, texts[i], Text(
                    f"dezelfde keuzes als in de 0/1-kolommen ({others[i]})",
                    f"the same choices as in the 0/1 columns ({others[i]})"), severity="warning"), error=False)
        raw[name] = (col or name, text)

    # each value against its question
    values: dict[str, object] = {}
    for q in answer_questions:
        name = q["name"]
        col, text = raw[name]
        got = {t: _convert(form, q, t) for t in text.unique().to_list() if t != ""}
        values[name] = text.replace_strict({t: v or "" for t, (v, _) in got.items()}, default="",
                                           return_dtype=pl.Utf8)
        wrong = [t for t, (_, expected) in got.items() if expected is not None]
        if wrong:
            texts = text.to_list()
            add(text.is_in(wrong), lambda i, col=col, got=got, texts=texts: Problem(
                shown, lines[i], col, texts[i], got[texts[i]][1]))

    # required answers (when relevant) and constraints
    answers = set(values)
    unchecked: set[str] = set()
    for q in answer_questions:
        name = q["name"]
        col, text = raw[name]
        value = values[name]
        if q["required"] and not (name in given and col == name):
            empty = (value == "") & (text == "")
            if q["relevant"] and empty.any():
                verdict = _judge_rows(q["relevant"], name, values, empty, answers)
                empty = empty & (verdict == "ok").fill_null(False)  # unsupported: do not reject
            add(empty, lambda i, col=col: Problem(shown, lines[i], col, "", Text(
                "een antwoord: deze vraag is verplicht", "an answer: this question is required")))
        if q["constraint"]:
            answered = value != ""
            if not answered.any():
                continue
            verdict = _judge_rows(q["constraint"], name, values, answered, answers)
            unsupported = (verdict == "unsupported").fill_null(False)
            if unsupported.any() and name not in unchecked:
                unchecked.add(name)
                before.setdefault(unsupported.arg_true()[0], []).append(Problem(shown, None, col, q["constraint"], Text(
                    "een regel die impact kan controleren; deze regel is niet gecontroleerd",
                    "a rule impact can check; this rule was not checked"), severity="warning"))
            why_nl, why_en = _message(form, q, "nl"), _message(form, q, "en")
            rule = Text(f"een waarde die past bij de regel {q['constraint']}" + (f" ({why_nl})" if why_nl else ""),
                        f"a value that meets the rule {q['constraint']}" + (f" ({why_en})" if why_en else ""))
            texts = text.to_list()
            add((verdict == "fail").fill_null(False),
                lambda i, col=col, texts=texts, rule=rule: Problem(shown, lines[i], col, texts[i], rule))

    # who, when, which wave
    if form.has("respondent") and "respondent" in by_question:
        respondent, rcol = values.get("respondent", blank), by_question["respondent"]
    else:
        rcol = meta_cols.get("respondent")
        respondent = cell(rcol)
    add(respondent == "", lambda i: Problem(shown, lines[i], rcol or "respondent", "", Text(
        "de code van de deelnemer", "the participant's code")))
    wave_value = pl.Series([wave] * n, dtype=pl.Int64)
    wcol = by_question.get("wave") if form.has("wave") else meta_cols.get("wave")
    if wcol:
        wtext = values.get("wave", blank) if form.has("wave") else cell(wcol)
        parsed = _by_value(wtext, lambda t: _parse_wave(t) if t else None, pl.Int64)
        wave_value = parsed.zip_with(wtext != "", wave_value)
        shown_wave = cell(wcol).to_list()
        add((wtext != "") & parsed.is_null(), lambda i: Problem(shown, lines[i], wcol, shown_wave[i], Text(
            "een meting als heel getal (1, 2, 3)", "a wave as a whole number (1, 2, 3)")))
    date_value = pl.Series([None] * n, dtype=pl.Date)
    dcol = by_question.get("date") if form.has("date") else meta_cols.get("date")
    if dcol:
        dtext = values.get("date", blank) if form.has("date") else cell(dcol)
        date_value = _by_value(dtext, lambda t: _date_part(t) if t else None, pl.Date)
        dtexts = dtext.to_list()
        add((dtext != "") & date_value.is_null(), lambda i: Problem(shown, lines[i], dcol, dtexts[i], Text(
            "een datum als dd-mm-jjjj of jjjj-mm-dd die bestaat",
            "a date as dd-mm-yyyy or yyyy-mm-dd that exists")))
    else:
        for c in DATE_FALLBACKS:  # the first that holds a date
            date_value = date_value.fill_null(_by_value(cell(c), _date_part, pl.Date))
    for vcol in VERSION_COLUMNS:
        if vcol in columns and not form.has(vcol) and form.version:
            vtext = cell(vcol)
            vtexts = vtext.to_list()
            add((vtext != "") & (vtext != form.version), lambda i, vcol=vcol, vtexts=vtexts: Problem(
                shown, lines[i], vcol, vtexts[i], Text(
                    f"versie {form.version} van de vragenlijst '{form.name}'. Deze antwoorden horen bij een "
                    f"andere versie; lees ze in met die versie van de vragenlijst.",
                    f"version {form.version} of the questionnaire '{form.name}'. These answers belong to another "
                    f"version; import them with that version of the form.")))
    # one row per participant per wave: the first row without errors counts, across files (``seen``)
    candidates = (respondent != "") & ~failed
    day = date_value.zip_with(wave_value.is_null(), pl.Series([None] * n, dtype=pl.Date))
    keys = pl.DataFrame({"r": respondent, "w": wave_value, "d": day}).filter(candidates)
    double = []
    for i, key in zip(candidates.arg_true().to_list(), keys.iter_rows()):
        if key in seen:
            double.append((i, key, seen[key]))
        else:
            seen[key] = (shown, lines[i])
    for i, (who, wave_no, _), (first_file, first_line) in double:
        where_nl = f"rij {first_line}" + ("" if first_file == shown else f" van {first_file}")
        where_en = f"row {first_line}" + ("" if first_file == shown else f" of {first_file}")
        errs.setdefault(i, []).append(Problem(shown, lines[i], rcol or "respondent", who, Text(
            f"één rij per deelnemer per meting; deelnemer {who} staat bij meting "
            f"{wave_no if wave_no is not None else '?'} al in {where_nl}",
            f"one row per participant per wave; participant {who} already has wave "
            f"{wave_no if wave_no is not None else '?'} in {where_en}")))
    if double:
        failed = failed.scatter([i for i, _, _ in double], True)
    for i in sorted(set(errs) | set(before)):
        problems += before.get(i, []) + errs.get(i, [])

    # the answers of the good rows, one row per answer (per chosen option of a select_multiple)
    parts = []
    good = ~failed
    for position, q in enumerate(answer_questions):
        name = q["name"]
        if name in META_ITEMS or q["type"] in NO_ANSWER_TYPES:
            continue
        value = values[name]
        keep = good & (value != "")
        if not keep.any():
            continue
        split = q["type"] == "select_multiple"
        pieces = {v: (v.split() if split else [v]) for v in value.filter(keep).unique().to_list()}
        numbers = {p: _value_num(form, q, p) for ps in pieces.values() for p in ps}
        chosen = pl.DataFrame({"value": list(pieces), "part": list(pieces.values())},
                              schema={"value": pl.Utf8, "part": pl.List(pl.Utf8)}).explode("part")
        chosen = chosen.with_columns(pl.col("part").replace_strict(numbers, default=None, return_dtype=pl.Float64)
                                     .alias("value_num"), pl.int_range(pl.len()).over("value").alias("k"))
        rows = pl.DataFrame({"i": pl.int_range(n, eager=True), "respondent": respondent, "wave": wave_value,
                             "date": date_value, "value": value}).filter(keep)
        parts.append(rows.join(chosen.drop_nulls("part"), on="value", how="inner", maintain_order="left")
                     .with_columns(pl.lit(position).alias("q"), pl.lit(name).alias("item")))
    if not parts:
        return empty_responses(), problems
    long = pl.concat(parts, how="vertical").sort("i", "q", "k", maintain_order=True)
    df = long.select(pl.lit(form.name, dtype=pl.String).alias("instrument"),
                     pl.lit(form.version, dtype=pl.String).alias("version"),
                     "respondent", "wave", "date", "item", pl.col("part").alias("value"), "value_num")
    return df.cast(_schema()), problems


def read_responses(path: Path | str, instrument: Instrument | Path | str, *, wave: int | None = None):
    """Answers in ``path`` as a long polars table; ``InputError`` listing every problem if any row is wrong.

    Use ``check_responses`` to get the good rows and the problems without an error.
    """
    df, problems = check_responses(path, instrument, wave=wave)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(Text(
            f"{Path(path).name}: {len(errors)} fout(en) in de antwoorden. Verbeter ze en lees het bestand opnieuw in.",
            f"{Path(path).name}: {len(errors)} error(s) in the answers. Fix them and import the file again.",
        ), errors)
    return df


ANSWER_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def load_study_responses(study):
    """Every answer file of ``study`` as one long table, plus the problems.

    Reads ``data/raw/responses/<instrument>/*.csv|xlsx`` against
    ``questionnaires/<instrument>.xlsx``. Rows with an error are not in the
    table; they are in the problems (severity ``"error"``). Respondents are
    the raw codes from the files (the caller pseudonymises them).
    """
    import polars as pl

    root = study.raw / "responses"
    frames, problems = [], []
    if not root.is_dir():
        return empty_responses(), problems
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        data_files = [p for p in files if p.suffix.lower() in ANSWER_SUFFIXES]
        for p in files:
            if p not in data_files and p.suffix.lower() not in (".md", ".txt"):
                problems.append(Problem(study.rel(p), None, None, p.suffix, Text(
                    "een CSV- of Excel-bestand (.csv, .xlsx); dit bestand is overgeslagen",
                    "a CSV or Excel file (.csv, .xlsx); this file was skipped"), severity="warning"))
        if not data_files:
            continue
        form_path = study.questionnaires / f"{folder.name}.xlsx"
        if not form_path.is_file():
            for p in data_files:
                problems.append(Problem(study.rel(p), None, None, folder.name, Text(
                    f"een vragenlijst {study.rel(form_path)} bij de map '{folder.name}'; die ontbreekt. "
                    f"Er is niets uit dit bestand ingelezen.",
                    f"a questionnaire {study.rel(form_path)} for the folder '{folder.name}'; it is missing. "
                    f"Nothing from this file was imported.")))
            continue
        try:
            form = read_xlsform(form_path, name=folder.name)
        except InputError as err:
            for p in data_files:
                problems.append(Problem(study.rel(p), None, None, study.rel(form_path), Text(
                    f"een geldige vragenlijst. {err.text('nl')} Er is niets uit dit bestand ingelezen.",
                    f"a valid questionnaire. {err.text('en')} Nothing from this file was imported.")))
            continue
        seen: dict = {}
        for p in data_files:
            df, found = check_responses(p, form, display=study.rel(p), seen=seen)
            frames.append(df)
            problems += found
    frames = [f for f in frames if f.height]
    table = pl.concat(frames, how="vertical") if frames else empty_responses()
    return table, problems
