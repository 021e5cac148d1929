"""One step's evidence as readers see it: its figures, the group it was measured on, the interviews.

Every number here is a published figure (``impact.figures``): the group
sizes are figures of their own (``population``), and the interviews per step
are the figures ``step_interviews_for`` and ``step_interviews_against``.
The judgement follows the one rule of
``impact.theory.evidence.evidence_strength``.

Example:
    >>> population("follow_on_share_two_years"), population("interviews")
    ('buurtbaners_placed', None)
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.errors import Text
from impact.theory.evidence import LEVELS, evidence_strength

# Who a group-size figure counts, as readers say it ("gemeten bij 33 buurtbaners").
POPULATION_WORDS: dict[str, Text] = {
    "buurtbaners_placed": Text("buurtbaners"),
    "gas_scored": Text("buurtbaners"),
    "questionnaire_respondents": Text("mensen met een vragenlijst"),
    "item_respondents": Text("mensen met een vragenlijst"),
    "residents_reached": Text("bewoners"),
    "residents_taking_part": Text("bewoners"),
    "new_volunteers": Text("nieuwe vrijwilligers"),
    "volunteers_who_activate": Text("vrijwilligers"),
    "key_persons_active": Text("buurtbaners en sleutelpersonen"),
    "ripple_starters": Text("starters van een rimpeling"),
    "open_answer_respondents": Text("mensen met een open antwoord"),
    "coresearchers": Text("medeonderzoekers"),
}
# Figures about how we did the research (interviews, stories, codes) measure no group of people.
_NOT_MEASURED = {"transcripts", "codings", "codebook", "msc_stories"}


def population(name: str) -> str | None:
    """The figure that counts the people figure ``name`` was measured on; None for a figure about
    how we did the research (interviews, stories, codes).

    A share or median: its ``base``; a figure from the trajectories: the
    buurtbaners who started; from the goal scores: the buurtbaners with
    scores; from the questionnaires: the people who filled one in; any other
    count of people: itself; any other count (activities, contacts): the
    buurtbaners and key persons at work, who did them.

    Example:
        >>> population("follow_on_share_two_years"), population("doorbells_rung"), population("interviews")
        ('buurtbaners_placed', 'key_persons_active', None)
    """
    from impact.figures import get

    figure = get(name)
    tables = set(figure.tables)
    if figure.base:
        return figure.base if get(figure.base).unit == "persons" else None
    if "trajectory_events" in tables:
        return "buurtbaners_placed"
    if "goals" in tables:
        return "gas_scored"
    if "responses" in tables:
        return "questionnaire_respondents"
    if tables & _NOT_MEASURED:
        return None
    return name if figure.unit == "persons" else "key_persons_active"


# --- one step's evidence, as readers see it --------------------------------------------------------

@dataclass(frozen=True)
class Evidence:
    """The evidence for one step: its figures, the group it was measured on, the interviews."""

    step: str
    level: str
    figures: tuple          # impact.figures.Value, the step's figures and measures
    items: tuple            # (instrument:item, Value of item_respondents)
    measured: object        # the Value of the largest group the step was measured on, or None
    who: Text | None        # who that group is
    heard: object           # Value: interviews for the step
    against: object         # Value: interviews against the step

    def level_word(self, lang: str = "nl") -> str:
        return LEVELS[self.level](lang)

    def headline(self, lang: str = "nl") -> str:
        """"Bewijs: sterk."."""
        return Text("Bewijs: {level}.")(lang).format(level=self.level_word(lang))

    def judgement(self, lang: str = "nl"):
        """Why, in plain words, its numbers as figures (``impact.figures.Prose``):
        "Gemeten bij 33 buurtbaners. Ook gehoord in 12 interviews."."""
        from impact.figures import say

        parts = []
        measured = self.measured is not None and _count(self.measured) > 0
        heard = _count(self.heard) > 0
        who = self.who(lang) if self.who else ""
        if not measured and not heard:
            parts.append(say(Text("Nog geen gegevens."), lang))
        elif measured and heard:
            parts.append(say(Text("Gemeten bij {m} {who}. Ook gehoord in {h} {w}."), lang,
                             m=self.measured, who=who, h=self.heard, w=_interviews(self.heard)))
        elif measured:
            parts.append(say(Text("Gemeten bij {m} {who}. In de interviews kwam het nog niet ter sprake."), lang,
                             m=self.measured, who=who))
        else:
            parts.append(say(Text("Alleen uit {h} {w}."), lang, h=self.heard,
                             w=_interviews(self.heard)))
        if measured and self.measured.small:
            parts.append(say(Text(" Dat zijn te weinig mensen om iets te zeggen."), lang))
        if _count(self.against) > 0:
            parts.append(say(Text(" In {a} {w} hoorden we ook iets wat dit tegenspreekt."), lang,
                             a=self.against, w=_interviews(self.against)))
        prose = parts[0]
        for part in parts[1:]:
            prose = prose + part
        return prose


def _interviews(value) -> str:
    """"interview" after 1, "interviews" after any other number (the same word in Dutch and English)."""
    return "interview" if _count(value) == 1 else "interviews"


def _count(value) -> int:
    """A Value as the rule needs it: its number; 1 for a count hidden because it is below k ("< k");
    k for one hidden only so a small count cannot be worked out ("x": the reader knows it is not
    from 1 to k - 1, and the judgement must not tell more)."""
    if value is None:
        return 0
    if value.hidden:
        return 1 if value.small else value.k
    return int(value.number or 0)


def _keyed(name: str, tables, key: str):
    from impact.figures import breakdown

    return next((v for v in breakdown(name, tables) if v.key == key), None)


def step_evidence(step, tables) -> Evidence:
    """The evidence for ``step`` (``impact.theory.Step``) in ``tables`` (``impact.data.Tables``)."""
    from impact.figures import get, value

    shown = tuple(value(name, tables) for name in step.all_figures())
    groups = []
    for name in dict.fromkeys(population(n) for n in step.all_figures()):
        if name is not None:
            groups.append((value(name, tables), POPULATION_WORDS.get(name)))
    items = tuple((item, _keyed("item_respondents", tables, item)) for item in step.items)
    groups += [(v, POPULATION_WORDS["item_respondents"]) for _, v in items if v is not None]
    measured, who = max(groups, key=lambda g: _count(g[0]), default=(None, None))
    if measured is not None and who is None:
        from impact.figures import UNITS

        who = UNITS[get(measured.name).unit]
    heard = _keyed("step_interviews_for", tables, step.id)
    against = _keyed("step_interviews_against", tables, step.id)
    level = evidence_strength(_count(measured) if measured is not None else None, _count(heard), _count(against),
                              tables.k)
    return Evidence(step.id, level, shown, items, measured, who, heard, against)
