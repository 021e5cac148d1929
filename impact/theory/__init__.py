"""The story of change: a theory of change whose every step shows its evidence.

The team writes the theory of change as a plain file,
``data/raw/theory_of_change.yaml``: steps (activities, outputs, short- and
long-term outcomes, impact), arrows between them with the assumption behind
each arrow, and per step its indicators: published figures (by name, from
``impact.figures``), codes from the codebook, questionnaire items
(``instrument:item``) and the GAS or ladder measures.

* ``impact.theory.model``: the file format, its checks (``impact validate``)
  and the processed tables ``theory_steps`` and ``theory_arrows``;
* ``impact.theory.evidence``: the interviews and respondents counted per
  step (for the figures registry) and the one rule that judges a step's
  evidence (``evidence_strength``).

The package sits below ``impact.coding`` (memos may be about a step) and
above the questionnaires (a step may name their items). What builds on the
figures is the report's: ``impact.report.evidence`` (a step's evidence as
readers see it), ``impact.report.theory_diagram`` (the chain as an SVG) and
``impact.report.theory_page`` (the pieces of "Van activiteit naar effect").

Example:
    >>> from impact.theory import parse_theory
    >>> theory, problems = parse_theory('''
    ... steps:
    ...   - id: buurtbaan
    ...     kind: activiteit
    ...     label: Buurtbaners werken in de buurt
    ...     figures: [activities]
    ... ''')
    >>> [s.id for s in theory.steps], problems
    (['buurtbaan'], [])
"""

from __future__ import annotations

from impact._lazy import lazy_names

_LAZY: dict[str, str] = {
    "Arrow": "impact.theory.model",
    "Step": "impact.theory.model",
    "Theory": "impact.theory.model",
    "load_theory": "impact.theory.model",
    "parse_theory": "impact.theory.model",
    "read_theory": "impact.theory.model",
    "step_ids": "impact.theory.model",
    "step_names": "impact.theory.model",
    "theory_tables": "impact.theory.model",
    "evidence_strength": "impact.theory.evidence",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_names("impact.theory", _LAZY, globals())
