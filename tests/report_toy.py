"""A tiny processed study for the report tests (synthetic; made here, not a fixture).

Numbers are chosen so the key figures can be counted by hand:
5 buurtbaners + 1 sleutelpersoon; 2 moved on, 3 promises of a contract;
3 activities; residents reached = 6 attendees + 1 named doorbell contact +
2 anonymous doorbells = 9; 2 volunteers activated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

TOML = """[study]
name = "Toetsstudie"
language = "nl"
districts = ["West", "Oost"]
synthetic = true

[privacy]
k = 3
"""


def make_toy_study(root: Path, notebooks: dict[str, list] | None = None) -> Path:
    import polars as pl

    root.mkdir(parents=True, exist_ok=True)
    (root / "impact.toml").write_text(TOML, encoding="utf-8")
    processed = root / "data" / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    (root / "data" / "raw").mkdir(parents=True, exist_ok=True)
    # the private register the publish guard reads (made-up names)
    (root / "data" / "raw" / "people.csv").write_text(
        "person_id,name\nBB01,Fenna Verzonnen-Toets\nSP01,Lodewijk Nepperman\n", encoding="utf-8")
    (root / "notebooks").mkdir(exist_ok=True)
    bb = [f"p_bb{i}" for i in range(5)]
    res = [f"p_r{i}" for i in range(8)]
    people = pl.DataFrame({
        "person": bb + ["p_sp0"] + res,
        "role": ["buurtbaner"] * 5 + ["key_person"] + ["resident"] * 8,
        "actor_type": ["informal"] * 14,
        "district": ["West", "West", "West", "Oost", "Oost", "West"] + ["West"] * 5 + ["Oost"] * 3,
        "coresearcher": [True, True, False, False, False, True] + [False] * 8,
    })
    people.write_parquet(processed / "people.parquet")
    pl.DataFrame({
        "person": people["person"],
        "quotes": [True] * 14,
        "named_as_coresearcher": [True, False, False, False, False, True] + [False] * 8,
        "withdrawn_on": pl.Series([None] * 14, dtype=pl.Date),
    }).write_parquet(processed / "consent.parquet")
    d = dt.date(2023, 1, 1)
    events = ([(p, "start") for p in bb] + [(p, "training") for p in bb[:4]]
              + [(p, "promise_of_contract") for p in bb[:3]] + [(p, "follow_on_job") for p in bb[:2]])
    pl.DataFrame({"person": [e[0] for e in events], "date": [d] * len(events),
                  "kind": [e[1] for e in events]}).write_parquet(processed / "trajectory_events.parquet")
    pl.DataFrame({"activity_id": ["A1", "A2", "A3"], "kind": ["maaltijd", "spreekuur", "taalles"],
                  "district": ["West", "West", "Oost"], "date": [d] * 3}).write_parquet(
        processed / "activities.parquet")
    # West: r0..r4 at A1/A2 (5 distinct); Oost: r5 at A3 (1 distinct: below k=3)
    pl.DataFrame({"activity_id": ["A1", "A1", "A1", "A2", "A2", "A3"],
                  "person": ["p_r0", "p_r1", "p_r2", "p_r3", "p_r4", "p_r5"],
                  "first_time": [True] * 6}).write_parquet(processed / "attendance.parquet")
    pl.DataFrame({"date": [d] * 5, "from_person": ["p_bb0"] * 5,
                  "to_person": ["p_r6", None, None, "p_r0", "p_r1"],
                  "to_organisation": [None] * 5,
                  "kind": ["doorbell", "doorbell", "doorbell", "volunteer_activated", "volunteer_activated"],
                  "district": ["West"] * 5}).write_parquet(processed / "contacts.parquet")
    pl.DataFrame({"story_id": ["S1", "S2"], "person": ["p_r0", "p_r1"], "domain": ["x", "y"],
                  "story": ["Ik voel me weer nodig in de buurt. Echt waar.", "Niet gekozen."],
                  "panel_choice": [True, False]}).write_parquet(processed / "msc_stories.parquet")
    pl.DataFrame({"document": ["I01", "I02"], "actor_type": ["informal", "formal"]}).write_parquet(
        processed / "transcripts.parquet")
    pl.DataFrame({"document": ["I01", "I01", "I01", "I02", "I02"],
                  "code": ["erkenning", "erkenning", "netwerk", "erkenning", "samenwerking"]}).write_parquet(
        processed / "codings.parquet")
    for name, cells in (notebooks or {}).items():
        write_notebook(root / "notebooks" / name, cells)
    return root


def write_notebook(path: Path, cells: list) -> Path:
    """Cells: ("md", text), ("report", markdown shown in the report), ("code", text), ("params", text)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, text in cells:
        if kind in ("md", "report"):
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
            if kind == "report":
                nb.cells[-1].metadata["tags"] = ["report"]
        else:
            cell = nbformat.v4.new_code_cell(text)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
            nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


CHART_NOTEBOOK = [
    ("md", "Zo werkt het: kies Run All. (Alleen voor wie het notebook draait.)"),
    ("report", "# Bereik in de buurt\n\nWie doet er mee?"),
    ("params", "study = '.'\ndistrict = None\nlanguage = 'nl'\nperiod = None"),
    ("code", "import impact, polars as pl, altair as alt\n"
             "s = impact.Study.load(study)\n"
             "att = s.table('attendance')"),
    ("report", "## Deelnemers"),
    ("code", "df = att.group_by('activity_id').len().sort('activity_id').to_pandas()\n"
             "impact.show.figures({'Activiteiten': 3, 'Deelnemers': att.height}, title='Kerncijfers')\n"
             "impact.show.chart(alt.Chart(df).mark_bar().encode(x='activity_id', y='len'),\n"
             "    title='Deelnemers per activiteit', takeaway='De maaltijd trekt de meeste mensen.',\n"
             "    description='Staafdiagram: A1 heeft 3, A2 heeft 2 en A3 heeft 1 deelnemer.')\n"
             "impact.show.quote('Ik kom <elke> week.', who='bewoner, West')\n"
             "impact.show.note(f'district={district}; taal={language}')\n"
             "print('dit komt niet in het rapport')"),
]


def json_dump(obj) -> str:
    return json.dumps(obj)
