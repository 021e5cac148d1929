"""Scales, reliability and change between waves, honest about small numbers.

Functions take the long ``responses`` table (``respondent, wave, item,
value, value_num``) and an instrument, and return tidy polars tables that
are ready to chart; every result carries its ``n``. pingouin computes the
statistics; we only shape tables around it.

Example:
    >>> import polars as pl
    >>> scores = pl.DataFrame({"respondent": ["a", "b", "c"] * 2, "scale": ["x"] * 6,
    ...                        "wave": [1, 1, 1, 2, 2, 2], "score": [2.0, 3.0, 2.5, 3.0, 3.5, 3.0]})
    >>> change_per_person(scores).get_column("change").to_list()
    [1.0, 0.5, 0.5]
"""

from __future__ import annotations

from pathlib import Path

from impact.errors import InputError, Problem, Text
from impact.questionnaires.repeats import with_repeat_columns
from impact.questionnaires.xlsform import NUMERIC_TYPES, Instrument, read_xlsform
from impact.questionnaires.xpath import bounds

# Below this many pairs a result is shown, but marked as resting on few people.
SMALL_N = 10


def _form(instrument) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else read_xlsform(Path(instrument))


def scale_items(instrument) -> list[dict]:
    """The items of every scale: name, scale, reverse, low, high (the answer range).

    Example:
        >>> from pathlib import Path
        >>> import impact
        >>> items = scale_items(Path(impact.__file__).parent / "study_template/questionnaires/buurtbaners.xlsx")
        >>> [(i["item"], i["low"], i["high"]) for i in items if i["reverse"]][:2]
        [('se_4', 1.0, 5.0), ('net_3', 1.0, 5.0)]
    """
    form = _form(instrument)
    out = []
    for q in form.questions.iter_rows(named=True):
        if not q["scale"]:
            continue
        low, high = bounds(q["constraint"])
        if q["type"] == "select_one":
            numbers = []
            for c in form.choice_list(q["list"]):
                try:
                    numbers.append(float(c["name"]))
                except ValueError:
                    pass
            if numbers:
                low, high = min(numbers), max(numbers)
        elif q["type"] not in NUMERIC_TYPES:
            raise InputError(Text("{name}: de vraag '{name2}' hoort bij schaal '{scale}', maar is geen getal.",
                                  name=form.path.name, name2=q['name'], scale=q['scale']), [Problem(form.path.name, None, "scale", q["scale"], Text("een vraag van het type integer, "
                                                                        "decimal of select_one met getallen"))])
        if q["reverse"] and (low is None or high is None):
            raise InputError(Text("{name}: de vraag '{name2}' wordt omgedraaid (reverse), maar de laagste en "
                                  "hoogste waarde zijn onbekend. Zet een regel als '. >= 1 and . <= 5' in de "
                                  "kolom constraint.",
                                  name=form.path.name, name2=q['name']))
        out.append({"item": q["name"], "scale": q["scale"], "reverse": bool(q["reverse"]),
                    "low": low, "high": high})
    return out


def _item_values(responses, instrument):
    """One row per respondent, wave, item with the value after reversing (``value_scored``)."""
    import polars as pl

    form = _form(instrument)
    items = scale_items(form)
    if not items:
        return pl.DataFrame(schema={"respondent": pl.String, "wave": pl.Int8, "scale": pl.String,
                                    "item": pl.String, "value_scored": pl.Float64, "repeat_index": pl.String}), items
    meta = pl.DataFrame(items).with_columns(pl.col("low").cast(pl.Float64), pl.col("high").cast(pl.Float64))
    df = responses
    if "instrument" in df.columns:
        df = df.filter(pl.col("instrument") == form.name)
    df = with_repeat_columns(df)
    df = df.join(meta, on="item", how="inner").with_columns(
        pl.when(pl.col("reverse"))
        .then(pl.col("low") + pl.col("high") - pl.col("value_num"))
        .otherwise(pl.col("value_num"))
        .alias("value_scored")
    )
    return df.select("respondent", "wave", "scale", "item", "value_scored", "repeat_index"), items


def scale_scores(responses, instrument, *, min_share: float = 0.5, per_instance: bool = False):
    """Scale score per respondent and wave: the mean of the scale's items, reverse items turned.

    A score needs at least ``min_share`` of the scale's items answered;
    otherwise ``score`` is null (the row stays, with ``n_answered``).

    Returns columns respondent, wave, scale, score, n_items, n_answered
    (with ``per_instance``: also repeat_index, one score per instance of the
    repeat group the scale's items are in).

    Notes: a reverse item on a range low..high scores ``low + high - value``.
    A scale inside a repeat group scores per respondent as the mean over all
    its items in all instances (``n_answered`` then counts every answer).
    """
    import polars as pl

    values, items = _item_values(responses, instrument)
    n_items = {}
    for i in items:
        n_items[i["scale"]] = n_items.get(i["scale"], 0) + 1
    keys = ["respondent", "wave"] + (["repeat_index"] if per_instance else []) + ["scale"]
    per = values.group_by(*keys).agg(
        pl.col("value_scored").drop_nulls().mean().alias("mean"),
        pl.col("value_scored").drop_nulls().len().alias("n_answered"),
    )
    per = per.with_columns(pl.col("scale").replace_strict(n_items, return_dtype=pl.Int32).alias("n_items"))
    per = per.with_columns(
        pl.when(pl.col("n_answered") >= pl.col("n_items") * min_share).then(pl.col("mean")).otherwise(None)
        .alias("score"),
        pl.col("n_answered").cast(pl.Int32),
    )
    return per.select(*keys, "score", "n_items", "n_answered").sort(
        "scale", "wave", "respondent", *(["repeat_index"] if per_instance else []))


def _wide(values, scale: str, wave):
    import polars as pl

    part = values.filter((pl.col("scale") == scale) & (pl.col("wave") == wave))
    wide = part.pivot(on="item", index="respondent", values="value_scored", aggregate_function="first")
    return wide.drop("respondent").to_pandas()


def cronbach_by_scale(responses, instrument, *, ci: float = 0.95):
    """Cronbach's alpha with its confidence interval, per scale and wave.

    Respondents with all items of the scale answered count (listwise). The
    interval is Feldt's (pingouin). Returns scale, wave, n, k, alpha,
    ci_low, ci_high, note.

    Notes: alpha = k/(k-1) * (1 - sum of item variances / variance of the
    sum). Cronbach (1951), Psychometrika 16, 297-334; interval: Feldt,
    Woodruff & Salih (1987), Applied Psychological Measurement 11, 93-103.
    """
    import pingouin as pg
    import polars as pl

    values, items = _item_values(responses, instrument)
    rows = []
    for scale in sorted({i["scale"] for i in items}):
        k = sum(1 for i in items if i["scale"] == scale)
        for wave in sorted(values.filter(pl.col("scale") == scale)["wave"].unique().drop_nulls().to_list()):
            wide = _wide(values, scale, wave).dropna()
            n = len(wide)
            row = {"scale": scale, "wave": wave, "n": n, "k": k, "alpha": None, "ci_low": None,
                   "ci_high": None, "note": None}
            if k < 2 or wide.shape[1] < k or n < 3:
                row["note"] = "te weinig gegevens / too little data"
            elif (wide.var(ddof=1) == 0).all() or wide.sum(axis=1).var(ddof=1) == 0:
                row["note"] = "geen spreiding / no variance"
            else:
                alpha, interval = pg.cronbach_alpha(data=wide, nan_policy="listwise", ci=ci)
                row.update(alpha=float(alpha), ci_low=float(interval[0]), ci_high=float(interval[1]))
                if n < SMALL_N:
                    row["note"] = "weinig mensen / few people"
            rows.append(row)
    schema = {"scale": pl.String, "wave": pl.Int8, "n": pl.Int32, "k": pl.Int32, "alpha": pl.Float64,
              "ci_low": pl.Float64, "ci_high": pl.Float64, "note": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def item_rest_correlations(responses, instrument):
    """Per scale, wave and item: the correlation of the item with the sum of the other items.

    Complete cases only. Returns scale, wave, item, n, r_item_rest,
    alpha_if_deleted. A low or negative value points at an item that does not
    fit the scale (or a reverse item that was not marked ``reverse``).
    """
    import pingouin as pg
    import polars as pl

    values, items = _item_values(responses, instrument)
    rows = []
    for scale in sorted({i["scale"] for i in items}):
        for wave in sorted(values.filter(pl.col("scale") == scale)["wave"].unique().drop_nulls().to_list()):
            wide = _wide(values, scale, wave).dropna()
            n = len(wide)
            for item in wide.columns:
                rest = wide.drop(columns=[item])
                r = alpha_del = None
                if n >= 3 and rest.shape[1] >= 1:
                    rest_sum = rest.sum(axis=1)
                    if wide[item].std() > 0 and rest_sum.std() > 0:
                        r = float(wide[item].corr(rest_sum))
                    if rest.shape[1] >= 2 and rest.sum(axis=1).var(ddof=1) > 0:
                        alpha_del = float(pg.cronbach_alpha(data=rest, nan_policy="listwise")[0])
                rows.append({"scale": scale, "wave": wave, "item": item, "n": n,
                             "r_item_rest": r, "alpha_if_deleted": alpha_del})
    schema = {"scale": pl.String, "wave": pl.Int8, "item": pl.String, "n": pl.Int32,
              "r_item_rest": pl.Float64, "alpha_if_deleted": pl.Float64}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def change_per_person(scores, *, before: int = 1, after: int = 2, value: str = "score",
                      by: str = "scale", subject: str = "respondent", wave: str = "wave"):
    """Per person (and scale): the value at ``before``, at ``after`` and the change; only people with both."""
    import polars as pl

    keys = [subject] + ([by] if by else [])
    a = scores.filter(pl.col(wave) == before).select(*keys, pl.col(value).alias("before"))
    b = scores.filter(pl.col(wave) == after).select(*keys, pl.col(value).alias("after"))
    both = a.join(b, on=keys, how="inner").drop_nulls(["before", "after"])
    return both.with_columns((pl.col("after") - pl.col("before")).alias("change")).sort(
        ([by] if by else []) + [subject])


def _get(frame, *names):
    """First cell of the first column that exists: pingouin renamed columns (``p-val`` -> ``p_val``) in 0.6."""
    for name in names:
        if name in frame.columns:
            return frame[name].iloc[0]
    raise KeyError(names)


def _rank_biserial(x, y) -> float:
    """Matched-pairs rank-biserial correlation of ``y - x`` (King, Rosopa & Minium, 2011)."""
    import numpy as np
    from scipy.stats import rankdata

    d = np.asarray(y, dtype=float) - np.asarray(x, dtype=float)
    d = d[d != 0]
    if len(d) == 0:
        return float("nan")
    ranks = rankdata(np.abs(d))
    plus, minus = ranks[d > 0].sum(), ranks[d < 0].sum()
    return float((plus - minus) / (plus + minus))


def paired_change(scores, *, before: int = 1, after: int = 2, value: str = "score", by: str | None = "scale",
                  subject: str = "respondent", wave: str = "wave", test: str = "auto",
                  confidence: float = 0.95, n_boot: int = 2000, seed: int = 42):
    """Change between two waves for the same people, with a test chosen by the data.

    ``test="auto"``: the Shapiro-Wilk test on the differences decides; with
    p > .05 (and n >= 3) a paired t-test with Cohen's d_z, otherwise the
    Wilcoxon signed-rank test with the matched-pairs rank-biserial
    correlation (bootstrap interval, fixed ``seed``). ``test="t"`` or
    ``"wilcoxon"`` forces one. Differences are ``after - before``.

    Returns one row per ``by`` group: by, wave_before, wave_after, n,
    mean_before, mean_after, mean_change, median_change, ci_low, ci_high
    (of the mean change, t-test only), test, statistic, dof, p,
    effect_size_name, effect_size, es_ci_low, es_ci_high, normality_p, note.
    ``note`` says when the numbers are too small to test or few.

    Examples:
        Student's sleep data (Cushny & Peebles 1905, in Student 1908) give
        t = 4.06, df = 9, p = 0.0028 with ``test="t"``; see the tests.
    """
    import numpy as np
    import pingouin as pg
    import polars as pl

    pairs = change_per_person(scores, before=before, after=after, value=value, by=by or "",
                              subject=subject, wave=wave)
    groups = sorted(pairs[by].unique().to_list()) if by else [None]
    rows = []
    for group in groups:
        part = pairs.filter(pl.col(by) == group) if by else pairs
        x = np.asarray(part["before"].to_list(), dtype=float)
        y = np.asarray(part["after"].to_list(), dtype=float)
        d = y - x
        n = len(d)
        row = {"group": group, "wave_before": before, "wave_after": after, "n": n,
               "mean_before": float(x.mean()) if n else None, "mean_after": float(y.mean()) if n else None,
               "mean_change": float(d.mean()) if n else None,
               "median_change": float(np.median(d)) if n else None,
               "ci_low": None, "ci_high": None, "test": None, "statistic": None, "dof": None, "p": None,
               "effect_size_name": None, "effect_size": None, "es_ci_low": None, "es_ci_high": None,
               "normality_p": None, "note": None}
        if n < 2 or np.all(d == 0):
            row["note"] = ("te weinig mensen om te toetsen / too few people to test" if n < 2
                           else "geen verandering bij iemand / nobody changed")
            rows.append(row)
            continue
        chosen = test
        if n >= 3 and np.std(d) > 0:
            row["normality_p"] = float(_get(pg.normality(d), "pval", "p_val", "p-val"))
        if test == "auto":
            chosen = "t" if (row["normality_p"] is not None and row["normality_p"] > 0.05) else "wilcoxon"
        if chosen == "t" and np.std(d, ddof=1) > 0:
            res = pg.ttest(y, x, paired=True, confidence=confidence)
            dz = float(d.mean() / d.std(ddof=1))
            es_ci = pg.compute_esci(stat=dz, nx=n, ny=n, paired=True, eftype="cohen",
                                    confidence=confidence, decimals=6)
            level = int(round(confidence * 100))
            interval = _get(res, f"CI{level}", f"CI{level}%")
            row.update(test="paired t-test", statistic=float(_get(res, "T")), dof=float(_get(res, "dof")),
                       p=float(_get(res, "p_val", "p-val")), ci_low=float(interval[0]), ci_high=float(interval[1]),
                       effect_size_name="cohen_dz", effect_size=dz,
                       es_ci_low=float(es_ci[0]), es_ci_high=float(es_ci[1]))
        else:
            res = pg.wilcoxon(y, x, alternative="two-sided")
            rbc = _rank_biserial(x, y)
            row.update(test="wilcoxon signed-rank", statistic=float(_get(res, "W_val", "W-val")),
                       p=float(_get(res, "p_val", "p-val")), effect_size_name="rank_biserial", effect_size=rbc)
            if n >= 5 and len(set(d.tolist())) > 1:
                boot = pg.compute_bootci(x, y, func=_rank_biserial, paired=True, n_boot=n_boot,
                                         confidence=confidence, seed=seed, decimals=6, method="per")
                row.update(es_ci_low=float(boot[0]), es_ci_high=float(boot[1]))
        if n < SMALL_N:
            row["note"] = f"weinig mensen (n = {n}): lees met zorg / few people (n = {n}): read with care"
        rows.append(row)
    schema = {"group": pl.String, "wave_before": pl.Int8, "wave_after": pl.Int8, "n": pl.Int32,
              "mean_before": pl.Float64, "mean_after": pl.Float64, "mean_change": pl.Float64,
              "median_change": pl.Float64, "ci_low": pl.Float64, "ci_high": pl.Float64, "test": pl.String,
              "statistic": pl.Float64, "dof": pl.Float64, "p": pl.Float64, "effect_size_name": pl.String,
              "effect_size": pl.Float64, "es_ci_low": pl.Float64, "es_ci_high": pl.Float64,
              "normality_p": pl.Float64, "note": pl.String}
    for r in rows:
        if r["group"] is not None:
            r["group"] = str(r["group"])
    out = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return out.rename({"group": by}) if by else out.drop("group")


def crosstab_test(data, row: str, col: str, *, correction: bool = True, lang: str = "nl"):
    """Chi-square test of independence with Cramer's V for two categorical columns.

    Returns one row: row, col, n, chi2, dof, p, cramer_v, min_expected,
    share_expected_below_5, note. Yates' correction applies only to 2x2
    tables (``correction``). ``note`` warns when more than 20% of the expected
    counts are below 5 (Cochran's rule): then the p-value is not reliable. The note is in ``lang``.

    Notes: V = sqrt(chi2 / (n * (min(r, c) - 1))), Cramer (1946).
    """
    import pingouin as pg
    import polars as pl

    df = data.select(pl.col(row).cast(pl.String), pl.col(col).cast(pl.String)).drop_nulls()
    n = df.height
    base = {"row": row, "col": col, "n": n, "chi2": None, "dof": None, "p": None, "cramer_v": None,
            "min_expected": None, "share_expected_below_5": None, "note": None}
    if n == 0 or df[row].n_unique() < 2 or df[col].n_unique() < 2:
        base["note"] = Text("te weinig verschillende antwoorden")(lang)
    else:
        import warnings

        with warnings.catch_warnings():  # small cells are reported in our own note
            warnings.simplefilter("ignore", UserWarning)
            expected, _observed, stats = pg.chi2_independence(df.to_pandas(), x=row, y=col,
                                                              correction=correction)
        pearson = stats[stats["test"] == "pearson"].iloc[0]
        values = expected.to_numpy().ravel()
        share = float((values < 5).mean())
        base.update(chi2=float(pearson["chi2"]), dof=float(pearson["dof"]),
                    p=float(pearson["pval"] if "pval" in pearson.index else pearson["p_val"]),
                    cramer_v=float(pearson["cramer"]), min_expected=float(values.min()),
                    share_expected_below_5=share)
        if share > 0.2:
            base["note"] = Text("te weinig antwoorden per vakje: de p-waarde is niet betrouwbaar")(lang)
    schema = {"row": pl.String, "col": pl.String, "n": pl.Int32, "chi2": pl.Float64, "dof": pl.Float64,
              "p": pl.Float64, "cramer_v": pl.Float64, "min_expected": pl.Float64,
              "share_expected_below_5": pl.Float64, "note": pl.String}
    return pl.DataFrame([base], schema=schema, orient="row")


def ladder_transitions(responses, *, item: str = "ladder", before: int = 1, after: int = 2,
                       instrument: str | None = None):
    """From which Participatieladder step to which step people moved between two waves.

    Returns from_step, to_step, direction (``up``/``same``/``down``), n, share
    (of the people with both waves), sorted by step.
    """
    import polars as pl

    df = responses.filter(pl.col("item") == item)
    if instrument is not None and "instrument" in df.columns:
        df = df.filter(pl.col("instrument") == instrument)
    steps = df.select("respondent", "wave", pl.col("value_num").cast(pl.Int8).alias("step")).drop_nulls()
    a = steps.filter(pl.col("wave") == before).select("respondent", pl.col("step").alias("from_step"))
    b = steps.filter(pl.col("wave") == after).select("respondent", pl.col("step").alias("to_step"))
    both = a.join(b, on="respondent", how="inner")
    total = both.height
    out = both.group_by("from_step", "to_step").agg(pl.len().cast(pl.Int32).alias("n")).with_columns(
        pl.when(pl.col("to_step") > pl.col("from_step")).then(pl.lit("up"))
        .when(pl.col("to_step") < pl.col("from_step")).then(pl.lit("down"))
        .otherwise(pl.lit("same")).alias("direction"),
        (pl.col("n") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share"),
    )
    return out.select("from_step", "to_step", "direction", "n", "share").sort("from_step", "to_step")


__all__ = ["scale_items", "scale_scores", "cronbach_by_scale", "item_rest_correlations", "change_per_person",
           "paired_change", "crosstab_test", "ladder_transitions", "SMALL_N"]
