"""Scales, reliability, change between waves, chi-square, GAS and ladder transitions.

Known values come from published worked examples (cited per test) or are
computed by hand in the docstring.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

import impact
from impact.errors import InputError
from impact.questionnaires import (cronbach_by_scale, crosstab_test, gas_tscore, item_rest_correlations,
                                   ladder_transitions, paired_change, read_xlsform, scale_scores)
from impact.questionnaires.gas import gas_scores
from impact.questionnaires.scales import change_per_person

SHIPPED = Path(impact.__file__).parent / "study_template" / "questionnaires"


def mini_form(tmp_path, reverse_c: str = "") -> object:
    path = tmp_path / "mini.md"
    path.write_text(
        "| survey |\n"
        "| | type | name | label | constraint | scale | reverse |\n"
        "| | integer | a | A | . >= 1 and . <= 5 | s | |\n"
        "| | integer | b | B | . >= 1 and . <= 5 | s | |\n"
        f"| | integer | c | C | . >= 1 and . <= 5 | s | {reverse_c} |\n"
        "| | select_one lad | ladder | L | | | |\n"
        "| choices |\n| | list_name | name | label |\n"
        + "".join(f"| | lad | {i} | step {i} |\n" for i in range(1, 7)),
        encoding="utf-8")
    return read_xlsform(path)


def long_table(matrix: dict[str, list[float]], wave: int = 1) -> pl.DataFrame:
    rows = []
    n = len(next(iter(matrix.values())))
    for item, values in matrix.items():
        for i in range(n):
            if values[i] is not None:
                rows.append({"respondent": f"p{i + 1}", "wave": wave, "item": item, "value": str(values[i]),
                             "value_num": float(values[i])})
    return pl.DataFrame(rows, schema={"respondent": pl.String, "wave": pl.Int8, "item": pl.String,
                                      "value": pl.String, "value_num": pl.Float64})


# ---- Cronbach's alpha --------------------------------------------------------

def test_cronbach_alpha_hand_computed_with_feldt_interval(tmp_path):
    """Five people, three items (a = 1,2,3,4,5; b = 2,2,3,5,5; c = 1,3,3,4,4).

    Item variances 2.5, 2.3, 1.5 (sum 6.3); sum scores 4,7,9,13,14 with
    variance 17.3. alpha = 3/2 * (1 - 6.3/17.3) = 0.953757 (Cronbach 1951).
    The 95% interval is Feldt's: 1 - (1 - alpha) * F(1 - a/2 | a/2; n-1, (n-1)(k-1))
    (Feldt, Woodruff & Salih 1987, Appl. Psychol. Meas. 11:93-103).
    """
    from scipy.stats import f

    form = mini_form(tmp_path)
    data = long_table({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    out = cronbach_by_scale(data, form)
    row = out.row(0, named=True)
    assert (row["scale"], row["wave"], row["n"], row["k"]) == ("s", 1, 5, 3)
    assert row["alpha"] == pytest.approx(1.5 * (1 - 6.3 / 17.3), abs=1e-9)
    low = 1 - (1 - row["alpha"]) * f.ppf(0.975, 4, 8)
    high = 1 - (1 - row["alpha"]) * f.ppf(0.025, 4, 8)
    assert row["ci_low"] == pytest.approx(low, abs=0.006) and row["ci_high"] == pytest.approx(high, abs=0.006)
    assert "few people" in row["note"]


def test_reverse_item_is_turned_before_alpha_and_scores(tmp_path):
    """Item c written the other way round (6 - x) must give the same alpha once marked reverse."""
    form = mini_form(tmp_path, reverse_c="yes")
    data = long_table({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [5, 3, 3, 2, 2]})
    alpha = cronbach_by_scale(data, form)["alpha"][0]
    assert alpha == pytest.approx(0.953757225, abs=1e-6)
    scores = scale_scores(data, form)
    # person 1: a=1, b=2, c=5 reversed to 1 -> mean 4/3
    assert scores.filter(pl.col("respondent") == "p1")["score"][0] == pytest.approx(4 / 3)
    assert set(scores["n_items"]) == {3}


def test_item_rest_correlation_hand_computed(tmp_path):
    """Item a = 1..5 against rest b + c = 3,5,6,9,9: Pearson r = 0.97014 (by hand:
    sxy = 16, sxx = 10, syy = 27.2; r = 16 / sqrt(10 * 27.2))."""
    form = mini_form(tmp_path)
    data = long_table({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    out = item_rest_correlations(data, form)
    a = out.filter(pl.col("item") == "a").row(0, named=True)
    assert a["r_item_rest"] == pytest.approx(16 / math.sqrt(10 * 27.2), abs=1e-9)
    assert a["r_item_rest"] == pytest.approx(0.97014, abs=1e-5)
    assert a["n"] == 5


def test_scale_score_needs_half_of_items(tmp_path):
    form = mini_form(tmp_path)
    data = long_table({"a": [4, None], "b": [None, 2], "c": [None, 4]})
    scores = scale_scores(data, form).sort("respondent")
    assert scores["score"].to_list() == [None, 3.0]
    assert scores["n_answered"].to_list() == [1, 2]


def test_shipped_instrument_scales_have_known_ranges():
    from impact.questionnaires.scales import scale_items

    items = scale_items(SHIPPED / "buurtbaners.xlsx")
    assert {(i["low"], i["high"]) for i in items} == {(1.0, 5.0)}
    assert len(items) == 16


# ---- paired change -----------------------------------------------------------

SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def two_waves(before, after, scale="s"):
    rows = [{"respondent": f"p{i}", "wave": w, "scale": scale, "score": v}
            for w, values in ((1, before), (2, after)) for i, v in enumerate(values)]
    return pl.DataFrame(rows)


def test_paired_t_matches_student_sleep_data():
    """Student's sleep data (Cushny & Peebles 1905; Student 1908, Biometrika 6:1-25), as in R's
    ``t.test(extra ~ group, data = sleep, paired = TRUE)``: t = 4.0621 (drug 2 minus drug 1),
    df = 9, p = 0.002833, mean difference 1.58, 95% CI 0.7001142 .. 2.4598858."""
    out = paired_change(two_waves(SLEEP_1, SLEEP_2), test="t").row(0, named=True)
    assert out["n"] == 10 and out["test"] == "paired t-test"
    assert out["statistic"] == pytest.approx(4.0621, abs=1e-4)
    assert out["dof"] == 9
    assert out["p"] == pytest.approx(0.002833, abs=1e-6)
    assert out["mean_change"] == pytest.approx(1.58)
    assert out["ci_low"] == pytest.approx(0.7001142, abs=1e-3) and out["ci_high"] == pytest.approx(2.4598858, abs=1e-3)
    # Cohen's d_z = mean / sd of the differences = 1.58 / 1.229995 (by hand)
    assert out["effect_size"] == pytest.approx(1.58 / 1.2299955, abs=1e-6)
    assert out["es_ci_low"] < out["effect_size"] < out["es_ci_high"]


def test_auto_chooses_wilcoxon_when_differences_are_not_normal():
    """The sleep differences fail Shapiro-Wilk (W = 0.830, p = 0.033, as R's shapiro.test gives),
    so ``test="auto"`` takes the Wilcoxon signed-rank test."""
    out = paired_change(two_waves(SLEEP_1, SLEEP_2)).row(0, named=True)
    assert out["normality_p"] == pytest.approx(0.03334, abs=1e-4)
    assert out["test"] == "wilcoxon signed-rank" and out["effect_size_name"] == "rank_biserial"


def test_wilcoxon_matches_hollander_wolfe_depression_example():
    """Hollander & Wolfe (1973), p. 29, Hamilton depression scale before (x) and after (y)
    tranquilizer, the example in R's ``?wilcox.test``: V = 40, one-sided p = 0.01953, so the
    two-sided exact p = 0.0390625 (= 20/512). Differences y - x: ranks of the 2 positive ones
    sum to 5, of the 7 negative ones to 40: rank-biserial r = (5 - 40) / 45 = -0.7778."""
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    auto = paired_change(two_waves(x, y)).row(0, named=True)
    assert auto["test"] == "paired t-test"  # these differences pass Shapiro-Wilk (p = 0.40)
    out = paired_change(two_waves(x, y), test="wilcoxon").row(0, named=True)
    assert out["test"] == "wilcoxon signed-rank"
    assert out["statistic"] == 5
    assert out["p"] == pytest.approx(20 / 512, abs=1e-6)
    assert out["effect_size"] == pytest.approx(-35 / 45)
    assert out["es_ci_low"] <= out["effect_size"] <= out["es_ci_high"]


def test_small_or_constant_groups_are_reported_not_tested():
    out = paired_change(two_waves([3.0], [4.0])).row(0, named=True)
    assert out["n"] == 1 and out["test"] is None and "too few" in out["note"]
    out = paired_change(two_waves([3.0, 2.0, 4.0], [3.0, 2.0, 4.0])).row(0, named=True)
    assert out["test"] is None and "nobody changed" in out["note"]


def test_change_per_person_keeps_only_people_with_both_waves():
    scores = pl.DataFrame({"respondent": ["a", "b", "a"], "wave": [1, 1, 2], "scale": ["s"] * 3,
                           "score": [2.0, 3.0, 4.5]})
    assert change_per_person(scores).select("respondent", "change").rows() == [("a", 2.5)]


# ---- chi-square and Cramer's V ------------------------------------------------

def test_chi_square_matches_agresti_party_identification():
    """Agresti (2007), An Introduction to Categorical Data Analysis, p. 39: gender by party
    identification (R's ``?chisq.test`` example): X-squared = 30.07, df = 2, p = 2.954e-07.
    Cramer's V = sqrt(30.0701 / 2757) = 0.10443 (n = 2757, min(r, c) - 1 = 1)."""
    counts = {("F", "Democrat"): 762, ("F", "Independent"): 327, ("F", "Republican"): 468,
              ("M", "Democrat"): 484, ("M", "Independent"): 239, ("M", "Republican"): 477}
    rows = [{"gender": g, "party": p} for (g, p), n in counts.items() for _ in range(n)]
    out = crosstab_test(pl.DataFrame(rows), "gender", "party").row(0, named=True)
    assert out["n"] == 2757 and out["dof"] == 2
    assert out["chi2"] == pytest.approx(30.0701, abs=1e-3)
    assert out["p"] == pytest.approx(2.954e-07, rel=1e-3)
    assert out["cramer_v"] == pytest.approx(math.sqrt(30.0701 / 2757), abs=1e-4)
    assert out["note"] is None


def test_chi_square_warns_on_small_cells():
    df = pl.DataFrame({"g": ["a", "a", "b", "b", "a"], "x": ["ja", "nee", "ja", "ja", "ja"]})
    out = crosstab_test(df, "g", "x").row(0, named=True)
    assert out["note"] == "te weinig antwoorden per vakje: de p-waarde is niet betrouwbaar" and out["n"] == 5
    english = crosstab_test(df, "g", "x", lang="en").row(0, named=True)
    assert english["note"] == "too few answers per cell: the p-value is not reliable"


# ---- Goal Attainment Scaling ---------------------------------------------------

def test_gas_tscore_kiresuk_sherman_hand_computed():
    """Kiresuk & Sherman (1968), Community Mental Health Journal 4:443-453:
    T = 50 + 10 * sum(w x) / sqrt((1 - rho) sum(w^2) + rho (sum w)^2), rho = 0.3.

    * all goals at the expected level (0): T = 50, whatever the weights;
    * one goal: the denominator is w, so T = 50 + 10 x (40 at -1, 30 at -2);
    * three goals at -1, equal weights: 50 - 30 / sqrt(0.7*3 + 0.3*9) = 50 - 30/sqrt(4.8) = 36.3069;
    * levels (2, 1, -1) with weights (3, 2, 1): numerator 3*2 + 2*1 - 1 = 7;
      denominator sqrt(0.7*14 + 0.3*36) = sqrt(20.6); T = 50 + 70/sqrt(20.6) = 65.4228.
    """
    assert gas_tscore([0, 0, 0, 0], weights=[1, 2, 3, 1]) == 50.0
    assert gas_tscore([-1]) == pytest.approx(40.0) and gas_tscore([-2], weights=[5]) == pytest.approx(30.0)
    assert gas_tscore([-1, -1, -1]) == pytest.approx(50 - 30 / math.sqrt(4.8), abs=1e-9)
    assert gas_tscore([-1, -1, -1]) == pytest.approx(36.3069, abs=1e-4)
    assert gas_tscore([2, 1, -1], weights=[3, 2, 1]) == pytest.approx(65.4228, abs=1e-4)
    # rho = 0: goals treated as independent; two goals at +1: 50 + 20 / sqrt(2)
    assert gas_tscore([1, 1], rho=0.0) == pytest.approx(50 + 20 / math.sqrt(2))


@pytest.mark.parametrize("levels,weights", [([3], None), ([0, 1], [1]), ([0], [0]), ([], None)])
def test_gas_tscore_bad_input_is_a_user_error(levels, weights):
    with pytest.raises(InputError):
        gas_tscore(levels, weights)


def test_gas_scores_per_person_and_date():
    import datetime as dt

    goals = pl.DataFrame({"person": ["p1"] * 4, "goal_id": [1, 2, 1, 2],
                          "date": [dt.date(2023, 1, 1)] * 2 + [dt.date(2023, 6, 1)] * 2,
                          "weight": [1.0, None, 1.0, None], "level": [-1, -1, 1, 0]})
    out = gas_scores(goals)
    assert out["n_goals"].to_list() == [2, 2]
    assert out["t_score"].to_list() == pytest.approx([gas_tscore([-1, -1]), gas_tscore([1, 0])])


# ---- Participatieladder ---------------------------------------------------------

def test_ladder_transitions_counts_moves():
    rows = []
    for person, before, after in [("a", 2, 3), ("b", 2, 3), ("c", 4, 4), ("d", 5, 3), ("e", 1, None)]:
        rows.append({"respondent": person, "wave": 1, "item": "ladder", "value": str(before),
                     "value_num": float(before)})
        if after is not None:
            rows.append({"respondent": person, "wave": 2, "item": "ladder", "value": str(after),
                         "value_num": float(after)})
    out = ladder_transitions(pl.DataFrame(rows))
    assert out.rows() == [(2, 3, "up", 2, 0.5), (4, 4, "same", 1, 0.25), (5, 3, "down", 1, 0.25)]
