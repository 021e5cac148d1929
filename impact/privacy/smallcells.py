"""Small cells: no published count of persons below ``k``, and none that can be recomputed.

Primary suppression hides every count from 1 to ``k - 1`` (0 stays: "nobody"
is shown, as in most statistical offices' practice; ``hide_zero=True``
hides zeros too). Secondary suppression then makes sure no hidden count
can be recomputed from a total: in every *line* that sums to a known total,
either no cell is hidden or at least two are. The lines are

* each count column, because its column total is known or can be read
  from elsewhere in the report (``column_totals=True``, the default);
* each row, when ``total_columns`` hold row totals (the sum of the
  ``count_columns`` in that row); a total below ``k`` is hidden too.

The extra cell hidden in a line is the smallest count that is still shown
(a non-zero one first), repeated until every line is safe. This is the
usual greedy method (see the ONS and ACRO output-checking guides); it does
not prove that no interval can be narrowed, so keep tables small.

**The choice for hidden cells**: a hidden count becomes ``null`` in its own
column, which keeps its number type, so charts simply draw no bar.
``flags=True`` adds a boolean ``<column>_suppressed`` per count column;
``small_cell_labels`` adds ``<column>_label`` text with ``"< k"`` for the
hidden cells, for tables and chart labels.

Example:
    >>> import polars as pl
    >>> df = pl.DataFrame({"district": ["Noord", "Oost", "West"], "persons": [3, 12, 9]})
    >>> suppress_small_cells(df, ["persons"], k=5)["persons"].to_list()
    [None, 12, None]
    >>> small_cell_labels(df, ["persons"], k=5)["persons_label"].to_list()
    ['< 5', '12', '< 5']
"""

from __future__ import annotations

from typing import Sequence


def _to_polars(df):
    import polars as pl

    if isinstance(df, pl.DataFrame):
        return df, False
    return pl.from_pandas(df), True


def _back(df, was_pandas: bool):
    return df.to_pandas() if was_pandas else df


def suppression_mask(values: list[list[float | None]], n_counts: int, k: int, *,
                     column_totals: bool = True, hide_zero: bool = False) -> list[list[bool]]:
    """Which cells to hide, for a matrix of rows x (count columns, then total columns).

    Pure Python, so it can be checked by hand. ``n_counts``: how many of the
    columns are counts; the rest are row totals of those counts.

    Example (a 2 x 2 table with row totals; the 2 needs a partner in its row
    and in its column, and the 6 then needs one in its column):
        >>> suppression_mask([[2, 6, 8], [7, 9, 16]], n_counts=2, k=5)
        [[True, True, False], [True, True, False]]
    """
    n_rows = len(values)
    n_cols = len(values[0]) if values else 0

    def small(v):
        return v is not None and (0 < v < k or (hide_zero and v == 0))

    hidden = [[small(v) for v in row] for row in values]
    lines: list[list[tuple[int, int]]] = []
    if column_totals and n_rows > 1:
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    for r in range(n_rows):
        for t in range(n_counts, n_cols):
            lines.append([(r, c) for c in range(n_counts)] + [(r, t)])
    changed = True
    while changed:
        changed = False
        for line in lines:
            known = [(r, c) for r, c in line if values[r][c] is not None]
            n_hidden = sum(hidden[r][c] for r, c in known)
            if n_hidden != 1 or len(known) < 2:
                continue
            shown = [(r, c) for r, c in known if not hidden[r][c]]
            # a non-zero count first (hiding a 0 says little), counts before totals, smallest first
            r, c = min(shown, key=lambda rc: (values[rc[0]][rc[1]] == 0, rc[1] >= n_counts,
                                              values[rc[0]][rc[1]]))
            hidden[r][c] = True
            changed = True
    return hidden


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


def suppressed_label(k: int) -> str:
    """What readers see instead of a hidden count: ``"< 5"``."""
    return f"< {int(k)}"


def small_cell_labels(df, count_columns: Sequence[str], k: int = 5,
                      total_columns: Sequence[str] | None = None, *, lang: str = "nl", **options):
    """Suppressed ``df`` plus a text column ``<column>_label`` per count column (and total):
    the number (1.234 in Dutch, 1,234 in English) or ``"< k"``. For tables and chart labels.

    Example:
        >>> import polars as pl
        >>> df = pl.DataFrame({"kind": ["a", "b", "c"], "n": [1200, 3, 8]})
        >>> small_cell_labels(df, ["n"], k=5)["n_label"].to_list()
        ['1.200', '< 5', '< 5']
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

    exprs = [pl.when(pl.col(f"{c}_suppressed")).then(pl.lit(suppressed_label(k)))
             .otherwise(pl.col(c).map_elements(fmt, return_dtype=pl.Utf8)).alias(f"{c}_label") for c in cols]
    out = out.with_columns(exprs).drop([f"{c}_suppressed" for c in cols])
    return _back(out, was_pandas)
