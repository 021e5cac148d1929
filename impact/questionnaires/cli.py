"""Commands for questionnaires: import answers, print a paper form, list credits.

Light at import: typer only; everything else loads inside the commands.
The lead's ``impact/cli.py`` registers them with ``register(import_app,
questionnaire_app)``; ``app`` holds both groups for use on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from impact.errors import InputError, Text

import_app = typer.Typer(help="Gegevens inlezen.", no_args_is_help=True)
questionnaire_app = typer.Typer(help="Vragenlijsten: afdrukken en wie welke vraag bedacht.", no_args_is_help=True)
app = typer.Typer(no_args_is_help=True, add_completion=False)
app.add_typer(import_app, name="import")
app.add_typer(questionnaire_app, name="questionnaire")

from impact.cli_support import LangOption, StudyOption  # noqa: E402
from impact.cli_support import study_command  # noqa: E402
from impact.cli_support import console as _console  # noqa: E402


def _study_form(study, name: str):
    """The questionnaire ``name`` with its follow-up settings (form settings sheet and impact.toml)."""
    from impact.questionnaires.followup import with_study_settings
    from impact.questionnaires.xlsform import read_xlsform

    form = read_xlsform(_instrument_path(study, name), name=Path(name).stem)
    known = {p.stem for p in study.questionnaires.glob("*.xlsx")} | {form.name}
    form, problems = with_study_settings(form, study, known)
    if problems:
        raise InputError(Text("De instellingen van '{name}' kloppen niet.", name=form.name), problems)
    return form


def _instrument_path(study, name: str) -> Path:
    given = Path(name)
    if given.suffix.lower() in (".xlsx", ".xls", ".csv", ".md") and given.is_file():
        return given
    path = study.questionnaires / f"{name}.xlsx"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in study.questionnaires.glob("*.xlsx"))) or "-"
        raise InputError(Text("De vragenlijst '{name}' bestaat niet in {questionnaires}. Bekend: {known}.",
                              name=name, questionnaires=study.rel(study.questionnaires), known=known))
    return path


def import_responses(
    file: Path = typer.Argument(..., help="Bestand met antwoorden (CSV of XLSX; gewoon, Kobo of ODK)."),
    instrument: str = typer.Option(..., "--instrument", "-i", help="Naam van de vragenlijst, bijvoorbeeld buurtbaners."),
    wave: Optional[int] = typer.Option(None, "--wave", help="Meting (1, 2, 3) als het bestand geen kolom wave heeft."),
    check: bool = typer.Option(False, "--check", help="Alleen controleren, niets bewaren."),
    out: Optional[Path] = typer.Option(None, "--out", help="Schrijf ook de lange tabel (CSV) hierheen."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Antwoorden controleren en bewaren in data/raw/responses/<vragenlijst>/."""
    with study_command(study_dir, lang) as (study, language):
        _import(study, file, instrument, wave, check, out, language)


def _import(study, file: Path, instrument: str, wave, check: bool, out, lang: str) -> None:
    import shutil

    from impact.questionnaires.responses import check_responses, read_study_responses

    if not file.is_file():
        raise InputError(Text("{file}: dit bestand bestaat niet.", file=file))
    form = _study_form(study, instrument)
    df, problems = check_responses(file, form, wave=wave, display=file.name)
    target_dir = study.raw / "responses" / form.name
    target = target_dir / file.name
    if form.follows_up and not (target.exists() and target.read_bytes() == file.read_bytes()):
        # a follow-up is checked against the forms it follows up, as if the file were already in place
        _table, everything, _subs = read_study_responses(study, extra=(file, form, file.name))
        problems += [p for p in everything if p.file == file.name and p not in problems]
    console = _console()
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        console.print(p.render(lang), style="red" if p.severity == "error" else "yellow", markup=False)
    people = df.select("respondent", "wave").unique().height
    console.print(Text("{name}: {people} ingevulde lijst(en), {height} antwoorden goed; {n_errors} fout(en).",
                       name=file.name, people=people, height=df.height, n_errors=len(errors))(lang),
        markup=False)
    if out is not None:
        df.write_csv(out)
    if errors:
        raise InputError(Text("Er is niets bewaard. Verbeter de fouten hierboven en probeer het opnieuw."))
    if check:
        return
    if target.exists():
        if target.read_bytes() == file.read_bytes():
            console.print(Text("Dit bestand staat al in {target_dir}.", target_dir=study.rel(target_dir))(lang), markup=False)
            return
        raise InputError(Text("In {target_dir} staat al een ander bestand met de naam {name}. Geef het "
                              "nieuwe bestand een andere naam.",
                              target_dir=study.rel(target_dir), name=file.name))
    target_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(file, target)
    console.print(Text("Bewaard in {target}. Draai 'impact process' om de tabellen bij te werken.",
                       target=study.rel(target))(lang),
                  style="green", markup=False)


def print_questionnaire(
    name: str = typer.Argument(..., help="Naam van de vragenlijst, bijvoorbeeld bewoners."),
    lang: Optional[str] = LangOption,
    out: Optional[Path] = typer.Option(None, "--out", help="Map voor het formulier en het invulblad (standaard: reports/papier)."),
    fmt: str = typer.Option("xlsx", "--format", help="Invulblad als xlsx of csv."),
    earlier: bool = typer.Option(False, "--earlier", help="Vervolgformulier met de eerdere antwoorden van elke deelnemer (privé: komt in data/private/papier)."),
    respondent: Optional[list[str]] = typer.Option(None, "--respondent", help="Met --earlier: alleen deze deelnemer (mag vaker)."),
    study_dir: Optional[Path] = StudyOption,
) -> None:
    """Een formulier om af te drukken (HTML) en een leeg invulblad voor de antwoorden op papier."""
    with study_command(study_dir, lang) as (study, language):
        from impact.questionnaires.printing import write_paper_kit

        if fmt not in ("xlsx", "csv"):
            raise InputError(Text("--format {fmt}: kies xlsx of csv.", fmt=fmt))
        form = _study_form(study, name)
        if earlier:
            _print_earlier(study, form, language, out, respondent or [])
            return
        folder = out or (study.reports / "papier")
        for path in write_paper_kit(form, folder, language, fmt):
            _console().print(study.rel(path), markup=False)


def _print_earlier(study, form, lang: str, out: Optional[Path], only: list[str]) -> None:
    """The private paper follow-up form: written to data/private/papier, never under reports/."""
    from impact.files import private_folder
    from impact.questionnaires.printing import earlier_answers, print_follow_up

    if not form.follows_up:
        raise InputError(Text("'{name}' volgt geen andere vragenlijst op (geen follows_up in de instellingen "
                              "of in impact.toml). Een formulier met eerdere antwoorden kan alleen bij een "
                              "vervolgvragenlijst.",
                              name=form.name))
    folder = (out or private_folder(study) / "papier").resolve()
    if folder == study.reports.resolve() or study.reports.resolve() in folder.parents:
        raise InputError(Text("{folder}: dit formulier bevat antwoorden van deelnemers en mag nooit in "
                              "{reports} staan (dat wordt gepubliceerd). Laat --out weg: dan komt het in "
                              "data/private/papier.",
                              folder=study.rel(folder), reports=study.rel(study.reports)))
    rows, registered = earlier_answers(study, form)
    unknown = [r for r in only if r not in registered]
    if unknown:
        raise InputError(Text("Deze deelnemers staan niet in de antwoorden van de eerste vragenlijst (of "
                              "trokken hun toestemming in): {unknown}.",
                              unknown=', '.join(unknown)))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{form.name}-{lang}-eerdere-antwoorden.html"
    path.write_text(print_follow_up(form, rows, lang, only or registered), encoding="utf-8")
    console = _console()
    console.print(study.rel(path), markup=False)
    console.print(Text("Privé: {n_value} formulier(en) met eerdere antwoorden. Niet publiceren; vernietig de "
                       "afdrukken na het overtypen.",
                       n_value=len(only or registered))(lang), style="yellow", markup=False)


def credits(
    name: Optional[str] = typer.Argument(None, help="Eén vragenlijst; zonder naam: alle vragenlijsten."),
    lang: Optional[str] = LangOption,
    study_dir: Optional[Path] = StudyOption,
) -> None:
    """Wie welke vraag bedacht, in welke ronde."""
    with study_command(study_dir, lang) as (study, language):
        from rich.table import Table

        from impact.questionnaires.credits import question_credits

        source = _instrument_path(study, name) if name else study
        table = question_credits(source, language)
        heads = [Text("vragenlijst")(language), Text("vraag")(language), Text("tekst")(language),
                 Text("bedacht door")(language), Text("ronde")(language)]
        out = Table(*heads)
        for row in table.iter_rows():
            out.add_row(*[str(v or "") for v in row])
        _console().print(out)


def register(import_group: typer.Typer, questionnaire_group: typer.Typer) -> None:
    """Add the commands to the main CLI's ``import`` and ``questionnaire`` groups."""
    import_group.command("responses")(import_responses)
    questionnaire_group.command("print")(print_questionnaire)
    questionnaire_group.command("credits")(credits)


register(import_app, questionnaire_app)


if __name__ == "__main__":
    app()
