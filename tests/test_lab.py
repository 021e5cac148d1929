"""``impact lab``: a real JupyterLab server on loopback, its REST API, and Chromium opening notebook 06.

Every server started here is stopped in a ``finally`` (``Lab.__exit__``),
and every wait is bounded.
"""

from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from impact.lab import LOOPBACK, TOKEN_ALPHABET, lab_command, lan_address, new_token, start_lab

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CODING_NOTEBOOK = REPO / "notebooks" / "06_coderen.ipynb"


def test_safe_defaults_on_the_command_line(tmp_path):
    cmd = lab_command(tmp_path, port=0, state_dir=tmp_path / "state")
    assert f"--ServerApp.ip={LOOPBACK}" in cmd
    assert "--no-browser" in cmd
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert not any("token" in part.lower() and "=" in part and "IdentityProvider" in part for part in cmd)
    assert "--LabApp.news_url=None" in cmd  # nothing is fetched from the internet
    # collaboration state stays out of the study
    assert any(part.startswith("--YDocExtension.session_store_path=" + str(tmp_path / "state")) for part in cmd)
    shared = lab_command(tmp_path, port=0, share=True)
    assert "--ServerApp.ip=0.0.0.0" in shared
    assert "--ServerApp.terminals_enabled=False" in shared


def test_tokens_are_random_and_easy_to_type():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) == 16 and set(t) <= set(TOKEN_ALPHABET) for t in tokens)
    assert not set("0o1li") & set(TOKEN_ALPHABET)


def _study_with_notebook(tmp_path: Path) -> Path:
    from impact.study import init_study

    root = init_study(tmp_path / "studie", name="Lab-test").root
    shutil.copy(CODING_NOTEBOOK, root / "notebooks" / CODING_NOTEBOOK.name)
    return root


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.slow
def test_lab_lists_the_study_notebooks_and_needs_the_token(tmp_path):
    root = _study_with_notebook(tmp_path)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    token = new_token()
    with start_lab(root, port=0, token=token, timeout=120) as lab:
        assert lab.port > 0 and lab.running()
        listing = lab.api("contents/notebooks")
        # impact init put the notebooks into the study
        assert sorted(item["name"] for item in listing["content"]) == sorted(
            p.name for p in (root / "notebooks").glob("*.ipynb"))
        assert "06_coderen.ipynb" in [item["name"] for item in listing["content"]]
        # the same with the token in the query string, as in the printed link
        with urllib.request.urlopen(lab.url("api/contents/notebooks"), timeout=10) as r:
            assert "06_coderen.ipynb" in r.read().decode("utf-8")
        assert _status(lab.url("api/contents/notebooks", token=False)) == 403
        assert _status(lab.url("api/contents/notebooks", token=False) + "?token=" + "x" * 16) == 403
        # real-time collaboration is on: the server hands out a shared-document session
        session = lab.api("collaboration/session/notebooks/06_coderen.ipynb", method="PUT",
                          body={"format": "json", "type": "notebook"})
        assert session["fileId"] and session["sessionId"]
        # loopback only: the LAN address does not answer
        address = lan_address()
        if address:
            with socket.socket() as s:
                s.settimeout(3)
                assert s.connect_ex((address, lab.port)) != 0
        process, state = lab.process, lab.state_dir
    assert process.poll() is not None, "the server was stopped"
    assert not state.exists(), "the server's private state folder was removed"
    after = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert after == before, "the lab left nothing behind in the study"


def test_a_server_that_cannot_start_is_reported(tmp_path):
    from impact.errors import ImpactError

    root = _study_with_notebook(tmp_path)
    with socket.socket() as busy:
        busy.bind((LOOPBACK, 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(ImpactError) as info:
            start_lab(root, port=port, timeout=120)
    assert "JupyterLab" in info.value.render("nl")


def test_lab_command_rejects_a_short_token(tmp_path):
    from typer import Typer
    from typer.testing import CliRunner

    from impact.lab import lab

    app = Typer()
    app.command()(lab)
    root = _study_with_notebook(tmp_path)
    result = CliRunner().invoke(app, ["--study", str(root), "--token", "kort"])
    assert result.exit_code == 1
    assert "te kort" in result.output


def test_lab_command_needs_a_study(tmp_path):
    from typer import Typer
    from typer.testing import CliRunner

    from impact.lab import lab

    app = Typer()
    app.command()(lab)
    result = CliRunner().invoke(app, ["--study", str(tmp_path / "nergens"), "--lang", "en"])
    assert result.exit_code == 1
    assert "No study found" in result.output


def _run_all_cells(page, attempts: int = 3) -> None:
    """Run > Run All Cells, again when no cell started (under load the menu can act before the notebook is current)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = ".jp-InputArea-prompt:has-text('[*]'), .jp-InputArea-prompt:has-text('[1]')"
    for _ in range(attempts):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_selector(started, timeout=30_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("Run All Cells did not start the notebook in JupyterLab")


def _launch(p):
    return p.chromium.launch(executable_path=str(CHROMIUM), args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"])


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_opens_the_coding_notebook(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    root = _study_with_notebook(tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "lab-06-coderen.png"
    shot.unlink(missing_ok=True)
    with start_lab(root, port=0, timeout=120) as lab:
        with sync_playwright() as p:
            browser = _launch(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(90_000)
                page.goto(lab.url("lab/tree/notebooks/06_coderen.ipynb"))
                page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1")
                heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first.inner_text()
                assert "Samen coderen" in heading
                # the parameters cell is there, as a code cell
                page.wait_for_selector(".jp-Notebook .jp-CodeCell")
                assert "language" in page.locator(".jp-Notebook .jp-CodeCell").first.inner_text()
                page.screenshot(path=str(shot))
            finally:
                browser.close()
        # the notebook is open in a collaborative session on the server
        sessions = lab.api("sessions")
        assert any(s.get("path", "").endswith("06_coderen.ipynb") for s in sessions)
    assert shot.stat().st_size > 10_000
    nb = json.loads((root / "notebooks" / "06_coderen.ipynb").read_text(encoding="utf-8"))
    assert nb["cells"][0]["source"][0].startswith("# 06")


@pytest.mark.browser
@pytest.mark.slow
def test_chromium_runs_the_coding_notebook_and_the_widget_saves(tmp_path):
    """Run All in JupyterLab: the widget appears, and (with redaction available) a tick is saved to disk."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    pytest.importorskip("impact.coding.markup")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from test_widget import CODEBOOK, TRANSCRIPT

    root = _study_with_notebook(tmp_path)
    (root / "data" / "raw" / "transcripts").mkdir(parents=True, exist_ok=True)
    (root / "data" / "raw" / "transcripts" / "I01.md").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "data" / "raw" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    try:
        from impact.privacy import Redactor  # noqa: F401
        redaction = True
    except ImportError:
        redaction = False
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "lab-06-widget.png"
    with start_lab(root, port=0, timeout=120) as lab:
        with sync_playwright() as p:
            browser = _launch(p)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1000})
                page.set_default_timeout(120_000)
                page.goto(lab.url("lab/tree/notebooks/06_coderen.ipynb"))
                page.wait_for_selector(".jp-Notebook .jp-CodeCell")
                page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached")
                _run_all_cells(page)
                coder = page.locator(".widget-text input").first
                try:
                    coder.wait_for(timeout=240_000)
                except PlaywrightTimeout:
                    # what the notebook showed instead, for whoever reads the CI log
                    page.screenshot(path=str(ARTIFACTS / "lab-06-widget-failed.png"), full_page=True)
                    raise AssertionError("the widget did not appear; the notebook showed:\n"
                                         + page.locator(".jp-Notebook").inner_text()[-3000:]) from None
                assert "Samen coderen" in page.locator(".jp-OutputArea-output h1").first.inner_text()
                coder.fill("BB03")
                page.locator("button.widget-button", has_text="Begin").click()
                if redaction:
                    page.locator(".widget-dropdown select").first.select_option(label="I01 (West, informal)")
                    page.wait_for_selector("text=Stuk 1 van 4")
                    page.locator(".widget-checkbox", has_text="werk").locator("input").check()
                    page.locator("button.widget-button", has_text="Opslaan").click()
                    page.wait_for_selector("text=Opgeslagen om")
                else:
                    page.wait_for_selector("text=Namen weglaten kan hier nog niet")
                page.locator(".widget-text input").first.evaluate("el => el.scrollIntoView({block: 'start'})")
                page.screenshot(path=str(shot))
            finally:
                browser.close()
    saved = root / "data" / "raw" / "codings" / "BB03" / "I01.md"
    if redaction:
        assert "[Interviewer: Hoe kent u Fatima?]{#werk}" in saved.read_text(encoding="utf-8")
    else:
        assert not saved.exists()
    assert shot.stat().st_size > 10_000
