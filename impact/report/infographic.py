"""The infographic: key figures, trajectory, reach, themes, quotes, upward circle.

``impact infographic`` writes an A4 portrait and a square version, each as
SVG, PNG (300 dpi), PDF and a small offline HTML page, into ``reports/``
(``infographic-a4.*``, ``infographic-square.*``). What it shows comes from
the processed tables; titles, colours, the logo and which parts to show come
from ``infographic.toml`` in the study folder, which a user can edit (it is
written with defaults when missing).

The charts are Altair; vl-convert renders them. The parts are placed on an
exact A4 (595 x 842 pt) or square (600 x 600 pt) canvas, so PNG and PDF
have the right page size.

Example:
    >>> layout = default_layout("nl")
    >>> layout["figures"]["buurtbaners"]
    'buurtbaners'
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import textwrap
import tomllib
from pathlib import Path

from impact.errors import StudyError, Text
from impact.study import Study

LAYOUT_NAME = "infographic.toml"
FORMATS = ("svg", "png", "pdf", "html")
SIZES = {"a4": (595, 842), "square": (600, 600)}
INFOGRAPHIC_FILES = tuple(f"infographic-{size}.{fmt}" for size in SIZES for fmt in FORMATS)
PPI = 300
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

FIGURE_KEYS = ("buurtbaners", "doorgestroomd", "contractbelofte", "bewoners_bereikt", "activiteiten",
               "vrijwilligers")
_FIGURE_LABELS = {
    "buurtbaners": Text("buurtbaners", "neighbourhood jobs"),
    "doorgestroomd": Text("naar ander werk", "moved on to a job"),
    "contractbelofte": Text("belofte van een contract", "promise of a contract"),
    "bewoners_bereikt": Text("bewoners bereikt", "residents reached"),
    "activiteiten": Text("activiteiten", "activities"),
    "vrijwilligers": Text("nieuwe vrijwilligers", "new volunteers"),
}
_WORDS = {
    "title": Text("Buurtbanen: werk in en voor de buurt", "Neighbourhood jobs: work in and for the neighbourhood"),
    "subtitle": Text("Wat de buurtbaners deden en wat het opleverde", "What the neighbourhood workers did and what it brought"),
    "trajectory": Text("Van start naar werk", "From start to work"),
    "reach": Text("Bewoners bereikt per stadsdeel", "Residents reached per district"),
    "themes": Text("Waar mensen over praten", "What people talk about"),
    "circle": Text("De opwaartse cirkel", "The upward circle"),
    "quotes": Text("In hun eigen woorden", "In their own words"),
    "informal": Text("bewoners en vrijwilligers", "residents and volunteers"),
    "formal": Text("organisaties", "organisations"),
    "persons": Text("personen", "persons"),
    "mentions": Text("keer genoemd", "times mentioned"),
    "a4": Text("Infographic, A4 staand", "Infographic, A4 portrait"),
    "square": Text("Infographic, vierkant", "Infographic, square"),
    "synthetic": Text("Demo: alle gegevens zijn verzonnen.", "Demo: all data is made up."),
}
_STAGES = [("start", Text("gestart", "started")), ("training", Text("scholing", "training")),
           ("certificate", Text("certificaat", "certificate")),
           ("promise_of_contract", Text("belofte contract", "promise of contract")),
           ("follow_on_job", Text("ander werk", "next job"))]
_CIRCLE = [("bewoners_bereikt", Text("bewoners bereikt", "residents reached")),
           ("doen_mee", Text("doen mee", "take part")),
           ("vrijwilligers", Text("worden vrijwilliger", "become volunteers")),
           ("sleutelpersonen", Text("sleutelpersonen", "key persons")),
           ("buurtbaners", Text("buurtbaners", "neighbourhood workers"))]


def infographic_labels(lang: str) -> list[tuple[str, str]]:
    """(file name, link text) for the index page."""
    out = []
    for size in SIZES:
        for fmt in FORMATS:
            out.append((f"infographic-{size}.{fmt}", f"{_WORDS[size](lang)} ({fmt.upper()})"))
    return out


# --- the layout file ---------------------------------------------------------

def default_layout(lang: str = "nl") -> dict:
    return {
        "title": _WORDS["title"](lang),
        "subtitle": _WORDS["subtitle"](lang),
        "source": "",
        "logo": "",
        "colors": list(OKABE_ITO[:5]),
        "background": "#ffffff",
        "text_color": "#1a1a1a",
        "figures": {key: _FIGURE_LABELS[key](lang) for key in FIGURE_KEYS},
        "show": {"trajectory": True, "reach": True, "themes": True, "quotes": True, "circle": True},
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
        "[figures]",
    ]
    lines += [f"{key} = {q(label)}" for key, label in layout["figures"].items()]
    lines += ["", "# Welke delen komen op de infographic (true = ja, false = nee).", "[show]"]
    lines += [f"{key} = {str(bool(v)).lower()}" for key, v in layout["show"].items()]
    lines += ["", "# Eigen citaten (al zonder namen). Zonder citaten kiest impact er zelf een of twee",
              "# uit de verhalen die het panel koos, alleen van mensen die toestemming gaven.",
              "# [[quotes]]", '# text = "Ik voel me weer nodig."', '# who = "bewoner, West"', ""]
    for quote in layout.get("quotes", []):
        lines += ["[[quotes]]", f"text = {q(quote.get('text', ''))}", f"who = {q(quote.get('who', ''))}", ""]
    return "\n".join(lines)


def load_layout(study: Study, lang: str | None = None) -> dict:
    """Read ``infographic.toml`` (write it with defaults when missing)."""
    lang = lang or study.config.language
    path = study.root / LAYOUT_NAME
    layout = default_layout(lang)
    if not path.is_file():
        path.write_text(render_layout(layout), encoding="utf-8")
        return layout
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(Text(f"{LAYOUT_NAME}: dit bestand is geen geldige TOML ({exc}).",
                              f"{LAYOUT_NAME}: this file is not valid TOML ({exc}).")) from None
    for key in ("title", "subtitle", "source", "logo", "background", "text_color"):
        if key in data:
            layout[key] = str(data[key])
    if "colors" in data:
        colors = [str(c) for c in data["colors"]]
        bad = [c for c in colors if not re.fullmatch(r"#[0-9a-fA-F]{6}", c)]
        if bad or not colors:
            raise StudyError(Text(
                f"{LAYOUT_NAME}, colors: waarde '{', '.join(bad)}'; verwacht kleuren als \"#0072B2\".",
                f"{LAYOUT_NAME}, colors: value '{', '.join(bad)}'; expected colours like \"#0072B2\"."))
        layout["colors"] = colors
    if "figures" in data:
        unknown = [k for k in data["figures"] if k not in FIGURE_KEYS]
        if unknown:
            raise StudyError(Text(
                f"{LAYOUT_NAME}, [figures]: onbekend kerncijfer '{', '.join(unknown)}'; kies uit {', '.join(FIGURE_KEYS)}.",
                f"{LAYOUT_NAME}, [figures]: unknown key figure '{', '.join(unknown)}'; choose from {', '.join(FIGURE_KEYS)}."))
        layout["figures"] = {k: str(v) for k, v in data["figures"].items()}
    layout["show"].update({k: bool(v) for k, v in data.get("show", {}).items()})
    layout["quotes"] = [{"text": str(q.get("text", "")), "who": str(q.get("who", ""))}
                        for q in data.get("quotes", [])]
    return layout


# --- numbers from the processed tables -----------------------------------

def _table(study: Study, name: str):
    import polars as pl

    from impact import reads

    path = study.processed / f"{name}.parquet"
    reads.note(path)  # an input of the infographic (polars reads outside Python's open)
    return pl.read_parquet(path) if path.is_file() else None


def key_figures(study: Study) -> dict[str, int]:
    """The key figures of the whole study (totals, see docs/publiceren.md).

    ``bewoners_bereikt`` counts distinct persons at activities or contacted
    by name, plus contacts without a name (a doorbell, a talk in the street).
    """
    import polars as pl

    people, events = _table(study, "people"), _table(study, "trajectory_events")
    activities, attendance, contacts = (_table(study, "activities"), _table(study, "attendance"),
                                        _table(study, "contacts"))
    out: dict[str, int] = {}
    if people is not None:
        out["buurtbaners"] = people.filter(pl.col("role") == "buurtbaner").height
        out["sleutelpersonen"] = people.filter(pl.col("role") == "key_person").height
    if events is not None:
        for key, kind in (("doorgestroomd", "follow_on_job"), ("contractbelofte", "promise_of_contract")):
            out[key] = events.filter(pl.col("kind") == kind)["person"].n_unique()
    if activities is not None:
        out["activiteiten"] = activities.height
    reached: set[str] = set()
    anonymous = 0
    if attendance is not None:
        out["doen_mee"] = attendance["person"].n_unique()
        reached |= set(attendance["person"].drop_nulls().to_list())
    if contacts is not None:
        out["vrijwilligers"] = contacts.filter(pl.col("kind") == "volunteer_activated")["to_person"].drop_nulls().n_unique()
        named = contacts.filter(pl.col("kind").is_in(["doorbell", "conversation", "match"]))
        reached |= set(named["to_person"].drop_nulls().to_list())
        anonymous = named.filter(pl.col("to_person").is_null()).height
    if attendance is not None or contacts is not None:
        out["bewoners_bereikt"] = len(reached) + anonymous
    return out


def trajectory_counts(study: Study) -> list[tuple[str, int]]:
    """Buurtbaners who reached each stage (start .. next job)."""
    import polars as pl

    events = _table(study, "trajectory_events")
    if events is None:
        return []
    return [(kind, events.filter(pl.col("kind") == kind)["person"].n_unique()) for kind, _ in _STAGES]


def reach_by_district(study: Study, k: int) -> tuple[list[tuple[str, int]], int]:
    """Distinct residents reached per district; districts with 0 < n < k are left out.

    Returns the rows and how many districts were left out for privacy.
    """
    import polars as pl

    frames = []
    attendance, activities, contacts = _table(study, "attendance"), _table(study, "activities"), _table(study, "contacts")
    if attendance is not None and activities is not None:
        frames.append(attendance.join(activities.select("activity_id", "district"), on="activity_id")
                      .select("district", "person"))
    if contacts is not None:
        frames.append(contacts.filter(pl.col("to_person").is_not_null() & (pl.col("kind") != "referral"))
                      .select("district", pl.col("to_person").alias("person")))
    if not frames:
        return [], 0
    counts = (pl.concat(frames).drop_nulls().unique().group_by("district").len()
              .sort(["len", "district"], descending=[True, False]))
    rows = [(d, n) for d, n in counts.iter_rows()]
    kept = [(d, n) for d, n in rows if n >= k]
    return kept, len(rows) - len(kept)


def top_themes(study: Study, n: int = 5) -> list[tuple[str, str, int]]:
    """The ``n`` codes used most, counted per actor type (informal/formal)."""
    import polars as pl

    codings, transcripts = _table(study, "codings"), _table(study, "transcripts")
    if codings is None or transcripts is None:
        return []
    joined = codings.join(transcripts.select("document", "actor_type"), on="document")
    top = joined.group_by("code").len().sort(["len", "code"], descending=[True, False]).head(n)["code"].to_list()
    counts = joined.filter(pl.col("code").is_in(top)).group_by("code", "actor_type").len()
    return [(c, a, int(m)) for c, a, m in counts.sort(["code", "actor_type"]).iter_rows()]


def pick_quotes(study: Study, layout: dict, lang: str, limit: int = 2) -> list[dict]:
    """Quotes from the layout file, else stories the panel chose (with consent for quotes)."""
    if layout.get("quotes"):
        return layout["quotes"][:limit]
    import polars as pl

    stories, consent, people = _table(study, "msc_stories"), _table(study, "consent"), _table(study, "people")
    if stories is None or consent is None:
        return []
    allowed = consent.filter(pl.col("quotes") & pl.col("withdrawn_on").is_null())["person"]
    chosen = stories.filter(pl.col("panel_choice") & pl.col("person").is_in(allowed.implode()))
    if people is not None:
        chosen = chosen.join(people.select("person", "role"), on="person", how="left")
    out = []
    for row in chosen.sort("story_id").head(limit).iter_rows(named=True):
        text = row["story"].strip()
        first = re.split(r"(?<=[.!?])\s", text)[0]
        role = _ROLE_WORDS.get(row.get("role") or "")
        out.append({"text": first[:160], "who": role(lang) if role else _WORDS["informal"](lang)})
    return out


_ROLE_WORDS = {"buurtbaner": Text("buurtbaner", "buurtbaner"), "key_person": Text("sleutelpersoon", "key person"),
               "resident": Text("bewoner", "resident"), "volunteer": Text("vrijwilliger", "volunteer"),
               "formal_actor": Text("organisatie", "organisation")}


# --- drawing ---------------------------------------------------------------

def _pieces(study: Study, layout: dict, lang: str, width: int, square: bool) -> list:
    import altair as alt
    import pandas as pd

    colors, ink = layout["colors"], layout["text_color"]
    tall = 1.0 if square else 1.45  # A4 has room for taller charts
    figs = key_figures(study)
    parts = [alt.Chart(pd.DataFrame({"t": [layout["title"]], "s": [layout["subtitle"]]}))
             .mark_text(fontSize=24 if not square else 22, fontWeight="bold", color=ink, align="left", x=0, y=14)
             .encode(text="t").properties(width=width, height=28)
             + alt.Chart(pd.DataFrame({"s": [layout["subtitle"]]}))
             .mark_text(fontSize=13, color=ink, align="left", x=0, y=42).encode(text="s")]
    shown = [(key, label) for key, label in layout["figures"].items() if key in figs]
    if shown:
        per_row = 3
        rows = [{"label": label, "value": f"{figs[key]:,}".replace(",", "."),
                 "col": i % per_row, "row": i // per_row} for i, (key, label) in enumerate(shown)]
        df = pd.DataFrame(rows)
        n_rows = (len(rows) + per_row - 1) // per_row
        base = alt.Chart(df).encode(
            x=alt.X("col:Q", scale=alt.Scale(domain=[0, per_row]), axis=None),
            y=alt.Y("row:Q", scale=alt.Scale(domain=[-0.1, n_rows], reverse=True), axis=None))
        number = base.mark_text(fontSize=30, fontWeight="bold", align="left", dx=4, dy=4).encode(
            text="value", color=alt.value(colors[0]))
        label = base.mark_text(fontSize=12, align="left", dx=4, dy=30, color=ink).encode(text="label")
        parts.append((number + label).properties(width=width, height=60 * n_rows))
    charts = []
    small_w = (width - 40) // 2
    if layout["show"].get("trajectory"):
        stages = dict(trajectory_counts(study))
        if stages:
            df = pd.DataFrame([{"stap": label(lang), "n": stages.get(kind, 0), "i": i}
                               for i, (kind, label) in enumerate(_STAGES)])
            charts.append(alt.Chart(df, title=_WORDS["trajectory"](lang)).mark_bar(color=colors[0]).encode(
                x=alt.X("n:Q", title=_WORDS["persons"](lang)),
                y=alt.Y("stap:N", sort=alt.SortField("i"), title=None)).properties(width=small_w - 90, height=int(120 * tall)))
    if layout["show"].get("reach"):
        rows, hidden = reach_by_district(study, study.config.privacy.k)
        if rows:
            df = pd.DataFrame([{"stadsdeel": d, "n": n} for d, n in rows])
            charts.append(alt.Chart(df, title=_WORDS["reach"](lang)).mark_bar(color=colors[2]).encode(
                x=alt.X("n:Q", title=_WORDS["persons"](lang)),
                y=alt.Y("stadsdeel:N", sort="-x", title=None)).properties(width=small_w - 90, height=int(120 * tall)))
    if layout["show"].get("themes"):
        themes = top_themes(study)
        if themes:
            names = {"informal": _WORDS["informal"](lang), "formal": _WORDS["formal"](lang)}
            df = pd.DataFrame([{"thema": c, "wie": names.get(a, a), "n": m} for c, a, m in themes])
            charts.append(alt.Chart(df, title=_WORDS["themes"](lang)).mark_bar().encode(
                x=alt.X("n:Q", title=_WORDS["mentions"](lang)), y=alt.Y("thema:N", title=None),
                yOffset="wie:N",
                color=alt.Color("wie:N", title=None, scale=alt.Scale(range=[colors[1], colors[4 % len(colors)]]),
                                legend=alt.Legend(orient="bottom"))).properties(width=small_w - 90, height=int(130 * tall)))
    if layout["show"].get("circle"):
        values = [(label(lang), figs[key]) for key, label in _CIRCLE if key in figs]
        if values:
            df = pd.DataFrame([{"stap": f"{lab}: {val}", "deel": 1, "i": i} for i, (lab, val) in enumerate(values)])
            ring = alt.Chart(df).encode(theta=alt.Theta("deel:Q", stack=True),
                                        order="i:Q",
                                        color=alt.Color("stap:N", sort=alt.SortField("i"), legend=None,
                                                        scale=alt.Scale(range=colors)))
            r = 40 * tall
            charts.append((ring.mark_arc(innerRadius=r * 0.6, outerRadius=r, stroke="white")
                           + ring.mark_text(radius=r + 30, fontSize=10).encode(text="stap:N", color=alt.value(ink)))
                          .properties(width=small_w, height=int(170 * tall), title=_WORDS["circle"](lang)))
    for i in range(0, len(charts), 2):
        pair = charts[i:i + 2]
        parts.append(alt.hconcat(*pair, spacing=30).resolve_scale(color="independent")
                     if len(pair) == 2 else pair[0])
    if layout["show"].get("quotes"):
        quotes = pick_quotes(study, layout, lang, limit=1 if square else 2)
        if quotes:
            lines = []
            for q in quotes:
                lines += [f"“{line}" if j == 0 else line
                          for j, line in enumerate(textwrap.wrap(q["text"], 70))]
                lines[-1] += "”"
                lines.append(f"   – {q['who']}")
            df = pd.DataFrame({"t": ["\n".join(lines)]})
            parts.append(alt.Chart(df).mark_text(align="left", baseline="top", lineBreak="\n", fontSize=12,
                                                 fontStyle="italic", color=ink, x=0, y=4)
                         .encode(text="t").properties(width=width, height=16 * len(lines) + 8))
    foot = layout.get("source") or ""
    if study.config.synthetic:
        foot = (foot + "  " + _WORDS["synthetic"](lang)).strip()
    if foot:
        parts.append(alt.Chart(pd.DataFrame({"t": [foot]})).mark_text(align="left", fontSize=9, color=ink, x=0, y=6)
                     .encode(text="t").properties(width=width, height=12))
    return parts


def infographic_spec(study: Study, layout: dict, lang: str, size: str) -> dict:
    """The Vega-Lite spec of the infographic's content (before placing on the page)."""
    import altair as alt

    page_w, _ = SIZES[size]
    parts = _pieces(study, layout, lang, width=page_w - 60, square=size == "square")
    chart = alt.vconcat(*parts, spacing=18 if size == "square" else 30).resolve_scale(
        color="independent").configure(
        background=layout["background"], font="DejaVu Sans", aria=False,
    ).configure_view(stroke=None).configure_title(anchor="start", fontSize=14, color=layout["text_color"])
    return chart.to_dict()


def _logo_data_uri(study: Study, layout: dict) -> str | None:
    if not layout.get("logo"):
        return None
    path = (study.root / layout["logo"]).resolve()
    if not path.is_file():
        raise StudyError(Text(f"{LAYOUT_NAME}, logo: het bestand '{layout['logo']}' bestaat niet.",
                              f"{LAYOUT_NAME}, logo: the file '{layout['logo']}' does not exist."))
    mime = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
        path.suffix.lower())
    if mime is None:
        raise StudyError(Text(f"{LAYOUT_NAME}, logo: waarde '{layout['logo']}'; verwacht een PNG, JPG of SVG.",
                              f"{LAYOUT_NAME}, logo: value '{layout['logo']}'; expected a PNG, JPG or SVG."))
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def place_on_page(content_svg: str, *, size: str, background: str, logo: str | None, title: str,
                  description: str) -> str:
    """Put the content SVG, scaled to fit, on an exact page of ``size``."""
    page_w, page_h = SIZES[size]
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', content_svg)
    cw, ch = (float(m.group(1)), float(m.group(2))) if m else (page_w, page_h)
    margin = 18
    scale = min((page_w - 2 * margin) / cw, (page_h - 2 * margin) / ch, 1.25)
    x = (page_w - cw * scale) / 2
    # A <g transform> rather than a nested <svg>: resvg rasterises it about 3x faster.
    body = content_svg[content_svg.index(">") + 1:content_svg.rindex("</svg>")]
    inner = f'<g transform="translate({x:.2f},{margin}) scale({scale:.5f})">{body}</g>'
    logo_el = ""
    if logo:
        logo_el = (f'<image x="{page_w - margin - 80}" y="{page_h - margin - 40}" width="80" height="40" '
                   f'preserveAspectRatio="xMaxYMax meet" href="{logo}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{page_w}" height="{page_h}" viewBox="0 0 {page_w} {page_h}">'
            f"<title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>"
            f'<rect width="{page_w}" height="{page_h}" fill="{background}"/>{inner}{logo_el}</svg>')


def describe(study: Study, layout: dict, lang: str) -> str:
    """Alt text for the infographic: the title and the key figures in words."""
    figs = key_figures(study)
    parts = [f"{figs[key]} {label}" for key, label in layout["figures"].items() if key in figs]
    return f"{layout['title']}. " + ", ".join(parts) + "."


def page_html(svg: str, *, lang: str, title: str, description: str) -> str:
    """A tiny offline page with the infographic as inline SVG and alt text."""
    from impact.report.show import svg_for_page

    inline = svg_for_page(re.sub(r"<title>.*?</title><desc>.*?</desc>", "", svg, count=1, flags=re.S),
                          title=title, description=description, uid="infographic")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            "<style>body{margin:0;padding:1rem;font-family:system-ui,Arial,sans-serif;color:#1a1a1a}"
            "main{max-width:52rem;margin:0 auto}h1{font-size:1.25rem}p{color:#4a4a4a}</style>\n</head>\n<body>\n"
            f'<main>\n<h1>{html.escape(title)}</h1>\n<figure style="margin:0">{inline}</figure>\n'
            f"<p>{html.escape(description)}</p>\n</main>\n</body>\n</html>\n")


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

    from impact.report.build import publish

    lang = lang or study.config.language
    folder = folder or study.reports
    layout = load_layout(study, lang)
    targets = [folder / name for name in INFOGRAPHIC_FILES]
    import vl_convert

    folder.mkdir(parents=True, exist_ok=True)
    logo = _logo_data_uri(study, layout)
    description = describe(study, layout, lang)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".staging-"))
    try:
        for size in SIZES:
            content = vl_convert.vegalite_to_svg(infographic_spec(study, layout, lang, size))
            svg = place_on_page(content, size=size, background=layout["background"], logo=logo,
                                title=layout["title"], description=description)
            base = staging / f"infographic-{size}"
            base.with_suffix(".svg").write_text(svg, encoding="utf-8")
            base.with_suffix(".png").write_bytes(vl_convert.svg_to_png(svg, scale=1, ppi=PPI))  # ppi also scales
            base.with_suffix(".pdf").write_bytes(vl_convert.svg_to_pdf(svg))
            base.with_suffix(".html").write_text(
                page_html(svg, lang=lang, title=layout["title"], description=description), encoding="utf-8")
        staged = [staging / name for name in INFOGRAPHIC_FILES]
        if publish_guard is not None:
            publish_guard(study, [p for p in staged if p.suffix in (".svg", ".html")])
        for path in staged:
            publish(path, folder / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets
