"""The command ``impact member-check``: a summary for the interviewee, or their answer recorded.

It reads the options and calls ``impact.membercheck`` (which knows nothing
of the command line).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from impact.cli_support import StudyOption, lang_option, study_command
from impact.errors import InputError, Text
from impact.membercheck import record_answers, resolve_passage, write_summary


def member_check(
    interview: str = typer.Argument(..., help="Code van het interview, bijvoorbeeld I01."),
    study: Optional[Path] = StudyOption,
    lang: Optional[str] = lang_option("Taal van de samenvatting: nl of en."),
    approve: Optional[List[str]] = typer.Option(None, "--approve", help="Stuk is goed (nummer of 33-89). Mag vaker."),
    withdraw: Optional[List[str]] = typer.Option(None, "--withdraw", help="Stuk niet gebruiken. Mag vaker."),
    change: Optional[List[str]] = typer.Option(None, "--change", help="'NUMMER=nieuwe tekst'. Mag vaker."),
    date: Optional[str] = typer.Option(None, "--date", help="Datum van het antwoord (standaard vandaag)."),
):
    """Maak een samenvatting voor de geïnterviewde, of leg zijn of haar antwoord vast."""
    from impact.cli_support import say

    with study_command(study, lang) as (st, shown):
        answers = []
        for decision, refs in (("approve", approve), ("withdraw", withdraw)):
            for ref in refs or []:
                answers.append((*resolve_passage(st, interview, ref), decision, None))
        for item in change or []:
            ref, sep, new = item.partition("=")
            if not sep or not new.strip():
                raise InputError(Text("--change '{item}': schrijf NUMMER=nieuwe tekst.", item=item))
            answers.append((*resolve_passage(st, interview, ref), "change", new.strip()))
        if answers:
            from impact.tabular import EXPECT_DATE, parse_date

            try:
                when = parse_date(date) if date else None
            except ValueError:
                raise InputError(Text("--date '{date}': verwacht {expect_date}.",
                                      date=date, expect_date=EXPECT_DATE)) from None
            path = record_answers(st, interview, answers, date=when)
            say(Text("{n_answers} antwoord(en) vastgelegd in {path}. Na 'impact process' en 'impact build' "
                     "telt het mee.",
                     n_answers=len(answers), path=st.rel(path)), shown, "green")
        path = write_summary(st, interview, lang=shown)
        say(Text("Samenvatting voor de geïnterviewde: {path} (privé; print hem op één A4).", path=st.rel(path)), shown, "green")
