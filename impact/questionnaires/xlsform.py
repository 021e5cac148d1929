"""Read an XLSForm instrument with pyxform into two tidy tables.

pyxform turns the workbook (xlsx, xls, csv or markdown, as pyxform reads
them) into its JSON form; we flatten that into ``questions`` (one row per
question, group prefix removed) and ``choices`` (one row per option). Extra
columns the analysis needs ride along: ``scale``, ``reverse``,
``proposed_by`` (co-researcher or role) and ``round`` (co-design session).
pyxform's structure is kept: each question's innermost repeat group
(``repeat``) and the repeat groups themselves (``repeats``), each question's
``choice_filter``, and the choice columns such a filter reads.

Example:
    >>> from pathlib import Path
    >>> import impact
    >>> path = Path(impact.__file__).parent / "study_template/questionnaires/buurtbaners.xlsx"
    >>> form = read_xlsform(path)
    >>> form.question("se_4")["reverse"], form.question("se_4")["scale"]
    (True, 'self_efficacy')
    >>> form.label("ladder", "en")
    'Which step fits your situation best now?'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from impact.errors import InputError, Problem, Text

# Types we know how to check and analyse; anything else is read, but its
# answers are kept as text and a warning says so.
NUMERIC_TYPES = {"integer", "decimal", "range"}
SELECT_TYPES = {"select_one", "select_multiple"}
ANSWER_TYPES = NUMERIC_TYPES | SELECT_TYPES | {
    "text", "date", "datetime", "time", "calculate", "acknowledge", "barcode",
    "geopoint", "geotrace", "geoshape", "media", "rank", "select_one_external",
}
# Types that never hold an answer of the respondent.
NO_ANSWER_TYPES = {"note", "metadata"}

_YES = {"yes", "true", "true()", "ja", "1", "waar", "y", "j"}


def _yes(value) -> bool:
    return str(value or "").strip().lower() in _YES


def canonical_type(xlsform_type: str) -> str:
    """The canonical type of a pyxform question type (``int`` -> ``integer``).

    Example:
        >>> canonical_type("select all that apply"), canonical_type("int")
        ('select_multiple', 'integer')
    """
    from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

    t = str(xlsform_type).strip()
    if t in ("note", "q note", "add note prompt"):
        return "note"
    if t in ("calculate", "q calculate", "add calculate prompt", "hidden"):
        return "calculate" if t != "hidden" else "metadata"
    if t == "select one external":
        return "select_one_external"
    spec = QUESTION_TYPE_DICT.get(t) or QUESTION_TYPE_DICT.get(t.replace("_", " ")) or {}
    tag = spec.get("control", {}).get("tag")
    bind = spec.get("bind", {}).get("type")
    if tag == "select1":
        return "select_one"
    if tag == "select":
        return "select_multiple"
    if tag == "odk:rank":
        return "rank"
    if tag == "range":
        return "range"
    if tag == "trigger" and bind != "geopoint":
        return "acknowledge"
    if tag is None and spec:
        return "metadata"
    return {
        "int": "integer", "decimal": "decimal", "date": "date", "dateTime": "datetime",
        "time": "time", "geopoint": "geopoint", "geotrace": "geotrace",
        "geoshape": "geoshape", "barcode": "barcode", "binary": "media",
        "string": "text",
    }.get(bind, "unknown")


@dataclass
class Instrument:
    """A questionnaire: its questions, choices, languages and version.

    ``questions`` columns: name, path, type, xlsform_type, list, label::<lang>
    (one per language), hint::<lang>, required, constraint,
    constraint_message::<lang>, relevant, choice_filter, group, repeat (the
    path of the innermost repeat group holding the question, or null), scale,
    reverse, proposed_by, round, appearance, order. ``choices`` columns: list,
    name, label::<lang>, order, then any other column of the choices sheet
    (what a ``choice_filter`` reads, such as ``district``). ``repeats``: every
    repeat group by path. ``follows_up`` and ``respondent_key`` come from the
    settings sheet (see ``impact.questionnaires.followup``).
    """

    name: str
    path: Path
    title: str
    form_id: str
    version: str
    languages: list[str]
    default_language: str
    questions: object  # polars.DataFrame
    choices: object  # polars.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    group_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    repeats: dict[str, "Repeat"] = field(default_factory=dict)
    follows_up: str | None = None
    respondent_key: str | None = None

    def __post_init__(self):
        self._by_name = {q["name"]: q for q in self.questions.iter_rows(named=True)}
        self._choice_lists: dict[str, list[dict]] = {}
        for c in self.choices.iter_rows(named=True):
            self._choice_lists.setdefault(c["list"], []).append(c)

    def question(self, name: str) -> dict:
        """One question as a dict; ``KeyError`` with the known names otherwise."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"{name!r} is not a question of {self.name}; "
                           f"known: {', '.join(self._by_name)}") from None

    def has(self, name: str) -> bool:
        return name in self._by_name

    def choice_list(self, list_name: str | None) -> list[dict]:
        return self._choice_lists.get(list_name or "", [])

    def language(self, lang: str) -> str | None:
        """The form language for ``lang``: ``"nl"`` finds ``Nederlands (nl)``."""
        return resolve_language(self.languages, lang, self.default_language)

    def label(self, name: str, lang: str = "nl") -> str:
        """The label of question ``name`` in ``lang`` (falls back to any language, then the name)."""
        return _pick(self.question(name), "label", self.language(lang), self.languages) or name

    def hint(self, name: str, lang: str = "nl") -> str:
        return _pick(self.question(name), "hint", self.language(lang), self.languages) or ""

    def constraint_message(self, question: dict, lang: str = "nl") -> str | None:
        """What the form says when ``question`` (a dict) breaks its constraint, in ``lang``; None if nothing."""
        return _pick(question, "constraint_message", self.language(lang), self.languages)

    def choice_label(self, list_name: str, choice: str, lang: str = "nl") -> str:
        for c in self.choice_list(list_name):
            if c["name"] == choice:
                return _pick(c, "label", self.language(lang), self.languages) or choice
        return choice

    def answer_questions(self) -> list[dict]:
        """Questions that hold an answer (no notes, groups or metadata), in form order."""
        return [q for q in self._by_name.values() if q["type"] not in NO_ANSWER_TYPES]

    def questions_in(self, repeat: str | None) -> list[dict]:
        """The answer questions directly in repeat group ``repeat`` (``None``: outside every repeat)."""
        return [q for q in self.answer_questions() if q["repeat"] == repeat]

    def repeat_label(self, path: str, lang: str = "nl", kind: str = "label") -> str:
        """The label (or ``kind="hint"``: the hint) of repeat group ``path`` in ``lang`` (a label falls
        back to the group's name)."""
        rep = self.repeats[path]
        texts = rep.labels if kind == "label" else rep.hints
        found = texts.get(self.language(lang) or "") or next(iter(texts.values()), None)
        return found or (rep.name if kind == "label" else "")


@dataclass(frozen=True)
class Repeat:
    """A repeat group: ``path`` (groups joined with ``/``), ``name``, ``parent`` (the path of the
    repeat group it sits in, ``None`` when it sits in the form itself), ``labels`` per language and
    ``count`` (the ``repeat_count`` expression, if any), ``hints`` per language."""

    path: str
    name: str
    parent: str | None
    labels: dict
    count: str | None = None
    hints: dict = field(default_factory=dict)


def resolve_language(languages: list[str], lang: str | None, default: str | None = None) -> str | None:
    """Match ``lang`` (``nl``, ``en``, ``Nederlands (nl)``, ``english``) to a form language."""
    if not languages:
        return None
    if lang:
        want = lang.strip().lower()
        for candidate in languages:
            c = candidate.lower()
            code = re.search(r"\(([^)]+)\)\s*$", c)
            if c == want or (code and code.group(1) == want):
                return candidate
        names = {"nl": ("nederlands", "dutch"), "en": ("english", "engels")}
        for candidate in languages:
            if candidate.lower().split(" (")[0] in names.get(want, ()):
                return candidate
    if default and default in languages:
        return default
    return languages[0]


def _pick(row: dict, kind: str, language: str | None, languages: list[str]) -> str | None:
    order = [language] + [lg for lg in languages if lg != language]
    for lg in order:
        if lg is None:
            continue
        value = row.get(f"{kind}::{lg}")
        if value:
            return value
    return None


def _as_lang_dict(value) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v not in (None, "")}
    return {"default": str(value)}


def _unsupported(problems: list[Problem], shown: str, name: str, what: Text) -> None:
    problems.append(Problem(shown, None, name, None, what, severity="warning"))


# (path, name) -> (version of the file, form): the last version read of each form in this process
_READ: dict = {}


def read_xlsform(path: Path | str, name: str | None = None) -> Instrument:
    """Read an XLSForm (xlsx, xls, csv, md) with pyxform; in one process, a file that did not change is read
    once (a report asks for the same form per table and district, and pyxform takes a tenth of a second).

    Raises ``InputError`` with pyxform's own explanation when the form is not
    valid XLSForm. Features we cannot use for answers (loops, choices from
    external files, unknown types, a choice filter we cannot evaluate) are
    listed in ``.warnings``.

    Example:
        >>> from pathlib import Path
        >>> import impact
        >>> form = read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners.xlsx")
        >>> form.question("activiteiten")["type"], form.question("activiteiten")["list"]
        ('select_multiple', 'activiteiten')
    """
    import copy
    import os

    from impact import reads
    from impact.files import read_when_changed

    form = read_when_changed(_READ, (os.path.abspath(path), name), path, lambda: _read_xlsform(path, name))
    reads.note(path)  # an input of the report being built, also when it was read for an earlier one
    form = copy.copy(form)  # a list of its own: a caller may add to it
    form.warnings = list(form.warnings)
    return form


def _read_xlsform(path: Path | str, name: str | None = None) -> Instrument:
    """``read_xlsform`` from the file itself."""
    import polars as pl
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    path = Path(path)
    shown = path.name
    if not path.is_file():
        raise InputError(Text("{shown}: dit bestand bestaat niet.", shown=shown))
    pyx_warnings: list[str] = []
    try:
        workbook = get_xlsform(path)
        form = workbook_to_json(workbook, form_name="data",
                                fallback_form_name=workbook.fallback_form_name,
                                warnings=pyx_warnings)
    except PyXFormError as exc:
        raise InputError(Text("{shown}: dit is geen geldige XLSForm. Uitleg van pyxform (Engels): {exc}",
                              shown=shown, exc=exc), [Problem(shown, None, None, None, Text("een geldige XLSForm"))]) from None
    except Exception as exc:  # a damaged workbook makes openpyxl/xlrd raise anything
        raise InputError(Text("{shown}: dit bestand kan niet als XLSForm worden gelezen ({name}: {exc}).",
                              shown=shown, name=type(exc).__name__, exc=exc)) from None

    problems: list[Problem] = [
        Problem(shown, None, None, None, Text("(melding van pyxform) {w}", w=w),
                severity="warning") for w in pyx_warnings]
    questions: list[dict] = []
    languages: list[str] = []
    group_labels: dict[str, dict[str, str]] = {}
    repeats: dict[str, Repeat] = {}

    def note_langs(d: dict[str, str]) -> None:
        for lg in d:
            if lg not in languages:
                languages.append(lg)

    def walk(children: list[dict], groups: list[str], repeat: str | None) -> None:
        for child in children:
            ctype = child.get("type", "")
            cname = str(child.get("name", ""))
            if ctype in ("group", "repeat", "loop"):
                if cname == "meta" and child.get("control", {}).get("bodyless"):
                    continue  # pyxform's own instanceID; exports show it as meta/instanceID
                if ctype == "loop":
                    _unsupported(problems, shown, cname, Text("geen 'loop'; deze groep wordt gelezen, maar "
                                                              "antwoorden erin kunnen niet worden ingelezen"))
                labels = _as_lang_dict(child.get("label"))
                group_labels["/".join(groups + [cname])] = labels
                inner_repeat = repeat
                if ctype == "repeat":
                    inner_repeat = "/".join(groups + [cname])
                    count = (child.get("control") or {}).get("jr:count")
                    repeats[inner_repeat] = Repeat(inner_repeat, cname, repeat, labels,
                                                   str(count) if count else None, _as_lang_dict(child.get("hint")))
                walk(child.get("children", []), groups + [cname], inner_repeat)
                continue
            qtype = canonical_type(ctype)
            labels = _as_lang_dict(child.get("label"))
            hints = _as_lang_dict(child.get("hint"))
            note_langs(labels)
            note_langs(hints)
            bind = child.get("bind", {}) or {}
            if qtype == "unknown":
                _unsupported(problems, shown, cname, Text("een bekend vraagtype; '{ctype}' wordt als tekst "
                                                          "gelezen",
                                                          ctype=ctype))
            if qtype == "select_one_external" or (qtype in SELECT_TYPES and not child.get("choices")):
                _unsupported(problems, shown, cname, Text("keuzes in het werkboek; deze keuzes staan in een "
                                                          "ander bestand en worden niet gecontroleerd"))
            questions.append({
                "name": cname,
                "path": "/".join(groups + [cname]),
                "type": qtype,
                "xlsform_type": ctype,
                "list": child.get("list_name") or child.get("itemset") or None,
                "_labels": labels,
                "_hints": hints,
                "required": _yes(bind.get("required")),
                "constraint": bind.get("constraint") or None,
                "_constraint_messages": _as_lang_dict(bind.get("jr:constraintMsg")),
                "relevant": bind.get("relevant") or None,
                "choice_filter": _choice_filter(problems, shown, cname, child.get("choice_filter")),
                "group": "/".join(groups) or None,
                "repeat": repeat,
                "scale": str(child["scale"]).strip() if child.get("scale") else None,
                "reverse": _yes(child.get("reverse")),
                "proposed_by": str(child["proposed_by"]).strip() if child.get("proposed_by") else None,
                "round": str(child["round"]).strip() if child.get("round") else None,
                "appearance": (child.get("control") or {}).get("appearance"),
            })

    walk(form.get("children", []), [], None)

    choice_rows: list[dict] = []
    extra_columns: list[str] = []
    for list_name, options in (form.get("choices") or {}).items():
        for i, option in enumerate(options):
            labels = _as_lang_dict(option.get("label"))
            note_langs(labels)
            row = {"list": str(list_name), "name": str(option.get("name")), "_labels": labels, "order": i + 1}
            for key, value in option.items():
                if key not in _CHOICE_OWN and not key.startswith("label") and not isinstance(value, dict):
                    if key not in extra_columns:
                        extra_columns.append(key)
                    row[key] = None if value is None else str(value)
            choice_rows.append(row)
    # or_other adds "other" to a question's own choices only; keep lists complete
    known = {(c["list"], c["name"]) for c in choice_rows}
    for child_list, options in _question_choices(form.get("children", [])):
        for option in options:
            if (child_list, str(option.get("name"))) not in known:
                labels = _as_lang_dict(option.get("label"))
                note_langs(labels)
                choice_rows.append({"list": child_list, "name": str(option.get("name")), "_labels": labels,
                                    "order": sum(1 for c in choice_rows if c["list"] == child_list) + 1})
                known.add((child_list, str(option.get("name"))))

    names = [q["name"] for q in questions]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            problems.append(Problem(shown, None, n, n, Text("een unieke vraagnaam; deze naam staat in meer "
                                                            "groepen, gebruik het pad (groep/vraag)"),
                severity="warning"))
        seen.add(n)

    if not languages:
        languages = ["default"]
    default_language = str(form.get("default_language") or "default")

    def expand(rows: list[dict], kinds: tuple[str, ...]) -> list[dict]:
        out = []
        for r in rows:
            r = dict(r)
            for kind in kinds:
                values = r.pop(f"_{kind}s")
                for lg in languages:
                    r[f"{kind}::{lg}"] = values.get(lg)
            out.append(r)
        return out

    q_schema = {"name": pl.String, "path": pl.String, "type": pl.String, "xlsform_type": pl.String,
                "list": pl.String}
    q_schema.update({f"label::{lg}": pl.String for lg in languages})
    q_schema.update({f"hint::{lg}": pl.String for lg in languages})
    q_schema.update({"required": pl.Boolean, "constraint": pl.String})
    q_schema.update({f"constraint_message::{lg}": pl.String for lg in languages})
    q_schema.update({
                     "relevant": pl.String, "choice_filter": pl.String, "group": pl.String,
                     "repeat": pl.String, "scale": pl.String,
                     "reverse": pl.Boolean, "proposed_by": pl.String, "round": pl.String,
                     "appearance": pl.String, "order": pl.Int32})
    q_rows = expand(questions, ("label", "hint", "constraint_message"))
    for i, r in enumerate(q_rows):
        r["order"] = i + 1
    qdf = pl.DataFrame(q_rows, schema=q_schema, orient="row") if q_rows else pl.DataFrame(schema=q_schema)
    qdf = qdf.select(list(q_schema))
    c_schema = {"list": pl.String, "name": pl.String}
    c_schema.update({f"label::{lg}": pl.String for lg in languages})
    c_schema["order"] = pl.Int32
    c_schema.update({c: pl.String for c in extra_columns if c not in c_schema})
    c_rows = [{**{c: None for c in extra_columns}, **r} for r in expand(choice_rows, ("label",))]
    cdf = pl.DataFrame(c_rows, schema=c_schema, orient="row") if c_rows else pl.DataFrame(schema=c_schema)
    cdf = cdf.select(list(c_schema))

    return Instrument(
        name=name or path.stem,
        path=path,
        title=str(form.get("title") or path.stem),
        form_id=str(form.get("id_string") or path.stem),
        version=str(form.get("version") or ""),
        languages=languages,
        default_language=default_language if default_language in languages else languages[0],
        questions=qdf,
        choices=cdf,
        warnings=problems,
        group_labels=group_labels,
        repeats=repeats,
        follows_up=_setting(form, "follows_up"),
        respondent_key=_setting(form, "respondent_key"),
    )


# keys of a pyxform choice that are not columns of the choices sheet a filter may read
_CHOICE_OWN = {"name", "list_name", "media", "_labels"}


def _setting(form: dict, key: str) -> str | None:
    """A column of the settings sheet (pyxform passes unknown columns through)."""
    value = form.get(key)
    return (str(value).strip() or None) if value is not None else None


def _choice_filter(problems: list[Problem], shown: str, name: str, expr) -> str | None:
    """The question's ``choice_filter``; a warning when impact cannot check it."""
    from impact.questionnaires.xpath import Unsupported, compile_expression

    if not expr:
        return None
    expr = str(expr)
    try:
        compile_expression(expr)("", {})
    except Unsupported as err:
        if "unknown" not in str(err):  # a reference without a value is fine here
            _unsupported(problems, shown, name, Text("een keuzefilter die impact kan controleren; '{expr}' "
                                                     "wordt niet gecontroleerd",
                                                     expr=expr))
    return expr


def _question_choices(children: list[dict]):
    for child in children:
        if child.get("children"):
            yield from _question_choices(child["children"])
        elif child.get("choices") and (child.get("list_name") or child.get("itemset")):
            yield str(child.get("list_name") or child.get("itemset")), child["choices"]
