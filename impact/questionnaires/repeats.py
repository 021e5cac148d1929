"""Repeat groups: link each repeat row to the row it belongs to, number it, count per instance.

A repeat row names its parent the way its tool does (see
``impact.questionnaires.exports``): Kobo with ``_parent_index`` (the parent
row's ``_index``), ODK Central with ``PARENT_KEY`` (the parent row's
``KEY``), the entry workbook with ``respondent`` and ``wave`` (and an
optional ``index``). Whatever the tool, a row gets the same number: its
place among the rows of the same parent, in file order (ODK's ``KEY`` ends
in that same number: ``uuid:.../bezoeken[2]``).

Example:
    >>> import polars as pl
    >>> answers = pl.DataFrame({"respondent": ["R1", "R1", "R1", "R2"], "wave": [1, 1, 1, 1],
    ...                         "repeat": ["bezoeken"] * 4, "repeat_index": ["1", "1", "2", "1"],
    ...                         "item": ["keer", "waardering", "keer", "keer"], "value_num": [3.0, 4.0, 1.0, 2.0]})
    >>> repeat_instances(answers, "bezoeken").sort("respondent", "repeat_index").rows()
    [('R1', 1, '1', 2), ('R1', 1, '2', 1), ('R2', 1, '1', 1)]
"""

from __future__ import annotations

from impact.errors import Text
from impact.questionnaires.exports import KOBO_INDEX, KOBO_PARENT, ODK_KEY, ODK_PARENT
from impact.questionnaires.waves import parse_wave, whole_number

_ODK_OWN_KEYS = (ODK_KEY, "meta-instanceid", "instanceid")


def link_rows(form, sec, parent, who, wave):
    """For each row of repeat sheet ``sec``: the position of its parent row in ``parent`` (a checked
    sheet; null when not found, with an error) and its number among its parent's rows."""
    import polars as pl

    m = sec.mapped
    where_nl = f"blad '{parent.sec.sheet.sheet}'" if parent.sec.sheet.sheet else parent.sec.sheet.file
    if m.link == "kobo":
        sec.link_column = KOBO_PARENT
        keys = sec.cell(KOBO_PARENT).to_list()
        own = parent.sec.cell(KOBO_INDEX).to_list() if KOBO_INDEX in parent.sec.source else None
        expected = Text("het nummer uit de kolom _index van een rij van {where_nl}",
                        where_nl=where_nl, replace=where_nl.replace('blad', 'sheet'))
    elif m.link == "odk":
        sec.link_column = ODK_PARENT
        keys = sec.cell(ODK_PARENT).to_list()
        own_col = next((c for c in _ODK_OWN_KEYS if c in parent.sec.source), None)
        own = parent.sec.cell(own_col).to_list() if own_col else None
        expected = Text("de KEY van een rij van {where_nl}", where_nl=where_nl)
    else:
        rcol, wcol = m.meta_cols.get("respondent"), m.meta_cols.get("wave")
        sec.link_column = rcol
        waves = [(parse_wave(t) if t else None) for t in sec.cell(wcol).to_list()] if wcol else [wave] * sec.n
        keys = list(zip(sec.cell(rcol).to_list(), waves))
        own = list(zip(who.respondent.to_list(), who.wave.to_list()))
        expected = Text("een deelnemer en meting die op {where_nl} staan (de inzendingen)",
                        where_nl=where_nl, replace=where_nl.replace('blad', 'sheet'))
    shown = sec.cell(sec.link_column).to_list() if sec.link_column else [""] * sec.n
    if own is None:
        missing = KOBO_INDEX if m.link == "kobo" else ODK_KEY.upper()
        sec.add(pl.Series([True] * sec.n), lambda i: sec.problem(i, sec.link_column, shown[i], Text("een "
                                                                                                    "kolom "
                                                                                                    "{missing} "
                                                                                                    "op "
                                                                                                    "{where_nl}, "
                                                                                                    "om deze "
                                                                                                    "rij aan "
                                                                                                    "te "
                                                                                                    "koppelen",
                                                                                                    missing=missing, where_nl=where_nl, replace=where_nl.replace('blad', 'sheet'))))
        return pl.Series([None] * sec.n, dtype=pl.Int64), [None] * sec.n
    at: dict = {}
    for i, k in enumerate(own):
        if k not in at and k not in ("", None, ("", None)):
            at[k] = i
    position = [at.get(k) if k not in ("", None) else None for k in keys]
    sec.add(pl.Series([p is None for p in position], dtype=pl.Boolean),
            lambda i: sec.problem(i, sec.link_column, shown[i], expected))
    return pl.Series(position, dtype=pl.Int64), _numbers(sec, m, position)


def _numbers(sec, m, position: list) -> list:
    """Each row's number among its parent's rows: the ``index`` column of an entry sheet, else the
    place in file order."""
    import polars as pl

    if m.link == "plain" and "index" in m.meta_cols:
        col = m.meta_cols["index"]
        texts = sec.cell(col).to_list()
        numbers, first, bad = [], {}, []
        for i, (t, p) in enumerate(zip(texts, position)):
            k = whole_number(t, 1)
            numbers.append(k)
            if k is None:
                bad.append((i, Text("een volgnummer: 1, 2, 3")))
            elif p is not None and (p, k) in first:
                bad.append((i, Text("één rij per nummer; nummer {k} van deze inzending staat al in rij "
                                    "{value}",
                                    k=k, value=sec.lines[first[(p, k)]])))
            elif p is not None:
                first[(p, k)] = i
        messages = dict(bad)
        sec.add(pl.Series([j in messages for j in range(sec.n)], dtype=pl.Boolean),
                lambda j: sec.problem(j, col, texts[j], messages[j]))
        return numbers
    seen: dict = {}
    numbers = []
    for p in position:
        if p is None:
            numbers.append(None)
            continue
        seen[p] = seen.get(p, 0) + 1
        numbers.append(seen[p])
    return numbers




def with_repeat_columns(responses):
    """``responses`` with ``repeat`` and ``repeat_index`` (null) when a table from before repeat
    groups were read lacks them."""
    import polars as pl

    missing = [c for c in ("repeat", "repeat_index") if c not in responses.columns]
    return responses.with_columns([pl.lit(None, pl.String).alias(c) for c in missing]) if missing else responses


def repeat_instances(responses, repeat: str):
    """One row per instance of repeat group ``repeat``: respondent, wave, repeat_index and how many
    of its questions were answered (``n_answers``).

    A question answered with several options (select_multiple) counts once.
    """
    import polars as pl

    return (with_repeat_columns(responses).filter(pl.col("repeat") == repeat)
            .group_by("respondent", "wave", "repeat_index")
            .agg(pl.col("item").n_unique().cast(pl.Int64).alias("n_answers")))


def repeat_summary(responses, instrument, repeat: str, by: str, *, total: str | None = None,
                   mean: str | None = None, lang: str = "nl", k: int | None = None):
    """Per choice of ``by`` (a select_one inside repeat group ``repeat``): how many respondents chose
    it at least once (``respondents``, people), in how many instances (``instances``), the sum of
    question ``total`` over those instances and the mean of question ``mean``.

    Returns choice, label, respondents, instances, then ``total`` and ``mean`` when asked (named
    after their questions), most respondents first. An instance without an answer to ``total`` or
    ``mean`` counts as an instance, not in the sum or the mean. ``k``: a choice of fewer than ``k``
    respondents keeps its row but loses every number (small cells, as ``impact.privacy``).

    Example:
        >>> import polars as pl
        >>> from pathlib import Path
        >>> import impact
        >>> form = impact.read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners_vervolg.xlsx")
        >>> answers = pl.DataFrame({"instrument": ["bewoners_vervolg"] * 6, "respondent": ["R1", "R1", "R1", "R1", "R2", "R2"],
        ...     "wave": [3] * 6, "repeat": ["bezoeken"] * 6, "repeat_index": ["1", "1", "2", "2", "1", "1"],
        ...     "item": ["activiteit", "keer", "activiteit", "keer", "activiteit", "keer"],
        ...     "value": ["maaltijd", "4", "maaltijd", "2", "taalles", "6"], "value_num": [None, 4.0, None, 2.0, None, 6.0]})
        >>> repeat_summary(answers, form, "bezoeken", "activiteit", total="keer").rows()
        [('maaltijd', 'Samen eten', 1, 2, 6.0), ('taalles', 'Taalles', 1, 1, 6.0)]
    """
    import polars as pl

    from impact.questionnaires.xlsform import Instrument, read_xlsform

    form = instrument if isinstance(instrument, Instrument) else read_xlsform(instrument)
    keys = ["respondent", "wave", "repeat_index"]
    rows = with_repeat_columns(responses).filter((pl.col("instrument") == form.name) & (pl.col("repeat") == repeat))
    chosen = rows.filter(pl.col("item") == by).select(*keys, pl.col("value").alias("choice"))
    measures = []
    for name, how in ((total, "sum"), (mean, "mean")):
        if name is None:
            continue
        numbers = rows.filter(pl.col("item") == name).select(*keys, pl.col("value_num").alias(name))
        chosen = chosen.join(numbers, on=keys, how="left")
        measures.append(getattr(pl.col(name), how)().alias(name))
    out = chosen.group_by("choice").agg(pl.col("respondent").n_unique().cast(pl.Int64).alias("respondents"),
                                        pl.len().cast(pl.Int64).alias("instances"), *measures)
    listed = form.question(by)["list"]
    labels = {c: form.choice_label(listed, c, lang) for c in out["choice"].to_list()}
    out = out.with_columns(pl.col("choice").replace_strict(labels, return_dtype=pl.String).alias("label"))
    out = (out.select("choice", "label", "respondents", "instances", *[m for m in (total, mean) if m])
           .sort(["respondents", "label"], descending=[True, False]))
    if k is not None:
        few = pl.col("respondents") < k
        out = out.with_columns([pl.when(few).then(None).otherwise(pl.col(c)).alias(c)
                                for c in out.columns if c not in ("choice", "label")])
    return out
