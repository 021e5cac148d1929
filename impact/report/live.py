"""Live rebuilds in a meeting: ``impact build --watch`` and ``impact serve``.

``watch`` builds once, then waits for changes in ``data/raw/``,
``questionnaires/``, ``notebooks/``, ``impact.toml`` and
``infographic.toml`` (with ``watchfiles``). A change in the raw data,
questionnaires or settings runs ``impact process`` (only what changed is
read again), then the build makes only the reports whose inputs changed, in
kernels that stay warm between builds. A failing notebook keeps its last good
report and the message names the cell.

``ReportServer`` shows ``reports/`` on 127.0.0.1 only. Pages it sends get a
few lines of script that ask the server every second whether ``reports/``
changed and reload the page when it did, so a projector follows the
rebuilds. The files on disk stay without scripts.

Example:
    >>> server = ReportServer(Path("."), port=0)   # doctest: +SKIP
    >>> server.start(); server.url                   # doctest: +SKIP
    'http://127.0.0.1:40123/'
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from impact.errors import ImpactError, Text
from impact.study import Study

VERSION_PATH = "/__impact/version"
RELOAD_SCRIPT = (
    "<script>/* impact serve: reload when the reports change (not in the files on disk) */\n"
    "(function(){var seen=null;function ask(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text();}).then(function(v){if(seen!==null&&v!==seen){location.reload();}"
    "seen=v;}).catch(function(){}).then(function(){setTimeout(ask,1000);});}ask();})();</script>\n")
SETTINGS = ("impact.toml", "infographic.toml")


def reports_version(folder: Path) -> str:
    """Changes whenever a file in ``folder`` is written, added or removed."""
    stamps = []
    for path in folder.rglob("*"):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            stamps.append(f"{path.relative_to(folder)}:{path.stat().st_mtime_ns}")
    return str(hash("\n".join(sorted(stamps))) & 0xFFFFFFFFFFFF)


class ReportServer:
    """``reports/`` over HTTP on 127.0.0.1, with a page reload after every rebuild."""

    def __init__(self, folder: Path, port: int = 8000):
        self.folder, self.port = folder, port
        self.httpd = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def _handler(self):
        from http.server import SimpleHTTPRequestHandler

        folder = self.folder

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def end_headers(self):
                self.send_header("Cache-Control", "no-store")
                super().end_headers()

            def do_GET(self):
                if self.path == VERSION_PATH:
                    return self._send(reports_version(folder).encode(), "text/plain; charset=utf-8")
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if path.suffix == ".html" and path.is_file():
                    page = path.read_text(encoding="utf-8")
                    at = page.rfind("</body>")
                    page = page[:at] + RELOAD_SCRIPT + page[at:] if at >= 0 else page + RELOAD_SCRIPT
                    return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
                return super().do_GET()

            def _send(self, body: bytes, kind: str):
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # quiet: the meeting looks at the build's messages
                pass

        return Handler

    def start(self) -> str:
        """Start serving in a background thread; returns the address. A busy port: the next free one."""
        from http.server import ThreadingHTTPServer

        self.folder.mkdir(parents=True, exist_ok=True)
        last = None
        for port in ([self.port] if self.port == 0 else range(self.port, self.port + 20)):
            try:
                self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
                break
            except OSError as err:
                last = err
        else:
            raise ImpactError(Text("Geen vrije poort gevonden vanaf {port} ({last}). Kies er een met --port.",
                                   port=self.port, last=last))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="impact-serve", daemon=True)
        self.thread.start()
        return self.url

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


# --- watching ----------------------------------------------------------------

@dataclass
class Round:
    """One rebuild: what changed, which tables ``process`` rewrote, the build's result, how long."""

    changed: list[str] = field(default_factory=list)
    tables: list[str] | None = None  # None: not processed
    result: object = None
    error: ImpactError | None = None
    seconds: float = 0.0


def _watched(study: Study, notebooks: Path) -> list[Path]:
    return [p for p in (study.raw, study.questionnaires, notebooks) if p.is_dir()]


def _settings_stamp(study: Study) -> tuple:
    return tuple((name, (study.root / name).stat().st_mtime_ns if (study.root / name).is_file() else None)
                 for name in SETTINGS)


def _needs_processing(study: Study, changed: list[str]) -> bool:
    """Raw data, questionnaires or settings changed (a notebook alone needs no ``process``)."""
    roots = [study.raw, study.questionnaires]
    for rel in changed:
        path = (study.root / rel).resolve()
        if rel in SETTINGS or any(path.is_relative_to(r) for r in roots):
            return True
    return False


def rebuild(study: Study, changed: list[str], *, kernels, build_options: dict, first: bool = False) -> Round:
    """Process (when raw data, questionnaires or settings changed) and build; never raises a user's mistake."""
    from impact.process import process_study
    from impact.report.build import build_reports

    started = time.perf_counter()
    done = Round(changed=changed)
    try:
        study = Study.load(study.root)  # impact.toml may have changed
        has_raw = study.raw.is_dir() and any(p.is_file() for p in study.raw.rglob("*") if p.name != ".gitkeep")
        if has_raw and (first or _needs_processing(study, changed)):
            done.tables = process_study(study).written
        done.result = build_reports(study, kernels=kernels, **build_options)
    except ImpactError as err:
        done.error = err
    done.seconds = time.perf_counter() - started
    return done


def watch(study: Study, *, build_options: dict, workers: int = 2, on_round: Callable[[Round], None],
          stop: threading.Event | None = None, on_ready: Callable[[], None] | None = None) -> None:
    """Build now and after every change until Ctrl-C (or ``stop`` is set); ``on_round`` reports each build.

    Kernels stay warm between builds and are stopped at the end, also after Ctrl-C.
    """
    import logging

    import watchfiles

    from impact.report.build import WARM_IMPORTS, KernelPool, report_notebooks

    # deduce (imported when process meets a new text) calls logging.basicConfig(DEBUG, stdout) on
    # import; configured first, that is a no-op and the meeting's screen shows no debug lines
    logging.basicConfig(level=logging.WARNING)
    from impact.report.cache import BuildCache

    pool = KernelPool(workers, warm=[*WARM_IMPORTS, *BuildCache(study.root).warm])
    try:
        pool.start()
        on_round(rebuild(study, [], kernels=pool, build_options=build_options, first=True))
        if on_ready:
            on_ready()
        try:
            folder = report_notebooks(study)[1] or study.notebooks
        except ImpactError:
            folder = study.notebooks
        settings = _settings_stamp(study)
        ignore = watchfiles.DefaultFilter(
            ignore_dirs=(*watchfiles.DefaultFilter.ignore_dirs, ".ipynb_checkpoints"),
            ignore_entity_patterns=(*watchfiles.DefaultFilter.ignore_entity_patterns, r"^~\$", r"^\..*\.tmp$"))
        for changes in watchfiles.watch(*_watched(study, folder), watch_filter=ignore, stop_event=stop,
                                        yield_on_timeout=True, rust_timeout=500, debounce=300):
            added = {path for change, path in changes if change == watchfiles.Change.added}
            # an editor's temporary file (written and removed at once) is no change
            changed = sorted({_rel(study, path) for _, path in changes
                              if path not in added or Path(path).exists()})
            now = _settings_stamp(study)
            if now != settings:  # watched by polling: editors replace these files rather than write them
                changed += [name for (name, a), (_, b) in zip(settings, now) if a != b]
                settings = now
            if changed:
                on_round(rebuild(study, changed, kernels=pool, build_options=build_options))
    finally:
        pool.close()


def _rel(study: Study, path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(study.root)).replace(os.sep, "/")
    except ValueError:
        return path
