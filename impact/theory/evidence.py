"""How strong the evidence for each step of the theory of change is: counted, never invented.

A step's evidence has two sources:

* **measured**: its figures (and measures) and questionnaire items. Each
  figure was measured on a group of people (``population``): a share of
  buurtbaners on the buurtbaners who started, a count of residents on those
  residents. The step is *measured on* the largest of these groups.
* **heard**: the interviews coded with the step's codes (for it), and those
  coded with its codes against it (``codes_against``, or a code tagged
  ``contradicts``).

Every number here is a published figure (``impact.figures``): the group
sizes are figures of their own, and the interviews per step are the figures
``step_interviews_for`` and ``step_interviews_against``. ``evidence_strength``
is the one rule that turns them into a judgement.

Example:
    >>> evidence_strength(33, 12), evidence_strength(None, 3), evidence_strength(None, 0)
    ('strong', 'weak', 'none')
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.errors import Text

LEVELS: dict[str, Text] = {
    "strong": Text("sterk", "strong"),
    "some": Text("redelijk", "fair"),
    "weak": Text("zwak", "weak"),
    "none": Text("nog geen", "none yet"),
}

# Who a group-size figure counts, as readers say it ("gemeten bij 33 buurtbaners").
POPULATION_WORDS: dict[str, Text] = {
    "buurtbaners_placed": Text("buurtbaners", "buurtbaners"),
    "gas_scored": Text("buurtbaners", "buurtbaners"),
    "questionnaire_respondents": Text("mensen met een vragenlijst", "people with a questionnaire"),
    "item_respondents": Text("mensen met een vragenlijst", "people with a questionnaire"),
    "residents_reached": Text("bewoners", "residents"),
    "residents_taking_part": Text("bewoners", "residents"),
    "new_volunteers": Text("nieuwe vrijwilligers", "new volunteers"),
    "volunteers_who_activate": Text("vrijwilligers", "volunteers"),
    "key_persons_active": Text("buurtbaners en sleutelpersonen", "buurtbaners and key persons"),
    "ripple_starters": Text("starters van een rimpeling", "starters of a ripple"),
    "open_answer_respondents": Text("mensen met een open antwoord", "people with an open answer"),
    "coresearchers": Text("medeonderzoekers", "co-researchers"),
}
# Figures about how we did the research (interviews, stories, codes) measure no group of people.
_NOT_MEASURED = {"transcripts", "codings", "codebook", "msc_stories"}


def evidence_strength(measured: int | None, heard: int | None, against: int | None = 0, k: int = 5) -> str:
    """How strong the evidence for one step is: ``strong``, ``some``, ``weak`` or ``none``.

    ``measured``: on how many people the step's figures and questions were
    measured (``None``: it has none; a count the small-cell rule hides is
    any number from 1 to k - 1). ``heard``: in how many interviews the
    step's codes were coded; ``against``: in how many interviews its codes
    against it were coded. ``k``: the study's smallest group that counts.

    The rule:

    1. nothing measured (or 0 people) and not heard in any interview: ``none``
       ("nog geen gegevens"), also when interviews speak against it;
    2. measured on at least k people and heard in interviews: ``strong``;
    3. measured on at least k people, not heard: ``some``;
    4. heard only ("alleen uit 3 interviews"), or measured on fewer than
       k people: ``weak``;
    5. then, when at least as many interviews speak against the step as
       for it, one level lower (``strong`` becomes ``some``, ``some``
       becomes ``weak``; ``weak`` stays).

    Examples:
        >>> evidence_strength(33, 12, 2), evidence_strength(33, 0), evidence_strength(3, 4)
        ('strong', 'some', 'weak')
        >>> evidence_strength(33, 4, 4), evidence_strength(0, 0, 2)
        ('some', 'none')
    """
    measured, heard, against = measured or 0, heard or 0, against or 0
    if measured <= 0 and heard <= 0:
        return "none"
    if measured >= k:
        level = "strong" if heard > 0 else "some"
    else:
        level = "weak"
    if against > 0 and against >= heard:
        level = {"strong": "some", "some": "weak"}.get(level, level)
    return level


def rule_words(k: int = 5, lang: str = "nl") -> list[str]:
    """The rule of ``evidence_strength`` in plain words, for readers of the report."""
    lines = [
        Text(f"Sterk: we hebben het gemeten bij minstens {k} mensen. En we hoorden het ook in interviews.",
             f"Strong: we measured it for at least {k} people. And we also heard it in interviews."),
        Text(f"Redelijk: we hebben het gemeten bij minstens {k} mensen. Maar in de interviews kwam het nog niet "
             f"ter sprake.",
             f"Fair: we measured it for at least {k} people. But it did not come up in the interviews yet."),
        Text(f"Zwak: we hoorden het alleen in interviews. Of we hebben het gemeten bij minder dan {k} mensen.",
             f"Weak: we only heard it in interviews. Or we measured it for fewer than {k} people."),
        Text("Nog geen: er zijn nog geen cijfers en geen interviews over deze stap.",
             "None yet: there are no figures and no interviews about this step yet."),
        Text("Spreken net zoveel interviews de stap tegen als dat ze hem steunen, of meer? Dan zakt het bewijs "
             "één niveau.",
             "Do as many interviews speak against the step as support it, or more? Then the evidence goes down "
             "one level."),
    ]
    return [line(lang) for line in lines]


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


# --- the numbers behind the figures ----------------------------------------------------------------

def interviews_per_step(theory_steps, codebook, codings, transcripts, against: bool = False) -> dict[str, int]:
    """For every step (in the file's order): the interviews coded with its codes for it (or, with
    ``against``, against it). An interview counts once per step, whichever coder coded it.

    Example:
        >>> import polars as pl
        >>> steps = pl.DataFrame({"step": ["s"], "kind": ["output"], "label": ["S"], "label_en": [None],
        ...     "figures": [[]], "codes": [["bereik", "grenzen"]], "codes_against": [[]], "items": [[]],
        ...     "measures": [[]]})
        >>> book = pl.DataFrame({"code": ["bereik", "grenzen"], "tags": [[], ["contradicts"]]})
        >>> codings = pl.DataFrame({"document": ["I1", "I1", "I2", "A1"], "code": ["bereik", "bereik", "grenzen", "bereik"]})
        >>> docs = pl.DataFrame({"document": ["I1", "I2", "A1"], "source_kind": ["interview", "interview", "answer"]})
        >>> interviews_per_step(steps, book, codings, docs), interviews_per_step(steps, book, codings, docs, True)
        ({'s': 1}, {'s': 1})
    """
    import polars as pl

    from impact.perspectives import interviews_only
    from impact.theory.model import Step, step_codes

    interviews = interviews_only(transcripts)["document"].to_list()
    coded = codings.filter(pl.col("document").is_in(interviews)).select("document", "code").unique()
    out = {}
    for row in theory_steps.iter_rows(named=True):
        step = Step(row["step"], row["kind"], row["label"] or "", codes=tuple(row["codes"] or ()),
                    codes_against=tuple(row["codes_against"] or ()))
        codes = step_codes(step, codebook)[1 if against else 0]
        out[step.id] = coded.filter(pl.col("code").is_in(codes))["document"].n_unique() if codes else 0
    return out


def item_respondents(theory_steps, responses) -> dict[str, int]:
    """For every questionnaire item of the theory (``instrument:item``): the people who answered it.

    Example:
        >>> import polars as pl
        >>> steps = pl.DataFrame({"items": [["b:tevreden", "b:leeg"]]})
        >>> answers = pl.DataFrame({"instrument": ["b", "b", "b"], "item": ["tevreden"] * 3,
        ...     "respondent": ["p1", "p1", "p2"], "value": ["4", "5", None]})
        >>> item_respondents(steps, answers)
        {'b:tevreden': 1, 'b:leeg': 0}
    """
    import polars as pl

    wanted = list(dict.fromkeys(i for items in theory_steps["items"].to_list() for i in (items or ())))
    answered = responses.filter(pl.col("value").is_not_null()) if responses.height else responses
    counts = dict(answered.group_by("instrument", "item").agg(pl.col("respondent").n_unique().alias("n"))
                  .select(pl.concat_str("instrument", pl.lit(":"), "item"), "n").iter_rows()) \
        if answered.height else {}
    return {item: int(counts.get(item, 0)) for item in wanted}


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
        return Text("Bewijs: {level}.", "Evidence: {level}.")(lang).format(level=self.level_word(lang))

    def judgement(self, lang: str = "nl"):
        """Why, in plain words, its numbers as figures (``impact.figures.Prose``):
        "Gemeten bij 33 buurtbaners. Ook gehoord in 12 interviews."."""
        from impact.figures import say

        parts = []
        measured = self.measured is not None and _count(self.measured) > 0
        heard = _count(self.heard) > 0
        who = self.who(lang) if self.who else ""
        if not measured and not heard:
            parts.append(say(Text("Nog geen gegevens.", "No data yet."), lang))
        elif measured and heard:
            parts.append(say(Text("Gemeten bij {m} {who}. Ook gehoord in {h} {w}.",
                                  "Measured for {m} {who}. Also heard in {h} {w}."), lang,
                             m=self.measured, who=who, h=self.heard, w=_interviews(self.heard)))
        elif measured:
            parts.append(say(Text("Gemeten bij {m} {who}. In de interviews kwam het nog niet ter sprake.",
                                  "Measured for {m} {who}. It did not come up in the interviews yet."), lang,
                             m=self.measured, who=who))
        else:
            parts.append(say(Text("Alleen uit {h} {w}.", "Only from {h} {w}."), lang, h=self.heard,
                             w=_interviews(self.heard)))
        if measured and self.measured.small:
            parts.append(say(Text(" Dat zijn te weinig mensen om iets te zeggen.",
                                  " That is too few people to say anything."), lang))
        if _count(self.against) > 0:
            parts.append(say(Text(" In {a} {w} hoorden we ook iets wat dit tegenspreekt.",
                                  " In {a} {w} we also heard something that speaks against it."), lang,
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
