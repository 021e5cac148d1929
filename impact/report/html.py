"""The HTML of a report page: template, heading order, contents, footer, index.

A report is one file that opens from disk without a network: no scripts,
no outside style sheets, fonts or images. ``notebook_to_html`` renders an
executed notebook through nbconvert with the ``report`` template
(``impact/templates/report``); ``finish_page`` then puts the headings in
order (one ``h1``, no skipped levels), gives them ids and fills the table
of contents. ``remote_references`` lists every reference to an outside
resource a page still has (it should list none).

Example:
    >>> page = finish_page('<main id="inhoud"><h3>Bereik</h3></main><!--x-->'
    ...                    .replace("<!--x-->", ""), title="Rapport", lang="nl")
    >>> '<h1 id="rapport">Rapport</h1>' in page and '<h2 id="bereik">Bereik</h2>' in page
    True
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

from impact.errors import Text
from impact.privacy.escape import escape_html as esc
from impact.privacy.escape import escape_url

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TOC_MARK = "<!--impact:toc-->"

WORDS = {
    "skip": Text("Naar de inhoud"),
    "index": Text("Alle rapporten"),
    "toc": Text("Inhoud"),
    "synthetic": Text("Let op: alle gegevens in dit rapport zijn verzonnen (demo). Er staan geen echte "
                      "mensen in."),
    "made": Text("Gemaakt met impact {version} op {date}."),
    "data": Text("Gegevens: versie {hash}."),
    "credits": Text("Onderzoek samen met de buurt. Met dank aan de medeonderzoekers: {names}."),
    "credits_count": Text("Onderzoek samen met de buurt. Met dank aan {n} medeonderzoekers uit de buurt."),
    "credits_none": Text("Onderzoek samen met de buurt."),
    "credits_thanks": Text("Onderzoek samen met de buurt. Met dank aan de medeonderzoekers uit de buurt."),
    "reports": Text("Rapporten"),
    "infographic": Text("Infographic"),
    "infographic_a4": Text("A4 staand"),
    "infographic_square": Text("Vierkant"),
    "index_title": Text("Impactrapporten"),
    "index_intro": Text("Hier vindt u alle rapporten van deze studie. Elk rapport werkt ook zonder internet."),
    "notes": Text("Wat de cijfers betekenen"),
    "notes_intro": Text("Elk cijfer met een nummertje wordt hier uitgelegd: wat het telt en uit welke "
                        "gegevens het komt."),
    "note_link": Text("uitleg bij dit cijfer"),
}

CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #d0d0d0; --accent: #0057a3; --paper: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.25rem 3rem; color: var(--ink); background: var(--paper);
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1.0625rem; line-height: 1.55; }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem; }
header.site { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: baseline; border-bottom: 1px solid var(--line); }
header.site p { margin: .25rem 0; color: var(--muted); }
.synthetic { font-weight: 600; }
nav.toc { margin: 1rem 0; padding: .75rem 1rem; border: 1px solid var(--line); border-radius: .5rem; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .25rem; }
nav.toc ol { margin: 0; padding-left: 1.25rem; }
nav.toc ol ol { padding-left: 1rem; }
h1 { font-size: 2rem; line-height: 1.2; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); }
.takeaway { font-weight: 600; }
figure { margin: 1rem 0; }
figure.chart svg { display: block; }
figcaption.description { color: var(--muted); font-size: .95rem; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 1rem; margin: 1rem 0; }
dl.figures .figure { display: flex; flex-direction: column-reverse; justify-content: flex-end;
                     border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
dl.figures dt { color: var(--muted); line-height: 1.3; }
dl.figures dd { margin: 0; font-size: 2rem; font-weight: 700; line-height: 1.2; }
data.impact-figure { font-variant-numeric: tabular-nums; }
/* a hidden value ("< 5", "x") is one token: never split over two lines, and its footnote number after
   the box does not read as a power ("x²", "< 5³") */
data.impact-figure[data-suppressed] { white-space: nowrap; background: #e8eef4; border-radius: .25em; padding: 0 .25em; }
sup.fn { font-size: .7em; line-height: 0; margin-left: .1em; }
sup.fn a { color: var(--muted); text-decoration: none; }
dl.figures sup.fn { font-size: .45em; }
.impact-prose p { max-width: 42rem; }
figure.chart .chart-narrow { display: none; }
@media (max-width: 40rem) {
  figure.chart .chart-wide { display: none; }
  figure.chart .chart-narrow { display: block; }
  body { font-size: 1rem; padding: .75rem 1.25rem 2rem; }
  h1 { font-size: 1.6rem; }
}
section.figure-notes { margin-top: 2.5rem; font-size: .95rem; color: var(--muted); }
section.figure-notes ol { padding-left: 1.5rem; }
section.figure-notes li { margin: .3rem 0; }
section.figure-notes li:target { background: #fff3c4; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.impact-quote blockquote { margin: 0; padding: .5rem 1rem; border-left: 4px solid var(--accent); font-style: italic; }
figure.impact-quote figcaption { margin-left: 1.25rem; color: var(--muted); }
.impact-note { color: var(--muted); }
.impact-scope { color: var(--muted); font-size: .95rem; margin-top: -.5rem; }
footer.provenance { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .95rem; }
footer.provenance p { margin: .25rem 0; }
@media print { nav.toc, .back, .skip { display: none; } body { max-width: none; font-size: 11pt; }
  figure.chart .chart-narrow { display: none; } figure.chart .chart-wide { display: block; }
  section.figure-notes { font-size: 9pt; break-before: auto; } a { color: inherit; } }
"""


def slug(text: str) -> str:
    """A stable id for a heading: lower case ASCII words joined by '-'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words) or "deel"


_HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def finish_page(page: str, *, title: str, lang: str) -> str:
    """Order the headings inside ``<main>`` and fill the table of contents.

    The first heading becomes the one ``h1`` (the title is added when the
    page starts without one); later headings never skip a level and are
    never ``h1``. Every heading gets a unique id; ``h2`` and ``h3`` go into
    the contents, placed under the title (the page marks the wish for
    contents with ``<!--impact:toc-->``).
    """
    start = page.find("<main")
    end = page.rfind("</main>")
    if start < 0 or end < 0:
        return page
    body = page[start:end]
    used: set[str] = set()
    toc: list[tuple[int, str, str]] = []
    state = {"prev": 0}

    def unique(text: str) -> str:
        base = slug(text)
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        return ident

    def fix(match: re.Match) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        attrs = re.sub(r'\s+id="[^"]*"', "", attrs)
        text = html.unescape(_TAGS.sub("", inner)).strip()
        if state["prev"] == 0:
            level = 1
        else:
            level = max(2, min(level, state["prev"] + 1))
        state["prev"] = level
        ident = unique(text)
        if level in (2, 3):
            toc.append((level, ident, text))
        return f'<h{level} id="{ident}"{attrs}>{inner}</h{level}>'

    body = hidden_values_note(figure_notes(body, lang), lang)
    first = _HEADING.search(body)
    if first is None or int(first.group(1)) != 1:
        open_end = body.index(">") + 1
        body = body[:open_end] + f"\n<h1>{esc(title)}</h1>" + body[open_end:]
    body = _HEADING.sub(fix, body)
    # the contents go right under the title
    title_end = body.find("</h1>")
    if title_end >= 0 and TOC_MARK in page:
        title_end += len("</h1>")
        body = body[:title_end] + "\n" + toc_html(toc, lang) + body[title_end:]
        return page[:start].replace(TOC_MARK, "", 1) + body + page[end:]
    page = page[:start] + body + page[end:]
    return page.replace(TOC_MARK, toc_html(toc, lang), 1)


_FIGURE = re.compile(r'<(data|th)\b([^>]*\bdata-figure="([^"]+)"[^>]*)>(.*?)</\1>', re.S)


def figure_notes(body: str, lang: str) -> str:
    """Number every figure on the page (``impact.figures``) and explain each at the end.

    Each figure's value (or, in a table, its column header) gets a small
    footnote number that links to a list "Wat de cijfers betekenen" at the
    end of ``body`` (the ``<main>`` part): the figure's definition and the
    tables it comes from. The same figure keeps one number. Hover shows the
    same text (the value's ``title``).
    """
    from impact.figures import get

    numbers: dict[str, int] = {}

    def mark(match: re.Match) -> str:
        tag, attrs, name = match.group(1), match.group(2), match.group(3)
        if tag == "data" and "in-table" in attrs:
            return match.group(0)
        n = numbers.setdefault(name, len(numbers) + 1)
        link = (f'<sup class="fn"><a href="#cijfer-{slug(name)}" '
                f'aria-label="{esc(WORDS["note_link"](lang))} {n}">{n}</a></sup>')
        if tag == "th":
            return f"<th{attrs}>{match.group(4)}{link}</th>"
        return match.group(0) + link

    body = _FIGURE.sub(mark, body)
    if not numbers:
        return body
    items = []
    for name in numbers:
        figure = get(name)
        label = figure.label(lang)
        source = Text("Bron")(lang)
        items.append(f'<li id="cijfer-{slug(name)}"><strong>{esc(label[:1].upper() + label[1:])}.</strong> '
                     f'{esc(figure.definition(lang))} <span class="source">{source}: {esc(figure.source(lang))}.</span>'
                     f"</li>")
    notes = (f'<section class="figure-notes"><h2>{esc(WORDS["notes"](lang))}</h2>'
             f'<p>{esc(WORDS["notes_intro"](lang))}</p><ol>{"".join(items)}</ol></section>')
    return body + notes


_SUPPRESSED = re.compile(r'data-suppressed="(\d+)"[^>]*>\s*(&lt;|x)')


def hidden_values_note(body: str, lang: str) -> str:
    """One explanation of "< k" and "x" for a page that hides values (``impact.figures.hidden_note``),
    under the page's scope line (or its title)."""
    from impact.figures import hidden_note

    found = _SUPPRESSED.findall(body)
    if not found:
        return body
    k = int(found[0][0])
    note = hidden_note(k, any(m == "&lt;" for _, m in found), any(m == "x" for _, m in found))(lang)
    html_note = f'<p class="impact-note privacy-note" id="kleine-aantallen">{esc(note)}</p>'
    scope = re.search(r'<p class="impact-piece impact-scope"[^>]*>.*?</p>', body, re.S)
    at = scope.end() if scope else (body.find("</h1>") + len("</h1>") if "</h1>" in body else body.index(">") + 1)
    return body[:at] + html_note + body[at:]


def toc_html(entries: list[tuple[int, str, str]], lang: str) -> str:
    """A nested ordered list of links to the headings (empty when < 2)."""
    if len(entries) < 2:
        return ""
    out = [f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{WORDS["toc"](lang)}</h2><ol>']
    open_sub = False
    for i, (level, ident, text) in enumerate(entries):
        if level == 3 and not open_sub and i > 0:
            out[-1] = out[-1].removesuffix("</li>")
            out.append("<ol>")
            open_sub = True
        elif level == 2 and open_sub:
            out.append("</ol></li>")
            open_sub = False
        out.append(f'<li><a href="#{ident}">{esc(text)}</a></li>')
    if open_sub:
        out.append("</ol></li>")
    out.append("</ol></nav>")
    return "".join(out)


def footer_html(*, lang: str, version: str, date: str, data_hash: str, credits) -> str:
    """The provenance footer: impact version, build date, data version, credits.

    ``credits``: names, or the number of co-researchers thanked (an ``impact.figures.Value``, which
    carries its unit for the publish guard; hidden when small, like in the co-researchers table).
    """
    lines = [WORDS["made"](lang).format(version=esc(version), date=esc(date)),
             WORDS["data"](lang).format(hash=esc(data_hash[:12]))]
    if hasattr(credits, "figure"):
        shown = credits.number and not credits.hidden
        lines.append(WORDS["credits_count"](lang).format(n=credits.html(lang)) if shown
                     else WORDS["credits_thanks"](lang) if credits.hidden else WORDS["credits_none"](lang))
    elif isinstance(credits, int):
        lines.append(WORDS["credits_count"](lang).format(n=credits) if credits else WORDS["credits_none"](lang))
    elif credits:
        lines.append(WORDS["credits"](lang).format(names=esc(", ".join(credits))))
    else:
        lines.append(WORDS["credits_none"](lang))
    return "\n".join(f"<p>{line}</p>" for line in lines)


def _exporter_class():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its BeautifulSoup pass, which lower-cases SVG
        attributes (viewBox) and re-serialises every page."""

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


def notebook_to_html(nb, *, meta: dict) -> str:
    """Render an executed notebook with the ``report`` template.

    ``meta`` holds lang, title, study, district, synthetic, version and the
    footer HTML; the result still needs ``finish_page``.
    """
    exporter = _exporter_class()(template_name="report", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_anchor_links=True, embed_images=True)
    lang = meta.get("lang", "nl")
    resources = {"impact": {**meta, "css": CSS, "words": {k: v(lang) for k, v in WORDS.items()}}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return finish_page(body, title=meta.get("title", ""), lang=lang)


def index_html(*, lang: str, study: str, sections: list[tuple[str, str, list, list]], footer: str,
               synthetic: bool = False) -> str:
    """The index page: per language (code, name, reports, infographic files) a list of links.

    ``reports`` and infographic files are (href, link text) pairs; each
    language's part is marked with its own ``lang``, so a screen reader reads
    it in that language.
    """
    parts = [
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(WORDS['index_title'](lang))} · {esc(study)}</title>",
        f"<style>{CSS}</style>", "</head>", "<body>",
        '<header class="site">' f'<p class="study">{esc(study)}</p>'
        + (f'<p class="synthetic">{WORDS["synthetic"](lang)}</p>' if synthetic else "") + "</header>",
        '<main id="inhoud">', f"<h1>{esc(WORDS['index_title'](lang))}</h1>",
        f"<p>{WORDS['index_intro'](lang)}</p>",
    ]
    for code, name, reports, infographics in sections:
        items = "".join(f'<li><a href="{escape_url(href)}">{esc(title)}</a></li>' for href, title in reports)
        parts += [f'<section lang="{esc(code)}" aria-labelledby="taal-{esc(code)}">',
                  f'<h2 id="taal-{esc(code)}">{esc(name)}</h2>',
                  f"<h3>{WORDS['reports'](code)}</h3>", f"<ul>{items}</ul>"]
        if infographics:
            links = "".join(f'<li><a href="{escape_url(href)}">{esc(label)}</a></li>' for href, label in infographics)
            parts += [f"<h3>{WORDS['infographic'](code)}</h3>", f"<ul>{links}</ul>"]
        parts.append("</section>")
    parts += ["</main>", f'<footer class="provenance">{footer}</footer>', "</body>", "</html>", ""]
    return "\n".join(parts)


# --- checking for outside resources --------------------------------------

_REF_ATTR = re.compile(r"""\b(?:src|href|xlink:href|action|formaction|poster|data|srcset|background)\s*=\s*(["']?)([^"'\s>]*)\1""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*(["']?)([^"')\s;]*)""", re.I)
_LOCAL = re.compile(r"^(?:#|data:|$)|^[\w./-]+\.(?:html|svg|png|pdf)(?:#.*)?$", re.I)


def remote_references(page: str) -> list[str]:
    """Every src/href/url()/@import in ``page`` that points outside the page.

    Allowed: ``#anchors``, ``data:`` URIs and relative links to other built
    files (``index.html``, ``infographic-a4.svg``). XML namespace names
    (``xmlns="http://www.w3.org/2000/svg"``) are names, not references,
    and are not counted.

    >>> remote_references('<img src="https://cdn.example/x.js"><a href="#top">')
    ['https://cdn.example/x.js']
    """
    found = []
    for pattern in (_REF_ATTR, _CSS_URL, _CSS_IMPORT):
        for m in pattern.finditer(page):
            target = m.group(2).strip()
            if not _LOCAL.match(target) or "//" in target:
                found.append(target)
    if re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I):
        found.append("<script src>")
    return found
