"""The redaction pipeline: one docdeid DocDeid, one overlap rule, deduce through its public parts.

Values are made up; 123456782 passes the elfproef (see test_privacy_detect).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import docdeid as dd
import pytest

from impact.privacy.detect import (PATTERNS, Hit, build_pipeline, find_pii, hits_of, merge_hits,
                                   strip_accents)

ROOT = Path(__file__).resolve().parents[1]


def test_no_private_names_of_deduce_are_used_or_replaced():
    pattern = re.compile(r"_LOOKUP_SET_LOADERS|_LOOKUP_TRIE_LOADERS|_BASE_CONFIG_FILE|get_lookup_structs =|"
                         r"_LOOKUP_LIST_PATH|_DeduceProcessorLoader")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "impact").rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_the_pipeline_is_one_docdeid_pipeline_in_a_fixed_order():
    pipe = build_pipeline()
    assert isinstance(pipe, dd.DocDeid)
    assert pipe.processors.get_names(recursive=False) == [
        "register_names", "register_values", "rules", *PATTERNS, "keep", "merge", "tags"]
    assert list(PATTERNS) == ["email", "iban", "bsn", "phone", "postcode", "address", "birth_date", "age",
                              "plate", "handle"]


def test_find_pii_is_the_pipeline_without_register_and_deduce():
    text = "Mail a@b.nl, bel 06-12345678, BSN 123456782, kenteken 12-ABC-3, @buurtmoeder020."
    doc = build_pipeline().deidentify(text)
    assert hits_of(doc) == find_pii(text)
    assert doc.deidentified_text == "Mail [EMAIL], bel [TELEFOON], BSN [BSN], kenteken [KENTEKEN], [ACCOUNT]."


def test_one_overlap_rule_covers_the_union_and_keeps_the_longest_kind():
    # a phone number [0, 10) and a name [8, 20): everything is hidden, as the longer (the name)
    assert merge_hits([Hit(0, 10, "phone"), Hit(8, 20, "name", "deduce")]) == [Hit(0, 20, "name", "deduce")]
    # a tie in length: PRIORITY decides (bsn before phone), then the source (register before deduce)
    assert merge_hits([Hit(0, 9, "phone"), Hit(0, 9, "bsn")]) == [Hit(0, 9, "bsn")]
    assert merge_hits([Hit(0, 5, "name", "deduce"), Hit(0, 5, "name", "register")]) == [
        Hit(0, 5, "name", "register")]
    # two names with a space between become one; a name and a word do not
    text = "Jan Jansen en Piet"
    hits = [Hit(0, 3, "name"), Hit(4, 10, "name"), Hit(14, 18, "name")]
    assert merge_hits(hits, text) == [Hit(0, 10, "name"), Hit(14, 18, "name")]


def test_keep_words_are_compared_without_case_spaces_and_dashes():
    pipe = build_pipeline(names=["Wil Smit"], keep=["030 789 2000", "wil smit"])
    doc = pipe.deidentify("Bel 030-7892000 of Wil Smit, niet 06-12345678.")
    assert doc.deidentified_text == "Bel 030-7892000 of Wil Smit, niet [TELEFOON]."


@pytest.mark.parametrize("text,value,kind", [
    ("Zijn auto heeft kenteken 12-ABC-3.", "12-ABC-3", "plate"),
    ("De bus met AB-12-CD stond op de stoep.", "AB-12-CD", "plate"),
    ("Kenteken: G-123-BB.", "G-123-BB", "plate"),
    ("Het busje VGK-23-P is van de stichting.", "VGK-23-P", "plate"),
    ("Kenteken 52XLP7 staat op de bon.", "52XLP7", "plate"),
    ("Volg haar op @fatima_bakt.", "@fatima_bakt", "handle"),
    ("Zie instagram.com/ozlem.naait voor foto's.", "instagram.com/ozlem.naait", "handle"),
    ("Insta: sunita.kookt", "sunita.kookt", "handle"),
    ("Ze woont op de 2e Hugo de Grootstraat 12-III.", "2e Hugo de Grootstraat 12-III", "address"),
    ("Het buurthuis zit aan de Jan Evertsenstraat 100 hs.", "Jan Evertsenstraat 100 hs", "address"),
    ("Ik woon op Wilgenroosje 138, al tien jaar.", "Wilgenroosje 138", "address"),
    ("Iedereen met postcode 1062 wz kreeg een brief.", "1062 wz", "postcode"),
    ("Hij is jarig op 17-08-2001, zegt het formulier.", "17-08-2001", "birth_date"),
])
def test_plates_accounts_addresses_postcodes_birth_dates(text, value, kind):
    assert (value, kind) in [(text[h.start:h.end], h.kind) for h in find_pii(text)]


@pytest.mark.parametrize("text", [
    "COVID-19 en A-B-C, WK-2024, 12-12-12 en 1-2-3.",
    "Mail ons: info@buurt.nl is geen account.",
    "Vergadering 2023-10-05 om 14:00 uur, 1500 in totaal, in 2023 en 2024.",
    "Stap 3 van 6, week 12, zaal 2.14, bus 21.",
])
def test_no_plates_accounts_or_addresses_in_ordinary_text(text):
    assert [(text[h.start:h.end], h.kind) for h in find_pii(text) if h.kind != "email"] == []


def test_strip_accents_keeps_length_and_case():
    for word in ["Małgorzata", "Hüseyin Kılıç", "Øyvind", "İsmail", "Dąbrowska"]:
        assert len(strip_accents(word)) == len(word)
    assert strip_accents("İsmail Dąbrowska") == "Ismail Dabrowska"


@pytest.mark.slow
def test_deduce_is_built_through_its_constructor_and_leaves_logging_alone():
    from impact.privacy.redact import deduce_model

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    model = deduce_model()
    assert list(root.handlers) == handlers and root.level == level
    # its lookup lists come from a folder of ours, not from site-packages
    assert "site-packages" not in str(model.lookup_data_path)
    assert model.lookup_structs["street"].children == {}
    assert ["Małgorzata"] in model.lookup_structs["first_name"]


@pytest.mark.slow
def test_names_with_accents_and_particles_and_a_lone_surname_at_the_start():
    from impact.privacy import redact_text

    text = ("Ik heb Małgorzata Wójcik uitgelegd hoe het werkt. Hüseyin Kılıç heeft de sleutels. "
            "Rachida Ben Hamou wil een opleiding. Scholing moet aansluiten. Stap 1 is klaar.")
    red = redact_text(text)
    assert red.text == ("Ik heb [NAAM] uitgelegd hoe het werkt. [NAAM] heeft de sleutels. "
                        "[NAAM] wil een opleiding. Scholing moet aansluiten. Stap 1 is klaar.")
