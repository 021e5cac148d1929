"""Disclosure control for every page of a build: one suppression step for all counts of persons.

A count of persons may be hidden on one page and still be read on another:
as the difference between a group and its subgroup on the same page ("7
started, 6 got a certificate": 1 did not), or between the whole study and
the districts ("12 in all, 5 and 4 in two districts": 3 in the third).
So the figures are not protected one by one, but together: the whole study
and every district (the pages one build can publish), with the sums that
hold between them, go through ``impact.privacy.smallcells.protect`` once.
Every page, the infographic and the footer then show the same decision.

The sums come from the registry (``impact.figures``):

* a figure with ``part_of``: a subgroup of another figure (its parent =
  the subgroup + the rest, a cell no page shows);
* a figure with ``by`` and ``total``: its values add up to ``total``
  (co-researchers per role);
* every count of persons: the whole study = the districts + the persons
  in no district (a rest no page shows);
* a figure with ``by="district"`` and ``of``: the same figure per district
  (residents reached per district are the district pages' residents reached).

The decision depends only on the data, the period and ``k``: a page built
alone or in a build of all districts shows the same values.

Example (with the tables of a page)::

    hidden = hidden_cells(tables)          # {(figure, district or None, key or None), ...}
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from impact.fingerprints import code_stamp

WHOLE = None  # the scope of the whole study


def scope_of(tables):
    """The page's scope: ``None`` (the whole study), a district, or a tuple of districts."""
    if not tables.district:
        return WHOLE
    return tables.district[0] if len(tables.district) == 1 else tuple(tables.district)


def scopes(tables) -> dict:
    """The tables of every scope a build can publish next to this page: the whole study and each
    district (and the page's own scope when it is several districts), for the same period.

    Made once per study, period and version of the data in this process: the tables read from disk
    (and what they worked out) are shared by every table a page protects.
    """
    own = scope_of(tables)
    return _scopes(str(tables.study.root), tables.period, _fingerprint(tables.study),
                   own if isinstance(own, tuple) else ())


@lru_cache(maxsize=4)
def _scopes(root, period, fingerprint, own) -> dict:
    from impact.data import Tables
    from impact.study import Study

    study = Study.load(root)
    out = {WHOLE: Tables(study=study, period=period)}
    for district in study.config.districts:
        out[district] = Tables(study=study, district=[district], period=period)
    if own:
        out[own] = Tables(study=study, district=list(own), period=period)
    return out


def _persons(figure) -> bool:
    return figure.unit == "persons" and figure.privacy == "small_cells"


def cells_and_lines(tables, kept: "KeptValues | None" = None):
    """Every count of persons of every scope (``(figure, scope, key)``: its number) and the sums between them.

    Returns ``(values, lines, rests, empty)``: ``rests`` are cells no page shows; ``empty`` are rests
    that are 0, which a reader can take for granted (nobody outside the districts).
    """
    from polars.exceptions import PolarsError

    from impact.errors import ImpactError
    from impact.figures import catalogue, raw_numbers
    from impact.privacy.smallcells import Line

    every = scopes(tables)
    districts = [s for s in every if isinstance(s, str)]
    values: dict = {}
    lines: list = []
    rests: set = set()
    empty: set = set()

    def rest(total, parts, tag, assumed_empty: bool = False):
        """The part of ``total`` that ``parts`` leave, as a cell no page shows. ``assumed_empty``: a
        reader takes it for 0 (everyone lives in a district, has a role), so when it is 0 it is known."""
        key = ("rest", tag)
        known = [values[p] for p in parts if values.get(p) is not None]
        if values.get(total) is None:
            return
        values[key] = values[total] - sum(known)
        (empty if assumed_empty and values[key] == 0 else rests).add(key)
        lines.append(Line(total, (*parts, key)))

    def work_out(f, t):
        """A figure's raw value; a figure this study cannot count (a table without the column it
        needs) counts nothing here: the page that shows it says what is wrong."""
        try:
            return raw_numbers(f, t)
        except (ImpactError, PolarsError, KeyError):
            return None

    def compute(f, t, scope):
        return work_out(f, t) if kept is None else kept.value(f.name, scope, lambda: work_out(f, t))

    plain = [f for f in catalogue() if _persons(f) and f.by is None]
    split = [f for f in catalogue() if _persons(f) and f.by is not None and f.of is None]
    for scope, t in every.items():
        for f in plain:
            values[(f.name, scope, None)] = compute(f, t, scope)
        for f in split:
            for key, n in (compute(f, t, scope) or {}).items():
                values[(f.name, scope, key)] = n
    for scope in every:
        for f in plain:
            if f.part_of:
                rest((f.part_of, scope, None), [(f.name, scope, None)], (f.name, scope))
        for f in split:
            keys = [c for c in values if c[0] == f.name and c[1] == scope]
            if f.total and keys:
                rest((f.total, scope, None), keys, (f.name, scope), assumed_empty=True)
    for f in plain:
        rest((f.name, WHOLE, None), [(f.name, d, None) for d in districts], (f.name, "districts"), True)
    for f in split:
        for key in {c[2] for c in values if c[0] == f.name and c[1] is WHOLE}:
            rest((f.name, WHOLE, key), [(f.name, d, key) for d in districts], (f.name, key, "districts"), True)
    return values, lines, rests, empty


def _fingerprint(study) -> tuple:
    folder = study.processed
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def hidden_cells(tables) -> frozenset:
    """The counts of persons no page of this study (whole or per district, this period) shows.

    Worked out once per study, period, ``k`` and version of the processed data (in this process).
    """
    study = tables.study
    # one plan for the whole study and every district; a page about several districts adds its own scope
    own = tuple(sorted(tables.district)) if tables.district and len(tables.district) > 1 else ()
    return _plan(str(study.root), tables.period, tables.k, _fingerprint(study), own)


def related(name: str) -> set[str]:
    """The figures whose values decide together whether ``name`` is hidden: those linked to it by a sum
    (``part_of``, ``total``, ``of``), however far. Other figures never change its decision."""
    from impact.figures import catalogue

    links: dict[str, set[str]] = {}
    for f in catalogue():
        for other in (f.part_of, f.total, f.of):
            if other:
                links.setdefault(f.name, set()).add(other)
                links.setdefault(other, set()).add(f.name)
    found, todo = {name}, [name]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def _note_inputs(tables, name: str) -> None:
    """A page that shows ``name`` depends on the tables of every figure that decides with it, also when the
    decision was made earlier in this process: tell ``impact.reads`` (a report's inputs), every time."""
    from impact import reads
    from impact.figures import get

    for other in related(name):
        for table in get(other).tables:
            reads.note(tables.study.processed / f"{table}.parquet")


@lru_cache(maxsize=8)
def _plan(root, period, k, fingerprint, own) -> frozenset:
    """The hidden cells, worked out once per version of the data for all processes of a build: the kernels
    that run the notebooks and the infographic take turns; the first one writes the plan to
    ``data/cache/disclosure`` (private, never published), the others read it."""
    import ast
    import hashlib

    from impact.files import locked, write_atomic

    folder = Path(root) / "data" / "cache" / "disclosure"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _work_out(root, period, k, own)
    name = hashlib.sha256(repr((period, k, fingerprint, own, code_stamp())).encode()).hexdigest()[:32]
    path = folder / f"{name}.txt"
    with locked(folder):
        try:
            return frozenset(ast.literal_eval(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, SyntaxError, TypeError):
            pass  # not there yet (or unreadable): work it out
        hidden = _work_out(root, period, k, own)
        text = repr(sorted(hidden, key=repr))
        try:
            if frozenset(ast.literal_eval(text)) == hidden:  # only plain values: kept for the next process
                write_atomic(path, text)
                for old in sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_mtime)[:-16]:
                    old.unlink(missing_ok=True)
        except (ValueError, SyntaxError, TypeError, OSError):
            pass
    return hidden


def _work_out(root, period, k, own) -> frozenset:
    from impact import reads
    from impact.data import Tables
    from impact.privacy.smallcells import protect
    from impact.study import Study

    # not an input of the page that happens to work it out first: what a page's hidden values depend on is
    # noted by is_hidden (the tables of the figures linked to each value), the same for every page
    study = Study.load(root)
    kept = KeptValues.load(study, period)
    with reads.paused():
        tables = Tables(study=study, district=list(own) or None, period=period)
        values, lines, rests, empty = cells_and_lines(tables, kept)  # the shared tables of every scope
    kept.save()
    return frozenset(protect(values, lines, k, unpublished=rests | empty, always_known=empty))


class KeptValues:
    """The figures' values of the last plan, each with the tables it used and their versions
    (``impact.data.shared.versions``: ``impact process`` leaves unchanged tables as they were): after one coding
    changed, only the figures that used ``codings`` are worked out again. Kept in
    ``data/cache/disclosure`` (private, never published), per period and version of impact's code.
    """

    def __init__(self, study, path: Path | None, old: dict):
        self.study, self.path, self.old, self.new = study, path, old, {}

    @classmethod
    def load(cls, study, period) -> "KeptValues":
        import ast
        import hashlib

        folder = study.root / "data" / "cache" / "disclosure"
        name = hashlib.sha256(repr(("values", period, code_stamp())).encode()).hexdigest()[:32]
        path = folder / f"values-{name}.txt"
        try:
            old = ast.literal_eval(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, SyntaxError, TypeError, MemoryError):
            old = {}
        return cls(study, path if folder.is_dir() else None, old if isinstance(old, dict) else {})

    def _versions(self, names) -> tuple:
        from impact.data.shared import versions

        return versions(self.study.processed, names)

    def value(self, figure: str, scope, work_out):
        """The value of ``figure`` for ``scope``: kept when none of the tables it used changed."""
        from impact import reads

        key = (figure, repr(scope))
        hit = self.old.get(key)
        if hit is not None and hit[0] == self._versions(version[0] for version in hit[0]):
            self.new[key] = hit
            return hit[1]
        with reads.tables_used() as used:
            value = work_out()
        self.new[key] = (self._versions(used), _plain(value))
        return value

    def save(self) -> None:
        import ast

        from impact.files import write_atomic

        if self.path is None:
            return
        text = repr(self.new)
        try:
            if ast.literal_eval(text) == self.new:  # plain values only (else worked out every time)
                write_atomic(self.path, text)
        except (ValueError, SyntaxError, TypeError, OSError):
            pass


def _plain(value):
    """Numbers as Python ints, so the kept values can be read back with ``ast.literal_eval``."""
    import numbers

    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    return value


def is_hidden(tables, name: str, key=None) -> bool:
    """Whether the count of persons ``name`` (``key`` for a figure per district, role...) is hidden
    on the pages of this scope."""
    from impact.figures import get

    figure = get(name)
    _note_inputs(tables, name)
    if figure.of is not None:  # the same figure per district
        return (figure.of, key, None) in hidden_cells(tables)
    return (name, scope_of(tables), key) in hidden_cells(tables)


def protect_table(tables, make, counts: list[str], *, keys: list[str], part_of: dict | None = None,
                  column_totals: bool = True, lang: str = "nl"):
    """A table of counts of persons for this page, protected together with the same table for the whole
    study and every district (the pages one build can publish).

    ``make(t)`` builds the table (polars) from a set of tables ``t``; ``keys``: the columns that name a
    row (a theme, a scale and a wave...). The lines of ``impact.privacy.smallcells.protect``: every
    count column of every scope (``column_totals``, see ``table_labels``), a subgroup and its group in
    a row (``part_of``), and every cell of the whole study = the same cell in each district (a row a
    district does not have is 0 there) + the persons in no district.

    Returns this page's table with each count column as text: the number, ``< k`` or ``x``
    (``show.table`` shows it as it is and marks it as a count of persons).

    Example (in a notebook)::

        visits = disclosure.protect_table(tables, lambda t: q.repeat_summary(t.responses, ...),
                                          ["respondents"], keys=["label"], column_totals=False)
    """
    import polars as pl

    from impact.privacy.smallcells import Line, count_text, protect

    every = scopes(tables)
    own = scope_of(tables)
    # the page's own table from the page's own tables: what it reads is recorded as its input
    frames = {scope: make(tables if scope == own else t) for scope, t in every.items()}
    districts = [s for s in every if isinstance(s, str)]
    values: dict = {}
    lines: list = []
    known: set = set()
    rests: set = set()
    for scope, frame in frames.items():
        rows = [(tuple(r[:len(keys)]), r[len(keys):]) for r in frame.select(*keys, *counts).rows()]
        for key, numbers in rows:
            for c, v in zip(counts, numbers):
                values[(scope, key, c)] = v
        if column_totals and len(rows) > 1:
            for c in counts:
                if c in (part_of or {}).values():
                    continue
                cells = tuple((scope, key, c) for key, _ in rows if values[(scope, key, c)] is not None)
                values[(scope, "total", c)] = sum(values[cell] for cell in cells)
                known.add((scope, "total", c))
                lines.append(Line((scope, "total", c), cells))
        for child, parent in (part_of or {}).items():
            for key, _ in rows:
                if values[(scope, key, child)] is None or values[(scope, key, parent)] is None:
                    continue
                rest = ("rest", scope, key, child)
                values[rest] = values[(scope, key, parent)] - values[(scope, key, child)]
                rests.add(rest)
                lines.append(Line((scope, key, parent), ((scope, key, child), rest)))
    whole_rows = _row_keys(frames[WHOLE], keys)
    for key, c in ((key, c) for key in whole_rows for c in counts):
        total = values[(WHOLE, key, c)]
        if total is None:
            continue
        parts = []
        for d in districts:
            if (d, key, c) not in values:  # a row this district does not have: 0, as a reader reads it
                values[(d, key, c)] = 0
                known.add((d, key, c))
            parts.append((d, key, c))
        rest = ("rest", "districts", key, c)
        values[rest] = total - sum(values[p] or 0 for p in parts)
        (known if values[rest] == 0 else rests).add(rest)
        lines.append(Line((WHOLE, key, c), (*parts, rest)))
    hidden = protect(values, lines, tables.k, unpublished=rests | known, always_known=known)
    frame = frames[own]
    keyed = _row_keys(frame, keys)
    return frame.with_columns([
        pl.Series(c, [count_text(values[(own, key, c)], (own, key, c) in hidden, tables.k, lang) for key in keyed],
                  pl.Utf8) for c in counts])


def _row_keys(frame, keys: list[str]) -> list[tuple]:
    """What names each row (``()`` for every row of a one-row table without keys)."""
    return [tuple(r) for r in frame.select(keys).rows()] if keys else [()] * frame.height


__all__ = ["cells_and_lines", "hidden_cells", "is_hidden", "protect_table", "related", "scope_of", "scopes"]
