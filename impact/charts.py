"""Bar charts of counts of persons in which a hidden count never looks like zero.

Every bar carries its number as text. A count hidden because it is small
is drawn as a pale, dashed bar up to ``k`` with the text ``< k`` (the
count is somewhere below it); a count hidden only so that a small one
cannot be worked out gets the text ``x`` and no bar. The page explains
both once (``impact.figures.hidden_note``).

The number texts are marked as counts of persons in the SVG
(``data-count="persons"``, see ``impact.report.show.svg_for_page``), so
the publish guard checks them like the numbers in tables.

Example:
    >>> import polars as pl
    >>> frame = count_labels(pl.DataFrame({"step": ["a", "b", "c"], "n": [12, 3, 9]}), "n", k=5)
    >>> frame.select("step", "label", "small").rows()
    [('a', '12', False), ('b', '< 5', True), ('c', 'x', False)]
"""

from __future__ import annotations

from impact.vocabulary import PALETTE

# The description the number texts get in the Vega spec; show.svg_for_page turns it into data-count.
COUNT_MARK = "impact-count-persons"


def count_labels(frame, column: str, k: int, lang: str = "nl", **options):
    """``frame`` with the counts in ``column`` protected (``impact.privacy.suppress_small_cells``: hidden
    counts become null) and two columns for a chart: ``label`` (``1.234``, ``< k`` or ``x``) and
    ``small`` (hidden because it is small)."""
    import polars as pl

    from impact.privacy import small_cell_labels

    out = small_cell_labels(frame, [column], k=k, lang=lang, **options)
    return out.with_columns(pl.col(f"{column}_label").alias("label"),
                            (pl.col(f"{column}_label") == f"< {int(k)}").alias("small")).drop(f"{column}_label")


def text_labels(frame, column: str, k: int):
    """A chart's ``count``, ``label`` and ``small`` from a count column that is text already (protected
    before, for example by ``impact.figures.disclosure.protect_table``): ``1.234``, ``< k`` or ``x``."""
    import polars as pl

    number = pl.col(column).str.replace_all(r"[.,\u00a0]", "").cast(pl.Float64, strict=False)
    return frame.with_columns(pl.col(column).alias("label"), number.alias(column),
                              (pl.col(column) == f"< {int(k)}").alias("small"))


def value_labels(rows: list[tuple[str, object]], lang: str = "nl"):
    """A chart's frame from registry values (``impact.figures.Value``): ``category``, ``count`` (null when
    hidden), ``label`` and ``small``, in the order given; the same decision as the rest of the page."""
    import polars as pl

    return pl.DataFrame({"category": [c for c, _ in rows],
                         "count": [None if v.hidden else v.number for _, v in rows],
                         "label": [v.text(lang) for _, v in rows],
                         "small": [bool(v.hidden and v.small) for _, v in rows]},
                        schema={"category": pl.Utf8, "count": pl.Float64, "label": pl.Utf8, "small": pl.Boolean})


def count_bars(frame, category: str, count: str, *, k: int, category_title: str | None, value_title: str,
               color: str = PALETTE[0], horizontal: bool = True, sort: list | None = None, width: int = 420,
               height: int | None = None):
    """Bars of ``count`` per ``category`` with their numbers; ``frame`` has ``label`` and ``small``
    (``count_labels`` or ``value_labels``). ``sort``: the order of the categories (default: as given)."""
    import altair as alt
    import polars as pl

    data = frame if isinstance(frame, pl.DataFrame) else pl.from_pandas(frame)
    hidden = pl.col(count).is_null() & pl.col("label").is_in([f"< {int(k)}", "x"])
    data = data.with_columns(
        pl.when(pl.col("small")).then(pl.lit(float(k))).otherwise(pl.col(count).cast(pl.Float64).fill_null(0))
        .alias("_length"),
        pl.when(hidden).then(pl.lit(f"{COUNT_MARK}-hidden-{int(k)}")).otherwise(pl.lit(COUNT_MARK)).alias("_mark"),
    ).to_pandas()
    order = sort or list(dict.fromkeys(data[category]))
    cat = (alt.Y if horizontal else alt.X)(f"{category}:N", sort=order, title=category_title,
                                           **({} if horizontal else {"axis": alt.Axis(labelAngle=0)}))
    # whole persons on the axis: a district's few make a short axis that would otherwise read 0,5 1,0 1,5
    val = (alt.X if horizontal else alt.Y)("_length:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1))
    enc = {"y" if horizontal else "x": cat, "x" if horizontal else "y": val}
    base = alt.Chart(data)
    shown = base.transform_filter("!datum.small").mark_bar(color=color).encode(**enc)
    pale = base.transform_filter("datum.small").mark_bar(color=color, opacity=0.3, stroke=color,
                                                         strokeDash=[3, 2]).encode(**enc)
    text = base.mark_text(align="left" if horizontal else "center", baseline="middle" if horizontal else "bottom",
                          dx=4 if horizontal else 0, dy=0 if horizontal else -3, aria=True
                          ).encode(**enc, text="label:N", description="_mark:N")
    size = {"width": width, **({"height": height} if height else {})}
    return (shown + pale + text).properties(**size)


__all__ = ["COUNT_MARK", "count_bars", "count_labels", "text_labels", "value_labels"]
