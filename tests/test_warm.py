"""The warm helper: the next `impact process` and `impact build` of a study done by a process that stays."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from impact.errors import ImpactError, StudyError
from impact.report import warm
from impact.study import WARM_MINUTES, Study

IMPACT = str(Path(sys.executable).parent / "impact")


def _set_minutes(root: Path, value: str) -> None:
    config = root / "impact.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"\n[build]\nkeep_warm_minutes = {value}\n",
                      encoding="utf-8")


def _impact(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "IMPACT_STUDY"}
    return subprocess.run([IMPACT, "--study", str(root), *args], capture_output=True, text=True, env=env,
                          timeout=900)


def _wait(condition, seconds: float = 120) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_how_long_a_helper_waits(demo_copy):
    study = Study.load(demo_copy)
    assert warm.keep_minutes(study, interactive=False) == 0  # scripts, tests, CI: no helper
    assert warm.keep_minutes(study, interactive=True) == WARM_MINUTES
    _set_minutes(demo_copy, "3")
    assert warm.keep_minutes(Study.load(demo_copy), interactive=False) == 3


@pytest.mark.parametrize("value", ['"veel"', "-1", "true", "2.5"])
def test_a_wrong_keep_warm_minutes_is_named(demo_copy, value):
    _set_minutes(demo_copy, value)
    with pytest.raises(StudyError) as caught:
        Study.load(demo_copy)
    message = caught.value.render("nl")
    assert "[build] keep_warm_minutes" in message and "heel getal van 0 of meer" in message


def test_no_helper_answers_for_a_study_without_one(tmp_path):
    assert warm.ask(tmp_path, {"do": "hello"}) is None
    assert warm.stop(tmp_path) is False


def test_a_users_mistake_in_the_helper_comes_back_in_every_language(processed_demo):
    answer = warm._job("build", {"options": {"districts": ["Atlantis"]}}, processed_demo, None, lambda e: None)
    err = warm.error_of(answer)
    assert isinstance(err, ImpactError)
    assert err.render("nl").startswith("Onbekend stadsdeel: Atlantis. Kies uit:")
    assert err.render("en").startswith("Unknown district: Atlantis. Choose from:")


def test_helper_processes_and_builds_only_what_changed_then_stops(tmp_path, processed_demo):
    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    _set_minutes(root, "2")
    first = _impact(root, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Een warme hulp wacht 2 minuten" in first.stderr
    assert _wait(lambda: warm.ask(root, {"do": "hello"}) is not None), (root / "data/cache/warm.log").read_text()
    try:
        # one coding changed: process and build go to the helper
        transcript = sorted((root / "data" / "raw" / "codings").rglob("*.md"))[0]
        text = transcript.read_text(encoding="utf-8")
        tag = re.search(r"\{#(\w+)\}", text)
        new = "motivatie" if tag.group(1) != "motivatie" else "verbinden"
        transcript.write_text(text[:tag.start()] + "{#" + new + "}" + text[tag.end():], encoding="utf-8")
        processed = _impact(root, "process")
        assert processed.returncode == 0, processed.stdout + processed.stderr
        assert "Verwerkt door de warme hulp" in processed.stdout
        assert re.search(r"veranderd: codings\.", processed.stdout)
        built = _impact(root, "build")
        assert built.returncode == 0, built.stdout + built.stderr
        assert "Gemaakt door de warme hulp" in built.stderr
        made = set(re.findall(r"nl/(\S+)\.html: gemaakt", built.stderr))
        kept = set(re.findall(r"nl/(\S+)\.html: niet veranderd", built.stderr))
        # the reports that read codings ran again, the others (reach, questionnaires) did not
        assert {"00_overzicht", "03_perspectieven", "05_kwaliteit_van_het_coderen"} <= made
        assert {"02_bereik_in_de_buurt", "04_vragenlijsten"} <= kept
        assert "Overzicht: reports/index.html" in built.stdout
        page = (root / "reports" / "nl" / "03_perspectieven.html").read_text(encoding="utf-8")
        assert "<script src=" not in page and "impact serve" not in page  # the file as published, nothing added
        # nothing changed: the command answers itself, quickly, without asking the helper to build
        again = _impact(root, "build")
        assert "rapport(en) niet veranderd" in again.stderr and "warme hulp" not in again.stderr
    finally:
        stopped = _impact(root, "stop")
    assert "De warme hulp is gestopt." in stopped.stdout
    assert _wait(lambda: not warm.address(root).exists(), 30)
    assert warm.ask(root, {"do": "hello"}) is None


def test_a_helper_of_other_code_is_not_used_and_stops(tmp_path, processed_demo, monkeypatch):
    root = tmp_path / "studie"
    shutil.copytree(processed_demo, root)
    assert warm.start(root, 1)
    assert _wait(lambda: warm.ask(root, {"do": "hello"}) is not None), (root / "data/cache/warm.log").read_text()
    monkeypatch.setattr(warm, "code_stamp", lambda: "other code")
    assert warm.ask(root, {"do": "process"}) is None  # the command does the work itself
    assert _wait(lambda: not warm.address(root).exists(), 60)
