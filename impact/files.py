"""Writing files safely: atomic writes, locks, the private folder, names that stay in their folder.

The lowest layer of impact: it imports nothing of impact, so every module
may use it. A file is written whole or not at all (``write_atomic``), with
the permissions it needs: ``PRIVATE_MODE`` (0600, the default) for data
about people, ``PUBLISHED_MODE`` (0644) for what ``reports/`` publishes.
What is for the researcher's eyes only goes to ``data/private``
(``private_folder``), which git never sees.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "sub" / "page.html"
    >>> write_atomic(path, "<p>Hoi</p>", mode=PUBLISHED_MODE)
    >>> path.read_text(encoding="utf-8"), oct(path.stat().st_mode & 0o777)
    ('<p>Hoi</p>', '0o644')
    >>> safe_name("../../etc/passwd")
    'etc_passwd'
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o600    # data about people: the owner only
PUBLISHED_MODE = 0o644  # every file in reports/: readable by all, on a web server or a shared folder
PRIVATE_FOLDER = ("data", "private")
PRIVATE_IGNORE = "*\n"  # data/private/.gitignore: nothing in it ever goes into git


def write_atomic(path: Path, data: bytes | str, mode: int = PRIVATE_MODE, *, overwrite: bool = True) -> None:
    """Write ``data`` (text as UTF-8, line endings as given) to ``path``, whole or not at all.

    The data go to a temporary file in the same folder, are flushed to disk,
    and the file is then renamed onto ``path``: a reader (or a crash) never
    sees half a file. ``mode``: the file's permissions. ``overwrite=False``
    never replaces an existing file: ``FileExistsError`` instead.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails when the file exists
            os.unlink(tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise



def file_version(path) -> tuple | None:
    """What tells one version of a file from the next (inode, size, modification and change time), or None
    when there is no file. A file replaced by a new one (``write_atomic``) or written again is another version.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.txt"
        >>> file_version(path) is None
        True
        >>> _ = path.write_text("a")
        >>> file_version(path) == file_version(path)
        True
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_when_changed(kept: dict, key, path, read, *, keep: int = 32):
    """``read()``, or what it gave the last time for ``key`` while ``path`` is the same version
    (``file_version``): for files a long-running process (a report kernel) reads again and again.
    ``kept`` is the caller's own dict; it holds the last ``keep`` keys. Without a file, ``read()`` runs
    (and says what is wrong).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = path.write_text("a")
        >>> kept, calls = {}, []
        >>> [read_when_changed(kept, "a", path, lambda: calls.append(1) or path.read_text()) for _ in "xy"]
        ['a', 'a']
        >>> len(calls)
        1
    """
    version = file_version(path)
    if version is None:
        return read()
    hit = kept.get(key)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = read()
    kept.pop(key, None)
    kept[key] = (version, value)
    while len(kept) > keep:  # the oldest go first (other studies: tests make many)
        kept.pop(next(iter(kept)))
    return value

@contextlib.contextmanager
def locked(folder: Path):
    """An exclusive lock on ``folder`` (POSIX flock on the folder itself; no lock file is made), or on
    a lock file (made, private, when it is not there yet; a path that is not a folder).

    For a read, change and write of a file people and tools both write
    (codings, member checks): two writers take turns.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, the rename is still atomic
        yield
        return
    fd = os.open(folder, os.O_RDONLY) if os.path.isdir(folder) else \
        os.open(folder, os.O_RDONLY | os.O_CREAT, PRIVATE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def private_folder(study, *parts: str) -> Path:
    """``data/private`` of ``study`` (or a folder in it), made if needed; never in git, never published.

    ``data/private`` gets a ``.gitignore`` that keeps everything in it out of git.
    """
    private = Path(study.root, *PRIVATE_FOLDER)
    folder = private.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    guard = private / ".gitignore"
    if not guard.exists():
        guard.write_text(PRIVATE_IGNORE, encoding="utf-8")
    return folder


def publish(staged: Path, target: Path) -> None:
    """Move a checked file into ``reports/`` (atomic rename), readable by all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o755)
    os.chmod(staged, PUBLISHED_MODE)
    os.replace(staged, target)


def safe_name(name: str) -> str:
    """A document or file name that stays inside its folder."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip("._")
    return cleaned or "document"
