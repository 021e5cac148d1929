"""deduce is pinned to the minor version tested here (pyproject: deduce>=3.0.6,<3.1): if a release
changes what deduce finds in this fixed Dutch sample, this test fails and someone looks.

The sample is made up. The first test is deduce's own pipeline (its base config, as we load it:
without the street and care-institution lists, with our extra first names); the second is
impact's redaction pipeline with deduce in it.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

SAMPLE = ("Interviewer: Hoe gaat het met u, mevrouw Jansen?\n"
          "Bewoner: Goed. Mijn buurman Mohamed el Amrani uit Apeldoorn helpt me. "
          "Op 12 maart 2023 belde J.P. de Vries van de gemeente, nummer 06-12345678, "
          "mail j.devries@voorbeeld.nl. Ik ben 67 jaar en woon op de Kerkstraat 12 in 1234 AB Ons Dorp. "
          "Mijn BSN is 123456782. Zie www.buurtbaan.nl voor de Stap 2 training.")


def test_the_installed_deduce_is_the_pinned_minor_version():
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"deduce>=3\.0\.6,<3\.1"', pyproject)
    assert re.search(r'"docdeid>=1\.0\.1,<1\.1"', pyproject)
    assert version("deduce").startswith("3.0.") and version("docdeid").startswith("1.0.")


@pytest.mark.slow
def test_deduce_itself_on_the_fixed_sample():
    from impact.privacy.redact import deduce_model

    doc = deduce_model().deidentify(SAMPLE)
    assert doc.deidentified_text == (
        "Interviewer: Hoe gaat het met u, [PERSOON-1]?\n"
        "Bewoner: Goed. Mijn buurman [PERSOON-2] uit [LOCATIE-1] helpt me. "
        "Op [DATUM-1] belde [PERSOON-3] van de gemeente, nummer [TELEFOONNUMMER-1], "
        "mail [EMAILADRES-1]. Ik ben [LEEFTIJD-1] jaar en woon op de [LOCATIE-2] in [LOCATIE-3] Ons Dorp. "
        "Mijn BSN is [BSN-1]. Zie [URL-1] voor [PERSOON-4] 2 training.")
    assert sorted((a.text, a.tag) for a in doc.annotations) == [
        ("06-12345678", "telefoonnummer"), ("12 maart 2023", "datum"), ("1234 AB", "locatie"),
        ("123456782", "bsn"), ("67", "leeftijd"), ("Apeldoorn", "locatie"), ("J.P. de Vries", "persoon"),
        ("Kerkstraat 12", "locatie"), ("Mohamed el Amrani", "persoon"), ("de Stap", "persoon"),
        ("j.devries@voorbeeld.nl", "emailadres"), ("mevrouw Jansen", "persoon"), ("www.buurtbaan.nl", "url")]


@pytest.mark.slow
def test_the_redaction_pipeline_on_the_fixed_sample():
    from impact.privacy import redact_text

    red = redact_text(SAMPLE)
    assert red.text == (
        "Interviewer: Hoe gaat het met u, [NAAM]?\n"
        "Bewoner: Goed. Mijn buurman [NAAM] uit [PLAATS] helpt me. "
        "Op 12 maart 2023 belde [NAAM] van de gemeente, nummer [TELEFOON], "
        "mail [EMAIL]. Ik ben [LEEFTIJD] jaar en woon op de [ADRES] in [POSTCODE] Ons Dorp. "
        "Mijn BSN is [BSN]. Zie www.buurtbaan.nl voor [NAAM] 2 training.")
    assert [(f.original, f.source) for f in red.findings] == [
        ("mevrouw Jansen", "deduce"), ("Mohamed el Amrani", "deduce"), ("Apeldoorn", "deduce"),
        ("J.P. de Vries", "deduce"), ("06-12345678", "pattern"), ("j.devries@voorbeeld.nl", "pattern"),
        ("67", "pattern"), ("Kerkstraat 12", "pattern"), ("1234 AB", "pattern"), ("123456782", "pattern"),
        ("de Stap", "deduce")]
