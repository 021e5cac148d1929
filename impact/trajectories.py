"""Research question 1: how do buurtbaners develop towards work?

Pure functions over the processed ``trajectory_events`` and ``goals``
tables (see docs/data-model.md), plus the Altair charts a notebook shows.
Persons stay pseudonyms; the only labels a reader sees are neutral
numbers ("Buurtbaner 1"), given in order of start date.

Example:
    >>> import datetime as dt, polars as pl
    >>> d = dt.date
    >>> events = pl.DataFrame({
    ...     "person": ["p_a", "p_a", "p_b", "p_b"],
    ...     "date": [d(2022, 1, 1), d(2022, 7, 1), d(2022, 2, 1), d(2022, 5, 1)],
    ...     "kind": ["start", "follow_on_job", "start", "drop_out"],
    ...     "hours": [None, None, None, None], "ladder_step": [None, None, None, None]})
    >>> outcome_funnel(events)["persons"].to_list()
    [2, 1, 0, 1, 1]
"""

from __future__ import annotations

import datetime as dt

from impact.errors import Text, require_columns
from impact.vocabulary import EVENT_KINDS, GREY, LADDER_STEPS, PALETTE, labels

FUNNEL_STAGES: list[tuple[str, Text]] = [
    ("placed", Text("Gestart")),
    ("still_in_job", Text("Niet uitgevallen")),
    ("promise_of_contract", Text("Belofte van een contract")),
    ("follow_on_job", Text("Vervolgbaan")),
    ("drop_out", Text("Eerder gestopt")),
]

# the published figure (impact.figures) of each stage, so the funnel chart shows what the page shows
FUNNEL_FIGURES = {"placed": "buurtbaners_placed", "still_in_job": "still_in_buurtbaan",
                  "promise_of_contract": "contract_promises", "follow_on_job": "follow_on_jobs",
                  "drop_out": "drop_outs"}

DAYS_PER_MONTH = 365.25 / 12

_REQUIRED = {"person", "date", "kind"}


def _check(events, columns=_REQUIRED, table: str = "trajectory_events") -> None:
    require_columns(events, columns, table)


def person_labels(events, lang: str = "nl"):
    """A neutral label per person: "Buurtbaner 1", "Buurtbaner 2", ...

    Numbered by first start date (then pseudonym, for a stable order), so a
    label says nothing about who someone is.

    Returns a table ``person``, ``label``, ``start`` (date).
    """
    import polars as pl

    _check(events)
    word = Text("Buurtbaner")(lang)
    starts = (events.group_by("person")
              .agg(pl.col("date").filter(pl.col("kind") == "start").min().alias("start"),
                   pl.col("date").min().alias("_first"))
              .with_columns(pl.coalesce("start", "_first").alias("_order"))
              .sort(["_order", "person"]))
    return starts.select(
        "person",
        pl.format(word + " {}", pl.int_range(1, pl.len() + 1)).alias("label"),
        pl.col("_order").alias("start"),
    )


def timelines(events, lang: str = "nl"):
    """Every event with the person's label and months since their start.

    Returns ``label``, ``date``, ``kind``, ``event`` (readable, in ``lang``),
    ``months`` (since start, one decimal), ``hours``, ``ladder_step``;
    no pseudonyms, so the table can be shown.
    """
    import polars as pl

    names = labels(EVENT_KINDS, lang)
    out = (events.join(person_labels(events, lang), on="person", how="left")
           .with_columns(((pl.col("date") - pl.col("start")).dt.total_days() / DAYS_PER_MONTH)
                         .round(1).alias("months"),
                         pl.col("kind").replace_strict(names, default=pl.col("kind")).alias("event"))
           .sort(["start", "label", "date"]))
    cols = ["label", "date", "kind", "event", "months"]
    cols += [c for c in ("hours", "ladder_step") if c in out.columns]
    return out.select(cols)


def ladder_over_time(events):
    """Participatieladder steps over time, one row per ladder measurement.

    A step counts from the ``ladder_step`` events; ``months`` is the time
    since the person's start. Returns ``person``, ``date``, ``months``,
    ``ladder_step`` (int).
    """
    import polars as pl

    _check(events, _REQUIRED | {"ladder_step"})
    starts = person_labels(events)
    return (events.filter((pl.col("kind") == "ladder_step") & pl.col("ladder_step").is_not_null())
            .join(starts.select("person", "start"), on="person", how="left")
            .select("person", "date",
                    ((pl.col("date") - pl.col("start")).dt.total_days() / DAYS_PER_MONTH)
                    .round(1).alias("months"),
                    pl.col("ladder_step").cast(pl.Int64))
            .sort(["person", "date"]))


def ladder_change(events):
    """First and last ladder step per person and how many steps they moved.

    Returns ``person``, ``first_step``, ``last_step``, ``change`` (last - first).
    """
    import polars as pl

    steps = ladder_over_time(events)
    return (steps.group_by("person")
            .agg(pl.col("ladder_step").first().alias("first_step"),
                 pl.col("ladder_step").last().alias("last_step"))
            .with_columns((pl.col("last_step") - pl.col("first_step")).alias("change"))
            .sort("person"))


def support_hours(events):
    """Hours of training and coaching per person.

    Returns ``person``, ``training``, ``coaching``, ``total`` (hours, 0 when
    none were recorded).
    """
    import polars as pl

    _check(events, _REQUIRED | {"hours"})
    people = events.select("person").unique()
    hours = (events.filter(pl.col("kind").is_in(["training", "coaching"]))
             .group_by("person")
             .agg(pl.col("hours").filter(pl.col("kind") == "training").sum().alias("training"),
                  pl.col("hours").filter(pl.col("kind") == "coaching").sum().alias("coaching")))
    return (people.join(hours, on="person", how="left")
            .with_columns(pl.col("training").fill_null(0.0).cast(pl.Float64),
                          pl.col("coaching").fill_null(0.0).cast(pl.Float64))
            .with_columns((pl.col("training") + pl.col("coaching")).alias("total"))
            .sort("person"))


def outcome_funnel(events, lang: str = "nl"):
    """How many people reached each stage: placed -> ... -> follow-on job / drop-out.

    ``placed``: has a ``start`` event. ``still_in_job``: placed and no
    ``drop_out`` event (still in the buurtbaan, or finished it).
    ``promise_of_contract``, ``follow_on_job``, ``drop_out``: placed and has
    that event. Each person counts once per stage.

    Returns ``stage``, ``label`` (in ``lang``), ``persons``, ``share`` (of placed).
    """
    import polars as pl

    _check(events)
    placed = set(events.filter(pl.col("kind") == "start")["person"].to_list())

    def having(kind: str) -> set:
        return placed & set(events.filter(pl.col("kind") == kind)["person"].to_list())

    counts = {
        "placed": len(placed),
        "still_in_job": len(placed - having("drop_out")),
        "promise_of_contract": len(having("promise_of_contract")),
        "follow_on_job": len(having("follow_on_job")),
        "drop_out": len(having("drop_out")),
    }
    total = counts["placed"]
    return pl.DataFrame({
        "stage": [s for s, _ in FUNNEL_STAGES],
        "label": [t(lang) for _, t in FUNNEL_STAGES],
        "persons": [counts[s] for s, _ in FUNNEL_STAGES],
        "share": [round(counts[s] / total, 3) if total else None for s, _ in FUNNEL_STAGES],
    }, schema={"stage": pl.Utf8, "label": pl.Utf8, "persons": pl.Int64, "share": pl.Float64})


def persons_with_event(events, kind: str) -> list[str]:
    """The placed buurtbaners (with a ``start``) who have an event of ``kind``, sorted."""
    import polars as pl

    _check(events)
    placed = set(events.filter(pl.col("kind") == "start")["person"].to_list())
    return sorted(placed & set(events.filter(pl.col("kind") == kind)["person"].to_list()))


def time_to_follow_on(events, as_of: dt.date | None = None):
    """Time from start to a follow-on job, with censoring, one row per person.

    * a ``follow_on_job`` event: ``event`` is true, time = start to that date;
    * a ``drop_out`` first: censored at the drop-out date (they left the
      study's sight);
    * otherwise: censored at ``as_of`` (default: the last date in ``events``).

    Returns ``person``, ``days`` (int), ``months`` (float), ``event`` (bool).
    People without a ``start`` event are left out.
    """
    import polars as pl

    _check(events)
    if as_of is None:
        as_of = events["date"].max()
    per = (events.group_by("person")
           .agg(pl.col("date").filter(pl.col("kind") == "start").min().alias("start"),
                pl.col("date").filter(pl.col("kind") == "follow_on_job").min().alias("job"),
                pl.col("date").filter(pl.col("kind") == "drop_out").min().alias("drop"))
           .filter(pl.col("start").is_not_null()))
    event = pl.col("job").is_not_null() & (pl.col("drop").is_null() | (pl.col("job") <= pl.col("drop")))
    stop = (pl.when(event).then(pl.col("job"))
            .when(pl.col("drop").is_not_null()).then(pl.col("drop"))
            .otherwise(pl.lit(as_of, dtype=pl.Date)))
    return (per.with_columns(event.alias("event"), stop.alias("stop"))
            .with_columns((pl.col("stop") - pl.col("start")).dt.total_days().clip(0).alias("days"))
            .select("person", pl.col("days").cast(pl.Int64),
                    (pl.col("days") / DAYS_PER_MONTH).round(2).alias("months"), "event")
            .sort("person"))


def kaplan_meier(durations, time: str = "months", event: str = "event", alpha: float = 0.05):
    """Kaplan-Meier estimate of the share still *without* a follow-on job.

    Uses ``statsmodels.duration.SurvfuncRight``. The pointwise confidence
    band uses the log(-log) transform (Kalbfleisch & Prentice), which stays
    between 0 and 1.

    Returns ``time``, ``at_risk``, ``events``, ``survival``, ``ci_lower``,
    ``ci_upper``, ``share_with_job`` (1 - survival), starting with a row at
    time 0 (survival 1).

    Notes:
        S(t) = prod over event times t_i <= t of (1 - d_i / n_i), with d_i the
        events and n_i the people at risk just before t_i.
    """
    import numpy as np
    import polars as pl
    from scipy.stats import norm
    from statsmodels.duration.survfunc import SurvfuncRight

    schema = {"time": pl.Float64, "at_risk": pl.Int64, "events": pl.Int64, "survival": pl.Float64,
              "ci_lower": pl.Float64, "ci_upper": pl.Float64, "share_with_job": pl.Float64}
    t = durations[time].cast(pl.Float64).to_numpy()
    e = durations[event].cast(pl.Int64).to_numpy()
    rows = {k: [v] for k, v in zip(schema, [0.0, len(t), 0, 1.0, 1.0, 1.0, 0.0])}
    if len(t) and e.sum() > 0:
        sf = SurvfuncRight(t, e)
        s = sf.surv_prob
        z = norm.ppf(1 - alpha / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            # se of log(-log S) by the delta method
            se = sf.surv_prob_se / (s * np.abs(np.log(s)))
            lo = np.where((s > 0) & (s < 1), s ** np.exp(z * se), np.nan)
            hi = np.where((s > 0) & (s < 1), s ** np.exp(-z * se), np.nan)
        rows["time"] += [float(x) for x in sf.surv_times]
        rows["at_risk"] += [int(x) for x in sf.n_risk]
        rows["events"] += [int(x) for x in sf.n_events]
        rows["survival"] += [float(x) for x in s]
        rows["ci_lower"] += [None if np.isnan(x) else float(x) for x in lo]
        rows["ci_upper"] += [None if np.isnan(x) else float(x) for x in hi]
        rows["share_with_job"] += [float(1 - x) for x in s]
    return pl.DataFrame(rows, schema=schema)


def gas_over_time(goals):
    """Goal Attainment Scaling T-score per person per scoring date.

    Uses ``impact.questionnaires.gas_scores`` (Kiresuk-Sherman, rho 0.3) on
    the weighted goal levels scored on that date. Returns ``person``,
    ``date``, ``goals`` (number scored), ``tscore``.
    """
    import polars as pl

    from impact.questionnaires import gas_scores

    _check(goals, {"person", "date", "level"}, "goals")
    scores = gas_scores(goals)
    return (scores.select("person", "date", pl.col("n_goals").cast(pl.Int64).alias("goals"),
                          pl.col("t_score").cast(pl.Float64).alias("tscore"))
            .sort(["person", "date"]))


def gas_change(goals):
    """First and last GAS T-score per person. Returns ``person``, ``first``, ``last``, ``change``."""
    import polars as pl

    scores = gas_over_time(goals)
    return (scores.group_by("person")
            .agg(pl.col("tscore").first().alias("first"), pl.col("tscore").last().alias("last"))
            .with_columns((pl.col("last") - pl.col("first")).round(1).alias("change"))
            .sort("person"))


# --- charts ---------------------------------------------------------------

def _words(lang: str, **texts: Text) -> dict[str, str]:
    return {k: text(lang) for k, text in texts.items()}


def timeline_chart(events, lang: str = "nl"):
    """Each buurtbaner's events on one line, by months since start (neutral labels)."""
    import altair as alt

    w = _words(lang, months=Text("Maanden sinds start"),
               who=Text("Buurtbaner"), event=Text("Gebeurtenis"))
    data = timelines(events, lang).to_pandas()
    kinds = [v(lang) for k, v in EVENT_KINDS.items() if k not in ("training", "coaching")]
    data = data[data["event"].isin(kinds)]
    # "Buurtbaner 2" before "Buurtbaner 10": order by the number, not the text
    order = sorted(dict.fromkeys(data["label"]), key=lambda s: (len(s), s))
    return alt.Chart(data).mark_point(filled=True, size=70).encode(
        x=alt.X("months:Q", title=w["months"]),
        y=alt.Y("label:N", title=w["who"], sort=order),
        color=alt.Color("event:N", title=w["event"], sort=kinds,
                        scale=alt.Scale(domain=kinds, range=PALETTE[:len(kinds)])),
        shape=alt.Shape("event:N", sort=kinds, legend=None),
    ).properties(width=520, height=max(120, 18 * len(order)))


def ladder_shares(events, k: int = 5, lang: str = "nl"):
    """Buurtbaners per ladder step per half year since their start, for the ladder chart.

    Each person counts once per half year (their last measurement in it). In each half year the steps
    with a small count (1 to k - 1; see ``impact.privacy.smallcells``, the half year's total is known
    from the bars) are taken together as one segment, "other steps", which then holds at least ``k``
    persons; a half year with fewer than ``k`` persons is left out. Returns ``half``, ``from_month``,
    ``step`` (label), ``order`` (1-6, 7 for the other steps), ``persons``.
    """
    import polars as pl

    from impact.privacy.smallcells import suppression_mask

    other = Text("andere treden (samen)")(lang)
    steps = ladder_over_time(events).with_columns((pl.col("months") // 6).cast(pl.Int64).clip(0).alias("half"))
    last = steps.sort("date").group_by(["person", "half"]).agg(pl.col("ladder_step").last())
    counts = last.group_by(["half", "ladder_step"]).agg(pl.len().cast(pl.Int64).alias("persons"))
    rows = []
    for half in sorted(counts["half"].unique().to_list()):
        part = counts.filter(pl.col("half") == half).sort("ladder_step")
        if part["persons"].sum() < k:
            continue
        cells = [[n] for n in part["persons"].to_list()]
        hidden = [h[0] for h in suppression_mask(cells, n_counts=1, k=k)]
        pooled = sum(n for (n,), h in zip(cells, hidden) if h)
        for (step, n), h in zip(part.select("ladder_step", "persons").iter_rows(), hidden):
            if not h:
                rows.append((half, half * 6, LADDER_STEPS[step](lang), step, n))
        if pooled:
            rows.append((half, half * 6, other, 7, pooled))
    return pl.DataFrame(rows, schema={"half": pl.Int64, "from_month": pl.Int64, "step": pl.Utf8,
                                      "order": pl.Int64, "persons": pl.Int64}, orient="row")


def ladder_chart(events, lang: str = "nl", k: int = 5):
    """Share of buurtbaners on each ladder step, by half year since start (small groups taken
    together: ``ladder_shares``)."""
    import altair as alt

    w = _words(lang, period=Text("Halfjaar sinds start"),
               share=Text("Deel van de buurtbaners"), step=Text("Trede"))
    data = ladder_shares(events, k, lang).to_pandas()
    names = [LADDER_STEPS[i](lang) for i in range(1, 7)] + [Text("andere treden (samen)")(lang)]
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("from_month:O", title=w["period"]),
        y=alt.Y("persons:Q", stack="normalize", title=w["share"], axis=alt.Axis(format="%")),
        color=alt.Color("step:N", title=w["step"], sort=names,
                        scale=alt.Scale(domain=names, range=list(PALETTE[:6]) + [GREY])),
        order=alt.Order("order:Q"),
    ).properties(width=420, height=260)


def hours_chart(events, lang: str = "nl"):
    """Distribution of training and coaching hours per buurtbaner (box plot)."""
    import altair as alt
    import polars as pl

    w = _words(lang, kind=Text("Soort steun"), hours=Text("Uren per buurtbaner"),
               training=Text("Opleiding"), coaching=Text("Coaching"))
    data = (support_hours(events)
            .unpivot(index="person", on=["training", "coaching"], variable_name="kind", value_name="hours")
            .with_columns(pl.col("kind").replace_strict({"training": w["training"], "coaching": w["coaching"]}))
            .drop("person").to_pandas())
    return alt.Chart(data).mark_boxplot(size=40).encode(
        x=alt.X("kind:N", title=w["kind"]),
        y=alt.Y("hours:Q", title=w["hours"]),
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(range=PALETTE[:2])),
    ).properties(width=300, height=260)


def funnel_chart(counts, lang: str = "nl", k: int = 5):
    """Horizontal bars: persons per stage of the outcome funnel, each with its number.

    ``counts``: the stages as the page shows them (``impact.figures.words.funnel_counts``: ``category``,
    ``count``, ``label``, ``small``); a hidden count reads ``< k`` or ``x``, never as a missing bar.
    """
    from impact.charts import count_bars

    w = _words(lang, persons=Text("Aantal personen"), stage=Text("Stap"))
    return count_bars(counts, "category", "count", k=k, category_title=w["stage"], value_title=w["persons"],
                      height=200)


def km_chart(curve, lang: str = "nl"):
    """Step curve: share of buurtbaners with a follow-on job over time (Kaplan-Meier)."""
    import altair as alt
    import polars as pl

    w = _words(lang, months=Text("Maanden sinds start"),
               share=Text("Deel met een vervolgbaan"))
    data = curve.with_columns((1 - pl.col("ci_upper")).alias("lo"), (1 - pl.col("ci_lower")).alias("hi")).to_pandas()
    base = alt.Chart(data)
    band = base.mark_area(interpolate="step-after", opacity=0.25, color=PALETTE[4]).encode(
        x="time:Q", y="lo:Q", y2="hi:Q")
    line = base.mark_line(interpolate="step-after", color=PALETTE[0]).encode(
        x=alt.X("time:Q", title=w["months"]),
        y=alt.Y("share_with_job:Q", title=w["share"], axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])))
    return (band + line).properties(width=420, height=260)


def gas_chart(goals, lang: str = "nl"):
    """GAS T-score per buurtbaner, first and last scoring (a line per person, neutral labels)."""
    import altair as alt
    import polars as pl

    w = _words(lang, moment=Text("Meting"), t=Text("GAS T-score (50 = doel gehaald)"),
               first=Text("eerste"), last=Text("laatste"))
    change = gas_change(goals)
    data = (change.with_columns(pl.int_range(1, pl.len() + 1).alias("n"))
            .unpivot(index="n", on=["first", "last"], variable_name="moment", value_name="tscore")
            .with_columns(pl.col("moment").replace_strict({"first": w["first"], "last": w["last"]}))
            .to_pandas())
    lines = alt.Chart(data).mark_line(color=PALETTE[4], opacity=0.6, point=True).encode(
        x=alt.X("moment:N", title=w["moment"], sort=[w["first"], w["last"]], axis=alt.Axis(labelAngle=0)),
        y=alt.Y("tscore:Q", title=w["t"], scale=alt.Scale(zero=False)),
        detail="n:N")
    rule = alt.Chart(data).mark_rule(color=PALETTE[5], strokeDash=[4, 4]).encode(y=alt.datum(50))
    return (lines + rule).properties(width=260, height=260)


def development_codes(codebook) -> list[str]:
    """Codes about development towards work: origin ``rq1`` and every code below them."""
    import polars as pl

    _check(codebook, {"code", "origin"}, "codebook")
    parent = dict(codebook.select("code", "parent").iter_rows()) if "parent" in codebook.columns else {}
    chosen = set(codebook.filter(pl.col("origin") == "rq1")["code"].to_list())
    changed = True
    while changed:  # children of chosen codes, however deep
        extra = {c for c, p in parent.items() if p in chosen and c not in chosen}
        chosen |= extra
        changed = bool(extra)
    return sorted(chosen)


def development_quotes(codings, transcripts, codebook, consent=None, n: int = 4, lang: str = "nl",
                       max_chars: int = 300):
    """Up to ``n`` interview quotes coded with a development code (see ``development_codes``).

    Picked by ``impact.quoting.pick`` (consent, each passage once, no names),
    spread over codes: the first quote of each code, then the second, and
    so on. Returns ``code``, ``quote``, ``who``.
    """
    import polars as pl

    from impact.quoting import pick

    found = pick(codings, transcripts, consent, codes=development_codes(codebook), per="code", n=n,
                 max_chars=max_chars, lang=lang)
    return (found.with_columns(pl.int_range(pl.len()).over("code").alias("rank"))
            .sort(["rank", "code"]).head(n).select("code", "quote", "who"))
