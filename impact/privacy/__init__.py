"""Privacy by default: pseudonyms, consent, redaction, small cells, publish guard.

Names resolve lazily, so ``from impact.privacy import check_publish`` does
not import polars or deduce (the publish guard's CLI starts fast).

* ``pseudonym``, ``load_key``, ``ensure_key``, ``key_path``: keyed pseudonyms,
  key outside the study (``keys.py``)
* ``load_consent``, ``withdrawn_ids``, ``consented_ids``: the consent register
* ``Redactor``, ``redact_text``, ``review_table``, ``load_redaction_rules``:
  redaction of transcripts and free text
* ``suppress_small_cells``, ``small_cell_labels``, ``suppressed_label``:
  small cells
* ``check_publish``, ``Finding``: the publish guard; ``check_study``,
  ``load_register``, ``RegisterUnavailable``: the guard with the study's register,
  failing closed when it cannot read it
* ``find_pii``, ``build_pipeline``: the detectors, one docdeid pipeline
* ``escape_html``, ``escape_url``: free text as text in HTML, links that cannot run code
"""

from __future__ import annotations

from impact._lazy import lazy_names

_LAZY = {
    "DEMO_KEY": "impact.privacy.pseudonyms",
    "load_key": "impact.privacy.pseudonyms",
    "pseudonym": "impact.privacy.pseudonyms",
    "ensure_key": "impact.privacy.keys",
    "key_path": "impact.privacy.keys",
    "key_dir": "impact.privacy.keys",
    "load_consent": "impact.privacy.consent",
    "withdrawn_ids": "impact.privacy.consent",
    "consented_ids": "impact.privacy.consent",
    "Redactor": "impact.privacy.redact",
    "Redaction": "impact.privacy.redact",
    "RedactedSpan": "impact.privacy.redact",
    "redact_text": "impact.privacy.redact",
    "review_table": "impact.privacy.redact",
    "load_redaction_rules": "impact.privacy.redact",
    "suppress_small_cells": "impact.privacy.smallcells",
    "small_cell_labels": "impact.privacy.smallcells",
    "suppressed_label": "impact.privacy.smallcells",
    "check_publish": "impact.privacy.guard",
    "PublishCheck": "impact.privacy.guard",
    "register_values": "impact.privacy.guard",
    "load_register": "impact.privacy.guard",
    "check_study": "impact.privacy.guard",
    "RegisterUnavailable": "impact.privacy.guard",
    "build_pipeline": "impact.privacy.detect",
    "escape_url": "impact.privacy.escape",
    "Finding": "impact.privacy.guard",
    "find_pii": "impact.privacy.detect",
    "escape_html": "impact.privacy.escape",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_names("impact.privacy", _LAZY, globals())
