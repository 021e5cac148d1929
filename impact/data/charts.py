"""Simple charts and tables for notebooks whose analysis module draws none (04, 05).

Bars and lines with Dutch or English titles (``bars``, ``lines``), codes,
values and column names as readers see them (``translate``, ``code_names``,
``rename``) and how saturation reads in words (``saturation_words``).
"""

from __future__ import annotations

from impact.data.tables import Tables
from impact.errors import Text
from impact.vocabulary import ALL_CODES, DIRECTIONS, ORIGINS, PALETTE, SCALES, TESTS, code_labels, humanise, labels

def bars(frame, category: str, value: str, *, category_title: str, value_title: str,
         color: str | None = None, color_title: str = "", percent: bool = False, horizontal: bool = True):
    """A bar chart in the study's colour-blind-safe palette (Okabe-Ito).

    ``color``: a column for grouped bars (side by side). ``percent``: the
    value axis shows 0-100%.
    """
    import altair as alt

    data = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
    axis = alt.Axis(format="%") if percent else alt.Axis()
    cat = alt.Y(f"{category}:N", title=category_title, sort=None) if horizontal \
        else alt.X(f"{category}:N", title=category_title, sort=None)
    val = alt.X(f"{value}:Q", title=value_title, axis=axis) if horizontal \
        else alt.Y(f"{value}:Q", title=value_title, axis=axis)
    enc = {"y" if horizontal else "x": cat, "x" if horizontal else "y": val}
    if color:
        groups = list(dict.fromkeys(str(v) for v in data[color]))
        enc["color"] = alt.Color(f"{color}:N", title=color_title, sort=groups,
                                 scale=alt.Scale(domain=groups, range=(PALETTE * 2)[:len(groups)]))
        enc["yOffset" if horizontal else "xOffset"] = alt.YOffset(f"{color}:N", sort=groups) if horizontal \
            else alt.XOffset(f"{color}:N", sort=groups)
        mark = alt.Chart(data).mark_bar()
    else:
        mark = alt.Chart(data).mark_bar(color=PALETTE[0])
    return mark.encode(**enc).properties(width=420)


def lines(frame, x: str, y: str, *, x_title: str, y_title: str, color: str | None = None,
          color_title: str = "", percent: bool = False):
    """A line chart with points, in the Okabe-Ito palette; ``color`` draws one line per group."""
    import altair as alt

    data = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
    axis = alt.Axis(format="%") if percent else alt.Axis()
    # x counts something (a wave, an interview): whole numbers only
    enc = {"x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d")),
           "y": alt.Y(f"{y}:Q", title=y_title, axis=axis)}
    if color:
        groups = list(dict.fromkeys(str(v) for v in data[color]))
        enc["color"] = alt.Color(f"{color}:N", title=color_title, sort=groups,
                                 scale=alt.Scale(domain=groups, range=(PALETTE * 2)[:len(groups)]))
        return alt.Chart(data).mark_line(point=True).encode(**enc).properties(width=420, height=240)
    return alt.Chart(data).mark_line(point=True, color=PALETTE[0]).encode(**enc).properties(width=420, height=240)


def translate(frame, lang: str = "nl", *columns: str):
    """Replace known identifiers in ``columns`` (scale names, up/same/down) by words in ``lang``."""
    import polars as pl

    words = {**labels(SCALES, lang), **labels(DIRECTIONS, lang), **labels(TESTS, lang)}
    return frame.with_columns([pl.col(c).cast(pl.Utf8).replace(words) for c in columns if c in frame.columns])


def code_names(frame, tables: Tables, lang: str = "nl", *columns: str):
    """Replace the codes in ``columns`` (default ``code``; also ``parent``) by their codebook labels.

    ``(all)`` (the overall row of an agreement table) becomes "alle codes
    samen"; an ``origin`` column becomes words ("onderzoeksvraag 1").
    """
    import polars as pl

    names = {**code_labels(tables.codebook, lang), "(all)": ALL_CODES(lang)}
    columns = columns or ("code", "parent")
    out = frame.with_columns([
        pl.col(c).map_elements(lambda v: names.get(v) or humanise(v), return_dtype=pl.Utf8)
        for c in columns if c in frame.columns])
    if "origin" in out.columns:
        out = out.with_columns(pl.col("origin").replace(labels(ORIGINS, lang)))
    return out


def _shown(value, digits: int, lang: str, is_p: bool) -> str | None:
    if value is None or value != value:
        return None
    if is_p and value < 0.001:
        text = "< 0.001"
    else:
        text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def rename(frame, lang: str = "nl", digits: dict[str, int] | None = None, **columns: tuple[str, str]):
    """Keep ``columns`` (in that order) and give each its Dutch or English header.

    ``digits``: round these columns to so many decimals, written as text with
    a decimal comma in Dutch; a column named ``p`` shows ``< 0,001`` for
    tiny values. Values of ``scale`` and ``direction`` columns become words
    (see ``translate``).

    Example:
        >>> import polars as pl
        >>> rename(pl.DataFrame({"n": [3], "p": [0.0004]}), "nl", digits={"p": 3}, n=("aantal", "number"), p=("p", "p")).rows()
        [(3, '< 0,001')]
    """
    import polars as pl

    frame = translate(frame, lang, "scale", "direction", "test")
    for c, d in (digits or {}).items():
        if c in frame.columns:
            frame = frame.with_columns(pl.col(c).map_elements(lambda v, d=d, c=c: _shown(v, d, lang, c == "p"),
                                                              return_dtype=pl.Utf8))
    return frame.select([frame[c].alias(en if lang == "en" else nl) for c, (nl, en) in columns.items()])


def saturation_words(saturation, lang: str = "nl") -> str:
    """The takeaway of a saturation curve (``impact.coding.saturation``): codes found, last new one."""
    n = saturation.height
    total = int(saturation["cumulative_codes"].max() or 0) if n else 0
    new = saturation.filter(saturation["new_codes"] > 0)
    last = int(new["order"].max()) if new.height else 0
    return Text("Na {n} interviews zijn er {total} codes; de laatste nieuwe code kwam bij interview {last}.",
                n=n, total=total, last=last)(lang)
