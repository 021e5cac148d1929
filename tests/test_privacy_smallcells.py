"""Small-cell suppression: primary (1..k-1) and secondary (no recomputing from totals).

Every expected table below is worked out by hand from the rule in
impact/privacy/smallcells.py: in each line that sums to a known total, zero or at least
two cells are hidden; the extra cell is the smallest non-zero count still shown.
"""

from __future__ import annotations

import pandas as pd
import polars as pl

from impact.privacy import small_cell_labels, suppress_small_cells
from impact.privacy.smallcells import suppression_mask


def test_primary_only_when_column_totals_are_not_known():
    df = pl.DataFrame({"district": ["N", "O", "W"], "n": [3, 12, 0]})
    out = suppress_small_cells(df, ["n"], k=5, column_totals=False)
    assert out["n"].to_list() == [None, 12, 0]
    assert out.schema["n"] == pl.Int64


def test_secondary_in_a_column_picks_the_smallest_nonzero_count():
    # 2 is primary; with a known column total (2+40+7+30+0 = 79) it could be recomputed,
    # so the smallest other non-zero count (7) is hidden too; 0 stays visible.
    df = pl.DataFrame({"district": ["N", "O", "W", "Z", "C"], "n": [2, 40, 7, 30, 0]})
    out = suppress_small_cells(df, ["n"], k=5)
    assert out["n"].to_list() == [None, 40, None, 30, 0]


def test_two_primary_cells_need_no_secondary():
    df = pl.DataFrame({"n": [2, 3, 40]})
    assert suppress_small_cells(df, ["n"], k=5)["n"].to_list() == [None, None, 40]


def test_k_10_as_in_uk_and_acro_practice():
    df = pl.DataFrame({"n": [9, 10, 25, 11]})
    assert suppress_small_cells(df, ["n"], k=10)["n"].to_list() == [None, None, 25, 11]


def test_row_totals_cascade_to_a_safe_pattern():
    """A 3 x 2 table of persons with a row total.

            men  women  total
    West      3     10     13
    Oost      8      9     17
    Zuid     20     30     50

    Primary: 3. Row West: hide 10 (the only other count). Column men: hide 8 (smallest
    shown). Column women now has 10 hidden alone: hide 9. Row Oost has 8 and 9 hidden: ok.
    Totals column: nothing below 5, nothing hidden: ok.
    """
    df = pl.DataFrame({"district": ["West", "Oost", "Zuid"], "men": [3, 8, 20], "women": [10, 9, 30],
                       "total": [13, 17, 50]})
    out = suppress_small_cells(df, ["men", "women"], k=5, total_columns=["total"])
    assert out.rows() == [("West", None, None, 13), ("Oost", None, None, 17), ("Zuid", 20, 30, 50)]


def test_a_small_total_is_hidden_and_protected():
    # 1, 3 and their total 4 are primary. Column 1 (1, 12, 30): hide 12. Column 2
    # (3, 8, 30): hide 8. Totals column (4, 20, 60): hide 20. Row 2 then has all three
    # hidden, row 1 too: every line has 0 or >= 2 hidden cells.
    mask = suppression_mask([[1, 3, 4], [12, 8, 20], [30, 30, 60]], n_counts=2, k=5)
    assert mask == [[True, True, True], [True, True, True], [False, False, False]]


def test_docstring_example_two_by_two():
    assert suppression_mask([[2, 6, 8], [7, 9, 16]], n_counts=2, k=5) == [
        [True, True, False], [True, True, False]]


def test_nulls_are_not_counted_and_flags_say_what_was_hidden():
    df = pl.DataFrame({"n": [None, 2, 50, 60]})
    out = suppress_small_cells(df, ["n"], k=5, flags=True)
    assert out.rows() == [(None, False), (None, True), (None, True), (60, False)]


def test_hide_zero_option():
    df = pl.DataFrame({"n": [0, 50, 60]})
    assert suppress_small_cells(df, ["n"], k=5, hide_zero=True)["n"].to_list() == [None, None, 60]


def test_pandas_in_pandas_out():
    df = pd.DataFrame({"kind": ["a", "b", "c"], "n": [1, 20, 30]})
    out = suppress_small_cells(df, ["n"], k=5)
    assert isinstance(out, pd.DataFrame)
    assert out["n"].isna().tolist() == [True, True, False]


def test_labels_for_tables_and_charts():
    df = pl.DataFrame({"kind": ["a", "b", "c"], "n": [1234, 3, 9]})
    out = small_cell_labels(df, ["n"], k=5)
    assert out.columns == ["kind", "n", "n_label"]
    # 3 is small; 9 is hidden only so that 3 cannot be worked out: it must not read as "< 5"
    assert out["n_label"].to_list() == ["1.234", "< 5", "x"]
    assert small_cell_labels(df, ["n"], k=5, lang="en")["n_label"].to_list() == ["1,234", "< 5", "x"]


def test_empty_and_missing_columns_are_fine():
    df = pl.DataFrame({"n": []}, schema={"n": pl.Int64})
    assert suppress_small_cells(df, ["n"], k=5).height == 0
    assert suppress_small_cells(pl.DataFrame({"x": [1]}), ["n"], k=5).rows() == [(1,)]


# --- protect: the same rule for any cells and sums (the figures of a page, of a build) ----------

from impact.privacy.smallcells import Line, protect  # noqa: E402


def test_a_total_of_23_with_parts_20_and_3():
    """k = 5: the 3 is hidden; with 23 and 20 shown it is 23 - 20, so one more cell goes: the part."""
    assert protect({"total": 23, "a": 20, "b": 3}, [Line("total", ("a", "b"))], 5) == {"a", "b"}
    # when the part may not be hidden (it is printed elsewhere anyway), the total goes instead
    assert protect({"total": 23, "a": 20, "b": 3}, [Line("total", ("a", "b"))], 5,
                   always_known={"a"}) == {"b", "total"}


def test_two_hidden_parts_that_add_up_to_a_small_count_are_not_enough():
    """40 + 2 + 1 = 43: hiding 2 and 1 still shows 43 - 40 = 3 persons in those two rows."""
    values = {"t": 43, "a": 40, "b": 2, "c": 1}
    assert protect(values, [Line("t", ("a", "b", "c"))], 5) == {"a", "b", "c"}
    # the old rule (two hidden cells are enough) would have shown 40; the table version agrees now
    assert suppression_mask([[40], [2], [1]], n_counts=1, k=5) == [[True], [True], [True]]


def test_a_subgroup_next_to_its_group():
    """7 started, 6 of them got a certificate: 7 - 6 = 1 did not. The rest is a cell no page shows."""
    values = {"placed": 7, "certified": 6, "rest": 1}
    assert protect(values, [Line("placed", ("certified", "rest"))], 5, unpublished={"rest"}) == {"certified"}
    # 7 started and 2 of them stopped: 2 is hidden; the 5 who stayed would give it away
    values = {"placed": 7, "stayed": 5, "stopped": 2}
    assert protect(values, [Line("placed", ("stayed", "stopped"))], 5) == {"stayed", "stopped"}


def test_the_whole_study_and_its_districts():
    """A figure on the whole-study page (12) and on each district page (5, 3, 4): hiding 3 on its own
    page is not enough, because 12 - 5 - 4 = 3 on the pages of one build; the smallest other district
    goes too, and 12 - 5 = 7 is safe."""
    values = {"all": 12, "N": 5, "O": 3, "W": 4}
    assert protect(values, [Line("all", ("N", "O", "W"))], 5) == {"O", "W"}


def test_a_cell_worked_out_through_another_line_is_protected_where_it_came_from():
    """Rows West (3 + 10 = 13) and Oost (8 + 9 = 17) with known column totals: after hiding 3, 10 and
    8, the women's column still gives 10 away (49 - 9 - 30), and with it West men = 13 - 10 = 3.
    The fix is in the column the 10 came from (hide 9), not the row total 13."""
    mask = suppression_mask([[3, 10, 13], [8, 9, 17], [20, 30, 50]], n_counts=2, k=5)
    assert mask == [[True, True, False], [True, True, False], [False, False, False]]
