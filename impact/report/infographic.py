"""The infographic: key figures, the upward circle, the path to work, reach, themes and quotes.

``impact infographic`` writes an A4 portrait and a square version, each as
SVG, PNG (300 dpi), PDF and a small offline HTML page, into ``reports/``
(``infographic-a4.*``, ``infographic-square.*``). Every number on it is a
figure from ``impact.figures`` (the same value as in the reports; each
number carries its name, unit and definition, and links to the findings
page); titles, colours, the logo, which key figures and which parts come
from ``infographic.toml`` in the study folder, which a user can edit (it is
written with defaults when missing).

The page is laid out on a grid by hand (``impact.report.canvas``): every
line of text is measured in its font, so nothing overlaps and nothing falls
off the page. The A4 version reads top to bottom: title, six key figures,
the upward circle beside the path to work and the reach per district, the
themes beside two quotes, and what the key figures mean.

Example:
    >>> layout = default_layout("nl")
    >>> layout["figures"]["residents_reached"]
    'bewoners bereikt'
"""

from __future__ import annotations

import base64
import json
import math
import re
import tomllib
from pathlib import Path

from impact.errors import StudyError, Text
from impact.figures import hidden_note
from impact.privacy.escape import escape_html
from impact.study import Study
from impact.vocabulary import PALETTE

LAYOUT_NAME = "infographic.toml"
FORMATS = ("svg", "png", "pdf", "html")
SIZES = {"a4": (595, 842), "square": (600, 600)}
INFOGRAPHIC_FILES = tuple(f"infographic-{size}.{fmt}" for size in SIZES for fmt in FORMATS)
PPI = 300
INK, MUTED = "#1a1a1a", "#4a4a4a"

KEY_FIGURES = ("buurtbaners_placed", "follow_on_jobs", "contract_promises", "residents_reached", "doorbells_rung",
               "new_volunteers")
SQUARE_FIGURES = 4  # the first four key figures fit on the square
# Names of earlier versions of infographic.toml, still understood.
OLD_NAMES = {"buurtbaners": "buurtbaners_placed", "doorgestroomd": "follow_on_jobs",
             "contractbelofte": "contract_promises", "bewoners_bereikt": "residents_reached",
             "activiteiten": "activities", "vrijwilligers": "new_volunteers"}
# The upward circle: key persons reach residents, who take part, become volunteers and ask others.
CIRCLE = [("key_persons_active", Text("buurtbaners en sleutelpersonen")),
          ("residents_reached", Text("bewoners bereikt")),
          ("residents_taking_part", Text("doen mee aan activiteiten")),
          ("new_volunteers", Text("worden vrijwilliger")),
          ("volunteers_who_activate", Text("vragen zelf weer iemand"))]
STAGES = [("buurtbaners_placed", Text("gestart")),
          ("buurtbaners_certified", Text("certificaat")),
          ("contract_promises", Text("contractbelofte")),
          ("follow_on_jobs", Text("vervolgbaan"))]
_WORDS = {
    "title": Text("Buurtbanen: werk in en voor de buurt"),
    "subtitle": Text("Wat de buurtbaners deden en wat het opleverde"),
    "circle": Text("De opwaartse cirkel"),
    "circle_middle": Text("zo groeit de buurt van binnenuit"),
    "trajectory": Text("Van start naar werk"),
    "trajectory_unit": Text("aantal buurtbaners"),
    "reach": Text("Bewoners bereikt per stadsdeel"),
    "themes": Text("Waar mensen over praten"),
    "themes_unit": Text("deel van de interviews met"),
    "informal": Text("mensen uit de buurt"),
    "formal": Text("organisaties"),
    "quotes": Text("In hun eigen woorden"),
    "notes": Text("Wat de cijfers betekenen"),
    "notes_more": Text("Uitleg bij elk cijfer: rapport 'Wat we vonden', onderaan."),
    "a4": Text("Infographic, A4 staand"),
    "square": Text("Infographic, vierkant"),
    "badge": Text("DEMO · VERZONNEN GEGEVENS"),
    "synthetic": Text("Demo: alle gegevens zijn verzonnen."),
    "period": Text("Periode"),
}
def infographic_labels(lang: str) -> list[tuple[str, str]]:
    """(file name, link text) for the index page."""
    return [(f"infographic-{size}.{fmt}", f"{_WORDS[size](lang)} ({fmt.upper()})") for size in SIZES for fmt in FORMATS]


# --- the layout file ---------------------------------------------------------

def default_layout(lang: str = "nl") -> dict:
    from impact.figures import get

    return {
        "title": _WORDS["title"](lang),
        "subtitle": _WORDS["subtitle"](lang),
        "source": "",
        "logo": "",
        "colors": list(PALETTE[:5]),
        "background": "#ffffff",
        "text_color": INK,
        "figures": {name: get(name).label(lang) for name in KEY_FIGURES},
        "show": {"circle": True, "trajectory": True, "reach": True, "themes": True, "quotes": True},
        "quotes": [],
    }


def render_layout(layout: dict) -> str:
    """The text of ``infographic.toml`` with short Dutch comments."""
    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "# Infographic: pas dit bestand aan en draai daarna 'impact infographic'.",
        "# Infographic: edit this file, then run 'impact infographic'.",
        "",
        f"title = {q(layout['title'])}",
        f"subtitle = {q(layout['subtitle'])}",
        f"source = {q(layout['source'])}   # bron onderaan, bijvoorbeeld de naam van het onderzoek",
        f"logo = {q(layout['logo'])}   # pad naar een PNG of SVG in de studiemap, bijvoorbeeld \"logo.png\"",
        "# Kleuren: deze zijn goed te zien voor mensen met kleurenblindheid (Okabe-Ito).",
        "colors = [" + ", ".join(q(c) for c in layout["colors"]) + "]",
        f"background = {q(layout['background'])}",
        f"text_color = {q(layout['text_color'])}",
        "",
        "# Kerncijfers: welke, in welke volgorde, met welke tekst. Haal een regel weg om hem niet te tonen.",
        "# Elke naam is een cijfer uit docs/cijfers.md. Op A4 passen er zes, op het vierkant vier.",
        "[figures]",
    ]
    lines += [f"{key} = {q(label)}" for key, label in layout["figures"].items()]
    lines += ["", "# Welke delen komen op de infographic (true = ja, false = nee).", "[show]"]
    lines += [f"{key} = {str(bool(v)).lower()}" for key, v in layout["show"].items()]
    lines += ["", "# Eigen citaten (al zonder namen). Zonder citaten kiest impact er zelf twee",
              "# uit de verhalen die het panel koos, alleen van mensen die toestemming gaven.",
              "# [[quotes]]", '# text = "Ik voel me weer nodig."', '# who = "bewoner, West"', ""]
    for quote in layout.get("quotes", []):
        lines += ["[[quotes]]", f"text = {q(quote.get('text', ''))}", f"who = {q(quote.get('who', ''))}", ""]
    return "\n".join(lines)


def load_layout(study: Study, lang: str | None = None) -> dict:
    """Read ``infographic.toml`` (write it with defaults when missing)."""
    from impact.figures import get, names

    lang = lang or study.config.language
    path = study.root / LAYOUT_NAME
    layout = default_layout(lang)
    if not path.is_file():
        path.write_text(render_layout(layout), encoding="utf-8")
        return layout
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(Text("{layout_name}: dit bestand is geen geldige TOML ({exc}).",
                              layout_name=LAYOUT_NAME, exc=exc)) from None
    # a text the file still has as impact wrote it (in Dutch) is shown in the language asked for;
    # text the team wrote itself is shown as written
    written = default_layout("nl")
    for key in ("title", "subtitle", "source", "logo", "background", "text_color"):
        if key in data and str(data[key]) != written[key]:
            layout[key] = str(data[key])
    if "colors" in data:
        colors = [str(c) for c in data["colors"]]
        bad = [c for c in colors if not re.fullmatch(r"#[0-9a-fA-F]{6}", c)]
        if bad or not colors:
            raise StudyError(Text("{layout_name}, colors: waarde '{bad}'; verwacht kleuren als \"#0072B2\".",
                                  layout_name=LAYOUT_NAME, bad=', '.join(bad)))
        layout["colors"] = colors
    if "figures" in data:
        wanted = {OLD_NAMES.get(k, k): str(v) for k, v in data["figures"].items()}
        usable = [n for n in names() if get(n).by is None]
        unknown = [k for k in wanted if k not in usable]
        if unknown:
            raise StudyError(Text("{layout_name}, [figures]: onbekend kerncijfer '{unknown}'; kies uit "
                                  "{usable} (zie docs/cijfers.md).",
                                  layout_name=LAYOUT_NAME, unknown=', '.join(unknown), usable=', '.join(usable)))
        layout["figures"] = {k: get(k).label(lang) if v == get(k).label("nl") else v for k, v in wanted.items()}
    layout["show"].update({k: bool(v) for k, v in data.get("show", {}).items()})
    layout["quotes"] = [{"text": str(q.get("text", "")), "who": str(q.get("who", ""))}
                        for q in data.get("quotes", [])]
    return layout


# --- what the page shows -------------------------------------------------------

def _tables(study: Study):
    from impact.data import Tables

    return Tables(study=study)


def key_values(study: Study, layout: dict, lang: str, tables=None) -> list[tuple[str, object]]:
    """The key figures of the whole study as (label from the layout, ``impact.figures.Value``)."""
    from impact.figures import value

    tables = tables or _tables(study)
    return [(label, value(name, tables)) for name, label in layout["figures"].items()]


def top_themes(tables, n: int = 4, lang: str = "nl") -> list[tuple[str, object, object]]:
    """The ``n`` themes mentioned most (average share of both groups): (label, informal Value, formal Value)."""
    from impact.figures import breakdown
    from impact.vocabulary import code_labels, humanise

    informal = {v.key: v for v in breakdown("theme_share_informal", tables)}
    formal = {v.key: v for v in breakdown("theme_share_formal", tables)}
    names = code_labels(tables.codebook, lang)

    def weight(code: str) -> float:
        return sum((d[code].number or 0) if code in d else 0 for d in (informal, formal))

    codes = sorted(set(informal) | set(formal), key=lambda c: (-weight(c), c))[:n]
    return [(names.get(c) or humanise(c), informal.get(c), formal.get(c)) for c in codes]


def pick_quotes(study: Study, layout: dict, lang: str, limit: int = 2, tables=None) -> list[dict]:
    """Quotes from the layout file, else the one quote picker (``impact.quoting.main_quotes``)."""
    if layout.get("quotes"):
        return layout["quotes"][:limit]
    from impact.quoting import main_quotes

    found = main_quotes(tables or _tables(study), n=limit, max_chars=170, lang=lang)
    return [{"text": q, "who": w} for q, w in found.iter_rows()]


def period_text(study: Study, lang: str) -> str:
    """The study's period in words: "september 2021 – december 2023" (empty when not set)."""
    from impact.data import period_words

    c = study.config
    return period_words(c.period_start, c.period_end, lang) if c.period_start or c.period_end else ""


def findings_page(study: Study) -> str | None:
    """The report the numbers link to for their definition (the findings page, ``00_*``), if any."""
    pages = sorted(study.notebooks.glob("00_*.ipynb")) if study.notebooks.is_dir() else []
    return pages[0].with_suffix(".html").name if pages else None


def describe(study: Study, layout: dict, lang: str, tables=None) -> str:
    """Alt text for the infographic: the title, the key figures and the upward circle in words."""
    from impact.figures import value

    tables = tables or _tables(study)
    parts = [f"{v.text(lang)} {label}" for label, v in key_values(study, layout, lang, tables)]
    text = f"{layout['title']}. " + ", ".join(parts) + "."
    if layout["show"].get("circle"):
        steps = [f"{value(name, tables).text(lang)} {word(lang)}" for name, word in CIRCLE]
        text += f" {_WORDS['circle'](lang)}: " + " → ".join(steps) + "."
    return text


def shown_values(study: Study, layout: dict, lang: str, tables) -> list:
    """Every count the infographic can draw (key figures, circle, path to work, districts)."""
    from impact.figures import value

    out = [v for _, v in key_values(study, layout, lang, tables)]
    out += [value(name, tables) for name, _ in CIRCLE + STAGES]
    return out + [v for _, v in _district_rows(tables)]


# --- drawing -----------------------------------------------------------------

def _figure_attrs(v, lang: str) -> dict:
    attrs = {k: val for k, val in v.attributes(lang).items() if k != "title"}
    attrs["data-value"] = v.text(lang)
    return attrs


def _tint(color: str, amount: float = 0.85) -> str:
    """``color`` mixed with white (``amount`` white)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


class _Page:
    """One version of the infographic being drawn: canvas, layout, figures and words."""

    def __init__(self, study: Study, layout: dict, lang: str, size: str, tables):
        from impact.report.canvas import Canvas

        self.study, self.layout, self.lang, self.size, self.tables = study, layout, lang, size, tables
        self.w, self.h = SIZES[size]
        self.m = 34 if size == "a4" else 30
        self.c = Canvas(self.w, self.h)
        self.ink = layout["text_color"]
        self.colors = layout["colors"]
        self.link = findings_page(study)
        self.notes: list[tuple[int, str, object]] = []  # (marker, label, Value) for the footnotes
        self.quote_lines = 0  # how many lines each quote may have (what room was left)

    def color(self, i: int) -> str:
        return self.colors[i % len(self.colors)]

    def figure_text(self, x, y, v, size, *, anchor="start", bold=True, fill=None, text=None):
        """A number from the registry: its unit, name and definition on the element, a link to the report."""
        from impact.report.html import slug

        label = v.figure.label(self.lang)
        hover = f"{label[:1].upper()}{label[1:]}: {v.figure.explanation(self.lang)}"
        link = f"{self.link}#cijfer-{slug(v.name)}" if self.link else None
        return self.c.text(x, y, text or v.text(self.lang), size, bold=bold, anchor=anchor, fill=fill or self.ink,
                           attrs=_figure_attrs(v, self.lang), title=hover, link=link)

    def heading(self, x, y, text, size=12.5, width: float | None = None) -> float:
        """A part's title (wrapped to ``width``, at most two lines); returns the y below it."""
        lines = self.c.fit(text, width or self.w - 2 * self.m, size, 2, bold=True)
        return self.c.lines(x, y + size, lines, size, size * 1.2, bold=True, fill=self.ink) + 7

    # -- parts
    def header(self) -> float:
        c, m, lang = self.c, self.m, self.lang
        band = len(c.parts)  # the band is drawn under the text once its height is known
        badge_w = 0
        if self.study.config.synthetic:
            badge = _WORDS["badge"](lang)
            badge_w = c.width(badge, 7.5, bold=True) + 14
            c.rect(self.w - m - badge_w, 12, badge_w, 17, PALETTE[6], rx=8.5)
            c.text(self.w - m - badge_w / 2, 24, badge, 7.5, bold=True, anchor="middle", fill=INK)
        size = 23 if self.size == "a4" else 20
        title = c.fit(self.layout["title"], self.w - 2 * m, size, 2, bold=True)
        y = c.lines(m, 34 + size * 0.93, title, size, size * 1.17, bold=True, fill="#ffffff")
        if self.layout["subtitle"]:
            sub = c.fit(self.layout["subtitle"], self.w - 2 * m, 11.5, 2)
            y = c.lines(m, y + 18, sub, 11.5, 15, fill="#ffffff")
        meta = " · ".join(p for p in (self.study.config.name, period_text(self.study, lang)) if p)
        if meta:
            y = c.text(m, y + 15, c.fit(meta, self.w - 2 * m, 9.5, 1)[0], 9.5, fill="#ffffff",
                       attrs={"class": "period"}).bottom
        height = y + 13
        c.parts.insert(band, f'<rect x="0" y="0" width="{self.w}" height="{height:.1f}" fill="{self.color(0)}"/>')
        return height

    def key_figures(self, y: float, values: list, columns: int) -> float:
        c, gap = self.c, 16
        cell = (self.w - 2 * self.m - (columns - 1) * gap) / columns
        bottom = y
        rows = [values[i:i + columns] for i in range(0, len(values), columns)]
        tops = [y]
        for row in rows[:-1]:  # a row of one-line labels takes less room
            lines = max(len(c.fit(label, cell, 9.5, 2)) for label, _ in row)
            tops.append(tops[-1] + 63 + 11.5 * (lines - 1))
        for i, (label, v) in enumerate(values):
            x = self.m + (i % columns) * (cell + gap)
            top = tops[i // columns]
            c.rect(x, top, 26, 3.5, self.color(i + 1))
            number = self.figure_text(x, top + 36, v, 29, fill=self.color(0))
            if self.size == "a4":
                marker = len(self.notes) + 1
                self.notes.append((marker, label, v))
                c.text(number.x + number.w + 2, top + 21, str(marker), 8, fill=MUTED,
                       attrs={"class": "note-mark"})
            lines = c.fit(label, cell, 9.5, 2)
            end = c.lines(x, top + 52.5, lines, 9.5, 11.5, fill=self.ink)
            bottom = max(bottom, end)
        return bottom

    def circle(self, x: float, y: float, width: float, ry: float = 62) -> float:
        """The upward circle: five steps round an ellipse, each a number from the registry, arrows going round."""
        from impact.figures import value

        c, lang = self.c, self.lang
        y = self.heading(x, y, _WORDS["circle"](lang))
        pill_w, pill_h = 104, 44
        # five steps round an ellipse; the side steps sit a little high, so no two steps stand on top of
        # each other and every arrow has room
        angles = [math.radians(a) for a in _ANGLES]
        rx = (width - pill_w) / 2 / math.cos(angles[1])
        cx, cy = x + width / 2, y + 4 + pill_h / 2 + ry
        centres = [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]
        arrow = MUTED
        c.defs.append(f'<marker id="arrowhead" viewBox="0 0 10 10" refX="7" refY="5" markerWidth="6" '
                      f'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{arrow}"/>'
                      f"</marker>")
        for i in range(len(centres)):
            (x1, y1), (x2, y2) = centres[i], centres[(i + 1) % len(centres)]
            a = _edge(x1, y1, x2, y2, pill_w / 2 + 4, pill_h / 2 + 4)
            b = _edge(x2, y2, x1, y1, pill_w / 2 + 6, pill_h / 2 + 6)
            mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            nx, ny = b[1] - a[1], a[0] - b[0]  # perpendicular to the chord, turned away from the centre
            if nx * (mx - cx) + ny * (my - cy) < 0:
                nx, ny = -nx, -ny
            qx, qy = mx + nx * 0.2, my + ny * 0.2
            c.path(f"M{a[0]:.1f},{a[1]:.1f} Q{qx:.1f},{qy:.1f} {b[0]:.1f},{b[1]:.1f}", fill="none", stroke=arrow,
                   **{"stroke-width": 1.6, "marker-end": "url(#arrowhead)"})
        for i, ((name, word), (px, py)) in enumerate(zip(CIRCLE, centres)):
            color = self.color(i)
            c.rect(px - pill_w / 2, py - pill_h / 2, pill_w, pill_h, _tint(color), rx=10, stroke=color,
                   **{"stroke-width": 1.5})
            self.figure_text(px, py - 3, value(name, self.tables), 15, anchor="middle")
            lines = c.fit(word(lang), pill_w - 10, 8, 2)
            c.lines(px, py + 8.5, lines, 8, 9.5, anchor="middle", fill=self.ink)
        middle = c.fit(_WORDS["circle_middle"](lang), rx * 1.6 - pill_w, 9, 2, italic=True)
        c.lines(cx, cy + 10, middle, 9, 11.5, anchor="middle", italic=True, fill=MUTED)
        return cy + ry * math.sin(angles[2]) + pill_h / 2

    def bars(self, x: float, y: float, width: float, title: str, rows: list[tuple[str, object]], color: str,
             unit: str | None = None, label_w: float = 96, row_h: float = 17) -> float:
        """Horizontal bars with their numbers; each number is a figure from the registry."""
        c = self.c
        y = self.heading(x, y, title, 11, width)
        if unit:
            c.text(x, y + 7, unit, 8, fill=MUTED)
            y += 13
        k = self.tables.k
        top = max([v.number or 0 for _, v in rows] + [k if any(v.small for _, v in rows) else 1])
        bar_w = width - label_w - 34
        # all labels first, then the bars and numbers: text taken from the PDF then never reads as
        # "Noord 76" (which looks like a street address to the publish guard)
        for i, (label, _) in enumerate(rows):
            c.text(x + label_w - 6, y + i * row_h + 10, c.fit(label, label_w - 8, 8.5, 1)[0], 8.5, anchor="end",
                   fill=self.ink)
        for i, (_, v) in enumerate(rows):
            base = y + i * row_h
            if v.small:  # "< k": a pale bar up to k, never a missing bar that reads as 0
                length = bar_w * k / top
                c.rect(x + label_w, base + 2, length, row_h - 6, _tint(color, 0.7), stroke=color,
                       **{"stroke-dasharray": "2 2", "stroke-width": 0.6})
            else:  # a number, or x (hidden, not small): its label where the bar starts
                length = bar_w * (v.number or 0) / top
                c.rect(x + label_w, base + 2, max(length, 0.8), row_h - 6, color)
            self.figure_text(x + label_w + length + 4, base + 10.5, v, 8.5)
        return y + len(rows) * row_h

    def themes(self, x: float, y: float, width: float, n: int) -> float:
        from impact.figures import value

        c, lang = self.c, self.lang
        rows = top_themes(self.tables, n, lang)
        if not rows:
            return y
        y = self.heading(x, y, _WORDS["themes"](lang), 11, width)
        c.text(x, y + 7, _WORDS["themes_unit"](lang), 8, fill=MUTED)
        y += 13
        colors = (self.color(1), self.color(4))
        for j, (group, name) in enumerate((("informal", "interviews_informal"), ("formal", "interviews_formal"))):
            v = value(name, self.tables)
            count = f"(n = {v.text(lang)})"
            words = c.wrap(_WORDS[group](lang), width - 12, 8)
            c.rect(x, y + 2, 8, 8, colors[j])
            end = c.lines(x + 12, y + 9.5, words, 8, 10, fill=self.ink)
            last = c.boxes[-1][0]
            if last.x + last.w + 4 + c.width(count, 8) <= x + width:  # the count after the words
                self.figure_text(last.x + last.w + 4, y + 9.5 + 10 * (len(words) - 1), v, 8, bold=False, text=count)
            else:  # on a line of its own
                end = self.figure_text(x + 12, y + 9.5 + 10 * len(words), v, 8, bold=False, text=count).bottom
            y = end + 3
        y += 4
        bar_w = width - 38
        for label, informal, formal in rows:
            c.text(x, y + 8, c.fit(label, width, 8.5, 1)[0], 8.5, fill=self.ink)
            for j, v in enumerate((informal, formal)):
                if v is None:
                    continue
                base = y + 11 + j * 9.5
                length = bar_w * (v.number or 0)
                c.rect(x, base, max(length, 0.8), 7, colors[j])
                self.figure_text(x + length + 3, base + 6.5, v, 7.5, bold=False)
            y += 32
        return y

    def quotes(self, x: float, y: float, width: float, quotes: list[dict], size: float, max_lines: int,
               title: bool = True) -> float:
        c, lang = self.c, self.lang
        if title:
            y = self.heading(x, y, _WORDS["quotes"](lang), 11.5, width)
        for q in quotes:
            # the quotation mark is drawn, not set: a large glyph's box would cover the words beside it
            c.path(_quote_mark(x, y + 1), fill=self.color(0), transform=f"rotate(180 {x + 9.5:.1f} {y + 9:.1f})")
            lines = c.fit(q["text"], width - 26, size, max_lines, italic=True)
            # class "quote": residents' own words, in their language (checkers of the English leave them out)
            end = c.lines(x + 26, y + size + 2, lines, size, size * 1.3, italic=True, fill=self.ink,
                          attrs={"class": "quote"})
            who = c.fit(f"— {q['who']}", width - 26, 8.5, 1)[0]
            y = c.text(x + 26, end + 12, who, 8.5, fill=MUTED).bottom + 10
        return y

    def quotes_height(self, size: float, max_lines: int) -> float:
        """The most height ``quotes`` can take for one quote."""
        return size + 2 + (max_lines - 1) * size * 1.3 + 0.236 * size + 12 + 2 + 10

    def footer(self, bottom: float) -> float:
        """What the key figures mean (footnotes), the source and the demo mark, from the bottom up."""
        c, lang, m = self.c, self.lang, self.m
        width = self.w - 2 * m
        lines: list[tuple[str, bool, str | None]] = []  # text, bold, class (a footnote, the "< k" note)
        foot = " ".join(p for p in (self.layout.get("source") or "",
                                    _WORDS["synthetic"](lang) if self.study.config.synthetic else "",
                                    _WORDS["notes_more"](lang)) if p)
        if self.notes:
            lines.append((_WORDS["notes"](lang), True, None))
            for marker, label, v in self.notes:
                text = f"{marker} {label[:1].upper()}{label[1:]}: {v.figure.definition(lang)}"
                lines += [(line, False, "note-mark" if re.match(r"^\d+ ", line) else None)
                          for line in c.wrap(text, width - 60 * bool(self.layout.get("logo")), 7)]
        hidden = [v for v in shown_values(self.study, self.layout, lang, self.tables) if v.hidden]
        if hidden:
            note = hidden_note(self.tables.k, any(v.small for v in hidden), any(not v.small for v in hidden))
            # the "< k" explanation holds k, a number that is no figure: marked as the privacy note
            lines += [(line, False, "privacy-note")
                      for line in c.wrap(note(lang), width - 60 * bool(self.layout.get("logo")), 7)]
        lines += [(line, False, None) for line in c.wrap(foot, width - 90 * bool(self.layout.get("logo")), 7.5)]
        top = bottom - len(lines) * 8.8
        y = top
        for text, bold, css in lines:
            y += 8.8
            c.text(m, y - 2, text, 7.5 if bold else 7, bold=bold, fill=MUTED if not bold else self.ink,
                   attrs={"class": css} if css else None)
        c.path(f"M{m},{top - 6:.1f} H{self.w - m}", stroke="#d0d0d0", **{"stroke-width": 0.8})
        return top - 6


_ANGLES = (-90, -10, 60, 120, 190)  # where the five steps of the circle stand, clockwise from the top


def _quote_mark(x: float, y: float) -> str:
    """A double quotation mark, 19 x 16, as a path with its top left corner at (x, y)."""
    one = "h8 v8 q0,7 -7,8 v-3 q3,-1 3,-5 h-4 z"
    return f"M{x:.1f},{y:.1f} {one} M{x + 11:.1f},{y:.1f} {one}"


def _edge(x1, y1, x2, y2, half_w, half_h) -> tuple[float, float]:
    """Where the line from (x1, y1) to (x2, y2) leaves a box of half size (half_w, half_h) around (x1, y1)."""
    dx, dy = x2 - x1, y2 - y1
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return x1 + dx * scale, y1 + dy * scale


def _district_rows(tables) -> list[tuple[str, object]]:
    from impact.figures import breakdown

    values = breakdown("residents_reached_by_district", tables)
    return sorted(((v.key, v) for v in values), key=lambda kv: (-(kv[1].number or 0), kv[0]))


def _stage_rows(tables, lang: str) -> list[tuple[str, object]]:
    from impact.figures import value

    return [(word(lang), value(name, tables)) for name, word in STAGES]


def draw(study: Study, layout: dict, lang: str, size: str, tables=None):
    """The infographic of ``size`` as a ``Canvas`` (not yet written).

    A4: title band; six key figures; the upward circle across the page;
    three panels (path to work, reach per district, themes); two quotes;
    what the key figures mean. Square: title band; four key figures; the
    circle; the path to work beside one quote.
    """
    tables = tables or _tables(study)
    # when the quotes would not fit: first one theme less, then a flatter circle
    for squeeze, themes in ((0, 3), (0, 2), (6, 2), (12, 2)):
        page = _draw(study, layout, lang, size, tables, squeeze, themes)
        if page.quote_lines >= 2 or not layout["show"].get("quotes"):
            break
    return page.c


def _draw(study: Study, layout: dict, lang: str, size: str, tables, squeeze: float, themes: int) -> "_Page":
    page = _Page(study, layout, lang, size, tables)
    show = layout["show"]
    values = key_values(study, layout, lang, tables)
    m, inner = page.m, page.w - 2 * page.m
    y = page.header() + 15
    if size == "a4":
        y = page.key_figures(y, values[:6], 3) + 12
        if show.get("circle"):
            y = page.circle(m, y, inner, 62 - squeeze) + 16
        panels = [part for part in ("trajectory", "reach", "themes") if show.get(part)]
        gap = 22
        share = {"trajectory": 0.3, "reach": 0.3, "themes": 0.4}  # the themes need the most room
        total = sum(share[p] for p in panels)
        x = m
        bottoms = [y]
        for part in panels:
            width = (inner - gap * (len(panels) - 1)) * share[part] / total
            if part == "trajectory":
                bottoms.append(page.bars(x, y, width, _WORDS["trajectory"](lang), _stage_rows(tables, lang),
                                         page.color(0), _WORDS["trajectory_unit"](lang), label_w=width * 0.57))
            elif part == "reach":
                bottoms.append(page.bars(x, y, width, _WORDS["reach"](lang), _district_rows(tables), page.color(2),
                                         label_w=width * 0.4, row_h=15))
            else:
                bottoms.append(page.themes(x, y, width, themes))
            x += width + gap
        y = max(bottoms) + 12
        room = page.footer(page.h - page.m + 6) - 10
        if show.get("quotes"):
            quotes = pick_quotes(study, layout, lang, 2, tables)
            half = (inner - gap) / 2
            below = y + 11.5 * 1.2 + 7
            page.quote_lines = max((n for n in range(1, 6) if below + page.quotes_height(9.5, n) <= room), default=0)
            if page.quote_lines and quotes:
                y = page.heading(m, y, _WORDS["quotes"](lang), 11.5)
                for i, q in enumerate(quotes):
                    page.quotes(m + i * (half + gap), y, half, [q], 9.5, page.quote_lines, title=False)
    else:
        y = page.key_figures(y, values[:SQUARE_FIGURES], SQUARE_FIGURES) + 8
        if show.get("circle"):
            y = page.circle(m, y, inner, 68 - squeeze) + 18
        half = (inner - 24) / 2
        room = page.footer(page.h - page.m + 6) - 10
        if show.get("trajectory"):
            page.bars(m, y, half, _WORDS["trajectory"](lang), _stage_rows(tables, lang), page.color(0),
                      _WORDS["trajectory_unit"](lang), label_w=half * 0.45)
        if show.get("quotes"):
            page.quote_lines = max((n for n in range(1, 7) if y + page.quotes_height(9.5, n) <= room), default=0)
            if page.quote_lines:
                page.quotes(m + half + 24, y, half, pick_quotes(study, layout, lang, 1, tables), 9.5,
                            page.quote_lines, title=False)
    return page


def _logo_data_uri(study: Study, layout: dict) -> str | None:
    if not layout.get("logo"):
        return None
    path = (study.root / layout["logo"]).resolve()
    if not path.is_file():
        raise StudyError(Text("{layout_name}, logo: het bestand '{logo}' bestaat niet.",
                              layout_name=LAYOUT_NAME, logo=layout['logo']))
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        path.suffix.lower())
    if mime is None:
        raise StudyError(Text("{layout_name}, logo: waarde '{logo}'; verwacht een PNG, JPG of SVG.",
                              layout_name=LAYOUT_NAME, logo=layout['logo']))
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def infographic_svg(study: Study, layout: dict, lang: str, size: str, *, logo: str | None = None,
                    description: str | None = None, tables=None) -> str:
    """The finished SVG of one version, with the logo bottom right."""
    tables = tables or _tables(study)
    canvas = draw(study, layout, lang, size, tables)
    if logo:
        w, h = SIZES[size]
        m = 34 if size == "a4" else 30
        canvas.raw(f'<image x="{w - m - 80}" y="{h - m - 34}" width="80" height="40" '
                   f'preserveAspectRatio="xMaxYMax meet" href="{logo}"/>')
    return canvas.svg(title=layout["title"], description=description or describe(study, layout, lang, tables),
                      background=layout["background"])


def page_html(svg: str, *, lang: str, title: str, description: str, notes: str = "") -> str:
    """A tiny offline page with the infographic as inline SVG, alt text and what its numbers mean."""
    from impact.report.show import svg_for_page

    body = re.sub(r"<title>.*?</title><desc>.*?</desc>", "", svg, count=1, flags=re.S)
    body = re.sub(r'<a href="[^"]*">(.*?)</a>', r"\1", body, flags=re.S)  # the image is one image: no links in it
    body = re.sub(r"<title>.*?</title>", "", body, flags=re.S)
    inline = svg_for_page(body, title=title, description=description, uid="infographic")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape_html(title)}</title>\n"
            "<style>body{margin:0;padding:1rem;font-family:system-ui,Arial,sans-serif;color:#1a1a1a;line-height:1.5}"
            "main{max-width:52rem;margin:0 auto}h1{font-size:1.25rem}p{color:#4a4a4a}"
            "dl.notes dt{font-weight:600;margin-top:.5rem}dl.notes dd{margin:0;color:#4a4a4a}"
            "data.impact-figure{font-weight:600;color:#1a1a1a}</style>\n</head>\n<body>\n"
            f'<main>\n<h1>{escape_html(title)}</h1>\n<figure style="margin:0">{inline}</figure>\n'
            f"<p>{escape_html(description)}</p>\n{notes}</main>\n</body>\n</html>\n")


def notes_html(study: Study, layout: dict, lang: str, tables) -> str:
    """The infographic's numbers with their definitions, for its HTML page."""
    from impact.figures import value

    seen, items = set(), []
    named = [(label, v) for label, v in key_values(study, layout, lang, tables)]
    named += [(word(lang), value(name, tables)) for name, word in CIRCLE + STAGES]
    for label, v in named:
        if v.name in seen:
            continue
        seen.add(v.name)
        items.append(f"<dt>{escape_html(label[:1].upper() + label[1:])}: {v.html(lang)}</dt>"
                     f"<dd>{escape_html(v.figure.explanation(lang))}</dd>")
    return f'<h2>{escape_html(_WORDS["notes"](lang))}</h2>\n<dl class="notes">{"".join(items)}</dl>\n'


def make_infographic(study: Study, *, lang: str | None = None, folder: Path | None = None,
                     publish_guard=None) -> list[Path]:
    """Write the infographic (A4 and square; SVG, PNG, PDF, HTML) into ``folder`` (default ``reports/``).

    Always makes it; ``impact build`` and ``impact infographic`` skip this when
    nothing it read changed (``impact.report.build.cached_infographic``).
    ``publish_guard(study, paths)`` checks the files before they replace the
    old ones.
    """
    import shutil
    import tempfile

    from impact.files import publish

    lang = lang or study.config.language
    folder = folder or study.reports
    layout = load_layout(study, lang)
    targets = [folder / name for name in INFOGRAPHIC_FILES]
    from impact.report import rendercache
    from impact.report.canvas import font_dir

    rendercache.register_font_directory(font_dir())
    folder.mkdir(parents=True, exist_ok=True)
    logo = _logo_data_uri(study, layout)
    tables = _tables(study)
    description = describe(study, layout, lang, tables)
    notes = notes_html(study, layout, lang, tables)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".staging-"))
    try:
        for size in SIZES:
            svg = infographic_svg(study, layout, lang, size, logo=logo, description=description, tables=tables)
            base = staging / f"infographic-{size}"
            base.with_suffix(".svg").write_text(svg, encoding="utf-8")
            base.with_suffix(".png").write_bytes(rendercache.svg_to_png(svg, scale=1, ppi=PPI))  # ppi also scales
            base.with_suffix(".pdf").write_bytes(rendercache.svg_to_pdf(svg))
            base.with_suffix(".html").write_text(
                page_html(svg, lang=lang, title=layout["title"], description=description, notes=notes),
                encoding="utf-8")
        staged = [staging / name for name in INFOGRAPHIC_FILES]
        if publish_guard is not None:
            publish_guard(study, [p for p in staged if p.suffix in (".svg", ".html")])
        for path in staged:
            publish(path, folder / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets
