"""Every published figure, by name, in one place.

A *figure* is a number a reader of a report or the infographic sees, with a
stable name (``residents_reached``), a short label, a definition in B1
Dutch and in English, a unit (persons, contacts, activities, documents...),
the processed tables it reads, a privacy rule, and one compute function
over the filtered tables (``impact.data.Tables``). Pages, the findings page
and the infographic take their numbers only from here, so one figure has
one value everywhere; ``docs/cijfers.md`` is written from this registry.

Example:
    >>> "residents_reached" in names() and get("doorbells_rung").unit
    'contacts'
    >>> get("residents_reached").definition("en").startswith("Residents who took part")
    True

A value is computed for a set of tables and carries what a page needs to
show it (``Value.text``, ``Value.html``)::

    tables = impact.data.load(study)
    v = value("residents_reached", tables)
    v.number, v.text("nl"), v.html("nl")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from impact.errors import ImpactError, Text

# What a figure counts. A unit's name is what the HTML carries (``data-unit``);
# ``persons`` is also the publish guard's ``data-count="persons"``.
UNITS: dict[str, Text] = {
    "persons": Text("personen", "persons"),
    "contacts": Text("contacten", "contacts"),
    "activities": Text("activiteiten", "activities"),
    "visits": Text("bezoeken", "visits"),
    "documents": Text("documenten", "documents"),
    "stories": Text("verhalen", "stories"),
    "questionnaires": Text("ingevulde vragenlijsten", "questionnaires filled in"),
    "organisations": Text("organisaties", "organisations"),
    "codes": Text("codes", "codes"),
    "waves": Text("metingen", "waves"),
    "generations": Text("generaties", "generations"),
    "hours": Text("uren", "hours"),
    "percent": Text("procent", "percent"),
    "coefficient": Text("getal tussen -1 en 1", "number between -1 and 1"),
}

PRIVACY_RULES: dict[str, Text] = {
    "small_cells": Text("Een aantal personen van 1 tot k wordt niet getoond (kleine aantallen). Een totaal van de "
                        "hele studie mag kleiner zijn, als de studie dat toestaat ([privacy] headline_totals).",
                        "A count of 1 to k persons is not shown (small cells). A total of the whole study may be "
                        "smaller when the study allows it ([privacy] headline_totals)."),
    "base": Text("Alleen getoond als het om minstens k personen gaat.",
                 "Shown only when it is about at least k persons."),
    "none": Text("Telt geen personen; altijd getoond.", "Counts no persons; always shown."),
}

QUESTIONS: dict[int, Text] = {
    1: Text("Hoe groeien buurtbaners naar werk?", "How do buurtbaners grow towards work?"),
    2: Text("Hoe bereiken buurtbaners de buurt?", "How do buurtbaners reach the neighbourhood?"),
    3: Text("Hoe kijken bewoners en organisaties naar de buurtbaan?",
            "How do residents and organisations see the buurtbaan?"),
}


@dataclass(frozen=True)
class Figure:
    """One published figure: what it is, what it counts, where it comes from, how it is protected.

    ``compute(tables)`` returns a number (``None`` when there is nothing to
    count), or for a figure with ``by`` a ``{key: number}`` mapping (one
    value per district, per code...). ``privacy``: ``small_cells`` (a count
    of persons), ``base`` (a share of persons: shown only when ``base``, the
    name of the figure it is a share of, is at least k) or ``none``.
    ``question``: the research question it answers (``None``: how we
    measured).
    """

    name: str
    label: Text
    definition: Text
    unit: str
    tables: tuple[str, ...]
    compute: Callable = field(repr=False, compare=False)
    privacy: str = "none"
    by: str | None = None
    base: str | None = None
    question: int | None = None

    def source(self, lang: str = "nl") -> str:
        """The processed tables it reads, as readers know them ("aanwezigheid, contacten")."""
        from impact.data import TABLE_LABELS

        return ", ".join(TABLE_LABELS[t](lang) if t in TABLE_LABELS else t for t in self.tables)

    def explanation(self, lang: str = "nl") -> str:
        """Definition and source in one line, for hover and footnotes."""
        word = Text("Bron", "Source")(lang)
        return f"{self.definition(lang)} {word}: {self.source(lang)}."


@dataclass(frozen=True)
class Value:
    """A figure's value for one set of tables, after its privacy rule.

    ``number``: the value (``None``: nothing to count, or hidden);
    ``hidden``: hidden by the privacy rule; ``key``: the district, code...
    of a figure with ``by``; ``headline``: a study-wide total below k that
    the study allows (``[privacy] headline_totals``).
    """

    figure: Figure
    number: float | int | None
    k: int = 5
    hidden: bool = False
    key: str | None = None
    headline: bool = False

    @property
    def name(self) -> str:
        return self.figure.name

    def text(self, lang: str = "nl") -> str:
        """The value as a reader sees it: ``1.234`` (nl), ``1,234`` (en), ``45%``, ``< 5`` or ``–``."""
        if self.hidden:
            return f"< {self.k}"
        return format_number(self.number, self.figure.unit, lang)

    def attributes(self, lang: str = "nl") -> dict[str, str]:
        """What a page puts on the element that shows the value: name, unit, key, hover text.

        ``data-count="persons"`` marks a count of persons for the publish
        guard; a study-wide total the study allows below k is marked
        ``data-count="headline"`` instead.
        """
        f = self.figure
        attrs = {"data-figure": f.name, "data-unit": f.unit}
        if self.key is not None:
            attrs["data-key"] = str(self.key)
        if f.unit == "persons":
            attrs["data-count"] = "headline" if self.headline else "persons"
        label = f.label(lang)
        hover = f"{label[:1].upper()}{label[1:]}: {f.explanation(lang)}"
        if self.hidden:
            hover += " " + Text(f"Minder dan {self.k} personen: niet getoond.",
                                f"Fewer than {self.k} persons: not shown.")(lang)
        attrs["title"] = hover
        return attrs

    def html(self, lang: str = "nl", in_table: bool = False) -> str:
        """The value as HTML: ``<data>`` with its unit, name and definition (see ``attributes``).

        Every figure on a page is shown through this one function, so a
        page's numbers can be traced (and checked) by their name; the page
        adds a footnote number to each (``in_table``: the column header has
        it instead).
        """
        from impact.privacy import escape_html

        attrs = self.attributes(lang)
        if self.number is not None and not self.hidden:
            attrs = {"value": str(self.number), **attrs}
        inner = " ".join(f'{k}="{escape_html(v)}"' for k, v in attrs.items())
        css = "impact-figure in-table" if in_table else "impact-figure"
        return f'<data class="{css}" {inner}>{escape_html(self.text(lang))}</data>'


class Prose:
    """Text with figures in it: plain words (already in ``lang``) and ``Value`` parts.

    ``text()`` is what a reader reads (for alt text and readability
    checks); ``html()`` shows every figure through ``Value.html``.

    Example:
        >>> p = Prose(["Er waren ", 3, " activiteiten."], "nl")
        >>> p.text(), p.html()
        ('Er waren 3 activiteiten.', 'Er waren 3 activiteiten.')
    """

    def __init__(self, parts, lang: str = "nl"):
        self.parts = list(parts)
        self.lang = lang

    def text(self) -> str:
        return "".join(p.text(self.lang) if isinstance(p, Value) else str(p) for p in self.parts)

    def html(self) -> str:
        from impact.privacy import escape_html

        return "".join(p.html(self.lang) if isinstance(p, Value) else escape_html(p) for p in self.parts)

    def __add__(self, other: "Prose | str") -> "Prose":
        extra = other.parts if isinstance(other, Prose) else [other]
        return Prose(self.parts + extra, self.lang)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Prose({self.text()!r})"


def say(template: Text | str, lang: str = "nl", **values) -> Prose:
    """Fill ``{name}`` fields of a sentence (in ``lang``) with values: a ``Value`` stays a figure.

    Example:
        >>> say(Text("Er waren {n} activiteiten.", "There were {n} activities."), "en", n=3).text()
        'There were 3 activities.'
    """
    import string

    text = template(lang) if isinstance(template, Text) else template
    parts: list = []
    for literal, field_name, _, _ in string.Formatter().parse(text):
        if literal:
            parts.append(literal)
        if field_name is not None:
            v = values[field_name]
            parts.append(v if isinstance(v, Value) else "–" if v is None else str(v))
    return Prose(parts, lang)


def format_number(number, unit: str = "persons", lang: str = "nl") -> str:
    """A number as readers expect it in ``lang``.

    Example:
        >>> format_number(3062, "contacts", "nl"), format_number(3062, "contacts", "en")
        ('3.062', '3,062')
        >>> format_number(0.4567, "percent", "nl"), format_number(0.7234, "coefficient", "nl")
        ('46%', '0,72')
        >>> format_number(None)
        '–'
    """
    if number is None or number != number:
        return "–"
    if unit == "percent":
        return f"{round(100 * number)}%"
    if unit == "coefficient":
        text = f"{number:.2f}"
        return text.replace(".", ",") if lang == "nl" else text
    text = f"{int(round(number)):,}"
    return text.replace(",", ".") if lang == "nl" else text


# --- the registry ------------------------------------------------------------

_REGISTRY: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    """Add a figure (used by ``impact.figures.definitions``); names are unique."""
    if figure.name in _REGISTRY:
        raise ValueError(f"figure {figure.name!r} is defined twice")
    if figure.unit not in UNITS or figure.privacy not in PRIVACY_RULES:
        raise ValueError(f"figure {figure.name!r}: unknown unit or privacy rule")
    _REGISTRY[figure.name] = figure
    return figure


def _registry() -> dict[str, Figure]:
    if not _REGISTRY:
        import impact.figures.definitions  # noqa: F401 - registers every figure

    return _REGISTRY


def names() -> list[str]:
    """Every figure's name, in the order of the catalogue (by research question)."""
    return list(_registry())


def get(name: str) -> Figure:
    """The figure called ``name``; a clear error for an unknown name."""
    figures = _registry()
    if name not in figures:
        raise ImpactError(Text(
            f"Onbekend kerncijfer '{name}'. Kies uit: {', '.join(figures)}.",
            f"Unknown figure '{name}'. Choose from: {', '.join(figures)}."))
    return figures[name]


def catalogue() -> list[Figure]:
    """Every figure (for documentation and checks)."""
    return list(_registry().values())


def value_per() -> dict[str, str | None]:
    """Every figure's name -> what it has a value per (its ``by``; None: one value). Files that name
    figures (the theory of change) are checked against it."""
    return {f.name: f.by for f in catalogue()}


def _raw(figure: Figure, tables):
    cache = getattr(tables, "_cache", None)
    key = ("figure", figure.name)
    if cache is not None and key in cache:
        return cache[key]
    result = figure.compute(tables)
    if cache is not None:
        cache[key] = result
    return result


def _headline_allowed(tables) -> bool:
    return not tables.district and bool(tables.study.config.privacy.headline_totals)


def value(name: str, tables) -> Value:
    """The value of figure ``name`` for ``tables``, after its privacy rule."""
    figure = get(name)
    if figure.by is not None:
        raise ImpactError(Text(f"'{name}' heeft een waarde per {figure.by}: gebruik breakdown().",
                               f"'{name}' has a value per {figure.by}: use breakdown()."))
    number = _raw(figure, tables)
    k = tables.k
    if figure.privacy == "small_cells" and number is not None and 0 < number < k:
        if _headline_allowed(tables):
            return Value(figure, number, k, headline=True)
        return Value(figure, None, k, hidden=True)
    if figure.privacy == "base":
        base = _raw(get(figure.base), tables)
        if base is None or base < k:
            return Value(figure, None, k, hidden=number is not None)
    return Value(figure, number, k)


def values(tables, wanted: list[str] | tuple[str, ...]) -> dict[str, Value]:
    """``{name: Value}`` for the figures ``wanted``."""
    return {name: value(name, tables) for name in wanted}


def breakdown(name: str, tables) -> list[Value]:
    """The values of a figure with ``by`` (one per district, code...), in the catalogue's order.

    Counts of persons follow the small-cell rule with secondary suppression
    (``impact.privacy.suppress_small_cells``): a hidden count cannot be
    worked out from the others and the total.
    """
    figure = get(name)
    if figure.by is None:
        return [value(name, tables)]
    raw = _raw(figure, tables) or {}
    keys = list(raw)
    numbers = [raw[key] for key in keys]
    shown = numbers
    if figure.privacy == "base":
        base = _raw(get(figure.base), tables)
        if base is None or base < tables.k:
            shown = [None] * len(numbers)
    if figure.privacy == "small_cells" and keys:
        import polars as pl

        from impact.privacy import suppress_small_cells

        frame = pl.DataFrame({"n": numbers}, schema={"n": pl.Float64})
        shown = suppress_small_cells(frame, ["n"], k=tables.k)["n"].to_list()
    return [Value(figure, number if s is not None else None, tables.k, hidden=s is None and number is not None,
                  key=key) for key, number, s in zip(keys, numbers, shown)]


def markdown(lang: str = "nl") -> str:
    """``docs/cijfers.md``: every figure with its definition, unit, source and privacy rule."""
    from impact.figures.docs import figures_markdown

    return figures_markdown(lang)


__all__ = ["Figure", "Prose", "Value", "say", "UNITS", "PRIVACY_RULES", "QUESTIONS", "breakdown", "catalogue", "format_number",
           "get", "markdown", "names", "register", "value", "value_per", "values"]
