"""The study at a glance (notebook 00, and the line under every report's title).

What a report is about (``scope``, ``period_words``), how many rows each
processed table has (``table_counts``), the rows that were rejected
(``quarantine_summary``) and who did the research (``coresearchers``).

Example:
    >>> import datetime as dt
    >>> period_words(dt.date(2021, 9, 1), dt.date(2023, 12, 31))
    'september 2021 – december 2023'
"""

from __future__ import annotations

import datetime as dt

from impact.data.tables import TABLE_LABELS, Tables
from impact.errors import Text


MONTHS = [Text("januari"), Text("februari"), Text("maart"), Text("april"), Text("mei"), Text("juni"),
          Text("juli"), Text("augustus"), Text("september"), Text("oktober"), Text("november"),
          Text("december")]


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
        month = f"{MONTHS[d.month - 1](lang)} {d.year}"
        return f"{d.day} {month}" if days else month

    return f"{words(start)} – {words(end)}"


def scope(tables: Tables, lang: str = "nl") -> str:
    """One sentence: which study, district and period this notebook shows."""
    c = tables.study.config
    where = ", ".join(tables.district) if tables.district else Text("alle stadsdelen")(lang)
    if tables.period:
        when = period_words(*tables.period, lang=lang, days=True)
    elif c.period_start or c.period_end:
        when = period_words(c.period_start, c.period_end, lang=lang)
    else:
        when = Text("de hele looptijd")(lang)
    synthetic = Text(" De gegevens zijn verzonnen (demo).")(lang) if c.synthetic else ""
    return Text("Studie: {name}. Stadsdeel: {where}. Periode: {when}.{synthetic}",
                name=c.name, where=where, when=when, synthetic=synthetic)(lang)


def table_counts(tables: Tables, lang: str = "nl"):
    """Rows per processed table (after the filters): ``table``, ``rows``."""
    import polars as pl

    names = [n for n in TABLE_LABELS if n != "quarantine"]
    head = (Text("tabel")(lang), Text("rijen")(lang))
    return pl.DataFrame({head[0]: [TABLE_LABELS[n](lang) for n in names],
                         head[1]: [tables.table(n).height for n in names]},
                        schema={head[0]: pl.Utf8, head[1]: pl.Int64})


def quarantine_summary(tables: Tables, lang: str = "nl"):
    """Rejected raw rows per table and reason: ``table``, ``reason``, ``rows`` (no values shown)."""
    import polars as pl

    q = tables.raw_table("quarantine")
    head = (Text("tabel")(lang), Text("reden")(lang), Text("rijen")(lang))
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


