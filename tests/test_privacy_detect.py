"""Personal-data patterns: a planted corpus is caught in full, clean texts give no false alarm.

Test values are fictional. The IBAN NL91ABNA0417164300 and DE89370400440532013000 are the
standard examples of ISO 13616 (checksum mod 97 = 1); 123456782 passes the BSN elfproef
by hand: 9*1+8*2+7*3+6*4+5*5+4*6+3*7+2*8-1*2 = 154 = 14*11.
"""

from __future__ import annotations

import pytest

from impact.privacy.detect import NameMatcher, ValueMatcher, find_pii, fold, mask, name_parts

# (text, planted value, kind)
PLANTED = [
    ("Bel me op 06-12345678.", "06-12345678", "phone"),
    ("mobiel 06 1234 5678 graag", "06 1234 5678", "phone"),
    ("tel 0612345678", "0612345678", "phone"),
    ("kantoor 020-1234567", "020-1234567", "phone"),
    ("(020) 123 4567 is het nummer", "(020) 123 4567", "phone"),
    ("of +31 6 12345678", "+31 6 12345678", "phone"),
    ("of +31 (0)20 123 4567", "+31 (0)20 123 4567", "phone"),
    ("of 0031 6 1234 5678", "0031 6 1234 5678", "phone"),
    ("mail naar fatima.amrani@voorbeeld.nl vandaag", "fatima.amrani@voorbeeld.nl", "email"),
    ("rekening NL91ABNA0417164300", "NL91ABNA0417164300", "iban"),
    ("rekening NL91 ABNA 0417 1643 00 voor de huur", "NL91 ABNA 0417 1643 00", "iban"),
    ("Duitse rekening DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00", "iban"),
    ("mijn BSN is 123456782", "123456782", "bsn"),
    ("nummer 123456782 staat op de brief", "123456782", "bsn"),
    ("burgerservicenummer: 1234.56.789", "1234.56.789", "bsn"),
    ("postcode 1056 AB in West", "1056 AB", "postcode"),
    ("postcode 1056AB", "1056AB", "postcode"),
    ("postcode 7311ab", "7311ab", "postcode"),
    ("ik woon op de Jan Evertsenstraat 12", "Jan Evertsenstraat 12", "address"),
    ("adres: Kerkstraat 5a", "Kerkstraat 5a", "address"),
    ("Burgemeester de Vlugtlaan 125-3 is het", "Burgemeester de Vlugtlaan 125-3", "address"),
    ("Zeedijk 14 hs", "Zeedijk 14 hs", "address"),
    ("zij is 45 jaar oud", "45", "age"),
    ("een 67-jarige buurvrouw", "67", "age"),
    ("Ik ben 38.", "38", "age"),
    ("leeftijd: 71", "71", "age"),
    ("geboren op 12-03-1961", "12-03-1961", "birth_date"),
    ("geboren 3 mei 1961 in Zuid", "3 mei 1961", "birth_date"),
]

def _clean_corpus() -> list[str]:
    """The clean sentences of the redaction benchmark (benchmarks/privacy_corpus.py): the numbers,
    dates and words interviews and reports are full of, with no personal data."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "privacy_corpus.py"
    spec = importlib.util.spec_from_file_location("privacy_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CLEAN


CLEAN = _clean_corpus()


@pytest.mark.parametrize("text,value,kind", PLANTED)
def test_planted_value_is_found_with_its_kind(text, value, kind):
    hits = find_pii(text)
    found = [(text[h.start:h.end], h.kind) for h in hits]
    assert (value, kind) in found


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_gives_no_false_alarm(text):
    assert [(text[h.start:h.end], h.kind) for h in find_pii(text)] == []


def test_invalid_checksums_are_not_taken_for_bsn_or_foreign_iban():
    # 123456789: 9+16+21+24+25+24+21+16-9 = 147, not a multiple of 11
    assert find_pii("nummer 123456789") == []
    # last digit changed: mod 97 fails, and it is not Dutch-shaped
    assert find_pii("DE89 3704 0044 0532 0130 01") == []


def test_dutch_shaped_iban_is_caught_even_with_a_typo():
    # privacy first: a typo in a transcript still hides the bank account
    hits = find_pii("NL91ABNA0417164301")
    assert [h.kind for h in hits] == ["iban"]


def test_fold_keeps_length_and_drops_accents():
    s = "Özlem Çelik-Ünal"
    assert len(fold(s)) == len(s)
    assert fold(s) == "ozlem celik-unal"


def test_name_parts():
    assert name_parts("Fatima el Amrani") == ["Fatima", "el Amrani", "Amrani"]
    assert name_parts("Piet Jansen") == ["Piet", "Jansen"]
    assert name_parts("Cher") == []


def test_names_whole_words_any_case_accents_and_line_breaks():
    m = NameMatcher(["Özlem Çelik"])
    text = "Ozlem Celik, ÖZLEM\nÇELIK en Özlem-Çelik, maar niet Özlem Çeliksoy"
    found = [text[h.start:h.end] for h in m.find(text)]
    assert found == ["Ozlem Celik", "ÖZLEM\nÇELIK", "Özlem-Çelik"]


def test_name_parts_only_with_a_capital():
    m = NameMatcher([], parts=["Roos"])
    text = "Roos kwam met een roos."
    assert [text[h.start:h.end] for h in m.find(text)] == ["Roos"]


def test_register_values_phone_digits_with_any_spacing_and_country_code():
    m = ValueMatcher(phones=["+31 6 2345 6789"], emails=["A.Iemand@Voorbeeld.NL"],
                     addresses=["Dorpsweg 7, 1234 AB Ons Dorp"])
    text = "bel 06 23 45 67 89 of a.iemand@voorbeeld.nl, Dorpsweg 7 in Ons Dorp"
    found = sorted((h.kind, text[h.start:h.end]) for h in m.find(text))
    assert found == [("address", "Dorpsweg 7"), ("email", "a.iemand@voorbeeld.nl"),
                     ("phone", "06 23 45 67 89")]


def test_mask_never_shows_the_value_in_full():
    assert mask("Fatima el Amrani") == "Fa•••• •• ••••••"
    assert mask("123456782") == "12•••••••"
