"""Paper fieldwork: a printable form and a blank sheet to type the paper answers in.

At the door a phone is not always welcome. ``print_form`` makes an HTML page
(large type, one question per block, boxes to tick) that works offline and
prints well; ``write_paper_kit`` also writes the entry sheet (CSV or XLSX)
whose columns are exactly what ``read_responses`` expects. For a follow-up
form, ``earlier_answers`` and ``print_follow_up`` make the private paper
form that shows each person's earlier answers (never for ``reports/``).

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
from impact.text import Text

_WORDS = {
    "code": Text("Code van de deelnemer"),
    "wave": Text("Meting"),
    "date": Text("Datum"),
    "version": Text("versie"),
    "one": Text("Kies één antwoord."),
    "many": Text("U mag meer dan één antwoord kiezen."),
    "number": Text("Schrijf een getal."),
    "text": Text("Schrijf uw antwoord op."),
    "dateq": Text("Schrijf de datum."),
    "required": Text("verplicht"),
    "maybe": Text("Alleen als het past."),
    "nonames": Text("Schrijf geen namen op dit formulier."),
    "repeat": Text("Vul dit blok in voor elke keer (meer nodig? Gebruik een extra vel)."),
    "copy": Text("Nummer"),
    "filter": Text("Kies uit het rijtje dat past bij uw antwoord op de vraag: {q}"),
    "filtered": Text("Alleen de keuzes die passen bij een eerder antwoord."),
    "earlier": Text("Vorige keer"),
    "none": Text("(geen antwoord)"),
    "private": Text("PRIVÉ: op dit formulier staan antwoorden van de deelnemer. Niet publiceren, niet laten liggen. "
                    "Gooi het weg (versnipperen) als de antwoorden zijn overgetypt."),
    "participant": Text("Deelnemer"),
    "waves": Text("Eerdere metingen"),
    "check": Text("Vraag of dit nog klopt."),
}


def _shown(lang: str) -> dict[str, str]:
    """The words of the printed forms in ``lang`` (and ``lang`` itself, for the page's lang attribute)."""
    return {"lang": lang, **{key: text(lang) for key, text in _WORDS.items()}}

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
.repeat { border: 2px dashed #000; border-radius: 8px; padding: .6em 1em; margin: 0 0 1.2em 0; }
.copy { font-weight: bold; margin: .6em 0 .3em; }
.when { font-weight: bold; margin: .5em 0 .1em; }
.earlier { background: #eee; border-left: 6px solid #000; padding: .3em .6em; margin: .4em 0; font-size: 18px; }
.private { border: 3px solid #000; padding: .5em 1em; font-weight: bold; }
table.earlier-rows { border-collapse: collapse; font-size: 17px; margin: .3em 0; }
table.earlier-rows th, table.earlier-rows td { border: 1px solid #000; padding: .2em .5em; text-align: left; }
.person { break-before: page; page-break-before: always; }
.person:first-of-type { break-before: auto; page-break-before: auto; }
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


def repeat_sheet_columns(form: Instrument, repeat: str) -> list[str]:
    """Columns of the entry sheet of repeat group ``repeat``: respondent, wave, index (1, 2, 3: the
    how-manieth in that submission), then the group's questions.

    Example:
        >>> from pathlib import Path
        >>> import impact
        >>> form = impact.read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners_vervolg.xlsx")
        >>> repeat_sheet_columns(form, "bezoeken")
        ['respondent', 'wave', 'index', 'activiteit', 'keer', 'waardering']
    """
    return ["respondent", "wave", "index"] + [q["name"] for q in form.questions_in(repeat)
                                              if q["type"] not in ("calculate",)]


def _choices_html(form: Instrument, q: dict, lang: str, choices: list[dict] | None = None) -> str:
    items = []
    for c in form.choice_list(q["list"]) if choices is None else choices:
        label = form.choice_label(q["list"], c["name"], lang)
        if c["name"].lstrip("-").isdigit() and not label.startswith(c["name"]):
            label = f"{c['name']}. {label}"  # the number is what goes in the entry sheet
        items.append(f'<li><span class="box"></span>{escape(label)}</li>')
    return f'<ul class="choices">{"".join(items)}</ul>'


def cascade(form: Instrument, q: dict) -> list[tuple[str, list[dict]]] | None:
    """The choices of a question with a ``choice_filter``, per answer to the one question it depends
    on: ``[(that answer, the choices it keeps), ...]``; ``None`` when the filter depends on more than
    one question, on one without choices, or on XPath impact does not evaluate.

    Example:
        >>> from pathlib import Path
        >>> import impact
        >>> form = impact.read_xlsform(Path(impact.__file__).parent / "study_template/questionnaires/bewoners_vervolg.xlsx")
        >>> [(k, [c["name"] for c in kept]) for k, kept in cascade(form, form.question("hulp_bij"))][:2]
        [('geld', ['schuldhulp', 'voedselbank']), ('gezondheid', ['huisarts', 'ggd'])]
    """
    from impact.questionnaires.responses import filtered_choices
    from impact.questionnaires.xpath import compile_expression

    refs = compile_expression(q["choice_filter"]).refs
    if len(refs) != 1 or not form.has(refs[0]) or not form.choice_list(form.question(refs[0])["list"]):
        return None
    out = []
    for c in form.choice_list(form.question(refs[0])["list"]):
        kept = filtered_choices(form, q, {refs[0]: c["name"]})
        if kept is None:
            return None
        if kept:
            out.append((c["name"], kept))
    return out


def _filtered_choices_html(form: Instrument, q: dict, lang: str, w: dict) -> str:
    """A question with a choice filter on paper: one row of boxes per answer to the question it
    depends on, under that answer's label, so a person can follow it without a phone."""
    groups = cascade(form, q)
    if groups is None:
        return f'<p class="how">{w["filtered"]}</p>' + _choices_html(form, q, lang)
    from impact.questionnaires.xpath import compile_expression

    ref = form.question(compile_expression(q["choice_filter"]).refs[0])
    parts = [f'<p class="how">{escape(w["filter"].format(q=form.label(ref["name"], lang)))}</p>']
    for answer, kept in groups:
        parts.append(f'<p class="when">{escape(form.choice_label(ref["list"], answer, lang))}:</p>'
                     + _choices_html(form, q, lang, kept))
    return "".join(parts)


def _question_html(form: Instrument, q: dict, lang: str, copy: int | None = None, earlier: str = "",
                   prefix: str = "") -> str:
    w = _shown(lang)
    label = escape(form.label(q["name"], lang))
    qid = q["name"] if copy is None else f"{q['name']}-{copy}"
    parts = [f'<fieldset id="{prefix}q-{escape(qid)}"><legend>{label}'
             + (f' <span class="tag">({w["required"]})</span>' if q["required"] else "") + "</legend>"]
    if earlier:
        parts.append(earlier)
    hint = form.hint(q["name"], lang)
    if hint:
        parts.append(f'<p class="hint">{escape(hint)}</p>')
    if q["relevant"]:
        parts.append(f'<p class="how">{w["maybe"]}</p>')
    qtype = q["type"]
    low, high = bounds(q["constraint"])
    if qtype in ("select_one", "select_multiple", "rank"):
        how = w["one"] if qtype == "select_one" else w["many"]
        choices = (_filtered_choices_html(form, q, lang, w) if q["choice_filter"]
                   else _choices_html(form, q, lang))
        parts.append(f'<p class="how">{how}</p>' + choices)
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


# Empty copies of a repeat group's block on the paper form (a nested repeat: fewer).
PAPER_COPIES = 3


def print_form(form: Instrument, lang: str = "nl") -> str:
    """The printable HTML form of ``form`` in ``lang`` (self-contained, no internet needed).

    A repeat group is a dashed block printed ``PAPER_COPIES`` times (numbered); a question with a
    ``choice_filter`` shows its choices in rows, one per answer to the question it depends on.
    """
    w = _shown(lang)
    title = escape(form.title)
    version = f' &middot; {w["version"]} {escape(form.version)}' if form.version else ""
    head = [f"<h1>{title}</h1>", f'<p class="meta">{escape(form.name)}{version} &middot; {w["nonames"]}</p>']
    return _page(form, lang, "".join(head + _body(form, lang)))


def _page(form: Instrument, lang: str, body: str) -> str:
    w = _shown(lang)
    return (f'<!DOCTYPE html><html lang="{w["lang"]}"><head><meta charset="utf-8">'
            f"<title>{escape(form.title)}</title><style>{_CSS}</style></head><body>" + body + "</body></html>")


def _body(form: Instrument, lang: str, earlier=None, prefix: str = "") -> list[str]:
    """The blocks of the form: group headings, questions, repeat blocks; ``earlier(q)`` (optional)
    gives the HTML of a question's earlier answer, ``earlier(repeat=path)`` that of a repeat group;
    ``prefix`` goes in front of every id (several forms on one page)."""
    body, group, done = [], None, set()
    for q in [q for q in form.answer_questions() if q["type"] not in ("calculate",)]:
        top = _top_repeat(form, q["repeat"])
        if top is not None:
            if top not in done:
                done.add(top)
                body.append(_repeat_html(form, top, lang, PAPER_COPIES, earlier, id_prefix=prefix))
            continue
        if q["group"] != group:
            group = q["group"]
            if group:
                last = group.split("/")[-1]
                glabel = _group_label(form, group, lang) or last
                body.append(f'<h2 class="group">{escape(glabel)}</h2>')
        body.append(_question_html(form, q, lang, earlier=earlier(q) if earlier else "", prefix=prefix))
    return body


def _top_repeat(form: Instrument, repeat: str | None) -> str | None:
    while repeat is not None and form.repeats[repeat].parent is not None:
        repeat = form.repeats[repeat].parent
    return repeat


def _repeat_html(form: Instrument, path: str, lang: str, copies: int, earlier=None, prefix: str = "",
                 id_prefix: str = "") -> str:
    """A repeat group on paper: its label, how to use it, and ``copies`` numbered blocks."""
    w = _shown(lang)
    inner = [p for p, r in form.repeats.items() if r.parent == path]
    hint = form.repeat_label(path, lang, "hint")
    parts = [f'<h2 class="group">{escape(form.repeat_label(path, lang))}</h2>',
             f'<p class="hint">{escape(hint)}</p>' if hint else "", f'<p class="how">{w["repeat"]}</p>']
    if earlier:
        parts.append(earlier(repeat=path))
    for k in range(1, copies + 1):
        number = f"{prefix}{k}"
        block = [f'<div class="repeat" id="{id_prefix}r-{escape(form.repeats[path].name)}-{number}">'
                 f'<p class="copy">{w["copy"]} {number}</p>']
        for q in form.questions_in(path):
            if q["type"] != "calculate":
                block.append(_question_html(form, q, lang, copy=number, prefix=id_prefix))
        for child in inner:
            block.append(_repeat_html(form, child, lang, max(1, copies - 1), None, f"{number}.", id_prefix))
        parts.append("".join(block) + "</div>")
    return "".join(parts)


def _group_label(form: Instrument, group: str, lang: str) -> str | None:
    labels = getattr(form, "group_labels", {}) or {}
    entry = labels.get(group) or {}
    language = form.language(lang)
    return entry.get(language) or next(iter(entry.values()), None)


def write_paper_kit(form: Instrument, folder: Path | str, lang: str = "nl", fmt: str = "xlsx") -> list[Path]:
    """Write ``<name>-<lang>.html`` (the form) and ``<name>-invoer.csv|xlsx`` (the entry sheet; a form
    with repeat groups needs xlsx: a sheet per repeat group)."""
    from impact.errors import InputError, Text

    folder = Path(folder)
    if fmt == "csv" and form.repeats:
        raise InputError(Text("{name}: deze vragenlijst heeft herhaalde groepen ({repeats}). Die passen niet "
                              "in één CSV-bestand. Gebruik --format xlsx: dan krijgt elke groep een eigen "
                              "blad.",
                              name=form.path.name, repeats=', '.join(form.repeats)))
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
        for repeat in form.repeats:
            rs = wb.create_sheet(form.repeats[repeat].name[:31])
            rs.append(repeat_sheet_columns(form, repeat))
            for cell in rs[1]:
                cell.font = Font(bold=True)
            rs.freeze_panes = "A2"
        help_ws = wb.create_sheet("uitleg")
        help_ws.append(["kolom / column", "vraag / question", "wat mag erin / what goes in"])
        help_ws.append(["respondent", "", "code, geen naam / code, no name"])
        help_ws.append(["wave", "", "1, 2, 3"])
        help_ws.append(["date", "", "dd-mm-jjjj"])
        if form.repeats:
            help_ws.append(["index", "", "1, 2, 3: het hoeveelste blok van die deelnemer en meting / "
                                         "which block of that participant and wave"])
        for q in [q for q in form.answer_questions() if q["type"] not in ("calculate",)]:
            if q["name"] in ("respondent", "wave", "date"):
                continue
            allowed = " ".join(c["name"] for c in form.choice_list(q["list"])) if q["list"] else q["type"]
            if q["type"] == "select_multiple":
                allowed += "  (meer keuzes: spatie ertussen / several: space between)"
            low, high = bounds(q["constraint"])
            if low is not None and high is not None:
                allowed = f"{low:g} .. {high:g}"
            where = f" [{form.repeats[q['repeat']].name}]" if q["repeat"] else ""
            help_ws.append([q["name"] + where, form.label(q["name"], lang), allowed])
        wb.save(sheet)
    return [html_path, sheet]


def earlier_answers(study, form):
    """For the private paper follow-up form: the answers (raw codes, as read and checked by
    ``load_study_responses``) of ``form``'s chain, without the people who withdrew their consent;
    and the registered respondents (those in the chain's first form), sorted."""
    import polars as pl

    from impact.privacy import load_consent, withdrawn_ids
    from impact.questionnaires.followup import chain_forms
    from impact.questionnaires.responses import load_study_responses

    chain = chain_forms(study, form)
    table, _problems = load_study_responses(study)
    consent, _ = load_consent(study)
    gone = withdrawn_ids(consent) if consent is not None else set()
    rows = table.filter(pl.col("instrument").is_in(chain) & ~pl.col("respondent").is_in(sorted(gone)))
    registered = sorted(rows.filter(pl.col("instrument") == chain[-1])["respondent"].unique().to_list())
    return rows, registered


def print_follow_up(form: Instrument, earlier, lang: str = "nl", respondents: list[str] | None = None) -> str:
    """The paper form of follow-up ``form`` once per respondent (a page each), with their earlier
    answers beside each question for the key person to check. PRIVATE: it holds answers, so it is
    written to ``data/private/papier``, never to ``reports/``.

    ``earlier``: the long answers (raw codes) of the forms before it in its chain; ``respondents``:
    whom to print (default: everyone in ``earlier``).
    """
    import polars as pl

    w = _shown(lang)
    who = respondents if respondents is not None else sorted(earlier["respondent"].unique().to_list())
    title = escape(form.title)
    version = f' &middot; {w["version"]} {escape(form.version)}' if form.version else ""
    pages = []
    for k, person in enumerate(who, start=1):
        mine = earlier.filter(pl.col("respondent") == person)
        waves = (mine.group_by("wave", "instrument").agg(pl.col("date").min()).sort("wave", "date")
                 .iter_rows(named=True))
        shown = ", ".join(f"{r['wave']} ({r['date']:%d-%m-%Y}, {escape(r['instrument'])})" if r["date"]
                          else f"{r['wave']} ({escape(r['instrument'])})" for r in waves)
        head = (f'<section class="person"><h1>{title}</h1>'
                f'<p class="meta">{escape(form.name)}{version} &middot; {w["nonames"]}</p>'
                f'<p class="private">{w["private"]}</p>'
                f'<p><strong>{w["participant"]}: {escape(person)}</strong><br>{w["waves"]}: {shown or "-"}</p>')
        pages.append(head + "".join(_body(form, lang, _earlier_html(form, mine, lang), f"p{k}-")) + "</section>")
    return _page(form, lang, "".join(pages))


def _latest(rows):
    """The rows of the latest wave (then date) among ``rows``."""
    import polars as pl

    if rows.height == 0:
        return rows
    last = rows.sort("wave", "date", nulls_last=False).select("wave", "date").tail(1).row(0)
    return rows.filter((pl.col("wave") == last[0]) & (pl.col("date").eq_missing(last[1])))


def _shown_value(form: Instrument, name: str, value: str, lang: str) -> str:
    if form.has(name) and form.question(name)["list"]:
        return form.choice_label(form.question(name)["list"], value, lang)
    return value


def _earlier_html(form: Instrument, mine, lang: str):
    """``earlier(q)`` / ``earlier(repeat=path)`` for ``_body``: the respondent's latest earlier answer."""
    import polars as pl

    w = _shown(lang)

    def when(rows) -> str:
        wave, day = rows["wave"][0], rows["date"][0]
        return f"{w['earlier']} ({w['wave'].lower()} {wave}" + (f", {day:%d-%m-%Y}" if day else "") + ")"

    def earlier(q: dict | None = None, repeat: str | None = None) -> str:
        if repeat is not None:
            rows = _latest(mine.filter(pl.col("repeat") == repeat))
            if rows.height == 0:
                return ""
            names = [x["name"] for x in form.questions_in(repeat) if x["type"] != "calculate"]
            head = "".join(f"<th>{escape(form.label(n, lang))}</th>" for n in names)
            body = []
            for index in sorted(rows["repeat_index"].unique().to_list(), key=lambda i: [int(p) for p in i.split(".")]):
                inst = rows.filter(pl.col("repeat_index") == index)
                cells = []
                for n in names:
                    got = inst.filter(pl.col("item") == n)["value"].to_list()
                    cells.append(escape(", ".join(_shown_value(form, n, v, lang) for v in got)))
                body.append(f"<tr><td>{escape(index)}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            return (f'<div class="earlier"><strong>{escape(when(rows))}:</strong> {w["check"]}'
                    f'<table class="earlier-rows"><tr><th>{w["copy"]}</th>{head}</tr>{"".join(body)}</table></div>')
        rows = _latest(mine.filter(pl.col("repeat").is_null() & (pl.col("item") == q["name"])))
        if rows.height == 0:
            return ""
        values = ", ".join(_shown_value(form, q["name"], v, lang) for v in rows["value"].to_list())
        return f'<p class="earlier"><strong>{escape(when(rows))}:</strong> {escape(values) or w["none"]}</p>'

    return earlier
