"""Report pieces a notebook shows: charts, key figures, tables, quotes, notes.

Every piece is plain, escaped HTML with no scripts and no outside
resources: a chart becomes a static inline SVG (vl-convert) with its
description as alt text. In Jupyter a piece looks the same as in the built
report. Each piece is displayed as ``text/html`` with ``{"impact": {...}}``
metadata, which the report template looks for; anything else a notebook
shows (stray prints, raw Altair output) is left out of the report or, for
Altair charts, turned into a piece by the build.

Notebooks call the display functions (``chart``, ``key_figures``,
``figure_table``, ``prose``, ``table``, ``quote``, ``quotes``, ``note``,
``heading``); numbers from ``impact.figures`` are shown through
``Value.html``, with their unit and definition. The ``*_piece`` functions
return the same piece as a value, for tests and for composing.

Example:
    >>> p = quote_piece("Ik kom hier <elke> week.", who="bewoner, West")
    >>> "&lt;elke&gt;" in p.html and p.kind
    'quote'
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, field

from impact.privacy.escape import escape_html as _esc
from impact.rendering import current

PIECE_CLASS = "impact-piece"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Piece:
    """One report piece: its kind, its HTML and metadata for the template."""

    kind: str
    html: str
    meta: dict = field(default_factory=dict)

    def bundle(self) -> tuple[dict, dict]:
        """The display data and metadata of this piece (Jupyter's format)."""
        plain = self.meta.get("title") or self.kind
        return ({"text/html": self.html, "text/plain": f"[{self.kind}] {plain}"},
                {"impact": {"kind": self.kind, **self.meta}})

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.bundle()


def _lang() -> str:
    return current().lang


def _number(value: object, lang: str | None = None) -> str:
    """Format a count for readers: 1.234 in Dutch, 1,234 in English."""
    lang = lang or _lang()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _esc(value)
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _show(piece: Piece) -> None:
    from IPython.display import display

    data, meta = piece.bundle()
    display(data, raw=True, metadata=meta)


# --- charts -------------------------------------------------------------

def _vl_version() -> str | None:
    import vl_convert

    try:
        import altair

        wanted = ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    except Exception:  # altair missing or odd version: let vl-convert choose
        return None
    return wanted if wanted in vl_convert.get_vegalite_versions() else None


# Chart text at least 12 px when the chart is shown at its own size (a 1280 px wide page).
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
TEXT_SIZES = {"axis": {"labelFontSize": 13, "titleFontSize": 13, "labelLimit": 280},
              "legend": {"labelFontSize": 13, "titleFontSize": 13, "labelLimit": 320},
              "header": {"labelFontSize": 13, "titleFontSize": 13},
              "title": {"fontSize": 15}, "text": {"fontSize": 13}}
NARROW_WIDTH = 290  # a chart's plot width on a 390 px phone, so its text stays readable


def chart_spec(chart, narrow: bool = False) -> dict:
    """The Vega-Lite spec of an Altair chart (or a spec dict), ARIA marks off, readable text.

    Marks get no ARIA roles of their own: the whole chart is one image whose
    alt text is the description the notebook gives. Text is at least 13 px
    (``TEXT_SIZES``) unless the chart sets its own. ``narrow``: the same
    chart for a phone: at most ``NARROW_WIDTH`` wide, the legend below.
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=current().check_charts)
    spec = dict(spec)
    config = dict(spec.get("config", {}))
    config.setdefault("aria", False)
    config.setdefault("font", FONT)
    for part, sizes in TEXT_SIZES.items():
        config[part] = {**sizes, **config.get(part, {})}
    if narrow:
        config["legend"] = {**config["legend"], "orient": "bottom", "direction": "vertical"}
        config["axisY"] = {"labelLimit": 130, **config.get("axisY", {})}
        if isinstance(spec.get("width"), (int, float)):
            spec["width"] = min(spec["width"], NARROW_WIDTH)
    spec["config"] = config
    return spec


def _fits_a_phone(spec: dict) -> bool:
    """A chart is drawn again for phones only when its width can be changed (one view or layers)."""
    return isinstance(spec.get("width"), (int, float)) and spec["width"] > NARROW_WIDTH


def svg_for_page(svg: str, *, title: str, description: str, uid: str | None = None) -> str:
    """Make an SVG from vl-convert fit to be inlined in an HTML page.

    Adds ``role="img"`` with a ``<title>`` and ``<desc>`` (the alt text),
    drops the XML namespace attributes (not needed inline in HTML), and
    prefixes every id so that two charts on one page never share a clip path.
    """
    from impact.charts import COUNT_MARK

    uid = uid or "c" + hashlib.sha256((svg + title).encode()).hexdigest()[:8] + f"-{next(_ids)}"
    # a chart's count texts (impact.charts.count_bars) keep their unit for the publish guard
    svg = re.sub(rf'aria-label="{COUNT_MARK}-hidden-(\d+)"', r'data-count="persons" data-suppressed="\1"', svg)
    svg = svg.replace(f'aria-label="{COUNT_MARK}"', 'data-count="persons"')
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg, count=0)
    # The chart is one image: its parts get no ARIA roles of their own (axe: svg-img-alt).
    svg = re.sub(r'\s+(?:role|aria-roledescription|aria-label)="[^"]*"', "", svg)
    svg = re.sub(r'\s+version="1\.1"', "", svg, count=1)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{uid}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{uid}-{m.group(1)})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{uid}-{m.group(2)}"', svg)
    head = (f'<svg role="img" aria-labelledby="{uid}-title {uid}-desc" focusable="false" '
            f'style="max-width:100%;height:auto"')
    svg = re.sub(r"^\s*<svg\b", head, svg, count=1)
    close = svg.index(">") + 1
    return (svg[:close] + f'<title id="{uid}-title">{_esc(title)}</title>'
            f'<desc id="{uid}-desc">{_esc(description)}</desc>' + svg[close:])


PHONE_WIDTH = 340  # what a 390 px phone leaves for a chart, inside the page's margins


def chart_svg(chart, *, title: str, description: str, narrow: bool = False) -> str:
    """Render ``chart`` to inline SVG with alt text (see ``svg_for_page``).

    ``narrow``: the phone version (see ``chart_spec``), made narrower still
    when its labels make it wider than ``PHONE_WIDTH``, so it is shown at
    its own size and its text keeps its size.
    """
    from impact.report import rendercache

    version = _vl_version()
    kwargs = {"vl_version": version} if version else {}
    # numbers and months as readers write them: 1.234,5 and "okt 2022" in Dutch
    locale = "nl-NL" if _lang() == "nl" else "en-GB"
    kwargs.update(format_locale=locale, time_format_locale=locale)
    spec = chart_spec(chart, narrow=narrow)
    svg = rendercache.vegalite_to_svg(spec, **kwargs)
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg)
    if narrow and width and float(width.group(1)) > PHONE_WIDTH and isinstance(spec.get("width"), (int, float)):
        spec["width"] = max(120, int(spec["width"] - (float(width.group(1)) - PHONE_WIDTH)))
        svg = rendercache.vegalite_to_svg(spec, **kwargs)
    return svg_for_page(svg, title=title, description=description)


def _html_of(text) -> str:
    """Text for a page: a ``Prose`` (words with figures) as HTML, anything else escaped."""
    return text.html() if hasattr(text, "html") and hasattr(text, "parts") else _esc(text)


def _plain(text) -> str:
    return text.text() if hasattr(text, "parts") else str(text)


def chart_piece(chart, *, title: str, takeaway, description, level: int = 3, withheld: str | None = None) -> Piece:
    """A chart as a piece: heading, one-sentence takeaway, SVG with alt text.

    ``takeaway`` and ``description`` may be ``impact.figures.Prose``: their
    figures are shown with their definitions (the alt text inside the SVG
    is the plain text). A wide chart is drawn twice, at its own width for
    screens and narrower for phones (the page shows one of them), so chart
    text stays readable on a 390 px phone. ``withheld``: the chart is not
    shown, and this sentence says why (a chart of persons one by one where
    counts are small: see ``impact.figures.words``).
    """
    if withheld:
        body = (f'<section class="{PIECE_CLASS} impact-chart" data-impact="chart" data-withheld="">'
                f"<h{level}>{_esc(title)}</h{level}>"
                f'<p class="impact-note withheld">{_esc(withheld)}</p></section>')
        return Piece("chart", body, {"title": title, "withheld": withheld, "level": level})
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=current().check_charts)
    alt_text = _plain(description)
    svg = chart_svg(spec, title=title, description=alt_text)
    if _fits_a_phone(spec):
        phone = chart_svg(spec, title=title, description=alt_text, narrow=True)
        svg = f'<div class="chart-wide">{svg}</div><div class="chart-narrow">{phone}</div>'
    body = (f'<section class="{PIECE_CLASS} impact-chart" data-impact="chart">'
            f"<h{level}>{_esc(title)}</h{level}>"
            f'<p class="takeaway">{_html_of(takeaway)}</p>'
            f'<figure class="chart">{svg}'
            f'<figcaption class="description">{_html_of(description)}</figcaption></figure>'
            f"</section>")
    return Piece("chart", body, {"title": title, "takeaway": _plain(takeaway),
                                 "description": alt_text, "level": level})


def chart(chart, *, title: str, takeaway, description, withheld: str | None = None) -> None:
    """Show an Altair chart as a static, offline SVG with alt text.

    ``title`` becomes a heading, ``takeaway`` one plain sentence under it
    ("what you see"; text or ``impact.figures.Prose``), ``description`` the
    alt text for screen readers. The words of a report chart come from
    ``impact.figures.words.chart_words`` (``show.chart(c, **w)``), with
    ``withheld`` when the chart may not be shown on this page.
    """
    _show(chart_piece(chart, title=title, takeaway=takeaway, description=description, withheld=withheld))


# --- key figures --------------------------------------------------------

def figures_piece(items: dict, *, title: str | None = None, level: int = 2) -> Piece:
    """A row of key figures: label -> number (or short text)."""
    head = f"<h{level}>{_esc(title)}</h{level}>" if title else ""
    cells = "".join(
        f'<div class="figure"><dt>{_esc(label)}</dt><dd>{_number(value)}</dd></div>'
        for label, value in items.items())
    body = (f'<section class="{PIECE_CLASS} impact-figures" data-impact="figures">'
            f'{head}<dl class="figures">{cells}</dl></section>')
    meta = {"title": title, "level": level} if title else {}
    return Piece("figures", body, meta)


def figures(items: dict, *, title: str | None = None) -> None:
    """Show key figures, for example ``{"Buurtbaners": 33, "Doorgestroomd": 5}``.

    A report's key figures come from the registry: use ``key_figures``.
    """
    _show(figures_piece(items, title=title))


def key_figures_piece(values: list, *, lang: str | None = None, title: str | None = None, level: int = 2) -> Piece:
    """A row of registry figures (``impact.figures.Value``): the number with its unit and definition, and
    its label under it."""
    lang = lang or _lang()
    head = f"<h{level}>{_esc(title)}</h{level}>" if title else ""
    cells = "".join(f'<div class="figure"><dt>{_esc(v.figure.label(lang))}</dt><dd>{v.html(lang)}</dd></div>'
                    for v in values)
    body = (f'<section class="{PIECE_CLASS} impact-figures" data-impact="figures">'
            f'{head}<dl class="figures">{cells}</dl></section>')
    return Piece("figures", body, {"title": title, "level": level, "figures": [v.name for v in values]}
                 if title else {"figures": [v.name for v in values]})


def key_figures(tables, names: list[str] | tuple[str, ...], *, title: str | None = None) -> None:
    """Show the registry figures ``names`` for ``tables`` (see ``impact.figures``)."""
    from impact.figures import values

    _show(key_figures_piece(list(values(tables, names).values()), title=title))


def prose_piece(paragraphs: list, *, level: int | None = None, title: str | None = None) -> Piece:
    """Paragraphs of text; ``impact.figures.Prose`` paragraphs show their figures with definitions."""
    head = f"<h{level}>{_esc(title)}</h{level}>" if title and level else ""
    body = "".join(f"<p>{_html_of(p)}</p>" for p in paragraphs)
    return Piece("prose", f'<div class="{PIECE_CLASS} impact-prose" data-impact="prose">{head}{body}</div>',
                 {"text": " ".join(_plain(p) for p in paragraphs)})


def prose(paragraphs) -> None:
    """Show paragraphs (a ``Prose``, a text, or a list of them), for example a research question's answer."""
    _show(prose_piece(paragraphs if isinstance(paragraphs, list) else [paragraphs]))


def figure_table_piece(tables, names: list[str], *, caption: str, key_title: str, key_labels: dict | None = None,
                       sort_by: str | None = None, extra: dict | None = None, lang: str | None = None) -> Piece:
    """A table of registry figures with one value per key (``Figure.by``): one row per key, one column
    per figure. ``key_labels`` names the keys for readers (a code's label); ``sort_by``: the figure whose
    value sorts the rows, largest first; ``extra``: more text columns, ``{header: {key: text}}``."""
    from impact.figures import breakdown, get

    lang = lang or _lang()
    columns = {name: {v.key: v for v in breakdown(name, tables)} for name in names}
    keys = list(dict.fromkeys(k for col in columns.values() for k in col))
    if sort_by:
        keys.sort(key=lambda k: -(columns[sort_by][k].number or 0) if k in columns[sort_by] else 0)
    labels = key_labels or {}
    extra = extra or {}
    head = f'<th scope="col">{_esc(key_title)}</th>' + "".join(
        f'<th scope="col" data-figure="{_esc(n)}">{_esc(_capital(get(n).label(lang)))}</th>' for n in names)
    head += "".join(f'<th scope="col">{_esc(h)}</th>' for h in extra)
    rows = []
    for key in keys:
        cells = "".join(f'<td class="num">{columns[n][key].html(lang, in_table=True)}</td>'
                        if key in columns[n] else "<td>–</td>" for n in names)
        cells += "".join(f"<td>{_esc(col.get(key, ''))}</td>" for col in extra.values())
        rows.append(f'<tr><th scope="row">{_esc(labels.get(key, key))}</th>{cells}</tr>')
    body = (f'<section class="{PIECE_CLASS} impact-table" data-impact="table">'
            f'<div class="table-wrap"><table><caption>{_esc(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>")
    return Piece("table", body, {"title": caption, "figures": list(names)})


def figure_table(tables, names: list[str], *, caption: str, key_title: str, key_labels: dict | None = None,
                 sort_by: str | None = None, extra: dict | None = None) -> None:
    """Show a table of registry figures per key (district, theme...); see ``figure_table_piece``."""
    _show(figure_table_piece(tables, names, caption=caption, key_title=key_title, key_labels=key_labels,
                             sort_by=sort_by, extra=extra))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- tables -------------------------------------------------------------

def _k(k: int | None) -> int:
    return int(k) if k is not None else current().k


def _rows(frame) -> tuple[list[str], list[list[object]]]:
    if hasattr(frame, "iter_rows"):  # polars
        return list(frame.columns), [list(r) for r in frame.iter_rows()]
    frame = frame.reset_index(drop=True) if hasattr(frame, "reset_index") else frame
    return [str(c) for c in frame.columns], frame.astype(object).values.tolist()


def _cell(value: object) -> str:
    """A table cell as plain text (escape it for the page): numbers as readers write them, ``–`` for none."""
    if value is None:
        return "–"
    try:
        if value != value:  # NaN
            return "–"
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return _number(value)


def _hidden_label(text) -> bool:
    """A cell text that stands for a hidden count: ``< k`` or ``x``."""
    return isinstance(text, str) and (text.startswith("<") or text == "x")


def protected_rows(df, count_columns: list[str], k: int, derived: dict | None = None, lang: str | None = None,
                   part_of: dict | None = None, column_totals: bool = True):
    """The table's header and rows after small-cell suppression, each cell as ``(text, hidden)``.

    Count columns: a number, ``< k`` or ``x`` (``impact.privacy.smallcells.table_labels``, with
    ``part_of`` and ``column_totals``); a column of text already (protected before, for example by
    the analysis module) is taken as it is. ``derived``: ``{column: [count columns]}``, values worked
    out from counts (a percentage, the interviews behind a count of persons): hidden (``x``) in every
    row where one of those counts is.
    """
    import polars as pl

    from impact.privacy.smallcells import table_labels

    lang = lang or _lang()
    frame = df if isinstance(df, pl.DataFrame) else pl.from_pandas(df)
    numeric = [c for c in count_columns if c in frame.columns and frame.schema[c].is_numeric()]
    if numeric:
        frame = table_labels(frame, numeric, k, part_of=part_of, column_totals=column_totals, lang=lang)
    columns = [c for c in df.columns if c in frame.columns]
    rows = []
    for row in frame.iter_rows(named=True):
        cells = {}
        for c in columns:
            if c in numeric:
                label = row[f"{c}_label"]
                cells[c] = (label, _hidden_label(label)) if label is not None else ("–", False)
            elif c in count_columns:
                cells[c] = (_cell(row[c]), _hidden_label(row[c]))
            else:
                cells[c] = (_cell(row[c]), False)
        for c, sources in (derived or {}).items():
            if c in cells and any(cells[s][1] for s in sources if s in cells):
                cells[c] = ("x", True)
        rows.append([cells[c] for c in columns])
    return columns, rows


def table_piece(df, *, caption: str, count_columns: list[str] | tuple[str, ...] = (),
                k: int | None = None, derived: dict | None = None, part_of: dict | None = None,
                column_totals: bool = True) -> Piece:
    """An escaped HTML table; person counts below ``k`` are suppressed (see ``protected_rows``).

    Cells of ``count_columns`` carry ``data-count="persons"`` so the publish
    guard can check them; a hidden cell (count or ``derived``) shows
    ``< k`` or ``x`` and carries ``data-suppressed``, which the page
    explains once.
    """
    count_columns = [c for c in count_columns]
    k = _k(k)
    derived = {c: list(v) for c, v in (derived or {}).items()}
    columns, rows = protected_rows(df, count_columns, k, derived, part_of=part_of, column_totals=column_totals)
    counted = set(count_columns)
    head = "".join(f'<th scope="col">{_esc(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for col, (text, hidden) in zip(columns, row):
            attr = ' data-count="persons"' if col in counted else ""
            attr += f' data-suppressed="{k}"' if hidden else ""
            numeric = col in counted or col in derived or bool(re.fullmatch(r"-?[\d.,]+%?", text))
            cls = ' class="num"' if numeric and text != "–" else ""
            cells.append(f"<td{attr}{cls}>{_esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    table_html = (f'<section class="{PIECE_CLASS} impact-table" data-impact="table">'
                  f'<div class="table-wrap"><table><caption>{_esc(caption)}</caption>'
                  f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
                  f"</section>")
    return Piece("table", table_html, {"title": caption, "count_columns": count_columns})


def table(df, *, caption: str, count_columns: list[str] | tuple[str, ...] = (),
          k: int | None = None, derived: dict | None = None, part_of: dict | None = None,
          column_totals: bool = True) -> None:
    """Show a table (polars or pandas) with a caption; see ``table_piece``. ``part_of``: ``{column:
    column}`` when one count is a subgroup of another in the same row; ``column_totals=False`` when
    rows overlap (a person in two rows)."""
    _show(table_piece(df, caption=caption, count_columns=count_columns, k=k, derived=derived, part_of=part_of,
                      column_totals=column_totals))


# --- quotes, notes, headings --------------------------------------------

def quote_piece(text: str, *, who: str) -> Piece:
    """A quote with who said it (a role, never a name), always escaped."""
    body = (f'<figure class="{PIECE_CLASS} impact-quote" data-impact="quote">'
            f"<blockquote><p>{_esc(text)}</p></blockquote>"
            f"<figcaption>— {_esc(who)}</figcaption></figure>")
    return Piece("quote", body, {})


def quote(text: str, *, who: str) -> None:
    """Show one (already redacted) quote, for example ``who="bewoner, West"``."""
    _show(quote_piece(text, who=who))


def quotes(df, text_col: str, who_col: str) -> None:
    """Show every row of ``df`` as a quote (``text_col`` said by ``who_col``)."""
    columns, rows = _rows(df)
    t, w = columns.index(text_col), columns.index(who_col)
    for row in rows:
        quote(row[t], who=row[w])


def note_piece(text: str) -> Piece:
    return Piece("note", f'<p class="{PIECE_CLASS} impact-note" data-impact="note">{_esc(text)}</p>', {})


def missing_piece(text) -> Piece:
    """A note that says which data a section still waits for (see ``impact.report.missing``)."""
    shown = text(_lang()) if callable(text) else str(text)
    return Piece("note", f'<p class="{PIECE_CLASS} impact-note missing" data-impact="note" data-missing="">'
                         f"{_esc(shown)}</p>", {"missing": shown})


def missing(text) -> bool:
    """Show ``text`` (a ``Text`` from ``impact.report.missing``) when there is one; True when it was shown.

    A notebook leaves a section out when its data is not there yet::

        if not show.missing(missing.agreement(corpus)):
            show.chart(...)
    """
    if text is None:
        return False
    _show(missing_piece(text))
    return True


def scope_piece(text: str) -> Piece:
    return Piece("scope", f'<p class="{PIECE_CLASS} impact-scope" data-impact="scope">{_esc(text)}</p>', {})


def scope(text: str) -> None:
    """Show what a report is about (study, district, period; ``impact.data.scope``), under its title."""
    _show(scope_piece(text))


def note(text: str) -> None:
    """Show a short note for readers (for example where a number comes from)."""
    _show(note_piece(text))


def heading_piece(text: str, level: int = 2) -> Piece:
    level = min(max(int(level), 1), 6)
    return Piece("heading", f"<h{level}>{_esc(text)}</h{level}>", {"title": text, "level": level})


def heading(text: str, level: int = 2) -> None:
    """Show a heading; it goes into the report's table of contents."""
    _show(heading_piece(text, level))


__all__ = ["Piece", "chart", "chart_piece", "chart_spec", "chart_svg", "figure_table", "figure_table_piece",
           "figures", "figures_piece", "heading", "heading_piece", "key_figures", "key_figures_piece", "missing",
           "missing_piece", "note",
           "note_piece", "prose", "prose_piece", "quote", "quote_piece", "quotes", "scope", "scope_piece",
           "svg_for_page", "table", "table_piece"]
