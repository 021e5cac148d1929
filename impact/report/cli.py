"""``impact build`` (also ``--watch``), ``impact serve`` and ``impact infographic`` (registered by impact/cli.py).

Light at import: typer only. The build itself (nbclient, nbconvert,
altair, vl-convert) is imported inside the commands, and not at all when
nothing changed.

Register with::

    from impact.report.cli import build, infographic
    app.command()(build)
    app.command()(serve)
    app.command()(infographic)
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import List, Optional

import typer

from impact.cli_support import LangOption, StudyOption, lang_option, study_command
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
    watch: bool = typer.Option(False, "--watch", "-w",
                               help="Blijf kijken: bij elke verandering in data/raw, questionnaires, notebooks of "
                                    "impact.toml opnieuw verwerken en bouwen wat veranderde. Ctrl-C stopt."),
    serve_too: bool = typer.Option(False, "--serve", help="Met --watch: laat reports/ ook zien in de browser "
                                                          "(127.0.0.1); de pagina ververst na elke bouw."),
    port: int = typer.Option(8000, "--port", help="Poort voor --serve."),
):
    """Draai de notebooks en maak offline HTML-rapporten in reports/."""
    with study_command(study, lang) as (st, shown):
        districts: list[str | None] | None = None
        if district:
            if any(d.lower() in ("alle", "all") for d in district):
                districts = list(st.config.districts)
            else:
                districts = list(district)
        if watch or serve_too:
            options = {"districts": districts, "lang": shown, "period": period, "force": force,
                       "fresh_kernels": fresh, "infographic": infographic}
            _watch(st, shown, options, workers=workers, port=port if serve_too else None)
            return
        _run_build(st, districts=districts, lang=shown, period=period, workers=workers, force=force,
                   fresh=fresh, infographic=infographic).raise_for_failures()


@app.command()
def serve(
    study: Optional[Path] = StudyOption,
    lang: Optional[str] = lang_option("Taal van de rapporten en meldingen: nl of en."),
    port: int = typer.Option(8000, "--port", help="Poort op 127.0.0.1 (bezet: de volgende vrije)."),
    watch: bool = typer.Option(True, "--watch/--no-watch",
                               help="Ook bouwen bij elke verandering (standaard), of alleen laten zien."),
    workers: int = typer.Option(2, "--workers", "-j", min=1, help="Hoeveel notebooks tegelijk draaien."),
):
    """Laat reports/ zien in de browser (alleen op deze computer); de pagina ververst na elke bouw. Ctrl-C stopt."""
    with study_command(study, lang) as (st, shown):
        if watch:
            _watch(st, shown, {"lang": shown}, workers=workers, port=port)
            return
        from impact.report.live import ReportServer

        server = ReportServer(st.reports, port)
        url = server.start()
        _console().print(Text("Rapporten op {url} (Ctrl-C stopt).", url=url)(shown),
                         markup=False)
        try:
            while True:
                __import__("time").sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
        _console().print(Text("Gestopt.")(shown), markup=False)


def _watch(study, lang: str, options: dict, *, workers: int, port: int | None) -> None:
    """``--watch`` (and ``--serve``): build, then rebuild after every change, until Ctrl-C."""
    import datetime as dt

    from impact.report.live import ReportServer, watch

    out = _console()
    words = {"built": Text("gemaakt"), "failed": Text("MISLUKT")}
    server = None

    def say(text: Text, style: str | None = None) -> None:
        out.print(f"[{dt.datetime.now():%H:%M:%S}] " + text(lang), style=style, markup=False,
                  highlight=False)

    def on_round(done) -> None:
        if done.changed:
            shown = ", ".join(done.changed[:5]) + (" ..." if len(done.changed) > 5 else "")
            say(Text("Veranderd: {shown}", shown=shown))
        if done.tables is not None:
            tables = ", ".join(done.tables) or "-"
            say(Text("  verwerkt; tabellen veranderd: {tables}", tables=tables))
        if done.error is not None:
            say("  " + done.error.render("nl"), "  " + done.error.render("en"), "red")
        result = done.result
        if result is not None:
            for r in result.results:
                if r.status != "cached":
                    out.print(f"  {r.job.name}: {words[r.status](lang)}"
                              + (f" ({r.seconds:.1f} s)" if r.status == "built" else ""),
                              style="green" if r.status == "built" else "red", markup=False, highlight=False)
                if r.status == "failed":
                    out.print("    " + r.error(lang), style="red", markup=False, highlight=False)
            if result.infographic_built:
                out.print(Text("  infographic: gemaakt")(lang), style="green", markup=False)
            unchanged = sum(r.status == "cached" for r in result.results)
            say(Text("  klaar in {seconds:.1f} s ({unchanged} rapport(en) niet veranderd). Wacht op "
                     "veranderingen; Ctrl-C stopt.",
                     seconds=done.seconds, unchanged=unchanged))

    def on_ready() -> None:
        nonlocal server
        if port is not None and server is None:
            server = ReportServer(study.reports, port)
            url = server.start()
            say(Text("Rapporten op {url}index.html (alleen op deze computer).", url=url), "bold")

    import signal

    def stop(*_):
        raise KeyboardInterrupt  # a stop from outside (kill, a closed terminal) ends as cleanly as Ctrl-C

    signal.signal(signal.SIGTERM, stop)
    say(Text("Eerste bouw; daarna bouw ik opnieuw wat verandert."))
    try:
        watch(study, build_options=options, workers=workers, on_round=on_round, on_ready=on_ready)
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
    say(Text("Gestopt. De kernels zijn afgesloten."))


def _run_build(study, *, districts, lang, period, workers, force, fresh, infographic, kernels=None):
    from impact.report.build import build_reports, plan, report_notebooks
    from impact.report.cache import BuildCache

    notebooks, shipped = report_notebooks(study)
    jobs = plan(study, districts=districts, lang=lang, period=period, notebooks=notebooks)
    console = _console(stderr=True)
    if shipped is not None:
        console.print(Text("De studie heeft geen eigen notebooks in {notebooks}; ik gebruik die van impact "
                           "({shipped}).",
                           notebooks=study.rel(study.notebooks), shipped=shipped)(lang), style="yellow", markup=False)
    words = {"built": Text("gemaakt"), "cached": Text("niet veranderd"),
             "failed": Text("MISLUKT")}
    cache = BuildCache(study.root)
    if not force and all(cache.fresh(j.name, j.key, [j.output]) for j in jobs):
        # nothing to run: no progress bar (rich.progress alone takes a tenth of a second to import)
        result = build_reports(study, districts=districts, lang=lang, period=period, workers=workers,
                               infographic=infographic, notebooks=notebooks, kernels=kernels)
        console.print(Text("{n_jobs} rapport(en) niet veranderd.", n_jobs=len(jobs))(lang),
                      style="dim", markup=False)
    else:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as bar:
            task = bar.add_task(Text("Rapporten maken")(lang), total=len(jobs))

            def progress(event, job, result):
                if event == "done" and result is not None:
                    bar.advance(task)
                    style = {"failed": "red", "built": "green"}.get(result.status, "dim")
                    bar.console.print(f"  {job.name}: {words[result.status](lang)}"
                                      + (f" ({result.seconds:.1f} s)" if result.status == "built" else ""),
                                      style=style, markup=False, highlight=False)
                    if result.status == "failed" and result.error is not None:
                        # the reason at once: the publish guard may still stop the build before the summary
                        bar.console.print(textwrap.indent(result.error(lang), "    "), style="red",
                                          markup=False, highlight=False)
                elif event == "publish":
                    bar.update(task, description=Text("Klaar, controleren en publiceren")(lang))

            options = {"districts": districts, "lang": lang, "period": period, "force": force,
                       "infographic": infographic, "notebooks": [str(n) for n in notebooks]}
            result = None
            if kernels is None and not fresh and workers == 2:  # the helper's two warm kernels will do
                result = _helper_build(study, options, progress)
                if result is None:
                    bar.reset(task)  # no helper, or it stopped halfway: all here
                else:
                    bar.console.print(Text("Gemaakt door de warme hulp van deze studie ('impact stop' stopt "
                                           "hem).")(lang), style="dim", markup=False)
            if result is None:
                result = build_reports(study, districts=districts, lang=lang, period=period, workers=workers,
                                       force=force, fresh_kernels=fresh, infographic=infographic,
                                       progress=progress, notebooks=notebooks, kernels=kernels)
                _leave_helper(study, lang, result)
    out = _console()
    if result.infographic_built:
        out.print(Text("Infographic: {parent}/infographic-*", parent=study.rel(result.infographic[0].parent))(lang), markup=False)
    out.print(Text("Overzicht: {index}", index=study.rel(result.index))(lang),
              markup=False)
    if result.built:  # about the reports just made (and quick when nothing was: no polars)
        _print_withdrawals(study, lang, out, getattr(result, "withdrawals", None))
    return result


def _helper_build(study, options: dict, progress):
    """The build done by the study's warm helper (``impact.report.warm``); None when there is none."""
    from types import SimpleNamespace

    from impact.report import warm
    from impact.report.build import BuildResult, JobResult
    from impact.text import PerLanguage

    def job_result(message: dict) -> JobResult:
        error = PerLanguage(message["error"]) if message.get("error") else None
        return JobResult(SimpleNamespace(name=message["name"]), message["status"], title=message.get("title", ""),
                         error=error, seconds=message.get("seconds", 0.0))

    def on_event(message: dict) -> None:
        progress(message["event"], *((SimpleNamespace(name=message["name"]), job_result(message))
                                     if "name" in message else (None, None)))

    answer = warm.ask(study.root, {"do": "build", "options": options}, on_event)
    if answer is None:
        return None
    if (err := warm.error_of(answer)) is not None:
        raise err
    done = answer["build"]
    result = BuildResult(results=[job_result(r) for r in done["results"]],
                         index=Path(done["index"]) if done["index"] else None,
                         infographic=[Path(p) for p in done["infographic"]],
                         infographic_built=done["infographic_built"])
    result.withdrawals = done["withdrawals"]  # read by the helper, which has polars imported
    return result


def _leave_helper(study, lang: str, result) -> None:
    """After a build that ran notebooks: leave a warm helper for the next one (``impact.report.warm``)."""
    from impact.report import warm

    minutes = warm.keep_minutes(study)
    if result.built and minutes > 0 and warm.start(study.root, minutes):
        _console(stderr=True).print(Text("Een warme hulp wacht {minutes} minuten op de volgende 'impact process' "
                                         "en 'impact build': die gaan dan sneller. 'impact stop' stopt hem.",
                                         minutes=minutes)(lang), style="dim", markup=False)


def _print_withdrawals(study, lang: str, out, removed: list | None = None) -> None:
    """Say what the last ``impact process`` removed because someone withdrew consent (``removed``: as
    ``withdrawn_rows`` gives it, when known)."""
    from impact.report.build import withdrawn_rows

    removed = withdrawn_rows(study) if removed is None else removed
    if not removed:
        return
    detail = ", ".join(f"{t}: {n}" for t, n in removed)
    out.print(Text("Niet in de rapporten omdat iemand de toestemming introk (rijen): {detail}.", detail=detail)(lang),
              style="yellow", markup=False)


@app.command()
def infographic(
    lang: Optional[str] = LangOption,
    study: Optional[Path] = StudyOption,
    force: bool = typer.Option(False, "--force", help="Opnieuw maken, ook als er niets veranderd is."),
):
    """Maak de infographic (A4 en vierkant; SVG, PNG, PDF en HTML) in reports/."""
    with study_command(study, lang) as (st, shown):
        from impact.report.build import cached_infographic, write_index
        from impact.report.infographic import LAYOUT_NAME

        paths, _ = cached_infographic(st, lang=shown, force=force)
        write_index(st)
        out = _console()
        for p in paths:
            out.print(st.rel(p), markup=False)
        out.print(Text("Pas de opmaak aan in {layout_name}.", layout_name=LAYOUT_NAME)(shown),
                  markup=False)
