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

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TOC_MARK = "<!--impact:toc-->"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every
# common kind of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

WORDS = {
    "skip": Text("Naar de inhoud", "Skip to content"),
    "index": Text("Alle rapporten", "All reports"),
    "toc": Text("Inhoud", "Contents"),
    "synthetic": Text("Let op: alle gegevens in dit rapport zijn verzonnen (demo). Er staan geen echte mensen in.",
                      "Note: all data in this report is made up (demo). No real people are in it."),
    "made": Text("Gemaakt met impact {version} op {date}.", "Made with impact {version} on {date}."),
    "data": Text("Gegevens: versie {hash}.", "Data: version {hash}."),
    "credits": Text("Onderzoek samen met de buurt. Met dank aan de mede-onderzoekers: {names}.",
                    "Research together with the neighbourhood. Thanks to the co-researchers: {names}."),
    "credits_count": Text("Onderzoek samen met de buurt. Met dank aan {n} mede-onderzoekers uit de buurt.",
                          "Research together with the neighbourhood. Thanks to {n} co-researchers from the neighbourhood."),
    "credits_none": Text("Onderzoek samen met de buurt.", "Research together with the neighbourhood."),
    "reports": Text("Rapporten", "Reports"),
    "infographic": Text("Infographic", "Infographic"),
    "infographic_a4": Text("A4 staand", "A4 portrait"),
    "infographic_square": Text("Vierkant", "Square"),
    "index_title": Text("Impactrapporten", "Impact reports"),
    "index_intro": Text("Hier vindt u alle rapporten van deze studie. Elk rapport werkt ook zonder internet.",
                        "Here you find all reports of this study. Every report works without internet."),
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
dl.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
dl.figures .figure { flex: 1 1 9rem; border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
dl.figures dt { color: var(--muted); }
dl.figures dd { margin: 0; font-size: 2rem; font-weight: 700; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.impact-quote blockquote { margin: 0; padding: .5rem 1rem; border-left: 4px solid var(--accent); font-style: italic; }
figure.impact-quote figcaption { margin-left: 1.25rem; color: var(--muted); }
.impact-note { color: var(--muted); }
footer.provenance { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .95rem; }
footer.provenance p { margin: .25rem 0; }
@media print { nav.toc, .back { display: none; } body { max-width: none; } }
"""


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


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


def footer_html(*, lang: str, version: str, date: str, data_hash: str,
                credits: list[str] | int) -> str:
    """The provenance footer: impact version, build date, data version, credits."""
    lines = [WORDS["made"](lang).format(version=esc(version), date=esc(date)),
             WORDS["data"](lang).format(hash=esc(data_hash[:12]))]
    if isinstance(credits, int):
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
        items = "".join(f'<li><a href="{esc(href)}">{esc(title)}</a></li>' for href, title in reports)
        parts += [f'<section lang="{esc(code)}" aria-labelledby="taal-{esc(code)}">',
                  f'<h2 id="taal-{esc(code)}">{esc(name)}</h2>',
                  f"<h3>{WORDS['reports'](code)}</h3>", f"<ul>{items}</ul>"]
        if infographics:
            links = "".join(f'<li><a href="{esc(href)}">{esc(label)}</a></li>' for href, label in infographics)
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
