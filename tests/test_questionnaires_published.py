"""Cronbach's alpha against a published worked example.

Bock & Lieberman (1970), Psychometrika 35:179-197, published the Law School
Admission Test (section 6) answers of 1000 people to 5 items as 32
response-pattern frequencies. The data set ships with R's ``ltm`` package
(``LSAT``); its documented ``cronbach.alpha(LSAT)`` gives alpha = 0.295
(Rizopoulos 2006, J. Stat. Softw. 17(5), the ``ltm`` paper). The item
means 0.924, 0.709, 0.553, 0.763, 0.870 are in the same sources.
"""

from __future__ import annotations

import polars as pl
import pytest

from impact.questionnaires import cronbach_by_scale, read_xlsform

LSAT_PATTERNS = {  # response pattern (items 1-5) -> number of people
    "00000": 3, "00001": 6, "00010": 2, "00011": 11, "00100": 1, "00101": 1, "00110": 3, "00111": 4,
    "01000": 1, "01001": 8, "01010": 0, "01011": 16, "01100": 0, "01101": 3, "01110": 2, "01111": 15,
    "10000": 10, "10001": 29, "10010": 14, "10011": 81, "10100": 3, "10101": 28, "10110": 15, "10111": 80,
    "11000": 16, "11001": 56, "11010": 21, "11011": 173, "11100": 11, "11101": 61, "11110": 28, "11111": 298,
}


def test_cronbach_alpha_matches_lsat_published_value(tmp_path):
    form_path = tmp_path / "lsat.md"
    form_path.write_text(
        "| survey |\n| | type | name | label | scale |\n"
        + "".join(f"| | integer | i{j} | Item {j} | lsat |\n" for j in range(1, 6)), encoding="utf-8")
    form = read_xlsform(form_path)
    rows, person = [], 0
    for pattern, count in LSAT_PATTERNS.items():
        for _ in range(count):
            person += 1
            for j, answer in enumerate(pattern, start=1):
                rows.append({"respondent": f"p{person}", "wave": 1, "item": f"i{j}", "value": answer,
                             "value_num": float(answer)})
    responses = pl.DataFrame(rows, schema={"respondent": pl.String, "wave": pl.Int8, "item": pl.String,
                                           "value": pl.String, "value_num": pl.Float64})
    assert responses.group_by("item").agg(pl.col("value_num").mean()).sort("item")["value_num"].round(3).to_list() \
        == [0.924, 0.709, 0.553, 0.763, 0.870]
    result = cronbach_by_scale(responses, form).row(0, named=True)
    assert (result["n"], result["k"]) == (1000, 5)
    assert result["alpha"] == pytest.approx(0.2950, abs=5e-4)
    assert result["ci_low"] < result["alpha"] < result["ci_high"]
