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
from impact.registers import PROCESSED as SCHEMAS  # noqa: F401 - impact.data.SCHEMAS, for tests
from impact.registers import table_schema
from impact.study import read_table_file
from impact.text import translator

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
    "people": Text("personen"), "consent": Text("toestemmingen"),
    "trajectory_events": Text("trajecten"),
    "goals": Text("doelscores (GAS)"), "activities": Text("activiteiten"),
    "attendance": Text("aanwezigheid"), "contacts": Text("contacten"),
    "msc_stories": Text("verhalen (MSC)"), "responses": Text("antwoorden"),
    "transcripts": Text("interviews en open antwoorden"), "codebook": Text("codes"),
    "codings": Text("gecodeerde stukken"),
    "theory_steps": Text("stappen van de verandertheorie"),
    "quarantine": Text("afgekeurde rijen"),
}


def language(lang: str = "nl"):
    """Set the notebook's language and return ``T(nl, en)``, which picks one of the two.

    Also sets the language of ``impact.rendering``, which ``impact.show`` uses to format numbers.
    """
    from impact.rendering import use

    lang = use(lang=lang).lang

    T = translator(lang)

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
    raise StudyError(Text("De periode '{value}' begrijp ik niet. Schrijf bijvoorbeeld \"2022\", "
                          "\"2022-01..2022-06\" of (\"2022-01-01\", \"2022-12-31\").",
                          value=value))


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
        return self._kept(("once", key), make)

    def shared(self, key, make):
        """``make()`` worked out once for these tables by all processes of the study (the kernels of a build,
        the infographic, the next build), kept in ``data/cache/shared`` while the tables it used stay the same
        (``impact.data.shared``). For costly results several pages need; ``make()`` must give the same result
        for the same tables, and ``key`` must name everything else it depends on.

        Example (in a notebook)::

            agree = tables.shared("agreement", lambda: coding.agreement_with_answers(corpus))
        """
        from impact.data.shared import SharedResults

        cached = ("shared", key)
        if cached not in self._cache:
            store = self._cache.get(("shared-store",))
            if store is None:
                scope = (tuple(self.district) if self.district else None, self.period)
                store = self._cache[("shared-store",)] = SharedResults(self.study, scope)
            self._cache[cached], self._cache[("used", cached)] = store.value(key, make)
        used = self._cache[("used", cached)]
        reads.touch(*used)
        for name in used:  # an input of the page being built, also when another process worked it out
            reads.note(self.study.processed / f"{name}.parquet")
        return self._cache[cached]

    def _kept(self, key, make):
        """A result kept in the cache, with the tables it used (told to ``reads.tables_used`` on every use)."""
        if key not in self._cache:
            with reads.tables_used() as used:
                self._cache[key] = make()
            self._cache[("used", key)] = frozenset(used)
        else:
            reads.touch(*self._cache[("used", key)])
        return self._cache[key]

    def raw_table(self, name: str):
        """Table ``name`` without any filter (an empty table when it is not there)."""
        import polars as pl

        reads.touch(name)
        key = ("raw", name)
        if key not in self._cache:
            path = self.study.processed / f"{name}.parquet"
            reads.note(path)  # an input of the report being built (a missing table too)
            if path.is_file():
                self._cache[key] = read_table_file(path)
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
        def make():
            df = self.raw_table(name)
            if self.district:
                df = self._filter(df, name, _DISTRICT_BY, self._in_district)
            if self.period:
                df = self._filter(df, name, _PERIOD_BY, self._in_period)
            return df

        return self._kept(("filtered", name), make)

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
        from impact.privacy import suppress_small_cells

        return suppress_small_cells(frame, list(count_columns), k=self.k)

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


def interviews_only(transcripts):
    """The interviews of the documents table (open questionnaire answers are documents too)."""
    import polars as pl

    if "source_kind" not in transcripts.columns:
        return transcripts
    return transcripts.filter(pl.col("source_kind").fill_null("interview") == "interview")


def load(study=None, district=None, period=None) -> Tables:
    """The processed tables of ``study`` for ``district`` (name or list) and ``period``.

    Also sets ``k`` of ``impact.rendering`` (the study's smallest publishable
    count) for ``impact.show``.
    """
    st = find_study(study)
    districts = [district] if isinstance(district, str) else (list(district) if district else None)
    if districts:
        unknown = [d for d in districts if d not in st.config.districts]
        if unknown:
            raise StudyError(Text("Het stadsdeel '{value}' hoort niet bij deze studie. Kies uit: {districts}.",
                                  value=unknown[0], districts=', '.join(st.config.districts)))
    from impact.rendering import use

    use(k=st.config.privacy.k)
    return Tables(study=st, district=districts, period=parse_period(period))
