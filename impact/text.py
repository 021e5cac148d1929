"""User-facing text: Dutch in the code, other languages in message catalogues.

Every sentence a user or reader sees is written once, in Dutch (language
level B1), as ``Text("Dutch {placeholder}", placeholder=value)``; English
(and any later language) lives in ``impact/locale/<lang>/LC_MESSAGES/impact.po``
(gettext, made with Babel: ``make catalogues``). A ``Text`` is turned into
words only when it is shown, in the language asked for: ``text("en")``.

Adding a language is adding a catalogue: ``pybabel init -i impact/locale/impact.pot
-d impact/locale -D impact -l tr``, translate the ``.po`` file, ``make catalogues``.

Example:
    >>> Text("Nieuwe studie gemaakt in {root}.", root="oost")("nl")
    'Nieuwe studie gemaakt in oost.'
    >>> Text("Nieuwe studie gemaakt in {root}.", root="oost")("en")
    'New study created in oost.'
    >>> translate("Bewoners", "en")
    'Residents'
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

DOMAIN = "impact"
SOURCE_LANGUAGE = "nl"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@lru_cache(maxsize=None)
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


@lru_cache(maxsize=1)
def _compiled() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *[lang for lang in found if lang != SOURCE_LANGUAGE])


def languages() -> list[str]:
    """The languages users can choose: Dutch and every compiled catalogue (the one list of them).

    Example:
        >>> languages()[:2]
        ['nl', 'en']
    """
    return list(_compiled())


def choices(lang: str = SOURCE_LANGUAGE) -> str:
    """The languages as a reader lists them: "'nl' of 'en'" ("'nl' or 'en'" in English)."""
    quoted = [f"'{code}'" for code in languages()]
    if len(quoted) == 1:
        return quoted[0]
    return Text("{some} of {last}", some=", ".join(quoted[:-1]), last=quoted[-1])(lang)


def translate(message: str, lang: str = SOURCE_LANGUAGE) -> str:
    """``message`` (Dutch, as written in the code) in ``lang``; Dutch when the catalogue lacks it."""
    return _catalogue(lang).gettext(message) if message else message


def N_(message: str) -> str:  # noqa: N802 - gettext's usual name for "mark, translate later"
    """Mark ``message`` for the catalogue without translating it here (typer help texts)."""
    return message


class Text:
    """A user-facing message: Dutch source text plus its values, shown in any language.

    ``Text(message, **values)``: ``message`` is Dutch with ``{name}`` fields
    filled from ``values`` when shown (fields are only filled when values are
    given, so a message without values may hold braces). A value that is a
    ``Text``, or any function of the language (``step.kind_label``, ``joined``),
    is shown in the same language as the message.
    """

    __slots__ = ("message", "values")

    def __init__(self, message: str, /, **values: object):
        self.message = message
        self.values = values

    def __call__(self, lang: str = SOURCE_LANGUAGE) -> str:
        words = translate(self.message, lang)
        if not self.values:
            return words
        shown = {k: (v(lang) if callable(v) else v) for k, v in self.values.items()}
        return words.format(**shown)

    def format(self, **values: object) -> "Text":
        """The same message with more values filled in."""
        return Text(self.message, **{**self.values, **values})

    @property
    def nl(self) -> str:
        return self("nl")

    @property
    def en(self) -> str:
        return self("en")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.message, self.values) == (other.message, other.values)

    def __hash__(self) -> int:
        return hash((self.message, tuple(sorted((k, repr(v)) for k, v in self.values.items()))))

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.values.items())
        return f"Text({self.message!r}{extra})"


class Joined:
    """A value for a ``Text`` field: several texts, each shown in the message's language (see ``joined``).

    A class, not a closure, so problems that hold one can be kept by the process cache (pickled).
    """

    __slots__ = ("texts", "separator", "prefix")

    def __init__(self, texts, separator: str = "\n", prefix: str = ""):
        self.texts, self.separator, self.prefix = list(texts), separator, prefix

    def __call__(self, lang: str = SOURCE_LANGUAGE) -> str:
        return self.separator.join(self.prefix + (t(lang) if callable(t) else str(t)) for t in self.texts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Joined) and (self.texts, self.separator, self.prefix) == (
            other.texts, other.separator, other.prefix)

    def __hash__(self) -> int:
        return hash((tuple(map(repr, self.texts)), self.separator, self.prefix))

    def __repr__(self) -> str:
        return f"joined({self.texts!r}, {self.separator!r}, {self.prefix!r})"


def joined(texts, separator: str = "\n", prefix: str = "") -> Joined:
    r"""A value for a ``Text`` field: several texts, each shown in the message's language.

    Example:
        >>> Text("Fouten:\n{errors}", errors=joined([Text("rij"), Text("kolom")], prefix="- ")).nl
        'Fouten:\n- rij\n- kolom'
    """
    return Joined(texts, separator, prefix)


class PerLanguage:
    """A value for a ``Text`` field that the study's own files give per language (not the catalogue's):
    an XLSForm's ``constraint_message::nl`` / ``::en``. Shows the Dutch one for a language it lacks.

    Example:
        >>> Text("een waarde{why}", why=PerLanguage({"nl": " (1 tot 5)", "en": " (1 to 5)"}))("en")
        'een waarde (1 to 5)'
    """

    __slots__ = ("values",)

    def __init__(self, values: dict[str, str]):
        self.values = dict(values)

    def __call__(self, lang: str = SOURCE_LANGUAGE) -> str:
        return self.values.get(lang, self.values.get(SOURCE_LANGUAGE, ""))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PerLanguage) and self.values == other.values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.values.items())))

    def __repr__(self) -> str:
        return f"PerLanguage({self.values!r})"


def translator(lang: str):
    """``T(message, **values)`` that shows Dutch messages in ``lang`` at once (for notebooks).

    Example:
        >>> T = translator("en")
        >>> T("Bewoners")
        'Residents'
        >>> T("{label}: {n}", label=T("bewoners bereikt"), n=418)
        'residents reached: 418'
    """
    def T(message: str, /, **values: object) -> str:  # noqa: N802 - short on purpose, used in every cell
        return Text(message, **values)(lang)

    return T


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor for ``.ipynb`` files: the messages in their code cells (see babel.cfg)."""
    import io
    import json

    from babel.messages.extract import extract_python

    cells = json.load(fileobj).get("cells", [])
    offset = 0
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "code":
            clean = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())
            for lineno, funcname, message, comments in extract_python(
                    io.BytesIO(clean.encode("utf-8")), keywords, comment_tags, options):
                yield lineno + offset, funcname, message, comments
        offset += source.count("\n") + 1
