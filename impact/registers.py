"""The study's registers: people, trajectories, goals, activities, attendance,
contacts and Most Significant Change stories, checked against the data model.

Each register is declared as a ``TableSpec`` (columns, types, allowed values,
keys). ``load_register`` reads the raw file, checks every cell and returns
the good rows as a polars DataFrame plus one ``Problem`` per bad cell. A row
with an error is left out of the table and kept (with its reason) by
``impact process`` in the quarantine table. Person references are checked
against ``people`` by ``check_references``.

Example:
    >>> [spec.name for spec in REGISTERS][:3]
    ['people', 'trajectory_events', 'goals']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from impact.errors import InputError, Problem, Text
from impact import tabular as tb


@dataclass(frozen=True)
class Column:
    """One column of a register.

    ``kind``: text, int, float, date, bool, choice, person (a person_id that
    must exist in people.csv), district (one of the study's districts).
    ``private``: read and checked, but never written to ``data/processed``.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    private: bool = False
    processed_name: str | None = None  # e.g. person_id -> person

    @property
    def out(self) -> str:
        return self.processed_name or self.name


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required_file: bool = True
    description: Text = Text("")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


ROLE_SYNONYMS = (
    ("sleutelpersoon", "key_person"), ("bewoner", "resident"), ("vrijwilliger", "volunteer"),
    ("formele_actor", "formal_actor"), ("formele actor", "formal_actor"), ("key person", "key_person"),
)
ACTOR_SYNONYMS = (("informeel", "informal"), ("formeel", "formal"))
EVENT_KINDS = ("start", "training", "certificate", "coaching", "ladder_step", "promise_of_contract",
               "follow_on_job", "drop_out", "end")
EVENT_SYNONYMS = (
    ("opleiding", "training"), ("certificaat", "certificate"), ("trede", "ladder_step"),
    ("baangarantie", "promise_of_contract"), ("vaste_baan_beloofd", "promise_of_contract"),
    ("vervolgbaan", "follow_on_job"), ("uitval", "drop_out"), ("einde", "end"),
)
ACTIVITY_KINDS = ("spreekuur", "maaltijd", "wandelgroep", "taalles", "computerles", "evenement")
CONTACT_KINDS = ("doorbell", "conversation", "match", "referral", "volunteer_activated")
CONTACT_SYNONYMS = (
    ("aanbellen", "doorbell"), ("deurbel", "doorbell"), ("gesprek", "conversation"),
    ("doorverwijzing", "referral"), ("vrijwilliger_geactiveerd", "volunteer_activated"),
)

REGISTERS: tuple[TableSpec, ...] = (
    TableSpec("people", (
        Column("person_id", "text", True, processed_name="person"),
        Column("name", "text", True, private=True),
        Column("name_variants", "text", private=True),
        Column("role", "choice", True, ("buurtbaner", "key_person", "resident", "volunteer", "formal_actor"),
               ROLE_SYNONYMS),
        Column("actor_type", "choice", True, ("informal", "formal"), ACTOR_SYNONYMS),
        Column("organisation"),
        Column("district", "district", True),
        Column("neighbourhood"),
        Column("phone", private=True), Column("email", private=True), Column("address", private=True),
        Column("birth_year", "int", minimum=1900, maximum=2030),
        Column("coresearcher", "bool"),
    ), key=("person_id",), description=Text("personen")),
    TableSpec("trajectory_events", (
        Column("person_id", "person", True, processed_name="person"),
        Column("date", "date", True),
        Column("kind", "choice", True, EVENT_KINDS, EVENT_SYNONYMS),
        Column("hours", "float", minimum=0, maximum=2000),
        Column("ladder_step", "int", minimum=1, maximum=6),
        Column("note", private=True),
    ), description=Text("trajecten")),
    TableSpec("goals", (
        Column("person_id", "person", True, processed_name="person"),
        Column("goal_id", "int", True, minimum=1, maximum=5),
        Column("goal"),
        Column("weight", "float", minimum=0.01, maximum=100),
        Column("date", "date", True),
        Column("level", "int", True, minimum=-2, maximum=2),
    ), key=("person_id", "goal_id", "date"), required_file=False, description=Text("doelen")),
    TableSpec("activities", (
        Column("activity_id", "text", True),
        Column("kind", "choice", True, ACTIVITY_KINDS),
        Column("district", "district", True),
        Column("date", "date", True),
        Column("organiser", "person", True),
        Column("attendees", "int", True, minimum=0, maximum=100000),
        Column("first_time_attendees", "int", minimum=0, maximum=100000),
    ), key=("activity_id",), description=Text("activiteiten")),
    TableSpec("attendance", (
        Column("activity_id", "text", True),
        Column("person_id", "person", True, processed_name="person"),
        Column("first_time", "bool"),
    ), key=("activity_id", "person_id"), required_file=False, description=Text("aanwezigheid")),
    TableSpec("contacts", (
        Column("date", "date", True),
        Column("from_person", "person", True),
        Column("to_person", "person"),
        Column("to_organisation"),
        Column("kind", "choice", True, CONTACT_KINDS, CONTACT_SYNONYMS),
        Column("district", "district"),
    ), description=Text("contacten")),
    TableSpec("msc_stories", (
        Column("story_id", "text", True),
        Column("person_id", "person", True, processed_name="person"),
        Column("domain", "text", True),
        Column("story", "text", True),
        Column("panel_choice", "bool"),
        Column("panel_reasons"),
    ), key=("story_id",), required_file=False, description=Text("verhalen (MSC)")),
)

POLARS_TYPES = {"text": "Utf8", "choice": "Utf8", "person": "Utf8", "district": "Utf8",
                "int": "Int64", "float": "Float64", "date": "Date", "bool": "Boolean"}

# --- every processed table, declared once --------------------------------------------------------
# Columns and polars types ("list": a list of texts) of the tables in data/processed
# (docs/data-model.md). The registers' tables follow from REGISTERS; the others are declared here
# and used by the modules that write them (impact.coding, impact.theory) and by impact.data, where
# a table that is not there (an optional raw file) reads as an empty table with the right columns.

TRANSCRIPT_COLUMNS = {  # an interview (impact.coding.transcripts); open answers add their own columns
    "document": "Utf8", "date": "Date", "interviewer": "Utf8", "interviewee": "Utf8",
    "actor_type": "Utf8", "organisation_kind": "Utf8", "district": "Utf8", "consent": "Boolean",
    "text": "Utf8",
}
CODEBOOK_COLUMNS = {
    "code": "Utf8", "label": "Utf8", "label_en": "Utf8", "parent": "Utf8", "definition": "Utf8",
    "when_to_use": "Utf8", "when_not_to_use": "Utf8", "example": "Utf8", "origin": "Utf8",
    "proposed_by": "Utf8", "date_added": "Date", "aliases": "list", "tags": "list",
}

PROCESSED: dict[str, dict[str, str]] = {
    **{spec.name: {c.out: POLARS_TYPES[c.kind] for c in spec.columns if not c.private} for spec in REGISTERS},
    "consent": {"person": "Utf8", "questionnaire": "Boolean", "interview": "Boolean", "quotes": "Boolean",
                "named_as_coresearcher": "Boolean", "withdrawn_on": "Date"},
    "responses": {"instrument": "Utf8", "version": "Utf8", "respondent": "Utf8", "wave": "Int64",
                  "date": "Date", "item": "Utf8", "value": "Utf8", "value_num": "Float64", "repeat": "Utf8",
                  "repeat_index": "Utf8"},
    "transcripts": {**TRANSCRIPT_COLUMNS, "source_kind": "Utf8", "role": "Utf8", "instrument": "Utf8",
                    "item": "Utf8", "wave": "Int64"},
    "codebook": CODEBOOK_COLUMNS,
    "codings": {"document": "Utf8", "start": "Int64", "end": "Int64", "code": "Utf8", "coder": "Utf8",
                "text": "Utf8"},
    "memos": {"memo": "Utf8", "title": "Utf8", "author": "Utf8", "date": "Date", "about_kind": "Utf8",
              "about": "Utf8", "start": "Int64", "end": "Int64", "code": "Utf8", "publish": "Boolean",
              "text": "Utf8"},
    "theory_steps": {"step": "Utf8", "kind": "Utf8", "label": "Utf8", "label_en": "Utf8", "figures": "list",
                     "codes": "list", "codes_against": "list", "items": "list", "measures": "list"},
    "theory_arrows": {"from_step": "Utf8", "to_step": "Utf8", "assumption": "Utf8", "assumption_en": "Utf8"},
    "quarantine": {"table": "Utf8", "file": "Utf8", "row": "Int64", "column": "Utf8", "value": "Utf8",
                   "reason_nl": "Utf8", "reason_en": "Utf8", "sheet": "Utf8"},
}


def table_schema(name: str, columns: dict[str, str] | None = None) -> dict:
    """The polars schema of processed table ``name`` (``PROCESSED``), or of ``columns`` declared so.

    Example:
        >>> table_schema("theory_arrows")["from_step"], table_schema("codebook")["tags"]
        (String, List(String))
    """
    import polars as pl

    columns = PROCESSED[name] if columns is None else columns
    return {c: pl.List(pl.Utf8) if t == "list" else getattr(pl, t) for c, t in columns.items()}


def find_file(raw: Path, stem: str) -> Path | None:
    """The raw file for ``stem``: ``stem.csv`` or ``stem.xlsx`` (csv first)."""
    for ext in (".csv", ".xlsx", ".CSV", ".XLSX"):
        p = raw / f"{stem}{ext}"
        if p.is_file():
            return p
    return None


def _expected_choice(col: Column) -> Text:
    return Text("een van: {choices}", choices=', '.join(col.choices))


def parse_cell(col: Column, value: str, districts: list[str]):
    """Parse one cell; returns (value, None) or (None, expected Text)."""
    if value == "":
        return (None, tb.EXPECT_FILLED) if col.required else (None, None)
    try:
        if col.kind in ("text", "person"):
            return value, None
        if col.kind == "district":
            match = {d.lower(): d for d in districts}.get(value.lower())
            if match is None:
                return None, Text("een stadsdeel uit impact.toml: {districts}", districts=', '.join(districts))
            return match, None
        if col.kind == "choice":
            v = value.strip().lower()
            v = dict(col.synonyms).get(v, v)
            if v not in col.choices:
                return None, _expected_choice(col)
            return v, None
        if col.kind == "date":
            try:
                return tb.parse_date(value), None
            except ValueError:
                return None, tb.EXPECT_DATE
        if col.kind == "bool":
            try:
                return tb.parse_bool(value), None
            except ValueError:
                return None, tb.EXPECT_BOOL
        number = tb.parse_number(value)
        if math.isnan(number) or math.isinf(number):
            raise ValueError(value)
        if col.kind == "int":
            if not number.is_integer():
                return None, tb.EXPECT_INT
            number = int(number)
        lo, hi = col.minimum, col.maximum
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return None, Text("een getal van {fmt} tot en met {fmt2}", fmt=_fmt(lo), fmt2=_fmt(hi))
        return number, None
    except ValueError:
        return None, tb.EXPECT_INT if col.kind == "int" else tb.EXPECT_NUMBER


def _fmt(x) -> str:
    return "?" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def _row_rules(spec: TableSpec, rec: dict) -> list[tuple[str, Text]]:
    """Checks across columns of one row: (column, expected) for each failure."""
    out = []
    if spec.name == "trajectory_events" and rec.get("kind") == "ladder_step" and rec.get("ladder_step") is None:
        out.append(("ladder_step", Text("een trede 1 tot en met 6 bij soort ladder_step")))
    if spec.name == "activities":
        a, f = rec.get("attendees"), rec.get("first_time_attendees")
        if a is not None and f is not None and f > a:
            out.append(("first_time_attendees", Text("hoogstens het aantal deelnemers ({a})", a=a)))
    if spec.name == "contacts":
        if rec.get("kind") == "referral" and not rec.get("to_organisation"):
            out.append(("to_organisation", Text("een organisatie bij een doorverwijzing")))
        if rec.get("kind") in ("match", "volunteer_activated") and not rec.get("to_person"):
            out.append(("to_person", Text("een persoon bij een match of nieuwe vrijwilliger")))
    return out


def _row_rule_failed(spec: TableSpec):
    """A polars expression: True where ``_row_rules`` finds a failure (same rules, over whole columns)."""
    import polars as pl

    c = pl.col
    if spec.name == "trajectory_events":
        return (c("kind") == "ladder_step") & c("ladder_step").is_null()
    if spec.name == "activities":
        return c("first_time_attendees") > c("attendees")  # null when either is empty: no failure
    if spec.name == "contacts":
        empty = lambda name: c(name).is_null() | (c(name) == "")  # noqa: E731
        return (((c("kind") == "referral") & empty("to_organisation"))
                | (c("kind").is_in(["match", "volunteer_activated"]) & empty("to_person")))
    return pl.lit(False)


class Loaded:
    """A checked register: the good rows (``frame``, with their row numbers in ``ROW``) and problems.

    ``records`` and ``lines`` give the good rows as dicts and row numbers (made when asked).
    ``keys_seen``: the keys of all rows, rejected ones too.
    """

    def __init__(self, spec: TableSpec, frame=None, problems: list[Problem] | None = None,
                 file: str | None = None, keys=None):
        import polars as pl

        self.spec, self.file = spec, file
        self.problems = problems if problems is not None else []
        if frame is None:
            frame = pl.DataFrame(schema={**{c.name: getattr(pl, POLARS_TYPES[c.kind]) for c in spec.columns},
                                         tb.ROW: pl.Int64})
        self._frame, self._keys, self._records = frame, keys, None

    @property
    def frame(self):
        return self._frame

    @frame.setter
    def frame(self, value) -> None:
        self._frame, self._records = value, None

    @property
    def records(self) -> list[dict]:
        if self._records is None:
            self._records = self._frame.drop(tb.ROW).to_dicts()
        return self._records

    @property
    def lines(self) -> list[int]:
        return self._frame[tb.ROW].to_list()

    @property
    def keys_seen(self) -> set:
        return set(self._keys.iter_rows()) if self._keys is not None else set()


def _parsed_column(col: Column, raw, districts: list[str], errors: list[Text]):
    """(values, error index) for one raw text column; each distinct value is parsed once."""
    import polars as pl

    dtype = getattr(pl, POLARS_TYPES[col.kind])
    if col.kind in ("text", "person"):  # parse_cell's answer, without the call
        empty = pl.col("raw") == ""
        code = pl.lit(None, pl.UInt32)
        if col.required:
            code = pl.when(empty).then(pl.lit(_error_index(errors, tb.EXPECT_FILLED), pl.UInt32)).otherwise(code)
        out = pl.DataFrame({"raw": raw}).with_columns(
            pl.when(empty).then(None).otherwise(pl.col("raw")).alias("value"), code.alias("code"))
        return out["value"], out["code"]
    distinct = raw.unique().to_list()
    parsed = [parse_cell(col, v, districts) for v in distinct]
    values = pl.Series([v for v, _ in parsed], dtype=dtype)
    codes = pl.Series([None if e is None else _error_index(errors, e) for _, e in parsed], dtype=pl.UInt32)
    keys = pl.Series(distinct, dtype=pl.Utf8)
    return (raw.replace_strict(keys, values, return_dtype=dtype),
            raw.replace_strict(keys, codes, return_dtype=pl.UInt32))


def _error_index(errors: list[Text], expected: Text) -> int:
    for i, e in enumerate(errors):
        if e is expected or e == expected:
            return i
    errors.append(expected)
    return len(errors) - 1


def load_register(raw: Path, spec: TableSpec, districts: list[str], display_root: Path | None = None) -> Loaded:
    """Read and check one register from the folder ``raw``.

    Every column is checked at once (polars); only rows with a problem are
    looked at one by one, to describe the problem.
    """
    import polars as pl

    path = find_file(raw, spec.name)
    if path is None:
        loaded = Loaded(spec)
        if spec.required_file:
            loaded.problems.append(Problem(f"data/raw/{spec.name}.csv", None, None, None, Text("dit bestand "
                                                                                               "(of .xlsx); "
                                                                                               "het ontbreekt")))
        return loaded
    shown = _shown(path, display_root)
    try:
        table = tb.read_table(path, required=spec.required_names, display=shown)
    except InputError as err:
        return Loaded(spec, problems=err.problems or [Problem(shown, None, None, None, err.text)], file=shown)
    problems = list(table.problems)
    text = table.frame.select([
        (pl.col(c.name) if c.name in table.frame.columns else pl.lit("", pl.Utf8)).alias(c.name)
        for c in spec.columns] + [pl.col(tb.ROW)])
    errors: list[Text] = []
    values, codes = {}, {}
    for col in spec.columns:
        values[col.name], codes[col.name] = _parsed_column(col, text[col.name], districts, errors)
    error_cols = [f"\x00err:{n}" for n in codes]
    checked = pl.DataFrame([s.alias(n) for n, s in values.items()] + [text[tb.ROW]]
                           + [s.alias(e) for e, s in zip(error_cols, codes.values())])
    cell_bad = pl.any_horizontal([pl.col(e).is_not_null() for e in error_cols]) if error_cols else pl.lit(False)
    checked = checked.with_columns(cell_bad.alias("\x00cell_bad"))
    checked = checked.with_columns(
        (~pl.col("\x00cell_bad") & _row_rule_failed(spec).fill_null(False)).alias("\x00rule_bad"))
    keys = None
    if spec.key:
        complete = pl.all_horizontal([pl.col(k).is_not_null() for k in spec.key])
        # a rejected row still claims its key: a second row with it is a duplicate
        checked = checked.with_columns(
            pl.when(complete).then(pl.col(tb.ROW).min().over(list(spec.key))).otherwise(None).alias("\x00first"))
        keys = checked.filter(complete).select(list(spec.key)).unique(maintain_order=True)
    else:
        checked = checked.with_columns(pl.lit(None, pl.Int64).alias("\x00first"))
    dup = pl.col("\x00first").is_not_null() & (pl.col("\x00first") != pl.col(tb.ROW))
    bad_row = pl.col("\x00cell_bad") | pl.col("\x00rule_bad") | dup
    checked = checked.with_columns(bad_row.alias("\x00bad"))
    bad = checked.filter(pl.col("\x00bad"))
    if bad.height:
        text_bad = text.join(bad.select(tb.ROW), on=tb.ROW, how="semi")
        for raw_row, rec in zip(text_bad.iter_rows(named=True), bad.iter_rows(named=True)):
            line = rec[tb.ROW]
            found = [(c.name, raw_row[c.name], errors[rec[e]]) for c, e in zip(spec.columns, error_cols)
                     if rec[e] is not None]
            if not found:
                found += [(c, raw_row.get(c, ""), e) for c, e in _row_rules(spec, rec)]
            first = rec["\x00first"]
            if first is not None and first != line:
                key = tuple(rec[k] for k in spec.key)
                found.append((spec.key[-1] if len(spec.key) == 1 else ", ".join(spec.key), " / ".join(map(str, key)),
                              Text("een unieke waarde; die staat al in rij {first}", first=first)))
            public = {c.name: raw_row[c.name] for c in spec.columns if not c.private}
            for column, value, expected in found:
                shown_value = "" if spec.column(column.split(",")[0]).private else value
                problems.append(Problem(shown, line, column, shown_value, expected, record=public))
    good = checked.filter(~pl.col("\x00bad")).select([c.name for c in spec.columns] + [tb.ROW])
    return Loaded(spec, good, problems, shown, keys)


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def check_references(loaded: dict[str, Loaded], person_ids: set[str]) -> None:
    """Move rows that name an unknown person_id into problems (in place)."""
    import polars as pl

    known = sorted(person_ids)
    for name, item in loaded.items():
        person_cols = [c.name for c in item.spec.columns if c.kind == "person"]
        if not person_cols or name == "people" or not item.frame.height:
            continue
        unknown = {c: pl.col(c).is_not_null() & (pl.col(c) != "") & ~pl.col(c).is_in(known) for c in person_cols}
        flagged = item.frame.with_columns([e.alias(f"\x00unknown:{c}") for c, e in unknown.items()])
        any_unknown = pl.any_horizontal([pl.col(f"\x00unknown:{c}") for c in person_cols])
        for rec in flagged.filter(any_unknown).iter_rows(named=True):
            public = {c.name: ("" if rec.get(c.name) is None else str(rec.get(c.name)))
                      for c in item.spec.columns if not c.private}
            for c in person_cols:
                if rec[f"\x00unknown:{c}"]:
                    item.problems.append(Problem(item.file, rec[tb.ROW], c, rec[c], Text("een person_id uit "
                                                                                         "people.csv"), record=public))
        item.frame = item.frame.filter(~pl.any_horizontal(list(unknown.values())))


def to_frame(item: Loaded, pseudonymise, drop_persons: set[str] = frozenset()):
    """The checked rows as a polars DataFrame with pseudonyms and without private columns.

    ``drop_persons``: person_ids that withdrew consent; their rows are left out.
    """
    import polars as pl

    cols = [c for c in item.spec.columns if not c.private]
    person_cols = [c.name for c in cols if c.kind == "person" or c.name == "person_id"]
    frame = item.frame
    if drop_persons and person_cols:
        gone = sorted(drop_persons)
        frame = frame.filter(~pl.any_horizontal([pl.col(c).is_in(gone).fill_null(False) for c in person_cols]))
    out = []
    for c in cols:
        series = frame[c.name]
        if c.name in person_cols:
            distinct = [v for v in series.unique().to_list() if v is not None]
            series = series.replace_strict(distinct, [pseudonymise(v) for v in distinct], default=None,
                                           return_dtype=pl.Utf8)
        out.append(series.cast(getattr(pl, POLARS_TYPES[c.kind])).alias(c.out))
    return pl.DataFrame(out, schema={c.out: getattr(pl, POLARS_TYPES[c.kind]) for c in cols})
