"""``impact build`` and ``impact infographic`` (registered by impact/cli.py).

Light at import: typer only. The build itself (nbclient, nbconvert,
altair, vl-convert) is imported inside the commands, and not at all when
nothing changed.

Register with::

    from impact.report.cli import build, infographic
    app.command()(build)
    app.command()(infographic)
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from impact.cli_support import LangOption, StudyOption, study_command
from impact.cli_support import console as _console
from impact.errors import Text

app = typer.Typer(help="Rapporten en infographic maken.", no_args_is_help=True)


@app.command()
def build(
    district: Optional[List[str]] = typer.Option(
        None, "--district", "-d",
        help="Rapport voor één stadsdeel (mag vaker). 'alle' = elk stadsdeel apart."),
    lang: Optional[str] = LangOption,
    period: Optional[str] = typer.Option(None, "--period", help="Periode, bijvoorbeeld 2022 of 2022-01..2022-06."),
    study: Optional[Path] = StudyOption,
    workers: int = typer.Option(2, "--workers", "-j", min=1, help="Hoeveel notebooks tegelijk draaien."),
    force: bool = typer.Option(False, "--force", help="Alles opnieuw maken, ook wat niet veranderd is."),
    fresh: bool = typer.Option(False, "--fresh-kernels", help="Elk notebook in een nieuwe kernel (langzamer)."),
    infographic: bool = typer.Option(True, "--infographic/--no-infographic", help="Ook de infographic maken."),
):
    """Draai de notebooks en maak offline HTML-rapporten in reports/."""
    with study_command(study, lang) as (st, shown):
        districts: list[str | None] | None = None
        if district:
            if any(d.lower() in ("alle", "all") for d in district):
                districts = list(st.config.districts)
            else:
                districts = list(district)
        _run_build(st, districts=districts, lang=shown, period=period, workers=workers, force=force,
                   fresh=fresh, infographic=infographic)


def _run_build(study, *, districts, lang, period, workers, force, fresh, infographic) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from impact.report.build import build_reports, plan

    total = len(plan(study, districts=districts, lang=lang, period=period))
    console = _console(stderr=True)
    words = {"built": Text("gemaakt", "built"), "cached": Text("niet veranderd", "unchanged"),
             "failed": Text("MISLUKT", "FAILED")}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        task = bar.add_task(Text("Rapporten maken", "Building reports")(lang), total=total)

        def progress(event, job, result):
            if event == "done" and result is not None:
                bar.advance(task)
                style = {"failed": "red", "built": "green"}.get(result.status, "dim")
                bar.console.print(f"  {job.output.name}: {words[result.status](lang)}"
                                  + (f" ({result.seconds:.1f} s)" if result.status == "built" else ""),
                                  style=style, markup=False, highlight=False)
            elif event == "publish":
                bar.update(task, description=Text("Klaar, controleren en publiceren",
                                                  "Done, checking and publishing")(lang))

        result = build_reports(study, districts=districts, lang=lang, period=period, workers=workers, force=force,
                               fresh_kernels=fresh, infographic=infographic, progress=progress)
    out = _console()
    out.print(Text(f"Overzicht: {study.rel(result.index)}", f"Index: {study.rel(result.index)}")(lang),
              markup=False)
    _print_withdrawals(study, lang, out)
    result.raise_for_failures()


def _print_withdrawals(study, lang: str, out) -> None:
    """Say what the last ``impact process`` removed because someone withdrew consent."""
    path = study.processed / "withdrawals.parquet"
    if not path.is_file():
        return
    import polars as pl

    removed = pl.read_parquet(path)
    if removed.height == 0:
        return
    detail = ", ".join(f"{t}: {n}" for t, n in removed.iter_rows())
    out.print(Text(f"Niet in de rapporten omdat iemand de toestemming introk (rijen): {detail}.",
                   f"Left out of the reports because consent was withdrawn (rows): {detail}.")(lang),
              style="yellow", markup=False)


@app.command()
def infographic(
    lang: Optional[str] = LangOption,
    study: Optional[Path] = StudyOption,
    force: bool = typer.Option(False, "--force", help="Opnieuw maken, ook als er niets veranderd is."),
):
    """Maak de infographic (A4 en vierkant; SVG, PNG, PDF en HTML) in reports/."""
    with study_command(study, lang) as (st, shown):
        from impact.report.build import guard, read_cache, write_index
        from impact.report.infographic import LAYOUT_NAME, make_infographic

        paths = make_infographic(st, lang=shown, force=force, publish_guard=guard)
        write_index(st, lang=shown, cache=read_cache(st.reports))
        out = _console()
        for p in paths:
            out.print(st.rel(p), markup=False)
        out.print(Text(f"Pas de opmaak aan in {LAYOUT_NAME}.", f"Edit the layout in {LAYOUT_NAME}.")(shown),
                  markup=False)
