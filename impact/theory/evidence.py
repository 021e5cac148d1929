"""How strong the evidence for each step of the theory of change is: counted, never invented.

A step's evidence has two sources:

* **measured**: its figures (and measures) and questionnaire items, each
  measured on a group of people;
* **heard**: the interviews coded with the step's codes (for it), and those
  coded with its codes against it (``codes_against``, or a code tagged
  ``contradicts``).

This module counts what the figures ``step_interviews_for``,
``step_interviews_against`` and ``item_respondents`` publish
(``interviews_per_step``, ``item_respondents``), and holds the one rule that
turns the numbers into a judgement (``evidence_strength``, in words
``rule_words``). A step's evidence as readers see it, with its numbers from
the figures registry, is ``impact.report.evidence.step_evidence``.

Example:
    >>> evidence_strength(33, 12), evidence_strength(None, 3), evidence_strength(None, 0)
    ('strong', 'weak', 'none')
"""

from __future__ import annotations

from impact.errors import Text

LEVELS: dict[str, Text] = {
    "strong": Text("sterk"),
    "some": Text("redelijk"),
    "weak": Text("zwak"),
    "none": Text("nog geen"),
}


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
        Text("Sterk: we hebben het gemeten bij minstens {k} mensen. En we hoorden het ook in interviews.", k=k),
        Text("Redelijk: we hebben het gemeten bij minstens {k} mensen. Maar in de interviews kwam het nog "
             "niet ter sprake.",
             k=k),
        Text("Zwak: we hoorden het alleen in interviews. Of we hebben het gemeten bij minder dan {k} mensen.", k=k),
        Text("Nog geen: er zijn nog geen cijfers en geen interviews over deze stap."),
        Text("Spreken net zoveel interviews de stap tegen als dat ze hem steunen, of meer? Dan zakt het "
             "bewijs één niveau."),
    ]
    return [line(lang) for line in lines]


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

    from impact.data import interviews_only
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
