"""The story of change: a theory of change whose every step shows its evidence.

The team writes the theory of change as a plain file,
``data/raw/theory_of_change.yaml``: steps (activities, outputs, short- and
long-term outcomes, impact), arrows between them with the assumption behind
each arrow, and per step its indicators: published figures (by name, from
``impact.figures``), codes from the codebook, questionnaire items
(``instrument:item``) and the GAS or ladder measures.

* ``impact.theory.model``: the file format, its checks (``impact validate``)
  and the processed tables ``theory_steps`` and ``theory_arrows``;
* ``impact.theory.evidence``: how strong the evidence for a step is (one
  rule, ``evidence_strength``), with its numbers from the figures registry;
* ``impact.theory.diagram``: the chain drawn as an SVG for screens, paper and
  phones, with alt text that walks the chain;
* ``impact.theory.page``: the report pieces of "Van activiteit naar effect".

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
    "step_evidence": "impact.theory.evidence",
    "diagram_svg": "impact.theory.diagram",
    "walk": "impact.theory.diagram",
    "arrows_piece": "impact.theory.page",
    "diagram_piece": "impact.theory.page",
    "load_chain": "impact.theory.page",
    "missing_piece": "impact.theory.page",
    "step_pieces": "impact.theory.page",
    "weigh_piece": "impact.theory.page",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_names("impact.theory", _LAZY, globals())
