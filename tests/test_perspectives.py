"""Research question 3 (impact.perspectives), checked against hand-computed values."""

import polars as pl
import pytest
from scipy.stats import chi2 as chi2_dist

from impact import perspectives as pv
from impact.errors import InputError
from impact.vocabulary import PALETTE


def coded(pairs):
    """pairs: (document, code, start, end, coder, text) -> a processed codings table."""
    return pl.DataFrame(pairs, schema={"document": pl.Utf8, "code": pl.Utf8, "start": pl.Int64,
                                       "end": pl.Int64, "coder": pl.Utf8, "text": pl.Utf8}, orient="row")


@pytest.fixture
def thirty():
    """15 informal interviews (10 code a, 5 code b) and 15 formal ones (5 a, 10 b).

    By hand: every expected count is 15 * 15 / 30 = 7.5, so
    chi2 = 4 * 2.5**2 / 7.5 = 3.333 (df 1), Cramer's V = sqrt(3.333 / 30) = 1/3,
    p = P(chi2_1 > 3.333) = 0.0679.
    """
    rows, docs = [], []
    for i in range(30):
        informal = i < 15
        code = "a" if (i < 10 or 15 <= i < 20) else "b"
        rows.append((f"I{i:02}", code, 0, 4, "p_c1", "tekst"))
        docs.append((f"I{i:02}", "informal" if informal else "formal"))
    transcripts = pl.DataFrame(docs, schema={"document": pl.Utf8, "actor_type": pl.Utf8}, orient="row")
    return coded(rows), transcripts


def test_chi_square_and_cramers_v_by_hand(thirty):
    codings, transcripts = thirty
    r = pv.actor_code_test(codings, transcripts).row(0, named=True)
    assert r["chi2"] == pytest.approx(10 / 3)
    assert r["dof"] == 1 and r["n"] == 30
    assert r["cramers_v"] == pytest.approx(1 / 3)
    assert r["p"] == pytest.approx(chi2_dist.sf(10 / 3, 1))
    assert r["p"] == pytest.approx(0.0679, abs=1e-4)
    assert r["small_expected"] == 0.0
    assert "Cramérs V = 0,33" in pv.chi2_sentence(pv.actor_code_test(codings, transcripts), "nl")


def test_counts_interviews_not_segments_or_coders():
    codings = coded([("I1", "a", 0, 4, "p_c1", "x"), ("I1", "a", 0, 4, "p_c2", "x"),   # same passage, 2 coders
                     ("I1", "a", 10, 14, "p_c1", "y"), ("I2", "a", 0, 4, "p_c1", "z"),
                     ("I3", "b", 0, 4, "p_c1", "w")])
    transcripts = pl.DataFrame({"document": ["I1", "I2", "I3"], "actor_type": ["informal", "formal", "formal"]})
    t = pv.code_by_actor(codings, transcripts, lang="en")
    assert t.select("code", "actor_type", "interviews", "segments", "share").rows() == [
        ("a", "formal", 1, 1, 0.5), ("a", "informal", 1, 2, 1.0), ("b", "formal", 1, 1, 0.5)]
    assert t["actor_label"].to_list() == ["Organisations", "People from the neighbourhood", "Organisations"]


def test_themes_roll_up_to_top_parent():
    codings = coded([("I1", "motivatie", 0, 4, "p_c", "x"), ("I2", "werk", 0, 4, "p_c", "y")])
    transcripts = pl.DataFrame({"document": ["I1", "I2"], "actor_type": ["informal", "informal"]})
    codebook = pl.DataFrame({"code": ["ontwikkeling", "motivatie", "werk"],
                             "parent": [None, "ontwikkeling", "motivatie"]})
    t = pv.code_by_actor(codings, transcripts, codebook, level="theme")
    assert t.select("code", "interviews").rows() == [("ontwikkeling", 2)]


def test_agreement_verdicts_by_hand():
    """Four informal and four formal interviews.

    code 'vertrouwen': informal 3/4, formal 2/4 -> difference 0.25 > 0.2 -> mostly informal.
    code 'netwerk': informal 2/4, formal 2/4 -> both (>= 0.25, difference 0).
    code 'regels': informal 0/4, formal 3/4 -> mostly formal.
    code 'geld': informal 1/4, formal 0/4 -> difference 0.25 -> mostly informal.
    code 'taal': informal 1/4, formal 1/4 -> both, at exactly min_share 0.25.
    """
    rows = []
    def add(code, docs):
        rows.extend((d, code, 0, 4, "p_c", "t") for d in docs)
    add("vertrouwen", ["i1", "i2", "i3", "f1", "f2"])
    add("netwerk", ["i1", "i2", "f3", "f4"])
    add("regels", ["f1", "f2", "f3"])
    add("geld", ["i4"])
    add("taal", ["i4", "f4"])
    transcripts = pl.DataFrame({"document": ["i1", "i2", "i3", "i4", "f1", "f2", "f3", "f4"],
                                "actor_type": ["informal"] * 4 + ["formal"] * 4})
    a = pv.agreement_themes(coded(rows), transcripts, lang="en")
    got = {r["code"]: (r["informal_share"], r["formal_share"], r["difference"], r["verdict"])
           for r in a.iter_rows(named=True)}
    assert got == {"vertrouwen": (0.75, 0.5, 0.25, "informal"), "netwerk": (0.5, 0.5, 0.0, "both"),
                   "regels": (0.0, 0.75, -0.75, "formal"), "geld": (0.25, 0.0, 0.25, "informal"),
                   "taal": (0.25, 0.25, 0.0, "both")}
    assert set(a["verdict_label"]) >= {"Both groups mention this", "Mostly organisations"}


def test_quotes_respect_consent_and_never_name_people():
    codings = coded([("I1", "erkenning", 0, 9, "p_c1", "Ze ziet <mij>."),
                     ("I1", "erkenning", 0, 9, "p_c2", "Ze ziet <mij>."),
                     ("I2", "erkenning", 0, 9, "p_c1", "Geen toestemming."),
                     ("I3", "erkenning", 5, 20, "p_c1", "Zij kent de buurt " + "heel " * 80),
                     ("I4", "erkenning", 0, 9, "p_c1", "Geen quotes.")])
    transcripts = pl.DataFrame({
        "document": ["I1", "I2", "I3", "I4"], "actor_type": ["informal", "informal", "formal", "formal"],
        "organisation_kind": ["bewonersinitiatief", None, "buurtteam", "gemeente"],
        "interviewee": ["p_r1", "p_r2", "p_f1", "p_f2"], "consent": [True, False, True, True]})
    consent = pl.DataFrame({"person": ["p_r1", "p_r2", "p_f1", "p_f2"], "quotes": [True, True, True, False]})
    q = pv.quotes_by_actor(codings, transcripts, "erkenning", n=3, consent=consent, lang="nl")
    assert q["who"].to_list() == ["iemand van een organisatie, buurtteam", "iemand uit de buurt, bewonersinitiatief"]
    assert q["quote"][1] == "Ze ziet <mij>."
    assert len(q["quote"][0]) == 300 and q["quote"][0].endswith("…")
    assert "p_" not in " ".join(q["who"].to_list())
    wide = pv.side_by_side(q, "nl")
    assert wide.columns == ["Mensen uit de buurt", "Organisaties"] and wide.height == 1


def test_msc_summary_and_stories_hide_storyteller():
    stories = pl.DataFrame({"story_id": ["S1", "S2", "S3"], "person": ["p_a", "p_b", "p_c"],
                            "domain": ["werk", "werk", "buurt"], "story": ["een", "twee", "drie"],
                            "panel_choice": [True, False, None], "panel_reasons": ["moedig", None, None]})
    assert pv.msc_summary(stories).rows() == [("buurt", 1, 0), ("werk", 2, 1)]
    chosen = pv.msc_stories(stories, "nl")
    assert chosen.rows() == [("werk", "een", "ja", "moedig")]
    every = pv.msc_stories(stories, "en", chosen_only=False)
    assert "person" not in every.columns and every["choice"].to_list() == ["no", "yes", "no"]


def test_too_few_groups_gives_no_test():
    codings = coded([("I1", "a", 0, 4, "p", "x"), ("I2", "b", 0, 4, "p", "y")])
    transcripts = pl.DataFrame({"document": ["I1", "I2"], "actor_type": ["informal", "informal"]})
    r = pv.actor_code_test(codings, transcripts)
    assert r["chi2"][0] is None
    assert "te weinig" in pv.chi2_sentence(r, "nl")


def test_missing_column_is_a_user_error():
    with pytest.raises(InputError):
        pv.code_by_actor(pl.DataFrame({"document": ["I1"]}), pl.DataFrame({"document": ["I1"]}))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_charts(thirty, lang):
    codings, transcripts = thirty
    spec = pv.code_actor_chart(codings, transcripts, lang=lang).to_dict()
    assert spec["encoding"]["color"]["scale"]["range"] == PALETTE[:2]
    a = pv.agreement_themes(codings, transcripts, lang=lang)
    assert pv.agreement_chart(a, lang).to_dict()
    words = pv.agreement_text(a, lang)
    assert set(words) == {"title", "takeaway", "description"}


def test_every_page_names_the_same_themes():
    """The findings page and the agreement chart both take their themes from themes_by_verdict."""
    agreement = pl.DataFrame({
        "code": ["a", "b", "c", "d", "e"], "label": ["A", "B", "C", "D", "E"],
        "informal_share": [0.9, 0.5, 0.8, 0.1, 0.4], "formal_share": [0.8, 0.6, 0.2, 0.7, 0.4],
        "difference": [0.1, -0.1, 0.6, -0.6, 0.0], "verdict": ["both", "both", "informal", "formal", "both"]})
    # both: a (1.7) before b (1.1) before e (0.8); informal: c; formal: d
    assert pv.themes_by_verdict(agreement) == {"both": ["a", "b", "e"], "informal": ["c"], "formal": ["d"]}
    assert pv.agreement_text(agreement, "nl")["takeaway"] == (
        "Beide groepen noemen vaak: a, b en e. Mensen uit de buurt praten vaker over c. "
        "Organisaties praten vaker over d.")
