"""Small cells: no published count of persons below ``k``, and none that can be recomputed.

Primary suppression hides every count from 1 to ``k - 1`` (0 stays: "nobody"
is shown, as in most statistical offices' practice; ``hide_zero=True``
hides zeros too). Secondary suppression then makes sure no hidden count
can be worked out from a total: in every *line* that sums to a known total,
what the shown cells leave of the total (the total minus the shown parts)
is 0 or at least ``k``, and no single cell can be worked out as a small
count. The lines are

* each count column, because its column total is known or can be read
  from elsewhere in the report (``column_totals=True``, the default);
* each row, when ``total_columns`` hold row totals (the sum of the
  ``count_columns`` in that row); a total below ``k`` is hidden too.

The extra cell hidden in a line is the smallest count that is still shown
(a non-zero one first), repeated until every line is safe. This is the
usual greedy method (see the ONS and ACRO output-checking guides); it does
not prove that no interval can be narrowed, so keep tables small.
``protect`` is the same rule for any cells and lines, for example the
figures of every page of a build (``impact.figures.disclosure``).

**The choice for hidden cells**: a hidden count becomes ``null`` in its own
column, which keeps its number type. ``flags=True`` adds a boolean
``<column>_suppressed`` per count column; ``small_cell_labels`` adds
``<column>_label`` text for tables and chart labels: ``"< k"`` for a
count from 1 to k - 1, ``"x"`` for a count hidden only because it would
give a small one away (it is not small itself, so it must not read as
"< k"). A chart draws a hidden count as its label, never as a missing bar
(``impact.charts.count_bars``).

Example:
    >>> import polars as pl
    >>> df = pl.DataFrame({"district": ["Noord", "Oost", "West"], "persons": [3, 12, 9]})
    >>> suppress_small_cells(df, ["persons"], k=5)["persons"].to_list()
    [None, 12, None]
    >>> small_cell_labels(df, ["persons"], k=5)["persons_label"].to_list()
    ['< 5', '12', 'x']
"""

from __future__ import annotations

from typing import Collection, Hashable, Mapping, NamedTuple, Sequence


def _to_polars(df):
    import polars as pl

    if isinstance(df, pl.DataFrame):
        return df, False
    return pl.from_pandas(df), True


def _back(df, was_pandas: bool):
    return df.to_pandas() if was_pandas else df


class Line(NamedTuple):
    """Cells that add up: ``total`` is the sum of ``parts`` (a reader who knows all but one cell knows
    that one too). ``total`` may be a cell no page shows (``unpublished``), such as "the rest"."""

    total: Hashable
    parts: tuple


def protect(values: Mapping[Hashable, float | None], lines: Sequence[Line], k: int, *,
            unpublished: Collection[Hashable] = (), always_known: Collection[Hashable] = (),
            hidden: Collection[Hashable] = (), hide_zero: bool = False) -> set:
    """Which published cells to hide so that no count from 1 to ``k - 1`` can be read or worked out.

    ``values``: every cell's true number (``None``: not a number; such a cell is left out of its lines).
    ``lines``: sums that hold (``Line(total, parts)``). ``unpublished``: cells no page shows (a rest, or
    the part of a group that is not in a subgroup); ``always_known``: cells a reader knows anyway (a
    column total printed elsewhere); they are never hidden. ``hidden``: cells hidden already.

    The rule, for every line: a cell a reader can work out (all other cells of the line known) must
    not be a small count, and the part of a known total that is not shown (total minus the shown
    parts) must not be a small count either: two hidden cells 2 and 1 next to a shown total still
    give away "3". Primary suppression hides every small count; then, while a line breaks the
    rule, one more cell is hidden: in the line that let a reader work out a cell, a non-zero count
    first, parts before totals, the smallest first (the usual greedy method; it does not prove that
    no interval can be narrowed, so keep tables small).

    Example (a total of 23 with parts 20 and 3, k = 5: the 3 is hidden, and so is the 20):
        >>> sorted(protect({"t": 23, "a": 20, "b": 3}, [Line("t", ("a", "b"))], 5))
        ['a', 'b']
    """
    unpublished, always_known = set(unpublished), set(always_known)
    lines = [Line(ln.total, tuple(p for p in ln.parts if values.get(p) is not None)) for ln in lines
             if values.get(ln.total) is not None]
    lines = [ln for ln in lines if ln.parts]

    def small(key) -> bool:
        v = values.get(key)
        return v is not None and (0 < v < k or (hide_zero and v == 0))

    published = [key for key in values if key not in unpublished and values[key] is not None]
    out = {key for key in published if small(key) and key not in always_known} | set(hidden)
    done: set[int] = set()  # lines where every cell in reach is hidden already (a known total that is small)
    while True:
        known = {key for key in published if key not in out} | always_known
        source: dict[Hashable, int] = {}  # a worked-out cell -> the line it was worked out from
        changed = True
        while changed:
            changed = False
            for i, (total, parts) in enumerate(lines):
                unknown = [c for c in (total, *parts) if c not in known]
                if len(unknown) == 1:
                    known.add(unknown[0])
                    source[unknown[0]] = i
                    changed = True
        broken = None
        for i, (total, parts) in enumerate(lines):
            if total not in known or i in done:
                continue
            rest = [p for p in parts if p not in known]
            residual = values[total] - sum(values[p] for p in parts if p in known)
            if rest and (0 < residual < k or (hide_zero and residual == 0 and len(rest) == 1)):
                broken = i
                break
            worked_out = [c for c in (total, *parts) if source.get(c) == i and small(c)]
            if worked_out:
                broken = i
                break
        if broken is None:
            return out
        pick = _next_to_hide(lines, broken, known, source, out, unpublished | always_known, values)
        if pick is None:  # everything in reach is hidden: a small total known from elsewhere says it already
            done.add(broken)
        else:
            out.add(pick)


def _next_to_hide(lines, broken, known, source, out, fixed, values):
    """The cell to hide next: in the lines a worked-out cell of the broken line came from, else in
    the broken line itself (then the other way round); a non-zero count first, parts before totals,
    smallest first."""
    def candidates(i):
        total, parts = lines[i]
        return [(values[c] == 0, c == total, values[c], n, c) for n, c in enumerate((total, *parts))
                if c not in out and c not in fixed and c in known and source.get(c) is None]

    total, parts = lines[broken]
    upstream = sorted({source[c] for c in (total, *parts) if source.get(c) not in (None, broken)})
    for group in ([j for j in upstream], [broken]) if upstream else ([broken], []):
        found = [cand for j in group for cand in candidates(j)]
        if found:
            return min(found, key=lambda t: t[:4])[4]
    return None


def suppression_mask(values: list[list[float | None]], n_counts: int, k: int, *,
                     column_totals: bool = True, hide_zero: bool = False) -> list[list[bool]]:
    """Which cells to hide, for a matrix of rows x (count columns, then total columns).

    Pure Python, so it can be checked by hand. ``n_counts``: how many of the
    columns are counts; the rest are row totals of those counts. The lines
    of ``protect`` are the columns (their total known to readers when
    ``column_totals``) and each row with its totals.

    Example (a 2 x 2 table with row totals; the 2 needs a partner in its row
    and in its column, and the 6 then needs one in its column):
        >>> suppression_mask([[2, 6, 8], [7, 9, 16]], n_counts=2, k=5)
        [[True, True, False], [True, True, False]]
    """
    n_rows = len(values)
    n_cols = len(values[0]) if values else 0
    cells = {(r, c): values[r][c] for r in range(n_rows) for c in range(n_cols)}
    lines: list[Line] = []
    virtual = set()
    if column_totals and n_rows > 1:
        for c in range(n_cols):
            column = [(r, c) for r in range(n_rows) if values[r][c] is not None]
            cells[("total", c)] = sum(values[r][c] for r, _ in column)
            virtual.add(("total", c))
            lines.append(Line(("total", c), tuple(column)))
    for r in range(n_rows):
        for t in range(n_counts, n_cols):
            lines.append(Line((r, t), tuple((r, c) for c in range(n_counts))))
    hidden = protect(cells, lines, k, always_known=virtual, hide_zero=hide_zero)
    return [[(r, c) in hidden for c in range(n_cols)] for r in range(n_rows)]


def suppress_small_cells(df, count_columns: Sequence[str], k: int = 5,
                         total_columns: Sequence[str] | None = None, *, column_totals: bool = True,
                         hide_zero: bool = False, flags: bool = False):
    """``df`` with counts of persons below ``k`` hidden (null), plus secondary suppression.

    ``count_columns``: columns that count persons. ``total_columns``: row
    totals of those (hidden when below ``k``, and checked as lines).
    Works on polars and pandas frames and returns the same kind. See the
    module docs for the rules.

    Example (primary 2, then the smallest other district so 2 cannot be
    recomputed from the total):
        >>> import polars as pl
        >>> df = pl.DataFrame({"district": ["N", "O", "W", "Z"], "n": [2, 40, 7, 30]})
        >>> suppress_small_cells(df, ["n"], k=5, flags=True).rows()
        [('N', None, True), ('O', 40, False), ('W', None, True), ('Z', 30, False)]
    """
    import polars as pl

    frame, was_pandas = _to_polars(df)
    counts = [c for c in count_columns if c in frame.columns]
    totals = [c for c in (total_columns or []) if c in frame.columns and c not in counts]
    cols = counts + totals
    if not cols or frame.height == 0:
        if flags:
            frame = frame.with_columns([pl.lit(False).alias(f"{c}_suppressed") for c in cols])
        return _back(frame, was_pandas)
    matrix = [list(row) for row in frame.select(cols).iter_rows()]
    hidden = suppression_mask(matrix, len(counts), int(k), column_totals=column_totals, hide_zero=hide_zero)
    exprs = []
    for j, c in enumerate(cols):
        mask = pl.Series(f"{c}_suppressed", [row[j] for row in hidden], pl.Boolean)
        exprs.append(pl.when(mask).then(None).otherwise(pl.col(c)).alias(c))
        if flags:
            exprs.append(mask)
    return _back(frame.with_columns(exprs), was_pandas)


def suppressed_label(k: int, value: float | None = 1) -> str:
    """What readers see instead of a hidden count: ``"< 5"`` for a small count, ``"x"`` for one hidden
    because it would give a small count away."""
    return f"< {int(k)}" if value is not None and 0 < value < k else "x"


def small_cell_labels(df, count_columns: Sequence[str], k: int = 5,
                      total_columns: Sequence[str] | None = None, *, lang: str = "nl", **options):
    """Suppressed ``df`` plus a text column ``<column>_label`` per count column (and total):
    the number (1.234 in Dutch, 1,234 in English), ``"< k"`` or ``"x"`` (see ``suppressed_label``).
    For tables and chart labels.

    Example:
        >>> import polars as pl
        >>> df = pl.DataFrame({"kind": ["a", "b", "c"], "n": [1200, 3, 8]})
        >>> small_cell_labels(df, ["n"], k=5)["n_label"].to_list()
        ['1.200', '< 5', 'x']
    """
    import polars as pl

    frame, was_pandas = _to_polars(df)
    options.pop("flags", None)
    out = suppress_small_cells(frame, count_columns, k, total_columns, flags=True, **options)
    cols = [c for c in [*count_columns, *(total_columns or [])] if c in frame.columns]

    def fmt(v):
        if v is None:
            return None
        text = f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "nl" else text

    small = f"< {int(k)}"
    exprs = [pl.when(pl.col(f"{c}_suppressed") & frame[c].is_between(1, k - 1, closed="both")
                     .fill_null(False).alias("_small")).then(pl.lit(small))
             .when(pl.col(f"{c}_suppressed")).then(pl.lit("x"))
             .otherwise(pl.col(c).map_elements(fmt, return_dtype=pl.Utf8)).alias(f"{c}_label") for c in cols]
    out = out.with_columns(exprs).drop([f"{c}_suppressed" for c in cols])
    return _back(out, was_pandas)


def table_labels(df, count_columns: Sequence[str], k: int = 5, *, part_of: Mapping[str, str] | None = None,
                 column_totals: bool = True, lang: str = "nl"):
    """``df`` (polars) with a text column ``<column>_label`` per count column: the number, ``"< k"`` or
    ``"x"``, after ``protect`` (hidden counts also become null).

    The lines: each count column (its total known to readers) when ``column_totals``, except the
    columns that are a group of another (``part_of``); and per row, ``part_of={"mention": "people"}``:
    the people who mention something are a subgroup of the people in that row, so neither the
    subgroup nor the rest may be small. Use ``column_totals=False`` when the rows overlap (a person
    can mention two themes): then a column adds up to nothing a reader knows.

    Example (row 1: 26 of 28 mention it, so 2 do not: the 26 is hidden; row 2: 3 of 11):
        >>> import polars as pl
        >>> df = pl.DataFrame({"mention": [26, 3, 20], "people": [28, 11, 28]})
        >>> out = table_labels(df, ["mention", "people"], 5, part_of={"mention": "people"}, column_totals=False)
        >>> out["mention_label"].to_list(), out["people_label"].to_list()
        (['x', '< 5', '20'], ['28', '11', '28'])
    """
    import polars as pl

    frame, was_pandas = _to_polars(df)
    part_of = dict(part_of or {})
    counts = [c for c in count_columns if c in frame.columns]
    rows = frame.select(counts).rows() if counts else []
    values: dict = {}
    lines: list[Line] = []
    always: set = set()
    rests: set = set()
    for r, row in enumerate(rows):
        for c, v in zip(counts, row):
            values[(r, c)] = v
    parents = set(part_of.values())
    if column_totals and len(rows) > 1:
        for c in counts:
            if c in parents:
                continue
            cells = tuple((r, c) for r in range(len(rows)) if values[(r, c)] is not None)
            values[("total", c)] = sum(values[cell] for cell in cells)
            always.add(("total", c))
            lines.append(Line(("total", c), cells))
    for child, parent in part_of.items():
        if child not in counts or parent not in counts:
            continue
        for r in range(len(rows)):
            if values[(r, child)] is None or values[(r, parent)] is None:
                continue
            values[("rest", r, child)] = values[(r, parent)] - values[(r, child)]
            rests.add(("rest", r, child))
            lines.append(Line((r, parent), ((r, child), ("rest", r, child))))
    hidden = protect(values, lines, int(k), unpublished=rests, always_known=always)

    exprs = []
    for c in counts:
        column = [values[(r, c)] for r in range(len(rows))]
        exprs.append(pl.Series(c, [None if (r, c) in hidden else v for r, v in enumerate(column)],
                               frame.schema[c]))
        exprs.append(pl.Series(f"{c}_label", [count_text(v, (r, c) in hidden, k, lang)
                                              for r, v in enumerate(column)], pl.Utf8))
    return _back(frame.with_columns(exprs), was_pandas)


def count_text(value: float | None, hidden: bool, k: int, lang: str = "nl") -> str | None:
    """A count as a table shows it: ``1.234`` (nl) or ``1,234`` (en), ``< k``, ``x`` (see ``suppressed_label``),
    or ``None`` when there is no number."""
    if hidden:
        return suppressed_label(k, value)
    if value is None:
        return None
    out = f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"
    return out.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "nl" else out
