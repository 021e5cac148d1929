"""sha256 of files, hashed again only when they changed: how caches tell what changed.

A file's size and modification time are kept beside its sha256; the file is
hashed again only when those changed, or when it was modified less than a
second before it was hashed (a later change in the same clock tick would
not show in the modification time; git does the same).

Example:
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "t.parquet").write_bytes(b"abc")
    3
    >>> prints = Fingerprints(root)
    >>> prints.sha("t.parquet")[:12]
    'ba7816bf8f01'
    >>> prints.sha("missing.parquet") is None
    True
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # impact's own code


def code_stamp() -> str:
    """Changes when impact's code (or the Python running it) changes: kernels, a warm helper and kept
    results made by other code are not used.

    Example:
        >>> code_stamp() == code_stamp()
        True
    """
    h = hashlib.sha256(sys.executable.encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(f"{path.relative_to(PACKAGE)}\0{path.stat().st_mtime_ns}\0".encode())
    return h.hexdigest()[:16]


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Fingerprints:
    """sha256 of files by path (relative to ``root``, or absolute), hashed again only when
    size or modification time changed, or the file changed less than a second before it was hashed."""

    RACY_NS = 1_000_000_000

    def __init__(self, root: Path, known: dict | None = None):
        self.root = root
        self.known: dict[str, list] = dict(known or {})  # path -> [size, mtime_ns, sha, hashed_at_ns]

    def sha(self, rel: str) -> str | None:
        path = self.root / rel
        try:
            st = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            self.known.pop(rel, None)
            return None
        old = self.known.get(rel)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns and old[1] + self.RACY_NS < old[3]:
            return old[2]
        hashed_at = time.time_ns()
        digest = sha256_file(path)
        self.known[rel] = [st.st_size, st.st_mtime_ns, digest, hashed_at]
        return digest

    def of(self, rels) -> dict[str, str | None]:
        return {rel: self.sha(rel) for rel in rels}
