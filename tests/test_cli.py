"""The command line as a user meets it: help, mistakes as messages, init."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def impact(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "impact.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_help_lists_commands_with_one_line_help():
    out = impact("--help")
    assert out.returncode == 0
    for command in ("init", "demo", "validate", "process"):
        assert f"  {command} " in out.stdout


def test_import_impact_stays_light():
    code = ("import sys, impact; heavy = {'polars', 'pandas', 'pingouin', 'altair', 'numpy', 'nbconvert'};"
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_cli_start_imports_only_the_command_modules():
    """``impact --help`` pays for typer and the command modules, not for what the commands use."""
    code = "import sys, impact.cli; print(sorted(m for m in sys.modules if m.startswith('impact')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    loaded = set(eval(out.stdout))
    packages = {"impact", "impact.coding", "impact.privacy", "impact.questionnaires", "impact.report"}
    commands = {m for m in loaded if m.endswith(".cli")} | {"impact.lab", "impact.membercheck"}
    assert loaded - packages - commands == {"impact._lazy", "impact.cli_support", "impact.errors", "impact.text"}


def test_no_study_is_a_message_not_a_traceback(tmp_path):
    out = impact("--study", str(tmp_path), "validate")
    assert out.returncode == 1
    assert "Geen studie gevonden" in out.stderr and "Traceback" not in out.stderr
    out = impact("--study", str(tmp_path), "--lang", "en", "validate")
    assert "No study found" in out.stderr


def test_broken_config_is_a_message(tmp_path):
    (tmp_path / "impact.toml").write_text("[study]\nlanguage = 'fr'\n")
    out = impact("--study", str(tmp_path), "validate")
    assert out.returncode == 1 and "language" in out.stderr and "Traceback" not in out.stderr


def test_init_creates_study(tmp_path, monkeypatch):
    import os

    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"))
    out = impact("init", str(tmp_path / "nieuw"), "--name", "Buurtbanen Oost", env=env)
    assert out.returncode == 0, out.stderr
    assert 'name = "Buurtbanen Oost"' in (tmp_path / "nieuw" / "impact.toml").read_text()
    assert (tmp_path / "nieuw" / "data" / "raw").is_dir()
    again = impact("init", str(tmp_path / "nieuw"), env=env)
    assert again.returncode == 1 and "Traceback" not in again.stderr


def test_demo_refuses_to_overwrite_a_real_study(tmp_path):
    (tmp_path / "impact.toml").write_text('[study]\nname = "Echt"\nsynthetic = false\n')
    out = impact("demo", str(tmp_path))
    assert out.returncode == 1 and "niet synthetisch" in out.stderr
    assert not (tmp_path / "data").exists()
