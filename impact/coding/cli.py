"""Commands for coding: REFI-QDA and Taguette in and out, agreement between coders.

Light at import: typer only; everything else loads inside the commands.
The lead's ``impact/cli.py`` registers them with ``register(import_app,
export_app, app_main)``; ``app`` holds them for use on its own:
``python -m impact.coding.cli import qdpx project.qdpx --study DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from impact.cli_support import LangOption, StudyOption, study_command
from impact.cli_support import console as _console
from impact.errors import InputError, Text

import_app = typer.Typer(help="Gegevens inlezen.", no_args_is_help=True)
export_app = typer.Typer(help="Gegevens uitvoeren voor andere programma's.", no_args_is_help=True)
app = typer.Typer(no_args_is_help=True, add_completion=False)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")



def _coder_map(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        name, sep, pid = pair.partition("=")
        if not sep or not name.strip() or not pid.strip():
            raise InputError(Text(f"--coder {pair}: schrijf NAAM=person_id, bijvoorbeeld --coder cp=BB03.",
                                  f"--coder {pair}: write NAME=person_id, for example --coder cp=BB03."))
        out[name.strip()] = pid.strip()
    return out


def _report_import(result: dict, study, lang: str) -> None:
    console = _console()
    for path in result["transcripts"]:
        console.print(Text(f"Nieuw transcript: {study.rel(path)} (vul de kop aan).",
                           f"New transcript: {study.rel(path)} (complete its header).")(lang), markup=False)
    if result["codes_added"]:
        console.print(Text(f"Toegevoegd aan codebook.yaml: {', '.join(result['codes_added'])}.",
                           f"Added to codebook.yaml: {', '.join(result['codes_added'])}.")(lang), markup=False)
    console.print(Text(f"{result['codings']} coderingen bewaard in {study.rel(result['file'])}. "
                       f"Draai 'impact process' om de tabellen bij te werken.",
                       f"{result['codings']} codings saved in {study.rel(result['file'])}. "
                       f"Run 'impact process' to update the tables.")(lang), style="green", markup=False)


def import_qdpx(
    file: Path = typer.Argument(..., help="REFI-QDA-project (.qdpx) uit ATLAS.ti, NVivo, MAXQDA of QualCoder."),
    coder: Optional[List[str]] = typer.Option(None, "--coder", help="Naam in het project = person_id, bijvoorbeeld cp=BB03."),
    add_codes: bool = typer.Option(False, "--add-codes", help="Nieuwe codes toevoegen aan codebook.yaml."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Coderingen uit een REFI-QDA-project inlezen in data/raw/codings/."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.answers import SOURCE_ANSWER, SOURCE_INTERVIEW, import_answer_codings, only_source
        from impact.coding.answers import read_qdpx_with_answers
        from impact.coding.exchange import import_corpus

        # sources that hold open answers (one per question, or per answer) go back to answer codings
        corpus = read_qdpx_with_answers(file)
        interviews, answers = only_source(corpus, SOURCE_INTERVIEW), only_source(corpus, SOURCE_ANSWER)
        if interviews.documents.height or not answers.documents.height:
            _report_import(import_corpus(study, interviews, file.stem, _coder_map(coder), add_codes), study,
                           language)
        if answers.codings.height:
            done = import_answer_codings(study, answers, file.stem, _coder_map(coder))
            _console().print(Text(f"{done['codings']} coderingen van open antwoorden bewaard in "
                                  f"{study.rel(done['file'])}.",
                                  f"{done['codings']} codings of open answers saved in {study.rel(done['file'])}.")(
                                      language), style="green", markup=False)


def import_taguette(
    file: Path = typer.Argument(..., help="Taguette-export van de markeringen (CSV of XLSX: id, document, tag, content)."),
    coder: str = typer.Option(..., "--coder", help="person_id van wie de markeringen maakte."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help="Taguette-export van het codeboek (CSV of XLSX)."),
    add_codes: bool = typer.Option(False, "--add-codes", help="Nieuwe codes toevoegen aan codebook.yaml."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Markeringen uit Taguette inlezen; ze worden opgezocht in de transcripten van de studie."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.exchange import import_corpus
        from impact.coding.taguette import read_taguette
        from impact.coding.transcripts import load_transcripts

        if not file.is_file():
            raise InputError(Text(f"{file}: dit bestand bestaat niet.", f"{file}: this file does not exist."))
        transcripts, _ = load_transcripts(study)
        corpus = read_taguette(file, codebook=codebook, documents=transcripts, coder=coder)
        _report_import(import_corpus(study, corpus, file.stem, {}, add_codes), study, language)


def export_qdpx(
    file: Path = typer.Argument(..., help="Nieuw .qdpx-bestand."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Transcripten (weggelakt), codeboek en coderingen als REFI-QDA-project, met pseudoniemen."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.answers import write_qdpx_with_answers
        from impact.coding.corpus import Corpus

        if file.exists():
            raise InputError(Text(f"{file} bestaat al. Kies een nieuwe naam.", f"{file} already exists. Choose a new name."))
        corpus = Corpus.from_study(study)
        write_qdpx_with_answers(corpus, file, per="question")  # open answers: one source per question
        _console().print(Text(f"{corpus.codings.height} coderingen van {corpus.documents.height} interviews en "
                              f"open antwoorden in {file}.",
                              f"{corpus.codings.height} codings of {corpus.documents.height} interviews and "
                              f"open answers in {file}.")(language),
                         style="green", markup=False)


def agreement_command(
    unit: str = typer.Option("paragraph", "--unit", help="paragraph (alinea), turn (beurt) of document."),
    coder: Optional[List[str]] = typer.Option(None, "--coder", help="Vergelijk alleen deze codeurs (pseudoniem)."),
    limit: int = typer.Option(50, "--limit", help="Hoeveel verschillen tonen (0 = geen)."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Overeenstemming tussen codeurs per code, en de plekken waar ze verschillen."""
    with study_command(study_dir, lang) as (study, language):
        from rich.markup import escape
        from rich.table import Table

        from impact.coding.reliability import OVERALL, disagreements
        from impact.coding.corpus import Corpus

        corpus = Corpus.from_study(study)
        from impact.coding.answers import agreement_with_answers

        # interviews cut into units, each open answer one unit (an uncoded answer counts as "no")
        table = agreement_with_answers(corpus, unit=unit, coders=coder)
        nl = language == "nl"
        out = Table(*(("code", "alfa (Krippendorff)", "kappa (Cohen)", "% eens", "eenheden", "met code") if nl else
                      ("code", "alpha (Krippendorff)", "kappa (Cohen)", "% agree", "units", "with code")),
                    title="Overeenstemming tussen codeurs" if nl else "Agreement between coders")

        def fmt(v, pct=False):
            return "-" if v is None else (f"{100 * v:.0f}%" if pct else f"{v:.2f}")

        for r in table.iter_rows(named=True):
            name = ("alle codes" if nl else "all codes") if r["code"] == OVERALL else r["code"]
            out.add_row(escape(name), fmt(r["krippendorff_alpha"]), fmt(r["cohen_kappa"]),
                        fmt(r["percent_agreement"], True), str(r["units"]), str(r["units_with_code"]))
        console = _console()
        console.print(out)
        if limit:
            diff = disagreements(corpus, unit=unit, coders=coder)
            console.print(Text(f"Verschillen ({diff.height}) voor het overleg:",
                               f"Differences ({diff.height}) for the consensus meeting:")(language), style="bold",
                          markup=False)
            for r in diff.head(limit).iter_rows(named=True):
                words = " ".join((r["text"] or "").split())
                words = words[:160] + ("…" if len(words) > 160 else "")
                who = Text(f"wel: {', '.join(r['coded_by'])}; niet: {', '.join(r['not_coded_by'])}",
                           f"coded: {', '.join(r['coded_by'])}; not: {', '.join(r['not_coded_by'])}")(language)
                console.print(f"{r['document']} ¶{r['unit_id']}  #{r['code']}  ({who})", markup=False)
                console.print(f"    {words}", markup=False)


def coding_sheet_command(
    instrument: str = typer.Argument(..., help="Vragenlijst, bijvoorbeeld bewoners."),
    item: str = typer.Argument(..., help="Open vraag, bijvoorbeeld verandering_tekst."),
    wave: int = typer.Option(1, "--wave", help="Meting (1, 2, 3)."),
    coder: str = typer.Option(..., "--coder", help="Jouw person_id, bijvoorbeeld BB03."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Een codeerblad met de open antwoorden op één vraag, om in een teksteditor te coderen."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.answers import write_coding_sheet

        path = write_coding_sheet(study, instrument, item, wave, coder)
        _console().print(Text(f"Codeerblad gemaakt: {study.rel(path)}. Zet codes zo: [woorden]{{#code}}.",
                              f"Coding sheet written: {study.rel(path)}. Mark codes like this: [words]{{#code}}.")
                         (language), style="green", markup=False)


def register(import_group: typer.Typer, export_group: typer.Typer, main: typer.Typer) -> None:
    """Add the commands to the main CLI: ``import qdpx``, ``import taguette``, ``export qdpx``, ``agreement``,
    ``answers coding-sheet``."""
    import_group.command("qdpx")(import_qdpx)
    import_group.command("taguette")(import_taguette)
    export_group.command("qdpx")(export_qdpx)
    main.command("agreement")(agreement_command)
    answers = typer.Typer(help="Open antwoorden uit vragenlijsten coderen.", no_args_is_help=True)
    answers.command("coding-sheet")(coding_sheet_command)
    main.add_typer(answers, name="answers")


register(import_app, export_app, app)


if __name__ == "__main__":
    app()
