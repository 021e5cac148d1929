"""Reading tables the way users send them (hand-made files, known answers)."""

import datetime as dt

import pytest

from impact import tabular as tb
from impact.errors import InputError


def test_semicolon_cp1252_with_title_lines(tmp_path):
    p = tmp_path / "activiteiten.csv"
    text = "Overzicht activiteiten\n\nactivity_id;kind;omschrijving\nA1;maaltijd;Café-avond\nA2;taalles;Ü\n"
    p.write_bytes(text.encode("cp1252"))
    t = tb.read_table(p, required=["activity_id", "kind"])
    assert (t.encoding, t.delimiter, t.header_row) == ("cp1252", ";", 3)
    assert t.rows[0]["omschrijving"] == "Café-avond"
    assert t.row_numbers == [4, 5]


def test_utf8_bom_comma_and_blank_rows(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("\ufeffperson_id,name\r\nBB01,Ümit\r\n,\r\nBB02,Anna\r\n".encode("utf-8"))
    t = tb.read_table(p, required=["person_id"])
    assert t.encoding == "utf-8-sig" and t.delimiter == ","
    assert [r["name"] for r in t.rows] == ["Ümit", "Anna"]
    assert t.row_numbers == [2, 4]


def test_xlsx_with_header_below_title(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Activiteiten 2023 (demo)"])
    ws.append([])
    ws.append(["activity_id", "date", "attendees"])
    ws.append(["A1", dt.datetime(2023, 5, 1), 12])
    wb.save(tmp_path / "activities.xlsx")
    t = tb.read_table(tmp_path / "activities.xlsx", required=["activity_id", "date"])
    assert t.header_row == 3 and t.row_numbers == [4]
    assert t.rows[0] == {"activity_id": "A1", "date": "2023-05-01", "attendees": "12"}


def test_wrong_delimiter_is_named(tmp_path):
    p = tmp_path / "people.csv"
    p.write_text("person_id|name|role\nBB01|Anna|buurtbaner\n")
    with pytest.raises(InputError) as err:
        tb.read_table(p, required=["person_id", "name"])
    assert "scheidingsteken" in err.value.render("nl")
    assert "delimiter" in err.value.render("en")


@pytest.mark.parametrize("text,expected", [
    ("31-12-2023", dt.date(2023, 12, 31)), ("1-2-2024", dt.date(2024, 2, 1)),
    ("2024-02-29", dt.date(2024, 2, 29)), ("05/06/2022", dt.date(2022, 6, 5)),
])
def test_dates(text, expected):
    assert tb.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2024", "2023-13-01", "morgen", "29-02-2023"])
def test_impossible_dates(text):
    with pytest.raises(ValueError):
        tb.parse_date(text)


@pytest.mark.parametrize("text,expected", [("3,5", 3.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
                                           ("-2", -2.0), ("8", 8.0)])
def test_numbers(text, expected):
    assert tb.parse_number(text) == expected


def test_repeated_header_row_is_reported_not_read_as_data(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("activity_id,kind\nA1,maaltijd\nactivity_id,kind\nA2,taalles\n")
    t = tb.read_table(p, required=["activity_id"])
    assert [r["activity_id"] for r in t.rows] == ["A1", "A2"]
    assert [(pr.row, pr.column) for pr in t.problems] == [(3, None)]
    assert "herhaalt de kopregel" in t.problems[0].render("nl")


# The same rows whether a CSV is cut by polars (no quotes in the file) or by csv.reader (quotes):
# a title line with a quote sends the second file down the csv.reader path.
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cell = st.text(alphabet=st.sampled_from(list("ab 1-éÅx\u00a0")), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cell, min_size=0, max_size=5), max_size=12),
       delimiter=st.sampled_from([",", ";"]), repeat_at=st.integers(min_value=-1, max_value=12))
def test_polars_cut_matches_csv_reader(tmp_path, rows, delimiter, repeat_at):
    header = ["Naam", "Uren", "Wijk  Code"]
    lines = [delimiter.join(header)]
    for i, cells in enumerate(rows):
        if i == repeat_at:
            lines.append(delimiter.join([" naam", "UREN ", "wijk code"]))
        lines.append(delimiter.join(cells))
    body = "\n".join(lines) + "\n"
    fast, slow = tmp_path / "fast.csv", tmp_path / "slow.csv"
    fast.write_text("# titel\n" + body, encoding="utf-8")
    slow.write_text('# "titel"\n' + body, encoding="utf-8")
    a = tb.read_table(fast, required=["naam", "uren"])
    b = tb.read_table(slow, required=["naam", "uren"])
    assert a._frame is not None and b._frame is None  # each went down its own path
    assert a.rows == b.rows
    assert a.row_numbers == b.row_numbers
    assert [(p.row, p.value) for p in a.problems] == [(p.row, p.value) for p in b.problems]
    assert a.frame.equals(b.frame)
