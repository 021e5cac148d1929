"""The theory of change (issue 19): the file and its checks, the evidence rule, the diagram, the page pieces.

The page as a reader sees it (figures equal to the other pages, evidence per step, the browser) is
checked in test_published_demo.py and test_browser_demo.py.
"""

from __future__ import annotations

import doctest
import re
import shutil

import polars as pl
import pytest

import impact
from impact.figures import value_per
from impact.report.evidence import population
from impact.report.theory_diagram import NARROW, WIDE, draw, walk
from impact.theory import model
from impact.theory.evidence import evidence_strength, item_respondents
from impact.theory.model import Arrow, Step, Theory, parse_theory


@pytest.mark.parametrize("module", ["theory.model", "theory.evidence", "report.evidence", "report.theory_diagram"])
def test_the_examples_in_the_docstrings_run(module):
    import importlib

    result = doctest.testmod(importlib.import_module(f"impact.{module}"))
    assert result.failed == 0 and result.attempted > 0


# --- the file ------------------------------------------------------------------------------------

CODES = {"bereik": "bereik", "aanbellen": "bereik", "grenzen": "grenzen", "leren": "leren"}
ITEMS = {"bewoners": {"tevreden", "contact_via"}}.get

WRONG = """\
steps:
  - id: buurtbaan
    kind: activiteit
    label: Buurtbaners werken in de buurt
    figures: [activities, fietsen, residents_reached_by_district]
    codes: [aanbellen, bereikk]
  - id: bereikt
    kind: resultaat
    label: Bewoners doen mee
    items: [bewoners:tevreden, bewoners:tevredn, kobo:vraag1, zonder_dubbele_punt]
    measures: [ladder, trap]
  - id: leeg
    kind: kort
    label: Een stap zonder meetpunt
  - id: raar
    kind: halverwege
    figures: residents_reached
  - id: buurtbaan
    kind: impact
    label: Dubbel
    figures: [activities]
arrows:
  - from: buurtbaan
    to: bereikt
    assumption: Bewoners kennen de buurtbaner.
  - from: bereikt
    to: leeg
    assumption: Wie meedoet, doet meer.
  - from: leeg
    to: buurtbaan
    assumption: Dit gaat rond.
  - from: bereikt
    to: nergens
  - from: buurtbaan
    to: bereikt
    assumption: Twee keer dezelfde pijl.
"""


def test_every_mistake_is_named_with_file_line_column_field_and_value():
    theory, problems = parse_theory(WRONG, "data/raw/theory_of_change.yaml", codes=CODES, items=ITEMS,
                                    figures=value_per())
    found = [(p.row, p.position, p.column, p.value, p.severity) for p in problems]
    assert found == [
        (5, 27, "figures", "fietsen", "error"),
        (5, 36, "figures", "residents_reached_by_district", "error"),
        (6, 24, "codes", "bereikk", "error"),
        (10, 32, "items", "bewoners:tevredn", "error"),
        (10, 50, "items", "kobo:vraag1", "error"),
        (10, 63, "items", "zonder_dubbele_punt", "error"),
        (11, 24, "measures", "trap", "error"),
        (12, 5, None, "leeg", "error"),                      # a step without any indicator
        (16, 11, "kind", "halverwege", "error"),
        (15, 5, "label", None, "error"),
        (18, 9, "id", "buurtbaan", "error"),                 # the same id twice: the second is left out
        (29, 5, "to", "leeg -> buurtbaan", "error"),         # closes a cycle: left out
        (33, 9, "to", "nergens", "error"),                   # an unknown step: left out
        (34, 5, "to", "buurtbaan -> bereikt", "error"),      # twice the same arrow: left out
    ]
    assert all(p.file == "data/raw/theory_of_change.yaml" and p.unit == "line" for p in problems)
    text = {p.value: p.render("en") for p in problems}
    assert text["fietsen"].startswith("data/raw/theory_of_change.yaml, line 5:27, column 'figures': value 'fietsen'; "
                                      "expected a published figure from docs/cijfers.md")
    assert "has a value per district" in text["residents_reached_by_district"]
    assert "did you mean bereik?" in text["bereikk"] and "did you mean tevreden?" in text["bewoners:tevredn"]
    assert "questionnaires/kobo.xlsx does not exist" in text["kobo:vraag1"]
    assert "it goes round: buurtbaan -> bereikt -> leeg -> buurtbaan" in text["leeg -> buurtbaan"]
    assert "a step (id) of this theory: bereikt, buurtbaan, leeg, raar" in text["nergens"]
    assert "at least one indicator" in text["leeg"]
    nl = {p.value: p.render("nl") for p in problems}
    assert nl["fietsen"].startswith("data/raw/theory_of_change.yaml, regel 5:27, kolom 'figures': waarde 'fietsen'; "
                                    "verwacht een kerncijfer uit docs/cijfers.md")
    assert "met deze pijl gaat het rond" in nl["leeg -> buurtbaan"]


def test_steps_with_a_mistake_stay_in_the_chain_without_what_was_wrong():
    theory, _ = parse_theory(WRONG, "toc.yaml", codes=CODES, items=ITEMS, figures=value_per())
    assert [s.id for s in theory.steps] == ["buurtbaan", "bereikt", "leeg", "raar"]
    first = theory.step("buurtbaan")
    assert first.figures == ("activities",) and first.codes == ("bereik",)  # the alias under its current name
    assert theory.step("bereikt").items == ("bewoners:tevreden",) and theory.step("bereikt").measures == ("ladder",)
    assert theory.step("raar").kind is None and theory.step("raar").figures == ("residents_reached",)
    assert [(a.source, a.target) for a in theory.arrows] == [("buurtbaan", "bereikt"), ("bereikt", "leeg")]


def test_an_arrow_to_itself_is_a_cycle_and_yaml_mistakes_have_a_line():
    _, problems = parse_theory("steps:\n  - id: a\n    kind: impact\n    label: A\n    codes: [x]\n"
                               "arrows:\n  - {from: a, to: a, assumption: rond}\n", "t.yaml", codes={"x": "x"})
    assert [(p.row, p.column, p.value) for p in problems] == [(7, "to", "a -> a")]
    _, problems = parse_theory("steps:\n  - id: a\n    label: [niet dicht\n", "t.yaml")
    assert problems[0].row == 4 and "valid YAML" in problems[0].render("en")
    for text in ("", "- id: a\n", "steps: geen lijst\n", "steps: []\n"):
        theory, problems = parse_theory(text, "t.yaml")
        assert not theory and len(problems) == 1 and problems[0].severity == "error", text
        assert problems[0].row is not None


def test_a_comma_separated_list_and_dutch_kinds_are_fine():
    theory, problems = parse_theory("steps:\n  - id: a\n    kind: Korte termijn\n    label: A\n"
                                    "    figures: activities, doorbells_rung\n    measures: Participatieladder\n",
                                    "t.yaml")
    assert problems == []
    step = theory.step("a")
    assert (step.kind, step.figures, step.measures) == ("short_term", ("activities", "doorbells_rung"), ("ladder",))
    assert step.all_figures() == ["activities", "doorbells_rung", "ladder_measured", "ladder_up"]


def test_the_demo_theory_is_clean_and_reads_back_from_the_processed_tables(demo_root, processed_demo):
    from impact.coding import code_lookup, load_codebook

    study = impact.Study.load(demo_root)
    tables, problems = model.load_theory(study, codes=code_lookup(load_codebook(study)[0]), figures=value_per())
    assert problems == []
    assert tables["theory_steps"].height == 7 and tables["theory_arrows"].height == 6
    theory = model.read_theory(impact.data.load(processed_demo))
    assert theory.order() == ["buurtbaan", "bereikt", "actief", "sterke_buurt", "opleiding", "ladder", "vervolgbaan"]
    assert theory.after("buurtbaan") == ["bereikt", "ladder"] and theory.before("ladder") == ["opleiding", "buurtbaan"]
    assert model.step_names(impact.Study.load(processed_demo), "en")["ladder"] == "Buurtbaners go up the Participatieladder"


def test_validate_and_process_name_the_mistakes_and_keep_the_steps(demo_root, tmp_path):
    from typer.testing import CliRunner

    from impact.cli import app

    root = tmp_path / "studie"
    shutil.copytree(demo_root, root)
    path = root / "data" / "raw" / "theory_of_change.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("figures: [activities, doorbells_rung, key_persons_active]",
                        "figures: [activities, aangebeld, key_persons_active]")
    text = text.replace("    figures: [new_volunteers, volunteers_who_activate]\n    codes: [nieuwe_vrijwilligers]\n", "")
    text += "  - from: vervolgbaan\n    to: opleiding\n    assumption: Rond.\n"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line_of = {word: next(i + 1 for i, ln in enumerate(lines) if word in ln)
               for word in ("aangebeld", "id: actief", "from: vervolgbaan")}
    result = CliRunner().invoke(app, ["validate", "--study", str(root), "--lang", "en"])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert (f"data/raw/theory_of_change.yaml, line {line_of['aangebeld']}:27, column 'figures': value 'aangebeld'; "
            "expected a published figure") in out
    assert f"data/raw/theory_of_change.yaml, line {line_of['id: actief']}:5: value 'actief'; expected at least one " \
           "indicator" in out
    assert (f"line {line_of['from: vervolgbaan']}:5, column 'to': value 'vervolgbaan -> opleiding'; expected arrows "
            "without a cycle; with this arrow it goes round: opleiding -> ladder -> vervolgbaan -> opleiding") in out
    result = impact.process_study(impact.Study.load(root))
    quarantine = pl.read_parquet(root / "data" / "processed" / "quarantine.parquet").filter(
        pl.col("table") == "theory_steps")
    assert sorted(quarantine["value"].to_list()) == ["aangebeld", "actief", "vervolgbaan -> opleiding"]
    steps = pl.read_parquet(root / "data" / "processed" / "theory_steps.parquet")
    assert steps.height == 7 and steps.filter(pl.col("step") == "actief")["figures"].to_list() == [[]]
    assert pl.read_parquet(root / "data" / "processed" / "theory_arrows.parquet").height == 6


def test_a_memo_about_a_step_is_checked_against_the_theory(demo_root, tmp_path):
    root = tmp_path / "studie"
    shutil.copytree(demo_root, root)
    memo = root / "data" / "raw" / "memos" / "stap-fout.md"
    memo.write_text("---\nauthor: BB03\ndate: 12-03-2024\nabout: step:leren\npublish: nee\n---\nTekst.\n",
                    encoding="utf-8")
    problems = [p for p in impact.validate_study(impact.Study.load(root)) if p.file.endswith("stap-fout.md")]
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "about", "step:leren")]
    assert "actief, bereikt, buurtbaan, ladder, opleiding, sterke_buurt, vervolgbaan" in problems[0].render("nl")


# --- the evidence ----------------------------------------------------------------------------------

@pytest.mark.parametrize("measured, heard, against, k, level", [
    (33, 12, 0, 5, "strong"),      # "gemeten bij 33 buurtbaners, gehoord in 12 interviews"
    (33, 0, 0, 5, "some"),         # measured, not heard
    (None, 3, 0, 5, "weak"),       # "alleen uit 3 interviews"
    (None, 0, 0, 5, "none"),       # "nog geen gegevens"
    (0, 0, 3, 5, "none"),          # only evidence against: still no data for the step
    (4, 0, 0, 5, "weak"),          # measured on fewer than k people
    (4, 6, 0, 5, "weak"),
    (5, 1, 0, 5, "strong"),        # exactly k counts
    (4, 1, 0, 3, "strong"),        # k is the study's
    (33, 6, 14, 5, "some"),        # more against than for: one level lower
    (33, 6, 6, 5, "some"),         # as many against as for: one level lower
    (33, 6, 5, 5, "strong"),
    (33, 0, 1, 5, "weak"),
    (None, 3, 3, 5, "weak"),       # weak stays weak
])
def test_the_evidence_rule_on_hand_made_cases(measured, heard, against, k, level):
    assert evidence_strength(measured, heard, against, k) == level


def test_who_a_figure_was_measured_on():
    assert population("follow_on_jobs") == population("ladder_up") == "buurtbaners_placed"
    assert population("training_hours_median") == "buurtbaners_placed"     # a median: its base
    assert population("gas_goals_met") == "gas_scored"
    assert population("residents_reached") == "residents_reached"          # a count of people: itself
    assert population("activities") == population("referrals") == "key_persons_active"
    assert population("coder_agreement") is None and population("interviews") is None


def test_evidence_numbers_are_counted_by_hand_on_the_demo(processed_demo):
    from impact import data, figures
    from impact.report.evidence import step_evidence

    t = data.load(processed_demo)
    theory = model.read_theory(t)
    interviews = t.transcripts.filter(pl.col("source_kind") == "interview")["document"].to_list()
    coded = t.codings.filter(pl.col("document").is_in(interviews))

    def docs(codes):
        return coded.filter(pl.col("code").is_in(codes))["document"].n_unique()

    # codes: [verbinden, waardering], codes_against: [grenzen]; no figure: only heard
    strong = step_evidence(theory.step("sterke_buurt"), t)
    n_for, n_against = docs(["verbinden", "waardering"]), docs(["grenzen"])
    assert 0 < n_against < n_for and strong.measured is None and strong.level == "weak"
    assert strong.judgement("nl").text() == (f"Alleen uit {n_for} interviews. In {n_against} interviews hoorden we "
                                             "ook iets wat dit tegenspreekt.")
    # belemmeringen carries the tag contradicts: it counts against the ladder step, not for it
    ladder = step_evidence(theory.step("ladder"), t)
    assert ladder.heard.number == docs(["zelfvertrouwen", "motivatie"])
    assert ladder.against.number == docs(["belemmeringen"])
    started = t.trajectory_events.filter(pl.col("kind") == "start")["person"].n_unique()
    assert ladder.measured.name == "buurtbaners_placed" and ladder.measured.number == started == 33
    assert ladder.judgement("en").text().startswith(f"Measured for {started} buurtbaners. Also heard in "
                                                    f"{ladder.heard.number} interviews.")
    # the answers to the ladder question, counted by hand
    answered = t.responses.filter((pl.col("instrument") == "buurtbaners") & (pl.col("item") == "ladder")
                                  & pl.col("value").is_not_null())["respondent"].n_unique()
    assert dict((item, v.number) for item, v in ladder.items) == {"buurtbaners:ladder": answered}
    assert item_respondents(t.theory_steps, t.responses)["buurtbaners:ladder"] == answered
    # more interviews against than for: one level lower
    job = step_evidence(theory.step("vervolgbaan"), t)
    assert job.against.number >= job.heard.number and job.level == "some"
    # the figures of a step are the registry's values
    assert [v.text("nl") for v in job.figures] == [figures.value(n, t).text("nl") for n in
                                                  ("follow_on_jobs", "contract_promises", "follow_on_share_two_years")]


def test_a_step_without_data_says_so(processed_demo, tmp_path):
    from impact import data
    from impact.report.evidence import step_evidence

    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    out = root / "data" / "processed"
    steps = pl.read_parquet(out / "theory_steps.parquet")
    extra = pl.DataFrame([{"step": "later", "kind": "impact", "label": "Later", "label_en": None, "figures": [],
                           "codes": [], "codes_against": [], "items": ["bewoners:nog_niet"], "measures": []}],
                         schema=steps.schema)
    pl.concat([steps, extra]).write_parquet(out / "theory_steps.parquet")
    t = data.load(root)
    evidence = step_evidence(model.read_theory(t).step("later"), t)
    assert evidence.level == "none" and evidence.judgement("nl").text() == "Nog geen gegevens."
    assert evidence.headline("nl") == "Bewijs: nog geen."


# --- the diagram -------------------------------------------------------------------------------------

def _big_theory() -> Theory:
    """Twelve steps with long names, four activities, arrows that skip rows and cross."""
    names = ["Buurtbaners werken in hun eigen buurt met spreekuren en maaltijden",
             "Opleiding en coaching voor buurtbaners", "Samenwerking met het buurtteam en de gemeente",
             "Taallessen", "Bewoners worden bereikt", "Ondersteuningsmogelijkheden worden bekend",
             "Participatieladderverbeteringstraject", "Bewoners worden zelf vrijwilliger",
             "Minder eenzaamheid", "Vervolgbaan", "Een sterkere buurt", "Minder armoede"]
    kinds = ["activity"] * 4 + ["output"] * 3 + ["short_term"] * 2 + ["long_term"] + ["impact"] * 2
    steps = tuple(Step(f"s{i}", k, n, figures=("activities",)) for i, (n, k) in enumerate(zip(names, kinds)))
    links = [(0, 4), (0, 6), (1, 6), (2, 5), (3, 4), (3, 9), (4, 7), (5, 8), (6, 9), (7, 10), (8, 10), (9, 11),
             (0, 11), (2, 10)]
    return Theory(steps, tuple(Arrow(f"s{a}", f"s{b}") for a, b in links))


def _on_curve(d: str):
    """Points along every cubic segment of a path."""
    nums = [float(v) for v in re.findall(r"-?\d+\.?\d*", d)]
    out, x0, y0, i = [], nums[0], nums[1], 2
    for cmd in re.findall(r"[CL]", d):
        if cmd == "C":
            x1, y1, x2, y2, x3, y3 = nums[i:i + 6]
            i += 6
            for k in range(1, 20):
                u = k / 20
                out.append(((1 - u) ** 3 * x0 + 3 * (1 - u) ** 2 * u * x1 + 3 * (1 - u) * u * u * x2 + u ** 3 * x3,
                            (1 - u) ** 3 * y0 + 3 * (1 - u) ** 2 * u * y1 + 3 * (1 - u) * u * u * y2 + u ** 3 * y3))
            x0, y0 = x3, y3
        else:
            x3, y3 = nums[i:i + 2]
            i += 2
            out += [(x0, y0 + (y3 - y0) * k / 10) for k in range(1, 10)]
            x0, y0 = x3, y3
    return out


@pytest.mark.parametrize("sizes", [WIDE, NARROW], ids=["wide", "narrow"])
@pytest.mark.parametrize("which", ["demo", "big"])
def test_the_diagram_has_no_overlapping_text_and_no_arrow_through_a_box(sizes, which, processed_demo):
    from impact import data
    from impact.theory.evidence import LEVELS

    theory = model.read_theory(data.load(processed_demo)) if which == "demo" else _big_theory()
    levels = {s.id: list(LEVELS)[i % 4] for i, s in enumerate(theory.steps)}
    for lang in ("nl", "en"):
        d = draw(theory, levels, lang, sizes)
        c = d.canvas
        assert c.overlaps() == [] and c.outside() == []
        assert sorted(s for row in d.rows for s in row) == sorted(s.id for s in theory.steps)
        assert all(len(row) <= sizes.per_row for row in d.rows)
        # every line of text inside one box, at least 11 px, and boxes apart
        for box, text in c.boxes:
            inside = [s for s, (x, y, w, h) in d.boxes.items()
                      if x <= box.x and box.x + box.w <= x + w and y <= box.y and box.bottom <= y + h]
            assert len(inside) == 1, text
        sizes_used = [float(v) for v in re.findall(r'font-size="([\d.]+)"', "".join(c.parts))]
        assert min(sizes_used) >= 11
        boxes = list(d.boxes.values())
        assert not any(a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
                       for i, a in enumerate(boxes) for b in boxes[i + 1:])
        # an arrow never runs through a box (its ends touch the two boxes it joins)
        for path in re.findall(r'<path d="(M[^"]+)" fill="none"', "".join(c.parts)):
            for px, py in _on_curve(path):
                hit = [s for s, (x, y, w, h) in d.boxes.items() if x + 1 < px < x + w - 1 and y + 1 < py < y + h - 1]
                assert hit == [], (path[:40], hit)
        # every arrow goes down: from a row to a later row
        row_of = {s: r for r, row in enumerate(d.rows) for s in row}
        assert all(row_of[a.source] < row_of[a.target] for a in theory.arrows)


def test_the_alt_text_walks_the_chain_step_by_step(processed_demo):
    from impact import data

    theory = model.read_theory(data.load(processed_demo))
    levels = {s.id: "strong" for s in theory.steps} | {"sterke_buurt": "weak"}
    text = walk(theory, levels, "nl")
    positions = [text.index(f"Stap {n}, ") for n in range(1, 8)]
    assert positions == sorted(positions)
    assert text.startswith("Het schema heeft 7 stappen en 6 pijlen. Lees het van boven naar beneden. Stap 1, "
                           "activiteit: Buurtbaners werken in hun eigen buurt. Bewijs: sterk. Leidt tot stap 2 "
                           "(Bewoners worden bereikt en doen mee) en stap 6 (Buurtbaners gaan omhoog op de "
                           "Participatieladder).")
    assert "Stap 4, impact: Een sterkere buurt waar mensen elkaar helpen. Bewijs: zwak. Hier eindigt deze keten." \
        in text
    assert "Step 7, long-term outcome: Buurtbaners find a follow-on job. Evidence: strong." in walk(theory, levels, "en")


# --- quotes and the page pieces ----------------------------------------------------------------------

def test_the_strongest_quotes_come_first_one_per_interview_with_consent():
    from impact.quoting import pick

    codings = pl.DataFrame({
        "document": ["I1", "I2", "I2", "I3", "I3", "I4", "I4"], "start": [0, 0, 0, 5, 5, 0, 0],
        "end": [9, 9, 9, 9, 9, 9, 9], "code": ["bereik"] * 7, "coder": ["a", "a", "b", "a", "b", "a", "b"],
        "text": ["Eén coder.", "Twee coders.", "Twee coders.", "Ook twee.", "Ook twee.", "Geen toestemming.",
                 "Geen toestemming."]})
    transcripts = pl.DataFrame({"document": ["I1", "I2", "I3", "I4"], "actor_type": ["informal"] * 4,
                                "role": ["resident"] * 4, "consent": [True, True, True, False]})
    assert pick(codings, transcripts, codes="bereik", n=3)["quote"].to_list() == ["Eén coder.", "Twee coders.",
                                                                                  "Ook twee."]
    assert pick(codings, transcripts, codes="bereik", n=2, strongest=True)["quote"].to_list() == [
        "Twee coders.", "Ook twee."]


def test_the_page_pieces_show_each_step_and_only_published_memos(processed_demo):
    from impact import data
    from impact.report.theory_page import load_chain, step_pieces

    t = data.load(processed_demo)
    chain = load_chain(t)
    pieces = step_pieces(chain, t, "nl")
    html = "".join(p.html for p in pieces)
    for n in range(1, 8):
        assert f"<h3>Stap {n}: " in html
    assert html.count("<strong>Bewijs: ") == 7
    memos = pl.read_parquet(processed_demo / "data" / "processed" / "memos.parquet")
    shown = memos.filter(pl.col("about_kind") == "step")
    assert shown["publish"].to_list() == [True] and shown["text"][0].split("\n")[0] in html
    for text in memos.filter(~pl.col("publish"))["text"]:
        assert text.split(".")[0] not in html


def test_a_study_without_a_theory_gets_a_note_that_says_how_to_write_one(processed_demo, tmp_path):
    from impact import data
    from impact.report.theory_page import load_chain, missing_piece

    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    for name in ("theory_steps", "theory_arrows"):
        (root / "data" / "processed" / f"{name}.parquet").unlink()
    chain = load_chain(data.load(root))
    assert not chain and chain.evidence == {}
    assert "data/raw/theory_of_change.yaml" in missing_piece("nl").html


@pytest.mark.parametrize("doc, heading", [("handleiding.md", "## 6. De verandertheorie"),
                                          ("data-model.md", "### Theory of change")])
def test_the_examples_in_the_docs_are_a_clean_theory_of_change(doc, heading, demo_root):
    from pathlib import Path

    from impact.coding import code_lookup, load_codebook

    text = (Path(__file__).resolve().parents[1] / "docs" / doc).read_text(encoding="utf-8")
    example = text.split(heading, 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    study = impact.Study.load(demo_root)
    theory, problems = parse_theory(example, doc, codes=code_lookup(load_codebook(study)[0]),
                                    items=model.questionnaire_items(study), figures=value_per())
    assert problems == [] and len(theory.steps) >= 2 and theory.arrows


def test_one_interview_is_one_interview():
    from impact.figures import Value, get
    from impact.report.evidence import Evidence

    one = Value(get("step_interviews_for"), 1, key="s")
    evidence = Evidence("s", "weak", (), (), None, None, one, Value(get("step_interviews_against"), 1, key="s"))
    assert evidence.judgement("nl").text() == ("Alleen uit 1 interview. In 1 interview hoorden we ook iets wat dit "
                                               "tegenspreekt.")
    assert evidence.judgement("en").text().startswith("Only from 1 interview.")


def test_a_hidden_group_is_judged_by_what_the_page_shows():
    """'< 5' buurtbaners: too few to say anything (weak). 'x' (hidden only so a small count elsewhere
    cannot be worked out) is not a small group: the page must not call it one."""
    from impact.errors import Text
    from impact.figures import Value, get
    from impact.report.evidence import Evidence

    heard = Value(get("step_interviews_for"), 3, key="s")
    small = Value(get("buurtbaners_placed"), None, k=5, hidden=True, small=True)
    worked_out = Value(get("buurtbaners_placed"), None, k=5, hidden=True)
    words = Text("buurtbaners")
    text = [Evidence("s", "weak", (), (), v, words, heard, None).judgement("nl").text() for v in (small, worked_out)]
    assert text == ["Gemeten bij < 5 buurtbaners. Ook gehoord in 3 interviews. Dat zijn te weinig mensen om iets "
                    "te zeggen.", "Gemeten bij x buurtbaners. Ook gehoord in 3 interviews."]
