"""A warm helper: the next ``impact process`` and ``impact build`` of a study in seconds.

A build in a new process pays, before any notebook runs, for starting
Python kernels and importing polars, pandas, altair, scipy and vl-convert in
them: seconds on a small laptop, more than the notebooks themselves after a
small change. So after a build that ran notebooks, ``impact build`` leaves a
helper process for the study: two kernels with those imports done, waiting.
The next ``impact process`` and ``impact build`` of that study (from any
terminal of the same user) hand their work to it and print its messages as
their own; the work is the same (``process_study``, ``build_reports``), only
the imports are done already.

The helper:

* waits ``[build] keep_warm_minutes`` (``impact.toml``) after its last job,
  then stops. Not set: a helper only when ``impact build`` runs in a terminal
  (not in scripts or tests), for ``WARM_MINUTES``; 0: never;
* listens on a Unix socket in a folder only this user can open
  (``<tmp>/impact-<uid>/``), nowhere on the network;
* stops by itself when impact's code changes (the next command works
  without it and starts a new one), when the study folder is gone, and with
  ``impact stop``;
* does one job at a time; a command that finds no helper (or one that stops
  halfway) does the work itself.

Example:
    >>> ask(Path("/no/such/study"), {"do": "hello"}) is None   # no helper: do it here
    True
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from impact.errors import ImpactError
from impact.fingerprints import code_stamp
from impact.text import PerLanguage

# environment a command hands to the helper for its job (the helper started with its first command's)
PASSED_ENV = ("SOURCE_DATE_EPOCH", "IMPACT_CHECK_CHARTS")


def available() -> bool:
    return hasattr(socket, "AF_UNIX")


def _folder() -> Path | None:
    """``<tmp>/impact-<uid>``, made private; None when it is not ours alone (then no helper at all)."""
    folder = Path(tempfile.gettempdir()) / f"impact-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077 or not folder.is_dir() or folder.is_symlink():
        return None
    return folder


def address(root: Path) -> Path | None:
    """The socket of ``root``'s helper (short: Unix sockets allow about 100 characters)."""
    folder = _folder()
    if folder is None:
        return None
    name = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:20]
    return folder / f"{name}.sock"


def keep_minutes(study, interactive: bool | None = None) -> int:
    """How long a helper for ``study`` waits: ``[build] keep_warm_minutes``, else ``WARM_MINUTES`` at a
    terminal and 0 elsewhere."""
    from impact.study import WARM_MINUTES

    configured = study.config.build.keep_warm_minutes
    if configured is not None:
        return configured
    if interactive is None:
        interactive = sys.stdin.isatty() and sys.stdout.isatty()
    return WARM_MINUTES if interactive else 0


# --- the command's side -----------------------------------------------------------

def _send(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message).encode() + b"\n")


def _lines(sock: socket.socket):
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line)


def ask(root: Path, request: dict, on_event: Callable[[dict], None] | None = None,
        timeout: float = 3600) -> dict | None:
    """Hand ``request`` to ``root``'s helper; its answer, or None when there is no (usable) helper.

    ``on_event`` gets the helper's messages while it works. A helper of other code stops and answers
    None; so does one that stops halfway (the command then does the work itself).
    """
    path = address(root) if available() else None
    if path is None or not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(2)
        sock.connect(str(path))
        sock.settimeout(timeout)
        env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
        _send(sock, {**request, "stamp": code_stamp(), "env": env})
        for message in _lines(sock):
            if "event" in message:
                if on_event:
                    on_event(message)
            elif message.get("stale"):
                return None
            else:
                return message
    except (OSError, ValueError):
        return None
    finally:
        sock.close()
    return None  # the helper stopped halfway


def error_of(message: dict) -> ImpactError | None:
    """The user's mistake the helper met, as an ``ImpactError`` (its text in every language)."""
    if "error" not in message:
        return None
    err = ImpactError("")
    err.text = PerLanguage(message["error"])
    err.args = (message["error"].get("en", ""),)
    return err


def rendered(text) -> dict[str, str]:
    """A ``Text`` (or error) in every language, to send."""
    from impact.text import languages

    render = text.render if isinstance(text, ImpactError) else text
    return {lang: render(lang) for lang in languages()}


def start(root: Path, minutes: int) -> bool:
    """Start a helper for ``root`` in the background (detached: it outlives the command)."""
    import subprocess

    path = address(root) if available() else None
    if path is None or minutes <= 0 or ask(root, {"do": "hello"}, timeout=5) is not None:
        return False
    log = Path(root) / "data" / "cache" / "warm.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        os.chmod(log, 0o600)
        _started.append(subprocess.Popen(
            [sys.executable, "-m", "impact.report.warm", str(Path(root).resolve()), str(minutes)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True, close_fds=True,
            cwd=str(root)))
    return True


_started: list = []  # the helpers this process started: kept, so Python does not warn that they still run


def stop(root: Path) -> bool:
    """Stop ``root``'s helper; whether there was one."""
    return ask(root, {"do": "stop"}, timeout=30) is not None


# --- the helper's side ------------------------------------------------------------

def _serve(root: Path, minutes: int) -> None:
    import logging

    # deduce (imported when process meets a new text) calls logging.basicConfig(DEBUG, stdout) on import
    logging.basicConfig(level=logging.WARNING)
    from impact.report.build import WARM_IMPORTS, KernelPool
    from impact.report.cache import BuildCache

    path = address(root)
    if path is None:
        return
    if path.exists():
        if ask(root, {"do": "hello"}, timeout=5) is not None:
            return  # one is there already
        path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stamp = code_stamp()
    try:
        listener.bind(str(path))
    except OSError:
        return  # another helper won the race
    os.chmod(path, 0o600)
    listener.listen(4)
    import threading

    pool = KernelPool(2, warm=[*WARM_IMPORTS, *BuildCache(root).warm])
    # kernels warm up while the helper already takes a `process` (which needs none); a build waits for them
    warming = threading.Thread(target=pool.start, name="impact-warm-up", daemon=True)
    warming.start()
    try:
        listener.settimeout(60)
        last = time.monotonic()
        while time.monotonic() - last < minutes * 60 and root.is_dir():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            with conn:
                conn.settimeout(None)
                if not _handle(conn, root, stamp, pool, warming):
                    break
            last = time.monotonic()
    finally:
        listener.close()
        path.unlink(missing_ok=True)
        warming.join()
        pool.close()


def _handle(conn: socket.socket, root: Path, stamp: str, pool, warming) -> bool:
    """Do one job; False when the helper should stop."""
    try:
        request = next(_lines(conn))
    except (StopIteration, OSError, ValueError):
        return True
    if request.get("stamp") != stamp:
        _send(conn, {"stale": True})
        return False
    do = request.get("do")
    if do == "hello":
        _send(conn, {"ok": True})
        return True
    if do == "stop":
        _send(conn, {"ok": True, "stopped": True})
        return False
    before = {name: os.environ.get(name) for name in PASSED_ENV}
    os.environ.update(request.get("env") or {})
    for name in PASSED_ENV:
        if name not in (request.get("env") or {}):
            os.environ.pop(name, None)
    if do == "build":
        warming.join()
    try:
        _send(conn, _job(do, request, root, pool, lambda event: _send(conn, event)))
    except OSError:
        pass  # the command went away (Ctrl-C): the job is done or stopped, nothing to tell
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return code_stamp() == stamp


def _job(do: str, request: dict, root: Path, pool, emit) -> dict:
    from impact.study import Study

    try:
        study = Study.load(root)
        if do == "process":
            from impact.process import process_study

            result = process_study(study)
            if result.written:
                _prepare(study)
            return {"process": {"tables": result.tables, "written": list(result.written),
                                "redactions": result.redactions, "withdrawn": dict(result.withdrawn),
                                "quarantined": result.quarantined}}
        if do == "build":
            from impact.report.build import build_reports, withdrawn_rows

            def progress(event, job, result):
                message = {"event": event}
                if result is not None:
                    message.update(name=job.name, status=result.status, seconds=result.seconds,
                                   title=result.title,
                                   error=rendered(result.error) if result.error is not None else None)
                emit(message)

            options = dict(request.get("options") or {})
            notebooks = options.pop("notebooks", None)
            result = build_reports(study, kernels=pool, progress=progress,
                                   notebooks=[Path(n) for n in notebooks] if notebooks is not None else None,
                                   **options)
            return {"build": {
                "results": [{"name": r.job.name, "status": r.status, "seconds": r.seconds, "title": r.title,
                             "error": rendered(r.error) if r.error is not None else None}
                            for r in result.results],
                "infographic": [str(p) for p in result.infographic],
                "infographic_built": result.infographic_built,
                "index": str(result.index) if result.index else None,
                "withdrawals": withdrawn_rows(study) if result.built else []}}
        return {"error": rendered(ImpactError(f"unknown request {do!r}"))}
    except ImpactError as err:
        return {"error": rendered(err)}


def _prepare(study) -> None:
    """Work out the build's disclosure plan now, in the background, for the ``impact build`` that usually
    follows ``impact process``: its notebooks then find it in ``data/cache/disclosure`` (or wait for it)
    instead of making it while the other kernel waits. Only a head start: a mistake here is the build's."""
    import threading

    def work() -> None:
        from impact.data import Tables
        from impact.figures.disclosure import hidden_cells

        try:
            hidden_cells(Tables(study=study))
        except Exception:  # noqa: BLE001 - the build meets (and reports) the same problem itself
            pass

    threading.Thread(target=work, name="impact-prepare", daemon=True).start()


if __name__ == "__main__":  # python -m impact.report.warm STUDY MINUTES (started by ``start``)
    _serve(Path(sys.argv[1]), int(sys.argv[2]))
