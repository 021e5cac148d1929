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
from impact.questionnaires.xpath import Unsupported, evaluate

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
    import polars as pl

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

    def cell(row: dict, col: str | None) -> str:
        return str(row.get(col, "") or "").strip() if col else ""

    out_rows: list[dict] = []
    converted: dict[tuple[str, str], tuple] = {}  # _convert is pure: each distinct answer once
    seen = {} if seen is None else seen
    unchecked: set[str] = set()
    for row, line in zip(table.rows, table.row_numbers):
        row = {_norm(k): v for k, v in row.items()}
        errs: list[Problem] = []
        raw: dict[str, tuple[str, str]] = {}  # question -> (column, text)
        for q in answer_questions:
            name = q["name"]
            col = by_question.get(name)
            text = cell(row, col)
            if name in options:
                flagged = [opt for c, opt in options[name] if _norm(cell(row, c)) in _TRUE_FLAGS]
                if not col:
                    col, text = options[name][0][0], " ".join(flagged)
                elif text and flagged:
                    main, _bad = _split_multiple(form, q, text)
                    if set(main) != set(flagged):
                        errs.append(Problem(shown, line, col, text, Text(
                            f"dezelfde keuzes als in de 0/1-kolommen ({' '.join(flagged)})",
                            f"the same choices as in the 0/1 columns ({' '.join(flagged)})"),
                            severity="warning"))
            raw[name] = (col or name, text)
        values: dict[str, str] = {}
        for q in answer_questions:
            col, text = raw[q["name"]]
            if text == "":
                values[q["name"]] = ""
                continue
            got = converted.get((q["name"], text))
            if got is None:
                got = converted[(q["name"], text)] = _convert(form, q, text)
            value, expected = got
            if expected is not None:
                errs.append(Problem(shown, line, col, text, expected))
                values[q["name"]] = ""
            else:
                values[q["name"]] = value
        for q in answer_questions:
            name = q["name"]
            col, text = raw[name]
            if values[name] == "" and text == "" and q["required"] and not (name in given and col == name):
                relevant = True
                if q["relevant"]:
                    try:
                        relevant = bool(evaluate(q["relevant"], name, values))
                    except Unsupported:
                        relevant = False  # cannot tell; do not reject for a rule we cannot read
                if relevant:
                    errs.append(Problem(shown, line, col, "", Text(
                        "een antwoord: deze vraag is verplicht", "an answer: this question is required")))
            elif values[name] != "" and q["constraint"]:
                try:
                    ok = evaluate(q["constraint"], name, values)
                except Unsupported:
                    if name not in unchecked:
                        unchecked.add(name)
                        problems.append(Problem(shown, None, col, q["constraint"], Text(
                            "een regel die impact kan controleren; deze regel is niet gecontroleerd",
                            "a rule impact can check; this rule was not checked"), severity="warning"))
                    continue
                if not ok:
                    why_nl = _message(form, q, "nl")
                    why_en = _message(form, q, "en")
                    errs.append(Problem(shown, line, col, text, Text(
                        f"een waarde die past bij de regel {q['constraint']}" + (f" ({why_nl})" if why_nl else ""),
                        f"a value that meets the rule {q['constraint']}" + (f" ({why_en})" if why_en else ""))))
        # who, when, which wave
        if form.has("respondent") and "respondent" in by_question:
            respondent, rcol = values.get("respondent", ""), by_question["respondent"]
        else:
            rcol = meta_cols.get("respondent")
            respondent = cell(row, rcol)
        if not respondent:
            errs.append(Problem(shown, line, rcol or "respondent", "", Text(
                "de code van de deelnemer", "the participant's code")))
        wave_value: int | None = wave
        wcol = by_question.get("wave") if form.has("wave") else meta_cols.get("wave")
        if wcol:
            wtext = values.get("wave", "") if form.has("wave") else cell(row, wcol)
            if wtext:
                wave_value = _parse_wave(wtext)
                if wave_value is None:
                    errs.append(Problem(shown, line, wcol, cell(row, wcol), Text(
                        "een meting als heel getal (1, 2, 3)", "a wave as a whole number (1, 2, 3)")))
        date_value = None
        dcol = by_question.get("date") if form.has("date") else meta_cols.get("date")
        if dcol:
            dtext = values.get("date", "") if form.has("date") else cell(row, dcol)
            if dtext:
                date_value = _date_part(dtext)
                if date_value is None:
                    errs.append(Problem(shown, line, dcol, dtext, Text(
                        "een datum als dd-mm-jjjj of jjjj-mm-dd die bestaat",
                        "a date as dd-mm-yyyy or yyyy-mm-dd that exists")))
        if date_value is None and not dcol:
            for c in DATE_FALLBACKS:
                if cell(row, c):
                    date_value = _date_part(cell(row, c))
                    if date_value:
                        break
        for vcol in VERSION_COLUMNS:
            if vcol in columns and not form.has(vcol) and cell(row, vcol) and form.version \
                    and cell(row, vcol) != form.version:
                errs.append(Problem(shown, line, vcol, cell(row, vcol), Text(
                    f"versie {form.version} van de vragenlijst '{form.name}'. Deze antwoorden horen bij een "
                    f"andere versie; lees ze in met die versie van de vragenlijst.",
                    f"version {form.version} of the questionnaire '{form.name}'. These answers belong to another "
                    f"version; import them with that version of the form.")))
        if respondent and not [e for e in errs if e.severity == "error"]:
            key = (respondent, wave_value, None if wave_value is not None else date_value)
            if key in seen:
                first_file, first_line = seen[key]
                where_nl = f"rij {first_line}" + ("" if first_file == shown else f" van {first_file}")
                where_en = f"row {first_line}" + ("" if first_file == shown else f" of {first_file}")
                errs.append(Problem(shown, line, rcol or "respondent", respondent, Text(
                    f"één rij per deelnemer per meting; deelnemer {respondent} staat bij meting "
                    f"{wave_value if wave_value is not None else '?'} al in {where_nl}",
                    f"one row per participant per wave; participant {respondent} already has wave "
                    f"{wave_value if wave_value is not None else '?'} in {where_en}")))
            else:
                seen[key] = (shown, line)
        problems += errs
        if any(e.severity == "error" for e in errs):
            continue
        for q in answer_questions:
            name = q["name"]
            if name in META_ITEMS or q["type"] in NO_ANSWER_TYPES or values[name] == "":
                continue
            parts = values[name].split() if q["type"] == "select_multiple" else [values[name]]
            for part in parts:
                out_rows.append({
                    "instrument": form.name, "version": form.version, "respondent": respondent,
                    "wave": wave_value, "date": date_value, "item": name, "value": part,
                    "value_num": _value_num(form, q, part),
                })
    df = pl.DataFrame(out_rows, schema=_schema(), orient="row") if out_rows else empty_responses()
    return df, problems


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
