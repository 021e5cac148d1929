"""Privacy commands: ``impact check-publish PATH...`` and ``impact key``.

Light imports only (typer, rich, the guard); the lead registers them in
``impact/cli.py``, for example ``app.command("check-publish")(check_publish_command)``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer

from impact.errors import ImpactError, Text

app = typer.Typer(help="Privacy: controle voor publicatie en de sleutel voor pseudoniemen.",
                  no_args_is_help=True)


def _lang(lang: Optional[str]) -> str:
    return lang or os.environ.get("IMPACT_LANG") or "nl"


def _print(text: str, style: str | None = None, err: bool = False) -> None:
    from rich.console import Console

    # no markup: paths and excerpts are shown as they are
    Console(stderr=err, highlight=False, soft_wrap=True).print(text, style=style, markup=False)


def _study(study: Optional[Path]):
    from impact.study import CONFIG_NAME, Study

    root = study or (Path(os.environ["IMPACT_STUDY"]) if os.environ.get("IMPACT_STUDY") else Path("."))
    if not (root / CONFIG_NAME).is_file():
        return None
    return Study.load(root)


@app.command("check-publish")
def check_publish_command(
    paths: List[Path] = typer.Argument(..., help="Bestanden of mappen om te controleren (bijv. reports/)."),
    study: Optional[Path] = typer.Option(None, "--study", "-s", help="Map van de studie (voor namen en k)."),
    k: Optional[int] = typer.Option(None, "--k", help="Kleinste aantal personen dat je mag laten zien."),
    allow: List[str] = typer.Option([], "--allow", help="Tekst die wel mag (bijv. het eigen telefoonnummer)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="nl of en."),
):
    """Controleer rapporten voor publicatie: persoonsgegevens, namen, kleine aantallen.

    Eén regel per vondst (bestand: plek: soort). Exit 1 bij een vondst, 0 als alles schoon is.
    """
    from impact.privacy.guard import check_publish, register_values

    language = _lang(lang)
    try:
        st = _study(study)
        names, values = register_values(st) if st is not None else ([], {})
        limit = k if k is not None else (st.config.privacy.k if st is not None else 5)
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise ImpactError(Text(f"Niet gevonden: {', '.join(map(str, missing))}",
                                   f"Not found: {', '.join(map(str, missing))}"))
        findings = check_publish(paths, names=names, k=limit, values=values, allow=allow)
    except ImpactError as err:
        _print(err.render(language), "red", err=True)
        raise typer.Exit(1)
    for f in findings:
        _print(f.render(language))
    if findings:
        _print(Text(f"{len(findings)} vondst(en): niet publiceren. Zie docs/privacy.md.",
                    f"{len(findings)} finding(s): do not publish. See docs/privacy.md.")(language),
               "red", err=True)
        raise typer.Exit(1)
    if st is None:
        _print(Text("Let op: geen studie gevonden, dus niet gezocht naar namen uit het register.",
                    "Note: no study found, so names from the register were not searched for.")(language),
               "yellow", err=True)
    _print(Text("Schoon: niets gevonden.", "Clean: nothing found.")(language), "green", err=True)


@app.command("key")
def key_command(
    study: Optional[Path] = typer.Option(None, "--study", "-s", help="Map van de studie."),
    lang: Optional[str] = typer.Option(None, "--lang", help="nl of en."),
):
    """Laat zien waar de geheime sleutel voor pseudoniemen staat (niet de sleutel zelf)."""
    from impact.privacy.keys import key_path

    language = _lang(lang)
    try:
        st = _study(study)
        if st is None:
            raise ImpactError(Text("Geen studie gevonden (impact.toml ontbreekt).",
                                   "No study found (impact.toml is missing)."))
    except ImpactError as err:
        _print(err.render(language), "red", err=True)
        raise typer.Exit(1)
    if st.config.privacy.demo_key:
        _print(Text("Deze studie gebruikt de openbare demo-sleutel (alleen voor verzonnen gegevens).",
                    "This study uses the public demo key (only for made-up data).")(language))
        return
    if os.environ.get("IMPACT_KEY"):
        _print(Text("De sleutel komt uit de variabele IMPACT_KEY.",
                    "The key comes from the variable IMPACT_KEY.")(language))
        return
    path = key_path(st)
    state = Text("bestaat", "exists") if path.is_file() else Text(
        "bestaat nog niet; 'impact process' maakt hem", "does not exist yet; 'impact process' makes it")
    _print(f"{path} ({state(language)})")
