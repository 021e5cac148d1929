"""A study still filling up builds every report, and each says in plain words what is not there yet.

Two builds: an empty ``impact init`` study (its register only a header line) and the demo with
several kinds of data taken away at once (one coder, no answers, no theory of change, no memos).
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import polars as pl
import pytest

import impact
from impact.coding import Corpus
from impact.data import load
from impact.report import missing
from impact.report.show import missing_piece

REPORTS = ["00_overzicht", "01_ontwikkeling_naar_werk", "02_bereik_in_de_buurt", "03_perspectieven",
           "04_vragenlijsten", "05_kwaliteit_van_het_coderen", "07_van_activiteit_naar_effect"]
SECOND_CODER = "Nog geen tweede codeur: overeenstemming meten kan pas als twee mensen hetzelfde interview coderen."
NO_ANSWERS = "Er zijn nog geen antwoorden op de vragenlijst voor buurtbaners."


def _corpus(coders_by_document: dict[str, list[str]]) -> Corpus:
    docs = pl.DataFrame({"document": ["I01", "I02"], "text": ["Ik kom hier graag.", "Het buurthuis is fijn."]})
    rows = [(doc, coder) for doc, coders in coders_by_document.items() for coder in coders]
    codings = pl.DataFrame({"document": [d for d, _ in rows], "coder": [c for _, c in rows],
                            "code": ["thuis"] * len(rows), "start": [0] * len(rows), "end": [5] * len(rows)},
                           schema={"document": pl.Utf8, "coder": pl.Utf8, "code": pl.Utf8, "start": pl.Int64,
                                   "end": pl.Int64})
    return Corpus.from_tables(docs, codings)


def test_agreement_waits_for_two_coders_on_one_document():
    assert missing.agreement(_corpus({})).nl == SECOND_CODER
    assert missing.agreement(_corpus({"I01": ["BB01"]})).nl == SECOND_CODER
    # two coders, but never on the same interview: still nothing to compare
    assert missing.agreement(_corpus({"I01": ["BB01"], "I02": ["BB02"]})).nl == SECOND_CODER
    assert missing.agreement(_corpus({"I01": ["BB01", "BB02"]})) is None
    assert missing.agreement(_corpus({})).en == ("No second coder yet: agreement can only be measured when two "
                                                 "people code the same interview.")
    assert missing.codings(_corpus({})).nl.startswith("Er is nog niets gecodeerd.")
    assert missing.codings(_corpus({"I01": ["BB01"]})) is None


def test_questionnaire_rows_and_memos_say_what_is_missing(tmp_path):
    study = impact.init_study(tmp_path / "s")
    impact.process_study(study)
    tables = load(study.root)
    assert missing.questionnaire(tables, "buurtbaners").nl == (
        "De vragenlijst buurtbaners.xlsx is er nog niet. Zet het formulier in de map questionnaires. "
        "Dan komen de antwoorden hier.")
    shutil.copy(Path(impact.__file__).parent / "study_template/questionnaires/buurtbaners.xlsx",
                study.questionnaires / "buurtbaners.xlsx")
    assert missing.questionnaire(tables, "buurtbaners").nl == NO_ANSWERS
    assert missing.rows(tables, "trajectory_events", "goals").nl == (
        "Hier staan nog geen gegevens over: trajecten, doelscores (GAS). Zet ze in de map data/raw en draai "
        "daarna impact process. Dan komen ze in dit rapport.")
    assert missing.rows(tables, "trajectory_events").en.startswith("There is no data yet about: trajectory events.")
    assert missing.memos(pl.DataFrame({"memo": []})).nl.startswith("Er zijn nog geen memo's voor het rapport.")
    assert missing.memos(pl.DataFrame({"memo": ["Zo codeerden we."]})) is None


def test_a_missing_note_is_a_marked_note_piece_and_nothing_when_all_is_there():
    piece = missing_piece(missing.agreement(_corpus({})))
    assert piece.kind == "note" and "data-missing" in piece.html and SECOND_CODER in piece.html
    assert impact.show.missing(None) is False


def test_the_guard_without_a_register_says_which_line_to_write(tmp_path):
    from impact.privacy.guard import RegisterUnavailable, load_register

    study = impact.init_study(tmp_path / "s")
    with pytest.raises(RegisterUnavailable) as err:
        load_register(study)
    text = err.value.render("nl")
    assert "data/raw/people.csv ontbreekt" in text and "person_id,name,role,actor_type,district" in text
    assert "alleen die eerste regel" in text
    (study.raw / "people.csv").write_text("person_id,name,role,actor_type,district\n", encoding="utf-8")
    assert load_register(study).names == []


# --- two builds -----------------------------------------------------------------------------------

def _build(root: Path) -> dict[str, str]:
    from impact.report.build import build_reports

    result = build_reports(impact.Study.load(root), infographic=False)
    result.raise_for_failures()
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (root / "reports" / "nl").glob("0*.html")}
    assert sorted(pages) == REPORTS
    return pages


def _notes(page: str) -> list[str]:
    """The missing-data notes on a page, as a reader sees them."""
    return [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r'<p [^>]*data-missing=""[^>]*>(.*?)</p>', page)]


@pytest.mark.slow
def test_an_empty_study_builds_every_report_and_each_says_what_is_missing(tmp_path):
    root = tmp_path / "leeg"
    study = impact.init_study(root)
    (study.raw / "people.csv").write_text("person_id,name,role,actor_type,district\n", encoding="utf-8")
    impact.process_study(impact.Study.load(root))
    pages = _build(root)
    notes = {name: _notes(page) for name, page in pages.items()}
    assert notes["01_ontwikkeling_naar_werk"] == [
        "Hier staan nog geen gegevens over: trajecten, doelscores (GAS). Zet ze in de map data/raw en draai "
        "daarna impact process. Dan komen ze in dit rapport."]
    assert "activiteiten, aanwezigheid, contacten" in notes["02_bereik_in_de_buurt"][0]
    assert notes["04_vragenlijsten"][0].startswith("De vragenlijst buurtbaners.xlsx is er nog niet.")
    assert any(n.startswith("De vragenlijst bewoners_vervolg.xlsx") for n in notes["04_vragenlijsten"])
    assert SECOND_CODER in notes["05_kwaliteit_van_het_coderen"]
    assert notes["05_kwaliteit_van_het_coderen"][-1].startswith("Er zijn nog geen memo's voor het rapport.")
    assert "Deze studie heeft nog geen verandertheorie." in pages["07_van_activiteit_naar_effect"]
    for name in REPORTS[:6]:
        assert notes[name], f"{name} says nothing about the missing data"


@pytest.mark.slow
def test_the_demo_with_one_coder_no_answers_no_theory_and_no_memos_builds_and_says_so(tmp_path, demo_root):
    from demo_build import REPO

    root = tmp_path / "studie"
    shutil.copytree(demo_root, root)
    raw = root / "data" / "raw"
    coders = sorted(p.name for p in (raw / "codings").iterdir())
    for gone in [raw / "codings" / coders[-1], raw / "responses", raw / "memos"]:
        shutil.rmtree(gone)
    (raw / "theory_of_change.yaml").unlink()
    impact.process_study(impact.Study.load(root))
    shutil.copytree(REPO / "notebooks", root / "notebooks", dirs_exist_ok=True)
    pages = _build(root)
    notes = {name: _notes(page) for name, page in pages.items()}
    assert notes["04_vragenlijsten"][:2] == [NO_ANSWERS, NO_ANSWERS]
    assert "Er zijn nog geen antwoorden op de vragenlijst voor bewoners." in notes["04_vragenlijsten"]
    assert SECOND_CODER in notes["05_kwaliteit_van_het_coderen"]
    assert notes["05_kwaliteit_van_het_coderen"][-1].startswith("Er zijn nog geen memo's voor het rapport.")
    assert "Deze studie heeft nog geen verandertheorie." in pages["07_van_activiteit_naar_effect"]
    # what is there is still shown: the codebook, the trajectories, the reach
    assert "Het codeboek" in pages["05_kwaliteit_van_het_coderen"]
    assert "Hoe vaak is elk thema gebruikt?" in pages["05_kwaliteit_van_het_coderen"]
    assert notes["01_ontwikkeling_naar_werk"] == [] and notes["02_bereik_in_de_buurt"] == []
