"""Questionnaires made with key persons: XLSForm instruments, answers, scales, change, goals.

Light on import: the modules behind these names (and polars, pyxform,
pingouin) load on first use, so ``impact.questionnaires.cli`` starts fast.

Example:
    >>> from impact.questionnaires import gas_tscore
    >>> gas_tscore([0, 0, 0])
    50.0
"""

from __future__ import annotations

from impact._lazy import lazy_names

_LAZY: dict[str, str] = {
    "Instrument": "impact.questionnaires.xlsform",
    "read_xlsform": "impact.questionnaires.xlsform",
    "resolve_language": "impact.questionnaires.xlsform",
    "check_responses": "impact.questionnaires.responses",
    "read_responses": "impact.questionnaires.responses",
    "load_study_responses": "impact.questionnaires.responses",
    "empty_responses": "impact.questionnaires.responses",
    "scale_scores": "impact.questionnaires.scales",
    "cronbach_by_scale": "impact.questionnaires.scales",
    "item_rest_correlations": "impact.questionnaires.scales",
    "paired_change": "impact.questionnaires.scales",
    "crosstab_test": "impact.questionnaires.scales",
    "ladder_transitions": "impact.questionnaires.scales",
    "gas_tscore": "impact.questionnaires.gas",
    "gas_scores": "impact.questionnaires.gas",
    "question_credits": "impact.questionnaires.credits",
    "print_form": "impact.questionnaires.printing",
    "write_paper_kit": "impact.questionnaires.printing",
    "entry_sheet_columns": "impact.questionnaires.printing",
    "repeat_sheet_columns": "impact.questionnaires.printing",
    "print_follow_up": "impact.questionnaires.printing",
    "repeat_instances": "impact.questionnaires.repeats",
    "repeat_summary": "impact.questionnaires.repeats",
    "follow_up_reach": "impact.questionnaires.followup",
    "check_follow_ups": "impact.questionnaires.followup",
    "filtered_choices": "impact.questionnaires.responses",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_names("impact.questionnaires", _LAZY, globals())
