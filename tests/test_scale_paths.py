"""The checks that run over whole columns at once give what a row-by-row check gives.

* coding tables (``codings_from_table``): against a plain per-row reference
  (the rules as written out one row at a time), and hand-computed cases;
* XPath rules: a compiled expression against the interpreter that evaluates
  while it parses (``_Parser``), on generated expressions and values;
* answer files (``check_responses``): hand-computed problem order, and each
  rule run once per distinct combination of the values it reads.
"""

from __future__ import annotations

import math
import random

import polars as pl
import pytest

from impact import tabular as tb
from impact.coding.codings import codings_from_table
from impact.errors import Problem, Text
from impact.questionnaires import check_responses, read_xlsform
from impact.questionnaires import xpath as X

TEXTS = {"I01": "Één gesprek over werk: ik wil graag werken.", "I02": "Kort."}
CODES = {"motivatie": "motivatie", "drive": "motivatie", "rust": "rust"}


def reference_codings(path, shown, texts, codes):
    """The rules for a coding table, one row at a time (the specification)."""
    table = tb.read_table(path, required=["document", "start", "end", "code", "coder"], display=shown)
    rows, problems = [], list(table.problems)
    for rec, number in zip(table.rows, table.row_numbers):
        def bad(column, value, nl, en):
            problems.append(Problem(shown, number, column, value, Text(nl), record=dict(rec)))

        doc = rec["document"]
        if doc not in texts:
            bad("document", doc, "een transcript uit data/raw/transcripts", "a transcript from data/raw/transcripts")
            continue
        if not rec["coder"]:
            bad("coder", "", "de person_id van wie codeerde", "the person_id of the coder")
            continue
        try:
            start, end = int(tb.parse_number(rec["start"])), int(tb.parse_number(rec["end"]))
        except (ValueError, OverflowError):
            bad("start", f"{rec['start']}-{rec['end']}", "hele getallen voor start en end",
                "whole numbers for start and end")
            continue
        length = len(texts[doc])
        if not 0 <= start < end <= length:
            bad("end", f"{start}-{end}", f"0 <= start < end <= {length} (de lengte van de tekst)",
                f"0 <= start < end <= {length} (the length of the text)")
            continue
        code = rec["code"].strip()
        if codes is not None:
            code = codes.get(code.lower())
            if code is None:
                bad("code", rec["code"], "een code of oude naam (alias) uit het codeboek",
                    "a code or old name (alias) from the codebook")
                continue
        rows.append({"document": doc, "start": start, "end": end, "code": code, "coder": rec["coder"],
                     "text": texts[doc][start:end]})
    return rows, problems


def same_problems(got, want):
    # the same words for the reader (messages keep their values apart from the text)
    assert [(p.file, p.row, p.column, p.value, p.expected("nl"), p.severity) for p in got] == [
        (p.file, p.row, p.column, p.value, p.expected("nl"), p.severity) for p in want]
    assert [p.record for p in got] == [p.record for p in want]


CELLS = {
    "document": ["I01", "I02", "I03", "", "i01"],
    "start": ["0", "3", "5", "1,0", "2.7", "1.0e1", "-1", "x", "", "1_0", "1.234,0", "inf", "nan", "0003"],
    "end": ["4", "5", "12", "44", "45", "2,0", "1e30", "99999999999999999", "", "6.9"],
    "code": ["motivatie", "Drive", " rust ", "onbekend", "", "MOTIVATIE"],
    "coder": ["BB03", "", "BB07"],
}


@pytest.mark.parametrize("quoted", [False, True])
@pytest.mark.parametrize("codes", [CODES, None])
def test_coding_table_matches_the_row_by_row_rules(tmp_path, quoted, codes):
    # without quotes the rows are cut by polars; with quotes by the csv module
    rng = random.Random(3)
    sep = "," if quoted else ";"
    lines = ["# titel", sep.join(["document", "start", "end", "code", "coder", "note"])]
    for i in range(1500):
        cells = [rng.choice(CELLS[c]) for c in ("document", "start", "end", "code", "coder")] + [f"n{i}"]
        if quoted:
            cells = [f'"{c}"' if "," in c or rng.random() < 0.1 else c for c in cells]
        lines.append(sep.join(cells))
        if i == 50:
            lines.append(lines[1])  # a repeated header: a problem of its own
    path = tmp_path / "codes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got, problems = codings_from_table(path, "codings/codes.csv", TEXTS, codes)
    rows, want = reference_codings(path, "codings/codes.csv", TEXTS, codes)
    assert got.to_dicts() == rows
    assert got.schema == {"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                          "coder": pl.Utf8, "text": pl.Utf8}
    same_problems(problems, want)
    assert len(rows) > 30 and len({p.column for p in want}) >= 5 - (codes is None)


def test_coding_table_by_hand(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("document;start;end;code;coder\n"
                    "I01;0;4;drive;BB03\n"       # 2: 'Één ' counts characters, not bytes
                    "I01;1,0;2.9;Rust ;BB03\n"   # 3: decimal comma and a fraction: 1 and 2
                    "I02;0;6;rust;BB03\n"        # 4: past the end (length 5)
                    "I02;inf;2;rust;BB03\n"      # 5: not a whole number
                    "I09;0;1;rust;BB03\n"        # 6: unknown document
                    "I02;0;1;rust;\n"            # 7: no coder
                    "I02;0;1;zwemmen;BB03\n",    # 8: unknown code
                    encoding="utf-8")
    got, problems = codings_from_table(path, "c.csv", TEXTS, CODES)
    assert got.select("start", "end", "code", "text").rows() == [(0, 4, "motivatie", "Één "), (1, 2, "rust", "é")]
    assert [(p.row, p.column, p.value) for p in problems] == [
        (4, "end", "0-6"), (5, "start", "inf-2"), (6, "document", "I09"), (7, "coder", ""), (8, "code", "zwemmen")]
    assert problems[0].expected.en == "0 <= start < end <= 5 (the length of the text)"
    assert problems[4].record == {"document": "I02", "start": "0", "end": "1", "code": "zwemmen", "coder": "BB03"}


# ---- XPath ------------------------------------------------------------------

ATOMS = [".", "${a}", "${b}", "${zz}", "1", "2.5", ".5", "0", "'ja'", "'x y'", "''", "true()", "false()", "'['"]
FUNCTIONS = [("not", 1), ("selected", 2), ("count-selected", 1), ("string-length", 1), ("regex", 2),
             ("number", 1), ("int", 1), ("contains", 2), ("starts-with", 2), ("string", 1), ("today", 0),
             ("not", 2)]
OPERATORS = ["and", "or", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]


def expression(rng, depth=0):
    r = rng.random()
    if depth > 3 or r < 0.3:
        return rng.choice(ATOMS)
    if r < 0.55:
        return f"{expression(rng, depth + 1)} {rng.choice(OPERATORS)} {expression(rng, depth + 1)}"
    if r < 0.65:
        return f"({expression(rng, depth + 1)})"
    if r < 0.7:
        return f"-{expression(rng, depth + 1)}"
    name, k = rng.choice(FUNCTIONS)
    return f"{name}({', '.join(expression(rng, depth + 1) for _ in range(k))})"


def outcome(run):
    try:
        value = run()
    except X.Unsupported as err:
        return ("unsupported", err.args)
    except Exception as err:  # noqa: BLE001 - division by zero must behave the same too
        return ("raised", type(err).__name__, str(err))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return ("value", type(value).__name__, value)


def test_compiled_expressions_match_the_interpreter():
    rng = random.Random(11)
    values_pool = ["", "1", "3", "ja", "x y", "a", "0", "[", "-2", "1e3", " 4 "]
    kinds = set()
    for _ in range(1500):
        expr = expression(rng)
        expr += rng.choice(["", "", "", "", " )", " $"])  # some are rejected part-way, or by the tokenizer
        for _ in range(3):
            values = {".": rng.choice(values_pool), "a": rng.choice(values_pool), "b": rng.choice(values_pool)}
            if rng.random() < 0.2:
                del values["b"]
            current = rng.choice([".", "a", "q"])
            want = outcome(lambda: X._Parser(X._tokens(expr), values, current).parse())
            assert outcome(lambda: X.evaluate(expr, current, values)) == want, (expr, values, current)
            kinds.add(want[0])
    # dividing by zero gives Infinity or NaN, as in XPath 1.0: nothing raises
    assert kinds == {"value", "unsupported", "nan"}


@pytest.mark.parametrize("expr,values,expected", [
    (". div 0 > 1000", {".": "3"}, True),            # 3 div 0 = Infinity
    ("-1 div 0 < -1000", {}, True),                  # -Infinity
    ("0 div 0 = 0 div 0", {}, False),                # NaN is not equal to itself
    ("-5 mod 2 = -1", {}, True),                     # the sign of the left number (XPath), not Python's 1
    ("5 mod -2 = 1", {}, True),
    ("${b} mod 0 = ${b} mod 0", {"b": "4"}, False),  # NaN
])
def test_division_by_zero_and_mod_follow_xpath(expr, values, expected):
    assert X.evaluate(expr, ".", values) is expected
    assert X._Parser(X._tokens(expr), values, ".").parse() is expected


def test_a_rule_that_divides_by_zero_rejects_the_answer_with_a_message(tmp_path):
    form_path = tmp_path / "uren.md"
    form_path.write_text("""| survey |
| | type | name | label | constraint |
| | text | respondent | R | |
| | integer | dagen | Dagen | |
| | integer | uren | Uren | . div ${dagen} <= 12 |
""", encoding="utf-8")
    form = read_xlsform(form_path, name="uren")
    answers = tmp_path / "a.csv"
    answers.write_text("respondent,dagen,uren\nR1,2,16\nR2,0,16\nR3,0,0\n", encoding="utf-8")
    df, problems = check_responses(answers, form)
    # R2: 16 div 0 = Infinity, more than 12; R3: 0 div 0 = NaN, not <= 12 (both rejected, no crash)
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "uren", "16"), (4, "uren", "0")]
    assert ". div ${dagen} <= 12" in problems[0].render("en")


def test_expression_is_parsed_once_and_names_what_it_reads():
    e = X.compile_expression("not(selected(., 'x')) and ${b} > 1 and ${b} < 9")
    assert X.compile_expression("not(selected(., 'x')) and ${b} > 1 and ${b} < 9") is e
    assert (e.dot, e.refs) == (True, ("b",))
    assert e.key("q", {"q": "x y", "b": "3", "c": "7"}) == ("x y", "3")
    assert e("q", {"q": "y", "b": "3"}) is True and e("q", {"q": "x", "b": "3"}) is False
    with pytest.raises(X.Unsupported):
        e("q", {"q": "y"})  # ${b} is not among the values
    with pytest.raises(X.Unsupported):
        X.compile_expression(". > 1 )")(".", {".": "2"})


# ---- answer files -------------------------------------------------------------

FORM = """| survey |
| | type | name | label | required | relevant | constraint |
| | text | respondent | R | yes | | |
| | integer | wave | W | | | |
| | select_one yn | q_a | A | yes | | |
| | integer | q_b | B | yes | ${q_a} = 'ja' | . >= 1 and . <= 5 |
| | text | q_c | C | | | string-length(.) < ${q_b} |
| | text | q_d | D | | | today() > 1 |
| choices |
| | list_name | name | label |
| | yn | ja | Ja |
| | yn | nee | Nee |
"""


@pytest.fixture
def form(tmp_path):
    path = tmp_path / "vorm.md"
    path.write_text(FORM, encoding="utf-8")
    return read_xlsform(path, name="vorm")


def test_answer_problems_come_by_row_then_by_question(tmp_path, form):
    path = tmp_path / "a.csv"
    path.write_text("respondent,wave,q_a,q_b,q_c,q_d\n"
                    "R1,1,ja,3,ab,\n"        # 2: good
                    "R2,1,ja,,abcd,x\n"      # 3: q_d rule not checked (first use), q_b required, q_c too long
                    "R3,x,misschien,9,,\n"   # 4: wave and q_a (values, by question), then q_b's rule
                    "R4,1,nee,,abc,\n"       # 5: q_b not relevant; q_c: length 3 < '' is false
                    "R1,1,ja,2,a,y\n",       # 6: R1 again in wave 1
                    encoding="utf-8")
    df, problems = check_responses(path, form)
    assert [(p.row, p.column, p.severity) for p in problems] == [
        (None, "q_d", "warning"), (3, "q_b", "error"), (3, "q_c", "error"),
        (4, "wave", "error"), (4, "q_a", "error"), (4, "q_b", "error"),
        (5, "q_c", "error"),
        (6, "respondent", "error")]
    assert "rij 2" in problems[-1].render("nl")
    assert df.select("respondent", "item", "value", "value_num").rows() == [
        ("R1", "q_a", "ja", None), ("R1", "q_b", "3", 3.0), ("R1", "q_c", "ab", None)]


def test_each_rule_runs_once_per_distinct_combination(tmp_path, form, monkeypatch):
    calls = []
    real = X.Expression.__call__

    def counting(self, current, values):
        calls.append((self.expr, current, tuple(sorted(values.items()))))
        return real(self, current, values)

    monkeypatch.setattr(X.Expression, "__call__", counting)
    rows = [f"R{i},1,{'ja' if i % 2 else 'nee'},{1 + i % 3},{'abc'[: i % 2 + 1]},\n" for i in range(60)]
    path = tmp_path / "a.csv"
    path.write_text("respondent,wave,q_a,q_b,q_c,q_d\n" + "".join(rows), encoding="utf-8")
    df, problems = check_responses(path, form)
    assert len(calls) == len(set(calls))  # no combination twice
    by_rule = {}
    for expr, _, _ in calls:
        by_rule[expr] = by_rule.get(expr, 0) + 1
    # q_b's rule reads q_b (3 values); q_c's rule reads q_c and q_b: (i % 2, i % 3) gives 6 combinations
    assert by_rule == {". >= 1 and . <= 5": 3, "string-length(.) < ${q_b}": 6}
    bad = [i for i in range(60) if len("abc"[: i % 2 + 1]) >= 1 + i % 3]
    assert [p.row for p in problems if p.severity == "error"] == [i + 2 for i in bad]
    assert df["respondent"].unique().len() == 60 - len(bad)
