"""What every command shares: which study and language the user chose, and
printing a user's mistake as a message (never a traceback).

One resolution for every command. ``--study`` and ``--lang`` may stand before
the command's name (``impact --study S validate``) or after it (``impact
validate --study S``) and mean the same; the one after the name wins when
both are given. Without ``--study``: ``$IMPACT_STUDY``, else this folder.
Without ``--lang``: ``$IMPACT_LANG``, else the study's language, else Dutch.

Light on purpose (typer only): command modules import it at start-up.

Example (inside a typer command)::

    def my_command(study_dir: Optional[Path] = StudyOption, lang: Optional[str] = LangOption):
        with study_command(study_dir, lang) as (study, language):
            ...
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path

import typer

from impact.errors import ImpactError, Text
from impact.text import choices, languages

def _check_lang(value: str | None) -> str | None:
    if value is not None and value not in languages():
        # the language is what is wrong, so say it in both
        raise typer.BadParameter(f"waarde '{value}'; kies {choices('nl')} / value '{value}'; choose {choices('en')}.")
    return value


def study_option(help_text: str = "Map van de studie (standaard: $IMPACT_STUDY of deze map)."):
    """The ``--study`` option, the same before and after a command's name."""
    return typer.Option(None, "--study", "-s", help=help_text)


def lang_option(help_text: str = "Taal van de meldingen: nl of en."):
    """The ``--lang`` option, the same before and after a command's name."""
    return typer.Option(None, "--lang", help=help_text, callback=_check_lang)


StudyOption = study_option()
LangOption = lang_option()


# The options given before the command's name (``impact --study S --lang en ...``), for the
# length of one command line: set by the main callback, reset when its context closes.
_GLOBAL_OPTIONS: ContextVar[dict] = ContextVar("impact_global_options", default={})


def remember_global_options(ctx, **options) -> None:
    """Keep the main command's options for the command that runs under ``ctx`` (a typer context)."""
    token = _GLOBAL_OPTIONS.set({k: v for k, v in options.items() if v is not None})
    ctx.call_on_close(lambda: _GLOBAL_OPTIONS.reset(token))


def global_options() -> dict:
    """The options given before the command's name; empty when a command runs on its own."""
    return _GLOBAL_OPTIONS.get()


def chosen_study_dir(study_dir: Path | None) -> Path | None:
    """``--study`` after the name, else before it, else ``$IMPACT_STUDY`` (``None``: this folder)."""
    if study_dir is not None:
        return Path(study_dir)
    given = global_options().get("study")
    if given is not None:
        return Path(given)
    env = os.environ.get("IMPACT_STUDY")
    return Path(env) if env else None


def load_study(study_dir: Path | None):
    """The chosen study (see ``chosen_study_dir``); a friendly ``StudyError`` when there is none."""
    from impact.study import Study

    return Study.load(chosen_study_dir(study_dir))


def choose_lang(lang: str | None, study=None) -> str:
    """``--lang`` after the name, else before it, else $IMPACT_LANG, else the study's language."""
    for candidate in (lang, global_options().get("language"), os.environ.get("IMPACT_LANG")):
        if candidate in languages():
            return candidate
    return getattr(getattr(study, "config", None), "language", "nl") or "nl"


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def say(text: Text | str, lang: str, style: str | None = None, stderr: bool = False) -> None:
    """Print a message for the user (no rich markup: paths and values are shown as they are)."""
    console(stderr).print(text(lang) if isinstance(text, Text) else text, style=style, markup=False)


def fail(err: ImpactError, lang: str) -> None:
    """Print a user's mistake in red and stop with exit code 1."""
    console(stderr=True).print(err.render(lang), style="red", markup=False)
    raise typer.Exit(1)


def stepper(lang: str):
    """A rich status line that shows the current step of a long command: ``status, step``."""
    from rich.status import Status

    status = Status("", console=console(stderr=True))

    def step(label):
        status.update(label(lang) if isinstance(label, Text) else str(label))
    return status, step


class _Command:
    """What ``study_command`` yields: the study (or ``None``) and the language of its messages."""

    def __init__(self, study_dir: Path | None, lang: str | None, needs_study: bool):
        self.study_dir, self.lang_option, self.needs_study = study_dir, lang, needs_study
        self.lang = choose_lang(lang)
        self.study = None

    def __enter__(self):
        if self.needs_study:
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


def study_command(study_dir: Path | None, lang: str | None, *, needs_study: bool = True) -> _Command:
    """Run a command's body on the chosen study; a user's mistake becomes a message and exit code 1.

    ``needs_study=False`` for commands that make a study (``init``, ``demo``):
    they get ``None`` and the language alone.
    """
    return _Command(study_dir, lang, needs_study)
