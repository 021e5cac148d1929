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
from dataclasses import dataclass, replace
from pathlib import Path

from impact.errors import InputError, Problem, Text
from impact.text import PerLanguage, languages
from impact.questionnaires.waves import parse_wave
from impact.questionnaires.xlsform import NO_ANSWER_TYPES, NUMERIC_TYPES, Instrument, read_xlsform
from impact.questionnaires.xpath import Unsupported, compile_expression, truth

RESPONSE_COLUMNS = ("instrument", "version", "respondent", "wave", "date", "item", "value", "value_num",
                    "repeat", "repeat_index")
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
    "parent_key",
}
VERSION_COLUMNS = ("_version_", "version", "formversion")
DATE_FALLBACKS = ("today", "end", "start", "_submission_time", "submissiondate")
ID_FALLBACKS = ("_uuid", "key", "meta/instanceid", "meta-instanceid", "instanceid")

_TRUE_FLAGS = {"1", "1.0", "true", "ja", "yes", "x", "waar"}


def _norm(text: object) -> str:
    # str.split() splits on the same Unicode whitespace as re's \s+, and strips (faster)
    return " ".join(str(text or "").lower().split())


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
            inside = path[len(q["repeat"]) + 1:] if q["repeat"] else path  # ODK: the path inside its repeat
            for key in (name, path, path.replace("/", "-"), path.replace("/", "."), inside.replace("/", "-")):
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
            kind = Text("een heel getal") if qtype == "integer" else Text("een getal "
                                                                                            "(komma of punt "
                                                                                            "mag)")
            return None, kind
        if qtype == "integer":
            if not float(number).is_integer():
                return None, Text("een heel getal (zonder komma)")
            return str(int(number)), None
        return (str(int(number)) if float(number).is_integer() else repr(float(number))), None
    if qtype == "select_one":
        if not form.choice_list(q["list"]):
            return text, None
        hit = _match_choice(form, q, text)
        if hit is None:
            return None, Text("een van de keuzes uit de lijst '{list}': {allowed}",
                              list=q['list'], allowed=_allowed(form, q))
        return hit, None
    if qtype in ("select_multiple", "rank"):
        if not form.choice_list(q["list"]):
            return " ".join(text.split()), None
        chosen, bad = _split_multiple(form, q, text)
        if bad:
            return None, Text("keuzes uit de lijst '{list}' met spaties ertussen ({allowed}); onbekend: {bad}",
                              list=q['list'], allowed=_allowed(form, q), bad=' '.join(bad))
        unique = list(dict.fromkeys(chosen))
        return " ".join(unique), None
    if qtype == "date":
        try:
            return parse_date(text).isoformat(), None
        except ValueError:
            return None, Text("een datum als dd-mm-jjjj of jjjj-mm-dd die bestaat")
    if qtype == "datetime":
        try:
            parse_date(text.replace("T", " ").split(" ")[0])
        except ValueError:
            return None, Text("een datum met tijd, zoals 2024-03-01 10:30")
        return text, None
    if qtype == "time":
        if not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?", text):
            return None, Text("een tijd als uu:mm")
        return text, None
    return text, None


def _value_num(form: Instrument, q: dict, value: str) -> float | None:
    if q["type"] in NUMERIC_TYPES or q["type"] == "select_one":
        try:
            return float(value)
        except ValueError:
            return None
    return None


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
            "date": pl.Date, "item": pl.String, "value": pl.String, "value_num": pl.Float64,
            "repeat": pl.String, "repeat_index": pl.String}


@dataclass
class _Mapped:
    """Which columns of one sheet hold which question, option or meta field."""

    sheet: object  # exports.AnswerSheet
    repeat: str | None  # the repeat group of the sheet (None: the submissions)
    questions: list[dict]
    by_question: dict
    options: dict
    meta_cols: dict
    link: str = "plain"  # how a repeat row finds its parent: "kobo", "odk" or "plain"


def check_responses(path: Path | str, instrument: Instrument | Path | str, *, wave: int | None = None,
                    display: str | None = None, seen: dict | None = None, submissions: list | None = None):
    """Read one answer file against ``instrument``: ``(table, problems)``.

    Rows with an error are left out of the table and described in
    ``problems`` (severity ``"error"``); warnings keep the row. ``wave`` is
    used when the file has no wave column. ``seen`` carries
    ``(respondent, wave, date) -> (file, row)`` across files, to find
    duplicates. ``submissions``, when given, gets a table of the
    submissions read (for the follow-up checks). Never raises for a mistake
    in the file itself.

    Answers in repeat groups (a sheet per repeat group in a Kobo XLSX export
    or an entry workbook, a CSV per repeat group in an ODK Central ZIP) are
    rows with ``repeat`` (the group's path) and ``repeat_index`` (``"2"``: the
    second in its submission; ``"2.1"``: the first inside the second). A
    submission is read whole or not at all: an error in one of its repeat
    rows leaves out the submission and all its rows, each with its reason.
    """
    from impact.questionnaires.exports import read_answer_sheets

    form = instrument if isinstance(instrument, Instrument) else read_xlsform(instrument)
    path = Path(path)
    shown = display or path.name
    problems: list[Problem] = []
    try:
        sheets = read_answer_sheets(path, shown)
    except InputError as err:
        return empty_responses(), err.problems or [
            Problem(shown, None, None, None, err.text)]
    for sheet in sheets:
        problems += [replace(p, sheet=sheet.sheet) if sheet.sheet and p.sheet is None else p
                     for p in (getattr(sheet.table, "problems", []) or [])]
    given = {"wave"} if wave is not None else set()  # --wave stands in for a missing wave column
    plan = _plan_sheets(form, sheets, given, problems)
    if plan is None:
        return empty_responses(), problems
    return _check_file(form, plan, wave, given, {} if seen is None else seen, submissions, problems)


def _key_name(form: Instrument) -> str:
    """The question that says who answered: ``respondent``, or the form's ``respondent_key``."""
    key = form.respondent_key or "respondent"
    return key if form.has(key) else "respondent"


def _map_sheet(form: Instrument, matcher: "_Matcher", sheet, repeat: str | None, given: set,
               problems: list[Problem]) -> _Mapped | None:
    """The columns of ``sheet`` (the submissions, or repeat group ``repeat``); ``None`` when nothing
    of the file can be read (an unknown column, a missing required column)."""
    from impact.questionnaires.exports import KOBO_PARENT, ODK_PARENT, PLAIN_INDEX

    table = sheet.table
    columns = list(table.columns)
    links = _link_columns(form)
    mapping: dict[str, _Column] = {}
    unknown: list[str] = []
    misplaced: list[tuple[str, str | None]] = []
    flattened: list[str] = []
    for col in columns:
        if re.search(r"\[\d+\]", col) and matcher.column(re.sub(r"\[\d+\]", "", col)):
            flattened.append(col)
            continue
        if repeat is not None and col in links:
            meta = "wave" if col in _SYNONYMS["wave"] else "respondent"
            mapping[col] = _Column("meta", meta)  # who and which wave: the parent submission
            continue
        if repeat is not None and col == PLAIN_INDEX and not form.has(PLAIN_INDEX):
            mapping[col] = _Column("meta", "index")
            continue
        hit = matcher.column(col)
        if hit is None:
            unknown.append(col)
        elif hit.question and hit.kind in ("question", "option") and form.question(hit.question)["repeat"] != repeat:
            misplaced.append((col, form.question(hit.question)["repeat"]))
        else:
            mapping[col] = hit
    version_text = f" (versie {form.version})" if form.version else ""
    version_text_en = f" (version {form.version})" if form.version else ""

    def problem(col, value, text, severity="error"):
        return Problem(sheet.file, table.header_row, col, value, text, severity=severity, sheet=sheet.sheet)

    for col in flattened:  # an older KoboToolbox (KoBoCAT) CSV puts each repeat in columns: group[1]/question
        problems.append(problem(col, col, Text("een kolom van één vraag. Deze export zet herhaalde groepen "
                                               "in kolommen (groep[1]/vraag); download de antwoorden in Kobo "
                                               "als XLS, met een blad per herhaalde groep. Er is niets uit "
                                               "dit bestand ingelezen.")))
    for col in unknown:
        problems.append(problem(col, col, Text("een vraag van de vragenlijst '{name}'{version_text}. Deze "
                                               "kolom hoort er niet bij. Komt het bestand van een andere "
                                               "versie van de vragenlijst? Zet de vraag in de vragenlijst, "
                                               "of haal de kolom weg. Er is niets uit dit bestand ingelezen.",
                                               name=form.name, version_text=version_text, version_text_en=version_text_en)))
    for col, where in misplaced:
        if where is None:
            nl, en = "buiten elke herhaalde groep", "outside every repeat group"
        else:
            nl, en = f"in de herhaalde groep '{where}'", f"in the repeat group '{where}'"
        here_nl = "op het eerste blad" if repeat is None else f"op het blad van de herhaalde groep '{repeat}'"
        here_en = "on the first sheet" if repeat is None else f"on the sheet of the repeat group '{repeat}'"
        problems.append(problem(col, col, Text("een vraag die {here_nl} hoort. Deze vraag staat {nl}: zet de "
                                               "antwoorden op het blad van die groep (een eigen blad per "
                                               "herhaalde groep). Er is niets uit dit bestand ingelezen.",
                                               here_nl=here_nl, nl=nl, here_en=here_en, en=en)))
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
    questions = form.questions_in(repeat)
    missing_required = [q for q in questions if q["required"] and q["name"] not in by_question
                        and q["name"] not in options and not q["relevant"] and q["name"] not in given]
    for q in missing_required:
        problems.append(problem(q["name"], None, Text("een kolom '{name}': dit is een verplichte vraag. Er "
                                                      "is niets uit dit bestand ingelezen.",
                                                      name=q['name'])))
    for q in questions:
        if not q["required"] and q["name"] not in by_question and q["name"] not in options:
            problems.append(problem(q["name"], None, Text("een kolom voor deze vraag; die ontbreekt (de "
                                                          "vraag telt als niet beantwoord)"),
                severity="warning"))
    if unknown or misplaced or flattened or missing_required:
        return None
    link = "kobo" if KOBO_PARENT in columns else "odk" if ODK_PARENT in columns else "plain"
    return _Mapped(sheet, repeat, questions, by_question, options, meta_cols, link)


def _link_columns(form: Instrument) -> set[str]:
    """The columns of a repeat sheet in an entry workbook that say which submission a row belongs to."""
    return {"respondent", "wave", _norm(_key_name(form))} | set(_SYNONYMS["respondent"]) | set(_SYNONYMS["wave"])


def _sheet_repeat(form: Instrument, matcher: "_Matcher", sheet) -> tuple[str | None, bool]:
    """The repeat group a sheet holds (by its question columns, else by its name), and whether it
    holds any question at all."""
    from impact.questionnaires.exports import KOBO_PARENT, ODK_PARENT

    found, links = set(), _link_columns(form)
    for col in sheet.table.columns:
        hit = matcher.column(col)
        if hit and hit.question and hit.kind in ("question", "option") and col not in links:
            found.add(form.question(hit.question)["repeat"])
    if len(found) == 1:
        return next(iter(found)), True
    if found:
        return None, True
    if KOBO_PARENT in sheet.table.columns or ODK_PARENT in sheet.table.columns:
        stem = Path(sheet.name).stem.lower()
        for path, rep in form.repeats.items():
            if stem == rep.name.lower()[:31] or stem.endswith(f"-{rep.name.lower()}"):
                return path, False
    return None, False


def _plan_sheets(form: Instrument, sheets: list, given: set, problems: list[Problem]) -> dict | None:
    """Which sheet holds the submissions and which each repeat group: ``{None: main, path: ...}``."""
    from impact.questionnaires.exports import HELP_SHEETS

    matcher = _Matcher(form)
    main = _map_sheet(form, matcher, sheets[0], None, given, problems)
    plan: dict = {None: main}
    fatal = main is None
    for sheet in sheets[1:]:
        if sheet.sheet and _norm(sheet.name) in HELP_SHEETS:
            continue
        repeat, has_questions = _sheet_repeat(form, matcher, sheet)
        if repeat is None:
            problems.append(Problem(sheet.file, sheet.table.header_row, None, sheet.name, Text(
                "een blad met antwoorden op een herhaalde groep van de vragenlijst; dit blad is niet gelezen{why}",
                why=Text(" (het mengt vragen uit verschillende groepen)") if has_questions else ""),
                severity="error" if has_questions else "warning", sheet=sheet.sheet))
            fatal = fatal or has_questions
            continue
        if repeat in plan:
            problems.append(Problem(sheet.file, None, None, sheet.name, Text("één blad per herhaalde groep; "
                                                                             "de groep '{repeat}' staat ook "
                                                                             "op '{name}'. Er is niets uit "
                                                                             "dit bestand ingelezen.",
                                                                             repeat=repeat, name=plan[repeat].sheet.name), sheet=sheet.sheet))
            fatal = True
            continue
        mapped = _map_sheet(form, matcher, sheet, repeat, given, problems)
        if mapped is not None and mapped.link == "plain":
            wrong = None
            if form.repeats[repeat].parent is not None:
                wrong = Text("een export van Kobo (XLS) of ODK (ZIP) voor de groep '{repeat}': die staat in "
                             "een andere herhaalde groep, en dat kan alleen zo'n export koppelen",
                             repeat=repeat)
            elif "respondent" not in mapped.meta_cols:
                wrong = Text("een kolom 'respondent' (en 'wave'): bij welke deelnemer en meting elke rij "
                             "hoort")
            if wrong is not None:
                problems.append(Problem(sheet.file, sheet.table.header_row, None, sheet.name, Text("{wrong}. Er is niets uit dit bestand ingelezen.", wrong=wrong), sheet=sheet.sheet))
                mapped = None
        fatal = fatal or mapped is None
        plan[repeat] = mapped
    if fatal:
        return None
    for path, rep in form.repeats.items():
        if path in plan and rep.parent is not None and rep.parent not in plan:
            problems.append(Problem(plan[path].sheet.file, None, None, plan[path].sheet.name, Text("ook het "
                                                                                                   "blad van "
                                                                                                   "de groep "
                                                                                                   "'{parent}' "
                                                                                                   "waar "
                                                                                                   "'{path}' "
                                                                                                   "in "
                                                                                                   "staat. "
                                                                                                   "Er is "
                                                                                                   "niets "
                                                                                                   "uit dit "
                                                                                                   "bestand "
                                                                                                   "ingelezen.",
                                                                                                   parent=rep.parent, path=path), sheet=plan[path].sheet.sheet))
            return None
    missing = [p for p in form.repeats if p not in plan and form.questions_in(p)]
    if missing:
        columns = set(sheets[0].table.columns)
        names = ", ".join(missing)
        suffix = Path(sheets[0].name).suffix.lower()
        if columns & KOBO_MARKERS and suffix == ".csv":
            nl = "een Kobo-export als XLS: een CSV-export van Kobo laat herhaalde groepen weg"
            en = "a Kobo export as XLS: Kobo's CSV export leaves repeat groups out"
        elif "key" in columns and "submissiondate" in columns:
            nl = "een ODK-export als ZIP (CSV met herhalingen): één CSV laat herhaalde groepen weg"
            en = "an ODK export as ZIP (CSV with repeats): a single CSV leaves repeat groups out"
        else:
            nl = "een eigen blad per herhaalde groep (Excel)"
            en = "a sheet of its own per repeat group (Excel)"
        problems.append(Problem(sheets[0].file, None, None, names, Text("{nl}. De antwoorden in {names} "
                                                                        "ontbreken en tellen als niet "
                                                                        "beantwoord.",
                                                                        nl=nl, names=names, en=en), severity="warning"))
    return plan


class _Section:
    """The rows of one sheet while they are checked: texts per column, problems per row, rejected rows."""

    def __init__(self, mapped: _Mapped, keep_markers: set):
        import polars as pl

        from impact.questionnaires.exports import NOT_ANSWERED
        from impact.tabular import ROW

        self.mapped, self.sheet = mapped, mapped.sheet
        frame = self.sheet.table.frame
        self.n = frame.height
        self.lines = frame[ROW].to_list()
        self.columns = [c for c in frame.columns if c != ROW]
        self.source = {}
        for k in frame.columns:
            if k != ROW:
                self.source[_norm(k)] = k  # as a dict of normalised names: a later column of the same name wins
        self.frame = frame
        self.blank = pl.Series([""] * self.n, dtype=pl.Utf8)
        self._cells: dict[str, object] = {}
        self._markers, self._keep = NOT_ANSWERED, keep_markers
        self.errs: dict[int, list[Problem]] = {}
        self.before: dict[int, list[Problem]] = {}  # warnings that came before a row's own problems
        self.failed = pl.Series([False] * self.n, dtype=pl.Boolean)
        self.link_column: str | None = None  # a repeat sheet: the column that names its parent row

    def cell(self, col: str | None):
        """The column's texts, stripped; "not answered" markers (``n/a``) as empty (empty when the file
        does not have the column)."""
        import polars as pl

        if not col or col not in self.source:
            return self.blank
        if col not in self._cells:
            s = self.frame[self.source[col]].fill_null("")
            blank = self._markers if col not in self._keep else frozenset()
            self._cells[col] = _by_value(s, lambda v: "" if _norm(v) in blank else str(v or "").strip(), pl.Utf8)
        return self._cells[col]

    def problem(self, i: int | None, col, value, expected: Text, severity: str = "error") -> Problem:
        return Problem(self.sheet.file, None if i is None else self.lines[i], col, value, expected,
                       severity=severity, sheet=self.sheet.sheet)

    def add(self, mask, make, error: bool = True) -> None:
        """A problem ``make(i)`` for each row ``i`` where ``mask`` holds."""
        for i in mask.arg_true().to_list():
            self.errs.setdefault(i, []).append(make(i))
        if error:
            self.failed = self.failed | mask

    def ordered_problems(self) -> list[Problem]:
        out = []
        for i in sorted(set(self.errs) | set(self.before)):
            out += self.before.get(i, []) + self.errs.get(i, [])
        return out


def _marker_columns(form: Instrument, mapped: _Mapped) -> set:
    """Columns of questions with a choice named like a "not answered" marker: there it is an answer."""
    from impact.questionnaires.exports import NOT_ANSWERED

    keep = set()
    for q in mapped.questions:
        if any(_norm(c["name"]) in NOT_ANSWERED for c in form.choice_list(q["list"])):
            keep.add(mapped.by_question.get(q["name"]))
    return keep


def _check_answers(form: Instrument, sec: _Section, given: set, context: dict) -> dict:
    """Each answer of the sheet against its question (type, choices, choice filter, required when
    relevant, constraint); the value of every question, per row. ``context``: the values of the
    questions around a repeat group (its parent's), which rules inside may read."""
    import polars as pl

    m = sec.mapped
    shown_values: dict[str, tuple[str, object]] = {}
    # the text of each question: its column, or its 0/1 option columns
    for q in m.questions:
        name = q["name"]
        col = m.by_question.get(name)
        text = sec.cell(col)
        if name in m.options:
            flags = [_by_value(sec.cell(c), lambda v: _norm(v) in _TRUE_FLAGS, pl.Boolean) for c, _ in m.options[name]]
            opts = [opt for _, opt in m.options[name]]

            def chosen(*on, opts=opts):
                return [opt for opt, f in zip(opts, on) if f]

            if not col:
                col = m.options[name][0][0]
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
                sec.add(other.is_not_null(), lambda i, col=col: sec.problem(i, col, texts[i], Text("dezelfde "
                                                                                                   "keuzes "
                                                                                                   "als in "
                                                                                                   "de "
                                                                                                   "0/1-kolommen "
                                                                                                   "({value})",
                                                                                                   value=others[i]), severity="warning"), error=False)
        shown_values[name] = (col or name, text)

    # each value against its question
    values: dict[str, object] = {}
    for q in m.questions:
        name = q["name"]
        col, text = shown_values[name]
        got = {t: _convert(form, q, t) for t in text.unique().to_list() if t != ""}
        values[name] = text.replace_strict({t: v or "" for t, (v, _) in got.items()}, default="",
                                           return_dtype=pl.Utf8)
        wrong = [t for t, (_, expected) in got.items() if expected is not None]
        if wrong:
            texts = text.to_list()
            sec.add(text.is_in(wrong), lambda i, col=col, got=got, texts=texts: sec.problem(
                i, col, texts[i], got[texts[i]][1]))

    rule_values = {**context, **values}
    answers = set(rule_values)
    unchecked: set[str] = set()
    for q in m.questions:
        if q["choice_filter"] and q["type"] in ("select_one", "select_multiple"):
            col, text = shown_values[q["name"]]
            _check_choice_filter(form, q, sec, col, text, rule_values, unchecked)

    # required answers (when relevant) and constraints
    for q in m.questions:
        name = q["name"]
        col, text = shown_values[name]
        value = values[name]
        if q["required"] and not (name in given and col == name):
            empty = (value == "") & (text == "")
            if q["relevant"] and empty.any():
                verdict = _judge_rows(q["relevant"], name, rule_values, empty, answers)
                empty = empty & (verdict == "ok").fill_null(False)  # unsupported: do not reject
            sec.add(empty, lambda i, col=col: sec.problem(i, col, "", Text("een antwoord: deze vraag is "
                                                                           "verplicht")))
        if q["constraint"]:
            answered = value != ""
            if not answered.any():
                continue
            verdict = _judge_rows(q["constraint"], name, rule_values, answered, answers)
            unsupported = (verdict == "unsupported").fill_null(False)
            if unsupported.any() and name not in unchecked:
                unchecked.add(name)
                sec.before.setdefault(unsupported.arg_true()[0], []).append(sec.problem(
                    None, col, q["constraint"], Text("een regel die impact kan controleren; deze regel is "
                                                     "niet gecontroleerd"), severity="warning"))
            why = PerLanguage({lang: f" ({m})" if (m := form.constraint_message(q, lang)) else ""
                               for lang in languages()})
            rule = Text("een waarde die past bij de regel {constraint}{why}", constraint=q["constraint"], why=why)
            texts = text.to_list()
            sec.add((verdict == "fail").fill_null(False),
                    lambda i, col=col, texts=texts, rule=rule: sec.problem(i, col, texts[i], rule))
    return values


def filtered_choices(form: Instrument, q: dict, env: dict) -> list[dict] | None:
    """The choices of ``q`` its ``choice_filter`` keeps for the answers in ``env`` (question ->
    value); ``None`` when the filter uses XPath impact does not evaluate.

    Example:
        >>> from pathlib import Path
        >>> import impact
        >>> form = impact.read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners_vervolg.xlsx")
        >>> [c["name"] for c in filtered_choices(form, form.question("hulp_bij"), {"hulp_soort": "geld"})]
        ['schuldhulp', 'voedselbank']
    """
    from impact.questionnaires.xpath import NODE_PREFIX

    expression = compile_expression(q["choice_filter"])
    kept = []
    for c in form.choice_list(q["list"]):
        values = dict(env)
        values.update({NODE_PREFIX + k: "" if v is None else str(v) for k, v in c.items()})
        try:
            if truth(expression(".", values)):
                kept.append(c)
        except Unsupported:
            return None
    return kept


def _check_choice_filter(form: Instrument, q: dict, sec: _Section, col: str, text, values: dict,
                         unchecked: set) -> None:
    """An answer outside the choices the question's ``choice_filter`` keeps is an error naming both
    the answer and the answer(s) it depends on."""
    import polars as pl

    expression = compile_expression(q["choice_filter"])
    refs = [r for r in expression.refs if r in values]
    if len(refs) != len(expression.refs):
        return  # a reference to a question outside this sheet's reach: pyxform checked the name
    name = q["name"]
    answered = values[name] != ""
    if not answered.any():
        return

    def verdict(value, *depends):
        kept = filtered_choices(form, q, dict(zip(refs, depends)))
        if kept is None:
            return ("unsupported",)
        allowed = [c["name"] for c in kept]
        chosen = value.split() if q["type"] == "select_multiple" else [value]
        return (None if all(c in allowed for c in chosen) else " ".join(dict.fromkeys(allowed)),)

    picked = [values[name].filter(answered)] + [values[r].filter(answered) for r in refs]
    (found,) = _by_combination(picked, verdict, [pl.Utf8])
    out = pl.Series([None] * sec.n, dtype=pl.Utf8).scatter(answered.arg_true(), found)
    if (out == "unsupported").any() and name not in unchecked:
        unchecked.add(name)
        sec.before.setdefault((out == "unsupported").fill_null(False).arg_true()[0], []).append(sec.problem(
            None, col, q["choice_filter"], Text("een keuzefilter die impact kan controleren; deze filter is "
                                                "niet gecontroleerd"), severity="warning"))
    wrong = out.is_not_null() & (out != "unsupported")
    if not wrong.any():
        return
    texts, allowed = text.to_list(), out.to_list()
    depends = {r: values[r].to_list() for r in refs}

    def make(i):
        given = ", ".join(f"'{r}' = '{depends[r][i]}'" for r in refs) or q["choice_filter"]
        shown = allowed[i].replace(" ", ", ") or "-"
        return sec.problem(i, col, texts[i], Text("een keuze die past bij {given}: {shown}",
                                                  given=given, shown=shown))

    sec.add(wrong, make)


@dataclass
class _Who:
    """Who answered, when, which wave: per row of the submissions sheet."""

    respondent: object
    wave: object
    date: object
    column: str | None  # where the respondent's code is
    wave_column: str | None = None
    date_column: str | None = None


def _check_who(form: Instrument, sec: _Section, values: dict, wave: int | None) -> _Who:
    """The respondent, wave and date of each submission, and the version of the form."""
    import polars as pl

    m = sec.mapped
    key = _key_name(form)
    if form.has(key) and key in m.by_question:
        respondent, rcol = values.get(key, sec.blank), m.by_question[key]
    else:
        rcol = m.meta_cols.get("respondent")
        respondent = sec.cell(rcol)
        if rcol in ID_FALLBACKS:  # Kobo's _uuid has no "uuid:" in front, ODK's KEY has: the same submission
            respondent = respondent.str.strip_prefix("uuid:")
    sec.add(respondent == "", lambda i: sec.problem(i, rcol or "respondent", "", Text("de code van de "
                                                                                      "deelnemer")))
    wave_value = pl.Series([wave] * sec.n, dtype=pl.Int64)
    wcol = m.by_question.get("wave") if form.has("wave") else m.meta_cols.get("wave")
    if wcol:
        wtext = values.get("wave", sec.blank) if form.has("wave") else sec.cell(wcol)
        parsed = _by_value(wtext, lambda t: parse_wave(t) if t else None, pl.Int64)
        wave_value = parsed.zip_with(wtext != "", wave_value)
        shown_wave = sec.cell(wcol).to_list()
        sec.add((wtext != "") & parsed.is_null(), lambda i: sec.problem(i, wcol, shown_wave[i], Text("een "
                                                                                                     "meting "
                                                                                                     "als "
                                                                                                     "heel "
                                                                                                     "getal "
                                                                                                     "(1, 2, "
                                                                                                     "3)")))
    date_value = pl.Series([None] * sec.n, dtype=pl.Date)
    dcol = m.by_question.get("date") if form.has("date") else m.meta_cols.get("date")
    if dcol:
        dtext = values.get("date", sec.blank) if form.has("date") else sec.cell(dcol)
        date_value = _by_value(dtext, lambda t: _date_part(t) if t else None, pl.Date)
        dtexts = dtext.to_list()
        sec.add((dtext != "") & date_value.is_null(), lambda i: sec.problem(i, dcol, dtexts[i], Text("een "
                                                                                                     "datum "
                                                                                                     "als "
                                                                                                     "dd-mm-jjjj "
                                                                                                     "of "
                                                                                                     "jjjj-mm-dd "
                                                                                                     "die "
                                                                                                     "bestaat")))
    else:
        for c in DATE_FALLBACKS:  # the first that holds a date
            date_value = date_value.fill_null(_by_value(sec.cell(c), _date_part, pl.Date))
    for vcol in VERSION_COLUMNS:
        if vcol in sec.source and not form.has(vcol) and form.version:
            vtext = sec.cell(vcol)
            vtexts = vtext.to_list()
            sec.add((vtext != "") & (vtext != form.version), lambda i, vcol=vcol, vtexts=vtexts: sec.problem(
                i, vcol, vtexts[i], Text("versie {version} van de vragenlijst '{name}'. Deze antwoorden "
                                         "horen bij een andere versie; lees ze in met die versie van de "
                                         "vragenlijst.",
                                         version=form.version, name=form.name)))
    return _Who(respondent, wave_value, date_value, rcol, wcol, dcol)


def _respondent_fallback(form: Instrument, m: _Mapped, problems: list[Problem]) -> bool:
    """Without a respondent column the submission's id stands for the participant (a warning);
    ``False`` when there is none either."""
    key = _key_name(form)
    if (form.has(key) and key in m.by_question) or "respondent" in m.meta_cols:
        return True
    columns = m.sheet.table.columns
    fallback = next((c for c in ID_FALLBACKS if c in columns), None)
    where = dict(sheet=m.sheet.sheet)
    if fallback is None:
        problems.append(Problem(m.sheet.file, m.sheet.table.header_row, "respondent", None, Text("een kolom "
                                                                                                 "'respondent' "
                                                                                                 "met de "
                                                                                                 "code van "
                                                                                                 "de "
                                                                                                 "deelnemer. "
                                                                                                 "Er is "
                                                                                                 "niets uit "
                                                                                                 "dit "
                                                                                                 "bestand "
                                                                                                 "ingelezen."), **where))
        return False
    m.meta_cols["respondent"] = fallback
    problems.append(Problem(m.sheet.file, m.sheet.table.header_row, fallback, None, Text("een kolom "
                                                                                         "'respondent'; nu "
                                                                                         "geldt de code van "
                                                                                         "de inzending als "
                                                                                         "deelnemer"), severity="warning", **where))
    return True


@dataclass
class _Checked:
    """A checked sheet: its section, answers, the values rules inside may read, and per row the
    submission it belongs to (``root``: a row of the submissions sheet) and its repeat number."""

    sec: _Section
    values: dict
    rule_values: dict
    root: object  # Int64 Series: the row of the submissions sheet (null: no parent found)
    index: list  # per row: "2", "2.1" (None on the submissions sheet)


def _check_file(form: Instrument, plan: dict, wave: int | None, given: set, seen: dict,
                submissions: list | None, problems: list[Problem]):
    import polars as pl

    from impact.questionnaires.repeats import link_rows

    main_map = plan[None]
    if not _respondent_fallback(form, main_map, problems):
        return empty_responses(), problems
    main = _Section(main_map, _marker_columns(form, main_map))
    values = _check_answers(form, main, given, {})
    who = _check_who(form, main, values, wave)
    checked = {None: _Checked(main, values, values, pl.int_range(main.n, eager=True, dtype=pl.Int64),
                              [None] * main.n)}
    for path, rep in form.repeats.items():  # parents come before the groups inside them
        if path not in plan:
            continue
        sec = _Section(plan[path], _marker_columns(form, plan[path]))
        parent = checked[rep.parent]
        position, number = link_rows(form, sec, parent, who, wave)
        root = parent.root.gather(position)
        context = {k: v.gather(position).fill_null("") for k, v in parent.rule_values.items()}
        values = _check_answers(form, sec, given, context)
        index = [None if p is None or k is None else str(k) if parent.index[p] is None else f"{parent.index[p]}.{k}"
                 for p, k in zip(position.to_list(), number)]
        checked[path] = _Checked(sec, values, {**context, **values}, root, index)

    # a submission is read whole: an error in one of its repeat rows rejects it
    own = main.failed.clone()
    for path, c in checked.items():
        if path is not None:
            bad = c.root.filter(c.sec.failed).drop_nulls().unique().to_list()
            if bad:
                main.failed = main.failed.scatter(bad, True)
    _reject_double(main, who, seen)
    _explain_rejections(checked, own, who)
    for c in checked.values():
        problems += c.sec.ordered_problems()

    good = ~main.failed
    if submissions is not None:
        _note_submissions(form, main, who, good, submissions)
    parts = [_long_rows(form, main.mapped.questions, checked[None].values, good, who, None, None)]
    for path, c in checked.items():
        if path is None or main.n == 0:  # without submissions no repeat row has a parent
            continue
        root = c.root.fill_null(0)
        keep = ~c.sec.failed & c.root.is_not_null() & good.gather(root)
        rows_who = _Who(who.respondent.gather(root), who.wave.gather(root), who.date.gather(root), who.column)
        parts.append(_long_rows(form, c.sec.mapped.questions, c.values, keep, rows_who, path, c.index))
    parts = [p for p in parts if p is not None]
    if not parts:
        return empty_responses(), problems
    return pl.concat(parts, how="vertical").cast(_schema()), problems


def _reject_double(main: _Section, who: _Who, seen: dict) -> None:
    """One row per participant per wave: the first row without errors counts, across files (``seen``)."""
    import polars as pl

    n = main.n
    candidates = (who.respondent != "") & ~main.failed
    day = who.date.zip_with(who.wave.is_null(), pl.Series([None] * n, dtype=pl.Date))
    keys = pl.DataFrame({"r": who.respondent, "w": who.wave, "d": day}).filter(candidates)
    double = []
    for i, key in zip(candidates.arg_true().to_list(), keys.iter_rows()):
        if key in seen:
            double.append((i, key, seen[key]))
        else:
            seen[key] = (main.sheet.file, main.lines[i])
    for i, (person, wave_no, _), (first_file, first_line) in double:
        where_nl = f"rij {first_line}" + ("" if first_file == main.sheet.file else f" van {first_file}")
        where_en = f"row {first_line}" + ("" if first_file == main.sheet.file else f" of {first_file}")
        main.errs.setdefault(i, []).append(main.problem(i, who.column or "respondent", person, Text("één rij "
                                                                                                    "per "
                                                                                                    "deelnemer "
                                                                                                    "per "
                                                                                                    "meting; "
                                                                                                    "deelnemer "
                                                                                                    "{person} "
                                                                                                    "staat "
                                                                                                    "bij "
                                                                                                    "meting "
                                                                                                    "{value} "
                                                                                                    "al in "
                                                                                                    "{where_nl}",
                                                                                                    person=person, value=wave_no if wave_no is not None else '?', where_nl=where_nl, where_en=where_en)))
    if double:
        main.failed = main.failed.scatter([i for i, _, _ in double], True)


def _explain_rejections(checked: dict, own, who: _Who) -> None:
    """Every row left out because another row of its submission has an error gets that reason, so
    the quarantine holds each rejected row with why."""
    main = checked[None].sec
    failed_roots = set(main.failed.arg_true().to_list())
    first_bad: dict[int, tuple] = {}
    for path, c in checked.items():
        if path is None:
            continue
        roots = c.root.to_list()
        for i in c.sec.failed.arg_true().to_list():
            if roots[i] is not None and roots[i] not in first_bad:
                first_bad[roots[i]] = (c.sec, i)
    own_list, people = own.to_list(), who.respondent.to_list()
    for i in sorted(failed_roots):
        if not own_list[i] and i in first_bad and not main.errs.get(i):
            sec, j = first_bad[i]
            where = (f"blad '{sec.sheet.sheet}', " if sec.sheet.sheet else f"{sec.sheet.file}, ")
            where_en = (f"sheet '{sec.sheet.sheet}', " if sec.sheet.sheet else f"{sec.sheet.file}, ")
            main.errs.setdefault(i, []).append(main.problem(i, who.column, people[i] or None, Text("een "
                                                                                                   "inzending "
                                                                                                   "zonder "
                                                                                                   "fouten "
                                                                                                   "in haar "
                                                                                                   "herhaalde "
                                                                                                   "groepen; "
                                                                                                   "{where}rij "
                                                                                                   "{value} "
                                                                                                   "heeft "
                                                                                                   "een "
                                                                                                   "fout. "
                                                                                                   "Deze "
                                                                                                   "inzending "
                                                                                                   "is niet "
                                                                                                   "ingelezen.",
                                                                                                   where=where, value=sec.lines[j], where_en=where_en)))
    for path, c in checked.items():
        if path is None:
            continue
        roots, failed = c.root.to_list(), c.sec.failed.to_list()
        link_col = c.sec.link_column
        links = c.sec.cell(link_col).to_list()
        for i, (r, f) in enumerate(zip(roots, failed)):
            if f or r is None or r not in failed_roots:
                continue
            where = f"blad '{main.sheet.sheet}', " if main.sheet.sheet else f"{main.sheet.file}, "
            where_en = f"sheet '{main.sheet.sheet}', " if main.sheet.sheet else f"{main.sheet.file}, "
            c.sec.errs.setdefault(i, []).append(c.sec.problem(i, link_col, links[i] or None, Text("een "
                                                                                                  "inzending "
                                                                                                  "zonder "
                                                                                                  "fouten; "
                                                                                                  "de "
                                                                                                  "inzending "
                                                                                                  "waar deze "
                                                                                                  "rij bij "
                                                                                                  "hoort "
                                                                                                  "({where}rij "
                                                                                                  "{value}) "
                                                                                                  "is niet "
                                                                                                  "ingelezen, "
                                                                                                  "zie de "
                                                                                                  "fout daar",
                                                                                                  where=where, value=main.lines[r], where_en=where_en)))
            c.sec.failed = c.sec.failed.scatter([i], True)


def _note_submissions(form: Instrument, main: _Section, who: _Who, good, submissions: list) -> None:
    """Add the submissions read (``followup.SUBMISSION_SCHEMA``) to ``submissions``, for the follow-up checks."""
    import polars as pl

    from impact.questionnaires.followup import submissions_frame

    frame = pl.DataFrame({"respondent": who.respondent, "wave": who.wave, "date": who.date,
                          "row": pl.Series(main.lines, dtype=pl.Int64)}).filter(good)
    meta = {"instrument": form.name, "file": main.sheet.file, "sheet": main.sheet.sheet,
            "column": who.column or "respondent", "wave_column": who.wave_column or "wave",
            "date_column": who.date_column or "date"}
    frame = frame.with_columns([pl.lit(v, dtype=pl.String).alias(k) for k, v in meta.items()])
    empty = submissions_frame([])
    submissions.append(frame.select(empty.columns).cast(empty.schema))


def _long_rows(form: Instrument, questions: list[dict], values: dict, keep, who: _Who, repeat: str | None,
               index: list | None):
    """The answers of the kept rows, one row per answer (per chosen option of a select_multiple)."""
    import polars as pl

    n = keep.len()
    parts = []
    for position, q in enumerate(questions):
        name = q["name"]
        if (repeat is None and name in (META_ITEMS + (_key_name(form),))) or q["type"] in NO_ANSWER_TYPES:
            continue
        value = values[name]
        rows_keep = keep & (value != "")
        if not rows_keep.any():
            continue
        split = q["type"] == "select_multiple"
        pieces = {v: (v.split() if split else [v]) for v in value.filter(rows_keep).unique().to_list()}
        numbers = {p: _value_num(form, q, p) for ps in pieces.values() for p in ps}
        chosen = pl.DataFrame({"value": list(pieces), "part": list(pieces.values())},
                              schema={"value": pl.Utf8, "part": pl.List(pl.Utf8)}).explode("part")
        chosen = chosen.with_columns(pl.col("part").replace_strict(numbers, default=None, return_dtype=pl.Float64)
                                     .alias("value_num"), pl.int_range(pl.len()).over("value").alias("k"))
        rows = pl.DataFrame({"i": pl.int_range(n, eager=True), "respondent": who.respondent, "wave": who.wave,
                             "date": who.date, "value": value,
                             "repeat_index": pl.Series(index if index is not None else [None] * n, dtype=pl.Utf8)}
                            ).filter(rows_keep)
        parts.append(rows.join(chosen.drop_nulls("part"), on="value", how="inner", maintain_order="left")
                     .with_columns(pl.lit(position).alias("q"), pl.lit(name).alias("item")))
    if not parts:
        return None
    long = pl.concat(parts, how="vertical").sort("i", "q", "k", maintain_order=True)
    return long.select(pl.lit(form.name, dtype=pl.String).alias("instrument"),
                       pl.lit(form.version, dtype=pl.String).alias("version"),
                       "respondent", "wave", "date", "item", pl.col("part").alias("value"), "value_num",
                       pl.lit(repeat, dtype=pl.String).alias("repeat"), "repeat_index")


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


def read_responses(path: Path | str, instrument: Instrument | Path | str, *, wave: int | None = None):
    """Answers in ``path`` as a long polars table; ``InputError`` listing every problem if any row is wrong.

    Use ``check_responses`` to get the good rows and the problems without an error.
    """
    df, problems = check_responses(path, instrument, wave=wave)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(Text("{name}: {n_errors} fout(en) in de antwoorden. Verbeter ze en lees het bestand "
                              "opnieuw in.",
                              name=Path(path).name, n_errors=len(errors)), errors)
    return df


ANSWER_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".zip")


def load_study_responses(study):
    """Every answer file of ``study`` as one long table, plus the problems.

    Reads ``data/raw/responses/<instrument>/*.csv|xlsx|zip`` against
    ``questionnaires/<instrument>.xlsx``. Rows with an error are not in the
    table; they are in the problems (severity ``"error"``). Respondents are
    the raw codes from the files (the caller pseudonymises them). Follow-up
    forms are checked against the forms they follow up
    (``impact.questionnaires.followup``).
    """
    table, problems, _submissions = read_study_responses(study)
    return table, problems


def read_study_responses(study, extra=None):
    """``load_study_responses`` with the submissions read (``followup.submissions_frame``) as a third
    result. ``extra``: one more answer file to read as if it were in the study, as
    ``(path, form, display)`` (``impact import responses`` checks a follow-up this way)."""
    import polars as pl

    from impact.questionnaires.followup import chain_roots, check_follow_ups, with_study_settings

    root = study.raw / "responses"
    frames, problems, submissions = [], [], []
    if not root.is_dir() and extra is None:
        return empty_responses(), problems, submissions
    known = {p.stem for p in study.questionnaires.glob("*.xlsx")} if study.questionnaires.is_dir() else set()
    todo = []
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []
    for folder in folders:
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
        data_files = [p for p in files if p.suffix.lower() in ANSWER_SUFFIXES]
        for p in files:
            if p not in data_files and p.suffix.lower() not in (".md", ".txt"):
                problems.append(Problem(study.rel(p), None, None, p.suffix, Text("een CSV-, Excel- of "
                                                                                 "ZIP-bestand (.csv, .xlsx, "
                                                                                 ".zip); dit bestand is "
                                                                                 "overgeslagen"), severity="warning"))
        if not data_files:
            continue
        form_path = study.questionnaires / f"{folder.name}.xlsx"
        if not form_path.is_file():
            for p in data_files:
                problems.append(Problem(study.rel(p), None, None, folder.name, Text("een vragenlijst "
                                                                                    "{form_path} bij de map "
                                                                                    "'{name}'; die "
                                                                                    "ontbreekt. Er is niets "
                                                                                    "uit dit bestand "
                                                                                    "ingelezen.",
                                                                                    form_path=study.rel(form_path), name=folder.name)))
            continue
        try:
            form = read_xlsform(form_path, name=folder.name)
        except InputError as err:
            for p in data_files:
                problems.append(Problem(study.rel(p), None, None, study.rel(form_path), Text("een geldige "
                                                                                             "vragenlijst. "
                                                                                             "{text} Er is "
                                                                                             "niets uit dit "
                                                                                             "bestand "
                                                                                             "ingelezen.",
                                                                                             text=err.text)))
            continue
        form, found = with_study_settings(form, study, known)
        problems += found
        if not found:
            todo.append((form, [(p, study.rel(p)) for p in data_files]))
    if extra is not None:
        path, form, display = extra
        mine = next((files for f, files in todo if f.name == form.name), None)
        if mine is None:
            todo.append((form, [(path, display)]))
        else:
            mine.append((path, display))
    follows = {form.name: form.follows_up for form, _ in todo if form.follows_up}
    _roots, loops = chain_roots(follows)
    for form, data_files in todo:
        if form.name in loops:
            problems.append(Problem(form.path.name, None, "follows_up", form.follows_up, Text("een eerdere "
                                                                                              "vragenlijst; "
                                                                                              "'{name}' "
                                                                                              "volgt via "
                                                                                              "'{follows_up}' "
                                                                                              "weer zichzelf "
                                                                                              "op. Er is "
                                                                                              "niets van "
                                                                                              "'{name}' "
                                                                                              "ingelezen.",
                                                                                              name=form.name, follows_up=form.follows_up)))
            continue
        seen: dict = {}
        for p, display in data_files:
            df, found = check_responses(p, form, display=display, seen=seen, submissions=submissions)
            frames.append(df)
            problems += found
    found, rejected = check_follow_ups(submissions, {k: v for k, v in follows.items() if k not in loops})
    problems += found
    frames = [f for f in frames if f.height]
    table = pl.concat(frames, how="vertical") if frames else empty_responses()
    if rejected:
        keys = pl.DataFrame(sorted(rejected, key=str), schema={"instrument": pl.String, "respondent": pl.String,
                                                               "wave": pl.Int8, "date": pl.Date}, orient="row")
        table = table.join(keys, on=["instrument", "respondent", "wave", "date"], how="anti", nulls_equal=True,
                           maintain_order="left")
    return table, problems, submissions
