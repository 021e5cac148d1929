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
from impact.text import joined

# What a figure counts. A unit's name is what the HTML carries (``data-unit``);
# ``persons`` is also the publish guard's ``data-count="persons"``.
UNITS: dict[str, Text] = {
    "persons": Text("personen"),
    "contacts": Text("contacten"),
    "activities": Text("activiteiten"),
    "visits": Text("bezoeken"),
    "documents": Text("documenten"),
    "stories": Text("verhalen"),
    "questionnaires": Text("ingevulde vragenlijsten"),
    "organisations": Text("organisaties"),
    "codes": Text("codes"),
    "waves": Text("metingen"),
    "generations": Text("generaties"),
    "hours": Text("uren"),
    "percent": Text("procent"),
    "coefficient": Text("getal tussen -1 en 1"),
}

PRIVACY_RULES: dict[str, Text] = {
    "small_cells": Text("Een aantal van 1 tot k personen wordt niet getoond, ook niet als verschil met een "
                        "ander getal op deze of een andere pagina (kleine aantallen)."),
    "base": Text("Alleen getoond als het om minstens k personen gaat."),
    "none": Text("Telt geen personen; altijd getoond."),
}

QUESTIONS: dict[int, Text] = {
    1: Text("Hoe groeien buurtbaners naar werk?"),
    2: Text("Hoe bereiken buurtbaners de buurt?"),
    3: Text("Hoe kijken bewoners en organisaties naar de buurtbaan?"),
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
    measured). The sums that hold between counts of persons, which the
    page-level disclosure control (``impact.figures.disclosure``) follows:
    ``part_of``: the figure this one is a subgroup of; ``total``: for a
    figure with ``by``, the figure its values add up to; ``of``: for a
    figure ``by="district"``, the figure it shows per district. A share
    with ``base`` and ``numerator`` is hidden when either count is.
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
    part_of: str | None = None
    total: str | None = None
    of: str | None = None
    numerator: str | None = None

    def source(self, lang: str = "nl") -> str:
        """The processed tables it reads, as readers know them ("aanwezigheid, contacten")."""
        from impact.data import TABLE_LABELS

        return ", ".join(TABLE_LABELS[t](lang) if t in TABLE_LABELS else t for t in self.tables)

    def explanation(self, lang: str = "nl") -> str:
        """Definition and source in one line, for hover and footnotes."""
        word = Text("Bron")(lang)
        return f"{self.definition(lang)} {word}: {self.source(lang)}."


@dataclass(frozen=True)
class Value:
    """A figure's value for one set of tables, after its privacy rule.

    ``number``: the value (``None``: nothing to count, or hidden);
    ``hidden``: hidden by the privacy rule (on every page of the build,
    see ``impact.figures.disclosure``); ``small``: hidden because it is a
    count from 1 to k - 1 itself (shown as ``< k``); other hidden values
    would give such a count away and are shown as ``x``; ``key``: the
    district, code... of a figure with ``by``.
    """

    figure: Figure
    number: float | int | None
    k: int = 5
    hidden: bool = False
    key: str | None = None
    small: bool = False

    @property
    def name(self) -> str:
        return self.figure.name

    def text(self, lang: str = "nl") -> str:
        """The value as a reader sees it: ``1.234`` (nl), ``1,234`` (en), ``45%``, ``< 5``, ``x`` or ``–``."""
        if self.hidden:
            return hidden_text(self.k, self.small)
        return format_number(self.number, self.figure.unit, lang)

    def attributes(self, lang: str = "nl") -> dict[str, str]:
        """What a page puts on the element that shows the value: name, unit, key, hover text.

        This is where page-level disclosure control shows: ``data-count="persons"``
        marks a count of persons for the publish guard, ``data-part-of`` names
        the group it is a subgroup of (the guard checks their difference),
        ``data-suppressed`` marks a hidden value (the page explains "< k" once).
        """
        f = self.figure
        attrs = {"data-figure": f.name, "data-unit": f.unit}
        if self.key is not None:
            attrs["data-key"] = str(self.key)
        if f.unit == "persons":
            attrs["data-count"] = "persons"
            if f.part_of:
                attrs["data-part-of"] = f.part_of
            elif f.of:
                attrs["data-same-as"] = f.of
        if self.hidden:
            attrs["data-suppressed"] = str(self.k)
        label = f.label(lang)
        hover = f"{label[:1].upper()}{label[1:]}: {f.explanation(lang)}"
        if self.hidden:
            hover += " " + hidden_reason(self.k, self.small)(lang)
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


def hidden_text(k: int, small: bool) -> str:
    """What a reader sees for a hidden count: ``< k`` for a count from 1 to k - 1, ``x`` for a number
    hidden because it would give such a count away (a reader must not take it for a small count)."""
    return f"< {int(k)}" if small else "x"


def hidden_reason(k: int, small: bool) -> Text:
    """Why a value is hidden, in one sentence (hover text)."""
    if small:
        return Text("Minder dan {k} personen: niet getoond.", k=k)
    return Text("Niet getoond: met de andere getallen zou u anders een aantal van minder dan {k} personen "
                "kunnen uitrekenen.",
                k=k)


def hidden_note(k: int, small: bool = True, worked_out: bool = True):
    """The one explanation a page gives for its hidden values (``small``: it shows ``< k``;
    ``worked_out``: it shows ``x``)."""
    parts = [Text("Kleine aantallen laten we niet zien. Zo blijft iedereen onherkenbaar.")]
    if small:
        parts.append(Text("„< {k}” betekent: minder dan {k} personen.", k=k))
    if worked_out:
        parts.append(Text("„x” betekent: dit getal laten we weg. Anders kunt u met de andere getallen een aantal "
                          "van minder dan {k} personen uitrekenen.", k=k))
    return joined(parts, " ")


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
        raise ImpactError(Text("Onbekend kerncijfer '{name}'. Kies uit: {figures}.",
                               name=name, figures=', '.join(figures)))
    return figures[name]


def catalogue() -> list[Figure]:
    """Every figure (for documentation and checks)."""
    return list(_registry().values())


def value_per() -> dict[str, str | None]:
    """Every figure's name -> what it has a value per (its ``by``; None: one value). Files that name
    figures (the theory of change) are checked against it."""
    return {f.name: f.by for f in catalogue()}


def raw_numbers(figure: Figure, tables):
    """A figure's number(s) before any small-cell decision, computed once per set of tables: by all processes
    of a build together (``Tables.shared``), so a page and the infographic never work out one figure twice."""
    if hasattr(tables, "shared"):
        return tables.shared(("figure", figure.name), lambda: figure.compute(tables))
    cache = getattr(tables, "_cache", None)
    key = ("figure", figure.name)
    if cache is not None and key in cache:
        return cache[key]
    result = figure.compute(tables)
    if cache is not None:
        cache[key] = result
    return result


def _hidden(figure: Figure, tables, key=None) -> bool:
    """Hidden on this page by the build's disclosure control (a count of persons)."""
    from impact.figures.disclosure import is_hidden

    return is_hidden(tables, figure.name, key)


def _share_hidden(figure: Figure, tables) -> bool:
    """A share is shown only when its base is at least k and neither of its counts is hidden."""
    base = raw_numbers(get(figure.base), tables)
    if base is None or base < tables.k:
        return True
    return any(name and _persons(get(name)) and _hidden(get(name), tables)
               for name in (figure.base, figure.numerator))


def _persons(figure: Figure) -> bool:
    return figure.unit == "persons" and figure.privacy == "small_cells"


def value(name: str, tables) -> Value:
    """The value of figure ``name`` for ``tables``, after its privacy rule.

    A count of persons is hidden when the disclosure control of the build
    hides it (``impact.figures.disclosure``): when it is from 1 to k - 1,
    or when another number on this page or on another page of the build
    would give such a count away.
    """
    figure = get(name)
    if figure.by is not None:
        raise ImpactError(Text("'{name}' heeft een waarde per {by}: gebruik breakdown().", name=name, by=figure.by))
    number = raw_numbers(figure, tables)
    k = tables.k
    if _persons(figure) and number is not None and _hidden(figure, tables):
        return Value(figure, None, k, hidden=True, small=0 < number < k)
    if figure.privacy == "base" and _share_hidden(figure, tables):
        return Value(figure, None, k, hidden=number is not None)
    return Value(figure, number, k)


def values(tables, wanted: list[str] | tuple[str, ...]) -> dict[str, Value]:
    """``{name: Value}`` for the figures ``wanted``."""
    return {name: value(name, tables) for name in wanted}


def breakdown(name: str, tables) -> list[Value]:
    """The values of a figure with ``by`` (one per district, code...), in the catalogue's order.

    Counts of persons follow the build's disclosure control
    (``impact.figures.disclosure``): a hidden count cannot be worked out
    from the others, the total, or the same figure on another page.
    """
    figure = get(name)
    if figure.by is None:
        return [value(name, tables)]
    raw = raw_numbers(figure, tables) or {}
    hide_all = figure.privacy == "base" and _share_hidden(figure, tables)
    out = []
    for key, number in raw.items():
        hidden = number is not None and (hide_all or (_persons(figure) and _hidden(figure, tables, key)))
        out.append(Value(figure, None if hidden else number, tables.k, hidden=hidden, key=key,
                         small=hidden and _persons(figure) and 0 < number < tables.k))
    return out


def markdown(lang: str = "nl") -> str:
    """``docs/cijfers.md``: every figure with its definition, unit, source and privacy rule."""
    from impact.figures.docs import figures_markdown

    return figures_markdown(lang)


__all__ = ["Figure", "Prose", "Value", "say", "UNITS", "PRIVACY_RULES", "QUESTIONS", "breakdown", "catalogue", "format_number",
           "get", "hidden_note", "hidden_reason", "hidden_text", "markdown", "names", "register", "value", "value_per",
           "values"]

from impact.figures import disclosure  # noqa: E402 - light: the page-level control, as figures.disclosure
