"""One family of errors a user can cause, with messages in Dutch and English.

Users see Dutch first (B1 level); English is an option. A ``Text`` holds
both; a ``Problem`` says where a raw input is wrong (file, row, column,
value) and what was expected. ``ImpactError`` is raised for a mistake a user
made; the CLI prints it without a traceback.

Example:
    >>> p = Problem("data/raw/people.csv", 4, "district", "Noord-West",
    ...             Text("een bekend stadsdeel", "a known district"))
    >>> p.render("en")
    "data/raw/people.csv, row 4, column 'district': value 'Noord-West'; expected a known district"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from impact.text import Text


_WORDS = {
    "row": Text("rij"),
    "line": Text("regel"),
    "column": Text("kolom"),
    "sheet": Text("blad"),
    "value": Text("waarde"),
    "expected": Text("verwacht"),
    "empty": Text("(leeg)"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one raw input.

    ``row`` is the line number a person sees in a spreadsheet or editor
    (1-based, header included); ``None`` when the problem is about the
    whole file. ``severity`` is ``"error"`` (the row is quarantined) or
    ``"warning"`` (the row is kept). ``sheet``: the sheet of a workbook
    with more than one (a KoboToolbox export with repeat groups).
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: Text
    severity: str = "error"
    unit: str = "row"  # "row" for tables, "line" for text files
    position: int | None = None  # column number within a line (text files)
    record: dict | None = field(default=None, compare=False, hash=False)  # the rejected row (no private fields)
    sheet: str | None = None

    def render(self, lang: str = "nl") -> str:
        parts = [str(self.file)]
        if self.sheet:
            parts.append(f"{_WORDS['sheet'](lang)} '{self.sheet}'")
        if self.row is not None:
            where = f"{_WORDS[self.unit](lang)} {self.row}"
            if self.position is not None:
                where += f":{self.position}"
            parts.append(where)
        if self.column:
            parts.append(f"{_WORDS['column'](lang)} '{self.column}'")
        head = ", ".join(parts)
        if self.value is None or self.value == "":
            shown = _WORDS["empty"](lang)
        else:
            shown = f"'{self.value}'"
        return f"{head}: {_WORDS['value'](lang)} {shown}; {_WORDS['expected'](lang)} {self.expected(lang)}"

    def as_row(self, table: str) -> dict:
        """The problem as a row of the ``quarantine`` table."""
        return {
            "table": table,
            "file": str(self.file),
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "reason_nl": self.expected("nl"),
            "reason_en": self.expected("en"),
            "record": None if self.record is None else _json(self.record),
        }


def _json(record: dict) -> str:
    import json

    return json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)


class ImpactError(Exception):
    """A mistake a user can make and fix; shown without a traceback."""

    def __init__(self, message: Text | str, problems: list[Problem] | None = None):
        self.text = message if isinstance(message, Text) else Text(message)
        self.problems: list[Problem] = list(problems or [])
        super().__init__(self.text("en"))

    def render(self, lang: str = "nl") -> str:
        lines = [self.text(lang)]
        lines += [p.render(lang) for p in self.problems]
        return "\n".join(lines)


class StudyError(ImpactError):
    """The study folder or its configuration is missing or wrong."""


class InputError(ImpactError):
    """A raw input file cannot be read or does not match the data model."""


def relpath(path: Path | str, root: Path | str | None = None) -> str:
    """Show ``path`` relative to ``root`` when possible (shorter messages)."""
    p = Path(path)
    if root is not None:
        try:
            return str(p.resolve().relative_to(Path(root).resolve()))
        except ValueError:
            pass
    return str(p)


@dataclass
class Problems:
    """A growing list of problems, for code that checks many rows."""

    items: list[Problem] = field(default_factory=list)

    def add(self, *args, **kwargs) -> Problem:
        p = Problem(*args, **kwargs)
        self.items.append(p)
        return p

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def require_columns(frame, columns, table: str) -> None:
    """Raise ``InputError`` when the processed table ``table`` lacks any of ``columns``."""
    missing = sorted(set(columns) - set(frame.columns))
    if missing:
        raise InputError(Text("De tabel '{table}' mist kolommen: {missing}.",
                              table=table, missing=', '.join(missing)), [Problem(f"data/processed/{table}.parquet", None, c, None,
                    Text("deze kolom")) for c in missing])
