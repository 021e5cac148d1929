"""What pages are being made for: the readers' language and the smallest count that may be shown.

One small object, set where a notebook says it (``impact.data.language``
sets the language, ``impact.data.load`` the study's ``k``; ``impact build``
sets both before a notebook runs) and read by ``impact.report.show`` when a
call passes no ``lang`` or ``k``. It lives in this process only: nothing is
written to ``os.environ``, so a setting never leaks into another program or
into the next study's build.

Example:
    >>> before = current()
    >>> use(lang="en", k=10)
    Rendering(lang='en', k=10)
    >>> current().lang, current().k
    ('en', 10)
    >>> use(lang="Nederlands").lang
    'nl'
    >>> _ = use(lang=before.lang, k=before.k)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Rendering:
    lang: str = "nl"  # a language of impact.text.languages()
    k: int = 5        # counts of people from 1 to k - 1 are hidden
    # Altair checks each chart against the Vega-Lite schema: a help while writing a notebook, a third of a
    # chart's time in a build (which skips it unless IMPACT_CHECK_CHARTS=1, as in the tests)
    check_charts: bool = field(default=True, repr=False)


_current = Rendering()


def language_code(lang: str) -> str:
    """A language as notebooks may write it ("en", "English", "Nederlands", "tr") -> its catalogue's code;
    Dutch for one without a catalogue."""
    from impact.text import SOURCE_LANGUAGE, languages

    code = str(lang).strip().lower()
    return next((known for known in languages() if code == known or code.startswith(known)
                 or (known == "nl" and code.startswith("ned"))), SOURCE_LANGUAGE)


def current() -> Rendering:
    """The language and ``k`` pages are being made for now."""
    return _current


def use(*, lang: str | None = None, k: int | None = None, check_charts: bool | None = None) -> Rendering:
    """Set the language (``language_code``), ``k`` and/or whether charts are checked; returns the new setting."""
    global _current
    changes: dict = {} if check_charts is None else {"check_charts": bool(check_charts)}
    if lang is not None:
        changes["lang"] = language_code(lang)
    if k is not None:
        changes["k"] = int(k)
    _current = replace(_current, **changes)
    return _current
