"""The build cache: a report is made again only when something it used changed.

Each report (and the infographic) has an entry with two parts:

* a **key** known before running: the notebook's text, its parameters and
  language, ``impact.toml``, impact's version, and the rendering code and
  templates (``rendering_hash``);
* its **inputs**, recorded while it ran: every processed table and other
  study file it read (``impact.reads``) and the source of every impact
  module it imported (``impact_modules_used``), each with its sha256.

A report is fresh when its key is the same, every recorded input still has
the same sha256, and its published files are the ones the cache wrote. So a
change in ``codings`` makes again only the reports that read ``codings``.
(``jupyter-cache`` and Quarto's freeze key a notebook on its code only: they
cannot see that the data under a notebook changed.)

Hashing a file costs time at scale: ``impact.fingerprints`` hashes a file
again only when its size or modification time changed.

The cache lives in ``data/cache/build.json`` (mode 0600): not in
``reports/``, which holds only what is published. It holds file names,
titles and hashes, never data.

Example:
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "t.parquet").write_bytes(b"abc")
    3
    >>> cache = BuildCache(root)
    >>> cache.fresh("nl/01_a.html", "key", [root / "reports" / "nl" / "01_a.html"])
    False
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from impact.fingerprints import Fingerprints

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # the impact package
TEMPLATES = PACKAGE_ROOT / "templates"
CACHE_FILE = Path("data") / "cache" / "build.json"
VERSION = 2  # of the cache file's layout: an older file is ignored


# --- impact's code ---------------------------------------------------------------

# What turns an executed notebook into a published page: part of every report's key.
RENDERING = ("report/build.py", "report/html.py", "report/cache.py")


def rendering_hash() -> str:
    """sha256 over the rendering code and the report templates."""
    h = hashlib.sha256()
    files = [PACKAGE_ROOT / rel for rel in RENDERING]
    files += sorted(p for p in TEMPLATES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        h.update(str(path.relative_to(PACKAGE_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def impact_modules_used() -> list[str]:
    """The source files of the impact modules imported in this process (run in the kernel).

    In a kernel reused for several notebooks this is every module any of them
    imported: more than one notebook needs, never less.
    """
    import sys

    files = {getattr(m, "__file__", None) for name, m in list(sys.modules.items())
             if name == "impact" or name.startswith("impact.")}
    return sorted(f for f in files if f and f.endswith(".py"))


def modules_loaded() -> list[str]:
    """The public modules imported in this process (run in the kernel): what a warm kernel imports first."""
    import sys

    return sorted(name for name in list(sys.modules)
                  if name != "__main__" and not any(part.startswith("_") for part in name.split(".")))


# --- the cache file ----------------------------------------------------------

class BuildCache:
    """``data/cache/build.json``: one entry per published file, keyed by its path in ``reports/``."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / CACHE_FILE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if data.get("version") != VERSION:
            data = {}
        self.entries: dict[str, dict] = data.get("entries", {})
        self.prints = Fingerprints(root, data.get("files", {}))
        self.warm: set[str] = set(data.get("warm", []))  # modules the notebooks' kernels imported

    def _rel(self, path: Path) -> str:
        return str(path.relative_to(self.root)).replace(os.sep, "/")

    def fresh(self, name: str, key: str, outputs: list[Path]) -> bool:
        """True when ``name``'s entry has ``key``, no recorded input changed and ``outputs`` are ours."""
        entry = self.entries.get(name)
        if not entry or entry.get("key") != key:
            return False
        made = entry.get("outputs", {})
        if sorted(made) != sorted(self._rel(p) for p in outputs):
            return False
        return all(self.prints.sha(rel) == sha for part in (made, entry.get("inputs", {}))
                   for rel, sha in part.items())

    def record(self, name: str, *, key: str, outputs: list[Path], inputs: list[str], **about) -> dict:
        """Remember that ``outputs`` were made with ``key`` from ``inputs`` (hashed now)."""
        entry = {"key": key, "inputs": self.prints.of(inputs),
                 "outputs": self.prints.of([self._rel(p) for p in outputs]), **about}
        self.entries[name] = entry
        return entry

    def inputs_hash(self, inputs: list[str]) -> str:
        """The data version of a report: sha256 over the names and hashes of what it read."""
        h = hashlib.sha256()
        for rel, sha in sorted(self.prints.of(inputs).items()):
            h.update(f"{rel}\0{sha}\0".encode())
        return h.hexdigest()

    def save(self) -> None:
        from impact.files import write_atomic

        live = {rel: v for rel, v in self.prints.known.items() if (self.root / rel).exists()}
        write_atomic(self.path, json.dumps({"version": VERSION, "entries": self.entries, "files": live,
                                            "warm": sorted(self.warm)}, indent=1, sort_keys=True), mode=0o600)
