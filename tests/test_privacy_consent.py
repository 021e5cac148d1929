"""The consent register: privacy by default, withdrawals always count."""

from __future__ import annotations

import datetime as dt

import polars as pl

from impact.privacy import consented_ids, load_consent, withdrawn_ids
from impact.study import init_study

HEADER = "person_id;questionnaire;interview;quotes;named_as_coresearcher;withdrawn_on\n"


def _study(tmp_path, body: str):
    study = init_study(tmp_path / "s")
    (study.raw / "consent.csv").write_text(HEADER + body, encoding="utf-8")
    return study


def test_reads_yes_no_and_dates(tmp_path):
    study = _study(tmp_path, "BB01;ja;ja;ja;ja;\nR0007;yes;no;1;0;2024-04-03\nR0008;ja;;;;\n")
    df, problems = load_consent(study)
    assert problems == []
    assert df.rows() == [
        ("BB01", True, True, True, True, None, False),
        ("R0007", True, False, True, False, dt.date(2024, 4, 3), True),
        ("R0008", True, False, False, False, None, False)]
    assert withdrawn_ids(df) == {"R0007"}
    assert consented_ids(df, "quotes") == {"BB01"}


def test_a_withdrawal_with_an_unreadable_date_still_counts(tmp_path):
    study = _study(tmp_path, "R0001;ja;ja;ja;nee;31-02-2024\nR0002;ja;misschien;ja;nee;\n")
    df, problems = load_consent(study)
    assert withdrawn_ids(df) == {"R0001"}
    assert [(p.row, p.column, p.value, p.severity) for p in problems] == [
        (2, "withdrawn_on", "31-02-2024", "error"), (3, "interview", "misschien", "error")]
    assert "teruggetrokken" in problems[0].render("nl")
    # an unreadable yes/no is "no"
    assert df.filter(pl.col("person_id") == "R0002")["interview"].to_list() == [False]


def test_a_person_listed_twice_gets_the_stricter_row(tmp_path):
    study = _study(tmp_path, "R0001;ja;ja;ja;nee;\nR0001;ja;ja;nee;nee;01-05-2024\n")
    df, problems = load_consent(study)
    assert df.height == 1
    assert df.row(0) == ("R0001", True, True, False, False, dt.date(2024, 5, 1), True)
    assert [(p.row, p.column) for p in problems] == [(3, "person_id")]


def test_missing_file_is_a_warning_and_nobody_consented(tmp_path):
    study = init_study(tmp_path / "s")
    df, problems = load_consent(study)
    assert df.height == 0 and set(df.columns) >= {"person_id", "quotes", "withdrawn_on"}
    assert [p.severity for p in problems] == ["warning"]
    assert withdrawn_ids(df) == set()


def test_missing_column_counts_as_no(tmp_path):
    study = init_study(tmp_path / "s")
    (study.raw / "consent.csv").write_text("person_id,questionnaire\nR1,ja\n", encoding="utf-8")
    df, problems = load_consent(study)
    assert df.row(0)[:4] == ("R1", True, False, False)
    assert {p.column for p in problems} == {"interview", "quotes", "named_as_coresearcher", "withdrawn_on"}


def test_withdrawn_ids_on_the_processed_table():
    processed = pl.DataFrame({"person": ["p_1", "p_2"], "quotes": [True, True],
                              "withdrawn_on": [None, dt.date(2024, 1, 1)]})
    assert withdrawn_ids(processed) == {"p_2"}
    assert consented_ids(processed, "quotes") == {"p_1"}
