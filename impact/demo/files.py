"""Byte-stable file writers of the demo: CSV, XLSX and polars frames, each marked synthetic.

Every file starts with the synthetic title (a ``#`` line, or the first row of a
sheet); XLSX files get fixed dates in their zip entries and document
properties, so the same rows give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from impact import demo_text as tx

FIXED_TIME = (2023, 1, 1, 0, 0, 0)  # every XLSX zip entry and document property


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO()
    buf.write(f"# {tx.SYNTHETIC_NL}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_xlsx(path: Path, header: list[str], rows: list[list], sheet: str) -> None:
    """An XLSX with a title row above the header, byte-identical for the same rows."""
    write_sheets(path, [(sheet, header, rows)])


def write_sheets(path: Path, sheets: list[tuple[str, list[str], list[list]]]) -> None:
    """An XLSX of one or more sheets ``(name, header, rows)``, each with a title row above its header,
    byte-identical for the same rows."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    for k, (sheet, header, rows) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = sheet
        ws.append([tx.SYNTHETIC_NL])
        ws.append(header)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append(r)
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = "impact demo"
    wb.properties.title = tx.SYNTHETIC_NL
    wb.properties.created = fixed
    wb.properties.modified = fixed
    raw = io.BytesIO()
    wb.save(raw)
    path.write_bytes(_stable_zip(raw.getvalue(), fixed))


def _stable_zip(data: bytes, fixed: dt.datetime) -> bytes:
    """Rewrite an OOXML zip: sorted entries, fixed dates, fixed core.xml times.

    openpyxl stamps the current time into docProps/core.xml (on save) and
    into every zip entry; both are replaced so two runs give the same bytes.
    """
    import re

    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    # [Content_Types].xml must stay first for some readers; the rest sorted
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            body = src.read(name)
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, body)
    return out.getvalue()


def write_frame(path: Path, frame) -> None:
    """A polars frame as CSV below the synthetic title line."""
    buf = io.BytesIO()
    buf.write(f"# {tx.SYNTHETIC_NL}\n".encode("utf-8"))
    frame.write_csv(buf, line_terminator="\n")
    path.write_bytes(buf.getvalue())
