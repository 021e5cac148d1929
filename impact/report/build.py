"""``impact build``: run the notebooks and publish offline HTML reports.

Steps: find the notebooks (the study's own, else the ones impact ships),
work out which reports are out of date (``impact.report.cache``: a report is
made again only when its notebook, parameters, language, settings or code
changed, or a file it read last time), run those at the same time in a few
kernels, render them with the report template, check them with the privacy
publish guard, and move them into ``reports/<language>/`` one by one with an
atomic rename. A notebook that fails keeps its last good report; the message
names the notebook, the cell and the error.

Every variant has its own file: ``reports/nl/01_x.html``,
``reports/en/01_x.html``, ``reports/nl/01_x-west.html`` (a district),
``reports/nl/01_x-2022.html`` (a period). ``reports/index.html`` lists them
per language. Published files are readable by all (0644); the cache lives
outside ``reports/`` (``data/cache/build.json``).

Kernels are reused between notebooks of one build (the namespace is
cleared before each notebook, as ``%reset -f`` does), so heavy imports such as
polars and altair happen once per kernel, not once per notebook; ``--watch``
keeps them between builds too (``KernelPool``). Use ``fresh_kernels=True``
for a new kernel per notebook. Kernels keep no input history. Charts are
drawn once per distinct spec (``impact.report.rendercache``, kept in
``data/cache/render``): a rebuild draws only the charts whose data changed.

Example (in a study folder with notebooks and processed data):
    >>> from impact.study import Study                          # doctest: +SKIP
    >>> result = build_reports(Study.load("."), workers=2)      # doctest: +SKIP
    >>> [r.status for r in result.results]                      # doctest: +SKIP
    ['built', 'cached']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from impact.errors import ImpactError, Text
from impact.files import PUBLISHED_MODE, publish, write_atomic
from impact.fingerprints import code_stamp
from impact.text import joined
from impact.study import Study

CELL_TIMEOUT = 600
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
# Imported in a new kernel of `--watch` before any notebook asks, so the first rebuild is quick
# (with the modules the notebooks imported in earlier builds, kept in the build cache).
WARM_IMPORTS = ("polars", "pandas", "altair", "vl_convert", "impact.data", "impact.report.show")


@dataclass(frozen=True)
class Job:
    """One report to build: a notebook, in one language, for one district (or all) and period."""

    notebook: Path
    district: str | None
    output: Path
    params: dict
    key: str
    lang: str = "nl"
    period: str | None = None

    @property
    def name(self) -> str:
        """The report's path inside ``reports/``, such as ``nl/01_bereik-west.html``."""
        return f"{self.lang}/{self.output.name}"


@dataclass
class JobResult:
    job: Job
    status: str  # "built", "cached" or "failed"
    title: str = ""
    error: Text | None = None
    seconds: float = 0.0


@dataclass
class BuildResult:
    results: list[JobResult] = field(default_factory=list)
    index: Path | None = None
    infographic: list[Path] = field(default_factory=list)
    infographic_built: bool = False
    shipped_notebooks: Path | None = None  # set when the study had none and impact's own were used

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def built(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "built"]

    def raise_for_failures(self) -> None:
        """Raise ``ImpactError`` naming every notebook that failed."""
        if not self.failed:
            return
        n = len(self.failed)
        head = Text("{n} rapport(en) niet gemaakt. Het vorige rapport blijft staan. Verbeter het notebook en "
                    "bouw opnieuw.",
                    n=n)
        errors = [r.error or Text("onbekende fout") for r in self.failed]
        raise ImpactError(Text("{head}\n{errors}", head=head, errors=joined(errors, prefix="- ")))


# --- what to build -------------------------------------------------------

def district_slug(district: str) -> str:
    """``Nieuw-West`` -> ``nieuw-west`` (for file names)."""
    return re.sub(r"[^a-z0-9]+", "-", district.lower()).strip("-") or "district"


def find_notebooks(study: Study, folder: Path | None = None) -> list[Path]:
    """The report notebooks in ``folder`` (default: the study's ``notebooks/``), sorted.

    Left out: names starting with ``_`` or ``.``, and notebooks for work
    rather than reading (a coding widget) whose metadata says
    ``"impact": {"report": false}``.
    """
    folder = folder or study.notebooks
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        if path.name.startswith(("_", ".")):
            continue
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        except ValueError:
            meta = {}  # a broken notebook fails in the build with a clear message
        if (meta.get("impact") or {}).get("report", True) is False:
            continue
        found.append(path)
    return found


def shipped_notebooks() -> Path:
    """The notebooks that come with impact (``impact/notebooks``: the repository's ``notebooks/``)."""
    from impact.study import SHIPPED_NOTEBOOKS

    return SHIPPED_NOTEBOOKS


def report_notebooks(study: Study) -> tuple[list[Path], Path | None]:
    """The study's report notebooks; when it has none, impact's own (and where they are).

    Raises ``ImpactError`` when there are none at all: a build of nothing is a mistake.
    """
    own = find_notebooks(study)
    if own:
        return own, None
    shipped = find_notebooks(study, shipped_notebooks())
    if shipped:
        return shipped, shipped_notebooks()
    raise ImpactError(Text("Geen notebooks gevonden in {notebooks}: er is niets om te bouwen. Zet de "
                           "notebooks van het onderzoek in die map (een nieuwe studie van 'impact init' "
                           "krijgt ze vanzelf).",
                           notebooks=study.rel(study.notebooks)))


def data_hash(study: Study, prints=None) -> str:
    """sha256 over the processed tables (names and hashes): the version of the whole study's data."""
    from impact.fingerprints import Fingerprints

    prints = prints or Fingerprints(study.root)
    h = hashlib.sha256()
    files = sorted(study.processed.glob("*.parquet")) if study.processed.is_dir() else []
    for path in files:
        h.update(f"{path.name}\0{prints.sha(str(path.relative_to(study.root)))}\0".encode())
    return h.hexdigest()


def withdrawn_rows(study: Study) -> list[tuple[str, int]]:
    """What the last ``impact process`` removed because someone withdrew consent: (table, rows)."""
    path = study.processed / "withdrawals.parquet"
    if not path.is_file():
        return []
    import polars as pl

    return [(str(t), int(n)) for t, n in pl.read_parquet(path).iter_rows()]


def render_folder(study: Study) -> Path:
    """Where drawn charts are kept between builds (``impact.report.rendercache``): never published."""
    return study.root / "data" / "cache" / "render"


def _settings(study: Study) -> str:
    config = study.root / "impact.toml"
    return config.read_text(encoding="utf-8") if config.is_file() else ""


def _key(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update((part.encode() if isinstance(part, str) else part) + b"\0")
    return h.hexdigest()


def plan(study: Study, *, districts: list[str | None] | None = None, lang: str | None = None,
         notebooks: list[Path] | None = None, period: str | None = None) -> list[Job]:
    """Every report to build, with its output path and the key known before running.

    Parameters given to each notebook: ``study`` (absolute path), ``district``
    (``None`` = all), ``language`` and ``period`` (text such as ``"2022"`` or
    ``"2022-01..2022-06"``; ``None`` = the whole study). What the notebook
    reads is added to its cache entry while it runs (``impact.report.cache``).
    """
    import impact
    from impact.report.cache import rendering_hash

    lang = lang or study.config.language
    districts = districts or [None]
    common = _key(impact.__version__, rendering_hash(), lang, _settings(study))
    folder = study.reports / lang
    jobs = []
    for nb in (notebooks if notebooks is not None else report_notebooks(study)[0]):
        source = nb.read_bytes()
        for district in districts:
            params = {"study": str(study.root), "district": district, "language": lang, "period": period}
            key = _key(common, source, json.dumps(params, sort_keys=True))
            suffix = f"-{district_slug(district)}" if district else ""
            if period:
                suffix += f"-{district_slug(period)}"
            jobs.append(Job(nb, district, folder / f"{nb.stem}{suffix}.html", params, key, lang, period))
    return jobs


# --- running notebooks ---------------------------------------------------

def inject_parameters(nb, params: dict):
    """Add a cell with ``params`` after the cell tagged ``parameters`` (papermill style).

    The new cell is tagged ``injected-parameters``; an old one is replaced.
    Without a ``parameters`` cell the values go first.
    """
    import nbformat

    lines = ["# Parameters"] + [f"{name} = {value!r}" for name, value in params.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    at = next((i + 1 for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells = cells[:at] + [cell] + cells[at:]
    return nb


class NotebookFailed(Exception):
    def __init__(self, text: Text):
        super().__init__(text("en"))
        self.text = text


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _failure(job: Job, nb, original_ids: list[str], exc: BaseException) -> Text:
    """Name the notebook, the cell (as numbered in the user's notebook) and the error."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = _ANSI.sub("", str(getattr(exc, "evalue", "") or exc)).strip().splitlines()
    evalue = evalue[-1] if evalue else ""
    where_nl = where_en = ""
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            cid = cell.get("id")
            if cid in original_ids:
                n = original_ids.index(cid) + 1
                first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")[:60]
                where_nl, where_en = f", cel {n} ({first})", f", cell {n} ({first})"
            else:
                where_nl, where_en = ", in de parameters", ", in the parameters"
            break
    name = job.notebook.name + (f" ({job.district})" if job.district else "")
    return Text("{name}{where_nl}: {ename}: {evalue}",
                name=name, where_nl=where_nl, ename=ename, evalue=evalue, where_en=where_en)


def _kernel_spec_manager():
    """Kernel specs that always point at this Python (the venv with impact)."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)


class KernelPool:
    """Running Python kernels, reused by the notebooks of a build and, with ``--watch``, between builds.

    A kernel that ran a failing notebook is stopped (it may be broken); all are
    started again when impact's own code changed. ``close()`` stops them.
    """

    def __init__(self, size: int = 2, *, warm: list[str] | None = None):
        import asyncio

        self.size = max(1, size)
        self.warm = warm  # modules to import in each new kernel before it runs a notebook
        self.loop = asyncio.new_event_loop()
        self.idle: list[tuple] = []
        self.code = code_stamp()

    async def _start(self):
        from jupyter_client.manager import AsyncKernelManager

        env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
        # IPC sockets: local only, and no warning about unencrypted TCP.
        km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_kernel_spec_manager(),
                                transport="ipc", ip=str(Path(tempfile.mkdtemp(prefix="impact-kernel-")) / "k"))
        # No input history: IPython would write every cell to its SQLite file (10 ms a cell, more on a busy disk),
        # and a report never looks back at it.
        await km.start_kernel(env=env, cwd=tempfile.gettempdir(), extra_arguments=["--HistoryManager.enabled=False"])
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        if self.warm:
            # impact first: it defers a grammar that jsonschema (under altair) would build on import, 2 s
            # of CPU (impact._lazy.DeferredGrammar); in sorted order altair would come first
            code = ("import impact as _p, importlib as _i\nfor _m in %r:\n    try:\n        _i.import_module(_m)\n"
                    "    except Exception:\n        pass\ndel _p, _i, _m\n" % (sorted(self.warm),))
            if "vl_convert" in self.warm:  # its JavaScript engine starts on first use: a second
                code += "import vl_convert as _v\n_v.vega_to_svg({})\ndel _v\n"
            # what the imports made lives as long as the kernel: the garbage collector need not walk it
            # again and again while the notebooks run
            code += "import gc as _g\n_g.collect()\n_g.freeze()\ndel _g\n"
            await kc.execute_interactive(code, silent=True, store_history=False, timeout=300)
        return km, kc

    def _wait(self, coroutines) -> list:
        """Run ``coroutines`` together on the pool's own event loop."""
        import asyncio

        async def together():
            return await asyncio.gather(*coroutines)

        return self.loop.run_until_complete(together())

    @staticmethod
    async def _stop(kernel) -> None:
        km, kc = kernel
        try:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        except Exception:  # a dead kernel is already stopped
            pass

    def start(self) -> None:
        """Start (and warm up) every kernel now, before the first notebook asks."""
        self.idle += self._wait([self._start() for _ in range(self.size - len(self.idle))])

    def run(self, jobs: list[Job], execute, *, fresh: bool, on_done) -> None:
        """Run ``execute(job, kernel)`` for every job, ``size`` at a time; ``on_done(job, outcome, s)``."""
        import asyncio

        if code_stamp() != self.code:
            self._wait([self._stop(k) for k in self.idle])
            self.idle, self.code = [], code_stamp()
        queue: asyncio.Queue = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)

        async def worker() -> None:
            kernel = None
            while not queue.empty():
                job = queue.get_nowait()
                started = time.perf_counter()
                if kernel is None:
                    kernel = self.idle.pop() if self.idle else await self._start()
                try:
                    outcome = await execute(job, kernel)
                except NotebookFailed as failed:
                    outcome = failed
                if fresh or isinstance(outcome, NotebookFailed):
                    await self._stop(kernel)  # a failed notebook may leave a broken kernel
                    kernel = None
                on_done(job, outcome, time.perf_counter() - started)
            if kernel is not None:
                self.idle.append(kernel)

        self._wait([worker() for _ in range(max(1, min(self.size, len(jobs))))])

    def close(self) -> None:
        """Stop every kernel (also after Ctrl-C in the middle of a build)."""
        import asyncio

        kernels, self.idle = self.idle, []
        try:
            for task in asyncio.all_tasks(self.loop):
                task.cancel()
            self._wait([self._stop(k) for k in kernels])
        except Exception:
            for km, _ in kernels:  # the loop is gone: end the processes directly
                process = getattr(getattr(km, "provisioner", None), "process", None)
                if process is not None:
                    process.kill()
        finally:
            self.loop.close()


# What ``%reset -f`` does for a report, without its ``gc.collect()`` and alias set-up (a quarter to half a
# second a notebook in a kernel full of imports): the names of the notebook before go, and so do the
# outputs IPython keeps (Out, _, __, ___). Modules stay imported: that is the point of a warm kernel.
_CLEAR_NAMESPACE = (
    "_impact_ip, _impact_name = get_ipython(), None\n"
    "for _impact_name in [n for n in _impact_ip.user_ns if n not in _impact_ip.user_ns_hidden\n"
    "                     and n not in ('__name__', '__builtin__', '__builtins__', '_impact_ip', '_impact_name')]:\n"
    "    del _impact_ip.user_ns[_impact_name]\n"
    "_impact_ip.user_ns['_oh'].clear()\n"
    "_impact_ip.user_ns.update({'_': '', '__': '', '___': ''})\n"
    "del _impact_ip, _impact_name\n")


def _preamble(cwd: str, study: Study, lang: str):
    import nbformat

    env = {"IMPACT_STUDY": str(study.root), "IMPACT_RENDER_CACHE": str(render_folder(study))}
    check = os.environ.get("IMPACT_CHECK_CHARTS") == "1"  # the tests set it: every chart they build is checked
    cell = nbformat.v4.new_code_cell(
        f"{_CLEAR_NAMESPACE}import os as _impact_os, impact.reads as _impact_reads, impact.rendering as _impact_rendering\n"
        "import impact.report.rendercache as _impact_r\n"
        f"_impact_os.chdir({cwd!r})\n_impact_os.environ.update({env!r})\n"
        f"_impact_rendering.use(lang={lang!r}, k={study.config.privacy.k!r}, check_charts={check!r})\n"
        f"_impact_reads.start({str(study.root)!r})\n_impact_r.start()\n"
        "del _impact_os, _impact_reads, _impact_rendering, _impact_r")
    cell.metadata["tags"] = ["remove"]
    return cell


_POSTAMBLE = ("import json as _impact_json, impact.reads as _impact_reads, impact.report.cache as _impact_cache\n"
              "import impact.report.rendercache as _impact_r\n"
              "print(_impact_json.dumps({'reads': _impact_reads.stop(), 'render': _impact_r.used(), "
              "'code': _impact_cache.impact_modules_used(), 'modules': _impact_cache.modules_loaded()}))")


async def _execute(job: Job, kernel, study: Study, cwd: str):
    """Run ``job``'s notebook in ``kernel``; the executed notebook and what it read."""
    import nbformat
    from nbclient import NotebookClient

    km, kc = kernel
    nb = nbformat.reads(job.notebook.read_text(encoding="utf-8"), as_version=4)
    original_ids = [c.get("id") for c in nb.cells]
    inject_parameters(nb, job.params)
    nb.cells.insert(0, _preamble(cwd, study, job.lang))
    nb.cells.append(nbformat.v4.new_code_cell(_POSTAMBLE))
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT, allow_errors=False,
                            kernel_name="python3", resources={"metadata": {"path": cwd}})
    client.kc = kc  # reuse the running kernel's client (not a constructor option)
    try:
        await client.async_execute()
    except Exception as exc:  # CellExecutionError, timeouts, a dying kernel
        raise NotebookFailed(_failure(job, nb, original_ids, exc)) from None
    nb.cells.pop(0)
    last = nb.cells.pop()
    text = "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")
    return nb, json.loads(text.strip().splitlines()[-1])


# --- rendering -----------------------------------------------------------

def notebook_title(nb, fallback: str) -> str:
    """The report's title: the first level-1 heading piece (``show.heading(t, level=1)``),
    else the first ``# Heading`` of a markdown cell tagged ``report``, else the file name."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("impact") or {}
            if meta.get("kind") == "heading" and meta.get("level") == 1:
                return str(meta["title"])
        if cell.cell_type == "markdown" and "report" in cell.metadata.get("tags", []):
            m = re.search(r"^#\s+(.+?)\s*#*\s*$", cell.source, re.M)
            if m:
                return m.group(1)
    return re.sub(r"^\d+[_-]", "", fallback).replace("_", " ").capitalize()


def vegalite_outputs_to_pieces(nb) -> None:
    """Turn raw Altair outputs into chart pieces (static SVG), so they are offline too."""
    from impact.report.show import chart_svg

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            mime = next((m for m in output.get("data", {}) if m.startswith("application/vnd.vegalite")), None)
            if mime is None or output.get("metadata", {}).get("impact"):
                continue
            spec = output["data"][mime]
            title = spec.get("title") or ""
            title = title.get("text", "") if isinstance(title, dict) else title
            title = " ".join(title) if isinstance(title, list) else str(title)
            description = spec.get("description") or title or "Grafiek"
            svg = chart_svg(spec, title=title or description, description=description)
            output["data"] = {"text/html": f'<section class="impact-piece impact-chart" data-impact="chart">'
                                           f'<figure class="chart">{svg}</figure></section>'}
            output["metadata"] = {"impact": {"kind": "chart", "title": title}}




def build_date() -> str:
    """Today, or ``SOURCE_DATE_EPOCH`` for reproducible builds (YYYY-MM-DD)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def credits(study: Study):
    """Who is thanked as co-researcher.

    Display names come only from ``[credits] coresearchers = [...]`` in
    ``impact.toml`` (written by the researchers with the persons' consent),
    never from the private register. Without that list: the figure
    ``coresearchers_named`` (an ``impact.figures.Value``), the co-researchers
    who agreed to be named, under the same small-cell decision as the
    co-researchers table (hidden when small).
    """
    import tomllib

    config = study.root / "impact.toml"
    try:
        names = tomllib.loads(config.read_text(encoding="utf-8")).get("credits", {}).get("coresearchers")
    except (OSError, tomllib.TOMLDecodeError):
        names = None
    if names:
        return [str(n) for n in names]
    from impact.data import Tables
    from impact.figures import value

    return value("coresearchers_named", Tables(study=study))


def guard(study: Study, paths: list[Path]) -> None:
    """Refuse to publish when the privacy publish guard finds anything.

    The guard looks for names and contact data from the private register,
    Dutch personal data patterns and person counts below ``k``, and for
    the text of memos not marked for publication.
    """
    check = publish_check(study)
    for path in paths:
        check.add(path)
    refuse_findings(study, paths, check.findings())


def publish_check(study: Study):
    """The publish guard for ``study`` (``impact.privacy.PublishCheck``), with its register and ``k``; fails
    closed when the register cannot be read. Files are added one by one; the pages of one build are then
    checked together too: the whole study against its districts (``check_pages``)."""
    from impact.privacy import PublishCheck, register_values

    names, values = register_values(study)
    return PublishCheck(names, study.config.privacy.k, values=values, districts=study.config.districts)


def refuse_findings(study: Study, paths: list[Path], findings) -> None:
    """Raise ``ImpactError`` when a page holds a memo not marked for publication, or the guard found
    anything; the message names the pages (their own names, not the staging folder)."""
    from impact.coding.memos import memo_leaks

    leaks = memo_leaks(study, paths)
    if leaks:
        shown = ", ".join(Path(p).name for p in leaks)
        raise ImpactError(Text("Niet gepubliceerd: {shown} bevat een memo die niet voor publicatie is "
                               "gemarkeerd (publish: ja). De vorige rapporten blijven staan.",
                               shown=shown))
    if not findings:
        return
    folders = {str(Path(p).parent) + os.sep for p in paths}

    def shown(finding, lang: str) -> str:
        text = finding.render(lang)
        for folder in folders:  # staged files: show the report's own name
            text = text.replace(folder, "")
        return "- " + text

    found = lambda lang: "\n".join(shown(f, lang) for f in findings)  # noqa: E731 - a value shown per language
    found.per_language = True
    raise ImpactError(Text("Niet gepubliceerd: de privacycontrole vond iets in de rapporten. De vorige rapporten "
                           "blijven staan.\n{found}", found=found))


# --- the whole build -----------------------------------------------------

Progress = Callable[[str, Job | None, JobResult | None], None]


def build_reports(study: Study, *, districts: list[str | None] | None = None, lang: str | None = None,
                  period: str | None = None,
                  workers: int = 2, fresh_kernels: bool = False, force: bool = False,
                  infographic: bool = True, progress: Progress | None = None,
                  notebooks: list[Path] | None = None, kernels: KernelPool | None = None) -> BuildResult:
    """Build every report (and the infographic) of ``study`` into ``reports/<lang>/``.

    ``districts``: build one report per district (``None`` in the list is the
    whole study; the infographic is made with the whole study only).
    ``progress(event, job, result)`` is called with ``"plan"``, ``"done"`` and
    ``"publish"`` events. Reports that are up to date are not run again
    (``force=True`` runs them anyway). ``kernels``: a running ``KernelPool``
    to use (and keep running); by default one is started and stopped here.
    """
    from impact.report import rendercache
    from impact.report.cache import BuildCache

    lang = lang or study.config.language
    unknown = [d for d in (districts or []) if d is not None and d not in study.config.districts]
    if unknown:
        raise ImpactError(Text("Onbekend stadsdeel: {unknown}. Kies uit: {districts}.",
                               unknown=', '.join(unknown), districts=', '.join(study.config.districts)))
    result = BuildResult()
    if notebooks is None:
        notebooks, result.shipped_notebooks = report_notebooks(study)
    jobs = plan(study, districts=districts, lang=lang, notebooks=notebooks, period=period)
    study.reports.mkdir(parents=True, exist_ok=True)
    _forget_old_layout(study)
    cache = BuildCache(study.root)
    todo = [j for j in jobs if force or not cache.fresh(j.name, j.key, [j.output])]
    for job in jobs:
        if job not in todo:
            result.results.append(JobResult(job, "cached", title=cache.entries[job.name].get("title", "")))
    if progress:
        progress("plan", None, None)
        for r in result.results:
            progress("done", r.job, r)

    drawing = None
    try:
        with rendercache.kept_in(render_folder(study)):
            if infographic and None in (districts or [None]):
                # drawn here while the kernels run the notebooks (they are other processes)
                drawing = _Background(lambda: cached_infographic(study, lang=lang, cache=cache, force=force))
            if todo:
                _build_jobs(study, todo, lang=lang, workers=workers, fresh=fresh_kernels, cache=cache,
                            result=result, progress=progress, kernels=kernels)
            if drawing is not None:
                result.infographic, result.infographic_built = drawing.result()
    finally:
        if drawing is not None:
            drawing.thread.join()
        cache.save()  # what was published stays known, also when the guard stopped the rest
        # drawn charts that no report uses any more
        rendercache.prune(render_folder(study), {k for e in cache.entries.values() for k in e.get("render", [])})
    result.index = write_index(study, cache=cache)
    order = {j.name: i for i, j in enumerate(jobs)}
    result.results.sort(key=lambda r: order[r.job.name])
    return result


class _Background:
    """Run ``work()`` in a thread; ``result()`` waits for it and raises what it raised."""

    def __init__(self, work):
        import threading

        self.value = self.error = None

        def run():
            try:
                self.value = work()
            except BaseException as exc:  # handed to the caller in result()
                self.error = exc

        self.thread = threading.Thread(target=run, name="impact-infographic", daemon=True)
        self.thread.start()

    def result(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


def _forget_old_layout(study: Study) -> None:
    """Remove what builds before language folders left in ``reports/``: their private cache files
    and the pages and infographic files that cache lists (made by impact, now in ``reports/<lang>/``)."""
    from impact.report.infographic import INFOGRAPHIC_FILES

    old = study.reports / ".build-cache.json"
    stamp = study.reports / ".infographic-key"
    if not old.is_file() and not stamp.is_file():
        return
    try:
        names = list(json.loads(old.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        names = []
    if stamp.is_file():
        names += list(INFOGRAPHIC_FILES)
    for name in names:
        if "/" not in name and name.endswith(tuple(f".{x}" for x in ("html", "svg", "png", "pdf"))):
            (study.reports / name).unlink(missing_ok=True)
    old.unlink(missing_ok=True)
    stamp.unlink(missing_ok=True)


def _build_jobs(study: Study, todo: list[Job], *, lang: str, workers: int, fresh: bool,
                cache, result: BuildResult, progress: Progress | None, kernels: KernelPool | None) -> None:
    import threading

    # Import nbconvert while the kernels start: it takes seconds and is needed for the first page.
    warm = threading.Thread(target=lambda: __import__("nbconvert.exporters.html"), daemon=True)
    warm.start()
    cwd = str(todo[0].notebook.parent)
    executed: list[tuple[Job, object, float]] = []

    def on_done(job, outcome, seconds):
        executed.append((job, outcome, seconds))
        if progress and isinstance(outcome, NotebookFailed):
            progress("done", job, JobResult(job, "failed", error=outcome.text, seconds=seconds))
        elif progress:
            progress("done", job, JobResult(job, "built", seconds=seconds))

    # Each page is made and checked by the publish guard as soon as its notebook is done, in one thread
    # beside the kernels still running (the guard and nbconvert are Python: they would wait otherwise).
    from concurrent.futures import ThreadPoolExecutor

    staging = Path(tempfile.mkdtemp(dir=study.reports, prefix=".staging-"))
    pages = ThreadPoolExecutor(1, thread_name_prefix="impact-page")
    made: dict[str, object] = {}  # job name -> future of (JobResult, path, inputs, drawn)
    shared: dict[str, object] = {}  # the credits and the guard, made once by the page thread

    def page_of(job: Job, nb, used: dict, seconds: float):
        warm.join()
        return _stage_page(study, job, nb, used, seconds, lang=lang, cache=cache, staging=staging, shared=shared)

    def on_done_and_stage(job, outcome, seconds):
        on_done(job, outcome, seconds)
        if not isinstance(outcome, NotebookFailed):
            made[job.name] = pages.submit(page_of, job, *outcome, seconds)

    pool = kernels or KernelPool(workers)
    try:
        try:
            pool.run(todo, lambda job, kernel: _execute(job, kernel, study, cwd), fresh=fresh,
                     on_done=on_done_and_stage)
        finally:
            if kernels is None:
                pool.close()
            pages.shutdown(wait=True)
        staged: list[tuple[JobResult, Path, list[str], list[str]]] = []
        for job, outcome, seconds in executed:
            if isinstance(outcome, NotebookFailed):
                result.results.append(JobResult(job, "failed", error=outcome.text, seconds=seconds))
                continue
            staged.append(made[job.name].result())  # raises what making or checking the page raised
        if staged:
            refuse_findings(study, [p for _, p, _, _ in staged], shared["check"].findings())
        for res, path, inputs, drawn in staged:
            publish(path, res.job.output)
            job = res.job
            cache.record(job.name, key=job.key, outputs=[job.output], inputs=inputs, kind="report",
                         title=res.title, notebook=job.notebook.name, district=job.district, lang=job.lang,
                         period=job.period, render=drawn)
            result.results.append(res)
        if progress:
            progress("publish", None, None)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage_page(study: Study, job: Job, nb, used: dict, seconds: float, *, lang: str, cache, staging: Path,
                shared: dict) -> tuple[JobResult, Path, list[str], list[str]]:
    """Render one executed notebook into ``staging`` and give it to the build's publish guard."""
    import impact
    from impact.report import rendercache
    from impact.report.html import footer_html, notebook_to_html

    if "check" not in shared:
        shared["check"] = publish_check(study)  # the register read once per build (or fail closed)
        shared["credits"] = credits(study)
    # the footer's credits come from these tables (or impact.toml, in every key)
    footer_inputs = ["data/processed/people.parquet", "data/processed/consent.parquet"]
    cache.warm.update(used["modules"])
    data = sorted(set(used["reads"]) | set(footer_inputs))
    title = notebook_title(nb, job.notebook.stem)
    if job.district:
        title = f"{title} · {job.district}"
    if job.period:
        title = f"{title} · {job.period}"
    rendercache.start()
    vegalite_outputs_to_pieces(nb)
    drawn = sorted({*used.get("render", []), *rendercache.used()})
    footer = footer_html(lang=lang, version=impact.__version__, date=build_date(),
                         data_hash=cache.inputs_hash(data), credits=shared["credits"])
    page = notebook_to_html(nb, meta={
        "lang": lang, "title": title, "study": study.config.name, "district": job.district,
        "synthetic": study.config.synthetic, "version": impact.__version__, "footer": footer,
        "index_href": "../index.html"})
    path = staging / job.output.name
    path.write_text(page, encoding="utf-8")
    shared["check"].add(path)
    return JobResult(job, "built", title=title, seconds=seconds), path, data + used["code"], drawn


def cached_infographic(study: Study, *, lang: str, cache=None, force: bool = False) -> tuple[list[Path], bool]:
    """The infographic in ``reports/<lang>/``, made again only when what it read last time changed.

    Returns its files and whether it was made now.
    """
    import impact
    from impact import reads
    from impact.report import rendercache
    from impact.report.cache import BuildCache, impact_modules_used, rendering_hash
    from impact.report.infographic import INFOGRAPHIC_FILES, LAYOUT_NAME, make_infographic

    own = cache is None
    cache = cache or BuildCache(study.root)
    folder = study.reports / lang
    targets = [folder / name for name in INFOGRAPHIC_FILES]
    name = f"{lang}/infographic"
    key = _key(impact.__version__, rendering_hash(), lang, _settings(study), "infographic")
    if not force and cache.fresh(name, key, targets):
        return targets, False
    reads.start(study.root)
    rendercache.start()
    try:
        with rendercache.kept_in(render_folder(study)):
            make_infographic(study, lang=lang, folder=folder, publish_guard=guard)
    finally:
        used = reads.stop()
    # the layout file counts even when this run wrote it with defaults (it was not read then)
    cache.record(name, key=key, outputs=targets, inputs=sorted({*used, LAYOUT_NAME}) + impact_modules_used(),
                 kind="infographic", lang=lang, render=rendercache.used())
    if own:
        cache.save()
    return targets, True


def write_index(study: Study, *, cache=None) -> Path:
    """Write ``reports/index.html``: every report and infographic on disk, per language."""
    import impact
    from impact.report.cache import BuildCache
    from impact.report.html import footer_html, index_html
    from impact.report.infographic import infographic_labels

    cache = cache or BuildCache(study.root)
    sections: dict[str, dict] = {}
    for name, entry in sorted(cache.entries.items()):
        lang = entry.get("lang") or name.split("/")[0]
        outputs = [study.root / rel for rel in entry.get("outputs", {})]
        if not outputs or not all(p.is_file() for p in outputs):
            continue
        section = sections.setdefault(lang, {"reports": [], "infographics": []})
        if entry.get("kind") == "report":
            order = (entry.get("district") or "", entry.get("period") or "", name)
            section["reports"].append((order, name, entry.get("title") or name))
        elif entry.get("kind") == "infographic":
            section["infographics"] = [(f"{lang}/{file}", label) for file, label in infographic_labels(lang)]
    main = study.config.language
    ordered = sorted(sections, key=lambda lang: (lang != main, lang))
    page = index_html(
        lang=main, study=study.config.name, synthetic=study.config.synthetic,
        sections=[(lang, LANGUAGE_NAMES.get(lang, lang),
                   [(href, title) for _, href, title in sorted(sections[lang]["reports"])],
                   sections[lang]["infographics"]) for lang in ordered],
        footer=footer_html(lang=main, version=impact.__version__, date=build_date(),
                           data_hash=data_hash(study, cache.prints), credits=[]))
    path = study.reports / "index.html"
    if not path.is_file() or path.read_text(encoding="utf-8") != page:
        write_atomic(path, page, mode=PUBLISHED_MODE)
    elif path.stat().st_mode & 0o777 != PUBLISHED_MODE:
        os.chmod(path, PUBLISHED_MODE)
    return path
