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
    "buurtbaner": Word(Text("buurtbaner", "buurtbaner"), Text("Buurtbaners", "Buurtbaners")),
    "key_person": Word(Text("sleutelpersoon", "key person"), Text("Sleutelpersonen", "Key persons")),
    "resident": Word(Text("bewoner", "resident"), Text("Bewoners", "Residents")),
    "volunteer": Word(Text("vrijwilliger", "volunteer"), Text("Vrijwilligers", "Volunteers")),
    "formal_actor": Word(Text("medewerker van een organisatie", "staff member of an organisation"),
                         Text("Medewerkers van organisaties", "Staff of organisations")),
    "organisation": Word(Text("organisatie", "organisation"), Text("Organisaties", "Organisations")),
    "unknown": Word(Text("onbekend", "unknown"), Text("Onbekend", "Unknown"), article="het"),
}

ACTOR_TYPES: dict[str, Word] = {
    "informal": Word(Text("iemand uit de buurt", "someone from the neighbourhood"),
                     Text("Mensen uit de buurt", "People from the neighbourhood")),
    "formal": Word(Text("iemand van een organisatie", "someone from an organisation"),
                   Text("Organisaties", "Organisations")),
}

ACTIVITY_KINDS: dict[str, Word] = {
    "spreekuur": Word(Text("spreekuur", "consultation hour"), article="het"),
    "maaltijd": Word(Text("maaltijd", "meal")),
    "wandelgroep": Word(Text("wandelgroep", "walking group")),
    "taalles": Word(Text("taalles", "language class")),
    "computerles": Word(Text("computerles", "computer class")),
    "evenement": Word(Text("evenement", "event"), article="het"),
}

CONTACT_KINDS: dict[str, Word] = {
    "doorbell": Word(Text("aangebeld", "doorbell rung"), Text("Aangebeld", "Doorbells rung")),
    "conversation": Word(Text("gesprek", "conversation"), Text("Gesprekken", "Conversations"), article="het"),
    "match": Word(Text("match", "match"), Text("Matches", "Matches")),
    "referral": Word(Text("doorverwijzing", "referral"), Text("Doorverwijzingen", "Referrals")),
    "volunteer_activated": Word(Text("nieuwe vrijwilliger", "new volunteer"),
                                Text("Nieuwe vrijwilligers", "New volunteers")),
}

EVENT_KINDS: dict[str, Word] = {
    "start": Word(Text("start", "start")),
    "training": Word(Text("opleiding", "training")),
    "certificate": Word(Text("certificaat", "certificate"), article="het"),
    "coaching": Word(Text("coaching", "coaching")),
    "ladder_step": Word(Text("stap op de ladder", "ladder step")),
    "promise_of_contract": Word(Text("belofte van een contract", "promise of a contract")),
    "follow_on_job": Word(Text("vervolgbaan", "follow-on job")),
    "drop_out": Word(Text("gestopt", "dropped out"), article="het"),
    "end": Word(Text("einde buurtbaan", "end of the buurtbaan"), article="het"),
}

# The six public steps of the Participatieladder.
LADDER_STEPS: dict[int, Text] = {
    1: Text("1 Geïsoleerd", "1 Isolated"),
    2: Text("2 Sociale contacten buiten de deur", "2 Social contacts outside the home"),
    3: Text("3 Meedoen aan activiteiten", "3 Taking part in organised activities"),
    4: Text("4 Onbetaald werk", "4 Unpaid work"),
    5: Text("5 Betaald werk met steun", "5 Paid work with support"),
    6: Text("6 Betaald werk", "6 Paid work"),
}

# Scales of the shipped questionnaires and other identifiers in analysis tables.
SCALES: dict[str, Text] = {
    "self_efficacy": Text("vertrouwen in jezelf", "self-efficacy"),
    "social_network": Text("sociaal netwerk", "social network"),
    "financial_stress": Text("geldzorgen", "financial stress"),
    "wellbeing": Text("welzijn", "wellbeing"),
}
TESTS: dict[str, Text] = {  # statistical tests named in analysis tables
    "paired t-test": Text("gepaarde t-toets", "paired t-test"),
    "wilcoxon signed-rank": Text("Wilcoxon-toets", "Wilcoxon signed-rank test"),
}
DIRECTIONS: dict[str, Text] = {
    "up": Text("omhoog", "up"), "same": Text("gelijk", "same"), "down": Text("omlaag", "down"),
}

# Where a code in the codebook came from.
ORIGINS: dict[str, Text] = {
    "rq1": Text("onderzoeksvraag 1", "research question 1"), "rq2": Text("onderzoeksvraag 2", "research question 2"),
    "rq3": Text("onderzoeksvraag 3", "research question 3"),
    "inductive": Text("uit de gesprekken", "from the conversations"),
}
ALL_CODES = Text("alle codes samen", "all codes together")  # the "(all)" row of agreement tables

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
    return f"{', '.join(words[:-1])} {'and' if lang == 'en' else 'en'} {words[-1]}"


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
