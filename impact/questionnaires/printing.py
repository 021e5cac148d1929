"""Paper fieldwork: a printable form and a blank sheet to type the paper answers in.

At the door a phone is not always welcome. ``print_form`` makes an HTML page
(large type, one question per block, boxes to tick) that works offline and
prints well; ``write_paper_kit`` also writes the entry sheet (CSV or XLSX)
whose columns are exactly what ``read_responses`` expects.

Example:
    >>> from pathlib import Path
    >>> import impact
    >>> form = impact.read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners.xlsx")
    >>> entry_sheet_columns(form)[:4]
    ['respondent', 'wave', 'date', 'contact_via']
    >>> "<fieldset" in print_form(form, "nl")
    True
"""

from __future__ import annotations

from pathlib import Path

from impact.privacy.escape import escape_html as escape
from impact.questionnaires.xlsform import NO_ANSWER_TYPES, Instrument
from impact.questionnaires.xpath import bounds

_WORDS = {
    "nl": {"code": "Code van de deelnemer", "wave": "Meting", "date": "Datum", "version": "versie",
           "one": "Kies één antwoord.", "many": "U mag meer dan één antwoord kiezen.",
           "number": "Schrijf een getal.", "text": "Schrijf uw antwoord op.", "dateq": "Schrijf de datum.",
           "required": "verplicht", "maybe": "Alleen als het past.", "nonames": "Schrijf geen namen op dit formulier.",
           "lang": "nl"},
    "en": {"code": "Participant code", "wave": "Wave", "date": "Date", "version": "version",
           "one": "Choose one answer.", "many": "You may choose more than one answer.",
           "number": "Write a number.", "text": "Write your answer.", "dateq": "Write the date.",
           "required": "required", "maybe": "Only if it applies.", "nonames": "Do not write names on this form.",
           "lang": "en"},
}

_CSS = """
body { font-family: Verdana, Arial, sans-serif; font-size: 20px; line-height: 1.5; margin: 2em; color: #000; }
h1 { font-size: 30px; margin-bottom: .2em; }
.meta { font-size: 16px; color: #333; }
fieldset { border: 2px solid #000; border-radius: 8px; margin: 0 0 1.2em 0; padding: .8em 1em;
           break-inside: avoid; page-break-inside: avoid; }
legend { font-weight: bold; padding: 0 .3em; }
.group { font-size: 24px; margin: 1.4em 0 .4em; border-bottom: 2px solid #000; }
.hint { font-size: 17px; color: #222; margin: .2em 0 .5em; }
.how { font-size: 16px; font-style: italic; }
.box { display: inline-block; width: 24px; height: 24px; border: 2px solid #000; vertical-align: middle;
       margin-right: .5em; background: #fff; }
ul.choices { list-style: none; padding: 0; margin: .3em 0; }
ul.choices li { margin: .4em 0; }
.scale { display: flex; gap: 1.2em; flex-wrap: wrap; }
.scale span { text-align: center; }
.line { border-bottom: 1px solid #000; height: 1.8em; }
.write { display: inline-block; min-width: 8em; border-bottom: 1px solid #000; height: 1.4em; }
.tag { font-size: 15px; font-weight: normal; }
@media print { body { margin: 1cm; } }
"""


def _answer_questions(form: Instrument) -> list[dict]:
    return [q for q in form.answer_questions() if q["repeat"] is None and q["type"] not in ("calculate",)]


def entry_sheet_columns(form: Instrument) -> list[str]:
    """Columns of the blank entry sheet: respondent, wave, date, then every question name."""
    cols = ["respondent", "wave", "date"]
    for q in _answer_questions(form):
        if q["name"] not in cols and q["type"] not in NO_ANSWER_TYPES:
            cols.append(q["name"])
    return cols


def _choices_html(form: Instrument, q: dict, lang: str) -> str:
    items = []
    for c in form.choice_list(q["list"]):
        label = form.choice_label(q["list"], c["name"], lang)
        if c["name"].lstrip("-").isdigit() and not label.startswith(c["name"]):
            label = f"{c['name']}. {label}"  # the number is what goes in the entry sheet
        items.append(f'<li><span class="box"></span>{escape(label)}</li>')
    return f'<ul class="choices">{"".join(items)}</ul>'


def _question_html(form: Instrument, q: dict, lang: str) -> str:
    w = _WORDS.get(lang, _WORDS["nl"])
    label = escape(form.label(q["name"], lang))
    parts = [f'<fieldset id="q-{escape(q["name"])}"><legend>{label}'
             + (f' <span class="tag">({w["required"]})</span>' if q["required"] else "") + "</legend>"]
    hint = form.hint(q["name"], lang)
    if hint:
        parts.append(f'<p class="hint">{escape(hint)}</p>')
    if q["relevant"]:
        parts.append(f'<p class="how">{w["maybe"]}</p>')
    qtype = q["type"]
    low, high = bounds(q["constraint"])
    if qtype == "select_one":
        parts.append(f'<p class="how">{w["one"]}</p>' + _choices_html(form, q, lang))
    elif qtype in ("select_multiple", "rank"):
        parts.append(f'<p class="how">{w["many"]}</p>' + _choices_html(form, q, lang))
    elif qtype == "integer" and low is not None and high is not None and 0 < high - low <= 10:
        boxes = "".join(f'<span><span class="box"></span><br>{int(v)}</span>'
                        for v in range(int(low), int(high) + 1))
        parts.append(f'<p class="how">{w["one"]}</p><div class="scale">{boxes}</div>')
    elif qtype in ("integer", "decimal", "range"):
        parts.append(f'<p class="how">{w["number"]}</p><span class="write"></span>')
    elif qtype in ("date", "datetime"):
        parts.append(f'<p class="how">{w["dateq"]}</p><span class="write">__ - __ - ____</span>')
    else:
        lines = 4 if (q["appearance"] or "").find("multiline") >= 0 else 2
        parts.append(f'<p class="how">{w["text"]}</p>' + '<div class="line"></div>' * lines)
    parts.append("</fieldset>")
    return "".join(parts)


def print_form(form: Instrument, lang: str = "nl") -> str:
    """The printable HTML form of ``form`` in ``lang`` (self-contained, no internet needed)."""
    w = _WORDS.get(lang, _WORDS["nl"])
    title = escape(form.title)
    version = f' &middot; {w["version"]} {escape(form.version)}' if form.version else ""
    body = [f"<h1>{title}</h1>", f'<p class="meta">{escape(form.name)}{version} &middot; {w["nonames"]}</p>']
    group = None
    for q in _answer_questions(form):
        if q["group"] != group:
            group = q["group"]
            if group:
                last = group.split("/")[-1]
                glabel = _group_label(form, group, lang) or last
                body.append(f'<h2 class="group">{escape(glabel)}</h2>')
        body.append(_question_html(form, q, lang))
    return (f'<!DOCTYPE html><html lang="{w["lang"]}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{_CSS}</style></head><body>" + "".join(body) + "</body></html>")


def _group_label(form: Instrument, group: str, lang: str) -> str | None:
    labels = getattr(form, "group_labels", {}) or {}
    entry = labels.get(group) or {}
    language = form.language(lang)
    return entry.get(language) or next(iter(entry.values()), None)


def write_paper_kit(form: Instrument, folder: Path | str, lang: str = "nl", fmt: str = "xlsx") -> list[Path]:
    """Write ``<name>-<lang>.html`` (the form) and ``<name>-invoer.csv|xlsx`` (the entry sheet)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"{form.name}-{lang}.html"
    html_path.write_text(print_form(form, lang), encoding="utf-8")
    columns = entry_sheet_columns(form)
    if fmt == "csv":
        sheet = folder / f"{form.name}-invoer.csv"
        sheet.write_text(";".join(columns) + "\n", encoding="utf-8-sig")
    else:
        import openpyxl
        from openpyxl.styles import Font

        sheet = folder / f"{form.name}-invoer.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = f"{form.name}-invoer"[:31]
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        help_ws = wb.create_sheet("uitleg")
        help_ws.append(["kolom / column", "vraag / question", "wat mag erin / what goes in"])
        help_ws.append(["respondent", "", "code, geen naam / code, no name"])
        help_ws.append(["wave", "", "1, 2, 3"])
        help_ws.append(["date", "", "dd-mm-jjjj"])
        for q in _answer_questions(form):
            if q["name"] in ("respondent", "wave", "date"):
                continue
            allowed = " ".join(c["name"] for c in form.choice_list(q["list"])) if q["list"] else q["type"]
            if q["type"] == "select_multiple":
                allowed += "  (meer keuzes: spatie ertussen / several: space between)"
            low, high = bounds(q["constraint"])
            if low is not None and high is not None:
                allowed = f"{low:g} .. {high:g}"
            help_ws.append([q["name"], form.label(q["name"], lang), allowed])
        wb.save(sheet)
    return [html_path, sheet]
