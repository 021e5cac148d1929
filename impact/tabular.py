"""Read the tables people send: CSV with ``,`` or ``;``, UTF-8 or Windows-1252,
title lines above the header, XLSX; parse Dutch dates, decimal commas, yes/no.

Everything is read as text first; typed parsing happens per column with a
``Problem`` for each value that does not fit, so one run reports all problems.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("# titel\\nnaam;uren\\nAnna;3,5\\n".encode("cp1252"))
    >>> t = read_table(p, required=["naam", "uren"])
    >>> t.delimiter, t.header_row, t.rows[0]["uren"], t.row_numbers[0]
    (';', 2, '3,5', 3)
    >>> parse_number("3,5"), parse_date("31-12-2023").isoformat(), parse_bool("ja")
    (3.5, '2023-12-31', True)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from impact.errors import InputError, Problem, Text

# How far down a header row may be (title lines, notes, a logo row...).
MAX_HEADER_SEARCH = 15


ROW = "__row__"  # the frame column with each row's number in the file


class RawTable:
    """A table as text: one dict per data row, keyed by header name.

    The same rows are available as a polars ``frame`` (one Utf8 column per
    header name, values stripped, "" when empty, and ``ROW`` with the row
    number), which is what large tables are checked with; ``rows`` and
    ``row_numbers`` are made from it only when asked.
    """

    def __init__(self, path: Path, columns: list[str], rows: list[dict[str, str]] | None = None,
                 row_numbers: list[int] | None = None, header_row: int = 1, encoding: str = "utf-8",
                 delimiter: str | None = None, problems: list[Problem] | None = None, frame=None):
        self.path, self.columns, self.header_row = path, columns, header_row
        self.encoding, self.delimiter = encoding, delimiter
        self.problems = problems if problems is not None else []
        self._rows, self._numbers, self._frame = rows, row_numbers, frame

    @property
    def rows(self) -> list[dict[str, str]]:
        if self._rows is None:
            self._rows = self._frame.drop(ROW).to_dicts()
        return self._rows

    @property
    def row_numbers(self) -> list[int]:
        if self._numbers is None:
            self._numbers = self._frame[ROW].to_list()
        return self._numbers

    @property
    def frame(self):
        """The rows as a polars DataFrame of text, with the row number in column ``ROW``."""
        if self._frame is None:
            import polars as pl

            data = {c: [r.get(c, "") for r in self._rows] for c in self.columns}
            data[ROW] = self._numbers
            self._frame = pl.DataFrame(data, schema={**{c: pl.Utf8 for c in self.columns}, ROW: pl.Int64})
        return self._frame

    def __len__(self) -> int:
        return len(self._numbers) if self._numbers is not None else self._frame.height


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (BOM allowed), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _norm(name: str) -> str:
    # str.split() splits on the same Unicode whitespace as re's \s+, and strips
    return " ".join(str(name or "").lower().split())


def _find_header(lines: list[list[str]], required: list[str]) -> int | None:
    need = {_norm(c) for c in required}
    for i, cells in enumerate(lines[:MAX_HEADER_SEARCH]):
        have = {_norm(c) for c in cells}
        if need and need <= have:
            return i
    if not need:
        # no required columns: the first line with two or more filled cells
        for i, cells in enumerate(lines[:MAX_HEADER_SEARCH]):
            if sum(1 for c in cells if str(c).strip()) >= 2 and not str(cells[0]).startswith("#"):
                return i
    return None


def _sniff_delimiter(text: str) -> str:
    """Pick ``;`` or ``,`` (or tab) by which splits the first lines most consistently."""
    # the first lines only: splitting a whole large file would copy all of it
    sample = [ln for ln in text[:1_000_000].splitlines()[:MAX_HEADER_SEARCH + 5] if ln.strip() and not ln.startswith("#")]
    best, best_score = ",", -1
    for d in (",", ";", "\t"):
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in sample]
        if not counts:
            continue
        width = max(counts)
        score = (width > 1) * (sum(c == width for c in counts) * 10 + width)
        if score > best_score:
            best, best_score = d, score
    return best


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputError(Text("{name}: dit Excel-bestand kan niet worden gelezen ({name2}).",
                              name=path.name, name2=type(exc).__name__)) from None


def sheet_names(path: Path | str) -> list[str]:
    """The sheets of an XLSX workbook, in order (``InputError`` when it cannot be read)."""
    wb = _open_xlsx(Path(path))
    names = list(wb.sheetnames)
    wb.close()
    return names


def _cells_from_xlsx(path: Path, sheet: str | None = None) -> list[list[str]]:
    wb = _open_xlsx(path)
    if sheet is not None:
        ws = wb[sheet]
    else:
        ws = wb[path.stem] if path.stem in wb.sheetnames else wb.worksheets[0]
    lines = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    wb.close()
    return lines


def read_table(path: Path | str, required: list[str] | tuple[str, ...] = (),
               display: str | None = None, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file as text rows.

    The header is the first row (within the first 15) that holds every
    ``required`` column (case and spaces ignored). Lines starting with
    ``#`` above the header are titles. Fully empty rows are skipped.
    Raises ``InputError`` naming the file when no header is found, and
    reports a table that seems to use another delimiter. ``sheet``: the
    sheet of a workbook to read (default: the sheet named like the file,
    else the first).
    """
    path = Path(path)
    shown = display or path.name
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        lines, encoding, delimiter = _cells_from_xlsx(path, sheet), "xlsx", None
        text = None
    else:
        text, encoding = decode_bytes(path.read_bytes())
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        delimiter = _sniff_delimiter(text)
        if '"' in text:
            lines, text = list(csv.reader(io.StringIO(text), delimiter=delimiter)), None
        else:
            # no quotes: every line is one row and splits at the delimiter, exactly as csv reads it;
            # the rows below the header are then cut by polars, not row by row in Python
            text = text.split("\n")
            lines = [ln.split(delimiter) if ln else [] for ln in text[:MAX_HEADER_SEARCH]]
    header_at = _find_header(lines, list(required))
    if header_at is None and text is not None:
        lines = [ln.split(delimiter) if ln else [] for ln in text]
    if header_at is None:
        first = next((ln for ln in lines if ln and not str(ln[0]).startswith("#")
                      and any(str(c).strip() for c in ln)), [])
        found = [c for c in first if str(c).strip()]
        hint_nl = hint_en = ""
        if len(found) == 1 and any(d in found[0] for d in ("|", "\t", ",", ";")):
            hint_nl = " Het scheidingsteken lijkt verkeerd: gebruik een komma of puntkomma."
            hint_en = " The delimiter looks wrong: use a comma or a semicolon."
        raise InputError(Text("{shown}: geen kopregel gevonden met de kolommen {required}.{hint_nl}",
                              shown=shown, required=', '.join(required), hint_nl=hint_nl, hint_en=hint_en), [Problem(shown, 1, None, "; ".join(found)[:80],
                    Text("een kopregel met {required}.{hint_nl}",
                         required=', '.join(required), hint_nl=hint_nl, hint_en=hint_en))])
    header = [str(c).strip() for c in lines[header_at]]
    canon = {c: _norm(c) for c in header}
    header_key = [_norm(c) for c in header if c]
    rows, numbers, problems = [], [], []
    named = [(j, canon[name]) for j, name in enumerate(header) if name]
    width = len(header)
    first_key = header_key[0] if header_key else None
    if text is not None:
        frame, problems = _frame_from_lines(text, header_at, named, delimiter, header_key, shown)
        return RawTable(path=path, columns=[canon[c] for c in header if c], header_row=header_at + 1,
                        encoding=encoding, delimiter=delimiter, problems=problems, frame=frame)
    for i in range(header_at + 1, len(lines)):
        cells = lines[i]
        filled = [c for c in cells if str(c).strip()]
        if not filled:
            continue
        # cheap test first: only a row whose first filled cell is the first header name can repeat the header
        if _norm(filled[0]) == first_key and _repeats_header(cells, header_key):
            problems.append(_repeated_header(shown, i + 1, header_at, header_key))
            continue
        if len(cells) >= width:
            row = {key: str(cells[j]).strip() for j, key in named}
        else:
            row = {key: str(cells[j]).strip() if j < len(cells) else "" for j, key in named}
        rows.append(row)
        numbers.append(i + 1)
    return RawTable(path=path, columns=[canon[c] for c in header if c], rows=rows,
                    row_numbers=numbers, header_row=header_at + 1,
                    encoding=encoding, delimiter=delimiter, problems=problems)


def _repeats_header(cells: list[str], header_key: list[str]) -> bool:
    filled = [c for c in cells if str(c).strip()]
    return len(filled) == len(header_key) and [_norm(c) for c in filled] == header_key


def _repeated_header(shown: str, row: int, header_at: int, header_key: list[str]) -> Problem:
    # a second header row (pasted twice, or two sheets stuck together)
    return Problem(shown, row, None, "; ".join(header_key)[:80], Text("gegevens; deze rij herhaalt de "
                                                                      "kopregel (rij {value}). Haal de rij "
                                                                      "weg.",
                                                                      value=header_at + 1))


def _frame_from_lines(lines: list[str], header_at: int, named: list[tuple[int, str]], delimiter: str,
                      header_key: list[str], shown: str):
    """The rows below the header of a CSV without quotes, cut by polars (same result as csv.reader)."""
    import polars as pl

    body = pl.DataFrame({"line": pl.Series(lines[header_at + 1:], dtype=pl.Utf8)})
    body = body.with_row_index(ROW, offset=header_at + 2).with_columns(pl.col(ROW).cast(pl.Int64))
    line = pl.col("line")
    # a row of only delimiters and spaces is empty, and skipped
    body = body.filter(line.str.replace_all(delimiter, "", literal=True).str.strip_chars() != "")
    problems = []
    if header_key:
        # only a row holding the first header name can repeat the header: test those one by one
        maybe = body.filter(line.str.to_lowercase().str.replace_all(r"\s+", " ")
                            .str.contains(header_key[0], literal=True))
        repeated = [n for n, text in maybe.select(ROW, "line").iter_rows()
                    if _repeats_header(text.split(delimiter), header_key)]
        problems = [_repeated_header(shown, n, header_at, header_key) for n in repeated]
        if repeated:
            body = body.filter(~pl.col(ROW).is_in(repeated))
    parts = line.str.split(delimiter)
    position = dict((key, j) for j, key in named)  # a repeated name: the last column wins, as in a dict
    frame = body.select([parts.list.get(j, null_on_oob=True).fill_null("").str.strip_chars().alias(key)
                         for key, j in position.items()] + [pl.col(ROW)])
    return frame, problems


# ---- typed values -----------------------------------------------------------

_DATE_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YES = {"ja", "j", "yes", "y", "1", "waar", "true", "x"}
_NO = {"nee", "n", "no", "0", "onwaar", "false"}


def parse_date(text: str) -> dt.date:
    """``dd-mm-jjjj``, ``d-m-jjjj`` (also with / or .) or ISO ``jjjj-mm-dd``; ValueError otherwise."""
    s = str(text).strip()
    m = _DATE_NL.match(s)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _DATE_ISO.match(s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(s)


def parse_number(text: str) -> float:
    """A number with a decimal comma or point; ``1.234,5`` and ``1,234.5`` too."""
    s = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".")
    return float(s)


def parse_bool(text: str) -> bool:
    s = str(text).strip().lower()
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise ValueError(s)


EXPECT_DATE = Text("een datum als dd-mm-jjjj of jjjj-mm-dd die bestaat")
EXPECT_NUMBER = Text("een getal (komma of punt mag)")
EXPECT_INT = Text("een heel getal")
EXPECT_BOOL = Text("ja of nee")
EXPECT_FILLED = Text("een waarde (dit veld is verplicht)")
