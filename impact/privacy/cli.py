"""Privacy commands: ``impact check-publish PATH...`` and ``impact key``.

Light imports only (typer, rich, the guard); the lead registers them in
``impact/cli.py``, for example ``app.command("check-publish")(check_publish_command)``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from impact.cli_support import LangOption, StudyOption, study_command, study_option
from impact.errors import ImpactError, Text

app = typer.Typer(help="Privacy: controle voor publicatie en de sleutel voor pseudoniemen.",
                  no_args_is_help=True)


def _print(text: str, style: str | None = None, err: bool = False) -> None:
    from rich.console import Console

    # no markup: paths and excerpts are shown as they are
    Console(stderr=err, highlight=False, soft_wrap=True).print(text, style=style, markup=False)


@app.command("check-publish")
def check_publish_command(
    paths: List[Path] = typer.Argument(..., help="Bestanden of mappen om te controleren (bijv. reports/)."),
    study: Optional[Path] = study_option("Map van de studie: het register met namen, en k."),
    k: Optional[int] = typer.Option(None, "--k", help="Kleinste aantal personen dat je mag laten zien."),
    allow: List[str] = typer.Option([], "--allow", help="Tekst die wel mag (bijv. het eigen telefoonnummer)."),
    lang: Optional[str] = LangOption,
):
    """Controleer rapporten voor publicatie: persoonsgegevens, namen, kleine aantallen.

    Eén regel per vondst (bestand: plek: soort). Exit 1 bij een vondst, 0 als alles schoon is.
    Zonder studie (en dus zonder register) weigert de controle: exit 1, nooit "schoon".
    """
    with study_command(study, lang) as (st, language):
        from impact.privacy.guard import check_publish, register_values

        names, values = register_values(st)  # fails closed: no register, no "clean"
        limit = k if k is not None else st.config.privacy.k
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise ImpactError(Text("Niet gevonden: {map}", map=', '.join(map(str, missing))))
        findings = check_publish(paths, names=names, k=limit, values=values, allow=allow,
                                 districts=st.config.districts)
        for f in findings:
            _print(f.render(language))
        if findings:
            _print(Text("{n_findings} vondst(en): niet publiceren. Zie docs/privacy.md.", n_findings=len(findings))(language),
                   "red", err=True)
            raise typer.Exit(1)
        _print(Text("Schoon: niets gevonden (gezocht naar {n_names} namen uit het register).", n_names=len(names))(language),
               "green", err=True)


@app.command("key")
def key_command(
    study: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
):
    """Laat zien waar de geheime sleutel voor pseudoniemen staat (niet de sleutel zelf)."""
    from impact.privacy.keys import key_path

    with study_command(study, lang) as (st, language):
        _show_key(st, language, key_path)


def _show_key(st, language: str, key_path) -> None:
    if st.config.privacy.demo_key:
        _print(Text("Deze studie gebruikt de openbare demo-sleutel (alleen voor verzonnen gegevens).")(language))
        return
    if os.environ.get("IMPACT_KEY"):
        _print(Text("De sleutel komt uit de variabele IMPACT_KEY.")(language))
        return
    path = key_path(st)
    state = Text("bestaat") if path.is_file() else Text("bestaat nog niet; 'impact process' maakt "
                                                                  "hem")
    _print(f"{path} ({state(language)})")
