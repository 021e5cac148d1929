"""Register checks on small hand-made studies: every bad cell is named, nothing is lost."""

from pathlib import Path

import pytest

from impact import registers as rg
from impact.study import init_study

DISTRICTS = ["West", "Oost"]


def write(root: Path, name: str, text: str, encoding="utf-8") -> Path:
    p = root / name
    p.write_bytes(text.encode(encoding))
    return p


def load(tmp_path, spec_name, text, encoding="utf-8"):
    write(tmp_path, f"{spec_name}.csv", text, encoding)
    spec = next(s for s in rg.REGISTERS if s.name == spec_name)
    return rg.load_register(tmp_path, spec, DISTRICTS, tmp_path)


def test_people_good_rows_with_synonyms(tmp_path):
    item = load(tmp_path, "people",
                "person_id;name;role;actor_type;district;coresearcher\n"
                "BB01;Anna de Vries;buurtbaner;informeel;west;ja\n"
                "F01;Jan Smit;formele actor;formeel;Oost;nee\n")
    assert item.problems == []
    assert [(r["role"], r["actor_type"], r["district"], r["coresearcher"]) for r in item.records] == [
        ("buurtbaner", "informal", "West", True), ("formal_actor", "formal", "Oost", False)]


def test_every_bad_cell_is_reported_and_row_kept_aside(tmp_path):
    item = load(tmp_path, "people",
                "person_id,name,role,actor_type,district,birth_year\n"
                "BB01,Anna,buurtbaner,informal,Noord,1970\n"      # unknown district
                "BB02,,piloot,informal,West,19x0\n"              # empty name, bad role, bad year
                "BB01,Kees,resident,informal,West,\n")           # duplicated id
    assert item.records == []
    got = [(p.row, p.column, p.value) for p in item.problems]
    assert got == [(2, "district", "Noord"), (3, "name", ""), (3, "role", "piloot"),
                   (3, "birth_year", "19x0"), (4, "person_id", "BB01")]
    # private values (names) are never echoed in messages or quarantine records
    assert all("name" not in (p.record or {}) for p in item.problems)
    assert "rij 2" in item.problems[-1].render("nl")


def test_cross_column_rules(tmp_path):
    item = load(tmp_path, "activities",
                "activity_id,kind,district,date,organiser,attendees,first_time_attendees\n"
                "A1,maaltijd,West,31-02-2024,BB01,10,2\n"
                "A2,maaltijd,West,01-03-2024,BB01,10,12\n"
                "A3,taalles,Oost,2024-03-02,BB01,\"7,0\",0\n")
    assert [(p.row, p.column) for p in item.problems] == [(2, "date"), (3, "first_time_attendees")]
    assert item.records[0]["attendees"] == 7


def test_unknown_person_reference(tmp_path):
    item = load(tmp_path, "contacts",
                "date,from_person,to_person,to_organisation,kind,district\n"
                "01-05-2023,BB01,R0001,,match,West\n"
                "02-05-2023,BB01,R9999,,match,West\n"
                "03-05-2023,BB01,,,referral,West\n")
    rg.check_references({"contacts": item}, {"BB01", "R0001"})
    assert [(p.row, p.column, p.value) for p in item.problems] == [
        (4, "to_organisation", ""), (3, "to_person", "R9999")]
    assert len(item.records) == 1


def test_to_frame_pseudonymises_and_drops_private(tmp_path):
    item = load(tmp_path, "people", "person_id,name,role,actor_type,district,phone\n"
                                    "BB01,Anna,buurtbaner,informal,West,0612345678\n"
                                    "R0001,Piet,resident,informal,West,\n")
    df = rg.to_frame(item, lambda pid: "p_" + pid.lower(), drop_persons={"R0001"})
    assert df.columns == ["person", "role", "actor_type", "organisation", "district", "neighbourhood",
                          "birth_year", "coresearcher"]
    assert df["person"].to_list() == ["p_bb01"]


def test_missing_required_file_is_a_problem(tmp_path):
    spec = next(s for s in rg.REGISTERS if s.name == "people")
    item = rg.load_register(tmp_path, spec, DISTRICTS)
    assert len(item.problems) == 1 and "missing" in item.problems[0].render("en")


def test_init_study_layout_and_refusal(tmp_path):
    from impact.errors import StudyError
    from impact.study import Study

    study = init_study(tmp_path / "s", name="Test")
    for sub in ("questionnaires", "data/raw", "data/processed", "notebooks", "reports"):
        assert (study.root / sub).is_dir()
    assert Study.load(study.root).config.name == "Test"
    with pytest.raises(StudyError):
        init_study(tmp_path / "s")
