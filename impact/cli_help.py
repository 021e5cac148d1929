"""The command line's help texts in the user's language.

Typer shows a command's help (its docstring and every ``help="..."``) before
any command runs, so ``--lang`` is read from the command line first (or
``$IMPACT_LANG``) and the help texts of the whole click command tree are
translated through the catalogues (``impact.text``). The help texts stay
Dutch in the code; ``impact.cli.extract_cli_help`` hands them to ``pybabel extract``.

Example:
    >>> help_language(["--lang", "en", "validate", "--help"])
    'en'
"""

from __future__ import annotations

import os


def help_language(argv: list[str]) -> str:
    """The language asked for on the command line (``--lang X`` / ``--lang=X``), else ``$IMPACT_LANG``, else nl."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("IMPACT_LANG") or "nl"


def _walk(command):
    yield command
    for param in command.params:
        yield param
    for sub in getattr(command, "commands", {}).values():
        yield from _walk(sub)


def help_texts(command) -> list[str]:
    """Every help text in the click command tree under ``command`` (Dutch, as written)."""
    found = []
    for item in _walk(command):
        for attr in ("help", "short_help"):
            value = getattr(item, attr, None)
            if isinstance(value, str) and value.strip() and value not in found:
                found.append(value)
    return found


def translate_help(command, lang: str) -> None:
    """Put the help texts of the click command tree under ``command`` in ``lang`` (in place)."""
    from impact.text import translate

    for item in _walk(command):
        for attr in ("help", "short_help"):
            value = getattr(item, attr, None)
            if isinstance(value, str) and value.strip():
                setattr(item, attr, translate(value, lang))
