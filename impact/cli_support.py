"""What every command module shares: the study and language the user chose, and
printing a user's mistake as a message (never a traceback).

Light on purpose (typer only): command modules import it at start-up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from impact.errors import ImpactError

StudyOption = typer.Option(None, "--study", help="Map van de studie (standaard: $IMPACT_STUDY of de huidige map).")
LangOption = typer.Option(None, "--lang", help="nl of en")


def main_state():
    """The main CLI's global options (``impact --study DIR --lang en ...``), when it runs."""
    return getattr(sys.modules.get("impact.cli"), "state", None)


def load_study(study_dir: Path | None):
    """The study named by ``--study`` here, else by the main command, else $IMPACT_STUDY or this folder."""
    from impact.study import Study

    if study_dir is None:
        study_dir = getattr(main_state(), "study", None)
    return Study.load(study_dir)


def choose_lang(lang: str | None, study=None) -> str:
    """``--lang`` here, else the main command's, else $IMPACT_LANG, else the study's language."""
    for candidate in (lang, getattr(main_state(), "lang", None), os.environ.get("IMPACT_LANG")):
        if candidate in ("nl", "en"):
            return candidate
    return getattr(getattr(study, "config", None), "language", "nl") or "nl"


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def fail(err: ImpactError, lang: str) -> None:
    """Print a user's mistake in red and stop with exit code 1."""
    console(stderr=True).print(err.render(lang), style="red", markup=False)
    raise typer.Exit(1)


class _Command:
    """What ``study_command`` yields: the study and the language of its messages."""

    def __init__(self, study_dir: Path | None, lang: str | None):
        self.study_dir, self.lang_option = study_dir, lang
        self.lang = choose_lang(lang)
        self.study = None

    def __enter__(self):
        try:
            self.study = load_study(self.study_dir)
        except ImpactError as err:
            fail(err, self.lang)
        self.lang = choose_lang(self.lang_option, self.study)
        return self.study, self.lang

    def __exit__(self, kind, err, tb):
        if isinstance(err, ImpactError):
            fail(err, self.lang)
        return False


def study_command(study_dir: Path | None, lang: str | None) -> _Command:
    """Run a command's body on the chosen study; a user's mistake becomes a message and exit code 1.

    Example (inside a typer command)::

        with study_command(study_dir, lang) as (study, language):
            ...
    """
    return _Command(study_dir, lang)
