"""The secret key behind the pseudonyms: made once, kept outside the study.

The key file lives in the user's config folder, never in the repository or
in ``data/``:

* ``$IMPACT_KEY_DIR/<study-id>.key`` when that variable is set;
* else ``$XDG_CONFIG_HOME/impact/keys/<study-id>.key``;
* else ``~/.config/impact/keys/<study-id>.key`` (``%APPDATA%\\impact\\keys``
  on Windows).

The file holds 64 hex digits (32 random bytes) and is readable by its owner
only (0600, folder 0700). ``$IMPACT_KEY`` overrides the file, for example
on a second computer: copy the file's text into that variable. The
``<study-id>`` is ``[privacy] key_id`` from ``impact.toml`` when set, else
the name of the study folder.

Example:
    >>> import os, tempfile, pathlib
    >>> from impact.study import init_study
    >>> os.environ["IMPACT_KEY_DIR"] = tempfile.mkdtemp()
    >>> study = init_study(pathlib.Path(tempfile.mkdtemp()) / "oost")
    >>> key = ensure_key(study)
    >>> len(key), key_path(study).name, oct(key_path(study).stat().st_mode & 0o777)
    (64, 'oost.key', '0o600')
    >>> ensure_key(study) == key
    True
    >>> del os.environ["IMPACT_KEY_DIR"]
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

from impact.errors import StudyError, Text

KEY_BYTES = 32


def key_dir() -> Path:
    """The folder that holds the keys of all studies on this computer."""
    if os.environ.get("IMPACT_KEY_DIR"):
        return Path(os.environ["IMPACT_KEY_DIR"]).expanduser()
    if sys.platform.startswith("win") and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "impact" / "keys"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "impact" / "keys"


def study_key_id(study) -> str:
    """The name of the study's key file (without ``.key``)."""
    import tomllib

    key_id = None
    cfg = Path(study.root) / "impact.toml"
    try:
        key_id = tomllib.loads(cfg.read_text(encoding="utf-8")).get("privacy", {}).get("key_id")
    except (OSError, tomllib.TOMLDecodeError):
        pass
    raw = str(key_id or Path(study.root).resolve().name)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip(".-") or "studie"
    return slug[:80]


def key_path(study) -> Path:
    """Where the key of ``study`` is (or will be) kept."""
    return key_dir() / f"{study_key_id(study)}.key"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _repository_root(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def _check_place(path: Path, study) -> None:
    root = Path(study.root)
    repo = _repository_root(root.resolve())
    for folder in filter(None, (root, repo)):
        if _inside(path, folder):
            raise StudyError(Text("De sleutel mag niet in de studie of in git staan ({path}). Kies met "
                                  "IMPACT_KEY_DIR een map buiten {folder}.",
                                  path=path, folder=folder))


def read_key_file(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8").strip()
    if len(text) < 32:
        raise StudyError(Text("De sleutel in {path} is te kort of leeg. Zet de oude sleutel terug (back-up).",
                              path=path))
    return text.encode("utf-8")


def ensure_key(study) -> bytes:
    """The key of ``study``; made (random, 0600) when it does not exist yet.

    ``$IMPACT_KEY`` wins over the file. Refuses a key place inside the
    study or its git repository.
    """
    env = os.environ.get("IMPACT_KEY")
    if env:
        return env.strip().encode("utf-8")
    path = key_path(study)
    _check_place(path, study)
    if path.is_file():
        return read_key_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    text = secrets.token_hex(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made by another process just now
        return read_key_file(path)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    os.chmod(path, 0o600)
    return text.encode("utf-8")
