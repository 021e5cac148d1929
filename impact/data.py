"""The processed tables of a study, for notebooks: filtered by district and period.

A notebook starts with::

    T = data.language(language)          # T("Nederlands", "English") picks one
    tables = data.load(study, district=district, period=period)
    tables.trajectory_events             # a polars DataFrame, already filtered

Tables are read from ``data/processed`` on first use. ``district`` keeps
rows of that district (a person's district comes from ``people``; an
attendance row follows its activity; a coded segment its interview).
``period`` keeps rows dated inside it; ``trajectory_events`` and ``goals``
keep the *whole* history of everyone active in the period, so a
trajectory that started before the period still has its start.

Example:
    >>> parse_period("2022")
    (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    >>> language("en")("hallo", "hello")
    'hello'
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from impact import reads
from impact.errors import StudyError, Text
from impact.vocabulary import ALL_CODES, DIRECTIONS, ORIGINS, PALETTE, ROLES, SCALES, TESTS, code_labels, humanise, labels

# The processed tables of docs/data-model.md, so a table that is not there
# (an optional raw file) reads as an empty table with the right columns.
SCHEMAS: dict[str, dict[str, str]] = {
    "people": {"person": "Utf8", "role": "Utf8", "actor_type": "Utf8", "organisation": "Utf8",
               "district": "Utf8", "neighbourhood": "Utf8", "birth_year": "Int64", "coresearcher": "Boolean"},
    "consent": {"person": "Utf8", "questionnaire": "Boolean", "interview": "Boolean", "quotes": "Boolean",
                "named_as_coresearcher": "Boolean", "withdrawn_on": "Date"},
    "trajectory_events": {"person": "Utf8", "date": "Date", "kind": "Utf8", "hours": "Float64",
                          "ladder_step": "Int64"},
    "goals": {"person": "Utf8", "goal_id": "Int64", "goal": "Utf8", "weight": "Float64", "date": "Date",
              "level": "Int64"},
    "activities": {"activity_id": "Utf8", "kind": "Utf8", "district": "Utf8", "date": "Date",
                   "organiser": "Utf8", "attendees": "Int64", "first_time_attendees": "Int64"},
    "attendance": {"activity_id": "Utf8", "person": "Utf8", "first_time": "Boolean"},
    "contacts": {"date": "Date", "from_person": "Utf8", "to_person": "Utf8", "to_organisation": "Utf8",
                 "kind": "Utf8", "district": "Utf8"},
    "msc_stories": {"story_id": "Utf8", "person": "Utf8", "domain": "Utf8", "story": "Utf8",
                    "panel_choice": "Boolean", "panel_reasons": "Utf8"},
    "responses": {"instrument": "Utf8", "version": "Utf8", "respondent": "Utf8", "wave": "Int64",
                  "date": "Date", "item": "Utf8", "value": "Utf8", "value_num": "Float64", "repeat": "Utf8",
                  "repeat_index": "Utf8"},
    "transcripts": {"document": "Utf8", "date": "Date", "interviewer": "Utf8", "interviewee": "Utf8",
                    "actor_type": "Utf8", "organisation_kind": "Utf8", "district": "Utf8",
                    "consent": "Boolean", "text": "Utf8", "source_kind": "Utf8", "role": "Utf8",
                    "instrument": "Utf8", "item": "Utf8", "wave": "Int64"},
    "codebook": {"code": "Utf8", "label": "Utf8", "label_en": "Utf8", "parent": "Utf8", "definition": "Utf8", "when_to_use": "Utf8",
                 "when_not_to_use": "Utf8", "example": "Utf8", "origin": "Utf8", "proposed_by": "Utf8",
                 "date_added": "Date"},
    "codings": {"document": "Utf8", "start": "Int64", "end": "Int64", "code": "Utf8", "coder": "Utf8",
                "text": "Utf8"},
    "memos": {"memo": "Utf8", "title": "Utf8", "author": "Utf8", "date": "Date", "about_kind": "Utf8",
              "about": "Utf8", "start": "Int64", "end": "Int64", "code": "Utf8", "publish": "Boolean", "text": "Utf8"},
    "theory_steps": {"step": "Utf8", "kind": "Utf8", "label": "Utf8", "label_en": "Utf8", "figures": "list",
                     "codes": "list", "codes_against": "list", "items": "list", "measures": "list"},
    "theory_arrows": {"from_step": "Utf8", "to_step": "Utf8", "assumption": "Utf8", "assumption_en": "Utf8"},
    "quarantine": {"table": "Utf8", "file": "Utf8", "row": "Int64", "column": "Utf8", "value": "Utf8",
                   "reason_nl": "Utf8", "reason_en": "Utf8", "sheet": "Utf8"},
}


def table_schema(name: str) -> dict:
    """The polars schema of processed table ``name`` (``SCHEMAS``; ``list`` is a list of texts)."""
    import polars as pl

    return {c: pl.List(pl.Utf8) if t == "list" else getattr(pl, t) for c, t in SCHEMAS[name].items()}


# How each table is filtered by district: its own column, a person column
# looked up in people, or the row it belongs to in another table.
_DISTRICT_BY: dict[str, tuple[str, str]] = {
    "people": ("column", "district"), "activities": ("column", "district"),
    "contacts": ("column", "district"), "transcripts": ("column", "district"),
    "consent": ("person", "person"), "trajectory_events": ("person", "person"),
    "goals": ("person", "person"), "msc_stories": ("person", "person"),
    "responses": ("person", "respondent"),
    "attendance": ("via", "activities:activity_id"), "codings": ("via", "transcripts:document"),
}
_PERIOD_BY: dict[str, tuple[str, str]] = {
    "activities": ("column", "date"), "contacts": ("column", "date"), "responses": ("column", "date"),
    "transcripts": ("column", "date"),
    "trajectory_events": ("person", "date"), "goals": ("person", "date"),
    "attendance": ("via", "activities:activity_id"), "codings": ("via", "transcripts:document"),
}

TABLE_LABELS: dict[str, Text] = {
    "people": Text("personen", "people"), "consent": Text("toestemmingen", "consent"),
    "trajectory_events": Text("trajecten", "trajectory events"),
    "goals": Text("doelscores (GAS)", "goal scores (GAS)"), "activities": Text("activiteiten", "activities"),
    "attendance": Text("aanwezigheid", "attendance"), "contacts": Text("contacten", "contacts"),
    "msc_stories": Text("verhalen (MSC)", "stories (MSC)"), "responses": Text("antwoorden", "answers"),
    "transcripts": Text("interviews en open antwoorden", "interviews and open answers"), "codebook": Text("codes", "codes"),
    "codings": Text("gecodeerde stukken", "coded segments"),
    "theory_steps": Text("stappen van de verandertheorie", "steps of the theory of change"),
    "quarantine": Text("afgekeurde rijen", "rejected rows"),
}


def language(lang: str = "nl"):
    """Set the notebook's language and return ``T(nl, en)``, which picks one of the two.

    Also sets ``IMPACT_LANG``, which ``impact.show`` reads to format numbers.
    """
    lang = "en" if str(lang).lower().startswith("en") else "nl"
    os.environ["IMPACT_LANG"] = lang

    def T(nl: str, en: str) -> str:  # noqa: N802 - short on purpose, used in every notebook cell
        return en if lang == "en" else nl

    T.lang = lang
    return T


def _as_date(value, end: bool = False) -> dt.date | None:
    """``2022`` -> 1 Jan (or 31 Dec), ``2022-03`` -> 1 (or last) March, ISO dates as they are."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4:
            y = int(text)
            return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
        if len(text) == 7:
            y, m = int(text[:4]), int(text[5:7])
            if not end:
                return dt.date(y, m, 1)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date.fromisoformat(text)
    except ValueError:
        return _bad_period(value)


def _bad_period(value):
    raise StudyError(Text(
        f"De periode '{value}' begrijp ik niet. Schrijf bijvoorbeeld \"2022\", \"2022-01..2022-06\" "
        f"of (\"2022-01-01\", \"2022-12-31\").",
        f"I do not understand the period '{value}'. Write for example \"2022\", \"2022-01..2022-06\" "
        f"or (\"2022-01-01\", \"2022-12-31\")."))


def parse_period(period) -> tuple[dt.date | None, dt.date | None] | None:
    """A period as (first day, last day), both inclusive; ``None`` means all dates.

    Accepts ``"2022"``, ``"2022-03"``, ``"2022-01..2022-06"``,
    ``"2022-01-01/2022-12-31"``, or a pair ``(start, end)`` where either may
    be ``None``.
    """
    if period is None or period == "":
        return None
    if isinstance(period, (tuple, list)):
        if len(period) != 2:
            _bad_period(period)
        start, end = _as_date(period[0]), _as_date(period[1], end=True)
    else:
        text = str(period).strip()
        for sep in ("..", "/"):
            if sep in text:
                a, b = text.split(sep, 1)
                start, end = _as_date(a.strip() or None), _as_date(b.strip() or None, end=True)
                break
        else:
            start, end = _as_date(text), _as_date(text, end=True)
    if start and end and start > end:
        _bad_period(period)
    return (start, end)


def find_study(study=None):
    """The study to use: the given folder or ``Study``; else ``$IMPACT_STUDY``; else the nearest
    folder upwards from here that holds ``impact.toml`` (notebooks run in ``notebooks/``)."""
    from impact.study import CONFIG_NAME, Study

    if isinstance(study, Study):
        return study
    if study is not None:
        return Study.load(Path(study))
    if os.environ.get("IMPACT_STUDY"):
        return Study.load(os.environ["IMPACT_STUDY"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return Study.load(folder)
    return Study.load(here)  # raises the friendly "no study found" error


@dataclass
class Tables:
    """Processed tables of one study, filtered; read on first attribute access."""

    study: object
    district: list[str] | None = None
    period: tuple[dt.date | None, dt.date | None] | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def k(self) -> int:
        return self.study.config.privacy.k

    @property
    def names(self) -> list[str]:
        """The tables this study has in ``data/processed``."""
        return sorted(p.stem for p in self.study.processed.glob("*.parquet"))

    def once(self, key, make):
        """``make()`` worked out once for these tables (a result several pieces of a report share)."""
        if ("once", key) not in self._cache:
            self._cache[("once", key)] = make()
        return self._cache[("once", key)]

    def raw_table(self, name: str):
        """Table ``name`` without any filter (an empty table when it is not there)."""
        import polars as pl

        key = ("raw", name)
        if key not in self._cache:
            path = self.study.processed / f"{name}.parquet"
            reads.note(path)  # an input of the report being built (a missing table too)
            if path.is_file():
                self._cache[key] = pl.read_parquet(path)
            elif name in SCHEMAS:
                self._cache[key] = pl.DataFrame(schema=table_schema(name))
            else:
                self._cache[key] = self.study.table(name)  # raises the friendly error
        return self._cache[key]

    def __getattr__(self, name: str):
        if name.startswith("_") or name in ("study", "district", "period"):
            raise AttributeError(name)
        return self.table(name)

    def table(self, name: str):
        """Table ``name`` filtered by district and period."""
        key = ("filtered", name)
        if key not in self._cache:
            df = self.raw_table(name)
            if self.district:
                df = self._filter(df, name, _DISTRICT_BY, self._in_district)
            if self.period:
                df = self._filter(df, name, _PERIOD_BY, self._in_period)
            self._cache[key] = df
        return self._cache[key]

    # each filter is "keep rows where <column> passes"; for person tables the
    # column is the person and passing means: the person passes
    def _in_district(self, df, column: str, how: str):
        import polars as pl

        if how == "person":
            people = self.raw_table("people").filter(pl.col("district").is_in(self.district))
            return df.filter(pl.col(column).is_in(people["person"].to_list()))
        return df.filter(pl.col(column).is_in(self.district))

    def _in_period(self, df, column: str, how: str):
        import polars as pl

        start, end = self.period
        inside = pl.lit(True)
        if start:
            inside = inside & (pl.col(column) >= start)
        if end:
            inside = inside & (pl.col(column) <= end)
        if how == "person":
            active = df.filter(inside)["person"].unique().to_list()
            return df.filter(pl.col("person").is_in(active))
        return df.filter(inside)

    def _filter(self, df, name: str, rules: dict, keep):
        import polars as pl

        rule = rules.get(name)
        if rule is None or df.height == 0:
            return df
        how, column = rule
        if how == "via":
            other, on = column.split(":")
            allowed = self.table(other)[on].to_list()
            return df.filter(pl.col(on).is_in(allowed))
        return keep(df, column, how)

    def with_people(self, name: str, columns: tuple[str, ...] = ("role", "actor_type", "district"),
                    on: str | None = None):
        """Table ``name`` with the person's ``columns`` from ``people`` added (left join).

        ``on`` is the person column; by default ``person`` (``respondent`` for
        responses, ``from_person`` for contacts, ``organiser`` for activities).
        """
        default = {"responses": "respondent", "contacts": "from_person", "activities": "organiser"}
        on = on or default.get(name, "person")
        df = self.table(name)
        wanted = [c for c in columns if c not in df.columns or c == on]
        people = self.raw_table("people").select(["person", *[c for c in wanted if c != "person"]])
        return df.join(people.rename({"person": on}), on=on, how="left")

    def suppress(self, frame, count_columns: list[str]):
        """Hide person counts below ``k`` (and what would give them away), also for the whole study."""
        from impact.reach import suppress

        return suppress(frame, count_columns, self.k)

    def answers(self, instrument: str, items: list[str] | None = None, wave: int | None = None):
        """Questionnaire answers wide: one row per respondent and wave, one column per item.

        Uses ``value`` (the answer's text or choice name). ``items``: the
        columns to keep (default: all).
        """
        import polars as pl

        r = self.responses.filter(pl.col("instrument") == instrument)
        if "repeat" in r.columns:  # answers in repeat groups have many rows per person: see repeat_summary
            r = r.filter(pl.col("repeat").is_null())
        if wave is not None:
            r = r.filter(pl.col("wave") == wave)
        if items is not None:
            r = r.filter(pl.col("item").is_in(items))
        if r.height == 0:
            return pl.DataFrame(schema={"respondent": pl.Utf8, "wave": pl.Int64,
                                        **{i: pl.Utf8 for i in (items or [])}})
        return (r.pivot(on="item", index=["respondent", "wave"], values="value", aggregate_function="first")
                .sort(["respondent", "wave"]))


def load(study=None, district=None, period=None) -> Tables:
    """The processed tables of ``study`` for ``district`` (name or list) and ``period``.

    Also sets ``IMPACT_K`` (the study's smallest publishable count) for
    ``impact.show``.
    """
    st = find_study(study)
    districts = [district] if isinstance(district, str) else (list(district) if district else None)
    if districts:
        unknown = [d for d in districts if d not in st.config.districts]
        if unknown:
            raise StudyError(Text(
                f"Het stadsdeel '{unknown[0]}' hoort niet bij deze studie. Kies uit: {', '.join(st.config.districts)}.",
                f"The district '{unknown[0]}' is not part of this study. Choose from: {', '.join(st.config.districts)}."))
    os.environ["IMPACT_K"] = str(st.config.privacy.k)
    return Tables(study=st, district=districts, period=parse_period(period))


# --- the study at a glance (notebook 00) -------------------------------------------

MONTHS = {"nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                  "oktober", "november", "december"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}


def period_words(start, end, lang: str = "nl", days: bool = False) -> str:
    """A period as readers write it: "september 2021 – december 2023" (``days``: "1 maart 2022 – ...").

    Example:
        >>> period_words("2021-09-01", "2023-12-31")
        'september 2021 – december 2023'
        >>> period_words(dt.date(2022, 3, 1), None, "en", days=True)
        '1 March 2022 – …'
    """
    def words(value) -> str:
        if value is None or value == "":
            return "…"
        try:
            d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        month = f"{MONTHS[lang][d.month - 1]} {d.year}"
        return f"{d.day} {month}" if days else month

    return f"{words(start)} – {words(end)}"


def scope(tables: Tables, lang: str = "nl") -> str:
    """One sentence: which study, district and period this notebook shows."""
    c = tables.study.config
    where = ", ".join(tables.district) if tables.district else Text("alle stadsdelen", "all districts")(lang)
    if tables.period:
        when = period_words(*tables.period, lang=lang, days=True)
    elif c.period_start or c.period_end:
        when = period_words(c.period_start, c.period_end, lang=lang)
    else:
        when = Text("de hele looptijd", "the whole study")(lang)
    synthetic = Text(" De gegevens zijn verzonnen (demo).", " The data are made up (demo).")(lang) if c.synthetic else ""
    return Text(f"Studie: {c.name}. Stadsdeel: {where}. Periode: {when}.{synthetic}",
                f"Study: {c.name}. District: {where}. Period: {when}.{synthetic}")(lang)


def table_counts(tables: Tables, lang: str = "nl"):
    """Rows per processed table (after the filters): ``table``, ``rows``."""
    import polars as pl

    names = [n for n in TABLE_LABELS if n != "quarantine"]
    head = (Text("tabel", "table")(lang), Text("rijen", "rows")(lang))
    return pl.DataFrame({head[0]: [TABLE_LABELS[n](lang) for n in names],
                         head[1]: [tables.table(n).height for n in names]},
                        schema={head[0]: pl.Utf8, head[1]: pl.Int64})


def quarantine_summary(tables: Tables, lang: str = "nl"):
    """Rejected raw rows per table and reason: ``table``, ``reason``, ``rows`` (no values shown)."""
    import polars as pl

    q = tables.raw_table("quarantine")
    head = (Text("tabel", "table")(lang), Text("reden", "reason")(lang), Text("rijen", "rows")(lang))
    reason = "reason_en" if lang == "en" else "reason_nl"
    if q.height == 0:
        return pl.DataFrame(schema={h: t for h, t in zip(head, (pl.Utf8, pl.Utf8, pl.Int64))})
    names = {k: v(lang) for k, v in TABLE_LABELS.items()}
    return (q.group_by("table", reason).agg(pl.len().cast(pl.Int64).alias("rows"))
            .sort(["rows", "table"], descending=[True, False])
            .select(pl.col("table").replace_strict(names, default=pl.col("table")).alias(head[0]),
                    pl.col(reason).alias(head[1]), pl.col("rows").alias(head[2])))


def coresearcher_counts(tables: Tables):
    """Co-researchers per role: ``role`` (its identifier), ``n``, ``named`` (agreed to be thanked by name).

    Names are never in the processed tables; the report's credits list the
    people who agreed to be named, kept by the researchers by hand. The
    report shows these counts as figures (``coresearchers_by_role``,
    ``coresearchers_named_by_role``), so the table, the method text and
    the footer's thanks follow one small-cell decision.
    """
    import polars as pl

    people = tables.people.filter(pl.col("coresearcher").fill_null(False))
    consent = tables.consent.select("person", "named_as_coresearcher")
    return (people.join(consent, on="person", how="left")
            .group_by("role")
            .agg(pl.len().cast(pl.Int64).alias("n"),
                 pl.col("named_as_coresearcher").fill_null(False).sum().cast(pl.Int64).alias("named"))
            .sort("role"))


# --- simple charts for notebooks whose analysis module draws none (04, 05) ---------

def bars(frame, category: str, value: str, *, category_title: str, value_title: str,
         color: str | None = None, color_title: str = "", percent: bool = False, horizontal: bool = True):
    """A bar chart in the study's colour-blind-safe palette (Okabe-Ito).

    ``color``: a column for grouped bars (side by side). ``percent``: the
    value axis shows 0-100%.
    """
    import altair as alt

    data = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
    axis = alt.Axis(format="%") if percent else alt.Axis()
    cat = alt.Y(f"{category}:N", title=category_title, sort=None) if horizontal \
        else alt.X(f"{category}:N", title=category_title, sort=None)
    val = alt.X(f"{value}:Q", title=value_title, axis=axis) if horizontal \
        else alt.Y(f"{value}:Q", title=value_title, axis=axis)
    enc = {"y" if horizontal else "x": cat, "x" if horizontal else "y": val}
    if color:
        groups = list(dict.fromkeys(str(v) for v in data[color]))
        enc["color"] = alt.Color(f"{color}:N", title=color_title, sort=groups,
                                 scale=alt.Scale(domain=groups, range=(PALETTE * 2)[:len(groups)]))
        enc["yOffset" if horizontal else "xOffset"] = alt.YOffset(f"{color}:N", sort=groups) if horizontal \
            else alt.XOffset(f"{color}:N", sort=groups)
        mark = alt.Chart(data).mark_bar()
    else:
        mark = alt.Chart(data).mark_bar(color=PALETTE[0])
    return mark.encode(**enc).properties(width=420)


def lines(frame, x: str, y: str, *, x_title: str, y_title: str, color: str | None = None,
          color_title: str = "", percent: bool = False):
    """A line chart with points, in the Okabe-Ito palette; ``color`` draws one line per group."""
    import altair as alt

    data = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
    axis = alt.Axis(format="%") if percent else alt.Axis()
    # x counts something (a wave, an interview): whole numbers only
    enc = {"x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d")),
           "y": alt.Y(f"{y}:Q", title=y_title, axis=axis)}
    if color:
        groups = list(dict.fromkeys(str(v) for v in data[color]))
        enc["color"] = alt.Color(f"{color}:N", title=color_title, sort=groups,
                                 scale=alt.Scale(domain=groups, range=(PALETTE * 2)[:len(groups)]))
        return alt.Chart(data).mark_line(point=True).encode(**enc).properties(width=420, height=240)
    return alt.Chart(data).mark_line(point=True, color=PALETTE[0]).encode(**enc).properties(width=420, height=240)


def translate(frame, lang: str = "nl", *columns: str):
    """Replace known identifiers in ``columns`` (scale names, up/same/down) by words in ``lang``."""
    import polars as pl

    words = {**labels(SCALES, lang), **labels(DIRECTIONS, lang), **labels(TESTS, lang)}
    return frame.with_columns([pl.col(c).cast(pl.Utf8).replace(words) for c in columns if c in frame.columns])


def code_names(frame, tables: Tables, lang: str = "nl", *columns: str):
    """Replace the codes in ``columns`` (default ``code``; also ``parent``) by their codebook labels.

    ``(all)`` (the overall row of an agreement table) becomes "alle codes
    samen"; an ``origin`` column becomes words ("onderzoeksvraag 1").
    """
    import polars as pl

    names = {**code_labels(tables.codebook, lang), "(all)": ALL_CODES(lang)}
    columns = columns or ("code", "parent")
    out = frame.with_columns([
        pl.col(c).map_elements(lambda v: names.get(v) or humanise(v), return_dtype=pl.Utf8)
        for c in columns if c in frame.columns])
    if "origin" in out.columns:
        out = out.with_columns(pl.col("origin").replace(labels(ORIGINS, lang)))
    return out


def _shown(value, digits: int, lang: str, is_p: bool) -> str | None:
    if value is None or value != value:
        return None
    if is_p and value < 0.001:
        text = "< 0.001"
    else:
        text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def rename(frame, lang: str = "nl", digits: dict[str, int] | None = None, **columns: tuple[str, str]):
    """Keep ``columns`` (in that order) and give each its Dutch or English header.

    ``digits``: round these columns to so many decimals, written as text with
    a decimal comma in Dutch; a column named ``p`` shows ``< 0,001`` for
    tiny values. Values of ``scale`` and ``direction`` columns become words
    (see ``translate``).

    Example:
        >>> import polars as pl
        >>> rename(pl.DataFrame({"n": [3], "p": [0.0004]}), "nl", digits={"p": 3}, n=("aantal", "number"), p=("p", "p")).rows()
        [(3, '< 0,001')]
    """
    import polars as pl

    frame = translate(frame, lang, "scale", "direction", "test")
    for c, d in (digits or {}).items():
        if c in frame.columns:
            frame = frame.with_columns(pl.col(c).map_elements(lambda v, d=d, c=c: _shown(v, d, lang, c == "p"),
                                                              return_dtype=pl.Utf8))
    return frame.select([frame[c].alias(en if lang == "en" else nl) for c, (nl, en) in columns.items()])


def saturation_words(saturation, lang: str = "nl") -> str:
    """The takeaway of a saturation curve (``impact.coding.saturation``): codes found, last new one."""
    n = saturation.height
    total = int(saturation["cumulative_codes"].max() or 0) if n else 0
    new = saturation.filter(saturation["new_codes"] > 0)
    last = int(new["order"].max()) if new.height else 0
    return Text(f"Na {n} interviews zijn er {total} codes; de laatste nieuwe code kwam bij interview {last}.",
                f"After {n} interviews there are {total} codes; the last new code came with interview {last}.")(lang)
