"""The pseudonym key: made once in the user's config folder (0600), never in the study or git."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from impact.errors import StudyError
from impact.privacy import DEMO_KEY, ensure_key, load_key, pseudonym
from impact.privacy.keys import key_path
from impact.study import init_study


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_CONFIG_HOME", "IMPACT_KEY", "IMPACT_KEY_DIR", "APPDATA"):
        monkeypatch.delenv(var, raising=False)
    return home


def test_key_is_made_in_the_config_folder_with_0600(home, tmp_path):
    study = init_study(tmp_path / "work" / "buurtbanen-oost")
    key = ensure_key(study)
    path = home / ".config" / "impact" / "keys" / "buurtbanen-oost.key"
    assert key_path(study) == path
    assert path.read_text().strip().encode() == key
    assert len(key) == 64 and int(key, 16) >= 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # the same key every time: pseudonyms stay stable
    assert ensure_key(study) == key
    assert load_key(study) == key


def test_key_is_nowhere_in_the_study(home, tmp_path):
    study = init_study(tmp_path / "work" / "s")
    key = ensure_key(study).decode()
    for p in study.root.rglob("*"):
        if p.is_file():
            assert key not in p.read_text(errors="replace")


def test_xdg_config_home_is_used(home, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    study = init_study(tmp_path / "work" / "s")
    ensure_key(study)
    assert (tmp_path / "cfg" / "impact" / "keys" / "s.key").is_file()


def test_key_id_from_impact_toml(home, tmp_path):
    study = init_study(tmp_path / "work" / "s")
    cfg = study.root / "impact.toml"
    cfg.write_text(cfg.read_text().replace("[privacy]\n", '[privacy]\nkey_id = "oost 2024"\n'))
    assert key_path(study).name == "oost-2024.key"


def test_two_studies_two_keys(home, tmp_path):
    a = ensure_key(init_study(tmp_path / "a"))
    b = ensure_key(init_study(tmp_path / "b"))
    assert a != b
    assert pseudonym("BB03", a) != pseudonym("BB03", b)


def test_environment_variable_wins_and_no_file_is_made(home, tmp_path, monkeypatch):
    monkeypatch.setenv("IMPACT_KEY", "  copied-from-the-other-computer-0123456789abcdef  ")
    study = init_study(tmp_path / "s")
    assert load_key(study) == b"copied-from-the-other-computer-0123456789abcdef"
    assert not key_path(study).exists()


def test_demo_study_uses_the_public_demo_key(home, tmp_path):
    study = init_study(tmp_path / "s")
    cfg = study.root / "impact.toml"
    cfg.write_text(cfg.read_text().replace("demo_key = false", "demo_key = true"))
    from impact.study import Study

    assert load_key(Study.load(study.root)) == DEMO_KEY
    assert not key_path(study).exists()


def test_refuses_a_key_place_inside_the_study_or_its_git_repository(home, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    study = init_study(repo / "studie")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.setenv("IMPACT_KEY_DIR", str(repo / "keys"))
    with pytest.raises(StudyError) as err:
        ensure_key(study)
    assert "git" in err.value.render("en")
    monkeypatch.setenv("IMPACT_KEY_DIR", str(study.root / "data"))
    with pytest.raises(StudyError):
        ensure_key(study)
    assert not (study.root / "data" / "studie.key").exists()


def test_an_emptied_key_file_is_an_error_not_a_new_key(home, tmp_path):
    study = init_study(tmp_path / "s")
    ensure_key(study)
    key_path(study).write_text("")
    with pytest.raises(StudyError):
        ensure_key(study)


def test_pseudonym_is_hmac_sha256_not_a_plain_hash():
    """RFC 2104 HMAC-SHA256, checked against the standard library; a plain hash differs."""
    import hashlib
    import hmac

    key = b"k" * 32
    expected = "p_" + hmac.new(key, b"R0123", hashlib.sha256).hexdigest()[:16]
    assert pseudonym(" R0123 ", key) == expected
    assert pseudonym("R0123", key) != "p_" + hashlib.sha256(b"R0123").hexdigest()[:16]
    assert pseudonym("BB03", DEMO_KEY) == "p_2a5fd7013c79218a"


def test_the_repository_holds_no_key_file():
    repo = Path(__file__).resolve().parents[1]
    tracked = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.split()
    assert not [t for t in tracked if t.endswith(".key")]
