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


def test_pooled_alpha_leaves_out_units_seen_by_fewer_than_two_coders():
    import krippendorff

    block = np.array([[2, 0], [1, 1], [0, 1], [1, 0], [0, 0], [0, 2], [3, 1]])
    assert pooled_alpha([block]) == pytest.approx(krippendorff.alpha(value_counts=block[[0, 1, 5, 6]],
                                                                     level_of_measurement="nominal"))
    assert pooled_alpha([np.array([[1, 0], [0, 1], [0, 0]]), np.zeros((0, 2), dtype=int)]) is None


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


# --- paragraphs worked out once (impact.coding.units), as impact process writes them ---------------

def _coding_table(rows):
    return pl.DataFrame(rows, schema=["document", "start", "end", "code", "coder"], orient="row")


def test_add_unit_columns_hand_computed():
    """D0: paragraphs [0,3) [5,9) [12,16); D1: [0,2) [6,8) (a blank run with a space and a tab);
    a coding touches the paragraphs it overlaps; one of only a blank run touches none (nulls)."""
    from impact.coding.units import add_unit_columns

    docs = pl.DataFrame({"document": ["D0", "D1", "D2", "D3"], "text": ["een\n\ntwee\n\n\ndrie", "ab\n \t\ncd", "", None]})
    codings = _coding_table([("D0", 0, 3, "x", "A"), ("D0", 1, 7, "x", "A"), ("D0", 4, 14, "x", "A"),
                             ("D0", 3, 5, "x", "A"), ("D0", 9, 12, "x", "A"), ("D0", 0, 16, "x", "A"),
                             ("D1", 1, 7, "x", "A"), ("D1", 3, 5, "x", "A"), ("X9", 0, 1, "x", "A")])
    t, c = add_unit_columns(docs, codings)
    assert t["paragraphs"].to_list() == [3, 2, 0, 0]
    assert t.drop("paragraphs").equals(docs) and c.drop("paragraph", "paragraph_last").equals(codings)
    assert c.select("paragraph", "paragraph_last").rows() == [
        (1, 1), (1, 2), (2, 3), (None, None), (None, None), (1, 3), (1, 2), (None, None), (None, None)]
    # unit ids as Corpus.units() numbers them
    units = Corpus.from_tables(docs, codings.filter(pl.col("document") != "X9")).units()
    assert units.group_by("document").len().sort("document").rows() == [("D0", 3), ("D1", 2)]
    assert add_unit_columns(docs, None)[1] is None


def test_add_unit_columns_matches_the_paragraphs_each_coding_touches():
    """Random texts and codings: the columns equal a plain loop over ``text_units`` per coding."""
    from impact.coding.transcripts import text_units
    from impact.coding.units import add_unit_columns

    rng = np.random.default_rng(11)
    pieces = ["woord", " ", "\n", "\n\n", "\n \n", "\t", "é", "😀"]
    texts = ["".join(rng.choice(pieces, size=int(rng.integers(0, 40)))) for _ in range(40)]
    docs = pl.DataFrame({"document": [f"D{i}" for i in range(len(texts))], "text": texts})
    rows = []
    for i, text in enumerate(texts):
        for _ in range(8):
            if len(text) >= 1:
                s = int(rng.integers(0, len(text)))
                rows.append((f"D{i}", s, int(rng.integers(s + 1, len(text) + 1)), "x", "A"))
    t, c = add_unit_columns(docs, _coding_table(rows))
    assert t["paragraphs"].to_list() == [len(text_units(x, "paragraph")) for x in texts]
    for (doc, s, e, *_), first, last in zip(rows, c["paragraph"], c["paragraph_last"]):
        touched = [k + 1 for k, u in enumerate(text_units(texts[int(doc[1:])], "paragraph"))
                   if u["start"] < e and u["end"] > s]
        assert (first, last) == ((touched[0], touched[-1]) if touched else (None, None))


@pytest.fixture
def multi_paragraph_tables():
    """Three interviews, three coders (C did not code I2), codings over one, several or no paragraphs."""
    docs = pl.DataFrame({"document": ["I1", "I2", "I3"],
                         "text": ["een\n\ntwee\n\ndrie\n\nvier", "a\n\nb\n\nc", "één alinea"]})
    # I1 paragraphs: [0,3) [5,9) [11,15) [17,21); I2: [0,1) [3,4) [6,7); I3: [0,10)
    rows = [("I1", 0, 9, "x", "A"), ("I1", 5, 15, "x", "B"), ("I1", 0, 3, "x", "C"), ("I1", 3, 5, "y", "A"),
            ("I1", 11, 21, "y", "B"), ("I1", 17, 21, "y", "C"), ("I1", 0, 21, "z", "C"),
            ("I2", 0, 7, "x", "A"), ("I2", 3, 4, "x", "B"), ("I2", 1, 3, "y", "B"),
            ("I3", 0, 10, "x", "A"), ("I3", 2, 4, "x", "B"), ("I3", 0, 10, "y", "C")]
    return docs, _coding_table(rows)


def test_agreement_same_with_and_without_the_unit_columns(multi_paragraph_tables):
    from impact.coding.analysis import cooccurrence
    from impact.coding.units import add_unit_columns

    docs, codings = multi_paragraph_tables
    cut = Corpus.from_tables(docs, codings)
    known = Corpus.from_tables(*add_unit_columns(docs, codings))
    assert {"paragraph", "paragraph_last"} <= set(known.codings.columns)
    for kwargs in ({}, {"coders": ["A", "B"]}, {"coders": ["B", "C"], "codes": ["x", "y"]}, {"codes": ["x"]}):
        a, b = agreement(cut, **kwargs), agreement(known, **kwargs)
        assert a.equals(b), kwargs
        assert disagreements(cut, **kwargs).equals(disagreements(known, **kwargs))
    for code in ("x", "y", "z"):
        np.testing.assert_array_equal(agreement_matrix(cut, code), agreement_matrix(known, code))
    assert cooccurrence(cut).equals(cooccurrence(known))
    # the known corpus never cut its texts for agreement (disagreements asked for the units table)
    fresh = Corpus.from_tables(*add_unit_columns(docs, codings))
    agreement(fresh)
    assert ("bounds", "paragraph") not in fresh.cache() and fresh.cache()[("_precomputed", "paragraph")] is not None
    # other unit kinds, and a units table, as before
    assert agreement(cut, unit="turn").equals(agreement(known, unit="turn"))
    assert agreement(cut, unit=cut.units()).equals(agreement(known, unit=known.units()))


def test_agreement_with_unit_columns_hand_computed():
    """a / b / c: A codes x over paragraphs 1-2 (one coding), B codes x on paragraph 2.
    A = [1, 1, 0], B = [0, 1, 0]. Percent agreement 2/3. Kappa: po = 2/3, pe = 2/3*1/3 + 1/3*2/3 = 4/9,
    kappa = (2/9)/(5/9) = 0.4. Alpha (nominal): coincidences o00 = 2, o01 = o10 = 1, o11 = 2, n = 6,
    alpha = 1 - (n - 1) * 2 / (2 * 3 * 3) = 4/9."""
    from impact.coding.units import add_unit_columns

    docs = pl.DataFrame({"document": ["I1"], "text": ["a\n\nb\n\nc"]})
    codings = _coding_table([("I1", 0, 4, "x", "A"), ("I1", 3, 4, "x", "B")])
    docs, codings = add_unit_columns(docs, codings)
    assert codings.select("paragraph", "paragraph_last").rows() == [(1, 2), (2, 2)]
    corpus = Corpus.from_tables(docs, codings)
    x = agreement(corpus).filter(pl.col("code") == "x").row(0, named=True)
    assert x["percent_agreement"] == pytest.approx(2 / 3) and x["units"] == 3 and x["units_with_code"] == 2
    assert x["cohen_kappa"] == pytest.approx(0.4)
    assert x["krippendorff_alpha"] == pytest.approx(4 / 9)
    assert ("bounds", "paragraph") not in corpus.cache()


def test_unit_columns_that_do_not_fit_the_texts_are_not_used(multi_paragraph_tables):
    """Columns of other texts (a paragraph beyond the document's count, one of the pair null): cut instead."""
    from impact.coding.units import add_unit_columns

    docs, codings = multi_paragraph_tables
    expected = agreement(Corpus.from_tables(docs, codings))
    t, c = add_unit_columns(docs, codings)
    for bad in (c.with_columns(pl.when(pl.col("document") == "I2").then(9).otherwise(pl.col("paragraph_last"))
                               .alias("paragraph_last")),
                c.with_columns(pl.when(pl.col("document") == "I3").then(None).otherwise(pl.col("paragraph"))
                               .alias("paragraph"))):
        corpus = Corpus.from_tables(t, bad)
        assert agreement(corpus).equals(expected)
        assert ("bounds", "paragraph") in corpus.cache()
    # the documents' count missing: the codings' columns are left out
    assert "paragraph" not in Corpus.from_tables(docs, c).codings.columns


def test_corpus_from_study_keeps_the_unit_columns(multi_paragraph_tables):
    from types import SimpleNamespace

    from impact.coding.units import add_unit_columns

    docs, codings = multi_paragraph_tables
    t, c = add_unit_columns(docs, codings)
    c = Corpus.from_tables(t, c).codings  # with text, as processed codings have
    tables = {"transcripts": t, "codings": c, "codebook": pl.DataFrame({"code": ["x", "y", "z"]})}
    study = SimpleNamespace(table=tables.__getitem__, config=SimpleNamespace(name="s"))
    corpus = Corpus.from_study(study)
    assert corpus.codings.columns[-2:] == ["paragraph", "paragraph_last"]
    assert agreement(corpus).equals(agreement(Corpus.from_tables(docs, codings)))
    assert ("bounds", "paragraph") not in corpus.cache()


def test_alpha_per_code_equals_krippendorff_on_the_reliability_matrix():
    """Random codings of three coders (C skipped two documents), paragraphs and codings over several:
    each code's alpha is ``krippendorff.alpha`` of its coders x units matrix (NaN where not seen);
    a code without variation has none (krippendorff gives NaN)."""
    import krippendorff

    rng = np.random.default_rng(5)
    n_docs, per_doc = 6, 20
    text = "\n\n".join(f"alinea {i:03d}" for i in range(per_doc))  # paragraph i at 12 * i, 10 long
    docs = pl.DataFrame({"document": [f"I{d}" for d in range(n_docs)], "text": [text] * n_docs})
    rows = []
    for d in range(n_docs):
        for coder, rate in (("A", 0.3), ("B", 0.4), ("C", 0.2)):
            if coder == "C" and d >= 4:
                continue
            rows.append((f"I{d}", 0, len(text), "overal", coder))  # every unit: no variation
            for code in ("x", "y", "z"):
                for i in np.flatnonzero(rng.random(per_doc) < rate):
                    span = int(rng.integers(1, 3))  # one or two paragraphs
                    rows.append((f"I{d}", 12 * i + 2, min(12 * (i + span) - 2, len(text)), code, coder))
    corpus = Corpus.from_tables(docs, _coding_table(rows))
    table = agreement(corpus)
    for code in ("x", "y", "z"):
        ours = table.filter(pl.col("code") == code)["krippendorff_alpha"][0]
        theirs = krippendorff.alpha(reliability_data=agreement_matrix(corpus, code), level_of_measurement="nominal")
        assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-15)
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan(krippendorff.alpha(reliability_data=agreement_matrix(corpus, "overal"), value_domain=[0, 1],
                                           level_of_measurement="nominal"))
    assert table.filter(pl.col("code") == "overal")["krippendorff_alpha"][0] is None
    two = agreement(corpus, coders=["A", "B"])
    for code in ("x", "y", "z"):
        theirs = krippendorff.alpha(reliability_data=agreement_matrix(corpus, code, coders=["A", "B"]),
                                    level_of_measurement="nominal")
        assert two.filter(pl.col("code") == code)["krippendorff_alpha"][0] == pytest.approx(theirs, rel=1e-12)
    # kappa of two coders: statsmodels' cohens_kappa on the 2x2 table of the units both saw
    from statsmodels.stats.inter_rater import cohens_kappa

    for code in ("x", "y", "z"):
        m = agreement_matrix(corpus, code, coders=["A", "B"])
        seen = ~np.isnan(m).any(axis=0)
        a, b = m[0, seen].astype(int), m[1, seen].astype(int)
        table2 = np.bincount(a * 2 + b, minlength=4).reshape(2, 2)
        expected = cohens_kappa(table2).kappa
        assert two.filter(pl.col("code") == code)["cohen_kappa"][0] == pytest.approx(expected, rel=1e-12)
