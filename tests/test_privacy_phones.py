"""Phone numbers in every way people write them, in the redactor and the publish guard alike;
no false alarms on dates, amounts, postcodes, years, rounds, times or version numbers.

All numbers are made up (06-12345678 and 020-6123456 are the usual examples).
"""

from __future__ import annotations

import pytest

from impact.privacy import check_publish, redact_text
from impact.privacy.detect import find_pii

# (sentence, the number in it)
WRITTEN = [
    ("Het buurthuis is bereikbaar via 020 - 612 34 56.", "020 - 612 34 56"),
    ("Bel (020) 612 3456 voor een afspraak.", "(020) 612 3456"),
    ("Mijn nummer is 020-6123456.", "020-6123456"),
    ("Vanuit het buitenland: +31 (0)20 612 34 56.", "+31 (0)20 612 34 56"),
    ("Of bel 0031 20 6123456.", "0031 20 6123456"),
    ("Mobiel: 06-12345678.", "06-12345678"),
    ("Bel haar op 06 1234 5678 na zessen.", "06 1234 5678"),
    ("Zijn nummer is +31 6 12345678.", "+31 6 12345678"),
    ("Of +31 6 12 34 56 78, dat kan ook.", "+31 6 12 34 56 78"),
    ("App me op +31612345678.", "+31612345678"),
    ("Bel 0612345678 na zes uur.", "0612345678"),
    ("Het nummer van de coach: 06 - 12 34 56 78.", "06 - 12 34 56 78"),
    ("Haar vaste nummer is 0575 - 51 23 45.", "0575 - 51 23 45"),
    ("Tel.055-5761234", "055-5761234"),
    ("+31 (0)6 - 23 45 67 89 is de opvang.", "+31 (0)6 - 23 45 67 89"),
    ("Zijn oude nummer was 0031-6-87654321.", "0031-6-87654321"),
    ("Noodnummer 06.12.34.56.78 voor de buurtbaner.", "06.12.34.56.78"),
    ("Telefoon: (06) 12345678.", "(06) 12345678"),
    ("Haar nummer (020 612 3456) staat op de lijst.", "020 612 3456"),
    ("Zijn broer in Marokko heeft +212 6 12 34 56 78.", "+212 6 12 34 56 78"),
    ("Haar tante in Ghana: +233 24 123 4567.", "+233 24 123 4567"),
    ("Het Poolse nummer is +48 601 234 567.", "+48 601 234 567"),
]

NOT_PHONES = [
    "Gesprek op 12-05-2023 om 10:30, verslag 2023-05-12, en 12 mei 2023.",
    "Afspraak 01-02-2023 12:00 in het buurthuis, of 01-02-2023 12 uur.",
    "Budget € 1.234.567,89 en € 0,50 per kop; 0,5 fte.",
    "Postcode 1055 AB en 1062WZ, huisnummer 12.",
    "De regeling liep van 2019 - 2023 en van 2021-2023.",
    "Dit is de 1e ronde, daarna de 2e ronde.",
    "Meer dan 10.000 keer aangebeld in vijf jaar.",
    "Open van 09.00 - 17.00 uur en 09.30-12.30 uur, op zaterdag 10:00 - 12:00.",
    "impact versie 0.1.0, Python 3.11.4, vl-convert 1.6.0",
    "Assen: 0 10 20 30 40 50 60 70 80 90",
    "Tabel: 0 1 2 3 4 5 6 7 8 9 en 01 02 03 04 05 06 07 08 09 10",
    "Rekening DE89 3704 0044 0532 0130 01 is fout.",
    "Het dossier 2023-0012345 is gesloten.",
]


@pytest.mark.parametrize("sentence,number", WRITTEN)
def test_every_way_of_writing_a_number_is_found(sentence, number):
    hits = [(sentence[h.start:h.end], h.kind) for h in find_pii(sentence)]
    assert hits == [(number, "phone")]


@pytest.mark.parametrize("sentence", NOT_PHONES)
def test_no_false_alarm_on_numbers_that_are_no_phone_numbers(sentence):
    assert [sentence[h.start:h.end] for h in find_pii(sentence) if h.kind == "phone"] == []


def test_redactor_and_guard_find_the_same_numbers(tmp_path):
    text = "\n".join(s for s, _ in WRITTEN)
    red = redact_text(text, use_deduce=False)
    assert [f.original for f in red.findings] == [n for _, n in WRITTEN]
    assert {f.replacement for f in red.findings} == {"[TELEFOON]"}
    page = tmp_path / "verslag.html"
    page.write_text("".join(f"<p>{s}</p>" for s, _ in WRITTEN), encoding="utf-8")
    assert [f.kind for f in check_publish([page])] == ["phone"] * len(WRITTEN)


def test_the_landline_of_the_newcomer_issue_is_redacted_and_stops_publication(tmp_path):
    sentence = "Het buurthuis is bereikbaar via 020 - 612 34 56."
    assert redact_text(sentence, use_deduce=False).text == "Het buurthuis is bereikbaar via [TELEFOON]."
    page = tmp_path / "r.html"
    page.write_text(f"<p>{sentence}</p>", encoding="utf-8")
    assert [(f.kind, f.excerpt) for f in check_publish([page])] == [("phone", "02• - ••• •• ••")]


def test_two_numbers_in_a_row_are_two_numbers():
    text = "Bel 06-12345678 of 020 612 34 56, of 0612345678 0687654321."
    found = [text[h.start:h.end] for h in find_pii(text)]
    assert found == ["06-12345678", "020 612 34 56", "0612345678", "0687654321"]
