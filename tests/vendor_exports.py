"""Build answer exports the way KoboToolbox and ODK Central lay them out, from an XLSForm.

The layouts follow the tools' own export code: Kobo's XLS export (formpack)
puts the submissions on the first sheet and each repeat group on a sheet
named after it, with ``_index`` (a running number per sheet) and
``_parent_table_name``/``_parent_index`` (the parent row's sheet and
``_index``), plus the submission's ``_submission_*`` fields; headers are the
question paths (``group/question``). ODK Central's "CSV with repeats" ZIP
holds ``<form_id>.csv`` (groups joined with ``-``, ``meta-instanceID`` and
``KEY`` = the instance id) and ``<form_id>-<repeat>.csv`` (paths inside the
repeat, then ``PARENT_KEY`` and ``KEY`` = ``<parent key>/<groups>/<repeat>[n]``).

A submission is a dict: question name -> answer (a list for several
options), and repeat path -> list of instances (dicts of the same kind).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

KOBO_SUBMISSION = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                   "_submitted_by", "__version__", "_tags"]
ODK_TAIL = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
            "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]


def _questions(form, repeat):
    return [q for q in form.questions_in(repeat) if q["type"] != "calculate"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(value)
    return str(value)


def _uuid(k: int) -> str:
    return f"00000000-0000-4000-8000-{k:012d}"


def _children(form, repeat):
    return [p for p, r in form.repeats.items() if r.parent == repeat]


def kobo_xlsx(path: Path, form, submissions: list[dict], *, hxl: dict | None = None, na: str = "",
              main_sheet: str | None = None) -> Path:
    """A Kobo XLS export ("XML values and headers", group names in headers, multiple select "both").

    ``hxl``: question name -> HXL tag; when given, a hashtag row goes under each header.
    ``na``: what an unanswered cell holds (KoBoCAT wrote ``n/a``)."""
    import openpyxl

    sheets: dict = {}
    indexes: dict = {}

    def header(repeat):
        cols = []
        for q in _questions(form, repeat):
            cols.append(q["path"])
            if q["type"] == "select_multiple":
                cols += [f"{q['path']}/{c['name']}" for c in form.choice_list(q["list"])]
        if repeat is None:
            return cols + KOBO_SUBMISSION + ["_index"]
        return cols + ["_index", "_parent_table_name", "_parent_index"] + [f"_submission_{c}" for c in KOBO_SUBMISSION]

    def cells(repeat, answers):
        row = []
        for q in _questions(form, repeat):
            value = answers.get(q["name"])
            row.append(_cell(value) if value not in (None, "", []) else na)
            if q["type"] == "select_multiple":
                chosen = value or []
                row += [("1" if c["name"] in chosen else "0") if value else na for c in form.choice_list(q["list"])]
        return row

    main_name = re.sub(r"[\[\]:*?/\\]", " ", main_sheet or form.title)[:31]  # what Excel allows in a sheet name
    names = {None: main_name}
    for p, r in form.repeats.items():
        names[p] = r.name[:31]

    def add(repeat, answers, parent_index, meta):
        indexes[repeat] = indexes.get(repeat, 0) + 1
        own = indexes[repeat]
        row = cells(repeat, answers)
        if repeat is None:
            row += meta + [own]
        else:
            row += [own, names[form.repeats[repeat].parent], parent_index] + meta
        sheets.setdefault(repeat, []).append(row)
        for child in _children(form, repeat):
            for inner in answers.get(child, []):
                add(child, inner, own, meta)

    for k, sub in enumerate(submissions, start=1):
        meta = [k, _uuid(k), f"2024-03-0{min(k, 9)}T10:00:00", "", "", "submitted_via_web", "", form.version, ""]
        add(None, sub, None, meta)
    wb = openpyxl.Workbook()
    first = True
    for repeat in [None] + list(form.repeats):
        if repeat not in sheets and repeat is not None:
            continue
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = names[repeat]
        head = header(repeat)
        ws.append(head)
        if hxl:
            ws.append([hxl.get(h.split("/")[-1], "") for h in head])
        for row in sheets.get(repeat, []):
            ws.append(row)
    wb.save(path)
    return path


def odk_zip(path: Path, form, submissions: list[dict], *, form_id: str | None = None) -> Path:
    """An ODK Central "CSV with repeats" ZIP export."""
    form_id = form_id or form.form_id
    tables: dict = {}

    def rel(q, repeat):
        p = q["path"] if repeat is None else q["path"][len(repeat) + 1:]
        return p.replace("/", "-")

    def header(repeat):
        cols = [rel(q, repeat) for q in _questions(form, repeat)]
        if repeat is None:
            return ["SubmissionDate"] + cols + ODK_TAIL
        return cols + ["PARENT_KEY", "KEY"]

    def add(repeat, answers, parent_key, key):
        row = [_cell(answers.get(q["name"])) for q in _questions(form, repeat)]
        tables.setdefault(repeat, []).append(row + [parent_key, key] if repeat is not None else row)
        for child in _children(form, repeat):
            between = child[len(repeat) + 1:] if repeat else child  # groups between parent and child
            for n, inner in enumerate(answers.get(child, []), start=1):
                add(child, inner, key, f"{key}/{between}[{n}]")

    for k, sub in enumerate(submissions, start=1):
        instance = f"uuid:{_uuid(k)}"
        tables.setdefault(None, [])
        row = [f"2024-03-0{min(k, 9)}T10:00:00.000Z"] + [_cell(sub.get(q["name"])) for q in _questions(form, None)]
        tables[None].append(row + [instance, instance, "5", "Veldwerker", "0", "0", "", "", "", "0", form.version])
        for child in _children(form, None):
            for n, inner in enumerate(sub.get(child, []), start=1):
                add(child, inner, instance, f"{instance}/{child}[{n}]")
    with zipfile.ZipFile(path, "w") as archive:
        for repeat in [None] + list(form.repeats):
            name = f"{form_id}.csv" if repeat is None else f"{form_id}-{form.repeats[repeat].name}.csv"
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(header(repeat))
            w.writerows(tables.get(repeat, []))
            archive.writestr(name, buf.getvalue())
    return path


def entry_workbook(path: Path, form, submissions: list[dict]) -> Path:
    """The plain entry workbook: a sheet of submissions and one per repeat group (respondent, wave,
    index, then the repeat's questions), as ``impact questionnaire print`` makes it."""
    from impact.questionnaires.printing import entry_sheet_columns, repeat_sheet_columns

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{form.name}-invoer"[:31]
    cols = entry_sheet_columns(form)
    ws.append(cols)
    for sub in submissions:
        ws.append([_cell(sub.get(c)) for c in cols])
    for repeat in form.repeats:
        rcols = repeat_sheet_columns(form, repeat)
        sheet = wb.create_sheet(form.repeats[repeat].name[:31])
        sheet.append(rcols)
        for sub in submissions:
            for n, inner in enumerate(sub.get(repeat, []), start=1):
                sheet.append([_cell(sub["respondent"]), _cell(sub.get("wave")), n]
                             + [_cell(inner.get(c)) for c in rcols[3:]])
    wb.save(path)
    return path
