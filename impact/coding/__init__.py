"""Coding interviews together: transcripts, a shared codebook, plain-text coding,
REFI-QDA and Taguette exchange, agreement between coders, and analysis.

Light on import: the modules behind these names (and polars, lxml,
krippendorff, statsmodels) load on first use, so ``impact.coding.cli``
starts fast.

Example:
    >>> from impact.coding import parse_markup
    >>> [c.code for c in parse_markup("[Ik wil werken]{#motivatie}").codings]
    ['motivatie']
"""

from __future__ import annotations

from impact._lazy import lazy_names

_LAZY: dict[str, str] = {
    "parse_transcript": "impact.coding.transcripts",
    "load_transcripts": "impact.coding.transcripts",
    "text_units": "impact.coding.transcripts",
    "parse_codebook": "impact.coding.codebook",
    "load_codebook": "impact.coding.codebook",
    "code_lookup": "impact.coding.codebook",
    "Markup": "impact.coding.markup",
    "parse_markup": "impact.coding.markup",
    "write_markup": "impact.coding.markup",
    "load_codings": "impact.coding.codings",
    "Corpus": "impact.coding.corpus",
    "read_qdpx": "impact.coding.qdpx",
    "write_qdpx": "impact.coding.qdpx",
    "read_taguette": "impact.coding.taguette",
    "agreement": "impact.coding.reliability",
    "agreement_matrix": "impact.coding.reliability",
    "disagreements": "impact.coding.reliability",
    "code_frequencies": "impact.coding.analysis",
    "cooccurrence": "impact.coding.analysis",
    "quotes": "impact.coding.analysis",
    "saturation": "impact.coding.analysis",
    "respondents_mentioning": "impact.coding.analysis",
    "agreement_with_answers": "impact.coding.answers",
    "agreement_of": "impact.coding.answers",
    "codes_by_closed_answer": "impact.coding.answers",
    "closed_answer_tests": "impact.coding.answers",
    "write_qdpx_with_answers": "impact.coding.answers",
    "read_qdpx_with_answers": "impact.coding.answers",
    "load_memos": "impact.coding.memos",
    "published_memos": "impact.coding.memos",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_names("impact.coding", _LAZY, globals())
