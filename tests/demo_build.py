"""Building the demo study's reports for the tests that read them as a reader would."""

from __future__ import annotations

import shutil
from pathlib import Path

import impact

REPO = Path(__file__).resolve().parents[1]


def build_demo(root: Path, lang: str = "nl", notebooks: list[str] | None = None) -> Path:
    """The processed demo with the repository's notebooks, built into reports/<lang>/ (as `make demo` does).

    Returns that folder; the index of every language is ``reports/index.html`` (its parent).
    """
    from impact.report.build import build_reports

    shutil.copytree(REPO / "notebooks", root / "notebooks", dirs_exist_ok=True)
    study = impact.Study.load(root)
    chosen = [root / "notebooks" / n for n in notebooks] if notebooks else None
    result = build_reports(study, lang=lang, notebooks=chosen, infographic=notebooks is None)
    result.raise_for_failures()
    return root / "reports" / lang
