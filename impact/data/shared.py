"""Results worked out once for all processes of a study, kept while the tables they used stay the same.

A build runs its notebooks in two kernels and draws the infographic beside
them; several of them need the same costly result (the coders' agreement, a
key figure). ``Tables.shared`` works it out once and keeps it in
``data/cache/shared`` (private, never published) with the tables it used
and their versions; the other processes, and later builds, take it from
there while none of those tables changed. Two processes that need it at the
same moment take turns (a lock per result): the second one waits and reads
it instead of working it out too. A result is kept per scope (districts,
period), per version of impact's code, of ``impact.toml`` and of the
questionnaires.

Example:
    >>> import tempfile, pathlib
    >>> from impact.study import Study
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "impact.toml").write_text('[study]\\nname = "x"\\n')
    >>> kept = SharedResults(Study.load(root), scope=None)
    >>> kept.value("answer", lambda: 42)
    (42, frozenset())
    >>> kept.value("answer", lambda: 0)   # kept: not worked out again
    (42, frozenset())
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

FOLDER = ("data", "cache", "shared")
_KEEP_FILES = 512  # results kept at most (the oldest go first): results of old code or data add up


def versions(processed: Path, names) -> tuple:
    """Each processed table's name with its version (``impact.files.file_version``): ``impact process``
    replaces a changed table by a new file, and leaves an unchanged one as it is."""
    from impact.files import file_version

    return tuple((name, file_version(processed / f"{name}.parquet")) for name in sorted(names))


def _stamp(study) -> str:
    """impact's code, ``impact.toml`` and the questionnaires: when one changes, nothing kept is used."""
    from impact.files import file_version
    from impact.fingerprints import code_stamp

    files = [Path(study.root) / "impact.toml"]
    questionnaires = getattr(study, "questionnaires", None)
    if questionnaires is not None and Path(questionnaires).is_dir():
        files += sorted(Path(questionnaires).glob("*.xlsx"))
    return repr((code_stamp(), [(path.name, file_version(path)) for path in files]))


class SharedResults:
    """The results kept for one study and scope (see the module docs)."""

    def __init__(self, study, scope):
        self.folder = Path(study.root, *FOLDER)
        self.processed = Path(study.processed)
        self.prefix = repr((_stamp(study), scope))

    def value(self, key, make) -> tuple[object, frozenset]:
        """``(result, tables used)``: kept, or ``make()`` (and kept for the others)."""
        from impact import reads
        from impact.files import locked

        def work_out():
            with reads.tables_used() as used:
                return make(), frozenset(used)

        name = hashlib.sha256(f"{self.prefix}\0{key!r}".encode()).hexdigest()[:32]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:  # a study folder that cannot be written: worked out here, as before
            return work_out()
        path = self.folder / f"{name}.pickle"
        with locked(self.folder / f"{name}.lock"):
            kept = self._read(path, name)
            if kept is None:
                kept = work_out()
                self._write(path, name, used=kept[1], result=kept[0])
        return kept

    def _read(self, path: Path, name: str):
        try:
            with open(path, "rb") as f:
                stored_name, stored_versions, result = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return None  # not there yet, or written by other code
        used = frozenset(n for n, _ in stored_versions)
        if stored_name != name or stored_versions != versions(self.processed, used):
            return None
        return result, used

    def _write(self, path: Path, name: str, used: frozenset, result) -> None:
        from impact.files import write_atomic

        try:
            data = pickle.dumps((name, versions(self.processed, used), result), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a result that cannot be kept is worked out by each process
        try:
            write_atomic(path, data)
        except OSError:
            return
        files = sorted(self.folder.glob("*.pickle"), key=_age)
        for old in files[:-_KEEP_FILES]:
            old.unlink(missing_ok=True)
            old.with_suffix(".lock").unlink(missing_ok=True)


def _age(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


__all__ = ["FOLDER", "SharedResults", "versions"]
