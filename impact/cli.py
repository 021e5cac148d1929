"""The ``impact`` command line: typer + rich, Dutch first.

Heavy libraries are imported inside the commands, so ``impact --help``
starts fast. A mistake a user can make is printed as a message (red, with
file, row, column, value and what was expected), never as a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from impact.cli_support import LangOption, StudyOption, remember_global_options, say, stepper, study_command
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
    from impact.membercheck.cli import member_check
    from impact.privacy.cli import check_publish_command, key_command
    from impact.questionnaires.cli import register as register_questionnaires
    from impact.report.cli import build, infographic, serve

    register_questionnaires(import_app, questionnaire_app)
    register_coding(import_app, export_app, app)
    app.command()(build)
    app.command()(serve)
    app.command()(infographic)
    app.command()(lab)
    app.command("member-check")(member_check)
    app.command("check-publish")(check_publish_command)
    app.command("key")(key_command)


@app.callback()
def main_options(
    ctx: typer.Context,
    study: Optional[Path] = StudyOption,
    language: Optional[str] = LangOption,
):
    """impact: onderzoek samen met de buurt."""
    remember_global_options(ctx, study=study, language=language)


@app.command()
def init(folder: Optional[Path] = typer.Argument(None, help="Nieuwe, lege map voor de studie (of --study)."),
         name: str = typer.Option("Nieuwe studie", help="Naam van de studie."),
         study_dir: Optional[Path] = StudyOption, lang: Optional[str] = LangOption):
    """Maak een nieuwe, lege studie (mappen, notebooks en impact.toml)."""
    with study_command(study_dir, lang, needs_study=False) as (_, language):
        from impact.cli_support import chosen_study_dir
        from impact.study import init_study

        folder = folder or chosen_study_dir(study_dir)
        if folder is None:
            raise ImpactError(Text("Welke map? Schrijf 'impact init MAP'."))
        study = init_study(folder, name=name, language=language)
        from impact.privacy import ensure_key, key_path

        ensure_key(study)
        say(Text("Nieuwe studie gemaakt in {root}.", root=study.root), language, "green")
        # the place of the key, never the key itself
        say(Text("De geheime sleutel voor pseudoniemen staat buiten de studie: {key_path}",
                 key_path=key_path(study)), language)


@app.command()
def demo(folder: Optional[Path] = typer.Argument(None, help="Map voor de demo-studie (standaard: --study of deze map)."),
         seed: int = typer.Option(2023, help="Startgetal voor het toeval: zelfde getal, zelfde bestanden."),
         scale: Optional[float] = typer.Option(None, help="Grote studie voor metingen (1 = ca. 1000 interviews)."),
         study_dir: Optional[Path] = StudyOption, lang: Optional[str] = LangOption):
    """Maak de verzonnen demo-studie (synthetisch, geen echte mensen)."""
    with study_command(study_dir, lang, needs_study=False) as (_, language):
        from impact.cli_support import chosen_study_dir
        from impact.study import CONFIG_NAME, StudyConfig

        folder = folder or chosen_study_dir(study_dir) or Path(".")
        existing = folder / CONFIG_NAME
        if existing.is_file() and not StudyConfig.from_toml(existing).synthetic:
            raise ImpactError(Text("In {folder} staat een echte studie (niet synthetisch). De demo schrijft "
                                   "daar niet overheen.",
                                   folder=folder))
        from impact.demo import make_demo

        status, step = stepper(language)
        with status:
            step(Text("demo-studie maken"))
            kwargs = {"seed": seed} if scale is None else {"seed": seed, "scale": scale}
            root = make_demo(folder, **kwargs)
        say(Text("Demo-studie gemaakt in {root}. Alle gegevens zijn verzonnen.", root=root), language, "green")


def _print_problems(problems, lang: str) -> None:
    from impact.cli_support import console

    c = console()
    for p in sorted(problems, key=lambda p: str(p.file)):  # stable: same order within a file
        style = "red" if p.severity == "error" else "yellow"
        label = Text("FOUT  ") if p.severity == "error" else Text("LET OP ")
        c.print(label(lang), style=style, end="", markup=False)
        c.print(p.render(lang), markup=False)


@app.command()
def validate(study_dir: Optional[Path] = StudyOption, lang: Optional[str] = LangOption):
    """Controleer alle ruwe gegevens. Verandert niets. Exit 1 bij fouten."""
    with study_command(study_dir, lang) as (study, language):
        from impact.process import validate_study

        status, step = stepper(language)
        with status:
            problems = validate_study(study, step)
        _print_problems(problems, language)
        errors = [p for p in problems if p.severity == "error"]
        warnings = len(problems) - len(errors)
        if errors:
            say(Text("{n_errors} fout(en), {warnings} waarschuwing(en). Verbeter de bestanden in data/raw.",
                     n_errors=len(errors), warnings=warnings), language, "red")
            raise typer.Exit(1)
        say(Text("Alles in orde: geen fouten ({warnings} waarschuwing(en)).", warnings=warnings), language, "green")


@app.command()
def process(study_dir: Optional[Path] = StudyOption, lang: Optional[str] = LangOption):
    """Zet de ruwe gegevens om naar tabellen in data/processed (met pseudoniemen)."""
    with study_command(study_dir, lang) as (study, language):
        from types import SimpleNamespace

        from impact.report import warm

        # a warm helper of this study (left by an earlier build) has polars imported already
        answer = warm.ask(study.root, {"do": "process"})
        if answer is not None and (err := warm.error_of(answer)) is not None:
            raise err
        if answer is not None:
            result = SimpleNamespace(**answer["process"])
            say(Text("Verwerkt door de warme hulp van deze studie."), language, "dim")
        else:
            from impact.process import process_study

            status, step = stepper(language)
            with status:
                result = process_study(study, step)
        rows = sum(v for k, v in result.tables.items() if k not in ("quarantine", "withdrawals"))
        changed = ", ".join(result.written) or "-"
        say(Text("{n_tables} tabellen ({rows} rijen) in data/processed; veranderd: {changed}.",
                 n_tables=len(result.tables), rows=rows, changed=changed), language, "green")
        say(Text("Weggelakt: {redactions} namen, nummers en adressen.", redactions=result.redactions), language)
        if result.withdrawn:
            detail = ", ".join(f"{k}: {v}" for k, v in sorted(result.withdrawn.items()))
            say(Text("Verwijderd omdat iemand de toestemming introk: {detail}.", detail=detail), language, "yellow")
        if result.quarantined:
            say(Text("{quarantined} rij(en) apart gezet in de tabel quarantine. Zie 'impact validate'.",
                     quarantined=result.quarantined),
                language, "yellow")


@app.command()
def stop(study_dir: Optional[Path] = StudyOption, lang: Optional[str] = LangOption):
    """Stop de warme hulp van deze studie (die maakt de volgende bouw sneller)."""
    with study_command(study_dir, lang) as (study, language):
        from impact.report import warm

        if warm.stop(study.root):
            say(Text("De warme hulp is gestopt."), language, "green")
        else:
            say(Text("Er was geen warme hulp voor deze studie."), language)


_register_subcommands()


def main() -> None:
    from impact.cli_support import choose_lang, console

    from impact.cli_help import help_language, translate_help

    command = typer.main.get_command(app)
    translate_help(command, help_language(sys.argv[1:]))  # help is shown before any callback runs
    try:
        command(prog_name="impact")
    except ImpactError as err:  # a user mistake that escaped a command
        console(stderr=True).print(err.render(choose_lang(None)), style="red", markup=False)
        sys.exit(1)


def extract_cli_help(fileobj, keywords, comment_tags, options):
    """Babel extractor: the help texts of ``impact``'s commands (see babel.cfg; reads the live command tree)."""
    from impact.cli_help import help_texts

    for text in help_texts(typer.main.get_command(app)):
        yield 0, None, text, []


if __name__ == "__main__":
    main()
