"""Open questionnaire answers coded with the same codebook as the interviews (impact.coding.answers)."""

from __future__ import annotations

import polars as pl
import pytest

import impact
from impact.coding.analysis import code_frequencies, quotes, respondents_mentioning
from impact.coding.answers import (agreement_with_answers, closed_answer_tests, codes_by_closed_answer, group_answers,
                                   read_qdpx_with_answers, ungroup_answers, write_qdpx_with_answers)
from impact.coding.corpus import Corpus
from impact.coding.sheets import codings_from_sheet, sheet_text
from impact.coding.sources import answer_document

SHEET = "answers__vragenlijst__verandering__w1"

# three answers of wave 1, one of wave 2 (R1 again), coded by hand
ANSWERS = {
    ("R1", 1): ("resident", "informal", "Ik voel me minder alleen en ik kook nu zelf."),
    ("R2", 1): ("resident", "informal", "Ik ken nu mijn buren."),
    ("F1", 1): ("formal_actor", "formal", "De buurtbaner verbindt mensen."),
    ("R1", 2): ("resident", "informal", "Nog steeds minder alleen."),
}
CODED_W1 = """---
instrument: vragenlijst
item: verandering
wave: 1
---

## R1
[Ik voel me minder alleen]{#verbinden} en [ik kook nu zelf]{#nieuwe_vrijwilligers}.

## R2
[Ik ken nu mijn buren]{#verbinden}.

## F1
[De buurtbaner verbindt mensen]{#verbinden}.
"""
CODED_W2 = "## R1\nNog steeds [minder alleen]{#verbinden}.\n"


def documents():
    rows = [{"document": answer_document("vragenlijst", "verandering", w, p), "text": t, "source_kind": "answer",
             "instrument": "vragenlijst", "item": "verandering", "wave": w, "interviewee": p, "role": role,
             "actor_type": actor, "consent": True} for (p, w), (role, actor, t) in ANSWERS.items()]
    rows.append({"document": "I01", "text": "A: Ik ken iedereen.\n\nB: Fijn.", "source_kind": "interview",
                 "instrument": None, "item": None, "wave": None, "interviewee": "R9", "role": "resident",
                 "actor_type": "informal", "consent": True})
    return pl.DataFrame(rows, schema_overrides={"wave": pl.Int8})


def hand_coded(coders=("BB03",)):
    docs = documents()
    texts = dict(zip(docs["document"], docs["text"]))
    rows = []
    for coder in coders:
        for raw, stem in ((CODED_W1, SHEET), (CODED_W2, "answers__vragenlijst__verandering__w2")):
            got, problems = codings_from_sheet(raw, stem, coder, texts, None, "blad.md")
            assert problems == []
            rows += got
    rows.append({"document": "I01", "start": 0, "end": 19, "code": "verbinden", "coder": coders[0], "text": None})
    return Corpus.from_tables(docs, pl.DataFrame(rows).drop("text"))


def test_a_hand_coded_sheet_gives_codings_at_the_answers_offsets():
    c = hand_coded()
    got = (c.codings.filter(pl.col("document").str.starts_with("answer:"))
           .select("document", "start", "end", "code", "text").sort("document", "start").rows())
    assert got == [
        ("answer:vragenlijst:verandering:w1:F1", 0, 29, "verbinden", "De buurtbaner verbindt mensen"),
        ("answer:vragenlijst:verandering:w1:R1", 0, 24, "verbinden", "Ik voel me minder alleen"),
        ("answer:vragenlijst:verandering:w1:R1", 28, 43, "nieuwe_vrijwilligers", "ik kook nu zelf"),
        ("answer:vragenlijst:verandering:w1:R2", 0, 20, "verbinden", "Ik ken nu mijn buren"),
        ("answer:vragenlijst:verandering:w2:R1", 11, 24, "verbinden", "minder alleen"),
    ]


def test_counts_per_respondent_and_per_actor_type_by_hand():
    """Hand count: verbinden is in R1's two answers, R2's answer and F1's answer; R9 said it in an interview.

    Answers only: residents R1 and R2 (2 of 2) and formal actor F1 (1 of 1) mention it; per actor type
    informal has 3 segments in 3 answers from 2 persons, formal 1/1/1.
    """
    c = hand_coded()
    residents = respondents_mentioning(c, "verbinden", by="role", source_kind="answer")
    assert residents.rows() == [("verbinden", "formal_actor", 1, 1, 1.0), ("verbinden", "resident", 2, 2, 1.0)]
    # interviews and answers alike: R9's interview adds a third resident
    both = respondents_mentioning(c, "verbinden", by="role")
    assert both.filter(pl.col("role") == "resident").row(0) == ("verbinden", "resident", 3, 3, 1.0)
    freq = code_frequencies(c, by="actor_type", source_kind="answer")
    assert freq.rows() == [("nieuwe_vrijwilligers", "informal", 1, 1, 1), ("verbinden", "formal", 1, 1, 1),
                           ("verbinden", "informal", 3, 3, 2)]
    assert code_frequencies(c, by="actor_type", source_kind="interview").rows() == [
        ("verbinden", "informal", 1, 1, 1)]
    q = quotes(c, "nieuwe_vrijwilligers", source_kind="answer")
    assert q.select("text", "role", "wave").rows() == [("ik kook nu zelf", "resident", 1)]


def test_agreement_counts_an_uncoded_answer_as_no_not_as_missing():
    """Coder A codes R1 and R2 with verbinden; coder B codes only R1 (and F1 with nothing).

    Units: the three answers of wave 1. verbinden: A = (1, 1, 0), B = (1, 0, 0) on (R1, R2, F1): B did
    code the sheet, so R2 counts as a 0 for B and the coders agree on 2 of 3 units.
    """
    docs = documents().filter(pl.col("wave") == 1)
    cod = pl.DataFrame({"document": [answer_document("vragenlijst", "verandering", 1, p) for p in ("R1", "R2", "R1")],
                        "start": [0, 0, 0], "end": [24, 20, 24], "code": ["verbinden"] * 3,
                        "coder": ["A", "A", "B"]})
    table = agreement_with_answers(Corpus.from_tables(docs, cod), source_kind="answer")
    row = table.filter(pl.col("code") == "verbinden").row(0, named=True)
    assert row["units"] == 3 and row["percent_agreement"] == pytest.approx(2 / 3)


def test_sheet_mistakes_name_the_line():
    docs = documents()
    texts = dict(zip(docs["document"], docs["text"]))
    raw = ("## R1\nIk voel me [minder alleen]{#verbinden} en ik kook zelf.\n\n## R7\nWie?\n\n"
           "## R2\n[Ik ken nu mijn buren]{#verbinden}.\n\n## R2\nNog eens.\n")
    rows, problems = codings_from_sheet(raw, SHEET, "BB03", texts, None, "blad.md")
    assert [(r["document"][-2:], r["text"]) for r in rows] == [("R1", "minder alleen"), ("R2", "Ik ken nu mijn buren")]
    got = [(p.row, p.column, p.value) for p in problems]
    assert got[0] == (2, None, "zelf.")                      # text differs from the answer on line 2
    assert "'nu zelf.'" in problems[0].expected("en")
    assert (4, "respondent", "R7") in got                    # nobody R7 answered this question
    assert (10, "respondent", "R2") in got                   # R2 twice
    assert "regel 7" in problems[-1].expected("nl")
    _, wrong = codings_from_sheet(raw, "antwoorden_R1", "BB03", texts, None, "blad.md")
    assert wrong[0].value == "antwoorden_R1"


def test_qdpx_round_trip_per_question_and_per_answer_keeps_the_coded_answers(tmp_path):
    c = hand_coded(coders=("BB03", "BB07"))
    key = ["document", "start", "end", "code", "coder", "text"]
    for per in ("question", "answer"):
        path = write_qdpx_with_answers(c, tmp_path / f"{per}.qdpx", per=per)
        back = read_qdpx_with_answers(path, documents=documents())
        assert back.codings.select(key).sort(key).rows() == c.codings.select(key).sort(key).rows(), per
        texts = dict(zip(c.documents["document"], c.documents["text"]))
        assert dict(zip(back.documents["document"], back.documents["text"])) == texts
    grouped, units = group_answers(c)
    assert grouped.documents.filter(pl.col("document").str.starts_with("answers:")).height == 2
    assert units.filter(pl.col("kind") == "answer").height == 4
    again = ungroup_answers(grouped, documents())
    assert again.codings.select(key).sort(key).rows() == c.codings.select(key).sort(key).rows()


def test_codes_by_closed_answer_with_a_hand_computed_fisher_test():
    """Eight answers; the code is in 3 of 4 answers at ladder step 2 and in 0 of 4 at step 5.

    Fisher's exact test on [[3, 0], [1, 4]]: with margins 3 and 4 of 8, P(X = k) = C(4,k) C(4,3-k) / C(8,3):
    4/56, 24/56, 24/56, 4/56 for k = 0..3; two-sided p = (4 + 4) / 56 = 0.142857.
    """
    people = [f"R{i}" for i in range(8)]
    docs = pl.DataFrame({"document": [answer_document("bb", "verandering", 2, p) for p in people],
                         "text": ["Ik werk nu."] * 8, "source_kind": ["answer"] * 8, "instrument": ["bb"] * 8,
                         "item": ["verandering"] * 8, "wave": [2] * 8, "interviewee": people},
                        schema_overrides={"wave": pl.Int8})
    cod = pl.DataFrame({"document": docs["document"][:3].to_list(), "start": [0] * 3, "end": [10] * 3,
                        "code": ["werk"] * 3, "coder": ["A"] * 3})
    responses = pl.DataFrame({"instrument": ["bb"] * 8, "respondent": people, "wave": [2] * 8,
                              "item": ["ladder"] * 8, "value": ["2"] * 4 + ["5"] * 4})
    c = Corpus.from_tables(docs, cod)
    counts = codes_by_closed_answer(c, responses, "ladder")
    assert counts.rows() == [("werk", "2", 4, 3, 0.75), ("werk", "5", 4, 0, 0.0)]
    test = closed_answer_tests(c, responses, "ladder").row(0, named=True)
    assert test["test"] == "fisher" and test["p"] == pytest.approx(8 / 56)
    # three steps with these few answers: no p-value, an honest note
    three = responses.with_columns(pl.Series("value", ["2", "2", "3", "3", "4", "4", "5", "5"]))
    row = closed_answer_tests(c, three, "ladder").row(0, named=True)
    assert row["p"] is None and row["note_en"] == "too few answers for a test"
    # another wave's closed answer: nobody answered the ladder in wave 1
    assert codes_by_closed_answer(c, responses, "ladder", wave=1).height == 0


def test_sheet_text_is_what_the_parser_reads():
    text = sheet_text("vragenlijst", "verandering", 1, [("R1", "Ik voel me minder alleen en ik kook nu zelf.")],
                      "Wat is er voor u veranderd?")
    assert "question: Wat is er voor u veranderd?" in text
    docs = documents()
    rows, problems = codings_from_sheet(text, SHEET, "BB03", dict(zip(docs["document"], docs["text"])), None)
    assert rows == [] and problems == []


# --- the demo study ---------------------------------------------------------------------------

def test_processed_demo_has_coded_open_answers_redacted_like_transcripts(processed_demo):
    study = impact.Study.load(processed_demo)
    docs = study.table("transcripts")
    answers = docs.filter(pl.col("source_kind") == "answer")
    assert docs.filter(pl.col("source_kind") == "interview").height == 24
    assert answers.height > 100
    assert set(answers["item"].unique()) == {"verandering", "opmerking", "verandering_tekst"}
    assert all(d.split(":")[-1].startswith("p_") for d in answers["document"])  # pseudonyms, no person_ids
    import json

    phones = json.loads((processed_demo / "data/raw/_planted_pii.json").read_text(encoding="utf-8"))["phone"]
    texts = "\n".join(answers["text"].to_list())
    assert "Bel me gerust als er vragen zijn: [TELEFOON]." in texts
    assert not any(p in texts for p in phones)
    corpus = Corpus.from_study(study)
    coders = corpus.codings.join(answers.select("document"), on="document", how="semi")["coder"].n_unique()
    assert coders == 2
    table = agreement_with_answers(corpus, source_kind="answer")
    overall = table.filter(pl.col("code") == "(all)").row(0, named=True)
    assert overall["units"] == answers.height
    assert 0.5 <= overall["krippendorff_alpha"] <= 0.9
    assert agreement_with_answers(corpus).filter(pl.col("code") == "(all)")["units"][0] > answers.height


def test_demo_answers_exported_to_qdpx_and_imported_back_are_unchanged(processed_demo, demo_copy, tmp_path):
    """Export the processed (pseudonymised, redacted) corpus, import it into the raw study: the answer
    codings written are exactly those of the coders' sheets."""
    from impact.coding.answers import import_answer_codings, study_documents
    from impact.coding import load_codebook, load_codings, load_transcripts
    from impact import registers as rg
    from impact.questionnaires import load_study_responses

    corpus = Corpus.from_study(impact.Study.load(processed_demo))
    path = write_qdpx_with_answers(corpus, tmp_path / "demo.qdpx")
    back = read_qdpx_with_answers(path)
    study = impact.Study.load(demo_copy)
    result = import_answer_codings(study, back, "demo")
    written = pl.read_csv(result["file"]).select("document", "start", "end", "code", "coder")
    people = rg.load_register(study.raw, next(s for s in rg.REGISTERS if s.name == "people"),
                              study.config.districts, study.root)
    transcripts, _ = load_transcripts(study)
    responses, _ = load_study_responses(study)
    docs = study_documents(study, transcripts, responses, people.records)
    result["file"].unlink()  # compare against the sheets alone
    codings, problems = load_codings(study, docs, load_codebook(study)[0])
    assert problems == []
    sheets = codings.filter(pl.col("document").str.starts_with("answer:")).select(written.columns)
    from impact.tabular import read_table

    consent = read_table(study.raw / "consent.csv", required=["person_id"]).rows
    withdrawn = {r["person_id"] for r in consent if r["withdrawn_on"]}
    # the withdrawn respondent's answers are not in the processed corpus, so not in the export
    expected = sheets.filter(~pl.col("document").str.split(":").list.last().is_in(sorted(withdrawn)))
    key = written.columns
    assert written.height > 200
    assert written.sort(key).rows() == expected.sort(key).rows()


def test_cli_writes_an_empty_coding_sheet_that_reads_back_without_problems(demo_copy):
    from typer.testing import CliRunner

    from impact.cli import app

    sheet = demo_copy / "data/raw/codings/BB11/answers__bewoners__verandering_tekst__w2.md"
    args = ["answers", "coding-sheet", "bewoners", "verandering_tekst", "--wave", "2", "--coder", "BB11",
            "--study", str(demo_copy), "--lang", "en"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = sheet.read_text(encoding="utf-8")
    assert "question: Kunt u in uw eigen woorden vertellen wat er veranderd is?" in text
    study = impact.Study.load(demo_copy)
    from impact.coding.answers import study_documents
    from impact import registers as rg
    from impact.coding import load_transcripts
    from impact.questionnaires import load_study_responses

    people = rg.load_register(study.raw, next(s for s in rg.REGISTERS if s.name == "people"),
                              study.config.districts, study.root)
    docs = study_documents(study, load_transcripts(study)[0], load_study_responses(study)[0], people.records)
    texts = dict(zip(docs["document"], docs["text"]))
    rows, problems = codings_from_sheet(text, sheet.stem, "BB11", texts, None)
    assert rows == [] and problems == [] and text.count("\n## ") == docs.filter(
        (pl.col("instrument") == "bewoners") & (pl.col("wave") == 2)).height
    again = CliRunner().invoke(app, args)  # never overwritten
    assert again.exit_code == 1 and "already exists" in " ".join(again.output.split())
    assert sheet.read_text(encoding="utf-8") == text
    wrong = CliRunner().invoke(app, args[:3] + ["tevreden"] + args[4:])
    assert wrong.exit_code == 1 and "not an open question" in " ".join(wrong.output.split())


def test_perspectives_count_people_in_open_answers_and_quote_only_with_consent():
    from impact import perspectives as pv

    c = hand_coded()
    docs = documents().with_columns(pl.when(pl.col("interviewee") == "R2").then(False).otherwise(True).alias("consent"))
    said = pv.answer_mentions(c.codings, docs, "en")
    assert said.filter(pl.col("code") == "verbinden").select("role_label", "respondents", "persons", "percent").rows() \
        == [("Staff of organisations", 1, 1, 100), ("Residents", 2, 2, 100)]
    # the interview with R9 is not an open answer, and the interview comparison leaves the answers out
    assert pv.coded_interviews(c.codings, docs) == {"informal": 1, "formal": 0}
    quoted = pv.answer_quotes(c.codings, docs, "verbinden", n=5, lang="en")
    assert quoted.rows() == [("De buurtbaner verbindt mensen", "staff member of an organisation, wave 1"),
                             ("Ik voel me minder alleen", "resident, wave 1"), ("minder alleen", "resident, wave 2")]


def test_cli_export_then_import_routes_open_answers_back_to_answer_codings(processed_demo, demo_copy, tmp_path):
    """`impact export qdpx` writes answers one source per question; `impact import qdpx` sends them back
    to answer codings (not to new transcripts)."""
    import subprocess
    import sys

    out = tmp_path / "uitwisseling.qdpx"
    run = subprocess.run([sys.executable, "-m", "impact.cli", "--study", str(processed_demo), "export", "qdpx",
                          str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    before = sorted(p.name for p in (demo_copy / "data" / "raw" / "transcripts").iterdir())
    run = subprocess.run([sys.executable, "-m", "impact.cli", "--study", str(demo_copy), "import", "qdpx",
                          str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
    assert sorted(p.name for p in (demo_copy / "data" / "raw" / "transcripts").iterdir()) == before
    answers = pl.read_csv(demo_copy / "data" / "raw" / "codings" / "uitwisseling__antwoorden.csv")
    assert answers.height > 200 and answers["document"].str.starts_with("answer:").all()
