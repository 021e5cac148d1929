"""The processed tables of a study for notebooks, and the small helpers notebooks share.

* ``impact.data.tables``: loading and filtering (``load``, ``Tables``,
  ``parse_period``, ``find_study``, ``language``; the schemas are
  ``impact.registers``');
* ``impact.data.overview``: the study at a glance (notebook 00, ``scope``
  under every report's title);
* ``impact.data.charts``: simple charts and column names for notebooks whose
  analysis module draws none (04, 05).

Notebooks use the names below as ``data.load``, ``data.scope``, ``data.rename``.

Example:
    >>> from impact import data
    >>> data.parse_period("2022")
    (datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
"""

from __future__ import annotations

from impact.data.charts import bars, code_names, lines, rename, saturation_words, translate
from impact.data.overview import MONTHS, coresearcher_counts, period_words, quarantine_summary, scope, table_counts
from impact.data.tables import (
    SCHEMAS,
    TABLE_LABELS,
    Tables,
    find_study,
    interviews_only,
    language,
    load,
    parse_period,
    table_schema,
)

__all__ = [
    "MONTHS", "SCHEMAS", "TABLE_LABELS", "Tables", "bars", "code_names", "coresearcher_counts", "find_study",
    "interviews_only", "language", "lines", "load", "parse_period", "period_words", "quarantine_summary",
    "rename", "saturation_words", "scope", "table_counts", "table_schema", "translate",
]
