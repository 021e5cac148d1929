"""Ten planted mistakes in a copy of the demo study give ten clear errors.

Each mistake is one a real user makes; each must come back as exactly one
error that names the file, the row (or line), the column and the value,
with no traceback, and ``data/raw`` must be byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def lines(path: Path, encoding="utf-8") -> list[str]:
    return path.read_bytes().decode(encoding).splitlines(keepends=True)


def header_index(rows: list[str], column: str) -> int:
    return next(i for i, r in enumerate(rows) if column in r and not r.startswith("#"))


def set_cell(path: Path, row_offset: int, column: str, value: str) -> None:
    """Set ``column`` in the ``row_offset``-th data row of a CSV (the demo writes ',')."""
    import csv
    import io

    rows = lines(path)
    h = header_index(rows, column)
    header = next(csv.reader([rows[h]]))
    cells = next(csv.reader([rows[h + 1 + row_offset]]))
    cells[header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    rows[h + 1 + row_offset] = buf.getvalue()
    path.write_text("".join(rows), encoding="utf-8")


def plant(root: Path) -> None:
    raw = root / "data" / "raw"
    # 1 wrong delimiter: attendance.csv saved with '|'
    att = raw / "attendance.csv"
    att.write_text(att.read_text(encoding="utf-8").replace(",", "|"), encoding="utf-8")
    # 2 duplicated id in people.csv (a row pasted twice)
    rows = lines(raw / "people.csv")
    h = header_index(rows, "person_id")
    rows.append(rows[h + 3])
    (raw / "people.csv").write_text("".join(rows), encoding="utf-8")
    # 3 unknown district in contacts.csv
    set_cell(raw / "contacts.csv", 0, "district", "Noord-Oost")
    # 4 a date that does not exist
    set_cell(raw / "trajectory_events.csv", 1, "date", "31-02-2024")
    # 5 a 9 on a 1-5 item
    answers = sorted((raw / "responses" / "buurtbaners").glob("*.csv"))[0]
    set_cell(answers, 0, "se_1", "9")
    # 6 an empty required field
    set_cell(raw / "msc_stories.csv", 0, "domain", "")
    # 7 an unknown code in a coding
    coded = sorted((raw / "codings").glob("*/*.md"))[0]
    text = coded.read_text(encoding="utf-8")
    first = re.search(r"\{#([\w-]+)", text)
    coded.write_text(text[:first.start(1)] + "bestaat_niet" + text[first.end(1):], encoding="utf-8")
    # 8 a coding past the end of its transcript
    doc = sorted((raw / "transcripts").glob("*.md"))[0]
    (raw / "codings" / "uit_ander_programma.csv").write_text(
        f"document,start,end,code,coder\n{doc.stem},10,999999,{first.group(1)},{coded.parent.name}\n",
        encoding="utf-8")
    # 9 a Windows-1252 file (saved by Excel): read right, its one mistake shown with the right letters
    goals = raw / "goals.csv"
    set_cell(goals, 0, "weight", "één")
    goals.write_bytes(goals.read_text(encoding="utf-8").encode("cp1252"))
    # 10 an XLSX whose header row was pasted in again between the data
    import openpyxl

    wb = openpyxl.load_workbook(raw / "activities.xlsx")
    ws = wb.worksheets[0]
    header_row = next(r for r in ws.iter_rows(values_only=True) if r and "activity_id" in r)
    ws.insert_rows(ws.max_row - 1)
    for j, v in enumerate(header_row, start=1):
        ws.cell(row=ws.max_row - 2, column=j, value=v)
    wb.save(raw / "activities.xlsx")


EXPECTED = [  # (file part, column or None, a word of the value) per planted mistake
    ("attendance.csv", None, "|"),
    ("people.csv", "person_id", None),
    ("contacts.csv", "district", "Noord-Oost"),
    ("trajectory_events.csv", "date", "31-02-2024"),
    ("buurtbaners", "se_1", "9"),
    ("msc_stories.csv", "domain", None),
    ("codings", None, "bestaat_niet"),
    ("uit_ander_programma.csv", "end", "999999"),
    ("goals.csv", "weight", "één"),
    ("activities.xlsx", None, "activity_id"),
]


@pytest.mark.slow
def test_ten_planted_mistakes_give_ten_clear_errors(demo_copy):
    import impact

    raw = demo_copy / "data" / "raw"
    plant(demo_copy)
    before = tree_hashes(raw)
    study = impact.Study.load(demo_copy)
    problems = [p for p in impact.validate_study(study) if p.severity == "error"]
    rendered = [p.render("en") for p in problems]
    assert len(problems) == 10, "\n".join(rendered)
    for file_part, column, word in EXPECTED:
        hits = [p for p in problems if file_part in p.file
                and (column is None or p.column == column)
                and (word is None or word in str(p.value) or word in p.render("en"))]
        assert len(hits) == 1, (file_part, column, word, rendered)
        assert hits[0].row is not None or file_part == "attendance.csv"
    # the command line says the same, with no traceback, and exits 1
    run = subprocess.run([sys.executable, "-m", "impact.cli", "--study", str(demo_copy), "validate"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "10 fout(en)" in run.stdout
    # processing keeps going, quarantines the bad rows, and leaves data/raw as it was
    result = impact.process_study(study)
    assert result.quarantined >= 9
    assert tree_hashes(raw) == before
