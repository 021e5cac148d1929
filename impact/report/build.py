"""``impact build``: run the notebooks and publish offline HTML reports.

Steps: find the notebooks, work out a content hash for each report
(notebook, processed data, impact's code and version, study settings,
parameters, language), run only those whose hash changed, at the same time
in a few kernels, render them with the report template, check them with the
privacy publish guard, and move them into ``reports/`` one by one with an
atomic rename. A notebook that fails keeps its last good report; the
message names the notebook, the cell and the error.

Kernels are reused between notebooks of one build (the namespace is
cleared with ``%reset -f`` before each notebook), so heavy imports such as
polars and altair happen once per kernel, not once per notebook. Use
``fresh_kernels=True`` for a new kernel per notebook.

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
from impact.study import Study

CACHE_NAME = ".build-cache.json"
CELL_TIMEOUT = 600
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Job:
    """One report to build: a notebook, for one district or for all."""

    notebook: Path
    district: str | None
    output: Path
    params: dict
    key: str

    @property
    def name(self) -> str:
        return self.output.name


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

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "failed"]

    def raise_for_failures(self) -> None:
        """Raise ``ImpactError`` naming every notebook that failed."""
        if not self.failed:
            return
        n = len(self.failed)
        head = Text(
            f"{n} rapport(en) niet gemaakt. Het vorige rapport blijft staan. Verbeter het notebook en bouw opnieuw.",
            f"{n} report(s) not built. The previous report stays in place. Fix the notebook and build again.")
        errors = [r.error or Text("onbekende fout", "unknown error") for r in self.failed]
        raise ImpactError(Text("\n".join([head.nl] + [f"- {e.nl}" for e in errors]),
                               "\n".join([head.en] + [f"- {e.en}" for e in errors])))


# --- what to build -------------------------------------------------------

def district_slug(district: str) -> str:
    """``Nieuw-West`` -> ``nieuw-west`` (for file names)."""
    return re.sub(r"[^a-z0-9]+", "-", district.lower()).strip("-") or "district"


def find_notebooks(study: Study) -> list[Path]:
    """The study's report notebooks: ``notebooks/*.ipynb``, sorted.

    Left out: names starting with ``_`` or ``.``, and notebooks for work
    rather than reading (a coding widget) whose metadata says
    ``"impact": {"report": false}``.
    """
    if not study.notebooks.is_dir():
        return []
    found = []
    for path in sorted(study.notebooks.glob("*.ipynb")):
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


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def data_hash(study: Study) -> str:
    """sha256 over the processed tables (names and bytes), the data's version."""
    return _hash_files(sorted(study.processed.glob("*.parquet")) if study.processed.is_dir() else [])


def code_hash() -> str:
    """sha256 over impact's own code and templates: a change there rebuilds."""
    files = sorted(p for p in PACKAGE_ROOT.rglob("*")
                   if p.suffix in (".py", ".j2", ".json", ".css") and "__pycache__" not in p.parts)
    return _hash_files(files)


def plan(study: Study, *, districts: list[str | None] | None = None, lang: str | None = None,
         notebooks: list[Path] | None = None, period: str | None = None) -> list[Job]:
    """Every report to build, with its output path and cache key.

    Parameters given to each notebook: ``study`` (absolute path), ``district``
    (``None`` = all), ``language`` and ``period`` (text such as ``"2022"`` or
    ``"2022-01..2022-06"``; ``None`` = the whole study).
    """
    import impact

    lang = lang or study.config.language
    districts = districts or [None]
    config = study.root / "impact.toml"
    common = hashlib.sha256()
    for part in (impact.__version__, code_hash(), data_hash(study), lang,
                 config.read_text(encoding="utf-8") if config.is_file() else ""):
        common.update(part.encode() + b"\0")
    jobs = []
    for nb in (notebooks if notebooks is not None else find_notebooks(study)):
        source = nb.read_bytes()
        for district in districts:
            params = {"study": str(study.root), "district": district, "language": lang, "period": period}
            key = hashlib.sha256(common.digest() + source
                                 + json.dumps(params, sort_keys=True).encode()).hexdigest()
            suffix = f"-{district_slug(district)}" if district else ""
            if period:
                suffix += f"-{district_slug(period)}"
            jobs.append(Job(nb, district, study.reports / f"{nb.stem}{suffix}.html", params, key))
    return jobs


# --- the cache -----------------------------------------------------------

def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def read_cache(reports: Path) -> dict:
    try:
        return json.loads((reports / CACHE_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def is_fresh(job: Job, cache: dict) -> bool:
    """True when the job's report exists, is unchanged and has the same key."""
    entry = cache.get(job.output.name)
    return bool(entry and entry.get("key") == job.key
                and entry.get("sha256") == _file_hash(job.output))


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``path`` via a temporary file and a rename: never half a file."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    return Text(f"{name}{where_nl}: {ename}: {evalue}", f"{name}{where_en}: {ename}: {evalue}")


def _kernel_spec_manager():
    """Kernel specs that always point at this Python (the venv with impact)."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)


async def _start_kernel(env: dict, cwd: str):
    from jupyter_client.manager import AsyncKernelManager

    # IPC sockets: local only, and no warning about unencrypted TCP.
    km = AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_kernel_spec_manager(),
                            transport="ipc", ip=str(Path(tempfile.mkdtemp(prefix="impact-kernel-")) / "k"))
    await km.start_kernel(env=env, cwd=cwd)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=120)
    return km, kc


async def _stop_kernel(km, kc) -> None:
    try:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
    except Exception:  # a dead kernel is already stopped
        pass


def _preamble(cwd: str):
    import nbformat

    cell = nbformat.v4.new_code_cell(
        "%reset -f\nimport os as _impact_os\n"
        f"_impact_os.chdir({cwd!r})\ndel _impact_os")
    cell.metadata["tags"] = ["remove"]
    return cell


async def _execute(job: Job, km, kc, cwd: str):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(job.notebook.read_text(encoding="utf-8"), as_version=4)
    original_ids = [c.get("id") for c in nb.cells]
    inject_parameters(nb, job.params)
    nb.cells.insert(0, _preamble(cwd))
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT, allow_errors=False,
                            kernel_name="python3", resources={"metadata": {"path": cwd}})
    client.kc = kc  # reuse the running kernel's client (not a constructor option)
    try:
        await client.async_execute()
    except Exception as exc:  # CellExecutionError, timeouts, a dying kernel
        raise NotebookFailed(_failure(job, nb, original_ids, exc)) from None
    nb.cells.pop(0)
    return nb


async def _run_jobs(jobs: list[Job], *, env: dict, cwd: str, workers: int, fresh: bool,
                    on_done: Callable[[Job, object, float], None]) -> None:
    import asyncio

    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        km = kc = None
        while not queue.empty():
            job = queue.get_nowait()
            started = time.perf_counter()
            if km is None:
                km, kc = await _start_kernel(env, cwd)
            try:
                outcome = await _execute(job, km, kc, cwd)
            except NotebookFailed as failed:
                outcome = failed
            if fresh or isinstance(outcome, NotebookFailed):
                await _stop_kernel(km, kc)  # a failed notebook may leave a broken kernel
                km = kc = None
            on_done(job, outcome, time.perf_counter() - started)
        if km is not None:
            await _stop_kernel(km, kc)

    await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(jobs))))))


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
    from impact.coding.memos import memo_leaks
    from impact.privacy import check_publish, register_values

    leaks = memo_leaks(study, paths)
    if leaks:
        shown = ", ".join(Path(p).name for p in leaks)
        raise ImpactError(Text(
            f"Niet gepubliceerd: {shown} bevat een memo die niet voor publicatie is gemarkeerd (publish: ja). "
            f"De vorige rapporten blijven staan.",
            f"Not published: {shown} holds a memo that is not marked for publication (publish: yes). "
            f"The previous reports stay in place."))
    names, values = register_values(study)
    # the pages of this build together too: the whole study against its districts (check_pages)
    findings = check_publish(paths, names=names, k=study.config.privacy.k, values=values,
                             districts=study.config.districts)
    if not findings:
        return
    folders = {str(Path(p).parent) + os.sep for p in paths}

    def shown(finding, lang: str) -> str:
        text = finding.render(lang)
        for folder in folders:  # staged files: show the report's own name
            text = text.replace(folder, "")
        return "- " + text

    raise ImpactError(Text(
        "\n".join(["Niet gepubliceerd: de privacycontrole vond iets in de rapporten. "
                   "De vorige rapporten blijven staan."] + [shown(f, "nl") for f in findings]),
        "\n".join(["Not published: the privacy check found something in the reports. "
                   "The previous reports stay in place."] + [shown(f, "en") for f in findings])))


# --- the whole build -----------------------------------------------------

Progress = Callable[[str, Job | None, JobResult | None], None]


def build_reports(study: Study, *, districts: list[str | None] | None = None, lang: str | None = None,
                  period: str | None = None,
                  workers: int = 2, fresh_kernels: bool = False, force: bool = False,
                  infographic: bool = True, progress: Progress | None = None,
                  notebooks: list[Path] | None = None) -> BuildResult:
    """Build every report (and the infographic) of ``study`` into ``reports/``.

    ``districts``: build one report per district (``None`` in the list is the
    whole study). ``progress(event, job, result)`` is called with
    ``"plan"``, ``"done"`` and ``"publish"`` events. Reports whose cache key
    is unchanged are not run again (``force=True`` runs them anyway).
    """

    lang = lang or study.config.language
    unknown = [d for d in (districts or []) if d is not None and d not in study.config.districts]
    if unknown:
        raise ImpactError(Text(
            f"Onbekend stadsdeel: {', '.join(unknown)}. Kies uit: {', '.join(study.config.districts)}.",
            f"Unknown district: {', '.join(unknown)}. Choose from: {', '.join(study.config.districts)}."))
    jobs = plan(study, districts=districts, lang=lang, notebooks=notebooks, period=period)
    study.reports.mkdir(parents=True, exist_ok=True)
    cache = read_cache(study.reports)
    result = BuildResult()
    todo = [j for j in jobs if force or not is_fresh(j, cache)]
    for job in jobs:
        if job not in todo:
            result.results.append(JobResult(job, "cached", title=cache[job.output.name].get("title", "")))
    if progress:
        progress("plan", None, None)
        for r in result.results:
            progress("done", r.job, r)

    if todo:
        _build_jobs(study, todo, lang=lang, workers=workers, fresh=fresh_kernels, cache=cache,
                    result=result, progress=progress)

    if infographic:
        from impact.report.infographic import make_infographic

        result.infographic = make_infographic(study, lang=lang, force=force, publish_guard=guard)
    result.index = write_index(study, lang=lang, cache=read_cache(study.reports))
    order = {j.output.name: i for i, j in enumerate(jobs)}
    result.results.sort(key=lambda r: order[r.job.output.name])
    return result


def _build_jobs(study: Study, todo: list[Job], *, lang: str, workers: int, fresh: bool,
                cache: dict, result: BuildResult, progress: Progress | None) -> None:
    import asyncio
    import threading

    import impact

    # Import nbconvert while the kernels start: it takes seconds and is needed only at the end.
    warm = threading.Thread(target=lambda: __import__("nbconvert.exporters.html"), daemon=True)
    warm.start()
    env = dict(os.environ, IMPACT_STUDY=str(study.root), IMPACT_LANG=lang,
               IMPACT_K=str(study.config.privacy.k), MPLBACKEND="Agg",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    cwd = str(study.notebooks)
    executed: list[tuple[Job, object, float]] = []

    def on_done(job, outcome, seconds):
        executed.append((job, outcome, seconds))
        if progress and isinstance(outcome, NotebookFailed):
            progress("done", job, JobResult(job, "failed", error=outcome.text, seconds=seconds))
        elif progress:
            progress("done", job, JobResult(job, "built", seconds=seconds))

    asyncio.run(_run_jobs(todo, env=env, cwd=cwd, workers=workers, fresh=fresh, on_done=on_done))
    warm.join()

    from impact.report.html import footer_html, notebook_to_html

    footer = footer_html(lang=lang, version=impact.__version__, date=build_date(),
                         data_hash=data_hash(study), credits=credits(study))
    staging = Path(tempfile.mkdtemp(dir=study.reports, prefix=".staging-"))
    try:
        staged: list[tuple[JobResult, Path]] = []
        for job, outcome, seconds in executed:
            if isinstance(outcome, NotebookFailed):
                result.results.append(JobResult(job, "failed", error=outcome.text, seconds=seconds))
                continue
            title = notebook_title(outcome, job.notebook.stem)
            if job.district:
                title = f"{title} · {job.district}"
            vegalite_outputs_to_pieces(outcome)
            page = notebook_to_html(outcome, meta={
                "lang": lang, "title": title, "study": study.config.name, "district": job.district,
                "synthetic": study.config.synthetic, "version": impact.__version__, "footer": footer})
            path = staging / job.output.name
            path.write_text(page, encoding="utf-8")
            staged.append((JobResult(job, "built", title=title, seconds=seconds), path))
        if staged:
            guard(study, [p for _, p in staged])
        for res, path in staged:
            os.replace(path, res.job.output)
            cache[res.job.output.name] = {"key": res.job.key, "title": res.title,
                                          "sha256": _file_hash(res.job.output),
                                          "notebook": res.job.notebook.name, "district": res.job.district}
            result.results.append(res)
        if progress:
            progress("publish", None, None)
        write_atomic(study.reports / CACHE_NAME, json.dumps(cache, indent=1, sort_keys=True))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_index(study: Study, *, lang: str, cache: dict) -> Path:
    """Write ``reports/index.html`` linking every report on disk (and the infographic)."""
    import impact
    from impact.report.html import footer_html, index_html

    reports = sorted((name, entry.get("title") or name) for name, entry in cache.items()
                     if (study.reports / name).is_file())
    from impact.report.infographic import INFOGRAPHIC_FILES, infographic_labels

    infographics = [(name, label) for name, label in infographic_labels(lang)
                    if (study.reports / name).is_file() and name in INFOGRAPHIC_FILES]
    footer = footer_html(lang=lang, version=impact.__version__, date=build_date(),
                         data_hash=data_hash(study), credits=[])
    page = index_html(lang=lang, study=study.config.name, reports=reports, infographics=infographics,
                      footer=footer, synthetic=study.config.synthetic)
    path = study.reports / "index.html"
    if not path.is_file() or path.read_text(encoding="utf-8") != page:
        write_atomic(path, page)
    return path
