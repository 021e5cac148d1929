"""Who proposed which question, in which co-design round.

The ``proposed_by`` and ``round`` columns of an XLSForm record the
co-design: the key persons wrote many questions themselves, and reports say
so. ``proposed_by`` holds a role (``sleutelpersonen``, ``onderzoeker``) or a
co-researcher's study code; the report shows a code only for people who
agreed to be named (consent ``named_as_coresearcher``).

Example:
    >>> from pathlib import Path
    >>> import impact
    >>> table = question_credits(Path(impact.__file__).parent / "study_template/questionnaires/buurtbaners.xlsx")
    >>> table.filter(table["item"] == "se_4").select("proposed_by", "round").row(0)
    ('BB07', '2')
"""

from __future__ import annotations

from pathlib import Path

from impact.questionnaires.xlsform import Instrument, read_xlsform


def _instruments(source) -> list[Instrument]:
    if isinstance(source, Instrument):
        return [source]
    if isinstance(source, (list, tuple)):
        return [f for s in source for f in _instruments(s)]
    folder = getattr(source, "questionnaires", None)
    path = Path(folder if folder is not None else source)
    if path.is_dir():
        return [read_xlsform(p) for p in sorted(path.glob("*.xlsx")) if not p.name.startswith(("~$", "."))]
    return [read_xlsform(path)]


def question_credits(source, lang: str = "nl"):
    """Credits of every question: instrument, item, label, proposed_by, round.

    ``source`` is a Study, a folder of XLSForms, one XLSForm path, an
    Instrument, or a list of these. Questions without ``proposed_by`` are
    left out. Sorted by instrument, round and form order.
    """
    import polars as pl

    rows = []
    for form in _instruments(source):
        for q in form.questions.iter_rows(named=True):
            if not q["proposed_by"] or q["type"] == "note":
                continue
            rows.append({"instrument": form.name, "item": q["name"], "label": form.label(q["name"], lang),
                         "proposed_by": q["proposed_by"], "round": q["round"], "order": q["order"]})
    schema = {"instrument": pl.String, "item": pl.String, "label": pl.String, "proposed_by": pl.String,
              "round": pl.String, "order": pl.Int32}
    df = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return df.sort("instrument", "round", "order", nulls_last=True).drop("order")


def credits_summary(credits):
    """Per proposer and round: how many questions. Ready for a report line or a chart."""
    import polars as pl

    return (credits.group_by("proposed_by", "round").agg(pl.len().cast(pl.Int32).alias("questions"),
                                                         pl.col("instrument").unique().sort().alias("instruments"))
            .sort("round", "proposed_by"))
