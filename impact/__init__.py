"""impact: participatory research and impact analysis of neighbourhood jobs.

The namespace is flat and lazy: ``impact.read_xlsform`` works, but the
module behind it (and its heavy libraries) is imported only on first use,
so ``import impact`` and the CLI start fast.

Example:
    >>> import impact
    >>> impact.Text("hallo", "hello")("en")
    'hello'
"""

from __future__ import annotations

from impact._lazy import install_deferred_grammar, lazy_names

__version__ = "0.1.0"

# public name -> module that defines it. One block per area; keep names sorted.
_LAZY: dict[str, str] = {
    # foundation
    "Text": "impact.errors",
    "Problem": "impact.errors",
    "ImpactError": "impact.errors",
    "Study": "impact.study",
    "init_study": "impact.study",
    "read_table": "impact.tabular",
    "validate_study": "impact.process",
    "process_study": "impact.process",
    "make_demo": "impact.demo",
    # questionnaires (impact.questionnaires)
    "read_xlsform": "impact.questionnaires",
    "read_responses": "impact.questionnaires",
    "check_responses": "impact.questionnaires",
    "gas_tscore": "impact.questionnaires",
    "gas_scores": "impact.questionnaires",
    "scale_scores": "impact.questionnaires",
    "cronbach_by_scale": "impact.questionnaires",
    "item_rest_correlations": "impact.questionnaires",
    "paired_change": "impact.questionnaires",
    "crosstab_test": "impact.questionnaires",
    "ladder_transitions": "impact.questionnaires",
    "question_credits": "impact.questionnaires",
    "print_form": "impact.questionnaires",
    # coding (impact.coding)
    "Corpus": "impact.coding",
    "agreement": "impact.coding",
    "code_frequencies": "impact.coding",
    "cooccurrence": "impact.coding",
    "disagreements": "impact.coding",
    "parse_markup": "impact.coding",
    "quotes": "impact.coding",
    "read_qdpx": "impact.coding",
    "read_taguette": "impact.coding",
    "saturation": "impact.coding",
    "write_markup": "impact.coding",
    "write_qdpx": "impact.coding",
    "respondents_mentioning": "impact.coding",
    "agreement_with_answers": "impact.coding",
    "codes_by_closed_answer": "impact.coding",
    "closed_answer_tests": "impact.coding",
    # privacy (impact.privacy)
    "pseudonym": "impact.privacy",
    "redact_text": "impact.privacy",
    "check_publish": "impact.privacy",
    "suppress_small_cells": "impact.privacy",
    "small_cell_labels": "impact.privacy",
    "Redactor": "impact.privacy",
    "review_table": "impact.privacy",
    "find_pii": "impact.privacy",
    "escape_html": "impact.privacy",
    "load_consent": "impact.privacy",
    "withdrawn_ids": "impact.privacy",
    "consented_ids": "impact.privacy",
    "load_key": "impact.privacy",
    "ensure_key": "impact.privacy",
    # report (impact.report)
    "build_reports": "impact.report.build",
    "make_infographic": "impact.report.infographic",
    "missing": "impact.report",
    "show": "impact.report",
    "theory_page": "impact.report",
    # working together (impact.lab, impact.widget, impact.membercheck)
    "CodingSession": "impact.widget",
    "apply_member_checks": "impact.membercheck",
    "coding_view": "impact.widget",
    "read_member_checks": "impact.membercheck",
    "start_lab": "impact.lab",
}


__getattr__, __dir__ = lazy_names("impact", _LAZY, globals())

# jsonschema (under altair and nbformat) would build an IRI parser on import: seconds per kernel
install_deferred_grammar()
