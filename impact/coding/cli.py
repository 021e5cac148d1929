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
            raise InputError(Text("--coder {pair}: schrijf NAAM=person_id, bijvoorbeeld --coder cp=BB03.",
                                  pair=pair))
        out[name.strip()] = pid.strip()
    return out


def _report_import(result: dict, study, lang: str) -> None:
    console = _console()
    for path in result["transcripts"]:
        console.print(Text("Nieuw transcript: {path} (vul de kop aan).", path=study.rel(path))(lang), markup=False)
    if result["codes_added"]:
        console.print(Text("Toegevoegd aan codebook.yaml: {codes_added}.",
                           codes_added=', '.join(result['codes_added']))(lang), markup=False)
    if result.get("memos") or result.get("memos_known"):
        new, known = len(result.get("memos") or []), len(result.get("memos_known") or [])
        already = Text(" ({known} stonden er al)", known=known) if known else ""
        console.print(Text("{new} memo's bewaard in data/raw/memos{already}.", new=new, already=already)(lang),
                      markup=False)
    if result["file"] is not None:
        console.print(Text("{codings} coderingen bewaard in {file}. Draai 'impact process' om de tabellen "
                           "bij te werken.",
                           codings=result['codings'], file=study.rel(result['file']))(lang), style="green", markup=False)


def _rule_words(source: dict, lang: str) -> str:
    """Which position rule was used, and why (a line for the terminal)."""
    rule = source.get("rule")
    if rule is None:
        return ""
    how = source.get("how")
    said = rule.describe()(lang)
    tool = source.get("tool") or source.get("origin") or "?"
    why = {
        "origin": Text("het project komt uit {tool}", tool=tool),
        "given": Text("gekozen met --positions"),
        "same": Text("alle regels lezen deze teksten gelijk (geen CRLF, BOM of emoji)"),
        "chosen": Text("het programma is onbekend; bij deze regel vallen de stukken op woordgrenzen"),
    }.get(how, Text(""))(lang)
    line = Text("Posities gelezen als {said} ({why}).", said=said, why=why)(lang)
    if how == "chosen" and source.get("scores"):
        best = source["scores"][0]
        line += Text(" {value} van {value2} begin- en eindpunten vallen op een woordgrens.",
                     value=best[1], value2=best[2])(lang)
    return line


def show_quote_check(corpus, lang: str, sample: int = 8) -> None:
    """Print the quote check of ``corpus`` (see ``impact.coding.exchange.quote_check``): before anything is written."""
    from impact.coding.exchange import quote_check

    check = quote_check(corpus, sample)
    console = _console()
    line = _rule_words(check["source"], lang)
    if line:
        console.print(line, markup=False)
    if check["sample"]:
        console.print(Text("Controleer of deze citaten kloppen ({n_sample} van {codings}):",
                           n_sample=len(check['sample']), codings=check['codings'])(lang),
                      style="bold", markup=False)
        for doc, code, coder, text in check["sample"]:
            words = " ".join((text or "").split())
            words = words[:110] + ("…" if len(words) > 110 else "")
            console.print(f"  {doc}  #{code}  ({coder}): “{words}”", markup=False)
    better = check["source"].get("better_rule")
    if check["cut"] or better or check["source"].get("inexact"):
        n = len(check["cut"])
        console.print(Text("Let op: {n} van de {codings} stukken beginnen of eindigen midden in een woord. "
                           "Dan zijn de posities misschien verkeerd gelezen en staan de citaten verschoven.",
                           n=n, codings=check['codings'])(lang), style="yellow", markup=False)
        for doc, start, end, code, around in check["cut"][:3]:
            console.print(f"  {doc} {start}-{end} #{code}: …{' '.join(around.split())}…", markup=False)
        if better:
            console.print(Text("Bij de regel {better} vallen veel meer stukken op woordgrenzen. Probeer "
                               "opnieuw met --positions {better}.",
                               better=better)(lang), style="yellow", markup=False)


def _dry_run_done(lang: str) -> None:
    _console().print(Text("Alleen gecontroleerd (--check): er is niets bewaard.")(lang), style="green", markup=False)


def import_qdpx(
    file: Path = typer.Argument(..., help="REFI-QDA-project (.qdpx) uit ATLAS.ti, NVivo, MAXQDA of QualCoder."),
    coder: Optional[List[str]] = typer.Option(None, "--coder", help="Naam in het project = person_id, bijvoorbeeld cp=BB03."),
    add_codes: bool = typer.Option(False, "--add-codes", help="Nieuwe codes (met hun bovenliggende codes) toevoegen aan codebook.yaml."),
    positions: Optional[str] = typer.Option(None, "--positions", help="Hoe het programma posities telt: codepoints, utf16, met +crlf2 en +bom (standaard: uit het project)."),
    check: bool = typer.Option(False, "--check", help="Alleen de citaten controleren; niets bewaren."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Coderingen en memo's uit een REFI-QDA-project inlezen in data/raw."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.answers import import_answer_codings, read_qdpx_with_answers
        from impact.coding.sources import SOURCE_ANSWER, SOURCE_INTERVIEW, only_source
        from impact.coding.exchange import import_corpus

        # sources that hold open answers (one per question, or per answer) go back to answer codings
        corpus = read_qdpx_with_answers(file, positions=positions)
        show_quote_check(corpus, language)
        if check:
            return _dry_run_done(language)
        interviews, answers = only_source(corpus, SOURCE_INTERVIEW), only_source(corpus, SOURCE_ANSWER)
        if interviews.documents.height or not answers.documents.height:
            _report_import(import_corpus(study, interviews, file.stem, _coder_map(coder), add_codes,
                                         command=f'impact import qdpx "{file}"'), study, language)
        if answers.codings.height:
            done = import_answer_codings(study, answers, file.stem, _coder_map(coder))
            _console().print(Text("{codings} coderingen van open antwoorden bewaard in {file}.",
                                  codings=done['codings'], file=study.rel(done['file']))(
                                      language), style="green", markup=False)


def import_taguette(
    file: Path = typer.Argument(..., help="Taguette-export: de markeringen (CSV of XLSX: id, document, tag, content) "
                                          "of het hele project (.sqlite3)."),
    coder: Optional[List[str]] = typer.Option(None, "--coder", help="person_id van wie de markeringen maakte, of "
                                                                    "gebruiker=person_id (bij een .sqlite3)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help="Taguette-export van het codeboek (.qdc, CSV of XLSX)."),
    occurrence: Optional[List[str]] = typer.Option(None, "--occurrence", help="Bij tekst die vaker voorkomt: "
                                                                            "markering=keer, bijvoorbeeld 12=2."),
    add_codes: bool = typer.Option(False, "--add-codes", help="Nieuwe codes toevoegen aan codebook.yaml."),
    check: bool = typer.Option(False, "--check", help="Alleen de citaten controleren; niets bewaren."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Markeringen uit Taguette inlezen; ze worden opgezocht in de transcripten van de studie."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.exchange import import_corpus
        from impact.coding.taguette import parse_occurrences, read_taguette, read_taguette_sqlite
        from impact.coding.transcripts import load_transcripts

        if not file.is_file():
            raise InputError(Text("{file}: dit bestand bestaat niet.", file=file))
        transcripts, _ = load_transcripts(study)
        pairs = [c for c in (coder or []) if "=" in c]
        single = [c for c in (coder or []) if "=" not in c]
        if file.suffix.lower() in (".sqlite3", ".sqlite", ".db"):
            corpus = read_taguette_sqlite(file, codebook=codebook, documents=transcripts)
            coder_map = _coder_map(pairs)
            if single:  # one person made every highlight
                coder_map.update({u: single[0] for u in corpus.codings["coder"].unique().to_list()})
        else:
            if len(single) != 1 or pairs:
                raise InputError(Text("Geef met --coder de person_id van wie de markeringen maakte, "
                                      "bijvoorbeeld --coder BB03. Taguette zet dat niet in deze export."))
            corpus = read_taguette(file, codebook=codebook, documents=transcripts, coder=single[0],
                                   occurrences=parse_occurrences(occurrence))
            coder_map = {single[0]: single[0]}  # given as a person_id: checked against people.csv
        show_quote_check(corpus, language)
        if check:
            return _dry_run_done(language)
        _report_import(import_corpus(study, corpus, file.stem, coder_map, add_codes,
                                     command=f'impact import taguette "{file}"'), study, language)


def export_qdpx(
    file: Path = typer.Argument(..., help="Nieuw .qdpx-bestand."),
    positions: Optional[str] = typer.Option(None, "--for", help="Voor welk programma: nvivo, atlas.ti, maxqda, of een "
                                                                "regel (codepoints, utf16+crlf2+bom). Standaard: "
                                                                "de REFI-QDA-standaard (codepoints)."),
    study_dir: Optional[Path] = StudyOption,
    lang: Optional[str] = LangOption,
) -> None:
    """Transcripten (weggelakt), codeboek, coderingen en memo's als REFI-QDA-project, met pseudoniemen."""
    with study_command(study_dir, lang) as (study, language):
        from impact.coding.answers import write_qdpx_with_answers
        from impact.coding.corpus import Corpus
        from impact.coding.positions import STANDARD, parse_rule

        if file.exists():
            raise InputError(Text("{file} bestaat al. Kies een nieuwe naam.", file=file))
        rule = parse_rule(positions) if positions else STANDARD
        corpus = Corpus.from_study(study)
        write_qdpx_with_answers(corpus, file, per="question", positions=rule)  # open answers: one source per question
        memos = corpus.memos.height if corpus.memos is not None else 0
        _console().print(Text("{height} coderingen van {height2} interviews en open antwoorden, en {memos} "
                              "memo's in {file} (posities: {name}).",
                              height=corpus.codings.height, height2=corpus.documents.height, memos=memos, file=file, name=rule.name)(language),
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
            console.print(Text("Verschillen ({height}) voor het overleg:", height=diff.height)(language), style="bold",
                          markup=False)
            for r in diff.head(limit).iter_rows(named=True):
                words = " ".join((r["text"] or "").split())
                words = words[:160] + ("…" if len(words) > 160 else "")
                who = Text("wel: {coded_by}; niet: {not_coded_by}",
                           coded_by=', '.join(r['coded_by']), not_coded_by=', '.join(r['not_coded_by']))(language)
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
        _console().print(Text("Codeerblad gemaakt: {path}. Zet codes zo: [woorden]{{#code}}.", path=study.rel(path))
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
