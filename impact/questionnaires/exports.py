"""The shapes answer files come in: one table, a workbook of sheets, a ZIP of CSV files.

* A CSV file is one table: a plain entry sheet, a KoboToolbox CSV export or
  an ODK Central CSV. (Kobo and ODK leave repeat groups out of a single CSV.)
* An Excel file is read sheet by sheet. KoboToolbox's XLS export puts the
  submissions on the first sheet and each repeat group on a sheet of its own;
  a repeat row points at its parent row with ``_parent_index`` (the
  ``_index`` of the parent's row; ``_parent_table_name`` names its sheet).
  The entry sheet of ``impact questionnaire print`` does the same with the
  columns ``respondent`` and ``wave`` (and ``index``, the number of the
  repeat in its submission).
* A ZIP file from ODK Central ("CSV with repeats") holds ``<form>.csv`` and a
  ``<form>-<repeat>.csv`` per repeat group; a repeat row points at its
  parent with ``PARENT_KEY`` (the ``KEY`` of the parent's row).

Two things the tools add are taken out here: an HXL hashtag row under the
header (Kobo writes one when questions carry ``hxl`` tags) is not a
submission, and the markers for "not answered" (``n/a`` in KoBoCAT exports)
mean an empty cell.

Example:
    >>> is_hxl_row(["#adm1+name", "", "#affected+f"]), is_hxl_row(["#1", "ja"])
    (True, False)
    >>> sorted(NOT_ANSWERED)
    ['n/a']
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from impact.errors import InputError, Problem, Text

# What an export writes in a cell for a question that was not answered (KoBoCAT: "n/a";
# Kobo's newer exports and ODK Central leave the cell empty). Compared in lower case.
NOT_ANSWERED = frozenset({"n/a"})
# Columns that link a repeat row to the row it belongs to, per tool (normalised: lower case).
KOBO_INDEX, KOBO_PARENT, KOBO_PARENT_TABLE = "_index", "_parent_index", "_parent_table_name"
ODK_KEY, ODK_PARENT = "key", "parent_key"
PLAIN_INDEX = "index"
# The help sheet of the entry workbook that ``impact questionnaire print`` writes.
HELP_SHEETS = {"uitleg", "help"}

_HXL = re.compile(r"#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*", re.IGNORECASE)


@dataclass
class AnswerSheet:
    """One table of an answer file: a CSV, a sheet of a workbook, or a CSV in a ZIP."""

    table: object  # impact.tabular.RawTable
    file: str  # what problems name as the file
    sheet: str | None  # what problems name as the sheet (workbooks only)
    name: str  # the sheet's or member's own name


def is_hxl_row(cells) -> bool:
    """True when every filled cell is an HXL hashtag (``#tag+attribute``) and one at least is."""
    filled = [str(c).strip() for c in cells if str(c or "").strip()]
    return bool(filled) and all(_HXL.fullmatch(c) for c in filled)


def without_hxl_row(table):
    """``table`` without an HXL hashtag row straight under its header (the row is not a submission)."""
    import polars as pl

    from impact.tabular import ROW, RawTable

    frame = table.frame
    first = frame.filter(pl.col(ROW) == table.header_row + 1)
    if first.height == 0 or not is_hxl_row(first.drop(ROW).row(0)):
        return table
    return RawTable(path=table.path, columns=table.columns, header_row=table.header_row,
                    encoding=table.encoding, delimiter=table.delimiter, problems=table.problems,
                    frame=frame.filter(pl.col(ROW) != table.header_row + 1))


def read_answer_sheets(path: Path, shown: str) -> list[AnswerSheet]:
    """Every table in an answer file, the main one first (see the module docs).

    The main table of a workbook is the sheet named like the file, else the
    first; of an ODK ZIP the CSV without ``PARENT_KEY``. Raises ``InputError``
    when the file cannot be read at all.
    """
    from impact.tabular import read_table, sheet_names

    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _zip_sheets(path, shown)
    if suffix not in (".xlsx", ".xlsm"):
        return [AnswerSheet(without_hxl_row(read_table(path, display=shown)), shown, None, path.name)]
    names = sheet_names(path)
    first = path.stem if path.stem in names else names[0]
    out = []
    for name in [first] + [n for n in names if n != first]:
        try:
            table = read_table(path, display=shown, sheet=name)
        except InputError:
            if name == first:
                raise
            continue  # an empty or title-only extra sheet holds no answers
        out.append(AnswerSheet(without_hxl_row(table), shown, name, name))
    return out


def _zip_sheets(path: Path, shown: str) -> list[AnswerSheet]:
    from impact.tabular import read_table

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(Text("{shown}: dit ZIP-bestand kan niet worden gelezen ({name}).",
                              shown=shown, name=type(exc).__name__)) from None
    members = sorted(n for n in archive.namelist()
                     if n.lower().endswith(".csv") and not n.startswith(("__MACOSX/", "media/")))
    if not members:
        raise InputError(Text("{shown}: in dit ZIP-bestand staat geen CSV-bestand. Download in ODK Central "
                              "de antwoorden als CSV (ZIP).",
                              shown=shown),
            [Problem(shown, None, None, None, Text("een ZIP met CSV-bestanden (ODK Central)"))])
    sheets = []
    with tempfile.TemporaryDirectory(prefix="impact-zip-") as tmp:
        for k, member in enumerate(members):
            local = Path(tmp) / f"{k}.csv"
            local.write_bytes(archive.read(member))
            table = read_table(local, display=f"{shown}/{member}")
            sheets.append(AnswerSheet(without_hxl_row(table), f"{shown}/{member}", None, member))
    archive.close()
    # the submissions first: the CSV without PARENT_KEY (the shortest name when there are several)
    sheets.sort(key=lambda s: (ODK_PARENT in s.table.columns, len(s.name), s.name))
    return sheets
