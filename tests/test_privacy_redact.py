"""Redaction of transcripts: register names and spellings, patterns, deduce, offsets, review list."""

from __future__ import annotations

import polars as pl
import pytest

from impact.privacy import Redactor, redact_text, review_table
from impact.privacy.redact import load_redaction_rules

PEOPLE = pl.DataFrame({
    "person_id": ["R0001", "BB03"],
    "name": ["Fatima el Amrani", "Henk de Wit"],
    "name_variants": ["Fatma;Mevrouw Amrani", None],
    "phone": ["+31 6 2345 6789", None],
    "email": ["fatima@voorbeeld.nl", None],
    "address": ["Molenweg 3, 1234 AB Ons Dorp", None],
}, schema={c: pl.Utf8 for c in ("person_id", "name", "name_variants", "phone", "email", "address")})


def test_register_names_variants_parts_and_contact_data():
    red = Redactor.from_register(PEOPLE, use_deduce=False)
    text = ("Fatma woont op Molenweg 3. Henk de Wit belde 06 23 45 67 89. "
            "Mevrouw Amrani en Amrani, en FATIMA EL AMRANI. De wit muur.")
    out = red.redact(text)
    assert out.text == ("[NAAM] woont op [ADRES]. [NAAM] belde [TELEFOON]. "
                        "[NAAM] en [NAAM], en [NAAM]. De wit muur.")
    assert [f.original for f in out.findings] == [
        "Fatma", "Molenweg 3", "Henk de Wit", "06 23 45 67 89", "Mevrouw Amrani", "Amrani", "FATIMA EL AMRANI"]
    assert {f.source for f in out.findings} == {"register"}


def test_offsets_map_to_the_redacted_text():
    text = "Ik ben Fatima el Amrani, bel 06-12345678 of niet."
    red = redact_text(text, names=["Fatima el Amrani"], use_deduce=False)
    assert red.text == "Ik ben [NAAM], bel [TELEFOON] of niet."
    # every character outside a span keeps its meaning
    for pos, ch in enumerate(text):
        inside = any(f.start <= pos < f.end for f in red.findings)
        if not inside:
            assert red.text[red.map_offset(pos)] == ch
    # "of niet" starts at 41 in the original, 30 in the redacted text
    assert red.map_offset(41) == 30 and red.text[30:37] == "of niet"
    assert red.map_offset(len(text)) == len(red.text)


def test_a_coding_inside_a_span_snaps_outward_to_the_tag():
    text = "Ik ben Fatima el Amrani en ik werk."
    red = redact_text(text, names=["Fatima el Amrani"], use_deduce=False)
    # a coding from "Amrani en ik" starts inside the name
    s, e = red.map_span(text.index("Amrani"), text.index(" werk"))
    assert red.text[s:e] == "[NAAM] en ik"
    # a coding that ends inside the name keeps the whole tag
    s, e = red.map_span(0, text.index(" el"))
    assert red.text[s:e] == "Ik ben [NAAM]"
    # a coding that ends exactly where the name starts does not take the tag
    s, e = red.map_span(0, text.index("Fatima"))
    assert red.text[s:e] == "Ik ben "


def test_review_table_says_what_where_and_shows_no_other_pii():
    text = "Eerste regel.\nBel Henk de Wit op 06-12345678 of mail h@voorbeeld.nl"
    red = redact_text(text, names=["Henk de Wit"], use_deduce=False)
    review = review_table({"I07": red})
    assert review.columns == ["document", "line", "start", "end", "kind", "source", "original",
                              "replacement", "context"]
    assert review.select("line", "kind", "original", "replacement").rows() == [
        (2, "name", "Henk de Wit", "[NAAM]"),
        (2, "phone", "06-12345678", "[TELEFOON]"),
        (2, "email", "h@voorbeeld.nl", "[EMAIL]")]
    # the context is taken from the redacted text: other values stay hidden
    assert review["context"][0] == "Eerste regel. Bel »[NAAM]« op [TELEFOON] of mail [EMAIL]"
    assert text[review["start"][1]:review["end"][1]] == "06-12345678"


def test_rules_always_and_keep(tmp_path):
    from impact.study import init_study

    study = init_study(tmp_path / "s")
    (study.raw / "redaction_rules.csv").write_text(
        "text;action\nDe Blauwe Deur;weglakken\nWil;laten\nZomaar;iets\n", encoding="utf-8")
    always, keep, problems = load_redaction_rules(study)
    assert always == ["De Blauwe Deur"] and keep == ["Wil"]
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "action", "iets")]
    red = Redactor(names=["Wil Smit"], always=always, keep=keep, use_deduce=False)
    out = red.redact("Wil je naar De Blauwe Deur? Wil Smit komt ook.")
    assert out.text == "Wil je naar [WEG]? [NAAM] komt ook."


def test_script_in_a_transcript_is_just_text():
    red = redact_text("<script>alert(1)</script>", use_deduce=False)
    assert red.text == "<script>alert(1)</script>" and red.findings == []


@pytest.mark.slow
def test_deduce_finds_names_not_in_the_register_and_places():
    """deduce works offline with its shipped lists (built once per process, no download)."""
    text = ("Bewoner: Mijn buurman Mohamed kwam ook, en mevrouw Jansen uit Apeldoorn. "
            "In 2023 was dat 32 uur per week, de 1e ronde.")
    red = redact_text(text)
    kinds = [(f.original, f.kind, f.source) for f in red.findings]
    assert ("Mohamed", "name", "deduce") in kinds
    assert ("Apeldoorn", "place", "deduce") in kinds
    assert any(o.endswith("Jansen") and k == "name" for o, k, _ in kinds)
    assert "32 uur per week, de 1e ronde." in red.text and "2023" in red.text
    assert "Bewoner:" in red.text


@pytest.mark.slow
def test_every_planted_value_leaves_the_transcript():
    """The planted corpus of test_privacy_detect, with deduce on, as one transcript."""
    from test_privacy_detect import PLANTED

    text = "\n\n".join(f"Bewoner: {t}" for t, _, _ in PLANTED)
    red = Redactor.from_register(PEOPLE).redact(text + "\n\nBewoner: Fatima el Amrani, Fatma.")
    for _, value, _ in PLANTED:
        assert value not in red.text
    assert "Fatima" not in red.text and "Fatma" not in red.text
