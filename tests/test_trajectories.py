"""Research question 1 (impact.trajectories), checked against hand-computed values."""

import datetime as dt
import math

import polars as pl
import pytest

from impact import trajectories as tr
from impact.errors import InputError
from impact.vocabulary import PALETTE

d = dt.date


def events(rows):
    """rows: (person, date, kind, hours, ladder_step) -> a processed trajectory_events table."""
    return pl.DataFrame(rows, schema={"person": pl.Utf8, "date": pl.Date, "kind": pl.Utf8,
                                      "hours": pl.Float64, "ladder_step": pl.Int8}, orient="row")


@pytest.fixture
def three():
    return events([
        ("p_b", d(2022, 3, 1), "start", None, None),
        ("p_b", d(2022, 3, 1), "ladder_step", None, 2),
        ("p_b", d(2022, 4, 1), "training", 10.0, None),
        ("p_b", d(2022, 5, 1), "coaching", 2.5, None),
        ("p_b", d(2022, 9, 1), "ladder_step", None, 4),
        ("p_b", d(2023, 1, 1), "promise_of_contract", None, None),
        ("p_b", d(2023, 3, 1), "follow_on_job", None, None),
        ("p_a", d(2022, 1, 1), "start", None, None),
        ("p_a", d(2022, 1, 1), "ladder_step", None, 3),
        ("p_a", d(2022, 2, 1), "training", 6.0, None),
        ("p_a", d(2022, 3, 1), "training", 4.0, None),
        ("p_a", d(2022, 6, 1), "drop_out", None, None),
        ("p_c", d(2022, 6, 1), "start", None, None),
        ("p_c", d(2022, 7, 1), "promise_of_contract", None, None),
    ])


def test_labels_follow_start_date_not_pseudonym(three):
    labels = tr.person_labels(three, "nl")
    assert labels["person"].to_list() == ["p_a", "p_b", "p_c"]
    assert labels["label"].to_list() == ["Buurtbaner 1", "Buurtbaner 2", "Buurtbaner 3"]


def test_timelines_hide_pseudonyms_and_count_months(three):
    t = tr.timelines(three, "en")
    assert "person" not in t.columns
    job = t.filter(pl.col("kind") == "follow_on_job").row(0, named=True)
    # 2022-03-01 -> 2023-03-01 is 365 days = 365 / (365.25/12) = 11.99 months
    assert job["label"] == "Buurtbaner 2" and job["months"] == 12.0 and job["event"] == "Follow-on job"


def test_outcome_funnel_by_hand(three):
    f = tr.outcome_funnel(three, "nl")
    # placed a,b,c; a dropped out; b and c got a promise; b a follow-on job
    assert dict(zip(f["stage"], f["persons"])) == {
        "placed": 3, "still_in_job": 2, "promise_of_contract": 2, "follow_on_job": 1, "drop_out": 1}
    assert f["share"].to_list() == [1.0, 0.667, 0.667, 0.333, 0.333]
    assert f["label"][0] == "Gestart"


def test_support_hours_sums_per_kind(three):
    h = tr.support_hours(three)
    assert h.rows() == [("p_a", 10.0, 0.0, 10.0), ("p_b", 10.0, 2.5, 12.5), ("p_c", 0.0, 0.0, 0.0)]


def test_ladder_change(three):
    c = tr.ladder_change(three)
    assert c.rows() == [("p_a", 3, 3, 0), ("p_b", 2, 4, 2)]
    steps = tr.ladder_over_time(three).filter(pl.col("person") == "p_b")
    # 2022-03-01 -> 2022-09-01 = 184 days = 6.04 months
    assert steps["months"].to_list() == [0.0, 6.0]


def test_time_to_follow_on_censors_dropout_and_open(three):
    t = tr.time_to_follow_on(three, as_of=d(2023, 6, 1))
    assert t.select("person", "days", "event").rows() == [
        ("p_a", 151, False),   # censored at drop-out: 2022-01-01 -> 2022-06-01
        ("p_b", 365, True),    # job: 2022-03-01 -> 2023-03-01
        ("p_c", 365, False),   # still without a job at as_of: 2022-06-01 -> 2023-06-01
    ]


def test_kaplan_meier_five_people_by_hand():
    """Five people: job at 3, censored at 5, jobs at 6 and 6, censored at 10.

    By hand: S(3) = 1 - 1/5 = 0.8; at 6 three are at risk and two get a job,
    S(6) = 0.8 * (1 - 2/3) = 0.2667; censoring at 10 does not change S.
    Greenwood: sum d/(n(n-d)) = 1/(5*4) at t=3; the log(-log) band is
    S ** exp(+-1.96 * sqrt(that sum) / |ln S|).
    """
    durations = pl.DataFrame({"months": [3.0, 5.0, 6.0, 6.0, 10.0],
                              "event": [True, False, True, True, False]})
    km = tr.kaplan_meier(durations)
    assert km["time"].to_list() == [0.0, 3.0, 6.0]
    assert km["at_risk"].to_list() == [5, 5, 3]
    assert km["events"].to_list() == [0, 1, 2]
    assert km["survival"].to_list() == pytest.approx([1.0, 0.8, 0.8 / 3])
    assert km["share_with_job"].to_list() == pytest.approx([0.0, 0.2, 1 - 0.8 / 3])
    se = math.sqrt(1 / 20) / abs(math.log(0.8))
    z = 1.959963984540054
    assert km["ci_lower"][1] == pytest.approx(0.8 ** math.exp(z * se))
    assert km["ci_upper"][1] == pytest.approx(0.8 ** math.exp(-z * se))


def test_kaplan_meier_without_events_is_flat():
    km = tr.kaplan_meier(pl.DataFrame({"months": [1.0, 2.0], "event": [False, False]}))
    assert km.rows() == [(0.0, 2, 0, 1.0, 1.0, 1.0, 0.0)]


def test_gas_over_time_kiresuk_sherman():
    """T = 50 + 10 * sum(w x) / sqrt((1 - 0.3) sum w^2 + 0.3 (sum w)^2).

    Two goals, weights 1: at levels (0, 0) T = 50; at (1, 1):
    50 + 10 * 2 / sqrt(0.7 * 2 + 0.3 * 4) = 50 + 20 / sqrt(2.6) = 62.40.
    """
    goals = pl.DataFrame({
        "person": ["p_a"] * 4, "goal_id": [1, 2, 1, 2], "goal": ["x"] * 4, "weight": [1.0] * 4,
        "date": [d(2022, 1, 1)] * 2 + [d(2022, 7, 1)] * 2, "level": [0, 0, 1, 1]})
    g = tr.gas_over_time(goals)
    assert g["goals"].to_list() == [2, 2]
    assert g["tscore"].to_list() == pytest.approx([50.0, 50 + 20 / math.sqrt(2.6)], abs=0.01)
    assert tr.gas_change(goals)["change"].to_list() == [round(20 / math.sqrt(2.6), 1)]


def test_missing_column_is_a_user_error():
    with pytest.raises(InputError) as err:
        tr.outcome_funnel(pl.DataFrame({"person": ["p_a"], "date": [d(2022, 1, 1)]}))
    assert "kind" in err.value.render("nl")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_charts_use_safe_palette_and_language(three, lang):
    ladder = tr.ladder_chart(three, lang, k=1).to_dict()
    assert ladder["encoding"]["color"]["scale"]["range"][:6] == PALETTE[:6]
    title = ladder["encoding"]["y"]["title"]
    assert title == ("Share of buurtbaners" if lang == "en" else "Deel van de buurtbaners")
    for chart in (tr.timeline_chart(three, lang), tr.hours_chart(three, lang),
                  tr.funnel_chart(funnel_rows(three, lang), lang),
                  tr.km_chart(tr.kaplan_meier(tr.time_to_follow_on(three)), lang)):
        assert chart.to_dict()


def test_development_quotes_follow_rq1_codes_and_consent():
    codebook = pl.DataFrame({"code": ["ontwikkeling", "motivatie", "netwerk"],
                             "parent": [None, "ontwikkeling", None], "origin": ["rq1", "inductive", "rq2"]})
    assert tr.development_codes(codebook) == ["motivatie", "ontwikkeling"]
    codings = pl.DataFrame({
        "document": ["I1", "I1", "I2", "I1"], "start": [0, 0, 0, 20], "end": [9, 9, 9, 30],
        "code": ["motivatie", "motivatie", "motivatie", "netwerk"], "coder": ["p_1", "p_2", "p_1", "p_1"],
        "text": ["Ik wil werken.", "Ik wil werken.", "Zonder toestemming.", "Buren."]})
    transcripts = pl.DataFrame({"document": ["I1", "I2"], "actor_type": ["informal", "informal"],
                                "organisation_kind": [None, None], "consent": [True, False]})
    q = tr.development_quotes(codings, transcripts, codebook, lang="en")
    assert q.rows() == [("motivatie", "Ik wil werken.", "someone from the neighbourhood")]


def funnel_rows(events, lang):
    """The funnel as a page shows it (here without hiding anything)."""
    from impact.charts import value_labels
    from impact.figures import Value, get

    funnel = tr.outcome_funnel(events, lang)
    return value_labels([(label, Value(get(tr.FUNNEL_FIGURES[stage]), n)) for stage, label, n in
                         funnel.select("stage", "label", "persons").iter_rows()], lang)


def test_the_ladder_takes_small_steps_together():
    """k = 3. At the start: 2 on step 1, 4 on step 2, 1 on step 3 (7 persons). The 2 and the 1 are small;
    together they are 3, enough: "other steps 3", step 2 stays 4. Half a year later only 2 are measured
    (fewer than k): that bar is left out."""
    people = [f"p_{i}" for i in range(7)]
    rows = [(p, d(2022, 1, 1), "start", None) for p in people]
    rows += [(p, d(2022, 1, 2), "ladder_step", s) for p, s in zip(people, [1, 1, 2, 2, 2, 2, 3])]
    rows += [(p, d(2022, 8, 1), "ladder_step", 3) for p in people[:2]]
    events = pl.DataFrame(rows, schema={"person": pl.Utf8, "date": pl.Date, "kind": pl.Utf8, "ladder_step": pl.Int64},
                          orient="row").with_columns(pl.lit(None, pl.Float64).alias("hours"))
    shares = tr.ladder_shares(events, k=3, lang="nl")
    assert shares.select("half", "order", "persons").rows() == [(0, 2, 4), (0, 7, 3)]
    assert shares["step"][1] == "andere treden (samen)"
