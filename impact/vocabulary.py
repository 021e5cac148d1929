"""The words readers see for identifiers, and the one colour palette.

Everything a report, a chart or the infographic shows for a role, an
actor type, a kind of activity, contact or trajectory event, a ladder step
or a scale comes from here, in Dutch and English. Codes get the ``label``
of the codebook (``code_labels``). This module imports nothing from the
analysis modules, so every module can use it.

Example:
    >>> ROLES["key_person"].many("nl"), ROLES["key_person"].one("en")
    ('Sleutelpersonen', 'key person')
    >>> label(ACTIVITY_KINDS, "spreekuur", "nl"), ACTIVITY_KINDS["spreekuur"].the("nl")
    ('Spreekuur', 'het spreekuur')
    >>> humanise("samenwerking_formeel")
    'Samenwerking formeel'
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.errors import Text

# Okabe & Ito (2008), "Color Universal Design": told apart with every common
# form of colour blindness. The only palette of charts and infographic.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
# Grey for context (lines joining dots, empty parts); dark enough on white.
GREY = "#767676"


@dataclass(frozen=True)
class Word:
    """A label (as a heading or chart label) and, for sentences, the word with its article.

    ``one``: singular, lower case ("sleutelpersoon"); ``many``: plural, as a
    label ("Sleutelpersonen"); ``article``: the Dutch article of ``one``.
    """

    one: Text
    many: Text | None = None
    article: str = "de"

    def __call__(self, lang: str = "nl") -> str:
        """The label: the plural when there is one, else the singular with a capital."""
        if self.many is not None:
            return self.many(lang)
        return _capital(self.one(lang))

    def the(self, lang: str = "nl") -> str:
        """The singular with its article: "het spreekuur", "the consultation hour"."""
        return f"{self.article if lang == 'nl' else 'the'} {self.one(lang)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


ROLES: dict[str, Word] = {
    "buurtbaner": Word(Text("buurtbaner"), Text("Buurtbaners")),
    "key_person": Word(Text("sleutelpersoon"), Text("Sleutelpersonen")),
    "resident": Word(Text("bewoner"), Text("Bewoners")),
    "volunteer": Word(Text("vrijwilliger"), Text("Vrijwilligers")),
    "formal_actor": Word(Text("medewerker van een organisatie"),
                         Text("Medewerkers van organisaties")),
    "organisation": Word(Text("organisatie"), Text("Organisaties")),
    "unknown": Word(Text("onbekend"), Text("Onbekend"), article="het"),
}

ACTOR_TYPES: dict[str, Word] = {
    "informal": Word(Text("iemand uit de buurt"),
                     Text("Mensen uit de buurt")),
    "formal": Word(Text("iemand van een organisatie"),
                   Text("Organisaties")),
}

ACTIVITY_KINDS: dict[str, Word] = {
    "spreekuur": Word(Text("spreekuur"), article="het"),
    "maaltijd": Word(Text("maaltijd")),
    "wandelgroep": Word(Text("wandelgroep")),
    "taalles": Word(Text("taalles")),
    "computerles": Word(Text("computerles")),
    "evenement": Word(Text("evenement"), article="het"),
}

CONTACT_KINDS: dict[str, Word] = {
    "doorbell": Word(Text("aangebeld"), Text("Aangebeld")),
    "conversation": Word(Text("gesprek"), Text("Gesprekken"), article="het"),
    "match": Word(Text("match"), Text("Matches")),
    "referral": Word(Text("doorverwijzing"), Text("Doorverwijzingen")),
    "volunteer_activated": Word(Text("nieuwe vrijwilliger"),
                                Text("Nieuwe vrijwilligers")),
}

EVENT_KINDS: dict[str, Word] = {
    "start": Word(Text("start")),
    "training": Word(Text("opleiding")),
    "certificate": Word(Text("certificaat"), article="het"),
    "coaching": Word(Text("coaching")),
    "ladder_step": Word(Text("stap op de ladder")),
    "promise_of_contract": Word(Text("belofte van een contract")),
    "follow_on_job": Word(Text("vervolgbaan")),
    "drop_out": Word(Text("gestopt"), article="het"),
    "end": Word(Text("einde buurtbaan"), article="het"),
}

# The six public steps of the Participatieladder.
LADDER_STEPS: dict[int, Text] = {
    1: Text("1 Geïsoleerd"),
    2: Text("2 Sociale contacten buiten de deur"),
    3: Text("3 Meedoen aan activiteiten"),
    4: Text("4 Onbetaald werk"),
    5: Text("5 Betaald werk met steun"),
    6: Text("6 Betaald werk"),
}

# Scales of the shipped questionnaires and other identifiers in analysis tables.
SCALES: dict[str, Text] = {
    "self_efficacy": Text("vertrouwen in jezelf"),
    "social_network": Text("sociaal netwerk"),
    "financial_stress": Text("geldzorgen"),
    "wellbeing": Text("welzijn"),
}
TESTS: dict[str, Text] = {  # statistical tests named in analysis tables
    "paired t-test": Text("gepaarde t-toets"),
    "wilcoxon signed-rank": Text("Wilcoxon-toets"),
}
DIRECTIONS: dict[str, Text] = {
    "up": Text("omhoog"), "same": Text("gelijk"), "down": Text("omlaag"),
}

# Where a code in the codebook came from.
ORIGINS: dict[str, Text] = {
    "rq1": Text("onderzoeksvraag 1"), "rq2": Text("onderzoeksvraag 2"),
    "rq3": Text("onderzoeksvraag 3"),
    "inductive": Text("uit de gesprekken"),
}
ALL_CODES = Text("alle codes samen")  # the "(all)" row of agreement tables

# Every table of identifiers a reader may meet, for checks that none is shown raw.
IDENTIFIER_TABLES = (ROLES, ACTOR_TYPES, ACTIVITY_KINDS, CONTACT_KINDS, EVENT_KINDS, SCALES, DIRECTIONS, ORIGINS)


def label(table: dict, key, lang: str = "nl") -> str:
    """The label of ``key`` in one of the tables above; an unknown key is made readable."""
    word = table.get(key)
    if word is None:
        return humanise(key)
    return word(lang)


def labels(table: dict, lang: str = "nl") -> dict:
    """``{identifier: label}`` for a whole table (for ``replace_strict`` in polars)."""
    return {k: v(lang) for k, v in table.items()}


def singular(table: dict, key, lang: str = "nl") -> str:
    """The lower-case singular of ``key`` ("bewoner"); an unknown key is made readable."""
    word = table.get(key)
    return word.one(lang) if isinstance(word, Word) else humanise(key).lower()


def humanise(identifier) -> str:
    """An identifier as words: ``eigen_ervaring`` -> ``Eigen ervaring`` (when nothing better is known)."""
    if identifier is None:
        return ""
    text = str(identifier).replace("_", " ").strip()
    return _capital(text)


def join_words(words: list[str], lang: str = "nl") -> str:
    """``["a", "b", "c"]`` -> ``"a, b en c"`` (``"a, b and c"`` in English).

    Example:
        >>> join_words(["erkenning", "taal"], "nl"), join_words(["x"], "en"), join_words([], "nl")
        ('erkenning en taal', 'x', '')
    """
    words = [w for w in words if w]
    if len(words) < 2:
        return "".join(words)
    return Text("{first} en {last}", first=", ".join(words[:-1]), last=words[-1])(lang)


def code_labels(codebook, lang: str = "nl") -> dict[str, str]:
    """``{code: label}`` from the codebook's ``label`` (and ``label_en``) columns.

    English falls back to the Dutch label; a code without a label is made
    readable with ``humanise``, so no identifier reaches a reader.

    Example:
        >>> import polars as pl
        >>> book = pl.DataFrame({"code": ["eigen_ervaring", "taal"], "label": ["Eigen ervaring", None],
        ...                      "label_en": ["Own experience", None]})
        >>> code_labels(book, "en")
        {'eigen_ervaring': 'Own experience', 'taal': 'Taal'}
    """
    if codebook is None or "code" not in getattr(codebook, "columns", []):
        return {}
    codes = codebook["code"].to_list()
    nl = codebook["label"].to_list() if "label" in codebook.columns else [None] * len(codes)
    en = codebook["label_en"].to_list() if "label_en" in codebook.columns else [None] * len(codes)
    out = {}
    for code, a, b in zip(codes, nl, en):
        chosen = (b or a) if lang == "en" else a
        out[code] = chosen.strip() if chosen and chosen.strip() else humanise(code)
    return out


def code_label(codebook, code: str, lang: str = "nl") -> str:
    """The label of one code (see ``code_labels``)."""
    return code_labels(codebook, lang).get(code) or humanise(code)
