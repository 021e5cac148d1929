"""Agreement between coders against published worked examples, and the analysis tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from impact.coding.reliability import agreement, agreement_matrix, disagreements, pooled_alpha
from impact.coding.analysis import code_frequencies, cooccurrence, quotes, saturation
from impact.coding.corpus import Corpus


def paragraphs_corpus(values_by_coder: dict[str, list[int]], code: str = "x", document: str = "I1"):
    """One document with one paragraph per unit; a coder codes a paragraph when the value is 1."""
    n = len(next(iter(values_by_coder.values())))
    text = "\n\n".join(f"alinea {i:03d}" for i in range(n))
    starts = [i * 12 for i in range(n)]
    rows = [(document, starts[i], starts[i] + 10, code, coder)
            for coder, values in values_by_coder.items() for i, v in enumerate(values) if v == 1]
    # every coder coded this document (a coding with another code on the first unit marks that)
    rows += [(document, 0, 3, "gezien", coder) for coder in values_by_coder]
    codings = pl.DataFrame(rows, schema=["document", "start", "end", "code", "coder"], orient="row")
    return Corpus.from_tables(pl.DataFrame({"document": [document], "text": [text]}), codings)


def test_krippendorff_binary_example_two_coders():
    """Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, section A
    ("binary data, two observers, no missing data"): ten units, alpha = 0.095."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    row = agreement(paragraphs_corpus({"A": a, "B": b})).filter(pl.col("code") == "x").row(0, named=True)
    assert round(row["krippendorff_alpha"], 3) == 0.095
    assert row["percent_agreement"] == pytest.approx(0.6)
    # Cohen's kappa by hand: po = 0.6, pe = 0.2*0.4 + 0.8*0.6 = 0.56, kappa = 0.04/0.44
    assert row["cohen_kappa"] == pytest.approx(0.04 / 0.44)
    assert row["units"] == 10 and row["units_with_code"] == 5


def test_cohen_kappa_worked_example():
    """Worked example of Cohen's kappa (Wikipedia, "Cohen's kappa", Simple example):
    50 proposals, both yes 20, both no 15, A yes/B no 5, A no/B yes 10: kappa = 0.4."""
    a = [1] * 20 + [0] * 15 + [1] * 5 + [0] * 10
    b = [1] * 20 + [0] * 15 + [0] * 5 + [1] * 10
    row = agreement(paragraphs_corpus({"A": a, "B": b})).filter(pl.col("code") == "x").row(0, named=True)
    assert row["cohen_kappa"] == pytest.approx(0.4)
    assert row["percent_agreement"] == pytest.approx(0.7)


def test_three_coders_with_a_missing_document_and_the_reliability_matrix():
    """Coders who did not code a document have no value there (missing, not 0)."""
    import krippendorff

    text = "een\n\ntwee\n\ndrie"
    docs = pl.DataFrame({"document": ["I1", "I2"], "text": [text, text]})
    rows = [("I1", 0, 3, "x", "A"), ("I1", 5, 9, "x", "B"), ("I1", 0, 3, "x", "C"), ("I1", 11, 15, "y", "C"),
            ("I2", 0, 3, "x", "A"), ("I2", 0, 3, "x", "B")]  # C did not code I2
    corpus = Corpus.from_tables(docs, pl.DataFrame(rows, schema=["document", "start", "end", "code", "coder"],
                                                   orient="row"))
    m = agreement_matrix(corpus, "x")
    nan = np.nan
    expected = np.array([[1, 0, 0, 1, 0, 0], [0, 1, 0, 1, 0, 0], [1, 0, 0, nan, nan, nan]])
    np.testing.assert_array_equal(m, expected)
    table = agreement(corpus)
    x = table.filter(pl.col("code") == "x").row(0, named=True)
    assert x["krippendorff_alpha"] == pytest.approx(krippendorff.alpha(expected, level_of_measurement="nominal"))
    assert x["cohen_kappa"] is None  # three coders
    assert x["percent_agreement"] == pytest.approx(4 / 6)  # units 1 and 2 of I1 split the coders
    diff = disagreements(corpus)
    assert diff.filter(pl.col("code") == "x").select("document", "unit_id", "text", "coded_by", "not_coded_by").rows() == [
        ("I1", 1, "een", ["A", "C"], ["B"]), ("I1", 2, "twee", ["B"], ["A", "C"])]


def test_pooled_alpha_equals_krippendorff_on_the_stacked_data():
    import krippendorff

    rng = np.random.default_rng(7)
    blocks = [np.column_stack([rng.integers(0, 3, 40), rng.integers(0, 3, 40)]) for _ in range(4)]
    assert pooled_alpha(blocks) == pytest.approx(
        krippendorff.alpha(value_counts=np.vstack(blocks), level_of_measurement="nominal"))


def test_overall_row_pools_codes():
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    table = agreement(paragraphs_corpus({"A": a, "B": b}))
    overall = table.filter(pl.col("code") == "(all)").row(0, named=True)
    # x: 6 of 10 agree; gezien: 10 of 10 agree
    assert overall["percent_agreement"] == pytest.approx(16 / 20)
    assert table["code"].to_list() == ["gezien", "x", "(all)"]


def test_turns_as_units():
    text = "A: Hoe gaat het?\n\nB: Goed.\n\nHet werk is fijn.\n\nA: Mooi."
    docs = pl.DataFrame({"document": ["I1"], "text": [text]})
    # coder P codes the first paragraph of B's turn, Q the second: different paragraphs, same turn
    rows = [("I1", 19, 24, "x", "P"), ("I1", 27, 44, "x", "Q")]
    corpus = Corpus.from_tables(docs, pl.DataFrame(rows, schema=["document", "start", "end", "code", "coder"],
                                                   orient="row"))
    assert corpus.units("turn")["text"].to_list() == ["A: Hoe gaat het?", "B: Goed.\n\nHet werk is fijn.", "A: Mooi."]
    by_turn = agreement(corpus, unit="turn").filter(pl.col("code") == "x").row(0, named=True)
    by_paragraph = agreement(corpus, unit="paragraph").filter(pl.col("code") == "x").row(0, named=True)
    assert by_turn["percent_agreement"] == 1.0 and by_turn["units"] == 3
    assert by_paragraph["percent_agreement"] == pytest.approx(2 / 4)


def test_agreement_needs_two_coders():
    from impact.errors import InputError

    with pytest.raises(InputError, match="two coders"):
        agreement(paragraphs_corpus({"A": [1, 0]}))


@pytest.fixture
def interviews():
    docs = pl.DataFrame({
        "document": ["I1", "I2", "I3"],
        "text": ["Ik wil werken.\n\nDe buurt helpt.", "Wij zien vertrouwen.", "Geld is krap.\n\nIk wil werken."],
        "date": [dt.date(2023, 5, 3), dt.date(2023, 5, 1), dt.date(2023, 5, 2)],
        "actor_type": ["informal", "formal", "informal"],
        "interviewee": ["R1", "F1", "R1"],
        "consent": [True, True, False],
    })
    rows = [("I1", 0, 14, "motivatie", "A"), ("I1", 0, 14, "motivatie", "B"), ("I1", 16, 31, "buurt", "A"),
            ("I1", 3, 6, "werk", "A"),
            ("I2", 9, 19, "vertrouwen", "A"), ("I3", 0, 13, "geld", "B"), ("I3", 15, 29, "motivatie", "B")]
    codings = pl.DataFrame(rows, schema=["document", "start", "end", "code", "coder"], orient="row")
    return Corpus.from_tables(docs, codings)


def test_code_frequencies_by_actor_type(interviews):
    table = code_frequencies(interviews)
    motivatie = table.filter((pl.col("code") == "motivatie")).select("actor_type", "segments", "documents", "persons")
    # same words coded by A and B count once; I1 and I3 are the same person R1
    assert motivatie.rows() == [("informal", 2, 2, 1)]
    assert table.filter(pl.col("code") == "vertrouwen").select("actor_type", "segments").rows() == [("formal", 1)]


def test_cooccurrence_on_paragraphs(interviews):
    table = cooccurrence(interviews)
    pairs = {(a, b): n for a, b, n in table.iter_rows()}
    assert pairs[("motivatie", "werk")] == 1       # both in I1's first paragraph
    assert pairs[("motivatie", "motivatie")] == 2  # I1 and I3
    assert ("buurt", "motivatie") not in pairs


def test_quotes_leave_out_interviews_without_consent(interviews):
    table = quotes(interviews, code="motivatie")
    assert table.select("document", "text", "coders", "actor_type").rows() == [
        ("I1", "Ik wil werken.", ["A", "B"], "informal")]
    assert quotes(interviews, code="motivatie", consented_only=False).height == 2


def test_saturation_in_date_order(interviews):
    table = saturation(interviews)
    assert table.select("document", "codes", "new_codes", "cumulative_codes").rows() == [
        ("I2", 1, 1, 1), ("I3", 2, 2, 3), ("I1", 3, 2, 5)]
    assert table["new_code_names"].to_list()[2] == ["buurt", "werk"]


def test_paragraph_units_cut_all_documents_at_once_like_text_units():
    """Hand-checked cuts: a blank run breaks a paragraph from its first to after its last newline
    (spaces and tabs in between allowed); a line with text between two newlines does not; offsets
    are in code points; empty and missing texts have no units. The same cuts as ``text_units``."""
    from impact.coding.transcripts import text_units

    texts = ["\n\neen\n \t\ntwee\n\n\n  drie\n x\nvijf\n\n", "ë\n\n😀", "", None, "  \n\t\n  ", "één alinea"]
    docs = pl.DataFrame({"document": [f"D{i}" for i in range(len(texts))], "text": texts})
    units = Corpus.from_tables(docs, pl.DataFrame(schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64,
                                                          "code": pl.Utf8, "coder": pl.Utf8})).units()
    assert units.select("document", "unit_id", "start", "end", "text").rows() == [
        ("D0", 1, 2, 5, "een"), ("D0", 2, 9, 13, "twee"), ("D0", 3, 16, 30, "  drie\n x\nvijf"),
        ("D1", 1, 0, 1, "ë"), ("D1", 2, 3, 4, "😀"),
        ("D4", 1, 0, 2, "  "), ("D4", 2, 5, 7, "  "),
        ("D5", 1, 0, 10, "één alinea")]
    expected = [(f"D{i}", u["start"], u["end"], u["text"]) for i, t in enumerate(texts)
                for u in text_units(t or "", "paragraph")]
    assert units.select("document", "start", "end", "text").rows() == expected
    assert set(units["kind"].to_list()) == {"paragraph"}


def test_repeat_agreement_reuses_the_corpus_cache_until_a_table_is_replaced():
    """A second call gives the same table (from the cached presence); a new codings table is
    seen at once. Hand-computed: 4 paragraphs, A codes 1 and 2, B codes 1 (then 1 and 2)."""
    docs = pl.DataFrame({"document": ["I1"], "text": ["a\n\nb\n\nc\n\nd"]})
    first = pl.DataFrame({"document": ["I1"] * 4, "start": [0, 3, 0, 9], "end": [1, 4, 1, 10],
                          "code": ["x", "x", "x", "y"], "coder": ["A", "A", "B", "B"]})
    corpus = Corpus.from_tables(docs, first)
    once = agreement(corpus)
    assert once.equals(agreement(corpus))
    x = once.filter(pl.col("code") == "x").row(0, named=True)
    assert x["percent_agreement"] == pytest.approx(0.75) and x["units_with_code"] == 2
    # subsets of coders are cached apart: A alone is too few
    with pytest.raises(Exception, match="minstens twee codeurs|at least two coders"):
        agreement(corpus, coders=["A"])
    assert agreement(corpus, coders=["A", "B"]).equals(once)
    corpus.codings = Corpus.from_tables(docs, pl.concat([first, pl.DataFrame(
        {"document": ["I1"], "start": [3], "end": [4], "code": ["x"], "coder": ["B"]})])).codings
    x = agreement(corpus).filter(pl.col("code") == "x").row(0, named=True)
    assert x["percent_agreement"] == pytest.approx(1.0) and x["cohen_kappa"] == pytest.approx(1.0)
    assert disagreements(corpus, codes=["x"]).height == 0
