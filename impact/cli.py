"""The ``impact`` command line: typer + rich, Dutch first.

Heavy libraries are imported inside the commands, so ``impact --help``
starts fast. A mistake a user can make is printed as a message (red, with
file, row, column, value and what was expected), never as a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from impact.errors import ImpactError, Text

app = typer.Typer(
    help="impact: onderzoek samen met de buurt. Vragenlijsten, interviews coderen, trajecten, bereik en rapporten.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Gegevens uit andere programma's inlezen (Kobo, ODK, REFI-QDA, Taguette).",
                         no_args_is_help=True)
export_app = typer.Typer(help="Gegevens uitvoeren voor andere programma's (REFI-QDA).", no_args_is_help=True)
questionnaire_app = typer.Typer(help="Vragenlijsten: afdrukken en wie welke vraag bedacht.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(questionnaire_app, name="questionnaire")


def _register_subcommands() -> None:
    """Commands that live beside their package (each module imports only typer at the top)."""
    from impact.coding.cli import register as register_coding
    from impact.lab import lab
    from impact.membercheck import member_check
    from impact.privacy.cli import check_publish_command, key_command
    from impact.questionnaires.cli import register as register_questionnaires
    from impact.report.cli import build, infographic, serve

    register_questionnaires(import_app, questionnaire_app)
    register_coding(import_app, export_app, app)
    __import__("impact.coding.answers", fromlist=["register"]).register(app)  # impact answers coding-sheet
    app.command()(build)
    app.command()(serve)
    app.command()(infographic)
    app.command()(lab)
    app.command("member-check")(member_check)
    app.command("check-publish")(check_publish_command)
    app.command("key")(key_command)


class State:
    study: Optional[Path] = None
    lang: Optional[str] = None


state = State()


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def lang() -> str:
    return state.lang or os.environ.get("IMPACT_LANG") or "nl"


def say(text: Text | str, style: str | None = None) -> None:
    console().print(text(lang()) if isinstance(text, Text) else text, style=style, markup=False)


def load_study():
    from impact.study import Study

    study = Study.load(state.study)
    if state.lang is None:
        state.lang = study.config.language
    return study


def fail(err: ImpactError) -> None:
    c = console(stderr=True)
    c.print(err.render(lang()), style="red", markup=False)
    raise typer.Exit(1)


def run(fn, *args, **kwargs):
    """Call ``fn``; turn user mistakes into a message and exit code 1."""
    try:
        return fn(*args, **kwargs)
    except ImpactError as err:
        fail(err)


def stepper():
    """A rich status line that shows the current step of a long command."""
    from rich.status import Status

    status = Status("", console=console(stderr=True))

    def step(label):
        status.update(label(lang()) if isinstance(label, Text) else str(label))
    return status, step


@app.callback()
def main_options(
    study: Optional[Path] = typer.Option(None, "--study", "-s", help="Map van de studie (standaard: deze map).",
                                         envvar="IMPACT_STUDY"),
    language: Optional[str] = typer.Option(None, "--lang", help="Taal van de meldingen: nl of en."),
):
    """impact: onderzoek samen met de buurt."""
    state.study = study
    if language is not None and language not in ("nl", "en"):
        console(stderr=True).print("--lang: kies 'nl' of 'en' / choose 'nl' or 'en'", style="red")
        raise typer.Exit(2)
    state.lang = language


@app.command()
def init(folder: Path = typer.Argument(..., help="Nieuwe, lege map voor de studie."),
         name: str = typer.Option("Nieuwe studie", help="Naam van de studie.")):
    """Maak een nieuwe, lege studie (mappen en impact.toml)."""
    from impact.study import init_study

    study = run(init_study, folder, name=name, language=lang())
    key_note = Text("", "")
    try:
        from impact.privacy import ensure_key, key_path

        run(ensure_key, study)
        where = key_path(study)  # the place, never the key itself
        key_note = Text(f"\nDe geheime sleutel voor pseudoniemen staat buiten de studie: {where}",
                        f"\nThe secret pseudonym key is kept outside the study: {where}")
    except ImportError:
        pass
    say(Text(f"Nieuwe studie gemaakt in {study.root}.", f"New study created in {study.root}."), "green")
    if key_note.nl:
        say(key_note)


@app.command()
def demo(folder: Path = typer.Argument(Path("."), help="Map voor de demo-studie (standaard: deze map)."),
         seed: int = typer.Option(2023, help="Startgetal voor het toeval: zelfde getal, zelfde bestanden."),
         scale: Optional[float] = typer.Option(None, help="Grote studie voor metingen (1 = ca. 1000 interviews).")):
    """Maak de verzonnen demo-studie (synthetisch, geen echte mensen)."""
    from impact.study import CONFIG_NAME, StudyConfig

    existing = folder / CONFIG_NAME
    if existing.is_file() and not run(StudyConfig.from_toml, existing).synthetic:
        fail(ImpactError(Text(
            f"In {folder} staat een echte studie (niet synthetisch). De demo schrijft daar niet overheen.",
            f"{folder} holds a real (not synthetic) study. The demo will not overwrite it.")))
    from impact.demo import make_demo

    status, step = stepper()
    with status:
        step(Text("demo-studie maken", "making the demo study"))
        kwargs = {"seed": seed}
        if scale is not None:
            kwargs["scale"] = scale
        root = run(make_demo, folder, **kwargs)
    say(Text(f"Demo-studie gemaakt in {root}. Alle gegevens zijn verzonnen.",
             f"Demo study written to {root}. All data is made up."), "green")


def _print_problems(problems) -> None:
    from collections import defaultdict

    by_file = defaultdict(list)
    for p in problems:
        by_file[p.file].append(p)
    c = console()
    for file in sorted(by_file):
        for p in by_file[file]:
            style = "red" if p.severity == "error" else "yellow"
            c.print(("FOUT  " if lang() == "nl" else "ERROR ") if p.severity == "error" else
                    ("LET OP " if lang() == "nl" else "WARN  "), style=style, end="", markup=False)
            c.print(p.render(lang()), markup=False)


@app.command()
def validate():
    """Controleer alle ruwe gegevens. Verandert niets. Exit 1 bij fouten."""
    from impact.process import validate_study

    study = run(load_study)
    status, step = stepper()
    with status:
        problems = run(validate_study, study, step)
    _print_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    if errors:
        say(Text(f"{len(errors)} fout(en), {warnings} waarschuwing(en). Verbeter de bestanden in data/raw.",
                 f"{len(errors)} error(s), {warnings} warning(s). Fix the files in data/raw."), "red")
        raise typer.Exit(1)
    say(Text(f"Alles in orde: geen fouten ({warnings} waarschuwing(en)).",
             f"All is well: no errors ({warnings} warning(s))."), "green")


@app.command()
def process():
    """Zet de ruwe gegevens om naar tabellen in data/processed (met pseudoniemen)."""
    from impact.process import process_study

    study = run(load_study)
    status, step = stepper()
    with status:
        result = run(process_study, study, step)
    rows = sum(v for k, v in result.tables.items() if k not in ("quarantine", "withdrawals"))
    changed = ", ".join(result.written) or "-"
    say(Text(f"{len(result.tables)} tabellen ({rows} rijen) in data/processed; veranderd: {changed}.",
             f"{len(result.tables)} tables ({rows} rows) in data/processed; changed: {changed}."), "green")
    say(Text(f"Weggelakt: {result.redactions} namen, nummers en adressen.",
             f"Redacted: {result.redactions} names, numbers and addresses."))
    if result.withdrawn:
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(result.withdrawn.items()))
        say(Text(f"Verwijderd omdat iemand de toestemming introk: {detail}.",
                 f"Removed because consent was withdrawn: {detail}."), "yellow")
    if result.quarantined:
        say(Text(f"{result.quarantined} rij(en) apart gezet in de tabel quarantine. Zie 'impact validate'.",
                 f"{result.quarantined} row(s) set aside in the quarantine table. See 'impact validate'."),
            "yellow")


_register_subcommands()


def main() -> None:
    try:
        app()
    except ImpactError as err:  # a user mistake that escaped a command
        console(stderr=True).print(err.render(lang()), style="red", markup=False)
        sys.exit(1)


if __name__ == "__main__":
    # `python -m impact.cli`: command modules find the global options under this name
    sys.modules.setdefault("impact.cli", sys.modules[__name__])
    main()
