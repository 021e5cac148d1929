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

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every
# common form of colour blindness. Shared by the chart functions of
# trajectories, reach and perspectives.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# The six public steps of the Participatieladder.
LADDER_STEPS: dict[int, Text] = {
    1: Text("1 Geïsoleerd", "1 Isolated"),
    2: Text("2 Sociale contacten buiten de deur", "2 Social contacts outside the home"),
    3: Text("3 Meedoen aan activiteiten", "3 Taking part in organised activities"),
    4: Text("4 Onbetaald werk", "4 Unpaid work"),
    5: Text("5 Betaald werk met steun", "5 Paid work with support"),
    6: Text("6 Betaald werk", "6 Paid work"),
}

EVENT_LABELS: dict[str, Text] = {
    "start": Text("start", "start"),
    "training": Text("opleiding", "training"),
    "certificate": Text("certificaat", "certificate"),
    "coaching": Text("coaching", "coaching"),
    "ladder_step": Text("stap op de ladder", "ladder step"),
    "promise_of_contract": Text("belofte van een contract", "promise of a contract"),
    "follow_on_job": Text("vervolgbaan", "follow-on job"),
    "drop_out": Text("gestopt", "dropped out"),
    "end": Text("einde buurtbaan", "end of the buurtbaan"),
}

FUNNEL_STAGES: list[tuple[str, Text]] = [
    ("placed", Text("Geplaatst", "Placed")),
    ("still_in_job", Text("Niet uitgevallen", "Did not drop out")),
    ("promise_of_contract", Text("Belofte van een contract", "Promise of a contract")),
    ("follow_on_job", Text("Vervolgbaan", "Follow-on job")),
    ("drop_out", Text("Gestopt", "Dropped out")),
]

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
    word = Text("Buurtbaner", "Buurtbaner")(lang)
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

    labels = person_labels(events, lang)
    names = {k: v(lang) for k, v in EVENT_LABELS.items()}
    out = (events.join(labels, on="person", how="left")
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
    labels = person_labels(events)
    return (events.filter((pl.col("kind") == "ladder_step") & pl.col("ladder_step").is_not_null())
            .join(labels.select("person", "start"), on="person", how="left")
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

def _words(lang: str, **pairs: tuple[str, str]) -> dict[str, str]:
    return {k: (en if lang == "en" else nl) for k, (nl, en) in pairs.items()}


def timeline_chart(events, lang: str = "nl"):
    """Each buurtbaner's events on one line, by months since start (neutral labels)."""
    import altair as alt

    w = _words(lang, months=("Maanden sinds start", "Months since start"),
               who=("Buurtbaner", "Buurtbaner"), event=("Gebeurtenis", "Event"))
    data = timelines(events, lang).to_pandas()
    kinds = [v(lang) for k, v in EVENT_LABELS.items() if k not in ("training", "coaching")]
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


def ladder_chart(events, lang: str = "nl"):
    """Share of buurtbaners on each ladder step, by half year since start."""
    import altair as alt
    import polars as pl

    w = _words(lang, period=("Halfjaar sinds start", "Half year since start"),
               share=("Deel van de buurtbaners", "Share of buurtbaners"), step=("Trede", "Step"))
    steps = ladder_over_time(events).with_columns(
        (pl.col("months") // 6).cast(pl.Int64).clip(0).alias("half"))
    # the last measurement of each person in each half year
    last = steps.sort("date").group_by(["person", "half"]).agg(pl.col("ladder_step").last())
    counts = last.group_by(["half", "ladder_step"]).agg(pl.len().alias("persons"))
    names = [LADDER_STEPS[i](lang) for i in range(1, 7)]
    data = counts.with_columns(
        pl.col("ladder_step").replace_strict({i: LADDER_STEPS[i](lang) for i in range(1, 7)},
                                             return_dtype=pl.Utf8).alias("step"),
        (pl.col("half") * 6).alias("from_month")).to_pandas()
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("from_month:O", title=w["period"]),
        y=alt.Y("persons:Q", stack="normalize", title=w["share"], axis=alt.Axis(format="%")),
        color=alt.Color("step:N", title=w["step"], sort=names,
                        scale=alt.Scale(domain=names, range=PALETTE[:6])),
        order=alt.Order("ladder_step:Q"),
    ).properties(width=420, height=260)


def hours_chart(events, lang: str = "nl"):
    """Distribution of training and coaching hours per buurtbaner (box plot)."""
    import altair as alt
    import polars as pl

    w = _words(lang, kind=("Soort steun", "Kind of support"), hours=("Uren per buurtbaner", "Hours per buurtbaner"),
               training=("Opleiding", "Training"), coaching=("Coaching", "Coaching"))
    data = (support_hours(events)
            .unpivot(index="person", on=["training", "coaching"], variable_name="kind", value_name="hours")
            .with_columns(pl.col("kind").replace_strict({"training": w["training"], "coaching": w["coaching"]}))
            .drop("person").to_pandas())
    return alt.Chart(data).mark_boxplot(size=40).encode(
        x=alt.X("kind:N", title=w["kind"]),
        y=alt.Y("hours:Q", title=w["hours"]),
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(range=PALETTE[:2])),
    ).properties(width=300, height=260)


def funnel_chart(funnel, lang: str = "nl"):
    """Horizontal bars: persons per stage of the outcome funnel (suppressed counts stay empty)."""
    import altair as alt

    w = _words(lang, persons=("Aantal personen", "Number of people"), stage=("Stap", "Stage"))
    data = funnel.to_pandas()
    order = list(data["label"])
    return alt.Chart(data).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("label:N", sort=order, title=w["stage"]),
        x=alt.X("persons:Q", title=w["persons"]),
    ).properties(width=420, height=200)


def km_chart(curve, lang: str = "nl"):
    """Step curve: share of buurtbaners with a follow-on job over time (Kaplan-Meier)."""
    import altair as alt
    import polars as pl

    w = _words(lang, months=("Maanden sinds start", "Months since start"),
               share=("Deel met een vervolgbaan", "Share with a follow-on job"))
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

    w = _words(lang, moment=("Meting", "Scoring"), t=("GAS T-score (50 = doel gehaald)", "GAS T-score (50 = goal met)"),
               first=("eerste", "first"), last=("laatste", "last"))
    change = gas_change(goals)
    data = (change.with_columns(pl.int_range(1, pl.len() + 1).alias("n"))
            .unpivot(index="n", on=["first", "last"], variable_name="moment", value_name="tscore")
            .with_columns(pl.col("moment").replace_strict({"first": w["first"], "last": w["last"]}))
            .to_pandas())
    lines = alt.Chart(data).mark_line(color=PALETTE[4], opacity=0.6, point=True).encode(
        x=alt.X("moment:N", title=w["moment"], sort=[w["first"], w["last"]]),
        y=alt.Y("tscore:Q", title=w["t"], scale=alt.Scale(zero=False)),
        detail="n:N")
    rule = alt.Chart(data).mark_rule(color=PALETTE[5], strokeDash=[4, 4]).encode(y=alt.datum(50))
    return (lines + rule).properties(width=260, height=260)


# --- words for the notebook -------------------------------------------------

def _fmt_share(x: float | None, lang: str) -> str:
    if x is None:
        return "-"
    return f"{round(100 * x)}%"


def funnel_text(funnel, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the funnel chart, with its numbers."""
    few = Text("een paar", "a few")(lang)  # a count hidden by small-cell suppression
    c = {s: (few if v is None else v) for s, v in zip(funnel["stage"].to_list(), funnel["persons"].to_list())}
    placed, job, promise, drop = c["placed"], c["follow_on_job"], c["promise_of_contract"], c["drop_out"]
    return {
        "title": Text("Van plaatsing tot vervolgbaan", "From placement to follow-on job")(lang),
        "takeaway": Text(
            f"Van de {placed} geplaatste buurtbaners kregen er {job} een vervolgbaan en {promise} een belofte van een contract.",
            f"Of the {placed} buurtbaners placed, {job} found a follow-on job and {promise} got a promise of a contract.")(lang),
        "description": Text(
            f"Staafdiagram met het aantal buurtbaners per stap: geplaatst {placed}, niet uitgevallen {c['still_in_job']}, "
            f"belofte van een contract {promise}, vervolgbaan {job}, gestopt {drop}.",
            f"Bar chart of buurtbaners per stage: placed {placed}, did not drop out {c['still_in_job']}, "
            f"promise of a contract {promise}, follow-on job {job}, dropped out {drop}.")(lang),
    }


def km_text(curve, durations, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the Kaplan-Meier chart."""
    import polars as pl

    n = durations.height
    events = int(durations["event"].sum()) if n else 0
    censored = n - events
    at = curve.filter(pl.col("time") <= 24)
    share24 = at["share_with_job"][-1] if at.height else 0.0
    p = _fmt_share(share24, lang)
    return {
        "title": Text("Hoe snel volgt een vervolgbaan?", "How soon does a follow-on job come?")(lang),
        "takeaway": Text(
            f"Na twee jaar heeft naar schatting {p} van de buurtbaners een vervolgbaan.",
            f"After two years an estimated {p} of buurtbaners have a follow-on job.")(lang),
        "description": Text(
            f"Trapgrafiek (Kaplan-Meier) van het deel met een vervolgbaan per maand sinds de start, met een "
            f"betrouwbaarheidsband. {n} buurtbaners, {events} met een vervolgbaan, {censored} nog zonder "
            f"(nog bezig of gestopt).",
            f"Step chart (Kaplan-Meier) of the share with a follow-on job by month since start, with a confidence "
            f"band. {n} buurtbaners, {events} with a follow-on job, {censored} without one yet (still in or dropped out).")(lang),
    }


def ladder_text(events, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the ladder chart."""
    change = ladder_change(events)
    up = int((change["change"] > 0).sum())
    n = change.height
    return {
        "title": Text("Stappen op de Participatieladder", "Steps on the Participatieladder")(lang),
        "takeaway": Text(f"{up} van de {n} buurtbaners gingen minstens één trede omhoog.",
                         f"{up} of {n} buurtbaners went up at least one step.")(lang),
        "description": Text(
            "Gestapelde staven per halfjaar sinds de start. Elke kleur is een trede van de ladder, van 1 geïsoleerd "
            "tot 6 betaald werk. De staaf laat zien welk deel van de buurtbaners op welke trede staat.",
            "Stacked bars per half year since start. Each colour is a step of the ladder, from 1 isolated to 6 paid "
            "work. Each bar shows which share of buurtbaners is on which step.")(lang),
    }


def hours_text(events, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the hours chart."""
    hours = support_hours(events)
    med_t = round(float(hours["training"].median() or 0))
    med_c = round(float(hours["coaching"].median() or 0))
    return {
        "title": Text("Uren opleiding en coaching", "Hours of training and coaching")(lang),
        "takeaway": Text(f"De helft van de buurtbaners had meer dan {med_t} uur opleiding en {med_c} uur coaching.",
                         f"Half of the buurtbaners had more than {med_t} hours of training and {med_c} of coaching.")(lang),
        "description": Text(
            "Twee boxplots: uren opleiding en uren coaching per buurtbaner. De streep in het midden is de mediaan.",
            "Two box plots: hours of training and of coaching per buurtbaner. The line in the middle is the median.")(lang),
    }


def timeline_text(events, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the timeline chart."""
    n = person_labels(events).height
    return {
        "title": Text("De weg van elke buurtbaner", "Each buurtbaner's path")(lang),
        "takeaway": Text(f"Elke regel is één van de {n} buurtbaners; de namen zijn vervangen door een nummer.",
                         f"Each line is one of the {n} buurtbaners; names are replaced by a number.")(lang),
        "description": Text(
            "Puntgrafiek met per buurtbaner de belangrijkste gebeurtenissen (start, certificaat, trede, belofte, "
            "vervolgbaan, gestopt, einde) per maand sinds de start.",
            "Dot chart with each buurtbaner's main events (start, certificate, step, promise, follow-on job, "
            "dropped out, end) by month since start.")(lang),
    }


def gas_text(goals, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the GAS chart."""
    change = gas_change(goals)
    n = change.height
    up = int((change["change"] > 0).sum())
    last50 = int((change["last"] >= 50).sum())
    return {
        "title": Text("Eigen doelen (Goal Attainment Scaling)", "Own goals (Goal Attainment Scaling)")(lang),
        "takeaway": Text(f"{up} van de {n} buurtbaners scoorden later hoger; {last50} haalden hun doelen (T-score 50 of meer).",
                         f"{up} of {n} buurtbaners scored higher later; {last50} met their goals (T-score 50 or more).")(lang),
        "description": Text(
            "Lijnen van de eerste naar de laatste GAS T-score per buurtbaner. De stippellijn bij 50 betekent: doelen "
            "gehaald zoals verwacht.",
            "Lines from the first to the last GAS T-score per buurtbaner. The dashed line at 50 means: goals met as "
            "expected.")(lang),
    }


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
    """Up to ``n`` quotes coded with a development code (see ``development_codes``).

    Same rules as ``impact.perspectives.quotes_by_actor``: consented
    interviews (and interviewees who agreed to quotes) only, each passage
    once, no names. Spread over codes: the first quote of each code, then the
    second, and so on. Returns ``code``, ``quote``, ``who``.
    """
    import polars as pl

    from impact.perspectives import quotes_by_actor

    parts = []
    for code in development_codes(codebook):
        q = quotes_by_actor(codings, transcripts, code, n=n, consent=consent, lang=lang, max_chars=max_chars)
        parts.append(q.with_row_index("rank").with_columns(pl.lit(code).alias("code")))
    if not parts:
        return pl.DataFrame(schema={"code": pl.Utf8, "quote": pl.Utf8, "who": pl.Utf8})
    return (pl.concat(parts).unique(subset=["quote"], keep="first", maintain_order=True)
            .sort(["rank", "code"]).head(n).select("code", "quote", "who"))
