"""--study and --lang mean the same before and after a command's name, for every command;
the publish guard fails closed when it has no register."""

from __future__ import annotations

import shutil

import pytest
import typer
from typer.testing import CliRunner

from impact.cli import app

runner = CliRunner()


def _leaf_commands(command, path=()):
    if hasattr(command, "commands"):  # a group (typer may bring its own click classes)
        for name, sub in command.commands.items():
            yield from _leaf_commands(sub, (*path, name))
    else:
        yield path, command


def test_every_command_takes_study_and_lang_after_its_name():
    root = typer.main.get_command(app)
    leaves = list(_leaf_commands(root))
    assert len(leaves) >= 18  # init, demo, validate, process, build, ... import qdpx, answers coding-sheet
    for path, command in leaves:
        flags = {flag for p in command.params for flag in getattr(p, "opts", [])}
        assert {"--study", "--lang"} <= flags, f"impact {' '.join(path)} lacks --study or --lang"


def test_root_options_are_the_same_options():
    root = typer.main.get_command(app)
    flags = {flag for p in root.params for flag in p.opts}
    assert {"--study", "-s", "--lang"} <= flags


def _invoke(*args):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("command", [
    ["validate"],
    ["key"],
    ["agreement", "--limit", "2"],
    ["questionnaire", "credits", "bewoners"],
])
def test_global_and_local_study_give_the_same_result(processed_demo, command):
    study = str(processed_demo)
    before = _invoke("--study", study, "--lang", "en", *command)
    after = _invoke(*command, "--study", study, "--lang", "en")
    assert before == after
    assert before[0] == 0, before[1]


def test_local_options_win_over_global_ones(processed_demo, tmp_path):
    code, out = _invoke("--study", str(tmp_path), "--lang", "nl", "key", "--study", str(processed_demo),
                        "--lang", "en")
    assert code == 0 and "demo key" in out


def test_lang_is_checked_in_both_places():
    for args in (["--lang", "fr", "validate"], ["validate", "--lang", "fr"]):
        code, out = _invoke(*args)
        assert code == 2 and "'fr'" in out and "Traceback" not in out


def _page_naming_someone(tmp_path, study_root):
    import impact
    from impact.privacy.guard import register_values

    names, _ = register_values(impact.Study.load(study_root))
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><p>Gesprek met {names[0]} over de buurt.</p></body></html>", encoding="utf-8")
    return page


def test_check_publish_same_findings_with_global_and_local_study(demo_root, tmp_path):
    page = _page_naming_someone(tmp_path, demo_root)
    before = _invoke("--study", str(demo_root), "check-publish", str(page))
    after = _invoke("check-publish", "--study", str(demo_root), str(page))
    assert before == after
    assert before[0] == 1 and "1 vondst" in before[1]


def test_check_publish_without_a_study_fails_closed(demo_root, tmp_path, monkeypatch):
    page = _page_naming_someone(tmp_path, demo_root)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IMPACT_STUDY", raising=False)
    code, out = _invoke("check-publish", str(page))
    assert code == 1
    assert "Schoon" not in out and "Geen studie gevonden" in out


def test_check_publish_without_a_register_fails_closed(demo_root, tmp_path):
    study = tmp_path / "studie"
    shutil.copytree(demo_root, study)
    page = _page_naming_someone(tmp_path, study)
    (study / "data" / "raw" / "people.csv").unlink()
    code, out = _invoke("check-publish", "--study", str(study), "--lang", "en", str(page))
    assert code == 1
    assert "Clean" not in out and "people.csv is missing" in out


def test_check_publish_with_an_unreadable_register_fails_closed(demo_root, tmp_path):
    study = tmp_path / "studie"
    shutil.copytree(demo_root, study)
    page = _page_naming_someone(tmp_path, study)
    (study / "data" / "raw" / "people.csv").write_text("iets;anders\n1;2\n", encoding="utf-8")
    code, out = _invoke("check-publish", "--study", str(study), "--lang", "en", str(page))
    assert code == 1
    assert "Clean" not in out and "cannot be read" in out
