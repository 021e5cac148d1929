"""``impact lab``: JupyterLab on the study, for running notebooks together.

JupyterLab starts with real-time collaboration (jupyter-collaboration), so
several people edit and run the same notebook at once, each in their own
browser tab. Safe by default: the server listens on this computer only
(127.0.0.1) and asks for a token (a password in the link). ``share=True``
(``impact lab --share``) lets a second laptop on the same network join; it
is never the default.

The server's own state (runtime files, collaboration store, workspace
layout, log) goes to a private temporary folder, not into the study, and is
removed when the server stops.

Example (starts a real server, so not run as a doctest)::

    from impact.lab import start_lab
    with start_lab("pad/naar/studie", port=0) as lab:
        print(lab.url("lab/tree/notebooks/06_coderen.ipynb"))

Register the command in impact/cli.py with ``app.command()(lab)``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import typer

from impact.cli_support import LangOption, StudyOption, study_command
from impact.errors import ImpactError, StudyError, Text

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
DEFAULT_PORT = 8888
# Letters and digits that are hard to confuse when someone types the link
# on a second laptop (no 0/o, 1/l/i). 16 of them hold about 79 bits.
TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOKEN_LENGTH = 16
CODING_NOTEBOOK = "06_coderen.ipynb"


def new_token(length: int = TOKEN_LENGTH) -> str:
    """A random token that is easy to type.

    Example:
        >>> t = new_token()
        >>> len(t), set(t) <= set(TOKEN_ALPHABET)
        (16, True)
    """
    import secrets

    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(length))


def lan_address() -> str | None:
    """This computer's address in the local network (for example 192.168.1.20), or None.

    A UDP socket is "connected" to a documentation-only address: that sends
    no packet, it only asks the system which interface it would use.
    """
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
    except OSError:
        address = None
    if not address or address.startswith("127.") or address == ALL_INTERFACES:
        try:
            address = socket.gethostbyname(socket.gethostname())
        except OSError:
            return None
        if address.startswith("127."):
            return None
    return address


def lab_command(root: Path, *, port: int, share: bool = False, certfile: Path | None = None,
                keyfile: Path | None = None, state_dir: Path | None = None) -> list[str]:
    """The command line that starts JupyterLab on ``root`` (the token goes via the environment).

    Example:
        >>> cmd = lab_command(Path("/studie"), port=0)
        >>> "--ServerApp.ip=127.0.0.1" in cmd, "--no-browser" in cmd
        (True, True)
        >>> "--ServerApp.ip=0.0.0.0" in lab_command(Path("/studie"), port=0, share=True)
        True
    """
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={ALL_INTERFACES if share else LOOPBACK}",
        f"--ServerApp.port={port}",
        # The token is required; a password login would allow guessing without it.
        "--ServerApp.password=",
        "--PasswordIdentityProvider.allow_password_change=False",
        # Never fetch news or update checks from the internet.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        "--ServerApp.open_browser=False",
    ]
    if share:
        # A guest laptop needs no shell on this computer.
        cmd.append("--ServerApp.terminals_enabled=False")
    if state_dir is not None:
        cmd += [
            f"--SQLiteYStore.db_path={state_dir / 'ystore.db'}",
            f"--YDocExtension.session_store_path={state_dir / 'collaboration_sessions.json'}",
            f"--LabApp.workspaces_dir={state_dir / 'workspaces'}",
            f"--BaseFileIdManager.db_path={state_dir / 'file_id_manager.db'}",
        ]
    if certfile is not None:
        cmd.append(f"--ServerApp.certfile={certfile}")
    if keyfile is not None:
        cmd.append(f"--ServerApp.keyfile={keyfile}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers often run as root; Jupyter refuses that without this flag.
        cmd.append("--ServerApp.allow_root=True")
    return cmd


@dataclass
class Lab:
    """A running JupyterLab server. Stop it with ``stop()`` or use it as a context manager."""

    process: subprocess.Popen
    root: Path
    port: int
    token: str
    share: bool
    secure: bool
    state_dir: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def log_path(self) -> Path:
        return self.state_dir / "server.log"

    def url(self, path: str = "lab", *, host: str | None = None, token: bool = True) -> str:
        """The link to ``path`` on this server (with the token unless ``token=False``)."""
        import urllib.parse

        scheme = "https" if self.secure else "http"
        base = f"{scheme}://{host or LOOPBACK}:{self.port}/{path.lstrip('/')}"
        if token:
            base += ("&" if "?" in base else "?") + urllib.parse.urlencode({"token": self.token})
        return base

    def share_url(self, path: str = "lab") -> str | None:
        """The link for a second laptop in the same network (only with ``share``)."""
        if not self.share:
            return None
        address = lan_address()
        return self.url(path, host=address) if address else None

    def api(self, path: str, timeout: float = 10.0, method: str = "GET", body: dict | None = None) -> object:
        """Call ``/api/<path>`` with the token; the decoded JSON answer."""
        import urllib.request

        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url(f"api/{path}", token=False), data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout, context=_ssl_context(self.secure)) as r:
            return json.loads(r.read().decode("utf-8"))

    def running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server (and its kernels); waits at most about ``2 * timeout`` seconds."""
        import shutil
        import signal
        import subprocess

        if self._stopped:
            return
        self._stopped = True
        try:
            if self.process.poll() is None:
                _signal_group(self.process, signal.SIGTERM)
                try:
                    self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    _signal_group(self.process, signal.SIGKILL)
                    self.process.wait(timeout=timeout)
            # Kernels run in the server's process group; make sure none is left.
            _signal_group(self.process, signal.SIGKILL)
        finally:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> "Lab":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    import signal

    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, sig)
        else:  # pragma: no cover - Windows
            process.terminate() if sig == signal.SIGTERM else process.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _ssl_context(secure: bool):
    if not secure:
        return None
    import ssl

    # A self-signed certificate on a laptop: the token is what protects us here.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def study_root(study) -> Path:
    """The folder of a ``Study`` (or of a folder, default ``$IMPACT_STUDY`` or this one), checked."""
    from impact.study import Study

    root = study.root if isinstance(study, Study) else Study.load(study).root
    if not (root / "notebooks").is_dir():
        raise StudyError(Text("In {root} staat geen map 'notebooks'. Zet de notebooks daar, of kies een "
                              "andere studie met --study.",
                              root=root))
    return root


def start_lab(root: Path | str, *, port: int | None = None, token: str | None = None,
              share: bool = False, certfile: Path | None = None, keyfile: Path | None = None,
              timeout: float = 90.0) -> Lab:
    """Start JupyterLab with real-time collaboration on the folder ``root``.

    ``port=None`` tries 8888 and then the next free ports; ``port=0`` lets
    the system choose. Waits (at most ``timeout`` seconds) until the REST
    API answers; raises ``ImpactError`` with the end of the server log if it
    does not. The server is stopped again on any failure.
    """
    import shutil
    import subprocess
    import tempfile

    root = Path(root).resolve()
    token = token or new_token()
    state_dir = Path(tempfile.mkdtemp(prefix="impact-lab-"))  # mode 0700: only this user
    env = dict(os.environ)
    env.update({
        "JUPYTER_TOKEN": token,  # not on the command line, where other users could read it
        "JUPYTER_RUNTIME_DIR": str(state_dir / "runtime"),
        "JUPYTER_PORT_RETRIES": "50" if port is None else "0",
    })
    env.pop("JUPYTER_PASSWORD", None)
    cmd = lab_command(root, port=DEFAULT_PORT if port is None else port, share=share,
                      certfile=certfile, keyfile=keyfile, state_dir=state_dir)
    log = open(state_dir / "server.log", "wb")
    try:
        process = subprocess.Popen(cmd, cwd=state_dir, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    except BaseException:
        shutil.rmtree(state_dir, ignore_errors=True)
        raise
    finally:
        log.close()
    lab = Lab(process=process, root=root, port=0, token=token, share=share,
              secure=certfile is not None, state_dir=state_dir)
    try:
        _wait_until_ready(lab, timeout)
    except BaseException:
        lab.stop()
        raise
    return lab


def _wait_until_ready(lab: Lab, timeout: float) -> None:
    import urllib.error

    deadline = time.monotonic() + timeout
    info_file = lab.state_dir / "runtime" / f"jpserver-{lab.process.pid}.json"
    while time.monotonic() < deadline:
        if not lab.running():
            raise _start_failed(lab)
        if not lab.port and info_file.is_file():
            try:
                lab.port = int(json.loads(info_file.read_text(encoding="utf-8"))["port"])
            except (ValueError, KeyError):
                pass  # written half; read again
        if lab.port:
            try:
                lab.api("status", timeout=5)
                return
            except (urllib.error.URLError, OSError, ValueError):
                pass
        time.sleep(0.25)
    raise _start_failed(lab, timed_out=True)


def _start_failed(lab: Lab, timed_out: bool = False) -> ImpactError:
    why = (Text("JupyterLab was na de wachttijd nog niet klaar.") if timed_out else
           Text("JupyterLab is gestopt voordat het klaar was."))
    tail = lab.log_tail()
    return ImpactError(Text("{why}\nLaatste regels van het logboek:\n{tail}", why=why, tail=tail))


# --- the command ---------------------------------------------------------

SHARE_WARNING = Text("LET OP: andere computers in dit netwerk kunnen nu meedoen.\nWie de link met de sleutel "
                     "(token) heeft, kan alle bestanden van de studie lezen en veranderen,\nen programma's "
                     "starten op deze laptop. Geef de link alleen aan mensen die naast je zitten.\nDoe dit "
                     "alleen in een netwerk dat je vertrouwt, niet in open wifi: het verkeer is niet "
                     "versleuteld\n(behalve met --certfile en --keyfile). Stop met Ctrl+C als jullie klaar "
                     "zijn.")


def lab(
    study: Optional[Path] = StudyOption,
    share: bool = typer.Option(False, "--share",
                               help="Laat een tweede laptop in hetzelfde netwerk meedoen (niet standaard)."),
    port: Optional[int] = typer.Option(None, "--port", "-p", help="Poort (standaard 8888 of de eerste vrije)."),
    token: Optional[str] = typer.Option(None, "--token", help="Eigen sleutel voor de link (standaard: nieuw en willekeurig)."),
    certfile: Optional[Path] = typer.Option(None, "--certfile", help="TLS-certificaat voor https (bij --share)."),
    keyfile: Optional[Path] = typer.Option(None, "--keyfile", help="Sleutel bij het TLS-certificaat."),
    lang: Optional[str] = LangOption,
):
    """Start JupyterLab op de studie: samen notebooks maken en draaien."""
    from impact.cli_support import console

    out = console()
    with study_command(study, lang) as (st, shown):
        if token is not None and len(token) < 12:
            raise ImpactError(Text("--token: te kort; gebruik minstens 12 tekens."))
        root = study_root(st)
        out.print(Text("JupyterLab starten ...")(shown), markup=False)
        server = start_lab(root, port=port, token=token, share=share, certfile=certfile, keyfile=keyfile)
    with server:
        coding = f"lab/tree/notebooks/{CODING_NOTEBOOK}"
        out.print(Text("Open deze link in je browser:")(shown), markup=False)
        out.print(f"  {server.url('lab')}", style="bold green", markup=False)
        if (root / "notebooks" / CODING_NOTEBOOK).is_file():
            out.print(Text("Coderen:")(shown) + f" {server.url(coding)}", markup=False)
        if share:
            out.print(SHARE_WARNING(shown), style="bold yellow", markup=False)
            guest = server.share_url("lab")
            if guest:
                out.print(Text("Link voor de tweede laptop:")(shown), markup=False)
                out.print(f"  {guest}", style="bold green", markup=False)
                out.print(Text("Of open {url} en typ de sleutel: {token}",
                               url=server.url('', host=lan_address(), token=False), token=server.token)(shown),
                          markup=False)
            else:
                out.print(Text("Het adres in het netwerk is niet gevonden. Kijk in de netwerkinstellingen "
                               "van deze laptop.")(shown),
                          markup=False)
        out.print(Text("Stoppen: Ctrl+C.")(shown), markup=False)
        try:
            while server.running():
                time.sleep(0.5)
        except KeyboardInterrupt:
            out.print(Text("JupyterLab stoppen ...")(shown), markup=False)
        if server.process.poll() not in (None, 0) and not server._stopped:
            console(stderr=True).print(server.log_tail(), style="red", markup=False)
