"""Which files of a study a piece of work read: the inputs of a cached report.

``impact build`` records, while a notebook (or the infographic) runs, every
file it reads below the study folder: processed tables noted by
``impact.data.Tables`` and ``Study.table`` (polars reads them outside
Python's ``open``), and any other file opened from Python (a questionnaire
form, a helper module next to the notebook), seen through an audit hook.
The report is made again only when one of those files changed.

Example:
    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "a.csv").write_text("x")
    1
    >>> start(root)
    >>> note(root / "data" / "processed" / "people.parquet")
    >>> _ = (root / "a.csv").read_text()
    >>> stop()
    ['a.csv', 'data/processed/people.parquet']
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

_root: str | None = None      # the study folder being recorded, with a trailing separator
_seen: set[str] = set()       # paths relative to the study folder
_thread: int | None = None    # only reads by the thread that started recording count
_hooked = False
# Never inputs: published output, caches, the notebook kernel's own byte code.
_SKIP_PARTS = ("reports", "__pycache__")


def _keep(rel: str) -> bool:
    parts = rel.split(os.sep)
    return not (parts[0] in _SKIP_PARTS or parts[:2] == ["data", "cache"]
                or any(p.startswith(".") or p == "__pycache__" for p in parts))


def note(path) -> None:
    """Record that ``path`` was read (when recording; a path outside the study is ignored)."""
    if _root is None or threading.get_ident() != _thread:
        return
    full = os.path.abspath(os.fspath(path))
    if full.startswith(_root):
        rel = full[len(_root):]
        if _keep(rel):
            _seen.add(rel)


def _audit(event: str, args) -> None:
    # Called for every audit event in this process: return at once unless recording an open.
    if event != "open" or _root is None or threading.get_ident() != _thread:
        return
    path, mode, flags = args
    if isinstance(path, int):  # an open file descriptor, not a path
        return
    reading = ("r" in mode and "+" not in mode) if isinstance(mode, str) else \
        not (flags or 0) & (os.O_WRONLY | os.O_RDWR)
    if not reading:
        return
    try:
        full = os.fsdecode(path)
    except TypeError:
        return
    if not full.endswith((".pyc", ".ipynb")) and os.path.isfile(full):
        note(full)


def start(root) -> None:
    """Begin recording the files this thread reads below ``root`` (forgets an earlier recording)."""
    global _root, _thread, _hooked
    _seen.clear()
    _thread = threading.get_ident()
    _root = os.path.join(os.path.abspath(os.fspath(root)), "")
    if not _hooked:
        sys.addaudithook(_audit)  # cannot be removed again; it does nothing while not recording
        _hooked = True


def stop() -> list[str]:
    """Stop recording; the files read, relative to the study folder, sorted, with ``/``."""
    global _root
    _root = None
    return sorted(p.replace(os.sep, "/") for p in _seen)


@contextlib.contextmanager
def paused():
    """Reads inside do not count (in the recording thread; other threads never count): for work shared by
    the pages of a build whose inputs are noted separately (the disclosure plan, ``impact.figures``)."""
    global _root
    if threading.get_ident() != _thread or _root is None:
        yield
        return
    root, _root = _root, None
    try:
        yield
    finally:
        _root = root


# --- which processed tables a computation used ----------------------------------------------------------

_tracking = threading.local()  # the sets of table names being collected in this thread (``tables_used``)


@contextlib.contextmanager
def tables_used():
    """The names of the processed tables used inside (``touch``: ``impact.data.Tables`` and ``Study.table``
    tell it), also when read earlier and kept: what a result kept between builds depends on
    (``impact.figures.disclosure.KeptValues``). Unlike ``start``, in any thread, and nested.

    Example:
        >>> with tables_used() as used:
        ...     touch("codings")
        >>> sorted(used)
        ['codings']
    """
    stack = _tracking.__dict__.setdefault("stack", [])
    used: set[str] = set()
    stack.append(used)
    try:
        yield used
    finally:
        stack.pop()
        if stack:
            stack[-1].update(used)


def touch(*names: str) -> None:
    """Tell ``tables_used`` (when one is open in this thread) that tables ``names`` are used."""
    stack = getattr(_tracking, "stack", None)
    if stack:
        stack[-1].update(names)
